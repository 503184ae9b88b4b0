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
* the set of paths is the same (no file added or removed: a new file can
  change a module name or a source root);
* each changed file's parse before and after has the same imports (spec,
  line, kind, level, names) and package, no file that was parsed became
  skipped (binary, generated), and no file went from clean to syntax errors
  or back (so the error table keeps the full run's order).

Resolution reads nothing of a parsed file but its path, imports and package,
and the paths and the files it read are unchanged, so the resolved imports,
modules and notes are the previous ones; only ``lines`` and
``syntax_errors`` of the changed files differ. Anything not proven falls
back to a full resolution (the caller's). A test compares the carried result
with a full resolution of the same files.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from cairn.ingest.code.base import ParsedFile
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
    for path, key in changed.items():
        before, now = entries.get(key), parsed.get(path)
        if before is None or now is None:
            return None
        if before.imports != now.imports or before.package != now.package:
            return None
        if bool(before.syntax_errors) != bool(now.syntax_errors):
            return None
    if any(digest_text(read_text(p)) != d for p, d in reads.items()):
        return None
    lines, errors = dict(previous.lines), dict(previous.syntax_errors)
    for path in changed:
        now = parsed[path]
        if now.lines is not None:
            lines[path] = now.lines
        elif path in lines:  # a count the previous parse had and this one has not: the full run's table order is unknown
            return None
        if now.syntax_errors:
            errors[path] = now.syntax_errors
    return reads, replace(previous, lines=lines, syntax_errors=errors, notes=list(previous.notes))
