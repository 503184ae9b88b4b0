"""Store parity: every analysis gives the same answer on the embedded store and on Neo4j.

The same repositories are ingested into an embedded store and into a real
Neo4j (started by tests/neo4j/server.sh), and the JSON of every read command is
compared. Two repositories share the Neo4j database, so a leak between them
would show up as a difference.
"""

import json
import uuid

import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from cairn.graph.model import Label
from cairn.queries.briefing import briefing
from fixtures.gitrepo import GitRepo

pytestmark = pytest.mark.neo4j

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
CLAUDE = "Claude <noreply@anthropic.com>"


def build_shop(root):
    repo = GitRepo(root)
    repo.commit({
        "cairn.toml": '[components]\napi = ["shop/api/**"]\ncore = ["shop/core/**"]\n\n'
                      '[[rules]]\nid = "core-pure"\nkind = "forbidden"\nfrom = ["core"]\nto = ["api"]\n'
                      'because = "docs/adr/0001-pure-core.md"\n',
        "docs/adr/0001-pure-core.md": "# 1. Pure core\n\n## Status\n\nAccepted\n\n## Context\n\nThe core (shop/core/prices.py) must not know the API.\n",
        ".github/CODEOWNERS": "shop/core/ @ada\n",
        "shop/__init__.py": "", "shop/core/__init__.py": "", "shop/api/__init__.py": "",
        "shop/core/prices.py": "import decimal\n",
        "shop/core/legacy.py": "from shop.api import views\n",
    }, author=ADA, message="core")
    repo.commit({"shop/api/views.py": "from shop.core import prices\n"}, author=BOB, message="api")
    repo.commit({"shop/api/views.py": "from shop.core import prices\nimport json\n"}, author=BOB, message="more",
                trailers=[f"Co-authored-by: {CLAUDE}"])
    # a year on, Ada is inactive: core's files mostly have no author left, and Bob is the one to ask (``ask_first``)
    repo.commit({"shop/core/prices.py": "import decimal\nimport fractions\n"}, author=BOB, message="fractions",
                date="2025-01-01T00:00:00+00:00")
    return repo


def build_lib(root):
    repo = GitRepo(root)
    repo.commit({"lib/__init__.py": "", "lib/a.py": "import lib.b\n", "lib/b.py": "import requests\n"}, author=BOB)
    return repo


def read(args, store):
    result = CliRunner().invoke(app, [*args, "--store", store, "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


COMMANDS = [
    ["deps"],
    ["deps", "--level", "component"],
    ["components"],
    ["bus-factor"],
    ["bus-factor", "--leaving", "Ada Lovelace"],
    ["explore", "core"],
    ["adrs"],
    ["check"],
]


def _differences(a, b, at="") -> list[str]:
    """Where two JSON values differ, each as its path and both values (a failure says what, not only that)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in _differences(a.get(k), b.get(k), f"{at}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{at}[{i}]")]
    return [] if a == b else [f"{at or '.'}: embedded {a!r}, neo4j {b!r}"]


def test_every_read_command_agrees(tmp_path, neo4j_uri):
    shop, lib = build_shop(tmp_path / "shop"), build_lib(tmp_path / "lib")
    suffix = uuid.uuid4().hex[:8]  # the database may be shared with other tests
    embedded = str(tmp_path / "embedded")
    for repo, name in ((shop, f"shop-{suffix}"), (lib, f"lib-{suffix}")):
        for store in (embedded, neo4j_uri):
            result = CliRunner().invoke(app, ["ingest", str(repo.root), "--store", store, "--name", name])
            assert result.exit_code == 0, result.output
    for name in (f"shop-{suffix}", f"lib-{suffix}"):
        for command in COMMANDS:
            if name.startswith("lib") and ("--leaving" in command or command[0] == "explore"):
                continue
            a = read([*command, "--repo", name], embedded)
            b = read([*command, "--repo", name], neo4j_uri)
            assert a == b, f"{command} differs for {name}: " + "; ".join(_differences(a, b))
    # the analyses found something, so the comparison compared something
    check = read(["check", "--repo", f"shop-{suffix}"], embedded)
    assert [f["rule"] for f in check["findings"]] == ["core-pure"]
    bus = read(["bus-factor", "--repo", f"shop-{suffix}"], neo4j_uri)
    assert bus["repository"]["truck_factor"] >= 1
    core = next(c for c in bus["components"] if c["name"] == "core")
    assert [a["person"] for a in core["ask_first"]] == ["Bob Builder"]
    card = read(["explore", "core", "--repo", f"shop-{suffix}"], neo4j_uri)  # read from the Component node's property
    assert card["bus_factor"]["ask_first"] == core["ask_first"]


def test_a_briefing_agrees(tmp_path, neo4j_uri):
    """The briefing reads the decisions' ``mentions`` (a list property): the same from both stores."""
    shop = build_shop(tmp_path / "shop")
    name = f"shop-{uuid.uuid4().hex[:8]}"
    answers, mentions = [], []
    for store in (str(tmp_path / "embedded"), neo4j_uri):
        result = CliRunner().invoke(app, ["ingest", str(shop.root), "--store", store, "--name", name])
        assert result.exit_code == 0, result.output
        opened = open_store(store)
        graph = opened.load(name)
        mentions.append(graph.node(Label.DECISION, "docs/adr/0001-pure-core.md").get("mentions"))
        answers.append(briefing(graph, paths=["shop/core/legacy.py"]))
        opened.close()
    assert mentions == [["shop/core/prices.py"], ["shop/core/prices.py"]]
    assert answers[0] == answers[1], "; ".join(_differences(answers[0], answers[1]))
    assert [(d["path"], d["near"]) for d in answers[0]["decisions"]] == [("docs/adr/0001-pure-core.md", "shop/core")]


def test_reingest_into_neo4j_is_idempotent(tmp_path, neo4j_uri):
    shop = build_shop(tmp_path / "shop")
    name = f"shop-{uuid.uuid4().hex[:8]}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(shop.root), "--store", neo4j_uri, "--name", name]).exit_code == 0
    first = read(["deps", "--repo", name], neo4j_uri)
    assert runner.invoke(app, ["ingest", str(shop.root), "--store", neo4j_uri, "--name", name]).exit_code == 0
    assert read(["deps", "--repo", name], neo4j_uri) == first
    shop.commit({"shop/core/new.py": "import shop.core.prices\n"}, author=ADA)
    shop.git("rm", "-q", "shop/core/legacy.py")
    shop.commit(author=ADA, message="drop legacy")
    assert runner.invoke(app, ["ingest", str(shop.root), "--store", neo4j_uri, "--name", name]).exit_code == 0
    modules = {m["id"] for m in read(["deps", "--repo", name], neo4j_uri)["modules"]}
    assert "shop.core.new" in modules and "shop.core.legacy" not in modules
