"""Decisions into the graph: Decision nodes, GOVERNS links to components, SUPERSEDES / AMENDS between decisions.

``ingest.adrs`` reads the decision records of a checkout; this module writes
what it read into the model. A GOVERNS edge is written through
``graph.decisions.GovernsLink`` — the same class the analyses read it with —
so an inferred link carries its ``confidence`` wherever it is shown.
"""

from __future__ import annotations

from cairn.graph.decisions import GovernsLink
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.adrs import DecisionSet, decision_props


def add_decisions(graph: RepoGraph, decision_set: DecisionSet) -> None:
    """Decision nodes, GOVERNS edges to components, SUPERSEDES / AMENDS edges between decisions.

    A link to a component that is not in the graph is kept on the decision
    (``components``) but gets no edge. Problems are recorded on the Repository
    node as ``decision_problems``, the folders read as ``adr_folders``.
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
