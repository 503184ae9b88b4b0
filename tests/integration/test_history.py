"""History mining on real git repositories: authorship records, renames, merges, agents, bots, odd input."""

from __future__ import annotations

import math
import subprocess

import pytest

from cairn.graph.model import Label, Rel
from cairn.ingest import history as history_module
from cairn.ingest.config import IdentitySettings
from cairn.ingest.git import git
from cairn.ingest.history import mine_history
from cairn.ingest.knowledge import add_knowledge, degree_of_authorship
from fixtures.gitrepo import GitRepo
from fixtures.ownership import build_team_repo, hand_built_graph


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    root = tmp_path_factory.mktemp("team")
    build_team_repo(root)
    return root, mine_history(root, IdentitySettings())


def person(history, name):
    found = [i for i, ph in enumerate(history.people) if ph.person.name == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def test_doa_formula_matches_the_paper():
    assert degree_of_authorship(True, 0, 0) == pytest.approx(4.391)
    assert degree_of_authorship(False, 1, 1) == pytest.approx(3.293 + 0.164 - 0.321 * math.log(2))
    assert degree_of_authorship(True, 3, 7) == pytest.approx(3.293 + 1.098 + 0.492 - 0.321 * math.log(8))


def test_people_are_resolved_through_mailmap_noreply_and_name(team):
    _, history = team
    names = sorted(ph.person.name for ph in history.people)
    # Claude (agent co-author) and Erin (reviewer) exist; alice@old.example was mailmapped to Alice.
    assert names == ["Alice", "Bob", "Carol", "Claude", "Dave", "Erin", "Mallory", "copilot-swe-agent[bot]", "dependabot[bot]"]
    alice = history.people[person(history, "Alice")]
    assert alice.person.id == "alice@example.com"
    assert alice.person.github == "alice-gh"
    assert alice.person.emails == ["alice@example.com"] and alice.person.logins == ["alice-gh"]  # login from .mailmap
    assert alice.commits == 4  # commit 2 (through .mailmap), 7, 9, 13
    kinds = {ph.person.name: ph.person.kind for ph in history.people}
    assert kinds["copilot-swe-agent[bot]"] == "agent" and kinds["Claude"] == "agent"
    assert kinds["dependabot[bot]"] == "bot" and kinds["Bob"] == "human"


def test_commit_counts_merges_and_agents(team):
    _, history = team
    assert history.commits == 14 and history.merges == 1
    assert history.agent_commits == 1 and history.bot_commits == 1
    assert history.people[person(history, "Mallory")].commits == 0  # merge only
    assert any(".mailmap line 2" in note for note in history.notes)


def test_rename_chain_credits_the_file_at_head(team):
    _, history = team
    k = history.file_knowledge("core/c4.py")  # a.py -> b.py (Bob) -> c4.py (Carol)
    bob, carol = person(history, "Bob"), person(history, "Carol")
    assert set(k) == {bob, carol}
    assert (k[bob].first_authorship, k[bob].deliveries, k[bob].acceptances) == (True, 1, 1)
    assert (k[carol].first_authorship, k[carol].deliveries, k[carol].acceptances) == (False, 1, 1)
    assert k[bob].doa == pytest.approx(4.3325, abs=1e-4)
    assert k[carol].doa == pytest.approx(3.2345, abs=1e-4)
    assert history.file_knowledge("core/a.py")[bob].first_authorship  # the old name keeps its own record


def test_bots_count_as_others_and_merge_branch_work_is_credited(team):
    _, history = team
    k = history.file_knowledge("web/w1.py")
    alice, carol, bot = person(history, "Alice"), person(history, "Carol"), person(history, "dependabot[bot]")
    assert k[carol].first_authorship and k[carol].deliveries == 1 and k[carol].acceptances == 2
    assert k[alice].deliveries == 1 and k[alice].acceptances == 2
    assert k[bot].deliveries == 1
    assert bot not in history.human_knowledge("web/w1.py")
    assert person(history, "Mallory") not in k


def test_agent_commit_gives_review_credit_to_committer_and_co_author(team):
    _, history = team
    k = history.human_knowledge("web/w3.py")
    bob, carol = person(history, "Bob"), person(history, "Carol")
    assert set(k) == {bob, carol}
    assert all(not v.is_candidate and v.reviews == 1 and v.doa is None for v in k.values())
    agent = person(history, "copilot-swe-agent[bot]")
    assert history.file_knowledge("web/w3.py")[agent].first_authorship  # recorded, but never a human author


def test_agent_co_author_on_human_commit_gets_nothing(team):
    _, history = team
    claude = person(history, "Claude")
    assert claude not in history.human_knowledge("web/w2.py")
    k = history.human_knowledge("web/w2.py")
    assert k[person(history, "Alice")].deliveries == 1


def test_reviewed_by_trailer(team):
    _, history = team
    k = history.human_knowledge("core/c3.py")
    erin = person(history, "Erin")
    assert k[erin].reviews == 1 and not k[erin].is_candidate
    assert history.people[erin].last_active is not None


def test_add_knowledge_only_for_file_nodes(team):
    _, history = team
    graph = hand_built_graph()
    add_knowledge(graph, history)
    knows = graph.of_type(Rel.KNOWS)
    targets = {graph.nodes[e.target].key for e in knows}
    assert targets <= set(n.key for n in graph.of_label(Label.FILE))
    kinds = {graph.nodes[e.source].get("kind") for e in knows}
    assert kinds == {"human"}
    edge = graph.edges[(Rel.KNOWS.value, graph.node(Label.PERSON, "carol@example.com").id,
                        graph.node(Label.FILE, "web/w1.py").id)]
    assert edge.props["first_authorship"] is True and edge.props["deliveries"] == 1
    assert edge.props["acceptances"] == 2 and edge.props["doa"] == pytest.approx(4.2024, abs=1e-4)
    assert edge.props["last_touch"] == "2024-06-11T12:00:00+00:00"
    repo = graph.repository
    assert repo["commits"] == 14 and repo["shallow"] is False
    assert repo["newest_commit_at"] == "2024-09-01T12:00:00+00:00"
    alice = graph.node(Label.PERSON, "alice@example.com")
    assert alice["kind"] == "human" and alice["last_active"] == "2024-06-12T12:00:00+00:00"
    assert "alice <alice@example.com>" not in alice["aliases"] and "Alice <alice@example.com>" in alice["aliases"]
    assert "alice@old.example" in alice["aliases"]  # the address .mailmap folded into hers


def test_shallow_clone_is_noted(team, tmp_path):
    root, _ = team
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True, capture_output=True)
    history = mine_history(clone, IdentitySettings())
    assert history.shallow is True
    assert history.commits == 1
    assert any("shallow" in warning for warning in history.warnings)
    assert history.complete is False and history.completeness["shallow"] is True
    graph = hand_built_graph()
    add_knowledge(graph, history)
    assert graph.repository["shallow"] is True


def test_empty_repository_and_non_repository(tmp_path):
    GitRepo(tmp_path / "empty")
    history = mine_history(tmp_path / "empty", IdentitySettings())
    assert history.commits == 0 and history.people == []
    assert any("no commits" in note for note in history.notes)
    plain = tmp_path / "plain"
    plain.mkdir()
    assert any("not a git repository" in note for note in mine_history(plain).notes)


def test_head_its_parents_and_shallowness_come_from_one_question_even_beside_a_file_named_head(tmp_path):
    repo = GitRepo(tmp_path / "r")
    first = repo.commit({"HEAD": "a file named like the ref\n"})
    second = repo.commit({"a.py": "a = 1\n"})
    where = git(repo.root, *history_module._WHERE_HEAD, text=False)
    assert history_module.head_of(repo.root, where) == (second, False, [first])
    root_commit = git(repo.root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", first, f"{first}^@", "--",
                      text=False)
    assert history_module.head_of(repo.root, root_commit) == (first, False, [])
    empty = GitRepo(tmp_path / "empty")
    failed = git(empty.root, *history_module._WHERE_HEAD, text=False)
    assert failed.returncode != 0 and history_module.head_of(empty.root, failed) == ("", False, None)  # asked apart


def _raw_commit(repo: GitRepo, author_line: bytes, parent: str | None, tree_files: dict[str, str]) -> str:
    repo.write(tree_files)
    repo.git("add", "-A")
    tree = repo.git("write-tree")
    body = b"tree " + tree.encode() + b"\n"
    if parent:
        body += b"parent " + parent.encode() + b"\n"
    body += b"author " + author_line + b" 1717243200 +0000\n"
    body += b"committer " + author_line + b" 1717243200 +0000\n\nraw commit\n"
    proc = subprocess.run(["git", "-C", str(repo.root), "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
                          input=body, capture_output=True, check=True)
    sha = proc.stdout.decode().strip()
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


def test_empty_email_malformed_email_and_non_utf8_name(tmp_path):
    repo = GitRepo(tmp_path / "odd")
    first = _raw_commit(repo, b"Nomail <>", None, {"a.py": "a = 1\n"})
    second = _raw_commit(repo, b"Jos\xe9 Latin <jose@example.com>", first, {"b.py": "b = 1\n"})
    _raw_commit(repo, b"Broken <not-an-email>", second, {"c.py": "c = 1\n"})
    history = mine_history(repo.root, IdentitySettings())
    assert history.commits == 3
    names = {ph.person.name for ph in history.people}
    assert "Nomail" in names and "Broken" in names
    latin = [ph.person for ph in history.people if ph.person.name.startswith("Jos")]
    assert latin and "\ufffd" in latin[0].name
    assert any("empty, malformed or placeholder author e-mail" in n for n in history.notes)
    assert any("non-UTF-8" in n for n in history.notes)
    nomail = next(i for i, ph in enumerate(history.people) if ph.person.name == "Nomail")
    assert history.people[nomail].person.id == "name:nomail"
    assert history.file_knowledge("a.py")[nomail].first_authorship
    graph = hand_built_graph(files={"a.py": "x", "b.py": "x", "c.py": "x"})
    add_knowledge(graph, history)
    import json
    json.dumps([n.props for n in graph.nodes.values()])  # everything stored is serialisable


def test_rename_then_path_reuse_and_modify_on_parallel_branch(tmp_path):
    repo = GitRepo(tmp_path / "par")
    ann, ben = ("Ann", "ann@example.com"), ("Ben", "ben@example.com")
    repo.commit({"pkg/old.py": "x = 1\n" * 30}, author=ann)
    repo.git("checkout", "-q", "-b", "side")
    repo.commit({"pkg/old.py": "x = 1\n" * 30 + "y = 2\n"}, author=ben)  # modifies the old name on a branch
    repo.git("checkout", "-q", "main")
    repo.rename("pkg/old.py", "pkg/new.py", author=ann)
    repo.git("merge", "-q", "--no-edit", "side")
    history = mine_history(repo.root)
    k = history.file_knowledge("pkg/new.py")
    ann_i = next(i for i, ph in enumerate(history.people) if ph.person.name == "Ann")
    ben_i = next(i for i, ph in enumerate(history.people) if ph.person.name == "Ben")
    assert k[ann_i].first_authorship and k[ann_i].deliveries == 1  # the rename is a delivery
    assert k[ben_i].deliveries == 1  # branch work on the old name follows the file
    assert repo.git("ls-files") == "pkg/new.py"


def test_progress_is_reported(tmp_path):
    repo = GitRepo(tmp_path / "p")
    for i in range(3):
        repo.commit({f"f{i}.py": "x\n"})
    calls = []
    mine_history(repo.root, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_configured_patterns_apply_while_mining_and_are_stored(team):
    root, _ = team
    history = mine_history(root, IdentitySettings(agents=["bob@example.com"], humans=["dependabot*"]))
    kinds = {ph.person.name: ph.person.kind for ph in history.people}
    assert kinds["Bob"] == "agent" and kinds["dependabot[bot]"] == "human"
    graph = hand_built_graph()
    add_knowledge(graph, history)
    bob = graph.node(Label.PERSON, "bob@example.com")
    assert not any(e.source == bob.id for e in graph.of_type(Rel.KNOWS))  # an agent knows nothing
    # w3 was committed by Bob: as an agent he gets no review credit, Carol (co-author) keeps hers
    w3 = [graph.nodes[e.source]["name"] for e in graph.of_type(Rel.KNOWS) if graph.nodes[e.target].key == "web/w3.py"]
    assert w3 == ["Carol"]
    assert graph.repository["identity_patterns"] == {"agents": ["bob@example.com"], "bots": [], "humans": ["dependabot*"]}


def test_a_co_author_who_is_the_author_is_no_reviewer_and_no_other_person(tmp_path):
    repo = GitRepo(tmp_path / "r")
    constantin = ("constantinblanariu", "42138913+constantinblanariu@users.noreply.github.com")
    yimin = ("Yimin Chen", "yimin.chen@live.com")
    # celery's f8668fcf: his work address as a co-author; temporal's: the address written after a login, no <>
    repo.commit({"rpc.py": "a\n"}, author=constantin, trailers=["Co-authored-by: blanariu <blanariu@adobe.com>"])
    repo.commit({"history.go": "a\n"}, author=yimin, trailers=["Co-authored-by: yiminc <yiminc yimin.chen@live.com>"])
    # a real co-author still reviews; a handle that also co-authored someone else's work is someone else
    repo.commit({"rpc.py": "b\n"}, author=constantin, trailers=["Co-authored-by: Dana Scully <dana@example.com>"])
    repo.commit({"other.py": "a\n"}, author=("Ann Smith", "ann@example.com"),
                trailers=["Co-authored-by: blanariu2 <blanariu2@example.com>"])
    repo.commit({"more.py": "a\n"}, author=("constantinblanariu2", "c2@example.com"),
                trailers=["Co-authored-by: blanariu2 <blanariu2@example.com>"])
    history = mine_history(repo.root, IdentitySettings())
    names = sorted(ph.person.name for ph in history.people)
    assert names == ["Ann Smith", "Dana Scully", "Yimin Chen", "blanariu2", "constantinblanariu", "constantinblanariu2"]
    blanariu = history.people[person(history, "constantinblanariu")]
    assert "blanariu@adobe.com" in blanariu.person.emails and blanariu.commits == 2
    assert "yimin.chen@live.com" in history.people[person(history, "Yimin Chen")].person.emails
    rpc = history.human_knowledge("rpc.py")
    assert rpc[person(history, "constantinblanariu")].reviews == 0
    assert rpc[person(history, "Dana Scully")].reviews == 1
    assert history.human_knowledge("history.go")[person(history, "Yimin Chen")].reviews == 0
    assert history.human_knowledge("other.py")[person(history, "blanariu2")].reviews == 1
    assert person(history, "blanariu2") not in history.human_knowledge("more.py")  # there, his own commit


def test_a_trailer_whose_brackets_hold_no_address_makes_no_email(tmp_path):
    """poetry's 9e1324e1f: ``Co-authored-by: finswimmer77@gmail.com <GiWahnsinn07!>`` — the address where the name
    goes, in the brackets what may be a password. The address is the co-author (here the author himself, so no
    reviewer); the bracket text is neither an e-mail nor a name. A name with no address in its brackets names
    nobody."""
    repo = GitRepo(tmp_path / "r")
    finswimmer = ("finswimmer", "finswimmer77@gmail.com")
    repo.commit({"help.py": "a\n"}, author=finswimmer, trailers=["Co-authored-by: finswimmer77@gmail.com <GiWahnsinn07!>"])
    repo.commit({"help.py": "b\n"}, author=("Ann Smith", "ann@example.com"),
                trailers=["Co-authored-by: Jane Roe <hunter2!>", "Co-authored-by: finswimmer77@gmail.com <x y!>"])
    history = mine_history(repo.root, IdentitySettings())
    assert sorted(ph.person.name for ph in history.people) == ["Ann Smith", "finswimmer"]
    found = history.people[person(history, "finswimmer")].person
    assert found.emails == ["finswimmer77@gmail.com"] and found.names == ["finswimmer"]
    assert not any("!" in alias for ph in history.people for alias in ph.person.aliases)
    knows = history.human_knowledge("help.py")
    assert knows[person(history, "finswimmer")].reviews == 1  # Ann's commit, which he co-wrote; not his own


def test_authors_a_converter_gave_none_at_none_stay_apart(tmp_path):
    """scrapy's Mercurial-converted history gave 14 authors (pablo, dgrana, elpolilla …) the address none@none: one
    person "elpolilla" of 420 commits held their knowledge. A placeholder address joins nobody; a real one still does."""
    repo = GitRepo(tmp_path / "converted")
    repo.commit({"a.py": "a = 1\n"}, author=("pablo", "none@none"), message="one")
    repo.commit({"b.py": "b = 1\n"}, author=("dgrana", "none@none"), message="two")
    repo.commit({"c.py": "c = 1\n"}, author=("elpolilla", "NONE@none"), message="three")
    repo.commit({"d.py": "d = 1\n"}, author=("Ann Root", "root@localhost"), message="four")
    repo.commit({"e.py": "e = 1\n"}, author=("Bo Root", "root@localhost"), message="five")
    repo.commit({"f.py": "f = 1\n"}, author=("Pablo Hoffman", "pablo@example.com"), message="six")
    repo.commit({"g.py": "g = 1\n"}, author=("P. Hoffman", "pablo@example.com"), message="seven")
    history = mine_history(repo.root, IdentitySettings())
    names = sorted(ph.person.name for ph in history.people)
    assert names == ["Ann Root", "Bo Root", "Pablo Hoffman", "dgrana", "elpolilla", "pablo"]
    assert not any("none@none" in ph.person.id or "root@localhost" in ph.person.id for ph in history.people)
    assert any("5 commit(s) with an empty, malformed or placeholder author e-mail" in n for n in history.notes)
