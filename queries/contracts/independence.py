"""``independence``: none of ``components`` imports another (a wildcard subject stands for each module it matches)."""

from __future__ import annotations

from cairn.queries.contracts.base import Contract, Violation, quoted, via


class IndependenceContract(Contract):
    def violations(self) -> list[Violation]:
        parts = [g for s in self.spec.components for g in self.groups(s)]
        everything = set().union(*(mods for _, mods in parts)) if parts else set()
        out = []
        for x_label, x in parts:
            for y_label, y in parts:
                if x_label == y_label:
                    continue
                for a, b, chain in self.pair(x - y, y - x, everything - x - y):
                    out.append(via(a, b, chain, f"{quoted(x_label)} and {quoted(y_label)} must stay independent", y_label))
        return out
