"""``cairn bus-factor``: truck factor, human-knowledge truck factor and knowledge holders, per component."""

from __future__ import annotations

from typing import Any, List, Optional

from cairn.api.common import RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.params import App, Argument, Option
from cairn.api.render.terminal import (IDENTIFIER, NOBODY_TO_ASK, NOT_COUNTED, NOT_COUNTED_NOTE, NOT_COUNTED_WHY, NUMBER, count,
                                       escape, gone_mark, literal, table)
from cairn.graph.not_counted import not_counted

BusFactorFormat = formats("bus-factor", JSON, TABLE)
HOLDERS_SHOWN = 5


WhoKnowsFormat = formats("who-knows", JSON, TABLE)
WHO_KNOWS_LIMIT = 5


def register(app: App) -> None:
    app.command("bus-factor")(bus_factor)
    app.command("who-knows")(who_knows)


def bus_factor(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    component: Optional[str] = Option(None, "--component", help="Only this component"),
    leaving: Optional[List[str]] = Option(
        None, "--leaving", help="Recompute as if this person left (name, e-mail, @login or id; repeatable)"
    ),
    path: Optional[str] = Option(None, "--path", help="Drill down: truck factor and holders of the files under this directory"),
    format: BusFactorFormat = TABLE,
) -> None:
    """Who holds the knowledge: truck factor (Avelino et al.) per component and for the repository."""
    from cairn.api.services import reads

    with opened_workspace(store) as ws:
        report = reads.bus_factor(ws, repo, component=component, leaving=leaving or (), path=path)
    if format is JSON:
        print_json(report)
        return
    _print_tables(report)


def _names(people: list[str], limit: int = 4, sep: str = ", ") -> str:
    shown = sep.join(people[:limit])
    return shown + (f" +{len(people) - limit}" if len(people) > limit else "")


def _owner_drift(scope: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The declared owners who know none of the scope's files, as (those linked to a commit author, those linked to
    none): of the second Cairn only knows it could not tie the handle to anyone's commits, not that they know nothing
    (Loki's @JoaoBraveCoding is Joao Marcal, 41 files of operator/, under addresses that name no login)."""
    unlinked = set(scope.get("declared_owners_not_in_history") or ())
    without = scope["declared_owners_without_knowledge"]
    return [o for o in without if o not in unlinked], [o for o in without if o in unlinked]


#: Of an owner declared on many components they know nothing of, the first this many components are named.
DRIFT_COMPONENTS_NAMED = 8


def _owner_drift_lines(components: list[dict[str, Any]]) -> list[str]:
    """The declared owners without knowledge, below the components' table (markup): a line per component, or a line
    per owner when there are fewer owners than components: etcd's root approvers, declared on every one of 40
    components, took 40 lines of the same names."""
    drifting = [c for c in components if c["declared_owners_without_knowledge"]]
    per_owner: dict[str, list[str]] = {}
    unlinked: set[str] = set()
    for c in drifting:
        known, not_linked = _owner_drift(c)
        unlinked.update(not_linked)
        for owner in known + not_linked:
            per_owner.setdefault(owner, []).append(c["name"])
    if len(per_owner) >= len(drifting):
        return [_owner_drift_line(c, f" of {escape(c['name'])}") for c in drifting]
    lines = []
    for owner, names in sorted(per_owner.items(), key=lambda item: (-len(item[1]), item[0])):
        what = "declared owner, linked to no commit author, of" if owner in unlinked else "declared owner without knowledge of"
        named = ", ".join(names[:DRIFT_COMPONENTS_NAMED])
        if len(names) > DRIFT_COMPONENTS_NAMED:
            named += f" and {len(names) - DRIFT_COMPONENTS_NAMED} more"
        lines.append(f"[yellow]{escape(owner)}: {what} {count(len(names), 'component')}:[/] {escape(named)}")
    return lines


def _owner_drift_cell(scope: dict[str, Any]) -> str:
    known, unlinked = _owner_drift(scope)
    return _names(known + [f"{o} (unlinked)" for o in unlinked])


def _owner_drift_line(scope: dict[str, Any], of: str) -> str:
    known, unlinked = _owner_drift(scope)
    parts = [f"[yellow]declared owners without knowledge{of}:[/] {escape(', '.join(known))}"] if known else []
    if unlinked:
        parts.append(f"[yellow]declared owners{of} not linked to any commit author:[/] {escape(', '.join(unlinked))}")
    return "; ".join(parts)


def _truck_factors(scope: dict[str, Any]) -> str:
    """``2 (3)``: the truck factor and the human one; ``–`` when the scope has no file the truck factor counts."""
    if not_counted(scope):
        return NOT_COUNTED
    return f"{scope['truck_factor']} ({scope['human_truck_factor']})"


def _scope_line(scope: dict[str, Any]) -> str:
    """The truck factors of the repository or a directory, who they are and the files left with no author (markup)."""
    if not_counted(scope):
        return f"no truck factor: {NOT_COUNTED_WHY}"
    return (f"truck factor [bold]{scope['truck_factor']}[/] ({escape(_names(scope['truck_factor_people'])) or 'nobody'}), "
            f"human-knowledge truck factor [bold]{scope['human_truck_factor']}[/], "
            f"{scope['orphaned_files']} of {count(scope['files'], 'file')} orphaned (no author left)")


def _component_name(component: dict[str, Any]) -> str:
    """A component's name, with the component it is nested in unless the name says it already (``discovery/aws``,
    ktor's ``ktor-server-netty`` in ``ktor-server``)."""
    name, parent = component["name"], component.get("parent")
    return name if not parent or name.startswith((parent + "/", parent + "-")) else f"{name} (in {parent})"


def _print_tables(report: dict[str, Any]) -> None:
    if report.get("history_complete") is False:
        for warning in (report.get("history") or {}).get("warnings") or ["the history is incomplete"]:
            said = warning.removeprefix("history incomplete: ")  # (the ingest's warnings begin with it)
            console.print(f"[bold yellow]history incomplete:[/] {escape(said)}", highlight=False)
    r = report["repository"]
    leaving = f"  (as if {', '.join(r['leaving'])} left)" if r["leaving"] else ""
    console.print(f"[bold]{escape(r['name'])}[/]: {_scope_line(r)}{escape(leaving)}", highlight=False)
    for note in r["notes"]:
        if note not in (report.get("history") or {}).get("warnings", []):
            console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    if report.get("impact"):
        _print_impact(report["impact"], r["leaving"])
    drill = report.get("path")
    if drill is not None:
        console.print(
            f"[bold]{escape(drill['path'])}/[/]: {_scope_line(drill)}"
            + (f"; components: {escape(', '.join(drill['components']))}" if drill["components"] else ""),
            highlight=False,
        )
        rows = [(h["person"], count(h["files_authored"], "file"), f"{h['share']:.0%}",
                 literal(gone_mark(h).strip(" ()") or "gone", "yellow") if h.get("active") is False else "active")
                for h in drill["knowledge_holders"][:10]]
        if rows:
            console.print(table(f"Knowledge holders of {drill['path']}/", [
                ("person", IDENTIFIER), ("authored", NUMBER), ("share", NUMBER), "status"], rows))
        if "ask_first" in drill:
            console.print(_ask_line(drill["ask_first"]), highlight=False)
        if drill["declared_owners_without_knowledge"]:
            console.print(_owner_drift_line(drill, ""), highlight=False)
        return
    if not report["components"]:
        return
    # (six columns at most, the two truck factors in one and the orphaned files out of all: at 80 columns the eight it
    # had folded prometheus's component names a few letters a line; the declared owners without knowledge go below the
    # table when beside it they would fold more names)
    components = report["components"]
    rows = [
        (_component_name(c), _truck_factors(c), NOT_COUNTED if not_counted(c) else f"{c['orphaned_files']} of {c['files']}",
         literal("yes", "bold red") if c["at_risk"] else "no", _names(c["truck_factor_people"], sep="\n"))
        for c in components
    ]
    # a person a line, each name whole: side by side at 80 columns they folded within names ("Michael / Crosby",
    # "Andrey / Rakhmatullin"), and a row of three names took five lines
    columns: list[str | tuple[str, str]] = [("component", IDENTIFIER), ("TF (human)", NUMBER), ("orphaned", NUMBER), "at risk",
                                            ("truck factor people", IDENTIFIER)]
    owners = [_owner_drift_cell(c) for c in components]
    shown = table("Components by risk", columns, rows)
    if any(owners):
        beside = table("Components by risk", columns + ["owners without knowledge"],
                       [row + (o,) for row, o in zip(rows, owners)])
        if beside.folded_cells(console.width) <= shown.folded_cells(console.width):
            shown, owners = beside, []
    console.print(shown)
    for line in _owner_drift_lines(components) if owners else []:
        console.print(line, highlight=False)
    notes = ["TF: truck factor, how many people would have to leave before half of the files have no author; "
             "(human): the same counting reviewers, without the people who left; orphaned: files with no author left, "
             "of the files counted"]
    if any(map(not_counted, components)):
        notes.append(NOT_COUNTED_NOTE)
    for note in notes:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)
    holders = []
    for c in report["components"]:
        for i, h in enumerate(c["knowledge_holders"][:HOLDERS_SHOWN]):
            status = literal(gone_mark(h).strip(" ()") or "gone", "yellow") if h.get("active") is False else "active"
            holders.append((c["name"] if i == 0 else "", h["person"], str(h["files_authored"]), f"{h['share']:.0%}", status))
    if holders:
        # the files authored as a number under "files": at 80 columns "13 files" beside the status left it eight
        # columns, "inactive since 2022-03" over three lines (containerd: 605 lines in all)
        console.print(table("Knowledge holders (authors by degree of authorship)", [
            ("component", IDENTIFIER), ("person", IDENTIFIER), ("files", NUMBER), ("share", NUMBER), ("status", IDENTIFIER)],
            holders))
    _print_ask_first(report["components"])


def _ask_line(ask: list[dict[str, Any]]) -> str:
    """``ask first: A (why); B (why)`` (markup), as who-knows says it of a path and the bus factor of a directory."""
    return "ask first: " + _asked(ask) if ask else "[yellow]ask first: nobody still here knows it[/]"


def _asked(ask: list[dict[str, Any]]) -> str:
    return "; ".join(f"[bold]{escape(a['person'])}[/] ({escape(a['why'])})" for a in ask)


def _print_ask_first(components: list[dict[str, Any]]) -> None:
    """Whom to ask now about each component whose authors mostly left (``ask_first``): a line each, as who-knows
    says it (at 80 columns a table of them folded every reason over two or three lines)."""
    asking = [c for c in components if c.get("ask_first") is not None]
    if asking:
        console.print("Ask first now, where most files have no author left:", highlight=False)
    for c in asking:
        asked = _asked(c["ask_first"]) or f"[yellow]{NOBODY_TO_ASK}[/]"
        console.print(f"[bold]{escape(c['name'])}[/]: {asked}", highlight=False)


def _before_after(entry: dict[str, Any], key: str) -> str:
    before, after = entry[f"{key}_before"], entry[key]
    return str(after) if before == after else f"{before} → {after}"


def _print_impact(impact: dict[str, Any], leaving: list[str]) -> None:
    """What the people leaving take with them: the repository's numbers before and after, and the components that
    change, those newly at risk first."""
    r = impact["repository"]
    console.print(
        f"[bold]if {escape(', '.join(leaving))} left:[/] truck factor {_before_after(r, 'truck_factor')}, "
        f"human {_before_after(r, 'human_truck_factor')}, orphaned files {_before_after(r, 'orphaned_files')} "
        f"of {r['files']}; {count(len(impact['newly_at_risk']), 'component')} newly at risk",
        highlight=False,
    )
    rows = [(c["name"], f"{_before_after(c, 'truck_factor')} ({_before_after(c, 'human_truck_factor')})",
             f"{_before_after(c, 'orphaned_files')} of {c['files']}",
             literal("newly", "bold red") if c["at_risk"] and not c["at_risk_before"] else ("yes" if c["at_risk"] else "no"))
            for c in impact["components"]]
    if rows:
        title = f"What changes ({count(len(rows), 'component')}; {impact['unchanged']} unchanged)"
        console.print(table(title, [("component", IDENTIFIER), ("TF (human)", NUMBER), ("orphaned", NUMBER), "at risk"], rows))


def who_knows(
    paths: List[str] = Argument(..., metavar="PATH", help="Files or directories, repository-relative ('.' for the whole repository)"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    limit: int = Option(WHO_KNOWS_LIMIT, "--limit", min=1, max=200, help="Knowledge holders shown per path"),
    format: WhoKnowsFormat = TABLE,
) -> None:
    """Who knows these files or directories: whom to ask first, the knowledge holders, the CODEOWNERS, the component."""
    from cairn.api.services import reads

    with opened_workspace(store) as ws:
        report = reads.who_knows(ws, repo, paths, limit=limit)
    if format is JSON:
        print_json(report)
        return
    for answer in report["paths"]:
        _print_who_knows(answer)


def _print_who_knows(answer: dict[str, Any]) -> None:
    where = {"file": "file", "directory": f"directory, {count(answer['files'], 'file')}", "repository": f"repository, {count(answer['files'], 'file')}",
             "untracked": "no history kept for it"}.get(answer["kind"], answer["kind"])
    components = ", ".join(c["name"] for c in answer.get("components") or [])
    line = f"[bold]{escape(answer['path'])}[/] ({where}" + (f"; component {escape(components)}" if components else "") + ")"
    if answer.get("nearest"):
        line += f": answered from {escape(answer['nearest'])}/"
    history = answer.get("history")
    if history:  # a path Cairn keeps no history for, answered from its latest commits in git
        line = line[:-1] + (f"; read from its {'last ' if history['commits'] >= history['latest'] else ''}"
                            f"{count(history['commits'], 'commit')} in git)")
    console.print(line, highlight=False)
    if history and not answer.get("ask"):  # (its people are those of its commits: say that of them, not of knowing it)
        console.print("[yellow]ask first: nobody still here made its latest commits[/]", highlight=False)
    else:
        console.print(_ask_line(answer.get("ask") or []), highlight=False)
    if history:
        _print_latest_authors(answer)
    rows = [] if history else [(h["person"], f"{h['authored']} ({h['share']:.0%})", _changes(h),
             str(h.get("last_touch") or "")[:10],
             literal(gone_mark(h).strip(" ()") or "gone", "yellow") if h.get("active") is False else "active")
            for h in answer.get("holders") or []]
    if rows:
        more = answer.get("more_holders") or 0
        console.print(table("Knowledge holders" + (f" (first {len(rows)} of {len(rows) + more})" if more else ""), [
            ("person", IDENTIFIER), ("authored", NUMBER), ("changes", NUMBER), "last change", "status"], rows))
        console.print("[dim]authored: files they are an author of (degree of authorship, as the truck factor counts), "
                      "and their share of the files; changes: their commits to each file, summed over the files (their "
                      "reviews, co-authored commits among them, when they made none)[/]",
                      highlight=False)
    owners = answer.get("codeowners") or []
    if owners:
        more = answer.get("more_codeowners") or 0
        console.print(f"{answer.get('owners_file') or 'CODEOWNERS'}: " + ", ".join(escape(o.get("handle") or o.get("owner") or o.get("name") or "?") for o in owners)
                      + (f" and {more} more (--limit {len(owners) + more} for all)" if more else ""), highlight=False)


def _changes(holder: dict[str, Any]) -> str:
    """A holder's changes ("37 to 14 files"), or their reviews when they have none (flask's app.py listed its co-authors
    as "0 to 0 files")."""
    if holder["commits"] or not holder.get("reviewed"):
        return f"{holder['commits']} to {count(holder['touched'], 'file')}"
    return count(holder["reviewed"], "review")


def _print_latest_authors(answer: dict[str, Any]) -> None:
    """The people who made the latest commits of a path Cairn keeps no history for (``queries.who_knows``)."""
    rows = [(h["person"], str(h["commits"]), str(h.get("last_touch") or "")[:10],
             literal(gone_mark(h).strip(" ()") or "gone", "yellow") if h.get("active") is False else "active")
            for h in answer.get("holders") or []]
    if rows:
        more = answer.get("more_holders") or 0
        console.print(table("Who made its latest commits" + (f" (first {len(rows)} of {len(rows) + more})" if more else ""), [
            ("person", IDENTIFIER), ("commits", NUMBER), "last change", "status"], rows))
