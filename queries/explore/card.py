"""The component card: what one component is for and everything a newcomer needs to know about it.

Its purpose (from the configuration, else the newest decision in force that
governs it, else the README of its directory), its modules, what it depends on
and what depends on it, the external packages it uses (the standard library
apart: ``stdlib`` on the ExternalPackage node, set at ingest), the decisions that
govern it (explicit links first; an inferred link carries the ``confidence``
ingest gave it, read through ``graph.decisions.GovernsLink``), who holds its
knowledge (each holder marked ``active`` or ``gone``, by
``queries.ownership.presence``), who declared ownership, recent activity,
and the repository's own instructions to coding agents that cover it (quoted
as repository-supplied data, an excerpt each; see ``queries.agent_instructions``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from cairn.graph.decisions import GovernsLink, is_retired
from cairn.graph.model import Label, Node, Rel, RepoGraph
from cairn.graph.people import KnowledgeHolder
from cairn.queries import agent_instructions
from cairn.queries.explore.common import as_text, component_node, decision_order, decision_summary, negated, person_name
from cairn.queries.ownership import gone_people, presence

README_NAMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
PURPOSE_MAX_CHARS = 600
RECENT_ACTIVITY_LIMIT = 15
CARD_INSTRUCTIONS_CHARS = 400


def component_card(graph: RepoGraph, name: str) -> dict[str, Any]:
    """Everything a newcomer needs to know about one component."""
    comp = component_node(graph, name)
    modules = sorted(
        (m for m in graph.of_label(Label.MODULE) if m.get("component") == name), key=lambda m: m.key
    )
    module_ids = {m.id for m in modules}
    file_nodes = {f.id: f for f in graph.of_label(Label.FILE) if f.get("component") == name}

    depends_on, used_by = [], []
    for e in graph.of_type(Rel.DEPENDS_ON):
        src, tgt = graph.nodes[e.source], graph.nodes[e.target]
        entry = {"count": int(e.get("count") or 0), "kinds": dict(e.get("kinds") or {})}
        if src.id == comp.id:
            depends_on.append({"component": tgt.key, **entry})
        elif tgt.id == comp.id:
            used_by.append({"component": src.key, **entry})
    depends_on.sort(key=lambda d: (-d["count"], d["component"]))
    used_by.sort(key=lambda d: (-d["count"], d["component"]))

    externals: Counter[str] = Counter()
    standard_library: Counter[str] = Counter()
    for e in graph.of_type(Rel.IMPORTS):
        if e.source in module_ids:
            tgt = graph.nodes[e.target]
            if tgt.label is Label.EXTERNAL:
                (standard_library if tgt.get("stdlib") else externals)[tgt.key] += 1

    decisions = governing_decisions(graph, comp, module_ids)
    description, purpose_source = _purpose(graph, comp, decisions)

    return {
        "repository": graph.repo,
        "name": name,
        "description": description,
        "purpose_source": purpose_source,
        "paths": list(comp.get("paths") or []),
        "system": comp.get("system"),
        "domain": comp.get("domain"),
        "inferred": bool(comp.get("inferred")),
        "files": int(comp.get("files") or len(file_nodes)),
        "module_count": len(modules),
        "modules": [
            {"name": m.key, "path": m.get("path"), "language": m.get("language")} for m in modules
        ],
        "depends_on": depends_on,
        "used_by": used_by,
        "external_packages": _by_use(externals),
        "standard_library": _by_use(standard_library),
        "decisions": [{k: v for k, v in d.items() if k != "_node"} for d in decisions],
        "bus_factor": {
            "truck_factor": comp.get("truck_factor"),
            "human_truck_factor": comp.get("human_truck_factor"),
            "at_risk": comp.get("at_risk"),
            "knowledge_holders": holders_with_activity(graph, KnowledgeHolder.of(comp)),
        },
        "owners": _declared_owners(graph, comp, file_nodes),
        "recent_activity": _recent_activity(graph, file_nodes),
        "agent_instructions": [agent_instructions.quote(n, chars=CARD_INSTRUCTIONS_CHARS)
                               for n in agent_instructions.for_components(graph, [name])],
    }


def _by_use(imports: Counter[str]) -> list[dict[str, Any]]:
    return [{"name": n, "imports": c} for n, c in sorted(imports.items(), key=lambda kv: (-kv[1], kv[0]))]


def governing_decisions(graph: RepoGraph, comp: Node, module_ids: set[str]) -> list[dict[str, Any]]:
    """Decisions that GOVERN the component or one of its modules, accepted and newest first."""
    found: dict[str, dict[str, Any]] = {}
    for e in graph.of_type(Rel.GOVERNS):
        if e.target != comp.id and e.target not in module_ids:
            continue
        node = graph.nodes.get(e.source)
        if node is None or node.label is not Label.DECISION:
            continue
        entry = found.get(node.id)
        link = GovernsLink.from_edge(e)
        if entry is None or (entry["inferred"] and not link.inferred):
            found[node.id] = {
                **decision_summary(node),
                "inferred": link.inferred,
                "confidence": link.confidence,
                "via": "component" if e.target == comp.id else graph.nodes[e.target].key,
                "_node": node,
            }
    return sorted(found.values(), key=lambda d: decision_order(d["_node"], d["inferred"]))


def _purpose(graph: RepoGraph, comp: Node, decisions: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    description = comp.get("description")
    if description:
        return str(description).strip(), "configuration"
    for d in decisions:
        node = d["_node"]
        if is_retired(node.get("status")):
            continue
        text = node.get("summary") or node.get("text_excerpt")
        if text:
            return _shorten(str(text)), f"decision {node.key}"
    readme = _readme_purpose(graph, comp)
    if readme:
        return readme
    return None, None


def _component_dirs(comp: Node) -> list[str]:
    dirs = []
    for pattern in comp.get("paths") or []:
        literal = re.split(r"[*?\[]", str(pattern), maxsplit=1)[0].strip("/")
        if literal and "." in literal.rsplit("/", 1)[-1] and not re.search(r"[*?\[]", str(pattern)):
            literal = literal.rsplit("/", 1)[0] if "/" in literal else ""  # a file pattern: its directory
        if literal not in dirs:
            dirs.append(literal)
    return dirs


def _readme_purpose(graph: RepoGraph, comp: Node) -> tuple[str, str] | None:
    repo_node = graph.repository
    root_text = repo_node.get("path") if repo_node else None
    if not root_text:
        return None
    root = Path(root_text)
    try:
        root = root.resolve()
    except OSError:
        return None
    for directory in _component_dirs(comp):
        if not directory:
            continue  # the repository's own README describes the repository, not the component
        for name in README_NAMES:
            candidate = root / directory / name
            try:
                resolved = candidate.resolve()
                if not resolved.is_relative_to(root) or not resolved.is_file():
                    continue
                text = resolved.read_text(encoding="utf-8", errors="replace")[:20_000]
            except OSError:
                continue
            paragraph = first_paragraph(text)
            if paragraph:
                return paragraph, f"{directory}/{name}"
    return None


def first_paragraph(markdown: str) -> str | None:
    """The first prose paragraph of a README: no headings, badges, front matter or code."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        lines = lines[end + 1:] if end else lines
    paragraph: list[str] = []
    in_code = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            if paragraph:
                break
            continue
        if in_code:
            continue
        heading = stripped.startswith("#") or re.fullmatch(r"[=\-~^]{3,}", stripped or "x")
        badge = stripped.startswith(("[![", "![", "<", ".. "))
        if not stripped or heading or badge:
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    if not paragraph:
        return None
    text = " ".join(paragraph)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their text
    text = re.sub(r"[*_`]{1,3}([^*_`]+)[*_`]{1,3}", r"\1", text)
    return _shorten(text)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= PURPOSE_MAX_CHARS:
        return text
    cut = text[:PURPOSE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _declared_owners(graph: RepoGraph, comp: Node, file_nodes: dict[str, Node]) -> list[dict[str, Any]]:
    """Owners declared by CODEOWNERS: of the component itself, or of its files (with how many)."""
    owners: dict[str, dict[str, Any]] = {}
    for e in graph.of_type(Rel.OWNS):
        if e.target != comp.id and e.target not in file_nodes:
            continue
        owner = graph.nodes.get(e.source)
        if owner is None:
            continue
        entry = owners.setdefault(owner.id, {
            "owner": owner.key,
            "name": person_name(owner, owner.key) if owner.label is Label.PERSON else owner.key,
            "kind": "team" if owner.label is Label.TEAM else "person",
            "handle": owner.key if owner.label is Label.TEAM else next(iter(owner.get("owner_handles") or []), None),
            "component": False,
            "files": 0,
        })
        if e.target == comp.id:
            entry["component"] = True
        else:
            entry["files"] += 1
    return sorted(owners.values(), key=lambda o: (not o["component"], -o["files"], o["owner"]))


def _recent_activity(graph: RepoGraph, file_nodes: dict[str, Node]) -> list[dict[str, Any]]:
    touches = []
    for e in graph.of_type(Rel.KNOWS):
        if e.target not in file_nodes:
            continue
        when = as_text(e.get("last_touch"))
        if not when:
            continue
        person = graph.nodes.get(e.source)
        touches.append({
            "person": person.key if person else e.source,
            "name": person_name(person, e.source),
            "kind": person.get("kind") if person else None,
            "file": file_nodes[e.target].key,
            "last_touch": when,
        })
    touches.sort(key=lambda t: (negated(t["last_touch"]), t["file"], t["person"]))
    return touches[:RECENT_ACTIVITY_LIMIT]


def holders_with_activity(graph: RepoGraph, holders: list[KnowledgeHolder]) -> list[dict[str, Any]]:
    """Knowledge holders as rows, each with ``active``, ``gone`` and ``last_active`` (``queries.ownership.presence``)."""
    gone, _ = gone_people(graph)
    rows = []
    for h in holders:
        person = graph.node(Label.PERSON, h.id) if h.id else None
        rows.append({**h.to_props(), **presence(person, gone.get(person.id) if person is not None else None)})
    return rows
