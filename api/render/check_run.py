"""The PR check as a GitHub check run: conclusion, title, summary and annotations.

The conclusion is the verdict's (block → failure, warn → neutral, pass →
success); the summary is the PR comment (``pr_comment``), cut to GitHub's
limit; there is one annotation per finding that has a file and a line. What
is sent, and in batches of how many, is ``api.forge.github_post``'s business.
"""

from __future__ import annotations

from typing import Any

from cairn.api.render.pr_comment import fit, pr_markdown
from cairn.graph.severity import Severity, Verdict
from cairn.queries.pr_check import PRReport

CHECK_NAME = "Cairn"
CONCLUSION = {Verdict.BLOCK: "failure", Verdict.WARN: "neutral", Verdict.PASS: "success"}
ANNOTATION_LEVEL = {Severity.BLOCK: "failure", Severity.WARN: "warning", Severity.INFO: "notice"}
SUMMARY_LIMIT = 65_535


def conclusion(report: PRReport) -> str:
    return CONCLUSION.get(report.verdict, "neutral")


def annotations(report: PRReport) -> list[dict[str, Any]]:
    """One check-run annotation per finding with a file and a line."""
    out = []
    for f in report.findings:
        if not f.file or not f.line:
            continue
        message = f.message or f.rule
        if f.decision:
            message += f"\nDecision: {f.decision}"
        out.append({
            "path": f.file, "start_line": int(f.line), "end_line": int(f.line),
            "annotation_level": ANNOTATION_LEVEL.get(f.severity, "notice"),
            "title": f"{f.rule} ({f.severity.value})"[:255], "message": message[:60_000],
        })
    return out


def check_title(report: PRReport) -> str:
    findings = report.findings
    blocking = sum(1 for f in findings if f.severity is Severity.BLOCK)
    title = f"{report.verdict.value}: {len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return title + (f", {blocking} blocking" if blocking else "")


def check_run_output(report: PRReport) -> dict[str, str]:
    """``output.title`` and ``output.summary`` (the annotations are added in batches)."""
    return {"title": check_title(report), "summary": fit(pr_markdown(report), SUMMARY_LIMIT)}
