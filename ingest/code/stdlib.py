"""Which external packages are a language's standard library.

An import of ``os`` or ``net/http`` is an external dependency like
``requests``, but not one anybody installs: the graph marks such
ExternalPackage nodes ``stdlib = true`` so outputs can group them apart.

* Python (``pypi``): the top-level name is in the standard library of some
  Python 3 still in use, whichever Cairn runs on (``sys.stdlib_module_names``
  and ``PYTHON_STDLIB_ELSEWHERE``: 3.14's ``compression`` under 3.11 was a PyPI
  package in mitmproxy's graph, 3.12's removed ``asyncore`` would be one under
  3.13), or is ``_typeshed``, the standard library's typing-only module
  (imported under ``TYPE_CHECKING``, never installed).
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

#: Standard-library modules of the Pythons from 3.11 on that another one lacks: added by 3.14 (PEP 749's
#: ``annotationlib``, PEP 784's ``compression``), removed by 3.12 (PEP 632's ``distutils``, ``imp``, ``asyncore``,
#: ``asynchat``, ``smtpd``) and by 3.13 (PEP 594's dead batteries, ``lib2to3``). An import means the same module
#: whichever interpreter runs Cairn.
PYTHON_STDLIB_ELSEWHERE = frozenset({
    "annotationlib", "compression",
    "asynchat", "asyncore", "distutils", "imp", "smtpd",
    "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib", "nis", "nntplib",
    "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
})
PYTHON_STDLIB = frozenset(sys.stdlib_module_names) | PYTHON_STDLIB_ELSEWHERE | {"_typeshed"}
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
