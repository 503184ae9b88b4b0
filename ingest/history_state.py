"""What Cairn remembers of a repository's history between ingests, so a re-ingest reads only the new commits.

One file per repository in Cairn's cache directory (``history-<digest of
the repository's path>.state``), written atomically
(``cairn.graph.atomic.write_atomic``): a versioned JSON document (data only,
never a pickle; its arrays of numbers follow it as raw bytes, see below) with

* ``head``: the last mined commit, and the fingerprint of everything that
  decides what mining makes of a commit (``mining_fingerprint``): the code
  that mines (a digest of its modules, so a new Cairn mines afresh), git's
  version, ``.mailmap``, ``[identities]``, ``[[people]]``,
  ``thresholds.max_coauthors``, ``thresholds.max_commit_files`` and the agent markers;
* the identities as the stream spelled them (before ``.mailmap`` of trailers
  and resolution into people: resolution runs again on every ingest, so a new
  alias that merges two people applies to old commits as a full read would),
  their commit counts and the order a full read meets them;
* the log's running totals (``LogTotals``): per path and identity adds,
  deliveries, last touch and review credit (``knowledge.RecordTable``),
  renames, committers, counters, and the pairs of a commit's writers (author
  and co-authors) one of them named with a surname's initial or a one-word name (``co_named``), and the
  authors committed under their name at another address (``self_committed``);
* every commit, in columns (``commits.CommitLog``);
* the change analyses' remembered results (``analyses``: see
  ``ingest.cochange``), each with the settings and mapping it was computed
  under, so a later ingest updates them with the new commits alone.

The file is a magic line, the length of the JSON header and the CRC-32 of
the arrays' bytes, the header, then the bytes of the arrays it refers to (``{"$blob": offset, "n": size, "t":
typecode}``, machine byte order, which the header records: another machine's
order makes the file unusable). Measured on the 10k-file / 100k-commit
synthetic repository (40 MB of state): the same content as JSON with base64
strings took 0.31 s to parse and 0.50 s to write; a JSON list of half a
million integers takes five times as long again as base64.
A file that is not this (corrupt, truncated, another program's,
another version, another repository's) is ignored with a note and the history
is mined in full; so is a file the analysed repository tracks itself (a
cache directory inside the checkout: its content would be the repository's
say, not Cairn's).

Git is the journal. An ingest whose state differs from the file only by a
few commits appended on top (``HistoryState.rereads``) need not rewrite it:
the next ingest loads the file and reads those commits again, which gives
what the state would have held (what incremental history guarantees for any
number of new commits). What such an ingest stored that the file does not
say is kept beside it, small (``history-<digest>.unsaved``, ``Unsaved``):
the name of the KNOWS edges it built and those of the files it computed
afresh, for the next ingest to patch the stored edges from them
(``Unsaved.rebase``); the ingest that saves the state removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import sys
import threading
import zlib
from array import array
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cairn.graph.atomic import write_atomic
from cairn.ingest.commits import CommitLog
from cairn.ingest.git import GitError, git
from cairn.ingest.joined import Joined
from cairn.ingest.tracked import tracks
from cairn.ingest.knowledge import KnowsDelta, RecordTable
from cairn.ingest.lazy_pattern import LazyPattern
from cairn.ingest.spool import state_path  # (there: an ingest looks for the state before importing this)
from cairn.ingest.untrusted import RefusedFile, read_checkout_file

FORMAT = "cairn-history-state"
_OBJECT_ID = LazyPattern(r"[0-9a-f]{40}|[0-9a-f]{64}")
MAGIC = b"cairn-history-state\n"
#: bumped whenever what is stored changes meaning
VERSION = 5
#: the modules whose code decides what a commit contributes (their digest is part of the fingerprint): every module
#: of the ingest these import, but for ``NOT_MINING`` (the log parser was missing: a change to how a trailer is read
#: kept what the old code had read of the remembered commits)
MINING_MODULES = ("commits", "history", "history_people", "history_state", "history_stream", "identities", "agent_markers",
                  "merger_credit", "pull_request_merges", "knowledge", "knowledge_rows", "cochange", "change_count",
                  "trend_history", "trend_activity", "joined", "log_parser", "history_placement", "commit_people",
                  "change_take_back", "trailers", "break_renames", "self_reviews")
#: the modules of the ingest the mining modules import that decide nothing of what a commit contributes: git and file
#: access, configuration (its values are in the fingerprint), memory, the spool's file names, the layout and owners
#: (read at HEAD), the trends' code samples (kept apart), when a pattern is compiled (``lazy_pattern``)
NOT_MINING = ("git", "checkout", "untrusted", "tracked", "freed_memory", "config", "config_values", "spool", "files",
              "components", "codeowners", "trend_samples", "lazy_pattern")


# -- the fingerprint ---------------------------------------------------------------------------------


_CODE_DIGEST: str | None = None


def _code_digest() -> str:
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        digest = hashlib.sha1()
        here = Path(__file__).resolve().parent
        for name in MINING_MODULES + ("../graph/people",):
            try:
                digest.update((here / f"{name}.py").read_bytes())
            except OSError:
                digest.update(name.encode())
        _CODE_DIGEST = digest.hexdigest()[:16]
    return _CODE_DIGEST


def _mailmap_digest(root: Path) -> str:
    try:
        data = read_checkout_file(root, ".mailmap", follow_symlinks=False)
    except RefusedFile as exc:
        return f"refused: {exc.reason}"
    return "absent" if data is None else hashlib.sha1(data).hexdigest()


def _git_version(root: Path) -> str:
    try:
        return git(root, "version").stdout.strip()
    except GitError:
        return "unknown"


def mining_fingerprint(root: Path, identities: Any, people: Iterable[object], max_coauthors: int,
                       marker_digest: str, *, git_version: str | None = None, max_commit_files: int = 100) -> dict[str, str]:
    """Each thing that decides what mining makes of a commit, as a short digest (compared part by part).
    ``git_version``: what ``git version`` said, when the caller asked already."""
    def short(value: object) -> str:
        return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode("utf-8", "surrogateescape")).hexdigest()[:16]

    declared = [[str(getattr(p, "name")), list(getattr(p, "aliases", ()) or ())] for p in people]
    return {
        "cairn": f"{VERSION}:{_code_digest()}",
        "git": _git_version(root) if git_version is None else git_version,
        ".mailmap": _mailmap_digest(root),
        "[identities]": short(identities.model_dump() if hasattr(identities, "model_dump") else identities),
        "[[people]]": short(declared),
        "thresholds.max_coauthors": str(max_coauthors),
        "thresholds.max_commit_files": str(max_commit_files),
        "[agents] markers": marker_digest,
    }


def fingerprint_change(old: dict[str, str], new: dict[str, str]) -> str | None:
    """What differs between two fingerprints, in words (None: nothing)."""
    changed = [name for name in new if old.get(name) != new[name]]
    if not changed:
        return None
    if changed == ["cairn"]:
        return "Cairn's history mining changed (another version)"
    if changed == ["git"]:
        return "git's version changed"
    return "the identity configuration changed (" + ", ".join(name for name in changed if name not in ("cairn", "git")) + ")"


# -- what is remembered --------------------------------------------------------------------------------


@dataclass
class LogCounts:
    """What the commits of a log add up to besides the per-path records: when each identity was last active, how
    many commits each authored, and counters (sums and maxima: order does not matter). The log reader counts a
    read with one (``history.LogParser.counts``); ``LogTotals`` is one, over every commit read so far."""

    committer_seen: dict[tuple[str, str], int] = field(default_factory=dict)  # committer (not author) -> newest time
    last_active: dict[int, int] = field(default_factory=dict)  # raw identity -> newest time
    commits_by: dict[int, int] = field(default_factory=dict)  # raw identity -> non-merge commits authored
    #: (raw identity, raw identity), the lower first: one commit names both as its author or co-authors, and one of them
    #: with a surname's initial (``LogParser._count_co_named``)
    co_named: set[tuple[int, int]] = field(default_factory=set)
    #: (raw identity of an author, committer name, committer e-mail): a commit whose committer has the author's name at
    #: another address (rule 19 of identity resolution)
    self_committed: set[tuple[int, str, str]] = field(default_factory=set)
    commits: int = 0
    merges: int = 0
    agent_commits: int = 0
    bot_commits: int = 0
    bad_email: int = 0
    squashes_without_credit: int = 0
    #: non-merge commits whose subject ends as GitHub's squashed pull requests' do, "(#1234)": who reviewed or merged
    #: them is nowhere in git
    squash_merged: int = 0
    sweeps: int = 0  # commits that modified more than ``thresholds.max_commit_files`` files: no knowledge credit
    newest: int = 0

    def add(self, other: "LogCounts") -> None:
        """Count ``other``'s commits in as well."""
        for key, when in other.committer_seen.items():
            if when > self.committer_seen.get(key, -1):
                self.committer_seen[key] = when
        for raw, when in other.last_active.items():
            if when > self.last_active.get(raw, -1):
                self.last_active[raw] = when
        for raw, n in other.commits_by.items():
            self.commits_by[raw] = self.commits_by.get(raw, 0) + n
        self.co_named |= other.co_named
        self.self_committed |= other.self_committed
        self.commits += other.commits
        self.merges += other.merges
        self.agent_commits += other.agent_commits
        self.bot_commits += other.bot_commits
        self.bad_email += other.bad_email
        self.squashes_without_credit += other.squashes_without_credit
        self.squash_merged += other.squash_merged
        self.sweeps += other.sweeps
        self.newest = max(self.newest, other.newest)


@dataclass
class LogTotals(LogCounts):
    """The log's running totals over every commit read so far: the counts, and the records by path id."""

    records: RecordTable = field(default_factory=RecordTable)
    renames: set[tuple[int, int]] = field(default_factory=set)  # (old path id, new path id)
    rename_limit_hit: bool = False


class HistoryState:
    """Everything remembered of one repository's history (see the module docstring)."""

    repo: str
    fingerprint: dict[str, str]
    head: str
    commits_total: int
    #: raw identities as the stream spelled them, with their weights (commits naming them) and whether only trailers did
    identity_keys: list[tuple[str, str]]
    weights: list[int]
    from_trailer: list[bool]
    #: raw identities in the order a full read interns them (newest commit first)
    stream_order: list[int]
    totals: LogTotals
    log: CommitLog
    #: the change analyses' remembered results (``ingest.cochange``), by name
    analyses: dict[str, Any]
    #: whether anything differs from the file it was read from (new commits, or an analysis counted afresh)
    changed: bool
    #: objects git could not read when the remembered commits were read (a partial clone, a damaged store), and how
    #: many commits were read with exact rename detection only or without it for that: ``degraded_read``
    degraded: dict[str, Any]
    #: how many commits were read since the file's head when they are all it lacks (appended after every remembered
    #: commit, with the same fingerprint and degraded read): an ingest reading them again ends with this state; None
    #: when the state differs from the file otherwise (or there is no file)
    rereads: int | None
    #: the size of the file the state was read from (0: none): what saving it again costs
    saved_size: int
    #: the analyses counted afresh by this ingest rather than added to from the file's (``recount``)
    recounted: set[str]

    def __init__(self, repo: str, fingerprint: dict[str, str], head: str, commits_total: int,
                 identity_keys: list[tuple[str, str]], weights: list[int], from_trailer: list[bool],
                 stream_order: list[int], totals: LogTotals, log: CommitLog, analyses: dict[str, Any] | None = None,
                 changed: bool = True, degraded: dict[str, Any] | None = None, rereads: int | None = None,
                 saved_size: int = 0, recounted: set[str] | None = None) -> None:
        self.repo = repo
        self.fingerprint = fingerprint
        self.head = head
        self.commits_total = commits_total
        self.identity_keys = identity_keys
        self.weights = weights
        self.from_trailer = from_trailer
        self.stream_order = stream_order
        self.totals = totals
        self.log = log
        self.analyses = {} if analyses is None else analyses
        self.changed = changed
        self.degraded = {} if degraded is None else degraded
        self.rereads = rereads
        self.saved_size = saved_size
        self.recounted = set() if recounted is None else recounted

    def recount(self, analysis: str) -> None:
        """Say that ``analysis`` (its name in ``analyses``) was counted afresh: the state then differs from the file by
        more than the commits read since it."""
        self.changed = True
        self.recounted.add(analysis)


class Ragged:
    """Lists of integers by a dense integer key (a path id, a file), as the state keeps them: one count per key
    and one flat array; lists set since loading are kept aside (``changed``) until ``columns``."""

    def __init__(self, typecode: str = "i") -> None:
        self.counts = array("i")
        self.values = array(typecode)
        self.changed: dict[int, list[int]] = {}
        self._starts: list[int] | None = None

    @classmethod
    def from_columns(cls, data: dict) -> "Ragged":
        table = cls(data["values"].typecode)
        table.counts, table.values = data["counts"], data["values"]
        if not isinstance(table.counts, array) or not isinstance(table.values, array) or table.counts.typecode != "i":
            raise TypeError("ragged columns")
        if sum(table.counts) != len(table.values) or (len(table.counts) and min(table.counts) < 0):
            raise ValueError("ragged counts")
        return table

    def get(self, key: int) -> list[int]:
        found = self.changed.get(key)
        if found is not None:
            return found
        if key >= len(self.counts) or not self.counts[key]:
            return []
        if self._starts is None:
            self._starts = [0, *accumulate(self.counts)]
        start = self._starts[key]
        return self.values[start:start + self.counts[key]].tolist()

    def set(self, key: int, values: list[int]) -> None:
        self.changed[key] = values

    def keys(self) -> list[int]:
        """Every key with a non-empty list."""
        base = [key for key, n in enumerate(self.counts) if n and key not in self.changed]
        return sorted(base + [key for key, values in self.changed.items() if values])

    def columns(self) -> dict[str, array]:
        if self.changed:
            if self._starts is None:
                self._starts = [0, *accumulate(self.counts)]
            starts = self._starts
            counts = array("i", self.counts)
            top = max(self.changed) + 1
            if len(counts) < top:
                counts.extend([0] * (top - len(counts)))
            values, done = array(self.values.typecode), 0
            for key in sorted(self.changed):
                start = starts[key] if key < len(self.counts) else starts[-1]
                values.extend(self.values[done:start])
                values.extend(self.changed[key])
                done = start + (self.counts[key] if key < len(self.counts) else 0)
                counts[key] = len(self.changed[key])
            values.extend(self.values[done:])
            self.counts, self.values, self.changed, self._starts = counts, values, {}, None
        return {"counts": self.counts, "values": self.values}


class Texts(list):
    """A list of strings the state keeps as one blob (NUL-separated UTF-8; no path or name holds a NUL): a direct
    value of the document's or an analysis' dict (``json.dumps`` writes a list, even a subclass, itself: it is
    set apart before)."""


class _Blobs:
    """What ``json.dumps`` cannot write, written apart: arrays, byte strings, ``Texts``, ``Joined`` strings,
    ``Ragged`` tables."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview | Joined] = []
        self.size = 0

    def _blob(self, data: bytes | memoryview | Joined, kind: str) -> dict:  # a view of bytes: its length is its size
        size = data.size if isinstance(data, Joined) else len(data)
        ref = {"$blob": self.size, "n": size, "t": kind}
        self.parts.append(data)
        self.size += size
        return ref

    def bytes(self) -> Iterator[bytes | memoryview]:
        """The blobs' bytes, in order (``Joined`` ones made a slice at a time, each time this is read)."""
        for part in self.parts:
            if isinstance(part, Joined):
                yield from part.chunks()
            else:
                yield part

    def texts_apart(self, document: dict) -> dict:
        """``document`` with each ``Texts`` value as a blob reference."""
        return {key: self.default(value) if isinstance(value, Texts) else value for key, value in document.items()}

    def default(self, value: object) -> object:
        if hasattr(value, "to_json"):  # an analysis' memory, turned into data only when the state is written
            found = value.to_json()
            return self.texts_apart(found) if isinstance(found, dict) else found
        if isinstance(value, Ragged):
            return {"$ragged": value.columns()}
        if isinstance(value, array):  # the array's own bytes, not a copy: the state file is 100 MB at 50k files
            return self._blob(memoryview(value).cast("B"), value.typecode)
        if isinstance(value, (bytes, bytearray)):
            return self._blob(memoryview(value), "bytes")
        if isinstance(value, Texts):
            return {**self._blob(Joined(value, "texts", "utf-8"), "texts"), "count": len(value)}
        if isinstance(value, Joined):
            return self._blob(value, value.kind)
        raise TypeError(f"{type(value).__name__} is not kept in the history state")


_TYPECODES = ("i", "q", "d", "b", "B", "H")


def _reader(blobs: memoryview):
    """The ``object_hook`` that turns blob references back into what was written."""
    def hook(obj: dict) -> object:
        if "$blob" in obj:
            start, size, kind = int(obj["$blob"]), int(obj["n"]), obj["t"]
            if start < 0 or size < 0 or start + size > len(blobs):
                raise ValueError("blob out of the file")
            data = blobs[start:start + size]
            if kind == "bytes":
                return bytearray(data)
            if kind == "texts":
                count = int(obj["count"])
                items = Texts(bytes(data).decode("utf-8", "surrogateescape").split("\0") if count else [])
                if len(items) != count:
                    raise ValueError("text table length")
                return items
            if kind not in _TYPECODES:
                raise ValueError("array type")
            values = array(kind)
            values.frombytes(data)
            return values
        if "$ragged" in obj:
            return Ragged.from_columns(obj["$ragged"])
        return obj
    return hook


def encode_state(state: HistoryState) -> bytes:
    """The state file's bytes (``encode_state_parts``, joined)."""
    return b"".join(encode_state_parts(state))


def encode_state_parts(state: HistoryState) -> Iterator[bytes | memoryview]:
    """The state file's bytes in parts, written one after the other: a magic line, a JSON header (everything, arrays
    as references) and the arrays' bytes, most of them views of the state's own arrays (joining them would hold the
    file's size twice more at the ingest's peak), the strings made a slice at a time (``Joined``). The header is
    made when this is called; the rest as it is read."""
    log = state.log.columns()
    totals = state.totals
    blobs = _Blobs()
    document = {
        "format": FORMAT, "version": VERSION, "byteorder": sys.byteorder, "repo": state.repo,
        "fingerprint": state.fingerprint, "head": state.head, "commits_total": state.commits_total,
        "identities": {
            "keys": [list(k) for k in state.identity_keys], "weights": state.weights,
            "from_trailer": [1 if t else 0 for t in state.from_trailer], "stream_order": state.stream_order,
        },
        "totals": {
            "records": totals.records.columns(),
            "renames": array("i", [p for pair in sorted(totals.renames) for p in pair]),
            "committer_seen": [[n, e, t] for (n, e), t in totals.committer_seen.items()],
            "last_active": [[i, t] for i, t in totals.last_active.items()],
            "commits_by": [[i, c] for i, c in totals.commits_by.items()],
            "co_named": sorted([a, b] for a, b in totals.co_named),
            "self_committed": sorted([a, n, e] for a, n, e in totals.self_committed),
            "counters": [totals.commits, totals.merges, totals.agent_commits, totals.bot_commits, totals.bad_email,
                         totals.squashes_without_credit, totals.newest, 1 if totals.rename_limit_hit else 0, totals.sweeps,
                         totals.squash_merged],
        },
        "log": blobs.texts_apart({**log, "paths": Texts(log["paths"])}),
        # an analysis not counted in this run is the data it was read as (its texts read back as ``Texts``)
        "analyses": {name: blobs.texts_apart(v) if isinstance(v, dict) else v for name, v in state.analyses.items()},
        "degraded": state.degraded,
    }
    # ensure_ascii keeps surrogate-escaped (non-UTF-8) names and paths as \udcXX escapes that load back the same
    header = "".join(json_in_parts(document, blobs.default, HEADER_DEPTH)).encode("ascii")
    crc = 0
    for part in blobs.bytes():  # (the checksum comes first in the file: ``Joined`` strings are made twice)
        crc = zlib.crc32(part, crc)
    return chain((MAGIC, b"%d %d\n" % (len(header), crc), header), blobs.bytes())


#: How many levels of the header's dicts ``encode_state_parts`` encodes key by key (``json_in_parts``): down to the
#: analyses' own lists (at 50k files, the largest is 0.4 MB of the 1.2 MB header).
HEADER_DEPTH = 4
_JSON_NATIVE = (dict, list, tuple, str, int, float, bool, type(None))


def json_in_parts(value: Any, default: Callable[[Any], Any], depth: int) -> Iterator[str]:
    """The text of ``json.dumps(value, separators=(",", ":"), default=default)``, in parts: the dicts down to ``depth``
    levels encoded key by key, each value apart (what ``default`` makes of an object first, as ``json.dumps`` would:
    ``default`` is called on the same objects in the same order). The one-shot encoder holds a small string per
    token until it joins them: at 50k files, 7 MB for the state's header, at the peak of the ingest."""
    while not isinstance(value, _JSON_NATIVE):  # what ``json.dumps`` hands to ``default``
        value = default(value)
    if not depth or not isinstance(value, dict) or not all(key.__class__ is str for key in value):
        yield json.dumps(value, separators=(",", ":"), default=default)
        return
    yield "{"
    for at, (key, item) in enumerate(value.items()):
        yield f'{"," if at else ""}{json.dumps(key)}:'
        yield from json_in_parts(item, default, depth - 1)
    yield "}"


def read_document(data: bytes | mmap.mmap) -> dict:
    """The header of a state file (its bytes, or the file mapped: ``StateFile.load``) with its arrays in place;
    ValueError when it is not a state file."""
    if data[:len(MAGIC)] != MAGIC:
        raise ValueError("not a Cairn history state")
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise ValueError("truncated")
    size, crc = (int(x) for x in data[len(MAGIC):end].split(b" "))
    header_end = end + 1 + size
    if size < 0 or header_end > len(data):
        raise ValueError("truncated")
    body = memoryview(data)[header_end:]
    # What the arrays hold is trusted as Cairn wrote it once the checksum matches: no scan of every value. The checksum
    # (0.1 s for 100 MB) is worked out beside the header's parse (zlib lets go of the GIL), and decides first as before.
    summed: list[int] = []
    summing = threading.Thread(target=lambda: summed.append(zlib.crc32(body)), name="state-checksum", daemon=True)
    summing.start()
    try:
        document = json.loads(data[end + 1:header_end], object_hook=_reader(body))
    except BaseException:
        summing.join()
        if summed and summed[0] != crc:
            raise ValueError("the arrays are damaged (checksum)") from None
        raise
    summing.join()
    if not summed or summed[0] != crc:
        raise ValueError("the arrays are damaged (checksum)")
    if not isinstance(document, dict):
        raise ValueError("not a Cairn history state")
    return document


def decode_state(data: dict) -> HistoryState:
    """The state from its document (``read_document``); raises (KeyError, TypeError, ValueError…) when it is not one."""
    if data["byteorder"] != sys.byteorder:
        raise ValueError("written on a machine of the other byte order")
    ids = data["identities"]
    keys = [(str(n), str(e)) for n, e in ids["keys"]]
    weights = [int(w) for w in ids["weights"]]
    from_trailer = [bool(t) for t in ids["from_trailer"]]
    order = [int(i) for i in ids["stream_order"]]
    if not (len(keys) == len(weights) == len(from_trailer)) or sorted(order) != list(range(len(keys))):
        raise ValueError("identities")
    log = CommitLog.from_columns(data["log"])
    t = data["totals"]
    records = RecordTable.from_columns(t["records"], len(log.paths), len(keys))
    pairs = t["renames"]
    if not isinstance(pairs, array) or len(pairs) % 2:
        raise ValueError("renames")
    counters = [int(c) for c in t["counters"]]
    totals = LogTotals(
        records=records, renames={(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)},
        committer_seen={(str(n), str(e)): int(when) for n, e, when in t["committer_seen"]},
        last_active={int(i): int(when) for i, when in t["last_active"]},
        commits_by={int(i): int(c) for i, c in t["commits_by"]},
        co_named={(int(a), int(b)) for a, b in t.get("co_named", ())},
        self_committed={(int(a), str(n), str(e)) for a, n, e in t.get("self_committed", ())},
        commits=counters[0], merges=counters[1], agent_commits=counters[2], bot_commits=counters[3],
        bad_email=counters[4], squashes_without_credit=counters[5], newest=counters[6], rename_limit_hit=bool(counters[7]),
        # (a state saved before the count existed is read, then set aside quietly by its fingerprint: the parser differs)
        sweeps=counters[8], squash_merged=counters[9] if len(counters) > 9 else 0,
    )
    if any(not 0 <= i < len(keys) for i in chain(totals.last_active, totals.commits_by, *totals.co_named,
                                                   (a for a, _, _ in totals.self_committed))):
        raise ValueError("identity indexes")
    if totals.commits != len(log):
        raise ValueError("commit count")
    analyses = data.get("analyses") or {}
    if not isinstance(analyses, dict):
        raise TypeError("analyses")
    return HistoryState(
        repo=str(data["repo"]), fingerprint={str(k): str(v) for k, v in data["fingerprint"].items()},
        head=str(data["head"]), commits_total=int(data["commits_total"]), identity_keys=keys, weights=weights,
        from_trailer=from_trailer, stream_order=order, totals=totals, log=log, analyses=analyses,
        degraded=degraded_read(data.get("degraded") or {}),
    )


def degraded_read(data: dict) -> dict[str, Any]:
    """The ``degraded`` part of a state, checked: ``missing_objects`` (sorted object ids), ``exact_renames_only`` and
    ``without_renames`` (commit counts); empty when the remembered commits were read whole."""
    if not isinstance(data, dict):
        raise TypeError("degraded")
    missing = [str(oid) for oid in data.get("missing_objects") or []]
    if any(not _OBJECT_ID.fullmatch(oid) for oid in missing):
        raise ValueError("missing object ids")
    counts = {name: int(data.get(name) or 0) for name in ("exact_renames_only", "without_renames")}
    if any(count < 0 for count in counts.values()):
        raise ValueError("degraded counts")
    return {"missing_objects": sorted(missing), **counts} if missing or any(counts.values()) else {}


#: An ingest that read at most this many commits since the state file's head, and only added them to it
#: (``HistoryState.rereads``), leaves the file as it was: at least ``UNSAVED_FLOOR``, and one per
#: ``UNSAVED_STATE_BYTES`` of the file (a larger file costs more to write). Measured on the synthetic repositories
#: (commits of three files each, in other packages): writing the file costs 0.07 s at 10k files / 100k commits
#: (31 MB) and 0.3-0.6 s at 50k / 300k (107 MB); reading commits again costs less for the commits than for the files
#: they touch, whose knowledge and components' answers are worked out again (CPU at 50k: +0.11 s for 8 commits,
#: +0.2 s for 26, +0.23 s for 100; at 10k +0.03 s for 16). An ingest reading 26 commits again at 50k took as long as
#: one reading a single commit and writing the file; 8 stays well under a write.
UNSAVED_FLOOR = 8
UNSAVED_STATE_BYTES = 16_000_000


def unsaved_commits(state: HistoryState) -> int:
    """How many commits read since the state file's head an ingest may leave for the next one to read again."""
    return max(UNSAVED_FLOOR, state.saved_size // UNSAVED_STATE_BYTES)


_SHAPE_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError)


def _mapped_file(path: Path) -> bytes | mmap.mmap:
    """The file at ``path`` mapped read-only (its bytes when it cannot be mapped: empty, or a file system without
    ``mmap``). The state's arrays are copied out of the file as they are decoded, so nothing needs its bytes read into
    the process first: at 10k files, reading the 32 MB took 5-18 ms (the pages of a new buffer faulted in and filled),
    at 50k files three times that. Cairn only ever replaces the file (``write_atomic``): a mapped one is not changed
    under the reader."""
    with open(path, "rb") as file:
        try:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return file.read()


class StateFile:
    """The state file of one repository in one cache directory (None: nothing is remembered).

    ``tracked_in_cache``: the paths the repository tracks in ``cache_dir`` (repository-relative), when the check for
    changes listed them (``freshness.CheckoutState.tracked_in_cache``): git is not asked again whether it tracks the
    state's files (``CAIRN_VERIFY_SKIPS=1`` asks it and compares)."""

    def __init__(self, cache_dir: Path | None, root: Path, tracked_in_cache: list[str] | None = None):
        self.root = Path(root).resolve()
        self.path = state_path(cache_dir, self.root) if cache_dir is not None else None
        self._tracked_in_cache = tracked_in_cache
        self.notes: list[str] = []
        self.usable = self.path is not None
        if self.path is not None and self._tracked(self.path):
            self.notes.append(f"the history state ({self.path.name}) is part of the repository: not trusted, not used")
            self.usable = False

    def _tracked(self, path: Path) -> bool:
        """Whether the repository tracks ``path`` (a file of this state, in the cache directory)."""
        return tracks(self.root, path, self._tracked_in_cache)

    def load(self) -> HistoryState | None:
        """The remembered state, or None (nothing remembered, or a file that is not a usable state: noted)."""
        if not self.usable or self.path is None:
            return None
        try:
            text = _mapped_file(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._ignored(f"unreadable ({exc.strerror or exc})")
        try:
            return self._decoded(text)
        finally:
            if isinstance(text, mmap.mmap):
                with contextlib.suppress(BufferError):  # (a view of it still held: unmapped when that goes)
                    text.close()

    def _decoded(self, text: bytes | mmap.mmap) -> HistoryState | None:
        if text[:len(MAGIC)] != MAGIC:
            return self._ignored("not a Cairn history state")
        try:
            data = read_document(text)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            return self._ignored("not valid (a damaged header)")
        except _SHAPE_ERRORS as exc:
            return self._ignored(f"not in the expected shape ({type(exc).__name__}: {exc})")
        if data.get("format") != FORMAT:
            return self._ignored("not a Cairn history state")
        if data.get("version") != VERSION:
            return self._ignored(f"version {data.get('version')!r}, this Cairn writes {VERSION}")
        try:
            state = decode_state(data)
        except _SHAPE_ERRORS as exc:
            return self._ignored(f"not in the expected shape ({type(exc).__name__})")
        if state.repo != str(self.root):
            return self._ignored(f"kept for another repository ({state.repo})")
        state.saved_size = len(text)
        return state

    def save(self, state: HistoryState) -> str | None:
        """Write ``state`` (atomically); a note when it could not be written."""
        if not self.usable or self.path is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, encode_state_parts(state))
        except OSError as exc:
            return f"history state not saved ({exc.strerror or exc}): the next ingest reads the whole history again"
        return None

    def _ignored(self, why: str) -> None:
        self.notes.append(f"history state {self.path.name if self.path else ''} {why}: ignored, the history is read in full")
        return None

    # -- what an ingest that did not save the state stored (see the module docstring) --

    @property
    def unsaved_path(self) -> Path | None:
        return self.path.with_suffix(".unsaved") if self.path is not None else None

    def load_unsaved(self) -> "Unsaved | None":
        """What the last ingest stored without saving the state, or None (nothing, or not usable)."""
        path = self.unsaved_path
        if not self.usable or path is None:
            return None
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        if self._tracked(path):
            return None
        try:
            return Unsaved.from_json(data)
        except _SHAPE_ERRORS:
            return None

    def keep_unsaved(self, unsaved: "Unsaved | None") -> bool:
        """Write ``unsaved`` (atomically; None: there is nothing beyond the file, any record is removed); False when it
        could not be written (then save the state)."""
        path = self.unsaved_path
        if not self.usable or path is None:
            return False
        if unsaved is None:
            self.forget_unsaved()
            return True
        try:
            write_atomic(path, json.dumps(unsaved.to_json(), separators=(",", ":")).encode("ascii"))
        except OSError:
            self.forget_unsaved()
            return False
        return True

    def forget_unsaved(self) -> None:
        """Remove what an ingest that did not save the state kept (the state is saved now, or it says nothing)."""
        path = self.unsaved_path
        if path is not None:
            try:
                path.unlink()
            except OSError:
                pass


UNSAVED_FORMAT = "cairn-history-unsaved"


@dataclass(frozen=True)
class Unsaved:
    """What an ingest that left the state file as it was (``HistoryState.rereads``) stored beyond it: the KNOWS edges it
    built, named ``token``, differ from those the file's knowledge memory (named ``base``, of the file's ``state``:
    its commit count and head) builds only in ``files`` (File node ids), whose edges are ``edges`` (their keys)."""

    state: tuple[int, str]
    base: str
    token: str
    files: frozenset[str]
    edges: frozenset[tuple[str, str, str]]

    @classmethod
    def beyond(cls, remembered: tuple[int, str] | None, delta: KnowsDelta | None, token: Any) -> "Unsaved | None":
        """The record of an ingest that leaves the state file (of ``remembered``, its commit count and head) as it was:
        ``delta`` is what ``add_knowledge`` built against the file's memory, ``token`` names the edges built. None when
        they are the file's memory's own edges."""
        if remembered is None or delta is None or not isinstance(token, str):
            raise ValueError("not an ingest that read from a state file")
        if token == delta.base:
            return None
        return cls((int(remembered[0]), str(remembered[1])), delta.base, token, delta.files, delta.after)

    def to_json(self) -> dict:
        return {"format": UNSAVED_FORMAT, "version": VERSION, "state": list(self.state), "base": self.base,
                "token": self.token, "files": sorted(self.files), "edges": sorted(self.edges)}

    @classmethod
    def from_json(cls, data: Any) -> "Unsaved":
        if not isinstance(data, dict) or data.get("format") != UNSAVED_FORMAT or data.get("version") != VERSION:
            raise ValueError("not a record of an unsaved state")
        commits, head = data["state"]
        edges = frozenset((str(rel), str(person), str(file)) for rel, person, file in data["edges"])
        files = frozenset(str(f) for f in data["files"])
        if any(file not in files for _, _, file in edges):
            raise ValueError("edges of other files")
        return cls((int(commits), str(head)), str(data["base"]), str(data["token"]), files, edges)

    def rebase(self, delta: KnowsDelta | None, remembered: tuple[int, str] | None) -> KnowsDelta | None:
        """``delta`` (KNOWS edges built against the knowledge memory read from the state file) as built against the
        edges this record names, which are what the store holds when the last ingest stored them: the files it
        computed afresh must be computed afresh again (so their edges then are the ones kept here); else ``delta``
        as it is (the store, holding other edges than ``delta.base`` names, compares every KNOWS edge)."""
        if delta is None or remembered is None or tuple(remembered) != self.state or delta.base != self.base:
            return delta
        if not self.files <= delta.files:
            return delta
        before = frozenset(key for key in delta.before if key[2] not in self.files) | self.edges
        return KnowsDelta(self.token, delta.files, before, delta.after)


