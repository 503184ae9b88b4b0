"""Governance tools: decisions, rules, the boundary check, and the PR check of a proposed diff."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from pydantic import Field

from cairn.api.mcp.params import Cursor, Limit, OptionalComponent, Repository
from cairn.api.mcp.registry import Tools
from cairn.api.mcp.shape import finding, page, paged, trim
from cairn.api.services import reads
from cairn.api.services.changes import pr_check_diff as check_diff
from cairn.api.services.checks import check_boundaries

DECISION_FIELDS = ("path", "number", "title", "status", "date", "components", "rules", "supersedes", "superseded_by",
                   "amends", "amended_by")
PROBLEMS_SHOWN = 3

Full = Annotated[bool, Field(description="The whole report, every field and finding, instead of the summary")]


#: Rule fields at their default value say nothing: left out of the compact answer.
RULE_DEFAULTS = {"transitive": False, "include_type_only": False, "include_dynamic": True, "as_packages": True, "depth": 0}


def rule_row(rule: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in rule.items() if v not in ([], None, "") and RULE_DEFAULTS.get(k, object()) != v}
    for same in ("because", "source"):
        if row.get(same) == row.get("decision"):
            row.pop(same, None)
    return row


def decision_row(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in DECISION_FIELDS if d.get(k) not in (None, [], "")}


def findings_page(findings: list[dict[str, Any]], limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of findings as one line each, with counts by severity and by rule over all of them."""
    one = page([finding(f) for f in findings], limit, cursor)
    out = {"counts": dict(Counter(str(f.get("severity")) for f in findings)),
           "by_rule": dict(Counter(str(f.get("rule")) for f in findings).most_common(10)),
           "findings": one["items"], "findings_total": one["total"]}
    if "next_cursor" in one:
        out["next_cursor"] = one["next_cursor"]
    return out


def compact_check(report: dict[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
    summary = report.get("summary") or {}
    out = {"verdict": report["verdict"], "rules_checked": summary.get("rules_checked"), "baselined": report.get("baselined"),
           **findings_page(report.get("findings") or [], limit, cursor)}
    for key in ("skipped_rules", "expired_exceptions", "unused_exceptions", "problems", "stale_baseline_entries"):
        if report.get(key):
            out[key] = report[key][:PROBLEMS_SHOWN]
            if len(report[key]) > PROBLEMS_SHOWN:
                out.setdefault("omitted", {})[key] = len(report[key]) - PROBLEMS_SHOWN
    return out


def compact_pr_report(report: dict[str, Any], limit: int) -> dict[str, Any]:
    """The PR check as an agent acts on it: the verdict, the top findings with file:line, the reviewers to ask."""
    out = {"verdict": report["verdict"], **findings_page(report.get("findings") or [], limit, None)}
    out.pop("next_cursor", None)
    if out["findings_total"] > len(out["findings"]):
        out["omitted"] = {"findings": out["findings_total"] - len(out["findings"])}
    out["touched_components"] = [
        {"name": c["name"], "truck_factor": c.get("truck_factor"), "at_risk": c.get("at_risk"),
         "holders_gone": [h["person"] for h in c.get("knowledge_holders") or [] if not h.get("active", True)][:3] or None}
        for c in report.get("touched_components") or []]
    out["suggested_reviewers"] = list(report.get("suggested_reviewers") or [])
    out["new_imports"] = len([e for e in report.get("new_edges") or [] if not e.get("reached")])  # written by it
    # the dependencies the change adds to the repository (not a module's first import of a package used elsewhere)
    added = sorted({e["target"].removeprefix("external:") for e in report.get("new_edges") or []
                    if e.get("first_use") and not e.get("stdlib") and not e.get("test_only")
                    and not e.get("build_config")})
    if added:
        out["new_packages"] = added
    agent = report.get("agent") or {}
    out["agent_detected"] = bool(agent.get("detected"))
    rationale = report.get("rationale") or {}
    out["rationale_present"] = bool(rationale.get("present"))
    if rationale.get("decision_references"):
        out["decision_references"] = rationale["decision_references"]
    trim(out, ["touched_components", "suggested_reviewers"], limit)
    if out.get("omitted"):
        out["more"] = "pass a larger limit, or full=true for the whole report"
    return out


def register(tool: Tools) -> None:
    ws = tool.ws

    @tool
    def decisions(status: Annotated[str | None, Field(
                      description="Only decisions whose status starts with this word (accepted, proposed, superseded …)")] = None,
                  component: OptionalComponent = None, limit: Limit = 20, cursor: Cursor = None,
                  repository: Repository = None) -> dict[str, Any]:
        """The architecture decision records (ADRs): path, title, status, date, the components they govern, the rules
        they declare, and supersession links. Filter by `status` or `component`; pages of `limit`, `next_cursor`
        for more. To read one decision, open its file at `path`."""
        name = ws.repository(repository).repo
        data = reads.decisions(ws, name)
        rows = [decision_row(d) for d in data["decisions"]
                if (not status or str(d.get("status") or "").lower().startswith(status.lower()))
                and (not component or component in (d.get("components") or []))]
        out = paged({"repository": name, "decisions": rows}, "decisions", limit, cursor)
        problems = data.get("problems") or []
        if problems:
            out["problems"] = [str(p) for p in problems[:PROBLEMS_SHOWN]]
            out["problems_total"] = len(problems)
        return out

    @tool
    def rules(component: OptionalComponent = None, limit: Limit = 20, cursor: Cursor = None,
              repository: Repository = None) -> dict[str, Any]:
        """The boundary rules (layers, forbidden imports, independence, allowed-only, acyclic, interfaces) with their
        severity and the decision behind each; with `component`, only the rules that name it. Call it before adding
        an import across components. Pages of `limit`, `next_cursor` for more."""
        data = reads.rules(ws, repository, component)
        return paged({**data, "rules": [rule_row(r) for r in data["rules"]]}, "rules", limit, cursor)

    @tool
    def check_rules(limit: Limit = 10, cursor: Cursor = None, full: Full = False, repository: Repository = None) -> dict[str, Any]:
        """Check the boundary rules on the code as ingested: the verdict (pass, warn or block), counts by severity and
        rule, and the violations one line each (rule, severity, where = file:line, message, decision). Pages of
        `limit`, `next_cursor` for more; `full=true` for the whole report."""
        report = check_boundaries(ws, repository).report.to_json()
        return report if full else compact_check(report, limit, cursor)

    @tool
    def pr_check_diff(diff: Annotated[str, Field(description="A unified diff (git diff) of the change")],
                      files: Annotated[dict[str, str], Field(
                          description="path -> full text after the change, for every added or modified file")],
                      author: Annotated[str | None, Field(description="Who writes the change, e.g. 'Claude <noreply@anthropic.com>'")] = None,
                      description: Annotated[str | None, Field(
                          description="The PR description: your rationale, or the ADR you follow")] = None,
                      limit: Limit = 10, full: Full = False, repository: Repository = None) -> dict[str, Any]:
        """Check a change before you open a PR: give the unified diff and the post-change text of every added or
        modified file. Returns the verdict (pass, warn, block), the top findings one line each (new boundary
        violations, new component dependencies and cycles, those it removes, at-risk components touched; where =
        file:line), the components touched and who should review. Put your rationale or the ADR you follow in
        `description`: an agent's change without one is judged more strictly. `full=true` for the whole report."""
        report = check_diff(ws, repository, diff, files, description=description, author=author).to_json()
        return report if full else compact_pr_report(report, limit)

