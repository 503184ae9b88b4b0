"""What a repository's architecture document says a folder is: the purpose of a component card when neither a README
nor the package's own source says it.

An architecture document is a Markdown file the project wrote to describe its parts: ``ARCHITECTURE.md`` (or
``architecture.md``) at the repository's root or under ``docs/``/``doc/``, or the ``index.md`` or ``README.md`` of a
folder named ``architecture`` there (eslint's ``docs/src/contribute/architecture/index.md``), found at most
``DOCS_DEPTH`` folders deep and ``DOCS_ENTRIES`` entries into the search. A folder is described by a list item that
opens with its path as code, then a separator (``-``, ``–``, ``—``, ``:``) and the description: eslint's "- `lib/linter/`
- this module is the core `Linter` class that does code verifying based on configuration options." The path must
be the folder's own from the repository's root (a trailing ``/`` or leading ``./`` aside): a file's (``bin/eslint.js``)
or a sub-folder's (``lib/languages/js/``) describes that, not the component.

Read from the checkout when the card is shown, only read, ``READ_CHARS`` of each document; parsed by CommonMark
(markdown-it-py); the documents found and what each says are kept while the folders and files are unchanged.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from cairn.queries.explore.common import commonmark
from cairn.queries.explore.package_docs import read_start

READ_CHARS = 100_000
DOCS_DEPTH = 4
DOCS_ENTRIES = 5_000
DOCUMENT_NAMES = ("architecture.md",)
FOLDER_DOCUMENTS = ("index.md", "readme.md")
_EMPHASIS = ("strong_open", "strong_close", "em_open", "em_close")
_SEPARATOR = re.compile(r"\A\s*(?:[-–—:]\s+|:)")


def architecture_purpose(root: Path, directory: str) -> tuple[str, str] | None:
    """(what an architecture document says the folder ``directory`` is, the document), or None."""
    if not directory:
        return None
    for document in _documents(root):
        try:
            stamp = (root / document).stat().st_mtime_ns
        except OSError:
            continue
        described = _described_folders(str(root), document, stamp).get(directory.strip("/"))
        if described:
            return described, document
    return None


def _documents(root: Path) -> tuple[str, ...]:
    stamps = []
    for folder in ("", "docs", "doc"):
        try:
            stamps.append((root / folder).stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return _found_documents(str(root), tuple(stamps))


@lru_cache(maxsize=64)
def _found_documents(root: str, _stamps: tuple[int | None, ...]) -> tuple[str, ...]:
    """The architecture documents of the checkout at ``root`` (``_stamps``: its folders' times, the cache's key)."""
    found = [name for name in _names(root) if name.lower() in DOCUMENT_NAMES]
    budget = [DOCS_ENTRIES]
    for folder in ("docs", "doc"):
        found += _search(root, folder, DOCS_DEPTH, budget)
    return tuple(found)


def _names(path: str) -> list[str]:
    try:
        with os.scandir(path) as entries:
            return sorted(e.name for e in entries if e.is_file(follow_symlinks=False))
    except OSError:
        return []


def _search(root: str, relative: str, depth: int, budget: list[int]) -> list[str]:
    """The architecture documents under ``relative`` (never through a link), in name order."""
    found = []
    try:
        with os.scandir(os.path.join(root, relative)) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError:
        return []
    budget[0] -= len(entries)
    in_architecture = os.path.basename(relative).lower() == "architecture"
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            name = entry.name.lower()
            if name in DOCUMENT_NAMES or in_architecture and name in FOLDER_DOCUMENTS:
                found.append(f"{relative}/{entry.name}")
    for entry in entries:
        if depth > 1 and budget[0] > 0 and entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".") \
                and entry.name != "node_modules":
            found += _search(root, f"{relative}/{entry.name}", depth - 1, budget)
    return found


@lru_cache(maxsize=64)
def _described_folders(root: str, document: str, _stamp: int) -> dict[str, str]:
    """Folder path -> what the document's list items say of it (the first item for each)."""
    text = read_start(Path(root), document, READ_CHARS)
    if not text:
        return {}
    tokens = commonmark().parse(text)
    described: dict[str, str] = {}
    for opening, paragraph, inline in zip(tokens, tokens[1:], tokens[2:]):
        if opening.type != "list_item_open" or paragraph.type != "paragraph_open" or inline.type != "inline":
            continue
        # (the path may be in bold or emphasis: "**`lib/web`**: …")
        children = [c for c in inline.children or [] if c.type not in _EMPHASIS and (c.content or c.type != "text")]
        if not children or children[0].type != "code_inline":
            continue
        folder = children[0].content.strip().removeprefix("./").strip("/")
        rest = _plain(children[1:])
        separator = _SEPARATOR.match(rest)
        if folder and "." not in folder.rsplit("/", 1)[-1] and separator and folder not in described:
            words = rest[separator.end():].split()
            if len(words) >= 3:
                if words[0].isalpha() and words[0].islower():  # a sentence after the separator ("this module is …")
                    words[0] = words[0].capitalize()
                described[folder] = " ".join(words)
    return described


def _plain(children: list[Any]) -> str:
    """The text an inline run shows: its words, code spans and links' text; no images or HTML."""
    parts = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
