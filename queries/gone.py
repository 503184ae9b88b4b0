"""Who counts as gone: people departed (named in cairn.toml) or inactive (no activity for ``thresholds.inactive_days``).

Every analysis that says "left" or "inactive" asks ``gone_people``: the bus factor, who knows a path, the PR
check, the hotspots, the cards.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cairn.graph.model import Label, RepoGraph
from cairn.graph.people import PersonIndex


def parse_time(value: Any) -> datetime | None:
    """An ISO time as the graph stores it (``last_active``, ``last_touch``, ``newest_commit_at``), or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def gone_people(graph: RepoGraph, index: PersonIndex | None = None) -> tuple[dict[str, str], list[str]]:
    """Person node id -> why they count as gone ("departed", "inactive"), and notes on departed names matching nobody.

    Departed: named in ``[identities] departed`` (matched like every name, by
    ``PersonIndex``). Inactive: last active more than ``thresholds.inactive_days``
    before the newest commit (people only declared in CODEOWNERS are never
    inactive: they have no history to be judged by).
    """
    repo = graph.repository
    gone: dict[str, str] = {}
    notes: list[str] = []
    departed = list(repo.get("departed") or []) if repo is not None else []
    if departed and index is None:  # the index of every name is built only when there are names to look up
        index = PersonIndex.of(graph)
    for name in departed:
        found = index.find(name)  # type: ignore[union-attr]
        if not found:
            notes.append(f"departed person {name!r} (cairn.toml) matches nobody in the history")
        for person in found:
            gone[person.id] = "departed"
    newest = parse_time(repo.get("newest_commit_at")) if repo is not None else None
    if newest is not None:
        from cairn.graph.thresholds import stored_threshold  # not the model: the PR check imports no pydantic

        cutoff = newest - timedelta(days=stored_threshold(graph, "inactive_days"))
        for person in graph.of_label(Label.PERSON):
            if person.id in gone or person.get("declared_only"):
                continue
            last = parse_time(person.get("last_active"))
            if last is None or last < cutoff:
                gone[person.id] = "inactive"
    return gone, notes
