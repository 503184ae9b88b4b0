"""What Neo4j keeps beside a repository's graph: derived answers and review records, as JSON text.

* one ``:CairnAnswer {repo, name}`` node per derived answer (``GraphStore.save_answers``)
  holds it in ``value``, with the ``run`` it was computed from: it is read only while
  that run is the complete one, and deleted by the next save (``graph.neo4j.writing``);
* one ``:CairnReviews {repo}`` node per repository holds its review records
  (``ingest.reviews``) in ``records``; saves of the graph leave it alone.

Both are the JSON text of ``graph.values.dumps``, as in the embedded store, so they
come back the same from either store (tuples and sets as lists, dates as ISO text).
"""

from __future__ import annotations

from typing import Any, Mapping

import neo4j

from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.neo4j.connection import Connection
from cairn.graph.neo4j.layout import ANSWER_LABEL, REVIEWS_LABEL, STATE_LABEL
from cairn.graph.values import dumps, loads


def _serialise(value: Any, what: str) -> str:
    try:
        return dumps(value)
    except (TypeError, ValueError) as exc:  # a programming error, but say what failed
        raise StoreError(f"cannot store {what}: {exc}") from exc


def save_answers(connection: Connection, repo: str, run: str | None, answers: Mapping[str, Any]) -> None:
    """Keep ``answers`` for the run ``run`` of ``repo`` (None: its complete run), only while that run is the complete one.

    ``UnknownRepository`` if ``repo`` has no complete run at all.
    """
    rows = [{"name": name, "value": _serialise(value, f"answer {name!r} of {repo}")} for name, value in answers.items()]
    with connection.errors(f"save answers of {repo} to"), connection.session() as session:
        known = session.execute_write(_write_answers, repo, run, rows)
    if not known:
        raise UnknownRepository(f"repository {repo!r} is not in store {connection.location}", repository=repo)


def _write_answers(tx: neo4j.ManagedTransaction, repo: str, run: str | None, rows: list[dict[str, str]]) -> bool:
    """Whether ``repo`` has a complete run; the answers are written if ``run`` is it (or None)."""
    state = tx.run(f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) RETURN s.complete_run AS run", repo=repo).single()
    if state is None or state["run"] is None:
        return False
    # Written only while ``run`` is the complete one: answers about a replaced graph would never be read.
    tx.run(
        f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) WHERE s.complete_run = $run "
        f"UNWIND $rows AS row MERGE (a:{ANSWER_LABEL} {{repo: $repo, name: row.name}}) "
        "SET a.value = row.value, a.run = $run",
        repo=repo, run=run or state["run"], rows=rows,
    ).consume()
    return True


def load_answers(connection: Connection, repo: str, names: list[str]) -> dict[str, Any]:
    """The answers among ``names`` kept for the complete run of ``repo``, read in one query; names without one left out."""
    with connection.errors(f"read answers {', '.join(map(repr, names))} of {repo} from"):
        rows = connection.read(
            f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) UNWIND $names AS name "
            f"MATCH (a:{ANSWER_LABEL} {{repo: $repo, name: name}}) "
            "WHERE a.run = s.complete_run RETURN a.name AS name, a.value AS value",
            repo=repo, names=names,
        )
    return {row["name"]: loads(row["value"]) for row in rows}


def save_reviews(connection: Connection, repo: str, records: list[dict[str, Any]]) -> None:
    text = _serialise(records, f"the review records of {repo}")
    with connection.errors(f"save review records of {repo} to"):
        connection.write(f"MERGE (r:{REVIEWS_LABEL} {{repo: $repo}}) SET r.records = $records", repo=repo, records=text)


def load_reviews(connection: Connection, repo: str) -> list[dict[str, Any]]:
    with connection.errors(f"read review records of {repo} from"):
        rows = connection.read(f"MATCH (r:{REVIEWS_LABEL} {{repo: $repo}}) RETURN r.records AS records", repo=repo)
    return list(loads(rows[0]["records"])) if rows and rows[0]["records"] else []


def delete_records(tx: neo4j.ManagedTransaction, repo: str) -> None:
    """Delete the review records and answers of ``repo`` in the transaction ``tx``."""
    tx.run(f"MATCH (r:{REVIEWS_LABEL} {{repo: $repo}}) DELETE r", repo=repo).consume()
    tx.run(f"MATCH (a:{ANSWER_LABEL} {{repo: $repo}}) DELETE a", repo=repo).consume()
