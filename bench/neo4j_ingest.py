"""Benchmark: how fast a fresh Neo4j (the tests' launcher, started cold) loads a repository graph.

Usage::

    .venv/bin/python bench/neo4j_ingest.py [--repeat 3] [--modules 30000] [--imports-per-module 10]
    .venv/bin/python bench/neo4j_ingest.py --from-store /path/to/store --repo NAME   # an ingested repository
    git archive main | tar -x -C /tmp/old   # an earlier build's source tree
    .venv/bin/python bench/neo4j_ingest.py --baseline /tmp/old                # before/after, same rounds
    .venv/bin/python bench/neo4j_ingest.py --uri bolt://…  --phases all                # a server of your own

Each round starts a fresh server with ``tests/neo4j/server.sh`` (a new data
directory, a cold JVM), saves the graph into the empty database with
``Neo4jStore.save`` in a worker process, checks what was stored, and stops the
server. Items are nodes + relationships; the figure is items per second of that
first save, best of ``--repeat`` rounds. With ``--baseline TREE`` (the source tree of
an earlier build, whose ``cairn`` package the worker imports instead of this one's)
every round also runs that build on a fresh server of its own (started by that
tree's tests/neo4j/server.sh, so a change of the launcher is measured too), the two taking turns at going first, and the ratio is
printed; ``--jit`` / ``--baseline-jit`` choose the servers' JIT (``NEO4J_TEST_JIT`` of
the launcher: ``quick``, its default, or ``full``). ``--phases all`` adds, on the last
round, a re-save of the same graph (a new run written, the previous one deleted) and
a load.

The machine is shared, so beside wall times the worker records what the
server spent on a CPU (``/proc/PID/stat``) and its threads waiting for one
(``/proc/PID/task/*/schedstat``): a large wait means the figure measures the
machine's load, not the store. Items per second of server CPU is the figure the
load moves least (under a load of 6-10 on 2 cores the same build still varies by
about 8%): the rate is at most that times the cores the server can use. It is
also given by kind of thread (Bolt workers running the transactions, Bolt network
threads decoding them, GC, the JIT compiler's threads that still live), and up to
when the nodes were all written. ``NEO4J_TEST_JAVA_OPTS`` of the launcher takes a profiler
(``-Xshare:off -XX:StartFlightRecording=…``: JFR with the class-data archive crashes
Java 17's start).
Results go to ``bench/results/neo4j_ingest.json``.

The generated graph is what an ingest of a large Python monorepo looks like to the
store: modules in components, each importing a handful of modules (mostly within its
own component) and external packages, people who know files.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from cairn.graph.model import RepoGraph

SERVER = ROOT / "tests" / "neo4j" / "server.sh"
RESULTS = ROOT / "bench" / "results" / "neo4j_ingest.json"
TARGET = 60_000  # items per second, issue 14


def generate(repo: str, modules: int, imports_per_module: int, seed: int = 7) -> RepoGraph:
    from cairn.graph.model import Label, Rel, RepoGraph  # of the build measured (see use_build)

    rng = random.Random(seed)
    g = RepoGraph(repo)
    root = g.add_node(Label.REPOSITORY, repo, head="0" * 40, path=f"/src/{repo}")
    components = [g.add_node(Label.COMPONENT, f"comp{c:03d}", source="inferred", truck_factor=rng.randint(1, 5))
                  for c in range(max(1, modules // 500))]
    for comp in components:
        g.add_edge(Rel.PART_OF, comp, root)
    externals = [g.add_node(Label.EXTERNAL, name, ecosystem="pypi")
                 for name in ("requests", "numpy", "pandas", "yaml", "attr", "click", "django", "flask")]
    people = [g.add_node(Label.PERSON, f"dev{p}@example.com", kind="human", display=f"Developer {p}")
              for p in range(max(1, modules // 200))]
    mods = []
    for i in range(modules):
        comp = components[i % len(components)]
        name = f"{comp.key}.pkg{i // 1000}.mod{i}"
        m = g.add_node(Label.MODULE, name, path=name.replace(".", "/") + ".py", language="python",
                       component=comp.key, loc=rng.randint(10, 2000))
        g.add_edge(Rel.PART_OF, m, comp)
        mods.append(m)
    for i, m in enumerate(mods):
        targets: set[int] = set()
        while len(targets) < imports_per_module:
            if rng.random() < 0.7:  # mostly within the component
                j = (i + len(components) * rng.randint(-50, 50)) % modules
            else:
                j = rng.randrange(modules)
            if j != i:
                targets.add(j)
        for j in targets:
            g.add_edge(Rel.IMPORTS, m, mods[j], lines=[rng.randint(1, 40)], kind="runtime")
        if i % 10 == 0:
            g.add_edge(Rel.IMPORTS, m, externals[i % len(externals)], lines=[1], kind="runtime")
    for p, person in enumerate(people):
        for j in range(0, modules, max(1, modules // 20)):
            g.add_edge(Rel.KNOWS, person, mods[(j + p) % modules], doa=round(rng.uniform(1, 10), 3), deliveries=rng.randint(1, 30))
    return g


# -- the server ----------------------------------------------------------------------

def start_server(home: str, jit: str | None, tree: str | None = None) -> tuple[str, int]:
    """(Bolt URI, JVM pid) of a fresh server in ``home``, with the launcher's settings (``$NEO4J_TEST_*``).

    The launcher is this build's, or that of the source tree ``tree`` if it has one.
    """
    env = dict(os.environ, NEO4J_TEST_HOME=home)
    if jit:
        env["NEO4J_TEST_JIT"] = jit
    server = Path(tree, "tests", "neo4j", "server.sh") if tree else SERVER
    out = subprocess.run(["bash", str(server if server.is_file() else SERVER), "start"], env=env, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1], int(Path(home, "neo4j.pid").read_text())


def stop_server(home: str) -> None:
    """Stop the server of ``home`` and remove its data directory."""
    subprocess.run(["bash", str(SERVER), "stop"], env=dict(os.environ, NEO4J_TEST_HOME=home), check=False,
                   capture_output=True)
    shutil.rmtree(home, ignore_errors=True)


def thread_seconds(pid: int | None) -> dict[str, float]:
    """CPU seconds so far of the living threads of JVM ``pid`` by kind: Bolt workers, Bolt network, GC, JIT compiler.

    Threads of other kinds are left out; so are threads that ended (the JVM ends
    idle compiler threads), whose time only the process total keeps.
    """
    kinds: dict[str, float] = {}
    for path in glob.glob(f"/proc/{pid}/task/*") if pid else ():
        try:
            name = Path(path, "comm").read_text().strip()  # at most 15 characters: "neo4j.BoltWorke"
            fields = Path(path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a thread that ended meanwhile
        kind = ("Bolt workers" if "BoltWorke" in name else "Bolt network" if "BoltNetwo" in name else
                "GC" if name.startswith(("GC ", "G1 ")) else "JIT" if "CompilerThre" in name else None)
        if kind:
            kinds[kind] = kinds.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return kinds


def scheduler_seconds(pid: int | None) -> tuple[float, float]:
    """(on a CPU, waiting for one) seconds so far of process ``pid`` (the wait: of its living threads)."""
    if not pid:
        return 0.0, 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    on_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    waiting = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            waiting += int(Path(path).read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return on_cpu, waiting / 1e9


# -- one measurement, in a worker process ------------------------------------------------

def load_graph(args: argparse.Namespace) -> RepoGraph:
    if args.from_store:
        from cairn.api.bootstrap import open_store

        with open_store(args.from_store) as store:
            return store.load(args.repo)
    return generate("bench/monorepo", args.modules, args.imports_per_module)


def use_build(tree: str) -> None:
    """Import ``cairn`` from the source tree ``tree`` (an earlier build) instead of this one.

    ``tree`` is a checkout of Cairn (``git worktree add`` or ``git archive REV | tar -x``);
    its ``pyproject.toml`` says which folder holds which package (``package-dir``).
    """
    import importlib.abc
    import importlib.machinery
    import tomllib

    root = Path(tree).resolve()
    mapping = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]

    class EarlierBuild(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
            if name not in mapping:
                return None  # submodules are found through their package's __path__, in the tree
            folder = root / mapping[name]
            return importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                          submodule_search_locations=[str(folder)])

    for name in [n for n in sys.modules if n == "cairn" or n.startswith("cairn.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, EarlierBuild())


def store_class() -> type:
    from cairn.graph.neo4j_store import Neo4jStore

    return Neo4jStore


def worker(args: argparse.Namespace) -> dict[str, Any]:
    if args.baseline:
        use_build(args.baseline)
    from cairn.graph.errors import UnknownRepository

    graph = load_graph(args)
    items = len(graph)
    store = store_class().from_uri(args.uri)
    for name in ("node_batch", "edge_batch", "writers"):
        value = getattr(args, name)
        if value:
            setattr(store, {"node_batch": "node_batch_size", "edge_batch": "edge_batch_size"}.get(name, name), value)
    out: dict[str, Any] = {"build": str(Path(sys.modules[store_class().__module__].__file__ or "").parents[1]), "nodes": len(graph.nodes), "relationships": len(graph.edges),
                           "batch": [store.node_batch_size, store.edge_batch_size], "writers": store.writers}
    with store:
        try:
            store.delete(graph.repo)
        except UnknownRepository:
            pass

        def timed(phase: str, action: Any) -> dict[str, Any]:
            cpu0, wait0 = scheduler_seconds(args.server_pid)
            threads0 = thread_seconds(args.server_pid)
            client0 = time.process_time()
            started = time.perf_counter()
            action()
            seconds = time.perf_counter() - started
            cpu1, wait1 = scheduler_seconds(args.server_pid)
            threads1 = thread_seconds(args.server_pid)
            out[phase] = {"seconds": round(seconds, 2), "items_per_second": round(items / seconds),
                          "server_cpu": round(cpu1 - cpu0, 1), "server_waiting_for_cpu": round(wait1 - wait0, 1),
                          "client_cpu": round(time.process_time() - client0, 1)}
            if args.server_pid and cpu1 > cpu0:
                # What the server's CPU time alone allows, whatever the machine's load: the
                # rate if it had every core of the machine to itself and used them all.
                out[phase]["items_per_server_cpu_second"] = round(items / (cpu1 - cpu0))
                by_thread = {kind: seconds - threads0.get(kind, 0.0) for kind, seconds in threads1.items()}
                by_thread["ended threads and the rest"] = (cpu1 - cpu0) - sum(by_thread.values())
                out[phase]["server_cpu_by_thread"] = {kind: round(seconds, 1) for kind, seconds in by_thread.items()}
            return out[phase]

        # The save writes the nodes first, then the relationships: when the count of
        # items written reaches the nodes, the nodes are all written.
        nodes_written: list[tuple[float, float]] = []  # (seconds, server CPU seconds) when the nodes were written
        save_started = [0.0, 0.0]

        def progress(done: int, total: int) -> None:
            if not nodes_written and done >= len(graph.nodes):
                nodes_written.append((time.perf_counter() - save_started[0],
                                      scheduler_seconds(args.server_pid)[0] - save_started[1]))

        def first_save() -> None:
            save_started[:] = [time.perf_counter(), scheduler_seconds(args.server_pid)[0]]
            store.save(graph, progress=progress)

        saved = timed("save", first_save)
        if nodes_written:
            saved["nodes_seconds"] = round(nodes_written[0][0], 2)
            if args.server_pid:
                saved["nodes_server_cpu"] = round(nodes_written[0][1], 1)
        stored = store.cypher("MATCH (n:CairnNode {_repo: $r}) RETURN count(n) AS n", {"r": graph.repo})[0]["n"]
        assert stored == len(graph.nodes), f"{stored} nodes stored, expected {len(graph.nodes)}"
        if args.phases == "all":
            timed("re-save", lambda: store.save(graph))
            loaded: list[RepoGraph] = []
            timed("load", lambda: loaded.append(store.load(graph.repo)))
            assert len(loaded[0].nodes) == len(graph.nodes) and len(loaded[0].edges) == len(graph.edges)
    return out


def run_worker(args: argparse.Namespace, uri: str, pid: int | None, baseline: str | None, phases: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--uri", uri, "--phases", phases,
               "--modules", str(args.modules), "--imports-per-module", str(args.imports_per_module)]
    for flag, value in (("--server-pid", pid), ("--baseline", baseline), ("--from-store", args.from_store),
                        ("--repo", args.repo), ("--node-batch", args.node_batch), ("--edge-batch", args.edge_batch),
                        ("--writers", args.writers)):
        if value:
            command += [flag, str(value)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the rounds ---------------------------------------------------------------------------

def describe(phase: str, result: dict[str, Any]) -> str:
    nodes = f", the nodes in the first {result['nodes_seconds']:.1f}s" if "nodes_seconds" in result else ""
    if "nodes_server_cpu" in result:
        nodes += f" ({result['nodes_server_cpu']}s of server CPU)"
    per_cpu = (f"; {result['items_per_server_cpu_second']:,} items per second of server CPU"
               if "items_per_server_cpu_second" in result else "")
    threads = result.get("server_cpu_by_thread")
    by_thread = f" [{', '.join(f'{kind} {seconds}s' for kind, seconds in threads.items())}]" if threads else ""
    return (f"{phase}: {result['seconds']:.1f}s = {result['items_per_second']:,}/s{nodes} "
            f"(server on CPU {result['server_cpu']}s{by_thread}, waiting for a CPU {result['server_waiting_for_cpu']}s; "
            f"client CPU {result['client_cpu']}s{per_cpu})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", help="a running server to use instead of fresh ones (not 'started cold')")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modules", type=int, default=30_000)
    parser.add_argument("--imports-per-module", type=int, default=10)
    parser.add_argument("--from-store", help="take the graph from this store (path or URI) instead of generating one")
    parser.add_argument("--repo", help="the repository in --from-store")
    parser.add_argument("--baseline", help="the source tree of an earlier build (git worktree add / git archive), measured in the same rounds")
    parser.add_argument("--jit", choices=("quick", "full"), help="the fresh servers' JIT (tests/neo4j/server.sh's default if not given)")
    parser.add_argument("--baseline-jit", choices=("quick", "full"), help="the baseline's servers' JIT (default: as --jit)")
    parser.add_argument("--phases", choices=("save", "all"), default="save")
    parser.add_argument("--node-batch", type=int)
    parser.add_argument("--edge-batch", type=int)
    parser.add_argument("--writers", type=int)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, help="with --uri: the server's pid, for its CPU times")
    args = parser.parse_args()
    if args.from_store and not args.repo:
        parser.error("--from-store needs --repo")
    if args.worker:
        print(json.dumps(worker(args)))
        return 0

    variants: dict[str, tuple[str | None, str | None]] = {"this build": (None, args.jit)}
    if args.baseline:
        variants["baseline"] = (str(Path(args.baseline).resolve()), args.baseline_jit or args.jit)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    for round_ in range(args.repeat):
        order = list(variants.items())
        if round_ % 2:
            order.reverse()
        for name, (baseline, jit) in order:
            phases = args.phases if round_ == args.repeat - 1 else "save"
            if args.uri:
                result = run_worker(args, args.uri, args.server_pid, baseline, phases)
            else:
                home = tempfile.mkdtemp(prefix="cairn-neo4j-bench.")
                try:
                    started = time.perf_counter()
                    uri, pid = start_server(home, jit, baseline)
                    start_seconds = time.perf_counter() - started
                    result = run_worker(args, uri, pid, baseline, phases)
                    result["server_start_seconds"] = round(start_seconds, 1)
                    result["jit"] = jit or os.environ.get("NEO4J_TEST_JIT") or "launcher default"
                finally:
                    stop_server(home)
            result["load_average"] = round(os.getloadavg()[0], 1)
            runs[name].append(result)
            items = result["nodes"] + result["relationships"]
            print(f"round {round_ + 1}, {name}: {result['nodes']:,} nodes + {result['relationships']:,} relationships = "
                  f"{items:,} items; load average {result['load_average']}"
                  + (f"; server JIT {result['jit']}, started in {result['server_start_seconds']}s" if "jit" in result else ""),
                  flush=True)
            for phase in ("save", "re-save", "load"):
                if phase in result:
                    print("  " + describe(phase, result[phase]), flush=True)

    best = {name: max(r["save"]["items_per_second"] for r in results) for name, results in runs.items()}
    print(f"\nfirst save into a fresh server, best of {args.repeat}:")
    for name, results in runs.items():
        fastest = max(results, key=lambda r: r["save"]["items_per_second"])
        per_cpu = [r["save"]["items_per_server_cpu_second"] for r in results if "items_per_server_cpu_second" in r["save"]]
        print(f"  {name}: {best[name]:,} items/s (load average {fastest['load_average']})"
              + (f"; best {max(per_cpu):,} items per second of server CPU" if per_cpu else ""))
    if "baseline" in best:
        print(f"  ratio this build / baseline: {best['this build'] / best['baseline']:.2f}x")
    met = best["this build"] >= TARGET
    print(f"target >= {TARGET:,} items/s: {best['this build']:,}/s, {'met' if met else 'NOT met'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"best_items_per_second": best, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
