"""Shared by every test: the real-Neo4j fixtures (``fixtures.neo4j_server``) as a plugin, and the embedded store's
check of the nodes a save takes as stored (``graph.store.VERIFY_SKIPS``): a save that would keep a stale node
because an ingest did not name it as changed fails instead, in every test that ingests twice (and in the processes
they start, which inherit the environment)."""

import os

os.environ["CAIRN_VERIFY_SKIPS"] = "1"

pytest_plugins = ["fixtures.neo4j_server"]
