"""``dumps_all`` (graph.values): the texts ``dumps`` gives, character for character, or the error it raises."""

from __future__ import annotations

import datetime
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.graph.values import dumps, dumps_all


def outcome(make):
    try:
        return ("texts", make())
    except (TypeError, ValueError) as exc:
        return ("error", type(exc))


def assert_same_as_dumps(values: list) -> None:
    assert outcome(lambda: dumps_all(values)) == outcome(lambda: [dumps(v) for v in values])


class _SharedKeys:
    """Maps whose ``vars`` share one key table (as KNOWS properties do, ``ingest.knowledge._KnowsProps``)."""

    def __init__(self, first, count, score, when):
        self.first_authorship = first
        self.deliveries = count
        self.doa = score
        self.last_touch = when


ODD_STRINGS = ["", "plain", "é – ü ß 中文 🙂", 'quote " and \\ backslash', "tab\tnew\nline\r\x00\x1f\x7f",
               "per cent %s %d %%", "\u2028\u2029", "\ud800 lone surrogate", "/slash/"]
ODD_FLOATS = [0.0, -0.0, 1.5, 1e300, 5e-324, 1e16, 123456789.125, -2.5e-8, math.inf, -math.inf, math.nan]
ODD_INTS = [0, -1, 2**63, -(2**64) - 1, 10**100, True, False]


def test_flat_maps_of_odd_values_give_what_dumps_gives():
    for strings in (ODD_STRINGS, [s * 3 for s in ODD_STRINGS]):
        rows = [{"name": s, "score": f, "count": i, "flag": i % 2 == 0, "none": None}
                for s, f, i in zip(strings, ODD_FLOATS, range(len(strings)))]
        assert_same_as_dumps(rows)
    assert_same_as_dumps([{"n": i} for i in ODD_INTS])  # booleans among ints: their own words
    assert_same_as_dumps([{"x": f} for f in ODD_FLOATS])  # NaN and infinities as dumps writes them
    assert_same_as_dumps([{"x": f} for f in ODD_FLOATS if math.isfinite(f)])
    assert_same_as_dumps([{"x": v} for v in [1, 2.5, None, True, 10**40]])  # numbers of every kind in one column
    assert_same_as_dumps([{"x": s} for s in ODD_STRINGS] + [{"x": None}])  # strings and a null


def test_key_sharing_maps_nested_values_and_other_types_give_what_dumps_gives():
    shared = [vars(_SharedKeys(i % 3 == 0, i, i / 7 if i % 5 else None, f"2024-01-{i % 28 + 1:02d}")) for i in range(50)]
    assert_same_as_dumps(shared)
    assert_same_as_dumps([{"lines": [i, i + 1], "kinds": {"runtime": [i]}, "file": f"m{i}.py"} for i in range(20)])
    assert_same_as_dumps([{"when": datetime.date(2024, 1, i + 1), "tags": {"b", "a"}, "pair": (i, "x")} for i in range(5)])
    assert_same_as_dumps([{"a": 1, "b": 2}, {"b": 2, "a": 1}])  # the same keys in another order: that order
    assert_same_as_dumps([{"a": 1}, {"a": 1, "b": 2}, {}])  # other keys
    assert_same_as_dumps([{1: "int key", "x": 2}, {1: "int key", "x": 3}])  # a key dumps writes as a string
    assert_same_as_dumps([{'k"%s': 1, "é": 2}, {'k"%s': 3, "é": 4}])  # keys that need escaping, a % in a key
    assert_same_as_dumps([{}, {}, {}])
    assert_same_as_dumps([1, "a", None, [1, 2], {"x": 1}])  # not maps at all
    assert_same_as_dumps([])


def test_what_dumps_refuses_dumps_all_refuses_alike():
    looped: dict = {"a": 1}
    looped["self"] = looped
    for values in ([{"x": object()}, {"x": 1}], [{"x": 10**5000}, {"x": 1}], [{"x": 1}, looped],
                   [{"x": {1, object()}}, {"x": {2}}]):
        result = outcome(lambda: dumps_all(values))
        assert result[0] == "error" and result == outcome(lambda: [dumps(v) for v in values])


SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(st.characters(blacklist_categories=())))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                     max_leaves=6)
KEYS = st.lists(st.text(st.characters(blacklist_categories=()), max_size=4), unique=True, max_size=6)


@st.composite
def maps_sharing_keys(draw):
    keys = draw(KEYS)
    columns = {key: draw(st.sampled_from([SCALAR, VALUE, st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                                          st.booleans(), st.text()])) for key in keys}
    rows = draw(st.lists(st.fixed_dictionaries(columns), min_size=0, max_size=12))
    return rows + draw(st.lists(st.dictionaries(st.text(max_size=2), VALUE, max_size=3), max_size=2))


@settings(max_examples=300, deadline=None)
@given(maps_sharing_keys())
def test_any_maps_give_what_dumps_gives(values):
    assert_same_as_dumps(values)
