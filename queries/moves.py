"""How a change's renames carry the base's imports to the head: an import already there, moved with its files.

A change that moves files (``FileChange.old_path``) gives their modules other ids where a module is named by its
path (Rust, JavaScript, TypeScript) or by its package, so comparing the imports of base and head by module id reads
every import of a moved file as new: ripgrep's fdd8510f, which moved every crate into ``crates/`` and changed no line,
had 152 new imports and 15 first component dependencies. An import of the head is one of the base's, moved
(``Moves.moved_from``), when its two modules hold the files, renamed or not, of the two modules of an import of the
base, and one place of that import — its file, carried through the rename, at its line, carried past the lines the
change added and removed above it — is one of its own: the same statement reaching the same file. An import whose
statement changed is not: ktor's 4434c02851 moved ``WaitUtils.kt`` into a package that unchanged tests star-import,
and they reach it through another import line (``pr_check.NewEdge.reached``).

A moved import keeps its component dependency when each of its files stays where it was (``MovedImport.stays``):
in the same component, or moved from outside every component into one that held no module at the base (ripgrep's
``grep/`` into ``crates/grep/``, the folder its component's definition names: the package moved whole), or the other
way round. A file moved from one component into another brings its imports along, and that is a dependency the move
makes (or takes away), said so.

Nothing is worked out for a change that renames nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from cairn.graph.change import ChangeSet, LineRange
from cairn.graph.model import Edge, Label, Node, RepoGraph
from cairn.queries.dependencies import module_id

#: Where an import is written: a file and a line of it.
Site = tuple[str, int]


@dataclass(frozen=True)
class MovedImport:
    """An import of the head that is one of the base's, moved with its files (see the module docstring)."""

    source: str
    target: str
    file: str | None
    line: int | None
    #: the components of its modules at the head, and at the base
    components: tuple[str | None, str | None]
    were: tuple[str | None, str | None]
    #: the module ids of the base's import
    base_pair: tuple[str, str]
    #: the file of each end the change moved into another component, as (old path, new path); None for an end that stays
    moved_files: tuple[tuple[str, str] | None, tuple[str, str] | None] = (None, None)

    @property
    def stays(self) -> bool:
        return self.moved_files == (None, None)


class Moves:
    """A change's renames, read to carry the base's imports to the head (``Moves.of``)."""

    def __init__(self, change: ChangeSet, base: RepoGraph, head: RepoGraph):
        self.new_path = {f.old_path: f.path for f in change.files if f.old_path}
        self.old_path = {new: old for old, new in self.new_path.items()}
        self.hunks = {f.path: sorted(f.hunks, key=lambda h: h.start) for f in change.files if f.hunks}
        self.base_module: dict[str, Node] = {}  # a renamed file's old path -> the base module holding it
        self.base_components: set[str] = set()  # the components holding a module at the base
        for module in base.of_label(Label.MODULE):
            if module.props.get("component"):
                self.base_components.add(module.props["component"])
            for path in _module_files(module):
                if path in self.new_path:
                    self.base_module[path] = module
        self.head_components = {str(m.props["component"]) for m in head.of_label(Label.MODULE) if m.props.get("component")}
        self.base = base

    @classmethod
    def of(cls, change: ChangeSet, base: RepoGraph, head: RepoGraph) -> "Moves | None":
        """The change's moves; None when it renames nothing (then no import is a moved one)."""
        return cls(change, base, head) if any(f.old_path for f in change.files) else None

    def moved_from(self, source: Node, target: Node, edge: Edge,
                   before: Mapping[tuple[str, str], Edge]) -> MovedImport | None:
        """The base's import (among ``before``: the base's, by module ids) that the head's ``edge`` from ``source`` to
        ``target`` is, moved; None when it is none of them."""
        sites = _sites(edge.props)
        for s_id in self._base_ids(source):
            for t_id in self._base_ids(target):
                was = before.get((s_id, t_id))
                if was is None or sites.isdisjoint(filter(None, map(self._carried, _sites(was.props)))):
                    continue
                nodes = self.base.nodes
                were = (nodes[was.source].props.get("component"), nodes[was.target].props.get("component"))
                now = (source.props.get("component"), target.props.get("component"))
                moved = (None if self._stays(were[0], now[0]) else self._renamed(edge.props.get("file") or _first_file(source)),
                         None if self._stays(were[1], now[1]) else self._renamed(_first_file(target)))
                lines = edge.props.get("lines") or ()
                return MovedImport(module_id(source), module_id(target), edge.props.get("file"),
                                   lines[0] if lines else None, now, were, (s_id, t_id), moved)
        return None

    def _renamed(self, path: str) -> tuple[str, str]:
        return self.old_path.get(path, path), path

    def _base_ids(self, node: Node) -> set[str]:
        """The ids the base gives the modules holding the files of ``node`` (a head module; an external package is
        itself)."""
        if node.label is not Label.MODULE:
            return {module_id(node)}
        out = set()
        for path in _module_files(node):
            old = self.old_path.get(path)
            module = self.base_module.get(old) if old else None
            out.add(module.key if module is not None else node.key)
        return out

    def _carried(self, site: Site) -> Site | None:
        """Where a place of the base is at the head: its file renamed, its line moved by the lines the change added
        and removed above it; None for a line the change removed or rewrote."""
        path, line = site
        path = self.new_path.get(path, path)
        shift = 0
        for hunk in self.hunks.get(path, ()):
            start = _base_start(hunk, shift)
            if line < start:
                break
            if line < start + hunk.removed:
                return None
            shift += hunk.added - hunk.removed
        return path, line + shift

    def _stays(self, was: str | None, now: str | None) -> bool:
        """Whether a file in component ``was`` at the base and ``now`` at the head stays where it was (see the module
        docstring)."""
        return was == now or was is None and now not in self.base_components \
            or now is None and was not in self.head_components


def _base_start(hunk: LineRange, shift: int) -> int:
    """The first line of the base that ``hunk`` removes or adds before, given the lines the hunks above it added less
    those they removed (``shift``): git's ``-U0`` names a removal's place by the line before it."""
    return hunk.start - shift if hunk.count > 0 else hunk.start + 1 - shift


def _sites(props: Mapping) -> set[Site]:
    """Where an IMPORTS edge's import is written: each file's lines (``files`` when several, else ``file``)."""
    several = props.get("files")
    if several:
        return {(path, line) for path, lines in several.items() for line in lines}
    path = props.get("file")
    return {(path, line) for line in props.get("lines") or ()} if path else set()


def _module_files(module: Node) -> Iterable[str]:
    return module.props.get("files") or ([module.props["path"]] if module.props.get("path") else [])


def _first_file(node: Node) -> str:
    files = list(_module_files(node))
    return min(files) if files else node.key

