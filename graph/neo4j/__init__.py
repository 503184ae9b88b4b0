"""The parts of the Neo4j adapter (``graph.neo4j_store.Neo4jStore`` puts them together).

* ``connection`` — the driver: URIs and credentials, sessions, one-line errors, parallel writers;
* ``layout`` — what Cairn keeps in a Neo4j database (labels, internal properties) and its
  constraints and indexes;
* ``properties`` — model property values to Neo4j properties and back;
* ``batches`` — how a graph's writes are cut into transactions, and the node-disjoint rounds
  that let several writers create relationships without waiting for each other's locks;
* ``writing`` — saving a graph as a new run, switching readers to it, deleting older runs;
* ``reading`` — reading the complete run of a repository, whole or in part;
* ``records`` — what lives beside the graph: derived answers and review records.

Client Cypher (``cairn query``) is ``graph.neo4j_cypher``, under ``graph.cypher_policy``.
"""
