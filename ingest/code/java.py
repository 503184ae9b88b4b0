"""Java class dependencies with tree-sitter: package declarations, imports and type references; Kotlin's beside them.

Kotlin files (``.kt``; scripts ``.kts``/``.ktm`` are read but are no module) are read by ``kotlin.parse_kotlin``
and resolved here with the Java classes, as one language: each imports the other's classes.

``JavaLanguage.parse`` records the package declaration and every import:
``import a.b.C;`` (spec ``a.b.C``), ``import a.b.*;`` (spec ``a.b.*``) and the
static forms (``static=True``, spec ``a.b.C.m`` or ``a.b.C.*``). It also
records, once per name with the line of its first use, the type names the
code refers to without importing them — simple type identifiers, capitalised
receivers of method calls, field accesses and method references
(``Util.go()``, ``Consts.MAX``, ``Tool::make``), annotation names, and
fully-qualified type names (``com.acme.other.Thing``) — as RawImports marked
``names=(REFERENCE,)``. Names declared in the file itself and names brought in
by single-type imports are left out, because they cannot mean a class of the
file's own package.

``JavaResolver``:

* Module name = the file's package + ``.`` + file stem (the FQN of its
  top-level type; no package: the stem). ``package-info.java`` and
  ``module-info.java`` hold no type and are no module. Two files with one FQN
  (say, in two Maven modules) form one module whose path is the first.
* ``import a.b.C;`` → ``a.b.C`` if that class is in the repository; a nested
  class (``a.b.C.Inner``) → its top-level class ``a.b.C``.
* ``import a.b.*;`` → an edge to each class of package ``a.b`` in the
  repository that the file names (its simple type references, the names Java's
  parse records anyway), at the wildcard's line: what the compiler would bind.
  Not to the package (packages are no modules here) and not to every class of
  it: an edge says one file uses another, so a file that writes one wildcard
  and uses two classes has the two edges two single imports would give. Every
  class was the rule before, and it made counts of fan-out, not of use: on
  ktorio/ktor 151,016 import edges for 2,294 modules, "ktor-server depends on
  ktor-http 9201 imports", and a pull request that moved ``WaitUtils.kt`` into
  a package 86 unchanged test files wildcard-import got "86 new import edges"
  at lines nobody touched. A wildcard naming no class the file uses gives no
  edge; ``import a.b.C.*;`` (nested classes of a class) → ``a.b.C``.
* ``import static a.b.C.m;`` / ``import static a.b.C.*;`` → ``a.b.C``.
* Same-package references: Java needs no import for a class of the same
  package, and tree-sitter has no type resolution, so a referenced name is
  taken to mean the same-package class of that name when the repository has
  one (an edge of kind runtime). This can be fooled by a local variable
  spelled like a class, and misses same-package classes reached only through
  inheritance of nested types or wildcard-imported names that shadow them.
  Fully-qualified references give an edge only to a repository class.
* Kotlin: module name = the file's package + ``.`` + file stem, whatever the stem (``okhttp3.internal.-UtilJvm``):
  a Kotlin file may declare several classes, functions and properties, none bound to its name. A name a Kotlin
  file declares at its top level (``kotlin.DECLARES``), its facade class ``<Stem>Kt`` and its ``@file:JvmName``
  resolve to that file — in Kotlin's imports (``import a.b.foo``, a top-level function: the file of package
  ``a.b`` declaring ``foo``, the first by path if several do) and in Java's (``import a.b.UtilKt;``, a same-package
  reference to a Kotlin class); a Java class of that name wins. Kotlin's ``import a.b.*`` keeps the files of
  ``a.b`` declaring a name the file uses (``kotlin.USES``: its identifiers, so a top-level function called or an
  extension used counts as a class named does), each resolved as ``import a.b.name`` would be. Kotlin's
  same-package classes used without an import resolve as Java's do (``kotlin.REFERENCE``: its capitalised names; its
  lower-case top-level functions and properties are not read). Its external names are squashed from the
  package an import names (``kotlin_external_group``: ``okio.Buffer`` → ``okio``).
* An import naming a missing class of a repository package (generated code
  such as ``R`` or ``BuildConfig``) is dropped, not made external.
* External names are squashed to the first two segments (``org.slf4j``,
  ``java.util``, ``jakarta.persistence``), or three below umbrella
  organisations that publish many unrelated libraries (``org.apache.kafka``,
  ``com.google.common``, ``org.springframework.boot``; the list is
  ``UMBRELLA_PREFIXES``), four below the families of libraries under one such
  name (``com.fasterxml.jackson.core`` beside ``com.fasterxml.jackson.annotation``,
  jackson-databind's two dependencies, were one "com.fasterxml.jackson";
  ``org.apache.commons.lang3`` beside ``org.apache.commons.io``; the list is
  ``UMBRELLA_FAMILIES``).
"""

from __future__ import annotations

from pathlib import PurePosixPath

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
from cairn.ingest.code.kotlin import (
    DECLARES,
    KOTLIN_EXTENSIONS,
    KOTLIN_SCRIPT_EXTENSIONS,
    REFERENCE,
    TYPE,
    USES,
    parse_kotlin,
)

UMBRELLA_PREFIXES = frozenset(
    {
        "org.apache",
        "com.google",
        "org.eclipse",
        "com.fasterxml",
        "org.springframework",
        "software.amazon",
        "com.amazonaws",
        "org.jetbrains",
        "com.microsoft",
        "io.github",
        "com.github",
    }
)
UMBRELLA_FAMILIES = frozenset({"com.fasterxml.jackson", "org.apache.commons"})
NOT_MODULES = frozenset({"package-info", "module-info"})

_QUERY_SOURCE = """
(package_declaration [(scoped_identifier) (identifier)] @package)
(import_declaration) @import
(type_identifier) @type
(scoped_type_identifier) @qualified
(method_invocation object: (identifier) @receiver)
(field_access object: (identifier) @receiver)
(method_reference . (identifier) @receiver)
(marker_annotation name: (identifier) @type)
(annotation name: (identifier) @type)
(class_declaration name: (identifier) @declared)
(interface_declaration name: (identifier) @declared)
(enum_declaration name: (identifier) @declared)
(record_declaration name: (identifier) @declared)
(annotation_type_declaration name: (identifier) @declared)
(type_parameter (type_identifier) @declared)
"""

def _machinery():
    import tree_sitter_java

    return parser_and_cursor("java", tree_sitter_java.language, _QUERY_SOURCE)


def _dotted(node) -> str:
    """A (scoped) identifier's text without whitespace or comments inside it."""
    text = node.text.decode("utf-8", "replace")
    if "/" in text:  # a comment between the parts: keep only the identifiers
        return ".".join(n.text.decode("utf-8", "replace") for n in _identifiers(node))
    return "".join(text.split())


def _identifiers(node):
    if node.type in ("identifier", "type_identifier"):
        yield node
        return
    for child in node.named_children:
        yield from _identifiers(child)


def extract_imports(source: bytes) -> tuple[list[RawImport], str | None, int]:
    """(imports and type references, package declaration, syntax errors) of a Java file's bytes."""
    parser, cursor = _machinery()
    root = parser.parse(source).root_node
    captures = cursor.captures(root)
    package = None
    if captures.get("package"):
        package = _dotted(min(captures["package"], key=lambda n: n.start_byte))

    imports: list[RawImport] = []
    imported_simple_names: set[str] = set()
    for declaration in captures.get("import", ()):
        name = next((c for c in declaration.named_children if c.type in ("scoped_identifier", "identifier")), None)
        if name is None:
            continue
        spec = _dotted(name)
        static = any(c.type == "static" for c in declaration.children)
        if any(c.type == "asterisk" for c in declaration.named_children):
            spec += ".*"
        elif not static:
            imported_simple_names.add(spec.rpartition(".")[2])
        imports.append(RawImport(spec, declaration.start_point[0] + 1, RUNTIME, static=static))

    excluded = imported_simple_names | {n.text.decode("utf-8", "replace") for n in captures.get("declared", ())}
    first_use: dict[str, int] = {}

    def note(name: str, node) -> None:
        line = node.start_point[0] + 1
        if name not in excluded and first_use.get(name, line + 1) > line:
            first_use[name] = line

    for node in captures.get("type", ()):
        if node.parent is not None and node.parent.type == "scoped_type_identifier" and node.prev_named_sibling is not None:
            continue  # the inner part of `Outer.Inner`: only the outer name can mean a same-package class
        note(node.text.decode("utf-8", "replace"), node)
    for node in captures.get("receiver", ()):
        text = node.text.decode("utf-8", "replace")
        if text[:1].isupper():
            note(text, node)
    for node in captures.get("qualified", ()):
        if node.parent is not None and node.parent.type == "scoped_type_identifier":
            continue
        text = _dotted(node)
        if text.count(".") >= 2:  # `a.b.C`: a package-qualified name, not just `Outer.Inner`
            note(text, node)
    imports.extend(RawImport(name, line, RUNTIME, names=(REFERENCE,)) for name, line in first_use.items())
    imports.sort(key=lambda i: i.line)
    return imports, package, count_syntax_errors(root)


class JavaLanguage(Language):
    """Java and Kotlin (``kotlin.parse_kotlin``), one language because their classes import each other."""

    name = "java"
    extensions = (".java", *KOTLIN_EXTENSIONS)
    # 2: Kotlin's ``USES``; 3: Kotlin's ``REFERENCE`` and ``TYPE`` (a cached parse's key holds the file's extension,
    # not a version per language)
    version = "3"

    def parse(self, path: str, source: bytes) -> ParsedFile:
        if not path.endswith(".java"):
            return parse_kotlin(path, source)
        imports, package, errors = extract_imports(source)
        return ParsedFile(path, self.name, imports, package=package, syntax_errors=errors)

    def resolver(self, layout: Layout) -> "JavaResolver":
        return JavaResolver(layout)

    consulted_names = ()

    def consults(self, path: str) -> bool:
        return False  # packages come from the Java files' own declarations


def external_group(spec: str) -> str:
    """The squashed external name of an imported FQN (see the module docstring)."""
    parts = [p for p in spec.split(".") if p and p != "*"]
    keep = 4 if ".".join(parts[:3]) in UMBRELLA_FAMILIES else 3 if ".".join(parts[:2]) in UMBRELLA_PREFIXES else 2
    return ".".join(parts[:keep])


def kotlin_external_group(spec: str) -> str:
    """``external_group`` of what a Kotlin import names: its package, which is what comes before the declaration it
    imports (the last part, or the first capitalised one): Kotlin's libraries often have a package of one part
    (``okio.Buffer``, ``okio.buffer`` → ``okio``; ``kotlin.RequiresOptIn`` → ``kotlin``)."""
    parts = spec.split(".")[:-1]  # a declaration, or the `*` of a whole package
    capitalised = next((at for at, part in enumerate(parts) if part[:1].isupper()), len(parts))
    return external_group(".".join(parts[:capitalised] or spec.split(".")[:1]))


#: Marks ``_resolve_import``'s answer for a wildcard of a repository package, which ``resolve`` narrows per file.
_PACKAGE = "<package>"
#: The files that make a folder a build unit (a Gradle or Maven module), for ``JavaResolver._unit_of``.
_BUILD_MANIFESTS = ("build.gradle.kts", "build.gradle", "pom.xml", "build.xml", "BUILD.bazel", "BUILD")


def _used_names(parsed: ParsedFile) -> frozenset[str]:
    """The simple names a file uses, which a wildcard import may bind: a Kotlin file's ``USES``; a Java file's simple
    type references (those not declared in it nor single-imported, ``extract_imports``)."""
    if parsed.language == "kotlin":
        return frozenset(next((i.names for i in parsed.imports if i.spec == USES), ()))
    return frozenset(i.spec for i in parsed.imports if REFERENCE in i.names and "." not in i.spec)


class JavaResolver(Resolver):
    """Class names and import resolution for one repository's Java files (see the module docstring)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self._module_of: dict[str, str] = {}
        self._path_of: dict[str, str] = {}  # module -> its path
        self._target_of: dict[str, str] = {}  # an importable name (a class; Kotlin's top-level names) -> its module
        # a class name (a Java class, a Kotlin class, interface, object, type alias or facade class) -> its module:
        # what a name used without an import can mean (``REFERENCE``), not a Kotlin top-level function or property
        self._type_of: dict[str, str] = {}
        self.packages: dict[str, list[str]] = {}  # package -> its modules, sorted by path
        declared: list[tuple[str, str, str, bool]] = []  # (package, name, module, a type) of Kotlin's top-level names
        for path in sorted(layout.files):
            stem, _, extension = PurePosixPath(path).name.rpartition(".")
            parsed = layout.parsed.get(path)
            kotlin = parsed is not None and parsed.language == "kotlin"
            if kotlin:
                if "." + extension in KOTLIN_SCRIPT_EXTENSIONS:
                    continue
            elif stem in NOT_MODULES or not stem.isidentifier():
                continue
            package = parsed.package if parsed is not None else None
            fqn = f"{package}.{stem}" if package else stem
            self._module_of[path] = fqn
            if fqn not in self._path_of:
                self._path_of[fqn] = path
                self._target_of[fqn] = fqn
                if not kotlin:
                    self._type_of[fqn] = fqn
                self.packages.setdefault(package or "", []).append(fqn)
            if kotlin:
                declared.append((package or "", stem + "Kt", fqn, True))  # the facade class Java sees
                declared += [(package or "", i.spec, fqn, TYPE in i.names) for i in parsed.imports if DECLARES in i.names]
        # a class name declared by several modules (a package split over build units: ktor's io.ktor.openapi in its
        # compiler plugin and its OpenAPI schema) -> them all, the nearest to the importer taken
        self._types_of: dict[str, list[str]] = {}
        for package, name, module, a_type in declared:  # a class file's own name first, then the first file declaring it
            qualified = f"{package}.{name}" if package else name
            self._target_of.setdefault(qualified, module)
            if a_type:
                first = self._type_of.setdefault(qualified, module)
                if first != module:
                    self._types_of.setdefault(qualified, [first]).append(module)
        # package -> simple name -> the module it resolves to: what ``import package.*`` can bind
        self._names_of: dict[str, dict[str, str]] = {}
        for fqn, module in self._target_of.items():
            package, _, name = fqn.rpartition(".")
            self._names_of.setdefault(package, {})[name] = module
        self._memo: dict[tuple[str, bool], list[str] | str | None] = {}
        self._units: dict[str, str] = {}  # a folder -> the folder of its build unit (``_unit_of``)

    # -- Resolver -----------------------------------------------------------

    def module_of(self, path: str) -> str | None:
        return self._module_of.get(path)

    def module_path(self, module: str) -> str:
        return self._path_of[module]

    def resolve(self, parsed: ParsedFile) -> list[ResolvedImport]:
        importer = self._module_of.get(parsed.path)
        if importer is None:
            return []
        package = parsed.package or ""
        kotlin = parsed.language == "kotlin"
        seen: set[tuple[str, int, bool]] = set()
        resolved: list[ResolvedImport] = []

        def add(target: str, line: int, external: bool) -> None:
            if (not external and target == importer) or (target, line, external) in seen:
                return
            seen.add((target, line, external))
            resolved.append(ResolvedImport(target, line, RUNTIME, external))

        used: frozenset[str] | None = None  # the simple names the file uses, which a wildcard import may bind
        for imp in parsed.imports:
            if DECLARES in imp.names or imp.spec == USES:
                continue
            if REFERENCE in imp.names:
                if "." in imp.spec:
                    target = self._class_prefix(imp.spec.split("."))
                else:
                    target = self._same_package_class(f"{package}.{imp.spec}" if package else imp.spec, parsed)
                if target:
                    add(target, imp.line, False)
                continue
            found = self._resolved(imp.spec, imp.static)
            if found is None:
                continue
            if isinstance(found, str):
                add(kotlin_external_group(imp.spec) if kotlin else found, imp.line, True)
            elif found and found[0] is _PACKAGE:
                if used is None:
                    used = _used_names(parsed)
                for target in self._used_of_package(found[1], used):
                    add(target, imp.line, False)
            else:
                for target in found:
                    add(target, imp.line, False)
        return resolved

    def _same_package_class(self, qualified: str, parsed: ParsedFile) -> str | None:
        """The module of the class a name used without an import means (``qualified``: with the file's package), or
        None. One of the file's own build unit first (the nearest of several); one of another unit of a package split
        over several only when no star import of a package outside the repository could bring the name in instead
        (ktor's OpenAPI schema uses kotlinx.serialization's ``JsonPrimitive`` through ``import
        kotlinx.serialization.json.*``, not its compiler plugin's enum of that name in the same package: the schema
        does not depend on the plugin; okhttp's tests use okhttp-testing-support's classes of package okhttp3, and
        import nothing with a star)."""
        first = self._type_of.get(qualified)
        if first is None:
            return None
        candidates = self._types_of.get(qualified) or [first]
        unit = self._unit_of(parsed.path)
        own = [m for m in candidates if self._unit_of(self._path_of[m]) == unit]
        if own:
            return self._nearest(own, parsed.path)
        if any(imp.spec.endswith(".*") and isinstance(self._resolved(imp.spec, imp.static), str)
               for imp in parsed.imports):
            return None
        return self._nearest(candidates, parsed.path)

    def _resolved(self, spec: str, static: bool) -> list[str] | str | None:
        key = (spec, static)
        found = self._memo.get(key, self._memo)
        if found is self._memo:
            found = self._memo[key] = self._resolve_import(spec, static)
        return found

    def _unit_of(self, path: str) -> str:
        """The folder of the build unit holding ``path``: its nearest folder with a build manifest (Gradle's, Maven's,
        Ant's, Bazel's), else the repository's top ("")."""
        folder = path.rpartition("/")[0]
        found = self._units.get(folder)
        if found is None:
            at, found = folder, ""
            while at:
                if any(f"{at}/{manifest}" in self.layout.all_files for manifest in _BUILD_MANIFESTS):
                    found = at
                    break
                at = at.rpartition("/")[0]
            self._units[folder] = found
        return found

    def _nearest(self, modules: list[str], path: str) -> str:
        """Of the modules declaring one class name, the one whose file shares the longest leading folders with
        ``path`` (its own build unit's), the first by path among equals."""
        def shared(module: str) -> int:
            other = self._path_of[module]
            length = 0
            for a, b in zip(path.split("/")[:-1], other.split("/")[:-1]):
                if a != b:
                    break
                length += 1
            return length
        return max(sorted(modules, key=self._path_of.__getitem__), key=shared)

    def _used_of_package(self, package: str, used: frozenset[str]) -> list[str]:
        """The modules of ``package`` that declare one of ``used`` (a wildcard import's edges), by path."""
        names = self._names_of.get(package) or {}
        found = {names[n] for n in (used if len(used) < len(names) else names.keys() & used) if n in names}
        return sorted(found, key=self._path_of.__getitem__)

    # -- imports -------------------------------------------------------------

    def _class_prefix(self, parts: list[str]) -> str | None:
        """The longest leading part of a dotted name that is a repository class (a nested class's owner).

        At least two parts: a class of the unnamed package cannot be imported or qualified."""
        for end in range(len(parts), 1, -1):
            module = self._target_of.get(".".join(parts[:end]))
            if module is not None:
                return module
        return None

    def _resolve_import(self, spec: str, static: bool) -> list[str] | str | None:
        """Internal targets (a list; ``[_PACKAGE, package]`` for a wildcard of a repository package), an external name
        (a str), or None (a missing internal class)."""
        parts = spec.split(".")
        wildcard = parts[-1] == "*"
        if wildcard:
            parts = parts[:-1]
        if static and not wildcard:
            parts = parts[:-1]  # the member name
        if not parts:
            return None
        if wildcard and not static:
            package = ".".join(parts)
            if package in self.packages:
                return [_PACKAGE, package]  # narrowed per file to the names it uses (``resolve``)
        owner = self._class_prefix(parts)
        if owner is not None:
            return [owner]
        if any(".".join(parts[:end]) in self.packages for end in range(2, len(parts) + 1)):
            return None
        return external_group(spec)
