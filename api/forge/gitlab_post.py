"""The PR check on a GitLab merge request: one sticky note.

Cairn's earlier note is the non-system note whose body starts with
``<!-- cairn-pr-check -->``, found by reading every page of
``GET /projects/:id/merge_requests/:iid/notes``; it is updated in place
(``PUT …/notes/:note_id``), else created (``POST …/notes``). The Code Quality
report for the merge request widget is a file (``--format codeclimate``),
which the job publishes as an artifact; see ``codeclimate``.
"""

from __future__ import annotations

from cairn.api.forge.github_post import Posted
from cairn.api.render.pr_comment import MARKER, fit, pr_markdown
from cairn.ingest.forge.gitlab import project_path
from cairn.ingest.forge.http import ForgeClient
from cairn.queries.pr_check import PRReport

NOTE_LIMIT = 1_000_000


def upsert_note(client: ForgeClient, project: str, iid: int, body: str) -> Posted:
    base = f"{project_path(project)}/merge_requests/{iid}/notes"
    for note in client.paginate(base, {"sort": "asc", "order_by": "created_at"}):
        if not note.get("system") and str(note.get("body") or "").lstrip().startswith(MARKER):
            client.json("PUT", f"{base}/{int(note['id'])}", json={"body": body})
            return Posted("note", note["id"], None, "updated")
    data = client.json("POST", base, json={"body": body}) or {}
    return Posted("note", data.get("id"), None, "created")


def post_to_merge_request(client: ForgeClient, project: str, iid: int, report: PRReport) -> list[Posted]:
    return [upsert_note(client, project, iid, fit(pr_markdown(report), NOTE_LIMIT))]
