"""Benchmark: Cairn's history ingest + truck factor against a bare ``git log`` and the PyPI ``truckfactor`` tool.

For each repository checkout, in the same run:

* **git**: ``git log -M --name-status HEAD > /dev/null`` (the floor: Cairn
  cannot read history faster than git writes it);
* **cairn**: ``mine_history`` + Person/KNOWS edges for the source files at
  HEAD + ``bus_factor`` (truck factor of the repository and every component),
  i.e. the history part of ``cairn ingest`` and the analysis. The file listing
  is the same one ``cairn ingest`` uses and is timed separately;
* **truckfactor** (PyPI, HelgeCPH/truckfactor): ``truckfactor.compute.main``
  in a subprocess with a timeout. It runs ``git log --numstat`` and pandas; its
  algorithm differs (one owner per file = most added lines, every file ever
  seen, names only, no .mailmap), so its TF is printed for reference only;
* **reference**: an independent re-implementation of Avelino et al.'s
  algorithm written from the reference Java code (``DOACalculator``,
  ``AuthorshipInfo``, ``GreedyTruckFactor``): its own ``git log`` text parse,
  per-commit records expanded through renames, identities as the reference
  makes them (upper-cased e-mail, merged by identical upper-cased name), over
  the same file list. Run twice: with every identity (the paper), and without
  the identities Cairn classifies as bots or agents (what Cairn computes).

Prints times (best of ``--repeat``), the ratios against the targets (Cairn at
least 20x faster than truckfactor and within 2x of the bare git log), and the
truck factors with their people.

    python bench/history_bench.py /tmp/pytest-checkout [/tmp/other] [--repeat 3] [--truckfactor-timeout 900]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.graph.model import Label  # noqa: E402
from cairn.ingest.files import list_files  # noqa: E402
from cairn.ingest.history import mine_history  # noqa: E402
from cairn.ingest.knowledge import add_knowledge  # noqa: E402
from cairn.ingest.identities import Classifier  # noqa: E402
from cairn.queries.ownership import bus_factor  # noqa: E402

TRUCKFACTOR_SNIPPET = """
import json, sys
from truckfactor.compute import main
tf, sha, authors = main(sys.argv[1], ouputkind=None)
print(json.dumps({"truck_factor": int(tf), "people": [str(a) for a in authors]}))
"""


def interleaved_best(repeat: int, **runs):
    """Best time of each run over ``repeat`` rounds, the runs alternating so they see the same machine load."""
    best = {name: float("inf") for name in runs}
    results = {}
    for _ in range(repeat):
        for name, fn in runs.items():
            start = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best, results


def bare_git_log(root: Path) -> None:
    subprocess.run(["git", "-C", str(root), "log", "-M", "--name-status", "HEAD"], stdout=subprocess.DEVNULL, check=True)


def source_files(root: Path) -> list[str]:
    listing = list_files(root)
    return sorted(f.path for f in listing.kept if f.language is not None)


def cairn_run(root: Path, files: list[str]) -> dict:
    from cairn.graph.model import RepoGraph

    history = mine_history(root)
    graph = RepoGraph(root.name)
    graph.add_node(Label.REPOSITORY, root.name)
    for path in files:
        graph.add_node(Label.FILE, path, component=None)
    add_knowledge(graph, history)
    report = bus_factor(graph)
    report["repository"]["people_total"] = len(history.people)
    return report


def run_truckfactor(root: Path, timeout: float) -> tuple[float | None, dict | None, str | None]:
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", TRUCKFACTOR_SNIPPET, str(root)], capture_output=True, text=True,
                              timeout=timeout, cwd="/")
    except subprocess.TimeoutExpired:
        return None, None, f"timed out after {timeout:.0f} s"
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        return elapsed, None, (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return elapsed, json.loads(proc.stdout.strip().splitlines()[-1]), None


# -- an independent Avelino et al. computation, after the reference Java code ------------------------------

def reference_truck_factor(root: Path, files: list[str], drop_bots_and_agents: bool) -> dict:
    out = subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotepath=off", "log", "HEAD", "--name-status", "--find-renames",
         "--pretty=format:commit\t%H\t%aN\t%aE"],
        capture_output=True, check=True,
    ).stdout.decode("utf-8", errors="replace")
    classifier = Classifier.from_settings()
    records_by_new: dict[str, list[int]] = {}
    records: list[tuple[str, str, str]] = []  # (developer, status, old name)
    names_of: dict[str, str] = {}
    author = None
    dropped = set()
    for line in out.split("\n"):
        if line.startswith("commit\t"):
            _, _, name, email = line.split("\t", 3)
            if drop_bots_and_agents and classifier.kind(name, email) != "human":
                author = None
                dropped.add(name)
                continue
            author = name.upper() if not email.strip() else email.upper()
            names_of.setdefault(author, name)
            continue
        if not line or author is None:
            continue
        parts = line.split("\t")
        status = parts[0][:1]
        if status not in "AMR":  # the reference's log.awk keeps A, M and R lines only
            continue
        new = parts[-1]
        records.append((author, status, parts[1] if status == "R" else ""))
        records_by_new.setdefault(new, []).append(len(records) - 1)
    # Name-based unification (NewAliasHandler): same upper-cased name -> one developer.
    by_name: dict[str, str] = {}
    canonical: dict[str, str] = {}
    for dev, name in names_of.items():
        canonical[dev] = by_name.setdefault(name.upper(), dev)

    commits: dict[str, int] = {}
    authors_of: dict[str, set[str]] = {}
    for path in files:
        found = records_by_new.get(path)
        if not found:
            continue
        chosen = dict.fromkeys(found)
        todo = list(found)
        while todo:  # expandCommitFileList: follow renames to the old names' records
            rec = records[todo.pop()]
            if rec[1] == "R":
                for older in records_by_new.get(rec[2], ()):
                    if older not in chosen:
                        chosen[older] = None
                        todo.append(older)
        first_author, secondary, deliveries = None, set(), {}
        changes = 0
        for idx in chosen:
            dev, status, _ = records[idx]
            dev = canonical[dev]
            deliveries.setdefault(dev, 0)
            if status == "A":
                if first_author is None:
                    first_author = dev
                elif dev != first_author:
                    secondary.add(dev)
            else:
                deliveries[dev] += 1
                changes += 1
        doa = {}
        for dev, dl in deliveries.items():
            fa = dev == first_author or dev in secondary
            doa[dev] = (3.293 + 1.098 * fa + 0.164 * dl - 0.321 * math.log(1 + changes - dl), fa)
        best = max(v for v, _ in doa.values())
        for dev, (value, fa) in doa.items():
            if value / best > 0.75 and (value >= 3.293 or fa):
                authors_of.setdefault(dev, set()).add(path)
    for dev in canonical.values():
        commits[dev] = 0
    # GreedyTruckFactor
    total = len(files)
    removed = []
    remaining = {d: set(fs) for d, fs in authors_of.items()}
    while remaining:
        covered = set().union(*remaining.values())
        if len(covered) / total < 0.5:
            break
        pick = min(remaining, key=lambda d: (-len(remaining[d]), names_of[d]))
        removed.append(names_of[pick])
        del remaining[pick]
    return {"truck_factor": len(removed), "people": removed, "dropped": sorted(dropped),
            "authors": {names_of[d]: sorted(fs) for d, fs in authors_of.items()}}


def bench(root: Path, repeat: int, tf_timeout: float, with_truckfactor: bool) -> dict:
    root = root.resolve()
    commits = int(subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True, text=True,
                                 check=True).stdout)
    start = time.perf_counter()
    files = source_files(root)
    listing_s = time.perf_counter() - start
    best, results = interleaved_best(
        repeat, git=lambda: bare_git_log(root), mine=lambda: mine_history(root), cairn=lambda: cairn_run(root, files),
    )
    git_s, mine_s, cairn_s, report = best["git"], best["mine"], best["cairn"], results["cairn"]
    result = {
        "repository": str(root), "commits": commits, "source_files": len(files), "listing_s": round(listing_s, 3),
        "git_log_s": round(git_s, 3), "cairn_history_s": round(mine_s, 3), "cairn_s": round(cairn_s, 3),
        "cairn_vs_git": round(cairn_s / git_s, 2),
        "cairn_tf": report["repository"]["truck_factor"], "cairn_tf_people": report["repository"]["truck_factor_people"],
        "cairn_human_tf": report["repository"]["human_truck_factor"], "people": report["repository"]["people_total"],
    }
    for label, drop in (("reference_all", False), ("reference_humans", True)):
        ref = reference_truck_factor(root, files, drop)
        result[label] = {"truck_factor": ref["truck_factor"], "people": ref["people"]}
        if drop:
            result[label]["dropped_identities"] = ref["dropped"]
    if with_truckfactor:
        tf_s, tf, error = run_truckfactor(root, tf_timeout)
        result["truckfactor_s"] = None if tf_s is None else round(tf_s, 2)
        result["truckfactor"] = tf if tf else {"error": error}
        result["truckfactor_vs_cairn"] = round(tf_s / cairn_s, 1) if tf_s and tf else (
            f"> {tf_timeout / cairn_s:.0f}" if error and "timed out" in error else None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repos", nargs="+", type=Path, help="repository checkouts (work trees)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for git and Cairn (default 3)")
    parser.add_argument("--truckfactor-timeout", type=float, default=900.0)
    parser.add_argument("--no-truckfactor", action="store_true", help="skip the (slow) truckfactor tool")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    results = [bench(r, args.repeat, args.truckfactor_timeout, not args.no_truckfactor) for r in args.repos]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"== {r['repository']}: {r['commits']} commits, {r['source_files']} source files at HEAD, {r['people']} people")
        print(f"   file listing (as cairn ingest, not in the ratios) {r['listing_s']:.3f} s")
        print(f"   git log -M --name-status       {r['git_log_s']:.3f} s")
        print(f"   cairn mine_history             {r['cairn_history_s']:.3f} s")
        print(f"   cairn history + truck factor   {r['cairn_s']:.3f} s   = {r['cairn_vs_git']:.2f}x git log (target <= 2)")
        if "truckfactor" in r:
            tf = r["truckfactor"]
            shown = "-" if r["truckfactor_s"] is None else f"{r['truckfactor_s']:.2f} s"
            print(f"   truckfactor (PyPI)             {shown}   = {r['truckfactor_vs_cairn']}x cairn (target >= 20)")
        print(f"   TF cairn                 {r['cairn_tf']}  {r['cairn_tf_people']}  (human-knowledge TF {r['cairn_human_tf']})")
        print(f"   TF reference, humans     {r['reference_humans']['truck_factor']}  {r['reference_humans']['people']}")
        print(f"   TF reference, everybody  {r['reference_all']['truck_factor']}  {r['reference_all']['people']}")
        if "truckfactor" in r:
            tf = r["truckfactor"]
            print(f"   TF truckfactor (other algorithm) {tf.get('truck_factor', tf.get('error'))}  {tf.get('people', '')}")


if __name__ == "__main__":
    main()
