"""Which paths are a scaffolding template's (``graph.templates.is_template``), on the mirrors' own paths."""

from __future__ import annotations

import pytest

from cairn.graph.templates import is_template


@pytest.mark.parametrize("path", [
    "crates/tauri-cli/templates/plugin/src/lib.rs",  # tauri plugin new
    "crates/tauri-cli/templates/plugin/android/src/main/java/ExamplePlugin.kt",
    "packages/create-vite/template-react-ts/src/main.tsx",  # npm create vite
    "wagtail/project_template/home/models.py",  # wagtail start
    "scrapy/templates/project/module/spiders/__init__.py",  # scrapy startproject
    "{{cookiecutter.project_slug}}/src/app.py",  # cookiecutter
    "src/bin/commands/new-project/template/jest.setup.js",  # guardian/cdk
    "packages-private/sfc-playground/src/download/template/main.js",  # Vue playground's download
    "integration/helpers/vite-7-template/app/root.tsx",  # react-router's integration tests copy it
    "components/support/nimbus-fml/src/backends/kotlin/templates/EnumTemplate.kt",  # askama templates
])
def test_a_folder_a_generator_copies_is_a_template(path):
    assert is_template(path)


@pytest.mark.parametrize("path", [
    "template/template.go",  # prometheus' package
    "modules/caddyhttp/templates/templates.go",  # caddy's module
    "src/template/mod.rs",  # vector's module
    "packages/compiler-sfc/src/template/transformAssetUrl.ts",  # Vue's compiler
    "django/template/base.py",  # Django's template engine
    "gson/src/main/java-templates/com/google/gson/internal/GsonBuildConfig.java",  # Maven's filtered sources
    "examples/templates/src/main.rs",  # axum's example of templates
    "docs_src/templates/tutorial001_py310.py",  # FastAPI's tutorial
    "docs_src/templates/templates/__init__.py",
    "crates/tauri-cli/src/helpers/template.rs",
])
def test_code_named_so_is_no_template(path):
    assert not is_template(path)
