"""A computation in a forked child (``api.services.forked``), and the ingest that computes its answers that way.

The mechanics run in fresh single-threaded interpreters (a pytest worker has
threads, where ``ChildResult`` rightly computes in the parent). The ingest runs
as the real ``cairn`` command, a process of one thread, so its answers come
from the child; they must be what the analyses compute on the stored graph.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.answers import compute_answers, read_answer, stored_name
from cairn.graph.forked import ChildResult
from cairn.graph.values import dumps
from fixtures.explore import build_shop

CLI = str(Path(sys.executable).parent / "cairn")
#: the tests that expect a child to be started: a machine (or cpuset) with one CPU never starts one
forks = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: ChildResult never forks here")


def _python(body: str) -> str:
    code = "from cairn.graph.forked import ChildResult\nimport os, threading\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@forks
def test_the_child_computes_the_value_and_the_parent_reads_it():
    out = _python("""
        parent = os.getpid()
        result = ChildResult(lambda: {"pid": os.getpid(), "set": {3, 1}, "text": "caf\\u00e9 \\udcff", "nan": float("nan")})
        forked = result.forked
        value = result.result()
        print(forked, value["pid"] != parent, value["set"], ascii(value["text"]), value["nan"] != value["nan"])
    """)
    assert out == "True True [1, 3] 'caf\\xe9 \\udcff' True"


@forks
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


@forks
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


def test_a_process_bound_to_one_cpu_does_not_fork():
    out = _python("""
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        parent = os.getpid()
        result = ChildResult(lambda: os.getpid())
        forked = result.forked
        print(forked, result.result() == parent)
    """)
    assert out == "False True"


def test_an_eager_value_is_computed_at_once_when_no_child_can_be_started():
    out = _python("""
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        calls = []
        result = ChildResult(lambda: calls.append(1) or len(calls), eager=True)
        print(calls, result.result(), result.result(), calls)
    """)
    assert out == "[1] 1 1 [1]"


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


def _graph_rows(store, repo: str) -> tuple[dict, dict]:
    graph = store.load(repo)
    nodes = {nid: dumps(n.props) for nid, n in graph.nodes.items() if n.label.value != "Repository"}
    return nodes, {key: dumps(e.props) for key, e in graph.edges.items()}


def test_caches_written_by_a_child_serve_the_next_ingest_as_the_parent_would(tmp_path):
    """The parse cache and the history state, written on a second core by the real command, are what the
    ingest after a commit builds on: it parses the changed file alone, and its graph is a cold ingest's."""
    repo = build_shop(tmp_path / "shop")
    store_dir = tmp_path / "store"

    def ingest() -> dict:
        proc = subprocess.run([CLI, "ingest", str(repo.root), "--store", str(store_dir), "--format", "json"],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    first = ingest()
    assert first["parsed"] > 5 and first["cached"] == 0
    assert sorted(p.name.split("-")[0] for p in (store_dir / "cache").iterdir() if not p.name.startswith(".")) == [
        "history", "parse", "parse", "trend"]
    repo.commit({"src/shop/core/prices.py": "from shop.core.models import Customer, Order\n\n\ndef price(order: Order) -> int:\n    return 2\n"},
                message="prices", author=("Grace Hopper", "grace@example.com"))
    after = ingest()
    assert (after["parsed"], after["cached"]) == (1, first["parsed"] - 1)
    assert not any("state" in note or "cache" in note for note in after["notes"]), after["notes"]

    cold_dir = tmp_path / "cold"
    proc = subprocess.run([CLI, "ingest", str(repo.root), "--store", str(cold_dir), "--format", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert _graph_rows(open_store(str(store_dir)), "shop") == _graph_rows(open_store(str(cold_dir)), "shop")
