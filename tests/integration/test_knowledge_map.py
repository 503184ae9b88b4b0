"""The knowledge map: the file tree with lines, truck factor, orphaned files and holders, over a real ingested repository.

Expectations are worked out by hand from ``fixtures.maps.build_atlas``'s history:
Ada adds and tunes storage's files, Bob adds and changes the GCS client, Alan
commits Claude's change to search.
"""

from __future__ import annotations

import httpx
import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services import reads
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import InvalidQuery, UnknownName
from cairn.graph.model import Label
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.knowledge_map import knowledge_map
from fixtures.explore import LiveServer
from fixtures.gitrepo import GitRepo
from fixtures.maps import build_atlas

REMOTE = "src/atlas/storage/remote"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    base = tmp_path_factory.mktemp("atlas")
    build_atlas(base / "atlas")
    store_dir = base / "store"
    graph = ingest_into_store(open_store(str(store_dir)), base / "atlas").graph
    return {"graph": graph, "root": base / "atlas", "store": store_dir}


def names(node):
    return [(c["kind"], c["name"]) for c in node.get("children", [])]


def lines_of(root, *paths):
    return sum((root / p).read_text().count("\n") for p in paths)


def test_ingest_stores_the_lines_of_every_file(atlas):
    files = {n.key: n.get("lines") for n in atlas["graph"].of_label(Label.FILE)}
    assert files["src/atlas/storage/remote/s3/client.py"] == lines_of(atlas["root"], "src/atlas/storage/remote/s3/client.py")
    assert files["src/atlas/storage/remote/s3/__init__.py"] == 0
    assert all(isinstance(v, int) for v in files.values())


def test_a_warm_ingest_takes_the_lines_from_the_parse_cache(atlas, tmp_path):
    cache = tmp_path / "cache"
    cold = ingest_repository(atlas["root"], cache_dir=cache)
    warm = ingest_repository(atlas["root"], cache_dir=cache)
    assert (cold.summary.parsed, warm.summary.parsed) == (len(cold.graph.of_label(Label.FILE)), 0)
    lines = lambda graph: {n.key: n.get("lines") for n in graph.of_label(Label.FILE)}  # noqa: E731
    assert lines(warm.graph) == lines(cold.graph) == lines(atlas["graph"])


def test_files_cairn_does_not_parse_are_counted_too(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"app/main.py": "import os\n", "scripts/run.sh": "#!/bin/sh\necho one\necho two", "README.md": "# r\n"})
    files = {n.key: n.get("lines") for n in ingest_repository(repo.root).graph.of_label(Label.FILE)}
    assert files == {"app/main.py": 1, "scripts/run.sh": 3}


def test_the_agent_share_counts_the_agent_assisted_changes_of_each_file(atlas):
    # search/impl.py: added and tuned by its owner, then "rank results" by Claude (committed by Alan): 1 of 3 changes
    search = knowledge_map(atlas["graph"], component="search", depth=1)
    assert search["agent_share_known"] is True
    shares = {c["name"]: c["agent_share"] for c in search["root"]["children"]}
    assert shares == {"impl.py": 0.3333, "__init__.py": 0.0, "extra_0.py": 0.0, "extra_1.py": 0.0}
    assert search["root"]["agent_share"] == round(1 / 7, 4)  # 2 + 1 + 1 + 3 changes in the component
    storage = knowledge_map(atlas["graph"], component="storage", depth=1)
    assert storage["root"]["agent_share"] == 0.0


def test_a_component_holds_its_nested_components_then_its_own_files(atlas):
    out = knowledge_map(atlas["graph"], component="storage", depth=2)
    storage = out["root"]
    assert out["size_measure"] == "lines" and out["agent_share_known"] is True
    assert names(storage) == [("component", "storage/remote"), ("component", "storage/local"), ("file", "impl.py"), ("file", "__init__.py")]
    remote = storage["children"][0]
    assert remote["files"] == 6
    assert names(remote) == [("directory", "s3"), ("directory", "gcs"), ("file", "__init__.py")]
    assert remote["lines"] == lines_of(atlas["root"], *(f"{REMOTE}/{p}" for p in
                                                          ("__init__.py", "s3/__init__.py", "s3/client.py", "s3/retry.py", "gcs/__init__.py", "gcs/client.py")))
    assert storage["lines"] == sum(c["lines"] for c in storage["children"])
    # Ada authors the four files she added, Bob the two GCS files: removing Ada leaves 2 of 6 covered, so TF 1.
    assert remote["truck_factor"] == 1
    assert [(h["person"], h["files"], h["active"]) for h in remote["holders"]] == [("Ada Lovelace", 4, True), ("Bob Kahn", 2, True)]
    s3, gcs = remote["children"][:2]
    assert (s3["path"], [h["person"] for h in s3["holders"]]) == (f"{REMOTE}/s3", ["Ada Lovelace"])
    assert gcs["last_human_change"]["person"] == "Bob Kahn" and gcs["last_human_change"]["path"] == f"{REMOTE}/gcs/client.py"
    assert s3["child_count"] == 3 and "children" not in s3  # below the requested depth
    assert storage["truck_factor_people"] == ["Ada Lovelace"]
    assert [c["name"] for c in out["breadcrumbs"]] == ["atlas"]


def test_drilling_into_a_directory(atlas):
    out = knowledge_map(atlas["graph"], component="storage/remote", path=f"{REMOTE}/s3", depth=1)
    assert out["root"]["kind"] == "directory"
    assert sorted(c["name"] for c in out["root"]["children"]) == ["__init__.py", "client.py", "retry.py"]
    client = next(c for c in out["root"]["children"] if c["name"] == "client.py")
    assert client["authors"] == [{"person": "Ada Lovelace", "id": "ada@example.com", "active": True}]
    assert [c["name"] for c in out["breadcrumbs"]] == ["atlas", "storage", "storage/remote"]
    single = knowledge_map(atlas["graph"], component="storage/remote", path=f"{REMOTE}/s3/client.py", depth=1)
    assert single["root"]["kind"] == "file" and single["root"]["child_count"] == 0


def test_the_root_holds_top_level_components_and_the_files_of_no_component(atlas):
    root = knowledge_map(atlas["graph"], depth=1)["root"]
    assert ("component", "storage") in names(root) and all(n != "storage/remote" for _, n in names(root))
    # src/atlas/tools is a component, tools/lint.py belongs to none; src/atlas/__init__.py sits in a chain of one-directory levels.
    assert {("component", "tools"), ("directory", "tools"), ("directory", "src/atlas")} <= set(names(root))
    assert root["files"] == len(atlas["graph"].of_label(Label.FILE))
    lonely = knowledge_map(atlas["graph"], path="tools", depth=1)["root"]
    assert names(lonely) == [("file", "lint.py")] and lonely["component"] is None


def test_what_if_they_leave(atlas):
    before = knowledge_map(atlas["graph"], component="storage/remote", depth=1)["root"]
    after = knowledge_map(atlas["graph"], component="storage/remote", depth=1, leaving=["Ada Lovelace"])
    remote = after["root"]
    assert after["leaving"] == ["Ada Lovelace"]
    assert (before["orphaned_files"], remote["orphaned_files"]) == (0, 4)
    assert remote["truck_factor"] == 0 and remote["at_risk"] is True
    assert [h["person"] for h in remote["holders"]] == ["Bob Kahn"]
    gcs = next(c for c in remote["children"] if c["name"] == "gcs")
    assert gcs["orphaned_share"] == 0.0 and gcs["truck_factor"] == 1


def test_the_last_human_change_skips_the_agent(atlas):
    search = knowledge_map(atlas["graph"], component="search", depth=0)["root"]
    change = search["last_human_change"]
    # Claude wrote the newest change to search; Alan committed it, and he is the human who last touched it.
    assert (change["person"], change["path"]) == ("Alan Turing", "src/atlas/search/impl.py")


def test_answers_are_bounded(atlas):
    capped = knowledge_map(atlas["graph"], depth=1, limit=5)["root"]
    assert len(capped["children"]) == 5 and capped["child_count"] == 22
    more = capped["children"][-1]
    assert more["kind"] == "more" and more["count"] == 18
    assert sum(c["files"] for c in capped["children"]) == capped["files"]
    shallow = knowledge_map(atlas["graph"], depth=0)["root"]
    assert "children" not in shallow and shallow["child_count"] == 22
    tiny = knowledge_map(atlas["graph"], depth=3, max_nodes=10)["root"]
    count = lambda n: 1 + sum(count(c) for c in n.get("children", []))  # noqa: E731
    assert count(tiny) <= 10


def test_bad_requests(atlas):
    with pytest.raises(UnknownName, match="no component named 'nope'") as unknown:
        knowledge_map(atlas["graph"], component="nope")
    assert unknown.value.kind == "component" and "storage/remote" in unknown.value.suggestions
    with pytest.raises(UnknownName, match="no file of component 'storage' under 'src/atlas/api'"):
        knowledge_map(atlas["graph"], component="storage", path="src/atlas/api")
    with pytest.raises(UnknownName, match="Nobody Here") as nobody:
        knowledge_map(atlas["graph"], leaving=["Nobody Here"])
    assert nobody.value.kind == "person"
    with pytest.raises(InvalidQuery, match="depth"):
        knowledge_map(atlas["graph"], depth=9)


def test_the_index_is_read_once_per_ingest_beside_the_cached_graph(atlas):
    built = []

    def index(graph):
        built.append(graph)
        return object()

    with Workspace(str(atlas["store"]), naming_hint="name one") as ws:
        graph = ws.graph("atlas")
        first = ws.derived(graph, "probe", index)
        assert ws.derived(ws.graph("atlas"), "probe", index) is first and len(built) == 1
        ws.forget("atlas")  # what a re-ingest does: the graph is loaded again, and what was derived from it goes too
        assert ws.graph("atlas") is not graph
        assert ws.derived(ws.graph("atlas"), "probe", index) is not first and len(built) == 2
        assert ws.derived(graph, "probe", index) is not first and len(built) == 3  # a stale graph is never cached
        drilled = reads.knowledge_map(ws, "atlas", component="storage", depth=1, leaving=["Ada Lovelace"])
        assert drilled["leaving"] == ["Ada Lovelace"] and drilled["root"]["orphaned_files"] > 0


def test_over_http(atlas):
    with LiveServer(atlas["store"]) as live:
        url = f"{live.url}/api/v1/repositories/atlas/knowledge-map"
        ok = httpx.get(url, params={"component": "storage", "depth": 1, "leaving": "ada@example.com"})
        assert ok.status_code == 200, ok.text
        body = ok.json()
        assert body["leaving"] == ["Ada Lovelace"] and body["root"]["name"] == "storage"
        assert [c["name"] for c in body["root"]["children"]][:2] == ["storage/remote", "storage/local"]
        for params, status, slug in [({"component": "nope"}, 404, "not-found"), ({"leaving": "Nobody Here"}, 404, "not-found"),
                                     ({"depth": 9}, 422, "validation-error")]:
            bad = httpx.get(url, params=params)
            assert (bad.status_code, bad.headers["content-type"]) == (status, PROBLEM), bad.text
            assert bad.json()["type"] == f"urn:cairn:problem:{slug}"
        unknown = httpx.get(f"{live.url}/api/v1/repositories/elsewhere/knowledge-map")
        assert unknown.status_code == 404 and "elsewhere" in unknown.json()["detail"]


def test_docs_are_served_from_the_package(atlas):
    with LiveServer(atlas["store"]) as live:
        page = httpx.get(live.url + "/docs")
        assert page.status_code == 200
        assert "/vendor/swagger-ui-bundle.js" in page.text and "/vendor/swagger-ui.css" in page.text
        assert "cdn." not in page.text and "https://" not in page.text.replace("https://validator", "")
        for asset in ("/vendor/swagger-ui-bundle.js", "/vendor/swagger-ui.css", "/openapi.json"):
            assert httpx.get(live.url + asset).status_code == 200
        assert httpx.get(live.url + "/redoc").status_code == 404
