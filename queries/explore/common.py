"""What the exploration queries share: unknown names with suggestions, decisions as rows, dates as text, Markdown
as plain text (and its CommonMark parser), a purpose's first sentence."""

from __future__ import annotations

import difflib
import re
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from cairn.graph.decisions import is_in_force, is_retired
from cairn.graph.errors import UnknownName
from cairn.graph.model import Label, Node, RepoGraph


def unknown_name(kind: str, name: str, candidates: Iterable[str], repo: str) -> UnknownName:
    """The error for a name the graph does not hold, suggesting close matches."""
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else f"; `cairn search {name}` lists what matches"
    return UnknownName(f"no {kind} named {name!r} in repository {repo}{hint}", kind=kind, name=name, suggestions=close)


def person_name(node: Node | None, fallback: str) -> str:
    if node is None:
        return fallback
    return str(node.get("name") or node.get("display_name") or node.key)


def decision_summary(node: Node) -> dict[str, Any]:
    return {
        "path": node.key,
        "number": node.get("number"),
        "title": node.get("title") or Path(node.key).stem,
        "status": node.get("status"),
        "date": as_text(node.get("date")),
    }


def as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).isoformat(timespec="seconds")
    return str(value)


def component_node(graph: RepoGraph, name: str) -> Node:
    node = graph.node(Label.COMPONENT, name)
    if node is None:
        raise unknown_name("component", name, (c.key for c in graph.of_label(Label.COMPONENT)), graph.repo)
    return node


def decision_order(node: Node, inferred: bool = False) -> tuple:
    """Accepted first, then the rest, retired last; newest first within each; explicit links before inferred."""
    status = node.get("status")
    group = 0 if is_in_force(status) else 2 if is_retired(status) else 1
    date = as_text(node.get("date")) or ""
    return (group, inferred, not date, negated(date), node.key)


def negated(text: str) -> tuple:
    """Sort strings descending inside an ascending key."""
    return tuple(-ord(ch) for ch in text)


_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])|\[(`[^`\]]+`)\]")
_EMPHASIS = re.compile(r"[*_`]{1,3}([^*_`]+)[*_`]{1,3}")


@cache
def commonmark(tables: bool = False) -> Any:
    """The CommonMark parser (markdown-it-py), made when first asked for: it takes 50 ms to import, which a card whose
    purpose needs no README does not pay. ``tables``: with GitHub's tables (a README's table of its modules)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table") if tables else MarkdownIt("commonmark")


def plain_markdown(text: str) -> str:
    """Markdown's inline marks dropped for a line of prose: a link keeps its text (``[text](url)``, ``[text][ref]``,
    a rustdoc intra-doc link ``[`Runtime`]`` — tauri-runtime-wry's crate doc "The [`wry`] Tauri [`Runtime`]."),
    emphasis and code spans their words."""
    return _EMPHASIS.sub(r"\1", _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text))


#: reStructuredText's inline markup: a literal (````x````), an interpreted text role (``:class:`Foo```, ``:ref:`label
#: <target>```) or a link (```x`_``), each read as the text it shows
_RST_INLINE = re.compile(r"``([^`]+)``|(?::[\w:.-]+:)?`([^`<]*?)\s*(?:<[^`>]*>)?`_{0,2}")


def plain_rst(text: str) -> str:
    """A line of a Python docstring without reStructuredText's inline markup: Cairn's own ``api`` package read "The
    interfaces: the ``cairn`` CLI"; Sphinx's docstrings name :class:`…` and :mod:`…`."""
    return _RST_INLINE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


#: What a purpose's first sentence keeps at most (a README's first paragraph can run to hundreds of words).
PURPOSE_SHOWN = 160
_LIST_ITEM = re.compile(r"(?:^|\s)[-*] ")
#: where a sentence ends: a stop, then a capital — not after an abbreviation ("the markup handling (e.g. Markdown)",
#: hugo's ``markup`` package, was cut to "… handling (e.g.")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[Ee]\.g\.)(?<!\b[Ii]\.e\.)(?<!\bvs\.)(?<!\b[Cc]f\.)\s+(?=[A-Z(\"'`])")


def seen_whole(text: str) -> bool:
    """Whether the first sentence of a purpose is shown whole at a glance (``first_sentence`` does not cut it)."""
    text = " ".join(text.split())
    return len(_SENTENCE_END.split(text, maxsplit=1)[0]) <= PURPOSE_SHOWN


def first_sentence(text: str) -> str:
    """The first sentence of a purpose (up to ``PURPOSE_SHOWN`` characters, cut at a word with "…"); of a purpose
    that is a list (tauri-codegen's crate doc: "- Embed, hash, and compress assets … - Parse tauri.conf.json …"), its
    first item's."""
    text = " ".join(text.split())
    if _LIST_ITEM.match(text):
        text = _LIST_ITEM.split(text[2:], maxsplit=1)[0]
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) <= PURPOSE_SHOWN:
        return sentence
    return sentence[:PURPOSE_SHOWN].rsplit(" ", 1)[0].rstrip(",;:") + "…"
