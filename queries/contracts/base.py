"""What every contract shares: which import edges count, subject groups, and the pair search.

A contract is one rule kind's judgement (import-linter calls them contracts).
Each kind subclasses ``Contract`` and implements ``violations()`` with the
tools here:

* ``counts(a, b, edge)`` — whether an import edge counts for the rule: not
  ``type_only`` (unless the rule includes those), not ``dynamic`` (when the
  rule excludes those), and not matched by one of the rule's live exceptions;
  matched edges are removed for the rule, as import-linter's
  ``ignore_imports`` does, so a transitive chain through them does not count
  either;
* ``groups(subject)`` / ``union(subjects)`` — the module groups a subject
  names, noting subjects that match nothing as problems;
* ``pair(P, Q, blocked)`` — violations from module set P to Q: every direct
  edge, and with ``transitive`` each module of P that reaches Q only through
  modules outside P, Q and ``blocked``, with the shortest chain as evidence.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date

from cairn.graph.rules import DeclaredRule, RuleException
from cairn.queries.contracts.index import EXTERNAL, ImportEdge, ImportIndex, matches


@dataclass
class Violation:
    """One breach found by a contract: the evidence edge (or chain), why it breaks the rule, and its key parts."""

    source: str
    target: str
    chain: list[str]
    why: str
    importer: str = ""
    imported: str = ""
    cycle: list[str] = field(default_factory=list)


def via(a: str, b: str, chain: list[str], why: str, target_label: str) -> Violation:
    """A violation; an indirect one is identified by its importer and the subject it reaches, not the
    module the shortest chain happens to end at, so a new shortcut does not look like a new violation."""
    if len(chain) > 2:
        return Violation(a, b, chain, why, importer=a, imported=target_label)
    return Violation(a, b, chain, why)


def quoted(label: str) -> str:
    return f"'{label}'"


class Contract:
    """The judgement of one rule on one indexed graph; subclasses implement ``violations``."""

    def __init__(self, index: ImportIndex, rule: DeclaredRule, today: date, problems: list[str]):
        self.ix = index
        self.rule = rule
        self.spec = rule.spec
        self.id = rule.id
        self.transitive = rule.spec.transitive
        self.as_packages = rule.spec.as_packages
        self.problems = problems
        self.exceptions: list[RuleException] = [e for e in rule.spec.exceptions if not e.expired(today)]
        self.expired: list[RuleException] = [e for e in rule.spec.exceptions if e.expired(today)]
        self._matched: dict[int, int] = {i: 0 for i in range(len(self.exceptions))}
        self._counts_cache: dict[tuple[str, str], bool] = {}

    def violations(self) -> list[Violation]:
        raise NotImplementedError

    # edges --------------------------------------------------------------------
    def counts(self, a: str, b: str, edge: ImportEdge) -> bool:
        if edge.kind == "type_only" and not self.spec.include_type_only:
            return False
        if edge.kind == "dynamic" and not self.spec.include_dynamic:
            return False
        if not self.exceptions:
            return True
        key = (a, b)
        cached = self._counts_cache.get(key)
        if cached is None:
            cached = True
            for i, exc in enumerate(self.exceptions):
                if matches(exc.importer, a) and matches(exc.imported, b):
                    self._matched[i] += 1
                    cached = False
            self._counts_cache[key] = cached
        return cached

    def unused_exceptions(self) -> list[RuleException]:
        return [e for i, e in enumerate(self.exceptions) if not self._matched[i]]

    # subjects -----------------------------------------------------------------
    def groups(self, subject: str) -> list[tuple[str, set[str]]]:
        groups = self.ix.resolve(subject, self.as_packages)
        if not any(mods for _, mods in groups):
            self.problems.append(f"rule {self.id!r}: {subject!r} matches no component, module or external package")
        return [(label, mods) for label, mods in groups if mods]

    def union(self, subjects: list[str]) -> set[str]:
        out: set[str] = set()
        for s in subjects:
            for _, mods in self.groups(s):
                out |= mods
        return out

    # the pair search ----------------------------------------------------------
    def pair(self, P: set[str], Q: set[str], blocked: set[str], transitive: bool | None = None) -> list[tuple[str, str, list[str]]]:
        """Violations from P to Q as (importer, imported, chain).

        Every direct import edge is one. With ``transitive``, each module of P
        that does not import Q directly but reaches it through modules outside
        P, Q and ``blocked`` is one more, with the shortest such chain (one
        finding per importing module, not per reachable target: one new edge
        in the middle should not multiply into thousands of findings).
        """
        transitive = self.transitive if transitive is None else transitive
        succ = self.ix.succ
        found: list[tuple[str, str, list[str]]] = []
        direct_sources: set[str] = set()
        for a in sorted(P):
            for b, edge in sorted(succ.get(a, {}).items()):
                if b in Q and self.counts(a, b, edge):
                    found.append((a, b, [a, b]))
                    direct_sources.add(a)
        if not transitive:
            return found

        def middle(n: str) -> bool:
            return n not in P and n not in Q and n not in blocked and not n.startswith(EXTERNAL)

        # middles reachable from P …
        forward: set[str] = set()
        queue: deque[str] = deque()
        for a in P:
            for m, edge in succ.get(a, {}).items():
                if m not in forward and middle(m) and self.counts(a, m, edge):
                    forward.add(m)
                    queue.append(m)
        while queue:
            n = queue.popleft()
            for m, edge in succ.get(n, {}).items():
                if m not in forward and middle(m) and self.counts(n, m, edge):
                    forward.add(m)
                    queue.append(m)
        if not forward:
            return found
        # … and, breadth first backwards from Q, each one's distance and next step towards Q
        pred = self.ix.pred
        step: dict[str, str] = {}
        for b in sorted(Q):
            for m, edge in sorted(pred.get(b, {}).items()):
                if m in forward and m not in step and self.counts(m, b, edge):
                    step[m] = b
                    queue.append(m)
        while queue:
            n = queue.popleft()
            for m, edge in sorted(pred.get(n, {}).items()):
                if m in forward and m not in step and self.counts(m, n, edge):
                    step[m] = n
                    queue.append(m)
        if not step:
            return found
        depth: dict[str, int] = {}

        def distance(m: str) -> int:
            if m not in depth:
                n, d = m, 0
                while n not in Q:
                    n, d = step[n], d + 1
                depth[m] = d
            return depth[m]

        for a in sorted(P - direct_sources):
            starts = [m for m, edge in succ.get(a, {}).items() if m in step and self.counts(a, m, edge)]
            if not starts:
                continue
            chain = [a, min(starts, key=lambda m: (distance(m), m))]
            while chain[-1] not in Q:
                chain.append(step[chain[-1]])
            found.append((a, chain[-1], chain))
        return found
