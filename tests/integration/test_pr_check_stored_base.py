"""The PR check on a stored base reads part of the stored graph and gives the report the whole graph gives.

The store holds a clean ingest of the base, so the check reads only what
``api.services.changes.StoredBase`` reads; the same change judged against the
whole stored graph (``store.load``) must give the same report, for a change
with boundary crossings, a new module and component dependency, a deleted
module, a rename, a file only its author knows (reviewers' stand-ins), a file
a person owns by CODEOWNERS, and a co-change partner left untouched; and for
a change that only modifies files (crossings of every rule kind, a new
component cycle, an import removed, knowledge risk), with rules that judge
imports one at a time (then only the changed modules' IMPORTS are read), with
a transitive or an acyclic rule (then every import is read), and with a file
that turns binary (the module set changes: every import is read). And for
changes of the layout the head's shortcuts could misjudge: modules added and
deleted, a new package root, renames within and across components, TypeScript
files changed, added or turned binary, a change of imports that renames
modules (a directory named like a standard-library module stops being a source
root of its own), and a change to cairn.toml and CODEOWNERS.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from cairn.api.bootstrap import open_store
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore
from cairn.api.services import changes as change_service
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.model import Label, Rel
from cairn.ingest.change import change_from_diff, change_from_refs
from cairn.ingest.path_history import latest_commits
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

[[rules]]
id = "tools-not-db"
kind = "forbidden"
from = ["tools"]
to = ["db"]
transitive = true
"""

ADR = "# 1. Pure core\n\n## Status\n\nAccepted\n\n## Decision\n\nThe core imports neither the API nor the database.\n"


#: Rules that judge imports one at a time, of every such kind: a change's new findings come from its modules' imports.
DIRECT_CONFIG = CONFIG.replace("transitive = true\n", "") + """
[[rules]]
id = "tools-use-core-only"
kind = "allowed_only"
from = ["tools"]
to = ["core"]

[[rules]]
id = "db-through-tables"
kind = "interface"
component = "db"
modules = ["shop.db.tables"]

[[rules]]
id = "billing-apart"
kind = "independence"
components = ["billing", "tools"]
"""

ACYCLIC_CONFIG = DIRECT_CONFIG + """
[[rules]]
id = "no-cycles"
kind = "acyclic"
"""

#: A change that only modifies files: core -> api (both core rules, and a component cycle with api -> core), db -> core
#: (layers), tools -> api (allowed_only, a new component dependency), an import removed (forms no longer reaches
#: db.old, which the interface rule forbids); prices changes without tax, its usual partner.
MODIFICATIONS = {
    "shop/core/prices.py": "from shop.api import forms\n\ndef price(x):\n    return x * 7\n",
    "shop/db/queries.py": "from shop.db import tables\nfrom shop.core import prices\n",
    "shop/tools/quick.py": "from shop.api import views\nQ = 2\n",
    "shop/api/forms.py": "from shop.api import views\n",
}


@pytest.fixture
def shop(tmp_path):
    return make_shop(tmp_path, CONFIG)


@pytest.fixture(params=["direct", "acyclic"])
def direct_shop(tmp_path, request):
    return make_shop(tmp_path, DIRECT_CONFIG if request.param == "direct" else ACYCLIC_CONFIG), request.param


def make_shop(tmp_path, config: str):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": config, "docs/adr/0001-pure-core.md": ADR, ".github/CODEOWNERS":
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
    repo.commit({"shop/tools/__init__.py": "", "shop/tools/quick.py": "Q = 1\n"}, author=BOB, message="a tool: Bob knows it, and owns it by a pattern")
    repo.commit({"shop/db/queries.py": "from shop.db import tables\n"}, author=CAROL, message="queries, Carol's alone")
    repo.git("checkout", "-q", "-b", "pr")
    repo.git("mv", "shop/api/views.py", "shop/api/pages.py")
    repo.commit({
        "shop/core/prices.py": "from shop.api import forms\n\ndef price(x):\n    return x * 9\n",  # core -> api: both rules
        "shop/billing/__init__.py": "", "shop/billing/invoice.py": "from shop.db import queries\nfrom shop.core import tax\n",
        "shop/api/forms.py": "from shop.api import pages\n", "shop/db/queries.py": "from shop.db import tables\nQ = 2\n",
    }, delete=["shop/db/old.py"], author=CAROL, message="billing, and a few changes")
    repo.git("checkout", "-q", "-b", "pr-mod", "main")
    repo.commit(MODIFICATIONS, author=CAROL, message="only modifications")
    repo.git("checkout", "-q", "-b", "pr-chain", "main")  # tools -> api.forms, which imports db.old: a chain
    repo.commit({"shop/tools/quick.py": "from shop.api import forms\n"}, author=CAROL, message="a chain into db")
    repo.git("checkout", "-q", "-b", "pr-binary", "main")
    repo.commit({**MODIFICATIONS, "shop/db/tables.py": b"T = 1\n\0\n"}, author=CAROL, message="a module turns binary")
    repo.git("checkout", "-q", "main")
    store_dir = tmp_path / "store"
    ingest_into_store(open_store(str(store_dir)), repo.root)
    return repo, store_dir


def whole_report(store_dir, repo: GitRepo, author: str | None = None, head: str = "pr") -> dict:
    store = open_store(str(store_dir))
    stored = store.load("shop")
    change = change_from_refs(stored, repo.root, "main", head, author=author, cache_dir=store_dir / "cache")
    # (the latest commits of the changed paths the store keeps no file for, read from the checkout as the service does)
    return analyse(stored, change, read_latest_commits=lambda paths: latest_commits(repo.root, change.base, paths)).to_json()


class ReadsCountingStore(SqliteStore):
    """The embedded store, noting every read of IMPORTS edges: whole (``load``, ``load_part``) or around some ids."""

    def __init__(self, root):
        super().__init__(root)
        self.whole_imports = 0
        self.imports_around: set[str] = set()
        self.components_around: set[str] = set()  # whose files were read (reviewers' stand-ins)

    def load(self, repo):
        self.whole_imports += 1
        return super().load(repo)

    def load_part(self, repo, labels=(), rels=()):
        self.whole_imports += Rel.IMPORTS in {Rel(r) for r in rels}
        return super().load_part(repo, labels, rels)

    def load_around(self, repo, ids, rels=()):
        ids = list(ids)
        if Rel.IMPORTS in {Rel(r) for r in rels}:
            self.imports_around.update(ids)
        if Rel.PART_OF in {Rel(r) for r in rels}:
            self.components_around.update(ids)
        return super().load_around(repo, ids, rels)


def checked(store_dir, repo: GitRepo, head: str) -> tuple[dict, ReadsCountingStore]:
    store = ReadsCountingStore(store_dir)
    report = change_service.pr_check_checkout(Workspace(store, naming_hint="-"), repo.root, "main", head,
                                              author="Carol Coder <carol@example.com>").to_json()
    return report, store


def test_the_check_on_a_stored_base_reads_a_part_and_reports_as_the_whole(shop):
    repo, store_dir = shop
    ws = Workspace(str(store_dir), naming_hint="-")
    fast = change_service.pr_check_checkout(ws, repo.root, "main", "pr", author="Carol Coder <carol@example.com>").to_json()
    assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>")
    assert {f["rule"] for f in fast["findings"]} >= {"core-stays-pure", "layers", "cairn/new-component-dependency",
                                                     "cairn/co-change"}
    assert {"shop.billing.invoice", "shop.api.forms"} <= {e["source"] for e in fast["new_edges"]}
    # views.py renamed pages.py, its import of prices as it was: moved, not new (forms rewrote its import: new)
    assert "shop.api.pages" not in {e["source"] for e in fast["new_edges"]} and fast["moved_imports"] == 1
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


def test_a_change_that_only_modifies_files_reads_the_imports_of_its_modules_only(direct_shop):
    (repo, store_dir), rules = direct_shop
    fast, store = checked(store_dir, repo, "pr-mod")
    assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>", head="pr-mod")
    found = {f["rule"] for f in fast["findings"]}
    assert found >= {"core-stays-pure", "layers", "tools-use-core-only", "cairn/co-change", "cairn/knowledge-risk"}, found
    assert ("cairn/new-cycle" in found) is (rules == "direct"), found  # an acyclic rule judges the cycle itself
    assert ("no-cycles" in found) is (rules == "acyclic"), found
    assert {"shop.core.prices", "shop.tools.quick"} <= {e["source"] for e in fast["new_edges"]}
    assert fast["suggested_reviewers"]
    # Carol, the author, alone knows shop/db/queries.py: the other files of component db are read for stand-ins
    assert store.components_around == {"Component|shop|db"}
    if rules == "direct":  # every rule judges imports one at a time: only the changed modules' imports are read
        changed = {f"Module|shop|shop.{m}" for m in ("core.prices", "db.queries", "tools.quick", "api.forms")}
        assert store.whole_imports == 0 and store.imports_around == changed, store.imports_around
    else:  # an acyclic rule looks at every import
        assert store.whole_imports == 1 and not store.imports_around


def test_a_change_to_the_set_of_modules_reads_every_import(direct_shop):
    (repo, store_dir), _ = direct_shop
    for head in ("pr", "pr-binary"):  # added, deleted and renamed modules; a module whose file turns binary
        fast, store = checked(store_dir, repo, head)
        assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>", head=head), head
        assert store.whole_imports == 1, head
    assert "shop.db.tables" not in {e["target"] for e in fast["new_edges"]}


def test_a_transitive_rule_reads_every_import(shop):
    repo, store_dir = shop
    for head in ("pr-mod", "pr-chain"):
        fast, store = checked(store_dir, repo, head)
        assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>", head=head), head
        assert store.whole_imports == 1 and not store.imports_around, head
    assert not store.components_around  # Bob knows shop/tools/quick.py: no stand-ins needed, none read
    # the chain tools.quick -> api.forms -> db.old runs through imports of a module the change does not touch
    assert [f["chain"] for f in fast["findings"] if f["rule"] == "tools-not-db"] == [["shop.tools.quick", "shop.api.forms", "shop.db.old"]]


def test_a_diff_that_only_modifies_files_reads_part_and_reports_as_the_whole(direct_shop):
    (repo, store_dir), _ = direct_shop
    diff = subprocess.run(["git", "-C", str(repo.root), "diff", "main", "pr-mod"], capture_output=True, text=True,
                          check=True).stdout
    store = ReadsCountingStore(store_dir)
    fast = change_service.pr_check_diff(Workspace(store, naming_hint="-"), "shop", diff, MODIFICATIONS).to_json()
    stored = open_store(str(store_dir)).load("shop")
    assert fast == analyse(stored, change_from_diff(stored, diff, MODIFICATIONS, cache_dir=store_dir / "cache")).to_json()
    assert {f["rule"] for f in fast["findings"]} >= {"core-stays-pure", "tools-use-core-only"}


class WholeReadsStore(ReadsCountingStore):
    """A store whose partial read is the port's own, which reads the whole graph each time (as Neo4j's does)."""

    load_around = GraphStore.load_around


def test_a_store_that_reads_parts_whole_is_read_once(direct_shop):
    (repo, store_dir), _ = direct_shop
    store = WholeReadsStore(store_dir)
    fast = change_service.pr_check_checkout(Workspace(store, naming_hint="-"), repo.root, "main", "pr-mod",
                                            author="Carol Coder <carol@example.com>").to_json()
    assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>", head="pr-mod")
    assert store.whole_imports == 1 and not store.imports_around and not store.components_around


# -- layouts: what the head's shortcuts (the listing read beside the store, the parse cache's state left unread,
# -- imports resolved for the changed modules only, source-root counts taken only when asked) could get wrong

#: A component per top directory (``src`` is ``extra``), and one rule: lib does not import app.
LAYOUT_CONFIG = "[components]\n" + "".join(f'{name} = ["{top}/**"]\n' for name, top in (
    ("app", "app"), ("lib", "lib"), ("web", "web"), ("tests", "tests"), ("extra", "src"))) + \
    '\n[[rules]]\nid = "lib-below-app"\nkind = "forbidden"\nfrom = ["lib"]\nto = ["app"]\n'

#: Each branch of the layout repository, and what it changes from main.
LAYOUT_BRANCHES = {
    "pr-modify": ({"lib/util.py": "from app import main\nU = 2\n"}, []),  # a new crossing, modules unchanged
    "pr-add-delete": ({"lib/fresh.py": "from app.main import run\n"}, ["app/views.py"]),
    "pr-package-root": ({"src/newpkg/__init__.py": "", "src/newpkg/core.py": "from lib import util\n",
                         "app/main.py": "from lib import util\nfrom newpkg import core\n\ndef run():\n    return util.U\n"}, []),
    "pr-ts": ({"web/src/index.ts": "import { b } from './b';\nimport { a } from './a';\nexport const i = a + b;\n",
               "web/src/b.ts": "export const b = 2;\n"}, []),
    "pr-ts-modify": ({"web/src/index.ts": "import { c } from './c';\nexport const i = c;\n"}, []),
    # imports through io/ name the directory: it stops being a source root of its own, and its modules are renamed
    "pr-shadow": ({"tests/test_main.py": "from io.helpers import H\nfrom io import helpers\nimport app.main\n"}, []),
    "pr-binary-ts": ({"web/src/a.ts": b"\0\0binary now\n"}, []),
    "pr-governance": ({"cairn.toml": LAYOUT_CONFIG + '\n[[rules]]\nid = "app-alone"\nkind = "forbidden"\nfrom = ["app"]\nto = ["lib"]\n',
                       ".github/CODEOWNERS": "lib/ bob@example.com\n"}, []),
}


@pytest.fixture
def layouts(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": LAYOUT_CONFIG, ".github/CODEOWNERS": "app/ ada@example.com\n",
                 "app/__init__.py": "", "app/main.py": "from lib import util\n\ndef run():\n    return util.U\n",
                 "app/views.py": "from app.main import run\n", "lib/__init__.py": "", "lib/util.py": "U = 1\n",
                 "lib/helpers.py": "from lib.util import U\n", "io/helpers.py": "H = 1\n",
                 "io/test_helpers.py": "def test():\n    assert True\n", "tests/test_main.py": "import app.main\n",
                 "web/package.json": '{"name": "web"}\n', "web/src/index.ts": "import { a } from './a';\nexport const i = a;\n",
                 "web/src/a.ts": "export const a = 1;\n", "web/src/c.ts": "import { a } from './a';\nexport const c = a;\n"},
                author=ADA, message="layouts")
    repo.commit({"lib/util.py": "U = 3\n", "web/src/a.ts": "export const a = 3;\n"}, author=BOB, message="tweaks")
    for branch, (files, deleted) in LAYOUT_BRANCHES.items():
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.commit(files, delete=deleted, author=CAROL, message=branch)
    repo.git("checkout", "-q", "-b", "pr-rename", "main")
    repo.git("mv", "lib/helpers.py", "lib/aid.py")  # a module renamed in its component
    repo.git("mv", "lib/util.py", "app/util.py")  # a module moved to another component
    repo.commit({"app/main.py": "from app import util\n\ndef run():\n    return util.U\n"}, author=CAROL, message="renames")
    repo.git("checkout", "-q", "main")
    store_dir = tmp_path / "store"
    ingest_into_store(open_store(str(store_dir)), repo.root)
    return repo, store_dir


@pytest.mark.parametrize("head", [*LAYOUT_BRANCHES, "pr-rename"])
def test_the_check_on_a_stored_base_reports_as_the_whole_for_every_layout_change(layouts, head):
    repo, store_dir = layouts
    fast, store = checked(store_dir, repo, head)
    assert fast == whole_report(store_dir, repo, "Carol Coder <carol@example.com>", head=head)
    changed_modules = {e["source"] for e in fast["new_edges"]}
    if head == "pr-modify":  # the set of modules stays: only the changed module's imports are read
        assert store.whole_imports == 0 and store.imports_around == {"Module|shop|lib.util"}
        assert "lib-below-app" in {f["rule"] for f in fast["findings"]}
    if head in ("pr-add-delete", "pr-package-root", "pr-shadow", "pr-rename", "pr-binary-ts"):
        assert store.whole_imports == 1, head  # the set of modules changed: every import is compared
    if head == "pr-package-root":
        assert "newpkg.core" in changed_modules and "app.main" in changed_modules
    if head == "pr-shadow":  # at the base io/helpers.py is the top-level module helpers; at the head io.helpers
        assert {(e["source"], e["target"]) for e in fast["new_edges"]} >= {("tests.test_main", "io.helpers")}
    if head == "pr-ts":
        assert "web/src/index.ts" in changed_modules
    if head == "pr-governance":
        assert {f["file"] for f in fast["findings"] if f["rule"] == "cairn/governance-change"} == {"cairn.toml", ".github/CODEOWNERS"}


def test_a_layout_change_checked_twice_and_as_a_diff_reports_the_same(layouts):
    """The second check finds the parse cache as the first left it (a stored base saves nothing), and a diff of the
    same change, applied to the stored commit, reads the same listing."""
    repo, store_dir = layouts
    first, _ = checked(store_dir, repo, "pr-shadow")
    again, _ = checked(store_dir, repo, "pr-shadow")
    assert first == again
    diff = subprocess.run(["git", "-C", str(repo.root), "diff", "main", "pr-modify"], capture_output=True, text=True,
                          check=True).stdout
    files = {"lib/util.py": "from app import main\nU = 2\n"}
    fast = change_service.pr_check_diff(Workspace(ReadsCountingStore(store_dir), naming_hint="-"), "shop", diff, files).to_json()
    stored = open_store(str(store_dir)).load("shop")
    assert fast == analyse(stored, change_from_diff(stored, diff, files, cache_dir=store_dir / "cache")).to_json()


def test_a_tree_listing_stands_only_for_its_commit_and_settings(layouts):
    """The listing read beside the store is the one snapshot_at would read, or it is not used."""
    from cairn.ingest.change import TreeListing
    from cairn.ingest.config import CairnConfig, IngestSettings
    from cairn.ingest.gittree import GitTree

    repo, store_dir = layouts
    head = repo.git("rev-parse", "pr-ts")
    listing = TreeListing(repo.root, head, {"ingest_settings": {"exclude": ["web/**"]}}, cache_dir=store_dir / "cache")
    excluding = CairnConfig(ingest=IngestSettings(exclude=["web/**"]))
    tree = listing.tree_for(repo.root, head, excluding)
    assert tree is not None and tree.entries == GitTree.at(repo.root, head, exclude=["web/**"]).entries
    assert not any(path.startswith("web/") for path in tree.entries)
    assert listing.tree_for(repo.root, head, CairnConfig()) is None  # other settings: snapshot_at lists for itself
    assert listing.tree_for(repo.root, repo.git("rev-parse", "main"), excluding) is None
    assert listing.parse_cache_for(store_dir / "cache", read_state=True) is None  # a cache with its state: not this one
    assert listing.parse_cache_for(store_dir / "cache", read_state=False).entries  # the ingest's parsed files


# -- the head's import index: the base's, patched with the imports the change re-wrote (queries.contracts.index)


def index_as_built(index) -> dict:
    """Everything an ImportIndex answers with, each module's imports and importers in their order."""
    return {"component_of": index.component_of, "component_modules": index.component_modules,
            "externals": index.externals, "modules": index.modules, "prefix_names": index.prefix_names(),
            "succ": {a: list(edges.items()) for a, edges in index.succ.items()},
            "pred": {b: list(edges.items()) for b, edges in index.pred.items()}}


def part_change(store_dir, repo: GitRepo, head: str):
    """The change as the check on a stored base builds it: from the part of the stored graph it reads."""
    from cairn.ingest.change import read_refs

    refs = read_refs(repo.root, "main", head)
    stored = change_service.StoredBase(open_store(str(store_dir)), "shop", refs.paths)
    return change_from_refs(stored.graph, repo.root, "main", head, cache_dir=store_dir / "cache", refs=refs,
                            imports_for=stored.imports_for)


@pytest.mark.parametrize("whole", [True, False], ids=["whole-graph", "stored-part"])
def test_the_heads_import_index_patched_from_the_bases_is_the_one_built_whole(direct_shop, whole):
    from cairn.queries.contracts.index import ImportIndex

    (repo, store_dir), _ = direct_shop
    for head in ("pr", "pr-mod", "pr-chain", "pr-binary"):
        change = change_from_refs(open_store(str(store_dir)).load("shop"), repo.root, "main", head,
                                  cache_dir=store_dir / "cache") if whole else part_change(store_dir, repo, head)
        base = ImportIndex(change.base_graph)
        patched = ImportIndex.patched(base, change.head_graph, change.changed_modules)
        assert index_as_built(patched) == index_as_built(ImportIndex(change.head_graph)), head
        assert index_as_built(base) == index_as_built(ImportIndex(change.base_graph)), head  # the base's left as it was
        # the same modules in the same components: patched (sharing the base's module list); else built whole
        assert (patched.modules is base.modules) is (head in ("pr-mod", "pr-chain")), head
        if head == "pr-mod":
            assert "shop.api.forms" in patched.succ["shop.core.prices"] and "shop.api.forms" not in base.succ["shop.core.prices"]
            assert "shop.tools.quick" in patched.pred["shop.api.views"] and "shop.tools.quick" not in base.pred["shop.api.views"]


def test_a_head_index_patched_with_a_new_external_package_and_a_dropped_importer(tmp_path):
    """A module importing a package new to the repository (its node is added at the head), and the last import of a
    module removed (a whole index has no importers entry for it then)."""
    from cairn.queries.contracts.index import ImportIndex

    repo = GitRepo(tmp_path / "r")
    repo.commit({"cairn.toml": "[components]\na = [\"pkg/a/**\"]\nb = [\"pkg/b/**\"]\n\n[[rules]]\nid = \"a-not-b\"\n"
                 "kind = \"forbidden\"\nfrom = [\"a\"]\nto = [\"b\"]\n",
                 "pkg/__init__.py": "", "pkg/a/__init__.py": "", "pkg/b/__init__.py": "",
                 "pkg/a/x.py": "from pkg.b import y\nimport os\n", "pkg/b/y.py": "Y = 1\n", "pkg/b/z.py": "from pkg.b import y\n"},
                author=ADA, message="base")
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit({"pkg/a/x.py": "import requests\n", "pkg/b/z.py": "import yaml\nfrom pkg.a import x\n"}, author=BOB, message="pr")
    repo.git("checkout", "-q", "main")
    store_dir = tmp_path / "store"
    ingest_into_store(open_store(str(store_dir)), repo.root)
    change = change_from_refs(open_store(str(store_dir)).load("r"), repo.root, "main", "pr", cache_dir=store_dir / "cache")
    base = ImportIndex(change.base_graph)
    patched = ImportIndex.patched(base, change.head_graph, change.changed_modules)
    assert patched.modules is base.modules
    assert index_as_built(patched) == index_as_built(ImportIndex(change.head_graph))
    assert {"requests", "yaml"} <= patched.externals and not {"requests", "yaml"} & base.externals
    assert "pkg.b.y" in base.pred and "pkg.b.y" not in patched.pred
