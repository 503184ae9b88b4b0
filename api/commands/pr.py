"""``cairn pr-check``: is this change safe to merge without deeper review?"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cairn.api.common import EXIT_BLOCKING, CairnError, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, MARKDOWN, SARIF, TABLE, formats
from cairn.api.render.pr_comment import pr_markdown
from cairn.api.render.pr_table import pr_table
from cairn.api.render.sarif import sarif_report
from cairn.api.services.changes import pr_check_checkout

PrCheckFormat = formats("pr-check", JSON, TABLE, MARKDOWN, SARIF)


def register(app: typer.Typer) -> None:
    app.command("pr-check")(pr_check)


def pr_check(
    repo: Path = typer.Option(Path("."), "--repo", help="The repository checkout holding both refs"),
    base: str = typer.Option(..., "--base", help="The branch or commit the change goes into"),
    head: str = typer.Option(..., "--head", help="The branch or commit of the change"),
    store: Optional[str] = StoreOption,
    description_file: Optional[Path] = typer.Option(None, "--description-file", help="The PR description (for rationale and agent markers)"),
    format: PrCheckFormat = MARKDOWN,
) -> None:
    """Check what a change from BASE to HEAD introduces: new violations, couplings, cycles, knowledge risk, reviewers.

    Exit code 0: nothing blocking; 1: a blocking finding; 2: bad input.
    """
    description = None
    if description_file is not None:
        try:
            description = description_file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise CairnError(f"{description_file}: cannot read ({exc.strerror})") from None
    with opened_workspace(store, create=True) as ws:  # a checkout the store does not know yet is ingested first
        report = pr_check_checkout(ws, repo, base, head, description=description)
    if format is JSON:
        print_json(report.to_json())
    elif format is SARIF:
        print_json(sarif_report(report.findings, tool_rules=None))
    elif format is TABLE:
        for part in pr_table(report):
            console.print(part, highlight=False)
    else:
        typer.echo(pr_markdown(report), nl=False)
    if report.blocking:
        raise typer.Exit(EXIT_BLOCKING)
