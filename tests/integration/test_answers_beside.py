"""The answers of a graph saved whole are computed by a forked child while the ingest saves it (``AnswersBeside``),
and what is stored is exactly what the in-process path stores.

Here every graph counts as large (``ANSWERS_BESIDE_SIZE`` 0). A random history of several years
(``test_trend_replay_parity._fast_import``) is ingested into fresh stores with ``beside`` forking and with it off:
every stored row and every stored answer must be the same text. A child that dies, or a save that fails, leaves
no child behind, and the answers are then computed in process; after a commit (answers taken from those kept) no
child is forked for them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from test_incremental_parity import assert_same_rows
from test_trend_replay_parity import random_history

from cairn.api.bootstrap import open_store
from cairn.api.services import answers as answers_module
from cairn.api.services import beside as beside_module
from cairn.api.services.beside import Beside
from cairn.api.services.ingesting import ingest_into_store
from fixtures.gitrepo import GitRepo

forking = pytest.mark.skipif(not beside_module.ENABLED, reason="forking is Linux-only")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    return random_history(tmp_path_factory.mktemp("answers-beside") / "repo", 11, 300)


@pytest.fixture(autouse=True)
def every_graph_is_large(monkeypatch) -> None:
    monkeypatch.setattr(answers_module, "ANSWERS_BESIDE_SIZE", 0)


@pytest.fixture
def answer_children(monkeypatch) -> list[int]:
    """The children ``beside`` forks from now on to compute answers."""
    children: list[int] = []
    start = Beside.start

    def recording(self):
        started = start(self)
        if getattr(self._compute, "func", None) is answers_module.texts_to_keep and self._pid is not None:
            children.append(self._pid)
        return started

    monkeypatch.setattr(Beside, "start", recording)
    return children


def stored_answers(store_dir: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        return dict(db.execute("SELECT name, value FROM answers"))


def assert_same_store(one: Path, other: Path) -> None:
    assert_same_rows(one, other, "repo")
    first, second = stored_answers(one), stored_answers(other)
    assert first.keys() == second.keys()
    assert {k: (v, second[k]) for k, v in first.items() if second[k] != v} == {}


def assert_reaped(pid: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@forking
def test_the_answers_computed_beside_the_save_are_the_ones_computed_after_it(history, tmp_path, monkeypatch,
                                                                               answer_children) -> None:
    ingest_into_store(open_store(str(tmp_path / "forked")), history)
    assert len(answer_children) == 1
    assert_reaped(answer_children[0])
    monkeypatch.setattr(beside_module, "ENABLED", False)
    ingest_into_store(open_store(str(tmp_path / "in-process")), history)
    assert_same_store(tmp_path / "forked", tmp_path / "in-process")
    assert len(stored_answers(tmp_path / "forked")) > 10


@forking
def test_a_child_that_dies_leaves_the_answers_to_this_process(history, tmp_path, monkeypatch, answer_children) -> None:
    parent, compute = os.getpid(), answers_module.answers_to_keep

    def dying(*args):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return compute(*args)

    monkeypatch.setattr(answers_module, "answers_to_keep", dying)
    ingest_into_store(open_store(str(tmp_path / "died")), history)
    assert len(answer_children) == 1
    assert_reaped(answer_children[0])
    monkeypatch.setattr(answers_module, "answers_to_keep", compute)
    monkeypatch.setattr(beside_module, "ENABLED", False)
    ingest_into_store(open_store(str(tmp_path / "in-process")), history)
    assert_same_store(tmp_path / "died", tmp_path / "in-process")


@forking
def test_a_failed_save_stops_the_child(history, tmp_path, monkeypatch, answer_children) -> None:
    store = open_store(str(tmp_path / "store"))

    def failing(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "save_changes", failing)
    with pytest.raises(OSError, match="disk full"):
        ingest_into_store(store, history)
    assert len(answer_children) == 1
    assert_reaped(answer_children[0])


@forking
def test_after_a_commit_the_answers_taken_from_those_kept_are_computed_in_process(history, tmp_path,
                                                                                   answer_children) -> None:
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, history)
    answer_children.clear()
    repo = GitRepo(history)
    repo.commit({"late.py": "import os\n"}, author=("Late Comer", "late@example.com"), message="one more")
    try:
        ingest_into_store(store, history)
        assert answer_children == []
        ingest_into_store(open_store(str(tmp_path / "cold")), history)
        assert_same_store(tmp_path / "store", tmp_path / "cold")
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")


@forking
def test_a_graph_below_the_size_has_its_answers_computed_in_process(history, tmp_path, monkeypatch,
                                                                    answer_children) -> None:
    monkeypatch.setattr(answers_module, "ANSWERS_BESIDE_SIZE", 10**9)
    ingest_into_store(open_store(str(tmp_path / "store")), history)
    assert answer_children == []
    assert len(stored_answers(tmp_path / "store")) > 10


def test_the_texts_made_one_at_a_time_are_the_texts_made_whole(history, tmp_path, monkeypatch) -> None:
    """``texts_to_keep`` (what the child runs) detaches and writes each answer as soon as it can, the cards one at a
    time; the texts, and their order, are those of the whole computation — and a card gone missing is caught."""
    from functools import partial

    from cairn.queries.explore import card as card_module

    ingest_into_store(open_store(str(tmp_path / "store")), history)
    graph = open_store(str(tmp_path / "store")).load("repo")
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    streamed = answers_module.texts_to_keep(graph, None)
    whole = answers_module._as_texts(partial(answers_module.answers_to_keep, graph, None, None, False))
    assert list(streamed["texts"].items()) == list(whole["texts"].items()) and streamed["unchanged"] == []
    assert sum(name.startswith(answers_module.stored_name("card/")) for name in streamed["texts"]) >= 3

    made = card_module.iter_component_cards  # one card lost on the way, and only on this way
    monkeypatch.setattr(card_module, "iter_component_cards", lambda *a, **k: list(made(*a, **k))[1:])
    monkeypatch.setattr(card_module, "component_cards", lambda *a, **k: dict(made(*a, **k)))
    assert answers_module.texts_to_keep(graph, None)["texts"] != whole["texts"]
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    with pytest.raises(AssertionError, match="one at a time"):
        answers_module.texts_to_keep(graph, None)


def test_the_texts_written_to_a_file_as_made_are_the_texts_made_whole(history, tmp_path, monkeypatch) -> None:
    """What the child runs writes each text to a file as soon as it is made (``FiledTexts``): read back, they are the
    texts, in the order, of the whole computation; when the cards' analysis fails part-way, the cards written before
    it are not among them (as none is kept in process)."""
    import tempfile

    from cairn.queries.explore import card as card_module

    ingest_into_store(open_store(str(tmp_path / "store")), history)
    graph = open_store(str(tmp_path / "store")).load("repo")
    whole = answers_module.texts_to_keep(graph, None)["texts"]
    with tempfile.TemporaryFile() as file:
        filed = answers_module.FiledTexts(file.fileno())
        assert answers_module.texts_to_keep(graph, None, filed)["texts"] is filed
        assert list(filed.items()) == list(whole.items())
        again = answers_module.FiledTexts(file.fileno(), filed.spans)  # as the parent reads what the child sent
        assert list(again.items()) == list(whole.items())

    made = card_module.iter_component_cards

    def failing_after_two(*args, **kwargs):
        for at, card in enumerate(made(*args, **kwargs)):
            if at == 2:
                raise ValueError("a card that cannot be made")
            yield card

    monkeypatch.setattr(card_module, "iter_component_cards", failing_after_two)
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    with tempfile.TemporaryFile() as file:
        filed = answers_module.FiledTexts(file.fileno())
        answers_module.texts_to_keep(graph, None, filed)
        assert file.seek(0, 2) > 0  # two cards were written before the failure...
        card_prefix = answers_module.stored_name("card/")
        assert not [name for name in filed if name.startswith(card_prefix)]  # ...and are not read back
        assert list(filed) == [name for name in whole if not name.startswith(card_prefix)]
