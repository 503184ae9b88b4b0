"""The date a decision record was added to the repository, for the records that state none.

Open edX's OEP-19 records, and many others, carry no date; the commit that
added the file is when the decision was recorded. One ``git log`` over the
undated records' folders (additions only, ``--no-renames``) gives each path
the commit of its newest addition, the one the present file comes from. When
that commit moved the record from elsewhere (cometbft moved its records from
``docs/architecture/`` to ``docs/references/architecture/`` in 2025, the
Guardian's dotcom-rendering its own into the app's folder; git's rename
detection over that one commit says so), the record is dated by the addition
of the file it was moved from, before the move, and so on back, at most
``MAX_MOVES`` moves. Only a commit that added several of the records is asked
whether it moved them: one that added a record alone seldom did.

Following the moves costs a ``git show`` per such commit and a ``git log`` per
move; what it finds depends only on the history before the record's newest
addition, so it is remembered with that commit (``Remembered``, kept by the
caller in its cache) and worked out again only when the newest addition is
another commit. Under ``CAIRN_VERIFY_SKIPS`` it is worked out every time and
compared. A shallow clone dates nothing: its oldest commit seems to add every
file.

The ``git log`` over the records' folders reads the whole history below them
(a tenth of a second on cometbft's 11,000 commits), on every ingest. What it
found is kept too (``LastLog``: the commit it started from, the folders, the
records asked for and each one's newest addition), and when the commits since
are one line of single-parent commits ending at that one (the usual commit,
pull or fast-forward), only they are read: ``git log`` walks such a line first
and then exactly what it walked from the kept commit, so the newest additions
are the line's, else the kept ones. A merge, a rewritten history, other
folders or a record not asked for last time read the whole history again; under
``CAIRN_VERIFY_SKIPS`` it is read every time and compared.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from typing import Any

from cairn.graph.store import verifying_skips
from cairn.ingest.checkout import git_output

_RECORD = "\x01"
#: How many moves of a record are followed back to its first addition.
MAX_MOVES = 5
#: Record path -> [its newest addition's commit, the date found for it].
Remembered = dict[str, list[str]]
#: What the last ``git log`` of the additions found: {"head": commit, "folders": [...], "wanted": [...],
#: "newest": {path: [commit, date]}} (JSON, kept by the caller).
LastLog = dict[str, Any]


def added_dates(root: Path, paths: list[str], remembered: Remembered | None = None,
                last_log: LastLog | None = None) -> dict[str, str]:
    """Path -> ``YYYY-MM-DD`` of the commit that first added it (author date), following its moves back, for each of
    ``paths`` git knows. ``remembered`` and ``last_log`` (updated in place): what an earlier call found, kept by the
    caller."""
    if not paths:
        return {}
    shallow, _, head = (git_output(root, "rev-parse", "--is-shallow-repository", "HEAD") or "").partition("\n")
    if shallow != "false" or not head:
        return {}  # (a shallow clone's oldest commit "adds" every file it has: no date rather than a wrong one)
    remembered = {} if remembered is None else remembered
    newest = _newest_additions(root, set(paths), head, {} if last_log is None else last_log)
    dates: dict[str, str] = {}
    unknown = []
    for path in paths:
        if path not in newest:
            continue
        kept = remembered.get(path)
        if kept is not None and len(kept) == 2 and kept[0] == newest[path][0] and not verifying_skips():
            dates[path] = kept[1]
        else:
            unknown.append(path)
    found = _following_moves(root, unknown, newest)
    for path, date in found.items():
        kept = remembered.get(path)
        if verifying_skips() and kept is not None and kept[0] == newest[path][0] and kept[1] != date:
            raise AssertionError(f"{path}: the date remembered for its addition ({kept[1]}) is not the one found ({date})")
        remembered[path] = [newest[path][0], date]
        dates[path] = date
    for path in list(remembered):
        if path not in newest:
            del remembered[path]
    return dates


def _newest_additions(root: Path, wanted: set[str], head: str, last_log: LastLog) -> dict[str, tuple[str, str]]:
    """``_additions(root, wanted)`` at ``head``, from ``last_log`` and the commits since when they are one line of
    single-parent commits ending at its commit; ``last_log`` is then made this one's."""
    folders = _folders(wanted)
    kept = None
    if last_log.get("folders") == folders and wanted <= set(last_log.get("wanted") or ()) \
            and isinstance(last_log.get("head"), str) and _pairs(last_log.get("newest")):
        since = _line_since(root, last_log["head"], head)
        if since is not None:
            kept = {p: (c, d) for p, (c, d) in last_log["newest"].items() if p in wanted}
            if since:
                kept.update(_additions(root, wanted, head, last_log["head"]))
    newest = _additions(root, wanted, head) if kept is None or verifying_skips() else kept
    if kept is not None and kept != newest:
        raise AssertionError(f"the records' additions kept from {last_log['head']} and the commits since are not the "
                             "ones the whole history gives")
    last_log.clear()
    last_log.update(head=head, folders=folders, wanted=sorted(wanted), newest={p: list(v) for p, v in newest.items()})
    return newest


def _pairs(newest: Any) -> bool:
    return isinstance(newest, dict) and all(isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
                                            for v in newest.values())


def _line_since(root: Path, old: str, head: str) -> int | None:
    """How many commits ``head`` is past ``old`` when they are one line of single-parent commits ending at ``old``
    (``git log`` then walks them before all it walks from ``old``); None when not."""
    if old == head:
        return 0
    out = git_output(root, "rev-list", "--parents", head, f"^{old}", "--")
    parent: dict[str, str] = {}
    for line in (out or "").split("\n"):
        ids = line.split()
        if len(ids) != 2:
            return None  # a merge, a root commit, or no answer from git
        parent[ids[0]] = ids[1]
    commit, steps = head, 0
    while commit in parent:
        commit, steps = parent[commit], steps + 1
    return steps if commit == old and steps == len(parent) else None


def _following_moves(root: Path, paths: list[str], newest: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Each of ``paths`` (whose newest additions are ``newest``'s) -> the date of its first addition, its moves
    followed back."""
    added = dict(newest)
    earlier = {p: p for p in paths}  # each record -> its path at the addition found so far
    for _ in range(MAX_MOVES):
        bulk = Counter(added[p][0] for p in set(earlier.values()))
        moves = _moves(root, {c for c, n in bulk.items() if n > 1}, set(earlier.values()))
        moved = False
        for commit, moved_from in moves.items():  # the sources' additions before the move (history goes back and forth)
            before = _additions(root, set(moved_from.values()), f"{commit}^")
            for record, path in earlier.items():
                source = moved_from.get(path)
                if source is not None and source in before and added[path][0] == commit:
                    added[source] = before[source]
                    earlier[record] = source
                    moved = True
        if not moved:
            break
    return {record: added[path][1] for record, path in earlier.items()}


def _folders(wanted: set[str]) -> list[str]:
    return sorted({posixpath.dirname(p) or "." for p in wanted})


def _additions(root: Path, wanted: set[str], start: str = "HEAD", since: str | None = None) -> dict[str, tuple[str, str]]:
    """Path -> (commit, date) of its newest addition in the history of ``start`` (not in that of ``since``), for
    each of ``wanted`` git saw added."""
    out = git_output(root, "log", "--no-renames", "--diff-filter=A", f"--format={_RECORD}%H %aI", "--name-only",
                     start, *([f"^{since}"] if since else []), "--", *_folders(wanted))
    found: dict[str, tuple[str, str]] = {}
    for record in (out or "").split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        commit, _, date = head.strip().partition(" ")
        for name in names.split("\n"):
            if name in wanted and name not in found:  # newest first: the addition the present file comes from
                found[name] = (commit, date[:10])
    return found


def _moves(root: Path, commits: set[str], paths: set[str]) -> dict[str, dict[str, str]]:
    """Commit -> {path: the path it was moved from} for each of ``paths`` one of ``commits`` made by moving a file."""
    moves: dict[str, dict[str, str]] = {}
    for commit in sorted(commits):
        out = git_output(root, "show", "-M", "--name-status", "--format=", "--no-color", commit)
        for line in (out or "").split("\n"):
            status, _, rest = line.partition("\t")
            if status.startswith("R"):
                old, _, new = rest.partition("\t")
                if new in paths:
                    moves.setdefault(commit, {})[new] = old
    return moves
