"""FastAPI dependencies: the workspace from app state, the repository parameter.

Who may call is decided in ``api.auth``.

Nothing here is global: ``create_app`` puts a ``ServiceState`` on
``app.state``, and every route reaches it through these dependencies, so two
apps (or two test servers) never share a store, a token or a cache.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Query, Request

from cairn.api.deliveries import DeliveryLog
from cairn.api.jobs import JobRegistry
from cairn.api.services.posting import WebhookPosting
from cairn.api.services.workspace import Workspace
from cairn.graph.cypher_policy import CypherLimits


class ProblemError(Exception):
    """An HTTP-only error (authentication, a webhook's signature, a job id), answered as ``application/problem+json``."""

    def __init__(self, status: int, title: str, detail: str, *, slug: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers
        self.slug = slug or title.lower().replace(" ", "-")


#: Cypher queries one server runs at once; more wait for nothing: they get a 429, and /health stays answered.
CYPHER_CONCURRENCY = 4


@dataclass
class ServiceState:
    workspace: Workspace
    token: str | None
    webhook_secret: str | None
    public_read: bool = False
    cypher_limits: CypherLimits = field(default_factory=CypherLimits.from_env)
    cypher_slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(CYPHER_CONCURRENCY))
    deliveries: DeliveryLog = field(default_factory=DeliveryLog)
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
