"""Knowledge from git history: one streaming ``git log`` read into a ``knowledge.History``.

The log is read as a stream (memory grows with the number of distinct paths
and people, never with the number of commits), in chunks of ``-z`` output::

    git log HEAD -M --name-status -z --use-mailmap --no-diff-merges --format=<compact>

What is recorded, following Avelino et al.'s reference implementation
(aserg-ufmg/Truck-Factor, ``DOACalculator``), for every path as it was named
in each commit and every identity: ``A`` (the path was added: first
authorship), ``M`` and ``R`` (a delivery; a rename counts as one, as in the
reference), the newest touch, and review credit. ``D`` and type changes are
ignored, as in the reference. Merge commits carry no file changes and give no
authorship.

Renames. The history of a path present at HEAD is the records of that path
plus, transitively, those of every path renamed into it (``R old new`` links
``old`` to ``new``), which handles rename chains (a -> b -> c) and a file
renamed away and back (a -> b -> a), as the reference's expansion does. A path
used again after its file was renamed away is two files: a rename passes to
``new`` only the changes of ``old`` from before it (in ``git log``'s order),
those ``git log --follow new`` gives, and the later file's stay with the path.
The reference joins the two: bat's ``src/bin/bat/config.rs`` (``src/config.rs``
until 2019, when a new ``src/config.rs`` was written) had 78 changes, git
says 40. A path made again as a copy of the file renamed away from it (git's
``-C -C`` on that commit: flask made ``src/flask/app.py`` again from
``sansio/app.py``, C064) goes on with its history, as ``git log --follow``
reads it (``break_renames.BreakRenames.copied``); split, flask's app.py fell
from 488 changes to 28. When a rename meets a path a newer commit made a file
at again otherwise (an add, or a rename onto it), the file renamed away is logged under another name
from that commit on (``break_renames.replaced_path``, as a file moved onto
an existing path is: ``log_parser.LogParser._settle_renames``), so the records,
the renames and the commits (``History.log``) of every analysis keep the two
apart. A path only changed after its file was renamed away (a branch that
changed the old name, merged after the rename) is not made again: its changes
follow the renamed file, as before.

Who gets what:

* human authors: first authorship and deliveries (the paper's knowledge);
* bots and agents: their changes are recorded (they are changes "by others"
  for everybody else, the paper's AC), but they never become authors;
* review credit (``reviews``: one per touched file and commit) goes to
  ``Reviewed-by`` trailers, to ``Co-authored-by`` / ``Co-developed-by``
  trailers (the paper counts only the author; a co-author worked on the
  change, so Cairn gives them review credit, which the paper's truck factor
  ignores), and to the committer of a commit authored by an agent. Only
  humans keep it. A commit with more than ``thresholds.max_coauthors``
  co-authors (a squash of a long-lived branch is not review) gives its
  co-authors none;
* a pull/merge request merged with a merge commit on HEAD's first-parent
  chain gives its merger (the merge's author) one review of each file it
  brought in, touched at the merge, unless the merger wrote the branch's tip
  commit under any of their identities (decided once people are resolved:
  ``ingest.merger_credit``; a sweep of more than
  ``thresholds.max_commit_files`` files gives none). The merges are read by a
  second ``git log --first-parent --merges`` beside the main one (HEAD's, or
  ``since..HEAD``'s on a re-ingest, which needs the remembered commit on
  HEAD's first-parent chain: else everything is read again, with a note),
  kept in ``History.log`` (``CommitLog.merged``); their credit is
  ``History.person_reviews``, by person, beside the records;
* sweeps: a commit that modifies or renames more than
  ``thresholds.max_commit_files`` files (a license header added everywhere,
  a reformatting, dependency updates, a module renamed) is no delivery: those
  changes go into nobody's record (neither the author's deliveries nor anyone's
  review credit, nor the others' acceptances), its additions do. The paper
  counts them: ibc-go's SPDX-header commit of 896 files made its author an
  author of every file only its creator had touched, and the first suggested
  reviewer of a rate-limiting change she had never worked on.

GitHub logins. "Merge pull request #N from LOGIN/branch" names the login of
the branch's author (``pull_request_authors``; who gets it is
``identities.logins_from_pull_requests``), unless LOGIN is an organisation
whose teams CODEOWNERS names (``@open-telemetry/collector-approvers``): its own
branches name nobody.

Incomplete repositories (missing objects, resumed past them) are
``history_stream``'s business; ``History.completeness`` says how complete the
history is.

Agent markers. A commit message line that names an agent ("Generated with
[Claude Code]", "Coded with Claude", a Codex or Devin task link…; see
``ingest.agent_markers``) counts as a ``Co-authored-by`` trailer naming that
agent.

Commits. Every commit read (merges included, with no changes) is kept in
``History.log`` (``commits.CommitLog``, oldest first): what the change
analyses (``ingest.cochange``, ``ingest.trend_history``) build on, from this
same single pass. ``mine_history(..., observer=f)`` also calls ``f`` with a
``CommitRecord`` for every commit read, in stream order, once its git process ended (commits read again
past missing objects come last). Identities are raw indexes;
``History.identity_person`` maps them to people once the pass is over.

Remembering. With a ``history_state.StateFile`` (``memory``), a re-ingest
reads only the commits since the remembered one (``git log last..HEAD``) and
adds them to the remembered totals and commits; everything that depends on how
identities resolve is recomputed from raw identities, so the result is the one
a full read gives. It reads everything again, with a note saying why, when the
remembered commit is no longer an ancestor of HEAD (the history was
rewritten), when what decides mining changed (``.mailmap``, ``[identities]``,
``[[people]]``, ``max_coauthors``, markers, Cairn, git), when a new commit
makes a file at a path whose remembered history is another file's (moved onto
it, or renamed away from it: a full read logs those changes under another
name), or when the file is unusable. New commits come first in ``git log``'s
order when they sit on top of the remembered commit (the walk is checked by
replaying git's date order over them); otherwise (a merged branch whose
commits interleave with remembered ones by date) the order of ``git rev-list
HEAD`` places them among the remembered commits, and the analyses keep what
they counted over the positions before the first one that moved
(``History.kept_prefix``). When the new commits sit on top and are few, the
state is not written again (``HistoryState.rereads``, see ``history_state``):
the next ingest reads them again, with its own.

Every git process goes through ``cairn.ingest.git``. Degree of authorship,
the ``History`` record and the graph facts are ``knowledge``'s business.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.break_renames import BreakRenames, replaced_paths
from cairn.ingest.commits import CommitLog, CommitObserver, CommitRecord, StreamColumns, kept_prefix
from cairn.ingest.config_values import IdentityValues
from cairn.ingest.git import GitError, GitTogether, git_together
from cairn.ingest.history_state import (
    HistoryState, LogTotals, StateFile, degraded_read, fingerprint_change, mining_fingerprint,
)
from cairn.ingest.history_people import pull_request_authors, resolve_people
from cairn.ingest.history_placement import new_commits_first, walk_until_kept
from cairn.ingest.history_stream import (
    RENAME_LIMIT_WARNING, CommitCount, LogStatus, SpooledLog, all_missing, is_ancestor, parents_of, read_log, read_range,
    record_completeness,
)
from cairn.ingest.identities import Classifier, DeclaredPerson, Identities, read_mailmap
from cairn.ingest.knowledge import History
from cairn.ingest.log_parser import LogParser, created_again
from cairn.ingest.merger_credit import brought_in, on_first_parent_chain, record_merges
from cairn.ingest.self_reviews import take_back_self_reviews

if TYPE_CHECKING:
    from cairn.ingest.config import IdentitySettings

__all__ = ["CommitObserver", "CommitRecord", "HistoryProgress", "LogParser", "LogStatus", "mine_history",
           "pull_request_authors", "read_log"]

#: ``progress(commits_read, total_commits)``
HistoryProgress = Callable[[int, int], None]

_HEX = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


# -- reading: everything, or what is new since the remembered commit -----------------------------------


class _Reading:
    """What one ingest read, with what was remembered: everything ``_finish`` and the analyses need."""

    ids: Identities
    totals: LogTotals
    log: CommitLog
    stream_order: list[int]  # raw identities in the order a full read interns them
    commits_total: int | None
    status: LogStatus
    mined: str
    new_commits: int
    analyses: dict[str, Any]
    #: an incremental read: how many positions at the start of ``log`` hold the remembered commits they held, how
    #: many commits were remembered, and the positions of the new ones (see ``knowledge.History``)
    kept_prefix: int | None
    remembered: tuple[int, str] | None  # the remembered log's length and last commit
    placed: list[int]
    moved: list[int]  # from ``kept_prefix`` on: the position each commit had
    merges_failed: str | None  # why the pull-request merges could not be read (then nothing is remembered)
    merges_read: list[int]  # the positions of the request merges this read found (``CommitLog.merged``)

    def __init__(self, ids: Identities, totals: LogTotals, log: CommitLog, stream_order: list[int],
                 commits_total: int | None, status: LogStatus, mined: str = "full", new_commits: int = 0,
                 analyses: dict[str, Any] | None = None, kept_prefix: int | None = None,
                 remembered: tuple[int, str] | None = None, placed: list[int] | None = None,
                 moved: list[int] | None = None, merges_read: list[int] | None = None,
                 merges_failed: str | None = None) -> None:
        self.ids = ids
        self.totals = totals
        self.log = log
        self.stream_order = stream_order
        self.commits_total = commits_total
        self.status = status
        self.mined = mined
        self.new_commits = new_commits
        self.analyses = {} if analyses is None else analyses
        self.kept_prefix = kept_prefix
        self.remembered = remembered
        self.placed = [] if placed is None else placed
        self.moved = [] if moved is None else moved
        self.merges_read = [] if merges_read is None else merges_read
        self.merges_failed = merges_failed


def _absorb(totals: LogTotals, parser: LogParser, log: CommitLog) -> None:
    """Add what ``parser`` read (its commits already in ``log``) to ``totals``."""
    index, names = log.path_index, parser.read.paths
    pid = [index[name] for name in names]
    totals.records.add({pid[path]: per_raw for path, per_raw in parser.records.items()})
    totals.renames.update((pid[old], pid[new]) for old, new in parser.renames)
    totals.add(parser.counts)


#: ``mine_history``'s first question to git: whether ``root`` is in a repository (any answer: it is), whether that is
#: shallow, HEAD and its parents (``head_of``); "--": a name "HEAD" is a revision even where a file is named so.
_WHERE_HEAD = ("rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "HEAD", "HEAD^@", "--")


def _read_all(root: Path, ids: Identities, parser: LogParser, head: str,
              progress: HistoryProgress | None, spooled: SpooledLog | None = None) -> _Reading:
    if spooled is not None and spooled.head != head:  # HEAD moved since git started: that log is of another commit
        spooled.close()
        spooled = None
    # counted beside the log, unless a progress report needs the total first
    count = spooled.count if spooled is not None else CommitCount(root)
    if progress is not None:
        total = count.result() or 0
        progress(0, total)
        parser.progress = lambda done: progress(done, max(total, done))
    status = read_log(root, parser, count, spooled)  # counted once
    log = CommitLog(len(head) // 2)
    log.append_stream(parser.read)
    totals = LogTotals(rename_limit_hit=RENAME_LIMIT_WARNING in status.stderr)
    _absorb(totals, parser, log)
    parser.read = StreamColumns()  # the log has them now
    failed = None
    try:
        merges = record_merges(root, log, head, parser.max_commit_files)
    except GitError as exc:
        merges, failed = [], str(exc)
    return _Reading(ids, totals, log, list(range(len(ids.raw))), status.commits_total, status, merges_read=merges,
                    merges_failed=failed)


def _read_new(root: Path, previous: HistoryState, ids: Identities, parser: LogParser, head: str,
              head_parents: list[str] | None) -> tuple[_Reading | None, str]:
    """The remembered history plus the commits since (None, why: read everything instead); ``head_parents``: HEAD's
    parents, if known (``head_of``)."""
    since = previous.head
    if not _HEX.match(since) or len(since) != len(head) or previous.log.sha_of(len(previous.log) - 1) != since:
        return None, "the history state does not end at its remembered commit"
    if since != head and head_parents is None:
        head_parents = parents_of(root, head)
    on_top = since != head and head_parents == [since]  # (then an ancestor, and the range is HEAD alone)
    if since != head and not on_top and is_ancestor(root, since, head) is not True:
        return None, f"the remembered commit {since[:12]} is no longer an ancestor of HEAD (the history was rewritten)"
    degraded = previous.degraded
    if degraded.get("missing_objects") and all_missing(root, degraded["missing_objects"]) is not True:
        # a full read now would read those commits otherwise (a fetch brought what was missing)
        return None, "objects that were missing when the history was last read are in the repository now"
    stderr = ""
    if since != head:
        whole, stderr = read_range(root, parser, since, head, on_top)
        if not whole:
            reason = next((line.strip() for line in stderr.splitlines() if line.strip()), "git log failed")
            return None, f"reading the commits since {since[:12]} failed ({reason})"
    replaced = [path for path in parser.replaced if path in previous.log.path_index]
    if replaced:  # the remembered changes of that path are another file's: a full read names them so
        return None, f"a new commit moved a file onto {replaced[0]}, whose remembered history is another file's"
    reused = [path for path in parser.reused if path in previous.log.path_index] or created_again(previous.log, parser.read)
    if reused:  # likewise: a full read names the remembered changes of the file renamed away otherwise
        return None, (f"a new commit made a file at {reused[0]}, whose remembered history is that of the file renamed "
                      "away from it")
    log, new = previous.log, parser.read
    old_length = len(log)
    order = previous.stream_order
    kept, placed = old_length, list(range(old_length, old_length + len(new)))
    moved = placed  # the position each commit from ``kept`` on had: new ones after the remembered
    if new:
        first = new_commits_first(new, log)
        log.append_stream(new)
        if first:
            met = dict.fromkeys(new.interned)
            order = list(met) + [raw for raw in order if raw not in met] + [
                raw for raw in range(len(order), len(ids.raw)) if raw not in met]
        else:
            # git's walk meets the new commits among remembered ones (a merged branch older than the remembered head):
            # where, only git's own walk says exactly (replaying it needs every remembered commit's parents, which the
            # log does not keep); it is read as far as it must be (``history_placement``). The positions before the
            # first one that moves keep their commits, and the analyses keep what they counted there
            # (``kept_prefix``); the identities are interned in the order a full read meets them.
            replaced = replaced_paths(log.paths)
            if replaced and not replaced.isdisjoint(new.paths):
                # a remembered move onto an existing path named that path otherwise in the commits read after it:
                # a new commit of that path git meets among those is read so by a full read alone
                return None, "the new commits change a path a remembered commit moved another file onto"
            walked = walk_until_kept(root, head, log, old_length, new)
            if walked is None:
                return None, "the new commits could not be placed among the remembered ones"
            positions = list(range(walked[0])) + [log.position_of(sha) for sha in reversed(walked[1])]
            if len(positions) != len(log) or None in positions:
                return None, "the new commits could not be placed among the remembered ones"
            log = log.reordered(positions)  # type: ignore[arg-type]
            order = log.stream_interning_order()
            # the new commits may all come after the remembered ones, in another order than the replay found
            kept = min(kept_prefix(positions), old_length)  # type: ignore[arg-type]
            moved = positions[kept:]  # type: ignore[assignment]
            placed = [kept + i for i, was in enumerate(moved) if was >= old_length]
    merges: list[int] = []
    # (no new commit is a merge, as after one commit on top: no git process to find none — 35 ms of a 0.7 s re-ingest)
    if since != head and any(" " in parents for parents in new.parents):
        # the remembered merges and those of since..HEAD's first-parent chain are HEAD's only when since is on it
        since_position = log.position_of(since)
        if since_position is None or not on_first_parent_chain(log, since_position):
            return None, (f"the remembered commit {since[:12]} is not on HEAD's first-parent chain (whose pull-request "
                          "merges give their mergers review credit)")
        try:
            merges = record_merges(root, log, f"{since}..{head}", parser.max_commit_files)
        except GitError as exc:
            return None, f"reading the pull-request merges since {since[:12]} failed ({exc})"
    totals = previous.totals
    _absorb(totals, parser, log)
    totals.rename_limit_hit = totals.rename_limit_hit or RENAME_LIMIT_WARNING in stderr
    status = LogStatus(commits_total=previous.commits_total + len(new), stderr=stderr,
                       exact_renames_only=degraded.get("exact_renames_only", 0),
                       without_renames=degraded.get("without_renames", 0),
                       missing_objects=set(degraded.get("missing_objects", ())))
    return _Reading(ids, totals, log, order, status.commits_total, status, "incremental", len(new), previous.analyses,
                    kept, (old_length, since), placed, moved, merges_read=merges), ""


def head_of(root: Path, where: subprocess.CompletedProcess) -> tuple[str, bool, list[str] | None] | None:
    """What ``_WHERE_HEAD`` answered: (HEAD, whether the repository is shallow, HEAD's parents); HEAD is "" when there
    is no commit yet, the parents None when not known. None: not a git repository.

    One process says it all when HEAD and its parents can be read; else (no commit yet, a damaged repository)
    each question is asked on its own, as the first of them failing left the others unsaid."""
    lines = where.stdout.decode("utf-8", "replace").splitlines() if where.returncode == 0 else []
    if len(lines) >= 4 and lines[-1] == "--" and lines[1] in ("true", "false"):
        return lines[2], lines[1] == "true", lines[3:-1]
    inside, head_found, shallow = git_together(root, ("rev-parse", "--is-inside-work-tree"),
                                               ("rev-parse", "--verify", "-q", "HEAD"), ("rev-parse", "--is-shallow-repository"))
    if inside.returncode != 0:
        return None
    return head_found.stdout.decode("utf-8", "replace").strip(), shallow.stdout.strip() == b"true", None


def _seeded(classifier: Classifier, previous: HistoryState) -> Identities:
    """The remembered raw identities, at the indexes they had (the classifier decides their kinds again)."""
    ids = Identities(classifier)
    for (name, email), trailer in zip(previous.identity_keys, previous.from_trailer):
        ids.intern(name, email, trailer=trailer)
    if len(ids.raw) != len(previous.identity_keys):
        raise ValueError("duplicate identities")
    ids.weights[:] = previous.weights
    return ids


def mine_history(
    root: Path, identities: IdentitySettings | None = None, progress: HistoryProgress | None = None, *,
    people: Iterable[object] = (), max_coauthors: int = 5, markers: MarkerMatcher | None = None,
    observer: CommitObserver | None = None, memory: StateFile | None = None, spooled: SpooledLog | None = None,
    max_commit_files: int = 100, organisations: frozenset[str] | None = None,
) -> History:
    """Read the history of HEAD at ``root`` (see the module docstring).

    ``people`` are the ``[[people]]`` entries of cairn.toml (anything with
    ``name`` and ``aliases``); ``max_coauthors`` is ``thresholds.max_coauthors``, ``max_commit_files``
    ``thresholds.max_commit_files``;
    ``markers`` finds agents named in messages (default: the built-in markers);
    ``observer`` is called with every commit's ``CommitRecord``; ``memory``
    is where the history is remembered between ingests: what it holds is used
    when it can be, and ``History.state`` is what to remember next (saved by
    the caller, once the analyses have added theirs). ``spooled`` is the log of HEAD
    already under way (``history_stream.SpooledLog``), used if the whole history is read; the caller closes it.
    ``organisations``: the GitHub organisations CODEOWNERS names teams of (``codeowners.organisations``), when the
    caller has read it (None: read here, if a merge names a login).
    Never raises for repository problems (not a repository, no commits,
    missing objects, a failing ``git``): they become notes and warnings on the
    returned ``History``, and ``History.completeness`` says how much was read.
    """
    root = Path(root)
    settings = identities or IdentityValues()
    history = History(identity_patterns={"agents": list(settings.agents), "bots": list(settings.bots),
                                         "humans": list(settings.humans)})
    try:  # the questions are independent: asked at once, and answered while the identity patterns are compiled
        asked = GitTogether.start(root, _WHERE_HEAD, ("version",))
    except GitError as exc:
        history.notes.append(f"git is not available ({exc}): no history read")
        return history
    try:
        mailmap = read_mailmap(root)
        markers = markers or MarkerMatcher.build()
        classifier = Classifier.from_settings(settings.model_copy(update={"agents": list(settings.agents) + markers.identity_patterns}))
        where, version = asked.results()
    finally:
        asked.cancel()
    found = head_of(root, where)
    if found is None:
        history.notes.append(f"{root} is not a git repository: no history read")
        return history
    head, history.shallow, head_parents = found
    if not head:
        history.notes.append("the repository has no commits yet: no history, no knowledge")
        return history
    history.notes.extend(mailmap.problems)
    declared = [DeclaredPerson(str(getattr(p, "name")), tuple(getattr(p, "aliases", ()) or ())) for p in people]

    def parser_for(ids: Identities) -> LogParser:
        return LogParser(ids, max_coauthors=max_coauthors, max_commit_files=max_commit_files, markers=markers,
                         observer=observer, breaks=BreakRenames(root))

    fingerprint = None
    reading = None
    previous = None
    why: str | None = None
    if memory is not None and memory.usable and not history.shallow:
        marker_digest = repr((markers.pattern.pattern, markers.agents, markers.keywords))
        fingerprint = mining_fingerprint(root, settings, declared, max_coauthors, marker_digest,
                                         git_version=version.stdout.decode("utf-8", "replace").strip(),
                                         max_commit_files=max_commit_files)
        previous = memory.load()
        if previous is not None:
            why = fingerprint_change(previous.fingerprint, fingerprint)
            if why is None:
                try:
                    ids = _seeded(classifier, previous)
                except ValueError:
                    ids, why = None, "the history state holds the same identity twice"
                if ids is not None:
                    reading, why = _read_new(root, previous, ids, parser_for(ids), head, head_parents)
    if memory is not None:
        history.notes.extend(memory.notes)
    if reading is None and why:
        history.notes.append(f"history read in full: {why}")
    if reading is None:
        # With no log spooled beforehand (a history state that could not be used: another build of Cairn, a rewritten
        # history), it is spooled now, so that a long history is written by two gits as on a first ingest: one git
        # walking 300,000 commits held 890 MB, more than the whole ingest.
        own = SpooledLog.start(root, head) if spooled is None and head else None
        try:
            ids = Identities(classifier)
            reading = _read_all(root, ids, parser_for(ids), head, progress, spooled or own)
            if (spooled or own) is not None and reading.status.failure is not None:
                # git failed writing the spooled log (a full disk, say): read it again from a pipe, as without a spool
                ids = Identities(classifier)
                reading = _read_all(root, ids, parser_for(ids), head, progress)
        finally:
            if own is not None:
                own.close()
    totals, status = reading.totals, reading.status
    record_completeness(history, status, totals.commits)
    if totals.rename_limit_hit:
        history.notes.append(
            "git skipped rename detection in some large commits (diff.renameLimit): files renamed there start a new history"
        )
    if totals.bad_email:
        history.notes.append(f"{totals.bad_email} commit(s) with an empty, malformed or placeholder author e-mail "
                             "(none@none): those authors are matched by name only")
    if totals.squashes_without_credit:
        history.notes.append(
            f"{totals.squashes_without_credit} commit(s) with more than {max_coauthors} co-authors (squashes): "
            "their co-authors got no review credit (thresholds.max_coauthors)"
        )
    if reading.merges_failed:
        history.notes.append(f"the pull-request merges could not be read ({reading.merges_failed}): their mergers got "
                             "no review credit")
    if totals.sweeps:
        history.notes.append(
            f"{totals.sweeps} commit(s) modifying more than {max_commit_files} files (sweeps: headers, formatting, "
            "dependency updates): their changes count as nobody's knowledge (thresholds.max_commit_files)"
        )
    if progress is not None:
        progress(totals.commits, max(status.commits_total or 0, totals.commits))

    ids = reading.ids
    keys = list(ids.index)
    weights, from_trailer = list(ids.weights), list(ids.from_trailer)
    resolve_people(root, history, ids, totals, reading.log, reading.stream_order, mailmap, declared, head, organisations)
    take_back_self_reviews(history.person_reviews, reading.log, history.identity_person, max_commit_files)
    history.commits = totals.commits
    history.merges = totals.merges
    history.agent_commits = totals.agent_commits
    history.bot_commits = totals.bot_commits
    history.squash_merged = totals.squash_merged
    history.newest_commit_at = totals.newest or None
    history.log = reading.log
    history.mined, history.new_commits = reading.mined, reading.new_commits
    history.kept_prefix, history.remembered, history.placed = reading.kept_prefix, reading.remembered, reading.placed
    history.moved = reading.moved
    history.merges_touched = brought_in(reading.log, reading.merges_read)
    replaced = sum(1 for name, email in ids.raw if "\ufffd" in name or "\ufffd" in email)
    if replaced:
        history.notes.append(f"{replaced} identit(y/ies) with non-UTF-8 names: shown with replacement characters")
    if fingerprint is not None and _rereadable(history, status, totals.commits) and not reading.merges_failed:
        degraded = degraded_read({"missing_objects": sorted(status.missing_objects),
                                  "exact_renames_only": status.exact_renames_only,
                                  "without_renames": status.without_renames})
        # the commits read since the file's head are all it lacks: appended on top, nothing else of it differs
        appended = (reading.mined == "incremental" and previous is not None and history.new_from is not None
                    and previous.fingerprint == fingerprint and previous.degraded == degraded)
        history.state = HistoryState(
            repo=str(root.resolve()), fingerprint=fingerprint, head=head, commits_total=status.commits_total or totals.commits,
            identity_keys=keys, weights=weights, from_trailer=from_trailer, stream_order=reading.stream_order,
            totals=totals, log=reading.log, analyses=dict(reading.analyses),
            changed=not appended or reading.new_commits > 0, degraded=degraded,
            rereads=reading.new_commits if appended else None, saved_size=previous.saved_size if previous is not None else 0,
        )
    return history


def _rereadable(history: History, status: LogStatus, read: int) -> bool:
    """Whether a later ingest may go on from this read: every commit of HEAD's history was read (not a shallow clone,
    no commit skipped, git did not fail). Objects git could not read (a partial clone) are remembered with it
    (``HistoryState.degraded``): the next ingest reads everything again once any of them is there."""
    total = status.commits_total
    return (not history.shallow and status.failure is None and not status.unreadable
            and (total is None or read >= total))
