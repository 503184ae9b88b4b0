"""The commits of a history, as the stream gives them and as Cairn remembers them.

``CommitRecord`` is one commit as ``history.mine_history`` reads it (and hands
its observers, in stream order: newest first). ``CommitLog`` keeps every
commit of the history in columns, **oldest first** (the reverse of the
stream), so that a later ingest that reads only the new commits appends them
at the end and no remembered position moves: a commit's position is its
identity inside the log (first parents and pull-request tips are positions).

The change analyses (``ingest.cochange``, ``ingest.trend_history``) read the
log; ``ingest.history_state`` stores it (``columns`` / ``from_columns``: plain
arrays, packed as base64 in the state's JSON). Identities are raw indexes
into the history's interned identities (``knowledge.History.identity_person``
maps them to people); paths are indexes into ``paths``.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Callable, Iterator

#: the first parent of a root commit (or of one whose parent is outside the history)
NO_PARENT = -1


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


class CommitLog:
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
        """The position of a commit, by its id (an index over every commit, built on first use)."""
        try:
            key = bytes.fromhex(sha)
        except ValueError:
            return None
        if len(key) != self.sha_bytes:
            return None
        index = self._sha_index
        if index is None:
            n, raw = self.sha_bytes, bytes(self.sha)
            index = self._sha_index = {raw[i:i + n]: i // n for i in range(0, len(raw), n)}
        return index.get(key)

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

    def first_parent_chain(self, start: int | None = None) -> Iterator[int]:
        """Positions along first parents from ``start`` (default: the newest commit, HEAD)."""
        position = len(self) - 1 if start is None else start
        seen: set[int] = set()
        while position >= 0 and position not in seen:
            seen.add(position)
            yield position
            position = self.first_parent[position]

    # -- writing ----------------------------------------------------------------------------

    def path_id(self, path: str) -> int:
        pid = self.path_index.get(path)
        if pid is None:
            pid = self.path_index[path] = len(self.paths)
            self.paths.append(path)
        return pid

    def append_stream(self, records: list[CommitRecord], resolve_parent: Callable[[str], int | None] | None = None) -> None:
        """Append commits read newest first (a stream, reversed here): they are newer than every remembered one.

        A parent outside ``records`` is looked up among the remembered commits (``resolve_parent``, default
        ``position_of``); one found nowhere is NO_PARENT.
        """
        base = len(self)
        if not records:
            return
        width = self.sha_bytes
        new_positions = {r.sha: base + i for i, r in enumerate(reversed(records))}
        last = self.sha_of(base - 1) if base else None
        slow = resolve_parent or self.position_of

        def lookup(sha: str) -> int | None:  # usually the newest remembered commit: no index of every commit needed
            return base - 1 if sha == last else slow(sha)

        path_id, known = self.path_id, self.path_index.get
        last_change = self.change_end[-1] if base else 0
        last_credit = self.credited_end[-1] if base else 0
        last_interned = self.interned_end[-1] if base else 0
        for record in reversed(records):
            position = len(self.committed)
            raw = bytes.fromhex(record.sha)
            if len(raw) != width:
                raise ValueError(f"commit id {record.sha!r} is not {width * 2} hex digits")
            self.sha += raw
            if self._sha_index is not None:
                self._sha_index[raw] = position
            self.committed.append(record.committed)
            self.authored.append(record.authored)
            self.author.append(record.author)
            self.merge.append(1 if len(record.parents) > 1 else 0)
            parent = NO_PARENT
            if record.parents:
                found = new_positions.get(record.parents[0])
                if found is None:
                    found = lookup(record.parents[0])
                parent = NO_PARENT if found is None else found
            self.first_parent.append(parent)
            if record.changes:
                pids = [known(path) for _, path, _ in record.changes]
                if None in pids:
                    pids = [path_id(path) for _, path, _ in record.changes]
                self.change_path.extend(pids)
                self.change_old.extend([-1 if old is None else path_id(old) for _, _, old in record.changes])
                self.change_status.extend([ord(status) for status, _, _ in record.changes])
            last_change += len(record.changes)
            self.change_end.append(last_change)
            self.credited.extend(record.credited)
            last_credit += len(record.credited)
            self.credited_end.append(last_credit)
            self.interned.extend(record.interned)
            last_interned += len(record.interned)
            self.interned_end.append(last_interned)
            if record.pull_request is not None and len(record.parents) > 1:
                tip = new_positions.get(record.parents[1])
                if tip is None:
                    tip = lookup(record.parents[1])
                self.pull_requests.append((record.pull_request, position, NO_PARENT if tip is None else tip))

    def reordered(self, order: list[int]) -> "CommitLog":
        """The same commits in another order (``order``: old positions, oldest first), positions remapped."""
        if sorted(order) != list(range(len(self))):
            raise ValueError("not a permutation of the log's positions")
        new_of = [0] * len(order)
        for new, old in enumerate(order):
            new_of[old] = new
        out = CommitLog(self.sha_bytes)
        out.paths, out.path_index = list(self.paths), dict(self.path_index)
        n = self.sha_bytes
        for old in order:
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

