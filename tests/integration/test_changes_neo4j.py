"""CO_CHANGES edges and Period nodes on a real Neo4j: the same answers as the embedded store, and queryable with Cypher."""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services import changes_over_time
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.queries.agents import agents
from cairn.queries.coupling import coupling
from cairn.queries.trends import trends
from fixtures.changes import build_agents, build_coupled

pytestmark = pytest.mark.neo4j


def test_co_changes_and_periods_round_trip_and_answer_cypher(tmp_path, neo4j_store, monkeypatch):
    monkeypatch.setenv("CAIRN_CACHE_DIR", str(tmp_path / "cache"))  # both stores see the same (empty) caches
    build_coupled(tmp_path / "coupled")
    build_agents(tmp_path / "agents")
    embedded = open_store(str(tmp_path / "store"))
    for name in ("coupled", "agents"):
        ingest_into_store(embedded, tmp_path / name)
        ingest_into_store(neo4j_store, tmp_path / name)
    assert coupling(neo4j_store.load("coupled")) == coupling(embedded.load("coupled"))
    assert trends(neo4j_store.load("agents")) == trends(embedded.load("agents"))
    assert agents(neo4j_store.load("agents")) == agents(embedded.load("agents"))
    full = changes_over_time.trends(Workspace(neo4j_store, naming_hint="-"), "agents")
    assert full == changes_over_time.trends(Workspace(embedded, naming_hint="-"), "agents")
    assert [p["new_couplings"] for p in full["periods"]] == [None, 1, 1]
    rows = neo4j_store.cypher(
        "MATCH (a:File {_repo: $repo})-[r:CO_CHANGES]->(b:File) WHERE NOT r.imports "
        "RETURN a.path AS a, b.path AS b, r.degree AS degree, r.shared AS shared ORDER BY degree DESC",
        {"repo": "coupled"},
    )
    assert rows == [{"a": "a/x.py", "b": "b/y2.py", "degree": 85.7, "shared": 6}]
    components = neo4j_store.cypher(
        "MATCH (a:Component {_repo: 'coupled'})-[r:CO_CHANGES]->(b:Component) RETURN a.name AS a, b.name AS b, r.degree AS d")
    assert components == [{"a": "a", "b": "b", "d": 85.7}]
    periods = neo4j_store.cypher(
        "MATCH (p:Period {_repo: 'agents'}) RETURN p.period AS period, p.agent_share AS share, p.truck_factor AS tf "
        "ORDER BY period")
    assert periods == [{"period": "2024-Q1", "share": 0.0, "tf": 1}, {"period": "2024-Q2", "share": 0.8, "tf": 1},
                       {"period": "2024-Q3", "share": 0.0, "tf": 2}]
