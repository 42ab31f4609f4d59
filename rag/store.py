"""The on-disk side of an index: build folders, checksums, the `current` pointer and the writer lock.

A build is written into a fresh hidden folder, every file and folder is fsynced, and only then does the
`current` symlink switch to it with one atomic rename. A crash at any point leaves `current` at the old build
or, once the rename is done, at the complete new one; the next run removes what the crash left. A write that
fails (a full disk, an I/O error) removes the half-written build and raises IndexWriteError naming the cause.

Loading trusts nothing it has not checked: the manifest carries its own sha256 ("manifest_sha256", over its
canonical JSON) and the sha256 and size of every other file; the FAISS file's header must agree with the
manifest before FAISS reads it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import hashlib
import json
import os
import shutil
import struct
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import IndexCorrupt, IndexMissing, IndexWriteError, RagError

CURRENT = "current"
BUILD_PREFIX = "build-"
TEMP_PREFIX = ".tmp-"
LOCK_FILE = ".lock"
MANIFEST = "manifest.json"
SEAL = "manifest_sha256"  # the manifest's own checksum, a key of the manifest itself

# How every FAISS index file starts: fourcc, dimension (int32), vector count (int64).
FAISS_HEADER = struct.Struct("<4siq")
# An IndexFlat file besides its float32 vectors: the header (37 bytes) and the vectors' byte length (8).
FLAT_FILE_OVERHEAD = 45
JSONL_LINES_PER_WRITE = 4096  # lines joined into one write: few calls, little memory at any index size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, data: Any) -> None:
    with _named_errors(path), open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    """One JSON object a line, UTF-8: dicts, or dataclass records (as their fields, in order). orjson: the
    records of a 10k-chunk index are ~140k lines, and the standard library took most of an incremental
    build's time writing and reading them."""
    import orjson

    dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    with _named_errors(path), open(path, "wb") as handle:
        lines: list[bytes] = []
        for row in rows:
            lines.append(dumps(row, option=newline))
            if len(lines) == JSONL_LINES_PER_WRITE:
                handle.write(b"".join(lines))
                lines.clear()
        handle.write(b"".join(lines))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for reading and writing the records of an index, ~140k objects
    with no reference cycles, during which Python's collector would otherwise run over and over over all of
    them (it doubled the time to load a 10k-chunk index)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(f"{path} is unreadable ({_one_line(exc)}): run `rag index --rebuild`") from None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    import orjson

    try:
        with open(path, "rb") as handle:
            return [orjson.loads(line) for line in handle if line.strip()]
    except (OSError, orjson.JSONDecodeError) as exc:
        raise IndexCorrupt(f"{path} is unreadable ({_one_line(exc)}): run `rag index --rebuild`") from None


def checksums(folder: Path) -> dict[str, dict[str, Any]]:
    """sha256 and size of every file in a build folder except the manifest, keyed by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            out[path.relative_to(folder).as_posix()] = {"sha256": file_sha256(path), "size": path.stat().st_size}
    return out


def manifest_digest(manifest: dict[str, Any]) -> str:
    """sha256 of the manifest's content (its canonical JSON without the seal): formatting does not count."""
    content = {key: value for key, value in manifest.items() if key != SEAL}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal_manifest(folder: Path) -> None:
    """Add the manifest's own checksum to it, so that a damaged manifest is caught like any other file."""
    path = folder / MANIFEST
    manifest = read_json(path)
    manifest[SEAL] = manifest_digest(manifest)
    write_json(path, manifest)


def check_seal(manifest: Any, path: Path) -> None:
    """Raise IndexCorrupt when the manifest's own checksum does not match its content (a manifest written
    before seals existed has none to check)."""
    if not isinstance(manifest, dict) or (SEAL in manifest and manifest[SEAL] != manifest_digest(manifest)):
        raise IndexCorrupt(f"{path} is damaged (checksum mismatch): run `rag index --rebuild`")


def verify_checksums(folder: Path, expected: dict[str, dict[str, Any]]) -> None:
    """The manifest's own seal, then every listed file present, of the listed size and hash; raise
    IndexCorrupt naming the first that is not. A manifest written before seals existed has none to check."""
    check_seal(read_json(folder / MANIFEST), folder / MANIFEST)
    for name, meta in expected.items():
        path = folder / name
        try:
            if not path.is_file():
                raise IndexCorrupt(f"{path} is missing: run `rag index --rebuild`")
            if path.stat().st_size != meta["size"] or file_sha256(path) != meta["sha256"]:
                raise IndexCorrupt(f"{path} is damaged (checksum mismatch): run `rag index --rebuild`")
        except OSError as exc:
            raise IndexCorrupt(f"{path} cannot be read ({exc.strerror or exc}): run `rag index --rebuild`") from None


def check_faiss_header(
    path: Path, *, fourcc: bytes | None, kind: str, dimension: int, vectors: int, flat: bool
) -> None:
    """Refuse a FAISS file whose type, dimension, vector count or size disagree with the manifest, before FAISS
    reads it: FAISS loads many damaged or foreign files, and allocates whatever a damaged header claims."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(FAISS_HEADER.size)
    except OSError as exc:
        raise IndexCorrupt(f"{path} cannot be read ({exc.strerror or exc}): run `rag index --rebuild`") from None
    if fourcc is None or len(head) < FAISS_HEADER.size or head[:4] != fourcc:
        raise IndexCorrupt(f"{path} is not a {kind} FAISS index: run `rag index --rebuild`")
    _, found_dimension, found_vectors = FAISS_HEADER.unpack(head)
    if found_dimension != dimension or found_vectors != vectors:
        raise IndexCorrupt(
            f"{path} has {found_vectors} vectors of dimension {found_dimension}, the manifest says "
            f"{vectors} of {dimension}: run `rag index --rebuild`"
        )
    if dimension < 1 or vectors < 0:
        raise IndexCorrupt(f"{path} claims {vectors} vectors of dimension {dimension}: run `rag index --rebuild`")
    data = 4 * dimension * vectors
    if flat and size != FLAT_FILE_OVERHEAD + data:
        raise IndexCorrupt(
            f"{path} is {size} bytes, but {vectors} vectors of dimension {dimension} take "
            f"{FLAT_FILE_OVERHEAD + data}: run `rag index --rebuild`"
        )
    if size < data:
        raise IndexCorrupt(
            f"{path} is {size} bytes, too small for {vectors} vectors of dimension {dimension}: "
            "run `rag index --rebuild`"
        )


def current_build(index_dir: Path) -> Path:
    """The folder of the live build; IndexMissing when there is none."""
    link = index_dir / CURRENT
    if not link.is_symlink() and not link.exists():
        raise IndexMissing(f"no index in {index_dir}: build one with `rag index`")
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        target = None
    if target is None or not target.is_dir():
        raise IndexCorrupt(f"{link} points at a missing build: run `rag index --rebuild`")
    return target


@contextlib.contextmanager
def writer_lock(index_dir: Path, *, wait: bool = True) -> Iterator[None]:
    """One writer at a time per index folder; readers never wait."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK_FILE, "a+")
    except OSError as exc:
        raise IndexWriteError(write_error_message(index_dir, exc)) from exc
    try:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            raise RagError(f"another build of {index_dir} is running: wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        with contextlib.suppress(OSError):
            handle.close()  # nothing was written to it: closing cannot lose anything


@contextlib.contextmanager
def new_build(index_dir: Path) -> Iterator[Path]:
    """A fresh temporary folder to write a build into; removed again unless `publish` took it.

    An OSError while the build is written or published (ENOSPC, EIO, EACCES ...) becomes IndexWriteError
    naming the cause; the previous index stays live.
    """
    remove_leftovers(index_dir)
    folder = index_dir / f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}"
    try:
        try:
            folder.mkdir(parents=True)
            yield folder
        finally:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    except OSError as exc:
        raise IndexWriteError(write_error_message(index_dir, exc)) from exc


def write_error_message(index_dir: Path, exc: OSError) -> str:
    """One line: what failed, on which file, and what to do; the previous index is unchanged."""
    code = errno.errorcode.get(exc.errno or 0, "")
    cause = (exc.strerror or str(exc)) + (f" ({code})" if code else "")
    where = ""
    if exc.filename:
        where = f" on {_relative(exc.filename, index_dir)}"
        if exc.filename2:
            where += f" -> {_relative(exc.filename2, index_dir)}"
    fix = {
        errno.ENOSPC: "free some disk space",
        errno.EDQUOT: "free some disk space",
        errno.EIO: "check the disk",
        errno.EACCES: "check the folder's permissions",
        errno.EPERM: "check the folder's permissions",
        errno.EROFS: "use a writable folder with --index",
    }.get(exc.errno or 0, "fix that")
    return (
        f"cannot write the index in {index_dir}: {cause}{where}; the previous index is unchanged: "
        f"{fix} and run `rag index` again"
    )


def clean_up_if_idle(index_dir: Path) -> None:
    """Remove what crashed builds left behind, unless a build is running right now."""
    if not leftovers(index_dir):
        return
    try:
        with writer_lock(index_dir, wait=False):
            remove_leftovers(index_dir)
    except RagError:
        pass  # a build is running; it cleans up after itself


def publish(index_dir: Path, folder: Path) -> Path:
    """Seal the manifest, fsync the build, move it to its final name and point `current` at it, atomically.

    When anything fails the build is removed and `current` is left at (or put back to) the previous build.
    """
    seal_manifest(folder)
    _fsync_tree(folder)
    final = index_dir / f"{BUILD_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(folder, final)
    link = index_dir / CURRENT
    previous = os.readlink(link) if link.is_symlink() else None
    switched = False
    try:
        _fsync_dir(index_dir)  # the build is under its final name on disk before anything points at it
        _point(index_dir, final.name)
        switched = True
        _fsync_dir(index_dir)
    except OSError:
        if switched:
            with contextlib.suppress(OSError):
                if previous is None:
                    link.unlink()
                else:
                    _point(index_dir, previous)
                switched = False
        if not switched:
            shutil.rmtree(final, ignore_errors=True)
        raise
    return final


def _point(index_dir: Path, target: str) -> None:
    """Make `current` a symlink to `target` with one rename: readers see the old or the new, never neither."""
    link_tmp = index_dir / f"{TEMP_PREFIX}link-{uuid.uuid4().hex[:8]}"
    os.symlink(target, link_tmp)
    try:
        os.replace(link_tmp, index_dir / CURRENT)
    except OSError:
        link_tmp.unlink(missing_ok=True)
        raise


def leftovers(index_dir: Path) -> list[Path]:
    """What crashed or failed builds left: temporary folders and links, and builds that were finished after the
    live one but never switched to (a crash between the two renames of `publish`)."""
    if not index_dir.is_dir():
        return []
    live = _live(index_dir)
    live_mtime = live.stat().st_mtime_ns if live is not None else None
    found = []
    for path in index_dir.iterdir():
        if path.name.startswith(TEMP_PREFIX):
            found.append(path)
        elif (
            path.name.startswith(BUILD_PREFIX)
            and path.is_dir()
            and live_mtime is not None
            and path.resolve() != live
            and path.stat().st_mtime_ns > live_mtime
        ):
            found.append(path)
    return found


def remove_leftovers(index_dir: Path, *, keep_previous: int = 1) -> None:
    """Delete `leftovers` and all but the newest `keep_previous` old builds.

    Call only while holding the writer lock.
    """
    if not index_dir.is_dir():
        return
    for path in leftovers(index_dir):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    live = _live(index_dir)
    old = sorted(
        (p for p in index_dir.glob(f"{BUILD_PREFIX}*") if p.is_dir() and p.resolve() != live),
        key=lambda p: p.stat().st_mtime,
    )
    for path in old[: max(0, len(old) - keep_previous)]:
        shutil.rmtree(path, ignore_errors=True)


def _live(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT
    if not link.is_symlink():
        return None
    try:
        target = link.resolve()
    except (OSError, RuntimeError):
        return None
    return target if target.is_dir() else None


@contextlib.contextmanager
def _named_errors(path: Path) -> Iterator[None]:
    """An OSError of a write (which names no file) gets the file's name."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


def _fsync_tree(folder: Path) -> None:
    """fsync every file, then every folder (deepest first), so that names and contents are on disk."""
    folders = [folder]
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            folders.append(path)
        elif path.is_file():
            _fsync_file(path)
    for path in reversed(folders):
        _fsync_dir(path)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        with _named_errors(path):
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
        with _named_errors(path):
            os.fsync(fd)
    finally:
        os.close(fd)


def _relative(name: str | bytes, index_dir: Path) -> str:
    path = Path(os.fsdecode(name))
    try:
        return path.relative_to(index_dir).as_posix()
    except ValueError:
        return str(path)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
