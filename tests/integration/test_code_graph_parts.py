"""The IMPORTS edges made before the components are known (``code_graph.import_edges``, as the ingest makes them
while the listing's child works out the components) give ``build_code_graph`` the graph it makes alone, in the same
order; edges made of another extraction are refused."""

from __future__ import annotations

from collections import Counter

import pytest

from cairn.graph.model import RepoGraph
from cairn.ingest.code.result import CodeResult
from cairn.ingest.code_graph import build_code_graph, import_edges
from cairn.ingest.components import ComponentDef
from test_code_graph_build import as_stored, imp, one_by_one


def _code() -> tuple[CodeResult, list[str], dict[str, str | None], list[ComponentDef]]:
    modules = {
        "app.a": ("app/a.py", "python", ["app/a.py"]),
        "app.b": ("app/b.py", "python", ["app/b.py"]),
        "lib.c": ("lib/c.py", "python", ["lib/c.py"]),
        "example.com/g": ("g", "go", ["g/y.go", "g/x.go"]),
        "ns": ("ns", "python", []),
        "lone": ("lone.py", "python", ["lone.py"]),
    }
    imports = {
        "app.a": [imp("app.b", 1, "app/a.py"), imp("os", 2, "app/a.py", external=True), imp("lib.c", 3, "app/a.py")],
        "app.b": [imp("lib.c", 1, "app/b.py"), imp("app.b", 2, "app/b.py"), imp("lib.c", 4, "app/b.py", "type_only")],
        "lib.c": [imp("app.a", 1, ""), imp("lone", 2, "lib/c.py", "dynamic")],
        "example.com/g": [imp("fmt", 3, "g/y.go", external=True), imp("fmt", 4, "g/x.go", external=True),
                          imp("app.a", 5, "g/x.go")],
        "lone": [imp("app.a", 1, "lone.py"), imp("lib.c", 2, "lone.py", "type_only")],
    }
    file_module = {f: name for name, (_, _, files) in modules.items() for f in files}
    code = CodeResult(modules=modules, file_module=file_module, imports=imports, languages=Counter(python=4, go=2))
    paths = sorted([*file_module, "README.md"])
    languages = {p: ("markdown" if p.endswith(".md") else "python") for p in paths}
    defs = [ComponentDef("app", ["app/**"]), ComponentDef("lib", ["lib/**"]), ComponentDef("go", ["g/**"])]
    return code, paths, languages, defs


def test_edges_made_beforehand_build_the_same_graph():
    code, paths, languages, defs = _code()
    alone, given = RepoGraph("r"), RepoGraph("r")
    build_code_graph(alone, code, paths, defs, languages)
    build_code_graph(given, code, paths, defs, languages, import_edges("r", code))
    assert as_stored(given) == as_stored(alone) == as_stored(one_by_one("r", code, paths, defs, languages))
    assert any(key[0] == "DEPENDS_ON" for key in given.edges)


def test_edges_of_another_extraction_or_repository_are_refused():
    code, paths, languages, defs = _code()
    other, _, _, _ = _code()
    with pytest.raises(ValueError):
        build_code_graph(RepoGraph("r"), code, paths, defs, languages, import_edges("r", other))
    with pytest.raises(ValueError):
        build_code_graph(RepoGraph("r"), code, paths, defs, languages, import_edges("s", code))
