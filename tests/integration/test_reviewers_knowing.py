"""Suggested reviewers know the change: people who wrote one or two other files of a large folder do not.

Textualize/rich: Will McGugan's fix of rich/cells.py (its other author inactive) was suggested to five people with
one commit each to another file of rich/ ("knows rich/ (2 other files)"). A real repository of the same shape: Mia
wrote pkg/ (43 files) and changed core.py four more times, Kim changed core.py twice, and three drive-by contributors
fixed one other file of pkg/ each, last. Knowing a change is knowing one of its files at ``MIN_KNOWLEDGE``.
"""

from __future__ import annotations


import pytest

from fixtures.gitrepo import GitRepo, python_functions
from fixtures.reviewer_checks import reviewers_of_changes

MIA = ("Mia Maintainer", "mia@example.com")
KIM = ("Kim Keen", "kim@example.com")
DRIVE_BYS = (("Dan Drive", "dan@example.com"), ("Eve Once", "eve@example.com"), ("Fred Fly", "fred@example.com"))


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """The ingested repository's suggested reviewers (name, first reason) for a change of Mia's to a path."""
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    body = {f"pkg/m{i:02}.py": python_functions(f"m{i:02}") for i in range(40)}
    body.update({"pkg/__init__.py": "", "pkg/core.py": python_functions("core"), "pkg/solo.py": python_functions("solo")})
    repo.commit(dict(body), author=MIA, date="2025-01-10T00:00:00+00:00")

    def change(path: str, who: tuple[str, str], when: str) -> None:
        body[path] += f"# {who[0]} {when}\n"
        repo.commit({path: body[path]}, author=who, date=when)

    for month in range(2, 6):
        change("pkg/core.py", MIA, f"2025-{month:02}-10T00:00:00+00:00")
    for month in (6, 7):
        change("pkg/core.py", KIM, f"2025-{month:02}-10T00:00:00+00:00")
    for k, who in enumerate(DRIVE_BYS):
        change(f"pkg/m{5 + 7 * k:02}.py", who, f"2025-11-{10 + k}T00:00:00+00:00")
    checked = reviewers_of_changes(repo, tmp_path_factory.mktemp("store"), body, MIA, "2025-12-01T00:00:00+00:00",
                                   added="# more\n" * 5)
    # (name, first reason) of the reviewers suggested for Mia's change of a path
    return lambda path: [(r["name"], r["reasons"][0]) for r in checked(path)]


def test_who_wrote_one_other_file_of_a_large_folder_does_not_follow_who_knows_the_file(checked):
    # the drive-by contributors know pkg/ at about 0.07 of core.py's best author: over a tenth of Kim's score
    assert checked("pkg/core.py") == [("Kim Keen", "made 29 % of the changes to pkg/core.py")]


def test_a_file_nobody_but_its_author_knows_gets_the_repositorys_people_saying_so(checked):
    """rich/cells.py: nobody still here but the change's author knows solo.py, and one other file of 42 is not
    knowing pkg/ (Kim's two changes of core.py neither): the repository's active people stand in and say so."""
    ranked = checked("pkg/solo.py")
    assert ranked == [
        ("Kim Keen", "nobody still here knows the changed files; active in the repository (2 commits, last 2025-07-10)"),
        ("Dan Drive", "nobody still here knows the changed files; active in the repository (1 commit, last 2025-11-10)"),
        ("Eve Once", "nobody still here knows the changed files; active in the repository (1 commit, last 2025-11-11)")]
