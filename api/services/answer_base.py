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
  (``Reused.same_dependencies``, ``Reused.same_check``): the component
  dependencies, when no IMPORTS edge changed and every module is in the same
  component of the same components (the DEPENDS_ON edges and the component keys
  they list are a function of those alone, ``code_graph``); the check's
  judgement, when it is taken and was made today (taking it changes nothing).

Everything else is computed: the bus factor, the people and every answer
whose inputs cross components or move with time (who is gone depends on the
newest commit's date) come from the new graph. The answers kept belong to the
stored graph by construction (the store reads only those kept for the
version it holds); ``BASIS``, kept beside them, says the Cairn build, code
extraction and ingest fingerprint they were computed on, and the digests of
the components' files and modules, and must match the stored graph the
changes were worked out against, or nothing is reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from cairn.graph.model import Label, Rel, RepoGraph, node_id
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
    File and of its Module keys; a digest of every other input of the boundary check (``check``); the names of
    the graph (``graph``) and the Cairn build."""
    from cairn.ingest.freshness import cairn_build

    components = [c.key for c in graph.of_label(Label.COMPONENT)]
    files: dict[str, list[str]] = {key: [] for key in components}
    modules: dict[str, list[str]] = {key: [] for key in components}
    unplaced: list[str] = []
    for node in graph.of_label(Label.FILE):
        found = files.get(node.props.get("component"))  # type: ignore[arg-type]
        if found is not None:
            found.append(node.key)
    for node in graph.of_label(Label.MODULE):
        found = modules.get(node.props.get("component"))  # type: ignore[arg-type]
        (unplaced if found is None else found).append(node.key)
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
    }


@dataclass(frozen=True)
class AnswerBase:
    """What is kept for the stored graph (``basis``: what its answers were computed on; its boundary check's answer;
    per component, the parts of its card that may be taken, ``CARD_PARTS``), and what differs between that graph and
    the new one: the Module node ids whose IMPORTS edges and the File node ids whose KNOWS edges differ (None: not
    known, any may). ``answers.kept_base`` reads it."""

    basis: Mapping[str, Any]
    check: Mapping[str, Any] | None
    cards: Mapping[str, Mapping[str, Any]]
    imports: frozenset[str] | None
    knows: frozenset[str] | None


def describes(basis: Any, store: GraphStore, repo: str) -> bool:
    """Whether the answers kept with ``basis`` were computed by this Cairn on the graph of ``repo`` stored now."""
    from cairn.ingest.freshness import cairn_build

    stored = next((r for r in store.repositories() if r.repo == repo), None)
    return (isinstance(basis, dict) and stored is not None and basis.get("build") == cairn_build()
            and basis.get("graph") == [stored.props.get(name) for name in GRAPH_NAMES])


def differences(changes: GraphChanges, knows_files: Iterable[str] | None) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(Module node ids whose IMPORTS edges differ, File node ids whose KNOWS edges differ) between the stored graph
    and the one ``changes`` saves (``knows_files``: the files whose KNOWS edges the ingest computed afresh); None
    where the save compares that type whole (not known)."""
    imports = knows = None
    if Rel.IMPORTS in changes.patched:
        imports = frozenset(key[1] for key in (*changes.changed, *changes.deleted) if key[0] == Rel.IMPORTS.value)
    if Rel.KNOWS in changes.patched and knows_files is not None:
        knows = frozenset(knows_files)
    return imports, knows


@dataclass(frozen=True)
class Reused:
    """What ``compute_answers`` takes from the base's answers instead of computing it (see the module docstring)."""

    check: dict[str, Any] | None = None
    card_parts: KnownParts | None = None
    #: The component dependencies kept for the base are those of the graph (the same DEPENDS_ON edges and components).
    same_dependencies: bool = False
    #: ``check`` is the kept judgement as it is (made today): its kept text stands.
    same_check: bool = False


def reusable(base: AnswerBase | None, graph: RepoGraph, now: Mapping[str, Any], today: date) -> Reused:
    """What of ``base`` holds for ``graph``, whose ``basis`` is ``now``, judged on ``today``."""
    from cairn.queries.contracts.check import judged_alike
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

    repo, nodes = graph.repo, graph.nodes
    person, package, file = (node_id(label, repo, "") for label in (Label.PERSON, Label.EXTERNAL, Label.FILE))
    changed_modules: set[str] = set()  # components with a module whose IMPORTS changed
    if base.imports:
        for nid in base.imports:
            node = nodes.get(nid)
            changed_modules.add(node.props.get("component") if node is not None else None)  # type: ignore[arg-type]
    touched: set[str] = set()  # components with a file whose KNOWS changed
    for nid in base.knows or ():
        node = nodes.get(nid)
        touched.add(node.props.get("component") if node is not None else None)  # type: ignore[arg-type]
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
    return Reused(check, KnownParts(activity, imports), same_dependencies,
                  check is not None and check == judged)
