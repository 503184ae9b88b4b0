"""Trends: how activity, agent work, knowledge and architecture moved, period by period.

At ingest (``annotate_trends``, run by the service that ingests), the inputs
ingest mined from the one history pass (``graph.changes.TrendInputs``) become
one ``Period`` node per period of the configured granularity (``[trends]
period``), with:

* ``commits``, ``agent_commits``, ``agent_share`` (agent-assisted / all
  non-merge commits landed in the period), ``humans`` (distinct humans who
  authored or shepherded them; their ids in ``human_ids``);
* ``truck_factor`` and ``human_truck_factor`` as of the period's end:
  Avelino et al.'s greedy algorithm over the knowledge replayed up to then
  (``queries.ownership.file_authors``, the same rule as ``cairn bus-factor``;
  the removal counted by ``_removals``, which tests hold to
  ``ownership.greedy_truck_factor`` and to the reference algorithm); "gone" for the human truck factor means
  inactive for ``thresholds.inactive_days`` at the period's end. The current
  period takes the values ``cairn bus-factor`` reports;
* for sampled periods (the last ``[trends] samples``), ``dependencies`` (the
  component dependencies at its last commit, each with the files carrying it
  that agent-assisted commits of the sampled periods changed, in
  ``agent_files``), ``new_couplings`` (dependencies
  absent at the previous period's end), ``new_cycles`` (strongly connected
  sets of components not contained in a previous one, as the PR check counts
  them) and ``from_agents``: how many of those are carried by files that
  agent-assisted commits changed during the period;
* ``components``: the same per component (JSON).

``trends`` reads those nodes back, for the repository or one component, at
the stored granularity or a coarser one (quarters add up to years: commits
add, humans are counted once, truck factors are the last period's, new
couplings compare the two years' ends).
"""

from __future__ import annotations

from functools import partial
from typing import AbstractSet, Any, Callable, Iterable, Iterator

from cairn.graph.changes import KnowledgeSnapshot, PERIODS, PeriodActivity, TrendInputs, coarser, kind_of_period
from cairn.graph.errors import InvalidQuery, NoChangeHistory, UnknownName
from cairn.graph.lazy_nodes import lazy_node
from cairn.graph.model import Label, RepoGraph, node_id
from cairn.queries.ownership import COVERAGE, file_authors


class TrendsUnavailable(InvalidQuery):
    """A granularity finer than the stored one, or a repository ingested without history."""


# -- truck factors over time ----------------------------------------------------------------


def truck_factors_over_time(snapshots: Iterable[KnowledgeSnapshot], *, stop_at: str | None = None) -> dict[str, dict[str, Any]]:
    """Per period: ``truck_factor``, ``human_truck_factor`` and per component ``[tf, human tf]``.

    ``stop_at``: the current period, when the caller has its factors (the bus factor's): the replay stops there, as
    no later period follows it.

    Authors are recomputed only for the files a snapshot says changed (or taken as
    the snapshot decided them, ``KnowledgeSnapshot.decided``). A
    scope's (the repository's or a component's) truck factor is recomputed
    only when its files or who authors them changed, its human truck factor
    only then, when who reviewed them changed, or when one of its knowledge
    holders became gone (or came back); otherwise the previous period's stands
    (ties in the greedy removal are then broken by commit counts as of that
    earlier recomputation). Each scope keeps who knows which of its files
    (``_ScopeIndex``), updated with the files that changed, so a recomputation
    is the greedy removal alone, counted with set unions (``_removals``), not a
    pass over every file of the scope.
    """
    authors: dict[str, list[str]] = {}
    holders: dict[str, frozenset[str]] = {}  # file -> its authors and reviewers
    previous_files: dict[str, str | None] = {}
    previous_gone: set[str] = set()
    scopes: dict[str | None, _ScopeState] = {}  # None: the repository
    indexes: dict[str | None, _ScopeIndex] = {None: _ScopeIndex()}
    out: dict[str, dict[str, Any]] = {}
    for snap in snapshots:
        if snap.period == stop_at:
            break
        files = snap.files
        if snap.moved is not None:  # the replay says which files came or went (none changed component)
            files_moved = entries = snap.moved
        elif files is previous_files:
            files_moved = entries = set()
        else:
            files_moved = files.keys() ^ previous_files.keys()
            entries = {p for p, _ in files.items() ^ previous_files.items()}  # the files moved, and between components
        authorship: set[str] = set(files_moved)
        knowledge: set[str] = set(files_moved)
        before: dict[str, tuple[list[str] | None, frozenset[str] | None]] = {}  # what the index holds for them
        for path, found, known in _decided(snap):
            old_authors = authors.get(path)
            old_holders = holders.get(path)
            if found != old_authors:
                before[path] = (old_authors, old_holders)
                authors[path] = found
                authorship.add(path)
            if known != old_holders:
                before.setdefault(path, (old_authors, old_holders))
                holders[path] = known
                knowledge.add(path)
        # the indexes follow every file whose scope, authors or holders changed
        for path in before.keys() | entries:
            old_authors, old_holders = before.get(path) or (authors.get(path), holders.get(path))
            if path in previous_files and path in files and previous_files[path] == files[path]:  # the same scopes
                for idx in _scope_indexes(indexes, files[path], create=False):
                    idx.change(path, old_authors, authors.get(path), old_holders, holders.get(path))
                continue
            if path in previous_files:
                for idx in _scope_indexes(indexes, previous_files[path], create=False):
                    idx.remove(path, old_authors, old_holders)
            if path in files:
                for idx in _scope_indexes(indexes, files[path], create=True):
                    idx.add(path, authors.get(path), holders.get(path))
        flipped = snap.gone ^ previous_gone
        by_authors = {files.get(p) or previous_files.get(p) for p in authorship}
        by_holders = {files.get(p) or previous_files.get(p) for p in knowledge}
        members = [None, *(c for c, idx in indexes.items() if c is not None and idx.files)]
        gone = snap.gone
        for scope in members:
            idx = indexes[scope]
            state = scopes.get(scope)
            fresh = state is None
            if fresh:
                state = scopes[scope] = _ScopeState()
            if fresh or (authorship if scope is None else scope in by_authors):
                state.truck_factor = _removals(idx.authored, idx.files, snap.rank)
            if fresh or (knowledge if scope is None else scope in by_holders):
                state.holders = frozenset(idx.held)
            elif not (flipped and not flipped.isdisjoint(state.holders)):
                continue
            state.human_truck_factor = _removals(idx.held, idx.files, snap.rank, gone)
        repo = scopes[None]
        out[snap.period] = {
            "truck_factor": repo.truck_factor, "human_truck_factor": repo.human_truck_factor,
            "components": {c: [scopes[c].truck_factor, scopes[c].human_truck_factor] for c in sorted(members[1:])},
        }
        alive = set(members)
        for comp in [c for c in scopes if c is not None and c not in alive]:
            del scopes[comp]  # a component with no files left starts afresh if files come back
        for comp in [c for c in indexes if c is not None and c not in alive]:
            del indexes[comp]
        previous_files, previous_gone = files, set(snap.gone)
    return out


def _decided(snap: KnowledgeSnapshot) -> Iterator[tuple[str, list[str], frozenset[str]]]:
    """(file, its authors, its authors and reviewers) for the files the snapshot says may have changed."""
    if snap.decided:
        for path, (found, known) in snap.decided.items():
            yield path, found, known
        return
    for path, (candidates, reviewed) in snap.changed.items():
        found = file_authors(candidates)
        yield path, found, frozenset(found).union(reviewed)


def _removals(files_of: dict[str, set[str]], total: int, rank: dict[str, int], gone: AbstractSet[str] = frozenset()) -> int:
    """How many people ``ownership.greedy_removal`` removes from a scope of ``total`` files whose index ``files_of``
    maps each person to the files they know in it (no empty sets), leaving out the ``gone`` (they know nothing).

    The removal takes people in a fixed order (most files, highest rank, smallest id) while at least half of the
    files still have somebody left who knows them; after the first ``j`` removals, the files still known are the
    union of what the people from ``j`` on know. So the count is the largest ``j`` whose rest still covers half
    of the files, plus one: found by uniting the people's files from the last in that order backwards (set unions,
    not a count per file and removal), stopping at the first rest that covers half of the files.
    """
    if not total:
        return 0
    get = rank.get
    if gone:
        order = sorted([(-len(known), -get(p, 0), p, known) for p, known in files_of.items() if p not in gone])
    else:
        order = sorted([(-len(known), -get(p, 0), p, known) for p, known in files_of.items()])
    bar = COVERAGE * total
    known_by_rest: set[str] = set()
    for j in range(len(order) - 1, -1, -1):
        known_by_rest |= order[j][3]
        if len(known_by_rest) >= bar:
            return j + 1
    return 0


def _scope_indexes(indexes: dict[str | None, "_ScopeIndex"], component: str | None, *, create: bool) -> list["_ScopeIndex"]:
    """The repository's index, and the component's when the file has one."""
    if not component:
        return [indexes[None]]
    idx = indexes.get(component)
    if idx is None:
        if not create:
            return [indexes[None]]
        idx = indexes[component] = _ScopeIndex()
    return [indexes[None], idx]


class _ScopeState:
    truck_factor: int
    human_truck_factor: int
    holders: frozenset[str]  # everyone who authored or reviewed one of its files

    def __init__(self, truck_factor: int = 0, human_truck_factor: int = 0, holders: frozenset[str] = frozenset()) -> None:
        self.truck_factor = truck_factor
        self.human_truck_factor = human_truck_factor
        self.holders = holders


class _ScopeIndex:
    """Who authors and who holds knowledge of which of a scope's files, kept up to date file by file."""

    __slots__ = ("files", "authored", "held")

    def __init__(self) -> None:
        self.files = 0
        self.authored: dict[str, set[str]] = {}  # person -> files they author (no empty sets)
        self.held: dict[str, set[str]] = {}  # person -> files they author or reviewed (no empty sets)

    def add(self, path: str, authors: list[str] | None, holders: frozenset[str] | None) -> None:
        self.files += 1
        _know(self.authored, path, authors or ())
        _know(self.held, path, holders or ())

    def remove(self, path: str, authors: list[str] | None, holders: frozenset[str] | None) -> None:
        self.files -= 1
        _forget(self.authored, path, authors or ())
        _forget(self.held, path, holders or ())

    def change(self, path: str, old_authors: list[str] | None, authors: list[str] | None,
               old_holders: frozenset[str] | None, holders: frozenset[str] | None) -> None:
        """A file that stays in the scope changed authors or holders: only those who came or went move."""
        for table, old, new in ((self.authored, old_authors or (), authors or ()), (self.held, old_holders or (), holders or ())):
            if old != new:
                _forget(table, path, [person for person in old if person not in new])
                _know(table, path, [person for person in new if person not in old])


def _know(table: dict[str, set[str]], path: str, people: Iterable[str]) -> None:
    for person in people:
        known = table.get(person)
        if known is None:
            table[person] = {path}
        else:
            known.add(path)


def _forget(table: dict[str, set[str]], path: str, people: Iterable[str]) -> None:
    for person in people:
        known = table[person]
        known.discard(path)
        if not known:
            del table[person]  # no empty sets: the keys of ``held`` are the scope's holders


# -- couplings and cycles between samples ------------------------------------------------------


def _sccs(dependencies: Iterable[tuple[str, str]]) -> list[frozenset[str]]:
    import networkx as nx  # ~0.3 s to import: only when trends are computed

    g = nx.DiGraph()
    g.add_edges_from(dependencies)
    return [frozenset(c) for c in nx.strongly_connected_components(g) if len(c) > 1]


def introduced(before: dict[tuple[str, str], list[str]], after: dict[tuple[str, str], list[str]],
               agent_files: set[str], component: str | None = None) -> dict[str, Any]:
    """New dependencies and cycles from ``before`` to ``after``, and which are carried by files agents changed."""
    couplings = sorted(pair for pair in after if pair not in before and (component is None or component in pair))
    old_sccs = _sccs(before)
    cycles = []
    for scc in _sccs(after):
        if any(scc <= old for old in old_sccs) or (component is not None and component not in scc):
            continue
        cycles.append(scc)
    coupling_agents = [pair for pair in couplings if agent_files.intersection(after[pair])]
    cycle_agents = []
    for scc in cycles:
        carriers = set().union(*(files for (a, b), files in after.items() if a in scc and b in scc))
        if agent_files & carriers:
            cycle_agents.append(scc)
    return {
        "new_couplings": len(couplings), "new_cycles": len(cycles), "from_agents": len(coupling_agents) + len(cycle_agents),
        "couplings": [{"source": a, "target": b, "from_agents": (a, b) in coupling_agents} for a, b in couplings],
        "cycles": [{"components": sorted(scc), "from_agents": scc in cycle_agents} for scc in sorted(cycles, key=sorted)],
    }


# -- at ingest: Period nodes -------------------------------------------------------------------------


def _share(assisted: int, commits: int) -> float | None:
    return round(assisted / commits, 4) if commits else None


def replay_stop(inputs: TrendInputs) -> str | None:
    """The period where ``annotate_trends`` stops the replay when the bus factor's truck factors are stored: the current one."""
    return inputs.activity[-1].period if inputs.activity else None


def annotate_trends(graph: RepoGraph, inputs: TrendInputs,
                    replayed: Callable[[str | None], dict[str, dict[str, Any]]] | None = None) -> None:
    """One ``Period`` node per period (see the module docstring); the current period's truck factors are the stored ones.

    ``replayed(stop_at)``: ``truck_factors_over_time(inputs.snapshots(), stop_at=stop_at)``, when the caller has it
    (computed beside other work).

    Sets ``inputs.periods_changed``: the periods whose nodes may differ from those the last ingest made, when the
    inputs say (else None): that ingest's activity had the commits of every other period (``TrendInputs.landed``: the
    new commits landed in those), its truck factors of the periods before the current one are the ones taken now
    (``known_factors``, for the same periods, settings and knowledge replayed up to the current one), and the sampled
    periods and the current one (whose factors are the bus factor's, whose sample is HEAD's) are named always. A caller saving the graph over the
    one that ingest stored may name only those (``GraphChanges.nodes_changed``); the store checks that promise under
    ``CAIRN_VERIFY_SKIPS=1``. The nodes of the other periods are made when read (``graph.lazy_nodes``): a save that
    takes them as stored reads few of them."""
    for node in graph.of_label(Label.PERIOD):  # a re-annotation; periods have no edges
        del graph.nodes[node.id]
    repo = graph.repository
    current = replay_stop(inputs)
    stored = current is not None and repo is not None and repo.get("truck_factor") is not None
    # the earlier periods' factors, when ingest knows they are unchanged (the current one is the stored one)
    known = inputs.known_factors if stored else None
    stop = current if stored else None
    if known is not None:
        factors = dict(known)
    elif replayed is not None:
        factors = replayed(stop)
    else:
        factors = truck_factors_over_time(inputs.snapshots(), stop_at=stop)
    if inputs.keep_factors is not None:
        inputs.keep_factors(factors)
    if stored:
        factors[current] = {
            "truck_factor": repo.get("truck_factor"), "human_truck_factor": repo.get("human_truck_factor"),
            "components": {n.key: [n.get("truck_factor"), n.get("human_truck_factor")] for n in graph.of_label(Label.COMPONENT)
                           if n.get("truck_factor") is not None},
        }
    # one sorted list per set of people (``ingest.trend_activity`` shares a set among the scopes with the same
    # humans): 170,000 component rows at 50k files hold 35,000 lists, not one each
    listed: dict[int, tuple[Any, list[str]]] = {}

    def ids_of(humans: Any) -> list[str]:
        found = listed.get(id(humans))
        if found is None:
            found = listed[id(humans)] = (humans, sorted(humans))  # (the set held: its id is not reused meanwhile)
        return found[1]

    # equal component rows are one dict: at 50k files 207,000 rows of 417 periods are 48,000 distinct (33 MB less, held
    # from here to the ingest's end, where its peak is). Nothing changes a Period's rows in place (readers copy them);
    # a row's people are its list's identity (one list per set of people, held in ``listed``), its factors' types
    # are in its key (1.0 is not 1 in JSON).
    made: dict[tuple[Any, ...], dict[str, Any]] = {}
    empty: list[str] = []  # the one empty list of ids or files the rows share (90k dependencies without carriers at 50k)

    def row_of(commits: int, assisted: int, ids: list[str], factors: Any) -> dict[str, Any]:
        if factors is None:
            key: tuple[Any, ...] = (commits, assisted, id(ids))
        else:
            tf, htf = factors
            key = (commits, assisted, id(ids), tf, htf, tf.__class__, htf.__class__)
        found = made.get(key)
        if found is None:
            found = made[key] = {"commits": commits, "agent_commits": assisted, "human_ids": ids}
            if factors is not None:
                found["truck_factor"], found["human_truck_factor"] = factors
        return found

    def inactive(factors: Any) -> dict[str, Any]:
        return row_of(0, 0, empty, factors)

    samples = {s.period: s for s in trend_samples(inputs) if s.commit}
    # carriers matter only where agents worked: keep those, so a period stores its dependencies, not every file
    agent_work = agent_files_of(samples.values())
    disjoint = agent_work.isdisjoint
    # the periods whose nodes may differ from the last ingest's (see the docstring): every other one is made when read
    changed = None if known is None or inputs.landed is None or current is None else frozenset(
        {*inputs.landed, *(s.period for s in trend_samples(inputs)), current})
    inputs.periods_changed = changed
    previous_sample = None
    for row in inputs.activity:
        tf = factors.get(row.period, {})
        sample = samples.get(row.period)
        if changed is not None and row.period not in changed:
            graph.nodes[node_id(Label.PERIOD, graph.repo, row.period)] = lazy_node(
                Label.PERIOD, graph.repo, row.period, partial(_period_props, row, tf, inputs.period, ids_of, row_of, inactive))
            continue
        props = _period_props(row, tf, inputs.period, ids_of, row_of, inactive, sample)  # (all of them without a sample)
        if sample is not None:
            props["dependencies"] = None if sample.dependencies is None else {
                f"{a} -> {b}": empty if disjoint(files) else sorted(agent_work.intersection(files))
                for (a, b), files in sample.dependencies.items()}
            props["agent_files"] = sorted(sample.agent_files)
            if (previous_sample is not None and previous_sample.dependencies is not None and sample.dependencies is not None
                    and _consecutive(previous_sample.period, row.period, inputs)):
                found = introduced(previous_sample.dependencies, sample.dependencies, sample.agent_files)
                props.update(new_couplings=found["new_couplings"], new_cycles=found["new_cycles"],
                             from_agents=found["from_agents"], couplings=found["couplings"], cycles=found["cycles"])
            previous_sample = sample
            props["components"] = _components_of(row, tf, row_of, ids_of, inactive)
        graph.add_node(Label.PERIOD, row.period, **props)
    made.clear()  # (its keys: the rows are in the nodes; a node made when read starts it again)
    if repo is not None:
        repo.props.update(trend_period=inputs.period, trend_notes=list(inputs.notes))


def _period_props(row: PeriodActivity, tf: dict[str, Any], kind: str, ids_of: Callable[[Any], list[str]],
                  row_of: Callable[..., dict[str, Any]], inactive: Callable[[Any], dict[str, Any]],
                  sample: Any = None) -> dict[str, Any]:
    """A Period node's properties but those of its sample (the caller adds them, then ``components``); all of them for
    a period without a sample (``components`` included: a node made when read, ``graph.lazy_nodes``)."""
    props: dict[str, Any] = {
        "period": row.period, "kind": kind, "commits": row.repository.commits,
        "agent_commits": row.repository.assisted, "agent_share": _share(row.repository.assisted, row.repository.commits),
        "humans": len(row.repository.humans), "human_ids": sorted(row.repository.humans),
        "truck_factor": tf.get("truck_factor"), "human_truck_factor": tf.get("human_truck_factor"),
        "sampled": sample is not None, "sample_commit": sample.commit if sample else None,
        "new_couplings": None, "new_cycles": None, "from_agents": None,
    }
    if sample is None:
        props["components"] = _components_of(row, tf, row_of, ids_of, inactive)
    return props


def _components_of(row: PeriodActivity, tf: dict[str, Any], row_of: Callable[..., dict[str, Any]],
                   ids_of: Callable[[Any], list[str]], inactive: Callable[[Any], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A Period node's ``components``: each component's activity in the period, and its truck factors at its end, as
    ``row_of(commits, agent commits, human ids, factors or None)`` gives the row (those without activity:
    ``inactive(factors)``)."""
    components: dict[str, dict[str, Any]] = {}
    scopes, factors_of = row.components, tf.get("components") or {}
    for name in sorted(scopes):
        scope = scopes[name]
        components[name] = row_of(scope.commits, scope.assisted, ids_of(scope.humans), factors_of.get(name))
    for name, factors in factors_of.items():  # (those with activity have them already)
        if name not in scopes:
            components[name] = inactive(factors)
    return components


def trend_samples(inputs: TrendInputs) -> list[Any]:
    """``inputs.samples``, made first when ingest handed on what makes them (``TrendInputs.samples``)."""
    if callable(inputs.samples):
        inputs.samples = inputs.samples()
    return inputs.samples


def agent_files_of(samples: Iterable[Any]) -> set[str]:
    return set().union(*(s.agent_files for s in samples))


def pending_samples(graph: RepoGraph) -> list[str]:
    """Commits whose component dependencies ``trends`` needs and the stored graph lacks (not extracted at ingest)."""
    return [n.get("sample_commit") for n in sorted(graph.of_label(Label.PERIOD), key=lambda n: n.key)
            if n.get("sample_commit") and n.get("dependencies") is None]


def _consecutive(before: str, after: str, inputs: TrendInputs) -> bool:
    names = [row.period for row in inputs.activity]
    return before in names and after in names and names.index(after) == names.index(before) + 1


# -- reading trends back ---------------------------------------------------------------------------


def _deps(node_props: dict[str, Any], extracted: dict[str, dict[tuple[str, str], list[str]]]) -> dict[tuple[str, str], list[str]] | None:
    raw = node_props.get("dependencies")
    if raw is None:
        return extracted.get(node_props.get("sample_commit") or "")
    out = {}
    for key, files in raw.items():
        a, _, b = key.partition(" -> ")
        out[(a, b)] = list(files)
    return out


def trends(graph: RepoGraph, *, period: str | None = None, component: str | None = None,
           samples: dict[str, dict[tuple[str, str], list[str]]] | None = None) -> dict[str, Any]:
    """``{"period", "component", "periods": [{"period", "commits", "agent_share", "humans", "truck_factor",
    "human_truck_factor", "new_couplings", "new_cycles", "from_agents", ...}], "notes"}``, oldest first.

    ``samples`` gives the component dependencies (with their carrier files) at the
    commits ``pending_samples`` names; periods whose samples are neither stored
    nor given have ``null`` new couplings and cycles.
    """
    samples = samples or {}
    repo = graph.repository
    stored = repo.get("trend_period") if repo is not None else None
    nodes = sorted(graph.of_label(Label.PERIOD), key=lambda n: n.key)
    if stored is None or not nodes:
        raise NoChangeHistory(f"repository {graph.repo} has no trends: ingest it (with its git history) first")
    period = period or stored
    if period not in PERIODS:
        raise TrendsUnavailable(f"unknown period {period!r} (use one of {', '.join(PERIODS)})")
    if PERIODS.index(period) < PERIODS.index(stored):
        raise TrendsUnavailable(
            f"trends were kept per {stored} at ingest; for {period}s set [trends] period = \"{period}\" in cairn.toml and re-ingest"
        )
    if component is not None and graph.node(Label.COMPONENT, component) is None:
        names = sorted(n.key for n in graph.of_label(Label.COMPONENT))
        known = ", ".join(names) or "none"
        raise UnknownName(f"no component named {component!r} (components: {known})", kind="component", name=component, suggestions=names)
    groups: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        groups.setdefault(coarser(node.key, period) if kind_of_period(node.key) != period else node.key, []).append(node.props)
    rows = []
    previous_end: dict[str, Any] | None = None
    for name, members in groups.items():
        last = members[-1]
        scopes = [m if component is None else {**(m.get("components") or {}).get(component, {}), "sampled": m.get("sampled"),
                                                "dependencies": m.get("dependencies"), "agent_files": m.get("agent_files")}
                  for m in members]
        commits = sum(int(s.get("commits") or 0) for s in scopes)
        assisted = sum(int(s.get("agent_commits") or 0) for s in scopes)
        humans = set().union(*(set(s.get("human_ids") or ()) for s in scopes))
        end_scope = scopes[-1]
        row: dict[str, Any] = {
            "period": name, "commits": commits, "agent_commits": assisted, "agent_share": _share(assisted, commits),
            "humans": len(humans), "truck_factor": end_scope.get("truck_factor"),
            "human_truck_factor": end_scope.get("human_truck_factor"),
            "new_couplings": None, "new_cycles": None, "from_agents": None, "couplings": [], "cycles": [],
            "sampled": bool(last.get("sampled")),
        }
        after = _deps(last, samples)
        before = _deps(previous_end, samples) if previous_end is not None else None
        if after is not None and before is not None and all(m.get("sampled") for m in members):
            agent_files = set().union(*(set(m.get("agent_files") or ()) for m in members))
            found = introduced(before, after, agent_files, component)
            row.update(found)
        rows.append(row)
        previous_end = last
    return {"repository": graph.repo, "period": period, "component": component, "periods": rows,
            "notes": list(repo.get("trend_notes") or [])}
