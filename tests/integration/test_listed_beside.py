"""The files' listing begun in a forked child (``listed_beside.ListedBeside``) is the listing made in process, field for
field (skips, attributes, filters, a name that is not UTF-8), and it is made again in process
when the validated configuration lists with other settings than the ones it was begun with, or the child fails."""

from __future__ import annotations

import dataclasses
import os

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph import forked
from cairn.ingest import listed_beside
from cairn.ingest.codeowners import read_codeowners
from cairn.ingest.components import build_units, infer_components
from cairn.ingest.files import Listing, list_files
from cairn.ingest.listed_beside import ListedBeside
from cairn.ingest.linguist import truck_factor_scope
from cairn.ingest.owned_components import codeowners_components
from fixtures.gitrepo import GitRepo

forking = pytest.mark.skipif(not forked.ENABLED, reason="forking is Linux-only")


@pytest.fixture
def checkout(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.write({
        "app/main.py": "import os\n",
        "app/big.py": "x = 1\n" * 300_000,
        "app/gen_pb2.py": "# generated\n",
        "node_modules/lib/index.js": "module.exports = 1\n",
        "docs/readme.md": "# hi\n", "docs/blob.md": b"\x00\x01binary",
        "examples/demo.py": "print(1)\n",
        ".gitattributes": "lib/** linguist-vendored\ngen.py linguist-generated=true\nbig.bin filter=lfs\n",
        "lib/x.py": "", "gen.py": "", "big.bin": "x", "run": "#!/bin/sh\necho\n", "pkg/a/m.py": "", "pkg/b/n.py": "",
        ".github/CODEOWNERS": "/pkg/a/ @team-a\n",
    })
    (repo.root / "odd\udce9.py").write_bytes(b"x = 1\n")  # the name's bytes: b"odd\xe9.py", not UTF-8
    os.symlink("main.py", repo.root / "app/link.py")
    repo.commit(message="init")
    return repo.root.resolve()


def _fields(listing: Listing) -> dict[str, object]:
    """Every field, with the order of the ones that have one."""
    return {f.name: (lambda v: list(v.items()) if isinstance(v, dict) else v)(getattr(listing, f.name))
            for f in dataclasses.fields(listing)}


@forking
def test_the_listing_from_the_child_is_the_one_made_in_process(checkout, monkeypatch) -> None:
    beside = ListedBeside(checkout, ["examples/**"], 100_000, "r").start()
    beside._compute = lambda: pytest.fail("listed in process")
    got = beside.listing(checkout, ["examples/**"], 100_000)
    want = list_files(checkout, exclude=["examples/**"], max_file_bytes=100_000)
    assert _fields(got) == _fields(want)
    assert got.skipped == {"oversized": 1, "generated": 2, "vendored": 2, "excluded": 1, "symlink": 1, "name not UTF-8": 1}
    assert "odd\udce9.py" in got.all_paths  # the name's bytes travel back as they are
    derived = beside.derived()
    source = sorted(f.path for f in want.kept if f.language is not None)
    assert derived.scope == {f.path: truck_factor_scope(f.path, f.language, want.attributes.get(f.path))
                             for f in want.kept if f.language is not None}
    owners = read_codeowners(checkout)
    units = build_units(want.all_paths)
    defs = infer_components(source, "r", units)
    defs += codeowners_components(owners, source, defs)
    none = frozenset()
    got_defs = derived.defs(source, "r", owners, units, none)
    assert list(map(repr, got_defs)) == list(map(repr, defs)) and len(defs) == 3  # (a, b, pkg/a)
    # other inputs than the child's: the driver skipped a file, another name, other CODEOWNERS rules, other build units
    # or entry points
    assert derived.defs(source[1:], "r", owners, units, none) is None
    assert derived.defs(source, "s", owners, units, none) is None
    assert derived.defs(source, "r", owners, units | {"pkg/a"}, none) is None
    assert derived.defs(source, "r", owners, units, frozenset({"index.js"})) is None
    (checkout / ".github/CODEOWNERS").write_text("/pkg/b/ @team-b\n")
    assert derived.defs(source, "r", read_codeowners(checkout), units, none) is None


@forking
def test_other_settings_or_a_failed_child_list_in_process(checkout, monkeypatch) -> None:
    beside = ListedBeside(checkout, [], 1_000_000, "r").start()
    other = beside.listing(checkout, ["examples/**"], 1_000_000)  # the configuration validated says otherwise
    assert _fields(other) == _fields(list_files(checkout, exclude=["examples/**"]))
    beside = ListedBeside(checkout, [], 1_000_000, "r")
    monkeypatch.setattr(listed_beside, "_decoded_listing", lambda part: None)  # what came does not decode
    assert _fields(beside.start().listing(checkout, [], 1_000_000)) == _fields(list_files(checkout))
    assert beside.derived() is None  # (computed in process then)


@pytest.mark.parametrize("fork", [True, False], ids=["beside", "in-process"])
def test_an_ingest_after_a_commit_lists_beside_with_the_settings_as_written(checkout, tmp_path, monkeypatch,
                                                                            fork) -> None:
    if fork and not forked.ENABLED:
        pytest.skip("forking is Linux-only")
    monkeypatch.setattr(forked, "ENABLED", fork)
    repo = GitRepo(checkout, init=False)
    store = open_store(str(tmp_path / "store"))
    begun: list[tuple] = []
    start = ListedBeside.start
    monkeypatch.setattr(ListedBeside, "start", lambda self: begun.append(self.begun) or start(self))
    ingest_into_store(store, checkout)
    assert begun == []  # the whole history is read: git and its reader have both cores
    repo.commit({"cairn.toml": '[ingest]\nexclude = ["examples/**"]\nmax_file_bytes = 100000\n'}, message="settings")
    result = ingest_into_store(store, checkout)
    assert begun == [(checkout, ["examples/**"], 100_000)]
    assert result.summary.skipped == {"oversized": 1, "generated": 2, "vendored": 2, "excluded": 1, "symlink": 1,
                                      "name not UTF-8": 1}
