"""The FastAPI application: routers under ``/api/v1``, problem+json errors, the web page at ``/``.

``create_app`` opens the store once for the app's lifetime and keeps it, as a
``Workspace`` (repository resolution and graph cache), with the token, the
webhook secret, the job registry, the Cypher limits and the webhook delivery
log, on ``app.state.cairn`` (see ``api.deps``). Every error leaves as an RFC
9457 problem (``application/problem+json``): a ``CairnError`` is mapped once,
by its class (``PROBLEMS``), to a 4xx a client can fix, with a message saying
how — or a 503 for a store that cannot be read, a 502 for a forge that refused or
could not be reached; anything else is a bug and a 500.

In front of the application, outermost first: the Host allow-list
(``api.hosts``) and the request body limit (``api.limits``), so neither a
rebinding page nor an oversized body reaches routing, parsing or
authentication. Every router but ``/health`` and the webhook is included with
``api.auth.authorize``. A caller without the token never sees server paths in
problem details.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from cairn.api.auth import authorize, redact_server_paths, server_paths, shows_server_paths
from cairn.api.bootstrap import open_store
from cairn.api.deps import ProblemError, ServiceState
from cairn.api.hosts import HostAllowList
from cairn.api.limits import BodyLimit, max_body_bytes
from cairn.api.routers import (
    briefing, changes, components, decisions, docs, explore, health, knowledge, people, pr_checks, query, repositories, webhooks,
)
from cairn.api.routers._problems import problems
from cairn.api.services.about import CAIRN_VERSION
from cairn.api.services.workspace import Workspace
from cairn.graph.cypher_policy import CypherLimits
from cairn.graph.errors import (
    AmbiguousName, CairnError, CheckoutMissing, CypherLimitExceeded, CypherNotAllowed, CypherNotSupported, CypherQueryError,
    ForgeError, InvalidChange, NoChangeHistory, RepositoryRequired, StoreError, UnknownName, UnknownRepository,
)

API_PREFIX = "/api/v1"
WEB_DIR = Path(__file__).parent / "web"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("cairn.api")

#: How each kind of ``CairnError`` is answered: the first class that matches wins; ``CairnError`` itself is last.
PROBLEMS: tuple[tuple[type[CairnError], int, str, str], ...] = (
    (UnknownRepository, 404, "Unknown repository", "unknown-repository"),
    (RepositoryRequired, 400, "Repository required", "repository-required"),
    (CypherNotSupported, 400, "Cypher needs Neo4j", "cypher-not-supported"),
    (CypherLimitExceeded, 400, "Query stopped", "cypher-limit"),  # past the time limit, or the row or byte cap
    (CypherNotAllowed, 400, "Query refused", "cypher-refused"),  # more than a read of the graph: nothing ran
    (CypherQueryError, 400, "Query failed", "cypher-error"),
    (StoreError, 503, "Store unavailable", "store-unavailable"),  # not the client's fault: the store cannot be read
    (UnknownName, 404, "Not found", "not-found"),
    (NoChangeHistory, 404, "No change history", "no-change-history"),  # the Change view leaves such a section out
    (AmbiguousName, 422, "Ambiguous name", "ambiguous-name"),
    (CheckoutMissing, 422, "Checkout missing", "checkout-missing"),
    (InvalidChange, 422, "Invalid change", "invalid-change"),
    (ForgeError, 502, "Forge error", "forge-error"),  # GitHub refused or could not be reached: not the client's fault
    (CairnError, 422, "Invalid request", "invalid-request"),
)

HTTP_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
               406: "Not acceptable", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
               422: "Invalid request", 502: "Bad gateway", 503: "Service unavailable"}


def problem(request: Request, status: int, title: str, detail: str, *, slug: str, headers: dict[str, str] | None = None,
            errors: list[dict[str, Any]] | None = None) -> JSONResponse:
    state = getattr(request.app.state, "cairn", None)
    if state is not None and "/" in detail and not shows_server_paths(request):  # (no path, no need to ask the store)
        detail = redact_server_paths(detail, server_paths(state))
    body: dict[str, Any] = {"type": f"urn:cairn:problem:{slug}", "title": title, "status": status, "detail": detail,
                            "instance": request.url.path}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Exception)
    async def _last_resort(request: Request, exc: Exception) -> JSONResponse:
        return await _bug(request, exc)

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem(request, exc.status, exc.title, exc.detail, slug=exc.slug, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "invalid"), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors[:5]) or "the request is invalid"
        return problem(request, 422, "Invalid request", detail, slug="validation-error", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = HTTP_TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}; the API lives under {API_PREFIX} (see /docs)"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path} (see /docs)"
        return problem(request, exc.status_code, title, detail, slug=title.lower().replace(" ", "-"), headers=getattr(exc, "headers", None))

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # The client left, or BodyLimit cut the body off and has answered 413 already: nobody reads this.
        return problem(request, 400, "Bad request", "the request body ended early", slug="bad-request")

    @app.exception_handler(CairnError)
    async def _cairn(request: Request, exc: CairnError) -> JSONResponse:
        status, title, slug = next((status, title, slug) for kind, status, title, slug in PROBLEMS if isinstance(exc, kind))
        return problem(request, status, title, str(exc), slug=slug)

    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(request, 500, "Internal error",
                       f"{type(exc).__name__} while handling {request.method} {request.url.path}: this is a bug in Cairn; the server log has the details",
                       slug="internal-error")


def create_app(store_location: str, *, token: str | None = None, webhook_secret: str | None = None, public_read: bool = False,
               allowed_hosts: list[str] | None = None, max_body: int | None = None,
               cypher_limits: CypherLimits | None = None) -> FastAPI:
    """The Cairn HTTP service over the store at ``store_location``, wrapped in its Host check and body limit.

    ``allowed_hosts``: names to answer to besides IP addresses and localhost (``api.hosts``); ``max_body``:
    the request body limit in bytes (default ``$CAIRN_MAX_BODY_BYTES`` or 32 MiB); ``cypher_limits``: the
    limits of ``POST /query`` (default from ``$CAIRN_CYPHER_*``).
    """
    body_limit = max_body_bytes(max_body)
    limits = cypher_limits or CypherLimits.from_env()
    store = open_store(store_location)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="Cairn",
        version=CAIRN_VERSION,
        summary="A system-knowledge graph: components, dependencies, decisions and the people who know them.",
        description=(
            "With a token (`cairn serve --token`), every endpoint but `/api/v1/health` needs `Authorization: Bearer <token>` "
            "(`--public-read` opens the GET endpoints); without one, a POST must send `Content-Type: application/json`. "
            "The GitHub webhook is verified by `X-Hub-Signature-256` instead. Request bodies are limited "
            f"({body_limit:,} bytes here). Errors are `application/problem+json` (RFC 9457)."
        ),
        lifespan=lifespan,
        docs_url=None,  # served from vendored assets by routers.docs, not from a CDN
        redoc_url=None,
    )
    workspace = Workspace(store, naming_hint="name one with ?repository=NAME")
    app.state.cairn = ServiceState(workspace=workspace, token=token or None, webhook_secret=webhook_secret or None,
                                   public_read=public_read, cypher_limits=limits)
    _install_error_handlers(app)
    app.include_router(health.router, prefix=API_PREFIX)
    app.include_router(webhooks.router, prefix=API_PREFIX)  # authenticated by its HMAC signature, not the token
    for router in (repositories.router, components.router, decisions.router, explore.router, pr_checks.router, query.router,
                   people.router, knowledge.router, briefing.router, changes.router):
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(authorize)], responses=problems(401, 413, 415))
    app.include_router(docs.router)
    if WEB_DIR.is_dir():
        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    # Outermost last: the Host check runs first, then the body limit, then everything else.
    app.add_middleware(BodyLimit, limit=body_limit)
    app.add_middleware(HostAllowList, allowed=list(allowed_hosts or ()))
    return app
