"""`rag index` that kills itself with SIGKILL just before the N-th write-side event of the build (faults.py).

    python crash_harness.py N INDEX_DIR CORPUS_DIR [EVENTS_FILE]

N = 0 kills nothing and, with EVENTS_FILE, writes the build's events there as JSON (to choose the points).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import faults


def main() -> int:
    kill_at, index_dir, corpus_dir = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    events_file = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    seen: list[str] = []

    def on_event(name: str) -> None:
        seen.append(name)
        if len(seen) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    from rag.cli import main as rag

    faults.install(index_dir, on_event)
    code = rag(["index", "-i", str(index_dir), "-c", str(corpus_dir)])
    if events_file is not None:
        events_file.write_text(json.dumps(seen), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
