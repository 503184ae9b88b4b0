"""CODEOWNERS: GitHub's file precedence and matching rules, invalid lines, and the OWNS edges."""

from __future__ import annotations

from pathlib import Path

from cairn.graph.model import Label, Rel
from cairn.ingest.codeowners import add_ownership, parse_codeowners, read_codeowners
from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history
from cairn.ingest.knowledge import add_knowledge
from fixtures.ownership import build_team_repo, hand_built_graph


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def test_github_location_precedence(tmp_path):
    write(tmp_path, {"CODEOWNERS": "* @root-owner\n", "docs/CODEOWNERS": "* @docs-owner\n"})
    owners = read_codeowners(tmp_path)
    assert owners.source == "CODEOWNERS" and owners.owners_of("a.py") == ("@root-owner",)
    assert any("docs/CODEOWNERS is ignored" in n for n in owners.notes)
    write(tmp_path, {".github/CODEOWNERS": "* @gh-owner\n"})
    assert read_codeowners(tmp_path).owners_of("a.py") == ("@gh-owner",)
    assert read_codeowners(tmp_path / "nowhere").rules == []


def test_last_match_wins_and_ownerless_rule_unowns():
    owners = parse_codeowners(
        "*       @everyone\n"
        "*.js    @js-owner\n"
        "/build/logs/ @doctocat\n"
        "docs/*  docs@example.com\n"
        "apps/   @octocat\n"
        "/apps/github\n"
        "**/logs @logs-owner  # trailing comment\n"
        "\\#notes.txt @hash\n",
        "CODEOWNERS",
    )
    assert owners.notes == []
    assert owners.owners_of("src/x.py") == ("@everyone",)
    assert owners.owners_of("src/x.js") == ("@js-owner",)
    assert owners.owners_of("docs/a.md") == ("docs@example.com",)
    assert owners.owners_of("docs/deep/a.md") == ("@everyone",)  # docs/* is not recursive on GitHub
    assert owners.owners_of("apps/x.py") == ("@octocat",)
    assert owners.owners_of("sub/apps/x.py") == ("@octocat",)  # apps/ matches at any depth
    assert owners.owners_of("apps/github/y.py") == ()  # last match has no owners: unowned
    assert owners.owners_of("build/logs/t.txt") == ("@logs-owner",)  # later rule wins
    assert owners.owners_of("#notes.txt") == ("@hash",)
    assert owners.rule_for("src/x.js").line == 2


def test_invalid_lines_are_skipped_with_notes():
    owners = parse_codeowners(
        "*.py @ok\n!*.txt @neg\n[ab].py @range\n*.go not-an-owner\n*.rb @org/team-name @user user@example.com\n",
        ".github/CODEOWNERS",
    )
    assert [r.pattern for r in owners.rules] == ["*.py", "*.rb"]
    assert len(owners.notes) == 3
    assert any("line 2" in n and "negation" in n for n in owners.notes)
    assert any("line 3" in n for n in owners.notes)
    assert any("line 4" in n and "not-an-owner" in n for n in owners.notes)


def test_owns_edges_teams_people_and_components(tmp_path):
    build_team_repo(tmp_path)
    graph = hand_built_graph(files={
        "core/c1.py": "core", "core/c2.py": "core", "core/c3.py": "core", "core/c4.py": "core",
        "web/w1.py": "web", "web/w2.py": "web", "web/w3.py": "web", "tools/t.py": "tools",
    })
    add_knowledge(graph, mine_history(tmp_path, IdentitySettings()))
    add_ownership(graph, read_codeowners(tmp_path))
    owns = {(graph.nodes[e.source].key, graph.nodes[e.target].key) for e in graph.of_type(Rel.OWNS)}
    alice, bob = "alice@example.com", "bob@example.com"
    assert ("@acme/maintainers", "tools/t.py") in owns and graph.node(Label.TEAM, "@acme/maintainers") is not None
    assert {(alice, f) for f in ("core/c1.py", "core/c4.py")} <= owns  # @alice-gh is Alice through her noreply address
    assert (bob, "core/c2.py") in owns  # an e-mail owner matched to Bob
    assert (alice, "core") in owns and (bob, "core") in owns  # they own every core file
    assert ("@zed", "web/w1.py") in owns and ("@zed", "web") not in owns  # web/w3.py is unowned
    assert not any(target == "web/w3.py" for _, target in owns)
    zed = graph.node(Label.PERSON, "@zed")
    assert zed["declared_only"] is True and zed["commits"] == 0
    assert graph.repository["codeowners"] == ".github/CODEOWNERS"
    edge = next(e for e in graph.of_type(Rel.OWNS) if graph.nodes[e.target].key == "web/w1.py")
    assert edge.props["pattern"] == "/web/" and edge.props["line"] == 4


def test_the_indexed_rules_decide_as_the_rules_one_by_one():
    import itertools
    import random

    rnd = random.Random(15)
    pieces = ["docs", "src", "api", "*.py", "*.md", "**", "*", "v1", "lib"]
    patterns = ["*", "/build/", "docs/*", "src/**/api", "**/logs", "apps/**/x", "a/b/", "*.py", "/src/api/*.py", "lib/",
                "/docs/api/", "src/api/v1/", "/x", "b/", "/lib/docs/*.md", "**/api/*.py", "docs/\\#x"]
    for _ in range(40):
        depth = rnd.randint(1, 3)
        patterns.append(("/" if rnd.random() < 0.3 else "") + "/".join(rnd.choice(pieces) for _ in range(depth))
                        + ("/" if rnd.random() < 0.2 else ""))
    text = "\n".join(f"{p} @team-{i % 4} @org/t{i}" for i, p in enumerate(patterns))
    owners = parse_codeowners(text, ".github/CODEOWNERS")
    names = ["docs", "src", "api", "lib", "v1", "logs", "x", "build", "a", "b"]
    files = ["README.md", "setup.py", "x"] + ["/".join(p) + ext for n in (2, 3, 4)
                                              for p in itertools.islice(itertools.product(names, repeat=n), 0, None, 7)
                                              for ext in ("", ".py", ".md")]
    for path in files:
        one_by_one = next((rule for rule in reversed(owners.rules) if rule.matches(path)), None)
        assert owners.rule_for(path) is one_by_one, path
