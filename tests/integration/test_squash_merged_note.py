"""A history mostly of squash-merged pull requests says that its reviews are not in git, until some are imported.

GitHub's squash (and rebase) merges leave a commit "Fix the parser (#1234)" by the pull request's author: who reviewed
and merged it is nowhere in git, so the human truck factor and the knowledge holders count authors alone (gin's
maintainer of six years, Bo-Yi Wu, held none of its files). The bus-factor report says so, and how to add the reviews.
"""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest.reviews import add_review_records
from cairn.queries.ownership import bus_factor
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")


def _history(root, squashed: int, plain: int) -> GitRepo:
    repo = GitRepo(root)
    for i in range(plain):
        repo.commit({"app/core.py": f"X = {i}\n"}, message=f"work {i}", author=ADA, date=f"2024-01-01T{i % 24:02d}:00:00+00:00")
    for i in range(squashed):
        repo.commit({"app/views.py": f"Y = {i}\n"}, message=f"Fix view {i} (#{100 + i})\n\nSome body.",
                    author=BOB, date=f"2024-02-{1 + i // 24:02d}T{i % 24:02d}:00:00+00:00")
    return repo


def _note(report) -> list[str]:
    return [n for n in report["repository"]["notes"] if "squash-merged pull requests" in n]


@pytest.fixture(scope="module")
def squashed(tmp_path_factory):
    base = tmp_path_factory.mktemp("squashed")
    repo = _history(base / "repo", squashed=60, plain=40)
    ingest_into_store(open_store(str(base / "store")), repo.root)
    return open_store(str(base / "store")).load("repo")


def test_a_history_of_squash_merged_pull_requests_says_its_reviews_are_not_in_git(squashed):
    assert squashed.repository.get("squash_merged") == 60
    (note,) = _note(bus_factor(squashed))
    assert note.startswith("60 of 100 commits are squash-merged pull requests") and "cairn reviews import" in note


def test_imported_reviews_silence_it(squashed):
    add_review_records(squashed, [{"reviewer": "Ada Lovelace <ada@example.com>", "files": ["app/views.py"],
                                   "pull_request": "#101", "submitted_at": "2024-02-02T00:00:00Z"}])
    assert _note(bus_factor(squashed)) == []


def test_a_few_squashed_commits_say_nothing(tmp_path):
    repo = _history(tmp_path / "repo", squashed=30, plain=10)  # three quarters, but fewer than fifty
    ingest_into_store(open_store(str(tmp_path / "store")), repo.root)
    assert _note(bus_factor(open_store(str(tmp_path / "store")).load("repo"))) == []


def test_the_share_and_the_count_both_decide():
    from cairn.graph.model import Label, RepoGraph
    from cairn.queries.ownership import squash_merged_note

    def note(squashed: int, commits: int) -> list[str]:
        graph = RepoGraph("r")
        return squash_merged_note(graph.add_node(Label.REPOSITORY, "r", squash_merged=squashed, commits=commits))

    assert note(50, 250) and not note(49, 60) and not note(50, 251)  # a fifth of the commits, and fifty at least
    assert squash_merged_note(None) == []
