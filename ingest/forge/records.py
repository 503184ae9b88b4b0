"""What both forge readers share: the harvest of one import, dates, and who counts as a reviewer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass
class Harvest:
    """The review records read from a forge in one import, and how far the import got."""

    source: str                       # "github:owner/repo" or "gitlab:project"
    records: list[dict[str, Any]] = field(default_factory=list)
    pull_requests: int = 0            # merged pull/merge requests read
    skipped_unmerged: int = 0
    skipped_bots: int = 0
    newest: str | None = None         # the newest update time among the requests listed (the next import starts there)

    def saw(self, updated_at: str | None) -> None:
        if updated_at and (self.newest is None or parse_time(updated_at) > parse_time(self.newest)):
            self.newest = updated_at


def parse_time(value: str | None) -> datetime:
    """An ISO 8601 time from a forge (``Z`` or an offset); naive values are UTC."""
    if not value:
        return datetime.min.replace(tzinfo=timezone.utc)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def iso_z(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def later(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return a or b
    return a if parse_time(a) >= parse_time(b) else b


GITLAB_BOT_USER = re.compile(r"^(?:project|group)_\d+_bot(?:_[0-9a-f]+)?$|^ghost$|^support-bot$|^alert-bot$", re.I)


def review_record(source: str, pull_request: str, login: str, files: list[str], submitted_at: str | None,
                  name: str | None = None, email: str | None = None) -> dict[str, Any]:
    """One review record as ``cairn.ingest.reviews`` applies it (login, and name/e-mail when the forge tells them)."""
    record: dict[str, Any] = {"reviewer": login, "login": login, "files": files, "pull_request": pull_request,
                              "submitted_at": submitted_at, "source": source}
    if name:
        record["name"] = name
    if email:
        record["email"] = email
    return record
