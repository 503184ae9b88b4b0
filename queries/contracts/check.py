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

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from typing import TYPE_CHECKING

from cairn.graph.baseline import Baseline
from cairn.graph.findings import Finding, FindingKey
from cairn.graph.model import Label, Node, RepoGraph
from cairn.graph.severity import Severity, Verdict

if TYPE_CHECKING:
    from cairn.graph.rules import DeclaredRule
    from cairn.queries.contracts.base import Violation
    from cairn.queries.contracts.index import ImportIndex

# The contracts, the rules (pydantic models, as the configuration declares them) and the decisions' statuses are
# imported by what judges a graph: reading a kept judgement and applying a baseline (`cairn check` on a stored
# ingest) needs none of them, and must start in a few times `python -c pass`.


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

    def to_answer(self) -> dict[str, Any]:
        """The report as JSON a store keeps (``GraphStore.save_answers``); ``from_answer`` reads it back whole."""
        return {**self.to_json(), "baselined": [f.to_json() for f in self.baselined],
                "stale_baseline_entries": [list(key) for key in self.stale_baseline]}

    @classmethod
    def from_answer(cls, data: dict[str, Any]) -> "CheckReport":
        return cls(
            verdict=Verdict(data["verdict"]), findings=[Finding.from_json(f) for f in data["findings"]],
            baselined=[Finding.from_json(f) for f in data["baselined"]],
            stale_baseline=[tuple(key) for key in data["stale_baseline_entries"]],  # type: ignore[misc]
            rules=data["rules"], skipped_rules=data["skipped_rules"], expired_exceptions=data["expired_exceptions"],
            unused_exceptions=data["unused_exceptions"], problems=data["problems"],
        )

    def to_json(self, *, fingerprints: bool = True) -> dict[str, Any]:
        """The report's JSON; without ``fingerprints``, its findings without theirs (``Finding.to_json``)."""
        counts = {s.value: sum(1 for f in self.findings if f.severity is s) for s in (Severity.BLOCK, Severity.WARN, Severity.INFO)}
        return {
            "verdict": self.verdict.value,
            "findings": [f.to_json(fingerprint=fingerprints) for f in self.findings],
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


def check(graph: RepoGraph, *, baseline: Baseline | None = None, today: date | None = None,
          index: ImportIndex | None = None) -> CheckReport:
    """Evaluate every Rule node of ``graph`` (see ``queries.contracts`` for the semantics)."""
    return apply_baseline(judge(graph, today=today, index=index), baseline)


def judge(graph: RepoGraph, *, today: date | None = None, index: ImportIndex | None = None) -> CheckReport:
    """Every Rule node of ``graph`` judged without a baseline: every finding reported, none baselined.

    ``check`` is this followed by ``apply_baseline``; the judgement alone is what
    can be kept (``to_answer``), since the baseline is a file read at check time.
    It depends on ``today`` only through the exceptions' expiry dates
    (``contract_expiry.judged_alike``). ``index`` is ``ImportIndex(graph)`` when the caller has
    it (the PR check derives the head's from the base's).
    """
    today = today or date.today()
    from cairn.graph.decisions import enforcement
    from cairn.graph.rules import DeclaredRule
    from cairn.queries.contracts.index import ImportIndex
    from cairn.queries.contracts.registry import CONTRACTS

    index = index if index is not None else ImportIndex(graph)
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
    report.findings = sorted(unique.values(), key=lambda f: (-f.severity.rank, f.rule, f.source or "", f.target or ""))
    report.verdict = Verdict.of(f.severity for f in report.findings)
    return report


def apply_baseline(judged: CheckReport, baseline: Baseline | None) -> CheckReport:
    """``judged`` (a ``judge`` result, nothing baselined yet) with the findings ``baseline`` holds set apart."""
    if judged.baselined or judged.stale_baseline:
        raise ValueError("apply_baseline takes a judgement without a baseline")
    entries = baseline.entries if baseline else frozenset()
    findings: list[Finding] = []
    baselined: list[Finding] = []
    for f in judged.findings:
        (baselined if f.key in entries else findings).append(f)
    return replace(judged, verdict=Verdict.of(f.severity for f in findings), findings=findings, baselined=baselined,
                   stale_baseline=sorted(entries - {f.key for f in judged.findings}))


def expiry_dates(graph: RepoGraph) -> list[str]:
    """The expiry dates (ISO) of every rule exception of ``graph``: the only dates a judgement depends on."""
    from cairn.graph.rules import DeclaredRule

    dates = {e.expires for node in graph.of_label(Label.RULE) for e in DeclaredRule.from_node(node).spec.exceptions
             if e.expires is not None}
    return sorted(d.isoformat() for d in dates)




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
