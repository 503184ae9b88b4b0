"""The models that validate ``cairn.toml`` (or ``[tool.cairn]``): see ``ingest.config`` for the file and its sections.

Defined with pydantic; ``ingest.config`` imports this module when a
configuration is read or one of these models is named, so a command that only
reads a stored graph does not import pydantic.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cairn.graph.baseline import DEFAULT_BASELINE, baseline_name
from cairn.graph.changes import AgentSettings, CouplingSettings, TrendSettings
from cairn.graph.errors import BaselineError
from cairn.graph.threshold_model import Thresholds
from cairn.ingest.untrusted import DEFAULT_MAX_FILE_BYTES, MAX_FILE_BYTES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComponentSpec(_Strict):
    paths: list[str]
    system: str | None = None
    domain: str | None = None
    description: str | None = None


class IdentitySettings(_Strict):
    agents: list[str] = Field(default_factory=list)
    bots: list[str] = Field(default_factory=list)
    humans: list[str] = Field(default_factory=list, description="patterns that are never bots or agents")
    departed: list[str] = Field(default_factory=list)


class PersonSpec(_Strict):
    """``[[people]]``: one person's display name and the names, e-mails and ``@logins`` that are them."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class AdrSettings(_Strict):
    paths: list[str] = Field(default_factory=list)


class IngestSettings(_Strict):
    exclude: list[str] = Field(default_factory=list)
    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, ge=1, le=MAX_FILE_BYTES)


class CairnConfig(_Strict):
    components: dict[str, ComponentSpec] = Field(default_factory=dict)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    identities: IdentitySettings = Field(default_factory=IdentitySettings)
    people: list[PersonSpec] = Field(default_factory=list)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    adr: AdrSettings = Field(default_factory=AdrSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    coupling: CouplingSettings = Field(default_factory=CouplingSettings)
    trends: TrendSettings = Field(default_factory=TrendSettings)
    agents: AgentSettings = Field(default_factory=AgentSettings)
    baseline: str = DEFAULT_BASELINE
    source: str | None = Field(None, description="where this configuration was read from (repository-relative)")

    @field_validator("components", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {name: ({"paths": spec} if isinstance(spec, (list, str)) else spec) for name, spec in value.items()}
        return value

    @field_validator("baseline")
    @classmethod
    def _baseline_inside(cls, value: str) -> str:
        try:
            return baseline_name(value)
        except BaselineError as exc:
            raise ValueError(exc.reason) from None

    @field_validator("components")
    @classmethod
    def _paths_as_list(cls, value: dict[str, ComponentSpec]) -> dict[str, ComponentSpec]:
        for name, spec in value.items():
            if not spec.paths:
                raise ValueError(f"component {name!r} has no paths")
        return value


def validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)
