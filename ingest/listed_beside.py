"""The files' listing of an ingest begun in a forked child (``ListedBeside``), and what the listing alone decides,
worked out there while the ingest goes on (``ListingDerived``): both computed by the functions the ingest calls
otherwise (``files.list_files``, ``linguist.truck_factor_scope``, ``owned_components.layout_components``), and
taken only for the inputs they were computed from."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable

from cairn.graph.forked import ForkedParts
from cairn.ingest.files import ListedFile, Listing, list_files

if TYPE_CHECKING:  # imported where used: the ingest imports them after forking (``ListedBeside``), the child before use
    from cairn.ingest.codeowners import CodeOwners
    from cairn.ingest.components import ComponentDef


class ListedBeside(ForkedParts):
    """``list_files`` of a checkout begun in a forked child (``graph.forked``) while the ingest validates its
    configuration and imports its steps (a quarter of a second: as long as listing 10k files takes), for
    ``listing`` to take; then, while the ingest reads the code, what the listing alone decides (``ListingDerived``:
    the truck factor's scope of each file, the components of the layout and CODEOWNERS), for ``derived``.

    ``tracked``: the tracked files the check for changes listed (``freshness.CheckoutState.tracked``), for the child
    not to ask git again. The settings it was begun with are checked by ``listing``: when the configuration the ingest validated lists
    with other ones, the files are listed again in process, and nothing derived is taken. Each part travels as
    JSON (the paths as one NUL-joined text); a child that fails or sends what does not decode means computing
    here what it stood for, as before."""

    def __init__(self, root: Path, exclude: list[str], max_file_bytes: int, repo: str,
                 tracked: Collection[str] | None = None):
        super().__init__(partial(list_files, root, exclude=exclude, max_file_bytes=max_file_bytes, tracked=tracked))
        self.begun = (root, list(exclude), max_file_bytes)
        self.repo = repo
        self._listing: Listing | None = None

    def listing(self, root: Path, exclude: list[str], max_file_bytes: int) -> Listing:
        """``list_files(root, exclude=…, max_file_bytes=…)``: the child's, when it listed with these."""
        if (root, list(exclude), max_file_bytes) != self.begun:
            self.cancel()
            return list_files(root, exclude=exclude, max_file_bytes=max_file_bytes)
        part = self.part()
        self._listing = _decoded_listing(part) if part is not None else None
        if self._listing is None:
            self.cancel()
            return self._compute()
        return self._listing

    def start(self) -> ListedBeside:
        super().start()
        if self._pid is not None:  # the child has the tracked files: listed here again only if it fails, asking git
            root, exclude, max_file_bytes = self.begun
            self._compute = partial(list_files, root, exclude=exclude, max_file_bytes=max_file_bytes)
        return self

    def derived(self) -> ListingDerived | None:
        """What the child derived from the listing ``listing`` gave (None: nothing, compute it)."""
        if self._listing is None:
            return None
        part = self.part()
        self.cancel()  # (the last part: the child is reaped)
        if part is None:
            return None
        try:
            data = json.loads(part.decode("ascii"))
            scope = data["scope"]
            paths = scope["paths"].split("\0") if scope["count"] else []
            reasons = scope["reasons"]
            kept = dict(zip(paths, zip(map(bool, scope["counted"]), map(reasons.__getitem__, scope["reason"]), strict=True),
                            strict=True))
            return ListingDerived(self.repo, kept, data["source_paths"], data["codeowners"], data["units"], data["entries"],
                                  data["defs"])
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def _parts(self, listing: Listing) -> Iterable[Any]:
        paths = sorted(listing.all_paths)
        index = {path: i for i, path in enumerate(paths)}
        kept = listing.kept
        yield json.dumps({
            "root": str(listing.root), "is_git": listing.is_git, "paths": "\0".join(paths), "count": len(paths),
            "kept": [index[f.path] if f.path in index else f.path for f in kept], "size": [f.size for f in kept],
            "mtime": [f.mtime_ns for f in kept], "language": [f.language for f in kept],
            "skipped": list(listing.skipped.items()), "notes": listing.notes,
            "attributes": listing.attributes, "filters": None if listing.filters is None else list(listing.filters),
            "refused": listing.refused,
        }, separators=(",", ":")).encode("ascii")
        # computed while the ingest reads the code
        yield json.dumps(ListingDerived.compute(listing, self.repo), separators=(",", ":")).encode("ascii")


def _decoded_listing(part: bytearray) -> Listing | None:
    try:
        data = json.loads(part.decode("ascii"))
        paths = data["paths"].split("\0") if data["count"] else []
        if len(paths) != data["count"]:
            return None
        listing = Listing(root=Path(data["root"]), is_git=data["is_git"], all_paths=frozenset(paths),
                          skipped=Counter(dict(data["skipped"])), notes=data["notes"], attributes=data["attributes"],
                          filters=None if data["filters"] is None else set(data["filters"]), refused=data["refused"])
        kept = data["kept"]
        if set(map(type, kept)) <= {int}:  # (the kept files are among the paths: numbered, made in C)
            kept = map(paths.__getitem__, kept)
        else:
            kept = [paths[at] if type(at) is int else at for at in kept]
        listing.kept = list(map(tuple.__new__, repeat(ListedFile), zip(kept, data["size"], data["mtime"], data["language"],
                                                                       strict=True)))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return listing


class ListingDerived:
    """What a listing decides alone, worked out beside (``ListedBeside``) by the functions the ingest calls: each
    source file's place in the truck factor's scope (``linguist.truck_factor_scope``: its path, language and
    attributes, and the listing's ``first_party.first_party_folders``), and the inferred components (``owned_components.layout_components``) of the listing's source
    files, its build units and entry points and the CODEOWNERS read then. Each is taken only where the ingest's own inputs are those: ``scope`` by path (a File node is a file the listing
    kept, with its language and attributes), ``defs`` when the source files (the driver may skip some more), the
    build units, the entry points, the repository name and the CODEOWNERS rules are the same."""

    def __init__(self, repo: str, scope: dict[str, tuple[bool, str | None]], source_paths: str, codeowners: list,
                 units: str, entries: list[str], defs: list[dict[str, Any]]):
        self._repo, self.scope = repo, scope
        self._source_paths, self._codeowners, self._units, self._defs = source_paths, codeowners, units, defs
        self._entries = entries

    @staticmethod
    def compute(listing: Listing, repo: str) -> dict[str, Any]:
        from cairn.ingest.prow_owners import read_declared_owners
        from cairn.ingest.components import build_units
        from cairn.ingest.first_party import first_party_folders
        from cairn.ingest.linguist import truck_factor_scope
        from cairn.ingest.owned_components import layout_components
        from cairn.ingest.package_names import entry_points

        attributes = listing.attributes
        source = sorted(f.path for f in listing.kept if f.language is not None)
        paths = [f.path for f in listing.kept if f.language is not None]
        units = build_units(listing.all_paths)
        own = first_party_folders(listing.all_paths, units)
        scope = [truck_factor_scope(f.path, f.language, attributes.get(f.path), own) for f in listing.kept
                 if f.language is not None]
        reasons = list(dict.fromkeys(why for _, why in scope))
        number = {why: i for i, why in enumerate(reasons)}
        owners = read_declared_owners(listing.root, listing.all_paths)
        entries = entry_points(listing.root, listing.all_paths)
        defs = layout_components(source, repo, owners, units, entries)
        # the scope as columns (the paths one NUL-joined text, each reason once): 50k paths decode in C
        return {"scope": {"count": len(paths), "paths": "\0".join(paths), "counted": [int(c) for c, _ in scope],
                          "reasons": reasons, "reason": [number[why] for _, why in scope]},
                "source_paths": _digest_of(source), "codeowners": _owners_key(owners), "units": _digest_of(sorted(units)),
                "entries": sorted(entries),
                "defs": [{"name": d.name, "paths": d.paths, "system": d.system, "domain": d.domain,
                          "description": d.description, "inferred": d.inferred} for d in defs]}

    def defs(self, source_paths: list[str], repo: str, codeowners: CodeOwners, units: frozenset[str],
             entries: frozenset[str]) -> list[ComponentDef] | None:
        """The components ``layout_components`` gives for these inputs, when they are the
        child's; else None."""
        from cairn.ingest.components import ComponentDef

        if repo != self._repo or _digest_of(source_paths) != self._source_paths or _owners_key(codeowners) != self._codeowners \
                or _digest_of(sorted(units)) != self._units or sorted(entries) != self._entries:
            return None
        return [ComponentDef(d["name"], d["paths"], d["system"], d["domain"], d["description"], d["inferred"])
                for d in self._defs]


def _digest_of(paths: list[str]) -> str:
    return hashlib.sha256("\0".join(paths).encode("utf-8", errors="surrogateescape")).hexdigest()


def _owners_key(owners: CodeOwners) -> list:
    """What of a ``CodeOwners`` the components read, as JSON would give it back."""
    return [owners.source, [[r.pattern, list(r.owners), r.line, r.regex.pattern] for r in owners.rules]]
