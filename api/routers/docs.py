"""``/docs``: Swagger UI from assets shipped in the package, so the API reference works without internet.

FastAPI's own ``/docs`` loads Swagger UI from a CDN; the app turns it off
(``docs_url=None``, ``redoc_url=None``) and serves this page instead. The
script and stylesheet are the vendored ``swagger-ui-dist`` files under
``api/web/vendor`` (served by the web page's static mount), the favicon is
inline, and Swagger UI's online validator badge is off: the page makes no
request beyond this server.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E"
           "%3Cellipse cx='16' cy='26' rx='12' ry='4' fill='%232f5bd3'/%3E%3Cellipse cx='16' cy='18' rx='9' ry='3.5' fill='%235b7fe0'/%3E"
           "%3Cellipse cx='16' cy='11' rx='6' ry='3' fill='%238aa5ec'/%3E%3C/svg%3E")


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    return get_swagger_ui_html(
        openapi_url=root + (request.app.openapi_url or "/openapi.json"),
        title=f"{request.app.title} — HTTP API",
        swagger_js_url=f"{root}/vendor/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/vendor/swagger-ui.css",
        swagger_favicon_url=FAVICON,
        swagger_ui_parameters={"validatorUrl": None},
    )
