"""Whom ``who_knows`` says to ask about one file: by their commits to it (an author's count more), not the latest.

On prometheus the people to ask about ``tsdb/head.go`` were whoever changed it last (one commit each), ahead of the
maintainer with 65 commits to it, because each had "changed 1 of the files". A real repository: Ada writes
``core.py``; Bob, its declared owner, changes it six times in February; Cid once, in March.
"""

from __future__ import annotations

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.queries.who_knows import who_knows
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
CID = ("Cid Newman", "cid@example.com")


def test_the_people_to_ask_about_a_file_are_ranked_by_their_commits_to_it(tmp_path):
    repo = GitRepo(tmp_path / "r")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(30))
    repo.commit({"core.py": body, "CODEOWNERS": "core.py @bob\n"}, author=ADA, date="2024-01-01T12:00:00+00:00")
    for day in range(2, 11):
        body += f"# ada {day}\n"
        repo.commit({"core.py": body}, author=ADA, date=f"2024-01-{day:02d}T12:00:00+00:00")
    for day in range(1, 7):
        body += f"# bob {day}\n"
        repo.commit({"core.py": body}, author=BOB, date=f"2024-02-{day:02d}T12:00:00+00:00")
    repo.commit({"core.py": body + "# cid\n"}, author=CID, date="2024-03-01T12:00:00+00:00")
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, repo.root)

    answer = who_knows(store.load("r"), ["core.py"])["paths"][0]
    holders = [(h["person"], h["authored"], h["commits"]) for h in answer["holders"]]
    assert holders == [("Ada Lovelace", 1, 10), ("Bob Builder", 0, 6), ("Cid Newman", 0, 1)]
    ask = answer["ask"]
    assert [a["person"] for a in ask] == ["Ada Lovelace", "Bob Builder", "Cid Newman"]
    # the list is full before the declared owners are looked at: Bob is said to be one all the same
    assert ask[0]["why"] == "author of the file (10 commits), last 2024-01-10"
    assert ask[1]["why"] == "changed it in 6 commits, last 2024-02-06; declared owner in CODEOWNERS"
    assert ask[2]["why"] == "changed it in 1 commit, last 2024-03-01"
