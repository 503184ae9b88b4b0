"""Boundary rules: one schema, read from cairn.toml, from decisions, and from import-linter contracts.

The same table is accepted in three places:

* ``[[rules]]`` in ``cairn.toml`` (or ``[[tool.cairn.rules]]``);
* a ``rules:`` list in an ADR's YAML front matter;
* a fenced ```` ```cairn ```` block (TOML with ``[[rules]]``) inside an ADR.

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
``component:NAME`` is that component's modules; ``module:NAME`` is the module
``NAME`` and, with ``as_packages``, every module below it (``NAME.x`` or, for
path-named modules, ``NAME/x``); ``external:NAME`` is a third-party package. A
bare word is a component when a component of that name exists, else a module
prefix, else an external package. ``*`` stands for one name segment and ``**``
for one or more (import-linter's wildcards); in ``independence``, ``acyclic``
and layer siblings a wildcard subject stands for each module it matches
separately. Exception patterns match module names exactly, with the same
wildcards.

Rules whose decision is superseded, deprecated or rejected are not enforced;
those of a proposed decision report at most ``info``. ``queries.boundaries``
evaluates them.

Import-linter contracts (``setup.cfg`` / ``.importlinter`` ``[importlinter]``
sections, else ``[tool.importlinter]`` in ``pyproject.toml``, the order
``lint-imports`` uses) are read as rules with id ``importlinter:<contract id>``
and severity ``block``: ``forbidden`` (``allow_indirect_imports`` → not
transitive, ``as_packages``), ``layers`` (``|`` / ``:`` siblings, optional
layers, ``containers``; always transitive, like import-linter),
``independence`` (transitive) and ``acyclic_siblings`` (as ``acyclic`` over the
children of each ancestor); ``ignore_imports`` become exceptions. Type-checking
imports count unless ``exclude_type_checking_imports`` is set, and dynamic
imports never count (grimp does not see them). ``protected`` and custom
contract types are reported as problems and skipped.

An invalid rule anywhere raises ``ConfigError`` naming the file and the rule.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.adrs import DecisionSet
from cairn.ingest.config import CairnConfig, ConfigError

KINDS = ("forbidden", "layers", "independence", "allowed_only", "acyclic", "interface")
SEVERITIES = ("block", "warn", "info")
#: Decision statuses whose rules are not enforced / are capped at info.
NOT_ENFORCED_STATUSES = frozenset({"superseded", "deprecated", "rejected"})
ADVISORY_STATUSES = frozenset({"proposed"})
IMPORTLINTER_PREFIX = "importlinter:"
ACYCLIC_SIBLINGS_DEPTH = 10  # import-linter's default


class RuleException(BaseModel):
    model_config = ConfigDict(extra="forbid")

    importer: str = Field(min_length=1)
    imported: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    expires: date | None = None

    @field_validator("reason")
    @classmethod
    def _real_reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an exception needs a reason")
        return value.strip()


class RuleSpec(BaseModel):
    """One boundary rule as written (see the module docstring for the fields)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(min_length=1)
    kind: Literal["forbidden", "layers", "independence", "allowed_only", "acyclic", "interface"]
    severity: Literal["block", "warn", "info"] = "block"
    because: str | None = None
    description: str | None = None
    exceptions: list[RuleException] = Field(default_factory=list)
    transitive: bool = False
    include_type_only: bool = False
    include_dynamic: bool = True
    as_packages: bool = True
    from_: list[str] = Field(default_factory=list, alias="from")
    to: list[str] = Field(default_factory=list)
    layers: list[str] = Field(default_factory=list)
    closed: list[str] = Field(default_factory=list)
    containers: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)
    component: str | None = None
    modules: list[str] = Field(default_factory=list)
    depth: int = Field(0, ge=0, le=50)

    @field_validator("from_", "to", "closed", "containers", "components", "modules", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("layers", mode="before")
    @classmethod
    def _layer_entries(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [" | ".join(map(str, v)) if isinstance(v, list) else v for v in value]
        return value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if value != value.strip() or any(ch.isspace() for ch in value):
            raise ValueError("rule ids contain no spaces")
        return value

    @model_validator(mode="after")
    def _kind_parameters(self) -> "RuleSpec":
        needs: dict[str, tuple[str, ...]] = {
            "forbidden": ("from_", "to"), "layers": ("layers",), "independence": ("components",),
            "allowed_only": ("from_", "to"), "acyclic": (), "interface": ("component", "modules"),
        }
        allowed: dict[str, tuple[str, ...]] = {
            "forbidden": ("from_", "to"), "layers": ("layers", "closed", "containers"), "independence": ("components",),
            "allowed_only": ("from_", "to"), "acyclic": ("components", "depth"), "interface": ("component", "modules"),
        }
        for name in needs[self.kind]:
            if not getattr(self, name):
                raise ValueError(f"a {self.kind} rule needs '{name.rstrip('_')}'")
        for name in ("from_", "to", "layers", "closed", "containers", "components", "component", "modules", "depth"):
            if getattr(self, name) and name not in allowed[self.kind]:
                raise ValueError(f"'{name.rstrip('_')}' does not apply to a {self.kind} rule")
        if self.transitive and self.kind in ("allowed_only", "acyclic", "interface"):
            raise ValueError(f"'transitive' does not apply to a {self.kind} rule")
        if self.kind == "layers":
            parsed = [parse_layer(entry) for entry in self.layers]
            names = [name for layer in parsed for name in layer.names]
            if len(names) != len(set(names)):
                raise ValueError("a module or component appears in more than one layer")
            unknown = [c for c in self.closed if c not in names]
            if unknown:
                raise ValueError(f"closed layer {unknown[0]!r} is not one of the layers")
        if self.kind == "independence" and len(self.components) < 2 and not any("*" in c for c in self.components):
            raise ValueError("an independence rule needs at least two components")
        return self


@dataclass(frozen=True)
class Layer:
    names: tuple[str, ...]
    optional: tuple[bool, ...]
    independent: bool = True


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


_COLON_SEPARATOR = re.compile(r"(?<!component)(?<!module)(?<!external):")


@dataclass
class Rule:
    """A validated rule and where it came from."""

    spec: RuleSpec
    source: str  # "cairn.toml", an ADR path, ".importlinter", …
    origin: str  # human-readable place inside the source
    because: str | None = None  # resolved decision path

    @property
    def id(self) -> str:
        return self.spec.id

    def props(self) -> dict[str, Any]:
        s = self.spec
        return {
            "id": s.id, "kind": s.kind, "severity": s.severity, "because": self.because, "source": self.source,
            "origin": self.origin, "description": s.description, "transitive": s.transitive,
            "include_type_only": s.include_type_only, "include_dynamic": s.include_dynamic, "as_packages": s.as_packages,
            "from": list(s.from_), "to": list(s.to), "layers": list(s.layers), "closed": list(s.closed),
            "containers": list(s.containers), "components": list(s.components), "component": s.component,
            "modules": list(s.modules), "depth": s.depth,
            "exceptions": [
                {"importer": e.importer, "imported": e.imported, "reason": e.reason,
                 "expires": e.expires.isoformat() if e.expires else None}
                for e in s.exceptions
            ],
        }


def validate_rule(data: dict[str, Any], where: str) -> RuleSpec:
    """Validate one rule table; ``where`` names the file (and place) for the error message."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: a rule must be a table of fields, got {type(data).__name__}")
    rule_id = data.get("id")
    label = f"rule {rule_id!r}" if rule_id else "a rule without an id"
    try:
        return RuleSpec.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
        raise ConfigError(f"{where}: {label}: {'; '.join(parts)}") from None
    except ValueError as exc:
        raise ConfigError(f"{where}: {label}: {exc}") from None


# -- collecting -------------------------------------------------------------------------


def collect_rules(config: CairnConfig, decision_set: DecisionSet, root: Path) -> tuple[list[Rule], list[str]]:
    """Every rule of the checkout: cairn.toml, then decisions, then import-linter contracts.

    Returns the rules and non-fatal problems (skipped import-linter contract
    types). Raises ``ConfigError`` for an invalid rule, an unknown ``because``
    or a duplicate id.
    """
    rules: list[Rule] = []
    problems: list[str] = []
    source = config.source or "cairn.toml"
    for i, data in enumerate(config.rules):
        spec = validate_rule(data, source)
        because = None
        if spec.because:
            because = decision_set.resolve(spec.because)
            if because is None:
                raise ConfigError(f"{source}: rule {spec.id!r}: because = {spec.because!r} names no decision record")
        rules.append(Rule(spec, source, f"{source} rule {i + 1}", because))

    for decision in decision_set.decisions:
        for raw in decision.rules:
            where = f"{decision.path} ({raw.origin})"
            tables = _cairn_block_rules(raw.data["__toml__"], where) if "__toml__" in raw.data else [raw.data]
            for data in tables:
                spec = validate_rule(data, where)
                if spec.because and decision_set.resolve(spec.because, relative_to=decision.path) != decision.path:
                    raise ConfigError(f"{where}: rule {spec.id!r}: a rule inside a decision is declared by that decision; drop 'because'")
                spec.because = decision.path
                rules.append(Rule(spec, decision.path, raw.origin, decision.path))

    il_rules, il_problems = read_importlinter(root)
    rules += il_rules
    problems += il_problems

    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"{rule.source}: rule id {rule.id!r} is already used in {seen[rule.id].source}")
        seen[rule.id] = rule
    return rules, problems


def _cairn_block_rules(text: str, where: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    extra = set(data) - {"rules"}
    if extra:
        raise ConfigError(f"{where}: a cairn block holds only [[rules]] tables, not {sorted(extra)}")
    tables = data.get("rules", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{where}: write rules as [[rules]] tables")
    return tables


def add_rules(graph: RepoGraph, rules: list[Rule]) -> None:
    """Rule nodes (key: id) and DECLARED_BY edges to the decisions behind them."""
    for rule in rules:
        node = graph.add_node(Label.RULE, rule.id, **rule.props())
        if rule.because:
            decision = graph.node(Label.DECISION, rule.because)
            if decision is not None:
                graph.add_edge(Rel.DECLARED_BY, node, decision)


# -- import-linter ----------------------------------------------------------------------


@dataclass
class _Contracts:
    source: str
    session: dict[str, Any]
    contracts: list[dict[str, Any]] = field(default_factory=list)


def read_importlinter(root: Path) -> tuple[list[Rule], list[str]]:
    """import-linter contracts of the checkout as rules, and problems (skipped contracts)."""
    found = _find_importlinter(root)
    if found is None:
        return [], []
    rules: list[Rule] = []
    problems: list[str] = []
    exclude_type_checking = _truthy(found.session.get("exclude_type_checking_imports"))
    for index, contract in enumerate(found.contracts):
        contract_id = str(contract.get("id") or f"contract-{index + 1}")
        where = f"{found.source} [importlinter:contract:{contract_id}]"
        ctype = str(contract.get("type") or "")
        try:
            data = _contract_as_rule(contract, ctype, contract_id, exclude_type_checking, where)
        except _Unsupported as exc:
            problems.append(f"{where}: {exc}; not checked by Cairn")
            continue
        spec = validate_rule(data, where)
        rules.append(Rule(spec, found.source, f"import-linter contract {contract_id}", None))
        if ctype == "layers" and _truthy(contract.get("exhaustive")):
            problems.append(f"{where}: 'exhaustive' (every child of a container is a layer) is not checked by Cairn; the layers are")
    return rules, problems


class _Unsupported(Exception):
    pass


def _contract_as_rule(contract: dict[str, Any], ctype: str, contract_id: str, exclude_type_checking: bool, where: str) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": IMPORTLINTER_PREFIX + contract_id, "severity": "block",
        "description": str(contract.get("name") or contract_id),
        "include_type_only": not exclude_type_checking, "include_dynamic": False,
        "exceptions": [_ignore_as_exception(expr, where) for expr in _il_list(contract.get("ignore_imports"))],
    }
    if ctype == "forbidden":
        return {
            **base, "kind": "forbidden", "from": _modules(contract.get("source_modules")),
            "to": _modules(contract.get("forbidden_modules")),
            "transitive": not _truthy(contract.get("allow_indirect_imports")),
            "as_packages": _truthy(contract.get("as_packages", "true")),
        }
    if ctype == "layers":
        containers = _il_list(contract.get("containers"))
        return {
            **base, "kind": "layers", "containers": containers, "transitive": True,
            "layers": [_il_layer(v, relative=bool(containers)) for v in _il_list(contract.get("layers"))],
        }
    if ctype == "independence":
        return {**base, "kind": "independence", "components": _modules(contract.get("modules")), "transitive": True}
    if ctype == "acyclic_siblings":
        if contract.get("skip_descendants"):
            raise _Unsupported("acyclic_siblings with skip_descendants is not supported")
        ancestors = _il_list(contract.get("ancestors"))
        try:
            depth = int(str(contract.get("depth", ACYCLIC_SIBLINGS_DEPTH)).strip())
        except ValueError:
            raise ConfigError(f"{where}: depth must be a whole number") from None
        return {**base, "kind": "acyclic", "components": ["module:" + a.rstrip(".") + ".*" for a in ancestors], "depth": depth}
    raise _Unsupported(f"contract type {ctype!r} is not supported" if ctype else "contract has no type")


def _modules(value: Any) -> list[str]:
    """import-linter subjects are modules (or external packages), never Cairn component names."""
    return ["module:" + m for m in _il_list(value)]


def _il_layer(value: str, *, relative: bool) -> str:
    # import-linter writes siblings as "a | b" / "a : b" and optional layers as "(a)", as Cairn does;
    # names relative to containers are made absolute when the check runs
    if relative:
        return value.strip()
    layer = parse_layer(value.strip())
    parts = [f"(module:{n})" if opt else f"module:{n}" for n, opt in zip(layer.names, layer.optional)]
    return (" | " if layer.independent else " : ").join(parts)


def _ignore_as_exception(expression: str, where: str) -> dict[str, Any]:
    importer, sep, imported = expression.partition("->")
    if not sep or not importer.strip() or not imported.strip():
        raise ConfigError(f"{where}: ignore_imports entry {expression!r} is not 'importer -> imported'")
    return {"importer": importer.strip(), "imported": imported.split("#", 1)[0].strip(), "reason": "import-linter ignore_imports"}


def _il_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split("\n")
    out = []
    for item in value:
        item = str(item).strip()
        if item and not item.startswith("#"):
            out.append(item)
    return out


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _find_importlinter(root: Path) -> _Contracts | None:
    for name in ("setup.cfg", ".importlinter"):
        path = root / name
        if not path.is_file():
            continue
        parser = configparser.ConfigParser()
        try:
            parser.read_string(path.read_text(encoding="utf-8"), source=name)
        except (configparser.Error, UnicodeDecodeError, OSError) as exc:
            if name == "setup.cfg":
                continue  # a setup.cfg we cannot parse is not ours to judge
            raise ConfigError(f"{name}: cannot be read as an INI file ({' '.join(str(exc).split())})") from None
        if "importlinter" not in parser.sections():
            continue
        contracts = []
        for section in parser.sections():
            if section.startswith("importlinter:"):
                contracts.append({"id": section.split(":")[-1], **_ini_section(parser[section])})
        return _Contracts(name, _ini_section(parser["importlinter"]), contracts)
    path = root / "pyproject.toml"
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return None
        session = dict(data.get("tool", {}).get("importlinter", {}) or {})
        if session:
            contracts = session.pop("contracts", [])
            if not isinstance(contracts, list):
                raise ConfigError("pyproject.toml: [tool.importlinter] contracts must be an array of tables")
            return _Contracts("pyproject.toml", session, [dict(c) for c in contracts if isinstance(c, dict)])
    return None


def _ini_section(section: configparser.SectionProxy) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in section.items():
        out[key] = value.strip().split("\n") if "\n" in value else value
    return out


def enforcement(status: str | None) -> tuple[bool, str | None]:
    """(enforced, severity cap) for a rule declared by a decision with ``status``."""
    if status in NOT_ENFORCED_STATUSES:
        return False, None
    if status in ADVISORY_STATUSES:
        return True, "info"
    return True, None
