"""Does Cairn's change coupling agree with code-maat's on the same log and thresholds?

Three computations over one repository:

1. **Cairn**: `cairn ingest` (the one history pass, ``ingest.cochange``), then
   the stored File -CO_CHANGES-> File pairs.
2. **Reference** (independent of Cairn's code): its own parse of
   ``git log HEAD -M --name-status -z --no-diff-merges``, its own rename
   resolution (every name a file had counts for the name it has at HEAD; a
   name used again after its file was renamed away is two files), one
   ``(rev, entity)`` row per path a non-merge commit names — the input of
   code-maat's coupling analysis — and code-maat's algorithm re-written in
   Python line by line from ``coupling_algos.clj`` / ``logical_coupling.clj``:
   change sets grouped by revision, dropped when they have more rows than
   ``max-changeset-size``; revisions = distinct entities per kept change set;
   shared = frequency of each sorted, distinct pair; ``within-threshold?`` on
   the *average* revisions, the shared count and the degree.
3. **code-maat itself** (with ``--codemaat-src``, a checkout's ``src``
   directory, and Java): the same rows fed to code-maat's own
   ``code-maat.analysis.logical-coupling/by-degree``, loaded unchanged, through
   ``bench/codemaat/run_coupling.clj`` (Incanter, which lives on Clojars, is
   replaced by the handful of dataset functions that analysis calls,
   ``bench/codemaat/incanter/core.clj``). Clojure 1.8, math.combinatorics and
   math.numeric-tower come from Maven Central (``~/.m2``).

Pairs are compared where both files are Cairn File nodes (source files at
HEAD; the others still count in change-set sizes). Equal means: same pairs,
same shared and revision counts, and code-maat's integer degree equal to the
integer part of shared / average × 100 (Cairn stores it rounded to 0.1).

Usage::

    python bench/coupling_agreement.py /tmp/sqlalchemy /tmp/prometheus --codemaat-src /tmp/codemaat/src
    python bench/coupling_agreement.py /tmp/sqlalchemy --min-revs 2 --min-shared 2 --min-degree 10 --max-changeset 10 ...
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.changes import CouplingSettings
from cairn.graph.model import Label, Rel
from cairn.ingest.config import load_config
from cairn.ingest.git import git

BENCH = Path(__file__).resolve().parent
M2 = Path.home() / ".m2" / "repository" / "org" / "clojure"
CLOJURE_JARS = ("clojure/1.8.0/clojure-1.8.0.jar", "math.combinatorics/0.1.1/math.combinatorics-0.1.1.jar",
                "math.numeric-tower/0.0.4/math.numeric-tower-0.0.4.jar")


# -- the reference: its own log parse and rename resolution ----------------------------------

def log_rows(repo: Path, head_files: set[str]) -> list[tuple[str, str]]:
    """(rev, entity) rows, one per path named by a non-merge commit, renamed paths as named at HEAD.

    A name stands for one file from the newest commit back to a rename that takes it away while a newer commit
    made a file at it again (added it, or renamed another onto it: that commit too); older commits' name is the
    renamed file's. Walked as git gives the log, newest first: each file a key (its name, and the commit that
    ended it for an earlier one), the renames link keys."""
    proc = git(repo, "log", "HEAD", "-M", "--name-status", "-z", "--no-diff-merges", "--format=%x01%H %P", text=False)
    if proc.returncode != 0:  # as Cairn does, keep what git gave before it stopped (a partial clone's missing blob)
        print(f"  note: git log stopped early ({proc.stderr.decode('utf-8', 'replace').strip()[:120]}); comparing on what it gave")
    raw = proc.stdout
    commits: list[tuple[str, bool, list[tuple[str, str | None, str]]]] = []  # (sha, merge, [(status, old, path)])
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    k = 0
    while k < len(fields):
        token = fields[k].lstrip("\n")
        k += 1
        if token.startswith("\x01"):
            sha, *parents = token[1:].split()
            commits.append((sha, len(parents) > 1, []))
            continue
        if not token:
            continue
        status = token[0]
        if status in "RC":
            commits[-1][2].append((status, fields[k], fields[k + 1]))
            k += 2
        else:
            commits[-1][2].append((status, None, fields[k]))
            k += 1
    key_of: dict[str, tuple[str, str]] = {}  # name -> the key of the file it stands for, at this point of the walk
    made: set[tuple[str, str]] = set()  # keys a commit walked so far made a file at
    renamed_into: dict[tuple[str, str], set[tuple[str, str]]] = {}
    keyed: list[tuple[str, bool, list[tuple[str, str]]]] = []
    for sha, merge, changes in commits:
        keys = []
        for status, _, path in changes:
            key = key_of.setdefault(path, (path, ""))
            keys.append(key)
            if status in "ARC":
                made.add(key)
        for status, old, path in changes:
            if status == "R" and old != path:
                key = key_of.setdefault(old, (old, ""))
                if key in made:  # a file was made at ``old`` since: the one renamed here is another
                    key = key_of[old] = (old, sha)
                renamed_into.setdefault(key_of[path], set()).add(key)
        keyed.append((sha, merge, keys))
    names: dict[tuple[str, str], list[str]] = {}
    for current in sorted(head_files):
        seen, todo = {(current, "")}, [(current, "")]
        while todo:
            for old in renamed_into.get(todo.pop(), ()):
                if old not in seen:
                    seen.add(old)
                    todo.append(old)
        for key in seen:
            names.setdefault(key, []).append(current)
    rows = []
    for sha, merge, keys in keyed:
        if merge:
            continue
        for key in keys:
            for entity in names.get(key, [key[0] if not key[1] else f"{key[0]}@{key[1]}"]):
                rows.append((sha, entity))
    return rows


def code_maat_python(rows: list[tuple[str, str]], min_revs: int, min_shared: int, min_coupling: float,
                     max_changeset: int) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """code-maat's coupling, transcribed: (entity, coupled) -> (degree as int, shared, revs entity, revs coupled)."""
    by_rev: dict[str, list[str]] = {}
    for rev, entity in rows:
        by_rev.setdefault(rev, []).append(entity)
    co_changing = []
    for entities in by_rev.values():
        if len(entities) > max_changeset:  # exceeds-max-changeset-size?
            continue
        # (combo/selections entities 2), each sorted, distinct: the pairs including (a, a) of single modules
        co_changing.append({tuple(sorted((a, b))) for a in entities for b in entities})
    module_revs: Counter = Counter()
    for pairs in co_changing:
        module_revs.update({m for pair in pairs for m in pair})  # modules-in-one-rev: distinct flatten
    frequencies: Counter = Counter(pair for pairs in co_changing for pair in pairs if pair[0] != pair[1])
    out = {}
    for (a, b), shared in frequencies.items():
        average = (module_revs[a] + module_revs[b]) / 2
        coupling = shared / average * 100
        if average >= min_revs and shared >= min_shared and coupling >= min_coupling and math.floor(coupling) <= 100:
            out[(a, b)] = (int(coupling), shared, module_revs[a], module_revs[b])
    return out


def code_maat_clojure(rows: list[tuple[str, str]], src: Path, thresholds: tuple[int, int, int, int]) -> dict:
    jars = [M2 / jar for jar in CLOJURE_JARS]
    missing = [str(j) for j in jars if not j.is_file()]
    if missing or shutil.which("java") is None:
        raise SystemExit(f"cannot run code-maat: missing {', '.join(missing) or 'java'}")
    classpath = ":".join([*map(str, jars), str(BENCH / "codemaat"), str(src)])
    text = "".join(f"{rev}\t{entity}\n" for rev, entity in rows)
    proc = subprocess.run(["java", "-Xss512m", "-Xmx4g", "-cp", classpath, "clojure.main", str(BENCH / "codemaat" / "run_coupling.clj"),
                           *map(str, thresholds)], input=text, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"code-maat failed: {proc.stderr.strip()[-800:]}")
    out = {}
    for line in proc.stdout.splitlines():
        entity, coupled, degree, _average, revs_a, revs_b, shared = line.split("\t")
        out[tuple(sorted((entity, coupled)))] = (int(degree), int(shared), *((int(revs_a), int(revs_b)) if entity <= coupled else (int(revs_b), int(revs_a))))
    return out


def cairn_pairs(graph) -> dict[tuple[str, str], tuple[int, int, int, int, float]]:
    out = {}
    for edge in graph.of_type(Rel.CO_CHANGES):
        a, b = graph.nodes[edge.source], graph.nodes[edge.target]
        if a.label is not Label.FILE:
            continue
        p = edge.props
        raw = 100 * p["shared"] / ((p["revs_a"] + p["revs_b"]) / 2)
        key, revs = ((a.key, b.key), (p["revs_a"], p["revs_b"])) if a.key <= b.key else ((b.key, a.key), (p["revs_b"], p["revs_a"]))
        out[key] = (int(raw), p["shared"], *revs, p["degree"])
    return out


def compare(name: str, theirs: dict, ours: dict, files: set[str]) -> str:
    theirs = {k: v for k, v in theirs.items() if k[0] in files and k[1] in files}
    same_pairs = set(theirs) & set(ours)
    exact = sum(1 for k in same_pairs if theirs[k][:4] == ours[k][:4])
    only_theirs, only_ours = sorted(set(theirs) - set(ours)), sorted(set(ours) - set(theirs))
    line = (f"  vs {name:<22} pairs {len(theirs):>5} / cairn {len(ours):>5}; identical (degree, shared, revs) "
            f"{exact}/{len(set(theirs) | set(ours))}")
    for k in only_theirs[:3]:
        line += f"\n    only {name}: {k} {theirs[k]}"
    for k in only_ours[:3]:
        line += f"\n    only cairn: {k} {ours[k]}"
    for k in sorted(k for k in same_pairs if theirs[k][:4] != ours[k][:4])[:3]:
        line += f"\n    differ: {k} {name} {theirs[k]} cairn {ours[k][:4]}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--codemaat-src", type=Path, help="code-maat's src directory (a checkout); runs code-maat itself")
    parser.add_argument("--min-revs", type=int, default=5)
    parser.add_argument("--min-shared", type=int, default=5)
    parser.add_argument("--min-degree", type=int, default=30)
    parser.add_argument("--max-changeset", type=int, default=30)
    args = parser.parse_args()
    settings = CouplingSettings(min_revs=args.min_revs, min_shared=args.min_shared, min_degree=args.min_degree,
                                max_changeset=args.max_changeset)
    with tempfile.TemporaryDirectory(prefix="cairn-coupling-agreement-") as tmp:
        for repo in args.repos:
            store = open_store(str(Path(tmp) / repo.name))
            started = time.perf_counter()
            config = load_config(repo)
            graph = ingest_into_store(store, repo, config=config.model_copy(update={"coupling": settings})).graph
            s = graph.repository.get("coupling_settings")
            thresholds = (s["min_revs"], s["min_shared"], int(s["min_degree"]), s["max_changeset"])
            files = {n.key for n in graph.of_label(Label.FILE)}
            ours = cairn_pairs(graph)
            print(f"{repo.name}: {graph.repository.get('commits')} commits, {len(files)} source files, thresholds "
                  f"min_revs {thresholds[0]} min_shared {thresholds[1]} min_degree {thresholds[2]} max_changeset {thresholds[3]} "
                  f"(ingest {time.perf_counter() - started:.1f}s)")
            rounding = sum(1 for v in ours.values() if abs(v[4] - round(100 * v[1] / ((v[2] + v[3]) / 2), 1)) > 1e-9)
            rows = log_rows(repo, files)
            print(compare("reference (python)", code_maat_python(rows, *thresholds), ours, files)
                  + (f"\n  {rounding} stored degrees differ from shared/average rounded to 0.1" if rounding else ""))
            if args.codemaat_src:
                started = time.perf_counter()
                result = code_maat_clojure(rows, args.codemaat_src, thresholds)
                print(compare("code-maat (clojure)", result, ours, files) + f"  [{time.perf_counter() - started:.0f}s]")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
