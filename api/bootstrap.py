"""The composition root: where the store is, which store adapter a location names, and opening it.

The one module that knows the adapters (grimp's ``main.py`` is the model):
a ``bolt://`` / ``neo4j://`` URI (and their ``+s`` / ``+ssc`` variants) is
Neo4j, anything else an embedded store directory (SQLite, ``graph.sqlite_store``). The Neo4j driver is
imported only when a Neo4j store is opened.

The location is ``--store`` if given, else ``$CAIRN_STORE``, else the
``.cairn/`` directory found the way git finds ``.git``: in the current
directory or the nearest parent that has one, looking no further up than the
root of the repository the current directory is in (the first directory with
a ``.git``) or the filesystem root. When there is none, a new store goes into
that repository root; outside any repository, into the root of the repository
being ingested (``ingest_store_location``: ``cd src; cairn ingest app; cd app;
cairn bus-factor`` finds it). A read that finds none says where it looked
(``StoreNotFound``), and names a store above the repository root, which it
does not use unasked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from cairn.graph.errors import StoreError
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore

DEFAULT_STORE = ".cairn"
STORE_ENV = "CAIRN_STORE"
NEO4J_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


class StoreNotFound(StoreError):
    """No store where the command looked: nothing has been ingested there yet."""


def is_neo4j_uri(location: str) -> bool:
    return "://" in location and location.split("://", 1)[0] in NEO4J_SCHEMES


class StoreSearch(NamedTuple):
    """Where ``.cairn/`` was looked for: ``found`` (None when nowhere), the directories ``searched`` (nearest first),
    and ``top``, where a new store goes: the repository root, or the current directory outside a repository. (A named
    tuple: a frozen dataclass's class takes every command 0.3 ms more to make.)"""

    found: Path | None
    searched: tuple[Path, ...]
    top: Path
    in_repository: bool

    @property
    def default(self) -> Path:
        """Where the store is, or where a new one goes: the found one, else ``.cairn`` in the top directory."""
        return self.found or self.top / DEFAULT_STORE

    def describe(self) -> str:
        if len(self.searched) == 1:
            return f"looked for {DEFAULT_STORE}/ in {self.searched[0]}"
        where = "the repository root" if self.in_repository else "the filesystem root"
        return f"looked for {DEFAULT_STORE}/ in {self.searched[0]} and its parents up to {where} {self.searched[-1]}"


def find_store(cwd: Path | None = None) -> StoreSearch:
    """The nearest ``.cairn/`` from ``cwd`` up to the repository root (see the module docstring)."""
    here = Path(cwd or Path.cwd()).absolute()
    searched: list[Path] = []
    for directory in (here, *here.parents):
        searched.append(directory)
        if (directory / DEFAULT_STORE).exists():
            return StoreSearch(directory / DEFAULT_STORE, tuple(searched), directory, True)
        if (directory / ".git").exists():
            return StoreSearch(None, tuple(searched), directory, True)
    return StoreSearch(None, tuple(searched), here, False)


def store_location(explicit: str | None = None, *, cwd: Path | None = None) -> str:
    """``--store`` if given, else ``$CAIRN_STORE``, else the nearest ``.cairn/`` (or where a new one goes)."""
    return explicit or os.environ.get(STORE_ENV) or str(find_store(cwd).default)


def ingest_store_location(explicit: str | None, checkout: Path, *, cwd: Path | None = None) -> str:
    """Where ``cairn ingest CHECKOUT`` writes: ``store_location``, except that from outside any repository, with no
    store found, a new store goes into the checkout's repository root rather than the current directory."""
    if explicit or os.environ.get(STORE_ENV):
        return store_location(explicit)
    search = find_store(cwd)
    if search.found is not None or search.in_repository:
        return str(search.default)
    return str(find_store(checkout).default)


def existing_store_location(explicit: str | None = None, *, cwd: Path | None = None) -> str:
    """Like ``store_location``, for reading: an embedded store that does not exist is ``StoreNotFound``."""
    given = explicit or os.environ.get(STORE_ENV)
    if given:
        if not is_neo4j_uri(given) and not Path(given).exists():
            source = "--store" if explicit else f"${STORE_ENV}"
            raise StoreNotFound(f"no Cairn store at {given} ({source}): `cairn ingest PATH` with that store creates it")
        return given
    search = find_store(cwd)
    if search.found is None:
        above = next((d / DEFAULT_STORE for d in search.searched[-1].parents
                      if (d / DEFAULT_STORE / "cairn.db").is_file()), None) if search.in_repository else None
        hint = f"; there is one above the repository, --store {above} names it" if above is not None else ""
        raise StoreNotFound(f"no Cairn store here ({search.describe()}{hint}): run `cairn ingest PATH` first, "
                            f"or name one with --store or ${STORE_ENV}")
    return str(search.found)


def open_store(location: str | None = None) -> GraphStore:
    """Open the store at ``location``: a Neo4j URI or an embedded (SQLite) store directory."""
    location = store_location(location)
    if is_neo4j_uri(location):
        from cairn.graph.neo4j_store import Neo4jStore  # the driver is heavy: only for a Neo4j store

        return Neo4jStore.from_uri(location)
    return SqliteStore(Path(location))
