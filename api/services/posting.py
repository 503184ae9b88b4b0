"""Posting the PR check where reviews happen: ``cairn pr-check --post`` and the webhook of ``cairn serve``.

``Posting`` is opened before the check, from the CI's environment
(``api.forge.targets``: GitHub Actions or GitLab CI, or ``--pr N``), so the
pull request's description and author inform the check (agent detection,
rationale); after the check it posts (``api.forge.github_post``: the sticky
comment and the check run; ``api.forge.gitlab_post``: the sticky note). Any
forge problem — missing environment, a refused token, a rate limit, an
unreachable host — is kept as ``error`` (one line) rather than raised, so the
interface decides: fail, or only warn. Inside GitHub Actions
(``GITHUB_OUTPUT`` set) the step also gets outputs: ``verdict``,
``findings``, ``comment-url`` and ``check-run-url``.

``WebhookPosting`` is the server's side: with GitHub credentials in the
environment (``api.forge.github_app``) a ``pull_request`` event's head is
fetched into the registered checkout before the check and the result posted
after it; without them it only computes. Each ``X-GitHub-Delivery`` is handled
once (``api.deliveries.DeliveryLog``).
"""

from __future__ import annotations

import threading
from typing import Any, Mapping

from cairn.api.forge.github_app import GitHubCredentials
from cairn.api.forge.github_post import Posted, post_to_pull_request
from cairn.api.forge.gitlab_post import post_to_merge_request
from cairn.api.forge.targets import PullRequest, pull_request_from_env
from cairn.api.forge.webhook import WebhookPoster
from cairn.api.services.changes import checkout_of
from cairn.graph.errors import ForgeError
from cairn.graph.store import RepositorySummary
from cairn.ingest.forge.fetch import fetch_pull_request
from cairn.ingest.forge.http import GITHUB, ForgeClient
from cairn.queries.pr_check import PRReport


class Posting:
    """A pull/merge request to post the PR check on, or the reason it cannot be (see the module docstring)."""

    def __init__(self, forge: str, number: int | None, env: Mapping[str, str]):
        self.forge = forge
        self.env = env
        self.error: ForgeError | None = None
        self.target: PullRequest | None = None
        try:
            self.target = pull_request_from_env(forge, env, number)
        except ForgeError as exc:
            self.error = exc

    @property
    def description(self) -> str | None:
        return self.target.description if self.target else None

    @property
    def author(self) -> str | None:
        return self.target.author if self.target else None

    def post(self, report: PRReport) -> list[Posted]:
        """Post ``report``; returns what was posted (``error`` says what failed)."""
        posted: list[Posted] = []
        try:
            if self.target is not None:
                with ForgeClient(self.target.forge, self.target.api_url, self.target.token) as client:
                    if self.target.forge == GITHUB:
                        posted = post_to_pull_request(client, self.target.project, self.target.number, self.target.head_sha, report)
                    else:
                        posted = post_to_merge_request(client, self.target.project, self.target.number, report)
        except ForgeError as exc:
            self.error = exc
        if self.forge == GITHUB:
            try:
                write_github_outputs(self.env, report, posted)
            except ForgeError as exc:
                self.error = self.error or exc
        return posted


def write_github_outputs(env: Mapping[str, str], report: PRReport, posted: list[Posted]) -> None:
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return
    values = {"verdict": report.verdict.value, "findings": str(len(report.findings))}
    for p in posted:
        values[p.what.replace(" ", "-") + "-url"] = p.url or ""
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(f"{k}={str(v).replace(chr(10), ' ')}\n" for k, v in values.items())
    except OSError as exc:
        raise ForgeError(f"GITHUB_OUTPUT {path}: cannot write ({exc.strerror})") from None


def github_credentials(env: Mapping[str, str]) -> str | None:
    """What ``cairn serve`` will post to GitHub with (a description, never a secret); None without credentials.

    Half-configured credentials are a ``ForgeError`` now, not at the first pull request.
    """
    credentials = GitHubCredentials.from_env(env)
    return credentials.kind if credentials is not None else None


class WebhookPosting:
    """The server's fetching and posting for ``pull_request`` events."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env
        self._poster: WebhookPoster | None = None
        self._read = False
        self._lock = threading.Lock()

    def poster(self) -> WebhookPoster | None:
        """The poster with the credentials of the environment the server started in; None without any."""
        with self._lock:
            if not self._read:
                credentials = GitHubCredentials.from_env(self._env)
                self._poster = WebhookPoster(credentials) if credentials else None
                self._read = True
            return self._poster

    def fetch(self, summary: RepositorySummary, pull: dict[str, Any]) -> None:
        """With credentials, bring the pull request's head (and base branch) into the registered checkout."""
        if self.poster() is None:
            return
        base = pull.get("base") if isinstance(pull.get("base"), dict) else {}
        fetch_pull_request(checkout_of(summary), pull.get("number"), base.get("ref"))

    def post(self, payload: dict[str, Any], report: PRReport) -> list[dict[str, Any]] | None:
        """With credentials, the comment and the check run on the event's pull request; None without."""
        poster = self.poster()
        if poster is None:
            return None
        try:
            return poster.post(payload, report)
        except ForgeError as exc:
            raise ForgeError(f"checked, but not posted: {exc}", status=exc.status) from None
