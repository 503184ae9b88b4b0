"""GitLab Code Quality (Code Climate issues JSON) from the PR check's findings: ``--format codeclimate``.

One issue per finding with a file (GitLab places every issue on a file;
findings about components only, such as a new cycle, are in the note):
``description``, ``check_name`` (the rule), ``fingerprint``, ``severity``
(block → blocker, warn → major, info → info) and ``location.path`` /
``location.lines.begin``. The fingerprint hashes the rule, the import and
the file, never the line, so GitLab matches an issue across commits as code moves.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cairn.graph.findings import Finding
from cairn.graph.severity import Severity
from cairn.queries.pr_check import PRReport

SEVERITY = {Severity.BLOCK: "blocker", Severity.WARN: "major", Severity.INFO: "info"}


def fingerprint(finding: Finding) -> str:
    parts = [finding.rule] + [str(v or "") for v in (finding.source, finding.target, finding.source_component,
                                                      finding.target_component, finding.file)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def codeclimate_report(report: PRReport) -> list[dict[str, Any]]:
    issues = []
    for f in report.findings:
        if not f.file:
            continue
        description = f"{f.rule}: {f.message or ''}".strip()
        if f.decision:
            description += f" (decision: {f.decision})"
        issues.append({
            "type": "issue",
            "engine_name": "cairn",
            "check_name": f.rule,
            "description": description,
            "categories": ["Bug Risk"],
            "severity": SEVERITY.get(f.severity, "info"),
            "fingerprint": fingerprint(f),
            "location": {"path": f.file, "lines": {"begin": int(f.line or 1)}},
        })
    return issues
