"""Which repository files are tests, by the conventions of the languages Cairn reads.

A path is test code when a directory on it is one test runners and build
tools use for tests (``tests/``, ``test/``, ``__tests__/``, ``spec/``,
``testdata/``, Go's ``testutil/``, Maven's ``src/test/``, …) or when its file name follows a test
runner's naming: pytest's ``test_*.py`` / ``*_test.py`` / ``conftest.py``,
Go's ``*_test.go``, Jest's and Mocha's ``*.test.js`` / ``*.spec.ts`` (any
JavaScript or TypeScript extension), JUnit's ``*Test.java`` / ``*Tests.java``
/ ``*IT.java``. Judged from the path alone: no file is opened.

An import is its tests' alone (``test_only``) when it is made only in test
files of a module that also holds other code (``mixes_tests``: a Go package), or
by a Java test class in a component that also holds other classes (a Java
module is one class): the component dependencies leave it out
(``tests_beside_code``).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

TEST_DIRECTORIES = frozenset({"test", "tests", "__tests__", "spec", "specs", "testdata", "test_data", "e2e",
                              "testutil", "testutils"})

_TEST_FILE = re.compile(
    r"(?:^test_.*\.py|.*_test\.py|conftest\.py"
    r"|.*_test\.go"
    r"|.*\.(?:test|spec)\.[cm]?[jt]sx?"
    r"|.*(?:Test|Tests|IT)\.java)$"
)


def is_test_file(path: str) -> bool:
    """Whether the repository path ``path`` (POSIX, relative) is test code."""
    *directories, name = path.split("/")
    return bool(_TEST_FILE.match(name)) or not TEST_DIRECTORIES.isdisjoint(directories)


def is_test_directory(parts: Iterable[str]) -> bool:
    """Whether a directory (its path's ``parts``) holds tests by its name or an ancestor's (``tests/unit``)."""
    return not TEST_DIRECTORIES.isdisjoint(parts)


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
    return bool(files) and all(map(is_test_file, files))


def import_files(props: Mapping[str, Any]) -> list[str]:
    """The files an IMPORTS edge's import is in (``files`` when several, else ``file``)."""
    several = props.get("files")
    if several:
        return list(several)
    one = props.get("file")
    return [one] if one else []


def tests_beside_code(modules: Iterable[tuple[Any, str | None, str | None, Sequence[str]]]) -> set[Any]:
    """The keys of the modules whose imports made in test files alone are their tests' (``test_only``), from each
    module's (key, language, component, files) — those of one file that are not Java may be left out: a module
    holding tests beside other code (``mixes_tests``: a Go package), and a Java test class (``src/test/…``) in a component that also holds classes that are not tests — a
    Java module is one class, so gson's tests of ``com.google.gson`` made ``gson`` "depend on" their helper package
    ``common``. A component of test classes alone (gson's ``functional``) keeps its imports."""
    out = set()
    java_tests: list[tuple[Any, str]] = []
    with_code: set[str] = set()
    for key, language, component, files in modules:
        if len(files) > 1 and mixes_tests(files):
            out.add(key)
        if language == "java" and component:
            if files and all(map(is_test_file, files)):
                java_tests.append((key, component))
            else:
                with_code.add(component)
    out.update(key for key, component in java_tests if component in with_code)
    return out


def mixed_modules(nodes: Mapping[str, Any]) -> set[str]:
    """The ids of the Module nodes among ``nodes`` (a graph's, by id) whose imports in test files alone are their
    tests' (``tests_beside_code``)."""
    from cairn.graph.model import Label  # (this module is read by the path alone elsewhere: no model needed there)

    module = Label.MODULE
    candidates = []  # (the modules of one file that are not Java can be neither)
    for nid, node in nodes.items():
        if node.label is module:
            language, files = node.props.get("language"), node.props.get("files") or ()
            if len(files) > 1 or language == "java":
                candidates.append((nid, language, node.props.get("component"), files))
    return tests_beside_code(candidates)
