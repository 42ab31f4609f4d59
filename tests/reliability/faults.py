"""A disk that fails, or a process that dies, at a chosen point of an index build.

Every operation of a build that changes the index folder is an event: making a folder, opening a file for
writing, the first write to it, closing it, fsync, rename, replace and symlink. `install(index_dir, on_event)`
wraps the os and io functions that do them (the edges, not rag's own code) so that `on_event(name)` is called
just before each one; it may raise an OSError (an injected fault) or kill the process (a crash). Operations
outside the index folder are left alone. Event names are stable from one build to the next: the random parts of
temporary and build folder names are replaced by `*`.

Used in-process by test_build_crashes.py (ENOSPC / EIO) and in a subprocess by crash_harness.py (SIGKILL).
"""

from __future__ import annotations

import builtins
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

OnEvent = Callable[[str], None]
_RANDOM = re.compile(r"(\.tmp-(?:link-)?|build-)[0-9a-f-]+")


class Faults:
    """The installed wrappers; `uninstall()` puts the real functions back."""

    def __init__(self, index_dir: Path, on_event: OnEvent) -> None:
        self.root = os.path.abspath(index_dir)
        self.on_event = on_event
        self.real: dict[tuple[Any, str], Any] = {}

    # -- which paths count --------------------------------------------------------------------------------------

    def _name(self, path: Any) -> str | None:
        """The event name of a path inside the index folder, or None for any other path."""
        if isinstance(path, int):
            try:
                path = os.readlink(f"/proc/self/fd/{path}")
            except OSError:
                return None
        try:
            full = os.path.abspath(os.fsdecode(path))
        except TypeError:
            return None
        if full != self.root and not full.startswith(self.root + os.sep):
            return None
        return _RANDOM.sub(r"\1*", os.path.relpath(full, self.root))

    # -- wrappers ------------------------------------------------------------------------------------------------

    def install(self) -> Faults:
        real_open = builtins.open
        real = {name: getattr(os, name) for name in ("fsync", "rename", "replace", "symlink", "mkdir")}

        def faulty_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any):
            name = self._name(file) if not isinstance(file, int) else None
            if name is None or not any(flag in mode for flag in "wax+"):
                return real_open(file, mode, *args, **kwargs)
            self.on_event(f"open {name}")
            return _Handle(real_open(file, mode, *args, **kwargs), name, self.on_event)

        def two_paths(op: str) -> Callable[..., Any]:
            def wrapper(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
                names = [n for n in (self._name(src), self._name(dst)) if n is not None]
                if names:
                    self.on_event(f"{op} {' -> '.join(names)}")
                return real[op](src, dst, *args, **kwargs)

            return wrapper

        def fsync(fd: int) -> None:
            name = self._name(fd)
            if name is not None:
                self.on_event(f"fsync {name}")
            return real["fsync"](fd)

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            name = self._name(path)
            if name is not None:
                self.on_event(f"mkdir {name}")
            return real["mkdir"](path, *args, **kwargs)

        self._set(builtins, "open", faulty_open)
        self._set(io, "open", faulty_open)
        self._set(os, "fsync", fsync)
        self._set(os, "mkdir", mkdir)
        for op in ("rename", "replace", "symlink"):
            self._set(os, op, two_paths(op))
        return self

    def _set(self, owner: Any, attribute: str, value: Any) -> None:
        self.real[(owner, attribute)] = getattr(owner, attribute)
        setattr(owner, attribute, value)

    def uninstall(self) -> None:
        for (owner, attribute), value in self.real.items():
            setattr(owner, attribute, value)
        self.real.clear()


class _Handle:
    """A file opened for writing: an event before its first write and before it is closed."""

    def __init__(self, handle: Any, name: str, on_event: OnEvent) -> None:
        self._handle = handle
        self._name = name
        self._on_event = on_event
        self._written = False

    def write(self, data: Any) -> int:
        if not self._written:
            self._written = True
            self._on_event(f"write {self._name}")
        return self._handle.write(data)

    def close(self) -> None:
        if self._handle.closed:
            return
        try:
            self._on_event(f"close {self._name}")
        finally:
            self._handle.close()

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self):
        return iter(self._handle)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._handle, attribute)


def install(index_dir: Path, on_event: OnEvent) -> Faults:
    return Faults(index_dir, on_event).install()
