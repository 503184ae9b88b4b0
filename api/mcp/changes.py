"""Change-over-time tools: what changes together, where change concentrates, which agents worked where, trends.

Each calls the one service (``api.services.changes_over_time``) the CLI and
the HTTP API call, and cuts its lists to ``limit`` rows (``omitted`` counts
the rest), so a default answer stays small.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cairn.api.mcp.params import Limit, Repository
from cairn.api.mcp.registry import Tools
from cairn.api.mcp.shape import check_limit, more_hint, trim
from cairn.api.services import changes_over_time

Component = Annotated[str | None, Field(description="Only this component")]


def latest_periods(report: dict[str, Any], limit: int) -> dict[str, Any]:
    """The trends report with its last ``limit`` periods (the recent ones matter most); ``omitted`` counts the older."""
    check_limit(limit)
    periods = list(report.get("periods") or [])
    if len(periods) > limit:
        report["omitted"] = {**(report.get("omitted") or {}), "periods": len(periods) - limit}
        report["periods"] = periods[-limit:]
    return report


def register(tool: Tools) -> None:
    ws = tool.ws

    @tool
    def change_coupling(path: Annotated[str | None, Field(
                            description="A file (or, ending in /, a directory) whose partners you want")] = None,
                        component: Component = None, limit: Limit = 10, repository: Repository = None) -> dict[str, Any]:
        """Files that usually change together with `path` (or within `component`), from git history: degree, shared
        commits, and whether an import connects them. Before editing a file, check its partners (its tests among
        them): `imports: false` means hidden coupling that reading imports will not show. Without `path`, pairs with
        a test file are left out."""
        data = changes_over_time.coupling(ws, repository, path=path, component=component, tests=path is not None)
        return more_hint(trim(data, ("pairs", "components"), limit))

    @tool
    def hotspots(since: Annotated[str | None, Field(description="Count changes since this date (YYYY-MM-DD)")] = None,
                 component: Component = None, limit: Limit = 10, repository: Repository = None,
                 tests: Annotated[bool, Field(description="Count test files too")] = False) -> dict[str, Any]:
        """Files where change concentrates (changes × lines, optionally since a YYYY-MM-DD date; a commit only bots made
        is no change; a file changed once is no hotspot; test files only with tests=true), with the component's truck
        factor and the file's top knowledge holder."""
        check_limit(limit)
        return changes_over_time.hotspots(ws, repository, since=since, component=component, limit=limit, tests=tests)

    @tool
    def agent_inventory(component: Component = None, limit: Limit = 10, repository: Repository = None) -> dict[str, Any]:
        """Coding agents that worked on the repository: their commits, the components they changed, the humans who
        shepherded them, and each component's recent agent-assisted share."""
        data = changes_over_time.agents(ws, repository, component=component)
        return more_hint(trim(data, ("agents", "components"), limit))

    @tool
    def trends(period: Annotated[str | None, Field(description="month, quarter or year; default: as ingested")] = None,
               component: Component = None, limit: Limit = 8, repository: Repository = None) -> dict[str, Any]:
        """Per period (month, quarter or year): commits, agent share, active humans, truck factors at the period's end,
        new component couplings and cycles, and how many came from agent-assisted work. The last `limit` periods."""
        data = changes_over_time.trends(ws, repository, period=period, component=component)
        return more_hint(latest_periods(data, limit))
