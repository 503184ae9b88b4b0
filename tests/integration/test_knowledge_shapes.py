"""After a commit, the KNOWS edges' first five properties are looked up by the index the last ingest kept for each entry
(``KnowledgeMemory.shapes``), and only the new entries' tuples are made from the columns: the edges are those a cold
ingest builds, and ``CAIRN_VERIFY_SKIPS`` (on in the tests) checks every edge's values against its columns, so a wrong
index fails."""

from __future__ import annotations

from cairn.graph.model import Rel
from cairn.ingest import knowledge
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo
from integration.test_knowledge_spliced import assert_caught_and_stale

ADA, BOB, CAT = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Cat Stevens", "cat@example.com")


def knowledge_of(graph):
    return sorted((e.source, e.target, tuple(sorted(e.current_props().items()))) for e in graph.of_type(Rel.KNOWS))


def shop(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({f"src/m{i}.py": f"M = {i}\n" for i in range(6)}, author=ADA)
    repo.commit({"src/m0.py": "M = 10\n", "src/m1.py": "M = 11\n"}, author=BOB)
    repo.commit({"src/m2.py": "M = 12\n"}, author=CAT)
    repo.commit({"src/m2.py": "M = 13\n", "src/m3.py": "M = 13\n"}, author=BOB)
    return repo


def test_after_a_commit_only_the_new_entries_values_are_made_from_the_columns(tmp_path, monkeypatch):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    made = []
    values_of = knowledge._values_of
    monkeypatch.setattr(knowledge, "_values_of", lambda memory, start, stop: made.append(stop - start) or values_of(
        memory, start, stop))
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")  # (the check makes every edge's values from the columns)
    repo.commit({"src/m4.py": "M = 14\n"}, author=CAT)
    graph = ingest_repository(repo.root, cache_dir=cache).graph
    edges = len(graph.of_type(Rel.KNOWS))
    assert made and sum(made) < edges  # the entries of the one file the commit changed
    assert knowledge_of(graph) == knowledge_of(ingest_repository(repo.root, cache_dir=tmp_path / "cold").graph)


def test_a_wrong_index_fails_the_check_and_differs_from_a_cold_ingest(tmp_path, monkeypatch):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    loaded = knowledge.KnowledgeMemory.from_json

    def shuffled(data):  # the tuples remembered in another order than the indexes kept for them
        memory = loaded(data)
        if memory is not None and len(set(memory.values)) > 1:
            memory.values.reverse()
        return memory

    monkeypatch.setattr(knowledge.KnowledgeMemory, "from_json", staticmethod(shuffled))
    repo.commit({"src/m4.py": "M = 14\n"}, author=CAT)
    assert_caught_and_stale(repo, cache, tmp_path / "cold", monkeypatch, "kept by index")


def test_values_no_entry_has_are_let_go(tmp_path, monkeypatch):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    loaded = knowledge.KnowledgeMemory.from_json

    def padded(data):  # as after many ingests: tuples remembered that no entry has any more
        memory = loaded(data)
        if memory is not None:
            memory.values.extend((False, n, 0, None, 1) for n in range(1000, 1000 + knowledge.COMPACTED_VALUES + 1))
        return memory

    monkeypatch.setattr(knowledge.KnowledgeMemory, "from_json", staticmethod(padded))
    kept = []
    emit = knowledge._emit_knows
    monkeypatch.setattr(knowledge, "_emit_knows", lambda graph, memory, file_ids, **how: kept.append(len(memory.values))
                        or emit(graph, memory, file_ids, **how))
    repo.commit({"src/m4.py": "M = 14\n"}, author=CAT)
    graph = ingest_repository(repo.root, cache_dir=cache).graph
    assert kept and kept[0] < knowledge.COMPACTED_VALUES
    assert knowledge_of(graph) == knowledge_of(ingest_repository(repo.root, cache_dir=tmp_path / "cold").graph)



def test_a_memory_whose_indexes_run_past_its_tables_is_not_taken(tmp_path, monkeypatch):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    loaded = knowledge.KnowledgeMemory.from_json
    taken = []

    def past(column: str, beyond: str):
        def load(data):  # one entry's index one past the table it indexes (or -1)
            data = dict(data)
            data[column] = type(data[column])(data[column].typecode, data[column])
            data[column][-1] = -1 if beyond == "below" else len(data["values" if column == "shapes" else "ids"])
            taken.append(loaded(data))
            return taken[-1]
        return load

    repo.commit({"src/m4.py": "M = 14\n"}, author=CAT)
    cold = knowledge_of(ingest_repository(repo.root, cache_dir=tmp_path / "cold").graph)
    for column in ("shapes", "person"):
        for beyond in ("below", "above"):
            taken.clear()
            monkeypatch.setattr(knowledge.KnowledgeMemory, "from_json", staticmethod(past(column, beyond)))
            graph = ingest_repository(repo.root, cache_dir=cache).graph
            assert taken == [None] and knowledge_of(graph) == cold, (column, beyond)
    monkeypatch.setattr(knowledge.KnowledgeMemory, "from_json", staticmethod(lambda data: taken.append(loaded(data))
                                                                              or taken[-1]))
    taken.clear()
    ingest_repository(repo.root, cache_dir=cache)
    assert taken and taken[0] is not None  # (the memory as written is taken)
