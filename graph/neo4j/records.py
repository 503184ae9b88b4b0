"""What Neo4j keeps beside a repository's graph: derived answers and review records, as JSON text.

* one ``:CairnAnswer {repo, name}`` node per derived answer (``GraphStore.save_answers``)
  holds it in ``value``, with the ``run`` it was computed from: it is read only while
  that run is the complete one, and deleted by the next save (``graph.neo4j.writing``);
* one ``:CairnReviews {repo}`` node per repository holds its review records
  (``ingest.reviews``) in ``records``; saves of the graph leave it alone.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.neo4j.connection import Connection
from cairn.graph.neo4j.layout import ANSWER_LABEL, REVIEWS_LABEL, STATE_LABEL
from cairn.graph.values import json_default


def save_answers(connection: Connection, repo: str, run: str | None, answers: Mapping[str, Any]) -> None:
    """Keep ``answers`` for the run ``run`` of ``repo`` (None: its complete run), only while that run is the complete one."""
    rows = []
    for name, value in answers.items():
        try:
            rows.append({"name": name, "value": json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_default)})
        except (TypeError, ValueError) as exc:
            raise StoreError(f"cannot store answer {name!r} of {repo}: {exc}") from exc
    with connection.errors(f"save answers of {repo} to"):
        if run is None:
            state = connection.read(f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) RETURN s.complete_run AS run", repo=repo)
            run = state[0]["run"] if state else None
        if run is None:
            raise UnknownRepository(f"repository {repo!r} is not in store {connection.location}", repository=repo)
        # Written only while ``run`` is the complete one: answers about a replaced graph would never be read.
        connection.write(
            f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) WHERE s.complete_run = $run "
            f"UNWIND $rows AS row MERGE (a:{ANSWER_LABEL} {{repo: $repo, name: row.name}}) "
            "SET a.value = row.value, a.run = $run",
            repo=repo, run=run, rows=rows,
        )


def load_answer(connection: Connection, repo: str, name: str) -> Any | None:
    """The answer ``name`` kept for the complete run of ``repo``; None when there is none."""
    with connection.errors(f"read answer {name!r} of {repo} from"):
        rows = connection.read(
            f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) MATCH (a:{ANSWER_LABEL} {{repo: $repo, name: $name}}) "
            "WHERE a.run = s.complete_run RETURN a.value AS value",
            repo=repo, name=name,
        )
    return json.loads(rows[0]["value"]) if rows else None


def save_reviews(connection: Connection, repo: str, records: list[dict[str, Any]]) -> None:
    with connection.errors(f"save review records of {repo} to"):
        connection.write(f"MERGE (r:{REVIEWS_LABEL} {{repo: $repo}}) SET r.records = $records",
                         repo=repo, records=json.dumps(records, ensure_ascii=False))


def load_reviews(connection: Connection, repo: str) -> list[dict[str, Any]]:
    with connection.errors(f"read review records of {repo} from"):
        rows = connection.read(f"MATCH (r:{REVIEWS_LABEL} {{repo: $repo}}) RETURN r.records AS records", repo=repo)
    return list(json.loads(rows[0]["records"])) if rows and rows[0]["records"] else []


def delete_records(connection: Connection, repo: str) -> None:
    """Delete the review records and answers of ``repo`` (inside the caller's ``errors``)."""
    connection.write(f"MATCH (r:{REVIEWS_LABEL} {{repo: $repo}}) DELETE r", repo=repo)
    connection.write(f"MATCH (a:{ANSWER_LABEL} {{repo: $repo}}) DELETE a", repo=repo)
