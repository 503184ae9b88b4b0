"""``cairn adrs`` (the decision records as stored) and ``cairn check`` (the boundary rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from cairn.api.common import (
    EXIT_BLOCKING, EXIT_OK, CairnError, OutputFormat, RepoOption, StoreOption, console, err_console, opened_workspace,
    print_json,
)
from cairn.api.render.check_markdown import markdown_report
from cairn.api.render.sarif import sarif_report
from cairn.api.services import reads
from cairn.api.services.checks import check_boundaries


def register(app: typer.Typer) -> None:
    app.command("adrs")(adrs)
    app.command("check")(check)


def adrs(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json or table"),
) -> None:
    """The architecture decision records: status, date, deciders, supersession, governed components, rules."""
    if format not in (OutputFormat.json, OutputFormat.table):
        raise CairnError(f"cairn adrs prints json or table, not {format.value}")
    with opened_workspace(store) as ws:
        repo = ws.repository(repo).repo
        data = reads.decisions(ws, repo)
    if format is OutputFormat.json:
        print_json(data)
        return
    table = Table(title=f"{repo}: {len(data['decisions'])} decisions", title_justify="left")
    for col in ("path", "#", "title", "status", "date", "components", "rules"):
        table.add_column(col)
    for d in data["decisions"]:
        status = d["status"] or ""
        if d["superseded_by"]:
            status += " by " + ", ".join(Path(p).name for p in d["superseded_by"])
        table.add_row(d["path"], "" if d["number"] is None else str(d["number"]), d["title"] or "", status, d["date"] or "",
                      ", ".join(d["components"]), ", ".join(d["rules"]))
    console.print(table)
    for p in data["problems"]:
        err_console.print(f"[yellow]problem:[/] {p['path']}: {p['message']}", highlight=False, soft_wrap=True)


def check(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json, markdown, sarif or table"),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", help="Known-violations file (default: the configured baseline, .cairn-baseline.json, in the checkout)"
    ),
    update: bool = typer.Option(
        False, "--update-baseline", help="Record current violations when the file does not exist; otherwise drop fixed ones (it only shrinks)"
    ),
) -> None:
    """Check the boundary rules; exit 1 when a blocking finding is not in the baseline."""
    with opened_workspace(store) as ws:
        result = check_boundaries(ws, repo, baseline=baseline, update=update)
    report = result.report
    change = result.baseline_update
    if change is not None:
        if change.created:
            message = f"baseline {change.path}: recorded {change.recorded} violation(s)"
        else:
            message = (f"baseline {change.path}: {change.removed} fixed entr{'y' if change.removed == 1 else 'ies'} removed, "
                       f"{change.recorded} kept; {change.not_added} new violation(s) not added")
        err_console.print(message, highlight=False, soft_wrap=True)

    data = report.to_json()
    if format is OutputFormat.json:
        print_json(data)
    elif format is OutputFormat.sarif:
        print_json(sarif_report(report.findings, report.rules))
    elif format is OutputFormat.markdown:
        typer.echo(markdown_report(report), nl=False)
    else:
        _print_table(result.repository, data)
    raise typer.Exit(EXIT_BLOCKING if report.verdict.blocking else EXIT_OK)


def _print_table(repo: str, data: dict[str, Any]) -> None:
    findings = data["findings"]
    if findings:
        table = Table(title=f"{repo}: {len(findings)} finding(s), verdict {data['verdict']}", title_justify="left")
        for col in ("severity", "rule", "import", "where", "decision"):
            table.add_column(col)
        for f in findings:
            where = f"{f['file']}:{f['line']}" if f.get("file") and f.get("line") else (f.get("file") or "")
            table.add_row(f["severity"], f["rule"], f"{f['source']} → {f['target']}", where, f.get("decision") or "")
        console.print(table)
        for f in findings:
            console.print(f"[dim]{f['rule']}:[/] {f['message']}", highlight=False, soft_wrap=True)
    else:
        console.print(f"{repo}: no findings, verdict {data['verdict']} ({data['summary']['rules_checked']} rules checked)")
    if data["baselined"]:
        console.print(f"{data['baselined']} known violation(s) in the baseline not shown", highlight=False)
    if data["stale_baseline_entries"]:
        console.print(f"{len(data['stale_baseline_entries'])} baseline entr(ies) look fixed: run cairn check --update-baseline to prune", highlight=False)
    for s in data["skipped_rules"]:
        console.print(f"[dim]not enforced:[/] {s['rule']} ({s['reason']})", highlight=False)
    for e in data["expired_exceptions"]:
        console.print(f"[yellow]expired exception:[/] {e['rule']} {e['importer']} → {e['imported']} (expired {e['expires']})", highlight=False)
    for p in data["problems"]:
        err_console.print(f"[yellow]problem:[/] {p}", highlight=False, soft_wrap=True)
