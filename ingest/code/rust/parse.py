"""What a Rust file says about its modules, read from its tree-sitter tree (``tree-sitter-rust``).

One file's parse is a list of RawImports, each with a marker in ``names`` saying what it is:

* a ``use`` path (``names == ()``): each leaf of a use tree (``use crate::{a::B, c::*}`` gives ``crate::a::B`` and
  ``crate::c::*``; ``d::{self, e as f}`` gives ``d`` and ``d::e``: an ``as`` rename is the file's own name for it);
  ``use`` inside functions and blocks too;
* ``PATH``: a path written in the code (``crate::x::f()``, ``grep_searcher::Searcher::new()``, a type, a macro
  ``log::info!``), each distinct path once, at its first line. Paths inside a macro's arguments are tokens, not
  paths, to tree-sitter: they are not read. A path of one name (``f()``) or whose generics come before its end
  (``Vec::<u8>::new``, ``<T as Tr>::f``) is not kept;
* ``MOD``: ``mod foo;`` (a module in a file of its own): spec ``foo``, or ``a::b::foo`` inside inline modules
  ``mod a { mod b { mod foo; } }``; ``names == (MOD, path)`` when a ``#[path = "…"]`` attribute names its file
  (outside inline modules only; inside one it is not followed); ``names == (MOD, path or "", TESTS)`` when it is
  in a ``#[cfg(test)]`` item or is one (``#[cfg(test)] mod tests;``);
* ``EXTERN``: ``extern crate foo;`` (spec ``foo``), ``extern crate foo as bar;`` (``names == (EXTERN, "bar")``).

Paths are written with ``::``. They are made relative to the file before resolution, which sees no tree:

* ``crate::…`` and ``::name::…`` (an extern crate) stay as written;
* ``self::…`` and ``super::…`` become ``self::<the inline modules they are in, less the supers>::…``, with
  ``RawImport.level`` the supers left over (each a step up from the file's own module): ``use super::*`` in
  ``mod tests { … }`` is ``self::*`` at level 0, the file itself;
* a path whose first name is a module (``mod x``) or item (``enum``, ``struct``, ``trait``, ``union``, ``type``)
  declared in the same scope becomes ``self::…`` too (Rust 2018's paths start from the current scope); any other
  first name stays as written, for the resolver to find a crate by it, unless it starts with a capital
  (``Self::new``, ``String::from``, an imported enum's ``Ordering::Less``: a type, never a crate): not kept.

``#[cfg(test)]`` items (``mod tests { … }``, a single function or ``use``; also ``#[cfg(all(test, …))]``) are the
file's unit tests: nothing in them is read but their ``mod x;`` declarations (their files are modules of the crate,
the tests' too: ``resolver``). A Rust module is a file, and Cairn tells a test's imports from code's by the file they
are in (``graph.testcode``): the unit tests' imports (``use super::*``, dev-dependencies) would be the code's, so
they are left out.

The cost is linear in the file: one parse, one query over the tree (in C), one sort of what it finds; use trees
are walked without recursion.
"""

from __future__ import annotations

from cairn.ingest.code.base import RUNTIME, RawImport, count_syntax_errors, parser_and_cursor

PATH = "<path>"
MOD = "<mod>"
EXTERN = "<extern crate>"
#: Marks a ``mod x;`` of a ``#[cfg(test)]`` item: its file is the tests' (``names == (MOD, path or "", TESTS)``).
TESTS = "<tests>"

_QUERY_SOURCE = """
(use_declaration) @use
(mod_item) @mod
(extern_crate_declaration) @extern
(attribute_item) @attribute
(scoped_identifier) @path
(scoped_type_identifier) @path
(enum_item name: (type_identifier) @item)
(struct_item name: (type_identifier) @item)
(union_item name: (type_identifier) @item)
(trait_item name: (type_identifier) @item)
(type_item name: (type_identifier) @item)
"""

#: A scoped path's parent when the path is part of a longer one or of a ``use`` (read whole, as a tree).
_NOT_OUTERMOST = frozenset({"scoped_identifier", "scoped_type_identifier", "use_declaration", "use_list",
                            "scoped_use_list", "use_as_clause", "use_wildcard", "visibility_modifier"})
#: The nodes a path's first segment can be.
_FIRST = frozenset({"identifier", "crate", "self", "super", "type_identifier"})
_RELATIVE = ("self", "super")


def _machinery():
    import tree_sitter_rust

    return parser_and_cursor("rust", tree_sitter_rust.language, _QUERY_SOURCE)


def _text(node) -> str:
    text = node.text.decode("utf-8", "replace")
    return text[2:] if text.startswith("r#") else text


def _segments(node) -> list[str] | None:
    """The names of a path (``a::b::C`` → ``["a", "b", "C"]``, ``::a::b`` → ``["", "a", "b"]``), or None for one that
    is not a plain path (``<T as Tr>::f``, ``Vec::<u8>::new``, ``$crate::x``)."""
    names: list[str] = []
    while node is not None and node.type in ("scoped_identifier", "scoped_type_identifier"):
        name = node.child_by_field_name("name")
        if name is None:
            return None
        names.append(_text(name))
        node = node.child_by_field_name("path")
    if node is None:
        names.append("")  # `::a::b`: an extern crate
    elif node.type in _FIRST:
        names.append(_text(node))
    else:
        return None
    names.reverse()
    return names


def _use_leaves(declaration) -> list[list[str]]:
    """The paths a ``use`` declaration names, one per leaf of its tree (a glob ends in ``*``)."""
    tree = declaration.child_by_field_name("argument")
    if tree is None:
        return []
    leaves: list[list[str]] = []
    stack: list[tuple[object, list[str]]] = [(tree, [])]
    while stack:
        node, prefix = stack.pop()
        kind = node.type
        if kind == "use_as_clause":
            node = node.child_by_field_name("path")
            if node is None:
                continue
            kind = node.type
        if kind == "scoped_use_list":
            path = node.child_by_field_name("path")
            here = prefix if path is None else prefix + (_segments(path) or [])
            if path is None and node.children and node.children[0].type == "::":
                here = prefix + [""]
            listed = node.child_by_field_name("list")
            if listed is not None:
                stack.extend((child, here) for child in reversed(listed.named_children))
        elif kind == "use_list":
            stack.extend((child, prefix) for child in reversed(node.named_children))
        elif kind == "use_wildcard":
            path = next((c for c in node.named_children), None)
            leaves.append(prefix + (_segments(path) or [] if path is not None else []) + ["*"])
        elif kind == "self" and prefix:
            leaves.append(prefix)
        else:
            names = _segments(node)
            if names:
                leaves.append(prefix + names)
    return [leaf for leaf in leaves if leaf and leaf != ["*"]]


def _is_cfg_test(attribute) -> bool:
    """Whether an attribute compiles its item for tests alone: ``#[cfg(test)]``, or ``#[cfg(all(…))]`` with ``test``
    among the conditions (tokio's ``#[cfg(all(test, not(loom)))]``); not ``any(test, …)`` nor ``not(…)``."""
    text = "".join(attribute.text.decode("utf-8", "replace").split())
    if not (text.startswith("#[cfg(") and text.endswith(")]")):
        return False
    condition = text[6:-2]
    if condition == "test":
        return True
    if not (condition.startswith("all(") and condition.endswith(")")):
        return False
    depth, start = 0, 4
    for at, char in enumerate(condition[4:-1], 4):  # the conditions of all(…), split at its own commas
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            if condition[start:at] == "test":
                return True
            start = at + 1
    return condition[start:-1] == "test"


def _attributed_items(attributes) -> dict[int, object]:
    """Each outer attribute's (``#[…]``) item, by the attribute's id: the next sibling that is neither an attribute
    nor a comment. Found from the last attribute back, each attribute's search stopping at the next attribute's
    answer, so a long run of attributes costs its length."""
    found: dict[int, object] = {}
    for attribute in sorted(attributes, key=lambda n: n.start_byte, reverse=True):
        node = attribute.next_named_sibling
        while node is not None and node.type in ("line_comment", "block_comment"):
            node = node.next_named_sibling
        if node is not None and node.type == "attribute_item":
            node = found.get(node.id)
        found[attribute.id] = node
    return found


def _path_attribute(attribute) -> str | None:
    """``p`` of ``#[path = "p"]``."""
    inner = next((c for c in attribute.named_children if c.type == "attribute"), None)
    if inner is None or not inner.named_children or _text(inner.named_children[0]) != "path":
        return None
    value = inner.child_by_field_name("value")
    if value is None or value.type != "string_literal":
        return None
    content = [c for c in value.named_children if c.type == "string_content"]
    return _text(content[0]) if len(content) == 1 else None


def extract(source: bytes) -> tuple[list[RawImport], int]:
    """(what the file declares and imports, as RawImports (see the module docstring), syntax errors)."""
    parser, cursor = _machinery()
    root = parser.parse(source).root_node
    captures = cursor.captures(root)

    tests: list[tuple[int, int]] = []  # byte ranges of #[cfg(test)] items
    path_attributes: dict[int, str] = {}  # start byte of a `mod x;` -> its #[path]
    attributes = captures.get("attribute", ())
    items = _attributed_items(attributes) if attributes else {}
    for attribute in attributes:
        item = items[attribute.id]
        if item is None:
            continue
        if _is_cfg_test(attribute):
            tests.append((item.start_byte, item.end_byte))
        elif item.type == "mod_item":
            found = _path_attribute(attribute)
            if found:
                path_attributes[item.start_byte] = found

    # every node of interest in source order, with the inline modules it is in
    events: list[tuple[int, int, str, object]] = []  # (start, -end, kind, node)
    for kind in ("use", "mod", "extern", "item", "path"):
        for node in captures.get(kind, ()):
            if kind == "path" and (node.parent is None or node.parent.type in _NOT_OUTERMOST):
                continue
            events.append((node.start_byte, -node.end_byte, kind, node))
    events.sort(key=lambda e: (e[0], e[1]))
    tests.sort()

    scopes: list[tuple[int, tuple[str, ...]]] = []  # open inline modules: (end byte, scope)
    open_tests: list[int] = []  # ends of the open #[cfg(test)] items
    next_test = 0
    declared: dict[tuple[str, ...], set[str]] = {}  # scope -> modules and items declared in it
    found: list[tuple[list[str], tuple[str, ...], int, str, tuple[str, ...]]] = []  # (path, scope, line, kind, names)
    imports: list[RawImport] = []
    for start, _, kind, node in events:
        while scopes and scopes[-1][0] <= start:
            scopes.pop()
        while open_tests and open_tests[-1] <= start:
            open_tests.pop()
        while next_test < len(tests) and tests[next_test][0] <= start:
            if tests[next_test][1] > start:
                open_tests.append(tests[next_test][1])
            next_test += 1
        scope = scopes[-1][1] if scopes else ()
        line = node.start_point[0] + 1
        if kind == "mod":
            name = node.child_by_field_name("name")
            if name is None:
                continue
            module = _text(name)
            declared.setdefault(scope, set()).add(module)
            if node.child_by_field_name("body") is not None:
                scopes.append((node.end_byte, scope + (module,)))
            else:
                attribute = path_attributes.get(node.start_byte) if not scope else None
                names = (MOD, attribute or "", TESTS) if open_tests else (MOD, attribute) if attribute else (MOD,)
                imports.append(RawImport("::".join(scope + (module,)), line, RUNTIME, names=names))
            continue
        if kind == "item":
            declared.setdefault(scope, set()).add(_text(node))
            continue
        if open_tests:
            continue
        if kind == "extern":
            name = node.child_by_field_name("name")
            alias = node.child_by_field_name("alias")
            if name is not None and _text(name) != "self":
                names = (EXTERN, _text(alias)) if alias is not None else (EXTERN,)
                imports.append(RawImport(_text(name), line, RUNTIME, names=names))
        elif kind == "use":
            found.extend((leaf, scope, line, kind, ()) for leaf in _use_leaves(node))
        else:
            names = _segments(node)
            if names and len(names) > 1 and not names[0][:1].isupper():
                found.append((names, scope, line, kind, (PATH,)))

    seen_paths: set[tuple[str, int]] = set()
    for names, scope, line, kind, marker in found:
        spec, level = _relative_to_file(names, scope, declared)
        if spec is None:
            continue
        if marker:
            if (spec, level) in seen_paths:
                continue
            seen_paths.add((spec, level))
        imports.append(RawImport(spec, line, RUNTIME, level=level, names=marker))
    imports.sort(key=lambda i: i.line)
    return imports, count_syntax_errors(root)


def _relative_to_file(names: list[str], scope: tuple[str, ...], declared: dict) -> tuple[str | None, int]:
    """(spec, level) of a path in ``scope`` (the inline modules it is in): see the module docstring."""
    first = names[0]
    if first in _RELATIVE:
        base = list(scope)
        level = 0
        rest = names[1:] if first == "self" else names
        while rest and rest[0] == "super":
            rest = rest[1:]
            if base:
                base.pop()
            else:
                level += 1
        return "::".join(["self", *base, *rest]), level
    if first == "crate" or first == "":
        return "::".join(names), 0
    if first in declared.get(scope, ()):
        return "::".join(["self", *scope, *names]), 0
    if first[:1].isupper():
        return None, 0
    return "::".join(names), 0
