"""The imports a JavaScript file writes in its JSDoc: the types it takes from other modules.

A JavaScript project typed with JSDoc (checked by ``tsc --checkJs``) names another module's types in its doc comments,
never in code: TypeScript 5.5's ``@import`` tag (``/** @import { A, B } from 'x' */``, ``@import * as ns from 'x'``,
``@import D from 'x'``) and ``import('x')`` inside a tag's type braces (``@param {import('x').T} a``, ``@typedef
{import('./y')} Y``, a type over several lines: ``@type {{ a: import('x').A; }}``). Both are ``type_only`` imports of
the module, as TypeScript reads them.

Only doc comments (``/**``) are read, and in them only what TypeScript reads as a tag: one that opens a line (after
the comment's ``*``); a tag's type is the braces right after its name (not ``{@link …}``). Prose is not: the text of
an ``@example`` tag (to the next tag) and Markdown code fences hold examples of how a caller imports the module, not
imports of the file. A comment is read once, line by line: its cost is its size.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from cairn.ingest.code.base import TYPE_ONLY, RawImport

#: A line's text after its indentation and the comment's ``*``: where a tag may open
_LINE_START = re.compile(r"[ \t]*(?:\*(?!/))?[ \t]*")
_TAG = re.compile(r"@([A-Za-z]+)")
_FENCE = re.compile(r"(?:```|~~~)")
#: ``@import`` with the clause TypeScript allows (a default name, ``{ names }``, ``* as ns``, or a default and one of
#: the others) and its module; possessive, so a tag without ``from`` fails in time linear in its text (backtracking
#: over a name's spaces took 5 s for 40,000 of them, and grew with their square)
_IMPORT_TAG = re.compile(
    r"@import\s++(?:type\s++)?(?:[\w$]++\s*+(?:,\s*+)?)?(?:\{[^{}]*+\}|\*\s*+as\s++[\w$]++)?\s*+from\s*+(['\"])([^'\"\n]+)\1")
_TYPE_IMPORT = re.compile(r"\bimport\s*\(\s*(['\"`])([^'\"`\n]+)\1\s*\)")
#: Tags whose text is prose, never a type: what it holds is an example of the module's use
_PROSE_TAGS = frozenset({"example"})


def jsdoc_imports(comment: str, first_line: int) -> list[RawImport]:
    """The ``type_only`` imports of a comment's text (``/** … */``) that starts on line ``first_line`` (1-based)."""
    if not comment.startswith("/**") or comment.startswith("/**/") or "import" not in comment:
        return []
    imports: list[RawImport] = []
    for tag, text, lines in _tags(comment):
        if tag == "import":
            found = _IMPORT_TAG.match(text)
            if found:
                imports.append(RawImport(found.group(2), first_line + lines[0][1], TYPE_ONLY))
            continue
        braces = _type_braces(text, len(tag) + 1)
        if braces is None:
            continue
        start, end = braces
        for found in _TYPE_IMPORT.finditer(text, start, end):
            imports.append(RawImport(found.group(2), first_line + _line_at(lines, found.start()), TYPE_ONLY))
    return imports


def _tags(comment: str):
    """Each tag of the comment that is not prose: (its name, its text from the ``@`` to the next tag, with the lines'
    ``*`` left out, and (offset in that text, line in the comment) of each of its lines)."""
    tag: str | None = None
    parts: list[str] = []
    lines: list[tuple[int, int]] = []
    length = 0
    fenced = False
    body = comment[3:-2] if comment.endswith("*/") else comment[3:]
    for number, line in enumerate(body.split("\n")):
        text = line[_LINE_START.match(line).end():] if number else line.lstrip(" \t")
        if _FENCE.match(text):
            fenced = not fenced
            continue
        opened = None if fenced else _TAG.match(text)
        if opened is not None:
            if tag is not None and tag not in _PROSE_TAGS:
                yield tag, "\n".join(parts), lines
            tag, parts, lines, length = opened.group(1), [], [], 0
        if tag is None or fenced:
            continue
        lines.append((length, number))
        parts.append(text)
        length += len(text) + 1
    if tag is not None and tag not in _PROSE_TAGS:
        yield tag, "\n".join(parts), lines


def _type_braces(text: str, after: int) -> tuple[int, int] | None:
    """Where the type in braces right after a tag's name lies in its text (``{{ a: A }}``: braces nest), or None."""
    start = after
    while start < len(text) and text[start] in " \t\n":
        start += 1
    if not text.startswith("{", start) or text.startswith("{@", start):
        return None
    depth = 0
    for at in range(start, len(text)):
        char = text[at]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return start, at
    return start, len(text)  # never closed: the tag's text to its end


def _line_at(lines: list[tuple[int, int]], offset: int) -> int:
    """The comment's line (0 its first) of an offset in a tag's text."""
    return lines[max(bisect_right(lines, (offset, float("inf"))) - 1, 0)][1]
