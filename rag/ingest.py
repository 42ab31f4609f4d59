"""Read documents from files: plain text, Markdown, HTML and PDF.

A file that cannot be used is skipped with a reason; the rest are still read.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import CorpusError
from .language import detect_language
from .records import Document, SkippedFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
MAX_FILE_BYTES = 64 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Unusable(Exception):
    """Raised by a reader when a file has no usable text; the message is the reason."""


def load_documents(paths: Iterable[Path]) -> tuple[list[Document], list[SkippedFile]]:
    """Read every supported file under `paths` (files or folders), in a stable order.

    Raises CorpusError when a path does not exist or nothing usable is found.
    """
    files = list(corpus_files(paths))
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for path, name in files:
        try:
            document = read_document(path, name)
        except Unusable as exc:
            skipped.append(SkippedFile(name, str(exc)))
            continue
        if document.id in seen:
            skipped.append(SkippedFile(name, f"same content as {seen[document.id]}"))
            continue
        seen[document.id] = name
        documents.append(document)
    if not documents:
        where = ", ".join(str(p) for p in paths) or "(no path)"
        raise CorpusError(
            f"no usable document in {where}: add .txt, .md, .html or .pdf files with text"
        )
    return documents, skipped


def corpus_files(paths: Iterable[Path]) -> Iterable[tuple[Path, str]]:
    """Yield (path, display name) for each file; hidden files and folders are left out."""
    for root in paths:
        root = Path(root)
        if not root.exists():
            raise CorpusError(f"{root} does not exist: pass a folder or files with --corpus")
        if root.is_file():
            yield root, root.name
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                continue
            yield path, relative.as_posix()


def read_document(path: Path, name: str) -> Document:
    """Read one file into a Document, or raise Unusable with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise Unusable(f"unsupported type {suffix or '(none)'}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Unusable(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise Unusable(f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise Unusable("empty file")
    if suffix == ".pdf":
        text = pdf_text(data)
    else:
        text = decode_text(data)
        if suffix in (".html", ".htm"):
            text = html_text(text)
        elif suffix == ".md":
            text = markdown_text(text)
    text = clean_text(text)
    if not re.search(r"\w", text):
        raise Unusable("no text")
    return Document(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        name=name,
        text=text,
        language=detect_language(text),
        source_sha256=hashlib.sha256(data).hexdigest(),
        size=size,
    )


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; any other encoding is detected."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise Unusable("binary file or unknown text encoding") from None
        text = str(best)
    if _looks_binary(text):
        raise Unusable("binary file, not text")
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    return controls > max(8, len(sample) // 20)


def html_text(markup: str) -> str:
    """Visible text only: scripts, styles and markup are dropped; blocks become lines."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]):
        tag.decompose()
    for tag in soup(_BLOCK_TAGS):
        tag.insert_after("\n")
    for tag in soup("br"):
        tag.replace_with("\n")
    text = soup.get_text("")
    return re.sub(r"[ \t]*\n[ \t\n]*", "\n", re.sub(r"[ \t]+", " ", text))


_BLOCK_TAGS = [
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "li", "ul", "ol", "dl", "dt",
    "dd", "table", "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "title",
    "h1", "h2", "h3", "h4", "h5", "h6",
]


def markdown_text(text: str) -> str:
    """Drop the Markdown syntax that is not prose: heading marks, emphasis, link targets, images."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}(?:[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return text


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, PyPdfError) as exc:
        raise Unusable(f"damaged PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        raise Unusable(f"damaged PDF ({type(exc).__name__}: {exc})") from None
    return "\n".join(_join_wrapped_lines(page) for page in pages)


def _join_wrapped_lines(page: str) -> str:
    """PDF text comes in layout lines; a line that does not end a sentence continues on the next."""
    page = re.sub(r"(\w)-\n(\w)", r"\1\2", page)
    return re.sub(r"(?<![.!?:;\"\u201c\u201d])\n(?=\S)", " ", page)


def clean_text(text: str) -> str:
    """NFC, Unix newlines, no control characters, no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text).replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
