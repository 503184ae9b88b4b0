"""Building a change for the PR check: refs, or a diff with post-change files, into a ``ChangeSet``.

Given the stored graph of a repository and a change — base and head refs of a
checkout, or a unified diff with the post-change contents of the changed files
— this module reads everything the judgement needs and nothing more:

* the changed files with their statuses and post-change line ranges
  (``git diff -U0`` of the merge base and the head, or the given diff), each
  assigned to its component by the stored component definitions, and whether
  the truck factor counts it (``ingest.linguist``: as stored, else by its name);
* the identities involved (author, committer, the co-author and reviewer
  trailers of every commit, ``ingest.trailers``; the PR's author on the forge),
  classified human / bot / agent by the repository's identity patterns; a
  co-author of a review suggestion GitHub applied, in its own commit or squashed
  into a squash merge, is a suggester (``ingest.suggestions``);
* the agents its commit messages and its description mark ("Assisted-by:
  Cursor (Claude Opus 5)", "Generated with Claude Code", an ``Assisted-by``
  naming one the classifier calls an agent), found by the history's matcher
  (``ingest.agent_markers``, its built-in markers: a repository's ``[agents]
  markers`` are not stored with its graph), each with the line that marks it
  (``AgentMark``);
* the code graph at the base and at the head, built from git objects (reusing
  cached parses, so only changed files are parsed; the stored graph itself
  stands for the base when it was ingested from a clean checkout of it), the
  head graph patched from the base so that 20 changed files do not rebuild
  5,000 modules. A stored base may hold the IMPORTS edges of a few modules
  only: ``imports_for`` is then called, once the head is read, with the
  modules whose imports the patch reads (``code_graph.patch_reads``; None:
  every module's), and adds them to it; the head's imports are then resolved
  for those modules only, unless the set of modules changed;
* the rules and decisions of the *stored* graph, copied onto both code graphs:
  a pull request cannot relax the rules that judge it;
* the baseline of known violations as committed at the base.

The merge base is what a PR is compared with, as on GitHub ("three dots").
``read_refs`` resolves the refs and lists the changed files before any graph is
read, so a caller knows which part of the stored graph to read, and
``stored_as_commit`` whether the stored graph stands for the base;
``TreeListing`` starts git listing the tree the change's code is read from
(and, on a stored base, the parse cache loading) before the stored graph is.
Every git call goes through ``ingest.git``. ``queries.pr_check.analyse``
judges the result.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from cairn.graph.baseline import Baseline, baseline_name
from cairn.graph.change import AgentMark, ChangeSet, ChangeStatus, FileChange, Identity, IdentityKind, IdentityRole
from cairn.graph.errors import BaselineError, InvalidChange
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.people import split_contact
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.code.extract import ParseCache
from cairn.ingest.code_graph import CodeSnapshot, code_graph_at, patch_code_graph, patch_imports_of, patch_reads, snapshot_at
from cairn.ingest.components import ComponentDef, ComponentMap
from cairn.ingest.config import StoredSettings
from cairn.ingest.diffs import parse_unified_diff
from cairn.ingest.files import named_in_utf8
from cairn.ingest.gcpause import abandon
from cairn.ingest.git import GitError, git, git_stream
from cairn.ingest.gittree import GitTree, GitTreeError, resolve_commit
from cairn.ingest.identities import Classifier
from cairn.ingest.linguist import detect_language, truck_factor_scope
from cairn.ingest.suggestions import GITHUB_COMMITTER, contact_key, is_suggestion_commit, squashed_suggesters
from cairn.ingest.trailers import CO_AUTHOR_KEYS, REVIEW_KEYS, git_trailer_keys, trailer_contact

#: The co-author trailer keys that declare co-writing (the Linux kernel's ``Co-developed-by``: "the patch was co-created
#: by multiple developers"), which no forge writes, apart from those GitHub writes itself (``Co-authored-by``).
_CO_DEVELOPER_KEYS = ("co-developed-by",)
_OTHER_CO_AUTHOR_KEYS = tuple(key for key in CO_AUTHOR_KEYS if key not in _CO_DEVELOPER_KEYS)
#: One record per commit: author, committer, subject, co-author, co-developer and reviewer trailers (``trailers``: the
#: history's keys), the commit's name, its message (last: it may hold anything).
_LOG_FORMAT = "%an%x00%ae%x00%cn%x00%ce%x00%s%x00" + "%x00".join(
    f"%(trailers:{git_trailer_keys(keys)},unfold,valueonly,separator=%x01)"
    for keys in (_OTHER_CO_AUTHOR_KEYS, _CO_DEVELOPER_KEYS, REVIEW_KEYS)
) + "%x00%H%x00%B%x1e"
#: The agents a message names as the history finds them (``ingest.agent_markers``).
_MARKERS = MarkerMatcher.build()
#: ``git diff`` options that make its output the same whatever the user's or the repository's configuration.
_DIFF_OPTIONS = ("-c", "core.quotepath=off", "diff", "-M", "-U0", "--no-color", "--no-ext-diff", "--no-textconv",
                 "--no-relative", "--src-prefix=a/", "--dst-prefix=b/")


#: Adds to a partly read stored base the IMPORTS edges of the given modules (None: of every module).
ImportsFor = Callable[[set[str] | None], None]


@dataclass(frozen=True)
class Refs:
    """What git says of a change between two refs before any graph is read: the commits and the changed files."""

    merge_base: str
    head: str
    files: tuple[FileChange, ...]

    @property
    def paths(self) -> frozenset[str]:
        """Every path the change touches, before and after."""
        return frozenset(p for f in self.files for p in f.paths)


def read_refs(root: Path, base: str, head: str) -> Refs:
    """The merge base of ``base`` and ``head`` (what a PR is compared with), the head commit and the changed files."""
    root = Path(root)
    if not root.is_dir():
        raise InvalidChange(f"{root}: not a directory")
    try:
        base_sha, head_sha = resolve_commit(root, base), resolve_commit(root, head)
    except GitTreeError as exc:
        raise InvalidChange(str(exc)) from None
    merge_base = _merge_base(root, base_sha, head_sha)
    return Refs(merge_base, head_sha, tuple(_changed_files(root, merge_base, head_sha)))


def stored_as_commit(props: Mapping[str, Any], commit: str | None) -> bool:
    """Whether a graph whose Repository node has ``props`` is the code graph of ``commit``: a clean ingest of it."""
    return bool(commit) and props.get("head") == commit and props.get("dirty") is False


class TreeListing:
    """The listing of a commit's tree (``GitTree.at``), read in a thread from the moment it is made: a caller that
    knows the commit and the repository's ingest settings starts it before reading the stored graph, and git lists
    the files (0.4 s for 50,000 of them, most of it in git) while Python reads the store. ``change_from_refs`` and
    ``change_from_diff`` take it (``listing``) for the tree they read, when its commit and settings are theirs.

    With ``cache_dir`` (when the stored graph stands for the base, so only the head is extracted) another thread
    loads the parsed files of the parse cache there, without its state (``_parse_cache``), while SQLite and git
    work outside Python's lock."""

    def __init__(self, root: Path, commit: str, props: Mapping[str, Any], *, cache_dir: Path | None = None):
        settings = StoredSettings.of(props).ingest
        self.root, self.commit, self.settings = Path(root), commit, (list(settings.exclude), settings.max_file_bytes)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._tree: GitTree | None = None
        self._cache: ParseCache | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._list, name="cairn-tree-listing", daemon=True)
        self._thread.start()
        self._cache_thread = threading.Thread(target=self._load_cache, name="cairn-parse-cache", daemon=True)
        if self.cache_dir is not None:
            self._cache_thread.start()

    def _list(self) -> None:
        try:
            self._tree = GitTree.at(self.root, self.commit, exclude=self.settings[0], max_file_bytes=self.settings[1])
        except BaseException as exc:  # raised again where the listing is taken
            self._error = exc

    def _load_cache(self) -> None:
        cache = ParseCache(self.cache_dir, read_state=False)
        cache.entries  # noqa: B018 - loaded here, off the caller's thread
        self._cache = cache

    def parse_cache_for(self, cache_dir: Path | None, read_state: bool) -> ParseCache | None:
        """The parse cache loaded beside the listing, when it is the one the change would open; else None."""
        if read_state or self.cache_dir is None or cache_dir is None or Path(cache_dir) != self.cache_dir:
            return None
        self._cache_thread.join()
        return self._cache

    def tree_for(self, root: Path, commit: str, config: StoredSettings) -> GitTree | None:
        """The listing, when it is the one ``snapshot_at(root, commit, config=config)`` would read; else None."""
        if (Path(root), commit, (list(config.ingest.exclude), config.ingest.max_file_bytes)) != (self.root, self.commit, self.settings):
            return None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._tree


def change_from_refs(
    stored: RepoGraph, root: Path, base: str, head: str, *, description: str | None = None, author: str | None = None,
    cache_dir: Path | None = None, refs: Refs | None = None, imports_for: ImportsFor | None = None,
    listing: TreeListing | None = None,
) -> ChangeSet:
    """The change from ``base`` to ``head`` in the checkout at ``root``.

    ``author`` is the pull request's author as the forge reports it (a login
    such as ``copilot-swe-agent[bot]``, or ``Name <email>``): PR metadata that
    counts for agent detection beside the commits' identities. ``refs`` is
    ``read_refs(root, base, head)`` when the caller read it already;
    ``imports_for`` completes a partly read stored base (see the module docstring);
    ``listing`` is the head's ``TreeListing`` when the caller started one.
    """
    root = Path(root)
    refs = refs or read_refs(root, base, head)
    merge_base, head_sha, files = refs.merge_base, refs.head, list(refs.files)
    classify = _classifier(stored)
    commits = _commit_log(root, merge_base, head_sha)
    identities = _identities_of(root, commits, classify)
    marks = _agent_marks(commits, description, classify)
    if author:
        identities.append(_identity(author, IdentityRole.PR_AUTHOR, classify))
    config, defs = _config_of(stored), _component_defs(stored)
    cache = _parse_cache(cache_dir, stored, merge_base, listing)
    paths = {p for f in files for p in f.paths}
    try:
        base_graph = _base_graph(stored, root, merge_base, defs, config, cache)
        tree = listing.tree_for(root, head_sha, config) if listing is not None else None
        head = _head(base_graph, stored, imports_for, paths, defs,
                     lambda **kw: snapshot_at(root, head_sha, config=config, cache=cache, tree=tree, **kw))
        head_graph, changed_modules = patch_code_graph(base_graph, head, paths, defs)
    except GitTreeError as exc:
        raise InvalidChange(str(exc)) from None
    _keep_parses(cache, base_graph is not stored)
    abandon(cache, head)  # the parses and the head's code: left to the end of a process that ends after its work
    return ChangeSet(
        files=_placed(files, defs, stored), base_graph=base_graph, head_graph=head_graph,
        identities=_unique(identities), description=description, base=merge_base, head=head_sha,
        baseline=_baseline_at(root, merge_base, stored), changed_modules=frozenset(changed_modules),
        agent_marks=marks, messages=tuple(fields[9] for fields in reversed(commits)),
    )


def change_from_diff(
    stored: RepoGraph, diff: str, files: dict[str, str], *, description: str | None = None, author: str | None = None,
    cache_dir: Path | None = None, imports_for: ImportsFor | None = None, listing: TreeListing | None = None,
) -> ChangeSet:
    """A unified diff applied to the commit the repository was ingested at.

    ``files`` maps each added, modified or renamed path to its post-change
    contents; a pure rename may leave its contents out. ``imports_for``
    completes a partly read stored base (see the module docstring);
    ``listing`` is that commit's ``TreeListing`` when the caller started one.
    """
    parsed = parse_unified_diff(diff)
    if not all(map(named_in_utf8, parsed.paths)):
        raise InvalidChange("the diff names a path that is not UTF-8 text")
    repo_node = stored.repository
    root = Path(repo_node.get("path") or "") if repo_node else None
    base = repo_node.get("head") if repo_node else None
    if not root or not root.is_dir() or not base:
        raise InvalidChange(f"repository {stored.repo} has no readable checkout or commit to apply a diff to; re-ingest it")
    overrides: dict[str, bytes | None] = {}
    for change in parsed.changes:
        if change.status is ChangeStatus.DELETED:
            overrides[change.path] = None
            continue
        if change.old_path:
            overrides[change.old_path] = None
        if change.binary:
            continue
        if change.path not in files:
            if change.status is ChangeStatus.RENAMED:
                shown = git(root, "show", f"{base}:{change.old_path}", text=False)
                if shown.returncode == 0:
                    overrides[change.path] = shown.stdout
                    continue
            raise InvalidChange(f"files must include the post-change contents of {change.path}")
        try:
            overrides[change.path] = files[change.path].encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidChange(f"the post-change contents of {change.path} are not UTF-8 text") from None
    unknown = set(files) - parsed.paths
    if unknown:
        raise InvalidChange(f"files given that the diff does not change: {', '.join(sorted(unknown)[:5])}")
    config, defs = _config_of(stored), _component_defs(stored)
    cache = _parse_cache(cache_dir, stored, base, listing)
    try:
        base_graph = _base_graph(stored, root, base, defs, config, cache)
        tree = listing.tree_for(root, base, config) if listing is not None else None
        head = _head(base_graph, stored, imports_for, set(overrides), defs,
                     lambda **kw: snapshot_at(root, base, config=config, cache=cache, overrides=overrides, tree=tree, **kw))
        head_graph, changed_modules = patch_code_graph(base_graph, head, set(overrides), defs)
    except GitTreeError as exc:
        raise InvalidChange(f"{exc}; re-ingest the repository") from None
    _keep_parses(cache, base_graph is not stored)
    abandon(cache, head)
    identities = [_identity(author, IdentityRole.PR_AUTHOR, _classifier(stored))] if author else []
    return ChangeSet(
        files=_placed(list(parsed.changes), defs, stored), base_graph=base_graph, head_graph=head_graph,
        identities=tuple(identities), description=description, base=base, head=None,
        baseline=_baseline_at(root, base, stored), changed_modules=frozenset(changed_modules),
        agent_marks=_agent_marks([], description, _classifier(stored)),
    )


def missing_commits(root: Path, commits: list[str]) -> list[str]:
    """The commits of ``commits`` that the checkout at ``root`` does not hold."""
    return [c for c in commits if git(root, "cat-file", "-e", f"{c}^{{commit}}").returncode != 0]


# -- the pieces -----------------------------------------------------------------------


def _merge_base(root: Path, base: str, head: str) -> str:
    proc = git(root, "merge-base", base, head)
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else base


def _changed_files(root: Path, base: str, head: str) -> list[FileChange]:
    if base == head:
        return []
    try:
        lines = (raw.decode("utf-8", errors="surrogateescape") for raw in git_stream(root, *_DIFF_OPTIONS, base, head))
        first = next(lines, None)
        if first is None:
            return []
        # a file whose name is not UTF-8 is one the ingest skipped (``files.NOT_UTF8``): not part of the change either
        return [f for f in parse_unified_diff(_chain(first, lines)).changes if all(map(named_in_utf8, f.paths))]
    except GitError as exc:
        raise InvalidChange(f"git cannot diff {base[:12]}..{head[:12]}: {exc}") from None


def _chain(first: str, rest):
    yield first
    yield from rest


def _classifier(stored: RepoGraph) -> Classifier:
    return Classifier.from_settings(_config_of(stored).identities)


def _identity(raw: str, role: IdentityRole, classify: Classifier) -> Identity:
    name, email = split_contact(raw)
    return Identity(name, email, role, IdentityKind(classify.kind(name, email)))


def _trailer_identities(values: str, role: IdentityRole, classify: Classifier) -> list[Identity]:
    """The people a commit's trailers of one role name, read as the history reads them (``trailers.trailer_contact``);
    a value without brackets is a name alone ("Co-authored-by: Ada Lovelace" still wrote the change)."""
    identities = []
    for raw in filter(None, values.split("\x01")):
        contact = trailer_contact(raw) if "<" in raw else split_contact(raw)
        if contact is not None:
            name, email = contact
            identities.append(Identity(name, email, role, IdentityKind(classify.kind(name, email))))
    return identities


def _commit_log(root: Path, base: str, head: str) -> list[list[str]]:
    """The non-merge commits of ``base..head`` (the history reads no merge's trailers or markers either), each the
    fields of ``_LOG_FORMAT`` with the message last."""
    proc = git(root, "log", "--no-merges", f"--format={_LOG_FORMAT}", f"{base}..{head}")
    out = proc.stdout if proc.returncode == 0 else ""
    commits = []
    for record in out.split("\x1e"):
        parts = record.strip("\n").split("\0")
        if len(parts) >= 10:
            commits.append(parts[:9] + ["\0".join(parts[9:])])
    return commits


def _agent_marks(commits: list[list[str]], description: str | None, classify: Classifier) -> tuple[AgentMark, ...]:
    """The agents the commits' messages and the description mark, each with the line that marks it; whom another
    ``Assisted-by`` trailer names is one when ``classify`` calls it an agent, as in the history."""
    def is_agent(name: str, email: str) -> bool:
        return classify.kind(name, email) == IdentityKind.AGENT.value

    texts = [(f"commit {fields[8][:12]}", fields[9]) for fields in commits] + [("description", description or "")]
    return tuple(AgentMark(f"{name} <{email}>" if email else name, line, where)
                 for where, text in texts for (name, email), line in _MARKERS.marks_in(text, is_agent))


def _identities_of(root: Path, commits: list[list[str]], classify: Classifier) -> list[Identity]:
    identities: list[Identity] = []
    for an, ae, cn, ce, subject, coauthors, codevelopers, reviewers, sha, _ in commits:
        author = Identity(an, ae, IdentityRole.AUTHOR, IdentityKind(classify.kind(an, ae)))
        identities.append(author)
        if (cn, ce) != (an, ae) and ce != GITHUB_COMMITTER:
            committer = Identity(cn, ce, IdentityRole.COMMITTER, IdentityKind(classify.kind(cn, ce)))
            # A person who committed another person's commit applied it (git am, a rebase in Gerrit, a cherry-pick):
            # often the maintainer who reviews it, so not one who wrote it (sqlalchemy's patches, committed by the
            # maintainer who knows the files best). One behind an agent's or a bot's commit drove it; an agent or
            # bot committing is evidence of an agent.
            if author.kind is not IdentityKind.HUMAN or committer.kind is not IdentityKind.HUMAN:
                identities.append(committer)
        # the co-authors GitHub names in a commit of review suggestions it made are the suggestions' authors (rich's
        # "Update tests/test_cells.py", Co-authored-by: Copilot): reviewers of the change, not its writers; so are a
        # squash merge's co-authors named only under its squashed commits of suggestions (``ingest.suggestions``)
        if is_suggestion_commit(ce, subject):
            identities += _trailer_identities(coauthors, IdentityRole.SUGGESTER, classify)
            identities += _trailer_identities(codevelopers, IdentityRole.SUGGESTER, classify)
        else:
            suggesters = _squashed_suggesters(root, sha) if ce == GITHUB_COMMITTER and coauthors else frozenset()
            identities += [
                replace(i, role=IdentityRole.SUGGESTER) if contact_key(i.name, i.email) in suggesters else i
                for i in _trailer_identities(coauthors, IdentityRole.CO_AUTHOR, classify)
            ]
            identities += _trailer_identities(codevelopers, IdentityRole.CO_DEVELOPER, classify)
        identities += _trailer_identities(reviewers, IdentityRole.REVIEWER, classify)
    return identities


def _squashed_suggesters(root: Path, sha: str) -> frozenset[str]:
    """The co-authors a commit GitHub made (a squash merge, say) names only as its squashed suggestions' authors."""
    proc = git(root, "show", "-s", "--format=%B", sha)
    return squashed_suggesters(proc.stdout) if proc.returncode == 0 else frozenset()


def _unique(identities: list[Identity]) -> tuple[Identity, ...]:
    return tuple(dict.fromkeys(identities))


def _component_defs(graph: RepoGraph) -> list[ComponentDef]:
    return [
        ComponentDef(c.key, list(c.get("paths") or []), c.get("system"), c.get("domain"), c.get("description"), bool(c.get("inferred")))
        for c in sorted(graph.of_label(Label.COMPONENT), key=lambda n: n.key)
    ]


def _placed(files: list[FileChange], defs: list[ComponentDef], stored: RepoGraph) -> tuple[FileChange, ...]:
    """``files`` with the component of each side and whether the truck factor counts them (``_counted``)."""
    components = ComponentMap(defs)
    return tuple(
        FileChange(f.status, f.path, f.old_path, f.binary, f.hunks, components.component_of(f.path),
                   components.component_of(f.old_path) if f.old_path else None, _counted(f, stored))
        for f in files
    )


def _counted(change: FileChange, stored: RepoGraph) -> bool:
    """Whether the truck factor counts the changed file: as stored (``linguist_counted``, .gitattributes and the
    first-party folders weighed) when the store knows it under either name, else by Linguist's rule on its name
    (``linguist.truck_factor_scope``). A name that tells no language (a script without an extension, whose ``#!``
    line may make it code) counts."""
    for path in change.paths:
        node = stored.node(Label.FILE, path)
        if node is not None and node.get("linguist_counted") is not None:
            return bool(node.get("linguist_counted"))
    language = detect_language(change.path)
    return language is None or truck_factor_scope(change.path, language)[0]


def _config_of(graph: RepoGraph) -> StoredSettings:
    """The ingest and identity settings the stored graph was built with (plain data: no configuration models)."""
    return StoredSettings.of(graph.repository.props if graph.repository else {})


def _parse_cache(cache_dir: Path | None, stored: RepoGraph, base: str, listing: TreeListing | None) -> ParseCache:
    """The parse cache for a change (the one ``listing`` loaded, if it is that one). When the stored graph stands for
    the base, only the head is extracted, from git objects: the cache's state (file stats, skipped blobs, remembered
    whole results; 20 MB at 50,000 files) would only spare sniffing a binary or generated code file again, and is
    neither read nor written; parsed files are looked up as ever."""
    read_state = not _stored_at(stored, base)
    loaded = listing.parse_cache_for(cache_dir, read_state) if listing is not None else None
    return loaded if loaded is not None else ParseCache(cache_dir, read_state=read_state)


def _stored_at(graph: RepoGraph, commit: str) -> bool:
    repo = graph.repository
    return repo is not None and stored_as_commit(repo.props, commit)


def _base_graph(stored: RepoGraph, root: Path, commit: str, defs: list[ComponentDef], config: StoredSettings,
                cache: ParseCache) -> RepoGraph:
    """The code graph at ``commit``, carrying the stored rules and decisions."""
    if _stored_at(stored, commit):
        return stored  # ingested from a clean checkout of that commit: no need to rebuild it
    graph = code_graph_at(root, commit, stored.repo, defs, config=config, cache=cache)
    _copy_governance(stored, graph)
    return graph


def _head(base: RepoGraph, stored: RepoGraph, imports_for: ImportsFor | None, paths: set[str], defs: list[ComponentDef],
          snapshot: Callable[..., CodeSnapshot]) -> CodeSnapshot:
    """The code at the head, with the imports the patch from ``base`` reads; and, when the stored graph standing for
    the base was read in part, the IMPORTS edges the patch reads added to it (see the module docstring)."""
    if imports_for is None or base is not stored:
        return snapshot()
    head = snapshot(imports_of=patch_imports_of(base, paths))  # the changed modules' imports only
    reads = patch_reads(base, head, paths, defs)
    if reads is None:  # the set of modules changed: the patch compares every module's imports
        head = snapshot()
    imports_for(reads)
    return head


def _copy_governance(stored: RepoGraph, target: RepoGraph) -> None:
    """Rules and the decisions behind them judge base and head alike."""
    for node in stored.nodes.values():
        if node.label in (Label.RULE, Label.DECISION):
            target.add_node(node.label, node.key, **dict(node.props))
    for e in stored.edges.values():
        if e.type in (Rel.DECLARED_BY, Rel.SUPERSEDES, Rel.AMENDS) and e.source in target.nodes and e.target in target.nodes:
            target.add_edge(e.type, e.source, e.target, **dict(e.props))


def _baseline_at(root: Path, commit: str, stored: RepoGraph) -> Baseline | None:
    """The baseline as committed at ``commit``; None when there is none. A broken one is an error, not silence."""
    name = baseline_name(stored.repository.get("baseline") if stored.repository else None)
    shown = git(root, "show", f"{commit}:{name}")
    if shown.returncode != 0:
        return None
    try:
        return Baseline.from_text(shown.stdout, path=f"{name} at {commit[:12]}")
    except BaselineError as exc:
        raise InvalidChange(f"{name} at {commit[:12]} is not a valid baseline: {exc.reason}") from None


def _keep_parses(cache: ParseCache, base_rebuilt: bool) -> None:
    """Save the parse cache when the base was rebuilt from git (its parses are worth keeping); not when the stored
    graph stood for it: then only the changed files were parsed, and saving would rewrite the repository-sized cache
    files and remember the head's whole result, which may push out the one the stored graph was built from (the
    next ingest's starting point, ``ParseCache.KEEP_RESULTS``)."""
    if base_rebuilt:
        _save_quietly(cache)


def _save_quietly(cache: ParseCache) -> None:
    try:
        cache.save()
    except OSError:
        pass
