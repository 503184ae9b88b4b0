"""``cairn reviews import``: who reviewed which files, read from GitHub or GitLab into the store."""

from __future__ import annotations

import os
import re
from enum import Enum
from typing import TYPE_CHECKING, Optional

from cairn.api.common import CairnError, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.params import App, Option
from cairn.api.render.console import escape

reviews_app = App(help="Review records from the forge: review work counts as knowledge.")
SLUG = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"


class ImportFormat(str, Enum):
    table = "table"
    json = "json"


def register(app: App) -> None:
    reviews_app.command("import")(import_command)
    app.add_group(reviews_app, "reviews")


if TYPE_CHECKING:
    from datetime import datetime


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CairnError(f"--since {value!r}: not a date (use YYYY-MM-DD or an ISO 8601 time)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def import_command(
    github: Optional[str] = Option(None, "--github", help="OWNER/REPO on GitHub (token: $CAIRN_GITHUB_TOKEN or $GITHUB_TOKEN)"),
    gitlab: Optional[str] = Option(None, "--gitlab", help="PROJECT id or group/name on GitLab (token: $GITLAB_TOKEN or $CAIRN_GITLAB_TOKEN)"),
    since: Optional[str] = Option(None, "--since", help="Only pull requests merged since DATE (default: since the last import)"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: ImportFormat = Option(ImportFormat.table, "--format", help="table or json"),
) -> None:
    """Read merged pull requests' reviews and files from the forge and count them as review knowledge.

    Bots and coding agents never count. Incremental: the next import reads only pull requests updated since.
    """
    if (github is None) == (gitlab is None):
        raise CairnError("name exactly one forge project: --github OWNER/REPO or --gitlab PROJECT")
    if github is not None and not re.match(SLUG, github.strip()):
        raise CairnError(f"--github {github!r}: expected OWNER/REPO")
    if gitlab is not None and not gitlab.strip():
        raise CairnError("--gitlab needs a project id or path")
    forge, project = ("github", github.strip()) if github is not None else ("gitlab", str(gitlab).strip().strip("/"))
    moment = parse_since(since)
    from cairn.api.services.review_import import import_reviews

    with opened_workspace(store) as ws:
        result = import_reviews(ws, repo, forge, project, since=moment, env=os.environ)
    if format is ImportFormat.json:
        print_json(result)
        return
    from cairn.api.render.text_table import Table

    table = Table(title=f"Reviews from {result['source']} into {result['repository']}", show_header=False)
    for label, key in (("read since", "read_since"), ("merged pull requests read", "pull_requests"),
                       ("review records read", "reviews"), ("new", "accepted"), ("already kept", "duplicates"),
                       ("bot reviews skipped", "bot_reviews_skipped"), ("records kept in all", "total"),
                       ("newest update seen", "newest")):
        table.add_row(label, escape(str(result[key] if result[key] is not None else "everything")))
    console.print(table)
    for note in result["notes"]:
        console.print(f"note: {escape(note)}", highlight=False)
