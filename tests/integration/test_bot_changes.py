"""Bots' commits are not changes: hotspots, coupling and revisions count what people and agents did.

By hand (``[coupling]`` min_revs 2, min_shared 2, min_degree 10):

* the first commit (Ada) adds every file: one revision each, no pair shared twice;
* Ada changes ``src/core/engine.py`` and ``src/api/routes.py`` together 4 times: 5 revisions each, a pair of 5
  shared (100), components api/core 5 shared;
* Dependabot changes ``src/deps/pins.py`` (200 lines) and ``src/api/client.py`` together 6 times, once
  committed by Bob (who landed it), once with Renovate as co-author (a bot too): bot-only, so still 1 revision
  each, no pair, no api/deps component pair; counted, they would make pins.py the top hotspot (7 × 200);
* github-actions regenerates ``src/deps/report.py`` 3 times with Ada as co-author and Renovate twice with Bob's
  ``Reviewed-by``: a person on each, so 1 + 3 + 2 = 6 revisions.
"""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.queries.coupling import coupling
from cairn.queries.hotspots import hotspots
from fixtures.gitrepo import GitRepo
from fixtures.history_evolution import ADA, BOB, BOT as DEPENDABOT
ACTIONS = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
RENOVATE = ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com")

TOML = """\
[components]
core = ["src/core/**"]
api = ["src/api/**"]
deps = ["src/deps/**"]

[coupling]
min_revs = 2
min_shared = 2
min_degree = 10
"""


def _lines(name: str, n: int, version: int) -> str:
    return "".join(f"{name.upper()}_{k} = {k}\n" for k in range(n - 1)) + f"VERSION = {version}\n"


def _when(day: int) -> str:
    return f"2024-03-{day:02d}T12:00:00+00:00"


def build(root) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"cairn.toml": TOML, "src/core/engine.py": _lines("engine", 20, 0), "src/api/routes.py": _lines("routes", 20, 0),
                 "src/api/client.py": _lines("client", 20, 0), "src/deps/pins.py": _lines("pins", 200, 0),
                 "src/deps/report.py": _lines("report", 20, 0)}, author=ADA, date=_when(1), message="start")
    for i in range(1, 5):
        repo.commit({"src/core/engine.py": _lines("engine", 20, i), "src/api/routes.py": _lines("routes", 20, i)},
                    author=ADA, date=_when(1 + i), message=f"engine and routes {i}")
    for i in range(1, 7):
        repo.commit({"src/deps/pins.py": _lines("pins", 200, i), "src/api/client.py": _lines("client", 20, i)},
                    author=DEPENDABOT, committer=BOB if i == 3 else DEPENDABOT, date=_when(6 + i), message=f"bump {i}",
                    trailers=[f"Co-authored-by: {RENOVATE[0]} <{RENOVATE[1]}>"] if i == 5 else None)
    for i in range(1, 4):
        repo.commit({"src/deps/report.py": _lines("report", 20, i)}, author=ACTIONS, date=_when(13 + i),
                    message=f"report {i}", trailers=[f"Co-authored-by: {ADA[0]} <{ADA[1]}>"])
    for i in range(4, 6):
        repo.commit({"src/deps/report.py": _lines("report", 20, i)}, author=RENOVATE, date=_when(13 + i),
                    message=f"report {i}", trailers=[f"Reviewed-by: {BOB[0]} <{BOB[1]}>"])
    return repo


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    base = tmp_path_factory.mktemp("bots")
    repo = build(base / "repo")
    ingest_into_store(open_store(str(base / "store")), repo.root)
    return open_store(str(base / "store")).load("repo")


def test_a_commit_only_bots_made_is_no_revision_and_a_bots_commit_with_a_person_on_it_is(graph):
    files = {n.key: n for n in graph.of_label("File")}
    assert {path: (n.get("revisions"), len(n.get("change_days"))) for path, n in files.items()} == {
        "src/core/engine.py": (5, 5), "src/api/routes.py": (5, 5),
        "src/api/client.py": (1, 1), "src/deps/pins.py": (1, 1),
        "src/deps/report.py": (6, 6),
    }


def test_hotspots_rank_peoples_change_not_dependabots(graph):
    report = hotspots(graph)
    rows = report["hotspots"]
    assert [(r["path"], r["changes"]) for r in rows] == [
        ("src/deps/report.py", 6), ("src/api/routes.py", 5), ("src/core/engine.py", 5),
    ]
    assert [r["score"] for r in rows] == [120, 100, 100]
    # pins.py, which Dependabot bumps over and over, and client.py each had one change of people's: no hotspot
    assert report["left_out"]["changed_once"] == 2


def test_files_a_bot_changes_together_are_no_pair(graph):
    found = coupling(graph)
    assert [(p["a"], p["b"], p["shared"]) for p in found["pairs"]] == [("src/api/routes.py", "src/core/engine.py", 5)]
    assert [(p["a"], p["b"], p["shared"]) for p in found["components"]] == [("api", "core", 5)]
