"""Turn retrieved passages into a short, cited answer, or an abstention.

The answerer takes passages and the index's sentences and returns an `Answer`; it never searches itself.
"""

from __future__ import annotations

import re

from .index import Index
from .lexical import query_tokens, tokenize
from .records import Answer, Citation, Passage, Sentence

ABSTAIN_TEXT = "The documents don't say."
MIN_DENSE = 0.30  # below this cosine, a passage with little word overlap does not answer the question
MIN_OVERLAP = 0.34  # share of the question's content words a sentence must contain
MAX_ANSWER_WORDS = 30


def answer_question(question: str, passages: list[Passage], index: Index) -> Answer:
    """The best supported sentence among the passages, trimmed; an abstention when none is good enough."""
    wanted = set(query_tokens(question))
    best: tuple[float, Sentence] | None = None
    for rank, passage in enumerate(passages):
        chunk_sentences = index.sentences[passage.doc_id][passage.first_sentence : passage.last_sentence + 1]
        language = index.documents[passage.doc_id].language
        for sentence in chunk_sentences:
            overlap = _overlap(wanted, set(tokenize(sentence.text, language)))
            score = overlap + passage.dense_score - 0.02 * rank
            if best is None or score > best[0]:
                best = (score, sentence)
    if best is None or not _supported(best[1], wanted, passages, index):
        return Answer(question=question, text="", abstained=True, passages=passages, method="abstain")
    sentence = best[1]
    document = index.documents[sentence.doc_id]
    citation = Citation(doc_id=document.id, doc=document.name, start=sentence.start, end=sentence.end, text=sentence.text)
    return Answer(
        question=question, text=_trim(sentence.text), abstained=False, citations=[citation], passages=passages,
        method="sentence",
    )


def _overlap(wanted: set[str], have: set[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 0.0


def _supported(sentence: Sentence, wanted: set[str], passages: list[Passage], index: Index) -> bool:
    language = index.documents[sentence.doc_id].language
    overlap = _overlap(wanted, set(tokenize(sentence.text, language)))
    top_dense = max((p.dense_score for p in passages), default=0.0)
    return overlap >= MIN_OVERLAP or top_dense >= MIN_DENSE


def _trim(text: str) -> str:
    words = text.split()
    if len(words) <= MAX_ANSWER_WORDS:
        return text
    return re.sub(r"[,;:]$", "", " ".join(words[:MAX_ANSWER_WORDS])) + " …"
