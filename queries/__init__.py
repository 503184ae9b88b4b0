"""The analyses: pure functions from the model to answers.

``dependencies`` (the dependency graph and component listing), ``ownership``
(truck factor, knowledge holders, who is gone), ``contracts`` (the boundary
check, one module per rule kind), ``pr_check`` (``analyse``: what a change
introduces), ``explore`` (component card, paths, central modules, reading
list, search), ``decisions`` (decision and rule listings), and change over
time: ``coupling``, ``hotspots``, ``agents``, ``trends``, and ``cochange``
(the PR check's co-change finding).

Each reads a ``RepoGraph`` (loaded from any store) and the shared vocabulary
of ``graph``, and computes in Python, so it has one implementation whatever
the store. Queries import ``graph`` only: never ``ingest`` (their sibling,
which builds what they judge — a ``ChangeSet`` for the PR check) nor ``api``;
they run no git and read no repository, except a component's README for its
card, inside the recorded checkout.
"""
