"""Which component a path belongs to, by the components' path patterns: read by the ingest, which gives each file
its component, and by the questions asked of a stored graph about a path it holds no file of (``who-knows
drizzle-orm/package.json``).

A component (``ComponentDef``) maps a name to path globs (gitignore-style, via pathspec; ``a/b/*`` means the files
directly in ``a/b/``, ``a/b``, ``a/b/`` and ``a/b/**`` everything under it). A path belongs to the component whose
matching pattern is most specific (the longest literal prefix before any wildcard); ties go to the component listed
first; a path no pattern matches belongs to none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pathspec


@dataclass
class ComponentDef:
    name: str
    paths: list[str]
    system: str | None = None
    domain: str | None = None
    description: str | None = None
    inferred: bool = False
    _patterns: list[tuple[int, pathspec.PathSpec]] = field(default_factory=list, repr=False)

    def compile(self) -> None:
        self._patterns = []
        for pattern in self.paths:
            files_in = _files_directly_in(pattern)
            prefix = _directory_prefix(pattern)
            if files_in is not None:
                matcher: object = ("files", files_in)
            elif prefix is not None:
                matcher = prefix
            else:
                matcher = pathspec.PathSpec.from_lines("gitwildmatch", [_as_dir_pattern(pattern)])
            self._patterns.append((_specificity(pattern), matcher))

    def match(self, path: str) -> int | None:
        """The specificity of the best pattern matching ``path``, or None."""
        best = None
        for spec_len, matcher in self._patterns:
            if isinstance(matcher, tuple):
                directory = matcher[1]
                hit = path.startswith(directory) and "/" not in path[len(directory):]
            elif isinstance(matcher, str):
                hit = path.startswith(matcher)
            else:
                hit = matcher.match_file(path)
            if hit and (best is None or spec_len > best):
                best = spec_len
        return best


def _as_dir_pattern(pattern: str) -> str:
    # "graph" and "graph/" mean the directory and everything under it, as a person would expect.
    if not any(ch in pattern for ch in "*?[") and "." not in pattern.rsplit("/", 1)[-1]:
        return pattern.rstrip("/") + "/"
    return pattern


def _files_directly_in(pattern: str) -> str | None:
    """``"a/b/*"`` (or ``"*"`` at the top) as the directory ``"a/b/"`` whose files, and only those, it means.

    In gitignore syntax ``a/b/*`` would also take every subdirectory's contents;
    for a component "the files in this directory" is what a person means.
    """
    if pattern == "*":
        return ""
    if pattern.endswith("/*"):
        body = pattern[:-2]
        if body and not body.startswith(("/", "!")) and not any(ch in body for ch in "*?[\\"):
            return body + "/"
    return None


def _directory_prefix(pattern: str) -> str | None:
    """``"a/b/**"``, ``"a/b/"`` or ``"a/b"`` (a plain directory) as the prefix ``"a/b/"``: matched
    with a string comparison instead of a regular expression, which matters on large repositories."""
    body = pattern[:-3] if pattern.endswith("/**") else pattern
    if not body or body.startswith(("/", "!")) or any(ch in body for ch in "*?[\\"):
        return None
    if pattern.endswith("/**") or pattern.endswith("/") or _as_dir_pattern(pattern) != pattern:
        return body.rstrip("/") + "/"
    return None


def _specificity(pattern: str) -> int:
    return len(re.split(r"[*?\[]", pattern, maxsplit=1)[0])


class ComponentMap:
    """Which component a path belongs to (see the module docstring).

    Directory patterns (``a/b/**``, ``a/b/*``: most patterns, and every inferred
    one) are indexed by their directory, so a path is compared with the patterns
    of its own directories only, not with every pattern of every component: a
    repository of 10,000 files and 200 components makes 20,000 lookups, not
    4 million comparisons. Other globs are matched one by one.
    """

    def __init__(self, components: list[ComponentDef]):
        self.components = components
        self._under: dict[str, list[tuple[int, int]]] = {}  # "a/b/" -> (specificity, component index): a/b/**
        self._directly_in: dict[str, list[tuple[int, int]]] = {}  # "a/b/" -> …: files directly in a/b/ (a/b/*)
        self._globs: list[tuple[int, int, ComponentDef]] = []  # components with other patterns
        for index, c in enumerate(components):
            c.compile()
            globbed = False
            for spec_len, matcher in c._patterns:
                if isinstance(matcher, tuple):
                    self._directly_in.setdefault(matcher[1], []).append((spec_len, index))
                elif isinstance(matcher, str):
                    self._under.setdefault(matcher, []).append((spec_len, index))
                else:
                    globbed = True
            if globbed:
                self._globs.append((index, 0, c))
        self._cache: dict[str, str | None] = {}

    def component_of(self, path: str) -> str | None:
        # Without other globs a path's component is its directory's (``_best`` reads ``path`` up to its last "/"
        # only): asked for 50k files in 1k directories, it is worked out once per directory.
        key = path if self._globs else path[:path.rfind("/") + 1]
        cache = self._cache
        if key in cache:
            return cache[key]
        name = cache[key] = self._best(path, None)
        return name

    def component_of_except(self, path: str, excluded: str) -> str | None:
        """``component_of(path)`` as if the component named ``excluded`` were not in the map."""
        return self._best(path, excluded)

    def _best(self, path: str, excluded: str | None) -> str | None:
        # the most specific pattern wins; between components, ties go to the one declared first
        components = self.components
        best: tuple[int, int] | None = None  # (specificity, -index)
        cut = path.rfind("/") + 1
        for spec_len, index in self._directly_in.get(path[:cut], ()):
            if (best is None or (spec_len, -index) > best) and components[index].name != excluded:
                best = (spec_len, -index)
        if self._under:
            slash = path.find("/")
            while slash >= 0:
                for spec_len, index in self._under.get(path[:slash + 1], ()):
                    if (best is None or (spec_len, -index) > best) and components[index].name != excluded:
                        best = (spec_len, -index)
                slash = path.find("/", slash + 1)
        for index, _, c in self._globs:
            if c.name == excluded:
                continue
            score = c.match(path)
            if score is not None and (best is None or (score, -index) > best):
                best = (score, -index)
        return None if best is None else components[-best[1]].name
