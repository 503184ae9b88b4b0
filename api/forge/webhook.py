"""The GitHub webhook posts too: the poster with the server's credentials.

With credentials (``github_app``), ``POST /api/v1/webhooks/github`` answers a
``pull_request`` event by fetching the pull request's head into the checkout
registered at ingest (``cairn.ingest.forge.fetch``), running the PR check and
posting the sticky comment and the check run as ``cairn pr-check --post
github`` does (``WebhookPoster``). Without credentials it only computes.
``api.services.posting`` puts these together for the router.

Deliveries are idempotent through ``api.deliveries.DeliveryLog`` (one log per
server): a redelivery is answered ``duplicate`` without checking or posting again.
"""

from __future__ import annotations

from typing import Any

from cairn.api.forge.github_app import GitHubCredentials
from cairn.api.forge.github_post import post_to_pull_request
from cairn.queries.pr_check import PRReport

class WebhookPoster:
    """Posts the PR check of a ``pull_request`` event with the server's GitHub credentials."""

    def __init__(self, credentials: GitHubCredentials):
        self.credentials = credentials

    def post(self, payload: dict[str, Any], report: PRReport) -> list[dict[str, Any]]:
        pull, repo = payload["pull_request"], payload.get("repository") or {}
        slug = str(repo.get("full_name") or "")
        installation = payload.get("installation") if isinstance(payload.get("installation"), dict) else {}
        installation_id = installation.get("id") if isinstance(installation.get("id"), int) else None
        head = (pull.get("head") or {}).get("sha")
        with self.credentials.client(slug, installation_id) as client:
            posted = post_to_pull_request(client, slug, int(pull["number"]), head, report)
        return [p.to_json() for p in posted]
