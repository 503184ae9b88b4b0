"""How much the change analyses (coupling, hotspots, agents, trends) add to `cairn ingest`.

Runs `cairn ingest` of the same repositories with two installations side by
side: a baseline (Cairn before the change analyses, e.g. a venv built from the
commit before them) and the current one. Runs are interleaved (baseline, new,
baseline, new …) so machine load hits both alike, and the best of N is
reported, with the median beside it. Two situations:

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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def ingest_seconds(cairn: str, repo: Path, store: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run([cairn, "ingest", str(repo), "--store", str(store)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{cairn} ingest {repo} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return elapsed


def measure(label: str, runs: int, cold: bool, variants: dict[str, str], repo: Path, scratch: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in variants}
    for i in range(runs):
        for name, cairn in variants.items():
            store = scratch / f"{repo.name}-{name}-{'cold' + str(i) if cold else 'warm'}"
            if cold:
                shutil.rmtree(store, ignore_errors=True)
            times[name].append(ingest_seconds(cairn, repo, store))
            if cold:
                shutil.rmtree(store, ignore_errors=True)
    return times


def report(repo: Path, label: str, times: dict[str, list[float]]) -> str:
    base, new = times["baseline"], times["new"]
    ratio = min(new) / min(base)
    return (f"{repo.name:<12} {label:<5} baseline best {min(base):6.2f}s median {statistics.median(base):6.2f}s | "
            f"new best {min(new):6.2f}s median {statistics.median(new):6.2f}s | ratio (best) {ratio:4.2f}x"
            f"  (median {statistics.median(new) / statistics.median(base):4.2f}x)")


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
