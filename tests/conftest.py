"""Shared by every test: the real-Neo4j fixtures (``fixtures.neo4j_server``) as a plugin."""

pytest_plugins = ["fixtures.neo4j_server"]
