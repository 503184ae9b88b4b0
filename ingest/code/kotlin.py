"""Kotlin file headers with tree-sitter: the package, the imports and the top-level names a file declares.

Kotlin and Java classes import each other (an Android app, okhttp's Java tests of its Kotlin code), so Kotlin is
read by the Java language (``java.JavaLanguage``, as JavaScript and TypeScript share one language) and resolved by
its resolver; this module only reads a ``.kt`` file (``ParsedFile.language`` ``"kotlin"``):

* ``package a.b`` → ``ParsedFile.package``;
* ``import a.b.C`` → spec ``a.b.C``; ``import a.b.C as D`` → spec ``a.b.C``, ``names=("D",)`` (the alias is the
  file's own name for it); ``import a.b.*`` → spec ``a.b.*``. Backquoted parts are read without their quotes.
* ``USES``: when the file has a wildcard import (``import a.b.*``), one RawImport of spec ``USES`` (line 0) whose
  ``names`` are every identifier the file's code uses after its headers, each once, sorted: what a wildcard import
  can bring into the file is only what the file names, so the resolver keeps the wildcard's edges to the files of
  ``a.b`` declaring one of these names, as the compiler does (``java.JavaResolver``). A superset: a local variable
  spelled like a declaration of the package counts; names only inside string templates (``"$x"``) or KDoc do not.
* every top-level declaration's name (classes, interfaces, objects, type aliases, functions, properties) and the
  name a ``@file:JvmName("N")`` annotation gives the file's facade class, as RawImports marked
  ``names=(DECLARES,)`` at their line (``(DECLARES, TYPE)`` for a class, interface, object, type alias or facade
  class): Kotlin does not tie a class to its file name, so resolving ``import a.b.foo`` or ``import a.b.Thing``
  needs to know which file of package ``a.b`` declares it.

* ``REFERENCE``: each capitalised identifier the code uses that the file neither declares at its top level nor imports
  by name (or alias), once, at its first line: a class, object, interface or type alias of the file's own package,
  which Kotlin, as Java, uses without an import, when the repository declares a type of that name there
  (``TYPE``; ``java.JavaResolver``, as Java's type references). Exposed's ``Table.kt`` uses ``Column``, ``Expression`` and
  ``Op`` of its own package ``org.jetbrains.exposed.v1.core``: 18 edges, none to them, before. A superset as Java's
  is (an enum entry, a nested class or a type parameter spelled like a class of the package counts); a top-level function or
  property named in lower case, the rest of what a package shares, is not read (a local variable is spelled so).

Kotlin scripts (``.kts``, ``.ktm``: Gradle build files) are read the same way but are no module
(``java.JavaResolver``).
"""

from __future__ import annotations

import re

from cairn.ingest.code.base import RUNTIME, ParsedFile, RawImport, count_syntax_errors, parser_and_cursor

KOTLIN_EXTENSIONS = (".kt", ".kts", ".ktm")
KOTLIN_SCRIPT_EXTENSIONS = (".kts", ".ktm")

#: Marks a RawImport that is a name the file declares at its top level, not an import.
DECLARES = "<declares>"
#: Beside ``DECLARES``: the name is a class, interface, object or type alias (or the file's facade class), which a
#: class name used without an import (``REFERENCE``) can mean; a top-level function or property it cannot (okhttp's
#: ``fun String(vararg codePoints: Int)`` in okhttp-testing-support's ``TestUtilCommon.kt`` is no class ``String``).
TYPE = "<type>"
#: The spec of the RawImport whose names are the identifiers a file with a wildcard import uses.
USES = "<uses>"
#: Marks a RawImport that is a class name used in the code, not an import statement: Java's type references, Kotlin's
#: capitalised names (a same-package class when the repository has one: ``java.JavaResolver``).
REFERENCE = "<reference>"

_DECLARATIONS = frozenset({"class_declaration", "object_declaration", "function_declaration", "type_alias"})


def _machinery():
    import tree_sitter_kotlin

    return parser_and_cursor("kotlin", tree_sitter_kotlin.language, "(identifier) @name")


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _dotted(node) -> str:
    """A qualified identifier's parts joined by dots, without quotes, whitespace or comments between them."""
    return ".".join(_text(part).strip("`") for part in node.named_children if part.type == "identifier")


def _declared_names(node) -> list[tuple[str, object, bool]]:
    """(name, node, whether it is a type) of what a top-level declaration declares."""
    if node.type in _DECLARATIONS:
        name = node.child_by_field_name("name") or node.child_by_field_name("type")
        if name is None:
            return []
        if name.type != "identifier":  # `typealias Foo<T> = …`: the name is the identifier inside
            name = next((c for c in name.named_children if c.type == "identifier"), None)
        return [] if name is None else [(_text(name).strip("`"), name, node.type != "function_declaration")]
    if node.type == "property_declaration":
        found = []
        for child in node.named_children:
            if child.type == "variable_declaration":
                found += [(_text(c).strip("`"), c, False) for c in child.named_children[:1] if c.type == "identifier"]
            elif child.type == "multi_variable_declaration":
                for var in child.named_children:
                    found += [(_text(c).strip("`"), c, False) for c in var.named_children[:1] if c.type == "identifier"]
        return found
    return []


# a declaration's keyword and name, in text the grammar did not read as declarations
_DECLARATION_TEXT = re.compile(
    r"\b(?:class|interface|object|typealias)\s+`?(\w+)"
    r"|\bfun\s+(?:<[^>]*>\s*)?(?:[\w.?]+(?:<[^>]*>)?\??\.)?`?(\w+)`?\s*\("
    r"|\b(?:val|var)\s+(?:<[^>]*>\s*)?(?:[\w.?]+(?:<[^>]*>)?\??\.)?`?(\w+)")
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def _misparsed(node) -> list[tuple[str, object, bool]]:
    """(name, node) of the declarations in a top-level node the grammar did not read as one: tree-sitter-kotlin 1.1
    reads an annotation with arguments over several lines (``@RequiresOptIn(\n level = …\n)``) at the top level
    as an expression that swallows the declarations after it, ``public annotation class InternalAPI`` among them
    (ktor's io.ktor.utils.io.Annotations.kt declared nothing, so no import of InternalAPI resolved). Only the text at
    depth 0 of braces and parentheses is read, comments left out: a body's members and an annotation's strings
    declare nothing at the top level."""
    if node.type in ("block_comment", "line_comment", "file_annotation"):
        return []
    text = _COMMENT.sub(" ", _text(node))
    top, depth = [], 0
    for char in text:
        if char in "({":
            top.append(" " if depth else char)
            depth += 1
        else:
            depth -= char in ")}" and depth > 0
            top.append(" " if depth else char)
    return [(next(filter(None, m.groups())), node, m.group(1) is not None) for m in _DECLARATION_TEXT.finditer("".join(top))]


def _jvm_name(annotation) -> str | None:
    """The facade class name of ``@file:JvmName("N")``, else None."""
    call = next((c for c in annotation.named_children if c.type == "constructor_invocation"), None)
    if call is None or call.named_children[:1] == [] or _text(call.named_children[0]) not in ("JvmName", "kotlin.jvm.JvmName"):
        return None
    content = [n for n in _walk(call) if n.type == "string_content"]
    return _text(content[0]) if len(content) == 1 else None


def _walk(node):
    yield node
    for child in node.named_children:
        yield from _walk(child)


def extract_headers(source: bytes) -> tuple[list[RawImport], str | None, int]:
    """(imports and declared names, package, syntax errors) of a Kotlin file's bytes."""
    parser, cursor = _machinery()
    root = parser.parse(source).root_node
    package = None
    imports: list[RawImport] = []
    declared: set[str] = set()  # (overloads: each name once, at its first line)
    headers_end = 0  # where the package and import headers end: their identifiers are no use of a name
    wildcard = False
    for node in root.named_children:
        kind = node.type
        if kind in ("package_header", "import"):
            headers_end = max(headers_end, node.end_byte)
        if kind == "package_header":
            name = next((c for c in node.named_children if c.type == "qualified_identifier"), None)
            if name is not None and package is None:
                package = _dotted(name)
        elif kind == "import":
            name = next((c for c in node.named_children if c.type == "qualified_identifier"), None)
            if name is None:
                continue
            spec = _dotted(name)
            alias = next((c for c in node.named_children if c.type == "identifier"), None)
            if any(c.type == "*" for c in node.children):
                spec += ".*"
                wildcard = True
            names = (_text(alias).strip("`"),) if alias is not None else ()
            imports.append(RawImport(spec, node.start_point[0] + 1, RUNTIME, names=names))
        elif kind == "file_annotation":
            facade = _jvm_name(node)
            if facade and facade not in declared:
                declared.add(facade)
                imports.append(RawImport(facade, node.start_point[0] + 1, RUNTIME, names=(DECLARES, TYPE)))
        else:
            declaration = kind in _DECLARATIONS or kind == "property_declaration"
            for name, at, a_type in _declared_names(node) if declaration else _misparsed(node):
                if name and name not in declared:
                    declared.add(name)
                    imports.append(RawImport(name, at.start_point[0] + 1, RUNTIME,
                                             names=(DECLARES, TYPE) if a_type else (DECLARES,)))
    named = {i.names[0] if i.names else i.spec.rpartition(".")[2] for i in imports if DECLARES not in i.names}
    first_use: dict[bytes, int] = {}  # a capitalised identifier -> where it is first used (its first byte)
    used: set[bytes] = set()
    for node in cursor.captures(root).get("name", ()):
        at = node.start_byte
        if at < headers_end:
            continue
        text = node.text
        if wildcard:
            used.add(text)
        if (text[1:2] if text[:1] == b"`" else text[:1]).isupper() and at < first_use.get(text, at + 1):
            first_use[text] = at
    references: dict[str, int] = {}
    line, counted = 1, 0  # (the lines counted once through the file, the first uses in order: not from its start each)
    for text, at in sorted(first_use.items(), key=lambda use: use[1]):
        line += source.count(b"\n", counted, at)
        counted = at
        name = text.decode("utf-8", "replace").strip("`")
        if name not in declared and name not in named and references.get(name, line + 1) > line:
            references[name] = line
    imports.extend(RawImport(name, line, RUNTIME, names=(REFERENCE,))
                   for name, line in sorted(references.items(), key=lambda r: (r[1], r[0])))
    if wildcard:
        names = {n.decode("utf-8", "replace").strip("`") for n in used}
        imports.append(RawImport(USES, 0, RUNTIME, names=tuple(sorted(names))))
    return imports, package, count_syntax_errors(root)


def parse_kotlin(path: str, source: bytes) -> ParsedFile:
    imports, package, errors = extract_headers(source)
    return ParsedFile(path, "kotlin", imports, package=package, syntax_errors=errors)
