"""The parse cache is data: it round-trips exactly, and anything else in its place is ignored with a note."""

from __future__ import annotations

import json
import os
import pickle
from collections import Counter
from dataclasses import replace

import pytest

from cairn.ingest.code.base import ParsedFile, RawImport, ResolvedImport
from cairn.ingest.code import cache as cache_module
from cairn.ingest.code.cache import ADDED_FILE, CACHE_FILE, STATE_FILE, VERSION, ParseCache, _Block, _Unread
from cairn.ingest.code.extract import SourceFile, extract_code
from cairn.ingest.code.result import CodeResult

ODD_NAME = "caf\udce9.py"  # a non-UTF-8 file name, as git lists it (surrogate escapes)


def filled(directory) -> tuple[ParseCache, CodeResult]:
    cache = ParseCache(directory)
    cache.entries[("python", "2", ".py", "a" * 40)] = ParsedFile(
        ODD_NAME, "python", [RawImport("os", 1), RawImport("x.y", 3, "type_only", 2, ("a", "b")), RawImport("z", 4, "dynamic", 1, ("__name__",))], None, 1, 42)
    cache.entries[("java", "1", ".java", "b" * 64)] = ParsedFile("A.java", "java", [RawImport("java.util.*", 2, static=True)], "com.acme", 0)
    cache.entries[("go", "2", ".go", "c" * 40)] = ParsedFile("main.go", "go", [], "main", 0)
    cache.entries_dirty = True
    cache.stats[ODD_NAME] = (12, 1_700_000_000_123_456_789, "a" * 40)
    cache.skips["d" * 40] = "binary"
    result = CodeResult(
        modules={"cafe": (ODD_NAME, "python", [ODD_NAME]), "ns": ("ns", "python", []), "example.com/m": ("m", "go", ["m/a.go", "m/b.go"])},
        file_module={ODD_NAME: "cafe", "m/a.go": "example.com/m", "m/b.go": "example.com/m"},
        imports={"cafe": [ResolvedImport("os", 1, "runtime", True, ODD_NAME)], "ns": [],
                 "example.com/m": [ResolvedImport("fmt", 3, "runtime", True, "m/a.go"), ResolvedImport("fmt", 5, "runtime", True, "m/b.go")]},
        languages=Counter(python=1, go=2), syntax_errors={ODD_NAME: 1}, skipped_content={"bin.py": "binary"}, parsed=3, notes=["a note"],
        lines={ODD_NAME: 42, "m/a.go": 7, "m/b.go": 0},
    )
    cache.remember("f1", {"pyproject.toml": "e" * 40, "tsconfig.json": None}, result)
    return cache, result


def test_everything_round_trips(tmp_path):
    cache, result = filled(tmp_path)
    cache.save()
    again = ParseCache(tmp_path)
    assert again.notes == []
    assert again.stats == cache.stats and again.skips == cache.skips
    assert again.recall("f1") == ({"pyproject.toml": "e" * 40, "tsconfig.json": None}, result)
    assert again.entries == cache.entries
    assert again.recall("missing") is None
    # Saving again with an untouched (still encoded) result keeps it, and the oldest result goes when more are remembered.
    again.remember("f2", {}, CodeResult())
    again.save()
    third = ParseCache(tmp_path)
    assert third.recall("f1")[1] == result and third.recall("f2")[1] == CodeResult()
    third.remember("f3", {}, CodeResult(parsed=1))
    assert third.recall("f1") is None


def test_the_cache_files_are_written_a_part_at_a_time(tmp_path, monkeypatch):
    from cairn.graph import atomic

    written: dict[str, list[bytes]] = {}
    real = atomic.write_atomic

    def kept(path, data):
        parts = [data] if isinstance(data, bytes) else [bytes(part) for part in data]
        written[path.name] = parts
        real(path, parts)

    monkeypatch.setattr(cache_module, "write_atomic", kept)
    monkeypatch.setattr(cache_module, "BLOCK_FILES", 1)  # a block per parsed file
    cache, result = filled(tmp_path)
    cache.remember("f2", {}, CodeResult(parsed=1))
    cache.save()
    # the head, then each block (each result) apart: never the whole document in one piece
    assert len(written[CACHE_FILE]) == 1 + 3 + 2 + 1 and len(written[STATE_FILE]) == 1 + 2 + 1 + 1
    for name in (CACHE_FILE, STATE_FILE):
        assert max(map(len, written[name])) < len(b"".join(written[name]))
    again = ParseCache(tmp_path)
    assert again.entries == cache.entries and again.recall("f1")[1] == result and again.recall("f2")[1] == CodeResult(parsed=1)
    assert (tmp_path / CACHE_FILE).read_bytes() == b"".join(written[CACHE_FILE])


@pytest.mark.parametrize("name, content, why", [
    (STATE_FILE, b"{not json", "not valid JSON"),
    (STATE_FILE, b"[1, 2, 3]", "not a Cairn parse cache"),
    (STATE_FILE, json.dumps({"format": "something-else", "version": VERSION}).encode(), "not a Cairn parse cache"),
    (STATE_FILE, json.dumps({"format": "cairn-parse-state", "version": 4}).encode(), "version 4, this Cairn writes"),
    (STATE_FILE, json.dumps({"format": "cairn-parse-state", "version": VERSION, "paths": [2, "a"], "stats": {}}).encode(), "not in the expected shape"),
    (STATE_FILE, b"[" * 200_000, "not valid JSON"),
    (CACHE_FILE, json.dumps({"format": "cairn-parse-cache", "version": VERSION, "key": {}}).encode(), "not in the expected shape"),
], ids=["broken", "a-list", "foreign", "old-version", "misshapen-state", "deeply-nested", "misshapen-entries"])
def test_a_broken_or_foreign_cache_is_ignored_with_a_note_and_rebuilt(tmp_path, name, content, why):
    cache, _ = filled(tmp_path)
    cache.save()
    (tmp_path / name).write_bytes(content)
    again = ParseCache(tmp_path)
    entries = again.entries
    assert any(n.startswith(f"parse cache: {name}") and why in n and n.endswith("ignored and rebuilt") for n in again.notes), again.notes
    if name == STATE_FILE:
        assert again.stats == {} and again.recall("f1") is None and len(entries) == 3
    else:
        assert entries == {} and again.recall("f1") is not None


def test_a_result_whose_columns_disagree_is_dropped_when_recalled(tmp_path):
    cache, _ = filled(tmp_path)
    cache.save()
    state = json.loads((tmp_path / STATE_FILE).read_text())
    state["results"][0]["result"]["imports"]["line"].pop()
    (tmp_path / STATE_FILE).write_text(json.dumps(state))
    again = ParseCache(tmp_path)
    assert again.recall("f1") is None and "holds a result not in the expected shape" in again.notes[0]


def test_a_result_decodes_to_the_imports_it_was_written_with_in_any_order_of_its_modules(tmp_path):
    # the imports are made in bulk and put in their modules' lists a run at a time: a module whose imports are written
    # apart (another writer's order), one with none and one never named must each come back as ``ResolvedImport(...)``
    cache, result = filled(tmp_path)
    cache.save()
    state = json.loads((tmp_path / STATE_FILE).read_text())
    imports = state["results"][0]["result"]["imports"]
    order = [1, 0, 2]  # cafe's import between example.com/m's two
    for column in ("module", "file", "line", "kind", "external"):
        imports[column] = [imports[column][i] for i in order]
    targets = imports["target"]  # a NUL-joined table (``_join``): reordered as a list, then joined again
    from cairn.ingest.code.cache import _join, _split
    imports["target"] = _join([_split(targets)[i] for i in order])
    (tmp_path / STATE_FILE).write_text(json.dumps(state))
    recalled = ParseCache(tmp_path).recall("f1")[1]
    assert recalled == result and list(recalled.imports) == list(result.imports)
    assert all(type(imp) is ResolvedImport and imp == ResolvedImport(*imp)
               for found in recalled.imports.values() for imp in found)


@pytest.mark.parametrize("damage", ["module-column-short", "kind-out-of-range", "module-not-listed"])
def test_a_result_with_a_damaged_import_column_is_dropped_when_recalled(tmp_path, damage):
    cache, _ = filled(tmp_path)
    cache.save()
    state = json.loads((tmp_path / STATE_FILE).read_text())
    imports = state["results"][0]["result"]["imports"]
    if damage == "module-column-short":
        imports["module"].pop()
    elif damage == "kind-out-of-range":
        imports["kind"][0] = 7
    else:
        state["results"][0]["result"]["with_imports"] = [0]  # example.com/m's imports name a module with no list
    (tmp_path / STATE_FILE).write_text(json.dumps(state))
    again = ParseCache(tmp_path)
    assert again.recall("f1") is None and "holds a result not in the expected shape" in again.notes[0]


def test_an_old_pickle_is_never_opened(tmp_path):
    marker = tmp_path / "unpickled"

    class Payload:
        def __reduce__(self):
            return os.mkdir, (str(marker),)

    (tmp_path / "parse-state.pickle").write_bytes(pickle.dumps(Payload()))
    (tmp_path / "parse-cache.pickle").write_bytes(pickle.dumps(Payload()))
    cache = ParseCache(tmp_path)
    assert cache.entries == {} and not marker.exists()
    assert cache.notes == [
        "parse cache: parse-state.pickle (an older Cairn's, or a planted one) ignored: Cairn never loads pickle",
        "parse cache: parse-cache.pickle (an older Cairn's, or a planted one) ignored: Cairn never loads pickle",
    ]


def test_extraction_reuses_the_saved_cache_without_reading_files(tmp_path):
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    files = {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\nimport os\n", "pkg/b.py": ""}
    for path, text in files.items():
        (root / path).write_text(text)
    sources = [SourceFile(p, (root / p).stat().st_size, (root / p).stat().st_mtime_ns) for p in files]
    cache = ParseCache(tmp_path / "cache")
    first = extract_code(sources, lambda p: (root / p).read_bytes(), all_paths=frozenset(files), read_text=lambda p: None, cache=cache)
    cache.save()

    def refuse(path: str) -> bytes:
        raise AssertionError(f"{path} was read")

    warm = ParseCache(tmp_path / "cache")
    second = extract_code(sources, refuse, all_paths=frozenset(files), read_text=lambda p: None, cache=warm)
    assert (second.parsed, second.cached) == (0, 3)
    assert second.imports == first.imports and second.modules == first.modules
    assert second.imports["pkg.a"][0].file == "pkg/a.py"


def test_tracked_cache_files_are_those_the_repository_commits(tmp_path):
    from cairn.ingest.code.cache import tracked_cache_files
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"a.py": "", ".cairn/cache/parse-state.pickle": b"not read anyway"})
    cache = repo.root / ".cairn" / "cache"
    assert tracked_cache_files(repo.root, cache) == []
    (cache / "parse-state.json").write_text("{}")
    assert tracked_cache_files(repo.root, cache) == []  # written by Cairn, untracked
    repo.commit(message="commit the cache")
    assert tracked_cache_files(repo.root, cache) == [".cairn/cache/parse-state.json"]
    assert tracked_cache_files(repo.root, tmp_path / "elsewhere") == [] and tracked_cache_files(repo.root, None) == []


def test_a_result_read_back_is_saved_as_it_was_read(tmp_path):
    cache, result = filled(tmp_path)
    cache.save()
    kept = json.loads((tmp_path / STATE_FILE).read_text())["results"]
    again = ParseCache(tmp_path)
    assert again.recall("f1")[1] == result  # decoded for use…
    again.stats = {"moved/elsewhere.py": (1, 2, "a" * 40)}  # …while the stats' path table changes
    again.remember("f2", {}, CodeResult(parsed=2))
    again.save()
    state = json.loads((tmp_path / STATE_FILE).read_text())
    assert [r for r in state["results"] if r["fingerprint"] == "f1"] == kept  # …and written back untouched
    third = ParseCache(tmp_path)
    assert third.recall("f1")[1] == result and third.recall("f2")[1] == CodeResult(parsed=2)
    assert third.stats == {"moved/elsewhere.py": (1, 2, "a" * 40)}


def test_files_parsed_since_the_cache_was_written_whole_are_added_beside_it_then_folded_in(tmp_path, monkeypatch):
    from cairn.ingest.code import cache as cache_module

    cache, _ = filled(tmp_path)
    cache.save()
    whole = (tmp_path / CACHE_FILE).read_bytes()
    assert not (tmp_path / ADDED_FILE).exists()
    monkeypatch.setattr(cache_module, "MIN_FOLD", 2)
    again = ParseCache(tmp_path)
    again.entries[("python", "2", ".py", "e" * 40)] = ParsedFile("new.py", "python", [RawImport("os", 1)], None, 0, 3)
    again.entries_dirty = True
    again.save()
    assert (tmp_path / CACHE_FILE).read_bytes() == whole  # the whole file is not written again for one file
    third = ParseCache(tmp_path)
    assert third.entries == again.entries and len(third.entries) == 4
    third.entries[("python", "2", ".py", "f" * 40)] = ParsedFile("newer.py", "python", [], None, 0, 1)
    third.entries_dirty = True
    third.save()  # two added: folded in
    assert not (tmp_path / ADDED_FILE).exists() and (tmp_path / CACHE_FILE).read_bytes() != whole
    assert ParseCache(tmp_path).entries == third.entries


def test_a_broken_added_file_loses_only_its_entries(tmp_path):
    cache, _ = filled(tmp_path)
    cache.save()
    (tmp_path / ADDED_FILE).write_bytes(b"{not json")
    again = ParseCache(tmp_path)
    assert len(again.entries) == 3 and any(ADDED_FILE in n and "not valid JSON" in n for n in again.notes)


def carried(result: CodeResult, n: int) -> CodeResult:
    """``result`` after a commit that moved one import of one module (what ``carry_over`` makes: the rest shared)."""
    return replace(result, imports={**result.imports, "cafe": [ResolvedImport("os", n, "runtime", True, ODD_NAME)]},
                   lines={**result.lines, ODD_NAME: 40 + n}, parsed=n)


def commits(directory, reencode: bool) -> list[tuple[str, dict, CodeResult]]:
    """Five runs after ``filled``, each reading the file, carrying a result over and saving; ``reencode``: every result
    read is encoded again on save (what the cache did before it kept the text it read)."""
    cache, result = filled(directory)
    cache.save()
    remembered = [("f1", {"pyproject.toml": "e" * 40, "tsconfig.json": None}, result)]
    for n in range(2, 7):
        before = json.loads((directory / STATE_FILE).read_text())["results"]
        run = ParseCache(directory)
        if reencode:  # each result read decoded whole, and its text forgotten
            run._results = {fingerprint: (reads, result, run._read_whole(fingerprint, kept) if type(kept) is _Unread else kept)
                            for fingerprint, (reads, result, kept) in run._results.items()}
            run._texts.clear()
        newest = run.recall(remembered[-1][0])[1] if n % 2 else None  # every other run leaves the results encoded
        new = carried(result if newest is None else newest, n)
        run.stats[f"new{n}.py"] = (n, n, f"{n:x}" * 40)
        run.skips.pop("d" * 40, None)
        run.remember(f"f{n}", {"run": str(n)}, new)
        run.save()
        remembered.append((f"f{n}", {"run": str(n)}, new))
        after = (directory / STATE_FILE).read_text()
        fingerprints = [r["fingerprint"] for r in json.loads(after)["results"]]
        assert len(fingerprints) == len(set(fingerprints)) and f"f{n}" in fingerprints  # none lost, none twice
        for old in before:  # a result read back is written as the very text it was read as
            if old["fingerprint"] in fingerprints and not reencode:
                assert json.dumps(old, separators=(",", ":")) in after
    return remembered


def test_saves_after_several_commits_read_back_as_the_same_cache_encoded_whole(tmp_path):
    remembered = commits(tmp_path / "kept", reencode=False)
    assert commits(tmp_path / "whole", reencode=True) == remembered
    kept, whole = ParseCache(tmp_path / "kept"), ParseCache(tmp_path / "whole")
    assert json.loads((tmp_path / "kept" / STATE_FILE).read_text()) == json.loads((tmp_path / "whole" / STATE_FILE).read_text())
    assert kept.notes == whole.notes == [] and kept.stats == whole.stats and len(kept.stats) == 6 and kept.skips == {}
    for fingerprint, reads, result in remembered:
        recalled = kept.recall(fingerprint)
        assert recalled == whole.recall(fingerprint) and recalled in (None, (reads, result))
    assert kept.recall("f6") == remembered[-1][1:] and kept.recall("f5") == remembered[-2][1:]


def test_a_state_file_another_writer_laid_out_is_still_read_and_saved(tmp_path):
    cache, result = filled(tmp_path)
    cache.save()
    state = json.loads((tmp_path / STATE_FILE).read_text())
    (tmp_path / STATE_FILE).write_text(json.dumps(state, indent=2))
    again = ParseCache(tmp_path)
    assert again.notes == [] and again.stats == cache.stats
    again.remember("f2", {}, carried(result, 2))
    again.save()
    third = ParseCache(tmp_path)
    assert third.notes == [] and third.recall("f1")[1] == result and third.recall("f2")[1] == carried(result, 2)


@pytest.mark.parametrize("damage", ["truncated", "trailing-comma", "extra-data", "twice-the-results"])
def test_a_damaged_state_file_is_ignored_with_a_note(tmp_path, damage):
    cache, result = filled(tmp_path)
    cache.remember("f2", {}, carried(result, 2))
    cache.save()
    text = (tmp_path / STATE_FILE).read_text()
    at = text.index('"results":[') + len('"results":[')
    damaged = {"truncated": text[:len(text) * 3 // 4], "trailing-comma": text[:-2] + ",]}",
               "extra-data": text + "{}", "twice-the-results": text[:at] + text[at:-2] + "," + text[at:]}[damage]
    (tmp_path / STATE_FILE).write_text(damaged)
    again = ParseCache(tmp_path)
    if damage == "twice-the-results":  # valid JSON still: each result once, as json.loads reads it
        assert again.notes == [] and again.recall("f1")[1] == result and again.recall("f2")[1] == carried(result, 2)
        again.dirty = True
        again.save()
        assert [r["fingerprint"] for r in json.loads((tmp_path / STATE_FILE).read_text())["results"]] == ["f1", "f2"]
        return
    assert any(n.startswith(f"parse cache: {STATE_FILE} not valid JSON") for n in again.notes), again.notes
    assert again.stats == {} and again.recall("f1") is None and again.recall("f2") is None


def test_parsed_files_read_from_the_cache_are_made_when_first_asked_for(tmp_path):
    cache, _ = filled(tmp_path)
    cache.save()
    entries = ParseCache(tmp_path).entries
    key = ("java", "1", ".java", "b" * 64)
    assert key in entries and key in entries.keys() and len(entries) == 3
    assert not any(isinstance(value, ParsedFile) for value in entries._values.values())  # none made yet
    assert entries.get(key) == cache.entries[key] and entries[key] is entries.get(key)  # made once, then kept
    assert sum(isinstance(value, ParsedFile) for value in entries._values.values()) == 1
    assert entries.get(("java", "1", ".java", "0" * 64)) is None and dict(entries) == dict(cache.entries)



def test_a_save_after_a_few_files_were_parsed_makes_only_those_of_the_cache_file_s_entries(tmp_path):
    cache, _ = filled(tmp_path)
    cache.save()
    again = ParseCache(tmp_path)
    added = ("python", "2", ".py", "e" * 40)
    again.entries[added] = ParsedFile("new.py", "python", [RawImport("os", 1)], None, 0, 3)
    again.entries_dirty = True
    again.save()  # one added to three: written beside the cache file
    assert (tmp_path / ADDED_FILE).exists()
    assert [key for key, value in again.entries._values.items() if isinstance(value, ParsedFile)] == [added]
    assert dict(ParseCache(tmp_path).entries) == {**dict(cache.entries), added: again.entries[added]}

@pytest.mark.parametrize("damage", ["import-count", "negative-count", "kind", "lines", "file-column"])
def test_a_cache_file_with_a_damaged_column_is_ignored_as_a_whole(tmp_path, damage):
    cache, _ = filled(tmp_path)
    cache.save()
    data = json.loads((tmp_path / CACHE_FILE).read_text())
    columns = data["body"][0]  # (the one block of three files)
    if damage == "import-count":
        columns["file"]["imports"][0] += 1
    elif damage == "negative-count":
        counts = columns["file"]["imports"]
        counts[0], counts[1] = -1, counts[1] + counts[0] + 1
    elif damage == "kind":
        columns["import"]["kind"][0] = 3
    elif damage == "lines":
        columns["file"]["lines"][0] = "many"
    else:
        columns["file"]["errors"].pop()
    (tmp_path / CACHE_FILE).write_text(json.dumps(data))
    again = ParseCache(tmp_path)
    assert again.entries == {} and any("parse-cache.json not in the expected shape" in n for n in again.notes), again.notes


def test_a_cache_file_s_blocks_are_read_when_a_file_of_theirs_is_first_made(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    monkeypatch.setattr(cache_module, "BLOCK_FILES", 2)
    cache, _ = filled(tmp_path)
    cache.save()
    assert json.loads((tmp_path / CACHE_FILE).read_text())["blocks"][0][0] == 2  # three files: two blocks
    entries = ParseCache(tmp_path).entries
    table = next(iter(entries._values.values()))[0]
    assert [type(block) for block in table._blocks] == [str, str]  # the keys alone read: the skip taken
    key = ("go", "2", ".go", "c" * 40)  # the third file: the second block
    assert entries[key] == cache.entries[key] and [type(block) for block in table._blocks] == [str, _Block]
    assert dict(entries) == dict(cache.entries) and not any(type(block) is str for block in table._blocks)


def test_cache_file_blocks_that_do_not_pass_their_check_are_read_at_once_and_a_damage_found(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    cache, _ = filled(tmp_path)
    cache.save()
    text = (tmp_path / CACHE_FILE).read_text()
    damaged = text.replace('"kind":[0,1,2,0]', '"kind":[0,1,2,3]')  # the same length: only the CRC-32 tells
    assert damaged != text
    (tmp_path / CACHE_FILE).write_text(damaged)
    again = ParseCache(tmp_path)
    assert again.entries == {} and any("parse-cache.json not in the expected shape" in n for n in again.notes), again.notes


def test_a_cache_file_written_before_blocks_is_read(tmp_path):
    cache, _ = filled(tmp_path)
    cache.save()
    data = json.loads((tmp_path / CACHE_FILE).read_text())
    [block] = data.pop("body")
    del data["blocks"]
    (tmp_path / CACHE_FILE).write_text(json.dumps({**data, **block}, separators=(",", ":")))
    again = ParseCache(tmp_path)
    assert again.notes == [] and dict(again.entries) == dict(cache.entries)


def two_whole_results(directory) -> tuple[CodeResult, CodeResult]:
    """A state file holding two whole results (as after a commit that changed imports: nothing shared, no patch)."""
    cache, result = filled(directory)
    other = replace(result, imports={**result.imports, "cafe": []}, modules=dict(result.modules), parsed=9)
    cache.remember("f2", {}, other)
    cache.save()
    return result, other


def test_a_result_not_recalled_is_not_decoded_and_is_written_back_as_it_was_read(tmp_path, monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    result, other = two_whole_results(tmp_path)
    state = json.loads((tmp_path / STATE_FILE).read_text())
    assert "base" not in state["results"][1] and state["sizes"] == [len(json.dumps(r, separators=(",", ":"))) for r in state["results"]]
    before = (tmp_path / STATE_FILE).read_text()
    again = ParseCache(tmp_path)
    assert {fingerprint: type(kept) for fingerprint, (_, _, kept) in again._results.items()} == {"f1": _Unread, "f2": _Unread}
    assert again._results["f1"][2] == {"fingerprint": "f1", "reads": {"pyproject.toml": "e" * 40, "tsconfig.json": None}}
    assert again.recall("f2") == ({}, other)
    assert type(again._results["f1"][2]) is _Unread and again._results["f1"][1] is None  # the skip: f1 never decoded
    assert type(again._results["f2"][2]) is _Unread  # (only its header kept once decoded)
    again.dirty = True
    again.save()
    assert (tmp_path / STATE_FILE).read_text() == before
    third = ParseCache(tmp_path)
    assert third.notes == [] and third.recall("f1")[1] == result and third.recall("f2")[1] == other


def test_a_result_whose_text_says_otherwise_than_its_header_is_caught_when_verifying_and_dropped_when_not(tmp_path, monkeypatch):
    two_whole_results(tmp_path)
    text = (tmp_path / STATE_FILE).read_text()
    state = json.loads(text)
    # the first result written with its reads twice: the header (read first) and the whole item (the last wins) differ
    item = json.dumps(state["results"][0], separators=(",", ":"))
    forged = item[:-1] + ',"reads":{"forged":null}}'
    forged_sizes = json.dumps(state["sizes"], separators=(",", ":")).replace(str(len(item)), str(len(forged)), 1)
    text = text.replace(item, forged).replace('"sizes":' + json.dumps(state["sizes"], separators=(",", ":")), '"sizes":' + forged_sizes)
    (tmp_path / STATE_FILE).write_text(text)
    with pytest.raises(AssertionError, match="taken by its size"):
        ParseCache(tmp_path)  # CAIRN_VERIFY_SKIPS=1 (tests/conftest.py): every header checked against the whole item
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    again = ParseCache(tmp_path)
    assert type(again._results["f1"][2]) is _Unread
    assert again.recall("f1") is None and "holds a result not in the expected shape" in again.notes[0]


@pytest.mark.parametrize("sizes", [[1, 2], "x", [10**9, 1], []], ids=["too-small", "not-a-list", "past-the-end", "none"])
def test_sizes_that_do_not_fit_the_results_leave_them_read_whole(tmp_path, sizes):
    result, other = two_whole_results(tmp_path)
    state = json.loads((tmp_path / STATE_FILE).read_text())
    text = (tmp_path / STATE_FILE).read_text().replace('"sizes":' + json.dumps(state["sizes"], separators=(",", ":")),
                                                        '"sizes":' + json.dumps(sizes, separators=(",", ":")))
    (tmp_path / STATE_FILE).write_text(text)
    again = ParseCache(tmp_path)
    assert again.notes == [] and all(type(kept) is not _Unread for _, _, kept in again._results.values())
    assert again.recall("f1")[1] == result and again.recall("f2")[1] == other
