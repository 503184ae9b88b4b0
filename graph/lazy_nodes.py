"""Nodes whose properties are made by a function when they are first read.

After a commit, the trends' Period nodes of the periods it left alone are the stored ones, and the save is told so
(``GraphChanges.nodes_changed``): it reads the properties of only a few of them (those sharing a chunk of the store
with a node that changed). Making every period's properties at ingest (a dict per component and period: 170,000 at
50k files) cost a fifth of a second for nothing. ``lazy_node`` makes a node that holds the function instead: the
first read of its ``props`` calls it, and the node becomes a plain ``Node``. Until then it is a ``LazyNode``, a
``Node`` in every respect (its fields, ``get``, equality with a plain node, ``repr``): nothing can tell it from one
but its type, and reading it makes it one.
"""

from __future__ import annotations

from typing import Any, Callable

from cairn.graph.model import Label, Node

#: The ``props`` slot of ``Node`` itself, under ``LazyNode``'s property of the same name.
_PROPS = Node.__dict__["props"]


class _Making:
    """What a lazy node holds in its ``props`` slot until they are read: the function that makes them."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], dict[str, Any]]):
        self.make = make


class LazyNode(Node):
    """A ``Node`` whose ``props`` slot holds what makes them (``_Making``) until they are first read."""

    __slots__ = ()

    @property  # type: ignore[override]
    def props(self) -> dict[str, Any]:
        value = _PROPS.__get__(self)
        if type(value) is _Making:
            value = value.make()
            _PROPS.__set__(self, value)
            self.__class__ = Node  # a plain node from now on: no property between a reader and its props
        return value

    @props.setter
    def props(self, value: dict[str, Any]) -> None:
        _PROPS.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        """As a plain node compares (a plain ``Node`` compares only with its own type)."""
        if isinstance(other, Node):
            return (self.label, self.repo, self.key, self.props) == (other.label, other.repo, other.key, other.props)
        return NotImplemented

    def __repr__(self) -> str:
        self.props  # noqa: B018 - made: a plain node, printed as one
        return Node.__repr__(self)

    __hash__ = None  # type: ignore[assignment]  # as Node's: a mutable dataclass


def lazy_node(label: Label, repo: str, key: str, make: Callable[[], dict[str, Any]]) -> Node:
    """A node of ``label`` and ``key`` whose properties are ``make()``, called when they are first read."""
    node = Node(label, repo, key, _Making(make))  # type: ignore[arg-type]  # made plain and turned lazy
    node.__class__ = LazyNode
    return node
