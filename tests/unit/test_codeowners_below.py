"""A CODEOWNERS pattern naming a directory is matched by comparing strings (``codeowners.Below``): the same answer
as its regex for every path, newlines included, and only for the regexes of that shape."""

from __future__ import annotations

import random
import re

import pytest

from cairn.ingest.codeowners import Below, compile_pattern, parse_codeowners

DIRECTORY_PATTERNS = ["/synth/p0000/", "src/p-0/", "/a.b/c/", "/x/**", "a/b/**", "/a/b", "/a_b/c", "a/b/", "/a+b/", "/1/2"]
OTHER_PATTERNS = ["/a/b/*", "/a\\ b/", "/ü/", "docs/", "*.py", "**/logs", "/a/*/c/", "a?c/"]
BASES = ["a/b", "a.b/c", "axb/c", "x", "synth/p0000", "src/p-0", "a b", "ü", "a+b", "aab", "a_b/c", "1/2", "docs", "a/bc"]
ENDS = ["", "\n", "/", "/\n", "/f", "/f\n", "/f\ng", "/\n\n", "c", "/d/e", "\n/x", "/d/e.py", "/logs"]


def _paths() -> list[str]:
    rng = random.Random(14)
    alphabet = ["a", "b", "c", "x", "/", "\n", ".", "-", "+", "_", "1", "2", " ", "ü", "p"]
    paths = {base + end for base in BASES for end in ENDS}
    paths.update("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(5000))
    return sorted(paths)


@pytest.mark.parametrize("pattern", DIRECTORY_PATTERNS)
def test_a_directory_pattern_matches_as_its_regex(pattern: str) -> None:
    compiled = compile_pattern(pattern)
    assert isinstance(compiled, Below)
    regex = re.compile(compiled.pattern)
    differing = [p for p in _paths() if (compiled.match(p) is not None) != (regex.match(p) is not None)]
    assert differing == []
    assert any(compiled.match(p) for p in _paths())  # (the paths do reach it)


@pytest.mark.parametrize("pattern", OTHER_PATTERNS)
def test_other_patterns_keep_their_regex(pattern: str) -> None:
    assert isinstance(compile_pattern(pattern), re.Pattern)


def test_a_wrong_directory_would_be_caught() -> None:
    """The comparison above fails for a matcher that drops the newline rule or the directory's own path."""
    below = compile_pattern("/a/b")
    regex = re.compile(below.pattern)
    careless = Below(below.pattern, "a/b", itself=False)
    assert [p for p in _paths() if (careless.match(p) is not None) != (regex.match(p) is not None)]
    loose = Below("^a/b(?P<ps_d>/).*$", "a/b", itself=False)
    loose_regex = re.compile(loose.pattern)
    assert loose.match("a/b/c\nd") is None and loose_regex.match("a/b/c\nd") is None
    assert (loose.match("a/b/c\n") is not None) == (loose_regex.match("a/b/c\n") is not None) is True


def test_rules_read_the_same_owners() -> None:
    text = "* @org/all\n/storage/ @a\n/storage/remote/ @b\nweb/ui @c\n*.go @d\n/.github/ @e\n/docs/** @f\n/api @g\n"
    owners = parse_codeowners(text, "CODEOWNERS")
    regexes = [re.compile(rule.regex.pattern) for rule in owners.rules]
    for path in ["storage/x.py", "storage/remote/y.go", "web/ui/a.ts", "x/web/ui/b", ".github/CODEOWNERS", "docs/a/b.md",
                 "api", "api/v1.py", "apis/v1.py", "README.md", "storage"]:
        expected = next((rule.owners for rule, rx in zip(reversed(owners.rules), reversed(regexes)) if rx.match(path)), ())
        assert owners.owners_of(path) == expected, path
