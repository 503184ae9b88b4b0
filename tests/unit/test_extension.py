"""``ingest.code.extract.extension``: what ``os.path.splitext`` gives as the extension, for repository paths."""

from __future__ import annotations

import os

import pytest

from cairn.ingest.code.extract import extension

PATHS = ["a.py", "pkg/mod.py", "a/.b", ".b", "..py", "a/..py", "a.b/c", "a.b/c.d.e", "", ".", "..", "a/", "a./b",
         "x/.a.py", "...a", "a/...a.b", "a.", "a/b.", "a/.b.", "name.tar.gz", "dir/.hidden/file", "web/src/App.TSX",
         "no_extension", "dir.d/Makefile"]


@pytest.mark.parametrize("path", PATHS)
def test_the_extension_is_the_one_splitext_gives(path):
    assert extension(path) == os.path.splitext(path)[1]
