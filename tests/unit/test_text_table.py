"""The CLI's console and tables (``render.console``, ``render.text_table``) print what rich printed before them.

The CLI stopped importing rich for start-up time; its tables and wrapped
lines must not change. Each case is drawn both ways — by rich (still
installed: ``cairn ingest`` and ``cairn serve`` use it) and by Cairn's own
writer — at several console widths, and the text must be the same to the byte.
"""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console as RichConsole
from rich.markup import escape as rich_escape
from rich.table import Column as RichColumn
from rich.table import Table as RichTable
from rich.text import Text

from cairn.api.render.console import Console, Styled, escape
from cairn.api.render.text_table import Column, Table

WORDS = ["a", "core", "src/odd/core/__init__.py", "Ada [x] Lovelace", "x" * 30, "yes", "no", "—", "1", "12345",
         "inactive since 2024-01", "a b c d e f g", "averyveryveryverylongidentifier.module.name.here", "Zoë", "日本語", "",
         "line\nnext", "trail ", "[bold]not markup[/]", "back\\slash"]


def _text(rng: random.Random, most: int = 4) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, most)))


def _print(width: int, thing, monkeypatch, **kwargs) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    out = io.StringIO()
    console = Console()
    monkeypatch.setattr("sys.stdout", out)
    console.print(thing, **kwargs)
    return out.getvalue()


def _rich(width: int, thing, **kwargs) -> str:
    out = io.StringIO()
    RichConsole(file=out, width=width, color_system=None, emoji=False).print(thing, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("seed", range(400))
def test_a_table_is_drawn_as_rich_draws_it(seed, monkeypatch):
    rng = random.Random(seed)
    columns = [dict(justify=rng.choice(["left", "right"]), no_wrap=rng.random() < 0.3, overflow=rng.choice(["fold", "ellipsis"]),
                    width=rng.choice([None, None, None, rng.randint(8, 20)])) for _ in range(rng.randint(1, 7))]
    rows = [[_text(rng) for _ in columns] for _ in range(rng.randint(0, 4))]
    title = rng.choice([None, "Components by risk", "a very long title " * rng.randint(1, 8)])
    show_header = rng.random() < 0.85
    width = rng.choice([60, 80, 100, 200])
    theirs = RichTable(*[RichColumn(f"h{i}", **c) for i, c in enumerate(columns)], title=Text(title) if title else None,
                       title_justify="left", show_header=show_header)
    ours = Table(*[Column(Styled(f"h{i}"), **c) for i, c in enumerate(columns)], title=Styled(title) if title else None,
                 show_header=show_header)
    for row in rows:
        theirs.add_row(*[Text(cell) for cell in row])
        ours.add_row(*[Styled(cell) for cell in row])
    assert _print(width, ours, monkeypatch) == _rich(width, theirs)


@pytest.mark.parametrize("seed", range(200))
def test_markup_cells_and_lines_read_as_rich_reads_them(seed, monkeypatch):
    rng = random.Random(seed)
    text = rng.choice(["", "[bold]x[/] ", "[yellow]note:[/] ", "\\[x] ", "[dim]a [/dim]", "[bold red]error:[/] "]) + escape(_text(rng, 12))
    width, soft_wrap = rng.choice([20, 40, 80]), rng.random() < 0.3
    assert _print(width, text, monkeypatch, soft_wrap=soft_wrap) == _rich(width, text, highlight=False, soft_wrap=soft_wrap)
    theirs, ours = RichTable("a", "b", title="t[x]", title_justify="left"), Table("a", "b", title="t[x]")
    theirs.add_row(text, "[bold yellow]hidden[/]")
    ours.add_row(text, "[bold yellow]hidden[/]")
    assert _print(width, ours, monkeypatch) == _rich(width, theirs)


@pytest.mark.parametrize("text", ["[x]", "a[/]b", "core[x]", "\\", "a\\", "\\[x]", "[bold]", "[tool.cairn]", "C:\\dir\\[x]", "x[1]"])
def test_escape_is_rich_escape(text):
    assert escape(text) == rich_escape(text)


def test_cell_len_counts_as_each_character_measured():
    """``cell_len`` takes characters of ``ONE_CELL_CHARS`` as one cell without measuring them: every one of them
    must measure one cell, and any text must count as the sum of its characters' cells."""
    import re

    from cairn.api.render.console import _NOT_ONE_CELL, _measure_char, cell_len

    one_cell = [chr(c) for c in range(0x110000) if not re.match(_NOT_ONE_CELL, chr(c))]
    assert len(one_cell) > 1000 and all(_measure_char(ch) == 1 for ch in one_cell)
    rng = random.Random(5)
    alphabet = one_cell[:200] + ["\u0301", "\u200b", "日", "本", "\x07", "é", "─", "┃", "→", "◽", "\U0001f600", "\t"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert cell_len(text) == sum(_measure_char(ch) for ch in text), repr(text)


def test_lines_break_where_rich_breaks_them():
    """``divide_line`` against rich's own, at widths around each text's length (a line that just fits is not broken),
    and ``Styled.split_lines`` with and without line breaks."""
    from rich._wrap import divide_line as rich_divide_line

    from cairn.api.render.console import cell_len, divide_line

    rng = random.Random(11)
    for _ in range(600):
        text = _text(rng, 6).replace("\n", " ")
        size = cell_len(text)
        for width in {1, 2, 5, max(size - 1, 1), max(size, 1), size + 1, 40}:
            for fold in (True, False):
                assert divide_line(text, width, fold) == rich_divide_line(text, width, fold), (text, width, fold)
    for text in ["", "one", "one\ntwo", "\n", "a\n\nb\n"]:
        styled = Styled(text, "bold", [(0, len(text), "red")])
        starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
        ends = [*(i for i, ch in enumerate(text) if ch == "\n"), len(text)]
        assert [(s.plain, s.style, s.spans) for s in styled.split_lines()] == \
            [(s.plain, s.style, s.spans) for s in (styled.slice(a, b) for a, b in zip(starts, ends))]
