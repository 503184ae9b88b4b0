"""Computing something in a forked child while the ingest goes on with other work (``Forked``), for the readers
(``ingest``) and the services that run them (``api.services.beside``) alike.

After the history pass an ingest works on one core for seconds while the machine usually has another; a step whose
inputs are ready early can run there. ``start`` forks (Linux only, where ``os.fork`` copies the process cheaply and
the child sees the parent's memory as it was, copied only where either writes) and computes in the child, which
sends the result through a pipe and ends with ``os._exit``: it never runs the parent's exit handlers, never flushes
buffers the parent owns, and never touches anything else the parent holds (a store's connection, the progress
display's thread, which does not exist in the child anyway). ``result`` reads it back. What travels is plain data
in a form each kind of result defines (``_encode`` / ``_decode``), never a pickle: flat arrays of numbers as their
raw bytes (``ForkedArrays``, the co-change pairs: ``change_count.FirstCount``), JSON (``api.services.beside``: the
answers, the trends' factors, the history state's save).

Anything that goes wrong in the child (an error, a signal, output that does not decode) is not reported from there:
``result`` then computes in the parent, which gives what the sequential path gives, its error included. Where
forking is not possible (or ``ENABLED`` is off), ``start`` does nothing and ``result`` computes then. A caller that
gives up before asking for the result calls ``cancel`` (the child is killed and reaped).
"""

from __future__ import annotations

import gc
import os
import signal
import struct
import sys
from array import array
from typing import Any, Callable, Iterable

#: Whether ``start`` may fork (tests turn it off to compare the two paths).
ENABLED = sys.platform.startswith("linux") and hasattr(os, "fork")
#: The buffer ``result`` reads a child's result into, to begin with (``_read_all``)
FIRST_READ = 4 << 20
#: What a child's pipe holds (Linux's default is 64 KiB; 1 MiB is what an unprivileged process may ask for): a child
#: whose result fits goes on (to its next part: ``ForkedParts``) or ends without waiting for the parent to read it.
PIPE_BYTES = 1 << 20
_HEAD = struct.Struct("=cQ")  # an array's typecode and number of items, before its bytes
_LENGTH = struct.Struct("=Q")  # a part's length, before its bytes (``ForkedParts``)


class Forked:
    """``compute()`` in a forked child when possible (see the module docstring); a subclass says how its result
    travels."""

    def __init__(self, compute: Callable[[], Any]):
        self._compute = compute
        self._pid: int | None = None
        self._read_end: int | None = None

    def _may_fork(self) -> bool:
        return ENABLED

    def _encode(self, result: Any) -> Iterable[Any]:
        """The buffers (bytes-like) that carry ``result`` to the parent, in order."""
        raise NotImplementedError

    def _decode(self, received: list[bytearray]) -> tuple[bool, Any]:
        """(True, the result) from what the child sent, or (False, None) when it does not decode. ``received`` holds
        what ``_receive`` read alone: a decoder that pops it lets it go while it makes the result (30 MB of answers at
        50k files are not held twice)."""
        raise NotImplementedError

    def _receive(self, fd: int) -> Any:
        """What the child sent, read from ``fd`` to its end (nothing true when nothing whole came): its bytes."""
        return _read_all(fd)

    def start(self) -> "Forked":
        if not self._may_fork():
            return self
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return self
        _widen(write_end)
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
                for buffer in self._encode(self._compute()):
                    view = memoryview(buffer).cast("B")
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
        """What the computation returns: the child's result when it sent one whole, else computed here."""
        if self._pid is None:
            return self._compute()
        try:
            received = self._receive(self._read_end)  # type: ignore[arg-type]
        except OSError:
            received = None
        if self._reap() == 0 and received:
            box = [received]
            del received
            decoded, value = self._decode(box)
            if decoded:
                return value
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
        """Stop the child, when one runs (its result is not wanted)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()

    def _reap(self) -> int:
        """The child's exit status (-1 when it cannot be known); its pipe closed."""
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


def _widen(fd: int) -> None:
    """The pipe of ``fd`` made to hold ``PIPE_BYTES`` (at 10k files the listing's first part, 0.7 MB, kept its child
    waiting for the parent to read it before it could work out the second, which the parent then waited for); left as
    it is where the system refuses."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _read_all(fd: int) -> bytearray:
    """Everything ``fd`` gives until its end, read into one buffer that doubles in place when full. It starts at
    ``FIRST_READ`` bytes, which glibc maps apart in an ingest (``ingest.freed_memory.large_blocks_apart``), so it grows
    by remapping, never copied across the heap; no bytes object is made per read. (Read a MB at a time and added to a
    buffer grown from nothing, the 30 MB of answers at 50k files grew a cold ingest by 96 MB, to its peak: each read's
    MB and each copy of the small buffer took other pages of the heap the ingest had just handed back.)"""
    received = bytearray(FIRST_READ)
    size = 0
    while True:
        if size == len(received):
            received.extend(bytes(size))  # (zeros from calloc: fresh pages, touched once as they are copied)
        with memoryview(received) as view:
            count = os.readv(fd, [view[size:]])
        if not count:
            del received[size:]
            return received
        size += count


class ForkedParts(Forked):
    """A computation whose result travels in parts, each taken (``part``) as soon as the child has sent it: the
    child may go on working on the next one meanwhile. ``_parts`` yields each part as one bytes-like object (a
    generator: what it computes after a yield is computed while the parent reads that part); each travels after
    its length. ``part`` gives None when there is no next part (the child ended, failed, sent something cut short,
    or was never started): the caller computes what it stands for then."""

    def _parts(self, result: Any) -> Iterable[Any]:
        raise NotImplementedError

    def _encode(self, result: Any) -> Iterable[Any]:
        for part in self._parts(result):
            yield _LENGTH.pack(len(part))
            yield part

    def part(self) -> bytearray | None:
        if self._pid is None:
            return None
        head = self._read(_LENGTH.size)
        data = self._read(_LENGTH.unpack(head)[0]) if head is not None else None
        if data is None:  # no more parts: the child is done with (or gave up)
            self.cancel()
        return data

    def _read(self, size: int) -> bytearray | None:
        received = bytearray()
        try:
            while len(received) < size:
                chunk = os.read(self._read_end, min(size - len(received), 1 << 20))  # type: ignore[arg-type]
                if not chunk:
                    return None
                received += chunk
        except OSError:
            return None
        return received


class ForkedArrays(Forked):
    """A computation whose result is a tuple of ``array.array``s: each travels as its typecode, its length and its
    raw bytes, and comes back an array of the same typecode."""

    def _encode(self, result: tuple[array, ...]) -> Iterable[Any]:
        for column in result:
            yield _HEAD.pack(column.typecode.encode("ascii"), len(column))
            yield column

    def _receive(self, fd: int) -> list[array] | None:
        """The arrays the child sent, each read from the pipe into its own buffer (not every byte first, then copied:
        at 50k files the co-change pairs' 14 MB were held twice at the peak of the history's analyses); None when what
        came is not a whole sequence of them."""
        columns = []
        while head := _read_exactly(fd, _HEAD.size):
            if len(head) < _HEAD.size:
                return None
            code, count = _HEAD.unpack(head)
            try:
                column = array(code.decode("ascii"))
            except (ValueError, UnicodeDecodeError):
                return None
            size = count * column.itemsize
            column.frombytes(bytes(size))  # (zeros from calloc: the column's pages are touched once, by the copy)
            with memoryview(column) as view, view.cast("B") as raw:
                if _read_into(fd, raw) < size:
                    return None
            columns.append(column)
        return columns

    def _decode(self, received: list[list[array]]) -> tuple[bool, Any]:
        return True, tuple(received.pop())


def _read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``, fewer at its end."""
    data = b""
    while len(data) < size and (more := os.read(fd, size - len(data))):
        data += more
    return data


def _read_into(fd: int, buffer: memoryview) -> int:
    """Fill ``buffer`` from ``fd``; how many bytes came (fewer than its size at the end of ``fd``)."""
    done = 0
    while done < len(buffer) and (count := os.readv(fd, [buffer[done:]])):
        done += count
    return done
