"""Checking the boundary rules of a graph: findings, verdict, baseline.

``check(graph)`` evaluates every Rule node (see ``ingest.rules`` for the rule
language and how subjects resolve) against the graph's IMPORTS edges. It is a
pure function of the graph, the baseline and ``today``, so the PR check can run
it on a head graph as well.

Semantics, following import-linter where they overlap:

* An import edge counts for a rule unless it is ``type_only`` (and the rule does
  not ``include_type_only``), ``dynamic`` (and the rule excludes dynamic
  imports), or matched by one of the rule's live exceptions. Matched edges are
  removed for that rule, as import-linter's ``ignore_imports`` does, so a
  transitive chain through them does not count either. An exception applies up
  to and including its ``expires`` date.
* Direct rules report each offending edge. Transitive rules (``transitive =
  true``) also report each module of the importing side that reaches the other
  side only through a chain whose middle modules belong to neither side (nor,
  for layers and independence, to another listed layer or subject), with the
  shortest chain as evidence — one finding per importing module, whatever the
  number of modules it reaches (the pairs grow quadratically in a tangled
  codebase). Whether a rule is kept is the same as import-linter's answer.
* Layers: a lower layer may not import a higher one; independent siblings
  (``a | b``) may not import each other; a layer above a closed layer may not
  import any layer below it.
* Acyclic: the subjects form a graph (an edge when any module of one imports a
  module of the other); each subject-level edge inside a strongly connected
  component is a finding, with the shortest cycle through it as evidence.
  ``depth`` repeats the check among the children of each child, as
  import-linter's ``acyclic_siblings`` does.
* A rule declared by a superseded, deprecated or rejected decision is skipped
  (listed in ``skipped_rules``); one declared by a proposed decision reports
  at most ``info``.

Baseline: a JSON file of known violations keyed by ``(rule, importer,
imported)`` — the two modules of a direct import; the importing module and the
subject it reaches (a component, layer or module prefix as written in the rule)
for an indirect chain; the two subjects for ``acyclic`` — never by line, so
moving code does not resurrect them. Baselined findings are left out of the
verdict and counted. ``update_baseline`` writes every current violation when the
file does not exist yet; afterwards it only removes entries that are no longer
violated and never adds new ones, so the file only shrinks.

Verdict: ``block`` when a finding of severity block remains, else ``warn`` when a
warn finding remains, else ``pass`` (info findings never fail).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from cairn.graph.model import Label, Node, Rel, RepoGraph
from cairn.ingest.rules import enforcement, parse_layer
from cairn.queries.reports import fingerprint

SEVERITY_ORDER = {"info": 0, "warn": 1, "block": 2}
BASELINE_VERSION = 1
EXTERNAL = "external:"


class BaselineError(Exception):
    """The baseline file cannot be used; the message names the file."""


# -- results ----------------------------------------------------------------------------


@dataclass
class Finding:
    rule: str
    kind: str
    severity: str
    source: str
    target: str
    source_component: str | None
    target_component: str | None
    file: str | None
    line: int | None
    decision: str | None
    message: str
    chain: list[str] = field(default_factory=list)
    cycle: list[str] = field(default_factory=list)
    importer: str = ""  # baseline key parts: module ids, or subject names for acyclic
    imported: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.importer or self.source, self.imported or self.target)

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k not in ("importer", "imported")}
        data["fingerprint"] = fingerprint(*self.key)
        if not self.chain:
            data.pop("chain")
        if not self.cycle:
            data.pop("cycle")
        return data


@dataclass
class Baseline:
    entries: set[tuple[str, str, str]] = field(default_factory=set)
    path: str | None = None

    @classmethod
    def from_text(cls, text: str) -> "Baseline":
        """Parse a baseline file's JSON; raises ``BaselineError`` when it is not a baseline."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
        entries = data.get("violations") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise BaselineError("a baseline is an object with a 'violations' list")
        out = set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("rule", "importer", "imported")):
                raise BaselineError(f"violations[{i}] needs string 'rule', 'importer' and 'imported'")
            out.add((entry["rule"], entry["importer"], entry["imported"]))
        return cls(out)


@dataclass
class CheckReport:
    verdict: str
    findings: list[Finding]
    baselined: list[Finding] = field(default_factory=list)
    stale_baseline: list[tuple[str, str, str]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    skipped_rules: list[dict[str, Any]] = field(default_factory=list)
    expired_exceptions: list[dict[str, Any]] = field(default_factory=list)
    unused_exceptions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def current_keys(self) -> set[tuple[str, str, str]]:
        return {f.key for f in self.findings} | {f.key for f in self.baselined}

    def to_dict(self) -> dict[str, Any]:
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in ("block", "warn", "info")}
        return {
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
            "summary": {"rules_checked": len(self.rules), "findings": len(self.findings), **counts,
                        "baselined": len(self.baselined), "stale_baseline_entries": len(self.stale_baseline)},
            "baselined": len(self.baselined),
            "stale_baseline_entries": [{"rule": r, "importer": a, "imported": b} for r, a, b in self.stale_baseline],
            "rules": self.rules,
            "skipped_rules": self.skipped_rules,
            "expired_exceptions": self.expired_exceptions,
            "unused_exceptions": self.unused_exceptions,
            "problems": self.problems,
        }


# -- baseline ---------------------------------------------------------------------------


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; raises ``BaselineError`` naming the file when it is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot be read ({' '.join(str(exc).split())})") from None
    try:
        baseline = Baseline.from_text(text)
    except BaselineError as exc:
        raise BaselineError(f"{path}: {exc}") from None
    baseline.path = str(path)
    return baseline


def write_baseline(entries: Iterable[tuple[str, str, str]], path: Path) -> None:
    """Write a baseline atomically, sorted, one entry per line-stable object."""
    path = Path(path)
    data = {
        "version": BASELINE_VERSION,
        "tool": "cairn",
        "note": "Known boundary violations, keyed by (rule, importer, imported). Cairn only removes entries from this file.",
        "violations": [{"rule": r, "importer": a, "imported": b} for r, a, b in sorted(set(entries))],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cairn-baseline.", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_baseline(report: CheckReport, path: Path) -> dict[str, Any]:
    """Record or shrink the baseline at ``path`` from a check report.

    No file yet: every current violation (reported or baselined) is recorded.
    A file already there: entries no longer violated are removed; violations
    not in it are *not* added (they stay findings) — the file only shrinks.
    """
    path = Path(path)
    current = report.current_keys
    if not path.exists():
        write_baseline(current, path)
        return {"path": str(path), "created": True, "recorded": len(current), "removed": 0, "not_added": 0}
    old = load_baseline(path).entries
    kept = old & current
    write_baseline(kept, path)
    return {"path": str(path), "created": False, "recorded": len(kept), "removed": len(old - kept),
            "not_added": len(current - old)}


# -- the graph, indexed -----------------------------------------------------------------


@dataclass
class _Edge:
    kind: str
    file: str | None
    line: int | None


class _Index:
    def __init__(self, graph: RepoGraph):
        self.graph = graph
        self.component_of: dict[str, str | None] = {}
        self.component_modules: dict[str, set[str]] = {}
        self.externals: set[str] = set()
        ids: dict[str, str] = {}
        for node in graph.nodes.values():
            if node.label is Label.MODULE:
                ids[node.id] = node.key
                comp = node.get("component")
                self.component_of[node.key] = comp
                if comp:
                    self.component_modules.setdefault(comp, set()).add(node.key)
            elif node.label is Label.EXTERNAL:
                ids[node.id] = EXTERNAL + node.key
                self.externals.add(node.key)
            elif node.label is Label.COMPONENT:
                self.component_modules.setdefault(node.key, set())
        self.modules = sorted(self.component_of)
        self.succ: dict[str, dict[str, _Edge]] = {m: {} for m in self.modules}
        self.pred: dict[str, dict[str, _Edge]] = {}
        for e in graph.edges.values():
            if e.type is not Rel.IMPORTS:
                continue
            a, b = ids.get(e.source), ids.get(e.target)
            if a is None or b is None or a.startswith(EXTERNAL) or a == b:
                continue
            lines = e.get("lines") or []
            edge = _Edge(e.get("kind") or "runtime", e.get("file"), lines[0] if lines else None)
            self.succ[a][b] = edge
            self.pred.setdefault(b, {})[a] = edge
        self._prefix_names: list[str] | None = None

    def prefix_names(self) -> list[str]:
        """Every module name and every package prefix implied by one (for wildcard expansion)."""
        if self._prefix_names is None:
            names: set[str] = set()
            for m in self.modules:
                sep = "/" if "/" in m else "."
                parts = m.split(sep)
                for i in range(1, len(parts) + 1):
                    names.add(sep.join(parts[:i]))
            self._prefix_names = sorted(names)
        return self._prefix_names

    def under(self, prefix: str, as_packages: bool = True) -> set[str]:
        if not as_packages:
            return {prefix} if prefix in self.component_of else set()
        dotted, slashed = prefix + ".", prefix + "/"
        return {m for m in self.modules if m == prefix or m.startswith(dotted) or m.startswith(slashed)}

    def resolve(self, subject: str, as_packages: bool = True) -> list[tuple[str, set[str]]]:
        """Groups of module ids a subject names: one group, or one per wildcard match."""
        subject = subject.strip()
        if subject.startswith("component:"):
            name = subject.split(":", 1)[1]
            return [(name, set(self.component_modules.get(name, set())))]
        if subject.startswith(EXTERNAL):
            name = subject.split(":", 1)[1]
            return [(subject, {EXTERNAL + name} if name in self.externals else set())]
        explicit_module = subject.startswith("module:")
        if explicit_module:
            subject = subject.split(":", 1)[1]
        elif subject in self.component_modules:
            return [(subject, set(self.component_modules[subject]))]
        if "*" in subject:
            rx = _wildcard(subject)
            return [(name, self.under(name, as_packages)) for name in self.prefix_names() if rx.fullmatch(name)]
        modules = self.under(subject, as_packages)
        if not modules and subject in self.externals:
            return [(EXTERNAL + subject, {EXTERNAL + subject})]
        return [(subject, modules)]

    def component(self, module: str) -> str | None:
        return self.component_of.get(module)


@lru_cache(maxsize=512)
def _wildcard(pattern: str) -> re.Pattern[str]:
    sep = "/" if "/" in pattern else "."
    seg = "[^/]+" if sep == "/" else "[^.]+"
    parts = []
    for part in pattern.split(sep):
        if part == "**":
            parts.append(f"{seg}(?:{re.escape(sep)}{seg})*")
        else:
            parts.append(re.escape(part).replace(r"\*", seg))
    return re.compile(re.escape(sep).join(parts))


def _matches(pattern: str, module: str) -> bool:
    if "*" not in pattern:
        return pattern == module or (module.startswith(EXTERNAL) and pattern == module[len(EXTERNAL):])
    name = module[len(EXTERNAL):] if module.startswith(EXTERNAL) else module
    return bool(_wildcard(pattern).fullmatch(name))


# -- evaluating one rule -----------------------------------------------------------------


@dataclass
class _Violation:
    source: str
    target: str
    chain: list[str]
    why: str
    importer: str = ""
    imported: str = ""
    cycle: list[str] = field(default_factory=list)


class _RuleCheck:
    def __init__(self, index: _Index, props: dict[str, Any], today: date, problems: list[str]):
        self.ix = index
        self.p = props
        self.id = props.get("id")
        self.transitive = bool(props.get("transitive"))
        self.as_packages = props.get("as_packages", True) is not False
        self.problems = problems
        self.include_type_only = bool(props.get("include_type_only"))
        self.include_dynamic = props.get("include_dynamic", True) is not False
        self.exceptions: list[dict[str, Any]] = []
        self.expired: list[dict[str, Any]] = []
        for exc in props.get("exceptions") or []:
            expires = exc.get("expires")
            if expires and date.fromisoformat(str(expires)[:10]) < today:
                self.expired.append({"rule": self.id, **exc})
            else:
                self.exceptions.append({**exc, "matched": 0})
        self._ok_cache: dict[tuple[str, str], bool] = {}

    # edges --------------------------------------------------------------------
    def ok(self, a: str, b: str, edge: _Edge) -> bool:
        if edge.kind == "type_only" and not self.include_type_only:
            return False
        if edge.kind == "dynamic" and not self.include_dynamic:
            return False
        if not self.exceptions:
            return True
        key = (a, b)
        cached = self._ok_cache.get(key)
        if cached is None:
            cached = True
            for exc in self.exceptions:
                if _matches(exc["importer"], a) and _matches(exc["imported"], b):
                    exc["matched"] += 1
                    cached = False
            self._ok_cache[key] = cached
        return cached

    def unused_exceptions(self) -> list[dict[str, Any]]:
        return [{"rule": self.id, **{k: v for k, v in e.items() if k != "matched"}} for e in self.exceptions if not e["matched"]]

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

    # the pair search ------------------------------------------------------------------
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
                if b in Q and self.ok(a, b, edge):
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
                if m not in forward and middle(m) and self.ok(a, m, edge):
                    forward.add(m)
                    queue.append(m)
        while queue:
            n = queue.popleft()
            for m, edge in succ.get(n, {}).items():
                if m not in forward and middle(m) and self.ok(n, m, edge):
                    forward.add(m)
                    queue.append(m)
        if not forward:
            return found
        # … and, breadth first backwards from Q, each one's distance and next step towards Q
        pred = self.ix.pred
        step: dict[str, str] = {}
        for b in sorted(Q):
            for m, edge in sorted(pred.get(b, {}).items()):
                if m in forward and m not in step and self.ok(m, b, edge):
                    step[m] = b
                    queue.append(m)
        while queue:
            n = queue.popleft()
            for m, edge in sorted(pred.get(n, {}).items()):
                if m in forward and m not in step and self.ok(m, n, edge):
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
            starts = [m for m, edge in succ.get(a, {}).items() if m in step and self.ok(a, m, edge)]
            if not starts:
                continue
            chain = [a, min(starts, key=lambda m: (distance(m), m))]
            while chain[-1] not in Q:
                chain.append(step[chain[-1]])
            found.append((a, chain[-1], chain))
        return found

    # kinds ----------------------------------------------------------------------------
    def run(self) -> list[_Violation]:
        return getattr(self, "_" + str(self.p.get("kind")))()

    def _forbidden(self) -> list[_Violation]:
        out = []
        for s in self.p.get("from") or []:
            for s_label, P in self.groups(s):
                for t in self.p.get("to") or []:
                    for t_label, Q in self.groups(t):
                        for a, b, chain in self.pair(P - Q, Q - P, set()):
                            out.append(_via(a, b, chain, f"{_q(s_label)} must not import {_q(t_label)}", t_label))
        return out

    def _layers(self) -> list[_Violation]:
        out = []
        containers = self.p.get("containers") or []
        if containers:
            names: list[str] = []
            for c in containers:
                matches = self.ix.resolve(c, True)
                hit = [label for label, mods in matches if mods]
                if not hit:
                    self.problems.append(f"rule {self.id!r}: container {c!r} matches no module")
                names += hit
            scopes: list[str | None] = sorted(set(names))
        else:
            scopes = [None]
        closed = set(self.p.get("closed") or [])
        for container in scopes:
            levels: list[tuple[list[tuple[str, set[str]]], bool, bool]] = []
            for entry in self.p.get("layers") or []:
                layer = parse_layer(entry)
                parts: list[tuple[str, set[str]]] = []
                for name, optional in zip(layer.names, layer.optional):
                    subject = _in_container(container, name)
                    groups = self.ix.resolve(subject, self.as_packages)
                    groups = [(label, mods) for label, mods in groups if mods]
                    if not groups and not optional:
                        self.problems.append(f"rule {self.id!r}: layer {subject.removeprefix('module:')!r} matches no component or module")
                    parts += groups
                levels.append((parts, layer.independent, any(n in closed for n in layer.names)))
            everything = set().union(*(mods for parts, _, _ in levels for _, mods in parts)) if levels else set()
            where = f" in {container}" if container else ""
            for i, (higher, independent, _) in enumerate(levels):
                for j in range(i + 1, len(levels)):
                    for low_label, low in levels[j][0]:
                        for high_label, high in higher:
                            for a, b, chain in self.pair(low, high, everything - low - high):
                                out.append(_via(a, b, chain, f"layer {_q(low_label)} is below {_q(high_label)}{where} and must not import it", high_label))
                if independent:
                    for x_label, x in higher:
                        for y_label, y in higher:
                            if x_label != y_label:
                                for a, b, chain in self.pair(x, y, everything - x - y):
                                    out.append(_via(a, b, chain, f"{_q(x_label)} and {_q(y_label)} are independent siblings in one layer{where}", y_label))
                # closed layers between i and a lower j may not be skipped
                for j in range(i + 2, len(levels)):
                    closing = [k for k in range(i + 1, j) if levels[k][2]]
                    if not closing:
                        continue
                    closed_label = levels[closing[0]][0][0][0] if levels[closing[0]][0] else "?"
                    for high_label, high in higher:
                        for low_label, low in levels[j][0]:
                            for a, b, chain in self.pair(high, low, everything - low - high):
                                out.append(_via(a, b, chain, f"{_q(high_label)} must go through closed layer {_q(closed_label)} to reach {_q(low_label)}{where}", low_label))
        return out

    def _independence(self) -> list[_Violation]:
        parts = [g for s in self.p.get("components") or [] for g in self.groups(s)]
        everything = set().union(*(mods for _, mods in parts)) if parts else set()
        out = []
        for x_label, x in parts:
            for y_label, y in parts:
                if x_label == y_label:
                    continue
                for a, b, chain in self.pair(x - y, y - x, everything - x - y):
                    out.append(_via(a, b, chain, f"{_q(x_label)} and {_q(y_label)} must stay independent", y_label))
        return out

    def _allowed_only(self) -> list[_Violation]:
        sources = self.union(self.p.get("from") or [])
        to_groups = [g for s in self.p.get("to") or [] for g in self.groups(s)]
        allowed = sources.union(*(mods for _, mods in to_groups)) if to_groups else set(sources)
        restrict_external = any(str(s).startswith(EXTERNAL) for s in self.p.get("to") or []) or any(
            m.startswith(EXTERNAL) for _, mods in to_groups for m in mods)
        listed = ", ".join(_q(label) for label, _ in to_groups) or "nothing"
        frm = ", ".join(_q(s) for s in self.p.get("from") or [])
        out = []
        for a in sorted(sources):
            for b, edge in sorted(self.ix.succ.get(a, {}).items()):
                if b in allowed or (b.startswith(EXTERNAL) and not restrict_external):
                    continue
                if self.ok(a, b, edge):
                    out.append(_Violation(a, b, [a, b], f"{frm} may import only {listed}"))
        return out

    def _interface(self) -> list[_Violation]:
        comp = str(self.p.get("component"))
        inside = self.union([comp])
        exposed: set[str] = set()
        for pattern in self.p.get("modules") or []:
            for _, mods in self.ix.resolve(pattern, True):
                exposed |= mods
        listed = ", ".join(self.p.get("modules") or [])
        out = []
        for b in sorted(inside - exposed):
            for a, edge in sorted(self.ix.pred.get(b, {}).items()):
                if a not in inside and self.ok(a, b, edge):
                    out.append(_Violation(a, b, [a, b], f"from outside, {_q(comp)} may be used only through {listed}"))
        return out

    def _acyclic(self) -> list[_Violation]:
        subjects = self.p.get("components") or sorted(k for k, v in self.ix.component_modules.items() if v)
        depth = int(self.p.get("depth") or 0)
        out: list[_Violation] = []
        for subject in subjects:
            if "*" in subject:
                self._acyclic_levels(subject, depth, out)
        plain = [s for s in subjects if "*" not in s]
        if plain:
            groups = [g for s in plain for g in self.groups(s)]
            self._acyclic_among(groups, out)
        return out

    def _acyclic_levels(self, pattern: str, depth: int, out: list[_Violation]) -> None:
        groups = [g for g in self.ix.resolve(pattern, True) if g[1]]
        if not groups:
            self.problems.append(f"rule {self.id!r}: {pattern!r} matches no module")
            return
        self._acyclic_among(groups, out)
        if depth > 0:
            for label, _ in groups:
                if any(n.startswith(label + ".") for n in self.ix.prefix_names()):
                    sub = [g for g in self.ix.resolve(label + ".*", True) if g[1]]
                    if sub:
                        self._acyclic_levels(label + ".*", depth - 1, out)

    def _acyclic_among(self, groups: list[tuple[str, set[str]]], out: list[_Violation]) -> None:
        if len(groups) < 2:
            return
        owner: dict[str, str] = {}
        for label, mods in groups:
            for m in mods:
                owner.setdefault(m, label)
        g = nx.DiGraph()
        evidence: dict[tuple[str, str], tuple[str, str]] = {}
        for a, ga in owner.items():
            for b, edge in self.ix.succ.get(a, {}).items():
                gb = owner.get(b)
                if gb is None or gb == ga or not self.ok(a, b, edge):
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
                out.append(_Violation(a, b, [a, b], "import cycle " + " → ".join(cycle), importer=ga, imported=gb, cycle=cycle))


def _via(a: str, b: str, chain: list[str], why: str, target_label: str) -> _Violation:
    """A violation; an indirect one is identified by its importer and the subject it reaches, not the
    module the shortest chain happens to end at, so a new shortcut does not look like a new violation."""
    if len(chain) > 2:
        return _Violation(a, b, chain, why, importer=a, imported=target_label)
    return _Violation(a, b, chain, why)


def _in_container(container: str | None, name: str) -> str:
    """A layer name relative to a container, as an absolute module subject."""
    if not container:
        return name
    sep = "/" if "/" in container else "."
    return f"module:{container}{sep}{name.removeprefix('module:')}"


def _q(label: str) -> str:
    return f"'{label}'"


# -- the check --------------------------------------------------------------------------


def check(graph: RepoGraph, *, baseline: Baseline | None = None, today: date | None = None) -> CheckReport:
    """Evaluate every Rule node of ``graph``; see the module docstring for the semantics."""
    today = today or date.today()
    index = _Index(graph)
    findings: list[Finding] = []
    report = CheckReport(verdict="pass", findings=[])
    decisions = {n.key: n for n in graph.of_label(Label.DECISION)}
    for rule in sorted(graph.of_label(Label.RULE), key=lambda n: n.key):
        props = rule.props
        decision_path = props.get("because")
        decision = decisions.get(decision_path) if decision_path else None
        if decision_path and decision is None:
            report.problems.append(f"rule {rule.key!r}: its decision {decision_path} is not in the graph")
        status = decision.get("status") if decision is not None else None
        enforced, cap = enforcement(status)
        if not enforced:
            report.skipped_rules.append({"rule": rule.key, "decision": decision_path, "status": status,
                                         "reason": f"declared by {decision_path}, which is {status}"})
            continue
        severity = props.get("severity") or "block"
        if cap and SEVERITY_ORDER[cap] < SEVERITY_ORDER.get(severity, 2):
            severity = cap
        report.rules.append(_rule_summary(props, severity, decision))
        runner = _RuleCheck(index, props, today, report.problems)
        for v in runner.run():
            findings.append(_finding(index, props, severity, decision, decision_path, v))
        report.expired_exceptions += runner.expired
        report.unused_exceptions += runner.unused_exceptions()
    # one finding per key: a layers rule may reach the same pair from two containers
    unique: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        unique.setdefault(f.key, f)
    entries = baseline.entries if baseline else set()
    for f in sorted(unique.values(), key=lambda f: (-SEVERITY_ORDER[f.severity], f.rule, f.source, f.target)):
        (report.baselined if f.key in entries else report.findings).append(f)
    report.stale_baseline = sorted(entries - report.current_keys)
    if any(f.severity == "block" for f in report.findings):
        report.verdict = "block"
    elif any(f.severity == "warn" for f in report.findings):
        report.verdict = "warn"
    return report


def _rule_summary(props: dict[str, Any], severity: str, decision: Node | None) -> dict[str, Any]:
    return {
        "id": props.get("id"), "kind": props.get("kind"), "severity": severity, "declared_severity": props.get("severity"),
        "description": props.get("description"), "source": props.get("source"), "decision": props.get("because"),
        "decision_title": decision.get("title") if decision is not None else None,
        "decision_status": decision.get("status") if decision is not None else None,
    }


def _finding(index: _Index, props: dict[str, Any], severity: str, decision: Node | None, decision_path: str | None, v: _Violation) -> Finding:
    edge = index.succ.get(v.chain[0], {}).get(v.chain[1]) if len(v.chain) > 1 else None
    file, line = (edge.file, edge.line) if edge else (None, None)
    where = f" ({file}:{line})" if file and line else (f" ({file})" if file else "")
    via = f" via {' → '.join(v.chain)}" if len(v.chain) > 2 else ""
    rule_id, kind = props.get("id"), props.get("kind")
    parts = [f"{v.source} imports {v.target}{where}{via}: rule '{rule_id}' ({kind}, {severity}) says {v.why}."]
    if decision is not None:
        parts.append(f"Decided in {decision_path} \"{decision.get('title')}\" ({decision.get('status')}).")
    elif props.get("source"):
        parts.append(f"Declared in {props.get('source')}.")
    if props.get("description"):
        parts.append(str(props["description"]).strip())
    return Finding(
        rule=rule_id, kind=kind, severity=severity, source=v.source, target=v.target,
        source_component=index.component(v.source), target_component=index.component(v.target),
        file=file, line=line, decision=decision_path, message=" ".join(parts),
        chain=v.chain if len(v.chain) > 2 else [], cycle=v.cycle, importer=v.importer or v.source, imported=v.imported or v.target,
    )

