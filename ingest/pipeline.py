"""One ingest run: a checkout in, one ``RepoGraph`` out.

The steps, in order: list and classify files; extract code dependencies;
assign components (declared, or the layout's refined by CODEOWNERS'
directories) and count each file's lines, and mark the files the truck factor counts (Linguist's rule);
mine history for knowledge and, from the same pass, change coupling, change counts, the agent
inventory and the inputs of trends (``ingest.cochange``, ``ingest.trend_history``); attach CODEOWNERS; read decisions and rules;
read the repository's instructions to coding agents (as data).
Each step adds to the same graph (see ``graph.model`` for the vocabulary). Derived results (bus factor) are computed by ``queries`` over
this graph afterwards; storing it is the caller's business. Given the ``code_fingerprint`` of the stored
graph the new one replaces, the ingest also says which IMPORTS edges differ from it (``IngestResult.import_changes``),
so that the caller saves those instead of every import; the parse cache keeps that earlier extraction. Likewise
the KNOWS edges of the files whose history the new commits changed (``IngestResult.knows_delta``), and the
File and Module nodes whose code or change counts may differ from the stored graph's (``IngestResult.code_nodes``).

A step that cannot run (no git history, no ADRs) is noted in the summary and
the rest still runs; bad input inside the repository (a syntax error, a
binary file, a malformed ADR) is counted or reported, never fatal.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit, urlunsplit

from cairn.graph.changes import TrendInputs
from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.graph.templates import is_template
from cairn.ingest.adrs import add_decisions, nested_adr_folders, read_decisions
from cairn.ingest.adrs.added_dates import added_dates
from cairn.ingest.adrs.parse_cache import CACHE_FILE as DECISION_CACHE_FILE, DecisionCache
from cairn.ingest.agent_instructions import add_agent_instructions, find_instruction_files, read_instructions
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.code.cache import CACHE_FILES, tracked_cache_files
from cairn.ingest.code.extract import ParseCache, SourceFile, extract_code
from cairn.ingest.code.result import CodeResult
from cairn.ingest import code_graph
from cairn.ingest.checkout import checkout_root, default_repo_name, git_output
from cairn.ingest.cochange import ChangeResult, add_changes, first_count
from cairn.ingest.code_graph import FILE_INPUTS, build_code_graph
from cairn.ingest.codeowners import CodeOwners, add_ownership, organisations
from cairn.ingest.components import build_units, declared_components
from cairn.ingest.config import load_config
from cairn.ingest.files import CODE_LANGUAGES, Listing, count_lines, git_toplevel, list_files
from cairn.ingest.build import cairn_build
from cairn.ingest.freshness import CheckoutState
from cairn.ingest.gcpause import gc_paused
from cairn.ingest.history import mine_history
from cairn.ingest.history_state import StateFile, Unsaved, unsaved_commits
from cairn.ingest.history_stream import SpooledLog
from cairn.ingest.knowledge import History, KnowsDelta, add_knowledge
from cairn.ingest.first_party import first_party_folders
from cairn.ingest.linguist import mark_truck_factor_scope
from cairn.ingest.listed_beside import ListedBeside
from cairn.ingest.owned_components import component_parents, layout_components
from cairn.ingest.package_names import entry_points, package_names
from cairn.ingest.prow_owners import read_declared_owners
from cairn.ingest.rules import add_rules, collect_rules
from cairn.ingest.summary import IngestResult, IngestSummary
from cairn.ingest.trend_history import TrendReplay, early_replay, trend_inputs
from cairn.ingest.untrusted import RefusedFile, read_checkout_file
from cairn.ingest.worktree import configured_filters, worktree_matches_head

if TYPE_CHECKING:
    from cairn.ingest.config import CairnConfig

#: ``progress(stage, done, total)``
StageProgress = Callable[[str, int, int], None]

#: From how many commits on the state of a history read whole is handed to ``save_beside`` (else: written in process)
STATE_BESIDE_COMMITS = 50_000


def public_remote(url: str | None) -> str | None:
    """A remote URL without the credentials it may carry (``https://user:token@host/…`` → ``https://host/…``).

    scp-like addresses (``git@github.com:o/r.git``) name an ssh login, not a
    secret, and are kept. The query and fragment of a URL (where some CI
    systems put tokens) are dropped as well.
    """
    if not url:
        return url
    if "://" not in url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def ingest_repository(
    root: Path,
    config: CairnConfig | None = None,
    *,
    repo_name: str | None = None,
    cache_dir: Path | None = None,
    progress: StageProgress | None = None,
    config_file: Path | None = None,
    checkout: CheckoutState | None = None,
    base_code: str | None = None,
    replay_beside: Callable[[TrendReplay], None] | None = None,
    spooled: SpooledLog | None = None,
    save_beside: Callable[[Callable[[], str | None]], None] | None = None,
    listed: ListedBeside | None = None,
    hold_days: bool = False,
) -> IngestResult:
    """Ingest the checkout at ``root`` into a new ``RepoGraph``.

    ``checkout`` is what ``freshness.checkout_state`` found just before, if the
    caller looked: its HEAD, branch, remote and whether the files match HEAD
    are used instead of asking git again. ``base_code`` is the
    ``code_fingerprint`` of the stored graph the new one will replace (this
    Cairn's build and the parse cache's key of the extraction): when this build
    made it and the parse cache still holds that extraction, the IMPORTS edges
    that differ from it are worked out (``IngestResult.import_changes``), so
    the save can write those instead of comparing every import of the repository.
    ``replay_beside`` is handed the trends' knowledge replay as soon as the history is read
    (``trend_history.early_replay``), for the caller to compute from it beside the next steps.
    ``spooled`` is the log of HEAD already under way (``spool.spool_history``), used if the whole history is read;
    the caller closes it. ``save_beside`` is handed the save of the history state (which gives a note when it
    fails) instead of running it, for the caller to run at once or beside the next steps, and to add its note to
    the summary. ``listed``: the files' listing begun beside (``listed_beside.ListedBeside``), taken when begun with this
    configuration's settings. ``hold_days``: the File nodes' ``change_days`` are held unmade until a reader of whole
    nodes asks (``RepoGraph.make_props``; ``cochange.add_change_counts``): for a caller that hands the graph to a
    store that asks for them (``GraphStore.makes_held_props``) and reads them nowhere else.
    """
    started = time.perf_counter()
    root = checkout_root(root)
    config = config if config is not None else load_config(root, config_file)
    repo = repo_name or default_repo_name(root)
    graph = RepoGraph(repo)
    notify = progress or (lambda stage, done, total: None)

    notify("listing files", 0, 1)
    if listed is not None:
        # while the child lists: the parse cache opened and the stored extraction recalled (0.4 s at 50k files)
        opened = _opened_cache(root, cache_dir, base_code, _at_top(root, checkout), checkout)
        if listed.computing():  # still listing: the parsed files (read first by the extraction) loaded meanwhile
            with gc_paused():  # (as in the extraction: many small objects, kept, without cycles)
                opened[2].load()
        listing = listed.listing(root, config.ingest.exclude, config.ingest.max_file_bytes)
    else:
        listing = list_files(root, exclude=config.ingest.exclude, max_file_bytes=config.ingest.max_file_bytes,
                             tracked=checkout.tracked if checkout is not None else None)
    if checkout is not None:
        checkout.tracked = None  # (taken by the listing: 50k paths not held to the end)
    notify("listing files", 1, 1)
    known = checkout if checkout is not None and checkout.head is not None and listing.is_git else None
    if known is not None:
        head, branch, remote, matches = known.head, known.branch, known.remote, known.matches_head
    else:
        head = git_output(root, "rev-parse", "--verify", "--quiet", "HEAD") if listing.is_git else None
        branch = git_output(root, "rev-parse", "--abbrev-ref", "HEAD") if head else None
        remote = git_output(root, "config", "--get", "remote.origin.url") if listing.is_git else None
        # Whether the tracked files differ from HEAD: a clean ingest of a commit can stand in for that
        # commit's code graph in a PR check. Unknown (None) counts as dirty there.
        matches = worktree_matches_head(root, configured_filters(root)) if head else None
    dirty = None if matches is None else not matches
    summary = IngestSummary(repo=repo, path=str(root), head=head)
    summary.notes.extend(listing.notes)
    if not listing.is_git:
        summary.warnings.append(f"{root} is not the top of a git repository: code is ingested, but ownership and bus factor need git history")
    elif head is None:
        summary.warnings.append("the repository has no commits yet: ownership and bus factor need history")
    elif not listing.all_paths and git_output(root, "ls-tree", "--name-only", "HEAD"):
        # An index that lists nothing while HEAD has files: a deleted or emptied .git/index (a checkout that
        # failed half-way, say). Ingesting it as an empty repository would look like a valid answer.
        summary.warnings.append("git's index lists no file although HEAD has files: the checkout's index is empty or "
                                "damaged, so no code was read (`git reset` restores it from HEAD)")

    repo_node = graph.add_node(
        Label.REPOSITORY, repo, path=str(root), head=head, dirty=dirty,
        branch=branch, remote=public_remote(remote),
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        thresholds=config.thresholds.model_dump(), departed=list(config.identities.departed),
        config_source=config.source, baseline=config.baseline, ingest_settings=config.ingest.model_dump(),
        identity_patterns=config.identities.model_dump(),
    )

    # -- code ------------------------------------------------------------------
    code_files = [SourceFile(f.path, f.size, f.mtime_ns) for f in listing.kept if f.language in CODE_LANGUAGES]
    if listed is None or opened[0] != listing.is_git:
        opened = _opened_cache(root, cache_dir, base_code, listing.is_git, checkout)
    _, tracked_cache, cache, previous, decisions_tracked = opened
    del opened
    if tracked_cache:
        summary.notes.append(f"the parse cache ({', '.join(tracked_cache)}) is part of the repository: not trusted, not used")
    build = cairn_build()
    with gc_paused():  # many small objects that live to the end and form no cycles (ingest.gcpause)
        code = extract_code(
            code_files, lambda p: (root / p).read_bytes(), all_paths=listing.all_paths, read_text=listing.read_text,
            cache=cache, progress=lambda d, t: notify("parsing code", d, t),
        )
    del code_files  # (50k SourceFile tuples, about 5.5 MiB: not held through the history's steps, where the peak is)
    repo_node.props["code_fingerprint"] = f"{build}:{code.fingerprint}" if code.fingerprint else None
    # written by a thread while the code graph is built (the GIL is free while the file is written)
    cache_written = _written_by_thread(partial(_save_cache, cache), summary)
    summary.notes.extend(cache.notes)  # (the save adds none)
    del cache  # every parsed file of the repository: 100 MB at 50k files, let go once it is written
    summary.notes.extend(code.notes)
    summary.notes.extend(listing.refused.values())
    if code.skipped_content:  # binary or generated content the driver found in code files
        listing.kept = [f for f in listing.kept if f.path not in code.skipped_content]
        for path, reason in code.skipped_content.items():
            listing.skip(path, reason)

    source_paths = sorted(f.path for f in listing.kept if f.language is not None)
    with gc_paused():  # made while the child works out the components (they need none), instead of waiting (0.13 s at 50k files)
        imports = code_graph.import_edges(repo, code)
    codeowners = read_declared_owners(root, listing.all_paths)
    derived = listed.derived() if listed is not None else None  # worked out beside while the code was read
    units = build_units(listing.all_paths)
    entries = entry_points(root, listing.all_paths) if not config.components else frozenset()
    if config.components:
        defs = declared_components(config.components)
    elif derived is None or (defs := derived.defs(source_paths, repo, codeowners, units, entries)) is None:
        # the layout's components (with its build units and entry points), refined by the directories CODEOWNERS names
        defs = layout_components(source_paths, repo, codeowners, units, entries)
    with gc_paused():
        # after a commit (the extraction compared with is known: the save writes the IMPORTS edges that differ) they
        # are held unmade until read (``graph.lazy_imports``)
        compared = previous is not None and bool(code.fingerprint)
        build_code_graph(graph, code, source_paths, defs, {f.path: f.language for f in listing.kept}, imports,
                         defer=compared)
        del imports
        import_changes = code_nodes = None
        if compared:
            import_changes = (str(base_code), *code_graph.import_changes(repo, previous, code))
            code_nodes = frozenset(code_graph.code_nodes_changed(repo, previous, code, source_paths))
        previous = None
    repo_node.props[FILE_INPUTS] = code_graph.file_inputs(build, config, defs, listing.attributes)
    for name, parent in component_parents(defs).items():
        graph.node(Label.COMPONENT, name).props["parent"] = parent
    for name, package in package_names(root, ((d.name, d.paths) for d in defs), units, listing.all_paths).items():
        graph.node(Label.COMPONENT, name).props["package"] = package
    left_out = mark_truck_factor_scope(graph, listing.attributes, derived.scope if derived is not None else None,
                                       partial(first_party_folders, listing.all_paths, units))
    del derived  # (each source file's scope, worked out beside: not held through the history's steps)
    if left_out:
        summary.notes.append("files the truck factor does not count (Linguist's kinds, and test data): "
                             + ", ".join(f"{n} {why}" for why, n in sorted(left_out.items())))
    _add_line_counts(graph, root, source_paths, code.lines, config.ingest.max_file_bytes)
    summary.parsed, summary.cached = code.parsed, code.cached
    syntax_errors = _reported_syntax_errors(graph, code.syntax_errors)
    summary.syntax_errors = len(syntax_errors)
    if syntax_errors:
        worst = sorted(syntax_errors, key=syntax_errors.get, reverse=True)[:3]
        more = f" and {len(syntax_errors) - len(worst)} more" if len(syntax_errors) > len(worst) else ""
        # (the parser's grammar, not only the file, may be at fault: tree-sitter-typescript 0.23 fails on redux-toolkit's
        # overloaded generic call signatures, tree-sitter-kotlin on guards in ``when``, code their compilers take)
        summary.notes.append(f"{len(syntax_errors)} file(s) the parser could not read whole (syntax errors, or syntax "
                             f"newer than its grammar), their imports still used: {', '.join(worst)}{more}")
    del code  # the graph holds what is needed of it; history is next, and large
    # what is left to read of the listing, taken now: its files (50k tuples and a set of their paths) are not held
    # through the history's steps, where a cold ingest's peak is
    files_by_language = dict(sorted(Counter(f.language for f in listing.kept if f.language).items()))
    documents = [f.path for f in listing.kept if f.language is None]
    instruction_files, decision_folders = find_instruction_files(documents), nested_adr_folders(documents)
    del documents
    listing.kept, listing.all_paths = [], frozenset()

    # -- history, ownership, decisions ---------------------------------------------
    try:
        trends, knows_delta, counted = _add_history(graph, root, config, listing, head, summary, notify, defs,
                                           None if tracked_cache else cache_dir, replay_beside, spooled, save_beside,
                                           checkout.tracked_in_cache if checkout is not None else None, cache_written,
                                           hold_days and compared,  # (a save without a graph to compare reads all)
                                           organisations=organisations(codeowners))
    finally:
        cache_written()  # (at once when the history's steps waited for it already)
    _add_codeowners(graph, codeowners, summary)
    _add_decisions(graph, root, config, summary, None if tracked_cache else cache_dir, build, decisions_tracked,
                   decision_folders)
    _add_agent_instructions(graph, root, instruction_files, summary)

    summary.files_by_language = files_by_language
    summary.skipped = dict(sorted(listing.skipped.items()))
    counts = graph.counts()
    summary.modules = counts.get(Label.MODULE.value, 0)
    stdlib = sum(1 for x in graph.of_label(Label.EXTERNAL) if x.get("stdlib"))
    summary.external_packages = counts.get(Label.EXTERNAL.value, 0) - stdlib
    summary.standard_library = stdlib
    summary.edges = counts.get(Rel.IMPORTS.value, 0)
    summary.components = counts.get(Label.COMPONENT.value, 0)
    summary.people = counts.get(Label.PERSON.value, 0)
    summary.decisions = counts.get(Label.DECISION.value, 0)
    summary.rules = counts.get(Label.RULE.value, 0)
    summary.seconds = round(time.perf_counter() - started, 3)
    repo_node.props.update(languages=summary.files_by_language, skipped=summary.skipped, ingest_notes=summary.notes + summary.warnings)
    return IngestResult(graph, summary, config, trends, import_changes=import_changes, knows_delta=knows_delta,
                        code_nodes=None if code_nodes is None or counted is None else code_nodes | counted)


def _reported_syntax_errors(graph: RepoGraph, syntax_errors: dict[str, int]) -> dict[str, int]:
    """The files of ``syntax_errors`` (path -> errors) the summary reports: not a scaffolding template, whose
    placeholders (``{{ plugin_name }}``) are no syntax errors of the code (``graph.templates``), nor test data
    (``ingest.linguist``), an input a suite reads and often broken on purpose (eslint's
    ``tests/fixtures/cli/syntax-error.js``, 8 of them): no finding, so not said at all."""
    nodes, prefix = graph.nodes, node_id(Label.FILE, graph.repo, "")
    reported = {}
    for path, n in syntax_errors.items():
        node = nodes.get(prefix + path)
        if not is_template(path) and (node is None or node.get("linguist_reason") != "test data"):
            reported[path] = n
    return reported


def _add_line_counts(graph: RepoGraph, root: Path, paths: list[str], counted: dict[str, int], limit: int) -> None:
    """``lines`` on each File node: the area of the file in the knowledge map.

    Code files were counted when they were parsed (``counted``; the parse cache keeps the count, so a warm
    ingest opens none of them). Other source files, already opened by the listing, are read like every
    repository file (``read_checkout_file``): one that is not a regular file inside the checkout, or has grown
    past ``limit`` since it was listed, keeps no count.
    """
    nodes, prefix = graph.nodes, node_id(Label.FILE, graph.repo, "")
    for path in paths:
        node = nodes.get(prefix + path)
        if node is None:
            continue
        lines = counted.get(path)
        if lines is None:
            try:
                data = read_checkout_file(root, path, limit=limit)
            except RefusedFile:
                continue
            lines = None if data is None else count_lines(data)
        if lines is not None:
            node.props["lines"] = lines


def _add_history(graph: RepoGraph, root: Path, config: CairnConfig, listing: Listing, head: str | None,
                 summary: IngestSummary, notify: StageProgress, defs: list,
                 cache_dir: Path | None, replay_beside: Callable[[TrendReplay], None] | None,
                 spooled: SpooledLog | None,
                 save_beside: Callable[[Callable[[], str | None]], None] | None,
                 tracked_in_cache: list[str] | None, before_forks: Callable[[], None], hold_days: bool = False,
                 organisations: frozenset[str] | None = None,
                 ) -> tuple[TrendInputs | None, KnowsDelta | None, frozenset[str] | None]:
    """History, ownership, change coupling and trends on ``graph``. ``before_forks`` waits for the thread that saves
    the parse cache: called once the history is read, before the first step that may fork (no thread may run then);
    reading it forks nothing (it starts git, and threads of its own), so the save runs beside it."""
    if not listing.is_git or head is None:
        return None, None, None
    # the history remembered (ingest.history_state); whether git tracks its files, from the check's listing when it made one
    memory = StateFile(cache_dir, root, tracked_in_cache) if cache_dir is not None else None
    with gc_paused():  # allocation-heavy, cycle-free: see ingest.gcpause
        history = mine_history(root, config.identities, progress=lambda d, t: notify("reading history", d, t),
                               people=config.people, max_coauthors=config.thresholds.max_coauthors,
                               max_commit_files=config.thresholds.max_commit_files,
                               markers=MarkerMatcher.build(config.agents.markers), memory=memory, spooled=spooled,
                               organisations=organisations)
        before_forks()  # the replay beside and the first count fork
        early = early_replay(history, config, defs, cache_dir, tracked_in_cache) if replay_beside is not None else None
        if early is not None and early.snapshots is not None:
            replay_beside(early)  # the replay needs the history alone: it can run beside what follows
        first = first_count(graph, history, config.coupling)  # a cold ingest's pairs: counted beside the knowledge
        state = history.state
        # whether every analysis only added the commits read since the state file to what it remembers (with the
        # state's ``rereads``: then the file need not be written, see ingest.history_state)
        appended = state is not None and state.rereads is not None
        try:
            built = knows_delta = add_knowledge(graph, history)
            appended = appended and built is not None
            # the KNOWS edges stored by the ingests since the state file was written, when they did not write it
            unsaved = memory.load_unsaved() if memory is not None and state is not None else None
            if unsaved is not None:
                knows_delta = unsaved.rebase(built, history.remembered)
            summary.commits = int(graph.repository.get("commits") or 0)
            summary.notes.extend(graph.repository.get("history_notes") or [])
            summary.warnings.extend(history.warnings)
            notify("change coupling and trends", 0, 1)
            changes = add_changes(graph, history, config.coupling, config.agents, first, hold_days)
        finally:
            if first is not None:
                first.cancel()  # (nothing left to stop once add_changes took its pairs)
        first = None  # its entries (a pair of 4-byte ids per change, 14 MB at 300,000 commits): not read from here on
        counted = _files_counted_again(history, changes)
        trends = trend_inputs(graph, history, changes, config=config, defs=defs, cache_dir=cache_dir, early=early,
                              tracked_in_cache=tracked_in_cache)
        appended = appended and state is not None and not state.recounted  # (the change counts and the trends' activity added to, not made anew)
        if (memory is not None and state is not None and appended and state.rereads <= unsaved_commits(state)  # type: ignore[operator]
                and (trends.keep_factors is None or trends.known_factors is not None)
                and memory.keep_unsaved(Unsaved.beyond(history.remembered, built, graph.repository.get("knows_token")))):
            # Not written: the next ingest reads the file and the same commits again. The trends' factors of the earlier
            # periods are those kept for the file's head (they were taken from there), and stay with it.
            trends.keep_factors = None
        elif memory is not None and state is not None and state.changed:
            memory.forget_unsaved()
            save = partial(memory.save, state)
            # A child pays for itself only on a long history read whole (10k files, 100k commits: about a second
            # less); after a few new commits its cost (the fork, and the pages the ingest then writes being copied)
            # ate what it saved: 30-50 ms more on sqlalchemy, even at 50k files (1 s of writing saved).
            if save_beside is not None and history.mined == "full" and len(history.log) >= STATE_BESIDE_COMMITS:
                save_beside(save)  # nothing after this changes the state: it can be written beside what follows
            # In place otherwise: a thread beside the next steps saved 1-3% at 50k after a commit (the state is mostly
            # encoded, which holds the GIL) for 36 MB more at the peak.
            elif problem := save():
                summary.notes.append(problem)
        state = history.state = None  # saved, or held by its save beside: nothing else reads it now (the replay reads the log)
    summary.notes.extend(trends.notes)
    notify("change coupling and trends", 1, 1)
    return trends, knows_delta, counted


def _at_top(root: Path, checkout: CheckoutState | None) -> bool:
    """Whether ``root`` is the top level of its git checkout: known when the check for changes fingerprinted it."""
    if checkout is not None and checkout.fingerprint is not None:
        return True
    top = git_toplevel(root)
    return top is not None and top.resolve() == root.resolve()


def _opened_cache(root: Path, cache_dir: Path | None, base_code: str | None, is_git: bool,
                  checkout: CheckoutState | None) -> tuple[bool, list[str], ParseCache, CodeResult | None, bool]:
    """(``is_git``, the parse cache's files the repository tracks, the parse cache, the remembered extraction the
    stored graph was built from, whether the repository tracks the decision cache's file): a cache the repository
    tracks is not trusted (``ParseCache(None)``); git is asked once for both caches' files. The extraction is
    recalled only when this Cairn built it (another one may build other edges from it), and before this run's result
    may push it out of the cache. The tracked files are the check's (``checkout``), when it listed them."""
    known = checkout.tracked_in_cache if checkout is not None else None
    tracked = tracked_cache_files(root, cache_dir, (*CACHE_FILES, DECISION_CACHE_FILE), known) if is_git else []
    decisions_tracked = [p for p in tracked if p.rpartition("/")[2] == DECISION_CACHE_FILE]
    tracked = [p for p in tracked if p not in decisions_tracked]
    cache = ParseCache(None if tracked else cache_dir)
    build = cairn_build()
    built_here = base_code.partition(":")[2] if base_code and base_code.startswith(build + ":") else None
    return is_git, tracked, cache, cache.recall_result(built_here) if built_here else None, bool(decisions_tracked)


def _save_cache(cache: ParseCache) -> str | None:
    try:
        cache.save()
    except OSError as exc:
        return f"parse cache not saved ({exc})"
    return None


def _written_by_thread(save: Callable[[], str | None], summary: IngestSummary) -> Callable[[], None]:
    """Run ``save`` (which writes a file and gives a note when it cannot) in a thread; what is returned waits for it and
    puts its note where the save would have put it run in place, or raises what it raised (called again: returns at
    once). Nothing the steps after it run changes what it writes."""
    import threading

    at = len(summary.notes)
    outcome: list[tuple[str | None, BaseException | None]] = []

    def run() -> None:
        try:
            outcome.append((save(), None))
        except BaseException as exc:  # noqa: BLE001 - raised again in the ingest's thread
            outcome.append((None, exc))

    thread = threading.Thread(target=run, name="cairn-save")
    thread.start()

    def written() -> None:
        thread.join()
        if not outcome:  # (waited for already)
            return
        note, error = outcome.pop()
        if error is not None:
            raise error
        if note:
            summary.notes.insert(at, note)

    return written


def _files_counted_again(history: History, changes: ChangeResult) -> frozenset[str] | None:
    """The File nodes whose change counts (``revisions``, ``change_days``, ``agent_changes``) may differ from the last
    ingest's: those the commits from ``kept_prefix`` on touch (the counts of the others are the remembered ones); None
    when the counts were not added to remembered ones (a full read, other settings or people)."""
    if history.mined == "full" or history.kept_prefix is None or not changes.incremental:
        return None
    from cairn.ingest.change_count import CommitEntries

    nodes = changes.index.nodes
    return frozenset(nodes[f].id for f in set(CommitEntries(history.log, changes.index, history.kept_prefix).file))


def _add_codeowners(graph: RepoGraph, owners: CodeOwners, summary: IngestSummary) -> None:
    add_ownership(graph, owners)
    summary.notes.extend(owners.notes)


def _add_decisions(graph: RepoGraph, root: Path, config: CairnConfig, summary: IngestSummary, cache_dir: Path | None,
                   build: str, tracked: bool, nested: list[str]) -> None:
    """The Decision nodes and the rules; the records this build parsed last time in ``cache_dir`` are not parsed again
    when their bytes are the same (``adrs.parse_cache``), unless the repository ``tracked`` the cache's file.
    ``nested``: the decision folders below the top (``adrs.nested_adr_folders``)."""
    components = {c.key: list(c.get("paths") or []) for c in graph.of_label(Label.COMPONENT)}
    packages = {c.key: c.get("package") for c in graph.of_label(Label.COMPONENT) if c.get("package")}
    cache = DecisionCache(cache_dir, build, root, tracked) if cache_dir is not None else None
    decisions = read_decisions(root, config.adr, components, cache, nested, product=(graph.repo, root.name),
                               packages=packages, source_files=lambda: (
                                   # (files, not modules: a Go module's path is its package's folder)
                                   (f.get("path"), f.get("component")) for f in graph.of_label(Label.FILE)
                                   if f.get("module") and f.get("path") and f.get("component")))
    undated = [d for d in decisions.decisions if d.date is None]
    if undated:  # dated by the commit that first added them (the parse cache keeps what their moves gave, by commit)
        added = added_dates(root, [d.path for d in undated], cache.dates if cache is not None else None,
                            cache.additions if cache is not None else None)
        for d in undated:
            if d.path in added:
                d.date, d.date_from = added[d.path], "history"
    if cache is not None:
        cache.save()
    add_decisions(graph, decisions)
    rules, problems = collect_rules(config, decisions, root)
    add_rules(graph, rules)
    summary.notes.extend(str(problem) for problem in decisions.problems)
    summary.notes.extend(problems)


def _add_agent_instructions(graph: RepoGraph, root: Path, files: list[str], summary: IngestSummary) -> None:
    items, notes = read_instructions(root, files)
    add_agent_instructions(graph, items)
    summary.notes.extend(notes)
