"""What counts as an import in a Python file, read from tree-sitter's tree.

``extract_imports`` finds every import in a file (at any depth: inside
functions, classes, ``try``, ``if``), marks those in the body of an
``if TYPE_CHECKING:`` / ``if <x>.TYPE_CHECKING:`` as ``type_only`` (not the
``else`` branch, which runs), and records ``importlib.import_module("lit")``,
``import_module("lit")`` and ``__import__("lit")`` with a literal string as
``dynamic``. ``from __future__ import …`` is a compiler directive, not a
dependency, and is left out. Line numbers are 1-based, the statement's first
line. Only the stretches ``scan`` picks are parsed; each candidate is then
looked up in the tree, so one inside a string or comment is no import.
"""

from __future__ import annotations

import re

from cairn.ingest.code.base import DYNAMIC, RUNTIME, TYPE_ONLY, RawImport, count_syntax_errors, parser_and_cursor
from cairn.ingest.code.python.scan import import_candidates, outside_docstrings, parse_import_text

# Marker in RawImport.names of a dynamic relative import whose package argument
# is ``__name__``: relative to the importing module itself rather than to its
# package (they differ for a module that is not a package's ``__init__``).
RELATIVE_TO_NAME = "__name__"


def parser():
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


def extract_imports(source: bytes) -> tuple[list[RawImport], int]:
    """Every import in ``source`` (a Python file's bytes) and the number of syntax errors.

    A text scan finds where imports can be (``import_candidates``); tree-sitter
    parses only the top-level statements that hold them (``scan.parse_import_text``),
    and each candidate is looked up in the tree (one inside a string or a
    comment is no import). Imports are exact; syntax errors are counted in the
    text that was parsed, which is the whole file whenever an error shows up in
    the windows, and otherwise leaves out the statements without imports.
    """
    candidates = outside_docstrings(source, import_candidates(source))
    if not candidates:
        return [], 0
    root, windows = parse_import_text(parser(), source, candidates)

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

