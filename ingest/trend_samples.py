"""The code samples of trends: component dependencies at the last first-parent commit of recent periods.

``trend_history.trend_inputs`` picks the commits (``sample_commits``): the end
of each of the ``[trends] samples`` periods before the current one, whose
dependencies are read from ``trend-samples.json`` in the cache directory when
an earlier run extracted them, and HEAD's from the graph just ingested. A
sample never changes once its commit is known. Extraction from git objects
(``ingest.code_graph.snapshot_at``, with the parse cache by blob id) costs
about what parsing the files changed in those periods costs, so ingest only
uses results already kept; ``extract_samples_of`` (run by ``cairn trends``
through the service layer) extracts the missing ones and keeps them.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Any

from cairn.graph.atomic import write_atomic
from cairn.graph.changes import CodeSample, period_end, period_start
from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.graph.store import verifying_skips
from cairn.graph.testcode import import_files, mixed_modules, test_only
from cairn.ingest.code.extract import ParseCache, available_languages
from cairn.ingest.commits import CommitLog
from cairn.ingest.components import ComponentDef, ComponentMap

if TYPE_CHECKING:
    from cairn.graph.changes import TrendSettings
    from cairn.ingest.config import CairnConfig

SAMPLES_FILE = "trend-samples.json"
SAMPLES_FORMAT = 1
#: What ``dependencies_at`` counts, in the samples' key: 2, tests' and build configuration's imports beside code
#: left out (samples kept by 1 counted them, unlike the ingested graph)
DEPENDENCIES_RULE = 2
KEEP_SAMPLES = 400

_SOURCE, _TARGET = attrgetter("source"), attrgetter("target")


def component_dependencies(graph: RepoGraph, among: set[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """(source component, target component) -> the files whose imports make the dependency.

    With ``among``, only those of the files in ``among`` (every pair is there all the same, perhaps with none): the
    pairs are then those of the DEPENDS_ON edges (``code_graph``: one per pair of components some IMPORTS edge
    couples, when every module's component has its node), and only the IMPORTS edges of the modules that may carry a
    file of ``among`` are read; ``CAIRN_VERIFY_SKIPS=1`` checks it against every IMPORTS edge.
    """
    nodes, module = graph.nodes, Label.MODULE
    modules = {nid: node for nid, node in nodes.items() if node.label is module}  # (by id: a Node makes its id anew)
    component_of = {nid: node.props.get("component") for nid, node in modules.items()}
    prefix = node_id(Label.COMPONENT, graph.repo, "")
    if among is None or not all(prefix + c in nodes for c in set(component_of.values()) if c):
        return _dependencies_of_imports(graph, component_of, among)
    # every pair, a set made only for one that gets a file (90k pairs at 50k files, mostly without: 19 MB of empty
    # sets), each component's name one string (not two slices per pair: 10 MB more)
    name = itemgetter(slice(len(prefix), None))
    depends = graph.of_type(Rel.DEPENDS_ON)
    out: dict[tuple[str, str], set[str] | None] = dict.fromkeys(zip(
        map(intern, map(name, map(_SOURCE, depends))), map(intern, map(name, map(_TARGET, depends)))))
    del depends
    # the modules that may carry a file of ``among``: their own files or path, or neither (``None``: each edge's file)
    carriers: dict[str, list[str] | None] = {}
    for nid, node in modules.items() if among else ():
        own = node.get("files") or node.get("path")
        if not own:
            carriers[nid] = None
        elif found := [f for f in (node.get("files") or [own]) if f in among]:
            carriers[nid] = found
    mixed = mixed_modules(modules) if carriers else set()
    for e in graph.of_type(Rel.IMPORTS) if carriers else ():
        if e.source in carriers:
            found = carriers[e.source]
            a, b = component_of.get(e.source), component_of.get(e.target)
            if a and b and a != b and not (e.source in mixed and test_only(import_files(e.props))):
                files = out[(a, b)]
                if files is None:
                    files = out[(a, b)] = set()
                files.update(found if found is not None else [f for f in (e.get("file"),) if f in among])
    found_pairs = {pair: sorted(files) if files else [] for pair, files in sorted(out.items())}
    if verifying_skips() and found_pairs != (every := _dependencies_of_imports(graph, component_of, among, apart=True)):
        raise AssertionError(f"component dependencies from DEPENDS_ON: {len(found_pairs.keys() ^ every.keys())} pairs "
                             "differ from those of the IMPORTS edges")
    return found_pairs


def _dependencies_of_imports(graph: RepoGraph, component_of: dict[str, Any],
                             among: set[str] | None, apart: bool = False) -> dict[tuple[str, str], list[str]]:
    """``component_dependencies`` from every IMPORTS edge (``component_of``: each Module node id's component); ``apart``:
    edges not made yet made apart, the graph keeping them so (for the check, which must not change the path it checks)."""
    nodes = graph.nodes
    out: dict[tuple[str, str], set[str]] = {}
    imports = [e for e in graph.edges_apart().values() if e.type is Rel.IMPORTS] if apart else graph.of_type(Rel.IMPORTS)
    mixed = mixed_modules(nodes)  # a module's tests' own imports make no dependency (``graph.testcode.test_only``)
    for e in imports:
        b = component_of.get(e.target)  # None: not a module (an external package), or a module outside components
        if not b:
            continue
        a = component_of.get(e.source)
        if a and a != b and not (e.source in mixed and test_only(import_files(e.props))):
            source = nodes[e.source]
            out.setdefault((a, b), set()).update(source.get("files") or [source.get("path") or e.get("file")])
    return {pair: sorted(f for f in files if f and (among is None or f in among)) for pair, files in sorted(out.items())}


def dependencies_at(root: Path, commit: str, defs: list[ComponentDef], *, config: CairnConfig,
                    cache: ParseCache | None = None) -> dict[tuple[str, str], list[str]]:
    """``component_dependencies`` of the code graph at ``commit``, without building that graph.

    The same modules, components (as ``ingest.code_graph`` assigns them) and
    internal imports, the imports of tests and build configuration beside a
    component's code left out as the graph leaves them (``graph.testcode``);
    only the component level is kept.
    """
    from cairn.ingest.code_graph import modules_beside_tests, snapshot_at  # deferred: only when a sample is missing

    code = snapshot_at(root, commit, config=config, cache=cache).code
    components = ComponentMap(list(defs))
    component_of: dict[str, str | None] = {}
    for name, (path, _, files) in code.modules.items():
        comp = components.component_of(files[0] if files else path)
        if comp is None and path and not files:  # a Go package dir or namespace package: the dir itself
            comp = components.component_of(path.rstrip("/") + "/")
        component_of[name] = comp
    mixed = modules_beside_tests(code, component_of)
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
            if source in mixed and test_only((imp.file,)):
                continue  # its tests' (or its build's) alone, as the graph counts it
            b = component_of.get(imp.target)
            if b and b != a:
                out.setdefault((a, b), set()).update(carriers)
    return {pair: sorted(f for f in files if f) for pair, files in sorted(out.items())}


def _samples_key(root_commit: str, defs: list[ComponentDef], config: CairnConfig) -> str:
    fingerprint = repr((
        sorted((d.name, list(d.paths)) for d in defs), [(lang.name, lang.version) for lang in available_languages()],
        list(config.ingest.exclude), config.ingest.max_file_bytes, DEPENDENCIES_RULE,
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


def sample_commits(log: CommitLog, assisted: Any, names: list[str], graph: RepoGraph, settings: TrendSettings,
                   config: CairnConfig, defs: list[ComponentDef], cache_dir: Path | None) -> list[CodeSample]:
    """The sample commits of the recent periods ``names``, with their dependencies when already cached (HEAD's: the
    graph's); ``assisted[p]``: whether the commit at log position ``p`` was agent-assisted."""
    if not names:
        return []
    current = len(names) - 1
    # the ends of the `samples` periods before the current one: new couplings for those after the first, and the current
    wanted = list(range(max(0, current - settings.samples), current + 1))
    samples = {p: CodeSample(names[p], None) for p in wanted}
    # what agent-assisted commits changed, per sampled period
    ends = [period_end(name) for name in names]
    since = period_start(names[wanted[0]]) if wanted[0] else None
    merge, committed, paths = log.merge, log.committed, log.paths
    for p in compress(range(len(log)), assisted):
        if merge[p] or (since is not None and committed[p] < since):
            continue
        period = min(bisect_right(ends, committed[p]), current)
        if period in samples:
            samples[period].agent_files.update(paths[pid] for pid in log.path_changes(p))
    head = graph.repository.get("head") if graph.repository is not None else None
    samples[current].commit = head or (log.sha_of(len(log) - 1) if len(log) else None)
    # (their carriers only among what agents changed in the sampled periods: all that ``queries.trends`` reads of them)
    samples[current].dependencies = component_dependencies(graph, set().union(*(s.agent_files for s in samples.values())))
    # the last first-parent commit before each sampled period's end
    chain = log.first_parent_chain()
    position = next(chain, None)
    for p in sorted((p for p in wanted if p != current), reverse=True):
        end = period_end(names[p])
        while position is not None and committed[position] >= end:
            position = next(chain, None)
        if position is not None:
            samples[p].commit = log.sha_of(position)
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
    from cairn.ingest.config import CairnConfig, IngestSettings

    settings = repo.get("ingest_settings") or {}
    config = CairnConfig(ingest=IngestSettings(**settings)) if settings else CairnConfig()
    return extract_samples(root, commits, defs, config, cache_dir)
