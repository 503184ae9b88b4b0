"""A scope with no truck factor (none of its files is one the truck factor counts: ``queries.ownership``), in one wording.

Its ``truck_factor`` and ``human_truck_factor`` are None, and it is not at risk; a truck factor of 0 would say
instead that everyone who knew it is gone. Every interface says why in the same words.
"""

from __future__ import annotations

from typing import Any, Mapping

NOT_COUNTED_WHY = ("none of its files is one the truck factor counts (documentation, examples, vendored or generated files, "
                   "files with no commit)")


def not_counted(scope: Mapping[str, Any]) -> bool:
    """Whether ``scope`` (a component's properties, a card's ``bus_factor``, a report's row) has no truck factor for want
    of counted files (rather than none known yet)."""
    return scope.get("truck_factor") is None and scope.get("at_risk") is False
