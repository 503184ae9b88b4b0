"""The commit trailers that name people: which keys name co-authors and reviewers.

One definition for every reader of commits — the history (``history_stream``,
``log_parser``) and the PR check's reading of a change (``change``) — so that
whoever the history counts as a commit's co-author is also excluded from
reviewing a change it co-wrote, and detects an agent there:

* co-authors: GitHub's ``Co-authored-by`` and the Linux kernel's
  ``Co-developed-by`` (caddy's 546752e21, #7912: ``Co-developed-by: Gemini AI
  <…>``);
* reviewers: ``Reviewed-by``.

``Signed-off-by`` is not read: the one sign-off of a commit is not always its
author's (``identities``, rule 14). Keys are compared case-insensitively, as git does.
"""

from __future__ import annotations

from typing import Iterable

#: The trailer keys (lower-case) that name a commit's co-authors.
CO_AUTHOR_KEYS = ("co-authored-by", "co-developed-by")
#: The trailer keys (lower-case) that name a commit's reviewers.
REVIEW_KEYS = ("reviewed-by",)


def git_trailer_keys(keys: Iterable[str]) -> str:
    """``keys`` as the options of git's ``%(trailers:…)`` placeholder: ``key=Co-authored-by,key=Co-developed-by``."""
    return ",".join(f"key={key.capitalize()}" for key in keys)
