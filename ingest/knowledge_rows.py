"""The per-path records of the history and the KNOWS rows computed from them, in columns.

``RecordTable`` keeps per path (a ``CommitLog`` path id) and raw identity the
adds, deliveries, last touch and reviews of ``knowledge.History``; ``_EdgeRows``
appends a file's KNOWS edges (degree of authorship, see ``ingest.knowledge``)
to ``knowledge.KnowledgeMemory``'s columns from a file's records without an
object per person; ``iso_time`` writes the ISO times the edges and people carry.
"""

from __future__ import annotations

import math
import time
from array import array
from datetime import datetime, timezone
from itertools import accumulate, chain, compress, repeat
from operator import add, and_, eq, or_, sub
from typing import Any

from cairn.graph.authorship import DOA_AC, DOA_BASE, DOA_DL, DOA_FA
from cairn.ingest.identities import HUMAN

# Per (path, identity) record, a small list for speed: [adds, deliveries, last_touch, reviews].
ADDS, DELIVERIES, LAST, REVIEWS = 0, 1, 2, 3


def fold_record(into: dict[int, list[int]], key: int, rec: list[int]) -> None:
    """Add ``rec`` to ``into[key]``: adds, deliveries and reviews summed, the newest last touch kept."""
    acc = into.get(key)
    if acc is None:
        into[key] = list(rec)
        return
    acc[ADDS] += rec[ADDS]
    acc[DELIVERIES] += rec[DELIVERIES]
    acc[REVIEWS] += rec[REVIEWS]
    if rec[LAST] > acc[LAST]:
        acc[LAST] = rec[LAST]


class RecordTable:
    """Per path (a ``CommitLog`` path id) and raw identity: [adds, deliveries, last touch, reviews].

    Kept in columns, grouped by path (``count`` entries per path id, in path
    order), as the history state stores it; the paths a new read touched are
    held as dicts (``changed``) until the next ``columns``. Entries are sums
    and maxima, so reading commits in any order, in one read or several,
    gives the same table.
    """

    TYPECODES = {"count": "i", "ident": "i", "adds": "i", "deliveries": "i", "last": "q", "reviews": "i"}

    def __init__(self) -> None:
        self.count = array("i")
        self.ident = array("i")
        self.adds = array("i")
        self.deliveries = array("i")
        self.last = array("q")
        self.reviews = array("i")
        self.changed: dict[int, dict[int, list[int]]] = {}
        self._starts: list[int] | None = None

    @classmethod
    def from_columns(cls, columns: dict[str, array], paths: int, identities: int) -> "RecordTable":
        table = cls()
        for name, typecode in cls.TYPECODES.items():
            column = columns[name]
            if column.typecode != typecode:
                raise TypeError(f"records column {name}")
            setattr(table, name, column)
        entries = len(table.ident)
        if len(table.count) > paths or sum(table.count) != entries or (len(table.count) and min(table.count) < 0):
            raise ValueError("records per path")
        if any(len(getattr(table, name)) != entries for name in ("adds", "deliveries", "last", "reviews")):
            raise ValueError("records columns")
        return table

    def _start(self, pid: int) -> int:
        if self._starts is None:
            self._starts = [0, *accumulate(self.count)]
        return self._starts[pid]

    def get(self, pid: int) -> dict[int, list[int]]:
        """Raw identity -> [adds, deliveries, last touch, reviews] for one path (do not change what is returned)."""
        found = self.changed.get(pid)
        if found is not None:
            return found
        if pid >= len(self.count) or not self.count[pid]:
            return {}
        start = self._start(pid)
        ident, adds, deliveries, last, reviews = self.ident, self.adds, self.deliveries, self.last, self.reviews
        return {ident[k]: [adds[k], deliveries[k], last[k], reviews[k]] for k in range(start, start + self.count[pid])}

    def add(self, delta: dict[int, dict[int, list[int]]]) -> None:
        """Add a read's records (path id -> raw identity -> record): sums, and the newest last touch.

        The table takes ``delta``'s maps over (a path it holds nothing for keeps the read's map as it is)."""
        for pid, per_raw in delta.items():
            mine = self.changed.get(pid)
            if mine is None:
                if pid >= len(self.count) or not self.count[pid]:
                    self.changed[pid] = per_raw
                    continue
                mine = self.changed[pid] = self.get(pid)
            for raw, rec in per_raw.items():
                fold_record(mine, raw, rec)

    def paths(self) -> list[int]:
        """Every path id that has records."""
        base = [pid for pid, n in enumerate(self.count) if n and pid not in self.changed]
        return sorted(base + [pid for pid, per in self.changed.items() if per])

    @staticmethod
    def _write(out: dict[str, array], maps: list[dict[int, list[int]]]) -> None:
        """Append the records of ``maps`` (raw identity -> record, one map per path) to the columns ``out``; empties
        ``maps``."""
        out["ident"].extend(chain.from_iterable(maps))
        records = list(chain.from_iterable(map(dict.values, maps)))
        if records:  # each record read once (a million small lists spread over the heap: one pass, not four)
            for name, values in zip(("adds", "deliveries", "last", "reviews"), zip(*records)):
                out[name].extend(values)
        maps.clear()

    def rows(self, pid: int) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
        """One path's records as lists: raw identities, adds, deliveries, last touches, reviews (``get``'s order)."""
        found = self.changed.get(pid)
        if found is not None:
            records = list(found.values())
            return (list(found), [r[ADDS] for r in records], [r[DELIVERIES] for r in records], [r[LAST] for r in records],
                    [r[REVIEWS] for r in records])
        if pid >= len(self.count) or not self.count[pid]:
            return [], [], [], [], []
        start = self._start(pid)
        end = start + self.count[pid]
        return (self.ident[start:end].tolist(), self.adds[start:end].tolist(), self.deliveries[start:end].tolist(),
                self.last[start:end].tolist(), self.reviews[start:end].tolist())

    def columns(self) -> dict[str, array]:
        """The table in columns, the changed paths folded in (the table keeps them too)."""
        if self.changed:
            count = array("i", self.count)
            top = max(self.changed) + 1
            if len(count) < top:
                count.extend([0] * (top - len(count)))
            out = {name: array(code) for name, code in self.TYPECODES.items() if name != "count"}
            done = 0
            pending: list[dict[int, list[int]]] = []  # changed paths' maps not written yet (in path order)
            for pid in sorted(self.changed):
                start = self._start(pid) if pid < len(self.count) else self._start(len(self.count))
                if start > done:
                    self._write(out, pending)
                    for name in out:
                        out[name].extend(getattr(self, name)[done:start])
                per_raw = self.changed[pid]
                pending.append(per_raw)
                done = start + (self.count[pid] if pid < len(self.count) else 0)
                count[pid] = len(per_raw)
            self._write(out, pending)
            for name in out:
                out[name].extend(getattr(self, name)[done:])
            self.count = count
            for name, column in out.items():
                setattr(self, name, column)
            self.changed = {}
            self._starts = None
        return {name: getattr(self, name) for name in self.TYPECODES}


_DATES: dict[int, str] = {}  # day (since 1970-01-01) -> its date, "YYYY-MM-DD" (a few thousand in a long history)


def iso_time(epoch: int | None) -> str | None:
    """The UTC time ``epoch`` (seconds) as ISO text to the second (``2024-03-01T12:00:00+00:00``), None for None."""
    if epoch is None:
        return None
    if -30_610_224_000 <= epoch < 253_402_300_800:  # years 1000-9999: what datetime writes, several times faster
        day, second = divmod(epoch, 86_400)
        date = _DATES.get(day)
        if date is None:
            date = _DATES[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
        return f"{date}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+00:00"
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


class _EdgeRows:
    """Appends one file's KNOWS edges to ``KnowledgeMemory`` columns: what ``History.file_knowledge`` and the
    ``FileKnowledge`` properties give, for the humans with a Person node who authored or reviewed the file, in the
    records' order, computed from the records without an object per person."""

    def __init__(self, history: Any, person_nodes: dict[int, Any], columns: dict[str, array], first: bytearray,
                 touch: list[str], ids: list[str], slot: dict[str, int]) -> None:
        people = history.people
        self.shown = [people[i].person.kind == HUMAN and i in person_nodes for i in range(len(people))]
        self.person_id = [ph.person.id for ph in people]
        self.columns, self.first, self.touch, self.ids, self.slot = columns, first, touch, ids, slot
        self.iso_of = _IsoOf()  # epoch -> its ISO text: one string per commit time, not one per edge
        self.slot_of = _Slots(self.person_id, slot, ids)
        self.person_of = history.identity_person
        self._bulk: tuple | None = None

    def add(self, persons: list[int], adds_of: list[int], deliveries_of: list[int], lasts: list[int],
            reviews_of: list[int]) -> tuple[int, int]:
        """The file's ``changes`` (adds and deliveries by anybody) and how many edges were added, from its records
        (``History.person_records``)."""
        total = sum(deliveries_of)
        changes = total
        added = 0
        shown, person_id, slot, iso_of = self.shown, self.person_id, self.slot, self.iso_of
        columns = self.columns
        person_col, deliveries_col, acceptances_col = columns["person"], columns["deliveries"], columns["acceptances"]
        doa_col, reviews_col = columns["doa"], columns["reviews"]
        for index, adds, deliveries, last, reviews in zip(persons, adds_of, deliveries_of, lasts, reviews_of):
            if adds > 0:
                changes += 1
            if not shown[index] or not (adds > 0 or deliveries > 0 or reviews > 0):
                continue
            pid = person_id[index]
            at = slot.get(pid)
            if at is None:
                at = slot[pid] = len(self.ids)
                self.ids.append(pid)
            person_col.append(at)
            deliveries_col.append(deliveries)
            acceptances_col.append(total - deliveries)
            if adds > 0 or deliveries > 0:  # ``degree_of_authorship``, the same operations in the same order
                doa_col.append(round(DOA_BASE + DOA_FA * (1 if adds > 0 else 0) + DOA_DL * deliveries
                                     - DOA_AC * math.log(1 + (total - deliveries)), 6))
            else:
                doa_col.append(math.nan)
            reviews_col.append(reviews)
            self.first.append(1 if adds > 0 else 0)
            self.touch.append(iso_of[last])
            added += 1
        return changes, added

    def compute(self, table: RecordTable, pids: list[int]) -> list[tuple[int, int, int] | None]:
        """The edges of the files at ``pids`` (paths with no rename history, records in ``table``'s columns), computed
        for all at once (what ``add`` gives each, in the same order); per file, its ``changes`` and where its edges
        are in the result (``copy`` appends them), or None for a file ``add`` must do (someone under two identities)."""
        count, known = table.count, len(table.count)  # (a path past the columns' end has no records)
        starts = [table._start(pid) if pid < known else 0 for pid in pids]
        counts = [count[pid] if pid < known else 0 for pid in pids]
        spans = list(map(slice, starts, map(add, starts, counts)))  # each file's records in the columns
        idents, adds, deliveries, lasts, reviews = (list(chain.from_iterable(map(column.__getitem__, spans))) for column in (
            table.ident, table.adds, table.deliveries, table.last, table.reviews))
        persons = list(map(self.person_of.__getitem__, idents)) if self.person_of else idents
        ends = list(accumulate(counts))
        spans = list(map(slice, [0, *ends[:-1]], ends))  # each file's records
        totals = list(map(sum, map(deliveries.__getitem__, spans)))
        authored = list(map(bool, adds))  # (counts are never negative)
        changes = list(map(add, totals, map(sum, map(authored.__getitem__, spans))))
        single = list(map(eq, map(len, map(set, map(persons.__getitem__, spans))), counts))
        shown = list(map(and_, map(self.shown.__getitem__, persons), map(bool, map(or_, map(or_, adds, deliveries), reviews))))
        acceptances = list(map(sub, chain.from_iterable(map(repeat, totals, counts)), deliveries))
        kept = list(map(sum, map(shown.__getitem__, spans)))
        authored_kept, deliveries_kept, acceptances_kept = (list(compress(column, shown)) for column in (
            authored, deliveries, acceptances))
        self._bulk = (list(compress(persons, shown)), deliveries_kept, acceptances_kept,
                      list(map(_Doa().__getitem__, zip(authored_kept, deliveries_kept, acceptances_kept))),
                      list(compress(reviews, shown)), list(map(int, authored_kept)),
                      list(map(self.iso_of.__getitem__, compress(lasts, shown))))
        out: list[tuple[int, int, int] | None] = []
        done = 0
        for one, n, file_changes in zip(single, kept, changes):
            out.append((file_changes, done, done + n) if one else None)
            done += n
        return out

    def copy(self, start: int, stop: int) -> None:
        """Append the edges ``compute`` found at [start, stop)."""
        assert self._bulk is not None
        persons, deliveries, acceptances, doa, reviews, first, touch = self._bulk
        columns = self.columns
        columns["person"].extend(map(self.slot_of.__getitem__, persons[start:stop]))
        columns["deliveries"].extend(deliveries[start:stop])
        columns["acceptances"].extend(acceptances[start:stop])
        columns["doa"].extend(doa[start:stop])
        columns["reviews"].extend(reviews[start:stop])
        self.first.extend(first[start:stop])
        self.touch.extend(touch[start:stop])


class _IsoOf(dict):
    """Epoch -> its ISO text (``iso_time``), each computed once."""

    def __missing__(self, epoch: int) -> str:
        found = self[epoch] = iso_time(epoch)
        return found  # type: ignore[return-value]


class _Doa(dict):
    """(added it, deliveries, acceptances) -> the DOA column's value: ``degree_of_authorship`` rounded to 6 places,
    the same operations in the same order, or NaN for someone who only reviewed."""

    def __missing__(self, key: tuple[bool, int, int]) -> float:
        first, deliveries, acceptances = key
        if not (first or deliveries > 0):
            found = math.nan
        else:
            found = round(DOA_BASE + DOA_FA * (1 if first else 0) + DOA_DL * deliveries - DOA_AC * math.log(1 + acceptances), 6)
        self[key] = found
        return found


class _Slots(dict):
    """Person index -> the person's slot in ``KnowledgeMemory.ids`` (``slot``: by person id), a person not there
    yet appended."""

    def __init__(self, person_id: list[str], slot: dict[str, int], ids: list[str]) -> None:
        super().__init__()
        self.person_id, self.slot, self.ids = person_id, slot, ids

    def __missing__(self, index: int) -> int:
        person = self.person_id[index]
        at = self.slot.get(person)
        if at is None:
            at = self.slot[person] = len(self.ids)
            self.ids.append(person)
        self[index] = at
        return at
