"""Rust module dependencies with tree-sitter and Cargo's manifests.

Three parts, each in its module: ``parse`` (what one ``.rs`` file declares and imports, from its tree),
``cargo`` (the packages and crates of the ``Cargo.toml`` files) and ``resolver`` (the module tree of each crate,
and what each path names). ``RustLanguage`` joins them for the extraction driver.

What the graph holds:

* **A module is a file**, named by its repository path (``crates/searcher/src/searcher/glue.rs``), as a
  JavaScript module is: a package's library and binary crates share one name, two packages may share one (fuzz
  targets, examples), a path is unique. ``lib.rs``, ``main.rs``, ``foo.rs`` and ``foo/mod.rs`` are modules alike;
  an inline ``mod x { … }`` is part of its file's module.
* **A crate's module tree** is rustc's: from each crate root (``cargo``) along its ``mod x;`` declarations
  (``x.rs`` or ``x/mod.rs`` in the folder of its children, ``#[path = "…"]`` outside inline modules followed); a
  file reached by no ``mod`` (one declared inside a macro, as tokio's ``cfg_fs! { pub mod fs; }``: macros' bodies
  are not read) is placed by its path below the nearest crate root's folder (the library first), and its own
  ``mod x;`` are followed from there. A
  file in no package (no ``Cargo.toml`` above it) is a module that resolves only paths to other crates.
* **A parent declaring a child (``mod x;``) is no import**, as a Python package is not an import of its modules
  (grimp's semantics): the graph says which module uses which, and the tree is in the paths.
* **Imports**: every leaf of a ``use`` tree (``pub use`` re-exports, ``use`` inside functions, globs, groups and
  ``as`` renames alike), ``extern crate``, and paths written in the code (``crate::x::f()``,
  ``grep_searcher::Searcher::new()``, ``log::info!``) — unlike Go, whose imports are all in its import lists: Rust
  code names other modules without a ``use`` as often as with one, as Java's fully qualified names do (which Cairn
  counts too). A path resolves to the file of its **longest leading part that is a module** of its crate (an item
  inside a module resolves to its module's file, a glob to the module it globs; ``use grep::searcher::Searcher``
  through a re-export to the re-exporting file), the crate's root if none is: ``crate::`` from the importer's
  crate root, ``self::``/``super::`` from its own module (inline modules counted), and a first name declared in
  the same scope (Rust 2018's uniform paths: ``mod search; use search::Searcher;``) from there. A path to the
  importer's own file makes no edge.
* **Crates**: any other first name (or ``::name``, or ``extern crate name``) is a crate. One that is the library of
  a package of the repository (its ``[lib] name`` or its package name with ``-`` as ``_``; a dependency renamed
  with ``package = "…"`` by the package it names) is that library's module; ``std``, ``core``, ``alloc``,
  ``proc_macro`` and ``test`` are the standard library (external, ``stdlib``); a dependency of the importer's
  package (any of its dependency tables) is an external package of that crate name (``serde``, ``tokio``,
  ``regex_automata``). Another first name (``io::Write`` after ``use std::io``, an enum, a primitive's
  ``u32::MAX``) is a name in scope that Cairn does not follow: no edge. In a Rust 2015 crate (``edition`` unset or
  ``"2015"``, inherited from the workspace when ``edition.workspace = true``) a ``use`` path whose first name is a
  top-level module of the crate starts at the crate's root, as 2015 has it.
* **Tests**: a crate's ``tests/``, ``benches/`` and ``examples/`` files (and cargo-fuzz's ``fuzz_targets/``) are test
  code beside the crate's code (``graph.testcode``: their imports make no component dependency when the component
  also holds its code); the ``use`` lines and paths of a ``#[cfg(test)]`` item inside a file are left out
  (``parse``), and so are those of a file that only a ``#[cfg(test)] mod x;`` declares (and of its own children):
  it is such an item's body, moved to a file of its own (tokio's ``fs/file/tests.rs``), still a module.
* ``target/`` at the repository's top is build output (``ingest.files``), so never read; a nested ``target/`` is
  ignored by git as Cargo writes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.ingest.code.base import Language, Layout, ParsedFile

if TYPE_CHECKING:
    from cairn.ingest.code.rust.resolver import RustResolver


class RustLanguage(Language):
    name = "rust"
    extensions = (".rs",)
    version = "2"  # 2: a manifest with no Rust file below it is not read

    # the parser and the resolver are imported when a Rust file is parsed or resolved: every ingest imports the
    # languages, most repositories have no Rust
    def parse(self, path: str, source: bytes) -> ParsedFile:
        from cairn.ingest.code.rust.parse import extract

        imports, errors = extract(source)
        return ParsedFile(path, self.name, imports, syntax_errors=errors)

    def resolver(self, layout: Layout) -> RustResolver:
        from cairn.ingest.code.rust.resolver import RustResolver

        return RustResolver(layout)

    consulted_names = ("Cargo.toml",)  # (``cargo.MANIFEST``, named here as Go names go.mod: cargo is the resolver's)

    def consults(self, path: str) -> bool:
        return path == "Cargo.toml" or path.endswith("/Cargo.toml")  # the packages and their crates (cargo)
