"""Benchmark: `cairn pr-check` for a 20-file change on a repository of 5,000 modules.

Generates a Python repository (git, several authors, components with imports
between them), ingests it, makes a branch that changes 20 files (new imports
included), and times the PR check (warm: the ingest filled the parse cache, as
it would on a CI runner that keeps the store) against a bare ``git diff
--name-status`` of the same refs, in the same run.

    python bench/pr_bench.py [--modules 5000] [--files 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.api.bootstrap import open_store  # noqa: E402
from cairn.api.services.changes import pr_check_refs  # noqa: E402
from cairn.api.services.ingesting import ingest_into_store  # noqa: E402
from cairn.api.services.workspace import Workspace  # noqa: E402

AUTHORS = [("Ada", "ada@example.com"), ("Bob", "bob@example.com"), ("Cy", "cy@example.com"), ("Di", "di@example.com")]


def git(root: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout


def generate(root: Path, modules: int, components: int = 20, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    per = modules // components
    names = []
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    for c in range(components):
        d = root / "app" / f"comp{c:02d}"
        d.mkdir()
        (d / "__init__.py").write_text("")
        for m in range(per - 1):
            names.append(f"app.comp{c:02d}.m{m:04d}")
    for i, name in enumerate(names):
        c = int(name.split(".")[1][4:])
        imports = set()
        for _ in range(rng.randint(2, 6)):
            # mostly imports within the component or from lower-numbered ones: a layered system
            target_c = c if rng.random() < 0.7 else rng.randint(0, c)
            imports.add(f"app.comp{target_c:02d}.m{rng.randint(0, per - 2):04d}")
        imports.discard(name)
        body = "".join(f"import {t}\n" for t in sorted(imports)) + "import os\n\n\ndef f():\n    return 1\n"
        path = root / (name.replace(".", "/") + ".py")
        path.write_text(body)
    # history: each author commits a share of the components
    for k, (author, email) in enumerate(AUTHORS):
        paths = [str(p.relative_to(root)) for c in range(components) if c % len(AUTHORS) == k for p in (root / "app" / f"comp{c:02d}").glob("*.py")]
        if k == 0:
            paths.append("app/__init__.py")
        git(root, "add", *paths)
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email}
        git(root, "commit", "-q", "-m", f"components of {author}", env=env)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated repository here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    root = (args.keep or work / "repo")
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    names = generate(root, args.modules)
    print(f"generated {len(names)} modules in {time.perf_counter() - started:.1f}s")
    store = open_store(str(work / "store"))
    started = time.perf_counter()
    result = ingest_into_store(store, root)
    print(f"ingest: {time.perf_counter() - started:.2f}s ({result.summary.modules} modules, {result.summary.edges} edges)")

    rng = random.Random(1)
    git(root, "checkout", "-q", "-b", "change")
    for name in rng.sample(names, args.files):
        path = root / (name.replace(".", "/") + ".py")
        path.write_text(path.read_text() + f"import {rng.choice(names)}\n")
    git(root, "commit", "-qam", "twenty files")
    ws = Workspace(store, naming_hint="")

    def timed(fn):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        return out, min(times)

    report, cairn_s = timed(lambda: pr_check_refs(ws, result.graph.repo, "main", "change"))
    _, git_s = timed(lambda: git(root, "diff", "--name-status", "-M", "main", "change"))
    print(f"pr-check ({args.files} files, {len(names)} modules): {cairn_s:.3f}s; bare git diff: {git_s:.3f}s; "
          f"ratio {cairn_s / git_s:.1f}x; verdict {report.verdict.value}, {len(report.new_edges)} new edges, "
          f"{len(report.findings)} findings")
    print(f"target: under 1 s -> {'met' if cairn_s < 1 else 'NOT met'}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
