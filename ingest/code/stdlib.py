"""Which external packages are a language's standard library.

An import of ``os`` or ``net/http`` is an external dependency like
``requests``, but not one anybody installs: the graph marks such
ExternalPackage nodes ``stdlib = true`` so outputs can group them apart.

* Python (``pypi``): the top-level name is in ``sys.stdlib_module_names``
  (the running interpreter's list, 3.10+), or is ``_typeshed``, the standard
  library's typing-only module (imported under ``TYPE_CHECKING``, never installed).
* JavaScript/TypeScript (``npm``): Node built-ins, which the resolver already
  names ``node:<name>`` however they are written (``fs``, ``node:fs/promises``),
  and Bun's ``bun:`` modules.
* Go (``go``): an import path whose first element has no dot (``fmt``,
  ``net/http``); the go tool reserves those for the standard library.
* Java (``maven``): ``java.*``, ``jdk.*``, the JDK's own ``javax`` packages
  (``javax.swing``, ``javax.xml``, ``javax.crypto`` …, not Jakarta EE's
  ``javax.inject`` or ``javax.servlet``) and the XML/GSS APIs the JDK ships
  (``org.w3c``, ``org.xml``, ``org.ietf``), and Kotlin's standard library ``kotlin.*`` (not ``kotlinx.*``: the
  coroutines, serialization … libraries are dependencies like any other; nor ``android.*``).
* Rust (``cargo``): the crates the toolchain ships, ``std``, ``core``, ``alloc``, ``proc_macro`` and ``test``.
"""

from __future__ import annotations

import sys

PYTHON_STDLIB = frozenset(sys.stdlib_module_names) | {"_typeshed"}
JAVA_STDLIB_ROOTS = ("java.", "jdk.", "kotlin.")
#: The two-segment groups (see ``java.external_group``) of javax packages that ship with the JDK.
JAVA_STDLIB_GROUPS = frozenset({
    "javax.accessibility", "javax.crypto", "javax.imageio", "javax.lang", "javax.management", "javax.naming",
    "javax.net", "javax.print", "javax.rmi", "javax.script", "javax.security", "javax.smartcardio", "javax.sound",
    "javax.sql", "javax.swing", "javax.tools", "javax.xml", "org.w3c", "org.xml", "org.ietf",
})
RUST_STANDARD_CRATES = frozenset({"std", "core", "alloc", "proc_macro", "test"})


def is_standard_library(name: str, ecosystem: str) -> bool:
    """Whether the external package ``name`` of ``ecosystem`` (pypi, npm, go, maven, cargo) is a standard library one."""
    if ecosystem == "pypi":
        return name.partition(".")[0] in PYTHON_STDLIB
    if ecosystem == "npm":
        return name.startswith(("node:", "bun:"))
    if ecosystem == "go":
        first = name.split("/", 1)[0]
        return bool(first) and "." not in first
    if ecosystem == "maven":
        return name in ("java", "jdk", "kotlin") or name.startswith(JAVA_STDLIB_ROOTS) or name in JAVA_STDLIB_GROUPS
    if ecosystem == "cargo":
        return name in RUST_STANDARD_CRATES
    return False
