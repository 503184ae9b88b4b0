"""A history read with objects missing (a partial clone, a damaged store) is remembered like a whole one.

The first ingest reads an inexact rename whose old blob is gone with exact rename detection only, and a file
whose blob is gone; the history state keeps which objects were missing. After a new commit the next ingest reads
only that commit, says the history is incomplete exactly as a full read does, and stores what a cold ingest
stores. Once a missing object is back (a fetch), the remembered read is no longer what a full read gives: the
history is read in full again, with a note, and the ingests after it match a cold ingest once more.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_incremental_parity import assert_same_rows

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest import history_state
from cairn.ingest.history_state import decode_state, degraded_read, encode_state, read_document
from fixtures.gitrepo import GitRepo

ANN = ("Ann Author", "ann@example.com")
BEA = ("Bea Builder", "bea@example.com")


def _object_file(repo: GitRepo, path: str, rev: str) -> Path:
    blob = repo.git("rev-parse", f"{rev}:{path}")
    return repo.root / ".git" / "objects" / blob[:2] / blob[2:]


def _broken(root: Path) -> tuple[GitRepo, dict[Path, bytes]]:
    repo = GitRepo(root)
    body = "".join(f"line_{i} = {i}\n" for i in range(40))
    repo.commit({"pkg/old.py": body, "pkg/keep.py": "K = 1\n"}, author=ANN, date="2024-03-01T12:00:00+00:00")
    first = repo.head()
    repo.git("mv", "pkg/old.py", "pkg/new.py")
    repo.commit({"pkg/new.py": body + "extra = 1\n"}, author=BEA, date="2024-03-02T12:00:00+00:00")  # inexact rename
    repo.commit({"data/big.json": '{"a": 1}\n', "pkg/keep.py": "K = 2\n"}, author=ANN, date="2024-03-03T12:00:00+00:00")
    removed = {}
    for path, rev in (("pkg/old.py", first), ("data/big.json", "HEAD")):
        file = _object_file(repo, path, rev)
        removed[file] = file.read_bytes()
        file.chmod(0o644)
        file.unlink()
    return repo, removed


def _remembered(store: Path):
    files = list(store.rglob("history-*.state"))
    assert len(files) == 1
    return decode_state(read_document(files[0].read_bytes()))


def _cold(repo: GitRepo, store: Path) -> None:
    ingest_into_store(open_store(str(store)), repo.root)


@pytest.mark.parametrize("saved", [True, False])
def test_a_history_with_missing_objects_is_read_incrementally_until_they_come_back(tmp_path, monkeypatch, saved):
    if saved:  # the state written after each new commit, degraded read and all (else the next ingest reads it again)
        monkeypatch.setattr(history_state, "UNSAVED_FLOOR", 0)
    repo, removed = _broken(tmp_path / "broken")
    warm = tmp_path / "warm"
    first = ingest_into_store(open_store(str(warm)), repo.root)
    assert any("history incomplete" in w for w in first.summary.warnings)
    assert _remembered(warm).head == repo.head()  # remembered, with what was missing

    repo.commit({"pkg/keep.py": "K = 3\n"}, author=BEA, date="2024-03-04T12:00:00+00:00")
    second = ingest_into_store(open_store(str(warm)), repo.root)
    assert not any("history read in full" in n for n in second.summary.notes), second.summary.notes
    assert _remembered(warm).head == (repo.head() if saved else repo.git("rev-parse", "HEAD~1").strip())
    assert _remembered(warm).degraded["exact_renames_only"] == 1
    assert [w for w in second.summary.warnings if "history incomplete" in w] == [
        w.replace("3 of 3", "4 of 4") for w in first.summary.warnings if "history incomplete" in w]
    _cold(repo, tmp_path / "cold")
    assert_same_rows(warm, tmp_path / "cold", repo.root.name)

    for file, data in removed.items():  # a fetch brings the objects back
        file.write_bytes(data)
    repo.commit({"pkg/keep.py": "K = 4\n"}, author=ANN, date="2024-03-05T12:00:00+00:00")
    third = ingest_into_store(open_store(str(warm)), repo.root)
    assert any("objects that were missing when the history was last read are in the repository now" in n
               for n in third.summary.notes), third.summary.notes
    assert not any("history incomplete" in w for w in third.summary.warnings)
    repo.commit({"pkg/new.py": "moved = 1\n"}, author=BEA, date="2024-03-06T12:00:00+00:00")
    fourth = ingest_into_store(open_store(str(warm)), repo.root)  # from the whole read on
    assert not any("history read in full" in n for n in fourth.summary.notes), fourth.summary.notes
    _cold(repo, tmp_path / "cold-again")
    assert_same_rows(warm, tmp_path / "cold-again", repo.root.name)


def test_the_degraded_read_round_trips_and_a_malformed_one_is_refused(tmp_path):
    repo, _ = _broken(tmp_path / "broken")
    ingest_into_store(open_store(str(tmp_path / "store")), repo.root)
    state = _remembered(tmp_path / "store")
    assert len(state.degraded["missing_objects"]) >= 1 and state.degraded["exact_renames_only"] == 1
    assert decode_state(read_document(encode_state(state))).degraded == state.degraded
    assert degraded_read({}) == {}
    for bad in ({"missing_objects": ["not an id"]}, {"exact_renames_only": -1}, ["x"]):
        try:
            degraded_read(bad)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        raise AssertionError(f"accepted {bad!r}")
