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

Such a process can also leave large structures it is done with to the end of
the process (``abandon``): freeing 50,000 modules' graphs and their parses
one object at a time took a PR check 0.2 s, for memory the process returns to
the system when it ends a moment later. Abandoned objects are held by a
reference cycle that the freeze puts out of the collector's sight, so neither
reference counting, nor the pause's end, nor the interpreter's exit frees them.
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


def abandon(*objects: object) -> None:
    """In a process that ends after its work (``ends_after_work``), inside a pause: ``objects`` are never freed one
    by one, the process's end returns their memory (see the module docstring); otherwise nothing happens, and they
    are freed as usual. The caller must be done with them: nothing else may keep using them."""
    if _freeze_on_resume and _depth > 0 and _was_enabled:
        held: list[object] = [*objects]
        held.append(held)  # a cycle: the last reference going away frees nothing, and the freeze hides it for good

