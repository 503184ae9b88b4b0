"""How decisions refer to each other: resolving references, making relations symmetric.

Relations (supersedes / superseded_by / amends / amended_by) are resolved to
repository-relative paths by link target, file name, number (same folder first)
or title, and made symmetric: when 0005 says it supersedes 0002 but 0002 still
says "Accepted", 0002 is marked superseded (``status_inferred``). A reference
that names no record is a problem on a decision that is still kept.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from cairn.ingest.adrs.fields import REF_NUMBER, clean_title, date_slug
from cairn.ingest.adrs.records import RELATIONS, Decision, Problem

INVERSE = {"supersedes": "superseded_by", "superseded_by": "supersedes", "amends": "amended_by", "amended_by": "amends"}


@dataclass
class DecisionSet:
    """The decisions of a repository, the problems met reading them, and the folders they came from."""

    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)

    def by_path(self) -> dict[str, Decision]:
        return {d.path: d for d in self.decisions}

    def resolve(self, reference: str, *, relative_to: str | None = None) -> str | None:
        """The path of the decision a reference names (path, file name, number or title), or None."""
        return ReferenceResolver(self.decisions).resolve(reference, None, relative_to)


class ReferenceResolver:
    """Finds the decision a reference names: link target, file name, number (same folder first) or title."""

    def __init__(self, decisions: list[Decision]):
        self.paths = {d.path for d in decisions}
        self.by_name: dict[str, list[str]] = {}
        self.by_stem: dict[str, list[str]] = {}
        self.by_number: dict[int, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        for d in decisions:
            name = posixpath.basename(d.path)
            self.by_name.setdefault(name.lower(), []).append(d.path)
            self.by_stem.setdefault(name.rsplit(".", 1)[0].lower(), []).append(d.path)
            if d.number is not None:
                self.by_number.setdefault(d.number, []).append(d.path)
            self.by_title.setdefault(d.title.strip().lower(), []).append(d.path)

    def resolve(self, text: str, href: str | None, relative_to: str | None) -> str | None:
        folder = posixpath.dirname(relative_to) if relative_to else ""
        if href and not re.match(r"^[a-z]+:", href, re.I):
            target = href.split("#", 1)[0].split("?", 1)[0]
            if target:
                candidate = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target.lstrip("/")
                for c in (candidate, candidate + ".md", candidate + ".rst"):
                    if c in self.paths:
                        return c
                name = posixpath.basename(target).lower()
                for key, table in ((name, self.by_name), (name + ".md", self.by_name), (name + ".rst", self.by_name),
                                   (name.rsplit(".", 1)[0], self.by_stem)):
                    found = self._pick(table.get(key, []), folder)
                    if found:
                        return found
        text = text.strip()
        if not text:
            return None
        if text in self.paths:
            return text
        low = text.lower()
        for table, key in ((self.by_name, posixpath.basename(low)), (self.by_stem, posixpath.basename(low))):
            found = self._pick(table.get(key, []), folder)
            if found:
                return found
        m = REF_NUMBER.match(text)
        if m and not date_slug(text):
            found = self._pick(self.by_number.get(int(m.group(1)), []), folder)
            if found:
                return found
        title, _ = clean_title(text)
        return self._pick(self.by_title.get(title.lower(), []), folder)

    @staticmethod
    def _pick(paths: list[str], folder: str) -> str | None:
        if len(paths) == 1:
            return paths[0]
        local = [p for p in paths if posixpath.dirname(p) == folder]
        return local[0] if len(local) == 1 else None


def resolve_relations(result: DecisionSet) -> None:
    resolver = ReferenceResolver(result.decisions)
    by_path = result.by_path()
    for d in result.decisions:
        for relation, text, href in d.references:
            target = resolver.resolve(text, href, d.path)
            if target is None:
                shown = f"[{text}]({href})" if href else text
                result.problems.append(Problem(d.path, f"'{relation.replace('_', ' ')} {shown}' names no known decision", skipped=False))
                continue
            if target == d.path:
                continue
            if target not in d.relation(relation):
                d.relation(relation).append(target)
            other = by_path[target]
            inverse = INVERSE[relation]
            if d.path not in other.relation(inverse):
                other.relation(inverse).append(d.path)
    for d in result.decisions:
        for relation in RELATIONS:
            d.relation(relation).sort()
        if d.superseded_by and d.status in ("accepted", "unknown", "proposed", "amended"):
            d.status, d.status_inferred = "superseded", True
        elif d.amended_by and d.status in ("accepted", "unknown"):
            d.status, d.status_inferred = "amended", True
