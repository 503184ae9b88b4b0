"""How near a decision is to the paths about to change: the paths its text names (the Decision node's ``mentions``,
``ingest.adrs.components.mentioned_paths``) against the paths asked about and the code they import.

A mention is near an asked path by the number of leading path segments they share (letter case aside; a mention's
last segment also matches a file of that name with an extension, as a dotted module ``shop.billing.invoices`` names
``shop/billing/invoices.py``): ``near`` is that shared part of the asked path. A mention of a module the asked files
import (or a path in it, or a folder holding it) is as near as that module's path is long: ``uses`` names it. jaeger's
``internal/storage/v2/elasticsearch/tracestore/core/reader.go`` shares only ``internal/storage`` with the decision
about the Elasticsearch client, which names ``internal/storage/elasticsearch/esclient``: the package the file calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Nearness:
    """``segments``: how many path segments the decision's nearest mention shares; ``near`` (an asked path's shared
    part) or ``uses`` (an imported module's path) says where."""

    segments: int = 0
    near: str | None = None
    uses: str | None = None


def nearness(asked: Iterable[str], used: Iterable[str], mentions: Iterable[str] | None) -> Nearness:
    """The nearest pair of a mention and an asked path (sharing leading segments) or a used module's path (one
    holding the other); the first found wins a tie, an asked path before a used one."""
    mentioned = [str(m).lower().split("/") for m in mentions or ()]
    best = Nearness()
    if not mentioned:
        return best
    for path in asked:
        segments = path.split("/")
        lowered = [s.lower() for s in segments]
        for mention in mentioned:
            shared = _shared(lowered, mention)
            if shared > best.segments:
                best = Nearness(shared, near="/".join(segments[:shared]))
    for path in sorted(used):
        lowered = path.lower().split("/")
        for mention in mentioned:
            shared = _shared(lowered, mention)
            if shared > best.segments and shared == min(len(lowered), len(mention)):
                best = Nearness(shared, uses=path)
    return best


def _shared(path: list[str], mention: list[str]) -> int:
    n = 0
    for a, m in zip(path, mention):
        if a != m and not (n == len(mention) - 1 and a.rsplit(".", 1)[0] == m):
            break
        n += 1
    return n
