"""Decisions (ADRs): their status, what a status means for the rules they declare, and their links to components.

Status. Ingest normalises a decision's status to one of ``DecisionStatus``;
an unrecognised word is kept lowercased (``reverted``, ``obsolete`` …), so the
functions here take the stored text and look at its first word:

* a decision is **in force** when it is accepted (``accepted``, ``approved``,
  ``adopted``) or amended (changed by a later decision, still in force);
* it is **retired** when it no longer guides the code: ``superseded``,
  ``deprecated``, ``rejected``, ``reverted`` or ``obsolete``. A retired
  decision's rules are not enforced, and reading lists leave it out;
* it is **advisory** while ``proposed``: its rules report at most ``info``.

A decision *governs* a component (a GOVERNS edge) when the ADR says so in its
front matter or when its text points at the component; ``GovernsLink`` is the
typed edge: whether the link was ``inferred`` from the text and the
``confidence`` of that inference (1.0 for a declared link).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from cairn.graph.model import Edge
from cairn.graph.severity import Severity


class DecisionStatus(str, Enum):
    """The normalised lifecycle state of a decision record."""

    PROPOSED = "proposed"
    PENDING = "pending"
    ON_HOLD = "on hold"
    ACCEPTED = "accepted"
    AMENDED = "amended"
    REJECTED = "rejected"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"


#: Status words of a decision that no longer guides the code (ingest keeps unrecognised words such as "reverted").
RETIRED_STATUSES = frozenset({DecisionStatus.SUPERSEDED.value, DecisionStatus.DEPRECATED.value, DecisionStatus.REJECTED.value,
                              "reverted", "obsolete"})
#: Status words of a decision in force.
IN_FORCE_STATUSES = frozenset({DecisionStatus.ACCEPTED.value, DecisionStatus.AMENDED.value, "approved", "adopted"})
#: Status words of a decision not decided yet: its rules only inform.
ADVISORY_STATUSES = frozenset({DecisionStatus.PROPOSED.value, DecisionStatus.PENDING.value, DecisionStatus.ON_HOLD.value})


def status_word(status: Any) -> str:
    """The first word of a stored status, lowercased: ``"Superseded by 0005"`` → ``superseded``."""
    words = str(status or "").strip().lower().split()
    if words[:2] == ["on", "hold"]:
        return DecisionStatus.ON_HOLD.value
    return words[0].strip(".,;:()") if words else ""


def is_retired(status: Any) -> bool:
    return status_word(status) in RETIRED_STATUSES


def is_in_force(status: Any) -> bool:
    return status_word(status) in IN_FORCE_STATUSES


def enforcement(status: Any) -> tuple[bool, Severity | None]:
    """(enforced, severity cap) for a rule declared by a decision with ``status`` (None: no decision)."""
    word = status_word(status)
    if word in RETIRED_STATUSES:
        return False, None
    if word in ADVISORY_STATUSES:
        return True, Severity.INFO
    return True, None


@dataclass(frozen=True)
class GovernsLink:
    """A GOVERNS edge: a decision governs a component, declared or ``inferred`` with a ``confidence`` in [0, 1]."""

    inferred: bool
    confidence: float

    def to_props(self) -> dict[str, Any]:
        return {"inferred": self.inferred, "confidence": self.confidence}

    @classmethod
    def from_edge(cls, edge: Edge) -> "GovernsLink":
        inferred = bool(edge.get("inferred"))
        confidence = edge.get("confidence")
        return cls(inferred, float(confidence) if confidence is not None else (0.0 if inferred else 1.0))
