"""A trailer that names the commit's own author under an identity only resolution joins to him gives no review
credit (helix's 6997ee915: Ricardo Fernández Serrata ``<…+Rudxain@users.noreply.github.com>`` co-authored by
``Rudxain <rudxain@localhost.localdomain>``; Nik Revenco's two GitHub logins on one numeric id)."""

from __future__ import annotations

from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history
from cairn.ingest.history_state import StateFile
from cairn.ingest.identities import co_author_is_author
from fixtures.gitrepo import GitRepo

RICARDO = ("Ricardo Fernández Serrata", "76864299+Rudxain@users.noreply.github.com")
RUDXAIN = ("Rudxain", "rudxain@localhost.localdomain")
NIK = ("Nik Revenco", "154856872+nik-rev@users.noreply.github.com")
NIKITA = ("Nikita Revenco", "154856872+NikitaRevenco@users.noreply.github.com")
DANA = ("Dana Scully", "dana@example.com")
RUDXAIN_ON_GITHUB = ("Rudxain", RICARDO[1])  # his 03e44fbba: the name that joins the trailer's identity to him
NIK_AS_NIKITA = ("Nik Revenco", NIKITA[1])  # as in e844a4365: the address that joins his two logins


def _trailer(who: tuple[str, str]) -> str:
    return f"Co-authored-by: {who[0]} <{who[1]}>"


def _reviews(history, path):
    return {history.people[i].person.name: k.reviews for i, k in history.human_knowledge(path).items()}


def _build(repo: GitRepo) -> None:
    repo.commit({"README.md": "a\n"}, author=RUDXAIN_ON_GITHUB)
    repo.commit({"NOTES.md": "a\n"}, author=NIK_AS_NIKITA)
    repo.commit({"client.rs": "a\n"}, author=RICARDO, trailers=[_trailer(RUDXAIN)])
    repo.commit({"keymap.rs": "a\n"}, author=NIK, trailers=[_trailer(NIKITA)])
    repo.commit({"keymap.rs": "b\n", "client.rs": "b\n"}, author=NIKITA, trailers=[_trailer(DANA)])


def test_a_co_author_resolved_into_the_author_is_no_reviewer(tmp_path):
    repo = GitRepo(tmp_path / "r")
    _build(repo)
    # what the reading cannot tell from the identities alone: resolution does
    assert not co_author_is_author(RUDXAIN, RICARDO) and not co_author_is_author(NIKITA, NIK)
    history = mine_history(repo.root, IdentitySettings())
    people = {ph.person.name: sorted(ph.person.emails) for ph in history.people}
    assert "rudxain@localhost.localdomain" in people["Ricardo Fernández Serrata"]
    assert len([name for name in people if "Revenco" in name]) == 1
    nik = next(name for name in people if "Revenco" in name)
    assert _reviews(history, "client.rs") == {"Ricardo Fernández Serrata": 0, nik: 0, "Dana Scully": 1}
    assert _reviews(history, "keymap.rs") == {nik: 0, "Dana Scully": 1}


def test_a_re_ingest_whose_new_commit_joins_the_identities_takes_back_the_remembered_credit(tmp_path):
    # (a name no login of the history spells, so only the later commit joins it: identity rule 18 joins "Rudxain" at
    # once, as the login of Ricardo's noreply address)
    rudy, rudy_on_github = ("Rudy Xain", RUDXAIN[1]), ("Rudy Xain", RICARDO[1])
    repo = GitRepo(tmp_path / "r")
    repo.commit({"client.rs": "a\n"}, author=RICARDO, trailers=[_trailer(rudy)])
    memory = StateFile(tmp_path / "state", repo.root)
    first = mine_history(repo.root, IdentitySettings(), memory=memory)
    memory.save(first.state)
    assert _reviews(first, "client.rs") == {"Ricardo Fernández Serrata": 0, "Rudy Xain": 1}  # two people, so far
    repo.commit({"README.md": "a\n"}, author=rudy_on_github)
    again = mine_history(repo.root, IdentitySettings(), memory=memory)
    assert again.mined == "incremental"
    # one person now (named by either name), no reviewer of his own change, as a cold read has it
    assert list(_reviews(again, "client.rs").values()) == [0]
    assert _reviews(mine_history(repo.root, IdentitySettings()), "client.rs") == _reviews(again, "client.rs")


def test_a_co_author_with_the_authors_github_account_number_under_another_login_is_no_reviewer(tmp_path):
    """Nik Revenco's 2baff46b2, by ``154856872+nik-rev``, co-authored by ``154856872+NikitaRevenco``: one account
    renamed (one person now, identity rule 4), whose only review is of Dana's change."""
    repo = GitRepo(tmp_path / "r")
    repo.commit({"keymap.rs": "a\n"}, author=NIK, trailers=[_trailer(NIKITA)])
    repo.commit({"keymap.rs": "b\n"}, author=DANA, trailers=[_trailer(NIKITA)])
    history = mine_history(repo.root, IdentitySettings())
    reviews = _reviews(history, "keymap.rs")
    assert len(reviews) == 2 and reviews.pop("Dana Scully") == 0 and list(reviews.values()) == [1]
