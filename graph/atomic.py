"""The one atomic file write: a reader sees the old file or the new one, whole.

Used by every writer of Cairn's own files (the embedded store, the parse
cache, a boundary baseline). The data goes to a temporary file in the same
directory, is fsynced, renamed over the target and the directory is fsynced.
Temporary files that a killed writer left behind (``.NAME.*.tmp``) are removed
by the next write of the same file.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Iterable

#: A leftover temporary file older than this is a killed writer's, not a live one's.
STALE_TEMP_SECONDS = 600


def write_atomic(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write ``data`` (bytes, or parts written one after the other, which may be made as they are written) to ``path``
    so that ``path`` is always either old or new, whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    import tempfile  # here, not above: it imports shutil and random, and a read-only command never writes

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray, memoryview)):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def remove_stale_temporaries(path: Path, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove ``.NAME.*.tmp`` files next to ``path`` that no live writer can own; return how many."""
    removed = 0
    cutoff = time.time() - older_than
    with contextlib.suppress(FileNotFoundError):
        for leftover in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.lstat().st_mtime < cutoff:
                    leftover.unlink()
                    removed += 1
    return removed
