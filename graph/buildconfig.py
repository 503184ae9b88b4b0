"""Which repository files are a build or test tool's configuration, by the names those tools look for.

Such a file says how a package is built, bundled, tested, linted or served; it
is no part of the package's code, and what it imports is what the build needs,
not what the code does: trpc's ``packages/*/tsdown.config.ts`` import
``../../scripts/entrypoints.js``, and every package "depended on" ``scripts``.
A component dependency leaves its imports out as it does a test's
(``graph.testcode``); the module keeps its IMPORTS edges.

Judged from the file name alone (at any depth; no file is opened), by the name
each tool reads its configuration from:

* JavaScript and TypeScript (``.js``, ``.cjs``, ``.mjs``, ``.ts``, ``.cts``,
  ``.mts``, ``.jsx``, ``.tsx``): ``TOOL.config.EXT`` (``vite.config.ts``), also
  with a variant before or after ``config`` (``rollup.dts.config.js``, vite's
  playground ``vite.terser.config.js``; dotcom-rendering's
  ``webpack.config.client.js``, react-router's shared ``jest.config.shared.js``),
  for the tools of ``CONFIGURED_TOOLS``
  — bundlers and builders (tsdown, tsup, vite, rollup, rolldown, webpack, rspack,
  rsbuild, babel, unbuild's ``build.config.ts``), test runners (vitest, jest,
  playwright, cypress), linters and formatters (eslint, prettier, stylelint,
  commitlint, lint-staged, knip), CSS processors (postcss, tailwind, unocss),
  frameworks' build and dev servers (next, nuxt, svelte, astro, remix,
  react-router, docusaurus, vue-cli's ``vue.config.js``, metro), and
  drizzle-kit; ``TOOL.conf.js`` for karma and WebdriverIO (``karma.conf.js``,
  ``wdio.conf.js``); the dotfiles of eslint, prettier, babel, mocha and
  lint-staged (``.eslintrc.js``, ``.prettierrc.cjs``, ``.babelrc.js``,
  ``.mocharc.js``, ``.lintstagedrc.mjs``); Gatsby's ``gatsby-config.js``; gulp's
  ``gulpfile.js`` and Grunt's ``Gruntfile.js``. A ``config.ts`` of another name
  is code (an Angular ``app.config.ts`` provides the application's services;
  ``src/config.ts`` is the program's settings), and so is any other ``*.config.*``.
* Python: setuptools' ``setup.py`` (it often imports the package for its
  version: ``from wagtail import __version__``), nox's ``noxfile.py`` and
  Hatch's build hook ``hatch_build.py``. Not invoke's ``tasks.py`` (Celery's
  and Django apps' ``tasks.py`` are code), nor Sphinx's ``conf.py``
  (``wagtail/api/conf.py`` is code); pytest's ``conftest.py`` is a test
  (``graph.testcode``).
* Rust: Cargo's build script ``build.rs``, but not in a ``src/`` directory,
  where it is a module of the crate like any other (uv's
  ``crates/uv-pypi-types/src/build.rs``): a package's build script sits beside
  its ``Cargo.toml``.

Go and the JVM languages have none: a Go build is its packages' code, and
Gradle's ``.kts`` scripts are no module.
"""

from __future__ import annotations

import re

#: The tools read from ``TOOL.config.EXT`` (or ``TOOL.VARIANT.config.EXT``, ``TOOL.config.VARIANT.EXT``) in JavaScript
#: or TypeScript.
CONFIGURED_TOOLS = ("tsdown", "tsup", "vite", "vitest", "rollup", "rolldown", "webpack", "rspack", "rsbuild", "babel",
                    "build", "jest", "playwright", "cypress", "eslint", "prettier", "stylelint", "commitlint",
                    "lint-staged", "knip", "postcss", "tailwind", "uno", "next", "nuxt", "svelte", "astro", "remix",
                    "react-router", "docusaurus", "vue", "metro", "drizzle")

#: The Python build tools' files, by name.
PYTHON_BUILD_CONFIGS = frozenset({"setup.py", "noxfile.py", "hatch_build.py"})

_SCRIPT = r"\.[cm]?[jt]sx?"
_BUILD_CONFIG = re.compile(
    rf"(?:(?:{'|'.join(map(re.escape, CONFIGURED_TOOLS))})(?:\.[\w-]+)?\.config(?:\.[\w-]+)?{_SCRIPT}"
    rf"|(?:karma|wdio)\.conf{_SCRIPT}"
    rf"|\.(?:eslintrc|prettierrc|babelrc|mocharc|lintstagedrc){_SCRIPT}"
    rf"|gatsby-config{_SCRIPT}|[gG]ulpfile{_SCRIPT}|Gruntfile{_SCRIPT}"
    rf"|{'|'.join(map(re.escape, sorted(PYTHON_BUILD_CONFIGS)))}"
    r"|build\.rs)$"
)


#: The names ``_BUILD_CONFIG`` matches that hold none of the words every other one does (``conf``, ``rc.``, ``file.``).
_UNSCREENED = ("setup.py", "hatch_build.py", "build.rs")


def is_build_config(path: str) -> bool:
    """Whether the repository path ``path`` (POSIX, relative) is a build or test tool's configuration."""
    # (asked of every JavaScript module: a path without the words a configuration's name holds is screened out in
    # C, 8 ms at 50k paths against 12 ms)
    if "conf" not in path and "rc." not in path and "file." not in path and not path.endswith(_UNSCREENED):
        return False
    folder, _, name = path.rpartition("/")
    if not _BUILD_CONFIG.match(name):
        return False
    return name != "build.rs" or "src" not in folder.split("/")
