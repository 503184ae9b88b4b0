"""``cairn bus-factor``: truck factor, human-knowledge truck factor and knowledge holders, per component."""

from __future__ import annotations

from typing import Any, List, Optional

import typer
from rich.markup import escape
from rich.table import Table

from cairn.api.common import CairnError, OutputFormat, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.services import reads


def register(app: typer.Typer) -> None:
    app.command("bus-factor")(bus_factor)


def bus_factor(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    component: Optional[str] = typer.Option(None, "--component", help="Only this component"),
    leaving: Optional[List[str]] = typer.Option(
        None, "--leaving", help="Recompute as if this person left (name, e-mail, @login or id; repeatable)"
    ),
    path: Optional[str] = typer.Option(None, "--path", help="Drill down: truck factor and holders of the files under this directory"),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json or table"),
) -> None:
    """Who holds the knowledge: truck factor (Avelino et al.) per component and for the repository."""
    if format not in (OutputFormat.json, OutputFormat.table):
        raise CairnError(f"--format {format.value} is not available for bus-factor (use json or table)")
    with opened_workspace(store) as ws:
        report = reads.bus_factor(ws, repo, component=component, leaving=leaving or (), path=path)
    if format is OutputFormat.json:
        print_json(report)
        return
    _print_tables(report)


def _names(people: list[str], limit: int = 4) -> str:
    shown = ", ".join(people[:limit])
    return shown + (f" +{len(people) - limit}" if len(people) > limit else "")


def _print_tables(report: dict[str, Any]) -> None:
    if report.get("history_complete") is False:
        for warning in (report.get("history") or {}).get("warnings") or ["the history is incomplete"]:
            console.print(f"[bold yellow]history incomplete:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    r = report["repository"]
    leaving = f"  (as if {', '.join(r['leaving'])} left)" if r["leaving"] else ""
    console.print(
        f"[bold]{r['name']}[/]: truck factor [bold]{r['truck_factor']}[/] ({_names(r['truck_factor_people']) or 'nobody'}), "
        f"human-knowledge truck factor [bold]{r['human_truck_factor']}[/], "
        f"{r['orphaned_files']} of {r['files']} files orphaned{leaving}",
        highlight=False,
    )
    for note in r["notes"]:
        if note not in (report.get("history") or {}).get("warnings", []):
            console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    drill = report.get("path")
    if drill is not None:
        console.print(
            f"[bold]{drill['path']}/[/]: truck factor [bold]{drill['truck_factor']}[/] ({_names(drill['truck_factor_people']) or 'nobody'}), "
            f"human-knowledge truck factor [bold]{drill['human_truck_factor']}[/], {drill['orphaned_files']} of {drill['files']} files orphaned"
            + (f"; components: {', '.join(drill['components'])}" if drill["components"] else ""),
            highlight=False,
        )
        holders = Table(title=f"Knowledge holders of {drill['path']}/", title_justify="left")
        for col in ("person", "files authored", "share", "active"):
            holders.add_column(col, justify="right" if col in ("files authored", "share") else "left")
        for h in drill["knowledge_holders"][:10]:
            holders.add_row(h["person"], str(h["files_authored"]), f"{h['share']:.0%}", "yes" if h["active"] else "[yellow]gone[/]")
        console.print(holders)
        if drill["declared_owners_without_knowledge"]:
            console.print(f"[yellow]declared owners without knowledge:[/] {', '.join(drill['declared_owners_without_knowledge'])}", highlight=False)
        return

    if report["components"]:
        table = Table(title="Components by risk", title_justify="left")
        for col in ("component", "TF", "human TF", "files", "orphaned", "at risk", "truck factor people", "owners without knowledge"):
            table.add_column(col, justify="right" if col in ("TF", "human TF", "files", "orphaned") else "left")
        for c in report["components"]:
            table.add_row(
                c["name"] if not c.get("parent") else f"{c['name']} (in {c['parent']})", str(c["truck_factor"]), str(c["human_truck_factor"]), str(c["files"]), str(c["orphaned_files"]),
                "[bold red]yes[/]" if c["at_risk"] else "no", _names(c["truck_factor_people"]),
                _names(c["declared_owners_without_knowledge"]),
            )
        console.print(table)

        holders = Table(title="Knowledge holders (DOA authors)", title_justify="left")
        for col in ("component", "person", "files authored", "share", "active"):
            holders.add_column(col, justify="right" if col in ("files authored", "share") else "left")
        for c in report["components"]:
            for i, h in enumerate(c["knowledge_holders"][:5]):
                holders.add_row(
                    c["name"] if i == 0 else "", h["person"], str(h["files_authored"]), f"{h['share']:.0%}",
                    "yes" if h["active"] else "[yellow]gone[/]",
                )
        console.print(holders)
