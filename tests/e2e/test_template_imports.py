"""A scaffolding template a package copies into new projects is no part of its code (``graph.templates``).

tauri's ``crates/tauri-cli/templates/plugin/**`` (Rust with ``{{ plugin_name }}`` placeholders, an Android plugin in
Kotlin) made tauri-cli "depend on" ``tauri`` through 11 imports, listed ``java.io`` as its standard library, and
were 25 of the ingest's "files with syntax errors". The template stays the repository's files and modules; its
imports stay IMPORTS edges, and the component level leaves them out.
"""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.cli import cairn_process as cairn
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")




def crate(name: str, dependencies: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = "1.0.0"\nedition = "2021"\n\n[dependencies]\n{dependencies}'


PLUGIN_TEMPLATE = """use tauri::{
  plugin::{Builder, TauriPlugin},
  Runtime,
};

pub fn init<R: Runtime>() -> TauriPlugin<R> {
  Builder::new("{{ plugin_name }}").build()
}

pub struct {{ plugin_name_pascal_case }}<R: Runtime>(R);
"""
ANDROID_TEMPLATE = """package {{android_package_id}}

import java.io.File
import app.tauri.plugin.Plugin

class ExamplePlugin : Plugin()
"""


def tauri_like(root: Path) -> GitRepo:
    """A Cargo workspace as tauri's: ``tauri`` the library, ``tauri-cli`` a command line that does not depend on it
    and holds the plugin template ``tauri plugin new`` copies, which imports ``tauri``."""
    repo = GitRepo(root)
    repo.commit({
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
        "crates/tauri-utils/Cargo.toml": crate("tauri-utils"),
        "crates/tauri-utils/src/lib.rs": "pub mod config;\n",
        "crates/tauri-utils/src/config.rs": "pub struct Config;\n",
        "crates/tauri/Cargo.toml": crate("tauri", 'tauri-utils = { path = "../tauri-utils" }\n'),
        "crates/tauri/src/lib.rs": "pub mod plugin;\npub trait Runtime {}\n",
        "crates/tauri/src/plugin.rs": "pub struct Builder;\npub struct TauriPlugin<R>(R);\n",
        "crates/tauri-cli/Cargo.toml": crate("tauri-cli", 'clap = "4"\ntauri-utils = { path = "../tauri-utils" }\n'),
        "crates/tauri-cli/src/main.rs": "mod build;\nmod dev;\nmod plugin;\nuse clap::Parser;\n\n"
                                        "fn main() { plugin::new(); }\n",
        "crates/tauri-cli/src/build.rs": "use tauri_utils::config::Config;\n\npub fn build(_: Config) {}\n",
        "crates/tauri-cli/src/dev.rs": "use tauri_utils::config::Config;\n\npub fn dev(_: Config) {}\n",
        "crates/tauri-cli/src/plugin.rs": "use std::fs;\n\npub fn new() { fs::create_dir_all(\"plugin\").ok(); }\n",
        "crates/tauri-cli/templates/plugin/Cargo.crate-manifest": crate("tauri-plugin-{{ plugin_name }}",
                                                                           'tauri = "2"\n'),
        "crates/tauri-cli/templates/plugin/src/lib.rs": PLUGIN_TEMPLATE,
        "crates/tauri-cli/templates/plugin/src/commands.rs": "use tauri::{command, Runtime};\n\n#[command]\n"
                                                              "pub fn ping<R: Runtime>() -> {{ return_type }} {}\n",
        "crates/tauri-cli/templates/plugin/android/src/main/java/ExamplePlugin.kt": ANDROID_TEMPLATE,
    }, author=ADA)
    return repo


def test_a_packages_scaffolding_template_is_no_part_of_its_code(tmp_path):
    repo = tauri_like(tmp_path / "tauri")
    store = tmp_path / "store"
    ingest = cairn("ingest", str(repo.root), "--store", str(store))
    # the placeholders are no syntax errors of the code
    assert "syntax errors" not in ingest.stdout, ingest.stdout
    components = {c["name"]: c for c in json.loads(cairn("components", "--store", str(store), "--format", "json")
                                                   .stdout)["components"]}
    assert {"tauri", "tauri-cli"} <= components.keys()
    assert components["tauri-cli"]["depends_on"] == ["tauri-utils"] and components["tauri"]["used_by"] == []
    card = json.loads(cairn("explore", "tauri-cli", "--store", str(store), "--format", "json").stdout)
    assert [row["component"] for row in card["depends_on"]] == ["tauri-utils"]
    assert "java.io" not in json.dumps(card)
    # the template is still the component's files, and its imports are still there, module to module
    edges = json.loads(cairn("deps", "--store", str(store), "--format", "json").stdout)["edges"]
    assert {(e["source"], e["target"]) for e in edges if e["target"].startswith("crates/tauri/")} >= {
        ("crates/tauri-cli/templates/plugin/src/lib.rs", "crates/tauri/src/plugin.rs")}
