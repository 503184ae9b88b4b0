"""Decisions and rules as stored: the listings ``cairn adrs``, the HTTP API and the agent tools share.

``decision_list`` gives every decision record with its status, date,
deciders, supersession and amendment links, governed components and the rules
it declares, and the problems met reading the records. ``rule_list`` gives
every boundary rule with the decision behind it, or only the rules that name a
component.
"""

from __future__ import annotations

from typing import Any

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.queries.explore.common import component_node

DECISION_FIELDS = ("path", "number", "title", "status", "status_raw", "date", "date_from", "deciders", "summary", "supersedes",
                   "superseded_by", "amends", "amended_by", "components")
_LIST_FIELDS = ("deciders", "supersedes", "superseded_by", "amends", "amended_by", "components")


def decision_list(graph: RepoGraph) -> dict[str, Any]:
    """``{"decisions": [...], "problems": [...]}`` as ``cairn adrs --format json`` prints it."""
    rules_of: dict[str, list[str]] = {}
    for e in graph.of_type(Rel.DECLARED_BY):
        rules_of.setdefault(graph.nodes[e.target].key, []).append(graph.nodes[e.source].key)
    decisions = []
    for node in sorted(graph.of_label(Label.DECISION), key=lambda n: n.key):
        item = {name: node.get(name) for name in DECISION_FIELDS}
        for name in _LIST_FIELDS:
            item[name] = list(item[name] or [])
        item["rules"] = sorted(rules_of.get(node.key, []))
        decisions.append(item)
    repo = graph.repository
    problems = list((repo.get("decision_problems") if repo is not None else None) or [])
    return {"decisions": decisions, "problems": problems}


def rule_list(graph: RepoGraph, component: str | None = None) -> dict[str, Any]:
    """The boundary rules with the decision behind each; with ``component``, only the rules that name it."""
    if component is not None:
        component_node(graph, component)  # an unknown name is an error, with suggestions
    declared_by = {e.source: graph.nodes[e.target].key for e in graph.of_type(Rel.DECLARED_BY)}
    rows = []
    for rule in sorted(graph.of_label(Label.RULE), key=lambda n: n.key):
        props = {k: v for k, v in rule.props.items() if k != "repo"}
        if component is not None and not _mentions(props, component):
            continue
        rows.append({**props, "id": rule.key, "decision": declared_by.get(rule.id, props.get("because"))})
    return {"repository": graph.repo, "component": component, "rules": rows}


def _mentions(value: Any, name: str) -> bool:
    if isinstance(value, str):
        return value == name or value.startswith(name + ".") or value.startswith(name + "/")
    if isinstance(value, dict):
        return any(_mentions(v, name) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_mentions(v, name) for v in value)
    return False
