"""The boundary-rule language: what a rule says, and how a Rule node holds it.

A *rule* declares which imports a codebase may not have. The same schema is
written in ``cairn.toml``, inside an ADR, or derived from an import-linter
contract (``ingest.rules`` reads them all); ``queries.contracts`` judges them.

Fields (every rule):

``id`` (required, unique), ``kind``, ``severity`` (``block`` | ``warn`` |
``info``, default ``block``: a declared boundary is meant to hold, and the
baseline is how a team adopts a rule on code that breaks it today),
``because`` (the decision that declares it: a repository-relative ADR path, file
name or number; implicit and fixed for rules written inside an ADR),
``description``, ``exceptions`` (a list of ``{importer, imported, reason,
expires}``: module patterns, a required reason and an optional date after which
the exception no longer applies), ``transitive`` (default false: direct imports
only), ``include_type_only`` (default false: imports made only for type
checking do not count), ``include_dynamic`` (default true), ``as_packages``
(default true: a module subject includes its descendants).

Kinds and their parameters:

==============  =================================================================
``forbidden``   ``from``, ``to``: no module of ``from`` imports a module of ``to``
``layers``      ``layers`` top to bottom: a lower layer imports no higher one.
                A layer is one subject, or siblings ``"a | b"`` (independent of
                each other) / ``"a : b"`` (free to import each other), or a list
                (= ``|``); ``"(x)"`` marks an optional layer. ``closed``: layers
                that may not be skipped (a layer above a closed one imports
                nothing below it). ``containers``: module prefixes each layer
                name is relative to (the check runs once per container).
``independence`` ``components``: none imports another
``allowed_only``  ``from`` may import only ``to`` (and itself); external packages
                  are restricted only when ``to`` names one (``external:NAME``)
``acyclic``     ``components`` (default: every component): no import cycle
                among them
``interface``   ``component``, ``modules``: from outside the component only the
                listed modules (and their descendants) may be imported
==============  =================================================================

Subjects. A subject is resolved against the graph when the check runs:
``component:NAME`` is that component's modules and those of the components
nested in it (cometbft's ``libs`` holds its ``libs/pubsub``, a component of
its own; an ``acyclic`` rule over every component keeps each to its own
modules); ``module:NAME`` is the module
``NAME`` and, with ``as_packages``, every module below it (``NAME.x`` or, for
path-named modules, ``NAME/x``); ``external:NAME`` is a third-party package. A
bare word is a component when a component of that name exists, else a module
prefix, else an external package. ``*`` stands for one name segment and ``**``
for one or more (import-linter's wildcards); in ``independence``, ``acyclic``
and layer siblings a wildcard subject stands for each module it matches
separately. Exception patterns match module names exactly, with the same
wildcards.

A ``DeclaredRule`` is a validated rule with where it came from; it is written to
and read from a Rule node through ``to_props`` / ``from_node``, so ingest and
the analyses agree on every property name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

from cairn.graph.model import Node
from cairn.graph.severity import Severity

RuleKind = Literal["forbidden", "layers", "independence", "allowed_only", "acyclic", "interface"]
RULE_KINDS: tuple[str, ...] = ("forbidden", "layers", "independence", "allowed_only", "acyclic", "interface")


@dataclass(frozen=True)
class RuleException:
    """An import a rule lets pass: ``importer`` → ``imported`` (module patterns), with a reason, until ``expires``."""

    importer: str
    imported: str
    reason: str
    expires: date | None = None

    def expired(self, today: date) -> bool:
        """Whether the exception no longer applies: it applies up to and including its ``expires`` date."""
        return self.expires is not None and self.expires < today

    def to_props(self) -> dict[str, Any]:
        return {"importer": self.importer, "imported": self.imported, "reason": self.reason,
                "expires": self.expires.isoformat() if self.expires else None}


@dataclass(frozen=True)
class RuleSpec:
    """One boundary rule as written (see the module docstring for the fields), validated.

    ``rule_schema.validate_rule_spec`` validates a rule as written (with the pydantic
    schema of ``graph.rule_schema``, imported then); ``DeclaredRule.from_node``
    reads back one that ingest validated and stored, without it.
    """

    id: str
    kind: RuleKind
    severity: Severity = Severity.BLOCK
    because: str | None = None
    description: str | None = None
    exceptions: list[RuleException] = field(default_factory=list)
    transitive: bool = False
    include_type_only: bool = False
    include_dynamic: bool = True
    as_packages: bool = True
    from_: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    component: str | None = None
    modules: list[str] = field(default_factory=list)
    depth: int = 0


#: RuleSpec's fields (``from_`` is ``from`` in a table and on a Rule node), which the schema validating a rule fills.
SPEC_FIELDS = tuple(f.name for f in fields(RuleSpec))


@dataclass(frozen=True)
class Layer:
    """One entry of a layers rule: its subject names, which are optional, and whether siblings are independent."""

    names: tuple[str, ...]
    optional: tuple[bool, ...]
    independent: bool = True


_COLON_SEPARATOR = re.compile(r"(?<!component)(?<!module)(?<!external):")


def parse_layer(entry: str) -> Layer:
    """``"a | b"`` → independent siblings, ``"a : b"`` → siblings that may import each other, ``"(a)"`` optional.

    A colon directly after ``component``, ``module`` or ``external`` is a subject
    prefix, not a separator.
    """
    colon_parts = _COLON_SEPARATOR.split(entry)
    if "|" in entry and len(colon_parts) > 1:
        raise ValueError(f"layer {entry!r} mixes '|' and ':'")
    independent = len(colon_parts) == 1
    parts = [p.strip() for p in (entry.split("|") if "|" in entry else colon_parts)]
    if not all(parts):
        raise ValueError(f"layer {entry!r} has an empty name")
    names, optional = [], []
    for p in parts:
        is_optional = p.startswith("(") and p.endswith(")")
        names.append(p[1:-1].strip() if is_optional else p)
        optional.append(is_optional)
    return Layer(tuple(names), tuple(optional), independent)


@dataclass(frozen=True)
class DeclaredRule:
    """A validated rule and where it came from: the Rule node of the graph, typed.

    ``source`` is the file that declares it (``cairn.toml``, an ADR path,
    ``.importlinter`` …), ``origin`` the place inside it, ``because`` the
    repository-relative path of the decision behind it, resolved.
    """

    spec: RuleSpec
    source: str
    origin: str
    because: str | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    def to_props(self) -> dict[str, Any]:
        s = self.spec
        return {
            "id": s.id, "kind": s.kind, "severity": s.severity.value, "because": self.because, "source": self.source,
            "origin": self.origin, "description": s.description, "transitive": s.transitive,
            "include_type_only": s.include_type_only, "include_dynamic": s.include_dynamic, "as_packages": s.as_packages,
            "from": list(s.from_), "to": list(s.to), "layers": list(s.layers), "closed": list(s.closed),
            "containers": list(s.containers), "components": list(s.components), "component": s.component,
            "modules": list(s.modules), "depth": s.depth,
            "exceptions": [e.to_props() for e in s.exceptions],
        }

    @classmethod
    def from_node(cls, node: Node) -> "DeclaredRule":
        """The rule a Rule node holds (written by ``to_props`` from a validated rule: read back as it was written)."""
        props = node.props
        values = {name: props[name] for name in SPEC_FIELDS if name not in ("from_", "exceptions") and props.get(name) is not None}
        values["from_"] = list(props.get("from") or [])
        values["exceptions"] = [RuleException(str(e["importer"]), str(e["imported"]), str(e["reason"]).strip(), _date(e.get("expires")))
                                for e in props.get("exceptions") or []]
        values["id"] = node.key
        values["severity"] = Severity(values.get("severity", Severity.BLOCK))
        for name in ("to", "layers", "closed", "containers", "components", "modules"):
            if name in values:
                values[name] = list(values[name])
        return cls(RuleSpec(**values), str(props.get("source") or ""), str(props.get("origin") or ""), props.get("because"))


def _date(value: Any) -> date | None:
    """An exception's stored ``expires`` (ISO date text, as ``RuleException.to_props`` writes it)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
