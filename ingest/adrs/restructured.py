"""The parts of an ADR written in reStructuredText an ADR reader needs, from docutils' document tree.

Open edX keeps its decisions this way in hundreds of repositories (OEP-19:
``docs/decisions/0001-record-architecture-decisions.rst``, a title, then
``Status``, ``Context``, ``Decision``, ``Consequences`` sections), and so do
many Sphinx-documented projects. ``RstDocument`` fills what
``markdown.Document`` holds — the title, the sections with their lines and
paragraphs, the field list before the first section (``:Status: Accepted``,
``:Deciders: …``; or a table of two columns there, each row a field: scrapy's
Scrapy Enhancement Proposals open on a simple table, ``Status   Obsoleted by
:ref:`sep-008```), ``.. code-block:: cairn`` blocks and the inline literals —
so that one reader (``formats.parse_decision``) reads both. Each line is given
in Markdown (a reference as ``[text](target)``), the form the fields' readers
(``fields.read_status``, ``fields.relation_refs``) take.

The text is a stranger's: docutils reads no configuration file, inserts no
file or URL (``include``, ``csv-table :file:``), passes no ``raw`` content and
reports nothing. Sphinx's cross-reference roles (``:doc:`0003-use-x```,
``:ref:``) are read as links to their target; other roles and directives
docutils does not know are left out.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from cairn.ingest.adrs.fields import one_line
from cairn.ingest.adrs.markdown import Document
from cairn.ingest.adrs.records import AdrFormatError

if TYPE_CHECKING:
    from docutils import nodes as docutils_nodes

#: docutils' settings for a stranger's text (see the module docstring).
_SETTINGS: dict[str, Any] = {
    "_disable_config": True, "file_insertion_enabled": False, "raw_enabled": False, "report_level": 5,
    "halt_level": 5, "warning_stream": False, "traceback": True, "doctitle_xform": True, "docinfo_xform": True,
    "syntax_highlight": "none", "smart_quotes": False, "input_encoding": "unicode", "output_encoding": "unicode",
}
#: Sphinx's roles that name another document or a label: read as a link to it.
_LINK_ROLES = ("doc", "ref", "any")
_TITLED_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_CAIRN_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?:code-block|code|sourcecode)::\s*cairn\s*$", re.I)
#: A field's name alone on a paragraph's first line, its value below it (a section title missing its underline).
_FIELD_WORDS = frozenset({"status", "date", "deciders"})
#: A row of a simple table of fields docutils could not read as one, a line of a paragraph before the first section:
#: the field's name, two spaces or more, its value (scrapy's ``sep-003.rst``, whose table's border is one column wide).
_FIELD_ROW = re.compile(r"^(?P<key>[A-Za-z][\w-]*(?: [a-z]+)?)[ \t]{2,}(?P<value>\S.*)$")
_SKIPPED = ("system_message", "comment", "target", "substitution_definition", "pending", "raw")


@cache
def _nodes() -> Any:
    """docutils' node classes, with Sphinx's link roles registered once (imported when the first .rst is read)."""
    from docutils import nodes
    from docutils.parsers.rst import roles

    def link_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None,
                  content: Any = None) -> tuple[list, list]:
        m = _TITLED_TARGET.match(text)
        label, target = (m.group("text"), m.group("target")) if m else (text, text)
        return [nodes.reference(rawtext, label, refuri=target.strip())], []

    for role in _LINK_ROLES:
        roles.register_local_role(role, link_role)
    return nodes


def parse(text: str) -> "docutils_nodes.document":
    """docutils' document tree of ``text``, read as the module docstring says."""
    _nodes()
    from docutils.core import publish_doctree

    return publish_doctree(text, settings_overrides=dict(_SETTINGS))


class RstDocument(Document):
    """``markdown.Document``'s parts, read from a reStructuredText document tree."""

    def __init__(self, text: str):  # noqa: D107 (the parts are Document's)
        nodes = _nodes()
        self.h1 = None
        self.first_heading = None
        self.sections = []
        self.preamble = []
        self.preamble_paragraphs = []
        self.cairn_blocks = []
        self.code_spans = []
        self.link_targets = []
        self.relation_paragraphs: list[str] = []  # (a relation in a sentence is read in Markdown only)
        self._nodes_module = nodes
        self._texts: list[str] = []
        self._cairn_lines = [i + 1 for i, line in enumerate(text.split("\n")) if _CAIRN_DIRECTIVE.match(line)]
        try:
            self._read(parse(text))
        except (RecursionError, MemoryError):
            raise AdrFormatError("nested too deeply to be read as reStructuredText") from None
        except Exception as exc:  # docutils' own errors: a stranger's text must not end the ingest
            raise AdrFormatError(f"cannot be read as reStructuredText ({one_line(exc)})") from None
        self.text = "\n".join(self._texts)

    def _read(self, tree: Any) -> None:
        nodes = self._nodes_module
        children = list(tree.children)
        title = next((c for c in children if isinstance(c, nodes.title)), None)
        if title is not None:
            self.h1 = self.first_heading = self._title(title)
            self._walk([c for c in children if c is not title], 2, None)
        else:
            # No single title (the record's sections sit at its title's level): the first section's is the title.
            first = next((c for c in children if isinstance(c, nodes.section)), None)
            if first is not None:
                self.h1 = self.first_heading = self._title(first[0])
                before = children[: children.index(first)]
                self._walk(before + list(first.children[1:]), 2, None)
                self._walk(children[children.index(first) + 1:], 2, None)
            else:
                self._walk(children, 2, None)

    def _title(self, title: Any) -> str:
        self._inline(title)  # its literals are code spans too
        text = title.astext().strip()
        self._texts.append(text)
        return text

    def _walk(self, children: list[Any], level: int, current: tuple | None, in_list: bool = False) -> None:
        nodes = self._nodes_module
        for child in children:
            name = child.tagname
            if name in _SKIPPED or isinstance(child, nodes.Invisible):
                continue
            if isinstance(child, nodes.section):
                raw = self._title(child[0])
                section = (level, raw.lower(), raw, [], [])
                self.sections.append(section)
                if self.first_heading is None:
                    self.first_heading = raw
                self._walk(list(child.children[1:]), level + 1, section)
                continue
            if isinstance(child, (nodes.docinfo, nodes.field_list)) and current is None:
                self._fields(child)
                continue
            if isinstance(child, nodes.table) and current is None and self._table_fields(child):
                continue
            if isinstance(child, nodes.literal_block):
                classes = [c.lower() for c in child.get("classes", [])]
                if "cairn" in classes:
                    # docutils' own line of a literal block is the one after it: the directive's, from the text
                    at = self._cairn_lines[len(self.cairn_blocks)] if len(self._cairn_lines) > len(self.cairn_blocks) else 0
                    self.cairn_blocks.append((at, child.astext() + "\n"))
                self._texts.append(child.astext())
                continue
            if isinstance(child, (nodes.paragraph, nodes.line)):
                markdown, plain = self._inline(child)
                lines = [ln.strip() for ln in markdown.split("\n") if ln.strip()]
                if current is None and len(lines) > 1 and lines[0].lower() in _FIELD_WORDS:
                    lines = [f"{lines[0]}: {' '.join(lines[1:])}"]  # "Status" over "**Draft**", no underline
                elif current is None and len(lines) > 1 and all(map(_FIELD_ROW.match, lines[:2])):
                    lines = [_field_of_row(line) for line in lines]  # (a table's rows, not prose: two at least)
                (current[3] if current is not None else self.preamble).extend(lines)
                if not in_list and plain:
                    (current[4] if current is not None else self.preamble_paragraphs).append(plain)
                self._texts.append(plain)
                continue
            inside_list = in_list or isinstance(child, (nodes.bullet_list, nodes.enumerated_list, nodes.definition_list))
            self._walk(list(child.children), level, current, inside_list)

    def _fields(self, fields: Any) -> None:
        """``:Status: Accepted`` and the like (docutils' docinfo or a field list): ``Key: value`` preamble lines."""
        nodes = self._nodes_module
        for field in fields.children:
            if isinstance(field, nodes.field):
                key, value = field[0].astext().strip(), self._inline(field[1])[0]
            elif isinstance(field, nodes.Element):  # a bibliographic field docutils names itself: status, date …
                key, value = field.tagname, self._inline(field)[0]
            else:
                continue
            line = f"{key}: {' '.join(value.split())}"
            self.preamble.append(line)
            self._texts.append(line)

    def _table_fields(self, table: Any) -> bool:
        """A table of two columns before the first section, each row a field (``SEP  1``, ``Status  Final``): its rows
        as ``Key: value`` preamble lines. False, nothing read, for another table."""
        nodes = self._nodes_module
        rows = list(table.findall(nodes.row))
        if not rows or any(len(row.children) != 2 for row in rows):
            return False
        for key_entry, value_entry in (row.children for row in rows):
            key = " ".join(key_entry.astext().split())
            value = " ".join(" ".join(self._inline(paragraph)[0] for paragraph in value_entry.findall(nodes.paragraph)).split())
            if key and value:
                line = f"{key}: {value}"
                self.preamble.append(line)
                self._texts.append(line)
        return True

    def _inline(self, node: Any) -> tuple[str, str]:
        """(Markdown, plain text) of a text element: references as ``[text](target)``, literals as code spans."""
        markdown: list[str] = []
        plain: list[str] = []
        self._inline_into(node, markdown, plain)
        return "".join(markdown), "".join(plain).strip()

    def _inline_into(self, node: Any, markdown: list[str], plain: list[str]) -> None:
        nodes = self._nodes_module
        for child in node.children:
            if isinstance(child, nodes.Text):
                markdown.append(child.astext())
                plain.append(child.astext())
            elif isinstance(child, (nodes.system_message, nodes.problematic)):
                continue
            elif isinstance(child, nodes.reference) and (child.get("refuri") or child.get("refname")):
                text = child.astext()
                markdown.append(f"[{text}]({child.get('refuri') or child.get('refname')})")
                plain.append(text)
                if child.get("refuri"):
                    self.link_targets.append(child["refuri"])
            elif isinstance(child, nodes.literal):
                text = child.astext()
                self.code_spans.append(text.strip())
                markdown.append(f"`{text}`")
                plain.append(text)
            else:  # emphasis, strong, a reference with no target …: their text
                self._inline_into(child, markdown, plain)


def _field_of_row(line: str) -> str:
    """A line that is a row of fields docutils could not read as a table (``Status   Obsolete by …``) as a field,
    ``Status: Obsolete by …``; another line as it is."""
    m = _FIELD_ROW.match(line)
    return f"{m.group('key')}: {m.group('value')}" if m else line
