"""The rule schema in its three homes (cairn.toml, ADR front matter, ```cairn blocks) and import-linter contracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.rule_schema import validate_rule_spec
from cairn.graph.rules import DeclaredRule, parse_layer
from cairn.ingest.adrs import read_decisions
from cairn.ingest.config import AdrSettings, ConfigError, load_config
from cairn.ingest.adrs import add_decisions
from cairn.ingest.rules import add_rules, collect_rules, validate_rule


def write(root: Path, files: dict[str, str]) -> None:
    for path, content in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(content, encoding="utf-8")


def collect(root: Path):
    config = load_config(root)
    decisions = read_decisions(root, config.adr, {})
    rules, problems = collect_rules(config, decisions, root)
    return config, decisions, {r.id: r for r in rules}, problems


ADR_WITH_RULES = """---
status: accepted
date: 2024-03-01
rules:
  - id: web-no-db
    kind: forbidden
    from: web
    to: [db]
    exceptions:
      - importer: shop.web.legacy
        imported: shop.db.*
        reason: legacy report page, being rewritten
        expires: 2024-12-31
---
# 3. Keep SQL behind the core

## Decision

The web layer never touches the database.

```cairn
[[rules]]
id = "one-way"
kind = "layers"
layers = ["web", "core | jobs", "db"]
closed = ["core"]
transitive = true
severity = "warn"
```
"""


def test_rules_from_config_front_matter_and_cairn_block(tmp_path):
    write(tmp_path, {
        "cairn.toml": """
[[rules]]
id = "no-cycles"
kind = "acyclic"
because = "ADR-0003"
description = "Components form a DAG."

[[rules]]
id = "billing-api"
kind = "interface"
component = "billing"
modules = ["shop.billing.api"]
severity = "info"
""",
        "docs/adr/0003-keep-sql-behind-the-core.md": ADR_WITH_RULES,
    })
    _, _, rules, problems = collect(tmp_path)
    assert problems == []
    assert sorted(rules) == ["billing-api", "no-cycles", "one-way", "web-no-db"]
    assert rules["no-cycles"].because == "docs/adr/0003-keep-sql-behind-the-core.md"  # resolved from "ADR-0003"
    assert rules["no-cycles"].source == "cairn.toml"
    assert rules["billing-api"].because is None and rules["billing-api"].spec.severity == "info"

    fm = rules["web-no-db"]
    assert (fm.source, fm.origin, fm.because) == ("docs/adr/0003-keep-sql-behind-the-core.md", "front matter rule 1",
                                                  "docs/adr/0003-keep-sql-behind-the-core.md")
    assert fm.spec.from_ == ["web"] and fm.spec.to == ["db"] and fm.spec.severity == "block"
    assert fm.spec.exceptions[0].expires.isoformat() == "2024-12-31"
    block = rules["one-way"]
    assert block.origin == "```cairn block at line 21"
    assert block.spec.layers == ["web", "core | jobs", "db"] and block.spec.transitive and block.spec.severity == "warn"


def test_add_rules_links_each_rule_to_its_decision(tmp_path):
    write(tmp_path, {"docs/adr/0003-keep-sql-behind-the-core.md": ADR_WITH_RULES,
                     "cairn.toml": '[[rules]]\nid = "free"\nkind = "independence"\ncomponents = ["a", "b"]\n'})
    config, decisions, rules, _ = collect(tmp_path)
    graph = RepoGraph("demo")
    add_decisions(graph, decisions)
    add_rules(graph, list(rules.values()))
    node = graph.node(Label.RULE, "web-no-db")
    assert node["kind"] == "forbidden" and node["from"] == ["web"] and node["to"] == ["db"]
    assert node["exceptions"] == [{"importer": "shop.web.legacy", "imported": "shop.db.*",
                                   "reason": "legacy report page, being rewritten", "expires": "2024-12-31"}]
    declared = sorted((graph.nodes[e.source].key, graph.nodes[e.target].key) for e in graph.of_type(Rel.DECLARED_BY))
    assert declared == [("one-way", "docs/adr/0003-keep-sql-behind-the-core.md"), ("web-no-db", "docs/adr/0003-keep-sql-behind-the-core.md")]
    assert graph.node(Label.RULE, "free")["source"] == "cairn.toml"
    # what ingest writes, the analyses read back through the same class
    assert DeclaredRule.from_node(node) == rules["web-no-db"]


@pytest.mark.parametrize("rule, message", [
    ({"id": "x", "kind": "forbidden", "from": ["a"]}, "cairn.toml: rule 'x': a forbidden rule needs 'to'"),
    ({"id": "x", "kind": "forbids", "from": ["a"], "to": ["b"]}, "cairn.toml: rule 'x': kind: Input should be"),
    ({"id": "x", "kind": "forbidden", "from": ["a"], "to": ["b"], "severity": "fatal"}, "cairn.toml: rule 'x': severity: Input should be"),
    ({"id": "x", "kind": "forbidden", "from": ["a"], "to": ["b"], "form": ["c"]}, "cairn.toml: rule 'x': form: Extra inputs are not permitted"),
    ({"id": "x", "kind": "forbidden", "from": ["a"], "to": ["b"], "exceptions": [{"importer": "a", "imported": "b"}]},
     "cairn.toml: rule 'x': exceptions.0.reason: Field required"),
    ({"id": "x", "kind": "forbidden", "from": ["a"], "to": ["b"], "exceptions": [{"importer": "a", "imported": "b", "reason": " "}]},
     "cairn.toml: rule 'x': exceptions.0.reason"),
    ({"id": "x", "kind": "layers", "layers": ["a", "b"], "closed": ["c"]}, "cairn.toml: rule 'x': closed layer 'c' is not one of the layers"),
    ({"id": "x", "kind": "layers", "layers": ["a", "b | a"]}, "cairn.toml: rule 'x': a module or component appears in more than one layer"),
    ({"id": "x", "kind": "acyclic", "transitive": True}, "cairn.toml: rule 'x': 'transitive' does not apply to a acyclic rule"),
    ({"id": "x", "kind": "independence", "components": ["a"]}, "cairn.toml: rule 'x': an independence rule needs at least two"),
    ({"kind": "acyclic"}, "cairn.toml: a rule without an id: id: Field required"),
    ({"id": "two words", "kind": "acyclic"}, "cairn.toml: rule 'two words': id: rule ids contain no spaces"),
])
def test_invalid_rules_name_the_file_and_the_rule(rule, message):
    with pytest.raises(ConfigError) as err:
        validate_rule(rule, "cairn.toml")
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)


def test_collect_rules_errors(tmp_path):
    write(tmp_path, {"cairn.toml": '[[rules]]\nid = "x"\nkind = "acyclic"\nbecause = "docs/adr/0009-nope.md"\n'})
    with pytest.raises(ConfigError, match=r"cairn.toml: rule 'x': because = 'docs/adr/0009-nope.md' names no decision record"):
        collect(tmp_path)

    write(tmp_path, {"cairn.toml": '[[rules]]\nid = "one-way"\nkind = "acyclic"\n',
                     "docs/adr/0003-keep-sql-behind-the-core.md": ADR_WITH_RULES})
    with pytest.raises(ConfigError, match=r"docs/adr/0003-keep-sql-behind-the-core.md: rule id 'one-way' is already used in cairn.toml"):
        collect(tmp_path)


def test_a_broken_cairn_block_names_the_adr_and_line(tmp_path):
    write(tmp_path, {"docs/adr/0001-a.md": "# 1. A\n\nText.\n\n```cairn\n[[rules]\nid = 'x'\n```\n"})
    with pytest.raises(ConfigError, match=r"^docs/adr/0001-a.md \(```cairn block at line 5\): not valid TOML"):
        collect(tmp_path)
    write(tmp_path, {"docs/adr/0001-a.md": "# 1. A\n\n```cairn\n[[rules]]\nid = 'x'\nkind = 'layers'\n```\n"})
    with pytest.raises(ConfigError, match=r"^docs/adr/0001-a.md \(```cairn block at line 3\): rule 'x': a layers rule needs 'layers'"):
        collect(tmp_path)
    write(tmp_path, {"docs/adr/0001-a.md": "---\nrules:\n  - id: y\n    kind: acyclic\n    because: docs/adr/0002-other.md\n---\n# 1. A\n",
                     "docs/adr/0002-other.md": "# 2. Other\n"})
    with pytest.raises(ConfigError, match=r"declared by that decision; drop 'because'"):
        collect(tmp_path)


def test_layer_notation():
    assert parse_layer("api").names == ("api",)
    both = parse_layer("shop.orders | shop.billing")
    assert both.names == ("shop.orders", "shop.billing") and both.independent
    loose = parse_layer("shop.orders : (shop.billing)")
    assert loose.names == ("shop.orders", "shop.billing") and not loose.independent and loose.optional == (False, True)
    prefixed = parse_layer("component:orders | module:shop.billing")
    assert prefixed.names == ("component:orders", "module:shop.billing") and prefixed.independent
    with pytest.raises(ValueError):
        parse_layer("a | b : c")


# -- import-linter ------------------------------------------------------------------------

IMPORTLINTER_INI = """
[importlinter]
root_package = shop
exclude_type_checking_imports = True

[importlinter:contract:layers]
name = Shop layers
type = layers
layers =
    shop.web
    shop.orders | shop.billing
    shop.core : shop.util
    (shop.legacy)
containers =
ignore_imports =
    shop.core.models -> shop.web.forms
    shop.*.admin -> shop.web.**

[importlinter:contract:no-requests]
name = Core does not call out
type = forbidden
source_modules =
    shop.core
forbidden_modules =
    requests
allow_indirect_imports = True

[importlinter:contract:independent]
name = Apps are independent
type = independence
modules =
    shop.orders
    shop.billing

[importlinter:contract:acyclic]
name = No cycles
type = acyclic_siblings
ancestors = shop
depth = 1

[importlinter:contract:protected]
name = Only the API touches internals
type = protected
protected_modules = shop.internal
allowed_importers = shop.api
"""


def test_importlinter_ini_contracts_read_as_rules(tmp_path):
    write(tmp_path, {".importlinter": IMPORTLINTER_INI})
    _, _, rules, problems = collect(tmp_path)
    assert sorted(rules) == ["importlinter:acyclic", "importlinter:independent", "importlinter:layers", "importlinter:no-requests"]
    assert problems == [".importlinter [importlinter:contract:protected]: contract type 'protected' is not supported; not checked by Cairn"]
    layers = rules["importlinter:layers"].spec
    assert layers.kind == "layers" and layers.transitive and layers.severity == "block"
    # import-linter subjects are modules, never component names
    assert layers.layers == ["module:shop.web", "module:shop.orders | module:shop.billing", "module:shop.core : module:shop.util",
                             "(module:shop.legacy)"]
    assert layers.description == "Shop layers"
    assert not layers.include_type_only and not layers.include_dynamic  # exclude_type_checking_imports = True
    assert [(e.importer, e.imported, e.reason) for e in layers.exceptions] == [
        ("shop.core.models", "shop.web.forms", "import-linter ignore_imports"), ("shop.*.admin", "shop.web.**", "import-linter ignore_imports")]
    forbidden = rules["importlinter:no-requests"].spec
    assert (forbidden.kind, forbidden.from_, forbidden.to, forbidden.transitive) == ("forbidden", ["module:shop.core"], ["module:requests"], False)
    independence = rules["importlinter:independent"].spec
    assert (independence.kind, independence.components, independence.transitive) == ("independence", ["module:shop.orders", "module:shop.billing"], True)
    acyclic = rules["importlinter:acyclic"].spec
    assert (acyclic.kind, acyclic.components, acyclic.depth) == ("acyclic", ["module:shop.*"], 1)
    assert rules["importlinter:layers"].source == ".importlinter"


def test_importlinter_in_pyproject_and_setup_cfg_precedence(tmp_path):
    write(tmp_path, {"pyproject.toml": """
[tool.importlinter]
root_packages = ["shop"]

[[tool.importlinter.contracts]]
id = "forbid-web"
name = "Core never imports the web"
type = "forbidden"
source_modules = ["shop.core"]
forbidden_modules = ["shop.web"]
as_packages = false

[[tool.importlinter.contracts]]
name = "Unnamed id"
type = "independence"
modules = ["shop.a", "shop.b"]
"""})
    _, _, rules, _ = collect(tmp_path)
    assert sorted(rules) == ["importlinter:contract-2", "importlinter:forbid-web"]
    spec = rules["importlinter:forbid-web"].spec
    assert spec.transitive and not spec.as_packages and spec.include_type_only
    assert rules["importlinter:forbid-web"].source == "pyproject.toml"
    # like lint-imports, an [importlinter] section in setup.cfg wins over pyproject.toml
    write(tmp_path, {"setup.cfg": "[metadata]\nname = shop\n\n[importlinter]\nroot_package = shop\n\n[importlinter:contract:one]\nname = One\ntype = independence\nmodules =\n    shop.x\n    shop.y\n"})
    _, _, rules, _ = collect(tmp_path)
    assert sorted(rules) == ["importlinter:one"] and rules["importlinter:one"].source == "setup.cfg"


def test_importlinter_bad_ignore_is_a_config_error(tmp_path):
    write(tmp_path, {".importlinter": "[importlinter]\nroot_package = shop\n\n[importlinter:contract:c]\nname = C\ntype = independence\nmodules =\n    shop.a\n    shop.b\nignore_imports =\n    shop.a shop.b\n"})
    with pytest.raises(ConfigError, match=r"\.importlinter \[importlinter:contract:c\]: ignore_imports entry 'shop.a shop.b' is not 'importer -> imported'"):
        collect(tmp_path)


def test_settings_without_rules(tmp_path):
    config = load_config(tmp_path)
    rules, problems = collect_rules(config, read_decisions(tmp_path, AdrSettings(), {}), tmp_path)
    assert (rules, problems) == ([], [])


RULES_OF_EVERY_KIND = [
    {"id": "f", "kind": "forbidden", "from": "core", "to": ["web", "module:shop.api"], "severity": "warn",
     "description": "core stays pure", "transitive": True, "include_type_only": True, "include_dynamic": False,
     "as_packages": False, "exceptions": [{"importer": "shop.core.a", "imported": "shop.web.*", "reason": " moving ",
                                           "expires": "2031-02-03"}, {"importer": "x", "imported": "y", "reason": "z"}]},
    {"id": "l", "kind": "layers", "layers": ["web", ["api", "cli"], "(core) : util", "db"], "closed": ["db"],
     "containers": ["shop"], "severity": "info"},
    {"id": "i", "kind": "independence", "components": ["a", "b", "c"]},
    {"id": "i2", "kind": "independence", "components": "plugins.*"},
    {"id": "o", "kind": "allowed_only", "from": ["core"], "to": ["external:json", "util"], "because": "docs/adr/0001-x.md"},
    {"id": "c", "kind": "acyclic", "depth": 3},
    {"id": "c2", "kind": "acyclic", "components": ["a", "b"]},
    {"id": "n", "kind": "interface", "component": "core", "modules": "shop.core.api"},
]


@pytest.mark.parametrize("data", RULES_OF_EVERY_KIND, ids=lambda d: d["kind"] + ":" + d["id"])
def test_a_rule_reads_back_from_its_node_as_validating_it_again_would(data):
    """``DeclaredRule.from_node`` reads what ``to_props`` wrote without the pydantic schema: the rule is the one
    validated from the configuration, and the one validating the node's properties again gives (as it did before)."""
    from cairn.graph.rules import RuleSpec

    spec = validate_rule(dict(data), "cairn.toml")
    declared = DeclaredRule(spec, "cairn.toml", "cairn.toml rule 1", data.get("because"))
    graph = RepoGraph("demo")
    add_rules(graph, [declared])
    node = graph.node(Label.RULE, data["id"])
    read = DeclaredRule.from_node(node)
    assert read == declared and type(read.spec) is RuleSpec
    props = node.props
    fields = {name: props[name] for name in ("kind", "severity", "because", "description", "transitive", "include_type_only",
                                             "include_dynamic", "as_packages", "to", "layers", "closed", "containers",
                                             "components", "component", "modules", "depth") if props.get(name) is not None}
    fields.update({"id": node.key, "from": props.get("from") or [],
                   "exceptions": [{k: v for k, v in e.items() if v is not None} for e in props.get("exceptions") or []]})
    assert read.spec == validate_rule_spec(fields)
    assert [e.reason for e in read.spec.exceptions] == [e.reason for e in spec.exceptions]


def test_the_rule_schema_and_the_rule_have_the_same_fields_and_defaults():
    """``RuleSpec`` (plain, what the analyses read) and ``RuleSpecSchema`` (pydantic, what validates a rule as
    written) declare the same fields in the same order with the same defaults, and so do the two exceptions."""
    import dataclasses

    from cairn.graph.rule_schema import RuleExceptionSchema, RuleSpecSchema
    from cairn.graph.rules import RuleException, RuleSpec

    for plain, schema in ((RuleSpec, RuleSpecSchema), (RuleException, RuleExceptionSchema)):
        fields = dataclasses.fields(plain)
        assert [f.name for f in fields] == list(schema.model_fields)
        for f in fields:
            model_field = schema.model_fields[f.name]
            plain_default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            schema_default = model_field.get_default(call_default_factory=True)
            if model_field.is_required():
                assert plain_default is dataclasses.MISSING, f.name
            else:
                assert plain_default == schema_default, f.name
