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


ABANDONED = """
    import os

    class Noisy:
        def __del__(self, write=os.write):  # bound now: it still writes while the interpreter shuts down
            write(1, b"freed\\n")

    def work():
        with gcpause.gc_paused():
            done = Noisy()
            gcpause.abandon(done)
        print("returned", flush=True)
"""


def test_abandoned_objects_are_freed_neither_by_their_last_reference_nor_at_exit_in_a_process_that_ends_after_its_work():
    out = _run(ABANDONED + """
    gcpause.ends_after_work()
    work()
    gc.collect()
    print("exiting", flush=True)
    """)
    assert out.split() == ["returned", "exiting"]


def test_abandoned_objects_are_freed_as_usual_otherwise():
    assert _run(ABANDONED + "    work()\n").split() == ["returned", "freed"]  # when work's frame goes
    out = _run(ABANDONED + """
    gc.disable()  # no pause of its own to end: nothing would hide them from the collector
    gcpause.ends_after_work()
    work()
    """)
    assert out.split() == ["returned", "freed"]
