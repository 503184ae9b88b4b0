"""Go import extraction and resolution, on real git repositories built here.

The language is driven through its contract directly: the repository's files
are listed with ``git ls-files``, parsed with ``GoLanguage.parse`` and
resolved by the resolver over a ``Layout`` of the whole checkout.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cairn.ingest.code.base import RUNTIME, ParsedFile
from cairn.ingest.code.go import GoLanguage, GoResolver, parse_go_mod
from fixtures import language_harness
from fixtures.gitrepo import GitRepo

EXT = True
INT = False


def load(root: Path) -> tuple[GoResolver, dict[str, ParsedFile]]:
    return language_harness.load(root, GoLanguage())


def edges(resolver: GoResolver, parsed: dict[str, ParsedFile]) -> set[tuple[str, str, bool]]:
    return language_harness.edges(resolver, parsed, with_kind=False)


REPO = {
    "go.mod": (
        "// the service\n"
        "module example.com/shop\n\n"
        "go 1.22\n\n"
        "require (\n"
        "\tgithub.com/google/uuid v1.6.0\n"
        "\tcloud.google.com/go/storage v1.40.0 // indirect\n"
        ")\n"
        "require gopkg.in/yaml.v3 v3.0.1\n"
        "replace example.com/tools => ./tools\n"
    ),
    "main.go": (
        "package main\n\n"
        'import "fmt"\n\n'
        "import (\n"
        '\t"net/http"\n'
        '\t_ "embed"\n'
        '\tcore "example.com/shop/internal/core"\n'
        '\t. "example.com/shop/pkg/api"\n'
        '\t"example.com/shop/internal/missing"\n'
        '\t"example.com/tools/gen"\n'
        '\t"github.com/google/uuid"\n'
        '\t"github.com/spf13/cobra/doc"\n'
        '\t"github.com/jackc/pgx/v5/pgxpool"\n'
        '\t"golang.org/x/net/http2"\n'
        '\t"gopkg.in/yaml.v3"\n'
        '\t"cloud.google.com/go/storage/internal"\n'
        '\t"google.golang.org/grpc/codes"\n'
        '\t"C"\n'
        ")\n\n"
        "func main() { fmt.Println(core.X, http.StatusOK, uuid.New()) }\n"
    ),
    "internal/core/core.go": 'package core\n\nimport (\n\t"strings"\n\t"example.com/shop/pkg/api"\n)\n\nvar X = strings.ToUpper(api.Name)\n',
    "internal/core/core_test.go": 'package core\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
    "internal/core/export_test.go": (
        "package core_test\n\n"
        'import (\n\t"testing"\n\t"example.com/shop/internal/core"\n\t"github.com/stretchr/testify/assert"\n)\n\n'
        "func TestCore(t *testing.T) { assert.NotEmpty(t, core.X) }\n"
    ),
    "pkg/api/api.go": "package api\n\n// Name names the service.\nconst Name = `shop`\n",
    "pkg/api/testdata/fixture.go": 'package fixture\n\nimport "example.com/shop/internal/core"\n',
    # A second module in the same repository, cut out of the first.
    "tools/go.mod": "module example.com/tools\n\ngo 1.22\n",
    "tools/gen/gen.go": 'package gen\n\nimport (\n\t"os"\n\t"example.com/shop/pkg/api"\n\t"example.com/tools"\n)\n',
    # A missing package of a repository module: dropped, not external.
    "tools/tools.go": 'package tools\n\nimport "example.com/tools/nothere"\n',
    "tools/cmd/run/main.go": 'package main\n\nimport "example.com/tools/gen"\n',
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    repo = GitRepo(tmp_path_factory.mktemp("go") / "repo")
    repo.commit(REPO, message="two modules")
    return load(repo.root)


def test_packages_are_directories_under_the_nearest_go_mod(shop):
    resolver, parsed = shop
    assert resolver.module_paths() == {"": "example.com/shop", "tools": "example.com/tools"}
    assert {p: resolver.module_of(p) for p in parsed} == {
        "main.go": "example.com/shop",
        "internal/core/core.go": "example.com/shop/internal/core",
        "internal/core/core_test.go": "example.com/shop/internal/core",
        "internal/core/export_test.go": "example.com/shop/internal/core",
        "pkg/api/api.go": "example.com/shop/pkg/api",
        "pkg/api/testdata/fixture.go": None,
        "tools/gen/gen.go": "example.com/tools/gen",
        "tools/tools.go": "example.com/tools",
        "tools/cmd/run/main.go": "example.com/tools/cmd/run",
    }
    assert resolver.module_path("example.com/shop") == "."
    assert resolver.module_path("example.com/tools/cmd/run") == "tools/cmd/run"
    assert parsed["internal/core/export_test.go"].package == "core_test"


def test_every_import_form_resolves_to_the_expected_edges(shop):
    resolver, parsed = shop
    assert edges(resolver, parsed) == {
        ("example.com/shop", "fmt", EXT),
        ("example.com/shop", "net/http", EXT),
        ("example.com/shop", "embed", EXT),  # blank import
        ("example.com/shop", "example.com/shop/internal/core", INT),  # aliased
        ("example.com/shop", "example.com/shop/pkg/api", INT),  # dot import
        ("example.com/shop", "example.com/tools/gen", INT),  # the other module of the repository
        ("example.com/shop", "github.com/google/uuid", EXT),
        ("example.com/shop", "github.com/spf13/cobra", EXT),
        ("example.com/shop", "github.com/jackc/pgx/v5", EXT),
        ("example.com/shop", "golang.org/x/net", EXT),
        ("example.com/shop", "gopkg.in/yaml.v3", EXT),
        ("example.com/shop", "cloud.google.com/go/storage", EXT),  # from go.mod's require
        ("example.com/shop", "google.golang.org/grpc", EXT),
        ("example.com/shop/internal/core", "strings", EXT),
        ("example.com/shop/internal/core", "example.com/shop/pkg/api", INT),
        ("example.com/shop/internal/core", "testing", EXT),  # test files count
        ("example.com/shop/internal/core", "github.com/stretchr/testify", EXT),
        ("example.com/tools/gen", "os", EXT),
        ("example.com/tools/gen", "example.com/shop/pkg/api", INT),
        ("example.com/tools/gen", "example.com/tools", INT),
        ("example.com/tools/cmd/run", "example.com/tools/gen", INT),
    }


def test_lines_are_one_based_per_import_spec(shop):
    resolver, parsed = shop
    lines = {i.target: i.line for i in resolver.resolve(parsed["main.go"])}
    assert lines["fmt"] == 3
    assert lines["net/http"] == 6
    assert lines["example.com/shop/pkg/api"] == 9
    assert all(i.kind == RUNTIME for i in resolver.resolve(parsed["main.go"]))


def test_go_mod_parsing():
    module, requires = parse_go_mod('module "example.com/q" // quoted\nrequire (\n  a.org/b v1 // x\n\n  "c.org/d" v2\n)\nrequire e.org/f v0.1.0\n')
    assert module == "example.com/q"
    assert requires == ["a.org/b", "c.org/d", "e.org/f"]
    assert parse_go_mod("go 1.21\n") == (None, [])


def test_repository_without_go_mod_and_bad_input(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit(
        {
            "cmd/tool/main.go": 'package main\n\nimport (\n\t"os"\n\t"../../lib"\n)\n',
            "lib/lib.go": "package lib\n",
            "broken.go": 'package broken\n\nimport (\n\t"fmt"\n\nfunc (( {\n',
            "latin1.go": '// caf\xe9\npackage latin\n\nimport "strings"\n'.encode("latin-1"),
            "empty/empty.go": "",
            "bad/go.mod": "this is not a go.mod\n",
            "bad/x.go": 'package x\nimport "github.com/a/b/c"\n',
        },
        message="GOPATH-era layout",
    )
    resolver, parsed = load(repo.root)
    assert resolver.module_of("cmd/tool/main.go") == "cmd/tool"
    assert resolver.module_of("broken.go") == "."
    assert resolver.module_of("bad/x.go") == "bad"
    assert resolver.problems == ["bad/go.mod: no module line"]
    assert {(i.target, i.external) for i in resolver.resolve(parsed["cmd/tool/main.go"])} == {("os", EXT), ("lib", INT)}
    assert parsed["broken.go"].syntax_errors > 0
    assert [i.target for i in resolver.resolve(parsed["broken.go"])] == ["fmt"]
    assert [(i.target, i.line) for i in resolver.resolve(parsed["latin1.go"])] == [("strings", 4)]
    assert parsed["empty/empty.go"].imports == [] and parsed["empty/empty.go"].package is None
    assert [i.target for i in resolver.resolve(parsed["bad/x.go"])] == ["github.com/a/b"]


TRICKY_HEADS = {
    # `func` at a line start inside a block comment before the imports: the head
    # does not parse cleanly, so the whole file is parsed.
    "comment.go": 'package x\n\n/*\nfunc is mentioned here\n*/\nimport "os"\n\nfunc f() {}\n',
    "none.go": "package x\n\nfunc f() {}\n",
    "only.go": 'package x\nimport "strings"\n',
    "late_error.go": 'package x\n\nimport "fmt"\n\nfunc f( {\n',
}


def _goroot_sources(step: int) -> list[Path]:
    import shutil

    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if go is None:
        return []
    goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
    return sorted(Path(goroot, "src").rglob("*.go"))[::step] if goroot else []


def test_head_only_parse_finds_what_a_whole_file_parse_finds(monkeypatch):
    """Go requires imports before other declarations, so parsing only the head must change no
    import, line or package clause; checked on tricky heads and, when a Go toolchain is
    installed, on its standard library sources."""
    import re

    from cairn.ingest.code import go as go_language

    sources = [s.encode() for s in TRICKY_HEADS.values()] + [p.read_bytes() for p in _goroot_sources(10)]
    head = [go_language.extract_imports(s) for s in sources]
    monkeypatch.setattr(go_language, "_FIRST_DECLARATION", re.compile(rb"(?!)"))
    whole = [go_language.extract_imports(s) for s in sources]
    assert [(imports, package) for imports, package, _ in head] == [(imports, package) for imports, package, _ in whole]
    assert [[i.spec for i in imports] for imports, _, _ in head[: len(TRICKY_HEADS)]] == [["os"], [], ["strings"], ["fmt"]]
    assert head[3][2] == 0 and whole[3][2] > 0  # an error below the imports goes unnoticed (documented)


def test_the_go_distributions_own_std_module_has_unprefixed_package_names(tmp_path):
    repo = GitRepo(tmp_path / "go")
    repo.commit(
        {
            "src/go.mod": "module std\n\ngo 1.26\n",
            "src/fmt/print.go": 'package fmt\n\nimport (\n\t"io"\n\t"golang.org/x/text/width"\n)\n',
            "src/io/io.go": "package io\n",
            "src/cmd/go.mod": "module cmd\n",
            "src/cmd/go/main.go": 'package main\n\nimport (\n\t"fmt"\n\t"cmd/internal/base"\n)\n',
            "src/cmd/internal/base/base.go": "package base\n",
        }
    )
    resolver, parsed = load(repo.root)
    assert {p: resolver.module_of(p) for p in parsed} == {
        "src/fmt/print.go": "fmt",
        "src/io/io.go": "io",
        "src/cmd/go/main.go": "cmd/go",
        "src/cmd/internal/base/base.go": "cmd/internal/base",
    }
    assert edges(resolver, parsed) == {
        ("fmt", "io", INT),
        ("fmt", "golang.org/x/text", EXT),
        ("cmd/go", "fmt", INT),
        ("cmd/go", "cmd/internal/base", INT),
    }
