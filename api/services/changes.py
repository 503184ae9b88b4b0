"""The PR check as a service: on a checkout, on refs of a registered checkout, or on a diff; forge events.

Ingest builds the change (``ingest.change``), the analysis judges it
(``queries.pr_check.analyse``). The checkout of a registered repository is the
path recorded at its ingest, never one taken from a request.

When the stored graph is the code graph of the change's base (a clean ingest
of that commit), the base is not rebuilt and the stored graph is not read
whole: ``stored_for_change`` reads the modules, components, people, rules,
decisions and component dependencies, and around the changed files only what
the analysis looks at there (their knowledge, owners and co-change partners,
what the people CODEOWNERS names for them know and who owns those files, the
knowledge of the other files of their directories; the files of their
components and the knowledge of them when reviewers' stand-ins need them). The head is read from git objects through the parse cache, so
only the changed files are parsed, and their modules' imports only resolved;
git lists the head's tree, and the parse cache's parsed files load, in threads
started as soon as the refs are resolved (``ingest.change.TreeListing``),
while the store is read.

The IMPORTS edges, the largest part of the code graph, are read for the
modules the change touches only (``StoredBase.imports_for``, called once the
head is read), when that is all the judgement needs: every rule's findings
rest on single imports of their importing modules
(``queries.pr_check.judged_by_importers``: no transitive or acyclic rule) and
the change keeps the set of modules and their components
(``ingest.code_graph.patch_reads``). Otherwise every module's imports are read.
The report is the same as from the whole graph
(``tests/integration/test_pr_check_stored_base.py``).

On a stored base the check imports neither the ingest service nor pydantic:
the settings, thresholds and rules ingest validated are read back from the
stored graph as plain data (``ingest.config.StoredSettings``,
``graph.thresholds.stored_threshold``, ``graph.rules.DeclaredRule.from_node``);
a checkout the store does not know yet is ingested first (``ingesting.ingest``).

A check runs with the cyclic garbage collector paused (``ingest.gcpause``):
extracting the head allocates a few hundred thousand small objects that form
no cycles, and with the collector running its full collections walked the
stored graph read before, over and over (1.3 s instead of 0.8 s for the head
of 10k modules). In the ``cairn pr-check`` process, which ends after it, the
graphs, the listing and the head's parses are then left to the process's end
(``gcpause.abandon``): freeing them object by object took 0.2 s at 50k modules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from cairn.api.services.workspace import Workspace
from cairn.graph.change import ChangeSet
from cairn.graph.errors import CheckoutMissing, InvalidChange
from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.graph.store import GraphStore, RepositorySummary
from cairn.ingest.change import (ImportsFor, TreeListing, change_from_diff, change_from_refs, missing_commits, read_refs,
                                 stored_as_commit)
from cairn.ingest.diffs import parse_unified_diff
from cairn.ingest.files import named_in_utf8
from cairn.ingest.gcpause import abandon, gc_paused

if TYPE_CHECKING:  # the analysis is imported once git lists the head's tree (``_judged``, ``StoredBase``): beside it
    from cairn.queries.pr_check import PRReport

#: What the PR check reads of the stored graph whole: small, or needed whole to place every module and judge the change.
WHOLE_LABELS = (Label.REPOSITORY, Label.COMPONENT, Label.MODULE, Label.EXTERNAL, Label.RULE, Label.DECISION, Label.PERSON)
WHOLE_RELS = (Rel.DEPENDS_ON, Rel.DECLARED_BY, Rel.SUPERSEDES, Rel.AMENDS)


def pr_check_checkout(ws: Workspace, root: Path, base: str, head: str, *, description: str | None = None,
                      author: str | None = None) -> PRReport:
    """Check the change from ``base`` to ``head`` in the checkout at ``root``, ingesting it first if the store does not know it."""
    with gc_paused():
        return _pr_check_checkout(ws, root, base, head, description=description, author=author)


def _pr_check_checkout(ws: Workspace, root: Path, base: str, head: str, *, description: str | None,
                       author: str | None) -> PRReport:
    if not Path(root).is_dir():
        raise InvalidChange(f"{root}: not a directory")
    refs = read_refs(Path(root), base, head)
    summary = registered_checkout(ws, root)
    if summary is None:  # ingested first: the ingest service (and the configuration models) only then
        from cairn.api.services.ingesting import ingest

        _refuse_taken_name(ws, Path(root).resolve())

        listing, stored = None, StoredBase.whole(ingest(ws, Path(root).resolve()).graph)
    else:
        listing = _listing(ws, summary, Path(root), refs.head, refs.merge_base)
        stored = _stored(ws, summary, refs.merge_base, refs.paths)
    change = change_from_refs(stored.graph, Path(root), base, head, description=description, author=author,
                              cache_dir=ws.cache_dir, refs=refs, imports_for=stored.imports_for, listing=listing)
    return _judged(stored, change, listing, Path(root))


def pr_check_refs(ws: Workspace, repo: str | None, base: str, head: str, *, description: str | None = None,
                  author: str | None = None) -> PRReport:
    """Check refs of a registered repository's checkout."""
    with gc_paused():
        return _pr_check_refs(ws, repo, base, head, description=description, author=author)


def _pr_check_refs(ws: Workspace, repo: str | None, base: str, head: str, *, description: str | None,
                   author: str | None) -> PRReport:
    summary = ws.repository(repo)
    root = checkout_of(summary)
    refs = read_refs(root, base, head)
    listing = _listing(ws, summary, root, refs.head, refs.merge_base)
    stored = _stored(ws, summary, refs.merge_base, refs.paths)
    change = change_from_refs(stored.graph, root, base, head, description=description, author=author,
                              cache_dir=ws.cache_dir, refs=refs, imports_for=stored.imports_for, listing=listing)
    return _judged(stored, change, listing, root)


def pr_check_diff(ws: Workspace, repo: str | None, diff: str, files: dict[str, str], *, description: str | None = None,
                  author: str | None = None) -> PRReport:
    """Check a unified diff (with the post-change contents of its files) against the stored repository."""
    with gc_paused():
        return _pr_check_diff(ws, repo, diff, files, description=description, author=author)


def _pr_check_diff(ws: Workspace, repo: str | None, diff: str, files: dict[str, str], *, description: str | None,
                   author: str | None) -> PRReport:
    summary = ws.repository(repo)
    root, commit = summary.props.get("path"), summary.props.get("head")
    listing = _listing(ws, summary, Path(root), commit, commit) if root and commit and Path(root).is_dir() else None
    stored = _stored(ws, summary, commit, parse_unified_diff(diff).paths)
    change = change_from_diff(stored.graph, diff, files, description=description, author=author, cache_dir=ws.cache_dir,
                              imports_for=stored.imports_for, listing=listing)
    return _judged(stored, change, listing, Path(root) if root and Path(root).is_dir() else None)


def _refuse_taken_name(ws: Workspace, root: Path) -> None:
    """``InvalidChange`` when ingesting the checkout at ``root`` would replace another checkout's repository: the
    store holds one of the name it would be ingested under (its folder's), ingested from a checkout that is still
    there. (A checkout that moved away, a CI workspace restored at another path, is ingested again as before.)"""
    from cairn.ingest.checkout import default_repo_name

    name = default_repo_name(root)
    for summary in ws.store.repositories():
        other = summary.props.get("path")
        if summary.repo == name and other and Path(other) != root and Path(other).is_dir():
            raise InvalidChange(f"the store holds {name!r}, ingested from {other}; {root} is another checkout: run the "
                                f"check there, or ingest this one under another name first (cairn ingest {root} --name NAME)")


def registered_checkout(ws: Workspace, root: Path) -> RepositorySummary | None:
    """The stored repository ingested from the checkout at ``root``; None when the store does not know it."""
    root = Path(root).resolve()
    for summary in ws.store.repositories():
        if summary.props.get("path") and Path(summary.props["path"]) == root:
            return summary
    return None


def _judged(stored: "StoredBase", change: ChangeSet, listing: TreeListing | None, root: Path | None) -> PRReport:
    """The judgement of ``change``, the latest commits of paths the store keeps no file for read from the checkout at
    ``root`` (at the change's base) when the reviewers need them; in a process that ends after it, the graphs and
    the listing are left to the process's end rather than freed object by object (``ingest.gcpause.abandon``)."""
    from cairn.ingest.path_history import latest_commits
    from cairn.queries.pr_check import analyse

    read = (lambda paths: latest_commits(root, change.base, paths)) if root is not None else None
    report = analyse(stored.graph, change, read_components=stored.read_components, read_latest_commits=read)
    abandon(stored, change, listing)
    return report


def _listing(ws: Workspace, summary: RepositorySummary, root: Path, commit: str, base: str) -> TreeListing:
    """The listing of ``commit`` (the tree the change's code is read from), started now so git works while the store
    is read; with the parse cache loaded beside it when the stored graph stands for ``base`` (only ``commit`` is
    extracted then)."""
    return TreeListing(root, commit, summary.props,
                       cache_dir=ws.cache_dir if stored_as_commit(summary.props, base) else None)


def _stored(ws: Workspace, summary: RepositorySummary, base: str | None, paths: Iterable[str]) -> "StoredBase":
    """What the check reads of the stored graph: the part ``StoredBase`` reads when the stored graph is the base (and
    the store reads parts), else the whole graph (the base is then rebuilt from git when the stored graph is not it,
    and the stored graph gives people and rules)."""
    if stored_as_commit(summary.props, base) and reads_in_part(ws.store):
        return StoredBase(ws.store, summary.repo, paths)
    return StoredBase.whole(ws.graph_of(summary))


def reads_in_part(store: GraphStore) -> bool:
    """Whether ``store`` reads a few nodes and what is around them without reading the whole graph: the port's own
    ``load_around`` reads it whole each time (Neo4j's, today), so the part would cost several whole reads."""
    return type(store).load_around is not GraphStore.load_around


class StoredBase:
    """The part of a stored graph a PR check on its commit reads, and how to complete it.

    First ``stored_for_change`` without IMPORTS edges nor the knowledge of the
    changed files' components; then the IMPORTS edges of the modules the
    change touches once ``imports_for`` names them (of every module when the
    rules need them all, or when ``imports_for`` is given None), and the
    files of components and the knowledge of them when reviewers' stand-ins
    need them (``read_components``). ``imports_read`` says which modules'
    IMPORTS were read (None: every module's). ``StoredBase.whole(graph)``
    stands for a whole graph: nothing to complete.
    """

    def __init__(self, store: GraphStore | None, repo: str, paths: Iterable[str] = (), graph: RepoGraph | None = None):
        self.store, self.repo = store, repo
        self.imports_for: ImportsFor | None = self._imports_for if graph is None else None
        self.read_components: Callable[[set[str]], None] | None = self._read_components if graph is None else None
        self.imports_read: set[str] | None = None if graph is not None else set()
        self.components_read: set[str] = set()
        self.graph = graph if graph is not None else stored_for_change(store, repo, paths, imports=False, stand_ins=False)
        from cairn.queries.pr_check import judged_by_importers  # here: imported while git lists the head's tree

        if graph is None and not judged_by_importers(self.graph):
            self._read_every_import()

    @classmethod
    def whole(cls, graph: RepoGraph) -> "StoredBase":
        return cls(None, graph.repo, graph=graph)

    def _imports_for(self, modules: set[str] | None) -> None:
        """Add the IMPORTS edges at ``modules`` (module keys; None: of every module) to the graph, once each."""
        if self.imports_read is None:
            return
        if modules is None:
            self._read_every_import()
            return
        todo = sorted(modules - self.imports_read)
        if todo:
            _merge(self.graph, self.store.load_around(self.repo, [node_id(Label.MODULE, self.repo, m) for m in todo],
                                                      [Rel.IMPORTS]))
            self.imports_read.update(todo)

    def _read_every_import(self) -> None:
        assert self.store is not None
        _merge(self.graph, self.store.load_part(self.repo, (), [Rel.IMPORTS]))
        self.imports_read = None

    def _read_components(self, components: set[str]) -> None:
        """Add the files of ``components`` and the knowledge of them to the graph, once each."""
        todo = sorted(components - self.components_read)
        if todo:
            assert self.store is not None
            _read_component_knowledge(self.store, self.repo, self.graph, todo)
            self.components_read.update(todo)


def _read_component_knowledge(store: GraphStore, repo: str, graph: RepoGraph, components: list[str]) -> None:
    """Reviewers stand in for a file nobody eligible knows: the authors of the other files of its component."""
    members = store.load_around(repo, [node_id(Label.COMPONENT, repo, c) for c in components], [Rel.PART_OF])
    files = sorted(nid for nid, n in members.nodes.items() if n.label is Label.FILE)
    graph.nodes.update((nid, members.nodes[nid]) for nid in files)
    _merge(graph, store.load_around(repo, files, [Rel.KNOWS]))


def stored_for_change(store: GraphStore, repo: str, paths: Iterable[str], *, imports: bool = True,
                      stand_ins: bool = True) -> RepoGraph:
    """The part of the stored graph of ``repo`` that judging a change to ``paths`` reads (see the module docstring);
    with ``imports`` false, without its IMPORTS edges, and with ``stand_ins`` false without the files of the
    changed files' components and the knowledge of them (``StoredBase`` reads those it needs).

    Every node and edge in it is as stored, and every edge's ends are in it.
    ``queries.pr_check.analyse`` and ``ingest.change`` give the same answers on
    it as on the whole graph, for a change to those paths.
    """
    graph = store.load_part(repo, WHOLE_LABELS, (*WHOLE_RELS, Rel.IMPORTS) if imports else WHOLE_RELS)
    paths = set(filter(named_in_utf8, paths))  # a name that is not UTF-8 is never stored (``files.NOT_UTF8``)
    around = store.load_around(repo, [node_id(Label.FILE, repo, p) for p in sorted(paths)], [Rel.KNOWS, Rel.OWNS, Rel.CO_CHANGES])
    _merge(graph, around)
    changed = [n for n in around.nodes.values() if n.label is Label.FILE and n.key in paths]
    from cairn.queries.reviewers import directory_files  # (here: the check's other queries load when they judge)

    # reviewers count the knowledge of the other files of a changed file's directory (their modules list them)
    siblings = sorted({fid for ids in directory_files(graph, {n.key: n for n in changed}).values() for fid in ids})
    if siblings:
        _merge(graph, store.load_around(repo, siblings, [Rel.KNOWS]))
    components = sorted({str(n.get("component")) for n in changed if n.get("component")})
    if components and stand_ins:
        _read_component_knowledge(store, repo, graph, components)
    # people CODEOWNERS names for a changed file are suggested when they know a file their entry covers: what they
    # know, and who owns those files (not every file they own: a catch-all entry owns the whole repository)
    owners = sorted({e.source for e in around.edges.values() if e.type is Rel.OWNS and around.nodes[e.source].label is Label.PERSON})
    if owners:
        known = store.load_around(repo, owners, [Rel.KNOWS])
        _merge(graph, known)
        files = sorted({e.target for e in known.edges.values() if e.type is Rel.KNOWS and e.source in owners})
        if files:
            _merge(graph, store.load_around(repo, files, [Rel.OWNS]))
    return graph


def _merge(graph: RepoGraph, part: RepoGraph) -> None:
    graph.nodes.update(part.nodes)
    graph.edges.update(part.edges)


def checkout_of(summary: RepositorySummary) -> Path:
    """The checkout a repository was ingested from; ``CheckoutMissing`` when it is not a directory any more."""
    root = summary.props.get("path")
    if not root or not Path(root).is_dir():
        raise CheckoutMissing(
            f"the checkout of {summary.repo} recorded at its last ingest ({root or 'no path'}) is not a directory any more; "
            "ingest it again from its new place with `cairn ingest PATH --name NAME`",
            repository=summary.repo, path=root,
        )
    return Path(root)


def commits_missing(summary: RepositorySummary, commits: list[str]) -> list[str]:
    """The commits a registered checkout does not hold (nothing is fetched here; see ``posting.WebhookPosting.fetch``)."""
    return missing_commits(checkout_of(summary), commits)


# -- forge events ---------------------------------------------------------------------------


def remote_slug(url: str | None) -> str | None:
    """``owner/name`` of a GitHub remote in any of its spellings (https, ssh, scp-like), lower-cased."""
    if not url:
        return None
    text = url.strip().lower()
    text = re.sub(r"^(?:https?|ssh|git)://(?:[^@/]+@)?[^/]+/", "", text)
    text = re.sub(r"^[^@/]+@[^:/]+:", "", text)
    text = text.removesuffix("/").removesuffix(".git")
    return text if text.count("/") == 1 else None


def repository_for_event(ws: Workspace, event_repo: dict[str, Any]) -> RepositorySummary | None:
    """The stored repository a forge event's ``repository`` object is about: by its remote, else by name."""
    known = ws.store.repositories()
    wanted = {s for s in (remote_slug(event_repo.get("clone_url")), remote_slug(event_repo.get("ssh_url")),
                          remote_slug(event_repo.get("html_url")), str(event_repo.get("full_name") or "").lower() or None) if s}
    for r in known:
        if remote_slug(r.props.get("remote")) in wanted:
            return r
    name = event_repo.get("name")
    for r in known:
        if name and r.repo == name:
            return r
    return None
