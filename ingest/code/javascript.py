"""JavaScript and TypeScript module dependencies with tree-sitter.

One language covers ``.js .jsx .mjs .cjs`` (tree-sitter-javascript, which also
reads JSX) and ``.ts .mts .cts`` / ``.tsx`` (tree-sitter-typescript's two
grammars), because JS and TS files import each other and need one resolver.
``ParsedFile.language`` says ``"javascript"`` or ``"typescript"`` per file.

What counts as an import (``JavaScriptLanguage.parse``):

* ``import … from 'x'``, ``import 'x'``, ``export … from 'x'``,
  ``export * from 'x'``, ``require('x')`` and TS ``import x = require('x')``:
  ``runtime``;
* ``import('x')``: ``dynamic`` — unless it sits in a type position
  (``typeof import('x')``, ``let a: import('x').T``), which is ``type_only``;
* ``import type …``, ``export type …``, ``import type x = require('x')``,
  ``export type * from`` and named imports/exports whose every name is marked
  ``type`` (``import { type A, type B } from``): ``type_only``. Flow's
  ``import type`` / ``import typeof`` in ``.js`` files (which the JS grammar
  reads as an error followed by an import) count as ``type_only`` too.
* Only string literals (and template literals without substitutions) count;
  ``require(name)`` is invisible. The line is the statement's (or call's) first line.

Resolution (``JavaScriptResolver``), for an importer's specifier:

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
* Config files are read with json5 (comments, trailing commas). ``extends``
  (a string or a list) is followed through relative files, any depth;
  ``baseUrl`` is relative to the file that sets it, ``paths`` to the
  effective ``baseUrl`` or else to the file that sets them. Each source file
  uses the nearest config in or above its directory (``tsconfig.json`` before
  ``jsconfig.json``). A config with neither ``baseUrl`` nor ``paths`` that
  lists ``references`` (Vite's ``tsconfig.json`` → ``tsconfig.app.json``)
  borrows them from the first referenced config that has them. Package-style
  ``extends`` (``@tsconfig/node18``) live in node_modules and are ignored.
* Workspace packages: the root package.json ``workspaces`` (array or
  ``{"packages": [...]}``), ``pnpm-workspace.yaml`` ``packages`` and
  ``lerna.json`` ``packages`` globs (``!`` excludes) select directories
  holding a package.json; ``name`` and ``name/sub/path`` resolve to the
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

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from cairn.ingest.code.base import (
    DYNAMIC,
    RUNTIME,
    TYPE_ONLY,
    Language,
    Layout,
    ParsedFile,
    RawImport,
    ResolvedImport,
    Resolver,
    count_syntax_errors,
    parser_and_cursor,
)

JS_EXTENSIONS = (".js", ".jsx", ".mjs", ".cjs")
TS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts")
# The order in which an extensionless specifier is probed.
PROBE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".d.ts", ".js", ".jsx", ".mjs", ".cjs")
# TypeScript's rule that an import written with a JS extension may name the TS source.
TS_FOR_JS = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx",),
    ".mjs": (".mts", ".d.mts"),
    ".cjs": (".cts", ".d.cts"),
}
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
# Output directories a package.json entry may point into while the sources live in src/.
BUILD_DIRS = frozenset({"dist", "lib", "build", "out", "esm", "cjs", "es", "types", "typings"})
CONDITION_ORDER = ("source", "types", "typescript", "import", "module", "default", "require", "node", "browser")
ENTRY_FIELDS = ("source", "module", "main", "types", "typings")
CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")

NODE_BUILTINS = frozenset(
    """assert async_hooks buffer child_process cluster console constants crypto dgram
    diagnostics_channel dns domain events fs http http2 https inspector module net os path
    perf_hooks process punycode querystring readline repl stream string_decoder sys timers
    tls trace_events tty url util v8 vm wasi worker_threads zlib""".split()
)

_COMMON_QUERY = """
(import_statement source: (string) @source) @import
(export_statement source: (string) @source) @export
(call_expression
  function: (import)
  arguments: (arguments . [(string) (template_string)] @source)) @dynamic
(call_expression
  function: (identifier) @fn
  arguments: (arguments . [(string) (template_string)] @source)
  (#eq? @fn "require")) @require
"""
_TS_QUERY = _COMMON_QUERY + """
(import_statement (import_require_clause source: (string) @source)) @import_require
"""

# Node types whose subtree is a type, where `import('x')` names a type, not a value.
_TYPE_CONTEXTS = frozenset(
    {
        "type_annotation",
        "type_query",
        "type_alias_declaration",
        "interface_declaration",
        "type_arguments",
        "type_parameters",
        "generic_type",
        "lookup_type",
        "index_type_query",
        "opting_type_annotation",
        "omitting_type_annotation",
        "asserts_annotation",
        "type_predicate_annotation",
    }
)
_TYPE_CONTEXT_DEPTH = 40

def _machinery(grammar: str):
    """(parser, query cursor) for "javascript", "typescript" or "tsx"."""
    if grammar == "javascript":
        import tree_sitter_javascript

        return parser_and_cursor("javascript", tree_sitter_javascript.language, _COMMON_QUERY)
    import tree_sitter_typescript

    raw = tree_sitter_typescript.language_tsx if grammar == "tsx" else tree_sitter_typescript.language_typescript
    return parser_and_cursor(grammar, raw, _TS_QUERY)


def _grammar_for(path: str) -> str:
    suffix = PurePosixPath(path).suffix
    if suffix == ".tsx":
        return "tsx"
    if suffix in TS_EXTENSIONS:
        return "typescript"
    return "javascript"


_ESCAPE = re.compile(r"\\(.)")


def _literal(node) -> str | None:
    """The value of a string literal or a template literal without substitutions."""
    if node.type == "template_string" and any(c.type == "template_substitution" for c in node.named_children):
        return None
    text = node.text[1:-1].decode("utf-8", "replace")
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


def _marked_type(statement) -> bool:
    """Whether an import/export statement carries `type` (or Flow's `typeof`) right after its keyword."""
    for child in statement.children:
        if child.type == "type" and not child.is_named:
            return True
        if child.type == "ERROR" and child.text in (b"type", b"typeof"):
            return True
        if child.is_named and child.type != "ERROR":
            return False
    return False


def _all_names_typed(statement) -> bool:
    """`import { type A, type B }` / `export { type A }`: every named specifier marked `type`, and nothing else imported."""
    clause = next((c for c in statement.named_children if c.type in ("import_clause", "export_clause")), None)
    if clause is None:
        return False
    specifier_type = "import_specifier" if clause.type == "import_clause" else "export_specifier"
    if clause.type == "import_clause":
        if clause.named_child_count != 1 or clause.named_children[0].type != "named_imports":
            return False  # a default or namespace import brings a value
        specifiers = [c for c in clause.named_children[0].named_children if c.type == specifier_type]
    else:
        specifiers = [c for c in clause.named_children if c.type == specifier_type]
    return bool(specifiers) and all(any(c.type == "type" and not c.is_named for c in s.children) for s in specifiers)


def _in_type_position(node) -> bool:
    parent = node.parent
    for _ in range(_TYPE_CONTEXT_DEPTH):
        if parent is None:
            return False
        if parent.type in _TYPE_CONTEXTS:
            return True
        parent = parent.parent
    return False


def extract_imports(path: str, source: bytes) -> tuple[list[RawImport], int]:
    """Every import in a JS/TS file's bytes (as written) and the number of syntax errors."""
    parser, cursor = _machinery(_grammar_for(path))
    root = parser.parse(source).root_node
    imports: list[RawImport] = []
    for _, captures in cursor.matches(root):
        spec = _literal(captures["source"][0])
        if not spec:
            continue
        if "import" in captures:
            statement = captures["import"][0]
            typed = _marked_type(statement) or _all_names_typed(statement)
            imports.append(RawImport(spec, statement.start_point[0] + 1, TYPE_ONLY if typed else RUNTIME))
        elif "export" in captures:
            statement = captures["export"][0]
            typed = _marked_type(statement) or _all_names_typed(statement)
            imports.append(RawImport(spec, statement.start_point[0] + 1, TYPE_ONLY if typed else RUNTIME))
        elif "import_require" in captures:
            statement = captures["import_require"][0]
            imports.append(RawImport(spec, statement.start_point[0] + 1, TYPE_ONLY if _marked_type(statement) else RUNTIME))
        elif "dynamic" in captures:
            call = captures["dynamic"][0]
            kind = TYPE_ONLY if _in_type_position(call) else DYNAMIC
            imports.append(RawImport(spec, call.start_point[0] + 1, kind))
        elif "require" in captures:
            imports.append(RawImport(spec, captures["require"][0].start_point[0] + 1, RUNTIME))
    imports.sort(key=lambda i: i.line)
    return imports, count_syntax_errors(root)


class JavaScriptLanguage(Language):
    name = "javascript"
    extensions = JS_EXTENSIONS + TS_EXTENSIONS
    version = "1"

    def parse(self, path: str, source: bytes) -> ParsedFile:
        imports, errors = extract_imports(path, source)
        language = "typescript" if PurePosixPath(path).suffix in TS_EXTENSIONS else "javascript"
        return ParsedFile(path, language, imports, syntax_errors=errors)

    def resolver(self, layout: Layout) -> "JavaScriptResolver":
        return JavaScriptResolver(layout)


# -- helpers for resolution ---------------------------------------------------


def _join(directory: str, relative: str) -> str | None:
    """``directory``/``relative`` normalised, repository-relative ("" is the root); None above the root."""
    joined = posixpath.normpath(posixpath.join(directory, relative)) if directory else posixpath.normpath(relative)
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _ancestors(directory: str):
    """``directory`` and every directory above it, up to the root ("")."""
    while True:
        yield directory
        if not directory:
            return
        directory = _parent(directory)


def _strip_js_extension(path: str) -> str:
    for suffix in DECLARATION_SUFFIXES + JS_EXTENSIONS + TS_EXTENSIONS:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def _is_relative(spec: str) -> bool:
    return spec in (".", "..") or spec.startswith("./") or spec.startswith("../")


def _wildcard_match(pattern: str, text: str) -> str | None:
    """What ``*`` stands for when ``pattern`` (one ``*`` at most) matches ``text``; None if it does not."""
    star = pattern.find("*")
    if star < 0:
        return "" if pattern == text else None
    prefix, suffix = pattern[:star], pattern[star + 1 :]
    if len(text) >= len(prefix) + len(suffix) and text.startswith(prefix) and text.endswith(suffix):
        return text[len(prefix) : len(text) - len(suffix)]
    return None


def _condition_targets(value) -> list[str]:
    """Every target string of a package.json ``exports``/``imports`` value, preferred conditions first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _condition_targets(v)]
    if isinstance(value, dict):
        keys = [k for k in CONDITION_ORDER if k in value] + [k for k in value if k not in CONDITION_ORDER]
        return [t for k in keys for t in _condition_targets(value[k])]
    return []


def _subpath_targets(mapping, key: str) -> list[str]:
    """Targets for ``key`` (``"."``, ``"./sub"``, ``"#x"``) in an ``exports``/``imports`` map, wildcards substituted."""
    if isinstance(mapping, (str, list)):
        return _condition_targets(mapping) if key == "." else []
    if not isinstance(mapping, dict):
        return []
    if not any(k.startswith(".") or k.startswith("#") for k in mapping):
        return _condition_targets(mapping) if key == "." else []  # conditions only: the "." entry
    if key in mapping:
        return _condition_targets(mapping[key])
    best: tuple[int, str, str] | None = None  # (prefix length, pattern, matched part)
    for pattern in mapping:
        if "*" not in pattern:
            continue
        matched = _wildcard_match(pattern, key)
        if matched is not None and (best is None or pattern.index("*") > best[0]):
            best = (pattern.index("*"), pattern, matched)
    if best is None:
        return []
    return [t.replace("*", best[2]) for t in _condition_targets(mapping[best[1]])]


def _glob_regex(pattern: str) -> re.Pattern:
    """A workspace glob (``packages/*``, ``apps/**``) as a regular expression over directory paths."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            if pattern.startswith("/", i):
                out[-1] = "(?:.*/)?"
                i += 1
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def external_package(spec: str) -> str | None:
    """The external package a bare specifier names (see the module docstring); None for an unresolved alias."""
    if spec.startswith("node:"):
        return "node:" + spec[5:].split("/", 1)[0]
    if spec.startswith(("npm:", "jsr:")):
        spec = spec[4:]
        name = _package_name(spec)
        at = name.find("@", 1)
        return name[:at] if at > 0 else name
    if "://" in spec:
        host = spec.split("://", 1)[1].split("/", 1)[0]
        return host or None
    if spec.startswith(("@/", "~")):
        return None
    first = spec.split("/", 1)[0]
    if ":" in first:
        return first
    name = _package_name(spec)
    return "node:" + name if name in NODE_BUILTINS else name


def _package_name(spec: str) -> str:
    parts = spec.split("/")
    if spec.startswith("@") and len(parts) >= 2:
        return parts[0] + "/" + parts[1]
    return parts[0]


@dataclass
class _CompilerOptions:
    base_url: str | None = None  # repository-relative directory
    paths: list[tuple[str, list[str]]] | None = None
    paths_dir: str = ""  # the directory of the config that set `paths`
    references: list[str] = field(default_factory=list)

    @property
    def paths_base(self) -> str:
        return self.base_url if self.base_url is not None else self.paths_dir


class JavaScriptResolver(Resolver):
    """Module names and import resolution for one repository's JS/TS files (see the module docstring)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.files = frozenset(layout.files)
        self.all_files = layout.all_files | self.files
        self.problems: list[str] = []  # unreadable config files, one line each
        self._json_cache: dict[str, object] = {}
        self._options_cache: dict[str, _CompilerOptions] = {}
        self._config_of_dir: dict[str, str | None] = {}
        self._memo: dict[tuple[str, str, bool], tuple[str, bool] | None] = {}
        config_dirs: dict[str, str] = {}
        for name in reversed(CONFIG_NAMES):  # tsconfig.json wins over jsconfig.json in one directory
            for path in self.all_files:
                if (path == name or path.endswith("/" + name)) and "node_modules/" not in path:
                    config_dirs[_parent(path)] = path
        self._config_dirs = config_dirs
        self._package_dirs = {_parent(p) for p in self.all_files if p == "package.json" or p.endswith("/package.json")}
        self.workspaces = self._find_workspaces()

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return path if path in self.files else None

    def module_path(self, module: str) -> str:
        return module

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        if parsed.path not in self.files:
            return []
        directory = _parent(parsed.path)
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
        if _is_relative(spec):
            base = _join(directory, spec.split("?", 1)[0])
            found = self._probe(base, from_ts) if base is not None else None
            return (found, False) if found else None
        if not spec or spec.startswith("/") or "!" in spec:
            return None  # absolute paths and webpack loader chains name no module we can know
        if spec.startswith("#"):
            found = self._subpath_import(spec, directory, from_ts)
            return (found, False) if found else None
        options = self._options_for(directory)
        if options is not None:
            found = self._via_compiler_options(spec, options, from_ts)
            if found:
                return found, False
        name = _package_name(spec)
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
        path = _join(package_dir, target)
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
            source = _strip_js_extension("/".join(["src", *parts[skip:]]))
            return self._probe(_join(package_dir, source) or source, True, package_json=False)
        return None

    def _package_entry(self, package_dir: str, subpath: str, from_ts: bool, *, with_index: bool = True) -> str | None:
        """The file a package (``subpath`` ""), or a path inside it, resolves to."""
        package = self._json(f"{package_dir}/package.json" if package_dir else "package.json")
        package = package if isinstance(package, dict) else {}
        exports = package.get("exports")
        if subpath:
            for target in _subpath_targets(exports, "./" + subpath) if exports is not None else []:
                found = self._probe_target(package_dir, target, from_ts)
                if found:
                    return found
            for candidate in (subpath, "src/" + subpath):
                found = self._probe(_join(package_dir, candidate) or candidate, from_ts)
                if found:
                    return found
            return None
        targets = _subpath_targets(exports, ".") if exports is not None else []
        targets += [package[f] for f in ENTRY_FIELDS if isinstance(package.get(f), str)]
        for target in targets:
            found = self._probe_target(package_dir, target, from_ts)
            if found:
                return found
        if not with_index:
            return None
        for candidate in ("src/index", "index"):
            path = _join(package_dir, candidate) or candidate
            for ext in PROBE_EXTENSIONS:
                if path + ext in self.files:
                    return path + ext
        return None

    def _subpath_import(self, spec: str, directory: str, from_ts: bool) -> str | None:
        """Node's package.json ``imports`` (``#internal/x``), from the nearest package.json."""
        for ancestor in _ancestors(directory):
            if ancestor in self._package_dirs:
                package = self._json(f"{ancestor}/package.json" if ancestor else "package.json")
                if not isinstance(package, dict) or not isinstance(package.get("imports"), dict):
                    return None
                for target in _subpath_targets(package["imports"], spec):
                    found = self._probe_target(ancestor, target, from_ts)
                    if found:
                        return found
                return None
        return None

    # -- tsconfig / jsconfig --------------------------------------------------

    def _options_for(self, directory: str) -> _CompilerOptions | None:
        config = self._config_of_dir.get(directory, "")
        if config == "":
            config = None
            for ancestor in _ancestors(directory):
                if ancestor in self._config_dirs:
                    config = self._config_dirs[ancestor]
                    break
            self._config_of_dir[directory] = config
        if config is None:
            return None
        options = self._compiler_options(config, ())
        if options.base_url is None and options.paths is None:
            for reference in options.references:
                referenced = self._compiler_options(reference, ())
                if referenced.base_url is not None or referenced.paths is not None:
                    return referenced
        return options

    def _compiler_options(self, path: str, visiting: tuple[str, ...]) -> _CompilerOptions:
        cached = self._options_cache.get(path)
        if cached is not None:
            return cached
        directory = _parent(path)
        data = self._json(path)
        options = _CompilerOptions()
        if isinstance(data, dict):
            extends = data.get("extends")
            for parent in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
                parent_path = self._config_file(directory, parent) if isinstance(parent, str) else None
                if parent_path and parent_path not in visiting and parent_path != path:
                    inherited = self._compiler_options(parent_path, (*visiting, path))
                    options.base_url = inherited.base_url if inherited.base_url is not None else options.base_url
                    if inherited.paths is not None:
                        options.paths, options.paths_dir = inherited.paths, inherited.paths_dir
            compiler = data.get("compilerOptions")
            if isinstance(compiler, dict):
                base_url = compiler.get("baseUrl")
                if isinstance(base_url, str):
                    options.base_url = _join(directory, base_url)
                paths = compiler.get("paths")
                if isinstance(paths, dict):
                    options.paths = [
                        (pattern, [s for s in subs if isinstance(s, str)] if isinstance(subs, list) else [subs] if isinstance(subs, str) else [])
                        for pattern, subs in paths.items()
                    ]
                    options.paths_dir = directory
            references = data.get("references")
            if isinstance(references, list):
                for ref in references:
                    ref_path = ref.get("path") if isinstance(ref, dict) else None
                    target = self._config_file(directory, ref_path) if isinstance(ref_path, str) else None
                    if target and target != path:
                        options.references.append(target)
        self._options_cache[path] = options
        return options

    def _config_file(self, directory: str, reference: str) -> str | None:
        """The config file a relative ``extends``/``references`` entry names (a file, a file without .json, or a directory)."""
        if not _is_relative(reference):
            return None
        path = _join(directory, reference)
        if path is None:
            return None
        for candidate in (path, path + ".json", f"{path}/tsconfig.json" if path else "tsconfig.json"):
            if candidate in self.all_files:
                return candidate
        return None

    def _via_compiler_options(self, spec: str, options: _CompilerOptions, from_ts: bool) -> str | None:
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
                    part = _wildcard_match(pattern, spec)
                    if part is not None and (best is None or pattern.index("*") > best[0]):
                        best = (pattern.index("*"), subs, part)
                candidates, matched = (best[1], best[2]) if best else ([], "")
            base = options.paths_base
            for substitution in candidates:
                path = _join(base, substitution.replace("*", matched))
                found = self._probe(path, from_ts) if path is not None else None
                if found:
                    return found
        if options.base_url is not None:
            path = _join(options.base_url, spec)
            if path is not None:
                return self._probe(path, from_ts)
        return None

    # -- package.json and workspaces -----------------------------------------

    def _json(self, path: str):
        """A repository JSON file's content (json5 for configs that allow comments); None if absent or broken."""
        if path in self._json_cache:
            return self._json_cache[path]
        text = self.layout.read_text(path) if path in self.all_files else None
        data = None
        if text is not None:
            try:
                data = json.loads(text)
            except ValueError:
                try:
                    import json5

                    data = json5.loads(text)
                except Exception as exc:  # json5 raises ValueError, but also others on odd input
                    self.problems.append(f"{path}: not valid JSON ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})")
        self._json_cache[path] = data
        return data

    def _find_workspaces(self) -> dict[str, str]:
        """Workspace package name → directory."""
        patterns: list[str] = []
        root = self._json("package.json")
        if isinstance(root, dict):
            declared = root.get("workspaces")
            if isinstance(declared, dict):
                declared = declared.get("packages")
            if isinstance(declared, list):
                patterns += [p for p in declared if isinstance(p, str)]
        lerna = self._json("lerna.json")
        if isinstance(lerna, dict) and isinstance(lerna.get("packages"), list):
            patterns += [p for p in lerna["packages"] if isinstance(p, str)]
        if "pnpm-workspace.yaml" in self.all_files:
            text = self.layout.read_text("pnpm-workspace.yaml")
            try:
                import yaml

                data = yaml.safe_load(text) if text else None
            except Exception as exc:  # a broken YAML file is reported, not fatal
                self.problems.append(f"pnpm-workspace.yaml: not valid YAML ({str(exc).splitlines()[0]})")
                data = None
            if isinstance(data, dict) and isinstance(data.get("packages"), list):
                patterns += [p for p in data["packages"] if isinstance(p, str)]
        if not patterns:
            return {}
        include, exclude = [], []
        for pattern in patterns:
            negated = pattern.startswith("!")
            cleaned = pattern.lstrip("!").strip()
            while cleaned.startswith("./"):
                cleaned = cleaned[2:]
            cleaned = cleaned.rstrip("/")
            if cleaned.endswith("/package.json"):
                cleaned = cleaned[: -len("/package.json")]
            (exclude if negated else include).append(_glob_regex(cleaned))
        found: dict[str, str] = {}
        for directory in sorted(self._package_dirs):
            if not directory or "node_modules" in directory.split("/"):
                continue
            if not any(r.match(directory) for r in include) or any(r.match(directory) for r in exclude):
                continue
            package = self._json(f"{directory}/package.json")
            name = package.get("name") if isinstance(package, dict) else None
            if isinstance(name, str) and name and name not in found:
                found[name] = directory
        return found
