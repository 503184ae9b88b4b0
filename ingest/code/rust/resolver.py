"""Rust's modules and what their paths name, over the whole repository (see ``cairn.ingest.code.rust``)."""

from __future__ import annotations

import posixpath

from cairn.ingest.code.base import RUNTIME, Layout, ParsedFile, ResolvedImport, Resolver
from cairn.ingest.code.rust.cargo import Crate, Package, read_packages
from cairn.ingest.code.rust.parse import EXTERN, MOD, PATH, TESTS
from cairn.ingest.code.stdlib import RUST_STANDARD_CRATES


def _child_folder(path: str, root: bool) -> str:
    """Where the files of a module's ``mod x;`` children are: beside a crate root or a ``mod.rs``, else in the folder
    named by the file (``src/a.rs`` → ``src/a/``)."""
    folder = posixpath.dirname(path)
    if root or posixpath.basename(path) == "mod.rs":
        return folder
    return posixpath.join(folder, posixpath.basename(path)[:-3]) if folder else posixpath.basename(path)[:-3]


def _in_folder(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


class RustResolver(Resolver):
    """Each Rust file's crate and module path (the ``mod`` tree from its crate's root), and its paths resolved."""

    def __init__(self, layout: Layout):
        self.problems: list[str] = []
        files = frozenset(layout.files)
        self.packages: list[Package] = read_packages(layout.all_files, files, layout.read_text, self.problems)
        self._place: dict[str, tuple[Crate, tuple[str, ...]]] = {}  # file -> (its crate, its module path)
        self._tests: set[str] = set()  # files of #[cfg(test)] modules (`#[cfg(test)] mod tests;`) and their children
        self._tree: dict[int, dict[tuple[str, ...], str]] = {}  # id(crate) -> module path -> file
        self._libraries: dict[str, Crate] = {}  # crate name -> the library of that name (the first package's)
        self._by_package: dict[str, Crate] = {}  # package name -> its library
        crates = [crate for package in self.packages for crate in package.crates]
        for crate in crates:
            self._tree[id(crate)] = {}
            if crate.library:
                self._libraries.setdefault(crate.name, crate)
                self._by_package.setdefault(crate.package.name, crate)
        for crate in crates:
            if crate.root not in self._place:
                self._walk(crate, crate.root, (), layout, files)
        self._place_the_rest(layout, files)

    def _children(self, path: str, module: tuple[str, ...], layout: Layout, files: frozenset[str]):
        """(file, module path, of tests) of each ``mod x;`` of ``path`` (of ``module``) whose file is in ``files``."""
        parsed = layout.parsed.get(path)
        if parsed is None:
            return
        folder = _child_folder(path, not module)
        for imp in parsed.imports:
            if not imp.names or imp.names[0] != MOD:
                continue
            names = imp.spec.split("::")
            if len(imp.names) > 1 and imp.names[1]:
                candidates = [posixpath.normpath(posixpath.join(posixpath.dirname(path), imp.names[1]))]
            else:
                inner = "/".join(names)
                candidates = [_in_folder(folder, inner + ".rs"), _in_folder(folder, inner + "/mod.rs")]
            child = next((c for c in candidates if c in files), None)
            if child is not None:
                yield child, module + tuple(names), imp.names[-1] == TESTS

    def _walk(self, crate: Crate, start: str, module: tuple[str, ...], layout: Layout, files: frozenset[str]) -> None:
        """Follow the ``mod x;`` declarations from ``start`` (of ``module``), as rustc does from a crate's root."""
        stack: list[tuple[str, tuple[str, ...], bool]] = [(start, module, False)]
        tree = self._tree[id(crate)]
        while stack:
            path, module, tests = stack.pop()
            if path in self._place:
                continue
            self._place[path] = (crate, module)
            if tests:
                self._tests.add(path)
            tree.setdefault(module, path)
            stack.extend((child, inner, tests or of_tests)
                         for child, inner, of_tests in self._children(path, module, layout, files))

    def _place_the_rest(self, layout: Layout, files: frozenset[str]) -> None:
        """A file no ``mod`` of its crate reaches (declared inside a macro such as tokio's ``cfg_fs! { mod fs; }``, a
        ``#[cfg]``d out module, dead code) is the module its path names below the nearest crate root's folder at or
        above it, the library first; its own ``mod x;`` are followed from there, those of the files no other such
        file declares first (so a ``#[cfg(test)] mod tests;`` below it is the tests' as in a reached file)."""
        by_folder: dict[str, Crate] = {}
        crates = [crate for package in self.packages for crate in package.crates]
        for crate in sorted(crates, key=lambda c: not c.library):  # (a stable sort: else in the packages' order)
            by_folder.setdefault(posixpath.dirname(crate.root), crate)
        placed: dict[str, tuple[Crate, tuple[str, ...]]] = {}
        for path in sorted(files.difference(self._place)):
            folder = posixpath.dirname(path)
            while folder not in by_folder and folder:
                folder = posixpath.dirname(folder)
            crate = by_folder.get(folder)
            if crate is not None:
                parts = (path[len(folder) + 1:] if folder else path)[:-3].split("/")
                if parts[-1] == "mod":
                    parts.pop()
                placed[path] = (crate, tuple(parts))
        declared = {child for path, (_, module) in placed.items()
                    for child, _, _ in self._children(path, module, layout, files)}
        for path in sorted(placed, key=lambda p: p in declared):  # (a stable sort: by path within each part)
            if path not in self._place:
                crate, module = placed[path]
                self._walk(crate, path, module, layout, files)

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return path

    def module_path(self, module: str) -> str:
        return module

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        importer = parsed.path
        if importer in self._tests:
            return []  # the unit tests' own imports, as those of an inline #[cfg(test)] module (``parse``)
        crate, module = self._place.get(importer, (None, ()))
        aliases = {imp.names[1]: imp.spec for imp in parsed.imports if imp.names[:1] == (EXTERN,) and len(imp.names) > 1}
        seen: set[tuple[str, int, bool]] = set()
        resolved: list[ResolvedImport] = []
        for imp in parsed.imports:
            marker = imp.names[0] if imp.names else None
            if marker == MOD:
                continue
            if marker == EXTERN:
                target = self._crate(imp.spec, crate, [], written=True)
            else:
                target = self._path(imp.spec.split("::"), imp.level, crate, module, aliases, marker == PATH)
            if target is None:
                continue
            name, external = target
            if (not external and name == importer) or (name, imp.line, external) in seen:
                continue
            seen.add((name, imp.line, external))
            resolved.append(ResolvedImport(name, imp.line, RUNTIME, external, importer))
        return resolved

    def _path(self, names: list[str], level: int, crate: Crate | None, module: tuple[str, ...],
              aliases: dict[str, str], in_code: bool) -> tuple[str, bool] | None:
        first = names[0]
        if first == "crate":
            return None if crate is None else (self._module(crate, names[1:]), False)
        if first == "self":
            if crate is None or level > len(module):
                return None
            return self._module(crate, [*module[:len(module) - level], *names[1:]]), False
        if first == "":
            return self._crate(names[1], crate, names[2:], written=True) if len(names) > 1 else None
        first = aliases.get(first, first)
        if (not in_code and crate is not None and crate.package.edition == "2015"
                and (first,) in self._tree[id(crate)]):
            return self._module(crate, names), False  # Rust 2015: a `use` path starts at the crate's root
        return self._crate(first, crate, names[1:], written=first in aliases.values())

    def _crate(self, name: str, crate: Crate | None, rest: list[str], written: bool) -> tuple[str, bool] | None:
        """A path into crate ``name``: a module of a library of the repository, else the external crate (a standard
        one, one the package depends on, or ``written``: named by ``extern crate`` or ``::name``), else None."""
        package = crate.package if crate is not None else None
        library = None
        if package is not None and name in package.dependencies:
            library = self._by_package.get(package.dependencies[name])
        if library is None:
            library = self._libraries.get(name)
        if library is not None:
            return self._module(library, rest), False
        if name in RUST_STANDARD_CRATES or written or (package is not None and name in package.dependencies):
            return name, True
        if package is None and name[:1].islower():
            return name, True  # a file of no package: any lowercase first name is taken for a crate
        return None

    def _module(self, crate: Crate, names: list[str]) -> str:
        """The file of the longest leading part of ``names`` that is a module of ``crate``."""
        tree = self._tree[id(crate)]
        parts = tuple(name for name in names if name != "*")
        for end in range(len(parts), 0, -1):
            found = tree.get(parts[:end])
            if found is not None:
                return found
        return crate.root
