"""What Cairn keeps in a Neo4j database, and the constraints and indexes that serve it.

* every Cairn node is a Neo4j node with two labels, its ``Label`` (``:Module``,
  ``:Person`` …) and ``:CairnNode``; its own properties are stored as they are,
  so teams can query them with Cypher (``MATCH (c:Component {name: 'api'})``);
* internal properties start with ``_``: ``_id`` (``graph.model.node_id``),
  ``_repo``, ``_key``, ``_run`` (the save that wrote it), and ``_json`` / ``_null``
  (see ``graph.neo4j.properties``). A property of the model whose name itself
  starts with ``_`` is stored with one more ``_`` in front;
* edges are relationships of their ``Rel`` type with their properties; which run a
  relationship belongs to is its nodes' ``_run`` (a run's relationships join its
  own nodes only; databases written before kept a ``_run`` on them too, ignored);
* one ``:CairnState {repo}`` node per repository holds ``complete_run``, the run
  readers see, the node and edge counts of that run, and ``writing_run`` while a
  save runs;
* one ``:CairnReviews {repo}`` node per repository holds its review records;
* one ``:CairnAnswer {repo, name}`` node per derived answer.

Label and relationship type names in Cypher text come from the model's ``Label``
and ``Rel`` enums and the constants here, never from input; values are parameters.
"""

from __future__ import annotations

from neo4j import exceptions as neo4j_errors

from cairn.graph.model import Label
from cairn.graph.neo4j.connection import Connection

NODE_LABEL = "CairnNode"
STATE_LABEL = "CairnState"
REVIEWS_LABEL = "CairnReviews"  # one node per repository: its review records, as JSON text
ANSWER_LABEL = "CairnAnswer"  # one node per repository and answer name: a derived answer, as JSON text
INTERNAL = ("_id", "_repo", "_key", "_run", "_json", "_null")


def label_of(nid: str) -> str:
    """The ``Label`` value of the node whose ``_id`` is ``nid``."""
    return nid.split("|", 1)[0]


def schema() -> dict[str, str]:
    """Name -> Cypher that creates it, for every constraint and index Cairn needs."""
    wanted: dict[str, str] = {}
    for label in Label:
        name = f"cairn_{label.value.lower()}_id_run"
        wanted[name] = f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:`{label.value}`) REQUIRE (n._id, n._run) IS UNIQUE"
    wanted["cairn_state_repo"] = f"CREATE CONSTRAINT cairn_state_repo IF NOT EXISTS FOR (s:{STATE_LABEL}) REQUIRE s.repo IS UNIQUE"
    wanted["cairn_reviews_repo"] = f"CREATE CONSTRAINT cairn_reviews_repo IF NOT EXISTS FOR (r:{REVIEWS_LABEL}) REQUIRE r.repo IS UNIQUE"
    wanted["cairn_answer_repo_name"] = (
        f"CREATE CONSTRAINT cairn_answer_repo_name IF NOT EXISTS FOR (a:{ANSWER_LABEL}) REQUIRE (a.repo, a.name) IS UNIQUE"
    )
    wanted["cairn_node_repo"] = f"CREATE INDEX cairn_node_repo IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n._repo)"
    wanted["cairn_node_run"] = f"CREATE INDEX cairn_node_run IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n._run)"
    return wanted


def ensure_schema(connection: Connection) -> None:
    """Create the missing constraints and indexes and wait until they are online: before any data is written."""
    with connection.errors("read the schema of"):
        present = {row["name"] for row in connection.read("SHOW INDEXES YIELD name RETURN name")}
    missing = [query for name, query in schema().items() if name not in present]
    if not missing:
        return
    with connection.errors("create the schema in"), connection.session() as session:
        for query in missing:
            try:
                session.run(query).consume()
            except neo4j_errors.ClientError as exc:
                # Another client created the same rule at the same moment.
                if exc.code != "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists":
                    raise
        session.run("CALL db.awaitIndexes(300)").consume()
