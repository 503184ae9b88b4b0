"""A repository's instructions to coding agents: found anywhere, read as capped data, linked to the components they cover."""

from __future__ import annotations

import os

from cairn.graph.model import Label, Rel
from cairn.ingest.agent_instructions import MAX_TEXT_CHARS, classify
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo

CAIRN_TOML = """\
[components]
api = ["src/api/**"]
core = ["src/core/**"]
web = ["web/**"]
"""


def test_classify_names_each_kind_and_its_location():
    assert classify("AGENTS.md").directory == ""
    assert (classify("src/api/AGENTS.md").kind, classify("src/api/AGENTS.md").directory) == ("AGENTS.md", "src/api")
    assert classify("pkg/.claude/CLAUDE.md").directory == "pkg"
    assert classify("GEMINI.md").kind == "GEMINI.md"
    assert classify(".github/copilot-instructions.md").kind == "copilot"
    assert classify(".github/instructions/api.instructions.md").directory == ""
    assert classify("web/.cursor/rules/style.mdc").directory == "web"
    assert classify(".cursorrules").kind == "cursor" and classify(".windsurfrules").kind == "windsurf"
    assert classify(".windsurf/rules/x.md").kind == "windsurf"
    for other in ("README.md", "docs/agents.txt", ".github/workflows/ci.yml", ".cursor/settings.json", "src/claude.py"):
        assert classify(other) is None, other


def test_instruction_files_become_nodes_covering_their_components(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({
        "cairn.toml": CAIRN_TOML,
        "src/api/routes.py": "import src.core.models\n",
        "src/core/models.py": "X = 1\n",
        "web/app.ts": "export const a = 1;\n",
        "AGENTS.md": "# Agents\n\nRun `make test` before every commit.\n",
        "CLAUDE.md": "@AGENTS.md\n",
        "src/core/AGENTS.md": "Never import the api from the core.\x07\r\n",
        ".cursor/rules/web.mdc": "---\ndescription: web\nglobs: web/**/*.ts\n---\nUse strict TypeScript.\n",
        ".github/copilot-instructions.md": "x" * (MAX_TEXT_CHARS + 10),
        "node_modules/pkg/AGENTS.md": "vendored, not ours\n",
    })
    os.symlink("/etc/passwd", repo.root / "GEMINI.md")
    repo.commit(message="a link out of the checkout")
    result = ingest_repository(repo.root)
    graph = result.graph
    nodes = {n.key: n for n in graph.of_label(Label.AGENT_INSTRUCTIONS)}
    assert set(nodes) == {"AGENTS.md", "CLAUDE.md", "src/core/AGENTS.md", ".cursor/rules/web.mdc",
                          ".github/copilot-instructions.md"}
    assert any("GEMINI.md" in n and "outside the checkout" in n for n in result.summary.notes)
    covers = {}
    for e in graph.of_type(Rel.COVERS):
        covers.setdefault(graph.nodes[e.source].key, {})[graph.nodes[e.target].key] = e.get("how")
    assert covers["AGENTS.md"] == {"api": "repository", "core": "repository", "web": "repository"}
    assert covers["src/core/AGENTS.md"] == {"core": "directory"}
    assert covers[".cursor/rules/web.mdc"] == {"web": "globs"}
    core = nodes["src/core/AGENTS.md"]
    assert core["text"] == "Never import the api from the core.\n"  # control characters and CRLF cleaned
    assert core["scope"] == "directory" and core["lines"] == 1
    assert nodes["CLAUDE.md"]["references"] == ["AGENTS.md"]
    big = nodes[".github/copilot-instructions.md"]
    assert big["truncated"] is True and len(big["text"]) == MAX_TEXT_CHARS and big["size"] == MAX_TEXT_CHARS + 10
    assert nodes[".cursor/rules/web.mdc"]["globs"] == ["web/**/*.ts"]
