"""The corpus folder as a library a user manages: add files, delete them, and rebuild the index in the background.

Uploads are checked before they land in the corpus: a sanitised name that cannot leave the folder, an allowed
type, a size limit, text that `ingest` can read, and content that is not already there. A rebuild runs in one
background thread (one writer at a time); the pipeline keeps answering from the old index until the new one is
complete and swapped in by `Pipeline.open()`.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import RagError
from .ingest import SUPPORTED_SUFFIXES, Unusable, corpus_files, read_document
from .pipeline import Pipeline
from .records import SkippedFile
from .store import file_sha256

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 120
STAGING_PREFIX = ".upload-"  # hidden: ingest and the staleness check never see a half-written upload


class LibraryError(RagError):
    """A library operation the user asked for cannot be done; the message says why."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one uploaded file."""

    name: str  # the name the user gave
    status: str  # "added", "replaced", "duplicate" or "rejected"
    saved_as: str = ""  # the sanitised name in the corpus folder, when saved
    reason: str = ""  # why it was rejected, or which document it duplicates

    @property
    def saved(self) -> bool:
        return self.status in ("added", "replaced")


@dataclass(frozen=True)
class DocumentRow:
    """One line of the documents table: an indexed document or a file waiting for (or refused by) the index."""

    name: str
    status: str  # "indexed", "new", "changed", "removed" or "skipped"
    language: str = ""
    size: int = 0
    sentences: int = 0
    chunks: int = 0
    facts: int = 0
    doc_id: str = ""
    note: str = ""  # the skip reason, or what the next rebuild will do


@dataclass(frozen=True)
class RebuildStatus:
    state: str = "idle"  # "idle", "running", "done" or "failed"
    stage: str = ""  # what a running rebuild is doing now
    fraction: float = 0.0  # rough progress of a running rebuild, 0..1
    message: str = ""  # the result of the last rebuild, or its error
    finished: int = 0  # how many rebuilds have finished
    started_at: float = 0.0  # time.time() when the running (or last) rebuild started
    skipped: tuple[SkippedFile, ...] = field(default_factory=tuple)

    @property
    def running(self) -> bool:
        return self.state == "running"


def safe_name(name: str) -> str:
    """A file name that stays inside the corpus folder and is not hidden: folders, `..`, control and
    punctuation characters are dropped; letters of any script, digits, spaces, `.`, `-` and `_` stay."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base)
    base = re.sub(r"\s+", " ", base)
    base = re.sub(r"_{2,}", "_", base).strip(" ._-")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" ._-") or "document"
    suffix = suffix.lower()
    room = MAX_NAME_CHARS - len(suffix) - 1
    return f"{stem[:room].rstrip(' ._-') or 'document'}{'.' + suffix if suffix else ''}"


class Library:
    """Add, delete and re-index the documents of a pipeline's corpus folder. Safe to share between threads."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allowed_suffixes: Sequence[str] = SUPPORTED_SUFFIXES,
    ) -> None:
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be positive, got {max_bytes}")
        self.pipeline = pipeline
        self.max_bytes = max_bytes
        self.allowed_suffixes = tuple(s.lower() for s in allowed_suffixes)
        self._files_lock = threading.Lock()  # one change to the corpus folder at a time
        self._cond = threading.Condition()
        self._requested = 0  # rebuild requests so far
        self._completed = 0  # requests a finished rebuild has covered
        self._full = False  # a pending request asks to re-embed everything
        self._worker: threading.Thread | None = None
        self._status = RebuildStatus()

    @property
    def corpus_dir(self) -> Path:
        return Path(self.pipeline.settings.corpus_dir)

    # -- reading ----------------------------------------------------------------------------------------------

    def documents(self) -> list[DocumentRow]:
        """The served index's documents, with files added, changed, removed or skipped since it was built."""
        index = self.pipeline.index
        manifest = index.manifest
        known = {entry["name"]: entry for entry in manifest["corpus"]["files"]}
        present = {name: path for path, name in self._corpus_files()}
        rows: list[DocumentRow] = []
        for doc in manifest["documents"]:
            name = doc["name"]
            status, note = "indexed", ""
            if name not in present:
                status, note = "removed", "leaves the index at the next rebuild"
            elif _changed(present[name], known.get(name)):
                status, note = "changed", "re-indexed at the next rebuild"
            rows.append(DocumentRow(
                name=name, status=status, language=doc["language"], size=doc["size"], sentences=doc["sentences"],
                chunks=doc["chunks"], facts=len(index.facts.get(doc["id"], [])), doc_id=doc["id"], note=note,
            ))
        for name, entry in known.items():
            if "skipped" in entry and name in present:
                rows.append(DocumentRow(name=name, status="skipped", size=entry["size"], note=entry["skipped"]))
        for name, path in present.items():
            if name not in known:
                rows.append(DocumentRow(name=name, status="new", size=_size(path), note="indexed at the next rebuild"))
        return sorted(rows, key=lambda row: row.name.casefold())

    # -- changing the corpus ------------------------------------------------------------------------------------

    def add(self, uploads: Sequence[tuple[str, Path]]) -> list[Outcome]:
        """Check each (name the user gave, path of the uploaded bytes) and copy the good ones into the corpus.

        A bad file is rejected with its reason and the others are still added; a file whose text is already
        in the corpus (or earlier in the same batch) is reported as a duplicate and not saved. A file with the
        name of an existing one and other content replaces it. Nothing is indexed until `rebuild()`.
        """
        outcomes: list[Outcome] = []
        with self._files_lock:
            self.corpus_dir.mkdir(parents=True, exist_ok=True)
            seen = self._known_contents()
            for name, source in uploads:
                outcome = self._add_one(name, Path(source), seen)
                outcomes.append(outcome)
        return outcomes

    def _add_one(self, name: str, source: Path, seen: dict[str, str]) -> Outcome:
        target_name = self._free_name(safe_name(name))
        suffix = Path(target_name).suffix
        if suffix not in self.allowed_suffixes:
            return Outcome(name, "rejected", reason=(
                f"type {suffix or '(none)'} is not allowed; use {', '.join(self.allowed_suffixes)}"))
        try:
            size = source.stat().st_size
        except OSError as exc:
            return Outcome(name, "rejected", reason=f"cannot be read ({exc.strerror or exc})")
        if size > self.max_bytes:
            return Outcome(name, "rejected", reason=f"{_mb(size)} is larger than the limit of {_mb(self.max_bytes)}")
        target = self._inside(target_name)
        staging = self.corpus_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}{suffix}"
        try:
            shutil.copyfile(source, staging)
            try:
                document = read_document(staging, target_name)
            except Unusable as exc:
                return Outcome(name, "rejected", reason=str(exc))
            for key in (document.id, "bytes:" + document.source_sha256):
                if key in seen and seen[key] != target_name:
                    return Outcome(name, "duplicate", reason=f"same content as {seen[key]}")
            if seen.get(document.id) == target_name:
                return Outcome(name, "duplicate", saved_as=target_name, reason=f"same content as {target_name}")
            existed = target.exists()
            os.replace(staging, target)
        except OSError as exc:
            return Outcome(name, "rejected", reason=f"cannot be saved ({exc.strerror or exc})")
        finally:
            staging.unlink(missing_ok=True)
        seen[document.id] = target_name
        seen["bytes:" + document.source_sha256] = target_name
        return Outcome(name, "replaced" if existed else "added", saved_as=target_name)

    def delete(self, name: str) -> None:
        """Remove one file from the corpus folder (not from the index: that happens at the next rebuild)."""
        with self._files_lock:
            present = {found: path for path, found in self._corpus_files()}
            if name not in present:
                raise LibraryError(f"{name} is not in the corpus folder")
            path = present[name]
            if not _is_inside(path.parent, self.corpus_dir):
                raise LibraryError(f"{name} is outside the corpus folder")
            readable = [n for n in present if n != name and Path(n).suffix.lower() in self.allowed_suffixes]
            if not readable:
                raise LibraryError(f"{name} is the last document: add another one before deleting it")
            try:
                path.unlink()
            except OSError as exc:
                raise LibraryError(f"{name} cannot be deleted ({exc.strerror or exc})") from None

    # -- rebuilding ---------------------------------------------------------------------------------------------

    def rebuild(self, *, full: bool = False) -> int:
        """Start re-indexing in the background (or queue one more run behind the running one).

        Returns a ticket for `wait()`. `full` re-embeds every document instead of only the changed ones.
        """
        with self._cond:
            self._requested += 1
            self._full = self._full or full
            ticket = self._requested
            if self._worker is None:
                self._status = replace(self._status, state="running", stage="waiting to start", fraction=0.0)
                self._worker = threading.Thread(target=self._run, name="rag-rebuild", daemon=True)
                self._worker.start()
            return ticket

    def wait(self, ticket: int, timeout: float | None = None) -> RebuildStatus:
        """Block until the rebuild that covers `ticket` has finished (or `timeout` seconds passed)."""
        with self._cond:
            self._cond.wait_for(lambda: self._completed >= ticket, timeout=timeout)
            return self._status

    def is_done(self, ticket: int) -> bool:
        """Whether a finished rebuild covers `ticket` (it may have failed: see `status()`)."""
        with self._cond:
            return self._completed >= ticket

    def status(self) -> RebuildStatus:
        with self._cond:
            return self._status

    def _set(self, **changes: object) -> None:
        with self._cond:
            self._status = replace(self._status, **changes)
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._completed >= self._requested:
                    self._worker = None
                    self._cond.notify_all()
                    return
                target, full, self._full = self._requested, self._full, False
            started = time.perf_counter()
            self._set(state="running", stage="checking what changed", fraction=0.05, started_at=time.time())
            try:
                with self._files_lock:  # the corpus does not change under a build; uploads wait for it
                    changes = ["re-embedding every document"] if full else self._changes()
                    self._set(stage="indexing: " + _summary(changes), fraction=0.2)
                    report = self.pipeline.open(rebuild=full)
            except RagError as exc:
                result = dict(state="failed", message=f"rebuild failed, still answering from the old index: {exc}")
            except Exception as exc:  # noqa: BLE001 - reported to the user, and the old index keeps serving
                result = dict(state="failed", message=(
                    f"rebuild failed, still answering from the old index: {type(exc).__name__}: {exc}"))
            else:
                counts = report.index.manifest["counts"]
                verb = "indexed" if report.rebuilt else "index already up to date:"
                result = dict(state="done", skipped=tuple(report.skipped), message=(
                    f"{verb} {counts['documents']} documents, {counts['sentences']} sentences, "
                    f"{counts['chunks']} chunks in {time.perf_counter() - started:.1f}s"))
            with self._cond:
                self._completed = target
                self._status = replace(self._status, stage="", fraction=1.0, finished=self._status.finished + 1,
                                       **result)
                self._cond.notify_all()

    def _changes(self) -> list[str]:
        from .index import stale_reasons

        try:
            index = self.pipeline.index
            return stale_reasons(index.manifest, self.pipeline.settings, self.pipeline.embedder.info)
        except RagError as exc:
            return [str(exc)]

    # -- helpers ------------------------------------------------------------------------------------------------

    def _corpus_files(self) -> list[tuple[Path, str]]:
        if not self.corpus_dir.is_dir():
            return []
        return list(corpus_files([self.corpus_dir]))

    def _known_contents(self) -> dict[str, str]:
        """Text ids of indexed documents and byte hashes of every corpus file -> the name that holds them."""
        seen: dict[str, str] = {}
        index = self.pipeline.index
        present = {name for _, name in self._corpus_files()}
        for doc in index.documents.values():
            if doc.name in present:
                seen[doc.id] = doc.name
        known = {entry["name"]: entry for entry in index.manifest["corpus"]["files"]}
        for path, name in self._corpus_files():
            entry = known.get(name)
            digest = entry["sha256"] if entry is not None and not _changed(path, entry) else file_sha256(path)
            seen.setdefault("bytes:" + digest, name)
        return seen

    def _free_name(self, name: str) -> str:
        """`name`, or `stem-2.txt`, `stem-3.txt` ... when a file in the corpus folder has a name that differs from
        it only in case: on a case-insensitive disk the two would be one file, and one upload would overwrite
        another document."""
        taken = {path.name.casefold(): path.name for path in self.corpus_dir.iterdir()}
        if taken.get(name.casefold(), name) == name:
            return name
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        for n in itertools.count(2):
            tail = f"-{n}" + (f".{suffix}" if suffix else "")
            candidate = stem[: MAX_NAME_CHARS - len(tail)] + tail
            if candidate.casefold() not in taken:
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover

    def _inside(self, name: str) -> Path:
        target = self.corpus_dir / name
        if not _is_inside(target, self.corpus_dir):
            raise LibraryError(f"{name} would be saved outside the corpus folder")
        return target


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _changed(path: Path, entry: dict | None) -> bool:
    if entry is None:
        return True
    try:
        stat = path.stat()
    except OSError:
        return True
    if stat.st_size == entry["size"] and stat.st_mtime_ns == entry["mtime_ns"]:
        return False
    return file_sha256(path) != entry["sha256"]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _summary(changes: list[str], limit: int = 4) -> str:
    if not changes:
        return "nothing changed, reloading"
    more = f" and {len(changes) - limit} more" if len(changes) > limit else ""
    return ", ".join(changes[:limit]) + more


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"
