"""The import graph of the installed package, read by grimp: no cycle, and the one-way flow.

The folders are laid out as ``pip install`` lays them out (``pyproject.toml``'s
``package-dir``: ``graph/`` becomes ``cairn/graph/`` …) in a temporary
directory, and grimp builds the graph of ``cairn`` there, in a fresh
interpreter, so what is checked is the package users get.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import itertools, json, sys
import grimp
graph = grimp.build_graph("cairn")
modules = sorted(graph.modules)
edges = sorted((a, b) for a in modules for b in graph.find_modules_directly_imported_by(a))
def chain(a, b):
    return graph.find_shortest_chain(importer=a, imported=b, as_packages=True)
pairs = [("cairn.ingest", "cairn.queries"), ("cairn.queries", "cairn.ingest"), ("cairn.graph", "cairn.ingest"),
         ("cairn.graph", "cairn.queries"), ("cairn.graph", "cairn.api"), ("cairn.ingest", "cairn.api"),
         ("cairn.queries", "cairn.api")]
print(json.dumps({"file": __import__("cairn").__file__, "modules": modules, "edges": edges,
                  "chains": {f"{a} -> {b}": chain(a, b) for a, b in pairs}}))
"""


@pytest.fixture(scope="module")
def imports(tmp_path_factory) -> dict:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping: dict[str, str] = setuptools["package-dir"]
    site = tmp_path_factory.mktemp("site")
    for package in setuptools["packages"]:
        top = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
        source = ROOT / mapping[top] / Path(*package[len(top):].lstrip(".").split(".")) if package != top else ROOT / mapping[top]
        target = site / Path(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for module in source.glob("*.py"):
            shutil.copy2(module, target / module.name)
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=site, capture_output=True, text=True,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["file"] == str(site / "cairn" / "__init__.py")  # the copy, not the editable checkout
    return data


def test_no_import_cycle_between_modules(imports):
    import networkx as nx

    graph = nx.DiGraph(imports["edges"])
    assert len(imports["modules"]) > 80 and graph.number_of_edges() > 200  # the whole package was read
    cycles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == [], f"import cycles: {cycles}"


def test_ingest_and_queries_are_siblings_and_graph_imports_nothing_above_it(imports):
    assert {pair: chain for pair, chain in imports["chains"].items() if chain} == {}


def test_interfaces_meet_only_in_the_service_layer(imports):
    def group(module: str) -> str | None:
        for prefix in ("cairn.api.commands", "cairn.api.routers", "cairn.api.mcp", "cairn.api.render",
                       "cairn.api.services", "cairn.api.bootstrap", "cairn.api.forge"):
            if module == prefix or module.startswith(prefix + "."):
                return prefix
        return None

    crossing = set()
    for a, b in imports["edges"]:
        ga, gb = group(a), group(b)
        if ga is None or gb is None:
            continue
        if ga == gb == "cairn.api.routers" and a != b and not b.endswith("._problems") and b != "cairn.api.routers":
            crossing.add((a, b))  # a router importing another router
        elif ga != gb and not (gb in ("cairn.api.services", "cairn.api.bootstrap")
                               or (ga in ("cairn.api.commands", "cairn.api.routers", "cairn.api.mcp") and gb == "cairn.api.render")
                               or (ga == "cairn.api.services" and gb == "cairn.api.forge")
                               or (ga == "cairn.api.forge" and gb == "cairn.api.render")):
            crossing.add((a, b))  # the forge adapters are reached through the services only, and use only the renderers
    # ``cairn mcp`` starts the MCP server: the one launcher allowed to name another interface
    assert crossing == {("cairn.api.commands.serve", "cairn.api.mcp")}
    services = {b for a, b in imports["edges"]
                if group(a) in ("cairn.api.services", "cairn.api.render", "cairn.api.bootstrap", "cairn.api.forge")}
    assert not {b for b in services if group(b) in ("cairn.api.commands", "cairn.api.routers", "cairn.api.mcp")}
