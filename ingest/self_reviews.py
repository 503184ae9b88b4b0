"""Review credit a commit gave its own author under another identity, taken back once people are resolved.

While the log is read, a trailer (``Co-authored-by``, ``Reviewed-by``…) gets
review credit unless it is visibly the author (``identities.co_author_is_author``
on the raw identities). Whether two identities are one person is only known
once every identity is resolved (helix's 6997ee915 by Ricardo Fernández Serrata
``<…+Rudxain@users.noreply.github.com>``, ``Co-authored-by: Rudxain
<rudxain@localhost.localdomain>``; Nik Revenco's two GitHub logins on one
numeric id), and it can change with any new commit, so it is never stored: the
records keep what the log gave, per raw identity, and ``take_back_self_reviews``
works out, from the commit log and the people, the reviews to take back — one
per change that credited a person who is the commit's author: an addition, or a
modification or rename outside a sweep (``log_parser``: more than
``max_commit_files`` of them), exactly the changes the reading credited. A
trailer whose GitHub noreply address bears the author's account number under
another login (a renamed account) is the author too: identity resolution makes
one person of the two (``identities``' rule 4).

They go into the reviews decided by person (``knowledge.History.person_reviews``)
as records ``[0, 0, 0, -n]``: folded with the path's records, they take ``n``
reviews from the person and change no touch. Only commits that credit someone
are looked at.
"""

from __future__ import annotations

from collections import Counter
from itertools import compress
from operator import ne

from cairn.ingest.commits import CommitLog
from cairn.ingest.knowledge_rows import REVIEWS

_ADDED, _MODIFIED, _RENAMED = ord("A"), ord("M"), ord("R")

def take_back_self_reviews(into: dict[int, dict[int, list[int]]], log: CommitLog, person_of: list[int],
                           max_commit_files: int) -> None:
    """Add to ``into`` (path id -> person -> record) the reviews to take back (module docstring): of a credited
    identity that resolves to the commit's author (``person_of``: each raw identity's person)."""
    if not person_of:
        return
    ends = log.credited_end
    credited, author, status, path = log.credited, log.author, log.change_status, log.change_path
    change_end = log.change_end
    for position in compress(range(len(ends)), map(ne, ends, [0, *ends[:-1]])):
        writer = author[position]
        person = person_of[writer]
        start = ends[position - 1] if position else 0
        selves = Counter(person_of[r] for r in credited[start:ends[position]] if person_of[r] == person)
        if not selves:
            continue
        changes = range(change_end[position - 1] if position else 0, change_end[position])
        sweep = sum(status[c] in (_MODIFIED, _RENAMED) for c in changes) > max_commit_files
        for c in changes:
            letter = status[c]
            if letter == _ADDED or (not sweep and letter in (_MODIFIED, _RENAMED)):
                per_person = into.setdefault(path[c], {})
                for who, n in selves.items():
                    rec = per_person.get(who)
                    if rec is None:
                        per_person[who] = [0, 0, 0, -n]
                    else:
                        rec[REVIEWS] -= n
