"""Test data (fixtures, snapshots, a suite's sample cases) is out of the truck factor's scope; test code is in it.

A repository laid out as svelte's: its compiler written by one person, its test suite's sample cases (each a folder
of inputs, expected output and the case's ``_config.js``) added one by one by many contributors, as pull requests
that fix something add them. The cases outnumbered the code and made the truck factor theirs.
"""

from __future__ import annotations

from cairn.graph.model import Label
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.ownership import bus_factor
from fixtures.gitrepo import GitRepo

RICH = ("Rich", "rich@example.com")
BOB = ("Bob", "bob@example.com")
CONTRIBUTORS = [(f"Contributor {n}", f"c{n}@example.com") for n in range(8)]

#: the test data of one contributor's case, by the conventions the scope knows (``{n}``: the contributor's number)
CASE_FILES = (
    "packages/svelte/tests/runtime-runes/samples/case-{n}/_config.js",
    "packages/svelte/tests/runtime-runes/samples/case-{n}/main.svelte",
    "packages/svelte/tests/runtime-runes/samples/case-{n}/_expected.html",
    "test/fixtures/entry-{n}.js",
    "src/node/__tests__/fixtures/dep-{n}/index.js",
    "src/ui/__fixtures__/state-{n}.tsx",
    "src/ui/__snapshots__/render-{n}.js",
    "pkg/parse/testdata/input-{n}.go",
    "tests/data/cases/case-{n}.py",  # black's: the code it formats, and below it the output it expects
    "test-data/unit/lib-stub/stub_{n}.pyi",  # mypy's: library stubs its .test cases type-check against
    "mypyc/test-data/fixtures/ir_{n}.py",
    "crates/req/test_data/case_{n}.py",
)

#: test code and code named like test data where it is none: counted
TEST_CODE = {
    "packages/svelte/tests/runtime-runes/test.ts": "import { run } from '../suite';\nrun();\n",
    "pkg/parse/parse_test.go": "package parse\n",
    "test/e2e/fixture/app.go": "package fixture\n",  # argo-cd's test helpers, a Go package named fixture
    "src/fixtures/users.py": "USERS = []\n",  # a fixtures folder outside a test directory
    "src/samples/demo.py": "print(1)\n",  # a samples folder outside a test directory (a top-level one is documentation)
    "packages/app/tests/data/restore.test.ts": "test('restore', () => {});\n",  # excalidraw's tests of its data module
}


def build_repo(root) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({f"src/compiler/phase{i}.js": f"export const phase{i} = {i};\n" for i in range(3)} | TEST_CODE,
                message="compiler, the suite's runner and helpers", author=RICH)
    # a Java package named samples deep in a test tree holds test code (spring-petclinic's), not a suite's cases
    repo.commit({"src/test/java/org/example/samples/AppTest.java": "package org.example.samples;\nclass AppTest {}\n"},
                message="a test", author=BOB)
    for n, contributor in enumerate(CONTRIBUTORS):
        repo.commit({path.format(n=n): f"// case {n}\n" for path in CASE_FILES}, message=f"fix #{n}", author=contributor)
    return repo


def test_test_data_is_not_counted_and_test_code_is(tmp_path):
    repo = build_repo(tmp_path / "r")
    result = ingest_repository(repo.root, cache_dir=tmp_path / "cache")
    files = {n.key: n for n in result.graph.of_label(Label.FILE)}
    data = [path.format(n=n) for n in range(len(CONTRIBUTORS)) for path in CASE_FILES]
    assert all(path in files for path in data)  # read as every file is; only the truck factor leaves them out
    assert {files[p].get("linguist_reason") for p in data} == {"test data"}
    assert not any(files[p].get("linguist_counted") for p in data)
    for code in (*TEST_CODE, "src/test/java/org/example/samples/AppTest.java", "src/compiler/phase0.js"):
        assert files[code].get("linguist_counted") is True, code
    assert any(note.startswith("files the truck factor does not count (Linguist's kinds, and test data): ")
               and f"{len(data)} test data" in note for note in result.summary.notes), result.summary.notes

    report = bus_factor(result.graph)["repository"]
    # the compiler, the runner and the helpers are Rich's, the Java test Bob's: 9 of 10 files go with Rich (counted,
    # the cases' files were 64 of 74 and the truck factor 5: one contributor after another)
    assert report["files"] == 10
    assert report["truck_factor"] == 1
    assert report["truck_factor_people"] == ["Rich"]


def test_the_vendored_attribute_decides_test_data_either_way(tmp_path):
    repo = build_repo(tmp_path / "r")
    repo.commit({".gitattributes": "test/fixtures/** -linguist-vendored\n"}, message="attributes", author=BOB)
    files = {n.key: n for n in ingest_repository(repo.root, cache_dir=tmp_path / "cache").graph.of_label(Label.FILE)}
    assert files["test/fixtures/entry-0.js"].get("linguist_counted") is True
    assert files["src/node/__tests__/fixtures/dep-0/index.js"].get("linguist_reason") == "test data"


def test_a_typescript_declaration_file_of_the_projects_own_tree_is_counted(tmp_path):
    """eslint's ``lib/types/*.d.ts`` (7.2k lines written and kept by its maintainers) went as vendored, by Linguist's
    ``*.d.ts``, and its ``types`` component had no truck factor; a generated one says so (webpack's "DO NOT MODIFY BY
    HAND") and is skipped, one under ``node_modules/`` or ``dist/`` is another's or a build's."""
    repo = GitRepo(tmp_path / "r")
    repo.commit({"lib/linter.js": "export const lint = () => [];\n",
                 "lib/types/index.d.ts": "export interface Linter { verify(code: string): string[] }\n",
                 "declarations/Options.d.ts": "/*\n * This file was automatically generated.\n"
                                              " * DO NOT MODIFY BY HAND.\n */\nexport type Options = {};\n",
                 "dist/index.d.ts": "export {};\n"}, message="types", author=RICH)
    result = ingest_repository(repo.root, cache_dir=tmp_path / "cache")
    files = {n.key: n for n in result.graph.of_label(Label.FILE)}
    assert files["lib/types/index.d.ts"].get("linguist_counted") is True
    assert not any(p in files and files[p].get("linguist_counted") for p in ("declarations/Options.d.ts", "dist/index.d.ts"))
    assert bus_factor(result.graph)["repository"]["files"] == 2


def test_a_syntax_error_in_test_data_is_no_syntax_error_of_the_code(tmp_path):
    """eslint's ingest reported "8 files with syntax errors": fixtures its tests feed the linter, broken on purpose
    (``tests/fixtures/cli/syntax-error.js``). An error in the code is still said."""
    repo = GitRepo(tmp_path / "r")
    repo.commit({"lib/linter.js": "export const lint = (;\n", "tests/lib/linter.js": "lint(;\n",
                 "tests/fixtures/cli/syntax-error.js": "var foo = (;\n",
                 "tests/fixtures/broken/conf.js": "module.exports = {\n"}, message="linter", author=RICH)
    summary = ingest_repository(repo.root, cache_dir=tmp_path / "cache").summary
    assert summary.syntax_errors == 2
    note = next(n for n in summary.notes if "syntax errors" in n)
    assert "fixtures" not in note and "lib/linter.js" in note and "tests/lib/linter.js" in note
