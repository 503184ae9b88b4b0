"""One ingest run: a checkout in, one ``RepoGraph`` out.

The steps, in order: list and classify files; extract code dependencies;
assign components; mine history for knowledge and, from the same pass, change
coupling, change counts, the agent inventory and the inputs of trends
(``ingest.cochange``, ``ingest.trend_history``); read CODEOWNERS; read
decisions and rules. Each step adds to the same graph (see ``graph.model`` for the
vocabulary). Derived results (bus factor) are computed by ``queries`` over
this graph afterwards; storing it is the caller's business.

A step that cannot run (no git history, no ADRs) is noted in the summary and
the rest still runs; bad input inside the repository (a syntax error, a
binary file, a malformed ADR) is counted or reported, never fatal.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from cairn.graph.changes import TrendInputs
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.code.extract import ParseCache, SourceFile, extract_code
from cairn.ingest.cochange import add_line_counts
from cairn.ingest.code_graph import build_code_graph
from cairn.ingest.components import declared_components, infer_components
from cairn.ingest.config import CairnConfig, load_config
from cairn.ingest.files import CODE_LANGUAGES, Listing, list_files

#: ``progress(stage, done, total)``
StageProgress = Callable[[str, int, int], None]


class IngestError(Exception):
    """The repository cannot be ingested at all (missing path, not a directory)."""


@dataclass
class IngestSummary:
    repo: str
    path: str
    head: str | None
    files_by_language: dict[str, int] = field(default_factory=dict)
    modules: int = 0
    edges: int = 0
    external_packages: int = 0
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


@dataclass
class IngestResult:
    graph: RepoGraph
    summary: IngestSummary
    config: CairnConfig
    #: what the trend analysis needs (``queries.trends.annotate_trends``); None without history
    trends: TrendInputs | None = None


def _git(root: Path, *args: str) -> str | None:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def default_repo_name(root: Path) -> str:
    return root.resolve().name


def ingest_repository(
    root: Path,
    config: CairnConfig | None = None,
    *,
    repo_name: str | None = None,
    cache_dir: Path | None = None,
    progress: StageProgress | None = None,
    config_file: Path | None = None,
) -> IngestResult:
    started = time.perf_counter()
    root = Path(root)
    if not root.exists():
        raise IngestError(f"{root}: no such directory")
    if not root.is_dir():
        raise IngestError(f"{root}: not a directory")
    root = root.resolve()
    config = config if config is not None else load_config(root, config_file)
    repo = repo_name or default_repo_name(root)
    graph = RepoGraph(repo)
    notify = progress or (lambda stage, done, total: None)

    notify("listing files", 0, 1)
    listing = list_files(root, exclude=config.ingest.exclude, max_file_bytes=config.ingest.max_file_bytes)
    notify("listing files", 1, 1)
    head = _git(root, "rev-parse", "HEAD") if listing.is_git else None
    # Whether the checkout differs from HEAD (Cairn's own store directory aside): a clean ingest
    # of a commit can stand in for that commit's code graph in a PR check.
    dirty = any(not line[3:].startswith(".cairn/") for line in (_git(root, "status", "--porcelain") or "").splitlines()) if head else None
    summary = IngestSummary(repo=repo, path=str(root), head=head)
    summary.notes.extend(listing.notes)
    if not listing.is_git:
        summary.warnings.append(f"{root} is not the top of a git repository: code is ingested, but ownership and bus factor need git history")
    elif head is None:
        summary.warnings.append("the repository has no commits yet: ownership and bus factor need history")

    repo_node = graph.add_node(
        Label.REPOSITORY, repo, path=str(root), head=head, dirty=dirty,
        branch=_git(root, "rev-parse", "--abbrev-ref", "HEAD") if head else None,
        remote=_git(root, "config", "--get", "remote.origin.url") if listing.is_git else None,
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        thresholds=config.thresholds.model_dump(), departed=list(config.identities.departed),
        config_source=config.source, baseline=config.baseline, ingest_settings=config.ingest.model_dump(),
        identity_patterns=config.identities.model_dump(),
    )

    # -- code ------------------------------------------------------------------
    code_files = [SourceFile(f.path, f.size, f.mtime_ns) for f in listing.kept if f.language in CODE_LANGUAGES]
    cache = ParseCache(cache_dir)
    code = extract_code(
        code_files, lambda p: (root / p).read_bytes(), all_paths=listing.all_paths, read_text=listing.read_text,
        cache=cache, progress=lambda d, t: notify("parsing code", d, t),
    )
    try:
        cache.save()
    except OSError as exc:
        summary.notes.append(f"parse cache not saved ({exc})")
    summary.notes.extend(code.notes)
    if code.skipped_content:  # binary or generated content the driver found in code files
        listing.kept = [f for f in listing.kept if f.path not in code.skipped_content]
        for path, reason in code.skipped_content.items():
            listing.skip(path, reason)

    source_paths = sorted(f.path for f in listing.kept if f.language is not None)
    defs = declared_components(config.components) if config.components else infer_components(source_paths, repo)
    build_code_graph(graph, code, source_paths, defs, {f.path: f.language for f in listing.kept})
    add_line_counts(graph, root)
    summary.parsed, summary.cached = code.parsed, code.cached
    summary.syntax_errors = len(code.syntax_errors)
    if code.syntax_errors:
        worst = sorted(code.syntax_errors, key=code.syntax_errors.get, reverse=True)[:3]
        summary.notes.append(f"{len(code.syntax_errors)} file(s) with syntax errors, still used: {', '.join(worst)}")

    # -- history, ownership, decisions ---------------------------------------------
    trends = _add_history(graph, root, config, listing, head, summary, notify, defs, cache_dir)
    _add_codeowners(graph, root, summary)
    _add_decisions(graph, root, config, summary)

    summary.files_by_language = dict(sorted(Counter(f.language for f in listing.kept if f.language).items()))
    summary.skipped = dict(sorted(listing.skipped.items()))
    counts = graph.counts()
    summary.modules = counts.get(Label.MODULE.value, 0)
    summary.external_packages = counts.get(Label.EXTERNAL.value, 0)
    summary.edges = counts.get(Rel.IMPORTS.value, 0)
    summary.components = counts.get(Label.COMPONENT.value, 0)
    summary.people = counts.get(Label.PERSON.value, 0)
    summary.decisions = counts.get(Label.DECISION.value, 0)
    summary.rules = counts.get(Label.RULE.value, 0)
    summary.seconds = round(time.perf_counter() - started, 3)
    repo_node.props.update(languages=summary.files_by_language, skipped=summary.skipped, ingest_notes=summary.notes + summary.warnings)
    return IngestResult(graph, summary, config, trends)


def _add_history(graph: RepoGraph, root: Path, config: CairnConfig, listing: Listing, head: str | None,
                 summary: IngestSummary, notify: StageProgress, defs: list, cache_dir: Path | None) -> TrendInputs | None:
    if not listing.is_git or head is None:
        return None
    try:
        from cairn.ingest.history import add_knowledge, mine_history
    except ImportError:
        summary.notes.append("history ingest is not available in this build")
        return None
    from cairn.ingest.agent_markers import MarkerMatcher
    from cairn.ingest.cochange import ChangeLog, add_changes
    from cairn.ingest.gcpause import gc_paused
    from cairn.ingest.trend_history import trend_inputs

    log = ChangeLog()
    with gc_paused():  # allocation-heavy, cycle-free: see ingest.gcpause
        history = mine_history(root, config.identities, progress=lambda d, t: notify("reading history", d, t),
                               markers=MarkerMatcher.build(config.agents.markers), observer=log.records.append)
        add_knowledge(graph, history)
        summary.commits = int(graph.repository.get("commits") or 0)
        summary.notes.extend(graph.repository.get("history_notes") or [])
        notify("change coupling and trends", 0, 1)
        changes = add_changes(graph, log, history, config.coupling, config.agents)
        trends = trend_inputs(graph, log, history, changes, config=config, defs=defs, cache_dir=cache_dir)
    summary.notes.extend(trends.notes)
    notify("change coupling and trends", 1, 1)
    return trends


def _add_codeowners(graph: RepoGraph, root: Path, summary: IngestSummary) -> None:
    try:
        from cairn.ingest.codeowners import add_ownership, read_codeowners
    except ImportError:
        return
    owners = read_codeowners(root)
    add_ownership(graph, owners)
    summary.notes.extend(getattr(owners, "notes", []) or [])


def _add_decisions(graph: RepoGraph, root: Path, config: CairnConfig, summary: IngestSummary) -> None:
    try:
        from cairn.ingest.adrs import add_decisions, read_decisions
        from cairn.ingest.rules import add_rules, collect_rules
    except ImportError:
        return
    components = {c.key: list(c.get("paths") or []) for c in graph.of_label(Label.COMPONENT)}
    decisions = read_decisions(root, config.adr, components)
    add_decisions(graph, decisions)
    rules, problems = collect_rules(config, decisions, root)
    add_rules(graph, rules)
    for problem in list(getattr(decisions, "problems", [])) + list(problems):
        summary.notes.append(str(problem if isinstance(problem, str) else getattr(problem, "message", problem)))
