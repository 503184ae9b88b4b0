"""JavaScript/TypeScript specifiers and package names: paths, extensions, ``exports`` maps, npm names.

The small pure functions the resolver and the project-file reader share:
joining and probing paths below the repository root, which extensions stand
for which (TypeScript's ``./x.js`` → ``x.ts``), the targets of a package.json
``exports`` / ``imports`` map (conditions in a fixed order, ``*`` wildcards),
workspace globs, and the external package a bare specifier names
(``lodash/fp`` → ``lodash``, ``fs`` → ``node:fs``).
"""

from __future__ import annotations

import posixpath
import re

from cairn.ingest.code.javascript.parse import JS_EXTENSIONS, TS_EXTENSIONS

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

NODE_BUILTINS = frozenset(
    """assert async_hooks buffer child_process cluster console constants crypto dgram
    diagnostics_channel dns domain events fs http http2 https inspector module net os path
    perf_hooks process punycode querystring readline repl stream string_decoder sys timers
    tls trace_events tty url util v8 vm wasi worker_threads zlib""".split()
)


def join(directory: str, relative: str) -> str | None:
    """``directory``/``relative`` normalised, repository-relative ("" is the root); None above the root."""
    joined = posixpath.normpath(posixpath.join(directory, relative)) if directory else posixpath.normpath(relative)
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def parent(path: str) -> str:
    return path.rpartition("/")[0]


def ancestors(directory: str):
    """``directory`` and every directory above it, up to the root ("")."""
    while True:
        yield directory
        if not directory:
            return
        directory = parent(directory)


def strip_js_extension(path: str) -> str:
    for suffix in DECLARATION_SUFFIXES + JS_EXTENSIONS + TS_EXTENSIONS:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def is_relative(spec: str) -> bool:
    return spec in (".", "..") or spec.startswith("./") or spec.startswith("../")


def wildcard_match(pattern: str, text: str) -> str | None:
    """What ``*`` stands for when ``pattern`` (one ``*`` at most) matches ``text``; None if it does not."""
    star = pattern.find("*")
    if star < 0:
        return "" if pattern == text else None
    prefix, suffix = pattern[:star], pattern[star + 1 :]
    if len(text) >= len(prefix) + len(suffix) and text.startswith(prefix) and text.endswith(suffix):
        return text[len(prefix) : len(text) - len(suffix)]
    return None


def condition_targets(value) -> list[str]:
    """Every target string of a package.json ``exports``/``imports`` value, preferred conditions first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in condition_targets(v)]
    if isinstance(value, dict):
        keys = [k for k in CONDITION_ORDER if k in value] + [k for k in value if k not in CONDITION_ORDER]
        return [t for k in keys for t in condition_targets(value[k])]
    return []


def subpath_targets(mapping, key: str) -> list[str]:
    """Targets for ``key`` (``"."``, ``"./sub"``, ``"#x"``) in an ``exports``/``imports`` map, wildcards substituted."""
    if isinstance(mapping, (str, list)):
        return condition_targets(mapping) if key == "." else []
    if not isinstance(mapping, dict):
        return []
    if not any(k.startswith(".") or k.startswith("#") for k in mapping):
        return condition_targets(mapping) if key == "." else []  # conditions only: the "." entry
    if key in mapping:
        return condition_targets(mapping[key])
    best: tuple[int, str, str] | None = None  # (prefix length, pattern, matched part)
    for pattern in mapping:
        if "*" not in pattern:
            continue
        matched = wildcard_match(pattern, key)
        if matched is not None and (best is None or pattern.index("*") > best[0]):
            best = (pattern.index("*"), pattern, matched)
    if best is None:
        return []
    return [t.replace("*", best[2]) for t in condition_targets(mapping[best[1]])]


def glob_regex(pattern: str) -> re.Pattern:
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
        name = package_name(spec)
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
    name = package_name(spec)
    return "node:" + name if name in NODE_BUILTINS else name


def package_name(spec: str) -> str:
    parts = spec.split("/")
    if spec.startswith("@") and len(parts) >= 2:
        return parts[0] + "/" + parts[1]
    return parts[0]

