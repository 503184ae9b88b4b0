"""Onboarding exploration over one repository's graph.

What lives here: the component card (what a component is for, its modules,
what it depends on and what depends on it, the decisions that govern it, who
holds its knowledge and who declared ownership, recent activity), the shortest
dependency path between two components or modules, the most central modules,
a reading list for a newcomer, and search by name.

Everything computes on a ``RepoGraph``; the results are JSON-like dicts shared
by the CLI, the HTTP API and the agent tools. Properties written by other
ingest steps (decisions, history, derived bus factor) are read defensively: a
graph ingested without them still gives a useful card.

Centrality: PageRank over the module import graph, with edges pointing from the
importer to the imported module. Rank flows towards what is depended upon,
directly or through other heavily used modules, so the top modules are the
foundations a newcomer meets everywhere. Plain in-degree ranks a module
imported by many leaf scripts as high as one the whole system rests on;
PageRank does not.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from cairn.graph.model import Label, Node, Rel, RepoGraph
from cairn.queries.dependencies import component_digraph, module_digraph

#: Decision statuses that no longer guide the code; left out of reading lists.
RETIRED_STATUSES = ("superseded", "deprecated", "rejected", "reverted", "obsolete")
README_NAMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
PURPOSE_MAX_CHARS = 600
RECENT_ACTIVITY_LIMIT = 15


class UnknownName(LookupError):
    """A component, module or decision name that the graph does not hold; the message suggests close matches."""

    def __init__(self, kind: str, name: str, candidates: Iterable[str], repo: str):
        self.kind, self.name = kind, name
        close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else f"; `cairn search {name}` lists what matches"
        super().__init__(f"no {kind} named {name!r} in repository {repo}{hint}")


# -- small readers ----------------------------------------------------------------


def _person_name(node: Node | None, fallback: str) -> str:
    if node is None:
        return fallback
    return str(node.get("name") or node.get("display_name") or node.key)


def _decision_summary(node: Node) -> dict[str, Any]:
    return {
        "path": node.key,
        "number": node.get("number"),
        "title": node.get("title") or Path(node.key).stem,
        "status": node.get("status"),
        "date": _as_text(node.get("date")),
    }


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).isoformat(timespec="seconds")
    return str(value)


def _status(node: Node) -> str:
    return str(node.get("status") or "").strip().lower()


def _is_retired(node: Node) -> bool:
    return _status(node).startswith(RETIRED_STATUSES)


def _is_accepted(node: Node) -> bool:
    # "accepted", "Accepted (2021)", "approved": the decision is in force.
    return _status(node).startswith(("accepted", "approved", "adopted"))


def _component(graph: RepoGraph, name: str) -> Node:
    node = graph.node(Label.COMPONENT, name)
    if node is None:
        raise UnknownName("component", name, (c.key for c in graph.of_label(Label.COMPONENT)), graph.repo)
    return node


def _edges_into(graph: RepoGraph, nid: str, rel: Rel) -> list:
    return [e for e in graph.of_type(rel) if e.target == nid]


# -- the component card -------------------------------------------------------------


def component_card(graph: RepoGraph, name: str) -> dict[str, Any]:
    """Everything a newcomer needs to know about one component."""
    comp = _component(graph, name)
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
    for e in graph.of_type(Rel.IMPORTS):
        if e.source in module_ids:
            tgt = graph.nodes[e.target]
            if tgt.label is Label.EXTERNAL:
                externals[tgt.key] += 1

    decisions = _governing_decisions(graph, comp, module_ids)
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
        "external_packages": [{"name": n, "imports": c} for n, c in sorted(externals.items(), key=lambda kv: (-kv[1], kv[0]))],
        "decisions": [{k: v for k, v in d.items() if k != "_node"} for d in decisions],
        "bus_factor": {
            "truck_factor": comp.get("truck_factor"),
            "human_truck_factor": comp.get("human_truck_factor"),
            "at_risk": comp.get("at_risk"),
            "knowledge_holders": list(comp.get("knowledge_holders") or []),
        },
        "owners": _declared_owners(graph, comp, file_nodes),
        "recent_activity": _recent_activity(graph, file_nodes),
    }


def _governing_decisions(graph: RepoGraph, comp: Node, module_ids: set[str]) -> list[dict[str, Any]]:
    """Decisions that GOVERN the component or one of its modules, accepted and newest first."""
    found: dict[str, dict[str, Any]] = {}
    for e in graph.of_type(Rel.GOVERNS):
        if e.target != comp.id and e.target not in module_ids:
            continue
        node = graph.nodes.get(e.source)
        if node is None or node.label is not Label.DECISION:
            continue
        entry = found.get(node.id)
        inferred = bool(e.get("inferred"))
        if entry is None or (entry["inferred"] and not inferred):
            found[node.id] = {
                **_decision_summary(node),
                "inferred": inferred,
                "confidence": e.get("confidence"),
                "via": "component" if e.target == comp.id else graph.nodes[e.target].key,
                "_node": node,
            }
    return sorted(found.values(), key=lambda d: _decision_order(d["_node"], d["inferred"]))


def _decision_order(node: Node, inferred: bool = False) -> tuple:
    # Accepted first, then the rest, retired last; newest first within each; explicit links before inferred.
    group = 0 if _is_accepted(node) else 2 if _is_retired(node) else 1
    date = _as_text(node.get("date")) or ""
    return (group, inferred, not date, _negated(date), node.key)


def _negated(text: str) -> tuple:
    # Sort strings descending inside an ascending key.
    return tuple(-ord(ch) for ch in text)


def _purpose(graph: RepoGraph, comp: Node, decisions: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    description = comp.get("description")
    if description:
        return str(description).strip(), "configuration"
    for d in decisions:
        node = d["_node"]
        if _is_retired(node):
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
            "name": _person_name(owner, owner.key) if owner.label is Label.PERSON else owner.key,
            "kind": "team" if owner.label is Label.TEAM else "person",
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
        when = _as_text(e.get("last_touch"))
        if not when:
            continue
        person = graph.nodes.get(e.source)
        touches.append({
            "person": person.key if person else e.source,
            "name": _person_name(person, e.source),
            "kind": person.get("kind") if person else None,
            "file": file_nodes[e.target].key,
            "last_touch": when,
        })
    touches.sort(key=lambda t: (_negated(t["last_touch"]), t["file"], t["person"]))
    return touches[:RECENT_ACTIVITY_LIMIT]


# -- paths ----------------------------------------------------------------------------


def _resolve_endpoint(graph: RepoGraph, name: str) -> tuple[str, str]:
    """('component' | 'module', key) for a name; ``component:``/``module:`` prefixes disambiguate."""
    kind = None
    if ":" in name and name.split(":", 1)[0] in ("component", "module"):
        kind, name = name.split(":", 1)
    if kind in (None, "component") and graph.node(Label.COMPONENT, name) is not None:
        return "component", name
    if kind in (None, "module") and graph.node(Label.MODULE, name) is not None:
        return "module", name
    candidates = [c.key for c in graph.of_label(Label.COMPONENT)] + [m.key for m in graph.of_label(Label.MODULE)]
    raise UnknownName(kind or "component or module", name, candidates, graph.repo)


def shortest_path(graph: RepoGraph, a: str, b: str) -> dict[str, Any]:
    """The shortest chain of dependencies by which ``a`` depends on ``b``.

    Between two components the path runs over component dependencies; as soon
    as one end is a module it runs over module imports, a component end
    standing for any of its modules.
    """
    kind_a, key_a = _resolve_endpoint(graph, a)
    kind_b, key_b = _resolve_endpoint(graph, b)
    result: dict[str, Any] = {"from": key_a, "to": key_b, "from_kind": kind_a, "to_kind": kind_b}
    if kind_a == kind_b == "component":
        g = component_digraph(graph)
        result["level"] = "component"
        path = _path_or_none(g, key_a, key_b)
        reverse = _path_or_none(g, key_b, key_a) if path is None else None
        result["edges"] = [
            {"source": s, "target": t, "count": g.edges[s, t].get("count", 0)} for s, t in zip(path or [], (path or [])[1:])
        ]
    else:
        g = module_digraph(graph)
        result["level"] = "module"
        source = _endpoint_node(g, kind_a, key_a, "from")
        target = _endpoint_node(g, kind_b, key_b, "to")
        path = _path_or_none(g, source, target)
        reverse = _path_or_none(g, _endpoint_node(g, kind_b, key_b, "from"), _endpoint_node(g, kind_a, key_a, "to")) if path is None else None
        path, reverse = _strip_virtual(path), _strip_virtual(reverse)
        result["edges"] = [
            {"source": s, "target": t, "kind": g.edges[s, t].get("kind"), "lines": list(g.edges[s, t].get("lines") or [])}
            for s, t in zip(path or [], (path or [])[1:])
        ]
    result["found"] = path is not None
    result["path"] = path or []
    result["length"] = len(path) - 1 if path else None
    result["reverse_path"] = reverse or []
    if path is None:
        msg = f"{key_a} does not depend on {key_b}, directly or indirectly"
        if reverse:
            msg += f"; the other way round, {key_b} depends on {key_a} via {' -> '.join(reverse)}"
        result["message"] = msg
    elif len(path) == 1:
        result["message"] = f"{key_a} and {key_b} are the same"
    else:
        result["message"] = f"{key_a} depends on {key_b} in {len(path) - 1} step(s): {' -> '.join(path)}"
    return result


_VIRTUAL = "\0endpoint:"


def _endpoint_node(g: nx.DiGraph, kind: str, key: str, role: str) -> str:
    if kind == "module":
        return key
    # A component end: a virtual node linked to (or from) each of the component's modules.
    virtual = f"{_VIRTUAL}{role}:{key}"
    members = [n for n, data in g.nodes(data=True) if data.get("component") == key]
    g.add_node(virtual)
    for m in members:
        if role == "from":
            g.add_edge(virtual, m)
        else:
            g.add_edge(m, virtual)
    return virtual


def _strip_virtual(path: list[str] | None) -> list[str] | None:
    if path is None:
        return None
    return [p for p in path if not p.startswith(_VIRTUAL)]


def _path_or_none(g: nx.DiGraph, a: str, b: str) -> list[str] | None:
    try:
        return nx.shortest_path(g, a, b)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


# -- centrality -------------------------------------------------------------------------


def _pagerank(g: nx.DiGraph) -> dict[str, float]:
    if g.number_of_nodes() == 0:
        return {}
    try:
        return nx.pagerank(g)
    except ModuleNotFoundError:  # networkx's fast path needs scipy; the reference implementation gives the same ranks
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(g)


def central_modules(graph: RepoGraph, limit: int = 10, *, component: str | None = None) -> list[dict[str, Any]]:
    """The most central modules by PageRank on the import graph (see the module docstring)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if component is not None:
        _component(graph, component)
    g = module_digraph(graph)
    ranks = _pagerank(g)
    rows = []
    for name, score in ranks.items():
        data = g.nodes[name]
        if component is not None and data.get("component") != component:
            continue
        rows.append({
            "module": name,
            "component": data.get("component"),
            "path": (graph.node(Label.MODULE, name) or Node(Label.MODULE, graph.repo, name)).get("path"),
            "score": round(score, 6),
            "imported_by": g.in_degree(name),
            "imports": g.out_degree(name),
        })
    rows.sort(key=lambda r: (-r["score"], -r["imported_by"], r["module"]))
    return rows[:limit]


# -- reading list ------------------------------------------------------------------------


def _holder_names(value: Any) -> list[tuple[str, str]]:
    """(id, display name) pairs from a ``knowledge_holders`` property, whatever its exact shape."""
    out = []
    for holder in value or []:
        if isinstance(holder, str):
            out.append((holder, holder))
        elif isinstance(holder, dict):
            ident = holder.get("id") or holder.get("person") or holder.get("email") or holder.get("name")
            if ident:
                out.append((str(ident), str(holder.get("name") or holder.get("display_name") or ident)))
    return out


def reading_list(graph: RepoGraph, component: str | None = None, *, modules: int = 8, people: int = 5) -> dict[str, Any]:
    """What a newcomer should read first: decisions in force, then central modules, then people to ask."""
    if component is not None:
        comp = _component(graph, component)
        module_ids = {m.id for m in graph.of_label(Label.MODULE) if m.get("component") == component}
        decision_rows = [d for d in _governing_decisions(graph, comp, module_ids) if not _is_retired(d["_node"])]
        decision_rows = [{k: v for k, v in d.items() if k != "_node"} for d in decision_rows]
        comps = [comp]
    else:
        nodes = [d for d in graph.of_label(Label.DECISION) if not _is_retired(d)]
        nodes.sort(key=_decision_order)
        decision_rows = [_decision_summary(d) for d in nodes]
        comps = graph.of_label(Label.COMPONENT)
    central = central_modules(graph, modules, component=component) if graph.of_label(Label.MODULE) else []

    # People: knowledge holders (ranked by how many of the components they hold), then declared owners.
    # Holders may be stored by display name; resolve them to Person nodes so nobody is listed twice.
    by_name = {str(p.get("name")): p.key for p in graph.of_label(Label.PERSON) if p.get("name")}
    score: Counter[str] = Counter()
    names: dict[str, str] = {}
    reasons: dict[str, list[str]] = {}
    for c in comps:
        for rank, (ident, name) in enumerate(_holder_names(c.get("knowledge_holders"))):
            if graph.node(Label.PERSON, ident) is None:
                ident = by_name.get(ident, by_name.get(name, ident))
            score[ident] += 100 - min(rank, 99)
            names.setdefault(ident, name)
            reasons.setdefault(ident, []).append(f"knows {c.key}")
    comp_ids = {c.id for c in comps}
    for e in graph.of_type(Rel.OWNS):
        if e.target in comp_ids:
            owner = graph.nodes.get(e.source)
            if owner is not None:
                score[owner.key] += 1
                names.setdefault(owner.key, _person_name(owner, owner.key) if owner.label is Label.PERSON else owner.key)
                reasons.setdefault(owner.key, []).append(f"declared owner of {graph.nodes[e.target].key}")
    people_rows = [
        {"person": ident, "name": names[ident], "why": "; ".join(sorted(set(reasons[ident])))}
        for ident, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:people]
    ]

    items: list[dict[str, Any]] = []
    for d in decision_rows:
        items.append({"kind": "decision", "title": d["title"], "ref": d["path"],
                      "why": f"{d.get('status') or 'decision'}" + (f", {d['date']}" if d.get("date") else "")})
    for m in central:
        items.append({"kind": "module", "title": m["module"], "ref": m["path"] or m["module"],
                      "why": f"imported by {m['imported_by']} module(s); PageRank {m['score']:.4f}"})
    for p in people_rows:
        items.append({"kind": "person", "title": p["name"], "ref": p["person"], "why": p["why"]})
    return {
        "repository": graph.repo,
        "component": component,
        "decisions": decision_rows,
        "modules": central,
        "people": people_rows,
        "items": items,
    }


# -- search -------------------------------------------------------------------------------

_KIND_ORDER = {"component": 0, "decision": 1, "module": 2, "person": 3}


def _match_rank(query: str, text: str) -> int | None:
    """0 exact, 1 prefix, 2 starts a word or segment, 3 anywhere; None if absent."""
    t = text.lower()
    if t == query:
        return 0
    if t.startswith(query):
        return 1
    pos = t.find(query)
    if pos < 0:
        return None
    while pos >= 0:
        if not t[pos - 1].isalnum():
            return 2
        pos = t.find(query, pos + 1)
    return 3


def search(graph: RepoGraph, q: str, *, limit: int = 50) -> dict[str, Any]:
    """Components, modules, people and decisions whose name or title contains ``q`` (case-insensitive)."""
    query = (q or "").strip().lower()
    if not query:
        raise ValueError("the search query is empty: give part of a component, module, person or decision name")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results = []

    def consider(kind: str, name: str, title: str | None, texts: Iterable[Any], extra: dict[str, Any]) -> None:
        ranks = [r for r in (_match_rank(query, str(t)) for t in texts if t) if r is not None]
        if ranks:
            results.append({"kind": kind, "name": name, "title": title or name, "match": ("exact", "prefix", "word", "substring")[min(ranks)],
                            "_rank": (min(ranks), _KIND_ORDER[kind], len(name), name), **extra})

    for c in graph.of_label(Label.COMPONENT):
        consider("component", c.key, c.key, [c.key], {"at_risk": c.get("at_risk")})
    for m in graph.of_label(Label.MODULE):
        consider("module", m.key, m.key, [m.key, m.get("path")], {"component": m.get("component"), "path": m.get("path")})
    for p in graph.of_label(Label.PERSON):
        aliases = p.get("aliases") or []
        emails = p.get("emails") or []
        consider("person", p.key, _person_name(p, p.key), [p.key, p.get("name"), p.get("display_name"), p.get("email"), *aliases, *emails],
                 {"person_kind": p.get("kind")})
    for d in graph.of_label(Label.DECISION):
        title = d.get("title") or Path(d.key).stem
        number = d.get("number")
        consider("decision", d.key, str(title), [title, d.key, f"adr-{number}" if number is not None else None, str(number) if number is not None else None],
                 {"status": d.get("status")})
    results.sort(key=lambda r: r["_rank"])
    total = len(results)
    for r in results:
        del r["_rank"]
    return {"query": q.strip(), "total": total, "results": results[:limit]}


# -- listings shared by the interfaces ---------------------------------------------------------


def component_summaries(graph: RepoGraph) -> list[dict[str, Any]]:
    """One row per component: size and knowledge risk, riskiest first is left to the caller."""
    module_counts = Counter(m.get("component") for m in graph.of_label(Label.MODULE))
    out = []
    for c in sorted(graph.of_label(Label.COMPONENT), key=lambda n: n.key):
        out.append({
            "name": c.key,
            "modules": module_counts.get(c.key, 0),
            "files": int(c.get("files") or 0),
            "truck_factor": c.get("truck_factor"),
            "human_truck_factor": c.get("human_truck_factor"),
            "at_risk": c.get("at_risk"),
            "inferred": bool(c.get("inferred")),
            "description": c.get("description"),
        })
    return out
