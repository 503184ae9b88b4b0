"""``acyclic``: no import cycle among the subjects (default: every component).

The subjects form a graph — an edge when any module of one imports a module
of the other. Each subject-level edge inside a strongly connected component is
a finding, with the shortest cycle through it as evidence, keyed by the two
subjects. ``depth`` repeats the check among the children of each child, as
import-linter's ``acyclic_siblings`` does.
"""

from __future__ import annotations

from cairn.queries.contracts.base import Contract, Violation


class AcyclicContract(Contract):
    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        if not self.spec.components:  # every component, each its own modules (a nested one is not its parent's here)
            self._among([(k, set(v)) for k, v in sorted(self.ix.component_modules.items()) if v], out)
            return out
        subjects = self.spec.components
        for subject in subjects:
            if "*" in subject:
                self._levels(subject, self.spec.depth, out)
        plain = [s for s in subjects if "*" not in s]
        if plain:
            self._among([g for s in plain for g in self.groups(s)], out)
        return out

    def _levels(self, pattern: str, depth: int, out: list[Violation]) -> None:
        groups = [g for g in self.ix.resolve(pattern, True) if g[1]]
        if not groups:
            self.problems.append(f"rule {self.id!r}: {pattern!r} matches no module")
            return
        self._among(groups, out)
        if depth > 0:
            for label, _ in groups:
                if any(n.startswith(label + ".") for n in self.ix.prefix_names()):
                    if [g for g in self.ix.resolve(label + ".*", True) if g[1]]:
                        self._levels(label + ".*", depth - 1, out)

    def _among(self, groups: list[tuple[str, set[str]]], out: list[Violation]) -> None:
        if len(groups) < 2:
            return
        import networkx as nx  # ~0.3 s to import: only when an acyclic rule is checked

        owner: dict[str, str] = {}
        # a module in two subjects (a component and one nested in it, both named) is the more specific one's
        for label, mods in sorted(groups, key=lambda g: len(g[1])):
            for m in sorted(mods):
                owner.setdefault(m, label)
        # edges added in a fixed order, so the cycle shown (a shortest path, of which there may be several)
        # is the same in every process and on every store, whatever order the graph's edges were read in
        g = nx.DiGraph()
        evidence: dict[tuple[str, str], tuple[str, str]] = {}
        for a, ga in sorted(owner.items()):
            for b, edge in sorted(self.ix.succ.get(a, {}).items()):
                gb = owner.get(b)
                if gb is None or gb == ga or not self.counts(a, b, edge):
                    continue
                key = (ga, gb)
                if key not in evidence or (a, b) < evidence[key]:
                    evidence[key] = (a, b)
                g.add_edge(ga, gb)
        for scc in nx.strongly_connected_components(g):
            if len(scc) < 2:
                continue
            sub = g.subgraph(scc)
            for ga, gb in sorted(sub.edges()):
                cycle = [ga] + nx.shortest_path(sub, gb, ga)
                a, b = evidence[(ga, gb)]
                out.append(Violation(a, b, [a, b], "import cycle " + " → ".join(cycle), importer=ga, imported=gb, cycle=cycle))
