"""Work on a second core: a computation run in a forked child while the parent goes on.

An ingest ends with two independent passes over the finished graph: the save
(``GraphStore.save_changes``) and the derived answers (``api.services.answers``),
each a tenth to a fifth of an ingest after a commit; and it writes its caches
(the parse cache, the history state), which nothing read later in the same run.
``ChildResult`` forks, the child computes its value on its copy-on-write view of the graph and sends it
back as JSON text (``graph.values.dumps``, what the store writes anyway) down a
pipe, and the parent, once its own work is done, reads it; used as a context
manager, a child whose value is not read (the parent's work failed) is stopped. The child shares
nothing writable with the parent: it opens no file, touches no store
connection, prints nothing and leaves with ``os._exit`` (no exit handlers, no
flushing of buffers it inherited).

Forking is only done where it is safe and can pay: Linux, a process with one
thread (a fork copies only the calling thread, so a lock another thread held
would stay held in the child forever), allowed to run on more than one CPU, on a
machine with the memory for a second copy of the process (``_room_for_a_copy``). Otherwise, and whenever the child fails
(an exception, a signal, a value JSON cannot carry), the value is computed in
the parent: when ``result()`` asks for it, or at once for an ``eager`` one (a
write whose inputs the parent frees next). The value is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Any, Callable

#: What a child sends before its value: a failure is anything else.
_OK = b"ok\n"


class ChildResult:
    """The value of ``compute``, from a forked child when one could be started, else computed on ``result()``
    (at once when ``eager``)."""

    def __init__(self, compute: Callable[[], Any], *, eager: bool = False):
        self._compute: Callable[[], Any] | None = compute
        self._pid: int | None = None
        self._read_end: int | None = None
        self._value: Any = None
        if _can_fork():
            self._start()
        if self._pid is None and eager:
            self._value, self._compute = compute(), None

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def __enter__(self) -> "ChildResult":
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop a child whose value is no longer wanted (the parent's own work failed): no process or pipe outlives it."""
        if self._pid is None:
            return
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        if self._read_end is not None:
            os.close(self._read_end)
        os.waitpid(self._pid, 0)
        self._pid = self._read_end = None

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(self._compute, write_end)
        os.close(write_end)
        self._pid, self._read_end = pid, read_end

    def result(self) -> Any:
        """The value (waits for the child; computes it here if there was none or it failed)."""
        if self._pid is None:
            return self._computed()
        assert self._read_end is not None
        with os.fdopen(self._read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._read_end = None
        if os.waitstatus_to_exitcode(status) == 0 and data.startswith(_OK):
            from cairn.graph.values import loads

            try:
                value = loads(data[len(_OK):].decode("utf-8", errors="surrogatepass"))
            except ValueError:
                pass
            else:
                self._value, self._compute = value, None
                return value
        return self._computed()

    def _computed(self) -> Any:
        """The value computed here (once: a second ``result()`` gives it again without computing)."""
        if self._compute is not None:
            self._value, self._compute = self._compute(), None
        return self._value


def _can_fork() -> bool:
    return (hasattr(os, "fork") and sys.platform.startswith("linux") and threading.active_count() == 1
            and len(os.sched_getaffinity(0)) > 1  # one CPU to run on (taskset, a container's cpuset): no second core
            and _room_for_a_copy())


def _room_for_a_copy() -> bool:
    """Whether the machine has the memory for a second copy of this process: a child shares the parent's pages
    only until either writes them, and in CPython reading an object writes its reference count, so the pages of
    everything the parent or the child reads while both live are copied (measured on an ingest after a commit at 10k
    files: +66 MB of 380 for a cache write's child, +173 MB for the answers' child)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo", "rb") as meminfo:
            available = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith(b"MemAvailable:"))
    except (OSError, ValueError, IndexError, StopIteration):
        return False
    return available > 2 * resident


def _child(compute: Callable[[], Any], write_end: int) -> None:
    code = 1
    try:
        from cairn.graph.values import dumps

        payload = _OK + dumps(compute()).encode("utf-8", errors="surrogatepass")
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view):]
        code = 0
    except BaseException:  # noqa: BLE001 - the parent computes it again and meets the error there
        pass
    finally:
        os._exit(code)
