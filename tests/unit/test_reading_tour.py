"""The reading list's central modules: test code left out, and each language's places in proportion to its files."""

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.queries.explore import reading_list


def mixed_graph() -> RepoGraph:
    """Go packages of ten files each and single-file TypeScript modules that import one another heavily (so by
    PageRank alone the TypeScript files come first), and a Go test helper every package imports."""
    g = RepoGraph("mixed")
    g.add_node(Label.REPOSITORY, "mixed")
    for name in ("labels", "storage", "promql", "tsdb", "util", "ui"):
        g.add_node(Label.COMPONENT, name)
    go = [g.add_node(Label.MODULE, f"example.com/m/{name}", path=name, language="go", component=name,
                     files=[f"{name}/f{i}.go" for i in range(10)]) for name in ("labels", "storage", "promql", "tsdb")]
    helper = g.add_node(Label.MODULE, "example.com/m/util/testutil", path="util/testutil", language="go", component="util",
                        files=["util/testutil/assert.go", "util/testutil/context.go"])
    ts = [g.add_node(Label.MODULE, f"ui/src/f{i}.ts", path=f"ui/src/f{i}.ts", language="typescript", component="ui",
                     files=[f"ui/src/f{i}.ts"]) for i in range(12)]
    for i, m in enumerate(go[1:], 1):
        for target in go[:i]:
            g.add_edge(Rel.IMPORTS, m, target)
        g.add_edge(Rel.IMPORTS, m, helper)
    for i, m in enumerate(ts):
        for target in ts[:i]:
            g.add_edge(Rel.IMPORTS, m, target)
    return g


def test_each_language_has_places_by_its_files_and_test_helpers_none():
    modules = reading_list(mixed_graph(), modules=4)["modules"]
    names = [m["module"] for m in modules]
    # by rank alone: f0.ts, f1.ts, f2.ts, f3.ts. 42 Go files (the test helper's two among them) against 12 TypeScript
    # ones: three places and one; the helper, as central as labels, is test code. Each language's places are spread
    # as its share is: TypeScript's one place in four is the fourth's, tied with Go's third, and first by rank then
    # (traefik's web UI icons index was first, above pkg/config/dynamic)
    assert names == ["example.com/m/labels", "example.com/m/storage", "ui/src/f0.ts", "example.com/m/promql"]
    assert "example.com/m/util/testutil" not in names
    go = [m["score"] for m in modules if m["module"].startswith("example.com")]
    assert go == sorted(go, reverse=True)  # each language's by rank


def test_a_component_list_is_by_rank_without_test_code():
    graph = mixed_graph()
    assert [m["module"] for m in reading_list(graph, "ui", modules=3)["modules"]] == ["ui/src/f0.ts", "ui/src/f1.ts", "ui/src/f2.ts"]
    assert reading_list(graph, "util")["modules"] == []


def playground_graph() -> RepoGraph:
    """vite's shape: a component of end-to-end projects the truck factor counts no file of (``truck_factor`` None),
    whose entry points import one another, beside the product's modules."""
    g = RepoGraph("vite")
    g.add_node(Label.REPOSITORY, "vite")
    g.add_node(Label.COMPONENT, "node", truck_factor=3)
    g.add_node(Label.COMPONENT, "playground", truck_factor=None)
    core = [g.add_node(Label.MODULE, f"src/node/m{i}.ts", path=f"src/node/m{i}.ts", language="typescript",
                       component="node", files=[f"src/node/m{i}.ts"]) for i in range(4)]
    entries = [g.add_node(Label.MODULE, f"playground/e/a{i}.js", path=f"playground/e/a{i}.js", language="javascript",
                          component="playground", files=[f"playground/e/a{i}.js"]) for i in range(20)]
    for i, m in enumerate(core[1:], 1):
        g.add_edge(Rel.IMPORTS, m, core[i - 1])
    for i, m in enumerate(entries):
        for target in entries[:i]:
            g.add_edge(Rel.IMPORTS, m, target)
    return g


def test_modules_of_a_component_the_truck_factor_does_not_count_are_left_out_unless_asked_for():
    graph = playground_graph()
    names = [m["module"] for m in reading_list(graph, modules=4)["modules"]]
    assert names == ["src/node/m0.ts", "src/node/m1.ts", "src/node/m2.ts"]  # (m3: imported by none)
    # the playground's own list still has its modules
    assert [m["module"] for m in reading_list(graph, "playground", modules=2)["modules"]] == [
        "playground/e/a0.js", "playground/e/a1.js"]
