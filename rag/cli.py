"""The `rag` command: parse, call the pipeline, print. Heavy libraries load only inside the commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


from .errors import RagError
from .settings import Settings

EXAMPLES = """examples:
  rag index                                  build or refresh the index from ./corpus
  rag ask "Who attended the Amazon meeting?"
  rag search "Qualcomm San Jose" -k 3 --json
  rag eval tests/data/qa/samsung_lee.jsonl --predictions predictions.jsonl
  rag chat --port 7860                       the browser app on http://127.0.0.1:7860

environment: RAG_CORPUS_DIR, RAG_INDEX_DIR, RAG_EMBED_MODEL, RAG_TOP_K, RAG_CHUNK_SENTENCES, RAG_CHUNK_OVERLAP
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        sys.stderr.write(f"rag: error: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-c", "--corpus", type=Path, help="folder of documents (default: ./corpus)")
    common.add_argument("-i", "--index", type=Path, help="folder where indexes live (default: ./index)")
    common.add_argument("-m", "--model", help="sentence-transformers model name or path (default: bundled MiniLM)")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON records instead of text")

    parser = _Parser(
        prog="rag",
        description="Answer questions from your own documents, offline, with citations.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rag {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    index = commands.add_parser("index", parents=[common], help="build or refresh the index")
    index.add_argument("--rebuild", action="store_true", help="re-embed everything, even unchanged documents")
    index.set_defaults(run=cmd_index)

    search = commands.add_parser("search", parents=[common, as_json], help="show the passages retrieved for a question")
    search.add_argument("question")
    search.add_argument("-k", "--top-k", type=int, default=5, help="how many passages (default 5)")
    search.set_defaults(run=cmd_search)

    ask = commands.add_parser("ask", parents=[common, as_json], help="answer a question with citations")
    ask.add_argument("question")
    ask.set_defaults(run=cmd_ask)

    evaluate = commands.add_parser("eval", parents=[common, as_json], help="score the system on a Q&A test set")
    evaluate.add_argument("qa_file", type=Path, metavar="QA.jsonl")
    evaluate.add_argument("-p", "--predictions", type=Path, help="write one prediction row per question here")
    evaluate.set_defaults(run=cmd_eval)

    chat = commands.add_parser("chat", parents=[common], help="start the chat in the browser")
    chat.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    chat.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    chat.add_argument("--share", action="store_true", help="also ask Gradio for a public share link")
    chat.add_argument("--qa", type=Path, default=Path("tests/data/qa/samsung_lee.jsonl"), metavar="QA.jsonl",
                      help="the Q&A set the Evaluate page offers (default: tests/data/qa/samsung_lee.jsonl)")
    chat.add_argument("--max-upload-mb", type=int, default=20, metavar="MB",
                      help="largest document the Documents page accepts (default 20)")
    chat.set_defaults(run=cmd_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env().with_(corpus_dir=args.corpus, index_dir=args.index, model=args.model)
        return args.run(args, settings) or 0
    except RagError as exc:
        sys.stderr.write(f"rag: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("rag: interrupted\n")
        return 130


def _pipeline(settings: Settings, *, progress: bool = True, rebuild: bool = False):
    from .pipeline import Pipeline

    pipeline = Pipeline(settings)
    report = pipeline.open(progress=progress, rebuild=rebuild)
    if report.rebuilt:
        for skipped in report.skipped:
            sys.stderr.write(f"rag: warning: skipped {skipped.name}: {skipped.reason}\n")
    return pipeline, report


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    pipeline, report = _pipeline(settings, rebuild=args.rebuild)
    counts = report.index.manifest["counts"]
    if report.rebuilt:
        why = "; ".join(report.reasons)
        print(
            f"indexed {counts['documents']} documents, {counts['sentences']} sentences, {counts['chunks']} chunks "
            f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s -> {report.index.path}"
            + (f" [{why}]" if why else "")
        )
    else:
        print(f"index is up to date: {counts['documents']} documents, {counts['chunks']} chunks in {report.index.path}")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    if args.top_k < 1:
        raise RagError(f"-k must be at least 1, got {args.top_k}")
    pipeline, _ = _pipeline(settings)
    passages = pipeline.search(args.question, args.top_k)
    if args.json:
        for passage in passages:
            print(json.dumps(passage.to_dict(), ensure_ascii=False))
        return 0
    for rank, passage in enumerate(passages, start=1):
        print(f"[{rank}] {passage.doc}:{passage.start}-{passage.end}  score {passage.score:.4f} "
              f"(dense {passage.dense_score:.3f}, bm25 {passage.bm25_score:.2f})")
        print(f"    {_one_line(passage.text)}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    pipeline, _ = _pipeline(settings)
    answer = pipeline.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    if answer.abstained:
        from .answer import ABSTAIN_TEXT

        print(ABSTAIN_TEXT)
        print("Closest passages:")
        for rank, passage in enumerate(answer.passages[:3], start=1):
            print(f"  [{rank}] {passage.doc}:{passage.start}-{passage.end}  {_one_line(passage.text, 160)}")
        return 0
    print(answer.text)
    for n, citation in enumerate(answer.citations, start=1):
        print(f"  [{n}] {citation.doc}:{citation.start}-{citation.end}  \"{_one_line(citation.text)}\"")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .evaluate import format_metrics, load_qa, run_eval

    rows = load_qa(args.qa_file)
    pipeline, _ = _pipeline(settings)
    predictions, metrics = run_eval(rows, pipeline.ask)
    if args.predictions:
        try:
            with open(args.predictions, "w", encoding="utf-8") as handle:
                for row in predictions:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise RagError(f"cannot write {args.predictions}: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps(metrics))
    else:
        print(f"{args.qa_file}: {len(rows)} questions")
        print(format_metrics(metrics))
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from ui.app import serve

    if args.max_upload_mb < 1:
        raise RagError(f"--max-upload-mb must be at least 1, got {args.max_upload_mb}")
    pipeline, _ = _pipeline(settings)
    print(f"serving the chat on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    serve(pipeline, host=args.host, port=args.port, share=args.share, qa_path=args.qa,
          max_upload_bytes=args.max_upload_mb * 1024 * 1024)
    return 0


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _version() -> str:
    from . import __version__

    return __version__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


