"""The vocabulary of change over time, shared by ingest (which mines it) and queries (which analyse it).

* settings read from ``cairn.toml``: ``[coupling]`` (code-maat's thresholds),
  ``[trends]`` (the period trends are kept at, how many code graphs are
  sampled) and ``[agents]`` (message markers of agent-assisted commits, the
  window of "recent" changes), whose models live in ``graph.change_settings``
  and are imported from here when first named;
* period names and boundaries (``2024-03``, ``2024-Q1``, ``2024``, in UTC);
* what ingest hands to the trend analysis: per-period activity, knowledge
  snapshots at period ends and component dependencies at sampled commits
  (``TrendInputs``), so that ``queries`` computes truck factors and cycles
  without importing ``ingest``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Literal

from cairn.graph.lazy_exports import lazy_exports

PERIODS = ("month", "quarter", "year")
Period = Literal["month", "quarter", "year"]

#: The settings' models (pydantic), defined in ``graph.change_settings`` and imported when first named: an ingest reads
#: the settings as plain values (``ingest.config_values``) and imports no pydantic.
__getattr__ = lazy_exports(__name__, dict.fromkeys(
    ("AgentMarker", "AgentSettings", "CouplingSettings", "TrendSettings"), ".change_settings"))


# -- periods --------------------------------------------------------------------------


def period_of(epoch: int, period: str) -> str:
    """The name of the period holding ``epoch`` (UTC): ``2024-03``, ``2024-Q1`` or ``2024``."""
    t = datetime.fromtimestamp(epoch, timezone.utc)
    if period == "month":
        return f"{t.year:04d}-{t.month:02d}"
    if period == "quarter":
        return f"{t.year:04d}-Q{(t.month - 1) // 3 + 1}"
    if period == "year":
        return f"{t.year:04d}"
    raise ValueError(f"unknown period {period!r} (use one of {', '.join(PERIODS)})")


def period_start(name: str) -> int:
    """The first second of a period named by ``period_of``."""
    year = int(name[:4])
    if len(name) == 4:
        month = 1
    elif name[5] == "Q":
        month = 3 * (int(name[6]) - 1) + 1
    else:
        month = int(name[5:7])
    return int(datetime(year, month, 1, tzinfo=timezone.utc).timestamp())


def next_period(name: str) -> str:
    """The period after ``name``, of the same kind."""
    year = int(name[:4])
    if len(name) == 4:
        return f"{year + 1:04d}"
    if name[5] == "Q":
        q = int(name[6])
        return f"{year + 1:04d}-Q1" if q == 4 else f"{year:04d}-Q{q + 1}"
    month = int(name[5:7])
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def period_end(name: str) -> int:
    """The first second after a period (the start of the next one)."""
    return period_start(next_period(name))


def coarser(name: str, period: str) -> str:
    """The ``period`` holding the finer period ``name`` (``2024-05`` -> ``2024-Q2`` -> ``2024``)."""
    return period_of(period_start(name), period)


def kind_of_period(name: str) -> str:
    return "year" if len(name) == 4 else "quarter" if name[5] == "Q" else "month"


# -- what ingest hands to the trend analysis ----------------------------------------------


@dataclass(slots=True)
class ScopeActivity:
    """Commits in one period, for the repository or one component (slotted: 170,000 of them at 50k files)."""

    commits: int = 0
    assisted: int = 0  # agent-assisted commits
    humans: set[str] = field(default_factory=set)  # person ids of the humans who authored or shepherded them


@dataclass
class PeriodActivity:
    period: str
    repository: ScopeActivity = field(default_factory=ScopeActivity)
    components: dict[str, ScopeActivity] = field(default_factory=dict)


class KnowledgeSnapshot:
    """Who knew what at the end of a period, as far as it changed since the previous snapshot.

    ``files``: every source file present then -> its component. ``changed``:
    for files whose records changed since the previous snapshot, the DOA
    candidates (human person id -> (DOA, first authorship): everyone who could
    be an author, having added the file or reached DOA 3.293, and whoever has
    the highest DOA, which sets the bar) and the humans with review credit.
    ``gone``: people inactive at the period's end. ``rank``: commits per person
    so far (ties in the greedy truck factor). ``decided``: instead of
    ``changed``, for a replay that applies the authorship rule itself
    (``graph.authorship``): the files whose authors or knowledge holders may
    differ from what the previous snapshots said -> (their authors, sorted;
    their authors and the humans with review credit). ``moved``: when the
    replay knows them, the files in ``files`` and not in the previous
    snapshot's, or the other way round, every other file being in the same
    component as then (None: the two are compared).
    """

    period: str
    files: dict[str, str | None]
    changed: dict[str, tuple[dict[str, tuple[float, bool]], set[str]]]
    gone: set[str]
    rank: dict[str, int]
    decided: dict[str, tuple[list[str], frozenset[str]]]
    moved: set[str] | None

    def __init__(self, period: str, files: dict[str, str | None],
                 changed: dict[str, tuple[dict[str, tuple[float, bool]], set[str]]], gone: set[str],
                 rank: dict[str, int], decided: dict[str, tuple[list[str], frozenset[str]]] | None = None,
                 moved: set[str] | None = None) -> None:
        self.period = period
        self.files = files
        self.changed = changed
        self.gone = gone
        self.rank = rank
        self.decided = {} if decided is None else decided
        self.moved = moved


class CodeSample:
    """The component dependencies at the last commit of a period, and what agents touched in it."""

    period: str
    commit: str | None  # None: no commit before the period's end
    #: (source component, target component) -> the files whose imports make that dependency;
    #: None until extracted (see ``ingest.trend_samples.extract_samples``)
    dependencies: dict[tuple[str, str], list[str]] | None
    #: files changed by agent-assisted commits during the period
    agent_files: set[str]

    def __init__(self, period: str, commit: str | None, dependencies: dict[tuple[str, str], list[str]] | None = None,
                 agent_files: set[str] | None = None) -> None:
        self.period = period
        self.commit = commit
        self.dependencies = dependencies
        self.agent_files = set() if agent_files is None else agent_files


class TrendInputs:
    period: str  # the granularity of everything below
    activity: list[PeriodActivity]
    #: or what makes them, called once when they are first read (``queries.trends.trend_samples``)
    samples: list[CodeSample] | Callable[[], list[CodeSample]]
    #: yields one snapshot per period, oldest first; each is valid until the next is drawn
    snapshots: Callable[[], Iterator[KnowledgeSnapshot]]
    notes: list[str]
    #: the truck factors of the periods before the current one as the last ingest computed them, when the knowledge
    #: replayed up to the current period is what it was then (None: compute them from ``snapshots``)
    known_factors: dict[str, Any] | None
    #: called with the truck factors per period once computed (or reused), for the next ingest
    keep_factors: Callable[[dict[str, Any]], None] | None
    #: when the activity is the remembered one with the new commits added: the periods those landed in (every other
    #: period's activity is what the remembered commits made it); None when it was counted afresh
    landed: frozenset[str] | None
    #: set by ``queries.trends.annotate_trends``: the periods whose Period nodes may differ from those the last ingest
    #: made, when the inputs say (None: any may)
    periods_changed: frozenset[str] | None

    def __init__(self, period: str, activity: list[PeriodActivity],
                 samples: list[CodeSample] | Callable[[], list[CodeSample]],
                 snapshots: Callable[[], Iterator[KnowledgeSnapshot]], notes: list[str] | None = None,
                 known_factors: dict[str, Any] | None = None,
                 keep_factors: Callable[[dict[str, Any]], None] | None = None, landed: frozenset[str] | None = None,
                 periods_changed: frozenset[str] | None = None) -> None:
        self.period = period
        self.activity = activity
        self.samples = samples
        self.snapshots = snapshots
        self.notes = [] if notes is None else notes
        self.known_factors = known_factors
        self.keep_factors = keep_factors
        self.landed = landed
        self.periods_changed = periods_changed
