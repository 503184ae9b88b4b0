"""How much past work on a file weighs now: halved for every year between it and the repository's newest commit.

``weight_now(last_touch, newest)`` is ``0.5 ** (age_days / HALF_LIFE_DAYS)``,
age counted from ``last_touch`` (the person's last change to, or review of,
the file) to ``newest`` (the Repository node's ``newest_commit_at``, not the
clock: a replay or an old mirror is judged as of its own history); 1.0 when
either date is unknown, and never above 1.0 (a touch after ``newest`` counts
as of ``newest``). Who-knows' "ask first" and the PR check's reviewers both
weigh knowledge by it, so they agree on how fast knowledge fades.
"""

from __future__ import annotations

from datetime import datetime

#: work on a file weighs half as much a year after it (prometheus's template/, last changed by its long-time holder
#: in 2017, is asked of the people who changed it in 2024-25)
HALF_LIFE_DAYS = 365


def weight_now(last_touch: datetime | None, newest: datetime | None) -> float:
    if last_touch is None or newest is None:
        return 1.0
    age_days = max((newest - last_touch).total_seconds() / 86400, 0.0)
    return 0.5 ** (age_days / HALF_LIFE_DAYS)
