"""The latest commits of the files Cairn keeps no history for, read from git when a question needs them.

The ingest keeps knowledge (KNOWS edges) of the files with a language only
(``ingest.files``): documentation, configuration and data — ``docs/*.rst``,
``requirements/*.txt``, ``.github/workflows/*.yml``, ``go.mod`` — have no
File node and no history in the store, though people do know them (8 active
people edited celery's ``docs/userguide/tasks.rst`` in its last year). Keeping
them at ingest would add half as many KNOWS edges again to celery's store
(2,146 author-file pairs beside its 3,940; a quarter more for prometheus and
caddy, twice as many for flask), and File nodes every query of the code
would then have to tell apart. What a check or a question about such a file
needs is its own latest commits: ``latest_commits(root, commit, paths)``
reads, for each path (at most ``MAX_PATHS``), ``git log COMMIT -n
PATH_COMMITS --follow --no-merges --use-mailmap`` (one git process a path,
run together), which costs the walk of one path's history: 0.01 s for a file
changed often, 0.2 s for prometheus's NOTICE (7 commits in 18,400). Who those
commits' authors are among the stored people is ``queries.path_knowledge``'s
business.
"""

from __future__ import annotations

import re
from pathlib import Path

from cairn.graph.path_commits import PATH_COMMITS, PathCommit
from cairn.ingest.git import GitError, git_together
from cairn.ingest.knowledge_rows import iso_time

#: at most this many paths are read for one question (a change's largest first: the caller orders them)
MAX_PATHS = 10

_COMMIT = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_FORMAT = "--format=%aN%x1f%aE%x1f%at"


def latest_commits(root: Path, commit: str | None, paths: list[str]) -> dict[str, list[PathCommit]]:
    """The latest commits (newest first, at most ``PATH_COMMITS``) that changed each of the first ``MAX_PATHS`` of
    ``paths`` in the history of ``commit`` (HEAD when None), following renames; a path git knows no commit of has
    none, and nothing is said of any path when git cannot be asked (no checkout, a commit it does not hold)."""
    if commit is not None and not _COMMIT.match(commit):
        return {}
    wanted = list(dict.fromkeys(p for p in paths if p))[:MAX_PATHS]
    if not wanted:
        return {}
    rev = commit or "HEAD"
    commands = [("log", rev, f"-n{PATH_COMMITS}", "--follow", "--no-merges", "--use-mailmap", _FORMAT, "--",
                 f":(literal){path}") for path in wanted]
    try:
        done = git_together(root, *commands)
    except (GitError, OSError):
        return {}
    out: dict[str, list[PathCommit]] = {}
    for path, proc in zip(wanted, done):
        if proc.returncode != 0:
            continue
        commits = []
        for line in proc.stdout.decode("utf-8", errors="replace").splitlines():
            parts = line.split("\x1f")
            if len(parts) == 3 and parts[2].isdigit():
                commits.append(PathCommit(parts[0], parts[1], iso_time(int(parts[2])) or ""))
        out[path] = commits
    return out
