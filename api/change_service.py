"""Change-over-time use cases that need more than the stored graph: trends with the code samples they lack.

Ingest picks the commits whose code graph trends compare (the last commit of
each recent period) but extracts only those already cached, so an ingest never
pays for them. ``trends_report`` extracts the missing ones from the checkout
(``ingest.trend_history.extract_samples_of``, cached for every later call and
ingest) and computes the report (``queries.trends``). The CLI, the HTTP API and
the MCP tools all call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cairn.graph.model import RepoGraph


def trends_report(graph: RepoGraph, *, period: str | None = None, component: str | None = None,
                  cache_dir: Path | None = None) -> dict[str, Any]:
    from cairn.ingest.trend_history import extract_samples_of
    from cairn.queries.trends import pending_samples, trends

    report = trends(graph, period=period, component=component)  # bad input fails here, before any extraction
    pending = pending_samples(graph)
    if not pending:
        return report
    samples, notes = extract_samples_of(graph, pending, cache_dir)
    report = trends(graph, period=period, component=component, samples=samples)
    report["notes"] = list(report.get("notes") or []) + notes
    return report
