"""Store benchmark: what a query pays to read from the SQLite store versus the JSON files it replaced.

Given an embedded store holding a repository (``--store DIR``, e.g. after
``cairn ingest`` of the 50k-module synthetic repository of ``bench/scale.py``),
it writes the same graph in the JSON store's layout (``store.json`` +
``graphs/<slug>.json``, as Cairn wrote it before the SQLite store) and keeps a
derived answer (the ``bus_factor`` report) with ``save_answers``. Then each
operation runs ``--repeat`` times, each in a fresh process, reporting the best
time of the operation itself (measured inside the process, interpreter start
excluded) and the largest peak RSS of the process:

* ``json load``: the whole graph from the JSON file (what every query did);
* ``sqlite load``: the whole graph from SQLite;
* ``sqlite load_part``: Components + Repository, no relationships (a component list);
  Modules + IMPORTS (a dependency query);
* ``sqlite load_answer``: one stored answer;
* ``sqlite save (unchanged)``: re-saving the same graph (the diff writes no row;
  the answers are saved again after it);
* ``sqlite save (3 nodes, 3 edges changed)``: what an ingest after a small commit
  asks of the store: three nodes and three relationships (not KNOWS or IMPORTS,
  which such an ingest patches) get a new property value, the rest is as stored
  (the chunks of ``graph.sqlite_chunks`` that did not change are skipped);
* ``sqlite save (cold)``, ``json save``: writing the graph into an empty store.

    python bench/store_bench.py --store /tmp/store-50k [--repo NAME] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cairn.graph.model import Label, Rel
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.values import dumps

OPERATIONS = {
    "json load": "json-load",
    "sqlite load": "sqlite-load",
    "sqlite load_part Component+Repository": "part-components",
    "sqlite load_part Module+IMPORTS": "part-imports",
    "sqlite load_answer bus_factor": "answer",
    "sqlite save (unchanged graph)": "sqlite-resave",
    "sqlite save (3 nodes, 3 edges changed)": "sqlite-save-few",
    "sqlite save (cold, empty store)": "sqlite-save-cold",
    "json save (cold, empty store)": "json-save-cold",
}


def write_json_store(root: Path, graph) -> None:
    """The JSON store's layout and serialisation, as Cairn wrote it before SQLite."""
    (root / "graphs").mkdir(parents=True, exist_ok=True)
    payload = {"format": 1, "repo": graph.repo,
               "nodes": [[n.label.value, n.key, n.props] for n in graph.nodes.values()],
               "edges": [[e.type.value, e.source, e.target, e.props] for e in graph.edges.values()]}
    (root / "graphs" / "repo.json").write_text(dumps(payload))
    index = {"format": 1, "repositories": {graph.repo: {"file": "graphs/repo.json", "props": graph.repository.props}}}
    (root / "store.json").write_text(dumps(index))


def prepare(store: Path, json_dir: Path, repo: str, answers_file: Path) -> dict:
    """Write the JSON store and the answer file, keep the answer; the sizes of everything."""
    from cairn.queries.ownership import bus_factor

    s = SqliteStore(store)
    graph = s.load(repo)
    answers = {"bus_factor": bus_factor(graph)}
    answers_file.write_text(dumps(answers))
    s.save_answers(repo, answers)
    write_json_store(json_dir, graph)
    return {"nodes": len(graph.nodes), "relationships": len(graph.edges),
            "json MB": round((json_dir / "graphs" / "repo.json").stat().st_size / 2**20, 1),
            "sqlite MB": round(sum(p.stat().st_size for p in store.glob("cairn.db*")) / 2**20, 1),
            "answer KB": round(len(dumps(answers["bus_factor"])) / 1024, 1)}


def run_operation(op: str, store: Path, json_dir: Path, repo: str, scratch: Path) -> float:
    """Run one operation in this process; its seconds."""
    if op == "save-answers":
        SqliteStore(store).save_answers(repo, json.loads((scratch.parent / "answers.json").read_text()))
        return 0.0
    if op == "json-load":
        from cairn.graph import legacy_json
        started = time.perf_counter()
        graph = next(legacy_json.legacy_graphs(json_dir))
        elapsed = time.perf_counter() - started
        assert len(graph)
        return elapsed
    if op in ("sqlite-save-cold", "json-save-cold"):
        graph = SqliteStore(store).load(repo)
        shutil.rmtree(scratch, ignore_errors=True)
        started = time.perf_counter()
        if op == "sqlite-save-cold":
            SqliteStore(scratch).save(graph)
        else:
            write_json_store(scratch, graph)
        return time.perf_counter() - started
    if op == "sqlite-resave":
        graph = SqliteStore(store).load(repo)
        started = time.perf_counter()
        SqliteStore(store).save(graph)
        return time.perf_counter() - started
    if op == "sqlite-save-few":
        graph = SqliteStore(store).load(repo)
        stamp = time.time_ns()
        for node_id in sorted(graph.nodes)[:: max(1, len(graph.nodes) // 3)][:3]:
            graph.nodes[node_id].props["bench_stamp"] = stamp
        keys = sorted(k for k in graph.edges if k[0] not in (Rel.KNOWS.value, Rel.IMPORTS.value))
        for key in keys[:: max(1, len(keys) // 3)][:3]:
            graph.edges[key].props["bench_stamp"] = stamp
        started = time.perf_counter()
        SqliteStore(store).save(graph)
        return time.perf_counter() - started
    started = time.perf_counter()
    s = SqliteStore(store)
    if op == "sqlite-load":
        result = s.load(repo)
    elif op == "part-components":
        result = s.load_part(repo, labels=[Label.COMPONENT, Label.REPOSITORY])
    elif op == "part-imports":
        result = s.load_part(repo, labels=[Label.MODULE], rels=[Rel.IMPORTS])
    elif op == "answer":
        result = s.load_answer(repo, "bus_factor")
    else:
        raise SystemExit(f"unknown operation {op}")
    elapsed = time.perf_counter() - started
    assert result
    return elapsed


def measure(op: str, store: Path, json_dir: Path, repo: str, scratch: Path) -> tuple[str, int]:
    """Run ``op`` in a fresh process (this one stays small, so the child's peak RSS is its own); (its output, peak RSS)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", op, "--store", str(store), "--json-dir", str(json_dir),
                             "--repo", repo, "--scratch", str(scratch)], stdout=subprocess.PIPE)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{op} failed")
    return out.decode(), usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--json-dir", type=Path)
    parser.add_argument("--scratch", type=Path)
    args = parser.parse_args()
    if args.child == "prepare":
        print(json.dumps(prepare(args.store, args.json_dir, args.repo, args.scratch.parent / "answers.json")))
        return
    if args.child:
        print(run_operation(args.child, args.store, args.json_dir, args.repo, args.scratch))
        return
    repo = args.repo
    if repo is None:
        names = [r.repo for r in SqliteStore(args.store).repositories()]
        if len(names) != 1:
            raise SystemExit(f"name the repository with --repo: the store holds {', '.join(names) or 'none'}")
        repo = names[0]
    work = Path(tempfile.mkdtemp(prefix="cairn-store-bench-"))
    try:
        json_dir = work / "json-store"
        scratch = work / "scratch"
        sizes, prepare_rss = measure("prepare", args.store, json_dir, repo, scratch)
        samples: dict[str, list[tuple[float, int]]] = {name: [] for name in OPERATIONS}
        for _ in range(args.repeat):
            for name, op in OPERATIONS.items():
                out, rss = measure(op, args.store, json_dir, repo, scratch)
                samples[name].append((float(out), rss))
            measure("save-answers", args.store, json_dir, repo, scratch)  # the re-save made the answer unreadable
        whole = min(t for t, _ in samples["json load"])
        print(f"{repo}: {sizes.strip()}")
        print("| operation | best | vs json load | peak RSS |\n|---|---|---|---|")
        for name, runs in samples.items():
            best = min(t for t, _ in runs)
            print(f"| {name} | {best * 1000:.1f} ms | {best / whole:.4f}× | {max(r for _, r in runs) / 2**20:.0f} MB |")
        print(json.dumps({name: runs for name, runs in samples.items()}), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
