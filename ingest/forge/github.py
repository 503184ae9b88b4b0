"""Review records from GitHub: merged pull requests, their reviews and their changed files.

``GET /repos/{owner}/{repo}/pulls?state=closed&sort=updated&direction=desc``
lists closed pull requests, newest update first, so an incremental import
stops at the first one not updated since the last import. For each merged one
(a closed, unmerged PR changed nothing anyone now has to know):

* ``GET /pulls/{n}/reviews``: reviews in state APPROVED, CHANGES_REQUESTED or
  COMMENTED count (PENDING and DISMISSED do not); a reviewer whose account is
  a bot (``user.type == "Bot"``) or the PR's own author never counts; several
  reviews by one person are one record, dated by the latest;
* ``GET /pulls/{n}/files``: the changed files at their new path (removed files
  are left out: nobody can know a file that is gone);
* ``GET /users/{login}`` (once per reviewer): the profile's name and public
  e-mail, so the login resolves to the person who commits under that name.

Agents are recognised later, by ``cairn.ingest.reviews`` (the same patterns as
history), so a coding agent's review never counts either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cairn.graph.errors import ForgeError
from cairn.ingest.forge.http import ForgeClient
from cairn.ingest.forge.records import Harvest, parse_time, review_record

COUNTED_STATES = frozenset({"APPROVED", "CHANGES_REQUESTED", "COMMENTED"})


def read_github_reviews(client: ForgeClient, slug: str, *, updated_after: datetime | None = None,
                        merged_since: datetime | None = None) -> Harvest:
    """Review records of ``slug`` (``owner/repo``) for PRs updated after ``updated_after`` and merged since ``merged_since``."""
    harvest = Harvest(source=f"github:{slug}")
    profiles: dict[str, dict[str, Any]] = {}
    listing = client.paginate(f"/repos/{slug}/pulls", {"state": "closed", "sort": "updated", "direction": "desc"})
    for pr in listing:
        updated = pr.get("updated_at")
        if updated_after is not None and parse_time(updated) <= updated_after:
            break  # sorted by update time: everything after this was read before
        harvest.saw(updated)
        merged_at = pr.get("merged_at")
        if not merged_at:
            harvest.skipped_unmerged += 1
            continue
        if merged_since is not None and parse_time(merged_at) < merged_since:
            continue
        harvest.pull_requests += 1
        number = int(pr["number"])
        author = str(((pr.get("user") or {}).get("login")) or "").lower()
        reviewers: dict[str, str | None] = {}
        for review in client.paginate(f"/repos/{slug}/pulls/{number}/reviews"):
            user = review.get("user") or {}
            login = user.get("login")
            if review.get("state") not in COUNTED_STATES or not login:
                continue
            if user.get("type") == "Bot":
                harvest.skipped_bots += 1
                continue
            if login.lower() == author:
                continue
            when = review.get("submitted_at")
            if login not in reviewers or (when and parse_time(when) > parse_time(reviewers[login])):
                reviewers[login] = when
        if not reviewers:
            continue
        files = sorted({f["filename"] for f in client.paginate(f"/repos/{slug}/pulls/{number}/files")
                        if f.get("filename") and f.get("status") != "removed"})
        if not files:
            continue
        for login, when in sorted(reviewers.items()):
            profile = profiles.get(login)
            if profile is None:
                profile = profiles[login] = _profile(client, login)
            harvest.records.append(review_record(harvest.source, f"{slug}#{number}", login, files, when,
                                                 name=profile.get("name"), email=profile.get("email")))
    return harvest


def _profile(client: ForgeClient, login: str) -> dict[str, Any]:
    try:
        data = client.get(f"/users/{login}")
    except ForgeError as exc:
        if exc.status == 404:  # a deleted account: the login is all there is
            return {}
        raise
    return {k: data.get(k) for k in ("name", "email") if isinstance(data, dict) and isinstance(data.get(k), str) and data.get(k)}
