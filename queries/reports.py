"""Renderers for boundary findings: SARIF 2.1.0 and Markdown.

They take findings as plain dictionaries (the JSON shape of ``cairn check``:
``rule``, ``kind``, ``severity``, ``source``, ``target``, ``file``, ``line``,
``decision``, ``message`` …) so the PR check can pass its own findings. A
finding may carry ``new`` (true/false): SARIF then sets ``baselineState`` and
Markdown marks new findings.

SARIF: one ``reportingDescriptor`` per rule, its id the Cairn rule id (stable
across runs); each result has ``partialFingerprints["cairnViolation/v1"]``, a
hash of (rule, importer, imported) — the same identity as the baseline, never a
line — so code scanning keeps one alert per violation as code moves.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"block": "error", "warn": "warning", "info": "note"}
FINGERPRINT_KEY = "cairnViolation/v1"


def fingerprint(rule: str, importer: str, imported: str) -> str:
    return hashlib.sha256(f"{rule}\x1f{importer}\x1f{imported}".encode()).hexdigest()[:32]


def finding_fingerprint(finding: dict[str, Any]) -> str:
    return finding.get("fingerprint") or fingerprint(str(finding.get("rule")), str(finding.get("source")), str(finding.get("target")))


def sarif_report(findings: Iterable[dict[str, Any]], tool_rules: Iterable[dict[str, Any]] | None = None, *, version: str = "0.1.0") -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run of Cairn; ``tool_rules`` describe the rules (id, kind, severity, description, decision)."""
    findings = list(findings)
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in tool_rules or []:
        _add_rule(descriptors, index, rule)
    for f in findings:
        if f["rule"] not in index:
            _add_rule(descriptors, index, {"id": f["rule"], "kind": f.get("kind"), "severity": f.get("severity"), "decision": f.get("decision"),
                                           "description": f.get("rule_description")})
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f["rule"],
            "ruleIndex": index[f["rule"]],
            "level": SARIF_LEVEL.get(f.get("severity"), "warning"),
            "message": {"text": f.get("message") or f"{f.get('source')} imports {f.get('target')}"},
            "partialFingerprints": {FINGERPRINT_KEY: finding_fingerprint(f)},
            "properties": {k: f.get(k) for k in ("kind", "source", "target", "source_component", "target_component", "decision") if f.get(k) is not None},
        }
        if f.get("chain"):
            result["properties"]["chain"] = f["chain"]
        if f.get("file"):
            region = {"startLine": int(f["line"])} if f.get("line") else None
            location: dict[str, Any] = {"artifactLocation": {"uri": f["file"], "uriBaseId": "%SRCROOT%"}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        if "new" in f:
            result["baselineState"] = "new" if f["new"] else "unchanged"
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "cairn", "version": version, "rules": descriptors}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository checkout root"}}},
            "results": results,
        }],
    }


def _add_rule(descriptors: list[dict[str, Any]], index: dict[str, int], rule: dict[str, Any]) -> None:
    rid = str(rule["id"])
    if rid in index:
        return
    kind = rule.get("kind") or "rule"
    title = rule.get("description") or f"{kind} boundary rule {rid}"
    full = title
    if rule.get("decision"):
        full += f" Decided in {rule['decision']}" + (f" \"{rule['decision_title']}\"" if rule.get("decision_title") else "") + "."
    descriptor = {
        "id": rid,
        "name": "".join(part.capitalize() for part in str(kind).split("_")) + "Rule",
        "shortDescription": {"text": title[:200]},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": SARIF_LEVEL.get(rule.get("severity") or "block", "warning")},
        "properties": {k: rule[k] for k in ("kind", "decision", "source") if rule.get(k)},
    }
    index[rid] = len(descriptors)
    descriptors.append(descriptor)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(report: dict[str, Any], *, title: str = "Cairn boundary check") -> str:
    """One Markdown comment: verdict, a table of findings, the reasoning behind each in a details block."""
    findings = report.get("findings") or []
    verdict = report.get("verdict", "pass")
    counts = {s: sum(1 for f in findings if f.get("severity") == s) for s in ("block", "warn", "info")}
    has_new = any("new" in f for f in findings)
    lines = [f"## {title}: {verdict.upper()}", ""]
    summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    summary += f" ({counts['block']} blocking, {counts['warn']} warnings, {counts['info']} notes)" if findings else ""
    baselined = report.get("baselined")
    if isinstance(baselined, int) and baselined:
        summary += f"; {baselined} known violation{'s' if baselined != 1 else ''} in the baseline not shown"
    stale = report.get("stale_baseline_entries") or []
    if stale:
        summary += f"; {len(stale)} baseline entr{'ies look' if len(stale) != 1 else 'y looks'} fixed (run `cairn check --update-baseline` to prune)"
    lines += [summary + ".", ""]
    if findings:
        header = ["Severity", "Rule", "Import", "Where", "Decision"] + (["New"] if has_new else [])
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for f in findings:
            where = f"`{f['file']}:{f['line']}`" if f.get("file") and f.get("line") else (f"`{f['file']}`" if f.get("file") else "")
            decision = f"[{_cell(f['decision'])}]({f['decision']})" if f.get("decision") else ""
            row = [f.get("severity", ""), f"`{_cell(f['rule'])}`", f"`{_cell(f['source'])}` → `{_cell(f['target'])}`", where, decision]
            if has_new:
                row.append("new" if f.get("new") else "")
            lines.append("| " + " | ".join(row) + " |")
        lines += ["", "<details><summary>Why each finding matters</summary>", ""]
        for f in findings:
            lines.append(f"- **{_cell(f['rule'])}**: {f.get('message', '')}")
        lines += ["", "</details>", ""]
    skipped = report.get("skipped_rules") or []
    if skipped:
        lines.append("Not enforced: " + "; ".join(f"`{s['rule']}` ({s['reason']})" for s in skipped) + ".")
        lines.append("")
    expired = report.get("expired_exceptions") or []
    if expired:
        lines.append("Expired exceptions: " + "; ".join(f"`{e['rule']}` {e['importer']} → {e['imported']} (expired {e['expires']})" for e in expired) + ".")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
