"""What an ingest run reports (``IngestSummary``) and hands back (``IngestResult``).

Kept apart from ``pipeline`` so that a caller that only reports (an ingest
that found nothing changed) does not import the whole of ingest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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


@dataclass
class IngestSummary:
    repo: str
    path: str
    head: str | None
    files_by_language: dict[str, int] = field(default_factory=dict)
    modules: int = 0
    edges: int = 0
    external_packages: int = 0  # third-party: the standard library is counted apart
    standard_library: int = 0
    components: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    syntax_errors: int = 0
    parsed: int = 0
    cached: int = 0
    commits: int = 0
    people: int = 0
    decisions: int = 0
    rules: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def kept(self) -> dict[str, Any]:
        """The fields a later unchanged run reports again (``KEPT_FIELDS``), as JSON-able data."""
        data = asdict(self)
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
