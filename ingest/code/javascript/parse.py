"""What counts as an import in a JavaScript or TypeScript file, read with tree-sitter.

One language covers ``.js .jsx .mjs .cjs`` (tree-sitter-javascript, which also
reads JSX) and ``.ts .mts .cts`` / ``.tsx`` (tree-sitter-typescript's two
grammars), because JS and TS files import each other and need one resolver.
``ParsedFile.language`` says ``"javascript"`` or ``"typescript"`` per file.

* ``import … from 'x'``, ``import 'x'``, ``export … from 'x'``,
  ``export * from 'x'``, ``require('x')`` and TS ``import x = require('x')``:
  ``runtime``;
* ``import('x')``: ``dynamic`` — unless it sits in a type position
  (``typeof import('x')``, ``let a: import('x').T``), which is ``type_only``;
* ``import type …``, ``export type …``, ``import type x = require('x')``,
  ``export type * from`` and named imports/exports whose every name is marked
  ``type`` (``import { type A, type B } from``): ``type_only``. Flow's
  ``import type`` / ``import typeof`` in ``.js`` files (which the JS grammar
  reads as an error followed by an import) count as ``type_only`` too.
* in a JavaScript file, the imports its JSDoc writes (``@import``, ``import('x')`` in a tag's type: ``jsdoc``):
  ``type_only``. TypeScript reads no types from a TypeScript file's JSDoc.
* every import of a declaration file (``.d.ts``, ``.d.mts``, ``.d.cts``, ``.d.css.ts``) is ``type_only``: such a
  file has no code that runs.
* Only string literals (and template literals without substitutions) count;
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from cairn.ingest.code.base import DYNAMIC, RUNTIME, TYPE_ONLY, RawImport, count_syntax_errors, parser_and_cursor
from cairn.ingest.code.javascript.jsdoc import jsdoc_imports

JS_EXTENSIONS = (".js", ".jsx", ".mjs", ".cjs")
TS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts")

_COMMON_QUERY = """
(import_statement source: (string) @source) @import
(export_statement source: (string) @source) @export
(call_expression
  function: (import)
  arguments: (arguments . [(string) (template_string)] @source)) @dynamic
(call_expression
  function: (identifier) @fn
  arguments: (arguments . [(string) (template_string)] @source)
  (#eq? @fn "require")) @require
"""
_JS_QUERY = _COMMON_QUERY + """
(comment) @comment
"""
_TS_QUERY = _COMMON_QUERY + """
(import_statement (import_require_clause source: (string) @source)) @import_require
"""

# Node types whose subtree is a type, where `import('x')` names a type, not a value.
_TYPE_CONTEXTS = frozenset(
    {
        "type_annotation",
        "type_query",
        "type_alias_declaration",
        "interface_declaration",
        "type_arguments",
        "type_parameters",
        "generic_type",
        "lookup_type",
        "index_type_query",
        "opting_type_annotation",
        "omitting_type_annotation",
        "asserts_annotation",
        "type_predicate_annotation",
    }
)
_TYPE_CONTEXT_DEPTH = 40

def _machinery(grammar: str):
    """(parser, query cursor) for "javascript", "typescript" or "tsx"."""
    if grammar == "javascript":
        import tree_sitter_javascript

        return parser_and_cursor("javascript", tree_sitter_javascript.language, _JS_QUERY)
    import tree_sitter_typescript

    raw = tree_sitter_typescript.language_tsx if grammar == "tsx" else tree_sitter_typescript.language_typescript
    return parser_and_cursor(grammar, raw, _TS_QUERY)


def _grammar_for(path: str) -> str:
    suffix = PurePosixPath(path).suffix
    if suffix == ".tsx":
        return "tsx"
    if suffix in TS_EXTENSIONS:
        return "typescript"
    return "javascript"


#: A TypeScript declaration file, TypeScript 5's for other files (``styles.d.css.ts``) too
_DECLARATION_FILE = re.compile(r"\.d(?:\.[^./]+)?\.[mc]?ts\Z")


def is_declaration_file(path: str) -> bool:
    """Whether ``path`` is a TypeScript declaration file (``.d.ts``, ``.d.mts``, ``.d.cts``, ``.d.css.ts``)."""
    return _DECLARATION_FILE.search(path) is not None

_ESCAPE = re.compile(r"\\(.)")


def _literal(node) -> str | None:
    """The value of a string literal or a template literal without substitutions."""
    if node.type == "template_string" and any(c.type == "template_substitution" for c in node.named_children):
        return None
    text = node.text[1:-1].decode("utf-8", "replace")
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


def _marked_type(statement) -> bool:
    """Whether an import/export statement carries `type` (or Flow's `typeof`) right after its keyword."""
    for child in statement.children:
        if child.type == "type" and not child.is_named:
            return True
        if child.type == "ERROR" and child.text in (b"type", b"typeof"):
            return True
        if child.is_named and child.type != "ERROR":
            return False
    return False


def _all_names_typed(statement) -> bool:
    """`import { type A, type B }` / `export { type A }`: every named specifier marked `type`, and nothing else imported."""
    clause = next((c for c in statement.named_children if c.type in ("import_clause", "export_clause")), None)
    if clause is None:
        return False
    specifier_type = "import_specifier" if clause.type == "import_clause" else "export_specifier"
    if clause.type == "import_clause":
        if clause.named_child_count != 1 or clause.named_children[0].type != "named_imports":
            return False  # a default or namespace import brings a value
        specifiers = [c for c in clause.named_children[0].named_children if c.type == specifier_type]
    else:
        specifiers = [c for c in clause.named_children if c.type == specifier_type]
    return bool(specifiers) and all(any(c.type == "type" and not c.is_named for c in s.children) for s in specifiers)


def _in_type_position(node) -> bool:
    parent = node.parent
    for _ in range(_TYPE_CONTEXT_DEPTH):
        if parent is None:
            return False
        if parent.type in _TYPE_CONTEXTS:
            return True
        parent = parent.parent
    return False


def extract_imports(path: str, source: bytes) -> tuple[list[RawImport], int]:
    """Every import in a JS/TS file's bytes (as written) and the number of syntax errors."""
    parser, cursor = _machinery(_grammar_for(path))
    root = parser.parse(source).root_node
    imports: list[RawImport] = []
    for _, captures in cursor.matches(root):
        if "comment" in captures:
            text = captures["comment"][0].text
            if text.startswith(b"/**") and b"import" in text:
                imports += jsdoc_imports(text.decode("utf-8", "replace"), captures["comment"][0].start_point[0] + 1)
            continue
        spec = _literal(captures["source"][0])
        if not spec:
            continue
        if "import" in captures:
            statement = captures["import"][0]
            typed = _marked_type(statement) or _all_names_typed(statement)
            imports.append(RawImport(spec, statement.start_point[0] + 1, TYPE_ONLY if typed else RUNTIME))
        elif "export" in captures:
            statement = captures["export"][0]
            typed = _marked_type(statement) or _all_names_typed(statement)
            imports.append(RawImport(spec, statement.start_point[0] + 1, TYPE_ONLY if typed else RUNTIME))
        elif "import_require" in captures:
            statement = captures["import_require"][0]
            imports.append(RawImport(spec, statement.start_point[0] + 1, TYPE_ONLY if _marked_type(statement) else RUNTIME))
        elif "dynamic" in captures:
            call = captures["dynamic"][0]
            kind = TYPE_ONLY if _in_type_position(call) else DYNAMIC
            imports.append(RawImport(spec, call.start_point[0] + 1, kind))
        elif "require" in captures:
            imports.append(RawImport(spec, captures["require"][0].start_point[0] + 1, RUNTIME))
    if is_declaration_file(path):
        imports = [i if i.kind == TYPE_ONLY else i._replace(kind=TYPE_ONLY) for i in imports]
    imports.sort(key=lambda i: i.line)
    return imports, count_syntax_errors(root, _valid_but_unknown)


def _valid_but_unknown(error) -> bool:
    """Valid code the grammars (tree-sitter-typescript 0.23, the latest) parse as an ERROR: TypeScript 5.0's
    ``export type * from "…"`` (and ``as ns``), an ERROR holding ``type`` (read as a type-only export:
    ``_marked_type``); an ``&`` in a JSX attribute's string that starts no HTML entity (``href="…?a=1&b=2"``)."""
    parent = error.parent
    if parent is None:
        return False
    if error.text == b"type" and parent.type == "export_statement":
        return any(c.type == "*" or c.type == "namespace_export" for c in parent.children)
    return parent.type == "string" and parent.parent is not None and parent.parent.type == "jsx_attribute"
