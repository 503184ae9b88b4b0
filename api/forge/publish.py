"""``cairn pr-check --post github|gitlab``: where the report goes after the check.

``Posting`` is opened before the check, from the CI's environment (see
``targets``), so the pull request's description and author can inform agent
detection; after the check it posts (``github_post``, ``gitlab_post``). Any
forge problem — missing environment, a refused token, a rate limit, an
unreachable host — is kept as ``error`` (one line) rather than raised, so the
command decides: exit 2, or with ``--post-errors warn`` a warning and the
verdict's exit code.

Inside GitHub Actions (``GITHUB_OUTPUT`` set) the step also gets outputs:
``verdict``, ``findings``, ``comment-url`` and ``check-run-url``.
"""

from __future__ import annotations

from typing import Any, Mapping

from cairn.api.forge.github_post import Posted, post_to_pull_request
from cairn.api.forge.gitlab_post import post_to_merge_request
from cairn.api.forge.targets import PullRequest, pull_request_from_env
from cairn.ingest.forge.http import GITHUB, ForgeClient, ForgeError


class Posting:
    """A pull/merge request to post the PR check on, or the reason it cannot be."""

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

    def post(self, report: dict[str, Any]) -> list[Posted]:
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


def write_github_outputs(env: Mapping[str, str], report: dict[str, Any], posted: list[Posted]) -> None:
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return
    values = {"verdict": report.get("verdict", ""), "findings": str(len(report.get("findings") or []))}
    for p in posted:
        values[p.what.replace(" ", "-") + "-url"] = p.url or ""
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(f"{k}={str(v).replace(chr(10), ' ')}\n" for k, v in values.items())
    except OSError as exc:
        raise ForgeError(f"GITHUB_OUTPUT {path}: cannot write ({exc.strerror})") from None
