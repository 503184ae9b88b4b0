"""Why a path is skipped by its name: the answer worked out once per directory is the one each path's own check gives."""

from __future__ import annotations

import itertools

import pathspec

from cairn.ingest.files import BUILD_DIRS, GENERATED_SUFFIXES, TOP_BUILD_DIRS, VENDORED_DIRS, path_skip_reason

NONE = pathspec.PathSpec.from_lines("gitwildmatch", [])
#: an attribute that decides none of the reasons: the path is judged by its own parts, not its directory's verdict
UNRELATED = {"linguist-documentation": True}


def paths() -> list[str]:
    parts = sorted(VENDORED_DIRS | BUILD_DIRS | TOP_BUILD_DIRS | {"src", "a", "lib"})
    names = ["x.py", "x", "y.min.js"] + [f"m{suffix}" for suffix in GENERATED_SUFFIXES]
    out = list(names)
    for depth in (1, 2, 3):
        for dirs in itertools.islice(itertools.product(parts, repeat=depth), 0, None, max(1, len(parts) ** depth // 3000)):
            out.extend("/".join((*dirs, name)) for name in names)
    return out


def test_a_path_without_attributes_is_skipped_for_the_reason_its_own_parts_give():
    every = paths()
    expected = {p: path_skip_reason(p, NONE, UNRELATED) for p in every}
    assert set(expected.values()) == {None, "vendored", "build output", "generated"}
    for _ in range(2):  # the second time from the directories remembered
        assert [p for p in every if path_skip_reason(p, NONE, {}) != expected[p]] == []
        assert [p for p in every if path_skip_reason(p, NONE) != expected[p]] == []


def test_exclusions_and_attributes_still_decide_first():
    excluded = pathspec.PathSpec.from_lines("gitwildmatch", ["node_modules/"])
    assert path_skip_reason("node_modules/x.py", excluded) == "excluded"
    assert path_skip_reason("node_modules/x.py", NONE, {"linguist-vendored": False}) is None
    assert path_skip_reason("src/m_pb2.py", NONE, {"linguist-generated": False}) is None
    assert path_skip_reason("src/x.py", NONE, {"linguist-generated": True}) == "generated"
