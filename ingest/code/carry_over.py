"""A previous whole extraction carried over to a change that leaves every import as it was.

Most commits edit the bodies of a few files: their imports, and so every
resolved import of the repository, stay what they were. Resolving the whole
repository again for that (the Python resolver's source roots depend on every
file's imports) is most of a warm extraction's cost. ``carried_over`` gives
the previous result with the changed files' line and syntax-error counts
instead, when it can prove that is what resolving would give:

* the previous run's inputs are known exactly: each changed file's blob
  before the change (the parse cache's (size, mtime) record of it) rebuilds
  the previous run's input fingerprint, and the parse cache still remembers
  that run's result, with the same digests of the files resolution read;
* the paths resolution consults are the same (``Language.consults``: no code
  file, ``__init__.py`` or ``go.mod`` added or removed — a new one can change a
  module name or a source root; any path when JavaScript or TypeScript is
  resolved, whose configuration can name any file);
* each changed file's parse before and after has the same package and the
  same imports (spec, kind, level, names), on the same lines or on lines
  moved as a whole (lines added or removed above an import: each old line
  goes to one new line, no two to the same), no file that was parsed became
  skipped (binary, generated), and no file went from clean to syntax errors
  or back (so the error table keeps the full run's order).

Resolution reads nothing of a parsed file but its path, imports and package,
and the paths and the files it read are unchanged, so the modules and notes
are the previous ones. An import's line only passes through resolution (into
the resolved import, and the key that drops a repeated import of a line, which
a one-to-one move of lines keeps apart as before), so the resolved imports are
the previous ones with the moved lines. ``lines`` and ``syntax_errors`` of the
changed files are this run's. Anything not proven falls back to a full
resolution (the caller's). Tests compare carried results with full resolutions
of the same files.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from cairn.ingest.code.base import ParsedFile, RawImport
from cairn.ingest.code.cache import EntryKey, ParseCache, digest_text
from cairn.ingest.code.result import CodeResult


def carried_over(
    cache: ParseCache,
    previous_fingerprint: str,
    changed: dict[str, EntryKey],
    parsed: dict[str, ParsedFile],
    skipped: dict[str, str],
    read_text: Callable[[str], str | None],
) -> tuple[dict[str, str | None], CodeResult] | None:
    """The previous result updated for ``changed`` (path -> the cache key of its parse before the change), with the
    reads it was resolved with; None when that is not provably what a full resolution gives.

    ``previous_fingerprint`` is the input fingerprint of the same paths with the changed files' previous blobs;
    ``parsed`` and ``skipped`` are this run's parses and skipped files.
    """
    remembered = cache.recall(previous_fingerprint)
    if remembered is None:
        return None
    reads, previous = remembered
    if any(path in skipped for path in changed):
        return None
    entries = cache.entries
    moves: dict[str, dict[int, int]] = {}  # changed file -> its imports' old line -> new line, where they moved
    for path, key in changed.items():
        before, now = entries.get(key), parsed.get(path)
        if before is None or now is None or before.package != now.package:
            return None
        if before.imports != now.imports:
            moved = _moved_lines(before.imports, now.imports)
            if moved is None:
                return None
            moves[path] = moved
        if bool(before.syntax_errors) != bool(now.syntax_errors):
            return None
    if any(digest_text(read_text(p)) != d for p, d in reads.items()):
        return None
    imports = previous.imports
    if moves:
        imports = dict(imports)
        for path, moved in moves.items():
            module = previous.file_module.get(path)
            if module is None or module not in imports:
                continue  # a file without a module: its imports are not resolved
            shifted = []
            for imp in imports[module]:
                if imp.file == path:
                    line = moved.get(imp.line)
                    if line is None:
                        return None
                    imp = imp._replace(line=line)
                shifted.append(imp)
            imports[module] = shifted
    lines, errors = dict(previous.lines), dict(previous.syntax_errors)
    for path in changed:
        now = parsed[path]
        if now.lines is not None:
            lines[path] = now.lines
        elif path in lines:  # a count the previous parse had and this one has not: the full run's table order is unknown
            return None
        if now.syntax_errors:
            errors[path] = now.syntax_errors
    return reads, replace(previous, imports=imports, lines=lines, syntax_errors=errors, notes=list(previous.notes))


def _moved_lines(before: list[RawImport], after: list[RawImport]) -> dict[int, int] | None:
    """Old line -> new line when ``after`` is ``before`` with lines moved one-to-one (no two old lines onto one new
    line, no old line split in two); else None."""
    if len(before) != len(after):
        return None
    moved: dict[int, int] = {}
    for old, new in zip(before, after):
        if old._replace(line=new.line) != new or moved.setdefault(old.line, new.line) != new.line:
            return None
    return moved if len(set(moved.values())) == len(moved) else None
