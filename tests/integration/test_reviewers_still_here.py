"""A reviewer's authorship of a file is weighed beside the best author still here, and the reasons name their work.

celery/celery: Ask Solem wrote celery/canvas.py and left in 2016; Tomer Nosrati, who made 28 of its changes since and
is its best author still active, counted 0.18 of Ask's DOA, under one co-author trailer's worth. pydantic/pydantic:
Victorien, 21 commits to pydantic/mypy.py, "reviewed pydantic/mypy.py (5 reviews)"; David Montague, who created it,
"knows pydantic/ (32 other files, 113 reviews)".
A real repository of the same shape: Ada built lib/ in 2019-20 and left. Tom has changed engine.py eight times
this year, Dave co-authoring each; Dan, two commits elsewhere, is named once as a co-author of a change of it; Ned
changed a line of gears.py last month. Vic changed parts.py five times and co-authored six of Mia's changes of it.
Dave wrote wheel.py in 2021.
"""

from __future__ import annotations

import functools

import pytest

from fixtures.gitrepo import GitRepo, python_functions
from fixtures.reviewer_checks import reviewers_of_changes

ADA = ("Ada Founder", "ada@example.com")
TOM = ("Tom Steward", "tom@example.com")
DAN = ("Dan Driveby", "dan@example.com")
VIC = ("Vic Veteran", "vic@example.com")
MIA = ("Mia Maker", "mia@example.com")
DAVE = ("Dave Wheeler", "dave@example.com")
NED = ("Ned Newcomer", "ned@example.com")
PAT = ("Pat Patch", "pat@example.com")


def trailer(who: tuple[str, str]) -> list[str]:
    return [f"Co-authored-by: {who[0]} <{who[1]}>"]


@pytest.fixture(scope="module")
def suggested(tmp_path_factory):
    """The suggested reviewers (name, reasons) of Pat's change of a path, best first."""
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    body = {"lib/__init__.py": "", "lib/engine.py": python_functions("engine"), "lib/parts.py": python_functions("parts"),
            "lib/gears.py": python_functions("gears"), "tools/build.py": python_functions("build")}
    repo.commit(dict(body), author=ADA, date="2019-01-05T00:00:00+00:00")

    def change(path: str, who: tuple[str, str], when: str, trailers: list[str] | None = None) -> None:
        body[path] = body.get(path, python_functions(path.rsplit("/", 1)[-1][:-3])) + f"# {who[0]} {when}\n"
        repo.commit({path: body[path]}, author=who, date=when, trailers=trailers)

    for k in range(24):
        change("lib/engine.py", ADA, f"{2019 + k // 12}-{k % 12 + 1:02}-10T00:00:00+00:00")
    for month in range(2, 12):
        change("lib/parts.py", ADA, f"2019-{month:02}-20T00:00:00+00:00")
    for month in range(2, 12):
        change("lib/gears.py", ADA, f"2020-{month:02}-05T00:00:00+00:00")
    for month in range(1, 11):
        change("lib/wheel.py", DAVE, f"2021-{month:02}-12T00:00:00+00:00")
    for month in range(1, 5):
        change("tools/build.py", TOM, f"2025-{month:02}-03T00:00:00+00:00")
    for day in range(1, 9):
        change("lib/engine.py", TOM, f"2025-06-{day:02}T00:00:00+00:00", trailer(DAVE))
    for month in range(3, 8):
        change("lib/parts.py", VIC, f"2025-{month:02}-15T00:00:00+00:00")
    for month in range(5, 11):
        change("lib/parts.py", MIA, f"2025-{month:02}-25T00:00:00+00:00", trailer(VIC))
    change("tools/build.py", DAN, "2025-10-01T00:00:00+00:00")
    change("tools/build.py", DAN, "2025-10-15T00:00:00+00:00")
    change("lib/engine.py", MIA, "2025-11-20T00:00:00+00:00", trailer(DAN))
    change("tools/build.py", NED, "2025-11-01T00:00:00+00:00")
    change("lib/gears.py", NED, "2025-11-02T00:00:00+00:00")
    checked = reviewers_of_changes(repo, tmp_path_factory.mktemp("store"), body, PAT, "2025-11-25T00:00:00+00:00")
    return functools.cache(lambda path: [(r["name"], r["reasons"]) for r in checked(path)])


def test_authorship_is_weighed_beside_the_best_author_still_here(suggested):
    # beside Ada's DOA (her 25 changes, gone since 2020) Tom's eight changes of engine.py were under half of it: he came
    # last (0.31), after Dan's one trailer (0.32); the best author still here is he (0.51, his own work on the file
    # tripled beside Ada's, its most). Ned's one change of gears.py, all Ada's, is under a tenth of her own work there:
    # were he its full author, the best still here, he would "know lib/ (1 other file)" at 0.43
    reviewers = suggested("lib/engine.py")
    assert [name for name, _ in reviewers] == ["Dave Wheeler", "Vic Veteran", "Mia Maker", "Tom Steward", "Dan Driveby"]
    assert dict(reviewers)["Tom Steward"] == ["made 24 % of the changes to lib/engine.py"]


def test_the_reason_names_work_on_the_file_before_reviews_of_it(suggested):
    # Vic's six co-author trailers weighed more than his five changes: "reviewed lib/parts.py (6 reviews)"
    assert dict(suggested("lib/parts.py"))["Vic Veteran"] == ["made 23 % of the changes to lib/parts.py and reviewed it (6 reviews)"]


def test_the_reason_names_work_on_the_file_before_its_directory(suggested):
    # Dave's reviews of engine.py this year weighed more than wheel.py, his alone, of 2021: he "knew lib/ (1 other file,
    # 8 reviews)"; and Mia, one change of engine.py, "knew lib/ (1 other file)", her six of parts.py weighing more
    assert dict(suggested("lib/wheel.py"))["Dave Wheeler"] == ["made 100 % of the changes to lib/wheel.py",
                                                               "knows lib/ (1 other file, 8 reviews)"]
    assert dict(suggested("lib/engine.py"))["Mia Maker"] == ["made 3 % of the changes to lib/engine.py", "knows lib/ (1 other file)"]
