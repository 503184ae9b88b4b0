"""Benchmark: the ingest after each of a real repository's last commits, against the git floor (issue 14).

The synthetic repositories of ``bench/scale.py`` have a linear history; a real
main branch is mostly merges of pull requests whose commits are older than the
head they are merged onto, which is where an incremental ingest has the most
to place. This takes the last ``--commits`` first-parent commits of each
repository given and, for each one, measures in rounds (``--repeat``, best of),
every round running everything once so all see the same machine load:

* ``git log -M --name-status <commit>`` to /dev/null: the floor;
* ``cairn ingest`` after that commit: a copy of a store ingested cold at its
  first parent, the checkout moved to the commit;
* ``cairn ingest`` with nothing changed since (the same store again);
* with ``--baseline PATH`` (the ``cairn`` script of another build), the same two
  ingests with that build on stores of its own (each build ingests its own base:
  a store another build wrote is re-ingested whole).

The repository is cloned (locally, hard links) into a scratch directory, so the
checkout given is never moved. Prints one table per repository with each
commit's parents and changed files, the best times and their ratios to the
floor; ``--json FILE`` keeps every sample.

    python bench/incremental_bench.py ~/src/pytest ~/src/sqlalchemy --commits 3 --repeat 3
    python bench/incremental_bench.py ~/src/flask --baseline /tmp/cairn-main/.venv/bin/cairn
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import Failed, cairn_executable, measure  # noqa: E402


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def recent_commits(root: Path, count: int) -> list[str]:
    """The last ``count`` first-parent commits of HEAD, oldest first (each with a parent)."""
    shas = git(root, "rev-list", "--first-parent", f"--max-count={count + 1}", "HEAD").split()
    return list(reversed(shas[:-1]))  # the oldest one listed is only a parent


def describe(root: Path, sha: str) -> str:
    parents = len(git(root, "rev-list", "--parents", "-n", "1", sha).split()) - 1
    files = len(git(root, "diff", "--name-only", f"{sha}^1", sha).splitlines())
    return f"{sha[:10]} ({'merge, ' if parents > 1 else ''}{files} file{'s' if files != 1 else ''})"


def run_repository(source: Path, args: argparse.Namespace, builds: dict[str, list[str]], env: dict[str, str]) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="cairn-incremental-"))
    try:
        clone = scratch / source.name
        subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
        rows = []
        for sha in recent_commits(clone, args.commits):
            git(clone, "checkout", "-q", "--detach", f"{sha}^1")
            bases = {}
            for name, cairn in builds.items():
                bases[name] = scratch / f"base-{name}"
                shutil.rmtree(bases[name], ignore_errors=True)
                measure([*cairn, "ingest", str(clone), "--store", str(bases[name]), "--format", "json"], env=env)
            git(clone, "checkout", "-q", "--detach", sha)
            samples: dict[str, list[float]] = {"floor": []}
            for round_no in range(args.repeat):
                samples["floor"].append(measure(["git", "-C", str(clone), "log", "-M", "--name-status", sha])[0])
                order = list(builds.items()) if round_no % 2 == 0 else list(reversed(builds.items()))
                for name, cairn in order:
                    store = scratch / f"run-{name}"
                    shutil.rmtree(store, ignore_errors=True)
                    shutil.copytree(bases[name], store, symlinks=True)
                    command = [*cairn, "ingest", str(clone), "--store", str(store), "--format", "json"]
                    samples.setdefault(f"{name}: after the commit", []).append(measure(command, env=env)[0])
                    samples.setdefault(f"{name}: nothing changed", []).append(measure(command, env=env)[0])
            rows.append({"commit": describe(clone, sha), "samples": samples})
            print(f"[{source.name}] {rows[-1]['commit']} done", file=sys.stderr, flush=True)
        return {"repository": str(source), "rows": rows}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def table(result: dict) -> str:
    lines = [f"{result['repository']}", "", "| commit | measurement | best | ratio to the floor |", "|---|---|---|---|"]
    for row in result["rows"]:
        floor = min(row["samples"]["floor"])
        for what, times in row["samples"].items():
            best = min(times)
            lines.append(f"| {row['commit']} | {what} | {best:.2f} s | {best / floor:.2f}× |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repositories", nargs="+", type=Path, help="checkouts of real repositories (cloned, never moved)")
    parser.add_argument("--commits", type=int, default=3, help="the last N first-parent commits (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best of them is shown (default 3)")
    parser.add_argument("--baseline", help="the cairn script of another build, measured beside this one")
    parser.add_argument("--json", type=Path, help="keep every sample here")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CAIRN_STORE")}
    builds = {"this build": cairn_executable()}
    if args.baseline:
        builds["baseline"] = [args.baseline]
    results = []
    try:
        for source in args.repositories:
            results.append(run_repository(source.resolve(), args, builds, env))
            print(table(results[-1]) + "\n")
    except Failed as exc:
        print(f"incremental_bench: {exc}", file=sys.stderr)
        return 1
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
