"""Knowledge tools: the bus factor (what if people leave), who knows a file or a directory, and who the people are."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cairn.api.mcp.params import Cursor, Limit, OptionalComponent, Repository
from cairn.api.mcp.registry import Tools
from cairn.api.mcp.shape import more_hint, page, paged, trim
from cairn.api.services import reads

REPOSITORY_FIELDS = ("name", "truck_factor", "truck_factor_people", "human_truck_factor", "human_truck_factor_people",
                     "files", "orphaned_files", "at_risk", "commits", "newest_commit_at", "leaving")
NOTES_SHOWN = 3


def holder_row(h: dict[str, Any]) -> dict[str, Any]:
    row = {"person": h["person"], "id": h["id"], "files_authored": h["files_authored"], "share": h["share"]}
    if not h.get("active", True):
        row["active"] = False
    return row


def component_summary(c: dict[str, Any], holders: int) -> dict[str, Any]:
    row = {k: c.get(k) for k in ("name", "truck_factor", "human_truck_factor", "files", "orphaned_files", "at_risk")}
    row["holders"] = [holder_row(h) for h in c.get("knowledge_holders") or []][:holders]
    if c.get("declared_owners_without_knowledge"):
        row["declared_owners_without_knowledge"] = c["declared_owners_without_knowledge"]
    if "ask_first" in c:  # (only where the authors mostly left: whom to ask now instead)
        row["ask_first"] = c["ask_first"]
    return row


PATH_LISTS = ("truck_factor_people", "human_truck_factor_people", "knowledge_holders", "components", "declared_owners",
              "declared_owners_without_knowledge", "declared_owners_not_in_history")
PEOPLE_LISTS = ("names", "stray_names", "emails", "logins")


def path_summary(scope: dict[str, Any]) -> dict[str, Any]:
    """The drill-down into a directory: its numbers, holders (as in a component) and declared owners."""
    out = dict(scope)
    out["knowledge_holders"] = [holder_row(h) for h in scope.get("knowledge_holders") or []]
    return out


def compact_bus_factor(report: dict[str, Any], *, component: str | None, limit: int, cursor: str | None,
                       people: bool) -> dict[str, Any]:
    """The bus-factor report cut to size: the repository's numbers, one component in detail or a page of them, and
    the drill-down into a directory when one was asked for."""
    repo = report["repository"]
    out: dict[str, Any] = {"repository": {k: repo.get(k) for k in REPOSITORY_FIELDS}}
    if repo.get("shallow"):
        out["repository"]["shallow"] = True
    notes = list(repo.get("notes") or [])
    if notes:
        out["repository"]["notes"] = notes[:NOTES_SHOWN] + ([f"… {len(notes) - NOTES_SHOWN} more"] if len(notes) > NOTES_SHOWN else [])
    if not component:
        out["repository"]["knowledge_holders"] = [holder_row(h) for h in repo.get("knowledge_holders") or []]
    if component:
        c = report["components"][0]
        detail = component_summary(c, holders=len(c.get("knowledge_holders") or []))
        detail["truck_factor_people"] = c.get("truck_factor_people")
        detail["declared_owners"] = c.get("declared_owners")
        out["component"] = detail
        trim(out, ["component.holders", "component.declared_owners", "component.declared_owners_without_knowledge",
                   "repository.knowledge_holders"], limit)
    else:
        trim(out, ["repository.knowledge_holders"], limit)
        if not people:
            one = page([component_summary(c, holders=3) for c in report["components"]], limit, cursor)
            out["components"] = one["items"]
            out["components_total"] = one["total"]
            if "next_cursor" in one:
                out["next_cursor"] = one["next_cursor"]
    if report.get("impact"):
        # what leaving changes, those newly at risk first: right after the repository's numbers, what an agent asking
        # "what if they leave" reads first
        out = {"repository": out.pop("repository"), "impact": dict(report["impact"]), **out}
        trim(out, ["impact.components", "impact.newly_at_risk"], limit)
    if report.get("path"):
        out["path"] = path_summary(report["path"])
        trim(out, [f"path.{key}" for key in PATH_LISTS], limit)
    if people:
        rows = [{k: p.get(k) for k in ("id", "name", "kind", "commits", "last_active", "active", "gone")} for p in report["people"]]
        one = page(rows, limit, cursor)
        out["people"] = one["items"]
        out["people_total"] = one["total"]
        if "next_cursor" in one:
            out["next_cursor"] = one["next_cursor"]
    return more_hint(out)


def compact_people(report: dict[str, Any], *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of people (most commits first) with their merged identities cut to ``limit`` each, and the likely
    duplicates (with the notes that explain them) cut to ``limit``."""
    rows = []
    for person in report["people"]:
        row = {k: v for k, v in person.items() if not (k in ("declared_only", "stray_names") and not v)}
        rows.append(trim(row, PEOPLE_LISTS, limit))
    out = paged({"repository": report["repository"], "people": rows}, "people", limit, cursor)
    out["likely_duplicates"] = report.get("likely_duplicates") or []
    out["notes"] = report.get("notes") or []
    return more_hint(trim(out, ["likely_duplicates", "notes"], limit), "pass a larger limit, or next_cursor for more people")


def register(tool: Tools) -> None:
    ws = tool.ws

    @tool
    def bus_factor(component: OptionalComponent = None,
                   leaving: Annotated[list[str] | None, Field(
                       description="People assumed gone (ids, names or e-mails): recompute as if they had left")] = None,
                   path: Annotated[str | None, Field(
                       description="A directory (or file), repository-relative: drill into the files under it")] = None,
                   people: Annotated[bool, Field(description="List the people (paged) instead of the components")] = False,
                   limit: Limit = 5, cursor: Cursor = None, repository: Repository = None) -> dict[str, Any]:
        """Truck factor (how many people must leave before most files have no author left) of the repository and of
        one component (`component`) or a page of components, riskiest first, with the top knowledge holders. Use
        `leaving` for "what if these people leave" (names, e-mails or @logins): `impact` then says what changes (the
        numbers before and after, the components newly at risk first); `path` adds the same numbers for the
        files under one directory. Where most files have no author left, `ask_first` names the people still here to
        ask about them (as `who_knows` ranks them; empty: nobody left). `people=true` pages through everyone
        instead. Lists show `limit` rows; `next_cursor` gives the next page."""
        report = reads.bus_factor(ws, repository, component=component, leaving=leaving or [], path=path)
        return compact_bus_factor(report, component=component, limit=limit, cursor=cursor, people=people)

    @tool
    def who_knows(paths: Annotated[list[str], Field(
                      description="Files or directories, repository-relative (`.` for the whole repository); up to 20")],
                  limit: Limit = 5, repository: Repository = None) -> dict[str, Any]:
        """Who knows these files or directories: per path its component, the people holding its knowledge (authored
        files, share, changed, reviewed, last change; `active: false` with `gone` for people who left or went
        inactive), its CODEOWNERS, and `ask`: whom to ask first. A path Cairn keeps no history for (docs,
        configuration) is answered from its latest commits in git (`history`; holders with their commits there), a
        new file from its nearest tracked directory. `limit` holders per path."""
        return reads.who_knows(ws, repository, paths, limit=limit)

    @tool
    def people(limit: Limit = 20, cursor: Cursor = None, repository: Repository = None) -> dict[str, Any]:
        """Everyone in the history, most commits first: kind (human, bot, agent), the names, e-mails and GitHub
        logins merged into each person, commits, last activity; and pairs that look like one person but were not
        merged (`likely_duplicates`, with the reason). Pages of `limit` people; `next_cursor` for the next page."""
        return compact_people(reads.people(ws, repository), limit=limit, cursor=cursor)
