"""The parse cache: what extraction remembers between runs, as plain JSON data.

Two files in Cairn's cache directory (never ones the analysed repository
tracks: see ``tracked_cache_files``):

* ``parse-cache.json``: parsed files (their imports, declarations and line
  count) by (language, parser version, extension, git blob id), loaded only
  when something must be looked up; the files parsed since it was last
  written whole are in ``parse-cache-added.json`` (a run that parses three
  files writes three entries, not the repository's), folded into it once they
  are a quarter as many. Each holds the keys, then the parsed files' columns
  in blocks of ``BLOCK_FILES`` files, of the length and CRC-32 it says
  before them: a block is decoded when a file of it is first made
  (``_load_blocks_unread``), so an ingest after a commit, which looks every
  file's key up, decodes the keys and the blocks of the changed files;
* ``parse-state.json``: the small things a warm run needs first: each path's
  (size, mtime) -> blob id, blobs whose content is not parsed (binary,
  generated), and the last few whole results with the fingerprint of their
  inputs, so a run in which nothing changed neither parses nor resolves. Each
  result carries its own path table, so a result read from the file is written
  back as it was read (encoding 50,000 modules' imports again on every save
  cost seconds). A result carried over from another (``carry_over``: the same
  modules, other line counts, a few modules' imports on moved lines) is kept
  as a patch on that one, and the result it is patched on is kept as long as
  the patch is. A result read from the file is written back as the very text
  it was read as (``_load_keeping_results`` keeps each one's span), so a save
  after a commit encodes the stats and the new result only. The file says each
  result's length (``sizes``), so a reader takes a result's text by it and
  decodes only its first members (``_Unread``) until the result is recalled:
  after a commit that changed imports the file holds two whole results, and an
  ingest recalls one.

Both are data, never code: a file is JSON with a ``format`` name and a
``version``; anything else (corrupt, truncated, another program's, an older
Cairn's) is ignored with a note in ``notes`` and rebuilt. An older Cairn's
``*.pickle`` cache is never opened. Writes go through
``cairn.graph.atomic.write_atomic``, so a killed run leaves the old file or
the new one.

The JSON is columnar: one array per field and tables of repeated strings
(paths appear once, as a NUL-joined string, and are referred to by index),
because building the records back is what loading costs. Measured with
``bench/parse_cache_bench.py`` on 17,231 files (this environment's standard
library and packages), best of five on a busy shared 2-core machine: the
warm-run state (stats and one whole result) loaded in 0.56 s from this JSON
and 0.83 s from SQLite rows (stdlib ``sqlite3``, one row per record, rebuilt
into the same tuples); everything, with the parsed-file entries, in 1.56 s
and 2.10 s (the old pickle: 2.67 s). Row-wise JSON (a list per record) had
been slower than SQLite, about 2.2 s for the state alone.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import replace
from itertools import accumulate, chain, compress, groupby, islice, repeat
from operator import itemgetter, ne
from pathlib import Path
from typing import Any

from cairn.graph.atomic import write_atomic
from cairn.graph.store import verifying_skips
from cairn.ingest.code.base import DYNAMIC, RUNTIME, TYPE_ONLY, ParsedFile, RawImport, ResolvedImport
from cairn.ingest.code.result import CodeResult
from cairn.ingest.gcpause import gc_paused
from cairn.ingest.tracked import tracked_among

CACHE_FILE = "parse-cache.json"
ADDED_FILE = "parse-cache-added.json"
STATE_FILE = "parse-state.json"
CACHE_FILES = (CACHE_FILE, ADDED_FILE, STATE_FILE)
#: a result that differs from another in the imports of more modules than this is kept whole, not as a patch
PATCHED_MODULES = 1000
#: the added entries are folded into the cache file once they are this share of it (and at least ``MIN_FOLD`` many)
FOLD_SHARE = 0.25
MIN_FOLD = 500
#: Bumped whenever what is stored changes meaning; a cache of another version is rebuilt. 8: which contents are
#: generated (``files.content_skip_reason``) changed, and a cached file is not read again to ask; 9: so did they again
#: (a marker a generator holds in a string).
VERSION = 9

#: (language, parser version, file extension, blob id)
EntryKey = tuple[str, str, str, str]


class ParseCache:
    """Parsed files, file stats and recent whole results, kept in ``directory`` (None: in memory only)."""

    KEEP_RESULTS = 2

    def __init__(self, directory: Path | None, *, read_state: bool = True):
        """``read_state`` false leaves the state file unread (no stats, skips nor remembered results; the PR check's
        head, read from git objects, needs none of them) and the cache then saves parsed files only."""
        self.directory = Path(directory) if directory else None
        self.read_state = read_state
        self.notes: list[str] = []  # why a cache file was ignored (corrupt, old, foreign)
        self._entries: Entries | None = None if self.directory else Entries()
        self.stats: dict[str, tuple[int, int, str]] = {}  # path -> (size, mtime_ns, blob id)
        self.skips: dict[str, str] = {}  # blob id -> why its content is not parsed (binary, generated)
        # fingerprint -> (reads, result, the result as the state file holds it); a result read from the file is
        # decoded when it is recalled (None until then) and written back as it was read; a new one has no encoding yet
        self._results: dict[str, tuple[dict[str, str | None], CodeResult | None, dict[str, Any] | None]] = {}
        self._paths: list[str] = []  # the state file's path table (of the stats)
        self._texts: dict[str, str] = {}  # fingerprint -> a result read from the state file, as the JSON text it was
        self.dirty = False  # state changed
        self.entries_dirty = False
        self._whole = 0  # how many of the entries (the first ones) the cache file holds; the rest are added since
        texts: list[str] = []
        with gc_paused():  # the state file's many lists and tuples live on, and form no cycles (ingest.gcpause)
            state = self._load(STATE_FILE, "cairn-parse-state", texts) if read_state else None
        if state is not None:
            try:
                self._paths = _split(state["paths"])
                self.stats = _decode_stats(state["stats"], self._paths)
                self.skips = {str(b): str(r) for b, r in state["skips"].items()}
                self._results = {str(r["fingerprint"]): (dict(r["reads"]), None, r) for r in state["results"]}
                if len(texts) == len(state["results"]):  # else read by ``json.loads``: written back encoded again
                    self._texts = {str(r["fingerprint"]): text for r, text in zip(state["results"], texts)}
            except _SHAPE_ERRORS as exc:
                self._ignored(STATE_FILE, f"not in the expected shape ({type(exc).__name__})")
                self.stats, self.skips, self._results, self._paths, self._texts = {}, {}, {}, [], {}

    # -- reading ------------------------------------------------------------------------

    def _load(self, name: str, kind: str, texts: list[str] | None = None, *,
              read: Callable[[bytes], Any] = json.loads) -> dict | None:
        """The file's document (decoded by ``read``), or None (absent, or ignored with a note); ``texts`` is given the
        JSON text of each item of its ``results`` when the file is laid out as this Cairn writes it."""
        if not self.directory:
            return None
        path = self.directory / name
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            old = path.with_suffix(".pickle")
            if old.exists():
                self.notes.append(f"parse cache: {old.name} (an older Cairn's, or a planted one) ignored: Cairn never loads pickle")
            return None
        except OSError as exc:
            self._ignored(name, f"unreadable ({exc.strerror or exc})")
            return None
        try:
            data = _load_keeping_results(text, texts) if texts is not None else read(text)
        except (ValueError, RecursionError):
            self._ignored(name, "not valid JSON")
            return None
        if not isinstance(data, dict) or data.get("format") != kind:
            self._ignored(name, "not a Cairn parse cache")
            return None
        if data.get("version") != VERSION:
            self._ignored(name, f"version {data.get('version')!r}, this Cairn writes {VERSION}")
            return None
        return data

    def _ignored(self, name: str, why: str) -> None:
        self.notes.append(f"parse cache: {name} {why}; ignored and rebuilt")

    @property
    def entries(self) -> Entries:
        """Parsed files by (language, parser version, extension, blob id), loaded on first use."""
        if self._entries is None:
            entries = Entries()
            table = self._load_entries(CACHE_FILE)
            if table is not None:
                entries.read(table)
            self._whole = len(entries)
            table = self._load_entries(ADDED_FILE)
            if table is not None:
                entries.read(table, keep=True)
            self._entries = entries
        return self._entries

    def load(self) -> None:
        """Load the parsed files now rather than on first use (while a child lists the files, say)."""
        self.entries  # noqa: B018 - the property loads them

    def _load_entries(self, name: str) -> _Table | None:
        data = self._load(name, "cairn-parse-cache", read=_load_blocks_unread)
        if data is None:
            return None
        try:
            return _Table(data)
        except _SHAPE_ERRORS as exc:
            self._ignored(name, f"not in the expected shape ({type(exc).__name__})")
            return None

    def recall(self, fingerprint: str) -> tuple[dict[str, str | None], CodeResult] | None:
        """The reads and result remembered for ``fingerprint``, or None."""
        found = self._results.get(fingerprint)
        if found is None:
            return None
        reads, result, encoded = found
        if result is None:
            assert encoded is not None
            kept = encoded  # what is kept of it once decoded: an unread result's header, not its decoded body
            try:
                if type(encoded) is _Unread:
                    encoded = self._read_whole(fingerprint, encoded)
                if "base" in encoded:
                    base_entry = self._results.get(str(encoded["base"]))
                    if base_entry is None or base_entry[2] is None or "base" in base_entry[2]:
                        raise KeyError("base")  # a patch is on a whole result read with it
                    base = self.recall(str(encoded["base"]))
                    if base is None:
                        raise KeyError("base")
                    result = _patched(base[1], encoded["patch"])
                else:
                    with gc_paused():  # 60,000 imports at 10k modules, cycle-free: a collection every 700 costs half
                        result = _decode_result(encoded["result"], _split(encoded["paths"]))
            except _SHAPE_ERRORS as exc:
                self._ignored(STATE_FILE, f"holds a result not in the expected shape ({type(exc).__name__})")
                del self._results[fingerprint]
                return None
            self._results[fingerprint] = (reads, result, kept)
        return reads, result

    def _read_whole(self, fingerprint: str, header: _Unread) -> dict:
        """The result item whose header (``_Unread``) was read for ``fingerprint``, decoded whole from its text; its
        header must be the one read (else ValueError)."""
        whole = json.loads(self._texts[fingerprint])
        if not isinstance(whole, dict) or any(name not in whole or whole[name] != value for name, value in header.items()) \
                or ("base" in whole) != ("base" in header):
            raise ValueError("result header")
        return whole

    def recall_result(self, result_id: str) -> CodeResult | None:
        """The remembered result whose ``result_id`` (inputs and the files resolution read) is ``result_id``, or None."""
        for fingerprint in list(self._results):
            found = self._results.get(fingerprint)
            if found is None or result_id_of(fingerprint, found[0]) != result_id:
                continue
            recalled = self.recall(fingerprint)
            return None if recalled is None else recalled[1]
        return None

    # -- writing ------------------------------------------------------------------------

    def remember(self, fingerprint: str, reads: dict[str, str | None], result: CodeResult) -> None:
        """Keep ``result``, and the ``KEEP_RESULTS`` - 1 remembered before it, with the results those are patched on."""
        self._results.pop(fingerprint, None)
        self._results[fingerprint] = (reads, result, None)
        newest = list(self._results)[-self.KEEP_RESULTS:]
        needed = set(newest) | {found[0] for found in map(self._base_of, newest) if found is not None}
        for old in [f for f in self._results if f not in needed]:
            del self._results[old]
        self.dirty = True

    def _base_of(self, fingerprint: str) -> tuple[str, dict | None] | None:
        """The result remembered before ``fingerprint`` that it is (or can be written as) a patch on, with that patch
        when it is still to be written (None: it was read as one); None when there is none. A base is always written
        whole, so a patch is never on another patch."""
        _, result, encoded = self._results[fingerprint]
        if encoded is not None:
            return (str(encoded["base"]), None) if "base" in encoded else None
        assert result is not None
        for other, (_, candidate, kept) in self._results.items():
            if other == fingerprint:
                return None  # only an older result is a base
            patch = _patch(candidate, result) if candidate is not None else None
            if patch is not None and ("base" not in kept if kept is not None else self._base_of(other) is None):
                return other, patch
        return None

    def save(self) -> None:
        if not self.directory:
            return
        if self.entries_dirty and self._entries is not None:
            added = len(self._entries) - self._whole
            if self._whole and added < max(MIN_FOLD, FOLD_SHARE * self._whole):
                # the entries are only ever added to, so those past the cache file's are the ones added since
                write_atomic(self.directory / ADDED_FILE, _entries_text(self._entries.since(self._whole)))
            else:
                write_atomic(self.directory / CACHE_FILE, _entries_text(self._entries))
                self._whole = len(self._entries)
                (self.directory / ADDED_FILE).unlink(missing_ok=True)
            self.entries_dirty = False
        if self.dirty and self.read_state:  # a state not read is not written over
            paths, stats = _encode_stats(self.stats)
            results = []
            for fingerprint, (reads, result, kept) in self._results.items():
                if kept is not None:  # as it was read (recalled or not): the same result, not encoded again
                    text = self._texts.get(fingerprint)
                    assert text is not None or type(kept) is not _Unread  # (an unread result is kept as its text)
                    results.append(text or _dumps(kept))
                    continue
                assert result is not None  # remembered in this run
                found = self._base_of(fingerprint)
                if found is not None:
                    results.append(_dumps({"fingerprint": fingerprint, "reads": reads, "base": found[0], "patch": found[1]}))
                    continue
                own = _PathTable()  # each result has its paths, so a later save can write it back as it is
                encoded = _encode_result(result, own)
                results.append(_dumps({"fingerprint": fingerprint, "reads": reads, "paths": _join(own.paths), "result": encoded}))
            head = _dumps({"format": "cairn-parse-state", "version": VERSION, "paths": _join(paths),
                           "stats": stats, "skips": self.skips, "sizes": list(map(len, results))})
            # the results last, each as its own text: those read from the file are not encoded again; written a part at
            # a time (joined, then encoded, the document was held three times at once: 60 MB at 50k files, while the
            # code graph is built beside)
            write_atomic(self.directory / STATE_FILE, _joined_parts(
                (head[:-1] + ',"results":[').encode("utf-8"), map(str.encode, results), b"]}"))
            self.dirty = False


def _dumps(value: object) -> str:
    """Compact JSON; ensure_ascii keeps surrogate-escaped (non-UTF-8) file names as \\udcXX escapes that load back the same."""
    return json.dumps(value, separators=(",", ":"))


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODE = json.JSONDecoder().raw_decode


def _load_keeping_results(data: bytes, texts: list[str]) -> Any:
    """``json.loads(data)``, and the text of each item of a top-level object's ``results`` array appended to
    ``texts`` (a result read is then written back as it was, not encoded again). One pass of the same decoder; a
    document it does not follow (another encoding, another shape) is read by ``json.loads`` and ``texts`` left empty."""
    try:
        return _scan_object(data.decode("utf-8"), texts)
    except (ValueError, IndexError, RecursionError):
        texts.clear()
        return json.loads(data)


def _scan_object(text: str, texts: list[str]) -> dict:
    space = _SPACE.match
    at = space(text, 0).end()
    if text[at] != "{":
        raise ValueError("not an object")
    document: dict[str, Any] = {}
    at = space(text, at + 1).end()
    while text[at] != "}":  # a key, a value, then "," and another key, or the end
        key, at = _DECODE(text, at)
        at = space(text, at).end()
        if not isinstance(key, str) or text[at] != ":" or key in document:
            raise ValueError("layout")
        at = space(text, at + 1).end()
        if key == "results" and text[at] == "[":
            sliced = _sliced_items(text, at, document.get("sizes"), texts)
            document[key], at = sliced if sliced is not None else _scan_items(text, at, texts)
        else:
            document[key], at = _DECODE(text, at)
        at = space(text, at).end()
        if text[at] == ",":
            at = space(text, at + 1).end()
            if text[at] != '"':
                raise ValueError("layout")
        elif text[at] != "}":
            raise ValueError("layout")
    if space(text, at + 1).end() != len(text):
        raise ValueError("extra data")
    return document


def _scan_items(text: str, at: int, texts: list[str]) -> tuple[list, int]:
    """The array at ``text[at]`` and where it ends, each item's text appended to ``texts``."""
    space = _SPACE.match
    items: list[Any] = []
    at = space(text, at + 1).end()
    if text[at] == "]":
        return items, at + 1
    while True:
        start = at
        item, at = _DECODE(text, at)
        items.append(item)
        texts.append(text[start:at])
        at = space(text, at).end()
        if text[at] == "]":
            return items, at + 1
        if text[at] != ",":
            raise ValueError("layout")
        at = space(text, at + 1).end()


class _Unread(dict):
    """The first members of a result item of the state file (``fingerprint``, ``reads`` and a patch's ``base``): what
    is needed to find a result and write it back; the rest of its text is decoded only when the result is recalled
    (``ParseCache._read_whole``). After a commit that changed imports the file holds two whole results, of which one
    is recalled: the other's JSON (0.2 s at 50k modules) is not decoded."""


#: the members of a result item read before it is recalled, in the order ``ParseCache.save`` writes them
_HEADER = ("fingerprint", "reads", "base")


def _sliced_items(text: str, at: int, sizes: Any, texts: list[str]) -> tuple[list, int] | None:
    """The ``results`` array at ``text[at]`` as each item's header (``_Unread``) and where the array ends, each item's
    text appended to ``texts``, taken by ``sizes`` (the item lengths ``ParseCache.save`` writes before the array)
    without decoding the rest of any item; None when the array is not laid out as they say (the compact layout this
    Cairn writes: items one after the other with a comma between, the array and then the document closing with them),
    for ``_scan_items`` to read. ``CAIRN_VERIFY_SKIPS=1`` checks each header and text against ``_scan_items``."""
    if type(sizes) is not list or not all(type(size) is int and size > 1 for size in sizes):
        return None
    items: list[Any] = []
    taken: list[str] = []
    start = at + 1
    for number, size in enumerate(sizes):
        end = start + size
        closing = "]" if number == len(sizes) - 1 else ","
        if text[start:start + 1] != "{" or text[end - 1:end] != "}" or text[end:end + 1] != closing:
            return None
        item = text[start:end]
        header = _header(item)
        if header is None:
            return None
        items.append(header)
        taken.append(item)
        start = end + 1
    if not sizes:
        if text[start:start + 1] != "]":
            return None
        start += 1
    if text[start:].strip() != "}":  # ``results`` is the document's last member
        return None
    if verifying_skips():
        every: list[str] = []
        whole, _ = _scan_items(text, at, every)
        if every != taken or [{name: item[name] for name in _HEADER if name in item} for item in whole] != items:
            raise AssertionError("parse state: a result taken by its size is not the one the file holds there")
    texts.extend(taken)
    return items, start


def _header(item: str) -> _Unread | None:
    """The header (``_Unread``) of a result item laid out as ``ParseCache.save`` writes it; None otherwise."""
    header = _Unread()
    at = 1
    for name in _HEADER:
        key = f'"{name}":'
        if not item.startswith(key, at):
            if name == "base":
                break
            return None
        try:
            header[name], at = _DECODE(item, at + len(key))
        except ValueError:
            return None
        if item[at:at + 1] != ",":
            return None
        at += 1
    return header


def digest_text(text: str | None) -> str | None:
    """The digest the cache keeps of a file resolution read (None: there was no such file)."""
    return None if text is None else hashlib.sha1(text.encode("utf-8", errors="surrogateescape")).hexdigest()


def result_id_of(fingerprint: str, reads: dict[str, str | None]) -> str:
    """What identifies one extraction result: the fingerprint of its inputs and the digests of the files it read."""
    return hashlib.sha1(repr((fingerprint, sorted(reads.items()))).encode("utf-8", errors="surrogateescape")).hexdigest()


def tracked_cache_files(root: Path, directory: Path | None, names: tuple[str, ...] = CACHE_FILES,
                        tracked: list[str] | None = None) -> list[str]:
    """The parse cache's files (or the files ``names``) in ``directory`` that the git repository at ``root`` tracks
    (repository-relative), asked of git once; ``tracked``: the tracked paths in ``directory``, when the caller knows
    them (``freshness.CheckoutState.tracked_in_cache``): git is not asked then (``CAIRN_VERIFY_SKIPS=1`` asks it
    and compares).

    A cache the analysed repository supplies itself (``.cairn/cache/parse-state.json``
    committed in a pull request) could hand Cairn whatever parse results it
    likes: callers use ``ParseCache(None)`` instead, and write nothing there.
    Other files in the directory (an old ``*.pickle``) are never read, so they
    do not matter.
    """
    if directory is None:
        return []
    try:
        inside = Path(directory).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return []
    return tracked_among(root, [(inside / name).as_posix() for name in names], tracked)


# -- the columnar codec -------------------------------------------------------------------

#: What a malformed cache raises while being rebuilt (``zip(strict=True)`` raises ValueError).
_SHAPE_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError)
_KINDS = (RUNTIME, TYPE_ONLY, DYNAMIC)
_KIND_INDEX = {kind: i for i, kind in enumerate(_KINDS)}
_KIND_NUMBERS = frozenset(range(len(_KINDS)))


def _join(items: list[str]) -> list:
    """Strings as [count, NUL-joined] (no string Cairn stores holds a NUL)."""
    return [len(items), "\0".join(items)]


def _split(packed: list) -> list[str]:
    count, text = packed
    items = text.split("\0") if count else []
    if len(items) != count:
        raise ValueError("string table length")
    return items


class _PathTable:
    """Paths numbered in the order first seen, so each is stored once."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, path: str) -> int:
        i = self.index.get(path)
        if i is None:
            i = self.index[path] = len(self.paths)
            self.paths.append(path)
        return i


def _encode_stats(stats: dict[str, tuple[int, int, str]]) -> tuple[list[str], dict]:
    """The stats' path table (each path once: the stats' own keys) and their columns, made in C (50k paths, in a
    thread beside the code graph)."""
    values = stats.values()
    return list(stats), {"path": list(range(len(stats))), "size": list(map(itemgetter(0), values)),
                         "mtime": list(map(itemgetter(1), values)), "blob": _join(list(map(itemgetter(2), values)))}


def _decode_stats(data: dict, paths: list[str]) -> dict[str, tuple[int, int, str]]:
    return dict(zip(map(paths.__getitem__, data["path"]), zip(data["size"], data["mtime"], _split(data["blob"]), strict=True),
                    strict=True))


def _encode_result(result: CodeResult, table: _PathTable) -> dict:
    names = list(result.modules)
    number = {name: i for i, name in enumerate(names)}
    imports = [(number[module], imp) for module, found in result.imports.items() for imp in found]
    return {
        "modules": {
            "name": _join(names), "path": [table(result.modules[n][0]) for n in names],
            "language": [result.modules[n][1] for n in names], "files": [[table(f) for f in result.modules[n][2]] for n in names],
        },
        "with_imports": [number[m] for m in result.imports],
        "imports": {
            "module": [m for m, _ in imports], "file": [table(i.file) for _, i in imports],
            "target": _join([i.target for _, i in imports]), "line": [i.line for _, i in imports],
            "kind": [_KIND_INDEX[i.kind] for _, i in imports], "external": [int(i.external) for _, i in imports],
        },
        "languages": dict(result.languages), "syntax_errors": result.syntax_errors, "skipped_content": result.skipped_content,
        "lines": {"path": [table(p) for p in result.lines], "count": list(result.lines.values())},
        "parsed": result.parsed, "cached": result.cached, "notes": result.notes,
    }


def _decode_result(data: dict, paths: list[str]) -> CodeResult:
    m = data["modules"]
    names = _split(m["name"])
    path_of = paths.__getitem__
    # (the tables made in C, a column at a time: what the comprehensions they replace made, 50k entries each at 50k modules)
    module_files = list(map(list, map(map, repeat(path_of), m["files"])))
    modules = dict(zip(names, zip(map(path_of, m["path"]), map(str, m["language"]), module_files, strict=True), strict=True))
    imports: dict[str, list[ResolvedImport]] = {names[i]: [] for i in data["with_imports"]}
    i = data["imports"]
    # Every import made in C (``tuple.__new__`` of the named tuple: what ``ResolvedImport(...)`` makes, without a
    # Python call each: 300k imports at 50k modules), then put in its module's list a run of the same module at a time
    # (the encoder writes each module's imports together; a module met again is only extended again).
    built = list(map(tuple.__new__, repeat(ResolvedImport), zip(
        _split(i["target"]), i["line"], map(_KINDS.__getitem__, i["kind"]), map(bool, i["external"]), map(path_of, i["file"]),
        strict=True,
    )))
    listed = list(map(itemgetter(2), modules.values()))  # each module's files (of its last entry, were a name twice)
    modules_of = i["module"]
    if len(modules_of) != len(built):
        raise ValueError("import columns")
    # where each run of one module starts, found in C
    starts = [0, *compress(range(1, len(modules_of)), map(ne, islice(modules_of, 1, None), modules_of))] if built else []
    runs = list(map(names.__getitem__, map(modules_of.__getitem__, starts)))
    if len(set(runs)) == len(runs):  # each module's imports together, as this Cairn writes them: one slice each
        listed_count = len(imports)
        imports.update(zip(runs, map(built.__getitem__, map(slice, starts, [*starts[1:], len(built)]))))
        if len(imports) != listed_count:
            raise KeyError("module")  # imports of a module not listed
    else:
        at = 0
        for module, run in groupby(modules_of):
            count = len(list(run))
            imports[names[module]].extend(built[at:at + count])
            at += count
    return CodeResult(
        modules=modules, file_module=dict(zip(chain.from_iterable(listed), chain.from_iterable(map(repeat, modules, map(len, listed))))),
        imports=imports,
        languages=Counter(data["languages"]), syntax_errors=dict(data["syntax_errors"]),
        skipped_content=dict(data["skipped_content"]),
        lines=dict(zip(map(path_of, data["lines"]["path"]), map(int, data["lines"]["count"]), strict=True)),
        parsed=int(data["parsed"]), cached=int(data["cached"]),
        notes=[str(n) for n in data["notes"]],
    )


def _patch(base: CodeResult, result: CodeResult) -> dict | None:
    """``result`` as what it changes of ``base`` (counts, and the imports of a few modules), when it is ``base`` but
    for those: the same modules and notes, and the other modules' imports, by identity (a carried-over result
    shares them); else None."""
    if not (result.modules is base.modules and result.file_module is base.file_module
            and result.languages is base.languages and result.skipped_content is base.skipped_content
            and result.notes == base.notes and list(result.lines) == list(base.lines)
            and list(result.syntax_errors) == list(base.syntax_errors)):
        return None
    imports: dict[str, list] = {}
    if result.imports is not base.imports:
        if len(result.imports) != len(base.imports) or list(result.imports) != list(base.imports):
            return None
        for module, found in result.imports.items():
            if found is not base.imports[module]:
                imports[module] = [[i.target, i.line, _KIND_INDEX[i.kind], int(i.external), i.file] for i in found]
        if len(imports) > PATCHED_MODULES:
            return None
    return {"lines": {p: n for p, n in result.lines.items() if base.lines[p] != n},
            "syntax_errors": {p: n for p, n in result.syntax_errors.items() if base.syntax_errors[p] != n},
            "imports": imports, "parsed": result.parsed, "cached": result.cached}


def _patched(base: CodeResult, patch: dict) -> CodeResult:
    """``base`` with ``patch`` (``_patch``) applied, sharing the rest, so a later save can write it as a patch again."""
    lines, errors = dict(base.lines), dict(base.syntax_errors)
    for table, changes in ((lines, patch["lines"]), (errors, patch["syntax_errors"])):
        for path, count in changes.items():
            if path not in table or type(count) is not int:
                raise ValueError("patch")
            table[path] = count
    imports = base.imports
    if patch["imports"]:
        imports = dict(imports)
        for module, found in patch["imports"].items():
            if module not in imports:
                raise ValueError("patch")
            imports[module] = [ResolvedImport(str(target), int(line), _KINDS[kind], bool(external), str(file))
                               for target, line, kind, external, file in found]
    return replace(base, imports=imports, lines=lines, syntax_errors=errors, parsed=int(patch["parsed"]),
                   cached=int(patch["cached"]), notes=list(base.notes))


def _encode_keys(keys: list[EntryKey]) -> dict:
    return {"language": [k[0] for k in keys], "version": [k[1] for k in keys], "ext": [k[2] for k in keys],
            "blob": _join([k[3] for k in keys])}


def _encode_files(files: list[ParsedFile]) -> dict:
    imports = [imp for pf in files for imp in pf.imports]
    return {
        "file": {"path": _join([pf.path for pf in files]), "language": [pf.language for pf in files],
                 "package": [pf.package for pf in files], "errors": [pf.syntax_errors for pf in files],
                 "lines": [pf.lines for pf in files], "imports": [len(pf.imports) for pf in files]},
        "import": {"spec": _join([i.spec for i in imports]), "line": [i.line for i in imports],
                   "kind": [_KIND_INDEX[i.kind] for i in imports], "level": [i.level for i in imports],
                   "names": _join([",".join(i.names) for i in imports]), "static": [int(i.static) for i in imports]},
    }


#: The parsed files of a cache file are written in blocks of this many, each decoded when a file of it is first made
BLOCK_FILES = 256


def _entries_text(entries: Mapping[EntryKey, ParsedFile]) -> Iterator[bytes]:
    """A cache file of ``entries``, in parts to write one after the other: their keys, then the parsed files' columns
    in blocks of ``BLOCK_FILES`` files (the ``body``), whose files, length and CRC-32 the document's ``blocks`` says
    before them, so that a reader can leave each block unread until a file of it is made (``_load_blocks_unread``).
    Each block is held once, as the bytes written (not also as text, then joined, then encoded: 50 MB at 50k files)."""
    keys = list(entries)
    files = [entries[k] for k in keys]
    blocks = [_dumps(_encode_files(files[at:at + BLOCK_FILES])).encode("ascii") for at in range(0, len(files), BLOCK_FILES)]
    sizes = [[min(BLOCK_FILES, len(files) - at), len(block), zlib.crc32(block)]
             for at, block in zip(range(0, len(files), BLOCK_FILES), blocks)]
    head = _dumps({"format": "cairn-parse-cache", "version": VERSION, "key": _encode_keys(keys), "blocks": sizes})
    return _joined_parts((head[:-1] + ',"body":[').encode("ascii"), blocks, b"]}")


def _joined_parts(head: bytes, items: Iterable[bytes], tail: bytes) -> Iterator[bytes]:
    """``head + b",".join(items) + tail``, a part at a time."""
    yield head
    for at, item in enumerate(items):
        if at:
            yield b","
        yield item
    yield tail


class _BlocksUnread(dict):
    """A cache file's document but for its ``body``: the text of each block, ``unread``."""

    unread: list[str]


def _load_blocks_unread(data: bytes) -> Any:
    """``json.loads(data)``, but for a cache file laid out as ``_entries_text`` writes it (compact, each block of the
    length and CRC-32 its ``blocks`` says) the blocks are left as their text (``_BlocksUnread``): an ingest after a
    commit looks every file's key up, and makes the parses of the few changed files only (their parses before, which
    ``carry_over`` compares); decoding every block was two thirds of loading the cache. ``CAIRN_VERIFY_SKIPS=1``
    decodes the file whole too and compares."""
    document = _head_of(data) if data.isascii() else None
    if document is None:
        return json.loads(data)
    if verifying_skips() and {**document, "body": [json.loads(block) for block in document.unread]} != json.loads(data):
        raise AssertionError("parse cache: the blocks left unread are not those of the file")
    return document


def _head_of(data: bytes) -> _BlocksUnread | None:
    """The members of ``data`` before its ``body``, and the text of each block of it, checked by their ``blocks``
    (files, length, CRC-32); None when the file is not laid out so."""
    text = data.decode("ascii")
    document = _BlocksUnread()
    at = 1
    try:
        if not text.startswith("{"):
            return None
        while "blocks" not in document:
            key, at = _DECODE(text, at)
            if type(key) is not str or text[at:at + 1] != ":" or key in document:
                return None
            document[key], at = _DECODE(text, at + 1)
            if text[at:at + 1] != ",":
                return None
            at += 1
    except (ValueError, RecursionError):
        return None
    blocks = document["blocks"]
    if type(blocks) is not list or not text.startswith('"body":[', at):
        return None
    at += len('"body":[')
    unread = []
    view = memoryview(data)
    for number, block in enumerate(blocks):
        if type(block) is not list or len(block) != 3 or not all(type(n) is int for n in block) or block[1] < 2:
            return None
        _, size, check = block
        end = at + size
        if text[end:end + 1] != ("]" if number == len(blocks) - 1 else ",") or zlib.crc32(view[at:end]) != check:
            return None
        unread.append(text[at:end])
        at = end + 1
    if not blocks:
        if text[at:at + 1] != "]":
            return None
        at += 1
    if at != len(text) - 1 or not text.endswith("}"):
        return None
    document.unread = unread
    return document


class _Block:
    """The columns of a run of a cache file's parsed files (the whole table, in a file laid out otherwise), checked:
    every column's length, each file's count of imports, its line count and each import's kind."""

    def __init__(self, data: dict, files: int):
        i = data["import"]
        self.columns = (_split(i["spec"]), i["line"], i["kind"], i["level"], _split(i["names"]), i["static"])
        total = len(self.columns[0])
        kinds = self.columns[2]
        if any(len(column) != total for column in self.columns) or not (set(map(type, kinds)) <= {int}
                                                                         and set(kinds) <= _KIND_NUMBERS):
            raise ValueError("import columns")
        f = data["file"]
        self.paths, self.languages, self.packages, self.errors = _split(f["path"]), f["language"], f["package"], f["errors"]
        self.lines = [None if n is None else int(n) for n in f["lines"]]
        self.counts = f["imports"]
        if not all(len(column) == files for column in (self.paths, self.languages, self.packages, self.errors,
                                                         self.lines, self.counts)):
            raise ValueError("file columns")
        if not (set(map(type, self.counts)) <= {int} and min(self.counts, default=0) >= 0):
            raise ValueError("import count")
        self.starts = list(accumulate(self.counts, initial=0))
        if self.starts[-1] != total:
            raise ValueError("import count")

    def made(self, row: int) -> ParsedFile:
        return _CachedParse(self.paths[row], self.languages[row], self.packages[row], self.errors[row], self.lines[row],
                            self.columns, self.starts[row], self.counts[row])


class _Table:
    """The parsed files of one cache file, by its keys (each file made when first asked for: ``Entries``).

    Its columns are checked (``_Block``) as they are read, so a malformed file is still ignored as a whole: all at
    once, but for the blocks of a file as this Cairn writes it (``_load_blocks_unread``), each read when a file of it
    is first made (their CRC-32 says they are as written)."""

    def __init__(self, data: dict):
        k = data["key"]
        self.keys = list(zip(k["language"], k["version"], k["ext"], _split(k["blob"]), strict=True))
        if not isinstance(data, _BlocksUnread) and "body" not in data:  # (as Cairn wrote them before blocks: one, whole)
            self.firsts, self._blocks = [0], [_Block(data, len(self.keys))]
            return
        sizes, body = data["blocks"], data.unread if isinstance(data, _BlocksUnread) else data["body"]
        if len(sizes) != len(body) or not all(type(files) is int and files > 0 for files, *_ in sizes):
            raise ValueError("blocks")
        self.firsts = list(accumulate((files for files, *_ in sizes), initial=0))
        if self.firsts.pop() != len(self.keys):
            raise ValueError("blocks")
        self._sizes = [files for files, *_ in sizes]
        self._blocks: list[_Block | str] = [block if type(block) is str else _Block(block, files)
                                            for block, files in zip(body, self._sizes)]

    def made(self, row: int) -> ParsedFile:
        number = bisect_right(self.firsts, row) - 1
        block = self._blocks[number]
        if type(block) is str:
            block = self._blocks[number] = _Block(json.loads(block), self._sizes[number])
        return block.made(row - self.firsts[number])  # type: ignore[union-attr]


class Entries(MutableMapping):
    """Parsed files by (language, parser version, extension, blob id). Those read from a cache file are made when
    first asked for (``_Table.made``): an ingest after a commit looks up every file of the repository, but reads
    the parses of the few changed ones only (``extract_code``), and 50,000 of them cost a third of a second to make.
    ``keys()`` is the key view of a dict (a lookup in C)."""

    def __init__(self) -> None:
        self._values: dict[EntryKey, ParsedFile | tuple[_Table, int]] = {}

    def read(self, table: _Table, *, keep: bool = False) -> None:
        """Add ``table``'s files (the last of a key wins); ``keep``: not over a key already held."""
        rows = zip(repeat(table), range(len(table.keys)))
        if not keep and not self._values:
            self._values = dict(zip(table.keys, rows))
            return
        values = self._values
        for key, row in zip(table.keys, rows):
            if keep:
                values.setdefault(key, row)
            else:
                values[key] = row

    def since(self, start: int) -> dict[EntryKey, ParsedFile]:
        """The entries from the ``start``-th on (in the order added), made; the ones before are not made (a save after
        a commit writes the few added, and ``islice`` of ``items()`` made each of the 50,000 it skipped)."""
        return {key: self[key] for key in list(islice(self._values, start, None))}

    def __getitem__(self, key: EntryKey) -> ParsedFile:
        value = self._values[key]
        if type(value) is tuple:
            value = self._values[key] = value[0].made(value[1])
        return value

    def get(self, key: EntryKey, default: ParsedFile | None = None) -> ParsedFile | None:  # type: ignore[override]
        return self[key] if key in self._values else default

    def __setitem__(self, key: EntryKey, value: ParsedFile) -> None:
        self._values[key] = value

    def __delitem__(self, key: EntryKey) -> None:
        del self._values[key]

    def __iter__(self) -> Iterator[EntryKey]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def keys(self):  # type: ignore[override]
        return self._values.keys()

    def __repr__(self) -> str:
        return f"Entries({len(self._values)})"


class _CachedParse(ParsedFile):
    """A parsed file read from the cache file, whose ``imports`` are built from the file's columns on first use."""

    def __init__(self, path: str, language: str, package: str | None, syntax_errors: int, lines: int | None,
                 columns: tuple[list, ...], start: int, count: int):
        self.path, self.language, self.package, self.syntax_errors, self.lines = path, language, package, syntax_errors, lines
        self._columns: tuple[tuple[list, ...], int, int] | None = (columns, start, count)

    def __eq__(self, other: object) -> bool:  # equal to the ParsedFile it was written from, as dataclasses compare
        if not isinstance(other, ParsedFile):
            return NotImplemented
        return (self.path, self.language, self.imports, self.package, self.syntax_errors, self.lines) == (
            other.path, other.language, other.imports, other.package, other.syntax_errors, other.lines)

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str):
        if name != "imports" or self.__dict__.get("_columns") is None:
            raise AttributeError(name)
        (specs, lines, kinds, levels, names, statics), start, count = self._columns
        end = start + count
        self.imports = [RawImport(spec, line, _KINDS[kind], level, tuple(names.split(",")) if names else (), bool(static))
                        for spec, line, kind, level, names, static in zip(
                            specs[start:end], lines[start:end], kinds[start:end], levels[start:end], names[start:end],
                            statics[start:end])]
        self._columns = None
        return self.imports
