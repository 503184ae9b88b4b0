"""Repositories in the store, and re-ingesting one in the background (``/jobs/{id}`` reports progress)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import JSONResponse

from cairn.api.auth import public_remote, redact_server_paths_in, server_paths, shows_server_paths
from cairn.api.deps import ProblemError, State, WorkspaceDep
from cairn.api.jobs import JobConflict
from cairn.api.routers._problems import problems
from cairn.api.schemas import IngestJob, Repository, ReviewBatch, ReviewsAccepted
from cairn.api.services import reads
from cairn.api.services.changes import checkout_of
from cairn.api.services.ingesting import add_reviews as add_reviews_to_store

router = APIRouter(tags=["repositories"])


def repository_view(name: str, props: dict, *, show_paths: bool) -> Repository:
    """A repository as served: its checkout path only to a caller with the token, its remote never with credentials."""
    languages = props.get("languages") if isinstance(props.get("languages"), dict) else {}
    return Repository(
        name=name, path=props.get("path") if show_paths else None, head=props.get("head"), branch=props.get("branch"),
        remote=public_remote(props.get("remote"), show_paths=show_paths),
        ingested_at=props.get("ingested_at"), languages={str(k): int(v) for k, v in languages.items()},
        config_source=props.get("config_source"),
    )


@router.get("/repositories", response_model=list[Repository], responses=problems(503))
def list_repositories(ws: WorkspaceDep, request: Request) -> list[Repository]:
    """Every repository registered in the store by an ingest. The checkout path is shown only with the server's token."""
    show_paths = shows_server_paths(request)
    return [repository_view(r.repo, r.props, show_paths=show_paths) for r in reads.repositories(ws)]


@router.post(
    "/repositories/{repository}/ingest",
    status_code=202,
    response_model=IngestJob,
    responses=problems(401, 404, 409, 422, 503),
)
def ingest_repository(state: State, repository: Annotated[str, PathParam(max_length=300)]) -> JSONResponse:
    """Re-ingest a registered repository from the checkout recorded at its last ingest; poll the job for progress.

    The checkout path always comes from the store, never from the request.
    """
    ws = state.workspace
    summary = ws.repository(repository)
    root = checkout_of(summary)
    try:
        job = state.jobs.start_ingest(ws.store, summary.repo, root, on_done=lambda: ws.forget(summary.repo))
    except JobConflict as exc:
        raise ProblemError(409, "Ingest in progress", str(exc), slug="ingest-in-progress") from None
    return JSONResponse(IngestJob(**job).model_dump(), status_code=202, headers={"Location": f"/api/v1/jobs/{job['id']}"})


@router.get("/jobs/{job_id}", response_model=IngestJob, responses=problems(404, 422))
def get_job(state: State, request: Request, job_id: Annotated[str, PathParam(max_length=64)]) -> IngestJob:
    """The status of an ingest job and the progress of each of its stages (server paths only with the token)."""
    job = state.jobs.get(job_id)
    if job is None:
        raise ProblemError(404, "Unknown job", f"no ingest job {job_id!r} on this server (jobs are kept in memory until it restarts)",
                           slug="unknown-job")
    if not shows_server_paths(request):
        job = redact_server_paths_in(job, server_paths(state))
    return IngestJob(**job)


@router.post(
    "/repositories/{repository}/reviews",
    response_model=ReviewsAccepted,
    responses=problems(401, 404, 422, 503),
)
def add_reviews(state: State, repository: Annotated[str, PathParam(max_length=300)], batch: ReviewBatch) -> ReviewsAccepted:
    """Review records from the forge (who reviewed which files), as review credit for the human-knowledge truck factor.

    Agents write much of the code now; the people who review it are the ones who keep the knowledge.
    Records are kept beside the graph (a re-ingest applies them again) and take effect at once; a record
    sent twice counts once. Reviews by bots and agents give no credit.
    """
    records = [r.model_dump(mode="json") for r in batch.reviews]
    return ReviewsAccepted(**add_reviews_to_store(state.workspace, repository, records))
