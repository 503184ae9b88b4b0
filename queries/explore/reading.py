"""What a newcomer should read first: decisions in force, then the most central modules, then the people to ask.

The modules are the most central by PageRank (``queries.explore.paths``)
weighed by how many modules import them (``_to_read_first``: PageRank alone
put low-level helpers second). Left out: modules nobody imports, test code
(``graph.testcode``: a test helper imported by every test ranks high and
explains nothing), and the modules of a component of which the truck factor
counts no file — documentation, examples, a playground, vendored or generated
code, test data (``ingest.linguist``) — unless the scope has no other. A
repository's list gives each language places in proportion to its files:
prometheus's first eight were four of its web UI's TypeScript files (a module
each, where a Go package of many files is one) and a test helper; those places
are spread down the list as the language's share is.

People are the knowledge holders of the scope, ranked by how many of its
files they are authors of (summed over its components: a whole component of
one test file counts as that one file — commons-lang's third "person to ask"
held only ``external``, one test class, and the fourth two commits' worth),
then its declared owners, the people who left after everyone still here; for a component most of whose
files have no author left, the people the bus-factor report says to ask first about it now count too, its files
for the first, half for the second, a third for the third; each is resolved to its Person node
(``graph.people.PersonIndex``) so nobody is listed twice, and carries
``active``, ``gone`` and ``last_active`` (``queries.ownership.presence``).
The reason names the components they own, then the three they rank highest
in, and counts the rest.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Mapping

from cairn.graph.decisions import is_retired
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.people import KnowledgeHolder, PersonIndex
from cairn.graph.testcode import is_test_file
from cairn.queries.explore.card import governing_decisions
from cairn.queries.explore.common import component_node, decision_order, decision_summary, person_name
from cairn.queries.explore.paths import central_modules
from cairn.queries.ownership import gone_people, presence

KNOWN_SHOWN = 3  # components named in a person's reason; the rest counted


def reading_list(graph: RepoGraph, component: str | None = None, *, decisions: int = 10, modules: int = 8,
                 people: int = 5, ask_first: Mapping[str, tuple[int, list[dict[str, Any]]]] | None = None) -> dict[str, Any]:
    """What a newcomer should read first: decisions in force, then central modules, then people to ask; the first
    ``decisions`` of the decisions (cometbft has 85 in force: its list was all of them), ``decisions_total`` counting
    them all. ``ask_first``: ``asked_first`` of the graph's bus-factor report, worked out from ``graph`` (which then
    holds its files and who knows them) when not given."""
    if component is not None:
        comp = component_node(graph, component)
        module_ids = {m.id for m in graph.of_label(Label.MODULE) if m.get("component") == component}
        decision_rows = [d for d in governing_decisions(graph, comp, module_ids) if not is_retired(d["_node"].get("status"))]
        decision_rows = [{k: v for k, v in d.items() if k != "_node"} for d in decision_rows]
        comps = [comp]
    else:
        nodes = [d for d in graph.of_label(Label.DECISION) if not is_retired(d.get("status"))]
        nodes.sort(key=decision_order)
        decision_rows = [decision_summary(d) for d in nodes]
        comps = graph.of_label(Label.COMPONENT)
    decisions_total = len(decision_rows)
    decision_rows = decision_rows[:decisions]
    central = _modules_to_read(graph, modules, component) if graph.of_label(Label.MODULE) else []
    if ask_first is None:
        from cairn.queries.ownership import bus_factor

        ask_first = asked_first(bus_factor(graph))
    people_rows = _people_to_ask(graph, comps, people, ask_first)

    items: list[dict[str, Any]] = []
    for d in decision_rows:
        items.append({"kind": "decision", "title": d["title"], "ref": d["path"],
                      "why": f"{d.get('status') or 'decision'}" + (f", {d['date']}" if d.get("date") else "")})
    for m in central:
        items.append({"kind": "module", "title": m["module"], "ref": m["path"] or m["module"],
                      "why": f"imported by {m['imported_by']} module(s); PageRank {m['score']:.4f}"})
    for p in people_rows:
        items.append({"kind": "person", "title": p["name"], "ref": p["person"], "why": p["why"]})
    return {
        "repository": graph.repo,
        "component": component,
        "decisions": decision_rows,
        "decisions_total": decisions_total,
        "modules": central,
        "people": people_rows,
        "items": items,
    }


def _modules_to_read(graph: RepoGraph, limit: int, component: str | None) -> list[dict[str, Any]]:
    """The most central modules that are not test code and that some module imports; in a repository's list each
    language has places in proportion to its files in such modules (PageRank spreads over modules, and a Go package of
    twenty files is one module where each TypeScript file is one), and places left over go by rank. A module nobody
    imports is central to nothing, however it ties on rank: Sphinx's list held two of its 70 translation catalogs
    (``sphinx/locale/*/LC_MESSAGES/sphinx.js``), whose files had given JavaScript its places."""
    files_of: dict[str, list[str]] = {}
    language: dict[str, str | None] = {}
    for node in graph.of_label(Label.MODULE):
        files_of[node.key] = node.get("files") or [node.get("path")]
        language[node.key] = node.get("language")
    ranked = [m for m in central_modules(graph, len(files_of), component=component)
              if m["imported_by"] and not _is_test_code([f for f in files_of.get(m["module"]) or [m["path"]] if f])]
    uncounted = {node.key for node in graph.of_label(Label.COMPONENT)
                 if "truck_factor" in node.props and node.props["truck_factor"] is None}
    if uncounted:
        # the modules of a component none of whose files the truck factor counts (documentation, examples, a
        # playground, vendored or generated code, test data: ``ingest.linguist``): vite's end-to-end projects held
        # three of its first four places (``playground/multiple-entrypoints/entrypoints/a23.js``, imported by the 24
        # entry points beside it); a component of nothing else keeps its own
        ranked = [m for m in ranked if m["component"] not in uncounted] or ranked
    ranked.sort(key=_to_read_first)
    files: Counter[str | None] = Counter()  # files by language, of the modules ranked
    for m in ranked:
        files[language.get(m["module"])] += len(files_of.get(m["module"]) or [m["path"]])
    if component is not None:
        return ranked[:limit]
    total = sum(files.values()) or 1
    places = {lang: round(limit * n / total) for lang, n in files.items()}
    per_language: Counter[str | None] = Counter()
    placed = []  # positions in ``ranked``
    for at, m in enumerate(ranked):
        lang = language.get(m["module"])
        if per_language[lang] < places.get(lang, 0):
            per_language[lang] += 1
            placed.append(at)
    placed = placed[:limit]
    taken = set(placed)
    left_over = [at for at in range(len(ranked)) if at not in taken][:limit - len(placed)]
    # each language's places spread over the list as its share is, from the top: a language of one place in eight comes
    # at the eighth, not first on a rank its own smaller graph gave it (traefik's web UI: an icons index, imported by 28
    # TypeScript files, stood above pkg/config/dynamic, by 79 Go packages)
    nth: Counter[str | None] = Counter()
    spread: dict[int, float] = {}
    for at in placed:
        lang = language.get(ranked[at]["module"])
        nth[lang] += 1
        spread[at] = nth[lang] / places[lang]
    return [ranked[at] for at in sorted(placed, key=lambda at: (spread[at], at))] + [ranked[at] for at in left_over]


def _to_read_first(module: dict[str, Any]) -> float:
    """A central module's place in a newcomer's list: its PageRank weighed by how many modules import it (the log of
    one more than that). PageRank alone flows rank to what a central module imports however few others do: a
    low-level helper came second (containerd's ``internal/lazyregexp``, imported by 4 modules, above ``plugins``,
    by 64; Sphinx's ``sphinx.deprecation``, by 16, above ``sphinx.locale``, by 111; scrapy's
    ``scrapy.utils.trackref`` above ``scrapy.crawler``)."""
    return -module["score"] * math.log1p(module["imported_by"])


def _is_test_code(files: list[str]) -> bool:
    """A module is test code when each of its files is (a Go package of ``_test.go`` files, ``testutil/``)."""
    return bool(files) and all(map(is_test_file, files))


def _people_to_ask(graph: RepoGraph, comps: list, limit: int,
                   ask_first: Mapping[str, tuple[int, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    index = PersonIndex.of(graph)
    gone, _ = gone_people(graph, index)
    score: Counter[str] = Counter()
    names: dict[str, str] = {}
    known: dict[str, list[tuple[int, str]]] = {}  # person -> (their rank among its holders, component)
    owned: dict[str, list[str]] = {}
    presences: dict[str, dict[str, Any]] = {}
    for c in comps:
        for rank, holder in enumerate(KnowledgeHolder.of(c)):
            person = graph.node(Label.PERSON, holder.id) if holder.id else index.one(holder.person)
            ident = person.key if person is not None else holder.person
            score[ident] += holder.files_authored
            names.setdefault(ident, holder.person)
            known.setdefault(ident, []).append((rank, c.key))
            presences[ident] = presence(person, gone.get(person.id) if person is not None else None)
    asked_about = _asked_about_orphans(graph, comps, ask_first, score, names)
    for ident in asked_about:
        if ident not in presences:
            person = graph.node(Label.PERSON, ident)
            presences[ident] = presence(person, gone.get(person.id) if person is not None else None)
    comp_ids = {c.id for c in comps}
    for e in graph.of_type(Rel.OWNS):
        if e.target in comp_ids:
            owner = graph.nodes.get(e.source)
            if owner is not None:
                score[owner.key] += 1
                names.setdefault(owner.key, person_name(owner, owner.key) if owner.label is Label.PERSON else owner.key)
                owned.setdefault(owner.key, []).append(graph.nodes[e.target].key)
                presences.setdefault(owner.key, presence(owner, gone.get(owner.id)))
    # nobody who left can be asked: they come after everyone still here (prometheus: someone inactive since 2019 second)
    ranked = sorted(score.items(), key=lambda kv: (presences[kv[0]]["active"] is False, -kv[1], kv[0]))
    return [{"person": ident, "name": names[ident],
             "why": _why(owned.get(ident, []), known.get(ident, []), asked_about.get(ident, [])), **presences[ident]}
            for ident, _ in ranked[:limit]]


def _asked_about_orphans(graph: RepoGraph, comps: list, ask_first: Mapping[str, tuple[int, list[dict[str, Any]]]],
                         score: Counter[str], names: dict[str, str]) -> dict[str, list[tuple[int, str]]]:
    """The people to ask first now about each of ``comps`` that is mostly orphaned (``ask_first``: component -> its
    counted files and whom the bus-factor report says to ask first about it), added to ``score`` (its files for the
    first, half for the second, a third for the third: what authors get for the files they hold): person -> (rank,
    component).

    celery's code components are all Ask Solem's (inactive since 2017), so its people to ask were those who had
    written a test file or two (Brian Helba, one commit), not Tomer Nosrati and Asif Saif Uddin, who work on them now."""
    asked: dict[str, list[tuple[int, str]]] = {}
    for comp in comps:
        files, rows = ask_first.get(comp.key, (0, []))
        for rank, row in enumerate(rows):
            ident = row.get("id", row["person"])  # (the id is left out where it repeats the name)
            if graph.node(Label.PERSON, ident) is None:
                continue  # (a team CODEOWNERS names: the owners' part of the list says it)
            score[ident] += files / (rank + 1)
            names.setdefault(ident, row["person"])
            asked.setdefault(ident, []).append((rank, comp.key))
    return asked


def asked_first(bus_factor: dict[str, Any]) -> dict[str, tuple[int, list[dict[str, Any]]]]:
    """Component -> (its counted files, whom to ask first about it now) of a bus-factor report
    (``ownership.bus_factor``), for the components it names someone to ask first about."""
    return {c["name"]: (int(c.get("files") or 0), c["ask_first"]) for c in bus_factor.get("components", [])
            if c.get("ask_first")}


def _why(owned: list[str], known: list[tuple[int, str]], asked_about: list[tuple[int, str]] = ()) -> str:
    """``declared owner of billing; knows billing, core +19 more components``: where they rank highest first (the
    components owned by name; tauri's @tauri-apps/wg-tauri owns 19, each named over eight lines at 80 columns);
    ``ask first about utils, worker +11 more components`` for those whose authors all left."""
    parts = [f"declared owner of {_some(sorted(set(owned)))}"] if owned else []
    if known:
        parts.append(f"knows {_some([name for _, name in sorted(set(known))])}")
    asked = [name for _, name in sorted(set(asked_about)) if name not in {n for _, n in known}]
    if asked:
        parts.append(f"ask first about {_some(list(dict.fromkeys(asked)))}")
    return "; ".join(parts)


def _some(names: list[str]) -> str:
    """The first ``KNOWN_SHOWN`` names, and how many more."""
    more = len(names) - KNOWN_SHOWN
    return ", ".join(names[:KNOWN_SHOWN]) + (f" +{more} more component{'s' if more != 1 else ''}" if more > 0 else "")
