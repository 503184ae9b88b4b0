"""``build_code_graph`` makes, in bulk, the graph that adding each node and edge one by one makes: every import
grouped by ``_grouped_imports`` (the definition ``import_changes`` and the patch use), the component dependencies
derived from the imports, the nodes and edges in the same order with the same properties."""

from __future__ import annotations

from collections import Counter

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.values import dumps
from cairn.ingest.code.base import ResolvedImport
from cairn.ingest.code.result import CodeResult
from cairn.ingest.code.stdlib import is_standard_library
from cairn.ingest.code_graph import _grouped_imports, build_code_graph, derive_component_dependencies
from cairn.ingest.components import ComponentDef, ComponentMap


def one_by_one(repo: str, code: CodeResult, paths: list[str], defs: list[ComponentDef],
               languages: dict[str, str | None]) -> RepoGraph:
    """The code graph made with ``add_node`` and ``add_edge``, a module's imports grouped at a time."""
    graph = RepoGraph(repo)
    components = ComponentMap(defs)
    for d in defs:
        graph.add_node(Label.COMPONENT, d.name, paths=d.paths, system=d.system, domain=d.domain,
                       description=d.description, inferred=d.inferred, modules=0, files=0)
    for path in paths:
        comp = components.component_of(path)
        node = graph.add_node(Label.FILE, path, language=languages.get(path), module=code.file_module.get(path),
                              component=comp)
        if comp:
            graph.add_edge(Rel.PART_OF, node, graph.node(Label.COMPONENT, comp))
            graph.node(Label.COMPONENT, comp).props["files"] += 1
    for name, (path, language, files) in code.modules.items():
        comp = components.component_of(files[0] if files else path)
        if comp is None and path and not files:
            comp = components.component_of(path.rstrip("/") + "/")
        node = graph.add_node(Label.MODULE, name, path=path, language=language, component=comp, files=sorted(files))
        if comp:
            graph.add_edge(Rel.PART_OF, node, graph.node(Label.COMPONENT, comp))
            graph.node(Label.COMPONENT, comp).props["modules"] += 1
    for source in code.imports:
        group, externals = _grouped_imports(graph, code, source)
        for name, ecosystem in externals.items():
            graph.add_node(Label.EXTERNAL, name, ecosystem=ecosystem, stdlib=is_standard_library(name, ecosystem))
        for target, props in group.items():
            graph.add_edge(Rel.IMPORTS, graph.node(Label.MODULE, source), target, **props)
    derive_component_dependencies(graph)
    return graph


def as_stored(graph: RepoGraph) -> tuple[list, list]:
    """Every node and edge in order, with its properties as a store writes them."""
    nodes = [(nid, n.label, n.key, dumps(n.props)) for nid, n in graph.nodes.items()]
    edges = [(key, e.type, e.source, e.target, dumps(e.current_props())) for key, e in graph.edges.items()]
    return nodes, edges


def imp(target: str, line: int, file: str, kind: str = "runtime", external: bool = False) -> ResolvedImport:
    return ResolvedImport(target, line, kind, external, file)


def test_bulk_build_is_the_graph_made_one_by_one():
    # Plain modules beside every odd case: a module importing itself, a target that is not a module, an import
    # without a file, a target imported again (another kind, another file), an external package named like a module,
    # a Go package of two files importing one package from both, externals of two ecosystems, modules without imports.
    modules = {
        "app.a": ("app/a.py", "python", ["app/a.py"]),
        "app.b": ("app/b.py", "python", ["app/b.py"]),
        "lib.c": ("lib/c.py", "python", ["lib/c.py"]),
        "lib.d": ("lib/d.py", "python", ["lib/d.py"]),
        "example.com/g": ("g", "go", ["g/y.go", "g/x.go"]),
        "web/w": ("web/w.ts", "typescript", ["web/w.ts"]),
        "ns": ("ns", "python", []),
        "lone": ("lone.py", "python", ["lone.py"]),
    }
    imports = {
        "app.a": [imp("app.b", 1, "app/a.py"), imp("os", 2, "app/a.py", external=True), imp("lib.c", 3, "app/a.py")],
        "app.b": [imp("lib.c", 1, "app/b.py"), imp("app.b", 2, "app/b.py"), imp("gone", 3, "app/b.py"),
                  imp("lib.d", 4, "app/b.py", "type_only")],
        "lib.c": [imp("app.a", 1, ""), imp("lib.d", 2, "lib/c.py", "dynamic")],
        "lib.d": [imp("app.a", 5, "lib/d.py", "type_only"), imp("app.a", 1, "lib/d.py"), imp("lib.c", 7, "lib/d.py"),
                  imp("app.a", 9, "lib/d.py", "dynamic")],
        "example.com/g": [imp("fmt", 3, "g/y.go", external=True), imp("fmt", 4, "g/x.go", external=True),
                          imp("app.a", 5, "g/x.go")],
        "web/w": [imp("react", 1, "web/w.ts", external=True), imp("lib.c", 2, "web/w.ts", external=True),
                  imp("app.b", 3, "web/w.ts")],
        "ns": [],
        "later": [],
    }
    modules["later"] = ("later.py", "python", ["later.py"])
    file_module = {f: name for name, (_, _, files) in modules.items() for f in files}
    code = CodeResult(modules=modules, file_module=file_module, imports=imports,
                      languages=Counter(python=6, go=2, typescript=1))
    paths = sorted([*file_module, "README.md"])
    languages = {p: ("markdown" if p.endswith(".md") else "python") for p in paths}
    defs = [ComponentDef("app", ["app/**"]), ComponentDef("lib", ["lib/**"]), ComponentDef("go", ["g/**"]),
            ComponentDef("web", ["web/**"]), ComponentDef("ns", ["ns/**"])]
    built = RepoGraph("r")
    build_code_graph(built, code, paths, defs, languages)
    expected = one_by_one("r", code, paths, defs, languages)
    assert as_stored(built) == as_stored(expected)
    # the odd cases are there: a dropped import, one grouped again with its files, an external beside a module
    edges = built.edges
    assert ("IMPORTS", "Module|r|app.b", "Module|r|app.b") not in edges
    assert edges[("IMPORTS", "Module|r|lib.d", "Module|r|app.a")].props["lines"] == [1, 5, 9]
    assert set(edges[("IMPORTS", "Module|r|example.com/g", "ExternalPackage|r|fmt")].props["files"]) == {"g/x.go", "g/y.go"}
    assert ("IMPORTS", "Module|r|web/w", "ExternalPackage|r|lib.c") in edges
    assert any(e.type is Rel.DEPENDS_ON for e in edges.values())


def test_bulk_build_of_plain_modules_only_and_of_none():
    modules = {f"m{i}": (f"p{i % 3}/m{i}.py", "python", [f"p{i % 3}/m{i}.py"]) for i in range(30)}
    imports = {f"m{i}": [imp(f"m{(i * 7 + j) % 30}", j + 1, f"p{i % 3}/m{i}.py") for j in range(1, 4)
                         if (i * 7 + j) % 30 != i] for i in range(30)}
    code = CodeResult(modules=modules, file_module={files[0]: name for name, (_, _, files) in modules.items()},
                      imports=imports)
    paths = sorted(code.file_module)
    languages = dict.fromkeys(paths, "python")
    defs = [ComponentDef(f"p{k}", [f"p{k}/**"]) for k in range(3)]
    built = RepoGraph("r")
    build_code_graph(built, code, paths, defs, languages)
    assert as_stored(built) == as_stored(one_by_one("r", code, paths, defs, languages))
    empty = RepoGraph("r")
    build_code_graph(empty, CodeResult(), [], defs, {})
    assert as_stored(empty) == as_stored(one_by_one("r", CodeResult(), [], defs, {}))
