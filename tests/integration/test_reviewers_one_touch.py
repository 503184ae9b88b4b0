"""One small touch of a file does not rank its maker as a reviewer above the people who built the file.

reduxjs/redux-toolkit: a contributor whose only touch of the RTK Query files was a one-line JSDoc fix came before
Lenz Weber, who wrote most of the files the change touched, years ago ("wrote 2 % of …/listenerMiddleware/types.ts",
"knows packages/toolkit/src/query/ (1 other file)"): the DOA's constant gives one delivery a third of the best
author's DOA, fresh, against the builder's faded work. A real repository of the same shape: Lena wrote lib/ (core.py
in 21 commits, other.py in 5) in 2022-23 and works elsewhere since, Mark has changed core.py ten times since 2024,
and Dora changed one line of core.py last week (and one of two other files before).
"""

from __future__ import annotations


import pytest

from fixtures.gitrepo import GitRepo, python_functions
from fixtures.reviewer_checks import reviewers_of_changes

LENA = ("Lena Builder", "lena@example.com")
MARK = ("Mark Maintainer", "mark@example.com")
DORA = ("Dora Docfix", "dora@example.com")
PAT = ("Pat Patch", "pat@example.com")


@pytest.fixture(scope="module")
def suggested(tmp_path_factory):
    """The names of the reviewers suggested for Pat's change of a path, best first."""
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    body = {"lib/__init__.py": "", "lib/core.py": python_functions("core"), "lib/other.py": python_functions("other"),
            "tools/build.py": python_functions("build"), "docs/guide.py": python_functions("guide")}
    repo.commit(dict(body), author=LENA, date="2022-01-05T00:00:00+00:00")

    def change(path: str, who: tuple[str, str], when: str) -> None:
        body[path] += f"# {who[0]} {when}\n"
        repo.commit({path: body[path]}, author=who, date=when)

    for k in range(20):
        change("lib/core.py", LENA, f"{2022 + k // 12}-{k % 12 + 1:02}-10T00:00:00+00:00")
    for month in range(1, 5):
        change("lib/other.py", LENA, f"2023-{month:02}-20T00:00:00+00:00")
    for month in range(8, 11):
        change("tools/build.py", LENA, f"2025-{month:02}-01T00:00:00+00:00")
    for k in range(10):
        change("lib/core.py", MARK, f"2024-{k + 1:02}-15T00:00:00+00:00" if k < 9 else "2025-09-15T00:00:00+00:00")
    change("docs/guide.py", DORA, "2025-11-01T00:00:00+00:00")
    change("tools/build.py", DORA, "2025-11-10T00:00:00+00:00")
    change("lib/core.py", DORA, "2025-11-20T00:00:00+00:00")
    checked = reviewers_of_changes(repo, tmp_path_factory.mktemp("store"), body, PAT, "2025-11-25T00:00:00+00:00")
    return lambda path: [r["name"] for r in checked(path)]


def test_one_line_fix_of_the_file_does_not_come_before_its_builder(suggested):
    # Dora's one delivery of core.py's 31 was 0.34 of Lena's DOA: 0.23 fresh, before Lena's 0.20 (her work 2.3 years
    # old); it is 0.04 of what Lena's own work earned, worth three times that (0.11; 0.07 believed of someone with
    # three commits), under the tenth of the file's best author that knowing a change asks
    assert suggested("lib/core.py") == ["Mark Maintainer", "Lena Builder"]


def test_one_line_fix_of_another_file_is_not_knowing_the_directory(suggested):
    # other.py is Lena's alone: Dora "knew lib/ (1 other file)" from her one line of core.py, 0.17 before Lena's 0.16
    assert suggested("lib/other.py") == ["Mark Maintainer", "Lena Builder"]
