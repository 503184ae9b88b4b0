"""Settings read back from a stored graph without the configuration models are the ones the models give.

The PR check reads the ingest and identity settings and the thresholds a graph
was ingested with as plain data (``ingest.config.StoredSettings``,
``graph.thresholds.stored_threshold``), so that it imports no pydantic: they
must be what ``IngestSettings``, ``IdentitySettings`` and ``Thresholds.of``
make of the same Repository node, defaults included.
"""

from __future__ import annotations

import pytest

from cairn.graph.model import Label, RepoGraph
from cairn.graph.threshold_model import Thresholds
from cairn.graph.thresholds import DEFAULTS, stored_threshold
from cairn.ingest.config import CairnConfig, IdentitySettings, IngestSettings, StoredSettings, parse_config
from cairn.ingest.identities import Classifier

CONFIGS = [
    {},
    {"ingest": {"exclude": ["vendor/**", "*.gen.py"], "max_file_bytes": 2048}, "identities": {"bots": ["robot*"]}},
    {"identities": {"agents": ["*@agent.example"], "humans": ["Ada*"], "departed": ["Bob"]}, "thresholds": {"inactive_days": 0}},
    {"thresholds": {"at_risk_truck_factor": 3, "orphaned_share": 0.25, "max_coauthors": 0}},
]


def _stored(config: CairnConfig) -> RepoGraph:
    """A graph whose Repository node holds what ingest stores of ``config`` (``ingest.pipeline``, ``ingest.history``)."""
    graph = RepoGraph("demo")
    ids = config.identities
    graph.add_node(Label.REPOSITORY, "demo", ingest_settings=config.ingest.model_dump(),
                   thresholds=config.thresholds.model_dump(),
                   identity_patterns={"agents": list(ids.agents), "bots": list(ids.bots), "humans": list(ids.humans)})
    return graph


@pytest.mark.parametrize("data", CONFIGS)
def test_stored_settings_read_back_as_the_models_make_them(data):
    config = parse_config(data, "cairn.toml")
    graph = _stored(config)
    props = graph.repository.props
    stored = StoredSettings.of(props)
    assert vars(stored.ingest) == IngestSettings(**props["ingest_settings"]).model_dump() == config.ingest.model_dump()
    assert vars(stored.identities) == IdentitySettings(**props["identity_patterns"]).model_dump()
    for name in DEFAULTS:
        assert stored_threshold(graph, name) == getattr(Thresholds.of(graph), name) == getattr(config.thresholds, name)
    for who in [("robot-1", "r@x.example"), ("Ada", "ada@agent.example"), ("Eve", "eve@example.com"),
                ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")]:
        assert (Classifier.from_settings(stored.identities).kind(*who)
                == Classifier.from_settings(IdentitySettings(**props["identity_patterns"])).kind(*who))


def test_a_graph_that_records_no_settings_reads_the_defaults():
    graph = RepoGraph("demo")
    graph.add_node(Label.REPOSITORY, "demo")
    stored = StoredSettings.of(graph.repository.props)
    assert vars(stored.ingest) == IngestSettings().model_dump()
    assert vars(stored.identities) == IdentitySettings().model_dump()
    assert {name: stored_threshold(graph, name) for name in DEFAULTS} == Thresholds().model_dump()
    assert Classifier.from_settings().kind("Eve", "eve@example.com") == Classifier.from_settings(IdentitySettings()).kind("Eve", "eve@example.com")
