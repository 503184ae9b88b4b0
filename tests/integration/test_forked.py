"""A computation in a forked child (``api.services.forked``), and the ingest that computes its answers that way.

The mechanics run in fresh single-threaded interpreters (a pytest worker has
threads, where ``ChildResult`` rightly computes in the parent). The ingest runs
as the real ``cairn`` command, a process of one thread, so its answers come
from the child; they must be what the analyses compute on the stored graph.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from cairn.api.bootstrap import open_store
from cairn.api.services.answers import compute_answers, read_answer, stored_name
from cairn.api.services.forked import ChildResult
from cairn.graph.values import dumps
from fixtures.explore import build_shop

CLI = str(Path(sys.executable).parent / "cairn")


def _python(body: str) -> str:
    code = "from cairn.api.services.forked import ChildResult\nimport os, threading\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_the_child_computes_the_value_and_the_parent_reads_it():
    out = _python("""
        parent = os.getpid()
        result = ChildResult(lambda: {"pid": os.getpid(), "set": {3, 1}, "text": "caf\\u00e9 \\udcff", "nan": float("nan")})
        forked = result.forked
        value = result.result()
        print(forked, value["pid"] != parent, value["set"], ascii(value["text"]), value["nan"] != value["nan"])
    """)
    assert out == "True True [1, 3] 'caf\\xe9 \\udcff' True"


def test_a_failing_child_leaves_the_parent_to_compute_it():
    out = _python("""
        parent = os.getpid()
        calls = []
        def compute():
            calls.append(os.getpid())
            if os.getpid() != parent:
                raise RuntimeError("only in the child")
            return "from the parent"
        result = ChildResult(compute)
        forked = result.forked
        print(forked, result.result(), calls == [parent])
    """)
    # the child's call happened in the child's copy of ``calls``: the parent saw only its own
    assert out == "True from the parent True"


def test_a_child_killed_by_a_signal_leaves_the_parent_to_compute_it():
    out = _python("""
        import signal
        parent = os.getpid()
        def compute():
            if os.getpid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)
            return 42
        print(ChildResult(compute).result())
    """)
    assert out == "42"


def test_a_child_whose_value_is_not_wanted_is_stopped():
    out = _python("""
        import time
        parent = os.getpid()
        def compute():
            if os.getpid() != parent:
                time.sleep(60)  # as if blocked on a full pipe nobody reads
            return "x" * 1_000_000
        try:
            with ChildResult(compute) as result:
                child = result._pid
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
        try:
            os.kill(child, 0)
            print("still there")
        except ProcessLookupError:
            print("gone", result.forked)
    """)
    assert out == "gone False"


def test_a_process_with_another_thread_does_not_fork():
    out = _python("""
        stop = threading.Event()
        worker = threading.Thread(target=stop.wait)
        worker.start()
        parent = os.getpid()
        result = ChildResult(lambda: os.getpid())
        forked = result.forked
        print(forked, result.result() == parent)
        stop.set()
        worker.join()
    """)
    assert out == "False True"


def test_an_ingest_by_the_cairn_command_keeps_the_answers_the_stored_graph_gives(tmp_path):
    repo = build_shop(tmp_path / "shop")
    store_dir = tmp_path / "store"
    proc = subprocess.run([CLI, "ingest", str(repo.root), "--store", str(store_dir), "--format", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    store = open_store(str(store_dir))
    expected = compute_answers(store.load("shop"))
    assert len(expected) > 6  # every kind, a card per component
    for name, value in expected.items():
        assert read_answer(store, "shop", name) is not None, name
        assert dumps(store.load_answer("shop", stored_name(name))) == dumps(value), name
