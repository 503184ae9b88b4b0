"""The slotted edges that keep a property in ``Edge``'s ``type`` slot (``graph.model``: their class attribute ``type``
leaves it unused) read, compare and print as plain edges of their type, and are the smaller for it."""

from __future__ import annotations

import sys

from cairn.graph.model import Edge, ImportsEdge, KnowsEdge, Rel, imports_rows, knows_edge, knows_rows

TYPE_SLOT = Edge.__dict__["type"]


def _slots(n: int) -> object:
    return type(f"Slots{n}", (), {"__slots__": tuple(f"s{i}" for i in range(n))})()


def test_an_imports_edge_keeps_its_kind_in_the_type_slot_and_is_an_imports_edge():
    edge = ImportsEdge("Module|r|a", "Module|r|b", "runtime", 3, "a.py")
    assert edge.type is Rel.IMPORTS and TYPE_SLOT.__get__(edge) == "runtime"
    assert imports_rows([edge]) == [("runtime", 3, "a.py")] and edge.first_import == ("runtime", "a.py", 3)
    plain = Edge(Rel.IMPORTS, "Module|r|a", "Module|r|b", {"kind": "runtime", "lines": [3], "kinds": {"runtime": [3]},
                                                          "file": "a.py"})
    assert edge == plain and repr(edge) == repr(plain) and edge.get("kind") == "runtime"
    assert sys.getsizeof(edge) < sys.getsizeof(_slots(7))  # six slots, not seven


def test_a_knows_edge_keeps_its_values_in_the_type_slot_and_is_a_knows_edge():
    values = (True, 2, 1, 4.5, 0)
    edge = KnowsEdge("Person|r|p", "File|r|f", values, "2024-01-01T00:00:00+00:00")
    assert edge.type is Rel.KNOWS and TYPE_SLOT.__get__(edge) is values
    assert edge == knows_edge("Person|r|p", "File|r|f", *values, "2024-01-01T00:00:00+00:00")
    names, rows = knows_rows([edge])
    assert dict(zip(names, rows[0])) == edge.current_props() and edge.authorship == (4.5, True, 0)
    edge.props["doa"] = 5.0  # a dict made: it holds the properties from now on, the tuple (shared) is left alone
    assert edge.get("doa") == 5.0 and edge.authorship == (5.0, True, 0) and values == (True, 2, 1, 4.5, 0)
    assert sys.getsizeof(edge) < sys.getsizeof(_slots(11))  # six slots, not eleven
