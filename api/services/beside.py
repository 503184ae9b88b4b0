"""Running one computation in a forked child while the ingesting process goes on with other work.

After the history pass, an ingest runs on one core (the bus factor, the answers,
the save) while the machine usually has another. ``Beside.start`` forks (Linux
only, where ``os.fork`` copies the process cheaply and the child sees the
parent's memory as it was) and runs a function there; ``result`` waits for it
and decodes what it sent back. The child hands back JSON only (numbers and
strings the computation made; nothing is unpickled), through a pipe, and ends
with ``os._exit``: it never runs the parent's exit handlers, never flushes
buffers the parent owns, and never touches anything else the parent holds (a
store's connection, the progress display's thread, which does not exist in the
child anyway).

Anything that goes wrong in the child (an error, a signal, output that does not
decode) is not reported from there: ``result`` then runs the function in the
parent, which gives what the sequential path gives, its error included. Where
forking is not possible (or ``ENABLED`` is off), ``start`` does nothing and
``result`` runs the function then. A caller that gives up before asking for the
result calls ``cancel`` (the child is killed and reaped).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
from typing import Any, Callable

#: Whether ``start`` may fork (tests turn it off to compare the two paths).
ENABLED = sys.platform.startswith("linux") and hasattr(os, "fork")


class Beside:
    """One computation, run in a forked child when possible (see the module docstring)."""

    def __init__(self, compute: Callable[[], Any]):
        self._compute = compute
        self._pid: int | None = None
        self._read_end: int | None = None

    def start(self) -> "Beside":
        if not ENABLED:
            return self
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return self
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return self
        if pid == 0:  # the child: compute, send, end; nothing of the parent's is closed or flushed
            code = 1
            try:
                os.close(read_end)
                gc.disable()  # nothing it makes outlives it
                data = json.dumps(self._compute(), separators=(",", ":")).encode("ascii")
                view = memoryview(data)
                while view:
                    view = view[os.write(write_end, view):]
                code = 0
            except BaseException:  # noqa: BLE001 - the parent computes it again and meets the error there
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._read_end = pid, read_end
        return self

    def result(self) -> Any:
        """What the computation returns: the child's answer when it gave one, else computed here."""
        if self._pid is None:
            return self._compute()
        received = bytearray()
        try:
            while chunk := os.read(self._read_end, 1 << 20):  # type: ignore[arg-type]
                received += chunk
        except OSError:
            received = bytearray()
        _, status = self._reap()
        if status == 0 and received:
            # one copy of the text at a time (the answers of 50k files send 30 MB): the bytes go before it is read
            try:
                text = received.decode("ascii")
                del received
                return json.loads(text)
            except ValueError:  # a UnicodeDecodeError too
                pass
        return self._compute()

    def computing(self) -> bool:
        """Whether a child is still working on it: it has sent nothing yet and not ended (its pipe is not readable)."""
        if self._pid is None or self._read_end is None:
            return False
        import select

        try:
            readable, _, _ = select.select([self._read_end], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def cancel(self) -> None:
        """Stop the child, when one runs (the caller does not want its result)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()

    def _reap(self) -> tuple[int, int]:
        pid, read_end = self._pid, self._read_end
        self._pid = self._read_end = None
        if read_end is not None:
            os.close(read_end)
        assert pid is not None
        while True:
            try:
                _, status = os.waitpid(pid, 0)
            except InterruptedError:
                continue
            except ChildProcessError:
                return pid, -1
            return pid, os.waitstatus_to_exitcode(status)
