"""Cairn: a system-knowledge graph for architectural stewardship.

The package's code lives in four folders at the repository's top level, which
``pyproject.toml`` installs under this one name:

* ``cairn.graph``   (``graph/``)   the model, the shared vocabulary and the stores;
* ``cairn.ingest``  (``ingest/``)  reads a repository or a change into the model;
* ``cairn.queries`` (``queries/``) the analyses, pure functions over the model;
* ``cairn.api``     (``api/``)     the interfaces: CLI, HTTP, MCP, web page.

Data flows one way: ``api`` uses ``queries`` and ``ingest``, which are siblings
that both use only ``graph``.
"""
