"""The PR check on a stored base reads part of the stored graph and gives the report the whole graph gives.

The store holds a clean ingest of the base, so the check reads only what
``api.services.changes.stored_for_change`` reads; the same change judged
against the whole stored graph (``store.load``) must give the same report, for
a change with boundary crossings, a new module and component dependency, a
deleted module, a rename, a file only its author knows (reviewers' stand-ins),
a file a person owns by CODEOWNERS, and a co-change partner left untouched.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services import changes as change_service
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.model import Label, Rel
from cairn.ingest.change import change_from_diff, change_from_refs
from cairn.queries.pr_check import analyse
from fixtures.gitrepo import GitRepo

ADA, BOB, CAROL = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Carol Coder", "carol@example.com")

CONFIG = """
[components]
api = ["shop/api/**"]
core = ["shop/core/**"]
db = ["shop/db/**"]
billing = ["shop/billing/**"]
tools = ["shop/tools/**"]

[[rules]]
id = "core-stays-pure"
kind = "forbidden"
from = ["core"]
to = ["api"]
because = "docs/adr/0001-pure-core.md"

[[rules]]
id = "layers"
kind = "layers"
layers = ["api", "core", "db"]
transitive = true
severity = "warn"
"""

ADR = "# 1. Pure core\n\n## Status\n\nAccepted\n\n## Decision\n\nThe core imports neither the API nor the database.\n"


@pytest.fixture
def shop(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": CONFIG, "docs/adr/0001-pure-core.md": ADR, ".github/CODEOWNERS":
                 "shop/core/ ada@example.com\nshop/db/ @dba-team\nshop/**/q*.py bob@example.com\n",
                 "shop/__init__.py": "", "shop/core/__init__.py": "", "shop/api/__init__.py": "", "shop/db/__init__.py": ""},
                author=BOB, message="skeleton")
    repo.commit({"shop/core/prices.py": "def price(x):\n    return x\n", "shop/core/tax.py": "from shop.core import prices\n",
                 "shop/db/tables.py": "T = 1\n", "shop/db/old.py": "from shop.db import tables\n"}, author=ADA, message="core")
    for i in range(6):  # prices and tax change together
        repo.commit({"shop/core/prices.py": f"def price(x):\n    return x * {i}\n", "shop/core/tax.py":
                     f"from shop.core import prices\nRATE = {i}\n"}, author=ADA, message=f"tune {i}")
    repo.commit({"shop/api/views.py": "from shop.core.prices import price\n" + "".join(f"V{k} = {k}\n" for k in range(20)),
                 "shop/api/forms.py": "from shop.api import views\nfrom shop.db import old\n"}, author=BOB, message="api")
    repo.commit({"shop/tools/quick.py": "Q = 1\n"}, author=BOB, message="a tool: Bob knows it, and owns it by a pattern")
    repo.commit({"shop/db/queries.py": "from shop.db import tables\n"}, author=CAROL, message="queries, Carol's alone")
    repo.git("checkout", "-q", "-b", "pr")
    repo.git("mv", "shop/api/views.py", "shop/api/pages.py")
    repo.commit({
        "shop/core/prices.py": "from shop.api import forms\n\ndef price(x):\n    return x * 9\n",  # core -> api: both rules
        "shop/billing/__init__.py": "", "shop/billing/invoice.py": "from shop.db import queries\nfrom shop.core import tax\n",
        "shop/api/forms.py": "from shop.api import pages\n", "shop/db/queries.py": "from shop.db import tables\nQ = 2\n",
    }, delete=["shop/db/old.py"], author=CAROL, message="billing, and a few changes")
    repo.git("checkout", "-q", "main")
    store_dir = tmp_path / "store"
    ingest_into_store(open_store(str(store_dir)), repo.root)
    return repo, store_dir


def whole_report(store_dir, repo: GitRepo, author: str | None = None) -> dict:
    store = open_store(str(store_dir))
    stored = store.load("shop")
    change = change_from_refs(stored, repo.root, "main", "pr", author=author, cache_dir=store_dir / "cache")
    return analyse(stored, change).to_json()


def test_the_check_on_a_stored_base_reads_a_part_and_reports_as_the_whole(shop):
    repo, store_dir = shop
    ws = Workspace(str(store_dir), naming_hint="-")
    fast = change_service.pr_check_checkout(ws, repo.root, "main", "pr", author="Carol Coder <carol@example.com>").to_json()
    assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>")
    assert {f["rule"] for f in fast["findings"]} >= {"core-stays-pure", "layers", "cairn/new-component-dependency",
                                                     "cairn/co-change"}
    assert {"shop.billing.invoice", "shop.api.pages"} <= {e["source"] for e in fast["new_edges"]}
    assert any("CODEOWNER of shop/**/q*.py" in r["reasons"] for r in fast["suggested_reviewers"]), fast["suggested_reviewers"]

    part = change_service.stored_for_change(open_store(str(store_dir)), "shop", ["shop/db/queries.py"])
    whole = open_store(str(store_dir)).load("shop")
    assert len(part.of_type(Rel.KNOWS)) < len(whole.of_type(Rel.KNOWS))  # a part indeed
    assert {n.key for n in part.of_label(Label.FILE)} >= {"shop/db/queries.py", "shop/db/tables.py"}  # its component's files


def test_a_diff_on_a_stored_base_reports_as_the_whole(shop):
    repo, store_dir = shop
    diff = subprocess.run(["git", "-C", str(repo.root), "diff", "-M", "main", "pr"], capture_output=True, text=True, check=True).stdout
    files: dict[str, str] = {}
    shown = subprocess.run(["git", "-C", str(repo.root), "diff", "-M", "--name-status", "main", "pr"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for line in shown:
        status, *paths = line.split("\t")
        if status != "D":
            files[paths[-1]] = subprocess.run(["git", "-C", str(repo.root), "show", f"pr:{paths[-1]}"], capture_output=True,
                                              text=True, check=True).stdout
    ws = Workspace(str(store_dir), naming_hint="-")
    fast = change_service.pr_check_diff(ws, "shop", diff, files, description="Why: " + "words " * 20).to_json()
    stored = open_store(str(store_dir)).load("shop")
    whole = analyse(stored, change_from_diff(stored, diff, files, description="Why: " + "words " * 20,
                                             cache_dir=store_dir / "cache")).to_json()
    assert fast == whole
    assert json.dumps(fast)  # a report, not an error


def test_a_store_ingested_elsewhere_reads_the_whole_graph(shop):
    repo, store_dir = shop
    repo.git("checkout", "-q", "pr")
    (repo.root / "shop" / "db" / "tables.py").write_text("T = 2\n")  # a dirty ingest stands for no commit
    ingest_into_store(open_store(str(store_dir)), repo.root)
    repo.git("checkout", "-q", "--", ".")
    repo.git("checkout", "-q", "main")
    assert open_store(str(store_dir)).load("shop").repository["dirty"] is True
    ws = Workspace(str(store_dir), naming_hint="-")
    assert change_service.pr_check_checkout(ws, repo.root, "main", "pr").to_json() == whole_report(store_dir, repo)
