"""``cairn.toml`` (or ``[tool.cairn]`` in pyproject.toml): the repository's own description of itself.

Everything is optional; a repository with no configuration still gets inferred
components, default identity patterns and default thresholds. Unknown keys are
errors, so a typo never silently does nothing.

Example::

    [components]
    graph = ["graph/**"]                                # shorthand: path globs
    api = { paths = ["api/**"], system = "cairn", description = "Interfaces" }

    [[rules]]                                           # see graph.rules
    id = "one-way"
    kind = "layers"
    layers = ["api", "queries", "ingest", "graph"]

    [identities]
    agents = ["*@my-agent.example"]                     # extra patterns, see ingest.identities
    bots = ["release-robot*"]
    departed = ["Alice Example", "alice@example.com"]

    [[people]]                                          # one person under several identities
    name = "Rita Remote"
    aliases = ["@rremote", "rita.r@home.example", "Rita R."]

    [thresholds]                                        # see graph.thresholds
    inactive_days = 180
    at_risk_truck_factor = 1
    orphaned_share = 0.5
    max_coauthors = 5                                   # more co-authors than this on a commit: no review credit

    [adr]
    paths = ["docs/adr"]

    [ingest]
    exclude = ["examples/**"]
    max_file_bytes = 1000000

    [coupling]                                          # change coupling, code-maat's defaults
    min_revs = 5
    min_shared = 5
    min_degree = 30
    max_changeset = 30

    [trends]
    period = "quarter"                                  # month | quarter | year
    knowledge_periods = 20                              # the last periods with truck factors
    samples = 4                                         # the last periods that get new couplings and cycles

    [agents]
    recent_days = 180                                   # window of a component's agent share
    markers = [{ text = "Written by Robo", agent = "Robo <robo@example.com>" }]
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cairn.graph.baseline import DEFAULT_BASELINE, baseline_name
from cairn.graph.changes import AgentSettings, CouplingSettings, TrendSettings
from cairn.graph.errors import BaselineError, ConfigError
from cairn.graph.thresholds import Thresholds
from cairn.ingest.untrusted import RefusedFile, read_checkout_file

__all__ = ["AdrSettings", "CairnConfig", "ComponentSpec", "ConfigError", "IdentitySettings", "IngestSettings", "PersonSpec",
           "Thresholds", "load_config", "parse_config"]


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


# Bounds on numbers a configuration may set: beyond them a value is a mistake (and would overflow sizes).
# The thresholds' bounds live with them in graph.thresholds.
MAX_FILE_BYTES = 1 << 30


class PersonSpec(_Strict):
    """``[[people]]``: one person's display name and the names, e-mails and ``@logins`` that are them."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class AdrSettings(_Strict):
    paths: list[str] = Field(default_factory=list)


class IngestSettings(_Strict):
    exclude: list[str] = Field(default_factory=list)
    max_file_bytes: int = Field(1_000_000, ge=1, le=MAX_FILE_BYTES)


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


def _format_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def parse_config(data: dict[str, Any], source: str) -> CairnConfig:
    data = dict(data)
    comps = data.get("components")
    if isinstance(comps, dict):  # allow `graph = "graph/**"` as well as a list
        data["components"] = {k: ([v] if isinstance(v, str) else v) for k, v in comps.items()}
    try:
        config = CairnConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_format_validation(exc)}") from None
    config.source = source
    return config


def load_config(root: Path, explicit: Path | None = None) -> CairnConfig:
    """Read the configuration of the checkout at ``root``.

    ``explicit`` (``--config FILE``) wins; else ``cairn.toml`` at the root; else
    ``[tool.cairn]`` in ``pyproject.toml``; else defaults.
    """
    candidates: list[tuple[Path, bool]] = []
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        candidates.append((explicit, explicit.name == "pyproject.toml"))
    else:
        candidates += [(root / "cairn.toml", False), (root / "pyproject.toml", True)]
    for path, in_pyproject in candidates:
        if explicit is None:  # the checkout's own file: read only if it is a regular file inside the checkout
            try:
                raw = read_checkout_file(root, path.name)
            except RefusedFile as exc:
                raise ConfigError(str(exc)) from None
            if raw is None:
                continue
        else:  # the file named on the command line (checked above)
            raw = path.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{_display(path, root)}: not valid TOML ({exc})") from None
        if in_pyproject:
            data = data.get("tool", {}).get("cairn")
            if data is None:
                continue
        return parse_config(data, _display(path, root))
    return CairnConfig()


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
