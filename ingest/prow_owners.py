"""Declared ownership from Prow's ``OWNERS`` files (Kubernetes' projects: cert-manager, kueue), as CODEOWNERS rules.

A repository that keeps no CODEOWNERS may declare its owners the Kubernetes way: an ``OWNERS`` file in any folder
(``approvers:``, ``reviewers:``, ``labels:``, ``options: {no_parent_owners: true}``, ``filters:`` by file-name regular
expression) and an ``OWNERS_ALIASES`` at the top naming groups of logins (``aliases: {cm-maintainers: [munnerz, …]}``).
https://go.k8s.io/owners says who may approve a change to a file: the approvers of the ``OWNERS`` files of its folder
and every folder above it, up to one that sets ``no_parent_owners``. That is what CODEOWNERS declares, so
``read_prow_owners`` turns each folder's approvers into one rule for the folder (``/pkg/issuer/vault/``; ``*`` for
the top) naming its approvers and those it inherits, aliases expanded to ``@login``s, the deeper folders' rules
after the shallower ones (the last matching rule decides, as in CODEOWNERS). An ``OWNERS`` of labels or reviewers
only makes no rule (its folder is its parent's). Filters: the catch-all ``".*"`` counts as the file's own
approvers; the others (``"_test\\.go$"``, ``"^Makefile$"``) name the approvers of a few files by name and are left
out. Emeritus approvers are not owners. ``OWNERS`` files in vendored folders (``vendor/``) and test data (``testdata/``) are not the project's.

Everything is read through ``cairn.ingest.untrusted`` (inside the checkout, size-capped, YAML without aliases): at
most ``MAX_FILES`` files, ``MAX_BYTES`` each; one that cannot be read is left out with a note.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any, Iterable

from cairn.ingest.codeowners import MAX_OWNERS_PER_LINE, CodeOwners, OwnerRule, compile_pattern, owner_kind, read_codeowners
from cairn.ingest.components import build_units
from cairn.ingest.first_party import first_party_folders
from cairn.ingest.linguist import exclusion
from cairn.ingest.untrusted import RefusedFile, read_checkout_text

OWNERS_FILE = "OWNERS"
#: ``linguist.exclusion``'s reasons for a folder of files that are not the project's: an ``OWNERS`` file there is
#: another project's, or a test's input (argo-cd's ``util/helm/testdata/redis/OWNERS``).
_NOT_THE_PROJECTS = frozenset({"vendored", "test data"})
ALIASES_FILE = "OWNERS_ALIASES"
#: How many ``OWNERS`` files are read (Kubernetes itself has about 1,500), and how large each may be.
MAX_FILES = 5000
MAX_BYTES = 256 * 1024
#: The source the rules name (``CodeOwners.source``).
SOURCE = "OWNERS"


def read_declared_owners(root: Path, paths: Iterable[str]) -> CodeOwners:
    """The owners a checkout declares: its CODEOWNERS (``codeowners.read_codeowners``: GitHub's, which wins), else
    the rules of its ``OWNERS`` files among the tracked ``paths``."""
    owners = read_codeowners(root)
    if owners.source is not None:
        return owners
    prow = read_prow_owners(root, paths)
    prow.notes[:0] = owners.notes
    return prow


def owners_files(paths: Iterable[str]) -> list[str]:
    """The tracked ``OWNERS`` files among ``paths`` (every tracked path) that are the project's (not in vendored
    folders), shallowest first."""
    found = [p for p in paths if p.rpartition("/")[2] == OWNERS_FILE]
    if any(exclusion(p) in _NOT_THE_PROJECTS for p in found):  # (which named folders are the project's, asked only then)
        own = first_party_folders(paths, build_units(paths))
        found = [p for p in found if exclusion(p, first_party=own) not in _NOT_THE_PROJECTS]
    return sorted(found, key=lambda p: (p.count("/"), p))


def read_prow_owners(root: Path, paths: Iterable[str]) -> CodeOwners:
    """The CODEOWNERS rules the ``OWNERS`` files among the tracked ``paths`` declare (see the module docstring);
    empty when there are none."""
    paths = paths if isinstance(paths, (set, frozenset)) else set(paths)
    files = owners_files(paths)
    if not files:
        return CodeOwners()
    notes: list[str] = []
    if len(files) > MAX_FILES:
        notes.append(f"{len(files)} OWNERS files: only the first {MAX_FILES} (the shallowest) read")
        files = files[:MAX_FILES]
    aliases = _aliases(root, notes) if ALIASES_FILE in paths else {}  # (only a tracked one: what a checkout holds)
    effective: dict[str, tuple[str, ...]] = {}  # folder -> the approvers of its files ("" is the top)
    rules: list[OwnerRule] = []
    for number, path in enumerate(files, 1):
        data = _read(root, path, notes)
        if data is None:
            continue
        folder = posixpath.dirname(path)
        own = _approvers(data, aliases)
        if not own:
            continue
        options = data.get("options")
        alone = isinstance(options, dict) and options.get("no_parent_owners") is True
        inherited = () if alone else effective.get(_nearest(folder, effective), ())
        owners = tuple(dict.fromkeys([*own, *inherited]))[:MAX_OWNERS_PER_LINE]
        effective[folder] = owners
        pattern = f"/{folder}/" if folder else "*"
        rules.append(OwnerRule(pattern, owners, number, compile_pattern(pattern)))
    return CodeOwners(source=SOURCE, rules=rules, notes=notes)


def _nearest(folder: str, known: dict[str, tuple[str, ...]]) -> str:
    """The nearest folder above ``folder`` with approvers of its own (``""``: the top)."""
    while folder:
        folder = posixpath.dirname(folder)
        if folder in known:
            return folder
    return ""


def _approvers(data: dict[str, Any], aliases: dict[str, list[str]]) -> list[str]:
    """The ``@login``s an ``OWNERS`` file names as approvers (its own and its catch-all filter's), aliases expanded."""
    named = _names(data.get("approvers"))
    filters = data.get("filters")
    if isinstance(filters, dict) and isinstance(filters.get(".*"), dict):
        named += _names(filters[".*"].get("approvers"))
    logins: dict[str, None] = {}
    for name in named:
        for login in aliases.get(name.lower(), [name]):
            handle = "@" + login
            if owner_kind(handle) == "user":
                logins[handle] = None
                if len(logins) == MAX_OWNERS_PER_LINE:  # (aliases of aliases' sizes multiply: a rule keeps so many)
                    return list(logins)
    return list(logins)


def _names(value: Any) -> list[str]:
    return [str(v).strip().lstrip("@") for v in value if isinstance(v, (str, int))] if isinstance(value, list) else []


def _aliases(root: Path, notes: list[str]) -> dict[str, list[str]]:
    """``OWNERS_ALIASES``' groups (lower-case name -> logins)."""
    data = _read(root, ALIASES_FILE, notes)
    groups = data.get("aliases") if data is not None else None
    if not isinstance(groups, dict):
        return {}
    return {str(name).lower(): _names(members) for name, members in groups.items()}


def _read(root: Path, path: str, notes: list[str]) -> dict[str, Any] | None:
    """An ``OWNERS`` (or ``OWNERS_ALIASES``) file's YAML mapping, or None (a note says why when it is not one)."""
    from cairn.ingest.untrusted_yaml import YAMLError, load_yaml

    try:
        text = read_checkout_text(root, path, limit=MAX_BYTES)
    except RefusedFile as exc:
        notes.append(f"{path}: {exc.reason}; not read")
        return None
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except YAMLError as exc:
        notes.append(f"{path}: not valid YAML ({str(exc).splitlines()[0][:200]}); not read")
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        notes.append(f"{path}: not a mapping of approvers, reviewers …; not read")
        return None
    return data
