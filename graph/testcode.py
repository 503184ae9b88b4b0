"""Which repository files are tests, by the conventions of the languages Cairn reads.

A path is test code when a directory on it is one test runners and build
tools use for tests (``tests/``, ``test/``, ``__tests__/``, ``spec/``,
``testdata/`` and ``test-data/``, Go's ``testutil/``, Maven's ``src/test/``, …) or when its file name follows a test
runner's naming: pytest's ``test_*.py`` / ``*_test.py`` / ``conftest.py``,
Go's ``*_test.go``, Jest's and Mocha's ``*.test.js`` / ``*.spec.ts`` (any
JavaScript or TypeScript extension), Node's test runner's ``*-test.js`` and ``*_test.js`` (react-router's 87
Playwright tests in ``integration/``, ``action-test.ts`` …; not its ``test-*.js``: the Guardian's
``ab-testing/…/test-group-mvt-manager.ts`` is an A/B-test tool) and the set-up files Jest and Vitest run before the tests (``setupTests.ts``,
``test-setup.ts``, ``jest.setup.js``, ``vitest.setup.ts``: TanStack Query's 17 packages), JUnit's ``*Test.java`` / ``*Tests.java``
/ ``*IT.java`` (and ``*Test.kt`` … in Kotlin, and any Kotlin file of a Gradle test source set such as
``src/jvmTest/``; not a Java one, whose classification predates Kotlin's), and a Rust file of a Cargo package's
``benches/`` or ``examples/`` or of cargo-fuzz's ``fuzz_targets/`` (its ``tests/`` are tests by the folder's name). Judged from the path alone: no file is
opened.

A folder of another name holds tests by its files (``test_folders``) when most of the files below it (Go's left out: a
package's tests sit in it), ten or more, are named as tests (celery's ``t/``, pytest's ``testing/``): the layout's
components leave such a folder out of "the code" as they do a ``tests/`` (``is_test_directory``). A path's own
classification (``is_test_file``) stays by its name and its folders' names: ``t/integration/tasks.py`` is not a test
file.

An import is its tests' alone (``test_only``) when it is made only in test
files of a module that also holds other code (``mixes_tests``: a Go package), or
by a Java or Kotlin test class in a component that also holds other classes of its language (a
Java module is one class, a Kotlin module one file), or by a Rust test, bench or example file (a Rust module is one
file) in a component that also holds a crate's code, or by a Python test module in a component that also holds
Python modules that are not tests (scikit-learn's ``sklearn/linear_model/tests/``), or by a JavaScript or
TypeScript test module in a component that also holds other such modules (excalidraw's
``packages/element/tests/*.test.tsx``): the component dependencies leave it out (``tests_beside_code``).

A build or test tool's configuration (``graph.buildconfig``: ``tsdown.config.ts``, ``setup.py``, a crate's
``build.rs`` …) counts as a test for that rule (``is_test_or_build_config``): its imports say how the package is
built, not what its code needs (trpc's packages "depended on" ``scripts`` through their ``tsdown.config.ts``). It is
no test anywhere else (``is_test_file``: hotspots, reviewers and co-change still see it as the file it is).

So is a scaffolding template (``graph.templates``: tauri-cli's ``templates/plugin/``, create-vite's
``template-react/``), files a generator copies into a new project: its imports are the new project's. Its module's
imports are left out whenever its component holds any module that is not all templates, of whatever language
(tauri-cli's Kotlin plugin template beside its Rust code listed ``java.io``); a component of templates alone keeps
them.

A Python test module, for that rule, is narrower than ``is_test_file``: a
``tests/`` directory on its path or pytest's file naming (``is_python_test``).
A singular ``test/`` directory is a package's shipped testing framework
(Django's ``django.test``) as well as tests (Twisted's
``src/twisted/internet/test/``, whose tests are named ``test_*.py`` all the
same; mypy's ``mypy/test/``, whose tests are ``test*.py``, as unittest discovers
them and mypy has pytest collect them: ``testmypyc.py`` made ``mypy`` "depend
on" ``mypyc``), so its modules named otherwise count neither as tests nor as
the code beside them (Django's ``django/test/testcases.py`` is named as a test:
its imports are left out beside ``client.py``'s);
``tests.py`` is not test code at all (Django's ``django/contrib/admin/tests.py``
is a shipped Selenium test case); a ``testing/`` directory holds tests and their
support together (pytest's ``testing/``), so its tests are left as they are. The
code beside the tests is a module that is not ``is_test_file``: a component that
is a test directory (sqlalchemy's ``test/``, Django's ``tests/``) keeps its
dependencies.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Iterable, Mapping, Sequence

from cairn.graph.buildconfig import PYTHON_BUILD_CONFIGS, is_build_config
from cairn.graph.templates import is_template

TEST_DIRECTORIES = frozenset({"test", "tests", "__tests__", "spec", "specs", "testdata", "test_data", "test-data",
                              "e2e", "testutil", "testutils"})

_TEST_FILE = re.compile(
    r"(?:^test_.*\.py|.*_test\.py|conftest\.py"
    r"|.*_test\.go"
    r"|.*\.(?:test|spec)\.[cm]?[jt]sx?|.*[-_]test\.[cm]?[jt]sx?"
    r"|(?:[sS]etup[-_]?[tT]ests?|[tT]est[-_]?[sS]etup|(?:jest|vitest)[.-]setup(?:[.-][\w-]+)?)\.[cm]?[jt]sx?"
    r"|.*(?:Test|Tests|IT)\.(?:java|kt))$"
)


#: A source set of tests, by its name (between ``src/`` and ``java/`` or ``kotlin/``): Maven's and Gradle's ``test``, a
#: JDK's own (jackson-databind's ``test-jdk17``), Gradle's ``testFixtures`` and ``integrationTest``, Kotlin
#: Multiplatform's ``jvmTest``, ``commonTest`` and ``androidTest`` (okhttp's tests and their helpers live in
#: ``src/jvmTest/``), Maven's ``it``.
TEST_SOURCE_SET = re.compile(r"^test(?:$|[-_A-Z0-9])|[a-z0-9](?:Test|Tests)$|^it$")
#: A Java or Kotlin file in a test source set (``TEST_SOURCE_SET``) of its build module
_JVM_TEST_SOURCE_SET = re.compile(r"(?:^|/)src/(?:test[-_A-Z0-9][^/]*|[a-z][A-Za-z0-9]*[a-z0-9]Tests?|it)/")
_JVM_SOURCES = (".java", ".kt")

#: Cargo's folders of crates that exercise a package's library without being it (besides ``tests/``), and
#: cargo-fuzz's targets (``fuzz/fuzz_targets/``: tokio-stream's fuzzing "made it depend on" tokio-test).
_RUST_TEST_DIRECTORIES = frozenset({"benches", "examples", "fuzz_targets"})

_PYTHON_TEST_FILE = re.compile(r"(?:test_.*|.*_test|conftest)\.py$")
#: unittest's discovery pattern and Django's test runner's (``test*.py``), the one mypy gives pytest (``python_files``)
_DISCOVERED_TEST_FILE = re.compile(r"test.*\.py$")


def is_test_file(path: str) -> bool:
    """Whether the repository path ``path`` (POSIX, relative) is test code."""
    *directories, name = path.split("/")
    if _TEST_FILE.match(name) or not TEST_DIRECTORIES.isdisjoint(directories):
        return True
    if name.endswith(".rs"):
        return not _RUST_TEST_DIRECTORIES.isdisjoint(directories)
    return name.endswith(_JVM_SOURCES) and _JVM_TEST_SOURCE_SET.search(path) is not None


def named_as_test(name: str) -> bool:
    """Whether the file name ``name`` follows a test runner's naming (``test_*.py``, ``*_test.go``, ``*.test.ts``,
    ``*Test.java`` …: ``is_test_file``'s names), wherever the file is."""
    return _TEST_FILE.match(name) is not None


def is_test_or_build_config(path: str) -> bool:
    """Whether ``path`` is test code (``is_test_file``), a build or test tool's configuration
    (``graph.buildconfig``) or a scaffolding template (``graph.templates``): what the rules of a module's tests' own
    imports leave out of the code."""
    return is_test_file(path) or is_build_config(path) or is_template(path)


def is_python_test(path: str) -> bool:
    """Whether the Python module of ``path`` is a test for ``tests_beside_code``: in a ``tests/`` directory, or named
    as pytest collects by default (``test_*.py``, ``*_test.py``, ``conftest.py``), or in a ``test/`` directory and
    named as unittest and Django's runner discover (``test*.py``: mypy's ``mypy/test/testcheck.py``, which its
    ``pyproject.toml`` has pytest collect) — never outside ``is_test_file`` — and in no ``testing/`` directory, which
    holds tests and their support together, no product code beside them (pytest's own tests, whose helpers are not
    named as tests; sqlalchemy's shipped dialect suite ``testing/suite/``)."""
    if "test" not in path:  # (most modules, asked of every Python module)
        return False
    *directories, name = path.split("/")
    return ("tests" in directories or bool(_PYTHON_TEST_FILE.match(name))
            or "test" in directories and bool(_DISCOVERED_TEST_FILE.match(name))) and "testing" not in directories


def is_python_test_or_build_config(path: str) -> bool:
    """Whether the Python module of ``path`` is a test for ``tests_beside_code`` (``is_python_test``) or a build
    tool's configuration (``graph.buildconfig``: ``setup.py``, ``noxfile.py`` …)."""
    return is_python_test(path) or path.endswith(_PYTHON_BUILD_NAMES) and is_build_config(path)


_PYTHON_BUILD_NAMES = tuple(PYTHON_BUILD_CONFIGS)


def is_test_directory(parts: Sequence[str], by_files: Collection[str] = frozenset()) -> bool:
    """Whether a directory (its path's ``parts``) holds tests by its name or an ancestor's (``tests/unit``), or is
    one of the folders ``by_files`` (``test_folders``) or below one."""
    if not TEST_DIRECTORIES.isdisjoint(parts):
        return True
    return bool(by_files) and any("/".join(parts[:i]) in by_files for i in range(1, len(parts) + 1))


#: A folder holds tests by its files (``test_folders``) when at least this many of the files below it are named as
#: tests and they are more than half of them.
MIN_TEST_FILES = 10


def test_folders(paths: Iterable[str]) -> frozenset[str]:
    """The folders among the source files ``paths`` that hold tests by their files rather than by their name: more
    than half of the files below such a folder, and at least ``MIN_TEST_FILES``, are named as a test runner collects
    them (celery's ``t/``: 128 of its 178 files outside ``t/smoke/tests/`` are ``test_*.py`` or ``conftest.py``, the
    rest their tasks, workers and settings; pytest's ``testing/``; okhttp's ``src/jvmTest/``). The highest such
    folders only (``t``, not ``t/unit`` too). Files in a test directory by name (``is_test_directory``) are not
    counted, nor Go's: a Go package's tests sit in the package, by the language's rule, so a package of more tests
    than code is code (temporal has 92 such folders). One test of each path's name, then a pass over its folders."""
    files: dict[str, list[int]] = {}  # folder -> [files, test files] directly in it
    for path in paths:
        folder, _, name = path.rpartition("/")
        if folder and not name.endswith(".go"):
            counts = files.get(folder)
            if counts is None:
                counts = files[folder] = [0, 0]
            counts[0] += 1
            # (the words the names hold, tested first: a quarter of the time of the expression on every name)
            if ("test" in name or "spec" in name or "Test" in name or "IT." in name) and _TEST_FILE.match(name):
                counts[1] += 1
    below: dict[str, list[int]] = {}  # folder -> [files, test files] below it
    for folder, (count, tests) in files.items():
        parts = folder.split("/")
        if not TEST_DIRECTORIES.isdisjoint(parts):
            continue
        for i in range(1, len(parts) + 1):
            totals = below.setdefault("/".join(parts[:i]), [0, 0])
            totals[0] += count
            totals[1] += tests
    found = {folder for folder, (count, tests) in below.items() if tests >= MIN_TEST_FILES and tests * 2 > count}
    return frozenset(folder for folder in found
                     if not any(folder[:i] in found for i, c in enumerate(folder) if c == "/"))


def mixes_tests(files: Sequence[str]) -> bool:
    """Whether a module of ``files`` holds test code beside code that is not: a Go package with its ``_test.go``
    files. (A module of one file, such as a Java class, is one or the other.)"""
    if len(files) < 2:
        return False
    tests = sum(map(is_test_file, files))
    return 0 < tests < len(files)


def test_only(import_files: Iterable[str | None]) -> bool:
    """Whether an import made in ``import_files`` of a module that ``mixes_tests`` is its tests' alone.

    Such an import is no dependency of the module's code: Go compiles a package's ``_test.go`` files (an external
    ``package x_test`` among them) only to test it, and may let them import what imports the package — ibc-go's
    packages "depended" on its testing package and it on them, cycles Go itself forbids. A component dependency,
    a cycle and a newcomer's central modules leave such imports out; the boundary rules judge every import.
    """
    files = [f for f in import_files if f]
    return bool(files) and all(map(is_test_or_build_config, files))


def import_files(props: Mapping[str, Any]) -> list[str]:
    """The files an IMPORTS edge's import is in (``files`` when several, else ``file``)."""
    several = props.get("files")
    if several:
        return list(several)
    one = props.get("file")
    return [one] if one else []


#: The languages whose module is one file (a Java class, a Python module) and the tests among them, by path: such a
#: test module's imports are its tests' when its component also holds the language's code (``tests_beside_code``).
ONE_FILE_TESTS = {"java": is_test_file, "kotlin": is_test_file, "python": is_python_test_or_build_config,
                  "javascript": is_test_or_build_config, "typescript": is_test_or_build_config,
                  "rust": is_test_or_build_config}
#: Languages whose test classes test the other's code (a Kotlin test of Java classes, a TypeScript test of JavaScript):
#: one set of components with code.
_CODE_OF = {"kotlin": "java", "typescript": "javascript"}


def test_languages(paths: Iterable[str]) -> Collection[str]:
    """The languages of ``ONE_FILE_TESTS`` whose modules ``tests_beside_code`` must be given in a repository of the
    code files ``paths``: Python only when some path has ``test`` in it or names a Python build configuration
    (``setup.py`` …; no ``is_python_test_or_build_config`` otherwise). One join
    of the paths, in C: 0.25 ms at the benchmark's 10k Python modules, which hold no tests; looking at each module
    took 2.3 ms."""
    joined = "\0".join(paths)
    if "test" in joined or "emplate" in joined or any(name in joined for name in PYTHON_BUILD_CONFIGS):
        return ONE_FILE_TESTS.keys()
    return _NOT_PYTHON


_NOT_PYTHON = frozenset(ONE_FILE_TESTS) - {"python"}


def tests_beside_code(modules: Iterable[tuple[Any, str | None, str | None, Sequence[str]]]) -> set[Any]:
    """The keys of the modules whose imports made in test files alone are their tests' (``test_only``), from each
    module's (key, language, component, files) — those of one file whose language is not in ``ONE_FILE_TESTS`` may
    be left out: a module holding tests beside other code (``mixes_tests``: a Go package), and a test module of one
    file in a component that also holds modules of its language that are not tests — a Java test class
    (``src/test/…``: gson's tests of ``com.google.gson`` made ``gson`` "depend on" their helper package ``common``),
    a Python test module (``is_python_test``: scikit-learn's ``linear_model`` "depended on" ``datasets`` through
    ``sklearn/linear_model/tests/``). A component of tests alone (gson's ``functional``, a top-level ``tests/``)
    keeps its imports. And a module of scaffolding templates alone (``graph.templates``), of any language, in a
    component that also holds a module that is not (those of one file whose language is not in ``ONE_FILE_TESTS``
    may be left out unless templates: ``may_be_beside_code``)."""
    out = set()
    templates: list[tuple[Any, str]] = []  # (key, component) of the modules of templates alone
    beside_templates: set[str] = set()  # the components holding a module that is not all templates
    tests: list[tuple[Any, str, str]] = []  # (key, language, component) of the test modules of one file
    with_code: dict[str, set[str]] = {language: set() for language in ONE_FILE_TESTS}  # components holding code
    python_code = with_code["python"]
    for key, language, component, files in modules:
        if component and files:
            if "emplate" in files[0] or "{" in files[0]:  # (is_template's own screen, before a call per module)
                if all(map(is_template, files)):
                    templates.append((key, component))
                    continue
            beside_templates.add(component)
        if language == "python":  # (every module of most repositories: one path, looked at once)
            if component and files:
                if is_python_test_or_build_config(files[0]):
                    tests.append((key, language, component))
                elif component not in python_code and not is_test_file(files[0]):
                    python_code.add(component)
            continue
        if len(files) > 1 and mixes_tests(files):
            out.add(key)
        if component and files and language in ONE_FILE_TESTS:
            if all(map(ONE_FILE_TESTS[language], files)):
                tests.append((key, _CODE_OF.get(language, language), component))
            else:
                with_code[_CODE_OF.get(language, language)].add(component)
    out.update(key for key, language, component in tests if component in with_code[language])
    out.update(key for key, component in templates if component in beside_templates)
    return out


def may_be_beside_code(language: str | None, files: Sequence[str], languages: Collection[str]) -> bool:
    """Whether a module of ``language`` and ``files`` must be given to ``tests_beside_code`` (``languages``: those of
    ``test_languages``): of several files, of one of ``languages``, or a scaffolding template's."""
    return len(files) > 1 or language in languages or bool(files) and is_template(files[0])


def mixed_modules(nodes: Mapping[str, Any]) -> set[str]:
    """The ids of the Module nodes among ``nodes`` (a graph's, by id) whose imports in test files alone are their
    tests' (``tests_beside_code``)."""
    from cairn.graph.model import Label  # (this module is read by the path alone elsewhere: no model needed there)

    module = Label.MODULE
    candidates = []  # (the other modules of one file can be neither)
    for nid, node in nodes.items():
        if node.label is module:
            language, files = node.props.get("language"), node.props.get("files") or ()
            if may_be_beside_code(language, files, ONE_FILE_TESTS):
                candidates.append((nid, language, node.props.get("component"), files))
    return tests_beside_code(candidates)
