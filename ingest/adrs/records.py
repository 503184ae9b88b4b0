"""What one decision record holds once read, and the problems met reading records.

``Decision`` is a record as read (title, number, normalised status and the raw
text it came from, date, people, tags, relations to other records as
repository-relative paths, linked components, a summary, raw rules);
``AdrFormatError`` says why a file cannot be read as a record (``formats``);
``Problem`` is a file that could not be read or a reference that names no
record; ``ComponentLink`` says which component a decision governs and how sure
that is; ``RawRule`` is a rule as written inside a record, validated later by
``ingest.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RELATIONS = ("supersedes", "superseded_by", "amends", "amended_by")
#: A larger file is not read as a decision record.
MAX_ADR_BYTES = 1_000_000
#: Extensions of the records read as reStructuredText (``restructured``); the others ``discovery.RECORD_EXTENSIONS``
#: names are Markdown.
RST_EXTENSIONS = (".rst",)


class AdrFormatError(Exception):
    """The file cannot be read as a decision record."""


@dataclass
class Problem:
    path: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message, "skipped": self.skipped}


@dataclass
class ComponentLink:
    name: str
    inferred: bool
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class RawRule:
    """A rule as written inside a decision, validated later by ``ingest.rules``."""

    data: dict[str, Any]
    origin: str  # e.g. "front matter" or "```cairn block at line 40"


@dataclass
class Decision:
    path: str
    title: str
    number: int | None = None
    status: str = "unknown"
    status_raw: str | None = None
    status_inferred: bool = False
    date: str | None = None
    date_raw: str | None = None
    date_from: str = "record"  # or "history": the record states none, the commit that added it gave it
    deciders: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    amended_by: list[str] = field(default_factory=list)
    components: list[ComponentLink] = field(default_factory=list)
    summary: str | None = None
    format: str = "markdown"
    rules: list[RawRule] = field(default_factory=list)
    # (relation, reference text, link target) as written, before resolution
    references: list[tuple[str, str, str | None]] = field(default_factory=list)
    text: str = field(default="", repr=False)
    code_spans: list[str] = field(default_factory=list, repr=False)
    #: the repository paths its relative links point at (``[writer](../../internal/storage/writer.go)``)
    linked_paths: list[str] = field(default_factory=list, repr=False)
    #: the repository paths below some component its text and links name (``components.mentioned_paths``), read
    #: after parsing
    mentions: list[str] = field(default_factory=list, repr=False)
    #: what was passed over in reading it, each said as a problem that does not skip the record (a front matter that
    #: is not valid YAML: read without it)
    notes: list[str] = field(default_factory=list, repr=False)

    def relation(self, name: str) -> list[str]:
        return getattr(self, name)


