"""Agreement between ``cairn check`` (import-linter contracts read as rules) and ``lint-imports``.

For a checkout that carries import-linter contracts, and for each named
mutation of it (lines appended to files, e.g. an import that crosses a
layer), the script makes a scratch clone under a temporary directory, commits
the mutation there, runs ``lint-imports --no-cache`` (with PYTHONPATH set to the
source root; import-linter only reads the code, it never imports the project)
and ``cairn ingest`` + ``cairn check --format json``, and prints per contract
both verdicts (KEPT / BROKEN) and whether the importing modules named as
evidence agree.

Evidence is comparable for ``forbidden``, ``independence`` and ``layers``
(lint-imports lists the first importer of each chain, Cairn reports one
finding per importing module). For ``acyclic_siblings`` import-linter names a
minimal set of cycle breakers while Cairn reports every package-level edge
inside a cycle, so only the verdict is compared there.

    python bench/importlinter_agreement.py CHECKOUT [--source-root src] [--mutations FILE.json]

``FILE.json`` maps a scenario name to ``{"path/in/repo.py": "text to append"}``;
the unmodified checkout is always the first scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def lint_imports(root: Path, source_root: str) -> tuple[dict[str, str], dict[str, set[str]], float]:
    """Verdict per contract name and the first importers of the broken contracts' chains."""
    env = {**os.environ, "PYTHONPATH": str(root / source_root)}
    started = time.perf_counter()
    proc = run(str(BIN / "lint-imports"), "--no-cache", cwd=root, env=env)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"lint-imports failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    verdicts: dict[str, str] = {}
    lines = proc.stdout.splitlines()
    for line in lines:
        m = re.match(r"^(.+) (KEPT|BROKEN)(?: \(.*\))?$", line.strip())
        if m:
            verdicts[m.group(1)] = m.group(2)
    heads: dict[str, set[str]] = {}
    current, in_heads = None, False
    for i, line in enumerate(lines):
        if line.strip() in verdicts and i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}:
            current = line.strip()
        head = re.match(r"^-\s+(\S+)", line)
        more = re.match(r"^\s+&\s+(\S+)", line)  # further first importers of the same route
        if current and head:
            heads.setdefault(current, set()).add(head.group(1))
            in_heads = "->" not in line
        elif current and more and in_heads:
            heads.setdefault(current, set()).add(more.group(1))
            in_heads = "->" not in line
        else:
            in_heads = False
    return verdicts, heads, seconds


def cairn(root: Path, store: Path) -> tuple[dict[str, str], dict[str, set[str]], dict, float]:
    proc = run(str(BIN / "cairn"), "ingest", str(root), "--store", str(store), "--format", "json")
    if proc.returncode != 0:
        raise SystemExit(f"cairn ingest failed: {proc.stderr}")
    started = time.perf_counter()
    proc = run(str(BIN / "cairn"), "check", "--store", str(store), "--format", "json")
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cairn check failed: {proc.stderr}")
    data = json.loads(proc.stdout)
    names = {r["id"]: r["description"] for r in data["rules"] if r["id"].startswith("importlinter:")}
    broken = {f["rule"] for f in data["findings"]}
    verdicts = {names[r]: ("BROKEN" if r in broken else "KEPT") for r in names}
    heads: dict[str, set[str]] = {}
    for f in data["findings"]:
        if f["rule"] in names:
            heads.setdefault(names[f["rule"]], set()).add(f["source"])
    return verdicts, heads, data, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--source-root", default=".", help="directory holding the root package(s), relative to the checkout")
    parser.add_argument("--mutations", type=Path, help="JSON: scenario -> {path: text to append}")
    args = parser.parse_args()
    scenarios: dict[str, dict[str, str]] = {"unmodified": {}}
    if args.mutations:
        scenarios.update(json.loads(args.mutations.read_text()))
    all_agree = True
    with tempfile.TemporaryDirectory(prefix="cairn-il-") as tmp:
        for name, edits in scenarios.items():
            root = Path(tmp) / name
            run("git", "clone", "-q", str(args.checkout.resolve()), str(root))
            for path, text in edits.items():
                with open(root / path, "a", encoding="utf-8") as fh:
                    fh.write("\n" + text + "\n")
            if edits:
                run("git", "-c", "user.name=agreement", "-c", "user.email=agreement@example.invalid", "commit", "-qam", name, cwd=root)
            theirs, their_heads, lint_s = lint_imports(root, args.source_root)
            ours, our_heads, data, check_s = cairn(root, Path(tmp) / f"{name}-store")
            agree = theirs == ours
            all_agree &= agree
            print(f"== {name}: verdicts {'agree' if agree else 'DISAGREE'} (lint-imports {lint_s:.2f} s, cairn check {check_s:.2f} s incl. start-up)")
            for contract in sorted(set(theirs) | set(ours)):
                same_heads = their_heads.get(contract, set()) == our_heads.get(contract, set())
                note = "" if same_heads else f"  importers differ: lint-imports {sorted(their_heads.get(contract, []))} cairn {sorted(our_heads.get(contract, []))}"
                print(f"   {theirs.get(contract, '-'):6} {ours.get(contract, '-'):6} {contract}{note}")
            for problem in data["problems"]:
                print(f"   cairn problem: {problem}")
            shutil.rmtree(root, ignore_errors=True)
    print("all verdicts agree" if all_agree else "verdicts disagree")
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
