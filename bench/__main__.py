"""`python -m bench` (or `make bench`): speed and scale of the project, side by side with a peer.

Every step runs in its own process; the results go to bench/results/bench-<time>.json and .md, and a summary is
printed. Steps: cold start, warm latency, retrieval quality per encoder, indexing (full and incremental), raw
encoder throughput, the peers (Haystack 2 in memory; plain sentence-transformers + FAISS), and scale.

    python -m bench                      everything; scale up to 1M chunks (about half an hour on 2 cores)
    python -m bench --max-size 100000    scale up to 100k chunks
    python -m bench --quick              small sizes and fewer repeats: a smoke run of every step
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from pathlib import Path

from bench import cold
from bench.corpus import ARTICLES, BUNDLED, CACHE, QA_DIR, write_documents
from bench.measure import REPO, busy_processes, load_average, machine, run_json
from bench.report import render, summary

SIZES = (1_000, 10_000, 100_000, 1_000_000)
STEPS = ("cold", "warm", "quality", "build", "encoders", "peer", "scale")
ENCODERS = ("torch", "onnx", "onnx-int8")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k chunks, sizes up to 10k, fewer repeats")
    parser.add_argument("--max-size", type=int, default=SIZES[-1], help="largest scale size (default 1000000)")
    parser.add_argument("--chunks", type=int, default=10_000, help="chunks for indexing and the peers (default 10000)")
    parser.add_argument("--encoder-sample", type=int, default=2_000, help="chunks to time the raw encoders on")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each cold start and re-index (default 5)")
    parser.add_argument("--skip", nargs="*", default=[], choices=STEPS, help="steps to leave out")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args(argv)
    if args.quick:
        args.chunks, args.encoder_sample, args.repeats = 1_000, 500, 2
        args.max_size = min(args.max_size, 10_000)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    results: dict = {"command": command.strip(), "machine": machine(), "load_average_start": load_average(),
                     "busy_processes_start": busy_processes()}
    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / "run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    started = time.perf_counter()
    bundled = work / "bundled"
    bundled.mkdir()
    shutil.copy(BUNDLED, bundled / BUNDLED.name)
    articles = work / "articles"
    articles.mkdir()
    for path in ARTICLES:
        shutil.copy(path, articles / path.name)
    qa_sets = [str(p) for p in sorted(QA_DIR.glob("*.jsonl"))]
    bundled_qa = str(QA_DIR / "samsung_lee.jsonl")

    def step(name: str, run) -> None:
        if name in args.skip:
            return
        began = time.perf_counter()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        try:
            results[name] = run()
        except Exception as exc:  # one failing step must not lose the others' figures
            results[name] = {"error": str(exc)[-2000:]}
            print(f"bench: {name} failed: {str(exc)[-500:]}", file=sys.stderr, flush=True)
        results.setdefault("step_seconds", {})[name] = round(time.perf_counter() - began, 1)
        _save(args.out, results, partial=True)

    step("cold", lambda: {
        "ask": cold.ask(bundled, work / "bundled-index", "auto", args.repeats),
        "chat": cold.chat(bundled, work / "bundled-index", "auto", max(2, args.repeats // 2)),
    })
    step("warm", lambda: {
        "bundled": run_json(["-m", "bench.project", "warm", str(bundled), str(work / "bundled-index"), bundled_qa]),
        "articles": run_json(["-m", "bench.project", "warm", str(articles), str(work / "articles-index"), *qa_sets]),
    })
    step("quality", lambda: {
        name: run_json(["-m", "bench.project", "quality", name, str(articles), str(work / f"quality-{name}"), *qa_sets])
        for name in ENCODERS
    })
    docs = work / "docs"
    chunks_file, vectors_file = work / "chunks.json", CACHE / f"real-vectors-{args.chunks}.npy"
    questions_file = work / "questions.json"
    from rag.evaluate import load_qa

    questions_file.write_text(json.dumps([r.question for r in load_qa(Path(bundled_qa))], ensure_ascii=False))

    def build() -> dict:
        write_documents(docs, math.ceil(args.chunks / 10 * 1.02))
        return run_json(["-m", "bench.project", "build", str(docs), str(work / "docs-index"), "--add",
                         str(args.repeats), "--raw-sample", str(args.encoder_sample), "--chunks-out", str(chunks_file), "--vectors-out", str(vectors_file)])

    step("build_small", lambda: run_json(["-m", "bench.project", "build", str(articles), str(work / "articles-add"),
                                          "--add", str(args.repeats), "--raw-sample", "0"]))
    step("build", build)
    if "build" not in args.skip and "error" not in results.get("build", {}):
        step("build_warm", lambda: run_json(["-m", "bench.project", "warm", str(docs), str(work / "docs-index"),
                                             bundled_qa]))
    sample = work / "sample.json"

    def encoders() -> dict:
        texts = json.loads(chunks_file.read_text(encoding="utf-8"))
        sample.write_text(json.dumps(texts[: args.encoder_sample], ensure_ascii=False), encoding="utf-8")
        return {name: run_json(["-m", "bench.project", "encoder", name, str(sample), str(questions_file)])
                for name in ENCODERS}

    step("encoders", encoders)
    step("peer", lambda: {
        name: run_json(["-m", "bench.peer", name, str(chunks_file), str(questions_file)]) for name in ("haystack", "plain")
    })

    def scale() -> dict:
        out = {}
        for size in [s for s in SIZES if s <= args.max_size]:
            built = run_json(["-m", "bench.scale", "build", str(size), str(vectors_file)])
            served = run_json(["-m", "bench.scale", "serve", str(size)])
            out[str(size)] = {**built, **served}
            _save(args.out, {**results, "scale": out}, partial=True)
        return out

    step("scale", scale)
    results["load_average_end"] = load_average()
    results["busy_processes_end"] = busy_processes()
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    json_path, md_path = _save(args.out, results, partial=False)
    print(summary(results))
    print(f"\nwritten: {json_path} and {md_path}")
    return 0


def _save(out: Path, results: dict, *, partial: bool) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stamp = results.setdefault("stamp", time.strftime("%Y%m%d-%H%M%S"))
    json_path = out / (f"bench-{stamp}.json" + (".tmp" if partial else ""))
    md_path = out / f"bench-{stamp}.md"
    json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not partial:
        json_path.with_name(json_path.name + ".tmp").unlink(missing_ok=True)
        md_path.write_text(render(results), encoding="utf-8")
    return json_path, md_path


if __name__ == "__main__":
    sys.exit(main())
