"""Python module dependencies with tree-sitter, with grimp's semantics.

``PythonLanguage.parse`` finds every import in a file (at any depth: inside
functions, classes, ``try``, ``if``), marks those in the body of an
``if TYPE_CHECKING:`` / ``if <x>.TYPE_CHECKING:`` as ``type_only`` (not the
``else`` branch, which runs), and records ``importlib.import_module("lit")``,
``import_module("lit")`` and ``__import__("lit")`` with a literal string as
``dynamic``. ``from __future__ import …`` is a compiler directive, not a
dependency, and is left out. Line numbers are 1-based, the statement's first
line.

Speed: tree-sitter is slower than grimp's Rust parser, so ``parse`` does not
parse what cannot hold an import. A byte scan lists candidates (``import``
where a statement could have it, ``import_module(`` / ``__import__(``); only
the top-level statements holding them are parsed, with the text between them
replaced by its line breaks (rows stay true); each candidate is then looked up
in the tree, so one inside a string or comment is no import. If that text
does not parse cleanly, the prefix up to the last import and then the whole
file are parsed instead. On 17,700 files (the standard library and this
environment's packages) the imports and the syntax-error counts equal those
of a whole-file parse; an error in a statement without imports may go
uncounted.

``PythonResolver`` names the modules of a repository and resolves imports the
way grimp does (seddonym/grimp ``import_scanning.rs``):

* ``import a.b.c`` → ``a.b.c``; ``from a.b import c`` → ``a.b.c`` if that is a
  module, else ``a.b`` (one level of fallback only, as grimp); the same for
  ``from a.b import *`` (``a.b``) and for dynamic imports.
* Relative imports are resolved against the importer; a package's
  ``__init__`` is its own base. Imports that climb above the source root, or
  that name a missing module of an internal package, are dropped.
* Anything else is external, squashed to its top-level name (``requests``),
  or, below an internal namespace package, to the first name that is not one
  (``google.auth`` when the repository holds the namespace ``google``).

A module importing itself (``from . import attr`` in ``pkg/__init__.py``) gets
no edge; grimp records a self-edge there.

One deliberate difference: grimp lets ``from ns import x`` fall back to a
namespace package ``ns``; a namespace package has no attributes, and in a whole
repository that rule would turn every ``import google.auth`` into an edge to a
local ``google`` namespace, so Cairn only falls back to modules with a file.

Module naming (the source-root rule), for a file at ``d1/…/dn/name.py``:

* A directory holding ``__init__.py`` is a regular package. Like grimp, a
  directory without ``__init__.py`` (or whose name is not an identifier)
  inside a regular package is not descended into: files there belong to no
  module. An ``__init__.py`` at the repository root is ignored.
* Outside regular packages, a directory is a *source root* by default if it is
  the repository root, is named ``src``, directly contains a regular package
  (``tests/`` holding ``tests/unit/__init__.py``), or has a name that is not an
  identifier (nothing can be imported through it). A file's module name is its
  path below the deepest source root above it; directories in between are
  namespace packages (``extra_modules``).
* A default source root is demoted to a namespace package when the repository's
  own absolute imports name its contents through a shallower source root more
  often than directly: ``src/google/cloud/storage/__init__.py`` is
  ``google.cloud.storage`` (not ``storage``) when the code says
  ``from google.cloud.storage import …``; a project importing ``src.app``
  gets modules ``src.app…``.
* Conversely, a directory of plain modules (no package) whose files import
  each other by bare name (``from helpers import x`` in ``tests/test_a.py``, as
  pytest's rootdir insertion or running a script makes work) is promoted to a
  source root, unless a module of one of its names exists already.
* Two files with the same module name (``foo.py`` next to ``foo/__init__.py``,
  or one top-level name under two source roots): the one under the shallower
  source root wins, then the package, then the lexically first path. The
  others get no module and are listed in ``PythonResolver.duplicates``.
* Like grimp, only ``.py`` files count, and file names with more than one dot
  or a leading dot are not modules.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections import Counter

from cairn.ingest.code.base import (
    DYNAMIC,
    RUNTIME,
    TYPE_ONLY,
    Language,
    Layout,
    ParsedFile,
    RawImport,
    ResolvedImport,
    Resolver,
    count_syntax_errors,
    parser_and_cursor,
)

# Marker in RawImport.names of a dynamic relative import whose package argument
# is ``__name__``: relative to the importing module itself rather than to its
# package (they differ for a module that is not a package's ``__init__``).
RELATIVE_TO_NAME = "__name__"

def _parser():
    """A tree-sitter parser for Python (one per thread: parsers are not thread-safe)."""
    import tree_sitter_python

    return parser_and_cursor("python", tree_sitter_python.language)[0]


_AWKWARD = re.compile(rb"[\s\\#]")


def _dotted(node) -> str:
    """The text of a dotted_name, without any whitespace, comments or line continuations inside it."""
    text = node.text
    if _AWKWARD.search(text):
        return ".".join(child.text.decode("utf-8", "replace") for child in node.named_children if child.type == "identifier")
    return text.decode("utf-8", "replace")


def _imported_name(node) -> str | None:
    """The module/name of an ``import`` or ``from … import`` name child (``a.b`` of ``a.b as c``)."""
    if node.type == "aliased_import":
        node = node.child_by_field_name("name")
    if node is None or node.type != "dotted_name":
        return None
    return _dotted(node)


def _string_literal(node) -> str | None:
    """The value of a plain string literal (no f-string, no escapes), else None."""
    if node.type != "string":
        return None
    parts = node.named_children
    if len(parts) != 3 or parts[1].type != "string_content":
        return None
    prefix = parts[0].text.lower()
    if b"f" in prefix or b"t" in prefix or b"b" in prefix:
        return None
    return parts[1].text.decode("utf-8", "replace")


def _dynamic_import(call) -> RawImport | None:
    function = call.child_by_field_name("function")
    if function is None:
        return None
    if function.type == "attribute":
        owner = function.child_by_field_name("object")
        if owner is None or owner.type != "identifier" or owner.text != b"importlib":
            return None
        name = b"import_module"
        if function.child_by_field_name("attribute").text != name:
            return None
    elif function.type == "identifier" and function.text in (b"import_module", b"__import__"):
        name = function.text
    else:
        return None
    arguments = call.child_by_field_name("arguments")
    arguments = arguments.named_children if arguments is not None and arguments.type == "argument_list" else ()
    if not arguments:
        return None
    spec = _string_literal(arguments[0])
    if not spec:
        return None
    line = call.start_point[0] + 1
    level = len(spec) - len(spec.lstrip("."))
    if level == 0:
        return RawImport(spec, line, DYNAMIC)
    if name != b"import_module":  # __import__ takes no relative names
        return None
    package = None
    if len(arguments) > 1:
        second = arguments[1]
        if second.type == "keyword_argument":
            if second.child_by_field_name("name").text == b"package":
                package = second.child_by_field_name("value")
        else:
            package = second
    if package is None or package.type != "identifier" or package.text not in (b"__name__", b"__package__"):
        return None
    names = (RELATIVE_TO_NAME,) if package.text == b"__name__" else ()
    return RawImport(spec[level:], line, DYNAMIC, level=level, names=names)


_IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MAX_STATEMENT_LINES = 200
# What may precede the keyword `import` on its line in an import statement: after the
# last `;` or `:` (one-line compound statements), only names, dots, blanks and
# backslashes (`from pkg.mod `, `from . `, the tail of a continued line).
_STATEMENT_LEAD = re.compile(rb"(?:.*[;:])?[^;:\"'#=()\[\]{},<>+\-*/%@!&|^~`$?]*")
_CALL_OPEN = re.compile(rb"[ \t]*\(")
_WHOLE_FILE_ABOVE = 0.6  # parse the whole file at once when the import region is most of it


def _line_start(source: bytes, pos: int) -> int:
    start = source.rfind(b"\n", 0, pos) + 1
    return max(start, source.rfind(b"\r", start, pos) + 1)  # a lone \r also ends a line


def import_candidates(source: bytes) -> list[int]:
    """Offsets of every ``import`` keyword that may start or continue an import statement,
    and of every ``import_module(`` / ``__import__(`` call name, in order.

    A superset of the real ones (a docstring line reading ``import x`` is a
    candidate); tree-sitter decides. Doctest lines (``>>> import x``), comments
    and words such as ``important`` are not candidates.
    """
    found: list[int] = []
    pos = source.find(b"import")
    while pos >= 0:
        if source.startswith(b"import_module", pos) and _CALL_OPEN.match(source, pos + 13):
            found.append(pos)
        elif pos >= 2 and source.startswith(b"__import__", pos - 2) and _CALL_OPEN.match(source, pos + 8):
            found.append(pos)
        elif (pos == 0 or source[pos - 1] not in _IDENTIFIER_BYTES) and (
            pos + 6 >= len(source) or source[pos + 6] not in _IDENTIFIER_BYTES
        ) and _STATEMENT_LEAD.fullmatch(source, _line_start(source, pos), pos):
            found.append(pos)
        pos = source.find(b"import", pos + 6)
    return found


def _statement_end(source: bytes, pos: int) -> int:
    """The end of the logical line holding ``pos``: brackets balanced, no trailing backslash."""
    depth = 0
    start = _line_start(source, pos)
    for _ in range(_MAX_STATEMENT_LINES):
        end = source.find(b"\n", start)
        if end < 0:
            return len(source)
        line = source[start:end]
        depth += line.count(b"(") + line.count(b"[") + line.count(b"{")
        depth -= line.count(b")") + line.count(b"]") + line.count(b"}")
        start = end + 1
        if depth <= 0 and not line.rstrip(b"\r").endswith(b"\\"):
            return start
    return len(source)


def _is_type_checking_body(block) -> bool:
    parent = block.parent
    if parent is None or parent.type != "if_statement":
        return False
    consequence = parent.child_by_field_name("consequence")
    if consequence is None or consequence.start_byte != block.start_byte:
        return False
    condition = parent.child_by_field_name("condition")
    if condition.type == "attribute":
        condition = condition.child_by_field_name("attribute")
    return condition is not None and condition.type == "identifier" and condition.text == b"TYPE_CHECKING"


def _kind_of(statement) -> str:
    """type_only inside the body of ``if TYPE_CHECKING:`` / ``if <x>.TYPE_CHECKING:`` (at any depth)."""
    node = statement.parent
    while node is not None:
        if node.type == "block" and _is_type_checking_body(node):
            return TYPE_ONLY
        node = node.parent
    return RUNTIME


def _from_import(statement, kind: str) -> RawImport | None:
    module = statement.child_by_field_name("module_name")
    if module is None:
        return None
    level = 0
    if module.type == "relative_import":
        level = module.named_children[0].text.count(b".")
        spec = _dotted(module.named_children[1]) if module.named_child_count > 1 else ""
    else:
        spec = _dotted(module)
    if any(child.type == "wildcard_import" for child in statement.named_children):
        names: tuple[str, ...] = ("*",)
    else:
        names = tuple(n for n in map(_imported_name, statement.children_by_field_name("name")) if n)
        if not names:
            return None
    return RawImport(spec, statement.start_point[0] + 1, kind, level=level, names=names)


_TOP_LEVEL_LINE = re.compile(rb"\n(?=[^ \t\f\r\n#)\]}])")
_CLAUSE = re.compile(rb"(?:else|elif|except|finally)\b")
_TRIPLE_QUOTE = re.compile(rb'"""|\'\'\'')


class _StringTracker:
    """Whether a position is inside a triple-quoted string, judged by scanning the triple
    quotes forward from the start of the file (positions must be asked in increasing order).
    Single-quoted strings cannot span lines, so they do not matter to where a line starts."""

    def __init__(self, source: bytes):
        self.source = source
        self.position = 0
        self.open_quote: bytes | None = None

    def advance(self, to: int) -> bytes | None:
        if to > self.position:
            for match in _TRIPLE_QUOTE.finditer(self.source, self.position, to):
                quote = match.group()
                if self.open_quote is None:
                    self.open_quote = quote
                elif self.open_quote == quote:
                    self.open_quote = None
            self.position = to
        return self.open_quote


def _import_windows(source: bytes, candidates: list[int]) -> list[tuple[int, int]]:
    """Stretches of ``source`` that hold every candidate: from the start of the enclosing
    top-level statement to the end of the candidate's statement. Stretches that touch are
    merged, a stretch that would start inside a string is merged with the one before, and
    one that would end inside a string runs on to the string's end."""
    limit = _statement_end(source, candidates[-1])
    starts = [0, *(m.end() for m in _TOP_LEVEL_LINE.finditer(source, 0, limit))]
    strings = _StringTracker(source)
    windows: list[list[int]] = []
    for pos in candidates:
        if windows and pos < windows[-1][1]:
            continue  # already inside the current stretch
        i = bisect_right(starts, pos) - 1
        while i > 0:
            start = starts[i]
            before = start - 2  # the byte before the line break
            if before >= 0 and source[before] == 13:
                before -= 1
            if _CLAUSE.match(source, start) or (before >= 0 and source[before] == 92):
                i -= 1  # an else/except clause or a continued line: its statement starts further up
            else:
                break
        start, end = starts[i], _statement_end(source, pos)
        if windows and (start <= windows[-1][1] or strings.advance(start) is not None):
            windows[-1][1] = max(windows[-1][1], end)
        elif strings.advance(start) is not None:
            windows.append([0, end])
        else:
            windows.append([start, end])
        while (quote := strings.advance(windows[-1][1])) is not None:
            close = source.find(quote, strings.position)
            if close < 0:
                windows[-1][1] = len(source)
                break
            windows[-1][1] = _statement_end(source, close + 3)
    return [(a, b) for a, b in windows]


_STRING_PREFIX = re.compile(rb"[rRbBuUfF]{0,2}\Z")


def _outside_docstrings(source: bytes, candidates: list[int]) -> list[int]:
    """Candidates that are not inside a triple-quoted string, when that can be told for sure.

    Docstrings full of examples (``from fastapi import FastAPI``) otherwise
    force parsing whole classes. The triple quotes are paired in order; the
    pairing is trusted only if every opening quote stands where a string can
    start (no quote character or ``#`` before it on its line) and no closing
    quote is escaped. Otherwise every candidate is kept and tree-sitter
    decides, as always.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        match = _TRIPLE_QUOTE.search(source, pos)
        if match is None:
            break
        opening = match.start()
        before = source[_line_start(source, opening):opening]
        before = before[: len(before) - len(_STRING_PREFIX.search(before).group())]
        if b"#" in before or b'"' in before or b"'" in before:
            return candidates
        close = source.find(match.group(), opening + 3)
        if close < 0 or source[close - 1] == 92:  # unterminated, or an escaped quote: not sure
            return candidates
        spans.append((opening, close + 3))
        pos = close + 3
    if not spans:
        return candidates
    kept, i = [], 0
    for c in candidates:
        while i < len(spans) and spans[i][1] <= c:
            i += 1
        if i < len(spans) and spans[i][0] <= c < spans[i][1]:
            continue
        kept.append(c)
    return kept


def _parse_import_text(parser, source: bytes, candidates: list[int]):
    """Parse as little of ``source`` as gives every candidate its true meaning.

    Returns the tree's root and the windows that were parsed, as (start in
    ``source``, end in ``source``, start in the parsed text). The text between
    windows is replaced by its line breaks, so rows (line numbers) are those
    of the file. A parse with errors is retried on the prefix up to the last
    import, then on the whole file, so that an error is never blamed on the cut.
    """
    whole = [(0, len(source), 0)]
    windows = _import_windows(source, candidates)
    covered = sum(b - a for a, b in windows)
    if covered < _WHOLE_FILE_ABOVE * len(source):
        pieces, mapping, offset, previous = [], [], 0, 0
        for a, b in windows:
            gap = b"\n" * source.count(b"\n", previous, a)
            pieces.append(gap)
            offset += len(gap)
            pieces.append(source[a:b])
            mapping.append((a, b, offset))
            offset += b - a
            previous = b
        root = parser.parse(b"".join(pieces)).root_node
        if not root.has_error:
            return root, mapping
    end = windows[-1][1]
    if end < _WHOLE_FILE_ABOVE * len(source):
        root = parser.parse(source[:end]).root_node
        if not root.has_error:
            return root, [(0, end, 0)]
    return parser.parse(source).root_node, whole


def extract_imports(source: bytes) -> tuple[list[RawImport], int]:
    """Every import in ``source`` (a Python file's bytes) and the number of syntax errors.

    A text scan finds where imports can be (``import_candidates``); tree-sitter
    parses only the top-level statements that hold them (``_parse_import_text``),
    and each candidate is looked up in the tree (one inside a string or a
    comment is no import). Imports are exact; syntax errors are counted in the
    text that was parsed, which is the whole file whenever an error shows up in
    the windows, and otherwise leaves out the statements without imports.
    """
    candidates = _outside_docstrings(source, import_candidates(source))
    if not candidates:
        return [], 0
    root, windows = _parse_import_text(_parser(), source, candidates)

    imports: list[RawImport] = []
    seen_statements: set[int] = set()
    w = 0
    for pos in candidates:
        while w + 1 < len(windows) and windows[w][1] <= pos:
            w += 1
        shifted = pos - windows[w][0] + windows[w][2]
        node = root.descendant_for_byte_range(shifted, shifted + 6)
        for _ in range(3):  # keyword → statement; name → attribute → call
            if node is None or node.type in _IMPORT_CONTAINERS:
                break
            node = node.parent
        if node is None:
            continue
        kind = node.type
        if kind == "call":
            found = _dynamic_import(node)
            if found is not None:
                imports.append(found)
            continue
        if kind not in ("import_statement", "import_from_statement") or node.start_byte in seen_statements:
            continue
        seen_statements.add(node.start_byte)
        if kind == "import_statement":
            line = node.start_point[0] + 1
            statement_kind = _kind_of(node)
            for child in node.children_by_field_name("name"):
                name = _imported_name(child)
                if name:
                    imports.append(RawImport(name, line, statement_kind))
        else:
            found = _from_import(node, _kind_of(node))
            if found is not None:
                imports.append(found)
    imports.sort(key=lambda i: i.line)
    return imports, count_syntax_errors(root)


_IMPORT_CONTAINERS = frozenset({
    "import_statement", "import_from_statement", "future_import_statement", "call",
    "string", "comment", "block", "module", "expression_statement",
})


class PythonLanguage(Language):
    name = "python"
    extensions = (".py",)  # grimp reads .py only; stubs would duplicate module names
    version = "2"

    def parse(self, path: str, source: bytes) -> ParsedFile:
        imports, errors = extract_imports(source)
        return ParsedFile(path, self.name, imports, syntax_errors=errors)

    def resolver(self, layout: Layout) -> "PythonResolver":
        return PythonResolver(layout)


def _is_module_file(filename: str) -> bool:
    return filename.endswith(".py") and not filename.startswith(".") and filename.count(".") == 1


class PythonResolver(Resolver):
    """Module names and import resolution for one repository's Python files (see the module docstring)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.duplicates: list[tuple[str, str, str]] = []  # (skipped path, module, path chosen instead)
        init_dirs = {p[:-12] for p in layout.all_files if p.endswith("/__init__.py")}
        init_dirs |= {p[:-12] for p in layout.files if p.endswith("/__init__.py")}
        self._init_dirs = init_dirs

        # Each candidate file's outer directory: the first directory outside
        # regular packages on the way up (the package's container, or the file's own directory).
        placed: list[tuple[str, list[str], str]] = []  # (path, parts below the outer dir, outer dir)
        by_dir: dict[str, tuple[list[str], str] | None] = {}
        for path in layout.files:
            directory, _, filename = path.rpartition("/")
            if not _is_module_file(filename):
                continue
            if directory not in by_dir:
                by_dir[directory] = self._place_directory(directory)
            where = by_dir[directory]
            if where is None:
                continue
            below, outer = where
            stem = filename[:-3]
            placed.append((path, below if stem == "__init__" else [*below, stem], outer))

        roots = self._choose_source_roots(placed)

        candidates: dict[str, list[tuple[tuple[int, int, str], str]]] = {}
        namespaces: dict[str, str] = {}
        package_dirs = declared_package_dirs(layout.read_text)
        for path, below, outer in placed:
            mapped = _mapped_module(path, package_dirs) if package_dirs else None
            if mapped:
                candidates.setdefault(mapped, []).append(((0, 0 if path.endswith("__init__.py") else 1, path), path))
                continue
            outer_parts = outer.split("/") if outer else []
            depth = max(i for i in range(len(outer_parts) + 1) if "/".join(outer_parts[:i]) in roots)
            between = outer_parts[depth:]
            name_parts = between + below
            if not name_parts:
                continue  # an __init__.py directly in a source root names no module
            for i in range(1, len(between) + 1):
                namespaces.setdefault(".".join(between[:i]), "/".join(outer_parts[: depth + i]))
            is_package = path == "__init__.py" or path.endswith("/__init__.py")
            candidates.setdefault(".".join(name_parts), []).append(((depth, 0 if is_package else 1, path), path))

        self._module_of: dict[str, str] = {}
        self._path_of: dict[str, str] = {}
        for module, options in candidates.items():
            options.sort()
            chosen = options[0][1]
            self._module_of[chosen] = module
            self._path_of[module] = chosen
            for _, other in options[1:]:
                self.duplicates.append((other, module, chosen))
        self._namespaces = {n: p for n, p in namespaces.items() if n not in self._path_of}
        self._memo: dict[str, tuple[str, bool] | None] = {}
        self._top_level = {m.partition(".")[0] for m in self._path_of} | {n.partition(".")[0] for n in self._namespaces}

    def _place_directory(self, directory: str) -> tuple[list[str], str] | None:
        """(package directories from the outer directory down, outer directory), or None if excluded."""
        below: list[str] = []
        outer = directory
        while outer in self._init_dirs:
            outer, _, name = outer.rpartition("/")
            below.insert(0, name)
        ancestor = outer
        while ancestor:
            if ancestor in self._init_dirs:
                return None  # below a directory without __init__.py inside a package: grimp ignores it
            ancestor = ancestor.rpartition("/")[0]
        if not all(d.isidentifier() for d in below):
            return None
        return below, outer

    # -- source roots -------------------------------------------------------

    def _choose_source_roots(self, placed: list[tuple[str, list[str], str]]) -> set[str]:
        defaults = {""}
        outers = {outer for _, _, outer in placed}
        for outer in outers:
            parts = outer.split("/") if outer else []
            for i in range(1, len(parts) + 1):
                if parts[i - 1] == "src" or not parts[i - 1].isidentifier():
                    defaults.add("/".join(parts[:i]))
        for path, below, outer in placed:
            if len(below) > 1 or (below and path.endswith("/__init__.py")):
                defaults.add(outer)  # it directly contains a regular package
        demotable = sorted(d for d in defaults if d and d.split("/")[-1].isidentifier())
        mentioned = self._absolute_import_prefixes()
        roots = self._demote_namespace_roots(placed, defaults, demotable, mentioned)
        return self._promote_script_directories(placed, roots, mentioned)

    def _demote_namespace_roots(self, placed, defaults: set[str], demotable: list[str], mentioned: Counter) -> set[str]:
        """Default roots whose contents the code imports through a shallower root become namespace packages."""
        if not demotable:
            return set(defaults)
        # What each default root directly contains, as first module-name components.
        heads: dict[str, set[str]] = {}
        for path, below, outer in placed:
            outer_parts = outer.split("/") if outer else []
            depth = max(i for i in range(len(outer_parts) + 1) if "/".join(outer_parts[:i]) in defaults)
            rest = outer_parts[depth:] + below
            if rest:
                heads.setdefault("/".join(outer_parts[:depth]), set()).add(rest[0])

        roots = set(defaults)
        for root in demotable:
            names = heads.get(root)
            if not names:
                continue
            direct = sum(mentioned[n] for n in names)
            parts = root.split("/")
            for i in range(len(parts) - 1, -1, -1):  # nearest shallower default root first
                above = "/".join(parts[:i])
                if above not in defaults:
                    continue
                through = parts[i:]
                if not all(p.isidentifier() for p in through):
                    break
                prefix = ".".join(through)
                via = sum(mentioned[f"{prefix}.{n}"] for n in names)
                if via > direct:
                    roots.discard(root)
                    break
        return roots

    def _promote_script_directories(self, placed, roots: set[str], mentioned: Counter) -> set[str]:
        """A directory of plain modules whose files import each other by bare name
        (``from helpers import x`` in ``tests/test_a.py``, as pytest's rootdir
        insertion or running a script makes work) becomes a source root, unless that
        would give a module the name of one that exists already."""
        plain: dict[str, set[str]] = {}
        for path, names, outer in placed:
            if len(names) == 1 and outer not in roots and outer.rpartition("/")[2].isidentifier():
                plain.setdefault(outer, set()).add(names[0])
        if not plain:
            return roots
        taken = set()
        for _, names, outer in placed:
            outer_parts = outer.split("/") if outer else []
            depth = max(i for i in range(len(outer_parts) + 1) if "/".join(outer_parts[:i]) in roots)
            taken.add((outer_parts[depth:] + names)[0])
        promoted = set(roots)
        for directory, heads in sorted(plain.items()):
            if heads & taken:
                continue
            bare = 0
            for path, names, outer in placed:
                if outer == directory and len(names) == 1:
                    for imp in self.layout.parsed[path].imports:
                        if not imp.level and imp.spec.partition(".")[0] in heads:
                            bare += 1
            if not bare:
                continue
            parts = directory.split("/")
            depth = max(i for i in range(len(parts)) if "/".join(parts[:i]) in roots)
            prefix = ".".join(parts[depth:])
            if bare > sum(mentioned[f"{prefix}.{h}"] for h in heads):
                promoted.add(directory)
                taken |= heads
        return promoted

    def _absolute_import_prefixes(self) -> Counter:
        """How many absolute imports in the repository name each dotted prefix."""
        counts: Counter = Counter()
        for parsed in self.layout.parsed.values():
            for imp in parsed.imports:
                if imp.level or not imp.spec:
                    continue
                prefixes = set()
                for full in _full_names(imp):
                    parts = full.split(".")
                    for i in range(1, len(parts) + 1):
                        prefixes.add(".".join(parts[:i]))
                counts.update(prefixes)
        return counts

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return self._module_of.get(path)

    def module_path(self, module: str) -> str:
        return self._path_of.get(module) or self._namespaces[module]

    def extra_modules(self) -> dict[str, str]:
        return dict(self._namespaces)

    @property
    def modules(self) -> set[str]:
        """Every module name: those with a file and the namespace packages."""
        return set(self._path_of) | set(self._namespaces)

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        importer = self._module_of.get(parsed.path)
        if importer is None:
            return []
        is_package = parsed.path.endswith("/__init__.py")
        memo = self._memo
        seen: set[tuple[str, int, str, bool]] = set()
        resolved: list[ResolvedImport] = []
        for imp in parsed.imports:
            if imp.level:
                package_like = is_package or RELATIVE_TO_NAME in imp.names
                base = _relative_base(importer, package_like, imp.level)
                if base is None:
                    continue
                spec = f"{base}.{imp.spec}" if imp.spec else base
            else:
                spec = imp.spec
            if imp.kind == DYNAMIC or not imp.names:
                full_names = [spec]
            else:
                full_names = [spec if n == "*" else f"{spec}.{n}" if spec else n for n in imp.names]
            for full in full_names:
                target = memo.get(full, memo)
                if target is memo:
                    target = memo[full] = self._resolve_name(full)
                if target is None:
                    continue
                name, external = target
                if not external and name == importer:
                    continue
                key = (name, imp.line, imp.kind, external)
                if key not in seen:
                    seen.add(key)
                    resolved.append(ResolvedImport(name, imp.line, imp.kind, external))
        return resolved

    def _resolve_name(self, name: str) -> tuple[str, bool] | None:
        """(module, external) for an absolute imported name; None for a missing internal module."""
        if name in self._path_of or name in self._namespaces:
            return name, False
        parent = name.rpartition(".")[0]
        if parent and parent in self._path_of:
            return parent, False
        parts = name.split(".")
        if parts[0] not in self._top_level:
            return parts[0], True
        i = 1
        while i < len(parts) and ".".join(parts[:i]) in self._namespaces:
            i += 1
        # parts[:i] is the shortest prefix that is not a namespace package here.
        prefix = ".".join(parts[:i])
        if prefix in self._path_of:
            return None  # a missing module inside one of the repository's packages
        return prefix, True  # a portion of the namespace package that lives elsewhere


def declared_package_dirs(read_text) -> dict[str, str]:
    """setuptools' ``package-dir`` of pyproject.toml: directory -> package name.

    A project that installs ``graph/`` as ``cairn.graph`` imports it as
    ``cairn.graph``; its modules are named that way so those imports resolve.
    The ``""`` key (a ``src``-style root) is left to the source-root inference.
    """
    text = read_text("pyproject.toml")
    if not text or "package-dir" not in text:
        return {}
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return {}
    mapping = data.get("tool", {}).get("setuptools", {}).get("package-dir", {})
    if not isinstance(mapping, dict):
        return {}
    dirs: dict[str, str] = {}
    for package, directory in mapping.items():
        if not (isinstance(package, str) and isinstance(directory, str)) or not package:
            continue
        directory = directory.strip().removeprefix("./").strip("/")
        directory = "" if directory == "." else directory
        if all(part.isidentifier() for part in package.split(".")) and ".." not in directory.split("/"):
            dirs[directory] = package
    return dirs


def _mapped_module(path: str, package_dirs: dict[str, str]) -> str | None:
    """The module name of ``path`` under the deepest declared package directory, if any."""
    directory, _, filename = path.rpartition("/")
    probe = directory
    while True:
        package = package_dirs.get(probe)
        if package is not None:
            rest = directory[len(probe):].strip("/")
            parts = [*package.split("."), *(rest.split("/") if rest else [])]
            if not all(part.isidentifier() for part in parts):
                return None
            stem = filename[:-3]
            return ".".join(parts if stem == "__init__" else [*parts, stem])
        if not probe:
            return None
        probe = probe.rpartition("/")[0]


def _full_names(imp: RawImport) -> list[str]:
    if imp.kind == DYNAMIC or not imp.names:
        return [imp.spec]
    return [imp.spec if n == "*" else f"{imp.spec}.{n}" for n in imp.names]


def _relative_base(importer: str, is_package: bool, level: int) -> str | None:
    """grimp's base package for a relative import of ``level`` dots (None: above the source root)."""
    parts = importer.split(".")
    keep = len(parts) - level + (1 if is_package else 0)
    if keep <= 0:
        return None
    return ".".join(parts[:keep])
