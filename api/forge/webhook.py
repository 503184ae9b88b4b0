"""The GitHub webhook posts too: fetch the pull request, check it, post the comment and the check run.

With credentials (``github_app``), ``POST /api/v1/webhooks/github`` answers a
``pull_request`` event by fetching the pull request's head (and its base
branch) into the checkout registered at ingest —
``git fetch origin +refs/pull/N/head:refs/remotes/origin/pr/N`` through
``cairn.ingest.git``, with that checkout's own remote and credential
configuration — running the PR check and posting the sticky comment and the
check run as ``cairn pr-check --post github`` does. Without credentials it
only computes, as before.

Deliveries are idempotent: the ``X-GitHub-Delivery`` ids of handled events
are remembered (the latest 10,000, per server), and a redelivery of one is
answered ``duplicate`` without checking or posting again.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from cairn.api.forge.github_app import GitHubCredentials
from cairn.api.forge.github_post import post_to_pull_request
from cairn.ingest.forge.http import ForgeError
from cairn.ingest.git import GitError, git, last_line

REMEMBERED_DELIVERIES = 10_000
SAFE_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,250}$")


class DeliveryLog:
    """The ``X-GitHub-Delivery`` ids already handled, oldest forgotten first."""

    def __init__(self, size: int = REMEMBERED_DELIVERIES):
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def seen(self, delivery: str | None) -> bool:
        with self._lock:
            return bool(delivery) and delivery in self._ids

    def remember(self, delivery: str | None) -> None:
        if not delivery:
            return
        with self._lock:
            self._ids[delivery] = None
            self._ids.move_to_end(delivery)
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)


class WebhookPoster:
    """Fetches and posts for ``pull_request`` events with the server's GitHub credentials."""

    def __init__(self, credentials: GitHubCredentials):
        self.credentials = credentials

    def fetch(self, root: Path, pull: dict[str, Any]) -> None:
        number = pull.get("number")
        if not isinstance(number, int) or number < 1:
            raise ForgeError("the pull_request event has no number to fetch")
        refspecs = [f"+refs/pull/{number}/head:refs/remotes/origin/pr/{number}"]
        base_ref = (pull.get("base") or {}).get("ref") if isinstance(pull.get("base"), dict) else None
        if isinstance(base_ref, str) and SAFE_BRANCH.match(base_ref):
            refspecs.append(f"+refs/heads/{base_ref}:refs/remotes/origin/{base_ref}")
        try:
            proc = git(root, "fetch", "--quiet", "--no-tags", "origin", *refspecs)
        except GitError as exc:
            raise ForgeError(f"git fetch origin pull/{number}/head in {root}: {exc}") from None
        if proc.returncode != 0:
            raise ForgeError(f"git fetch origin pull/{number}/head in {root} failed: {last_line(proc.stderr)}")

    def post(self, payload: dict[str, Any], report: dict[str, Any]) -> list[dict[str, Any]]:
        pull, repo = payload["pull_request"], payload.get("repository") or {}
        slug = str(repo.get("full_name") or "")
        installation = payload.get("installation") if isinstance(payload.get("installation"), dict) else {}
        installation_id = installation.get("id") if isinstance(installation.get("id"), int) else None
        head = (pull.get("head") or {}).get("sha")
        with self.credentials.client(slug, installation_id) as client:
            posted = post_to_pull_request(client, slug, int(pull["number"]), head, report)
        return [{"what": p.what, "id": p.id, "url": p.url, "action": p.action} for p in posted]


def deliveries(app_state: Any) -> DeliveryLog:
    log = getattr(app_state, "cairn_deliveries", None)
    if log is None:
        log = app_state.cairn_deliveries = DeliveryLog()
    return log


def poster(app_state: Any) -> WebhookPoster | None:
    """The server's poster, from the environment ``cairn serve`` started in; None without credentials."""
    if not hasattr(app_state, "cairn_webhook_poster"):
        credentials = GitHubCredentials.from_env(os.environ)
        app_state.cairn_webhook_poster = WebhookPoster(credentials) if credentials else None
    return app_state.cairn_webhook_poster
