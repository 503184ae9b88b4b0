"""The graph model and its stores.

``graph.model`` defines the node and edge vocabulary with their keys;
``graph.store`` is the port (the ``GraphStore`` interface) every analysis reads
through; ``graph.embedded`` and ``graph.neo4j_store`` are its two adapters.
``graph.changes`` is the vocabulary of change over time (coupling, trend and
agent settings, periods, what ingest hands to the trend analysis).
Nothing here imports ``ingest``, ``queries`` or ``api``.
"""
