"""Getting repositories into a store: ingest a checkout, and keep review records from the forge.

``ingest_into_store`` is the one way a repository gets into a store: ingest
it, apply the review records kept for it, compute the derived results the
analyses store as properties (bus factor, the trend periods), save it.

Before reading anything, it fingerprints the checkout (``ingest.freshness``:
HEAD, clean tracked files, configuration, the files Cairn reads by name,
Cairn's version) with the review records kept for it. When the stored graph
carries the same fingerprint, nothing has changed: the stored graph stands,
nothing is written (not even ``ingested_at``, which stays the time the graph
was built, so the answers kept for it stay readable) and the summary is the
stored one, with a note saying so.

Every load-modify-save of a repository holds its ``GraphStore.writer_lock``:
the ingest reads the kept review records, applies them and saves under it (the
long reading of the checkout happens before, unlocked), and ``add_reviews``
loads, applies and saves under it, so neither undoes the other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from cairn.api.services.workspace import Workspace, cache_dir_for
from cairn.graph.model import Label, RepoGraph, Rel, node_id
from cairn.graph.store import EdgeKey, GraphChanges, GraphStore, RepositorySummary, verifying_skips
from cairn.ingest.config import ConfigSource, read_config_source
from cairn.ingest.digest import digest
from cairn.ingest.freshness import CheckoutQuestions, CheckoutState, checkout_state, fingerprint_with
from cairn.ingest.summary import IngestResult, IngestSummary

if TYPE_CHECKING:
    from cairn.ingest.config import CairnConfig  # the models: imported only when a configuration is validated
    from cairn.ingest.listed_beside import ListedBeside
    from cairn.ingest.history_stream import SpooledLog
    from cairn.queries.ownership import KeptReport

#: ``progress(stage, done, total)``
StageProgress = Callable[[str, int, int], None]
#: The Repository node's properties that hold the fingerprint and the summary of the ingest that built the graph,
#: and the parse result its code graph was built from (``ingest.pipeline``).
FINGERPRINT, SUMMARY, CODE = "ingest_fingerprint", "ingest_summary", "code_fingerprint"
#: The Repository node's property naming the KNOWS edges saved: the name of the history's memory that built them
#: (``ingest.knowledge``), with the review records and thresholds applied to them after.
KNOWS = "knows_token"
#: The first stage every ingest reports: whether anything Cairn reads changed since the stored graph was built.
CHECKING = "checking for changes"


def ingest_into_store(
    store: GraphStore,
    root: Path,
    *,
    config: CairnConfig | None = None,
    config_file: Path | None = None,
    repo_name: str | None = None,
    progress: StageProgress | None = None,
    asked: CheckoutQuestions | None = None,
    graph_read: bool = True,
) -> IngestResult:
    """Ingest the checkout at ``root`` into ``store`` (see the module docstring); ``result.unchanged`` when it kept the
    stored graph. ``asked``: the check's questions already put to git (``freshness.CheckoutQuestions``) for the
    checkout, read here (the caller ends them when a step fails before). ``graph_read=False``: the caller reads
    nothing of ``result.graph`` but the summary, so what the store does not ask for may stay unmade in it
    (``RepoGraph.hold_props``)."""
    from cairn.ingest.checkout import checkout_root, default_repo_name
    from cairn.ingest.gcpause import gc_paused
    from cairn.ingest.spool import spool_history

    started = time.perf_counter()
    listed: ListedBeside | None = None
    root = checkout_root(root)
    # The configuration as written is what the check for changes needs; it is validated (the models imported) only
    # when there is something to ingest. One given as an object stands as its validated values.
    source = read_config_source(root, config_file) if config is None else ConfigSource(config.source, config.model_dump(mode="json"))
    repo = repo_name or default_repo_name(root)
    # git starts reading the history (when all of it is to be read) before the checkout is even checked for changes
    spooled = spool_history(root, cache_dir_for(store))
    try:
        if progress:
            progress(CHECKING, 0, 1)
        with gc_paused():  # what the check reads (the listing, the stored summary) lives on and is no garbage
            checkout = checkout_state(root, source, repo=repo, cache_dir=cache_dir_for(store), asked=asked)
            stored = _stored(store, repo)
            kept = None
            if checkout.fingerprint is not None and stored is not None:
                kept = _unchanged(store, stored, root, checkout, config, started)
        if progress:
            progress(CHECKING, 1, 1)
        if kept is not None:
            return kept
        # the files are listed by a child while the configuration is validated and the ingest's steps imported; the
        # modules imported live to the end and are no garbage (five collections walked them at 2k files)
        with gc_paused():
            listed = _listed_beside(root, source, config, repo, checkout.tracked) if spooled is None else None
            if config is not None:
                settings = config
            else:
                from cairn.ingest.known_settings import ingest_settings  # (validates a configuration not seen before)

                settings = ingest_settings(source, cache_dir_for(store), root, checkout.tracked_in_cache)
            return _ingest(store, root, settings, repo, checkout, progress, stored, spooled, listed, graph_read)
    finally:
        if spooled is not None:
            spooled.close()
        if listed is not None:
            listed.cancel()  # when a step failed before the listing was taken


def _listed_beside(root: Path, source: ConfigSource, config: CairnConfig | None, repo: str,
                   tracked: set[str] | None) -> ListedBeside | None:
    """The listing begun in a child (``listed_beside.ListedBeside``) with the settings ``[ingest]`` gives, as written (the
    listing is checked against the validated ones); None when they are not plain values. Not while the whole history
    is read: git and its reader have both cores then."""
    from cairn.ingest.untrusted import DEFAULT_MAX_FILE_BYTES
    from cairn.ingest.listed_beside import ListedBeside

    if config is not None:
        exclude, max_file_bytes = list(config.ingest.exclude), config.ingest.max_file_bytes
    else:
        table = source.data.get("ingest", {}) if source.data is not None else {}
        if not isinstance(table, dict):
            return None
        exclude, max_file_bytes = table.get("exclude", []), table.get("max_file_bytes", DEFAULT_MAX_FILE_BYTES)
        if not isinstance(exclude, list) or not all(type(p) is str for p in exclude) or type(max_file_bytes) is not int:
            return None
    return ListedBeside(root, exclude, max_file_bytes, repo, tracked).start()


def _ingest(store: GraphStore, root: Path, config: CairnConfig, repo: str, checkout: CheckoutState,
            progress: StageProgress | None, stored: RepositorySummary | None, spooled: SpooledLog | None,
            listed: ListedBeside | None = None, graph_read: bool = True) -> IngestResult:
    from cairn.ingest.gcpause import gc_paused

    with gc_paused():  # hundreds of thousands of objects that live to the end, no cycles (see ingest.gcpause)
        return _ingest_paused(store, root, config, repo, checkout, progress, stored, spooled, listed, graph_read)


def _ingest_paused(store: GraphStore, root: Path, config: CairnConfig, repo: str, checkout: CheckoutState,
                   progress: StageProgress | None, stored: RepositorySummary | None,
                   spooled: SpooledLog | None, listed: ListedBeside | None, graph_read: bool = True) -> IngestResult:
    from cairn.api.services.answers import AnswersBeside, bus_factor_known, kept_base
    from cairn.api.services.beside import Beside
    from cairn.api.services.changes_over_time import FactorsBeside, annotate_trends, release_trend_inputs
    from cairn.ingest.freed_memory import give_back
    from cairn.ingest.gcpause import abandon
    from cairn.ingest.knowledge import authorship_of
    from cairn.ingest.pipeline import ingest_repository
    from cairn.ingest.reviews import add_review_records
    from cairn.queries.ownership import annotate_bus_factor

    beside: list[FactorsBeside] = []  # the trends' truck factors, computed in a child from the history on
    state_saves: list[Callable[[], str | None]] = []  # the history state's save: its note (None: saved), once known

    def save_state(save: Callable[[], str | None]) -> None:
        # While the trends' child still replays, this process would later only wait for it (annotate_trends): the
        # state is written here and now, rather than by a second child that would slow the first one down (at 50k
        # files that made the wait 7 s longer). Otherwise a child writes it while the bus factor is worked out.
        if beside and beside[0].computing():
            note = save()
            state_saves.append(lambda: note)
        else:
            state_saves.append(Beside(save).start().result)

    try:
        result = ingest_repository(root, config, repo_name=repo, cache_dir=cache_dir_for(store), progress=progress,
                                   checkout=checkout, base_code=stored.props.get(CODE) if stored is not None else None,
                                   replay_beside=lambda replay: beside.append(FactorsBeside(replay)), spooled=spooled,
                                   save_beside=save_state, listed=listed,
                                   # only the save reads File nodes whole (the answers read named properties)
                                   hold_days=store.makes_held_props)
        give_back()  # what the history state held (saved by now): the bus factor and the trends allocate next
        with store.writer_lock(result.graph.repo):
            reviews = store.load_reviews(result.graph.repo)
            # who authors each file, as the history's KNOWS edges say (review records change them: read again then)
            authorship = authorship_of(result.graph, wanted=not reviews)
            if reviews:
                result.summary.notes.extend(add_review_records(result.graph, reviews))
            bus_factor = annotate_bus_factor(result.graph, authorship, _kept_bus_factor(store, result, reviews))
            authorship = None
            annotate_trends(result.graph, result.trends, beside[0] if beside else None)
            result.summary.notes.extend(_notes_of(state_saves))
            release_trend_inputs(result.trends)  # the history they (and the state's save) held: freed for the save to reuse
            beside.clear()
            give_back()  # (and returned: the answers' child, forked below, would count it as its own)
            repository = result.graph.repository
            if repository is not None:
                repository.props[FINGERPRINT] = fingerprint_with(checkout.fingerprint, reviews)
                repository.props[SUMMARY] = result.summary.kept()
                repository.props[KNOWS] = _knows_name(repository.props.get(KNOWS), reviews, repository.props.get("thresholds"))
            if progress:
                progress("saving", 0, 1)
            changes = _changes(store, result, reviews)
            base = kept_base(store, result.graph, changes, result.knows_delta.files if result.knows_delta else None)
            # the answers read the graph alone: on a large one, a child computes them while this process saves it
            answers = AnswersBeside(store, result.graph, bus_factor_known(bus_factor), base)
            try:
                store.save_changes(changes, progress=(lambda d, t: progress("saving", d, t)) if progress else None)
                answers.keep()
            finally:
                answers.cancel()  # when the save failed
    finally:
        for started in beside:
            started.cancel()  # when a step failed before annotate_trends took the result
        _notes_of(state_saves)  # the state is written even when a later step fails, as it was before it
    if graph_read:
        result.graph.make_props()  # (what the save left unmade: the caller may read any node whole)
    abandon(result.graph, result.trends, bus_factor)  # the caller reads the summary: see ingest.gcpause
    return result


def _notes_of(saves: list[Callable[[], str | None]]) -> list[str]:
    """Wait for each save (once: it is taken off the list) and give the notes of those that could not write."""
    notes = []
    while saves:
        if note := saves.pop(0)():
            notes.append(note)
    return notes


def _changes(store: GraphStore, result: IngestResult, reviews: list[dict[str, Any]]) -> GraphChanges:
    """The new graph as changes to the stored one: only the IMPORTS edges the ingest found different, and the KNOWS
    edges of the files whose history changed, are written, when the stored graph is still the one they were found
    against (checked under the writer lock); the other types are compared whole."""
    patches = _patches(store, result, reviews)
    # the graph holds every KNOWS edge (those of unchanged files as the memory kept them); both types are patched
    # after a commit, which drops their chunk lists: none is made for them
    nodes_changed = _nodes_changed(result, patches.now, patches.patched)
    return GraphChanges(result.graph, frozenset(patches.patched), frozenset(patches.changed), frozenset(patches.deleted),
                        complete=frozenset(patches.patched & {Rel.KNOWS}), patched_next=frozenset({Rel.KNOWS, Rel.IMPORTS}),
                        nodes_changed=nodes_changed, nodes_added_named=nodes_changed is not None,
                        edges_changed=_code_edges_changed(result, patches.imports) if nodes_changed is not None else {})


@dataclass
class _Patches:
    """What of the IMPORTS and KNOWS edges a save of the new graph writes (``_patches``)."""

    patched: set[Rel]  # the types patched rather than compared whole
    changed: set[EdgeKey]
    deleted: set[EdgeKey]
    imports: set[EdgeKey] | None  # the IMPORTS edges that differ from the stored ones, when known
    now: RepositorySummary | None  # the stored repository they were found against


def _patches(store: GraphStore, result: IngestResult, reviews: list[dict[str, Any]]) -> _Patches:
    """The IMPORTS edges the ingest found different and the KNOWS edges of the files whose history changed, for the
    types whose stored edges are still the ones they were found against (checked under the writer lock)."""
    patched: set[Rel] = set()
    changed: set[EdgeKey] = set()
    deleted: set[EdgeKey] = set()
    imports: set[EdgeKey] | None = None  # the IMPORTS edges that differ from the stored ones, when known
    now = _stored(store, result.repo) if result.import_changes is not None or result.knows_delta is not None else None
    if now is not None and result.import_changes is not None:
        base, imports_changed, imports_deleted = result.import_changes
        if now.props.get(CODE) == base:
            patched.add(Rel.IMPORTS)
            changed |= imports_changed
            deleted |= imports_deleted
            imports = imports_changed | imports_deleted
    delta = result.knows_delta
    graph = result.graph
    if now is not None and delta is not None and now.props.get(KNOWS) is not None and now.props.get(KNOWS) == _knows_name(
            delta.base, reviews, graph.repository.props.get("thresholds") if graph.repository else None):
        # review records (the same as the last ingest's, or KNOWS would not be patched) may have added edges into
        # those files after the history built theirs: looked up in the graph then
        written = _knows_edges_of(graph, delta.files, None if reviews else delta.after)
        patched.add(Rel.KNOWS)
        changed |= written
        deleted |= delta.before - written
    return _Patches(patched, changed, deleted, imports, now)


def _kept_bus_factor(store: GraphStore, result: IngestResult, reviews: list[dict[str, Any]]) -> KeptReport | None:
    """The bus-factor report kept for the stored graph and the files of the new graph that may differ from that graph's
    (``ownership.KeptReport``): the File nodes the save will compare or write (``_nodes_changed``: those
    whose code or history changed; every other File node and its KNOWS edges are the stored ones, as the save trusts),
    with those files as stored (``ownership.stored_authorship``) when the store reads them without the whole graph.
    None when the save compares every node, or nothing is kept, or it was computed on another graph than the one stored."""
    from cairn.api.services import answer_people
    from cairn.api.services.answer_base import BASIS, describes
    from cairn.api.services.answers import BUS_FACTOR, stored_name
    from cairn.queries.ownership import KeptReport, stored_authorship

    patches = _patches(store, result, reviews)
    nodes = _nodes_changed(result, patches.now, patches.patched, others=False)
    if nodes is None:
        return None
    repo = result.graph.repo
    basis, report, people = stored_name(BASIS), stored_name(BUS_FACTOR), stored_name(answer_people.DIRECTORY)
    found = store.load_answers(repo, [basis, report, people])  # one read: all of one version
    if report not in found or not describes(found.get(basis), store, repo):
        return None
    try:
        kept = answer_people.attach(BUS_FACTOR, found[report], found.get(people))
    except answer_people.Unjoinable:
        return None
    prefix = node_id(Label.FILE, repo, "")
    files = [nid for nid in nodes if nid.startswith(prefix)]
    # the changed files as stored, for the repository's entry; read only where a store reads them alone
    stored = stored_authorship(store.load_around(repo, files, [Rel.KNOWS])) if store.reads_around else None
    return KeptReport(kept, frozenset(nid[len(prefix):] for nid in files), stored)


def _knows_edges_of(graph: RepoGraph, files: frozenset[str], built: frozenset[EdgeKey] | None = None) -> set[EdgeKey]:
    """The keys of the KNOWS edges into ``files`` (File node ids): ``built`` when given (the keys of those the history
    built for them, ``KnowsDelta.after``: nothing else added any). Else, as a KNOWS edge is Person -> File
    (``graph.model``), after a commit (a few files, a graph of a million edges) they are looked up as each person's
    key to each file; when that is more keys than the graph has edges, every edge is looked at.
    ``CAIRN_VERIFY_SKIPS=1`` checks either against the scan."""

    knows = Rel.KNOWS.value

    def scanned() -> set[EdgeKey]:
        return {key for key in graph.edges_apart() if key[0] == knows and key[2] in files}

    if built is not None:
        if verifying_skips() and (missed := scanned() ^ built):
            raise AssertionError(f"KNOWS edges of the changed files: {len(missed)} not among those the history built")
        return set(built)
    edges = graph.edges  # (the KNOWS edges made, when they were not yet: ``graph.lazy_knows``)
    people = [node.id for node in graph.of_label(Label.PERSON)] if files else []
    if len(people) * len(files) > len(edges):
        return scanned()
    written = {key for key in ((knows, person, file) for file in files for person in people) if key in edges}
    if verifying_skips() and (missed := scanned() ^ written):
        raise AssertionError(f"KNOWS edges of the changed files: {len(missed)} not found by person")
    return written


def _nodes_changed(result: IngestResult, now: RepositorySummary | None, patched: set[Rel], *,
                   others: bool = True) -> frozenset[str] | None:
    """The nodes that may differ from the stored ones, when the stored graph is the one both the code and the history
    were compared with (IMPORTS and KNOWS patched: same build, parse result, history memory, review records) and its
    File and Module nodes were made from the same inputs besides (``code_graph.file_inputs``: configuration,
    components, languages, ``.gitattributes``): the File and Module nodes whose code differs, the Files whose history
    the new commits changed, and every node of another label, but for the Period nodes the trends say are the last
    ingest's (``TrendInputs.periods_changed``, as ``annotate_trends`` found it; the stored graph was made from the same
    history memory). Else None (every node is compared). Every node added is among them
    (``GraphChanges.nodes_added_named``): a File or Module added is a code node that differs
    (``code_graph.code_nodes_changed`` names the paths of one parse only, and every path without a line count), a
    Period added is a period the new commits landed in or the current one. ``others=False``: the code nodes alone."""
    from cairn.ingest.code_graph import FILE_INPUTS  # imported by the ingest already

    graph, delta = result.graph, result.knows_delta
    if (now is None or delta is None or result.code_nodes is None or not {Rel.IMPORTS, Rel.KNOWS} <= patched
            or graph.repository is None or now.props.get(FILE_INPUTS) is None
            or now.props.get(FILE_INPUTS) != graph.repository.props.get(FILE_INPUTS)):
        return None
    if not others:
        return result.code_nodes | delta.files
    code = (Label.FILE, Label.MODULE)
    period, periods = Label.PERIOD, result.trends.periods_changed if result.trends is not None else None
    return result.code_nodes | delta.files | {
        key for key, node in graph.nodes.items()
        if node.label not in code and (periods is None or node.label is not period or node.key in periods)}


def _code_edges_changed(result: IngestResult, imports: set[EdgeKey] | None) -> dict[Rel, frozenset[EdgeKey]]:
    """The PART_OF and DEPENDS_ON edges that may differ from the stored ones, when the stored graph's File and Module
    nodes were made from the same inputs (``_nodes_changed`` knows which may differ: ``result.code_nodes``) and
    ``imports`` are the IMPORTS edges that differ from its own.

    A File's component is its path's (the same component definitions), so its PART_OF edge differs only when it is
    added or goes (the store sees the edges of a node that goes). A Module's is its entry's: for one whose entry
    differs every PART_OF edge it may have is named. DEPENDS_ON counts the IMPORTS edges between the modules of two
    components by kind (``code_graph.build_code_graph``): when no module of the new graph changed its entry (so none
    came or changed its component) and no import that differs is at a module gone, only the pairs of components an
    import that differs joins (before or after: its ends are the same) count otherwise; else DEPENDS_ON is compared
    whole.
    """
    graph, code = result.graph, result.code_nodes
    assert code is not None
    nodes, prefix = graph.nodes, node_id(Label.COMPONENT, graph.repo, "")
    part_of: set[EdgeKey] = set()
    components: list[str] | None = None
    for node_key in code:
        node = nodes.get(node_key)
        if node is None:
            continue
        if node.label is Label.MODULE:
            if components is None:
                components = [component.id for component in graph.of_label(Label.COMPONENT)]
            part_of.update(("PART_OF", node_key, component) for component in components)
        elif component := node.props.get("component"):
            part_of.add(("PART_OF", node_key, prefix + component))
    named = {Rel.PART_OF: frozenset(part_of)}
    if components is not None or imports is None:
        return named
    module_prefix = node_id(Label.MODULE, graph.repo, "")
    depends_on: set[EdgeKey] = set()
    for _, source, target in imports:
        importer, imported = nodes.get(source), nodes.get(target)
        if importer is None or (imported is None and target.startswith(module_prefix)):
            return named  # an import at a module gone: compared whole
        if imported is None or imported.label is not Label.MODULE:
            continue
        a, b = importer.props.get("component"), imported.props.get("component")
        if a and b and a != b:
            depends_on.add(("DEPENDS_ON", prefix + a, prefix + b))
    named[Rel.DEPENDS_ON] = frozenset(depends_on)
    return named


def _knows_name(memory_token: Any, reviews: list[dict[str, Any]], thresholds: Any) -> str | None:
    """What names the KNOWS edges saved: the memory that built them, and what was applied to them after it."""
    if not isinstance(memory_token, str):
        return None
    return digest({"memory": memory_token, "reviews": reviews, "thresholds": thresholds})


def _stored(store: GraphStore, repo: str) -> RepositorySummary | None:
    return next((r for r in store.repositories() if r.repo == repo), None)


def _unchanged(store: GraphStore, stored: RepositorySummary, root: Path, checkout: CheckoutState, config: CairnConfig | None,
               started: float) -> IngestResult | None:
    """The result of an ingest that keeps the stored graph, when it carries this checkout's fingerprint; else None."""
    repo = stored.repo
    if not stored.props.get(FINGERPRINT) or not isinstance(stored.props.get(SUMMARY), dict):
        return None
    if stored.props[FINGERPRINT] != fingerprint_with(checkout.fingerprint, store.load_reviews(repo)):
        return None
    summary = IngestSummary.from_kept(repo, str(root), checkout.head, stored.props[SUMMARY])
    uncommitted = ", with the same changes not committed yet" if checkout.matches_head is False else ""
    summary.notes.insert(0, f"up to date: nothing Cairn reads changed since the ingest of {stored.props.get('ingested_at')} "
                            f"(HEAD {str(checkout.head)[:12]}{uncommitted}); the stored graph stands, nothing was written")
    summary.seconds = round(time.perf_counter() - started, 3)
    return IngestResult(None, summary, config, load=lambda: store.load(repo), unchanged=True)


def ingest(ws: Workspace, root: Path, *, config_file: Path | None = None, repo_name: str | None = None,
           progress: StageProgress | None = None, asked: CheckoutQuestions | None = None,
           graph_read: bool = True) -> IngestResult:
    result = ingest_into_store(ws.store, root, config_file=config_file, repo_name=repo_name, progress=progress, asked=asked,
                               graph_read=graph_read)
    if not result.unchanged:
        ws.forget(result.repo)
    return result


def add_reviews(ws: Workspace, repo: str | None, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Keep new review records for ``repo`` and apply them to its stored graph at once.

    Records already kept (same reviewer, pull request, files and time) are not
    counted twice, so a forge may resend them.
    """
    from cairn.api.services.answers import bus_factor_known, store_answers
    from cairn.ingest.reviews import add_review_records, record_key
    from cairn.queries.ownership import annotate_bus_factor

    name = ws.repository(repo).repo
    store = ws.store
    notes: list[str] = []
    with store.writer_lock(name):
        kept = store.load_reviews(name)
        known = {record_key(r) for r in kept}
        new = [r for r in records if record_key(r) not in known and not known.add(record_key(r))]
        if new:
            graph = store.load(name)
            notes = add_review_records(graph, new)
            bus_factor = annotate_bus_factor(graph)
            store.save_reviews(name, kept + new)
            store.save(graph)
            store_answers(store, graph, bus_factor_known(bus_factor))
            ws.forget(name)
    return {"repository": name, "accepted": len(new), "duplicates": len(records) - len(new), "total": len(kept) + len(new), "notes": notes}
