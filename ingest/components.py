"""Assigning files and modules to components.

Declared components (``[components]`` in cairn.toml) map a name to path globs
(gitignore-style, via pathspec). A path belongs to the component whose matching
pattern is most specific (the longest literal prefix before any wildcard);
ties go to the component declared first. Paths matching no declared component
belong to none (``graph.component_map``).

Without configuration, components are inferred from the layout of the source
files: container directories (``src``, ``lib``, ``packages``, ``apps``,
``services``, ``main``/``java`` …) and the prefix common to every source file
are looked through, and each remaining top-level directory is a component. A
container directory among them, or one that holds most of the code (≥ 70 % of
the source files outside test, example, documentation and vendored
directories, and half of those of the languages Cairn parses, so that helix's
``runtime/queries/`` of tree-sitter queries is no such folder beside its
crates: sentry-python's ``sentry_sdk`` beside its larger ``tests``; a
folder is tests by its name or by its files, as celery's ``t/``, most of whose
files are named ``test_*.py``: ``graph.testcode.test_folders``), or a Python
distribution's top-level package (an ``__init__.py`` in no package) holding 40 %
of it (mypy's ``mypyc``: ``irbuild``, ``ir``, ``codegen``, ``lib-rt`` …), is
split into its own subdirectories (looking through chains of
single subdirectories), so ``src/shop/{api,core}`` gives ``api`` and ``core``,
and so is a container directory such a split gives (ibc-go's ``modules/apps``:
``transfer``, ``27-interchain-accounts`` … rather than one ``apps`` of 289 files);
at the top, Go's ``cmd/`` (one directory per program) and ``internal/`` are
containers too, and so is ``service/`` (temporal's ``frontend``, ``history``,
``matching``, ``worker``). A container by its name that is a build unit of its own (a folder with its own ``go.mod``,
``Cargo.toml``, ``package.json`` …: ``BUILD_MANIFESTS``) is no container but a part, as its maintainers release and
name it, unless most of its subfolders are build units too (testcontainers-java's ``modules/``): etcd's Go modules
``pkg/`` and ``client/pkg`` (20 and 10 packages of 1–28 files, which were 30 components), opentelemetry-collector's
``service/``. A Go module holding 40 % of the code or more is split into its packages, those of fewer than 10 files
staying together under its name: etcd's ``server/`` gives ``etcdserver``, ``storage``, ``proxy``, ``auth`` … and
``server`` (its main, config, mock …), not one component of 381 files (Go's unit is the package; a module only
releases packages together); so is a top folder of Go packages that is no module and holds next to no package of its
own when it holds a tenth of the code or more (containerd's ``core/``, its subsystems, and ``plugins/``, their
implementations; golang/tools' ``go/``; celestia-app's Cosmos modules ``x/``), its parts named by their import path
below it (``core/snapshots`` beside ``plugins/snapshots``, ``go/ssa``, ``x/blob``) and not split again. ``cmd/``'s
programs of one or two files staying together in a component ``cmd`` when there are two or more (Argo CD's thin mains beside ``cmd/argocd``; a folder of such
programs counts as one: temporal's ``cmd/tools/``), ``internal/``'s packages of fewer than 10 files staying
together in a component ``internal`` (and so do those of a ``libs/`` or
``lib/`` of Go code: cometbft's ``libs``, and those of a ``pkg/`` of Go code when there
are ten of them or more, a drawer of utilities: containerd's, thanos'); a folder with two or more parts
numbered by their specification (ibc-go's ``modules/core/02-client``,
``03-connection``, ``04-channel``) gives each of them a component, its other
files staying together under its name; so does a folder holding two or more
build units for its units of ten source
files or more, unless it is a build unit itself (a workspace of its own, as
dotcom-rendering's ``ab-testing/``) or tests, examples or documentation:
hermes' ``tools/`` holds the crates ``integration-test`` and ``test-framework``
(200 files), application-services' ``components/support/`` the compiler
``nimbus-fml`` beside 26 small crates, retrofit's ``retrofit-adapters/`` the
``rxjava`` adapters; a build unit that is an umbrella (next to no code of its own besides its build scripts, the code
in its units) holding a tenth of the code or more is split so too, its subfolders holding build units of their own
being parts as well, split in turn: ktor's ``ktor-server/`` (a wrapper artifact over its Gradle modules: 887 files, one
component) gives ``ktor-server-core``, ``ktor-server-netty`` … and ``ktor-server-plugins/`` gives
``ktor-server-auth``, ``ktor-server-sessions`` … its small plugins staying together under its name, while
dotcom-rendering's ``ab-testing/`` (4.5 % of the code) stays one part (``UMBRELLA_SHARE``);
a layout folder at the top (``src``) of a root build unit beside build units of their own that hold most of the
code is that unit's sources, one component named after the repository (clap's ``src/`` beside ``clap_builder/``,
``clap_derive/`` …);
a container holding one folder of files is that folder, named by its last
folder that is no container (Spring Petclinic's ``src/main/scss/``: ``scss``;
flux2's ``cmd/flux/``: ``flux``), unless the name is taken;
modules directly in the split directory form a component named after it
(``src/flask/app.py`` beside ``src/flask/json/`` is in ``flask``), or after the
repository when it is a container (``src/index.js`` beside ``src/auth/``) at
the top or a layout folder (``src``) deeper down (a ``lib`` below the top is
``lib``: dotcom-rendering's ``dotcom-rendering/src/lib/*.ts``), but those of a
build unit's layout folder are one component with the unit's own top files
(its manifest, its build's configuration), named as the unit, as its
maintainers say: drizzle-orm's ``drizzle-orm/src/*.ts`` (column.ts, table.ts
…) and ``drizzle-orm/*`` (package.json, tsup.config.ts), which were
``drizzle-orm.src`` and ``drizzle-orm``. Hidden
directories (``.github``) are tooling, not components. Files directly at the
top (a Go module's root package) form a component named after the repository
when there are at least three of them and they are a tenth of the code, when
they are the package of a root build unit holding ten code files or more
besides its tests (caddy's core, ``caddy.go``, ``admin.go``, ``modules.go`` …:
9.5 % of its files, beside ``modules/``), or when the package's manifest names
one of them as its entry point (Fastify's ``fastify.js``, ``"main"`` of its
``package.json``, beside ``lib/``). Maven
and Gradle source sets (``src/main/java/``, ``src/test/kotlin/`` …) are left
out of the layout: a build module's folder, then the package path decides, so
retrofit's modules ``retrofit-adapters/rxjava/`` and ``retrofit-mock/`` are
parts though their classes share the package ``retrofit2``, and ``owner``
holds ``src/main/java/…/owner/`` and its tests in ``src/test/java/…/owner/``,
while the packages only a module's test source sets hold (``src/test/``,
``src/test-jdk17/``, ``src/testFixtures/`` …: jackson-databind's ``convert``,
``objectid``, ``tofix``) are its tests, one component ``tests`` of those source
sets (``<module>.tests`` when the name is taken);
a package path's first folder (``org/``, ``com/`` …: ``NAMESPACE_ROOTS``) is
looked through as a container is, whatever share of the code it holds
(Spring Petclinic's ``org/springframework/samples/petclinic/{owner,vet,…}``
beside its templates).
A build module of tests by its name (``test-shrinker``, ``java-test``) or a
project template (vite's ``template-react``) is not "the code" either. A folder whose name is taken is named with its parent's
(gson's test package ``gson.metrics`` beside the module ``metrics``), by a
slash for Go code, named by its import path (caddy's ``modules/internal``
beside ``internal/``); so is a version folder (``v3``, ``v1beta1``: etcd's Go module ``client/v3``), which says
which, not what, and a container's only folder is named by its last folder that is neither. Files
directly in the looked-through prefix belong to no component.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Iterable

# (ComponentMap: the ingest's modules take both from here)
from cairn.graph.component_map import ComponentDef, ComponentMap  # noqa: F401
from cairn.graph.testcode import TEST_SOURCE_SET, is_test_directory, is_test_file, test_folders
from cairn.ingest.files import CODE_LANGUAGES
from cairn.ingest.first_party import first_party_folders
from cairn.ingest.linguist import counted_language, exclusion

if TYPE_CHECKING:
    from cairn.ingest.config import ComponentSpec

#: Folders that only hold the parts of the code: their own modules are named after the repository.
GENERIC_CONTAINERS = frozenset({"src", "lib", "libs", "packages", "apps", "services", "modules", "main", "java", "kotlin",
                                "scala", "python", "source", "sources", "pkg"})
#: Containers that say nothing of what they hold but where it sits (``src/``, ``src/main/java/``).
LAYOUT_FOLDERS = frozenset({"src", "source", "sources", "main", "java", "kotlin", "scala", "python"})
#: Python's mark of a private package tree (pip's src/pip/_internal/{cli,commands,…}): split like a container, its
#: own modules keeping its name.
CONTAINER_DIRS = GENERIC_CONTAINERS - {"source", "sources"} | {"_internal"}
#: Go's project layout at the top of a module: ``cmd/`` holds one directory per program, ``internal/`` the packages
#: nothing outside may import (jaeger's internal/{storage,sampling,auth,…}: 686 files were one component). Deeper
#: down they are ordinary packages (gson's com/google/gson/internal). So are sources: Swift's ``Sources/`` at the top,
#: a part beside its peers below it (Vector's ``src/sources/`` beside ``src/sinks/`` and ``src/transforms/``, which
#: gave 30 components to its sources and one to its 411 sinks' files). And ``service/``, one folder per service, as
#: ``services/`` is anywhere (temporal's service/{frontend,history,matching,worker}: 886 files were one component).
TOP_CONTAINER_DIRS = CONTAINER_DIRS | {"cmd", "internal", "service"}
#: Containers at the repository's very top only.
ROOT_CONTAINER_DIRS = frozenset({"source", "sources"})
#: Go's internal/ packages of fewer source files than this stay together, in a component named ``internal``:
#: jaeger's gzipfs, hostname, safeexpvar … (2 files each) beside storage (454) and sampling (36).
MIN_INTERNAL_PACKAGE_FILES = 10
#: Go's cmd/ programs of fewer source files than this stay together, two or more of them, in a component named ``cmd``:
#: Argo CD's ``argocd-dex``, ``argocd-git-ask-pass`` … (a ``main.go`` each, calling into the packages) beside
#: ``argocd`` (86); a single one keeps its name (kueue's ``cmd/kueue``).
MIN_PROGRAM_FILES = 3
#: Top folders of Go packages whose small ones stay together so too: ``internal/``, and, when they hold Go code, the
#: libraries of ``libs/`` and ``lib/`` (cometbft's libs/{bytes,strings,rand,sync,…}, 1–5 files each, were 20
#: components beside libs/log and libs/pubsub). Not a ``pkg/`` of a few: its small packages are a domain's parts
#: (celestia-app's pkg/inclusion and pkg/proof, which its records decide about; ``MANY_SMALL_PACKAGES``), and a
#: ``pkg/`` that is a Go module of its own is one part (``_a_part_by_its_manifest``: etcd's pkg/).
SMALL_PACKAGES_TOGETHER = frozenset({"internal", "libs", "lib"})
#: A top ``pkg/`` of Go code with this many small packages or more (fewer than ``MIN_INTERNAL_PACKAGE_FILES`` files) is a
#: drawer of utilities, its small packages staying together in a component ``pkg`` as ``internal/``'s do: containerd's
#: pkg/{timeout,fifosync,schedcore,atomicfile,…} (36 of 41 packages, 27 of three files or fewer: a component each, and
#: 21 rows of its bus-factor table "at risk" for a file or three), thanos' pkg/{errutil,runutil,extprom,strutil,…} (40
#: of 54). A handful is a domain's parts, as its maintainers name them (celestia-app's pkg/inclusion, pkg/proof, pkg/da,
#: pkg/wrapper: 4; kueue's 8, cert-manager's 7).
MANY_SMALL_PACKAGES = 10
#: A Go module holding at least this share of the code (``_code_below``) is split into its packages, those of fewer than
#: ``MIN_INTERNAL_PACKAGE_FILES`` files staying together under its name: etcd's ``server/`` (45 %: etcdserver, storage,
#: auth, lease, embed, etcdmain, proxy … was one component of 381 files beside api, client/pkg, client/v3, pkg of
#: 10–100). Below it a module is one part, as its maintainers name it: golang/tools' ``gopls`` (33 %), the language
#: server, opentelemetry-collector's ``pdata`` (31 %), crossplane's ``apis`` (30 %).
LARGE_MODULE_SHARE = 0.4
#: A build unit holding next to no code of its own (``_an_umbrella``: a stub, a linter's configuration besides its build
#: scripts) whose code lies in the build units below it is an umbrella, and when it holds this share of the code or
#: more its units are the parts, as its maintainers name them: ktor's ``ktor-server/`` (a wrapper artifact depending on
#: its modules, 33 % of the code) is ``ktor-server-core``, ``ktor-server-netty``, ``ktor-server-cio`` … not one
#: component of 887 files. A smaller one is one part, as its maintainers name it: dotcom-rendering's ``ab-testing/``
#: (4.5 %), "the AB Test framework" of five small packages; ktor's ``ktor-serialization/`` (2 %) beside its formats.
UMBRELLA_SHARE = 0.1
UMBRELLA_OWN_FILES = 2
# So is a top folder of Go packages that is no build unit and holds no package of its own but a small one (no more than
# ``UMBRELLA_OWN_FILES`` files) when it holds ``UMBRELLA_SHARE`` of the code or more and two packages of
# ``MIN_INTERNAL_PACKAGE_FILES`` files or more (``_a_folder_of_packages``): containerd's ``core/`` (20 % of the code:
# the subsystems core/content, core/metadata, core/runtime, core/snapshots … 17 packages of 261 files, one component)
# and ``plugins/`` (their implementations: plugins/snapshots, plugins/services … 161 files). Its small packages stay
# together under its name, as a large Go module's do, and its parts are named by their import path below it
# (``core/snapshots`` beside ``plugins/snapshots``): the folder says what kind of part each is, a subsystem or a
# plugin implementing it, and the two often share a name.

#: A folder of a version, named with its parent's: Go's major version folders (etcd's ``client/v3``, the module
#: ``go.etcd.io/etcd/client/v3``, was "v3"), an API's (``apis/v1beta1``).
VERSION_FOLDER = re.compile(r"^v\d+(?:(?:alpha|beta)\d*)?$")
#: The files that make a folder a build unit of its own (a crate, a package, a Go or Maven module).
BUILD_MANIFESTS = frozenset({"Cargo.toml", "package.json", "go.mod", "pyproject.toml", "setup.py", "pom.xml",
                             "build.gradle", "build.gradle.kts", "composer.json"})
_MANIFEST_ENDINGS = tuple(BUILD_MANIFESTS)
#: The first folder of a Java or Kotlin package path (``org/springframework/samples/petclinic/``, ``com/google/``): a
#: namespace, looked through as a container is (Spring Petclinic's ``owner``, ``vet``, ``system`` were one ``org``).
NAMESPACE_ROOTS = frozenset({"org", "com", "net", "io", "dev", "me", "edu", "gov"})
#: wagtail's wagtail/ holds 73 % of its code beside client/ (the JavaScript), and is its Django apps; retrofit's website/
#: (65 %) is no such package (nor pytest's testing/, its tests by their files). Such a folder holds at least half of the
#: code Cairn parses (``CODE_LANGUAGES``) too: helix's ``runtime/`` (1,190 tree-sitter queries the editor loads, 83 % of
#: its counted files, none of its Rust) was split into 341 components, one per language, its crates the minority; every
#: other folder so large among 90 repositories holds 68 % of their parsed code or more (excalidraw's packages/excalidraw).
DOMINANT_SHARE = 0.7
#: A Python distribution's top-level package (a folder with an ``__init__.py`` in no package) holding this share of the
#: code or more is split so too, as a large Go module is into its packages (``LARGE_MODULE_SHARE``): its subpackages
#: are the parts its maintainers name (mypy's ``mypyc``, 57 % of its code beside ``mypy``'s 36 %, is ``mypyc.irbuild``,
#: ``mypyc.ir``, ``mypyc.codegen``, ``mypyc.transform``, ``lib-rt`` … in its developer guide, not one component of
#: 301 files). Below it a package is one part (``mypy``; black's ``black``, 39 %).
LARGE_PACKAGE_SHARE = LARGE_MODULE_SHARE




def declared_components(spec: dict[str, ComponentSpec]) -> list[ComponentDef]:
    return [ComponentDef(name, list(s.paths), s.system, s.domain, s.description) for name, s in spec.items()]


#: Maven/Gradle source sets: ``src/main/java/`` and friends are left out of the layout, so the build module's folder
#: and then the package path decide.
SOURCE_SET = re.compile(
    r"^(?P<module>(?:.*/)?)(?P<set>src/[A-Za-z0-9_-]+/(?:java|kotlin|scala|groovy|resources|java-templates)/)")
ROOT_SHARE = 0.1  # files directly at the top form a component when they are at least this share (and 3 or more)
#: The root build unit's own package is a component whatever its share of the code when it holds this many code files
#: other than tests, as many as a package of Go's internal/ that is a part of its own: caddy's core (caddy.go, admin.go,
#: context.go, modules.go … 26 files besides its tests, 9.5 % of the code, imported by 38 of its 47 packages) beside
#: modules/ and caddyconfig/. A root's doc.go, main.go, tools.go, a Makefile or a linter's configuration are not.
MIN_ROOT_PACKAGE_FILES = MIN_INTERNAL_PACKAGE_FILES

#: The name of the component of a build module's test-only packages (``_tests_of_modules``).
TESTS = "tests"

#: Where a file's logical folders came from: how many of them are the build module's (the folders before its source
#: set; all of them for a file in no source set), and the source set (``src/main/java/``, or "").
Origin = tuple[int, str]


def _logical(path: str) -> tuple[Origin, list[str]]:
    """(origin, logical folders) of a path: its folders without a source set's (``retrofit-adapters/rxjava/
    src/main/java/retrofit2/adapter/`` → ``retrofit-adapters/rxjava/retrofit2/adapter``)."""
    m = SOURCE_SET.match(path)
    if m is None:
        dirs = path.split("/")[:-1]
        return (len(dirs), ""), dirs
    module = m.group("module").split("/")[:-1]
    return (len(module), m.group("set")), module + path[m.end():].split("/")[:-1]


def _container(path: list[str], prefix: list[str], units: frozenset[str], members: list[list[str]]) -> bool:
    """Whether the folder ``path`` (holding the files of ``members``) is a container by its name (``CONTAINER_DIRS``;
    ``TOP_CONTAINER_DIRS`` just below the looked-through ``prefix``, ``ROOT_CONTAINER_DIRS`` at the very top) and no
    part by being one of the build ``units`` (``_a_part_by_its_manifest``)."""
    name = path[-1]
    if _a_part_by_its_manifest(path, members, units):
        return False
    if len(path) == 1 and name in ROOT_CONTAINER_DIRS:
        return True
    return name in (TOP_CONTAINER_DIRS if len(path) == len(prefix) + 1 else CONTAINER_DIRS)


def _a_part_by_its_manifest(path: list[str], members: list[list[str]], units: frozenset[str]) -> bool:
    """Whether the folder ``path`` (holding the files of ``members``) is one of the build ``units`` and no more than
    half of its subfolders are build units of their own: a module is released, versioned and owned as one whatever its
    folder's name, so its folder is a part, not a container of parts: etcd's Go modules ``pkg/``
    (``go.etcd.io/etcd/pkg/v3``: adt, flags, netutil … 20 packages of 1–15 files, which were 20 components) and
    ``client/pkg``, opentelemetry-collector's ``service/`` (its internal/, telemetry/, pipelines/ … beside the small
    module ``service/hostcapabilities``). A folder most of whose subfolders are build units is a folder of modules
    sharing a build file, still a container (testcontainers-java's ``modules/build.gradle`` beside its 62 modules)."""
    folder = "/".join(path)
    if folder not in units:
        return False
    subfolders = {d[len(path)] for d in members if len(d) > len(path)}
    return sum(1 for name in subfolders if f"{folder}/{name}" in units) * 2 <= len(subfolders)


def _thin(name: str, members: list[list[str]], depth: int) -> bool:
    """Whether the folder ``name`` of ``cmd/`` holding the files of ``members`` (its path ``depth`` folders long) is a
    program of fewer than ``MIN_PROGRAM_FILES`` files, or a folder of programs (no files of its own), most of them such
    (temporal's ``cmd/tools/{tdbg,sql,cassandra,…}/main.go``, the mains of its ``tools/``: 20 of 22 hold one file or two).
    Go's ``internal/`` holds packages, not programs (jaeger's ``cmd/internal/{flags,env,…}``)."""
    if len(members) < MIN_PROGRAM_FILES:
        return True
    if name == "internal" or any(len(d) == depth for d in members):
        return False
    programs = Counter(d[depth] for d in members)
    return sum(files < MIN_PROGRAM_FILES for files in programs.values()) * 2 > len(programs)


def _mostly_go(source_paths: list[str], folder: list[str]) -> bool:
    """Whether most of the source files below ``folder`` are Go's."""
    below = "/".join(folder) + "/"
    inside = [p for p in source_paths if p.startswith(below)]
    return sum(1 for p in inside if p.endswith(".go")) * 2 > len(inside)


def _physical(parts: list[str], origin: Origin, tail: str) -> str:
    """The path pattern of the logical folder ``parts`` (``tail``: ``"*"`` or ``"**"``) for files of ``origin``."""
    module_len, source_set = origin
    if len(parts) <= module_len and tail == "**" or not source_set:
        return "/".join([*parts, tail])
    return "/".join(parts[:module_len] + [source_set.rstrip("/")] + parts[module_len:] + [tail])


def build_units(paths: Iterable[str]) -> frozenset[str]:
    """The folders among ``paths`` (every tracked path) that hold a build manifest (``BUILD_MANIFESTS``): ``"a/b"``."""
    return frozenset(path.rpartition("/")[0] for path in paths
                     if path.endswith(_MANIFEST_ENDINGS) and path.rpartition("/")[2] in BUILD_MANIFESTS)


def infer_components(source_paths: list[str], root_name: str = "root", units: frozenset[str] = frozenset(),
                     entries: frozenset[str] = frozenset()) -> list[ComponentDef]:
    """Components from the directory layout of the source files, the build ``units`` (``build_units``) and the
    package's ``entries`` (``package_names.entry_points``; see the module docstring)."""
    located = [_logical(p) for p in source_paths]
    dirs = [d for _, d in located]
    if not dirs:
        return []
    prefix = _common_prefix(dirs)
    # look through container directories at the start of what remains
    while True:
        heads = {d[len(prefix)] for d in dirs if len(d) > len(prefix)}
        if len(heads) == 1 and (next(iter(heads)) in CONTAINER_DIRS or all(len(d) > len(prefix) for d in dirs)):
            prefix = prefix + [next(iter(heads))]
            continue
        break
    # the package paths' first folders (a source set's ``org/``), by their logical path
    namespaces = {tuple(d[:module_len + 1]) for (module_len, source_set), d in located
                  if source_set and len(d) > module_len and d[module_len] in NAMESPACE_ROOTS}
    groups = {name: ([*prefix, name], members) for name, members in _group(dirs, prefix).items()}
    top_names = set(groups)
    pending = sorted(groups, key=lambda n: -len(groups[n][1]))
    code_below: dict[tuple[str, ...], int] | None = None  # (worked out when a directory's share is first asked)
    tested: frozenset[str] = frozenset()  # the folders of tests by their files (``test_folders``), with code_below
    own: frozenset[str] = frozenset()  # the folders named as vendored ones that are the project's, with code_below
    packages: frozenset[str] | None = None  # the folders of Python packages (``_python_packages``), when first asked
    parsed_below: dict[tuple[str, ...], int] | None = None  # ``code_below`` of the code Cairn parses, when first asked
    beside: dict[str, list[str]] = {}  # a component of a unit's sources' own files -> the unit's own files' folder (+ "*")
    while pending:
        top = pending.pop(0)
        top_path, members = groups[top]
        numbered_only = False  # split out only its numbered parts (ibc-go's modules/core/02-client …)
        large: list[str] = []  # split out only these large build units (hermes' tools/test-framework …)
        module = False  # a large Go module, split into its packages (etcd's server/)
        grouping = False  # a large folder of Go packages, split into them (containerd's core/)
        if not prefix and top_path[-1] in LAYOUT_FOLDERS and top in top_names and "" in units:
            if code_below is None:
                tested, own = test_folders(source_paths), first_party_folders(source_paths, units)
                code_below = _code_below(source_paths, tested, own)
            if _sources_of_a_root_unit(top, code_below, units):  # clap's src/ beside clap_builder/, clap_derive/ …
                if root_name not in groups:
                    groups[root_name] = groups.pop(top)
                continue
        if not _container(top_path, prefix, units, members) and tuple(top_path) not in namespaces:
            if code_below is None:
                tested, own = test_folders(source_paths), first_party_folders(source_paths, units)
                code_below = _code_below(source_paths, tested, own)
            code = code_below.get((), 0)
            if packages is None:
                packages = _python_packages(source_paths)
            share = LARGE_PACKAGE_SHARE if code and _a_top_level_package(top_path, packages) else DOMINANT_SHARE
            dominant = (code_below.get(tuple(top_path), 0) if code else len(members)) >= share * (code or len(dirs))
            if dominant and share == DOMINANT_SHARE:
                if parsed_below is None:
                    parsed_below = _code_below([p for p in source_paths if counted_language(p) in CODE_LANGUAGES],
                                               tested, own)
                dominant = parsed_below.get(tuple(top_path), 0) * 2 >= parsed_below.get((), 0)
            if not dominant:
                numbered_only = _numbered_parts(top_path, members, tested, own)
                large = [] if numbered_only else _large_units(top_path, members, units, tested, own, code_below,
                                                                  source_paths)
                module = not numbered_only and not large and _a_large_go_module(top_path, code_below, units,
                                                                                  source_paths)
                grouping = not numbered_only and not large and not module and top_path == [*prefix, top] and \
                    _a_folder_of_packages(top_path, members, code_below, units, source_paths)
                if not numbered_only and not large and not module and not grouping:
                    continue
        path, sub = top_path, _group(members, top_path)
        while len(sub) == 1:  # look through single-child chains: src/shop -> src/shop/{core,api}
            only = next(iter(sub))
            path = [*path, only]
            sub = _group(sub[only], path)
        if not sub and path != top_path and _container(top_path, prefix, units, members) and all(
                len(d) == len(path) for d in members):
            # a container of one folder of files is that folder, named by its last folder that is no layout folder
            # (Spring Petclinic's src/main/scss/: "scss"; flux2's cmd/flux/; Vector's lib/codecs/src/: "codecs") nor a
            # version's (cmd/tool/v2/: "tool")
            named = next((i for i in range(len(path), len(top_path), -1)
                          if path[i - 1] not in GENERIC_CONTAINERS and not VERSION_FOLDER.match(path[i - 1])), None)
            if named is not None and path[named - 1] not in groups:
                del groups[top]
                groups[path[named - 1]] = (path[:named], members)
                continue
        direct = [d for d in members if len(d) == len(path) and d == path]
        if len(direct) < 2:  # a lone __init__.py or index.ts is glue, not a component
            direct = []
        kept: list[list[str]] = []  # the small packages of a top internal/, left together
        if path == top_path == [*prefix, top_path[-1]] and _small_packages_together(top_path, sub, source_paths):
            small = [name for name, sub_members in sub.items() if len(sub_members) < MIN_INTERNAL_PACKAGE_FILES]
            if len(small) == len(sub):
                continue
            kept = [d for name in small for d in sub.pop(name)]
        elif path == top_path == [*prefix, "cmd"] and len(
                small := [name for name, sub_members in sub.items() if _thin(name, sub_members, len(path) + 1)]) >= 2:
            # programs of a file or two are mains calling into the packages (one alone keeps its name: kueue's cmd/kueue)
            if len(small) == len(sub):
                continue
            kept = [d for name in small for d in sub.pop(name)]
        elif numbered_only:  # the other folders stay together, under the folder's name
            kept = [d for name in [n for n in sub if not NUMBERED_PART.match(n)] for d in sub.pop(name)]
        elif large:  # so do its small units and its folders that are no build unit
            kept = [d for name in [n for n in sub if n not in large] for d in sub.pop(name)]
        elif module or grouping:  # its small packages stay together, as a top internal/'s do (etcd's server/{mock,…})
            small = [name for name, sub_members in sub.items() if len(sub_members) < MIN_INTERNAL_PACKAGE_FILES]
            if len(small) == len(sub):
                continue
            kept = [d for name in small for d in sub.pop(name)]
        if len(sub) >= 2 or (sub and (direct or kept)):
            del groups[top]
            for name, sub_members in sub.items():
                # a clash, or the name of a top folder split before (jaeger's cmd/internal beside internal/): its path
                # (a version folder says which, not what: etcd's client/v3)
                if grouping:  # named by its import path below the folder: core/snapshots beside plugins/snapshots
                    key = "/".join([*path[len(prefix):], name])
                elif name not in groups and name not in top_names and not VERSION_FOLDER.match(name):
                    key = name
                else:
                    key = _qualified([*path, name], prefix, groups, source_paths)
                groups[key] = ([*path, name], sub_members)
                # a container in a container (ibc-go's modules/apps/{transfer,…}), or a part that still holds most of
                # the code (gson's com/google of com/{google,example}): tried in turn (the test above decides); a
                # folder of packages' parts are parts, whatever their names (containerd's plugins/services)
                if not grouping:
                    pending.append(key)
            if direct and not kept and not module and not grouping:  # the package's own modules (flask/app.py beside flask/json/)
                # named after the repository when the folder is only a container (frontend-platform's src/index.js)
                # (a library folder below the top keeps its name: dotcom-rendering's src/lib/*.ts are "lib")
                nested_library = path[-1] not in LAYOUT_FOLDERS and len(path) > len(prefix) + 1
                package = path[:-1]
                if path[-1] in LAYOUT_FOLDERS and len(path) > len(prefix) + 1 and "/".join(package) in units:
                    # a build unit's sources' own modules and its own top files (its manifest, its build's
                    # configuration) are one component named as the unit: drizzle-orm/src/*.ts (column.ts, table.ts
                    # …) and drizzle-orm/{package.json,tsup.config.ts}, which were drizzle-orm.src and drizzle-orm
                    key = next((k for k, (parts, _) in groups.items() if parts == [*package, "*"]), None)
                    if key is None:
                        own = package[-1]
                        key = own if own not in groups and not VERSION_FOLDER.match(own) else _qualified(
                            package, prefix, groups, source_paths)
                    beside[key] = [*package, "*"]
                else:
                    own = root_name if path[-1] in GENERIC_CONTAINERS and not nested_library else path[-1]
                    key = own if own not in groups and not VERSION_FOLDER.match(own) else _qualified(
                        path, prefix, groups, source_paths)
                groups[key] = ([*path, "*"], direct)
            if kept or (module or grouping) and direct:  # internal/** less the packages split out (the more specific
                groups[top if module else path[-1]] = (path, kept + direct)  # pattern wins)
    top_files = [d for d in dirs if d == prefix]
    if len(top_files) >= 3 and len(top_files) >= ROOT_SHARE * len(dirs) or (  # a Go module's root package, say
            top_files and not prefix and (any(p in entries for p in source_paths if "/" not in p)  # fastify.js
                                          or _root_package(source_paths, units))):  # caddy's core
        key = root_name if root_name not in groups else f"{root_name}.root"
        groups[key] = ([*prefix, "*"], top_files)
    # the origins of the files below each logical folder (every prefix of it), and of the files directly in it
    origins_below: dict[tuple[str, ...], set[Origin]] = {}
    origins_in: dict[tuple[str, ...], set[Origin]] = {}
    for origin, d in located:
        origins_in.setdefault(tuple(d), set()).add(origin)
        for i in range(len(d) + 1):
            origins_below.setdefault(tuple(d[:i]), set()).add(origin)
    patterns: dict[str, list[str]] = {}
    tests_of: dict[tuple[str, ...], set[str]] = {}  # a build module's folders -> its test source sets' patterns
    for name in groups:
        if name.startswith("."):  # .github, .devcontainer: tooling, not a part of the system
            continue
        parts = groups[name][0]
        if parts[-1] == "*":  # the files directly in that folder
            folder, tail, origins = parts[:-1], "*", origins_in.get(tuple(parts[:-1]), set())
        else:
            folder, tail, origins = parts, "**", origins_below.get(tuple(parts), set())
        module = _tests_only_package(folder, origins)
        if module is None:
            patterns[name] = sorted({_physical(folder, o, tail) for o in origins}) or ["/".join([*folder, tail])]
            if name in beside:
                patterns[name] = sorted({*patterns[name], "/".join(beside[name])})
        else:  # its module's test source sets whole: the packages of the code, more specific, keep their tests
            tests_of.setdefault(module, set()).update("/".join([*module, s.rstrip("/"), "**"]) for _, s in origins)
    for name, paths in _tests_of_modules(tests_of, patterns, root_name).items():
        patterns[name] = sorted(paths)
    _with_rust_module_roots(patterns, source_paths)
    return [ComponentDef(name=name, paths=patterns[name], inferred=True) for name in sorted(patterns)]


def _with_rust_module_roots(patterns: dict[str, list[str]], source_paths: list[str]) -> None:
    """Give a component of a Rust module's folder (``src/assets/**``) the module's own file beside it
    (``src/assets.rs``, Rust 2018's ``foo.rs`` beside ``foo/``, which declares ``mod build_assets;`` …): bat's
    ``assets`` card left out its main file, 865 lines, counted with the crate's top files instead."""
    rust = {p for p in source_paths if p.endswith(".rs")}
    if not rust:
        return
    for paths in patterns.values():
        roots = [p[:-3] + ".rs" for p in paths if p.endswith("/**") and p[:-3] + ".rs" in rust]
        if roots:
            paths[:] = sorted({*paths, *roots})


def _tests_only_package(folder: list[str], origins: set[Origin]) -> tuple[str, ...] | None:
    """The build module (its folders) whose test source sets alone hold the package ``folder`` (a logical folder
    below the module's) whose files came from ``origins``, or None: jackson-databind's ``src/test/java/…/databind/
    convert/``, a package of tests with no ``src/main/java/…/convert/`` beside it. (A build module of tests,
    okhttp's ``okhttp-hpacktests/``, is a part named by its maintainers, not a package.)"""
    modules = {module_len for module_len, _ in origins}
    if len(modules) != 1 or not all(source_set and TEST_SOURCE_SET.search(source_set.split("/")[1])
                                    for _, source_set in origins):
        return None
    module_len = next(iter(modules))
    return tuple(folder[:module_len]) if len(folder) > module_len else None


def _tests_of_modules(tests_of: dict[tuple[str, ...], set[str]], taken: dict[str, list[str]],
                      root_name: str) -> dict[str, set[str]]:
    """The components of the build modules' test-only packages (``tests_of``: the patterns of the test source sets
    holding each module's, ``src/test/java/**``, which its files in no other component are in too), beside
    the components ``taken``: a module's packages of tests are its tests, as a Python project's ``tests/`` is, not
    parts beside its code (jackson-databind's ``convert``, ``objectid``, ``struct``, ``tofix`` … were 20 of its 40
    components, "using" the code they test; gson's ``functional``; mockito's ``mockitousage``). The tests of a package
    stay with it (``src/test/java/…/deser/`` in ``deser``). One module's are ``tests`` (``TESTS``); several modules'
    or a name taken, ``<module>.tests`` (``<repository>.tests`` for the root module)."""
    named: dict[str, set[str]] = {}
    for module, paths in tests_of.items():
        if len(tests_of) == 1 and TESTS not in taken:
            name = TESTS
        else:
            name = f"{module[-1] if module else root_name}.{TESTS}"
            if name in taken or name in named:
                name = ".".join([*module, TESTS])
        named[name] = paths
    return named


#: Folders whose code is not "the code" of the repository, by their name: the sample projects a JavaScript tool's
#: end-to-end tests build (vite's playground/: 1,400 files beside the 550 of packages/, so its 78 folders were the
#: components and packages/vite one), a build module of tests (gson's test-shrinker, test-jpms; retrofit's
#: java-test), a project template a scaffolding tool copies (vite's create-vite/template-react, template-vue …), the
#: code of a documentation (FastAPI's docs_src/: 1,000 example files beside the 50 of fastapi/, so its 70 folders were
#: the components).
NOT_THE_CODE = re.compile(r"^playgrounds?$|^(?:tests?|it|templates?|docs?)[-_]|[-_](?:tests?|it)$")


def _code_below(source_paths: list[str], tested: frozenset[str], own: frozenset[str]) -> dict[tuple[str, ...], int]:
    """How many of ``source_paths`` lie below each logical directory (``()``: all of them), counting only those outside
    test, example, playground, documentation and vendored directories and test modules ("most of the code":
    sentry-python's tests/ outnumber sentry_sdk/'s files, express's examples/ lib/'s; celery's ``t/``, one of the folders
    ``tested`` that hold tests by their files, ``celery/``'s); each directory is judged once."""
    below: dict[tuple[str, ...], int] = {}
    for physical, files in Counter(p.rpartition("/")[0] for p in source_paths).items():
        parts = physical.split("/")
        if not (is_test_directory(parts, tested) or any(map(NOT_THE_CODE.search, parts)) or exclusion(physical + "/_", first_party=own) is not None):
            d = tuple(_logical(physical + "/_")[1])  # (its logical folders)
            for i in range(len(d) + 1):
                below[d[:i]] = below.get(d[:i], 0) + files
    return below


#: A part numbered by its specification (ibc-go's ICS modules: modules/core/02-client, 03-connection, 04-channel;
#: modules/light-clients/07-tendermint): such parts are the architecture, though their folder holds little of the code.
NUMBERED_PART = re.compile(r"^\d{2,}-[A-Za-z]")


def _sources_of_a_root_unit(folder: str, code_below: dict[tuple[str, ...], int], units: frozenset[str]) -> bool:
    """Whether the top ``folder`` (a layout folder: ``src``) holds the sources of the repository's root build unit
    beside build units of their own that hold most of the code, and no build unit below it: clap's ``src/`` (the
    crate ``clap``: 22 files, its ``_cookbook/``, ``_derive/`` and ``bin/`` among them) beside ``clap_builder/``,
    ``clap_derive/``, ``clap_complete/`` … (90 % of the code). Such a folder is one component named after the
    repository, not split into its subfolders (hono's ``src/``, all of its code, still is)."""
    code = code_below.get((), 0)
    beside = sum(code_below.get((unit,), 0) for unit in units if unit and "/" not in unit and unit != folder)
    return bool(code) and beside * 2 > code and not any(unit.startswith(folder + "/") for unit in units)


def _root_package(source_paths: list[str], units: frozenset[str]) -> bool:
    """Whether the files at the repository's top are the package of its root build unit (a ``go.mod``, ``Cargo.toml``,
    ``package.json`` … there) holding ``MIN_ROOT_PACKAGE_FILES`` code files or more besides its tests (not its build
    scripts, Dockerfiles or configuration in another language's files)."""
    if "" not in units:
        return False
    code = (p for p in source_paths if "/" not in p and counted_language(p) in CODE_LANGUAGES and not is_test_file(p))
    return sum(1 for _ in code) >= MIN_ROOT_PACKAGE_FILES


def _a_large_go_module(path: list[str], code_below: dict[tuple[str, ...], int], units: frozenset[str],
                       source_paths: list[str]) -> bool:
    """Whether the folder ``path`` is a Go module (one of the build ``units`` holding mostly Go code) holding at least
    ``LARGE_MODULE_SHARE`` of the code (``code_below``): Go's unit of code is the package, a folder; a module only
    releases packages together, so a module as large as etcd's ``server/`` is its packages' parts."""
    code = code_below.get((), 0)
    return bool(code) and "/".join(path) in units and code_below.get(tuple(path), 0) >= LARGE_MODULE_SHARE * code \
        and _mostly_go(source_paths, path)


def _a_top_level_package(path: list[str], packages: frozenset[str]) -> bool:
    """Whether the folder ``path`` is a Python distribution's top-level package: one of the ``packages``
    (``_python_packages``) whose parent is none."""
    folder = "/".join(path)
    return folder in packages and folder.rpartition("/")[0] not in packages


def _python_packages(source_paths: list[str]) -> frozenset[str]:
    """The folders among ``source_paths`` holding an ``__init__.py``."""
    return frozenset(p[:-len("/__init__.py")] for p in source_paths if p.endswith("/__init__.py"))


def _small_packages_together(path: list[str], packages: dict[str, list[list[str]]], source_paths: list[str]) -> bool:
    """Whether the small ``packages`` of the top folder ``path`` stay together under its name: a top ``internal/``'s,
    a ``libs/`` or ``lib/`` of Go code's (``SMALL_PACKAGES_TOGETHER``), a ``pkg/`` of Go code's when they are
    ``MANY_SMALL_PACKAGES`` or more."""
    name = path[-1]
    if name == "internal":
        return True
    if name in SMALL_PACKAGES_TOGETHER:
        return _mostly_go(source_paths, path)
    if name != "pkg":
        return False
    small = sum(1 for members in packages.values() if len(members) < MIN_INTERNAL_PACKAGE_FILES)
    return small >= MANY_SMALL_PACKAGES and _mostly_go(source_paths, path)


def _a_folder_of_packages(path: list[str], members: list[list[str]], code_below: dict[tuple[str, ...], int],
                          units: frozenset[str], source_paths: list[str]) -> bool:
    """Whether the folder ``path`` (holding the files of ``members``) is a folder of Go packages to split into them:
    no build unit, at most ``UMBRELLA_OWN_FILES`` files of its own, ``UMBRELLA_SHARE`` of the code or more (``code_below``)
    and two packages of ``MIN_INTERNAL_PACKAGE_FILES`` files or more (containerd's ``core/``: see ``UMBRELLA_OWN_FILES``)."""
    code = code_below.get((), 0)
    if not code or "/".join(path) in units or code_below.get(tuple(path), 0) < UMBRELLA_SHARE * code:
        return False
    depth = len(path)
    if sum(1 for d in members if len(d) == depth) > UMBRELLA_OWN_FILES:
        return False
    packages = Counter(d[depth] for d in members if len(d) > depth)
    return sum(1 for files in packages.values() if files >= MIN_INTERNAL_PACKAGE_FILES) >= 2 \
        and _mostly_go(source_paths, path)


def _numbered_parts(path: list[str], members: list[list[str]], tested: frozenset[str], own: frozenset[str]) -> bool:
    """Whether the folder ``path`` (holding the files of ``members``) has two or more numbered parts and is no
    documentation, test or vendored folder (a guide's ``docs/01-intro/``)."""
    parts = {d[len(path)] for d in members if len(d) > len(path)}
    if sum(1 for part in parts if NUMBERED_PART.match(part)) < 2:
        return False
    physical = "/".join(path)
    return not is_test_directory(path, tested) and exclusion(physical + "/_", first_party=own) is None


def _large_units(path: list[str], members: list[list[str]], units: frozenset[str], tested: frozenset[str],
                 own: frozenset[str], code_below: dict[tuple[str, ...], int], source_paths: list[str]) -> list[str]:
    """The subfolders of the folder ``path`` (holding the files of ``members``) that are build units with at least
    ``MIN_INTERNAL_PACKAGE_FILES`` source files, when two or more of its subfolders are build units, it is no build
    unit itself unless an umbrella (``_an_umbrella``: dotcom-rendering's ``ab-testing/``, a workspace of its own, is one
    part of that repository; ktor's ``ktor-server/`` is its modules), and it is no test, example, documentation or
    vendored folder, nor one whose code is not "the code" (vite's ``playground/``). An umbrella's subfolders holding
    two or more build units (ktor's ``ktor-server/ktor-server-plugins/``, a group of modules, no module) are parts
    too, split in turn."""
    below = len(path)
    files: Counter[str] = Counter(d[below] for d in members if len(d) > below)
    physical = "/".join(path)
    subunits = [name for name in files if f"{physical}/{name}" in units]
    if len(subunits) < 2 or is_test_directory(path, tested) or any(map(NOT_THE_CODE.search, path)) \
            or exclusion(physical + "/_", first_party=own) is not None:
        return []
    if physical in units:
        if not _an_umbrella(path, units, code_below, source_paths):
            return []
        subunits += [name for name in files if name not in subunits and _units_directly_in(f"{physical}/{name}", units) >= 2]
    return [name for name in subunits if files[name] >= MIN_INTERNAL_PACKAGE_FILES]


def _units_directly_in(folder: str, units: frozenset[str]) -> int:
    """How many of the build ``units`` are subfolders of ``folder``."""
    return sum(1 for unit in units if unit.startswith(folder + "/") and "/" not in unit[len(folder) + 1:])


def _an_umbrella(path: list[str], units: frozenset[str], code_below: dict[tuple[str, ...], int],
                 source_paths: list[str]) -> bool:
    """Whether the build unit ``path`` is an umbrella: no more than ``UMBRELLA_OWN_FILES`` of the source files below it
    lie in no build unit below it (its build scripts aside), and it holds ``UMBRELLA_SHARE`` of the code or more
    (``code_below``)."""
    code = code_below.get((), 0)
    if not code or code_below.get(tuple(path), 0) < UMBRELLA_SHARE * code:
        return False
    physical = "/".join(path)
    own_files = 0
    for source in source_paths:
        if not source.startswith(physical + "/"):
            continue
        folder, _, name = source.rpartition("/")
        while folder != physical and folder not in units:
            folder = folder.rpartition("/")[0]
        if folder == physical and name not in BUILD_MANIFESTS:
            own_files += 1
            if own_files > UMBRELLA_OWN_FILES:
                return False
    return True


def _qualified(path: list[str], prefix: list[str], taken: dict[str, object], source_paths: list[str]) -> str:
    """The name of the folder ``path`` when its own is taken: with its parent's (gson's test package ``gson.metrics``
    beside the module ``metrics``), else its whole path below the ``prefix``, dotted; joined by slashes for a folder of
    Go code, whose packages are named by their import path (caddy's ``modules/internal`` beside ``internal/``, as the
    folders CODEOWNERS names are: prometheus' ``storage/remote``)."""
    join = "/".join if _mostly_go(source_paths, path) else ".".join
    start = len(path) - 2
    while start > len(prefix) and VERSION_FOLDER.match(path[start]):  # client/v3/concurrency, not v3/concurrency
        start -= 1
    short = join(path[start:])
    return short if start >= len(prefix) and short not in taken else join(path[len(prefix):])


def _common_prefix(dirs: list[list[str]]) -> list[str]:
    shortest = min(dirs, key=len)
    prefix: list[str] = []
    for i, part in enumerate(shortest):
        if all(d[i] == part for d in dirs):
            prefix.append(part)
        else:
            break
    return prefix


def _group(dirs: list[list[str]], prefix: list[str]) -> dict[str, list[list[str]]]:
    groups: dict[str, list[list[str]]] = {}
    n = len(prefix)
    for d in dirs:
        if len(d) > n and d[:n] == prefix:
            groups.setdefault(d[n], []).append(d)
    return groups
