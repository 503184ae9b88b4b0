"""The Neo4j adapter against a real Neo4j 5.26 started by tests/neo4j/server.sh.

Round trips equal the embedded store's, re-saves neither duplicate nor leave
stale data, repositories stay apart, a server that dies in the middle of a save
leaves the previous version readable and the next save complete, and Cypher
through the store cannot write.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket

import pytest

from cairn.api.bootstrap import open_store
from cairn.graph.errors import CypherQueryError, CypherWriteRefused, Neo4jUnavailable, StoreError, UnknownRepository
from cairn.graph.model import Edge, Label, Rel, RepoGraph
from cairn.graph.neo4j_store import Neo4jStore, decode_props, encode_props
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.values import json_default

# -- graphs ----------------------------------------------------------------------------


def tricky_graph(repo: str = "shop") -> RepoGraph:
    """Every kind of property value the model may carry, on nodes and on edges."""
    g = RepoGraph(repo)
    root = g.add_node(
        Label.REPOSITORY, repo,
        head="3f2a" * 10, path="/src/shop", ingested_at=dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        history={"commits": 12, "authors": ["ada", "bob"], "by_kind": {"human": 2, "agent": 1}},
    )
    api = g.add_node(
        Label.COMPONENT, "api",
        truck_factor=1, holders=[{"person": "ada", "share": 0.75}, {"person": "bob", "share": 0.25}],
        description=None, tags=[], globs=("shop/api/**",), system="shop", empty_map={},
    )
    core = g.add_node(Label.COMPONENT, "core", truck_factor=2, holders=[], ratio=0.5, big=2**70, mixed=[1, "a", None])
    views = g.add_node(Label.MODULE, "shop.api.views", path="shop/api/views.py", language="python", lines=[1, 2, 3],
                       flags=[True, False], weights=[0.5, 1.5], nested_lists=[[1, 2], [3]])
    prices = g.add_node(Label.MODULE, "shop.core.prices", path="shop/core/prices.py", language="python",
                        title="Prix déjà vus — 価格 🧾", _internal="kept", __dunder=1)
    ext = g.add_node(Label.EXTERNAL, "requests", ecosystem="pypi")
    ada = g.add_node(Label.PERSON, "ada@example.com", id="ada@example.com", name="Ada Lovelace", kind="human",
                     aliases={"Ada L.", "ada"}, last_active=dt.date(2024, 12, 31))
    claude = g.add_node(Label.PERSON, "noreply@anthropic.com", name="Claude", kind="agent")
    adr = g.add_node(Label.DECISION, "docs/adr/0001-pure-core.md", number=1, title="Pure core", status="accepted",
                     deciders=["ada"], front_matter={"components": ["core"], "rules": [{"id": "core-pure"}]})
    rule = g.add_node(Label.RULE, "core-pure", id="core-pure", kind="forbidden", params={"from": ["core"], "to": ["api"]},
                      severity="block", exceptions=[])
    team = g.add_node(Label.TEAM, "@shop/core")
    f = g.add_node(Label.FILE, "shop/core/prices.py", language="python")
    g.add_edge(Rel.PART_OF, api, root)
    g.add_edge(Rel.PART_OF, core, root)
    g.add_edge(Rel.PART_OF, views, api)
    g.add_edge(Rel.PART_OF, prices, core)
    g.add_edge(Rel.PART_OF, f, core)
    g.add_edge(Rel.IMPORTS, views, prices, lines=[1, 7], kind="runtime", evidence=[{"line": 1, "text": "from shop.core import prices"}])
    g.add_edge(Rel.IMPORTS, prices, ext, lines=[], kind="type_only", note=None)
    g.add_edge(Rel.IMPORTS, prices, prices, lines=[3], kind="dynamic")  # a self-import is still one edge
    g.add_edge(Rel.DEPENDS_ON, api, core, count=1)
    g.add_edge(Rel.KNOWS, ada, f, doa=4.39, first_authorship=True, deliveries=3, last_touch="2024-12-31")
    g.add_edge(Rel.KNOWS, claude, f)
    g.add_edge(Rel.OWNS, team, f, declared_in=".github/CODEOWNERS")
    g.add_edge(Rel.GOVERNS, adr, core, inferred=False, confidence=1.0)
    g.add_edge(Rel.DECLARED_BY, rule, adr)
    return g


def modules_graph(repo: str, modules: int, imports_per_module: int = 4, generation: int = 0) -> RepoGraph:
    """A plain dependency graph of some size; ``generation`` changes every property."""
    g = RepoGraph(repo)
    root = g.add_node(Label.REPOSITORY, repo, head=f"{generation:040d}")
    comps = [g.add_node(Label.COMPONENT, f"c{c}", generation=generation) for c in range(5)]
    for comp in comps:
        g.add_edge(Rel.PART_OF, comp, root)
    mods = [g.add_node(Label.MODULE, f"c{i % 5}.m{i}", loc=i * 10 + generation) for i in range(modules)]
    for i, m in enumerate(mods):
        g.add_edge(Rel.PART_OF, m, comps[i % 5])
        for k in range(1, imports_per_module + 1):
            g.add_edge(Rel.IMPORTS, m, mods[(i * 7 + k * 13) % modules], lines=[k, generation], kind="runtime")
    return g


def as_stored(props: dict) -> dict:
    """What every store gives back: JSON's view of the values (tuples and sets as lists, dates as ISO text)."""
    return json.loads(json.dumps(props, default=json_default))


def assert_same_graph(loaded: RepoGraph, expected: RepoGraph) -> None:
    assert loaded.repo == expected.repo
    assert loaded.nodes.keys() == expected.nodes.keys()
    for nid, node in expected.nodes.items():
        got = loaded.nodes[nid]
        assert (got.label, got.repo, got.key, got.props) == (node.label, node.repo, node.key, as_stored(node.props)), nid
    assert loaded.edges.keys() == expected.edges.keys()
    for key, edge in expected.edges.items():
        got = loaded.edges[key]
        assert (got.type, got.source, got.target, got.props) == (edge.type, edge.source, edge.target, as_stored(edge.props)), key


def stored_counts(store: Neo4jStore, repo: str) -> dict[str, int]:
    """What the database holds for ``repo``, run by run ignored: every node and relationship there is."""
    nodes = store.cypher("MATCH (n:CairnNode {_repo: $repo}) RETURN count(n) AS n", {"repo": repo})[0]["n"]
    rels = store.cypher("MATCH (n:CairnNode {_repo: $repo})-[r]->() RETURN count(r) AS n", {"repo": repo})[0]["n"]
    by_label = {
        row["label"]: row["n"]
        for row in store.cypher(
            "MATCH (n:CairnNode {_repo: $repo}) UNWIND labels(n) AS label WITH label, count(*) AS n "
            "WHERE label <> 'CairnNode' RETURN label, n", {"repo": repo})
    }
    by_type = {
        row["type"]: row["n"]
        for row in store.cypher(
            "MATCH (n:CairnNode {_repo: $repo})-[r]->() RETURN type(r) AS type, count(r) AS n", {"repo": repo})
    }
    return {"nodes": nodes, "relationships": rels, **by_label, **by_type}


def clean_counts(graph: RepoGraph) -> dict[str, int]:
    return {"nodes": len(graph.nodes), "relationships": len(graph.edges), **graph.counts()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- property encoding (no server) ----------------------------------------------------------

def test_property_encoding_round_trips_like_the_embedded_store_json():
    props = tricky_graph().node(Label.COMPONENT, "api").props | tricky_graph().node(Label.COMPONENT, "core").props
    props |= {"_x": 1, "__y": [1, 2], "when": dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc), "set": {3, 1, 2}}
    expected = as_stored(props)
    encoded = encode_props(props)
    assert decode_props(encoded) == expected
    # Maps and lists Neo4j cannot hold become JSON text, listed in _json; None values are listed in _null.
    assert set(encoded["_json"]) >= {"holders", "empty_map", "big", "mixed", "tags"}
    assert encoded["_null"] == ["description"]
    assert "description" not in encoded
    # Values Neo4j holds natively stay native, so Cypher can filter on them.
    assert encoded["globs"] == ["shop/api/**"] and encoded["truck_factor"] == 2 and encoded["set"] == [1, 2, 3]
    # A model property named like an internal one is stored under another name and comes back as it was.
    assert encoded["__x"] == 1 and encoded["___y"] == [1, 2] and "_x" not in encoded


def test_an_unstorable_value_is_a_store_error():
    with pytest.raises(StoreError, match="cannot store property 'blob'"):
        encode_props({"blob": object()})


# -- the adapter on a real server ----------------------------------------------------------

@pytest.mark.neo4j
def test_round_trip_equals_the_embedded_store(neo4j_store, tmp_path):
    graph = tricky_graph()
    embedded = SqliteStore(tmp_path / "store")
    embedded.save(graph)
    neo4j_store.save(graph)
    assert_same_graph(neo4j_store.load("shop"), embedded.load("shop"))
    assert neo4j_store.repositories() == embedded.repositories()
    # Property names and values as Cypher users see them.
    rows = neo4j_store.cypher(
        "MATCH (c:Component {name: 'core'}) RETURN c.truck_factor AS tf, c.ratio AS ratio, c.description AS d")
    assert rows == [{"tf": 2, "ratio": 0.5, "d": None}]


@pytest.mark.neo4j
def test_property_names_are_quoted_in_the_statements_that_write_them(neo4j_store):
    """A save names every property in its Cypher text: backticks, spaces and dots there are part of a name."""
    g = RepoGraph("quoted")
    odd = g.add_node(Label.MODULE, "odd", **{"we`ird name": 1, "x.y": "z", "_lead": True, "gone": None})
    plain = g.add_node(Label.MODULE, "plain", language="python")  # none of its label's other properties
    g.add_edge(Rel.IMPORTS, odd, plain, **{"li`nes": [1], "k y": None, "nested": {"a": [1]}})
    g.add_edge(Rel.IMPORTS, plain, odd)
    neo4j_store.save(g)
    assert_same_graph(neo4j_store.load("quoted"), g)
    rows = neo4j_store.cypher(
        "MATCH (m:Module {_repo: 'quoted'}) RETURN m.`we``ird name` AS w, m.`x.y` AS xy, m.language AS lang ORDER BY m._id")
    assert rows == [{"w": 1, "xy": "z", "lang": None}, {"w": None, "xy": None, "lang": "python"}]


@pytest.mark.neo4j
def test_any_store_fixture_gives_both_adapters_the_same_answers(any_store):
    graph = tricky_graph("parity")
    any_store.save(graph)
    loaded = any_store.load("parity")
    assert loaded.nodes.keys() == graph.nodes.keys()
    for nid, node in graph.nodes.items():
        # Both stores give back what JSON gives back: tuples and sets as lists, dates as ISO text.
        assert loaded.nodes[nid].props == as_stored(node.props), nid
    assert set(loaded.edges) == set(graph.edges)
    assert [r.repo for r in any_store.repositories()] == ["parity"]
    with pytest.raises(UnknownRepository):
        any_store.load("nope")
    any_store.delete("parity")
    assert any_store.repositories() == []
    with pytest.raises(UnknownRepository):
        any_store.delete("parity")


@pytest.mark.neo4j
def test_resave_is_idempotent(neo4j_store):
    graph = modules_graph("mono", 300)
    neo4j_store.save(graph)
    first = stored_counts(neo4j_store, "mono")
    neo4j_store.save(graph)
    neo4j_store.save(graph)
    assert stored_counts(neo4j_store, "mono") == first == clean_counts(graph)
    assert_same_graph(neo4j_store.load("mono"), graph)
    state = neo4j_store.cypher("MATCH (s:CairnState) RETURN s.repo AS repo, s.nodes AS n, s.writing_run AS w")
    assert state == [{"repo": "mono", "n": len(graph.nodes), "w": None}]


@pytest.mark.neo4j
def test_what_disappears_between_saves_is_deleted(neo4j_store):
    before = tricky_graph()
    neo4j_store.save(before)
    after = tricky_graph()
    after.remove_node(after.node(Label.MODULE, "shop.api.views").id)  # takes its edges along
    del after.edges[(Rel.KNOWS.value, after.node(Label.PERSON, "noreply@anthropic.com").id,
                     after.node(Label.FILE, "shop/core/prices.py").id)]
    core = after.node(Label.COMPONENT, "core")
    del core.props["big"]
    core.props["truck_factor"] = 3
    neo4j_store.save(after)
    assert_same_graph(neo4j_store.load("shop"), after)
    assert stored_counts(neo4j_store, "shop") == clean_counts(after)
    assert neo4j_store.cypher("MATCH (m:Module {name: 'shop.api.views'}) RETURN m") == []
    assert neo4j_store.cypher("MATCH (c:Component {name: 'core'}) RETURN c.big AS big, c.truck_factor AS tf") == \
        [{"big": None, "tf": 3}]


@pytest.mark.neo4j
def test_repositories_in_one_database_stay_apart(neo4j_store):
    a, b = modules_graph("a", 50), modules_graph("b", 80)
    neo4j_store.save(a)
    neo4j_store.save(b)
    a2 = modules_graph("a", 30, generation=1)
    neo4j_store.save(a2)
    assert_same_graph(neo4j_store.load("a"), a2)
    assert_same_graph(neo4j_store.load("b"), b)
    assert stored_counts(neo4j_store, "b") == clean_counts(b)
    neo4j_store.delete("a")
    assert [r.repo for r in neo4j_store.repositories()] == ["b"]
    assert stored_counts(neo4j_store, "a")["nodes"] == 0
    assert_same_graph(neo4j_store.load("b"), b)


@pytest.mark.neo4j
@pytest.mark.parametrize("writers", [1, 3])
def test_writers_in_node_disjoint_rounds_store_the_same_graph(neo4j_store, writers):
    graph = modules_graph("rounds", 300, imports_per_module=6)
    neo4j_store.writers = writers
    neo4j_store.node_batch_size = neo4j_store.edge_batch_size = 97
    neo4j_store.save(graph)
    assert_same_graph(neo4j_store.load("rounds"), graph)
    assert stored_counts(neo4j_store, "rounds") == clean_counts(graph)
    # A relationship's run is its nodes' _run: relationships carry only the model's properties.
    keys = neo4j_store.cypher("MATCH (:CairnNode {_repo: 'rounds'})-[r]->() UNWIND keys(r) AS k RETURN DISTINCT k ORDER BY k")
    assert keys == [{"k": "kind"}, {"k": "lines"}]


@pytest.mark.neo4j
def test_an_edge_to_a_node_not_in_the_graph_is_refused_before_anything_is_written(neo4j_store):
    graph = modules_graph("broken", 20)
    edge = Edge(Rel.IMPORTS, graph.node(Label.MODULE, "c0.m0").id, "Module|broken|c9.m99")
    graph.edges[edge.key] = edge
    with pytest.raises(StoreError, match=re.escape("Module|broken|c9.m99 has an end that is not in the graph")):
        neo4j_store.save(graph)
    assert stored_counts(neo4j_store, "broken")["nodes"] == 0
    assert neo4j_store.repositories() == []


@pytest.mark.neo4j
def test_progress_reaches_the_total(neo4j_store):
    graph = modules_graph("p", 40)
    seen = []
    neo4j_store.save(graph, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(graph), len(graph))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.neo4j
def test_constraints_exist_before_any_data(neo4j_store):
    names = {row["name"] for row in neo4j_store._read("SHOW CONSTRAINTS YIELD name, type RETURN name, type")}
    assert {f"cairn_{label.value.lower()}_id_run" for label in Label} <= names
    assert "cairn_state_repo" in names
    indexes = {row["name"] for row in neo4j_store._read("SHOW INDEXES YIELD name RETURN name")}
    assert {"cairn_node_repo", "cairn_node_run"} <= indexes


@pytest.mark.neo4j
def test_cypher_reads_with_parameters_and_refuses_writes(neo4j_store):
    neo4j_store.save(tricky_graph())
    rows = neo4j_store.cypher(
        "MATCH (m:Module)-[i:IMPORTS]->(t) WHERE m._repo = $repo RETURN m.name AS m, t.name AS t, i.kind AS kind "
        "ORDER BY m, t", {"repo": "shop"})
    assert rows == [
        {"m": "shop.api.views", "t": "shop.core.prices", "kind": "runtime"},
        {"m": "shop.core.prices", "t": "requests", "kind": "type_only"},
        {"m": "shop.core.prices", "t": "shop.core.prices", "kind": "dynamic"},
    ]
    before = stored_counts(neo4j_store, "shop")
    for write in ("CREATE (n:Hack) RETURN n", "MATCH (n) DETACH DELETE n", "MATCH (c:Component) SET c.truck_factor = 99"):
        with pytest.raises(CypherWriteRefused, match="read-only") as refused:
            neo4j_store.cypher(write)
        assert "\n" not in str(refused.value)
    assert stored_counts(neo4j_store, "shop") == before
    with pytest.raises(CypherQueryError, match="Cypher query failed") as bad:
        neo4j_store.cypher("MATCH (n RETURN n")
    assert not isinstance(bad.value, CypherWriteRefused)


def test_an_unreachable_server_is_a_one_line_error_without_the_password():
    port = free_port()
    with pytest.raises(Neo4jUnavailable) as err:
        open_store(f"bolt://alice:s3cret@127.0.0.1:{port}")
    message = str(err.value)
    assert f"bolt://alice@127.0.0.1:{port}" in message
    assert "s3cret" not in message and "\n" not in message
    assert isinstance(err.value, StoreError)


def test_a_malformed_uri_is_a_store_error_without_the_password():
    for uri in ("bolt://ada:pw-secret@127.0.0.1:notaport", "neo4j://ada:pw-secret@[::1", "bolt://ada:pw-secret@:7687"):
        with pytest.raises(StoreError, match="invalid Neo4j URI") as err:
            open_store(uri)
        assert "pw-secret" not in str(err.value), uri


@pytest.mark.neo4j
def test_credentials_come_from_the_uri_or_the_environment(neo4j_uri, monkeypatch):
    # The test server runs with authentication disabled, so any credentials are accepted;
    # what matters is that they reach the driver and never the location shown to people.
    host = neo4j_uri.split("://", 1)[1]
    with Neo4jStore.from_uri(f"bolt://neo4j:pa%40ss@{host}") as store:
        assert store.location == f"bolt://neo4j@{host}"
        assert store.cypher("RETURN 1 AS one") == [{"one": 1}]
    monkeypatch.setenv("CAIRN_NEO4J_USER", "reader")
    monkeypatch.setenv("CAIRN_NEO4J_PASSWORD", "secret-password")
    with open_store(neo4j_uri) as store:
        assert store.location == f"bolt://reader@{host}"
        assert "secret-password" not in store.location


@pytest.mark.neo4j
@pytest.mark.parametrize("while_writing", ["nodes", "relationships"])
def test_a_save_started_later_wins_and_the_earlier_one_fails_cleanly(neo4j_store, while_writing):
    first, second = modules_graph("race", 200, generation=1), modules_graph("race", 120, generation=2)
    neo4j_store.node_batch_size = neo4j_store.edge_batch_size = 100
    neo4j_store.writers = 1
    started = []

    def meanwhile(done, total):
        # A second writer saves the same repository in the middle of the first save, and
        # deletes what the first one wrote so far: while it writes nodes, or once its nodes
        # are written and their ids are what its relationships are created between.
        if not started and (while_writing == "nodes" or done > len(first.nodes)):
            started.append(done)
            with Neo4jStore.from_uri(neo4j_store.location) as other:
                other.save(second)

    with pytest.raises(StoreError, match="another save of race started while this one ran"):
        neo4j_store.save(first, progress=meanwhile)
    assert_same_graph(neo4j_store.load("race"), second)
    neo4j_store.save(second)  # and the leftovers of the abandoned save go with the next one
    assert stored_counts(neo4j_store, "race") == clean_counts(second)


@pytest.mark.neo4j
def test_a_server_killed_mid_save_keeps_the_previous_version_and_the_next_save_completes(neo4j_private_server):
    server = neo4j_private_server
    old = modules_graph("crash", 400, generation=1)
    new = modules_graph("crash", 3000, imports_per_module=6, generation=2)
    with Neo4jStore.from_uri(server.uri) as store:
        store.save(old)

    with Neo4jStore.from_uri(server.uri, retry_time=0.5) as store:
        store.node_batch_size = store.edge_batch_size = 1000
        killed = []

        def kill_midway(done, total):
            if not killed and done > total // 3:
                killed.append(done)
                server.kill()

        with pytest.raises(Neo4jUnavailable) as lost:
            store.save(new, progress=kill_midway)
        assert killed and "\n" not in str(lost.value)

    server.restart()
    with Neo4jStore.from_uri(server.uri) as store:
        # Readers still see the last complete save, whole, though the dead one left nodes behind.
        assert_same_graph(store.load("crash"), old)
        assert stored_counts(store, "crash")["nodes"] > len(old.nodes)
        store.save(new)
        assert_same_graph(store.load("crash"), new)
        after_crash = stored_counts(store, "crash")
        clean = modules_graph("clean", 3000, imports_per_module=6, generation=2)
        store.save(clean)
        assert after_crash == stored_counts(store, "clean") == clean_counts(new)
