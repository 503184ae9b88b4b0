"""The plain values an ingest reads of a configuration are what the pydantic models hold, field for field, types included.

``ingest.config_values`` mirrors the models of ``ingest.config_models`` (and
``graph.thresholds.ThresholdValues`` ``Thresholds``) by hand: these tests fail
when a field is added, removed, renamed, reordered or read with another type
on one side only.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from cairn.graph.change_settings import AgentMarker, AgentSettings, CouplingSettings, TrendSettings
from cairn.graph.model import Label, RepoGraph
from cairn.graph.threshold_model import Thresholds
from cairn.graph.thresholds import ThresholdValues
from cairn.ingest.config import parse_config
from cairn.ingest.config_models import AdrSettings, CairnConfig, ComponentSpec, IdentitySettings, IngestSettings, PersonSpec
from cairn.ingest.config_values import (AdrValues, AgentValues, ComponentValues, CouplingValues, IdentityValues, IngestValues,
                                        MarkerValues, PersonValues, Settings, TrendValues, same_values)

PAIRS = [(CairnConfig, Settings), (ComponentSpec, ComponentValues), (IdentitySettings, IdentityValues),
         (PersonSpec, PersonValues), (AdrSettings, AdrValues), (IngestSettings, IngestValues), (Thresholds, ThresholdValues),
         (CouplingSettings, CouplingValues), (TrendSettings, TrendValues), (AgentMarker, MarkerValues),
         (AgentSettings, AgentValues)]

CONFIGS = [
    {},
    {"components": {"core": "src/core/**", "web": {"paths": ["src/web/**"], "system": "shop", "description": "pages"}},
     "rules": [{"id": "core-not-web", "kind": "forbidden", "from": "core", "to": ["web"],
                "exceptions": [{"importer": "a", "imported": "b", "reason": "old", "expires": date(2030, 1, 2)}]}],
     "identities": {"agents": ["*@agent.example"], "bots": ["robot*"], "humans": ["Ada*"], "departed": ["Bob"]},
     "people": [{"name": "Rita Remote", "aliases": ["@rremote", "rita@home.example"]}],
     "thresholds": {"inactive_days": 90, "at_risk_truck_factor": 2, "orphaned_share": 1, "max_coauthors": 0},
     "adr": {"paths": ["docs/decisions"]}, "ingest": {"exclude": ["vendor/**"], "max_file_bytes": 4096},
     "coupling": {"min_revs": 3, "min_shared": 2, "min_degree": 25, "max_changeset": 12},
     "trends": {"period": "month", "knowledge_periods": 6, "samples": 0},
     "agents": {"markers": [{"text": "Written by Robo", "agent": "Robo <robo@example.com>"}], "recent_days": 30},
     "baseline": ".cairn/old-baseline.json"},
    {"coupling": {"min_degree": 30.5}, "thresholds": {"orphaned_share": 0.25}},
]


@pytest.mark.parametrize("model, values", PAIRS, ids=lambda c: c.__name__)
def test_each_value_class_has_its_models_fields_in_order(model, values):
    assert [f.name for f in dataclasses.fields(values) if f.repr] == list(model.model_fields)


@pytest.mark.parametrize("data", CONFIGS)
def test_the_values_made_of_the_dumps_hold_what_the_model_holds(data):
    config = parse_config(data, "cairn.toml")
    values = Settings.of_model(config)
    assert same_values(config, values)
    assert values.model_dump() == config.model_dump() and values.model_dump(mode="json") == config.model_dump(mode="json")
    for name in ("thresholds", "ingest", "identities", "coupling"):  # what an ingest stores of them
        assert repr(getattr(values, name).model_dump()) == repr(getattr(config, name).model_dump())
    copied = values.identities.model_copy(update={"agents": ["x*"]})
    assert copied.model_dump() == config.identities.model_copy(update={"agents": ["x*"]}).model_dump()


def test_numbers_keep_their_types_a_float_field_at_its_default_stays_an_int():
    default, written = parse_config({}, "cairn.toml"), parse_config({"coupling": {"min_degree": 30}}, "cairn.toml")
    assert repr(default.coupling.min_degree) == "30" and repr(written.coupling.min_degree) == "30.0"
    for config in (default, written):
        values = Settings.of_model(config)
        assert repr(values.coupling.min_degree) == repr(config.coupling.min_degree)


def test_a_difference_of_type_is_a_difference():
    config = parse_config({"coupling": {"min_degree": 30}}, "cairn.toml")
    values = Settings.of_model(config)
    values.dump["coupling"]["min_degree"] = 30
    assert not same_values(config, Settings.of_dump(values.dump, values.json_dump, config.rules))


@pytest.mark.parametrize("stored", [None, {}, {"inactive_days": 7, "orphaned_share": 0.75}, {"at_risk_truck_factor": 3}])
def test_thresholds_read_from_a_graph_are_what_the_model_reads(stored):
    graph = RepoGraph("demo")
    graph.add_node(Label.REPOSITORY, "demo", **({"thresholds": stored} if stored is not None else {}))
    model = Thresholds.of(graph)
    assert same_values(model, ThresholdValues.of(graph))
    assert ThresholdValues.of(graph).model_dump() == model.model_dump()
    Thresholds.check_values(graph, ThresholdValues.of(graph))


def test_the_check_of_thresholds_read_without_the_model_catches_another_value_or_type():
    graph = RepoGraph("demo")
    graph.add_node(Label.REPOSITORY, "demo", thresholds={"orphaned_share": 0.75})
    values = ThresholdValues.of(graph)
    for wrong in (dataclasses.replace(values, inactive_days=values.inactive_days + 1),
                  dataclasses.replace(values, orphaned_share=1), dataclasses.replace(values, max_coauthors=5.0)):
        with pytest.raises(AssertionError, match="not what Thresholds.of reads"):
            Thresholds.check_values(graph, wrong)
