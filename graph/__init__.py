"""The model, the vocabulary every other part speaks, and the store port with its adapters.

The model: ``model`` (node and edge types with their keys, ``RepoGraph``).
The shared vocabulary — frozen values whose docstrings define the domain
words, written by ingest and read by the analyses through the same classes:

* ``errors`` — ``CairnError`` and its specific subclasses;
* ``severity`` — ``Severity`` (info < warn < block) and ``Verdict``;
* ``findings`` — ``Finding``, the one result type of every check;
* ``rules`` — the boundary-rule language (``RuleSpec``, ``DeclaredRule``);
* ``decisions`` — decision status and what it means for rules, ``GovernsLink``;
* ``thresholds`` — when a person counts as gone and a component at risk;
* ``not_counted`` — a scope with no truck factor (no file it counts), and how every interface says so;
* ``baseline`` — the known violations: locating, reading, writing them;
* ``change`` — ``ChangeSet``: what a pull request does, ready to be judged;
* ``people`` — the one folding of names, e-mails and logins, ``PersonIndex`` (the one person lookup)
  and ``KnowledgeHolder``.

The stores: ``store`` is the port (``GraphStore``); ``sqlite_store`` (the embedded
store, one SQLite database) and ``neo4j_store`` (its parts in the package ``neo4j``) its adapters, sharing ``values`` (property normalisation) and
``atomic`` (the one atomic file write). Which adapter serves a location is the
composition root's business (``api.bootstrap``).

``changes`` is the vocabulary of change over time (coupling, trend and agent settings,
periods, what ingest hands to the trend analysis).

Nothing here imports ``ingest``, ``queries`` or ``api``.
"""
