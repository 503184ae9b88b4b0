"""A change's author is not suggested to review it under another identity Cairn keeps apart: mitmproxy's 6fa0a50ac
by "tbodt <tblodt@icloud.com>" suggested "tbodt (tbodt@tbodt.com)" (one-word names never merge; the second bears
an address beside the name), and a likely duplicate of the author ("Jamie B" beside Jamie Byers) is left out too."""

from __future__ import annotations

import json

from fixtures.cli import CliRunner

from cairn.api.cli import app
from fixtures.gitrepo import GitRepo, python_functions

MIA = ("Mia Maintainer", "mia@example.com")
TBODT = ("tbodt", "tblodt@icloud.com")
TBODT_ELSEWHERE = ("tbodt", "tbodt@tbodt.com")
JAMIE = ("Jamie Byers", "jamie.byers@guardian.example")
JAMIE_B = ("Jamie B", "jamieb@home.example")


def _suggested(store: str, repo: GitRepo, base: str, branch: str, author: tuple[str, str]) -> list[str]:
    repo.git("checkout", "-q", "-b", branch, base)
    repo.commit({"app/core.py": python_functions("core") + f"# {branch}\n" * 5}, author=author, date="2025-12-01T00:00:00+00:00")
    result = CliRunner().invoke(app, ["pr-check", "--repo", str(repo.root), "--base", base, "--head", branch,
                                      "--format", "json", "--store", store], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [r["name"] for r in json.loads(result.stdout)["suggested_reviewers"]]


def test_the_author_under_another_identity_is_not_suggested(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    repo.commit({"app/core.py": python_functions("core")}, author=MIA, date="2025-01-01T00:00:00+00:00")
    repo.commit({"app/core.py": python_functions("core") + "# a\n"}, author=TBODT_ELSEWHERE, date="2025-02-01T00:00:00+00:00")
    repo.commit({"app/core.py": python_functions("core") + "# b\n"}, author=JAMIE_B, date="2025-03-01T00:00:00+00:00")
    repo.commit({"lib/other.py": python_functions("other")}, author=TBODT, date="2025-04-01T00:00:00+00:00")
    repo.commit({"lib/other.py": python_functions("other") + "# c\n"}, author=TBODT, date="2025-05-01T00:00:00+00:00")
    repo.commit({"lib/third.py": python_functions("third")}, author=JAMIE, date="2025-06-01T00:00:00+00:00")
    store = str(tmp_path_factory.mktemp("store"))
    result = CliRunner().invoke(app, ["ingest", str(root), "--store", store, "--name", "r"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    people = json.loads(CliRunner().invoke(app, ["people", "--store", store, "--format", "json"]).stdout)
    assert {p["name"] for p in people["people"]} >= {"tbodt", "tbodt (tbodt@tbodt.com)", "Jamie B", "Jamie Byers"}
    base = repo.head()
    assert _suggested(store, repo, base, "tbodt-fix", TBODT) == ["Mia Maintainer", "Jamie B"]
    assert _suggested(store, repo, base, "jamie-fix", JAMIE) == ["Mia Maintainer", "tbodt (tbodt@tbodt.com)"]
    # somebody else's change: all three are suggested
    assert set(_suggested(store, repo, base, "pat-fix", ("Pat Patch", "pat@example.com"))) == {
        "Mia Maintainer", "tbodt (tbodt@tbodt.com)", "Jamie B"}


def test_the_author_under_another_identity_is_not_whom_to_ask_about_his_own_change(tmp_path_factory):
    """A component whose files' authors left names whom to ask first: the people still here who changed them — not the
    change's author under an identity Cairn keeps apart ("Jamie B", a likely duplicate of Jamie Byers)."""
    root = tmp_path_factory.mktemp("repo")
    repo = GitRepo(root)
    repo.commit({"app/core.py": python_functions("core")}, author=("Old Author", "old@example.com"), date="2019-01-01T00:00:00+00:00")
    repo.commit({"app/core.py": python_functions("core") + "# a\n"}, author=JAMIE_B, date="2025-10-01T00:00:00+00:00")
    repo.commit({"app/core.py": python_functions("core") + "# b\n"}, author=MIA, date="2025-10-02T00:00:00+00:00")
    repo.commit({"lib/other.py": python_functions("other")}, author=JAMIE, date="2025-11-01T00:00:00+00:00")
    store = str(tmp_path_factory.mktemp("store"))
    assert CliRunner().invoke(app, ["ingest", str(root), "--store", store, "--name", "r"]).exit_code == 0
    base = repo.head()
    repo.git("checkout", "-q", "-b", "fix", base)
    repo.commit({"app/core.py": python_functions("core") + "# fix\n" * 5}, author=JAMIE, date="2025-12-01T00:00:00+00:00")
    result = CliRunner().invoke(app, ["pr-check", "--repo", str(repo.root), "--base", base, "--head", "fix",
                                      "--format", "json", "--store", store], catch_exceptions=False)
    [risk] = [f["message"] for f in json.loads(result.stdout)["findings"] if f["kind"] == "knowledge_risk"]
    assert risk.endswith("none of its authors is still here (main authors inactive: Old Author); ask first: Mia Maintainer")
