"""Review records from GitLab: merged merge requests, their approvals and review notes, their changed files.

``GET /projects/:id/merge_requests?state=merged&order_by=updated_at&sort=desc``
(``updated_after`` for an incremental import) lists merge requests. For each:

* ``GET …/merge_requests/:iid/approvals``: every approver counts, dated by
  ``approved_at`` when GitLab gives it, else by the merge;
* ``GET …/merge_requests/:iid/notes``: a person's non-system note (a review
  comment) counts, dated by the latest;
* ``GET …/merge_requests/:iid/diffs`` (GitLab 15.7+; ``…/changes`` on older
  servers): the changed files at their new path, deleted files left out.

Bots never count (``bot: true``, project and group access-token users such as
``project_12_bot_…``, GitLab's own ``ghost``/``support-bot``), nor does the
merge request's author; agents are recognised later by ``cairn.ingest.reviews``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from cairn.graph.errors import ForgeError
from cairn.ingest.forge.http import ForgeClient
from cairn.ingest.forge.records import GITLAB_BOT_USER, Harvest, iso_z, later, parse_time, review_record


def project_path(project: str) -> str:
    """``/projects/:id`` for a numeric id or a ``group/name`` path (URL-encoded, as GitLab wants it)."""
    return f"/projects/{quote(str(project).strip(), safe='')}"


def is_bot(user: dict[str, Any]) -> bool:
    return bool(user.get("bot")) or bool(GITLAB_BOT_USER.match(str(user.get("username") or "")))


def read_gitlab_reviews(client: ForgeClient, project: str, *, updated_after: datetime | None = None,
                        merged_since: datetime | None = None) -> Harvest:
    harvest = Harvest(source=f"gitlab:{project}")
    base = project_path(project)
    params: dict[str, Any] = {"state": "merged", "order_by": "updated_at", "sort": "desc"}
    if updated_after is not None:
        params["updated_after"] = iso_z(updated_after)
    for mr in client.paginate(f"{base}/merge_requests", params):
        updated = mr.get("updated_at")
        if updated_after is not None and parse_time(updated) <= updated_after:
            break
        harvest.saw(updated)
        merged_at = mr.get("merged_at")
        if merged_since is not None and merged_at and parse_time(merged_at) < merged_since:
            continue
        harvest.pull_requests += 1
        iid = int(mr["iid"])
        author = str(((mr.get("author") or {}).get("username")) or "").lower()
        people: dict[str, dict[str, Any]] = {}

        def count(user: dict[str, Any] | None, when: str | None) -> None:
            if not user or not user.get("username"):
                return
            if is_bot(user):
                harvest.skipped_bots += 1
                return
            login = str(user["username"])
            if login.lower() == author:
                return
            entry = people.setdefault(login, {"name": user.get("name"), "when": None})
            entry["when"] = later(entry["when"], when)

        approvals = client.get(f"{base}/merge_requests/{iid}/approvals") or {}
        for approval in approvals.get("approved_by") or []:
            count(approval.get("user"), approval.get("approved_at") or merged_at)
        for note in client.paginate(f"{base}/merge_requests/{iid}/notes", {"sort": "asc", "order_by": "created_at"}):
            if not note.get("system"):
                count(note.get("author"), note.get("updated_at") or note.get("created_at"))
        if not people:
            continue
        files = sorted({c["new_path"] for c in _changes(client, base, iid) if c.get("new_path") and not c.get("deleted_file")})
        if not files:
            continue
        for login, entry in sorted(people.items()):
            harvest.records.append(review_record(harvest.source, f"{project}!{iid}", login, files, entry["when"], name=entry["name"]))
    return harvest


def _changes(client: ForgeClient, base: str, iid: int) -> list[dict[str, Any]]:
    try:
        return list(client.paginate(f"{base}/merge_requests/{iid}/diffs"))
    except ForgeError as exc:
        if exc.status != 404:
            raise
    data = client.get(f"{base}/merge_requests/{iid}/changes") or {}
    return list(data.get("changes") or [])
