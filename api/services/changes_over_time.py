"""Change over time: change coupling, hotspots, the agent inventory and trends, for every interface.

Each read loads the repository's graph through the workspace and asks the
analysis (``queries.coupling``, ``hotspots``, ``agents``, ``trends``).

Trends need more than the stored graph: ingest picks the commits whose code
graph trends compare (the last commit of each recent period) but extracts only
those already cached, so an ingest never pays for them. ``trends`` extracts
the missing ones from the recorded checkout
(``ingest.trend_samples.extract_samples_of``, cached for every later call and
ingest) and computes the report. ``annotate_trends`` turns what ingest mined
from the history pass into the stored Period nodes, before the graph is saved
(``ingesting.ingest_into_store`` calls it): ingest does not import the
analyses, so this step lives here.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator

from cairn.api.services.beside import Beside
from cairn.api.services.workspace import Workspace
from cairn.graph.changes import KnowledgeSnapshot, TrendInputs
from cairn.graph.model import RepoGraph
from cairn.queries import agents as agent_inventory
from cairn.queries import coupling as change_coupling
from cairn.queries import hotspots as change_hotspots
from cairn.queries import trends as change_trends

if TYPE_CHECKING:
    from cairn.ingest.trend_history import TrendReplay


def coupling(ws: Workspace, repo: str | None, *, component: str | None = None, path: str | None = None,
             min_revs: int | None = None, min_shared: int | None = None, min_degree: float | None = None,
             limit: int | None = None, tests: bool = False) -> dict[str, Any]:
    """File pairs and component pairs that change together (code-maat's degree), and whether an import connects them
    (pairs with a test file only when ``tests``)."""
    return change_coupling.coupling(ws.graph(repo), component=component, path=path, min_revs=min_revs,
                                    min_shared=min_shared, min_degree=min_degree, limit=limit, tests=tests)


def hotspots(ws: Workspace, repo: str | None, *, since: str | None = None, component: str | None = None,
             limit: int = 50, tests: bool = False) -> dict[str, Any]:
    """Files by changes × lines, with the component's truck factor and the file's top knowledge holder (test files
    only when ``tests``)."""
    return change_hotspots.hotspots(ws.graph(repo), since=since, component=component, limit=limit, tests=tests)


def agents(ws: Workspace, repo: str | None, *, component: str | None = None) -> dict[str, Any]:
    """Each coding agent's commits, components and shepherding humans; the agent share per component."""
    return agent_inventory.agents(ws.graph(repo), component=component)


def trends(ws: Workspace, repo: str | None, *, period: str | None = None, component: str | None = None) -> dict[str, Any]:
    """Per period: commits, agent share, humans, truck factors, new couplings and cycles (see the module docstring)."""
    graph = ws.graph(repo)
    report = change_trends.trends(graph, period=period, component=component)  # bad input fails here, before any extraction
    pending = change_trends.pending_samples(graph)
    if not pending:
        return report
    from cairn.ingest.trend_samples import extract_samples_of  # the code readers: only when samples are missing

    samples, notes = extract_samples_of(graph, pending, ws.cache_dir)
    report = change_trends.trends(graph, period=period, component=component, samples=samples)
    report["notes"] = list(report.get("notes") or []) + notes
    return report


class FactorsBeside:
    """The past periods' truck factors (the step of ``annotate_trends`` that costs: the knowledge replay and a greedy
    truck factor per scope and period), computed in a forked child (``beside``) from the replay ingest prepared right
    after the history pass (``trend_history.early_replay``), while the ingest goes on.

    ``annotate_trends`` takes them only when ingest said its trend inputs replay exactly that (``TrendReplay.same``)
    and it stops where the child stopped (the current period, when the bus factor's factors are stored: the usual
    case); otherwise it replays itself. Either way the factors are those the replay of the inputs gives."""

    def __init__(self, replay: TrendReplay):
        assert replay.snapshots is not None  # ingest hands on only a replay to run
        self.replay = replay
        self.job = Beside(self._replayed).start()

    def _replayed(self) -> dict[str, Any]:
        assert self.replay.snapshots is not None, "the replay was let go"
        return _factors(self.replay.snapshots, self.replay.stop_at)

    def factors(self, inputs: TrendInputs, stop_at: str | None) -> dict[str, Any]:
        if self.replay.same and stop_at == self.replay.stop_at:
            return self.job.result()
        self.job.cancel()
        return _factors(inputs.snapshots, stop_at)

    def let_go(self) -> None:
        """Drop the replay (what it reads of the history) once its factors are taken: nothing replays it again."""
        self.job.cancel()
        self.replay.snapshots = None

    def computing(self) -> bool:
        """Whether the child is still replaying (the ingest will wait for it at ``annotate_trends``)."""
        return self.job.computing()

    def cancel(self) -> None:
        self.job.cancel()


def _factors(snapshots: Callable[[], Iterator[KnowledgeSnapshot]], stop_at: str | None) -> dict[str, Any]:
    return change_trends.truck_factors_over_time(snapshots(), stop_at=stop_at)


def annotate_trends(graph: RepoGraph, inputs: TrendInputs | None, beside: FactorsBeside | None = None) -> None:
    """The Period nodes of ``graph`` from what ingest mined (nothing without history); ``beside``: the truck factors
    started for this ingest, if any."""
    if inputs is None:
        return
    from cairn.ingest.gcpause import gc_paused

    replayed = partial(_replayed_once, beside, inputs) if beside is not None else None
    with gc_paused():  # the knowledge replay allocates much and frees nothing cyclic (ingest.gcpause)
        try:
            change_trends.annotate_trends(graph, inputs, replayed)
        finally:
            if beside is not None:
                beside.cancel()  # a result not asked for (the factors were known)


def _replayed_once(beside: FactorsBeside, inputs: TrendInputs, stop_at: str | None) -> dict[str, Any]:
    """The factors ``beside`` gives, after which the replay is let go, its own and the inputs': the history it reads
    (the log, people, records) is then freed before the Period nodes are made, which reuse the memory (at 50k files
    they grew a cold ingest by 75 MB, to its peak, with the history still held)."""
    try:
        return beside.factors(inputs, stop_at)
    finally:
        beside.let_go()
        inputs.snapshots = _released


def release_trend_inputs(inputs: TrendInputs | None) -> None:
    """Let ``inputs`` go of the history once ``annotate_trends`` has used them: the replay (the commit log, people,
    records and change counts it reads), the activity rows and the samples. An ingest frees that (a tenth of its
    peak at 50k files) before the save, which reuses the memory; what the inputs said (period, notes, the truck
    factors reused) stays readable. Replaying them after this is a programming error, and says so."""
    if inputs is None:
        return
    inputs.snapshots = _released
    inputs.activity, inputs.samples, inputs.keep_factors = [], [], None


def _released() -> Iterator[KnowledgeSnapshot]:
    raise RuntimeError("these trend inputs were released after annotate_trends: nothing is left to replay")
