"""``cairn explore``, ``cairn path``, ``cairn reading-list`` and ``cairn search``: onboarding exploration.

Each prints JSON, a rich table view, or Markdown (for a wiki page or an agent's context).
"""

from __future__ import annotations

from typing import Any, Optional

import typer
from rich.markdown import Markdown
from rich.table import Table

from cairn.api.common import CairnError, OutputFormat, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.services import reads

FormatOption = typer.Option(OutputFormat.table, "--format", help="json, table or markdown")


def register(app: typer.Typer) -> None:
    app.command("explore")(explore)
    app.command("path")(path)
    app.command("reading-list")(reading_list_command)
    app.command("search")(search_command)


def _read(service, store: Optional[str], repo: Optional[str], *args: Any) -> Any:
    with opened_workspace(store) as ws:
        return service(ws, repo, *args)


def _check_format(format: OutputFormat) -> None:
    if format is OutputFormat.sarif:
        raise CairnError("--format sarif is for pr-check; use json, table or markdown")


def _emit_markdown(text: str, format: OutputFormat) -> None:
    if format is OutputFormat.markdown:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        console.print(Markdown(text))


# -- explore -----------------------------------------------------------------------------


def explore(
    component: str = typer.Argument(..., help="The component to describe"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = FormatOption,
) -> None:
    """The component card: purpose, modules, dependencies in and out, decisions, knowledge holders, bus factor, activity."""
    _check_format(format)
    card = _read(reads.component_card, store, repo, component)
    if format is OutputFormat.json:
        print_json(card)
        return
    if format is OutputFormat.markdown:
        _emit_markdown(card_markdown(card), format)
        return
    console.print(f"[bold]{card['name']}[/]" + (" [dim](inferred)[/]" if card["inferred"] else "") + f"  [dim]{' '.join(card['paths'])}[/]",
                  highlight=False)
    if card["description"]:
        console.print(card["description"], highlight=False)
        console.print(f"[dim]from {card['purpose_source']}[/]", highlight=False)
    bf = card["bus_factor"]
    risk = "[bold red]at risk[/]" if bf["at_risk"] else ("ok" if bf["at_risk"] is False else "unknown")
    console.print(f"truck factor {_num(bf['truck_factor'])}, human {_num(bf['human_truck_factor'])} — {risk}; "
                  f"{card['module_count']} modules, {card['files']} files", highlight=False)
    deps = Table(title="Dependencies", title_justify="left")
    deps.add_column("direction")
    deps.add_column("component")
    deps.add_column("imports", justify="right")
    for d in card["depends_on"]:
        deps.add_row("depends on", d["component"], str(d["count"]))
    for d in card["used_by"]:
        deps.add_row("used by", d["component"], str(d["count"]))
    console.print(deps)
    if card["decisions"]:
        dec = Table(title="Decisions", title_justify="left")
        for col in ("decision", "status", "date", "link"):
            dec.add_column(col)
        for d in card["decisions"]:
            dec.add_row(d["title"], d["status"] or "", d["date"] or "", "inferred" if d.get("inferred") else "explicit")
        console.print(dec)
    holders = [_holder_label(h) for h in bf["knowledge_holders"]]
    console.print("knowledge holders: " + (", ".join(holders) or "none known"), highlight=False)
    if card["owners"]:
        console.print("declared owners: " + ", ".join(o["name"] for o in card["owners"]), highlight=False)
    if card["recent_activity"]:
        act = Table(title="Recent activity", title_justify="left")
        for col in ("when", "who", "file"):
            act.add_column(col)
        for a in card["recent_activity"][:10]:
            act.add_row(a["last_touch"][:10], a["name"], a["file"])
        console.print(act)


def _num(value: Any) -> str:
    return "?" if value is None else str(value)


def _holder_label(holder: Any) -> str:
    if isinstance(holder, dict):
        name = holder.get("name") or holder.get("person") or holder.get("id") or "?"
        share = holder.get("share")
        return f"{name} ({share:.0%})" if isinstance(share, (int, float)) else str(name)
    return str(holder)


def card_markdown(card: dict[str, Any]) -> str:
    bf = card["bus_factor"]
    lines = [f"# {card['name']}", ""]
    if card["description"]:
        lines += [card["description"], "", f"_Purpose from {card['purpose_source']}._", ""]
    lines += [
        f"- Paths: {', '.join(f'`{p}`' for p in card['paths']) or 'none'}",
        f"- Size: {card['module_count']} modules, {card['files']} files",
        f"- Truck factor: {_num(bf['truck_factor'])} (human knowledge: {_num(bf['human_truck_factor'])})"
        + (" — **at risk**" if bf["at_risk"] else ""),
        f"- Knowledge holders: {', '.join(_holder_label(h) for h in bf['knowledge_holders']) or 'none known'}",
    ]
    if card["owners"]:
        lines.append(f"- Declared owners: {', '.join(o['name'] for o in card['owners'])}")
    lines += ["", "## Dependencies", ""]
    lines += [f"- depends on **{d['component']}** ({d['count']} imports)" for d in card["depends_on"]] or ["- depends on no other component"]
    lines += [f"- used by **{d['component']}** ({d['count']} imports)" for d in card["used_by"]] or ["- used by no other component"]
    if card["external_packages"]:
        lines.append(f"- external packages: {', '.join(e['name'] for e in card['external_packages'][:15])}")
    lines += ["", "## Decisions", ""]
    lines += [f"- [{d['title']}]({d['path']}) — {d['status'] or 'no status'}{', ' + d['date'] if d['date'] else ''}"
              + (" (inferred)" if d.get("inferred") else "") for d in card["decisions"]] or ["- none recorded"]
    lines += ["", "## Modules", ""]
    lines += [f"- `{m['name']}`" for m in card["modules"][:40]] or ["- none"]
    if len(card["modules"]) > 40:
        lines.append(f"- … and {len(card['modules']) - 40} more")
    if card["recent_activity"]:
        lines += ["", "## Recent activity", ""]
        lines += [f"- {a['last_touch'][:10]} {a['name']}: `{a['file']}`" for a in card["recent_activity"][:10]]
    return "\n".join(lines) + "\n"


# -- path ------------------------------------------------------------------------------------


def path(
    source: str = typer.Argument(..., metavar="A", help="Component or module that depends (prefix component: or module: to disambiguate)"),
    target: str = typer.Argument(..., metavar="B", help="Component or module depended upon"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = FormatOption,
) -> None:
    """The shortest dependency path by which A depends on B."""
    _check_format(format)
    result = _read(reads.shortest_path, store, repo, source, target)
    if format is OutputFormat.json:
        print_json(result)
        return
    lines = [f"**{result['message']}**", ""]
    for e in result["edges"]:
        detail = f"{e['count']} imports" if result["level"] == "component" else f"{e.get('kind')}, line {', '.join(map(str, e.get('lines') or [])[:5])}"
        lines.append(f"- `{e['source']}` → `{e['target']}` ({detail})")
    _emit_markdown("\n".join(lines) + "\n", format)


# -- reading list --------------------------------------------------------------------------------


def reading_list_command(
    component: Optional[str] = typer.Argument(None, help="A component (default: the whole repository)"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = FormatOption,
) -> None:
    """What a newcomer should read first: decisions in force, then the most central modules, then the people to ask."""
    _check_format(format)
    data = _read(reads.reading_list, store, repo, component)
    if format is OutputFormat.json:
        print_json(data)
        return
    _emit_markdown(reading_list_markdown(data), format)


def reading_list_markdown(data: dict[str, Any]) -> str:
    scope = f"component {data['component']}" if data["component"] else f"repository {data['repository']}"
    lines = [f"# Reading list for {scope}", "", "## 1. Decisions", ""]
    lines += [f"1. [{d['title']}]({d['path']}) — {d.get('status') or 'no status'}{', ' + d['date'] if d.get('date') else ''}"
              for d in data["decisions"]] or ["No decision records govern it yet."]
    lines += ["", "## 2. Central modules", ""]
    lines += [f"1. `{m['module']}` ({m['path'] or ''}) — imported by {m['imported_by']}" for m in data["modules"]] or ["No modules."]
    lines += ["", "## 3. People to ask", ""]
    lines += [f"1. {p['name']} — {p['why']}" for p in data["people"]] or ["Nobody holds recorded knowledge of it."]
    return "\n".join(lines) + "\n"


# -- search ------------------------------------------------------------------------------------------


def search_command(
    query: str = typer.Argument(..., metavar="Q", help="Part of a component, module, person or decision name"),
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    limit: int = typer.Option(30, "--limit", min=1, help="Most results to show"),
    format: OutputFormat = FormatOption,
) -> None:
    """Find components, modules, people and decisions by name or title."""
    _check_format(format)
    data = _read(reads.search, store, repo, query)
    data["results"] = data["results"][:limit]
    if format is OutputFormat.json:
        print_json(data)
        return
    if format is OutputFormat.markdown:
        lines = [f"# Search: {data['query']} ({data['total']} found)", ""]
        lines += [f"- {r['kind']}: **{r['title']}**" + (f" (`{r['name']}`)" if r["name"] != r["title"] else "") for r in data["results"]]
        _emit_markdown("\n".join(lines) + "\n", format)
        return
    table = Table(title=f"{data['total']} match(es) for {data['query']!r}", title_justify="left")
    for col in ("kind", "name", "title", "match"):
        table.add_column(col)
    for r in data["results"]:
        table.add_row(r["kind"], r["name"], r["title"] if r["title"] != r["name"] else "", r["match"])
    console.print(table)
    if not data["results"]:
        console.print("nothing matches; try a shorter part of the name", highlight=False)
