"""Review records from the forge: review credit that survives re-ingest, through the API and the store."""

import json

import httpx
import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from cairn.api.services.ingesting import add_reviews
from cairn.api.services.workspace import Workspace
from fixtures.explore import LiveServer
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
CLAUDE = ("Claude", "noreply@anthropic.com")
TOKEN = "s3cret-token"


@pytest.fixture()
def agent_repo(tmp_path):
    """Ada wrote the core; an agent wrote the billing component alone, so nobody holds its knowledge."""
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": '[components]\ncore = ["core/**"]\nbilling = ["billing/**"]\n',
                 "core/__init__.py": "", "core/prices.py": "P = 1\n"}, author=ADA, date="2026-11-01T10:00:00+00:00")
    repo.commit({"billing/__init__.py": "", "billing/invoice.py": "from core import prices\n", "billing/tax.py": "T = 2\n"},
                author=CLAUDE, date="2026-11-02T10:00:00+00:00", message="billing by the agent")
    store = tmp_path / "store"
    assert CliRunner().invoke(app, ["ingest", str(repo.root), "--store", str(store)]).exit_code == 0
    return repo, store


def billing(store) -> dict:
    result = CliRunner().invoke(app, ["bus-factor", "--store", str(store), "--component", "billing", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["components"][0]


def test_reviews_give_credit_and_survive_reingest(agent_repo):
    repo, store = agent_repo
    before = billing(store)
    assert before["human_truck_factor"] == 0 and before["orphaned_files"] == before["files"]

    records = [
        {"reviewer": "Grace Hopper <grace@example.com>", "files": ["billing/invoice.py", "billing/tax.py", "billing/__init__.py"],
         "pull_request": "#7", "submitted_at": "2026-11-03T09:00:00Z"},
        {"reviewer": "copilot-pull-request-reviewer[bot]", "files": ["billing/tax.py"], "pull_request": "#7"},
        {"reviewer": "Ada Lovelace <ada@example.com>", "files": ["billing/missing.py"], "pull_request": "#8"},
    ]
    result = add_reviews(Workspace(open_store(str(store)), naming_hint=""), "shop", records)
    assert result["accepted"] == 3 and result["duplicates"] == 0
    assert any("billing/missing.py" in note for note in result["notes"])
    after = billing(store)
    assert after["human_truck_factor"] == 1
    assert "Grace Hopper" in after["human_truck_factor_people"]
    assert after["truck_factor"] == before["truck_factor"]  # the paper's number counts authorship only

    again = add_reviews(Workspace(open_store(str(store)), naming_hint=""), "shop", records[:1])
    assert again == {"repository": "shop", "accepted": 0, "duplicates": 1, "total": 3, "notes": []}

    assert CliRunner().invoke(app, ["ingest", str(repo.root), "--store", str(store)]).exit_code == 0
    assert billing(store)["human_truck_factor"] == 1  # kept beside the graph, applied again


def test_reviews_endpoint_through_a_real_server(agent_repo):
    _, store = agent_repo
    body = {"reviews": [{"reviewer": "grace", "files": ["billing/__init__.py", "billing/invoice.py", "billing/tax.py"],
                         "submitted_at": "2026-11-03T09:00:00Z"}]}
    with LiveServer(store, token=TOKEN) as live:
        url = f"{live.url}/api/v1/repositories/shop/reviews"
        denied = httpx.post(url, json=body)
        assert denied.status_code == 401 and denied.headers["content-type"].startswith("application/problem+json")
        bad = httpx.post(url, json={"reviews": [{"reviewer": "", "files": []}]}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert bad.status_code == 422
        unknown = httpx.post(f"{live.url}/api/v1/repositories/nope/reviews", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert unknown.status_code == 404
        ok = httpx.post(url, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["accepted"] == 1
        bus = httpx.get(f"{live.url}/api/v1/bus-factor", headers={"Authorization": f"Bearer {TOKEN}"}).json()
        (comp,) = [c for c in bus["components"] if c["name"] == "billing"]
        assert comp["human_truck_factor"] == 1 and comp["human_truck_factor_people"] == ["grace"]


def test_review_records_round_trip_on_every_store(any_store):
    assert any_store.load_reviews("nothing-here") == []
    records = [{"reviewer": "Zoë <zoe@example.com>", "files": ["a.py"], "pull_request": None, "submitted_at": None}]
    any_store.save_reviews("r-reviews", records)
    assert any_store.load_reviews("r-reviews") == records
