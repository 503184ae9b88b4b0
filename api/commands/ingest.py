"""``cairn ingest``: read a repository into the store and print what was found."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cairn.api.common import CairnError, OutputFormat, StoreOption, console, err_console, opened_workspace, print_json
from cairn.api.services.ingesting import ingest as ingest_checkout


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def ingest(
    path: Path = typer.Argument(..., help="The repository checkout to read"),
    store: Optional[str] = StoreOption,
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: cairn.toml or [tool.cairn] in pyproject.toml)"),
    name: Optional[str] = typer.Option(None, "--name", help="Repository name in the store (default: the directory name)"),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json"),
) -> None:
    """Ingest the repository checked out at PATH: code, history, decisions, owners."""
    if not path.exists():
        raise CairnError(f"{path}: no such directory")
    if not path.is_dir():
        raise CairnError(f"{path}: not a directory")
    with opened_workspace(store) as ws:
        show_progress = format is OutputFormat.table and err_console.is_terminal
        with Progress(
            TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err_console, transient=True, disable=not show_progress,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            result = ingest_checkout(ws, path, config_file=config, repo_name=name, progress=progress)
    summary = result.summary
    for warning in summary.warnings:  # on stderr in every format: a shallow or broken history must not pass silently
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    if format is OutputFormat.json:
        print_json(asdict(summary))
        return
    table = Table(title=f"Ingested {summary.repo}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("path", summary.path)
    table.add_row("head", summary.head or "(no commits)")
    table.add_row("files", ", ".join(f"{lang} {n}" for lang, n in summary.files_by_language.items()) or "none")
    table.add_row("modules", f"{summary.modules} ({summary.parsed} parsed, {summary.cached} from cache)")
    table.add_row("import edges", f"{summary.edges} ({summary.external_packages} external packages)")
    table.add_row("components", str(summary.components))
    table.add_row("history", f"{summary.commits} commits, {summary.people} people")
    table.add_row("decisions", f"{summary.decisions} decisions, {summary.rules} rules")
    table.add_row("skipped", ", ".join(f"{reason} {n}" for reason, n in summary.skipped.items()) or "none")
    if summary.syntax_errors:
        table.add_row("syntax errors", f"{summary.syntax_errors} files (still used)")
    table.add_row("seconds", f"{summary.seconds:.2f}")
    console.print(table)
    for note in summary.notes[:20]:
        console.print(f"[dim]note:[/] {note}", highlight=False)
