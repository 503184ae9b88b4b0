"""Scale benchmark (issue 14): Cairn against the git floor and grimp on synthetic repositories.

For each size (``--sizes 2k,10k,50k``: 2k modules / 20k commits, 10k / 100k,
50k / 300k; or ``MODULESxCOMMITS``) it takes the repository from
``bench/synthrepo.py`` (generated once with ``git fast-import`` and cached under
``--cache``) and runs, in rounds (``--repeat``, best of), each round running
every measurement once in this order so all see the same machine load:

* ``git log -M --name-status HEAD`` to /dev/null: the floor, the history a
  Cairn ingest must read at least;
* ``python -c pass`` and ``cairn --help`` (startup);
* grimp ``build_graph('synth')`` without a cache (cold) and with a warm cache;
* ``cairn ingest`` cold (an empty store, so an empty parse cache), warm (the same
  store again, nothing changed);
* the query commands on that store (``bus-factor``, ``components``, ``check``,
  ``adrs``, ``explore <first component>``, ``people`` when this Cairn has it);
* ``cairn pr-check`` of the branch ``bench-pr`` (20 changed modules) against ``main``;
* ``cairn ingest`` after one commit changing 3 modules (the commit is undone
  after the round, so the cached repository stays as generated).

With ``--baseline PATH`` (the ``cairn`` script of another build, e.g. the
previous release in its own virtualenv) every ``cairn`` measurement also runs
with that build, in the same round, on a store of its own (rows "baseline: …");
the two builds take turns at running first.

Every command is a separate process; its wall time and peak RSS (``wait4``'s
``ru_maxrss``, which covers its git children) are recorded. Prints one table per
run with the best time, its ratio to the floor of that repository and the
largest peak RSS over the rounds; ``--json FILE`` keeps every sample.

    python bench/scale.py --sizes 2k,10k --repeat 3
    python bench/scale.py --sizes 50k --repeat 2 --cache /var/tmp/cairn-bench
    python bench/scale.py --sizes 2k --baseline /tmp/cairn-main/.venv/bin/cairn
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthrepo import PR_BRANCH, ensure_repository  # noqa: E402

from cairn.ingest.git import git  # noqa: E402

SIZES = {"2k": (2_000, 20_000), "10k": (10_000, 100_000), "50k": (50_000, 300_000)}
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cairn-bench" / "scale"
QUERIES = ["bus-factor", "components", "check", "adrs", "explore", "people"]
GRIMP = "import sys; sys.path.insert(0, sys.argv[1]); import grimp; grimp.build_graph('synth', cache_dir=sys.argv[2] or None)"
#: Fixed identity for the benchmark's own commit; its date is fixed per repository (``commit_env``), so it is the same
#: commit every round.
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@synth.example",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@synth.example",
}


def commit_env(root: Path) -> dict[str, str]:
    """``COMMIT_ENV`` dated an hour after the repository's HEAD, as a new commit on top of it is. (The synthetic
    histories of 10k and 50k files run past 2030: a fixed date put the commit among old ones, in a past period whose
    trend sample it moved, which a real new commit does not.)"""
    when = int(git(root, "log", "-1", "--format=%ct", "HEAD", check=True).stdout.strip()) + 3600
    return {**COMMIT_ENV, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}  # (@: past 2099 too)


def parse_size(text: str) -> tuple[str, int, int]:
    if text in SIZES:
        return (text, *SIZES[text])
    modules, _, commits = text.lower().partition("x")
    try:
        return (text, int(modules), int(commits))
    except ValueError:
        raise SystemExit(f"size {text!r}: use 2k, 10k, 50k or MODULESxCOMMITS") from None


class Failed(Exception):
    pass


def measure(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
            ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Run ``argv`` with its output discarded; (wall seconds, peak RSS in bytes of it and its children)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise Failed(f"{' '.join(argv)} exited {proc.returncode}: {' / '.join(tail)}")
    return elapsed, usage.ru_maxrss * 1024


def cairn_executable() -> list[str]:
    script = Path(sys.executable).with_name("cairn")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cairn.api.cli"]


def has_command(cairn: list[str], name: str, env: dict[str, str]) -> bool:
    return subprocess.run([*cairn, name, "--help"], env=env, capture_output=True).returncode == 0


def first_component(cairn: list[str], store: Path, env: dict[str, str]) -> str:
    out = subprocess.run([*cairn, "components", "--store", str(store), "--format", "json"], env=env,
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    items = data.get("components", data) if isinstance(data, dict) else data
    return sorted(item["name"] if isinstance(item, dict) else str(item) for item in items)[0]


def touch_three(root: Path, round_no: int) -> None:
    """Commit a change to three modules (the same three every round)."""
    files = sorted((root / "synth").glob("p000[0-2]/m*.py"))[:3]
    for path in files:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\n\ndef touched_by_bench() -> int:\n    return {round_no}\n")
    git(root, "add", *[str(p.relative_to(root)) for p in files], check=True)
    git(root, "commit", "-q", "-m", "bench: change three modules", check=True)


def run_size(label: str, modules: int, commits: int, args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    root, facts = ensure_repository(args.cache, modules, commits, args.seed)
    facts = {**facts, "ensure_seconds": round(time.perf_counter() - started, 1)}
    builds = [("", cairn_executable())] + ([("baseline: ", [str(args.baseline)])] if args.baseline else [])
    work = Path(tempfile.mkdtemp(prefix=f"cairn-scale-{label}-"))
    # bytecode writing allowed: an installed Cairn has its .pyc files (the first round compiles them; best-of hides it)
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_CACHE_DIR", "CAIRN_STORE", "PYTHONDONTWRITEBYTECODE")}
    head = git(root, "rev-parse", "HEAD", check=True).stdout.strip()
    dated = commit_env(root)
    env.update(dated)
    os.environ.update(dated)  # for the benchmark's own commit through cairn.ingest.git
    queries = QUERIES
    grimp_cache = work / "grimp-cache"
    measure([sys.executable, "-c", GRIMP, str(root), str(grimp_cache)])  # warm grimp's cache once
    samples: dict[str, list[tuple[float, int]]] = {}
    components: dict[str, str] = {}

    def record(name: str, argv: list[str], **kw) -> None:
        samples.setdefault(name, []).append(measure(argv, env=env, **kw))

    try:
        for round_no in range(1, args.repeat + 1):
            print(f"[{label}] round {round_no}/{args.repeat}", file=sys.stderr, flush=True)
            record("git log -M --name-status (floor)", ["git", "-C", str(root), "log", "-M", "--name-status", "HEAD"])
            record("python -c pass", [sys.executable, "-c", "pass"])
            record("grimp build_graph cold", [sys.executable, "-c", GRIMP, str(root), ""])
            record("grimp build_graph warm", [sys.executable, "-c", GRIMP, str(root), str(grimp_cache)])
            for prefix, build in builds if round_no % 2 else builds[::-1]:  # neither build always runs first
                store = work / f"store-{len(prefix)}-{round_no}"
                shutil.rmtree(store, ignore_errors=True)
                record(f"{prefix}cairn --help", [*build, "--help"])
                ingest = [*build, "ingest", str(root), "--store", str(store), "--format", "json"]
                record(f"{prefix}cairn ingest cold", ingest)
                record(f"{prefix}cairn ingest warm (nothing changed)", ingest)
                if prefix not in components:
                    components[prefix] = first_component(build, store, env)
                component = components[prefix]
                for query in queries:
                    if query == "people" and not has_command(build, "people", env):
                        continue
                    argv = [*build, query, *([component] if query == "explore" else []), "--store", str(store), "--format", "json"]
                    record(f"{prefix}cairn {query}", argv, ok=(0, 1))
                record(f"{prefix}cairn pr-check (20 files)", [*build, "pr-check", "--repo", str(root), "--base", "main",
                                                              "--head", PR_BRANCH, "--store", str(store), "--format", "json"], ok=(0, 1))
                touch_three(root, round_no)
                try:
                    record(f"{prefix}cairn ingest after a 3-file commit", ingest)
                finally:
                    git(root, "reset", "-q", "--hard", head, check=True)
                shutil.rmtree(store, ignore_errors=True)
    finally:
        git(root, "reset", "-q", "--hard", head, check=True)
        shutil.rmtree(work, ignore_errors=True)
    return {"label": label, "modules": modules, "commits": commits, "repository": facts, "samples": samples}


def summarise(result: dict) -> dict[str, dict]:
    floor = min(t for t, _ in result["samples"]["git log -M --name-status (floor)"])
    return {name: {"best": min(t for t, _ in runs), "ratio": min(t for t, _ in runs) / floor,
                   "rss_mb": max(r for _, r in runs) / 2**20, "runs": len(runs)}
            for name, runs in result["samples"].items()}


def print_table(results: list[dict]) -> None:
    summaries = [summarise(r) for r in results]
    names = list(dict.fromkeys(name for r in results for name in r["samples"]))
    header = ["", *[f"{r['modules'] // 1000}k files / {r['commits'] // 1000}k commits" for r in results]]
    rows = [header]
    for name in names:
        row = [name]
        for s in summaries:
            cell = s.get(name)
            row.append("" if cell is None else f"{cell['best']:.2f} s ({cell['ratio']:.2f}×), {cell['rss_mb']:.0f} MB")
        rows.append(row)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows[1:]:
        print("| " + " | ".join(row) + " |")
    for r in results:
        facts = r["repository"]
        print(f"\n{r['label']}: {facts.get('commits')} commits, {facts.get('merges')} merges, {facts.get('renames')} renames; "
              f"generated in {facts.get('generation_seconds')} s (fast-import {facts.get('fast_import_seconds')} s); "
              f"best of {args_repeat(r)} rounds. Ratios: best time / best floor time; RSS: largest peak over the rounds.")


def args_repeat(result: dict) -> int:
    return max(len(runs) for runs in result["samples"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2k,10k", help="comma-separated: 2k, 10k, 50k or MODULESxCOMMITS")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each measurement's best is shown")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated repositories are kept")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", type=Path, help="write every sample here")
    parser.add_argument("--baseline", type=Path, help="the cairn script of another build to measure beside this one")
    parser.add_argument("--generate-only", action="store_true", help="generate (or find) the repositories and stop")
    args = parser.parse_args()
    sizes = [parse_size(s.strip()) for s in args.sizes.split(",") if s.strip()]
    if args.generate_only:
        for label, modules, commits in sizes:
            started = time.perf_counter()
            root, facts = ensure_repository(args.cache, modules, commits, args.seed)
            print(f"{label}: {root} ({time.perf_counter() - started:.1f} s) {facts}")
        return
    results = []
    for label, modules, commits in sizes:
        results.append(run_size(label, modules, commits, args))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    print_table(results)


if __name__ == "__main__":
    main()
