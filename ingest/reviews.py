"""Review records supplied from outside git (a forge's pull-request reviews), as review credit.

Authorship statistics stop telling who knows what once agents commit the code:
the humans who *review* agent work are the ones who keep the knowledge. Git
records some of that (co-author trailers, ``Reviewed-by``); a forge records the
rest. A review record says that a reviewer reviewed some files::

    {"reviewer": "Ada Lovelace <ada@example.com>" | "ada-gh-login",
     "files": ["src/shop/core/prices.py", ...],
     "pull_request": "#123", "submitted_at": "2026-11-20T10:00:00Z",
     "login": "ada-gh-login", "name": "Ada Lovelace", "email": "…"}   # optional: what a forge import knows

``add_review_records`` resolves the reviewer to a Person of the graph (by
``graph.people.PersonIndex``: e-mail, GitHub login, alias or normalised name;
a login that is nobody's yet also by a committed name, the local part of
exactly one person's e-mail or a joined full name, and it becomes that
person's login; then the forge profile's login and name when a forge import
gave them; a new human Person when nobody matches), adds one review to their
KNOWS edge of each named File that exists (creating a review-only edge, ``doa``
None, where they had none), and moves their ``last_active`` forward. Bots and
agents get no credit. The
records are kept by the store beside the graph, so every re-ingest applies
them again.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.people import PersonIndex, fold_email, noreply_login, split_contact
from cairn.ingest.config_values import IdentityValues
from cairn.ingest.identities import Classifier


def record_key(record: dict[str, Any]) -> tuple:
    """Two records with this key are the same review (submitted twice)."""
    return (record.get("reviewer"), record.get("pull_request"), tuple(sorted(record.get("files") or ())), record.get("submitted_at"))


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def add_review_records(graph: RepoGraph, records: Iterable[dict[str, Any]]) -> list[str]:
    """Apply review records to ``graph``; returns notes on what could not be applied."""
    notes: list[str] = []
    repo = graph.repository
    patterns = (repo.get("identity_patterns") if repo is not None else None) or {}
    classifier = Classifier.from_settings(IdentityValues(**patterns))
    people = PersonIndex.of(graph)
    missing_files: set[str] = set()
    for record in records:
        raw = str(record.get("reviewer") or "").strip()
        if not raw:
            notes.append("a review record without a reviewer was ignored")
            continue
        name, email = split_contact(raw)
        name = name.lstrip("@") if not email else name
        # A forge import also says the login and, when the profile shows them, the name and public e-mail.
        login = str(record.get("login") or "").strip().lstrip("@")
        display = str(record.get("name") or "").strip()
        email = email or str(record.get("email") or "").strip()
        if classifier.kind(name, email) != "human" or (login and classifier.kind(login, "") != "human"):
            continue  # bots and agents hold no knowledge, reviewing or not
        person = people.one(raw) if email else people.one_by_login(login or name)
        if person is None:
            lookups = (["@" + login] if login else []) + ([display] if display else []) + [name]
            person = next((p for p in map(people.one, lookups) if p is not None), None)
        when = _iso(record.get("submitted_at"))
        if person is None:
            key = fold_email(email) if email else f"review:{(login or name).lower()}"
            handle = login.lower() if login else (noreply_login(email) if email else name.lower())
            person = graph.node(Label.PERSON, key) or graph.add_node(
                Label.PERSON, key, name=display or name, emails=[fold_email(email)] if email else [], aliases=[raw],
                kind="human", github=handle, logins=[handle] if handle else [], names=[display or name] if email else [],
                last_active=when, commits=0)
            people.add(person)
        if when and (person.get("last_active") is None or when > person.get("last_active")):
            person.props["last_active"] = when
        for path in record.get("files") or []:
            file_node = graph.node(Label.FILE, path)
            if file_node is None:
                missing_files.add(path)
                continue
            if repo is not None:
                repo.props["reviews_imported"] = True  # (the bus factor's note on squash-merged histories reads it)
            edge = graph.edges.get((Rel.KNOWS.value, person.id, file_node.id))
            if edge is None:
                graph.add_edge(Rel.KNOWS, person, file_node, first_authorship=False, deliveries=0, acceptances=0,
                               doa=None, reviews=1, last_touch=when)
            else:
                edge.props["reviews"] = int(edge.props.get("reviews") or 0) + 1
                if when and (edge.props.get("last_touch") is None or when > edge.props["last_touch"]):
                    edge.props["last_touch"] = when
    if missing_files:
        shown = ", ".join(sorted(missing_files)[:5])
        notes.append(f"review records name {len(missing_files)} file(s) that are not source files of the repository: {shown}")
    return notes
