"""The boundary check: every rule of a graph judged against its import edges.

``check(graph)`` (``contracts.check``) evaluates every Rule node (see
``graph.rules`` for the rule language) with the contract of its kind, one
module per kind (``forbidden``, ``layers``, ``independence``,
``allowed_only``, ``acyclic``, ``interface``; ``contracts.registry`` maps
them). It is a pure function of the graph, the baseline and ``today``, so the
PR check runs it on a change's base and head graphs too.

Semantics, following import-linter where they overlap:

* An import edge counts for a rule unless it is ``type_only`` (and the rule does
  not ``include_type_only``), ``dynamic`` (and the rule excludes dynamic
  imports), or matched by one of the rule's live exceptions (``contracts.base``).
* Direct rules report each offending edge. Transitive rules (``transitive =
  true``) also report each module of the importing side that reaches the other
  side only through a chain whose middle modules belong to neither side (nor,
  for layers and independence, to another listed layer or subject), with the
  shortest chain as evidence — one finding per importing module, whatever the
  number of modules it reaches. Whether a rule is kept is the same as
  import-linter's answer.
* A finding's identity (its baseline key) is ``(rule, importer, imported)``
  (``graph.findings``), never a line.
"""

from cairn.queries.contracts.check import CheckReport, check

__all__ = ["CheckReport", "check"]
