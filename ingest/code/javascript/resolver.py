"""JavaScript/TypeScript import resolution over a whole repository.

``JavaScriptResolver``, for an importer's specifier:

* Module names are repository-relative file paths.
* Relative specifiers (``./``, ``../``, ``.``, ``..``) are joined to the
  importer's directory, then probed: for a TS importer, ``./x.js`` first tries
  ``x.ts``/``x.tsx``/``x.d.ts`` (and ``.mjs``→``.mts``, ``.cjs``→``.cts``,
  ``.jsx``→``.tsx``); then the specifier as written; then with each of
  ``.ts .tsx .mts .cts .d.ts .js .jsx .mjs .cjs`` appended; then a
  ``package.json`` entry in that directory; then ``index.<ext>`` inside it. A
  ``?query`` suffix (bundler loaders) is ignored. A relative specifier that
  reaches no ingested source file (``./style.css``, ``./data.json``, a vendored
  file) is dropped, as is an absolute one.
* Bare specifiers, in order: package.json ``imports`` (``#internal``) of the
  nearest package.json; the nearest ``tsconfig.json`` / ``jsconfig.json``'s
  ``paths`` (longest matching prefix, ``*`` wildcards, each substitution
  probed in turn) and then ``baseUrl``; workspace packages by name; otherwise
  external. A specifier that a ``paths`` pattern matches but no file answers
  falls through, as in TypeScript.
* tsconfig/jsconfig files and the workspace list are read as ``project``
  describes. Workspace packages: ``name`` and ``name/sub/path`` resolve to the
  package's entry (``exports`` — subpath maps, wildcards and conditions —
  then ``source``, ``module``, ``main``, ``types``, ``typings``, then
  ``src/index.*``, ``index.*``) or to the sub path. An entry pointing at build
  output that is not in the repository (``dist/index.js``) is looked up
  under ``src/`` as well (``src/index.ts``). A workspace package whose entry
  cannot be found gives no edge (it is not external either).
* External names are npm package names: ``lodash/fp`` → ``lodash``,
  ``@scope/pkg/x`` → ``@scope/pkg``. Node built-ins are written ``node:<name>``
  whether imported as ``fs``, ``fs/promises`` or ``node:fs/promises`` (Node
  itself resolves a bare built-in name before node_modules), so one node
  stands for each built-in. ``npm:``/``jsr:`` (Deno) specifiers lose their
  prefix and version; URL imports become their host; other ``scheme:name``
  specifiers (``bun:sqlite``, ``virtual:pwa``) are kept up to the first ``/``.
  ``@/x`` and ``~/x`` that no alias resolves are dropped: they are path aliases
  configured elsewhere (a bundler), never package names.
* An import of the importer itself gives no edge.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from cairn.ingest.code.base import Layout, ParsedFile, ResolvedImport, Resolver
from cairn.ingest.code.javascript.project import CompilerOptions, ProjectFiles
from cairn.ingest.code.javascript.specifiers import (
    BUILD_DIRS,
    DECLARATION_SUFFIXES,
    ENTRY_FIELDS,
    PROBE_EXTENSIONS,
    TS_FOR_JS,
    ancestors,
    external_package,
    is_relative,
    join,
    package_name,
    parent,
    strip_js_extension,
    subpath_targets,
    wildcard_match,
)


class JavaScriptResolver(Resolver):
    """Module names and import resolution for one repository's JS/TS files (see the module docstring)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.files = frozenset(layout.files)
        self.all_files = layout.all_files | self.files
        self.project = ProjectFiles(layout, self.all_files)
        self.problems = self.project.problems  # unreadable config files, one line each
        self.workspaces = self.project.workspaces
        self._package_dirs = self.project.package_dirs
        self._memo: dict[tuple[str, str, bool], tuple[str, bool] | None] = {}

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return path if path in self.files else None

    def module_path(self, module: str) -> str:
        return module

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        if parsed.path not in self.files:
            return []
        directory = parent(parsed.path)
        from_ts = parsed.language == "typescript"
        seen: set[tuple[str, int, str, bool]] = set()
        resolved: list[ResolvedImport] = []
        for imp in parsed.imports:
            key = (directory, imp.spec, from_ts)
            target = self._memo.get(key, self._memo)
            if target is self._memo:
                target = self._memo[key] = self._resolve_spec(imp.spec, directory, from_ts)
            if target is None:
                continue
            name, external = target
            if not external and name == parsed.path:
                continue
            dedup = (name, imp.line, imp.kind, external)
            if dedup not in seen:
                seen.add(dedup)
                resolved.append(ResolvedImport(name, imp.line, imp.kind, external))
        return resolved

    # -- specifiers ---------------------------------------------------------

    def _resolve_spec(self, spec: str, directory: str, from_ts: bool) -> tuple[str, bool] | None:
        if is_relative(spec):
            base = join(directory, spec.split("?", 1)[0])
            found = self._probe(base, from_ts) if base is not None else None
            return (found, False) if found else None
        if not spec or spec.startswith("/") or "!" in spec:
            return None  # absolute paths and webpack loader chains name no module we can know
        if spec.startswith("#"):
            found = self._subpath_import(spec, directory, from_ts)
            return (found, False) if found else None
        options = self.project.options_for(directory)
        if options is not None:
            found = self._via_compiler_options(spec, options, from_ts)
            if found:
                return found, False
        name = package_name(spec)
        package_dir = self.workspaces.get(name)
        if package_dir is not None:
            found = self._package_entry(package_dir, spec[len(name) + 1 :], from_ts)
            return (found, False) if found else None
        external = external_package(spec)
        return (external, True) if external else None

    def _probe(self, base: str, from_ts: bool, *, package_json: bool = True) -> str | None:
        """The ingested source file a path (as written, without query) stands for.

        ``package_json=False`` while already resolving a package.json target, so
        a ``"main": "."`` cannot send resolution round in a circle."""
        files = self.files
        suffix = PurePosixPath(base).suffix
        substitutes = TS_FOR_JS.get(suffix, ())
        stem = base[: -len(suffix)] if substitutes else base
        if from_ts:
            for ext in substitutes:
                if stem + ext in files:
                    return stem + ext
        if base in files:
            return base
        for ext in substitutes:
            if stem + ext in files:
                return stem + ext
        for ext in PROBE_EXTENSIONS:
            if base + ext in files:
                return base + ext
        prefix = base + "/" if base else ""
        if package_json and base in self._package_dirs:
            found = self._package_entry(base, "", from_ts, with_index=False)
            if found:
                return found
        for ext in PROBE_EXTENSIONS:
            if prefix + "index" + ext in files:
                return prefix + "index" + ext
        return None

    def _probe_target(self, package_dir: str, target: str, from_ts: bool) -> str | None:
        """A package.json target (``./dist/index.js``), or its source under ``src/`` if the target is build output."""
        path = join(package_dir, target)
        if path is None:
            return None
        found = self._probe(path, from_ts, package_json=False)
        if found:
            return found
        inner = path[len(package_dir) + 1 :] if package_dir else path
        parts = inner.split("/")
        skip = 0
        while skip < len(parts) - 1 and parts[skip] in BUILD_DIRS:
            skip += 1
        if skip:
            source = strip_js_extension("/".join(["src", *parts[skip:]]))
            return self._probe(join(package_dir, source) or source, True, package_json=False)
        return None

    def _package_entry(self, package_dir: str, subpath: str, from_ts: bool, *, with_index: bool = True) -> str | None:
        """The file a package (``subpath`` ""), or a path inside it, resolves to."""
        package = self.project.read_json(f"{package_dir}/package.json" if package_dir else "package.json")
        package = package if isinstance(package, dict) else {}
        exports = package.get("exports")
        if subpath:
            found = self._first_code(package_dir, subpath_targets(exports, "./" + subpath) if exports is not None else [],
                                     from_ts)
            if found:
                return found
            for candidate in (subpath, "src/" + subpath):
                found = self._probe(join(package_dir, candidate) or candidate, from_ts)
                if found:
                    return found
            return None
        targets = subpath_targets(exports, ".") if exports is not None else []
        targets += [package[f] for f in ENTRY_FIELDS if isinstance(package.get(f), str)]
        found = self._first_code(package_dir, targets, from_ts)
        if found:
            return found
        if not with_index:
            return None
        for candidate in ("src/index", "index"):
            path = join(package_dir, candidate) or candidate
            for ext in PROBE_EXTENSIONS:
                if path + ext in self.files:
                    return path + ext
        return None

    def _first_code(self, package_dir: str, targets: list[str], from_ts: bool) -> str | None:
        """The file of the first of ``targets`` (preferred conditions first) that is code, else of the first that is a
        declaration file: svelte's ``"types": "./types/index.d.ts"`` (written at build time, under ``src/`` the
        package's ambient declarations) made every ``import … from 'svelte'`` an import of ``src/index.d.ts``, not of
        the code its other conditions name."""
        declaration = None
        for target in targets:
            found = self._probe_target(package_dir, target, from_ts)
            if found and not found.endswith(DECLARATION_SUFFIXES):
                return found
            declaration = declaration or found
        return declaration

    def _subpath_import(self, spec: str, directory: str, from_ts: bool) -> str | None:
        """Node's package.json ``imports`` (``#internal/x``), from the nearest package.json."""
        for ancestor in ancestors(directory):
            if ancestor in self._package_dirs:
                package = self.project.read_json(f"{ancestor}/package.json" if ancestor else "package.json")
                if not isinstance(package, dict) or not isinstance(package.get("imports"), dict):
                    return None
                for target in subpath_targets(package["imports"], spec):
                    found = self._probe_target(ancestor, target, from_ts)
                    if found:
                        return found
                return None
        return None

    def _via_compiler_options(self, spec: str, options: CompilerOptions, from_ts: bool) -> str | None:
        if options.paths:
            exact = [subs for pattern, subs in options.paths if pattern == spec]
            if exact:
                candidates = exact[0]
                matched = ""
            else:
                best: tuple[int, list[str], str] | None = None
                for pattern, subs in options.paths:
                    if pattern.count("*") != 1:
                        continue
                    part = wildcard_match(pattern, spec)
                    if part is not None and (best is None or pattern.index("*") > best[0]):
                        best = (pattern.index("*"), subs, part)
                candidates, matched = (best[1], best[2]) if best else ([], "")
            base = options.paths_base
            for substitution in candidates:
                path = join(base, substitution.replace("*", matched))
                found = self._probe(path, from_ts) if path is not None else None
                if found:
                    return found
        if options.base_url is not None:
            path = join(options.base_url, spec)
            if path is not None:
                return self._probe(path, from_ts)
        return None
