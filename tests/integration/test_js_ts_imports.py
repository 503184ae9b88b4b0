"""JavaScript/TypeScript import extraction and resolution, on real git repositories built here.

The language is driven through its contract directly: the repository's files
are listed with ``git ls-files``, parsed with ``JavaScriptLanguage.parse`` and
resolved by the resolver over a ``Layout`` of the whole checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.ingest.code.base import DYNAMIC, RUNTIME, TYPE_ONLY, ParsedFile
from cairn.ingest.code.javascript import JavaScriptLanguage, JavaScriptResolver, external_package
from fixtures import language_harness
from fixtures.gitrepo import GitRepo

EXT = True  # readability of expected edge tuples: (source, target, kind, external)
INT = False


def load(root: Path) -> tuple[JavaScriptResolver, dict[str, ParsedFile]]:
    return language_harness.load(root, JavaScriptLanguage())


def edges(resolver: JavaScriptResolver, parsed: dict[str, ParsedFile]) -> set[tuple[str, str, str, bool]]:
    found = set()
    for path, pf in parsed.items():
        source = resolver.module_of(path)
        assert source == path
        found |= {(source, imp.target, imp.kind, imp.external) for imp in resolver.resolve(pf)}
    return found


def committed(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(files, message="fixture")
    return repo.root


MONOREPO = {
    "package.json": '{"name": "root", "private": true, "workspaces": {"packages": ["packages/*", "apps/*", "!packages/ignored"]}}\n',
    "tsconfig.json": (
        "{\n"
        "  // shared by every app unless a nearer tsconfig says otherwise\n"
        '  "extends": "./config/tsconfig.base",\n'
        '  "compilerOptions": {\n'
        '    "paths": {\n'
        '      "@app/*": ["apps/web/src/*", "apps/web/generated/*",],  /* tried in order */\n'
        '      "@core": ["packages/core/src/index.ts"],\n'
        "    },\n"
        "  },\n"
        "}\n"
    ),
    "config/tsconfig.base.json": '{\n  "compilerOptions": {\n    "baseUrl": "..", // the repository root\n    "strict": true,\n  },\n}\n',
    "apps/web/package.json": '{"name": "web", "private": true}\n',
    "apps/web/src/main.tsx": (
        "import React from 'react';\n"
        "import { createRoot } from 'react-dom/client';\n"
        "import App from './App';\n"
        "import { helper } from '@app/lib/helper';\n"
        "import { gen } from '@app/api';\n"
        "import { core } from '@acme/core';\n"
        "import { fmt } from '@acme/core/format';\n"
        "import { legacy } from '@core';\n"
        "import type { Config } from 'shared/config';\n"
        "import './styles.css';\n"
        "import fs from 'node:fs/promises';\n"
        "import path from 'path';\n"
        "import _ from 'lodash/fp';\n"
        "import { deep } from '@scope/pkg/deep/x';\n"
        "const Lazy = import('./pages/Lazy');\n"
        "export * from './reexport.js';\n"
        "export { util } from '../../../shared/util.js';\n"
        "export type { Model } from './model';\n"
        "import { type A, type B } from './types';\n"
        "import { type C, D } from './mixed';\n"
        "import './main';\n"
        "import missing from './missing';\n"
        "import alias from '@/unconfigured';\n"
        "import ignored from 'ignored-pkg';\n"
        "let m: typeof import('./model');\n"
        "const later = import(`./pages/${name}`);\n"
        "createRoot(document.body).render(<App />);\n"
    ),
    "apps/web/src/App.tsx": "import { Button } from '@acme/ui';\nexport default function App() { return <Button label=\"hi\" />; }\n",
    "apps/web/src/lib/helper.ts": (
        "const legacy = require('../../../../shared/legacy.cjs');\n"
        "import data from './data.json';\n"
        "import fs = require('fs');\n"
        "import type M = require('../model');\n"
        "export const helper = () => legacy(fs, data);\n"
    ),
    "apps/web/src/lib/data.json": '{"a": 1}\n',
    "apps/web/generated/api.ts": "export const gen = 1;\n",
    "apps/web/src/pages/Lazy/index.tsx": "export default function Lazy() { return <p/>; }\n",
    "apps/web/src/reexport.ts": "export const again = 1;\n",
    "apps/web/src/model.ts": "export interface Model { id: string }\n",
    "apps/web/src/types.d.ts": "export type A = string;\nexport type B = number;\n",
    "apps/web/src/mixed.ts": "export type C = 1;\nexport const D = 2;\n",
    "shared/util.ts": "export const util = 1;\n",
    "shared/config.ts": "export interface Config {}\n",
    "shared/legacy.cjs": "const { core } = require('@acme/core');\nmodule.exports = function legacy() { return core; };\n",
    "packages/core/package.json": (
        '{"name": "@acme/core", "main": "dist/index.js",\n'
        ' "exports": {".": {"types": "./dist/index.d.ts", "import": "./dist/index.mjs"}, "./format": "./dist/format.js"},\n'
        ' "imports": {"#internal/*": "./src/internal/*.ts"}}\n'
    ),
    "packages/core/src/index.ts": "export * from './format';\nimport { secret } from '#internal/secret';\nimport merge from 'lodash';\nexport const core = merge(secret);\n",
    "packages/core/src/format.ts": "export const fmt = (s: string) => s;\n",
    "packages/core/src/internal/secret.ts": "export const secret = 42;\n",
    "packages/ui/package.json": '{"name": "@acme/ui", "main": "index.js"}\n',
    "packages/ui/index.js": "import React from 'react';\nmodule.exports = require('./button.jsx');\n",
    "packages/ui/button.jsx": "import React from 'react';\nexport const Button = ({ label }) => <button>{label}</button>;\n",
    "packages/ignored/package.json": '{"name": "ignored-pkg"}\n',
    "packages/ignored/index.js": "module.exports = 1;\n",
    # A nested tsconfig: its own `paths` replace the root's, while baseUrl is
    # inherited through two `extends`, and `paths` are relative to that baseUrl.
    "apps/admin/package.json": '{"name": "admin"}\n',
    "apps/admin/tsconfig.json": '{"extends": "../../tsconfig.json", "compilerOptions": {"paths": {"@/*": ["apps/admin/src/*"]}}}\n',
    "apps/admin/src/index.ts": (
        "import { a } from '@/a';\n"
        "import { helper } from '@app/lib/helper';\n"
        "import type { Config } from 'shared/config';\n"
    ),
    "apps/admin/src/a.ts": "export const a = 1;\n",
    # Vite's layout: tsconfig.json only lists references; the aliases live in tsconfig.app.json.
    "apps/vite/package.json": '{"name": "vite-app"}\n',
    "apps/vite/tsconfig.json": '{ "files": [], "references": [{ "path": "./tsconfig.node.json" }, { "path": "./tsconfig.app.json" }] }\n',
    "apps/vite/tsconfig.node.json": '{ "compilerOptions": { "composite": true } }\n',
    "apps/vite/tsconfig.app.json": '{ "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }\n',
    "apps/vite/src/main.ts": "import x from '~/x';\n",
    "apps/vite/src/x.ts": "export default 1;\n",
    # jsconfig with baseUrl for plain JavaScript.
    "legacy/jsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}\n',
    "legacy/src/app.js": "import strings from 'utils/strings';\nconst mod = require('./mod.mjs');\n",
    "legacy/src/utils/strings.js": "export default {};\n",
    "legacy/src/mod.mjs": "export default 1;\n",
}


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory):
    root = committed(tmp_path_factory.mktemp("js"), MONOREPO)
    return load(root)


def test_every_import_form_resolves_to_the_expected_edges(monorepo):
    resolver, parsed = monorepo
    main = "apps/web/src/main.tsx"
    web = "apps/web/src"
    expected = {
        (main, "react", RUNTIME, EXT),
        (main, "react-dom", RUNTIME, EXT),
        (main, f"{web}/App.tsx", RUNTIME, INT),  # extension probing
        (main, f"{web}/lib/helper.ts", RUNTIME, INT),  # paths, first substitution
        (main, "apps/web/generated/api.ts", RUNTIME, INT),  # paths, second substitution
        (main, "packages/core/src/index.ts", RUNTIME, INT),  # workspace package, exports → dist → src
        (main, "packages/core/src/format.ts", RUNTIME, INT),  # workspace subpath export
        (main, "packages/core/src/index.ts", RUNTIME, INT),  # exact paths pattern @core
        (main, "shared/config.ts", TYPE_ONLY, INT),  # baseUrl inherited from the extended config
        (main, "node:fs", RUNTIME, EXT),
        (main, "node:path", RUNTIME, EXT),
        (main, "lodash", RUNTIME, EXT),
        (main, "@scope/pkg", RUNTIME, EXT),
        (main, f"{web}/pages/Lazy/index.tsx", DYNAMIC, INT),  # index probing
        (main, f"{web}/reexport.ts", RUNTIME, INT),  # ./x.js names ./x.ts
        (main, "shared/util.ts", RUNTIME, INT),
        (main, f"{web}/model.ts", TYPE_ONLY, INT),  # export type … from, typeof import()
        (main, f"{web}/types.d.ts", TYPE_ONLY, INT),  # all-type named imports; .d.ts probing
        (main, f"{web}/mixed.ts", RUNTIME, INT),
        (main, "ignored-pkg", RUNTIME, EXT),  # excluded from the workspaces by "!packages/ignored"
        (f"{web}/App.tsx", "packages/ui/index.js", RUNTIME, INT),  # workspace package main
        (f"{web}/lib/helper.ts", "shared/legacy.cjs", RUNTIME, INT),  # require()
        (f"{web}/lib/helper.ts", "node:fs", RUNTIME, EXT),  # import x = require()
        (f"{web}/lib/helper.ts", f"{web}/model.ts", TYPE_ONLY, INT),  # import type x = require()
        ("shared/legacy.cjs", "packages/core/src/index.ts", RUNTIME, INT),
        ("packages/core/src/index.ts", "packages/core/src/format.ts", RUNTIME, INT),
        ("packages/core/src/index.ts", "packages/core/src/internal/secret.ts", RUNTIME, INT),  # package.json imports
        ("packages/core/src/index.ts", "lodash", RUNTIME, EXT),
        ("packages/ui/index.js", "react", RUNTIME, EXT),
        ("packages/ui/index.js", "packages/ui/button.jsx", RUNTIME, INT),
        ("packages/ui/button.jsx", "react", RUNTIME, EXT),
        ("apps/admin/src/index.ts", "apps/admin/src/a.ts", RUNTIME, INT),  # nested tsconfig's own paths
        ("apps/admin/src/index.ts", "@app/lib", RUNTIME, EXT),  # the root's paths are replaced there
        ("apps/admin/src/index.ts", "shared/config.ts", TYPE_ONLY, INT),  # baseUrl through two extends
        ("apps/vite/src/main.ts", "apps/vite/src/x.ts", RUNTIME, INT),  # paths from a referenced config
        ("legacy/src/app.js", "legacy/src/utils/strings.js", RUNTIME, INT),  # jsconfig baseUrl
        ("legacy/src/app.js", "legacy/src/mod.mjs", RUNTIME, INT),
    }
    assert edges(resolver, parsed) == expected
    assert resolver.problems == []


def test_languages_lines_and_workspaces(monorepo):
    resolver, parsed = monorepo
    assert parsed["apps/web/src/main.tsx"].language == "typescript"
    assert parsed["apps/web/src/types.d.ts"].language == "typescript"
    assert parsed["packages/ui/button.jsx"].language == "javascript"
    assert parsed["shared/legacy.cjs"].language == "javascript"
    assert all(pf.syntax_errors == 0 for pf in parsed.values())
    assert resolver.workspaces == {"admin": "apps/admin", "vite-app": "apps/vite", "web": "apps/web", "@acme/core": "packages/core", "@acme/ui": "packages/ui"}
    lines: dict[tuple[str, str], list[int]] = {}
    for imp in resolver.resolve(parsed["apps/web/src/main.tsx"]):
        lines.setdefault((imp.target, imp.kind), []).append(imp.line)
    assert lines[("apps/web/src/pages/Lazy/index.tsx", DYNAMIC)] == [15]
    assert lines[("apps/web/src/model.ts", TYPE_ONLY)] == [18, 25]
    assert lines[("packages/core/src/index.ts", RUNTIME)] == [6, 8]
    assert lines[("apps/web/src/App.tsx", RUNTIME)] == [3]  # not the JSX use on line 27
    assert resolver.module_path("apps/web/src/App.tsx") == "apps/web/src/App.tsx"
    assert resolver.module_of("apps/web/src/lib/data.json") is None


def test_type_only_forms_and_multi_line_statements(tmp_path):
    source = (
        "import type { T } from './t';\n"
        "import type * as NS from './ns';\n"
        "import type D from './d';\n"
        "import D2, { type E } from './d2';\n"  # a default import brings a value
        "import {\n  type F,\n  type G,\n} from './fg';\n"
        "export { type H } from './h';\n"
        "export type * from './star';\n"
        "type Q = import('./q').Q;\n"
        "function f(a: Array<import('./arr').Item>) {}\n"
        "const v = await import('./value');\n"
        "require(name);\n"  # not a literal: invisible
    )
    pf = JavaScriptLanguage().parse("src/a.ts", source.encode())
    assert [(i.spec, i.line, i.kind) for i in pf.imports] == [
        ("./t", 1, TYPE_ONLY),
        ("./ns", 2, TYPE_ONLY),
        ("./d", 3, TYPE_ONLY),
        ("./d2", 4, RUNTIME),
        ("./fg", 5, TYPE_ONLY),
        ("./h", 9, TYPE_ONLY),
        ("./star", 10, TYPE_ONLY),
        ("./q", 11, TYPE_ONLY),
        ("./arr", 12, TYPE_ONLY),
        ("./value", 13, DYNAMIC),
    ]
    # TypeScript 5's `export type * from` is valid code the grammar reads as an error: not counted as one (trpc's
    # packages/tanstack-react-query/src/index.ts was reported with syntax errors); a real error still is
    assert pf.syntax_errors == 0
    star_as = JavaScriptLanguage().parse("b.ts", b"export type * as NS from './ns';\n")
    assert [(i.spec, i.kind) for i in star_as.imports] == [("./ns", TYPE_ONLY)] and star_as.syntax_errors == 0
    assert JavaScriptLanguage().parse("c.ts", b"export type = 3;\n").syntax_errors == 1
    # an `&` in a JSX attribute's string that starts no entity (trpc's footer.tsx: "?utm_source=trpc&utm_campaign=oss")
    link = b'import x from "./x";\nconst a = <a href="https://x.example/?a=1&utm_campaign=oss">x</a>;\n'
    assert JavaScriptLanguage().parse("d.tsx", link).syntax_errors == 0


def test_flow_import_type_in_javascript_is_type_only():
    pf = JavaScriptLanguage().parse("a.js", b"// @flow\nimport type { X } from './x';\nimport typeof Y from './y';\nimport z from './z';\n")
    assert [(i.spec, i.kind) for i in pf.imports] == [("./x", TYPE_ONLY), ("./y", TYPE_ONLY), ("./z", RUNTIME)]


def test_js_and_ts_importers_pick_their_own_file_when_both_exist(tmp_path):
    root = committed(
        tmp_path,
        {
            "src/x.ts": "export const x = 1;\n",
            "src/x.js": "exports.x = 1;\n",  # compiled output committed next to the source
            "src/from-ts.ts": "import { x } from './x.js';\nimport { y } from './y';\n",
            "src/from-js.js": "const { x } = require('./x.js');\nconst { y } = require('./y');\n",
            "src/y/index.js": "exports.y = 1;\n",
            "src/y/index.ts": "export const y = 1;\n",
        },
    )
    resolver, parsed = load(root)
    assert {(i.target, i.line) for i in resolver.resolve(parsed["src/from-ts.ts"])} == {("src/x.ts", 1), ("src/y/index.ts", 2)}
    assert {(i.target, i.line) for i in resolver.resolve(parsed["src/from-js.js"])} == {("src/x.js", 1), ("src/y/index.ts", 2)}


def test_pnpm_workspace_and_relative_import_of_a_package_directory(tmp_path):
    root = committed(
        tmp_path,
        {
            "package.json": '{"name": "mono"}\n',
            "pnpm-workspace.yaml": "packages:\n  - 'libs/**'\n  - '!libs/**/fixtures/**'\n",
            "libs/math/package.json": '{"name": "@m/math", "exports": {"./*": "./lib/*.js"}}\n',
            "libs/math/src/add.ts": "export const add = (a: number, b: number) => a + b;\n",
            "libs/math/src/index.ts": "export * from './add';\n",
            "libs/deep/text/package.json": '{"name": "text", "module": "./esm/index.mjs"}\n',
            "libs/deep/text/src/index.mts": "export const t = 1;\n",
            "libs/deep/text/fixtures/p/package.json": '{"name": "fixture-pkg"}\n',
            "libs/deep/text/fixtures/p/index.js": "\n",
            "app/main.ts": (
                "import { add } from '@m/math/add';\n"  # exports wildcard → lib/add.js → src/add.ts
                "import * as m from '@m/math';\n"  # no entry fields: src/index.*
                "import { t } from 'text';\n"  # module → esm/index.mjs → src/index.mts
                "import f from 'fixture-pkg';\n"  # excluded from the workspace
                "import v from '../vendor/local';\n"  # a directory with a package.json entry
                "import up from '../../outside';\n"  # above the repository root
            ),
            "vendor/local/package.json": '{"main": "./main.js"}\n',
            "vendor/local/main.js": "module.exports = 1;\n",
        },
    )
    resolver, parsed = load(root)
    assert resolver.workspaces == {"text": "libs/deep/text", "@m/math": "libs/math"}
    assert {(i.target, i.external) for i in resolver.resolve(parsed["app/main.ts"])} == {
        ("libs/math/src/add.ts", INT),
        ("libs/math/src/index.ts", INT),
        ("libs/deep/text/src/index.mts", INT),
        ("fixture-pkg", EXT),
        ("vendor/local/main.js", INT),
    }


def test_broken_configs_are_reported_and_extends_cycles_end(tmp_path):
    root = committed(
        tmp_path,
        {
            "tsconfig.json": '{"extends": "./b.json", "compilerOptions": {"baseUrl": "src",}}\n',
            "b.json": '{"extends": "./tsconfig.json", "compilerOptions": {"paths": {"@x/*": ["../lib/*"]}}}\n',  # relative to baseUrl
            "lib/tsconfig.json": "{ this is not json\n",
            "package.json": "[1, 2",
            "src/a.ts": "import b from 'b';\nimport x from '@x/y';\n",
            "src/b.ts": "export default 1;\n",
            "lib/y.ts": "import a from '../src/a';\nimport b from 'b';\n",
        },
    )
    resolver, parsed = load(root)
    assert {(i.target, i.external) for i in resolver.resolve(parsed["src/a.ts"])} == {("src/b.ts", INT), ("lib/y.ts", INT)}
    # lib/ has a tsconfig of its own that does not parse: no baseUrl there, so `b` is a package.
    assert {(i.target, i.external) for i in resolver.resolve(parsed["lib/y.ts"])} == {("src/a.ts", INT), ("b", EXT)}
    assert sorted(p.split(":")[0] for p in resolver.problems) == ["lib/tsconfig.json", "package.json"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("lodash", "lodash"),
        ("lodash/fp", "lodash"),
        ("@scope/pkg", "@scope/pkg"),
        ("@scope/pkg/deep/x", "@scope/pkg"),
        ("fs", "node:fs"),
        ("fs/promises", "node:fs"),
        ("node:fs/promises", "node:fs"),
        ("node:test", "node:test"),
        ("npm:chalk@5/ansi", "chalk"),
        ("npm:@types/node@20", "@types/node"),
        ("jsr:@std/path@1", "@std/path"),
        ("https://deno.land/x/oak/mod.ts", "deno.land"),
        ("bun:sqlite", "bun:sqlite"),
        ("virtual:pwa-register/react", "virtual:pwa-register"),
        ("@/components/x", None),
        ("~/x", None),
    ],
)
def test_external_package_names(spec, expected):
    assert external_package(spec) == expected


def test_bad_input_is_counted_not_fatal(tmp_path):
    minified = b"var a=1;" + b"".join(b"require('m%d');x%d=function(){return %d};" % (i % 7, i, i) for i in range(20000))
    root = committed(
        tmp_path,
        {
            "broken.ts": "import { a } from './ok';\nexport function (((\nconst x = require('lodash');\n",
            "latin1.js": "// caf\xe9 in Latin-1\nimport ok from './ok';\n".encode("latin-1"),
            "empty.ts": "",
            "bundle.min.js": minified,
            "ok.ts": "export const a = 1;\n",
        },
    )
    resolver, parsed = load(root)
    assert parsed["broken.ts"].syntax_errors > 0
    assert {(i.target, i.external) for i in resolver.resolve(parsed["broken.ts"])} == {("ok.ts", INT), ("lodash", EXT)}
    assert parsed["latin1.js"].syntax_errors == 0
    assert [(i.target, i.line) for i in resolver.resolve(parsed["latin1.js"])] == [("ok.ts", 2)]
    assert parsed["empty.ts"].imports == [] and parsed["empty.ts"].syntax_errors == 0
    assert {i.target for i in resolver.resolve(parsed["bundle.min.js"])} == {f"m{i}" for i in range(7)}
    assert len(parsed["bundle.min.js"].imports) == 20000


def test_extends_list_later_entries_win_and_paths_follow_their_own_file(tmp_path):
    root = committed(
        tmp_path,
        {
            "tsconfig.json": '{"extends": ["./cfg/a.json", "./cfg/b"]}\n',
            "cfg/a.json": '{"compilerOptions": {"paths": {"@lib/*": ["../nowhere/*"]}, "baseUrl": "../src"}}\n',
            # b's paths replace a's and, with a's baseUrl inherited, are relative to it.
            "cfg/b.json": '{"compilerOptions": {"paths": {"@lib/*": ["../lib/*"]}}}\n',
            "src/main.ts": "import { x } from '@lib/x';\nimport y from 'y';\n",
            "src/y.ts": "export default 1;\n",
            "lib/x.ts": "export const x = 1;\n",
        },
    )
    resolver, parsed = load(root)
    assert {(i.target, i.line) for i in resolver.resolve(parsed["src/main.ts"])} == {("lib/x.ts", 1), ("src/y.ts", 2)}


def test_a_package_import_resolves_to_its_code_before_its_declarations(tmp_path):
    """svelte: ``"types": "./types/index.d.ts"`` (written at build time; under ``src/`` the package's ambient
    declarations) came first of its conditions, and every ``import … from 'svelte'`` went to ``src/index.d.ts``, not to
    the code its other conditions name (``default`` before ``browser``, as Node would). A package with declarations
    only still resolves to them."""
    root = committed(tmp_path, {
        "package.json": '{"name": "root", "private": true, "workspaces": ["packages/*"]}\n',
        "packages/ui/package.json": (
            '{"name": "ui", "type": "module", "exports": {".": {"types": "./types/index.d.ts", '
            '"browser": "./src/index-client.js", "default": "./src/index-server.js"}, '
            '"./store": {"types": "./types/store.d.ts"}}}\n'),
        "packages/ui/src/index.d.ts": "export declare function mount(): void;\n",
        "packages/ui/src/index-client.js": "export function mount() {}\n",
        "packages/ui/src/index-server.js": "export function mount() {}\n",
        "packages/ui/src/store.d.ts": "export declare const store: unknown;\n",
        "packages/app/package.json": '{"name": "app", "dependencies": {"ui": "*"}}\n',
        "packages/app/main.js": "import { mount } from 'ui';\nimport { store } from 'ui/store';\n",
    })
    found = edges(*load(root))
    assert ("packages/app/main.js", "packages/ui/src/index-server.js", RUNTIME, INT) in found
    assert ("packages/app/main.js", "packages/ui/src/store.d.ts", RUNTIME, INT) in found
    assert not any(target == "packages/ui/src/index.d.ts" for source, target, _, _ in found if source == "packages/app/main.js")


JSDOC_TYPED = (
    "/** @import { Options, State } from 'types' */\n"
    "/**\n"
    " * @import {\n"
    " *   Loaded,\n"
    " *   Fetched\n"
    " * } from './page.js'\n"
    " */\n"
    "// @import { Line } from './line-comment.js'\n"
    "/* @import { Block } from './block-comment.js' */\n"
    "/**\n"
    " * Renders a page. A caller writes:\n"
    " * ```js\n"
    " * /** @type {import('./fenced.js').T} *\\/\n"
    " * ```\n"
    " * @example\n"
    " * import { render } from './example.js';\n"
    " * const x = /** @type {import('./example-type.js').X} *\\/ (y);\n"
    " * @param {{\n"
    " *   options: import('types').Options;\n"
    " *   node: Array<import(\"./node.js\").Node>;\n"
    " * }} opts\n"
    " * @returns {Promise<typeof import('./result.js')>}\n"
    " * @see {@link import('./linked.js')} and the import('./prose.js') of this text\n"
    " */\n"
    "export async function render(opts) {\n"
    "  return import('./later.js');\n"
    "}\n"
)


def test_jsdoc_type_imports_are_type_only_and_prose_is_not_read():
    """sveltejs/kit types its JavaScript with JSDoc: ``@import`` tags and ``import('types').X`` in a tag's braces are
    how render.js uses the internal ``types`` module (Cairn saw 3 of runtime's 32 files that do, and called their
    coupling with types/internal.d.ts hidden). An ``@example`` or a Markdown fence is prose: not read."""
    pf = JavaScriptLanguage().parse("src/render.js", JSDOC_TYPED.encode())
    assert [(i.spec, i.line, i.kind) for i in pf.imports] == [
        ("types", 1, TYPE_ONLY),
        ("./page.js", 3, TYPE_ONLY),
        ("types", 19, TYPE_ONLY),
        ("./node.js", 20, TYPE_ONLY),
        ("./result.js", 22, TYPE_ONLY),
        ("./later.js", 26, DYNAMIC),
    ]
    assert pf.syntax_errors == 0
    # TypeScript reads no types from a TypeScript file's JSDoc
    typescript = JavaScriptLanguage().parse("src/render.ts", b"/** @import { A } from './a' */\n/** @type {import('./b').B} */\nlet b;\n")
    assert typescript.imports == []


def test_an_import_tag_without_a_module_costs_time_linear_in_its_text():
    """A stranger's file of one ``@import a`` and a megabyte of spaces: backtracking over them took 5 s for 40,000 and
    grew with their square (the repository's content is untrusted: an ingest must not hang on it)."""
    source = b"/** @import a" + b" " * 1_000_000 + b"x */\nexport const y = 1;\n"
    pf = JavaScriptLanguage().parse("src/slow.js", source)
    assert pf.imports == []


def test_jsdoc_imports_resolve_through_the_same_paths_as_code(tmp_path):
    root = committed(tmp_path, {
        "package.json": '{"name": "kit", "type": "module", "devDependencies": {"vite": "*"}}\n',
        "tsconfig.json": '{"compilerOptions": {"checkJs": true, "paths": {"types": ["./src/types/internal.d.ts"]}}}\n',
        "src/types/internal.d.ts": "export interface Options { strict: boolean }\n",
        "src/page.js": "export const page = 1;\n",
        "src/render.js": "/** @import { Options } from 'types' */\nimport { page } from './page.js';\n"
                         "/** @param {import('vite').UserConfig} config */\nexport function render(config) { return page; }\n",
    })
    assert edges(*load(root)) == {
        ("src/render.js", "src/types/internal.d.ts", TYPE_ONLY, INT),
        ("src/render.js", "src/page.js", RUNTIME, INT),
        ("src/render.js", "vite", TYPE_ONLY, EXT),
    }


def test_a_declaration_file_and_a_source_of_the_same_content_keep_their_own_kinds_from_the_cache(tmp_path):
    """sveltejs/kit's test fixtures hold an ``index.d.ts``, an ``index.js`` and an ``index.ts`` of one blob: the parse
    cache, keyed by extension and content, gave the next ingest the ``.ts`` file's runtime imports for the ``.d.ts``
    (an incremental ingest and a cold one differed)."""
    import json

    from cairn.api.bootstrap import open_store
    from cairn.api.services.ingesting import ingest_into_store
    from cairn.queries.dependencies import module_dependencies

    source = "import { x } from './x';\nexport const y = x;\n"
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"package.json": '{"name": "p"}\n', "src/x.ts": "export const x = 1;\n", "src/index.d.ts": source,
                 "src/index.ts": source}, message="start")
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, repo.root)
    repo.commit({"src/more.ts": "import { y } from './index';\nexport const z = y;\n"}, message="a file more")
    ingest_into_store(store, repo.root)  # (the unchanged files' parses come from the cache)
    edges = {(e["source"], e["target"]): e["kind"] for e in module_dependencies(store.load("repo"))["edges"]}
    assert edges[("src/index.d.ts", "src/x.ts")] == "type_only", json.dumps(edges)
    assert edges[("src/index.ts", "src/x.ts")] == "runtime"


def test_every_import_of_a_declaration_file_is_type_only():
    """A declaration file has no code that runs: kit's adapters' ``index.d.ts`` imported ``@sveltejs/kit`` "at runtime"."""
    for path in ("index.d.ts", "index.d.mts", "index.d.cts", "styles.d.css.ts"):
        pf = JavaScriptLanguage().parse(path, b"import x from 'x';\nexport * from './y';\nimport './z';\ntype T = import('./t').T;\n")
        assert [(i.spec, i.kind) for i in pf.imports] == [("x", TYPE_ONLY), ("./y", TYPE_ONLY), ("./z", TYPE_ONLY),
                                                          ("./t", TYPE_ONLY)], path
    assert [i.kind for i in JavaScriptLanguage().parse("index.ts", b"import x from 'x';\n").imports] == [RUNTIME]
