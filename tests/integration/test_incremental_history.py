"""Incremental history: an ingest that reads only the new commits gives exactly what a cold ingest gives.

Each test ingests a real repository (tests/fixtures/history_evolution.py) into a
store, adds commits, ingests again into the same store (which remembers the
history in its cache directory) and compares with a cold ingest of the same
history into a fresh store: every node and relationship property, and the
answers of bus-factor, trends, coupling, hotspots and agents. The fallbacks
(a rewritten history, a changed .mailmap or [[people]], an unusable or a
tracked state file) read everything again and say so in the ingest notes.
"""

from __future__ import annotations

import json
import shutil

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import cache_dir_for
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.cochange import ChangeMemory, add_changes
from cairn.ingest.config import load_config
from cairn.ingest.history import mine_history
from cairn.ingest.history_state import StateFile, state_path
from cairn.ingest.knowledge import KnowledgeMemory
from cairn.ingest.trend_activity import ActivityMemory
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.agents import agents
from cairn.queries.coupling import coupling
from cairn.queries.hotspots import hotspots
from cairn.queries.ownership import bus_factor
from cairn.queries.trends import trends
from fixtures.gitrepo import GitRepo
from fixtures.stored_answers import assert_answers_as_cold
from fixtures.history_evolution import ADA, BOB, BOT, CAROL, EVE, body, build_before, grow, interleave, merge, modify_only, when

VOLATILE = {"ingested_at", "knows_token"}  # the time of the ingest, and the name of its KNOWS edges


def facts(graph):
    """Every node's and relationship's properties (what ingest writes), keyed by identity."""
    nodes = {nid: {k: v for k, v in n.props.items() if k not in VOLATILE} for nid, n in graph.nodes.items()}
    edges = {key: dict(e.props) for key, e in graph.edges.items()}
    return json.loads(json.dumps({"nodes": nodes, "edges": {"|".join(k): v for k, v in edges.items()}}, sort_keys=True,
                                 default=sorted))


def answers(graph):
    components = sorted(n.key for n in graph.of_label("Component"))
    return json.loads(json.dumps({
        "bus_factor": bus_factor(graph), "components": [bus_factor(graph, component=c) for c in components],
        "trends": trends(graph), "coupling": coupling(graph), "hotspots": hotspots(graph), "agents": agents(graph),
    }, sort_keys=True, default=str))


def ingest(root, store):
    result = ingest_into_store(open_store(str(store)), root)
    return result, open_store(str(store)).load(root.name)


def assert_same_as_cold(root, warm_store, tmp_path):
    """Ingest again into ``warm_store`` and cold into a fresh store: the same graph and answers."""
    result, warm = ingest(root, warm_store)
    cold_store = tmp_path / f"cold-{len(list(tmp_path.iterdir()))}"
    _, cold = ingest(root, cold_store)
    expected, found = facts(cold), facts(warm)
    if read_notes(result):  # a fallback's note is the one difference
        found = scrub(found)
    assert found["nodes"].keys() == expected["nodes"].keys()
    assert found["edges"].keys() == expected["edges"].keys()
    for section in ("nodes", "edges"):
        for key, props in expected[section].items():
            assert found[section][key] == props, key
    assert (scrub(answers(warm)) if read_notes(result) else answers(warm)) == answers(cold)
    if not read_notes(result):  # the answers kept: what a cold ingest keeps (a fallback's note is in the bus factor's)
        assert_answers_as_cold(warm_store, cold_store, root.name)
    return result, warm


def scrub(value):
    """``value`` without the notes about how the history was read."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value if not (isinstance(v, str) and (v.startswith("history read in full")
                                                                          or "history state" in v))]
    return value


def read_notes(result):
    return [n for n in result.summary.notes if n.startswith("history read in full") or "history state" in n]


@pytest.fixture
def grown(tmp_path):
    repo = build_before(tmp_path / "repo")
    store = tmp_path / "store"
    first, _ = ingest(repo.root, store)
    assert read_notes(first) == []  # nothing remembered yet: nothing to say
    assert state_path(cache_dir_for(open_store(str(store))), repo.root).is_file()
    return repo, store


def how_read(root, store):
    """How the next ingest into ``store`` reads the history (without remembering anything itself)."""
    history = mine(root, cache_dir_for(open_store(str(store))), load_config(root))
    return history.mined, history.new_commits, history.new_from is not None


def test_new_commits_on_top_give_the_cold_graph_and_answers(grown, tmp_path):
    repo, store = grown
    grow(repo)  # a rename of a file changed before, a new alias, a marker, a squash, a bot, a merged pull request
    assert how_read(repo.root, store) == ("incremental", 8, True)  # added after the remembered ones
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert result.trends.known_factors is None  # a new quarter began: every quarter's truck factors again
    people = {n.get("name"): n for n in graph.of_label("Person")}
    assert people["Bob Builder"].get("emails") == ["bob@example.com", "bob@home.example"]  # the new alias, merged
    assert "dave-null" in people["Dave Null"].get("logins")  # learned from the pull-request merges
    knows = {(e.source.split("|")[-1], e.target.split("|")[-1]) for e in graph.of_type("KNOWS")}
    assert ("bob@example.com", "core/a2.py") in knows  # the rename carries the knowledge from before


def test_the_second_ingest_reads_only_the_new_commits_and_adds_to_the_remembered_counts(tmp_path):
    repo = build_before(tmp_path / "repo")
    grow(repo)
    cache = tmp_path / "cache"
    config = load_config(repo.root)
    first = mine(repo.root, cache, config)
    assert (first.mined, first.new_commits) == ("full", 0)
    baseline = ingest_repository(repo.root, config, cache_dir=cache)  # remembers the analyses too
    modify_only(repo)
    second = mine(repo.root, cache, config)
    assert (second.mined, second.new_commits, second.new_from) == ("incremental", 3, len(second.log) - 3)
    graph = ingest_repository(repo.root, config).graph  # a graph with this HEAD's files and components
    changes = add_changes(graph, second, config.coupling, config.agents)
    assert changes.incremental  # nothing renamed, added or deleted: the new commits were added to the counts
    assert baseline.graph.repository.get("commits") + 3 == graph.repository.get("commits")
    # everything the analyses remembered reads back (a memory that does not is silently counted again: slow)
    state = StateFile(cache, repo.root).load()
    assert ChangeMemory.from_json(state.analyses["changes"]).commits == len(state.log)
    assert KnowledgeMemory.from_json(state.analyses["knowledge"]) is not None
    assert ActivityMemory.from_json(state.analyses["activity"]).commits == len(state.log)


def mine(root, cache, config):
    return mine_history(root, config.identities, people=config.people, max_coauthors=config.thresholds.max_coauthors,
                        markers=MarkerMatcher.build(config.agents.markers), memory=StateFile(cache, root))


def test_only_modifications_keep_the_counts_incremental_and_exact(grown, tmp_path):
    repo, store = grown
    grow(repo)
    ingest(repo.root, store)
    modify_only(repo)  # in the quarter of the last remembered commit
    assert how_read(repo.root, store) == ("incremental", 3, True)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert set(result.trends.known_factors) == {"2024-Q1", "2024-Q2"}  # earlier quarters' truck factors reused
    # and nothing new: the same again, with the three commits read again (few: the state was not written for them)
    assert how_read(repo.root, store) == ("incremental", 3, True)
    assert_same_as_cold(repo.root, store, tmp_path)


def test_a_new_commit_dated_in_an_earlier_quarter_reuses_the_earlier_truck_factors_exactly(grown, tmp_path):
    repo, store = grown
    repo.commit({"web/w.py": body("w", 30), "core/b2.py": body("b", 30)}, author=CAROL, date=when(2, 25), message="backdated")
    repo.commit({"core/b2.py": body("b", 31)}, author=BOB, date=when(3, 1), message="backdated too")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert set(result.trends.known_factors) == {"2024-Q1"}  # the replay meets them only in the last quarter


def test_a_branch_from_the_remembered_commit_merged_with_equal_dates_keeps_git_order(grown, tmp_path):
    repo, store = grown
    base = repo.head()
    repo.git("checkout", "-q", "-b", "side")
    repo.commit({"web/s.py": "S = 1\n"}, author=EVE, date=when(5, 1), message="side")
    repo.commit({"web/s.py": "S = 2\n"}, author=CAROL, date=when(5, 1), message="side 2")
    repo.git("checkout", "-q", "main")
    repo.commit({"core/b2.py": "B = 'main'\n"}, author=BOB, date=when(5, 1), message="main")
    merge(repo, "side", "Merge branch 'side'", when(5, 1))
    assert repo.git("merge-base", "HEAD~1", "side") == base
    mined = how_read(repo.root, store)
    assert mined[:2] == ("incremental", 4)
    assert_same_as_cold(repo.root, store, tmp_path)


def test_a_merged_branch_dated_among_remembered_commits_is_placed_where_a_full_read_puts_it(grown, tmp_path):
    repo, store = grown
    fork = repo.git("rev-list", "--max-count=1", "--before=2024-02-10", "HEAD")
    interleave(repo, fork)
    assert how_read(repo.root, store) == ("incremental", 3, False)  # rearranged in git's order
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert "eve-online" in {login for n in graph.of_label("Person") for login in n.get("logins") or []}


@pytest.mark.parametrize("rewrite", ["reset", "amend", "other-branch"])
def test_a_rewritten_history_is_read_in_full_with_a_note(grown, tmp_path, rewrite):
    repo, store = grown
    if rewrite == "reset":
        repo.git("reset", "-q", "--hard", "HEAD~1")
        repo.commit({"core/a.py": "A = 'again'\n"}, author=BOB, date=when(5, 1), message="instead")
    elif rewrite == "amend":
        env = {"GIT_COMMITTER_DATE": when(5, 1), "GIT_AUTHOR_DATE": when(5, 1)}
        repo.git("commit", "-q", "--amend", "-m", "amended", env=env)
    else:  # what a force-push leaves: HEAD now on a history that never had the remembered commit
        repo.git("checkout", "-q", "--orphan", "fresh")
        repo.commit({"core/a.py": "A = 1\n"}, author=ADA, date=when(6, 1), message="new root")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    notes = read_notes(result)
    assert len(notes) == 1 and "is no longer an ancestor of HEAD (the history was rewritten)" in notes[0]
    assert how_read(repo.root, store)[:2] == ("incremental", 0)  # remembered afresh


def test_a_changed_mailmap_is_read_in_full_with_a_note(grown, tmp_path):
    repo, store = grown
    repo.commit({".mailmap": "Bob Builder <bob@example.com> <ada@old.example>\n"}, author=ADA, date=when(5, 1),
                message="ada's old address was Bob's")
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == ["history read in full: the identity configuration changed (.mailmap)"]
    bob = next(n for n in graph.of_label("Person") if n.get("name") == "Bob Builder")
    assert "ada@old.example" in " ".join(bob.get("aliases"))


def test_a_pair_the_new_commits_lift_over_min_shared_is_counted_from_the_remembered_commits(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    toml = "[coupling]\nmin_revs = 1\nmin_shared = 3\nmin_degree = 10\n"
    repo.commit({"cairn.toml": toml, "x.py": "X = 0\n", "y.py": "Y = 0\n", "z.py": "Z = 0\n"}, author=ADA, date=when(1, 1))
    repo.commit({"x.py": "X = 1\n", "y.py": "Y = 1\n"}, author=BOB, date=when(1, 2))
    repo.commit({"x.py": "X = 2\n", "z.py": "Z = 2\n"}, author=BOB, date=when(1, 3))
    store = tmp_path / "store"
    _, before = ingest(repo.root, store)
    assert not before.of_type("CO_CHANGES")  # x and y: 2 shared revisions of 3 needed
    repo.commit({"x.py": "X = 3\n", "y.py": "Y = 3\n"}, author=ADA, date=when(1, 4))
    assert how_read(repo.root, store) == ("incremental", 1, True)
    _, after = assert_same_as_cold(repo.root, store, tmp_path)
    (edge,) = after.of_type("CO_CHANGES")
    assert (edge.source.endswith("x.py"), edge.target.endswith("y.py"), edge.get("shared")) == (True, True, 3)


def test_bots_commits_among_the_new_ones_are_left_out_as_a_cold_ingest_leaves_them_out(grown, tmp_path, monkeypatch):
    """New commits on top, then a branch dated among the remembered commits (taken back and counted again past the
    remembered bot commit of March): a bot-only commit counts in no revision, day or pair; one with a person does."""
    from cairn.ingest import cochange

    taken_back = []
    take_back = cochange.take_back
    monkeypatch.setattr(cochange, "take_back", lambda *args: taken_back.append(take_back(*args)) or taken_back[-1])
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    repo, store = grown
    remembered = open_store(str(store)).load(repo.root.name)
    before = {n.key: n.get("revisions") for n in remembered.of_label("File")}
    shared = _shared(remembered)
    assert shared[("core/b2.py", "web/w.py")] == 2
    for i in (20, 21):  # w.py and b2.py together, twice: a pair if a person did it
        repo.commit({"web/w.py": body("w", i), "core/b2.py": body("b", i)}, author=BOT, committer=BOB if i == 21 else BOT,
                    date=when(5, i - 19), message="regenerate")
    repo.commit({"core/deps.py": "DEPS = 3\n"}, author=BOT, date=when(5, 3), message="bump, with Ada",
                trailers=[f"Co-authored-by: {ADA[0]} <{ADA[1]}>"])
    assert how_read(repo.root, store) == ("incremental", 3, True)
    _, graph = assert_same_as_cold(repo.root, store, tmp_path)
    after = {n.key: n for n in graph.of_label("File")}
    assert {path: after[path].get("revisions") - before[path] for path in before} == {
        path: 1 if path == "core/deps.py" else 0 for path in before}
    assert before["web/w.py"] == len(after["web/w.py"].get("change_days"))
    assert _shared(graph) == shared  # (two more for w and b2 if a person had made them)

    fork = repo.git("rev-list", "--max-count=1", "--before=2024-02-10", "HEAD")
    repo.git("checkout", "-q", "-b", "old-bots", fork)
    repo.commit({"web/__init__.py": "V = 1\n", "web/x.py": "X = 1\n"}, author=BOT, date=when(2, 20), message="old bump")
    repo.commit({"web/x.py": "X = 2\n"}, author=EVE, date=when(3, 25), message="old work")
    repo.git("checkout", "-q", "main")
    merge(repo, "old-bots", "Merge pull request #4 from eve-online/old-bots\n\nOld", when(5, 30))
    assert how_read(repo.root, store)[::2] == ("incremental", False)  # placed among the remembered commits
    _, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert taken_back == [True]  # counted again past the placement, the remembered bot commit left out as before
    files = {n.key: n for n in graph.of_label("File")}
    assert (files["web/x.py"].get("revisions"), files["web/__init__.py"].get("revisions")) == (1, before["web/__init__.py"])


def _shared(graph) -> dict[tuple[str, str], int]:
    return {(graph.nodes[e.source].key, graph.nodes[e.target].key): e.get("shared") for e in graph.of_type("CO_CHANGES")}


def test_a_mailmap_added_later_is_read_in_full_with_a_note(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"a.py": "A = 1\n"}, author=ADA, date=when(1, 1))
    repo.commit({"a.py": "A = 2\n"}, author=("Ada at home", "ada@home.example"), date=when(1, 2))
    store = tmp_path / "store"
    _, before = ingest(repo.root, store)
    assert len(before.of_label("Person")) == 2
    repo.commit({".mailmap": "Ada Lovelace <ada@example.com> <ada@home.example>\n"}, author=ADA, date=when(1, 3))
    result, after = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == ["history read in full: the identity configuration changed (.mailmap)"]
    assert [p.get("commits") for p in after.of_label("Person")] == [3]


@pytest.mark.parametrize("change", ["coupling", "period", "components", "recent_days"])
def test_changed_analysis_settings_count_again_from_the_remembered_commits_without_a_note(grown, tmp_path, change):
    repo, store = grown
    toml = (repo.root / "cairn.toml").read_text()
    toml = {
        "coupling": toml.replace("min_shared = 2", "min_shared = 3"),
        "period": toml.replace("knowledge_periods = 4", 'knowledge_periods = 4\nperiod = "month"'),
        "components": toml.replace('web = ["web/**"]', 'web = ["web/**"]\nsub = ["core/b2.py"]'),
        "recent_days": toml + "\n[agents]\nrecent_days = 30\n",
    }[change]
    repo.commit({"cairn.toml": toml, "web/w.py": body("w", 40)}, author=BOB, date=when(4, 25), message=change)
    assert how_read(repo.root, store) == ("incremental", 1, True)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []


def test_changed_people_and_co_author_cap_are_read_in_full_with_a_note(grown, tmp_path):
    repo, store = grown
    toml = (repo.root / "cairn.toml").read_text()
    repo.commit({"cairn.toml": toml + '\n[[people]]\nname = "Carol S."\naliases = ["carol@example.com"]\n'},
                author=ADA, date=when(5, 1), message="people")
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == ["history read in full: the identity configuration changed ([[people]])"]
    assert "Carol S." in {n.get("name") for n in graph.of_label("Person")}
    repo.commit({"cairn.toml": (repo.root / "cairn.toml").read_text() + "\n[thresholds]\nmax_coauthors = 1\n"},
                author=ADA, date=when(5, 2), message="cap")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == ["history read in full: the identity configuration changed (thresholds.max_coauthors)"]


def rewrite_header(data: bytes, change) -> bytes:
    """The state file with its JSON header changed by ``change`` (the arrays after it left as they are)."""
    magic, rest = data.split(b"\n", 1)
    line, rest = rest.split(b"\n", 1)
    size, crc = line.split(b" ")
    header = json.loads(rest[: int(size)])
    change(header)
    text = json.dumps(header, separators=(",", ":")).encode("ascii")
    return magic + b"\n" + b"%d %s\n" % (len(text), crc) + text + rest[int(size):]


@pytest.mark.parametrize("damage", ["truncated", "foreign", "garbage", "older", "other-repository", "bad-columns",
                                    "flipped-bit"])
def test_an_unusable_state_file_is_read_in_full_with_a_note_never_a_crash(grown, tmp_path, damage):
    repo, store = grown
    path = state_path(cache_dir_for(open_store(str(store))), repo.root)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":
        path.write_text(json.dumps({"format": "something-else", "entries": []}))
    elif damage == "garbage":
        path.write_bytes(b"\x80\x03cposix\nsystem\n")  # what a pickle looks like: never loaded
    elif damage == "older":
        path.write_bytes(rewrite_header(data, lambda h: h.update(version=0)))
    elif damage == "other-repository":
        path.write_bytes(rewrite_header(data, lambda h: h.update(repo="/somewhere/else")))
    elif damage == "bad-columns":
        path.write_bytes(rewrite_header(data, lambda h: h["log"]["committed"].update(n=8)))
    else:  # one bit of an array: the header still fits, the checksum does not
        path.write_bytes(data[:-100] + bytes([data[-100] ^ 4]) + data[-99:])
    grow(repo)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    notes = read_notes(result)
    assert len(notes) == 1 and notes[0].startswith(f"history state {path.name} ") and "ignored" in notes[0], notes
    assert how_read(repo.root, store)[:2] == ("incremental", 0)  # rewritten, usable again


def test_a_state_file_the_repository_tracks_is_never_read(tmp_path):
    repo = build_before(tmp_path / "repo")
    cache = repo.root / ".cairn-cache"
    config = load_config(repo.root)
    mine(repo.root, cache, config)  # not tracked yet: written
    path = state_path(cache, repo.root)
    good = mine(repo.root, cache, config)
    assert good.state is not None
    StateFile(cache, repo.root).save(good.state)
    path.write_bytes(rewrite_header(path.read_bytes(), lambda h: h["totals"]["counters"].__setitem__(0, 10**6)))
    repo.git("add", "-f", str(path.relative_to(repo.root)))
    repo.commit(author=ADA, date=when(5, 1), message="a cache committed by mistake (or on purpose)")
    memory = StateFile(cache, repo.root)
    assert not memory.usable
    history = mine_history(repo.root, memory=memory)
    assert history.mined == "full"
    assert any("is part of the repository: not trusted, not used" in n for n in history.notes)
    before = path.read_bytes()
    ingest_repository(repo.root, config, cache_dir=cache)
    assert path.read_bytes() == before  # not written either


def test_a_store_copied_elsewhere_keeps_its_state_for_its_own_repository(grown, tmp_path):
    repo, store = grown
    other = tmp_path / "other"
    shutil.copytree(repo.root, other)
    result, _ = ingest(other, store)  # the same store, another checkout: its own state file
    assert read_notes(result) == []
    grow(repo)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
