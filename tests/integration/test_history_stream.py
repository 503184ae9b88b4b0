"""Reading ``git log`` while parsing it (``ingest.history_stream``): chunk boundaries and a parser that fails."""

from __future__ import annotations

import threading
import time

import pytest

from cairn.ingest import history_stream
from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history
from fixtures.gitrepo import GitRepo


def _repository(root):
    repo = GitRepo(root)
    people = [("Zoë Ærøskøbing", "zoe@example.com"), ("José Ñandú", "jose@example.com"), ("李雷", "li@example.com")]
    for i in range(12):
        repo.commit({f"pkg/módulo_{i % 4}.py": f"x = {i}  # ünïcödé ✓\n"}, author=people[i % 3],
                    message=f"Änderung {i} — ✓\n\nCo-authored-by: {people[(i + 1) % 3][0]} <{people[(i + 1) % 3][1]}>")
    repo.rename("pkg/módulo_0.py", "pkg/módulo_cero.py", author=people[0])
    return repo


def _summary(history):
    people = sorted((ph.person.name, ph.person.id) for ph in history.people)
    knowledge = {path: sorted((k.deliveries, k.first_authorship, k.reviews) for k in history.file_knowledge(path).values())
                 for path in ("pkg/módulo_cero.py", "pkg/módulo_1.py", "pkg/módulo_2.py", "pkg/módulo_3.py")}
    log = history.log
    return people, knowledge, [log.change_tuples(p) for p in range(len(log))], history.commits


def test_tiny_chunks_split_characters_and_tokens_anywhere_and_read_the_same(tmp_path, monkeypatch):
    repo = _repository(tmp_path / "r")
    whole = _summary(mine_history(repo.root, IdentitySettings()))
    for size in (1, 2, 3, 7, 64):  # every multi-byte character and NUL-separated token gets cut somewhere
        monkeypatch.setattr(history_stream, "CHUNK_BYTES", size)
        assert _summary(mine_history(repo.root, IdentitySettings())) == whole
    assert whole[3] == 13 and any(name == "李雷" for name, _ in whole[0])


class _FailingParser:
    """A parser that gives up on its second chunk, as a bug in parsing would."""

    def __init__(self):
        self.seen: set[str] = set()
        self.chunks = 0

    def start_stream(self):
        pass

    def feed(self, chunk):
        self.chunks += 1
        if self.chunks == 2:
            raise RuntimeError("parser broke")

    def end_stream(self):
        pass


def test_a_failing_parser_stops_the_reader_and_git(tmp_path, monkeypatch):
    repo = _repository(tmp_path / "r")
    monkeypatch.setattr(history_stream, "CHUNK_BYTES", 16)
    monkeypatch.setattr(history_stream, "AHEAD_CHUNKS", 1)  # the reader blocks on a full queue
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(RuntimeError, match="parser broke"):
        history_stream.read_log(repo.root, _FailingParser())
    deadline = time.monotonic() + 10
    while any(t.name == "git-log-reader" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not [t for t in threading.enumerate() if t.name == "git-log-reader" and t.name not in before]


# -- a log started before its reader (SpooledLog) ----------------------------------------------------------------


def _head(repo) -> str:
    return repo.git("rev-parse", "HEAD").strip()


def test_a_spooled_log_reads_what_the_pipe_reads_while_git_writes_it_and_after(tmp_path, monkeypatch):
    repo = _repository(tmp_path / "r")
    whole = _summary(mine_history(repo.root, IdentitySettings()))
    monkeypatch.setattr(history_stream, "CHUNK_BYTES", 7)  # the reader catches up with git and waits on the file
    with history_stream.SpooledLog(repo.root, _head(repo)) as spooled:
        assert _summary(mine_history(repo.root, IdentitySettings(), spooled=spooled)) == whole
    with history_stream.SpooledLog(repo.root, _head(repo)) as spooled:
        deadline = time.monotonic() + 10
        while spooled._git.proc.poll() is None and time.monotonic() < deadline:  # git done before anyone reads
            time.sleep(0.01)
        history = mine_history(repo.root, IdentitySettings(), spooled=spooled)
        assert _summary(history) == whole and history.complete
    assert spooled._file.closed  # replayed: the temporary file is gone


def test_a_spooled_log_of_an_older_head_is_dropped_and_the_new_head_read(tmp_path):
    repo = _repository(tmp_path / "r")
    spooled = history_stream.SpooledLog(repo.root, _head(repo))
    repo.commit({"pkg/late.py": "y = 1\n"}, author=("Late Comer", "late@example.com"), message="after the log started")
    history = mine_history(repo.root, IdentitySettings(), spooled=spooled)
    assert history.commits == 14 and any(ph.person.name == "Late Comer" for ph in history.people)
    assert spooled._file.closed and spooled._git.proc.poll() is not None


def test_a_failing_parser_of_a_spooled_log_stops_git_and_the_reader(tmp_path, monkeypatch):
    repo = _repository(tmp_path / "r")
    monkeypatch.setattr(history_stream, "CHUNK_BYTES", 16)
    monkeypatch.setattr(history_stream, "AHEAD_CHUNKS", 1)
    spooled = history_stream.SpooledLog(repo.root, _head(repo))
    with pytest.raises(RuntimeError, match="parser broke"):
        history_stream.read_log(repo.root, _FailingParser(), spooled=spooled)
    assert spooled._file.closed and spooled._git.proc.poll() is not None
    deadline = time.monotonic() + 10
    while any(t.name == "git-log-reader" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(t.name == "git-log-reader" for t in threading.enumerate())


def test_a_spooled_log_that_git_cannot_start_is_none(tmp_path, monkeypatch):
    repo = _repository(tmp_path / "r")
    head = _head(repo)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no git on PATH
    assert history_stream.SpooledLog.start(repo.root, head) is None


def test_a_spooled_log_whose_git_failed_is_read_again_from_a_pipe(tmp_path, monkeypatch):
    repo = _repository(tmp_path / "r")
    whole = _summary(mine_history(repo.root, IdentitySettings()))
    log_args = history_stream._log_args
    with monkeypatch.context() as patched:  # git fails as it would writing to a full disk: not for a missing object
        patched.setattr(history_stream, "_log_args", lambda *args: [*log_args(*args), "--no-such-option"])
        spooled = history_stream.SpooledLog(repo.root, _head(repo))
    history = mine_history(repo.root, IdentitySettings(), spooled=spooled)
    assert spooled._git.proc.returncode not in (0, None)
    assert _summary(history) == whole and history.complete and not history.warnings
