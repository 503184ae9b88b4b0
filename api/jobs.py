"""Background ingest jobs for the HTTP API: one thread per job, progress kept in memory.

A job re-ingests a repository already registered in the store, from the
checkout path recorded on its Repository node. Its progress is what
``ingest_into_store`` reports stage by stage. Jobs live as long as the server
process; at most one job per repository runs at a time.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.store import GraphStore

MAX_KEPT_JOBS = 200


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class JobConflict(Exception):
    def __init__(self, job_id: str, repository: str):
        self.job_id = job_id
        super().__init__(f"repository {repository} is already being ingested by job {job_id}: poll /api/v1/jobs/{job_id}")


@dataclass
class Job:
    id: str
    repository: str
    status: str = "queued"
    stage: str | None = None
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    summary: dict[str, Any] | None = None

    def view(self) -> dict[str, Any]:
        data = asdict(self)
        data["stages"] = [{"stage": name, **counts} for name, counts in self.stages.items()]
        return data


class JobRegistry:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.view() if job else None

    def start_ingest(self, store: GraphStore, repository: str, root: Path, on_done: Callable[[], None] | None = None) -> dict[str, Any]:
        with self._lock:
            for job in self._jobs.values():
                if job.repository == repository and job.status in ("queued", "running"):
                    raise JobConflict(job.id, repository)
            job = Job(id=uuid.uuid4().hex, repository=repository)
            self._jobs[job.id] = job
            self._forget_old()
        thread = threading.Thread(target=self._run, args=(job, store, root, on_done), name=f"cairn-ingest-{job.id[:8]}", daemon=True)
        thread.start()
        return job.view()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.status in ("succeeded", "failed")]
        for job in finished[: max(0, len(self._jobs) - MAX_KEPT_JOBS)]:
            del self._jobs[job.id]

    def _run(self, job: Job, store: GraphStore, root: Path, on_done: Callable[[], None] | None) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            with self._lock:
                job.stage = stage
                job.stages[stage] = {"done": int(done), "total": int(total)}

        with self._lock:
            job.status, job.started_at = "running", _now()
        try:
            result = ingest_into_store(store, root, repo_name=job.repository, progress=progress)
        except Exception as exc:  # reported through the job, never lost in a thread
            with self._lock:
                job.status, job.error, job.finished_at = "failed", str(exc) or type(exc).__name__, _now()
            return
        summary = result.summary.as_dict()
        with self._lock:
            job.status, job.summary, job.finished_at = "succeeded", summary, _now()
        if on_done:
            on_done()
