"""The pydantic schema of a boundary rule as written (``graph.rules`` says what the fields mean).

``validate_rule_spec`` validates a rule through ``RuleSpecSchema`` and
keeps the result as a plain ``graph.rules.RuleSpec``; this module (and
pydantic) is imported only then, when ingest reads rules from a configuration,
an ADR or import-linter contracts. The analyses read rules back from Rule nodes
without it (``DeclaredRule.from_node``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cairn.graph.rules import SPEC_FIELDS, RuleException, RuleKind, RuleSpec, parse_layer
from cairn.graph.severity import Severity


class RuleExceptionSchema(BaseModel):
    """An import a rule lets pass: ``importer`` → ``imported`` (module patterns), with a reason, until ``expires``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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


class RuleSpecSchema(BaseModel):
    """One boundary rule as written (see the module docstring for the fields)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    id: str = Field(min_length=1)
    kind: RuleKind
    severity: Severity = Severity.BLOCK
    because: str | None = None
    description: str | None = None
    exceptions: list[RuleExceptionSchema] = Field(default_factory=list)
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
    def _kind_parameters(self) -> "RuleSpecSchema":
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


def validate_rule_spec(data: Any) -> RuleSpec:
    """The rule a table of fields (``from`` for ``from_``) declares; ``pydantic.ValidationError`` when it is not one."""
    valid = RuleSpecSchema.model_validate(data)
    fields = {name: getattr(valid, name) for name in SPEC_FIELDS}
    fields["exceptions"] = [RuleException(e.importer, e.imported, e.reason, e.expires) for e in valid.exceptions]
    return RuleSpec(**fields)
