"""The application services: what the interfaces (CLI, HTTP, MCP, web page) ask Cairn to do.

Every interface is a thin entry point over these functions (cosmicpython's
``service_layer`` is the model): it parses its own input, calls a service,
and renders the result. The services open nothing themselves — they work on a
``Workspace`` (a store, how a repository is chosen, and the graph cache) —
and call the analyses (``queries``) and the readers (``ingest``):

* ``workspace`` — the one repository resolution and the one graph cache;
* ``answers`` — the derived answers kept at ingest, which the reads and the
  check read instead of the graph;
* ``reads`` — every read: components, cards, dependencies, bus factor, the knowledge map,
  decisions, rules, paths, search, reading list, central modules, who knows
  a path, the briefing before a change, Cypher;
* ``checks`` — the boundary check with its baseline;
* ``changes_over_time`` — change coupling, hotspots, the agent inventory, trends
  (and the trend periods stored at ingest);
* ``changes`` — the PR check on a checkout, on refs of a registered
  checkout, or on a diff, and matching a forge event to a repository;
* ``posting`` — the PR check posted where reviews happen: ``--post
  github|gitlab`` from CI, and the webhook's fetching and posting;
* ``ingesting`` — ingesting a checkout into a store, review records;
* ``review_import`` — review records read from GitHub or GitLab;
* ``about`` — the service's version and health.
"""
