"""One small commit at a time, the history analytics an ingest adds to equal a cold ingest's, with nothing stale left.

After the remembered history (tests/fixtures/history_evolution.py), each step
commits a little and ingests into the same store, which reads only the new
commits and updates what it remembers: the KNOWS edges (the files the commits
left alone keep theirs from the memory), the change counts and days, the
coupling pairs, the agent inventory of recent commits, the trend activity and
the HEAD sample. Each ingest is compared, node and edge property by property
and answer by answer, with a cold ingest of the same checkout
(``assert_same_as_cold``): a stale edge, count or sample fails it.
"""

from __future__ import annotations

from fixtures.history_evolution import ADA, BOB, CAROL, CLAUDE, DAVE, EVE, body, merge, when
from test_incremental_history import assert_same_as_cold, how_read, read_notes


def knows(graph) -> set[tuple[str, str]]:
    return {(e.source.split("|")[-1], e.target.split("|")[-1]) for e in graph.of_type("KNOWS")}


def file_props(graph, path: str) -> dict:
    node = graph.node("File", path)
    return dict(node.props) if node is not None else {}


def test_each_small_commit_leaves_no_stale_edge_count_or_sample(grown, tmp_path):
    repo, store = grown
    # a file with history and a file without any, together (a new co-change pair, a new KNOWS edge)
    repo.commit({"core/b2.py": body("b", 30), "core/n.py": "N = 1\n"}, author=EVE, date=when(5, 1), message="b2 and n")
    assert how_read(repo.root, store) == ("incremental", 1, True)
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert {("eve@example.com", "core/b2.py"), ("eve@example.com", "core/n.py")} <= knows(graph)
    assert file_props(graph, "core/n.py")["revisions"] == 1

    # the same pair again: its coupling and both files' counts move, the other files' stay
    repo.commit({"core/b2.py": body("b", 31), "core/n.py": "N = 2\n"}, author=BOB, date=when(5, 3), message="again")
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert file_props(graph, "core/n.py")["revisions"] == 2

    # a departed author: the only file Dave alone made goes, and with it his edge to it and its counts
    assert ("dave@example.com", "web/v.py") in knows(graph)
    repo.commit({"web/w.py": body("w", 30)}, author=ADA, date=when(5, 6), message="v goes", delete=["web/v.py"])
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert ("dave@example.com", "web/v.py") not in knows(graph) and graph.node("File", "web/v.py") is None
    assert read_notes(result) == []

    # a rename of a file with history, and a new file under the old name: the name stands for two files now
    repo.rename("core/n.py", "core/n2.py", author=CAROL, date=when(5, 8), message="rename n")
    repo.commit({"core/n.py": "NEW = 1\n"}, author=DAVE, date=when(5, 9), message="a new n")
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert ("eve@example.com", "core/n2.py") in knows(graph)  # the knowledge follows the rename
    assert ("dave@example.com", "core/n.py") in knows(graph)

    # a merged branch with an agent commit touching a file with history and the new one
    repo.git("checkout", "-q", "-b", "helper")
    repo.commit({"core/n.py": "NEW = 2\n", "web/w.py": body("w", 31)}, author=CLAUDE, committer=BOB, date=when(5, 12),
                message="agent change")
    repo.git("checkout", "-q", "main")
    repo.commit({"core/a.py": body("a", 30)}, author=ADA, date=when(5, 13), message="meanwhile")
    merge(repo, "helper", "Merge pull request #5 from bob/helper\n\nHelper", when(5, 14))
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert file_props(graph, "core/n.py")["agent_changes"] == 1
