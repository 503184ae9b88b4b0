"""What every table the CLI prints shares: text shown as it is, people marked when gone, counts with units.

Rich reads ``[...]`` as markup and Markdown reads ``__init__`` as emphasis, so
text from the repository (paths, module, component and person names, titles,
messages) never goes through either: table cells are ``Styled`` text
(``table`` turns every plain string into one), and the lines printed around
tables interpolate ``escape``d values.

Tables fit an 80-column terminal without hiding meaning (``FittedTable``):
names and paths are ``IDENTIFIER`` columns, kept whole while lists and prose
can give way, and folded onto the next line rather than cut short with an
ellipsis — a path after a ``/`` (``service/history/`` | ``workflow/``), an
e-mail after its ``@`` (``ludovic.fernandez@`` | ``zenika.com``), else after a
``.``, a word only where no width spares it; columns empty in every row are left out.

Tables are drawn by ``render.text_table`` (rich's layout, without rich: the
CLI imports this module to start).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from typing import Any, Iterable, NamedTuple

from cairn.api.render.console import Styled, cell_len, escape, one_cell_each
from cairn.api.render.text_table import Column, Table
from cairn.graph.not_counted import NOT_COUNTED_WHY

__all__ = ["IDENTIFIER", "NOT_COUNTED", "NOT_COUNTED_NOTE", "NOT_COUNTED_WHY", "NUMBER", "TEXT", "count", "escape", "gone_mark", "gone_reason", "holder_label", "literal", "table"]

IDENTIFIER = "identifier"  # a name or path: kept whole while anything else can give way, folded (never cut) when it must
NUMBER = "number"  # right-aligned, never wrapped (but for a header of several words, when room is short)
TEXT = "text"  # prose and lists: wrapped at spaces first
READABLE = 20  # identifiers keep this much before a long word elsewhere has to fold
NARROWEST = 8  # no column is squeezed below this (or its content, when shorter)
FOLD_AFTER = "/"  # a word too long for its column folds after one of these where it can: a path between its folders
#: then, where a part between those is still too long, after an "@" (an e-mail between its name and its domain), then
#: after a "." (``ludovic.`` | ``fernandez@`` | ``zenika.com``): a soft fold; only a part with none of them is cut
SOFT_FOLDS = ("@", ".")
FOLD_LINES = 3  # when some word must be cut: one cut in two reads as badly as this many more lines
SOFT_FOLD_LINES = 1  # a word folded after an "@" or a "." reads as badly as this many more lines
#: a cut in the first column, the name that tells the rows apart, reads as badly as this many cuts elsewhere
FIRST_COLUMN_FOLDS = 2

# A scope with no file the truck factor counts has none (None), which is not a truck factor of 0
NOT_COUNTED = "–"
NOT_COUNTED_NOTE = f"{NOT_COUNTED}: not counted, {NOT_COUNTED_WHY}"


def literal(value: Any, style: str = "") -> Styled:
    """``value`` as text that is shown exactly as written (no markup, no emphasis)."""
    return Styled("" if value is None else str(value), style=style)


def one_folder(paths: Iterable[str]) -> str | None:
    """The folder all of ``paths`` sit in, directly or below, if there is one (a table then says it once, in its
    title, and names each file below it: ibc-go's docs/architecture/adr-011-transfer-total-escrow-state-entry.md
    folded at 80 columns, and dotcom-rendering's records in docs/architecture/ and its historic-adrs/ are
    ``005-monorepo.md`` and ``historic-adrs/dotenv.md``)."""
    common: list[str] | None = None
    for path in paths:
        parts = path.split("/")[:-1]
        if common is None:
            common = parts
        else:
            while common and parts[:len(common)] != common:
                common = common[:-1]
    return "/".join(common) if common else None


def below(path: str, folder: str | None) -> str:
    """``path`` relative to ``folder`` (``one_folder``'s), or whole when there is none."""
    return path[len(folder) + 1:] if folder and path.startswith(folder + "/") else path


def table(title: str, columns: list[str | tuple[str, str]], rows: Iterable[Iterable[Any]], *, keep_empty: bool = False,
          show_header: bool = True) -> "FittedTable":
    """A table with a literal ``title`` and literal cells, fitted to the terminal (see ``FittedTable``).

    A column is a header (``TEXT``), or (header, ``IDENTIFIER`` | ``NUMBER`` | ``TEXT``).
    Plain strings in ``rows`` become literal text; ``Styled`` passes as it is.
    Columns empty in every row are left out unless ``keep_empty`` (the first
    column always stays).
    """
    specs = [(c, TEXT) if isinstance(c, str) else c for c in columns]
    cells = [[c if isinstance(c, Styled) else literal(c) for c in row] for row in rows]
    shown = [i for i in range(len(specs)) if keep_empty or i == 0 or not cells or any(row[i].plain.strip() for row in cells)]
    return FittedTable(title, [specs[i] for i in shown], [[row[i] for i in shown] for row in cells], show_header=show_header)


class FittedTable:
    """A table whose column widths are chosen for the width it is printed in.

    Rich's layout (``text_table``) shrinks the widest columns first and cuts words short with "…", so a
    path or a module name is the first thing lost on an 80-column terminal.
    Here a cell breaks at spaces and, inside a word too long for its column,
    after a ``/`` (``FOLD_AFTER``): its *units* are the pieces between those
    breaks (``service/``, ``history/``, ``mutable_state_impl.go``), and a unit
    wider than the column is the only thing folded inside a word: after an ``@``,
    else after a ``.``, where its *pieces* between those fit (a soft fold:
    ``ludovic.fernandez@`` | ``zenika.com``), else cut anywhere. Lists and prose
    give way first (down to their longest unit), then identifiers down to
    ``READABLE``, then identifiers down to their longest unit, then the
    headers of numbers onto two lines (before the identifiers' last step
    when that makes the table shorter), or the identifiers down to their longest unit before prose of a few
    words (a person's name on two lines rather than three, when that makes the table shorter): nothing is cut mid-word yet. When that is still too wide, the widths (each between
    ``NARROWEST``, or its content when shorter, and up to what it wants) are
    those that cut the fewest words and take the fewest lines, a cut word
    weighing ``FOLD_LINES`` lines and a soft fold ``SOFT_FOLD_LINES``, using as
    much of the width as they can (then shrinking prose rather than identifiers):
    one path with a 43-letter file name is folded rather than "(inactive)" in
    every row. A row is as tall as its tallest cell, so a cell's lines cost
    only where they make its row taller: a name wraps for free beside a list
    over several lines (jackson-databind's new imports: each module name folded
    after its "." beside a path over five lines, where counting every cell's
    lines cut all of them, "com.fasterxml.ja" | "ckson.databind.D" | …, to keep
    the paths whole).
    """

    def __init__(self, title: str, columns: list[tuple[str, str]], rows: list[list[Styled]], *, show_header: bool = True):
        self.title = title
        self.columns = columns
        self.rows = rows
        self.show_header = show_header
        # (a command asks a table's folds, then its lines, then prints it: the widths and lines for a width, worked
        # out once)
        self._widths: dict[int, list[int] | None] = {}
        self._lines: dict[tuple[tuple[int, ...] | None, int], list[Styled]] = {}

    def widths(self, available: int) -> list[int] | None:
        """Column widths for ``available`` characters, or None when everything fits as it is."""
        if available not in self._widths:
            self._widths[available] = self._fitted(available)
        return self._widths[available]

    def _fitted(self, available: int) -> list[int] | None:
        room = available - 3 * len(self.columns) - 1  # borders and one space of padding on each side
        headers = [h if self.show_header else "" for h, _ in self.columns]
        want = [max([_longest_line(r[i].plain) for r in self.rows] + [_longest_line(headers[i])]) for i in range(len(self.columns))]
        if sum(want) <= room:
            return None
        widths = list(want)
        cell_units = [[_longest_unit(r[i].plain) for r in self.rows] for i in range(len(self.columns))]
        units = [sorted(cell_units[i] + [_longest_unit(headers[i])]) for i in range(len(self.columns))]
        kinds = [kind for _, kind in self.columns]
        whole = {i: min(want[i], max(units[i][-1], NARROWEST)) for i, kind in enumerate(kinds) if kind != NUMBER}
        # last, a number's header of several words wraps onto two lines ("depends" / "on") when that spares every word a
        # fold:
        # django-rest-framework's components cut "rest_framewo|rk" beside a "depends on" column of one-digit counts
        numbers = {i: max([_longest_line(r[i].plain) for r in self.rows] + [_longest_unit(headers[i])])
                   for i, kind in enumerate(kinds) if kind == NUMBER}
        text = {i: floor for i, floor in whole.items() if kinds[i] == TEXT}
        readable = {i: max(floor, min(want[i], READABLE)) for i, floor in whole.items() if kinds[i] == IDENTIFIER}
        identifiers = {i: floor for i, floor in whole.items() if kinds[i] == IDENTIFIER}
        # who gives way first, and down to what: no unit is folded yet. Identifiers folded between their folders
        # take a line more in each row they fold; numbers' headers on two lines, one line once: of the two orders,
        # the one whose table is shorter (svelte's components "in" packages/svelte/src/, 18 rows on two lines
        # beside a "depends on" header on one), the identifiers first when they tie
        widths = _given_way(widths, room, [text, readable, identifiers, numbers])
        if sum(widths) <= room and any(widths[i] < want[i] for i in identifiers) and numbers:
            headers_first = _given_way(list(want), room, [text, readable, numbers, identifiers])
            if sum(headers_first) <= room and headers_first != widths \
                    and len(self._render(headers_first, available)) < len(self._render(widths, available)):
                widths = headers_first
        if sum(widths) <= room and any(widths[i] < want[i] and any("\n" not in r[i].plain and " " in r[i].plain.strip()
                                                                  for r in self.rows) for i in text):
            # prose of a few words in every row (a person's name: hugo's hotspots gave "Bjørn" / "Erik" / "Pedersen"
            # three lines in each row beside a component column with room to spare) gives way after the identifiers
            # are folded between their folders, when that makes the table shorter
            names_last = _given_way(list(want), room, [readable, identifiers, text, numbers])
            if sum(names_last) <= room and names_last != widths \
                    and len(self._render(names_last, available)) < len(self._render(widths, available)):
                widths = names_last
        if sum(widths) > room:  # some word folds all the same: the numbers' headers on one line, unless on two lines
            # they fold fewer words, or as many in fewer lines (trpc's "tanstack-react-query" cut in three beside them)
            narrowest = {i: min(want[i], NARROWEST) for i in whole}
            pieces = [sorted([_longest_piece(r[i].plain, unit) for r, unit in zip(self.rows, cell_units[i])]
                             + [_longest_piece(headers[i], _longest_unit(headers[i]))]) if i in whole else []
                      for i in range(len(self.columns))]
            heights = [max(cell.plain.count("\n") for cell in row) + 1 for row in self.rows]
            lines = {i: _RowLines.of([_line_lengths(r[i].plain) for r in self.rows], heights) for i in whole}
            choices = []
            for numbers_width in ([want[i] for i in numbers], [numbers[i] for i in numbers]):
                at = dict(zip(numbers, numbers_width))
                header_lines = max((len(_wrapped(headers[i], at[i])) for i in numbers), default=1)
                chosen, cost = _fewest_folds([want[i] if i in whole else at.get(i, widths[i]) for i in range(len(want))],
                                             narrowest, lines, _Breaks(units, pieces), kinds, room)
                choices.append((cost + header_lines, chosen))
            widths = min(choices, key=lambda choice: choice[0])[1]
        return widths

    def folded_cells(self, available: int) -> int:
        """How many cells, in ``available`` characters, have a word folded across lines (a name cut in two): of two
        ways to show the same rows, the one that folds fewer reads better."""
        widths = self.widths(available)
        if widths is None:
            return 0
        return sum(widths[i] < _longest_unit(row[i].plain) for row in self.rows for i in range(len(self.columns)))

    def render_lines(self, width: int) -> list[Styled]:
        """The table's lines in ``width`` columns of console."""
        return self._render(self.widths(width), width)

    def _render(self, widths: list[int] | None, width: int) -> list[Styled]:
        """The table's lines with these column ``widths`` (None: as wide as they want) in ``width`` columns."""
        key = (None if widths is None else tuple(widths), width)
        if key not in self._lines:
            self._lines[key] = self._drawn(widths, width)
        return self._lines[key]

    def _drawn(self, widths: list[int] | None, width: int) -> list[Styled]:
        columns = []
        for i, (header, kind) in enumerate(self.columns):
            fixed = widths[i] if widths else None
            if kind == NUMBER:  # (its header wraps at a space when the column is narrower: ``widths``)
                columns.append(Column(literal(header), justify="right", no_wrap=fixed is None or fixed >= len(header),
                                      width=fixed))
            else:
                columns.append(Column(literal(header), overflow="fold", width=fixed, fold_after=(FOLD_AFTER, *SOFT_FOLDS)))
        out = Table(*columns, title=literal(self.title), title_justify="left", show_header=self.show_header)
        for row in self.rows:
            out.add_row(*row)
        return out.render_lines(width)


class Bullet:
    """A list item whose lines after the first are indented under its text, not back at the margin: pr-check's
    findings at 80 columns ran on from column 0 under their bullet ("  • packages/kit/…/fallback.js changed with" /
    "packages/kit/scripts/generate-dts.js in 5 of 13 commits; …")."""

    def __init__(self, text: str | Styled, marker: str = "  • "):
        self.text = text if isinstance(text, Styled) else literal(text)
        self.marker = marker

    def __str__(self) -> str:
        return self.marker + self.text.plain

    def render_lines(self, width: int) -> list[Styled]:
        indent = cell_len(self.marker)
        lines = self.text.wrap(max(width - indent, READABLE), fold_after=(FOLD_AFTER, *SOFT_FOLDS))
        return [Styled.assemble(self.marker if i == 0 else " " * indent, line) for i, line in enumerate(lines)]


def _given_way(widths: list[int], room: int, stages: list[dict[int, int]]) -> list[int]:
    """``widths`` narrowed to fit ``room``, stage by stage (column -> how narrow it may go), the widest shrinkable
    column of a stage a character at a time, until they fit or no column of any stage can give more."""
    widths = list(widths)
    for floors in stages:
        while sum(widths) > room:
            shrinkable = [i for i, floor in floors.items() if widths[i] > floor]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def _longest_line(text: str) -> int:
    if one_cell_each(text):  # one line (a line break is no one-cell character), measured by its length
        return len(text)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _line_lengths(text: str) -> list[int]:
    """The lengths of ``text``'s lines as a table cell shows them (an empty line too)."""
    if one_cell_each(text):
        return [len(text)]
    return [cell_len(line) for line in text.split("\n")]


def _longest_unit(text: str) -> int:
    """The widest piece of ``text`` no line break falls in when its column is at least that wide: a word, or in a word
    holding a ``/``, a part up to and with a ``/`` (``history/``) or after the last one (``mutable_state_impl.go``)."""
    measure = len if one_cell_each(text) else cell_len
    if FOLD_AFTER not in text:
        return max(map(measure, text.split()), default=0)
    return max(map(measure, re.findall(r"[^\s/]*/+|[^\s/]+", text)), default=0)


def _longest_piece(text: str, unit: int) -> int:
    """The widest piece of ``text`` no cut falls in when its column is at least that wide: its longest ``unit``
    (``_longest_unit``), or in one holding an ``@`` or a ``.`` (``SOFT_FOLDS``), a part up to and with one of them or
    after the last. (No column is narrower than ``NARROWEST``: a unit no wider is never folded.)"""
    if unit <= NARROWEST or not any(char in text for char in SOFT_FOLDS):
        return unit
    measure = len if one_cell_each(text) else cell_len
    return max(map(measure, re.findall(r"[^\s/@.]*[/@.]+|[^\s/@.]+", text)), default=0)


def _wrapped(header: str, width: int) -> list[str]:
    """A header's lines in ``width`` columns, broken at spaces."""
    lines: list[str] = []
    for word in header.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


class _Breaks(NamedTuple):
    """Where each column's cells break inside a word, each column's sorted: below ``units`` a cell folds inside a word
    (``_longest_unit``), below ``pieces`` it is cut mid-word (``_longest_piece``)."""

    units: list[list[int]]
    pieces: list[list[int]]


def _fewest_folds(want: list[int], narrowest: dict[int, int], lines: dict[int, "_RowLines"], breaks: _Breaks,
                  kinds: list[str], room: int) -> tuple[list[int], int]:
    """Widths for the columns of ``narrowest`` (each from its floor there up to its ``want``; the others keep theirs)
    within ``room`` that cost the least: a cell cut mid-word costs ``FOLD_LINES`` lines, one folded after an ``@`` or a
    ``.`` ``SOFT_FOLD_LINES`` (``FIRST_COLUMN_FOLDS`` times as many in the first column's name), and every line a row
    takes beyond its least height one (``_column_cost``); then that leave the least room unused, then keep identifiers
    the widest. When even the floors do not fit: the floors. With the cost of the widths chosen.

    A row is as tall as its tallest cell: a column's cost counts the lines its cells take beyond their row's height with
    every column as wide as it wants, so the cost of a row is the sum over columns of what each adds to that
    height (two cells that both grow a row by a line count two where it grows by one). That sum decomposes per column,
    so the widths are a knapsack over the columns: a few milliseconds for a table of a thousand rows."""
    order = sorted(narrowest)
    fixed = sum(w for i, w in enumerate(want) if i not in narrowest)
    if fixed + sum(narrowest.values()) >= room:
        floors = [narrowest.get(i, w) for i, w in enumerate(want)]
        return floors, sum(_column_cost(i, floors[i], breaks, lines[i], kinds) for i in order)
    spare = room - fixed - sum(narrowest.values())
    upper = {i: min(want[i], narrowest[i] + spare) for i in order}  # (no column can be wider and the rest fit)
    cost: dict[int, list[int]] = {}  # column -> its cost at each width from its floor up
    for i in order:
        cost[i] = [_column_cost(i, width, breaks, lines[i], kinds) for width in range(narrowest[i], upper[i] + 1)]
    # each total width reachable so far -> (cost, identifiers' width given up, the widths chosen)
    best: dict[int, tuple[int, int, tuple[int, ...]]] = {fixed: (0, 0, ())}
    for i in order:
        reached: dict[int, tuple[int, int, tuple[int, ...]]] = {}
        for total, (spent, narrowed, chosen) in best.items():
            for width in range(narrowest[i], upper[i] + 1):
                if total + width > room:
                    break
                key = (spent + cost[i][width - narrowest[i]], narrowed + (want[i] - width if kinds[i] == IDENTIFIER else 0),
                       (*chosen, width))
                if total + width not in reached or key[:2] < reached[total + width][:2]:
                    reached[total + width] = key
        best = reached
    total = min(best, key=lambda t: (best[t][0], -t, best[t][1]))
    out = list(want)
    for i, width in zip(order, best[total][2]):
        out[i] = width
    return out, best[total][0]


class _RowLines(NamedTuple):
    """A column's lines, by what more lines cost its rows: ``tallest``, the lengths of the lines of cells as tall as their
    row (each line that wraps makes the row taller); ``beside``, the lengths of a shorter cell's lines with its row's
    height (they wrap for free until the cell is taller than the row)."""

    tallest: Counter[int]
    beside: Counter[tuple[tuple[int, ...], int]]

    @classmethod
    def of(cls, cells: list[list[int]], heights: list[int]) -> "_RowLines":
        """From the lengths of the lines of each of the column's cells and the height of each row (its cells' most lines)."""
        tallest: Counter[int] = Counter()
        beside: Counter[tuple[tuple[int, ...], int]] = Counter()
        for lengths, height in zip(cells, heights):
            if len(lengths) >= height:
                tallest.update(lengths)
            else:
                beside[tuple(lengths), height] += 1
        return cls(tallest, beside)


def _column_cost(column: int, width: int, breaks: _Breaks, lines: _RowLines, kinds: list[str]) -> int:
    """What ``column`` costs at ``width`` (``_fewest_folds``): ``FOLD_LINES`` a cell cut mid-word, ``SOFT_FOLD_LINES`` one
    folded after an ``@`` or a ``.`` (``FIRST_COLUMN_FOLDS`` times as many in the first column's name), and a line each
    line its cells add to their rows (a line of n characters takes ceil(n / width))."""
    cuts = len(breaks.pieces[column]) - bisect_right(breaks.pieces[column], width)
    soft = len(breaks.units[column]) - bisect_right(breaks.units[column], width) - cuts
    weight = FIRST_COLUMN_FOLDS if column == 0 and kinds[0] == IDENTIFIER else 1
    added = sum(n * (-(-length // width) - 1) for length, n in lines.tallest.items() if length > width)
    for (lengths, height), n in lines.beside.items():
        if max(lengths) > width:
            added += n * max(0, sum(-(-length // width) for length in lengths) - height)
    return (FOLD_LINES * cuts + SOFT_FOLD_LINES * soft) * weight + added


def count(n: int | None, unit: str, plural: str | None = None) -> str:
    """``3 files``, ``1 file``; ``? files`` when unknown."""
    if n is None:
        return f"? {plural or unit + 's'}"
    return f"{n} {unit if n == 1 else plural or unit + 's'}"


def gone_reason(row: dict[str, Any]) -> str:
    """Why a person is not around any more: ``left``, ``inactive since 2023-04``, ``leaving``; "" when active.

    Reads the ``active`` / ``gone`` / ``last_active`` fields the analyses give
    every person row (``queries.ownership.presence``).
    """
    if row.get("active", True) is not False:
        return ""
    gone = row.get("gone")
    if gone == "inactive":
        since = str(row.get("last_active") or "")[:7]
        return f"inactive since {since}" if since else "inactive"
    return "leaving" if gone == "leaving" else "left"


#: What a component's ``ask_first`` says when it names nobody: it is drawn from the files Cairn keeps history of (its
#: source files) only, so it says so — celery's extra was "nobody still here knows it", though phanky1 had edited its
#: systemd files (configuration, no history kept) that July.
NOBODY_TO_ASK = "nobody still here changed its source files"


def gone_mark(row: dict[str, Any]) -> str:
    """`` (left)``, `` (inactive since 2023-04)``, to follow a person's name; "" when active."""
    reason = gone_reason(row)
    return f" ({reason})" if reason else ""


def holder_label(holder: dict[str, Any]) -> str:
    """A knowledge holder as ``Name (75%)``, marked when gone: ``Name (40%, left)``."""
    name = holder.get("name") or holder.get("person") or holder.get("id") or "?"
    value = holder.get("share")
    notes = [f"{value:.0%}"] if isinstance(value, (int, float)) else []
    notes += [gone_reason(holder)] if gone_reason(holder) else []
    return f"{name} ({', '.join(notes)})" if notes else str(name)


def common_package_path(modules: list[str]) -> str:
    """The folders of a Go module path that every one of ``modules`` starts with (``github.com/openfga/openfga/``),
    when there are three or more and a module lies below them: a table leaves them out, said once in its title (at 80 columns openfga's new
    import ``…/pkg/server/commands/v2breaking`` → ``…/internal/check`` took three lines a name). "" otherwise (a
    Python or JavaScript module name)."""
    if not modules or not all("/" in m and "." in m.split("/", 1)[0] for m in modules):
        return ""
    common = modules[0].split("/")
    for module in modules[1:]:
        parts = module.split("/")
        while common and parts[:len(common)] != common:
            common.pop()
    prefix = "/".join(common) + "/"
    # (the module's root package, the prefix itself, is shown whole)
    return prefix if len(common) >= 3 and any(m.startswith(prefix) for m in modules) else ""
