"""Where the commits of a re-ingest go among the remembered ones, as ``git log HEAD`` walks them.

``history._read_new`` reads the commits since the remembered head and must put them where a full read
would: git's walk goes newest commit date first (ties: first queued first), so the new commits come first
unless a merged branch's commits are older than remembered ones. ``new_commits_first`` replays the walk over
the new commits to tell; ``walk_until_kept`` reads git's own walk only as far as the new commits reach into
the remembered ones. Both fall back to the safe answer (place by git's full walk) whenever the replay cannot
be sure: the remembered log keeps first parents only, so the walk of remembered commits is never replayed.
"""

from __future__ import annotations

import contextlib
import heapq
from pathlib import Path

from cairn.ingest.commits import CommitLog, StreamColumns
from cairn.ingest.git import GitError, git_stream

__all__ = ["new_commits_first", "walk_until_kept"]


def new_commits_first(new: StreamColumns, log: CommitLog) -> bool:
    """Whether ``git log HEAD`` gives ``new`` (``since..HEAD``, in stream order) first and then the remembered
    commits (``log``, before the new ones are appended) as ``git log <remembered>`` did.

    git's walk (newest commit date first, ties first queued first) is replayed over the new commits, with the
    remembered commits they have as parents (the remembered head, or where a pull-request branch forked) queued at
    their dates: every new commit must come out before any remembered one, in the order git gave. A remembered
    parent ``X`` was queued earlier than the remembered walk queued it; the walk still reaches it where it did when
    every commit the remembered walk gave before it (its later positions) is strictly newer: none of them can wait
    behind ``X``, and among equal dates ``X`` was first already. Otherwise the new commits are placed by ``git
    rev-list`` (``walk_until_kept``)."""
    by_sha = {sha: index for index, sha in enumerate(new.shas)}
    queue = [(-new.committed[0], 0, new.shas[0])]
    queued = {new.shas[0]}
    walked: list[str] = []
    forks: list[int] = []  # positions of remembered commits the new ones have as parents
    count = 1
    while queue:
        _, _, sha = heapq.heappop(queue)
        if sha not in by_sha:
            if len(walked) < len(new):
                return False  # a remembered commit comes before new ones
            continue
        walked.append(sha)
        for parent in new.parents_of(by_sha[sha]):
            if parent in queued:
                continue
            if parent in by_sha:
                when = new.committed[by_sha[parent]]
            else:
                position = log.position_of(parent)
                if position is None:
                    return False  # a parent git did not list and Cairn does not remember (a shallow or damaged log)
                forks.append(position)
                when = log.committed[position]
            queued.add(parent)
            heapq.heappush(queue, (-when, count, parent))
            count += 1
    committed, length = log.committed, len(log)
    if any(position + 1 < length and committed[position] >= min(committed[position + 1:length]) for position in forks):
        return False
    return walked == new.shas


def walk_until_kept(root: Path, head: str, log: CommitLog, length: int, new: StreamColumns
                     ) -> tuple[int, list[str]] | None:
    """How many of the ``length`` remembered positions of ``log`` (the new commits appended after them) keep their commits once git's walk of ``head`` meets the new ones
    among them, and the commits after those, newest first as ``git rev-list`` walks them (None: git failed).

    The walk is read only until it has given every new commit and exactly the remembered commits of the last
    positions (a merged branch's commits land among the newest remembered ones): git then walks the others as it did
    before, when the commits it has queued for later (the parents of those given) would come out where they did in
    the remembered walk. They do when their dates differ from each other (ties are broken by when a commit was
    queued, which the new commits changed) and each is strictly older than every remembered commit after it (so
    queued early it still waits; ``new_commits_first``'s argument). Otherwise the whole walk is read."""
    index, committed = {sha: i for i, sha in enumerate(new.shas)}, log.committed
    listed: list[str] = []
    waiting: dict[str, None] = {}  # parents of the commits listed, not listed yet
    seen_new, seen_old, lowest, checked = 0, 0, length, False
    try:
        with contextlib.closing(git_stream(root, "rev-list", "--parents", head)) as lines:
            for line in lines:
                sha, *parents = line.decode("ascii", "replace").split()
                listed.append(sha)
                waiting.pop(sha, None)
                waiting.update((parent, None) for parent in parents)
                if sha in index:
                    seen_new += 1
                else:
                    position = log.position_of(sha)
                    if position is None:
                        return None
                    seen_old += 1
                    lowest = min(lowest, position)
                if checked or seen_new < len(new) or lowest != length - seen_old:
                    continue
                checked = True  # one try: a walk that does not settle there is read to the end
                queued = [log.position_of(parent) for parent in waiting]
                if None in queued or len({committed[q] for q in queued}) != len(queued):  # type: ignore[index]
                    continue
                if all(q + 1 >= lowest or committed[q] < min(committed[q + 1:lowest]) for q in queued):  # type: ignore
                    return lowest, listed
    except GitError:
        return None
    return (0, listed) if seen_old == length and seen_new == len(new) else None
