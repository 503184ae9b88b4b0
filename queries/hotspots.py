"""Hotspots: where change concentrates in big files, and who holds the knowledge there.

Tornhill's hotspot is change frequency × size. Changes are the non-merge
commits that touched the file (renames followed) — all of history, or those
landed since ``since`` — but a bot's alone (``ingest.commit_people.bot_only``:
no human or agent on it; ``ingest.cochange`` leaves them out of ``revisions``
and ``change_days``): where *people's* change concentrates, not where
Dependabot bumps or a workflow regenerates reports (argo-cd's
``docs/snyk/*.html`` led with 141 github-actions commits of 143); size is the
file's lines now. Each hotspot carries its
component with that component's truck factor, and the file's top knowledge
holder (the human author ``who-knows`` lists first: of the file's authors by the
degree of authorship, the one with the most commits to it — not the highest
degree, which favours whoever created the file however much others rewrote it
since: scrapy's ``core/engine.py`` named Pablo Hoffman, of whose lines none is
left, and TanStack Query's ``query.ts`` Niek Bosch, inactive, above Dominik
Dorfmeister's 38 commits; none when no human authored it, e.g. written only by
agents) and whether that person is
still here (``top_holder_active``, ``top_holder_gone``,
``top_holder_last_active``: ``queries.ownership.presence``): where change and
knowledge risk meet — prometheus's fifth and sixth hotspots, ``tsdb/head.go``
and ``tsdb/db.go``, have as top holder someone inactive since 2019.

Two kinds of file are no hotspot unless asked for. A test file
(``graph.testcode.is_test_file``) is left out unless ``tests``: black's
``tests/test_black.py`` and the fixtures under ``tests/data/cases/`` led its
list above the formatter's own modules, and hono's led with its test files. A
file changed once (in the window) is no place where change concentrates,
however big: black's ``profiling/list_huge.py``, 22,431 lines written in one
commit, stood twelfth (``MIN_CHANGES``). Nor is a file the truck factor does
not count (``queries.ownership.in_truck_factor_scope``: documentation, examples, vendored code, by
Linguist's paths — a generated file is no File at all): where people's change
concentrates in the code, not in Sphinx's ``doc/conf.py``. The report says how
many files each rule left out.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from cairn.graph.authorship import commits_to_file
from cairn.graph.errors import InvalidQuery, NoChangeHistory, UnknownName
from cairn.graph.model import Label, Node, Rel, RepoGraph
from cairn.graph.testcode import is_test_file
from cairn.queries.ownership import gone_people, in_truck_factor_scope, presence

DAY = 86_400
#: the fewest changes (in the window) that make a file a hotspot
MIN_CHANGES = 2


class HotspotsUnavailable(InvalidQuery):
    """A malformed ``since``, an unknown component, or a repository ingested without history."""


def parse_since(text: str) -> int:
    """An ISO date or date-time -> UTC days since 1970-01-01 (the unit of ``File.change_days``)."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise HotspotsUnavailable(f"since {text!r} is not a date: use YYYY-MM-DD or an ISO date-time") from None
    return int(moment.timestamp()) // DAY


def _top_holders(graph: RepoGraph) -> dict[str, Node]:
    """File node id -> its first human author as ``who-knows`` orders a file's holders: of its authors (the degree of
    authorship's rule), the one with the most commits to it, then the latest to change it, then by name."""
    best: dict[str, tuple[tuple[int, str], str, Node]] = {}
    for edge in graph.of_type(Rel.KNOWS):
        if not edge.get("author") or edge.get("doa") is None:
            continue
        person = graph.nodes[edge.source]
        if person.get("kind", "human") != "human":
            continue
        name = str(person.get("name") or person.key)
        rank = (commits_to_file(edge), str(edge.get("last_touch") or ""))
        current = best.get(edge.target)
        if current is None or rank > current[0] or rank == current[0] and name < current[1]:
            best[edge.target] = (rank, name, person)
    return {target: person for target, (_, _, person) in best.items()}


def _holder_fields(person: Node | None, gone: dict[str, str]) -> dict[str, Any]:
    if person is None:
        return {"top_holder": None, "top_holder_active": None, "top_holder_gone": None, "top_holder_last_active": None}
    here = presence(person, gone.get(person.id))
    return {"top_holder": str(person.get("name") or person.key), "top_holder_active": here["active"],
            "top_holder_gone": here["gone"], "top_holder_last_active": here["last_active"]}


def hotspots(graph: RepoGraph, *, since: str | None = None, component: str | None = None,
             limit: int | None = None, tests: bool = False) -> dict[str, Any]:
    """``{"hotspots": [{"path", "changes", "lines", "score", "component", "truck_factor", "top_holder",
    "top_holder_active", "top_holder_gone", "top_holder_last_active"}], "left_out": {"tests", "changed_once",
    "not_counted"}}``, by
    score; test files only when ``tests`` (see the module docstring)."""
    files = graph.of_label(Label.FILE)
    if files and not any("change_days" in f.props for f in files):
        raise NoChangeHistory(f"repository {graph.repo} has no change history: ingest it (with its git history) first")
    if component is not None and graph.node(Label.COMPONENT, component) is None:
        names = sorted(n.key for n in graph.of_label(Label.COMPONENT))
        known = ", ".join(names) or "none"
        raise UnknownName(f"no component named {component!r} (components: {known})", kind="component", name=component, suggestions=names)
    first_day = parse_since(since) if since else None
    holders = _top_holders(graph)
    gone, _ = gone_people(graph)
    rows = []
    left_out = {"tests": 0, "changed_once": 0, "not_counted": 0}
    for node in files:
        comp = node.get("component")
        if component is not None and comp != component:
            continue
        days = node.get("change_days") or []
        changes = len(days) if first_day is None else sum(1 for d in days if d >= first_day)
        if not changes:
            continue
        if not in_truck_factor_scope(node):
            left_out["not_counted"] += 1
            continue
        if not tests and is_test_file(node.key):
            left_out["tests"] += 1
            continue
        if changes < MIN_CHANGES:
            left_out["changed_once"] += 1
            continue
        lines = node.get("lines")
        comp_node = graph.node(Label.COMPONENT, comp) if comp else None
        rows.append({
            "path": node.key, "changes": changes, "lines": lines, "score": changes * (lines or 0), "component": comp,
            "truck_factor": comp_node.get("truck_factor") if comp_node is not None else None,
            **_holder_fields(holders.get(node.id), gone),
        })
    rows.sort(key=lambda r: (-r["score"], -r["changes"], r["path"]))
    if limit is not None:
        rows = rows[:limit]
    return {"repository": graph.repo, "since": since, "component": component, "tests": tests, "hotspots": rows,
            "left_out": left_out}
