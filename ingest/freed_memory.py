"""Handing the memory an ingest has freed back to the system, at the points where its peak would otherwise grow.

CPython frees an object's memory into the C allocator (glibc's ``malloc``, for everything over 512 bytes: the
tables of dicts and sets, lists, long strings, arrays), which keeps it for later allocations and seldom returns it:
after the history state is saved and the trends' inputs are let go, a cold ingest at 50k files held 160 MB so
(700 MB resident for 540 MB in use). That counts in the peak of the steps that follow, and in the resident size of
a child forked then (its pages are the parent's). ``give_back`` asks glibc to return every whole free page
(``malloc_trim``: 12 ms at that size); elsewhere (another C library, no ``ctypes``) it does nothing.

``large_blocks_apart`` keeps the large blocks out of the heap in the first place: glibc maps a block of its own for
each allocation from ``LARGE_BLOCK`` bytes on, which goes back to the system when it is freed, and a growing one
(a bytearray, an array, a list) is moved by the kernel rather than copied. By default glibc raises that threshold
each time such a block is freed, up to 32 MB: a cold ingest at 50k files then grew its heap to 260 MB around a few
large, short-lived blocks (the edges' dict resized, the 30 MB of answers read from their child one MB at a time,
each copy touching pages trimmed before), for 30-160 MB in use; kept apart, its peak fell from 693-698 to 664-667 MB
in the same runs, in the same time. From 1 MB on, the fresh pages cost 0.3-0.5 s more of the system's time at 50k;
from 4 MB on, nothing measurable. A whole history's read asks for it (``history_stream.SpooledLog.start``); an
ingest after a commit does not (with 1 MB blocks apart it took 3% longer, 0.04 s at 10k files).
"""

from __future__ import annotations

from typing import Callable

#: From this many bytes on, glibc maps a block apart (``large_blocks_apart``)
LARGE_BLOCK = 4 << 20
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h

_trim: Callable[[int], int] | None = None
_looked = False


def _libc():
    import ctypes

    return ctypes.CDLL("libc.so.6")


def give_back() -> None:
    """Return the C allocator's free pages to the system (glibc), or nothing."""
    global _trim, _looked
    if not _looked:
        _looked = True
        try:
            _trim = _libc().malloc_trim
        except (OSError, AttributeError, ImportError):
            _trim = None
    if _trim is not None:
        _trim(0)


def large_blocks_apart() -> bool:
    """Have glibc map each block of ``LARGE_BLOCK`` bytes or more apart, for the rest of the process (see the module
    docstring); False where that cannot be set (another C library, no ``ctypes``)."""
    try:
        return bool(_libc().mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))
    except (OSError, AttributeError, ImportError):
        return False
