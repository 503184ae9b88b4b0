"""``cairn explore``, ``cairn path``, ``cairn reading-list`` and ``cairn search``: onboarding exploration.

Each prints JSON, tables for the terminal, or Markdown (``render.explore_markdown``,
for a wiki page or an agent's context).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from cairn.api.common import RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, MARKDOWN, TABLE, formats
from cairn.api.params import App, Argument, Option, echo
from cairn.api.render.terminal import (IDENTIFIER, NOBODY_TO_ASK, NOT_COUNTED, NUMBER, below, count, escape, gone_mark,
                                       holder_label, literal, one_folder, table)
from cairn.graph.not_counted import NOT_COUNTED_WHY, not_counted

ExploreFormat = formats("explore", TABLE, JSON, MARKDOWN)
PathFormat = formats("path", TABLE, JSON, MARKDOWN)
ReadingListFormat = formats("reading-list", TABLE, JSON, MARKDOWN)
SearchFormat = formats("search", TABLE, JSON, MARKDOWN)
HOLDERS_SHOWN = 8
ACTIVITY_SHOWN = 10
PACKAGES_SHOWN = 12


def register(app: App) -> None:
    app.command("explore")(explore)
    app.command("path")(path)
    app.command("reading-list")(reading_list_command)
    app.command("search")(search_command)


def _read(service, store: Optional[str], repo: Optional[str], *args: Any) -> Any:
    with opened_workspace(store) as ws:
        return service(ws, repo, *args)


def _line(markup: str) -> None:
    """One line of output whose repository text the caller has escaped."""
    console.print(markup, highlight=False)


# -- explore -----------------------------------------------------------------------------


def explore(
    component: Optional[str] = Argument(None, help="The component to describe (default: every component at a glance)"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: ExploreFormat = TABLE,
) -> None:
    """The component card: purpose, modules, dependencies in and out, decisions, knowledge holders, bus factor, activity."""
    from cairn.api.services import reads

    if component is None:
        _show(_read(reads.component_overview, store, repo), format, "overview_markdown", _print_overview)
    else:
        _show(_read(reads.component_card, store, repo, component), format, "card_markdown", _print_card)


def _show(data: dict[str, Any], format: Any, markdown: str, print_table: Callable[[dict[str, Any]], None]) -> None:
    """``data`` as JSON, as Markdown (the function of ``render.explore_markdown`` named ``markdown``, imported only
    then) or as ``print_table`` prints it."""
    if format is JSON:
        print_json(data)
    elif format is MARKDOWN:
        from cairn.api.render import explore_markdown

        echo(getattr(explore_markdown, markdown)(data), nl=False)
    else:
        print_table(data)


def _print_card(card: dict[str, Any]) -> None:
    _line(f"[bold]{escape(card['name'])}[/]" + (" [dim](inferred)[/]" if card["inferred"] else "")
          + f"  [dim]{escape(' '.join(card['paths']))}[/]"
          + (f"  [dim]package[/] {escape(card['package'])}" if card.get("package") else ""))
    if card["description"]:
        _line(escape(card["description"]))
        _line(f"[dim]from {escape(card['purpose_source'])}[/]")
    bf = card["bus_factor"]
    risk = "[bold red]at risk[/]" if bf["at_risk"] else ("ok" if bf["at_risk"] is False else "risk unknown")
    if bf.get("orphaned_files"):  # (why a component with a truck factor of 7 can be at risk: its authors left)
        risk += f" ({count(bf['orphaned_files'], 'file')} with no author left)"
    if not_counted(bf):
        _line(f"no truck factor: {NOT_COUNTED_WHY}; {count(card['module_count'], 'module')}, {count(card['files'], 'file')}")
    else:
        _line(f"truck factor {_people(bf['truck_factor'])}, human {_people(bf['human_truck_factor'])} — {risk}; "
              f"{count(card['module_count'], 'module')}, {count(card['files'], 'file')}")
    rows = [("depends on", d["component"], count(d["count"], "import")) for d in card["depends_on"]]
    rows += [("used by", d["component"], count(d["count"], "import")) for d in card["used_by"]]
    if rows:
        console.print(table("Dependencies", ["direction", ("component", IDENTIFIER), ("through", NUMBER)], rows))
    else:
        _line("no dependencies on other components, none from them")
    for label, packages in (("external packages", card["external_packages"]), ("standard library", card.get("standard_library", []))):
        if packages:
            shown = ", ".join(f"{p['name']} ({p['imports']})" for p in packages[:PACKAGES_SHOWN])
            more = f" +{len(packages) - PACKAGES_SHOWN} more" if len(packages) > PACKAGES_SHOWN else ""
            _line(f"{label} (imports): {escape(shown)}{more}")
    if card["decisions"]:
        decision_rows = [(d["title"] + "\n" + d["path"], d["status"] or "", d["date"] or "",
                          f"inferred ({d['confidence']:.0%})" if d.get("inferred") and isinstance(d.get("confidence"), (int, float))
                          else "inferred" if d.get("inferred") else "explicit")
                         for d in card["decisions"]]
        console.print(table("Decisions", [("decision", IDENTIFIER), "status", "date", "link"], decision_rows))
    holders = [holder_label(h) for h in bf["knowledge_holders"][:HOLDERS_SHOWN]]
    more = len(bf["knowledge_holders"]) - len(holders)
    # (prometheus's tsdb has 38: the first eight carry most of it, the rest is one `bus-factor` away)
    _line("knowledge holders (share of files authored): " + (escape(", ".join(holders)) or "none known")
          + (f" +{more} more (--format json lists them all)" if more > 0 else ""))
    if bf.get("ask_first") is not None:  # (its authors left: whom to ask now)
        _line("ask first now: " + (escape("; ".join(f"{a['person']} ({a['why']})" for a in bf["ask_first"]))
                                    or f"[yellow]{NOBODY_TO_ASK}[/]"))
    if card["owners"]:
        _line("declared owners: " + escape(", ".join(o["name"] for o in card["owners"])))
    if card["recent_activity"]:
        activity = [(a["last_touch"][:10], a["name"], a["file"]) for a in card["recent_activity"][:ACTIVITY_SHOWN]]
        console.print(table("Recent activity (last change per person and file)", ["when", ("who", IDENTIFIER), ("file", IDENTIFIER)],
                            activity))


def _print_overview(overview: dict[str, Any]) -> None:
    from cairn.queries.explore.common import first_sentence

    comps = overview["components"]
    rows = [(c["name"], first_sentence(c["description"]) if c["description"] else "",
             NOT_COUNTED if not_counted(c) else "?" if c["truck_factor"] is None
             else str(c["truck_factor"]) + ("!" if c["at_risk"] else "")) for c in comps]
    console.print(table(f"{overview['repository']}: {count(len(comps), 'component')} at a glance",
                        [("name", IDENTIFIER), "what it is", ("TF", NUMBER)], rows))
    notes = ["what it is: the first sentence of its card's purpose (from its README, its package's documentation, an "
             "architecture document, the repository's README or a decision); `cairn explore NAME` gives the whole card, `cairn reading-list` "
             "where to start"]
    if any(c["at_risk"] for c in comps):
        notes.append("TF: truck factor; !: at risk")
    else:
        notes.append("TF: truck factor")
    for note in notes:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)


def _people(value: Any) -> str:
    return "?" if value is None else count(value, "person", "people")


# -- path ------------------------------------------------------------------------------------


def path(
    source: str = Argument(..., metavar="A", help="Component or module that depends (prefix component: or module: to disambiguate)"),
    target: str = Argument(..., metavar="B", help="Component or module depended upon"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: PathFormat = TABLE,
) -> None:
    """The shortest dependency path by which A depends on B."""
    from cairn.api.services import reads

    result = _read(reads.shortest_path, store, repo, source, target)
    if format is JSON:
        print_json(result)
        return
    if format is MARKDOWN:
        from cairn.api.render.explore_markdown import path_markdown

        echo(path_markdown(result), nl=False)
        return
    _line(escape(result["message"]))
    if not result["edges"]:
        return
    if result["level"] == "component":
        rows = [(str(i), e["source"], e["target"], count(e["count"], "import")) for i, e in enumerate(result["edges"], 1)]
        console.print(table("Steps", [("#", NUMBER), ("component", IDENTIFIER), ("depends on", IDENTIFIER), ("through", NUMBER)], rows))
    else:
        rows = [(str(i), e["source"], e["target"], ", ".join(map(str, (e.get("lines") or [])[:5]))
                 + ("" if (e.get("kind") or "runtime") == "runtime" else f" ({e['kind'].replace('_', '-')})"))
                for i, e in enumerate(result["edges"], 1)]
        console.print(table("Steps", [("#", NUMBER), ("module", IDENTIFIER), ("imports", IDENTIFIER), "at lines"], rows))


# -- reading list --------------------------------------------------------------------------------


def reading_list_command(
    component: Optional[str] = Argument(None, help="A component (default: the whole repository)"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: ReadingListFormat = TABLE,
) -> None:
    """What a newcomer should read first: decisions in force, then the most central modules, then the people to ask."""
    from cairn.api.services import reads

    _show(_read(reads.reading_list, store, repo, component), format, "reading_list_markdown", _print_reading_list)


def _print_reading_list(data: dict[str, Any]) -> None:
    scope = f"component {data['component']}" if data["component"] else f"repository {data['repository']}"
    _line(f"[bold]Reading list for {escape(scope)}[/]")
    if data["decisions"]:
        # "#" is the record's own number, as in `cairn adrs` (a position here put #10 beside adr-011)
        folder = one_folder(d["path"] for d in data["decisions"])
        rows = [("" if d.get("number") is None else str(d["number"]),
                 d["title"] + "\n" + below(d["path"], folder),
                 d.get("status") or "", d.get("date") or "") for d in data["decisions"]]
        columns: list[str | tuple[str, str]] = [("#", NUMBER), ("decision", IDENTIFIER), "status", "date"]
        if all(d.get("number") is None for d in data["decisions"]):  # records named by date or slug
            columns, rows = columns[1:], [row[1:] for row in rows]
        console.print(table("1. Decisions in force" + (f" (in {folder}/)" if folder else ""), columns, rows))
        more = data.get("decisions_total", len(data["decisions"])) - len(data["decisions"])
        if more > 0:
            _line(f"   and {count(more, 'more decision')} in force: [bold]cairn adrs[/] lists them all")
    else:
        _line("1. Decisions: no decision records govern it yet.")
    if data["modules"]:
        title = "2. Central modules"
        named = [(str(i), *_module_and_file(m["module"], m["path"]), count(m["imported_by"], "module"))
                 for i, m in enumerate(data["modules"], 1)]
        shown = table(title, [("#", NUMBER), ("module", IDENTIFIER), ("file", IDENTIFIER), ("imported by", NUMBER)], named)
        # side by side a Python module and its file both fold at 80 columns (sqlalchemy's "lib/sqlalchemy/util/typing.p"
        # over "y"): then the file goes under its module; so too where some modules are named by their file (tauri's
        # Rust and TypeScript beside one Kotlin class: a column of files empty but for one row)
        stacked = table(title, [("#", NUMBER), ("module\nfile", IDENTIFIER), ("imported by", NUMBER)],
                        [(i, "\n".join(filter(None, (module, path))), n) for i, module, path, n in named])
        files = sum(1 for _, _, path, _ in named if path)
        if 0 < files < len(named) or stacked.folded_cells(console.width) < shown.folded_cells(console.width):
            shown = stacked
        console.print(shown)
        _line("[dim]   by PageRank on the imports, weighed by how many modules import them[/]")
    else:
        _line("2. Central modules: none.")
    if data["people"]:
        rows = [(str(i), literal(p["name"] + gone_mark(p), "yellow" if p.get("active") is False else ""), p["why"])
                for i, p in enumerate(data["people"], 1)]
        console.print(table("3. People to ask", [("#", NUMBER), ("person", IDENTIFIER), "why"], rows))
    else:
        _line("3. People to ask: nobody holds recorded knowledge of it.")


def _module_and_file(module: str, path: str | None) -> tuple[str, str]:
    """A module and its file, the file alone when the module's name only repeats it (a Go package's import path,
    ``github.com/prometheus/prometheus/model/labels`` of ``model/labels``; a TypeScript module): a column of the files
    then is left out."""
    if path and (module == path or module.endswith("/" + path)):
        return path, ""
    return module, path or ""


# -- search ------------------------------------------------------------------------------------------


def search_command(
    query: str = Argument(..., metavar="Q", help="Part of a component, module, person or decision name"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    limit: int = Option(30, "--limit", min=1, help="Most results to show"),
    format: SearchFormat = TABLE,
) -> None:
    """Find components, modules, people and decisions by name or title."""
    from cairn.api.services import reads

    data = _read(reads.search, store, repo, query)
    data["results"] = data["results"][:limit]
    if format is JSON:
        print_json(data)
        return
    if format is MARKDOWN:
        from cairn.api.render.explore_markdown import search_markdown

        echo(search_markdown(data), nl=False)
        return
    rows = [(r["kind"], r["name"], r["title"] if r["title"] != r["name"] else "", r["match"]) for r in data["results"]]
    console.print(table(f"{count(data['total'], 'match', 'matches')} for {data['query']!r}",
                        ["kind", ("name", IDENTIFIER), ("title", IDENTIFIER), "match"], rows))
    if not data["results"]:
        _line("nothing matches; try a shorter part of the name")
