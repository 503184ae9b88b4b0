"""After each kind of commit that changes the code graph, an ingest into the stored graph stores what a cold one does.

Each step is one commit, ingested into the store of the previous step (the parse cache, the stored fingerprint,
the import changes worked out from the carried-over or recalled result) and, cold, into a fresh store; every stored
row and answer must be the same text. The steps are those after which a stale row would survive: a module renamed
(its File, Module and edges must go), an import that resolves to another module once a module appears, a module
deleted so that its importers' imports fall back to its package, a body-only change (carried over) in a repository
whose CODEOWNERS and ``.gitattributes`` then change (owners and the truck factor's scope of unchanged files).
"""

from __future__ import annotations

import json
import sqlite3
import contextlib
from pathlib import Path

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from fixtures.gitrepo import GitRepo
from test_incremental_parity import assert_same_rows

ADA, BOB = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com")


def _rows_of(store: Path, sql: str) -> set[tuple]:
    with contextlib.closing(sqlite3.connect(store / "cairn.db")) as db:
        return set(db.execute(sql))


def test_each_kind_of_code_change_stores_what_a_cold_ingest_stores(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({
        "src/shop/__init__.py": "", "src/shop/api/__init__.py": "", "src/shop/core/__init__.py": "",
        "src/shop/api/views.py": "from shop.core import helpers\nfrom shop import util\n",
        "src/shop/api/forms.py": "from shop.api import views\n", "src/shop/api/checkout.py": "from shop.api import payments\n",
        "src/shop/core/helpers.py": "import json\n", "src/shop/core/models.py": "from shop.core.helpers import dump\n",
        "src/shop/util.py": "X = 1\n", "docs/conf.py": "import os\n",
        "CODEOWNERS": "/src/shop/api/ @ada\n", "README.md": "# shop\n",
    }, message="initial", author=ADA)
    warm = tmp_path / "warm"
    ingest_into_store(open_store(str(warm)), repo.root)
    steps = [
        ("a module renamed, its importer changed with it",
         lambda: (repo.git("mv", "src/shop/core/helpers.py", "src/shop/core/tools.py"),
                  repo.commit({"src/shop/api/views.py": "from shop.core import tools\nfrom shop import util\n",
                               "src/shop/core/models.py": "from shop.core.tools import dump\n"}, author=BOB))),
        # `from shop import util` named the module shop/util.py; a package shop/util/ now takes the name's place
        ("an import that resolves elsewhere once a module appears",
         lambda: repo.commit({"src/shop/util/__init__.py": "from shop.core import tools\n"}, delete=["src/shop/util.py"],
                             author=ADA)),
        # checkout.py, unchanged, imported the name `payments` of the package shop.api: now the module
        ("an unchanged file's import resolving to a module that appears",
         lambda: repo.commit({"src/shop/api/payments.py": "import decimal\n"}, author=BOB)),
        ("a module deleted: the imports of it fall back to its package",
         lambda: repo.commit({"src/shop/api/forms.py": "from shop.api import views\n\n\nFORM = 1\n"},
                             delete=["src/shop/core/tools.py"], author=BOB)),
        ("a body-only change (the resolution carried over)",
         lambda: repo.commit({"src/shop/core/models.py": "from shop.core.tools import dump\n\n\nMODEL = 2\n"}, author=ADA)),
        ("CODEOWNERS changed, no code",
         lambda: repo.commit({"CODEOWNERS": "/src/shop/ @bob\n/src/shop/core/ @ada\n"}, author=BOB)),
        (".gitattributes changed: a directory made documentation, another not vendored",
         lambda: repo.commit({".gitattributes": "src/shop/core/** linguist-documentation\ndocs/** linguist-documentation=false\n"},
                             author=ADA)),
    ]
    for number, (what, commit) in enumerate(steps, 1):
        commit()
        result = ingest_into_store(open_store(str(warm)), repo.root)
        assert result.import_changes is not None, f"{what}: the imports were not compared with the stored ones"
        cold = tmp_path / f"cold-{number}"
        ingest_into_store(open_store(str(cold)), repo.root)
        assert_same_rows(warm, cold, "shop")
    # what the steps were meant to change did change (else the parity above proved little)
    files = {k: json.loads(p) for k, p in _rows_of(warm, "SELECT key, props FROM nodes WHERE label = 'File'")}
    assert "src/shop/core/helpers.py" not in files and "src/shop/core/tools.py" not in files
    assert files["src/shop/core/models.py"]["linguist_reason"] == "documentation"
    assert files["docs/conf.py"]["linguist_counted"] is True
    imports = _rows_of(warm, "SELECT src, dst FROM relationships_by_id WHERE type = 'IMPORTS'")
    assert ("Module|shop|shop.api.checkout", "Module|shop|shop.api.payments") in imports
    assert ("Module|shop|shop.api.checkout", "Module|shop|shop.api") not in imports
    owners = _rows_of(warm, "SELECT src, dst FROM relationships_by_id WHERE type = 'OWNS'")
    assert any(dst.endswith("|src/shop/util/__init__.py") and "bob" in src.lower() for src, dst in owners)
