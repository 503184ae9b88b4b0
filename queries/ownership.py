"""Ownership and bus factor: Avelino et al.'s truck factor, and Cairn's human-knowledge view beside it.

Paper-comparable truck factor (Avelino, Passos, Hora, Valente, ICPC 2016;
reference implementation aserg-ufmg/Truck-Factor, ``GreedyTruckFactor``):

* A person is an **author** of a file when ``DOA / max DOA of the file > 0.75``
  and (``DOA ≥ 3.293`` or they added the file). DOA comes from the KNOWS edge
  (see ``ingest.history``); only people with an authorship record (an add or a
  delivery) are candidates, and only humans have one (bots and agents never
  hold authorship).
* **Truck factor**: while at least 50 % of the files still have an author,
  remove the author of the most files; TF = number removed. So a scope that
  sits exactly on 50 % after a removal needs one more removal. Ties between
  people authoring equally many files go to the one with more commits, then to
  the smaller id, so the result is deterministic (the reference uses hash-map
  order). The count of files each person "covers" is the files they author in
  the scope, as in the reference (not the files still uncovered).
* Scope: the files GitHub Linguist counts in a repository's language
  statistics (programming and markup languages, not vendored, generated or
  documentation paths), nor test data (fixtures, snapshots, a suite's sample
  cases; test code counts) — File ``linguist_counted``, see ``ingest.linguist`` —
  that have history (File ``changes`` > 0; the reference drops files with no
  commit, "No commits for <file>"); for a component, its files in that
  scope; for ``path``, the files under that directory. A scope with no file
  in it (documentation or examples only) has no truck factor: both are None
  ("not counted"), not 0, which would say its knowledge is already lost.

Beside it, kept separate so the paper's number stays comparable:

* **gone** people: listed as departed in ``cairn.toml``, inactive (last
  activity more than ``thresholds.inactive_days`` before the newest commit),
  or named in ``leaving``;
* **human truck factor**: the same greedy algorithm where a person knows a
  file if they are its author *or* have review credit on it (``reviews ≥ 1``:
  ``Reviewed-by``, co-author trailers, committing an agent's commit), counting
  only people who are not gone. It answers "how many of the people still here
  must leave before most files have nobody who wrote or reviewed them";
* **orphaned files**: files with no author left once gone people are removed
  (files that never had an author, e.g. written only by agents, included);
* **at risk**: a scope with files whose TF ≤ ``thresholds.at_risk_truck_factor``
  or whose orphaned share exceeds ``thresholds.orphaned_share``;
* ``--leaving`` (``leaving=``) recomputes everything as if those people had
  left: they are removed before the greedy removal starts. People are named
  by display name, any name they used, e-mail, ``@login`` or id (``graph.people.PersonIndex``).
* **ask first**: a scope (component or ``path``) where more than
  ``thresholds.orphaned_share`` of the files have no author left has
  ``ask_first``, the people still here to ask about it now, ranked as
  ``cairn who-knows`` ranks them for a path (the active people who changed
  its files, by their recent work on them, then its declared owners still
  here; three at most, an empty list when nobody is left); other scopes have
  no such key;
* components nest (``parent``): a file counts for its most specific
  component; ``path=`` drills down into any directory, nested components
  included;
* the history's completeness (shallow clone, missing objects) is reported
  at the top (``history_complete``, ``history``) so no format hides it.
* declared-vs-actual ownership drift: per component, the CODEOWNERS owners of
  its files (``declared_owners``) and the people among them who neither
  author nor reviewed any of its files (``declared_owners_without_knowledge``,
  and among them ``declared_owners_not_in_history``: handles that match
  nobody in the history, perhaps a person under another name;
  teams are listed as owners but cannot be checked, their members are unknown).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, Collection, Iterable, Mapping

from cairn.graph.authorship import file_authors  # the rule, shared with the trend replay in ingest
from cairn.graph.errors import AmbiguousName, UnknownName
from cairn.graph.model import Edge, KnowsEdge, Label, Node, Rel, RepoGraph, node_id
from cairn.graph.people import KnowledgeHolder, PersonIndex
from cairn.graph.store import verifying_skips
from cairn.graph.testcode import is_test_file
from cairn.queries.gone import gone_people  # (the analyses beside the bus factor import it from here)

if TYPE_CHECKING:  # imported where used: reading a stored answer needs it not
    from cairn.graph.thresholds import ThresholdValues
    from cairn.graph.authorship import Authorship

COVERAGE = 0.5


def greedy_truck_factor(
    files: Iterable[str], knowers: Mapping[str, Iterable[str]], rank: Mapping[str, Any] | None = None,
) -> list[str]:
    """The people removed by the greedy algorithm, in order; the truck factor is their number.

    ``knowers`` maps each file to the people who know it (files outside
    ``files`` are ignored). ``rank`` breaks ties (higher first; default: none),
    then the smaller person id wins.
    """
    scope = set(files)
    if not scope:
        return []
    files_of: dict[str, list[str]] = {}  # (each file once: its people are counted once each)
    count: dict[str, int] = {}  # for the files somebody knows (the only ones the removal looks up)
    covered = 0
    get = knowers.get
    for f in scope:
        people = get(f)
        if not people:
            continue
        covered += 1
        if people.__class__ is list and len(people) == 1:  # most files have one author: no set, no loop
            count[f] = 1
            known = files_of.get(people[0])
            if known is None:
                files_of[people[0]] = [f]
            else:
                known.append(f)
            continue
        if people.__class__ is not set:
            people = set(people)  # once each
        count[f] = len(people)
        for p in people:
            known = files_of.get(p)
            if known is None:
                files_of[p] = [f]
            else:
                known.append(f)
    return greedy_removal(files_of, count, covered, len(scope), rank)


def greedy_removal(files_of: Mapping[str, Collection[str]], knowers: Mapping[str, int], covered: int, total: int,
                   rank: Mapping[str, Any] | None = None, fewer: Mapping[str, int] | None = None) -> list[str]:
    """``greedy_truck_factor`` over a scope already indexed: ``files_of`` maps each person to the files they know in
    it (people with none may be left out), ``knowers[file]`` says how many people know a file (less ``fewer[file]``
    when given: people who do not count), ``covered`` is how many of the scope's ``total`` files somebody knows.

    A person's count is the files they know in the scope, whoever else was removed, so the order of removal
    is fixed from the start: sorted by (most files, highest rank, smallest id), the order in which taking
    the least key each time would take them. People are removed in that order while at least half of the
    files still have somebody who knows them.
    """
    if not total:
        return []
    rank = rank or {}
    order = sorted((p for p, known in files_of.items() if known),
                   key=lambda p: (-len(files_of[p]), _neg(rank.get(p)), p))
    removed: list[str] = []
    left: dict[str, int] = {}  # knowers left, for the files a removal touched
    for pick in order:
        if covered < COVERAGE * total:  # more than half of the files have nobody left
            break
        removed.append(pick)
        for f in files_of[pick]:
            n = left.get(f)
            if n is None:
                n = knowers[f] - fewer.get(f, 0) if fewer else knowers[f]
            n -= 1
            left[f] = n
            if n == 0:
                covered -= 1
    return removed


def _neg(value: Any) -> Any:
    return -value if isinstance(value, (int, float)) else 0


class _PersonInfo:
    node: Node
    gone_reason: str | None

    def __init__(self, node: Node, gone_reason: str | None = None) -> None:
        self.node = node
        self.gone_reason = gone_reason

    @property
    def name(self) -> str:
        return str(self.node.get("name") or self.node.key)


class _Knowledge:
    """Everything the analyses need, read once from the graph."""

    files: list[str]
    component_of: dict[str, str | None]
    authors: dict[str, list[str]]  # file -> person ids
    holders: dict[str, set[str]]  # file -> human authors and reviewers
    people: dict[str, _PersonInfo]
    graph: RepoGraph  # its Person nodes make ``index`` when a name must be resolved
    rank: dict[str, int]
    thresholds: ThresholdValues
    owners_of_file: dict[str, set[str]]  # file -> owner node ids
    notes: list[str]
    _index: PersonIndex | None
    _around: tuple[frozenset[str], set[str], set[str]] | None

    def __init__(self, files: list[str], component_of: dict[str, str | None], authors: dict[str, list[str]],
                 holders: dict[str, set[str]], people: dict[str, _PersonInfo], graph: RepoGraph, rank: dict[str, int],
                 thresholds: ThresholdValues, owners_of_file: dict[str, set[str]] | None = None,
                 notes: list[str] | None = None, _index: PersonIndex | None = None,
                 _around: tuple[frozenset[str], set[str], set[str]] | None = None) -> None:
        self.files = files
        self.component_of = component_of
        self.authors = authors
        self.holders = holders
        self.people = people
        self.graph = graph
        self.rank = rank
        self.thresholds = thresholds
        self.owners_of_file = {} if owners_of_file is None else owners_of_file
        self.notes = [] if notes is None else notes
        self._index = _index
        self._around = _around

    def around(self, leaving: set[str]) -> tuple[set[str], set[str]]:
        """(gone, here) with ``leaving`` gone too: the people gone or leaving, and the humans still here (every
        scope of a report asks the same: worked out once per ``leaving``)."""
        key = frozenset(leaving)
        if self._around is None or self._around[0] != key:
            people = self.people
            gone = leaving | {pid for pid, info in people.items() if info.gone_reason}
            here = {pid for pid, info in people.items() if pid not in gone and info.node.get("kind") == "human"}
            self._around = (key, gone, here)
        return self._around[1], self._around[2]

    @property
    def index(self) -> PersonIndex:
        """Every person by every name they go by: built when first asked (a bus factor with nobody leaving asks not)."""
        if self._index is None:
            self._index = PersonIndex.of(self.graph)
        return self._index


def knows_by_target(graph: RepoGraph, edges: Mapping[Any, Edge] | None = None) -> dict[str, list[Edge]]:
    """The KNOWS edges of ``graph`` (of ``edges``, its edges by key, when given) by the File node they point at, in the
    graph's order of edges."""
    out: defaultdict[str, list[Edge]] = defaultdict(list)
    knows = Rel.KNOWS
    for edge in (graph.edges if edges is None else edges).values():
        if edge.type is knows:
            out[edge.target].append(edge)
    return out


def in_truck_factor_scope(file_node: Node) -> bool:
    """Whether the truck factor counts this File: Linguist counts it and it has history (see the module docstring)."""
    changes = file_node.get("changes")
    return file_node.get("linguist_counted", True) is not False and (changes is None or changes > 0)


def presence(person: Node | None, reason: str | None) -> dict[str, Any]:
    """The fields every person row carries about whether they are still around.

    ``active`` (False when gone), ``gone`` (``"departed"``, ``"inactive"``,
    ``"leaving"`` or None; ``reason`` as ``gone_people`` or ``--leaving`` gives
    it) and ``last_active`` (ISO time, None when unknown), so every interface
    can say "left" or "inactive since 2023-04" from one definition.
    """
    return {"active": reason is None, "gone": reason, "last_active": person.get("last_active") if person is not None else None}


def _load(graph: RepoGraph, mark_authors: bool = False, authorship: Authorship | None = None) -> _Knowledge:
    """What the analyses read of ``graph``; with ``mark_authors``, each KNOWS edge also gets ``author`` (whether its
    person is an author of its file: ``annotate_bus_factor``), set while the file's edges are at hand.
    ``authorship``: who authors and holds each file, as the KNOWS edges say (given by the ingest that built them),
    taken instead of reading every edge; ``CAIRN_VERIFY_SKIPS=1`` checks it against the edges."""
    from cairn.graph.thresholds import ThresholdValues  # (plain values: an ingest imports no pydantic)

    files: list[str] = []
    component_of: dict[str, str | None] = {}
    without_history = 0  # counted files left out for having no commit
    for n in graph.of_label(Label.FILE):
        props = n.props
        component_of[n.key] = props.get("component")
        if in_truck_factor_scope(n):
            files.append(n.key)
        elif props.get("changes") == 0 and props.get("linguist_counted", True) is not False:
            without_history += 1
    files.sort()
    gone, notes = gone_people(graph)
    people = {node.id: _PersonInfo(node, gone.get(node.id)) for node in graph.of_label(Label.PERSON)}
    if authorship is not None:
        authors, holders = authorship.authors, authorship.holders
        if mark_authors:
            authorship.mark_authors()
        if verifying_skips():
            _verify_authorship(graph, authorship, mark_authors)
    else:
        authors, holders = _authors_and_holders(graph, mark_authors)
    owners: dict[str, set[str]] = {}
    for edge in graph.of_type(Rel.OWNS):
        target = graph.nodes[edge.target]
        if target.label is Label.FILE:
            owners.setdefault(target.key, set()).add(edge.source)
    thresholds = ThresholdValues.of(graph)
    if verifying_skips():
        from cairn.graph.threshold_model import Thresholds  # (pydantic: only under the check)

        Thresholds.check_values(graph, thresholds)
    knowledge = _Knowledge(
        files, component_of, authors, holders, people, graph,
        rank={pid: int(info.node.get("commits") or 0) for pid, info in people.items()},
        thresholds=thresholds, owners_of_file=owners, notes=notes,
    )
    if without_history:
        knowledge.notes.append(f"{without_history} counted file(s) have no commit in the history read and are left out, as the reference does")
    return knowledge


def _verify_authorship(graph: RepoGraph, authorship: Authorship, marked: bool) -> None:
    """Check ``authorship`` against what reading the KNOWS edges gives (``CAIRN_VERIFY_SKIPS``)."""
    every = graph.edges_apart()  # (KNOWS edges not made yet stay so: the check reads copies)
    authors, holders = _authors_and_holders(graph, False, every)
    if authors != authorship.authors or holders != authorship.holders:
        raise AssertionError("the authorship add_knowledge worked out is not what the KNOWS edges say")
    nodes = graph.nodes
    for edge in (e for e in every.values() if e.type is Rel.KNOWS) if marked else ():
        if edge.get("author") is not (edge.source in authors.get(nodes[edge.target].key, ())):
            raise AssertionError(f"KNOWS edge {edge.source} -> {edge.target}: author flag not what its file's edges say")


def _authors_and_holders(graph: RepoGraph, mark_authors: bool, edges: Mapping[Any, Edge] | None = None
                         ) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """Per File key, its authors (the files with a DOA candidate) and who holds knowledge of it (authors and
    reviewers), read from the KNOWS edges (of ``edges`` when given: ``knows_by_target``; ``mark_authors``: see
    ``_load``)."""
    authors: dict[str, list[str]] = {}
    holders: dict[str, set[str]] = {}
    nodes = graph.nodes
    # The largest relationship type: one pass over it, props read directly, only what is set kept (most people
    # know a file without reviewing it; who knows a file at all is looked up by edge key, ``_owners_report``).
    # A candidate's (doa, first_authorship) are passed as stored (a number, a flag): ``file_authors`` divides and
    # compares the one and tests the other, which float() and bool() would not change (144k calls each at 10k files).
    for target, edges in knows_by_target(graph, edges).items():  # type: ignore[assignment]
        path = nodes[target].key
        candidates: dict[str, tuple[float, bool]] = {}
        reviewing: set[str] | None = None
        for edge in edges:
            if edge.__class__ is KnowsEdge:  # its properties in slots: read without making a dict of them
                doa, first, reviews = edge.authorship
            else:
                props = edge.props
                doa, first, reviews = props.get("doa"), props.get("first_authorship"), props.get("reviews")
            if doa is not None:
                candidates[edge.source] = (doa, first)
            if reviews and reviews > 0:
                if reviewing is None:
                    reviewing = {edge.source}
                else:
                    reviewing.add(edge.source)
        found = file_authors(candidates) if candidates else []
        if candidates:
            authors[path] = found
            holders[path] = set(found).union(reviewing) if reviewing else set(found)
        elif reviewing:
            holders[path] = reviewing
        if mark_authors:  # not a property read above
            for edge in edges:
                edge.set("author", edge.source in found)
    return authors, holders


def _file_prefix(repo: str) -> str:
    """The start of every File node id of ``repo`` (its key follows)."""
    return node_id(Label.FILE, repo, "")


def resolve_people(index: PersonIndex, names: Iterable[str]) -> list[str]:
    """Person node ids of the people ``names`` name (``leaving=``); ``UnknownName`` or ``AmbiguousName`` otherwise."""
    out: list[str] = []
    for name in names:
        found = index.find(name)
        if not found:
            raise UnknownName(f"no person matches {name!r} (use a name, e-mail, id or alias from `cairn bus-factor`'s people)",
                              kind="person", name=name)
        if len(found) > 1:
            ids = ", ".join(p.key for p in found)
            raise AmbiguousName(f"{name!r} matches several people ({ids}); name one by its id", name=name,
                                matches=[p.id for p in found])
        out.extend(p.id for p in found if p.id not in out)
    return out


def _scope_report(knowledge: _Knowledge, files: list[str], leaving: set[str]) -> dict[str, Any]:
    if not files:
        return {"truck_factor": None, "truck_factor_people": [], "human_truck_factor": None,
                "human_truck_factor_people": [], "files": 0, "orphaned_files": 0, "knowledge_holders": [], "at_risk": False}
    people = knowledge.people
    gone, here = knowledge.around(leaving)
    known_authors, known_holders = knowledge.authors, knowledge.holders
    if leaving:
        authors = {f: [p for p in known_authors.get(f, ()) if p not in leaving] for f in files}
    else:  # nobody to take out: each file's authors as read (never changed; only the scope's files are read)
        authors = known_authors
    tf_people = greedy_truck_factor(files, authors, knowledge.rank)
    present: dict[str, Collection[str]] = {}  # the holders still here, of the files that have any
    all_here = here.issuperset
    for f, held in zip(files, map(known_holders.get, files)):
        if held:
            if all_here(held):  # (most files: their set as it is, never changed)
                present[f] = held
            elif kept := [p for p in held if p in here]:
                present[f] = kept
    human_people = greedy_truck_factor(files, present, knowledge.rank)
    authored_by = list(map(authors.get, files, repeat(())))
    orphaned = sum(map(gone.issuperset, authored_by))  # every author gone (or none at all)
    authored = Counter(chain.from_iterable(authored_by))
    holders = [
        {"person": people[p].name, "id": people[p].node.key, "files_authored": n,
         "share": round(n / len(files), 4), **presence(people[p].node, "leaving" if p in leaving else people[p].gone_reason)}
        for p, n in sorted(authored.items(), key=lambda item: (-item[1], people[item[0]].name, item[0]))
    ]
    return {
        "truck_factor": len(tf_people),
        "truck_factor_people": [people[p].name for p in tf_people],
        "human_truck_factor": len(human_people),
        "human_truck_factor_people": [people[p].name for p in human_people],
        "files": len(files),
        "orphaned_files": orphaned,
        "knowledge_holders": holders,
        "at_risk": _at_risk(knowledge.thresholds, len(files), len(tf_people), orphaned),
    }


def _at_risk(t: ThresholdValues, files: int, truck_factor: int, orphaned: int) -> bool:
    return bool(files) and (truck_factor <= t.at_risk_truck_factor or _mostly_orphaned(t, files, orphaned))


def _mostly_orphaned(t: ThresholdValues, files: int, orphaned: int) -> bool:
    """Whether more than ``thresholds.orphaned_share`` of ``files`` have no author left (which alone puts a scope at
    risk): the scopes whose report says whom to ask now (``ask_first``)."""
    return bool(files) and orphaned / files > t.orphaned_share


def _add_ask_first(graph: RepoGraph, knowledge: _Knowledge, leaving: set[str],
                   scopes: list[tuple[dict[str, Any], list[str]]]) -> None:
    """Give each of ``scopes`` (a report's entry, its counted files) that is mostly orphaned ``ask_first``: the people
    still here to ask first about its files, as who-knows ranks them for a path (``who_knows.ask_first``: the active
    people who changed them, by their recent work on them, then declared owners; three at most, maybe none). Worked out afresh for
    every report (it reads who changed the files and when, which no kept entry vouches for); the KNOWS edges of
    those files alone are read."""
    wanted = [(entry, files) for entry, files in scopes
              if _mostly_orphaned(knowledge.thresholds, len(files), entry["orphaned_files"])]
    if not wanted:
        return
    from cairn.queries.who_knows import KnowledgeIndex, ask_first

    gone = {pid: "leaving" if pid in leaving else str(info.gone_reason) for pid, info in knowledge.people.items()
            if pid in leaving or info.gone_reason}
    index = KnowledgeIndex.of_files(graph, set().union(*(files for _, files in wanted)), gone)
    for entry, files in wanted:
        entry["ask_first"] = ask_first(index, files)


def _owner_handle(graph: RepoGraph, node_id: str) -> str:
    node = graph.nodes[node_id]
    if node.label is Label.TEAM:
        return node.key
    handles = node.get("owner_handles") or []
    return str(handles[0]) if handles else str(node.get("name") or node.key)


#: the share of a history's commits squash-merged from pull requests above which its reviews are mostly out of git's sight
SQUASH_MERGED_SHARE = 0.2


def squash_merged_note(repo: Node | None) -> list[str]:
    """A note when a fifth of the commits or more (fifty at least) are pull requests GitHub squashed ("… (#1234)") and
    no review was imported: who reviewed and merged them is nowhere in git (gin's Bo-Yi Wu, its maintainer for six
    years, held none of its files; poetry's mixology had "none of its authors still here")."""
    if repo is None or repo.get("reviews_imported"):
        return []
    squashed, commits = int(repo.get("squash_merged") or 0), int(repo.get("commits") or 0)
    if squashed < 50 or squashed < SQUASH_MERGED_SHARE * commits:
        return []
    return [f"{squashed} of {commits} commits are squash-merged pull requests (\"… (#1234)\"): who reviewed and merged "
            "them is not in git, so the truck factors count their authors alone; `cairn reviews import` adds the "
            "reviews from GitHub or GitLab"]


def _risk_order(component: dict[str, Any]) -> tuple:
    # the code before its tests (django-rest-framework's list led with tests/, 31 of 81 files orphaned); then most
    # knowledge lost first, then the most code at stake: by the orphaned share, prometheus's list led with `template`
    # (3 of 3 files orphaned) and temporal's with folders of 2 or 3 files, above web/ui's 80 orphaned of 249 and
    # history/queues' 64 files known to one person
    return (not component["at_risk"], component.get("tests", False), component["truck_factor"],
            -component["orphaned_files"], -component["files"], component["name"])


def bus_factor(graph: RepoGraph, *, component: str | None = None, leaving: Iterable[str] = (),
               path: str | None = None) -> dict[str, Any]:
    """The bus-factor report: ``{"history_complete", "history", "repository", "components", "people"}``
    (and ``"path"`` for a drill-down).

    Components are sorted by risk (at risk first, then those holding code
    before those holding only tests (``tests``), then lowest truck factor,
    then most orphaned files, then most files, then name); components without a counted file
    (documentation or examples only) are left out unless named. ``component``
    restricts the list to one; ``path`` adds the truck factor and holders of
    the files under that directory (or of that one file); ``leaving``
    recomputes as if those people had left.
    """
    return _bus_factor(graph, _load(graph), component, leaving, path)


def history_completeness(graph: RepoGraph) -> tuple[bool, dict[str, Any]]:
    """(complete, counts) of the history the graph was built from, for every report to state at its top."""
    repo = graph.repository
    props = repo.props if repo is not None else {}
    counts = dict(props.get("history_completeness") or {})
    counts.pop("complete", None)
    counts.setdefault("shallow", bool(props.get("shallow")))
    complete = props.get("history_complete")
    if complete is None:
        complete = not counts["shallow"]
    return bool(complete), {**counts, "warnings": list(props.get("history_warnings") or [])}


def _path_scope(knowledge: _Knowledge, path: str) -> list[str]:
    wanted = path.strip().strip("/")
    if not wanted or wanted == ".":
        return list(knowledge.files)
    return [f for f in knowledge.files if f == wanted or f.startswith(wanted + "/")]


def _owners_report(graph: RepoGraph, knowledge: _Knowledge, files: list[str]) -> dict[str, list[str]]:
    owner_ids = set().union(*(knowledge.owners_of_file.get(f, set()) for f in files)) if files else set()
    prefix = _file_prefix(graph.repo)
    file_ids = [prefix + f for f in files] if owner_ids else []
    people = [o for o in owner_ids if graph.nodes[o].label is Label.PERSON]
    # the owners who are people with no KNOWS edge at any of the files (few owners: looked up by edge key, or among
    # the pending edges' columns: none made)
    without = set(people) - graph.sources_into(Rel.KNOWS, file_ids, people)
    return {
        "declared_owners": sorted({_owner_handle(graph, o) for o in owner_ids}),
        "declared_owners_without_knowledge": sorted({_owner_handle(graph, o) for o in without}),
        # of those, the handles that match nobody in the history: perhaps someone who committed under another
        # name or e-mail (a [[people]] entry joins them; `cairn people` lists likely candidates)
        "declared_owners_not_in_history": sorted({_owner_handle(graph, o) for o in without
                                                  if graph.nodes[o].get("declared_only")}),
    }


def _bus_factor(graph: RepoGraph, knowledge: _Knowledge, component: str | None, leaving: Iterable[str],
                path: str | None = None) -> dict[str, Any]:
    leaving = list(leaving)
    leaving_ids = set(resolve_people(knowledge.index, leaving)) if leaving else set()
    names = sorted(c.key for c in graph.of_label(Label.COMPONENT))
    if component is not None and component not in names:
        raise unknown_component(component, names)
    result, without_files = _report_and_scopes(graph, knowledge, leaving_ids, path)
    if component is not None:
        result = one_component(result, component, without_files.get(component))
    return result


def _report_and_scopes(graph: RepoGraph, knowledge: _Knowledge, leaving_ids: set[str],
                       path: str | None, kept: KeptReport | None = None) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The report for every component, and the entry of each component without counted files (left out of it).
    ``kept`` (nobody leaving): the report of the stored graph, whose repository's and components' entries are taken
    where they hold (``_KeptEntries``)."""
    repo = graph.repository
    components = sorted(graph.of_label(Label.COMPONENT), key=lambda n: n.key)
    people = []
    row_of: dict[str, dict[str, Any]] = {}  # Person node id -> its row
    for pid, info in sorted(knowledge.people.items(), key=lambda item: (-knowledge.rank[item[0]], item[1].node.key)):
        node = info.node
        people.append(row_of.setdefault(pid, {
            "id": node.key, "name": info.name, "kind": node.get("kind"), "aliases": list(node.get("aliases") or []),
            "names": list(node.get("names") or []), "emails": list(node.get("emails") or []),
            "logins": list(node.get("logins") or []), "commits": int(node.get("commits") or 0),
            **presence(node, "leaving" if pid in leaving_ids else info.gone_reason),
        }))
    taken = _KeptEntries(kept, knowledge, row_of) if kept is not None and not leaving_ids else None
    whole = (taken.repository(knowledge.files) if taken is not None else None) or _scope_report(
        knowledge, knowledge.files, leaving_ids)
    repository = {
        "name": graph.repo,
        **{k: whole[k] for k in ("truck_factor", "truck_factor_people", "human_truck_factor",
                                 "human_truck_factor_people", "files", "orphaned_files", "at_risk")},
        "knowledge_holders": whole["knowledge_holders"],
        "commits": repo.get("commits") if repo is not None else None,
        "newest_commit_at": repo.get("newest_commit_at") if repo is not None else None,
        "shallow": bool(repo.get("shallow")) if repo is not None else False,
        "leaving": [knowledge.people[p].name for p in sorted(leaving_ids)],
        "notes": (list(repo.get("history_notes") or []) if repo is not None else []) + knowledge.notes
        + squash_merged_note(repo),
    }
    complete, counts = history_completeness(graph)
    repository["notes"] = counts["warnings"] + [n for n in repository["notes"] if n not in counts["warnings"]]

    files_of: dict[str, list[str]] = {}
    for f in knowledge.files:
        comp = knowledge.component_of.get(f)
        if comp:
            files_of.setdefault(comp, []).append(f)
    out_components = []
    without_files: dict[str, dict[str, Any]] = {}
    for comp in components:
        files = files_of.get(comp.key, [])
        scope = taken.scope(comp.key, files) if taken is not None and files else None
        entry = {"name": comp.key, "parent": comp.get("parent"),
                 **(scope if scope is not None else _scope_report(knowledge, files, leaving_ids)),
                 **_owners_report(graph, knowledge, files),
                 "tests": bool(files) and all(map(is_test_file, files))}
        if files:
            out_components.append(entry)
        else:  # documentation or examples only: nothing the truck factor counts, listed only when named
            without_files[comp.key] = entry
    _add_ask_first(graph, knowledge, leaving_ids, [(entry, files_of[entry["name"]]) for entry in out_components])
    out_components.sort(key=_risk_order)
    result: dict[str, Any] = {"history_complete": complete, "history": counts, "repository": repository,
                              "components": out_components, "people": people}
    if path is not None:
        files = _path_scope(knowledge, path)
        if not files and not any(f == path.strip("/") or f.startswith(path.strip("/") + "/") for f in knowledge.component_of):
            raise UnknownName(f"no file of the repository is under {path!r}", kind="path", name=path)
        nested = sorted(c.key for c in graph.of_label(Label.COMPONENT)
                        if any(knowledge.component_of.get(f) == c.key for f in files))
        result["path"] = {"path": path.strip("/") or ".", **_scope_report(knowledge, files, leaving_ids),
                          "components": nested, **_owners_report(graph, knowledge, files)}
        _add_ask_first(graph, knowledge, leaving_ids, [(result["path"], files)])
    return result, without_files


@dataclass(frozen=True)
class KeptReport:
    """What ``annotate_bus_factor`` may take from: ``report``, the bus-factor report kept for the stored graph
    (``bus_factor_answers``'s, people's fields joined), and ``changed_files``, the File keys whose node or KNOWS edges
    may differ from the stored graph's in the graph annotated now (every other file's node and KNOWS edges, hence its
    authors and holders, are the stored ones)."""

    report: Mapping[str, Any]
    changed_files: frozenset[str]
    #: Of the ``changed_files`` the stored graph has, whether its truck factor counted each and who authored and held
    #: it there (``stored_authorship``); None when not read (the repository's entry is then computed).
    stored: Mapping[str, tuple[bool, list[str], set[str]]] | None = None


def stored_authorship(part: RepoGraph) -> dict[str, tuple[bool, list[str], set[str]]]:
    """Per File node of ``part`` (a graph read around File nodes of a stored one: them and the KNOWS edges into
    them), whether the truck factor counts it (``in_truck_factor_scope``) and its authors and holders, as ``_load``
    reads them."""
    authors, holders = _authors_and_holders(part, False)
    return {n.key: (in_truck_factor_scope(n), authors.get(n.key) or [], holders.get(n.key) or set())
            for n in part.of_label(Label.FILE)}


#: What a component's entry holds of its scope's report that ``_KeptEntries`` takes (``at_risk`` reads the thresholds:
#: worked out again).
_TAKEN = ("truck_factor", "truck_factor_people", "human_truck_factor", "human_truck_factor_people", "files",
          "orphaned_files", "knowledge_holders")


class _KeptEntries:
    """The components' and the repository's scope reports of a kept report (``KeptReport``) that hold for the graph
    reported now (the repository's: ``repository``).

    ``_scope_report`` of a component reads its counted files, their authors and holders, and of the people among
    those holders (authors are holders) their name, key, kind, whether and why they are gone, when they were last
    active, and their commits (``rank``: the greedy orders' tie-break after the files counted); with nobody leaving,
    nothing else (the thresholds only for ``at_risk``, worked out again). Those people's fields are all in their
    row of the report's ``people``. So a kept entry is taken when none of the component's files may have changed
    (``changed_files``), it counted as many files (so the same ones: each unchanged file was counted there, in the
    same component), and each of their holders either has the same row as in the kept report or differs only in
    commits and last activity (a committer: ``moved``) without changing places with another holder of them in the
    order of (commits, id) the greedy removals break ties by: the files each person counts are the same, so are both
    greedy orders then. A moved holder's row in ``knowledge_holders`` is given their last activity now. Who else
    joined, left or changed is not read.
    """

    def __init__(self, kept: KeptReport, knowledge: _Knowledge, row_of: Mapping[str, Mapping[str, Any]]):
        rows = {row.get("id"): row for row in kept.report.get("people") or () if isinstance(row, dict)}
        people = knowledge.people
        self.changed: set[str] = set()  # Person node ids whose row is new or differs beyond ``_MOVES``
        self.moved: dict[str, int] = {}  # Person node id -> commits in the kept report, of those that differ in ``_MOVES``
        for pid, row in row_of.items():
            old = rows.get(people[pid].node.key)
            if old == row:
                continue
            if (old is not None and old.keys() == row.keys() and type(old["commits"]) is int
                    and all(old[name] == value for name, value in row.items() if name not in _MOVES)):
                self.moved[pid] = old["commits"]
            else:
                self.changed.add(pid)
        self.moved_keys = {people[pid].node.key: pid for pid in self.moved}
        self.entries = {c["name"]: c for c in kept.report.get("components") or () if isinstance(c, dict)}
        self.repository_entry = kept.report.get("repository")
        self.changed_files, self.stored = kept.changed_files, kept.stored
        self.knowledge = knowledge

    def scope(self, component: str, files: list[str]) -> dict[str, Any] | None:
        """The kept scope report of ``component`` (whose counted files are ``files``) when it holds, else None."""
        entry = self.entries.get(component)
        if entry is None or entry.get("files") != len(files) or not self.changed_files.isdisjoint(files):
            return None
        return self._taken(entry, files)

    def repository(self, files: list[str]) -> dict[str, Any] | None:
        """The kept scope report of the whole repository (whose counted files are ``files``) when it holds, else None.

        It counted as many files, and each file that may have changed as the stored graph did, with the same authors
        and holders (``KeptReport.stored``), so it counted the same files (a file the commit removed, counted there,
        would leave one fewer), each with the authors and holders it has now; its holders' rows as ``scope`` asks.
        """
        entry, stored = self.repository_entry, self.stored
        if stored is None or not isinstance(entry, dict) or entry.get("files") != len(files):
            return None
        authors, holders = self.knowledge.authors, self.knowledge.holders
        counted = set(files) if self.changed_files else ()
        for f in self.changed_files:
            was = stored.get(f)
            if (f in counted) != (was is not None and was[0]):
                return None
            if f in counted and (was[1] != (authors.get(f) or []) or was[2] != (holders.get(f) or set())):  # type: ignore[index]
                return None
        return self._taken(entry, files)

    def _taken(self, entry: Mapping[str, Any], files: list[str]) -> dict[str, Any] | None:
        """``entry``'s scope report, for the counted ``files`` of a scope whose files and their authors and holders
        are those it was made from, when its holders' rows allow (see the class), else None."""
        knowledge = self.knowledge
        held = set().union(*map(knowledge.holders.get, files, repeat(())))
        if not self.changed.isdisjoint(held):
            return None
        moved = self.moved.keys() & held
        if moved and not all(self._same_places(person, held) for person in moved):
            return None
        scope = {name: entry[name] for name in _TAKEN}
        scope["at_risk"] = _at_risk(knowledge.thresholds, len(files), scope["truck_factor"], scope["orphaned_files"])
        if moved:
            people = knowledge.people
            scope["knowledge_holders"] = [
                {**row, **presence(people[pid].node, people[pid].gone_reason)}
                if (pid := self.moved_keys.get(row.get("id"))) in moved else row
                for row in scope["knowledge_holders"]]
        return scope

    def _same_places(self, person: str, held: set[str]) -> bool:
        """Whether ``person`` (moved) stands before or after each other one of ``held`` in the order of (more commits,
        smaller id) as in the kept report."""
        rank, moved = self.knowledge.rank, self.moved
        before, now = moved[person], rank.get(person, 0)
        for other in held:
            if other != person:
                other_before, other_now = moved.get(other, rank.get(other, 0)), rank.get(other, 0)
                if ((before > other_before or (before == other_before and person < other))
                        != (now > other_now or (now == other_now and person < other))):
                    return False
        return True


#: The fields of a person's row that a commit by them changes (``_KeptEntries.moved``).
_MOVES = frozenset({"commits", "last_active"})


def unknown_component(component: str, names: list[str]) -> UnknownName:
    """The error for a component the repository does not have; ``names`` are its components, sorted."""
    return UnknownName(f"no component named {component!r} (components: {', '.join(names) or 'none'})",
                       kind="component", name=component, suggestions=names)


def one_component(report: dict[str, Any], component: str, without_files: dict[str, Any] | None) -> dict[str, Any]:
    """The bus-factor report for every component narrowed to ``component``.

    A component with counted files is in the report already; one without (documentation or examples
    only) is not, and ``without_files`` is its entry. Nothing else in the report depends on the component.
    """
    entry = next((c for c in report["components"] if c["name"] == component), None) or without_files
    if entry is None:
        raise ValueError(f"the report has no entry for component {component!r}")
    return {**report, "components": [entry]}


def bus_factor_answers(graph: RepoGraph) -> tuple[dict[str, Any], dict[str, Any]]:
    """The default report (``bus_factor(graph)``) and what narrows it to one component without the graph
    (``one_component``): every component's name, and the entry of each one without counted files."""
    result, without_files = _report_and_scopes(graph, _load(graph), set(), None)
    return result, {"names": sorted(c.key for c in graph.of_label(Label.COMPONENT)), "without_files": without_files}


def annotate_bus_factor(graph: RepoGraph, authorship: Authorship | None = None,
                        kept: KeptReport | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Store the derived results as properties, so a Neo4j user can query them with Cypher.

    Component and Repository: ``truck_factor``, ``truck_factor_people``,
    ``human_truck_factor`` (and on components ``knowledge_holders``,
    ``orphaned_files``, ``at_risk``, ``declared_owners_without_knowledge``, and
    ``ask_first`` where the report has it: the card and the PR check read it);
    KNOWS edges: ``author`` (whether the person is a DOA author of the file).

    Returns what ``bus_factor_answers`` would return for the graph: the properties written here are not
    among what the report reads, so an ingest that annotates does not compute the report twice. ``authorship``:
    see ``_load``. ``kept``: the report of the stored graph this one replaces, and the files that may differ from it
    (an ingest after a commit): the repository and the components none of whose inputs changed take their entry from it
    (``_KeptEntries``), the same as computed; ``CAIRN_VERIFY_SKIPS=1`` checks it against the whole computation.
    """
    knowledge = _load(graph, mark_authors=True, authorship=authorship)  # KNOWS edges: ``author``, set as they are read
    report, without_files = _report_and_scopes(graph, knowledge, set(), None, kept)
    if kept is not None and verifying_skips():
        from cairn.graph.values import dumps

        if dumps([report, without_files]) != dumps(list(_report_and_scopes(graph, knowledge, set(), None))):
            raise AssertionError("the bus factor with the kept report's components is not the one computed whole")
    repo = graph.repository
    if repo is not None:
        r = report["repository"]
        repo.props.update(
            truck_factor=r["truck_factor"], truck_factor_people=r["truck_factor_people"],
            human_truck_factor=r["human_truck_factor"], orphaned_files=r["orphaned_files"],
        )
    reported = {c["name"] for c in report["components"]}
    empty = [{"name": n.key, **_scope_report(knowledge, [], set()), "declared_owners_without_knowledge": []}
             for n in graph.of_label(Label.COMPONENT) if n.key not in reported]
    for c in report["components"] + empty:
        node = graph.node(Label.COMPONENT, c["name"])
        node.props.update(
            truck_factor=c["truck_factor"], truck_factor_people=c["truck_factor_people"],
            human_truck_factor=c["human_truck_factor"],
            knowledge_holders=[KnowledgeHolder(h["person"], h["id"], h["files_authored"], h["share"]).to_props()
                               for h in c["knowledge_holders"]],
            orphaned_files=c["orphaned_files"], at_risk=c["at_risk"],
            declared_owners_without_knowledge=c["declared_owners_without_knowledge"],
        )
        if "ask_first" in c:
            node.props["ask_first"] = c["ask_first"]
        else:  # (a stored graph annotated again, as adding review records does, holds the one it had)
            node.props.pop("ask_first", None)
    return report, {"names": sorted(c.key for c in graph.of_label(Label.COMPONENT)), "without_files": without_files}
