"""After a commit the answers kept for the stored graph are taken where their inputs did not change (``answer_base``),
and every answer is still, text for text, what a cold ingest of the same commit keeps.

Real repositories (tests/fixtures/gitrepo.py) are ingested into a real embedded store commit after commit (the warm
store) and, after each commit, into a fresh store (cold). To see what was taken rather than computed, a value kept
for the stored graph is altered in the store before the next ingest (a "plant"): a part taken from it carries the
plant over, a part computed anew does not.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import pytest

from cairn.api.services import answers
from cairn.api.services.answer_base import BASIS
from cairn.api.services.ingesting import add_reviews, ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import StoreError
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore
from cairn.graph.values import loads
from fixtures.gitrepo import GitRepo
from fixtures.stored_answers import assert_answers_as_cold

ADA, BOB, CAT, DAN = (("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"),
                      ("Cat Stevens", "cat@example.com"), ("Dan Brown", "dan@example.com"))
SOON = (date.today() + timedelta(days=30)).isoformat()
API = '"shop/api/**"'

TOML = """\
[components]
api = [{api}]
core = ["shop/core/**"]
web = ["shop/web/**"]

[[rules]]
id = "core-below-api"
because = "docs/adr/0001-core-below-api.md"
kind = "forbidden"
to = ["api"]
from = ["core"]

[[rules]]
id = "web-on-top"
severity = "{severity}"
kind = "forbidden"
to = ["web"]
from = ["api"]
exceptions = [{{importer = "shop.api.render", imported = "shop.web.page", reason = "until the split", expires = "{expires}"}}]
"""
ADR = "# 1. The core below the API\n\n## Status\n\n{status}\n\n## Decision\n\nThe API calls the core, never the reverse.\n"


def build_shop(root: Path) -> GitRepo:
    """Three components (api, core, web) importing each other, two rules (one with an exception), an ADR,
    CODEOWNERS, three people."""
    repo = GitRepo(root)
    repo.commit({
        "cairn.toml": TOML.format(api=API, severity="warn", expires=SOON),
        "docs/adr/0001-core-below-api.md": ADR.format(status="Accepted"),
        "CODEOWNERS": "/shop/core/ @ada\n/shop/api/ @bob\n",
        "shop/__init__.py": "", "shop/core/__init__.py": "", "shop/api/__init__.py": "", "shop/web/__init__.py": "",
        "shop/core/prices.py": "import decimal\n",
        "shop/core/legacy.py": "from shop.api import views\n",
    }, author=ADA, message="core")
    repo.commit({"shop/api/views.py": "from shop.core import prices\nimport json\n",
                 "shop/api/render.py": "from shop.web import page\n"}, author=BOB, message="api")
    repo.commit({"shop/web/page.py": "import json\nfrom shop.api import views\n",
                 "shop/web/style.py": "import re\n"}, author=CAT, message="web")
    return repo


@pytest.fixture
def shop(tmp_path) -> tuple[GitRepo, Path, str]:
    """``build_shop`` ingested into an embedded store: the repository, the store's directory, the repository's name."""
    repo = build_shop(tmp_path / "shop")
    warm = tmp_path / "warm"
    ingest_into_store(SqliteStore(warm), repo.root)
    return repo, warm, repo.root.name


def ingest_warm_and_cold(repo: GitRepo, warm: Path, cold: Path) -> None:
    """Ingest the checkout into the warm store (after its earlier ingests) and into a fresh cold one; every answer
    kept must be the same text."""
    ingest_into_store(SqliteStore(warm), repo.root)
    ingest_into_store(SqliteStore(cold), repo.root)
    assert_answers_as_cold(warm, cold, repo.root.name)


def test_answers_after_each_kind_of_commit_are_those_of_a_cold_ingest(tmp_path):
    repo = build_shop(tmp_path / "shop")
    warm = tmp_path / "warm"
    ingest_into_store(SqliteStore(warm), repo.root)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("one component only: a body", lambda: repo.commit({"shop/web/style.py": "import re\n\nX = 1\n"}, author=CAT)),
        ("imports across components", lambda: repo.commit(
            {"shop/web/page.py": "import json\nfrom shop.api import views\nfrom shop.core import prices\n"}, author=BOB)),
        ("a file moves to another component", lambda: repo.rename("shop/core/legacy.py", "shop/api/legacy.py", author=ADA)),
        ("the rules only", lambda: repo.commit({"cairn.toml": TOML.format(api=API, severity="block", expires=SOON)},
                                               author=ADA)),
        # the configuration puts web's page in api: files and modules change components, no import or history does
        ("components redrawn", lambda: repo.commit(
            {"cairn.toml": TOML.format(api=API + ', "shop/web/page.py"', severity="block", expires=SOON)}, author=ADA)),
        ("an ADR only", lambda: repo.commit({"docs/adr/0001-core-below-api.md": ADR.format(status="Superseded")}, author=ADA)),
        ("CODEOWNERS only", lambda: repo.commit({"CODEOWNERS": "/shop/core/ @cat\n/shop/web/ @bob @dan\n"}, author=BOB)),
        ("a new person", lambda: repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 2\n"}, author=DAN)),
        # two years on: everybody but Ada is now inactive, in every component, though the commit touches one
        ("time makes people gone", lambda: repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 3\n"},
                                                       author=ADA, date="2026-03-01T00:00:00+00:00")),
        ("a file deleted", lambda: repo.commit({}, delete=["shop/web/style.py"], author=CAT,
                                              date="2026-03-02T00:00:00+00:00")),
    ]
    for number, (what, commit) in enumerate(steps, 1):
        commit()
        ingest_warm_and_cold(repo, warm, tmp_path / f"cold-{number}")


# -- what is taken, and what is not ----------------------------------------------------------------------------------


def kept(store: SqliteStore, repo: str, name: str) -> Any:
    return store.load_answers(repo, [answers.stored_name(name)])[answers.stored_name(name)]


def plant(store_dir: Path, repo: str, changes: dict[str, Callable[[Any], None]]) -> None:
    """Alter the answers kept for the stored graph (name -> what changes the value), as if they had been computed so."""
    store = SqliteStore(store_dir)
    store.load(repo)  # the version the answers are written for
    values = {}
    for name, change in changes.items():
        value = kept(store, repo, name)
        change(value)
        values[answers.stored_name(name)] = value
    store.save_answers(repo, values)


def planted_problem(value: dict[str, Any]) -> None:
    value["report"]["problems"].append("planted")


def planted_touch(value: dict[str, Any]) -> None:
    value["recent_activity"][0]["last_touch"] = "1999-01-01T00:00:00+00:00"


def planted_use(value: dict[str, Any]) -> None:
    (value["external_packages"] or value["standard_library"])[0]["imports"] = 99


def test_only_the_parts_whose_inputs_did_not_change_are_taken(shop, tmp_path):
    repo, warm, name = shop
    web, core = answers.card_answer("web"), answers.card_answer("core")
    plant(warm, name, {answers.CHECK: planted_problem, web: lambda v: (planted_touch(v), planted_use(v)),
                       core: lambda v: (planted_touch(v), planted_use(v))})

    # a body in core: no import changed, only core's files have new history
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)
    ingest_into_store(SqliteStore(warm), repo.root)
    store = SqliteStore(warm)
    assert "planted" in kept(store, name, answers.CHECK)["report"]["problems"]  # taken: nothing it reads changed
    assert kept(store, name, answers.CHECK)["judged_on"] == date.today().isoformat()
    web_card, core_card = kept(store, name, web), kept(store, name, core)
    assert web_card["recent_activity"][0]["last_touch"].startswith("1999")  # web's history: unchanged, taken
    assert 99 in [r["imports"] for r in web_card["external_packages"] + web_card["standard_library"]]
    assert not any(r["last_touch"].startswith("1999") for r in core_card["recent_activity"])  # core's: computed
    assert 99 in [r["imports"] for r in core_card["external_packages"] + core_card["standard_library"]]

    # web imports core now: the check and web's packages are computed; core's packages still taken
    repo.commit({"shop/web/page.py": "import json\nfrom shop.api import views\nfrom shop.core import prices\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    store = SqliteStore(warm)
    assert "planted" not in kept(store, name, answers.CHECK)["report"]["problems"]
    web_card, core_card = kept(store, name, web), kept(store, name, core)
    assert 99 not in [r["imports"] for r in web_card["external_packages"] + web_card["standard_library"]]
    assert not any(r["last_touch"].startswith("1999") for r in web_card["recent_activity"])
    assert 99 in [r["imports"] for r in core_card["external_packages"] + core_card["standard_library"]]


def planted_dependency(value: dict[str, Any]) -> None:
    value["edges"].append({"source": "planted", "target": "planted", "kind": "runtime", "count": 1, "kinds": {}})


def stored_rows(store_dir: Path, repo: str) -> dict[str, tuple[int, str]]:
    """Every answer row of ``repo`` as the database holds it: name -> (the generation it was written at, its text)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        return {name: (generation, text) for name, generation, text in db.execute(
            "SELECT a.name, a.generation, a.value FROM answers a JOIN repositories r ON r.rid = a.rid WHERE r.repo = ?",
            (repo,))}


def test_whole_answers_whose_inputs_did_not_change_keep_their_text(shop, tmp_path):
    """The component dependencies stand while no import changed and every module stays in its component; the
    judgement made today stands: neither is computed nor written again (the row keeps its generation)."""
    repo, warm, name = shop
    dependencies, check = answers.stored_name(answers.COMPONENT_DEPENDENCIES), answers.stored_name(answers.CHECK)
    plant(warm, name, {answers.COMPONENT_DEPENDENCIES: planted_dependency, answers.CHECK: planted_problem})
    before = stored_rows(warm, name)

    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)  # a body: no import changed
    ingest_into_store(SqliteStore(warm), repo.root)
    after = stored_rows(warm, name)
    assert after[dependencies] == before[dependencies] and after[check] == before[check]  # left as they were
    assert after[answers.stored_name(answers.BUS_FACTOR)][0] > before[dependencies][0]  # others: of the new version
    assert "planted" in [e["source"] for e in kept(SqliteStore(warm), name, answers.COMPONENT_DEPENDENCIES)["edges"]]

    # the configuration moves web's page into api: no import changed, but modules changed components
    repo.commit({"cairn.toml": TOML.format(api=API + ', "shop/web/page.py"', severity="warn", expires=SOON)}, author=ADA)
    ingest_warm_and_cold(repo, warm, tmp_path / "cold-redrawn")

    plant(warm, name, {answers.COMPONENT_DEPENDENCIES: planted_dependency})
    repo.commit({"shop/web/style.py": "import re\nfrom shop.core import prices\n"}, author=CAT)  # an import: computed
    ingest_warm_and_cold(repo, warm, tmp_path / "cold-import")


def planted_listed(value: dict[str, Any]) -> None:
    value["components"][0]["paths"].append("planted")


def test_the_components_list_stands_while_what_it_lists_is_the_same(shop, tmp_path, monkeypatch):
    """The components' list stands while the component dependencies do and every component has the properties it
    lists; with ``CAIRN_VERIFY_SKIPS=1`` a list taken as it stands is computed too, and one that is not fails."""
    repo, warm, name = shop
    listed = answers.stored_name(answers.COMPONENTS)
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    plant(warm, name, {answers.COMPONENTS: planted_listed})
    before = stored_rows(warm, name)
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)  # a body: nothing listed changed
    ingest_into_store(SqliteStore(warm), repo.root)
    assert stored_rows(warm, name)[listed] == before[listed]  # taken: neither computed nor written again

    # api described: a property it lists changes, no import or module does
    described = TOML.format(api=API, severity="warn", expires=SOON).replace(
        f"api = [{API}]", f'api = {{ paths = [{API}], description = "The API" }}')
    repo.commit({"cairn.toml": described}, author=ADA)
    ingest_warm_and_cold(repo, warm, tmp_path / "cold-described")
    assert "planted" not in kept(SqliteStore(warm), name, answers.COMPONENTS)["components"][0]["paths"]

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    plant(warm, name, {answers.COMPONENTS: planted_listed})
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 2\n"}, author=ADA)
    with pytest.raises(AssertionError, match="'components'"):
        ingest_into_store(SqliteStore(warm), repo.root)


def test_only_the_cards_that_may_not_stand_whole_are_read(shop, monkeypatch):
    """While every person of the stored graph reads the same, the cards that stand whole are known without reading
    them: only the others' parts are read (here core's: a body in core, by its author; ``CAIRN_VERIFY_SKIPS=1`` reads
    every card to check it)."""
    repo, warm, name = shop
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    read: list[str] = []
    parts = SqliteStore.load_answer_parts

    def reading(store: SqliteStore, repo_name: str, names: Any, keys: Any) -> Any:
        read.extend(names)
        return parts(store, repo_name, names, keys)

    monkeypatch.setattr(SqliteStore, "load_answer_parts", reading)
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert read == [answers.stored_name(answers.card_answer("core"))]


def test_cards_known_to_stand_whole_without_reading_them_are_checked(shop, monkeypatch):
    """With ``CAIRN_VERIFY_SKIPS=1`` the cards known to stand whole without reading them are checked against those
    read: a shortcut that would take a card whose inputs changed (core's, after a body in core) fails."""
    from cairn.api.services import answer_base

    repo, warm, _ = shop
    monkeypatch.setattr(answer_base, "cards_wanted", lambda base, graph, now: set())  # every card said to stand
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)
    with pytest.raises(AssertionError, match="stand whole"):
        ingest_into_store(SqliteStore(warm), repo.root)


def planted_path(value: dict[str, Any]) -> None:
    value["paths"].append("planted")


def planted(store_dir: Path, repo: str, component: str) -> bool:
    return "planted" in kept(SqliteStore(store_dir), repo, answers.card_answer(component))["paths"]


def test_a_card_whose_inputs_did_not_change_keeps_its_text(shop, tmp_path):
    """A card none of whose inputs changed is neither computed nor written again (its row keeps its generation); the
    card of a component at either end of an import that changed is computed."""
    repo, warm, name = shop
    cards = {component: answers.stored_name(answers.card_answer(component)) for component in ("api", "core", "web")}
    plant(warm, name, {answers.card_answer(c): planted_path for c in cards})
    before = stored_rows(warm, name)
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)  # a body in core
    ingest_into_store(SqliteStore(warm), repo.root)
    after = stored_rows(warm, name)
    assert after[cards["api"]] == before[cards["api"]] and after[cards["web"]] == before[cards["web"]]
    assert planted(warm, name, "api") and planted(warm, name, "web") and not planted(warm, name, "core")

    # web imports core now: web's card (its packages, what it depends on) and core's (what depends on it) are computed
    plant(warm, name, {answers.card_answer(c): planted_path for c in ("core", "web")})
    repo.commit({"shop/web/style.py": "import re\nfrom shop.core import legacy\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert planted(warm, name, "api") and not planted(warm, name, "core") and not planted(warm, name, "web")
    cold = tmp_path / "cold"
    ingest_into_store(SqliteStore(cold), repo.root)
    for component in ("core", "web"):
        assert kept(SqliteStore(warm), name, answers.card_answer(component)) == kept(
            SqliteStore(cold), name, answers.card_answer(component))


def test_a_commit_by_somebody_new_keeps_the_cards_that_do_not_name_them(shop, tmp_path):
    """Dan's first commit, to core, adds a person: only the cards naming Dan (core's: its recent activity) read
    anything of him, the others keep their text; every card is still a cold ingest's."""
    repo, warm, name = shop
    plant(warm, name, {answers.card_answer(c): planted_path for c in ("api", "web", "core")})
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 2\n"}, author=DAN)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert planted(warm, name, "api") and planted(warm, name, "web") and not planted(warm, name, "core")
    assert "Dan Brown" in [row["name"] for row in kept(SqliteStore(warm), name, answers.card_answer("core"))["recent_activity"]]

    from fixtures.stored_answers import readable_answers

    plant(warm, name, {answers.card_answer(c): lambda v: v["paths"].remove("planted") for c in ("api", "web")})
    cold = tmp_path / "cold"
    ingest_into_store(SqliteStore(cold), repo.root)
    card = answers.stored_name(answers.CARD)
    warm_cards, cold_cards = ({k: v for k, v in readable_answers(store, name).items() if k.startswith(card)}
                              for store in (warm, cold))
    assert len(cold_cards) == 3 and warm_cards == cold_cards


class _Recording(dict):
    """A node's properties that note every name read."""

    def __init__(self, props: dict[str, Any], read: set[str]):
        super().__init__(props)
        self.read = read

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)


def test_a_card_reads_of_its_component_only_the_properties_the_basis_digests(shop):
    """``answer_base`` keeps a card while the properties ``CARD_PROPERTIES`` names are the same: a card that read
    another property of its Component node would be kept stale when that one changed."""
    from cairn.graph.model import Label
    from cairn.queries.explore.card import CARD_PROPERTIES, component_cards

    _, warm, name = shop
    graph = SqliteStore(warm).load(name)
    read: set[str] = set()
    for node in graph.of_label(Label.COMPONENT):
        node.props = _Recording(node.props, read)
    assert set(component_cards(graph)) == {"api", "core", "web"}
    assert read and read <= set(CARD_PROPERTIES)


def test_the_components_list_reads_of_a_component_only_the_properties_the_basis_digests(shop):
    """``answer_base`` keeps the components' list while the properties ``LISTED_PROPERTIES`` names are the same."""
    from cairn.graph.model import Label
    from cairn.queries.dependencies import LISTED_PROPERTIES, component_list

    _, warm, name = shop
    graph = SqliteStore(warm).load(name)
    read: set[str] = set()
    for node in graph.of_label(Label.COMPONENT):
        node.props = _Recording(node.props, read)
    assert [c["name"] for c in component_list(graph)["components"]] == ["api", "core", "web"]
    assert read and read <= set(LISTED_PROPERTIES)


WITH_API = TOML.format(api=API, severity="warn", expires=SOON)


@pytest.mark.parametrize(("what", "change", "stale"), [
    # api no longer imports web: what depends on web changed, though none of web's files did
    ("an import removed", lambda repo: repo.commit({"shop/api/render.py": "PAGE = None\n"}, author=BOB), ("web",)),
    # web's owners only: its card reads the OWNS edges of its files
    ("CODEOWNERS", lambda repo: repo.commit({"CODEOWNERS": "/shop/core/ @ada\n/shop/api/ @bob\n/shop/web/ @bob\n"},
                                            author=ADA), ("web",)),
    # the decision governing core and api is superseded
    ("a decision", lambda repo: repo.commit({"docs/adr/0001-core-below-api.md": ADR.format(status="Superseded")},
                                            author=ADA), ("api", "core", "web")),
    # two years on, Bob and Cat are inactive: api's and web's holders are gone
    ("time", lambda repo: repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 3\n"}, author=ADA,
                                      date="2026-03-01T00:00:00+00:00"), ("api", "web")),
    ("a departed person", lambda repo: repo.commit(
        {"cairn.toml": WITH_API + '\n[identities]\ndeparted = ["Bob Builder"]\n'}, author=ADA), ("api",)),
    ("a threshold", lambda repo: repo.commit({"cairn.toml": WITH_API + "\n[thresholds]\nat_risk_truck_factor = 0\n"},
                                             author=ADA), ("api", "core", "web")),
    # Cat commits twice under another name, which becomes hers: web's recent activity names her
    ("a person's name", lambda repo: [repo.commit({"shop/core/prices.py": f"import decimal\n\nRATE = {rate}\n"},
                                                  author=("Cat Stevens-Islam", CAT[1])) for rate in (4, 5)], ("web",)),
])
def test_a_card_is_computed_when_what_it_reads_beyond_its_files_changed(shop, tmp_path, what, change, stale):
    """A card planted with a value no ingest computes, whose component's files, modules and imports are as they
    were but something else it reads changed, is computed: every card kept is a cold ingest's text. (A change of
    the configuration's identities reads the history in full, which the warm bus factor's notes say: only the cards
    are compared.)"""
    from fixtures.stored_answers import readable_answers

    repo, warm, name = shop
    plant(warm, name, {answers.card_answer(c): planted_path for c in stale})
    change(repo)
    cold = tmp_path / "cold"
    ingest_into_store(SqliteStore(warm), repo.root)
    ingest_into_store(SqliteStore(cold), repo.root)
    card = answers.stored_name(answers.CARD)
    warm_cards, cold_cards = ({k: v for k, v in readable_answers(store, name).items() if k.startswith(card)}
                              for store in (warm, cold))
    assert len(cold_cards) == 3 and warm_cards == cold_cards


def test_the_check_is_judged_again_when_an_exception_expired_since(shop, tmp_path):
    repo, warm, name = shop

    def judged_after_the_expiry(value: dict[str, Any]) -> None:
        planted_problem(value)
        value["judged_on"] = (date.fromisoformat(SOON) + timedelta(days=1)).isoformat()

    plant(warm, name, {answers.CHECK: judged_after_the_expiry})
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)
    ingest_warm_and_cold(repo, warm, tmp_path / "cold")


def test_answers_computed_on_another_graph_are_not_taken(shop, tmp_path):
    repo, warm, name = shop

    # the basis says the answers describe another graph than the one stored (another extraction, another ingest)
    def another_graph(value: dict[str, Any]) -> None:
        value["graph"] = ["another code", "another ingest"]

    plant(warm, name, {answers.CHECK: planted_problem, BASIS: another_graph})
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 1\n"}, author=ADA)
    ingest_warm_and_cold(repo, warm, tmp_path / "cold-1")

    # answers kept for the graph before a save that kept none are not read: the next ingest computes them all
    plant(warm, name, {answers.CHECK: planted_problem, answers.card_answer("web"): planted_touch})
    store = SqliteStore(warm)
    store.save(store.load(name))
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 2\n"}, author=ADA)
    ingest_warm_and_cold(repo, warm, tmp_path / "cold-2")


def test_a_kept_basis_is_the_graph_it_was_computed_on(shop, tmp_path):
    """The basis kept after a warm ingest is the one a cold ingest keeps (the same graph, the same digests), and it
    names the stored graph."""
    repo, warm, name = shop
    repo.commit({"shop/web/page.py": "import json\n"}, author=CAT)
    ingest_warm_and_cold(repo, warm, tmp_path / "cold")
    store = SqliteStore(warm)
    stored = next(r for r in store.repositories() if r.repo == name)
    basis = kept(store, name, BASIS)
    assert basis["graph"] == [stored.props["code_fingerprint"], stored.props["ingest_fingerprint"]]
    assert set(basis["files"]) == set(basis["modules"]) == {"api", "core", "web"}


def test_history_not_known_to_be_the_same_is_read_again(shop, tmp_path):
    """A review kept through the services changes KNOWS edges the ingest's memory knows nothing of: the next ingest
    does not know which files' history is as it was, and takes no recent activity from the answers kept."""
    repo, warm, name = shop
    cold = tmp_path / "cold"
    add_reviews(Workspace(SqliteStore(warm), naming_hint=""), name,
                [{"reviewer": "Dan Brown <dan@example.com>", "files": ["shop/web/page.py"], "pull_request": 3}])
    plant(warm, name, {answers.card_answer("api"): planted_touch})
    repo.commit({"shop/web/page.py": "import json\nfrom shop.api import views\n\nTITLE = 1\n"}, author=CAT)
    SqliteStore(cold).save_reviews(name, SqliteStore(warm).load_reviews(name))
    ingest_warm_and_cold(repo, warm, cold)


def test_parts_of_kept_answers_are_those_of_the_answers_decoded_whole(shop):
    """The embedded store takes parts out of the kept text in SQLite; what it gives is the port's default (the answers
    decoded whole), for objects, other values, missing keys, and a text SQLite does not read as JSON (NaN)."""
    _, warm, name = shop
    store = SqliteStore(warm)
    store.load(name)
    store.save_answers(name, {"x/list": [1, 2], "x/nan": {"a": float("nan"), "b": [1]}, "x/obj": {"a": {"é": None}, "b": "t"}})
    names = ["x/list", "x/obj", "x/none", answers.stored_name(answers.card_answer("web"))]
    keys = ["a", "b", "recent_activity", "missing"]

    def port(names: list[str]) -> dict[str, Any]:
        return GraphStore.load_answer_parts(store, name, names, keys)

    parts = store.load_answer_parts(name, names, keys)
    assert parts == port(names) and set(parts) == {"x/obj", names[-1]}
    assert parts["x/obj"] == {"a": {"é": None}, "b": "t", "recent_activity": None, "missing": None}
    assert parts[names[-1]]["recent_activity"] == kept(store, name, answers.card_answer("web"))["recent_activity"]
    nan = store.load_answer_parts(name, ["x/nan"], keys)["x/nan"]  # decoded whole: SQLite reads no NaN
    assert nan["a"] != nan["a"] and nan["b"] == [1]
    store.save(store.load(name))  # another version of the graph: nothing kept for it
    assert store.load_answer_parts(name, names, keys) == {}


def test_imports_not_known_to_be_the_same_are_read_again(shop, tmp_path):
    """Without the extraction the stored graph was built from (the parse cache lost it), the ingest does not know
    which IMPORTS edges changed: no card's packages and no judgement are taken, the recent activity still is."""
    repo, warm, name = shop
    cold = tmp_path / "cold"
    plant(warm, name, {answers.card_answer("api"): planted_touch})
    for kept_parses in warm.rglob("parse-state.json"):
        kept_parses.unlink()
    repo.commit({"shop/web/page.py": "import json\nimport os\nfrom shop.api import views\n"}, author=CAT)
    result = ingest_into_store(SqliteStore(warm), repo.root)
    assert result.import_changes is None and result.knows_delta is not None
    assert kept(SqliteStore(warm), name, answers.card_answer("api"))["recent_activity"][0]["last_touch"].startswith("1999")
    ingest_into_store(SqliteStore(cold), repo.root)  # web's packages as a cold ingest finds them
    assert kept(SqliteStore(warm), name, answers.card_answer("web")) == kept(SqliteStore(cold), name, answers.card_answer("web"))


def test_answers_named_unchanged_keep_the_text_kept_for_the_version_replaced(shop):
    """``save_answers``'s ``unchanged``: the first save of answers after a save of the graph keeps those rows as they
    are (readable, their text and generation untouched), deletes those neither given nor named, and a name with no
    answer kept stays without one."""
    _, warm, name = shop
    store = SqliteStore(warm)
    store.load(name)
    store.save_answers(name, {"x/kept": {"a": [1, "é"]}, "x/given": 1, "x/dropped": 2})
    rows = stored_rows(warm, name)
    store.save(store.load(name))  # a new version of the graph: nothing readable until answers are saved for it
    assert store.load_answers(name, ["x/kept"]) == {}
    store.save_answers(name, {"x/given": 3}, unchanged=["x/kept", "x/never"])
    assert store.load_answers(name, ["x/kept", "x/given", "x/dropped", "x/never"]) == {"x/kept": {"a": [1, "é"]},
                                                                                      "x/given": 3}
    assert stored_rows(warm, name)["x/kept"] == rows["x/kept"] and "x/dropped" not in stored_rows(warm, name)
    with pytest.raises(StoreError):
        store.save_answers(name, {}, unchanged=[""])


@pytest.mark.neo4j
def test_after_a_commit_neo4j_keeps_what_a_cold_ingest_keeps(tmp_path, neo4j_store, monkeypatch):
    """On Neo4j (the port's way of reading parts of answers) the answers after a commit are a cold ingest's too."""
    from fixtures.stored_answers import readable_answers

    monkeypatch.setenv("CAIRN_CACHE_DIR", str(tmp_path / "cache"))
    repo = build_shop(tmp_path / "shop")
    ingest_into_store(neo4j_store, repo.root)
    repo.commit({"shop/web/style.py": "import re\n\nX = 1\n"}, author=CAT)
    ingest_into_store(neo4j_store, repo.root)
    monkeypatch.setenv("CAIRN_CACHE_DIR", str(tmp_path / "cold-cache"))
    ingest_into_store(SqliteStore(tmp_path / "cold"), repo.root)
    cold = readable_answers(tmp_path / "cold", repo.root.name)
    kept_by_neo4j = neo4j_store.load_answers(repo.root.name, list(cold))
    assert {name: loads(text) for name, text in cold.items()} == kept_by_neo4j
