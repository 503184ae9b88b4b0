"""Answers kept at ingest (``api.services.answers``): the reads give what the analyses compute on the graph.

Real repositories (tests/fixtures) are ingested into real embedded stores.
For every read with its default parameters, the answer read from the store
equals the analysis run on the whole stored graph; a read with other
parameters, computed on the part of the graph its analysis reads, equals the
analysis on the whole graph too. A store that counts ``load`` calls (a
subclass of the real one: the port is what is doubled, not an analysis)
shows that no read loads the whole graph. A re-ingest never lets an old
answer through, and answers of another format or Cairn version are never read.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from cairn.api.services import answers, checks, reads
from cairn.api.services.ingesting import add_reviews, ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.baseline import write_baseline
from cairn.graph.errors import UnknownName
from cairn.graph.model import RepoGraph
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.values import dumps, loads
from cairn.queries import dependencies, knowledge_map, ownership, people, who_knows
from cairn.queries.contracts.check import apply_baseline, check, judge
from cairn.queries.decisions import decision_list, rule_list
from cairn.queries.leaving import leaving_impact
from cairn.queries.explore import central_modules, component_card, reading_list, search, shortest_path
from fixtures.explore import build_shop
from fixtures.gitrepo import GitRepo
from fixtures.large_repo import build_large_repo
from fixtures.maps import build_atlas
from fixtures.ownership import build_team_repo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
SOON = (date.today() + timedelta(days=30)).isoformat()

RULES_TOML = """\
[components]
api = ["shop/api/**"]
core = ["shop/core/**"]
docs = ["docs/**"]

[[rules]]
id = "core-pure"
kind = "forbidden"
from = ["core"]
to = ["api"]
because = "docs/adr/0001-pure-core.md"

[[rules]]
id = "api-alone"
kind = "forbidden"
from = ["api"]
to = ["core"]
severity = "warn"
exceptions = [{{importer = "shop.api.views", imported = "shop.core.prices", reason = "until the split", expires = "{expires}"}}]

[[rules]]
id = "no-cycles"
kind = "acyclic"
components = ["api", "core"]
"""


def build_rules_repo(root: Path, expires: str = SOON) -> GitRepo:
    """Two components importing each other (a forbidden import, an exception that expires, a cycle), a docs-only one."""
    repo = GitRepo(root)
    repo.commit({
        "cairn.toml": RULES_TOML.format(expires=expires),
        "docs/adr/0001-pure-core.md": "# 1. Pure core\n\n## Status\n\nAccepted\n\n## Context\n\nThe core must not know the API.\n",
        "docs/guide.md": "# Guide\n",
        "shop/__init__.py": "", "shop/core/__init__.py": "", "shop/api/__init__.py": "",
        "shop/core/prices.py": "import decimal\n",
        "shop/core/legacy.py": "from shop.api import views\n",
    }, author=ADA, message="core")
    repo.commit({"shop/api/views.py": "from shop.core import prices\n"}, author=BOB, message="api")
    repo.commit({"shop/api/orders.py": "from shop.core import legacy\nimport json\n"}, author=BOB, message="orders")
    return repo


BUILDERS = {"shop": build_shop, "team": build_team_repo, "big": build_large_repo, "atlas": build_atlas, "rules": build_rules_repo}


class CountingStore(SqliteStore):
    """The embedded store, counting whole-graph and partial loads."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.loads = 0
        self.parts = 0

    def load(self, repo: str) -> RepoGraph:
        self.loads += 1
        return super().load(repo)

    def load_part(self, repo, labels=(), rels=()):
        self.parts += 1
        return super().load_part(repo, labels, rels)


class NoAnswers(SqliteStore):
    """The embedded store as a store that keeps no answers (an older one, or Neo4j written before them)."""

    def load_answer(self, repo, name):
        return None

    def load_answers(self, repo, names):
        return {}


@pytest.fixture(scope="module")
def checkouts(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("answers")
    out = {}
    for name, build in BUILDERS.items():
        build(base / name)
        out[name] = base / name
    return out


@pytest.fixture(scope="module")
def ingested(checkouts, tmp_path_factory) -> Path:
    """One store holding every fixture repository, ingested with answers."""
    store_dir = tmp_path_factory.mktemp("store")
    store = SqliteStore(store_dir)
    for root in checkouts.values():
        ingest_into_store(store, root)
    store.close()
    return store_dir


def normal(value):
    """What JSON gives back: answers are JSON, so compare in that form."""
    return loads(dumps(value))


def workspace(store) -> Workspace:
    return Workspace(store, naming_hint="name one with --repo")


def default_reads(repo: str, graph: RepoGraph) -> list[tuple[str, object, object]]:
    """(what, the read through the services, the analysis on the whole graph) for every read with an answer."""
    first = sorted(c.key for c in graph.of_label("Component"))
    out = [
        ("components", lambda ws: reads.components(ws, repo), dependencies.component_list(graph)),
        ("component deps", lambda ws: reads.dependency_graph(ws, repo, "component"), dependencies.component_dependencies(graph)),
        ("bus factor", lambda ws: reads.bus_factor(ws, repo), ownership.bus_factor(graph)),
        ("people", lambda ws: reads.people(ws, repo), people.people(graph)),
        ("decisions", lambda ws: reads.decisions(ws, repo), decision_list(graph)),
        ("rules", lambda ws: reads.rules(ws, repo), rule_list(graph)),
        ("check", lambda ws: checks.check_boundaries(ws, repo).report.to_answer(), check(graph).to_answer()),
    ]
    for name in first:
        out.append((f"card {name}", lambda ws, name=name: reads.component_card(ws, repo, name), component_card(graph, name)))
        out.append((f"bus factor of {name}", lambda ws, name=name: reads.bus_factor(ws, repo, component=name),
                    ownership.bus_factor(graph, component=name)))
    return out


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_default_read_is_answered_from_the_store_as_the_graph_would(ingested, checkouts, name):
    store = CountingStore(ingested)
    repo = checkouts[name].name
    whole = SqliteStore(ingested).load(repo)
    ws = workspace(store)
    for what, read, expected in default_reads(repo, whole):
        assert read(ws) == normal(expected), f"{what} of {repo}"
    assert store.loads == 0 and store.parts == 0  # every one was an answer: no graph read, not even a part
    for answer in (answers.COMPONENTS, answers.BUS_FACTOR, answers.PEOPLE, answers.DECISIONS, answers.CHECK):
        assert answers.read_answer(store, repo, answer) is not None


def with_impact(before: dict, after: dict) -> dict:
    """The report as if people left with what that changes, as the service gives it."""
    return {**after, "impact": leaving_impact(before, after)}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_reads_with_parameters_compute_on_a_part_and_agree_with_the_whole_graph(ingested, checkouts, name):
    repo = checkouts[name].name
    whole = SqliteStore(ingested).load(repo)
    components = sorted(c.key for c in whole.of_label("Component"))
    modules = sorted(m.key for m in whole.of_label("Module"))
    files = sorted(f.key for f in whole.of_label("File"))
    person = sorted((p for p in whole.of_label("Person") if p.get("kind") == "human"), key=lambda p: p.key)[0]
    directory = files[0].rsplit("/", 1)[0]
    owner = whole.node("File", files[0]).get("component")
    cases = [
        ("bus factor leaving", lambda ws: reads.bus_factor(ws, repo, leaving=[person.key]),
         with_impact(ownership.bus_factor(whole), ownership.bus_factor(whole, leaving=[person.key]))),
        ("bus factor path", lambda ws: reads.bus_factor(ws, repo, path=directory), ownership.bus_factor(whole, path=directory)),
        ("bus factor component leaving", lambda ws: reads.bus_factor(ws, repo, component=components[0], leaving=[person.key]),
         with_impact(ownership.bus_factor(whole, component=components[0]),
                     ownership.bus_factor(whole, component=components[0], leaving=[person.key]))),
        ("modules", lambda ws: reads.dependency_graph(ws, repo, "module"), dependencies.module_dependencies(whole)),
        ("who knows", lambda ws: reads.who_knows(ws, repo, [files[0], directory, ".", "nowhere/new.py"]),
         who_knows.who_knows(whole, [files[0], directory, ".", "nowhere/new.py"])),
        ("search", lambda ws: reads.search(ws, repo, "a"), search(whole, "a")),
        ("rules of a component", lambda ws: reads.rules(ws, repo, components[0]), rule_list(whole, components[0])),
        ("reading list", lambda ws: reads.reading_list(ws, repo), reading_list(whole)),
        ("reading list of a component", lambda ws: reads.reading_list(ws, repo, components[-1]), reading_list(whole, components[-1])),
        ("central modules", lambda ws: reads.central_modules(ws, repo), central_modules(whole)),
        ("path", lambda ws: reads.shortest_path(ws, repo, modules[-1], modules[0]), shortest_path(whole, modules[-1], modules[0])),
        ("component path", lambda ws: reads.shortest_path(ws, repo, components[-1], components[0]),
         shortest_path(whole, components[-1], components[0])),
        ("knowledge map", lambda ws: reads.knowledge_map(ws, repo), knowledge_map.knowledge_map(whole)),
        ("knowledge map of a directory", lambda ws: reads.knowledge_map(ws, repo, component=owner, path=directory, leaving=[person.key]),
         knowledge_map.knowledge_map(whole, component=owner, path=directory, leaving=[person.key])),
    ]
    counting = CountingStore(ingested)
    ws = workspace(counting)
    for what, read, expected in cases:
        assert read(ws) == normal(expected), f"{what} of {repo}"
    assert counting.loads == 0 and counting.parts > 0
    # without answers every default read computes on a part, and gives the same
    bare = NoAnswers(ingested)
    ws = workspace(bare)
    for what, read, expected in default_reads(repo, whole):
        assert normal(read(ws)) == normal(expected), f"{what} of {repo}, computed"


def test_a_card_reads_its_readme_when_shown_and_unknown_components_are_named(ingested, checkouts):
    store = CountingStore(ingested)
    ws = workspace(store)
    card = reads.component_card(ws, "shop", "reports")
    assert card["purpose_source"] == "src/shop/reports/README.md" and "sales reports" in card["description"]
    readme = checkouts["shop"] / "src/shop/reports/README.md"
    text = readme.read_text()
    try:
        readme.write_text("# Reports\n\nQuarterly figures now.\n")
        assert reads.component_card(ws, "shop", "reports")["description"] == "Quarterly figures now."
    finally:
        readme.write_text(text)
    with pytest.raises(UnknownName) as raised:
        reads.component_card(ws, "shop", "report")
    assert raised.value.suggestions[0] == "reports"
    with pytest.raises(UnknownName):
        reads.bus_factor(ws, "shop", component="report")
    assert store.loads == 0 and store.parts == 0


def test_a_component_without_counted_files_is_answered_when_named(ingested):
    ws = workspace(CountingStore(ingested))
    report = reads.bus_factor(ws, "rules", component="docs")
    assert [c["name"] for c in report["components"]] == ["docs"] and report["components"][0]["files"] == 0
    assert "docs" not in [c["name"] for c in reads.bus_factor(ws, "rules")["components"]]


def test_the_baseline_is_applied_when_checking_and_expired_exceptions_are_judged_again(ingested, checkouts, tmp_path):
    store = CountingStore(ingested)
    ws = workspace(store)
    summary = ws.repository("rules")
    whole = SqliteStore(ingested).load("rules")
    plain = checks.check_boundaries(ws, "rules").report
    assert {f.rule for f in plain.findings} == {"core-pure", "api-alone", "no-cycles"}
    assert [e["imported"] for e in plain.unused_exceptions] == []  # the exception is in force: views -> prices passes
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, [f.key for f in plain.findings if f.rule == "core-pure"] + [("gone", "a", "b")])
    with_baseline = checks.check_boundaries(ws, "rules", baseline=baseline).report
    assert {f.rule for f in with_baseline.baselined} == {"core-pure"} and with_baseline.stale_baseline == [("gone", "a", "b")]
    assert with_baseline.to_answer() == check(whole, baseline=checks.load_baseline(baseline)).to_answer()
    assert store.loads == 0 and store.parts == 0
    # once the exception has expired the kept judgement does not hold: it is made again, on a part of the graph
    later = date.today() + timedelta(days=31)
    again = checks.judgement(ws, summary, today=later)
    assert again.to_answer() == judge(whole, today=later).to_answer() != plain.to_answer()
    assert store.parts == 1 and store.loads == 0
    assert apply_baseline(again, None).expired_exceptions


def test_a_reingest_or_a_review_never_lets_an_old_answer_through(tmp_path):
    root = tmp_path / "repo"
    build_rules_repo(root)
    store = CountingStore(tmp_path / "store")
    ingest_into_store(store, root)
    ws = workspace(store)
    before = reads.bus_factor(ws, "repo")
    repo = GitRepo(root, init=False)
    carol = ("Carol Shaw", "carol@example.com")
    for n in range(4):
        repo.commit({f"shop/api/extra{n}.py": f"x = {n}\n"}, author=carol, message=f"extra {n}")
    other = SqliteStore(tmp_path / "store")  # another writer: this workspace's store object saved nothing since
    ingest_into_store(other, root)
    after = reads.bus_factor(ws, "repo")
    assert after != before and "Carol Shaw" in [p["name"] for p in after["people"]]
    assert after == normal(ownership.bus_factor(other.load("repo")))
    # a graph saved without answers (an older Cairn, say) has none: the reads compute, and agree
    other.save(other.load("repo"))
    assert answers.read_answer(store, "repo", answers.BUS_FACTOR) is None
    assert reads.bus_factor(ws, "repo") == after
    # review records saved through the services keep answers of the graph they saved
    ingest_into_store(other, root)
    add_reviews(workspace(other), "repo", [{"reviewer": "Dave Reviewer <dave@example.com>", "files": ["shop/api/views.py"],
                                            "pull_request": 7, "submitted_at": "2024-01-02T00:00:00+00:00"}])
    kept = answers.read_answer(store, "repo", answers.BUS_FACTOR)
    assert kept is not None and kept == normal(ownership.bus_factor(other.load("repo")))


def test_answers_of_another_format_or_version_are_never_read(ingested, monkeypatch):
    store = SqliteStore(ingested)
    ws = workspace(store)
    truth = reads.components(ws, "shop")
    # proof that the read takes the kept answer: a planted one under the current name is what it returns
    planted = {"components": [{"name": "planted"}]}
    store.load("shop")  # answers describe the version this object read
    store.save_answers("shop", {answers.stored_name(answers.COMPONENTS): planted})
    assert reads.components(ws, "shop") == planted
    # the same planted under another format, or another Cairn version, is ignored
    store.save_answers("shop", {answers.stored_name(answers.COMPONENTS): truth})
    monkeypatch.setattr(answers, "ANSWERS_FORMAT", answers.ANSWERS_FORMAT + 1)
    store.save_answers("shop", {answers.stored_name(answers.COMPONENTS): planted})
    monkeypatch.undo()
    assert reads.components(ws, "shop") == truth
    monkeypatch.setattr(answers, "ANSWERS_FORMAT", answers.ANSWERS_FORMAT + 2)
    assert answers.read_answer(store, "shop", answers.COMPONENTS) is None
    assert reads.components(ws, "shop") == truth  # computed: nothing kept in that format


#: The fingerprint of every answer of ``build_rules_repo`` (dates fixed): when an analysis's result changes,
#: answers kept by the previous build must not be read any more.
ANSWERS_FINGERPRINT = (16, "e193ccd26670ffdd")


def test_an_analysis_whose_result_changes_bumps_the_answers_format(tmp_path):
    root = tmp_path / "fixed"
    build_rules_repo(root, expires="2999-12-31")
    store = SqliteStore(tmp_path / "store")
    ingest_into_store(store, root)
    computed = normal(answers.compute_answers(store.load("fixed")))
    computed[answers.CHECK].pop("judged_on")
    text = dumps(computed).replace(str(tmp_path), "TMP")
    fingerprint = (answers.ANSWERS_FORMAT, hashlib.sha256(text.encode()).hexdigest()[:16])
    assert fingerprint == ANSWERS_FINGERPRINT, (
        f"the answers of a fixed repository changed ({fingerprint}): if an analysis's result changed, bump "
        "api.services.answers.ANSWERS_FORMAT, then set ANSWERS_FINGERPRINT to the new (format, hash)")


def test_answers_do_not_depend_on_the_order_the_graph_is_read_in(ingested, checkouts):
    """Answers are computed on the graph ingest built and compared with a graph read back: any order must agree."""
    store = SqliteStore(ingested)
    for name in sorted(BUILDERS):
        graph = store.load(checkouts[name].name)
        backwards = RepoGraph(graph.repo)
        backwards.extend(reversed(list(graph.nodes.values())), reversed(list(graph.edges.values())))
        computed = normal(answers.compute_answers(graph))
        assert set(computed) >= {answers.COMPONENTS, answers.BUS_FACTOR, answers.CHECK, answers.PEOPLE}
        assert normal(answers.compute_answers(backwards)) == computed, name


def test_the_knowledge_map_bounds_are_the_analysis_bounds():
    assert (reads.KNOWLEDGE_MAP_MAX_DEPTH, reads.KNOWLEDGE_MAP_LIMIT) == (knowledge_map.MAX_DEPTH, knowledge_map.DEFAULT_LIMIT)


def test_both_stores_answer_the_default_reads_without_loading_the_graph(any_store, tmp_path, monkeypatch):
    root = tmp_path / "rules"
    build_rules_repo(root)
    ingest_into_store(any_store, root)
    whole = any_store.load("rules")
    loads_seen: list[str] = []
    real_load, real_part = any_store.load, any_store.load_part
    monkeypatch.setattr(any_store, "load", lambda repo: loads_seen.append(repo) or real_load(repo))
    monkeypatch.setattr(any_store, "load_part", lambda repo, *a, **k: loads_seen.append(repo) or real_part(repo, *a, **k))
    ws = workspace(any_store)
    for what, read, expected in default_reads("rules", whole):
        assert normal(read(ws)) == normal(expected), what
    assert loads_seen == []


def test_the_grouped_graph_the_answers_read_lists_what_the_graph_lists_even_after_a_change(ingested, checkouts):
    """compute_answers reads through graph.model.GroupedGraph; each listing, in order, is the graph's own, and a node
    or edge added after a first listing is seen."""
    from cairn.graph.model import GroupedGraph, Label, Rel

    store = SqliteStore(ingested)
    for name in sorted(BUILDERS):
        graph = store.load(checkouts[name].name)
        grouped = GroupedGraph(graph)
        for label in Label:
            assert grouped.of_label(label) == graph.of_label(label), (name, label)
        for rel in Rel:
            assert grouped.of_type(rel) == graph.of_type(rel), (name, rel)
        component = graph.of_label(Label.COMPONENT)[0]
        extra = graph.add_node(Label.COMPONENT, "added-after-listing")
        graph.add_edge(Rel.DEPENDS_ON, extra, component, count=1)
        assert grouped.of_label(Label.COMPONENT) == graph.of_label(Label.COMPONENT)
        assert grouped.of_type(Rel.DEPENDS_ON) == graph.of_type(Rel.DEPENDS_ON)
        assert grouped.of_label(Label.COMPONENT)[-1] is extra


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_kept_answer_reads_back_as_the_text_computed_people_joined(ingested, checkouts, name):
    """Answers are kept with people's fields as markers (``services.answer_people``); the read joins them back in place:
    the same text, key order included, as the analyses compute."""
    from cairn.api.services import answer_people

    store = SqliteStore(ingested)
    repo = checkouts[name].name
    computed = answers.compute_answers(store.load(repo))
    for answer, value in computed.items():
        assert dumps(answers.read_answer(store, repo, answer)) == dumps(normal(value)), answer
    kept = dumps(store.load_answer(repo, answers.stored_name(answers.BUS_FACTOR)))
    assert dumps(answer_people.MARKER)[1:-1] in kept  # people's fields were kept apart, and joined above
