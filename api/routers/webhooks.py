"""``POST /webhooks/github``: GitHub ``pull_request`` events, verified by HMAC, checked against a registered checkout.

The signature (``X-Hub-Signature-256: sha256=<hex>``) is the HMAC-SHA256 of
the raw body with the configured secret, compared in constant time before
anything in the body is read. The event names its repository; Cairn checks
only a repository already in the store whose remote (or name) matches, on the
checkout registered at ingest. Without GitHub credentials Cairn does not
fetch: both commits must already be in that checkout. With them
(``CAIRN_GITHUB_TOKEN`` or a GitHub App, see ``api.services.posting``) it fetches
the pull request's head, checks it and posts the comment and check run. A
delivery (``X-GitHub-Delivery``) is handled once: a repeat of one already
handled, or still running, is answered ``duplicate`` (``api.deliveries``). JSON nested too
deep to parse is a 400.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from cairn.api.deps import ProblemError, State
from cairn.api.limits import JSONTooDeep, load_json
from cairn.api.routers._problems import problems
from cairn.api.schemas import WebhookResult
from cairn.api.services.changes import commits_missing, pr_check_refs, repository_for_event

router = APIRouter(tags=["pull requests"])

CHECKED_ACTIONS = ("opened", "synchronize", "reopened", "edited")
SHA = re.compile(r"^[0-9a-f]{7,64}$")
MAX_BODY_BYTES = 25_000_000  # GitHub caps webhook payloads at 25 MB


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode())


@router.post("/webhooks/github", response_model=WebhookResult, responses=problems(401, 403, 404, 413, 422, 502, 503),
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}})
async def github_webhook(
    request: Request,
    state: State,
    x_hub_signature_256: Annotated[str | None, Header(max_length=200)] = None,
    x_github_event: Annotated[str | None, Header(max_length=100)] = None,
    x_github_delivery: Annotated[str | None, Header(max_length=100)] = None,
) -> dict[str, Any]:
    """Run the PR check for a `pull_request` event (opened, synchronize, reopened, edited); answer `ping`.
    A delivery already handled (same `X-GitHub-Delivery`) is ignored."""
    if state.webhook_secret is None:
        raise ProblemError(403, "Webhooks disabled", "this server has no webhook secret: start it with `cairn serve --webhook-secret SECRET`",
                           slug="webhooks-disabled")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise ProblemError(413, "Request too large", "webhook payloads are limited to 25 MB", slug="request-too-large")
    if not signature_ok(state.webhook_secret, body, x_hub_signature_256):
        raise ProblemError(401, "Invalid signature",
                           "X-Hub-Signature-256 is missing or does not match the body: check the webhook secret configured on GitHub",
                           slug="invalid-signature")
    try:
        payload = load_json(body)
    except JSONTooDeep:
        raise ProblemError(400, "Invalid payload", "the webhook body is JSON nested too deeply to be read", slug="invalid-payload") from None
    except (ValueError, UnicodeDecodeError):
        raise ProblemError(422, "Invalid payload", "the webhook body is not JSON; set the webhook content type to application/json",
                           slug="invalid-payload") from None
    event = x_github_event or ""
    if x_github_delivery:
        seen = state.deliveries.claim(x_github_delivery)
        if seen is not None:
            when = "is still being handled" if seen == "running" else "was handled already"
            return {"event": event or "unknown", "status": "duplicate", "reason": f"delivery {x_github_delivery} {when}"}
    handled = False
    try:
        result = await _handle_event(state, event, payload)
        handled = True
        return result
    finally:
        if x_github_delivery:
            state.deliveries.finish(x_github_delivery, handled=handled)


async def _handle_event(state: State, event: str, payload: Any) -> dict[str, Any]:
    if event == "ping":
        zen = payload.get("zen") if isinstance(payload, dict) else None
        return {"event": "ping", "status": "pong", "reason": zen if isinstance(zen, str) else None}
    if event != "pull_request":
        return {"event": event or "unknown", "status": "ignored", "reason": "Cairn checks pull_request events only"}
    if not isinstance(payload, dict):
        raise ProblemError(422, "Invalid payload", "a pull_request event is a JSON object", slug="invalid-payload")
    action = payload.get("action")
    if action not in CHECKED_ACTIONS:
        return {"event": event, "action": str(action), "status": "ignored", "reason": f"action {action!r} does not change the code"}
    pull, event_repo = payload.get("pull_request"), payload.get("repository")
    if not isinstance(pull, dict) or not isinstance(event_repo, dict):
        raise ProblemError(422, "Invalid payload", "a pull_request event needs pull_request and repository objects", slug="invalid-payload")
    base = (pull.get("base") or {}).get("sha") if isinstance(pull.get("base"), dict) else None
    head = (pull.get("head") or {}).get("sha") if isinstance(pull.get("head"), dict) else None
    if not isinstance(base, str) or not isinstance(head, str) or not SHA.match(base) or not SHA.match(head):
        raise ProblemError(422, "Invalid payload", "pull_request.base.sha and pull_request.head.sha must be commit ids", slug="invalid-payload")

    ws = state.workspace
    summary = repository_for_event(ws, event_repo)
    if summary is None:
        raise ProblemError(404, "Unknown repository",
                           f"no repository in the store matches {event_repo.get('full_name') or event_repo.get('name')!r}: "
                           "ingest its checkout first (its origin remote or directory name must match)", slug="unknown-repository")
    await run_in_threadpool(state.webhooks.fetch, summary, pull)  # with GitHub credentials only; a ForgeError is a 502
    missing = await run_in_threadpool(commits_missing, summary, [base, head])
    if missing:
        raise ProblemError(422, "Commits not available",
                           f"commit(s) {', '.join(m[:12] for m in missing)} are not in the checkout of {summary.repo} at {summary.props.get('path')}: "
                           "without GitHub credentials Cairn does not fetch; fetch them into that checkout (git fetch origin) and redeliver the event",
                           slug="commits-not-available")
    description = pull.get("body") if isinstance(pull.get("body"), str) else None
    user = pull.get("user") if isinstance(pull.get("user"), dict) else {}
    author = user.get("login") if isinstance(user.get("login"), str) else None  # PR metadata: an agent may open the PR
    report = await run_in_threadpool(lambda: pr_check_refs(ws, summary.repo, base, head, description=description, author=author))
    posted = await run_in_threadpool(state.webhooks.post, payload, report)  # None without credentials
    return {"event": event, "action": action, "status": "checked", "repository": summary.repo, "report": report.to_json(),
            "posted": posted}
