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

SEVERITY = {"block": "blocker", "warn": "major", "info": "info"}


def fingerprint(finding: dict[str, Any]) -> str:
    parts = [str(finding.get(k) or "") for k in ("rule", "source", "target", "source_component", "target_component", "file")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def codeclimate_report(report: dict[str, Any]) -> list[dict[str, Any]]:
    issues = []
    for f in report.get("findings") or []:
        if not f.get("file"):
            continue
        description = f"{f.get('rule')}: {f.get('message') or ''}".strip()
        if f.get("decision"):
            description += f" (decision: {f['decision']})"
        issues.append({
            "type": "issue",
            "engine_name": "cairn",
            "check_name": str(f.get("rule")),
            "description": description,
            "categories": ["Bug Risk"],
            "severity": SEVERITY.get(f.get("severity"), "info"),
            "fingerprint": fingerprint(f),
            "location": {"path": str(f["file"]), "lines": {"begin": int(f.get("line") or 1)}},
        })
    return issues
