"""JavaScript and TypeScript module dependencies with tree-sitter.

One language covers ``.js .jsx .mjs .cjs`` (tree-sitter-javascript, which also
reads JSX) and ``.ts .mts .cts`` / ``.tsx`` (tree-sitter-typescript's two
grammars), because JS and TS files import each other and need one resolver.
``ParsedFile.language`` says ``"javascript"`` or ``"typescript"`` per file.

The parts, each in its module:

* ``parse``: what counts as an import (and whether it is ``type_only`` or
  ``dynamic``), read from tree-sitter's tree;
* ``jsdoc``: the type imports a JavaScript file's JSDoc writes;
* ``specifiers``: paths, extensions, package.json ``exports`` maps and npm
  package names (``external_package``);
* ``project``: tsconfig/jsconfig ``paths``/``baseUrl``, package.json and
  workspaces;
* ``resolver``: a specifier to a repository file or an external package.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from cairn.graph.lazy_exports import lazy_exports
from cairn.ingest.code.base import Language, Layout, ParsedFile
from cairn.ingest.code.javascript.parse import JS_EXTENSIONS, TS_EXTENSIONS, extract_imports, is_declaration_file

if TYPE_CHECKING:
    from cairn.ingest.code.javascript.resolver import JavaScriptResolver
    from cairn.ingest.code.javascript.specifiers import external_package

__all__ = ["JavaScriptLanguage", "JavaScriptResolver", "external_package"]
# the resolver (with the project files' and specifiers' rules) is imported when first asked for: every ingest imports
# the languages, and most repositories have no JavaScript
__getattr__ = lazy_exports(__name__, {"JavaScriptResolver": ".resolver", "external_package": ".specifiers"})


class JavaScriptLanguage(Language):
    name = "javascript"
    extensions = JS_EXTENSIONS + TS_EXTENSIONS
    # 2: TypeScript 5's ``export type *`` and a JSX attribute's ``&`` are no syntax error (files cached by 1: parsed again)
    # 3: JSDoc's type imports are read (files cached by 2: parsed again); 4: a declaration file's imports are type_only;
    # 5: a declaration file's parse is cached apart from another file's of the same content (``parse_variant``)
    version = "5"

    def parse_variant(self, path: str) -> str:
        # a declaration file's imports are type_only: sveltejs/kit's expected index.d.ts, index.js and index.ts of a
        # test fixture are one blob, and an incremental ingest took the .ts file's parse for the .d.ts
        return ".d" if is_declaration_file(path) else ""

    def parse(self, path: str, source: bytes) -> ParsedFile:
        imports, errors = extract_imports(path, source)
        language = "typescript" if PurePosixPath(path).suffix in TS_EXTENSIONS else "javascript"
        return ParsedFile(path, language, imports, syntax_errors=errors)

    def resolver(self, layout: Layout) -> "JavaScriptResolver":
        from cairn.ingest.code.javascript.resolver import JavaScriptResolver

        return JavaScriptResolver(layout)
