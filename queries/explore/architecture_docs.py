"""What a repository's own documents say a folder is: its architecture document, else its root README — the purpose
of a component card when neither a README of its own nor the package's own source says it.

An architecture document is a Markdown file the project wrote to describe its parts: ``ARCHITECTURE.md`` (or
``architecture.md``) at the repository's root or under ``docs/``/``doc/``, or the ``index.md`` or ``README.md`` of a
folder named ``architecture`` there (eslint's ``docs/src/contribute/architecture/index.md``), found at most
``DOCS_DEPTH`` folders deep and ``DOCS_ENTRIES`` entries into the search. The root README (``README.md``, any case)
is read after them: Exposed's has a table of 17 of its ``exposed-*`` modules ("| `exposed-crypt` | Provides additional
column types to store encrypted data… |"), the project's only word on them (26 of its 29 modules had no purpose).

A folder is described by

* a list item that opens with its path as code, then a separator (``-``, ``–``, ``—``, ``:``) and the description:
  eslint's "- `lib/linter/` - this module is the core `Linter` class that does code verifying based on configuration
  options.";
* a table's row whose first cell names it (its path, as code or text, in bold or a link, or a link to the folder
  alone) and a later cell reads as prose (``_reads_as_prose``: ``PROSE_WORDS`` words or more, mostly letters; a
  version table's badges or "✓" say nothing), the first such cell.

The path must be the folder's own from the repository's root (a trailing ``/`` or leading ``./`` aside): a file's
(``bin/eslint.js``) or a sub-folder's (``lib/languages/js/``) describes that, not the component; a component that is
a package may be named by its package's name instead (``@scope/name``). The first document that describes it, and its
first description there, is kept.

Read from the checkout when the card is shown, only read, ``READ_CHARS`` of each document; parsed by CommonMark with
GitHub's tables (markdown-it-py) only when the document names the folder at all; the documents found and what each
says are kept while the folders and files are unchanged.
"""

from __future__ import annotations

import os
import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from cairn.queries.explore.common import commonmark
from cairn.queries.explore.package_docs import read_start

READ_CHARS = 100_000
DOCS_DEPTH = 4
DOCS_ENTRIES = 5_000
DOCUMENT_NAMES = ("architecture.md",)
FOLDER_DOCUMENTS = ("index.md", "readme.md")
ROOT_README = "readme.md"
#: A table's cell reads as prose with this many words at least, this share of them letters.
PROSE_WORDS = 3
PROSE_LETTERS = 0.6
_EMPHASIS = ("strong_open", "strong_close", "em_open", "em_close")
_SEPARATOR = re.compile(r"\A\s*(?:[-–—:]\s+|:)")


def architecture_purpose(root: Path, directory: str, package: str | None = None) -> tuple[str, str] | None:
    """(what an architecture document, else the root README, says the folder ``directory`` — or the ``package`` in
    it — is, the document), or None."""
    if not directory:
        return None
    names = [directory.strip("/")] + ([package] if package else [])
    for document in _documents(root):
        try:
            stamp = (root / document).stat().st_mtime_ns
        except OSError:
            continue
        read = _document(str(root), document, stamp)
        if not any(name in read.text for name in names):
            continue  # (a document that does not name the folder is never parsed)
        described = next((read.described[name] for name in names if name in read.described), None)
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
    names = _names(root)
    found = [name for name in names if name.lower() in DOCUMENT_NAMES]
    budget = [DOCS_ENTRIES]
    for folder in ("docs", "doc"):
        found += _search(root, folder, DOCS_DEPTH, budget)
    return tuple(found + [name for name in names if name.lower() == ROOT_README])


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


class _Document:
    """A document's text, and what it says of the folders it names (parsed when first asked)."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def described(self) -> dict[str, str]:
        """Folder path (or package name) -> what the document's list items or tables say of it (the first for each)."""
        if not self.text:
            return {}
        tokens = commonmark(tables=True).parse(self.text)
        described: dict[str, str] = {}
        row: list[list[Any]] = []
        for at, token in enumerate(tokens):
            if token.type == "tr_open":
                row = []
            elif token.type == "inline" and tokens[at - 1].type == "td_open":
                row.append(token.children or [])
            elif token.type == "tr_close" and len(row) > 1:
                text = next((text for text in map(_plain, row[1:]) if _reads_as_prose(text)), None)
                for folder in _named_by_cell(row[0]) if text else ():
                    described.setdefault(folder, _sentence(text.split()))
            elif token.type == "list_item_open" and at + 2 < len(tokens) and tokens[at + 1].type == "paragraph_open" \
                    and tokens[at + 2].type == "inline":
                _list_item(tokens[at + 2].children or [], described)
        return described


@lru_cache(maxsize=64)
def _document(root: str, document: str, _stamp: int) -> _Document:
    return _Document(read_start(Path(root), document, READ_CHARS) or "")


def _list_item(inline: list[Any], described: dict[str, str]) -> None:
    """What a list item that opens with a folder's path as code says of it, into ``described``."""
    # (the path may be in bold or emphasis: "**`lib/web`**: …")
    children = [c for c in inline if c.type not in _EMPHASIS and (c.content or c.type != "text")]
    if not children or children[0].type != "code_inline":
        return
    folder = _folder(children[0].content)
    rest = _plain(children[1:])
    separator = _SEPARATOR.match(rest)
    if folder and "." not in folder.rsplit("/", 1)[-1] and separator and folder not in described:
        words = rest[separator.end():].split()
        if len(words) >= 3:
            described[folder] = _sentence(words)


def _named_by_cell(cell: list[Any]) -> list[str]:
    """The folder paths (or package names) a table's cell names: all its text, and the folder a link alone in it
    leads to (vite's "[create-vite](packages/create-vite)")."""
    children = [c for c in cell if c.type not in _EMPHASIS]
    names = [_folder(_plain(children))]
    if children and children[0].type == "link_open" and children[-1].type == "link_close" \
            and sum(c.type == "link_open" for c in children) == 1:
        target = str(children[0].attrs.get("href") or "")
        if "://" not in target and not target.startswith("#"):
            names.append(_folder(target))
    return [name for name in names if name]


def _folder(text: str) -> str:
    return text.strip().removeprefix("./").strip("/")


def _reads_as_prose(text: str) -> bool:
    visible = [c for c in text if not c.isspace()]
    return len(text.split()) >= PROSE_WORDS and sum(c.isalpha() for c in visible) >= PROSE_LETTERS * len(visible)


def _sentence(words: list[str]) -> str:
    """Words as a sentence: one that opens lowercase after a separator ("this module is …") capitalised."""
    if words[0].isalpha() and words[0].islower():
        words = [words[0].capitalize(), *words[1:]]
    return " ".join(words)


def _plain(children: list[Any]) -> str:
    """The text an inline run shows: its words, code spans and links' text; no images or HTML."""
    parts = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
