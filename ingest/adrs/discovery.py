"""Finding a repository's decision records.

The folder list (first match wins): the folders configured in ``[adr] paths``;
else the folder named in ``.adr-dir`` (adr-tools) and the ``adrFolder``
entries of ``.log4brains.yml``, plus whichever of ``doc/adr``, ``docs/adr``,
``docs/adrs``, ``docs/decisions``, ``docs/architecture/decisions``,
``docs/architecture-decisions`` and ``adr`` exist. Every ``*.md`` below a
folder is a decision (MADR category subfolders included) except
``README``/``index`` pages and templates.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

import yaml

from cairn.ingest.adrs.fields import dedupe, one_line
from cairn.ingest.adrs.records import Problem
from cairn.ingest.config import AdrSettings

DEFAULT_FOLDERS = (
    "doc/adr", "docs/adr", "docs/adrs", "docs/decisions", "docs/architecture/decisions",
    "docs/architecture-decisions", "adr",
)
NOT_DECISIONS = frozenset({"readme", "index", "template", "adr-template", "adr-template-minimal", "adr-template-bare",
                           "adr-template-bare-minimal", "0000-template", "toc", "_sidebar", "summary", "changelog"})


def find_adr_folders(root: Path, settings: AdrSettings) -> tuple[list[str], list[Problem]]:
    """Repository-relative ADR folders that exist, and problems with configured ones."""
    problems: list[Problem] = []
    wanted: list[str] = []
    if settings.paths:
        for configured in settings.paths:
            rel = configured.strip().strip("/")
            if not _inside(root, rel) or not (root / rel).is_dir():
                problems.append(Problem(configured, "configured ADR folder does not exist", skipped=True))
                continue
            wanted.append(rel)
        return dedupe(wanted), problems
    adr_dir = root / ".adr-dir"
    if adr_dir.is_file():
        try:
            rel = adr_dir.read_text(encoding="utf-8").strip().strip("/")
        except (OSError, UnicodeDecodeError):
            rel = ""
        if rel and _inside(root, rel) and (root / rel).is_dir():
            wanted.append(rel)
        else:
            problems.append(Problem(".adr-dir", f"names a folder that does not exist ({rel!r})", skipped=True))
    wanted += _log4brains_folders(root, problems)
    wanted += [f for f in DEFAULT_FOLDERS if (root / f).is_dir() and not (root / f).is_symlink()]
    # A folder inside another one is read with it.
    result = []
    for f in dedupe(wanted):
        if not any(f != other and f.startswith(other + "/") for other in wanted):
            result.append(f)
    return result, problems


def _log4brains_folders(root: Path, problems: list[Problem]) -> list[str]:
    config = root / ".log4brains.yml"
    if not config.is_file():
        return []
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(".log4brains.yml", f"cannot be read ({one_line(exc)})", skipped=True))
        return []
    folders: list[str] = []
    project = data.get("project") if isinstance(data, dict) else None
    if isinstance(project, dict):
        if isinstance(project.get("adrFolder"), str):
            folders.append(project["adrFolder"])
        for package in project.get("packages") or []:
            if isinstance(package, dict) and isinstance(package.get("adrFolder"), str):
                folders.append(package["adrFolder"])
    out = []
    for f in folders:
        rel = posixpath.normpath(f.strip().lstrip("./")).strip("/") if f.strip() not in (".", "./") else ""
        if rel and _inside(root, rel) and (root / rel).is_dir():
            out.append(rel)
    return out


def _inside(root: Path, rel: str) -> bool:
    try:
        (root / rel).resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError):
        return False


def adr_files(root: Path, folder: str) -> list[str]:
    out = []
    base = root / folder
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d.lower() not in ("templates", "template", "assets", "images", "img"))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            if not name.lower().endswith((".md", ".markdown")) or full.is_symlink():
                continue
            stem = name.rsplit(".", 1)[0].lower()
            if stem in NOT_DECISIONS or stem.startswith("_") or "template" in stem:
                continue
            out.append(full.relative_to(root).as_posix())
    return out

