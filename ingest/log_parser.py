"""Reading ``git log -z`` output (``history_stream``) into a history's totals and commit columns: ``LogParser``.

The stream is NUL-separated tokens: a commit's header (``\\x1e``, then the
``\\x1f``-separated fields of ``history_stream.LOG_FORMAT``), then its changes,
each a status token (``M``, ``A``, ``D``, ``T``…; ``R`` or ``C`` with a score,
followed by the old path) and the path. What the tokens mean is what a
token-by-token reading gives (``LogParser._tokens``): a token is a header when
it starts with ``\\x1e`` and stands where no path is due; a status token's
first line break is dropped (git writes one before a commit's first change).

Most of the text is read a commit at a time instead, with the same meaning:
the text is cut where a header starts (``"\\0\\x1e"``), and a commit whose
changes are the plain alternation of one-letter statuses (no rename or copy)
and paths is taken in whole lists: its paths looked up in one ``map``, its
columns extended at once, its records touched in one tight loop. Anything else
(renames, a path that starts with ``\\x1e``, the part of a commit before the end
of the text) is read token by token. The text of the last commit of a chunk
is kept until a header follows it or the stream ends (a commit longer than
``TAIL_LIMIT`` is read token by token as it comes, so memory stays bounded).

What is recorded from the tokens is ``history``'s business (its module
docstring): records per path and identity, renames, counts, and the commits
themselves (``commits.StreamColumns``).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from itertools import combinations, compress, repeat
from typing import Callable

from cairn.graph.people import surname_initial
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.break_renames import BreakRenames, deleted_and_modified, move_paths, replaced_path, rewritten
from cairn.ingest.commits import CommitLog, CommitObserver, StreamColumns
from cairn.ingest.history_state import LogCounts
from cairn.ingest.identities import AGENT, HUMAN, Identities, co_author_is_author, is_placeholder_address
from cairn.ingest.knowledge import ADDS, DELIVERIES, LAST, REVIEWS
from cairn.ingest.lazy_pattern import LazyPattern
from cairn.ingest.trailers import CO_AUTHOR_KEYS, trailer_contact

#: an unfinished commit's text longer than this is read token by token instead of being kept whole
TAIL_LIMIT = 1 << 22
#: deliveries left uncounted (``LogParser._segments``) before they are counted into their records: a list entry each
UNCOUNTED_LIMIT = 1 << 18
_NO_OLD_RUN = 1024
_NO_OLD_PATHS = array("i", [-1]) * _NO_OLD_RUN  # a slice of it extends the old-path column at C speed
#: a status token read a commit at a time: one ASCII letter, not a rename's or copy's (a commit's first one follows
#: a line break); anything else is read token by token
_STATUS = frozenset(chr(c) for c in range(128) if chr(c) not in "\nRC")
_FIRST_STATUS = frozenset("\n" + letter for letter in _STATUS)
_RENAMED = ord("R")
_SLOTS = {"A": ADDS, "M": DELIVERIES}  # the record slot a change counts in (the reference's: additions and deliveries)
_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # a commit's id, SHA-1 or SHA-256

_PULL_REQUEST = LazyPattern(r"^Merge pull request #\d+ from ([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/")
#: the subject GitHub gives a pull request it squashes or rebases: "Fix the parser (#1234)"
_SQUASHED = LazyPattern(r"\(#\d+\)$")
if (ADDS, DELIVERIES, LAST, REVIEWS) != (0, 1, 2, 3):  # the records' literal layout below: [adds, deliveries, last, reviews]
    raise ImportError("knowledge's record layout changed: update log_parser")

#: the statuses that make a file at their path: an add, a rename or copy onto it
_CREATED = frozenset(map(ord, "ARC"))


def created_again(log: CommitLog, new: StreamColumns) -> list[str]:
    """The paths the commits ``new`` (read on top of ``log``) make a file at that ``log`` has as a rename's old path
    (renamed away, never made again since: ``LogParser._settle_renames`` would have named it otherwise). A full read
    gives the remembered changes of such a path to the file renamed away: not a read that adds ``new`` to them."""
    names = {new.paths[pid] for pid in compress(new.change_path, map(_CREATED.__contains__, new.change_status))}
    known = [log.path_index[name] for name in names if name in log.path_index]
    if not known:
        return []
    olds = set(log.change_old) if len(known) > 8 else log.change_old  # (one pass over them, or a few searches in C)
    return sorted(log.paths[pid] for pid in known if pid in olds)


class LogParser:
    """The state of reading one repository's log, fed with chunks of ``git log -z`` output.

    ``max_coauthors``: a commit with more ``Co-authored-by`` trailers than this
    (a squash of a long-lived branch) gives its co-authors no review credit.
    ``max_commit_files``: a commit that modifies or renames more files than this
    (a sweep) counts none of those changes in any record; its additions count.
    What it gathers are the totals of the commits it read (``history_state.LogTotals``
    adds them to remembered ones) and the commits themselves (``read``: ``commits.StreamColumns``,
    in stream order, written as they are read; observers get ``CommitRecord`` s when a git process ends).
    Everything read is in place once ``end_stream`` returned.
    """

    ids: Identities
    max_coauthors: int
    max_commit_files: int
    progress: Callable[[int], None] | None
    #: finds agents named in commit messages (``ingest.agent_markers``); None: messages are not searched
    markers: MarkerMatcher | None
    #: called with every commit's ``CommitRecord`` (see ``history``'s module docstring)
    observer: CommitObserver | None
    #: asks git about the commits that may move a file onto an existing path (``break_renames``); None: not asked
    breaks: BreakRenames | None
    replaced: list[str]  # the paths (as git names them) another file was moved onto, in the commits read
    reused: list[str]  # the paths renamed away where a newer commit read made another file (``_settle_renames``)
    #: by the stream's path id (``read.paths``): per raw identity [adds, deliveries, newest touch, reviews]
    records: dict[int, dict[int, list[int]]]
    renames: set[tuple[int, int]]  # (old, new) stream path ids
    counts: LogCounts
    read: StreamColumns
    # the position inside the stream, carried from one chunk to the next
    _author: int
    _when: int
    _credit: bool
    _reviewers: list[int]
    _pending: int  # path tokens due: 2 (a rename's or copy's old and new path), 1, or 0
    _status: str
    _old_path: str
    _rest: str  # text not read yet: the last commit's, or the end of a token
    _observed: int  # commits handed to the observer so far
    _forward: bool  # the last commit's changes were appended in git's order (``_tokens``), not last first
    #: the changes of the commit read token by token (``_tokens``), (path id, record slot) each, and its author, time
    #: and reviewers: counted in its records once the commit is over (``_touch_held``), when it is known not a sweep
    _held: list[tuple[int, int]]
    _held_by: tuple[int, int, list[int]]
    #: the renames of that commit, (old, new) stream path ids: settled with its changes (``_settle_renames``)
    _held_renames: list[tuple[int, int]]
    #: stream path ids a rename (or copy) made: a file was created there by a newer commit (adds: in ``records``)
    _born: set[int]
    #: stream path id -> the commit that made a file there last read (the oldest of those newer than the commit read):
    #: whether a path made again after its file was renamed away is a copy of it (``_settle_renames``)
    _made_at: dict[int, str]
    _git_path: dict[int, str]  # the path git names, of the stream path ids ``_settle_renames`` made
    #: the records kept in two parts while reading (see ``_segments``): per raw identity, paths it has a record for
    #: (some of them), deliveries not counted into those records yet, and the oldest author time of a commit that
    #: credited it (its author, or a reviewer)
    _known: dict[int, set[int]]
    _uncounted: dict[int, list[int]]
    _oldest: dict[int, int]
    _seen: set[str] | None
    _seen_upto: int
    _uncounted_n: int  # the deliveries in ``_uncounted``: counted in once there are ``UNCOUNTED_LIMIT``
    #: finds any of ``MarkerMatcher.keywords`` in a lower-cased message: ``agents_in`` searches no message without
    #: one (one search instead of a test per keyword; case-insensitive matching would be slower than lowering)
    _keywords: re.Pattern[str] | None

    def __init__(self, ids: Identities, max_coauthors: int = 5, progress: Callable[[int], None] | None = None,
                 markers: MarkerMatcher | None = None, observer: CommitObserver | None = None,
                 max_commit_files: int = 100, breaks: BreakRenames | None = None) -> None:
        self.ids = ids
        self.breaks = breaks
        self.replaced = []
        self.reused = []
        self.max_coauthors = max_coauthors
        self.max_commit_files = max_commit_files
        self.progress = progress
        self.markers = markers
        self.observer = observer
        self.records = {}
        self.renames = set()
        self.counts = LogCounts()
        self.read = StreamColumns()
        self._author = self._when = 0
        self._credit = False
        self._reviewers = []
        self._pending = 0
        self._status = self._old_path = self._rest = ""
        self._observed = 0
        self._forward = False
        self._held = []
        self._held_by = (0, 0, [])
        self._held_renames = []
        self._born = set()
        self._made_at = {}
        self._git_path = {}
        self._known = {}
        self._uncounted = {}
        self._oldest = {}
        self._seen = None
        self._seen_upto = self._uncounted_n = 0
        self._keywords = None
        if markers is not None and markers.keywords:
            self._keywords = re.compile("|".join(map(re.escape, markers.keywords)))

    @property
    def seen(self) -> set[str]:
        """The ids of the commits read (made when first asked: only a read resuming past missing objects asks; 300,000
        commits make a set of 8 MB), kept up to date from then on."""
        shas = self.read.shas
        if self._seen is None or self._seen_upto > len(shas):
            self._seen, self._seen_upto = set(), 0
        self._seen.update(shas[self._seen_upto:])
        self._seen_upto = len(shas)
        return self._seen

    def start_stream(self) -> None:
        """A new git process: nothing of the previous one's position carries over."""
        self._credit, self._pending, self._rest, self._reviewers = False, 0, "", []
        if self._forward:
            self.read.reverse_last_changes()
            self._forward = False
            self._touch_held()

    def feed(self, chunk: str) -> None:
        """Read the commits ``chunk`` completes (the last one waits for the header after it or for ``end_stream``)."""
        text = self._rest + chunk if self._rest else chunk
        segments = text.split("\0\x1e")
        if len(segments) == 1:  # no header starts here
            if len(text) > TAIL_LIMIT:
                end = text.rfind("\0")
                if end >= 0:
                    self._segments([text[:end]], whole=False)
                    text = text[end + 1:]
            self._rest = text
            return
        self._rest = "\x1e" + segments.pop()  # the last commit: it may go on in the next chunk
        if self.breaks is not None:
            self._ask_about_moves(segments)
        self._segments(segments)

    def end_stream(self) -> None:
        """The git process is over: its last commit is complete (the observer gets its commits).

        The stream ends with a NUL (``history_stream._run`` feeds one after git's output): what follows the
        last NUL is not a token."""
        rest, self._rest = self._rest, ""
        end = rest.rfind("\0")
        if end >= 0:
            if self.breaks is not None:
                self._ask_about_moves([rest[:end]])
            self._segments([rest[:end]])
        if self._forward:
            self.read.reverse_last_changes()
            self._forward = False
            self._touch_held()
        if self.breaks is not None:
            self.breaks.close()  # (a read resumed past missing objects starts another when it asks)
        self._count_deliveries()
        if self.observer is not None:
            for index in range(self._observed, len(self.read)):
                self.observer(self.read.record(index))
        self._observed = len(self.read)

    # -- a commit at a time ------------------------------------------------------------------------

    def _segments(self, segments: list[str], whole: bool = True) -> None:
        """Read text cut where headers start: every segment but the first followed a ``"\\0\\x1e"``; the first is
        a commit when it starts with ``\\x1e``, else the rest of the commit read before. Not ``whole``: the last
        segment's commit goes on in the text to come (its changes are read token by token)."""
        first = segments[0]
        author, when, credit, reviewers = self._author, self._when, self._credit, self._reviewers
        if first[:1] == "\x1e" and not self._pending:
            segments[0] = first[1:]
        else:
            self._tokens(first.split("\0"), author, when, credit, reviewers)
            del segments[0]
        if not segments:
            return
        partial = None if whole else segments[-1]
        ids, counts, read, records = self.ids, self.counts, self.read, self.records
        id_get, from_trailer, kinds, weights, intern = ids.index.get, ids.from_trailer, ids.kinds, ids.weights, ids.intern
        last_active, commits_by, committer_seen = counts.last_active, counts.commits_by, counts.committer_seen
        records_get = records.get
        path_index, path_names = read.path_index, read.paths
        path_get = path_index.get
        change_path, credited, interned = read.change_path, read.credited, read.interned
        add_paths, add_olds, add_statuses = change_path.extend, read.change_old.extend, read.change_status.extend
        add_sha, add_parents, add_author = read.shas.append, read.parents.append, read.author.append
        add_authored, add_committed = read.authored.append, read.committed.append
        add_change_start, add_credited_start = read.change_start.append, read.credited_start.append
        add_interned_start, add_interned = read.interned_start.append, interned.append
        keywords, progress = self._keywords, self.progress
        max_commit_files = self.max_commit_files
        read_before = len(read.shas)
        authored_by: list[int] = []  # the authors of the other commits read here
        known, uncounted, oldest = self._known, self._uncounted, self._oldest
        known_get, oldest_get = known.get, oldest.get
        pending = self._pending
        waiting = self._uncounted_n
        for segment in segments:
            if pending:  # a path due, one that starts with \x1e: not a header
                self._tokens(("\x1e" + segment).split("\0"), author, when, credit, reviewers)
                pending = self._pending
                continue
            if self._forward:  # the commit before was read token by token
                read.reverse_last_changes()
                self._forward = False
                self._touch_held()
            head, _, body = segment.partition("\0")
            fields = head.split("\x1f", 10)
            if len(fields) < 10:  # not a header git wrote whole: its changes are not recorded
                credit = False
                if body:
                    self._tokens(body.split("\0"), author, when, credit, reviewers)
                    pending = self._pending
                continue
            message = fields.pop() if len(fields) > 10 else ""
            sha, parents, a_name, a_email, a_time, c_name, c_email, c_time, subject, trailers = fields
            author = id_get((a_name, a_email))
            if author is None or from_trailer[author]:
                author = intern(a_name, a_email)
            when = int(a_time or 0)
            committed = int(c_time or 0)
            if when > last_active.get(author, -1):
                last_active[author] = when
            if c_name != a_name or c_email != a_email:
                if c_name == a_name and c_email.lower() != a_email.lower():  # one person's two addresses (rule 19)
                    counts.self_committed.add((author, c_name, c_email))
                key = (c_name, c_email)
                if committed > committer_seen.get(key, -1):
                    committer_seen[key] = committed
            if " " in parents and subject.startswith("Merge pull request #"):
                match = _PULL_REQUEST.match(subject)
                if match:
                    read.pull_requests[len(read.shas)] = match.group(1).lower()
            add_sha(sha)
            add_parents(parents)
            add_author(author)
            add_authored(when)
            add_committed(committed)
            add_change_start(len(change_path))
            add_credited_start(len(credited))
            add_interned_start(len(interned))
            if " " in parents:  # a merge: no changes (--no-diff-merges), no authorship
                counts.merges += 1
                credit = False
                add_interned(author)
                if body:
                    self._tokens(body.split("\0"), author, when, credit, reviewers)
                    pending = self._pending
                continue
            credit = True
            authored_by.append(author)
            previous = oldest_get(author)  # (None: no record credits the author yet)
            if previous is None or when < previous:
                oldest[author] = when
            if "@" not in a_email or "." not in a_email and is_placeholder_address(a_email):
                counts.bad_email += 1
            if subject.endswith(")") and _SQUASHED.search(subject):
                counts.squash_merged += 1
            if kinds[author] != HUMAN or trailers or (message and keywords is not None and keywords.search(message.lower())):
                reviewers, named = self._credit_of(author, committed, (a_name, a_email) != (c_name, c_email),
                                                   c_name, c_email, trailers, message)
                credited.extend(reviewers)
                interned.extend(named)
                for reviewer in reviewers:
                    if when < oldest_get(reviewer, when + 1):
                        oldest[reviewer] = when
            else:
                reviewers = []
                add_interned(author)
            if progress is not None:
                done = counts.commits + len(read.shas) - read_before
                if done % 1000 == 0:
                    progress(done)
            if not body:
                continue
            tokens = body.split("\0")
            if (self.breaks is not None and segment is not partial and ("\0D\0" in body or body[:3] == "\nD\0")
                    and ("\0M\0" in body or body[:3] == "\nM\0") and self._moved(sha, tokens, author, when, reviewers)):
                pending = self._pending
                continue
            statuses = tokens[0::2]
            first = statuses[0]
            # the plain alternation: "\nX" then one letter per status token, no rename or copy (else token by token)
            if segment is partial or len(tokens) & 1 or first not in _FIRST_STATUS:
                self._tokens(tokens, author, when, credit, reviewers)
                pending = self._pending
                continue
            statuses[0] = first[1]
            if not _STATUS.issuperset(statuses):
                self._tokens(tokens, author, when, credit, reviewers)
                pending = self._pending
                continue
            letters = "".join(statuses)
            paths = tokens[1::2]
            pids = list(map(path_get, paths))
            if None in pids:
                for i, pid in enumerate(pids):
                    if pid is None:
                        path = paths[i]
                        pid = path_get(path)
                        if pid is None:
                            pid = path_index[path] = len(path_names)
                            path_names.append(path)
                        pids[i] = pid
            if "A" in letters:
                made_at, sha_now = self._made_at, sha
                for pid, letter in zip(pids, letters):
                    if letter == "A":
                        made_at[pid] = sha_now
            add_paths(pids[::-1])  # stored last first (``StreamColumns``)
            add_olds(_NO_OLD_PATHS[:len(pids)] if len(pids) <= _NO_OLD_RUN else repeat(-1, len(pids)))
            add_statuses(letters[::-1].encode())
            sweep = len(pids) > max_commit_files and letters.count("M") > max_commit_files
            if sweep:  # its modifications deliver knowledge to nobody (``max_commit_files``); additions still count
                counts.sweeps += 1
            if reviewers:  # review credit too (trailers, an agent's committer): change by change
                for pid, letter in zip(pids, letters):
                    if letter == "A" or (letter == "M" and not sweep):  # D, T…: not part of the reference's record
                        self._touch(pid, DELIVERIES if letter == "M" else ADDS, author, when, reviewers)
                continue
            delivered_only = letters.count("M") == len(letters)
            if delivered_only and sweep:
                continue
            if delivered_only and (previous is None or when <= previous):  # most commits
                # no record of the author's has an older newest touch than this commit (none credited the author in
                # an older commit): records made where missing, deliveries counted later, all at once
                mine = known_get(author)
                if mine is None:
                    mine = known[author] = set()
                    uncounted[author] = []
                if not mine.issuperset(pids):
                    for pid in [pid for pid in pids if pid not in mine]:
                        per_path = records_get(pid)
                        if per_path is None:
                            records[pid] = {author: [0, 0, when, 0]}
                        elif author not in per_path:
                            per_path[author] = [0, 0, when, 0]
                    mine.update(pids)
                uncounted[author].extend(pids)
                waiting += len(pids)
                continue
            for pid, letter in zip(pids, letters):
                slot = _SLOTS.get(letter)  # D, T…: not part of the reference's record
                if slot is None or (sweep and slot == DELIVERIES):
                    continue
                per_path = records_get(pid)
                if per_path is None:
                    records[pid] = {author: [1 - slot, slot, when, 0]}  # [adds, deliveries, newest touch, reviews]
                    continue
                rec = per_path.get(author)
                if rec is None:
                    per_path[author] = [1 - slot, slot, when, 0]
                    continue
                rec[slot] += 1
                if when > rec[LAST]:
                    rec[LAST] = when
        shas = read.shas
        counts.commits += len(shas) - read_before
        self._uncounted_n = waiting
        if waiting >= UNCOUNTED_LIMIT:  # (git's output read ahead on disk, the parser rarely waits for it: ``idle``)
            self._count_deliveries()
        # what every commit read here adds up to (sums and maxima: counted at once)
        for raw, n in Counter(read.author[read_before:]).items():
            weights[raw] += n
        for raw, n in Counter(authored_by).items():
            commits_by[raw] = commits_by.get(raw, 0) + n
        if len(shas) > read_before:
            counts.newest = max(counts.newest, max(read.committed[read_before:]), max(read.authored[read_before:]))
        self._author, self._when, self._credit, self._reviewers = author, when, credit, reviewers

    def idle(self) -> None:
        """What can be done while git has not written more (``history_stream`` calls it): the deliveries read so far
        are counted (sums: counting them in pieces gives the totals counting them at the end gives)."""
        self._count_deliveries()

    def _count_deliveries(self) -> None:
        """Count the deliveries left uncounted (``_segments``) into their records."""
        records = self.records
        for author, pids in self._uncounted.items():
            if pids:
                for pid, n in Counter(pids).items():
                    records[pid][author][DELIVERIES] += n
                pids.clear()
        self._uncounted_n = 0

    def _touch_held(self) -> None:
        """Count the changes of the commit read token by token in its records, its modifications and renames only if
        there are at most ``max_commit_files`` of them (more: a sweep, see the class docstring)."""
        held = self._held
        if not held:
            return
        if self._held_renames:
            self._settle_renames()
        author, when, reviewers = self._held_by
        sweep = len(held) > self.max_commit_files and sum(slot == DELIVERIES for _, slot in held) > self.max_commit_files
        if sweep:
            self.counts.sweeps += 1
        for pid, slot in held:
            if not (sweep and slot == DELIVERIES):
                self._touch(pid, slot, author, when, reviewers)
        held.clear()

    def _settle_renames(self) -> None:
        """Record the renames of the commit just read (its changes are the last ones of ``read``).

        A rename of a path where a newer commit created a file again (added it, or renamed or copied another onto it;
        this commit too) ends that name's older file here: the file renamed away is recorded under
        ``replaced_path(old, commit)``, in this commit's rename and from here on (older commits), so that only its own
        history passes to the new name and the later file's stays with the path (bat's ``src/config.rs``, renamed to
        ``src/bin/bat/config.rs`` in 2019 and written anew in 2020). A path renamed away and never created again (or
        only changed since, on a branch) stays one name, its changes all passing to the new name; so does one made again
        as a copy of the file renamed away (``BreakRenames.copied``: flask's ``src/flask/app.py``, made again from
        ``sansio/app.py``, whose history ``git log --follow`` goes on with)."""
        read, records, born = self.read, self.records, self._born
        added = {pid for pid, slot in self._held if slot == ADDS}  # this commit's adds (counted after this)
        ended: dict[int, int] = {}  # the old path ids whose file ends here -> the id it is logged under
        for old, new in self._held_renames:
            if old in born or old in added or any(rec[ADDS] for rec in records.get(old, {}).values()):
                name = self._git_path.get(old) or read.paths[old]
                made = read.shas[-1] if old in added else self._made_at.get(old)
                if made is not None and self.breaks is not None \
                        and self.breaks.copied(made, name, self._git_path.get(new) or read.paths[new]):
                    self.renames.add((old, new))  # made again as a copy of the renamed file: one history, as --follow
                    continue
                earlier = ended[old] = read.path_id(replaced_path(name, read.shas[-1]))
                self._git_path[earlier] = name
                read.path_index[name] = earlier
                self.reused.append(name)
                old = earlier
            self.renames.add((old, new))
        self._held_renames.clear()
        if ended:  # this commit's renames read from the earlier files
            olds, statuses = read.change_old, read.change_status
            for c in range(read.change_start[-1], len(olds)):
                if olds[c] in ended and statuses[c] == _RENAMED:
                    olds[c] = ended[olds[c]]

    def _touch(self, pid: int, slot: int, author: int, when: int, reviewers: list[int]) -> None:
        """A change of path ``pid`` counted (``slot``) for its author, and review credit for ``reviewers``."""
        per_path = self.records.get(pid)
        if per_path is None:
            per_path = self.records[pid] = {}
        for who, where in [(author, slot), *[(reviewer, REVIEWS) for reviewer in reviewers]] if reviewers else ((author, slot),):
            rec = per_path.get(who)
            if rec is None:
                per_path[who] = rec = [0, 0, when, 0]
            rec[where] += 1
            if when > rec[LAST]:
                rec[LAST] = when

    def _ask_about_moves(self, segments: list[str]) -> None:
        """Have git look, while ``segments`` (whole commits, as ``_segments`` takes them) are read, at those of their
        commits that ``_moved`` will ask about (the same test, on the text: asking about more costs time only)."""
        candidates = []
        limit = self.max_commit_files
        find, starts = str.find, str.startswith
        for segment in segments:
            at = find(segment, "\0")  # (the commit's header ends there; searched in place, not copied: 300k commits)
            if at >= 0 and (find(segment, "\0D\0", at) >= 0 or starts(segment, "\nD\0", at + 1)) \
                    and (find(segment, "\0M\0", at) >= 0 or starts(segment, "\nM\0", at + 1)):
                paths = move_paths(*deleted_and_modified(segment[at + 1:].split("\0")), limit)
                sha = segment[:at].lstrip("\x1e").partition("\x1f")[0]
                if paths and _COMMIT_ID.fullmatch(sha):  # (the first segment may go on with a commit begun before)
                    candidates.append((sha, paths))
        self.breaks.ask(candidates)  # type: ignore[union-attr]

    def _moved(self, sha: str, tokens: list[str], author: int, when: int, reviewers: list[int]) -> bool:
        """Read a commit that deletes a path and modifies another with its moves onto existing paths as renames
        (``break_renames``); False (nothing read) when it has none. From here on (older commits) a replaced path names
        the file it replaced."""
        deleted, modified = deleted_and_modified(tokens)
        if not move_paths(deleted, modified, self.max_commit_files):
            return False
        moves = self.breaks.moves(sha, deleted, modified)  # type: ignore[union-attr]
        if not moves:
            return False
        self._tokens(rewritten(tokens, moves, sha), author, when, True, reviewers)
        index = self.read.path_index
        for path in moves:
            index[path] = index[replaced_path(path, sha)]
            self._git_path[index[path]] = path
            self.replaced.append(path)
        return True

    # -- a token at a time -------------------------------------------------------------------------

    def _tokens(self, tokens: list[str], author: int, when: int, credit: bool, reviewers: list[int]) -> None:
        """Read a run of whole change tokens of one commit (by ``author`` at ``when``; recorded when ``credit``),
        from the position the last one left. (A header never reaches here: a token that starts with \\x1e where no
        path is due starts a segment.)"""
        read, born, hold_rename = self.read, self._born, self._held_renames.append
        path_index, path_names = read.path_index, read.paths
        add_path, add_old, add_status = read.change_path.append, read.change_old.append, read.change_status.append
        pending, status, old_path = self._pending, self._status, self._old_path
        hold = self._held.append
        if credit:
            if not self._forward:
                self._held_by = (author, when, reviewers)
            self._forward = True  # changes appended in git's order: reversed once the commit is over
        for tok in tokens:
            if pending:
                if pending == 2:
                    old_path = tok
                    pending = 1
                    continue
                pending = 0
                if not credit:
                    continue
                pid = path_index.get(tok)
                if pid is None:
                    pid = path_index[tok] = len(path_names)
                    path_names.append(tok)
                add_path(pid)
                add_status(ord(status))
                if status in "RC":
                    old = path_index.get(old_path)
                    if old is None:
                        old = path_index[old_path] = len(path_names)
                        path_names.append(old_path)
                    add_old(old)
                else:
                    add_old(-1)
                if status in "RC":
                    born.add(pid)
                if status in "ARC":
                    self._made_at[pid] = read.shas[-1]
                if status == "R":
                    hold_rename((old, pid))
                    hold((pid, DELIVERIES))
                elif status == "M":
                    hold((pid, DELIVERIES))
                elif status == "A":
                    hold((pid, ADDS))
                # D, T, C…: not part of the reference's record
                continue
            if not tok:
                continue
            first = tok[0]
            if first == "\n":
                tok = tok[1:]
                if not tok:
                    continue
                first = tok[0]
            status = first
            pending = 2 if first in "RC" else 1
        self._pending, self._status, self._old_path = pending, status, old_path

    # -- who gets credit ---------------------------------------------------------------------------

    def _credit_of(self, author: int, committed: int, other_committer: bool, c_name: str, c_email: str,
                   trailers: str, message: str) -> tuple[list[int], list[int]]:
        """A non-merge commit's review credit and every identity it names (the author first), when its author is
        not human, it has trailers, or its message may name an agent."""
        reviewers: list[int] = []
        named = [author]
        intern, counts = self.ids.intern, self.counts
        kind = self.ids.kinds[author]
        if kind != HUMAN:
            if kind == AGENT:
                counts.agent_commits += 1
                if other_committer:
                    committer = intern(c_name, c_email)
                    reviewers.append(committer)
                    named.append(committer)
            else:
                counts.bot_commits += 1
        if trailers:
            reviewers = self._trailer_credit(trailers, author, committed, reviewers, named)
        keywords = self._keywords
        if message and keywords is not None and keywords.search(message.lower()):
            for name, email in self.markers.agents_in(message, self._classified_agent):  # type: ignore[union-attr]
                person = intern(name, email, trailer=True)
                if person not in named:
                    named.append(person)
                if person != author and person not in reviewers:
                    reviewers.append(person)
                    self.ids.weights[person] += 1
                    if committed > counts.last_active.get(person, -1):
                        counts.last_active[person] = committed
        return reviewers, named

    def _classified_agent(self, name: str, email: str) -> bool:
        """Whether the identity classifier calls whom an ``Assisted-by`` trailer names an agent (``agent_markers``)."""
        return self.ids.classifier.kind(name, email) == AGENT

    def _trailer_credit(self, trailers: str, author: int, committed: int, reviewers: list[int],
                        interned: list[int]) -> list[int]:
        """Who gets review credit from a commit's trailers (co-authors of a squash excepted). A co-author who is the
        author under another identity (``identities.co_author_is_author``) is named (its address is the author's
        too), not credited — writing one's own commit is no review — nor counted towards a squash."""
        parsed = []
        co_authors = 0
        written_as = self.ids.raw[author]
        for trailer in trailers.split("\x1d"):
            key, _, value = trailer.partition("\x1c")
            contact = trailer_contact(value)
            if contact is None:
                continue
            is_co_author = key.strip().lower() in CO_AUTHOR_KEYS
            oneself = is_co_author and co_author_is_author(contact, written_as)
            co_authors += is_co_author and not oneself
            parsed.append((contact, is_co_author, oneself))
        squash = co_authors > self.max_coauthors
        if squash:
            self.counts.squashes_without_credit += 1
        writers = [author]
        for (name, email), is_co_author, oneself in parsed:
            person = self.ids.intern(name, email, trailer=True)
            if person not in interned:
                interned.append(person)
            if is_co_author and person not in writers:
                writers.append(person)
            if person == author or person in reviewers or oneself:
                continue
            self.ids.weights[person] += 1
            if committed > self.counts.last_active.get(person, -1):
                self.counts.last_active[person] = committed
            if not (squash and is_co_author):
                reviewers.append(person)
        if len(writers) > 1:
            self._count_co_named(writers)
        return reviewers

    def _count_co_named(self, writers: list[int]) -> None:
        """Keep the pairs of a commit's author and co-authors (``writers``) of which one is named with a surname's
        initial (``graph.people.surname_initial``) or one word (rules 16 and 20 of identity resolution read them)."""
        raw, co_named = self.ids.raw, self.counts.co_named
        for a, b in combinations(sorted(writers), 2):
            if (surname_initial(raw[a][0]) or surname_initial(raw[b][0]) or " " not in raw[a][0].strip()
                    or " " not in raw[b][0].strip()):
                co_named.add((a, b))
