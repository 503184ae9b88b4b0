"""Starting the whole history's ``git log`` as the first thing a cold ingest does, and where the history is remembered.

A cold ingest waits for git walking the history more than for anything else; git needs only the commit to walk,
so ``spool_history`` starts it (``history_stream.SpooledLog``) before the ingest checks the checkout for changes,
imports its readers or parses the code: git walks on one core meanwhile. It starts none when the history is
remembered (``state_path`` exists: an ingest then reads only the new commits, later). This module stays light
(nothing of the history's modules is imported unless a log is started): an ingest that finds nothing changed
passes here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cairn.ingest.digest import sha1

if TYPE_CHECKING:
    from cairn.ingest.history_stream import SpooledLog


def state_path(cache_dir: Path, root: Path) -> Path:
    """The history state of the repository at ``root`` in ``cache_dir`` (``ingest.history_state``)."""
    digest = sha1(str(Path(root).resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(cache_dir) / f"history-{digest}.state"


def spool_history(root: Path, cache_dir: Path | None) -> "SpooledLog | None":
    """The whole log of HEAD at the checkout ``root``, started now, when an ingest of it will read the whole
    history: nothing is remembered of it (no history state in ``cache_dir``). None: the ingest reads only new
    commits, later, or there is no commit (or git cannot be started here). The log is of the commit HEAD is now;
    the history's reader drops it when HEAD moved before it reads (``history._read_all``); the caller closes it."""
    if cache_dir is not None and state_path(cache_dir, root).exists():
        return None
    from cairn.ingest.git import GitError, git

    try:
        head = git(root, "rev-parse", "--verify", "--quiet", "HEAD").stdout.strip()
    except GitError:
        return None
    if not head:
        return None
    from cairn.ingest.history_stream import SpooledLog

    return SpooledLog.start(root, head)
