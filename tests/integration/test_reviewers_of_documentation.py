"""Who knows a documentation or configuration file, which Cairn keeps no history for: the people of its own commits.

celery's docs commit aef7f130e (docs/userguide/tasks.rst) and dependabot's bump of requirements/extras/auth.txt
got only the repository's most active people, "nobody still here knows the changed files", though four active
people had edited tasks.rst in the year before and Asif Saif Uddin made 10 of auth.txt's 37 commits; who-knows
answered for tasks.rst with the authors of docs/'s Python files. A real repository of that shape: Mia writes the
code and docs/conf.py, Dora the guide (after Olaf, long gone), Rick and dependabot the requirements.
"""

from __future__ import annotations

import itertools
import json

import pytest
from fixtures.cli import CliRunner

from cairn.api.cli import app
from cairn.ingest.path_history import MAX_PATHS, latest_commits
from fixtures.gitrepo import GitRepo, python_functions

MIA = ("Mia Maintainer", "mia@example.com")
DORA = ("Dora Docs", "dora@example.com")
OLAF = ("Olaf Old", "olaf@example.com")
RICK = ("Rick Reqs", "rick@example.com")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
PAT = ("Pat Newcomer", "pat@example.com")


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    """(checkout, store, base commit, the files' contents at base) of the ingested repository."""
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    body = {"docs/guide.rst": "Guide\n=====\n"}
    repo.commit(dict(body), author=OLAF, date="2023-01-10T00:00:00+00:00")
    for month in range(2, 7):
        body["docs/guide.rst"] += f"Olaf's section {month}.\n"
        repo.commit({"docs/guide.rst": body["docs/guide.rst"]}, author=OLAF, date=f"2023-{month:02}-10T00:00:00+00:00")
    body.update({"pkg/__init__.py": "", "pkg/core.py": python_functions("core"), "docs/conf.py": "project = 'x'\n",
                 "requirements.txt": "requests==2.0\n", ".github/workflows/ci.yml": "on: push\n"})
    repo.commit(dict(body), author=MIA, date="2025-01-10T00:00:00+00:00")

    def change(path: str, who: tuple[str, str], when: str) -> None:
        body[path] += f"# {who[0]} {when}\n"
        repo.commit({path: body[path]}, author=who, date=when)

    for month in (3, 7, 10):
        change("docs/guide.rst", DORA, f"2025-{month:02}-10T00:00:00+00:00")
    for month in (5, 9):
        change("requirements.txt", RICK, f"2025-{month:02}-10T00:00:00+00:00")
    for month in (6, 8, 10):
        change("requirements.txt", BOT, f"2025-{month:02}-12T00:00:00+00:00")
    for month in range(2, 12):
        change("pkg/core.py", MIA, f"2025-{month:02}-20T00:00:00+00:00")
    store = str(tmp_path_factory.mktemp("store"))
    result = CliRunner().invoke(app, ["ingest", str(root), "--store", store, "--name", "r"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return repo, store, repo.head(), body


@pytest.fixture(scope="module")
def suggested(repository):
    """(name, first reason) of the reviewers suggested for a change of ``path`` by ``who``."""
    repo, store, base, body = repository
    changes = itertools.count()

    def suggest(path: str, who: tuple[str, str]) -> list[tuple[str, str]]:
        branch = f"change-{next(changes)}"
        repo.git("checkout", "-q", "-b", branch, base)
        repo.commit({path: body[path] + "more\n" * 5}, author=who, date="2025-12-01T00:00:00+00:00")
        repo.git("checkout", "-q", "main")
        result = CliRunner().invoke(app, ["pr-check", "--repo", str(repo.root), "--base", base, "--head", branch,
                                          "--format", "json", "--store", store], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return [(r["name"], r["reasons"][0]) for r in json.loads(result.stdout)["suggested_reviewers"]]

    return suggest


def test_a_documentation_change_goes_to_who_writes_the_file_now(suggested):
    # Olaf made 6 of its 9 commits, but left in 2023; Mia wrote docs/conf.py, not the guide
    assert suggested("docs/guide.rst", PAT) == [("Dora Docs", "changed docs/guide.rst in 3 of its 9 commits, last 2025-10-10")]


def test_a_dependency_bump_goes_to_the_humans_who_keep_the_requirements_never_to_the_bot(suggested):
    # Mia added the file a year ago, Rick changed it twice since: the bot's three bumps are nobody's knowledge
    assert suggested("requirements.txt", BOT) == [
        ("Rick Reqs", "changed requirements.txt in 2 of its 6 commits, last 2025-09-10"),
        ("Mia Maintainer", "changed requirements.txt in 1 of its 6 commits, last 2025-01-10")]


def test_when_nobody_who_may_review_made_the_files_commits_the_stand_ins_say_so_truly(suggested):
    """Mia changes the workflow only she ever changed (in no component): the repository's people stand in, and the
    reason says that Cairn keeps no history of the file, not that nobody knows it."""
    ranked = suggested(".github/workflows/ci.yml", MIA)
    assert ranked[0] == ("Dora Docs", "Cairn keeps no history of the changed files and nobody who may review made "
                                      "their latest commits; active in the repository (3 commits, last 2025-10-10)")
    assert "Mia Maintainer" not in [name for name, _ in ranked]


def test_who_knows_a_documentation_file_answers_from_its_own_commits(repository):
    _, store, _, _ = repository
    result = CliRunner().invoke(app, ["who-knows", "docs/guide.rst", "requirements.txt", "--format", "json",
                                      "--store", store], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    guide, requirements = json.loads(result.stdout)["paths"]
    assert guide["kind"] == "untracked" and guide["history"] == {"commits": 9, "latest": 100}
    assert [(h["person"], h["commits"], h["active"]) for h in guide["holders"]] == [
        ("Dora Docs", 3, True), ("Olaf Old", 6, False)]
    assert guide["ask"] == [{"person": "Dora Docs", "id": "dora@example.com",
                             "why": "changed it in 3 of its 9 commits, last 2025-10-10"}]
    assert [h["person"] for h in requirements["holders"]] == ["Rick Reqs", "Mia Maintainer"]


def test_a_files_latest_commits_follow_its_renames_and_are_bounded(tmp_path):
    repo = GitRepo(tmp_path)
    repo.commit({"doc/intro.txt": "Intro\n" * 20}, author=OLAF, date="2024-01-10T00:00:00+00:00")
    repo.rename("doc/intro.txt", "docs/intro.rst", author=DORA, date="2024-02-10T00:00:00+00:00")
    repo.commit({"docs/intro.rst": "Intro\n" * 20 + "More\n"}, author=DORA, date="2024-03-10T00:00:00+00:00")
    latest = latest_commits(tmp_path, repo.head(), ["docs/intro.rst", "docs/none.rst"])
    assert [(c.name, c.when) for c in latest["docs/intro.rst"]] == [
        ("Dora Docs", "2024-03-10T00:00:00+00:00"), ("Dora Docs", "2024-02-10T00:00:00+00:00"),
        ("Olaf Old", "2024-01-10T00:00:00+00:00")]
    assert latest["docs/none.rst"] == []
    assert len(latest_commits(tmp_path, None, [f"docs/{i}.rst" for i in range(MAX_PATHS + 5)])) == MAX_PATHS
    assert latest_commits(tmp_path, "0" * 40, ["docs/intro.rst"]) == {}  # a commit git does not hold: nothing said
