"""Search by name: components, modules, people and decisions whose name or title contains a text.

A component is found by its name or by the name of the package it is (``@vue/reactivity``, ``grep-printer``), a
module by its name or path, a person by any of their names, e-mails and logins, a decision by its title, file name or
number.

Case-insensitive; exact matches first, then prefixes, then matches at the
start of a word or name segment, then anywhere; components before decisions
before modules before people at the same rank.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from cairn.graph.errors import InvalidQuery
from cairn.graph.model import Label, RepoGraph
from cairn.graph.people import fold_name, split_contact
from cairn.queries.explore.common import person_name

_KIND_ORDER = {"component": 0, "decision": 1, "module": 2, "person": 3}


def _match_rank(query: str, text: str) -> int | None:
    """0 exact, 1 prefix, 2 starts a word or segment, 3 anywhere; None if absent."""
    t = text.lower()
    if t == query:
        return 0
    if t.startswith(query):
        return 1
    pos = t.find(query)
    if pos < 0:
        return None
    while pos >= 0:
        if not t[pos - 1].isalnum():
            return 2
        pos = t.find(query, pos + 1)
    return 3


def search(graph: RepoGraph, q: str, *, limit: int = 50) -> dict[str, Any]:
    """Components, modules, people and decisions whose name or title contains ``q`` (case-insensitive)."""
    query = (q or "").strip().lower()
    if not query:
        raise InvalidQuery("the search query is empty: give part of a component, module, person or decision name")
    if limit < 1:
        raise InvalidQuery("limit must be at least 1")
    results = []

    def consider(kind: str, name: str, title: str | None, texts: Iterable[Any], extra: dict[str, Any]) -> None:
        ranks = [r for r in (_match_rank(query, str(t)) for t in texts if t) if r is not None]
        if ranks:
            results.append({"kind": kind, "name": name, "title": title or name, "match": ("exact", "prefix", "word", "substring")[min(ranks)],
                            "_rank": (min(ranks), _KIND_ORDER[kind], len(name), name), **extra})

    for c in graph.of_label(Label.COMPONENT):
        # by its published name too (``search @vue/reactivity``, ``search grep-printer``: the card's "package")
        consider("component", c.key, c.get("package") or c.key, [c.key, c.get("package")], {"at_risk": c.get("at_risk")})
    for m in graph.of_label(Label.MODULE):
        consider("module", m.key, m.key, [m.key, m.get("path")], {"component": m.get("component"), "path": m.get("path")})
    for p in graph.of_label(Label.PERSON):
        strays = {fold_name(str(n)) for n in p.get("stray_names") or []}  # (others' names at their address)
        aliases = [a for a in p.get("aliases") or [] if fold_name(split_contact(str(a))[0]) not in strays]
        emails = p.get("emails") or []
        consider("person", p.key, person_name(p, p.key), [p.key, p.get("name"), p.get("display_name"), p.get("email"), *aliases, *emails],
                 {"person_kind": p.get("kind")})
    for d in graph.of_label(Label.DECISION):
        title = d.get("title") or Path(d.key).stem
        number = d.get("number")
        consider("decision", d.key, str(title), [title, d.key, f"adr-{number}" if number is not None else None, str(number) if number is not None else None],
                 {"status": d.get("status")})
    results.sort(key=lambda r: r["_rank"])
    total = len(results)
    for r in results:
        del r["_rank"]
    return {"query": q.strip(), "total": total, "results": results[:limit]}
