"""An ingest takes the configuration and the rules this build validated before (``ingest.known_settings``) and imports
no pydantic; anything new is validated exactly as before, a wrong entry is caught under the check, and a cache file
the repository tracks is not used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_incremental_parity import assert_same_rows

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.errors import ConfigError
from cairn.graph.model import Label
from cairn.ingest.adrs import read_decisions
from cairn.ingest.config import AdrSettings, parse_config, read_config_source
from cairn.ingest.config_values import Settings
from cairn.ingest.known_settings import CACHE_FILE, KnownSettings, ingest_settings
from cairn.ingest.rules import collect_rules
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
PYDANTIC = ("pydantic", "pydantic_core", "annotated_types")

CAIRN_TOML = """\
[components]
core = ["src/shop/core/**"]
web = { paths = ["src/shop/web/**"], system = "shop" }

[[rules]]
id = "core-not-web"
kind = "forbidden"
from = ["core"]
to = ["web"]
exceptions = [{ importer = "shop.core.legacy", imported = "shop.web.*", reason = "old page", expires = 2030-01-02 }]

[[rules]]
id = "web-above-core"
kind = "layers"
layers = ["web", "core"]
severity = "warn"

[thresholds]
orphaned_share = 1
inactive_days = 90

[coupling]
min_revs = 1
min_shared = 1

[agents]
markers = [{ text = "Written by Robo", agent = "Robo <robo@example.com>" }]

[[people]]
name = "Ada Lovelace"
aliases = ["ada@home.example"]
"""

ADR = """\
# 1. Keep SQL behind the core

Date: 2024-03-01

## Status

Accepted

## Decision

Web reaches the database through core.

```cairn
[[rules]]
id = "web-no-db"
kind = "forbidden"
from = "web"
to = ["db"]
exceptions = [{ importer = "shop.web.legacy", imported = "shop.db.*", reason = "legacy page", expires = 2031-12-31 }]
```
"""


def _repo(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"cairn.toml": CAIRN_TOML, "docs/adr/0001-keep-sql-behind-core.md": ADR,
                 "src/shop/__init__.py": "", "src/shop/core/__init__.py": "", "src/shop/web/__init__.py": "",
                 "src/shop/core/models.py": "import json\n"}, message="core", date="2024-01-01T10:00:00+00:00")
    repo.commit({"src/shop/web/views.py": "from shop.core import models\n"}, message="views\n\nWritten by Robo",
                date="2024-02-01T10:00:00+00:00")
    return repo


def _ingest_imports(root: Path, store: Path, cache: Path) -> tuple[dict, set[str]]:
    """``cairn ingest`` in a subprocess under ``-X importtime``: its JSON summary and every module it imported (not
    under the check, which validates what it takes)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CAIRN_STORE", "CAIRN_DEBUG", "CAIRN_CACHE_DIR", "CAIRN_VERIFY_SKIPS")}
    proc = subprocess.run([sys.executable, "-X", "importtime", CLI, "ingest", str(root), "--store", str(store),
                           "--format", "json"], capture_output=True, text=True, timeout=300,
                          env={**env, "CAIRN_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = {line.split("|")[2].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:") and line.count("|") == 2 and "imported package" not in line}
    return json.loads(proc.stdout), modules


def _pydantic(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in PYDANTIC)


def test_an_ingest_after_a_commit_imports_no_pydantic_and_stores_what_a_cold_one_stores(tmp_path):
    repo = _repo(tmp_path / "shop")
    first, modules = _ingest_imports(repo.root, tmp_path / "warm", tmp_path / "cache")
    assert first["rules"] == 3 and _pydantic(modules)  # validated: the models were imported
    repo.commit({"src/shop/core/models.py": "import json\nimport os\n"}, message="os")
    second, modules = _ingest_imports(repo.root, tmp_path / "warm", tmp_path / "cache")
    assert second["rules"] == 3 and "cairn.ingest.pipeline" in modules  # ingested, not kept
    assert _pydantic(modules) == []
    assert [m for m in modules if m in ("cairn.ingest.config_models", "cairn.graph.rule_schema",
                                        "cairn.graph.threshold_model", "cairn.graph.change_settings")] == []
    _ingest_imports(repo.root, tmp_path / "cold", tmp_path / "cold-cache")
    assert_same_rows(tmp_path / "warm", tmp_path / "cold", "shop")


def test_a_remembered_configuration_is_taken_and_a_changed_one_is_validated_again(tmp_path):
    repo = _repo(tmp_path / "shop")
    cache = tmp_path / "cache"
    first = ingest_settings(read_config_source(repo.root), cache, repo.root)
    known = KnownSettings(cache, repo.root)
    again = known.settings(read_config_source(repo.root))
    assert known.reused == 1 and repr(again) == repr(first) and again.dump == first.dump
    assert again.model_dump(mode="json") == parse_config(read_config_source(repo.root).data, "cairn.toml").model_dump(mode="json")

    repo.write({"cairn.toml": CAIRN_TOML.replace("inactive_days = 90", "inactive_days = 91")})
    known = KnownSettings(cache, repo.root)
    assert known.settings(read_config_source(repo.root)).thresholds.inactive_days == 91 and known.reused == 0

    repo.write({"cairn.toml": CAIRN_TOML.replace("inactive_days = 90", "inactive_days = -1")})
    source = read_config_source(repo.root)
    with pytest.raises(ConfigError) as validated:
        parse_config(source.data, "cairn.toml")
    for _ in range(2):  # never remembered: the same error every time
        with pytest.raises(ConfigError) as taken:
            ingest_settings(source, cache, repo.root)
        assert str(taken.value) == str(validated.value) and "inactive_days" in str(taken.value)


def test_a_date_and_the_text_of_a_date_are_two_configurations(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": '[[people]]\nname = "2024-01-01"\n'})
    cache = tmp_path / "cache"
    assert ingest_settings(read_config_source(repo.root), cache, repo.root).people[0].name == "2024-01-01"
    repo.write({"cairn.toml": "[[people]]\nname = 2024-01-01\n"})
    with pytest.raises(ConfigError, match="people.0.name"):
        ingest_settings(read_config_source(repo.root), cache, repo.root)


def test_a_wrong_entry_is_taken_and_caught_under_the_check(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    repo = _repo(tmp_path / "shop")
    cache = tmp_path / "cache"
    ingest_settings(read_config_source(repo.root), cache, repo.root)
    data = json.loads((cache / CACHE_FILE).read_text())
    (entry,) = data["configs"].values()
    entry[0]["thresholds"]["inactive_days"] = 7
    (cache / CACHE_FILE).write_text(json.dumps(data))
    assert ingest_settings(read_config_source(repo.root), cache, repo.root).thresholds.inactive_days == 7  # taken as kept
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    with pytest.raises(AssertionError, match="configuration kept"):
        ingest_settings(read_config_source(repo.root), cache, repo.root)


def _rules(root: Path, config: Settings) -> list:
    rules, _ = collect_rules(config, read_decisions(root, AdrSettings(), {}), root)
    return rules


def test_rules_validated_before_are_taken_and_a_wrong_one_is_caught_under_the_check(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    repo = _repo(tmp_path / "shop")
    cache = tmp_path / "cache"
    validated = _rules(repo.root, ingest_settings(read_config_source(repo.root), cache, repo.root))
    known = KnownSettings(cache, repo.root)
    taken = _rules(repo.root, known.settings(read_config_source(repo.root)))
    assert known.reused == 1 + 3  # the configuration, its two rules and the decision's
    assert [repr(r) for r in taken] == [repr(r) for r in validated]
    assert [r.to_props() for r in taken] == [r.to_props() for r in _rules(repo.root, parse_config(
        read_config_source(repo.root).data, "cairn.toml"))]

    data = json.loads((cache / CACHE_FILE).read_text())
    for spec in data["rules"].values():
        if spec["id"] == "web-no-db":
            spec["exceptions"][0]["expires"] = "2099-01-01"
    (cache / CACHE_FILE).write_text(json.dumps(data))
    planted = _rules(repo.root, ingest_settings(read_config_source(repo.root), cache, repo.root))
    assert str(next(r for r in planted if r.id == "web-no-db").spec.exceptions[0].expires) == "2099-01-01"
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    with pytest.raises(AssertionError, match="rule kept for 'web-no-db'"):
        _rules(repo.root, ingest_settings(read_config_source(repo.root), cache, repo.root))


def test_an_invalid_rule_fails_the_same_way_every_time(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": '[[rules]]\nid = "bad one"\nkind = "forbidden"\nfrom = ["a"]\n'})
    with pytest.raises(ConfigError) as validated:
        _rules(repo.root, parse_config(read_config_source(repo.root).data, "cairn.toml"))
    for _ in range(2):
        with pytest.raises(ConfigError) as taken:
            _rules(repo.root, ingest_settings(read_config_source(repo.root), tmp_path / "cache", repo.root))
        assert str(taken.value) == str(validated.value)


def test_a_cache_file_the_repository_tracks_is_not_used(tmp_path):
    repo = _repo(tmp_path / "shop")
    cache = repo.root / ".cairn" / "cache"
    ingest_settings(read_config_source(repo.root), tmp_path / "elsewhere", repo.root)
    cache.mkdir(parents=True)
    planted = json.loads((tmp_path / "elsewhere" / CACHE_FILE).read_text())
    (entry,) = planted["configs"].values()
    entry[0]["thresholds"]["inactive_days"] = 7
    (cache / CACHE_FILE).write_text(json.dumps(planted))
    repo.commit({}, message="the cache, committed")
    assert "settings.json" in repo.git("ls-files")
    known = KnownSettings(cache, repo.root)
    assert not known.usable
    assert known.settings(read_config_source(repo.root)).thresholds.inactive_days == 90 and known.reused == 0
    assert json.loads((cache / CACHE_FILE).read_text()) == planted  # nor written


def test_an_ingest_reads_the_remembered_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    repo = _repo(tmp_path / "shop")
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, repo.root)
    data = json.loads((tmp_path / "store" / "cache" / CACHE_FILE).read_text())
    (entry,) = data["configs"].values()
    entry[0]["thresholds"]["inactive_days"] = 7  # planted: an ingest that read it stores it
    (tmp_path / "store" / "cache" / CACHE_FILE).write_text(json.dumps(data))
    repo.commit({"src/shop/core/models.py": "import json\nimport os\n"}, message="os")
    ingest_into_store(store, repo.root)
    assert store.load("shop").node(Label.REPOSITORY, "shop").get("thresholds")["inactive_days"] == 7


def _literal_listings(trace: Path) -> list[str]:
    """The ``git ls-files`` runs for the settings', the parse cache's and the history state's files
    (``code.cache.tracked_cache_files``, ``tracked.tracks``) in a ``GIT_TRACE`` file."""
    from cairn.ingest.code.cache import CACHE_FILES

    names = (CACHE_FILE, *CACHE_FILES, "/history-")
    return [line for line in trace.read_text().splitlines()
            if "ls-files" in line and "(literal)" in line and any(name in line for name in names)]


def test_the_cache_files_tracked_in_the_checkout_are_the_checks_listing(tmp_path, monkeypatch):
    """With the store (and its cache) in the checkout, an ingest after a commit asks git nothing more about the cache's
    files: the check for changes listed the tracked files already. A cache file the repository commits is still seen
    (and not used), and a wrong listing is caught under ``CAIRN_VERIFY_SKIPS``."""
    from cairn.ingest.code.cache import tracked_cache_files

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    repo = _repo(tmp_path / "shop")
    store = open_store(str(repo.root / ".cairn"))
    ingest_into_store(store, repo.root)
    cache = repo.root / ".cairn" / "cache"
    assert (cache / CACHE_FILE).exists()
    repo.commit({"src/shop/core/models.py": "import json\nimport os\n"}, message="os")
    monkeypatch.setenv("GIT_TRACE", str(tmp_path / "trace"))
    result = ingest_into_store(store, repo.root)
    assert not result.unchanged and _literal_listings(tmp_path / "trace") == []
    assert "is part of the repository" not in " ".join(result.summary.notes)

    data = json.loads((cache / CACHE_FILE).read_text())
    (entry,) = data["configs"].values()
    entry[0]["thresholds"]["inactive_days"] = 7  # planted, then committed: not to be read
    (cache / CACHE_FILE).write_text(json.dumps(data))
    repo.git("add", "-f", f".cairn/cache/{CACHE_FILE}", "src/shop/core/models.py")
    repo.commit({"src/shop/core/models.py": "import json\nimport os\nimport re\n"}, message="the cache, committed")
    (tmp_path / "trace").unlink()
    result = ingest_into_store(store, repo.root)
    assert _literal_listings(tmp_path / "trace") == []
    assert store.load("shop").node(Label.REPOSITORY, "shop").get("thresholds")["inactive_days"] == 90
    monkeypatch.delenv("GIT_TRACE")

    tracked = [f".cairn/cache/{CACHE_FILE}"]
    assert tracked_cache_files(repo.root, cache, (CACHE_FILE,), tracked) == tracked
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    assert tracked_cache_files(repo.root, cache, (CACHE_FILE,), tracked) == tracked
    with pytest.raises(AssertionError, match="git lists"):
        tracked_cache_files(repo.root, cache, (CACHE_FILE,), [])


def test_a_cache_outside_the_checkout_asks_git_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    repo = _repo(tmp_path / "shop")
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, repo.root)
    repo.commit({"src/shop/core/models.py": "import json\nimport os\n"}, message="os")
    monkeypatch.setenv("GIT_TRACE", str(tmp_path / "trace"))
    assert not ingest_into_store(store, repo.root).unchanged
    assert _literal_listings(tmp_path / "trace") == []


def test_the_history_states_files_tracked_in_the_checkout_are_the_checks_listing(tmp_path, monkeypatch):
    """The history state's file (and its unsaved part) was looked up with an ``ls-files`` of its own, twice after a
    commit, with the cache in the checkout; the check's listing answers now, and a wrong one is caught under the
    check."""
    from cairn.ingest.history_state import StateFile

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    repo = _repo(tmp_path / "shop")
    cache = repo.root / ".cairn" / "cache"
    ingest_into_store(open_store(str(repo.root / ".cairn")), repo.root)
    state = StateFile(cache, repo.root)
    assert state.usable and state.path is not None and state.path.exists()
    inside = state.path.relative_to(repo.root.resolve()).as_posix()
    assert StateFile(cache, repo.root, [inside]).usable is False  # listed as tracked: not trusted
    assert StateFile(cache, repo.root, []).usable is True
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    assert StateFile(cache, repo.root, []).usable is True
    with pytest.raises(AssertionError, match="git says otherwise"):
        StateFile(cache, repo.root, [inside])
