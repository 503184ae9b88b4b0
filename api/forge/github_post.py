"""The PR check on a GitHub pull request: one sticky comment and one check run.

Comment: Cairn's earlier comment is the one whose body starts with the marker
``<!-- cairn-pr-check -->``, found by reading every page of
``GET /repos/{owner}/{repo}/issues/{n}/comments``; it is updated in place
(``PATCH /repos/{owner}/{repo}/issues/comments/{id}``), else created
(``POST …/issues/{n}/comments``). A re-run never adds a second comment.

Check run: ``POST /repos/{owner}/{repo}/check-runs`` named "Cairn" on the
pull request's head commit, completed, with the verdict as its conclusion
and the report as its summary (``api.render.check_run``), and one annotation
per finding that has a file and a line. GitHub takes at most 50 annotations a
request: the first 50 go with the creation, the rest in batches of 50 with
``PATCH …/check-runs/{id}`` (GitHub appends them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from cairn.api.render.check_run import CHECK_NAME, annotations, check_run_output, conclusion
from cairn.api.render.pr_comment import MARKER, fit, pr_markdown
from cairn.ingest.forge.http import ForgeClient
from cairn.queries.pr_check import PRReport

ANNOTATIONS_PER_REQUEST = 50
COMMENT_LIMIT = 65_536


@dataclass
class Posted:
    what: str      # "comment", "check run", "note"
    id: Any
    url: str | None
    action: str    # "created" or "updated"

    def line(self) -> str:
        return f"{self.what} {self.action}" + (f": {self.url}" if self.url else f" (id {self.id})")

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "id": self.id, "url": self.url, "action": self.action}


def upsert_comment(client: ForgeClient, slug: str, number: int, body: str) -> Posted:
    for comment in client.paginate(f"/repos/{slug}/issues/{number}/comments"):
        if str(comment.get("body") or "").lstrip().startswith(MARKER):
            data = client.json("PATCH", f"/repos/{slug}/issues/comments/{int(comment['id'])}", json={"body": body}) or {}
            return Posted("comment", comment["id"], data.get("html_url") or comment.get("html_url"), "updated")
    data = client.json("POST", f"/repos/{slug}/issues/{number}/comments", json={"body": body}) or {}
    return Posted("comment", data.get("id"), data.get("html_url"), "created")


def create_check_run(client: ForgeClient, slug: str, head_sha: str, report: PRReport) -> Posted:
    notes = annotations(report)
    output = check_run_output(report)
    body = {
        "name": CHECK_NAME, "head_sha": head_sha, "status": "completed", "conclusion": conclusion(report),
        "completed_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "output": {**output, "annotations": notes[:ANNOTATIONS_PER_REQUEST]},
    }
    run = client.json("POST", f"/repos/{slug}/check-runs", json=body) or {}
    for start in range(ANNOTATIONS_PER_REQUEST, len(notes), ANNOTATIONS_PER_REQUEST):
        client.json("PATCH", f"/repos/{slug}/check-runs/{int(run['id'])}",
                    json={"output": {**output, "annotations": notes[start:start + ANNOTATIONS_PER_REQUEST]}})
    return Posted("check run", run.get("id"), run.get("html_url"), "created")


def post_to_pull_request(client: ForgeClient, slug: str, number: int, head_sha: str | None, report: PRReport) -> list[Posted]:
    """The sticky comment, then the check run (on ``head_sha``, else the report's head commit)."""
    posted = [upsert_comment(client, slug, number, fit(pr_markdown(report), COMMENT_LIMIT))]
    sha = head_sha or report.head
    if sha:
        posted.append(create_check_run(client, slug, sha, report))
    return posted
