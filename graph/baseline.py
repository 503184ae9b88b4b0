"""The baseline: known violations a team has accepted for now, kept in a file of the checkout.

A baseline is a JSON file (``.cairn-baseline.json`` unless ``cairn.toml``
says ``baseline = "..."``) listing violations by ``(rule, importer,
imported)`` — the key of a ``Finding``, never a line, so moving code does not
resurrect them. Findings it holds are left out of a verdict and counted.

It only shrinks: the first update records every current violation; every later
one removes the entries no longer violated and never adds new ones (they stay
findings until fixed or deliberately baselined by deleting the file).

Where it lives: the configured name is relative to the checkout and must stay
inside it. An absolute name, a ``..`` part, or a symlink that resolves outside
the checkout is refused (``BaselineError``): a repository's configuration must
not make Cairn read or write files elsewhere on the machine.

This module is the one place that locates (``baseline_path``), reads
(``load_baseline``, ``Baseline.from_text``) and writes (``update_baseline``) a
baseline; writes are atomic (``graph.atomic``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cairn.graph.atomic import write_atomic
from cairn.graph.errors import BaselineError
from cairn.graph.findings import FindingKey

DEFAULT_BASELINE = ".cairn-baseline.json"
BASELINE_VERSION = 1


@dataclass(frozen=True)
class Baseline:
    """The known violations, by finding key; ``path`` is where they were read from, if a file."""

    entries: frozenset[FindingKey] = frozenset()
    path: str | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def from_text(cls, text: str, *, path: str | None = None) -> "Baseline":
        """Parse a baseline file's JSON; ``BaselineError`` (naming ``path``) when it is not a baseline."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"not valid JSON ({exc.msg} at line {exc.lineno})", path=path) from None
        entries = data.get("violations") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise BaselineError("a baseline is an object with a 'violations' list", path=path)
        keys: set[FindingKey] = set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("rule", "importer", "imported")):
                raise BaselineError(f"violations[{i}] needs string 'rule', 'importer' and 'imported'", path=path)
            keys.add((entry["rule"], entry["importer"], entry["imported"]))
        return cls(frozenset(keys), path)

    def to_text(self) -> str:
        data = {
            "version": BASELINE_VERSION,
            "tool": "cairn",
            "note": "Known boundary violations, keyed by (rule, importer, imported). Cairn only removes entries from this file.",
            "violations": [{"rule": r, "importer": a, "imported": b} for r, a, b in sorted(self.entries)],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class BaselineUpdate:
    """What ``update_baseline`` did: created the file, or removed fixed entries (and left new violations out)."""

    path: str
    created: bool
    recorded: int
    removed: int
    not_added: int


def baseline_name(configured: str | None) -> str:
    """The configured baseline name as a checkout-relative POSIX path; refuses one that leaves the checkout."""
    name = configured or DEFAULT_BASELINE
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or Path(name).is_absolute() or name.startswith("~"):
        raise BaselineError(f"baseline {name!r} in cairn.toml is an absolute path; give a path inside the checkout")
    if ".." in pure.parts:
        raise BaselineError(f"baseline {name!r} in cairn.toml leaves the checkout ('..'); give a path inside it")
    if not pure.parts or str(pure) == ".":
        raise BaselineError(f"baseline {name!r} in cairn.toml names no file")
    return str(pure)


def baseline_path(root: Path, configured: str | None) -> Path:
    """Where the checkout at ``root`` keeps its baseline; ``BaselineError`` when that is outside the checkout."""
    name = baseline_name(configured)
    root = Path(root)
    path = root / name
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise BaselineError(f"cannot resolve the baseline path ({exc})", path=str(path)) from None
    if not inside:
        raise BaselineError(f"baseline {name!r} in cairn.toml is a symlink that resolves outside the checkout; refused",
                            path=str(path))
    return path


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; ``BaselineError`` naming the file when it is missing or not a baseline."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError("baseline file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot be read ({' '.join(str(exc).split())})", path=str(path)) from None
    return Baseline.from_text(text, path=str(path))


def write_baseline(path: Path, entries: Iterable[FindingKey]) -> None:
    """Write a baseline atomically, entries sorted so the file diffs well."""
    try:
        write_atomic(Path(path), Baseline(frozenset(entries)).to_text().encode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline ({exc.strerror or exc})", path=str(path)) from None


def update_baseline(path: Path, current: Iterable[FindingKey]) -> BaselineUpdate:
    """Record or shrink the baseline at ``path`` given the violations found now (reported or baselined).

    No file yet: every current violation is recorded. A file already there:
    entries no longer violated are removed; violations not in it are *not*
    added (they stay findings) — the file only shrinks.
    """
    path = Path(path)
    now = set(current)
    if not path.exists():
        write_baseline(path, now)
        return BaselineUpdate(str(path), True, len(now), 0, 0)
    old = load_baseline(path).entries
    kept = old & now
    write_baseline(path, kept)
    return BaselineUpdate(str(path), False, len(kept), len(old - kept), len(now - old))
