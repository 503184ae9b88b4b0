"""How far each forge import of a repository got, kept by the store beside its review records.

The state is one small record per source (``github:owner/repo``,
``gitlab:project``): the newest pull-request update time seen, and how many
review records of that source were stored by then. It is saved through the
store's review-record interface under a key of its own (the repository name
and ``\\x1fforge-import``), so it needs nothing new from either store adapter.

It is trusted only while the repository still holds at least that many records
of the source: deleting and re-creating a repository drops its records, and
the next import then reads everything again instead of skipping what was lost.
"""

from __future__ import annotations

from typing import Any

from cairn.graph.store import GraphStore

STATE_KEY_SUFFIX = "\x1fforge-import"


def _key(repo: str) -> str:
    return repo + STATE_KEY_SUFFIX


def records_from(records: list[dict[str, Any]], source: str) -> int:
    return sum(1 for r in records if r.get("source") == source)


def load_cursor(store: GraphStore, repo: str, source: str) -> str | None:
    """The newest update time the last import of ``source`` saw, or None (read everything)."""
    for entry in store.load_reviews(_key(repo)):
        if entry.get("source") == source:
            if records_from(store.load_reviews(repo), source) < int(entry.get("records") or 0):
                return None  # the records it counted are gone: start over
            return entry.get("newest")
    return None


def save_cursor(store: GraphStore, repo: str, source: str, newest: str | None, records: int) -> None:
    entries = [e for e in store.load_reviews(_key(repo)) if e.get("source") != source]
    entries.append({"source": source, "newest": newest, "records": records})
    store.save_reviews(_key(repo), sorted(entries, key=lambda e: str(e.get("source"))))
