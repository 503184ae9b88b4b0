"""Reading the pull/merge requests a history merged with merge commits (``ingest.pull_request_merges``), in real repos:
which merges count (first-parent, GitHub's and GitLab's messages, not syncs), which files each brought in, sweeps."""

from __future__ import annotations

from cairn.ingest.pull_request_merges import read_merges
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
MAINTAINER = ("Grace Hopper", "grace@example.com")


def merge(repo: GitRepo, branch: str, message: str, author=MAINTAINER) -> str:
    env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
           "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1]}
    repo.git("merge", "-q", "--no-ff", "-m", message, branch, env=env)
    return repo.head()


def history(tmp_path) -> tuple[GitRepo, dict[str, str]]:
    """main: a base; a pull request (a modification, an addition, a rename, a deletion); a branch merged without a
    request, into which main was synced and a pull request merged; a GitLab merge request."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"a.py": "a = 1\n", "old.py": "o = 1\n", "gone.py": "g = 1\n", "c.py": "c = 1\n"}, author=ADA)
    merges = {}
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"a.py": "a = 2\n", "b.py": "b = 1\n"}, author=BOB, delete=["gone.py"])
    repo.rename("old.py", "new.py", author=BOB)
    repo.git("checkout", "-q", "main")
    merges["github"] = merge(repo, "feature", "Merge pull request #7 from bob/feature\n\nA feature")
    repo.git("checkout", "-q", "-b", "side", "main~1")
    repo.commit({"c.py": "c = 2\n"}, author=ADA)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'main' into side", "main")  # a sync
    repo.git("checkout", "-q", "-b", "fix", "side")
    repo.commit({"d.py": "d = 1\n"}, author=BOB)
    repo.git("checkout", "-q", "side")
    merge(repo, "fix", "Merge pull request #9 from bob/fix")  # a request merged into side: not on main's chain
    repo.git("checkout", "-q", "main")
    merges["sync"] = merge(repo, "side", "Merge branch 'side'")
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.commit({"c.py": "c = 3\n"}, author=BOB)
    repo.git("checkout", "-q", "main")
    merges["gitlab"] = merge(repo, "mr", "Merge branch 'mr' into 'main'\n\nFix c\n\nSee merge request group/project!12")
    return repo, merges


def test_request_merges_on_the_first_parent_chain_with_the_files_they_brought_in(tmp_path):
    repo, merges = history(tmp_path)
    read = list(read_merges(repo.root, ["HEAD"]))
    assert [(m.sha, m.merger) for m in read] == [(merges["gitlab"], MAINTAINER), (merges["github"], MAINTAINER)]
    gitlab, github = read
    assert gitlab.paths == ["c.py"] and not gitlab.sweep
    # modified and added, a rename as its new name; the deletion left out
    assert sorted(github.paths) == ["a.py", "b.py", "new.py"]
    assert github.tip == repo.git("rev-parse", f"{merges['github']}^2")


def test_a_merge_of_more_files_than_max_commit_files_is_a_sweep(tmp_path):
    repo, merges = history(tmp_path)
    github = next(m for m in read_merges(repo.root, ["HEAD"], max_commit_files=2) if m.sha == merges["github"])
    assert github.sweep and github.paths == []


def test_a_range_reads_the_merges_since_a_commit(tmp_path):
    repo, merges = history(tmp_path)
    assert [m.sha for m in read_merges(repo.root, [f"{merges['sync']}..HEAD"])] == [merges["gitlab"]]
