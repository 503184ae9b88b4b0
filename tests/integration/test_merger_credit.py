"""Review credit for the mergers of pull requests (``ingest.merger_credit``), on real repositories: who gets it (a human
merger of someone else's branch, by person: not its author under another identity), on which files (those the request
brought in), with which touch (the merge's time); an incremental ingest gives exactly what a cold one gives, also when
identities joined since make a remembered merge a self-merge, and the trends' last period the bus factor's numbers."""

from __future__ import annotations

from datetime import datetime

from cairn.ingest import history_state
from cairn.ingest.config import load_config
from cairn.ingest.history import mine_history
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.ownership import annotate_bus_factor, bus_factor
from cairn.queries.trends import trends, truck_factors_over_time
from fixtures.gitrepo import GitRepo
from fixtures.history_evolution import BOB, EVE, body, when
from test_incremental_history import assert_same_as_cold, how_read, ingest, read_notes

ADA = ("Ada Lovelace", "ada@example.com")
GRACE = ("Grace Hopper", "grace@example.com")
GRACE_NOREPLY = ("Grace Hopper", "1234+ghopper@users.noreply.github.com")  # one person with GRACE, by name
E_ONLINE = ("E. Online", "eo@corp.example")  # someone else than EVE, until a commit names both
MERGIFY = ("mergify[bot]", "37929162+mergify[bot]@users.noreply.github.com")


def merge(repo: GitRepo, branch: str, message: str, author: tuple[str, str], date: str) -> str:
    env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1], "GIT_AUTHOR_DATE": date,
           "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1], "GIT_COMMITTER_DATE": date}
    repo.git("merge", "-q", "--no-ff", "-m", message, branch, env=env)
    return repo.head()


def branch(repo: GitRepo, name: str, files: dict[str, str], author: tuple[str, str], date: str) -> None:
    repo.git("checkout", "-q", "-b", name, "main")
    repo.commit(files, author=author, date=date, message=name)
    repo.git("checkout", "-q", "main")


def epoch(date: str) -> int:
    return int(datetime.fromisoformat(date).timestamp())


def person(history, name: str) -> int:
    return next(i for i, p in enumerate(history.people) if p.person.name == name)


def test_a_human_merger_of_someone_elses_request_reviews_the_files_it_brought_in(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"a.py": "a = 1\n", "c.py": "c = 1\n", "d.py": "d = 1\n", "e.py": "e = 1\n"}, author=ADA,
                date="2024-01-01T00:00:00+00:00")
    branch(repo, "feature", {"a.py": "a = 2\n", "b.py": "b = 1\n"}, BOB, "2024-01-02T00:00:00+00:00")
    merge(repo, "feature", "Merge pull request #7 from bob/feature\n\nA feature", GRACE, "2024-01-05T00:00:00+00:00")
    branch(repo, "own", {"c.py": "c = 2\n"}, GRACE, "2024-01-06T00:00:00+00:00")
    merge(repo, "own", "Merge pull request #8 from grace/own", GRACE, "2024-01-07T00:00:00+00:00")
    branch(repo, "side", {"d.py": "d = 2\n"}, BOB, "2024-01-08T00:00:00+00:00")
    merge(repo, "side", "Merge branch 'side'", GRACE, "2024-01-09T00:00:00+00:00")  # no request: no review
    branch(repo, "queued", {"e.py": "e = 2\n"}, BOB, "2024-01-10T00:00:00+00:00")
    merge(repo, "queued", "Merge pull request #9 from bob/queued", MERGIFY, "2024-01-11T00:00:00+00:00")
    history = mine_history(repo.root)
    grace = person(history, "Grace Hopper")
    for path in ("a.py", "b.py"):
        knowledge = history.human_knowledge(path)[grace]
        assert (knowledge.reviews, knowledge.last_touch) == (1, epoch("2024-01-05T00:00:00+00:00")), path
    assert history.human_knowledge("c.py")[grace].reviews == 0  # her own branch
    assert grace not in history.human_knowledge("d.py")
    bot = person(history, "mergify[bot]")
    assert history.file_knowledge("e.py")[bot].reviews == 1 and bot not in history.human_knowledge("e.py")
    assert history.human_knowledge("a.py")[person(history, "Bob Builder")].reviews == 0


def test_a_request_merged_by_its_tips_author_under_another_identity_is_no_review(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"a.py": "a = 1\n", "b.py": "b = 1\n"}, author=ADA, date="2024-01-01T00:00:00+00:00")
    branch(repo, "own", {"a.py": "a = 2\n"}, GRACE, "2024-01-02T00:00:00+00:00")
    merge(repo, "own", "Merge pull request #1 from ghopper/own", GRACE_NOREPLY, "2024-01-03T00:00:00+00:00")
    branch(repo, "again", {"b.py": "b = 2\n"}, GRACE, "2024-01-04T00:00:00+00:00")
    merge(repo, "again", "Merge pull request #2 from ghopper/again", BOB, "2024-01-05T00:00:00+00:00")
    history = mine_history(repo.root)
    grace, bob = person(history, "Grace Hopper"), person(history, "Bob Builder")
    assert history.identity_person[history.log.author[1]] == history.identity_person[history.log.author[2]] == grace
    assert history.human_knowledge("a.py")[grace].reviews == 0
    assert bob not in history.human_knowledge("a.py")
    assert (history.human_knowledge("b.py")[bob].reviews, history.human_knowledge("b.py")[grace].reviews) == (1, 0)


def test_the_replay_and_the_bus_factor_give_no_review_for_a_self_merge_under_another_identity(tmp_path):
    """Bob writes every source file; Grace adds notes on top and merges the requests under her noreply address:
    her own merges, so nobody reviewed Bob's files and he alone is the human truck factor too."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"README.md": "# r\n"}, author=ADA, date="2024-01-01T00:00:00+00:00")
    for n in range(3):
        repo.git("checkout", "-q", "-b", f"f{n}", "main")
        repo.commit({f"src/f{n}.py": f"F = {n}\n"}, author=BOB, date=f"2024-01-0{2 + 2 * n}T00:00:00+00:00", message="f")
        repo.commit({f"notes/f{n}.md": "n\n"}, author=GRACE, date=f"2024-01-0{2 + 2 * n}T06:00:00+00:00", message="n")
        repo.git("checkout", "-q", "main")
        merge(repo, f"f{n}", f"Merge pull request #{n + 1} from bob/f{n}", GRACE_NOREPLY,
              f"2024-01-0{3 + 2 * n}T00:00:00+00:00")
    result = ingest_repository(repo.root, load_config(repo.root))
    annotate_bus_factor(result.graph)
    report = bus_factor(result.graph)["repository"]
    assert (report["truck_factor"], report["human_truck_factor"]) == (1, 1)
    replayed = truck_factors_over_time(result.trends.snapshots())["2024-Q1"]
    assert (replayed["truck_factor"], replayed["human_truck_factor"]) == (1, 1)


def test_a_merge_that_becomes_a_self_merge_as_identities_join_loses_its_review_on_an_incremental_ingest(grown, tmp_path):
    """Eve's request merged as "E. Online": someone else, until a later commit of "Eve Online" under that address
    makes them one person — the remembered merge is then hers, as a cold ingest finds."""
    repo, store = grown
    repo.git("checkout", "-q", "-b", "fix", "main")
    repo.commit({"core/fix.py": "FIX = 1\n"}, author=EVE, date=when(5, 2), message="fix")
    repo.git("checkout", "-q", "main")
    merge(repo, "fix", "Merge pull request #11 from eve-online/fix", E_ONLINE, when(5, 3))
    _, graph = ingest(repo.root, store)
    assert knows(graph, E_ONLINE[0], "core/fix.py")["reviews"] == 1
    repo.commit({"web/eve.py": "EVE = 1\n"}, author=(EVE[0], E_ONLINE[1]), date=when(5, 4), message="joins them")
    assert how_read(repo.root, store)[0] == "incremental"
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert knows(warm, EVE[0], "core/fix.py")["reviews"] == 0


def knows(graph, name: str, path: str) -> dict:
    found = [e.props for e in graph.edges.values()
             if e.type.value == "KNOWS" and graph.nodes[e.source].get("name") == name and graph.nodes[e.target].key == path]
    assert len(found) <= 1, (name, path, found)
    return found[0] if found else {}


def test_a_merge_read_incrementally_credits_its_merger_as_a_cold_ingest_does(grown, tmp_path):
    repo, store = grown
    repo.git("checkout", "-q", "-b", "fix", "main")
    repo.commit({"core/a.py": body("a", 30), "core/fix.py": "FIX = 1\n"}, author=EVE, date=when(5, 2), message="fix")
    repo.git("checkout", "-q", "main")
    merge(repo, "fix", "Merge pull request #11 from eve-online/fix", BOB, when(5, 3))
    assert how_read(repo.root, store)[0] == "incremental"
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert knows(warm, BOB[0], "core/fix.py")["reviews"] == 1


def test_a_remembered_commit_off_heads_first_parent_chain_is_read_in_full_with_a_note(grown, tmp_path, monkeypatch):
    repo, store = grown
    monkeypatch.setattr(history_state, "UNSAVED_FLOOR", 0)  # the state remembers the topic branch's tip
    repo.git("checkout", "-q", "-b", "topic", "main")
    repo.commit({"core/topic.py": "TOPIC = 1\n"}, author=EVE, date=when(5, 2), message="topic")
    repo.git("checkout", "-q", "-b", "sub", "topic")
    repo.commit({"core/sub.py": "SUB = 1\n"}, author=EVE, date=when(5, 2), message="sub")
    repo.git("checkout", "-q", "topic")
    # a request merged into the topic branch: on its first-parent chain, on none of main's once topic is merged
    merge(repo, "sub", "Merge pull request #13 from eve-online/sub", ADA, when(5, 2))
    ingest(repo.root, store)
    repo.git("checkout", "-q", "main")
    repo.commit({"web/w.py": "W = 9\n"}, author=BOB, date=when(5, 3), message="meanwhile")
    merge(repo, "topic", "Merge pull request #12 from eve-online/topic", BOB, when(5, 4))
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert any("not on HEAD's first-parent chain" in note for note in read_notes(result)), result.summary.notes
    assert knows(warm, BOB[0], "core/topic.py")["reviews"] == 1
    assert not knows(warm, ADA[0], "core/sub.py").get("reviews")


def test_the_last_periods_truck_factors_count_the_mergers_review_as_the_bus_factor_does(tmp_path):
    """Bob writes every source file on requests Grace merges: he alone is the truck factor; the human one needs
    Grace gone too, as only her merges reviewed them."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"README.md": "# r\n"}, author=ADA, date="2024-01-01T00:00:00+00:00")
    for n in range(3):
        branch(repo, f"f{n}", {f"src/f{n}.py": f"F = {n}\n"}, BOB, f"2024-01-0{2 + 2 * n}T00:00:00+00:00")
        merge(repo, f"f{n}", f"Merge pull request #{n + 1} from bob/f{n}", GRACE, f"2024-01-0{3 + 2 * n}T00:00:00+00:00")
    result = ingest_repository(repo.root, load_config(repo.root))
    annotate_bus_factor(result.graph)
    report = bus_factor(result.graph)["repository"]
    assert (report["truck_factor"], report["human_truck_factor"]) == (1, 2)
    replayed = truck_factors_over_time(result.trends.snapshots())["2024-Q1"]
    assert (replayed["truck_factor"], replayed["human_truck_factor"]) == (1, 2)
    _, stored = ingest(repo.root, tmp_path / "store")
    last = trends(stored)["periods"][-1]
    assert (last["truck_factor"], last["human_truck_factor"]) == (1, 2)
