"""The latest commits of a path, as git gives them: what the reader (``ingest.path_history``) hands the analyses
(``queries.path_knowledge``, the reviewers and who-knows) for the files Cairn keeps no history of."""

from __future__ import annotations

from dataclasses import dataclass

#: the latest commits read of one path: enough to tell who works on it now, bounded whatever its history
PATH_COMMITS = 100


@dataclass(frozen=True)
class PathCommit:
    """One commit that changed a path: its author's name and e-mail (as ``.mailmap`` maps them) and time (UTC ISO, as
    the store keeps times)."""

    name: str
    email: str
    when: str
