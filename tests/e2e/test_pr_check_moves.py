"""End to end: `cairn pr-check` reads a move as a move, on a real git repository whose packages move.

ripgrep's fdd8510f moved every crate into ``crates/`` and changed no line: 152 new imports, 15 first component
dependencies and a knowledge risk for each crate. A package moved whole keeps its imports and its dependencies; a file
moved from one component into another brings its imports along, and that is said to be the move's doing.
"""

import json

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest.change import change_from_refs
from cairn.queries.pr_check import analyse
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")

CONFIG = """
[components]
app = ["packages/app/**"]
util = ["packages/util/**"]
log = ["packages/log/**"]
"""


@pytest.fixture(scope="module")
def moves(tmp_path_factory):
    """Three packages under ``pkgs/`` (in no component: the definitions name ``packages/``, as the stored ones of a
    repository ingested after such a move do), moved whole to ``packages/``; then util's ``format.js`` into app."""
    base = tmp_path_factory.mktemp("moves")
    repo = GitRepo(base / "repo")
    repo.commit({"cairn.toml": CONFIG,
                 "pkgs/app/index.js": "const util = require('../util/index.js')\nmodule.exports = util\n",
                 "pkgs/util/index.js": "const format = require('./format.js')\nmodule.exports = format\n",
                 "pkgs/util/format.js": "const log = require('../log/index.js')\nmodule.exports = (x) => log(x)\n",
                 "pkgs/log/index.js": "module.exports = console.log\n"}, author=ADA, message="packages")
    before = repo.head()
    repo.git("mv", "pkgs", "packages")
    whole = repo.commit(author=ADA, message="move the packages")
    repo.git("mv", "packages/util/format.js", "packages/app/format.js")
    repo.commit({"packages/util/index.js": "const format = require('../app/format.js')\nmodule.exports = format\n"},
                author=ADA, message="format belongs to the app")
    store = open_store(str(base / "store"))
    ingest_into_store(store, repo.root)
    graph = store.load("repo")

    def check(a, b):
        return analyse(graph, change_from_refs(graph, repo.root, a, b))

    return {"whole": check(before, whole), "file": check(whole, repo.head())}


def test_a_package_moved_whole_keeps_its_imports_and_its_dependencies(moves):
    report = moves["whole"]
    assert report.new_edges == () and report.moved_imports == 3
    assert [f.rule for f in report.findings] == []  # nor a knowledge risk: no line changed
    assert {c.name: c.at_risk for c in report.touched_components} == {"app": True, "util": True, "log": True}
    as_json = report.to_json()
    assert as_json["moved_imports"] == 3 and json.dumps(as_json)
    from cairn.api.render.pr_comment import pr_markdown
    markdown = pr_markdown(report)
    assert "3 import edge(s) moved with their files: the same imports as before, not new" in markdown
    assert "new import edge" not in markdown


def test_a_file_moved_into_another_component_brings_its_dependencies_along_and_says_so(moves):
    report = moves["file"]
    found = sorted((f.rule, f.message) for f in report.findings if "component-dependency" in f.rule)
    assert found == [
        ("cairn/new-component-dependency",
         "creates the first dependency of component app on component log by moving packages/util/format.js to "
         "packages/app/format.js, from component util into component app (packages/app/format.js imports "
         "packages/log/index.js at packages/app/format.js:1, as it did before the move)"),
        ("cairn/new-component-dependency",
         "creates the first dependency of component util on component app outside its tests (packages/util/index.js "
         "imports packages/app/format.js at packages/util/index.js:1)"),
        ("cairn/removed-component-dependency",
         "removes the last dependency of component util on component log by moving packages/util/format.js to "
         "packages/app/format.js, from component util into component app (packages/app/format.js imports "
         "packages/log/index.js at packages/app/format.js:1, as it did before the move)"),
    ]
    # util's index.js rewrote its import of format.js: written, so new, and util's first dependency on app
    assert [(e.source, e.target) for e in report.new_edges] == [("packages/util/index.js", "packages/app/format.js")]
    assert report.moved_imports == 1
