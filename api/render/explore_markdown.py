"""The exploration reads as Markdown, for a wiki page or an agent's context: card, overview, path, reading list,
search.

Each takes the JSON-like result of its query (``queries.explore``) and returns
Markdown text. Names, paths and titles from the repository are escaped
(``render.markdown``), people who left are marked as everywhere else
(``render.terminal.gone_mark``), and the standard library is listed apart from
third-party packages.
"""

from __future__ import annotations

from typing import Any

from cairn.api.render.markdown import code, link, text
from cairn.api.render.terminal import NOBODY_TO_ASK, gone_mark, holder_label
from cairn.graph.not_counted import NOT_COUNTED_WHY, not_counted
from cairn.queries.explore.common import first_sentence

HOLDERS_LISTED = 8  # of a component's knowledge holders (prometheus's tsdb has 38)
MODULES_LISTED = 40
ACTIVITY_LISTED = 10
PACKAGES_LISTED = 15


def _num(value: Any) -> str:
    return "?" if value is None else str(value)


def _packages(label: str, packages: list[dict[str, Any]]) -> list[str]:
    if not packages:
        return []
    more = f" and {len(packages) - PACKAGES_LISTED} more" if len(packages) > PACKAGES_LISTED else ""
    return [f"- {label}: {', '.join(code(p['name']) for p in packages[:PACKAGES_LISTED])}{more}"]


def overview_markdown(overview: dict[str, Any]) -> str:
    """Every component in a line: what it is (its purpose's first sentence), its truck factor, what it depends on and
    what uses it, by name."""
    comps = overview["components"]
    lines = [f"# {text(overview['repository'])}: {len(comps)} component{'' if len(comps) == 1 else 's'}", ""]
    for c in comps:
        line = f"- **{text(c['name'])}**" + (f" — {text(first_sentence(c['description']))}" if c["description"] else "")
        factor = ("no truck factor" if not_counted(c) else f"truck factor {_num(c['truck_factor'])}"
                  + (", **at risk**" if c["at_risk"] else ""))
        related = [f"{label} {', '.join(text(n) for n in names)}"
                   for label, names in (("depends on", c["depends_on"]), ("used by", c["used_by"])) if names]
        lines.append(f"{line} ({'; '.join([factor, *related])})")
    lines += ["", "_`cairn explore NAME` gives a component's card._", ""]
    return "\n".join(lines)


def card_markdown(card: dict[str, Any]) -> str:
    bf = card["bus_factor"]
    lines = [f"# {text(card['name'])}", ""]
    if card["description"]:
        lines += [text(card["description"]), "", f"_Purpose from {text(card['purpose_source'])}._", ""]
    lines += [
        f"- Paths: {', '.join(code(p) for p in card['paths']) or 'none'}",
        *([f"- Package: {code(card['package'])}"] if card.get("package") else []),
        f"- Size: {card['module_count']} modules, {card['files']} files",
        (f"- Truck factor: none, {NOT_COUNTED_WHY}" if not_counted(bf) else
         f"- Truck factor: {_num(bf['truck_factor'])} (human knowledge: {_num(bf['human_truck_factor'])})")
        + (" — **at risk**" if bf["at_risk"] else "")
        + (f" ({bf['orphaned_files']} files with no author left)" if bf.get("orphaned_files") else ""),
        f"- Knowledge holders: {', '.join(text(holder_label(h)) for h in bf['knowledge_holders'][:HOLDERS_LISTED]) or 'none known'}"
        + (f" and {len(bf['knowledge_holders']) - HOLDERS_LISTED} more" if len(bf["knowledge_holders"]) > HOLDERS_LISTED else ""),
    ]
    if bf.get("ask_first") is not None:  # (its authors left: whom to ask now)
        lines.append("- Ask first now: " + ("; ".join(f"{text(a['person'])} ({text(a['why'])})" for a in bf["ask_first"])
                                            or NOBODY_TO_ASK))
    if card["owners"]:
        lines.append(f"- Declared owners: {', '.join(text(o['name']) for o in card['owners'])}")
    lines += ["", "## Dependencies", ""]
    lines += [f"- depends on **{text(d['component'])}** ({d['count']} imports)" for d in card["depends_on"]] or ["- depends on no other component"]
    lines += [f"- used by **{text(d['component'])}** ({d['count']} imports)" for d in card["used_by"]] or ["- used by no other component"]
    lines += _packages("external packages", card["external_packages"])
    lines += _packages("standard library", card.get("standard_library", []))
    lines += ["", "## Decisions", ""]
    lines += [f"- {link(d['title'], d['path'])} — {text(d['status'] or 'no status')}{', ' + text(d['date']) if d['date'] else ''}"
              + (" (inferred)" if d.get("inferred") else "") for d in card["decisions"]] or ["- none recorded"]
    lines += ["", "## Modules", ""]
    lines += [f"- {code(m['name'])}" for m in card["modules"][:MODULES_LISTED]] or ["- none"]
    if len(card["modules"]) > MODULES_LISTED:
        lines.append(f"- … and {len(card['modules']) - MODULES_LISTED} more")
    if card["recent_activity"]:
        lines += ["", "## Recent activity", ""]
        lines += [f"- {a['last_touch'][:10]} {text(a['name'])}: {code(a['file'])}" for a in card["recent_activity"][:ACTIVITY_LISTED]]
    return "\n".join(lines) + "\n"


def path_markdown(result: dict[str, Any]) -> str:
    lines = [f"**{text(result['message'])}**", ""]
    for e in result["edges"]:
        if result["level"] == "component":
            detail = f"{e['count']} imports"
        else:
            where = ", ".join(map(str, (e.get("lines") or [])[:5]))
            detail = f"{e.get('kind') or 'import'}" + (f", line{'s' if len(e.get('lines') or []) > 1 else ''} {where}" if where else "")
        lines.append(f"- {code(e['source'])} → {code(e['target'])} ({detail})")
    return "\n".join(lines) + "\n"


def reading_list_markdown(data: dict[str, Any]) -> str:
    scope = f"component {text(data['component'])}" if data["component"] else f"repository {text(data['repository'])}"
    lines = [f"# Reading list for {scope}", "", "## 1. Decisions", ""]
    lines += [f"1. {link(d['title'], d['path'])} — {text(d.get('status') or 'no status')}{', ' + text(d['date']) if d.get('date') else ''}"
              for d in data["decisions"]] or ["No decision records govern it yet."]
    lines += ["", "## 2. Central modules", ""]
    lines += [f"1. {code(m['module'])}" + (f" ({code(m['path'])})" if m["path"] else "")
              + f" — imported by {m['imported_by']} module{'s' if m['imported_by'] != 1 else ''}" for m in data["modules"]] or ["No modules."]
    lines += ["", "## 3. People to ask", ""]
    lines += [f"1. {text(p['name'])}{gone_mark(p)} — {text(p['why'])}" for p in data["people"]] or ["Nobody holds recorded knowledge of it."]
    return "\n".join(lines) + "\n"


def search_markdown(data: dict[str, Any]) -> str:
    lines = [f"# Search: {text(data['query'])} ({data['total']} found)", ""]
    lines += [f"- {r['kind']}: **{text(r['title'])}**" + (f" ({code(r['name'])})" if r["name"] != r["title"] else "")
              for r in data["results"]]
    return "\n".join(lines) + "\n"
