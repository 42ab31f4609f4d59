"""The project's own measurements, each run in a fresh process so that memory and warm-up are its own:

    python -m bench.project encoder NAME CHUNKS.json QUESTIONS.json     raw encoder throughput, query encoding
    python -m bench.project build CORPUS INDEX [--encoder E] [--add N]    full build, stages, incremental re-index
    python -m bench.project warm CORPUS INDEX QA.jsonl...                 warm answer latency (index built)
    python -m bench.project quality ENCODER CORPUS INDEX QA.jsonl...      retrieval and answer quality per encoder

Each prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.measure import min_median, peak_rss_mb, quantiles  # noqa: E402

WARM_ROUNDS = 3


def encoder(args: argparse.Namespace) -> dict:
    """Raw throughput of one encoder on the chunk texts (batches of 32, as the build uses), and query latency."""
    from rag.embed import Embedder

    chunks = json.loads(Path(args.chunks).read_text(encoding="utf-8"))
    questions = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    started = time.perf_counter()
    model = Embedder(encoder=args.name)
    model.warm_up()
    model.encode(questions[:1])
    model.encode(chunks[:32], batch_size=32)
    load = time.perf_counter() - started
    started = time.perf_counter()
    model.encode(chunks, batch_size=32)
    seconds = time.perf_counter() - started
    query = []
    for round_ in range(WARM_ROUNDS + 1):
        for question in questions:
            started = time.perf_counter()
            model.encode([question])
            if round_:
                query.append(time.perf_counter() - started)
    return {
        "encoder": model.info.encoder,
        "load_seconds": round(load, 3),
        "chunks": len(chunks),
        "encode_seconds": round(seconds, 3),
        "chunks_per_s": round(len(chunks) / seconds, 1),
        "query_ms": quantiles(query),
        "peak_rss_mb": peak_rss_mb(),
    }


def build(args: argparse.Namespace) -> dict:
    """A full build of CORPUS, then `--add` times: one short new document added and the index refreshed."""
    from bench.corpus import real_sentences
    from rag.embed import Embedder
    from rag.index import open_index
    from rag.settings import Settings

    corpus, index_dir = Path(args.corpus), Path(args.index)
    shutil.rmtree(index_dir, ignore_errors=True)
    settings = Settings(corpus_dir=corpus, index_dir=index_dir, encoder=args.encoder)
    embedder = Embedder(settings.model, encoder=settings.encoder, cache_dir=settings.cache_dir)
    started = time.perf_counter()
    embedder.warm_up()
    warm_up = time.perf_counter() - started
    report = open_index(settings, embedder, rebuild=True)
    chunks = report.index.chunks
    result = {
        "encoder": embedder.info.encoder,
        "documents": len(report.index.documents),
        "chunks": len(chunks),
        "model_load_seconds": round(warm_up, 3),
        "build_seconds": round(report.seconds, 3),
        "stages": report.stages,
        "chunks_per_s": round(len(chunks) / report.seconds, 1),
        # what a retrieval-only system does with the same chunks: encode them, write FAISS + BM25 + records
        "retrieval_index_seconds": round(report.stages["embed"] + report.stages["write"], 3),
        "dense": {k: v for k, v in report.index.manifest["dense"].items() if k != "file"},
        "build_peak_rss_mb": peak_rss_mb(),
    }
    # the raw encoder in the same process, right after the build: the ceiling the build's embed stage can reach
    sample = [c.text for c in chunks[: args.raw_sample]]
    if sample:
        started = time.perf_counter()
        embedder.encode(sample, batch_size=settings.batch_size)
        result["raw_encoder_chunks_per_s"] = round(len(sample) / (time.perf_counter() - started), 1)
        result["raw_encoder_sample"] = len(sample)
    if args.chunks_out:
        Path(args.chunks_out).write_text(json.dumps([c.text for c in chunks], ensure_ascii=False), encoding="utf-8")
    if args.vectors_out:
        import numpy as np

        np.save(args.vectors_out, report.index.vectors().astype(np.float32), allow_pickle=False)
    pool = real_sentences()
    added = []
    for n in range(args.add):
        new = corpus / f"zz_added_{n:03d}.txt"
        language = "de" if n % 2 == 0 else "en"
        new.write_text(" ".join(pool[language][(n * 5 + i) % len(pool[language])] for i in range(5)) + "\n",
                       encoding="utf-8")
        started = time.perf_counter()
        refreshed = open_index(settings, embedder)
        added.append(time.perf_counter() - started)
        assert refreshed.rebuilt and refreshed.split == 1, (refreshed.rebuilt, refreshed.split)
        if n == args.add - 1:
            result["add_one_stages"] = refreshed.stages
            result["add_one_embedded"] = refreshed.embedded
    for n in range(args.add):
        (corpus / f"zz_added_{n:03d}.txt").unlink(missing_ok=True)
    if added:
        result["add_one_document_seconds"] = min_median(added)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def warm(args: argparse.Namespace) -> dict:
    """Warm latency over Q&A sets: retrieval (encode + dense + BM25 + fusion), answering, and the two together."""
    from rag.answer import answer_question
    from rag.evaluate import load_qa
    from rag.pipeline import ANSWER_PASSAGES, Pipeline
    from rag.settings import Settings

    settings = Settings(corpus_dir=Path(args.corpus), index_dir=Path(args.index), encoder=args.encoder)
    pipeline = Pipeline(settings)
    started = time.perf_counter()
    pipeline.open()
    opened = time.perf_counter() - started
    retriever, knowledge = pipeline._ready()
    questions = [row.question for path in args.qa for row in load_qa(Path(path))]
    depth = max(settings.top_k, ANSWER_PASSAGES)
    retrieval, answering, total = [], [], []
    for round_ in range(WARM_ROUNDS + 1):
        for question in questions:
            started = time.perf_counter()
            passages = retriever.search(question, depth)
            middle = time.perf_counter()
            answer_question(question, passages, knowledge)
            done = time.perf_counter()
            whole = pipeline.ask(question).latency_ms / 1000
            if round_:
                retrieval.append(middle - started)
                answering.append(done - middle)
                total.append(whole)
    return {
        "encoder": pipeline.embedder.info.encoder,
        "chunks": len(pipeline.index.chunks),
        "questions": len(questions),
        "rounds": WARM_ROUNDS,
        "open_seconds": round(opened, 3),
        "retrieval_ms": quantiles(retrieval),
        "answer_ms": quantiles(answering),
        "total_ms": quantiles(total),
        "peak_rss_mb": peak_rss_mb(),
    }


def quality(args: argparse.Namespace) -> dict:
    """`rag eval` metrics of every Q&A set against one index of all the articles, with the given encoder."""
    from rag.evaluate import load_qa, run_eval
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    shutil.rmtree(args.index, ignore_errors=True)
    settings = Settings(corpus_dir=Path(args.corpus), index_dir=Path(args.index), encoder=args.name)
    pipeline = Pipeline(settings)
    pipeline.open()
    rows = [row for path in args.qa for row in load_qa(Path(path))]
    _, metrics = run_eval(rows, pipeline.ask)
    keep = ("questions", "accuracy", "evidence_recall@1", "evidence_recall@3", "evidence_recall@5", "mrr", "f1")
    return {"encoder": pipeline.embedder.info.encoder, **{k: metrics[k] for k in keep}}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.project")
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("encoder")
    p.add_argument("name")
    p.add_argument("chunks")
    p.add_argument("questions")
    p.set_defaults(run=encoder)
    p = steps.add_parser("build")
    p.add_argument("corpus")
    p.add_argument("index")
    p.add_argument("--encoder", default="auto")
    p.add_argument("--add", type=int, default=0)
    p.add_argument("--raw-sample", type=int, default=2000)
    p.add_argument("--chunks-out")
    p.add_argument("--vectors-out")
    p.set_defaults(run=build)
    p = steps.add_parser("warm")
    p.add_argument("corpus")
    p.add_argument("index")
    p.add_argument("qa", nargs="+")
    p.add_argument("--encoder", default="auto")
    p.set_defaults(run=warm)
    p = steps.add_parser("quality")
    p.add_argument("name")
    p.add_argument("corpus")
    p.add_argument("index")
    p.add_argument("qa", nargs="+")
    p.set_defaults(run=quality)
    args = parser.parse_args(argv)
    print(json.dumps(args.run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
