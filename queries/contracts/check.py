"""``check``: every rule of a graph judged by its contract, as one report with a verdict.

A rule declared by a retired decision (superseded, deprecated, rejected …) is
skipped and listed in ``skipped_rules``; one of a proposed decision reports at
most ``info`` (``graph.decisions.enforcement``). Findings the baseline holds
are left out of the verdict and counted (``baselined``); baseline entries no
longer violated are listed as stale. Verdict: ``block`` when a finding of
severity block remains, else ``warn`` when a warn finding remains, else
``pass`` (info findings never fail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cairn.graph.baseline import Baseline
from cairn.graph.decisions import enforcement
from cairn.graph.findings import Finding, FindingKey
from cairn.graph.model import Label, Node, RepoGraph
from cairn.graph.rules import DeclaredRule
from cairn.graph.severity import Severity, Verdict
from cairn.queries.contracts.base import Violation
from cairn.queries.contracts.index import ImportIndex
from cairn.queries.contracts.registry import CONTRACTS


@dataclass
class CheckReport:
    """The judgement of every rule on one graph: findings, what the baseline holds, and what was not checked."""

    verdict: Verdict
    findings: list[Finding]
    baselined: list[Finding] = field(default_factory=list)
    stale_baseline: list[FindingKey] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    skipped_rules: list[dict[str, Any]] = field(default_factory=list)
    expired_exceptions: list[dict[str, Any]] = field(default_factory=list)
    unused_exceptions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def current_keys(self) -> set[FindingKey]:
        """Every violation found now, reported or baselined: what a baseline update records."""
        return {f.key for f in self.findings} | {f.key for f in self.baselined}

    def to_json(self) -> dict[str, Any]:
        counts = {s.value: sum(1 for f in self.findings if f.severity is s) for s in (Severity.BLOCK, Severity.WARN, Severity.INFO)}
        return {
            "verdict": self.verdict.value,
            "findings": [f.to_json() for f in self.findings],
            "summary": {"rules_checked": len(self.rules), "findings": len(self.findings), **counts,
                        "baselined": len(self.baselined), "stale_baseline_entries": len(self.stale_baseline)},
            "baselined": len(self.baselined),
            "stale_baseline_entries": [{"rule": r, "importer": a, "imported": b} for r, a, b in self.stale_baseline],
            "rules": self.rules,
            "skipped_rules": self.skipped_rules,
            "expired_exceptions": self.expired_exceptions,
            "unused_exceptions": self.unused_exceptions,
            "problems": self.problems,
        }


def check(graph: RepoGraph, *, baseline: Baseline | None = None, today: date | None = None) -> CheckReport:
    """Evaluate every Rule node of ``graph`` (see ``queries.contracts`` for the semantics)."""
    today = today or date.today()
    index = ImportIndex(graph)
    findings: list[Finding] = []
    report = CheckReport(verdict=Verdict.PASS, findings=[])
    decisions = {n.key: n for n in graph.of_label(Label.DECISION)}
    for node in sorted(graph.of_label(Label.RULE), key=lambda n: n.key):
        rule = DeclaredRule.from_node(node)
        decision = decisions.get(rule.because) if rule.because else None
        if rule.because and decision is None:
            report.problems.append(f"rule {rule.id!r}: its decision {rule.because} is not in the graph")
        status = decision.get("status") if decision is not None else None
        enforced, cap = enforcement(status)
        if not enforced:
            report.skipped_rules.append({"rule": rule.id, "decision": rule.because, "status": status,
                                         "reason": f"declared by {rule.because}, which is {status}"})
            continue
        severity = rule.spec.severity.capped(cap)
        report.rules.append(_rule_summary(rule, severity, decision))
        contract = CONTRACTS[rule.spec.kind](index, rule, today, report.problems)
        for v in contract.violations():
            findings.append(_finding(index, rule, severity, decision, v))
        report.expired_exceptions += [{"rule": rule.id, **e.to_props()} for e in contract.expired]
        report.unused_exceptions += [{"rule": rule.id, **e.to_props()} for e in contract.unused_exceptions()]
    # one finding per key: a layers rule may reach the same pair from two containers
    unique: dict[FindingKey, Finding] = {}
    for f in findings:
        unique.setdefault(f.key, f)
    entries = baseline.entries if baseline else frozenset()
    for f in sorted(unique.values(), key=lambda f: (-f.severity.rank, f.rule, f.source or "", f.target or "")):
        (report.baselined if f.key in entries else report.findings).append(f)
    report.stale_baseline = sorted(entries - report.current_keys)
    report.verdict = Verdict.of(f.severity for f in report.findings)
    return report


def _rule_summary(rule: DeclaredRule, severity: Severity, decision: Node | None) -> dict[str, Any]:
    return {
        "id": rule.id, "kind": rule.spec.kind, "severity": severity.value, "declared_severity": rule.spec.severity.value,
        "description": rule.spec.description, "source": rule.source, "decision": rule.because,
        "decision_title": decision.get("title") if decision is not None else None,
        "decision_status": decision.get("status") if decision is not None else None,
    }


def _finding(index: ImportIndex, rule: DeclaredRule, severity: Severity, decision: Node | None, v: Violation) -> Finding:
    edge = index.succ.get(v.chain[0], {}).get(v.chain[1]) if len(v.chain) > 1 else None
    file, line = (edge.file, edge.line) if edge else (None, None)
    where = f" ({file}:{line})" if file and line else (f" ({file})" if file else "")
    chain = f" via {' → '.join(v.chain)}" if len(v.chain) > 2 else ""
    kind = rule.spec.kind
    parts = [f"{v.source} imports {v.target}{where}{chain}: rule '{rule.id}' ({kind}, {severity.value}) says {v.why}."]
    if decision is not None:
        parts.append(f"Decided in {rule.because} \"{decision.get('title')}\" ({decision.get('status')}).")
    elif rule.source:
        parts.append(f"Declared in {rule.source}.")
    if rule.spec.description:
        parts.append(rule.spec.description.strip())
    return Finding(
        rule=rule.id, kind=kind, severity=severity, source=v.source, target=v.target,
        source_component=index.component(v.source), target_component=index.component(v.target),
        file=file, line=line, decision=rule.because, message=" ".join(parts),
        chain=tuple(v.chain) if len(v.chain) > 2 else (), cycle=tuple(v.cycle),
        importer=v.importer or v.source, imported=v.imported or v.target,
    )
