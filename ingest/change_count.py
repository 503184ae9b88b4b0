"""Counting the log's commits for the change analyses (``cochange.count_commits``), in columns.

What is counted is ``ingest.cochange``'s (its module docstring): per commit whether code-maat counts it
and whether an agent was on it, its components; per file the commits touching it (neither merges nor
bot-only: ``commit_people.bot_only``), its revisions and agent changes; the file pairs of the counted
commits; component revisions and pairs; the agents. The commits are not visited one by one: every
(commit, file) the new commits name is one entry of flat columns, sorted by commit then file (path
order), and the per-file commit lists, the commits' sizes, components and people, and the pairs' tails
are taken from them with builtins (``sort``, ``Counter``, ``map`` over slices), in the order a
commit-by-commit count meets them, so every sum, list and insertion order is the one that count gives.
Only the agent-assisted commits are looked at one by one. A bot-only commit has no entries, as a merge
has none (git lists no changes for one), and code-maat does not count it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from functools import partial
from itertools import accumulate, chain, combinations, compress, islice, repeat
from operator import add, and_, floordiv, ge, itemgetter, lt, not_, or_, sub
from typing import Any

from cairn.ingest.commits import PAIR
from cairn.ingest.history_state import Ragged

__all__ = ["count_commits", "CommitEntries", "FirstCount", "first_pairs"]

DAY = 86_400
_EMPTY_IDS = array("i")


class _Normalised(dict):
    """A commit's components as counted: the sorted set of its files' components without the empty name, each
    distinct tuple once (``shared``: the view's table of shared tuples)."""

    def __init__(self, shared: dict) -> None:
        super().__init__()
        self.shared = shared

    def __missing__(self, raw: tuple[str, ...]) -> tuple[str, ...]:
        names = raw[1:] if raw and raw[0] == "" else raw
        found = self[raw] = self.shared.setdefault(names, names)
        return found


class CommitEntries:
    """The (commit, file) entries of the log's commits from ``start`` on, merges and the ``skipped`` commits (per
    position from ``start``: the bot-only ones) left out (see the module docstring).

    ``commit`` and ``file``: per entry, sorted by commit then file (index into the ``FileIndex``), each pair once;
    per commit from ``start`` on: ``sizes`` (its rows in a log rewritten to HEAD names, for ``max_changeset``),
    ``files`` (its entries) and ``end`` (where its entries end). Built ``CHUNK`` commits at a time, in arrays of
    4-byte ints (a list of int objects per entry would be 200 MB at 50k files).
    """

    CHUNK = 20_000

    def __init__(self, log: Any, index: Any, start: int, skipped: bytearray | None = None) -> None:
        n = len(log)
        left_out = log.merge[start:n]  # per position from ``start``: a merge, or a commit ``skipped`` names
        if skipped is not None and 1 in skipped:
            left_out = bytearray(map(or_, left_out, skipped))
        # per log path id: the one file it stands for; -1 none, -2 several (then ``of_path`` says which)
        single = [-1] * len(log.paths)
        for pid, found in index.of_path.items():
            single[pid] = found[0] if len(found) == 1 else -2
        self.commit, self.file = array("i"), array("i")
        self.sizes: list[int] = []
        self.files: list[int] = []
        for first in range(start, n, self.CHUNK):
            self._add(log, index, single, first, min(n, first + self.CHUNK), left_out[first - start:])
        self.end = array("i", accumulate(self.files))  # (4 bytes a commit, not an int object: 12 MB at 300,000)
        self.start = start

    def _add(self, log: Any, index: Any, single: list[int], start: int, stop: int, left_out: bytearray) -> None:
        ends = log.change_end
        begin = ends[start - 1] if start else 0
        positions = range(start, stop)
        changes = log.change_path[begin:ends[stop - 1]]
        rows = list(map(sub, ends[start:stop], [begin, *ends[start:stop - 1]]))
        files = list(map(single.__getitem__, changes))
        commits = list(chain.from_iterable(map(repeat, positions, rows)))
        # a merge counts for nothing (git lists no changes for one), nor does a skipped commit
        for p in compress(positions, left_out[:stop - start]):
            first = (ends[p - 1] if p else 0) - begin
            files[first:ends[p] - begin] = [-1] * (ends[p] - begin - first)
        more: list[tuple[int, int]] = []  # names that stand for several files: one entry per file
        at = -1
        while True:
            try:
                at = files.index(-2, at + 1)
            except ValueError:
                break
            more.extend(zip(repeat(commits[at]), index.of_path[changes[at]]))
            files[at] = -1
        cs, fs, counts = commits, files, list(rows)
        if -1 in files:
            kept = list(map(ge, files, repeat(0)))
            cs, fs = list(compress(commits, kept)), list(compress(files, kept))
            for c, dropped in Counter(compress(commits, map(not_, kept))).items():
                counts[c - start] -= dropped
        # git lists a commit's paths in order, and a path stands for its own file: out of order are the commits naming
        # a renamed file (by a name of its lineage) or a name that stands for several files: put in order one by one
        extra: dict[int, list[int]] = {}
        for c, f in more:
            extra.setdefault(c, []).append(f)
        for c in sorted(extra.keys() | _out_of_order(cs, fs), reverse=True):  # the last first: earlier places stay
            low, high = bisect_left(cs, c), bisect_right(cs, c)
            ordered = sorted({*fs[low:high], *extra.get(c, ())})
            fs[low:high] = ordered
            cs[low:high] = [c] * len(ordered)
            counts[c - start] = len(ordered)
        self.commit.extend(cs)
        self.file.extend(fs)
        self.files += counts
        extra = index.extra_rows
        if extra:  # a name that stands for several files is one row for each
            rows = list(rows)
            for c in compress(range(len(changes)), map(extra.__contains__, changes)):
                rows[commits[c] - start] += extra[changes[c]]
        self.sizes += rows


def _out_of_order(commits: list[int], files: list[int]) -> set[int]:
    """The commits whose files (entries by commit, oldest first) are not in path order, each once."""
    falls = compress(range(1, len(files)), map(ge, files, islice(files, 1, None)))
    return {commits[j] for j in falls if commits[j - 1] == commits[j]}


def _components(view: Any, entries: CommitEntries) -> list[tuple[str, ...]]:
    """The components of each commit of ``entries`` (as ``CommitView.components`` gives them, sharing its tuples)."""
    name_of = [c or "" for c in view.index.component]
    # each commit's names read from its slice of the entries: no list of a name per entry (13 MB at 300,000 commits,
    # at the peak of a cold ingest), nor of an int object per commit's start
    names = map(map, repeat(name_of.__getitem__), map(entries.file.__getitem__, map(slice, _starts(entries), entries.end)))
    raw = map(tuple, map(sorted, map(set, names)))
    return list(map(_Normalised(view._shared).__getitem__, raw))


def _starts(entries: CommitEntries) -> array:
    """Where each commit's entries start: 4 bytes a commit (a list would hold an int object for each, 12 MB at
    300,000 commits)."""
    return array("i", (0,)) + entries.end[:-1]


def count_commits(memory: Any, view: Any, start: int, coupling: Any, first: "FirstCount | None" = None) -> set[int]:
    """Add the commits from position ``start`` on to ``memory`` (all of them when it is fresh); the log path ids of
    the files whose revisions changed. The components and people of every commit counted are kept in ``view``.
    ``first``: a first count's entries and pairs, begun earlier for ``view``'s files (used when ``start`` is 0).

    ``memory`` is a ``cochange.ChangeMemory`` and ``view`` a ``cochange.CommitView`` (cochange imports this module)."""
    log, index = view.log, view.index
    n = len(log)
    limit, pid_of, ids = coupling.max_changeset, index.pid, view.person_ids
    fresh = start == 0
    if first is not None and not (fresh and first.index is index and first.limit == limit
                                  and first.min_shared == coupling.min_shared):
        first.cancel()
        first = None
    committed, merge = log.committed, log.merge
    positions = range(start, n)
    bots = first.bots if first is not None else view.bot_only_from(start)
    entries = first.entries if first is not None else CommitEntries(log, index, start, bots)
    e_commit, e_file, nfiles = entries.commit, entries.file, entries.files

    # per commit: its components, whether code-maat counts it, who was on it
    comps = _components(view, entries)
    view._components[start:n] = comps
    merges = list(compress(positions, merge[start:n]))
    skipped = merges if 1 not in bots else sorted(merges + list(compress(positions, bots)))
    # (a bot-only commit's components are its files' all the same, for the analyses that count it: the agent share's
    # window, the trends' activity; worked out again when asked)
    for p in skipped:
        view._components[p] = None
    eligible = first.eligible if first is not None else _eligible(entries, skipped, limit)
    people = view.people_from(start)
    assisted = bytearray(map(bool, map(itemgetter(0), people)))
    memory.eligible += eligible
    memory.assisted += assisted
    counted_commit = list(map(and_, eligible, map(bool, nfiles)))  # counted, and touches a file at HEAD

    # per file: the new commits touching it; the counted ones and the agent-assisted ones among them
    new_touch: list[array] = [array("i") for _ in index.files]
    deque(map(array.append, map(new_touch.__getitem__, e_file), e_commit), 0)
    # the commits left out are few (merges have no entries), and so are the agent-assisted ones: count their entries
    starts = _starts(entries)
    left_out = Counter(_entries_of(e_file, starts, entries.end, compress(range(n - start), map(not_, eligible))))
    agent_changes = Counter(_entries_of(e_file, starts, entries.end, compress(range(n - start), assisted)))

    counted_comps = list(compress(comps, counted_commit))
    memory.component_revisions.update(chain.from_iterable(counted_comps))
    memory.component_pairs.update(chain.from_iterable(map(combinations, counted_comps, repeat(2))))
    _count_agents(memory, view, compress(positions, assisted), comps, people, start, ids)

    memory.commits = n
    at_once = fresh and not memory.touch.keys() and not memory.days.keys()  # nothing kept yet: columns at once
    for f, added in enumerate(new_touch):
        if not added:
            continue
        pid = pid_of[f]
        assert pid is not None  # a file a commit touches has a logged path
        if not at_once:
            memory.touch.set(pid, memory.touch.get(pid) + added.tolist())
            memory.days.set(pid, memory.days.get(pid) + [committed[p] // DAY for p in added])
        memory.revisions[pid] = memory.revisions.get(pid, 0) + len(added) - left_out.get(f, 0)
        memory.agent_changes[pid] = memory.agent_changes.get(pid, 0) + agent_changes.get(f, 0)
    changed = {pid_of[f] for f, added in enumerate(new_touch) if len(added) > left_out.get(f, 0)}
    del counted_comps, left_out, agent_changes  # (let go before the columns and the pairs: the peak of a cold ingest)
    if first is not None:
        # the first count's pairs taken before the columns are made, and its entries (a pair of 4-byte ids per change,
        # 14 MB at 300,000 commits), read no more, let go: the columns were a cold ingest's history peak
        memory.pair_key, memory.pair_shared, memory.pair_rkey = first.pairs()
        del entries, e_commit, e_file, nfiles, starts
    if at_once:
        memory.touch, memory.days = _touch_columns(new_touch, pid_of, committed)  # (which empties new_touch)
    del new_touch
    if fresh and first is None:
        memory.pair_key, memory.pair_shared, memory.pair_rkey = first_pairs(entries, eligible, pid_of, coupling.min_shared,
                                                                            len(index.files))
    elif not fresh:
        _add_pairs(memory, entries, counted_commit, pid_of, coupling.min_shared)
    return changed  # type: ignore[return-value]


def _entries_of(e_file: array, starts: array, ends: array, commits: Any) -> Any:
    """The files of the commits at ``commits`` (indexes from the entries' start), one per entry."""
    commits = list(commits)
    return chain.from_iterable(map(e_file.__getitem__, map(slice, map(starts.__getitem__, commits), map(ends.__getitem__, commits))))


def _count_agents(memory: Any, view: Any, assisted: Any, comps: list, people: list, start: int, ids: list[str]) -> None:
    """Each agent's commits, components, humans, first and last, over the agent-assisted commits (oldest first)."""
    committed = view.log.committed
    for p in assisted:
        agents, humans = people[p - start]
        ordered = comps[p - start]
        memory.assisted_total += 1
        when = committed[p]
        for agent in agents:
            info = memory.agents.get(ids[agent])
            if info is None:
                info = memory.agents[ids[agent]] = {"commits": 0, "components": {}, "humans": {}, "first": when, "last": when}
            info["commits"] += 1
            for c in ordered:
                info["components"][c] = info["components"].get(c, 0) + 1
            for h in humans:
                info["humans"][ids[h]] = info["humans"].get(ids[h], 0) + 1
            info["first"], info["last"] = min(info["first"], when), max(info["last"], when)


def _eligible(entries: CommitEntries, skipped: list[int], limit: int) -> bytearray:
    """Per commit of ``entries``: whether code-maat counts it (not a merge nor bot-only, the positions ``skipped``;
    at most ``limit`` rows, at least one)."""
    eligible = bytearray([1 if 0 < size <= limit else 0 for size in entries.sizes])
    for p in skipped:
        eligible[p - entries.start] = 0
    return eligible


class FirstCount:
    """A first count's entries and eligible commits, taken right after the history pass, and its file pairs
    (``first_pairs``, the step of a first count that costs most) computed meanwhile in a forked child
    (``forked.ForkedArrays``), while the ingest adds the knowledge; ``count_commits`` takes them (``first``).
    ``cancel`` when it does not (the child is killed)."""

    def __init__(self, log: Any, index: Any, limit: int, min_shared: int, bots: bytearray) -> None:
        from cairn.graph.forked import ForkedArrays

        self.index, self.limit, self.min_shared, self.bots = index, limit, min_shared, bots
        self.entries = CommitEntries(log, index, 0, bots)
        positions = range(len(log))
        self.eligible = _eligible(self.entries, list(compress(positions, map(or_, log.merge, bots))), limit)
        self._job = ForkedArrays(partial(first_pairs, self.entries, self.eligible, index.pid, min_shared,
                                         len(index.files))).start()

    def pairs(self) -> tuple[array, array, array]:
        """The pairs, once: the job (whose fallback holds the entries) and the entries (a pair of 4-byte ids per change,
        14 MB at 300,000 commits) are let go with them, as nothing reads the entries after the count; the count's
        columns, made next, were a cold ingest's history peak."""
        job, self._job = self._job, None
        self.entries = None  # type: ignore[assignment]
        assert job is not None, "a first count's pairs are taken once"
        return job.result()  # type: ignore[return-value]

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()


def first_pairs(entries: CommitEntries, eligible: bytearray, pid_of: list, min_shared: int,
                files_at_head: int) -> tuple[array, array, array]:
    """A first count's file pairs with at least ``min_shared`` shared revisions, as ``ChangeMemory`` keeps them:
    (``pair_key``, ``pair_shared``, ``pair_rkey``). ``eligible``: per commit of ``entries``, whether it is counted.

    Per file, the log path ids of the files after it in each counted commit (its entries' tails), counted file by
    file (small counters instead of one with every pair ever seen: the same counts, less memory; flat arrays of
    4-byte ids, not a list per commit and file)."""
    e_file, files, end = entries.file, entries.files, entries.end
    e_pid = array("i", map(pid_of.__getitem__, e_file))
    # (4-byte columns, not lists of int objects: 36 bytes an entry, 14 MB more at the peak of a cold 10k ingest)
    multi = array("i", compress(range(len(files)), map(and_, eligible, map(lt, repeat(1), files))))
    stops = array("i", map(end.__getitem__, multi))  # of each counted commit with several files: where its entries end
    sizes = array("i", map(files.__getitem__, multi))
    firsts = array("i", map(sub, stops, sizes))
    tails = map(slice, chain.from_iterable(map(range, map(add, firsts, repeat(1)), stops)),
                chain.from_iterable(map(repeat, stops, map(sub, sizes, repeat(1)))))
    heads = chain.from_iterable(map(e_file.__getitem__, map(slice, firsts, map(sub, stops, repeat(1)))))
    later: list[array] = [array("i") for _ in range(files_at_head)]
    deque(map(array.extend, map(later.__getitem__, heads), map(e_pid.__getitem__, tails)), 0)
    del e_pid, multi, stops, sizes, firsts
    # file by file in path id order, each file's pairs sorted: the keys come sorted, written to the columns at once
    # (no dict of every pair kept, then sorted: a file's path id is unique, and ``b < PAIR`` in ``a * PAIR + b``)
    keys, shares = array("q"), array("i")
    for pid, f in sorted((pid_of[f], f) for f, tails in enumerate(later) if len(tails) >= min_shared):
        counts = Counter(later[f])
        later[f] = _EMPTY_IDS  # counted: let it go
        kept = sorted(compress(counts.keys(), map(ge, counts.values(), repeat(min_shared))))
        keys.extend(map(add, kept, repeat(pid * PAIR)))
        shares.extend(map(counts.__getitem__, kept))
    del later
    return keys, shares, array("q", sorted((key % PAIR) * PAIR + key // PAIR for key in keys))


def _add_pairs(memory: Any, entries: CommitEntries, counted_commit: list, pid_of: list, min_shared: int) -> None:
    """The new commits' file pairs added to the remembered ones; a pair not remembered (it had fewer than
    ``min_shared``) is counted again from the two files' commit lists."""
    all_pairs: Counter = Counter()  # a * PAIR + b (log path ids, a's path before b's) -> shared revisions (new commits)
    e_file, starts = entries.file, [0, *entries.end[:-1]]
    for i in compress(range(len(counted_commit)), counted_commit):
        if entries.files[i] > 1:  # files are in path order: a pair is (smaller, larger)
            keys = [pid_of[f] * PAIR for f in e_file[starts[i]:entries.end[i]]]
            all_pairs.update([a + b // PAIR for a, b in combinations(keys, 2)])
    eligible = memory.eligible
    for key, n in all_pairs.items():
        a, b = divmod(key, PAIR)
        known = memory.shared(key)
        if known is None:  # a pair not remembered had fewer than min_shared: count it again from the touch lists
            first, second = memory.touch.get(a), set(memory.touch.get(b))
            n = sum(1 for p in first if p in second and eligible[p])
            if n < min_shared:
                continue
        else:
            n += known
        memory.set_shared(key, n)


def _touch_columns(new_touch: list[array], pid_of: list[int | None], committed: array) -> tuple[Ragged, Ragged]:
    """A first count's commits per file and their days as ``ChangeMemory`` keeps them (ragged columns by log path id).
    Empties ``new_touch`` once they are read (its arrays are 12 MB at 50k files, at the peak of a cold ingest)."""
    by_pid = sorted((pid_of[f], f) for f, added in enumerate(new_touch) if added)
    touch, counts = array("i"), array("i", bytes(4 * (by_pid[-1][0] + 1 if by_pid else 0)))  # type: ignore
    for pid, f in by_pid:
        counts[pid] = len(new_touch[f])  # type: ignore[index]
        touch.extend(new_touch[f])
    del by_pid
    new_touch.clear()
    day_of = array("q", map(floordiv, committed, repeat(DAY)))  # (not a list of an int object per commit: 12 MB at 300,000)
    days = array("i", map(day_of.__getitem__, touch))
    return Ragged.from_columns({"counts": counts, "values": touch}), Ragged.from_columns({"counts": counts[:], "values": days})
