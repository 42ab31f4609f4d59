"""The benchmark's Markdown report and printed summary, from the results dictionary alone."""

from __future__ import annotations

from typing import Any


def _get(results: dict, *path: str, default: Any = None) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def targets(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """(what, target, measured, met) for every target of the issue that this run measured."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def add(what: str, target: str, value: Any, met: bool | None, unit: str = "") -> None:
        rows.append((what, target, "not measured" if value is None else f"{value}{unit}", None if value is None else met))

    warm = _get(results, "warm", "bundled", "total_ms") or {}
    add("warm answer p50, bundled article", "≤ 10 ms", warm.get("p50"), (warm.get("p50") or 1e9) <= 10, " ms")
    add("warm answer p95, bundled article", "≤ 25 ms", warm.get("p95"), (warm.get("p95") or 1e9) <= 25, " ms")
    ask = _get(results, "cold", "ask", "seconds", "median")
    add("`rag ask` cold, median", "≤ 1.5 s", ask, (ask or 1e9) <= 1.5, " s")

    build = results.get("build") or {}
    encoder = build.get("encoder")
    raw = build.get("raw_encoder_chunks_per_s") or _get(results, "encoders", encoder or "", "chunks_per_s")
    chunks = build.get("chunks")
    retrieval_rate = round(chunks / build["retrieval_index_seconds"], 1) if chunks and build.get("retrieval_index_seconds") else None
    share = _ratio(retrieval_rate, raw)
    add(f"indexing (encode + FAISS + BM25 + write) vs raw {encoder} encoder", "≥ 0.8×", share, (share or 0) >= 0.8, "×")
    full_share = _ratio(build.get("chunks_per_s"), raw)
    add("full `rag index` (with sentence splitting and facts) vs raw encoder", "(≥ 0.8×)", full_share,
        (full_share or 0) >= 0.8, "×")
    small = results.get("build_small") or {}
    small_add = _get(small, "add_one_document_seconds", "median")
    add(f"add one short document to {small.get('chunks')} chunks ({small.get('documents')} articles), re-index median",
        "≤ 2 s", small_add, (small_add or 1e9) <= 2, " s")
    add_one = _get(build, "add_one_document_seconds", "median")
    add(f"add one short document to {chunks} chunks, re-index median", "≤ 2 s", add_one, (add_one or 1e9) <= 2, " s")

    big = _get(results, "scale", "1000000") or {}
    add("1M chunks: dense query p50", "≤ 20 ms", _get(big, "dense_ms", "p50"), (_get(big, "dense_ms", "p50") or 1e9) <= 20, " ms")
    add("1M chunks: recall@10 against exact", "≥ 0.95", big.get("recall_at_10"), (big.get("recall_at_10") or 0) >= 0.95)
    peak = max(big.get("build_peak_rss_mb") or 0, big.get("serve_peak_rss_mb") or 0) or None
    add("1M chunks: peak memory (build, serve)", "≤ 4096 MB", peak, (peak or 1e9) <= 4096, " MB")

    haystack_query = _get(results, "peer", "haystack", "query_ms", "p50")
    project_query = _get(results, "build_warm", "retrieval_ms", "p50")
    speedup = _ratio(haystack_query, project_query)
    add(f"warm query vs Haystack, {chunks} chunks (Haystack p50 / project p50)", "≥ 10×", speedup, (speedup or 0) >= 10, "×")
    haystack_index = _get(results, "peer", "haystack", "index_seconds")
    faster = _ratio(haystack_index, build.get("retrieval_index_seconds"))
    add("indexing vs Haystack (Haystack s / project encode + write s)", "≥ 1.3×", faster, (faster or 0) >= 1.3, "×")
    full_faster = _ratio(haystack_index, build.get("build_seconds"))
    add("full `rag index` vs Haystack (with splitting and facts)", "(≥ 1.3×)", full_faster, (full_faster or 0) >= 1.3, "×")
    base = _get(results, "quality", "torch", "evidence_recall@5")
    mine = _get(results, "quality", encoder or "", "evidence_recall@5")
    drop = round((mine - base) * 100, 1) if mine is not None and base is not None else None
    add(f"evidence recall@5, {encoder} vs fp32 sentence-transformers index", "≥ −1 point", drop,
        drop is not None and drop >= -1.0, " points")
    return rows


def render(results: dict) -> str:
    m = results.get("machine", {})
    lines = [
        f"# Benchmark {results.get('stamp', '')}",
        "",
        f"`{results.get('command', 'python -m bench')}` — {m.get('cores')} cores, {m.get('cpu', '')}, "
        f"{m.get('memory_gib')} GiB; load average {results.get('load_average_start')} at the start, "
        f"{results.get('load_average_end')} at the end; {results.get('total_seconds')} s in all.",
    ]
    busy = (results.get("busy_processes_start") or []) + (results.get("busy_processes_end") or [])
    if busy:
        lines += ["", "Other processes were using the CPU during the run (every figure is slower for it):", ""]
        lines += [f"- `{b}`" for b in dict.fromkeys(busy)]
    lines += ["", "## Targets", "", "| what | target | measured | |", "|---|---|---|---|"]
    for what, target, measured, met in targets(results):
        mark = "" if met is None else ("met" if met else "**missed**")
        lines.append(f"| {what} | {target} | {measured} | {mark} |")

    lines += ["", "## Latency", "", "| what | p50 ms | p95 ms | n |", "|---|---|---|---|"]
    for label, path in (
        ("warm retrieval, bundled article", ("warm", "bundled", "retrieval_ms")),
        ("warm answering, bundled article", ("warm", "bundled", "answer_ms")),
        ("warm total, bundled article", ("warm", "bundled", "total_ms")),
        ("warm retrieval, all project articles in one index, all Q&A sets", ("warm", "articles", "retrieval_ms")),
        ("warm answering, all project articles in one index, all Q&A sets", ("warm", "articles", "answer_ms")),
        ("warm total, all project articles in one index, all Q&A sets", ("warm", "articles", "total_ms")),
        (f"project retrieval, {_get(results, 'build', 'chunks')} chunks", ("build_warm", "retrieval_ms")),
        ("Haystack 2 query (embed + in-memory retriever)", ("peer", "haystack", "query_ms")),
        ("Haystack 2 in-memory retriever alone", ("peer", "haystack", "retriever_only_ms")),
        ("plain sentence-transformers + FAISS query", ("peer", "plain", "query_ms")),
    ):
        q = _get(results, *path) or {}
        if q:
            lines.append(f"| {label} | {q.get('p50')} | {q.get('p95')} | {q.get('n')} |")
    for name, enc in (results.get("encoders") or {}).items():
        q = enc.get("query_ms") or {}
        if q:
            lines.append(f"| query encoding, {name} | {q.get('p50')} | {q.get('p95')} | {q.get('n')} |")

    cold = results.get("cold") or {}
    if cold:
        lines += ["", "## Cold start (a fresh process, index built)", "", "| what | min s | median s | runs |",
                  "|---|---|---|---|"]
        for label, q in (("`rag ask` exec to printed answer", _get(cold, "ask", "seconds")),
                         ("`rag chat` exec to port open", _get(cold, "chat", "port_open_seconds")),
                         ("`rag chat` exec to first answer served", _get(cold, "chat", "first_answer_seconds"))):
            if q:
                lines.append(f"| {label} | {q['min']} | {q['median']} | {q['n']} |")

    build = results.get("build") or {}
    if build and "error" not in build:
        lines += ["", "## Indexing", "", "| what | seconds | chunks/s |", "|---|---|---|"]
        n = build["chunks"]
        lines.append(f"| full `rag index`, {build['documents']} documents, {n} chunks ({build['encoder']}) | "
                     f"{build['build_seconds']} | {build['chunks_per_s']} |")
        for stage, seconds in (build.get("stages") or {}).items():
            lines.append(f"| — {stage} | {seconds} | |")
        lines.append(f"| encode + write (what a retrieval-only system does) | {build['retrieval_index_seconds']} | "
                     f"{round(n / build['retrieval_index_seconds'], 1)} |")
        if build.get("raw_encoder_chunks_per_s"):
            lines.append(f"| raw {build['encoder']} encoder in the same process after the build, "
                         f"{build['raw_encoder_sample']} of the chunks | | {build['raw_encoder_chunks_per_s']} |")
        for name, enc in (results.get("encoders") or {}).items():
            if "chunks_per_s" in enc:
                lines.append(f"| raw encoder {name}, {enc['chunks']} of the same chunks, batches of 32 | "
                             f"{enc['encode_seconds']} | {enc['chunks_per_s']} |")
        for name, peer in (results.get("peer") or {}).items():
            if "index_seconds" in peer:
                lines.append(f"| {name} indexing the same {peer['chunks']} chunks | {peer['index_seconds']} | "
                             f"{peer['index_chunks_per_s']} |")
        add = build.get("add_one_document_seconds")
        if add:
            lines.append(f"| add one short document and re-index (median of {add['n']}) | {add['median']} | |")
        lines.append(f"\nPeak memory of the build: {build.get('build_peak_rss_mb')} MB.")

    quality = results.get("quality") or {}
    if quality:
        lines += ["", "## Retrieval and answer quality per encoder (all project articles in one index, all Q&A sets)", "",
                  "| encoder | questions | evidence recall@1 | @3 | @5 | MRR | accuracy |", "|---|---|---|---|---|---|---|"]
        for name, q in quality.items():
            if "error" not in q:
                cells = [q.get(k, "") for k in ("questions", "evidence_recall@1", "evidence_recall@3",
                                                "evidence_recall@5", "mrr", "accuracy")]
                lines.append(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")

    scale = results.get("scale") or {}
    if scale:
        lines += ["", "## Scale (the project's dense index and BM25)", "",
                  "| chunks | vectors | index | build s | dense p50 / p95 ms | recall@10 | BM25 p50 ms | "
                  "hybrid p50 ms | exact scan p50 ms | peak MB build / serve |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for size, s in scale.items():
            if "error" in s or "dense" not in s:
                continue
            kind = s["dense"]["type"] + (f" efSearch {s['dense']['ef_search']}" if "ef_search" in s["dense"] else "")
            lines.append(
                f"| {int(size):,} | {s['vectors']} | {kind} | {s['dense_build_seconds']} | "
                f"{s['dense_ms']['p50']} / {s['dense_ms']['p95']} | {s['recall_at_10']} | {s['bm25_ms']['p50']} | "
                f"{s['hybrid_ms']['p50']} | {s['exact_numpy_ms']['p50']} | {s['build_peak_rss_mb']} / "
                f"{s['serve_peak_rss_mb']} |")
        lines.append("\nBM25 build s: " + ", ".join(
            f"{int(k):,}: {v['bm25_tokenise_seconds'] + v['bm25_index_seconds']:.1f}" for k, v in scale.items()
            if "bm25_index_seconds" in v))
    errors = {k: v["error"] for k, v in results.items() if isinstance(v, dict) and "error" in v}
    if errors:
        lines += ["", "## Steps that failed", ""] + [f"- {k}: `{v.splitlines()[-1] if v else ''}`" for k, v in errors.items()]
    return "\n".join(lines) + "\n"


def summary(results: dict) -> str:
    lines = ["target                                                                  measured"]
    for what, target, measured, met in targets(results):
        mark = "" if met is None else ("ok" if met else "MISSED")
        lines.append(f"{what[:62]:<62} {target:>10}  {measured:<18} {mark}")
    return "\n".join(lines)
