"""Go package dependencies with tree-sitter and ``go.mod``.

``GoLanguage.parse`` records the package clause and every import spec (plain,
grouped, aliased, blank ``_`` and dot ``.`` imports all count; line = the
spec's line, 1-based). It parses only the file's head, where Go requires the
imports to be (see ``extract_imports``).

``GoResolver``:

* Every ``go.mod`` in the repository is a module (its ``module`` line); a
  ``.go`` file belongs to the nearest ``go.mod`` at or above its directory, so
  a nested module is cut out of the enclosing one.
* A package is a directory; its module name is ``<module path>/<dir below the
  go.mod>`` (the module root directory is the module path itself) and
  ``module_path`` is the directory (``"."`` for the repository root). A file
  with no ``go.mod`` above it (a GOPATH-era layout) gets its directory path
  as the package name. The Go distribution's own ``src/go.mod`` (``module
  std``) names its packages without a prefix (``fmt``, ``net/http``), as Go does. As the go tool does, files under ``testdata``,
  ``vendor`` or a directory starting with ``_`` or ``.`` belong to no package.
* ``_test.go`` files are kept and belong to their directory's package; an
  external test package (``package foo_test``) is folded into the same
  package, so its import of the package under test is a self-reference and
  gives no edge.
* An import naming a package directory of the repository is internal; one
  under a repository module path with no such directory is dropped (a missing
  internal package, not an external one); ``"C"`` (cgo) is no package and is
  dropped. Relative imports (``./x``, GOPATH era) resolve against the
  importer's directory.
* External names: a standard-library import (first element without a dot)
  keeps its full import path (``net/http``, ``encoding/json``): each is a
  package of its own and Go programmers name them that way. Anything else is
  squashed to its module: the longest ``require`` of the repository's go.mod
  files that prefixes it, else ``host/owner/repo`` for github.com, gitlab.com,
  bitbucket.org, codeberg.org, gitee.com, git.sr.ht and golang.org/x (plus a
  ``/vN`` major-version element if present), else the first two elements
  (``google.golang.org/grpc``, ``go.uber.org/zap``, ``gopkg.in/yaml.v3``).
"""

from __future__ import annotations

import re

from cairn.ingest.code.base import (
    RUNTIME,
    Language,
    Layout,
    ParsedFile,
    RawImport,
    ResolvedImport,
    Resolver,
    count_syntax_errors,
    parser_and_cursor,
)

_QUERY_SOURCE = """
(package_clause (package_identifier) @package)
(import_spec path: _ @path) @spec
"""

STANDARD_LIBRARY_MODULE = "std"  # go.mod of the Go distribution's src/: its packages carry no module prefix
THREE_ELEMENT_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht"})
_MAJOR_VERSION = re.compile(r"v[0-9]+\Z")

def _machinery():
    import tree_sitter_go

    return parser_and_cursor("go", tree_sitter_go.language, _QUERY_SOURCE)


# Go puts every import before the first other top-level declaration.
_FIRST_DECLARATION = re.compile(rb"^(?:func|type|var|const)\b", re.MULTILINE)


def extract_imports(source: bytes) -> tuple[list[RawImport], str | None, int]:
    """(imports, package clause name, syntax errors) of a Go file's bytes.

    Only the text before the first ``func``/``type``/``var``/``const`` line is
    parsed, unless that prefix does not parse cleanly (say, the keyword was
    inside a block comment), in which case the whole file is. So imports are
    exact, and syntax errors are counted when they come before the first
    declaration; errors further down go unnoticed.
    """
    parser, cursor = _machinery()
    first = _FIRST_DECLARATION.search(source)
    root = parser.parse(source[: first.start()] if first else source).root_node
    if first and root.has_error:
        root = parser.parse(source).root_node
    captures = cursor.captures(root)
    package = None
    if captures.get("package"):
        package = min(captures["package"], key=lambda n: n.start_byte).text.decode("utf-8", "replace")
    imports = []
    for spec in captures.get("spec", ()):
        path = spec.child_by_field_name("path")
        if path is None or path.type not in ("interpreted_string_literal", "raw_string_literal"):
            continue
        text = path.text[1:-1].decode("utf-8", "replace").strip()
        if text:
            imports.append(RawImport(text, spec.start_point[0] + 1, RUNTIME))
    imports.sort(key=lambda i: i.line)
    return imports, package, count_syntax_errors(root)


class GoLanguage(Language):
    name = "go"
    extensions = (".go",)
    version = "2"  # 2: only the head of a file is parsed

    def parse(self, path: str, source: bytes) -> ParsedFile:
        imports, package, errors = extract_imports(source)
        return ParsedFile(path, self.name, imports, package=package, syntax_errors=errors)

    def resolver(self, layout: Layout) -> "GoResolver":
        return GoResolver(layout)

    consulted_names = ("go.mod",)

    def consults(self, path: str) -> bool:
        return path == "go.mod" or path.endswith("/go.mod")  # the modules (GoResolver)


def parse_go_mod(text: str) -> tuple[str | None, list[str]]:
    """(module path, required module paths) of a go.mod file's text."""
    module = None
    requires: list[str] = []
    in_require = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        tokens = line.split()
        if in_require:
            if tokens[0] == ")":
                in_require = False
            else:
                requires.append(tokens[0].strip('"`'))
            continue
        if tokens[0] == "module" and len(tokens) >= 2 and module is None:
            module = tokens[1].strip('"`')
        elif tokens[0] == "require":
            if len(tokens) >= 2 and tokens[1] == "(":
                in_require = True
            elif len(tokens) >= 2:
                requires.append(tokens[1].strip('"`'))
    return module or None, requires


def _ignored_directory(directory: str) -> bool:
    """Directories the go tool leaves out of packages."""
    return any(part in ("testdata", "vendor") or part[:1] in ("_", ".") for part in directory.split("/") if part)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


class GoResolver(Resolver):
    """Package names and import resolution for one repository's Go files (see the module docstring)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.problems: list[str] = []
        self.modules: dict[str, str] = {}  # go.mod directory -> module path
        requires: set[str] = set()
        for path in sorted(layout.all_files):
            if path != "go.mod" and not path.endswith("/go.mod"):
                continue
            directory = path[:-7].rstrip("/")
            if _ignored_directory(directory):
                continue
            text = layout.read_text(path)
            module, required = parse_go_mod(text) if text is not None else (None, [])
            if module is None:
                self.problems.append(f"{path}: no module line")
                continue
            self.modules[directory] = module
            requires.update(required)
        self._module_paths = sorted(set(self.modules.values()), key=len, reverse=True)
        self._requires = sorted(requires, key=len, reverse=True)

        self._package_of_dir: dict[str, str | None] = {}
        self._dir_of_package: dict[str, str] = {}
        for path in sorted(layout.files):
            directory = path.rpartition("/")[0]
            if directory in self._package_of_dir:
                continue
            package = self._package_for(directory)
            self._package_of_dir[directory] = package
            if package is not None:
                self._dir_of_package.setdefault(package, directory)
        self._external_memo: dict[str, str] = {}

    def _package_for(self, directory: str) -> str | None:
        if _ignored_directory(directory):
            return None
        ancestor = directory
        while True:
            if ancestor in self.modules:
                below = directory[len(ancestor) :].lstrip("/")
                if self.modules[ancestor] == STANDARD_LIBRARY_MODULE:
                    return below or None  # the go toolchain's own src/: `fmt`, not `std/fmt`
                return f"{self.modules[ancestor]}/{below}" if below else self.modules[ancestor]
            if not ancestor:
                return directory or "."
            ancestor = ancestor.rpartition("/")[0]

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return self._package_of_dir.get(path.rpartition("/")[0])

    def module_path(self, module: str) -> str:
        return self._dir_of_package[module] or "."

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        directory = parsed.path.rpartition("/")[0]
        importer = self._package_of_dir.get(directory)
        if importer is None:
            return []
        seen: set[tuple[str, int, bool]] = set()
        resolved = []
        for imp in parsed.imports:
            target = self._resolve_path(imp.spec, directory)
            if target is None:
                continue
            name, external = target
            if not external and name == importer:
                continue
            if (name, imp.line, external) not in seen:
                seen.add((name, imp.line, external))
                resolved.append(ResolvedImport(name, imp.line, imp.kind, external))
        return resolved

    def _resolve_path(self, spec: str, directory: str) -> tuple[str, bool] | None:
        if spec == "C":
            return None
        if spec.startswith("./") or spec.startswith("../"):
            parts = [p for p in directory.split("/") if p]
            for part in spec.split("/"):
                if part == "..":
                    if not parts:
                        return None
                    parts.pop()
                elif part not in (".", ""):
                    parts.append(part)
            package = self._package_of_dir.get("/".join(parts))
            return (package, False) if package else None
        if spec in self._dir_of_package:
            return spec, False
        if any(_under(spec, m) for m in self._module_paths):
            return None
        external = self._external_memo.get(spec)
        if external is None:
            external = self._external_memo[spec] = self._external_name(spec)
        return external, True

    def _external_name(self, spec: str) -> str:
        parts = spec.split("/")
        if "." not in parts[0]:
            return spec  # standard library: the package's own import path
        for required in self._requires:
            if _under(spec, required):
                return required
        if parts[0] in THREE_ELEMENT_HOSTS or (parts[0] == "golang.org" and len(parts) > 1 and parts[1] == "x"):
            keep = 3
        else:
            keep = 2
        if len(parts) > keep and _MAJOR_VERSION.match(parts[keep]):
            keep += 1
        return "/".join(parts[:keep])

    def module_paths(self) -> dict[str, str]:
        """go.mod directory → module path, for every module of the repository."""
        return dict(self.modules)
