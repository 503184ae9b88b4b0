"""The pieces of the agent answers: paths as agents write them, which instructions apply, lists cut and paged."""

from __future__ import annotations

import json

import pytest

from cairn.api.mcp.shape import encode, page, trim
from cairn.graph.errors import InvalidQuery
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.queries import agent_instructions
from cairn.queries.who_knows import KnowledgeIndex, normalise_path, who_knows


def graph() -> RepoGraph:
    g = RepoGraph("r")
    g.add_node(Label.REPOSITORY, "r", codeowners_patterns=[
        {"line": 1, "pattern": "*", "regex": r"^(?:.+/)?[^/]*$", "owners": ["@org/all"]},
        {"line": 2, "pattern": "/docs/", "regex": r"^docs/.*$", "owners": ["@writer"]}])
    for comp in ("api", "web"):
        g.add_node(Label.COMPONENT, comp, paths=[f"{comp}/**"])
    for path in ("api/a.py", "api/b.py", "web/src/app.ts"):
        g.add_node(Label.FILE, path, component=path.split("/")[0])
    ada = g.add_node(Label.PERSON, "ada", name="Ada", kind="human", last_active="2024-06-01T00:00:00+00:00")
    g.add_edge(Rel.KNOWS, ada, g.node(Label.FILE, "api/a.py"), doa=4.4, first_authorship=True, reviews=0,
               last_touch="2024-06-01T00:00:00+00:00")
    for path, directory, globs in (("AGENTS.md", "", []), ("api/AGENTS.md", "api", []),
                                   (".cursor/rules/ts.mdc", "", ["**/*.ts"])):
        g.add_node(Label.AGENT_INSTRUCTIONS, path, directory=directory, globs=globs, text="x\n" * 2000,
                   scope="globs" if globs else "directory" if directory else "repository")
    return g


def test_paths_are_read_the_way_agents_write_them():
    assert normalise_path("./api//b.py") == "api/b.py"
    assert normalise_path("/api/") == "api" and normalise_path("") == "." and normalise_path(".\\api") == "api"


def test_a_path_is_a_file_a_directory_or_answered_by_its_nearest_directory():
    index = KnowledgeIndex.of(graph())
    assert index.scope("api/a.py").kind == "file"
    assert index.scope("api").files == ["api/a.py", "api/b.py"]
    new = index.scope("api/deep/new.py")
    assert (new.kind, new.nearest, new.files) == ("untracked", "api", ["api/a.py", "api/b.py"])
    assert index.scope("docs/x.md").nearest is None


def test_who_knows_reads_codeowners_rules_for_untracked_paths_and_refuses_too_many():
    answer = who_knows(graph(), ["docs/guide.md", "api"])
    docs, api = answer["paths"]
    assert docs["codeowners"] == [{"owner": "@writer", "kind": "person", "patterns": ["/docs/"]}]
    assert api["holders"][0]["person"] == "Ada" and api["holders"][0]["share"] == 0.5
    with pytest.raises(InvalidQuery, match="at most 20 paths"):
        who_knows(graph(), [f"f{i}" for i in range(21)])
    with pytest.raises(InvalidQuery, match="at least one path"):
        who_knows(graph(), [" "])


def test_instructions_apply_by_location_and_by_globs():
    g = graph()
    assert [n.key for n in agent_instructions.for_paths(g, ["api/a.py"])] == ["AGENTS.md", "api/AGENTS.md"]
    assert [n.key for n in agent_instructions.for_paths(g, ["web/src/app.ts"])] == [".cursor/rules/ts.mdc", "AGENTS.md"]
    assert [n.key for n in agent_instructions.for_paths(g, ["web"], ["web/src/app.ts"])] == [".cursor/rules/ts.mdc", "AGENTS.md"]
    assert [n.key for n in agent_instructions.for_paths(g, ["web"])] == ["AGENTS.md"]  # no .ts file named
    assert [n.key for n in agent_instructions.for_paths(g, ["."])][-1] == "api/AGENTS.md"  # inside the directory asked about
    row = agent_instructions.quote(g.node(Label.AGENT_INSTRUCTIONS, "AGENTS.md"), chars=100)
    assert row["text_cut"] is True and len(row["text"]) <= 102


def test_lists_are_cut_and_paged_and_encoded_once_without_nulls():
    data = trim({"a": list(range(10)), "nested": {"b": list(range(3))}}, ["a", "nested.b"], 4)
    assert data["a"] == [0, 1, 2, 3] and data["omitted"] == {"a": 6}
    one = page(list(range(10)), 4, "8")
    assert one == {"items": [8, 9], "total": 10}
    assert page(list(range(10)), 4, None)["next_cursor"] == "4"
    with pytest.raises(InvalidQuery, match="not one this tool gave out"):
        page([], 4, "-1")
    text = encode({"name": "Łukasz", "missing": None, "rows": [None, 1]})
    assert text == '{"name":"Łukasz","rows":[null,1]}' and json.loads(text)["rows"] == [None, 1]
