"""The agent inventory: which coding agents worked on the repository, where, and with which humans.

From what ingest stored (``ingest.cochange``): every agent identity with the
commits it assisted (as author, as a co-author or reviewer trailer, or marked
in the message), the components those commits changed (most changed first),
the humans who shepherded them (authors, co-authors, reviewers and committers
on the same commits, most frequent first), and the first and last such commit;
per component, the share of its recent commits (the last ``[agents]
recent_days`` before the newest commit) that were agent-assisted.
"""

from __future__ import annotations

from typing import Any

from cairn.graph.errors import NoChangeHistory, UnknownName
from cairn.graph.model import Label, RepoGraph


def agents(graph: RepoGraph, *, component: str | None = None) -> dict[str, Any]:
    """``{"agents": [{"name", "commits", "components", "humans", "first", "last"}], "components": [{"name", "agent_share"}]}``."""
    repo = graph.repository
    if repo is None or repo.get("agent_assisted_commits") is None:
        raise NoChangeHistory(f"repository {graph.repo} has no agent inventory: ingest it (with its git history) first")
    if component is not None and graph.node(Label.COMPONENT, component) is None:
        names = sorted(n.key for n in graph.of_label(Label.COMPONENT))
        known = ", ".join(names) or "none"
        raise UnknownName(f"no component named {component!r} (components: {known})", kind="component", name=component, suggestions=names)
    names = {n.key: str(n.get("name") or n.key) for n in graph.of_label(Label.PERSON)}
    rows = []
    for node in graph.of_label(Label.PERSON):
        if node.get("kind") != "agent" or not node.get("assisted_commits"):
            continue
        components = list(node.get("assisted_components") or [])
        if component is not None and component not in components:
            continue
        rows.append({
            "name": names[node.key], "id": node.key, "commits": int(node.get("assisted_commits")),
            # by name, each once: a person split over two identities (ibc-go's srdtrk) was listed twice
            "components": components, "humans": list(dict.fromkeys(names.get(h, h) for h in node.get("shepherds") or [])),
            "first": node.get("first_assisted"), "last": node.get("last_assisted"),
        })
    rows.sort(key=lambda r: (-r["commits"], r["name"], r["id"]))
    comps = []
    for node in sorted(graph.of_label(Label.COMPONENT), key=lambda n: n.key):
        if component is not None and node.key != component:
            continue
        comps.append({"name": node.key, "agent_share": node.get("agent_share"), "recent_commits": node.get("recent_commits"),
                      "agent_commits": node.get("recent_agent_commits")})
    comps.sort(key=lambda c: (c["agent_share"] is None, -(c["agent_share"] or 0), c["name"]))
    return {
        "repository": graph.repo, "assisted_commits": repo.get("agent_assisted_commits"),
        "recent_days": repo.get("agent_recent_days"), "agents": rows, "components": comps,
    }
