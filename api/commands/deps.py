"""``cairn deps`` and ``cairn components``: the dependency graph as stored."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer
from rich.table import Table

from cairn.api.common import OutputFormat, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.services import reads


class Level(str, Enum):
    module = "module"
    component = "component"


def register(app: typer.Typer) -> None:
    app.command("deps")(deps)
    app.command("components")(components)


def deps(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    level: Level = typer.Option(Level.module, "--level", help="module or component"),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json or table"),
) -> None:
    """The dependency graph: modules (or components) and the imports between them."""
    with opened_workspace(store) as ws:
        repo = ws.repository(repo).repo
        data = reads.dependency_graph(ws, repo, level.value)
    if format is OutputFormat.json:
        print_json(data)
        return
    table = Table(title=f"{repo}: {len(data['edges'])} {level.value} dependencies", title_justify="left")
    for col in ("source", "target", "kind", "lines" if level is Level.module else "count"):
        table.add_column(col)
    for e in data["edges"]:
        extra = ",".join(map(str, e["lines"][:8])) if level is Level.module else str(e["count"])
        table.add_row(e["source"], e["target"], e["kind"], extra)
    console.print(table)


def components(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json or table"),
) -> None:
    """The components, with their paths, sizes and dependencies."""
    with opened_workspace(store) as ws:
        repo = ws.repository(repo).repo
        data = reads.components(ws, repo)
    if format is OutputFormat.json:
        print_json(data)
        return
    table = Table(title=f"{repo}: {len(data['components'])} components", title_justify="left")
    for col in ("name", "paths", "modules", "files", "depends on", "used by", "truck factor"):
        table.add_column(col)
    for c in data["components"]:
        tf = c.get("truck_factor")
        table.add_row(
            c["name"] + (" (inferred)" if c["inferred"] else ""), " ".join(c["paths"]), str(c["modules"]), str(c["files"]),
            ", ".join(c["depends_on"]), ", ".join(c["used_by"]), "-" if tf is None else str(tf),
        )
    console.print(table)
