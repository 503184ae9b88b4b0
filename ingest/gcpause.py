"""Pausing Python's cyclic garbage collector around allocation-heavy batch work.

The history pass and the change analyses allocate hundreds of thousands of
small containers that live until the ingest ends and form no reference
cycles. With the collector running, every few hundred allocations trigger a
collection, and the full ones walk the whole heap — the graph being built
included — so a large ingest spent a third of its Python time there. Memory
is still freed by reference counting while paused; cyclic garbage waits for
the first collection after the pause. Pauses nest and are safe across
threads (the collector runs again when the last pause ends).

When the last pause ends, everything allocated during it sits in the youngest
generation, and the first allocation after ``gc.enable`` walks all of it (0.2 s
after an ingest of 10,000 files, a million objects). A process that ends soon
after its work (the `cairn ingest` and `cairn pr-check` commands) says so with
``ends_after_work``: the objects the pause leaves alive are then frozen
(``gc.freeze``: moved out of the collector's sight, in constant time) instead of
walked. A long-lived process (the HTTP server) must not: a frozen object that
later becomes cyclic garbage is never collected.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False
_freeze_on_resume = False


def ends_after_work() -> None:
    """Say this process exits soon after its work: what a pause leaves alive is frozen, not walked (module docstring)."""
    global _freeze_on_resume
    _freeze_on_resume = True


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                if _freeze_on_resume:
                    gc.freeze()
                gc.enable()
