"""The FastAPI application: routers under ``/api/v1``, problem+json errors, the web page at ``/``.

``create_app`` opens the store once for the app's lifetime and keeps it, with
the token, the webhook secret, the job registry and a graph cache, on
``app.state.cairn`` (see ``api.deps``). Every error leaves as an RFC 9457
problem (``application/problem+json``): 4xx for anything a client can fix,
with a message saying how; 5xx only for a broken store or a bug.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from cairn.api.deps import ProblemError, ServiceState
from cairn.api.routers import changes, components, decisions, explore, health, pr_checks, query, repositories, webhooks
from cairn.graph.store import CypherNotSupported, StoreError, UnknownRepository, open_store

API_PREFIX = "/api/v1"
WEB_DIR = Path(__file__).parent / "web"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("cairn.api")

try:
    CAIRN_VERSION = version("cairn")
except PackageNotFoundError:  # running from a checkout without installing
    CAIRN_VERSION = "0.0.0"

HTTP_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
               406: "Not acceptable", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
               422: "Invalid request", 501: "Not implemented", 503: "Service unavailable"}


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

    @app.exception_handler(UnknownRepository)
    async def _unknown_repo(request: Request, exc: UnknownRepository) -> JSONResponse:
        return problem(request, 404, "Unknown repository", str(exc), slug="unknown-repository")

    @app.exception_handler(CypherNotSupported)
    async def _no_cypher(request: Request, exc: CypherNotSupported) -> JSONResponse:
        return problem(request, 400, "Cypher needs Neo4j", str(exc), slug="cypher-not-supported")

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        # The store itself is unreadable: not the client's fault, so a 503 that names the fix.
        return problem(request, 503, "Store unavailable", str(exc), slug="store-unavailable")

    @app.exception_handler(LookupError)
    async def _lookup(request: Request, exc: LookupError) -> JSONResponse:
        if type(exc) in (KeyError, IndexError):  # a bare KeyError is a bug, not an unknown name
            return await _bug(request, exc)
        return problem(request, 404, "Not found", str(exc.args[0] if exc.args else exc), slug="not-found")

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        return problem(request, 422, "Invalid request", str(exc), slug="invalid-request")

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
    app.state.cairn = ServiceState(store=store, token=token or None, webhook_secret=webhook_secret or None)
    _install_error_handlers(app)
    for router in (health.router, repositories.router, components.router, decisions.router, explore.router,
                   pr_checks.router, webhooks.router, query.router, changes.router):
        app.include_router(router, prefix=API_PREFIX)
    if WEB_DIR.is_dir():
        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
