"""The tests' Neo4j launcher (tests/neo4j/server.sh): further settings from NEO4J_TEST_SETTINGS.

A setting given there is the server's (as ``SHOW SETTINGS`` reports it), and a
name or value Neo4j does not accept stops the start with one line saying which,
without a Java stack trace and without recording a class-data archive.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import neo4j
import pytest
from fixtures.neo4j_server import SERVER_SCRIPT, Neo4jServer

pytestmark = pytest.mark.neo4j


def _env(home: Path, settings: str) -> dict[str, str]:
    return dict(os.environ, NEO4J_TEST_HOME=str(home), NEO4J_TEST_HEAP="1g", NEO4J_TEST_PAGECACHE="64",
                NEO4J_TEST_SETTINGS=settings)


def test_settings_given_to_the_launcher_are_the_servers(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_TEST_SETTINGS", "db.transaction.timeout=17s  dbms.cypher.min_replan_interval=3m")
    server = Neo4jServer(tmp_path / "home")
    try:
        uri = server.start()
        with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value",
                names=["db.transaction.timeout", "dbms.cypher.min_replan_interval", "db.tx_log.preallocate"],
            )
        values = {record["name"]: record["value"] for record in records}
        assert values == {"db.transaction.timeout": "17s", "dbms.cypher.min_replan_interval": "3m",
                          "db.tx_log.preallocate": "true"}
    finally:
        server.stop()


@pytest.mark.parametrize(
    "settings, said",
    [
        ("no.such.setting=1", "No declared setting with name: no.such.setting"),
        ("db.tx_log.preallocate=maybe", "'maybe' is not a valid boolean value"),
    ],
)
def test_a_setting_neo4j_refuses_stops_the_start_with_one_line(tmp_path, settings, said):
    home = tmp_path / "home"
    out = subprocess.run(["bash", str(SERVER_SCRIPT), "start"], env=_env(home, settings),
                         capture_output=True, text=True, timeout=600)
    left = sorted(path.name for path in home.iterdir() if path.name.startswith("classes.jsa"))
    subprocess.run(["bash", str(SERVER_SCRIPT), "stop"], env=_env(home, ""), capture_output=True, timeout=120)
    assert out.returncode != 0
    assert "bolt://" not in out.stdout
    refused = [line for line in out.stderr.splitlines() if line.startswith("invalid Neo4j setting in NEO4J_TEST_SETTINGS")]
    assert len(refused) == 1 and said in refused[0]
    assert "\tat " not in out.stderr  # no stack trace
    assert left == []  # nothing for `stop` to keep as the cache's class-data archive
