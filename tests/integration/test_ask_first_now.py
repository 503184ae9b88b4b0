"""Whom to ask first now: recent work weighs, authorship of many files still counts, a declared owner who left is
no answer (``who_knows.people_to_ask``, shared by who-knows, the briefing and the bus factor's ``ask_first``).

On prometheus ``web/ui/module`` named an active author of one file (one commit) and not the maintainer who changed
9 of its files in 17 commits this year; ``template`` named first who last touched it in 2017. A real repository,
its newest commit of 2026-06-01 (180 inactive days: Fay, 2020, is gone):

* Fay wrote ``web/__init__.py`` and ``a.py``…``d.py`` in 2020 and changed a…d in 12 more commits each; she is the
  declared owner of ``web/``;
* Olaf changed a, b, c and d three times each in 2021 (12 commits to 4 files) and is still here (``other/``);
* Ann wrote ``web/f.py``…``i.py`` a year before the newest commit (and is still here, ``other/``);
* Vic changed a, b and c twice each in 2026-03 (6 commits to 3 files);
* Dee wrote ``web/e.py`` in 2026-05 (one commit).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.queries.briefing import briefing
from cairn.queries.who_knows import (
    ASK_AUTHOR_COMMITS, ASK_HALF_LIFE_DAYS, KnowledgeIndex, Scope, people_to_ask, recent_weight, who_knows,
)
from fixtures.gitrepo import GitRepo, python_functions

FAY = ("Fay Founder", "fay@example.com")
OLAF = ("Olaf Olden", "olaf@example.com")
ANN = ("Ann Author", "ann@example.com")
VIC = ("Vic Recent", "vic@example.com")
DEE = ("Dee Single", "dee@example.com")


def _source(name: str) -> str:
    return python_functions(name, 30)


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    repo = GitRepo(tmp_path_factory.mktemp("repo"))
    body = {f"web/{n}.py": _source(n) for n in "abcd"}
    repo.commit({".github/CODEOWNERS": "web/ @fay\n", "web/__init__.py": "", **body}, author=FAY,
                date="2020-01-01T00:00:00+00:00")

    def change(names: str, who: tuple[str, str], when: str) -> None:
        for n in names:
            body[f"web/{n}.py"] += f"# {who[0]} {when}\n"
        repo.commit({f"web/{n}.py": body[f"web/{n}.py"] for n in names}, author=who, date=when)

    for month in range(1, 13):
        change("abcd", FAY, f"2020-{month:02d}-15T00:00:00+00:00")
    for month in (1, 2, 3):
        change("abcd", OLAF, f"2021-{month:02d}-10T00:00:00+00:00")
    repo.commit({f"web/{n}.py": _source(n) for n in "fghi"}, author=ANN, date="2025-06-01T00:00:00+00:00")
    for day in (1, 2):
        change("abc", VIC, f"2026-03-{day:02d}T00:00:00+00:00")
    repo.commit({"web/e.py": _source("e")}, author=DEE, date="2026-05-01T00:00:00+00:00")
    repo.commit({"other/__init__.py": "", "other/x.py": _source("x")}, author=OLAF, date="2026-05-20T00:00:00+00:00")
    repo.commit({"other/y.py": _source("y")}, author=ANN, date="2026-06-01T00:00:00+00:00")
    store = open_store(str(tmp_path_factory.mktemp("store")))
    try:
        ingest_into_store(store, repo.root)
        return store.load(repo.root.name)
    finally:
        store.close()


def ask_all(graph, path: str) -> list[str]:
    index = KnowledgeIndex.of(graph)
    scope = index.scope(path)
    return [a["person"] for a in people_to_ask(index, scope.files, index.codeowners(scope), limit=10)]


def test_the_holders_are_as_the_scenario_says(graph):
    holders = {h["person"]: (h["active"], h["authored"], h["touched"], h["commits"])
               for h in who_knows(graph, ["web"], limit=10)["paths"][0]["holders"]}
    assert holders == {"Fay Founder": (False, 5, 5, 53), "Ann Author": (True, 4, 4, 4), "Olaf Olden": (True, 0, 4, 12),
                       "Vic Recent": (True, 0, 3, 6), "Dee Single": (True, 1, 1, 1)}


def test_recent_work_comes_before_a_single_authored_file_and_old_work(graph):
    # the table's order (authored, touched, commits) asked Ann, Dee (author of 1 file), then Olaf (2021) before Vic:
    # now Ann's 4 authored files of a year ago, Vic's 6 commits of March, Dee's one file of May, Olaf's 2021 last
    assert ask_all(graph, "web") == ["Ann Author", "Vic Recent", "Dee Single", "Olaf Olden"]
    asked = who_knows(graph, ["web"])["paths"][0]["ask"]
    assert asked == [
        {"person": "Ann Author", "id": "ann@example.com", "why": "author of 4 of the files, changed 4 in 4 file changes, last 2025-06-01"},
        {"person": "Vic Recent", "id": "vic@example.com", "why": "changed 3 of the files in 6 file changes, last 2026-03-02"},
        {"person": "Dee Single", "id": "dee@example.com", "why": "author of 1 of the files, changed 1 in 1 commit, last 2026-05-01"}]


def test_of_one_file_recent_commits_come_before_more_old_ones(graph):
    # a.py: Olaf's 3 commits of 2021 outnumber Vic's 2 of 2026; Fay, its author, is gone
    assert ask_all(graph, "web/a.py") == ["Vic Recent", "Olaf Olden"]
    assert who_knows(graph, ["web/a.py"])["paths"][0]["ask"][0]["why"] == "changed it in 2 commits, last 2026-03-02"


def test_a_declared_owner_who_left_is_not_asked_but_still_shown_as_owner(graph):
    answer = who_knows(graph, ["web/d.py"])["paths"][0]
    assert [a["person"] for a in answer["ask"]] == ["Olaf Olden"]  # there was room for "@fay": she left
    assert [o["owner"] for o in answer["codeowners"]] == ["@fay"]


def test_who_knows_the_briefing_and_ask_first_give_one_answer(graph):
    from cairn.queries.who_knows import ask_first

    index = KnowledgeIndex.of(graph)
    files = index.scope("web").files
    assert ask_first(index, files) == who_knows(graph, ["web"])["paths"][0]["ask"]
    assert ask_first(index, files) == people_to_ask(index, files, index.codeowners(Scope("web", "directory", files)))
    assert briefing(graph, paths=["web"])["ask"] == ask_first(index, files)
    assert ask_first(index, files[::-1]) == ask_first(index, files)  # (the weights are summed in one order)


def test_work_halves_in_weight_every_half_life():
    newest = datetime(2026, 6, 1)
    assert recent_weight(4, False, newest, newest) == 4
    assert recent_weight(4, False, newest - timedelta(days=ASK_HALF_LIFE_DAYS), newest) == pytest.approx(2)
    assert recent_weight(1, True, newest - timedelta(days=2 * ASK_HALF_LIFE_DAYS), newest) == pytest.approx(
        (1 + ASK_AUTHOR_COMMITS) / 4)
    assert recent_weight(5, True, None, newest) == 5 + ASK_AUTHOR_COMMITS
