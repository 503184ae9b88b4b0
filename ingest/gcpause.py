"""Pausing Python's cyclic garbage collector around allocation-heavy batch work.

The history pass and the change analyses allocate hundreds of thousands of
small containers that live until the ingest ends and form no reference
cycles. With the collector running, every few hundred allocations trigger a
collection, and the full ones walk the whole heap — the graph being built
included — so a large ingest spent a third of its Python time there. Memory
is still freed by reference counting while paused; cyclic garbage waits for
the first collection after the pause. Pauses nest and are safe across
threads (the collector runs again when the last pause ends).
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


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
                gc.enable()
