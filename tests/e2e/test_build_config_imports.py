"""A build or test tool's configuration makes no component dependency (``graph.buildconfig``).

trpc's ``packages/*/tsdown.config.ts`` import ``../../scripts/entrypoints.js`` to list what to bundle: every
package "depended on" ``scripts`` in ``cairn deps``, the components and explore cards, and a pull request adding
such a config was a new component dependency. The import stays an IMPORTS edge (the module graph and the boundary
rules see it, as they see a test's); the component level leaves it out, as it does a test's beside the code, and
the PR check marks it (``build_config``), naming a package only configurations import apart from the code's.
"""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.cli import cairn_process as cairn
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")




def package(name: str) -> str:
    return json.dumps({"name": f"@acme/{name}", "version": "1.0.0", "main": "src/index.ts"})


TSDOWN_CONFIG = """import { defineConfig } from 'tsdown';

export default defineConfig(async () => {
  const { entrypoints } = await import('../../scripts/entrypoints.js');
  return { entry: entrypoints(import.meta.dirname) };
});
"""
VITEST_CONFIG = "import { defineConfig } from 'vitest/config';\nimport { aliases } from '../../scripts/aliases';\n\n" \
                "export default defineConfig({ resolve: { alias: aliases } });\n"


def trpc_like(root: Path) -> GitRepo:
    """A pnpm workspace as trpc's: ``client`` imports ``server``; both are built and tested by configurations that
    import the repository's ``scripts/``. ``config`` holds configurations alone (shared ones): as a component of tests alone (a
    top-level ``tests/``) keeps its imports, it keeps its dependencies, all that it does."""
    repo = GitRepo(root)
    repo.commit({
        "package.json": json.dumps({"name": "acme", "private": True}),
        "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
        "scripts/entrypoints.ts": "export function entrypoints(dir: string): string[] { return [dir]; }\n",
        "scripts/aliases.ts": "export const aliases = {};\n",
        "packages/server/package.json": package("server"),
        "packages/server/src/index.ts": "export function serve(): number { return 1; }\n",
        "packages/server/src/router.ts": "import { serve } from './index';\nexport const router = serve;\n",
        "packages/server/tsdown.config.ts": TSDOWN_CONFIG,
        "packages/server/vitest.config.ts": VITEST_CONFIG,
        "packages/client/package.json": package("client"),
        "packages/client/src/index.ts": "import { serve } from '../../server/src/index';\nexport const call = serve;\n",
        "packages/client/tsdown.config.ts": TSDOWN_CONFIG,
        "packages/config/package.json": package("config"),
        "packages/config/vitest.config.ts": VITEST_CONFIG,
        "packages/config/eslint.config.mjs": "export default [{ rules: {} }];\n",
    }, author=ADA)
    return repo


def component_edges(store: Path) -> set[tuple[str, str]]:
    report = json.loads(cairn("deps", "--level", "component", "--store", str(store), "--format", "json").stdout)
    return {(e["source"], e["target"]) for e in report["edges"]}


def test_a_packages_build_configuration_imports_are_no_dependency_of_it(tmp_path):
    repo = trpc_like(tmp_path / "trpc")
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    components = {c["name"]: c for c in json.loads(cairn("components", "--store", str(store), "--format", "json")
                                                   .stdout)["components"]}
    assert {"server", "client", "scripts", "config"} <= components.keys()
    assert component_edges(store) == {("client", "server"), ("config", "scripts")}
    assert components["server"]["depends_on"] == [] and components["scripts"]["used_by"] == ["config"]
    card = json.loads(cairn("explore", "server", "--store", str(store), "--format", "json").stdout)
    assert [row["component"] for row in card["depends_on"]] == []
    # the imports are still there, module to module (for the rules and the module graph)
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert {(e["source"], e["target"]) for e in edges if e["target"].startswith("scripts/")} == {
        ("packages/server/tsdown.config.ts", "scripts/entrypoints.ts"),
        ("packages/server/vitest.config.ts", "scripts/aliases.ts"),
        ("packages/client/tsdown.config.ts", "scripts/entrypoints.ts"),
        ("packages/config/vitest.config.ts", "scripts/aliases.ts")}

    # a pull request whose new imports are a configuration's adds no component dependency; one in the code does
    repo.git("checkout", "-q", "-b", "tested")
    repo.commit({"packages/server/eslint.config.mjs": "import js from '@eslint/js';\n"
                                                      "import base from '../config/eslint.config.mjs';\n\n"
                                                      "export default [js.configs.recommended, ...base];\n",
                 "packages/server/src/wire.ts": "import { call } from '../../client/src/index';\nexport const w = call;\n"},
                author=ADA)
    report = json.loads(cairn("pr-check", "--repo", str(repo.root), "--store", str(store), "--base", "main",
                              "--head", "HEAD", "--format", "json").stdout)
    assert {(f["source_component"], f["target_component"]) for f in report["findings"]
            if f["kind"] == "new_dependency"} == {("server", "client")}
    # its new edges are marked so, and a package only a configuration imports is no new dependency of the code
    assert {(e["source"], e["target"]): e["build_config"] for e in report["new_edges"]} == {
        ("packages/server/eslint.config.mjs", "external:@eslint/js"): True,
        ("packages/server/eslint.config.mjs", "packages/config/eslint.config.mjs"): True,
        ("packages/server/src/wire.ts", "packages/client/src/index.ts"): False}
    table = cairn("pr-check", "--repo", str(repo.root), "--store", str(store), "--base", "main", "--head", "HEAD",
                  "--format", "table").stdout
    assert "new external packages in build configuration only: @eslint/js\n" in table
    assert "new external packages: " not in table
