"""Components from CODEOWNERS' directory entries, and how components nest.

A repository without ``[components]`` in cairn.toml gets its components from
the layout (``ingest.components``): top-level folders, which are often too
coarse (``storage`` hides ``storage/remote``, ``web`` mixes an API and a UI).
The teams already drew finer lines in CODEOWNERS; each directory entry there
(``/storage/remote/``, ``tsdb/wlog/**``, ``/web/ui``) becomes a component
named by its path below the layout's component holding it, after that one's
name (``storage/remote``; dotcom-rendering's ``client/islands`` for
``dotcom-rendering/src/client/islands/``), nested inside the layout's
components. A path belongs to its most specific component (the longest
directory prefix), so ``storage/remote/write.go`` is in ``storage/remote`` and
``storage/merge.go`` stays in ``storage``.

Left out: entries that are not plain directories (``*.go``, ``docs/*.md``,
``**/testdata``), hidden directories (``.github/``, ``app/.storybook/``), directories without
source files, directories whose source files are exactly those of an
existing component (``/web/`` beside an inferred ``web``), and entries that
name no owner the earlier lines did not already give the directory (Argo CD's
``/hack/gen-docs/``, which only drops the CI team that owns ``/hack/``).

``component_parents`` says which component each one is nested in, for
components from CODEOWNERS and for nested components declared in cairn.toml
alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from cairn.ingest.codeowners import CodeOwners
from cairn.ingest.components import ComponentDef, ComponentMap, infer_components

_GLOB = re.compile(r"[*?\[\]!\\]")


def layout_components(source_paths: list[str], repo: str, codeowners: CodeOwners,
                      units: frozenset[str] = frozenset(), entries: frozenset[str] = frozenset()) -> list[ComponentDef]:
    """The components of a repository that declares none: its layout's (``components.infer_components``, with its
    build ``units``: ``components.build_units`` of every tracked path), refined by the directories CODEOWNERS names
    (``codeowners_components``)."""
    defs = infer_components(source_paths, repo, units, entries)
    return defs + codeowners_components(codeowners, source_paths, defs)


def owned_directory(pattern: str, directories: set[str]) -> str | None:
    """The directory a CODEOWNERS pattern names (``"storage/remote"``), or None if it is not a plain directory."""
    body = pattern.strip()
    if body.endswith("/**"):
        body = body[:-3]
    body = body.strip("/")
    if not body or _GLOB.search(body) or any(part in ("", ".", "..") for part in body.split("/")):
        return None
    if any(part.startswith(".") for part in body.split("/")):  # (tooling: .github/, dotcom-rendering/.storybook/)
        return None
    if pattern.rstrip().endswith("/") or pattern.rstrip().endswith("/**") or body in directories:
        return body if body in directories else None
    return None


def codeowners_components(codeowners: CodeOwners, source_paths: list[str], existing: list[ComponentDef]) -> list[ComponentDef]:
    """Components seeded by CODEOWNERS' directory entries (see the module docstring), in file order."""
    directories: set[str] = set()
    for path in source_paths:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            directories.add("/".join(parts[:i]))
    current = ComponentMap(list(existing))
    files_of: dict[str, set[str]] = {}
    for path in source_paths:
        comp = current.component_of(path)
        if comp is not None:
            files_of.setdefault(comp, set()).add(path)
    by_name = {c.name: c for c in existing}
    taken_names = set(by_name)
    taken_files = [frozenset(files) for files in files_of.values()]
    ordered = sorted(source_paths)
    out: list[ComponentDef] = []
    seen: set[str] = set()
    for position, rule in enumerate(codeowners.rules):
        if not rule.owners:
            continue
        directory = owned_directory(rule.pattern, directories)
        if directory is None or directory in seen:
            continue
        seen.add(directory)
        # the paths under directory/ are one run of the sorted list: "/" + 1 is "0"
        files = frozenset(ordered[bisect_left(ordered, directory + "/"):bisect_left(ordered, directory + "0")])
        if not files or files in taken_files or directory in taken_names or _names_no_one_new(codeowners, position, files):
            continue
        name = _name_within(directory, current, by_name)
        name = name if name not in taken_names else directory
        out.append(ComponentDef(name=name, paths=[f"{directory}/**"], inferred=True,
                                description=f"declared in {codeowners.source} line {rule.line} ({rule.pattern})"))
        taken_files.append(files)
        taken_names.update((name, directory))
    return out


def _names_no_one_new(codeowners: CodeOwners, position: int, files: frozenset[str]) -> bool:
    """Whether the rule at ``position`` gives its directory no owner the earlier rules did not already give it: the
    entry only drops someone (Argo CD's ``/hack/gen-docs/ @argoproj/argocd-approvers`` below ``/hack/`` owned by them
    and the CI team), which says no team took the directory on."""
    before = codeowners.rule_for(min(files), before=position)
    return before is not None and set(codeowners.rules[position].owners) <= set(before.owners)


def _name_within(directory: str, layout: ComponentMap, existing: dict[str, ComponentDef]) -> str:
    """A CODEOWNERS directory's name: its path below the layout's component holding it, after that component's name
    (dotcom-rendering's ``dotcom-rendering/src/client/islands`` in ``client``: ``client/islands``; prometheus'
    ``storage/remote`` in ``storage``); its path when no component with a folder of its own holds it."""
    holder = layout.component_of(directory + "/")
    folder = _literal_directory(existing[holder]) if holder in existing else None
    if folder is not None and directory.startswith(folder + "/"):
        return f"{holder}/{directory[len(folder) + 1:]}"
    return directory


def _literal_directory(def_: ComponentDef) -> str | None:
    """The one directory a component covers (``a/b`` for ``["a/b/**"]``), or None for globs and file lists."""
    if len(def_.paths) != 1:
        return None
    pattern = def_.paths[0]
    body = pattern[:-3] if pattern.endswith("/**") else pattern.rstrip("/")
    if not body or _GLOB.search(body) or ("." in body.rsplit("/", 1)[-1] and not pattern.endswith(("/**", "/"))):
        return None
    return body


def component_parents(defs: list[ComponentDef]) -> dict[str, str]:
    """Component name -> the component it is nested in (the most specific other one holding its directory)."""
    parents: dict[str, str] = {}
    every = ComponentMap([ComponentDef(d.name, list(d.paths)) for d in defs])  # one map, asked without each in turn
    for def_ in defs:
        directory = _literal_directory(def_)
        if directory is None:
            continue
        parent = every.component_of_except(directory + "/", def_.name)
        if parent is not None:
            parents[def_.name] = parent
    return parents
