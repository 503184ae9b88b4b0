"""``cairn pr-check``: is this change safe to merge without deeper review? Optionally posted where it is reviewed."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any, Optional

from cairn.api.common import EXIT_BLOCKING, CairnError, StoreOption, console, err_console, opened_workspace, print_json
from cairn.api.formats import CODECLIMATE, JSON, MARKDOWN, SARIF, TABLE, formats
from cairn.api.params import App, Exit, Option, echo
from cairn.api.render.console import escape


class Forge(str, Enum):
    github = "github"
    gitlab = "gitlab"


class PostErrors(str, Enum):
    fail = "fail"
    warn = "warn"


PrCheckFormat = formats("pr-check", JSON, TABLE, MARKDOWN, SARIF, CODECLIMATE)


def register(app: App) -> None:
    app.command("pr-check")(pr_check)


def pr_check(
    repo: Path = Option(Path("."), "--repo", help="The repository checkout holding both refs"),
    base: str = Option(..., "--base", help="The branch or commit the change goes into"),
    head: str = Option(..., "--head", help="The branch or commit of the change"),
    store: Optional[str] = StoreOption,
    description_file: Optional[Path] = Option(None, "--description-file", help="The PR description (for rationale and agent markers)"),
    format: PrCheckFormat = MARKDOWN,
    post: Optional[Forge] = Option(None, "--post", help="Also post the result on the pull request: github (comment and check run) or gitlab (note)"),
    pr: Optional[int] = Option(None, "--pr", min=1, help="The pull/merge request number (default: from the CI environment)"),
    post_errors: PostErrors = Option(PostErrors.fail, "--post-errors", help="A forge error exits 2 (fail) or only warns (warn)"),
) -> None:
    """Check what a change from BASE to HEAD introduces: new violations, couplings, cycles, knowledge risk, reviewers.

    With --post, the pull request's description and author come from the CI event (GitHub Actions, GitLab CI).
    Exit code 0: nothing blocking; 1: a blocking finding; 2: bad input, or a forge error while posting.
    """
    from cairn.api.services.changes import pr_check_checkout
    from cairn.ingest.gcpause import ends_after_work

    ends_after_work()  # this command's process ends after it: see ingest.gcpause
    posting = None
    if post is not None:
        from cairn.api.services.posting import Posting  # the forge clients (httpx): only to post

        posting = Posting(post.value, pr, os.environ)
        if posting.error is not None and post_errors is PostErrors.fail:
            raise posting.error  # nowhere to post: say so before the check runs
    description = None
    if description_file is not None:
        try:
            description = description_file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise CairnError(f"{description_file}: cannot read ({exc.strerror})") from None
    elif posting is not None:
        description = posting.description  # the pull request's own description, from the CI event
    with opened_workspace(store, create=True, checkout=Path(repo)) as ws:  # a checkout the store does not know yet is ingested first
        report = pr_check_checkout(ws, repo, base, head, description=description,
                                   author=posting.author if posting is not None else None)
    _print_report(report, format)
    if posting is not None:
        for posted in posting.post(report):
            err_console.print(f"{post.value}: {escape(posted.line())}", highlight=False, soft_wrap=True)
        if posting.error is not None:
            if post_errors is PostErrors.fail:
                raise posting.error
            err_console.print(f"[yellow]warning:[/] {escape(str(posting.error))}", highlight=False, soft_wrap=True)
    if report.blocking:
        raise Exit(EXIT_BLOCKING)


def _print_report(report: Any, format: Enum) -> None:
    """The report in ``format``; only that format's renderer is imported (the code climate one hashes: hashlib)."""
    if format is JSON:
        print_json(report.to_json())
    elif format is SARIF:
        from cairn.api.render.sarif import sarif_report

        # the history's completeness travels with the results
        print_json(sarif_report(report.findings, tool_rules=None,
                                properties={"history_complete": report.history_complete, "history": report.history}))
    elif format is CODECLIMATE:
        from cairn.api.render.codeclimate import codeclimate_report

        print_json(codeclimate_report(report))
    elif format is TABLE:
        from cairn.api.render.pr_table import pr_table

        for part in pr_table(report):
            console.print(part, highlight=False)
    else:
        from cairn.api.render.pr_comment import pr_markdown

        echo(pr_markdown(report), nl=False)

