"""How property values are normalised and stored as JSON, the same way by every store adapter.

The model's properties are JSON-like. A few Python values are accepted and
normalised on the way in: tuples become lists, sets and frozensets sorted
lists, dates and datetimes ISO strings. ``dumps`` is the compact serialisation
the embedded (SQLite) store keeps (``loads`` reads it back); the Neo4j store uses
``json_default`` before it encodes a property, so ``load`` returns exactly the
same graph from either store. ``dumps_all`` gives the texts ``dumps`` gives for
many values at once, column by column (a save writes a quarter of a million
property maps that share their keys).
"""

from __future__ import annotations

import json
import json.encoder
from math import isfinite
from operator import itemgetter
from typing import Any


def json_default(value: Any) -> Any:
    """The JSON-storable form of a value ``json.dumps`` does not know; ``TypeError`` when there is none."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not storable")


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=json_default, check_circular=False)
#: ``JSONEncoder.encode`` builds a C encoder on every call, which costs more than encoding
#: the small property map it is given: build it once (when the C accelerator is there).
_C_ENCODE = (
    json.encoder.c_make_encoder(None, json_default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    if json.encoder.c_make_encoder is not None
    else None
)


def dumps(value: Any) -> str:
    """Compact JSON text of ``value`` (non-ASCII kept as it is).

    A value that contains itself raises ``ValueError`` (not a recursion error).
    """
    try:
        if _C_ENCODE is not None:
            return "".join(_C_ENCODE(value, 0))
        return _ENCODER.encode(value)
    except RecursionError:
        raise ValueError("the value contains itself") from None


#: Values whose JSON text holds neither a comma nor a bracket: a list of them is encoded by one ``dumps`` and cut.
_SCALARS = frozenset({int, float, bool, type(None)})
_ENCODE_STRING = json.encoder.encode_basestring  # what the encoders above write a string with
_BOOLEANS = {True: "true", False: "false"}.__getitem__


def dumps_all(values: list[Any]) -> list[str]:
    """``list(map(dumps, values))``: the same texts, character for character, made faster for many flat maps.

    Plain dicts with the same keys in the same order (string keys) whose values
    are numbers, booleans, nulls or strings (a save writes a quarter of a million
    such relationship properties) are cut into a column per key; a row's text
    is then the keys' template filled with its values, in C, row after row: an
    ``int`` column by ``%d``, a column of finite floats by their ``repr`` (what
    ``dumps`` writes for both), a column of booleans by their JSON words, of
    strings by the encoders' own string encoder, of mixed numbers by one
    ``dumps`` of the column cut at its commas. Anything else is given to
    ``dumps`` value by value. Raises what ``dumps`` raises for a value it cannot
    store (without saying which: call ``dumps`` on each to find it).
    """
    if len(values) < 2 or set(map(type, values)) != {dict}:
        return list(map(dumps, values))
    keys = set(map(tuple, values))
    if len(keys) != 1:
        return list(map(dumps, values))
    (names,) = keys
    if not names:
        return ["{}"] * len(values)
    if any(type(name) is not str for name in names):  # dumps writes other keys as strings of its own making
        return list(map(dumps, values))
    rows = list(map(itemgetter(*names), values) if len(names) > 1 else zip(map(itemgetter(names[0]), values)))
    texts = dumps_rows(names, rows)
    return list(map(dumps, values)) if texts is None else texts


def dumps_rows(names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str] | None:
    """``dumps_all`` of the maps ``dict(zip(names, row))`` for each row of ``rows`` (string keys, one tuple of values
    per map, in the keys' order), made from the rows as they are; None when a column holds a value that is not a
    number, boolean, null or string (then ``dumps_all`` of the maps gives them)."""
    columns: list[Any] = list(zip(*rows))
    marks: list[str] = []
    converted = False
    for index, column in enumerate(columns):
        types = set(map(type, column))
        if types == {int}:
            marks.append("%d")
            continue
        converted = True
        if types == {float} and all(map(isfinite, column)):
            columns[index] = _float_texts(column)
        elif types == {bool}:
            columns[index] = map(_BOOLEANS, column)
        elif types == {str}:
            columns[index] = map(_ENCODE_STRING, column)
        elif types <= _SCALARS:
            columns[index] = dumps(list(column))[1:-1].split(",")
        else:
            return None
        marks.append("%s")
    template = "{" + ",".join(_ENCODE_STRING(name).replace("%", "%%") + ":" + mark for name, mark in zip(names, marks)) + "}"
    return list(map(template.__mod__, zip(*columns) if converted else rows))


#: ``dumps`` of the properties of an IMPORTS edge of the usual shape (``graph.model.ImportsEdge``).
_IMPORT_TEXT = '{"kind":%s,"lines":[%d],"kinds":{%s:[%d]},"file":%s}'


def dumps_import(kind: Any, line: Any, file: Any) -> str:
    """``dumps`` of ``{"kind": kind, "lines": [line], "kinds": {kind: [line]}, "file": file}``."""
    if type(kind) is str and type(line) is int and type(file) is str:
        kind = _ENCODE_STRING(kind)
        return _IMPORT_TEXT % (kind, line, kind, line, _ENCODE_STRING(file))
    return dumps({"kind": kind, "lines": [line], "kinds": {kind: [line]}, "file": file})


def _float_texts(column: tuple[float, ...]) -> Any:
    """The texts of finite floats (``repr``, as ``dumps`` writes them), each float object's made once: a column often
    holds the same few hundred objects over and over (a float's text costs more than the rest of its row)."""
    distinct = dict(zip(map(id, column), column))  # the column holds every object: no id is reused meanwhile
    if len(distinct) * 4 > len(column):
        return map(float.__repr__, column)
    text_of = dict(zip(distinct, map(float.__repr__, distinct.values())))
    return map(text_of.__getitem__, map(id, column))


_RAW_DECODE = json.JSONDecoder().raw_decode


def loads(text: str) -> Any:
    """The value of JSON text written by ``dumps``.

    ``json.loads`` matches a whitespace pattern before and after the value, a
    quarter of its time on the small texts a store holds; ``dumps`` writes none,
    so this reads the value alone (and still refuses anything after it).
    """
    value, end = _RAW_DECODE(text)
    if end != len(text):
        raise ValueError(f"extra data after the JSON value at {end}")
    return value
