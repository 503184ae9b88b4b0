"""Files moved onto a path that already held another file: found in the few commits that may hold one.

``git log -M`` pairs a deleted path with an added one; a file moved onto a path
that existed (mitmproxy's d159897d9 moved ``mitmproxy/proxy2/server.py`` onto
``mitmproxy/proxy/server.py``) shows as ``D`` of its old path and ``M`` of the
existing one, so the moved file's history is lost and the replaced file's goes
on under its path. ``git log -B -M`` finds these moves (it breaks a rewritten
file into a deletion and an addition, then pairs the addition with a deleted
path: ``R098 proxy2/server.py proxy/server.py``), but breaking compares every
modified file of every commit, ten times the cost of the whole log.

So only a commit that may hold such a move is asked about again, with ``-B
-M``, by one ``git diff-tree --stdin`` that stays up for the read
(``BreakRenames.moves``): one that deletes a path and modifies another of the
same name or in the same directory (a directory moved onto another, a file
replaced by its sibling: 11 of mitmproxy's 13 such moves, 5 of 5 of
prometheus's; the other two moved and renamed a file at once), and that modifies
at most ``max_commit_files`` files (a larger one is a sweep, whose
modifications count for nobody, and where breaking costs most: vendor updates
of hundreds of files took 60% of the time on prometheus). A move is taken only where the log
said ``D old`` and ``M new`` and ``-B -M`` says ``R old new``; everything else
of the commit is kept as the log gave it (``rewritten``).

What a move means (``log_parser.LogParser`` applies it): the commit renames
``old`` to ``new`` (the moved file's history carries on under ``new``), and
deletes the file that was at ``new`` before, whose history ends there: the
changes of ``new`` in the commits before (older in the stream) are another
file's, recorded under ``replaced_path(new, commit)``, a name no git path can
have (it holds an empty path component) that keeps the directory and the file's
name (its language, its component).
"""

from __future__ import annotations

import os
from pathlib import Path

from cairn.ingest.git import GitError, GitProcess
from cairn.ingest.lazy_pattern import LazyPattern

#: what ``git diff-tree --stdin`` echoes back (a line that is no object id), after each commit's changes
_END = b"cairn-end\n"
_ARGS = ("-c", "core.quotepath=off", "diff-tree", "--stdin", "-r", "-B", "-M", "--name-status", "-z", "--no-commit-id",
         "--no-ext-diff", "--no-textconv", "--no-color")


_REPLACED = LazyPattern(r"(?:^|/)replaced-[0-9a-f]{12}//[^/]+$")


def replaced_path(path: str, commit: str) -> str:
    """The name the file at ``path`` is recorded under before ``commit`` moved another file onto it."""
    directory, _, name = path.rpartition("/")
    marker = f"replaced-{commit[:12]}/"
    return f"{directory}/{marker}/{name}" if directory else f"{marker}/{name}"


def is_replaced_path(name: str) -> bool:
    """Whether a logged path is a ``replaced_path``."""
    return "//" in name and _REPLACED.search(name) is not None


def deleted_and_modified(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The paths a commit's change tokens (``status path`` or ``Rnn old new``; the first status follows a line break)
    delete and modify."""
    deleted: list[str] = []
    modified: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i].lstrip("\n")
        if not token:
            i += 1
            continue
        if i + 1 < n:
            if token == "D":
                deleted.append(tokens[i + 1])
            elif token == "M":
                modified.append(tokens[i + 1])
        i += 3 if token[0] in "RC" else 2
    return deleted, modified


def may_move(deleted: list[str], modified: list[str], max_modified: int) -> bool:
    """Whether a commit that deletes ``deleted`` and modifies ``modified`` is asked about (module docstring)."""
    if not deleted or not modified or len(modified) > max_modified:
        return False
    names, directories = set(), set()
    for path in deleted:
        directory, _, name = path.rpartition("/")
        names.add(name)
        directories.add(directory)
    for path in modified:
        directory, _, name = path.rpartition("/")
        if name in names or directory in directories:
            return True
    return False


def rewritten(tokens: list[str], moves: dict[str, str], commit: str) -> list[str]:
    """A commit's change tokens with each move (``moves``: new path -> old path) as a rename of the old path and a
    deletion of the replaced file (``replaced_path``) in place of the new path's ``M``, and the old path's ``D``
    left out."""
    moved_from = set(moves.values())
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i].lstrip("\n")
        if not token:
            i += 1
            continue
        width = 3 if token[0] in "RC" else 2
        change = [token, *tokens[i + 1:i + width]]
        i += width
        if token == "D" and change[1] in moved_from:
            continue
        if token == "M" and change[1] in moves:
            path = change[1]
            out += ["R", moves[path], path, "D", replaced_path(path, commit)]
            continue
        out += change
    if out:
        out[0] = "\n" + out[0]
    return out


class BreakRenames:
    """Asks git which of a commit's deletions and modifications are moves onto an existing path (module docstring),
    through one ``git diff-tree --stdin -B -M`` started at the first question; ``close`` ends it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.asked = 0  # commits asked about
        self.found = 0  # commits with a move
        self._git: GitProcess | None = None

    def moves(self, commit: str, deleted: list[str], modified: list[str]) -> dict[str, str]:
        """The moves of ``commit`` (new path -> old path) among the paths the log says it ``deleted`` and
        ``modified``; empty when there is none or git cannot tell (a missing blob: the log's changes stand)."""
        self.asked += 1
        changes = self._ask(commit)
        if not changes:
            return {}
        deleted_set, modified_set = set(deleted), set(modified)
        found = {}
        j, n = 0, len(changes)
        while j < n:
            status = changes[j]
            if status[:1] in ("R", "C"):
                if status[0] == "R" and j + 2 < n and changes[j + 1] in deleted_set and changes[j + 2] in modified_set:
                    found[changes[j + 2]] = changes[j + 1]
                j += 3
            else:
                j += 2
        if found:
            self.found += 1
        return found

    def _ask(self, commit: str) -> list[str]:
        """``git diff-tree -B -M``'s change tokens for ``commit`` (empty: git failed)."""
        try:
            if self._git is None:
                self._git = GitProcess(self.root, *_ARGS)
            proc = self._git.proc
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(commit.encode("ascii") + b"\n" + _END)
            proc.stdin.flush()
            fd = proc.stdout.fileno()
            out = b""
            while not (out == _END or out.endswith(b"\0" + _END)):
                data = os.read(fd, 1 << 16)
                if not data:
                    raise OSError("git diff-tree ended")
                out += data
        except (GitError, OSError, ValueError):
            self.close()  # (a missing blob ends git: the next question starts another)
            return []
        return out[:-len(_END)].decode("utf-8", "surrogateescape").split("\0")[:-1]

    def close(self) -> None:
        if self._git is not None:
            git, self._git = self._git, None
            git.close()
