"""What trends are computed from: the observed commits replayed oldest first, and code graphs at period ends.

``trend_inputs`` turns a ``ChangeLog`` (the commits the one history pass
observed, see ``ingest.cochange``) into ``graph.changes.TrendInputs``:

* **activity** per period (``[trends] period``: month, quarter or year, UTC,
  by commit time): non-merge commits, agent-assisted ones, and the humans on
  them, for the repository and for each component (a commit counts for a
  component when it touches one of the component's files at HEAD);
* **knowledge snapshots** at the end of each of the last ``[trends]
  knowledge_periods`` periods and, before them, of each year's last period
  (the truck factor over a long history costs a snapshot per period), produced
  lazily by replaying
  the commits oldest first with the rules of ``ingest.history`` (adds and
  deliveries by humans, deliveries by anyone as AC, review credit for humans
  on a commit's co-author/reviewer trailers, markers and an agent's
  committer). A rename moves the file's records to its new path, a deletion
  drops them; the files in scope are the source files present then, by the
  same path rules as File nodes. The truck factors themselves are computed in
  ``queries.trends`` (ingest never imports queries);
* **code samples**: the component dependencies at the last first-parent
  commit of each of the ``[trends] samples`` periods before the current one
  (so the last ``samples`` periods, the current one included, get new
  couplings and cycles), extracted from git objects
  (``ingest.code_graph.snapshot_at``) with the parse cache by blob id, so an
  unchanged file is never parsed twice; the current period uses the graph
  just ingested. A sample never changes once its commit is known, so results
  are kept in ``trend-samples.json`` in the cache directory and a re-ingest
  computes only new ones. Extraction costs about what parsing the files
  changed in those periods costs, so ingest itself only picks the commits and
  uses results already cached; ``extract_samples_of`` (run by ``cairn trends``
  through the service layer) extracts the missing ones, and the next ingest
  stores them. Each sample also lists the files agent-assisted commits changed
  during its period, to tell which new couplings agents brought.
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pathspec

from cairn.graph.atomic import write_atomic
from cairn.graph.changes import (
    CodeSample, KnowledgeSnapshot, PeriodActivity, ScopeActivity, TrendInputs, TrendSettings, next_period, period_end,
    period_of,
)
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.cochange import DAY, ChangeLog, ChangeResult
from cairn.ingest.code.extract import ParseCache, available_languages
from cairn.ingest.components import ComponentDef, ComponentMap
from cairn.ingest.config import CairnConfig, IngestSettings
from cairn.ingest.files import is_source_file, path_skip_reason
from cairn.ingest.knowledge import DOA_AC, DOA_BASE, DOA_DL, DOA_FA, History
from cairn.ingest.identities import HUMAN

SAMPLES_FILE = "trend-samples.json"
SAMPLES_FORMAT = 1
KEEP_SAMPLES = 400
MAX_PERIODS = 2_400  # 200 years of months: a corrupt commit date must not make millions of periods

# Per (path, person) replay record: [adds, deliveries, reviews]
ADDS, DELIVERIES, REVIEWS = 0, 1, 2


@dataclass
class _Context:
    log: ChangeLog
    changes: ChangeResult
    history: History
    period_names: list[str]
    commit_period: list[int]  # per commit: index into period_names (-1: merge)
    components: ComponentMap
    excluded: pathspec.PathSpec
    inactive_days: int
    snapshot_periods: set[int] = field(default_factory=set)  # indexes into period_names that get a knowledge snapshot


def _periods(log: ChangeLog, period: str) -> tuple[list[str], list[int]]:
    if not len(log):
        return [], []
    times = [log.committed[i] for i in range(len(log)) if not log.merge[i]] or list(log.committed)
    first, last = period_of(max(min(times), 0), period), period_of(max(max(times), 0), period)
    names = [first]
    while names[-1] != last and len(names) < MAX_PERIODS:
        names.append(next_period(names[-1]))
    ends = [period_end(name) for name in names]
    commit_period = []
    for i in range(len(log)):
        commit_period.append(-1 if log.merge[i] else min(bisect_right(ends, log.committed[i]), len(names) - 1))
    return names, commit_period


def _snapshot_periods(names: list[str], recent: int) -> set[int]:
    """The last ``recent`` periods, and before them the last period of each year (truck factors cost a snapshot each)."""
    first_recent = max(0, len(names) - recent)
    out = set(range(first_recent, len(names)))
    for i in range(first_recent):
        if i + 1 == len(names) or names[i + 1][:4] != names[i][:4]:
            out.add(i)
    return out


def _activity(ctx: _Context) -> list[PeriodActivity]:
    out = [PeriodActivity(name) for name in ctx.period_names]
    people = ctx.changes.people
    ids = people.person_ids
    component = ctx.changes.index.component
    for i, p in enumerate(ctx.commit_period):
        if p < 0:
            continue
        row = out[p]
        humans = {ids[h] for h in people.humans[i]}
        assisted = people.assisted(i)
        scopes = [row.repository] + [
            row.components.setdefault(c, ScopeActivity()) for c in {component[f] for f in ctx.changes.touched[i] if component[f]}
        ]
        for scope in scopes:
            scope.commits += 1
            scope.assisted += 1 if assisted else 0
            scope.humans |= humans
    return out


def _snapshots(ctx: _Context) -> Iterator[KnowledgeSnapshot]:
    """Replay the commits oldest first; yield who knew what at the end of every period."""
    log, people = ctx.log, ctx.changes.people
    person_of, kinds, ids = ctx.history.identity_person, people.kinds, people.person_ids
    records: dict[str, dict[int, list[int]]] = {}
    deliveries: dict[str, int] = {}
    present: dict[str, str | None] = {}  # in-scope paths present now -> component
    in_scope: dict[str, bool] = {}
    dirty: set[str] = set()
    last_active: dict[int, int] = {}
    rank: dict[str, int] = {}  # person id -> commits so far
    order = [i for i in range(len(log) - 1, -1, -1) if ctx.commit_period[i] >= 0]
    position = 0
    inactive = ctx.inactive_days * DAY
    component_of = ctx.components.component_of
    excluded = ctx.excluded
    log1p = [0.0]

    def scoped(path: str) -> bool:
        known = in_scope[path] = is_source_file(path) and path_skip_reason(path, excluded) is None
        return known

    for p, name in enumerate(ctx.period_names):
        while position < len(order) and ctx.commit_period[order[position]] <= p:
            i = order[position]
            position += 1
            author = person_of[log.author[i]] if person_of else 0
            human_author = bool(person_of) and kinds[author] == HUMAN
            author_id = ids[author] if person_of else ""
            rank[author_id] = rank.get(author_id, 0) + 1
            if log.authored[i] > last_active.get(author, -1):
                last_active[author] = log.authored[i]
            reviewers = [h for h in people.humans[i] if h != author]
            for h in reviewers:
                if log.committed[i] > last_active.get(h, -1):
                    last_active[h] = log.committed[i]
            for status, path, old in log.changes[i]:
                moved = None
                if status == "R" and old is not None and (in_scope.get(old) or scoped(old)):
                    present.pop(old, None)
                    dirty.discard(old)
                    moved = (records.pop(old, None), deliveries.pop(old, 0))
                known = in_scope.get(path)
                if not (known or (known is None and scoped(path))):
                    continue  # only source files hold knowledge
                if status == "D":
                    present.pop(path, None)
                    records.pop(path, None)
                    deliveries.pop(path, None)
                    dirty.discard(path)
                    continue
                if path not in present:
                    present[path] = component_of(path)
                if status != "A" and status != "M" and status != "R":
                    continue
                per_path = records.get(path)
                if per_path is None:
                    per_path = records[path] = {}
                if moved is not None:
                    for person, rec in (moved[0] or {}).items():
                        acc = per_path.get(person)
                        if acc is None:
                            per_path[person] = list(rec)
                        else:
                            acc[ADDS] += rec[ADDS]
                            acc[DELIVERIES] += rec[DELIVERIES]
                            acc[REVIEWS] += rec[REVIEWS]
                    deliveries[path] = deliveries.get(path, 0) + moved[1]
                if status == "A":
                    slot = ADDS
                else:
                    slot = DELIVERIES
                    deliveries[path] = deliveries.get(path, 0) + 1
                if human_author:
                    rec = per_path.get(author)
                    if rec is None:
                        rec = per_path[author] = [0, 0, 0]
                    rec[slot] += 1
                for h in reviewers:
                    rec = per_path.get(h)
                    if rec is None:
                        rec = per_path[h] = [0, 0, 0]
                    rec[REVIEWS] += 1
                dirty.add(path)
        if p not in ctx.snapshot_periods:
            continue  # an older period that is not a year's last: its changes wait for the next snapshot
        changed: dict[str, tuple[dict[str, tuple[float, bool]], set[str]]] = {}
        for path in dirty:
            if path not in present:
                continue
            total = deliveries.get(path, 0)
            while len(log1p) <= total:
                log1p.append(DOA_AC * math.log(1 + len(log1p)))
            candidates: dict[str, tuple[float, bool]] = {}
            reviewed: set[str] = set()
            top, top_doa = -1, -math.inf
            for person, (adds, delivered, reviews) in records.get(path, {}).items():
                if adds or delivered:
                    doa = DOA_BASE + (DOA_FA if adds else 0.0) + DOA_DL * delivered - log1p[total - delivered]
                    # only someone who added the file or reaches the absolute DOA can be an author; the
                    # highest DOA sets the bar for everyone, so it is passed on too (ownership.file_authors)
                    if adds or doa >= DOA_BASE:
                        candidates[ids[person]] = (doa, adds > 0)
                    if doa > top_doa:
                        top, top_doa = person, doa
                if reviews:
                    reviewed.add(ids[person])
            if top >= 0 and ids[top] not in candidates:
                candidates[ids[top]] = (top_doa, False)
            changed[path] = (candidates, reviewed)
        dirty.clear()
        cutoff = period_end(name) - inactive
        gone = {ids[person] for person, when in last_active.items() if when < cutoff}
        yield KnowledgeSnapshot(name, dict(present), changed, gone, rank)


# -- code samples ----------------------------------------------------------------------


def component_dependencies(graph: RepoGraph) -> dict[tuple[str, str], list[str]]:
    """(source component, target component) -> the files whose imports make the dependency."""
    nodes = graph.nodes
    out: dict[tuple[str, str], set[str]] = {}
    for e in graph.edges.values():
        if e.type is not Rel.IMPORTS:
            continue
        target = nodes[e.target]
        if target.label is not Label.MODULE:
            continue
        source = nodes[e.source]
        a, b = source.get("component"), target.get("component")
        if a and b and a != b:
            out.setdefault((a, b), set()).update(source.get("files") or [source.get("path") or e.props.get("file")])
    return {pair: sorted(f for f in files if f) for pair, files in sorted(out.items())}


def dependencies_at(root: Path, commit: str, defs: list[ComponentDef], *, config: CairnConfig,
                    cache: ParseCache | None = None) -> dict[tuple[str, str], list[str]]:
    """``component_dependencies`` of the code graph at ``commit``, without building that graph.

    The same modules, components (as ``ingest.code_graph`` assigns them) and
    internal imports; only the component level is kept.
    """
    from cairn.ingest.code_graph import snapshot_at  # deferred: only when a sample is missing from the cache

    code = snapshot_at(root, commit, config=config, cache=cache).code
    components = ComponentMap(list(defs))
    component_of: dict[str, str | None] = {}
    for name, (path, _, files) in code.modules.items():
        comp = components.component_of(files[0] if files else path)
        if comp is None and path and not files:  # a Go package dir or namespace package: the dir itself
            comp = components.component_of(path.rstrip("/") + "/")
        component_of[name] = comp
    out: dict[tuple[str, str], set[str]] = {}
    for source, imports in code.imports.items():
        a = component_of.get(source)
        if not a:
            continue
        path, _, files = code.modules[source]
        carriers = files or [path]
        for imp in imports:
            if imp.external or imp.target == source or imp.target not in code.modules:
                continue
            b = component_of.get(imp.target)
            if b and b != a:
                out.setdefault((a, b), set()).update(carriers)
    return {pair: sorted(f for f in files if f) for pair, files in sorted(out.items())}


def _first_parent_chain(log: ChangeLog) -> list[int]:
    """Commit indexes along the first-parent chain from HEAD (the first commit of the stream)."""
    if not len(log):
        return []
    where = {sha: i for i, sha in enumerate(log.shas)}
    chain, seen = [0], {0}
    while True:
        parent = log.first_parent[chain[-1]]
        nxt = where.get(parent) if parent else None
        if nxt is None or nxt in seen:
            return chain
        chain.append(nxt)
        seen.add(nxt)


def _samples_key(root_commit: str, defs: list[ComponentDef], config: CairnConfig) -> str:
    fingerprint = repr((
        sorted((d.name, list(d.paths)) for d in defs), [(lang.name, lang.version) for lang in available_languages()],
        list(config.ingest.exclude), config.ingest.max_file_bytes,
    ))
    return root_commit + ":" + hashlib.sha1(fingerprint.encode("utf-8", errors="surrogateescape")).hexdigest()[:16]


def _load_samples(cache_dir: Path | None) -> dict[str, dict]:
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / SAMPLES_FILE).read_bytes())
        return dict(data["entries"]) if data.get("format") == SAMPLES_FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _save_samples(cache_dir: Path | None, entries: dict[str, dict]) -> str | None:
    if cache_dir is None:
        return None
    while len(entries) > KEEP_SAMPLES:
        entries.pop(next(iter(entries)))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_dir / SAMPLES_FILE, json.dumps({"format": SAMPLES_FORMAT, "entries": entries}).encode())
    except OSError as exc:
        return f"trend samples not cached ({exc})"
    return None


def _samples(ctx: _Context, graph: RepoGraph, settings: TrendSettings, config: CairnConfig,
             defs: list[ComponentDef], cache_dir: Path | None) -> list[CodeSample]:
    """The sample commits of the recent periods, with their dependencies when already cached (HEAD's: the graph's)."""
    names = ctx.period_names
    if not names:
        return []
    log, people = ctx.log, ctx.changes.people
    current = len(names) - 1
    # the ends of the `samples` periods before the current one: new couplings for those after the first, and the current
    wanted = list(range(max(0, current - settings.samples), current + 1))
    samples = {p: CodeSample(names[p], None) for p in wanted}
    # what agent-assisted commits changed, per sampled period
    for i, p in enumerate(ctx.commit_period):
        if p in samples and people.assisted(i):
            samples[p].agent_files.update(path for _, path, _ in log.changes[i])
    head = graph.repository.get("head") if graph.repository is not None else None
    samples[current].commit = head or (log.shas[0] if len(log) else None)
    samples[current].dependencies = component_dependencies(graph)
    # the last first-parent commit before each sampled period's end
    chain = _first_parent_chain(log)
    position = 0
    for p in sorted((p for p in wanted if p != current), reverse=True):
        end = period_end(names[p])
        while position < len(chain) and log.committed[chain[position]] >= end:
            position += 1
        if position < len(chain):
            samples[p].commit = log.shas[chain[position]]
    cached = _load_samples(cache_dir)
    for p in wanted:
        sample = samples[p]
        if p != current and sample.commit:
            entry = cached.get(_samples_key(sample.commit, defs, config))
            if entry is not None:
                sample.dependencies = {(a, b): list(files) for a, b, files in entry["dependencies"]}
    return [samples[p] for p in wanted]


def extract_samples(root: Path, commits: list[str], defs: list[ComponentDef], config: CairnConfig,
                    cache_dir: Path | None) -> tuple[dict[str, dict[tuple[str, str], list[str]]], list[str]]:
    """Component dependencies at ``commits`` (cached ones read, the others extracted and cached); and notes."""
    from cairn.ingest.gittree import GitTreeError

    cached = _load_samples(cache_dir)
    known = len(cached)
    out: dict[str, dict[tuple[str, str], list[str]]] = {}
    notes: list[str] = []
    fresh = False
    cache = None
    for commit in dict.fromkeys(commits):
        key = _samples_key(commit, defs, config)
        entry = cached.pop(key, None)
        if entry is None:
            if cache is None:
                cache = ParseCache(cache_dir)
            try:
                found = dependencies_at(root, commit, defs, config=config, cache=cache)
            except (GitTreeError, OSError, ValueError) as exc:
                notes.append(f"trends: the code at {commit[:12]} could not be read ({exc})")
                continue
            entry = {"dependencies": [[a, b, files] for (a, b), files in found.items()]}
            fresh = True
        cached[key] = entry  # re-inserted last: the least recently used go first
        out[commit] = {(a, b): list(files) for a, b, files in entry["dependencies"]}
    if cache is not None:
        try:
            cache.save()
        except OSError as exc:
            notes.append(f"parse cache not saved ({exc})")
    if fresh or len(cached) != known:
        problem = _save_samples(cache_dir, cached)
        if problem:
            notes.append(problem)
    return out, notes


def extract_samples_of(graph: RepoGraph, commits: list[str],
                       cache_dir: Path | None) -> tuple[dict[str, dict[tuple[str, str], list[str]]], list[str]]:
    """``extract_samples`` for a stored repository: its checkout, components and ingest settings as stored."""
    repo = graph.repository
    root = Path(str(repo.get("path") or "")) if repo is not None else None
    if root is None or not root.is_dir():
        return {}, [f"trends: the checkout of {graph.repo} is not at {root}: new couplings of past periods need it"]
    defs = [ComponentDef(n.key, list(n.get("paths") or []), n.get("system"), n.get("domain"), n.get("description"),
                         bool(n.get("inferred"))) for n in graph.of_label(Label.COMPONENT)]
    settings = repo.get("ingest_settings") or {}
    config = CairnConfig(ingest=IngestSettings(**settings)) if settings else CairnConfig()
    return extract_samples(root, commits, defs, config, cache_dir)


def trend_inputs(graph: RepoGraph, log: ChangeLog, history: History, changes: ChangeResult, *,
                 config: CairnConfig, defs: list[ComponentDef], cache_dir: Path | None) -> TrendInputs:
    """The ``TrendInputs`` for ``queries.trends`` (see the module docstring)."""
    settings = config.trends
    names, commit_period = _periods(log, settings.period)
    notes: list[str] = []
    if len(names) >= MAX_PERIODS:
        notes.append(f"trends: commit dates span more than {MAX_PERIODS} {settings.period}s; later periods are merged into the last")
    ctx = _Context(
        log, changes, history, names, commit_period, ComponentMap(list(defs)),
        pathspec.PathSpec.from_lines("gitwildmatch", config.ingest.exclude), config.thresholds.inactive_days,
    )
    ctx.snapshot_periods = _snapshot_periods(names, settings.knowledge_periods)
    activity = _activity(ctx)
    samples = _samples(ctx, graph, settings, config, defs, cache_dir)
    return TrendInputs(settings.period, activity, samples, lambda: _snapshots(ctx), notes)
