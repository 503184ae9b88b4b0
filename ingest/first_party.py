"""Which folders that Linguist's names call vendored (``linguist.VENDORED_UNLESS_OWN``: ``cache/``, ``env/``,
``extern/``, ``external/``) hold the repository's own code.

Linguist's vendor list is made for language statistics and takes every folder of those names for someone else's
code or for no code at all: a tracked cache, a virtualenv (``env/``), libraries copied into ``extern/``. Projects
name their own modules so too, and in the 67 repositories read every such folder of source files was one: etcd's
``cache/`` (a Go module with its go.mod, OWNERS and 175 commits), argo-cd's ``util/env``, gopls' ``internal/cache``
(60 files), poetry's ``utils/env``, opentofu's ``keyprovider/external``, vector's ``vector-config/src/external``,
okhttp's ``okhttp3/internal/cache``. Someone else's code under those names sits in a folder of its own below them
(``external/googletest/…``, ``env/lib/python3.12/site-packages/…``, ``cache/twig/…``), and a virtualenv or a cache
holds no source file at its top. So such a folder is the project's own when it *directly* holds

* a build manifest (``components.BUILD_MANIFESTS``, passed as the folders holding one): it is a build unit of the
  repository (etcd's ``cache/go.mod``), or
* a source file of a language whose folders are its modules (``files.CODE_LANGUAGES``: a Go or Java package, a
  Python package or module, a JavaScript/TypeScript module, a Rust module: argo-cd's ``util/env/env.go``). Not C
  or C++ files, nor build scripts: single-file C libraries are copied straight into ``extern/`` (``stb_image.h``,
  ``json.hpp``), and a Makefile or CMakeLists.txt at the top of ``extern/`` builds the libraries below it.

Go code makes such a folder the project's when it lies below it too (kueue's ``pkg/cache/{hierarchy,queue,
scheduler}``, openfga's ``pkg/storage/cache/keys``, loki's ``operator/internal/external/k8s``): the go tool builds
every folder of a module outside ``vendor/`` and ``testdata/`` as one of its packages, imported by the module's own
path, so Go code is vendored in ``vendor/`` only.

Below a ``src/`` folder such a folder is the project's when it holds code of those languages at any depth (drizzle's
``drizzle-orm/src/cache/``: a readme at its top, its code in ``core/`` and ``upstash/``, imported 86 times from
``src/``): a ``src/`` is the project's own source tree, where nobody keeps a virtualenv or a tracked cache, and in the
repositories read no copied library sat in a ``cache/``, ``env/`` or ``extern/`` of one (C and C++ files, copied into
``src/external/`` as much as into ``extern/``, are no evidence, as above).

A path lies in a vendored folder when any of its folders so named is not the project's (``extern/lib/src/cache/`` is
vendored by ``extern/``). Linguist's other names (``vendor/``, ``third_party/``, ``node_modules/``, ``dist/``,
top-level ``deps/``, ``Dependencies/``, ``debian/`` …) keep their meaning: they hold copies or build output even when
their top holds code (redis' ``deps/Makefile``, a GitHub Action's ``dist/index.js``).
"""

from __future__ import annotations

from typing import Collection, Iterable

from cairn.ingest.files import CODE_LANGUAGES
from cairn.ingest.linguist import VENDORED_UNLESS_OWN, detect_language


def first_party_folders(paths: Iterable[str], units: Collection[str]) -> frozenset[str]:
    """The folders (``"a/cache"``) among those of ``paths`` (the tracked files, or the source files) that
    ``VENDORED_UNLESS_OWN`` names and that hold the repository's own code (see the module docstring). ``units``: the
    folders holding a build manifest (``components.build_units``)."""
    named = {unit for unit in units if VENDORED_UNLESS_OWN.match(unit + "/", unit.rfind("/") + 1)}
    match, search = VENDORED_UNLESS_OWN.match, VENDORED_UNLESS_OWN.search
    go_folders = set()
    in_sources: dict[str, int] = {}  # a folder below a ``src/`` holding code -> where the folders below ``src/`` begin
    for path in paths:
        cut = path.rfind("/")
        if cut <= 0:
            continue
        if path.endswith(".go"):
            go_folders.add(path[:cut + 1])
            continue
        # the name of the file's folder ("a/cache/x.go": "cache/"), matched where it begins
        if match(path, path.rfind("/", 0, cut) + 1) and detect_language(path) in CODE_LANGUAGES:
            named.add(path[:cut])
        if "src/" in path:
            # where the folders below the path's first src/ begin (-1: no src/ folder, "foosrc/" is none)
            source = 4 if path.startswith("src/") else (path.find("/src/") + 5 if "/src/" in path else -1)
            if 0 <= source <= cut and search(path, source, cut + 1) and detect_language(path) in CODE_LANGUAGES:
                in_sources[path[:cut + 1]] = source
    for folder in go_folders:  # every folder so named that holds Go code, or holds it below
        named.update(folder[:m.end() - 1] for m in VENDORED_UNLESS_OWN.finditer(folder))
    for folder, source in in_sources.items():  # every folder so named below a src/ that holds code below it
        named.update(folder[:m.end() - 1] for m in VENDORED_UNLESS_OWN.finditer(folder, source))
    return frozenset(named)
