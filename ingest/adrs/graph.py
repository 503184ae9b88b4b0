"""Decisions into the graph: Decision nodes, GOVERNS, SUPERSEDES and AMENDS edges."""

from __future__ import annotations

from typing import Any

from cairn.graph.decisions import GovernsLink
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.adrs.records import Decision
from cairn.ingest.adrs.relations import DecisionSet


def decision_props(d: Decision) -> dict[str, Any]:
    return {
        "path": d.path, "number": d.number, "title": d.title, "status": d.status, "status_raw": d.status_raw,
        "status_inferred": d.status_inferred, "date": d.date, "date_raw": d.date_raw,
        "date_from": d.date_from if d.date else None, "deciders": d.deciders,
        "consulted": d.consulted, "informed": d.informed, "tags": d.tags, "supersedes": d.supersedes,
        "superseded_by": d.superseded_by, "amends": d.amends, "amended_by": d.amended_by,
        "components": [c.name for c in d.components], "format": d.format, "summary": d.summary,
        "component_links": [{"name": c.name, "inferred": c.inferred, "score": c.score, "evidence": c.evidence} for c in d.components],
        "mentions": d.mentions,
    }


def add_decisions(graph: RepoGraph, decision_set: DecisionSet) -> None:
    """Decision nodes, GOVERNS edges to components, SUPERSEDES / AMENDS edges between decisions.

    A link to a component that is not in the graph is kept on the decision
    (``components``) but gets no edge. Problems are recorded on the Repository
    node as ``decision_problems``.
    """
    nodes = {}
    for d in decision_set.decisions:
        nodes[d.path] = graph.add_node(Label.DECISION, d.path, **decision_props(d))
    for d in decision_set.decisions:
        for link in d.components:
            comp = graph.node(Label.COMPONENT, link.name)
            if comp is not None:
                graph.add_edge(Rel.GOVERNS, nodes[d.path], comp, **GovernsLink(link.inferred, link.score).to_props())
        for target in d.supersedes:
            graph.add_edge(Rel.SUPERSEDES, nodes[d.path], nodes[target])
        for target in d.amends:
            graph.add_edge(Rel.AMENDS, nodes[d.path], nodes[target])
    repo = graph.repository
    if repo is not None:
        repo.props["decision_problems"] = [p.to_dict() for p in decision_set.problems]
        repo.props["adr_folders"] = list(decision_set.folders)
