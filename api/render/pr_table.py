"""The PR check for a terminal: the verdict, then tables of findings and touched components, new imports, reviewers.

The same content as the PR comment (``render.pr_comment``), as what the
console prints (``Styled`` lines and tables): repository text is literal (``render.terminal``), knowledge
holders who left are marked, the packages the change brings in are listed as
``pr_comment.new_packages`` words them.
"""

from __future__ import annotations

from typing import Iterator

from cairn.api.render.console import Styled
from cairn.api.render.pr_comment import INFO_SHOWN, import_site, moved_line, new_packages, reached_line
from cairn.api.render.terminal import (Bullet, FittedTable, IDENTIFIER, NOT_COUNTED, NUMBER, common_package_path, count,
                                       literal, table)
from cairn.graph.findings import Finding
from cairn.graph.severity import Severity
from cairn.queries.pr_check import PRReport

VERDICT_STYLE = {"block": "bold red", "warn": "yellow", "info": "", "pass": "green"}
SEVERITY_STYLE = {"block": "bold red", "warn": "yellow", "info": "dim"}
HOLDERS_SHOWN = 4
INTERNAL_EDGES_SHOWN = 20


def pr_table(report: PRReport) -> Iterator[Styled | FittedTable | Bullet]:
    """What ``cairn pr-check --format table`` prints, one renderable after the other."""
    verdict = report.verdict.value
    refs = f" ({_short(report.base)} → {_short(report.head)})" if report.base or report.head else ""
    yield Styled.assemble("Cairn PR check: ", (verdict, VERDICT_STYLE.get(verdict, "")),
                        f"{refs}, {count(len(report.changed_files), 'changed file')}")
    if report.agent.detected:
        yield literal("agent-authored change: " + "; ".join(report.agent.evidence), "yellow")
        if not report.rationale.present:
            yield literal("no rationale and no decision referenced: boundary and knowledge-risk findings were raised one step")
    if report.findings:
        # each finding once, under its rule: its message names the files, lines, imports and decision (a table of
        # where/import beside it repeated them, folded over four lines a path at 80 columns)
        yield literal(count(len(report.findings), "finding"), "bold")
        by_rule: dict[tuple[Severity, str], list[Finding]] = {}
        for f in sorted(report.findings, key=lambda f: (-f.severity.rank, f.rule)):
            by_rule.setdefault((f.severity, f.rule), []).append(f)
        for (severity, rule), found in by_rule.items():
            yield Styled.assemble((severity.value, SEVERITY_STYLE[severity.value]), " ", (rule, "bold"),
                                  f" ({len(found)})" if len(found) > 1 else "")
            shown = found if severity is not Severity.INFO else found[:INFO_SHOWN]
            for f in shown:
                yield Bullet(f.message)
            if len(found) > len(shown):
                yield literal(f"  +{len(found) - len(shown)} more (--format json lists every finding)", "dim")
    else:
        yield literal("no new boundary violations, couplings or cycles")
    if report.touched_components:
        rows = []
        for c in report.touched_components:
            # one holder a line: side by side, at 80 columns each name and share folded over two
            holders = "\n".join(f"{h.person} {h.share:.0%}{f' ({c.gone_mark(h.id)})' if h.id in c.gone else ''}" for h in c.knowledge_holders[:HOLDERS_SHOWN])
            factors = NOT_COUNTED if c.truck_factor is None else f"{c.truck_factor} ({NOT_COUNTED if c.human_truck_factor is None else c.human_truck_factor})"
            rows.append((c.name, count(len(c.files), "file"), factors, holders, literal("yes", "bold red") if c.at_risk else "no"))
        yield table("Components touched", [("component", IDENTIFIER), ("changed", NUMBER), ("TF (human)", NUMBER),
                                           "knowledge holders", "at risk"], rows)
    internal = [e for e in report.new_edges if not e.external and not e.reached]
    if internal:
        shown = internal[:INTERNAL_EDGES_SHOWN]
        prefix = common_package_path([name for e in shown for name in (e.source, e.target)])
        rows = [(e.source.removeprefix(prefix), e.target.removeprefix(prefix), import_site(e)) for e in shown]
        more = f" (first {INTERNAL_EDGES_SHOWN})" if len(internal) > INTERNAL_EDGES_SHOWN else ""
        below = f" (below {prefix})" if prefix else ""
        yield table(f"{count(len(internal), 'new import')} between modules{more}{below}",
                    [("module", IDENTIFIER), ("imports", IDENTIFIER), ("at", IDENTIFIER)], rows)
    reached = reached_line(report.new_edges)
    if reached:
        yield literal(reached)
    for line in new_packages(report.new_edges):
        yield literal(line)
    if report.moved_imports:
        yield literal(moved_line(report.moved_imports))
    reviewers = ", ".join(r.name for r in report.suggested_reviewers)
    yield literal("suggested reviewers: " + (reviewers or "no human knowledge holder found for the touched components"))


def _short(ref: str | None) -> str:
    """A commit id as ``git log --oneline`` shows it; a branch name as it is."""
    if not ref:
        return "?"
    return ref[:12] if len(ref) == 40 and all(c in "0123456789abcdef" for c in ref) else ref
