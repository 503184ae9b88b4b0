"""Which repository files are tests, by the conventions of the languages Cairn reads.

A path is test code when a directory on it is one test runners and build
tools use for tests (``tests/``, ``test/``, ``__tests__/``, ``spec/``,
``testdata/``, Go's ``testutil/``, Maven's ``src/test/``, …) or when its file name follows a test
runner's naming: pytest's ``test_*.py`` / ``*_test.py`` / ``conftest.py``,
Go's ``*_test.go``, Jest's and Mocha's ``*.test.js`` / ``*.spec.ts`` (any
JavaScript or TypeScript extension), JUnit's ``*Test.java`` / ``*Tests.java``
/ ``*IT.java``. Judged from the path alone: no file is opened.
"""

from __future__ import annotations

import re

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
