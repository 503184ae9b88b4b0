"""Evaluating boundary rules on graphs: every kind kept and broken, chains, exceptions, decisions, baseline, reports."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date

import pytest

from cairn.api.render.check_markdown import markdown_report
from cairn.api.render.sarif import sarif_report
from cairn.graph.baseline import Baseline, BaselineUpdate, baseline_path, load_baseline, update_baseline, write_baseline
from cairn.graph.errors import BaselineError
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.rules import DeclaredRule
from cairn.graph.severity import Severity, Verdict
from cairn.ingest.rules import add_rules, validate_rule
from cairn.queries.contracts import check
from cairn.queries.contracts.registry import CONTRACTS

SHOP = {
    "shop": None, "shop.web": "web", "shop.web.views": "web", "shop.web.forms": "web",
    "shop.core": "core", "shop.core.service": "core", "shop.core.models": "core",
    "shop.db": "db", "shop.db.models": "db", "shop.db.session": "db",
    "shop.util": None, "shop.util.text": None,
}


def build(modules: dict[str, str | None], imports: list[tuple], rules: list[dict], decisions: dict[str, str] | None = None) -> RepoGraph:
    """A graph as ingest would store it: modules in components, import edges, rules through the real rule code."""
    g = RepoGraph("shop")
    g.add_node(Label.REPOSITORY, "shop", path="/nonexistent/shop", baseline=".cairn-baseline.json")
    for comp in sorted({c for c in modules.values() if c}):
        g.add_node(Label.COMPONENT, comp, paths=[f"shop/{comp}/**"])
    for name, comp in modules.items():
        node = g.add_node(Label.MODULE, name, path=name.replace(".", "/") + ".py", language="python", component=comp)
        if comp:
            g.add_edge(Rel.PART_OF, node, g.node(Label.COMPONENT, comp))
    for imp in imports:
        a, b, kind, line = (*imp, "runtime", 1)[:4] if len(imp) == 2 else ((*imp, 1)[:4] if len(imp) == 3 else imp)
        if b.startswith("external:"):
            target = g.add_node(Label.EXTERNAL, b.split(":", 1)[1], ecosystem="pypi")
        else:
            target = g.node(Label.MODULE, b)
        g.add_edge(Rel.IMPORTS, g.node(Label.MODULE, a), target, kind=kind, lines=[line], kinds={kind: [line]},
                   file=a.replace(".", "/") + ".py")
    for path, status in (decisions or {}).items():
        g.add_node(Label.DECISION, path, title=f"Decision {path.rsplit('/', 1)[-1]}", status=status)
    add_rules(g, [DeclaredRule(validate_rule(r, "cairn.toml"), "cairn.toml", "test", r.get("because")) for r in rules])
    return g


def pairs(report) -> list[tuple[str, str, str]]:
    return [(f.rule, f.source, f.target) for f in report.findings]


# -- forbidden, direct and transitive --------------------------------------------------------


def test_forbidden_kept_and_broken_directly():
    rule = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"]}
    kept = build(SHOP, [("shop.web.views", "shop.core.service"), ("shop.core.service", "shop.db.models")], [rule])
    report = check(kept)
    assert report.verdict == "pass" and report.findings == [] and report.problems == []

    broken = build(SHOP, [("shop.web.views", "shop.db.models", "runtime", 7), ("shop.core.service", "shop.db.models")], [rule])
    report = check(broken)
    assert report.verdict == "block"
    [f] = report.findings
    assert (f.rule, f.kind, f.severity, f.source, f.target) == ("web-no-db", "forbidden", "block", "shop.web.views", "shop.db.models")
    assert (f.source_component, f.target_component, f.file, f.line) == ("web", "db", "shop/web/views.py", 7)
    assert f.message.startswith("shop.web.views imports shop.db.models (shop/web/views.py:7): rule 'web-no-db' (forbidden, block) says 'web' must not import 'db'.")


def test_transitive_chain_is_found_only_when_asked_and_reported_as_evidence():
    imports = [("shop.web.views", "shop.util.text", "runtime", 3), ("shop.util.text", "shop.core.models", "runtime", 4),
               ("shop.core.models", "shop.db.session", "runtime", 9)]
    direct = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"]}
    assert check(build(SHOP, imports, [direct])).findings == []
    report = check(build(SHOP, imports, [{**direct, "transitive": True}]))
    [f] = report.findings
    assert (f.source, f.target, f.line) == ("shop.web.views", "shop.db.session", 3)
    assert f.chain == ("shop.web.views", "shop.util.text", "shop.core.models", "shop.db.session")
    assert "via shop.web.views → shop.util.text → shop.core.models → shop.db.session" in f.message
    assert f.to_json()["chain"] == list(f.chain)


def test_forbidden_external_package_and_module_prefix_subjects():
    imports = [("shop.core.service", "external:requests"), ("shop.web.views", "external:requests")]
    rule = {"id": "core-offline", "kind": "forbidden", "from": ["shop.core"], "to": ["requests"], "severity": "warn"}
    report = check(build(SHOP, imports, [rule]))
    assert pairs(report) == [("core-offline", "shop.core.service", "external:requests")]
    assert report.verdict == "warn"


# -- layers --------------------------------------------------------------------------------


def test_layers_kept_broken_and_transitive_through_unlayered_code():
    rule = {"id": "one-way", "kind": "layers", "layers": ["web", "core", "db"]}
    kept = [("shop.web.views", "shop.core.service"), ("shop.core.service", "shop.db.models"), ("shop.web.views", "shop.db.models")]
    assert check(build(SHOP, kept, [rule])).findings == []
    broken = kept + [("shop.db.models", "shop.core.models", "runtime", 5)]
    assert pairs(check(build(SHOP, broken, [rule]))) == [("one-way", "shop.db.models", "shop.core.models")]
    # db -> util -> web: a chain through code in no layer
    chain = kept + [("shop.db.session", "shop.util.text"), ("shop.util.text", "shop.web.forms")]
    assert check(build(SHOP, chain, [rule])).findings == []
    report = check(build(SHOP, chain, [{**rule, "transitive": True}]))
    assert [(f.source, f.target, f.chain) for f in report.findings] == [
        ("shop.db.session", "shop.web.forms", ("shop.db.session", "shop.util.text", "shop.web.forms"))]
    # a chain through another layer is that layer's violation, not a second one
    via_layer = kept + [("shop.db.session", "shop.core.models"), ("shop.core.models", "shop.web.forms")]
    report = check(build(SHOP, via_layer, [{**rule, "transitive": True}]))
    assert sorted(pairs(report)) == [("one-way", "shop.core.models", "shop.web.forms"), ("one-way", "shop.db.session", "shop.core.models")]


def test_layer_siblings_independent_or_not_and_closed_layers():
    modules = {"app.ui": "ui", "app.orders": "orders", "app.billing": "billing", "app.services": "services", "app.repo": "repo"}
    sibling_import = [("app.orders", "app.billing")]
    independent = {"id": "l", "kind": "layers", "layers": ["ui", "orders | billing", "repo"]}
    assert pairs(check(build(modules, sibling_import, [independent]))) == [("l", "app.orders", "app.billing")]
    loose = {"id": "l", "kind": "layers", "layers": ["ui", "orders : billing", "repo"]}
    assert check(build(modules, sibling_import, [loose])).findings == []
    as_list = {"id": "l", "kind": "layers", "layers": ["ui", ["orders", "billing"], "repo"]}
    assert pairs(check(build(modules, sibling_import, [as_list]))) == [("l", "app.orders", "app.billing")]

    skip = [("app.ui", "app.repo", "runtime", 2), ("app.ui", "app.services"), ("app.services", "app.repo")]
    open_layers = {"id": "c", "kind": "layers", "layers": ["ui", "services", "repo"]}
    assert check(build(modules, skip, [open_layers])).findings == []
    closed = {**open_layers, "closed": ["services"]}
    report = check(build(modules, skip, [closed]))
    assert pairs(report) == [("c", "app.ui", "app.repo")]
    assert "must go through closed layer 'services'" in report.findings[0].message


def test_layers_with_containers_and_optional_layers():
    modules = {"shop.orders.api": "orders", "shop.orders.domain": "orders", "shop.billing.api": "billing", "shop.billing.domain": "billing"}
    rule = {"id": "per-app", "kind": "layers", "layers": ["api", "domain", "(infra)"], "containers": ["shop.orders", "shop.billing"]}
    imports = [("shop.orders.api", "shop.orders.domain"), ("shop.billing.domain", "shop.billing.api", "runtime", 8)]
    report = check(build(modules, imports, [rule]))
    assert pairs(report) == [("per-app", "shop.billing.domain", "shop.billing.api")]
    assert "in shop.billing" in report.findings[0].message
    assert report.problems == []  # the optional layer may be missing
    missing = {**rule, "layers": ["api", "domain", "infra"]}
    assert check(build(modules, imports, [missing])).problems == [
        "rule 'per-app': layer 'shop.billing.infra' matches no component or module",
        "rule 'per-app': layer 'shop.orders.infra' matches no component or module",
    ]


# -- independence, allowed_only, interface, acyclic ----------------------------------------


def test_independence_kept_and_broken_both_ways():
    rule = {"id": "apart", "kind": "independence", "components": ["web", "db"]}
    assert check(build(SHOP, [("shop.web.views", "shop.core.service")], [rule])).findings == []
    report = check(build(SHOP, [("shop.db.models", "shop.web.forms"), ("shop.web.views", "shop.db.session")], [rule]))
    assert sorted(pairs(report)) == [("apart", "shop.db.models", "shop.web.forms"), ("apart", "shop.web.views", "shop.db.session")]


def test_allowed_only_kept_and_broken():
    rule = {"id": "web-deps", "kind": "allowed_only", "from": ["web"], "to": ["core"]}
    imports = [("shop.web.views", "shop.core.service"), ("shop.web.views", "shop.web.forms"), ("shop.web.views", "external:flask")]
    assert check(build(SHOP, imports, [rule])).findings == []
    report = check(build(SHOP, imports + [("shop.web.forms", "shop.util.text"), ("shop.web.forms", "shop.db.models")], [rule]))
    assert pairs(report) == [("web-deps", "shop.web.forms", "shop.db.models"), ("web-deps", "shop.web.forms", "shop.util.text")]
    # listing an external package restricts externals too
    strict = {**rule, "to": ["core", "external:jinja2"]}
    assert pairs(check(build(SHOP, imports, [strict]))) == [("web-deps", "shop.web.views", "external:flask")]


def test_interface_kept_and_broken():
    rule = {"id": "core-api", "kind": "interface", "component": "core", "modules": ["shop.core.service"]}
    imports = [("shop.web.views", "shop.core.service"), ("shop.core.service", "shop.core.models")]
    assert check(build(SHOP, imports, [rule])).findings == []
    report = check(build(SHOP, imports + [("shop.web.forms", "shop.core.models", "runtime", 12)], [rule]))
    assert pairs(report) == [("core-api", "shop.web.forms", "shop.core.models")]
    assert "may be used only through shop.core.service" in report.findings[0].message


def test_acyclic_lists_the_component_cycle():
    rule = {"id": "dag", "kind": "acyclic"}
    imports = [("shop.web.views", "shop.core.service"), ("shop.core.service", "shop.db.models")]
    assert check(build(SHOP, imports, [rule])).findings == []
    report = check(build(SHOP, imports + [("shop.db.session", "shop.web.forms", "runtime", 4)], [rule]))
    cycles = {(f.importer, f.imported): f.cycle for f in report.findings}
    assert cycles == {("core", "db"): ("core", "db", "web", "core"), ("db", "web"): ("db", "web", "core", "db"),
                      ("web", "core"): ("web", "core", "db", "web")}
    db_web = next(f for f in report.findings if f.importer == "db")
    assert (db_web.source, db_web.target, db_web.line) == ("shop.db.session", "shop.web.forms", 4)
    assert "import cycle db → web → core → db" in db_web.message


def test_acyclic_siblings_with_wildcards_and_depth():
    modules = {"pkg.a": None, "pkg.a.x": None, "pkg.a.y": None, "pkg.b": None, "pkg.b.z": None}
    nested_cycle = [("pkg.a.x", "pkg.a.y"), ("pkg.a.y", "pkg.a.x")]
    top = {"id": "sib", "kind": "acyclic", "components": ["pkg.*"]}
    assert check(build(modules, nested_cycle, [top])).findings == []
    deep = {**top, "depth": 1}
    assert sorted(pairs(check(build(modules, nested_cycle, [deep])))) == [("sib", "pkg.a.x", "pkg.a.y"), ("sib", "pkg.a.y", "pkg.a.x")]
    top_cycle = [("pkg.a.x", "pkg.b.z"), ("pkg.b", "pkg.a")]
    assert sorted((f.importer, f.imported) for f in check(build(modules, top_cycle, [top])).findings) == [("pkg.a", "pkg.b"), ("pkg.b", "pkg.a")]


# -- what counts -----------------------------------------------------------------------------


def test_type_only_edges_count_only_when_included():
    rule = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"]}
    imports = [("shop.web.views", "shop.db.models", "type_only", 2)]
    assert check(build(SHOP, imports, [rule])).findings == []
    assert pairs(check(build(SHOP, imports, [{**rule, "include_type_only": True}]))) == [("web-no-db", "shop.web.views", "shop.db.models")]
    dynamic = [("shop.web.views", "shop.db.models", "dynamic", 2)]
    assert len(check(build(SHOP, dynamic, [rule])).findings) == 1
    assert check(build(SHOP, dynamic, [{**rule, "include_dynamic": False}])).findings == []


def test_exceptions_apply_until_they_expire():
    imports = [("shop.web.views", "shop.db.models"), ("shop.web.forms", "shop.db.session")]
    rule = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"], "exceptions": [
        {"importer": "shop.web.views", "imported": "shop.db.*", "reason": "report page", "expires": "2024-06-30"},
        {"importer": "shop.web.forms", "imported": "shop.db.session", "reason": "until the session moves"},
        {"importer": "shop.web.old", "imported": "shop.db.models", "reason": "never matches"},
    ]}
    graph = build(SHOP, imports, [rule])
    before = check(graph, today=date(2024, 6, 30))
    assert before.findings == [] and before.expired_exceptions == []
    assert [(e["importer"], e["imported"]) for e in before.unused_exceptions] == [("shop.web.old", "shop.db.models")]
    after = check(graph, today=date(2024, 7, 1))
    assert pairs(after) == [("web-no-db", "shop.web.views", "shop.db.models")]
    assert after.expired_exceptions == [{"rule": "web-no-db", "importer": "shop.web.views", "imported": "shop.db.*",
                                         "reason": "report page", "expires": "2024-06-30"}]


def test_an_excepted_edge_also_breaks_a_transitive_chain():
    imports = [("shop.web.views", "shop.util.text"), ("shop.util.text", "shop.db.models")]
    rule = {"id": "r", "kind": "forbidden", "from": ["web"], "to": ["db"], "transitive": True,
            "exceptions": [{"importer": "shop.util.**", "imported": "shop.db.models", "reason": "text helpers read the schema"}]}
    assert check(build(SHOP, imports, [rule])).findings == []


# -- decisions --------------------------------------------------------------------------------


def test_rules_of_superseded_decisions_are_skipped_and_proposed_ones_only_inform():
    imports = [("shop.web.views", "shop.db.models")]
    rules = [
        {"id": "old", "kind": "forbidden", "from": ["web"], "to": ["db"], "because": "docs/adr/0001-old.md"},
        {"id": "draft", "kind": "forbidden", "from": ["web"], "to": ["db"], "because": "docs/adr/0002-draft.md"},
        {"id": "live", "kind": "forbidden", "from": ["web"], "to": ["db"], "because": "docs/adr/0003-live.md", "severity": "warn"},
    ]
    decisions = {"docs/adr/0001-old.md": "superseded", "docs/adr/0002-draft.md": "proposed", "docs/adr/0003-live.md": "accepted"}
    report = check(build(SHOP, imports, rules, decisions))
    assert [(f.rule, f.severity, f.decision) for f in report.findings] == [
        ("live", "warn", "docs/adr/0003-live.md"), ("draft", "info", "docs/adr/0002-draft.md")]
    assert report.verdict == "warn"
    assert report.skipped_rules == [{"rule": "old", "decision": "docs/adr/0001-old.md", "status": "superseded",
                                     "reason": "declared by docs/adr/0001-old.md, which is superseded"}]
    assert 'Decided in docs/adr/0003-live.md "Decision 0003-live.md" (accepted).' in report.findings[0].message
    only_draft = check(build(SHOP, imports, rules[1:2], decisions))
    assert only_draft.verdict == "pass" and len(only_draft.findings) == 1


def test_subjects_that_match_nothing_are_problems():
    report = check(build(SHOP, [], [{"id": "r", "kind": "forbidden", "from": ["web"], "to": ["payments"]}]))
    assert report.problems == ["rule 'r': 'payments' matches no component, module or external package"]


# -- baseline -----------------------------------------------------------------------------------


def test_baseline_hides_old_violations_but_not_new_ones_and_only_shrinks(tmp_path):
    rule = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"]}
    old = [("shop.web.views", "shop.db.models", "runtime", 3), ("shop.web.forms", "shop.db.session", "runtime", 4)]
    path = tmp_path / ".cairn-baseline.json"
    change = update_baseline(path, check(build(SHOP, old, [rule])).current_keys)
    assert change == BaselineUpdate(str(path), created=True, recorded=2, removed=0, not_added=0)
    baseline = load_baseline(path)
    assert baseline.entries == {("web-no-db", "shop.web.views", "shop.db.models"), ("web-no-db", "shop.web.forms", "shop.db.session")}
    assert "line" not in path.read_text()

    # the same violations on other lines stay known; a new one is reported
    moved = [("shop.web.views", "shop.db.models", "runtime", 30), ("shop.web.forms", "shop.db.session", "runtime", 40),
             ("shop.web.views", "shop.db.session", "runtime", 31)]
    report = check(build(SHOP, moved, [rule]), baseline=baseline)
    assert pairs(report) == [("web-no-db", "shop.web.views", "shop.db.session")]
    assert len(report.baselined) == 2 and report.verdict == "block"
    assert report.to_json()["baselined"] == 2

    # one old violation fixed: it is reported stale and pruned; the new one is not added
    fixed = moved[1:]
    report = check(build(SHOP, fixed, [rule]), baseline=baseline)
    assert report.stale_baseline == [("web-no-db", "shop.web.views", "shop.db.models")]
    change = update_baseline(path, report.current_keys)
    assert change == BaselineUpdate(str(path), created=False, recorded=1, removed=1, not_added=1)
    assert load_baseline(path).entries == {("web-no-db", "shop.web.forms", "shop.db.session")}
    # the fixed violation coming back is new again
    report = check(build(SHOP, moved, [rule]), baseline=load_baseline(path))
    assert sorted(pairs(report)) == [("web-no-db", "shop.web.views", "shop.db.models"), ("web-no-db", "shop.web.views", "shop.db.session")]


def test_acyclic_baseline_is_keyed_by_components(tmp_path):
    rule = {"id": "dag", "kind": "acyclic"}
    cycle = [("shop.web.views", "shop.db.models"), ("shop.db.models", "shop.web.views")]
    path = tmp_path / "b.json"
    update_baseline(path, check(build(SHOP, cycle, [rule])).current_keys)
    assert load_baseline(path).entries == {("dag", "web", "db"), ("dag", "db", "web")}
    other_modules = [("shop.web.forms", "shop.db.session"), ("shop.db.session", "shop.web.forms")]
    assert check(build(SHOP, other_modules, [rule]), baseline=load_baseline(path)).findings == []


def test_bad_baselines_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(BaselineError, match=r"bad.json: not valid JSON"):
        load_baseline(bad)
    bad.write_text(json.dumps({"violations": [{"rule": "r", "importer": "a"}]}))
    with pytest.raises(BaselineError, match=r"violations\[0\] needs string 'rule', 'importer' and 'imported'"):
        load_baseline(bad)
    with pytest.raises(BaselineError, match="baseline file not found"):
        load_baseline(tmp_path / "missing.json")
    write_baseline(tmp_path / "ok.json", [("r", "a", "b")])
    assert Baseline.from_text((tmp_path / "ok.json").read_text()).entries == {("r", "a", "b")}


# -- reports -------------------------------------------------------------------------------------


def test_sarif_has_stable_rule_ids_and_line_free_fingerprints():
    rule = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"], "description": "Keep SQL behind the core.",
            "because": "docs/adr/0003-live.md"}
    decisions = {"docs/adr/0003-live.md": "accepted"}
    first = check(build(SHOP, [("shop.web.views", "shop.db.models", "runtime", 3)], [rule], decisions))
    moved = check(build(SHOP, [("shop.web.views", "shop.db.models", "runtime", 33)], [rule], decisions))
    a, b = sarif_report(first.findings, first.rules), sarif_report(moved.findings, moved.rules)
    assert a["version"] == "2.1.0"
    run = a["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["web-no-db"]
    assert run["tool"]["driver"]["rules"][0]["fullDescription"]["text"] == 'Keep SQL behind the core. Decided in docs/adr/0003-live.md "Decision 0003-live.md".'
    [result] = run["results"]
    assert (result["ruleId"], result["level"]) == ("web-no-db", "error")
    assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "shop/web/views.py", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 3}}
    assert result["partialFingerprints"] == b["runs"][0]["results"][0]["partialFingerprints"]
    assert "baselineState" not in result
    flagged = sarif_report([first.findings[0].as_new()], first.rules)
    assert flagged["runs"][0]["results"][0]["baselineState"] == "new"


def test_markdown_report():
    rule = {"id": "web-no-db", "kind": "forbidden", "from": ["web"], "to": ["db"], "because": "docs/adr/0003-live.md"}
    report = check(build(SHOP, [("shop.web.views", "shop.db.models", "runtime", 3)], [rule], {"docs/adr/0003-live.md": "accepted"}))
    text = markdown_report(report)
    assert text.startswith("## Cairn boundary check: BLOCK\n\n1 finding (1 blocking, 0 warnings, 0 notes).")
    assert "| block | `web-no-db` | `shop.web.views` → `shop.db.models` | `shop/web/views.py:3` | [docs/adr/0003-live.md](docs/adr/0003-live.md) |" in text
    assert "| New |" not in text
    assert "| New |" in markdown_report(dataclasses.replace(report, findings=[report.findings[0].as_new()]))
    assert markdown_report(check(build(SHOP, [], [rule], {"docs/adr/0003-live.md": "accepted"}))).startswith(
        "## Cairn boundary check: PASS\n\n0 findings.")


def test_a_large_graph_is_checked_with_every_rule_kind():
    # 5,000 modules in 10 components; correctness of the result is asserted, speed is measured in bench/
    modules = {f"big.c{c}.m{i}": f"c{c}" for c in range(10) for i in range(500)}
    imports = [(f"big.c{c}.m{i}", f"big.c{c}.m{(i * 7 + 1) % 500}") for c in range(10) for i in range(500)]
    imports += [(f"big.c{c}.m{i}", f"big.c{c + 1}.m{i}") for c in range(9) for i in range(0, 500, 50)]
    imports.append(("big.c9.m3", "big.c0.m4"))
    rules = [
        {"id": "layers", "kind": "layers", "layers": [f"c{c}" for c in range(10)], "transitive": True},
        {"id": "dag", "kind": "acyclic"},
        {"id": "forbid", "kind": "forbidden", "from": ["c0"], "to": ["c9"], "transitive": True},
    ]
    report = check(build(modules, imports, rules))
    by_rule = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert {(f.source, f.target) for f in by_rule["layers"]} == {("big.c9.m3", "big.c0.m4")}
    assert len(by_rule["dag"]) == 10  # every component edge of the one big cycle
    # oracle: which c0 modules reach c9 through modules outside c0 and c9, and how far (networkx shortest paths)
    import networkx as nx

    g = nx.DiGraph([(a, b) for a, b in imports])
    c0 = {m for m in modules if m.startswith("big.c0.")}
    c9 = {m for m in modules if m.startswith("big.c9.")}
    allowed = g.subgraph(set(g) - c0 - c9)
    expected: dict[str, int] = {}
    for a in sorted(c0):
        if any(b in c9 for b in g.successors(a)):
            continue  # imports c9 directly: reported for that import
        lengths = [nx.shortest_path_length(allowed, m, n) + 2 for m in g.successors(a) if m in allowed
                   for n in allowed if any(b in c9 for b in g.successors(n)) and nx.has_path(allowed, m, n)]
        if lengths:
            expected[a] = min(lengths) + 1
    found = {f.source: f for f in by_rule["forbid"]}
    assert expected and {a: len(f.chain) for a, f in found.items()} == expected
    for f in found.values():
        assert all(g.has_edge(x, y) for x, y in zip(f.chain, f.chain[1:]))
        assert f.target in c9 and f.importer == f.source and f.imported == "c9"


def test_module_and_component_subjects_are_told_apart():
    # "web" is a component here; "module:web" asks for a module named web, of which there is none
    imports = [("shop.web.views", "shop.db.models"), ("shop.core.service", "external:requests")]
    component_rule = {"id": "c", "kind": "forbidden", "from": ["web"], "to": ["db"]}
    module_rule = {"id": "m", "kind": "forbidden", "from": ["module:web"], "to": ["db"]}
    prefix_rule = {"id": "p", "kind": "forbidden", "from": ["module:shop.web"], "to": ["component:db"]}
    external_rule = {"id": "e", "kind": "forbidden", "from": ["module:shop.core"], "to": ["module:requests"]}
    report = check(build(SHOP, imports, [component_rule, module_rule, prefix_rule, external_rule]))
    assert sorted(pairs(report)) == [("c", "shop.web.views", "shop.db.models"), ("e", "shop.core.service", "external:requests"),
                                     ("p", "shop.web.views", "shop.db.models")]
    assert report.problems == ["rule 'm': 'module:web' matches no component, module or external package"]


# -- the shared vocabulary the check is written in -----------------------------------------------


def test_every_rule_kind_has_exactly_one_contract():
    from cairn.graph.rules import RULE_KINDS

    assert set(CONTRACTS) == set(RULE_KINDS)


def test_severity_is_ordered_and_raises_one_step():
    assert Severity.INFO < Severity.WARN < Severity.BLOCK and max(Severity) is Severity.BLOCK
    assert [s.raised() for s in (Severity.INFO, Severity.WARN, Severity.BLOCK)] == [Severity.WARN, Severity.BLOCK, Severity.BLOCK]
    assert Severity.BLOCK.capped(Severity.INFO) is Severity.INFO and Severity.INFO.capped(Severity.WARN) is Severity.INFO
    assert Verdict.of([]) is Verdict.PASS and Verdict.of([Severity.INFO]) is Verdict.PASS
    assert Verdict.of([Severity.INFO, Severity.WARN]) is Verdict.WARN and Verdict.of([Severity.BLOCK]).blocking


def test_a_baseline_outside_the_checkout_is_refused(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    assert baseline_path(checkout, None) == checkout / ".cairn-baseline.json"
    assert baseline_path(checkout, "ci/known.json") == checkout / "ci" / "known.json"
    with pytest.raises(BaselineError, match=r"leaves the checkout \('\.\.'\)"):
        baseline_path(checkout, "../elsewhere.json")
    with pytest.raises(BaselineError, match="absolute path"):
        baseline_path(checkout, "/etc/passwd")
    outside = tmp_path / "outside.json"
    outside.write_text('{"violations": []}')
    os.symlink(outside, checkout / ".cairn-baseline.json")
    with pytest.raises(BaselineError, match="symlink that resolves outside the checkout"):
        baseline_path(checkout, None)


def test_one_definition_of_a_retired_decision():
    from cairn.graph.decisions import enforcement, is_in_force, is_retired, status_word

    assert status_word("Superseded by 0005") == "superseded" and status_word(None) == ""
    assert [is_retired(s) for s in ("superseded", "Deprecated.", "rejected", "reverted", "obsolete", "accepted", "proposed")] == [
        True, True, True, True, True, False, False]
    assert is_in_force("Accepted (2021)") and is_in_force("amended") and not is_in_force("proposed")
    assert enforcement("reverted") == (False, None) and enforcement("proposed") == (True, Severity.INFO)
    assert enforcement(None) == (True, None)
    # the check and the reading list agree: a reverted decision's rule is not enforced
    rule = {"id": "old", "kind": "forbidden", "from": ["web"], "to": ["db"], "because": "docs/adr/0001-old.md"}
    report = check(build(SHOP, [("shop.web.views", "shop.db.models")], [rule], {"docs/adr/0001-old.md": "reverted"}))
    assert report.findings == [] and [s["rule"] for s in report.skipped_rules] == ["old"]


def test_a_component_subject_holds_the_components_nested_in_it():
    # cometbft: libs/pubsub is a component of its own inside libs; prometheus: storage/remote inside storage. A rule
    # about libs is about everything in its folder (a pubsub import of the mempool broke "libs stay below" unseen)
    modules = {**SHOP, "shop.util": "util", "shop.util.text": "util", "shop.util.pubsub": "pubsub"}
    imports = [("shop.util.pubsub", "shop.core.service", "runtime", 4), ("shop.core.service", "shop.util.text")]
    rule = {"id": "util-below", "kind": "forbidden", "from": ["util"], "to": ["core"]}
    graph = build(modules, imports, [rule])
    assert pairs(check(graph)) == []  # pubsub is not nested yet: a component beside util
    graph.node(Label.COMPONENT, "pubsub").props["parent"] = "util"
    assert pairs(check(graph)) == [("util-below", "shop.util.pubsub", "shop.core.service")]
    for subject in ("component:util", "util"):  # (the explicit form and the bare word alike)
        graph = build(modules, imports, [{**rule, "from": [subject]}])
        graph.node(Label.COMPONENT, "pubsub").props["parent"] = "util"
        assert pairs(check(graph)) == [("util-below", "shop.util.pubsub", "shop.core.service")]
    # acyclic over every component keeps each its own modules: pubsub -> core -> util is a cycle of three, not util's
    cyclic = build(modules, imports + [("shop.util.text", "shop.util.pubsub")], [{"id": "no-cycles", "kind": "acyclic"}])
    cyclic.node(Label.COMPONENT, "pubsub").props["parent"] = "util"
    assert sorted((f.source, f.target) for f in check(cyclic).findings) == [
        ("shop.core.service", "shop.util.text"), ("shop.util.pubsub", "shop.core.service"),
        ("shop.util.text", "shop.util.pubsub")]
    # named both, a module is the more specific subject's
    named = build(modules, imports + [("shop.util.text", "shop.util.pubsub")],
                  [{"id": "no-cycles", "kind": "acyclic", "components": ["util", "pubsub", "core"]}])
    named.node(Label.COMPONENT, "pubsub").props["parent"] = "util"
    assert sorted((f.source, f.target) for f in check(named).findings) == sorted(
        (f.source, f.target) for f in check(cyclic).findings)
