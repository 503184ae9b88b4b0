"""Who is who: every person Cairn resolved, the identities merged into each, and likely duplicates left apart.

Identity resolution (``ingest.identities``) is conservative: it never merges
on a one-word name, an initial or a look-alike spelling. That keeps two
different people apart, and sometimes keeps one person split. ``people``
shows the result so a user can check it, and lists the pairs that look like
one person but were not merged, with the reason, so they can be joined with
a ``[[people]]`` entry in cairn.toml (or a ``.mailmap`` line):

* the same name once case, spacing and diacritics are folded (one-word names
  such as "alice" and "Alice" are never merged on their own) — not a full name
  that is one person's own and that the other, who goes by a full name of
  another first name and surname, bears only from commits at their address
  (webpack's Sebastian Beltran, three of whose commits carry Alexander Akait's
  address);
* the same e-mail local part when it looks personal (``jane.doe@work.example``
  and ``jane.doe@home.example``, ``lord63``), when the two share a surname
  ("Nick Zaccardi" / "Nicholas Zaccardi") or when one goes by the local part
  as a name — not as their first name when more than two people share the
  local part (celery's ``michael@`` of Michael Permana, Michael Fladischer and
  Michael Elsdörfer, who also committed as "michael") —, so that
  alex@one.example and alex@other.example stay apart; or a GitHub login equal
  to another person's e-mail local part, on the same condition. A local part
  naming a service (``github.com@``) is anyone's per-service alias;
* full names one letter apart ("Julius Volz" / "Julius Voltz"; names with
  digits or initials are left out of this one);
* a surname of six letters or more that only these two people bear, with
  first names that are one another's initial or short form, share their
  first three letters, or are two letters apart ("V. Kuznetsov" / "Vasily
  Kuznetsov", "Zack" / "Zachary", "George" / "György" Krajcsovits; not
  "Jacob" / "Jordan" Macdonald);
* a first name and a surname's initial ("Jamie B") beside the one other
  person whose full name has that first name and a surname beginning with
  that letter, unless the first also bears such a full name (svelte's "Simon
  H" is Simon Holthausen, not "Simon He") or the two are two GitHub accounts
  (vite's @dummdidumm and @simon-he95), or the first one's address spells
  another such name (loki's "Sean P." ``sean.pedersen@…`` and Sean Porter);
  identity resolution joins such a pair when one commit names both as its
  author or co-authors (rule 16 of ``ingest.identities``);
* a handle — a one-word name, a login or an e-mail local part, five letters
  or more — of someone who goes by no full name, that is the first name's
  initial and the surname of the one full name in the history that fits it
  (gson's "jwilson" ``jwilson@squareup.com`` and Jesse Wilson), unless the two
  are two GitHub accounts; identity resolution joins such a pair when one
  commit names both (rule 20 of ``ingest.identities``);
* a GitHub login that is a first name and more, in the e-mail address of
  another person, when one of them goes by that first name and the other's
  full name begins with it ("Lev" @levb / Lev Brouk ``levbrouk@…``; "Neil"
  ``neilalexanderr@…`` / Neil Alexander @neilalexander);
* a CODEOWNERS login that matched nobody (a person known only from
  CODEOWNERS) and appears in someone's folded name ("@brancz" / "Frederic
  Branczyk"), e-mail local part, or personal e-mail domain
  (``@jkroepke`` / ``mail@jkroepke.de``).

Only humans are compared: bots and agents hold no knowledge either way.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any, Iterable

from cairn.graph.people import PLACEHOLDER_NAMES, abbreviates, fold_name, noreply_login, surname_initial
from cairn.graph.model import Label, Node, RepoGraph

#: E-mail local parts that many different people use.
GENERIC_LOCAL_PARTS = frozenset({
    "info", "admin", "root", "noreply", "no-reply", "me", "mail", "dev", "git", "github", "contact", "hello",
    "user", "test", "dev-null", "devnull", "support", "team", "office", "webmaster", "postmaster", "nobody",
})
MAX_NOTES = 50
#: Said of a likely duplicate found by a one-word name (a table lists such pairs under one heading that says it once).
ONE_WORD_NAMES = " (one-word names are never merged on their own)"
#: What to do about a likely duplicate.
IF_SO = "If so, add a [[people]] entry to cairn.toml (name and aliases) and ingest again"
#: Mail providers: their domain says nothing about the person.
PROVIDER_DOMAINS = frozenset({
    "gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "msn", "icloud", "me", "mac", "aol", "gmx", "web",
    "protonmail", "proton", "pm", "mail", "yandex", "qq", "163", "126", "fastmail", "posteo", "users", "example",
})


def _person_row(node: Node) -> dict[str, Any]:
    return {
        "id": node.key, "name": str(node.get("name") or node.key), "kind": node.get("kind") or "human",
        "names": list(node.get("names") or ([node.get("name")] if node.get("name") else [])),
        "stray_names": list(node.get("stray_names") or []),
        "emails": list(node.get("emails") or []), "logins": list(node.get("logins") or ([node["github"]] if node.get("github") else [])),
        "commits": int(node.get("commits") or 0), "last_active": node.get("last_active"),
        "declared_only": bool(node.get("declared_only")),
    }


def _local_parts(row: dict[str, Any]) -> set[str]:
    parts = set()
    for email in row["emails"]:
        if noreply_login(email):
            continue
        local = email.split("@", 1)[0].lower()
        if len(local) >= 3 and local not in GENERIC_LOCAL_PARTS and not _SERVICE_ALIAS.match(local):
            parts.add(local)
    return parts


#: A local part naming the service an address was made for (``github.com@bulk.harnly.net``, Martijn Pieters'
#: ``github.com@zopatista.com``): many people's per-service aliases look alike.
_SERVICE_ALIAS = re.compile(r"^[a-z0-9-]+\.(?:com|org|net|io)$")


def _first_names(names: set[str]) -> set[str]:
    """The first words of the full names among these (folded) names."""
    return {name.split()[0] for name in names if " " in name}


def _one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def _names_agree(a: set[str], b: set[str], local: str, sharers: int = 2) -> bool:
    """Whether two people sharing the e-mail local part ``local`` plausibly are one: they share a surname (a word
    after the first, 3+ letters), or the address looks personal (``marc.schlaich``, ``lord63``), or one of them
    goes by that very local part as a name — not a first name of theirs when more than two people (``sharers``) use
    the local part. ``alex@…`` on two domains with two different names is two people, and so are celery's Michael
    Permana, Michael Fladischer and Michael Elsdörfer (all ``michael@…``; he also committed as "michael"), while
    Ask Solem and "ask" (``ask@0x61736b.net``), alone with theirs, may be one."""
    surnames_a = {w for n in a for w in n.split()[1:] if len(w) >= 3}
    surnames_b = {w for n in b for w in n.split()[1:] if len(w) >= 3}
    if surnames_a & surnames_b:
        return True
    if len(local) >= 6 and any(not ch.isalpha() for ch in local):
        return True
    folded = fold_name(local).replace(" ", "")
    if sharers > 2 and folded in _first_names(a | b):
        return False
    return any(n.replace(" ", "") == folded for n in a | b)


def _declared_logins(humans: list[dict[str, Any]], folded: list[set[str]], add: Any) -> None:
    """Pair people known only from CODEOWNERS with the committers their login points at."""
    for j, row in enumerate(humans):
        if not row["declared_only"]:
            continue
        for login in row["logins"]:
            if len(login) < 4:
                continue
            for i, other in enumerate(humans):
                if other["declared_only"]:
                    continue
                if any(len(login) >= 5 and login in name.replace(" ", "") for name in folded[i] if " " in name):
                    add(i, j, f"CODEOWNERS login {login!r} appears in the name {other['name']!r}")
                for email in other["emails"]:
                    local, _, domain = email.lower().partition("@")
                    if noreply_login(email):
                        continue
                    if len(login) >= 5 and login in local and login != local:
                        add(i, j, f"CODEOWNERS login {login!r} appears in the e-mail {email!r}")
                    label = domain.split(".")[0]
                    if label == login and label not in PROVIDER_DOMAINS:
                        add(i, j, f"CODEOWNERS login {login!r} is the e-mail domain of {email!r}")


def _logins_in_addresses(humans: list[dict[str, Any]], folded: list[set[str]], add: Any) -> None:
    """Pair a person with another whose GitHub login is in their e-mail address — its local part, or its domain —
    when one of the two goes by a first name of the other's full name and the login is that first name and more:
    nats' "Neil" <neilalexanderr@gmail.com> and Neil Alexander (@neilalexander), "Lev" (@levb) and Lev Brouk
    <levbrouk@gmail.com>. (Identity resolution joins an address that is the full name run together; these are only
    alike: an extra letter, a surname's initial.)"""
    # the addresses that could hold a login, found by the login's first four letters (every run of four letters of a
    # local part) or by being the domain: a scan of every address for each login took 50 ms of django-rest-framework's
    # 1,442 people (5 ms now), and comparing every pair's names 2.5 s
    by_gram: dict[str, set[tuple[int, int, str, str]]] = {}
    by_label: dict[str, set[tuple[int, int, str, str]]] = {}
    for i, row in enumerate(humans):
        for n, email in enumerate(row["emails"]):
            if noreply_login(email):
                continue
            local, _, domain = email.lower().partition("@")
            address = (i, n, local, domain.split(".")[0])
            for k in range(len(local) - 3):
                by_gram.setdefault(local[k:k + 4], set()).add(address)
            by_label.setdefault(address[3], set()).add(address)
    for j, row in enumerate(humans):
        for login in {login.lower() for login in row["logins"]}:
            if len(login) < 4:
                continue
            candidates = by_gram.get(login[:4], set()) | (by_label.get(login, set()) if login not in PROVIDER_DOMAINS else set())
            for i, _, local, label in sorted(candidates):
                in_local = login in local and login != local
                if i == j or not (in_local or label == login):
                    continue
                first = _first_name_between(folded[i], folded[j])
                if first is None or not login.startswith(first) or login == first:
                    continue
                if in_local:
                    add(i, j, f"GitHub login {login!r} appears in the e-mail '{local}@…' and {first!r} is a first name of both")
                else:
                    add(i, j, f"GitHub login {login!r} is the e-mail domain of '{local}@{label}…' and {first!r} is a first name of both")


def _first_name_between(a: set[str], b: set[str]) -> str | None:
    """The one-word name of one of two people that is the first word of a full name of the other, if any."""
    for one, other in ((a, b), (b, a)):
        firsts = _first_names(other)
        for name in sorted(one):
            if " " not in name and name in firsts:
                return name
    return None


def _shared_surnames(folded: list[set[str]], add: Any) -> None:
    """Pairs whose full names share a rare surname (no third person bears it) and begin with the same letter."""
    bearers: dict[str, dict[int, str]] = {}
    for i, names in enumerate(folded):
        for name in sorted(names):
            words = name.split()
            if len(words) >= 2 and len(words[-1]) >= 6 and all(w.isalpha() for w in words):
                bearers.setdefault(words[-1], {}).setdefault(i, name)
    for surname, named in bearers.items():
        if len(named) != 2:
            continue
        (i, a), (j, b) = sorted(named.items())
        if a != b and _first_names_alike(a.split()[0], b.split()[0]):
            add(i, j, f"the same surname {surname!r}, which nobody else bears, and first names alike ({a!r} / {b!r})")


def _initials_beside_full_names(humans: list[dict[str, Any]], add: Any) -> None:
    """Pair a person going by a first name and a surname's initial with the one other person whose full name fits it
    (module docstring), unless the two are two GitHub accounts or the first one's address spells another full name
    that fits."""
    full_names: dict[str, list[tuple[int, str]]] = {}  # first name (folded) -> (person, full name as written)
    for i, row in enumerate(humans):
        for name in sorted(row["names"]):
            words = name.split()
            if len(words) >= 2 and "@" not in name and fold_name(words[-1]).replace(" ", "").isalpha():
                full_names.setdefault(fold_name(words[0]), []).append((i, name))
    for i, row in enumerate(humans):
        for name in sorted(row["names"]):
            short = surname_initial(name)
            if short is None:
                continue
            fitting = {(j, full) for j, full in full_names.get(short[0], ()) if abbreviates(short, full)}
            people = {j for j, _ in fitting}
            if i in people or len(people) != 1:
                continue
            j = people.pop()
            logins = [{login.lower() for login in humans[k]["logins"]} for k in (i, j)]
            if logins[0] and logins[1] and not logins[0] & logins[1]:
                continue
            theirs = {fold_name(n) for n in humans[j]["names"]}
            if any(abbreviates(short, spelled) and spelled not in theirs for spelled in _names_spelled(row)):
                continue  # (loki's "Sean P." <sean.pedersen@…> is not Sean Porter)
            full = min(full for _, full in fitting)
            add(i, j, f"{name!r} may be {full!r} with the surname's initial, the one full name that fits")


#: The shortest handle (a first name's initial and a surname) that makes a likely duplicate: "jli" may be many people
INITIAL_AND_SURNAME = 5


def _handles_of_initial_and_surname(humans: list[dict[str, Any]], folded: list[set[str]], add: Any) -> None:
    """Pair a person who goes by no full name, with a handle — a one-word name, a login or an address's local part,
    letters only — that is the first name's initial and the surname of the one full name of the history that fits
    it, with the person of that name: gson's "jwilson" ``jwilson@squareup.com`` (17 commits, the 2.8.0 release) and
    Jesse Wilson (278). Identity resolution joins such a pair when one commit names both (rule 20 of
    ``ingest.identities``); two GitHub accounts stay two."""
    fits: dict[str, set[tuple[int, str]]] = {}  # handle -> (person, full name) it may stand for
    for i, names in enumerate(folded):
        for name in names:
            words = name.split()
            if len(words) >= 2 and len(words[0]) >= 2 and len(words[-1]) >= 3 and all(w.isalpha() for w in words):
                fits.setdefault(words[0][0] + words[-1], set()).add((i, name))
    for i, row in enumerate(humans):
        if any(len(words := name.split()) >= 2 and any(len(w) >= 2 for w in words[:-1]) for name in folded[i]):
            continue  # (a full name of their own, "W. Trevor King" too: the handle is theirs)
        handles = {name for name in folded[i] if " " not in name} | {login.lower() for login in row["logins"]}
        handles |= {email.partition("@")[0].lower() for email in row["emails"] if not noreply_login(email)}
        for handle in sorted(h for h in handles if len(h) >= INITIAL_AND_SURNAME and h.isalpha() and h.isascii()):
            named = fits.get(handle, set())
            if len({full for _, full in named}) != 1:
                continue
            ((j, full),) = named
            logins = [{login.lower() for login in humans[k]["logins"]} for k in (i, j)]
            if logins[0] and logins[1] and not logins[0] & logins[1]:
                continue
            add(i, j, f"{handle!r} is the initial and surname of {full!r}, the one full name that fits")


def _names_spelled(row: dict[str, Any]) -> set[str]:
    """The full names (folded) a person's e-mail local parts spell, two words of letters or more joined by ".", "_" or
    "-" (``sean.pedersen@…``)."""
    spelled = set()
    for local in _local_parts(row):
        words = re.split(r"[._-]", local)
        if len(words) >= 2 and all(len(w) >= 2 and w.isalpha() for w in words):
            spelled.add(" ".join(words))
    return spelled


def _first_names_alike(a: str, b: str) -> bool:
    """One first name written two ways: the same, an initial or short form of the other, the same first three letters,
    or at most two letters apart beginning with the same letter (helix's "Ryan" and "Sean" Russell are two people)."""
    short, long = sorted((a, b), key=len)
    if short[:1] != long[:1]:
        return False
    if long.startswith(short) or short[:3] == long[:3]:
        return True
    return len(short) >= 4 and _edit_distance(short, long, limit=2) <= 2


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it is known to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


#: The shortest GitHub login that, as another person's one-word name, makes the two likely one person ("alex" is
#: many people's name)
LOGIN_AS_NAME = 5


def likely_duplicates(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs of human rows that look like one person (module docstring), each with its reasons."""
    humans = [r for r in rows if r["kind"] == "human"]
    reasons: dict[tuple[int, int], list[str]] = {}

    def add(i: int, j: int, why: str) -> None:
        key = (min(i, j), max(i, j))
        if why not in reasons.setdefault(key, []):
            reasons[key].append(why)

    by_name: dict[str, list[int]] = {}
    by_local: dict[str, list[int]] = {}
    by_login: dict[str, list[int]] = {}
    folded: list[set[str]] = []
    for i, row in enumerate(humans):
        # the names the person used (the display name may carry an address that tells two of them apart), without an
        # address a name holds ("Michael Elsdoerfer michael@elsdoerfer.com")
        names = {fold_name(" ".join(w for w in n.split() if "@" not in w)) for n in row["names"] or [row["name"]]} - {""}
        folded.append(names)
        for name in sorted(names):  # sets of strings iterate in a per-process order: the reasons' order must not
            by_name.setdefault(name, []).append(i)
        for part in sorted(_local_parts(row)):
            by_local.setdefault(part, []).append(i)
        for login in row["logins"]:
            by_login.setdefault(login.lower(), []).append(i)
    for name, members in by_name.items():
        if name in PLACEHOLDER_NAMES:  # "root", "unknown": many people's machines, nobody in particular
            continue
        for i, j in combinations(sorted(set(members)), 2):
            if not _name_of_someone_else(name, humans[i]["name"], humans[j]["name"]):
                add(i, j, f"same name {name!r}" + (ONE_WORD_NAMES if " " not in name else ""))
    for part, members in by_local.items():
        for i, j in combinations(sorted(set(members)), 2):
            if _names_agree(folded[i], folded[j], part, len(set(members))):
                add(i, j, f"same e-mail local part {part!r}")
        for j in by_login.get(part, ()):
            for i in set(members):
                if i != j and _names_agree(folded[i], folded[j], part):
                    add(i, j, f"GitHub login {part!r} equals an e-mail local part")
    # a one-word name that is another person's GitHub login (commons-lang's "alhudz <al.hudz.k@…>", seven co-author
    # trailers, and "alhuda", whose noreply address is @alhudz's): one-word names never merge on their own
    for login, owners in by_login.items():
        if len(login) < LOGIN_AS_NAME:
            continue
        for i in by_name.get(login, ()):
            for j in owners:
                if i != j:
                    add(i, j, f"named {login!r}, the GitHub login of the other")
    # full names one letter apart, compared within blocks that share their first three letters
    blocks: dict[str, list[tuple[int, str]]] = {}
    for i, names in enumerate(folded):
        for name in sorted(names):  # full names of words only ("Helper 1" and "Helper 2" are different people)
            words = name.split()
            if len(words) >= 2 and len(name) >= 8 and all(w.isalpha() and len(w) >= 2 for w in words):
                blocks.setdefault(name[:3], []).append((i, name))
    for block in blocks.values():
        for (i, a), (j, b) in combinations(block, 2):
            if i != j and _one_edit_apart(a, b):
                add(i, j, f"names one letter apart ({a!r} / {b!r})")
    _shared_surnames(folded, add)
    _initials_beside_full_names(humans, add)
    _handles_of_initial_and_surname(humans, folded, add)
    _declared_logins(humans, folded, add)
    _logins_in_addresses(humans, folded, add)
    out = []
    for (i, j), why in sorted(reasons.items(), key=lambda item: (-humans[item[0][0]]["commits"] - humans[item[0][1]]["commits"], item[0])):
        a, b = humans[i], humans[j]
        out.append({"people": [a["id"], b["id"]], "names": [a["name"], b["name"]], "reasons": why})
    return out


def _name_of_someone_else(name: str, first: str, second: str) -> bool:
    """Whether the full ``name`` two people share is one's own and, to the other, someone else's: the other goes by
    a full name of another first name and surname, and bears ``name`` only from commits at their address. webpack's
    Alexander Akait "was" Sebastian Beltran (three commits authored so at Akait's noreply address), and the two
    maintainers were listed as likely one person."""
    if " " not in name:
        return False
    own = [fold_name(first), fold_name(second)]
    if (own[0] == name) == (own[1] == name):
        return False
    other = (own[1] if own[0] == name else own[0]).split()
    words = name.split()
    return len(other) >= 2 and other[0] != words[0] and other[-1] != words[-1]


def likely_duplicates_among(nodes: Iterable[Node]) -> list[dict[str, Any]]:
    """``likely_duplicates`` of these Person nodes (each pair's ``people``: their keys)."""
    return likely_duplicates([_person_row(n) for n in nodes])


def people(graph: RepoGraph) -> dict[str, Any]:
    """``{"people": [{"name", "kind", "names", "stray_names", "emails", "logins", "commits", "last_active", "id", "declared_only"}],
    "likely_duplicates": [...], "notes": [...]}``, people with the most commits first."""
    rows = sorted((_person_row(n) for n in graph.of_label(Label.PERSON)), key=lambda r: (-r["commits"], r["name"].casefold(), r["id"]))
    duplicates = likely_duplicates(rows)
    notes = [
        f"likely the same person, not merged: {d['names'][0]!r} ({d['people'][0]}) and {d['names'][1]!r} ({d['people'][1]}): "
        f"{'; '.join(d['reasons'])}. {IF_SO}"
        for d in duplicates[:MAX_NOTES]
    ]
    if len(duplicates) > MAX_NOTES:
        notes.append(f"{len(duplicates) - MAX_NOTES} more likely duplicate(s) in likely_duplicates")
    return {"repository": graph.repo, "people": rows, "likely_duplicates": duplicates, "notes": notes}
