"""Python module dependencies with tree-sitter, with grimp's semantics.

Three parts, each in its module:

* ``scan``: a byte scan for where imports can be, so tree-sitter parses only
  the statements that hold them;
* ``parse``: what counts as an import (``type_only`` under ``TYPE_CHECKING``,
  ``dynamic`` for ``import_module("lit")``), read from the tree;
* ``resolver``: module names (packages, source roots, setuptools'
  ``package-dir``) and import resolution over the whole repository.

``PythonLanguage`` joins them for the extraction driver.
"""

from __future__ import annotations

from cairn.ingest.code.base import Language, Layout, ParsedFile
from cairn.ingest.code.python.parse import extract_imports
from cairn.ingest.code.python.resolver import PROJECT_FILES, PythonResolver


class PythonLanguage(Language):
    name = "python"
    extensions = (".py",)  # grimp reads .py only; stubs would duplicate module names
    version = "4"  # 3: a nested project's modules are named apart; 4: files left without a module are noted

    def parse(self, path: str, source: bytes) -> ParsedFile:
        imports, errors = extract_imports(source)
        return ParsedFile(path, self.name, imports, syntax_errors=errors)

    def resolver(self, layout: Layout) -> "PythonResolver":
        return PythonResolver(layout)

    consulted_names = ("__init__.py", *PROJECT_FILES)

    def consults(self, path: str) -> bool:
        # the package directories and the nested projects (resolver)
        return path.rpartition("/")[2] in self.consulted_names

