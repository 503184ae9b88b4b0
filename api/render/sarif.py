"""Findings as SARIF 2.1.0, for code-scanning tools.

One ``reportingDescriptor`` per rule, its id the Cairn rule id (stable across
runs); each result has ``partialFingerprints["cairnViolation/v1"]``, the
finding's fingerprint — a hash of (rule, importer, imported), the same
identity as the baseline, never a line — so code scanning keeps one alert per
violation as code moves. A finding of a PR check carries ``new``: SARIF then
sets ``baselineState``.
"""

from __future__ import annotations

from typing import Any, Iterable

from cairn.graph.findings import Finding
from cairn.graph.severity import Severity
from cairn.queries.cochange import DESCRIPTION as CO_CHANGE_DESCRIPTION, RULE as CO_CHANGE_RULE

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.BLOCK: "error", Severity.WARN: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "cairnViolation/v1"
#: what Cairn's own rules check, where their kind does not say it
OWN_RULE_DESCRIPTIONS = {CO_CHANGE_RULE: CO_CHANGE_DESCRIPTION}


def sarif_report(findings: Iterable[Finding], tool_rules: Iterable[dict[str, Any]] | None = None, *, version: str = "0.1.0",
                 properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run of Cairn; ``tool_rules`` describe the rules (id, kind, severity, description, decision);
    ``properties`` are the run's own (the PR check's ``history_complete`` and ``history``)."""
    findings = list(findings)
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in tool_rules or []:
        _add_rule(descriptors, index, rule)
    for f in findings:
        if f.rule not in index:
            _add_rule(descriptors, index, {"id": f.rule, "kind": f.kind, "severity": f.severity.value, "decision": f.decision,
                                           "description": OWN_RULE_DESCRIPTIONS.get(f.rule)})
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {k: v for k, v in (("kind", f.kind), ("source", f.source), ("target", f.target),
                                             ("source_component", f.source_component), ("target_component", f.target_component),
                                             ("decision", f.decision)) if v is not None},
        }
        if f.chain:
            result["properties"]["chain"] = list(f.chain)
        if f.file:
            location: dict[str, Any] = {"artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"}}
            if f.line:
                location["region"] = {"startLine": int(f.line)}
            result["locations"] = [{"physicalLocation": location}]
        if f.new is not None:
            result["baselineState"] = "new" if f.new else "unchanged"
        results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "cairn", "version": version, "rules": descriptors}},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository checkout root"}}},
        "results": results,
    }
    if properties:
        run["properties"] = dict(properties)
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


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
        "defaultConfiguration": {"level": SARIF_LEVEL[Severity(rule.get("severity") or "block")]},
        "properties": {k: rule[k] for k in ("kind", "decision", "source") if rule.get(k)},
    }
    index[rid] = len(descriptors)
    descriptors.append(descriptor)
