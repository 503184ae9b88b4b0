"""The names components go by as packages: a component whose folder is a build unit is published or depended on by
the name its manifest gives it, which a repository's records use (hermes' ADR-011 on "ibc-relayer", its
``crates/relayer``; log4brains' records on ``@log4brains/cli``, its ``packages/cli``).

``package_names`` reads, for each component whose one path pattern is a folder holding a build manifest
(``components.build_units``), the name in the first of these the folder has: ``Cargo.toml``'s ``[package] name``,
``package.json``'s ``name``, ``pyproject.toml``'s ``[project] name`` (or Poetry's ``[tool.poetry] name``),
``composer.json``'s ``name``, ``go.mod``'s ``module`` path. The manifests are untrusted input: read only, at most
``MAX_MANIFEST_BYTES`` each, parsed as data (``json``, ``untrusted_toml``); one that cannot be read or parsed, or
gives no plain name (a string of at most ``MAX_NAME_LENGTH`` characters without spaces), gives the component none.

``entry_points`` reads the top ``package.json``'s ``main`` and ``module`` (the files a package is entered by), which
make the files at the top a component (``components.infer_components``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from cairn.ingest.untrusted import RefusedFile, read_checkout_file
from cairn.ingest.untrusted_toml import TOMLDecodeError, load_toml

MAX_MANIFEST_BYTES = 256 * 1024
MAX_NAME_LENGTH = 214  # npm's limit; longer is no package name
#: A package's name: two characters or more of a name's (letters, digits, ``@ . / ~ - _``), a letter or digit among them
#: (not a bare "-" or ".", which any Markdown list would "mention").
_PLAIN_NAME = re.compile(r"^(?=.*[^\W_])[\w@./~-]{2,}$")


def _cargo(data: str) -> Any:
    return load_toml(data).get("package", {}).get("name")


def _package_json(data: str) -> Any:
    value = json.loads(data)
    return value.get("name") if isinstance(value, dict) else None


def _pyproject(data: str) -> Any:
    document = load_toml(data)
    project = document.get("project")
    if isinstance(project, dict) and project.get("name"):
        return project.get("name")
    tool = document.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    return poetry.get("name") if isinstance(poetry, dict) else None


def _go_mod(data: str) -> Any:
    """The path of ``go.mod``'s ``module`` line, read line by line (no pattern over the untrusted text)."""
    for line in data.splitlines():
        words = line.split("//", 1)[0].split()
        if len(words) == 2 and words[0] == "module":
            path = words[1].strip('"')
            return path if path and not path.startswith("/") else None
    return None


#: Manifest file -> how its package's name is read from its text, in the order asked.
READERS: tuple[tuple[str, Callable[[str], Any]], ...] = (
    ("Cargo.toml", _cargo), ("package.json", _package_json), ("pyproject.toml", _pyproject),
    ("composer.json", _package_json), ("go.mod", _go_mod),
)


def package_name(root: Path, folder: str, present: frozenset[str] | set[str]) -> str | None:
    """The package name the manifest of ``folder`` (repository-relative, "" for the top) gives, of the manifests
    ``present`` (tracked paths); None if it gives none (see the module docstring)."""
    for file_name, read in READERS:
        path = f"{folder}/{file_name}" if folder else file_name
        if path not in present:
            continue
        try:
            raw = read_checkout_file(root, path, limit=MAX_MANIFEST_BYTES)
            if raw is None:
                continue
            name = read(raw.decode("utf-8"))
        except (RefusedFile, OSError, UnicodeDecodeError, ValueError, TOMLDecodeError, RecursionError, AttributeError):
            continue  # (json's errors are ValueErrors; a table where a name should be has no .get)
        if isinstance(name, str) and 0 < len(name) <= MAX_NAME_LENGTH and _PLAIN_NAME.match(name):
            return name
    return None


def entry_points(root: Path, present: frozenset[str] | set[str] | list[str]) -> frozenset[str]:
    """The files at the top of the repository its ``package.json`` names as the package's entry point (``main``,
    ``module``: Fastify's ``fastify.js``), among the tracked paths ``present``; none when it names none, names a file
    below a folder, or cannot be read (the manifest is read as ``package_name`` reads it)."""
    if "package.json" not in present:
        return frozenset()
    try:
        raw = read_checkout_file(root, "package.json", limit=MAX_MANIFEST_BYTES)
        value = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (RefusedFile, OSError, UnicodeDecodeError, ValueError, RecursionError):
        return frozenset()
    if not isinstance(value, dict):
        return frozenset()
    named = (value.get(key) for key in ("main", "module"))
    files = {entry.strip().removeprefix("./") for entry in named if isinstance(entry, str) and len(entry) <= MAX_NAME_LENGTH}
    return frozenset(f for f in files if f and "/" not in f and f in present)


def package_names(root: Path, components: Iterable[tuple[str, list[str]]], units: frozenset[str],
                  present: frozenset[str] | set[str]) -> dict[str, str]:
    """Component name -> its package name, for the ``components`` (name, path patterns) whose one pattern is a folder
    (``folder/**``) among the build ``units``; ``present``: the tracked paths."""
    names: dict[str, str] = {}
    for component, paths in components:
        if len(paths) != 1 or not paths[0].endswith("/**"):
            continue
        folder = paths[0][:-3]
        if folder in units and (name := package_name(root, folder, present)) is not None:
            names[component] = name
    return names
