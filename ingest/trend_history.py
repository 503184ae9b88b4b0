"""What trends are computed from: the observed commits replayed oldest first, and code graphs at period ends.

``trend_inputs`` turns ``History.log`` (the commits of the one history pass,
see ``ingest.commits``) and what ``ingest.cochange`` made of them into
``graph.changes.TrendInputs``:

* **activity** per period (``[trends] period``: month, quarter or year, UTC,
  by commit time): non-merge commits, agent-assisted ones, and the humans on
  them, for the repository and for each component (a commit counts for a
  component when it touches one of the component's files at HEAD); kept in
  the history state (``ActivityMemory``), so a re-ingest adds its new commits
  to it when the people and files are those it was counted with;
* **knowledge snapshots** at the end of each of the last ``[trends]
  knowledge_periods`` periods and, before them, of each year's last period
  (the truck factor over a long history costs a snapshot per period), produced
  lazily by replaying
  the commits oldest first with the rules of ``ingest.history`` (adds and
  deliveries by humans, deliveries by anyone as AC, review credit for humans
  on a commit's co-author/reviewer trailers, markers and an agent's
  committer, and for the merger of a pull request on the files it brought in
  that are present then, at the merge: ``ingest.merger_credit``). A rename
  moves the file's records to its new path, a deletion drops them; the files in scope are the source files present then, by the
  same path rules as File nodes. The replay applies the authorship rule
  itself (``graph.authorship``) to the files whose records changed and hands
  on only those whose authors or knowledge holders differ from what it said
  at an earlier snapshot (``KnowledgeSnapshot.decided``). The truck factors
  themselves are computed in ``queries.trends`` (ingest never imports queries);
* **code samples**: the component dependencies at the last first-parent
  commit of each of the ``[trends] samples`` periods before the current one
  (so the last ``samples`` periods, the current one included, get new
  couplings and cycles), read from what ``ingest.trend_samples`` kept or
  extracted; the current period uses the graph just ingested. Each sample
  also lists the files agent-assisted commits changed during its period, to
  tell which new couplings agents brought.

The truck factors of past periods cost the most (a greedy truck factor per
scope and period). They are kept in ``trend-factors-<digest>.json`` with the
key of what they were computed from; when the periods, people, components
and settings are unchanged and the replay reaches the current period before
the first position where the log differs from the remembered one (new
commits appended, or a merged branch's commits placed among the newest
remembered ones: ``History.kept_prefix``), the knowledge replayed up to the
current period is the same, and ``TrendInputs.known_factors`` hands them back
(the current period's are the stored bus factor's anyway). A branch reaching
into an earlier period replays every period (``queries.trends`` takes all
the earlier factors or none).

The replay needs the history pass alone, so ``early_replay`` prepares it right
after ``mine_history`` (periods spanning the log's non-merge commits, which is
what the activity of a first ingest spans), for the ingest service to compute
the truck factors over time in a forked child while knowledge, change counting
and the bus factor run; ``trend_inputs`` then says whether its own replay is
exactly that one (``TrendReplay.same``), and only then is the child's result used.
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_right
from functools import partial
from itertools import compress
from operator import not_
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pathspec

from cairn.graph.atomic import write_atomic
from cairn.graph.authorship import ABSOLUTE_DOA, NORMALISED_DOA
from cairn.graph.changes import KnowledgeSnapshot, TrendInputs, next_period, period_end, period_of
from cairn.graph.model import RepoGraph
from cairn.ingest.cochange import DAY, ChangeResult
from cairn.ingest.commit_people import CommitPeople
from cairn.ingest.commits import CommitLog
from cairn.ingest.components import ComponentDef, ComponentMap
from cairn.ingest.files import is_source_file, path_skip_reason
from cairn.ingest.freed_memory import give_back
from cairn.ingest.tracked import tracks
from cairn.ingest.trend_activity import MEMORY, ActivityMemory
from cairn.ingest.trend_samples import sample_commits
from cairn.ingest.knowledge import DOA_AC, DOA_BASE, DOA_DL, DOA_FA, History
from cairn.ingest.identities import HUMAN

if TYPE_CHECKING:
    from cairn.ingest.config import CairnConfig

MAX_PERIODS = 2_400  # 200 years of months: a corrupt commit date must not make millions of periods
FACTORS_FORMAT = "cairn-trend-factors"
FACTORS_VERSION = 1

class _Context:
    log: CommitLog
    view: CommitPeople
    history: History
    period_names: list[str]
    components: ComponentMap
    excluded: pathspec.PathSpec
    inactive_days: int
    snapshot_periods: set[int]  # indexes into period_names that get a knowledge snapshot

    def __init__(self, log: CommitLog, view: CommitPeople, history: History, period_names: list[str],
                 components: ComponentMap, excluded: pathspec.PathSpec, inactive_days: int,
                 snapshot_periods: set[int] | None = None) -> None:
        self.log = log
        self.view = view
        self.history = history
        self.period_names = period_names
        self.components = components
        self.excluded = excluded
        self.inactive_days = inactive_days
        self.snapshot_periods = set() if snapshot_periods is None else snapshot_periods

    def commit_periods(self) -> list[int]:
        """Per log position: the index of its period in ``period_names`` (-1: a merge, but a request merge's, whose
        merger may get review credit: ``merger_credit``)."""
        names, log = self.period_names, self.log
        ends = [period_end(name) for name in names]
        last = len(names) - 1
        merge, committed, merged = log.merge, log.committed, log.merged
        return [-1 if merge[p] and p not in merged else min(bisect_right(ends, committed[p]), last)
                for p in range(len(log))]


def _period_names(first: int, last: int, period: str) -> list[str]:
    names = [period_of(max(first, 0), period)]
    end = period_of(max(last, 0), period)
    while names[-1] != end and len(names) < MAX_PERIODS:
        names.append(next_period(names[-1]))
    return names


def _snapshot_periods(names: list[str], recent: int) -> set[int]:
    """The last ``recent`` periods, and before them the last period of each year (truck factors cost a snapshot each)."""
    first_recent = max(0, len(names) - recent)
    out = set(range(first_recent, len(names)))
    for i in range(first_recent):
        if i + 1 == len(names) or names[i + 1][:4] != names[i][:4]:
            out.add(i)
    return out


def _snapshots(ctx: _Context) -> Iterator[KnowledgeSnapshot]:
    """Replay the commits oldest first; yield who knew what at the end of every period.

    Paths are the log's path ids until a snapshot names them (a path's scope is decided once). Per path the replay
    keeps who added it, each human author's deliveries, who has review credit and the deliveries by anyone (the
    ``_candidates`` record, split so that a file's authors are found without visiting everyone who touched it);
    a snapshot says the authors and holders of the files whose records changed (``KnowledgeSnapshot.decided``),
    only when they differ from what an earlier snapshot said.
    """
    log, view = ctx.log, ctx.view
    person_of, kinds, ids = ctx.history.identity_person, view.kinds, view.person_ids
    commit_period = ctx.commit_periods()
    paths = log.paths
    added: dict[int, set[int]] = {}  # path id -> the humans who added it
    delivered: list[dict[int, int] | None] = [None] * len(paths)  # per path id: human -> deliveries
    reviewed: dict[int, set[int]] = {}  # path id -> the humans with review credit
    deliveries = [0] * len(paths)  # per path id: deliveries by anyone
    present: dict[int, str | None] = {}  # in-scope path ids present now -> component
    live = bytearray(len(paths))  # per path id: 1 when in ``present`` (a source file in scope, present now)
    entered: set[int] = set()  # path ids present now and not at the last snapshot
    left: set[int] = set()  # path ids present at the last snapshot and not now
    named: dict[str, str | None] = {}  # the same, by path (what a snapshot's ``files`` is a copy of)
    in_scope = bytearray(len(paths))  # per path id: 0 not decided yet, 1 a source file in scope, 2 not
    dirty: set[int] = set()
    dirty_add = dirty.add
    # path id -> (authors, holders, how many had review credit) as last yielded; -1: the file left since (its
    # review credit restarts), so the holders are compared again
    told: dict[int, tuple[list[int], set[int], int]] = {}
    last_active: dict[int, int] = {}
    rank: dict[str, int] = {}  # person id -> commits so far
    order = [i for i in range(len(log)) if commit_period[i] >= 0]  # oldest first
    position = 0
    files: dict[str, str | None] = {}
    reshaped = True  # whether files were added, deleted or renamed since the last snapshot
    inactive = ctx.inactive_days * DAY
    component_of = ctx.components.component_of
    excluded = ctx.excluded
    log1p = [0.0]  # DOA_AC * ln(1 + n)
    need = [0]  # per total deliveries: the fewest with which someone who did not add a file reaches DOA_BASE
    status_of, path_of, old_of, change_end = log.change_status, log.change_path, log.change_old, log.change_end
    credited_end, id_of = log.credited_end, ids.__getitem__
    authored, committed, merges = log.authored, log.committed, log.merge
    renamed, deleted, added_status, modified = ord("R"), ord("D"), ord("A"), ord("M")

    def scoped(pid: int) -> bool:
        path = paths[pid]
        known = is_source_file(path) and path_skip_reason(path, excluded) is None
        in_scope[pid] = 1 if known else 2
        return known

    for p, name in enumerate(ctx.period_names):
        while position < len(order) and commit_period[order[position]] <= p:
            i = order[position]
            position += 1
            if merges[i]:  # a request merge: review credit for its merger (``merger_credit``), nothing else
                merger = log.merge_reviewer(i, person_of) if person_of else None
                if merger is not None and kinds[merger] == HUMAN:
                    for path in log.merged[i][1]:
                        if live[path]:
                            credited = reviewed.get(path)
                            if credited is None:
                                reviewed[path] = {merger}
                            else:
                                credited.add(merger)
                            dirty_add(path)
                continue
            author = person_of[log.author[i]] if person_of else 0
            human_author = bool(person_of) and kinds[author] == HUMAN
            author_id = ids[author] if person_of else ""
            rank[author_id] = rank.get(author_id, 0) + 1
            if authored[i] > last_active.get(author, -1):
                last_active[author] = authored[i]
            # the humans on the commit but its author: only among the people it credits (co-authors, reviewers)
            credits = credited_end[i] > (credited_end[i - 1] if i else 0)
            reviewers = [h for h in view.people(i)[1] if h != author] if credits else ()
            for h in reviewers:
                if committed[i] > last_active.get(h, -1):
                    last_active[h] = committed[i]
            for c in range(change_end[i - 1] if i else 0, change_end[i]):
                status, path = status_of[c], path_of[c]
                if status != modified or not live[path]:  # else the common case
                    moved = None
                    if status == renamed:
                        old = old_of[c]
                        if old >= 0:
                            known = in_scope[old]
                            if known == 1 or (known == 0 and scoped(old)):
                                if present.pop(old, False) is not False:
                                    _left(old, live, told, entered, left)
                                named.pop(paths[old], None)
                                reshaped = True
                                dirty.discard(old)
                                moved = (added.pop(old, None), delivered[old], reviewed.pop(old, None), deliveries[old])
                                delivered[old] = None
                                deliveries[old] = 0
                    known = in_scope[path]
                    if not (known == 1 or (known == 0 and scoped(path))):
                        continue  # only source files hold knowledge
                    if status == deleted:
                        if present.pop(path, False) is not False:
                            _left(path, live, told, entered, left)
                        named.pop(paths[path], None)
                        reshaped = True
                        added.pop(path, None)
                        delivered[path] = None
                        reviewed.pop(path, None)
                        deliveries[path] = 0
                        dirty.discard(path)
                        continue
                    if not live[path]:
                        present[path] = named[paths[path]] = component_of(paths[path])
                        live[path] = 1
                        if path in left:
                            left.discard(path)
                        else:
                            entered.add(path)
                        reshaped = True
                    if status != added_status and status != modified and status != renamed:
                        continue
                    if moved is not None:
                        _move_records(path, moved, added, delivered, reviewed, deliveries)
                    if status == added_status:
                        if human_author:
                            added.setdefault(path, set()).add(author)
                        status = 0  # no delivery
                if status:
                    deliveries[path] += 1
                    if human_author:
                        counts = delivered[path]
                        if counts is None:
                            delivered[path] = {author: 1}
                        else:
                            counts[author] = counts.get(author, 0) + 1
                if reviewers:
                    credited = reviewed.get(path)
                    if credited is None:
                        reviewed[path] = set(reviewers)
                    else:
                        credited.update(reviewers)
                dirty_add(path)
        if p not in ctx.snapshot_periods:
            continue  # an older period that is not a year's last: its changes wait for the next snapshot
        decided: dict[str, tuple[list[str], frozenset[str]]] = {}
        for pid in dirty:  # all present (a file that leaves leaves ``dirty``)
            authors = _authors(added.get(pid), delivered[pid], deliveries[pid], log1p, need)
            credited = reviewed.get(pid)
            reviews = len(credited) if credited else 0
            last = told.get(pid)
            # while a file stays, its review credit only grows: as many as last time, the same people
            if last is not None and last[0] == authors and last[2] == reviews:
                continue
            holders = credited.union(authors) if credited else set(authors)  # compared by content
            if last is None or last[0] != authors or last[1] != holders:
                decided[paths[pid]] = (sorted(map(id_of, authors)), frozenset(map(id_of, holders)))
            told[pid] = (authors, holders, reviews)
        dirty.clear()
        cutoff = period_end(name) - inactive
        gone = {ids[person] for person, when in last_active.items() if when < cutoff}
        if reshaped:  # else the files of the previous snapshot, the same map (its readers only read it)
            files, reshaped = dict(named), False
        # a path's component never changes (component_of of the path): the files that came or went are all that moved
        moved = {paths[pid] for pid in entered}.union([paths[pid] for pid in left])
        entered.clear()
        left.clear()
        yield KnowledgeSnapshot(name, files, {}, gone, rank, decided, moved)


def _left(pid: int, live: bytearray, told: dict[int, tuple[list[int], set[int], int]], entered: set[int],
          left: set[int]) -> None:
    """A present file was deleted or renamed away: no longer live, and its review credit restarts if it comes back."""
    live[pid] = 0
    if pid in entered:
        entered.discard(pid)
    else:
        left.add(pid)
    last = told.get(pid)
    if last is not None:
        told[pid] = (last[0], last[1], -1)


def _move_records(path: int, moved: tuple, added: dict[int, set[int]], delivered: list[dict[int, int] | None],
                  reviewed: dict[int, set[int]], deliveries: list[int]) -> None:
    """A renamed file's records (``moved``: its adders, deliveries, reviewers, deliveries by anyone) join ``path``'s."""
    adders, counts, credited, total = moved
    if adders:
        added.setdefault(path, set()).update(adders)
    if counts:
        into = delivered[path]
        if into is None:
            into = delivered[path] = {}
        for person, n in counts.items():
            into[person] = into.get(person, 0) + n
    if credited:
        reviewed.setdefault(path, set()).update(credited)
    deliveries[path] += total


def _extend_tables(total: int, log1p: list[float], need: list[int]) -> None:
    """Grow ``log1p`` (DOA_AC * ln(1 + n)) and ``need`` (per total deliveries, the fewest deliveries with which
    someone who did not add a file reaches DOA_BASE) to cover ``total``."""
    while len(log1p) <= total:
        log1p.append(DOA_AC * math.log(1 + len(log1p)))
    while len(need) <= total:
        t = len(need)
        d = need[-1]  # more deliveries by everyone never lowers the bar
        while d <= t and DOA_BASE + DOA_DL * d - log1p[t - d] < DOA_BASE:
            d += 1
        need.append(d)


def _authors(adders: set[int] | None, delivered: dict[int, int] | None, total: int, log1p: list[float],
             need: list[int]) -> list[int]:
    """The authors of a file, sorted, from its replay records: ``graph.authorship.file_authors`` of its
    ``_candidates``, without building them.

    The highest DOA sets the bar. Among those who did not add the file, DOA grows with deliveries, so the
    highest of theirs is at most that of the most deliveries by anyone (exactly that when one of them has
    the most; when someone who added the file has the most, their own DOA is higher still, so the bar is the
    same), and only those with at least ``need[total]`` deliveries can be authors; everyone who added it is a
    candidate.
    """
    if total >= len(need):
        _extend_tables(total, log1p, need)
    if not delivered:  # only adders, all with the same DOA (the best): all authors when it is positive
        return sorted(adders) if adders and DOA_BASE + DOA_FA + 0.0 - log1p[total] > 0 else []
    best = -math.inf
    found: list[tuple[int, float, bool]] = []
    if adders:
        first_base = DOA_BASE + DOA_FA
        for person in adders:
            d = delivered.get(person, 0)
            doa = first_base + DOA_DL * d - log1p[total - d]
            found.append((person, doa, True))
            if doa > best:
                best = doa
    top = max(delivered.values())
    doa = DOA_BASE + DOA_DL * top - log1p[total - top]
    if doa > best:
        best = doa
    threshold = need[total]
    if top >= threshold:
        for person, d in delivered.items():
            if d >= threshold and not (adders and person in adders):
                found.append((person, DOA_BASE + DOA_DL * d - log1p[total - d], False))
    if not best > 0:
        return []
    # graph.authorship.is_author, inline (a call per candidate and snapshot is most of the replay's snapshots)
    return sorted([person for person, doa, first in found
                   if doa / best > NORMALISED_DOA and (doa >= ABSOLUTE_DOA or first)])


def _candidates(records: dict[int, list[int]], total: int, ids: list[str], log1p: list[float],
                need: list[int]) -> tuple[dict[str, tuple[float, bool]], set[str]]:
    """A file's DOA candidates (``KnowledgeSnapshot.changed``) from its records (person -> [adds, deliveries,
    reviews]) and total deliveries: the form of a snapshot that leaves the authorship rule to ``queries.trends``,
    and the definition ``_authors`` (which the replay uses) is held to by the tests.

    Only someone who added the file or reaches the absolute DOA can be an author; the highest DOA sets the
    bar for everyone, so it is passed on too (``ownership.file_authors``). Someone who only delivered
    reaches DOA_BASE exactly when their deliveries reach ``need[total]`` (their DOA grows with their
    deliveries), so the others are only compared by deliveries, for the highest DOA.
    """
    _extend_tables(total, log1p, need)
    base, threshold = DOA_BASE, need[total]
    candidates: dict[str, tuple[float, bool]] = {}
    reviewed: set[str] = set()
    top, top_doa = -1, -math.inf
    low, low_delivered = -1, 0  # the first of those below the bar with the most deliveries
    for person, (adds, delivered, reviews) in records.items():
        if adds:
            doa = base + DOA_FA + DOA_DL * delivered - log1p[total - delivered]
            candidates[ids[person]] = (doa, True)
            if doa > top_doa:
                top, top_doa = person, doa
        elif delivered:
            if delivered >= threshold:
                doa = base + DOA_DL * delivered - log1p[total - delivered]
                candidates[ids[person]] = (doa, False)
                if doa > top_doa:
                    top, top_doa = person, doa
            elif delivered > low_delivered:
                low, low_delivered = person, delivered
        if reviews:
            reviewed.add(ids[person])
    if low >= 0:
        low_doa = base + DOA_DL * low_delivered - log1p[total - low_delivered]
        if low_doa == top_doa:  # a tie decided by who came first: take them in order
            return _candidates_in_order(records, total, ids, log1p)
        if low_doa > top_doa:
            top, top_doa = low, low_doa
    if top >= 0 and ids[top] not in candidates:
        candidates[ids[top]] = (top_doa, False)
    return candidates, reviewed


def _candidates_in_order(records: dict[int, list[int]], total: int, ids: list[str],
                         log1p: list[float]) -> tuple[dict[str, tuple[float, bool]], set[str]]:
    """``_candidates`` computing everyone's DOA, in the records' order (the definition it must agree with)."""
    candidates: dict[str, tuple[float, bool]] = {}
    reviewed: set[str] = set()
    top, top_doa = -1, -math.inf
    for person, (adds, delivered, reviews) in records.items():
        if adds or delivered:
            doa = DOA_BASE + (DOA_FA if adds else 0.0) + DOA_DL * delivered - log1p[total - delivered]
            if adds or doa >= DOA_BASE:
                candidates[ids[person]] = (doa, adds > 0)
            if doa > top_doa:
                top, top_doa = person, doa
        if reviews:
            reviewed.add(ids[person])
    if top >= 0 and ids[top] not in candidates:
        candidates[ids[top]] = (top_doa, False)
    return candidates, reviewed


# -- code samples ----------------------------------------------------------------------


def _factors_path(cache_dir: Path, repo: str) -> Path:
    return cache_dir / f"trend-factors-{hashlib.sha1(repo.encode('utf-8', 'surrogateescape')).hexdigest()[:16]}.json"


def _earlier_periods_kept(log: CommitLog, names: list[str], kept_prefix: int | None) -> bool:
    """Whether the replay reaches the current period (the last name) before the first position that differs from the
    remembered log (``History.kept_prefix``): it takes commits oldest first while their period is not past the one
    it is at, so every earlier period then replays the remembered commits alone, as the last ingest did.

    Otherwise (a merged branch whose commits reach into an earlier period, or a remembered log with no commit of the
    current period before them) the earlier periods see other commits than last time: they are replayed."""
    if not kept_prefix:
        return False
    if len(names) < 2:
        return True
    current_from, committed, merge = period_end(names[-2]), log.committed, log.merge
    return any(committed[p] >= current_from and not merge[p] for p in range(kept_prefix - 1, -1, -1))


def _factor_reuse(history: History, names: list[str], config: CairnConfig, defs: list[ComponentDef],
                  cache_dir: Path | None, tracked_in_cache: list[str] | None = None) -> tuple[dict | None, Any]:
    """The truck factors of the periods before the current one, when the last ingest computed them from the knowledge
    this one would replay (the same commits up to the current period, people, components, settings and periods), and
    the callback that keeps this ingest's for the next one."""
    state, log = history.state, history.log
    if state is None or cache_dir is None or not names:
        return None, None
    people = [[history.people[p].person.id, history.people[p].person.kind] for p in history.identity_person]
    key = hashlib.sha1(json.dumps([
        FACTORS_VERSION, names, config.trends.knowledge_periods, config.thresholds.inactive_days, list(config.ingest.exclude),
        [(d.name, list(d.paths)) for d in defs],
    ]).encode("utf-8", "surrogateescape")).hexdigest()
    path = _factors_path(cache_dir, state.repo)
    if tracks(Path(state.repo), path, tracked_in_cache):  # (the check's listing of the cache, when it made one)
        return None, None
    known = None
    try:
        kept = json.loads(path.read_bytes())
        if (history.remembered is not None and kept.get("format") == FACTORS_FORMAT and kept.get("key") == key
                and [kept.get("commits"), kept.get("head")] == list(history.remembered)
                and _earlier_periods_kept(log, names, history.kept_prefix) and isinstance(kept.get("factors"), dict)
                and kept.get("people") == people[:len(kept.get("people") or ())]):  # new identities may come
            known = {str(period): dict(values) for period, values in kept["factors"].items()}
    except (OSError, ValueError, TypeError, AttributeError):
        known = None
    head, commits, current = state.head, len(log), names[-1]

    def keep(factors: dict) -> None:
        earlier = {period: values for period, values in factors.items() if period != current}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"format": FACTORS_FORMAT, "key": key, "head": head, "commits": commits,
                                           "people": people, "factors": earlier}).encode("ascii"))
        except OSError:
            pass  # the next ingest computes them again

    return known, keep


class TrendReplay:
    """The knowledge replay as ``trend_inputs`` will prepare it, prepared right after the history pass (``early_replay``),
    so that the truck factors over time can be computed beside the ingest's next steps.

    ``snapshots`` is None when the last ingest's factors are kept for these periods (``_factor_reuse``, whose answer
    ``trend_inputs`` takes from here for the same periods): nothing to replay. ``trend_inputs`` sets ``same``: whether
    its ``TrendInputs.snapshots`` replays exactly this (the same log, people, periods, components and settings); only
    then may what was computed from this one stand for it."""

    names: list[str]
    reuse: tuple[dict | None, Any]
    key: tuple
    snapshots: Callable[[], Iterator[KnowledgeSnapshot]] | None
    same: bool

    def __init__(self, names: list[str], reuse: tuple[dict | None, Any], key: tuple = (),
                 snapshots: Callable[[], Iterator[KnowledgeSnapshot]] | None = None, same: bool = False) -> None:
        self.names = names
        self.reuse = reuse
        self.key = key
        self.snapshots = snapshots
        self.same = same

    @property
    def stop_at(self) -> str:
        """The current period: ``queries.trends`` replays up to it when the bus factor's factors are stored."""
        return self.names[-1]


def early_replay(history: History, config: CairnConfig, defs: list[ComponentDef],
                 cache_dir: Path | None, tracked_in_cache: list[str] | None = None) -> TrendReplay | None:
    """The replay ``trend_inputs`` will most likely hand on, from the history pass alone: its periods span the log's
    non-merge commits (what the activity of a first ingest spans); None without commits."""
    log = history.log
    if not len(log):
        return None
    times = list(compress(log.committed, map(not_, log.merge))) or log.committed
    names = _period_names(min(times), max(times), config.trends.period)
    replay = TrendReplay(names, _factor_reuse(history, names, config, defs, cache_dir, tracked_in_cache))
    if replay.reuse[0] is None:
        ctx = _context(history, CommitPeople(log, history), names, config, defs)
        replay.key, replay.snapshots = _replay_key(ctx, config, defs), partial(_snapshots, ctx)
    return replay


def _context(history: History, view: CommitPeople, names: list[str], config: CairnConfig,
             defs: list[ComponentDef]) -> _Context:
    ctx = _Context(
        history.log, view, history, names, ComponentMap(list(defs)),
        pathspec.PathSpec.from_lines("gitwildmatch", config.ingest.exclude), config.thresholds.inactive_days,
    )
    ctx.snapshot_periods = _snapshot_periods(names, config.trends.knowledge_periods)
    return ctx


def _replay_key(ctx: _Context, config: CairnConfig, defs: list[ComponentDef]) -> tuple:
    """What ``_snapshots`` replays from, besides the log (one object, which nothing changes after the history pass)."""
    return (id(ctx.log), len(ctx.log), len(ctx.log.paths), ctx.period_names, sorted(ctx.snapshot_periods), ctx.inactive_days,
            list(config.ingest.exclude), [(d.name, list(d.paths)) for d in defs], list(ctx.history.identity_person),
            ctx.view.kinds, ctx.view.person_ids)


def trend_inputs(graph: RepoGraph, history: History, changes: ChangeResult, *,
                 config: CairnConfig, defs: list[ComponentDef], cache_dir: Path | None,
                 early: TrendReplay | None = None, tracked_in_cache: list[str] | None = None) -> TrendInputs:
    """The ``TrendInputs`` for ``queries.trends`` (see the module docstring).

    Activity is added to what ``history.state`` remembers when the change analyses could add to theirs
    (the same people and files) and the period is the same; otherwise counted from the first commit.
    ``early``: the replay prepared after the history pass; says whether it is the one handed on (``TrendReplay.same``).
    """
    settings, log = config.trends, history.log
    state = history.state
    give_back()  # what the change analyses freed: the activity counted next, and the state's save, need new pages
    memory = None
    if changes.incremental and state is not None and state.analyses.get(MEMORY):
        memory = ActivityMemory.from_json(state.analyses[MEMORY])
        # per period sums and sets of people: the new commits count wherever they landed in the log
        if memory is not None and (memory.period != settings.period or history.remembered is None
                                   or memory.commits != history.remembered[0]):
            memory = None
    landed: set[str] | None = None  # the periods the commits added to the remembered activity landed in
    if memory is None:
        memory = ActivityMemory(settings.period)
        if state is not None:
            state.recount(MEMORY)
        memory.count(changes, 0)
    else:
        landed = memory.count(changes, memory.commits, history.placed)
    if state is not None:
        state.analyses[MEMORY] = memory
    if memory.first is not None and memory.last is not None:
        names = _period_names(memory.first, memory.last, settings.period)
    elif len(log):
        names = _period_names(min(log.committed), max(log.committed), settings.period)
    else:
        names = []
    notes: list[str] = []
    if len(names) >= MAX_PERIODS:
        notes.append(f"trends: commit dates span more than {MAX_PERIODS} {settings.period}s; later periods are merged into the last")
    ctx = _context(history, changes.view, names, config, defs)
    activity = memory.activity(names)
    # made when annotate_trends reads them, not now: the component dependencies of the graph (35 MB while they are
    # worked out at 50k files) then reuse the memory of the history state, saved and let go by then
    samples = partial(sample_commits, ctx.log, changes.memory.assisted, ctx.period_names, graph, settings, config, defs,
                      cache_dir)
    if early is not None and early.names == names:
        known, keep = early.reuse
    else:
        known, keep = _factor_reuse(history, names, config, defs, cache_dir, tracked_in_cache)
    if early is not None and early.snapshots is not None:
        early.same = early.key == _replay_key(ctx, config, defs)
    give_back()  # (what counting the activity freed: the state's save encodes next)
    return TrendInputs(settings.period, activity, samples, partial(_snapshots, ctx), notes, known, keep,
                       None if landed is None else frozenset(landed))
