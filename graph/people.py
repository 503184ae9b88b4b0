"""People: the one way to find a Person node by what someone calls them, and the knowledge holders of a component.

A person is named in many ways — ``--leaving "José O'Neil"``, a reviewer
``@jose``, a PR author ``jose <jose@example.com>``, a CODEOWNERS handle, a
review record ``12345+jose@users.noreply.github.com``. ``PersonIndex`` answers
all of them the same way, from the Person nodes' own properties:

=========  ==============================================================  ===========
tier       keys                                                            folded by
=========  ==============================================================  ===========
id         the node key                                                    as written
e-mail     ``emails`` and the e-mail of every ``Name <email>`` alias        lowercase
login      ``github``, ``@handle`` owner handles, GitHub noreply logins     lowercase
name       ``name``, ``display_name`` and the name part of every alias     case, accents,
                                                                           punctuation, spacing
=========  ==============================================================  ===========

A lookup tries the tiers strongest first and answers with the people of the
first tier that matches (so an e-mail never loses to a namesake). ``@x`` also
matches the one person whose e-mail starts with ``x@`` when nobody else's does.

``KnowledgeHolder`` is the typed entry of a component's ``knowledge_holders``
property (written by the bus-factor annotation, read by the card, the reading
list and the PR check): who (``id`` is the Person key), how many files of the
component they author, and their share of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from cairn.graph.model import Label, Node, RepoGraph

_CONTACT = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$", re.IGNORECASE)


def fold_name(name: str) -> str:
    """Case, accents, punctuation and spacing folded away: ``"José  O'Neil"`` → ``"jose o neil"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", stripped.casefold()))


def fold_email(email: str) -> str:
    return email.strip().strip("<>").strip().lower()


def split_contact(text: str) -> tuple[str, str]:
    """``"Name <email>"`` → (name, email); anything else → (text, "")."""
    match = _CONTACT.match(text)
    if match:
        return match.group(1).strip().strip('"').strip(), match.group(2).strip()
    return text.strip(), ""


def noreply_login(email: str) -> str | None:
    """The GitHub login behind a noreply address, lowercased; None for any other address."""
    match = _NOREPLY.match(email.strip())
    return match.group(1).lower() if match else None


class PersonIndex:
    """Every Person of a graph by every name they go by (see the module docstring)."""

    def __init__(self, people: Iterable[Node] = ()):
        self._ids: dict[str, Node] = {}
        self._tiers: tuple[dict[str, dict[str, Node]], ...] = ({}, {}, {})  # e-mail, login, name
        self._local_parts: dict[str, dict[str, Node]] = {}
        for person in sorted(people, key=lambda n: n.key):
            self.add(person)

    @classmethod
    def of(cls, graph: RepoGraph) -> "PersonIndex":
        return cls(graph.of_label(Label.PERSON))

    def add(self, person: Node) -> None:
        """Index one more Person node (one created while the index is in use, say)."""
        emails, logins, names = self._tiers
        self._ids[person.key] = person
        contacts = [str(a) for a in person.get("aliases") or []]
        for raw in list(person.get("emails") or []) + [split_contact(c)[1] for c in contacts]:
            email = fold_email(str(raw))
            if email:
                emails.setdefault(email, {})[person.key] = person
                self._local_parts.setdefault(email.split("@", 1)[0], {})[person.key] = person
                login = noreply_login(email)
                if login:
                    logins.setdefault(login, {})[person.key] = person
        handles = [person.get("github")] + [h for h in person.get("owner_handles") or [] if str(h).startswith("@")]
        for handle in handles:
            if handle:
                logins.setdefault(str(handle).lstrip("@").lower(), {})[person.key] = person
        for raw in [person.get("name"), person.get("display_name")] + [split_contact(c)[0] for c in contacts]:
            name = fold_name(str(raw or ""))
            if name:
                names.setdefault(name, {})[person.key] = person

    def find(self, text: str) -> list[Node]:
        """The people ``text`` names, from the strongest tier that matches; empty when nobody."""
        text = str(text or "").strip()
        if not text:
            return []
        if text in self._ids:
            return [self._ids[text]]
        emails, logins, names = self._tiers
        name, email = split_contact(text)
        lookups: list[tuple[dict[str, dict[str, Node]], str]] = []
        if email:
            lookups += [(emails, fold_email(email)), (logins, noreply_login(email) or "")]
        elif text.startswith("@"):
            lookups += [(logins, text[1:].lower()), (names, fold_name(text[1:]))]
        elif "@" in text:
            lookups += [(emails, fold_email(text)), (logins, noreply_login(text) or "")]
        else:
            lookups += [(logins, text.lower())]
        lookups.append((names, fold_name(name)))
        for tier, key in lookups:
            found = tier.get(key) if key else None
            if found:
                return [found[k] for k in sorted(found)]
        if text.startswith("@"):
            local = self._local_parts.get(text[1:].lower(), {})
            if len(local) == 1:
                return list(local.values())
        return []

    def one(self, text: str) -> Node | None:
        """The one person ``text`` names; None when it names nobody or several people."""
        found = self.find(text)
        return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class KnowledgeHolder:
    """One person holding a component's knowledge: ``person`` (display name), ``id`` (Person key), files authored, share."""

    person: str
    id: str | None
    files_authored: int
    share: float

    def to_props(self) -> dict[str, Any]:
        return {"person": self.person, "id": self.id, "files_authored": self.files_authored, "share": self.share}

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> "KnowledgeHolder":
        return cls(str(props.get("person") or props.get("id") or ""), props.get("id"),
                   int(props.get("files_authored") or 0), float(props.get("share") or 0.0))

    @classmethod
    def of(cls, node: Node | None) -> list["KnowledgeHolder"]:
        """The knowledge holders stored on a Component (or Repository) node, best first."""
        if node is None:
            return []
        return [cls.from_props(h) for h in node.get("knowledge_holders") or [] if isinstance(h, dict)]
