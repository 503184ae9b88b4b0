"""Synthetic Python repositories for the scale benchmark, written with ``git fast-import``.

``ensure_repository(cache, modules=N, commits=C, seed=S)`` returns the checkout
of a repository with

* ``N`` modules ``synth/pNNNN/mNNNNNN.py`` in ``N/50`` packages (one top-level
  package ``synth``, so grimp can build it and Cairn infers one component per
  package), each module importing 3–8 others (two thirds in its own package),
  some also a standard-library module; modules are ~25–40 lines of functions
  and classes;
* ``C`` commits, each touching 1–10 files: the modules are created over the
  first 60 % of the history, in package order, a few at a time; other commits
  change a constant or grow a function. The package a commit changes is
  Zipf-skewed (hot packages), and so is its author (one of ``N/100``, at least
  12, people): 70 % of a package's commits come from its three regular authors;
* a few renames (a module nobody imports moves to another package, about one
  commit in 1000) and merges (a two-commit side branch merged with a merge
  commit, about one in 500);
* ``cairn.toml`` with two forbidden rules and a layers rule between packages,
  five ADRs and a CODEOWNERS file;
* the branch ``bench-pr``: one commit on top of ``main`` changing 20 modules
  (a new import in each, some across the forbidden boundary).

Everything is derived from the seed, so two runs give the same commits (hashes
included: dates are synthetic). Repositories are cached under ``cache`` by their
parameters and reused; a generation that did not finish is thrown away.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cairn.ingest.git import GitProcess, git

#: Bump when the generated content changes, so caches of older generators are not reused.
GENERATOR_VERSION = 1
MODULES_PER_PACKAGE = 50
PR_BRANCH = "bench-pr"
PR_FILES = 20
START = 1_420_070_400  # 2015-01-01T00:00:00Z
STDLIB = ("os", "json", "re", "typing", "dataclasses", "functools", "itertools", "collections", "pathlib", "logging")
MARKER = "cairn-bench-complete.json"


@dataclass
class Module:
    index: int
    package: int
    imports: list[int]
    stdlib: str | None
    version: int = 0
    functions: int = 2
    created: bool = False
    moved_to: int | None = None  # the package it was renamed into

    def name(self) -> str:
        return f"m{self.index:06d}"

    def home(self) -> int:
        return self.package if self.moved_to is None else self.moved_to

    def path(self) -> str:
        return f"synth/p{self.home():04d}/{self.name()}.py"

    def dotted(self) -> str:
        return f"synth.p{self.home():04d}.{self.name()}"


@dataclass
class Plan:
    modules: list[Module]
    packages: int
    authors: list[tuple[str, str]]
    author_weights: list[float]
    package_weights: list[float]
    teams: list[list[int]]
    importers: list[int] = field(default_factory=list)


def _zipf(n: int, s: float) -> list[float]:
    return [1.0 / (k ** s) for k in range(1, n + 1)]


def make_plan(modules: int, seed: int) -> Plan:
    rng = random.Random(seed)
    packages = max(1, modules // MODULES_PER_PACKAGE)
    mods: list[Module] = []
    for i in range(modules):
        pkg = min(i // MODULES_PER_PACKAGE, packages - 1)
        first = pkg * MODULES_PER_PACKAGE
        last = modules - 1 if pkg == packages - 1 else first + MODULES_PER_PACKAGE - 1
        targets: set[int] = set()
        for _ in range(rng.randint(3, 8)):
            for _attempt in range(10):
                t = rng.randint(first, last) if rng.random() < 2 / 3 else rng.randrange(modules)
                if t != i and t not in targets:
                    targets.add(t)
                    break
        mods.append(Module(i, pkg, sorted(targets), rng.choice(STDLIB) if rng.random() < 0.4 else None,
                           functions=rng.randint(1, 3)))
    people = max(12, modules // 100)
    authors = [(f"Dev {k:04d}", f"dev{k:04d}@synth.example") for k in range(people)]
    author_weights = _zipf(people, 1.1)
    package_weights = _zipf(packages, 0.8)
    rng.shuffle(package_weights)  # hot packages anywhere, not only the first ones
    teams = [rng.choices(range(people), weights=author_weights, k=3) for _ in range(packages)]
    plan = Plan(mods, packages, authors, author_weights, package_weights, teams)
    plan.importers = [0] * modules
    for m in mods:
        for t in m.imports:
            plan.importers[t] += 1
    return plan


def render(m: Module, plan: Plan) -> bytes:
    """The module's source at its current version."""
    lines = [f'"""Module {m.name()} of package p{m.package:04d} (synthetic; bench/synthrepo.py)."""', "",
             "from __future__ import annotations", ""]
    if m.stdlib:
        lines.append(f"import {m.stdlib}")
    aliases = []
    for k, t in enumerate(m.imports):
        target = plan.modules[t]
        pkg, _, leaf = target.dotted().rpartition(".")
        if k % 3 == 0:
            lines.append(f"import {target.dotted()}")
            aliases.append(target.dotted())
        elif k % 3 == 1:
            lines.append(f"from {pkg} import {leaf}")
            aliases.append(leaf)
        else:
            lines.append(f"from {target.dotted()} import VERSION as v_{leaf}")
            aliases.append(f"v_{leaf}")
    lines += ["", f"VERSION = {m.version}", ""]
    for f in range(m.functions):
        ref = aliases[f % len(aliases)] if aliases else "VERSION"
        ref = ref if ref.startswith("v_") else f"{ref}.VERSION" if ref != "VERSION" else ref
        lines += ["", f"def f{m.index}_{f}(x: int) -> int:",
                  f'    """Add the version of a neighbour ({f})."""',
                  f"    total = x + {ref}",
                  "    for step in range(3):",
                  f"        total += step * {f + 1}",
                  "    return total + VERSION", ""]
    lines += ["", f"class C{m.index}:", "    def run(self, y: int) -> int:", "        return y * VERSION", ""]
    return "\n".join(lines).encode()


class _Buffered:
    """Writes gathered into 1 MiB chunks before they go down the pipe."""

    def __init__(self, out: BinaryIO):
        self.raw, self.chunk = out, bytearray()

    def write(self, data: bytes) -> None:
        self.chunk += data
        if len(self.chunk) >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.raw.write(self.chunk)
        self.raw.flush()
        self.chunk.clear()


class Stream:
    """A ``git fast-import`` input stream."""

    def __init__(self, out: BinaryIO):
        self.out = _Buffered(out)
        self.mark = 0
        self.when = START

    def data(self, payload: bytes) -> None:
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def commit(self, branch: str, author: tuple[str, str], message: str, changes: list[tuple[str, str, bytes | None]],
               *, parent: int | None = None, merge: int | None = None, step: int = 0) -> int:
        """``changes``: ("M", path, content) or ("R", old path, new path as bytes) or ("D", path, None)."""
        self.mark += 1
        self.when += step
        who = f"{author[0]} <{author[1]}> {self.when} +0000".encode()
        self.out.write(b"commit refs/heads/%s\nmark :%d\nauthor %s\ncommitter %s\n" % (branch.encode(), self.mark, who, who))
        self.data(message.encode())
        if parent is not None:
            self.out.write(b"from :%d\n" % parent)
        if merge is not None:
            self.out.write(b"merge :%d\n" % merge)
        for kind, path, content in changes:
            if kind == "M":
                self.out.write(b"M 100644 inline %s\n" % path.encode())
                self.data(content or b"")
            elif kind == "R":
                self.out.write(b'R "%s" "%s"\n' % (path.encode(), content))
            else:
                self.out.write(b"D %s\n" % path.encode())
        self.out.write(b"\n")
        return self.mark


def _fixed_files(plan: Plan) -> dict[str, bytes]:
    p = [f"p{k:04d}" for k in range(min(plan.packages, 6))] + ["p0000"] * 6
    toml = f"""# Synthetic repository for bench/scale.py
[[rules]]
id = "{p[0]}-not-{p[1]}"
kind = "forbidden"
from = ["{p[0]}"]
to = ["{p[1]}"]
because = "docs/adr/0002-{p[0]}-stands-alone.md"

[[rules]]
id = "{p[2]}-not-{p[3]}"
kind = "forbidden"
from = ["{p[2]}"]
to = ["{p[3]}"]
severity = "warn"

[[rules]]
id = "layers"
kind = "layers"
layers = ["{p[3]}", "{p[4]}", "{p[5]}"]
severity = "info"
"""
    files = {"cairn.toml": toml.encode(), "README.md": b"# synth\n\nA synthetic repository for Cairn's scale benchmark.\n"}
    titles = ["Record architecture decisions", f"{p[0]} stands alone", "One package per team", "Prefer plain functions",
              "Versions are constants"]
    for n, title in enumerate(titles, 1):
        slug = title.lower().replace(" ", "-")
        files[f"docs/adr/{n:04d}-{slug}.md"] = (
            f"# {n}. {title}\n\nDate: 2015-0{n}-01\n\n## Status\n\nAccepted\n\n## Context\n\nSynthetic.\n\n"
            f"## Decision\n\nWe keep {p[min(n, len(p) - 1)]} simple.\n").encode()
    owners = "".join(f"/synth/p{k:04d}/ @team{k % 7}\n" for k in range(0, plan.packages, 3))
    files[".github/CODEOWNERS"] = owners.encode()
    return files


def write_history(stream: Stream, plan: Plan, commits: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 1)
    mods = plan.modules
    packages = list(range(plan.packages))
    people = list(range(len(plan.authors)))
    created = 0
    creation_commits = max(1, round(len(mods) / 5.5))
    creation_window = max(creation_commits, int(commits * 0.6))
    stats = {"commits": 0, "renames": 0, "merges": 0}
    by_package: dict[int, list[Module]] = {p: [] for p in packages}

    def author_for(pkg: int) -> tuple[str, str]:
        if rng.random() < 0.7:
            return plan.authors[rng.choice(plan.teams[pkg])]
        return plan.authors[rng.choices(people, weights=plan.author_weights)[0]]

    def step() -> int:
        return rng.randint(300, 6 * 3600)

    def modify(pkg: int, count: int) -> list[tuple[str, str, bytes | None]]:
        pool = by_package[pkg]
        chosen = rng.sample(pool, min(count, len(pool))) if pool else []
        for m in chosen:
            m.version += 1
            if rng.random() < 0.1:
                m.functions = min(m.functions + 1, 6)
        return [("M", m.path(), render(m, plan)) for m in chosen]

    main = stream.commit("main", plan.authors[0], "Start the synthetic repository",
                         [("M", path, content) for path, content in sorted(_fixed_files(plan).items())], step=step())
    stats["commits"] += 1
    made = 1
    while made < commits:
        remaining_creations = len(mods) - created
        window_left = max(1, creation_window - made)
        if remaining_creations and (created == 0 or rng.random() < min(1.0, (remaining_creations / 5.5) / window_left) or made >= creation_window):
            batch = mods[created: created + rng.randint(1, 10)]
            changes = []
            for m in batch:
                if not by_package[m.package]:
                    changes.append(("M", f"synth/p{m.package:04d}/__init__.py", b""))
                m.created = True
                by_package[m.package].append(m)
                changes.append(("M", m.path(), render(m, plan)))
            created += len(batch)
            if created == len(batch):
                changes.append(("M", "synth/__init__.py", b'"""The synthetic package."""\n'))
            main = stream.commit("main", author_for(batch[0].package), f"Add {len(batch)} modules to p{batch[0].package:04d}",
                                 changes, step=step())
            made += 1
            continue
        live = [p for p in packages if by_package[p]]
        pkg = rng.choices(live, weights=[plan.package_weights[p] for p in live])[0]
        roll = rng.random()
        if roll < 0.001 and len(live) > 1:
            leaves = [m for m in by_package[pkg] if plan.importers[m.index] == 0]
            if leaves:
                m = rng.choice(leaves)
                old = m.path()
                target = rng.choice([p for p in live if p != pkg])
                by_package[pkg].remove(m)
                m.moved_to = target
                by_package[target].append(m)
                m.version += 1
                main = stream.commit("main", author_for(pkg), f"Move {m.name()} to p{target:04d}",
                                     [("R", old, m.path().encode()), ("M", m.path(), render(m, plan))], step=step())
                stats["renames"] += 1
                made += 1
                continue
        if roll < 0.003 and made + 4 <= commits:
            side_pkg = pkg
            fork = main
            side = stream.commit("side", author_for(side_pkg), f"Rework p{side_pkg:04d} (1/2)",
                                 modify(side_pkg, rng.randint(1, 5)), parent=fork, step=step())
            side_changes: dict[str, bytes] = {}
            side = stream.commit("side", author_for(side_pkg), f"Rework p{side_pkg:04d} (2/2)",
                                 modify(side_pkg, rng.randint(1, 5)), step=step())
            other = [p for p in live if p != side_pkg] or [side_pkg]
            other_pkg = rng.choice(other)
            if other_pkg != side_pkg:
                main = stream.commit("main", author_for(other_pkg), f"Tune p{other_pkg:04d}",
                                     modify(other_pkg, rng.randint(1, 4)), parent=fork, step=step())
                made += 1
            for m in by_package[side_pkg]:
                side_changes[m.path()] = render(m, plan)
            main = stream.commit("main", author_for(side_pkg), f"Merge the rework of p{side_pkg:04d}",
                                 [("M", path, content) for path, content in sorted(side_changes.items())],
                                 parent=main, merge=side, step=step())
            stats["merges"] += 1
            made += 3
            continue
        count = rng.randint(1, 10)
        changes = modify(pkg, count if rng.random() < 0.85 else max(1, count // 2))
        if count > 6 and len(live) > 1:  # a wide change reaches into a second package
            changes += modify(rng.choice(live), rng.randint(1, 3))
        seen: dict[str, tuple[str, str, bytes | None]] = {c[1]: c for c in changes}
        main = stream.commit("main", author_for(pkg), f"Change p{pkg:04d}", list(seen.values()), step=step())
        made += 1
    stats["commits"] = made
    # The pull request: 20 modules gain an import; three of p0000 import from p0001, across the forbidden boundary.
    live_modules = [m for m in mods if m.created]
    crossing = [m for m in live_modules if m.home() == 0][:3]
    others = [m for m in live_modules if m.home() != 0]
    chosen = crossing + rng.sample(others, min(PR_FILES - len(crossing), len(others)))
    into_p1 = [m for m in live_modules if m.home() == 1] or live_modules
    pr_changes = []
    for m in chosen:
        t = rng.choice(into_p1 if m in crossing else live_modules)
        if t.index != m.index and t.index not in m.imports:
            m.imports = sorted(m.imports + [t.index])
        m.version += 1
        pr_changes.append(("M", m.path(), render(m, plan)))
    stream.commit(PR_BRANCH, plan.authors[1], "A pull request touching 20 modules", pr_changes, parent=main, step=step())
    stats["modules_created"] = created
    return stats


def repository_dir(cache: Path, modules: int, commits: int, seed: int) -> Path:
    return Path(cache) / f"synth-{modules}m-{commits}c-seed{seed}-v{GENERATOR_VERSION}"


def ensure_repository(cache: Path, modules: int, commits: int, seed: int = 14, log=print) -> tuple[Path, dict]:
    """The cached repository for these parameters, generated first if needed; (checkout, facts)."""
    root = repository_dir(cache, modules, commits, seed)
    marker = root / ".git" / MARKER
    if marker.is_file():
        return root, json.loads(marker.read_text())
    if root.exists():
        shutil.rmtree(root)  # an unfinished generation
    root.mkdir(parents=True)
    started = time.perf_counter()
    log(f"generating {root.name} (git fast-import) …")
    git(root, "init", "-q", "-b", "main", check=True)
    plan = make_plan(modules, seed)
    importer = GitProcess(root, "fast-import", "--quiet", "--done")
    stream = Stream(importer.stdin)
    stats = write_history(stream, plan, commits, seed)
    stream.out.write(b"done\n")
    stream.out.flush()
    importer.stdin.close()
    if importer.proc.wait() != 0:
        raise SystemExit(f"git fast-import failed for {root}")
    imported = time.perf_counter() - started
    git(root, "checkout", "-q", "-f", "main", check=True)
    git(root, "commit-graph", "write", "--reachable", check=True)
    facts = {"modules": modules, "commits": commits, "seed": seed, **stats, "fast_import_seconds": round(imported, 1),
             "generation_seconds": round(time.perf_counter() - started, 1), "generator": GENERATOR_VERSION}
    marker.write_text(json.dumps(facts, indent=1))
    log(f"generated {root.name} in {facts['generation_seconds']} s: {stats}")
    return root, facts
