"""Where a Python file's imports can be: a byte scan, and the stretches tree-sitter must parse.

Tree-sitter is slower than grimp's Rust parser, so parsing does not parse what
cannot hold an import. ``import_candidates`` lists candidates (``import``
where a statement could have it, ``import_module(`` / ``__import__(``);
``outside_docstrings`` drops those inside docstrings when the triple quotes
pair up for sure; ``parse_import_text`` parses only the top-level statements
holding the rest, with the text between them replaced by its line breaks (rows
stay true). If that text does not parse cleanly, the prefix up to the last
import and then the whole file are parsed instead. On 17,700 files (the
standard library and this environment's packages) the imports and the
syntax-error counts equal those of a whole-file parse; an error in a statement
without imports may go uncounted.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MAX_STATEMENT_LINES = 200
# What may precede the keyword `import` on its line in an import statement: after the
# last `;` or `:` (one-line compound statements), only names, dots, blanks and
# backslashes (`from pkg.mod `, `from . `, the tail of a continued line).
_STATEMENT_LEAD = re.compile(rb"(?:.*[;:])?[^;:\"'#=()\[\]{},<>+\-*/%@!&|^~`$?]*")
_CALL_OPEN = re.compile(rb"[ \t]*\(")
WHOLE_FILE_ABOVE = 0.6  # parse the whole file at once when the import region is most of it


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


def outside_docstrings(source: bytes, candidates: list[int]) -> list[int]:
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


def parse_import_text(parser, source: bytes, candidates: list[int]):
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
    if covered < WHOLE_FILE_ABOVE * len(source):
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
    if end < WHOLE_FILE_ABOVE * len(source):
        root = parser.parse(source[:end]).root_node
        if not root.has_error:
            return root, [(0, end, 0)]
    return parser.parse(source).root_node, whole

