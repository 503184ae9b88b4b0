"""A validated configuration as plain frozen values: what an ingest reads of ``cairn.toml``, without pydantic.

The models of ``ingest.config_models`` (pydantic) are the contract a
configuration is validated against; an ingest reads the result through these
values, made from the models' JSON dump (``Settings.of_dump``), so that a
configuration validated once is read again without importing pydantic
(``ingest.known_settings``). Each class has its model's fields in its model's
order and holds the dump's values, types included (a ``float`` field left at
its default of ``30`` is the int 30 in both; the JSON dump would say 30.0, so
the values come from the Python dump, which is JSON too but for the rules);
``same_values`` checks them against the model, and
``tests/unit/test_config_values.py`` fails when they drift. ``model_dump`` and
``model_copy`` answer as the models' do for the calls an ingest makes.

``[[rules]]`` stay the tables as written (as ``CairnConfig.rules`` has them:
dates are dates); ``ingest.rules`` validates each one.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from cairn.graph.thresholds import ThresholdValues
from cairn.ingest.untrusted import DEFAULT_MAX_FILE_BYTES


class _Values:
    """``model_dump`` / ``model_copy`` as the pydantic models answer them (every value here is JSON already)."""

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    def model_copy(self, update: dict[str, Any] | None = None) -> Any:
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]


@dataclass(frozen=True)
class ComponentValues(_Values):
    """``[components]``: one component's path globs and where it belongs."""

    paths: list[str]
    system: str | None
    domain: str | None
    description: str | None


@dataclass(frozen=True)
class IdentityValues(_Values):
    """``[identities]``; also what a stored graph says of them (``config.StoredSettings``), hence the defaults."""

    agents: list[str] = field(default_factory=list)
    bots: list[str] = field(default_factory=list)
    humans: list[str] = field(default_factory=list)
    departed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonValues(_Values):
    """``[[people]]``: one person's display name and the names, e-mails and ``@logins`` that are them."""

    name: str
    aliases: list[str]


@dataclass(frozen=True)
class AdrValues(_Values):
    """``[adr]``: where the decision records are."""

    paths: list[str]


@dataclass(frozen=True)
class IngestValues(_Values):
    """``[ingest]``; also what a stored graph says of it (``config.StoredSettings``), hence the defaults."""

    exclude: list[str] = field(default_factory=list)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class CouplingValues(_Values):
    """``[coupling]``: change coupling thresholds (``graph.changes``)."""

    min_revs: int
    min_shared: int
    min_degree: float
    max_changeset: int


@dataclass(frozen=True)
class TrendValues(_Values):
    """``[trends]``: the period trends are kept at, and how many of them get what."""

    period: str
    knowledge_periods: int
    samples: int


@dataclass(frozen=True)
class MarkerValues(_Values):
    """``[agents] markers``: a phrase of commit messages that marks agent work, and the agent it names."""

    text: str
    agent: str


@dataclass(frozen=True)
class AgentValues(_Values):
    """``[agents]``: message markers and the window of a component's agent share."""

    markers: list[MarkerValues]
    recent_days: int


@dataclass(frozen=True)
class Settings(_Values):
    """A ``CairnConfig`` as plain values (see the module docstring)."""

    components: dict[str, ComponentValues]
    rules: list[dict[str, Any]]
    identities: IdentityValues
    people: list[PersonValues]
    thresholds: ThresholdValues
    adr: AdrValues
    ingest: IngestValues
    coupling: CouplingValues
    trends: TrendValues
    agents: AgentValues
    baseline: str
    source: str | None
    #: the models' dump these values were made from (``model_dump()``, without the rules: JSON then)
    dump: dict[str, Any] = field(repr=False, compare=False)
    #: the models' JSON dump (``model_dump(mode="json")``: numbers as their fields' types, the rules' dates as text)
    json_dump: dict[str, Any] = field(repr=False, compare=False)
    #: the rules validated before (a ``known_settings.KnownSettings``), for ``ingest.rules`` to take (None: every rule
    #: is validated)
    known_rules: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def of_dump(cls, dump: dict[str, Any], json_dump: dict[str, Any], rules: list[dict[str, Any]],
                known_rules: Any = None) -> "Settings":
        """The values of a ``CairnConfig``: ``dump`` its ``model_dump()`` (its rules left out), ``json_dump`` its
        ``model_dump(mode="json")``, ``rules`` its ``.rules``."""
        agents = dump["agents"]
        return cls(
            components={name: ComponentValues(**spec) for name, spec in dump["components"].items()},
            rules=rules,
            identities=IdentityValues(**dump["identities"]),
            people=[PersonValues(**person) for person in dump["people"]],
            thresholds=ThresholdValues(**dump["thresholds"]),
            adr=AdrValues(**dump["adr"]),
            ingest=IngestValues(**dump["ingest"]),
            coupling=CouplingValues(**dump["coupling"]),
            trends=TrendValues(**dump["trends"]),
            agents=AgentValues(**{**agents, "markers": [MarkerValues(**marker) for marker in agents["markers"]]}),
            baseline=dump["baseline"],
            source=dump["source"],
            dump=dump,
            json_dump=json_dump,
            known_rules=known_rules,
        )

    @classmethod
    def of_model(cls, config: Any, known_rules: Any = None) -> "Settings":
        """The values of the validated ``config`` (a ``CairnConfig``)."""
        return cls.of_dump({**config.model_dump(), "rules": None}, config.model_dump(mode="json"), config.rules, known_rules)

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        if mode == "json":
            return copy.deepcopy(self.json_dump)
        return {name: copy.deepcopy(self.rules if name == "rules" else value) for name, value in self.dump.items()}


@dataclass(frozen=True)
class StoredSettings:
    """The settings a stored graph was ingested with, read back from its Repository node without the models.

    Ingest validated them and stores them as plain values (``ingest_settings``,
    ``identity_patterns``); they read back with the same fields and defaults as
    ``IngestSettings`` and ``IdentitySettings``, and stand for a ``CairnConfig``
    where only those two sections are read (``.ingest``, ``.identities``: the
    listing and reading of code, ``Classifier.from_settings``). (Offered by
    ``ingest.config`` too.)
    """

    ingest: IngestValues = field(default_factory=IngestValues)
    identities: IdentityValues = field(default_factory=IdentityValues)

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> "StoredSettings":
        """The settings of a Repository node with ``props`` (the defaults for what it does not record)."""
        return cls(IngestValues(**(props.get("ingest_settings") or {})), IdentityValues(**(props.get("identity_patterns") or {})))


def same_values(model: Any, values: Any) -> bool:
    """Whether ``values`` hold what the pydantic ``model`` holds, field by field in the same order, types included."""
    names = getattr(type(model), "model_fields", None)
    if names is not None:
        mine = [f.name for f in dataclasses.fields(values) if f.repr] if dataclasses.is_dataclass(values) else None
        return mine == list(names) and all(same_values(getattr(model, n), getattr(values, n)) for n in names)
    if type(model) is not type(values):
        return False
    if isinstance(model, dict):
        return list(model) == list(values) and all(same_values(v, values[k]) for k, v in model.items())
    if isinstance(model, list):
        return len(model) == len(values) and all(same_values(a, b) for a, b in zip(model, values))
    return bool(model == values)
