"""The graph model and its stores.

``graph.model`` defines the node and edge vocabulary with their keys;
``graph.store`` is the port (the ``GraphStore`` interface) every analysis reads
through; ``graph.sqlite_store`` (the embedded store) and ``graph.neo4j_store`` are its
two adapters.
Nothing here imports ``ingest``, ``queries`` or ``api``.
"""
