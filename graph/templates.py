"""Which repository files are a scaffolding template: files a generator copies into another project.

``tauri plugin new`` copies ``crates/tauri-cli/templates/plugin/**`` (Rust with ``{{ plugin_name }}`` in it, a guest
``index.ts``, an Android plugin in Kotlin) into a new project; ``npm create vite`` copies
``packages/create-vite/template-react/``; ``wagtail start`` ``wagtail/project_template/``; ``scrapy startproject``
``scrapy/templates/project/``; cookiecutter, cargo-generate and copier a folder named ``{{cookiecutter.project_slug}}``.
Such files are the generator's data, read and written out, never compiled into the package that holds them: what they
import is what the new project will need (tauri-cli "depended on" ``tauri`` through 11 imports of its plugin template,
and its card listed Kotlin's ``java.io``), and the placeholders they hold are no syntax errors of the package's code.
So a template's imports make no component dependency of a component that also holds other code
(``graph.testcode.tests_beside_code``, as a test's or a build configuration's), and a template's syntax errors are
not reported after an ingest. The files stay the repository's files and modules: people maintain templates, and
ownership, hotspots and reviewers see them as they are.

A path is a template when a folder on it is named as a template folder (``is_template``):

* ``templates`` (tauri-cli's, scrapy's), ``template-*`` / ``templates-*`` / ``template_*`` (create-vite's
  ``template-react``, ``template-vue-ts`` …), ``*-template`` / ``*_template`` (wagtail's and Django's
  ``project_template``, react-router's ``integration/helpers/vite-7-template`` its integration tests copy), or a
  name holding a placeholder's ``{{`` or ``{%`` (cookiecutter, cargo-generate, copier);
* ``template``, except directly in a ``src/`` folder, where it is a module of the package (vector's
  ``src/template/``, Vue's ``compiler-sfc/src/template/``), and except for Python, whose ``template`` folder is a
  package (Django's template engine ``django/template/``); guardian/cdk's ``new-project/template/`` and Vue's
  playground ``download/template/`` are templates.

Nor is a folder directly in ``examples/`` or ``docs_src/``, nor what is below it: a sample named by the feature it
shows (axum's ``examples/templates/``, a crate rendering minijinja templates; FastAPI's tutorial
``docs_src/templates/``).

A Go file is never one: ``go build ./...`` compiles every folder as a package, so a Go folder named so is a package
(prometheus' ``template/``, caddy's ``modules/caddyhttp/templates/``, gopls' ``internal/template/``) and Go
generators keep their templates in ``.tmpl`` files. A ``*-templates`` folder is not one either: gson's
``src/main/java-templates/`` is Maven's filtered sources, compiled into the jar.

Known reach: a Django app's ``templates/`` holds HTML, no code, except Storybook stories beside it (wagtail's
``wagtail/admin/templates/**/*.stories.tsx``), whose imports, like a test's, are no dependency of the code either;
a package named so as a whole (Vue's ``packages-private/template-explorer/``) is a component of templates alone and
keeps its imports. Judged from the path alone: no file is opened.
"""

from __future__ import annotations

import re

_TEMPLATE_FOLDER = re.compile(r"templates|templates?[-_].*|.*[-_]template|.*(?:\{\{|\{%).*")
#: The folders whose folders are samples named by the feature they show.
_SAMPLES = frozenset({"examples", "docs_src"})


def is_template(path: str) -> bool:
    """Whether the repository path ``path`` (POSIX, relative) is a file of a scaffolding template (see the module
    docstring)."""
    # (asked of every module: a path without the words is screened out in C)
    if "emplate" not in path and "{" not in path or path.endswith(".go"):
        return False
    *folders, _ = path.split("/")
    for at, folder in enumerate(folders):
        parent = folders[at - 1] if at else ""
        if folder == "template":
            if parent != "src" and not path.endswith(".py"):
                return parent not in _SAMPLES
        elif _TEMPLATE_FOLDER.fullmatch(folder):
            return parent not in _SAMPLES
    return False
