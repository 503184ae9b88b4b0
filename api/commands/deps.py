"""``cairn deps`` and ``cairn components``: the dependency graph as stored."""

from __future__ import annotations


from enum import Enum
from typing import Any, Optional

from cairn.api.common import RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.params import App, Option
from cairn.api.render.terminal import (IDENTIFIER, NOT_COUNTED, NOT_COUNTED_NOTE, NUMBER, TEXT, FittedTable,
                                       common_package_path, count, escape, table)
from cairn.graph.not_counted import not_counted

DepsFormat = formats("deps", JSON, TABLE)
ComponentsFormat = formats("components", JSON, TABLE)
RANGES_SHOWN = 3
#: The components table names each dependency only while that makes it at most this many times as tall as counting them.
LISTED_HEIGHT = 2


class Level(str, Enum):
    module = "module"
    component = "component"


def register(app: App) -> None:
    app.command("deps")(deps)
    app.command("components")(components)


def deps(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    level: Level = Option(Level.module, "--level", help="module or component"),
    format: DepsFormat = TABLE,
) -> None:
    """The dependency graph: modules (or components) and the imports between them.

    In the table, imports of third-party packages and of the standard library are listed apart.
    """
    from cairn.api.services import reads

    with opened_workspace(store) as ws:
        repo = ws.repository(repo).repo
        data = reads.dependency_graph(ws, repo, level.value)
    if format is JSON:
        print_json(data)
    elif level is Level.component:
        rows = [(e["source"], e["target"], e["kind"], str(e["count"])) for e in data["edges"]]
        console.print(table(f"{repo}: {count(len(rows), 'component dependency', 'component dependencies')}",
                            [("component", IDENTIFIER), ("depends on", IDENTIFIER), "kind", ("imports", NUMBER)], rows))
    else:
        _print_module_tables(repo, data)


def _print_module_tables(repo: str, data: dict[str, Any]) -> None:
    from cairn.queries.dependencies import EXTERNAL_PREFIX

    stdlib = {x["id"] for x in data.get("externals", []) if x["stdlib"]}
    groups: dict[str, list[dict[str, Any]]] = {"internal": [], "external": [], "stdlib": []}
    for e in data["edges"]:
        target = e["target"]
        groups["stdlib" if target in stdlib else "external" if target.startswith(EXTERNAL_PREFIX) else "internal"].append(e)

    # Go's import paths all begin with the module's path: said once, in the first title
    prefix = common_package_path([e["source"] for e in data["edges"]] + [e["target"] for e in groups["internal"]])

    def imported(e: dict[str, Any]) -> str:
        return e["target"][len(EXTERNAL_PREFIX):] if e["target"].startswith(EXTERNAL_PREFIX) else e["target"].removeprefix(prefix)

    titles = {
        "internal": f"{repo}: {count(len(groups['internal']), 'import')} between its modules"
                    + (f" (below {prefix})" if prefix else ""),
        "external": f"{count(len(groups['external']), 'import')} of "
                    f"{count(len({e['target'] for e in groups['external']}), 'third-party package')}",
        "stdlib": f"{count(len(groups['stdlib']), 'import')} of "
                  f"{count(len({e['target'] for e in groups['stdlib']}), 'standard-library module')}",
    }
    headers = {"internal": "imports module", "external": "imports package", "stdlib": "imports module"}
    for group, edges in groups.items():
        if not edges and group != "internal":
            continue
        rows = [(e["source"].removeprefix(prefix), imported(e), line_ranges(e["lines"]) + _kind_note(e["kind"]))
                for e in edges]
        console.print(table(titles[group], [("module", IDENTIFIER), (headers[group], IDENTIFIER), "at lines"], rows))


def components(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: ComponentsFormat = TABLE,
) -> None:
    """The components, with their paths, sizes, dependencies and truck factor."""
    from cairn.api.services import reads

    with opened_workspace(store) as ws:
        repo = ws.repository(repo).repo
        data = reads.components(ws, repo)
    if format is JSON:
        print_json(data)
        return
    comps = data["components"]
    inferred = [c for c in comps if c["inferred"]]
    mark = len(inferred) not in (0, len(comps))  # all or none inferred: the title says so instead
    # every component the directory of its name (prometheus's 35): the paths column would repeat the names, in the
    # width the lists of dependencies need; a directory of its name in a folder (tauri's crates/tauri-build/**,
    # packages/api/**) is shown by that folder alone ("in": crates/), not by a path folded over two lines; where all
    # but a few are (scrapy's 18 of 19, the 19th scrapy/*), the few show their paths in that column
    folders = [_folder_of_name(c) for c in comps] if comps else None
    if folders is not None and (folders.count(None) * MOST_IN_FOLDERS > len(folders)
                                or not any(folders) and None in folders):
        folders = None
    directories = folders is not None and not any(folders) and None not in folders
    if directories:
        folders = None
    mixed = folders is not None and None in folders

    def rows(lists: bool) -> list[tuple[str, ...]]:
        def related(names: list[str]) -> str:
            return ", ".join(names) if lists else (str(len(names)) if names else "")

        return [(c["name"] + ("*" if mark and c["inferred"] else ""),
                 folders[at] if folders is not None and folders[at] is not None
                 else "\n".join(dict.fromkeys(map(short_path, c["paths"]))),
                 str(c["modules"]), str(c["files"]),
                 related(c["depends_on"]), related(c["used_by"]), NOT_COUNTED if not_counted(c) else "?" if c.get("truck_factor") is None else str(c["truck_factor"]))
                for at, c in enumerate(comps)]

    title = f"{repo}: {count(len(comps), 'component')}" + (
        ", inferred from the directory layout" if inferred and not mark else "")

    def shown(lists: bool) -> FittedTable:
        related = TEXT if lists else NUMBER
        columns = [("name", IDENTIFIER), ("in" if folders is not None else "paths", IDENTIFIER), ("modules", NUMBER),
                   ("files", NUMBER),
                   ("depends on", related), ("used by", related), ("TF", NUMBER)]
        if directories:
            return table(title, columns[:1] + columns[2:], [row[:1] + row[2:] for row in rows(lists)])
        return table(title, columns, rows(lists))

    # each dependency named while that folds no more names than counting them (prometheus's at 80 columns: a list of
    # fifteen a cell, every name over two lines) and the table stays under twice as tall (etcd's 20 components: 150
    # lines, a name a line)
    listed = shown(lists=True)
    counted = shown(lists=False)
    lists = (listed.folded_cells(console.width) <= counted.folded_cells(console.width)
             and len(listed.render_lines(console.width)) <= LISTED_HEIGHT * len(counted.render_lines(console.width)))
    console.print(listed if lists else counted)
    notes = ["TF: truck factor, how many people would have to leave before half of its files have no author"]
    if not lists:
        notes.insert(0, "depends on, used by: how many components (`cairn explore NAME` names them)")
    if any(map(not_counted, comps)):
        notes.append(NOT_COUNTED_NOTE)
    if directories:
        notes.insert(0, "each component is the directory of its name (NAME/**)")
    elif folders is not None:
        example = next((f for f in folders if f), "")
        notes.insert(0, ("in: the folder holding the directory of its name" if mixed
                         else "each component is the directory of its name in the folder shown")
                        + (f" (in: {example} is {example}NAME/**)" if example else " (NAME/**)")
                        + ("; a path pattern, the files of the others" if mixed else ""))
    elif any(short_path(p) != p for c in comps for p in c["paths"]):
        notes.append("…: folders left out of a long path (`--format json` gives them all)")
    if mark:
        notes.insert(0, "*: inferred from the directory layout (not declared in cairn.toml)")
    for note in notes:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)


#: The "in" column shows the folders when at most one component in this many is not the directory of its name.
MOST_IN_FOLDERS = 3


def _folder_of_name(component: dict[str, Any]) -> str | None:
    """The folder holding a component that is the directory of its name (``crates/`` of ``crates/tauri-build/**``,
    ``""`` of ``bench/**``), None for any other."""
    paths, name = component["paths"], component["name"]
    if len(paths) != 1 or not paths[0].endswith(f"{name}/**"):
        return None
    folder = paths[0][:-len(f"{name}/**")]
    return folder if folder == "" or folder.endswith("/") else None


#: A path pattern of more parts than this is shown by its last folder.
SHORT_PATH_PARTS = 4


def short_path(pattern: str) -> str:
    """A component's path pattern as the table shows it: a long one (Spring Petclinic's
    ``src/main/java/org/springframework/samples/petclinic/owner/**`` and its ``src/test/java/…``, four lines each at 80
    columns) by its last folder, ``…/owner/**`` (once for both); ``--format json`` has them whole."""
    parts = pattern.split("/")
    return "…/" + "/".join(parts[-2:]) if len(parts) > SHORT_PATH_PARTS else pattern


def _kind_note(kind: str | None) -> str:
    """Nothing for a plain (runtime) import; `` (type-only)`` or `` (dynamic)`` for the others."""
    return f" ({kind.replace('_', '-')})" if kind and kind != "runtime" else ""


def line_ranges(lines: list[int]) -> str:
    """``[13, 14, 15, 16, 30]`` as ``13-16, 30``; after three ranges, how many lines more."""
    ranges: list[list[int]] = []
    for n in sorted(set(lines)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    shown = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges[:RANGES_SHOWN])
    rest = sum(b - a + 1 for a, b in ranges[RANGES_SHOWN:])
    return shown + (f" +{rest} more" if rest else "")
