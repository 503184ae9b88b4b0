"""Which pull request or merge request to post on, read from the CI's own environment.

GitHub Actions: ``GITHUB_API_URL`` (default ``https://api.github.com``),
``GITHUB_REPOSITORY`` (``owner/repo``), ``GITHUB_TOKEN`` (the workflow passes
``${{ github.token }}``), and ``GITHUB_EVENT_PATH``, the event payload, for the
pull request's number, head SHA, description and author. GitLab CI:
``CI_API_V4_URL``, ``CI_PROJECT_ID``, ``CI_MERGE_REQUEST_IID``,
``CI_MERGE_REQUEST_DESCRIPTION`` and a token in ``GITLAB_TOKEN`` or
``CAIRN_GITLAB_TOKEN`` (GitLab's job token cannot write notes). ``--pr N``
overrides the number on both.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from cairn.graph.errors import ForgeError
from cairn.ingest.forge.http import DEFAULT_URLS, GITHUB, GITLAB

SLUG = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass
class PullRequest:
    forge: str
    api_url: str
    project: str              # owner/repo on GitHub, the project id or path on GitLab
    number: int
    token: str | None
    head_sha: str | None = None
    description: str | None = None
    author: str | None = None

    def __repr__(self) -> str:  # never the token
        return f"PullRequest({self.forge}:{self.project}#{self.number})"


def github_pull_request(env: Mapping[str, str], number: int | None = None) -> PullRequest:
    slug = (env.get("GITHUB_REPOSITORY") or "").strip()
    if not SLUG.match(slug):
        raise ForgeError("--post github needs GITHUB_REPOSITORY (owner/repo), which GitHub Actions sets" +
                         (f"; it is {slug!r}" if slug else ""))
    token = (env.get("GITHUB_TOKEN") or "").strip()
    if not token:
        raise ForgeError("--post github needs a token in GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})")
    pull = _event_pull_request(env.get("GITHUB_EVENT_PATH"))
    event_number = pull.get("number") if isinstance(pull.get("number"), int) else None
    if number is None:
        number = event_number
    if number is None:
        raise ForgeError("--post github needs the pull request: run on a pull_request event (GITHUB_EVENT_PATH) or pass --pr N")
    same = number == event_number
    head = pull.get("head") if same and isinstance(pull.get("head"), dict) else {}
    user = pull.get("user") if same and isinstance(pull.get("user"), dict) else {}
    body = pull.get("body") if same else None
    return PullRequest(
        GITHUB, (env.get("GITHUB_API_URL") or DEFAULT_URLS[GITHUB]).strip(), slug, number, token,
        head_sha=head.get("sha") if isinstance(head.get("sha"), str) else None,
        description=body if isinstance(body, str) else None,
        author=user.get("login") if isinstance(user.get("login"), str) else None,
    )


def gitlab_merge_request(env: Mapping[str, str], number: int | None = None) -> PullRequest:
    project = (env.get("CI_PROJECT_ID") or "").strip()
    if not project:
        raise ForgeError("--post gitlab needs CI_PROJECT_ID, which GitLab CI sets")
    token = (env.get("GITLAB_TOKEN") or env.get("CAIRN_GITLAB_TOKEN") or "").strip()
    if not token:
        raise ForgeError("--post gitlab needs a project or personal access token with the api scope in GITLAB_TOKEN or CAIRN_GITLAB_TOKEN")
    if number is None:
        iid = (env.get("CI_MERGE_REQUEST_IID") or "").strip()
        if not iid.isdigit():
            raise ForgeError("--post gitlab needs the merge request: run in a merge request pipeline (CI_MERGE_REQUEST_IID) or pass --pr N")
        number = int(iid)
    description = env.get("CI_MERGE_REQUEST_DESCRIPTION") if str(number) == (env.get("CI_MERGE_REQUEST_IID") or "").strip() else None
    return PullRequest(GITLAB, (env.get("CI_API_V4_URL") or DEFAULT_URLS[GITLAB]).strip(), project, number, token,
                       description=description or None)


def pull_request_from_env(forge: str, env: Mapping[str, str], number: int | None = None) -> PullRequest:
    return github_pull_request(env, number) if forge == GITHUB else gitlab_merge_request(env, number)


def _event_pull_request(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ForgeError(f"GITHUB_EVENT_PATH {path}: cannot read ({exc.strerror})") from None
    except ValueError:
        raise ForgeError(f"GITHUB_EVENT_PATH {path}: not a JSON event") from None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    return pull if isinstance(pull, dict) else {}
