"""Chunking: overlapping sentence windows that cover the document, fit the model and keep stable ids."""

from __future__ import annotations

import pytest

from helpers import ARTICLE, ARTICLES
from rag.chunk import chunk_document
from rag.ingest import read_document
from rag.split import split_sentences

DOCS = [ARTICLE, *ARTICLES]


@pytest.fixture(scope="module")
def split_docs():
    out = []
    for path in DOCS:
        doc = read_document(path, path.name)
        out.append((doc, split_sentences(doc)))
    return out


def _assert_cover(doc, sentences, chunks):
    assert chunks
    assert chunks[0].first_sentence == 0
    assert chunks[-1].last_sentence == len(sentences) - 1
    covered = set()
    for number, chunk in enumerate(chunks):
        assert chunk.index == number
        assert chunk.doc_id == doc.id
        assert chunk.first_sentence <= chunk.last_sentence
        assert chunk.start == sentences[chunk.first_sentence].start
        assert chunk.end == sentences[chunk.last_sentence].end
        assert doc.text[chunk.start : chunk.end] == chunk.text
        covered.update(range(chunk.first_sentence, chunk.last_sentence + 1))
    for before, after in zip(chunks, chunks[1:]):
        assert after.first_sentence > before.first_sentence, "no progress"
        assert after.first_sentence <= before.last_sentence + 1, "a sentence falls between chunks"
    assert covered == set(range(len(sentences)))


@pytest.mark.parametrize(("size", "overlap"), [(3, 1), (4, 2), (2, 0), (1, 0), (5, 4)])
def test_chunks_cover_all_sentences_with_configured_overlap(split_docs, embedder, size, overlap):
    for doc, sentences in split_docs:
        chunks = chunk_document(
            doc, sentences, size=size, overlap=overlap,
            max_tokens=embedder.max_tokens, count_tokens=embedder.count_tokens,
        )
        _assert_cover(doc, sentences, chunks)
        for before, after in zip(chunks, chunks[1:]):
            width = before.last_sentence - before.first_sentence + 1
            if width == size:  # a full window: the next one shares exactly `overlap` sentences
                assert after.first_sentence == before.last_sentence + 1 - overlap
        assert all(c.last_sentence - c.first_sentence + 1 <= size for c in chunks)
        full = [c for c in chunks if c.last_sentence - c.first_sentence + 1 == size]
        assert len(full) >= len(chunks) // 2, "the real articles fit full windows into the model's limit"


@pytest.mark.parametrize("max_tokens", [30, 60, 100])
def test_chunk_never_exceeds_max_tokens_unless_single_sentence(split_docs, embedder, max_tokens):
    limited = oversize = 0
    for doc, sentences in split_docs:
        chunks = chunk_document(
            doc, sentences, size=3, overlap=1, max_tokens=max_tokens, count_tokens=embedder.count_tokens
        )
        _assert_cover(doc, sentences, chunks)
        for chunk in chunks:
            tokens = embedder.count_tokens(chunk.text)
            if chunk.first_sentence != chunk.last_sentence:
                assert tokens <= max_tokens, (tokens, chunk.text)
            elif tokens > max_tokens:
                oversize += 1
            if chunk.last_sentence - chunk.first_sentence + 1 < 3 and chunk.last_sentence < len(sentences) - 1:
                limited += 1
    assert limited > 0, "the limit never cut a window short: the test would prove nothing"
    if max_tokens == 30:
        assert oversize > 0, "some article sentences are longer than 30 word pieces"


def test_bundled_model_limit_holds_for_indexed_chunks(index, embedder):
    assert embedder.max_tokens == index.manifest["model"]["max_tokens"]
    for chunk in index.chunks:
        assert embedder.count_tokens(chunk.text) <= embedder.max_tokens or chunk.first_sentence == chunk.last_sentence


def test_ids_stable_across_runs_and_unique(split_docs):
    seen = set()
    for doc, sentences in split_docs:
        first = chunk_document(doc, sentences)
        again_doc = read_document(next(p for p in DOCS if p.name == doc.name), doc.name)
        second = chunk_document(again_doc, split_sentences(again_doc))
        assert [c.id for c in first] == [c.id for c in second]
        assert first == second
        ids = [c.id for c in first]
        assert len(set(ids)) == len(ids)
        assert not seen & set(ids)
        seen.update(ids)


def test_ids_differ_for_different_content(tmp_path):
    text = ARTICLE.read_text(encoding="utf-8")
    original = tmp_path / "a.txt"
    original.write_text(text, encoding="utf-8")
    edited = tmp_path / "b.txt"
    edited.write_text(text.replace("Am 10. Juni", "Am 9. Juni"), encoding="utf-8")
    docs = [read_document(p, p.name) for p in (original, edited)]
    chunk_sets = [chunk_document(d, split_sentences(d)) for d in docs]
    assert docs[0].id != docs[1].id
    assert not {c.id for c in chunk_sets[0]} & {c.id for c in chunk_sets[1]}


def test_token_estimate_default_also_limits(split_docs):
    from rag.chunk import estimate_tokens

    for doc, sentences in split_docs:
        chunks = chunk_document(doc, sentences, size=4, overlap=1, max_tokens=80)
        _assert_cover(doc, sentences, chunks)
        for chunk in chunks:
            assert estimate_tokens(chunk.text) <= 80 or chunk.first_sentence == chunk.last_sentence


@pytest.mark.parametrize(("size", "overlap", "max_tokens"), [(4, 1, None), (3, 1, 60), (6, 2, 30)])
def test_window_counts_added_up_from_sentences_give_the_same_chunks(split_docs, embedder, size, overlap, max_tokens):
    """The bundled WordPiece tokenizer's counts add up over sentences joined by white space, so each sentence
    is tokenised once (rag.chunk.window_counter); sentences joined without white space (a cut run of letters,
    "1:0.Danach") are tokenised together. The chunks must be those of tokenising every window whole."""
    from helpers import document

    assert embedder.counts_add_up == 2
    cut = document("Ein Satz. " + "x" * 3200 + " Noch ein Satz. Tor zum 1:0.Danach kam nichts mehr.", "de")
    docs = [*split_docs, (cut, split_sentences(cut))]
    assert any(cut.text[a.end] != " " for a in docs[-1][1][:-1]), "a join without white space is part of the test"
    limit = max_tokens or embedder.max_tokens
    for doc, sentences in docs:
        whole = chunk_document(doc, sentences, size=size, overlap=overlap, max_tokens=limit,
                               count_tokens=embedder.count_tokens)
        summed = chunk_document(doc, sentences, size=size, overlap=overlap, max_tokens=limit,
                                count_tokens=embedder.count_tokens, specials=embedder.counts_add_up)
        assert summed == whole, doc.name
