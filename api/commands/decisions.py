"""``cairn adrs`` (the decision records as stored) and ``cairn check`` (the boundary rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from cairn.api.common import (
    EXIT_BLOCKING, EXIT_OK, CairnError, OutputFormat, RepoOption, StoreOption, console, err_console,
    load_repo_graph, opened_store, print_json,
)
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.queries.boundaries import BaselineError, check as run_check, load_baseline, update_baseline
from cairn.queries.reports import markdown_report, sarif_report

DECISION_FIELDS = ("path", "number", "title", "status", "status_raw", "date", "deciders", "supersedes", "superseded_by",
                   "amends", "amended_by", "components")


def register(app: typer.Typer) -> None:
    app.command("adrs")(adrs)
    app.command("check")(check)


def decisions_data(graph: RepoGraph) -> dict[str, Any]:
    """``{"decisions": [...], "problems": [...]}`` as ``cairn adrs --format json`` prints it."""
    rules_of: dict[str, list[str]] = {}
    for e in graph.of_type(Rel.DECLARED_BY):
        rules_of.setdefault(graph.nodes[e.target].key, []).append(graph.nodes[e.source].key)
    decisions = []
    for node in sorted(graph.of_label(Label.DECISION), key=lambda n: n.key):
        item = {name: node.get(name) for name in DECISION_FIELDS}
        for name in ("deciders", "supersedes", "superseded_by", "amends", "amended_by", "components"):
            item[name] = list(item[name] or [])
        item["rules"] = sorted(rules_of.get(node.key, []))
        decisions.append(item)
    repo = graph.repository
    problems = list((repo.get("decision_problems") if repo is not None else None) or [])
    return {"decisions": decisions, "problems": problems}


def adrs(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json or table"),
) -> None:
    """The architecture decision records: status, date, deciders, supersession, governed components, rules."""
    if format not in (OutputFormat.json, OutputFormat.table):
        raise CairnError(f"cairn adrs prints json or table, not {format.value}")
    with opened_store(store) as st:
        graph = load_repo_graph(st, repo)
    data = decisions_data(graph)
    if format is OutputFormat.json:
        print_json(data)
        return
    table = Table(title=f"{graph.repo}: {len(data['decisions'])} decisions", title_justify="left")
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


def _checkout_root(graph: RepoGraph) -> Path | None:
    repo = graph.repository
    path = repo.get("path") if repo is not None else None
    return Path(path) if path else None


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
    with opened_store(store) as st:
        graph = load_repo_graph(st, repo)
    baseline_path = baseline
    if baseline_path is None:
        root = _checkout_root(graph)
        name = (graph.repository.get("baseline") if graph.repository is not None else None) or ".cairn-baseline.json"
        if root is None:
            if update:
                raise CairnError("the stored repository has no checkout path; pass --baseline FILE")
        else:
            baseline_path = root / name
    elif not update and not baseline_path.is_file():
        raise CairnError(f"{baseline_path}: baseline file not found")
    try:
        known = load_baseline(baseline_path) if baseline_path is not None and baseline_path.is_file() else None
        report = run_check(graph, baseline=known)
        if update and baseline_path is not None:
            change = update_baseline(report, baseline_path)
            known = load_baseline(baseline_path)
            report = run_check(graph, baseline=known)
            if change["created"]:
                message = f"baseline {baseline_path}: recorded {change['recorded']} violation(s)"
            else:
                message = (f"baseline {baseline_path}: {change['removed']} fixed entr{'y' if change['removed'] == 1 else 'ies'} removed, "
                           f"{change['recorded']} kept; {change['not_added']} new violation(s) not added")
            err_console.print(message, highlight=False, soft_wrap=True)
    except BaselineError as exc:
        raise CairnError(str(exc)) from None
    except OSError as exc:
        raise CairnError(f"{baseline_path}: cannot write the baseline ({exc.strerror or exc})") from None

    data = report.to_dict()
    if format is OutputFormat.json:
        print_json(data)
    elif format is OutputFormat.sarif:
        print_json(sarif_report(data["findings"], data["rules"]))
    elif format is OutputFormat.markdown:
        typer.echo(markdown_report(data), nl=False)
    else:
        _print_table(graph, data)
    raise typer.Exit(EXIT_BLOCKING if report.verdict == "block" else EXIT_OK)


def _print_table(graph: RepoGraph, data: dict[str, Any]) -> None:
    findings = data["findings"]
    if findings:
        table = Table(title=f"{graph.repo}: {len(findings)} finding(s), verdict {data['verdict']}", title_justify="left")
        for col in ("severity", "rule", "import", "where", "decision"):
            table.add_column(col)
        for f in findings:
            where = f"{f['file']}:{f['line']}" if f.get("file") and f.get("line") else (f.get("file") or "")
            table.add_row(f["severity"], f["rule"], f"{f['source']} → {f['target']}", where, f.get("decision") or "")
        console.print(table)
        for f in findings:
            console.print(f"[dim]{f['rule']}:[/] {f['message']}", highlight=False, soft_wrap=True)
    else:
        console.print(f"{graph.repo}: no findings, verdict {data['verdict']} ({data['summary']['rules_checked']} rules checked)")
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
