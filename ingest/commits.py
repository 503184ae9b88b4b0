"""The commits of a history, as the stream gives them and as Cairn remembers them.

``CommitRecord`` is one commit as ``history.mine_history`` reads it (and hands
its observers, in stream order: newest first). ``CommitLog`` keeps every
commit of the history in columns, **oldest first** (the reverse of the
stream), so that a later ingest that reads only the new commits appends them
at the end and no remembered position moves: a commit's position is its
identity inside the log (first parents and pull-request tips are positions).

``merged`` holds the files each pull/merge request merged on the first-parent
chain brought in (``ingest.pull_request_merges``): the merger's review credit
(``merge_reviewer``, decided by person), which ``ingest.merger_credit`` gives
the people once they are resolved and ``ingest.trend_history`` replays.

The change analyses (``ingest.cochange``, ``ingest.trend_history``) read the
log; ``ingest.history_state`` stores it (``columns`` / ``from_columns``: plain
arrays, packed as base64 in the state's JSON). Identities are raw indexes
into the history's interned identities (``knowledge.History.identity_person``
maps them to people); paths are indexes into ``paths``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, groupby, repeat
from operator import ge, itemgetter, ne, sub
from typing import Callable, Iterable, Iterator

#: the first parent of a root commit (or of one whose parent is outside the history)
NO_PARENT = -1
#: ``change_old`` of a change that is not a rename or copy
NO_OLD_PATH = -1
#: a pair of log path ids as one int, ``a * PAIR + b`` (how the change analyses key a file pair)
PAIR = 1 << 32


@dataclass(slots=True)
class CommitRecord:
    """One commit as the stream gave it, for observers (see the module docstring)."""

    sha: str
    parents: list[str]
    author: int  # raw identity index
    authored: int  # epoch seconds
    committed: int
    #: raw identities credited besides the author: co-authors, Reviewed-by, an agent's committer, marked agents
    credited: list[int]
    #: (status letter, path, old path for R/C else None), merges have none
    changes: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: every raw identity the commit named, in the order the stream interned them (the author first)
    interned: list[int] = field(default_factory=list)
    #: the login of "Merge pull request #N from LOGIN/branch", else None
    pull_request: str | None = None

    @property
    def merge(self) -> bool:
        return len(self.parents) > 1


CommitObserver = Callable[[CommitRecord], None]


class _PathTable:
    """Paths by id, ids given in the order paths are first met."""

    paths: list[str]
    path_index: dict[str, int]

    def path_id(self, path: str) -> int:
        pid = self.path_index.get(path)
        if pid is None:
            pid = self.path_index[path] = len(self.paths)
            self.paths.append(path)
        return pid


class StreamColumns(_PathTable):
    """Commits as a stream gives them (newest first), in columns: what ``log_parser.LogParser`` writes as it reads
    and ``CommitLog.append_stream`` turns into log positions. Paths are ids into ``paths`` (the stream's own).

    The change columns hold each commit's changes last first, so that reversing them whole gives the log's
    order (oldest commit first, each commit's changes as git lists them) in one step."""

    def __init__(self) -> None:
        self.shas: list[str] = []
        self.parents: list[str] = []  # git's "%P": parent ids separated by spaces ("" for a root)
        self.committed = array("q")
        self.authored = array("q")
        self.author = array("i")
        #: where each commit's changes (last first), credited and interned identities start in the flat columns
        self.change_start = array("i")
        self.change_path = array("i")
        self.change_old = array("i")  # -1: no old path
        self.change_status = bytearray()
        self.credited_start = array("i")
        self.credited = array("i")
        self.interned_start = array("i")
        self.interned = array("i")
        self.pull_requests: dict[int, str] = {}  # stream index of a merge -> the login its subject names
        self.paths: list[str] = []
        self.path_index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.shas)

    def add_commit(self, sha: str, parents: str, author: int, authored: int, committed: int,
                   credited: list[int], interned: list[int], pull_request: str | None = None) -> None:
        """A commit, whose changes (``add_change``) follow."""
        if pull_request is not None:
            self.pull_requests[len(self.shas)] = pull_request
        self.shas.append(sha)
        self.parents.append(parents)
        self.author.append(author)
        self.authored.append(authored)
        self.committed.append(committed)
        self.change_start.append(len(self.change_path))
        self.credited_start.append(len(self.credited))
        self.credited.extend(credited)
        self.interned_start.append(len(self.interned))
        self.interned.extend(interned)

    def add_change(self, status: str, path: str, old: str | None) -> None:
        """A change of the last commit added, after its others (stored before them: the class docstring)."""
        start = self.change_start[-1]
        self.change_path.insert(start, self.path_id(path))
        self.change_old.insert(start, -1 if old is None else self.path_id(old))
        self.change_status.insert(start, ord(status))

    def reverse_last_changes(self) -> None:
        """The last commit's changes were appended in git's order: store them last first (the class docstring)."""
        start = self.change_start[-1] if self.change_start else 0
        if len(self.change_path) - start > 1:
            for column in (self.change_path, self.change_old, self.change_status):
                column[start:] = column[:start - 1 if start else None:-1]

    @classmethod
    def from_records(cls, records: list[CommitRecord]) -> "StreamColumns":
        stream = cls()
        for r in records:
            stream.add_commit(r.sha, " ".join(r.parents), r.author, r.authored, r.committed, r.credited, r.interned,
                              r.pull_request)
            for status, path, old in r.changes:
                stream.add_change(status, path, old)
        return stream

    def record(self, index: int) -> CommitRecord:
        """The commit at stream ``index`` as a ``CommitRecord`` (for observers)."""
        def span(starts: array, flat: array | bytearray) -> slice:
            return slice(starts[index], starts[index + 1] if index + 1 < len(starts) else len(flat))

        paths, changes = self.paths, span(self.change_start, self.change_path)
        return CommitRecord(
            self.shas[index], self.parents[index].split(), self.author[index], self.authored[index],
            self.committed[index], self.credited[span(self.credited_start, self.credited)].tolist(),
            [(chr(status), paths[path], paths[old] if old >= 0 else None) for status, path, old in
             zip(self.change_status[changes][::-1], self.change_path[changes][::-1], self.change_old[changes][::-1])],
            self.interned[span(self.interned_start, self.interned)].tolist(), self.pull_requests.get(index))

    def parents_of(self, index: int) -> list[str]:
        return self.parents[index].split()


#: how many ids ``_remapped`` maps at a time (a list of them, 8 bytes an id, is what it holds meanwhile)
REMAP_RUN = 1 << 16


def _remapped(column: array, remap: list[int], ids: array) -> None:
    """Append ``remap[i]`` for each id ``i`` of ``ids`` to ``column``, a run at a time."""
    for start in range(0, len(ids), REMAP_RUN):
        column.fromlist(list(map(remap.__getitem__, ids[start:start + REMAP_RUN])))


def kept_prefix(order: list[int]) -> int:
    """How many positions at the start of a reordering (``order``: old positions, oldest first) keep their commit."""
    kept = 0
    for kept, old in enumerate(order):
        if old != kept:
            return kept
    return len(order)


class _Reversal:
    """How a ragged stream column (each commit's slice of a flat column, newest commit first) is laid out oldest
    commit first: the flat indexes in their new order, and where each commit's slice ends in it."""

    def __init__(self, starts: array, total: int) -> None:
        ends = [*starts[1:], total]
        self.order = array("i", chain.from_iterable(map(range, reversed(starts), reversed(ends))))
        self.ends = list(accumulate(map(sub, reversed(ends), reversed(starts))))  # within the new order

    def column(self, flat: array) -> array:
        return array(flat.typecode, map(flat.__getitem__, self.order))

    def extend_ends(self, ends: array) -> None:
        """Append each commit's end as it lies in a log column after the slices already there."""
        done = ends[-1] if ends else 0
        ends.extend([done + end for end in self.ends] if done else self.ends)


class CommitLog(_PathTable):
    """Every commit of a history in columns, oldest first (see the module docstring)."""

    def __init__(self, sha_bytes: int = 20) -> None:
        self.sha_bytes = sha_bytes  # 20 (SHA-1) or 32 (SHA-256)
        self.sha = bytearray()
        self.committed = array("q")
        self.authored = array("q")
        self.author = array("i")
        self.merge = bytearray()
        self.first_parent = array("i")  # position, or NO_PARENT (a root, or a parent outside the history)
        self.change_end = array("i")  # changes of commit i: [change_end[i-1], change_end[i])
        self.change_path = array("i")
        self.change_old = array("i")  # the old path of a rename or copy, else -1
        self.change_status = bytearray()
        self.credited_end = array("i")
        self.credited = array("i")
        self.interned_end = array("i")
        self.interned = array("i")
        #: (login, position of the merge, position of its second parent or NO_PARENT)
        self.pull_requests: list[tuple[str, int, int]] = []
        #: per request merge of the first-parent chain, by merge position: (position of its second parent, the branch's
        #: tip, or NO_PARENT; the path ids it brought in, those some commit of the log names)
        self.merged: dict[int, tuple[int, list[int]]] = {}
        self.paths: list[str] = []
        self.path_index: dict[str, int] = {}
        self._sha_index: dict[bytes, int] | None = None

    def __len__(self) -> int:
        return len(self.committed)

    # -- reading ----------------------------------------------------------------------------

    def sha_of(self, position: int) -> str:
        n = self.sha_bytes
        return self.sha[position * n:(position + 1) * n].hex()

    def position_of(self, sha: str) -> int | None:
        """The position of a commit, by its id (an index over every commit, built on first use unless the commit is
        the newest one)."""
        try:
            key = bytes.fromhex(sha)
        except ValueError:
            return None
        if len(key) != self.sha_bytes:
            return None
        index = self._sha_index
        if index is None:
            n = self.sha_bytes
            if len(self.sha) >= n and self.sha[-n:] == key:  # the newest commit: what new commits usually follow
                return len(self) - 1
            raw = bytes(self.sha)
            index = self._sha_index = {raw[i:i + n]: i // n for i in range(0, len(raw), n)}
        return index.get(key)

    def position_of_prefix(self, prefix: str) -> int | None:
        """The position of the first commit whose id starts with ``prefix`` (an even number of hex digits)."""
        try:
            key = bytes.fromhex(prefix)
        except ValueError:
            return None
        n, at = self.sha_bytes, self.sha.find(key)
        while at >= 0 and at % n:  # (found across two ids)
            at = self.sha.find(key, at + 1)
        return at // n if at >= 0 else None

    def changes_of(self, position: int) -> range:
        start = self.change_end[position - 1] if position else 0
        return range(start, self.change_end[position])

    def credited_of(self, position: int) -> list[int]:
        start = self.credited_end[position - 1] if position else 0
        return self.credited[start:self.credited_end[position]].tolist()

    def interned_of(self, position: int) -> list[int]:
        start = self.interned_end[position - 1] if position else 0
        return self.interned[start:self.interned_end[position]].tolist()

    def path_changes(self, position: int) -> list[int]:
        """The path ids a commit names (one per change, as ``git log --name-status`` lists them)."""
        start = self.change_end[position - 1] if position else 0
        return self.change_path[start:self.change_end[position]].tolist()

    def change_tuples(self, position: int) -> list[tuple[str, str, str | None]]:
        """A commit's changes as ``CommitRecord.changes`` has them."""
        paths, out = self.paths, []
        for c in self.changes_of(position):
            old = self.change_old[c]
            out.append((chr(self.change_status[c]), paths[self.change_path[c]], paths[old] if old >= 0 else None))
        return out

    def merge_reviewer(self, merge: int, person_of: list[int]) -> int | None:
        """Who a request merge at ``merge`` (in ``merged``) gives review credit to: the person of its author (the
        merger), unless that person also wrote the branch's tip commit — merging one's own work is no review, under
        whichever of their identities ("Julien" and "Julien Pivotto", a noreply address and a personal one).
        ``person_of``: raw identity -> person (``knowledge.History.identity_person``); the decision changes as people
        resolve, so it is taken once they are resolved, never stored. Whether the merger is human is the people's
        business too (only humans keep review credit)."""
        tip = self.merged[merge][0]
        merger = person_of[self.author[merge]]
        return None if tip >= 0 and person_of[self.author[tip]] == merger else merger

    def first_parent_chain(self, start: int | None = None) -> Iterator[int]:
        """Positions along first parents from ``start`` (default: the newest commit, HEAD)."""
        position = len(self) - 1 if start is None else start
        seen: set[int] = set()
        while position >= 0 and position not in seen:
            seen.add(position)
            yield position
            position = self.first_parent[position]

    # -- writing ----------------------------------------------------------------------------

    def append_stream(self, stream: "StreamColumns | list[CommitRecord]",
                      resolve_parent: Callable[[str], int | None] | None = None) -> None:
        """Append commits read newest first (a stream, reversed here): they are newer than every remembered one.

        ``stream``: the parser's ``StreamColumns`` (or ``CommitRecord`` s, newest first). A parent outside the
        stream is looked up among the remembered commits (``resolve_parent``, default ``position_of``); one
        found nowhere is NO_PARENT. New paths get ids in the order the commits name them, oldest commit first
        (its paths, then its renames' and copies' old paths), whichever form the stream has.
        """
        if not isinstance(stream, StreamColumns):
            stream = StreamColumns.from_records(stream)
        count = len(stream)
        if not count:
            return
        base = len(self)
        width = self.sha_bytes
        shas = stream.shas
        hexes = 2 * width
        if set(map(len, shas)) != {hexes}:
            bad = next(sha for sha in shas if len(sha) != hexes)
            raise ValueError(f"commit id {bad!r} is not {hexes} hex digits")
        joined = bytes.fromhex("".join(reversed(shas)))
        top = base + count - 1  # the position of stream index 0 (the newest commit)
        last = self.sha_of(base - 1) if base else ""
        parents = stream.parents[::-1]
        in_order = shas[::-1]
        # Most commits' parent list is the one commit before them (the next one in the stream; before the first new
        # one: the newest remembered one, or none): those are found by comparing the columns, and only the other
        # parents are looked up, in an index of the new commits they name (not of every new commit: 30 MB at 300,000).
        firsts = array("i", range(base - 1, top))
        in_order.insert(0, last)
        other = list(compress(range(count), map(ne, parents, in_order)))
        del in_order[0]
        wanted = {listed.split(" ", 1)[0] for listed in map(parents.__getitem__, other) if listed}
        for index in stream.pull_requests:
            wanted.update(stream.parents[index].split(" ")[1:2])
        new_positions = {in_order[i]: base + i for i in compress(range(count), map(wanted.__contains__, in_order))}
        del in_order
        slow = resolve_parent or self.position_of

        def position(sha: str) -> int:  # usually a new commit or the newest remembered one
            found = new_positions.get(sha)
            if found is None:
                found = base - 1 if sha == last else slow(sha)
            return NO_PARENT if found is None else found

        self.sha += joined
        if self._sha_index is not None:
            self._sha_index.update((joined[i * width:(i + 1) * width], base + i) for i in range(count))
        for name in ("committed", "authored", "author"):
            column = array(getattr(self, name).typecode, getattr(stream, name))
            column.reverse()
            getattr(self, name).extend(column)
        # the others are merges, roots and commits whose parent was remembered or is not the commit before them
        merge = bytearray(count)
        for found in other:
            listed = parents[found]
            firsts[found] = position(listed.split(" ", 1)[0]) if listed else NO_PARENT
            merge[found] = 1 if " " in listed else 0
        del parents
        self.merge += merge
        self.first_parent.extend(firsts)
        for index, login in sorted(stream.pull_requests.items(), reverse=True):
            listed = stream.parents[index].split(" ")
            if len(listed) > 1:
                self.pull_requests.append((login, top - index, position(listed[1])))
        # ragged columns, oldest commit first: each commit's changes are stored last first, so reversed whole
        paths, olds = array("i", stream.change_path), array("i", stream.change_old)
        paths.reverse()
        olds.reverse()
        self.change_status += stream.change_status[::-1]
        starts = stream.change_start
        ends = list(accumulate(map(sub, [len(paths), *starts[:0:-1]], reversed(starts))))  # within the new order
        remap = self._path_ids(stream.paths, paths, olds, ends)
        _remapped(self.change_path, remap, paths)
        if olds.count(NO_OLD_PATH) == len(olds):  # no rename or copy
            self.change_old.extend(olds)
        else:
            _remapped(self.change_old, remap, olds)  # -1 (no old path) is remap's last slot: -1
        done = self.change_end[-1] if self.change_end else 0
        self.change_end.extend([done + end for end in ends] if done else ends)
        for name in ("credited", "interned"):
            identities = _Reversal(getattr(stream, f"{name}_start"), len(getattr(stream, name)))
            getattr(self, name).extend(identities.column(getattr(stream, name)))
            identities.extend_ends(getattr(self, f"{name}_end"))

    def _path_ids(self, names: list[str], paths: array, olds: array, ends: list[int]) -> list[int]:
        """Log path ids for the stream's path ids (and -1 -> -1 at the end), new ones given in the order of
        ``append_stream``'s docstring: a path first named by the oldest commit comes first."""
        remap = [-1] * (len(names) + 1)
        get = self.path_index.get
        missing = []
        for sid, name in enumerate(names):
            pid = get(name)
            if pid is None:
                missing.append(sid)
            else:
                remap[sid] = pid
        if not missing:
            return remap
        # the order paths are first named in: each commit's new paths, then its renames' and copies' old paths
        sequence: Iterable[int] = paths
        if olds.count(NO_OLD_PATH) != len(olds):  # renames or copies (-1 is the only other value)
            renamed = [(ends[bisect_right(ends, c)], olds[c]) for c in compress(range(len(olds)), map(ge, olds, repeat(0)))]
            pieces: list[Iterable[int]] = []
            done = 0
            for end, group in groupby(renamed, itemgetter(0)):
                pieces += [paths[done:end], [old for _, old in group]]
                done = end
            pieces.append(paths[done:])
            sequence = chain.from_iterable(pieces)
        todo = set(missing)
        for sid in dict.fromkeys(sequence):
            if sid in todo:
                remap[sid] = self.path_id(names[sid])
        return remap

    def reordered(self, order: list[int]) -> "CommitLog":
        """The same commits in another order (``order``: old positions, oldest first), positions remapped.

        The positions that keep their commit at the start (``kept_prefix``) are copied as they are (a merged branch
        moves only the commits newer than where its first commit lands); the rest is laid out commit by commit."""
        if sorted(order) != list(range(len(self))):
            raise ValueError("not a permutation of the log's positions")
        new_of = [0] * len(order)
        for new, old in enumerate(order):
            new_of[old] = new
        kept = kept_prefix(order)
        out = CommitLog(self.sha_bytes)
        out.paths, out.path_index = list(self.paths), dict(self.path_index)
        n = self.sha_bytes
        # a commit's first parent comes before it in the log, so the kept commits' parents are kept ones too
        changes, credits, names = (self.change_end[kept - 1] if kept else 0, self.credited_end[kept - 1] if kept else 0,
                                   self.interned_end[kept - 1] if kept else 0)
        out.sha += self.sha[:kept * n]
        for name in ("committed", "authored", "author", "first_parent", "change_end", "credited_end", "interned_end"):
            getattr(out, name).extend(getattr(self, name)[:kept])
        out.merge += self.merge[:kept]
        out.change_path.extend(self.change_path[:changes])
        out.change_old.extend(self.change_old[:changes])
        out.change_status += self.change_status[:changes]
        out.credited.extend(self.credited[:credits])
        out.interned.extend(self.interned[:names])
        for old in order[kept:]:
            out.sha += self.sha[old * n:(old + 1) * n]
            out.committed.append(self.committed[old])
            out.authored.append(self.authored[old])
            out.author.append(self.author[old])
            out.merge.append(self.merge[old])
            parent = self.first_parent[old]
            out.first_parent.append(new_of[parent] if parent >= 0 else NO_PARENT)
            span = self.changes_of(old)
            out.change_path.extend(self.change_path[span.start:span.stop])
            out.change_old.extend(self.change_old[span.start:span.stop])
            out.change_status += self.change_status[span.start:span.stop]
            out.change_end.append(len(out.change_path))
            out.credited.extend(self.credited_of(old))
            out.credited_end.append(len(out.credited))
            out.interned.extend(self.interned_of(old))
            out.interned_end.append(len(out.interned))
        out.pull_requests = sorted(((login, new_of[merge], new_of[tip] if tip >= 0 else NO_PARENT)
                                    for login, merge, tip in self.pull_requests), key=lambda pr: pr[1])
        out.merged = dict(sorted((new_of[merge], (new_of[tip] if tip >= 0 else NO_PARENT, pids))
                                 for merge, (tip, pids) in self.merged.items()))
        return out

    def stream_interning_order(self) -> list[int]:
        """Raw identities in the order a stream (newest first) meets them: the order a full read interns them."""
        seen: dict[int, None] = {}
        ends, interned = self.interned_end, self.interned
        for position in range(len(self) - 1, -1, -1):
            start = ends[position - 1] if position else 0
            for raw in interned[start:ends[position]]:
                if raw not in seen:
                    seen[raw] = None
        return list(seen)

    # -- the stored form ----------------------------------------------------------------------

    ARRAYS = ("committed", "authored", "author", "first_parent", "change_end", "change_path", "change_old",
              "credited_end", "credited", "interned_end", "interned")
    BYTES = ("sha", "merge", "change_status")

    def columns(self) -> dict[str, object]:
        """Everything, as arrays and byte strings (for ``ingest.history_state``'s codec)."""
        out: dict[str, object] = {name: getattr(self, name) for name in self.ARRAYS + self.BYTES}
        out["sha_bytes"] = self.sha_bytes
        out["pull_requests"] = [list(pr) for pr in self.pull_requests]
        out["merged"] = [[merge, tip, pids] for merge, (tip, pids) in self.merged.items()]
        out["paths"] = self.paths
        return out

    @classmethod
    def from_columns(cls, data: dict) -> "CommitLog":
        log = cls(int(data["sha_bytes"]))
        for name in cls.ARRAYS:
            value = data[name]
            if not isinstance(value, array) or value.typecode != getattr(log, name).typecode:
                raise TypeError(f"column {name}")
            setattr(log, name, value)
        for name in cls.BYTES:
            value = data[name]
            if not isinstance(value, (bytes, bytearray)):
                raise TypeError(f"column {name}")
            setattr(log, name, bytearray(value))
        log.pull_requests = [(str(login), int(merge), int(tip)) for login, merge, tip in data["pull_requests"]]
        log.merged = {int(merge): (int(tip), [int(pid) for pid in pids]) for merge, tip, pids in data["merged"]}
        log.paths = [str(p) for p in data["paths"]]
        log.path_index = {p: i for i, p in enumerate(log.paths)}
        log.validate()
        return log

    def validate(self) -> None:
        """Raise ValueError when the columns do not fit together (a foreign state; a damaged one fails its checksum)."""
        n = len(self.committed)
        if self.sha_bytes not in (20, 32) or len(self.sha) != n * self.sha_bytes:
            raise ValueError("commit ids")
        for name in ("authored", "author", "merge", "first_parent", "change_end", "credited_end", "interned_end"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"column {name} length")
        changes = self.change_end[-1] if n else 0
        if len(self.change_path) != changes or len(self.change_old) != changes or len(self.change_status) != changes:
            raise ValueError("changes")
        if len(self.credited) != (self.credited_end[-1] if n else 0) or len(self.interned) != (self.interned_end[-1] if n else 0):
            raise ValueError("identities")
        if any(not (0 <= merge < n and NO_PARENT <= tip < n) for _, merge, tip in self.pull_requests):
            raise ValueError("pull requests")
        paths = len(self.paths)
        if any(not (0 <= merge < n and NO_PARENT <= tip < n) or any(not 0 <= pid < paths for pid in pids)
               for merge, (tip, pids) in self.merged.items()):
            raise ValueError("merged requests")

