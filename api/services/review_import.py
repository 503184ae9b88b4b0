"""``cairn reviews import``: review records from GitHub or GitLab into the store, incrementally.

The records are read by ``cairn.ingest.forge`` (merged pull/merge requests,
their reviews, their files), then kept and applied like any other review
records (``ingesting.add_reviews``: records already kept count once), so the
human-knowledge truck factor counts the review work at once and after every
re-ingest. The newest pull request seen is remembered per source
(``cairn.ingest.forge.state``): the next import reads only what was updated
since; ``--since DATE`` reads pull requests merged since DATE whatever was
remembered.

Credentials come from the environment: GitHub ``CAIRN_GITHUB_TOKEN`` or
``GITHUB_TOKEN`` (a public repository can be read without one, slowly) and
``GITHUB_API_URL`` for GitHub Enterprise; GitLab ``GITLAB_TOKEN`` or
``CAIRN_GITLAB_TOKEN`` and ``CI_API_V4_URL`` or ``CAIRN_GITLAB_URL``. A rate
limit is waited out for up to 15 minutes at a time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from cairn.api.services.ingesting import add_reviews
from cairn.api.services.workspace import Workspace
from cairn.ingest.forge.github import read_github_reviews
from cairn.ingest.forge.gitlab import read_gitlab_reviews
from cairn.ingest.forge.http import DEFAULT_URLS, GITHUB, GITLAB, ForgeClient, env_int
from cairn.ingest.forge.records import later, parse_time
from cairn.ingest.forge.state import load_cursor, records_from, save_cursor

IMPORT_MAX_WAIT = 900


def import_client(forge: str, env: Mapping[str, str]) -> ForgeClient:
    if forge == GITHUB:
        url = env.get("GITHUB_API_URL") or DEFAULT_URLS[GITHUB]
        token = env.get("CAIRN_GITHUB_TOKEN") or env.get("GITHUB_TOKEN")
    elif forge == GITLAB:
        url = env.get("CAIRN_GITLAB_URL") or env.get("CI_API_V4_URL") or DEFAULT_URLS[GITLAB]
        token = env.get("GITLAB_TOKEN") or env.get("CAIRN_GITLAB_TOKEN")
    else:
        raise ValueError(forge)
    return ForgeClient(forge, url, (token or "").strip() or None, max_wait=float(env_int("CAIRN_FORGE_MAX_WAIT", IMPORT_MAX_WAIT)))


def import_reviews(ws: Workspace, repo: str | None, forge: str, project: str, *, since: datetime | None,
                   env: Mapping[str, str]) -> dict[str, Any]:
    """Read new reviews of ``project`` on ``forge`` and keep them as review records of ``repo`` (the workspace's choice when None)."""
    name = ws.repository(repo).repo
    store = ws.store
    source = f"{forge}:{project}"
    cursor = load_cursor(store, name, source)
    updated_after = since if since is not None else (parse_time(cursor) if cursor else None)
    with import_client(forge, env) as client:
        reader = read_github_reviews if forge == GITHUB else read_gitlab_reviews
        harvest = reader(client, project, updated_after=updated_after, merged_since=since)
    result = add_reviews(ws, name, harvest.records) if harvest.records else {
        "repository": name, "accepted": 0, "duplicates": 0, "total": len(store.load_reviews(name)), "notes": []}
    save_cursor(store, name, source, later(harvest.newest, cursor), records_from(store.load_reviews(name), source))
    return {
        "repository": name, "source": source,
        "read_since": updated_after.isoformat() if updated_after else None,
        "pull_requests": harvest.pull_requests, "unmerged_skipped": harvest.skipped_unmerged,
        "bot_reviews_skipped": harvest.skipped_bots, "reviews": len(harvest.records),
        "accepted": result["accepted"], "duplicates": result["duplicates"], "total": result["total"],
        "newest": later(harvest.newest, cursor), "notes": result["notes"],
    }

