"""gc_paused: nesting, the collector's state after the last pause, and freezing for a process that ends after its work.

Each case runs in a fresh interpreter: freezing is process-wide and must not leak into the test process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(body: str) -> str:
    code = textwrap.dedent("""
        import gc
        from cairn.ingest import gcpause
        kept = []
    """) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_pauses_nest_and_the_collector_runs_again_after_the_last():
    out = _run("""
        with gcpause.gc_paused():
            with gcpause.gc_paused():
                pass
            print(gc.isenabled())
        print(gc.isenabled(), gc.get_freeze_count())
    """)
    assert out.split() == ["False", "True", "0"]


def test_a_disabled_collector_stays_disabled():
    out = _run("""
        gc.disable()
        with gcpause.gc_paused():
            pass
        print(gc.isenabled())
    """)
    assert out == "False"


def test_what_a_pause_leaves_alive_is_frozen_only_when_the_process_ends_after_its_work():
    out = _run("""
        with gcpause.gc_paused():
            kept.extend([i] for i in range(50_000))
        print(gc.get_freeze_count())
        gcpause.ends_after_work()
        with gcpause.gc_paused():
            kept.extend([i] for i in range(50_000))
        print(gc.get_freeze_count() >= 50_000, gc.get_count()[0] < 1000, gc.isenabled())
    """)
    assert out.split() == ["0", "True", "True", "True"]
