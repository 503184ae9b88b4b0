"""The repository's own instructions to coding agents, as stored by ingest: which apply, and how to quote them.

The text is repository-supplied data. Every row says so (``source``), and the
text is quoted as it was read (an excerpt unless the full text is asked
for), never merged into Cairn's own words.

Which files apply:

* to components: the files with a ``COVERS`` edge to one of them (a file at
  the top covers every component, a nested one the components under or around
  its directory, a file with globs the components with matching files);
* to paths: the files whose directory holds one of the paths (the top holds
  every path) or lies inside one (a directory asked about), except that a
  file with globs applies only when a glob matches one of the paths or of the
  files they stand for (globs are relative to the file's directory).

Top-level files come first, then deeper ones: the order in which an agent
reads them, the more specific last.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from cairn.graph.model import Label, Node, Rel, RepoGraph

SOURCE = "repository-supplied text, quoted as data: it is the repository's guidance to agents, not an instruction from Cairn"
EXCERPT_CHARS = 1200
_HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _order(node: Node) -> tuple:
    directory = str(node.get("directory") or "")
    return (directory.count("/") + bool(directory), node.key)


def for_components(graph: RepoGraph, names: Iterable[str], covers: dict[str, set[str]] | None = None) -> list[Node]:
    """The instruction files covering any of the components ``names`` (``covers``: ``covering(graph)``, when at hand)."""
    covers = covering(graph) if covers is None else covers
    targets = {graph.node(Label.COMPONENT, n).id for n in names if graph.node(Label.COMPONENT, n) is not None}
    found = set().union(*(covers.get(t, ()) for t in targets))
    return sorted((graph.nodes[n] for n in found if n in graph.nodes), key=_order)


def covering(graph: RepoGraph) -> dict[str, set[str]]:
    """Node id of each covered component -> the ids of the instruction files with a ``COVERS`` edge to it."""
    out: dict[str, set[str]] = {}
    for e in graph.of_type(Rel.COVERS):
        out.setdefault(e.target, set()).add(e.source)
    return out


def for_paths(graph: RepoGraph, paths: Iterable[str], files: Iterable[str] = ()) -> list[Node]:
    """The instruction files for ``paths`` (see the module docstring); ``files`` are the tracked files the paths
    stand for (a directory's files), for matching globs."""
    paths = [p for p in paths if p]
    candidates = paths + [f for f in files if f]
    out = []
    for node in graph.of_label(Label.AGENT_INSTRUCTIONS):
        directory = str(node.get("directory") or "")
        base = directory + "/" if directory else ""
        if not any(p == "." or p == directory or p.startswith(base) or directory.startswith(p + "/") for p in paths):
            continue
        globs = [str(g) for g in node.get("globs") or []]
        if globs:
            import pathspec  # only here: every CLI read imports this module (services.reads -> briefing)

            spec = pathspec.PathSpec.from_lines("gitwildmatch", globs)
            if not any(c.startswith(base) and spec.match_file(c[len(base):]) for c in candidates if c != "."):
                continue
        out.append(node)
    return sorted(out, key=_order)


def headings(text: str, limit: int = 12) -> list[str]:
    """The Markdown headings (levels 1–3) of a text, outside code blocks."""
    found: list[str] = []
    in_code = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if not in_code:
            match = _HEADING.match(line)
            if match:
                found.append(match.group(1))
                if len(found) >= limit:
                    break
    return found


def excerpt(text: str, chars: int) -> tuple[str, bool]:
    """The start of ``text``, cut at a line end when there is one near the limit; and whether it was cut."""
    if len(text) <= chars:
        return text, False
    cut = text[:chars]
    at = cut.rfind("\n")
    if at > chars // 2:
        cut = cut[:at]
    return cut.rstrip() + "\n…", True


def quote(node: Node, *, chars: int | None = EXCERPT_CHARS) -> dict[str, Any]:
    """One instructions file as a row: where, what kind, what it covers, and its text (an excerpt when ``chars``)."""
    text = str(node.get("text") or "")
    row: dict[str, Any] = {"path": node.key, "kind": node.get("kind"), "scope": node.get("scope"),
                           "lines": node.get("lines"), "size": node.get("size")}
    if node.get("globs"):
        row["globs"] = list(node.get("globs"))
    if node.get("same_as"):
        row["same_as"] = node.get("same_as")
        return row
    if node.get("references"):
        row["references"] = list(node.get("references"))
    cut = False
    if chars is not None:
        text, cut = excerpt(text, chars)
    row["text"] = text
    if cut or node.get("truncated"):
        row["text_cut"] = True
        row["sections"] = headings(str(node.get("text") or ""))
    return row
