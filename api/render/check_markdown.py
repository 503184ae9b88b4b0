"""The boundary check as one Markdown comment: verdict, a table of findings, the reasoning behind each."""

from __future__ import annotations

from typing import Any

from cairn.graph.severity import Severity
from cairn.queries.contracts import CheckReport


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(report: CheckReport, *, title: str = "Cairn boundary check") -> str:
    findings = report.findings
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    has_new = any(f.new is not None for f in findings)
    lines = [f"## {title}: {report.verdict.value.upper()}", ""]
    summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    if findings:
        summary += f" ({counts[Severity.BLOCK]} blocking, {counts[Severity.WARN]} warnings, {counts[Severity.INFO]} notes)"
    baselined = len(report.baselined)
    if baselined:
        summary += f"; {baselined} known violation{'s' if baselined != 1 else ''} in the baseline not shown"
    stale = report.stale_baseline
    if stale:
        summary += f"; {len(stale)} baseline entr{'ies look' if len(stale) != 1 else 'y looks'} fixed (run `cairn check --update-baseline` to prune)"
    lines += [summary + ".", ""]
    if findings:
        header = ["Severity", "Rule", "Import", "Where", "Decision"] + (["New"] if has_new else [])
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for f in findings:
            where = f"`{f.file}:{f.line}`" if f.file and f.line else (f"`{f.file}`" if f.file else "")
            decision = f"[{_cell(f.decision)}]({f.decision})" if f.decision else ""
            row = [f.severity.value, f"`{_cell(f.rule)}`", f"`{_cell(f.source)}` → `{_cell(f.target)}`", where, decision]
            if has_new:
                row.append("new" if f.new else "")
            lines.append("| " + " | ".join(row) + " |")
        lines += ["", "<details><summary>Why each finding matters</summary>", ""]
        for f in findings:
            lines.append(f"- **{_cell(f.rule)}**: {f.message}")
        lines += ["", "</details>", ""]
    if report.skipped_rules:
        lines.append("Not enforced: " + "; ".join(f"`{s['rule']}` ({s['reason']})" for s in report.skipped_rules) + ".")
        lines.append("")
    if report.expired_exceptions:
        lines.append("Expired exceptions: " + "; ".join(f"`{e['rule']}` {e['importer']} → {e['imported']} (expired {e['expires']})"
                                                       for e in report.expired_exceptions) + ".")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
