"""``RepoGraph.hold_props`` / ``make_props``: what a graph holds unmade is made for the nodes a reader names, or all."""

from __future__ import annotations

import pytest

from cairn.graph.model import GroupedGraph, RepoGraph


def test_the_maker_is_asked_for_the_nodes_named_and_let_go_once_asked_for_all():
    graph = RepoGraph("app")
    asked: list[object] = []
    graph.hold_props(asked.append)
    graph.make_props(["File|app|a.py"])
    graph.make_props(["File|app|b.py"])
    assert asked == [["File|app|a.py"], ["File|app|b.py"]]
    graph.make_props()
    graph.make_props()  # nothing held any more: not asked again
    graph.make_props(["File|app|c.py"])
    assert asked == [["File|app|a.py"], ["File|app|b.py"], None]


def test_a_graph_holds_one_maker_at_a_time_and_a_grouped_view_asks_the_graph():
    graph = RepoGraph("app")
    asked: list[object] = []
    graph.hold_props(asked.append)
    with pytest.raises(ValueError):
        graph.hold_props(asked.append)
    GroupedGraph(graph).make_props(["File|app|a.py"])
    GroupedGraph(graph).make_props()
    assert asked == [["File|app|a.py"], None]
    graph.make_props()
    assert asked == [["File|app|a.py"], None]


def test_a_graph_holding_nothing_asks_nothing():
    RepoGraph("app").make_props()
    RepoGraph("app").make_props(["File|app|a.py"])
