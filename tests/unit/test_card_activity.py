"""A card's recent activity: the newest touches per person and file, as a full sort of every touch orders them."""

from __future__ import annotations

import random

import pytest

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.queries.explore.card import RECENT_ACTIVITY_LIMIT, component_cards


MIXED = ["2024-05-01", "2024-05-01T10:00:00+00:00", "2024-05-02", "2024-05-02T09:00:00+00:00", "2024-04-30"]
ONE_LENGTH = ["2024-05-01T10:00:00+00:00", "2024-05-02T09:00:00+00:00", "2024-04-30T23:59:59+00:00",
              "2024-05-02T09:00:01+00:00"]


@pytest.mark.parametrize("times", [MIXED, ONE_LENGTH], ids=["dates-prefixing-times", "times-of-one-length"])
def test_recent_activity_is_the_head_of_the_full_order_even_with_ties_at_the_cut(times):
    rnd = random.Random(14)
    graph = RepoGraph("r")
    graph.add_node(Label.COMPONENT, "core", paths=["core/**"])
    people = [graph.add_node(Label.PERSON, f"p{i}@x", name=f"P{i}", kind="human") for i in range(6)]
    # few distinct times (with MIXED, dates that are prefixes of longer times): many ties around the limit
    touches = []
    for n in range(40):
        f = graph.add_node(Label.FILE, f"core/m{n:02}.py", component="core")
        for person in rnd.sample(people, 3):
            when = rnd.choice(times)
            graph.add_edge(Rel.KNOWS, person, f, last_touch=when)
            touches.append((when, f.key, person.key))
    expected = sorted(touches, key=lambda t: (t[1], t[2]))
    expected.sort(key=lambda t: t[0] + "\U0010ffff", reverse=True)
    activity = component_cards(graph)["core"]["recent_activity"]
    assert len(touches) > RECENT_ACTIVITY_LIMIT
    assert [(a["last_touch"], a["file"], a["person"]) for a in activity] == expected[:RECENT_ACTIVITY_LIMIT]
