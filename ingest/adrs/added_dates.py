"""The date a decision record was added to the repository, for the records that state none.

Open edX's OEP-19 records, and many others, carry no date; the commit that
added the file is when the decision was recorded. One ``git log`` over the
undated records' folders (additions only, ``--no-renames``: a record moved
to another folder is dated by the move) gives each path the date of its
newest addition, the one the present file comes from. A shallow clone dates
nothing: its oldest commit seems to add every file.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from cairn.ingest.checkout import git_output

_RECORD = "\x01"


def added_dates(root: Path, paths: list[str]) -> dict[str, str]:
    """Path -> ``YYYY-MM-DD`` of the commit that added it (author date), for each of ``paths`` git knows."""
    if not paths or git_output(root, "rev-parse", "--is-shallow-repository") != "false":
        return {}  # (a shallow clone's oldest commit "adds" every file it has: no date rather than a wrong one)
    wanted = set(paths)
    folders = sorted({posixpath.dirname(p) or "." for p in paths})
    out = git_output(root, "log", "--no-renames", "--diff-filter=A", f"--format={_RECORD}%aI", "--name-only",
                     "--", *folders)
    found: dict[str, str] = {}
    for record in (out or "").split(_RECORD)[1:]:
        date, _, names = record.partition("\n")
        for name in names.split("\n"):
            if name in wanted and name not in found:  # newest first: the addition the present file comes from
                found[name] = date.strip()[:10]
    return found
