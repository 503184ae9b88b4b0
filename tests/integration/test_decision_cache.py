"""The decision records parsed by the last ingest are kept (``ingest.adrs.parse_cache``): an unchanged one is not
parsed again, and the graph is the one a cold ingest builds.

Real repositories in temporary directories, ingested into a real embedded store. A record is parsed again when its
bytes change; one that does not come back from JSON as itself (a rule with a date) is parsed every time; a kept entry
that a parse of the bytes would not give fails under ``CAIRN_VERIFY_SKIPS`` (the tests set it); a cache file the
repository tracks is not trusted.
"""

from __future__ import annotations

import json

import pytest

import cairn.ingest.adrs.formats as formats
from cairn.api.services.workspace import cache_dir_for
from cairn.api.bootstrap import open_store
from cairn.graph.store import VERIFY_SKIPS
from cairn.ingest.adrs.parse_cache import CACHE_FILE, DecisionCache
from cairn.ingest.build import cairn_build
from fixtures.gitrepo import GitRepo
from test_incremental_history import assert_same_as_cold, ingest

NYGARD = """# 1. Record architecture decisions

Date: 2024-02-01

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.
"""

MADR = """---
status: accepted
deciders: [Ada, Bob]
supersedes: [0001-record-architecture-decisions.md]
---
# Keep the core free of the web layer

## Decision Outcome

`core` never imports `web`.

```cairn
[[rules]]
id = "core-not-web"
kind = "forbidden"
from = ["core"]
to = ["web"]
```
"""

WITH_A_DATED_RULE = """---
status: accepted
rules:
  - id: web-no-db
    kind: forbidden
    from: web
    to: [db]
    exceptions:
      - importer: web.legacy
        imported: db.*
        reason: legacy report page
        expires: 2030-12-31
---
# 3. Keep SQL behind the core
"""

BROKEN = "---\nstatus: accepted\n# never closed\n"


@pytest.fixture
def shop(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({
        "core/__init__.py": "", "core/model.py": "X = 1\n", "web/__init__.py": "", "web/views.py": "from core import model\n",
        "db/__init__.py": "", "docs/adr/0001-record-architecture-decisions.md": NYGARD,
        "docs/adr/0002-keep-the-core-free.md": MADR, "docs/adr/0003-keep-sql-behind-the-core.md": WITH_A_DATED_RULE,
        "docs/adr/0004-broken.md": BROKEN,
    }, message="start")
    store = tmp_path / "store"
    ingest(repo.root, store)
    return repo, store


@pytest.fixture
def parses(monkeypatch):
    """The paths ``formats.parse_decision`` is called with."""
    seen: list[str] = []
    parse = formats.parse_decision

    def counted(path, raw):
        seen.append(path)
        return parse(path, raw)

    monkeypatch.setattr(formats, "parse_decision", counted)
    return seen


def _kept(store):
    return json.loads((cache_dir_for(open_store(str(store))) / CACHE_FILE).read_text())["entries"]


def test_unchanged_records_are_not_parsed_again_and_the_graph_is_the_cold_one(shop, tmp_path, parses, monkeypatch):
    repo, store = shop
    kept = _kept(store)
    assert {p: e[1] for p, e in kept.items()} == {
        "docs/adr/0001-record-architecture-decisions.md": "decision", "docs/adr/0002-keep-the-core-free.md": "decision",
        "docs/adr/0004-broken.md": "problem"}  # the dated rule does not come back from JSON as itself: not kept
    repo.commit({"core/model.py": "X = 2\n"}, message="code only")
    monkeypatch.delenv(VERIFY_SKIPS)  # (verification parses every kept record again)
    result, graph = ingest(repo.root, store)
    assert parses == ["docs/adr/0003-keep-sql-behind-the-core.md"]
    assert any("0004-broken.md" in note for note in result.summary.notes)  # the kept problem is still said
    monkeypatch.setenv(VERIFY_SKIPS, "1")
    parses.clear()
    repo.commit({"docs/adr/0002-keep-the-core-free.md": MADR.replace("# Keep the core", "# Keep the domain core")},
                message="retitle")
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    decision = warm.node("Decision", "docs/adr/0002-keep-the-core-free.md")
    assert decision["title"] == "Keep the domain core free of the web layer"
    assert decision["supersedes"] == ["docs/adr/0001-record-architecture-decisions.md"]
    assert warm.node("Decision", "docs/adr/0001-record-architecture-decisions.md")["superseded_by"] == [
        "docs/adr/0002-keep-the-core-free.md"]  # made symmetric again from the kept record
    assert {warm.nodes[e.source].key for e in warm.of_type("DECLARED_BY")} == {"core-not-web", "web-no-db"}
    assert _kept(store)["docs/adr/0002-keep-the-core-free.md"][0] != kept["docs/adr/0002-keep-the-core-free.md"][0]


def test_a_removed_record_is_forgotten(shop):
    repo, store = shop
    repo.commit(delete=["docs/adr/0004-broken.md"], message="drop the broken one")
    ingest(repo.root, store)
    assert "docs/adr/0004-broken.md" not in _kept(store)


def test_a_kept_entry_a_parse_would_not_give_fails_under_verification(shop):
    repo, store = shop
    path = cache_dir_for(open_store(str(store))) / CACHE_FILE
    data = json.loads(path.read_text())
    data["entries"]["docs/adr/0001-record-architecture-decisions.md"][2]["title"] = "Planted"
    path.write_text(json.dumps(data))
    repo.commit({"core/model.py": "X = 3\n"}, message="code only")
    with pytest.raises(AssertionError, match="0001-record-architecture-decisions.md: the decision kept .* differs"):
        ingest(repo.root, store)


def test_a_cache_of_another_build_or_unreadable_is_not_used(tmp_path, parses):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"docs/adr/0001-a.md": NYGARD})
    cache_dir = tmp_path / "cache"
    first = DecisionCache(cache_dir, "build-a", repo.root)
    raw = NYGARD.encode()
    decision = first.parsed("docs/adr/0001-a.md", raw)
    first.save()
    assert DecisionCache(cache_dir, "build-a", repo.root).parsed("docs/adr/0001-a.md", raw) == decision
    assert parses == ["docs/adr/0001-a.md", "docs/adr/0001-a.md"]  # (the second: verification)
    parses.clear()
    other = DecisionCache(cache_dir, "build-b", repo.root)
    assert other.parsed("docs/adr/0001-a.md", raw) == decision and other.reused == 0
    (cache_dir / CACHE_FILE).write_text("{not json")
    assert DecisionCache(cache_dir, "build-a", repo.root).parsed("docs/adr/0001-a.md", raw) == decision


def test_a_cache_file_the_repository_tracks_is_neither_read_nor_written(tmp_path):
    repo = GitRepo(tmp_path / "r")
    cache_dir = repo.root / ".cairn"
    planted = {"format": "cairn-decision-cache", "version": 1, "build": cairn_build(), "entries": {}}
    repo.commit({"docs/adr/0001-a.md": NYGARD, f".cairn/{CACHE_FILE}": json.dumps(planted)})
    cache = DecisionCache(cache_dir, cairn_build(), repo.root)
    assert not cache.usable
    cache.parsed("docs/adr/0001-a.md", NYGARD.encode())
    cache.save()
    assert json.loads((cache_dir / CACHE_FILE).read_text()) == planted


def test_the_ingest_does_not_take_a_decision_cache_the_repository_commits(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"core/model.py": "X = 1\n", "docs/adr/0001-record-architecture-decisions.md": NYGARD})
    store = repo.root / ".cairn"  # the default place: the cache directory inside the checkout
    ingest(repo.root, store)
    path = cache_dir_for(open_store(str(store))) / CACHE_FILE
    planted = json.loads(path.read_text())
    planted["entries"]["docs/adr/0001-record-architecture-decisions.md"][2]["title"] = "Planted"
    path.write_text(json.dumps(planted))
    repo.git("add", "-f", str(path.relative_to(repo.root)))
    repo.commit({"core/model.py": "X = 2\n"}, message="a cache committed with the code")
    _, graph = ingest(repo.root, store)  # (a planted entry taken would fail the check the tests run under)
    assert graph.node("Decision", "docs/adr/0001-record-architecture-decisions.md")["title"] == \
        "Record architecture decisions"
    assert json.loads(path.read_text()) == planted  # nor written


def test_the_components_records_govern_are_kept_for_the_same_records_and_components(shop, tmp_path, monkeypatch):
    # cometbft: reading 93 records against 34 components took most of an ingest after a commit that changed neither
    repo, store = shop
    path = cache_dir_for(open_store(str(store))) / CACHE_FILE
    links = json.loads(path.read_text())["links"]["records"]
    assert links["docs/adr/0002-keep-the-core-free.md"][0][0]["name"] == "core"  # (`core` in code)
    # planted: taken as kept when neither the records nor the components changed …
    data = json.loads(path.read_text())
    data["links"]["records"]["docs/adr/0002-keep-the-core-free.md"][0][0]["name"] = "planted"
    path.write_text(json.dumps(data))
    repo.commit({"core/model.py": "X = 2\n"}, message="code only")
    monkeypatch.delenv(VERIFY_SKIPS)
    _, graph = ingest(repo.root, store)
    assert graph.node("Decision", "docs/adr/0002-keep-the-core-free.md")["components"][0] == "planted"
    # … read again, and found different, under CAIRN_VERIFY_SKIPS
    monkeypatch.setenv(VERIFY_SKIPS, "1")
    repo.commit({"core/model.py": "X = 3\n"}, message="code only")
    with pytest.raises(AssertionError, match="0002-keep-the-core-free.md: the component links kept"):
        ingest(repo.root, store)
    # a new component: read again (the planted link is gone), the graph the cold one
    repo.commit({"api/__init__.py": "", "api/routes.py": "from web import views\n"}, message="an api")
    _, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert "planted" not in json.dumps(json.loads(path.read_text())["links"])
