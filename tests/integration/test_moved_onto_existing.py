"""A file moved onto a path that already held another file (mitmproxy's d159897d9: ``proxy2/`` onto ``proxy/``):
the moved file's history carries on under the path, the replaced file's ends there — on a first read and on a
re-ingest of the commits since."""

from __future__ import annotations

from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history
from cairn.ingest.history_state import StateFile
from fixtures.gitrepo import GitRepo

OLD = "".join(f"def old_{i}(request):\n    return request.legacy_{i}()\n" for i in range(20))
NEW = "".join(f"async def handle_{i}(event):\n    await event.stream_{i}.send()\n" for i in range(20))
ANN, BEN, CY = ("Ann", "ann@example.com"), ("Ben", "ben@example.com"), ("Cy", "cy@example.com")


def _build(repo: GitRepo) -> str:
    """Ann writes proxy/server.py; Ben writes proxy2/server.py; Cy moves proxy2/ onto proxy/ (one commit)."""
    repo.commit({"proxy/server.py": OLD, "proxy/util.py": "x = 1\n"}, author=ANN)
    repo.commit({"proxy/server.py": OLD + "# more\n"}, author=ANN)
    repo.commit({"proxy2/server.py": NEW}, author=BEN)
    repo.commit({"proxy2/server.py": NEW + "# more\n"}, author=BEN)
    repo.write({"proxy/server.py": NEW + "# more\n# moved\n"})
    return repo.commit({"proxy/util.py": "x = 2\n"}, delete=["proxy2/server.py"], author=CY, message="move proxy2 onto proxy")


def _holders(history, path):
    knowledge = history.file_knowledge(path)
    return {history.people[i].person.name: (k.first_authorship, k.deliveries) for i, k in knowledge.items()}


def test_a_file_moved_onto_an_existing_path_keeps_its_own_history(tmp_path):
    repo = GitRepo(tmp_path / "r")
    move = _build(repo)
    assert repo.git("diff-tree", "--no-commit-id", "-M", "--name-status", "-r", move).split() == ["M", "proxy/server.py", "M", "proxy/util.py",
                                                                                 "D", "proxy2/server.py"]
    history = mine_history(repo.root, IdentitySettings())
    # Ben wrote the file at proxy/server.py now; Ann's file was replaced; Cy's move is a delivery
    assert _holders(history, "proxy/server.py") == {"Ben": (True, 1), "Cy": (False, 1)}
    assert _holders(history, "proxy/util.py") == {"Ann": (True, 0), "Cy": (False, 1)}


def test_a_re_ingest_that_reads_such_a_move_reads_everything_as_a_first_read_does(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"proxy/server.py": OLD, "proxy/util.py": "x = 1\n"}, author=ANN)
    repo.commit({"proxy2/server.py": NEW}, author=BEN)
    memory = StateFile(tmp_path / "state", repo.root)
    first = mine_history(repo.root, IdentitySettings(), memory=memory)
    memory.save(first.state)
    repo.commit({"proxy2/server.py": NEW + "# more\n"}, author=BEN)
    repo.write({"proxy/server.py": NEW + "# more\n# moved\n"})
    repo.commit({"proxy/util.py": "x = 2\n"}, delete=["proxy2/server.py"], author=CY)
    again = mine_history(repo.root, IdentitySettings(), memory=memory)
    assert any("moved a file onto proxy/server.py" in note for note in again.notes)
    assert _holders(again, "proxy/server.py") == {"Ben": (True, 1), "Cy": (False, 1)}
    assert _holders(again, "proxy/server.py") == _holders(mine_history(repo.root, IdentitySettings()), "proxy/server.py")


def test_a_branch_that_changed_the_replaced_file_merged_after_the_move_is_read_as_a_first_read_reads_it(tmp_path):
    """Dora changed the old proxy/server.py on a branch made before the move and merged after it: git meets her
    commit after the move (it is older), so it changed the replaced file, whichever read meets it."""
    repo = GitRepo(tmp_path / "r")
    dora = ("Dora", "dora@example.com")
    repo.commit({"proxy/server.py": OLD, "proxy/util.py": "x = 1\n"}, author=ANN, date="2024-01-01T00:00:00+00:00")
    repo.commit({"proxy2/server.py": NEW}, author=BEN, date="2024-01-02T00:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit({"proxy/server.py": OLD + "# dora\n"}, author=dora, date="2024-01-03T00:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write({"proxy/server.py": NEW + "# moved\n"})
    repo.commit({"proxy/util.py": "x = 2\n"}, delete=["proxy2/server.py"], author=CY, date="2024-01-04T00:00:00+00:00")
    memory = StateFile(tmp_path / "state", repo.root)
    first = mine_history(repo.root, IdentitySettings(), memory=memory)
    memory.save(first.state)
    repo.git("merge", "-q", "--no-edit", "-X", "ours", "side")
    again = mine_history(repo.root, IdentitySettings(), memory=memory)
    cold = mine_history(repo.root, IdentitySettings())
    assert _holders(cold, "proxy/server.py") == {"Ben": (True, 0), "Cy": (False, 1)}
    assert _holders(again, "proxy/server.py") == _holders(cold, "proxy/server.py")
