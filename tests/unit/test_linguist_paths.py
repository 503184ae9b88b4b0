"""Linguist's path patterns, searched by directory and file name, say what a search of the whole path says."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from cairn.ingest import linguist
from cairn.ingest.linguist import _DOCUMENTATION, _GENERATED, _TEST_DATA, _VENDORED, VENDORED_UNLESS_OWN, _PathPattern

PATTERNS = {"vendored": _VENDORED, "test data": _TEST_DATA, "generated": _GENERATED, "documentation": _DOCUMENTATION}


def whole_path_reason(path: str) -> str | None:
    """The first reason whose pattern a search of the whole path finds (a folder ``VENDORED_UNLESS_OWN`` names, with
    no folder known to be the project's, is vendored; a Go file right in a top ``doc/`` is a package, not documentation)."""
    why = next((why for why, pattern in PATTERNS.items() if pattern.regex.search(path)
                or why == "vendored" and VENDORED_UNLESS_OWN.search(path.rpartition("/")[0] + "/")), None)
    if why == "documentation" and re.fullmatch(r"(?:[Dd]ocs?/[^/]+|[Pp]laygrounds?/.+)\.go", path):
        return None
    own_go_package = re.fullmatch(r"(?:[Dd]ependencies|deps)/(?!(?:[^/]+/)*(?:vendor|third_party|_vendor)/).+\.go", path)
    return None if why == "vendored" and own_go_package and not VENDORED_UNLESS_OWN.search(path) else why


def literal_words(pattern: re.Pattern) -> set[str]:
    """Words the patterns are made of (``node_modules``, ``CHANGES``, ``min.js``…), as path parts to combine."""
    text = re.sub(r"\\(.)", r"\1", pattern.pattern)
    return {w for w in re.split(r"[()|?:^$*+\[\]{}]", text) if w.strip("/.-_")}


def tricky_paths() -> list[str]:
    words = set()
    for pattern in PATTERNS.values():
        words |= literal_words(pattern.regex)
    words |= {"cache", "env", "extern", "External", "src", "a", "CHANGES.d", "docs", "Docs", "man", "x.py", "README", "README.md", "min.js", "jquery.js",
              "bootstrap.min.css", "foo.d.ts", "go.sum", "gw.go", "m_pb2.py", ".github", "gradle", "wrapper"}
    parts = sorted(words)
    paths = set(parts)
    for a, b in itertools.product(parts, repeat=2):
        paths.add(f"{a}/{b}")
    step = max(1, len(parts) ** 3 // 20_000)  # a spread of 20,000 three-part paths
    for a, b, c in itertools.islice(itertools.product(parts, repeat=3), 0, None, step):
        paths.add(f"{a}/{b}/{c}")
    for word in parts:  # a word glued to a file name, and a directory that only starts like one
        paths.update({f"lib/{word}x.js", f"x{word}/y.py", f"{word}.py", f"a/{word}/", f"{word}"})
    return sorted(paths)


def test_every_path_pattern_matches_as_the_whole_path_search_does():
    paths = tricky_paths()
    assert len(paths) > 10_000
    for name, pattern in PATTERNS.items():
        differing = [p for p in paths if pattern.search(p) != (pattern.regex.search(p) is not None)]
        assert differing == [], f"{name}: {differing[:10]}"


def test_the_reason_of_a_path_without_attributes_is_that_of_the_first_whole_path_search_that_matches():
    paths = tricky_paths()
    expected = {p: whole_path_reason(p) for p in paths}
    assert {why for why in expected.values()} == {None, *PATTERNS}  # every answer, in this spread of paths
    for _ in range(2):  # the second time from the directories remembered
        assert [p for p in paths if linguist.exclusion(p) != expected[p]] == []
        assert [p for p in paths if linguist.exclusion(p, {}) != expected[p]] == []


def test_paths_of_this_repository_are_judged_alike():
    root = Path(__file__).resolve().parents[2]
    listed = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for path in listed.stdout.splitlines():  # (in the order exclusion tries the reasons)
        assert linguist.exclusion(path) == whole_path_reason(path), path


@pytest.mark.parametrize("alternative", [r"(?:^|/)a/b$", r"foo/bar\.js$", r"^x/y", r"a/(?:b|c)\.py$"])
def test_a_pattern_whose_match_could_cross_the_last_slash_is_refused(alternative):
    with pytest.raises(ValueError, match="another shape"):
        _PathPattern((alternative,))


def test_python_bundled_packages_are_vendored_as_vendor_directories_are():
    # pip's src/pip/_vendor/ and botocore's vendored/ hold other projects' code, as vendor/ does
    assert linguist.exclusion("src/pip/_vendor/requests/api.py") == "vendored"
    assert linguist.exclusion("botocore/vendored/six.py") == "vendored"
    assert linguist.exclusion("vendor/x.go") == "vendored"
    # a name that only contains the word, and the attribute saying otherwise, are counted
    assert linguist.exclusion("src/pip/_vendoring.py") is None
    assert linguist.exclusion("src/my_vendored/x.py") is None
    assert linguist.exclusion("src/pip/_vendor/x.py", {"linguist-vendored": False}) is None
