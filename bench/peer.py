"""The peers, each run in its own process on the same model and the same chunk texts as the project:

- `haystack`: a Haystack 2 in-memory pipeline (haystack-ai with its sentence-transformers integration):
  SentenceTransformersDocumentEmbedder -> DocumentWriter into an InMemoryDocumentStore to index;
  SentenceTransformersTextEmbedder -> InMemoryEmbeddingRetriever (top 5) to query.
- `plain`: the floor: sentence-transformers encodes, a FAISS IndexFlatIP searches (top 5).

    python -m bench.peer haystack|plain CHUNKS.json QUESTIONS.json  ->  one JSON object on stdout
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.measure import peak_rss_mb, quantiles  # noqa: E402

TOP_K = 5
WARM_ROUNDS = 3  # every question is asked this many times after one unmeasured round


def model_path() -> str:
    from rag.embed import resolve_model

    return resolve_model("bundled:all-MiniLM-L6-v2").path  # the same files, sha256 checked


def haystack(chunks: list[str], questions: list[str]) -> dict:
    started = time.perf_counter()
    from haystack import Document, Pipeline
    from haystack.components.retrievers.in_memory import InMemoryEmbeddingRetriever
    from haystack.components.writers import DocumentWriter
    from haystack.document_stores.in_memory import InMemoryDocumentStore
    from haystack_integrations.components.embedders.sentence_transformers import (
        SentenceTransformersDocumentEmbedder,
        SentenceTransformersTextEmbedder,
    )

    path = model_path()
    store = InMemoryDocumentStore(embedding_similarity_function="cosine")
    indexing = Pipeline()
    indexing.add_component("embedder", SentenceTransformersDocumentEmbedder(
        model=path, local_files_only=True, progress_bar=False, normalize_embeddings=True, token=None))
    indexing.add_component("writer", DocumentWriter(document_store=store))
    indexing.connect("embedder.documents", "writer.documents")
    querying = Pipeline()
    querying.add_component("embedder", SentenceTransformersTextEmbedder(
        model=path, local_files_only=True, progress_bar=False, normalize_embeddings=True, token=None))
    querying.add_component("retriever", InMemoryEmbeddingRetriever(document_store=store, top_k=TOP_K))
    querying.connect("embedder.embedding", "retriever.query_embedding")
    indexing.warm_up()
    querying.warm_up()
    imported = time.perf_counter() - started

    documents = [Document(content=text) for text in chunks]
    started = time.perf_counter()
    indexing.run({"embedder": {"documents": documents}})
    index_seconds = time.perf_counter() - started
    assert store.count_documents() == len(chunks)

    retriever = querying.get_component("retriever")
    embedder = querying.get_component("embedder")
    totals, retrieval_only = [], []
    for round_ in range(WARM_ROUNDS + 1):
        for question in questions:
            started = time.perf_counter()
            result = querying.run({"embedder": {"text": question}})
            elapsed = time.perf_counter() - started
            embedding = embedder.run(text=question)["embedding"]
            started = time.perf_counter()
            retriever.run(query_embedding=embedding)
            retrieval = time.perf_counter() - started
            assert len(result["retriever"]["documents"]) == min(TOP_K, len(chunks))
            if round_:
                totals.append(elapsed)
                retrieval_only.append(retrieval)
    return {
        "peer": "haystack",
        "versions": _versions("haystack-ai", "sentence-transformers-haystack", "sentence-transformers", "torch"),
        "chunks": len(chunks),
        "startup_seconds": round(imported, 3),
        "index_seconds": round(index_seconds, 3),
        "index_chunks_per_s": round(len(chunks) / index_seconds, 1),
        "query_ms": quantiles(totals),
        "retriever_only_ms": quantiles(retrieval_only),
        "peak_rss_mb": peak_rss_mb(),
    }


def plain(chunks: list[str], questions: list[str]) -> dict:
    started = time.perf_counter()
    import faiss
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu", local_files_only=True)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    vectors = model.encode(chunks, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    index_seconds = time.perf_counter() - started
    totals = []
    for round_ in range(WARM_ROUNDS + 1):
        for question in questions:
            started = time.perf_counter()
            query = model.encode([question], normalize_embeddings=True, convert_to_numpy=True)
            index.search(query, TOP_K)
            if round_:
                totals.append(time.perf_counter() - started)
    return {
        "peer": "plain",
        "versions": _versions("sentence-transformers", "torch", "faiss-cpu"),
        "chunks": len(chunks),
        "startup_seconds": round(imported, 3),
        "index_seconds": round(index_seconds, 3),
        "index_chunks_per_s": round(len(chunks) / index_seconds, 1),
        "query_ms": quantiles(totals),
        "peak_rss_mb": peak_rss_mb(),
    }


def _versions(*names: str) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "missing"
    return out


def main(argv: list[str]) -> int:
    which, chunks_file, questions_file = argv
    chunks = json.loads(open(chunks_file, encoding="utf-8").read())
    questions = json.loads(open(questions_file, encoding="utf-8").read())
    result = {"haystack": haystack, "plain": plain}[which](chunks, questions)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
