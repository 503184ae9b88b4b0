"""People: how a person is written down, the one way to find a Person node by it, and a component's knowledge holders.

Folding (shared by ``ingest``, which resolves identities into people, and by
``queries``, which look people up by what a user types): ``fold_name`` (case,
spacing, punctuation and diacritics folded, including the letters Unicode
does not decompose: "Bartłomiej Płotka" = "Bartlomiej Plotka"), ``fold_email``, ``mailbox`` (the key an address is
compared by: a Gmail address without dots, googlemail.com as gmail.com),
``noreply_login`` (the GitHub login of a noreply address), ``split_contact``,
``PLACEHOLDER_NAMES`` (names too common to say anything) and ``surname_initial`` / ``abbreviates`` (a first name
and a surname's initial, "Simon H.", and the full names it may stand for).

A person is named in many ways — ``--leaving "José O'Neil"``, a reviewer
``@jose``, a PR author ``jose <jose@example.com>``, a CODEOWNERS handle, a
review record ``12345+jose@users.noreply.github.com``. ``PersonIndex`` answers
all of them the same way, from the Person nodes' own properties:

=========  ==============================================================  ===========
tier       keys                                                            folded by
=========  ==============================================================  ===========
id         the node key                                                    as written
e-mail     ``emails``, e-mail owner handles and the e-mail of every         ``mailbox``
           ``Name <email>`` alias
login      ``logins``, ``github``, ``@handle`` owner handles, GitHub        lowercase
           noreply logins
name       ``name``, ``names`` (every name of their own),                   ``fold_name``
           ``display_name`` and the name part of every alias but
           ``stray_names`` (others' names at their addresses, rule 11 of
           ``ingest.identities``)
=========  ==============================================================  ===========

A lookup tries the tiers strongest first and answers with the people of the
first tier that matches (so an e-mail never loses to a namesake). ``@x`` that
is nobody's login falls back, in order, to the one person whose name folds to
``x`` (someone who committed as "juliusv"), the one person whose e-mail local
part is ``x``, and the one person whose full name, folded without spaces, is
``x`` ("Rémy Léone" for ``@remyleone``); each only when exactly one person
matches. ``PersonIndex.one_by_login`` gives the login to the person a
fallback found (CODEOWNERS and review records name people by login).

``KnowledgeHolder`` is the typed entry of a component's ``knowledge_holders``
property (written by the bus-factor annotation, read by the card, the reading
list and the PR check): who (``id`` is the Person key), how many files of the
component they author, and their share of them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from cairn.graph.model import Label, Node, RepoGraph

_CONTACT = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")
#: A GitHub noreply address, also cut short of its ``.com`` (mypy's two ``Co-authored-by: Valentin Stanciu
#: <250871+svalentin@users.noreply.github>``, beside his 36 commits at the whole address).
NOREPLY_RE = re.compile(r"^(?:(\d+)\+)?([^@+]+)@users\.noreply\.github(?:\.com)?$", re.IGNORECASE)

#: Names that many different people use; never merged by name.
PLACEHOLDER_NAMES = frozenset({
    "", "root", "unknown", "admin", "administrator", "user", "ubuntu", "ec2user", "vagrant", "git", "github",
    "none", "null", "nobody", "localhost", "test", "your name", "yourname", "name", "me", "dev", "developer",
})

#: Letters that Unicode does not decompose into a base letter and a mark, folded by hand (NFKD leaves "ł" alone).
_FOLD = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ß": "ss", "ẞ": "SS",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H",
    "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ƒ": "f", "ŋ": "n", "Ŋ": "N", "ĸ": "k",
})


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1 << 16)  # (an ingest folds each person's names many times: cometbft 4,300 for 480 people)
def fold_name(name: str) -> str:
    """Case, diacritics, punctuation and spacing folded away: ``"José  O'Neil"`` → ``"jose o neil"``,
    ``"Bartłomiej Płotka"`` → ``"bartlomiej plotka"``."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped.casefold().translate(_FOLD)))


def fold_email(email: str) -> str:
    return email.strip().strip("<>").strip().lower()


#: Mail domains that deliver to one mailbox whatever dots or ``+tag`` its local part holds (Gmail; googlemail.com is
#: gmail.com where Google could not use that name).
_GMAIL = frozenset({"gmail.com", "googlemail.com"})


def mailbox(email: str) -> str:
    """The mailbox an address delivers to, as Cairn compares addresses (``fold_email``; a Gmail address without the
    dots and ``+tag`` of its local part, at gmail.com: pydantic's ``rohan.santhoshkumar@googlemail.com`` is
    ``rohansanthoshkumar@gmail.com``). Only a key: the addresses shown stay as written."""
    address = fold_email(email)
    local, at, domain = address.rpartition("@")
    if not at or domain not in _GMAIL or not local:
        return address
    return local.partition("+")[0].replace(".", "") + "@gmail.com"


_SURNAME_INITIAL = re.compile(r"^\s*([^\W\d_]{2,}(?:[-'][^\W\d_]+)*)\s+([^\W\d_])\.?\s*$")


def surname_initial(name: str) -> tuple[str, str] | None:
    """(first name, the surname's initial), folded, of a name written as a first name and a surname's initial ("Simon
    H" or "Simon H." → ``("simon", "h")``, rule 16 of ``ingest.identities``); None for any other name."""
    m = _SURNAME_INITIAL.match(name)
    if m is None:
        return None
    first, initial = fold_name(m.group(1)), fold_name(m.group(2))
    return (first, initial) if len(first) >= 2 and len(initial) == 1 else None


def abbreviates(short: tuple[str, str], name: str) -> bool:
    """Whether a full name as written has the first name of ``short`` (``surname_initial``) and a surname, its last
    word, beginning with its initial ("Simon Holthausen" for "Simon H"; "Tom Parker-Shemilt" for "Tom P", not "Tom
    S")."""
    words = name.split()
    if len(words) < 2:
        return False
    surname = fold_name(words[-1]).replace(" ", "")
    return fold_name(words[0]) == short[0] and len(surname) >= 2 and surname.startswith(short[1])


def split_contact(text: str) -> tuple[str, str]:
    """``"Name <email>"`` → (name, email); anything else → (text, "")."""
    match = _CONTACT.match(text)
    if match:
        return match.group(1).strip().strip('"').strip(), match.group(2).strip()
    return text.strip(), ""


def noreply_login(email: str) -> str | None:
    """The GitHub login behind a noreply address, lowercased; None for any other address."""
    match = NOREPLY_RE.match(email.strip())
    return match.group(2).lower() if match else None


def noreply_account(email: str) -> str | None:
    """The GitHub account number of a noreply address (``154856872+nik-rev@…``: ``154856872``), which an account
    keeps when its login is renamed; None for any other address, and for an old noreply address without one."""
    match = NOREPLY_RE.match(email.strip())
    return match.group(1) if match else None


class PersonIndex:
    """Every Person of a graph by every name they go by (see the module docstring)."""

    def __init__(self, people: Iterable[Node] = ()):
        self._ids: dict[str, Node] = {}
        self._tiers: tuple[dict[str, dict[str, Node]], ...] = ({}, {}, {})  # e-mail, login, name
        self._local_parts: dict[str, dict[str, Node]] = {}
        self._joined_names: dict[str, dict[str, Node]] = {}  # full names folded without spaces
        for person in sorted(people, key=lambda n: n.key):
            self.add(person)

    @classmethod
    def of(cls, graph: RepoGraph) -> "PersonIndex":
        return cls(graph.of_label(Label.PERSON))

    def add(self, person: Node) -> None:
        """Index one more Person node (one created while the index is in use, or one that got a new login)."""
        emails, logins, names = self._tiers
        self._ids[person.key] = person
        contacts = [str(a) for a in person.get("aliases") or []]
        handles = [str(h) for h in person.get("owner_handles") or []]
        addresses = list(person.get("emails") or []) + [split_contact(c)[1] for c in contacts]
        addresses += [h for h in handles if not h.startswith("@") and "@" in h]
        for raw in addresses:
            email = fold_email(str(raw))
            if email:
                emails.setdefault(mailbox(email), {})[person.key] = person
                self._local_parts.setdefault(email.split("@", 1)[0], {})[person.key] = person
                login = noreply_login(email)
                if login:
                    logins.setdefault(login, {})[person.key] = person
        for handle in [person.get("github"), *(person.get("logins") or []), *(h for h in handles if h.startswith("@"))]:
            if handle:
                logins.setdefault(str(handle).lstrip("@").lower(), {})[person.key] = person
        spellings = [person.get("name"), person.get("display_name"), *(person.get("names") or [])]
        strays = {fold_name(str(n)) for n in person.get("stray_names") or []}  # others' names at their address
        for raw in spellings + [split_contact(c)[0] for c in contacts]:
            name = fold_name(str(raw or ""))
            if name and name not in strays:
                names.setdefault(name, {})[person.key] = person
                joined = name.replace(" ", "")
                if " " in name and len(joined) >= 4:
                    self._joined_names.setdefault(joined, {})[person.key] = person

    def find(self, text: str) -> list[Node]:
        """The people ``text`` names, from the strongest tier that matches; empty when nobody."""
        text = str(text or "").strip()
        if not text:
            return []
        if text in self._ids:
            return [self._ids[text]]
        if text.startswith("@"):
            return self.find_login(text[1:])[0]
        emails, logins, names = self._tiers
        name, email = split_contact(text)
        lookups: list[tuple[dict[str, dict[str, Node]], str]] = []
        if email:
            lookups += [(emails, mailbox(email)), (logins, noreply_login(email) or "")]
        elif "@" in text:
            lookups += [(emails, mailbox(text)), (logins, noreply_login(text) or "")]
        else:
            lookups += [(logins, text.lower())]
        lookups.append((names, fold_name(name)))
        for tier, key in lookups:
            found = tier.get(key) if key else None
            if found:
                return [found[k] for k in sorted(found)]
        return []

    def find_login(self, login: str) -> tuple[list[Node], bool]:
        """The people a GitHub login names, and whether it is theirs already (False: found by a fallback of the
        module docstring, a name, an e-mail local part or a joined full name, each naming exactly one person)."""
        login = login.strip().lstrip("@").lower()
        if not login:
            return [], False
        found = self._tiers[1].get(login)
        if found:
            return [found[k] for k in sorted(found)], True
        for table, key in ((self._tiers[2], fold_name(login)), (self._local_parts, login), (self._joined_names, login)):
            matched = table.get(key) if key else None
            if matched and len(matched) == 1:
                return list(matched.values()), False
        return [], False

    def one(self, text: str) -> Node | None:
        """The one person ``text`` names; None when it names nobody or several people."""
        found = self.find(text)
        return found[0] if len(found) == 1 else None

    def one_by_login(self, login: str) -> Node | None:
        """The one person a GitHub login names (``find_login``). Found by a fallback, the login becomes theirs
        (``logins``, ``github`` when they had none), so ``--leaving @login`` finds them from then on."""
        found, theirs = self.find_login(login)
        if len(found) != 1:
            return None
        person = found[0]
        if not theirs:
            login = login.strip().lstrip("@").lower()
            person.props["logins"] = sorted({*(person.get("logins") or []), login})
            person.props["github"] = person.get("github") or login
            self.add(person)
        return person


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
