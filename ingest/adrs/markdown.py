"""The parts of an ADR's Markdown an ADR reader needs, from markdown-it-py's token stream.

``Document`` collects the first-level title, the sections (their lines and
paragraphs), the ``Key: value`` lines before the first section (MADR 2 /
log4brains metadata bullets; and the rows of a table of fields there, a
Markdown table's ``| Status | Draft |`` or an HTML table's
``<tr><td> Status </td><td> Accepted </td></tr>``, as conda's Enhancement
Proposals give theirs), ```` ```cairn ```` blocks (rules) and the inline code
spans; ``split_inline`` gives one line's plain text and links.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from cairn.ingest.lazy_pattern import LazyPattern

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SUMMARY_CHARS = 400
#: What an inline block must hold (lower-case) to be read for a relation to another record (``fields.relations_in_prose``).
RELATION_STEMS = ("supersed", "superced", "replace", "amend")


@cache
def commonmark() -> "MarkdownIt":
    """The CommonMark parser, made when the first ADR is read (an ingest without ADRs does not import markdown-it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


META_LINE = LazyPattern(
    r"^\W{0,3}(status|deciders|decision[- _]makers?|date|creation[- _]date|created|tags|consulted|informed|components)"
    r"\s*(?:(?:\*\*|__)\s*)?:\s*(?:(?:\*\*|__)\s*)?(.*)$",  # (no two runs of spaces side by side: no backtracking)
    re.I,
)


#: Where a line of bold keys holds another (cert-manager's ``**Status:** Draft **Date:** 2025-09-20``).
#: (Zero-width, after a space: a pattern consuming the spaces before it backtracked over every run of spaces, the
#: square of its length.)
_NEXT_BOLD_KEY = LazyPattern(
    r"(?<=\s)(?=(?:\*\*|__)(?:status|deciders|decision[- _]makers?|date|creation[- _]date|created|tags|consulted"
    r"|informed|components)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:))", re.I)


class Document:
    """The parts of a Markdown token stream an ADR reader needs."""

    def __init__(self, tokens: list[Token], line_offset: int):
        self.h1: str | None = None
        self.first_heading: str | None = None
        # sections: (level, normalised title, raw title, list of "lines" (markdown source of inline blocks))
        self.sections: list[tuple[int, str, str, list[str], list[str]]] = []
        self.preamble: list[str] = []  # lines before the first section heading after the title
        self.preamble_paragraphs: list[str] = []
        self.cairn_blocks: list[tuple[int, str]] = []
        texts: list[str] = []
        self.code_spans: list[str] = []
        self.link_targets: list[str] = []  # every link's target as written (``../../internal/storage/x.go``)
        #: the inline blocks (Markdown source) that may state a relation to another record ("This RFC has been
        #: superseded by [X](x.md)": ``fields.relations_in_prose``), by a word stem they hold
        self.relation_paragraphs: list[str] = []
        current: tuple[int, str, str, list[str], list[str]] | None = None
        pending_heading: int | None = None
        # the list items open at each token, and the last heading's position: whether a paragraph is a list item's
        # (an open item after the last heading), kept as the walk goes (scanning back from every paragraph, a record
        # of 20,000 list items took 3 s, the square of its length)
        open_items: list[int] = []
        last_heading = -1
        for i, tok in enumerate(tokens):
            if tok.type == "list_item_open":
                open_items.append(i)
            elif tok.type == "list_item_close" and open_items:
                open_items.pop()
            if tok.type == "heading_open":
                pending_heading = int(tok.tag[1:])
                last_heading = i
                continue
            if tok.type == "inline" and pending_heading is not None:
                title = plain_text(tok)
                texts.append(title)
                if self.first_heading is None:
                    self.first_heading = title
                if pending_heading == 1 and self.h1 is None:
                    self.h1 = title
                else:
                    current = (pending_heading, title.strip().lower(), tok.content, [], [])
                    self.sections.append(current)
                pending_heading = None
                self._code(tok)
                continue
            if tok.type == "inline":
                lines = [ln.strip() for ln in tok.content.split("\n") if ln.strip()]
                target_lines = current[3] if current is not None else self.preamble
                target_lines.extend(lines)
                plain = plain_text(tok)
                texts.append(plain)
                listed = bool(open_items) and open_items[-1] > last_heading
                paragraph = tokens[i - 1].type == "paragraph_open" and not listed
                if paragraph:
                    (current[4] if current is not None else self.preamble_paragraphs).append(plain)
                lowered = tok.content.lower()
                if any(stem in lowered for stem in RELATION_STEMS):
                    self.relation_paragraphs.append(tok.content)
                self._code(tok)
            elif tok.type in ("fence", "code_block"):
                info = (tok.info or "").strip().split()
                if info and info[0].lower() == "cairn":
                    self.cairn_blocks.append(((tok.map[0] if tok.map else 0) + line_offset, tok.content))
                texts.append(tok.content)
            elif tok.type == "html_block":
                if current is None:  # (a table of fields: conda's CEPs)
                    self.preamble += html_table_fields(tok.content)
                continue
        self.text = "\n".join(texts)

    def _code(self, tok: Token) -> None:
        for child in tok.children or []:
            if child.type == "code_inline":
                self.code_spans.append(child.content.strip())
            elif child.type == "link_open":
                self.link_targets.append(str(child.attrs.get("href") or ""))

    def section(self, name: str) -> list[str] | None:
        """Lines of the first section titled ``name`` (or "name: value", whose value is the first line)."""
        for level, title, raw_title, lines, _ in self.sections:
            if level < 2:
                continue
            if title == name or title.rstrip(":") == name:
                return list(lines)
            if title.startswith(name + ":"):
                head = raw_title.split(":", 1)[1].strip()
                return ([head] if head else []) + list(lines)
        return None

    def field_lines(self) -> list[str]:
        """The lines before the first section, a Markdown table's rows of two cells as ``Key: value`` lines."""
        return [table_row_field(line) or line for line in self.preamble]

    def key_lines(self) -> dict[str, list[str]]:
        """``Key: value`` lines (bullets, bold keys, plain lines) before the first section."""
        out: dict[str, list[str]] = {}
        for line in (part.rstrip() for whole in self.field_lines() for part in _NEXT_BOLD_KEY.split(whole)):
            m = META_LINE.match(line)
            if not m:
                continue
            key = m.group(1).lower()
            key = "deciders" if key.startswith("decision") else "date" if key.startswith("creat") else key
            value = without_comments(m.group(2)).strip()
            value = value.strip("*_ ").strip()
            if value:
                out.setdefault(key, []).append(value)
        return out

    def summary(self) -> str | None:
        for wanted in ("summary", "context", "decision"):  # (an RFC's or a KEP's "## Summary" first)
            for level, title, _, _, paragraphs in self.sections:
                if level >= 2 and wanted in title and paragraphs:
                    return shorten(paragraphs[0])
        for paragraph in self.preamble_paragraphs:
            if not META_LINE.match(paragraph):
                return shorten(paragraph)
        return None


#: What parts an HTML table's rows and cells (the cells' tags themselves), and any other tag.
_HTML_ROW = LazyPattern(r"<tr\b[^>]*>", re.I)
_HTML_CELL = LazyPattern(r"</?t[dh]\b[^>]*>|</tr\s*>", re.I)
_HTML_TAG = LazyPattern(r"<[^<>]*>")


def html_table_fields(html: str) -> list[str]:
    """The rows of two cells of an HTML table as ``Key: value`` lines, their tags left out and their entities read
    (``<tr><td> Author(s) </td><td> Jannis &lt;j@x.com&gt;</td></tr>`` → ``Author(s): Jannis <j@x.com>``); nothing for
    another block. Split on the tags, not matched across them: the block is a stranger's."""
    from html import unescape

    fields = []
    for row in _HTML_ROW.split(html)[1:]:
        cells = [" ".join(unescape(_HTML_TAG.sub("", cell)).split()) for cell in _HTML_CELL.split(row)]
        cells = [cell for cell in cells if cell]
        if len(cells) == 2:
            fields.append(f"{cells[0]}: {cells[1]}")
    return fields


def table_row_field(line: str) -> str | None:
    """A Markdown table's row of two cells as a ``Key: value`` line (``| **Status** | Draft |`` → ``**Status**:
    Draft``); None for another line."""
    if not line.startswith("|"):
        return None
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if len(cells) != 2 or not cells[0] or not cells[1] or set(cells[1]) <= set("-: "):
        return None
    return f"{cells[0]}: {cells[1]}"


def without_comments(text: str) -> str:
    """``text`` with each closed HTML comment (``<!-- … -->``) and the spaces around it one space, as
    ``re.sub(r"\\s*<!--.*?-->\\s*", " ", text)`` gives it, in one pass (that pattern backtracked over runs of spaces:
    the square of their length)."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        end = text.find("-->", start + 4) if start >= 0 else -1
        if end < 0:
            out.append(text[position:])
            return "".join(out)
        out += [text[position:start].rstrip(), " "]
        position = end + 3
        while position < len(text) and text[position].isspace():
            position += 1


def plain_text(tok: Token) -> str:
    """An inline token's text without markup (link texts kept, URLs dropped)."""
    parts = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()


def split_inline(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """Plain text and links ``(text, href)`` of one line of Markdown."""
    tokens = commonmark().parseInline(markdown)
    if not tokens:
        return markdown, []
    links: list[tuple[str, str]] = []
    href: str | None = None
    buf: list[str] = []
    for child in tokens[0].children or []:
        if child.type == "link_open":
            href, buf = str(child.attrs.get("href") or ""), []
        elif child.type == "link_close":
            links.append(("".join(buf).strip(), href or ""))
            href = None
        elif child.type in ("text", "code_inline") and href is not None:
            buf.append(child.content)
    return plain_text(tokens[0]), links


def shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut + "…"

