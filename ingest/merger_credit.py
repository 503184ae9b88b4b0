"""Review credit for the mergers of pull/merge requests: the merges kept in the commit log, and the records they add.

On a repository that merges pull requests with merge commits, whoever pressed
merge approved what they merged: the merge's author gets one review per file
the request brought in (``ingest.pull_request_merges`` says which merges and
which files), with the merge's author time as a touch — unless they also wrote
the branch's tip commit, under any of their identities
(``commits.CommitLog.merge_reviewer``). Only humans keep review credit
(``knowledge``), so a merge bot's merges credit nobody.

``record_merges`` reads the request merges of a revision's first-parent chain
(``HEAD``'s on a full read, ``since..HEAD``'s on an incremental one) into
``CommitLog.merged``, which the history state remembers with the log. A path a
merge brought in stands for the file at that path then: before a commit that
ended that file there (a rename away of a path made again later, a move onto
it), the name the history logs the earlier file under
(``break_renames.replaced_path``). ``merger_reviews`` is what they add to the
people's records, worked out from all of them once raw identities are resolved
into people (the self-merge is decided by person, and which identities are one
person can change with any new commit): it is
``knowledge.History.person_reviews``, beside the records summed per raw
identity. ``brought_in`` says which paths the merges of a re-ingest touched
(their files' knowledge is computed again). The remembered merges plus those
of ``since..HEAD`` are the merges of ``HEAD`` only when ``since`` lies on
HEAD's first-parent chain (``on_first_parent_chain``); else the history is
read in full.
"""

from __future__ import annotations

from pathlib import Path

from cairn.ingest.break_renames import earlier_files
from cairn.ingest.commits import NO_PARENT, CommitLog
from cairn.ingest.knowledge_rows import LAST, REVIEWS
from cairn.ingest.pull_request_merges import read_merges


def record_merges(root: Path, log: CommitLog, revision: str, max_commit_files: int) -> list[int]:
    """Read the request merges of ``revision`` (its commits already in ``log``) into ``log.merged``; their positions.

    Files no commit of the log names (made in the merge itself) are left out: no record would hold them.
    Raises ``GitError`` when git fails."""
    added = []
    index = log.path_index
    earlier: _EarlierFiles | None = None  # (made at the first merge: most reads have none)
    for merge in read_merges(root, [revision], max_commit_files):
        position = log.position_of(merge.sha)
        if position is None:
            continue
        tip = log.position_of(merge.tip)
        if earlier is None:
            earlier = _EarlierFiles(log)
        paths = [path for path in dict.fromkeys(merge.paths) if path in index]
        log.merged[position] = (NO_PARENT if tip is None else tip,
                                [earlier.at(path, position) for path in paths] if earlier.files else
                                [index[path] for path in paths])
        added.append(position)
    if added:
        log.merged = dict(sorted(log.merged.items()))
    return added


class _EarlierFiles:
    """The path id a path named at a position of ``log`` stands for: the path's own, or, before a commit that ended
    the file there (a rename away of a path made again later, a move onto it: ``break_renames.replaced_path``), the
    name that earlier file is logged under."""

    def __init__(self, log: CommitLog) -> None:
        self.log = log
        self.files = earlier_files(log.paths)
        self._ends: dict[str, list[tuple[int, int]]] = {}  # path -> (position of the commit that ended it, id), oldest first

    def at(self, path: str, position: int) -> int:
        """The path id ``path`` (a name some commit of the log names) stands for at ``position``."""
        if path in self.files:
            ends = self._ends.get(path)
            if ends is None:
                found = ((self.log.position_of_prefix(commit), pid) for commit, pid in self.files[path])
                ends = self._ends[path] = sorted((end, pid) for end, pid in found if end is not None)
            for end, pid in ends:
                if end > position:
                    return pid
        return self.log.path_index[path]


def merger_reviews(log: CommitLog, person_of: list[int]) -> dict[int, dict[int, list[int]]]:
    """What every request merge of ``log`` adds to the people's records: path id -> person -> [adds, deliveries,
    last, reviews] (``CommitLog.merge_reviewer``: by person, so worked out again from the merges once people are
    resolved; the history's records, summed per raw identity and remembered, never hold it)."""
    out: dict[int, dict[int, list[int]]] = {}
    for merge, (_, pids) in log.merged.items():
        reviewer = log.merge_reviewer(merge, person_of)
        if reviewer is None:
            continue
        when = log.authored[merge]
        for pid in pids:
            per_person = out.get(pid)
            if per_person is None:
                per_person = out[pid] = {}
            rec = per_person.get(reviewer)
            if rec is None:
                per_person[reviewer] = [0, 0, when, 1]
                continue
            rec[REVIEWS] += 1
            if when > rec[LAST]:
                rec[LAST] = when
    return out


def brought_in(log: CommitLog, positions: list[int]) -> set[int]:
    """The path ids the merges at ``positions`` brought in (whose people's records they may change)."""
    return {pid for merge in positions for pid in log.merged[merge][1]}


def on_first_parent_chain(log: CommitLog, ancestor: int, start: int | None = None) -> bool:
    """Whether position ``ancestor`` lies on the first-parent chain from ``start`` (default: the newest commit).

    Walked down from ``start`` until ``ancestor`` is met (usually a few new commits) or the chain ends: positions are
    git's walk order, which skewed commit dates can make put a first parent after its child."""
    return any(position == ancestor for position in log.first_parent_chain(start))
