"""The contract between the extraction driver and each language.

Extraction has two phases, kept apart so the expensive one can be cached:

1. ``Language.parse(path, source)`` reads one file's bytes with tree-sitter and
   returns a ``ParsedFile``: the imports *as written* plus the few declarations
   resolution needs (Go package clause, Java package declaration). It depends
   only on the bytes (and the path's extension), is pure, plain data, and its
   result is cached (as JSON) by (language, ``Language.version``, content hash).
2. ``Language.resolver(layout)`` sees the whole repository (every path of that
   language and every ``ParsedFile``), decides each file's module name and
   resolves raw imports to internal modules or external packages. This is
   cheap and is redone on every ingest, because adding one file can change how
   another file's import resolves.

Nothing here executes or imports repository code. Imports are named tuples,
not dataclasses: a warm ingest rebuilds tens of thousands of them from the cache.
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

RUNTIME = "runtime"
TYPE_ONLY = "type_only"
DYNAMIC = "dynamic"


class RawImport(NamedTuple):
    """One import statement (or one imported name of it) as written in the source.

    ``spec`` is the module specifier as written: ``"a.b.c"`` (Python, absolute),
    ``"b.c"`` with ``level=2`` (Python ``from ..b import c``), ``"./util"``
    (JS/TS), ``"github.com/x/y"`` (Go), ``"java.util.List"`` / ``"com.x.*"``
    (Java; ``static=True`` for static imports). ``names`` holds the names of a
    Python ``from spec import a, b`` (``("*",)`` for a star import).
    """

    spec: str
    line: int
    kind: str = RUNTIME
    level: int = 0
    names: tuple[str, ...] = ()
    static: bool = False


@dataclass
class ParsedFile:
    path: str  # repository-relative, POSIX separators
    language: str
    imports: list[RawImport] = field(default_factory=list)
    package: str | None = None  # Go package clause name / Java package declaration
    syntax_errors: int = 0  # count of ERROR/MISSING nodes; the file is still used
    lines: int | None = None  # set by the driver from the same bytes (``files.count_lines``), cached with the parse


class ResolvedImport(NamedTuple):
    """An import resolved to its target module.

    ``target`` is an internal module name (as returned by ``Resolver.module_of``)
    when ``external`` is false, else the squashed top-level external name
    (``"requests"``, ``"@angular/core"`` → ``"@angular/core"``, Go
    ``"golang.org/x/net"``, Java ``"org.slf4j"`` …). ``file`` is the file that
    holds the import (set by the driver: a Go package has many files, and the
    evidence of an import is the file and line it is written at).
    """

    target: str
    line: int
    kind: str = RUNTIME
    external: bool = False
    file: str = ""


@dataclass
class Layout:
    """What a resolver may know about the repository.

    ``files`` are the repository-relative paths of this language's source files
    that are ingested; ``all_files`` every file path in the checkout that was
    listed (so resolvers can see ``__init__.py`` of skipped files, config
    files and so on); ``read_text(path)`` reads a small repository file such as
    ``tsconfig.json``, ``go.mod`` or ``package.json`` (``None`` if absent or
    unreadable). ``parsed`` maps every path in ``files`` to its ParsedFile.
    """

    files: list[str]
    all_files: frozenset[str]
    parsed: Mapping[str, ParsedFile]
    read_text: Callable[[str], str | None]


class Resolver(ABC):
    @abstractmethod
    def module_of(self, path: str) -> str | None:
        """The natural module name of a source file (``None``: not part of any module).

        Python: dotted module (``pkg/sub/__init__.py`` → ``pkg.sub``; a nested project's module whose name another
        project's file has: ``project/pkg.sub``); Go: the
        package import path (``<module path>/<dir>``); Java: the FQN of the
        file's top-level type (``com.acme.Foo``); JS/TS: the file's
        repository-relative path.
        """

    @abstractmethod
    def module_path(self, module: str) -> str:
        """The path that represents a module: its file, or its directory for a Go package."""

    @abstractmethod
    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        """Resolve a file's raw imports. Unresolvable relative imports are dropped."""

    #: One-line notes on repository files the resolver could not use (a broken tsconfig, a go.mod
    #: without a module line); the driver reports them in the ingest summary.
    problems: list[str] = []

    def extra_modules(self) -> dict[str, str]:
        """Modules that exist without a source file of their own (e.g. Python
        namespace packages), as name → representative path. Default: none."""
        return {}


class Language(ABC):
    name: str  # "python", "javascript", "typescript", "go", "java" (which reads Kotlin too), "rust"
    extensions: tuple[str, ...]
    version: str = "1"  # bump when parse() output changes, to invalidate caches

    @abstractmethod
    def parse(self, path: str, source: bytes) -> ParsedFile: ...

    @abstractmethod
    def resolver(self, layout: Layout) -> Resolver: ...

    def handles(self, path: str) -> bool:
        return os.path.splitext(path)[1] in self.extensions

    def parse_variant(self, path: str) -> str:
        """What of ``path`` beside its extension ``parse`` reads (its parse is cached by language, version, extension,
        this and content): "" unless a language's parse depends on more of the name."""
        return ""

    #: The names (what follows a path's last ``/``, or the whole path) of every path ``consults`` may be true for, so
    #: that the others are passed over without asking it (None: any path may be).
    consulted_names: tuple[str, ...] | None = None

    def consults(self, path: str) -> bool:
        """Whether resolving this language's imports may depend on ``path`` being in the checkout
        (``Layout.all_files``; its content is read through ``Layout.read_text``, recorded apart). An extraction's
        fingerprint holds only such paths, so adding a README does not make a repository's imports resolve anew.
        Any path, unless a language says which."""
        return True


_THREAD = threading.local()


def parser_and_cursor(key: str, grammar: Callable[[], object], query_source: str | None = None):
    """A tree-sitter ``(Parser, QueryCursor | None)`` for ``grammar``, built once per thread and key.

    Parsers and query cursors keep state between calls and are not safe to
    share between threads, so each thread (and each process of the parse
    pool) gets its own. ``grammar`` returns the grammar wheel's language
    pointer (``tree_sitter_go.language``); tree-sitter is imported here, on
    first use, so importing a language module stays cheap.
    """
    cache = _THREAD.__dict__.setdefault("machinery", {})
    found = cache.get(key)
    if found is None:
        from tree_sitter import Language as TSLanguage, Parser, Query, QueryCursor

        language = TSLanguage(grammar())
        cursor = QueryCursor(Query(language, query_source)) if query_source is not None else None
        found = cache[key] = (Parser(language), cursor)
    return found


def count_syntax_errors(root_node, tolerated: Callable[[Any], bool] | None = None) -> int:  # tree_sitter.Node
    """Count ERROR and MISSING nodes without walking a clean tree; ``tolerated``: an ERROR node that is valid syntax the
    grammar does not know (read as such by the extraction), not counted."""
    if not root_node.has_error:
        return 0
    count = 0
    cursor = root_node.walk()
    stack = [root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += not (tolerated is not None and node.is_error and tolerated(node))
            continue
        if node.has_error:
            stack.extend(node.children)
    del cursor
    return count
