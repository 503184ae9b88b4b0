"""The PR check's judgement as a pure function: a stored graph and a ChangeSet in, a PRReport out (no git, no store)."""

from __future__ import annotations

import copy

from cairn.graph.baseline import Baseline
from cairn.graph.change import ChangeSet, ChangeStatus, FileChange, Identity, IdentityKind, IdentityRole, LineRange
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.people import KnowledgeHolder
from cairn.graph.rule_schema import validate_rule_spec
from cairn.graph.rules import DeclaredRule
from cairn.graph.severity import Severity, Verdict
from cairn.graph.path_commits import PathCommit
from cairn.ingest.rules import add_rules
from cairn.queries.pr_check import analyse, lines_changed

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
GONE = ("Gus Gone", "gus@example.com")


def stored_graph() -> RepoGraph:
    g = RepoGraph("shop")
    g.add_node(Label.REPOSITORY, "shop", head="base", newest_commit_at="2024-06-01T00:00:00+00:00", departed=["Gus Gone"])
    holders = {"core": [("Ada Lovelace", "ada@example.com", 2, 0.66), ("Gus Gone", "gus@example.com", 1, 0.34)],
               "api": [("Bob Builder", "bob@example.com", 2, 1.0)]}
    for comp in ("core", "api"):
        g.add_node(Label.COMPONENT, comp, paths=[f"shop/{comp}/**"], truck_factor=1, human_truck_factor=1, at_risk=comp == "core",
                   orphaned_files=1 if comp == "core" else 0,
                   knowledge_holders=[KnowledgeHolder(*h).to_props() for h in holders[comp]])
        g.add_node(Label.MODULE, f"shop.{comp}.m", path=f"shop/{comp}/m.py", language="python", component=comp, files=[f"shop/{comp}/m.py"])
        g.add_node(Label.FILE, f"shop/{comp}/m.py", component=comp)
    for name, email in (ADA, BOB, GONE):
        g.add_node(Label.PERSON, email, name=name, emails=[email], kind="human", last_active="2024-05-01T00:00:00+00:00")
    g.add_node(Label.PERSON, "bot@example.com", name="Robot", emails=["bot@example.com"], kind="bot", last_active="2024-05-01T00:00:00+00:00")
    for email, path, doa in ((ADA[1], "shop/core/m.py", 4.5), (GONE[1], "shop/core/m.py", 3.6), (BOB[1], "shop/api/m.py", 4.5)):
        g.add_edge(Rel.KNOWS, g.node(Label.PERSON, email), g.node(Label.FILE, path), doa=doa, first_authorship=email == ADA[1],
                   deliveries=2, acceptances=1, reviews=0, last_touch="2024-05-01T00:00:00+00:00")
    spec = validate_rule_spec({"id": "core-stays-pure", "kind": "forbidden", "from": ["core"], "to": ["api"], "severity": "warn"})
    add_rules(g, [DeclaredRule(spec, "cairn.toml", "cairn.toml rule 1")])
    return g


def head_with_import(stored: RepoGraph) -> RepoGraph:
    head = copy.deepcopy(stored)
    head.add_edge(Rel.IMPORTS, head.node(Label.MODULE, "shop.core.m"), head.node(Label.MODULE, "shop.api.m"),
                  kind="runtime", lines=[3], file="shop/core/m.py")
    head.add_edge(Rel.DEPENDS_ON, head.node(Label.COMPONENT, "core"), head.node(Label.COMPONENT, "api"), count=1)
    return head


def change(stored: RepoGraph, *, identities=(), description=None, baseline=None, files=None, messages=()) -> ChangeSet:
    files = files or (FileChange(ChangeStatus.MODIFIED, "shop/core/m.py", hunks=(LineRange(3, 1),), component="core"),)
    return ChangeSet(files=tuple(files), base_graph=stored, head_graph=head_with_import(stored), identities=tuple(identities),
                     description=description, base="base", head="head", baseline=baseline, messages=tuple(messages))


def test_a_new_violation_is_reported_with_its_evidence_and_the_touched_risk():
    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    by_rule = {f.rule: f for f in report.findings}
    violation = by_rule["core-stays-pure"]
    assert (violation.severity, violation.source, violation.target, violation.line, violation.new) == (
        Severity.WARN, "shop.core.m", "shop.api.m", 3, True)
    assert by_rule["cairn/new-component-dependency"].target_component == "api"
    assert by_rule["cairn/new-component-dependency"].message == (
        "creates the first dependency of component core on component api outside its tests "
        "(shop.core.m imports shop.api.m at shop/core/m.py:3)")
    risk = by_rule["cairn/knowledge-risk"]
    assert (risk.source_component, risk.file, risk.line) == ("core", "shop/core/m.py", 3)
    # the facts that put it at risk, and its knowledge with the people still here (the one who left said apart)
    assert risk.message == ("touches component core, at risk: truck factor 1 (human 1), 1 file with no author left; "
                            "knowledge still with Ada Lovelace (main authors who left: Gus Gone)")
    assert report.verdict is Verdict.WARN and [e.source for e in report.new_edges] == ["shop.core.m"]
    (core,) = report.touched_components
    assert core.to_json()["knowledge_holders"] == [
        {"person": "Ada Lovelace", "id": "ada@example.com", "files_authored": 2, "share": 0.66, "active": True},
        {"person": "Gus Gone", "id": "gus@example.com", "files_authored": 1, "share": 0.34, "active": False}]
    # Gus is departed, Bob wrote the change: Ada is the one to ask, because she wrote the changed file
    (ada,) = report.suggested_reviewers
    assert ada.name == "Ada Lovelace" and ada.reasons[0].endswith(" of the changes to shop/core/m.py")


def test_a_holder_gone_who_wrote_few_of_its_files_is_no_main_author():
    """jackson-databind's ``ser`` was "at risk … (main authors inactive: jackphel)": 4 of its 164 files, in 2012,
    beside Tatu Saloranta's 93 %. A holder gone is named a main author for a tenth of the files or more."""
    stored = stored_graph()
    core = stored.node(Label.COMPONENT, "core")
    core.props["knowledge_holders"] = [KnowledgeHolder("Ada Lovelace", ADA[1], 30, 0.94).to_props(),
                                 KnowledgeHolder("Gus Gone", GONE[1], 1, 0.03).to_props()]
    risk = next(f for f in analyse(stored, change(stored)).findings if f.rule == "cairn/knowledge-risk")
    assert risk.message.endswith("knowledge still with Ada Lovelace") and "Gus Gone" not in risk.message
    core.props["knowledge_holders"] = [KnowledgeHolder("Ada Lovelace", ADA[1], 30, 0.9).to_props(),
                                 KnowledgeHolder("Gus Gone", GONE[1], 4, 0.1).to_props()]
    risk = next(f for f in analyse(stored, change(stored)).findings if f.rule == "cairn/knowledge-risk")
    assert risk.message.endswith("knowledge still with Ada Lovelace (main authors who left: Gus Gone)")


def test_a_pyproject_edit_is_a_governance_change_only_where_the_root_one_declares_configuration_or_rules():
    """Sphinx's pyproject.toml declares no [tool.cairn] nor [tool.importlinter]: pinning a linter in it was "an
    architecture change" (187 of its 787 commits since 2025 touch it); a package's own pyproject is never read."""
    def governed(stored: RepoGraph, path: str) -> bool:
        files = (FileChange(ChangeStatus.MODIFIED, path, hunks=(LineRange(5, 1),)),)
        return any(f.rule == "cairn/governance-change" for f in analyse(stored, change(stored, files=files)).findings)

    stored = stored_graph()
    assert not governed(stored, "pyproject.toml") and not governed(stored, "packages/api/pyproject.toml")
    assert governed(stored, "cairn.toml")
    configured = stored_graph()
    configured.node(Label.REPOSITORY, "shop").props["config_source"] = "pyproject.toml"
    assert governed(configured, "pyproject.toml") and not governed(configured, "packages/api/pyproject.toml")
    contracts = stored_graph()
    next(iter(contracts.of_label(Label.RULE))).props["source"] = "pyproject.toml"
    assert governed(contracts, "pyproject.toml")


def test_an_agent_without_a_rationale_raises_every_finding_but_governance_one_step():
    stored = stored_graph()
    files = (FileChange(ChangeStatus.MODIFIED, "shop/core/m.py", hunks=(LineRange(3, 1),), component="core"),
             FileChange(ChangeStatus.MODIFIED, "cairn.toml", hunks=(LineRange(5, 2),)))
    claude = Identity("Claude", "noreply@anthropic.com", IdentityRole.CO_AUTHOR, IdentityKind.AGENT)
    report = analyse(stored, change(stored, identities=[claude], files=files))
    severities = {f.rule: f.severity for f in report.findings}
    assert severities["core-stays-pure"] is Severity.BLOCK and severities["cairn/knowledge-risk"] is Severity.WARN
    assert severities["cairn/governance-change"] is Severity.INFO
    assert report.agent.evidence == ("co-author Claude <noreply@anthropic.com> is a coding agent",)
    assert report.blocking

    argued = analyse(stored, change(stored, identities=[claude], files=files,
                                    description="## Why\n\n" + "This coupling is temporary while the API helper moves into core. " * 2))
    assert argued.rationale.written_rationale and not argued.blocking
    # the issue it closes holds its reason (hugo's commits co-written with Claude: "… Closes #15212"); a number alone,
    # or a pull request's title "(#123)", is no such reference
    for text in ("Make the cache faster.\n\nCloses #15212", "Fixes gohugoio/hugo#1", "Refs: #42",
                 "See https://github.com/gohugoio/hugo/issues/15212", "Part of https://gitlab.com/g/p/-/issues/7"):
        closing = analyse(stored, change(stored, identities=[claude], files=files, description=text))
        assert closing.rationale.present and closing.rationale.issue_references and not closing.blocking, text
    for text in ("Make the cache faster (#123)", "Bump version to 1.2 #3", "issue 15212"):
        assert not analyse(stored, change(stored, identities=[claude], files=files, description=text)).rationale.present
    # a local check has no description: the commits' messages stand for it
    messaged = analyse(stored, change(stored, identities=[claude], files=files,
                                      messages=("Speed up the cache\n\nCloses #9",)))
    assert messaged.rationale.issue_references == ("Closes #9",) and not messaged.blocking


def test_the_baseline_at_the_base_hides_known_violations():
    stored = stored_graph()
    known = Baseline(frozenset({("core-stays-pure", "shop.core.m", "shop.api.m")}))
    report = analyse(stored, change(stored, baseline=known))
    assert "core-stays-pure" not in {f.rule for f in report.findings}


def test_reviewers_are_never_authors_bots_or_gone():
    stored = stored_graph()
    stored.add_edge(Rel.KNOWS, stored.node(Label.PERSON, "bot@example.com"), stored.node(Label.FILE, "shop/core/m.py"), doa=6.0,
                    first_authorship=False, deliveries=9, acceptances=2, reviews=0, last_touch="2024-05-02T00:00:00+00:00")
    ada_wrote_it = analyse(stored, change(stored, identities=[Identity("ada", "ADA@example.com", IdentityRole.PR_AUTHOR)]))
    assert ada_wrote_it.suggested_reviewers == ()
    someone_else = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    assert [r.name for r in someone_else.suggested_reviewers] == ["Ada Lovelace"]


def test_a_non_code_file_touches_its_component():
    stored = stored_graph()
    docs = (FileChange(ChangeStatus.ADDED, "shop/api/README.md", component="api"),)
    report = analyse(stored, ChangeSet(files=docs, base_graph=stored, head_graph=stored))
    assert [c.name for c in report.touched_components] == ["api"] and report.findings == ()


def test_a_change_of_untracked_files_only_goes_to_the_people_of_their_components():
    """golang/tools: 17 of 200 reviewed commits changed only files Cairn keeps no knowledge of (go.mod, gopls's
    marker test data) and suggested nobody; the people who know the other files of their components stand in."""
    stored = stored_graph()
    docs = (FileChange(ChangeStatus.MODIFIED, "shop/api/README.md", hunks=(LineRange(1, 4),), component="api"),)
    report = analyse(stored, change(stored, files=docs, identities=[Identity(*ADA, IdentityRole.AUTHOR)]))
    assert [(r.name, r.reasons) for r in report.suggested_reviewers] == [
        ("Bob Builder", ("knows 1 other file of component api",))]


def test_a_change_of_files_cairn_keeps_no_history_of_goes_to_their_latest_authors_or_says_so():
    """celery's docs and dependency changes (no component) got the repository's people, "nobody still here knows the
    changed files", though active people had made the files' latest commits. Read from git, those are suggested
    (bots, people gone and the change's author never); when nothing is read, the stand-ins say that Cairn keeps no
    history of the files."""
    stored = stored_graph()
    for email, commits in ((ADA[1], 40), (BOB[1], 12)):
        stored.add_node(Label.PERSON, email, commits=commits)
    ci = (FileChange(ChangeStatus.MODIFIED, ".github/workflows/ci.yml", hunks=(LineRange(1, 2),)),)
    report = analyse(stored, change(stored, files=ci, identities=[Identity(*ADA, IdentityRole.AUTHOR)]))
    assert [(r.name, r.reasons) for r in report.suggested_reviewers] == [
        ("Bob Builder", ("Cairn keeps no history of the changed files (documentation, configuration); active in the "
                         "repository (12 commits, last 2024-05-01)",))]

    asked: list[list[str]] = []

    def latest(paths: list[str]) -> dict[str, list[PathCommit]]:
        asked.append(paths)
        return {".github/workflows/ci.yml": [PathCommit("Robot", "bot@example.com", "2024-05-20T00:00:00+00:00"),
                                             PathCommit("Gus Gone", GONE[1], "2024-05-10T00:00:00+00:00"),
                                             PathCommit(*ADA, "2024-04-01T00:00:00+00:00"),
                                             PathCommit(*BOB, "2023-06-01T00:00:00+00:00")]}

    report = analyse(stored, change(stored, files=ci, identities=[Identity(*ADA, IdentityRole.AUTHOR)]),
                     read_latest_commits=latest)
    assert asked == [[".github/workflows/ci.yml"]]
    assert [(r.name, r.reasons) for r in report.suggested_reviewers] == [
        ("Bob Builder", ("changed .github/workflows/ci.yml in 1 of its 4 commits, last 2023-06-01",))]
    # a change of a stored file reads nothing
    analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]), read_latest_commits=latest)
    assert len(asked) == 1

    # Bob's one commit of 2019 beside Gus's of last month is not knowing it: the stand-ins say he made few
    long_ago = {".github/workflows/ci.yml": [PathCommit("Gus Gone", GONE[1], "2024-05-10T00:00:00+00:00"),
                                             PathCommit(*BOB, "2019-06-01T00:00:00+00:00")]}
    report = analyse(stored, change(stored, files=ci, identities=[Identity(*ADA, IdentityRole.AUTHOR)]),
                     read_latest_commits=lambda paths: long_ago)
    assert [(r.name, r.reasons) for r in report.suggested_reviewers] == [
        ("Bob Builder", ("Cairn keeps no history of the changed files and who may review made few of their latest "
                         "commits; active in the repository (12 commits, last 2024-05-01)",))]


def test_reviewers_follow_the_lines_the_hunks_change():
    stored = stored_graph()
    small_core = FileChange(ChangeStatus.MODIFIED, "shop/core/m.py", hunks=(LineRange(3, 1, 1, 0),), component="core")
    big_api = FileChange(ChangeStatus.MODIFIED, "shop/api/m.py", hunks=(LineRange(1, 30, 30, 12),), component="api")
    assert lines_changed(change(stored, files=(small_core, big_api))) == {"shop/core/m.py": 1, "shop/api/m.py": 42}
    report = analyse(stored, change(stored, files=(small_core, big_api)))
    assert [r.name for r in report.suggested_reviewers] == ["Bob Builder", "Ada Lovelace"]
    big_core = FileChange(ChangeStatus.MODIFIED, "shop/core/m.py", hunks=(LineRange(3, 50, 50, 50),), component="core")
    report = analyse(stored, change(stored, files=(big_core, big_api)))
    assert [r.name for r in report.suggested_reviewers] == ["Ada Lovelace", "Bob Builder"]


def test_a_new_cycle_is_named_by_the_edge_that_closes_it_not_by_an_old_cycle_beside_it():
    stored = RepoGraph("loop")
    stored.add_node(Label.REPOSITORY, "loop", head="base")
    for comp in ("a", "b", "c", "d"):
        stored.add_node(Label.COMPONENT, comp, paths=[f"{comp}/**"])
    for src, dst in (("a", "b"), ("b", "a"), ("b", "c"), ("d", "a")):  # a <-> b is an old cycle
        stored.add_edge(Rel.DEPENDS_ON, stored.node(Label.COMPONENT, src), stored.node(Label.COMPONENT, dst), count=1)
    head = copy.deepcopy(stored)
    head.add_edge(Rel.DEPENDS_ON, head.node(Label.COMPONENT, "c"), head.node(Label.COMPONENT, "d"), count=1)
    files = (FileChange(ChangeStatus.MODIFIED, "c/x.py", hunks=(LineRange(1, 1),), component="c"),)
    report = analyse(stored, ChangeSet(files=files, base_graph=stored, head_graph=head, base="base", head="head"))
    (cycle,) = [f for f in report.findings if f.rule == "cairn/new-cycle"]
    assert "c -> d -> a -> b -> c" in cycle.message


def test_new_cycles_are_looked_for_exactly_when_a_strongly_connected_set_is_new():
    """The check that spares networkx agrees with networkx's strongly connected components on random graphs."""
    import random

    import networkx as nx

    from cairn.queries.pr_check import _new_strongly_connected

    def sccs(pairs):
        g = nx.DiGraph(pairs)
        return [c for c in nx.strongly_connected_components(g) if len(c) > 1]

    outcomes = set()
    for seed in range(800):  # the second half: larger graphs, where a new edge may close a cycle through old ones
        rnd = random.Random(seed)
        n = rnd.randint(2, 12) if seed < 400 else rnd.randint(8, 30)
        base = {(str(rnd.randrange(n)), str(rnd.randrange(n))) for _ in range(rnd.randint(0, 20 if seed < 400 else 45))}
        base = {(a, b) for a, b in base if a != b}
        head = {p for p in base if rnd.random() > 0.1} | {(str(rnd.randrange(n)), str(rnd.randrange(n))) for _ in range(rnd.randint(0, 3))}
        head = {(a, b) for a, b in head if a != b}
        before = sccs(base)
        expected = any(not any(c <= b for b in before) for c in sccs(head))  # what _new_cycles reports on
        assert _new_strongly_connected(base, head) is expected, seed
        outcomes.add(expected)
    assert outcomes == {True, False}


def test_the_terminal_table_names_the_suggested_reviewers():
    """``--format table`` printed the reviewers' objects (a TypeError) whenever the check suggested one."""
    from cairn.api.render.pr_table import pr_table

    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    last = list(pr_table(report))[-1]
    assert str(last) == "suggested reviewers: Ada Lovelace"


def test_the_terminal_lists_each_finding_once_under_its_rule_the_blocking_first():
    """The table of where/import beside each message repeated them, folded a path over four lines at 80 columns
    (prometheus, twelve commits: 22 co-changes); each message now stands once under its rule, ten at most of a rule
    only worth knowing."""
    import dataclasses

    from cairn.api.render.pr_table import pr_table
    from cairn.graph.findings import Finding

    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    co_changes = [Finding(rule="cairn/co-change", kind="co_change", severity=Severity.INFO, file=f"pkg/f{i:02d}.go",
                          message=f"pkg/f{i:02d}.go changed with pkg/g{i:02d}.go in 9 of 10 commits") for i in range(12)]
    blocking = Finding(rule="layers", kind="layers", severity=Severity.BLOCK, file="app/ui.py", line=3,
                       message="app.ui imports app.db (app/ui.py:3): rule 'layers' (layers, block) says ui may not use db.")
    lines = [str(part) for part in pr_table(dataclasses.replace(report, findings=co_changes + [blocking]))]
    start = lines.index("13 findings")
    assert lines[start + 1:start + 3] == ["block layers", f"  • {blocking.message}"]
    assert lines[start + 3] == "info cairn/co-change (12)"
    assert lines[start + 4:start + 14] == [f"  • {f.message}" for f in co_changes[:10]]
    assert lines[start + 14] == "  +2 more (--format json lists every finding)"
    assert sum(blocking.message in line for line in lines) == 1


def test_the_comment_folds_findings_past_ten_of_a_rule_only_worth_knowing_and_says_each_evidence_once():
    import dataclasses

    from cairn.api.render.pr_comment import pr_markdown
    from cairn.graph.findings import Finding

    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    co_changes = [Finding(rule="cairn/co-change", kind="co_change", severity=Severity.INFO, file=f"pkg/f{i:02d}.go",
                          source=f"pkg/f{i:02d}.go", target=f"pkg/g{i:02d}.go",
                          message=f"pkg/f{i:02d}.go changed with pkg/g{i:02d}.go in 9 of 10 commits") for i in range(12)]
    blocking = Finding(rule="layers", kind="layers", severity=Severity.BLOCK, file="app/ui.py", line=3, source="app.ui",
                       target="app.db", message="rule 'layers' (layers, block) says ui may not use db.")
    text = pr_markdown(dataclasses.replace(report, findings=co_changes + [blocking]))
    table, folded = text.split("<details><summary>2 more <code>cairn/co-change</code> finding(s)</summary>")
    assert "| ⛔ block | `layers` | app/ui.py:3 | `app.ui` → `app.db` rule 'layers'" in table  # the message does not name them
    assert all(f.message in table for f in co_changes[:10]) and "`pkg/f00.go` → `pkg/g00.go`" not in table
    assert co_changes[10].message in folded.split("</details>")[0] and co_changes[11].message in folded.split("</details>")[0]


def test_the_terminal_names_each_touched_components_holders_one_a_line_beside_both_truck_factors():
    """Side by side, "Name (68%), Name (12%, left)" folded each holder over two lines at 80 columns (prometheus)."""
    from cairn.api.render.console import Styled
    from cairn.api.render.pr_table import pr_table
    from cairn.api.render.terminal import FittedTable

    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    (touched,) = [t for t in pr_table(report) if isinstance(t, FittedTable) and t.title == "Components touched"]
    assert [h for h, _ in touched.columns] == ["component", "changed", "TF (human)", "knowledge holders", "at risk"]
    for row, comp in zip(touched.rows, report.touched_components):
        assert row[2].plain == f"{comp.truck_factor} ({comp.human_truck_factor})"
        assert row[3].plain.splitlines() == [f"{h.person} {h.share:.0%}" + (" (left)" if h.id in comp.gone else "")
                                             for h in comp.knowledge_holders[:4]]  # (declared departed)
    assert all(isinstance(cell, Styled) for row in touched.rows for cell in row)


def test_the_comments_import_summary_counts_what_it_lists():
    """jaeger: "4 new import edge(s)" over two lines — a stdlib import in a test and a package used before are not
    listed, so they are not counted either."""
    import dataclasses

    from cairn.api.render.pr_comment import pr_markdown
    from cairn.queries.pr_check import NewEdge

    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    between = [NewEdge(f"shop.core.m{i}", "shop.api.m", "runtime", f"shop/core/m{i}.py", (3,), "core", "api", False)
               for i in range(52)]
    unlisted = [NewEdge("shop.core.m", "external:os", "runtime", "shop/core/test_m.py", (1,), "core", None, True,
                        stdlib=True, test_only=True),
                NewEdge("shop.core.m", "external:requests", "runtime", "shop/core/m.py", (2,), "core", None, True)]
    text = pr_markdown(dataclasses.replace(report, new_edges=between[:2] + unlisted))
    assert "<details><summary>2 new import edge(s) between modules</summary>" in text
    new = NewEdge("shop.core.m", "external:httpx", "runtime", "shop/core/m.py", (4,), "core", None, True, first_use=True)
    text = pr_markdown(dataclasses.replace(report, new_edges=between + unlisted + [new]))
    assert "<details><summary>52 new import edge(s) between modules, new packages</summary>" in text
    assert "- … 2 more (`--format json` lists them all)" in text and "- new external packages: `httpx`" in text
    assert "new import edge" not in pr_markdown(dataclasses.replace(report, new_edges=unlisted))
    # a module named by its file (svelte's samples) is not named twice more for where the import is
    sample = "tests/samples/each/_config.js"
    named_by_file = NewEdge(sample, "src/index.js", "runtime", sample, (2,), "tests", "internal", False)
    text = pr_markdown(dataclasses.replace(report, new_edges=[named_by_file, between[0]]))
    assert f"- `{sample}` → `src/index.js` (runtime, line 2)" in text
    assert f"(runtime, {between[0].file}:" in text
    from cairn.api.render.pr_comment import import_site

    assert (import_site(named_by_file), import_site(between[0])) == ("line 2", "shop/core/m0.py:3")


def test_a_component_the_head_adds_is_one_finding_naming_its_dependencies_both_ways():
    # pip's #14176 split exceptions.py into a package, a component of its own in a layout made after it: every
    # component importing it "created its first dependency on exceptions", 22 findings
    stored = stored_graph()
    head = head_with_import(stored)
    extra = head.add_node(Label.COMPONENT, "exceptions", paths=["shop/exceptions/**"])
    head.add_edge(Rel.DEPENDS_ON, head.node(Label.COMPONENT, "api"), extra, count=2)
    head.add_edge(Rel.DEPENDS_ON, head.node(Label.COMPONENT, "core"), extra, count=1)
    head.add_edge(Rel.DEPENDS_ON, extra, head.node(Label.COMPONENT, "core"), count=1)
    report = analyse(stored, ChangeSet(files=change(stored).files, base_graph=stored, head_graph=head, identities=(),
                                       description=None, base="base", head="head"))
    found = [f.message for f in report.findings if f.rule == "cairn/new-component-dependency"]
    assert found == [
        "adds component exceptions (shop/exceptions/**): it depends on core; api, core depend on it",
        "creates the first dependency of component core on component api outside its tests "
        "(shop.core.m imports shop.api.m at shop/core/m.py:3)"]


def test_the_terminals_new_imports_leave_out_the_go_module_path_they_all_share():
    """openfga at 80 columns: ``github.com/openfga/openfga/pkg/server/commands/v2breaking`` → ``…/internal/check``
    took three lines a name; the shared module path is said once, in the title. Python's dotted names stay whole."""
    import dataclasses

    from cairn.api.render.pr_table import pr_table
    from cairn.api.render.terminal import FittedTable
    from cairn.queries.pr_check import NewEdge

    stored = stored_graph()
    report = analyse(stored, change(stored, identities=[Identity(*BOB, IdentityRole.AUTHOR)]))
    go = [NewEdge("github.com/acme/shop/pkg/server/v2", "github.com/acme/shop/internal/check", "runtime",
                  "pkg/server/v2/v2.go", (17,), "server", "check", False),
          NewEdge("github.com/acme/shop/pkg/server/v2", "github.com/acme/shop/pkg/tuple", "runtime",
                  "pkg/server/v2/v2.go", (18,), "server", "tuple", False)]
    (imports,) = [t for t in pr_table(dataclasses.replace(report, new_edges=go))
                  if isinstance(t, FittedTable) and "new import" in t.title]
    assert imports.title == "2 new imports between modules (below github.com/acme/shop/)"
    assert [[cell.plain for cell in row[:2]] for row in imports.rows] == [
        ["pkg/server/v2", "internal/check"], ["pkg/server/v2", "pkg/tuple"]]
    python = [NewEdge("shop.core.m", "shop.api.m", "runtime", "shop/core/m.py", (3,), "core", "api", False)]
    (imports,) = [t for t in pr_table(dataclasses.replace(report, new_edges=python))
                  if isinstance(t, FittedTable) and "new import" in t.title]
    assert imports.title == "1 new import between modules" and imports.rows[0][0].plain == "shop.core.m"


def test_a_change_that_touches_only_tests_of_a_component_at_risk_raises_no_knowledge_risk():
    """poetry: every change with a test said "touches component tests, at risk: … 188 files with no author left" — its
    tests/ folder is a component; the components table still lists it."""
    stored = stored_graph()
    stored.add_node(Label.FILE, "shop/core/tests/test_m.py", component="core")
    only_tests = (FileChange(ChangeStatus.MODIFIED, "shop/core/tests/test_m.py", hunks=(LineRange(1, 1),), component="core"),)
    report = analyse(stored, change(stored, files=only_tests))
    assert [f.rule for f in report.findings if f.rule == "cairn/knowledge-risk"] == []
    assert [c.name for c in report.touched_components] == ["core"]
    with_code = only_tests + (FileChange(ChangeStatus.MODIFIED, "shop/core/m.py", hunks=(LineRange(3, 1),), component="core"),)
    assert [f.file for f in analyse(stored, change(stored, files=with_code)).findings
            if f.rule == "cairn/knowledge-risk"] == ["shop/core/m.py"]


def test_a_component_of_tests_alone_depends_through_its_tests_and_is_not_said_to_do_so_outside_them():
    """commons-lang's ``external`` holds one test class, AnnotationEqualsTest: its import of lang3 made "the first
    dependency of component external on component lang3 outside its tests" — a component of tests alone depends
    through them, and that is what the finding should say."""
    g = RepoGraph("shop")
    g.add_node(Label.REPOSITORY, "shop", head="base", newest_commit_at="2024-06-01T00:00:00+00:00")
    for comp, path in (("external", "tests/external/test_m.py"), ("api", "shop/api/m.py")):
        module = path.removesuffix(".py").replace("/", ".")
        g.add_node(Label.COMPONENT, comp, paths=[path.rsplit("/", 1)[0] + "/**"], truck_factor=1, human_truck_factor=1)
        g.add_node(Label.MODULE, module, path=path, language="python", component=comp, files=[path])
        g.add_node(Label.FILE, path, component=comp)
    head = copy.deepcopy(g)
    head.add_edge(Rel.IMPORTS, head.node(Label.MODULE, "tests.external.test_m"), head.node(Label.MODULE, "shop.api.m"),
                  kind="runtime", lines=[2], file="tests/external/test_m.py")
    head.add_edge(Rel.DEPENDS_ON, head.node(Label.COMPONENT, "external"), head.node(Label.COMPONENT, "api"), count=1)
    files = (FileChange(ChangeStatus.MODIFIED, "tests/external/test_m.py", hunks=(LineRange(2, 1),), component="external"),)
    report = analyse(g, ChangeSet(files=files, base_graph=g, head_graph=head, identities=(Identity(*BOB, IdentityRole.AUTHOR),),
                                  description=None, base="base", head="head", baseline=None))
    [found] = [f for f in report.findings if f.rule == "cairn/new-component-dependency"]
    assert found.message == ("creates the first dependency of component external on component api "
                             "(tests.external.test_m imports shop.api.m at tests/external/test_m.py:2)")
