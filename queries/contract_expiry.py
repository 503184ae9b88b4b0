"""Whether a judgement of the boundary check made on one day holds on another (``judged_alike``): apart from the
graph, a judgement depends only on which rule exceptions have expired (``contracts.check.expiry_dates``). Outside the
``contracts`` package, which imports the check: an ingest that keeps the stored judgement imports none of it."""

from __future__ import annotations

from datetime import date


def judged_alike(expiries: list[str], judged_on: date, today: date) -> bool:
    """Whether a judgement made on ``judged_on`` holds ``today``: every exception expired then is, and only those."""
    return all((date.fromisoformat(d) < judged_on) == (date.fromisoformat(d) < today) for d in expiries)
