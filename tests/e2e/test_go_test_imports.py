"""A Go package's tests' own imports make no component dependency (``graph.testcode.test_only``).

Go compiles a package's ``_test.go`` files (an external ``package x_test`` among them) only to test it; they may
import what imports the package. ibc-go's packages all "depended" on its testing package and it on them: the
components table, the map's cycles and the PR check's new dependencies said so of code Go itself forbids to cycle.
The import stays an IMPORTS edge (the boundary rules judge every import); only the component level leaves it out.
The same holds of a Java or Kotlin test class, a Rust crate's tests, benches and examples and a Python test module
in a component that also holds code
(``graph.testcode.tests_beside_code``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fixtures.cli import cairn_process as cairn
from fixtures.gitrepo import GitRepo

CAIRN = str(Path(sys.executable).parent / "cairn")
ADA = ("Ada Lovelace", "ada@example.com")
CONFIG = '[components]\ncore = ["core/**"]\nharness = ["harness/**"]\napps = ["apps/**"]\n'


def go(package: str, *imports: str) -> str:
    body = "".join(f'import _ "example.com/m/{i}"\n' for i in imports)
    return f"package {package}\n\n{body}\nfunc F() {{}}\n"




def pr_findings(repo: GitRepo, store: Path) -> list[dict]:
    """The findings of the PR check from main to HEAD."""
    return json.loads(cairn("pr-check", "--repo", str(repo.root), "--store", str(store), "--base", "main", "--head", "HEAD",
                            "--format", "json").stdout)["findings"]


def no_new_dependency(findings: list[dict]) -> bool:
    return not [f for f in findings if f["kind"] in ("new_dependency", "cycle")]


def pr_after_test_then_code(repo: GitRepo, store: Path, branch: list[str], tests: dict[str, str],
                                 code: dict[str, str]) -> list[dict]:
    """On a new branch (``git checkout -b`` with ``branch``), commit ``tests`` and check the PR adds no component
    dependency nor cycle; then commit ``code`` and return the PR check's findings."""
    repo.git("checkout", "-q", "-b", *branch)
    repo.commit(tests, author=ADA)
    findings = pr_findings(repo, store)
    assert no_new_dependency(findings), findings
    repo.commit(code, author=ADA)
    return pr_findings(repo, store)


def dependencies(store: Path) -> dict[str, set[str]]:
    report = json.loads(cairn("components", "--store", str(store), "--format", "json").stdout)
    return {c["name"]: set(c["depends_on"]) for c in report["components"]}


def test_a_packages_tests_imports_are_no_dependency_of_its_component(tmp_path):
    repo = GitRepo(tmp_path / "m")
    repo.commit({"go.mod": "module example.com/m\n\ngo 1.22\n", "cairn.toml": CONFIG,
                 "core/core.go": go("core"),
                 # the test harness builds on core (as ibc-go's testing package does) ...
                 "harness/harness.go": go("harness", "core"),
                 # ... and core's own tests use it: a cycle at the component level Go does not have
                 "core/core_test.go": go("core_test", "harness"),
                 "apps/app.go": go("apps", "core"), "apps/app_test.go": go("apps_test", "harness")}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"core": set(), "harness": {"core"}, "apps": {"core"}}
    # the import is still there for the rules and the module graph
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert any(e["source"].endswith("/core") and e["target"].endswith("/harness") for e in edges)

    # a PR whose only new import is in a test file adds no component dependency (nor a cycle)
    # ... one in the package's code does
    findings = pr_after_test_then_code(repo, store, ["tests"], {"apps/more_test.go": go("apps_test", "harness", "core")},
                                       {"apps/wire.go": go("apps", "harness")})
    assert [f["rule"] for f in findings if f["kind"] == "new_dependency"] == ["cairn/new-component-dependency"]


JAVA_CONFIG = ('[components]\ncore = ["src/main/java/com/acme/core/**", "src/test/java/com/acme/core/**"]\n'
               'testing = ["src/test/java/com/acme/testing/**"]\napps = ["src/main/java/com/acme/apps/**", '
               '"src/test/java/com/acme/apps/**"]\n')


def java(package: str, name: str, *imports: str) -> str:
    body = "".join(f"import com.acme.{i};\n" for i in imports)
    return f"package com.acme.{package};\n\n{body}\npublic class {name} {{}}\n"


def test_a_java_components_test_classes_imports_are_no_dependency_of_it(tmp_path):
    """A Java module is one class: gson's test classes of com.google.gson made ``gson`` "depend on" their helper
    package ``common``. A test class in a component that also holds other classes imports for its tests; a component
    of test classes alone (the helpers) keeps its dependencies."""
    repo = GitRepo(tmp_path / "j")
    repo.commit({"cairn.toml": JAVA_CONFIG,
                 "src/main/java/com/acme/core/Core.java": java("core", "Core"),
                 "src/test/java/com/acme/testing/Fixtures.java": java("testing", "Fixtures", "core.Core"),
                 "src/test/java/com/acme/core/CoreTest.java": java("core", "CoreTest", "testing.Fixtures"),
                 "src/main/java/com/acme/apps/App.java": java("apps", "App", "core.Core"),
                 "src/test/java/com/acme/apps/AppTest.java": java("apps", "AppTest", "testing.Fixtures")}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"core": set(), "testing": {"core"}, "apps": {"core"}}
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert any(e["source"].endswith("CoreTest") and e["target"].endswith("Fixtures") for e in edges)

    # a PR whose only new import is in a test class adds no component dependency; one in a main class does
    findings = pr_after_test_then_code(repo, store, ["tests"],
                                       {"src/test/java/com/acme/apps/MoreTest.java": java("apps", "MoreTest", "testing.Fixtures")},
                                       {"src/main/java/com/acme/apps/Wire.java": java("apps", "Wire", "testing.Fixtures")})
    assert [f["rule"] for f in findings if f["kind"] == "new_dependency"] == ["cairn/new-component-dependency"]
    # the same classes, a test class importing another component (the PR patch's count, not a recount)
    findings = pr_after_test_then_code(repo, store, ["patched", "main"],
                                       {"src/test/java/com/acme/core/CoreTest.java": java("core", "CoreTest", "testing.Fixtures", "apps.App")},
                                       {"src/main/java/com/acme/core/Core.java": java("core", "Core", "apps.App")})
    assert {f["kind"] for f in findings} >= {"new_dependency", "cycle"}


KOTLIN_CONFIG = ('[components]\ncore = ["core/**"]\ntesting = ["testing/**"]\napps = ["apps/**"]\n')


def kotlin(package: str, *imports: str) -> str:
    body = "".join(f"import com.acme.{i}\n" for i in imports)
    return f"package com.acme.{package}\n\n{body}\nfun f() = 1\n"


def test_kotlin_and_java_classes_make_component_dependencies_and_kotlin_tests_do_not(tmp_path):
    """okhttp's layout: Gradle modules of Kotlin beside Java, tests in ``src/jvmTest/kotlin/`` and ``src/test/…``.
    A Kotlin class importing a Java one (and back) is a component dependency; a Kotlin test class's import in a
    component that also holds code is its tests'."""
    repo = GitRepo(tmp_path / "k")
    repo.commit({"cairn.toml": KOTLIN_CONFIG,
                 "core/src/main/java/com/acme/core/Core.java": java("core", "Core"),
                 "core/src/main/kotlin/com/acme/core/Calls.kt": kotlin("core", "core.Core"),
                 "testing/src/main/kotlin/com/acme/testing/Fixtures.kt": kotlin("testing", "core.Calls"),
                 "core/src/jvmTest/kotlin/com/acme/core/Recording.kt": kotlin("core", "testing.Fixtures"),
                 "core/src/test/kotlin/com/acme/core/CoreTest.kt": kotlin("core", "testing.Fixtures"),
                 "apps/src/main/kotlin/com/acme/apps/App.kt": kotlin("apps", "core.Core"),
                 "apps/src/main/java/com/acme/apps/Legacy.java": java("apps", "Legacy", "core.Calls")}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"core": set(), "testing": {"core"}, "apps": {"core"}}
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert {(e["source"], e["target"]) for e in edges if not e["target"].startswith("external:")} >= {
        ("com.acme.core.Calls", "com.acme.core.Core"), ("com.acme.apps.Legacy", "com.acme.core.Calls"),
        ("com.acme.core.CoreTest", "com.acme.testing.Fixtures")}

    # a PR whose only new import is in a Kotlin test class adds no component dependency; one in a Kotlin class does
    findings = pr_after_test_then_code(repo, store, ["tests"],
                                       {"apps/src/test/kotlin/com/acme/apps/AppTest.kt": kotlin("apps", "testing.Fixtures")},
                                       {"core/src/main/kotlin/com/acme/core/Wire.kt": kotlin("core", "apps.App")})
    assert {f["kind"] for f in findings} >= {"new_dependency", "cycle"}


PYTHON_CONFIG = '[components]\ncore = ["shop/core/**"]\ndatasets = ["shop/datasets/**"]\napps = ["shop/apps/**"]\ntests = ["tests/**"]\n'


def python(*imports: str) -> str:
    return "".join(f"import shop.{i}\n" for i in imports) + "\n\ndef f():\n    return 1\n"


def test_a_python_components_test_modules_imports_are_no_dependency_of_it(tmp_path):
    """scikit-learn keeps its tests inside its packages (``sklearn/linear_model/tests/test_*.py``): ``linear_model``
    "depended on" ``datasets``, which only its tests load. A Python test module (a ``tests/`` directory, pytest's
    file names) in a component that also holds other modules imports for its tests; a component of tests alone (a
    top-level ``tests/``) keeps its dependencies."""
    repo = GitRepo(tmp_path / "p")
    repo.commit({"cairn.toml": PYTHON_CONFIG, "shop/__init__.py": "",
                 "shop/core/__init__.py": "", "shop/core/model.py": python(),
                 "shop/core/tests/__init__.py": "", "shop/core/tests/test_model.py": python("core.model", "datasets.load"),
                 "shop/datasets/__init__.py": "", "shop/datasets/load.py": python("core.model"),
                 "shop/apps/__init__.py": "", "shop/apps/app.py": python("core.model"),
                 "shop/core/conftest.py": python("datasets.load"),
                 "tests/__init__.py": "", "tests/test_shop.py": python("apps.app", "datasets.load")}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"core": set(), "datasets": {"core"}, "apps": {"core"}, "tests": {"apps", "datasets"}}
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert any(e["source"].endswith("tests.test_model") and e["target"].endswith("datasets.load") for e in edges)

    # a PR whose only new import is in a test module adds no component dependency; one in a module of code does
    findings = pr_after_test_then_code(repo, store, ["tests"],
                                       {"shop/apps/test_more.py": python("datasets.load")},
                                       {"shop/apps/wire.py": python("datasets.load")})
    assert [f["rule"] for f in findings if f["kind"] == "new_dependency"] == ["cairn/new-component-dependency"]
    # the same modules, a test module importing another component (the PR patch's count, not a recount)
    findings = pr_after_test_then_code(repo, store, ["patched", "main"],
                                       {"shop/core/tests/test_model.py": python("core.model", "datasets.load", "apps.app")},
                                       {"shop/core/model.py": python("apps.app")})
    assert {f["kind"] for f in findings} >= {"new_dependency", "cycle"}


def test_a_python_packages_shipped_testing_framework_is_code(tmp_path):
    """Django's ``django/test/`` (and a singular ``test/`` generally) is as often a shipped testing framework as
    tests: its imports stay its component's dependencies, as ``tests.py`` modules' do (``django/contrib/admin/tests.py``
    is a shipped test case); the ingest after a commit that adds a test module counts as the cold one."""
    repo = GitRepo(tmp_path / "f")
    repo.commit({"cairn.toml": '[components]\nweb = ["web/**"]\nadmin = ["admin/**"]\ndb = ["db/**"]\n',
                 "web/__init__.py": "", "web/views.py": "", "web/test/__init__.py": "",
                 "web/test/client.py": "import db.models\n", "admin/__init__.py": "", "admin/views.py": "",
                 "admin/tests.py": "import db.models\n", "db/__init__.py": "", "db/models.py": ""}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"web": {"db"}, "admin": {"db"}, "db": set()}
    repo.commit({"web/test/client.py": "", "admin/tests.py": "", "admin/test_views.py": "import db.models\n"},
                author=ADA)
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"web": set(), "admin": set(), "db": set()}


def test_a_test_directorys_modules_named_as_unittest_discovers_are_tests(tmp_path):
    """mypy names its tests ``test*.py`` in ``mypy/test/`` (``testcheck.py``, ``testmypyc.py``), as unittest discovers
    them and its ``pyproject.toml`` has pytest collect them: ``testmypyc.py``'s ``import mypyc`` made ``mypy`` "depend
    on" ``mypyc`` (a cycle, and ``cairn path mypy mypyc``). The test directory's other modules stay code
    (``helpers.py``), as Django's shipped ``django/test/client.py`` does."""
    repo = GitRepo(tmp_path / "mypy")
    repo.commit({"cairn.toml": '[components]\nmypy = ["mypy/**"]\nmypyc = ["mypyc/**"]\n',
                 "mypy/__init__.py": "", "mypy/build.py": "", "mypy/test/__init__.py": "",
                 "mypy/test/helpers.py": "import mypy.build\n",
                 "mypy/test/testmypyc.py": "import mypyc\nimport mypy.test.helpers\n",
                 "mypyc/__init__.py": "", "mypyc/build.py": "import mypy.build\n"}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"mypy": set(), "mypyc": {"mypy"}}
    repo.commit({"mypy/test/helpers.py": "import mypy.build\nimport mypyc.build\n"}, author=ADA)
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"mypy": {"mypyc"}, "mypyc": {"mypy"}}


def ts(*imports: str) -> str:
    return "".join(f'import {{ x{n} }} from "{i}";\n' for n, i in enumerate(imports)) + "\nexport const f = () => 1;\n"


def test_a_javascript_components_tests_imports_are_no_dependency_of_it(tmp_path):
    """excalidraw keeps each package's tests beside its code (``packages/element/tests/*.test.tsx``): ``element``
    "depended on" ``actions``, ``renderer`` and the editor's test helpers, which only its tests load. A JavaScript or
    TypeScript test module (``*.test.ts``, ``*.spec.js``, ``__tests__/``, ``tests/``) in a component that also holds
    other modules imports for its tests; a component of tests alone keeps its dependencies."""
    repo = GitRepo(tmp_path / "js")
    repo.commit({"package.json": '{"name": "shop"}\n',
                 "cairn.toml": '[components]\nelement = ["element/**"]\nactions = ["actions/**"]\n'
                               'helpers = ["helpers/**"]\ne2e = ["e2e/**"]\n',
                 "element/shape.ts": ts(), "element/shape.test.ts": ts("../element/shape", "../helpers/render"),
                 "element/__tests__/draw.spec.js": ts("../../actions/act"),
                 "actions/act.ts": ts("../element/shape"),
                 "helpers/render.ts": ts("../actions/act"),
                 "e2e/flow.test.ts": ts("../actions/act", "../helpers/render")}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"element": set(), "actions": {"element"}, "helpers": {"actions"},
                                   "e2e": {"actions", "helpers"}}
    # a PR whose only new import is in a test module adds no component dependency; one in a module of code does
    findings = pr_after_test_then_code(repo, store, ["tests"],
                                       {"element/more.test.ts": ts("../helpers/render")},
                                       {"element/wire.ts": ts("../actions/act")})
    assert {f["kind"] for f in findings} >= {"new_dependency", "cycle"}


def rust(*uses: str) -> str:
    return "".join(f"use {u};\n" for u in uses) + "pub fn f() {}\n"


def cargo(name: str, *dependencies: str) -> str:
    listed = "".join(f'{d} = {{ path = "../{d}" }}\n' for d in dependencies)
    return f'[package]\nname = "{name}"\nedition = "2021"\n\n[dependencies]\n{listed}'


def test_a_cargo_workspaces_crates_are_components_and_their_tests_imports_no_dependency(tmp_path):
    """ripgrep's layout: a Cargo workspace of ``crates/<name>/``, each crate a component named by its folder. A
    crate's ``tests/``, ``benches/`` and ``examples/`` exercise it through other crates (a testing crate that depends
    on it): their imports make no component dependency, as a Java test class's do not."""
    repo = GitRepo(tmp_path / "rs")
    repo.commit({"Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
                 "crates/kernel/Cargo.toml": cargo("kernel") + '\n[dev-dependencies]\ntesting = { path = "../testing" }\n',
                 "crates/kernel/src/lib.rs": "pub mod engine;\n" + rust("engine::run"),
                 "crates/kernel/src/engine.rs": rust("std::io"),
                 "crates/kernel/tests/engine.rs": rust("kernel::engine::run", "testing::fixture"),
                 "crates/kernel/benches/speed.rs": rust("testing::fixture"),
                 "crates/kernel/examples/demo.rs": rust("testing::fixture"),
                 "crates/testing/Cargo.toml": cargo("testing", "kernel"),
                 "crates/testing/src/lib.rs": "pub mod fixture;\n",
                 "crates/testing/src/fixture.rs": rust("kernel::engine"),
                 "crates/app/Cargo.toml": cargo("app", "kernel"),
                 "crates/app/src/main.rs": rust("kernel::engine::run")}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    assert dependencies(store) == {"kernel": set(), "testing": {"kernel"}, "app": {"kernel"}}
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert {(e["source"], e["target"]) for e in edges} >= {
        ("crates/app/src/main.rs", "crates/kernel/src/engine.rs"),
        ("crates/kernel/tests/engine.rs", "crates/testing/src/fixture.rs"),
        ("crates/kernel/src/engine.rs", "external:std")}

    # a PR whose only new import is in a crate's tests adds no component dependency; one in its code does
    findings = pr_after_test_then_code(repo, store, ["tests"],
                                       {"crates/kernel/tests/more.rs": rust("testing::fixture", "app")},
                                       {"crates/kernel/src/wire.rs": rust("testing::fixture"),
                                        "crates/kernel/src/lib.rs": "pub mod engine;\nmod wire;\n" + rust("engine::run")})
    assert {f["kind"] for f in findings} >= {"new_dependency", "cycle"}


def test_the_deps_table_says_the_go_module_path_once(tmp_path):
    """At 80 columns openfga's ``github.com/openfga/openfga/cmd/migrate`` → ``…/pkg/server/config`` folded each name
    over two lines: the table names the packages below the module path its title gives."""
    repo = GitRepo(tmp_path / "shop")
    module = "github.com/acme/shop"
    repo.commit({"go.mod": f"module {module}\n\ngo 1.22\n", "main.go": f'package main\n\nimport _ "{module}/pkg/core"\n',
                 "pkg/core/core.go": "package core\n",
                 "cmd/tool/tool.go": f'package main\n\nimport (\n\t_ "{module}/pkg/core"\n\t_ "fmt"\n)\n'}, author=ADA)
    store = tmp_path / "store"
    cairn("ingest", str(repo.root), "--store", str(store))
    shown = subprocess.run([CAIRN, "deps", "--store", str(store)], capture_output=True, text=True,
                           env={**__import__("os").environ, "COLUMNS": "80"}).stdout
    assert f"2 imports between its modules (below {module}/)" in " ".join(shown.split()), shown
    rows = [[cell.strip() for cell in line.split("│")[1:3]] for line in shown.splitlines() if line.startswith("│")]
    assert [module, "pkg/core"] in rows and ["cmd/tool", "pkg/core"] in rows and ["cmd/tool", "fmt"] in rows, shown
