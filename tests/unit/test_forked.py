"""``forked.ForkedArrays``: arrays computed in a forked child come back as they are; a child that fails, or no fork,
gives what computing in the process gives."""

from __future__ import annotations

import os
from array import array

import pytest

from cairn.graph import forked
from cairn.graph.forked import ForkedArrays

COLUMNS = (array("q", [1 << 40, -3, 0]), array("i"), array("B", b"\x00\xff" * 70_000), array("d", [0.5]))


@pytest.mark.parametrize("forking", [True, False])
def test_arrays_come_back_as_computed(forking: bool, monkeypatch) -> None:
    monkeypatch.setattr(forked, "ENABLED", forking)
    parent = os.getpid()
    where: list[int] = []

    def compute():
        where.append(os.getpid())  # (only the parent's list is seen here)
        return COLUMNS

    assert ForkedArrays(compute).start().result() == COLUMNS
    assert where == ([] if forking and forked.ENABLED else [parent])


def test_a_child_that_fails_is_computed_again_here() -> None:
    parent = os.getpid()

    def compute():
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return COLUMNS

    assert ForkedArrays(compute).start().result() == COLUMNS


class _CutShort(ForkedArrays):
    """Sends its columns' heads and bytes, but ``cut`` bytes fewer at the end."""

    cut = 0

    def _encode(self, result):
        sent = b"".join(bytes(part) for part in super()._encode(result))
        yield sent[:len(sent) - self.cut]


@pytest.mark.skipif(not forked.ENABLED, reason="forking is Linux-only")
@pytest.mark.parametrize("cut", [0, 1, 8, forked._HEAD.size, 140_000 + forked._HEAD.size + 3])
def test_arrays_read_whole_come_back_and_cut_short_are_computed_again_here(cut: int) -> None:
    parent = os.getpid()

    def compute():
        return COLUMNS if os.getpid() != parent else (array("b", [7]),)

    job = _CutShort(compute)
    job.cut = cut
    assert job.start().result() == (COLUMNS if cut == 0 else (array("b", [7]),))


def test_a_cancelled_child_is_reaped() -> None:
    job = ForkedArrays(lambda: (array("i", range(10)),)).start()
    pid = job._pid
    job.cancel()
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    job.cancel()  # twice: nothing left to stop


@pytest.mark.parametrize("size", [0, 1, forked.FIRST_READ - 1, forked.FIRST_READ, forked.FIRST_READ + 1,
                                  2 * forked.FIRST_READ, 5 * forked.FIRST_READ + 12_345])
def test_what_a_pipe_gives_is_read_whole_into_one_buffer_of_its_size(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: its own process, so the pipe never fills with nobody reading
        try:
            os.close(read_end)
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view):]
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        received = forked._read_all(read_end)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    assert type(received) is bytearray and len(received) == size and received == data


class _TwoParts(forked.ForkedParts):
    """A first part of ``size`` bytes, then a second computed after it was sent: the child creates ``marker`` then."""

    def __init__(self, size: int, marker: str):
        super().__init__(lambda: None)
        self.size, self.marker = size, marker

    def _parts(self, result):
        yield b"x" * self.size
        open(self.marker, "w").close()
        yield b"second"


@pytest.mark.skipif(not forked.ENABLED, reason="forking is Linux-only")
def test_a_child_goes_on_to_its_next_part_before_the_first_is_read(tmp_path) -> None:
    # the listing's first part at 10k files (0.7 MB): over Linux's 64 KiB pipe, its child waited for the parent to read
    # it before working out the second, which the parent then waited for
    import time

    marker = tmp_path / "second-begun"
    job = _TwoParts(700_000, str(marker)).start()
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        begun = marker.exists()
        assert job.part() == b"x" * 700_000 and job.part() == b"second" and job.part() is None
    finally:
        job.cancel()
    assert begun
