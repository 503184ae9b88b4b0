"""The FastAPI application: routers under ``/api/v1``, problem+json errors, the web page at ``/``.

``create_app`` opens the store once for the app's lifetime and keeps it, as a
``Workspace`` (repository resolution and graph cache), with the token, the
webhook secret and the job registry, on ``app.state.cairn`` (see
``api.deps``). Every error leaves as an RFC 9457 problem
(``application/problem+json``): a ``CairnError`` is mapped once, by its class
(``PROBLEMS``), to a 4xx a client can fix, with a message saying how — or a
503 for a store that cannot be read; anything else is a bug and a 500.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from cairn.api.bootstrap import open_store
from cairn.api.deps import ProblemError, ServiceState
from cairn.api.routers import briefing, components, decisions, explore, health, pr_checks, query, repositories, webhooks
from cairn.api.services.about import CAIRN_VERSION
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import (
    AmbiguousName, CairnError, CheckoutMissing, CypherNotSupported, CypherQueryError, InvalidChange, RepositoryRequired,
    StoreError, UnknownName, UnknownRepository,
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
    (CypherQueryError, 400, "Query refused", "cypher-error"),
    (StoreError, 503, "Store unavailable", "store-unavailable"),  # not the client's fault: the store cannot be read
    (UnknownName, 404, "Not found", "not-found"),
    (AmbiguousName, 422, "Ambiguous name", "ambiguous-name"),
    (CheckoutMissing, 422, "Checkout missing", "checkout-missing"),
    (InvalidChange, 422, "Invalid change", "invalid-change"),
    (CairnError, 422, "Invalid request", "invalid-request"),
)

HTTP_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
               406: "Not acceptable", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
               422: "Invalid request", 503: "Service unavailable"}


def problem(request: Request, status: int, title: str, detail: str, *, slug: str, headers: dict[str, str] | None = None,
            errors: list[dict[str, Any]] | None = None) -> JSONResponse:
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

    @app.exception_handler(CairnError)
    async def _cairn(request: Request, exc: CairnError) -> JSONResponse:
        status, title, slug = next((status, title, slug) for kind, status, title, slug in PROBLEMS if isinstance(exc, kind))
        return problem(request, status, title, str(exc), slug=slug)

    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(request, 500, "Internal error",
                       f"{type(exc).__name__} while handling {request.method} {request.url.path}: this is a bug in Cairn; the server log has the details",
                       slug="internal-error")


def create_app(store_location: str, *, token: str | None = None, webhook_secret: str | None = None) -> FastAPI:
    """The Cairn HTTP service over the store at ``store_location``."""
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
            "Read endpoints need no credentials. `POST /api/v1/repositories/{id}/ingest` needs "
            "`Authorization: Bearer <token>` when the server has a token; the GitHub webhook is verified by "
            "`X-Hub-Signature-256`. Errors are `application/problem+json` (RFC 9457)."
        ),
        lifespan=lifespan,
    )
    workspace = Workspace(store, naming_hint="name one with ?repository=NAME")
    app.state.cairn = ServiceState(workspace=workspace, token=token or None, webhook_secret=webhook_secret or None)
    _install_error_handlers(app)
    for router in (health.router, repositories.router, components.router, decisions.router, explore.router,
                   briefing.router, pr_checks.router, webhooks.router, query.router):
        app.include_router(router, prefix=API_PREFIX)
    if WEB_DIR.is_dir():
        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
