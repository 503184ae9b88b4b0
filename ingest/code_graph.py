"""Turning extracted code into graph nodes and edges: whole, at a commit, or as a patch.

``build_code_graph`` adds components, files, modules, imports and the derived
component dependencies of one extraction to a graph; an external package is
marked ``stdlib`` when it is its language's standard library (``code.stdlib``). ``snapshot_at`` extracts
the code of a commit straight from git objects (optionally with some files
replaced, as a diff would), and ``patch_code_graph`` applies such a snapshot to
an existing graph, touching only the modules whose imports actually changed, so
the PR check does not rebuild 5,000 modules to look at 20 files.
``import_changes`` compares two extractions of a repository and names the
IMPORTS edges that differ, so an ingest after a commit saves only those.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from functools import cache, partial
from itertools import accumulate, chain, compress, filterfalse, repeat
from operator import is_, itemgetter, ne, not_
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Mapping, Sequence

from cairn.graph.lazy_imports import PendingImports
from cairn.graph.model import IMPORT_KINDS, BareEdge, DependsEdge, Edge, Label, Node, Rel, RepoGraph, node_id
from cairn.graph.store import EdgeKey
from cairn.graph.testcode import (import_files, may_be_beside_code, mixed_modules, test_languages, test_only,
                                  tests_beside_code)
from cairn.graph.values import dumps
from cairn.ingest.code.extract import ParseCache, SourceFile, extract_code
from cairn.ingest.code.base import ResolvedImport
from cairn.ingest.code.result import CodeResult
from cairn.ingest.code.stdlib import is_standard_library
from cairn.ingest.components import ComponentDef, ComponentMap
from cairn.ingest.config import StoredSettings
from cairn.ingest.files import CODE_LANGUAGES, code_skip_reason, language_of

if TYPE_CHECKING:
    from cairn.ingest.config import CairnConfig
    from cairn.ingest.gittree import GitTree

#: The Repository node's property holding ``file_inputs``: what the File and Module nodes are made from but their code.
FILE_INPUTS = "file_inputs"
ECOSYSTEM = {"python": "pypi", "javascript": "npm", "typescript": "npm", "go": "go", "java": "maven", "kotlin": "maven",
             "rust": "cargo"}

#: One module's imports, grouped: target node id -> edge properties.
ImportGroup = dict[str, dict]


class CodeSnapshot:
    commit: str
    code: CodeResult
    languages: dict[str, str | None]  # every kept file -> language (None: not a programming language)

    def __init__(self, commit: str, code: CodeResult, languages: dict[str, str | None]) -> None:
        self.commit = commit
        self.code = code
        self.languages = languages

    @property
    def source_paths(self) -> list[str]:
        return sorted(p for p, lang in self.languages.items() if lang)


def _module_component(components: ComponentMap, path: str, files: list[str]) -> str | None:
    comp = components.component_of(files[0] if files else path)
    if comp is None and path and not files:  # Go package dir / namespace package: match the dir itself
        comp = components.component_of(path.rstrip("/") + "/")
    return comp


#: Node ids kept while a graph is built, one string per node (see ``_grouped_imports``): (modules, external packages).
TargetIds = tuple[dict[str, str], dict[str, str]]


def _grouped_imports(graph: RepoGraph, code: CodeResult, source: str,
                     ids: TargetIds | None = None) -> tuple[ImportGroup, dict[str, str]]:
    """The IMPORTS edges ``source`` should have: target id -> props, and the external targets to create
    (``_grouped``, every edge's properties a dict)."""
    group, externals, _ = _grouped(graph, code, source, ids)
    return {tid: props if type(props) is dict else _props(*props) for tid, props in group.items()}, externals


def _props(kind: str, line: int, file: str) -> dict:
    """The properties of the edge to a target imported once (``ImportsEdge``): one list for both."""
    lines = [line]
    return {"kind": kind, "lines": lines, "kinds": {kind: lines}, "file": file}


#: One module's imports, grouped: target node id -> (kind, line, file) of a target imported once (its properties are
#: ``_props`` of them), or the edge properties of one imported again.
CompactGroup = dict[str, "tuple[str, int, str] | dict"]


def _grouped(graph: RepoGraph, code: CodeResult, source: str,
             ids: TargetIds | None = None) -> tuple[CompactGroup, dict[str, str], bool]:
    """The IMPORTS edges ``source`` should have: target id -> (kind, line, file) or props (see ``CompactGroup``), the
    external targets to create, and whether some target was imported again (some value is a dict).

    ``ids`` (module name -> node id, package name -> node id), when given, is where target ids are taken from and
    kept, so that the edges to one node share its id string (300k edges at 50k modules, each with a copy of it
    otherwise).

    An edge's evidence is a file and its lines: ``file`` is the first file (by
    path) of the module that holds the import and ``lines`` its lines there;
    when several files of the module import the target (a Go package),
    ``files`` maps each of them to its lines.

    One pass makes the edge of each target imported once (most: this runs for every import of the repository);
    the targets imported again are grouped after it, their edges keeping the place of the first import.
    """
    modules = code.modules
    path, language, files = modules[source]
    module_ids, package_ids = ids if ids is not None else ({}, {})
    module_prefix, external_prefix = _prefixes(graph.repo)
    ecosystem = ECOSYSTEM.get(language, language)
    out: CompactGroup = {}
    externals: dict[str, str] = {}
    again: set[str] | None = None  # targets imported more than once
    fallback: str | None = None
    imports = code.imports.get(source, ())
    for target, line, kind, external, file in imports:  # unpacked at once, in C
        if external:
            tid = package_ids.get(target)
            if tid is None:
                tid = package_ids[target] = external_prefix + target
            externals[target] = ecosystem
        elif target == source or target not in modules:
            continue
        else:
            tid = module_ids.get(target)
            if tid is None:
                tid = module_ids[target] = module_prefix + target
        if tid in out:
            if again is None:
                again = set()
            again.add(tid)
            continue
        if not file:
            fallback = fallback or min(files, default=path)
            file = fallback
        out[tid] = (kind, line, file)
    if again:
        fallback = fallback or min(files, default=path)
        for tid, props in _grouped_again(imports, again, module_ids, package_ids, fallback).items():
            out[tid] = props
    return out, externals, again is not None


def _grouped_again(imports: Iterable[ResolvedImport], targets: set[str], module_ids: dict[str, str],
                   package_ids: dict[str, str], fallback: str) -> ImportGroup:
    """The edge properties of each target in ``targets`` (node ids), from every import of it in ``imports``."""
    by_target: dict[str, dict[str, dict[str, set[int]]]] = {}  # target -> file -> kind -> lines
    kinds_of: dict[str, set[str]] = {}
    for imp in imports:
        tid = (package_ids if imp.external else module_ids).get(imp.target)
        if tid not in targets:
            continue
        kinds_of.setdefault(tid, set()).add(imp.kind)
        by_target.setdefault(tid, {}).setdefault(imp.file or fallback, {}).setdefault(imp.kind, set()).add(imp.line)
    out: ImportGroup = {}
    for tid, by_file in by_target.items():
        first = min(by_file)
        props = {
            "kind": next(k for k in IMPORT_KINDS if k in kinds_of[tid]),
            "lines": sorted(set().union(*by_file[first].values())),
            "kinds": {k: sorted(v) for k, v in by_file[first].items()},
            "file": first,
        }
        if len(by_file) > 1:
            props["files"] = {f: sorted(set().union(*k.values())) for f, k in sorted(by_file.items())}
        out[tid] = props
    return out


@cache
def _prefix(label: Label, repo: str) -> str:
    """The start of the id of every node of ``label`` in ``repo``: the id is this followed by the key."""
    return node_id(label, repo, "")


@cache
def _prefixes(repo: str) -> tuple[str, str]:
    """``_prefix`` of modules and of external packages in ``repo``, together (asked once per module)."""
    return _prefix(Label.MODULE, repo), _prefix(Label.EXTERNAL, repo)


#: The properties of a File node and of a Module node as the code graph makes them, in their order.
_FILE_PROPS = ("language", "module", "component", "path")
_MODULE_PROPS = ("path", "language", "component", "files", "name")


def _add_part_of(edges: dict, ids: list[str], comps: list[str | None], component_ids: dict[str, str]) -> None:
    """The PART_OF edge of each node of ``ids`` that is in a component (``comps``, alongside), in their order."""
    ids = list(compress(ids, comps))
    targets = list(map(component_ids.__getitem__, compress(comps, comps)))
    edges.update(zip(zip(repeat("PART_OF"), ids, targets), map(BareEdge, repeat(Rel.PART_OF), ids, targets)))


def build_code_graph(
    graph: RepoGraph, code: CodeResult, source_paths: list[str], defs: list[ComponentDef], file_languages: dict[str, str | None],
    imports: ImportEdges | None = None, defer: bool = False,
) -> ComponentMap:
    """Add components, files, modules, imports and component dependencies to ``graph``.

    ``graph`` holds no code yet. Nodes and edges are put in its maps directly
    (every id is new), in the order ``add_node``/``add_edge`` would, and the
    component dependencies are counted while the imports are added: this runs
    over every file and import of the repository on each ingest. ``imports`` is ``import_edges`` of ``code`` made
    beforehand (while the components are worked out, say); it is made here otherwise. With ``defer``, the IMPORTS
    edges are held unmade in their place until something reads them (``graph.lazy_imports``: after a commit, the save
    and the answers read a few).
    """
    part = imports if imports is not None else import_edges(graph.repo, code)
    if part.code is not code or part.repo != graph.repo:
        raise ValueError("the import edges given were made of another extraction")
    components = ComponentMap(defs)
    repo, nodes, edges = graph.repo, graph.nodes, graph.edges
    component_nodes = {}
    for d in defs:
        component_nodes[d.name] = graph.add_node(
            Label.COMPONENT, d.name, paths=d.paths, system=d.system, domain=d.domain, description=d.description,
            inferred=d.inferred, modules=0, files=0,
        )
    component_ids = {name: node.id for name, node in component_nodes.items()}
    # The File nodes, then the Module nodes, each with the PART_OF edge of one in a component, made a column at a
    # time (``map``; the component counted by ``Counter``), in the order of the paths and of the modules.
    node, component_of = partial(Node, Label.FILE, repo), components.component_of
    comps = list(map(component_of, source_paths))
    fids = list(map(_prefix(Label.FILE, repo).__add__, source_paths))
    nodes.update(zip(fids, map(node, source_paths, map(dict, map(zip, repeat(_FILE_PROPS), zip(
        map(file_languages.get, source_paths), map(code.file_module.get, source_paths), comps, source_paths))))))
    _add_part_of(edges, fids, comps, component_ids)
    for comp, count in Counter(compress(comps, comps)).items():
        component_nodes[comp].props["files"] = count
    names, node = list(code.modules), partial(Node, Label.MODULE, repo)
    module_ids = part.module_ids  # one string per node (see _grouped_imports)
    mids = list(map(module_ids.__getitem__, names))
    comps = [component_of(files[0]) if files else _module_component(components, path, files)
             for path, _, files in code.modules.values()]
    paths, languages, files = zip(*code.modules.values()) if names else ((), (), ())
    nodes.update(zip(mids, map(node, names, map(dict, map(zip, repeat(_MODULE_PROPS), zip(
        paths, languages, comps, map(sorted, files), names))))))
    _add_part_of(edges, mids, comps, component_ids)
    for comp, count in Counter(compress(comps, comps)).items():
        component_nodes[comp].props["modules"] = count
    module_component = dict(zip(names, comps))
    id_component = dict(compress(zip(mids, comps), comps))  # Module node id -> its component, for the modules in one
    nodes.update(part.externals)  # (no External node is in the graph yet)
    if defer:
        graph.defer_edges(part.pending(len(edges)))
    else:
        keys, made = part.made()
        edges.update(zip(keys, made))  # (nor any IMPORTS edge)
    imported = part.counted(module_component, id_component)
    coupling: dict[tuple[str, str], dict[str, int]] = {}  # component pair -> kind -> imports
    for (a, b, kind), count in imported.items():
        if a and b is not None and b != a:
            kinds = coupling.get((a, b))
            if kinds is None:
                coupling[(a, b)] = {kind: count}
            else:
                kinds[kind] = count
    # ``_add_component_dependencies`` on a graph without DEPENDS_ON edges, whose pairs are of components it holds:
    # one edge made for each (15k at 10k modules), given the counts made above (no other holder of them).
    # Equal counts share one dict (9 distinct among 90k pairs at 50k modules): nothing changes an edge's ``kinds`` in
    # place (a patch or a re-derivation makes new ones).
    # Made and put in a column at a time (``map``), in the order of the pairs.
    shared: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
    pairs = sorted(coupling)
    importers = list(map(component_ids.__getitem__, map(itemgetter(0), pairs)))
    dependencies = list(map(component_ids.__getitem__, map(itemgetter(1), pairs)))
    counts = list(map(coupling.__getitem__, pairs))
    counts = list(map(shared.setdefault, map(tuple, map(dict.items, counts)), counts))
    edges.update(zip(zip(repeat("DEPENDS_ON"), importers, dependencies),
                     map(DependsEdge, importers, dependencies, map(sum, map(dict.values, counts)), counts)))
    return components


class ImportEdges:
    """The IMPORTS edges and External nodes of one extraction (``import_edges``), made before the components are
    known, for ``build_code_graph`` to put in the graph after its Module nodes, in the order the edges would have come
    module by module; with what counting the imports between components needs (``counted``).

    ``segments``, in the order of the edges: (start, end, None) for a run of imports that are each an edge of their
    own (``ImportsEdge``), (index of the module, 0, its ``CompactGroup``) for a module grouped one by one. The edges
    are made from them (``made``), or held unmade (``pending``)."""

    __slots__ = ("code", "repo", "module_ids", "package_ids", "externals", "sources", "counts", "source_ids",
                 "target_ids", "kinds", "lines", "files", "segments")

    def __init__(self, code: CodeResult, repo: str):
        self.code, self.repo = code, repo
        module_prefix = _prefix(Label.MODULE, repo)
        self.module_ids: dict[str, str] = dict(zip(code.modules, map(module_prefix.__add__, code.modules)))
        self.package_ids: dict[str, str] = {}
        self.externals: dict[str, Node] = {}
        self.sources: list[str] = []
        self.counts: list[int] = []
        self.source_ids: list[str] = []
        self.target_ids: list[str | None] = []
        self.kinds: Sequence[str] = ()
        self.lines: Sequence[int] = ()
        self.files: Sequence[str] = ()
        self.segments: list[tuple[int, int, CompactGroup | None]] = []

    def pending(self, position: int) -> PendingImports:
        """The edges, unmade, to go after the first ``position`` edges of a graph (``RepoGraph.defer_edges``)."""
        module_ids, sources = self.module_ids, self.sources
        runs = [(start, end, None) if group is None else (module_ids[sources[start]], 0, group)
                for start, end, group in self.segments]
        return PendingImports(position, self.source_ids, self.target_ids, self.kinds, self.lines,  # type: ignore[arg-type]
                              self.files, runs, list(map(module_ids.__getitem__, sources)), self.counts)

    def made(self) -> tuple[list[EdgeKey], list[Edge]]:
        """The keys and the edges, in order (what ``build_code_graph`` puts in the graph)."""
        return self.pending(0).make()  # type: ignore[return-value]

    def counted(self, module_component: dict[str, str | None],
                id_component: dict[str, str]) -> Counter[tuple[str | None, str | None, str]]:
        """The imports between modules as (importer's component, imported's, kind), counted, the keys in the order
        each first came, given each module's component (by name, and by node id for those in one). Those within a
        component, which no pair of components counts, are left out (two thirds of them in the benchmark's 50k
        modules); an importer or a target in no component is counted under its ``None``. So are the imports of a
        module's tests alone (``graph.testcode.test_only``)."""
        imported: Counter[tuple[str | None, str | None, str]] = Counter()
        if not self.segments:
            return imported
        component_of_id, sources, target_ids, kinds = id_component.get, self.sources, self.target_ids, self.kinds
        # the modules whose tests' own imports are left out (none in a JavaScript repository)
        mixed = modules_beside_tests(self.code, module_component)
        importer_components = list(chain.from_iterable(map(repeat, map(module_component.__getitem__, sources),
                                                           self.counts)))
        if mixed:
            offsets = list(accumulate(self.counts, initial=0))
            files = self.files
            for index in [i for i, name in enumerate(sources) if name in mixed]:
                for at in range(offsets[index], offsets[index + 1]):
                    if test_only((files[at],)):
                        importer_components[at] = None  # counted by no pair
        for start, end, group in self.segments:
            if group is None:
                importers = importer_components[start:end]
                imported_components = list(map(component_of_id, target_ids[start:end]))
                imported.update(compress(zip(importers, imported_components, kinds[start:end]),
                                         map(ne, importers, imported_components)))
                continue
            a = module_component[sources[start]]
            if a:
                kept = group.items()
                if sources[start] in mixed:
                    kept = [(t, v) for t, v in kept if not test_only(import_files(v) if type(v) is dict else (v[2],))]
                imported.update((a, component_of_id(t), v["kind"] if type(v) is dict else v[0]) for t, v in kept)
        return imported


def modules_beside_tests(code: CodeResult, module_component: Mapping[str, str | None]) -> set[str]:
    """The modules of ``code`` whose imports made in test or build-configuration files alone are those files' own
    (``graph.testcode.tests_beside_code``), given each module's component by name."""
    languages = test_languages(code.file_module)
    return tests_beside_code((name, language, module_component.get(name), files)
                             for name, (_, language, files) in code.modules.items()
                             if may_be_beside_code(language, files, languages))


def import_edges(repo: str, code: CodeResult) -> ImportEdges:
    """The IMPORTS edges and External nodes of ``code`` in the graph of ``repo`` (``ImportEdges``), made in the order
    ``_grouped`` module by module would give them.

    This runs once for every import of the repository (300k at 50k modules), so it works on all of them at once,
    a column at a time in C: the target of each import, its source, which imports are not a plain edge. The modules
    where an import is dropped (a target that is not a module, the module itself), names no file, or names a
    target again are grouped one by one (``_grouped``); every other module's imports are its edges, one each
    (``ImportsEdge``), made by ``map`` over a run of such modules.
    """
    part = ImportEdges(code, repo)
    imports = code.imports
    if not imports:
        return part
    modules = code.modules
    module_ids, package_ids = ids = part.module_ids, part.package_ids
    sources = list(imports)
    counts = list(map(len, imports.values()))
    offsets = list(accumulate(counts, initial=0))
    total = offsets[-1]
    if not total:
        return part
    scratch = RepoGraph(repo)  # the External nodes, as ``add_node`` makes them (the last ecosystem given wins)
    external_prefix = _prefixes(repo)[1]
    targets, lines, kinds, external, files = zip(*chain.from_iterable(imports.values()))
    source_ids = list(chain.from_iterable(map(repeat, map(module_ids.__getitem__, sources), counts)))
    target_ids = list(map(module_ids.get, targets))  # the externals' set below
    ecosystem_of: dict[str, str] = {}  # external package -> the ecosystem its node was last given
    external_label = Label.EXTERNAL
    for at in compress(range(total), external):
        name = targets[at]
        tid = package_ids.get(name)
        if tid is None:
            tid = package_ids[name] = external_prefix + name
        target_ids[at] = tid
        language = modules[sources[bisect_right(offsets, at) - 1]][1]  # the importer's
        ecosystem = ECOSYSTEM.get(language, language)
        if ecosystem_of.get(name) != ecosystem:  # else the node has these properties already
            ecosystem_of[name] = ecosystem
            scratch.add_node(external_label, name, ecosystem=ecosystem, stdlib=is_standard_library(name, ecosystem))
    part.externals = scratch.nodes
    # the modules grouped one by one: an import dropped (no module, or the module itself), without a file, or again
    odd = set(compress(range(total), map(is_, target_ids, repeat(None))))
    odd.update(compress(range(total), map(is_, target_ids, source_ids)))
    odd.update(compress(range(total), map(not_, files)))
    grouped = {bisect_right(offsets, at) - 1 for at in odd}
    # how many targets each module imports (a set of each module's: a set of every (source, target) pair took twice
    # the time); fewer than its imports: some target imported again
    distinct = list(map(len, map(set, map(target_ids.__getitem__, map(slice, offsets, offsets[1:])))))
    if distinct != counts:
        grouped.update(compress(range(len(sources)), map(ne, distinct, counts)))
    segments = part.segments
    start = 0
    for index in [*sorted(grouped), len(sources)]:
        end = offsets[index]
        if start < end:  # the modules from ``start`` up to this one: each import an edge
            segments.append((start, end, None))
        if index == len(sources):
            break
        segments.append((index, 0, _grouped(scratch, code, sources[index], ids)[0]))
        start = offsets[index + 1]
    part.sources, part.counts, part.source_ids, part.target_ids = sources, counts, source_ids, target_ids
    part.kinds, part.lines, part.files = kinds, lines, files
    return part


def code_nodes_changed(repo: str, before: CodeResult, after: CodeResult, source_paths: list[str]) -> set[str]:
    """The File and Module nodes whose properties the code graph of ``after`` may give otherwise than that of
    ``before`` (built alike, with the same component definitions, languages and ``.gitattributes``: see
    ``file_inputs``), as node ids: a file whose module or line count differs, or whose count is not the parse's (read
    again on every ingest, ``ingest.pipeline``); a module whose entry (path, language, files) differs. Nodes of one
    graph only are named too."""
    file_prefix, module_prefix = _prefix(Label.FILE, repo), _prefix(Label.MODULE, repo)
    old_module, new_module, old_lines, new_lines = before.file_module, after.file_module, before.lines, after.lines
    paths = old_module.keys() ^ new_module.keys()
    paths |= old_lines.keys() ^ new_lines.keys()
    # (path, value) pairs of ``after`` that ``before`` has not: a path it lacks, or with another value (in C)
    if new_module is not old_module:  # (a carried-over result shares the table)
        paths.update(map(itemgetter(0), new_module.items() - old_module.items()))
    paths.update(map(itemgetter(0), new_lines.items() - old_lines.items()))
    paths.update(filterfalse(new_lines.__contains__, source_paths))
    # a name without an extension may be a script its ``#!`` line names the language of (``files.language_of``)
    paths.update(path for path in source_paths if "." not in path.rpartition("/")[2])
    changed = {file_prefix + path for path in paths}
    if after.modules is not before.modules:
        old, new = before.modules, after.modules
        changed.update(module_prefix + name for name in old.keys() ^ new.keys())
        changed.update(module_prefix + name for name, entry in new.items() if old.get(name) != entry)
    return changed


def file_inputs(build: str, config: CairnConfig, defs: list[ComponentDef],
                attributes: Mapping[str, Mapping[str, bool]]) -> str:
    """What the File and Module nodes are made from besides each file's path, code and history, as a digest: Cairn's
    build, the configuration (components, exclusions, agent markers...), the component definitions and the Linguist
    attributes of the paths that have any (a file's language is its path's, or for a name without an extension its
    ``#!`` line's: ``code_nodes_changed`` names those). Two graphs with the same value have the same such nodes for
    each file whose code (``code_nodes_changed``) and history are the same."""
    from cairn.ingest.freshness import digest  # (the one fingerprint of a JSON-able value)

    return digest([build, config.model_dump(mode="json"), [repr(d) for d in defs],
                   sorted((p, sorted(a.items())) for p, a in attributes.items())])


def import_changes(repo: str, before: CodeResult, after: CodeResult) -> tuple[set[EdgeKey], set[EdgeKey]]:
    """The IMPORTS edges that differ between the code graphs ``build_code_graph`` makes of ``before`` and ``after``.

    (changed: added or with other properties, deleted), as edge keys. A
    module's edges are a function of its own entry, its imports and which of
    their targets are modules, so only modules where one of those differs are
    grouped again; a commit that touches three files groups three modules.
    """
    changed: set[EdgeKey] = set()
    deleted: set[EdgeKey] = set()
    if after.modules is before.modules and after.imports is before.imports:
        return changed, deleted  # a result carried over from the other (ingest.code.carry_over)
    graph = RepoGraph(repo)
    prefix = _prefix(Label.MODULE, repo)
    for name in before.modules.keys() | after.modules.keys():
        old_entry, new_entry = before.modules.get(name), after.modules.get(name)
        old_imports, new_imports = before.imports.get(name, []), after.imports.get(name, [])
        if old_entry == new_entry and old_imports == new_imports and all(
            (imp.target in before.modules) == (imp.target in after.modules) for imp in new_imports if not imp.external
        ):
            continue
        old_edges = _grouped_imports(graph, before, name)[0] if old_entry is not None else {}
        new_edges = _grouped_imports(graph, after, name)[0] if new_entry is not None else {}
        source = prefix + name
        for target, props in new_edges.items():
            old = old_edges.get(target)
            if old is None or dumps(old) != dumps(props):  # as stored: the same text, keys in the same order
                changed.add(("IMPORTS", source, target))
        deleted.update(("IMPORTS", source, target) for target in old_edges.keys() - new_edges.keys())
    return changed, deleted


def derive_component_dependencies(graph: RepoGraph) -> None:
    """(Re)compute Component -DEPENDS_ON-> Component from the module imports (a module's tests' own imports left
    out: ``graph.testcode.test_only``); ``count`` is their IMPORTS edges (``graph.model.DependsEdge``)."""
    for key in [k for k, e in graph.edges.items() if e.type is Rel.DEPENDS_ON]:
        del graph.edges[key]
    coupling: dict[tuple[str, str], Counter] = {}
    nodes = graph.nodes
    mixed = mixed_modules(nodes)
    for e in graph.edges.values():
        if e.type is not Rel.IMPORTS:
            continue
        tgt = nodes[e.target]
        if tgt.label is not Label.MODULE:
            continue
        a, b = nodes[e.source].props.get("component"), tgt.props.get("component")
        if a and b and a != b and not (e.source in mixed and test_only(import_files(e.props))):
            coupling.setdefault((a, b), Counter())[e.get("kind", "runtime")] += 1
    _add_component_dependencies(graph, coupling)


def _add_component_dependencies(graph: RepoGraph, coupling: Mapping[tuple[str, str], Mapping[str, int]]) -> None:
    """A DEPENDS_ON edge per coupled pair of components (``coupling``: kind -> imports), both ends in ``graph``."""
    nodes, edges, prefix, depends_on = graph.nodes, graph.edges, _prefix(Label.COMPONENT, graph.repo), Rel.DEPENDS_ON
    ids: dict[str, str] = {}  # component -> node id, one string each for all its edges
    for (a, b), kinds in sorted(coupling.items()):
        ca, cb = ids.get(a) or ids.setdefault(a, prefix + a), ids.get(b) or ids.setdefault(b, prefix + b)
        if ca in nodes and cb in nodes:
            key = ("DEPENDS_ON", ca, cb)
            edge = edges.get(key)
            if edge is None:
                edges[key] = Edge(depends_on, ca, cb, {"count": sum(kinds.values()), "kinds": dict(kinds)})
            else:
                edge.props.update(count=sum(kinds.values()), kinds=dict(kinds))


def snapshot_at(
    root: Path, ref: str, *, config: CairnConfig | StoredSettings | None = None, cache: ParseCache | None = None,
    overrides: dict[str, bytes | None] | None = None, imports_of: Callable[[Mapping[str, str]], Collection[str]] | None = None,
    tree: GitTree | None = None,
) -> CodeSnapshot:
    """Extract the code of the repository at ``ref`` from git objects.

    ``overrides`` replaces file contents (``None`` deletes the file), as the
    post-change contents of a diff do. Cached parses are reused by blob id.
    ``imports_of`` limits the imports resolved to some modules (``extract_code``;
    ``patch_imports_of`` names those a patch reads). ``tree`` is the listing of
    ``ref`` with ``config``'s exclusions when the caller read it already.
    """
    config = config or StoredSettings()  # only [ingest] is read: its defaults
    overrides = overrides or {}
    if tree is None:
        from cairn.ingest.gittree import GitTree

        tree = GitTree.at(root, ref, exclude=config.ingest.exclude, max_file_bytes=config.ingest.max_file_bytes)
    with tree:
        contents: dict[str, bytes] = {}
        files: list[SourceFile] = []
        languages: dict[str, str | None] = {}
        for path, entry in tree.entries.items():
            if path in overrides:
                continue
            languages[path] = entry.language
            if entry.language in CODE_LANGUAGES:
                files.append(SourceFile(path, entry.size, 0, entry.blob))
        for path, data in overrides.items():
            if data is None or len(data) > config.ingest.max_file_bytes or code_skip_reason(path, data):
                continue
            languages[path] = language_of(path)
            contents[path] = data
            if languages[path] in CODE_LANGUAGES:
                files.append(SourceFile(path, len(data), 0, None))
        all_paths = frozenset(p for p in tree.all_paths if overrides.get(p, b"") is not None) | frozenset(contents)

        def read(path: str) -> bytes:
            return contents[path] if path in contents else tree.read(path)

        def read_text(path: str) -> str | None:
            if path in contents:
                return contents[path].decode("utf-8", errors="replace")
            if path in overrides:
                return None
            return tree.read_text(path)

        code = extract_code(files, read, all_paths=all_paths, read_text=read_text, cache=cache, imports_of=imports_of)
    for path in code.skipped_content:
        languages.pop(path, None)
    return CodeSnapshot(tree.commit, code, languages)


def code_graph_at(
    root: Path, ref: str, repo: str, defs: list[ComponentDef], *, config: CairnConfig | StoredSettings | None = None,
    cache: ParseCache | None = None, overrides: dict[str, bytes | None] | None = None,
) -> RepoGraph:
    """The code part of the graph (components, files, modules, imports) of the repository at ``ref``."""
    snap = snapshot_at(root, ref, config=config, cache=cache, overrides=overrides)
    graph = RepoGraph(repo)
    graph.add_node(Label.REPOSITORY, repo, head=snap.commit)
    build_code_graph(graph, snap.code, snap.source_paths, defs, snap.languages)
    return graph


def patch_code_graph(
    base: RepoGraph, head: CodeSnapshot, changed_paths: set[str], defs: list[ComponentDef]
) -> tuple[RepoGraph, set[str]]:
    """The graph ``base`` would be with the code of ``head``, and the modules whose imports changed.

    Only modules that contain a changed file are re-examined, unless the set of
    modules itself changed (a file added, deleted or renamed), in which case
    every module is compared, since an import elsewhere may now resolve
    differently. ``base`` is not modified.
    """
    graph = RepoGraph(base.repo)
    graph.nodes = dict(base.nodes)
    graph.edges = dict(base.edges)
    code = head.code
    components = ComponentMap(defs)
    repo = base.repo

    base_modules = {n.key: n for n in base.nodes.values() if n.label is Label.MODULE}
    structure_changed = set(base_modules) != set(code.modules)
    if structure_changed:
        candidates = set(base_modules) | set(code.modules)
    else:
        candidates = _changed_candidates(base_modules, code.file_module, changed_paths)

    candidate_ids = {node_id(Label.MODULE, repo, m): m for m in candidates}
    current: dict[str, dict[str, Edge]] = {}
    for key, e in base.edges.items():
        if e.type is Rel.IMPORTS and e.source in candidate_ids:
            current.setdefault(e.source, {})[e.target] = e
    changed: set[str] = set()
    after: dict[str, list[Edge]] = {}  # the new IMPORTS edges of each changed module
    moved = False  # a module now in another component: every import at it counts elsewhere
    for mid, name in candidate_ids.items():
        if name not in code.modules:
            for e in current.get(mid, {}).values():
                graph.edges.pop(e.key, None)
            graph.nodes.pop(mid, None)
            changed.add(name)
            continue
        path, language, files = code.modules[name]
        comp = _module_component(components, path, files)
        props = {"name": name, "path": path, "language": language, "component": comp, "files": sorted(files)}
        old = base_modules.get(name)
        if old is None or old.props.get("files") != props["files"] or old.props.get("component") != comp:
            moved = moved or (old is not None and old.props.get("component") != comp)
            graph.nodes[mid] = Node(Label.MODULE, repo, name, {**(old.props if old else {}), **props})
            if comp and graph.node(Label.COMPONENT, comp) is not None:
                graph.add_edge(Rel.PART_OF, mid, node_id(Label.COMPONENT, repo, comp))
        desired, externals = _grouped_imports(graph, code, name)
        existing = {tid: e.current_props() for tid, e in current.get(mid, {}).items()}
        if desired == existing:
            continue
        changed.add(name)
        for e in current.get(mid, {}).values():
            graph.edges.pop(e.key, None)
        for ext, ecosystem in externals.items():
            if graph.node(Label.EXTERNAL, ext) is None:
                graph.add_node(Label.EXTERNAL, ext, ecosystem=ecosystem, stdlib=is_standard_library(ext, ecosystem))
        after[mid] = []
        for tid, props in desired.items():
            edge = Edge(Rel.IMPORTS, mid, tid, props)
            graph.edges[edge.key] = edge
            after[mid].append(edge)
    # edges into modules that no longer exist
    gone = {node_id(Label.MODULE, repo, m) for m in candidates if m not in code.modules}
    if gone:
        for key in [k for k, e in graph.edges.items() if e.target in gone or e.source in gone]:
            del graph.edges[key]
    for path in changed_paths:
        fid = node_id(Label.FILE, repo, path)
        lang = head.languages.get(path)
        if lang:
            comp = components.component_of(path)
            graph.nodes[fid] = Node(Label.FILE, repo, path, {"path": path, "language": lang, "module": code.file_module.get(path), "component": comp})
        else:
            graph.nodes.pop(fid, None)
    if structure_changed or moved:
        derive_component_dependencies(graph)
    else:  # the same modules in the same components: only the imports of ``changed`` count differently
        _patch_component_dependencies(graph, base, current, after)
    if graph.repository is not None:
        graph.nodes[graph.repository.id] = Node(Label.REPOSITORY, repo, repo, {**graph.repository.props, "head": head.commit})
    return graph, changed


def patch_reads(base: RepoGraph, head: CodeSnapshot, changed_paths: set[str], defs: list[ComponentDef]) -> set[str] | None:
    """The modules whose IMPORTS edges in ``base`` ``patch_code_graph`` reads for this head; None when it reads every
    module's (the set of modules changed, or a module it re-examines moved to another component).

    ``base`` needs every Module node and only those modules' IMPORTS edges: a
    caller holding part of a stored graph loads those before patching.
    """
    code = head.code
    base_modules = {n.key: n for n in base.nodes.values() if n.label is Label.MODULE}
    if set(base_modules) != set(code.modules):
        return None
    candidates = _changed_candidates(base_modules, code.file_module, changed_paths)
    components = ComponentMap(defs)
    for name in candidates:
        path, _, files = code.modules[name]
        if base_modules[name].props.get("component") != _module_component(components, path, files):
            return None
    return candidates


def patch_imports_of(base: RepoGraph, changed_paths: set[str]) -> Callable[[Mapping[str, str]], set[str]]:
    """For ``snapshot_at(imports_of=…)``: the modules whose imports ``patch_code_graph`` reads when the set of modules
    stays the same (``patch_reads`` says whether it did; if not, the patch needs a snapshot with every import)."""
    base_modules = {n.key: n for n in base.nodes.values() if n.label is Label.MODULE}

    def wanted(file_module: Mapping[str, str]) -> set[str]:
        return _changed_candidates(base_modules, file_module, changed_paths)

    return wanted


def _changed_candidates(base_modules: dict[str, Node], file_module: Mapping[str, str], changed_paths: set[str]) -> set[str]:
    """The modules a change to ``changed_paths`` may alter when the set of modules stays the same: those holding a
    changed file, before (``base_modules``) or after (``file_module``)."""
    candidates = {file_module[p] for p in changed_paths if p in file_module}
    candidates |= {n.key for n in base_modules.values() if not changed_paths.isdisjoint(n.props.get("files") or ())}
    return candidates


def _patch_component_dependencies(graph: RepoGraph, base: RepoGraph, before: dict[str, dict[str, Edge]],
                                  after: dict[str, list[Edge]]) -> None:
    """DEPENDS_ON of ``graph`` from those of ``base`` and the IMPORTS of the modules whose imports changed, before
    (``before``: module id -> target id -> edge) and after (``after``: module id -> edges).

    What ``derive_component_dependencies`` gives when every module keeps its
    component (the counts per kind are the same; a kind new to a pair comes
    last among its ``kinds``).
    """
    delta: dict[tuple[str, str], Counter] = {}
    beside: dict[int, set[str]] = {}  # per graph's nodes: the modules whose tests' own imports make no dependency

    def tests_own(e: Edge, nodes: dict[str, Node]) -> bool:
        # (an import in test files alone is rare: only then are the modules looked at)
        if not test_only(import_files(e.props)):
            return False
        if id(nodes) not in beside:
            beside[id(nodes)] = mixed_modules(nodes)
        return e.source in beside[id(nodes)]

    def count(edges: Iterable[Edge], nodes: dict[str, Node], step: int) -> None:
        for e in edges:
            target = nodes.get(e.target)
            if target is None or target.label is not Label.MODULE:
                continue
            source = nodes[e.source]
            a, b = source.props.get("component"), target.props.get("component")
            if a and b and a != b and not tests_own(e, nodes):
                delta.setdefault((a, b), Counter())[e.get("kind", "runtime")] += step

    for source, edges in after.items():
        count(before.get(source, {}).values(), base.nodes, -1)
        count(edges, graph.nodes, +1)
    prefix = _prefix(Label.COMPONENT, graph.repo)
    for (a, b), change in delta.items():
        key = ("DEPENDS_ON", prefix + a, prefix + b)
        if key[1] not in graph.nodes or key[2] not in graph.nodes:
            continue
        old = graph.edges.get(key)
        kinds = Counter(old.props.get("kinds") or {}) if old is not None else Counter()
        kinds.update(change)
        kinds = Counter({k: n for k, n in kinds.items() if n > 0})
        if kinds:
            graph.edges[key] = Edge(Rel.DEPENDS_ON, key[1], key[2], {"count": sum(kinds.values()), "kinds": dict(kinds)})
        else:
            graph.edges.pop(key, None)
