r"""SoMaJo tokenizers, made once per language and mode, with two of SoMaJo's per-token passes short-cut.

SoMaJo looks for emoji by walking every grapheme cluster of every token and running an uncompiled Unicode-property
search on each: about half of its tokenising time on news text, which has no emoji at all. Before that walk, one
compiled search over the token's text for the characters it looks for tells whether there is anything to find;
only when there is does SoMaJo's own pass run. The tokens are exactly SoMaJo's (tests/test_split.py checks it
against an unchanged SoMaJo on text with and without emoji).

SoMaJo also runs ~90 patterns over every token of a paragraph, one `_split_matches` call each, which sets up
group numbers, a match iterator and a boundary list before it finds that nothing matches (nearly always).
One compiled `search` first answers that; when it finds nothing, SoMaJo's own code would split nothing either
(no match, no boundaries, the token is left as it is), so it is not called. The search is made in the loop over
the tokens (SoMaJo's `_split_all_matches`, redone), not in a call per token and pattern.

Finding character offsets, SoMaJo's alignment calls `regex.sub(r"\s", " ", text)` for every token: each call
looks the pattern up in regex's cache (~8 us, more than the substitution). Its module's `regex` is given a
stand-in whose `sub` does the same substitution with the pattern compiled once; everything else is regex's.
Together the two save about a quarter of splitting time on news text.

Two of SoMaJo's patterns are alternations of hundreds of listed words: abbreviations ("bzw.", "Univ.-Prof."),
tried at every word start of a paragraph, and tokens with "+" or "&" ("C++", "AT&T"). Every listed word holds
its mark ("." or "+"/"&") within a few characters and no space before it, so no match can start where the next
mark is farther away or behind a space. Each pattern gets that as a lookahead in front of its alternation: same
matches, found without trying the list at nearly every word (a third of the remaining splitting time). It is
only added when the pattern is exactly the one SoMaJo builds from its word list, as checked here.

Character offsets of a paragraph already in Unicode normal form C map one to one: SoMaJo's alignment builds
three dictionaries per paragraph to find that out; here the offsets are taken as they are. And where every
token follows the previous one (the usual case), it is found without copying the rest of the paragraph for
each token, as SoMaJo's search does.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from types import MethodType
from typing import Any

SOMAJO_MODELS = {"de": "de_CMC", "en": "en_PTB"}
# Every character SoMaJo's `Tokenizer._split_emojis` can find in a grapheme cluster (somajo 2.x).
EMOJI_CHARACTERS = r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\uFE0F]"


class _CompiledWhitespaceSub:
    r"""The `regex` module, except that `sub(r"\s", " ", text)` uses a pattern compiled once (same result)."""

    def __init__(self, regex: Any) -> None:
        self._regex = regex
        self._whitespace = regex.compile(r"\s").sub

    def __getattr__(self, name: str) -> Any:
        return getattr(self._regex, name)

    def sub(self, pattern: Any, repl: Any, string: Any, *args: Any, **kwargs: Any) -> Any:
        if pattern == r"\s" and repl == " " and not args and not kwargs and isinstance(string, str):
            return self._whitespace(" ", string)
        return self._regex.sub(pattern, repl, string, *args, **kwargs)


def _fast_alignment() -> None:
    try:
        from somajo import alignment
    except ImportError:  # another SoMaJo layout: leave it as it is
        return
    if getattr(alignment, "re", None) is not None and not isinstance(alignment.re, _CompiledWhitespaceSub):
        alignment.re = _CompiledWhitespaceSub(alignment.re)
    original = getattr(alignment, "token_offsets", None)
    if original is not None and hasattr(alignment, "_determine_offsets") and not hasattr(original, "__wrapped__"):
        alignment.token_offsets = _nfc_token_offsets(original, alignment._determine_offsets)


def _nfc_token_offsets(original: Any, determine_offsets: Any) -> Any:
    """SoMaJo's `token_offsets`, taking the offsets as they are when the text is plain (not XML) and in NFC."""

    def token_offsets(token_list: list, raw: str, position: int, xml_input: bool, tokens: list) -> list:
        if xml_input or not unicodedata.is_normalized("NFC", raw):
            return original(token_list, raw, position, xml_input, tokens)
        offsets = _plain_offsets(tokens, raw)
        if offsets is None:
            offsets = determine_offsets(tokens, raw, position)
        if len(offsets) != len(tokens) or not all(0 <= s < len(raw) and 0 < e <= len(raw) for s, e in offsets):
            return original(token_list, raw, position, xml_input, tokens)  # let SoMaJo say what is wrong
        return [(s + position, e + position) for s, e in offsets]

    token_offsets.__wrapped__ = original  # type: ignore[attr-defined]
    return token_offsets


def _plain_offsets(tokens: list, raw: str) -> list[tuple[int, int]] | None:
    """SoMaJo's `_determine_offsets` where each token lies where the previous one ended or one space later
    (white space read as spaces, as there), found without copying the rest of the paragraph for every token;
    None when a token is not found so (a markup token, a character SoMaJo dropped): SoMaJo's own search runs."""
    raw = _spaces(" ", raw)
    offsets = []
    end = 0
    for token in tokens:
        if token.markup:
            return None
        text = _spaces(" ", token.text if token.original_spelling is None else token.original_spelling)
        if raw.startswith(text, end):
            start = end
        elif raw.startswith(" " + text, end):
            start = end + 1
        else:
            return None
        end = start + len(text)
        offsets.append((start, end))
    return offsets


def _spaces(replacement: str, text: str) -> str:
    r"""`regex.sub(r"\s", replacement, text)`, as SoMaJo's alignment does it, with the pattern compiled once."""
    return _whitespace().sub(replacement, text)


@lru_cache(maxsize=1)
def _whitespace() -> Any:
    import regex

    return regex.compile(r"\s")


def _mark_reach(words: list[str], marks: str) -> int | None:
    """How far into a listed word its first mark lies, at most; None when a word has no mark or a space before
    it (then no lookahead can be derived)."""
    import regex

    reach = 0
    for word in words:
        first = min((word.find(mark) for mark in marks if mark in word), default=-1)
        if first < 0 or regex.search(r"\s", word[:first]) is not None:
            return None
        reach = max(reach, first)
    return reach


def _with_lookahead(pattern: Any, head: str, rest: str, marks: str, reach: int | None,
                    new_rest: str | None = None) -> Any:
    """`pattern` (exactly `head + rest`) with a lookahead after `head`: the next mark lies within `reach`
    characters, none of them a space (and `new_rest` in place of `rest` if given). The pattern as it was when it is
    not the expected one."""
    import regex

    if reach is None or pattern.pattern != head + rest or pattern.flags & regex.FULLCASE:
        return pattern  # FULLCASE could match one character to two: the reach would not hold
    mark_class = "".join(regex.escape(mark) for mark in marks)
    lookahead = rf"(?=[^{mark_class}\s]{{0,{reach}}}+[{mark_class}])"
    return regex.compile(head + lookahead + (new_rest or rest), pattern.flags)


def _abbreviation(word: str) -> str:
    """A listed abbreviation as a pattern; one written in camel case ("BerGer.", "AnwBl.") only in that case, since
    SoMaJo's case-blind match would take the surname "Berger." at the end of a sentence for one."""
    import regex

    if regex.search(r"\p{Ll}\p{Lu}", word):
        return "(?-i:" + regex.escape(word) + ")"
    return regex.escape(word.lower())


def _listed_words_near_marks(inner: Any) -> None:
    """Lookaheads for SoMaJo's abbreviation and plus/ampersand patterns (see the module's docstring)."""
    import regex
    from somajo import utils

    language = getattr(inner, "language", "")[:2]
    try:
        abbreviations = utils.read_abbreviation_file(f"abbreviations_{language}.txt", to_lower=True)
        as_written = utils.read_abbreviation_file(f"abbreviations_{language}.txt")
        plus_ampersand = [word for word in utils.read_abbreviation_file("tokens_with_plus_or_ampersand.txt")
                          if not regex.search(r"^\w+[&+]\w+$", word)]
    except (AttributeError, OSError):  # another SoMaJo layout: leave it as it is
        return
    if isinstance(getattr(inner, "abbreviation", None), regex.Pattern):
        reach = _mark_reach(abbreviations, ".")
        inner.abbreviation = _with_lookahead(
            inner.abbreviation,
            r"(?<![\p{L}.])",
            r"(?:(?:(?:\p{L}\.){2,})|" + "|".join(regex.escape(w) for w in abbreviations) + r")+(?!\p{L}{1,3}\.)",
            ".",
            None if reach is None else max(reach, 1),  # "(?:\p{L}\.){2,}": the mark is the second character
            r"(?:(?:(?:\p{L}\.){2,})|" + "|".join(_abbreviation(w) for w in as_written) + r")+(?!\p{L}{1,3}\.)",
        )
    if isinstance(getattr(inner, "token_with_plus_ampersand", None), regex.Pattern):
        inner.token_with_plus_ampersand = _with_lookahead(
            inner.token_with_plus_ampersand,
            r"(?<!\w)",
            "(?:" + "|".join(regex.escape(w) for w in plus_ampersand) + r")(?!\w)",
            "+&",
            _mark_reach(plus_ampersand, "+&"),
        )


@lru_cache(maxsize=4)
def somajo(language: str, *, split_sentences: bool) -> Any:
    """A SoMaJo tokenizer with character offsets for `language` ("de" or else English)."""
    import regex
    from somajo import SoMaJo

    tokenizer = SoMaJo(SOMAJO_MODELS.get(language, "en_PTB"), split_sentences=split_sentences,
                       character_offsets=True)
    _fast_alignment()
    inner = getattr(tokenizer, "_tokenizer", None)
    original = getattr(inner, "_split_emojis", None)
    if original is None:  # another SoMaJo layout: leave it as it is
        return tokenizer
    _listed_words_near_marks(inner)
    has_emoji = regex.compile(EMOJI_CHARACTERS).search

    def split_emojis(self: Any, node: Any, token_class: str = "emoticon") -> None:
        if has_emoji(node.value.text) is not None:
            original(node, token_class)

    inner._split_emojis = MethodType(split_emojis, inner)

    split_matches = getattr(inner, "_split_matches", None)
    if split_matches is not None:

        def guarded_split_matches(self: Any, regex: Any, node: Any, *args: Any, **kwargs: Any) -> None:
            if regex.search(node.value.text) is not None:
                split_matches(regex, node, *args, **kwargs)

        inner._split_matches = MethodType(guarded_split_matches, inner)
        if getattr(inner, "_split_all_matches", None) is not None:
            inner._split_all_matches = MethodType(_split_all_matches_searched_first(split_matches), inner)
    return tokenizer


def _split_all_matches_searched_first(split_matches: Any) -> Any:
    """SoMaJo's `_split_all_matches` (one pattern over every token that is neither markup nor locked) with the
    search that rules a token out done in the loop, not in a call per token: it runs ~90 times per paragraph."""

    def split_all_matches(self: Any, regex: Any, token_dll: Any, token_class: str = "regular", *, repl: Any = None,
                          split_named_subgroups: bool = True, delete_whitespace: bool = False) -> None:
        search = regex.search
        for node in token_dll:
            value = node.value
            if value.markup or value._locked or search(value.text) is None:
                continue
            split_matches(regex, node, token_class, repl, split_named_subgroups, delete_whitespace)

    return split_all_matches
