"""Computing flat arrays of numbers in a forked child while the ingest goes on (``ForkedArrays``).

After the history pass a cold ingest works on one core for seconds while the other has little to do; a step whose
inputs are ready early and whose result is a few arrays of numbers (the co-change pairs: ``cochange.PairsBeside``)
can run there. ``start`` forks (Linux only: the child sees the parent's memory as it was, copied only where either
writes) and computes in the child, which sends each array's typecode, length and raw bytes through a pipe and ends
with ``os._exit`` (it never runs the parent's exit handlers or flushes its buffers). ``result`` reads them back:
bytes into arrays of the same typecodes, nothing unpickled. (``api.services.beside`` does the same for results that
are JSON.)

Anything that goes wrong in the child (an error, a signal, output that does not decode) is not reported from there:
``result`` then computes in the parent, which gives what the sequential path gives, its error included. Where
forking is not possible (or ``ENABLED`` is off), ``start`` does nothing and ``result`` computes then. ``cancel``
kills and reaps a child whose result is not wanted.
"""

from __future__ import annotations

import gc
import os
import signal
import struct
import sys
from array import array
from typing import Callable

#: Whether ``start`` may fork (tests turn it off to compare the two paths).
ENABLED = sys.platform.startswith("linux") and hasattr(os, "fork")
_HEAD = struct.Struct("=cQ")  # an array's typecode and number of items, before its bytes


class ForkedArrays:
    """``compute()`` (a tuple of arrays) in a forked child when possible (see the module docstring)."""

    def __init__(self, compute: Callable[[], tuple[array, ...]]):
        self._compute = compute
        self._pid: int | None = None
        self._read_end: int | None = None

    def start(self) -> "ForkedArrays":
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
                for column in self._compute():
                    for data in (_HEAD.pack(column.typecode.encode("ascii"), len(column)), memoryview(column).cast("B")):
                        while data:
                            data = data[os.write(write_end, data):]
                code = 0
            except BaseException:  # noqa: BLE001 - the parent computes it again and meets the error there
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._read_end = pid, read_end
        return self

    def result(self) -> tuple[array, ...]:
        """The arrays: the child's when it sent them whole, else computed here."""
        if self._pid is None:
            return self._compute()
        received = bytearray()
        try:
            while chunk := os.read(self._read_end, 1 << 20):  # type: ignore[arg-type]
                received += chunk
        except OSError:
            received = bytearray()
        status = self._reap()
        if status == 0:
            columns = _decoded(received)
            if columns is not None:
                return columns
        return self._compute()

    def cancel(self) -> None:
        """Stop the child, when one runs (its result is not wanted)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()

    def _reap(self) -> int:
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
                return -1
            return os.waitstatus_to_exitcode(status)


def _decoded(data: bytearray) -> tuple[array, ...] | None:
    """The arrays the child sent, or None when ``data`` is not a whole sequence of them."""
    columns = []
    at, view = 0, memoryview(data)
    while at < len(data):
        if at + _HEAD.size > len(data):
            return None
        code, count = _HEAD.unpack_from(data, at)
        at += _HEAD.size
        try:
            column = array(code.decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            return None
        size = count * column.itemsize
        if at + size > len(data):
            return None
        column.frombytes(view[at:at + size])
        at += size
        columns.append(column)
    view.release()
    return tuple(columns)
