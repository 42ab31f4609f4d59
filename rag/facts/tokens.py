"""Tokens with character offsets and a coarse tag: proper noun, common noun, number, word or punctuation.

German proper nouns come from the HanTa tagger (NE, or a capitalised word it does not know); English ones from
capitalisation, since English capitalises little else. Sentence-initial words count as proper only when the
document also capitalises them mid-sentence or they start a multi-word name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..records import Document, Sentence
from ..somajo_fast import somajo
from ..split import TokenSpans

UNKNOWN_WORD_SCORE = -19.0  # HanTa log-probability below which a capitalised word is not in its lexicon
WORD_ANALYSES = 200_000  # HanTa word analyses kept in memory (each a short list of tag scores)
_CAPITALISED = re.compile(r"^[^\W\d_][\w'’.-]*$")
_NUMBER = re.compile(r"^[€$£]?\d[\d.,]*[%€$£]?$|^\d+(?:st|nd|rd|th|\.)$")
_WORD_CHARACTER = re.compile(r"\w")  # compiled once: it runs for every token


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    index: int  # position in the sentence
    kind: str  # "proper", "unknown" (capitalised, not in the German lexicon), "noun", "number", "word", "punct"
    acronym: bool = False

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_GERMAN

    from ..language import ENGLISH_WORDS, GERMAN_WORDS
    from .lexicon import NAME_PARTICLES

    words = set(STOPWORDS_EN) | set(STOPWORDS_GERMAN) | GERMAN_WORDS | ENGLISH_WORDS
    words |= {"nobody", "everybody", "somebody", "anyone", "everyone", "niemand", "jemand", "alle"}
    return frozenset(words - NAME_PARTICLES)


@lru_cache(maxsize=1)
def _hanta():
    """The German tagger, with its per-word analysis memoised.

    HanTa analyses every word it has not precomputed with a pure-Python forward pass over the word's letters,
    each time the word occurs: most of the tagging time. That analysis depends on the word alone (and the
    model), so it is kept per word; the sentence-level Viterbi pass, which uses the neighbours, still runs
    for every sentence.
    """
    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    tagger.analyze_forward = lru_cache(maxsize=WORD_ANALYSES)(tagger.analyze_forward)
    return tagger


@lru_cache(maxsize=1)
def _sentence_tagger():
    """HanTa's sentence tagging with less work per word (rag.facts.hanta_fast: the same tags)."""
    from .hanta_fast import FastSentenceTagger

    return FastSentenceTagger(_hanta())


@lru_cache(maxsize=50000)
def _german_word_known(word: str) -> bool:
    analyses = _hanta().tag_word(word)
    return bool(analyses) and float(analyses[0][1]) > UNKNOWN_WORD_SCORE


@lru_cache(maxsize=50000)
def german_common_noun(word: str) -> bool:
    """Whether the German lexicon takes the word for a common noun ("Umsatz", "Nachfolgerin"), not a name."""
    analyses = _hanta().tag_word(word)
    return bool(analyses) and analyses[0][0] == "NN" and float(analyses[0][1]) > UNKNOWN_WORD_SCORE


def german_word_known(word: str) -> bool:
    """Whether the German lexicon knows the word (so it is a noun or adjective, not a name)."""
    return _german_word_known(word)


def german_noun(word: str) -> bool:
    """A word the German lexicon knows, or a compound of two words it knows ("Schlusskurs" = Schluss + Kurs)."""
    if german_word_known(word):
        return True
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:].capitalize()
        if german_word_known(tail) and (german_word_known(head) or (head.endswith("s") and german_word_known(head[:-1]))):
            return True
    return False


def tokenize_sentences(
    document: Document, sentences: list[Sentence], token_spans: list[TokenSpans] | None = None
) -> list[list[Token]]:
    """Tagged tokens for every sentence of a document, offsets relative to the document.

    `token_spans`, when given, are the sentences' tokens as the splitter found them (rag.split.split_with_tokens);
    a sentence without them is tokenised here.
    """
    spans = token_spans if token_spans is not None else [None] * len(sentences)
    raw = [_raw_tokens(document, s, found) for s, found in zip(sentences, spans, strict=True)]
    tags = [_german_tags(words) if document.language == "de" else None for words in raw]
    mid_capitalised = {
        text for words in raw for i, (text, _, _) in enumerate(words) if i > 0 and text[:1].isupper()
    }
    out = []
    for words, sentence_tags in zip(raw, tags):
        tokens = []
        for i, (text, start, end) in enumerate(words):
            tag = sentence_tags[i] if sentence_tags else ""
            kind = _kind(text, i, words, tag, document.language, mid_capitalised)
            acronym = len(text) >= 2 and text.replace("-", "").isupper() and text.replace("-", "").isalpha()
            tokens.append(Token(text, start, end, i, kind, acronym))
        out.append(tokens)
    return out


def tokenize_text(text: str, language: str) -> list[Token]:
    """Tokens of a free text such as a question (no document context)."""
    document = Document(id="", name="", text=text, language=language, source_sha256="", size=len(text))
    sentence = Sentence(doc_id="", index=0, start=0, end=len(text), text=text)
    return tokenize_sentences(document, [sentence])[0]


def _raw_tokens(document: Document, sentence: Sentence, found: TokenSpans = None) -> list[tuple[str, int, int]]:
    if found is not None:
        return _join_hyphenated([(document.text[start:end], start, end) for start, end in found], document.text)
    words: list[tuple[str, int, int]] = []
    for tokens in somajo(document.language, split_sentences=False).tokenize_text([sentence.text]):
        for token in tokens:
            start, end = token.character_offset
            words.append((sentence.text[start:end], sentence.start + start, sentence.start + end))
    return _join_hyphenated(words, document.text)


def _join_hyphenated(words: list[tuple[str, int, int]], text: str) -> list[tuple[str, int, int]]:
    """SoMaJo's English model splits "Seo-yeon" and "three-day"; glue word-hyphen-word back together."""
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(words):
        start, end = words[i][1], words[i][2]
        while (
            i + 2 < len(words)
            and words[i + 1][0] == "-"
            and words[i + 1][1] == end
            and words[i + 2][1] == words[i + 1][2]
            and _WORD_CHARACTER.match(words[i + 2][0])
        ):
            end = words[i + 2][2]
            i += 2
        out.append((text[start:end], start, end))
        i += 1
    return out


def _german_tags(words: list[tuple[str, int, int]]) -> list[str]:
    if not words:
        return []
    # the tags alone (HanTa's taglevel 0); level 1 also lemmatises every word, which nothing here uses
    return _sentence_tagger().tag_sent([w for w, _, _ in words])


def _kind(text: str, i: int, words: list, tag: str, language: str, mid_capitalised: set[str]) -> str:
    if _NUMBER.match(text):
        return "number"
    if not _WORD_CHARACTER.search(text):
        return "punct"
    if not _CAPITALISED.match(text) or not text[:1].isupper():
        return "word"
    if text.lower() in _function_words():
        return "word"
    initial = i == 0 or words[i - 1][0] in {"„", "“", '"', "(", "«", "»", "‚", "'", ":", "–", "-"}
    if language == "de":
        if tag == "NE":
            return "proper"
        if tag.startswith("NN"):
            head = text.rsplit("-", 1)[-1]
            return "noun" if _german_word_known(head if head[:1].isupper() else text) else "unknown"
        if initial:
            return "word"
        return "proper"
    if not initial:
        return "proper"
    follower = words[i + 1][0] if i + 1 < len(words) else ""
    if text in mid_capitalised or (follower[:1].isupper() and _CAPITALISED.match(follower)):
        return "proper"
    return "word"
