"""``forbidden``: no module of ``from`` imports a module of ``to`` (directly, or with ``transitive`` through others)."""

from __future__ import annotations

from cairn.queries.contracts.base import Contract, Violation, quoted, via


class ForbiddenContract(Contract):
    def violations(self) -> list[Violation]:
        out = []
        for s in self.spec.from_:
            for s_label, P in self.groups(s):
                for t in self.spec.to:
                    for t_label, Q in self.groups(t):
                        for a, b, chain in self.pair(P - Q, Q - P, set()):
                            out.append(via(a, b, chain, f"{quoted(s_label)} must not import {quoted(t_label)}", t_label))
        return out
