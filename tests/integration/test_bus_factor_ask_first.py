"""Whom to ask now about a component whose authors left: the bus factor's ``ask_first``, who-knows's ranking.

A real repository: Olga wrote ``src/core`` in 2020 and went quiet; others changed its files since, once per
file each (none of them an author but Paul, of the one file nobody else changed since). ``src/web`` is Will's, who is
still here. The newest commit is of 2024-06, so with the default 180 inactive days Olga and Sam (2021) are gone.
"""

from __future__ import annotations

import json

import pytest
from fixtures.cli import CliRunner

from cairn.api.cli import app
from fixtures.gitrepo import GitRepo, python_functions

OLGA = ("Olga Old", "olga@example.com")
PAUL = ("Paul Present", "paul@example.com")
QUINN = ("Quinn Quiet", "quinn@example.com")
RITA = ("Rita Recent", "rita@example.com")
SAM = ("Sam Gone", "sam@example.com")
TESS = ("Tess Fourth", "tess@example.com")
WILL = ("Will Web", "will@example.com")


def _source(name: str, lines: int = 30) -> str:
    return python_functions(name, lines)


def build(root):
    repo = GitRepo(root)
    repo.commit({
        "cairn.toml": '[components]\ncore = ["src/core/**"]\nweb = ["src/web/**"]\n',
        ".github/CODEOWNERS": "src/core/ @olga\nsrc/web/ will@example.com\n",
        "src/__init__.py": "", "src/core/__init__.py": "",
        "src/core/a.py": _source("a"), "src/core/b.py": _source("b"), "src/core/c.py": _source("c"),
    }, author=OLGA, message="core", date="2020-01-01T00:00:00+00:00")
    repo.commit({"src/core/c.py": _source("c") + "# sam\n"}, author=SAM, date="2021-01-01T00:00:00+00:00")
    repo.commit({"src/web/__init__.py": "", "src/web/x.py": _source("x"), "src/web/y.py": _source("y")}, author=WILL, date="2024-01-01T00:00:00+00:00")
    repo.commit({"src/core/a.py": _source("a") + "# paul\n", "src/core/b.py": _source("b") + "# paul\n"},
                author=PAUL, date="2024-03-01T00:00:00+00:00")
    repo.commit({"src/core/c.py": _source("c") + "# sam\n# tess\n"}, author=TESS, date="2024-04-01T00:00:00+00:00")
    repo.commit({"src/core/c.py": _source("c") + "# sam\n# tess\n# quinn\n"}, author=QUINN, date="2024-05-01T00:00:00+00:00")
    repo.commit({"src/core/b.py": _source("b") + "# paul\n# rita\n"}, author=RITA, date="2024-06-01T00:00:00+00:00")
    return repo


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    repo = build(root)
    store = str(tmp_path_factory.mktemp("store"))
    result = CliRunner().invoke(app, ["ingest", str(root), "--store", store, "--name", "r"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return repo, store


@pytest.fixture(scope="module")
def store(ingested):
    return ingested[1]


def cli(store, *args, exit_code=0):
    result = CliRunner().invoke(app, [*args, "--store", store], catch_exceptions=False, env={"COLUMNS": "100"})
    assert result.exit_code == exit_code, result.output
    return result.stdout


def component(report, name):
    return next(c for c in report["components"] if c["name"] == name)


def test_a_mostly_orphaned_component_names_the_people_still_here_who_changed_it(store):
    report = json.loads(cli(store, "bus-factor", "--format", "json"))
    core = component(report, "core")
    # a.py changed by Paul alone since makes him its second author: 3 of 4 files orphaned, more than half
    assert (core["orphaned_files"], core["files"]) == (3, 4)
    assert [h["person"] for h in core["knowledge_holders"]] == ["Olga Old", "Paul Present"]
    # by recent work (``who_knows.recent_weight``): Paul, author of a.py with 2 commits in 03, then of one commit each
    # the most recent (Rita 06, Quinn 05, Tess 04); three at most; Sam (2021) is inactive and Olga, the declared
    # owner, is gone: neither is named
    assert [a["person"] for a in core["ask_first"]] == ["Paul Present", "Rita Recent", "Quinn Quiet"]
    assert core["ask_first"][:2] == [
        {"person": "Paul Present", "id": "paul@example.com", "why": "author of 1 of the files, changed 2 in 2 file changes, last 2024-03-01"},
        {"person": "Rita Recent", "id": "rita@example.com", "why": "changed 1 of the files in 1 commit, last 2024-06-01"}]


def test_the_ranking_is_who_knows_at_the_components_files(store):
    report = json.loads(cli(store, "bus-factor", "--format", "json"))
    asked = json.loads(cli(store, "who-knows", "src/core", "--format", "json"))["paths"][0]["ask"]
    # neither names the declared owner, gone (who-knows's table of CODEOWNERS still shows her)
    assert asked == component(report, "core")["ask_first"]


def test_nothing_is_added_where_an_author_is_still_here(store):
    report = json.loads(cli(store, "bus-factor", "--format", "json"))
    web = component(report, "web")
    assert web["orphaned_files"] == 0 and "ask_first" not in web
    assert "ask_first" not in report["repository"]


def test_leaving_takes_them_out_of_the_people_to_ask(store):
    report = json.loads(cli(store, "bus-factor", "--leaving", "Paul Present", "--leaving", "Will Web", "--format", "json"))
    core = component(report, "core")
    assert core["orphaned_files"] == 4
    # Paul is leaving; of Rita, Quinn and Tess (one file each) the most recent change first
    assert [a["person"] for a in core["ask_first"]] == ["Rita Recent", "Quinn Quiet", "Tess Fourth"]
    assert component(report, "web")["ask_first"] == []  # nobody else changed it; its declared owner is Will, leaving


def test_nobody_to_ask_is_said_of_the_source_files_the_answer_is_drawn_from(store):
    """celery's extra: "nobody still here knows it", though someone still here had edited its systemd files, which
    Cairn keeps no history of; what is true is that nobody still here changed its source files."""
    asked = " ".join(cli(store, "bus-factor", "--leaving", "Will Web").split("Ask first now")[1].split())
    assert "web: nobody still here changed its source files" in asked and "knows it" not in asked


def test_the_table_and_the_drill_down_say_it(store):
    asked = " ".join(cli(store, "bus-factor").split("Ask first now")[1].split())
    assert asked.startswith(", where most files have no author left: core: Paul Present (author of 1 of the files, "
                            "changed 2 in 2 file changes, last 2024-03-01); Rita Recent (changed 1 of the files in 1 commit, last 2024-06-01); Quinn")
    assert "web" not in asked
    drill = cli(store, "bus-factor", "--path", "src/core")
    assert "ask first: Paul Present (author of 1 of the files, changed 2 in 2 file changes, last 2024-03-01); Rita Recent" in " ".join(drill.split())
    assert "ask first" not in cli(store, "bus-factor", "--path", "src/web")


def test_the_component_card_carries_it_in_every_format(store):
    asked = component(json.loads(cli(store, "bus-factor", "--format", "json")), "core")["ask_first"]
    assert json.loads(cli(store, "explore", "core", "--format", "json"))["bus_factor"]["ask_first"] == asked
    assert json.loads(cli(store, "explore", "web", "--format", "json"))["bus_factor"]["ask_first"] is None
    markdown = cli(store, "explore", "core", "--format", "markdown")
    assert ("- Ask first now: Paul Present (author of 1 of the files, changed 2 in 2 file changes, last 2024-03-01); Rita Recent (changed 1 of the "
            "files in 1 commit, last 2024-06-01); Quinn Quiet") in markdown
    assert "Ask first" not in cli(store, "explore", "web", "--format", "markdown")
    assert "ask first now: Paul Present" in " ".join(cli(store, "explore", "core").split())


def _knowledge_risk(repo, store, base: str, branch: str, files: dict[str, str], author) -> str:
    """The PR check's knowledge-risk message for a change of ``files`` by ``author`` on ``branch`` from ``base``."""
    repo.git("checkout", "-q", "-b", branch, base)
    repo.commit(files, author=author)
    repo.git("checkout", "-q", "main")
    report = json.loads(cli(store, "pr-check", "--repo", str(repo.root), "--base", base, "--head", branch,
                            "--format", "json", exit_code=0))
    return next(f for f in report["findings"] if f["rule"] == "cairn/knowledge-risk")["message"]


def test_the_pr_checks_knowledge_risk_names_them(ingested):
    repo, store = ingested
    base = repo.head()
    message = _knowledge_risk(repo, store, base, "change", {"src/core/c.py": _source("c") + "# sam\n# tess\n# quinn\n# more\n"},
                              WILL)
    assert message.endswith("(main authors inactive: Olga Old); ask first: Paul Present, Rita Recent, Quinn Quiet")
    # Paul's own change: he is not told to ask himself
    message = _knowledge_risk(repo, store, base, "pauls", {"src/core/a.py": _source("a") + "# paul\n# again\n"}, PAUL)
    assert message.endswith("(main authors inactive: Olga Old); ask first: Rita Recent, Quinn Quiet")


def test_an_ingest_after_the_author_returns_drops_it(tmp_path):
    """Olga commits again: core's files have an author here, and the stored answers, card and Component node say
    nothing of whom to ask, as a cold ingest of the same commit says."""
    repo = build(tmp_path / "repo")
    warm, cold = str(tmp_path / "warm"), str(tmp_path / "cold")
    assert "ask_first" in component(json.loads(ingest_and_read(repo, warm)), "core")
    repo.commit({"src/core/a.py": _source("a") + "# paul\n# olga\n"}, author=OLGA, date="2024-07-01T00:00:00+00:00")
    after, fresh = json.loads(ingest_and_read(repo, warm)), json.loads(ingest_and_read(repo, cold))
    assert after == fresh and "ask_first" not in component(after, "core")
    assert json.loads(cli(warm, "explore", "core", "--format", "json"))["bus_factor"]["ask_first"] is None
    from cairn.api.bootstrap import open_store
    from cairn.graph.model import Label

    store = open_store(warm)
    try:
        assert "ask_first" not in store.load("r").node(Label.COMPONENT, "core").props
    finally:
        store.close()


def ingest_and_read(repo, store):
    result = CliRunner().invoke(app, ["ingest", str(repo.root), "--store", store, "--name", "r"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return cli(store, "bus-factor", "--format", "json")


def test_annotating_a_stored_graph_again_drops_what_no_longer_holds(store):
    """A stored graph is annotated again when review records are added: a component whose authors are here has no
    ``ask_first``, whatever its node held."""
    from cairn.api.bootstrap import open_store
    from cairn.graph.model import Label
    from cairn.queries.ownership import annotate_bus_factor

    opened = open_store(store)
    try:
        graph = opened.load("r")
    finally:
        opened.close()
    web, core = graph.node(Label.COMPONENT, "web"), graph.node(Label.COMPONENT, "core")
    asked = core.props["ask_first"]
    web.props["ask_first"] = [{"person": "Somebody Stale", "id": "stale@example.com", "why": "stale"}]
    annotate_bus_factor(graph)
    assert "ask_first" not in web.props and core.props["ask_first"] == asked
