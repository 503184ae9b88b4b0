"""``atlas``: a real repository with 26 components, nested ones among them, for the map and knowledge map tests.

Components (cairn.toml) map to ``src/atlas/<name>/``; ``storage/remote``,
``storage/local``, ``api/http``, ``api/grpc``, ``core/model`` and
``ui/widgets`` are nested inside ``storage``, ``api``, ``core`` and ``ui``.
Imports point down a layered graph, with one cycle (``search`` ↔ ``index``)
and one violation of the ``layers`` rule that makes no cycle (``reports``
imports ``notify``, which sits above it).

History: Ada writes storage and core, Grace writes api and ui, Alan the rest,
and Grace as much as Alan of the ``SHARED`` components (truck factor 2);
Bob adds the GCS client of ``storage/remote`` and changes it, so he is its
author too; Claude (an agent) changes search with Alan as its committer.
``storage/remote`` holds two directories (``s3``, ``gcs``) for drill-downs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
GRACE = ("Grace Hopper", "grace@example.com")
ALAN = ("Alan Turing", "alan@example.com")
BOB = ("Bob Kahn", "bob@example.com")
CLAUDE = ("Claude", "noreply@anthropic.com")

#: component -> the components it imports
IMPORTS: dict[str, list[str]] = {
    "cli": ["api", "config", "jobs"],
    "web": ["api", "ui", "auth"],
    "api": ["api/http", "api/grpc", "auth", "billing", "search", "core"],
    "api/http": ["core", "util"],
    "api/grpc": ["core"],
    "ui": ["ui/widgets", "core"],
    "ui/widgets": ["util"],
    "auth": ["storage", "core", "cache"],
    "billing": ["storage", "core", "metrics"],
    "search": ["index", "core"],
    "index": ["search", "storage"],
    "ingest": ["storage", "core", "index"],
    "notify": ["core", "util"],
    "reports": ["billing", "storage", "notify"],
    "scheduler": ["jobs", "notify"],
    "jobs": ["storage", "util"],
    "storage": ["storage/remote", "storage/local", "core"],
    "storage/remote": ["util", "config"],
    "storage/local": ["util"],
    "core": ["core/model", "util"],
    "core/model": ["util"],
    "cache": ["util"],
    "metrics": ["util"],
    "config": ["util"],
    "util": [],
    "tools": [],
}
#: component -> third-party packages it imports
EXTERNALS = {"api/http": ["requests"], "config": ["yaml"], "util": ["attr"]}
SHARED = ("billing", "search", "cache", "metrics", "config", "jobs")
OWNER = {name: ADA if name.split("/")[0] in ("storage", "core") else GRACE if name.split("/")[0] in ("api", "ui") else ALAN
         for name in IMPORTS}


def _module(component: str) -> str:
    return "atlas." + component.replace("/", ".")


def _code(component: str, functions: int) -> str:
    lines = [f"import {_module(dep)}" for dep in IMPORTS[component]] + [f"import {pkg}" for pkg in EXTERNALS.get(component, [])]
    for i in range(functions):
        lines += ["", "", f"def step_{i}(value):", f"    return value + {i}"]
    return "\n".join(lines) + "\n"


def cairn_toml() -> str:
    out = ["[components]"]
    out += [f'"{name}" = ["src/atlas/{name}/**"]' for name in IMPORTS]
    out += ["", "[[rules]]", 'id = "layers"', 'kind = "layers"', 'severity = "block"', 'layers = ["notify", "reports"]', ""]
    return "\n".join(out)


def _when(days_ago: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).replace(microsecond=0).isoformat()


def build_atlas(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"cairn.toml": cairn_toml(), "src/atlas/__init__.py": ""}, message="layout", author=ALAN, date=_when(90))
    day = 80
    for index, (component, _deps) in enumerate(IMPORTS.items()):
        base = f"src/atlas/{component}"
        files = {f"{base}/__init__.py": _code(component, 2 + index % 5), f"{base}/impl.py": _code(component, 4 + 3 * (index % 4))}
        if component == "storage/remote":
            files = {f"{base}/__init__.py": _code(component, 2), f"{base}/s3/__init__.py": "", f"{base}/s3/client.py": _code(component, 12),
                     f"{base}/s3/retry.py": _code(component, 5)}
        repo.commit(files, message=f"add {component}", author=OWNER[component], date=_when(day))
        repo.commit({f: content + "\n# tuned\n" for f, content in files.items() if f.endswith(".py") and content},
                    message=f"tune {component}", author=OWNER[component], date=_when(day - 1))
        day -= 2
    for component in SHARED:  # Grace writes as much of these as Alan: two authors, truck factor 2
        repo.commit({f"src/atlas/{component}/extra_{n}.py": _code(component, 3 + n) for n in range(2)},
                    message=f"extend {component}", author=GRACE, date=_when(12))
    gcs = {"src/atlas/storage/remote/gcs/__init__.py": "", "src/atlas/storage/remote/gcs/client.py": _code("storage/remote", 9)}
    repo.commit(gcs, message="gcs client", author=BOB, date=_when(20))
    for n in range(3):
        repo.commit({"src/atlas/storage/remote/gcs/client.py": _code("storage/remote", 9) + f"\n# v{n}\n"},
                    message=f"gcs client {n}", author=BOB, date=_when(19 - n))
    repo.commit({"src/atlas/search/impl.py": _code("search", 6) + "\n# ranked\n"}, message="rank results", author=CLAUDE,
                committer=ALAN, date=_when(10), trailers=["Co-authored-by: Alan Turing <alan@example.com>"])
    repo.commit({"docs/README.md": "# Atlas\n", "tools/lint.py": "print('lint')\n"}, message="docs and tools", author=ALAN, date=_when(5))
    return repo


def build_many(root: Path, groups: int = 40, parts: int = 4) -> GitRepo:
    """``groups`` components with ``parts`` nested components each (200 by default), in one commit.

    ``mod07/part2`` imports ``mod10/part2`` (three groups on, when there is one) and ``mod08/part0``, so the
    graph is layered and acyclic; each ``modNN`` imports its own parts.
    """
    repo = GitRepo(root)
    files = {"src/big/__init__.py": ""}
    names = []
    for g in range(groups):
        names.append(f"mod{g:02d}")
        files[f"src/big/mod{g:02d}/__init__.py"] = "".join(f"import big.mod{g:02d}.part{p}\n" for p in range(parts))
        for p in range(parts):
            names.append(f"mod{g:02d}/part{p}")
            targets = [t for t in (f"big.mod{g + 1 + p:02d}.part{p}" if g + 1 + p < groups else None,
                                   f"big.mod{g + 1:02d}.part0" if g + 1 < groups else None) if t]
            files[f"src/big/mod{g:02d}/part{p}/__init__.py"] = "".join(f"import {t}\n" for t in targets) + f"\n\ndef run():\n    return {p}\n"
    files["cairn.toml"] = "[components]\n" + "".join(f'"{n}" = ["src/big/{n}/**"]\n' for n in names)
    repo.commit(files, message="many components")
    return repo
