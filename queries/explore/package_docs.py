"""What a package says it is for, in its own source: the purpose of a component card when no README says it.

Read from the checkout when the card is shown (as the README is), only read — never imported or run — and
bounded (``READ_CHARS`` of each file, ``GO_FILES`` files of a Go package, ``GO_DIRS`` folders below one), from the component's directories:

* a Python package: the docstring that opens its ``__init__.py`` (rich's ``rich/__init__.py``: "Rich text and
  beautiful formatting in the terminal.");
* a Go package: its package comment, the comment right above ``package NAME`` (its directive lines, ``//go:build``,
  no part of it) that begins "Package NAME" — in ``doc.go`` by convention, else in another of its files, not a
  command's ``main.go`` (etcd's ``pkg/proxy``: "Package proxy implements proxy servers for network fault testing.", a
  card that only said ``pkg/proxy`` reads like the gRPC proxy) nor a file a tool wrote (``// Code generated … DO NOT
  EDIT.``: temporal's mocks said "Package chasm is a generated GoMock package."); in other words in ``doc.go`` or
  ``NAME.go`` or opening with the package's name, but never a licence (``_is_package_comment``). A folder that holds
  no Go file, only packages (in a Go module), is what the package below it named as the folder is (``_go_namesake_below``: a
  ``pkg/config/`` and its ``pkg/config/config/``), never what another package below says of itself (traefik's
  ``pkg/config/label``: "Package label implements the decoding…" is not its ``config``);
* a Rust crate: the inner doc comment (``//!``) that opens ``src/lib.rs`` or ``src/main.rs``;
* a Java (or Kotlin) package: the Javadoc above ``package`` in its ``package-info.java`` (commons-lang's
  ``builder``: "Provides classes to create consistent equals(Object), toString(), hashCode(), and
  compareTo(Object) methods."), its inline tags read as their text (``{@code x}``, ``{@link A#b() label}``), its
  HTML tags dropped, ``<p>`` starting a paragraph, its block tags (``@see``, ``@since``) no prose;
* a JavaScript or TypeScript package: the ``description`` of its ``package.json`` (not its name again), else the doc comment that
  opens its entry file (``index.ts``, ``index.js``, ``mod.ts``…) when it is the module's own (``@module``, TSDoc's
  ``@packageDocumentation``; hono's ``src/jsx/index.ts``: "JSX for Hono."), its block tags no prose; a Rust crate or
  a Python project without either: the ``description`` of its ``Cargo.toml`` or ``pyproject.toml``.

The first paragraph that reads as prose is kept (``_first_paragraph``). Where a folder holds several, the order above; the repository's root folder is read
for its package's own comment only (a root manifest or README describes the repository, not one component).
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

from cairn.queries.explore.common import plain_markdown, plain_rst

#: At most this much of a file is read: a package's statement is at its top.
READ_CHARS = 16_000
#: The paragraphs of a statement read for one that is prose, and the share of letters that makes it so.
PARAGRAPHS = 3
PROSE_LETTERS = 0.6
#: A Go package without ``doc.go``: at most this many of its files (by name) are searched for the package comment.
GO_FILES = 40
#: A Go component whose folder holds only packages: at most this many folders below it are looked at for its namesake.
GO_DIRS = 400

_PY_DOCSTRING = re.compile(r'\A(?:\ufeff)?(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*[rRuU]?("""|\'\'\')(.*?)\1', re.DOTALL)
_PY_ONE_LINE = re.compile(r'\A(?:\ufeff)?(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*[rRuU]?("|\')((?:[^\\\n]|\\.)*?)\1[ \t]*(?:#[^\n]*)?$',
                          re.MULTILINE)
_GO_PACKAGE = re.compile(r"^package\s+(\w+)", re.MULTILINE)
#: The line that marks a Go file a tool wrote (Go's convention).
_GO_GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.$", re.MULTILINE)
#: A line of a Go comment that is a directive to a tool, not text: ``//go:build``, ``//nolint:…``, ``// +build``.
_GO_DIRECTIVE = re.compile(r"//(?:[a-z0-9]+:[a-z0-9]|\s*\+build\b|line )")


def package_purpose(root: Path, directory: str) -> tuple[str, str] | None:
    """(the first paragraph of what the package in ``directory`` says of itself, the file it is from), or None."""
    readers = (_python_docstring, _go_package_comment, _rust_crate_doc) if directory == "" else (
        _python_docstring, _go_package_comment, _rust_crate_doc, _java_package_info, _package_json, _module_doc,
        _manifest_description)
    for read in readers:
        found = read(root, directory)
        if found:
            return found
    return None


def read_start(root: Path, relative: str, chars: int = READ_CHARS) -> str | None:
    """The first ``chars`` characters of a file of the checkout at ``root`` (resolved), None when it is not one (or
    leads out of it through a link)."""
    try:
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(chars)
    except OSError:
        return None


def _joined(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _first_paragraph(lines: list[str]) -> str | None:
    """The first of the first ``PARAGRAPHS`` paragraphs that reads as prose: three words or more, mostly letters, no
    line indented under the others (a listing, an example); or an opening summary line of two words
    (``_SUMMARY_LINE``). django-rest-framework's docstrings open with the name
    in ASCII art, and with "rest_framework.schemas" over a list of its files."""
    lines = [line.rstrip() for line in lines]
    lines = lines[:1] + textwrap.dedent("\n".join(lines[1:])).split("\n") if len(lines) > 1 else lines
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    for paragraph in paragraphs[:PARAGRAPHS]:
        if not paragraph or any(line[:1].isspace() for line in paragraph[1:]):
            continue
        text = " ".join(line.strip() for line in paragraph)
        visible = [c for c in text if not c.isspace()]
        if (len(text.split()) >= 3 and sum(c.isalpha() for c in visible) >= PROSE_LETTERS * len(visible)
                and not text.endswith(":")):  # (a paragraph that introduces a listing says little alone)
            return text
        if paragraph is paragraphs[0] and _SUMMARY_LINE.fullmatch(text):
            return text
    return None


#: A summary line of two words, as PEP 257 asks a docstring to open with: celery's "Celery Application.", "Result
#: Backends.", "Utility functions." (its utils card read the paragraph after it, "Don't import from here directly
#: anymore, as these are only here for backwards compatibility."); not Go's "Package name." (the package's name again)
_SUMMARY_LINE = re.compile(r"(?!Package )[A-Z][a-z]+ [A-Za-z][a-z]+\.")


def _python_docstring(root: Path, directory: str) -> tuple[str, str] | None:
    if directory == "":
        return None  # no package at the root of a repository
    where = _joined(directory, "__init__.py")
    text = read_start(root, where)
    if not text:
        return None
    match = _PY_DOCSTRING.match(text) or _PY_ONE_LINE.match(text)
    if match is None:
        return None
    paragraph = _first_paragraph(match.group(2).splitlines())
    return (plain_rst(paragraph), where) if paragraph else None


def _go_package_comment(root: Path, directory: str) -> tuple[str, str] | None:
    names = _go_files(root / directory if directory else root)
    if names is None:
        return None
    if not names and directory and _in_go_module(root, directory):
        namesake = _go_namesake_below(root, directory)
        return _go_comment_in(root, namesake, _go_files(root / namesake) or []) if namesake else None
    return _go_comment_in(root, directory, names)


def _go_files(folder: Path) -> list[str] | None:
    """The names of the Go files of the package in ``folder`` (not its tests), by name; None when it is no folder."""
    try:
        return sorted(p.name for p in folder.iterdir() if p.name.endswith(".go") and not p.name.endswith("_test.go"))
    except OSError:
        return None


def _in_go_module(root: Path, directory: str) -> bool:
    """Whether ``directory`` is in a Go module: it or a folder above it holds a ``go.mod`` (no folder of another
    language's project is walked for Go packages)."""
    parts = directory.split("/")
    return any((root.joinpath(*parts[:depth]) / "go.mod").is_file() for depth in range(len(parts), -1, -1))


def _go_namesake_below(root: Path, directory: str) -> str | None:
    """The folder of the one Go package below ``directory`` named as it is, the shallowest (a ``config/`` that holds
    only packages, its ``config/config/`` among them: what the folder is named for), None when there is none or two at
    that depth. Folders the go tool leaves out (``testdata``, ``vendor``, ``.x``, ``_x``) and links are not walked, and
    at most ``GO_DIRS`` folders are looked at. (Not the package most of the others import: that is their foundation,
    not what the folder is — loki's operator/ would read "Package v1 contains API Schema definitions for the loki v1
    API group", imported by 24 of its 41 other packages.)"""
    name = directory.rsplit("/", 1)[-1]
    level, seen = [directory], 0
    while level:
        below = []
        for parent in level:
            try:
                with os.scandir(root / parent) as entries:  # (a folder's kind is in its entry: no file is looked at)
                    below += sorted(f"{parent}/{entry.name}" for entry in entries
                                    if entry.is_dir(follow_symlinks=False) and entry.name not in ("testdata", "vendor")
                                    and not entry.name.startswith((".", "_")))
            except OSError:
                continue
        below = below[:GO_DIRS - seen]
        seen += len(below)
        namesakes = [folder for folder in below if folder.rsplit("/", 1)[-1] == name and _go_files(root / folder)]
        if namesakes:
            return namesakes[0] if len(namesakes) == 1 else None
        level = below
    return None


def _go_comment_in(root: Path, directory: str, names: list[str]) -> tuple[str, str] | None:
    """The package comment of the package whose Go files in ``directory`` are ``names``: doc.go first."""
    if "doc.go" in names:
        names.remove("doc.go")
        names.insert(0, "doc.go")
    for name in names[:GO_FILES]:
        where = _joined(directory, name)
        text = read_start(root, where)
        match = _GO_PACKAGE.search(text or "")
        if match is None:
            continue
        if match.group(1) == "main" and name != "doc.go":
            continue  # a command's main.go says how it starts (etcd's server/main.go: "a simple wrapper of …")
        if _GO_GENERATED.search(text, 0, match.start()):
            continue  # a generator's words, the same in each package it writes (traefik's "This package has the
            # automatically generated typed clients.")
        comment = _comment_above(text[:match.start()].splitlines())
        if comment and _is_package_comment(comment, match.group(1), name):
            paragraph = _first_paragraph(comment)
            if paragraph:
                return paragraph, where
    return None


#: What opens a comment that is no statement of a package's purpose though it sits right above its clause: a licence
#: (jaeger's "Copyright (c) 2024 The Jaeger Authors. SPDX-License-Identifier: …"), a generator's mark.
_NOT_A_PACKAGE_COMMENT = re.compile(r"(?i)copyright\b|\(c\)|spdx-license|licen[sc]ed?\b|code generated|do not edit")


def _is_package_comment(comment: list[str], package: str, file_name: str) -> bool:
    """Whether ``comment``, right above ``package PACKAGE`` in ``file_name``, states the package's purpose: Go's
    convention "Package NAME …" in any file; else, but for a licence or a generator's mark in its first paragraph,
    one that opens with the package's name ("plugins package stores all the plugin types…", containerd's
    plugins/types.go) or that sits in the files a package is documented in, ``doc.go`` and ``NAME.go`` (loki's
    pkg/bloomgateway/bloomgateway.go: "The bloom gateway is a component that…"), not a note of another file's
    ("Fork of https://…")."""
    if comment[0].startswith(f"Package {package} "):
        return True
    first = " ".join(comment[:comment.index("")] if "" in comment else comment)
    if _NOT_A_PACKAGE_COMMENT.search(first):
        return False
    return comment[0].startswith(f"{package} ") or file_name in ("doc.go", f"{package}.go")


def _comment_above(lines: list[str]) -> list[str]:
    """The lines of the comment that ends right above a line (``//`` lines, or one ``/* … */``), markers removed."""
    block: list[str] = []
    while lines and lines[-1].strip().startswith("//"):
        line = lines.pop().strip()
        if not _GO_DIRECTIVE.match(line):  # (go doc leaves them out of the comment)
            block.insert(0, line[2:].removeprefix(" "))
    if block:
        return block
    if lines and lines[-1].strip().endswith("*/"):
        text = "\n".join(lines)
        start = text.rfind("/*")
        if start >= 0:
            block = [line.strip().lstrip("*").strip() for line in text[start + 2:text.rfind("*/")].splitlines()]
            while block and not block[0]:
                block.pop(0)
            return block
    return []


def _rust_crate_doc(root: Path, directory: str) -> tuple[str, str] | None:
    for name in ("src/lib.rs", "src/main.rs", "lib.rs"):
        where = _joined(directory, name)
        text = read_start(root, where)
        if not text:
            continue
        doc = []
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("//!"):
                doc.append(stripped[3:].removeprefix(" "))
            elif doc or not (stripped == "" or stripped.startswith(("#![", "//"))):
                break
        # (a line of a doc that is a heading or a code fence is no prose)
        paragraph = _first_paragraph([line for line in doc if not line.startswith(("#", "```"))])
        if paragraph:
            return plain_markdown(paragraph), where
    return None


#: Javadoc's inline tags, read as the text they show: ``{@code x + y}`` → x + y, ``{@link A#b() label}`` → label,
#: ``{@link a.A#b()}`` → A.b() (``_javadoc_inline_text``), a signature whole though it holds a space (jackson-databind's
#: ``{@link ObjectMapper#acceptJsonFormatVisitor(Class, JsonFormatVisitorWrapper)}`` read "JsonFormatVisitorWrapper)")
_JAVADOC_INLINE = re.compile(r"\{@(?:(?:code|literal)\s+([^{}]*)|(?:link|linkplain|value)\s+([^{}\s(]+(?:\([^(){}]*\))?)"
                             r"(?:\s+([^{}]*))?)\}")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def _javadoc_inline_text(tag: re.Match[str]) -> str:
    """What an inline tag shows: its code, else its label, else its reference, a member's as javadoc shows it
    (``a.b.Type#member(A, B)`` → ``Type.member(A, B)``)."""
    code, reference, label = tag.groups()
    if code is not None or label:
        return (code if code is not None else label).strip()
    kind, hash_mark, member = reference.partition("#")
    return f"{kind.rsplit('.', 1)[-1]}.{member}" if hash_mark and kind else member if hash_mark else reference


def _java_package_info(root: Path, directory: str) -> tuple[str, str] | None:
    where = _joined(directory, "package-info.java")
    text = read_start(root, where)
    # the file holds the package line and its Javadoc only: its first /** comment is the package's (a licence is a
    # plain /* one), read up to its end or to READ_CHARS (commons-lang's concurrent/ documents itself in 500 lines)
    start = (text or "").find("/**")
    if start < 0:
        return None
    end = text.find("*/", start + 3)
    lines = []
    for line in text[start + 3:end if end >= 0 else len(text)].splitlines():
        line = line.strip().removeprefix("*").strip()
        if line.startswith("@"):
            break  # block tags: @see, @since …
        line = _JAVADOC_INLINE.sub(_javadoc_inline_text, line)
        if re.match(r"(?i)<p\b", line):
            lines.append("")  # a paragraph begins
        lines.append(_HTML_TAG.sub("", line).strip())
    paragraph = _first_paragraph(lines)
    return (paragraph, where) if paragraph else None


def _package_json(root: Path, directory: str) -> tuple[str, str] | None:
    where = _joined(directory, "package.json")
    text = read_start(root, where)
    if not text:
        return None
    try:
        manifest = json.loads(text)
        description = manifest.get("description")
    except (ValueError, AttributeError):
        return None  # (or cut at READ_CHARS: a manifest that long says more than what it is for)
    if not isinstance(description, str) or not description.strip() or description.strip() == manifest.get("name"):
        return None  # (vue's packages: "description": "@vue/compiler-core", its name again)
    return description.strip(), f"{where} description"


#: The entry files of a JavaScript or TypeScript module, in the order read.
ENTRY_FILES = ("index.ts", "index.tsx", "index.js", "index.mjs", "mod.ts")
#: The tags that make a doc comment the module's own (JSDoc's and JSR's ``@module``, TSDoc's ``@packageDocumentation``).
_MODULE_TAGS = ("@module", "@packageDocumentation")


def _module_doc(root: Path, directory: str) -> tuple[str, str] | None:
    for name in ENTRY_FILES:
        where = _joined(directory, name)
        comment = _leading_doc_comment(read_start(root, where) or "")
        if comment is None:
            continue
        lines = [line.strip().removeprefix("*").removeprefix(" ").rstrip() for line in comment.splitlines()]
        if not any(line.startswith(_MODULE_TAGS) for line in lines):
            continue  # a file's own comment (``@fileoverview``) says what the file does, not its folder
        text = []
        for line in lines:
            if line.startswith(_MODULE_TAGS):
                continue
            if line.startswith("@"):
                break  # the other block tags: @example, @see …
            text.append(line)
        paragraph = _first_paragraph([line for line in text if not line.startswith(("#", "```"))])
        if paragraph:
            return plain_markdown(paragraph), where
    return None


def _leading_doc_comment(text: str) -> str | None:
    """The inside of the doc comment (``/** … */``) that opens a file, after blank lines, line comments and plain
    block comments (a licence), else None."""
    at = 0
    while True:
        while at < len(text) and (text[at].isspace() or text[at] == "\ufeff"):
            at += 1
        if text.startswith("/**", at) and not text.startswith("/**/", at):
            end = text.find("*/", at + 3)
            return text[at + 3:end] if end >= 0 else None
        if text.startswith("//", at):
            at = text.find("\n", at)
        elif text.startswith("/*", at):
            at = text.find("*/", at + 2)
            at = at + 2 if at >= 0 else -1
        else:
            return None
        if at < 0:
            return None


def _manifest_description(root: Path, directory: str) -> tuple[str, str] | None:
    import tomllib  # (only here: a card without a manifest to read does not pay for it)

    for name, table in (("Cargo.toml", "package"), ("pyproject.toml", "project")):
        where = _joined(directory, name)
        text = read_start(root, where)
        if not text:
            continue
        try:
            description = tomllib.loads(text).get(table, {}).get("description")
        except (tomllib.TOMLDecodeError, AttributeError):
            continue
        if isinstance(description, str) and description.strip():
            return " ".join(description.split()), f"{where} description"
    return None
