"""One review credit of a file whose changes are hardly ever reviewed is a little knowledge of it, not nine tenths of
its best author's.

pallets/flask: Christian Clauss (two commits, one ``Co-authored-by`` on src/flask/app.py, the only review credit the
file ever had) came first for changes of app.py, "reviewed src/flask/app.py (1 review)", as its most frequent
reviewer. A real repository of the same shape: Mia wrote app/core.py and changed it five more times, once with Tom
as co-author; Kim changed it twice; Tom made two commits elsewhere. Pat's fix of core.py is Mia's and Kim's to
review before Tom's.
"""

from __future__ import annotations

import json

from fixtures.cli import CliRunner

from cairn.api.cli import app
from fixtures.gitrepo import GitRepo, python_functions

MIA = ("Mia Maintainer", "mia@example.com")
KIM = ("Kim Keen", "kim@example.com")
TOM = ("Tom Trailer", "tom@example.com")
PAT = ("Pat Patch", "pat@example.com")


def _suggested(tmp_path_factory, root, repo: GitRepo, body: dict[str, str]) -> list[tuple[str, str]]:
    """(name, first reason) of the reviewers suggested for Pat's change of app/core.py, the repository ingested."""
    store = str(tmp_path_factory.mktemp("store"))
    result = CliRunner().invoke(app, ["ingest", str(root), "--store", store, "--name", "r"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    base = repo.head()
    repo.git("checkout", "-q", "-b", "fix", base)
    repo.commit({"app/core.py": body["app/core.py"] + "# fix\n" * 5}, author=PAT, date="2025-12-01T00:00:00+00:00")
    result = CliRunner().invoke(app, ["pr-check", "--repo", str(root), "--base", base, "--head", "fix",
                                      "--format", "json", "--store", store], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [(r["name"], r["reasons"][0]) for r in json.loads(result.stdout)["suggested_reviewers"]]


def test_one_co_author_trailer_on_a_file_hardly_ever_reviewed_does_not_come_before_its_authors(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    body = {"app/__init__.py": "", "app/core.py": python_functions("core"), "app/other.py": python_functions("other"),
            "docs/notes.txt": "notes\n"}
    repo.commit(dict(body), author=MIA, date="2025-01-10T00:00:00+00:00")

    def change(path: str, who: tuple[str, str], when: str, trailers: list[str] | None = None) -> None:
        body[path] += f"# {who[0]} {when}\n"
        repo.commit({path: body[path]}, author=who, date=when, trailers=trailers)

    for month in range(2, 6):
        change("app/core.py", MIA, f"2025-{month:02}-10T00:00:00+00:00")
    change("app/core.py", MIA, "2025-06-10T00:00:00+00:00", trailers=[f"Co-authored-by: {TOM[0]} <{TOM[1]}>"])
    for month in (7, 8):
        change("app/core.py", KIM, f"2025-{month:02}-10T00:00:00+00:00")
    for month in (9, 10):
        change("docs/notes.txt", TOM, f"2025-{month:02}-10T00:00:00+00:00")
    ranked = _suggested(tmp_path_factory, root, repo, body)
    # Tom, the file's only reviewer, was second at 0.48; his one review credit among its 8 changes, with 2 commits
    # and 1 touch of the area, is now worth 0.58 of an authorship (0.28), below Kim's 2 changes (0.37)
    assert ranked[:3] == [("Mia Maintainer", "made 75 % of the changes to app/core.py"), ("Kim Keen", "made 25 % of the changes to app/core.py"),
                          ("Tom Trailer", "reviewed app/core.py (1 review)")]

