"""Exploration tools: repositories, components, the component card, dependency paths, search, the reading list."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cairn.api.mcp.params import Component, Cursor, Limit, OptionalComponent, Repository
from cairn.api.mcp.registry import Tools
from cairn.api.mcp.shape import check_limit, more_hint, paged, short, trim
from cairn.api.services import reads
from cairn.graph.not_counted import NOT_COUNTED_WHY, not_counted

CARD_LISTS = ("modules", "depends_on", "used_by", "external_packages", "decisions", "bus_factor.knowledge_holders",
              "owners", "recent_activity", "agent_instructions")


def component_row(c: dict[str, Any]) -> dict[str, Any]:
    """A component in a list: what it is (the component it is nested in, the package it is), its size, its couplings
    and its knowledge risk."""
    return {"name": c["name"], "description": short(c.get("description"), 160), "paths": c.get("paths"),
            "parent": c.get("parent"), "package": c.get("package"),
            "files": c.get("files"), "modules": c.get("modules"), "truck_factor": c.get("truck_factor"),
            "human_truck_factor": c.get("human_truck_factor"), "at_risk": c.get("at_risk"),
            "truck_factor_note": f"no truck factor: {NOT_COUNTED_WHY}" if not_counted(c) else None,
            "depends_on": c.get("depends_on"), "used_by": c.get("used_by")}


def compact_card(card: dict[str, Any], limit: int) -> dict[str, Any]:
    """The card with each list cut to ``limit`` rows and the noise of the full card left out."""
    card = dict(card)
    card["modules"] = [m.get("path") or m["name"] for m in card.get("modules") or []]
    for key in ("depends_on", "used_by"):
        card[key] = [{"component": d["component"], "imports": d["count"]} for d in card.get(key) or []]
    card["external_packages"] = [e["name"] for e in card.get("external_packages") or [] if not e.get("stdlib")]
    card["decisions"] = [{k: d.get(k) for k in ("path", "title", "status", "date", "inferred")} for d in card.get("decisions") or []]
    card["recent_activity"] = [{"file": a["file"], "name": a["name"], "kind": a.get("kind"), "when": str(a["last_touch"])[:10]}
                               for a in card.get("recent_activity") or []]
    card["owners"] = [{"owner": o.get("handle") or o["owner"], "name": o["name"] if o["kind"] == "person" else None,
                       "kind": o["kind"], "files": o["files"], "whole_component": o["component"]}
                      for o in card.get("owners") or []]
    if not_counted(card.get("bus_factor") or {}):
        card["bus_factor"] = {**card["bus_factor"], "truck_factor_note": f"no truck factor: {NOT_COUNTED_WHY}"}
    for key in ("system", "domain"):
        if card.get(key) is None:
            card.pop(key, None)
    if not card.get("inferred"):
        card.pop("inferred", None)
    return more_hint(trim(card, CARD_LISTS, limit))


def register(tool: Tools) -> None:
    ws = tool.ws

    @tool
    def list_repositories() -> dict[str, Any]:
        """The repositories Cairn has ingested, with their checkout path, head commit and ingest time. Call it when a
        tool says several repositories are stored and asks you to pass `repository`."""
        rows = [{"name": r.repo, "path": r.props.get("path"), "head": r.props.get("head"), "ingested_at": r.props.get("ingested_at")}
                for r in reads.repositories(ws)]
        return {"repositories": rows}

    @tool
    def list_components(limit: Limit = 20, cursor: Cursor = None, at_risk_only: Annotated[bool, Field(
            description="Only components whose knowledge is at risk")] = False, repository: Repository = None) -> dict[str, Any]:
        """The components (by name): description, path patterns, files and modules, truck factor, whether their
        knowledge is at risk, and which components they depend on / are used by. Call it first to learn the map of a
        repository. Pages of `limit` components; pass `next_cursor` as `cursor` for the next page."""
        name = ws.repository(repository).repo
        listed = reads.components(ws, name)["components"]
        # what each is for, as its card says (an inferred component has no declared description)
        purposes = {c["name"]: c["description"] for c in reads.component_overview(ws, name, listed)["components"]}
        rows = [component_row({**c, "description": purposes.get(c["name"]) or c.get("description")})
                for c in listed if c.get("at_risk") or not at_risk_only]
        return paged({"repository": name, "components": rows}, "components", limit, cursor)

    @tool
    def component_card(component: Component, limit: Limit = 5, repository: Repository = None) -> dict[str, Any]:
        """One component before you change it: purpose, paths, modules, components it depends on and that use it,
        governing decisions (ADR title and status), knowledge holders and bus factor, declared owners, recent
        activity, third-party packages it imports, and the repository's own agent instructions covering it (quoted as repository-supplied data).
        Each list shows `limit` rows; `omitted` counts the rest."""
        return compact_card(reads.component_card(ws, repository, component), limit)

    @tool
    def dependency_path(source: Annotated[str, Field(description="The component or module that depends")],
                        target: Annotated[str, Field(description="The component or module depended upon")],
                        repository: Repository = None) -> dict[str, Any]:
        """The shortest chain by which `source` depends on `target` (components or modules; prefix `component:` or
        `module:` to disambiguate), with the import edges of each step. Says so when there is none, and gives the
        reverse path if one exists. Call it before adding an import between two parts, to see if one already exists."""
        return reads.shortest_path(ws, repository, source, target)

    @tool
    def search(query: Annotated[str, Field(description="Part of a name or title")], limit: Limit = 10,
               cursor: Cursor = None, repository: Repository = None) -> dict[str, Any]:
        """Find components, decisions, modules and people whose name or title contains `query` (best matches first).
        Use it when you know a word but not the exact name a tool needs. Pages of `limit`; `next_cursor` for more."""
        found = reads.search(ws, repository, query, limit=500)
        rows = [{k: v for k, v in r.items() if k != "title" or v != r.get("name")} for r in found["results"]]
        return paged({"query": found["query"], "results": rows}, "results", limit, cursor)

    @tool
    def reading_list(component: OptionalComponent = None, limit: Limit = 8, repository: Repository = None) -> dict[str, Any]:
        """What to read first about the repository (or one component), in order: decisions in force, the most
        central modules, the people to ask — each with a reason. Use it to onboard onto an unfamiliar area."""
        data = reads.reading_list(ws, repository, component)
        out = {"repository": data["repository"], "component": data.get("component"), "items": _each_kind(data["items"], limit)}
        if len(out["items"]) < len(data["items"]):
            out["omitted"] = {"items": len(data["items"]) - len(out["items"])}
        return more_hint(out)


def _each_kind(items: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` items, the places dealt to the kinds in turn (decisions, modules, people), each kind's first
    kept, the order kept: cut to its first eight, ibc-go's list was eight of its fifteen decisions and nothing else."""
    check_limit(limit)
    kinds: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        kinds.setdefault(item["kind"], []).append(item)
    places = dict.fromkeys(kinds, 0)
    left = limit
    while left and any(places[k] < len(rows) for k, rows in kinds.items()):
        for k, rows in kinds.items():
            if left and places[k] < len(rows):
                places[k] += 1
                left -= 1
    return [item for k, rows in kinds.items() for item in rows[:places[k]]]
