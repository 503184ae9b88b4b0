"""The PR check's judgement: what a change introduces, and who should look at it.

``analyse(stored, change)`` is a pure function of the stored graph of a
repository and a ``ChangeSet`` (built by ``ingest.change`` from refs or a
diff). It reports only what the change introduces:

* new module import edges, each marked when it is in test code only or in a
  build or test tool's configuration only (``graph.buildconfig``), and an
  external package when the repository as stored imported it nowhere
  (``first_use``: a module's first import of testify is not a new dependency);
  an edge whose files the change does not touch is ``reached``: no import the
  author wrote, but one already there that now reaches a module the change
  moved, renamed or added (a wildcard, or a Kotlin name: ktor's 4434c02851
  moved ``WaitUtils.kt`` into a package two unchanged tests star-import and
  whose ``waitForCondition`` they call). Reports list those apart, once, not
  as new imports; a component dependency they alone make says so; an import
  the base had, moved with its files (``queries.moves``: ripgrep's fdd8510f moved
  every crate into ``crates/`` and had 152 new imports and 15 first component
  dependencies) is no new one, only counted (``moved_imports``), and makes no
  new component dependency unless a file moved into another component;
* new rule violations: findings of the repository's rules on the head graph
  that the base graph does not have and the baseline does not hold; those of
  imports in files the change does not touch (reached, as above) are one
  finding per rule and imported module, which says how many files reach it;
* new component dependencies (a first coupling between two components), one a
  move makes said to be made by moving that file;
* new cycles between components (unless an ``acyclic`` rule already judges them);
* what it removes: a component's last dependency on another (vue's 4d35ecadb
  replaced server-renderer's imports of ``vue`` by ``@vue/runtime-dom``: it said
  only "creates the first dependency of server-renderer on runtime-dom"), and a
  cycle between components of the base that the head no longer has; info, and
  never raised for an agent's change (good news needs no second look);
* the components it touches, with their bus factor and knowledge holders;
  touching an at-risk component is a finding of its own (``knowledge-risk``),
  unless the change touches there none of the files the truck factor counts
  (vue's release d2c458be2 bumped the version in 13 package.json files: 11
  findings), or only its tests, or only moves files, or only bots wrote it
  (dependabot's lock file bumps): the knowledge the truck factor measures is not what such a change
  needs; the components table still lists the component;
* a change to ``cairn.toml``, CODEOWNERS, import-linter contracts or an ADR
  (``governance``): the change's graphs are judged by the stored rules, so a
  pull request cannot relax the rules that judge it, and the architecture
  change itself is pointed at instead.
* files that usually change with a changed file but are left untouched
  (``co-change``, see ``queries.cochange``); a file only renamed is no changed
  one there (vue's 6a5b2098e moved its private packages: 4 warnings).

Agent authorship comes from the change's identities (already classified
human / bot / agent) that wrote it; from the lines of its commit messages and
description that mark an agent as the history's markers do (the change's
``agent_marks``: "Assisted-by: Cursor (Claude Opus 5)", "Generated with
Claude Code"), each the evidence that names it; and from a few phrases of a
PR description (``AGENT_DESCRIPTION_MARKERS``: "Copilot coding agent"): an
agent named as co-author of a commit GitHub made (a review suggestion
applied, ``IdentityRole.SUGGESTER``) reviewed the change, it did not write it. For an agent PR
whose description neither references a decision (an ADR path, number or
title) nor gives a written rationale, every finding but a governance one is
raised one severity step (info → warn → block).

Suggested reviewers come from ``queries.reviewers``: the people who know the
changed files, weighted by the lines changed in each (the ``ChangeSet``'s
hunks) — for a change of documentation or configuration only, which the
store keeps no history of, the people of those files' latest commits, which
the caller reads from git (``read_latest_commits``) —, and the CODEOWNERS of
those files who hold knowledge there — never an
author of the change (under any identity; a person named only as co-author may
review it, ``queries.reviewers.writers_and_co_authors``), a bot, an agent, nor someone gone
(departed, or inactive by the repository's thresholds;
``queries.ownership.gone_people``).

The report states at its top whether the stored history is complete
(``history_complete`` and ``history``: a shallow clone or missing objects).

The change's graphs need hold the IMPORTS edges of the modules the change
touches only when ``judged_by_importers(stored)``: every finding of its rules
then rests on one import of its importing module, so the findings a change
adds are those of the changed modules' imports (the others are the same at
base and head), whatever else the graphs hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from cairn.graph.change import AgentMark, ChangeSet, FileChange, Identity, IdentityKind
from cairn.graph.findings import Finding
from cairn.graph.model import Edge, GroupedGraph, Label, Rel, RepoGraph
from cairn.graph.people import KnowledgeHolder, PersonIndex
from cairn.graph.rules import DeclaredRule
from cairn.graph.severity import Severity, Verdict
from cairn.graph.buildconfig import is_build_config
from cairn.graph.testcode import import_files, is_test_file
from cairn.queries.cochange import cochange_findings
from cairn.queries.contracts import check
from cairn.queries.contracts.index import ImportIndex
from cairn.queries.dependencies import component_digraph, module_id
from cairn.queries.moves import MovedImport, Moves
from cairn.queries.ownership import gone_people, history_completeness
from cairn.queries.reviewers import (
    LikelyDuplicates,
    SuggestedReviewer,
    change_authors,
    suggest_reviewers,
    writers_and_co_authors,
)

if TYPE_CHECKING:
    from cairn.graph.path_commits import PathCommit
    import networkx as nx

GOVERNANCE_FILES = ("cairn.toml", ".importlinter", "CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS")
AGENT_DESCRIPTION_MARKERS = [
    (re.compile(r"co-authored-by:\s*claude", re.I), "description carries a Claude co-author trailer"),
    (re.compile(r"\b(github )?copilot (coding )?agent\b", re.I), "description mentions the Copilot coding agent"),
    (re.compile(r"\bcursor(agent| agent| background agent)\b", re.I), "description mentions a Cursor agent"),
    (re.compile(r"\bdevin(-ai)?\b.*\b(session|run)\b|app\.devin\.ai", re.I), "description links a Devin session"),
    (re.compile(r"\b(openai )?codex\b.*\b(task|generated)\b|chatgpt\.com/codex", re.I), "description links an OpenAI Codex task"),
    (re.compile(r"\bjules\b.*\bgoogle\b|jules\.google", re.I), "description mentions Google Jules"),
    (re.compile(r"\bgenerated (by|with) (an? )?(ai|llm|coding agent)\b", re.I), "description says it was generated by an AI agent"),
]
ADR_REFERENCE = re.compile(r"\bADR[-\s#_]?0*\d+\b|\b(?:docs?/)?(?:adr|decisions)/[\w./-]+", re.I)
RATIONALE_HEADING = re.compile(r"^\s*(?:#+\s*|\*\*)?(why|rationale|motivation|reasoning|justification|context)\b[:*\s]*$|^\s*(why|rationale|motivation)\s*:", re.I | re.M)
MIN_RATIONALE_WORDS = 15
#: An issue the change closes or refers to, where its reason is written (GitHub's and GitLab's closing keywords and
#: references: "Closes #15212", "Fixes gohugoio/hugo#1", a link to an issue): hugo's commits co-written with Claude
#: explain themselves and close an issue, and were raised as "no rationale" for want of a "Why:" heading.
ISSUE_REFERENCE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|refs?|see|part of|related to)\s*:?\s+(?:[\w.-]+/[\w.-]+)?#\d+\b"
    r"|https?://[^\s/]+/[^\s]+?/(?:-/)?(?:issues|pull|merge_requests)/\d+", re.I)
RAISED_BECAUSE = "agent-authored change without a rationale or ADR reference"


# -- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewEdge:
    """A module import edge the change adds."""

    source: str
    target: str
    kind: str | None
    file: str | None
    lines: tuple[int, ...]
    source_component: str | None
    target_component: str | None
    external: bool
    stdlib: bool = False  # an external target that is the language's standard library
    #: every file the import is in is test code (``graph.testcode``): a Go package's ``_test.go`` importing testify
    test_only: bool = False
    #: every file the import is in is a build or test tool's configuration (``graph.buildconfig``): a
    #: ``vite.config.ts`` importing a Vite plugin
    build_config: bool = False
    #: an external package the repository as stored did not import anywhere (not just new to this module)
    first_use: bool = False
    #: no file the import is in is one the change touches: an import already written reaches a module the change
    #: moved, renamed or added (see the module docstring)
    reached: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "kind": self.kind, "file": self.file, "lines": list(self.lines),
                "source_component": self.source_component, "target_component": self.target_component, "external": self.external,
                "stdlib": self.stdlib, "test_only": self.test_only, "build_config": self.build_config,
                "first_use": self.first_use, "reached": self.reached}


@dataclass(frozen=True)
class TouchedComponent:
    """A component the change touches, with its stored bus factor; ``gone`` holds the Person keys of holders gone,
    ``inactive`` those of them gone only by inactivity (not declared departed: quiet for a while, perhaps back)."""

    name: str
    truck_factor: int | None
    human_truck_factor: int | None
    knowledge_holders: tuple[KnowledgeHolder, ...]
    at_risk: bool
    files: tuple[FileChange, ...]
    gone: frozenset[str] = frozenset()
    #: its counted files with no author left (gone people removed); None when the store does not say
    orphaned_files: int | None = None
    #: where most of them have no author left, the people still here to ask first (the bus factor's ``ask_first``,
    #: stored on the component): their names
    ask_first: tuple[str, ...] = ()
    inactive: frozenset[str] = frozenset()

    def gone_mark(self, key: str) -> str | None:
        """How a holder who is gone is marked ("inactive", "left"); None for one still here."""
        return None if key not in self.gone else "inactive" if key in self.inactive else "left"

    def to_json(self) -> dict[str, Any]:
        holders = [{**h.to_props(), "active": h.id not in self.gone} for h in self.knowledge_holders]
        return {"name": self.name, "truck_factor": self.truck_factor, "human_truck_factor": self.human_truck_factor,
                "knowledge_holders": holders, "at_risk": self.at_risk}


@dataclass(frozen=True)
class AgentDetection:
    detected: bool
    evidence: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"detected": self.detected, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class Rationale:
    """Whether a PR description references a decision or argues for the change in writing."""

    present: bool
    decision_references: tuple[str, ...]
    written_rationale: bool
    issue_references: tuple[str, ...] = ()  # the issues it closes or refers to (``ISSUE_REFERENCE``)

    def to_json(self) -> dict[str, Any]:
        return {"present": self.present, "decision_references": list(self.decision_references),
                "written_rationale": self.written_rationale, "issue_references": list(self.issue_references)}


@dataclass(frozen=True)
class PRReport:
    """The judgement of one change (see the module docstring)."""

    verdict: Verdict
    base: str | None
    head: str | None
    findings: tuple[Finding, ...]
    new_edges: tuple[NewEdge, ...]
    touched_components: tuple[TouchedComponent, ...]
    suggested_reviewers: tuple[SuggestedReviewer, ...]
    agent: AgentDetection
    rationale: Rationale
    changed_files: tuple[FileChange, ...]
    #: whether the stored history is complete, and its counts and warnings (``ownership.history_completeness``)
    history_complete: bool = True
    history: dict[str, Any] = field(default_factory=dict)
    #: imports of the base the change moved with their files (``queries.moves``): not new, not in ``new_edges``
    moved_imports: int = 0

    @property
    def blocking(self) -> bool:
        return self.verdict.blocking

    def to_json(self) -> dict[str, Any]:
        return {
            "history_complete": self.history_complete, "history": dict(self.history),
            "verdict": self.verdict.value, "base": self.base, "head": self.head,
            "findings": [f.to_json() for f in self.findings],
            "new_edges": [e.to_json() for e in self.new_edges], "moved_imports": self.moved_imports,
            "touched_components": [c.to_json() for c in self.touched_components],
            "suggested_reviewers": [r.to_json() for r in self.suggested_reviewers],
            "agent": self.agent.to_json(), "rationale": self.rationale.to_json(),
            "changed_files": [f.to_json() for f in self.changed_files],
        }


# -- the analysis ----------------------------------------------------------------------


def analyse(stored: RepoGraph, change: ChangeSet, *, read_components: Callable[[set[str]], None] | None = None,
            read_latest_commits: Callable[[list[str]], Mapping[str, list[PathCommit]]] | None = None) -> PRReport:
    """Judge ``change`` against the repository as stored (see the module docstring).

    ``read_components`` completes a part of the stored graph for reviewers' stand-ins, ``read_latest_commits`` reads
    the latest commits of changed paths the store keeps no file for from git (``suggest_reviewers``).
    """
    # each graph grouped by label and type once: the judgement asks some twenty times (rules, people, imports, ...)
    # and a walk of every node or edge costs a few milliseconds at 50k modules; the stored graph is often the base
    whole = stored
    stored = grouped(stored)
    base = stored if change.base_graph is whole else grouped(change.base_graph)
    head = grouped(change.head_graph)
    before, after = _edge_map(base, change.changed_modules), _edge_map(head, change.changed_modules)
    new_edges, moved = _new_edges(before, after, base, head, stored,
                                  frozenset(p for f in change.files for p in f.paths if p), Moves.of(change, base, head))
    findings: list[Finding] = _new_violations(change, base, head)
    dependencies = _dependency_changes(base, head)
    findings += _new_component_dependencies(base, head, dependencies[0], new_edges, moved)
    if not any(r.get("kind") == "acyclic" for r in stored.of_label(Label.RULE)):
        findings += _new_cycles(base, head, *dependencies)
    people = PersonIndex.of(stored)
    gone, _ = gone_people(stored, people)
    authors, co_authors = writers_and_co_authors(change.identities)
    # (the author under another identity Cairn keeps apart is no more asked about his own change than reviews it)
    duplicates = LikelyDuplicates({n.id: n for n in stored.of_label(Label.PERSON)})
    author_ids = duplicates.with_those_of(change_authors(people, authors))
    touched = _touched_components(stored, change, {stored.nodes[nid].key: why for nid, why in gone.items()},
                                  frozenset(stored.nodes[nid].key for nid in author_ids))
    findings += _knowledge_risks(touched, by_bots=bool(authors) and all(i.kind is IdentityKind.BOT for i in authors))
    findings += _governance_changes(stored, change)

    agent = detect_agent(change.identities, change.description, change.agent_marks)
    # (a local check of a branch has no description: its commits' messages argue for it, as hugo's do)
    rationale = find_rationale(change.description if change.description else "\n\n".join(change.messages), stored)
    if agent.detected and not rationale.present:
        findings = [f if f.kind == "governance" else f.raised(RAISED_BECAUSE) for f in findings]
    findings += _removed_component_dependencies(base, dependencies[1], _removed_edges(before, after, base, moved), moved)
    findings += _broken_cycles(base, head, *dependencies)
    # usual partners left untouched; after the raise above, which co-change findings grade themselves
    findings += cochange_findings(stored, [p for f in change.files for p in f.paths], agent=agent.detected,
                                  unchanged=[p for f in change.files if _only_renamed(f) for p in f.paths])
    reviewers = suggest_reviewers(stored, lines_changed(change), authors, index=people, gone=gone,
                                  read_components=read_components, components=changed_components(change),
                                  co_authors=co_authors, duplicates=duplicates, read_latest_commits=read_latest_commits)
    history_complete, history = history_completeness(stored)
    return PRReport(
        verdict=Verdict.of(f.severity for f in findings), base=change.base, head=change.head, findings=tuple(findings),
        new_edges=tuple(new_edges), touched_components=tuple(touched), suggested_reviewers=tuple(reviewers),
        agent=agent, rationale=rationale, changed_files=change.files, history_complete=history_complete, history=history,
        moved_imports=len(moved),
    )


def _only_renamed(f: FileChange) -> bool:
    """Whether the change renamed the file and changed nothing in it."""
    return f.old_path is not None and not f.hunks and not f.binary


def judged_by_importers(graph: RepoGraph) -> bool:
    """Whether every rule of ``graph`` judges imports one at a time, by their importing module: no ``transitive``
    rule (a chain through other modules) and no ``acyclic`` one (cycles among all of a subject's imports).

    Every finding of such rules is one direct import ``a -> b`` keyed by
    ``(rule, a, b)``, found from ``a``'s imports and the modules each subject
    names (which need every Module node, not their imports).
    """
    for node in graph.of_label(Label.RULE):
        try:
            spec = DeclaredRule.from_node(node).spec
        except (ValueError, KeyError, TypeError):
            return False  # a rule the judgement itself will report on: read everything it may need
        if spec.transitive or spec.kind == "acyclic":
            return False
    return True


def changed_components(change: ChangeSet) -> dict[str, str | None]:
    """The component of each changed path (both names of a rename), by the stored component definitions."""
    out: dict[str, str | None] = {}
    for f in change.files:
        out[f.path] = f.component
        if f.old_path:
            out[f.old_path] = f.old_component
    return out


def lines_changed(change: ChangeSet) -> dict[str, int]:
    """Lines added plus removed per changed path (both names of a rename), from the change's hunks."""
    out: dict[str, int] = {}
    for f in change.files:
        for path in f.paths:
            out[path] = out.get(path, 0) + f.lines_changed
    return out


def _edge_map(graph: RepoGraph, sources: frozenset[str] | None = None) -> dict[tuple[str, str], Edge]:
    """The IMPORTS edges of ``graph`` (of the modules ``sources``, if given) by (source, target) module id."""
    ids: dict[str, str] = {}
    out = {}
    nodes, edges = graph.nodes, graph.edges
    imports = Rel.IMPORTS.value
    # picked by their keys (a key starts with its type's value): a graph of 50k modules holds 90k other edges
    for e in [edges[key] for key in edges if key[0] == imports]:
        src = nodes[e.source]
        if sources is not None and src.key not in sources:
            continue
        s_id = ids.get(e.source) or ids.setdefault(e.source, module_id(src))
        t_id = ids.get(e.target) or ids.setdefault(e.target, module_id(nodes[e.target]))
        out[(s_id, t_id)] = e
    return out


def _new_edges(before: dict[tuple[str, str], Edge], after: dict[tuple[str, str], Edge], base: RepoGraph, head: RepoGraph,
               stored: RepoGraph, changed_paths: frozenset[str],
               moves: Moves | None) -> tuple[list[NewEdge], list[MovedImport]]:
    """The import edges of ``after`` (the head's, ``_edge_map``) that ``before`` (the base's) lacks, and those of them
    that are the base's, moved with their files (``moves``: the change's renames, None when it has none)."""
    out, moved = [], []
    for (s_id, t_id), e in sorted(after.items()):
        if (s_id, t_id) in before:
            continue
        src, tgt = head.nodes[e.source], head.nodes[e.target]
        carried = moves.moved_from(src, tgt, e, before) if moves is not None else None
        if carried is not None:
            moved.append(carried)
            continue
        external = tgt.label is Label.EXTERNAL
        files = import_files(e.props)
        out.append(NewEdge(s_id, t_id, e.props.get("kind"), e.props.get("file"), tuple(e.props.get("lines") or ()),
                           src.props.get("component"), tgt.props.get("component"), external,
                           external and bool(tgt.props.get("stdlib")),
                           test_only=bool(files) and all(map(is_test_file, files)),
                           build_config=bool(files) and all(map(is_build_config, files)),
                           first_use=external and stored.node(Label.EXTERNAL, tgt.key) is None
                           and base.node(Label.EXTERNAL, tgt.key) is None,
                           reached=bool(files) and changed_paths.isdisjoint(files)))
    return out, moved


@dataclass(frozen=True)
class RemovedEdge:
    """An import between modules of two components that the base has and the head has not: where it was."""

    source: str
    target: str
    file: str | None
    line: int | None
    source_component: str
    target_component: str


def _removed_edges(before: dict[tuple[str, str], Edge], after: dict[tuple[str, str], Edge],
                   base: RepoGraph, moved: list[MovedImport]) -> list[RemovedEdge]:
    """The imports between modules of two components in ``before`` (the base's, ``_edge_map``) that ``after`` lacks,
    but for those ``moved`` with their files."""
    carried = {m.base_pair for m in moved}
    out = []
    for (s_id, t_id), e in sorted(before.items()):
        if (s_id, t_id) in after or (s_id, t_id) in carried:
            continue
        src, tgt = base.nodes[e.source], base.nodes[e.target]
        a, b = src.props.get("component"), tgt.props.get("component")
        if tgt.label is Label.EXTERNAL or not a or not b or a == b:
            continue
        lines = e.props.get("lines") or ()
        out.append(RemovedEdge(s_id, t_id, e.props.get("file"), lines[0] if lines else None, a, b))
    return out


def grouped(graph: RepoGraph) -> GroupedGraph:
    """``graph`` read through its nodes and edges grouped once (``GroupedGraph``: the same maps, nothing copied)."""
    return graph if isinstance(graph, GroupedGraph) else GroupedGraph(graph)


def _new_violations(change: ChangeSet, base: RepoGraph, head: RepoGraph) -> list[Finding]:
    """The findings of the rules on the head that the base lacks (``base`` and ``head``: the change's graphs). The
    head's import index is the base's with the imports of the modules the change re-wrote (``ImportIndex.patched``),
    not built again."""
    if not head.of_label(Label.RULE):
        return []  # the stored rules judge both graphs: none, no finding either side
    base_index = ImportIndex(base)
    head_index = ImportIndex(head) if change.changed_modules is None else \
        ImportIndex.patched(base_index, head, change.changed_modules)
    before = {f.key for f in check(base, baseline=change.baseline, index=base_index).findings}
    found = [f.as_new() for f in check(head, baseline=change.baseline, index=head_index).findings
             if f.key not in before]
    return _reached_once(found, frozenset(p for f in change.files for p in f.paths if p))


def _reached_once(findings: list[Finding], changed_paths: frozenset[str]) -> list[Finding]:
    """``findings`` with those of imports in files the change does not touch (``NewEdge.reached``) kept once per rule
    and imported module: the first, by file, saying so and how many other files reach it the same way."""
    out: list[Finding | list[Finding]] = []  # a group of reached findings where its first one was
    reached: dict[tuple[str, str | None], list[Finding]] = {}
    for f in findings:
        if f.file is None or f.file in changed_paths:
            out.append(f)
        elif (f.rule, f.target) in reached:
            reached[f.rule, f.target].append(f)
        else:
            out.append(reached.setdefault((f.rule, f.target), [f]))
    return [f if isinstance(f, Finding) else _said_once(f) for f in out]


def _said_once(group: list[Finding]) -> Finding:
    first = min(group, key=lambda f: (f.file or "", f.line or 0))
    others = len({f.file for f in group}) - 1
    more = f"; {others} more unchanged file(s) reach it the same way" if others else ""
    return replace(first, message=f"{first.message} (through an import already in {first.file}, which this change "
                                  f"does not touch{more})")


def _new_component_dependencies(base: RepoGraph, head: RepoGraph, added: set[tuple[str, str]],
                                new_edges: list[NewEdge], moved: list[MovedImport] = ()) -> list[Finding]:
    """A finding per component dependency of the head that the base lacks (``added``: DEPENDS_ON as node ids), and one
    per component the head adds, naming its dependencies both ways: every dependency of a new component is a first
    one (pip's #14176 split exceptions.py into a package, a component of its own: 22 findings said so). One that
    only imports ``moved`` with their files make is none when those files stay where they were (a package moved
    whole, ``MovedImport.stays``), else one the move makes, said so."""
    nodes = head.nodes
    out = []
    new = {end for pair in added for end in pair if end not in base.nodes}
    for cid in sorted(new, key=lambda c: nodes[c].key):
        component = nodes[cid].key
        uses = sorted(nodes[t].key for s, t in added if s == cid)
        users = sorted(nodes[s].key for s, t in added if t == cid)
        said = [f"it depends on {_listed(uses)}"] if uses else []
        said += [f"{_listed(users)} {'depends' if len(users) == 1 else 'depend'} on it"] if users else []
        paths = ", ".join(nodes[cid].get("paths") or [])
        out.append(Finding(
            rule="cairn/new-component-dependency", kind="new_dependency", severity=Severity.INFO, new=True,
            message=f"adds component {component}" + (f" ({paths})" if paths else "") + ": " + "; ".join(said),
            source_component=component,
        ))
    moved_between = _grouped_by(moved, lambda m: m.components)  # (not a walk of every moved import per pair)
    for a, b in sorted((nodes[s].key, nodes[t].key) for s, t in added if s not in new and t not in new):
        between = [e for e in new_edges if e.source_component == a and e.target_component == b]
        carried = moved_between.get((a, b), [])
        if any(m.stays for m in carried):
            continue  # the base's, moved: a package moved whole keeps its dependencies
        if carried and not between:
            out.append(_moved_dependency(carried[0], a, b))
            continue
        first = next((e for e in between if not e.reached), between[0] if between else None)  # one the author wrote
        line = first.lines[0] if first and first.lines else None
        where = f" ({first.source} imports {first.target} at {first.file}:{line if line is not None else '?'})" if first else ""
        if first is not None and first.reached:
            where = (f" ({first.source} reaches {first.target} through its unchanged import at "
                     f"{first.file}:{line if line is not None else '?'})")
        out.append(Finding(
            rule="cairn/new-component-dependency", kind="new_dependency", severity=Severity.INFO, new=True,
            # (test code's imports make no component dependency: cert-manager's acme had one on util in a test file;
            # but a component of tests alone depends through them: commons-lang's external/AnnotationEqualsTest)
            message=f"creates the first dependency of component {a} on component {b}"
                    f"{'' if first is not None and first.file and is_test_file(first.file) else ' outside its tests'}{where}",
            source=first.source if first else None, target=first.target if first else None,
            source_component=a, target_component=b, file=first.file if first else None, line=line,
        ))
    return out


def _new_cycles(base: RepoGraph, head: RepoGraph, added: set[tuple[str, str]], dropped: set[tuple[str, str]]) -> list[Finding]:
    return [Finding(
        rule="cairn/new-cycle", kind="cycle", severity=Severity.WARN, new=True,
        message=f"creates a dependency cycle between components: {' -> '.join(cycle + [cycle[0]])}",
        source_component=cycle[0], target_component=cycle[1] if len(cycle) > 1 else cycle[0], cycle=tuple(cycle),
    ) for cycle in _cycles_only_in(head, base, added, dropped)]


def _removed_component_dependencies(base: RepoGraph, dropped: set[tuple[str, str]], removed: list[RemovedEdge],
                                    moved: list[MovedImport] = ()) -> list[Finding]:
    """A finding per component dependency of the base that the head lacks (``dropped``: DEPENDS_ON as node ids), naming
    an import the change removed between the two (``removed``), where it was; or the file whose move took it away
    (``moved``), unless the files moved stay where they were (a package moved whole)."""
    nodes = base.nodes
    out = []
    removed_between = _grouped_by(removed, lambda e: (e.source_component, e.target_component))
    moved_between = _grouped_by(moved, lambda m: m.were)
    for a, b in sorted((nodes[s].key, nodes[t].key) for s, t in dropped):
        gone = next(iter(removed_between.get((a, b), ())), None)
        carried = moved_between.get((a, b), [])
        if any(m.stays for m in carried):
            continue  # the head's, moved
        if carried and gone is None:
            out.append(_moved_dependency(carried[0], a, b, removed=True))
            continue
        where = ""
        if gone is not None:
            where = f" ({gone.source} imported {gone.target} at {gone.file or gone.source}" \
                    f"{f':{gone.line}' if gone.line is not None else ''})"
        out.append(Finding(
            rule="cairn/removed-component-dependency", kind="removed_dependency", severity=Severity.INFO, new=True,
            message=f"removes the last dependency of component {a} on component {b}{where}",
            source=gone.source if gone else None, target=gone.target if gone else None,
            source_component=a, target_component=b, file=gone.file if gone else None,
        ))
    return out


def _grouped_by(items: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    """``items`` by ``key``, each group in their order."""
    out: dict[Any, list[Any]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def _moved_dependency(m: MovedImport, a: str, b: str, *, removed: bool = False) -> Finding:
    """The finding of a dependency of component ``a`` on ``b`` that moving a file of the import ``m`` makes (or, when
    ``removed``, takes away): which file moved, from where, to where."""
    end = 0 if m.moved_files[0] is not None else 1
    was, now = m.were[end], m.components[end]
    whence = f"from component {was}" if was else "from outside every component"
    whither = f"into component {now}" if now else "out of every component"
    what = "removes the last" if removed else "creates the first"
    line = m.line if m.line is not None else "?"
    old, new = m.moved_files[end] or ("?", "?")
    return Finding(
        rule="cairn/removed-component-dependency" if removed else "cairn/new-component-dependency",
        kind="removed_dependency" if removed else "new_dependency", severity=Severity.INFO, new=True,
        message=f"{what} dependency of component {a} on component {b} by moving {old} to {new}, {whence} {whither} "
                f"({m.source} imports {m.target} at {m.file or m.source}:{line}, as it did before the move)",
        source=m.source, target=m.target, source_component=a, target_component=b, file=m.file,
        line=None if removed else m.line,
    )


def _broken_cycles(base: RepoGraph, head: RepoGraph, added: set[tuple[str, str]], dropped: set[tuple[str, str]]) -> list[Finding]:
    """A finding per cycle the change breaks: ``_new_cycles`` the other way round (the head is the base of its
    reverse), named by a shortest one through a dependency it removes."""
    return [Finding(
        rule="cairn/broken-cycle", kind="broken_cycle", severity=Severity.INFO, new=True,
        message=f"breaks the dependency cycle between components {' -> '.join(cycle + [cycle[0]])}",
        source_component=cycle[0], target_component=cycle[1] if len(cycle) > 1 else cycle[0], cycle=tuple(cycle),
        importer=cycle[0], imported=cycle[1] if len(cycle) > 1 else cycle[0],
    ) for cycle in _cycles_only_in(base, head, dropped, added)]


def _cycles_only_in(graph: RepoGraph, other: RepoGraph, only: set[tuple[str, str]], not_in: set[tuple[str, str]]) -> list[list[str]]:
    """A cycle of components per strongly connected set (two or more) of ``graph`` within none of ``other``'s, through
    a dependency of ``only`` (those ``graph`` has and ``other`` has not; ``not_in``: the other way round)."""
    if not only or not _closes_new_cycle(_successors((e.source, e.target) for e in other.of_type(Rel.DEPENDS_ON)),
                                         only, not_in):
        return []  # every cycle of ``graph`` is one of ``other``'s: networkx is not even imported
    import networkx as nx  # ~0.3 s to import: only for a change that makes or breaks a cycle

    g, g_other = component_digraph(graph), component_digraph(other)
    other_sccs = [c for c in nx.strongly_connected_components(g_other) if len(c) > 1]
    return [_cycle_through_new(g.subgraph(scc), g_other) for scc in nx.strongly_connected_components(g)
            if len(scc) > 1 and not any(scc <= o for o in other_sccs)]


def _listed(names: list[str], most: int = 8) -> str:
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


def _dependency_changes(base: RepoGraph, head: RepoGraph) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The component dependencies (DEPENDS_ON, as node ids) the head adds and those it drops, looked up by their keys
    (no edge read, and neither graph's whole set of them made: 50k modules in 1,000 components have 90k)."""
    depends_on = Rel.DEPENDS_ON.value
    base_edges, head_edges = base.edges, head.edges
    added = {key[1:] for key in head_edges if key[0] == depends_on and key not in base_edges}
    dropped = {key[1:] for key in base_edges if key[0] == depends_on and key not in head_edges}
    return added, dropped


def _new_strongly_connected(base: set[tuple[str, str]], head: set[tuple[str, str]]) -> bool:
    """Whether some strongly connected set of the head (two or more components) is not within one of the base's:
    exactly when ``_new_cycles`` reports something.

    Such a set holds a cycle through two nodes of different base sets; going round it, the base's edges never lead
    back to an earlier set (they follow the order of the base's condensation), so one of its edges is new and joins
    two nodes of different base sets; and a new edge ``a -> b`` whose end reaches back to ``a`` at the head, with
    ``a`` and ``b`` not in one base set, closes such a cycle. So only the new edges are looked at, each with a search
    that stops when it finds its node, rather than every strongly connected set of two graphs of every component
    (a node in no base set stands for itself)."""
    return _closes_new_cycle(_successors(base), head - base, base - head)


def _closes_new_cycle(base_succ: dict[str, list[str]], added: set[tuple[str, str]], dropped: set[tuple[str, str]]) -> bool:
    """``_new_strongly_connected`` from the base's successors and the pairs the head adds and drops."""
    new = sorted(added)
    if not new:
        return False  # every strongly connected set of the head is one in the base too
    head_succ = _HeadSuccessors(base_succ, _successors(added), dropped)  # the base's, changed: not built again
    for a, b in new:
        if not _reaches(head_succ, b, a):
            continue  # on no cycle of the head
        if not (_reaches(base_succ, a, b) and _reaches(base_succ, b, a)):
            return True
    return False


class _HeadSuccessors:
    """The successors of each node at the head, as the base's without the ``dropped`` edges and with the ``added``."""

    def __init__(self, base: dict[str, list[str]], added: dict[str, list[str]], dropped: set[tuple[str, str]]):
        self.base, self.added, self.dropped = base, added, dropped

    def get(self, node: str, default=()):
        found = self.base.get(node, default)
        if self.dropped:
            found = [child for child in found if (node, child) not in self.dropped]
        more = self.added.get(node)
        return found if not more else [*found, *more]


def _successors(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each node's successors in ``pairs`` (source, target), in the order the pairs come."""
    succ: dict[str, list[str]] = {}
    for a, b in pairs:
        found = succ.get(a)
        if found is None:
            succ[a] = [b]
        else:
            found.append(b)
    return succ


def _reaches(succ: "dict[str, list[str]] | _HeadSuccessors", start: str, goal: str) -> bool:
    """Whether a path of ``succ`` leads from ``start`` to ``goal`` (searching only until it is found)."""
    if start == goal:
        return True
    seen = {start}
    todo = [start]
    while todo:
        for child in succ.get(todo.pop(), ()):
            if child == goal:
                return True
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return False


def _cycle_through_new(scc: nx.DiGraph, base: nx.DiGraph) -> list[str]:
    """A shortest cycle of ``scc`` that uses an edge ``base`` lacks: the cycle the change closes, not an old one beside it."""
    import networkx as nx

    best: list[str] | None = None
    for a, b in scc.edges:
        if base.has_edge(a, b):
            continue
        try:
            back = nx.shortest_path(scc, b, a)  # b ... a, closed by the new edge a -> b
        except nx.NetworkXNoPath:
            continue
        cycle = [a] + back[:-1]
        if best is None or (len(cycle), cycle) < (len(best), best):
            best = cycle
    return best or [u for u, _ in nx.find_cycle(scc)]


def _touched_components(stored: RepoGraph, change: ChangeSet, gone_keys: Mapping[str, str],
                        author_keys: frozenset[str] = frozenset()) -> list[TouchedComponent]:
    """The components the change touches (``gone_keys``: Person key -> why gone, ``queries.gone``); whom to ask first
    about one leaves out the change's authors (``author_keys``: their Person keys), who are not asked about their own
    change."""
    files: dict[str, list[FileChange]] = {}
    for f in change.files:
        for comp in {f.component, f.old_component} - {None}:
            files.setdefault(str(comp), []).append(f)
    out = []
    for name in sorted(files):
        node = stored.node(Label.COMPONENT, name)
        props = node.props if node else {}
        holders = tuple(KnowledgeHolder.of(node))
        gone_holders = frozenset(h.id for h in holders if h.id in gone_keys)
        ask = props.get("ask_first") if isinstance(props.get("ask_first"), list) else []
        out.append(TouchedComponent(name, props.get("truck_factor"), props.get("human_truck_factor"), holders,
                                    bool(props.get("at_risk")), tuple(files[name]), gone_holders,
                                    props.get("orphaned_files"), tuple(str(a.get("person")) for a in ask
                                                                       if isinstance(a, dict) and a.get("id") not in author_keys),
                                    frozenset(h for h in gone_holders if gone_keys[h] == "inactive")))
    out.sort(key=lambda c: (not c.at_risk, c.truck_factor if c.truck_factor is not None else 99, c.name))
    return out


def _knowledge_risks(touched: list[TouchedComponent], *, by_bots: bool = False) -> list[Finding]:
    """A finding per component at risk that the change touches, unless it touches only tests there: poetry's every
    change with a test (its ``tests/`` a component of 188 files with no author left) said so, which no reviewer can
    act on; nor where it touches none of the files the truck factor counts (``FileChange.counted``: a version bumped
    in a package.json or Cargo.toml, a lock file, a README's link: vue's release d2c458be2 raised 11), as the risk is
    the truck factor's; nor where it only moves files, changing no line of them (ripgrep's fdd8510f moved every crate
    into ``crates/``: 10 findings); nor when only bots wrote the change (``by_bots``: ripgrep's dependabot bump
    6dfaec03), which needs no one's knowledge of the code to write. The components table still lists the component."""
    if by_bots:
        return []
    out = []
    for comp in touched:
        code = [f for f in comp.files if f.counted and not is_test_file(f.path) and not _only_renamed(f)]
        if not comp.at_risk or comp.files and not code:
            continue
        first = min(code or comp.files, key=lambda f: f.path) if comp.files else None  # pointing at the code changed
        out.append(Finding(
            rule="cairn/knowledge-risk", kind="knowledge_risk", severity=Severity.INFO, new=True,
            message=f"touches component {comp.name}, at risk: {_why_at_risk(comp)}",
            source_component=comp.name, file=first.path if first else None, line=first.first_line if first else None,
        ))
    return out


#: A holder gone is one of a component's main authors when they wrote this share of its files or more: jackson-databind's
#: ``ser`` was "at risk … (main authors inactive: jackphel)", the author of 4 of its 164 files in 2012, beside Tatu
#: Saloranta's 93 %.
MAIN_AUTHOR_SHARE = 0.1


def _why_at_risk(comp: TouchedComponent) -> str:
    """Why a component is at risk, in facts, and who holds its knowledge: its truck factors and its files with no
    author left (``queries.ownership``: either may put it at risk), the top three holders still here, and its main
    authors who left (of the top three holders, those who wrote ``MAIN_AUTHOR_SHARE`` of its files or more); when
    most of its files have no author left, whom to ask first about it (the bus factor's ``ask_first``). Not
    reviewers: those are chosen by the change (``queries.reviewers``)."""
    facts = f"truck factor {comp.truck_factor} (human {comp.human_truck_factor})"
    if comp.orphaned_files:
        facts += f", {comp.orphaned_files} {'file' if comp.orphaned_files == 1 else 'files'} with no author left"
    here = [h.person for h in comp.knowledge_holders if h.id not in comp.gone][:3]
    main = [h for h in comp.knowledge_holders[:3] if h.share >= MAIN_AUTHOR_SHARE]
    left = [h.person for h in main if comp.gone_mark(h.id) == "left"]
    quiet = [h.person for h in main if comp.gone_mark(h.id) == "inactive"]
    held = f"knowledge still with {', '.join(here)}" if here else "none of its authors is still here"
    away = ([f"who left: {', '.join(left)}"] if left else []) + ([f"inactive: {', '.join(quiet)}"] if quiet else [])
    if away:
        held += f" (main authors {'; '.join(away)})"
    if comp.ask_first:
        held += f"; ask first: {', '.join(comp.ask_first)}"
    return f"{facts}; {held}"


def _governance_changes(stored: RepoGraph, change: ChangeSet) -> list[Finding]:
    declaring = _declaring_pyproject(stored)
    out = []
    for f in change.files:
        if f.path in GOVERNANCE_FILES or (f.path == "pyproject.toml" and declaring) \
                or stored.node(Label.DECISION, f.path) is not None:
            out.append(Finding(
                rule="cairn/governance-change", kind="governance", severity=Severity.INFO, new=True, file=f.path,
                line=f.first_line,
                message=f"changes {f.path}, which declares components, rules, owners or decisions: review the architecture change itself",
            ))
    return out


def _declaring_pyproject(stored: RepoGraph) -> bool:
    """Whether the repository's own ``pyproject.toml`` (at its root: the one an ingest reads) declared its
    configuration (``[tool.cairn]``) or rules (``[tool.importlinter]``) when it was stored. Any other edit of it (a
    dependency pinned: 187 of Sphinx's 787 commits since 2025 touch it), or of a package's own, declares nothing."""
    if any(node.get("config_source") == "pyproject.toml" for node in stored.of_label(Label.REPOSITORY)):
        return True
    return any(node.get("source") == "pyproject.toml" for node in stored.of_label(Label.RULE))


# -- agents, rationale, reviewers ------------------------------------------------------


def detect_agent(identities: tuple[Identity, ...], description: str | None, marks: tuple[AgentMark, ...] = ()) -> AgentDetection:
    """Whether an agent wrote the change: an agent among its identities that wrote it (an agent whose review suggestion
    was applied did not), a line of a commit message or of the description that marks one, or a phrase of the
    description."""
    evidence = [f"{i.role.value} {i.contact} is a coding agent" for i in identities
                if i.kind is IdentityKind.AGENT and i.role.wrote_it]
    evidence += [f"{m.where} marks {m.agent} as a coding agent: {m.line}" for m in marks]
    evidence += [why for pattern, why in AGENT_DESCRIPTION_MARKERS if description and pattern.search(description)]
    return AgentDetection(bool(evidence), tuple(evidence))


def find_rationale(description: str | None, stored: RepoGraph) -> Rationale:
    """Whether a PR description references a decision, argues for the change in writing (a "Why:" or "Rationale"
    section of ``MIN_RATIONALE_WORDS`` or more), or refers to the issue where its reason is (``ISSUE_REFERENCE``)."""
    text = description or ""
    references: list[str] = []
    for d in stored.of_label(Label.DECISION):
        title = (d.get("title") or "").strip()
        if d.key in text or (title and len(title) > 8 and title.lower() in text.lower()):
            references.append(d.key)
    references += [m.group(0) for m in ADR_REFERENCE.finditer(text)]
    written = False
    for m in RATIONALE_HEADING.finditer(text):
        after = text[m.end():].split("\n#", 1)[0]
        if len(re.findall(r"\w+", after)) >= MIN_RATIONALE_WORDS:
            written = True
            break
    issues = tuple(dict.fromkeys(" ".join(m.group(0).split()) for m in ISSUE_REFERENCE.finditer(text)))
    return Rationale(bool(references) or written or bool(issues), tuple(sorted(set(references))), written, issues)
