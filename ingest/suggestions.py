"""Review suggestions GitHub applied, as a change's history shows them: whose co-authorship was a review.

On GitHub a reviewer proposes a change as a suggestion; once the pull request's
author applies it, GitHub makes the commit itself: committer ``GitHub
<noreply@github.com>`` (``GITHUB_COMMITTER``), subject "Apply suggestions from
code review", "Apply suggestion from @x" or "Update FILE" (one suggestion on
one file; ``SUGGESTION_SUBJECT``), and the suggestion's author named in a
``Co-authored-by`` trailer. That co-author reviewed the change; the one who
applied it wrote it.

* ``is_suggestion_commit(committer_email, subject)``: a commit of suggestions
  as GitHub made it (a pull request merged with its commits keeps them).
* ``squashed_suggesters(body)``: "Squash and merge" folds the branch's commits
  into one, its body listing each squashed commit as an item — ``* SUBJECT``,
  then that commit's body with its trailers — then ``---------`` and every
  co-author of them again as the squash's own trailers. A co-author named only
  under items whose subject is a suggestion's applied suggestions: scrapy's
  11079cb1c (#7866) ends ``* Update docs/topics/extensions.rst`` /
  ``Co-authored-by: Adrian``, Adrián Chaves's suggestion on the docs of
  Andrey Rakhmatullin's extension, and its squash trailer then names him as a
  co-author like anyone who pushed to the branch. One named under any other
  item (a squashed commit they co-wrote) is a writer, as is one named in the
  closing trailers only (the author of squashed commits: no item names its
  author). Contacts are compared by e-mail (lower-case), else by name.
"""

from __future__ import annotations

import re

from cairn.graph.people import split_contact
from cairn.ingest.trailers import CO_AUTHOR_KEYS, trailer_contact

#: The committer of the commits GitHub makes itself: a review's suggestions applied, an edit in its web editor, a
#: squash merge.
GITHUB_COMMITTER = "noreply@github.com"
#: The subjects GitHub gives a commit of review suggestions ("Apply suggestions from code review", "Apply suggestion
#: from @x", "Update tests/test_cells.py"), not a squash merge's ("… (#123)").
SUGGESTION_SUBJECT = re.compile(r"^(?:Apply suggestions? |Update \S+$)(?!.*\(#\d+\)$)")
#: A squashed commit's item in a squash merge's body ("* Update docs/topics/extensions.rst").
_ITEM = re.compile(r"^\* (\S.*?)\s*$")
#: A co-author trailer line ("Co-authored-by: Adrian <adrian@zyte.com>").
_CO_AUTHOR_LINE = re.compile(r"^(?:%s):\s*(\S.*?)\s*$" % "|".join(map(re.escape, CO_AUTHOR_KEYS)), re.IGNORECASE)
#: The line GitHub puts between a squash's items and its own trailers.
_ITEMS_END = "---------"


def is_suggestion_commit(committer_email: str, subject: str) -> bool:
    """Whether a commit is one GitHub made of review suggestions (see the module docstring)."""
    return committer_email == GITHUB_COMMITTER and SUGGESTION_SUBJECT.match(subject) is not None


def contact_key(name: str, email: str) -> str:
    """How co-authors are compared: the lower-case e-mail, else the case-folded name."""
    return email.strip().lower() if email.strip() else name.strip().casefold()


def squashed_suggesters(body: str) -> frozenset[str]:
    """The ``contact_key``s of the co-authors a squash merge's ``body`` names only under squashed commits of review
    suggestions (see the module docstring); empty for a body without items."""
    suggested: set[str] = set()
    wrote: set[str] = set()
    in_suggestion: bool | None = None  # None: before the first item
    for line in body.splitlines():
        if line.strip() == _ITEMS_END:
            break
        item = _ITEM.match(line)
        if item:
            in_suggestion = SUGGESTION_SUBJECT.match(item.group(1)) is not None
            continue
        trailer = _CO_AUTHOR_LINE.match(line)
        if trailer is None or in_suggestion is None:
            continue
        value = trailer.group(1)
        contact = trailer_contact(value) if "<" in value else split_contact(value)
        if contact is not None:
            (suggested if in_suggestion else wrote).add(contact_key(*contact))
    return frozenset(suggested - wrote)
