"""The PR check on a GitHub pull request: one sticky comment and one check run.

Comment: Cairn's earlier comment is the one whose body starts with the marker
``<!-- cairn-pr-check -->``, found by reading every page of
``GET /repos/{owner}/{repo}/issues/{n}/comments``; it is updated in place
(``PATCH /repos/{owner}/{repo}/issues/comments/{id}``), else created
(``POST …/issues/{n}/comments``). A re-run never adds a second comment.

Check run: ``POST /repos/{owner}/{repo}/check-runs`` named "Cairn" on the
pull request's head commit, completed, with the verdict as its conclusion
(block → failure, warn → neutral, pass → success), the Markdown report as the
summary, and one annotation per finding that has a file and a line. GitHub
takes at most 50 annotations a request: the first 50 go with the creation,
the rest in batches of 50 with ``PATCH …/check-runs/{id}`` (GitHub appends them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from cairn.ingest.forge.http import ForgeClient
from cairn.queries.pr_report import MARKER, pr_markdown

CHECK_NAME = "Cairn"
CONCLUSION = {"block": "failure", "warn": "neutral", "pass": "success"}
ANNOTATION_LEVEL = {"block": "failure", "warn": "warning", "info": "notice"}
ANNOTATIONS_PER_REQUEST = 50
COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 65_535


@dataclass
class Posted:
    what: str      # "comment", "check run", "note"
    id: Any
    url: str | None
    action: str    # "created" or "updated"

    def line(self) -> str:
        return f"{self.what} {self.action}" + (f": {self.url}" if self.url else f" (id {self.id})")


def fit(text: str, limit: int) -> str:
    """``text`` cut at a line boundary so that it fits in ``limit`` characters, saying so."""
    if len(text) <= limit:
        return text
    note = "\n\n… the report is longer than GitHub allows here; the full report is in the job log.\n"
    cut = text[: limit - len(note)]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut + note


def comment_body(report: dict[str, Any]) -> str:
    return fit(pr_markdown(report), COMMENT_LIMIT)


def upsert_comment(client: ForgeClient, slug: str, number: int, body: str) -> Posted:
    for comment in client.paginate(f"/repos/{slug}/issues/{number}/comments"):
        if str(comment.get("body") or "").lstrip().startswith(MARKER):
            data = client.json("PATCH", f"/repos/{slug}/issues/comments/{int(comment['id'])}", json={"body": body}) or {}
            return Posted("comment", comment["id"], data.get("html_url") or comment.get("html_url"), "updated")
    data = client.json("POST", f"/repos/{slug}/issues/{number}/comments", json={"body": body}) or {}
    return Posted("comment", data.get("id"), data.get("html_url"), "created")


def annotations(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One check-run annotation per finding with a file and a line."""
    out = []
    for f in report.get("findings") or []:
        if not f.get("file") or not f.get("line"):
            continue
        message = str(f.get("message") or f.get("rule"))
        if f.get("decision"):
            message += f"\nDecision: {f['decision']}"
        out.append({
            "path": str(f["file"]), "start_line": int(f["line"]), "end_line": int(f["line"]),
            "annotation_level": ANNOTATION_LEVEL.get(f.get("severity"), "notice"),
            "title": f"{f.get('rule')} ({f.get('severity')})"[:255], "message": message[:60_000],
        })
    return out


def check_title(report: dict[str, Any]) -> str:
    findings = report.get("findings") or []
    blocking = sum(1 for f in findings if f.get("severity") == "block")
    title = f"{report.get('verdict', 'pass')}: {len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return title + (f", {blocking} blocking" if blocking else "")


def create_check_run(client: ForgeClient, slug: str, head_sha: str, report: dict[str, Any]) -> Posted:
    notes = annotations(report)
    output = {"title": check_title(report), "summary": fit(pr_markdown(report), SUMMARY_LIMIT)}
    body = {
        "name": CHECK_NAME, "head_sha": head_sha, "status": "completed",
        "conclusion": CONCLUSION.get(report.get("verdict"), "neutral"),
        "completed_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "output": {**output, "annotations": notes[:ANNOTATIONS_PER_REQUEST]},
    }
    run = client.json("POST", f"/repos/{slug}/check-runs", json=body) or {}
    for start in range(ANNOTATIONS_PER_REQUEST, len(notes), ANNOTATIONS_PER_REQUEST):
        client.json("PATCH", f"/repos/{slug}/check-runs/{int(run['id'])}",
                    json={"output": {**output, "annotations": notes[start:start + ANNOTATIONS_PER_REQUEST]}})
    return Posted("check run", run.get("id"), run.get("html_url"), "created")


def post_to_pull_request(client: ForgeClient, slug: str, number: int, head_sha: str | None, report: dict[str, Any]) -> list[Posted]:
    """The sticky comment, then the check run (on ``head_sha``, else the report's head commit)."""
    posted = [upsert_comment(client, slug, number, comment_body(report))]
    sha = head_sha or report.get("head")
    if sha:
        posted.append(create_check_run(client, slug, sha, report))
    return posted
