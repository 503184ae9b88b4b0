"""Which build of Cairn is running: its own source files, by name, size and modification time (``cairn_build``).

What Cairn keeps between runs (the ingest's fingerprint, the parse cache, the
remembered decisions and settings, the answers' basis) is tied to the build
that made it: another version of Cairn, or an edited checkout of it, starts
afresh.
"""

from __future__ import annotations

import os
from pathlib import Path

from cairn.ingest.digest import digest

_PACKAGES = ("graph", "ingest", "queries", "api")


_BUILD: str | None = None


def cairn_build() -> str:
    """Cairn's own source files, by name, size and modification time: another version gives another value."""
    global _BUILD
    if _BUILD is None:
        package = Path(__file__).resolve().parent.parent
        entries: list[tuple[str, int, int]] = []
        for top in _PACKAGES:
            _source_files(package / top, top, entries)
        _BUILD = digest(entries)
    return _BUILD


def _source_files(directory: Path | str, name: str, entries: list[tuple[str, int, int]]) -> None:
    """Append (package-relative name, size, modification time) of each ``.py`` file below ``directory`` (called
    ``name``), in name order, a directory's files before its subdirectories'."""
    try:
        with os.scandir(directory) as found:
            children = sorted(found, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in children:
        if entry.name.endswith(".py") and entry.is_file():
            st = entry.stat()
            entries.append((f"{name}/{entry.name}", st.st_size, st.st_mtime_ns))
    for entry in children:
        if entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
            _source_files(entry.path, f"{name}/{entry.name}", entries)
