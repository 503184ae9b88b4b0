"""``cairn ingest``: read a repository into the store and print what was found."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from cairn.api.common import (CairnError, StoreOption, console, err_console, nothing_left_to_finish, opened_workspace,
                              print_json)
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.params import App, Argument, Option
from cairn.api.render.console import escape

if TYPE_CHECKING:
    from cairn.ingest.summary import IngestResult

IngestFormat = formats("ingest", JSON, TABLE)


def register(app: App) -> None:
    app.command("ingest")(ingest)


def ingest(
    path: Path = Argument(..., help="The repository checkout to read"),
    store: Optional[str] = StoreOption,
    config: Optional[Path] = Option(None, "--config", help="Configuration file (default: cairn.toml or [tool.cairn] in pyproject.toml)"),
    name: Optional[str] = Option(None, "--name", help="Repository name in the store (default: the directory name)"),
    format: IngestFormat = TABLE,
) -> None:
    """Ingest the repository checked out at PATH: code, history, decisions, owners."""
    if not path.exists():
        raise CairnError(f"{path}: no such directory")
    if not path.is_dir():
        raise CairnError(f"{path}: not a directory")
    from cairn.api.loose_ends import LooseEnds
    from cairn.ingest.gcpause import ends_after_work

    ends_after_work()  # this command's process ends after it: see ingest.gcpause
    loose_ends = LooseEnds.before()
    result, store_label = _ingest(path, store, config, name, format)
    if result.unchanged:  # nothing was written, the store is closed, git's commands have ended
        nothing_left_to_finish()
    elif loose_ends.none():  # what it wrote is closed, its threads and children ended (looked at, not assumed)
        nothing_left_to_finish()
    summary = result.summary
    for warning in summary.warnings:  # on stderr in every format: a shallow or broken history must not pass silently
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if format is JSON:
        print_json(summary.as_dict())
        return
    from cairn.api.render.terminal import count, literal, table  # (the table's renderer: not for JSON)

    rows = [
        ("path", summary.path),
        ("store", store_label),
        ("head", summary.head or "(no commits)"),
        ("files", ", ".join(f"{lang} {n}" for lang, n in summary.files_by_language.items()) or "none"),
        ("modules", f"{summary.modules} ({summary.parsed} parsed, {summary.cached} from cache)"),
        ("imports", f"{count(summary.edges, 'import edge')}: {count(summary.external_packages, 'external package')}, "
                    f"{count(summary.standard_library, 'standard-library module')}"),
        ("components", str(summary.components)),
        ("history", f"{count(summary.commits, 'commit')}, {count(summary.people, 'person', 'people')}"),
        ("decisions", f"{count(summary.decisions, 'decision')}, {count(summary.rules, 'rule')}"),
        ("skipped", ", ".join(f"{reason} {n}" for reason, n in summary.skipped.items()) or "none"),
    ]
    if summary.syntax_errors:
        rows.append(("syntax errors", f"{count(summary.syntax_errors, 'file')} (still used)"))
    rows.append(("time", f"{summary.seconds:.2f} s"))
    console.print(table(f"Ingested {summary.repo}", ["", ""], [(literal(k, "bold"), v) for k, v in rows], show_header=False))
    for note in summary.notes[:20]:
        console.print(f"[dim]note:[/] {escape(note)}", highlight=False)


def _ingest(path: Path, store: Optional[str], config: Optional[Path], name: Optional[str],
            format: IngestFormat) -> tuple[IngestResult, str]:
    """The ingest's result, and the store it went into (as the store names itself)."""
    from cairn.ingest.gcpause import gc_paused

    # what the check imports lives to the end and is no garbage: no collection walks it (nor what the check reads,
    # ``ingesting``; ~2 ms of an ingest that finds nothing changed)
    with gc_paused():
        from cairn.ingest.checkout import checkout_root
        from cairn.ingest.freshness import CheckoutQuestions

        # git answers the check for changes while the store and the ingest's service are imported and opened
        asked = CheckoutQuestions.ask(checkout_root(path))
    try:
        with gc_paused():
            from cairn.api.services.ingesting import ingest as ingest_checkout

        with opened_workspace(store, create=True, checkout=path) as ws:
            if format is TABLE and err_console.is_terminal:
                with _progress_bar() as progress:
                    return ingest_checkout(ws, path, config_file=config, repo_name=name, progress=progress, asked=asked,
                                           graph_read=False), str(ws.label)
            # no bar: rich not imported; the summary alone is read of the result
            return ingest_checkout(ws, path, config_file=config, repo_name=name, asked=asked, graph_read=False), str(ws.label)
    finally:
        asked.cancel()  # (when a step failed before the check read git's answers)


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A transient bar per ingest stage on the error console; yields the ``progress(stage, done, total)`` to call."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console.rich(), transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield progress
