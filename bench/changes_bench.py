"""How much the change analyses (coupling, hotspots, agents, trends) add to `cairn ingest`.

Runs `cairn ingest` of the same repositories with two installations side by
side: a baseline (Cairn before the change analyses, e.g. a venv built from the
commit before them) and the current one. Runs are interleaved (baseline, new,
baseline, new …) so machine load hits both alike, and the best of N is
reported, with the median beside it, for wall-clock time and for CPU time
(user + system of `cairn` and its children: git, parser workers), which a busy
machine disturbs less. Two situations:

* **warm**: re-ingesting into a store that already holds the repository (the
  parse cache and, for the new version, the trend samples are kept): the
  everyday case, and what the 1.5× target is about;
* **cold**: a fresh store each time (nothing cached: every file parsed, every
  trend sample extracted).

Usage::

    python bench/changes_bench.py /tmp/sqlalchemy /tmp/prometheus \\
        --baseline /tmp/cairn-base/.venv/bin/cairn --new .venv/bin/cairn --runs 5 --cold-runs 2

Repositories must be clones outside this checkout (fetch them, clone to /tmp).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def ingest_seconds(cairn: str, repo: Path, store: Path) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system of the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([cairn, "ingest", str(repo), "--store", str(store)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{cairn} ingest {repo} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(label: str, runs: int, cold: bool, variants: dict[str, str], repo: Path, scratch: Path) -> dict[str, list]:
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for i in range(runs):
        for name, cairn in variants.items():
            store = scratch / f"{repo.name}-{name}-{'cold' + str(i) if cold else 'warm'}"
            if cold:
                shutil.rmtree(store, ignore_errors=True)
            times[name].append(ingest_seconds(cairn, repo, store))
            if cold:
                shutil.rmtree(store, ignore_errors=True)
    return times


def report(repo: Path, label: str, times: dict[str, list[tuple[float, float]]]) -> str:
    parts = []
    for i, unit in ((0, "wall"), (1, "cpu")):
        base, new = [t[i] for t in times["baseline"]], [t[i] for t in times["new"]]
        parts.append(f"{unit} {min(base):5.2f}s -> {min(new):5.2f}s = {min(new) / min(base):4.2f}x "
                     f"(medians {statistics.median(base):5.2f} -> {statistics.median(new):5.2f} = "
                     f"{statistics.median(new) / statistics.median(base):4.2f}x)")
    return f"{repo.name:<12} {label:<5} " + " | ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--baseline", required=True, help="the `cairn` executable of the baseline installation")
    parser.add_argument("--new", default=str(Path(sys.executable).parent / "cairn"), help="the `cairn` executable to measure")
    parser.add_argument("--runs", type=int, default=5, help="warm runs of each (best of N)")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold runs of each (0: none)")
    args = parser.parse_args()
    variants = {"baseline": args.baseline, "new": args.new}
    lines = []
    with tempfile.TemporaryDirectory(prefix="cairn-changes-bench-") as tmp:
        scratch = Path(tmp)
        for repo in args.repos:
            if args.cold_runs:
                lines.append(report(repo, "cold", measure("cold", args.cold_runs, True, variants, repo, scratch)))
                print(lines[-1], flush=True)
            for name, cairn in variants.items():  # fill the warm stores once, untimed
                ingest_seconds(cairn, repo, scratch / f"{repo.name}-{name}-warm")
            lines.append(report(repo, "warm", measure("warm", args.runs, False, variants, repo, scratch)))
            print(lines[-1], flush=True)


if __name__ == "__main__":
    main()
