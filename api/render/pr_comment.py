"""The PR check as one Markdown comment a bot can post and then keep updated.

The comment starts with a hidden marker (``<!-- cairn-pr-check -->``) so a bot
can find its previous comment and edit it instead of adding another. Holders
who left or went quiet are marked; an incomplete history is said at the top;
each suggested reviewer comes with the reasons (``queries.reviewers``); past
ten findings of a rule only worth knowing (co-changes), the rest fold under a
summary.
``fit`` cuts it to a forge's size limit (a GitHub comment, a check run
summary, a GitLab note) at a line boundary.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterable

from cairn.graph.findings import Finding
from cairn.graph.severity import Severity
from cairn.queries.pr_check import NewEdge, PRReport

MARKER = "<!-- cairn-pr-check -->"
ICON = {"block": "⛔", "warn": "⚠️", "info": "ℹ️", "pass": "✅"}
FINDINGS_HEADER = ("| severity | rule | where | evidence | decision |", "|---|---|---|---|---|")
#: findings of one rule only worth knowing that are shown (here in the table, the rest under a summary; in
#: ``pr_table``, the rest counted): prometheus, twelve commits, had 22 co-changes
INFO_SHOWN = 10


def fit(text: str, limit: int) -> str:
    """``text`` cut at a line boundary so that it fits in ``limit`` characters, saying so."""
    if len(text) <= limit:
        return text
    note = "\n\n… the report is longer than the forge allows here; the full report is in the job log.\n"
    cut = text[: limit - len(note)]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut + note


def _cell(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _tf(value: int | None) -> str:
    """A truck factor; ``–`` for a component with none (no file it counts, or new)."""
    return "–" if value is None else str(value)


def _finding_row(f: Finding) -> str:
    where = f.file + (f":{f.line}" if f.line else "") if f.file else ""
    # (the source and target as code, unless the message names both already: a co-change's does)
    said = f.source and f.target and f.source in f.message and f.target in f.message
    evidence = f"`{f.source}` → `{f.target}` " if f.source and f.target and not said else ""
    return (f"| {ICON[f.severity.value]} {f.severity.value} | `{_cell(f.rule)}` | {_cell(where)} | {evidence}{_cell(f.message)} | "
            f"{_cell(f.decision or '')} |")


def pr_markdown(report: PRReport) -> str:
    verdict = report.verdict.value
    lines = [MARKER, f"## {ICON.get(verdict, '')} Cairn: {verdict}", ""]
    if not report.history_complete:
        # (the ingest's warnings begin with "history incomplete: ", which the line says already)
        warnings = [w.removeprefix("history incomplete: ") for w in report.history.get("warnings") or []] \
            or ["the stored history is incomplete"]
        lines += [f"{ICON['warn']} **History incomplete**: " + "; ".join(warnings) + ". Knowledge figures and reviewers may miss people.", ""]
    if report.agent.detected:
        lines.append("**Agent-authored change.** " + "; ".join(report.agent.evidence) + ".")
        if not report.rationale.present:
            lines.append("The description gives no rationale and references no decision, so boundary and knowledge-risk findings were raised one step.")
        lines.append("")
    if report.findings:
        lines += ["### Findings", "", *FINDINGS_HEADER]
        folded: dict[str, list[Finding]] = {}  # past INFO_SHOWN of a rule only worth knowing: under a summary
        shown: Counter[str] = Counter()
        for f in sorted(report.findings, key=lambda f: (-f.severity.rank, f.rule)):
            if f.severity is Severity.INFO and shown[f.rule] >= INFO_SHOWN:
                folded.setdefault(f.rule, []).append(f)
                continue
            shown[f.rule] += 1
            lines.append(_finding_row(f))
        lines.append("")
        for rule, rest in folded.items():
            lines += [f"<details><summary>{len(rest)} more <code>{_cell(rule)}</code> finding(s)</summary>", "", *FINDINGS_HEADER,
                      *map(_finding_row, rest), "", "</details>", ""]
    else:
        lines += ["No new boundary violations, couplings or cycles.", ""]
    if report.touched_components:
        lines += ["### Components touched", "", "| component | truck factor | human truck factor | knowledge holders | at risk |", "|---|---|---|---|---|"]
        for c in report.touched_components:
            holders = ", ".join(f"{h.person} ({round(100 * h.share)}%{', ' + c.gone_mark(h.id) if h.id in c.gone else ''})" for h in c.knowledge_holders[:4])
            lines.append(f"| {_cell(c.name)} | {_cell(_tf(c.truck_factor))} | {_cell(_tf(c.human_truck_factor))} | {_cell(holders)} | "
                         f"{'yes' if c.at_risk else 'no'} |")
        lines.append("")
    if report.new_edges:
        internal = [e for e in report.new_edges if not e.external and not e.reached]
        listed = [f"- `{e.source}` → `{e.target}` ({e.kind}, {import_site(e, unknown_line='?')})" for e in internal[:50]]
        if len(internal) > 50:
            listed.append(f"- … {len(internal) - 50} more (`--format json` lists them all)")
        reached = reached_line(report.new_edges, code=lambda name: f"`{name}`")
        if reached:
            lines += [reached, ""]
        packages = new_packages(report.new_edges, code=lambda name: f"`{name}`")
        listed += [f"- {line}" for line in packages]
        if listed:  # (a module's first import of a package used elsewhere, or in a test only, is not listed)
            # the summary counts what the list holds (jaeger: "4 new import edge(s)" over two lines)
            summary = ", ".join(part for part in (
                f"{len(internal)} new import edge(s) between modules" if internal else "",
                "new packages" if packages else "") if part)
            lines += [f"<details><summary>{summary}</summary>\n", *listed, "", "</details>", ""]
    if report.moved_imports:
        lines += [moved_line(report.moved_imports), ""]
    lines.append("### Suggested reviewers")
    if not report.suggested_reviewers:
        lines.append("No human knowledge holder found for the changed files.")
    for r in report.suggested_reviewers:
        why = "; ".join(r.reasons)
        lines.append(f"- **{_cell(r.name)}**" + (f" — {_cell(why)}" if why else ""))
    return "\n".join(lines) + "\n"


def import_site(edge: NewEdge, unknown_line: str | None = None) -> str:
    """Where a new import is: its file and first line (``unknown_line`` when none is known; left out when that is
    None), or the line alone where the module is named by its file (JavaScript, Rust: svelte's sample paths stood
    twice in a row, each over three lines at 80 columns)."""
    line = str(edge.lines[0]) if edge.lines else unknown_line
    if edge.file == edge.source:
        return f"line {line}" if line is not None else ""
    return (edge.file or "") + (f":{line}" if line is not None else "")


def reached_line(edges: Iterable[NewEdge], code: Callable[[str], str] = str) -> str | None:
    """One line for the new edges no import the author wrote makes (``NewEdge.reached``): how many, from how many
    files the change does not touch, to which modules — once, not an edge a line (ktor's move of WaitUtils.kt was 86
    lines of files nobody touched)."""
    reached = [e for e in edges if e.reached and not e.external]
    if not reached:
        return None
    targets = sorted({e.target for e in reached})
    named = ", ".join(map(code, targets[:3])) + (f" and {len(targets) - 3} more" if len(targets) > 3 else "")
    files = len({e.file for e in reached})
    return (f"{len(reached)} import edge(s) from {files} file(s) this change does not touch reach {named} "
            "through imports already there (none written by this change)")


def moved_line(count: int) -> str:
    """One line for the imports of the base the change moved with their files (``PRReport.moved_imports``): not new,
    and not listed (ripgrep's move of every crate into ``crates/`` listed 152 as new)."""
    return f"{count} import edge(s) moved with their files: the same imports as before, not new"


def new_packages(edges: Iterable[NewEdge], code: Callable[[str], str] = str) -> list[str]:
    """The packages a change brings in, as lines: external packages the repository imported nowhere before (its new
    dependencies; those only tests import apart, and those only a build or test tool's configuration imports:
    ``NewEdge.build_config``), then standard-library modules newly imported outside them. A
    package used elsewhere that a changed module imports for the first time is no new dependency: not listed."""
    def names(wanted: Callable[[NewEdge], bool]) -> list[str]:
        return sorted({e.target.removeprefix("external:") for e in edges if wanted(e)})

    edges = list(edges)
    product = names(lambda e: e.external and not e.stdlib and e.first_use and not e.test_only and not e.build_config)
    tests = [n for n in names(lambda e: e.external and not e.stdlib and e.first_use and e.test_only) if n not in product]
    build = [n for n in names(lambda e: e.external and not e.stdlib and e.first_use and e.build_config and not e.test_only)
             if n not in product and n not in tests]
    stdlib = names(lambda e: e.stdlib and not e.test_only and not e.build_config)
    return [f"{title}: {', '.join(map(code, found))}" for title, found in (
        ("new external packages", product), ("new external packages in tests only", tests),
        ("new external packages in build configuration only", build),
        ("new standard-library imports", stdlib)) if found]
