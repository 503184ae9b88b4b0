"""The problem responses routes declare in OpenAPI, so clients see the error contract too."""

from __future__ import annotations

from typing import Any

from cairn.api.schemas import Problem

_CONTENT = {"application/problem+json": {"schema": Problem.model_json_schema()}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Bad request (for example: several repositories and none named)",
        401: "Missing or invalid bearer token",
        403: "Forbidden",
        404: "Unknown repository, component, module or job",
        409: "Conflict with work in progress",
        413: "The request body is over the server's limit",
        415: "Without a token, a state-changing request must send Content-Type: application/json",
        422: "Invalid request: the detail says which field and why",
        429: "Too many requests of this kind at once: retry after the Retry-After seconds",
        502: "GitHub refused or could not be reached (fetching or posting for a webhook)",
        503: "The store cannot be read",
    }
    return {s: {"description": descriptions.get(s, "Problem"), "content": _CONTENT} for s in statuses}


READ = problems(400, 404, 422, 503)
