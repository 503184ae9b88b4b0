"""What the answers kept for a stored graph give to those of the graph that replaces it after a commit.

A commit changes a few files; most answers read nothing it changed. An ingest
that saves its graph as changes to the stored one (``GraphChanges``: the
IMPORTS edges it found different, the KNOWS edges of the files whose history
moved) reads the answers kept for the stored graph before it saves
(``answers.kept_base``), and ``answers.compute_answers`` takes from them only what
provably reads the same thing now:

* the boundary check's judgement, when no IMPORTS edge changed and the other
  inputs of ``contracts.check.judge`` are the same (every module's component,
  the components, the external packages, the rules and the decisions: one
  digest, ``CHECK_INPUTS``) and the exceptions expired on the day it was made
  are those expired today (``judged_alike``): it is then what judging today gives;
* a card's recent activity, when the component has the same files and none of
  their KNOWS edges changed; its external packages, when it has the same modules
  and none of their IMPORTS edges changed (``card.KnownParts``: what the rest
  of the card reads, people's names, the standard-library flags, is read anew);
* whole answers whose kept text stands, neither computed nor written again
  (``Reused.same_dependencies``, ``Reused.same_components``, ``Reused.same_check``,
  ``Reused.same_cards``): the component dependencies, when no IMPORTS edge
  changed and every module is in the same component of the same components
  (the DEPENDS_ON edges and the component keys they list are a function of
  those alone, ``code_graph``); the components' list, when besides every
  component has the properties it lists (``dependencies.LISTED_PROPERTIES``); the
  check's judgement, when it is taken and was made today (taking it changes
  nothing); a component's card, when every input it reads is provably the same
  (``whole_cards``: its component's properties, owners, files, modules, the
  KNOWS and IMPORTS edges of its files and modules, the IMPORTS from and to its
  modules, what every card reads, ``card_inputs``, and what it reads of the
  people it names: a commit by somebody new rewrites only the cards naming them).

Everything else is computed: the bus factor, the people and every answer
whose inputs cross components or move with time (who is gone depends on the
newest commit's date) come from the new graph. The answers kept belong to the
stored graph by construction (the store reads only those kept for the
version it holds); ``BASIS``, kept beside them, says the Cairn build, code
extraction and ingest fingerprint they were computed on, and the digests of
the components' files, modules and cards' inputs, and must match the stored graph the
changes were worked out against, or nothing is reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from cairn.graph.model import Label, Node, Rel, RepoGraph, node_id
from cairn.graph.values import dumps

if TYPE_CHECKING:
    from cairn.graph.store import GraphChanges, GraphStore
    from cairn.queries.explore.card import KnownParts

#: The answer that says what the others were computed on (``basis``).
BASIS = "basis"
#: The parts of a kept card that ``reusable`` may take.
CARD_PARTS = ("recent_activity", "external_packages", "standard_library")
#: The repository properties that name the graph the answers were computed on (``api.services.ingesting``).
GRAPH_NAMES = ("code_fingerprint", "ingest_fingerprint")


def _digest(parts: Iterable[str]) -> str:
    """A digest of ``parts`` whatever their order (a graph read back from a store lists its nodes in another)."""
    return hashlib.blake2b("\0".join(sorted(parts)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def basis(graph: RepoGraph) -> dict[str, Any]:
    """What the answers of ``graph`` are computed on, as ``answer_base`` compares it: per component, a digest of its
    File keys (``files``), of its modules (``modules``: key, path, language) and of the rest of what its card
    reads of it alone (``cards``: the properties it reads, the CODEOWNERS owners of it and of its files, with what a
    card reads of each owner); a digest of every component's properties that the components' list reads
    (``components``); a digest of every other input of the boundary check (``check``) and of what every
    card reads (``card_inputs``: the packages, decisions, GOVERNS and COVERS edges, instructions and teams); per
    person, what a card that names them reads of them (``people``, ``person_digest``); the names of the graph
    (``graph``) and the Cairn build."""
    from cairn.ingest.build import cairn_build
    from cairn.queries.dependencies import LISTED_PROPERTIES
    from cairn.queries.explore.card import CARD_PROPERTIES
    from cairn.queries.ownership import gone_people

    component_nodes = graph.of_label(Label.COMPONENT)
    components = [c.key for c in component_nodes]
    files: dict[str, list[str]] = {key: [] for key in components}
    modules: dict[str, list[str]] = {key: [] for key in components}
    listed = {c.key: f"{c.key} {dumps([c.props.get(name) for name in LISTED_PROPERTIES])}" for c in component_nodes}
    unlisted = [name for name in CARD_PROPERTIES if name not in LISTED_PROPERTIES]
    cards: dict[str, list[str]] = {c.key: [f"props {listed[c.key]} {dumps([c.props.get(name) for name in unlisted])}"]
                                   for c in component_nodes}
    unplaced: list[str] = []
    for node in graph.of_label(Label.FILE):
        found = files.get(node.props.get("component"))  # type: ignore[arg-type]
        if found is not None:
            found.append(node.key)
    for node in graph.of_label(Label.MODULE):
        props = node.props
        found = modules.get(props.get("component"))  # type: ignore[arg-type]
        (unplaced if found is None else found).append(f"{node.key}\0{props.get('path')}\0{props.get('language')}")
    gone = gone_people(graph)[0]
    person_prefix = node_id(Label.PERSON, graph.repo, "")
    people = {n.key: person_digest(n, gone.get(n.id)) for n in graph.of_label(Label.PERSON)}
    nodes = graph.nodes
    for edge in graph.of_type(Rel.OWNS):  # an owner of the component, or of one of its files (counted per file)
        target = nodes.get(edge.target)
        label = target.label if target is not None else None
        key = (target.key if label is Label.COMPONENT else  # type: ignore[union-attr]
               target.props.get("component") if label is Label.FILE else None)  # type: ignore[union-attr]
        if key in files:
            owner = people.get(edge.source[len(person_prefix):]) if edge.source.startswith(person_prefix) else None
            cards[key].append(f"owns {edge.source} {edge.target} {owner}")
    module_digests = {key: _digest(keys) for key, keys in modules.items()}
    unplaced_digest = _digest(unplaced)
    others = [*(f"module {key} {digest}" for key, digest in module_digests.items()), f"unplaced {unplaced_digest}",
              *(f"package {n.key}" for n in graph.of_label(Label.EXTERNAL)),
              *(f"{label.value} {dumps([n.key, n.props])}" for label in (Label.RULE, Label.DECISION)
                for n in graph.of_label(label))]
    repo = graph.repository
    return {
        "build": cairn_build(),
        "graph": [repo.get(name) if repo is not None else None for name in GRAPH_NAMES],
        "files": {key: _digest(keys) for key, keys in files.items()},
        "modules": module_digests,
        "unplaced": unplaced_digest,
        "check": _digest(others),
        "components": _digest(listed.values()),
        "cards": {key: _digest(parts) for key, parts in cards.items()},
        "card_inputs": _digest(_card_inputs(graph)),
        "people": people,
    }


def person_digest(person: Node, gone: str | None) -> str:
    """What a card reads of a person it names (a holder, an owner, someone in its recent activity: ``explore.card``):
    their names, kind and CODEOWNERS handles, and whether they are gone and why. A card naming only people whose
    digest is the same reads the same of them whoever else joined or changed (``whole_cards``)."""
    props = person.props
    text = dumps([props.get("name"), props.get("display_name"), props.get("kind"), props.get("owner_handles"), gone])
    return _digest([text])


def _card_inputs(graph: RepoGraph) -> list[str]:
    """What every component's card may read beyond its own component and the people it names (``explore.card``):
    the packages and whether each is the standard library, the decisions and their GOVERNS edges, the instructions
    and their COVERS edges, the teams."""
    parts = [f"package {n.key} {n.props.get('stdlib')!r}" for n in graph.of_label(Label.EXTERNAL)]
    for label in (Label.DECISION, Label.AGENT_INSTRUCTIONS):
        parts.extend(f"{label.value} {dumps([n.key, n.props])}" for n in graph.of_label(label))
    for rel in (Rel.GOVERNS, Rel.COVERS):
        parts.extend(f"{rel.value} {dumps([e.source, e.target, e.props])}" for e in graph.of_type(rel))
    parts.extend(f"team {n.key}" for n in graph.of_label(Label.TEAM))
    return parts


@dataclass(frozen=True)
class AnswerBase:
    """What is kept for the stored graph (``basis``: what its answers were computed on; its boundary check's answer;
    per component, the parts of its card that may be taken, ``CARD_PARTS``), and what differs between that graph and
    the new one: the Module node ids whose IMPORTS edges and the File node ids whose KNOWS edges differ (None: not
    known, any may), and the node ids those IMPORTS edges point at (``imported``, known when ``imports`` is).
    ``cards`` holds only the cards that may not stand whole (``cards_wanted``). ``answers.kept_base`` reads it; under ``CAIRN_VERIFY_SKIPS=1`` (``graph.store.verifying_skips``) also the kept
    answers (``kept``, by name) that ``answers.VERIFIED`` computes afresh to check that a text said to stand does."""

    basis: Mapping[str, Any]
    check: Mapping[str, Any] | None
    cards: Mapping[str, Mapping[str, Any]]
    imports: frozenset[str] | None
    knows: frozenset[str] | None
    imported: frozenset[str] = frozenset()
    kept: Mapping[str, Any] = field(default_factory=dict)
    #: The ``basis`` of the new graph, worked out by ``kept_base`` on ``view`` (a ``GroupedGraph`` of it), or None.
    now: Mapping[str, Any] | None = None
    view: RepoGraph | None = None


def describes(basis: Any, store: GraphStore, repo: str) -> bool:
    """Whether the answers kept with ``basis`` were computed by this Cairn on the graph of ``repo`` stored now."""
    from cairn.ingest.build import cairn_build

    stored = next((r for r in store.repositories() if r.repo == repo), None)
    return (isinstance(basis, dict) and stored is not None and basis.get("build") == cairn_build()
            and basis.get("graph") == [stored.props.get(name) for name in GRAPH_NAMES])


def differences(changes: GraphChanges, knows_files: Iterable[str] | None
                ) -> tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str]]:
    """(Module node ids whose IMPORTS edges differ, File node ids whose KNOWS edges differ, the node ids those IMPORTS
    edges point at) between the stored graph and the one ``changes`` saves (``knows_files``: the files whose KNOWS
    edges the ingest computed afresh); None where the save compares that type whole (not known)."""
    imports = knows = None
    imported: frozenset[str] = frozenset()
    if Rel.IMPORTS in changes.patched:
        edges = [key for key in (*changes.changed, *changes.deleted) if key[0] == Rel.IMPORTS.value]
        imports, imported = frozenset(key[1] for key in edges), frozenset(key[2] for key in edges)
    if Rel.KNOWS in changes.patched and knows_files is not None:
        knows = frozenset(knows_files)
    return imports, knows, imported


@dataclass(frozen=True)
class Reused:
    """What ``compute_answers`` takes from the base's answers instead of computing it (see the module docstring)."""

    check: dict[str, Any] | None = None
    card_parts: KnownParts | None = None
    #: The component dependencies kept for the base are those of the graph (the same DEPENDS_ON edges and components).
    same_dependencies: bool = False
    #: The components' list kept for the base is that of the graph (``same_dependencies``, and the same properties).
    same_components: bool = False
    #: ``check`` is the kept judgement as it is (made today): its kept text stands.
    same_check: bool = False
    #: The components whose kept card is the card of the graph (``whole_cards``): its kept text stands.
    same_cards: frozenset[str] = frozenset()


def reusable(base: AnswerBase | None, graph: RepoGraph, now: Mapping[str, Any], today: date) -> Reused:
    """What of ``base`` holds for ``graph``, whose ``basis`` is ``now``, judged on ``today``."""
    from cairn.queries.contract_expiry import judged_alike
    from cairn.queries.explore.card import KnownParts

    if base is None:
        return Reused()
    old = base.basis
    same_imports = base.imports is not None and not base.imports
    check = None
    judged = base.check
    if same_imports and old.get("check") == now["check"] and isinstance(judged, dict) and judged_alike(
            judged["expiries"], date.fromisoformat(judged["judged_on"]), today):
        check = {**judged, "judged_on": today.isoformat()}
    # DEPENDS_ON: per pair of components, the IMPORTS between their modules by kind (``code_graph``); ``modules`` has
    # a digest per component: the same components, each with the same modules
    same_dependencies = same_imports and old.get("unplaced") == now["unplaced"] and old.get("modules") == now["modules"]
    # the list: each component's properties (``LISTED_PROPERTIES``), its modules counted, its DEPENDS_ON edges
    same_components = same_dependencies and old.get("components") == now["components"]

    repo, nodes = graph.repo, graph.nodes
    person, package, file = (node_id(label, repo, "") for label in (Label.PERSON, Label.EXTERNAL, Label.FILE))
    touched, changed_modules = _changed_components(base, graph)
    activity: dict[str, list[tuple[str, str, str]]] = {}
    imports: dict[str, dict[str, int]] = {}
    old_files, old_modules = old.get("files") or {}, old.get("modules") or {}
    for name, digest in now["files"].items():
        card = base.cards.get(name)
        if not isinstance(card, dict):
            continue
        if base.knows is not None and name not in touched and old_files.get(name) == digest:
            rows = [(r["last_touch"], r["file"], r["person"]) for r in card["recent_activity"]]
            if all(person + key in nodes and file + path in nodes for _, path, key in rows):
                activity[name] = rows
        if base.imports is not None and name not in changed_modules and old_modules.get(name) == now["modules"][name]:
            used = {r["name"]: r["imports"] for r in (*card["external_packages"], *card["standard_library"])}
            if all(package + key in nodes for key in used):
                imports[name] = used
    cards = whole_cards(base, graph, now, touched, changed_modules) if card_inputs_stand(base, now) else frozenset()
    return Reused(check, KnownParts(activity, imports), same_dependencies, same_components,
                  check is not None and check == judged, cards)


def _changed_components(base: AnswerBase, graph: RepoGraph) -> tuple[set[str], set[str]]:
    """(The components with a file whose KNOWS edges changed, those with a module whose IMPORTS edges changed.)"""
    nodes = graph.nodes
    changed_modules: set[str] = set()
    if base.imports:
        for nid in base.imports:
            node = nodes.get(nid)
            changed_modules.add(node.props.get("component") if node is not None else None)  # type: ignore[arg-type]
    touched: set[str] = set()
    for nid in base.knows or ():
        node = nodes.get(nid)
        touched.add(node.props.get("component") if node is not None else None)  # type: ignore[arg-type]
    return touched, changed_modules


def people_stand(old: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    """Whether every person of the base's graph is in the graph, what a card reads of them the same (``person_digest``):
    then every person a kept card names is (they are people of the base's graph)."""
    old_people, now_people = old.get("people") or {}, now["people"]
    return all(now_people.get(key) == digest for key, digest in old_people.items())


def cards_wanted(base: AnswerBase, graph: RepoGraph, now: Mapping[str, Any]) -> set[str] | None:
    """The components whose kept card parts ``reusable`` may read (``base`` without its ``cards``): all (None) unless
    the cards kept whole are known without reading them (``people_stand``): then only the others."""
    if not (card_inputs_stand(base, now) and people_stand(base.basis, now)):
        return None
    touched, changed_modules = _changed_components(base, graph)
    return set(now["cards"]) - whole_cards(base, graph, now, touched, changed_modules)


def verify_wanted(base: AnswerBase, graph: RepoGraph, now: Mapping[str, Any], wanted: set[str]) -> None:
    """Under ``CAIRN_VERIFY_SKIPS=1``: fail unless ``wanted`` (``cards_wanted``) are the components whose cards do not
    stand whole when every kept card (``base.cards``: each one's parts) is read for the people it names."""
    touched, changed_modules = _changed_components(base, graph)
    if set(now["cards"]) - whole_cards(base, graph, now, touched, changed_modules, read_people=True) != wanted:
        raise AssertionError("the cards that stand whole, known without reading them, are not those read")


def card_inputs_stand(base: AnswerBase, now: Mapping[str, Any]) -> bool:
    """Whether the changes of IMPORTS and KNOWS edges are known and every component has the same modules, the
    unplaced modules are the same and so is everything a card reads beyond its component (``card_inputs``)."""
    old = base.basis
    return (base.imports is not None and base.knows is not None and old.get("card_inputs") == now["card_inputs"]
            and old.get("unplaced") == now["unplaced"] and old.get("modules") == now["modules"])


def whole_cards(base: AnswerBase, graph: RepoGraph, now: Mapping[str, Any], touched: set[str],
                changed_modules: set[str], read_people: bool = False) -> frozenset[str]:
    """The components whose kept card is, text for text, the card of ``graph`` (``card_inputs_stand`` holds).

    A card reads its component's properties (its bus factor among them) and the owners of it and of its files (one
    digest, ``cards``), its modules (``modules``), the KNOWS edges of its files (its recent activity: the same files,
    ``files``, none with KNOWS edges changed, ``touched``), the IMPORTS edges of its modules (its packages:
    ``changed_modules``), the DEPENDS_ON edges from and to it (a function of the IMPORTS edges between the modules
    of each pair of components, every component having the same modules: none of them changed from or to one of its
    modules), what ``card_inputs`` digests (decisions, instructions, packages, teams) and what it reads of the people
    it names (``people``: its holders and the people of its recent activity the same as the base's, known without
    reading the kept card when every person of the base's graph is, ``people_stand``, unless ``read_people``, and
    every card was kept with the base, ``carded``; its owners are in its ``cards`` digest): who else joined or changed it does not read. The fields of its holders joined from the
    people's directory (``answer_people``) are the directory's whatever they are: every holder must be a person of
    the graph, as the base's were (the same properties name the same holders).
    """
    nodes = graph.nodes
    depended: set[str] = set(changed_modules)  # the components at either end of an IMPORTS edge that changed
    for nid in base.imported:
        node = nodes.get(nid)
        if node is None and nid.startswith(node_id(Label.MODULE, graph.repo, "")):
            return frozenset()  # a module imported before and gone: its component is not known
        if node is not None:
            depended.add(node.props.get("component"))  # type: ignore[arg-type]
    old = base.basis
    if not old.get("carded") and not read_people:
        return frozenset()  # no card was kept with it (their analysis failed)
    old_cards, old_files = old.get("cards") or {}, old.get("files") or {}
    old_people, now_people = old.get("people") or {}, now["people"]
    named_stand = not read_people and people_stand(old, now)  # else each card's people are read from it

    def same_person(key: Any) -> bool:
        digest = now_people.get(key) if isinstance(key, str) else None
        return digest is not None and old_people.get(key) == digest

    person = node_id(Label.PERSON, graph.repo, "")
    out = set()
    for name, digest in now["cards"].items():
        if (name not in touched and name not in depended and old_cards.get(name) == digest
                and old_files.get(name) == now["files"][name] and (named_stand or name in base.cards)):
            holders = graph.node(Label.COMPONENT, name).props.get("knowledge_holders") or []
            if (all(isinstance(h, dict) and person + str(h.get("id")) in nodes and same_person(h.get("id"))
                    for h in holders)
                    and (named_stand
                         or all(same_person(row.get("person")) for row in base.cards[name]["recent_activity"]))):
                out.add(name)
    return frozenset(out)
