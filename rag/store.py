"""The on-disk side of an index: build folders, checksums, the `current` pointer and the writer lock.

A build is written into a fresh hidden folder, every file is fsynced, and only then does the `current`
symlink switch to it with one atomic rename. A crash at any point leaves `current` at the old build.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import IndexCorrupt, IndexMissing, RagError

CURRENT = "current"
BUILD_PREFIX = "build-"
TEMP_PREFIX = ".tmp-"
LOCK_FILE = ".lock"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(f"{path} is unreadable ({exc}): run `rag index --rebuild`") from None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(f"{path} is unreadable ({exc}): run `rag index --rebuild`") from None


def checksums(folder: Path) -> dict[str, dict[str, Any]]:
    """sha256 and size of every file in a build folder except the manifest, keyed by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            out[path.relative_to(folder).as_posix()] = {"sha256": file_sha256(path), "size": path.stat().st_size}
    return out


def verify_checksums(folder: Path, expected: dict[str, dict[str, Any]]) -> None:
    """Every listed file present, of the listed size and hash; raise IndexCorrupt naming the first that is not."""
    for name, meta in expected.items():
        path = folder / name
        if not path.is_file():
            raise IndexCorrupt(f"{path} is missing: run `rag index --rebuild`")
        if path.stat().st_size != meta["size"] or file_sha256(path) != meta["sha256"]:
            raise IndexCorrupt(f"{path} is damaged (checksum mismatch): run `rag index --rebuild`")


def current_build(index_dir: Path) -> Path:
    """The folder of the live build; IndexMissing when there is none."""
    link = index_dir / CURRENT
    if not link.is_symlink() and not link.exists():
        raise IndexMissing(f"no index in {index_dir}: build one with `rag index`")
    target = link.resolve()
    if not target.is_dir():
        raise IndexCorrupt(f"{link} points at a missing build: run `rag index --rebuild`")
    return target


@contextlib.contextmanager
def writer_lock(index_dir: Path, *, wait: bool = True) -> Iterator[None]:
    """One writer at a time per index folder; readers never wait."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "a+") as handle:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            raise RagError(f"another build of {index_dir} is running: wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def new_build(index_dir: Path) -> Iterator[Path]:
    """A fresh temporary folder to write a build into; removed again unless `publish` took it."""
    remove_leftovers(index_dir)
    folder = index_dir / f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def clean_up_if_idle(index_dir: Path) -> None:
    """Remove what crashed builds left behind, unless a build is running right now."""
    if not any(p.name.startswith(TEMP_PREFIX) for p in index_dir.iterdir()):
        return
    try:
        with writer_lock(index_dir, wait=False):
            remove_leftovers(index_dir)
    except RagError:
        pass  # a build is running; it cleans up after itself


def publish(index_dir: Path, folder: Path) -> Path:
    """fsync the build, move it to its final name and point `current` at it, atomically."""
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync_file(path)
    _fsync_dir(folder)
    final = index_dir / f"{BUILD_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(folder, final)
    link_tmp = index_dir / f"{TEMP_PREFIX}link-{uuid.uuid4().hex[:8]}"
    os.symlink(final.name, link_tmp)
    try:
        os.replace(link_tmp, index_dir / CURRENT)
    except OSError:
        link_tmp.unlink(missing_ok=True)
        shutil.rmtree(final, ignore_errors=True)
        raise
    _fsync_dir(index_dir)
    return final


def remove_leftovers(index_dir: Path, *, keep_previous: int = 1) -> None:
    """Delete temporary folders of crashed builds and all but the newest `keep_previous` old builds.

    Call only while holding the writer lock.
    """
    if not index_dir.is_dir():
        return
    live = (index_dir / CURRENT).resolve() if (index_dir / CURRENT).is_symlink() else None
    for path in index_dir.iterdir():
        if path.name.startswith(TEMP_PREFIX):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    old = sorted(
        (p for p in index_dir.glob(f"{BUILD_PREFIX}*") if p.is_dir() and p.resolve() != live),
        key=lambda p: p.stat().st_mtime,
    )
    for path in old[: max(0, len(old) - keep_previous)]:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:  # pragma: no cover - platforms without directory fds
        if exc.errno in (errno.EISDIR, errno.EACCES):
            return
        raise
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
