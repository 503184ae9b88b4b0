"""Cargo packages and their crates, from the repository's ``Cargo.toml`` files (read as TOML data, never built).

A ``Cargo.toml`` with a ``[package]`` table is a package in its folder; a ``[workspace]`` table gives its members'
defaults (``edition.workspace = true``) and ``[workspace.dependencies]``. A package's crates (Cargo's targets) are,
in this order, each only if its root file is a Rust file of the repository:

* its library: ``[lib] path``, else ``src/lib.rs``; named ``[lib] name``, else the package's name with ``-`` as
  ``_`` — the name other crates ``use`` it by;
* its binaries: each ``[[bin]]`` (``path``, else ``src/bin/<name>.rs``, ``src/bin/<name>/main.rs`` or, for the
  package's own name, ``src/main.rs``), then ``src/main.rs``, ``src/bin/*.rs`` and ``src/bin/*/main.rs``;
* its ``[[test]]``, ``[[bench]]`` and ``[[example]]`` paths, then ``tests/*.rs``, ``benches/*.rs``,
  ``examples/*.rs`` (and ``*/main.rs`` below each) and its build script (``build``, else ``build.rs``).

A file two crates could own is the first's. The names a package's code may use for other crates are its
dependencies' (``[dependencies]``, ``[dev-dependencies]``, ``[build-dependencies]`` and the ``[target.….*]`` ones,
``-`` as ``_``); ``foo = { package = "bar" }`` (there or in the workspace's dependencies) names package ``bar``
``foo``. A manifest below the repository's root with no Rust file read at or below its folder is no package of
the repository's (test data: bat's ``tests/syntax-tests/highlighted/TOML/Cargo.toml``; a vendored crate, whose
files are not read) and is not read. A manifest that is not valid TOML (or nests deeper than the parser recurses), or is larger than the
checkout's size cap, is left out, the first two with a note.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from operator import methodcaller
from typing import Callable, Collection

from cairn.ingest.untrusted_toml import TOMLDecodeError, load_toml

MANIFEST = "Cargo.toml"
_DEPENDENCY_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


@dataclass
class Crate:
    """A Cargo target: its root file, its name, and the package it belongs to."""

    root: str
    name: str
    package: "Package"
    library: bool = False


@dataclass
class Package:
    directory: str  # "" for the repository's root
    name: str
    edition: str
    #: crate names this package's code may use for other crates -> the package each names (itself when not renamed)
    dependencies: dict[str, str] = field(default_factory=dict)
    crates: list[Crate] = field(default_factory=list)


def crate_name(package: str) -> str:
    return package.replace("-", "_")


def _join(directory: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(directory, path)) if directory else posixpath.normpath(path)


def _table(data: object, key: str) -> dict:
    found = data.get(key) if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


def _dependencies(manifest: dict, renames: dict[str, str]) -> dict[str, str]:
    tables = [_table(manifest, name) for name in _DEPENDENCY_TABLES]
    for target in _table(manifest, "target").values():
        tables += [_table(target, name) for name in _DEPENDENCY_TABLES]
    found: dict[str, str] = {}
    for table in tables:
        for key, spec in table.items():
            package = spec.get("package") if isinstance(spec, dict) else None
            found[crate_name(key)] = package if isinstance(package, str) else renames.get(key, key)
    return found


def read_packages(all_files: Collection[str], rust_files: Collection[str], read_text: Callable[[str], str | None],
                  problems: list[str]) -> list[Package]:
    """The packages of the repository, by folder, each with its crates (see the module docstring)."""
    manifests: dict[str, dict] = {}
    roots = _CrateRoots(rust_files)
    holding = _folders_holding(rust_files)
    for path in sorted(filter(methodcaller("endswith", MANIFEST), all_files)):
        if path != MANIFEST and not path.endswith("/" + MANIFEST):
            continue
        if posixpath.dirname(path) not in holding:
            continue  # no Rust file read below it: test data (bat's highlighted Cargo.toml, a package "bat" again), vendored
        text = read_text(path)
        if text is None:
            continue
        try:
            manifests[posixpath.dirname(path)] = load_toml(text)
        except (TOMLDecodeError, ValueError) as exc:
            problems.append(f"{path}: not read ({type(exc).__name__})")
    workspaces = {d: _table(m, "workspace") for d, m in manifests.items() if _table(m, "workspace")}
    packages = []
    for directory, manifest in manifests.items():
        package = _table(manifest, "package")
        name = package.get("name")
        if not isinstance(name, str) or not name:
            continue
        workspace = _workspace_of(directory, workspaces)
        edition = package.get("edition", "2015")
        if isinstance(edition, dict):
            edition = _table(workspace, "package").get("edition", "2015")
        renames = {key: spec["package"] for key, spec in _table(workspace, "dependencies").items()
                   if isinstance(spec, dict) and isinstance(spec.get("package"), str)}
        found = Package(directory, name, str(edition), _dependencies(manifest, renames))
        found.crates = _crates(found, manifest, rust_files, roots)
        packages.append(found)
    return packages


def _folders_holding(rust_files: Collection[str]) -> set[str]:
    """The repository's root and every folder with a Rust file of ``rust_files`` at or below it."""
    folders = {""}
    for path in rust_files:
        folder = posixpath.dirname(path)
        while folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return folders


def _workspace_of(directory: str, workspaces: dict[str, dict]) -> dict:
    """The ``[workspace]`` table of the nearest manifest at or above ``directory`` that has one."""
    while True:
        if directory in workspaces:
            return workspaces[directory]
        if not directory:
            return {}
        directory = posixpath.dirname(directory)


class _CrateRoots:
    """The crate roots Cargo finds in a folder, ``<folder>/*.rs`` and ``<folder>/*/main.rs``, from the Rust files
    indexed once by folder (a workspace of many packages looks in four folders of each)."""

    def __init__(self, rust_files: Collection[str]):
        self._files: dict[str, list[str]] = {}
        self._mains: dict[str, list[str]] = {}  # folder -> its subfolders' main.rs
        for path in rust_files:
            folder = posixpath.dirname(path)
            self._files.setdefault(folder, []).append(path)
            if posixpath.basename(path) == "main.rs" and folder:
                self._mains.setdefault(posixpath.dirname(folder), []).append(path)

    def __call__(self, folder: str) -> list[str]:
        return sorted(self._files.get(folder, []) + self._mains.get(folder, []))


def _crates(package: Package, manifest: dict, rust_files: Collection[str], roots: _CrateRoots) -> list[Crate]:
    here = package.directory
    crates: list[Crate] = []
    taken: set[str] = set()

    def add(path: str | None, name: str, library: bool = False) -> None:
        if path and path in rust_files and path not in taken:
            taken.add(path)
            crates.append(Crate(path, name, package, library))

    lib = _table(manifest, "lib")
    lib_path = lib.get("path") if isinstance(lib.get("path"), str) else "src/lib.rs"
    lib_name = lib.get("name") if isinstance(lib.get("name"), str) else crate_name(package.name)
    add(_join(here, lib_path), lib_name, library=True)
    for kind, folder in (("bin", "src/bin"), ("test", "tests"), ("bench", "benches"), ("example", "examples")):
        targets = manifest.get(kind)
        for target in targets if isinstance(targets, list) else ():
            if not isinstance(target, dict):
                continue
            name = target.get("name") if isinstance(target.get("name"), str) else package.name
            path = target.get("path")
            if isinstance(path, str):
                add(_join(here, path), crate_name(name))
            elif kind == "bin" and name == package.name:
                add(_join(here, "src/main.rs"), crate_name(name))
            else:
                add(_join(here, f"{folder}/{name}.rs"), crate_name(name))
                add(_join(here, f"{folder}/{name}/main.rs"), crate_name(name))
    add(_join(here, "src/main.rs"), crate_name(package.name))
    for folder in ("src/bin", "tests", "benches", "examples"):
        for path in roots(_join(here, folder)):
            stem = posixpath.basename(posixpath.dirname(path) if path.endswith("/main.rs") and
                                      posixpath.dirname(path) != _join(here, folder) else path[:-3])
            add(path, crate_name(stem))
    build = _table(manifest, "package").get("build")
    add(_join(here, build if isinstance(build, str) else "build.rs"), "build_script_build")
    return crates
