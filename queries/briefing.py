"""The briefing: what an agent (or a person) should know before changing some files or a component.

For the paths given (files, directories, files not written yet) or one
component, in one compact answer:

* ``components`` — the component(s) those files are in: purpose, size, truck
  factor and risk, what they depend on and what depends on them;
* ``rules`` — the boundary rules naming those components, each with the
  decision behind it (ADR path, title, status);
* ``decisions`` — the decisions governing them: in force first; among those, for paths, the ones whose text
  names a directory nearest to them first (``queries.decision_nearness``; ``near`` says which), then explicit
  before inferred, newest first;
* ``ask`` / ``codeowners`` — who to ask (as who-knows says: the active people
  who changed the files, by their recent work on them, then declared owners
  still here; see ``queries.who_knows``) and the declared owners;
* ``changes_with`` — what usually changes together with these files or
  components (``CO_CHANGES`` edges, strongest first, partners outside the
  scope only); ``None`` with a note when the graph has no change coupling;
* ``agent_activity`` — agent-assisted work there when the ingest recorded it
  (``agent_share`` on components, agents' ``assisted_components``), else what
  the repository's history says about agents as a whole;
* ``recent_changes`` — the latest human changes to those files;
* ``instructions`` — the repository's own instructions to agents that apply
  (``queries.agent_instructions``), quoted as repository-supplied data: an
  excerpt each unless ``full_text``.

Every list holds at most ``limit`` rows; ``omitted`` counts what was left out.
"""

from __future__ import annotations

from typing import Any, Iterable

from cairn.graph.decisions import is_retired
from cairn.graph.errors import InvalidQuery
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.queries import agent_instructions
from cairn.queries.decision_nearness import nearness
from cairn.queries.decisions import rule_list
from cairn.graph.not_counted import NOT_COUNTED_WHY, not_counted
from cairn.queries.explore.card import governing_decisions
from cairn.queries.explore.common import component_node, decision_summary, negated, person_name
from cairn.queries.who_knows import MAX_PATHS, KnowledgeIndex, Scope, check_limit, normalise_path, people_to_ask

DESCRIPTION_CHARS = 240
MAX_INSTRUCTION_FILES = 4
ASK = 3


def briefing(graph: RepoGraph, *, paths: Iterable[str] | None = None, component: str | None = None, limit: int = 5,
             full_text: bool = False) -> dict[str, Any]:
    """What to know before changing ``paths`` or ``component`` (see the module docstring)."""
    wanted = [normalise_path(p) for p in (paths or []) if str(p or "").strip()]
    if bool(wanted) == bool(component):
        raise InvalidQuery("give either paths (files or directories you are about to change) or one component")
    if len(wanted) > MAX_PATHS:
        raise InvalidQuery(f"at most {MAX_PATHS} paths per briefing ({len(wanted)} given); give their common directory instead")
    check_limit(limit)
    index = KnowledgeIndex.of(graph)
    omitted: dict[str, int] = {}
    notes: list[str] = []

    scopes: list[Scope] = []
    if component:
        component_node(graph, component)  # unknown: an error with suggestions
        names = [component]
        files = sorted(f for f, node in index.files.items() if node.get("component") == component)
    else:
        files_set: set[str] = set()
        for path in wanted:
            scope = index.scope(path)
            scopes.append(scope)
            files_set.update(scope.files)
            if scope.kind == "untracked":
                notes.append(f"{path}: not a source file Cairn tracks; "
                             + (f"answered for its directory {scope.nearest}/" if scope.nearest else "no tracked directory above it"))
        files = sorted(files_set)
        names = [c["name"] for c in index.components(files)]
        if not names:
            notes.append("no component holds these paths")

    out: dict[str, Any] = {"repository": graph.repo, "paths": wanted or None, "component": component}
    out["components"] = _cut([_component_row(graph, n, files) for n in names], limit, "components", omitted)
    rules, decisions = _rules_and_decisions(graph, names, wanted, set(files) if wanted else set())
    out["rules"] = _cut(rules, limit, "rules", omitted)
    if not graph.of_label(Label.RULE):
        notes.append("the repository declares no boundary rules")
    if not graph.of_label(Label.DECISION):
        notes.append("the repository has no decision records (ADRs) Cairn could read")
    out["decisions"] = _cut(decisions, limit, "decisions", omitted)

    untracked = len(scopes) == 1 and scopes[0].kind == "untracked"
    owners = index.codeowners(scopes[0] if untracked else Scope(".", "directory", files))
    out["ask"] = people_to_ask(index, files, owners, limit=min(limit, ASK))
    out["codeowners"] = _cut([{"owner": o["owner"], "kind": o["kind"], "files": o.get("files")} for o in owners], limit,
                             "codeowners", omitted)
    out["changes_with"] = _changes_with(graph, names, set(files), limit, omitted, notes)
    out["agent_activity"] = _agent_activity(graph, names, limit)
    out["recent_changes"] = _recent_changes(index, files, limit)

    nodes = (agent_instructions.for_components(graph, names) if component
             else agent_instructions.for_paths(graph, wanted, files))
    shown = nodes if full_text else nodes[:MAX_INSTRUCTION_FILES]
    if len(nodes) > len(shown):
        omitted["instructions"] = len(nodes) - len(shown)
    out["instructions"] = [agent_instructions.quote(n, chars=None if full_text else agent_instructions.EXCERPT_CHARS)
                           for n in shown]
    if shown:
        out["instructions_source"] = agent_instructions.SOURCE
    if omitted:
        out["omitted"] = omitted
    if notes:
        out["notes"] = notes
    return out


def _cut(rows: list[dict[str, Any]], limit: int, name: str, omitted: dict[str, int]) -> list[dict[str, Any]]:
    if len(rows) > limit:
        omitted[name] = len(rows) - limit
    return rows[:limit]


def _short(text: Any) -> str | None:
    if not text:
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"


def _component_row(graph: RepoGraph, name: str, files: list[str]) -> dict[str, Any]:
    node = graph.node(Label.COMPONENT, name)
    depends_on, used_by = [], []
    for e in graph.of_type(Rel.DEPENDS_ON):
        if e.source == node.id:
            depends_on.append((int(e.get("count") or 0), graph.nodes[e.target].key))
        elif e.target == node.id:
            used_by.append((int(e.get("count") or 0), graph.nodes[e.source].key))
    row = {
        "name": name, "description": _short(node.get("description")), "files": int(node.get("files") or 0),
        "files_in_scope": sum(1 for f in files if graph.node(Label.FILE, f) is not None and graph.node(Label.FILE, f).get("component") == name),
        "truck_factor": node.get("truck_factor"), "human_truck_factor": node.get("human_truck_factor"),
        "at_risk": node.get("at_risk"),
        "depends_on": [n for _, n in sorted(depends_on, key=lambda t: (-t[0], t[1]))][:8],
        "used_by": [n for _, n in sorted(used_by, key=lambda t: (-t[0], t[1]))][:8],
    }
    if not_counted(node.props):
        row["truck_factor_note"] = f"no truck factor: {NOT_COUNTED_WHY}"
    if len(depends_on) > 8 or len(used_by) > 8:
        row["dependencies_total"] = {"depends_on": len(depends_on), "used_by": len(used_by)}
    return {k: v for k, v in row.items() if v is not None}


def _rules_and_decisions(graph: RepoGraph, names: list[str], asked: list[str],
                         asked_files: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rules naming the components, and the decisions governing them: in force first, then for asked paths the
    nearest first (``decision_nearness``), then explicit, newest first."""
    decisions_by_path = {d.key: d for d in graph.of_label(Label.DECISION)}
    rules: dict[str, dict[str, Any]] = {}
    for name in names:
        for rule in rule_list(graph, name)["rules"]:
            if rule["id"] in rules:
                continue
            row = {"id": rule["id"], "kind": rule.get("kind"), "severity": rule.get("severity"),
                   "description": _short(rule.get("description"))}
            decision = decisions_by_path.get(str(rule.get("decision") or ""))
            if decision is not None:
                row["decision"] = {k: v for k, v in decision_summary(decision).items() if k in ("path", "title", "status")}
            elif rule.get("decision"):
                row["decision"] = {"path": rule["decision"]}
            rules[rule["id"]] = {k: v for k, v in row.items() if v is not None}
    decisions: dict[str, dict[str, Any]] = {}
    used: set[str] | None = None  # (gathered when a decision mentions a path)
    for name in names:
        comp = graph.node(Label.COMPONENT, name)
        module_ids = {m.id for m in graph.of_label(Label.MODULE) if m.get("component") == name}
        for d in governing_decisions(graph, comp, module_ids):
            if d["path"] not in decisions:
                mentions = d["_node"].get("mentions") if asked else None
                if mentions and used is None:
                    used = _imported_paths(graph, asked_files)
                near = nearness(asked, used or (), mentions)
                decisions[d["path"]] = {
                    "path": d["path"], "title": d["title"], "status": d["status"], "date": d["date"], "components": [],
                    "in_force": not is_retired(d["status"]), "inferred": d["inferred"], "near": near.near,
                    "uses": near.uses, "_shared": near.segments,
                }
            decisions[d["path"]]["components"].append(name)
    # in force first (a superseded record naming the very folder is history, not the rule), then the nearest
    ordered = sorted(decisions.values(), key=lambda d: (not d["in_force"], -d["_shared"], d["inferred"],
                                                        negated(d["date"] or ""), d["path"]))
    return list(rules.values()), [{k: v for k, v in d.items() if v is not None and k != "_shared"} for d in ordered]


def _imported_paths(graph: RepoGraph, files: set[str]) -> set[str]:
    """The paths of the repository's modules that ``files`` import."""
    out = set()
    for e in graph.of_type(Rel.IMPORTS):
        importers = e.get("files") or (e.get("file"),)
        if any(f in files for f in importers):
            target = graph.nodes.get(e.target)
            if target is not None and target.label is Label.MODULE and target.get("path"):
                out.add(str(target.get("path")))
    return out


def _changes_with(graph: RepoGraph, names: list[str], files: set[str], limit: int, omitted: dict[str, int],
                  notes: list[str]) -> dict[str, Any] | None:
    coupling = [e for e in graph.edges.values() if e.type is Rel.CO_CHANGES]
    if not coupling:
        notes.append("no change coupling in this graph: what usually changes together is unknown")
        return None
    component_ids = {graph.node(Label.COMPONENT, n).id for n in names}
    file_rows, component_rows = [], []
    for e in coupling:
        a, b = graph.nodes.get(e.source), graph.nodes.get(e.target)
        if a is None or b is None:
            continue
        strength = {"degree": e.get("degree"), "shared": e.get("shared")}
        if a.label is Label.FILE and b.label is Label.FILE:
            for here, there in ((a, b), (b, a)):
                if here.key in files and there.key not in files:
                    file_rows.append({"file": here.key, "partner": there.key, "partner_component": there.get("component"),
                                      **strength, "imports": e.get("imports")})
        elif a.label is Label.COMPONENT and b.label is Label.COMPONENT:
            for here, there in ((a, b), (b, a)):
                if here.id in component_ids and there.id not in component_ids:
                    component_rows.append({"component": here.key, "partner": there.key, **strength, "imports": e.get("imports")})
    def strongest(row: dict[str, Any]) -> tuple:
        return (-(row.get("degree") or 0), -(row.get("shared") or 0), row.get("partner") or "")
    file_rows.sort(key=strongest)
    component_rows.sort(key=strongest)
    return {"files": _cut(file_rows, limit, "changes_with.files", omitted),
            "components": _cut(component_rows, limit, "changes_with.components", omitted)}


def _agent_activity(graph: RepoGraph, names: list[str], limit: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    shares = []
    for name in names:
        node = graph.node(Label.COMPONENT, name)
        if node.get("agent_share") is not None or node.get("recent_agent_commits") is not None:
            shares.append({"component": name, "agent_share": node.get("agent_share"),
                           "recent_agent_commits": node.get("recent_agent_commits"), "recent_commits": node.get("recent_commits")})
    if shares:
        out["components"] = shares[:limit]
    agents = []
    wanted = set(names)
    for person in graph.of_label(Label.PERSON):
        if person.get("kind") != "agent":
            continue
        touched = [c for c in person.get("assisted_components") or [] if c in wanted]
        if touched:
            shepherds = list(dict.fromkeys(person_name(graph.node(Label.PERSON, s), s) for s in person.get("shepherds") or []))[:3]
            agents.append({"agent": person_name(person, person.key), "commits": person.get("assisted_commits"),
                           "components": touched, "last": person.get("last_assisted"), "with": shepherds})
    if agents:
        agents.sort(key=lambda a: (negated(str(a["last"] or "")), a["agent"]))
        out["agents"] = agents[:limit]
    if not out:
        repo = graph.repository
        commits = repo.get("agent_commits") if repo is not None else None
        everyone = sorted((p for p in graph.of_label(Label.PERSON) if p.get("kind") == "agent"),
                          key=lambda p: (-(p.get("commits") or 0), p.key))
        out["repository"] = {"agent_commits": commits, "agents": [
            {"agent": person_name(p, p.key), "commits": p.get("commits") or None, "last_seen": p.get("last_active")}
            for p in everyone[:limit]]}
        out["note"] = "this ingest recorded agent work for the repository as a whole, not per component"
    return out


def _recent_changes(index: KnowledgeIndex, files: list[str], limit: int) -> list[dict[str, Any]]:
    touches = []
    for f in files:
        for person, props in index.knows.get(f, []):
            when = props.get("last_touch")
            if when and props.get("doa") is not None:
                touches.append((str(when), f, person))
    touches.sort(key=lambda t: (negated(t[0]), t[1]))
    return [{"file": f, "person": person_name(p, p.key), "when": when[:10]} for when, f, p in touches[:limit]]
