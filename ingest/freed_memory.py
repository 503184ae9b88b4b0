"""Handing the memory an ingest has freed back to the system, at the points where its peak would otherwise grow.

CPython frees an object's memory into the C allocator (glibc's ``malloc``, for everything over 512 bytes: the
tables of dicts and sets, lists, long strings, arrays), which keeps it for later allocations and seldom returns it:
after the history state is saved and the trends' inputs are let go, a cold ingest at 50k files held 160 MB so
(700 MB resident for 540 MB in use). That counts in the peak of the steps that follow, and in the resident size of
a child forked then (its pages are the parent's). ``give_back`` asks glibc to return every whole free page
(``malloc_trim``: 12 ms at that size); elsewhere (another C library, no ``ctypes``) it does nothing.
"""

from __future__ import annotations

from typing import Callable

_trim: Callable[[int], int] | None = None
_looked = False


def give_back() -> None:
    """Return the C allocator's free pages to the system (glibc), or nothing."""
    global _trim, _looked
    if not _looked:
        _looked = True
        try:
            import ctypes

            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError, ImportError):
            _trim = None
    if _trim is not None:
        _trim(0)
