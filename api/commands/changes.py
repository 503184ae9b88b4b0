"""``cairn coupling``, ``cairn hotspots``, ``cairn agents``, ``cairn trends``: change over time, from the stored history."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Optional

from cairn.api.common import OutputFormat, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.params import App, Option
from cairn.api.render.console import escape
from cairn.api.render.terminal import IDENTIFIER, NUMBER, count, gone_mark, literal, table

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
    tests: bool = Option(False, "--tests", help="List pairs with a test file too (left out by default)"),
    format: CouplingFormat = TABLE,
) -> None:
    """Files (and components) that change together, with code-maat's degree, and whether an import connects them.

    Pairs with a test file are left out unless --tests."""
    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.coupling(
        ws, repo, component=component, path=path, min_revs=min_revs, min_shared=min_shared, min_degree=min_degree, limit=limit,
        tests=tests))
    if report is None:
        return
    t = report["thresholds"]
    rows = []
    for p in report["pairs"]:
        comps = " / ".join(dict.fromkeys(c or "—" for c in p["components"]))
        rows.append((f"{p['degree']:.1f}%", str(p["shared"]), f"{p['revs_a']}/{p['revs_b']}", f"{p['a']}\n{beside(p['a'], p['b'])}",
                     "yes" if p["imports"] else "one module" if p.get("same_module") else literal("hidden", "bold yellow"),
                     comps))
    # (the two files of a pair one above the other: most share a directory, and side by side at 80 columns each
    # folded over five lines)
    console.print(table(f"{report['repository']}: {len(report['pairs'])} file pairs (degree ≥ {t['min_degree']:g}%, "
                        f"shared ≥ {t['min_shared']}, avg revisions ≥ {t['min_revs']}, commits of ≤ {t['max_changeset']} files)",
                        [("degree", NUMBER), ("shared", NUMBER), ("revs", NUMBER), ("files", IDENTIFIER), "import", "components"],
                        rows))
    notes = ["import: whether an import connects the two files (hidden: none does)"]
    if any(p.get("same_module") and not p["imports"] for p in report["pairs"]):
        # (caddy's admin.go and caddy.go, one Go package, were "hidden" coupling: its files never import each other)
        notes[0] = ("import: whether an import connects the two files (one module: they are one module, a Go package, "
                    "whose files need none; hidden: none does)")
    if any(beside(p["a"], p["b"]) != p["b"] for p in report["pairs"]):
        notes.insert(0, "./NAME: in the directory of the file above it")
    if report["left_out"]["tests"]:
        notes.append(f"left out: {count(report['left_out']['tests'], 'pair')} with a test file (--tests lists them)")
    for note in notes:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)
    if report["components"]:
        rows = [(f"{p['degree']:.1f}%", str(p["shared"]), f"{p['revs_a']}/{p['revs_b']}", p["a"], p["b"],
                 "yes" if p["imports"] else literal("none", "bold yellow")) for p in report["components"]]
        console.print(table("Component pairs", [("degree", NUMBER), ("shared", NUMBER), ("revs", NUMBER), ("component a", IDENTIFIER),
                                                ("component b", IDENTIFIER), "dependency"], rows))


def beside(first: str, second: str) -> str:
    """``second`` as ``./NAME`` when it sits in the directory of ``first`` (most coupled pairs do), else whole."""
    folder, _, _ = first.rpartition("/")
    if folder and second.startswith(folder + "/") and "/" not in second[len(folder) + 1:]:
        return "./" + second[len(folder) + 1:]
    return second


def _top_holder(hotspot: dict[str, Any], since: bool = True) -> Any:
    """The top holder's name, marked and yellow when they left (``Fabian Reinartz (inactive since 2019-01)``;
    without ``since``: ``(inactive)``)."""
    if not hotspot["top_holder"]:
        return literal("nobody", "yellow")
    if hotspot.get("top_holder_active") is False:
        mark = gone_mark({"active": False, "gone": hotspot.get("top_holder_gone"),
                          "last_active": hotspot.get("top_holder_last_active") if since else None})
        return literal(hotspot["top_holder"] + mark, "yellow")
    return hotspot["top_holder"]


def hotspots(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    since: Optional[str] = Option(None, "--since", help="Count changes landed on or after this date (YYYY-MM-DD); default: all history"),
    component: Optional[str] = Option(None, "--component", help="Only files of this component"),
    limit: int = Option(20, "--limit", min=1, help="At most this many files"),
    tests: bool = Option(False, "--tests", help="Count test files too (left out by default)"),
    format: HotspotsFormat = TABLE,
) -> None:
    """Where change concentrates: changes × lines per file, with the component's truck factor and the top knowledge holder.

    A file changed only once is no hotspot, and test files are left out unless --tests."""
    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.hotspots(ws, repo, since=since, component=component, limit=limit,
                                                             tests=tests))
    if report is None:
        return
    console.print(hotspots_table(report, since, console.width))
    left = report["left_out"]
    notes = [f"{count(left['changed_once'], 'file')} changed only once"] if left["changed_once"] else []
    if left["tests"]:
        notes.append(f"{count(left['tests'], 'test file')} (--tests counts them)")
    if left.get("not_counted"):
        notes.append(f"{count(left['not_counted'], 'documentation, example or vendored file')}")
    if notes:
        console.print(f"[dim]left out: {escape('; '.join(notes))}[/]", highlight=False)


def hotspots_table(report: dict[str, Any], since: str | None, width: int) -> Any:
    """The hotspots ``report`` as the table that reads best in ``width`` columns: with the score, without it (changes
    and lines are beside it), or also without the date a holder left (fewest words cut, then fewest lines)."""
    window = f"since {since}" if since else "all history"
    rows = []
    for h in report["hotspots"]:
        tf = h["truck_factor"]
        rows.append((str(h["score"]), str(h["changes"]), str(h["lines"] if h["lines"] is not None else "—"), h["path"],
                     h["component"] or "—", literal("1", "bold red") if tf == 1 else str(tf) if tf is not None else "—",
                     _top_holder(h)))
    title = f"{report['repository']}: hotspots ({window})"
    columns: list[str | tuple[str, str]] = [("score", NUMBER), ("changes", NUMBER), ("lines", NUMBER), ("file", IDENTIFIER),
                                            ("component", IDENTIFIER), ("TF", NUMBER), "top holder"]
    # the score is changes × lines, both beside it: without it at 80 columns prometheus's paths and names no longer
    # fold; pip's holders who left still took four lines each ("Donald / Stufft / (inactive / since 2022-07)"), so
    # the date goes next, when that folds no more cells and takes fewer lines (`cairn people` has it)
    undated = [(*row[1:-1], _top_holder(h, since=False)) for row, h in zip(rows, report["hotspots"])]
    variants = [table(title, columns, rows), table(title + ", by changes × lines", columns[1:], [row[1:] for row in rows]),
                table(title + ", by changes × lines", columns[1:], undated)]
    return min(variants, key=lambda t: (t.folded_cells(width), len(t.render_lines(width))))


def agents(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    component: Optional[str] = Option(None, "--component", help="Only agents that changed this component"),
    format: AgentsFormat = TABLE,
) -> None:
    """The agent inventory: each coding agent's commits, components and shepherding humans; agent share per component."""
    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.agents(ws, repo, component=component))
    if report is None:
        return
    rows = [(a["name"], str(a["commits"]), ", ".join(a["components"][:5]) or "—",
             ", ".join(a["humans"][:4]) or literal("none", "yellow"), f"{(a['first'] or '')[:10]}\n{(a['last'] or '')[:10]}")
            for a in report["agents"]]
    console.print(table(f"{report['repository']}: {report['assisted_commits']} agent-assisted commit(s)", [
        ("agent", IDENTIFIER), ("commits", NUMBER), "components", "humans", ("first, last", NUMBER)], rows, keep_empty=True))
    # the components agents touched; the others counted below (on prometheus 26 of 35 rows read "0%")
    touched = [c for c in report["components"] if c["agent_commits"]]
    rows = [(c["name"], _pct(c["agent_share"]), str(c["agent_commits"]), str(c["recent_commits"] or 0)) for c in touched]
    if rows:
        console.print(table(f"Agent share of commits, last {report['recent_days']} days", [
            ("component", IDENTIFIER), ("agent share", NUMBER), ("agent commits", NUMBER), ("commits", NUMBER)], rows))
    untouched = len(report["components"]) - len(touched)
    if untouched:
        console.print(f"{'other ' if rows else ''}{count(untouched, 'component')}: no agent-assisted commit in the last "
                      f"{report['recent_days']} days", highlight=False)


def trends(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    period: Optional[PeriodOption] = Option(None, "--period", help="month, quarter or year (default: as kept at ingest, [trends] period)"),
    component: Optional[str] = Option(None, "--component", help="One component instead of the repository"),
    format: TrendsFormat = TABLE,
) -> None:
    """Per period: commits, agent share, active humans, truck factors at the period's end, new couplings and cycles."""
    from cairn.api.services import changes_over_time as changes

    report = _run(store, format, lambda ws: changes.trends(
        ws, repo, period=period.value if period else None, component=component))
    if report is None:
        return
    scope = f"component {component}" if component else report["repository"]

    def cell(value: Any) -> str:
        return "—" if value is None else str(value)

    rows = [(row["period"], str(row["commits"]), _pct(row["agent_share"]), str(row["humans"]), cell(row["truck_factor"]),
             cell(row["human_truck_factor"]), cell(row["new_couplings"]), cell(row["new_cycles"]), cell(row["from_agents"]))
            for row in report["periods"]]
    # (headers over two lines: on one, nine columns of numbers were wider than 80 and cut the periods to "2012-…")
    console.print(table(f"{scope}: trends per {report['period']}", [
        ("period", IDENTIFIER), ("commits", NUMBER), ("agent\nshare", NUMBER), ("humans", NUMBER), ("TF", NUMBER),
        ("human\nTF", NUMBER), ("new\ncoupled\npairs", NUMBER), ("new\ncycles", NUMBER), ("from\nagents", NUMBER)], rows, keep_empty=True))
    for note in report["notes"]:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
