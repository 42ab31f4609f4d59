"""Hostile PDFs, made byte by byte: truncated, a cyclic page tree, deep nesting, and a decompression bomb."""

from __future__ import annotations

import zlib

from helpers import assemble_pdf as assemble
from helpers import make_pdf

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R%s >>")
TEXT = b"BT /F1 12 Tf 72 720 Td (Samsung met Qualcomm in San Jose.) Tj ET"


def stream(content: bytes, *, compressed: bool = False) -> bytes:
    if compressed:
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def one_page(content: bytes, *, compressed: bool = False, page_extra: bytes = b"") -> bytes:
    return assemble([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE % page_extra,
                     stream(content, compressed=compressed), FONT])


def truncated() -> bytes:
    whole = make_pdf(["Samsung met Qualcomm in San Jose on 10 June.", "They spoke about chips."])
    return whole[: len(whole) // 2]


def cyclic_page_tree() -> bytes:
    """The root Pages node has a kid whose kid is the root again."""
    return assemble([CATALOG, b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>", PAGE % b"", stream(TEXT), FONT,
                     b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"])


def deep_array_in_page(depth: int = 100_000) -> bytes:
    return one_page(TEXT, page_extra=b" /Deep " + b"[" * depth + b"]" * depth)


def deep_array_in_content(depth: int = 100_000) -> bytes:
    return one_page(TEXT + b" " + b"[" * depth + b"]" * depth)


def deep_page_tree(depth: int = 5_000) -> bytes:
    """Pages nodes nested `depth` deep above one page."""
    objects = [CATALOG]
    for level in range(depth):
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (len(objects) + 2))
    page = len(objects) + 1
    objects.append(b"<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
                   b"/Contents %d 0 R >>" % (page + 2, page + 1))
    objects += [stream(TEXT), FONT]
    return assemble(objects)


def bomb(megabytes: int, fill: bytes = b" ") -> bytes:
    """One page whose content stream is a few hundred KB of Flate that inflates to `megabytes` MB."""
    compressor = zlib.compressobj(9)
    block = fill * (1 << 20)
    packed = b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()
    return one_page(packed, compressed=True)
