"""FastAPI dependencies: the workspace from app state, the repository parameter, auth.

Nothing here is global: ``create_app`` puts a ``ServiceState`` on
``app.state``, and every route reaches it through these dependencies, so two
apps (or two test servers) never share a store, a token or a cache.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cairn.api.jobs import JobRegistry
from cairn.api.services.posting import WebhookPosting
from cairn.api.services.workspace import Workspace


class ProblemError(Exception):
    """An HTTP-only error (authentication, a webhook's signature, a job id), answered as ``application/problem+json``."""

    def __init__(self, status: int, title: str, detail: str, *, slug: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers
        self.slug = slug or title.lower().replace(" ", "-")


@dataclass
class ServiceState:
    workspace: Workspace
    token: str | None
    webhook_secret: str | None
    jobs: JobRegistry = field(default_factory=JobRegistry)
    #: fetching and posting for GitHub webhooks, with the credentials of the environment the server started in
    webhooks: WebhookPosting = field(default_factory=lambda: WebhookPosting(os.environ))


def get_state(request: Request) -> ServiceState:
    return request.app.state.cairn


State = Annotated[ServiceState, Depends(get_state)]


def get_workspace(state: State) -> Workspace:
    return state.workspace


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]

RepositoryParam = Annotated[
    str | None,
    Query(max_length=300, description="A repository in the store; may be omitted when the store holds only one"),
]

_bearer = HTTPBearer(auto_error=False, description="The API token (`cairn serve --token` or $CAIRN_API_TOKEN)")


def require_token(state: State, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Writes need ``Authorization: Bearer <token>`` when the server has a token."""
    if state.token is None:
        return
    challenge = {"WWW-Authenticate": 'Bearer realm="cairn"'}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(401, "Authentication required", "this endpoint writes: send Authorization: Bearer <token> (the token the server was started with)",
                           slug="authentication-required", headers=challenge)
    if not hmac.compare_digest(credentials.credentials.encode(), state.token.encode()):
        raise ProblemError(401, "Invalid token", "the bearer token does not match the server's token", slug="invalid-token", headers=challenge)
