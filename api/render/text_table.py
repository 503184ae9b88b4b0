"""A table drawn in box characters, laid out as rich lays out its ``Table``: the same widths, wrapping and borders.

What the CLI used of rich's table, with the standard library: a left-justified
title above (wrapped to the table's width), a bold header row, heavy lines
around the header and light ones around the rows (rich's ``HEAVY_HEAD`` box),
one space of padding in each cell. Columns are as wide as their widest line;
when the table is wider than the console, columns that may wrap give way
(widest first, rich's ``_collapse_widths``), then every column evenly
(``ratio_reduce``). Cells wrap at spaces; ``overflow="fold"`` folds a word
too long for its column (after one of a column's ``fold_after`` characters
where it can: not rich's), ``"ellipsis"`` cuts it with "…"; ``no_wrap`` columns
keep one line. A string cell is console markup (as in rich); a ``Styled`` one
is shown as written.
"""

from __future__ import annotations

from typing import Any

from cairn.api.render.console import Styled, cell_len, markup

__all__ = ["Column", "Table"]

# rich's HEAVY_HEAD box: top, header row, under the header, rows, bottom
TOP = ("┏", "━", "┳", "┓")
PLAIN_TOP = ("┌", "─", "┬", "┐")  # without a header rich draws the top light too
HEAD = ("┃", "┃", "┃")
HEAD_RULE = ("┡", "━", "╇", "┩")
ROW = ("│", "│", "│")
BOTTOM = ("└", "─", "┴", "┘")
PADDING = 2  # one space each side


class Column:
    """A column's header and how its cells are laid out; ``width`` (of the text, without padding) fixes it."""

    __slots__ = ("header", "justify", "no_wrap", "overflow", "width", "fold_after")

    def __init__(self, header: str | Styled = "", justify: str = "left", no_wrap: bool = False, overflow: str = "ellipsis",
                 width: int | None = None, fold_after: str | tuple[str, ...] = "") -> None:
        self.header = header
        self.justify = justify
        self.no_wrap = no_wrap
        self.overflow = overflow
        self.width = width
        self.fold_after = fold_after  # a folded word breaks after one of these where it can (a path's "/"; tiers: ``folded``)

    def header_text(self) -> Styled:
        return self.header if isinstance(self.header, Styled) else markup(self.header)


class Table:
    """A table the console prints (``Console.print(table)``); ``render_lines(width)`` gives its lines."""

    def __init__(self, *columns: Column | str, title: str | Styled | None = None, title_justify: str = "left",
                 show_header: bool = True) -> None:
        self.columns = [c if isinstance(c, Column) else Column(c) for c in columns]
        self.title = title
        self.title_justify = title_justify
        self.show_header = show_header
        self.rows: list[list[Styled]] = []

    def add_column(self, header: str = "", *, justify: str = "left", no_wrap: bool = False, overflow: str = "ellipsis",
                   width: int | None = None) -> None:
        self.columns.append(Column(header, justify, no_wrap, overflow, width))

    def add_row(self, *cells: Any) -> None:
        row = [c if isinstance(c, Styled) else markup("" if c is None else str(c)) for c in cells]
        self.rows.append(row + [Styled()] * (len(self.columns) - len(row)))

    # -- layout ---------------------------------------------------------------------------------------------------

    def _cells(self, index: int) -> list[Styled]:
        header = [self.columns[index].header_text()] if self.show_header else []
        return header + [row[index] for row in self.rows]

    def _measure(self, index: int, max_width: int) -> int:
        """The column's widest line plus padding, at most ``max_width`` (rich's ``_measure_column``)."""
        if max_width < 1:
            return 0
        column = self.columns[index]
        if column.width is not None:
            return min(column.width + PADDING, max_width)
        if max_width - PADDING < 1:
            return max_width
        widest = [max((cell_len(line) for line in cell.plain.splitlines()), default=0) for cell in self._cells(index)]
        return min(min(max(widest, default=max_width - PADDING), max_width - PADDING) + PADDING, max_width)

    def widths(self, max_width: int) -> list[int]:
        """Each column's width with padding, for ``max_width`` cells of columns (borders not counted)."""
        widths = [self._measure(i, max_width) or 1 for i in range(len(self.columns))]
        if sum(widths) > max_width:
            wrapable = [c.width is None and not c.no_wrap for c in self.columns]
            widths = _collapse_widths(widths, wrapable, max_width)
            if sum(widths) > max_width:
                widths = ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
            widths = [self._measure(i, w) for i, w in enumerate(widths)]
        return widths

    # -- drawing ----------------------------------------------------------------------------------------------------

    def render_lines(self, console_width: int) -> list[Styled]:
        if not self.columns:
            return [Styled()]
        extra = 2 + len(self.columns) - 1
        widths = self.widths(console_width - extra)
        table_width = sum(widths) + extra
        lines: list[Styled] = []
        if self.title:
            title = self.title if isinstance(self.title, Styled) else markup(self.title)
            lines += [line.with_style(" ".join(s for s in ("italic", title.style) if s))
                      for line in title.wrap(table_width, justify=self.title_justify)]
        lines.append(_rule(TOP if self.show_header else PLAIN_TOP, widths))
        rows = ([[c.header_text().with_style(" ".join(s for s in ("bold", c.header_text().style) if s)) for c in self.columns]]
                if self.show_header else []) + self.rows
        laid_out: dict[tuple[int, str, str], list[Styled]] = {}  # a column's cells of the same text lay out alike: once
        for index, row in enumerate(rows):
            left, divider, right = HEAD if index == 0 and self.show_header else ROW
            cells = []
            for i, (cell, column, width) in enumerate(zip(row, self.columns, widths)):
                key = None if cell.spans else (i, cell.plain, cell.style)
                found = laid_out.get(key) if key is not None else None
                if found is None:
                    found = self._cell_lines(cell, column, width)
                    if key is not None:
                        laid_out[key] = found
                cells.append(found)
            height = max(len(c) for c in cells)
            if index == 0 and self.show_header:  # rich puts header text at the bottom of the header row
                cells = [[Styled(" " * w)] * (height - len(c)) + c for c, w in zip(cells, widths)]
            for n in range(height):
                lines.append(_joined(left, divider, right, [cell[n] if n < len(cell) else Styled(" " * width)
                                                            for cell, width in zip(cells, widths)]))
            if index == 0 and self.show_header:
                lines.append(_rule(HEAD_RULE, widths))
        lines.append(_rule(BOTTOM, widths))
        return lines

    @staticmethod
    def _cell_lines(cell: Styled, column: Column, width: int) -> list[Styled]:
        inner = width - PADDING
        if inner < 1:  # no room for text: rich draws the column blank
            return [Styled(" " * width)]
        wrapped = cell.wrap(inner, justify=column.justify, overflow=column.overflow, no_wrap=column.no_wrap,
                            fold_after=column.fold_after)
        return [_padded(line) for line in wrapped]


def _padded(line: Styled) -> Styled:
    """``line`` with one space each side, keeping its styles."""
    plain = line.plain
    spans = [(1, 1 + len(plain), line.style)] if line.style and plain else []
    if line.spans:
        spans.extend((a + 1, b + 1, s) for a, b, s in line.spans)
    return Styled(" " + plain + " ", "", spans)


def _joined(left: str, divider: str, right: str, pieces: list[Styled]) -> Styled:
    """One line of a row: its cells' lines between the borders, each keeping its styles (joined in one go: a table
    has hundreds of such lines)."""
    spans: list[tuple[int, int, str]] = []
    start = len(left)
    for piece in pieces:
        plain = piece.plain
        if piece.style and plain:
            spans.append((start, start + len(plain), piece.style))
        if piece.spans:
            spans.extend((start + a, start + b, s) for a, b, s in piece.spans)
        start += len(plain) + len(divider)
    return Styled(left + divider.join(piece.plain for piece in pieces) + right, "", spans)


def _rule(chars: tuple[str, str, str, str], widths: list[int]) -> Styled:
    left, fill, cross, right = chars
    return Styled(left + cross.join(fill * w for w in widths) + right)


def ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """``values`` less ``total`` in all, taken in proportion to ``ratios``, at most ``maximums`` from each (rich's)."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """The widest columns that may wrap narrowed, down to the next widest, until the table fits (rich's)."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wrap in zip(widths, wrapable) if wrap)
            second = max(w if wrap and w != widest else 0 for w, wrap in zip(widths, wrapable))
            difference = widest - second
            ratios = [1 if (w == widest and wrap) else 0 for w, wrap in zip(widths, wrapable)]
            if not any(ratios) or not difference:
                break
            widths = ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths
