"""Hotspots on a real repository: changes × lines, over all history or a window, with truck factor and top holder.

By hand: old.py 12 changes (2023) × 40 lines = 480; big.py 3 × 100 = 300;
mid.py 5 × 50 = 250; small.py 20 (10 in 2023, 10 in 2024) × 10 = 200.
Since 2024-01-01: big 300, mid 250, small 100, old gone.
No hotspots: tests/test_core.py, a test file (6 × 200 = 1200), unless tests are
asked for; src/web/generated.py, changed once (1 × 1000), ever; examples/demo.py, an example (4 × 500), which
the truck factor does not count either, ever.
"""

from __future__ import annotations

import json

import pytest
from fixtures.cli import CliRunner

from cairn.api.cli import app
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.bootstrap import open_store
from cairn.queries.hotspots import HotspotsUnavailable, hotspots
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")


def _text(lines: int, version: int) -> str:
    return "".join(f"A_{k} = {k}\n" for k in range(lines - 1)) + f"VERSION = {version}\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    base = tmp_path_factory.mktemp("hotspots")
    repo = GitRepo(base / "repo")
    repo.commit({"cairn.toml": '[components]\ncore = ["src/core/**"]\nweb = ["src/web/**"]\n'
                              '[identities]\ndeparted = ["Bob Builder"]\n'}, author=ADA,
                date="2023-01-01T00:00:00+00:00")
    day = 1
    for i in range(12):
        repo.commit({"src/core/old.py": _text(40, i)}, author=ADA, date=f"2023-02-{day:02d}T00:00:00+00:00")
        day += 1
    for i in range(10):
        repo.commit({"src/web/small.py": _text(10, i)}, author=ADA, date=f"2023-03-{i + 1:02d}T00:00:00+00:00")
    for i in range(6):
        repo.commit({"tests/test_core.py": _text(200, i)}, author=ADA, date=f"2023-05-{i + 1:02d}T00:00:00+00:00")
    repo.commit({"src/web/generated.py": _text(1000, 0)}, author=ADA, date="2023-06-01T00:00:00+00:00")
    for i in range(4):
        repo.commit({"examples/demo.py": _text(500, i)}, author=ADA,
                    date=f"2023-07-{i + 1:02d}T00:00:00+00:00")
    for i in range(3):
        repo.commit({"src/core/big.py": _text(100, i)}, author=BOB, date=f"2024-02-{i + 1:02d}T00:00:00+00:00")
    for i in range(5):
        repo.commit({"src/web/mid.py": _text(50, i)}, author=ADA, date=f"2024-03-{i + 1:02d}T00:00:00+00:00")
    for i in range(10, 20):
        repo.commit({"src/web/small.py": _text(10, i)}, author=ADA, date=f"2024-04-{i:02d}T00:00:00+00:00")
    ingest_into_store(open_store(str(base / "store")), repo.root)
    return base / "store"


def test_hotspots_are_ordered_by_changes_times_lines(store):
    graph = open_store(str(store)).load("repo")
    rows = hotspots(graph)["hotspots"]
    assert [(r["path"], r["changes"], r["lines"], r["score"]) for r in rows] == [
        ("src/core/old.py", 12, 40, 480), ("src/core/big.py", 3, 100, 300),
        ("src/web/mid.py", 5, 50, 250), ("src/web/small.py", 20, 10, 200),
    ]
    big = rows[1]
    assert big["component"] == "core" and big["top_holder"] == "Bob Builder"
    # Bob is declared departed: the hotspot's knowledge has left with him
    assert (big["top_holder_active"], big["top_holder_gone"]) == (False, "departed")
    assert (rows[0]["top_holder"], rows[0]["top_holder_active"], rows[0]["top_holder_gone"]) == ("Ada Lovelace", True, None)
    assert big["truck_factor"] == 2  # core: Ada authors old.py, Bob big.py; removing one leaves 50 %, not less


def test_test_files_and_files_changed_once_are_left_out_and_counted(store):
    graph = open_store(str(store)).load("repo")
    report = hotspots(graph)
    assert report["tests"] is False and report["left_out"] == {"tests": 1, "changed_once": 1, "not_counted": 1}
    with_tests = hotspots(graph, tests=True)
    assert [(r["path"], r["score"]) for r in with_tests["hotspots"][:2]] == [("tests/test_core.py", 1200),
                                                                             ("src/core/old.py", 480)]
    assert with_tests["left_out"] == {"tests": 0, "changed_once": 1, "not_counted": 1}
    assert "src/web/generated.py" not in [r["path"] for r in with_tests["hotspots"]]
    # in a window, "once" counts the window's changes: small.py changed ten times in 2024, mid.py five
    assert hotspots(graph, since="2024-04-19")["left_out"] == {"tests": 0, "changed_once": 1, "not_counted": 0}


def test_a_window_counts_only_recent_changes(store):
    graph = open_store(str(store)).load("repo")
    rows = hotspots(graph, since="2024-01-01")["hotspots"]
    assert [(r["path"], r["changes"], r["score"]) for r in rows] == [
        ("src/core/big.py", 3, 300), ("src/web/mid.py", 5, 250), ("src/web/small.py", 10, 100)]
    assert [r["path"] for r in hotspots(graph, component="web")["hotspots"]] == ["src/web/mid.py", "src/web/small.py"]
    assert len(hotspots(graph, limit=2)["hotspots"]) == 2
    with pytest.raises(HotspotsUnavailable, match="not a date"):
        hotspots(graph, since="last tuesday")


def test_cli_hotspots(store):
    runner = CliRunner()
    data = json.loads(runner.invoke(app, ["hotspots", "--store", str(store), "--format", "json"]).output)
    assert set(data["hotspots"][0]) >= {"path", "changes", "lines", "score", "component", "truck_factor", "top_holder"}
    table = runner.invoke(app, ["hotspots", "--store", str(store), "--since", "2024-01-01"])
    assert table.exit_code == 0 and "since 2024-01-01" in table.output
    assert "tests/test_core.py" not in table.output
    assert "left out:" not in table.output  # in 2024 no test file changed and none changed once
    everything = runner.invoke(app, ["hotspots", "--store", str(store), "--tests"])
    assert "tests/test_core.py" in everything.output
    assert "left out: 1 file changed only once" in " ".join(everything.output.split())
    default = runner.invoke(app, ["hotspots", "--store", str(store)])
    assert "1 test file (--tests counts them)" in " ".join(default.output.split())
    lines = table.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "src/core/big.py" in line)
    assert "Bob Builder" in lines[at] and "(left)" in lines[at] + lines[at + 1]  # the mark may wrap under the name
    assert "(left)" not in "".join(lines[at + 2:])  # Ada's rows carry none
    bad = runner.invoke(app, ["hotspots", "--store", str(store), "--since", "yesterday"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_the_hotspots_table_drops_the_date_a_holder_left_before_it_folds_over_lines():
    """pip at 80 columns: "Donald / Stufft / (inactive / since 2022-07)" took four lines a row; the date goes first
    (`cairn people` has it), the mark stays; a wide terminal keeps the score and the date."""
    from cairn.api.commands.changes import hotspots_table

    def row(path: str, holder: str, active: bool) -> dict:
        return {"path": path, "changes": 494, "lines": 1152, "score": 494 * 1152, "component": "index", "truck_factor": 4,
                "top_holder": holder, "top_holder_active": active, "top_holder_gone": None if active else "inactive",
                "top_holder_last_active": "2022-07-15T00:00:00+00:00"}

    report = {"repository": "pip", "hotspots": [row("src/pip/_internal/index/package_finder.py", "Donald Stufft", False),
                                                 row("src/pip/_internal/req/req_install.py", "Pradyun Gedam", True)]}

    def shown(width: int) -> str:
        return "\n".join(line.plain for line in hotspots_table(report, None, width).render_lines(width))

    narrow = shown(80)
    assert "(inactive)" in narrow and "2022-07" not in narrow and "score" not in narrow
    wide = shown(160)
    assert "Donald Stufft (inactive since 2022-07)" in wide and "score" in wide and "(inactive)" not in wide


def test_the_top_holder_is_the_author_who_knows_lists_first_not_the_files_creator(tmp_path):
    """The degree of authorship favours whoever created a file however much others changed it since: TanStack Query's
    ``query.ts`` named Niek Bosch (inactive) above Dominik Dorfmeister's 38 commits, while ``who-knows`` lists Dominik
    first. Of the file's authors, the one with the most commits to it is its top holder, as who-knows orders them."""
    from cairn.queries.who_knows import who_knows

    carol, dan = ("Carol Creator", "carol@example.com"), ("Dan Developer", "dan@example.com")
    repo = GitRepo(tmp_path / "repo")
    for i in range(4):
        repo.commit({"src/core/engine.py": _text(60, i)}, author=carol, date=f"2023-01-{i + 1:02d}T00:00:00+00:00")
    for i in range(4, 9):
        repo.commit({"src/core/engine.py": _text(60, i)}, author=dan, date=f"2024-01-{i + 1:02d}T00:00:00+00:00")
    ingest_into_store(open_store(str(tmp_path / "store")), repo.root)
    graph = open_store(str(tmp_path / "store")).load("repo")
    doa = {graph.nodes[e.source].get("name"): (e.get("doa"), e.get("author")) for e in graph.of_type("KNOWS")}
    assert doa[carol[0]][0] > doa[dan[0]][0] and doa[carol[0]][1] and doa[dan[0]][1]  # both authors, Carol's degree higher
    [row] = hotspots(graph)["hotspots"]
    assert row["top_holder"] == dan[0] == who_knows(graph, ["src/core/engine.py"])["paths"][0]["holders"][0]["person"]
