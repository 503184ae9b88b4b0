"""The PR check as one Markdown comment a bot can post and then keep updated.

The comment starts with a hidden marker (``<!-- cairn-pr-check -->``) so a bot
can find its previous comment and edit it instead of adding another.
"""

from __future__ import annotations

from typing import Any

MARKER = "<!-- cairn-pr-check -->"
ICON = {"block": "⛔", "warn": "⚠️", "info": "ℹ️", "pass": "✅"}


def _cell(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def pr_markdown(report: dict[str, Any]) -> str:
    verdict = report["verdict"]
    lines = [MARKER, f"## {ICON.get(verdict, '')} Cairn: {verdict}", ""]
    if report.get("history_complete") is False:
        warnings = (report.get("history") or {}).get("warnings") or ["the stored history is incomplete"]
        lines += [f"{ICON['warn']} **History incomplete**: " + "; ".join(warnings) + ". Knowledge figures and reviewers may miss people.", ""]
    agent = report.get("agent") or {}
    if agent.get("detected"):
        lines.append("**Agent-authored change.** " + "; ".join(agent.get("evidence", [])) + ".")
        rationale = report.get("rationale") or {}
        if not rationale.get("present"):
            lines.append("The description gives no rationale and references no decision, so boundary and knowledge-risk findings were raised one step.")
        lines.append("")
    findings = report.get("findings") or []
    if findings:
        lines += ["### Findings", "", "| severity | rule | where | evidence | decision |", "|---|---|---|---|---|"]
        order = {"block": 0, "warn": 1, "info": 2}
        for f in sorted(findings, key=lambda f: (order.get(f["severity"], 3), f["rule"])):
            where = f["file"] + (f":{f['line']}" if f.get("line") else "") if f.get("file") else ""
            if f.get("source") and f.get("target"):
                evidence = f"`{f['source']}` → `{f['target']}`"
            else:
                evidence = ""
            lines.append(
                f"| {ICON.get(f['severity'], '')} {f['severity']} | `{_cell(f['rule'])}` | {_cell(where)} | {evidence} {_cell(f['message'])} | {_cell(f.get('decision') or '')} |"
            )
        lines.append("")
    else:
        lines += ["No new boundary violations, couplings or cycles.", ""]
    touched = report.get("touched_components") or []
    if touched:
        lines += ["### Components touched", "", "| component | truck factor | human truck factor | knowledge holders | at risk |", "|---|---|---|---|---|"]
        for c in touched:
            holders = ", ".join(f"{h['person']} ({round(100 * (h.get('share') or 0))}%)" for h in c["knowledge_holders"][:4])
            lines.append(
                f"| {_cell(c['name'])} | {_cell(c['truck_factor'])} | {_cell(c['human_truck_factor'])} | {_cell(holders)} | {'yes' if c['at_risk'] else 'no'} |"
            )
        lines.append("")
    new_edges = report.get("new_edges") or []
    if new_edges:
        internal = [e for e in new_edges if not e.get("external")]
        external = sorted({e["target"] for e in new_edges if e.get("external")})
        lines.append(f"<details><summary>{len(new_edges)} new import edge(s)</summary>\n")
        for e in internal[:50]:
            lines.append(f"- `{e['source']}` → `{e['target']}` ({e['kind']}, {e.get('file')}:{(e.get('lines') or ['?'])[0]})")
        if external:
            lines.append(f"- new external packages: {', '.join(f'`{x}`' for x in external)}")
        lines += ["", "</details>", ""]
    reviewers = report.get("suggested_reviewers") or []
    lines.append("### Suggested reviewers")
    if not reviewers:
        lines.append("No human knowledge holder found for the changed files.")
    for r in reviewers:
        if isinstance(r, str):
            lines.append(f"- {r}")
        else:
            why = "; ".join(r.get("reasons") or [])
            lines.append(f"- **{_cell(r.get('name'))}**" + (f" — {_cell(why)}" if why else ""))
    return "\n".join(lines) + "\n"
