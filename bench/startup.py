"""Start-up benchmark (issue 14): a query command on a tiny store against ``python -c pass``.

On a small synthetic repository (``bench/synthrepo.py``, by default 300 modules
/ 600 commits, cached under ``--cache``) ingested once into a temporary store,
it runs, in rounds (``--repeat``, best of), each round running every
measurement once in this order so all see the same machine load:

* ``python -c pass`` with the interpreter ``cairn`` runs on (the anchor);
* the floor of the CLI's stack: an argparse program that parses one command
  with six options like ``bus-factor``'s and prints ``{}`` (the CLI is argparse
  since typer, which imports pydantic, took 7× ``python -c pass`` alone), and
  importing ``cairn.api.cli`` (every command module, the console and tables);
* ``cairn --help``;
* each query command (``bus-factor``, ``components``, ``check``, ``adrs``,
  ``people``, ``explore <first component>``) in its default format (the table
  a person reads) and with ``--format json`` (what a script reads).

With ``--baseline PATH`` (the ``cairn`` script of another build) every ``cairn``
measurement also runs with that build, in the same round, on a store it
ingested itself. Then, once per command and build, it lists which of the heavy
libraries (``HEAVY``) the command imported, read from ``python -X importtime``.

Python is run with bytecode writing allowed (``PYTHONDONTWRITEBYTECODE`` is
dropped) after one unrecorded warm-up round, so no measurement pays for
compiling Cairn's sources: an installed Cairn has its ``.pyc`` files.

    python bench/startup.py --repeat 15
    python bench/startup.py --repeat 15 --baseline /tmp/cairn-before/.venv/bin/cairn
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEFAULT_CACHE, Failed, cairn_executable, first_component, measure  # noqa: E402
from synthrepo import ensure_repository  # noqa: E402

QUERIES = ["bus-factor", "components", "check", "adrs", "people", "explore"]
#: What a query on the embedded store should not import (and what it did before issue 14).
#: An argparse program with one command of six options, like ``cairn bus-factor``: the cost of the CLI's parser alone.
ARGPARSE_APP = '''
import argparse
parser = argparse.ArgumentParser(prog="cairn")
commands = parser.add_subparsers(dest="command", required=True)
bus_factor = commands.add_parser("bus-factor")
for flag in ("--store", "--repo", "--component", "--path"):
    bus_factor.add_argument(flag)
bus_factor.add_argument("--leaving", action="append")
bus_factor.add_argument("--format", choices=["json", "table"], default="table")
commands.add_parser("other")
parser.parse_args()
print("{}")
'''
HEAVY = ["networkx", "fastapi", "starlette", "uvicorn", "neo4j", "httpx", "tree_sitter", "grimp", "mcp", "yaml", "markdown_it",
         "pathspec", "pydantic", "typer", "click", "rich"]


def imported_modules(argv: list[str], env: dict[str, str]) -> set[str]:
    """The modules ``argv`` (a Python script and its arguments) imports, read from ``-X importtime`` on stderr."""
    proc = subprocess.run([python_of(argv[0]), "-X", "importtime", *argv], env=env, capture_output=True, text=True)
    return {line.split("|")[2].strip() for line in proc.stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2 and "imported package" not in line}


def python_of(script: str) -> str:
    """The interpreter of a console script (its ``#!`` line)."""
    first = Path(script).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first[2:].strip() if first.startswith("#!") else sys.executable


def heavy_in(modules: set[str]) -> list[str]:
    return [h for h in HEAVY if any(m == h or m.startswith(h + ".") or (h == "tree_sitter" and m.startswith(h)) for m in modules)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds; each measurement's best is shown")
    parser.add_argument("--modules", type=int, default=300, help="modules of the synthetic repository")
    parser.add_argument("--commits", type=int, default=600, help="commits of the synthetic repository")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated repositories are kept")
    parser.add_argument("--baseline", type=Path, help="the cairn script of another build to measure beside this one")
    args = parser.parse_args()

    root, _ = ensure_repository(args.cache, args.modules, args.commits, args.seed, log=lambda *a: print(*a, file=sys.stderr))
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_CACHE_DIR", "CAIRN_STORE", "PYTHONDONTWRITEBYTECODE")}
    builds = [("", cairn_executable())] + ([("baseline: ", [str(args.baseline)])] if args.baseline else [])
    python = python_of(builds[0][1][0])
    with tempfile.TemporaryDirectory(prefix="cairn-startup-") as work:
        commands: dict[str, list[tuple[str, list[str]]]] = {}
        for prefix, build in builds:
            store = Path(work, f"store-{len(prefix)}")
            measure([*build, "ingest", str(root), "--store", str(store), "--format", "json"], env=env)
            component = first_component(build, store, env)
            runs = [(f"{prefix}cairn --help", [*build, "--help"])]
            for query in QUERIES:
                argv = [*build, query, *([component] if query == "explore" else []), "--store", str(store)]
                runs += [(f"{prefix}cairn {query}", argv), (f"{prefix}cairn {query} --format json", [*argv, "--format", "json"])]
            commands[prefix] = runs
        samples: dict[str, list[float]] = {}
        for round_no in range(args.repeat + 1):  # round 0 warms up (and writes the bytecode) and is not recorded
            print(f"round {round_no}/{args.repeat}", file=sys.stderr, flush=True)
            order = builds if round_no % 2 else builds[::-1]
            anchors = [("python -c pass", [python, "-c", "pass"]),
                       ("argparse program, one command with six options", [python, "-c", ARGPARSE_APP, "bus-factor", "--format", "json"]),
                       ("python -c 'import cairn.api.cli'", [python, "-c", "import cairn.api.cli"])]
            names_argvs = anchors + [run for prefix, _ in order for run in commands[prefix]]
            for name, argv in names_argvs:
                try:
                    seconds, _ = measure(argv, env=env, ok=(0, 1))
                except Failed as exc:
                    raise SystemExit(str(exc)) from None
                if round_no:
                    samples.setdefault(name, []).append(seconds)
        imports = {name: heavy_in(imported_modules(argv, env)) for prefix, _ in builds for name, argv in commands[prefix]}

    anchor = min(samples["python -c pass"])
    print(f"| best of {args.repeat} ({args.modules} modules / {args.commits} commits) | wall | × python -c pass | heavy imports |")
    print("|---|---|---|---|")
    for name, runs in samples.items():
        best = min(runs)
        print(f"| {name} | {best * 1000:.0f} ms | {best / anchor:.2f}× | {', '.join(imports.get(name, [])) or '—'} |")


if __name__ == "__main__":
    main()
