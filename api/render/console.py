"""Text for a terminal without rich: markup, styled text, wrapping, and the console the CLI prints through.

A query command has to start in a few times ``python -c pass``; importing
rich's console and table costs more than that alone. This module is the part
of rich the CLI used, written with the standard library and giving the same
text: console markup (``[bold red]error:[/] …``, ``escape``), styled text
(``Styled``, rich's ``Text``), word wrapping at the console width (rich's
``divide_line``: a line broken at a space keeps that space, a word longer
than the width is folded; not rich's: after a ``/`` in it where it has one,
when asked, so a path folds between its folders, and an e-mail after its ``@``), the width itself (``$COLUMNS``, else the
terminal's, else 80) and colour only on a terminal (not with ``$NO_COLOR``).
Tables are ``render.text_table``.

rich itself is still used where it is worth its cost: the progress bar of
``cairn ingest`` (``Console.rich``).
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    import rich.console

__all__ = ["Console", "Styled", "cell_len", "chop_cells", "console", "divide_line", "err_console", "escape", "folded", "markup",
           "one_cell_each", "set_cell_size"]

DEFAULT_WIDTH = 80
# patterns compiled on first use (``re`` keeps them): a JSON answer needs none of them
_TAG = r"((\\*)\[([a-z#/@][^[]*?)])"
_ESCAPE = r"(\\*)(\[[a-z#/@][^[]*?])"
_WORD = r"\s*\S+\s*"
_TRAILING_SPACE = r"\s+$"
#: Characters that take one cell each (``_measure_char`` says so for every one: tests/unit/test_text_table.py checks
#: them all): printable ASCII and Latin up to U+02FF, general punctuation, arrows, mathematical operators, box
#: drawing and block elements: a table's lines hold only these, and are measured without a look at each character.
ONE_CELL_CHARS = "\x20-\x7e\xa0-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u22ff\u2500-\u259f"
_NOT_ONE_CELL = f"[^{ONE_CELL_CHARS}]"


def escape(text: str) -> str:
    """``text`` with every ``[`` that could open a markup tag escaped: markup shows it as written (rich's ``escape``)."""

    def escape_backslashes(match: re.Match[str]) -> str:
        backslashes, tag = match.groups()
        return f"{backslashes}{backslashes}\\{tag}"

    if "[" in text:  # else no tag to escape (and the pattern is not compiled)
        text = re.sub(_ESCAPE, escape_backslashes, text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


# -- cells ------------------------------------------------------------------------------------------------------


_CHAR_CELLS: dict[str, int] = {}


def _char_cells(char: str) -> int:
    cells = _CHAR_CELLS.get(char)
    if cells is None:
        cells = _CHAR_CELLS[char] = _measure_char(char)
    return cells


def _measure_char(char: str) -> int:
    code = ord(char)
    if code < 32 or 0x7F <= code < 0xA0:
        return 0
    if code < 0x300:
        return 1
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_find_not_one_cell: Any = None  # ``_NOT_ONE_CELL``'s ``findall``, compiled on first use


def _not_one_cell(text: str) -> list[str]:
    """The characters of ``text`` that do not take exactly one cell."""
    global _find_not_one_cell
    if _find_not_one_cell is None:
        _find_not_one_cell = re.compile(_NOT_ONE_CELL).findall
    return _find_not_one_cell(text)


def one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` takes one cell: then its length is its width, and so is each part's."""
    return (text.isascii() and text.isprintable()) or not _not_one_cell(text)


def cell_len(text: str) -> int:
    """How many terminal cells ``text`` takes (wide characters two, combining marks none)."""
    if text.isascii() and text.isprintable():
        return len(text)
    others = _not_one_cell(text)
    return len(text) - len(others) + sum(map(_char_cells, others))


def set_cell_size(text: str, total: int) -> str:
    """``text`` cut or padded with spaces to exactly ``total`` cells."""
    size = cell_len(text)
    if size == total:
        return text
    if size < total:
        return text + " " * (total - size)
    if total <= 0:
        return ""
    out, used = [], 0
    for char in text:
        width = _char_cells(char)
        if used + width > total:
            break
        out.append(char)
        used += width
    return "".join(out) + " " * (total - used)


def chop_cells(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` cells (a word folded)."""
    if width > 0 and one_cell_each(text):  # cut every ``width`` characters
        return [text[start:start + width] for start in range(0, len(text), width)] or [""]
    lines: list[list[str]] = [[]]
    total = 0
    for char in text:
        size = _char_cells(char)
        if total + size > width:
            lines.append([char])
            total = size
        else:
            lines[-1].append(char)
            total += size
    return ["".join(line) for line in lines]


def folded(word: str, width: int, fold_after: str | tuple[str, ...] = "") -> list[str]:
    """``word`` in pieces of at most ``width`` cells: each piece as long as it can be while it ends right after one of
    the characters ``fold_after`` (a path: ``service/history/`` | ``workflow/`` | ``mutable_state_impl.go``); a part
    with none of them that is longer than ``width`` is cut (``chop_cells``), starting a piece of its own.

    ``fold_after`` may be tiers, tried in turn: a part too long at one tier's characters folds at the next tier's
    before it is cut (``("/", "@", ".")``: ``ludovic.fernandez@`` | ``zenika.com`` rather than ``ludovic.fernandez@zenika.c`` | ``om``)."""
    tiers = [tier for tier in ((fold_after,) if isinstance(fold_after, str) else fold_after) if tier]
    return _folded(word, width, tiers)


def _folded(word: str, width: int, tiers: list[str]) -> list[str]:
    while tiers and not any(char in word for char in tiers[0]):
        tiers = tiers[1:]
    if not tiers:
        return chop_cells(word, width)
    measure = len if one_cell_each(word) else cell_len
    pieces: list[str] = []
    piece = ""
    for part in re.findall(f"[^{re.escape(tiers[0])}]*[{re.escape(tiers[0])}]+|.+", word):
        if piece and measure((piece + part).rstrip()) > width:
            pieces.append(piece)
            piece = ""
        piece += part
        if measure(piece.rstrip()) > width:
            *whole, piece = _folded(piece, width, tiers[1:])
            pieces += whole
    return [*pieces, piece]


def divide_line(text: str, width: int, fold: bool = True, fold_after: str | tuple[str, ...] = "") -> list[int]:
    """Offsets to break ``text`` at so each piece fits ``width`` cells: before a word, or inside one too long (``fold``),
    after one of the characters ``fold_after`` in it where it can (``folded``)."""
    measure = len if one_cell_each(text) else cell_len  # a table's usual text: its parts measured by their length
    if measure(text) <= width:  # every word fits after the ones before it: no break (a cell table's usual line)
        return []
    breaks: list[int] = []
    offset = 0
    for match in re.finditer(_WORD, text):
        start, word = match.start(), match.group(0)
        word_length = measure(word.rstrip())
        if width - offset >= word_length:
            offset += measure(word)
        elif word_length > width:
            if fold:
                pieces = folded(word, width, fold_after)
                for index, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if index == len(pieces) - 1:
                        offset = measure(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = measure(word)
        elif offset and start:
            breaks.append(start)
            offset = measure(word)
    return breaks


# -- styled text ------------------------------------------------------------------------------------------------


class Styled:
    """Text with styles on parts of it (rich's ``Text``): what is printed as written, whatever brackets it holds."""

    __slots__ = ("plain", "style", "spans")

    def __init__(self, text: str = "", style: str = "", spans: list[tuple[int, int, str]] | None = None) -> None:
        self.plain = text
        self.style = style
        self.spans = spans if spans is not None else []

    def __repr__(self) -> str:
        return f"Styled({self.plain!r}, {self.style!r})"

    def __str__(self) -> str:
        return self.plain

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str] | "Styled") -> "Styled":
        """Parts joined: a string as it is, ``(text, style)`` styled, a ``Styled`` with its own styles."""
        out = cls()
        for part in parts:
            if isinstance(part, tuple):
                out.append(part[0], part[1])
            elif isinstance(part, Styled):
                out.append_styled(part)
            else:
                out.append(part)
        return out

    def append(self, text: str, style: str = "") -> "Styled":
        if style and text:
            self.spans.append((len(self.plain), len(self.plain) + len(text), style))
        self.plain += text
        return self

    def append_styled(self, other: "Styled") -> "Styled":
        start = len(self.plain)
        if other.style and other.plain:
            self.spans.append((start, start + len(other.plain), other.style))
        self.spans.extend((start + a, start + b, s) for a, b, s in other.spans)
        self.plain += other.plain
        return self

    def slice(self, start: int, end: int) -> "Styled":
        """The characters from ``start`` to ``end``, with their styles."""
        spans = [(max(a, start) - start, min(b, end) - start, s) for a, b, s in self.spans if a < end and b > start]
        return Styled(self.plain[start:end], self.style, spans)

    def with_text(self, text: str) -> "Styled":
        """The same styles over ``text`` (the line cut or padded): spans beyond its end are clipped."""
        return Styled(text, self.style, [(a, min(b, len(text)), s) for a, b, s in self.spans if a < len(text)])

    def split_lines(self) -> list["Styled"]:
        if "\n" not in self.plain:
            return [self.slice(0, len(self.plain))]
        out, start = [], 0
        for part in self.plain.split("\n"):
            out.append(self.slice(start, start + len(part)))
            start += len(part) + 1
        return out

    def wrap(self, width: int, *, justify: str = "default", overflow: str = "fold", no_wrap: bool = False,
             fold_after: str | tuple[str, ...] = "") -> list["Styled"]:
        """The lines of this text in ``width`` cells, as rich's ``Text.wrap`` makes them; a word too long for a line is
        folded after one of the characters ``fold_after`` in it where it can (``folded``: not rich's)."""
        lines: list[Styled] = []
        for line in self.split_lines():
            if "\t" in line.plain:
                line = line.with_text(line.plain.expandtabs(8))
            if overflow != "ignore" and _fits(line.plain, width, justify):  # a table cell's usual line: nothing to break
                lines.append(_justified(line, width, justify))
                continue
            if no_wrap or overflow == "ignore":
                if overflow == "ignore":
                    lines.append(line)
                    continue
                pieces = [line]
            else:
                offsets = [0, *divide_line(line.plain, width, fold=overflow == "fold", fold_after=fold_after), len(line.plain)]
                pieces = [_rstrip_end(line.slice(a, b), width) for a, b in zip(offsets, offsets[1:])]
            for index, piece in enumerate(pieces):
                if _fits(piece.plain, width, justify):
                    pieces[index] = _justified(piece, width, justify)
                    continue
                if justify == "left":
                    piece = _truncate(piece, width, overflow, pad=True)
                elif justify == "right":
                    piece = _truncate(piece.with_text(piece.plain.rstrip()), width, overflow)
                    piece = Styled(" " * (width - cell_len(piece.plain)), piece.style).append_styled(piece.with_style(""))
                pieces[index] = _truncate(piece, width, overflow)
            lines.extend(pieces)
        return lines

    def with_style(self, style: str) -> "Styled":
        return Styled(self.plain, style, self.spans)

    def ansi(self, extra: str = "") -> str:
        """The text with SGR escape codes for its styles (``extra`` under them all)."""
        base = " ".join(s for s in (extra, self.style) if s)
        if not self.spans:
            return _sgr(base, self.plain)
        cuts = sorted({0, len(self.plain), *(a for a, _, _ in self.spans), *(b for _, b, _ in self.spans)})
        out = []
        for a, b in zip(cuts, cuts[1:]):
            style = " ".join([base, *(s for sa, sb, s in self.spans if sa <= a and b <= sb)]).strip()
            out.append(_sgr(style, self.plain[a:b]))
        return "".join(out)


def _fits(plain: str, width: int, justify: str) -> bool:
    """Whether a line of ``plain`` text is within ``width`` cells, one cell a character, and is not right-justified:
    then it is wrapped, stripped and cut as it is (``Styled.wrap``), and only padded when left-justified."""
    return justify != "right" and len(plain) <= width and one_cell_each(plain)


def _justified(line: Styled, width: int, justify: str) -> Styled:
    """A line that ``_fits`` as ``Styled.wrap`` gives it: padded to ``width`` when left-justified."""
    missing = width - len(line.plain)
    return line.with_text(line.plain + " " * missing) if justify == "left" and missing > 0 else line


def _rstrip_end(text: Styled, width: int) -> Styled:
    """Spaces at the end beyond ``width`` dropped (a line broken at a space keeps the ones that fit)."""
    excess = len(text.plain) - width
    trailing = re.search(_TRAILING_SPACE, text.plain) if excess > 0 else None
    return text.with_text(text.plain[: len(text.plain) - min(len(trailing.group(0)), excess)]) if trailing else text


def _truncate(text: Styled, width: int, overflow: str, pad: bool = False) -> Styled:
    length = cell_len(text.plain)
    if overflow != "ignore" and length > width:
        cut = set_cell_size(text.plain, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(text.plain, width)
        text = text.with_text(cut)
    if pad and length < width:
        text = text.with_text(text.plain + " " * (width - length))
    return text


def markup(text: str, style: str = "") -> Styled:
    """Console markup (``[bold]x[/]``, ``\\[`` for a literal bracket) as styled text, the way rich reads it."""
    out = Styled(style=style)
    if "[" not in text:
        out.plain = text
        return out
    open_tags: list[tuple[int, str]] = []
    position = 0

    def plain(piece: str) -> None:
        out.plain += piece.replace("\\[", "[")

    for match in re.finditer(_TAG, text):
        full, escapes, tag = match.groups()
        start, end = match.span()
        if start > position:
            plain(text[position:start])
        position = end
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            if backslashes:
                out.plain += "\\" * backslashes
            if escaped:
                out.plain += full[len(escapes):]
                continue
        if tag.startswith("/"):
            name = tag[1:].strip()
            for index in range(len(open_tags) - 1, -1, -1):
                if not name or open_tags[index][1] == name:
                    begin, opened = open_tags.pop(index)
                    if not opened.startswith("@") and len(out.plain) > begin:
                        out.spans.append((begin, len(out.plain), opened))
                    break
            else:
                raise ValueError(f"closing tag '[{tag}]' at position {start} doesn't match any open tag")
        else:
            open_tags.append((len(out.plain), tag.strip()))
    if position < len(text):
        plain(text[position:])
    for begin, opened in open_tags:  # rich closes what is left open at the end
        if not opened.startswith("@") and len(out.plain) > begin:
            out.spans.append((begin, len(out.plain), opened))
    return out


# -- ANSI -------------------------------------------------------------------------------------------------------

_COLORS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7", "strike": "9"}


def _sgr(style: str, text: str) -> str:
    codes: list[str] = []
    background = False
    for word in style.split():
        if word == "on":
            background = True
            continue
        name = word.removeprefix("bright_")
        if word in _ATTRIBUTES:
            codes.append(_ATTRIBUTES[word])
        elif name in _COLORS:
            codes.append(str((40 if background else 30) + (60 if word.startswith("bright_") else 0) + _COLORS.index(name)))
        background = False
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes and text else text


# -- the console --------------------------------------------------------------------------------------------------


class Console:
    """Where the CLI prints: stdout, or stderr with ``stderr=True`` (looked up at each print, so a test can capture it)."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._rich: rich.console.Console | None = None

    @property
    def file(self) -> Any:
        return sys.stderr if self._stderr else sys.stdout

    @property
    def width(self) -> int:
        """``$COLUMNS``, else the terminal's width, else 80 (as rich measures it)."""
        columns = os.environ.get("COLUMNS")
        if columns is not None and columns.isdigit():
            return int(columns)
        if os.environ.get("TERM", "").lower() in ("dumb", "unknown") and self.is_terminal:
            return DEFAULT_WIDTH
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            return width or DEFAULT_WIDTH
        return DEFAULT_WIDTH

    @property
    def is_terminal(self) -> bool:
        isatty = getattr(self.file, "isatty", None)
        try:
            return bool(isatty and isatty())
        except ValueError:
            return False

    @property
    def color(self) -> bool:
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        return self.is_terminal and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")

    def lines(self, obj: Any, *, soft_wrap: bool = False, width: int | None = None) -> Iterator[Styled]:
        """The lines ``obj`` prints as: a table's own, else its text wrapped at the width (as it is with ``soft_wrap``).

        ``width``: the console's, when the caller has it already."""
        if width is None:
            width = self.width
        if hasattr(obj, "render_lines"):
            yield from obj.render_lines(width)
            return
        text = obj if isinstance(obj, Styled) else markup(str(obj))
        yield from text.wrap(width, no_wrap=soft_wrap, overflow="ignore" if soft_wrap else "fold")

    def print(self, *objects: Any, highlight: bool = False, soft_wrap: bool = False, end: str = "\n", **_: Any) -> None:
        """Each object on its own lines: markup text, ``Styled`` text, or a table (anything with ``render_lines``)."""
        color, width = self.color, self.width
        out: list[str] = []
        for obj in objects or ("",):
            for line in self.lines(obj, soft_wrap=soft_wrap, width=width):
                if not soft_wrap and cell_len(line.plain) > width:  # rich crops what is wider than the console
                    line = line.with_text(set_cell_size(line.plain, width))
                out.append(line.ansi() if color else line.plain)
        self.file.write("\n".join(out) + end)
        self.file.flush()

    def rich(self) -> "rich.console.Console":
        """A rich console on the same stream, for what needs rich itself (a progress bar)."""
        if self._rich is None:
            from rich.console import Console as RichConsole

            self._rich = RichConsole(stderr=self._stderr)
        return self._rich


console = Console()
err_console = Console(stderr=True)
