"""What people take with them when they leave: the bus-factor report as if they left, against the report as it is.

``leaving_impact(before, after)`` compares two reports of ``queries.ownership``
(the same component filter; ``after`` computed with ``leaving=``):

* ``repository``: its truck factor, human-knowledge truck factor and orphaned
  files, each as ``NAME_before`` and ``NAME`` (after), and its counted files;
* ``components``: every component one of whose numbers or at-risk flag
  changes, the same fields and ``at_risk_before`` / ``at_risk``; those newly
  at risk first, then by the files they newly orphan, then by name;
* ``newly_at_risk``: the names of the components at risk only because they left;
* ``unchanged``: how many components keep every number.

A drill-down into a directory (``path``) is not compared: its numbers stand in
``after`` alone.
"""

from __future__ import annotations

from typing import Any

#: The numbers compared, as each scope of the report names them.
COMPARED = ("truck_factor", "human_truck_factor", "orphaned_files")


def leaving_impact(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changes from ``before`` (nobody leaving) to ``after`` (the report with ``leaving``); see the module."""
    repository = {"files": after["repository"]["files"], **_compared(before["repository"], after["repository"])}
    earlier = {c["name"]: c for c in before["components"]}
    changed, unchanged = [], 0
    for component in after["components"]:
        old = earlier.get(component["name"])
        if old is None:
            continue
        entry = {"name": component["name"], "files": component["files"], **_compared(old, component),
                 "at_risk_before": bool(old["at_risk"]), "at_risk": bool(component["at_risk"])}
        if all(entry[f"{k}_before"] == entry[k] for k in (*COMPARED, "at_risk")):
            unchanged += 1
        else:
            changed.append(entry)
    changed.sort(key=lambda c: (not (c["at_risk"] and not c["at_risk_before"]),
                                -((c["orphaned_files"] or 0) - (c["orphaned_files_before"] or 0)), c["name"]))
    return {
        "repository": repository,
        "components": changed,
        "newly_at_risk": [c["name"] for c in changed if c["at_risk"] and not c["at_risk_before"]],
        "unchanged": unchanged,
    }


def _compared(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in COMPARED:
        out[f"{key}_before"] = before.get(key)
        out[key] = after.get(key)
    return out
