"""The "team" repository used by the history, CODEOWNERS and bus-factor tests, with its hand-built graph.

History (author dates; the newest commit is the merge on 2024-09-01, so with
the default 180 days everybody whose last activity is before 2024-03-05 is
inactive — only Dave):

 1  2024-01-05  Dave                 A web/w2.py, README.md, cairn.toml
 2  2024-06-01  alice <alice@old.example> (mailmapped to Alice <alice@example.com>)
                                     A core/c1.py, core/c2.py
 3  2024-06-02  Bob                  A core/c3.py, core/a.py
 4  2024-06-03  Bob                  R core/a.py -> core/b.py
 5  2024-06-04  Carol                A web/w1.py
 6  2024-06-05  Carol                R core/b.py -> core/c4.py          (rename chain a -> b -> c4)
 7  2024-06-06  Alice                M web/w1.py
 8  2024-06-07  Bob                  M core/c3.py   Reviewed-by: Erin
 9  2024-06-08  Alice                M web/w2.py    Co-authored-by: Claude (an agent: gets nothing)
10  2024-06-09  dependabot[bot]      M web/w1.py    (a bot: a change by "others", never an author)
11  2024-06-10  copilot-swe-agent[bot] (an agent), committed by Bob, Co-authored-by: Carol
                                     A web/w3.py    (Bob and Carol get review credit)
12  2024-06-11  Carol (branch)       M web/w1.py
13  2024-06-12  Alice <1234+alice-gh@users.noreply.github.com>   M core/c2.py
                                     (mailmapped to Alice: her login alice-gh is kept)
14  2024-09-01  Mallory              merge of the branch (skipped for authorship)

Hand-computed DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1+AC):

core/c1.py  Alice FA                                  -> authors {Alice}
core/c2.py  Alice FA, DL 1                            -> {Alice}
core/c3.py  Bob FA, DL 1; Erin review 1               -> {Bob}
core/c4.py  Bob FA DL1 AC1 = 4.3325, Carol DL1 AC1 = 3.2345 (< 3.293, no FA) -> {Bob}
web/w1.py   Carol FA DL1 AC2 = 4.2024, Alice DL1 AC2 = 3.1044 -> {Carol}
web/w2.py   Dave FA AC1 = 4.1685, Alice DL1 AC0 = 3.457 (ratio 0.829) -> {Dave, Alice}
web/w3.py   agent only; reviews: Bob 1, Carol 1       -> {} (no author)
"""

from __future__ import annotations

from pathlib import Path

from gitrepo import GitRepo
from cairn.graph.model import Label, Rel, RepoGraph

ALICE = ("Alice", "alice@example.com")
ALICE_OLD = ("alice", "alice@old.example")
ALICE_GH = ("Alice", "1234+alice-gh@users.noreply.github.com")
BOB = ("Bob", "bob@example.com")
CAROL = ("Carol", "carol@example.com")
DAVE = ("Dave", "dave@example.com")
MALLORY = ("Mallory", "mallory@example.com")
DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
COPILOT = ("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com")

FILES = {
    "core/c1.py": "core", "core/c2.py": "core", "core/c3.py": "core", "core/c4.py": "core",
    "web/w1.py": "web", "web/w2.py": "web", "web/w3.py": "web",
}

CODEOWNERS = """\
# declared ownership
*            @acme/maintainers
/core/       @alice-gh bob@example.com
/web/        @zed
web/w3.py
"""

CAIRN_TOML = """\
[components]
core = ["core/**"]
web = ["web/**"]
"""


def build_team_repo(root: Path) -> GitRepo:
    repo = GitRepo(root)
    day = lambda d: f"{d}T12:00:00+00:00"  # noqa: E731
    # One-word names never merge on their own, so .mailmap folds Alice's GitHub noreply identity into hers.
    repo.write({".mailmap": "Alice <alice@example.com> <alice@old.example>\nthis line names nobody\n"
                            "Alice <alice@example.com> <1234+alice-gh@users.noreply.github.com>\n"})
    repo.commit({"web/w2.py": "w2 = 1\n", "README.md": "# team\n", "cairn.toml": CAIRN_TOML, ".github/CODEOWNERS": CODEOWNERS},
                author=DAVE, date=day("2024-01-05"), message="start")
    repo.commit({"core/c1.py": "c1 = 1\n", "core/c2.py": "c2 = 1\n"}, author=ALICE_OLD, date=day("2024-06-01"))
    repo.commit({"core/c3.py": "c3 = 1\n", "core/a.py": "a = 1\n" * 20}, author=BOB, date=day("2024-06-02"))
    repo.rename("core/a.py", "core/b.py", author=BOB, date=day("2024-06-03"))
    repo.commit({"web/w1.py": "w1 = 1\n"}, author=CAROL, date=day("2024-06-04"))
    repo.rename("core/b.py", "core/c4.py", author=CAROL, date=day("2024-06-05"))
    repo.commit({"web/w1.py": "w1 = 2\n"}, author=ALICE, date=day("2024-06-06"))
    repo.commit({"core/c3.py": "c3 = 2\n"}, author=BOB, date=day("2024-06-07"), trailers=["Reviewed-by: Erin <erin@example.com>"])
    repo.commit({"web/w2.py": "w2 = 2\n"}, author=ALICE, date=day("2024-06-08"),
                trailers=["Co-authored-by: Claude <noreply@anthropic.com>"])
    repo.commit({"web/w1.py": "w1 = 3\n"}, author=DEPENDABOT, date=day("2024-06-09"))
    repo.commit({"web/w3.py": "w3 = 1\n"}, author=COPILOT, committer=BOB, date=day("2024-06-10"),
                trailers=["Co-authored-by: Carol <carol@example.com>"])
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"web/w1.py": "w1 = 4\n"}, author=CAROL, date=day("2024-06-11"))
    repo.git("checkout", "-q", "main")
    repo.commit({"core/c2.py": "c2 = 2\n"}, author=ALICE_GH, date=day("2024-06-12"))
    env = {"GIT_AUTHOR_NAME": MALLORY[0], "GIT_AUTHOR_EMAIL": MALLORY[1], "GIT_AUTHOR_DATE": day("2024-09-01"),
           "GIT_COMMITTER_NAME": MALLORY[0], "GIT_COMMITTER_EMAIL": MALLORY[1], "GIT_COMMITTER_DATE": day("2024-09-01")}
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature", env=env)
    return repo


def hand_built_graph(repo_name: str = "team", files: dict[str, str] | None = None, **repo_props) -> RepoGraph:
    """File and Component nodes as the ingest pipeline would make them (built by hand, independent of it)."""
    files = FILES if files is None else files
    graph = RepoGraph(repo_name)
    graph.add_node(Label.REPOSITORY, repo_name, **repo_props)
    for component in sorted(set(files.values())):
        graph.add_node(Label.COMPONENT, component, paths=[f"{component}/**"], files=0)
    for path, component in files.items():
        node = graph.add_node(Label.FILE, path, language="python", module=None, component=component)
        graph.add_edge(Rel.PART_OF, node, graph.node(Label.COMPONENT, component))
        graph.node(Label.COMPONENT, component).props["files"] += 1
    return graph
