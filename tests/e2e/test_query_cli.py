"""`cairn query`: read-only Cypher on Neo4j, a plain refusal on the embedded store."""

import json
import uuid

import pytest
from fixtures.cli import CliRunner

from cairn.api.cli import app
from fixtures.gitrepo import GitRepo


def test_embedded_store_says_cypher_needs_neo4j(tmp_path):
    (tmp_path / "s").mkdir()  # an (empty) embedded store
    result = CliRunner().invoke(app, ["query", "MATCH (n) RETURN n", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "Cypher queries need a Neo4j store" in result.output


@pytest.mark.neo4j
def test_read_only_cypher_with_parameters(tmp_path, neo4j_uri):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"core/__init__.py": "", "core/a.py": "import core.b\n", "core/b.py": "", "api/__init__.py": "", "api/v.py": "import core.a\n"})
    name = f"r-{uuid.uuid4().hex[:8]}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", neo4j_uri, "--name", name]).exit_code == 0
    result = runner.invoke(app, [
        "query", "MATCH (c:Component {_repo: $repo}) RETURN c.name AS name, c.truck_factor AS tf ORDER BY name",
        "--param", f"repo={name}", "--store", neo4j_uri, "--format", "json",
    ])
    assert result.exit_code == 0, result.output
    assert [row["name"] for row in json.loads(result.stdout)] == ["api", "core"]
    assert all(row["tf"] == 1 for row in json.loads(result.stdout))
    result = runner.invoke(app, ["query", "CREATE (n:Evil) RETURN n", "--store", neo4j_uri])
    assert result.exit_code == 2 and "read-only" in result.output
    result = runner.invoke(app, ["query", "MATCH (n RETURN n", "--store", neo4j_uri])
    assert result.exit_code == 2 and "Cypher query failed" in result.output
    result = runner.invoke(app, ["query", "RETURN 1", "--param", "oops", "--store", neo4j_uri])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_unreachable_neo4j_is_one_line(tmp_path):
    result = CliRunner().invoke(app, ["deps", "--store", "bolt://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "127.0.0.1:1" in result.output and "Traceback" not in result.output
