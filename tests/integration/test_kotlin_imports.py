"""Kotlin headers (``ingest.code.kotlin``) and their resolution beside Java's (``java.JavaResolver``), on real git
repositories built here: a Kotlin file imports a Java class and a Java class a Kotlin one, Kotlin's top-level
functions and its classes in files named otherwise resolve to the file that declares them."""

from __future__ import annotations

import pytest

from cairn.ingest.code.java import JavaLanguage, kotlin_external_group
from cairn.ingest.code.kotlin import DECLARES, REFERENCE, USES, parse_kotlin
from cairn.ingest.code.stdlib import is_standard_library
from fixtures import language_harness

EXT = True
INT = False
MAIN = "app/src/main"
HEADERS = (
    '@file:JvmName("Strings")\n'
    "package com.acme.util\n\n"
    "import com.acme.model.Order\n"
    "import com.acme.model.Order as Purchase\n"
    "import com.acme.model.*\n"
    "import com.acme.`fun`.Thing\n"
    "import kotlinx.coroutines.launch\n\n"
    "class Box<T>(val t: T)\n"
    "object Registry\n"
    "interface Shape\n"
    "typealias Orders = List<Order>\n"
    "fun String.shout() = uppercase()\n"
    "fun String.shout(times: Int) = repeat(times)\n"
    "val answer = 42\n"
    "private var (a, b) = 1 to 2\n"
)


def test_headers_package_imports_aliases_stars_and_declarations():
    parsed = parse_kotlin("Strings.kt", HEADERS.encode())
    assert parsed.language == "kotlin" and parsed.package == "com.acme.util" and parsed.syntax_errors == 0
    imports = [(i.spec, i.line, i.names) for i in parsed.imports if not {DECLARES, REFERENCE} & set(i.names) and i.spec != USES]
    assert imports == [("com.acme.model.Order", 4, ()), ("com.acme.model.Order", 5, ("Purchase",)),
                       ("com.acme.model.*", 6, ()), ("com.acme.fun.Thing", 7, ()), ("kotlinx.coroutines.launch", 8, ())]
    declared = [(i.spec, i.line) for i in parsed.imports if DECLARES in i.names]
    assert declared == [("Strings", 1), ("Box", 10), ("Registry", 11), ("Shape", 12), ("Orders", 13), ("shout", 14),
                        ("answer", 16), ("a", 17), ("b", 17)]
    # a star import: the names the code uses after the headers, once each (what the star can bind)
    [uses] = [i.names for i in parsed.imports if i.spec == USES]
    assert {"Order", "List", "uppercase", "repeat", "Int", "shout"} <= set(uses) and list(uses) == sorted(set(uses))
    assert not {"acme", "model", "coroutines", "launch", "Purchase", "Thing"} & set(uses)


def test_capitalised_names_used_without_an_import_are_references_at_their_first_line():
    parsed = parse_kotlin("a/Box.kt", (
        b"package a\n"
        b"import b.Other\n"
        b"import c.Thing as Alias\n"
        b"class Box<T>(val t: T) : Base() {\n"
        b"    fun <R> map(f: (T) -> R): Box<R> = Box(f(t))\n"
        b"    val x = Helper.make(Alias, Other, `Quoted`, Thing)\n"
        b"    val y = Base()\n"
        b"}\n"))
    # not the file's own Box nor what it imports (by name or alias); lower-case names neither. Its type parameters
    # are (a superset: they resolve only where the package declares a class so named)
    assert [(i.spec, i.line) for i in parsed.imports if REFERENCE in i.names] == [
        ("Base", 4), ("T", 4), ("R", 5), ("Helper", 6), ("Quoted", 6), ("Thing", 6)]


def test_a_file_without_a_star_import_records_no_uses():
    parsed = parse_kotlin("A.kt", b"package q\nimport a.b.C\nfun f() = C()\n")
    assert [i.spec for i in parsed.imports if DECLARES not in i.names and REFERENCE not in i.names] == ["a.b.C"]


def test_a_broken_or_empty_file_still_gives_what_it_can():
    broken = parse_kotlin("B.kt", b"package q\nimport java.util.Map\nclass Broken { fun f( { }\n")
    assert broken.syntax_errors > 0 and broken.package == "q"
    assert [i.spec for i in broken.imports if DECLARES not in i.names and REFERENCE not in i.names] == ["java.util.Map"]
    empty = parse_kotlin("E.kt", b"")
    assert (empty.package, empty.imports, empty.syntax_errors) == (None, [], 0)
    latin = parse_kotlin("L.kt", "// caf\xe9\npackage q\nimport java.io.File\n".encode("latin-1"))
    assert [(i.spec, i.line) for i in latin.imports] == [("java.io.File", 3)]


REPO = {
    "build.gradle.kts": 'plugins { kotlin("jvm") }\n',
    f"{MAIN}/java/com/acme/model/Order.java": (
        "package com.acme.model;\n\n"
        "import com.acme.util.StringsKt;\n"  # a Kotlin file's facade class
        "import com.acme.util.Box;\n"  # a Kotlin class
        "public class Order {\n  Money total;\n}\n"  # same package: a Kotlin class in a file named otherwise
    ),
    f"{MAIN}/kotlin/com/acme/model/Values.kt": "package com.acme.model\n\nclass Money(val cents: Long)\n",
    f"{MAIN}/kotlin/com/acme/util/Strings.kt": (
        "package com.acme.util\n\n"
        "import com.acme.model.Order as Purchase\n"  # a Java class, aliased
        "import kotlin.collections.List\n"
        "import okio.Buffer\n"
        "import okio.buffer\n"
        "import android.os.Bundle\n"
        "import com.acme.model.BuildConfig\n"  # a missing class of a repository package: dropped
        "fun String.shout() = uppercase()\n"
    ),
    f"{MAIN}/kotlin/com/acme/util/Box.kt": "package com.acme.util\n\nclass Box<T>(val t: T)\n",
    # same package, no import: a Java class and a Kotlin class in a file named otherwise (Exposed's Table.kt uses
    # Column, Expression and Op so); List is Kotlin's, not the package's
    f"{MAIN}/kotlin/com/acme/model/Cart.kt": "package com.acme.model\n\nclass Cart(val items: List<Order>, val total: Money)\n",
    f"{MAIN}/kotlin/com/acme/app/-Main.kt": (
        "package com.acme.app\n\n"
        "import com.acme.util.shout\n"  # a top-level function: the file that declares it
        "import com.acme.model.*\n"  # the modules of the package declaring a name the file uses: Values, not Order
        "import kotlinx.coroutines.launch\n"
        "fun main() = println(\"hi\".shout() + Money(1))\n"
    ),
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    return language_harness.committed(tmp_path_factory.mktemp("kotlin") / "repo", REPO, JavaLanguage())


def test_a_kotlin_module_is_its_file(mixed):
    resolver, parsed = mixed
    assert {p: resolver.module_of(p) for p in parsed} == {
        "build.gradle.kts": None,  # a script: no module
        f"{MAIN}/java/com/acme/model/Order.java": "com.acme.model.Order",
        f"{MAIN}/kotlin/com/acme/model/Values.kt": "com.acme.model.Values",
        f"{MAIN}/kotlin/com/acme/util/Strings.kt": "com.acme.util.Strings",
        f"{MAIN}/kotlin/com/acme/util/Box.kt": "com.acme.util.Box",
        f"{MAIN}/kotlin/com/acme/model/Cart.kt": "com.acme.model.Cart",
        f"{MAIN}/kotlin/com/acme/app/-Main.kt": "com.acme.app.-Main",
    }
    assert parsed[f"{MAIN}/kotlin/com/acme/util/Box.kt"].language == "kotlin"
    assert parsed[f"{MAIN}/java/com/acme/model/Order.java"].language == "java"


def test_kotlin_and_java_import_each_other(mixed):
    resolver, parsed = mixed
    assert language_harness.edges(resolver, parsed, with_kind=False) == {
        ("com.acme.model.Order", "com.acme.util.Strings", INT),  # Java → a Kotlin facade class
        ("com.acme.model.Order", "com.acme.util.Box", INT),  # Java → a Kotlin class
        ("com.acme.model.Order", "com.acme.model.Values", INT),  # Java → Kotlin, same package, no import
        ("com.acme.util.Strings", "com.acme.model.Order", INT),  # Kotlin → Java
        ("com.acme.util.Strings", "kotlin.collections", EXT),
        ("com.acme.util.Strings", "okio", EXT),  # a package of one part: not `okio.Buffer`
        ("com.acme.util.Strings", "android.os", EXT),
        ("com.acme.app.-Main", "com.acme.util.Strings", INT),  # the file declaring `shout`
        ("com.acme.app.-Main", "com.acme.model.Values", INT),  # the star: the file declaring Money, not Order
        ("com.acme.app.-Main", "kotlinx.coroutines", EXT),
        ("com.acme.model.Cart", "com.acme.model.Order", INT),  # Kotlin → Java, same package, no import
        ("com.acme.model.Cart", "com.acme.model.Values", INT),  # Kotlin → the Kotlin file declaring Money
    }


@pytest.mark.parametrize("spec, expected", [
    ("okio.Buffer", "okio"), ("okio.buffer", "okio"), ("okio.*", "okio"), ("kotlin.RequiresOptIn", "kotlin"),
    ("kotlin.text.Charsets.UTF_8", "kotlin.text"), ("kotlinx.coroutines.flow.Flow", "kotlinx.coroutines"),
    ("org.jetbrains.kotlin.gradle.Plugin", "org.jetbrains.kotlin"), ("Foo", "Foo"),
])
def test_kotlin_external_groups(spec, expected):
    assert kotlin_external_group(spec) == expected


def test_kotlins_standard_library_is_the_standard_library_and_its_x_libraries_are_not():
    assert is_standard_library("kotlin", "maven") and is_standard_library("kotlin.collections", "maven")
    assert not is_standard_library("kotlinx.coroutines", "maven") and not is_standard_library("android.os", "maven")


STARS = {
    "lib/src/io/k/base/Base.kt": "package io.k.base\n\nopen class TestBase\nfun testClient() = TestBase()\n",
    "lib/src/io/k/base/WaitUtils.kt": "package io.k.base\n\nsuspend fun waitForCondition(message: String) {}\n",
    "lib/src/io/k/utils/Annotations.kt": (  # an annotation with arguments over lines: the grammar swallows what follows
        "package io.k.utils\n\n"
        "@RequiresOptIn(\n    level = RequiresOptIn.Level.ERROR,\n    message = \"internal class Decoy\"\n)\n"
        "@Retention(AnnotationRetention.BINARY)\n"
        "public annotation class InternalAPI\n\n"
        "@RequiresOptIn(\n    level = RequiresOptIn.Level.WARNING\n)\n"
        "public annotation class ExperimentalApi {\n    class Nested\n}\n"
    ),
    "lib/src/io/k/utils/Strings.kt": "package io.k.utils\n\nfun String.shout() = uppercase()\n",
    "app/src/io/k/app/Waits.kt": (
        "package io.k.app\n\n"
        "import io.k.base.*\n"
        "import io.k.utils.*\n\n"
        "@OptIn(InternalAPI::class)\n"
        "suspend fun check() = waitForCondition(\"ready\")\n"
    ),
    "app/src/io/k/app/Extends.kt": "package io.k.app\n\nimport io.k.base.*\n\nclass Mine : TestBase()\n",
    "app/src/io/k/app/Unused.kt": "package io.k.app\n\nimport io.k.base.*\n\nval nothing = 1\n",
}


def test_a_star_import_reaches_the_files_declaring_what_the_file_uses(tmp_path):
    """ktor's tests wildcard-import io.ktor.client.test.base: every class of the package made 86 edges, one per test,
    when WaitUtils.kt moved there; an edge is what the file names (a class, a top-level function, an annotation)."""
    resolver, parsed = language_harness.committed(tmp_path / "repo", STARS, JavaLanguage())
    assert language_harness.edges(resolver, parsed, with_kind=False) == {
        ("io.k.app.Waits", "io.k.base.WaitUtils", INT),  # a top-level function called
        ("io.k.app.Waits", "io.k.utils.Annotations", INT),  # an annotation class the grammar did not read as one
        ("io.k.app.Extends", "io.k.base.Base", INT),  # a class extended
    }
    declared = {i.spec for i in parsed["lib/src/io/k/utils/Annotations.kt"].imports if DECLARES in i.names}
    assert declared == {"InternalAPI", "ExperimentalApi"}  # not the string's Decoy nor the body's Nested


SPLIT = {
    # okhttp's okhttp-testing-support declares, in package okhttp3, a top-level function named like a class
    "support/src/okhttp3/TestUtilCommon.kt": "package okhttp3\n\nfun String(vararg codePoints: Int): String = \"\"\n",
    "support/src/okhttp3/Recorder.kt": "package okhttp3\n\nobject Recorder\ntypealias Events = List<String>\n",
    "core/src/okhttp3/Address.kt": "package okhttp3\n\nclass Address(val uriHost: String, val log: Events)\n",
    "core/src/okhttp3/Call.java": "package okhttp3;\n\npublic class Call {\n  String name;\n  Address address;\n}\n",
    "core/src/okhttp3/CallTest.kt": "package okhttp3\n\nclass CallTest { val r = Recorder; val c = Call() }\n",
}


def test_a_name_used_without_an_import_means_a_class_of_the_package_never_a_function(tmp_path):
    resolver, parsed = language_harness.committed(tmp_path / "repo", SPLIT, JavaLanguage())
    assert language_harness.edges(resolver, parsed, with_kind=False) == {
        ("okhttp3.Address", "okhttp3.Recorder", INT),  # a type alias (not String: a function of that name)
        ("okhttp3.Call", "okhttp3.Address", INT),  # Java → a Kotlin class of the package
        ("okhttp3.CallTest", "okhttp3.Recorder", INT),  # an object
        ("okhttp3.CallTest", "okhttp3.Call", INT),  # a Java class
    }


def test_a_class_declared_in_two_build_units_of_a_package_is_the_importers_own(tmp_path):
    """ktor's io.ktor.openapi is split over its compiler plugin and its OpenAPI schema, each with a JsonUtils."""
    units = {
        "compiler-plugin/src/io/ktor/openapi/JsonUtils.kt": "package io.ktor.openapi\n\nobject JsonUtils\n",
        "openapi-schema/src/io/ktor/openapi/Json.kt": "package io.ktor.openapi\n\nobject JsonUtils\n",
        "openapi-schema/src/io/ktor/openapi/GenericElement.kt": "package io.ktor.openapi\n\nval e = JsonUtils\n",
        "compiler-plugin/src/io/ktor/openapi/Plugin.kt": "package io.ktor.openapi\n\nval p = JsonUtils\n",
        "compiler-plugin/build.gradle.kts": "", "openapi-schema/build.gradle.kts": "", "server/build.gradle.kts": "",
        # the plugin's enum JsonPrimitive is not the schema's: it takes kotlinx.serialization's, by a star import
        "compiler-plugin/src/io/ktor/openapi/Primitives.kt": "package io.ktor.openapi\n\nenum class JsonPrimitive { A }\n",
        "openapi-schema/src/io/ktor/openapi/Element.kt": (
            "package io.ktor.openapi\n\nimport kotlinx.serialization.json.*\n\nfun isString(e: JsonElement) = e is JsonPrimitive\n"),
        # without a star import, a class of the package in another unit is the one meant (okhttp's test support)
        "server/src/io/ktor/openapi/ServerTest.kt": "package io.ktor.openapi\n\nclass ServerTest { val k = JsonPrimitive.A }\n",
    }
    resolver, parsed = language_harness.committed(tmp_path / "repo", units, JavaLanguage())
    assert language_harness.edges(resolver, parsed, with_kind=False) == {
        ("io.ktor.openapi.GenericElement", "io.ktor.openapi.Json", INT),
        ("io.ktor.openapi.Plugin", "io.ktor.openapi.JsonUtils", INT),
        ("io.ktor.openapi.Element", "kotlinx.serialization", EXT),
        ("io.ktor.openapi.ServerTest", "io.ktor.openapi.Primitives", INT),
    }
