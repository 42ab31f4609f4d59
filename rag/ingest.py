"""Read documents from files: plain text, Markdown, HTML and PDF.

A file that cannot be used is skipped with a reason; the rest are still read.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import CorpusError
from .language import detect_language
from .records import Document, SkippedFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000  # a longer line is not prose (a data dump, a minified file): it would stall splitting
PDF_STREAM_BYTES = 16 * 1024 * 1024  # one PDF stream may inflate to this much; a bomb stops here
PDF_SECONDS = 120.0  # reading one PDF's pages stops after this long
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Unusable(Exception):
    """Raised by a reader when a file has no usable text; the message is the reason."""


def load_documents(
    paths: Iterable[Path], known_languages: Mapping[str, str] | None = None
) -> tuple[list[Document], list[SkippedFile]]:
    """Read every supported file under `paths` (files or folders), in a stable order.

    `known_languages` ({document id: language}, from the previous build) spares detecting the language of
    text seen before: the id is the text's sha256.

    Raises CorpusError when a path does not exist or nothing usable is found.
    """
    files = list(corpus_files(paths))
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for path, name in files:
        try:
            document = read_document(path, name, known_languages)
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


def read_document(path: Path, name: str, known_languages: Mapping[str, str] | None = None) -> Document:
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
    if not data:
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
        raise Unusable(_no_text_reason(suffix, text))
    longest = max(len(line) for line in text.split("\n"))
    if longest > MAX_LINE_CHARS:
        raise Unusable(
            f"no prose: a line of {longest:,} characters (at most {MAX_LINE_CHARS:,}); break it into lines or paragraphs"
        )
    doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()
    language = known_languages.get(doc_id) if known_languages else None
    return Document(
        id=doc_id,
        name=name,
        text=text,
        language=language or detect_language(text),
        source_sha256=hashlib.sha256(data).hexdigest(),
        size=size,
    )


def _no_text_reason(suffix: str, text: str) -> str:
    if suffix == ".pdf":
        return "no text: the PDF has no extractable text (a scan needs OCR first)"
    if not text:
        return "no text: only whitespace or markup"
    return "no text: only punctuation or symbols, no letters or digits"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM first; any other encoding is detected.

    Detection on short texts is unsure, and this tool reads German and English: when Windows-1252 (the
    usual legacy encoding of both) reads the bytes as more plausible Latin text than the detector's guess,
    it wins.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise Unusable("damaged UTF-16 text") from None
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = str(best) if best is not None else None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    candidates = [t for t in (western, guess) if t is not None]
    if not candidates:
        raise Unusable("binary file or unknown text encoding")
    return _checked(max(candidates, key=_latin_plausibility))


def _latin_plausibility(text: str) -> float:
    """Share of characters that German or English text is made of."""
    sample = text[:20000]
    if not sample:
        return 0.0
    good = sum(1 for ch in sample if ch.isascii() and (ch.isalnum() or ch in " \n\t.,;:!?'\"()-") or ch in _GERMAN_LETTERS)
    return good / len(sample)


_GERMAN_LETTERS = set("äöüÄÖÜßéèàáíóúñçÉ€„“”‚‘’–—…«»°§")


def _checked(text: str) -> str:
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
    for tag in soup.find_all(lambda t: t.has_attr("hidden") or re.search(
            r"display\s*:\s*none|visibility\s*:\s*hidden", str(t.get("style", "")), re.I)):
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
    """Drop the Markdown syntax that is not prose: headings, emphasis, links, images, quotes, rules, fences,
    tables and inline HTML."""
    text = re.sub(r"^[ \t]*(```|~~~).*$", "", text, flags=re.MULTILINE)  # code fences (their language tag too)
    text = re.sub(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", "", text, flags=re.MULTILINE)  # --- rules
    text = re.sub(r"^[ \t]{0,3}(=+|-+)[ \t]*$", "", text, flags=re.MULTILINE)  # setext heading underlines
    text = re.sub(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]*\|(.*)\|[ \t]*$", lambda m: "  ".join(c.strip() for c in m.group(1).split("|")), text,
                  flags=re.MULTILINE)  # table rows
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)  # inline HTML
    text = re.sub(r"^[ \t]{0,3}(?:>[ \t]?)+", "", text, flags=re.MULTILINE)  # blockquotes
    text = re.sub(r"^[ \t]{0,3}#{1,6}[ \t]*", "", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]{0,3}(?:[-*+]|\d+\.)[ \t]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    return text.replace("`", "")


def pdf_text(data: bytes) -> str:
    """The text of every page, read with pypdf's resource limits tightened: a stream that inflates beyond
    PDF_STREAM_BYTES (a decompression bomb), a cyclic or too deep page tree, or reading longer than PDF_SECONDS
    raises Unusable with the reason instead of using the memory or time."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

    # pypdf logs a warning for each problem it works around: a hostile file makes tens of thousands of lines.
    # Problems that matter raise, and become the reason the file is skipped.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    limits = {name: PDF_STREAM_BYTES for name in _PDF_OUTPUT_LIMITS}
    deadline = time.monotonic() + PDF_SECONDS
    pages = []
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data))
            for number, page in enumerate(reader.pages, start=1):
                if time.monotonic() > deadline:
                    raise Unusable(f"reading the PDF took over {PDF_SECONDS:.0f} s (stopped at page {number})")
                pages.append(page.extract_text() or "")
    except LimitReachedError as exc:
        detail = _first_line(exc)
        if "decompress" in detail.lower():
            raise Unusable(
                f"a PDF stream inflates to over {PDF_STREAM_BYTES // (1024 * 1024)} MB: a decompression bomb, "
                "or a page too large to read"
            ) from None
        raise Unusable(f"PDF over a safety limit ({detail})") from None
    except (PdfReadError, PyPdfError) as exc:
        raise Unusable(f"damaged PDF ({_first_line(exc)})") from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError, OSError, MemoryError,
            zlib.error) as exc:
        raise Unusable(f"damaged PDF ({type(exc).__name__}: {_first_line(exc)})") from None
    return "\n".join(_join_wrapped_lines(page) for page in pages)


# pypdf's limits on what one stream may decode to while reading text (its defaults are 75 MB each). The raw
# size of a stream (a large embedded image, say) keeps pypdf's own limit: text extraction does not decode it.
_PDF_OUTPUT_LIMITS = (
    "array_based_stream_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "zlib_maximum_output_length",
    "brotli_maximum_output_length",
)


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


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
