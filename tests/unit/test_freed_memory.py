"""The C allocator's tuning for an ingest (``ingest.freed_memory``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cairn.ingest import freed_memory

_GLIBC = sys.platform.startswith("linux") and "glibc" in " ".join(__import__("platform").libc_ver())


@pytest.mark.skipif(not _GLIBC, reason="glibc's allocator only")
def test_large_blocks_are_mapped_apart_once_asked():
    # each in a process of its own (the setting lasts for the process): a block of 4 MB is mapped and freed, which
    # raises glibc's own threshold above 2 MB; a block of 2 MB is then made in the heap unless asked otherwise
    script = textwrap.dedent("""
        import ctypes, sys
        from cairn.ingest.freed_memory import LARGE_BLOCK, large_blocks_apart
        class Info(ctypes.Structure):
            _fields_ = [(n, ctypes.c_size_t) for n in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
        libc = ctypes.CDLL("libc.so.6"); libc.mallinfo2.restype = Info
        if sys.argv[1] == "apart":
            assert large_blocks_apart() is True
        freed = bytearray(4 * LARGE_BLOCK); del freed
        before = libc.mallinfo2().hblkhd
        kept = bytearray(2 * LARGE_BLOCK)
        print(libc.mallinfo2().hblkhd - before)
    """)

    def mapped(how: str) -> int:
        return int(subprocess.run([sys.executable, "-c", script, how], capture_output=True, text=True, check=True).stdout)

    assert mapped("default") == 0
    assert mapped("apart") >= 2 * freed_memory.LARGE_BLOCK


def test_give_back_and_the_setting_never_raise():
    freed_memory.give_back()
    assert freed_memory.large_blocks_apart() in (True, False)


def test_a_whole_history_read_maps_large_blocks_apart(tmp_path, monkeypatch):
    from cairn.ingest.history_stream import SpooledLog

    asked: list[bool] = []
    monkeypatch.setattr(freed_memory, "large_blocks_apart", lambda: asked.append(True) or True)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=A", "-c", "user.email=a@x"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.py").write_text("x = 1\n")
    subprocess.run([*git, "add", "a.py"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    spooled = SpooledLog.start(tmp_path, head)
    assert spooled is not None
    try:
        assert asked == [True]
    finally:
        spooled.close()
