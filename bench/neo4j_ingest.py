"""Benchmark: save a generated repository graph (>= 100k nodes, >= 1M relationships) to Neo4j.

Usage::

    .venv/bin/python bench/neo4j_ingest.py [--uri bolt://…] [--modules 100000] [--imports-per-module 10]

Without ``--uri`` (or ``$CAIRN_TEST_NEO4J_URI``) it starts its own Neo4j with
``tests/neo4j/server.sh`` in a temporary home and stops it afterwards. It reports
nodes + relationships per second for a first save (an empty repository), a re-save
of the same graph (a new run written, the previous one deleted) and a load, and
writes the figures to ``bench/results/neo4j_ingest.json``.

The graph is what an ingest of a large Python monorepo looks like to the store:
modules in components, each importing a handful of modules (mostly within its own
component) and external packages, people who know files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cairn.graph.model import Label, Rel, RepoGraph  # noqa: E402
from cairn.graph.neo4j_store import Neo4jStore  # noqa: E402
from cairn.graph.errors import UnknownRepository  # noqa: E402

SERVER = ROOT / "tests" / "neo4j" / "server.sh"


def generate(repo: str, modules: int, imports_per_module: int, seed: int = 7) -> RepoGraph:
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


def _rust_packstream() -> bool:
    """Whether the driver packs Bolt messages with the optional neo4j-rust-ext (several times faster)."""
    try:
        from neo4j._codec.packstream import v1
    except ImportError:
        return False
    return getattr(v1, "_rust_pack", None) is not None


def start_server(home: str) -> str:
    env = dict(os.environ, NEO4J_TEST_HOME=home)
    env.setdefault("NEO4J_TEST_PAGECACHE", "2048")
    env.setdefault("NEO4J_TEST_HEAP", "4g")
    out = subprocess.run([str(SERVER), "start"], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def stop_server(home: str) -> None:
    subprocess.run([str(SERVER), "stop"], env=dict(os.environ, NEO4J_TEST_HOME=home), check=False,
                   capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", default=os.environ.get("CAIRN_TEST_NEO4J_URI"))
    parser.add_argument("--modules", type=int, default=100_000)
    parser.add_argument("--imports-per-module", type=int, default=10)
    parser.add_argument("--node-batch", type=int, default=Neo4jStore.node_batch_size)
    parser.add_argument("--edge-batch", type=int, default=Neo4jStore.edge_batch_size)
    parser.add_argument("--writers", type=int, default=Neo4jStore.writers)
    args = parser.parse_args()

    t = time.perf_counter()
    graph = generate("bench/monorepo", args.modules, args.imports_per_module)
    items = len(graph)
    print(f"generated {len(graph.nodes):,} nodes and {len(graph.edges):,} relationships in {time.perf_counter() - t:.1f}s",
          flush=True)

    home = None
    uri = args.uri
    if not uri:
        home = tempfile.mkdtemp(prefix="cairn-neo4j-bench.")
        t = time.perf_counter()
        uri = start_server(home)
        print(f"started Neo4j at {uri} in {time.perf_counter() - t:.1f}s", flush=True)
    results: dict[str, object] = {
        "nodes": len(graph.nodes),
        "relationships": len(graph.edges),
        "cpus": os.cpu_count(),
        "writers": args.writers,
        "neo4j_rust_ext": _rust_packstream(),
    }
    try:
        store = Neo4jStore.from_uri(uri)
        store.node_batch_size = args.node_batch
        store.edge_batch_size = args.edge_batch
        store.writers = args.writers
        with store:
            try:
                store.delete(graph.repo)
            except UnknownRepository:
                pass

            def timed(phase: str, action, count: int = items) -> None:
                t = time.perf_counter()
                action()
                secs = time.perf_counter() - t
                results[phase] = {"seconds": round(secs, 2), "items_per_second": round(count / secs)}
                print(f"{phase}: {count:,} nodes+relationships in {secs:.1f}s = {count / secs:,.0f}/s", flush=True)

            # A freshly started JVM runs the first save before the JIT has compiled the hot
            # paths; a team's Neo4j is a long-running server, so the headline is the warm save.
            timed("first save, cold server", lambda: store.save(graph))
            timed("delete", lambda: store.delete(graph.repo))
            timed("first save, warm server", lambda: store.save(graph))
            timed("re-save (new run written, previous one deleted)", lambda: store.save(graph))
            t = time.perf_counter()
            loaded = store.load(graph.repo)
            secs = time.perf_counter() - t
            results["load"] = {"seconds": round(secs, 2), "items_per_second": round(items / secs)}
            print(f"load: {len(loaded):,} items in {secs:.1f}s = {len(loaded) / secs:,.0f}/s", flush=True)
            assert len(loaded.nodes) == len(graph.nodes) and len(loaded.edges) == len(graph.edges)
            count = store.cypher("MATCH (n:CairnNode {_repo: $r}) RETURN count(n) AS n", {"r": graph.repo})[0]["n"]
            assert count == len(graph.nodes), f"{count} nodes stored after re-save, expected {len(graph.nodes)}"
    finally:
        if home:
            stop_server(home)
    out = ROOT / "bench" / "results" / "neo4j_ingest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    rate = results["first save, warm server"]["items_per_second"]
    print(f"target >= 50,000 nodes+relationships/s (first save, warm server): {rate:,}/s, {'met' if rate >= 50_000 else 'NOT met'}"
          f" (packstream in {'Rust' if results['neo4j_rust_ext'] else 'pure Python'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
