"""Rust's modules and imports (``ingest.code.rust``) on real git repositories of Cargo workspaces built here: each
resolution rule has an import below that would resolve elsewhere (or not at all) if the rule broke."""

from __future__ import annotations

import pytest

from cairn.ingest.code.rust import RustLanguage
from cairn.ingest.code.rust.parse import EXTERN, MOD, PATH, TESTS, extract
from cairn.ingest.code.stdlib import is_standard_library
from fixtures import language_harness

EXT = True
INT = False
TEXT = "crates/text/src"
APP = "crates/app/src"

WORKSPACE = {
    "Cargo.toml": ('[workspace]\nmembers = ["crates/*", "legacy"]\n\n[workspace.package]\nedition = "2021"\n\n'
                   '[workspace.dependencies]\nwords = { package = "acme-text", path = "crates/text" }\n'),
    "crates/text/Cargo.toml": ('[package]\nname = "acme-text"\nedition.workspace = true\n\n'
                               '[dependencies]\nserde = "1"\n\n[dev-dependencies]\ntempfile = "3"\n'),
    f"{TEXT}/lib.rs": (
        "pub mod lines;\n"  # a child declared: no edge
        "mod util;\n"
        "pub use lines::Line;\n"  # a first name declared in scope (2018): the child; a re-export counts
        "pub use self::util::*;\n"  # a glob: the module it globs
        "#[cfg(test)]\n"
        "mod tests {\n    use super::*;\n    use tempfile::TempDir;\n    use crate::lines::Line;\n}\n"
        "#[cfg(all(test, not(loom)))]\nmod loom_tests;\n"  # a file of unit tests: its imports are the tests'
        "#[cfg(any(test, fuzzing))]\nuse crate::util::helpers;\n"  # also compiled without tests: counts
        "cfg_gated! {\n    pub mod gated;\n}\n"  # a module declared in a macro (tokio's cfg_fs!): not read
    ),
    f"{TEXT}/gated/mod.rs": "#[cfg(test)]\nmod a_tests;\nuse crate::lines::Line;\n",  # its own mods are followed
    f"{TEXT}/gated/a_tests.rs": "use crate::lines::Line;\nuse serde::Serialize;\n",  # (unit tests: no edge)
    f"{TEXT}/loom_tests.rs": "mod model;\nuse tempfile::TempDir;\nuse crate::lines::Line;\n",
    f"{TEXT}/loom_tests/model.rs": "use crate::util::helpers::trim;\n",  # a child of unit tests: theirs too
    f"{TEXT}/lines.rs": (
        "use crate::util::helpers::trim;\n"  # crate:: and the longest module prefix (an item inside its module)
        "use serde::Serialize;\n"  # a dependency: external, named by its crate
        "use std::{fmt, io::{self, Write}};\n"  # nested groups: one standard-library crate
        "pub struct Line;\n"
        "impl fmt::Display for Line {}\n"  # a name in scope (`fmt`), not a crate: nothing
    ),
    f"{TEXT}/util/mod.rs": (
        "pub mod helpers;\n"
        "use super::lines::Line as L;\n"  # super:: from util/, an `as` rename
        "use self::helpers::trim;\n"  # self:: from util/
    ),
    f"{TEXT}/util/helpers.rs": (
        "pub fn trim() {}\n"
        "fn f() {\n    crate::lines::Line::new();\n"  # a path in code
        "    super::super::Line::default();\n}\n"  # two supers: the crate's root
        "use super::super::super::Outside;\n"  # above the crate's root: nothing
        "use util::Y;\n"  # Rust 2021 (the workspace's edition): no crate `util`, nothing (2015: crate::util)
    ),
    "crates/text/tests/roundtrip.rs": "use acme_text::lines::Line;\n",  # a workspace library by its crate name
    "crates/text/benches/speed.rs": "extern crate test;\nuse acme_text::Line;\n",
    "crates/app/Cargo.toml": ('[package]\nname = "acme-app"\nedition = "2018"\n\n[[bin]]\nname = "acme"\n'
                              'path = "src/cli.rs"\n\n[dependencies]\nwords.workspace = true\nlog = "0.4"\n'),
    f"{APP}/cli.rs": (
        "mod commands;\n"
        '#[path = "platform/unix.rs"]\nmod platform;\n'
        "use words::Line;\n"  # a dependency renamed (in the workspace) to a workspace package
        "use commands::run;\n"
        "pub struct Thing;\n"
        "fn main() {\n    log::info!(\"x\");\n"  # a macro path of a dependency
        "    ::acme_text::lines::Line;\n"  # `::name`: a crate
        "    io::stdout();\n}\n"  # not a crate: nothing
    ),
    f"{APP}/commands/mod.rs": (
        "use crate::platform::open;\n"  # a #[path] module
        "use super::Thing;\n"  # super:: of a binary's module: the binary's root
        "mod inner {\n    use super::super::platform;\n}\n"  # supers counted through an inline module
        "pub fn run() {}\n"
    ),
    f"{APP}/platform/unix.rs": "pub fn open() {}\n",
    f"{APP}/orphan.rs": "use crate::commands;\nuse crate::extra::Z;\n",  # no `mod` reaches it: placed by its path
    f"{APP}/extra/mod.rs": "",  # likewise: crate::extra
    "legacy/Cargo.toml": '[package]\nname = "legacy"\n\n[dependencies]\nregex = "1"\n',  # no edition: 2015
    "legacy/src/lib.rs": "extern crate regex as re;\nmod parser;\nmod ast;\nuse re::Regex;\n",
    "legacy/src/parser.rs": "use ast::Node;\n",  # 2015: a `use` path starts at the crate's root
    "legacy/src/ast.rs": "pub struct Node;\n",
    "legacy/src/main.rs": "mod cli;\npub struct Args;\nfn main() {}\n",  # a binary beside the library
    "legacy/src/cli.rs": "use crate::Args;\n",  # of the binary's crate (its `mod`), not the library's
    "scripts/gen.rs": "use serde_json::Value;\nuse crate::x::Y;\n",  # in no package
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return language_harness.committed(tmp_path_factory.mktemp("rust") / "repo", WORKSPACE, RustLanguage())


def test_a_rust_module_is_its_file(workspace):
    resolver, parsed = workspace
    assert {p: resolver.module_of(p) for p in parsed} == {p: p for p in WORKSPACE if p.endswith(".rs")}


def test_each_path_resolves_to_the_file_of_its_longest_module_prefix_or_its_crate(workspace):
    resolver, parsed = workspace
    assert language_harness.edges(resolver, parsed, with_kind=False) == {
        (f"{TEXT}/lib.rs", f"{TEXT}/lines.rs", INT),
        (f"{TEXT}/lib.rs", f"{TEXT}/util/mod.rs", INT),
        (f"{TEXT}/lib.rs", f"{TEXT}/util/helpers.rs", INT),
        (f"{TEXT}/gated/mod.rs", f"{TEXT}/lines.rs", INT),
        (f"{TEXT}/lines.rs", f"{TEXT}/util/helpers.rs", INT),
        (f"{TEXT}/lines.rs", "serde", EXT),
        (f"{TEXT}/lines.rs", "std", EXT),
        (f"{TEXT}/util/mod.rs", f"{TEXT}/lines.rs", INT),
        (f"{TEXT}/util/mod.rs", f"{TEXT}/util/helpers.rs", INT),
        (f"{TEXT}/util/helpers.rs", f"{TEXT}/lines.rs", INT),
        (f"{TEXT}/util/helpers.rs", f"{TEXT}/lib.rs", INT),
        ("crates/text/tests/roundtrip.rs", f"{TEXT}/lines.rs", INT),
        ("crates/text/benches/speed.rs", "test", EXT),
        ("crates/text/benches/speed.rs", f"{TEXT}/lib.rs", INT),
        (f"{APP}/cli.rs", f"{TEXT}/lib.rs", INT),
        (f"{APP}/cli.rs", f"{APP}/commands/mod.rs", INT),
        (f"{APP}/cli.rs", "log", EXT),
        (f"{APP}/cli.rs", f"{TEXT}/lines.rs", INT),
        (f"{APP}/commands/mod.rs", f"{APP}/platform/unix.rs", INT),
        (f"{APP}/commands/mod.rs", f"{APP}/cli.rs", INT),
        (f"{APP}/orphan.rs", f"{APP}/commands/mod.rs", INT),
        (f"{APP}/orphan.rs", f"{APP}/extra/mod.rs", INT),
        ("legacy/src/cli.rs", "legacy/src/main.rs", INT),
        ("legacy/src/lib.rs", "regex", EXT),
        ("legacy/src/parser.rs", "legacy/src/ast.rs", INT),
        ("scripts/gen.rs", "serde_json", EXT),
    }


def test_the_lines_of_an_import_are_where_it_is_written(workspace):
    resolver, parsed = workspace
    lines = {(imp.target, imp.line) for imp in resolver.resolve(parsed[f"{APP}/commands/mod.rs"])}
    assert lines == {(f"{APP}/platform/unix.rs", 1), (f"{APP}/cli.rs", 2), (f"{APP}/platform/unix.rs", 4)}
    # `extern crate regex as re;` and `use re::Regex;` (the alias): both the crate regex
    assert [(i.target, i.line) for i in resolver.resolve(parsed["legacy/src/lib.rs"])] == [("regex", 1), ("regex", 4)]


def test_what_a_file_says_read_from_its_tree():
    imports, errors = extract(WORKSPACE[f"{TEXT}/lib.rs"].encode())
    assert errors == 0
    assert [(i.spec, i.line, i.level, i.names) for i in imports] == [
        ("lines", 1, 0, (MOD,)), ("util", 2, 0, (MOD,)),
        ("self::lines::Line", 3, 0, ()), ("self::util::*", 4, 0, ()),
        ("loom_tests", 12, 0, (MOD, "", TESTS)), ("crate::util::helpers", 14, 0, ()),
    ]  # the #[cfg(test)] module's use lines are left out
    imports, _ = extract(WORKSPACE[f"{APP}/commands/mod.rs"].encode() + b"fn g() { super::x::f(); Self::g(); }\n")
    assert [(i.spec, i.level, i.names) for i in imports] == [
        ("crate::platform::open", 0, ()), ("self::Thing", 1, ()), ("self::platform", 1, ()), ("self::x::f", 1, (PATH,))]
    imports, _ = extract(b'extern crate regex as re;\nextern crate self as me;\n#[path = "a/b.rs"]\nmod x;\n'
                         b"mod outer { mod inner; }\nuse ::{a, b::*};\nuse Kind::*;\nenum Kind { A }\nuse r#type::r#fn;\n")
    assert [(i.spec, i.names) for i in imports] == [
        ("regex", (EXTERN, "re")), ("x", (MOD, "a/b.rs")), ("outer::inner", (MOD,)), ("::a", ()), ("::b::*", ()),
        ("self::Kind::*", ()),  # an item of the file: itself
        ("type::fn", ())]  # raw identifiers without their r#


def test_items_compiled_for_tests_alone_are_left_out():
    source = (b"#[cfg(all(loom, test))]\nuse a::one;\n#[cfg( test )]\nuse a::two;\n#[cfg(all(test))]\nuse a::three;\n"
              b"#[cfg(not(all(loom, test)))]\nuse b::one;\n#[cfg(any(test, fuzzing))]\nuse b::two;\n"
              b"#[cfg(feature = \"test\")]\nuse b::three;\n#[cfg(not(test))]\nuse b::four;\n"
              b"#[cfg(all(unix, feature = \"test\"))]\nuse b::five;\n#[cfg(all(unix, any(loom, test, miri)))]\nuse b::six;\n")
    assert [i.spec for i in extract(source)[0]] == ["b::one", "b::two", "b::three", "b::four", "b::five", "b::six"]


def test_a_broken_or_deeply_nested_file_costs_its_size_and_still_gives_what_it_can():
    imports, errors = extract(b"use std::io;\nfn f( {\nuse crate::a::B;\n")
    assert errors > 0 and ("std::io", 1) in {(i.spec, i.line) for i in imports}
    deep = b"use a::" + b"{b::" * 5000 + b"c" + b"}" * 5000 + b";\n"  # no recursion over a use tree
    imports, _ = extract(deep)
    assert [i.spec.count("::") for i in imports] == [5001]
    assert extract(b"") == ([], 0)


def test_a_manifest_that_is_not_toml_is_noted_and_its_crate_left_out(tmp_path):
    files = {"Cargo.toml": "[package\nname = ", "src/lib.rs": "mod a;\nuse crate::a::X;\n", "src/a.rs": "",
             "deep/Cargo.toml": "a = " + "[" * 100_000 + "]" * 100_000 + "\n[package]\nname = 'deep'\n",
             "deep/src/lib.rs": "mod b;\nuse crate::b::Y;\n", "deep/src/b.rs": ""}
    resolver, parsed = language_harness.committed(tmp_path / "repo", files, RustLanguage())
    assert resolver.problems == ["Cargo.toml: not read (TOMLDecodeError)", "deep/Cargo.toml: not read (TOMLDecodeError)"]
    assert language_harness.edges(resolver, parsed, with_kind=False) == set()


def test_a_manifest_with_no_rust_file_below_it_is_test_data_not_a_package(tmp_path):
    """bat's syntax tests hold a highlighted ``Cargo.toml`` (not TOML, a second package "bat"): read, it gave a note
    on every ingest; no Rust file is read below it, so it is no package of the repository's."""
    files = {"Cargo.toml": '[package]\nname = "tool"\nedition = "2021"\n', "src/lib.rs": "mod a;\nuse crate::a::X;\n",
             "src/a.rs": "", "tests/syntax/highlighted/Cargo.toml": '\x1b[38m[package]\x1b[0m\nname = "tool"\n',
             "tests/syntax/source/Cargo.toml": '[package]\nname = "tool"\n'}
    resolver, parsed = language_harness.committed(tmp_path / "repo", files, RustLanguage())
    assert resolver.problems == []
    assert [(p.directory, p.name) for p in resolver.packages] == [("", "tool")]
    assert language_harness.edges(resolver, parsed, with_kind=False) == {("src/lib.rs", "src/a.rs", False)}


def test_rusts_standard_crates_are_the_standard_library():
    assert all(is_standard_library(name, "cargo") for name in ("std", "core", "alloc", "proc_macro", "test"))
    assert not is_standard_library("serde", "cargo") and not is_standard_library("std", "pypi")
