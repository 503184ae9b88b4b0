"""Which paths are test code, and the co-change findings a changed test does not raise."""

import pytest

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.testcode import is_test_file
from cairn.queries.cochange import cochange_findings


@pytest.mark.parametrize("path", [
    "tests/unit/test_x.py", "pkg/test_x.py", "pkg/x_test.py", "conftest.py", "pkg/conftest.py",
    "tsdb/db_test.go", "src/app.test.js", "src/app.spec.ts", "web/Button.test.tsx", "lib/x.spec.mjs",
    "src/test/java/org/x/Foo.java", "src/main/java/org/x/FooTest.java", "x/FooTests.java", "x/FooIT.java",
    "web/__tests__/app.js", "spec/models/user_spec.rb", "tsdb/testdata/series.json", "e2e/login.ts",
    "util/testutil/assert.go", "x/FooTest.kt", "okhttp/src/jvmTest/kotlin/okhttp3/RecordingEventListener.kt",
    "src/commonTest/kotlin/x/Helpers.kt", "crates/ignore/tests/gitignore_matched_path_or_any_parents_tests.rs",
    "crates/globset/benches/bench.rs", "crates/grep/examples/simplegrep.rs", "examples/axum-demo/src/main.rs",
    "tokio-stream/fuzz/fuzz_targets/fuzz_stream_map.rs",
    "setupTests.ts", "web/ui/react-app/src/setupTests.ts", "packages/react-query/test-setup.ts", "ui/jest.setup.js",
    "vitest.setup.mts", "x/jest-setup.js", "x/setup-tests.tsx", "x/jest.setup.after-env.js",
    "test-data/unit/lib-stub/builtins.pyi", "mypyc/test-data/fixtures/ir.py",  # mypy's test data, as Go's testdata/
    # a Java file in a test source set: jackson-databind's test-jdk17 helpers, mockito's testFixtures
    "src/test-jdk17/java/tools/jackson/databind/records/Helper.java", "mockito-core/src/testFixtures/java/x/Util.java",
    "src/integrationTest/java/x/Setup.java", "src/it/java/x/Setup.java", "src/androidTest/java/x/Helper.java",
    # Node's test runner's names: react-router's Playwright tests
    "integration/action-test.ts", "integration/vite-css-test.tsx", "lib/parse_test.mjs",
])
def test_test_code_by_directory_or_runner_naming(path):
    assert is_test_file(path)


@pytest.mark.parametrize("path", [
    "pkg/testing.py", "pkg/contest.py", "tsdb/db.go", "src/app.js", "src/latest.js", "src/attest.ts",
    "src/main/java/org/x/Testable.java", "x/Contest.java", "testing/helpers.go", "docs/testing.md",
    "pkg/tests.py", "x/test.go", "src/jvmMain/kotlin/x/Contest.kt",
    "src/testing/java/x/Helper.java", "src/latest/java/x/Helper.java", "src/commonMain/kotlin/x/Helper.kt",
    "src/benches.rs", "crates/cli/src/examples.rs", "docs/examples/demo.py", "benches/run.go",  # (Cargo's folders only)
    "src/setup.ts", "src/testSetupWizard.ts", "src/setupTestsRunner.go", "src/jest.setup.py",
    "ab-testing/config/scripts/build/test-group-mvt-manager.ts", "src/ab-test-utils.ts", "src/latest-test.py",
])
def test_source_named_like_tests_is_not_test_code(path):
    assert not is_test_file(path)


def coupled_graph() -> RepoGraph:
    g = RepoGraph("shop")
    for path in ("shop/db.go", "shop/db_test.go", "shop/head_test.go", "shop/head.go"):
        g.add_node(Label.FILE, path, component="shop")
    for a, b in (("shop/db.go", "shop/db_test.go"), ("shop/db_test.go", "shop/head_test.go"), ("shop/db_test.go", "shop/head.go")):
        g.add_edge(Rel.CO_CHANGES, g.node(Label.FILE, a), g.node(Label.FILE, b), degree=60.0, shared=6, revs_a=10, revs_b=10)
    return g


def test_a_changed_test_raises_no_co_change_finding_but_an_untouched_test_is_named():
    graph = coupled_graph()
    assert cochange_findings(graph, ["shop/db_test.go"], agent=True) == []
    (finding,) = cochange_findings(graph, ["shop/db.go"], agent=False)
    assert (finding.source, finding.target) == ("shop/db.go", "shop/db_test.go")
    # one Go package: its files use each other with no import (Loki's findings said "no import connects them")
    assert "import" not in finding.message


def test_an_import_is_its_tests_alone_only_in_a_module_that_also_holds_other_code():
    from cairn.graph.testcode import import_files, mixes_tests, test_only

    assert mixes_tests(["core/core.go", "core/core_test.go"])  # a Go package with its tests
    assert not mixes_tests(["core/core_test.go", "core/other_test.go"])  # tests alone: a module like any
    assert not mixes_tests(["tests/test_app.py"]) and not mixes_tests(["core/core.go", "core/more.go"])
    assert test_only(["core/core_test.go"]) and test_only(["core/a_test.go", "core/b_test.go", None])
    assert not test_only(["core/core_test.go", "core/core.go"]) and not test_only([]) and not test_only([None])
    assert import_files({"file": "core/a.go", "files": {"core/a.go": [3], "core/a_test.go": [5]}}) == ["core/a.go", "core/a_test.go"]
    assert import_files({"file": "core/a_test.go"}) == ["core/a_test.go"] and import_files({}) == []


@pytest.mark.parametrize("path, test", [
    ("sklearn/linear_model/tests/test_ridge.py", True), ("sklearn/linear_model/tests/__init__.py", True),
    ("pkg/test_x.py", True), ("pkg/x_test.py", True), ("pkg/conftest.py", True),
    # a test/ directory's modules named as unittest discovers them and mypy has pytest collect them (test*.py)
    ("mypy/test/testmypyc.py", True), ("mypyc/test/testutil.py", True), ("mypy/test/helpers.py", False),
    ("pkg/testclient.py", False),  # (starlette's and fastapi's shipped testclient.py: in no test directory)
    # a shipped testing framework or test project (Django's django.test), and Django's admin/tests.py test case
    ("django/test/client.py", False), ("wagtail/test/settings.py", False), ("django/contrib/admin/tests.py", False),
    # a testing/ directory holds tests and their support together: no product code beside them
    ("testing/test_assertion.py", False), ("lib/sqlalchemy/testing/suite/test_types.py", False),
    ("sklearn/utils/_testing.py", False), ("e2e/test_x.js", False),
])
def test_a_python_test_beside_code_is_in_a_tests_directory_or_named_as_pytest_collects(path, test):
    from cairn.graph.testcode import is_python_test

    assert is_python_test(path) is test
    assert not test or is_test_file(path)  # never outside the test files


def test_a_python_test_modules_imports_are_its_tests_only_beside_its_components_code():
    from cairn.graph.testcode import tests_beside_code

    modules = [("lm", "python", "linear_model", ["sklearn/linear_model/_ridge.py"]),
               ("lm.t", "python", "linear_model", ["sklearn/linear_model/tests/test_ridge.py"]),
               ("top", "python", "tests", ["tests/test_app.py"]), ("top.h", "python", "tests", ["tests/helpers.py"]),
               ("ns", "python", "tests", []),  # a namespace package is no code
               ("fw", "python", "fw", ["web/test/client.py"]), ("fw.t", "python", "fw", ["web/test/test_client.py"]),
               ("js", "javascript", "tests", ["tests/app.js"])]
    # (a singular test/ directory's modules are test files, so no code beside web/test/test_client.py)
    assert tests_beside_code(modules) == {"lm.t"}
    assert tests_beside_code(modules + [("c", "python", "fw", ["web/views.py"])]) == {"lm.t", "fw.t"}


def test_a_kotlin_test_classs_imports_are_its_tests_beside_java_or_kotlin_code():
    from cairn.graph.testcode import tests_beside_code

    modules = [("j", "java", "core", ["core/src/main/java/x/Core.java"]),
               ("kt", "kotlin", "core", ["core/src/jvmTest/kotlin/x/Recording.kt"]),
               ("h", "kotlin", "testing", ["testing/src/test/kotlin/x/Helper.kt"])]
    assert tests_beside_code(modules) == {"kt"}


def test_python_modules_are_looked_at_only_in_a_repository_with_a_path_like_a_tests():
    from cairn.graph.testcode import is_python_test, test_languages

    assert "python" not in test_languages(["shop/core/model.py", "shop/apps/app.py"]) and "java" in test_languages([])
    assert "python" in test_languages(["shop/core/model.py", "shop/core/tests/test_model.py"])
    # (the screen never hides a Python test: each has "test" in its path)
    assert all("test" in p for p in ("a/tests/x.py", "a/test_x.py", "a/x_test.py", "a/conftest.py") if is_python_test(p))


def test_a_folder_holds_tests_by_its_files_when_most_of_them_are_named_as_tests():
    from cairn.graph.testcode import is_test_directory, test_folders

    # celery's t/: its unit tests, their helpers, a smoke suite's workers (not "tests" by its name)
    suite = [f"t/unit/{part}/test_{i}.py" for part in ("app", "worker") for i in range(5)] + ["t/unit/conftest.py"]
    suite += ["t/unit/__init__.py", "t/integration/tasks.py", "t/smoke/workers/dev.py", "t/smoke/tests/test_x.py"]
    code = [f"celery/{part}/m{i}.py" for part in ("app", "worker") for i in range(8)]
    assert test_folders(suite + code) == {"t"}  # (the highest such folder; t/smoke/tests/ is tests by its name)
    assert is_test_directory(["t", "smoke", "workers"], test_folders(suite + code))
    assert not is_test_directory(["t", "smoke", "workers"]) and not is_test_directory(["celery"], {"t"})
    # fewer than ten tests, or no more than half of the folder's files, say nothing
    assert test_folders(suite[:9] + ["t/a.py"]) == frozenset()
    assert test_folders(suite + [f"t/helpers/h{i}.py" for i in range(11)]) == {"t/unit"}
    assert test_folders(suite + [f"t/unit/helpers/h{i}.py" for i in range(11)]) == frozenset()
    # a Go package of more tests than code is code: its tests sit in it by the language's rule
    assert test_folders([f"service/history/h{i}_test.go" for i in range(12)] + ["service/history/h.go"]) == frozenset()
    # nor do colocated tests in a folder that also holds the code they test make it tests (hono's src/middleware/*)
    assert test_folders([f"src/m{i}.ts" for i in range(10)] + [f"src/m{i}.test.ts" for i in range(10)]) == frozenset()


@pytest.mark.parametrize("path", [
    "packages/server/tsdown.config.ts", "excalidraw-app/vite.config.mts", "vitest.config.ts", "jest.config.cjs",
    "playwright.config.ts", "webpack/webpack.config.dev-server.js", "jest/jest.config.shared.js", "tsdown.config.rsc.ts", "rollup.dts.config.js",
    "playground/lib/vite.terser.config.js", "eslint.config.mjs", ".eslintrc.js", "prettier.config.js",
    ".prettierrc.cjs", "postcss.config.cjs", "tailwind.config.ts", "next.config.js", "karma.conf.js",
    "gulpfile.js", "Gruntfile.js", "gatsby-config.ts", "build.config.ts",
    "setup.py", "pkg/noxfile.py", "hatch_build.py", "build.rs", "crates/uv/build.rs", "lib/vector-core/build.rs",
])
def test_build_configuration_by_its_tools_file_name(path):
    from cairn.graph.buildconfig import is_build_config

    assert is_build_config(path)


@pytest.mark.parametrize("path", [
    "src/config.ts", "src/app/app.config.ts", "packages/vite/src/node/config.ts", "my.config.ts",
    "docs/.vitepress/config.ts", "vite.config.json", "scripts/entrypoints.ts", "src/setup.ts",
    "celery/worker/consumer/tasks.py", "docs/conf.py", "wagtail/api/conf.py", "pkg/setup_utils.py",
    "src/pip/_internal/exceptions/build.py",
    "crates/uv-pypi-types/src/build.rs", "vdev/src/commands/integration/build.rs",  # (a crate's modules)
])
def test_code_named_like_a_configuration_is_no_build_configuration(path):
    from cairn.graph.buildconfig import is_build_config

    assert not is_build_config(path)


def test_a_build_configurations_imports_are_left_out_beside_its_components_code():
    from cairn.graph.testcode import test_languages, test_only, tests_beside_code

    modules = [("srv", "typescript", "server", ["packages/server/src/index.ts"]),
               ("srv.cfg", "typescript", "server", ["packages/server/tsdown.config.ts"]),
               ("srv.lint", "javascript", "server", ["packages/server/eslint.config.mjs"]),
               ("shared", "javascript", "config", ["packages/config/vitest.config.ts"]),  # configurations alone
               ("py", "python", "shop", ["shop/models.py"]), ("py.setup", "python", "shop", ["shop/setup.py"]),
               ("rs", "rust", "uv", ["crates/uv/src/lib.rs"]), ("rs.build", "rust", "uv", ["crates/uv/build.rs"])]
    assert tests_beside_code(modules) == {"srv.cfg", "srv.lint", "py.setup", "rs.build"}
    assert test_only(["packages/server/tsdown.config.ts"]) and test_only(["setup.py", "tests/test_x.py"])
    assert not test_only(["packages/server/tsdown.config.ts", "packages/server/src/index.ts"])
    # (Python modules are looked at in a repository with a setup.py, even with no test)
    assert "python" in test_languages(["shop/models.py", "shop/setup.py"])


def test_a_partner_of_the_changed_files_own_name_is_named_by_its_path():
    """tauri's 8c6d1e8e6 changed a lib.rs and read "…; lib.rs is untouched" of another crate's lib.rs."""
    g = RepoGraph("shop")
    for path in ("crates/a/src/lib.rs", "crates/b/src/lib.rs", "crates/a/src/util.rs"):
        g.add_node(Label.FILE, path, component=path.split("/")[1])
    for other in ("crates/b/src/lib.rs", "crates/a/src/util.rs"):
        g.add_edge(Rel.CO_CHANGES, g.node(Label.FILE, "crates/a/src/lib.rs"), g.node(Label.FILE, other), degree=60.0,
                   shared=6, revs_a=10, revs_b=10)
    messages = sorted(f.message for f in cochange_findings(g, ["crates/a/src/lib.rs"], agent=False))
    assert any("; crates/b/src/lib.rs is untouched" in m for m in messages)
    assert any("; util.rs is untouched" in m for m in messages)
