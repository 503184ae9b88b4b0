"""``cairn coupling``, ``cairn hotspots``, ``cairn agents``, ``cairn trends``: change over time, from the stored history."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Optional

from cairn.api.common import OutputFormat, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.params import App, Option
from cairn.api.render.console import escape

if TYPE_CHECKING:
    from cairn.api.services.workspace import Workspace


CouplingFormat = formats("coupling", JSON, TABLE)
HotspotsFormat = formats("hotspots", JSON, TABLE)
AgentsFormat = formats("agents", JSON, TABLE)
TrendsFormat = formats("trends", JSON, TABLE)


class PeriodOption(str, Enum):
    month = "month"
    quarter = "quarter"
    year = "year"


def register(app: App) -> None:
    app.command("coupling")(coupling)
    app.command("hotspots")(hotspots)
    app.command("agents")(agents)
    app.command("trends")(trends)


def _run(store: Optional[str], format: OutputFormat, service: Callable[[Workspace], dict[str, Any]]) -> dict[str, Any] | None:
    """The report of ``service``; printed as JSON here (None returned), else returned for a table."""
    with opened_workspace(store) as ws:
        report = service(ws)
    if format is OutputFormat.json:
        print_json(report)
        return None
    return report


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def coupling(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    component: Optional[str] = Option(None, "--component", help="Only pairs with a file in this component"),
    path: Optional[str] = Option(None, "--path", help="Only pairs with this file (or, ending in /, a file under this directory)"),
    min_revs: Optional[int] = Option(None, "--min-revs", min=1, help="Raise the minimum average revisions (ingest: [coupling] min_revs, default 5)"),
    min_shared: Optional[int] = Option(None, "--min-shared", min=1, help="Raise the minimum shared commits (default 5)"),
    min_degree: Optional[float] = Option(None, "--min-degree", min=0, max=100, help="Raise the minimum degree in % (default 30)"),
    limit: Optional[int] = Option(None, "--limit", min=1, help="At most this many file pairs"),
    format: CouplingFormat = TABLE,
) -> None:
    """Files (and components) that change together, with code-maat's degree, and whether an import connects them."""
    from cairn.api.render.text_table import Table

    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.coupling(
        ws, repo, component=component, path=path, min_revs=min_revs, min_shared=min_shared, min_degree=min_degree, limit=limit))
    if report is None:
        return
    t = report["thresholds"]
    table = Table(title=(f"{report['repository']}: {len(report['pairs'])} file pairs (degree ≥ {t['min_degree']:g}%, "
                         f"shared ≥ {t['min_shared']}, avg revisions ≥ {t['min_revs']}, commits of ≤ {t['max_changeset']} files)"),
                  title_justify="left")
    for col in ("degree", "shared", "revs", "file a", "file b", "import", "components"):
        table.add_column(col, justify="right" if col in ("degree", "shared", "revs") else "left")
    for p in report["pairs"]:
        comps = " / ".join(dict.fromkeys(c or "—" for c in p["components"]))
        table.add_row(f"{p['degree']:.1f}%", str(p["shared"]), f"{p['revs_a']}/{p['revs_b']}", escape(p["a"]), escape(p["b"]),
                      "yes" if p["imports"] else "[bold yellow]hidden[/]", escape(comps))
    console.print(table)
    if report["components"]:
        comps_table = Table(title="Component pairs", title_justify="left")
        for col in ("degree", "shared", "revs", "component a", "component b", "dependency"):
            comps_table.add_column(col, justify="right" if col in ("degree", "shared", "revs") else "left")
        for p in report["components"]:
            comps_table.add_row(f"{p['degree']:.1f}%", str(p["shared"]), f"{p['revs_a']}/{p['revs_b']}", escape(p["a"]), escape(p["b"]),
                                "yes" if p["imports"] else "[bold yellow]none[/]")
        console.print(comps_table)


def hotspots(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    since: Optional[str] = Option(None, "--since", help="Count changes landed on or after this date (YYYY-MM-DD); default: all history"),
    component: Optional[str] = Option(None, "--component", help="Only files of this component"),
    limit: int = Option(20, "--limit", min=1, help="At most this many files"),
    format: HotspotsFormat = TABLE,
) -> None:
    """Where change concentrates: changes × lines per file, with the component's truck factor and the top knowledge holder."""
    from cairn.api.render.text_table import Table

    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.hotspots(ws, repo, since=since, component=component, limit=limit))
    if report is None:
        return
    window = f"since {since}" if since else "all history"
    table = Table(title=f"{report['repository']}: hotspots ({window})", title_justify="left")
    for col in ("score", "changes", "lines", "file", "component", "TF", "top holder"):
        table.add_column(col, justify="right" if col in ("score", "changes", "lines", "TF") else "left")
    for h in report["hotspots"]:
        tf = h["truck_factor"]
        table.add_row(str(h["score"]), str(h["changes"]), str(h["lines"] if h["lines"] is not None else "—"), escape(h["path"]),
                      escape(h["component"] or "—"), ("[bold red]1[/]" if tf == 1 else str(tf)) if tf is not None else "—",
                      escape(h["top_holder"]) if h["top_holder"] else "[yellow]nobody[/]")
    console.print(table)


def agents(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    component: Optional[str] = Option(None, "--component", help="Only agents that changed this component"),
    format: AgentsFormat = TABLE,
) -> None:
    """The agent inventory: each coding agent's commits, components and shepherding humans; agent share per component."""
    from cairn.api.render.text_table import Table

    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.agents(ws, repo, component=component))
    if report is None:
        return
    table = Table(title=f"{report['repository']}: {report['assisted_commits']} agent-assisted commit(s)", title_justify="left")
    for col in ("agent", "commits", "components", "humans", "first", "last"):
        table.add_column(col, justify="right" if col == "commits" else "left")
    for a in report["agents"]:
        humans = ", ".join(a["humans"][:4])
        table.add_row(escape(a["name"]), str(a["commits"]), escape(", ".join(a["components"][:5]) or "—"),
                      escape(humans) if humans else "[yellow]none[/]",
                      (a["first"] or "")[:10], (a["last"] or "")[:10])
    console.print(table)
    shares = Table(title=f"Agent share of each component's commits in the last {report['recent_days']} days", title_justify="left")
    for col in ("component", "agent share", "agent commits", "commits"):
        shares.add_column(col, justify="left" if col == "component" else "right")
    for c in report["components"]:
        shares.add_row(escape(c["name"]), _pct(c["agent_share"]), str(c["agent_commits"] or 0), str(c["recent_commits"] or 0))
    console.print(shares)


def trends(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    period: Optional[PeriodOption] = Option(None, "--period", help="month, quarter or year (default: as kept at ingest, [trends] period)"),
    component: Optional[str] = Option(None, "--component", help="One component instead of the repository"),
    format: TrendsFormat = TABLE,
) -> None:
    """Per period: commits, agent share, active humans, truck factors at the period's end, new couplings and cycles."""
    from cairn.api.render.text_table import Table

    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.trends(
        ws, repo, period=period.value if period else None, component=component))
    if report is None:
        return
    scope = f"component {component}" if component else report["repository"]
    table = Table(title=f"{escape(scope)}: trends per {report['period']}", title_justify="left")
    for col in ("period", "commits", "agent share", "humans", "TF", "human TF", "new couplings", "new cycles", "from agents"):
        table.add_column(col, justify="left" if col == "period" else "right")

    def cell(value: Any) -> str:
        return "—" if value is None else str(value)

    for row in report["periods"]:
        table.add_row(row["period"], str(row["commits"]), _pct(row["agent_share"]), str(row["humans"]), cell(row["truck_factor"]),
                      cell(row["human_truck_factor"]), cell(row["new_couplings"]), cell(row["new_cycles"]), cell(row["from_agents"]))
    console.print(table)
    for note in report["notes"]:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
