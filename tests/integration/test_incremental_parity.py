"""An ingest after commits stores exactly what a cold ingest of the same checkout stores.

The warm store is ingested after every commit, so each ingest works from the
previous one (the parse cache, the IMPORTS edges it finds changed, the stored
fingerprint); a fresh store with a fresh cache ingests the same checkout cold.
The stored rows must be the same text, but for the time of the ingest.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import add_reviews, ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.model import Rel
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphChanges
from fixtures.gitrepo import GitRepo
from fixtures.stored_answers import assert_answers_as_cold

ADA, BOB = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com")


def stored_rows(store_dir: Path, repo: str) -> tuple[dict[str, str], dict[tuple[str, str, str], str]]:
    """Every node (id -> props text) and relationship ((type, source id, target id) -> props text) stored for ``repo``."""
    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        rid = db.execute("SELECT rid FROM repositories WHERE repo = ?", (repo,)).fetchone()[0]
        nodes = dict(db.execute("SELECT id, props FROM nodes WHERE rid = ?", (rid,)))
        edges = {(t, a, b): p for t, a, b, p in db.execute(
            "SELECT type, src, dst, props FROM relationships_by_id WHERE repo = ?", (repo,))}
    repository = json.loads(nodes[f"Repository|{repo}"])
    repository.pop("ingested_at")
    repository.pop("knows_token", None)  # names the ingest's KNOWS edges, like ingested_at its time
    nodes[f"Repository|{repo}"] = json.dumps(repository, sort_keys=True)
    return nodes, edges


def assert_same_rows(warm: Path, cold: Path, repo: str) -> None:
    warm_nodes, warm_edges = stored_rows(warm, repo)
    cold_nodes, cold_edges = stored_rows(cold, repo)
    assert warm_nodes.keys() == cold_nodes.keys()
    assert {k: v for k, v in warm_nodes.items() if cold_nodes[k] != v} == {}
    assert warm_edges.keys() == cold_edges.keys()
    assert {k: (v, cold_edges[k]) for k, v in warm_edges.items() if cold_edges[k] != v} == {}
    assert_answers_as_cold(warm, cold, repo)


def test_ingests_after_commits_store_what_a_cold_ingest_stores(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({
        "src/shop/__init__.py": "",
        "src/shop/api/__init__.py": "",
        "src/shop/api/views.py": "from shop.core import models\nimport requests\n",
        "src/shop/api/forms.py": "from shop.api import views\n",
        "src/shop/core/__init__.py": "",
        "src/shop/core/models.py": "import dataclasses\n",
        "src/shop/core/prices.py": "from shop.core.models import Order\n",
        "web/src/index.ts": "import { x } from './util';\n",
        "web/src/util.ts": "export const x = 1;\n",
        "README.md": "# shop\n",
    }, message="initial", author=ADA)
    warm = tmp_path / "warm"
    steps = [
        # imports changed in one file: an import added, one removed, one made type-only
        ({"src/shop/api/views.py": "from shop.core import models, prices\nfrom typing import TYPE_CHECKING\n"
                                   "if TYPE_CHECKING:\n    import requests\n"}, None, BOB),
        # a new module, imported from an old one; a new external package
        ({"src/shop/core/tax.py": "import decimal\nimport stripe\n", "src/shop/core/prices.py": "from shop.core import tax\n"},
         None, ADA),
        # a module deleted: the imports of it now resolve to its package
        ({"src/shop/api/forms.py": "from shop.core import tax\n"}, ["src/shop/core/models.py"], BOB),
        # a new component, and a TypeScript change
        ({"src/shop/billing/__init__.py": "", "src/shop/billing/invoice.py": "from shop.core import tax\nfrom shop.api import views\n",
          "web/src/index.ts": "import { x } from './util';\nimport './extra';\n", "web/src/extra.ts": "export {};\n"}, None, ADA),
        # bodies only, in two languages: the previous resolution carries over (ingest.code.carry_over)
        ({"src/shop/core/tax.py": "import decimal\nimport stripe\n\n\nRATE = 0.2\n",
          "web/src/util.ts": "export const x = 1;\nexport const y = 2;\n"}, None, BOB),
        # documentation only
        ({"README.md": "# shop\n\nNow with billing.\n"}, None, BOB),
    ]
    first = ingest_into_store(open_store(str(warm)), repo.root)
    assert first.import_changes is None  # nothing stored to compare with
    for number, result, _ in _walk(repo, steps, warm, tmp_path, "shop"):
        assert result.import_changes is not None, f"step {number}: the imports were not compared with the stored ones"
    # the last step changed no code: no import differs, and none was written
    assert result.import_changes[1:] == (set(), set())
    # the bodies-only step's result was kept as a patch on the one before it
    kept = json.loads(next(warm.rglob("parse-state.json")).read_text())["results"]
    assert any("base" in r and set(r["patch"]["lines"]) == {"src/shop/core/tax.py", "web/src/util.ts"} for r in kept)


def _walk(repo, steps, warm, tmp_path, name):
    """Commit each step (files, deleted paths, author), ingest it into the store ``warm`` after the last, and check
    that ``warm`` then holds the rows a cold ingest of that commit stores; yields (step number, the ingest's result,
    the cold store) after each check."""
    for number, (files, delete, author) in enumerate(steps, 1):
        repo.commit(files, delete=delete, message=f"step {number}", author=author)
        result = ingest_into_store(open_store(str(warm)), repo.root)
        cold = tmp_path / f"cold-{number}"
        ingest_into_store(open_store(str(cold)), repo.root)
        assert_same_rows(warm, cold, name)
        yield number, result, cold


def test_rust_ingests_after_commits_store_what_a_cold_ingest_stores(tmp_path):
    """A Rust repository's imports hang on its Cargo manifests as well as its files: a manifest changed, added or
    deleted changes how other files' paths resolve."""
    repo = GitRepo(tmp_path / "crates")
    repo.commit({
        "Cargo.toml": '[workspace]\nmembers = ["text", "app"]\n',
        "text/Cargo.toml": '[package]\nname = "text"\nedition = "2021"\n',
        "text/src/lib.rs": "pub mod lines;\n",
        "text/src/lines.rs": "use std::fmt;\npub struct Line;\n",
        "text/src/unused.rs": "use crate::lines::Line;\n",
        "app/Cargo.toml": '[package]\nname = "app"\nedition = "2021"\n\n[dependencies]\ntext = { path = "../text" }\n',
        "app/src/main.rs": "use text::lines::Line;\nfn main() {}\n",
    }, message="initial", author=ADA)
    warm = tmp_path / "warm"
    steps = [
        # a `mod` added: a file no mod reached is now in the tree; a new external crate
        ({"text/src/lib.rs": "pub mod lines;\nmod unused;\nuse core::fmt;\n"}, None, BOB),
        # a manifest changed, no Rust file: the package is another, app's `use text::…` names an external crate
        ({"text/Cargo.toml": '[package]\nname = "text-core"\nedition = "2021"\n'}, None, ADA),
        # a manifest added: a package of its own, whose library app now uses
        ({"words/Cargo.toml": '[package]\nname = "words"\nedition = "2021"\n',
          "words/src/lib.rs": "mod inner;\npub use crate::inner::W;\n", "words/src/inner.rs": "pub struct W;\n",
          "app/src/main.rs": "use text::lines::Line;\nuse words::W;\nfn main() {}\n",
          "app/Cargo.toml": '[package]\nname = "app"\nedition = "2021"\n\n[dependencies]\nwords = { path = "../words" }\n'},
         None, BOB),
        # a manifest deleted: its files in no package, its library an external crate to app
        (None, ["words/Cargo.toml"], ADA),
        # bodies only
        ({"text/src/lines.rs": "use std::fmt;\npub struct Line;\n\nimpl Line {}\n"}, None, BOB),
    ]
    ingest_into_store(open_store(str(warm)), repo.root)
    *_, (_, _, cold) = _walk(repo, steps, warm, tmp_path, "crates")
    imports = {(a.split("|")[-1], b.split("|")[-1]) for kind, a, b in stored_rows(cold, "crates")[1] if kind == "IMPORTS"}
    assert ("app/src/main.rs", "words") in imports  # (the library of the deleted manifest: now an external crate)


class Recording(SqliteStore):
    """The real embedded store, remembering the changes each save was given."""

    def __init__(self, path):
        super().__init__(path)
        self.saved: list[GraphChanges] = []

    def save_changes(self, changes, progress=None):
        self.saved.append(changes)
        super().save_changes(changes, progress)


def test_only_the_knows_edges_of_files_the_commits_touched_are_written(tmp_path):
    repo = GitRepo(tmp_path / "app")
    repo.commit({"app/__init__.py": "", "app/a.py": "A = 1\n", "app/b.py": "B = 1\n", "app/c.py": "C = 1\n"},
                message="one", author=ADA)
    repo.commit({"app/b.py": "B = 2\n"}, message="two", author=BOB)
    warm = tmp_path / "warm"
    store = Recording(warm)
    ingest_into_store(store, repo.root)
    assert Rel.KNOWS not in store.saved[-1].patched  # nothing stored to compare with
    file_id = lambda path: f"File|app|{path}"  # noqa: E731

    # Bob changes a.py (Ada's alone so far); c.py is deleted: only a.py's edges are worked out again
    repo.commit({"app/a.py": "A = 2\n"}, delete=["app/c.py"], message="three", author=BOB)
    result = ingest_into_store(store, repo.root)
    assert result.knows_delta is not None and result.knows_delta.files == {file_id("app/a.py")}
    changes = store.saved[-1]
    assert Rel.KNOWS in changes.patched and Rel.KNOWS in changes.complete
    assert {key for key in changes.changed if key[0] == "KNOWS"} == {
        ("KNOWS", "Person|app|ada@example.com", file_id("app/a.py")), ("KNOWS", "Person|app|bob@example.com", file_id("app/a.py"))}
    assert_same_rows(warm, _cold(tmp_path, repo, "cold-3"), "app")

    # a review kept through the services changes KNOWS edges the history memory knows nothing of: compared whole
    add_reviews(Workspace(Recording(warm), naming_hint=""), "app",
                [{"reviewer": "Bob Builder <bob@example.com>", "files": ["app/b.py"], "pull_request": 3}])
    repo.commit({"app/b.py": "B = 3\n"}, message="four", author=ADA)
    ingest_into_store(store, repo.root)
    assert Rel.KNOWS not in store.saved[-1].patched
    assert_same_rows(warm, _cold(tmp_path, repo, "cold-4", reviews_from=warm), "app")

    # the same reviews at the next ingest: patched again
    repo.commit({"app/__init__.py": "X = 1\n"}, message="five", author=ADA)
    ingest_into_store(store, repo.root)
    assert Rel.KNOWS in store.saved[-1].patched
    assert_same_rows(warm, _cold(tmp_path, repo, "cold-5", reviews_from=warm), "app")


def test_knows_edges_stored_by_another_save_are_compared_whole(tmp_path):
    repo = GitRepo(tmp_path / "app")
    repo.commit({"app/__init__.py": "", "app/a.py": "A = 1\n", "app/b.py": "B = 1\n"}, message="one", author=ADA)
    warm = tmp_path / "warm"
    store = Recording(warm)
    ingest_into_store(store, repo.root)
    other = store.load("app")  # a save the history memory did not make (e.g. an ingest whose memory was not kept)
    other.edges[("KNOWS", "Person|app|ada@example.com", "File|app|app/b.py")].props["deliveries"] = 99
    other.repository.props["knows_token"] = "another save's"
    store.save(other)
    repo.commit({"app/a.py": "A = 2\n"}, message="two", author=BOB)
    assert ingest_into_store(store, repo.root).knows_delta is not None
    assert Rel.KNOWS not in store.saved[-1].patched
    assert_same_rows(warm, _cold(tmp_path, repo, "cold"), "app")


def _cold(tmp_path: Path, repo: GitRepo, name: str, reviews_from: Path | None = None) -> Path:
    """A store ingested cold from the checkout as it is (with the review records kept in ``reviews_from``)."""
    cold = tmp_path / name
    store = open_store(str(cold))
    if reviews_from is not None:
        store.save_reviews("app", open_store(str(reviews_from)).load_reviews("app"))
    ingest_into_store(store, repo.root)
    return cold


def test_a_stored_graph_replaced_meanwhile_is_saved_whole(tmp_path):
    from cairn.graph.model import Label, Rel

    repo = GitRepo(tmp_path / "app")
    repo.commit({"app/__init__.py": "", "app/a.py": "from app import b\n", "app/b.py": "", "app/c.py": ""}, message="one")
    store_dir = tmp_path / "store"
    ingest_into_store(open_store(str(store_dir)), repo.root)
    repo.commit({"app/b.py": "from app import a\n"}, message="two")
    store = open_store(str(store_dir))

    def another_writer(stage: str, done: int, total: int) -> None:
        """Saves a graph with an import nobody wrote while the ingest reads the checkout (before it locks)."""
        if stage == "listing files" and done == 1:
            other = store.load("app")
            other.add_edge(Rel.IMPORTS, other.node(Label.MODULE, "app.c"), other.node(Label.MODULE, "app.a"), kind="runtime")
            other.repository.props["code_fingerprint"] = "another writer's"
            store.save(other)

    result = ingest_into_store(store, repo.root, progress=another_writer)
    assert result.import_changes is not None  # found against the graph stored when the ingest started…
    cold = tmp_path / "cold"
    ingest_into_store(open_store(str(cold)), repo.root)
    assert_same_rows(store_dir, cold, "app")  # …but not applied to the one stored meanwhile


def test_a_graph_another_cairn_built_is_saved_whole(tmp_path):
    repo = GitRepo(tmp_path / "app")
    repo.commit({"app/__init__.py": "", "app/a.py": "from app import b\n", "app/b.py": ""}, message="one")
    store_dir = tmp_path / "store"
    ingest_into_store(open_store(str(store_dir)), repo.root)
    store = open_store(str(store_dir))
    other = store.load("app")  # as another version of Cairn would have stored it, from the same extraction
    build, _, extraction = other.repository["code_fingerprint"].partition(":")
    other.repository.props["code_fingerprint"] = f"another-{build}:{extraction}"
    store.save(other)
    repo.commit({"app/b.py": "from app import a\n"}, message="two")
    assert ingest_into_store(store, repo.root).import_changes is None  # its imports may be built otherwise: not patched
    cold = tmp_path / "cold"
    ingest_into_store(open_store(str(cold)), repo.root)
    assert_same_rows(store_dir, cold, "app")
