"""Driving one language through the extraction contract (ingest/code/base.py), as the driver would.

The language tests build a real git repository, then ``load`` parses every
tracked file of that language and builds its resolver over the whole
repository; ``edges`` resolves every file's imports.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from cairn.ingest.code.base import Language, Layout, ParsedFile, Resolver


def load(root: Path, language: Language) -> tuple[Resolver, dict[str, ParsedFile]]:
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
    every = [p for p in listed.decode().split("\0") if p]
    files = [p for p in every if language.handles(p)]
    parsed = {p: language.parse(p, (root / p).read_bytes()) for p in files}

    def read_text(path: str) -> str | None:
        try:
            return (root / path).read_text()
        except OSError:
            return None

    return language.resolver(Layout(files, frozenset(every), parsed, read_text)), parsed


def edges(resolver: Resolver, parsed: dict[str, ParsedFile], *, with_kind: bool) -> set[tuple]:
    """(source, target, [kind,] external) for every resolved import of every file that has a module."""
    found = set()
    for path, pf in parsed.items():
        source = resolver.module_of(path)
        if source is None:
            continue
        for imp in resolver.resolve(pf):
            found.add((source, imp.target, imp.kind, imp.external) if with_kind else (source, imp.target, imp.external))
    return found
