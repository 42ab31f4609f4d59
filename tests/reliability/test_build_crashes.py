"""Cases 5 and 6: a build killed with SIGKILL, or hit by ENOSPC / EIO, at each of its write-side operations
leaves the old or the new index whole (never a mix), and what it left behind is removed.

The old index holds two articles; the build under test drops one of them, so it reuses every vector (no model
work) and each run takes a fraction of a second. The points are the build's own events (faults.py): every
folder made, file opened, first write, close, fsync, rename, symlink and replace under the index folder.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import faults
from damage import builds, temp_entries
from helpers import ARTICLE, ARTICLES, make_corpus, rag_env
from rag import store
from rag.errors import IndexWriteError, RagError
from rag.index import load_index, open_index
from rag.settings import Settings

HARNESS = Path(__file__).with_name("crash_harness.py")
SECOND = ARTICLES[1]


@dataclass
class TwoBuilds:
    corpus: Path
    pristine: Path  # index folder holding the old build (both articles); the corpus now holds one
    old: list[str]  # chunk ids of the old build
    new: list[str]  # chunk ids of the build under test
    events: list[str]  # the build's write-side events, in order

    def fresh(self, folder: Path) -> Settings:
        shutil.copytree(self.pristine, folder, symlinks=True)
        return Settings(corpus_dir=self.corpus, index_dir=folder)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, embedder) -> TwoBuilds:
    root = tmp_path_factory.mktemp("crashes")
    corpus = make_corpus(root / "corpus", ARTICLE, SECOND)
    old = open_index(Settings(corpus_dir=corpus, index_dir=root / "pristine"), embedder).index
    (corpus / SECOND.name).unlink()
    events: list[str] = []
    recorded = Settings(corpus_dir=corpus, index_dir=root / "recorded")
    shutil.copytree(root / "pristine", recorded.index_dir, symlinks=True)
    installed = faults.install(recorded.index_dir, events.append)
    try:
        new = open_index(recorded, embedder)
    finally:
        installed.uninstall()
    assert new.rebuilt and new.embedded == 0 and len(new.index.chunks) < len(old.chunks)
    return TwoBuilds(corpus, root / "pristine", [c.id for c in old.chunks], [c.id for c in new.index.chunks], events)


def _which(index_dir: Path, two: TwoBuilds) -> str:
    ids = [c.id for c in load_index(index_dir).chunks]  # whole: manifest seal, checksums, header and counts
    assert ids in (two.old, two.new), "a mix of two builds"
    return "old" if ids == two.old else "new"


def _no_leftovers(index_dir: Path) -> None:
    assert temp_entries(index_dir) == [], temp_entries(index_dir)
    live = store.current_build(index_dir)
    newer = [b for b in builds(index_dir) if (index_dir / b).stat().st_mtime_ns > live.stat().st_mtime_ns]
    assert newer == [], f"builds never switched to were left: {newer}"


# -- case 5 ------------------------------------------------------------------------------------------------------


def test_case_05_kill_9_at_any_point_of_a_build_leaves_the_old_or_the_new_index_whole(two_builds, embedder, tmp_path):
    events = two_builds.events
    publish_from = next(i for i, e in enumerate(events, start=1) if e.startswith("rename"))
    points = sorted(set(range(1, len(events) + 1, 3)) | set(range(publish_from - 1, len(events) + 1)))
    assert len(points) >= 10

    def crash(point: int) -> tuple[int, Settings, int]:
        settings = two_builds.fresh(tmp_path / f"kill-{point}")
        process = subprocess.run(
            [sys.executable, str(HARNESS), str(point), str(settings.index_dir), str(settings.corpus_dir)],
            capture_output=True, text=True, env=rag_env(), cwd=HARNESS.parent, timeout=120,
        )
        return point, settings, process.returncode

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        crashed = list(pool.map(crash, points))
    seconds = time.perf_counter() - started

    outcomes = []
    for point, settings, returncode in crashed:
        event = events[point - 1]
        assert returncode == -signal.SIGKILL, f"kill before {event!r}: exit {returncode}"
        after_crash = _which(settings.index_dir, two_builds)
        left = temp_entries(settings.index_dir)
        next_run = open_index(settings, embedder)  # the next `rag index`
        assert [c.id for c in next_run.index.chunks] == two_builds.new
        _no_leftovers(settings.index_dir)
        assert _which(settings.index_dir, two_builds) == "new"
        outcomes.append((point, event, after_crash, left))

    report = "\n".join(f"  kill before #{p:2d} {e:45s} -> {w} index, left {len(l)} temp" for p, e, w, l in outcomes)
    print(f"\ncase 5: {len(points)} kill points of {len(events)} events, {seconds:.1f}s of crashed builds\n{report}")
    assert {w for _, _, w, _ in outcomes} == {"old", "new"}  # killed both before and after the switch
    assert any(left for *_, left in outcomes), "no crash left a temporary folder behind to clean up"


# -- case 6 ------------------------------------------------------------------------------------------------------

# Faults that cannot lose anything, after which the build goes on and succeeds: making the index folder that
# is already there (pathlib ignores the error), and closing the lock file, which is never written.
HARMLESS = {"mkdir .", "close .lock"}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def test_case_06_enospc_or_eio_at_any_write_fsync_or_rename_keeps_the_old_index(two_builds, embedder, tmp_path, code):
    events = two_builds.events
    strerror = os.strerror(code)
    failures = []
    harmless = []
    started = time.perf_counter()
    for point, event in enumerate(events, start=1):
        settings = two_builds.fresh(tmp_path / f"fault-{point}")
        before = builds(settings.index_dir)
        seen: list[str] = []

        def on_event(name: str, point: int = point, seen: list[str] = seen) -> None:
            seen.append(name)
            if len(seen) == point:
                raise OSError(code, strerror)

        installed = faults.install(settings.index_dir, on_event)
        try:
            open_index(settings, embedder)
        except IndexWriteError as exc:
            message = str(exc)
        except RagError as exc:  # any other user-facing error is still a failure of this test
            failures.append(f"#{point} {event}: {type(exc).__name__}: {exc}")
            continue
        except OSError as exc:
            failures.append(f"#{point} {event}: OSError escaped: {exc!r}")
            continue
        else:
            message = None
        finally:
            installed.uninstall()
        if message is None:
            harmless.append(event)
            assert _which(settings.index_dir, two_builds) == "new"
            continue
        if not (strerror in message and errno.errorcode[code] in message and "\n" not in message
                and "previous index is unchanged" in message):
            failures.append(f"#{point} {event}: unclear message: {message}")
        if _which(settings.index_dir, two_builds) != "old":
            failures.append(f"#{point} {event}: the old index is not the live one")
        if temp_entries(settings.index_dir) or builds(settings.index_dir) != before:
            failures.append(f"#{point} {event}: left {temp_entries(settings.index_dir)}, builds "
                            f"{builds(settings.index_dir)} (before: {before})")
    seconds = time.perf_counter() - started
    print(f"\ncase 6 ({errno.errorcode[code]}): {len(events)} faults injected in {seconds:.1f}s; "
          f"harmless: {harmless}")
    assert not failures, "\n".join(failures)
    assert set(harmless) <= HARMLESS, harmless


def test_case_06_the_message_names_the_file_and_the_fix(two_builds, embedder, tmp_path):
    settings = two_builds.fresh(tmp_path / "index")

    def on_event(name: str) -> None:
        if name == "write .tmp-*/chunks.jsonl":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    installed = faults.install(settings.index_dir, on_event)
    try:
        with pytest.raises(IndexWriteError) as caught:
            open_index(settings, embedder)
    finally:
        installed.uninstall()
    message = str(caught.value)
    assert "No space left on device (ENOSPC)" in message and "chunks.jsonl" in message, message
    assert "free some disk space" in message and str(settings.index_dir) in message


def test_case_06_a_real_full_disk_is_an_oserror_not_a_short_file(tmp_path):
    """FAISS's own writer only prints a failed write; the index is written through Python so that it raises."""
    import faiss
    import numpy as np

    from rag import dense

    index = faiss.IndexFlatIP(8)
    index.add(np.ones((4, 8), dtype=np.float32))
    with pytest.raises(OSError) as caught:
        dense.write(index, Path("/dev/full"))
    assert caught.value.errno == errno.ENOSPC
    dense.write(index, tmp_path / "ok.faiss")
    assert dense.read(tmp_path / "ok.faiss", {"type": dense.FLAT, "dimension": 8, "vectors": 4}).ntotal == 4


def test_case_06_the_cli_says_it_in_one_line(two_builds, tmp_path):
    settings = two_builds.fresh(tmp_path / "index")
    (settings.index_dir / store.LOCK_FILE).unlink()
    os.mkdir(settings.index_dir / store.LOCK_FILE)  # the lock cannot be opened: EISDIR
    result = subprocess.run(
        [str(Path(sys.executable).with_name("rag")), "index", "-i", str(settings.index_dir), "-c", str(settings.corpus_dir)],
        capture_output=True, text=True, env=rag_env(), timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("rag: error:")]
    assert len(lines) == 1 and "Is a directory (EISDIR)" in lines[0] and ".lock" in lines[0], result.stderr
    assert json.loads((store.current_build(settings.index_dir) / "manifest.json").read_text())["counts"]["documents"] == 2
