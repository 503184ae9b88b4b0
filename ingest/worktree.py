"""Whether a checkout's tracked files are HEAD's: where the index and the work tree differ from it.

``worktree_changes`` asks git (plumbing only, both commands at once) and
answers with a ``WorktreeChanges``; the check for changes
(``ingest.freshness``) runs the same two commands beside its other questions
(``worktree_commands``, ``worktree_changes_of``). No filter driver the
checkout configures ever runs (``configured_filters``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import NamedTuple

from cairn.ingest.git import GitError, git, git_together


class WorktreeChanges(NamedTuple):
    """Where the tracked files of a checkout differ from HEAD.

    ``staged`` is ``git diff-index --cached --raw -z HEAD``: the index against
    HEAD, with both sides' modes and blob ids. ``paths`` are the tracked paths
    whose content may differ from HEAD's: those staged, and those whose work
    tree file differs from the index (``diff-files``; a file merely touched
    counts too). Empty: the tracked files are exactly HEAD's.

    (A named tuple rather than a frozen dataclass: every ingest makes this class, and a dataclass's is ten times
    slower to make, 0.3 ms.)
    """

    staged: bytes = b""
    paths: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.staged or self.paths)


#: The first of ``worktree_commands``, the same whatever filters are configured (it reads no work tree file): it may be
#: started before they are known.
STAGED = ("-c", "core.quotepath=off", "diff-index", "--cached", "--raw", "-z", "--no-ext-diff", "--no-renames", "HEAD", "--")


def configured_filters(root: Path, settings: dict[str, str] | None = None) -> set[str] | None:
    """The names of the ``filter`` drivers git's configuration defines for the checkout (None: git could not say).

    Only a configured driver can run a command, so blanking these is enough to
    keep every driver from running. ``settings`` is ``git config
    --get-regexp`` output already read (key -> value), if the caller has it.
    """
    if settings is None:
        try:
            proc = git(root, "config", "-z", "--name-only", "--get-regexp", r"^filter\.")
        except GitError:
            return None
        if proc.returncode not in (0, 1):  # 1: none configured
            return None
        keys = [k for k in proc.stdout.split("\0") if k]
    else:
        keys = list(settings)
    return {key[len("filter."):].rpartition(".")[0] for key in keys if key.startswith("filter.") and key.count(".") >= 2}


def worktree_commands(filters: set[str] | None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The two git commands ``worktree_changes`` runs: ``diff-index --cached`` (index against HEAD, no work tree
    read) and ``diff-files`` (work tree against the index). None when a filter driver's name cannot be blanked
    safely on a command line (or ``filters`` is None: unknown).

    ``diff-files`` hashes a file whose stat data changed, which applies its
    ``filter`` driver's clean command; every driver that could run
    (``filters``: those the configuration defines, ``configured_filters``, or
    those the files use, from ``check-attr``) is
    blanked on the command line, so none runs: a filtered file then simply
    counts as changed.
    """
    if filters is None or any(not re.fullmatch(r"[A-Za-z0-9_.-]+", name) for name in filters):
        return None
    blank: list[str] = []
    for name in sorted(filters):
        for key in ("clean", "smudge", "process"):
            blank += ["-c", f"filter.{name}.{key}="]
        blank += ["-c", f"filter.{name}.required=false"]
    changed = (*blank, "-c", "core.quotepath=off", "diff-files", "--name-only", "-z", "--no-ext-diff", "--")
    return STAGED, changed


def worktree_changes_of(staged: subprocess.CompletedProcess, changed: subprocess.CompletedProcess) -> WorktreeChanges | None:
    """What the two finished ``worktree_commands`` (bytes output) say; None when either failed."""
    if staged.returncode != 0 or changed.returncode != 0:
        return None
    # raw -z: ":modes shas status\0path\0" per entry; every second field is a path
    staged_paths = staged.stdout.split(b"\0")[1::2]
    paths = {p.decode("utf-8", "surrogateescape") for p in (*staged_paths, *changed.stdout.split(b"\0")) if p}
    return WorktreeChanges(staged.stdout, tuple(sorted(paths)))


def worktree_changes(root: Path, filters: set[str] | None) -> WorktreeChanges | None:
    """Where the tracked files differ from HEAD (``WorktreeChanges``; None: cannot tell safely). Untracked files do not
    count (they are not part of what Cairn reads). See ``worktree_commands``."""
    commands = worktree_commands(filters)
    if commands is None:
        return None
    try:
        staged, changed = git_together(root, *commands)
    except GitError:
        return None
    return worktree_changes_of(staged, changed)


def worktree_matches_head(root: Path, filters: set[str] | None) -> bool | None:
    """Whether the tracked files of the checkout are exactly those of HEAD (None: cannot tell safely)."""
    changes = worktree_changes(root, filters)
    return None if changes is None else not changes
