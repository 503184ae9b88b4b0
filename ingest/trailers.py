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

A trailer's value is read by ``trailer_contact``: ``Name <address>``, and never
an e-mail out of brackets that hold no address (poetry's 9e1324e1f).
"""

from __future__ import annotations

import re
from typing import Iterable

from cairn.ingest.identities import is_valid_email, parse_contact
from cairn.ingest.lazy_pattern import LazyPattern

#: The trailer keys (lower-case) that name a commit's co-authors.
CO_AUTHOR_KEYS = ("co-authored-by", "co-developed-by")
#: The trailer keys (lower-case) that name a commit's reviewers.
REVIEW_KEYS = ("reviewed-by",)


def git_trailer_keys(keys: Iterable[str]) -> str:
    """``keys`` as the options of git's ``%(trailers:…)`` placeholder: ``key=Co-authored-by,key=Co-developed-by``."""
    return ",".join(f"key={key.capitalize()}" for key in keys)


#: A trailer key pasted before the name: "Co-authored-by: Signed-off-by: Jane <…>".
_PASTED_KEY = LazyPattern(r"^(?:[A-Za-z]+-)+by:\s*", re.IGNORECASE)  # (no trailer among the new commits: not compiled)


def trailer_contact(value: str) -> tuple[str, str] | None:
    """The (name, e-mail) a trailer's value names, or None when it names nobody.

    ``Name <address>`` as ``identities.parse_contact`` reads it (a pasted key before the name dropped); ``Name <>``
    is a name without an address. Brackets that hold something else never give an e-mail: poetry's 9e1324e1f has
    ``Co-authored-by: finswimmer77@gmail.com <GiWahnsinn07!>``, the address where the name goes and, in the
    brackets, what may be a password. When the name is an address, that address is the contact, without a name
    (the bracket text is neither a name nor an address to show); otherwise the trailer names nobody. A value
    without brackets names nobody either."""
    contact = parse_contact(value)
    if contact is None:
        return None
    name, email = contact
    name = _PASTED_KEY.sub("", name)
    if not email or is_valid_email(email):
        return name, email
    return ("", name) if is_valid_email(name) else None
