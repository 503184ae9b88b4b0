"""``log_parser.LogParser`` on a real repository with odd names and every kind of change, fed in any chunking.

The parser reads most commits a commit at a time and the rest token by token; what it gathers must not depend
on where chunks end, on which of the two ways read a commit, or on the order author times come in. Checked
against git's own ``--name-status`` output read here token by token, and against the records folded here from
the commits the parser gave its observer.
"""

from __future__ import annotations

import codecs
import os
import subprocess

import pytest

from cairn.ingest import log_parser
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.commits import CommitRecord
from cairn.ingest.history_stream import _log_args, pack_windows
from cairn.ingest.identities import Classifier, Identities
from cairn.ingest.config import IdentitySettings
from fixtures.gitrepo import GitRepo

ODD_NAMES = ["tab\tname.py", "new\nline.py", "M", "R100", "\x1estarts-like-a-header.txt", "\nleading-newline.txt",
             "README.md", "Copy.txt", "dir with space/ünï.py"]
NON_UTF8 = os.fsdecode(b"caf\xe9-latin1.txt")


def _commit(repo: GitRepo, message: str, author: tuple[str, str], authored: str, committed: str,
            committer: tuple[str, str] | None = None) -> None:
    repo.git("add", "-A")
    committer = committer or author
    repo.git("commit", "-q", "--allow-empty", "-m", message, env={
        "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1], "GIT_AUTHOR_DATE": authored,
        "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1], "GIT_COMMITTER_DATE": committed})


def _odd_repository(root) -> GitRepo:
    repo = GitRepo(root)
    ada, bob, bot = ("Ada", "ada@example.com"), ("Bob", "bob@example.com"), ("dependabot[bot]", "bot@example.com")
    claude = ("Claude", "noreply@anthropic.com")
    day = iter(f"2024-{1 + d // 28:02d}-{1 + d % 28:02d}T12:00:00+00:00" for d in range(100))
    repo.write({name: f"{name!r}\n" for name in ODD_NAMES} | {NON_UTF8: "latin\n", "src/a.py": "a\n", "src/b.py": "b\n"})
    _commit(repo, "start", ada, next(day), next(day))
    repo.write({f"many/file_{n:02d}.py": f"{n}\n" for n in range(60)})
    _commit(repo, "many files", bob, next(day), next(day))
    repo.write({f"many/file_{n:02d}.py": f"{n} changed\n" for n in range(60)})
    _commit(repo, "many changes", bob, next(day), next(day))
    for n in range(3):  # plain modifications: the whole-commit reading
        repo.write({"src/a.py": f"a{n}\n", "src/b.py": f"b{n}\n", ODD_NAMES[n]: f"{n}\n", NON_UTF8: f"{n}\n"})
        _commit(repo, f"edit {n}", (ada, bob)[n % 2], next(day), next(day))
    repo.write({"\x1estarts-like-a-header.txt": "changed\n", "R100": "changed\n", "new\nline.py": "changed\n"})
    _commit(repo, "odd names only", bob, next(day), next(day))
    repo.git("mv", "src/a.py", "src/renamed_a.py")  # a rename beside a modification and an addition
    repo.write({"src/b.py": "b again\n", "src/c.py": "c\n"})
    _commit(repo, "rename", ada, next(day), next(day))
    repo.git("rm", "-q", "Copy.txt")
    os.symlink("README.md", repo.root / "M.link")
    _commit(repo, "delete one, add a link", bob, next(day), next(day))
    (repo.root / "M.link").unlink()
    (repo.root / "M.link").write_text("now a file\n")
    _commit(repo, "type change", bob, next(day), next(day))
    repo.write({"src/b.py": "trailers\n"})
    _commit(repo, "with trailers\n\nCo-authored-by: Bob <bob@example.com>\nReviewed-by: Eve <eve@example.com>", ada,
            next(day), next(day))
    repo.write({"src/c.py": "marked\n"})
    _commit(repo, "marked\n\nGenerated with [Claude Code](https://claude.com/claude-code)", ada, next(day), next(day))
    repo.write({"src/c.py": "by the bot\n"})
    _commit(repo, "bump", bot, next(day), next(day))
    repo.write({"src/b.py": "by the agent\n"})
    _commit(repo, "agent", claude, next(day), next(day), committer=ada)
    # author times against the stream's order: Ada's newer touch of src/b.py comes after an older one in the stream
    late, early = next(day), next(day)
    repo.write({"src/b.py": "authored late\n"})
    _commit(repo, "authored late, committed first", ada, late, next(day))
    repo.write({"src/b.py": "authored early\n", "src/c.py": "early\n"})
    _commit(repo, "authored early, committed last", ada, "2023-06-01T00:00:00+00:00", early)
    repo.git("checkout", "-q", "-b", "topic")
    repo.write({"src/topic.py": "t\n", "src/c.py": "topic\n"})
    _commit(repo, "topic work", bob, next(day), next(day))
    repo.git("checkout", "-q", "main")
    repo.write({"src/a_main.py": "m\n"})
    _commit(repo, "main work", ada, next(day), next(day))
    merged = next(day)
    repo.git("merge", "-q", "--no-ff", "topic", "-m", "Merge pull request #7 from bob-b/topic", env={
        "GIT_AUTHOR_NAME": ada[0], "GIT_AUTHOR_EMAIL": ada[1], "GIT_AUTHOR_DATE": merged,
        "GIT_COMMITTER_NAME": ada[0], "GIT_COMMITTER_EMAIL": ada[1], "GIT_COMMITTER_DATE": merged})
    return repo


def _log_bytes(repo: GitRepo) -> bytes:
    return subprocess.run(["git", "-C", str(repo.root), *_log_args("-M", pack_windows(repo.root)), "HEAD", "--"], capture_output=True,
                          check=True).stdout


def _parse(data: bytes, size: int, idle: bool = False) -> tuple[log_parser.LogParser, list[CommitRecord]]:
    observed: list[CommitRecord] = []
    markers = MarkerMatcher.build()
    settings = IdentitySettings()
    classifier = Classifier.from_settings(settings.model_copy(update={"agents": list(settings.agents) + markers.identity_patterns}))
    parser = log_parser.LogParser(Identities(classifier), markers=markers, observer=observed.append)
    decode = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape").decode
    parser.start_stream()
    for start in range(0, len(data), size):
        parser.feed(decode(data[start:start + size]))
        if idle:
            parser.idle()  # as history_stream does while git has not written more
    parser.feed(decode(b"", True) + "\0")  # as history_stream._run ends a stream
    parser.end_stream()
    return parser, observed


def _gathered(parser: log_parser.LogParser, observed: list[CommitRecord]) -> dict:
    names = parser.read.paths
    return {
        "commits": observed,
        "records": [(names[pid], list(per.items())) for pid, per in parser.records.items()],
        "renames": sorted((names[old], names[new]) for old, new in parser.renames),
        "counts": parser.counts, "seen": sorted(parser.seen), "identities": parser.ids.raw,
        "weights": parser.ids.weights, "from_trailer": parser.ids.from_trailer,
        "stream": [parser.read.record(i) for i in range(len(parser.read))],
    }


def _git_changes(data: bytes) -> dict[str, list[tuple[str, str, str | None]]]:
    """Each commit's changes as git wrote them, read token by token (the meaning the parser must keep)."""
    tokens = data.decode("utf-8", "surrogateescape").split("\0")
    changes: dict[str, list[tuple[str, str, str | None]]] = {}
    current: list | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i].removeprefix("\n")
        if tokens[i].startswith("\x1e"):
            current = changes.setdefault(tokens[i][1:].split("\x1f", 1)[0], [])
            i += 1
        elif not token:
            i += 1
        elif token[0] in "RC":
            current.append((token[0], tokens[i + 2], tokens[i + 1]))
            i += 3
        else:
            current.append((token[0], tokens[i + 1], None))
            i += 2
    return changes


def _folded_records(observed: list[CommitRecord]) -> list[tuple[str, list[tuple[int, list[int]]]]]:
    """The records the reference algorithm keeps, folded from the commits in stream order (insertion order too)."""
    out: dict[str, dict[int, list[int]]] = {}
    for commit in observed:
        for status, path, _ in commit.changes:
            slot = {"A": 0, "M": 1, "R": 1}.get(status)
            if slot is None:
                continue
            per = out.setdefault(path, {})
            for who, where in [(commit.author, slot), *((reviewer, 3) for reviewer in commit.credited)]:
                rec = per.setdefault(who, [0, 0, commit.authored, 0])
                rec[where] += 1
                rec[2] = max(rec[2], commit.authored)
    return [(path, list(per.items())) for path, per in out.items()]


@pytest.fixture(scope="module")
def odd_log(tmp_path_factory) -> bytes:
    return _log_bytes(_odd_repository(tmp_path_factory.mktemp("odd") / "repo"))


def test_the_parser_reads_what_git_wrote_and_records_what_the_commits_make(odd_log):
    parser, observed = _parse(odd_log, 1 << 20)
    by_sha = _git_changes(odd_log)
    assert [(c.sha, c.changes) for c in observed] == [(sha, changes) for sha, changes in by_sha.items()]
    touched = {path for c in observed for _, path, _ in c.changes}
    assert {"tab\tname.py", "new\nline.py", "M", "R100", "\x1estarts-like-a-header.txt", NON_UTF8,
            "src/renamed_a.py", "M.link"} <= touched
    statuses = {status for c in observed for status, _, _ in c.changes}
    assert {"A", "M", "D", "R", "T"} <= statuses
    assert _gathered(parser, observed)["records"] == _folded_records(observed)
    assert parser.renames and parser.counts.merges == 1 and parser.read.pull_requests == {0: "bob-b"}
    early = next(c for c in observed if c.changes and c.authored < observed[-1].authored)  # the one authored in 2023
    ada = early.author
    b_path = parser.read.path_index["src/b.py"]
    assert parser.records[b_path][ada][2] > early.authored  # the newest touch, though read after an older one


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64, 4093])
def test_any_chunking_reads_the_same(odd_log, size):
    whole = _gathered(*_parse(odd_log, 1 << 30))
    assert _gathered(*_parse(odd_log, size)) == whole


@pytest.mark.parametrize("size", [1, 7, 64, 4093])
def test_work_done_while_waiting_for_git_changes_nothing(odd_log, size):
    assert _gathered(*_parse(odd_log, size, idle=True)) == _gathered(*_parse(odd_log, 1 << 30))


def test_a_commit_longer_than_the_tail_limit_is_read_as_it_comes(odd_log, monkeypatch):
    whole = _gathered(*_parse(odd_log, 1 << 30))
    monkeypatch.setattr(log_parser, "TAIL_LIMIT", 40)
    for size in (16, 41, 97, 211, 333, 500):
        assert _gathered(*_parse(odd_log, size)) == whole


def test_a_stream_cut_short_keeps_the_commits_it_read(odd_log):
    cut = odd_log.index(b"\x1e", len(odd_log) // 2) + 120  # inside a commit's header or its changes
    parser, observed = _parse(odd_log[:cut], 1 << 20)
    whole, _ = _parse(odd_log, 1 << 20)
    assert 0 < len(observed) < len(whole.read)
    assert [c.sha for c in observed] == whole.read.shas[:len(observed)]
