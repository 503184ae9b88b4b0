"""``allowed_only``: ``from`` may import only ``to`` and itself; external packages are restricted only when ``to`` names one."""

from __future__ import annotations

from cairn.queries.contracts.base import Contract, Violation, quoted
from cairn.queries.contracts.index import EXTERNAL


class AllowedOnlyContract(Contract):
    def violations(self) -> list[Violation]:
        sources = self.union(self.spec.from_)
        to_groups = [g for s in self.spec.to for g in self.groups(s)]
        allowed = sources.union(*(mods for _, mods in to_groups)) if to_groups else set(sources)
        restrict_external = any(str(s).startswith(EXTERNAL) for s in self.spec.to) or any(
            m.startswith(EXTERNAL) for _, mods in to_groups for m in mods)
        listed = ", ".join(quoted(label) for label, _ in to_groups) or "nothing"
        frm = ", ".join(quoted(s) for s in self.spec.from_)
        out = []
        for a in sorted(sources):
            for b, edge in sorted(self.ix.succ.get(a, {}).items()):
                if b in allowed or (b.startswith(EXTERNAL) and not restrict_external):
                    continue
                if self.counts(a, b, edge):
                    out.append(Violation(a, b, [a, b], f"{frm} may import only {listed}"))
        return out
