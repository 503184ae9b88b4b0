"""``interface``: from outside ``component`` only the listed ``modules`` (and their descendants) may be imported."""

from __future__ import annotations

from cairn.queries.contracts.base import Contract, Violation, quoted


class InterfaceContract(Contract):
    def violations(self) -> list[Violation]:
        comp = str(self.spec.component)
        inside = self.union([comp])
        exposed: set[str] = set()
        for pattern in self.spec.modules:
            for _, mods in self.ix.resolve(pattern, True):
                exposed |= mods
        listed = ", ".join(self.spec.modules)
        out = []
        for b in sorted(inside - exposed):
            for a, edge in sorted(self.ix.pred.get(b, {}).items()):
                if a not in inside and self.counts(a, b, edge):
                    out.append(Violation(a, b, [a, b], f"from outside, {quoted(comp)} may be used only through {listed}"))
        return out
