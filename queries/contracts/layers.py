"""``layers``: a lower layer imports no higher one; independent siblings not each other; closed layers are not skipped.

Layers are listed top to bottom. A layer is one subject or siblings:
``"a | b"`` may not import each other, ``"a : b"`` may; ``"(x)"`` is optional
(matching nothing is not a problem). A layer above a ``closed`` layer may not
import any layer below it. With ``containers`` every layer name is relative
to each container and the check runs once per container. Chains through
another listed layer do not count for a pair (that layer's own pairs do).
"""

from __future__ import annotations

from cairn.graph.rules import parse_layer
from cairn.queries.contracts.base import Contract, Violation, quoted, via

#: One level: its subject groups, whether its siblings are independent, whether it is closed.
_Level = tuple[list[tuple[str, set[str]]], bool, bool]


def in_container(container: str | None, name: str) -> str:
    """A layer name relative to a container, as an absolute module subject."""
    if not container:
        return name
    sep = "/" if "/" in container else "."
    return f"module:{container}{sep}{name.removeprefix('module:')}"


class LayersContract(Contract):
    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        for container in self._containers():
            levels = self._levels(container)
            everything = set().union(*(mods for parts, _, _ in levels for _, mods in parts)) if levels else set()
            where = f" in {container}" if container else ""
            for i, (higher, independent, _) in enumerate(levels):
                for j in range(i + 1, len(levels)):
                    for low_label, low in levels[j][0]:
                        for high_label, high in higher:
                            for a, b, chain in self.pair(low, high, everything - low - high):
                                out.append(via(a, b, chain, f"layer {quoted(low_label)} is below {quoted(high_label)}{where} and must not import it", high_label))
                if independent:
                    for x_label, x in higher:
                        for y_label, y in higher:
                            if x_label != y_label:
                                for a, b, chain in self.pair(x, y, everything - x - y):
                                    out.append(via(a, b, chain, f"{quoted(x_label)} and {quoted(y_label)} are independent siblings in one layer{where}", y_label))
                out += self._skipping_closed(levels, i, everything, where)
        return out

    def _containers(self) -> list[str | None]:
        if not self.spec.containers:
            return [None]
        names: list[str] = []
        for c in self.spec.containers:
            hit = [label for label, mods in self.ix.resolve(c, True) if mods]
            if not hit:
                self.problems.append(f"rule {self.id!r}: container {c!r} matches no module")
            names += hit
        return list(sorted(set(names)))

    def _levels(self, container: str | None) -> list[_Level]:
        closed = set(self.spec.closed)
        levels: list[_Level] = []
        for entry in self.spec.layers:
            layer = parse_layer(entry)
            parts: list[tuple[str, set[str]]] = []
            for name, optional in zip(layer.names, layer.optional):
                subject = in_container(container, name)
                groups = [(label, mods) for label, mods in self.ix.resolve(subject, self.as_packages) if mods]
                if not groups and not optional:
                    self.problems.append(f"rule {self.id!r}: layer {subject.removeprefix('module:')!r} matches no component or module")
                parts += groups
            levels.append((parts, layer.independent, any(n in closed for n in layer.names)))
        return levels

    def _skipping_closed(self, levels: list[_Level], i: int, everything: set[str], where: str) -> list[Violation]:
        """Imports from layer ``i`` to a layer below a closed layer between them."""
        out = []
        higher = levels[i][0]
        for j in range(i + 2, len(levels)):
            closing = [k for k in range(i + 1, j) if levels[k][2]]
            if not closing:
                continue
            closed_label = levels[closing[0]][0][0][0] if levels[closing[0]][0] else "?"
            for high_label, high in higher:
                for low_label, low in levels[j][0]:
                    for a, b, chain in self.pair(high, low, everything - low - high):
                        out.append(via(a, b, chain, f"{quoted(high_label)} must go through closed layer {quoted(closed_label)} to reach {quoted(low_label)}{where}", low_label))
        return out
