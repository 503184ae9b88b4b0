"""Kotlin Multiplatform on a real git repository: expect/actual halves of one declaration in two source sets.

ktor's ``HttpClient.kt`` in ``common/src`` and ``posix/src`` have one fully qualified name: one module
(``java.JavaResolver``), whose files ``deps`` lists (the second was in no row). ``Crypto.kt`` (common) and
``CryptoJvm.kt`` (JVM) are two modules of one package: Kotlin reads its own package's names with no import, so the
PR check's co-change finding does not say "no import connects them" of them (``queries.cochange``)."""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest.change import change_from_refs
from cairn.queries.dependencies import module_dependencies
from cairn.queries.pr_check import analyse
from fixtures.gitrepo import GitRepo

CORE = "ktor-utils"
COMMON = f"{CORE}/common/src/io/k/util"
JVM = f"{CORE}/jvm/src/io/k/util"
CLIENT = "ktor-client/ktor-client-core"


def _files(i: int) -> dict[str, str]:
    return {
        f"{COMMON}/Crypto.kt": f"package io.k.util\n\nexpect fun generateNonce(): String\nval SIZE = {i}\n",
        f"{JVM}/CryptoJvm.kt": f"package io.k.util\n\nactual fun generateNonce(): String = \"{i}\"\n",
        f"{CLIENT}/common/src/io/k/client/HttpClient.kt": f"package io.k.client\n\nexpect class HttpClient\nval V = {i}\n",
        f"{CLIENT}/posix/src/io/k/client/HttpClient.kt": (
            f"package io.k.client\n\nimport io.k.util.*\n\nactual class HttpClient {{ val n = generateNonce() + {i} }}\n"),
    }


@pytest.fixture(scope="module")
def multiplatform(tmp_path_factory):
    base = tmp_path_factory.mktemp("kmp")
    repo = GitRepo(base / "repo")
    for i in range(5):  # the halves change together, as expect and actual do
        repo.commit(_files(i), message=f"change {i}")
    repo.git("checkout", "-q", "-b", "jvm-only")
    repo.commit({f"{JVM}/CryptoJvm.kt": "package io.k.util\n\nactual fun generateNonce(): String = \"x\"\n"},
                message="only the JVM half")
    repo.git("checkout", "-q", "main")
    store = open_store(str(base / "store"))
    ingest_into_store(store, repo.root)
    return repo, store.load("repo")


def test_expect_and_actual_files_of_one_name_are_one_module_with_both_files(multiplatform):
    _, graph = multiplatform
    rows = {m["id"]: m for m in module_dependencies(graph)["modules"]}
    assert rows["io.k.client.HttpClient"]["files"] == [f"{CLIENT}/common/src/io/k/client/HttpClient.kt",
                                                       f"{CLIENT}/posix/src/io/k/client/HttpClient.kt"]
    assert "files" not in rows["io.k.util.Crypto"]  # one file: its path says it
    edges = {(e["source"], e["target"]) for e in module_dependencies(graph)["edges"]}
    assert ("io.k.client.HttpClient", "io.k.util.Crypto") in edges  # the posix half's star import, `generateNonce`


def test_a_half_changed_alone_names_the_other_without_saying_no_import_connects_them(multiplatform):
    repo, graph = multiplatform
    report = analyse(graph, change_from_refs(graph, repo.root, "main", "jvm-only")).to_json()
    found = {f["target"]: f["message"] for f in report["findings"] if f["kind"] == "co-change"}
    assert f"{COMMON}/Crypto.kt" in found  # its usual partner, untouched
    assert "no import connects them" not in found[f"{COMMON}/Crypto.kt"]


MOVE_TOML = """\
[components]
app = ["app/**"]
base = ["base/**"]
helpers = ["helpers/**"]

[[rules]]
id = "app-not-on-base-helpers"
kind = "forbidden"
from = ["app"]
to = ["module:io.k.base.WaitUtils"]
"""


def _test_file(n: int, extra: str = "") -> str:
    return (f"package io.k.app\n\nimport io.k.base.*\nimport io.k.helpers.*\n\n"
            f"class Test{n} : TestBase() {{ suspend fun t() = waitForCondition() }}\n{extra}")


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """ktor's 4434c02851: WaitUtils.kt moves into a package the tests already star-import, one test changed with it."""
    base = tmp_path_factory.mktemp("moved")
    repo = GitRepo(base / "repo")
    repo.commit({"cairn.toml": MOVE_TOML,
                 "base/src/io/k/base/Base.kt": "package io.k.base\n\nopen class TestBase\n",
                 "helpers/src/io/k/helpers/WaitUtils.kt": "package io.k.helpers\n\nsuspend fun waitForCondition() {}\n",
                 "helpers/src/io/k/helpers/Other.kt": "package io.k.helpers\n\nclass Other\n",  # the package stays
                 **{f"app/src/io/k/app/Test{n}.kt": _test_file(n) for n in (1, 2, 3)}}, message="start")
    start = repo.head()
    repo.git("mv", "helpers/src/io/k/helpers/WaitUtils.kt", "base/src/io/k/base/WaitUtils.kt")
    repo.commit({"base/src/io/k/base/WaitUtils.kt": "package io.k.base\n\nsuspend fun waitForCondition() {}\n",
                 "app/src/io/k/app/Test1.kt": _test_file(1, "val more = 1\n")}, message="move WaitUtils")
    store = open_store(str(base / "store"))
    ingest_into_store(store, repo.root)
    graph = store.load("repo")
    return analyse(graph, change_from_refs(graph, repo.root, start, repo.head()))


def test_edges_an_unchanged_import_now_reaches_are_marked_reached_not_written(moved):
    edges = {(e.source, e.target): e.reached for e in moved.new_edges}
    assert edges == {("io.k.app.Test1", "io.k.base.WaitUtils"): False,  # in the file the change touched
                     ("io.k.app.Test2", "io.k.base.WaitUtils"): True, ("io.k.app.Test3", "io.k.base.WaitUtils"): True}
    from cairn.api.render.pr_comment import pr_markdown
    markdown = pr_markdown(moved)
    assert "1 new import edge(s) between modules" in markdown
    assert ("2 import edge(s) from 2 file(s) this change does not touch reach `io.k.base.WaitUtils` through imports "
            "already there") in markdown


def test_a_rule_the_reached_imports_break_is_said_once(moved):
    found = [f for f in moved.findings if f.rule == "app-not-on-base-helpers"]
    assert [(f.source, f.file) for f in found] == [("io.k.app.Test1", "app/src/io/k/app/Test1.kt"),
                                                   ("io.k.app.Test2", "app/src/io/k/app/Test2.kt")]
    assert "Test1.kt, which" not in found[0].message
    assert found[1].message.endswith("(through an import already in app/src/io/k/app/Test2.kt, which this change does "
                                     "not touch; 1 more unchanged file(s) reach it the same way)")
