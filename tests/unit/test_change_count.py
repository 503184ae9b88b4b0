"""``count_commits`` (counted in columns) against the commit-by-commit definition, on random logs.

The logs have what the columns must get right: commits naming their paths out of path order, a file
named twice in one commit (under its old name and its name at HEAD), a re-used name standing for two
files, merges (one of them listing changes), commits over ``max_changeset``, no commit touching a file
at HEAD, co-authors and reviewers, agents and bots (commits only bots are on, which count for nothing,
and bots' commits with a human or agent credited, which count). Everything ``ChangeMemory`` keeps, the components
and people ``CommitView`` keeps and the files whose revisions changed must be what counting one commit
at a time gives, counted at once and in two goes (a re-ingest's), and ``ActivityMemory.count`` must
give the rows (and their humans in the order met) of its commit-by-commit definition.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter
from itertools import combinations

import pytest

from cairn.graph.changes import CouplingSettings, ScopeActivity, period_end, period_of, period_start
from cairn.ingest.cochange import DAY, PAIR, ChangeMemory, CommitView, FileIndex, count_commits
from cairn.ingest.commit_people import CommitPeople, bot_only
from cairn.ingest.commits import CommitLog, CommitRecord
from cairn.ingest.identities import AGENT, BOT, HUMAN, Person
from cairn.ingest.knowledge import History, PersonHistory
from cairn.ingest.trend_activity import ActivityMemory

FILES = [f"src/{d}/m{i}.py" for d in "abc" for i in range(5)]  # at HEAD, in path order
COMPONENTS = [None if i % 7 == 3 else "" if i % 7 == 5 else f"comp-{i % 3}" for i in range(len(FILES))]
KINDS = [HUMAN, HUMAN, HUMAN, AGENT, BOT, HUMAN]  # per person; identity i is person i % 5 (two identities: person 0)


def _history(seed: int, commits: int, all_mapped: bool = False) -> tuple[History, FileIndex]:
    """A random log; ``all_mapped``: every path it names stands for files at HEAD (and no merge lists changes)."""
    rng = random.Random(seed)
    people = [PersonHistory(Person(f"p{i}", f"P{i}", kind, [], [], None)) for i, kind in enumerate(KINDS)]
    identity_person = [0, 1, 2, 3, 4, 5, 0]
    records = []
    for n in range(commits):
        when = 1_600_000_000 + n * rng.choice([3_600, 86_400, 40 * 86_400]) + (-1_700_000_000 if n == 3 else 0)
        merge = n % 13 == 12
        others = ["old/a.py", "reused.py"] if all_mapped else ["old/a.py", "old/b.py", "reused.py", "docs/x.md"]
        names = rng.sample(FILES + others, rng.choice([0, 1, 2, 3, 5, 8, 12]))
        if n % 9 == 4:  # a file under its old name and under its name at HEAD
            names += ["old/a.py", FILES[2]]
        rng.shuffle(names)  # not in path order
        changes = [] if merge and (n % 2 or all_mapped) else [("M", name, None) for name in dict.fromkeys(names)]
        credited = rng.sample(range(7), rng.choice([0, 0, 0, 1, 2]))
        author = rng.randrange(7)
        records.append(CommitRecord(f"{n + 1:040x}", [f"{n:040x}"] + ([f"{n + 500:040x}"] if merge else []) if n else [],
                                    author, when, when, credited, changes, [author, *credited]))
    log = CommitLog()
    log.append_stream(list(reversed(records)))
    history = History(people=people, identity_person=identity_person, log=log)
    pid = [log.path_index.get(path) for path in FILES]
    of_path: dict[int, tuple[int, ...]] = {}
    for f, path in enumerate(FILES):
        if path in log.path_index:
            of_path[log.path_index[path]] = (f,)
    if "old/a.py" in log.path_index:
        of_path[log.path_index["old/a.py"]] = (2,)  # renamed into FILES[2]
    if "reused.py" in log.path_index:
        of_path[log.path_index["reused.py"]] = (5, 9)  # a name re-used after its file was renamed away: two files
    index = FileIndex(list(FILES), list(COMPONENTS), of_path, {log.path_index["reused.py"]: 1} if "reused.py" in log.path_index else {},
                      pid)
    return history, index


def _reference(memory: ChangeMemory, history: History, index: FileIndex, positions: range,
               coupling: CouplingSettings) -> tuple[set[int], list]:
    """The definition: one commit at a time (what ``count_commits`` counted before it counted in columns)."""
    log, people = history.log, CommitPeople(history.log, history)
    ids, pid_of = people.person_ids, index.pid
    counted: set[int] = set()
    components: list = [None] * len(log)
    assisted: dict[str, list] = {}  # agent -> the agent-assisted commits it was on, oldest first
    for p in positions:
        agents, humans = people.people(p)
        if log.merge[p] or not (agents or humans):  # a merge, or only bots on it: counted for nothing
            memory.eligible.append(0)
            memory.assisted.append(0)
            continue
        paths = log.path_changes(p)
        files = index.touched(paths)
        components[p] = ordered = tuple(sorted({index.component[f] for f in files if index.component[f]}))
        eligible = 0 < index.changeset_size(paths) <= coupling.max_changeset
        memory.eligible.append(1 if eligible else 0)
        memory.assisted.append(1 if agents else 0)
        for f in files:
            pid = pid_of[f]
            memory.touch.set(pid, memory.touch.get(pid) + [p])
            memory.days.set(pid, memory.days.get(pid) + [log.committed[p] // DAY])
            memory.revisions[pid] = memory.revisions.get(pid, 0) + (1 if eligible else 0)
            memory.agent_changes[pid] = memory.agent_changes.get(pid, 0) + (1 if agents else 0)
        if eligible and files:
            counted.update(files)
            for a, b in combinations([pid_of[f] for f in sorted(files)], 2):
                key = a * PAIR + b
                memory.set_shared(key, (memory.shared(key) or 0) + 1)
            memory.component_revisions.update(ordered)
            memory.component_pairs.update(combinations(ordered, 2))
        memory.assisted_total += 1 if agents else 0
        for agent in agents:  # per agent: its commits (with their components and humans), first and last
            on = assisted.setdefault(ids[agent], [])
            on.append((log.committed[p], ordered, [ids[h] for h in humans]))
    for agent, commits in assisted.items():
        known = memory.agents.get(agent)
        times = [when for when, _, _ in commits] + ([known["first"], known["last"]] if known else [])
        info = memory.agents[agent] = {"commits": len(commits) + (known["commits"] if known else 0),
                                       "components": dict(known["components"]) if known else {},
                                       "humans": dict(known["humans"]) if known else {}, "first": min(times), "last": max(times)}
        for key, names in (("components", [c for _, ordered, _ in commits for c in ordered]),
                           ("humans", [h for _, _, humans in commits for h in humans])):
            for name, n in Counter(names).items():
                info[key][name] = info[key].get(name, 0) + n
    memory.commits = positions.stop
    return {pid_of[f] for f in counted}, components


def _bots(history: History) -> bytearray:
    return bot_only(history.log, history.identity_person, [ph.person.kind for ph in history.people])


def _kept(memory: ChangeMemory, min_shared: int) -> dict:
    """Everything the memory keeps (pairs: those reaching ``min_shared``), agents in the order met."""
    data = memory.to_json()
    pairs = {key: n for key, n in zip(memory.pair_key, memory.pair_shared) if n >= min_shared}
    for name in ("pair_key", "pair_shared", "pair_rkey", "passing", "settings", "people", "mapping"):
        data.pop(name)
    for name in ("touch", "days"):
        data[name] = {key: data[name].get(key) for key in data[name].keys()}
    data["agents"] = list(data["agents"].items())
    return {**data, "pairs": pairs}


def _prefix(log: CommitLog, n: int) -> CommitLog:
    """The log's first ``n`` commits, as the log was before the last ones were added."""
    out = CommitLog(log.sha_bytes)
    for name in ("committed", "authored", "author", "first_parent", "change_end", "credited_end", "interned_end"):
        setattr(out, name, getattr(log, name)[:n])
    out.merge, changes = log.merge[:n], log.change_end[n - 1]
    out.change_path, out.change_old, out.change_status = log.change_path[:changes], log.change_old[:changes], log.change_status[:changes]
    out.credited, out.interned = log.credited[:log.credited_end[n - 1]], log.interned[:log.interned_end[n - 1]]
    out.sha, out.paths, out.path_index = log.sha[:n * log.sha_bytes], log.paths, log.path_index
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("all_mapped", [False, True])
@pytest.mark.parametrize("chunk", [20_000, 7])  # (7: the entries built a few commits at a time, merges and bots across)
def test_counting_in_columns_is_counting_commit_by_commit(seed: int, all_mapped: bool, chunk: int, monkeypatch) -> None:
    from cairn.ingest.change_count import CommitEntries

    monkeypatch.setattr(CommitEntries, "CHUNK", chunk)
    history, index = _history(seed, 160, all_mapped)
    log, settings, split = history.log, CouplingSettings(min_shared=2, max_changeset=6), 97
    expected = ChangeMemory({}, [], {})
    want, components = _reference(expected, history, index, range(len(log)), settings)

    memory, view = ChangeMemory({}, [], {}), CommitView(log, index, history)
    assert count_commits(memory, view, 0, settings) == want
    assert _kept(memory, settings.min_shared) == _kept(expected, settings.min_shared)
    assert view._components == components
    people = CommitPeople(log, history)
    assert [view.people(p) for p in range(len(log))] == [people.people(p) for p in range(len(log))]
    assert view._people == people._people  # merges are not kept, as ``people`` does not keep them

    # the first commits, then the others added (a re-ingest's count): the same, and the files the others counted
    partial, before = ChangeMemory({}, [], {}), ChangeMemory({}, [], {})
    count_commits(partial, CommitView(_prefix(log, split), index, history), 0, settings)
    later = CommitView(log, index, history)
    _reference(before, history, index, range(split), settings)
    want_later, _ = _reference(before, history, index, range(split, len(log)), settings)
    assert count_commits(partial, later, split, settings) == want_later
    assert _kept(partial, settings.min_shared) == _kept(expected, settings.min_shared)
    assert later._components[split:] == components[split:]
    merges_with_changes = [p for p in range(len(log)) if log.merge[p] and len(log.changes_of(p))]
    assert bool(merges_with_changes) is not all_mapped and sum(expected.eligible) < len(log) - len(merges_with_changes)
    by_bot = [p for p in range(len(log)) if not log.merge[p] and KINDS[history.identity_person[log.author[p]]] == BOT]
    bot_only = [p for p in by_bot if people.people(p) == ((), ())]
    assert bot_only and len(bot_only) < len(by_bot)  # bots' commits alone, and with a human or agent credited
    assert any(p in memory.touch.get(pid) for p in by_bot if p not in bot_only for pid in memory.touch.keys())


def _activity_reference(memory: ActivityMemory, view: CommitView, assisted, positions) -> None:
    """``ActivityMemory.count`` one commit at a time (its definition)."""
    log, ids = view.log, view.person_ids
    for p in positions:
        if log.merge[p]:
            continue
        when = log.committed[p]
        memory.first = when if memory.first is None else min(memory.first, when)
        memory.last = when if memory.last is None else max(memory.last, when)
        row = memory.rows.setdefault(period_of(max(when, 0), memory.period), {})
        for scope in ("", *view.components(p)):
            counts = row.setdefault(scope, ScopeActivity(0, 0, set()))
            counts.commits += 1
            counts.assisted += assisted[p]
            counts.humans.update(ids[h] for h in view.people(p)[1])
    memory.commits = len(log)


def _written(memory: ActivityMemory) -> dict:
    """What ``ActivityMemory.to_json`` writes, row by row (its definition)."""
    periods, scopes, people, cells, counts, values = [], [], [], {}, [], []
    for period, row in memory.rows.items():
        periods.append(period)
        for scope, cell in row.items():
            n, helped, humans = cell.commits, cell.assisted, cell.humans
            if scope not in scopes:
                scopes.append(scope)
            for name, value in (("row_period", len(periods) - 1), ("row_scope", scopes.index(scope)), ("row_commits", n),
                                ("row_assisted", helped)):
                cells.setdefault(name, []).append(value)
            counts.append(len(humans))
            for person in humans:
                if person not in people:
                    people.append(person)
                values.append(people.index(person))
    return {"version": 2, "period": memory.period, "commits": memory.commits, "first": memory.first, "last": memory.last,
            "periods": periods, "scopes": scopes, "people": people, **cells, "humans": {"counts": counts, "values": values}}


def _plain(data: dict) -> dict:
    return {**{name: list(value) if isinstance(value, (list, array)) else value for name, value in data.items()},
            "humans": {name: list(column) for name, column in data["humans"].columns().items()}}


def _assert_frozen_and_shared(memory: ActivityMemory) -> None:
    """Once counted, each row's humans are a frozenset, one for all the rows with the same people."""
    cells = [cell.humans for row in memory.rows.values() for cell in row.values()]
    assert all(humans.__class__ is frozenset for humans in cells)
    assert len({id(humans) for humans in cells}) == len(set(cells)) < len(cells)


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
# open_periods 1: a period frozen whenever the count moves on, thawed if it comes back; at_once 7: commits read a few
# at a time, a period's commits counted across parts
@pytest.mark.parametrize("open_periods, at_once", [(1, 7), (4, 65_536)])
def test_activity_counted_in_bulk_is_counted_commit_by_commit(period: str, open_periods: int, at_once: int,
                                                               monkeypatch) -> None:
    from cairn.ingest import trend_activity

    monkeypatch.setattr(trend_activity._Growing, "OPEN", open_periods)
    monkeypatch.setattr(ActivityMemory, "AT_ONCE", at_once)
    history, index = _history(3, 200)
    view = CommitView(history.log, index, history)
    memory = ChangeMemory({}, [], {})
    count_commits(memory, view, 0, CouplingSettings())

    class Changes:  # what ``ActivityMemory.count`` reads of a ``ChangeResult``
        pass

    changes = Changes()
    changes.view, changes.memory = view, memory
    placed = list(range(150, 200))
    random.Random(5).shuffle(placed)  # new commits placed among remembered ones come in any order
    for positions in (None, placed):
        got, want = ActivityMemory(period), ActivityMemory(period)
        got.count(changes, 150 if positions else 0, positions)
        _activity_reference(want, view, memory.assisted, positions if positions else range(len(history.log)))
        assert (got.first, got.last, got.commits) == (want.first, want.last, want.commits)
        assert list(got.rows) == list(want.rows)  # periods, and scopes within them, in the order met
        assert [list(row) for row in got.rows.values()] == [list(row) for row in want.rows.values()]
        assert [[(c.commits, c.assisted, sorted(c.humans)) for c in row.values()] for row in got.rows.values()] == \
            [[(c.commits, c.assisted, sorted(c.humans)) for c in row.values()] for row in want.rows.values()]
        _assert_frozen_and_shared(got)
        assert _plain(got.to_json()) == _written(got)
        back = ActivityMemory.from_json(got.to_json())
        assert back is not None and back.rows == got.rows and (back.first, back.last, back.commits) == (got.first, got.last, got.commits)
    assert any(t < 0 for t in history.log.committed)  # a time before 1970 counts for 1970's period
    assert period_start(period_of(0, period)) == 0 and period_end(period_of(0, period)) > 0


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("forking", [True, False])
def test_a_first_count_begun_early_with_its_pairs_in_a_child_counts_the_same(seed: int, forking: bool, monkeypatch) -> None:
    from cairn.graph import forked
    from cairn.ingest.change_count import FirstCount

    monkeypatch.setattr(forked, "ENABLED", forking)
    history, index = _history(seed, 160)
    log, settings = history.log, CouplingSettings(min_shared=2, max_changeset=6)
    memory, view = ChangeMemory({}, [], {}), CommitView(log, index, history)
    want = count_commits(memory, view, 0, settings)
    begun, early = ChangeMemory({}, [], {}), CommitView(log, index, history)
    assert count_commits(begun, early, 0, settings, FirstCount(log, index, 6, 2, _bots(history))) == want
    assert (begun.pair_key, begun.pair_shared, begun.pair_rkey) == (memory.pair_key, memory.pair_shared, memory.pair_rkey)
    assert _kept(begun, 2) == _kept(memory, 2) and early._components == view._components
    # begun for other settings (or files): not used, counted as usual
    other = ChangeMemory({}, [], {})
    assert count_commits(other, CommitView(log, index, history), 0, settings, FirstCount(log, index, 6, 3, _bots(history))) == want
    assert (other.pair_key, other.pair_shared) == (memory.pair_key, memory.pair_shared)


@pytest.mark.parametrize("forking", [True, False])
def test_a_first_count_lets_its_entries_go_once_the_count_took_its_pairs(forking: bool, monkeypatch) -> None:
    import gc
    import weakref

    from cairn.graph import forked
    from cairn.ingest.change_count import CommitEntries, FirstCount

    monkeypatch.setattr(forked, "ENABLED", forking)
    history, index = _history(0, 160)
    log, settings = history.log, CouplingSettings(min_shared=2, max_changeset=6)
    first = FirstCount(log, index, 6, 2, _bots(history))
    assert isinstance(first.entries, CommitEntries)
    held = weakref.ref(first.entries)
    count_commits(ChangeMemory({}, [], {}), CommitView(log, index, history), 0, settings, first)
    gc.collect()
    assert first.entries is None and held() is None  # nor held by the job's fallback
    with pytest.raises(AssertionError, match="once"):
        first.pairs()
    first.cancel()  # (nothing left to stop)


def test_the_component_pairs_read_back_from_their_columns_as_they_were():
    import json

    from cairn.ingest.history_state import Ragged, _Blobs, _reader

    memory = ChangeMemory({}, [], {"paths": 0, "of_path": Ragged("i"), "files": [], "components": []})
    memory.component_pairs = Counter({("web", "core"): 3, ("api", "web"): 1, ("core", "web"): 2})
    for pairs in (memory.component_pairs, Counter()):
        memory.component_pairs = pairs
        blobs = _Blobs()
        header = json.dumps({"m": memory}, default=blobs.default)
        data = json.loads(header, object_hook=_reader(memoryview(b"".join(blobs.bytes()))))["m"]
        back = ChangeMemory.from_json(data)
        assert back is not None and back.component_pairs == pairs
        assert list(back.component_pairs) == sorted(pairs)
    data["component_a"].append(7)  # a damaged column: not read
    assert ChangeMemory.from_json(data) is None
