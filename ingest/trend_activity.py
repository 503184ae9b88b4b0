"""Trend activity remembered between ingests: per period, the commits, agent-assisted commits and humans.

``ActivityMemory`` counts, per period of the ``[trends] period`` granularity
(by commit time, UTC), the non-merge commits, the agent-assisted ones and the
humans on them, for the repository and for each component a commit touches
(``ingest.cochange.CommitView``). It is kept in the history state
(``ingest.history_state``) in columns, and a re-ingest adds the new commits to
it when the people and files are those it was counted with
(``trend_history.trend_inputs`` decides).
"""

from __future__ import annotations

from array import array
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter, itemgetter, not_
from typing import Any, Iterable

from cairn.graph.changes import PeriodActivity, ScopeActivity, period_end, period_of, period_start
from cairn.ingest.cochange import ChangeResult
from cairn.ingest.history_state import Ragged, Texts

MEMORY = "activity"
MEMORY_VERSION = 2


class _Scopes(dict):
    """A commit's scopes: the repository ("") and its components, one tuple per distinct components tuple."""

    def __missing__(self, components: tuple[str, ...]) -> tuple[str, ...]:
        found = self[components] = ("", *components)
        return found


class _Slots(dict):
    """Name -> its index in ``names``, a name not met yet appended to ``names``."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def __missing__(self, name: str) -> int:
        at = self[name] = len(self.names)
        self.names.append(name)
        return at


class _Named(dict):
    """The person ids of a tuple of people (indexes), one list per distinct tuple."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__()
        self.ids = ids

    def __missing__(self, people: tuple[int, ...]) -> list[str]:
        found = self[people] = [self.ids[p] for p in people]
        return found


_COMMITS, _ASSISTED, _HUMANS = attrgetter("commits"), attrgetter("assisted"), attrgetter("humans")


class _Growing:
    """While ``ActivityMemory.count`` counts: per period, the rows whose humans are a set (made or thawed by the count),
    and the frozensets they become, one per distinct set of people.

    A period's rows are frozen once the count has moved on past a few other periods (commits come mostly in order),
    so that the sets of only a few periods are held at once: at 50k files, 170,000 rows name 35,000 distinct sets of
    people, 45 MB as a set per row against 14 MB shared, at the peak of a cold ingest. A row of a frozen period that
    is counted into again is thawed (as a row read back by ``from_json`` is)."""

    OPEN = 4  # the periods whose rows stay sets: more than the few that out-of-order commit dates alternate between

    def __init__(self) -> None:
        self.open: dict[str, list[ScopeActivity]] = {}  # period -> its rows whose humans are a set, by when it was opened
        self.shared: dict[frozenset[str], frozenset[str]] = {}

    def rows_of(self, period: str) -> list[ScopeActivity]:
        """The list the count adds ``period``'s newly made or thawed rows to (the oldest open period frozen first when
        too many are)."""
        rows = self.open.get(period)
        if rows is None:
            if len(self.open) >= self.OPEN:
                self._freeze(self.open.pop(next(iter(self.open))))
            rows = self.open[period] = []
        return rows

    def freeze_all(self) -> None:
        for rows in self.open.values():
            self._freeze(rows)
        self.open.clear()

    def _freeze(self, rows: list[ScopeActivity]) -> None:
        one = self.shared.setdefault
        for counts in rows:
            frozen = frozenset(counts.humans)
            counts.humans = one(frozen, frozen)


class ActivityMemory:
    """Per period (of the settings' granularity, by commit time): the non-merge commits, the agent-assisted ones and
    the humans on them, for the repository and each component, over the log's first ``commits`` positions."""

    AT_ONCE = 65_536  # commits counted at a time (``count``)

    def __init__(self, period: str) -> None:
        self.period = period
        self.commits = 0
        self.first: int | None = None  # the oldest and newest non-merge commit times
        self.last: int | None = None
        #: period -> scope ("" for the repository) -> its commits, assisted commits and human ids (a frozenset, shared by
        #: the rows with the same people, once counted (``_Growing``) or read back); ``activity`` hands them on
        self.rows: dict[str, dict[str, ScopeActivity]] = {}

    def to_json(self) -> dict:
        periods, scopes, people = Texts(), Texts(), Texts()
        scope_at, person_at = _Slots(scopes), _Slots(people)  # name -> its index, new names appended in order
        cells = {name: array("i") for name in ("row_period", "row_scope", "row_commits", "row_assisted")}
        row_period, row_scope, row_commits, row_assisted = cells.values()
        counts, slots = array("i"), array("i")
        for at, (p, row) in enumerate(self.rows.items()):  # a period's rows at once: a few hundred, not one by one
            periods.append(p)
            scope_rows = list(row.values())
            humans_of = list(map(_HUMANS, scope_rows))
            row_period.extend(repeat(at, len(scope_rows)))
            row_scope.extend(map(scope_at.__getitem__, row))
            row_commits.extend(map(_COMMITS, scope_rows))
            row_assisted.extend(map(_ASSISTED, scope_rows))
            counts.extend(map(len, humans_of))
            slots.extend(map(person_at.__getitem__, chain.from_iterable(humans_of)))
        humans = Ragged.from_columns({"counts": counts, "values": slots})
        return {"version": MEMORY_VERSION, "period": self.period, "commits": self.commits, "first": self.first,
                "last": self.last, "periods": periods, "scopes": scopes, "people": people, **cells, "humans": humans}

    @classmethod
    def from_json(cls, data: Any) -> "ActivityMemory | None":
        try:
            if data.get("version") != MEMORY_VERSION:
                return None
            memory = cls(str(data["period"]))
            memory.commits = int(data["commits"])
            memory.first = None if data["first"] is None else int(data["first"])
            memory.last = None if data["last"] is None else int(data["last"])
            periods, scopes, people, humans = data["periods"], data["scopes"], data["people"], data["humans"]
            rows: dict[str, dict[str, list]] = {p: {} for p in periods}
            cells = list(zip(data["row_period"], data["row_scope"], data["row_commits"], data["row_assisted"]))
            # each row's humans a frozenset, one per distinct list of people (170,000 rows at 50k files name 35,000):
            # ``activity`` hands them on as they are, and ``count`` thaws those of the rows it adds to
            frozen: dict[bytes, frozenset[str]] = {}
            at = people.__getitem__
            if len(humans.counts) == len(cells) and not humans.changed:  # each row's humans in turn
                values = humans.values
                blob, size = values.tobytes(), values.itemsize
                ends = accumulate(humans.counts)
                start = 0
                for (p, scope, n, helped), end in zip(cells, ends):
                    key = blob[start * size:end * size]
                    found = frozen.get(key)
                    if found is None:
                        found = frozen[key] = frozenset(map(at, values[start:end]))
                    rows[periods[p]][scopes[scope]] = ScopeActivity(n, helped, found)
                    start = end
            else:
                for i, (p, scope, n, helped) in enumerate(cells):
                    rows[periods[p]][scopes[scope]] = ScopeActivity(n, helped, frozenset(map(at, humans.get(i))))
            memory.rows = rows
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None
        return memory

    def count(self, changes: ChangeResult, start: int, positions: Iterable[int] | None = None) -> set[str]:
        """Add the log's commits from ``start`` on (or those at ``positions``, when given); the periods they landed in.

        The commits' components and people are read in bulk (``CommitView.components_at``, ``people_at``), ``AT_ONCE``
        commits at a time (their lists, and the times', were 27 MB at once for 300,000 commits, at the peak of a cold
        ingest), each distinct tuple of humans named once. A period's humans are sets while it is counted into, then
        frozensets shared by the rows with the same people (``_Growing``)."""
        view, log, assisted = changes.view, changes.view.log, changes.memory.assisted
        period, rows = self.period, self.rows
        merge, committed = log.merge, log.committed
        if positions is None:
            counted = array("i", compress(range(start, len(log)), map(not_, merge[start:len(log)])))
        else:
            counted = array("i", [p for p in positions if not merge[p]])
        self.commits = len(log)
        landed: set[str] = set()
        since, until, row = 0, -1, {}  # the period of the last commit, [since, until): commits come mostly in order
        named, scopes_of = _Named(view.person_ids), _Scopes().__getitem__
        growing = _Growing()
        grown: list[ScopeActivity] = []  # the rows of the current period whose humans are a set
        for at in range(0, len(counted), self.AT_ONCE):
            part = counted[at:at + self.AT_ONCE]
            whens = list(map(committed.__getitem__, part))
            low, high = min(whens), max(whens)
            self.first = low if self.first is None else min(self.first, low)
            self.last = high if self.last is None else max(self.last, high)
            for when, scopes, humans, helped in zip(whens, map(scopes_of, view.components_at(part)),
                                                    map(named.__getitem__, map(itemgetter(1), view.people_at(part))),
                                                    map(assisted.__getitem__, part)):
                if not since <= when < until:
                    when = max(when, 0)
                    if not since <= when < until:
                        name = period_of(when, period)
                        since, until = period_start(name), period_end(name)
                        row = rows.setdefault(name, {})
                        landed.add(name)
                        grown = growing.rows_of(name)
                for scope in scopes:
                    counts = row.get(scope)
                    if counts is None:
                        counts = row[scope] = ScopeActivity(0, 0, set())
                        grown.append(counts)
                    elif counts.humans.__class__ is frozenset:  # frozen (here or by ``from_json``): maybe shared
                        counts.humans = set(counts.humans)
                        grown.append(counts)
                    counts.commits += 1
                    counts.assisted += helped
                    counts.humans.update(humans)
        growing.freeze_all()
        return landed

    def activity(self, names: list[str]) -> list[PeriodActivity]:
        """The rows of ``names`` (commits after the last name, when there are too many periods, count for it).

        A period's rows are handed on as they are (``ScopeActivity``: 170,000 at 50k files, held with the memory
        until the state is saved: a copy of each was 14 MB more at the peak of a cold ingest); their readers only read
        them, and nothing counts into the memory after this. A scope's humans are a frozenset, one for all the scopes
        with the same humans (170,000 rows at 50k files name 35,000 sets of people: a set each held 30 MB more until
        the Period nodes were made); rows merged into one are added into a new one. The memory's counts are never
        changed.
        """
        out = [PeriodActivity(name) for name in names]
        where = {name: i for i, name in enumerate(names)}
        one = {}.setdefault  # a frozenset -> the one equal to it handed on (inline: a call per row less)
        for name, row in self.rows.items():
            i = where.get(name)
            if i is None:
                if not names or name < names[0]:
                    continue
                i = len(names) - 1
            target = out[i]
            components = target.components
            for scope, cell in row.items():
                humans = cell.humans
                if humans.__class__ is not frozenset:
                    humans = frozenset(humans)
                cell.humans = one(humans, humans)  # (the same people, maybe another frozenset of them)
                if scope == "":
                    into = target.repository
                    if not (into.commits or into.assisted or into.humans):
                        target.repository = cell
                        continue
                    target.repository = _added(into, cell)
                else:
                    into = components.get(scope)
                    components[scope] = cell if into is None else _added(into, cell)
        return out


def _added(into: ScopeActivity, cell: ScopeActivity) -> ScopeActivity:
    """Two rows of a scope added into a new one (either may be the memory's own)."""
    return ScopeActivity(into.commits + cell.commits, into.assisted + cell.assisted, frozenset(into.humans | cell.humans))
