"""Ways to damage a build on disk, and a way to make a manifest lie consistently (resealed, so that only the
loader's other checks can catch it)."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag import store
from rag.settings import Settings


def copy_index(settings: Settings, target: Path) -> Settings:
    """A copy of the index folder of `settings` (same corpus) that a test may damage."""
    shutil.copytree(settings.index_dir, target, symlinks=True)
    return settings.with_(index_dir=target)


def live(settings: Settings) -> Path:
    return store.current_build(Path(settings.index_dir))


def index_files(folder: Path) -> list[str]:
    """Every file of a build, the manifest included, as paths relative to the build folder."""
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    return sorted(manifest["files"]) + [store.MANIFEST]


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def random_bytes(path: Path) -> None:
    size = max(path.stat().st_size, 64)
    path.write_bytes(random.Random(path.name).randbytes(size))


def flip_middle_bit(path: Path) -> int:
    """Flip the lowest bit of the byte in the middle of the file; returns its offset. In a JSON or JSON-lines
    file the byte is the first from the middle on whose flip leaves the text parseable, so that only a checksum
    can tell."""
    data = bytearray(path.read_bytes())
    offset = len(data) // 2
    while True:
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        if path.suffix not in (".json", ".jsonl") or _parses(bytes(flipped), path.suffix):
            break
        offset += 1
    path.write_bytes(bytes(flipped))
    return offset


def _parses(data: bytes, suffix: str) -> bool:
    try:
        text = data.decode("utf-8")
        for line in text.splitlines() if suffix == ".jsonl" else [text]:
            if line.strip():
                json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return True


def reseal(folder: Path, edit: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Rewrite the manifest as a consistent liar: apply `edit`, record the files as they now are, seal it."""
    path = folder / store.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if edit is not None:
        edit(manifest)
    manifest["files"] = store.checksums(folder)
    manifest[store.SEAL] = store.manifest_digest(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def temp_entries(index_dir: Path) -> list[str]:
    return sorted(p.name for p in Path(index_dir).iterdir() if p.name.startswith(store.TEMP_PREFIX))


def builds(index_dir: Path) -> list[str]:
    return sorted(p.name for p in Path(index_dir).glob(f"{store.BUILD_PREFIX}*"))
