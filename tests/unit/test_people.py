"""One person lookup (graph.people.PersonIndex), used by every place that names a person."""

from __future__ import annotations

import pytest

from cairn.graph.model import Label, Node, RepoGraph
from cairn.graph.people import KnowledgeHolder, PersonIndex, fold_name


def people() -> RepoGraph:
    g = RepoGraph("demo")
    g.add_node(Label.REPOSITORY, "demo")
    g.add_node(Label.PERSON, "jose@example.com", name="José O'Neil", emails=["jose@example.com", "Jose@Work.example"],
               aliases=["José O'Neil <jose@example.com>", "jon <jon@old.example>"], github="jose-gh", kind="human")
    g.add_node(Label.PERSON, "ada@example.com", name="Ada Lovelace", emails=["ada@example.com"],
               aliases=["Ada Lovelace <ada@example.com>"], owner_handles=["@ada"], kind="human")
    g.add_node(Label.PERSON, "name:ada", name="Ada", emails=["ada.b@example.com"], aliases=["Ada <ada.b@example.com>"], kind="human")
    g.add_node(Label.PERSON, "bot@example.com", name="Release Robot", emails=["bot@example.com"], kind="bot")
    return g


def keys(found: list[Node]) -> list[str]:
    return [n.key for n in found]


@pytest.mark.parametrize("text", [
    "José O'Neil", "jose o'neil", "JOSE ONEIL".replace("ONEIL", "O NEIL"), "  José   O’Neil ",  # name: case, accents, punctuation, spacing
    "jose@example.com", "JOSE@WORK.EXAMPLE", "jose@example.com".upper(),                   # e-mails
    "@jose-gh", "jose-gh", "12345+jose-gh@users.noreply.github.com",                        # logins, GitHub noreply
    "jon <jon@old.example>", "Whoever <jose@work.example>", "jon",                           # aliases, contacts
    "jose@example.com",                                                                     # the id
])
def test_every_name_a_person_goes_by_finds_them(text):
    assert keys(PersonIndex.of(people()).find(text)) == ["jose@example.com"]


def test_stronger_keys_win_and_ambiguity_is_visible():
    index = PersonIndex.of(people())
    assert keys(index.find("Ada <ada.b@example.com>")) == ["name:ada"]  # the e-mail decides, not the namesake
    assert keys(index.find("@ada")) == ["ada@example.com"]  # a CODEOWNERS handle is a login
    assert keys(index.find("ada")) == ["ada@example.com"]  # a bare word is a login before it is a name
    assert keys(index.find("ADA")) == ["ada@example.com"] and keys(index.find("Ada Lovelace")) == ["ada@example.com"]
    assert index.one("Nobody") is None and index.find("") == []
    two = people()
    two.add_node(Label.PERSON, "other", name="Jose O Neil", emails=["other@example.com"], kind="human")
    assert keys(PersonIndex.of(two).find("jose oneil".replace("oneil", "o neil"))) == ["jose@example.com", "other"]
    assert PersonIndex.of(two).one("José O'Neil") is None  # several: no guess


def test_unique_email_local_part_answers_a_handle():
    index = PersonIndex.of(people())
    assert keys(index.find("@bot")) == ["bot@example.com"]


def test_a_person_added_later_is_found():
    g = people()
    index = PersonIndex.of(g)
    grace = g.add_node(Label.PERSON, "grace@example.com", name="Grace Hopper", emails=["grace@example.com"], kind="human")
    index.add(grace)
    assert index.one("grace hopper") is grace and index.one("Grace <GRACE@example.com>") is grace


def test_fold_name_and_knowledge_holders_round_trip():
    assert fold_name("José  O'Neil") == "jose o neil"
    g = people()
    comp = g.add_node(Label.COMPONENT, "core", knowledge_holders=[KnowledgeHolder("Ada Lovelace", "ada@example.com", 3, 0.75).to_props()])
    assert KnowledgeHolder.of(comp) == [KnowledgeHolder("Ada Lovelace", "ada@example.com", 3, 0.75)]
    assert KnowledgeHolder.of(None) == []


def test_a_change_author_is_not_whoever_once_committed_their_name_from_another_address():
    """webpack: three commits authored "Sebastian Beltran <…+alexander-akait@users.noreply.github.com>" made the name
    one of Alexander Akait's; the reviewer suggestion then counted Akait as the author of each of Sebastian's changes
    and never asked him. A person split under one name and two addresses is still the author twice."""
    from cairn.queries.reviewers import change_authors

    g = RepoGraph("webpack")
    akait = "4567934+alexander-akait@users.noreply.github.com"
    g.add_node(Label.PERSON, akait, name="Alexander Akait", emails=[akait, "sheo13666q@gmail.com"],
               aliases=[f"Alexander Akait <{akait}>", f"Sebastian Beltran <{akait}>"], kind="human")
    g.add_node(Label.PERSON, "bjohansebas@gmail.com", name="Sebastian Beltran", emails=["bjohansebas@gmail.com"],
               aliases=["Sebastian Beltran <bjohansebas@gmail.com>"], kind="human")
    g.add_node(Label.PERSON, "jane@work.example", name="Jane Doe", emails=["jane@work.example"], kind="human")
    g.add_node(Label.PERSON, "jane@home.example", name="Jane Doe", emails=["jane@home.example"], kind="human")
    index = PersonIndex.of(g)
    ids = lambda *authors: sorted(g.nodes[i].key for i in change_authors(index, authors))  # noqa: E731
    assert ids(("Sebastian Beltran", "bjohansebas@gmail.com")) == ["bjohansebas@gmail.com"]
    assert ids(("Sebastian Beltran", akait)) == [akait, "bjohansebas@gmail.com"]
    assert ids(("Jane Doe", "jane@work.example")) == ["jane@home.example", "jane@work.example"]
    assert ids("Sebastian Beltran") == [akait, "bjohansebas@gmail.com"]  # a name alone: whoever goes by it
