"""The decision records of the last ingest, as parsed, kept between ingests so an unchanged record is not parsed again.

``parse_decision`` turns a record's bytes into a ``Decision`` with a full
Markdown parser (markdown-it, and YAML for front matter): importing the
parsers alone costs more than a whole ingest after a small commit spends on
the rest of the decisions. ``DecisionCache`` keeps, per record path, the
SHA-256 of the bytes read and what ``parse_decision`` made of them (the
``Decision``, or the ``AdrFormatError`` message of a file that is not a
readable record), in ``decisions.json`` of the ingest's cache directory,
beside the dates the history gave the records that state none
(``added_dates.Remembered``: each with the commit it was found for; and
``added_dates.LastLog``, what the history's additions were at the last ingest) and the
components the records were found to govern (``links_for``): kept for the
records' bytes, the components, the repository's names, the components'
package names and, when a record names a type, the files named for types
(``components.SymbolFiles``) they were read against, all of them, and used
only when all of them are the same again (an ingest after a commit that
changed no record, no component, no manifest's name and no such file).

A record is taken from the cache only when its bytes hash the same and the
cache was written by this very build of Cairn (``build.cairn_build``: a
change to the parser invalidates it). A cache file the analysed repository
tracks (a cache directory inside the checkout, the file committed) is neither
read nor written, like the parse cache and the history state. A decision is kept only when it comes
back from JSON equal to itself (a rule written with a date or a non-string
key would not): such a record is parsed every time. Under
``CAIRN_VERIFY_SKIPS`` every record taken from the cache is parsed again and
compared. The file is JSON written by Cairn into its own cache directory,
never repository content; a file that cannot be read as this cache is
ignored and replaced.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from cairn.graph.atomic import write_atomic
from cairn.graph.store import verifying_skips
from cairn.ingest.adrs.records import AdrFormatError, ComponentLink, Decision, RawRule

if TYPE_CHECKING:
    from cairn.ingest.adrs.components import SymbolFiles

CACHE_FILE = "decisions.json"
FORMAT = "cairn-decision-cache"
VERSION = 2


def parse_decision(path: str, raw: bytes) -> Decision:
    """``formats.parse_decision``, its parsers (and YAML) imported only when a record is parsed."""
    from cairn.ingest.adrs.formats import parse_decision

    return parse_decision(path, raw)


def _encoded(decision: Decision) -> dict[str, Any]:
    return dataclasses.asdict(decision)


def links_entry(decision: Decision) -> list[Any]:
    """How the cache keeps what a decision governs: [its component links, its mentions]."""
    return [[dataclasses.asdict(c) for c in decision.components], list(decision.mentions)]


def links_from_entry(entry: Any) -> tuple[list[ComponentLink], list[str]] | None:
    """``links_entry``'s component links and mentions read back; None when ``entry`` is not one."""
    try:
        return [ComponentLink(**c) for c in entry[0]], [str(m) for m in entry[1]]
    except (TypeError, KeyError, IndexError):
        return None


def _decoded(data: dict[str, Any]) -> Decision:
    # (a copy: the ingest completes a decision in place, superseded_by among others, and the entry is saved again)
    fields = copy.deepcopy(data)
    fields["components"] = [ComponentLink(**c) for c in fields["components"]]
    fields["rules"] = [RawRule(**r) for r in fields["rules"]]
    fields["references"] = [tuple(r) for r in fields["references"]]
    return Decision(**fields)


class DecisionCache:
    """``parsed(path, raw)``: ``parse_decision(path, raw)``, from the cache when the bytes are the ones parsed last
    time; ``save()`` keeps what this ingest read (the records not read again are forgotten)."""

    def __init__(self, cache_dir: Path, build: str, root: Path, tracked: bool | None = None) -> None:
        """``tracked``: whether the repository at ``root`` tracks the cache file, when the caller asked git already
        (None: asked here)."""
        self.path = Path(cache_dir) / CACHE_FILE
        self.build = build
        if tracked is None:
            from cairn.ingest.tracked import tracks

            tracked = tracks(Path(root).resolve(), self.path)
        self.usable = not tracked
        self._old: dict[str, list[Any]] = {}
        self._old_links: dict[str, Any] = {}
        #: The records' dates from their history (``added_dates``'s ``remembered``), read and updated in place.
        self.dates: dict[str, list[str]] = {}
        #: The records' additions the history gave last time (``added_dates``'s ``last_log``), updated in place.
        self.additions: dict[str, Any] = {}
        #: Every record read this time -> the SHA-256 of its bytes (kept in the cache or not).
        self._digests: dict[str, str] = {}
        if self.usable:
            self._old, self.dates = self._read()
        self._old_dates = dict(self.dates)
        self._old_additions = dict(self.additions)
        self._new: dict[str, list[Any]] = {}
        self.reused = 0
        self.links: dict[str, Any] = self._old_links

    def _read(self) -> tuple[dict[str, list[Any]], dict[str, list[str]]]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}, {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION \
                or data.get("build") != self.build or not isinstance(data.get("entries"), dict):
            return {}, {}
        dates = data.get("dates")
        if not isinstance(dates, dict):
            dates = {}
        links = data.get("links")
        self._old_links = links if isinstance(links, dict) and isinstance(links.get("key"), str) else {}
        additions = data.get("additions")
        self.additions = additions if isinstance(additions, dict) else {}
        return data["entries"], {k: v for k, v in dates.items()
                                 if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)}

    def parsed(self, path: str, raw: bytes) -> Decision:
        """What ``parse_decision(path, raw)`` gives (raises its ``AdrFormatError`` too)."""
        digest = self._digests[path] = hashlib.sha256(raw).hexdigest()
        entry = self._old.get(path)
        if entry is not None and len(entry) == 3 and entry[0] == digest:
            kind, value = entry[1], entry[2]
            self._new[path] = entry
            if kind == "problem" and isinstance(value, str):
                if verifying_skips():
                    self._verify_problem(path, raw, value)
                self.reused += 1
                raise AdrFormatError(value)
            if kind == "decision" and isinstance(value, dict):
                try:
                    decision = _decoded(value)
                except (TypeError, KeyError, ValueError):
                    decision = None
                if decision is not None:
                    if verifying_skips() and decision != parse_decision(path, raw):
                        raise AssertionError(f"{path}: the decision kept in {self.path} differs from a parse of its bytes")
                    self.reused += 1
                    return decision
        try:
            decision = parse_decision(path, raw)
        except AdrFormatError as exc:
            self._new[path] = [digest, "problem", str(exc)]
            raise
        encoded = _encoded(decision)
        try:
            text = json.dumps(encoded)
            same = _decoded(json.loads(text)) == decision
        except (TypeError, ValueError):
            same = False
        if same:
            self._new[path] = [digest, "decision", encoded]
        return decision

    def links_key(self, components: dict[str, list[str]], product: Sequence[str],
                  packages: Mapping[str, str] | None = None, symbols: SymbolFiles | None = None) -> str:
        """What the records' component links depend on: every record read this time (its bytes), the components, the
        repository's names, the components' package names and the files named for types (when a record names one)."""
        read = sorted(self._digests.items())
        return hashlib.sha256(json.dumps([read, sorted(components.items()), list(product),
                                          sorted((packages or {}).items()),
                                          symbols.digest() if symbols is not None else None]).encode()).hexdigest()

    def links_for(self, key: str) -> dict[str, list[Any]] | None:
        """Record path -> [its component links, its mentions] as kept for ``key``; None when they were kept for
        another."""
        links = self._old_links
        return links.get("records") if links.get("key") == key and isinstance(links.get("records"), dict) else None

    def keep_links(self, key: str, decisions: list[Decision]) -> None:
        self.links = {"key": key, "records": {d.path: links_entry(d) for d in decisions}}

    @staticmethod
    def _verify_problem(path: str, raw: bytes, message: str) -> None:
        try:
            parse_decision(path, raw)
        except AdrFormatError as exc:
            if str(exc) == message:
                return
        raise AssertionError(f"{path}: the problem kept for it ({message}) is not what a parse of its bytes gives")

    def save(self) -> None:
        """Write the entries of this ingest when they differ from the file's."""
        if not self.usable or (self._new == self._old and self.dates == self._old_dates and self.links == self._old_links
                               and self.additions == self._old_additions):
            return
        data = {"format": FORMAT, "version": VERSION, "build": self.build, "entries": self._new, "dates": self.dates,
                "links": self.links, "additions": self.additions}
        try:
            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode())
        except OSError:
            pass  # a cache that cannot be written is parsed again next time
