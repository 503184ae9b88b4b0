"""The component card: what one component is for and everything a newcomer needs to know about it.

Its purpose (from the configuration, else the newest decision in force that
governs it explicitly, else the README of its directory, else the newest
decision in force inferred to govern it: log4brains' web UI was "We don't want
the menu scroll position to be changed…", the context of a layout decision,
where its README says what it is; else what its package says of itself, else what an
architecture document or the root README (a table or list of the modules) says of its folder, else,
for the component named as the repository is, the repository's README), its modules, what it depends on
and what depends on it, the external packages it uses (the standard library
apart: ``stdlib`` on the ExternalPackage node, set at ingest; not those only its
tests or build configurations import beside its code, ``graph.testcode.test_only``), the decisions that
govern it (explicit links first; an inferred link carries the ``confidence``
ingest gave it, read through ``graph.decisions.GovernsLink``), who holds its
knowledge (each holder marked ``active`` or ``gone``, by
``queries.ownership.presence``), who declared ownership, recent activity,
and the repository's own instructions to coding agents that cover it (quoted
as repository-supplied data, an excerpt each; see ``queries.agent_instructions``).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, or_
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from cairn.graph.decisions import GovernsLink, is_retired
from cairn.graph.model import Edge, GroupedGraph, Label, Node, Rel, RepoGraph, node_id
from cairn.graph.testcode import import_files, mixed_modules, test_only
from cairn.graph.people import KnowledgeHolder
from cairn.queries import agent_instructions
from cairn.queries.explore.common import (
    as_text, commonmark, component_node, decision_order, decision_summary, person_name, plain_markdown, seen_whole,
)
from cairn.queries.ownership import gone_people, presence

README_NAMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
#: README titles that name a side of a folder, not what it is: nats-server's ``server/README.md``, "# Tests", opens
#: with "Tests that run on Travis have been split into jobs…"; mitmproxy's web/README.md, "# Quick Start", has steps to
#: run it and how to contribute (the README of a folder so named is its purpose)
SIDE_TOPICS = frozenset({"tests", "testing", "test", "benchmarks", "benchmark", "development", "developing",
                         "contributing", "changelog", "changes", "license", "todo", "notes", "building", "build",
                         "release", "releasing", "debugging", "profiling", "fuzzing", "migration", "upgrading",
                         "quick start", "quickstart", "getting started"})
PURPOSE_MAX_CHARS = 600
RECENT_ACTIVITY_LIMIT = 15
CARD_INSTRUCTIONS_CHARS = 400
_LAST_CODE_POINT = "\U0010ffff"
_TARGET = attrgetter("target")
_SOURCE = attrgetter("source")
#: The properties of its Component node that a card reads (``answer_base`` digests them to know a card stands).
CARD_PROPERTIES = ("description", "paths", "system", "domain", "inferred", "files", "truck_factor", "human_truck_factor",
                   "at_risk", "orphaned_files", "knowledge_holders", "ask_first", "package")


def component_card(graph: RepoGraph, name: str) -> dict[str, Any]:
    """Everything a newcomer needs to know about one component."""
    component_node(graph, name)  # an unknown name is an error, with suggestions
    repo_node = graph.repository
    return with_readme_purpose(component_cards(graph, [name])[name], repo_node.get("path") if repo_node else None)


@dataclass(frozen=True)
class KnownParts:
    """The parts of some components' cards a caller already knows for this graph, each read from the part of the
    graph it stands for (the stored answers of a graph whose edges of that kind were the same for the component):

    * ``activity``: per component, its recent activity as ``(last_touch, file, person key)`` rows, newest first and
      cut to the limit (the KNOWS edges of its files); the people's names and kinds are read now;
    * ``imports``: per component, how often its modules import each external package (the IMPORTS edges of its
      modules); whether one is the standard library is read now.

    Every person and package named must be a node of the graph.
    """

    activity: Mapping[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    imports: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def component_cards(graph: RepoGraph, names: Iterable[str] | None = None,
                    known: KnownParts | None = None) -> dict[str, dict[str, Any]]:
    """The cards of the components ``names`` (default: every one), computed in one pass over the graph
    (``iter_component_cards``), by name."""
    return dict(iter_component_cards(graph, names, known))


def iter_component_cards(graph: RepoGraph, names: Iterable[str] | None = None,
                         known: KnownParts | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each card of the components ``names`` (default: every one), by name in order, made when asked for: a reader
    that keeps each as text need not hold them all (at 50k files, 66 MB of cards for 17 MB of text).

    A card whose purpose neither the configuration nor a decision gives still has to look for a README
    in the checkout (``with_readme_purpose``), which is read when the card is shown, not when it is kept.
    ``known`` holds parts already known (``KnownParts``): the edges they stand for are not read for those components.
    """
    wanted = None if names is None else set(names)
    known = known or KnownParts()
    # Read through the graph's groups (a ``GroupedGraph``: one walk of the nodes and one of the edges, shared with
    # the stored answers' other readers when they made it). A node's id is its label's prefix and its key.
    if not isinstance(graph, GroupedGraph):
        graph = GroupedGraph(graph)
    comps: dict[str, Node] = {}
    component_ids: dict[str, str] = {}
    prefix = node_id(Label.COMPONENT, graph.repo, "")
    for c in graph.of_label(Label.COMPONENT):
        if wanted is None or c.key in wanted:
            comps[c.key] = c
            component_ids[prefix + c.key] = c.key
    # the ids only of the modules and files of the components wanted (all of them, or a few after a commit)
    modules: dict[str, list[Node]] = {key: [] for key in comps}
    module_component: dict[str, str] = {}
    prefix = node_id(Label.MODULE, graph.repo, "")
    for m in graph.of_label(Label.MODULE):
        key = m.props.get("component")
        if key in modules:
            modules[key].append(m)
            module_component[prefix + m.key] = key
    file_counts: dict[str, int] = {key: 0 for key in comps}
    file_component: dict[str, str] = {}
    prefix = node_id(Label.FILE, graph.repo, "")
    for f in graph.of_label(Label.FILE):
        key = f.props.get("component")
        if key in file_counts:
            file_counts[key] += 1
            file_component[prefix + f.key] = key

    edges: dict[Rel, list[Edge]] = {rel: graph.of_type(rel) for rel in (Rel.DEPENDS_ON, Rel.GOVERNS, Rel.OWNS)}

    # each component's DEPENDS_ON edges out and in, their rows made with its card (at 50k files, 180,000 rows made at
    # once were 40 MB, the peak of the process that keeps the cards)
    depends_on: dict[str, list[Edge]] = {key: [] for key in comps}
    used_by: dict[str, list[Edge]] = {key: [] for key in comps}
    nodes = graph.nodes
    coupled = edges[Rel.DEPENDS_ON]  # one per coupled pair: 15k at 10k modules, 90k at 50k
    if wanted is not None and len(comps) * 8 < len(coupled):
        # a few components' cards (after a commit): their pairs picked in C, the others' properties never made
        wanted_id = component_ids.__contains__
        coupled = list(compress(coupled, map(or_, map(wanted_id, map(_SOURCE, coupled)),
                                             map(wanted_id, map(_TARGET, coupled)))))
    for e in coupled:
        if e.source in component_ids:
            depends_on[component_ids[e.source]].append(e)
        if e.target in component_ids and e.target != e.source:
            used_by[component_ids[e.target]].append(e)

    externals: dict[str, Counter[str]] = {key: Counter() for key in comps}
    standard_library: dict[str, Counter[str]] = {key: Counter() for key in comps}
    prefix = node_id(Label.EXTERNAL, graph.repo, "")
    packages = {prefix + n.key: n for n in graph.of_label(Label.EXTERNAL)}  # few: most imports are of modules
    importing = {nid: key for nid, key in module_component.items() if key not in known.imports}
    # a module's tests' and build configurations' own imports are not what its component uses (``test_only``): trpc's
    # server "used" vitest and tsdown (whether they are is judged within a component: its modules are enough)
    mixed = mixed_modules({nid: nodes[nid] for nid in importing}) if importing and packages else set()
    # (the imports of packages alone: after a commit, IMPORTS edges not made yet stay so, ``graph.lazy_imports``)
    for e in graph.edges_into(Rel.IMPORTS, packages) if importing and packages else ():
        tgt = packages.get(e.target)
        if tgt is not None:
            key = importing.get(e.source)
            if key is not None and not (e.source in mixed and test_only(import_files(e.props))):
                (standard_library if tgt.props.get("stdlib") else externals)[key][tgt.key] += 1
    for key in comps.keys() & known.imports.keys():
        for package, count in known.imports[key].items():
            (standard_library if packages[prefix + package].props.get("stdlib") else externals)[key][package] += count

    decisions = _governing(graph, {**component_ids, **module_component}, edges[Rel.GOVERNS])
    owners = _declared_owners(graph, component_ids, file_component, edges[Rel.OWNS])
    active = {nid: key for nid, key in file_component.items() if key not in known.activity}
    activity = _recent_activity(graph, active, graph.edges_into(Rel.KNOWS, active))
    person_prefix = node_id(Label.PERSON, graph.repo, "")
    for key in comps.keys() & known.activity.keys():
        activity[key] = _activity_rows((when, file, graph.nodes[person_prefix + person], person_prefix + person)
                                       for when, file, person in known.activity[key])
    gone, _ = gone_people(graph)
    covers = agent_instructions.covering(graph)

    for name, comp in sorted(comps.items()):
        mods = sorted(modules[name], key=lambda m: m.key)
        governing = decisions.get(name, [])
        description, purpose_source = _stated_purpose(comp, governing)
        yield name, {
            "repository": graph.repo,
            "name": name,
            "description": description,
            "purpose_source": purpose_source,
            "paths": list(comp.get("paths") or []),
            "system": comp.get("system"),
            "domain": comp.get("domain"),
            "inferred": bool(comp.get("inferred")),
            "package": comp.get("package"),
            "files": int(comp.get("files") or file_counts[name]),
            "module_count": len(mods),
            "modules": [
                {"name": m.key, "path": m.get("path"), "language": m.get("language")} for m in mods
            ],
            "depends_on": _coupled_rows(nodes, depends_on.pop(name), _TARGET),
            "used_by": _coupled_rows(nodes, used_by.pop(name), _SOURCE),
            "external_packages": _by_use(externals[name]),
            "standard_library": _by_use(standard_library[name]),
            "decisions": [{k: v for k, v in d.items() if k != "_node"} for d in governing],
            "bus_factor": {
                "truck_factor": comp.get("truck_factor"),
                "human_truck_factor": comp.get("human_truck_factor"),
                "at_risk": comp.get("at_risk"),
                "orphaned_files": comp.get("orphaned_files"),
                "knowledge_holders": holders_with_activity(graph, KnowledgeHolder.of(comp), gone),
                # whom to ask now where most files have no author left (``queries.ownership``), else None
                "ask_first": comp.get("ask_first"),
            },
            "owners": owners.get(name, []),
            "recent_activity": activity.get(name, []),
            "agent_instructions": [agent_instructions.quote(n, chars=CARD_INSTRUCTIONS_CHARS)
                                   for n in agent_instructions.for_components(graph, [name], covers)],
        }


def with_readme_purpose(card: dict[str, Any], root: str | None) -> dict[str, Any]:
    """``card`` with the README of its directory as its purpose when nothing else gave one, or only a decision
    inferred to govern it, else what its package says of itself (``package_docs``), else what the repository's
    architecture document or root README says of its folder (``architecture_docs``), else, for the component named
    as the repository is, the lead of the repository's README (``_namesake_purpose``); read now, from ``root``."""
    if (card["description"] is None and card["purpose_source"] is None) or _purpose_inferred(card):
        try:
            checkout = Path(root).resolve() if root else None
        except OSError:
            checkout = None
        if checkout is None:
            return card
        found = (_readme_purpose(checkout, card["paths"], str(card.get("repository") or ""))
                 or _package_purpose(checkout, card["paths"])
                 or _architecture_purpose(checkout, card["paths"], card.get("package"))
                 or _namesake_purpose(checkout, card))
        if found:
            card["description"], card["purpose_source"] = found
    return card


def _package_purpose(root: Path, paths: list[str]) -> tuple[str, str] | None:
    # (imported here: an ingest computes the cards of the changed components but shows none, so reads no package)
    from cairn.queries.explore.package_docs import package_purpose

    return _first_said(package_purpose, root, paths)


def _architecture_purpose(root: Path, paths: list[str], package: str | None) -> tuple[str, str] | None:
    from cairn.queries.explore.architecture_docs import architecture_purpose  # (as ``_package_purpose``)

    return _first_said(lambda root, directory: architecture_purpose(root, directory, package), root, paths)


def _first_said(said_of: Callable[[Path, str], tuple[str, str] | None], root: Path,
                paths: list[str]) -> tuple[str, str] | None:
    """What ``said_of`` gives first for the component's directories (``_component_dirs``): its text, shortened, and
    where it was read."""
    for directory in _component_dirs(paths):
        found = said_of(root, directory)
        if found:
            return _shorten(found[0]), found[1]
    return None


def _purpose_inferred(card: dict[str, Any]) -> bool:
    """Whether the card's purpose is the text of a decision only inferred to govern it."""
    source = card["purpose_source"] or ""
    path = source.removeprefix("decision ")
    return path != source and any(d.get("path") == path and d.get("inferred") for d in card.get("decisions") or [])


def _coupled_rows(nodes: Mapping[str, Node], coupled: list[Edge], other_end: Any) -> list[dict[str, Any]]:
    """A card's ``depends_on`` or ``used_by`` rows from its component's DEPENDS_ON edges out or in (``other_end``
    gives the other component's id), most imports first."""
    rows = []
    for e in coupled:
        props = e.current_props()  # (not kept: see graph.model.SlottedEdge)
        rows.append({"component": nodes[other_end(e)].key, "count": int(props.get("count") or 0),
                     "kinds": dict(props.get("kinds") or {})})
    return sorted(rows, key=lambda d: (-d["count"], d["component"]))


def _by_use(imports: Counter[str]) -> list[dict[str, Any]]:
    return [{"name": n, "imports": c} for n, c in sorted(imports.items(), key=lambda kv: (-kv[1], kv[0]))]


def governing_decisions(graph: RepoGraph, comp: Node, module_ids: set[str]) -> list[dict[str, Any]]:
    """Decisions that GOVERN the component or one of its modules, accepted and newest first."""
    return _governing(graph, {comp.id: comp.key, **{m: comp.key for m in module_ids}}).get(comp.key, [])


def _governing(graph: RepoGraph, component_of: dict[str, str],
               governs: list[Edge] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per component: the decisions that GOVERN it or one of its modules (``component_of``: the node ids of
    the components and their modules -> the component), accepted and newest first (``governs``: the GOVERNS
    edges, when already gathered)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    best: dict[tuple[str, str], tuple[bool, bool, str]] = {}  # (component, decision) -> the rank of the link kept
    for e in graph.of_type(Rel.GOVERNS) if governs is None else governs:
        key = component_of.get(e.target)
        if key is None:
            continue
        node = graph.nodes.get(e.source)
        if node is None or node.label is not Label.DECISION:
            continue
        target = graph.nodes[e.target]
        on_component = target.label is Label.COMPONENT
        via = "component" if on_component else target.key
        link = GovernsLink.from_edge(e)
        # one row per decision, from its best link: explicit before inferred, then the component's own link,
        # then the module first by name (whatever order the edges come in)
        rank = (link.inferred, not on_component, via)
        if (key, node.id) not in best or rank < best[(key, node.id)]:
            best[(key, node.id)] = rank
            found.setdefault(key, {})[node.id] = {
                **decision_summary(node),
                "inferred": link.inferred,
                "confidence": link.confidence,
                "via": via,
                "_node": node,
            }
    return {key: sorted(rows.values(), key=lambda d: decision_order(d["_node"], d["inferred"])) for key, rows in found.items()}


#: How sure an inferred link must be for its decision to say what the component is for: a path, module or package
#: named, or the record kept in its folder — not prose alone (Argo CD's controller got the Manifest Hydrator
#: proposal's context as its purpose from "controller" named five times).
PURPOSE_CONFIDENCE = 0.9


def _stated_purpose(comp: Node, decisions: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The purpose the configuration states (for a component CODEOWNERS declared, where: its source), else the newest
    decision in force governing the component, one that governs it explicitly first, then one inferred with
    ``PURPOSE_CONFIDENCE`` (``with_readme_purpose`` puts a README before an inferred one)."""
    description = comp.get("description")
    if description:
        return str(description).strip(), "CODEOWNERS" if comp.get("inferred") else "configuration"
    for d in sorted(decisions, key=lambda d: bool(d["inferred"])):
        node = d["_node"]
        if is_retired(node.get("status")) or d["inferred"] and (d.get("confidence") or 0) < PURPOSE_CONFIDENCE:
            continue
        text = node.get("summary") or node.get("text_excerpt")
        if text:
            return _shorten(str(text)), f"decision {node.key}"
    return None, None


def _component_dirs(paths: list[str]) -> list[str]:
    dirs = []
    for pattern in paths:
        literal = re.split(r"[*?\[]", str(pattern), maxsplit=1)[0].strip("/")
        if literal and "." in literal.rsplit("/", 1)[-1] and not re.search(r"[*?\[]", str(pattern)):
            literal = literal.rsplit("/", 1)[0] if "/" in literal else ""  # a file pattern: its directory
        if literal not in dirs:
            dirs.append(literal)
    return dirs


#: At most this much of a README is read for its first paragraph.
README_CHARS = 20_000


def _readme_purpose(root: Path, paths: list[str], repository: str) -> tuple[str, str] | None:
    for directory in _component_dirs(paths):
        if not directory:
            continue  # the repository's own README describes the repository, not the component
        found = _readme_in(root, directory, directory.rsplit("/", 1)[-1], paths, repository)
        if found:
            return found
    return None


def _namesake_purpose(root: Path, card: dict[str, Any]) -> tuple[str, str] | None:
    """The repository's own README for the component named as the repository is (mypy's ``mypy``, whose package has
    no docstring: the project is what the README describes)."""
    name = card.get("name")
    if not name or str(name).lower() != str(card.get("repository") or "").lower():
        return None
    return _readme_in(root, "", str(name), card["paths"], lead_only=True)


def _readme_in(root: Path, directory: str, name: str, paths: list[str], repository: str = "",
               lead_only: bool = False) -> tuple[str, str] | None:
    """The purpose the README of ``directory`` gives the component ``paths`` whose folder (or self) is called ``name``:
    the tagline of its title ("mypyc: Mypy to Python C Extension Compiler", over "For the mypyc README, refer to the
    mypyc repository."), else its lead paragraph; where the first prose sits under a section, what the package says
    of itself, else that section's paragraph unless it introduces what follows (ends with a colon), else a title that
    says more than the name ("ESLint Documentation", over "Install all required dependencies for the documentation
    site by running the following command inside the docs folder:"). A README a tool wrote (``_GENERATED``) gives way
    to what the package says of itself, and so does a lead whose first sentence is longer than a glance shows
    (``seen_whole``: eslint-plugin-drizzle's "For cases where it's impossible to perform type checks for specific
    scenarios, or where … we've decided to create an ESLint package…", over its package.json's "Eslint plugin for
    drizzle users to avoid common pitfalls"; where both say it in a sentence, the README's is as good or better in
    most of the 40 components of 27 repositories that have both: "Create tRPC routers and connect them to a server."
    over "The tRPC server library"). The sentences that say what the ``repository`` is, in the README of a component
    not named so, are not the component's (drizzle's sqlite-core/README.md: "Drizzle ORM is a tiny, blazingly fast
    TypeScript ORM…"). ``lead_only``: the tagline or the lead, never a section's paragraph (the repository's README:
    caddy's first is a feature's)."""
    from cairn.queries.explore.package_docs import read_start  # (as ``_package_purpose``)

    for readme in README_NAMES:
        where = f"{directory}/{readme}" if directory else readme
        text = read_start(root, where, README_CHARS)
        if text is None or _titled_by_a_side_topic(text, directory or name):
            continue
        if _GENERATED.match(text):  # uv's 66 crates: "<!-- This file is generated. DO NOT EDIT -->", the same lead in each
            found = _package_purpose(root, paths)
            if found:
                return found
        lead = _first_prose(text)
        if repository and lead.paragraph and _squeezed(repository) != _squeezed(name):
            lead = lead._replace(paragraph=_not_of_the_repository(lead.paragraph, repository))
        tagline = _tagline(lead.title, name)
        if tagline:
            return tagline, where
        if lead.paragraph and lead.headings <= 1:
            if not (lead_only or seen_whole(lead.paragraph)):
                found = _package_purpose(root, paths)
                if found and seen_whole(found[0]):
                    return found
            return lead.paragraph, where
        if lead_only:
            continue
        # no lead under the title: a section's paragraph ("## About Tauri", the same in ten crates), or none
        found = _package_purpose(root, paths)
        if found:
            return found
        # (a section's paragraph that introduces a listing or a command says little alone, nor a label: vue's
        # server-renderer, past its note, "**Signature**" under "### `renderToString`")
        if lead.paragraph and not lead.paragraph.endswith(":") and len(lead.paragraph.split()) >= 3:
            return lead.paragraph, where
        if lead.title and _names_more_than(lead.title, name):
            return lead.title, where
    return None


#: a README that opens by saying a tool wrote it (a comment: "generated", "do not edit")
_GENERATED = re.compile(r"\s*<!--(?=[^>]{0,200}?generated)(?=[^>]{0,200}?do not edit)", re.IGNORECASE)
#: what parts a title's name from its tagline: "mypyc: Mypy to …", "Foo - a bar", "Foo — a bar"
_TAGLINE_SEPARATOR = re.compile(r":\s+|\s+[-–—]\s+")


def _squeezed(text: str) -> str:
    return re.sub(r"[\W_]", "", text.lower())


#: a sentence that says what something is: its subject, then "is" or "are"
_DEFINITION = re.compile(r"(.{1,60}?)\s+(?:is|are)\s")


def _not_of_the_repository(paragraph: str, repository: str) -> str | None:
    """The sentences of a paragraph but those that say what the repository is ("Drizzle ORM is …" in drizzle-orm)."""
    kept = [sentence for sentence in _SENTENCE_END.split(paragraph)
            if not ((match := _DEFINITION.match(sentence)) and _squeezed(match.group(1)) == _squeezed(repository))]
    return " ".join(kept) or None


def _tagline(title: str | None, name: str) -> str | None:
    """What a README's title says the thing named ``name`` is, when it is "NAME: what it is" (or "NAME - …")."""
    if not title:
        return None
    parts = _TAGLINE_SEPARATOR.split(title, maxsplit=1)
    if len(parts) == 2 and _squeezed(parts[0]) == _squeezed(name) and len(parts[1].split()) > 1:
        return parts[1].strip()
    return None


def _names_more_than(title: str, name: str) -> bool:
    """Whether a title is more than a name: two words or more, not the folder's name spelt apart ("React Router")."""
    return len(title.split()) > 1 and _squeezed(title) != _squeezed(name)


#: how a README line that is no prose begins: a badge, an image, HTML, a reStructuredText directive or comment, a
#: table's row (tauri's crates open on "| Component | Version |")
_NOT_PROSE = ("[![", "![", "<", ".. ", "|", "+-")
#: a link alone on its line, a list item or not: a table of contents (webpack's examples/README.md: "1. [Aggressive
#: Merging](#aggressive-merging)", its purpose "1. Aggressive Merging 2. Chunk 3. Code Splitted …") or an index
_CONTENTS_ITEM = re.compile(r"(?:(?:[-*+]|\d+[.)])[ \t]+)?\[[^\]]*\]\([^)]*\)[ \t]*")
_HTML_TAG = re.compile(r"<[^<>]*>")
#: a heading's underline or overline (reStructuredText, Markdown's setext) or a thematic break
_RULE = re.compile(r"[=\-~^*#]{3,}")


def _titled_by_a_side_topic(text: str, directory: str) -> bool:
    """Whether a README's title (a Markdown or reStructuredText heading before any prose) is one of ``SIDE_TOPICS``
    that the folder's own name is not."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")[:40]]
    lines = [line for line in lines if line and not line.startswith(_NOT_PROSE)]
    if not lines:
        return False
    if _RULE.fullmatch(lines[0]) and len(lines) > 1:  # a reStructuredText title overlined
        lines = lines[1:]
    if lines[0].startswith("#"):
        title = lines[0].lstrip("#")
    elif len(lines) > 1 and _RULE.fullmatch(lines[1]):
        title = lines[0]
    else:
        return False
    topic = re.sub(r"[^a-z ]", "", title.lower()).strip()
    folder = directory.rsplit("/", 1)[-1].lower()
    return topic in SIDE_TOPICS and not (folder.startswith(topic[:4]) or topic.startswith(folder))


def _underlines(rule: str, paragraph: list[str]) -> bool:
    """Whether ``rule``, right under the lines of ``paragraph``, makes them a title: Markdown's setext underline (=, -)
    under any lines, reStructuredText's under one line at least as long; else (``***`` under prose) a break."""
    if not _RULE.fullmatch(rule):
        return False
    return rule[0] in "=-" or len(paragraph) == 1 and len(rule) >= len(paragraph[0])


def first_paragraph(markdown: str) -> str | None:
    """The first prose paragraph of a README: no headings, badges, tables, front matter, code, link reference
    definitions, rows of links, lists (and the paragraph that introduces one) or notes."""
    return _first_prose(markdown).paragraph


class _Lead(NamedTuple):
    """What the start of a README says: its first prose paragraph, how many headings come before it (its title and
    the sections it sits in), and its title (the first heading, when it comes before any prose)."""

    paragraph: str | None
    headings: int
    title: str | None


#: what opens a list item (CommonMark); only a bullet or "1." may interrupt a paragraph ("2024. was …" goes on one)
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_INTERRUPTING_MARKER = re.compile(r"(?:[-*+]|1[.)])[ \t]+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'`*_\[])")
#: what opens a note — a GitHub alert ("> [!NOTE]", drizzle-seed's lead), or a paragraph labelled so ("**Note: as of
#: 3.2.13+, this package is included…**", vue's server-renderer; "> **Compatibility Note:**", vite's create-vite): a
#: caveat of its use, not what it is
_NOTE = re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]|[*_]{0,2}(?:\w+ )?(?:note|warning|caution|important|tip)"
                   r"[*_]{0,2}:", re.IGNORECASE)


def _first_prose(markdown: str) -> _Lead:
    """The first prose paragraph of a README, past what is none: a list is skipped whole, with the paragraph that
    introduces it (ends with a colon) — mitmproxy's release/README.md, a "Release Checklist", read "1. Check if
    mitmproxy-rs needs a new release. 2. …", its web/README.md "- Install mitmproxy as described in …"; a note
    (``_NOTE``) is skipped."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        lines = lines[end + 1:] if end else lines
    paragraph: list[str] = []
    introduction: list[str] = []  # a paragraph that ends with a colon, kept unless a list follows it
    in_code = in_list = after_blank = False
    headings = 0
    title = None
    closer = None
    for line in lines:
        stripped = line.strip()
        if closer:  # the rest of an HTML tag or a badge over several lines (fastify's '<img\n src="…"\n />')
            closer = None if closer in stripped else closer
            continue
        if in_list and not in_code:
            if not stripped:
                after_blank = True
                continue
            # an item's lines: its marker's, indented ones, and a paragraph's lazy continuation
            if _LIST_MARKER.match(stripped) or line[:1] in (" ", "\t") or not after_blank \
                    and not stripped.startswith(("#", "```", "~~~")):
                after_blank = False
                continue
            in_list = False
        if stripped and introduction:
            if _LIST_MARKER.match(stripped):
                paragraph, introduction, in_list, after_blank = _unintroduced(introduction), [], True, False
                if paragraph:
                    break
                continue
            paragraph = introduction
            break
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            if paragraph and (paragraph := _kept(paragraph)):
                break
            continue
        if in_code:
            continue
        if _LIST_MARKER.match(stripped) and (not paragraph or _INTERRUPTING_MARKER.match(stripped)):
            paragraph = _unintroduced(_kept(paragraph)) if paragraph else []
            if paragraph:
                break
            in_list, after_blank = True, False
            continue
        closer = _unclosed(stripped)
        heading = stripped.startswith("#") or _RULE.fullmatch(stripped)
        if heading and paragraph and _underlines(stripped, paragraph):
            if not headings:
                title = " ".join(paragraph)
            paragraph = []  # the lines above were a title (etcd's "etcdctl" over "========")
            headings += 1
            continue
        if stripped.startswith("#"):
            if not headings:
                title = stripped.strip("#").strip()
            headings += 1
        # (a link alone on its line is a table of contents' item, unless it goes on with an open paragraph: gson's
        # proto "… a JSON serializer and deserializer for" / "[Protocol Buffers (protobuf)](…)" / "messages.")
        contents = _CONTENTS_ITEM.fullmatch(stripped) is not None and not (
            paragraph and stripped.startswith("[") and not paragraph[-1].endswith((".", ":", "!", "?")))
        badge = stripped.startswith(_NOT_PROSE) or contents
        if not stripped or heading or badge:
            if paragraph and (paragraph := _kept(paragraph)):
                if stripped or not paragraph[-1].endswith(":"):
                    break
                introduction, paragraph = paragraph, []
            continue
        paragraph.append(stripped.lstrip("> ") if stripped.startswith(">") else stripped)  # a quote's text
    paragraph = _kept(paragraph) if paragraph else introduction
    title = plain_markdown(_HTML_TAG.sub("", title)).strip() or None if title else None
    if not paragraph:
        return _Lead(None, headings, title)
    return _Lead(_shorten(plain_markdown(" ".join(paragraph))), headings, title)


def _unintroduced(paragraph: list[str]) -> list[str]:
    """A paragraph without its last sentence when that introduces what follows (ends with a colon): trpc's openapi,
    "The `@trpc/openapi` package generates an OpenAPI 3.1 specification from your tRPC router. Use the spec to:"."""
    text = " ".join(paragraph)
    if not text.endswith(":"):
        return paragraph
    sentences = _SENTENCE_END.split(text)
    return [" ".join(sentences[:-1])] if len(sentences) > 1 else []


def _kept(paragraph: list[str]) -> list[str]:
    """The lines of a paragraph that read as prose (``_prose_lines``), none of a note."""
    lines = _prose_lines(paragraph)
    return [] if lines and _NOTE.match(lines[0]) else lines


def _unclosed(line: str) -> str | None:
    """What ends an HTML tag or a badge that a README line opens and leaves open (">", "]("), else None: fastify's
    "[![Package Manager" goes on with "CI](https://…/badge.svg)](…)". An image by reference ("![Tracing —
    …][splash]", every tracing crate's first line) is closed: waiting for a "](" skipped its README to line 57."""
    if line.startswith("<") and ">" not in line[line.rfind("<"):]:
        return ">"
    if line.startswith(("[![", "![")) and "](" not in line and "][" not in line:
        return "]("
    return None


def _prose_lines(paragraph: list[str]) -> list[str]:
    """The lines of a README's paragraph from where it reads as prose, by CommonMark (markdown-it-py): not link
    reference definitions (traefik's docs/readme.md: "[mkdocs]: https://www.mkdocs.org "Mkdocs" …"), nor a row of
    links with no word outside them (eslint's packages: "[Website](…) | [Rules](…) | … | [Mastodon](…)"); none
    nor HTML and entities alone (caddy's "&nbsp;" between badges); none when it never does. (Only a paragraph with a
    bracket, an angle bracket or an ampersand is parsed: without one it holds none of these.)"""
    if not any(mark in line for line in paragraph for mark in "[<&"):
        return paragraph
    tokens = commonmark().parse("\n".join(paragraph))
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "paragraph_open" and opening.map and _words_outside_links(inline.children or []):
            return paragraph[opening.map[0]:]
    return []


def _words_outside_links(children: list[Any]) -> bool:
    depth = 0
    for token in children:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        elif not depth and token.type in ("text", "code_inline") and re.search(r"\w", token.content):
            return True
    return False


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= PURPOSE_MAX_CHARS:
        return text
    cut = text[:PURPOSE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _declared_owners(graph: RepoGraph, component_ids: dict[str, str], file_component: dict[str, str],
                     owns: list[Edge]) -> dict[str, list[dict[str, Any]]]:
    """Per component: the owners CODEOWNERS declares, of the component itself or of its files (with how many),
    from the OWNS edges ``owns``."""
    owners: dict[str, dict[str, dict[str, Any]]] = {}
    for e in owns:
        key = component_ids.get(e.target) or file_component.get(e.target)
        if key is None:
            continue
        rows = owners.get(key)
        if rows is None:
            rows = owners[key] = {}
        entry = rows.get(e.source)  # an owner's node id is the OWNS edge's source
        if entry is None:
            owner = graph.nodes.get(e.source)
            if owner is None:
                continue
            entry = rows[e.source] = {
                "owner": owner.key,
                "name": person_name(owner, owner.key) if owner.label is Label.PERSON else owner.key,
                "kind": "team" if owner.label is Label.TEAM else "person",
                "handle": owner.key if owner.label is Label.TEAM else next(iter(owner.get("owner_handles") or []), None),
                "component": False,
                "files": 0,
            }
        if e.target in component_ids:
            entry["component"] = True
        else:
            entry["files"] += 1
    return {key: sorted(rows.values(), key=lambda o: (not o["component"], -o["files"], o["owner"])) for key, rows in owners.items()}


def _recent_activity(graph: RepoGraph, file_component: dict[str, str],
                     knows: list[Edge]) -> dict[str, list[dict[str, Any]]]:
    """Per component (``file_component``: File node id -> component): the last change per person and file of its
    files, newest first, from the KNOWS edges ``knows``."""
    if not file_component:
        return {}
    if len(file_component) < len(knows) // 8:  # a few components' files (after a commit): their edges picked in C
        knows = list(compress(knows, map(file_component.__contains__, map(_TARGET, knows))))
    # the edges by component first, each one's rows made in turn: a row per edge of the whole graph (600,000 at 50k
    # files) made at once took 45 MB, the peak of the process that keeps the cards
    edges_of: dict[str, list[Edge]] = {}
    for e in knows:  # the largest relationship type: names are looked up only for the few rows shown
        key = file_component.get(e.target)
        if key is None:
            continue
        found = edges_of.get(key)
        if found is None:
            edges_of[key] = [e]
        else:
            found.append(e)
    nodes = graph.nodes
    out = {}
    for key, edges in edges_of.items():
        rows = []  # (when, file id, person id)
        for e in edges:
            when = e.get("last_touch")  # (a KnowsEdge reads it from its slot: graph.model)
            if when.__class__ is not str:
                when = as_text(when)
            if when:
                rows.append((when, e.target, e.source))
        if not rows:
            continue
        # newest first, then by file and person: two stable sorts, the cheap way to sort by (negated(last_touch),
        # file, person); the appended last code point sorts a time before any longer one it starts, as negated does.
        # Only the rows at least as new as the limit-th newest can be shown: the others are dropped before sorting.
        if len(rows) > RECENT_ACTIVITY_LIMIT:
            times = [t[0] for t in rows]
            if len(set(map(len, times))) == 1:  # times of one length (the usual): they order as they are, suffix or not
                cutoff = heapq.nlargest(RECENT_ACTIVITY_LIMIT, times)[-1]
                rows = [t for t in rows if t[0] >= cutoff]
            else:
                cutoff = heapq.nlargest(RECENT_ACTIVITY_LIMIT, (when + _LAST_CODE_POINT for when in times))[-1]
                rows = [t for t in rows if t[0] + _LAST_CODE_POINT >= cutoff]
        named = []
        for when, file_id, source in rows:
            person = nodes.get(source)
            named.append((when, nodes[file_id].key, person.key if person else source, person, source))
        named.sort(key=lambda t: (t[1], t[2]))
        named.sort(key=lambda t: t[0] + _LAST_CODE_POINT, reverse=True)
        out[key] = _activity_rows((when, file, person, source) for when, file, _, person, source
                                  in named[:RECENT_ACTIVITY_LIMIT])
    return out


def _activity_rows(touches: Iterable[tuple[str, str, Node | None, str]]) -> list[dict[str, Any]]:
    """Recent activity rows of ``(last_touch, file, person node, person id)`` touches, in their order."""
    return [{"person": person.key if person else source, "name": person_name(person, source),
             "kind": person.get("kind") if person else None, "file": file, "last_touch": when}
            for when, file, person, source in touches]


def holders_with_activity(graph: RepoGraph, holders: list[KnowledgeHolder],
                          gone: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Knowledge holders as rows, each with ``active``, ``gone`` and ``last_active`` (``queries.ownership.presence``).

    ``gone`` is ``gone_people(graph)[0]``, computed here when not given.
    """
    if gone is None:
        gone, _ = gone_people(graph)
    rows = []
    for h in holders:
        person = graph.node(Label.PERSON, h.id) if h.id else None
        rows.append({**h.to_props(), **presence(person, gone.get(person.id) if person is not None else None)})
    return rows
