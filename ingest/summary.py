"""What an ingest run reports (``IngestSummary``) and hands back (``IngestResult``).

Kept apart from ``pipeline`` so that a caller that only reports (an ingest
that found nothing changed) does not import the whole of ingest.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from cairn.graph.changes import TrendInputs
    from cairn.graph.model import RepoGraph
    from cairn.graph.store import EdgeKey
    from cairn.ingest.config import CairnConfig
    from cairn.ingest.knowledge import KnowsDelta

#: The summary fields kept on the Repository node (``ingest_summary``), so a later run that changes nothing can
#: report them without reading the graph. ``path``, ``head`` and ``seconds`` belong to each run, and so do ``parsed``
#: and ``cached`` (kept as their sum, ``code_files``: the graph is the same whether its files came from the cache).
KEPT_FIELDS = ("files_by_language", "modules", "edges", "external_packages", "standard_library", "components", "skipped",
               "syntax_errors", "commits", "people", "decisions", "rules", "notes", "warnings")


class IngestSummary:
    """What an ingest run reports: counts of what it found, notes and warnings, its time. (A plain class rather than a
    dataclass: every ingest makes this class, and a dataclass of this many fields takes 0.7 ms to make.)"""

    #: the fields, in the order ``as_dict`` (the JSON summary) gives them
    FIELDS = ("repo", "path", "head", "files_by_language", "modules", "edges", "external_packages", "standard_library",
              "components", "skipped", "syntax_errors", "parsed", "cached", "commits", "people", "decisions", "rules",
              "notes", "warnings", "seconds")

    def __init__(self, repo: str, path: str, head: str | None, files_by_language: dict[str, int] | None = None,
                 modules: int = 0, edges: int = 0, external_packages: int = 0, standard_library: int = 0,
                 components: int = 0, skipped: dict[str, int] | None = None, syntax_errors: int = 0, parsed: int = 0,
                 cached: int = 0, commits: int = 0, people: int = 0, decisions: int = 0, rules: int = 0,
                 notes: list[str] | None = None, warnings: list[str] | None = None, seconds: float = 0.0) -> None:
        self.repo = repo
        self.path = path
        self.head = head
        self.files_by_language: dict[str, int] = {} if files_by_language is None else files_by_language
        self.modules = modules
        self.edges = edges
        self.external_packages = external_packages  # third-party: the standard library is counted apart
        self.standard_library = standard_library
        self.components = components
        self.skipped: dict[str, int] = {} if skipped is None else skipped
        self.syntax_errors = syntax_errors
        self.parsed = parsed
        self.cached = cached
        self.commits = commits
        self.people = people
        self.decisions = decisions
        self.rules = rules
        self.notes: list[str] = [] if notes is None else notes
        self.warnings: list[str] = [] if warnings is None else warnings
        self.seconds = seconds

    def as_dict(self) -> dict[str, Any]:
        """Every field, in ``FIELDS`` order, as JSON-able data (copies: changing them leaves the summary as it is)."""
        return {name: copy.deepcopy(getattr(self, name)) for name in self.FIELDS}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.as_dict() == other.as_dict()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return "IngestSummary(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS) + ")"

    def kept(self) -> dict[str, Any]:
        """The fields a later unchanged run reports again (``KEPT_FIELDS``), as JSON-able data."""
        data = self.as_dict()
        return {**{name: data[name] for name in KEPT_FIELDS}, "code_files": self.parsed + self.cached}

    @classmethod
    def from_kept(cls, repo: str, path: str, head: str | None, kept: dict[str, Any]) -> "IngestSummary":
        """The summary of a run that kept the stored graph: the stored counts, nothing parsed (every code file 'cached')."""
        values = {name: kept[name] for name in KEPT_FIELDS if name in kept}
        return cls(repo=repo, path=path, head=head, parsed=0, cached=int(kept.get("code_files") or 0), **values)


class IngestResult:
    """The graph an ingest built (or, when nothing changed, the stored one, loaded on first use), its summary and config."""

    def __init__(self, graph: "RepoGraph | None", summary: IngestSummary, config: "CairnConfig | None",
                 trends: "TrendInputs | None" = None, *, load: "Callable[[], RepoGraph] | None" = None,
                 unchanged: bool = False, import_changes: "tuple[str, set[EdgeKey], set[EdgeKey]] | None" = None,
                 knows_delta: "KnowsDelta | None" = None, code_nodes: "frozenset[str] | None" = None):
        if graph is None and load is None:
            raise ValueError("an IngestResult needs a graph or a way to load it")
        self._graph = graph
        self._load = load
        self.summary = summary
        #: the validated configuration; None when nothing changed and none was given (it was not validated then)
        self.config = config
        #: what the trend analysis needs (``queries.trends.annotate_trends``); None without history or when unchanged
        self.trends = trends
        #: True when the stored graph already described the checkout and nothing was written
        self.unchanged = unchanged
        #: (the ``code_fingerprint`` of the graph compared with, IMPORTS edges changed, deleted), when worked out
        self.import_changes = import_changes
        #: which files' KNOWS edges differ from the last ingest's (``ingest.knowledge.KnowsDelta``), when known
        self.knows_delta = knows_delta
        #: the File and Module nodes whose code or change counts may differ from the graph ``import_changes`` names
        #: (``ingest.code_graph.code_nodes_changed``, the files the new commits touch), when both are known
        self.code_nodes = code_nodes

    @property
    def graph(self) -> "RepoGraph":
        if self._graph is None:
            assert self._load is not None
            self._graph = self._load()
        return self._graph

    @property
    def repo(self) -> str:
        return self.summary.repo
