"""``patch_code_graph``: the base's code graph patched with the head's code is the head's code graph, built whole."""

from __future__ import annotations

import pytest

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.code.extract import ParseCache
from cairn.ingest.code_graph import code_graph_at, patch_code_graph, patch_imports_of, patch_reads, snapshot_at
from cairn.ingest.components import declared_components
from cairn.ingest.config import ComponentSpec
from fixtures.gitrepo import GitRepo

DEFS = {"api": ["app/api/**"], "core": ["app/core/**"], "db": ["app/db/**"]}


def code_part(graph: RepoGraph) -> tuple[dict, dict, dict]:
    """Modules, IMPORTS and DEPENDS_ON (kinds as counts, whatever their order) of a graph."""
    modules = {n.key: n.props for n in graph.of_label(Label.MODULE)}
    imports = {k: e.props for k, e in graph.edges.items() if e.type is Rel.IMPORTS}
    depends = {k: (e.props["count"], dict(sorted(e.props["kinds"].items()))) for k, e in graph.edges.items()
               if e.type is Rel.DEPENDS_ON}
    return modules, imports, depends


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "app")
    repo.commit({
        "app/__init__.py": "", "app/api/__init__.py": "", "app/core/__init__.py": "", "app/db/__init__.py": "",
        "app/api/views.py": "from app.core import prices\nfrom app.db import tables\n",
        "app/api/forms.py": "from app.core import prices\n",
        "app/core/prices.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.db import tables\n",
        "app/db/tables.py": "import sqlite3\n",
    }, message="base")
    repo.git("branch", "base")
    return repo


@pytest.mark.parametrize("files, delete", [
    # imports only: one dependency gone (forms), one made runtime (prices), one new (tables -> api)
    ({"app/api/forms.py": "X = 1\n", "app/core/prices.py": "from app.db import tables\n",
      "app/db/tables.py": "import sqlite3\nfrom app.api import views\n"}, []),
    # a module added and one deleted: every module is compared
    ({"app/db/rows.py": "from app.core import prices\n", "app/api/forms.py": "from app.db import rows\n"}, ["app/db/tables.py"]),
])
def test_a_patched_graph_is_the_head_graph_built_whole(repo, tmp_path, files, delete):
    repo.commit(files, delete=delete, message="head")
    defs = declared_components({name: ComponentSpec(paths=paths) for name, paths in DEFS.items()})
    cache = ParseCache(tmp_path / "cache")
    base = code_graph_at(repo.root, "base", "app", defs, cache=cache)
    changed_paths = set(files) | set(delete)
    patched, changed = patch_code_graph(base, snapshot_at(repo.root, "HEAD", cache=cache), changed_paths, defs)
    whole = code_graph_at(repo.root, "HEAD", "app", defs, cache=cache)
    assert code_part(patched) == code_part(whole)
    assert changed and code_part(base) != code_part(whole)
    # the head with the imports of the modules the patch reads only: the same patch when the set of modules stays
    partial = snapshot_at(repo.root, "HEAD", cache=ParseCache(None), imports_of=patch_imports_of(base, changed_paths))
    reads = patch_reads(base, partial, changed_paths, defs)
    if delete:
        assert reads is None  # a module added and one deleted: the patch compares every module
    else:
        assert reads == {"app.api.forms", "app.core.prices", "app.db.tables"}
        assert set(partial.code.imports) == reads and partial.code.fingerprint is None  # not remembered
        assert code_part(patch_code_graph(base, partial, changed_paths, defs)[0]) == code_part(whole)
