"""``cairn adrs`` (the decision records as stored) and ``cairn check`` (the boundary rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from cairn.api.common import EXIT_BLOCKING, EXIT_OK, RepoOption, StoreOption, console, err_console, opened_workspace, print_json
from cairn.api.formats import JSON, MARKDOWN, SARIF, TABLE, formats
from cairn.api.params import App, Exit, Option, echo
from cairn.api.render.terminal import IDENTIFIER, below, count, escape, one_folder, table

AdrsFormat = formats("adrs", JSON, TABLE)
CheckFormat = formats("check", JSON, TABLE, MARKDOWN, SARIF)


def register(app: App) -> None:
    app.command("adrs")(adrs)
    app.command("check")(check)


def adrs(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: AdrsFormat = TABLE,
) -> None:
    """The architecture decision records: status, date, deciders, supersession, governed components, rules."""
    from cairn.api.services import reads

    with opened_workspace(store) as ws:
        repo = ws.repository(repo).repo
        data = reads.decisions(ws, repo)
    if format is JSON:
        print_json(data)
        return
    if data["decisions"]:
        rows = []
        numbers = {d["path"]: d["number"] for d in data["decisions"]}
        folder = one_folder(d["path"] for d in data["decisions"])
        # a successor is named by its number, else by its title (which wraps, where a file name would not)
        titles = {d["path"]: d["title"] for d in data["decisions"]}
        for d in data["decisions"]:
            status = d["status"] or ""
            if d["superseded_by"]:
                status += " by " + ", ".join(f"#{numbers[p]}" if numbers.get(p) is not None
                                             else f"“{titles[p]}”" if titles.get(p) else Path(p).name for p in d["superseded_by"])
            where = below(d["path"], folder)
            rows.append(("" if d["number"] is None else str(d["number"]), (d["title"] or Path(d["path"]).stem) + "\n" + where,
                         status, (d["date"] or "") + ("*" if d.get("date_from") == "history" else ""),
                         ", ".join(d["components"]), ", ".join(d["rules"])))
        columns: list[str | tuple[str, str]] = ["#", ("decision", IDENTIFIER), "status", "date", "components", "rules"]
        if all(d["number"] is None for d in data["decisions"]):  # records named by date or slug: no number column
            columns, rows = columns[1:], [row[1:] for row in rows]
        title = f"{repo}: {count(len(rows), 'decision')}" + (f" in {folder}/" if folder else "")
        console.print(table(title, columns, rows))
        if any(d.get("date_from") == "history" for d in data["decisions"]):
            console.print("*: the record states no date; the day of the commit that first added it", highlight=False)
    else:
        console.print(f"{escape(repo)}: no decision records found (in {escape('[adr]')} paths of cairn.toml, .adr-dir, or the usual "
                      f"folders such as docs/adr, doc/adr, docs/decisions)", highlight=False)
    for p in data["problems"]:
        err_console.print(f"[yellow]problem:[/] {escape(p['path'])}: {escape(p['message'])}", highlight=False, soft_wrap=True)


def check(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: CheckFormat = TABLE,
    baseline: Optional[Path] = Option(
        None, "--baseline", help="Known-violations file (default: the configured baseline, .cairn-baseline.json, in the checkout)"
    ),
    update: bool = Option(
        False, "--update-baseline", help="Record current violations when the file does not exist; otherwise drop fixed ones (it only shrinks)"
    ),
) -> None:
    """Check the boundary rules; exit 1 when a blocking finding is not in the baseline."""
    from cairn.api.services.checks import check_boundaries

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
        err_console.print(escape(message), highlight=False, soft_wrap=True)

    if format is JSON:
        print_json(report.to_json())
    elif format is SARIF:
        from cairn.api.render.sarif import sarif_report

        print_json(sarif_report(report.findings, report.rules))
    elif format is MARKDOWN:
        from cairn.api.render.check_markdown import markdown_report

        echo(markdown_report(report), nl=False)
    else:  # the table shows no fingerprint: none is hashed (nor hashlib imported)
        _print_table(result.repository, report.to_json(fingerprints=False))
    raise Exit(EXIT_BLOCKING if report.verdict.blocking else EXIT_OK)


def _print_table(repo: str, data: dict[str, Any]) -> None:
    findings = data["findings"]
    if findings:
        rows = []
        for f in findings:
            where = f"{f['file']}:{f['line']}" if f.get("file") and f.get("line") else (f.get("file") or "")
            rows.append((f["severity"], f["rule"], f"{f['source']}\n→ {f['target']}", where, f.get("decision") or ""))
        console.print(table(f"{repo}: {count(len(findings), 'finding')}, verdict {data['verdict']}",
                            ["severity", ("rule", IDENTIFIER), ("import", IDENTIFIER), ("where", IDENTIFIER), ("decision", IDENTIFIER)],
                            rows))
        # one print (one look at the terminal's width, one write) for every finding's message
        console.print(*(f"[dim]{escape(f['rule'])}:[/] {escape(f['message'])}" for f in findings), highlight=False, soft_wrap=True)
    else:
        console.print(f"{escape(repo)}: no findings, verdict {data['verdict']} ({count(data['summary']['rules_checked'], 'rule')} checked)",
                      highlight=False)
        if not data["summary"]["rules_checked"] and not data["skipped_rules"]:
            # a pass with nothing checked is not a clean bill: say where rules come from
            hint = ("no boundary rules are declared: add [[rules]] to cairn.toml or a `rules:` block to an ADR "
                    "(README, Configuration); `cairn deps --level component` shows what depends on what now")
            console.print(f"[dim]{escape(hint)}[/]", highlight=False)
    if data["baselined"]:
        console.print(f"{count(data['baselined'], 'known violation')} in the baseline not shown", highlight=False)
    if data["stale_baseline_entries"]:
        stale = len(data["stale_baseline_entries"])
        console.print(f"{count(stale, 'baseline entry', 'baseline entries')} look{'s' if stale == 1 else ''} fixed: "
                      "run cairn check --update-baseline to prune", highlight=False)
    for skipped in data["skipped_rules"]:
        console.print(f"[dim]not enforced:[/] {escape(skipped['rule'])} ({escape(skipped['reason'])})", highlight=False)
    for e in data["expired_exceptions"]:
        console.print(f"[yellow]expired exception:[/] {escape(e['rule'])} {escape(e['importer'])} → {escape(e['imported'])} "
                      f"(expired {escape(str(e['expires']))})", highlight=False)
    for problem in data["problems"]:
        err_console.print(f"[yellow]problem:[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
