"""Boundary rules of a checkout: read from cairn.toml, from decisions, and from import-linter contracts.

The rule language itself (fields, kinds, subjects) is ``graph.rules``; this
module finds the rules a repository declares and validates them. The same
table is accepted in three places:

* ``[[rules]]`` in ``cairn.toml`` (or ``[[tool.cairn.rules]]``);
* a ``rules:`` list in an ADR's YAML front matter;
* a fenced ```` ```cairn ```` block (TOML with ``[[rules]]``) inside an ADR.

Rules whose decision is retired (superseded, deprecated, rejected …) are not enforced;
those of a proposed decision report at most ``info`` (``graph.decisions``);
``queries.contracts`` evaluates them.

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

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cairn.graph.errors import ConfigError
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.rules import DeclaredRule, RuleSpec, parse_layer
from cairn.ingest.adrs import DecisionSet
from cairn.ingest.untrusted import RefusedFile, read_checkout_text
from cairn.ingest.untrusted_toml import TOMLDecodeError, load_toml

if TYPE_CHECKING:
    import configparser

    from cairn.ingest.config import CairnConfig
    from cairn.ingest.config_values import Settings
    from cairn.ingest.known_settings import KnownSettings

IMPORTLINTER_PREFIX = "importlinter:"
ACYCLIC_SIBLINGS_DEPTH = 10  # import-linter's default


def validate_rule(data: dict[str, Any], where: str, known: KnownSettings | None = None) -> RuleSpec:
    """Validate one rule table; ``where`` names the file (and place) for the error message. ``known``: the rules
    validated before (``known_settings``), whose tables are not validated again (None: every one is)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: a rule must be a table of fields, got {type(data).__name__}")
    rule_id = data.get("id")
    label = f"rule {rule_id!r}" if rule_id else "a rule without an id"
    try:
        if known is not None:
            return known.rule(data)
        from cairn.graph.rule_schema import validate_rule_spec  # (pydantic: imported when a rule is validated)

        return validate_rule_spec(data)
    except ValueError as exc:  # pydantic's ValidationError is one; pydantic was imported to raise it
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise ConfigError(f"{where}: {label}: {exc}") from None
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
        raise ConfigError(f"{where}: {label}: {'; '.join(parts)}") from None


# -- collecting -------------------------------------------------------------------------


def collect_rules(config: CairnConfig | Settings, decision_set: DecisionSet,
                  root: Path) -> tuple[list[DeclaredRule], list[str]]:
    """Every rule of the checkout: cairn.toml, then decisions, then import-linter contracts.

    Returns the rules and non-fatal problems (skipped import-linter contract
    types). Raises ``ConfigError`` for an invalid rule, an unknown ``because``
    or a duplicate id. Settings read through ``known_settings.ingest_settings`` bring the
    rules validated before (``known_rules``): a table validated then is not
    validated again, and the tables read now are remembered for the next ingest.
    """
    known: KnownSettings | None = getattr(config, "known_rules", None)
    rules: list[DeclaredRule] = []
    problems: list[str] = []
    source = config.source or "cairn.toml"
    for i, data in enumerate(config.rules):
        spec = validate_rule(data, source, known)
        because = None
        if spec.because:
            because = decision_set.resolve(spec.because)
            if because is None:
                raise ConfigError(f"{source}: rule {spec.id!r}: because = {spec.because!r} names no decision record")
        rules.append(DeclaredRule(spec, source, f"{source} rule {i + 1}", because))

    for decision in decision_set.decisions:
        for raw in decision.rules:
            where = f"{decision.path} ({raw.origin})"
            tables = _cairn_block_rules(raw.data["__toml__"], where) if "__toml__" in raw.data else [raw.data]
            for data in tables:
                spec = validate_rule(data, where, known)
                if spec.because and decision_set.resolve(spec.because, relative_to=decision.path) != decision.path:
                    raise ConfigError(f"{where}: rule {spec.id!r}: a rule inside a decision is declared by that decision; drop 'because'")
                spec = replace(spec, because=decision.path)
                rules.append(DeclaredRule(spec, decision.path, raw.origin, decision.path))

    il_rules, il_problems = read_importlinter(root, known)
    rules += il_rules
    problems += il_problems

    seen: dict[str, DeclaredRule] = {}
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"{rule.source}: rule id {rule.id!r} is already used in {seen[rule.id].source}")
        seen[rule.id] = rule
    if known is not None:
        known.save_rules()
    return rules, problems


def _cairn_block_rules(text: str, where: str) -> list[dict[str, Any]]:
    try:
        data = load_toml(text)
    except TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    extra = set(data) - {"rules"}
    if extra:
        raise ConfigError(f"{where}: a cairn block holds only [[rules]] tables, not {sorted(extra)}")
    tables = data.get("rules", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{where}: write rules as [[rules]] tables")
    return tables


def add_rules(graph: RepoGraph, rules: list[DeclaredRule]) -> None:
    """Rule nodes (key: id) and DECLARED_BY edges to the decisions behind them."""
    for rule in rules:
        node = graph.add_node(Label.RULE, rule.id, **rule.to_props())
        if rule.because:
            decision = graph.node(Label.DECISION, rule.because)
            if decision is not None:
                graph.add_edge(Rel.DECLARED_BY, node, decision)


# -- import-linter ----------------------------------------------------------------------


class _Contracts:
    source: str
    session: dict[str, Any]
    contracts: list[dict[str, Any]]

    def __init__(self, source: str, session: dict[str, Any], contracts: list[dict[str, Any]] | None = None) -> None:
        self.source = source
        self.session = session
        self.contracts = [] if contracts is None else contracts


def read_importlinter(root: Path, known: KnownSettings | None = None) -> tuple[list[DeclaredRule], list[str]]:
    """import-linter contracts of the checkout as rules, and problems (skipped contracts); ``known`` as for
    ``validate_rule``."""
    found = _find_importlinter(root)
    if found is None:
        return [], []
    rules: list[DeclaredRule] = []
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
        spec = validate_rule(data, where, known)
        rules.append(DeclaredRule(spec, found.source, f"import-linter contract {contract_id}", None))
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
        try:
            text = read_checkout_text(root, name)
        except RefusedFile as exc:
            raise ConfigError(str(exc)) from None
        if text is None:
            continue
        import configparser  # here: most repositories have neither file

        parser = configparser.ConfigParser()
        try:
            parser.read_string(text, source=name)
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
    try:
        text = read_checkout_text(root, "pyproject.toml")
    except RefusedFile as exc:
        raise ConfigError(str(exc)) from None
    if text is not None:
        try:
            data = load_toml(text)
        except (TOMLDecodeError, UnicodeDecodeError, OSError):
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
