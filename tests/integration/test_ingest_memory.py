"""What a cold ingest holds at its peak: the KNOWS edges keep their properties in slots (``graph.model.KnowsEdge``)
and still read, compare, change and store as plain dicts; the history is let go before the save
(``changes_over_time.release_trend_inputs``); the records are folded into columns once the edges are built."""

from __future__ import annotations

import gc
import sys
import tracemalloc

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest.knowledge import History
from cairn.graph.model import Edge, KnowsEdge, Rel, knows_edge, knows_rows
from cairn.graph.values import dumps, dumps_rows
from cairn.ingest.pipeline import ingest_repository
from fixtures.maps import build_atlas

NAMES = ["first_authorship", "deliveries", "acceptances", "doa", "reviews", "last_touch"]


@pytest.fixture(scope="module")
def knows(tmp_path_factory):
    base = tmp_path_factory.mktemp("atlas")
    build_atlas(base / "atlas")
    graph = ingest_repository(base / "atlas").graph
    edges = graph.of_type(Rel.KNOWS)
    assert len(edges) > 5
    return graph, edges, base


def test_each_edge_has_the_six_properties_in_their_order_with_plain_values(knows):
    _, edges, _ = knows
    for edge in edges:
        assert type(edge.props) is dict
        assert list(edge.props) == NAMES
        plain = dict(edge.props)
        assert edge.props == plain and dumps(edge.props) == dumps(plain)
        assert isinstance(edge.props["first_authorship"], bool)
        assert edge.props["doa"] is None or isinstance(edge.props["doa"], float)
        assert isinstance(edge.props["last_touch"], str) and edge.props["last_touch"].endswith("+00:00")


def test_the_properties_are_kept_without_a_dict_and_equal_values_share_one_object(knows):
    _, edges, _ = knows
    values = [edges[0].get(name) for name in NAMES]
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        compact = [knows_edge("s", "t", *values) for _ in range(2000)]
        middle = tracemalloc.get_traced_memory()[0]
        plain = [Edge(Rel.KNOWS, "s", "t", dict(zip(NAMES, values))) for _ in range(2000)]
        end = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert plain == compact and compact == plain and (middle - start) < 0.7 * (end - middle)
    assert all(type(e) is KnowsEdge and [e.get(name) for name in NAMES] == list(e.props.values()) for e in edges)
    for name in ("last_touch", "doa"):
        first_of: dict = {}
        for edge in edges:
            value = edge.get(name)
            if value is not None:
                assert first_of.setdefault(value, value) is value


def test_reading_and_marking_an_edge_makes_no_dict_and_the_save_writes_the_same_text():
    edge = knows_edge("Person|r|p", "File|r|f", True, 2, 1, 4.5, 0, "2024-01-01T00:00:00+00:00")
    edge.set("author", True)
    assert edge.authorship == (4.5, True, 0) and edge.get("author") is True and edge.get("note", 1) == 1
    assert Edge.__dict__["props"].__get__(edge) is None  # nothing made yet
    names, rows = knows_rows([edge])
    assert dumps_rows(names, rows) == [dumps(edge.current_props())] == [dumps({**dict(zip(NAMES, rows[0])), "author": True})]
    edge.props["reviews"] = 3  # a dict made now holds them: what is written to it stays, and is read
    assert edge.get("reviews") == 3 and edge.authorship == (4.5, True, 3) and knows_rows([edge]) is None
    edge.set("author", False)
    assert edge.props["author"] is False and list(edge.props) == [*NAMES, "author"]


def test_changing_one_edge_changes_no_other_and_the_store_gives_the_same_back(knows):
    graph, edges, base = knows
    before = [dict(e.props) for e in edges]
    edges[0].props["reviews"] += 7
    edges[1].props["note"] = "extra key"
    assert edges[0].props["reviews"] == before[0]["reviews"] + 7
    assert list(edges[1].props) == [*NAMES, "note"]
    assert [dict(e.props) for e in edges[2:]] == before[2:]
    store = open_store(str(base / "store"))
    store.save(graph)
    loaded = store.load(graph.repo)
    assert {e.key: e.props for e in loaded.of_type(Rel.KNOWS)} == {e.key: e.props for e in edges}


def _histories() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is History)


def test_the_ingest_lets_the_history_go_before_the_save_and_keeps_what_the_trends_said(knows, tmp_path):
    _, _, base = knows
    before = _histories()
    result = ingest_into_store(open_store(str(tmp_path / "store")), base / "atlas")
    assert _histories() == before  # nothing the result holds keeps the history (the trend inputs held it)
    assert result.trends is not None and result.trends.period == "quarter" and result.trends.activity == []
    with pytest.raises(RuntimeError, match="released"):
        next(iter(result.trends.snapshots()))


def test_the_records_are_in_columns_once_the_edges_are_built_and_the_state_goes_once_saved(tmp_path):
    build_atlas(tmp_path / "atlas")
    result = ingest_repository(tmp_path / "atlas", cache_dir=tmp_path / "cache")  # a cache: the state is kept
    assert result.graph.of_type(Rel.KNOWS)
    history = result.trends.snapshots.args[0].history
    assert history.records.changed == {} and len(history.records.ident) == sum(history.records.count) > 0
    assert history.state is None and list((tmp_path / "cache").glob("history-*.state"))
    again = ingest_repository(tmp_path / "atlas", cache_dir=tmp_path / "cache")  # what was saved is read back
    assert {e.key: e.props for e in again.graph.of_type(Rel.KNOWS)} == {e.key: e.props for e in result.graph.of_type(Rel.KNOWS)}


def test_edges_of_equal_values_share_one_tuple_and_each_edge_is_six_slots(tmp_path):
    build_atlas(tmp_path / "atlas")
    edges = ingest_repository(tmp_path / "atlas").graph.of_type(Rel.KNOWS)
    values = Edge.__dict__["type"]  # the slot the class attribute ``type`` leaves to the values
    first_of: dict = {}
    for edge in edges:
        held = values.__get__(edge)
        assert held == tuple(edge.get(name) for name in NAMES[:5]) and edge.type is Rel.KNOWS
        assert first_of.setdefault(held, held) is held  # one tuple for every edge of these values
    assert len(first_of) < len(edges)
    eleven = type("Eleven", (), {"__slots__": tuple(f"s{i}" for i in range(11))})
    assert sys.getsizeof(edges[0]) < sys.getsizeof(eleven())  # 80 bytes, not 128
    edge = edges[0]
    edge.set("author", True)  # the values stay shared while author is set; a dict made later holds them all
    assert values.__get__(edge) is first_of[values.__get__(edge)]
    assert edge.props == {**dict(zip(NAMES, (*values.__get__(edge), edge.get("last_touch")))), "author": True}
