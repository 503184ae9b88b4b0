"""Stored answers name people by id; what a commit changes about a person is kept once, beside them.

A commit moves its author's ``last_active`` and ``commits`` (and perhaps who
counts as gone), and those fields sit in the person rows of many answers: the
bus factor's holders and people, every component card's holders, the people
list. Kept as they are, one commit by a busy person would change (and
rewrite) nearly every answer. So before answers are kept (``detach``), each of
those fields in a person row whose value is the one the person directory says
for that person (the row's ``id``, a Person node's key) is replaced by a
marker, and the directory is kept as one more answer (``DIRECTORY``); when an
answer is read (``attach``) every marker is filled from the directory read
with it. The key order of each row is kept (the marker stands where the value
stood), so what the reads give is what was computed, byte for byte.

A field whose value is not the directory's (two analyses that disagree about a
person, a row without an id) is kept as it is: the join is exact by
construction, whatever the analyses do. Only the rows at the paths in
``ROWS`` are looked at, and only the fields in ``FIELDS``.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

#: The answer that holds every person's joined fields: person key -> field -> value.
DIRECTORY = "person_fields"

#: What stands in a stored answer for a field the directory holds (no JSON value of those fields is a string like it).
MARKER = "\x00person"

#: The fields of a person row that are joined from the directory.
FIELDS = ("last_active", "commits", "active", "gone")

#: Per kind of answer (its name, or a prefix ending with "/"), the paths to its lists of person rows;
#: "*" steps into every item of a list.
ROWS: dict[str, tuple[tuple[str, ...], ...]] = {
    "bus_factor": (("repository", "knowledge_holders"), ("components", "*", "knowledge_holders"), ("people",)),
    "people": (("people",),),
    "card/": (("bus_factor", "knowledge_holders"),),
}

#: Where the directory's values come from: (answer, path to its person rows), the first source of a field wins.
SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (("people", ("people",)), ("bus_factor", ("people",)))


def _paths(name: str) -> tuple[tuple[str, ...], ...]:
    for kind, paths in ROWS.items():
        if name == kind or (kind.endswith("/") and name.startswith(kind)):
            return paths
    return ()


def _map_rows(value: Any, path: tuple[str, ...], change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """``value`` with each row at ``path`` replaced by ``change(row)``; what is on the way is copied, nothing mutated."""
    if not path:
        if not isinstance(value, list):
            return value
        return [change(row) if isinstance(row, dict) else row for row in value]
    step, rest = path[0], path[1:]
    if step == "*":
        return [_map_rows(item, rest, change) for item in value] if isinstance(value, list) else value
    if not isinstance(value, dict) or step not in value:
        return value
    copy = dict(value)
    copy[step] = _map_rows(value[step], rest, change)
    return copy


def _rows(value: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows at ``path`` in ``value`` (themselves, not copies)."""
    if not path:
        return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
    step, rest = path[0], path[1:]
    if step == "*":
        return [row for item in value for row in _rows(item, rest)] if isinstance(value, list) else []
    return _rows(value[step], rest) if isinstance(value, dict) and step in value else []


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def directory(answers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every person's joined fields, from the answers that list everyone (``SOURCES``)."""
    out: dict[str, dict[str, Any]] = {}
    for name, path in SOURCES:
        for row in _rows(answers.get(name), path):
            key = row.get("id")
            if isinstance(key, str):
                fields = out.setdefault(key, {})
                for field in FIELDS:
                    if field in row and field not in fields:
                        fields[field] = row[field]
    return out


def detach(answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` as kept: the directory added, and each joined field that it holds replaced by the marker."""
    people = directory(answers)
    if not people:
        return dict(answers)
    out = {name: detach_one(people, name, value) for name, value in answers.items()}
    out[DIRECTORY] = people
    return out


def detach_one(people: Mapping[str, Mapping[str, Any]], name: str, value: Any) -> Any:
    """The answer ``name`` as ``detach`` keeps it, given the directory ``people`` (``directory`` of every answer that
    lists everyone): an answer can be detached as soon as it is computed, once those are."""
    if not people:
        return value

    def detached(row: dict[str, Any]) -> dict[str, Any]:
        key = row.get("id")
        fields = people.get(key) if isinstance(key, str) else None
        if not fields:
            return row
        copy = dict(row)
        for field, field_value in fields.items():
            if field in copy and _same(copy[field], field_value):
                copy[field] = MARKER
        return copy

    for path in _paths(name):
        value = _map_rows(value, path, detached)
    return value


def needs_directory(name: str) -> bool:
    """Whether the answer ``name`` may hold markers, to be filled from the directory when read."""
    return bool(_paths(name))


class Unjoinable(Exception):
    """A marker the directory cannot fill: the answer is not read (it is computed instead)."""


def attach(name: str, value: Any, people: Mapping[str, Mapping[str, Any]] | None) -> Any:
    """The answer ``name`` as computed: every marker in it filled from ``people`` (the directory kept beside it).

    ``value`` is changed in place (it is what the store has just decoded) and returned. ``Unjoinable`` when a
    marker names a person or field the directory lacks.
    """
    for path in _paths(name):
        for row in _rows(value, path):
            fields = None
            for field in FIELDS:
                if row.get(field) == MARKER:
                    if fields is None:
                        key = row.get("id")
                        fields = people.get(key) if people is not None and isinstance(key, str) else None
                    if fields is None or field not in fields:
                        raise Unjoinable(f"{name}: {field} of {row.get('id')!r}")
                    row[field] = fields[field]
    return value
