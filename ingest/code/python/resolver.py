"""Python module names and import resolution over a whole repository, with grimp's semantics.

``PythonResolver`` names the modules of a repository and resolves imports the
way grimp does (seddonym/grimp ``import_scanning.rs``):

* ``import a.b.c`` → ``a.b.c``; ``from a.b import c`` → ``a.b.c`` if that is a
  module, else ``a.b`` (one level of fallback only, as grimp); the same for
  ``from a.b import *`` (``a.b``) and for dynamic imports.
* Relative imports are resolved against the importer; a package's
  ``__init__`` is its own base. Imports that climb above the source root, or
  that name a missing module of an internal package, are dropped.
* Anything else is external, squashed to its top-level name (``requests``),
  or, below an internal namespace package, to the first name that is not one
  (``google.auth`` when the repository holds the namespace ``google``).

A module importing itself (``from . import attr`` in ``pkg/__init__.py``) gets
no edge; grimp records a self-edge there.

One deliberate difference: grimp lets ``from ns import x`` fall back to a
namespace package ``ns``; a namespace package has no attributes, and in a whole
repository that rule would turn every ``import google.auth`` into an edge to a
local ``google`` namespace, so Cairn only falls back to modules with a file.

Module naming (the source-root rule), for a file at ``d1/…/dn/name.py``:

* A directory holding ``__init__.py`` is a regular package. Like grimp, a
  directory without ``__init__.py`` (or whose name is not an identifier)
  inside a regular package is not descended into: files there belong to no
  module — unless the repository's own imports name a module in it. Such a
  directory is a namespace portion (PEP 420), which Python imports and grimp
  ignores (grimp#298): Flask's ``src/flask/sansio/`` (``from .sansio.app
  import App``) holds ``flask.sansio.app``; pytest's ``testing/example_scripts/``,
  which nothing imports, holds no module. An ``__init__.py`` at the repository
  root is ignored.
* Outside regular packages, a directory is a *source root* by default if it is
  the repository root, is named ``src``, directly contains a regular package
  (``tests/`` holding ``tests/unit/__init__.py``), or has a name that is not an
  identifier (nothing can be imported through it). A file's module name is its
  path below the deepest source root above it; directories in between are
  namespace packages (``extra_modules``).
* A default source root is demoted to a namespace package when more of the
  repository's own absolute imports resolve into its contents through a
  shallower source root than directly: ``src/google/cloud/storage/__init__.py``
  is ``google.cloud.storage`` (not ``storage``) when the code says
  ``from google.cloud.storage import …``; a project importing ``src.app``
  gets modules ``src.app…``. An imported name counts for a reading only if it
  would resolve there, to one of the root's modules or namespace packages or
  to an attribute of one of its modules: poetry's ``src/poetry/`` (no
  ``__init__.py``) holds ``poetry.py``, and its 378 ``from poetry.core…``
  imports (poetry-core, another distribution in the same namespace) name
  nothing in a top-level module ``poetry``, so they are no evidence that
  ``src/poetry/`` is a root, while its ``from poetry.config.config import …``
  resolve through ``src/``. A name whose first part is a standard-library
  module (``import json``) is no evidence for the direct reading either: that
  is what the code means by it anywhere, so ``src/poetry/json/`` is
  ``poetry.json``, not a top-level ``json`` that every ``import json`` would
  resolve to.
* A plain directory named like a standard-library module (pytest's
  ``testing/io/``, ``testing/logging/``) is a source root of its own rather
  than a namespace package ``io`` that every ``import io`` would resolve to,
  unless the repository's imports go through it (``io.helpers``).
* Conversely, a directory of plain modules (no package) whose files import
  each other by bare name (``from helpers import x`` in ``tests/test_a.py``, as
  pytest's rootdir insertion or running a script makes work) is promoted to a
  source root, unless a module of one of its names exists already. A bare
  import of a standard-library name (``import json`` beside ``json/``) does
  not count: it is what the code means by it anywhere.
* A source root inside a directory of tests, examples or documentation
  (``AUXILIARY_DIRECTORIES``: celery's ``examples/``, flask's
  ``tests/test_apps/``, pytest's ``testing/`` and ``doc/en/example/``) is
  *local*: its modules, and the namespace packages below it, are seen only by
  the files inside that directory (the first such directory on the root's
  path: ``examples/``, ``tests/``, ``doc/``). Python finds a module only
  through a source root on its ``sys.path``; an example or a test is run from
  its own directory, which the project's installed code never has on its
  path. So ``import gevent`` in ``celery/concurrency/gevent.py`` is the
  installed ``gevent`` (external), not the example folder ``examples/gevent/``
  that the root ``examples/`` (which directly holds a package) would name
  ``gevent``, while the examples' imports among themselves and into the
  package resolve as before.
* Two files with the same module name (``foo.py`` next to ``foo/__init__.py``,
  or one top-level name under two source roots): one under a source root that
  is not local wins, then the one under the shallower source root, then the
  package, then the lexically first path. The others get no module and are
  listed in ``PythonResolver.duplicates`` and, counted with the first few, in
  its ``problems`` (a note of the ingest) — unless the other is in a nested
  project of its own.
* A folder below the repository's root with its own ``pyproject.toml``,
  ``setup.py`` or ``setup.cfg`` is a nested project, an import space of its own:
  its tests run from its folder, so its ``tests.conftest`` is its own whatever
  another project calls ``tests.conftest`` (pydantic-core, merged into pydantic
  as ``pydantic-core/``; a monorepo's ``libs/*/tests/``). A nested project's
  file that loses its name to another project's file is named apart,
  ``project/name`` (``pydantic-core/tests.conftest``); every other name stays
  as it was, the winner's too. The imports of a project holding such a module
  look among its own modules first (by the names its code gives them: its
  ``tests.conftest``), then everywhere as any file does.
* Like grimp, only ``.py`` files count, and file names with more than one dot
  or a leading dot are not modules.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from cairn.graph.testcode import TEST_DIRECTORIES
from cairn.ingest.code.base import DYNAMIC, Layout, ParsedFile, RawImport, ResolvedImport, Resolver
from cairn.ingest.code.python.parse import RELATIVE_TO_NAME
from cairn.ingest.code.stdlib import PYTHON_STDLIB
from cairn.ingest.untrusted_toml import TOMLDecodeError, load_toml


#: the source-root depth a namespace portion's file competes with for its name: after any other file's
_PORTION = 1 << 16
#: added to the depth of a local source root's file competing for its name: after every other file's
_LOCAL = 1 << 17

#: Directories of tests, examples and documentation: a source root inside one is local (see the module docstring).
AUXILIARY_DIRECTORIES = TEST_DIRECTORIES | {"testing", "example", "examples", "sample", "samples", "demo", "demos",
                                            "doc", "docs", "documentation"}


def _is_module_file(filename: str) -> bool:
    return filename.endswith(".py") and not filename.startswith(".") and filename.count(".") == 1


class PythonResolver(Resolver):
    """Module names and import resolution for one repository's Python files (see the module docstring)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.duplicates: list[tuple[str, str, str]] = []  # (skipped path, module, path chosen instead)
        init_dirs = {p[:-12] for p in layout.all_files if p.endswith("/__init__.py")}
        init_dirs |= {p[:-12] for p in layout.files if p.endswith("/__init__.py")}
        self._init_dirs = init_dirs

        # Each candidate file's outer directory: the first directory outside
        # regular packages on the way up (the package's container, or the file's own directory).
        # (the loops over every file are written out: a PR check names the 50k modules of its head with them)
        placed: list[tuple[str, list[str], str]] = []  # (path, parts below the outer dir, outer dir)
        unplaced: list[str] = []  # module files in no package's tree: portions inside packages, perhaps
        by_dir: dict[str, tuple[list[str], str] | None] = {}
        place_directory, unseen = self._place_directory, by_dir  # (``by_dir`` itself: a value no directory has)
        for path in layout.files:
            directory, _, filename = path.rpartition("/")
            # _is_module_file(filename)
            if not filename.endswith(".py") or filename.startswith(".") or filename.count(".") != 1:
                continue
            where = by_dir.get(directory, unseen)
            if where is unseen:
                where = by_dir[directory] = place_directory(directory)
            if where is None:
                unplaced.append(path)
                continue
            below, outer = where
            stem = filename[:-3]
            placed.append((path, below if stem == "__init__" else [*below, stem], outer))

        roots = self._choose_source_roots(placed)
        root_scopes = {root: scope for root in roots if (scope := _local_scope(root)) is not None}

        candidates: dict[str, list[tuple[tuple[int, int, str], str]]] = {}
        namespaces: dict[str, str] = {}
        # Only where some source root is local: the scope of each local root's file and namespace package, and of
        # each outer directory below a local root.
        local_paths: dict[str, str] = {}
        namespace_scopes: dict[str, str | None] = {}
        outer_scopes: dict[str, str] = {}
        package_dirs = declared_package_dirs(layout.read_text)
        depths = _RootDepths(roots)
        known = depths.known
        for path, below, outer in placed:
            mapped = _mapped_module(path, package_dirs) if package_dirs else None
            if mapped:
                candidates.setdefault(mapped, []).append(((0, 0 if path.endswith("__init__.py") else 1, path), path))
                continue
            found = known.get(outer)
            if found is None:  # the namespace packages between the source root and the outer directory, once per directory
                found = depths(outer)
                depth, between = found
                outer_parts = outer.split("/") if outer else []
                scope = root_scopes.get("/".join(outer_parts[:depth])) if root_scopes else None
                if scope is not None:
                    outer_scopes[outer] = scope
                for i in range(1, len(between) + 1):
                    namespace = ".".join(between[:i])
                    namespaces.setdefault(namespace, "/".join(outer_parts[: depth + i]))
                    if root_scopes:  # a name that two scopes, or a scope and the rest, have is everyone's
                        namespace_scopes[namespace] = scope if namespace_scopes.get(namespace, scope) == scope else None
            depth, between = found
            name_parts = between + below if between else below
            if not name_parts:
                continue  # an __init__.py directly in a source root names no module
            is_package = path == "__init__.py" or path.endswith("/__init__.py")
            scope = outer_scopes.get(outer) if outer_scopes else None
            if scope is not None:
                local_paths[path] = scope
            option = ((depth if scope is None else _LOCAL + depth, 0 if is_package else 1, path), path)
            name = ".".join(name_parts)
            others = candidates.get(name)
            if others is None:
                candidates[name] = [option]
            else:
                others.append(option)

        if unplaced:
            self._add_imported_portions(unplaced, candidates, local_paths)
        contested = [module for module, options in candidates.items() if len(options) > 1]
        for module in contested:
            candidates[module].sort()
        # a nested project's own module of a name another project's file has: its own name (``project/name``)
        self._plain_name: dict[str, str] = {}  # such a module -> the name its project's imports give it
        self._projects: _Projects | None = None
        if contested:
            self._projects = _Projects(layout.all_files)
            if self._projects.nested:
                contested = self._name_apart_by_project(candidates, contested, self._projects)
        # each path is one module's option only: the chosen paths are distinct
        self._path_of: dict[str, str] = {module: options[0][1] for module, options in candidates.items()}
        self._module_of: dict[str, str] = {path: module for module, path in self._path_of.items()}
        for module in contested:
            options = candidates[module]
            self.duplicates += [(other, module, options[0][1]) for _, other in options[1:]]
        self.problems = [_duplicates_note(self.duplicates)] if self.duplicates else []
        # a nested project holding modules named apart -> its modules by the names its imports give them
        self._own: dict[str, dict[str, str]] = {}
        if self._plain_name:
            assert self._projects is not None
            owners = {self._projects.of(self._path_of[module]) for module in self._plain_name}
            for module, path in self._path_of.items():
                project = self._projects.of(path)
                if project in owners:
                    self._own.setdefault(project, {})[self._plain_name.get(module, module)] = module
        self._namespaces = {n: p for n, p in namespaces.items() if n not in self._path_of}
        # module or namespace package -> the directory whose files alone see it; the others are seen by every file
        self._scope_of: dict[str, str] = {}
        if local_paths:
            self._scope_of = {module: local_paths[path] for module, path in self._path_of.items() if path in local_paths}
        self._scope_of.update((n, scope) for n in self._namespaces if (scope := namespace_scopes.get(n)) is not None)
        # by the importer's scope and its project (when the project has modules named apart)
        self._memos: dict[tuple[str | None, str | None], dict[str, tuple[str, bool] | None]] = {}
        plain = self._plain_name
        names = [*self._path_of, *self._namespaces]
        self._top_level = {name.partition(".")[0] for name in names if name not in self._scope_of and name not in plain}
        self._top_level_in: dict[str, set[str]] = {}  # a scope -> the top-level names of its own
        for name, scope in self._scope_of.items():
            if name not in plain:
                self._top_level_in.setdefault(scope, set()).add(name.partition(".")[0])

    def _name_apart_by_project(self, candidates: dict[str, list[tuple[tuple[int, int, str], str]]],
                               contested: list[str], projects: "_Projects") -> list[str]:
        """Give a nested project's file that loses its module name to another project's its own name,
        ``project/name`` (``pydantic-core/tests.conftest``), and return the names still contested.

        A folder with its own pyproject.toml, setup.py or setup.cfg is a project of its own, run from its own folder:
        its ``tests.conftest`` is its own, whatever another project of the repository calls ``tests.conftest``
        (pydantic-core merged into pydantic as ``pydantic-core/``; a monorepo's ``libs/*/tests/``). The file
        that wins the name by the usual order keeps it, so no name changes; the first of each other nested project
        is named apart; the rest (two files of one project, or of the repository's own) still have no module.
        """
        still: list[str] = []
        for name in contested:
            options = candidates[name]
            winner = projects.of(options[0][1])
            kept = [options[0]]
            for option in options[1:]:
                project = projects.of(option[1])
                if not project or project == winner:
                    kept.append(option)
                    continue
                qualified = f"{project}/{name}"  # (no dotted name has a "/")
                self._plain_name[qualified] = name
                candidates.setdefault(qualified, []).append(option)  # (in order: the options are sorted)
                if len(candidates[qualified]) == 2:
                    still.append(qualified)
            candidates[name] = kept
            if len(kept) > 1:
                still.append(name)
        return still

    def _place_directory(self, directory: str) -> tuple[list[str], str] | None:
        """(package directories from the outer directory down, outer directory), or None if excluded."""
        below: list[str] = []
        outer = directory
        while outer in self._init_dirs:
            outer, _, name = outer.rpartition("/")
            below.insert(0, name)
        ancestor = outer
        while ancestor:
            if ancestor in self._init_dirs:
                return None  # below a directory without __init__.py inside a package: grimp ignores it
            ancestor = ancestor.rpartition("/")[0]
        if not all(d.isidentifier() for d in below):
            return None
        return below, outer

    def _add_imported_portions(self, unplaced: list[str], candidates: dict[str, list[tuple[tuple[int, int, str], str]]],
                               local_paths: dict[str, str]) -> None:
        """Name the files of the namespace portions inside packages that the repository's own code imports.

        A directory without ``__init__.py`` inside a regular package is a namespace portion (PEP 420): Python
        imports ``flask.sansio.app`` from ``src/flask/sansio/app.py`` although ``sansio/`` has no ``__init__.py``.
        grimp ignores such directories (grimp#298), and so does Cairn where nothing imports them (test data,
        templates, example scripts: pytest's ``testing/example_scripts/``). When some import of the repository,
        absolute or relative (Flask's ``from .sansio.app import App``), names a module in one, its files are that
        package's modules, so the code in it has dependencies and users. (Its directories are no modules of their
        own: their files are a component's, the directory holding none.) A portion is as local as its package.
        """
        package_name: dict[str, str] = {}  # package directory -> module name, of the packages named so far
        for module, options in candidates.items():
            for _, path in options:
                if path.endswith("/__init__.py"):
                    package_name.setdefault(path[:-12], module)
        portions: dict[str, list[tuple[str, list[str]]]] = {}  # portion's module name -> (file, its parts below)
        scope_of_portion: dict[str, str] = {}
        for path in unplaced:
            directory, _, filename = path.rpartition("/")
            parts = directory.split("/")
            for i in range(len(parts) - 1, 0, -1):
                package = package_name.get("/".join(parts[:i]))
                if package is not None:
                    break
            else:
                continue
            below = parts[i:]
            if not all(part.isidentifier() for part in below):
                continue
            stem = filename[:-3]
            name = f"{package}.{below[0]}"
            portions.setdefault(name, []).append((path, below[1:] if stem == "__init__" else [*below[1:], stem]))
            scope = local_paths.get("/".join(parts[:i]) + "/__init__.py")
            if scope is not None:
                scope_of_portion[name] = scope
        if not portions:
            return
        imported = self._imported_names(candidates)
        for name, files in portions.items():
            if name not in imported or name in candidates:
                continue  # not imported; or a module of its name (``tools.py`` beside ``tools/``), which Python finds first
            scope = scope_of_portion.get(name)
            for path, rest in files:
                module = ".".join([name, *rest])
                # last among files of the same name, as PEP 420 puts a portion after modules and packages
                option = ((_PORTION if scope is None else _LOCAL + _PORTION, 0 if path.endswith("/__init__.py") else 1,
                           path), path)
                candidates.setdefault(module, []).append(option)
                if scope is not None:
                    local_paths[path] = scope

    def _imported_names(self, candidates: dict[str, list[tuple[tuple[int, int, str], str]]]) -> set[str]:
        """Every dotted prefix of every name the repository's imports give, relative ones resolved from their
        importer's name."""
        importer_of = {options[0][1]: module for module, options in candidates.items()}
        names: set[str] = set()
        for path, parsed in self.layout.parsed.items():
            importer = importer_of.get(path, "")
            is_package = path.endswith("/__init__.py")
            for imp in parsed.imports:
                if imp.level and not importer or not imp.level and not imp.spec:
                    continue  # (a relative import of a file with no name yet)
                for full in _imported_names_of(imp, importer, is_package) or ():
                    names.update(_prefixes(full))
        return names

    # -- source roots -------------------------------------------------------

    def _choose_source_roots(self, placed: list[tuple[str, list[str], str]]) -> set[str]:
        defaults = {""}
        outers = {outer for _, _, outer in placed}
        for outer in outers:
            parts = outer.split("/") if outer else []
            for i in range(1, len(parts) + 1):
                if parts[i - 1] == "src" or not parts[i - 1].isidentifier():
                    defaults.add("/".join(parts[:i]))
        for path, below, outer in placed:
            if len(below) > 1 or (below and path.endswith("/__init__.py")):
                defaults.add(outer)  # it directly contains a regular package
        demotable = sorted(d for d in defaults if d and d.split("/")[-1].isidentifier())
        mentioned = _Counted(self._absolute_import_prefixes, self._absolute_imports)
        roots = self._demote_namespace_roots(placed, defaults, demotable, mentioned)
        roots = self._promote_script_directories(placed, roots, mentioned)
        return self._unshadow_standard_library(placed, roots, mentioned)

    def _unshadow_standard_library(self, placed, roots: set[str], mentioned: "_Counted") -> set[str]:
        """A plain directory named like a standard-library module (pytest's ``testing/io/``,
        ``testing/logging/``) would make ``io`` a namespace package of the repository, and every
        ``import io`` an edge to it. Such a directory becomes a source root of its own instead
        (its test files are top-level modules, as pytest's rootdir insertion imports them),
        unless the repository's own absolute imports go through it (``from io.helpers import x``
        naming something in it)."""
        below: dict[str, set[str]] = {}  # shadowing directory -> first names inside it
        depths = _RootDepths(roots)
        known = depths.known
        for _, names, outer in placed:
            depth, between = known.get(outer) or depths(outer)
            if between and between[0] in PYTHON_STDLIB:
                parts = outer.split("/")
                below.setdefault("/".join(parts[: depth + 1]), set()).add((between[1:] + names)[0])
        promoted = set(roots)
        for directory, heads in below.items():
            name = directory.rpartition("/")[2]
            if not any(mentioned[f"{name}.{head}"] for head in heads):
                promoted.add(directory)
        return promoted

    def _demote_namespace_roots(self, placed, defaults: set[str], demotable: list[str], mentioned: "_Counted") -> set[str]:
        """Default roots whose contents the code imports through a shallower root become namespace packages."""
        if not demotable:
            return set(defaults)
        # What each default root contains, named below it: first module-name components; and, of the demotable
        # roots, (modules with a file, those and the namespace packages between the root and the files).
        heads: dict[str, set[str]] = {}
        contents: dict[str, tuple[set[str], set[str]]] = {root: (set(), set()) for root in demotable}
        depths = _RootDepths(defaults)
        for path, below, outer in placed:
            depth, between = depths(outer)
            rest = between + below
            if rest:
                outer_parts = outer.split("/") if outer else []
                root = "/".join(outer_parts[:depth])
                heads.setdefault(root, set()).add(rest[0])
                if root in contents:
                    modules, named = contents[root]
                    module = ".".join(rest)
                    modules.add(module)
                    named.add(module)
                    named.update(".".join(between[:i]) for i in range(1, len(between) + 1))

        roots = set(defaults)
        for root in demotable:
            names = heads.get(root)
            if not names:
                continue
            modules, named = contents[root]
            direct = None
            parts = root.split("/")
            for i in range(len(parts) - 1, -1, -1):  # nearest shallower default root first
                above = "/".join(parts[:i])
                if above not in defaults:
                    continue
                through = parts[i:]
                if not all(p.isidentifier() for p in through):
                    break
                prefix = ".".join(through)
                if not any(mentioned[f"{prefix}.{n}"] for n in names):
                    continue  # no import names anything through it (most roots: no resolving to count)
                if direct is None:
                    direct = mentioned.resolving("", names - PYTHON_STDLIB, modules, named)
                via = mentioned.resolving(prefix, names, modules, named)
                if via > direct:
                    roots.discard(root)
                    break
        return roots

    def _promote_script_directories(self, placed, roots: set[str], mentioned: "_Counted") -> set[str]:
        """A directory of plain modules whose files import each other by bare name
        (``from helpers import x`` in ``tests/test_a.py``, as pytest's rootdir
        insertion or running a script makes work) becomes a source root, unless that
        would give a module the name of one that exists already."""
        plain: dict[str, set[str]] = {}
        for path, names, outer in placed:
            if len(names) == 1 and outer not in roots and outer.rpartition("/")[2].isidentifier():
                plain.setdefault(outer, set()).add(names[0])
        if not plain:
            return roots
        taken = set()
        depths = _RootDepths(roots)
        for _, names, outer in placed:
            taken.add((depths(outer)[1] + names)[0])
        promoted = set(roots)
        for directory, heads in sorted(plain.items()):
            if heads & taken:
                continue
            bare = 0
            siblings = heads - PYTHON_STDLIB  # ``import json`` beside a ``json/`` means the standard library's
            for path, names, outer in placed:
                if outer == directory and len(names) == 1:
                    for imp in self.layout.parsed[path].imports:
                        if not imp.level and imp.spec.partition(".")[0] in siblings:
                            bare += 1
            if not bare:
                continue
            parts = directory.split("/")
            depth = max(i for i in range(len(parts)) if "/".join(parts[:i]) in roots)
            prefix = ".".join(parts[depth:])
            if bare > sum(mentioned[f"{prefix}.{h}"] for h in heads):
                promoted.add(directory)
                taken |= heads
        return promoted

    def _absolute_import_prefixes(self) -> Counter:
        """How many absolute imports in the repository name each dotted prefix."""
        named: list[str] = []  # each import's distinct prefixes, counted at once at the end
        prefixes_of: dict[str, tuple[str, ...]] = {}  # a name imported many times is split once
        for parsed in self.layout.parsed.values():
            for imp in parsed.imports:
                if imp.level or not imp.spec:
                    continue
                fulls = _imported_names_of(imp, "", False)  # (absolute: a list)
                if len(fulls) == 1:
                    found = prefixes_of.get(fulls[0])
                    if found is None:
                        found = prefixes_of[fulls[0]] = _prefixes(fulls[0])
                    named.extend(found)
                    continue
                prefixes: set[str] = set()
                for full in fulls:
                    found = prefixes_of.get(full)
                    if found is None:
                        found = prefixes_of[full] = _prefixes(full)
                    prefixes.update(found)
                named.extend(prefixes)
        return Counter(named)

    def _absolute_imports(self) -> Counter:
        """How many absolute imports in the repository give each tuple of full names."""
        return Counter(tuple(_imported_names_of(imp, "", False)) for parsed in self.layout.parsed.values()
                       for imp in parsed.imports if not imp.level and imp.spec)

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return self._module_of.get(path)

    def module_path(self, module: str) -> str:
        return self._path_of.get(module) or self._namespaces[module]

    def extra_modules(self) -> dict[str, str]:
        return dict(self._namespaces)

    @property
    def modules(self) -> set[str]:
        """Every module name: those with a file and the namespace packages."""
        return set(self._path_of) | set(self._namespaces)

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        path = parsed.path
        importer = self._module_of.get(path)
        if importer is None:
            return []
        is_package = path.endswith("/__init__.py")
        viewer = _local_scope(path.rpartition("/")[0]) if self._scope_of else None
        project = self._projects.of(path) if self._own else None  # (self._projects is set when self._own is)
        own = self._own.get(project) if project else None
        key = (viewer, project if own else None)
        memo = self._memos.get(key)
        if memo is None:
            memo = self._memos[key] = {}
        seen: set[tuple[str, int, str, bool]] = set()
        resolved: list[ResolvedImport] = []
        name_of_importer = self._plain_name.get(importer, importer) if self._plain_name else importer
        for imp in parsed.imports:
            for full in _imported_names_of(imp, name_of_importer, is_package) or ():
                target = memo.get(full, memo)
                if target is memo:
                    target = memo[full] = self._resolve_name(full, viewer, own)
                if target is None:
                    continue
                name, external = target
                if not external and name == importer:
                    continue
                key = (name, imp.line, imp.kind, external)
                if key not in seen:
                    seen.add(key)
                    resolved.append(ResolvedImport(name, imp.line, imp.kind, external, path))
        return resolved

    def _resolve_name(self, name: str, viewer: str | None, own: dict[str, str] | None = None) -> tuple[str, bool] | None:
        """(module, external) for an absolute imported name, as a file in the scope ``viewer`` (the directory of
        tests, examples or documentation it is in, if any) sees the modules; None for a missing internal module.
        ``own``: the modules of the file's nested project, by the names its imports give them, looked in first."""
        scope_of = self._scope_of
        if own:
            parent = name.rpartition(".")[0]
            for found in (own.get(name), own.get(parent) if parent else None):
                if found is not None and scope_of.get(found, viewer) == viewer:
                    return found, False
        if (name in self._path_of or name in self._namespaces) and scope_of.get(name, viewer) == viewer:
            return name, False
        parent = name.rpartition(".")[0]
        if parent and parent in self._path_of and scope_of.get(parent, viewer) == viewer:
            return parent, False
        parts = name.split(".")
        if parts[0] not in self._top_level and (viewer is None or parts[0] not in self._top_level_in.get(viewer, ())):
            return parts[0], True
        i = 1
        while i < len(parts) and (prefix := ".".join(parts[:i])) in self._namespaces and scope_of.get(prefix, viewer) == viewer:
            i += 1
        # parts[:i] is the shortest prefix that is not a namespace package here.
        prefix = ".".join(parts[:i])
        if prefix in self._path_of and scope_of.get(prefix, viewer) == viewer:
            return None  # a missing module inside one of the repository's packages
        return prefix, True  # a portion of the namespace package that lives elsewhere


#: The files that make a folder a Python project of its own.
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


class _Projects:
    """The nested Python projects of a repository (folders below its root holding one of ``PROJECT_FILES``), and
    the one a path is in (its deepest; "" for the repository's own), worked out once per directory."""

    __slots__ = ("nested", "_of_directory")

    def __init__(self, all_files: frozenset[str]):
        self.nested = {path.rpartition("/")[0] for path in all_files if path.endswith(PROJECT_FILES)
                       and "/" in path and path.rpartition("/")[2] in PROJECT_FILES}
        self._of_directory: dict[str, str] = {}

    def of(self, path: str) -> str:
        directory = path.rpartition("/")[0]
        found = self._of_directory.get(directory)
        if found is None:
            found = directory
            while found and found not in self.nested:
                found = found.rpartition("/")[0]
            self._of_directory[directory] = found
        return found


#: How many of the files left without a module because another has their name the ingest note names.
NAMED_DUPLICATES = 3


def _duplicates_note(duplicates: list[tuple[str, str, str]]) -> str:
    """One line on the files left without a module because another file has their module name: how many, and the
    first few."""
    shown = "; ".join(f"{module} is {chosen}, not {skipped}" for skipped, module, chosen in sorted(
        duplicates, key=lambda d: (d[1], d[0]))[:NAMED_DUPLICATES])
    more = f"; {len(duplicates) - NAMED_DUPLICATES} more" if len(duplicates) > NAMED_DUPLICATES else ""
    return f"{len(duplicates)} Python file(s) with no module: another file has its module name ({shown}{more})"


class _RootDepths:
    """For an outer directory: how many of its parts the deepest source root of ``roots`` above it has, and the parts
    below that root; worked out once per directory (files share their directory's)."""

    __slots__ = ("roots", "known")

    def __init__(self, roots: set[str]):
        self.roots = roots
        self.known: dict[str, tuple[int, list[str]]] = {}

    def __call__(self, outer: str) -> tuple[int, list[str]]:
        found = self.known.get(outer)
        if found is None:
            parts = outer.split("/") if outer else []
            depth = max(i for i in range(len(parts) + 1) if "/".join(parts[:i]) in self.roots)
            found = self.known[outer] = (depth, parts[depth:])
        return found


class _Counted:
    """How many absolute imports name each dotted prefix (``counted[prefix]``), and how many of them resolve into a
    given set of modules (``resolving``), each counted over every file's imports on its first question only: a
    layout with no default root to demote, no directory shadowing the standard library and no directory of plain
    modules never asks, and naming its modules then reads no file's imports (the PR check's head, where most files'
    parses would otherwise be decoded just for this count); nor does one where no import names a default root's
    contents through a shallower root ask ``resolving``."""

    __slots__ = ("_count", "_counts", "_count_imports", "_imports", "_names_by_first")

    def __init__(self, count: Callable[[], Counter], count_imports: Callable[[], Counter]):
        self._count: Callable[[], Counter] | None = count
        self._counts: Counter | None = None
        self._count_imports = count_imports
        self._imports: Counter | None = None  # each import's tuple of names -> how many imports give it
        # the imported names by their first part, each with the names of its import
        self._names_by_first: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None

    def __getitem__(self, prefix: str) -> int:
        if self._counts is None:
            assert self._count is not None
            self._counts, self._count = self._count(), None
        return self._counts[prefix]

    def resolving(self, prefix: str, heads: set[str], modules: set[str], names: set[str]) -> int:
        """How many imports give a name below ``prefix`` (``a.b`` of ``p.a.b``; any name for ``""``) that, read
        without it, starts with one of ``heads`` and is one of ``names`` (modules and namespace packages) or an
        attribute of one of ``modules``: the imports that would resolve to those modules if ``prefix`` named the
        directory holding them (``_resolve_name``'s rule, with its one level of fallback)."""
        by_first = self._names_by_first
        if by_first is None:
            self._imports = self._count_imports()
            by_first = self._names_by_first = {}
            for given in self._imports:
                for name in given:
                    by_first.setdefault(name.partition(".")[0], []).append((name, given))
        start = len(prefix) + 1 if prefix else 0
        resolved: set[tuple[str, ...]] = set()  # the imports, each counted once however many of its names resolve
        for first in (prefix.partition(".")[0],) if prefix else heads:
            for name, given in by_first.get(first, ()):
                rest = name[start:]
                if start and not (name[start - 1:start] == "." and name.startswith(prefix)
                                  and rest.partition(".")[0] in heads):
                    continue
                if rest in names or rest.rpartition(".")[0] in modules:
                    resolved.add(given)
        imports = self._imports
        assert imports is not None
        return sum(imports[given] for given in resolved)


def declared_package_dirs(read_text) -> dict[str, str]:
    """setuptools' ``package-dir`` of pyproject.toml: directory -> package name.

    A project that installs ``graph/`` as ``cairn.graph`` imports it as
    ``cairn.graph``; its modules are named that way so those imports resolve.
    The ``""`` key (a ``src``-style root) is left to the source-root inference.
    """
    text = read_text("pyproject.toml")
    if not text or "package-dir" not in text:
        return {}
    try:
        data = load_toml(text)
    except (TOMLDecodeError, ValueError):
        return {}
    mapping = data.get("tool", {}).get("setuptools", {}).get("package-dir", {})
    if not isinstance(mapping, dict):
        return {}
    dirs: dict[str, str] = {}
    for package, directory in mapping.items():
        if not (isinstance(package, str) and isinstance(directory, str)) or not package:
            continue
        directory = directory.strip().removeprefix("./").strip("/")
        directory = "" if directory == "." else directory
        if all(part.isidentifier() for part in package.split(".")) and ".." not in directory.split("/"):
            dirs[directory] = package
    return dirs


def _mapped_module(path: str, package_dirs: dict[str, str]) -> str | None:
    """The module name of ``path`` under the deepest declared package directory, if any."""
    directory, _, filename = path.rpartition("/")
    probe = directory
    while True:
        package = package_dirs.get(probe)
        if package is not None:
            rest = directory[len(probe):].strip("/")
            parts = [*package.split("."), *(rest.split("/") if rest else [])]
            if not all(part.isidentifier() for part in parts):
                return None
            stem = filename[:-3]
            return ".".join(parts if stem == "__init__" else [*parts, stem])
        if not probe:
            return None
        probe = probe.rpartition("/")[0]


def _local_scope(directory: str) -> str | None:
    """The directory of tests, examples or documentation that ``directory`` is in (its first such directory from the
    top: ``examples`` of ``examples/django``), or None."""
    if not directory:
        return None
    parts = directory.split("/")
    for i, part in enumerate(parts):
        if part in AUXILIARY_DIRECTORIES:
            return "/".join(parts[: i + 1])
    return None


def _prefixes(name: str) -> tuple[str, ...]:
    """``a``, ``a.b``, ``a.b.c`` of ``a.b.c`` (distinct, as a name's prefixes are)."""
    parts = name.split(".")
    return tuple(dict.fromkeys(".".join(parts[:i]) for i in range(1, len(parts) + 1)))


def _imported_names_of(imp: RawImport, importer: str, is_package: bool) -> list[str] | None:
    """The absolute names an import in module ``importer`` gives (``from .a import b`` in ``pkg.m``: ``pkg.a.b``);
    None for a relative import that climbs above the source root."""
    if imp.level:
        base = _relative_base(importer, is_package or RELATIVE_TO_NAME in imp.names, imp.level)
        if base is None:
            return None
        spec = f"{base}.{imp.spec}" if imp.spec else base
    else:
        spec = imp.spec
    if imp.kind == DYNAMIC or not imp.names:
        return [spec]
    return [spec if n == "*" else f"{spec}.{n}" if spec else n for n in imp.names]


def _relative_base(importer: str, is_package: bool, level: int) -> str | None:
    """grimp's base package for a relative import of ``level`` dots (None: above the source root)."""
    parts = importer.split(".")
    keep = len(parts) - level + (1 if is_package else 0)
    if keep <= 0:
        return None
    return ".".join(parts[:keep])
