"""Every read the interfaces serve, one function each: workspace and repository in, JSON-like data out.

No interface loads a graph itself; each read here answers from the cheapest
source that gives the same result:

* an answer kept at ingest (``services.answers``) for a read with its default
  parameters (the component list, the bus factor, people, decisions, rules,
  each component's card, the component dependencies), or narrowed from one
  (the bus factor of one component);
* else (an older store, a Neo4j store written before answers, parameters no
  answer covers) the analysis on the part of the graph it reads
  (``Workspace.part``: only the labels and relationship types named beside each
  read, never the whole graph unless it is cached already).

Analyses are imported where they are used: reading an answer needs none of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

from cairn.api.services import answers
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import InvalidQuery
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.store import RepositorySummary

if TYPE_CHECKING:  # only ``cypher`` is given limits, by its caller: a read of an answer needs no Cypher policy
    from cairn.graph.cypher_policy import CypherLimits

T = TypeVar("T")

LEVELS = ("module", "component")
#: The knowledge map's bounds, for the interfaces to declare: levels below the node asked for, children per node
#: (``queries.knowledge_map``'s ``MAX_DEPTH`` and ``DEFAULT_LIMIT``, repeated so reading an answer imports no analysis).
KNOWLEDGE_MAP_MAX_DEPTH = 4
KNOWLEDGE_MAP_LIMIT = 150

# The part of the graph each analysis reads (labels, relationship types): see the parity tests.
BUS_FACTOR_PART = ((Label.REPOSITORY, Label.FILE, Label.PERSON, Label.TEAM, Label.COMPONENT), (Rel.KNOWS, Rel.OWNS))
KNOWLEDGE_PART = ((Label.REPOSITORY, Label.FILE, Label.PERSON, Label.COMPONENT), (Rel.KNOWS,))
WHO_KNOWS_PART = ((Label.REPOSITORY, Label.FILE, Label.PERSON, Label.TEAM, Label.COMPONENT), (Rel.KNOWS, Rel.OWNS))
COMPONENTS_PART = ((Label.COMPONENT, Label.MODULE), (Rel.DEPENDS_ON,))
MODULES_PART = ((Label.MODULE, Label.EXTERNAL), (Rel.IMPORTS,))
PATHS_PART = ((Label.COMPONENT, Label.MODULE, Label.EXTERNAL), (Rel.IMPORTS, Rel.DEPENDS_ON))
PEOPLE_PART = ((Label.PERSON,), ())
DECISIONS_PART = ((Label.REPOSITORY, Label.DECISION, Label.RULE), (Rel.DECLARED_BY,))
RULES_PART = ((Label.DECISION, Label.RULE, Label.COMPONENT), (Rel.DECLARED_BY,))
SEARCH_PART = ((Label.COMPONENT, Label.MODULE, Label.PERSON, Label.DECISION), ())
CARD_PART = ((Label.REPOSITORY, Label.COMPONENT, Label.MODULE, Label.FILE, Label.EXTERNAL, Label.DECISION, Label.PERSON,
              Label.TEAM, Label.AGENT_INSTRUCTIONS), (Rel.DEPENDS_ON, Rel.IMPORTS, Rel.GOVERNS, Rel.OWNS, Rel.KNOWS, Rel.COVERS))
READING_PART = ((Label.REPOSITORY, Label.COMPONENT, Label.MODULE, Label.EXTERNAL, Label.DECISION, Label.PERSON, Label.TEAM),
                (Rel.IMPORTS, Rel.GOVERNS, Rel.OWNS))


def _part(ws: Workspace, summary: RepositorySummary, part: tuple[tuple[Label, ...], tuple[Rel, ...]]) -> RepoGraph:
    return ws.part(summary, *part)


def _answered(ws: Workspace, summary: RepositorySummary, name: str, part: tuple[tuple[Label, ...], tuple[Rel, ...]],
              compute: Callable[[RepoGraph], T]) -> T:
    """The answer ``name`` kept for the repository's stored graph, else ``compute`` on the part of the graph it reads."""
    kept = answers.read_answer(ws.store, summary.repo, name)
    if kept is not None:
        return kept
    return compute(_part(ws, summary, part))


def repositories(ws: Workspace) -> list[RepositorySummary]:
    return ws.store.repositories()


def components(ws: Workspace, repo: str | None) -> dict[str, Any]:
    """``{"components": [...]}``: paths, size, couplings and knowledge risk of every component."""
    from cairn.queries.dependencies import component_list

    return _answered(ws, ws.repository(repo), answers.COMPONENTS, COMPONENTS_PART, component_list)


def component_card(ws: Workspace, repo: str | None, name: str) -> dict[str, Any]:
    summary = ws.repository(repo)
    card = answers.read_answer(ws.store, summary.repo, answers.card_answer(name))
    if card is None:
        listed = answers.read_answer(ws.store, summary.repo, answers.COMPONENTS)
        names = [c["name"] for c in listed["components"]] if listed is not None else None
        if names is not None and name not in names:  # the answers cover every component: not one of them
            from cairn.queries.explore.common import unknown_name

            raise unknown_name("component", name, names, summary.repo)
        from cairn.queries.explore import component_card as card_of

        return card_of(_part(ws, summary, CARD_PART), name)
    from cairn.queries.explore.card import with_readme_purpose

    return with_readme_purpose(card, summary.props.get("path"))


def component_overview(ws: Workspace, repo: str | None, listed: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every component at a glance, for a newcomer (``cairn explore`` without a component): what its card says it is
    for (``description``, ``purpose_source``), its truck factor and risk, and the components it depends on and that
    use it, by name. The cards kept at ingest are read; a component without one (an older store) is computed.
    ``listed``: the repository's ``components`` when the caller has read them already."""
    summary = ws.repository(repo)
    listed = components(ws, summary.repo)["components"] if listed is None else listed
    rows = []
    for c in listed:
        card = component_card(ws, summary.repo, c["name"])
        rows.append({"name": c["name"], "description": card["description"], "purpose_source": card["purpose_source"],
                     "truck_factor": c.get("truck_factor"), "at_risk": c.get("at_risk"),
                     "depends_on": c["depends_on"], "used_by": c["used_by"]})
    return {"repository": summary.repo, "components": rows}


def dependency_graph(ws: Workspace, repo: str | None, level: str = "module") -> dict[str, Any]:
    """Modules and their imports (``module``), or components and their dependencies (``component``)."""
    if level not in LEVELS:
        raise InvalidQuery(f"level is module or component, not {level!r}")
    from cairn.queries import dependencies

    summary = ws.repository(repo)
    if level == "component":
        return _answered(ws, summary, answers.COMPONENT_DEPENDENCIES, COMPONENTS_PART, dependencies.component_dependencies)
    return dependencies.module_dependencies(_part(ws, summary, MODULES_PART))


def bus_factor(ws: Workspace, repo: str | None, *, component: str | None = None, leaving: Iterable[str] = (),
               path: str | None = None) -> dict[str, Any]:
    """The truck factor report; ``path`` adds a drill-down into the files under that directory; ``leaving`` recomputes
    it as if those people left, with what that changes (``impact``: ``queries.leaving``)."""
    from cairn.queries import ownership

    summary = ws.repository(repo)
    leaving = list(leaving)
    kept = _kept_bus_factor(ws, summary, component) if not leaving and path is None else None
    if kept is not None:
        return kept
    graph = _part(ws, summary, BUS_FACTOR_PART)
    report = ownership.bus_factor(graph, component=component, leaving=leaving, path=path)
    if leaving:
        from cairn.queries.leaving import leaving_impact

        before = _kept_bus_factor(ws, summary, component) or ownership.bus_factor(graph, component=component)
        report["impact"] = leaving_impact(before, report)
    return report


def _kept_bus_factor(ws: Workspace, summary: RepositorySummary, component: str | None) -> dict[str, Any] | None:
    """The bus-factor report with nobody leaving (of ``component`` alone, if given) from the stored answers; None when
    the store keeps none."""
    from cairn.queries import ownership

    report = answers.read_answer(ws.store, summary.repo, answers.BUS_FACTOR)
    scopes = answers.read_answer(ws.store, summary.repo, answers.BUS_FACTOR_COMPONENTS) if component is not None else {}
    if report is None or scopes is None:
        return None
    if component is None:
        return report
    if component not in scopes["names"]:
        raise ownership.unknown_component(component, scopes["names"])
    return ownership.one_component(report, component, scopes["without_files"].get(component))


def people(ws: Workspace, repo: str | None) -> dict[str, Any]:
    """Everyone resolved from the history, the identities merged into each, and likely duplicates left apart."""
    from cairn.queries.people import people as people_of

    return _answered(ws, ws.repository(repo), answers.PEOPLE, PEOPLE_PART, people_of)


def knowledge_map(ws: Workspace, repo: str | None, *, component: str | None = None, path: str | None = None,
                  depth: int = 2, limit: int = KNOWLEDGE_MAP_LIMIT, leaving: Iterable[str] = ()) -> dict[str, Any]:
    """One slice of the knowledge map (the file tree with lines, truck factor, orphaned files and holders).

    The index it is measured from is read once per ingest, beside the cached graph, so drilling down asks
    only for the next slice.
    """
    from cairn.queries import knowledge_map as knowledge

    graph = _part(ws, ws.repository(repo), KNOWLEDGE_PART)
    index = ws.derived(graph, "knowledge-index", knowledge.index_knowledge)
    return knowledge.knowledge_map(graph, component=component, path=path, depth=depth, limit=limit,
                                   leaving=list(leaving), index=index)


def decisions(ws: Workspace, repo: str | None) -> dict[str, Any]:
    from cairn.queries.decisions import decision_list

    return _answered(ws, ws.repository(repo), answers.DECISIONS, DECISIONS_PART, decision_list)


def rules(ws: Workspace, repo: str | None, component: str | None = None) -> dict[str, Any]:
    from cairn.queries.decisions import rule_list

    summary = ws.repository(repo)
    if component is None:
        return _answered(ws, summary, answers.RULES, RULES_PART, rule_list)
    return rule_list(_part(ws, summary, RULES_PART), component)


def shortest_path(ws: Workspace, repo: str | None, source: str, target: str) -> dict[str, Any]:
    from cairn.queries.explore import shortest_path as path_between

    return path_between(_part(ws, ws.repository(repo), PATHS_PART), source, target)


def search(ws: Workspace, repo: str | None, query: str, *, limit: int = 50) -> dict[str, Any]:
    from cairn.queries.explore import search as search_in

    return search_in(_part(ws, ws.repository(repo), SEARCH_PART), query, limit=limit)


def reading_list(ws: Workspace, repo: str | None, component: str | None = None) -> dict[str, Any]:
    from cairn.queries.explore import reading_list as reading_list_of
    from cairn.queries.explore.reading import asked_first

    # whom to ask first about the components whose authors left: the bus-factor report's (kept, or worked out on its part)
    return reading_list_of(_part(ws, ws.repository(repo), READING_PART), component,
                           ask_first=asked_first(bus_factor(ws, repo)))


def central_modules(ws: Workspace, repo: str | None, *, limit: int = 10, component: str | None = None) -> list[dict[str, Any]]:
    from cairn.queries.explore import central_modules as central

    return central(_part(ws, ws.repository(repo), PATHS_PART), limit, component=component)


def who_knows(ws: Workspace, repo: str | None, paths: Iterable[str], *, limit: int = 5) -> dict[str, Any]:
    """Per path: the people who know it (active or gone, with their share), its CODEOWNERS, its component."""
    from cairn.queries.who_knows import who_knows as who_knows_paths

    summary = ws.repository(repo)
    root, head = summary.props.get("path"), summary.props.get("head")

    def read(wanted: list[str]) -> dict[str, Any]:
        """The latest commits of paths Cairn keeps no history for, from the checkout ingested, at the commit stored
        (git's reader loaded only when such a path is asked about)."""
        from cairn.ingest.path_history import latest_commits

        return latest_commits(Path(root), head, wanted)

    usable = bool(root and head and Path(root).is_dir())
    return who_knows_paths(_part(ws, summary, WHO_KNOWS_PART), list(paths), limit=limit,
                           read_latest_commits=read if usable else None)


def briefing(ws: Workspace, repo: str | None, *, paths: Iterable[str] | None = None, component: str | None = None,
             limit: int = 5, full_text: bool = False) -> dict[str, Any]:
    """What to know before changing ``paths`` or ``component``: components, rules, decisions, people, agent guidance."""
    from cairn.queries import briefing as briefings

    return briefings.briefing(ws.graph(repo), paths=list(paths or []), component=component, limit=limit, full_text=full_text)


def cypher(ws: Workspace, query: str, params: dict[str, Any] | None = None, *,
           limits: CypherLimits | None = None) -> list[dict[str, Any]]:
    """A client's Cypher on a Neo4j store: reads of the graph only, within ``limits`` (default ``$CAIRN_CYPHER_*``).

    The same for every interface (``POST /query``, ``cairn query``, the MCP tool): the store applies
    ``graph.cypher_policy``, checks the server's plan, and stops the answer at the limits.
    """
    return ws.store.cypher(query, params or {}, limits=limits)
