"""The boundary check of a stored repository, with its baseline of known violations.

The baseline is the checkout's configured file (``graph.baseline``), or one
given explicitly by the person running the check. Updating it records today's
violations when there is no file yet, and afterwards only removes fixed ones.

The judgement itself (every rule against the stored imports, no baseline) is
kept at ingest (``services.answers``) and read back while it holds: the same
day, or any day on which the same rule exceptions are expired. Else, or when
none was kept, it is made now from the part of the graph the rules read. The
baseline, a file that may change at any time, is applied at check time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from cairn.api.services import answers
from cairn.api.services.workspace import Workspace
from cairn.graph.baseline import Baseline, BaselineUpdate, baseline_path, load_baseline, update_baseline
from cairn.graph.errors import BaselineError
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.store import RepositorySummary
from cairn.queries.contracts.check import CheckReport, apply_baseline, judge
from cairn.queries.contract_expiry import judged_alike

#: What the rules read: the imports between modules and external packages, components, rules and decisions.
CHECK_PART = ((Label.REPOSITORY, Label.MODULE, Label.EXTERNAL, Label.COMPONENT, Label.RULE, Label.DECISION), (Rel.IMPORTS,))


class BoundaryCheck(NamedTuple):
    """A check report, the repository it is about, and what a baseline update did (None: no update).

    A named tuple: a frozen dataclass takes 0.5 ms to make, at the start of every ``cairn check``."""

    repository: str
    report: CheckReport
    baseline_update: BaselineUpdate | None = None


def configured_baseline(graph: RepoGraph) -> Path | None:
    """The baseline file configured for the repository's registered checkout; None when it has no checkout path."""
    repo = graph.repository
    return _configured_baseline(repo.props if repo is not None else {})


def _configured_baseline(props: dict[str, Any]) -> Path | None:
    root = props.get("path")
    if not root:
        return None
    return baseline_path(Path(root), props.get("baseline"))


def judgement(ws: Workspace, summary: RepositorySummary, today: date | None = None) -> CheckReport:
    """Every rule judged on the stored graph, nothing baselined: the kept judgement while it holds ``today``."""
    today = today or date.today()
    kept = answers.read_answer(ws.store, summary.repo, answers.CHECK)
    if kept is not None and judged_alike(kept["expiries"], date.fromisoformat(kept["judged_on"]), today):
        return CheckReport.from_answer(kept["report"])
    return judge(ws.part(summary, *CHECK_PART), today=today)


def check_boundaries(ws: Workspace, repo: str | None, *, baseline: Path | None = None, update: bool = False) -> BoundaryCheck:
    """Check the repository's rules on its stored graph, against its baseline; optionally update the baseline first."""
    summary = ws.repository(repo)
    path = baseline
    if path is None:
        path = _configured_baseline(summary.props)
        if path is None and update:
            raise BaselineError("the stored repository has no checkout path; pass --baseline FILE")
    elif not update and not path.is_file():
        raise BaselineError("baseline file not found", path=str(path))
    known: Baseline | None = load_baseline(path) if path is not None and path.is_file() else None
    judged = judgement(ws, summary)
    report = apply_baseline(judged, known)
    if not update:
        return BoundaryCheck(summary.repo, report)
    assert path is not None
    change = update_baseline(path, report.current_keys)
    return BoundaryCheck(summary.repo, apply_baseline(judged, load_baseline(path)), change)
