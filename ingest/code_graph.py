"""Turning extracted code into graph nodes and edges: whole, at a commit, or as a patch.

``build_code_graph`` adds components, files, modules, imports and the derived
component dependencies of one extraction to a graph; an external package is
marked ``stdlib`` when it is its language's standard library (``code.stdlib``). ``snapshot_at`` extracts
the code of a commit straight from git objects (optionally with some files
replaced, as a diff would), and ``patch_code_graph`` applies such a snapshot to
an existing graph, touching only the modules whose imports actually changed, so
the PR check does not rebuild 5,000 modules to look at 20 files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cairn.graph.model import IMPORT_KINDS, Edge, Label, Node, Rel, RepoGraph, node_id
from cairn.ingest.code.extract import ParseCache, SourceFile, extract_code
from cairn.ingest.code.result import CodeResult
from cairn.ingest.code.stdlib import is_standard_library
from cairn.ingest.components import ComponentDef, ComponentMap
from cairn.ingest.config import CairnConfig
from cairn.ingest.files import CODE_LANGUAGES, SNIFF_BYTES, content_skip_reason, language_of
from cairn.ingest.gittree import GitTree

ECOSYSTEM = {"python": "pypi", "javascript": "npm", "typescript": "npm", "go": "go", "java": "maven"}

#: One module's imports, grouped: target node id -> edge properties.
ImportGroup = dict[str, dict]


@dataclass
class CodeSnapshot:
    commit: str
    code: CodeResult
    languages: dict[str, str | None]  # every kept file -> language (None: not a programming language)

    @property
    def source_paths(self) -> list[str]:
        return sorted(p for p, lang in self.languages.items() if lang)


def _module_component(components: ComponentMap, path: str, files: list[str]) -> str | None:
    comp = components.component_of(files[0] if files else path)
    if comp is None and path and not files:  # Go package dir / namespace package: match the dir itself
        comp = components.component_of(path.rstrip("/") + "/")
    return comp


def _grouped_imports(graph: RepoGraph, code: CodeResult, source: str) -> tuple[ImportGroup, dict[str, str]]:
    """The IMPORTS edges ``source`` should have: target id -> props, and the external targets to create.

    An edge's evidence is a file and its lines: ``file`` is the first file (by
    path) of the module that holds the import and ``lines`` its lines there;
    when several files of the module import the target (a Go package),
    ``files`` maps each of them to its lines.
    """
    path, language, files = code.modules[source]
    fallback = (sorted(files) or [path])[0]
    kinds_of: dict[tuple[str, bool], set[str]] = {}
    sites: dict[tuple[str, bool], dict[str, dict[str, set[int]]]] = {}  # -> file -> kind -> lines
    for imp in code.imports.get(source, ()):
        if not imp.external and (imp.target == source or imp.target not in code.modules):
            continue
        key = (imp.target, imp.external)
        kinds_of.setdefault(key, set()).add(imp.kind)
        sites.setdefault(key, {}).setdefault(imp.file or fallback, {}).setdefault(imp.kind, set()).add(imp.line)
    out: ImportGroup = {}
    externals: dict[str, str] = {}
    for (target, external), by_file in sites.items():
        if external:
            tid = node_id(Label.EXTERNAL, graph.repo, target)
            externals[target] = ECOSYSTEM.get(language, language)
        else:
            tid = node_id(Label.MODULE, graph.repo, target)
        first = min(by_file)
        props = {
            "kind": next(k for k in IMPORT_KINDS if k in kinds_of[(target, external)]),
            "lines": sorted(set().union(*by_file[first].values())),
            "kinds": {k: sorted(v) for k, v in by_file[first].items()},
            "file": first,
        }
        if len(by_file) > 1:
            props["files"] = {f: sorted(set().union(*k.values())) for f, k in sorted(by_file.items())}
        out[tid] = props
    return out, externals


def build_code_graph(
    graph: RepoGraph, code: CodeResult, source_paths: list[str], defs: list[ComponentDef], file_languages: dict[str, str | None]
) -> ComponentMap:
    """Add components, files, modules, imports and component dependencies to ``graph``."""
    components = ComponentMap(defs)
    component_nodes = {}
    for d in defs:
        component_nodes[d.name] = graph.add_node(
            Label.COMPONENT, d.name, paths=d.paths, system=d.system, domain=d.domain, description=d.description,
            inferred=d.inferred, modules=0, files=0,
        )
    for path in source_paths:
        comp = components.component_of(path)
        node = graph.add_node(Label.FILE, path, language=file_languages.get(path), module=code.file_module.get(path), component=comp)
        if comp:
            graph.add_edge(Rel.PART_OF, node, component_nodes[comp])
            component_nodes[comp].props["files"] += 1
    for name, (path, language, files) in code.modules.items():
        comp = _module_component(components, path, files)
        node = graph.add_node(Label.MODULE, name, path=path, language=language, component=comp, files=sorted(files))
        if comp:
            graph.add_edge(Rel.PART_OF, node, component_nodes[comp])
            component_nodes[comp].props["modules"] += 1
    for source in code.imports:
        _set_imports(graph, code, source)
    derive_component_dependencies(graph)
    return components


def _set_imports(graph: RepoGraph, code: CodeResult, source: str) -> None:
    src = node_id(Label.MODULE, graph.repo, source)
    group, externals = _grouped_imports(graph, code, source)
    for name, ecosystem in externals.items():
        graph.add_node(Label.EXTERNAL, name, ecosystem=ecosystem, stdlib=is_standard_library(name, ecosystem))
    for tid, props in group.items():
        edge = Edge(Rel.IMPORTS, src, tid, props)
        graph.edges[edge.key] = edge


def derive_component_dependencies(graph: RepoGraph) -> None:
    """(Re)compute Component -DEPENDS_ON-> Component from the module imports."""
    for key in [k for k, e in graph.edges.items() if e.type is Rel.DEPENDS_ON]:
        del graph.edges[key]
    coupling: dict[tuple[str, str], Counter] = {}
    nodes = graph.nodes
    for e in graph.edges.values():
        if e.type is not Rel.IMPORTS:
            continue
        tgt = nodes[e.target]
        if tgt.label is not Label.MODULE:
            continue
        a, b = nodes[e.source].props.get("component"), tgt.props.get("component")
        if a and b and a != b:
            coupling.setdefault((a, b), Counter())[e.props.get("kind", "runtime")] += 1
    for (a, b), kinds in sorted(coupling.items()):
        ca, cb = graph.node(Label.COMPONENT, a), graph.node(Label.COMPONENT, b)
        if ca is not None and cb is not None:
            graph.add_edge(Rel.DEPENDS_ON, ca, cb, count=sum(kinds.values()), kinds=dict(kinds))


def snapshot_at(
    root: Path, ref: str, *, config: CairnConfig | None = None, cache: ParseCache | None = None,
    overrides: dict[str, bytes | None] | None = None,
) -> CodeSnapshot:
    """Extract the code of the repository at ``ref`` from git objects.

    ``overrides`` replaces file contents (``None`` deletes the file), as the
    post-change contents of a diff do. Cached parses are reused by blob id.
    """
    config = config or CairnConfig()
    overrides = overrides or {}
    with GitTree.at(root, ref, exclude=config.ingest.exclude, max_file_bytes=config.ingest.max_file_bytes) as tree:
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
            if data is None or len(data) > config.ingest.max_file_bytes or content_skip_reason(data[:SNIFF_BYTES]):
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

        code = extract_code(files, read, all_paths=all_paths, read_text=read_text, cache=cache)
    for path in code.skipped_content:
        languages.pop(path, None)
    return CodeSnapshot(tree.commit, code, languages)


def code_graph_at(
    root: Path, ref: str, repo: str, defs: list[ComponentDef], *, config: CairnConfig | None = None,
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
        candidates = {code.file_module[p] for p in changed_paths if p in code.file_module}
        candidates |= {n.key for n in base_modules.values() if set(n.props.get("files") or ()) & changed_paths}

    candidate_ids = {node_id(Label.MODULE, repo, m): m for m in candidates}
    current: dict[str, dict[str, Edge]] = {}
    for key, e in base.edges.items():
        if e.type is Rel.IMPORTS and e.source in candidate_ids:
            current.setdefault(e.source, {})[e.target] = e
    changed: set[str] = set()
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
            graph.nodes[mid] = Node(Label.MODULE, repo, name, {**(old.props if old else {}), **props})
            if comp and graph.node(Label.COMPONENT, comp) is not None:
                graph.add_edge(Rel.PART_OF, mid, node_id(Label.COMPONENT, repo, comp))
        desired, externals = _grouped_imports(graph, code, name)
        existing = {tid: e.props for tid, e in current.get(mid, {}).items()}
        if desired == existing:
            continue
        changed.add(name)
        for e in current.get(mid, {}).values():
            graph.edges.pop(e.key, None)
        for ext, ecosystem in externals.items():
            if graph.node(Label.EXTERNAL, ext) is None:
                graph.add_node(Label.EXTERNAL, ext, ecosystem=ecosystem, stdlib=is_standard_library(ext, ecosystem))
        for tid, props in desired.items():
            edge = Edge(Rel.IMPORTS, mid, tid, props)
            graph.edges[edge.key] = edge
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
    derive_component_dependencies(graph)
    if graph.repository is not None:
        graph.nodes[graph.repository.id] = Node(Label.REPOSITORY, repo, repo, {**graph.repository.props, "head": head.commit})
    return graph, changed
