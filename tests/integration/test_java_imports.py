"""Java import extraction and resolution, on real git repositories built here.

The language is driven through its contract directly: the repository's files
are listed with ``git ls-files``, parsed with ``JavaLanguage.parse`` and
resolved by the resolver over a ``Layout`` of the whole checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.ingest.code.base import RUNTIME, ParsedFile
from cairn.ingest.code.java import JavaLanguage, JavaResolver, external_group
from fixtures import language_harness
from fixtures.gitrepo import GitRepo

EXT = True
INT = False
MAIN = "app/src/main/java/com/acme"
TEST = "app/src/test/java/com/acme"


def load(root: Path) -> tuple[JavaResolver, dict[str, ParsedFile]]:
    return language_harness.load(root, JavaLanguage())


def edges(resolver: JavaResolver, parsed: dict[str, ParsedFile]) -> set[tuple[str, str, bool]]:
    return language_harness.edges(resolver, parsed, with_kind=False)


REPO = {
    "pom.xml": "<project/>\n",
    f"{MAIN}/App.java": (
        "package com.acme;\n\n"
        "import java.util.List;\n"
        "import java.util.concurrent.*;\n"
        "import com.acme.util.*;\n"  # wildcard: the classes of the package the file names (Strings, not Dates)
        "import com.acme.model.Order;\n"
        "import com.acme.model.Order.Line;\n"  # a nested class: its top-level class
        "import static com.acme.model.Prices.total;\n"
        "import static com.acme.model.Prices.*;\n"
        "import static org.junit.Assert.assertEquals;\n"
        "import org.slf4j.Logger;\n"
        "import org.apache.kafka.clients.producer.Producer;\n"
        "import org.apache.commons.lang3.StringUtils;\n"
        "import com.google.common.collect.ImmutableList;\n"
        "import com.acme.generated.BuildConfig;\n"  # missing class of our own packages: dropped
        "import com.acme.model.Missing;\n"
        "\n"
        "public class App {\n"
        "  private final Config config = new Config();\n"  # same package, no import
        "  private Strings names;\n"  # through the wildcard
        "  public static void main(String[] args) { Wiring.start(); }\n"
        "}\n"
    ),
    f"{MAIN}/Config.java": "package com.acme;\n\npublic class Config {\n  App owner;\n}\n",
    f"{MAIN}/Wiring.java": "package com.acme;\n\nclass Wiring {\n  static void start() { com.acme.model.Order o = null; }\n}\n",
    f"{MAIN}/package-info.java": "@javax.annotation.ParametersAreNonnullByDefault\npackage com.acme;\n",
    f"{MAIN}/util/Strings.java": "package com.acme.util;\n\npublic final class Strings {}\n",
    f"{MAIN}/util/Dates.java": "package com.acme.util;\n\nimport java.time.Instant;\n\npublic final class Dates { Instant now; }\n",
    f"{MAIN}/model/Order.java": (
        "package com.acme.model;\n\n"
        "import jakarta.persistence.Entity;\n"
        "import com.acme.util.Strings;\n\n"
        "@Entity\n"
        "public class Order {\n"
        "  public static class Line {}\n"
        "  Prices prices;\n"  # same package
        "  Strings strings;\n"  # imported explicitly: not a same-package reference
        "}\n"
    ),
    f"{MAIN}/model/Prices.java": "package com.acme.model;\n\npublic class Prices {\n  public static int total() { return 0; }\n  Order.Line line;\n}\n",
    f"{TEST}/AppTest.java": (
        "package com.acme;\n\n"
        "import org.junit.jupiter.api.Test;\n"
        "import static org.junit.jupiter.api.Assertions.*;\n\n"
        "class AppTest {\n  @Test void runs() { App.main(new String[0]); }\n}\n"
    ),
    "scripts/Tool.java": "import java.nio.file.Files;\n\npublic class Tool { Helper h; }\n",  # the unnamed package
    "scripts/Helper.java": "public class Helper {}\n",
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    repo = GitRepo(tmp_path_factory.mktemp("java") / "repo")
    repo.commit(REPO, message="maven layout")
    return load(repo.root)


def test_modules_are_fully_qualified_class_names(shop):
    resolver, parsed = shop
    assert {p: resolver.module_of(p) for p in parsed} == {
        f"{MAIN}/App.java": "com.acme.App",
        f"{MAIN}/Config.java": "com.acme.Config",
        f"{MAIN}/Wiring.java": "com.acme.Wiring",
        f"{MAIN}/package-info.java": None,
        f"{MAIN}/util/Strings.java": "com.acme.util.Strings",
        f"{MAIN}/util/Dates.java": "com.acme.util.Dates",
        f"{MAIN}/model/Order.java": "com.acme.model.Order",
        f"{MAIN}/model/Prices.java": "com.acme.model.Prices",
        f"{TEST}/AppTest.java": "com.acme.AppTest",
        "scripts/Tool.java": "Tool",
        "scripts/Helper.java": "Helper",
    }
    assert resolver.module_path("com.acme.model.Order") == f"{MAIN}/model/Order.java"
    assert resolver.packages["com.acme.util"] == ["com.acme.util.Dates", "com.acme.util.Strings"]


def test_every_import_form_resolves_to_the_expected_edges(shop):
    resolver, parsed = shop
    assert edges(resolver, parsed) == {
        ("com.acme.App", "java.util", EXT),  # single and wildcard JDK imports
        ("com.acme.App", "com.acme.util.Strings", INT),  # wildcard: the class App names, not Dates
        ("com.acme.App", "com.acme.model.Order", INT),  # also the nested Order.Line
        ("com.acme.App", "com.acme.model.Prices", INT),  # static single and static wildcard
        ("com.acme.App", "org.junit", EXT),
        ("com.acme.App", "org.slf4j", EXT),
        ("com.acme.App", "org.apache.kafka", EXT),
        ("com.acme.App", "org.apache.commons.lang3", EXT),
        ("com.acme.App", "com.google.common", EXT),
        ("com.acme.App", "com.acme.Config", INT),  # same package, by type name
        ("com.acme.App", "com.acme.Wiring", INT),  # same package, by a static call's receiver
        ("com.acme.Config", "com.acme.App", INT),
        ("com.acme.Wiring", "com.acme.model.Order", INT),  # fully-qualified type name
        ("com.acme.util.Dates", "java.time", EXT),
        ("com.acme.model.Order", "jakarta.persistence", EXT),
        ("com.acme.model.Order", "com.acme.util.Strings", INT),
        ("com.acme.model.Order", "com.acme.model.Prices", INT),
        ("com.acme.model.Prices", "com.acme.model.Order", INT),  # `Order.Line`: the outer name
        ("com.acme.AppTest", "org.junit", EXT),
        ("com.acme.AppTest", "com.acme.App", INT),  # test sources share the package
        ("Tool", "java.nio", EXT),
        ("Tool", "Helper", INT),  # the unnamed package is a package too
    }


def test_lines_and_kinds(shop):
    resolver, parsed = shop
    found = resolver.resolve(parsed[f"{MAIN}/App.java"])
    lines: dict[str, list[int]] = {}
    for imp in found:
        lines.setdefault(imp.target, []).append(imp.line)
    assert lines["com.acme.util.Strings"] == [5]
    assert lines["com.acme.model.Order"] == [6, 7]
    assert lines["com.acme.model.Prices"] == [8, 9]
    assert lines["java.util"] == [3, 4]
    assert lines["com.acme.Config"] == [19]
    assert {imp.kind for imp in found} == {RUNTIME}
    raw = {i.spec: i.static for i in parsed[f"{MAIN}/App.java"].imports if not i.names}
    assert raw["com.acme.model.Prices.total"] is True and raw["com.acme.model.Prices.*"] is True
    assert raw["com.acme.util.*"] is False
    assert parsed[f"{MAIN}/App.java"].package == "com.acme"


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("java.util.List", "java.util"),
        ("java.util.concurrent.*", "java.util"),
        ("org.slf4j.Logger", "org.slf4j"),
        ("org.apache.kafka.clients.Producer", "org.apache.kafka"),
        # a family of libraries under one umbrella name: jackson-databind's two dependencies stay two
        ("com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.databind"),
        ("com.fasterxml.jackson.core.JsonParser", "com.fasterxml.jackson.core"),
        ("com.fasterxml.jackson.annotation.JsonProperty", "com.fasterxml.jackson.annotation"),
        ("org.apache.commons.io.IOUtils", "org.apache.commons.io"),
        ("org.springframework.boot.SpringApplication", "org.springframework.boot"),
        ("lombok.Data", "lombok.Data"),
    ],
)
def test_external_groups(spec, expected):
    assert external_group(spec) == expected


def test_same_file_fqn_twice_and_bad_input(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit(
        {
            "a/src/main/java/x/Main.java": "package x;\nimport y.Util;\nclass Main {}\n",
            "b/src/main/java/x/Main.java": "package x;\nimport z.Other;\nclass Main {}\n",
            "b/src/main/java/y/Util.java": "package y;\nclass Util {}\n",
            "broken/Broken.java": "package q;\nimport java.util.Map;\nclass Broken { void f( { }\n",
            "latin/Latin.java": "// caf\xe9\npackage q;\nimport java.io.File;\nclass Latin {}\n".encode("latin-1"),
            "empty/Empty.java": "",
        },
        message="two Maven modules",
    )
    resolver, parsed = load(repo.root)
    assert resolver.module_of("a/src/main/java/x/Main.java") == resolver.module_of("b/src/main/java/x/Main.java") == "x.Main"
    assert resolver.module_path("x.Main") == "a/src/main/java/x/Main.java"
    assert {(i.target, i.external) for i in resolver.resolve(parsed["b/src/main/java/x/Main.java"])} == {("z.Other", EXT)}
    assert {(i.target, i.external) for i in resolver.resolve(parsed["a/src/main/java/x/Main.java"])} == {("y.Util", INT)}
    assert parsed["broken/Broken.java"].syntax_errors > 0
    assert [i.target for i in resolver.resolve(parsed["broken/Broken.java"])] == ["java.util"]
    assert [(i.target, i.line) for i in resolver.resolve(parsed["latin/Latin.java"])] == [("java.io", 3)]
    assert resolver.module_of("empty/Empty.java") == "Empty" and parsed["empty/Empty.java"].imports == []
