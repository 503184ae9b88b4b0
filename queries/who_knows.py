"""Who knows a path: the people holding a file's or a directory's knowledge, its declared owners, its component.

A path is a source file Cairn tracks (``kind: file``), a directory holding
some (``directory``: every tracked file under it), ``.`` for the whole
repository, or neither (``untracked``: documentation, configuration, a file
not written yet); an untracked path is answered from its own latest commits
when the caller reads them from git (``read_latest_commits``,
``history_holders``: the humans of the store who made them, ``history``
saying how many were read), else — a new file, no checkout — from its nearest
tracked directory (``nearest``), so a new file gets the people of its siblings, and
the component whose path pattern holds it (``graph.component_map``, as the
ingest and pr-check place a file: ``drizzle-orm/package.json`` is in
``drizzle-orm``, of ``drizzle-orm/*``, not in the components of every file
below ``drizzle-orm/``), or none.

Per person, over the path's files: ``authored`` — files they are an author of
(Avelino et al.'s degree-of-authorship rule, as the bus factor counts them),
``share`` — authored / files, ``touched`` — files they changed, ``commits``
— their commits to those files (one per file a commit changed), ``reviewed``
— files they have review credit on, ``last_touch``; ``active`` is False for
people gone (departed in cairn.toml, or inactive) with ``gone`` saying why.
Holders are ordered by authored, then touched, then commits, then most recent
touch: of a file with one author, the one who changed it 52 times comes before
the one who changed it once last week.

``codeowners``: the CODEOWNERS owners of the path's files (with how many), or
for an untracked path the owners its last matching rule names; like the
holders, the first ``limit`` (``more_codeowners``: how many more). ``ask``: the
people to ask first now (``people_to_ask``) — the active people who changed
the files, by the weight of their recent work on them, then the declared
owners still here. Per file a person changed, their commits to it plus
``ASK_AUTHOR_COMMITS`` if they are an author of it, halved for every
``ASK_HALF_LIFE_DAYS`` (a year) between their last change to it and the
newest commit; summed over the files. So authorship of many files still
counts, while one authored file (prometheus's ``web/ui/module``: 1 commit)
does not beat 17 commits to 9 of the files this year, nor 21 commits of 2017
the 14 of 2024 (``template``). The holders table keeps its order. ``ask_first`` gives the
same for any set of files (the bus factor's components whose authors left),
as does the briefing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Collection, Iterable, Mapping

from cairn.graph.authorship import commits_to_file, file_authors
from cairn.graph.component_map import ComponentDef, ComponentMap
from cairn.graph.errors import InvalidQuery
from cairn.graph.model import Label, Node, Rel, RepoGraph, node_id
from cairn.graph.people import PersonIndex
from cairn.graph.path_commits import PATH_COMMITS, PathCommit
from cairn.queries.explore.common import as_text, person_name
from cairn.queries.gone import gone_people, parse_time
from cairn.queries.path_knowledge import path_knowers
from cairn.queries.recency import HALF_LIFE_DAYS, weight_now

MAX_PATHS = 20
MAX_LIMIT = 200
#: whom to ask now: work on a file weighs half as much a year after the person last changed it (``queries.recency``)
ASK_HALF_LIFE_DAYS = HALF_LIFE_DAYS
#: being an author of a file (degree of authorship) weighs as much as this many more commits to it
ASK_AUTHOR_COMMITS = 3


def normalise_path(path: str) -> str:
    """A repository-relative POSIX path as a person or an agent writes it: ``./a/b/``, ``/a/b``, ``a\\b`` → ``a/b``."""
    text = str(path or "").strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    text = re.sub(r"/{2,}", "/", text).strip("/")
    return "." if text in ("", ".") else text


def check_limit(limit: int) -> int:
    if not isinstance(limit, int) or limit < 1 or limit > MAX_LIMIT:
        raise InvalidQuery(f"limit is a number from 1 to {MAX_LIMIT}, not {limit!r}")
    return limit


@dataclass
class Scope:
    """The tracked files a path stands for."""

    path: str
    kind: str  # file | directory | repository | untracked | files (any set of them: ``ask_first``)
    files: list[str]
    nearest: str | None = None  # for an untracked path: the tracked directory answering for it


@dataclass
class KnowledgeIndex:
    """KNOWS edges by file, people gone, and owners by file: read once per question."""

    graph: RepoGraph
    files: dict[str, Node]
    knows: dict[str, list[tuple[Node, dict[str, Any]]]]
    gone: dict[str, str]
    owners: dict[str, list[tuple[Node, dict[str, Any]]]] = field(default_factory=dict)
    component_map: ComponentMap | None = None  # the components' path patterns, when an untracked path is first asked

    @classmethod
    def of(cls, graph: RepoGraph) -> "KnowledgeIndex":
        files = {f.key: f for f in graph.of_label(Label.FILE)}
        knows, owners = _by_file(graph, (e for e in graph.edges.values() if e.type is Rel.KNOWS or e.type is Rel.OWNS))
        gone, _ = gone_people(graph)
        return cls(graph, files, knows, gone, owners)

    @classmethod
    def of_files(cls, graph: RepoGraph, keys: Collection[str], gone: dict[str, str]) -> "KnowledgeIndex":
        """The index of the files ``keys`` alone (their KNOWS and OWNS edges, looked up by the files they point at);
        ``gone``: Person node id -> why they count as gone (``gone_people``'s, and whoever else is taken as gone)."""
        prefix = node_id(Label.FILE, graph.repo, "")
        files = {key: node for key in keys if (node := graph.nodes.get(prefix + key)) is not None}
        ids = {node.id for node in files.values()}
        knows, owners = _by_file(graph, [*graph.edges_into(Rel.KNOWS, ids), *graph.edges_into(Rel.OWNS, ids)])
        return cls(graph, files, knows, gone, owners)

    def scope(self, path: str) -> Scope:
        path = normalise_path(path)
        if path == ".":
            return Scope(path, "repository", sorted(self.files))
        if path in self.files:
            return Scope(path, "file", [path])
        prefix = path + "/"
        under = sorted(f for f in self.files if f.startswith(prefix))
        if under:
            return Scope(path, "directory", under)
        parent = path
        while "/" in parent:
            parent = parent.rsplit("/", 1)[0]
            siblings = sorted(f for f in self.files if f.startswith(parent + "/"))
            if siblings:
                return Scope(path, "untracked", siblings, nearest=parent)
        return Scope(path, "untracked", [], nearest=None)

    def components(self, files: Iterable[str]) -> list[dict[str, Any]]:
        counts = Counter(self.files[f].get("component") for f in files if f in self.files)
        counts.pop(None, None)
        return [{"name": c, "files": n} for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def component_holding(self, scope: Scope) -> list[dict[str, Any]]:
        """The component whose path pattern holds the untracked path of ``scope`` (with how many of the files it is
        answered from are in it), or none: as a change to it is placed (``ingest.change``: the components by name)."""
        if self.component_map is None:
            self.component_map = ComponentMap([ComponentDef(c.key, list(c.get("paths") or []))
                                               for c in sorted(self.graph.of_label(Label.COMPONENT), key=lambda n: n.key)])
        name = self.component_map.component_of(scope.path)
        if name is None:
            return []
        return [{"name": name, "files": sum(1 for f in scope.files if f in self.files and self.files[f].get("component") == name)}]

    def holders(self, files: list[str]) -> list[dict[str, Any]]:
        """The knowledge holders of ``files``, in the table's order (see the module docstring)."""
        return self.tally(files)[0]

    def tally(self, files: list[str]) -> tuple[list[dict[str, Any]], dict[str, float]]:
        """The holders of ``files`` and, by person key, their weight now (``recent_weight``, summed over the files in
        sorted order: one sum however the files came)."""
        keys = sorted(files)
        rows: dict[str, dict[str, Any]] = {}
        now: dict[str, float] = {}
        repo = self.graph.repository
        newest = parse_time(repo.get("newest_commit_at")) if repo is not None else None
        for f in keys:
            edges = self.knows.get(f, [])
            candidates = {p.key: (float(props["doa"]), bool(props.get("first_authorship")))
                          for p, props in edges if props.get("doa") is not None}
            authors = set(file_authors(candidates))
            for person, props in edges:
                row = rows.get(person.key)
                if row is None:
                    reason = self.gone.get(person.id)
                    row = rows[person.key] = {"person": person_name(person, person.key), "id": person.key,
                                              "active": reason is None, "gone": reason, "authored": 0, "share": 0.0,
                                              "touched": 0, "commits": 0, "reviewed": 0, "last_touch": None}
                if person.key in authors:
                    row["authored"] += 1
                when = as_text(props.get("last_touch"))
                if props.get("doa") is not None:
                    row["touched"] += 1
                    commits = commits_to_file(props)
                    row["commits"] += commits
                    if row["active"]:  # (nobody gone is asked: their weight is never read)
                        now[person.key] = now.get(person.key, 0.0) + recent_weight(
                            commits, person.key in authors, parse_time(when), newest)
                if (props.get("reviews") or 0) > 0:
                    row["reviewed"] += 1
                if when and (row["last_touch"] is None or when > row["last_touch"]):
                    row["last_touch"] = when
        for row in rows.values():
            row["share"] = round(row["authored"] / len(keys), 3) if keys else 0.0
            if row["gone"] is None:
                del row["gone"]
        ranked = sorted(rows.values(), key=lambda r: (-r["authored"], -r["touched"], -r["commits"], _desc(r["last_touch"]),
                                                      r["person"], r["id"]))
        return ranked, now

    def codeowners(self, scope: Scope) -> list[dict[str, Any]]:
        if scope.kind == "untracked":
            return self._declared_owners_of(scope.path)
        owners: dict[str, dict[str, Any]] = {}
        for f in scope.files:
            for owner, props in self.owners.get(f, []):
                entry = owners.setdefault(owner.key, {"owner": _handle(owner), "id": owner.key,
                                                      "kind": "team" if owner.label is Label.TEAM else "person",
                                                      "files": 0, "patterns": set()})
                entry["files"] += 1
                if props.get("pattern"):
                    entry["patterns"].add(str(props["pattern"]))
        rows = []
        for entry in owners.values():
            patterns = sorted(entry.pop("patterns"))
            rows.append({**entry, "patterns": patterns[:3]})
        return sorted(rows, key=lambda r: (-r["files"], r["owner"]))

    def _declared_owners_of(self, path: str) -> list[dict[str, Any]]:
        repo = self.graph.repository
        rules = (repo.get("codeowners_patterns") if repo is not None else None) or []
        for rule in reversed(rules):
            try:
                if re.match(str(rule.get("regex")), path):
                    return [{"owner": str(o), "id": str(o), "kind": "team" if "/" in str(o) else "person",
                             "patterns": [str(rule.get("pattern"))]} for o in rule.get("owners") or []]
            except re.error:
                continue
        return []


def _by_file(graph: RepoGraph, edges: Iterable[Any]) -> tuple[dict[str, list[tuple[Node, dict[str, Any]]]],
                                                            dict[str, list[tuple[Node, dict[str, Any]]]]]:
    """The KNOWS and the OWNS ``edges`` into File nodes, by File key: (source node, edge properties), in their order."""
    knows: dict[str, list[tuple[Node, dict[str, Any]]]] = {}
    owners: dict[str, list[tuple[Node, dict[str, Any]]]] = {}
    for e in edges:
        target = graph.nodes.get(e.target)
        source = graph.nodes.get(e.source)
        if target is None or source is None or target.label is not Label.FILE:
            continue
        (knows if e.type is Rel.KNOWS else owners).setdefault(target.key, []).append((source, e.props))
    return knows, owners


def _handle(owner: Node) -> str:
    if owner.label is Label.TEAM:
        return owner.key
    handles = owner.get("owner_handles") or []
    return str(handles[0]) if handles else person_name(owner, owner.key)


def _desc(text: str | None) -> tuple:
    return tuple(-ord(ch) for ch in (text or ""))


def without_echo(row: dict[str, Any], name: str) -> dict[str, Any]:
    """``row`` without its ``id`` when the id only repeats ``row[name]`` (a team, a handle nobody's history matched)."""
    return {k: v for k, v in row.items() if k != "id" or v != row.get(name)}


def recent_weight(commits: int, authored: bool, last_touch: datetime | None, newest: datetime | None) -> float:
    """What one person's work on one file weighs when choosing whom to ask now: their ``commits`` to it, plus
    ``ASK_AUTHOR_COMMITS`` if they are an author of it, halved for every ``ASK_HALF_LIFE_DAYS`` between their last
    change to it and the repository's newest commit (no decay without either date). The graph keeps one date per
    person and file, so all their commits to it count as of the last one."""
    return (commits + (ASK_AUTHOR_COMMITS if authored else 0)) * weight_now(last_touch, newest)


def people_to_ask(index: KnowledgeIndex, files: list[str], owners: list[dict[str, Any]],
                  limit: int = 3) -> list[dict[str, Any]]:
    """Whom to ask first about ``files`` (File keys of ``index``) now (``ranked_to_ask``)."""
    return ranked_to_ask(index, index.tally(files), len(files), owners, limit)


def ranked_to_ask(index: KnowledgeIndex, tally: tuple[list[dict[str, Any]], dict[str, float]], files: int,
                  owners: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """Whom to ask first now about the ``files`` (how many) that ``index.tally`` gave ``tally`` of: the active people
    who changed them, by the weight of their recent work on them (``recent_weight``), then the declared ``owners``
    (of ``index.codeowners``) still here; ``why`` says what they did (of "the file" when ``files`` is 1: "changed 1
    of the files" read oddly of one file). A declared owner who left is no answer: the codeowners table still shows
    them."""
    holders, now = tally
    declared = f"declared owner in {owners_file(index.graph)}"
    ranked = sorted((r for r in holders if r["active"] and (r["authored"] or r["touched"])),
                    key=lambda r: -now.get(r["id"], 0.0))  # (stable: equal weights keep the holders' order)
    ask: list[dict[str, Any]] = []
    for row in ranked[:limit]:
        # (commits to each file, summed: distinct commits only when one file was changed — Loki's "changed 20 in 115
        # commits" were 35 commits)
        plural = "" if row["commits"] == 1 else "s"
        commits = f"{row['commits']} commit{plural}" if row["touched"] <= 1 else f"{row['commits']} file change{plural}"
        if files == 1:
            why = f"author of the file ({commits})" if row["authored"] else f"changed it in {commits}"
        elif row["authored"]:
            why = f"author of {row['authored']} of the files, changed {row['touched']} in {commits}"
        else:
            why = f"changed {row['touched']} of the files in {commits}"
        ask.append({"person": row["person"], "id": row["id"], "why": why + (f", last {row['last_touch'][:10]}" if row["last_touch"] else "")})
    person = node_id(Label.PERSON, index.graph.repo, "")
    for owner in owners:
        if owner["kind"] == "person" and person + owner["id"] in index.gone:
            continue
        same = next((a for a in ask if a["id"] == owner["id"]), None)
        if same is not None:  # (said even when the list is full: the maintainer asked first is also the owner)
            same["why"] += "; " + declared
        elif len(ask) < limit:
            ask.append({"person": owner["owner"], "id": owner["id"], "why": declared})
    return [without_echo(a, "person") for a in ask]


def ask_first(index: KnowledgeIndex, files: list[str], limit: int = 3) -> list[dict[str, Any]]:
    """Whom to ask first about ``files`` (File keys of ``index``): what who-knows says of a path (``ask``), for any
    set of files."""
    return people_to_ask(index, files, index.codeowners(Scope("", "files", files)), limit)


def owners_file(graph: RepoGraph) -> str:
    """Where the repository declares its owners: "CODEOWNERS", or "OWNERS" (Prow's files: ``ingest.prow_owners``)."""
    repo = graph.repository
    return "OWNERS" if repo is not None and repo.get("codeowners") == "OWNERS" else "CODEOWNERS"


def history_holders(index: KnowledgeIndex, path: str, latest: list[PathCommit],
                    owners: list[dict[str, Any]], limit: int = 3) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The holders of a path Cairn keeps no history for, from its ``latest`` commits (``queries.path_knowledge``: the
    humans among the stored people, bots and agents left out), most ``recent`` first — their commits there, their
    latest, whether they are still here — and whom to ask first: the active ones in that order, then the declared
    ``owners`` still here (as ``ranked_to_ask``)."""
    repo = index.graph.repository
    newest = parse_time(repo.get("newest_commit_at")) if repo is not None else None
    knowers = path_knowers({path: latest}, PersonIndex(index.graph.of_label(Label.PERSON)), newest).get(path, [])
    holders = []
    ask: list[dict[str, Any]] = []
    for knower in knowers:
        person = knower.person
        reason = index.gone.get(person.id)
        holder = {"person": person_name(person, person.key), "id": person.key, "active": reason is None,
                  "commits": knower.commits, "last_touch": knower.last_touch}
        if reason is not None:
            holder["gone"] = reason
        holders.append(holder)
        if reason is None and len(ask) < limit:
            ask.append({"person": holder["person"], "id": person.key,
                        "why": knower.evidence_of("it")})
    person_prefix = node_id(Label.PERSON, index.graph.repo, "")
    declared = f"declared owner in {owners_file(index.graph)}"
    for owner in owners:
        if owner["kind"] == "person" and person_prefix + owner["id"] in index.gone:
            continue
        same = next((a for a in ask if a["id"] == owner["id"]), None)
        if same is not None:
            same["why"] += "; " + declared
        elif len(ask) < limit:
            ask.append({"person": owner["owner"], "id": owner["id"], "why": declared})
    return holders, [without_echo(a, "person") for a in ask]


def who_knows(graph: RepoGraph, paths: Iterable[str], *, limit: int = 5,
              read_latest_commits: Callable[[list[str]], Mapping[str, list[PathCommit]]] | None = None) -> dict[str, Any]:
    """Holders, declared owners and components of each path (see the module docstring); ``limit`` holders per path.
    ``read_latest_commits`` reads an untracked path's latest commits from git (``ingest.path_history``)."""
    wanted = [p for p in (paths or []) if str(p or "").strip()]
    if not wanted:
        raise InvalidQuery("give at least one path: a file, a directory, or . for the whole repository")
    if len(wanted) > MAX_PATHS:
        raise InvalidQuery(f"at most {MAX_PATHS} paths per question ({len(wanted)} given); ask for their common directory instead")
    check_limit(limit)
    index = KnowledgeIndex.of(graph)
    declared_in = owners_file(graph)
    out = []
    scopes = [index.scope(path) for path in wanted]
    untracked = [scope.path for scope in scopes if scope.kind == "untracked"]
    # (read together, in one wait: at most ``path_history.MAX_PATHS`` of them; the others keep their directory's answer)
    latest_of = read_latest_commits(untracked) if read_latest_commits is not None and untracked else {}
    for scope in scopes:
        tally = index.tally(scope.files)
        holders = tally[0]
        owners = index.codeowners(scope)
        row: dict[str, Any] = {"path": scope.path, "kind": scope.kind, "files": len(scope.files)}
        latest = latest_of.get(scope.path) if scope.kind == "untracked" else None
        if scope.kind == "untracked":
            row["files"] = 0
            row["nearest"] = scope.nearest
            row["note"] = (f"not a source file Cairn tracks: people of its directory {scope.nearest}/, component by its path"
                           if scope.nearest else "not a source file Cairn tracks, nor in a directory holding one")
        row["components"] = index.component_holding(scope) if scope.kind == "untracked" else index.components(scope.files)[:limit]
        ask = None
        if latest:  # the path's own latest commits answer for it, not its directory's source files
            holders, ask = history_holders(index, scope.path, latest, owners)
            row["nearest"] = None
            row["history"] = {"commits": len(latest), "latest": PATH_COMMITS}
            row["note"] = (f"Cairn keeps no history of it (not a source file): its people are read from its "
                           f"{'last ' if len(latest) >= PATH_COMMITS else ''}{len(latest)} commit{'s' if len(latest) != 1 else ''} in git")
        row["holders"] = holders[:limit]
        if len(holders) > limit:
            row["more_holders"] = len(holders) - limit
        row["codeowners"] = [without_echo(o, "owner") for o in owners[:limit]]
        if len(owners) > limit:
            row["more_codeowners"] = len(owners) - limit
        row["owners_file"] = declared_in
        row["ask"] = ask if ask is not None else ranked_to_ask(index, tally, len(scope.files), owners)
        out.append(row)
    return {"repository": graph.repo, "paths": out}
