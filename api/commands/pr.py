"""``cairn pr-check``: is this change safe to merge without deeper review?"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cairn.api.common import EXIT_BLOCKING, CairnError, OutputFormat, StoreOption, opened_store, print_json
from cairn.api.services import cache_dir_for, graph_for_checkout
from cairn.queries.pr_check import PRCheckError, check_refs, is_blocking
from cairn.queries.pr_report import pr_markdown


def register(app: typer.Typer) -> None:
    app.command("pr-check")(pr_check)


def pr_check(
    repo: Path = typer.Option(Path("."), "--repo", help="The repository checkout holding both refs"),
    base: str = typer.Option(..., "--base", help="The branch or commit the change goes into"),
    head: str = typer.Option(..., "--head", help="The branch or commit of the change"),
    store: Optional[str] = StoreOption,
    description_file: Optional[Path] = typer.Option(None, "--description-file", help="The PR description (for rationale and agent markers)"),
    format: OutputFormat = typer.Option(OutputFormat.markdown, "--format", help="json, markdown or sarif"),
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
    if not repo.is_dir():
        raise CairnError(f"{repo}: not a directory")
    with opened_store(store) as st:
        graph = graph_for_checkout(st, repo)
        try:
            report = check_refs(graph, repo, base, head, description=description, cache_dir=cache_dir_for(st))
        except PRCheckError as exc:
            raise CairnError(str(exc)) from None
    if format is OutputFormat.json:
        print_json(report)
    elif format is OutputFormat.sarif:
        from cairn.queries.reports import sarif_report

        sarif = sarif_report(report["findings"], tool_rules=None)
        for run in sarif.get("runs", []):  # the history's completeness travels with the results
            run.setdefault("properties", {}).update(history_complete=report.get("history_complete", True),
                                                    history=report.get("history") or {})
        print_json(sarif)
    else:
        typer.echo(pr_markdown(report), nl=False)
    if is_blocking(report):
        raise typer.Exit(EXIT_BLOCKING)
