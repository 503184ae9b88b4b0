"""The extraction driver: every language over a repository, in parallel, with a parse cache.

``extract_code`` parses each kept file of a supported language (reusing cached
parses keyed by language, parser version, file extension and the git blob hash
of the content, so an unchanged file is never parsed twice; see ``cache``), then lets each
language's resolver name the modules and resolve the imports over the whole
repository. Parsing runs in a process pool across all cores when there is
enough to parse to repay starting it.
"""

from __future__ import annotations

import hashlib
import os
from bisect import bisect_left
from dataclasses import replace
from operator import itemgetter, methodcaller
from typing import Callable, Collection, Iterable, Mapping

from cairn.ingest.code.base import Language, Layout, ParsedFile, Resolver
from cairn.ingest.code.cache import EntryKey, ParseCache, digest_text, result_id_of
from cairn.ingest.code.carry_over import carried_over
from cairn.ingest.code.go import GoLanguage
from cairn.ingest.code.java import JavaLanguage
from cairn.ingest.code.javascript import JavaScriptLanguage
from cairn.ingest.code.python import PythonLanguage
from cairn.ingest.code.result import CodeResult
from cairn.ingest.code.rust import RustLanguage
from cairn.ingest.files import code_skip_reason, count_lines

__all__ = ["CodeResult", "ParseCache", "SourceFile", "available_languages", "blob_hash", "extract_code"]

# Starting a process pool (forking, loading the grammars in each worker) costs about 0.1 s on
# this kind of machine, more than parsing a few megabytes; below this much source, parse in-process.
PARALLEL_MIN_BYTES = 6_000_000
CHUNK = 64
_FILE = itemgetter(4)  # ResolvedImport.file


#: The languages Cairn extracts, in a fixed order.
LANGUAGE_CLASSES: tuple[type[Language], ...] = (PythonLanguage, JavaScriptLanguage, GoLanguage, JavaLanguage,
                                                RustLanguage)


def available_languages() -> list[Language]:
    """The languages Cairn extracts, in a fixed order."""
    return [cls() for cls in LANGUAGE_CLASSES]


def blob_hash(data: bytes) -> str:
    """The git blob id of ``data``: the same key whether read from a checkout or from git."""
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


class _Inputs:
    """What identifies a whole extraction's inputs (``fingerprint``): the languages, each code file's blob and the
    other paths resolution consults (``_consulted``); the files it reads are recorded and checked apart
    (``ParseCache``). Also of the same inputs with a few files' blobs replaced (those of the run before a commit,
    ``fingerprint(instead=…)``), the text of each file's entry made once for both (50k files: their sort and
    ``repr`` are most of the digest's cost). The text digested is ``repr`` of (the languages' names and versions,
    the sorted (path, blob) pairs, "consulted", ``consulted``), written out a part at a time."""

    def __init__(self, languages: list[Language], blobs: dict[str, str], consulted: list[str]):
        self._head = repr([(lang.name, lang.version) for lang in languages])
        self._paths = sorted(blobs)
        self._entries = list(map(repr, zip(self._paths, map(blobs.__getitem__, self._paths))))
        self._tail = repr(consulted)

    def fingerprint(self, instead: Mapping[str, str] | None = None) -> str:
        """The fingerprint, with ``instead``'s blobs for its paths (each one of the files)."""
        entries = self._entries
        if instead:
            entries = entries.copy()
            for path, blob in instead.items():
                at = bisect_left(self._paths, path)
                if at == len(self._paths) or self._paths[at] != path:
                    raise KeyError(path)
                entries[at] = repr((path, blob))
        text = f"({self._head}, [{', '.join(entries)}], 'consulted', {self._tail})"
        return hashlib.sha1(text.encode("utf-8", errors="surrogateescape")).hexdigest()


def _consulted(present: list[Language], all_paths: frozenset[str]) -> list[str]:
    """The paths of the checkout whose presence resolving ``present`` (the languages with files) may depend on."""
    if any(type(lang).consults is Language.consults for lang in present):
        return sorted(all_paths)
    candidates: Iterable[str] = all_paths
    if all(lang.consulted_names is not None for lang in present):  # the paths with such a name picked out in C first
        names = tuple({name for lang in present for name in lang.consulted_names or ()})
        candidates = filter(methodcaller("endswith", names), all_paths) if names else ()
    return sorted(p for p in candidates if any(lang.consults(p) for lang in present))


class SourceFile:
    """A file to extract: its path, and how to get its bytes and identity."""

    path: str
    size: int
    mtime_ns: int
    blob: str | None  # known blob hash (from git), if any

    def __init__(self, path: str, size: int = 0, mtime_ns: int = 0, blob: str | None = None) -> None:
        self.path = path
        self.size = size
        self.mtime_ns = mtime_ns
        self.blob = blob


_WORKER_LANGUAGES: dict[str, Language] | None = None


def _worker_parse(batch: list[tuple[str, str, bytes]]) -> list[ParsedFile]:
    global _WORKER_LANGUAGES
    if _WORKER_LANGUAGES is None:
        _WORKER_LANGUAGES = {lang.name: lang for lang in available_languages()}
    return [_safe_parse(_WORKER_LANGUAGES[name], path, data) for name, path, data in batch]


def _languages_by_extension(languages: list[Language]) -> dict[str, Language] | None:
    """Extension -> the first of ``languages`` that handles it, when every language handles files by extension alone
    (``Language.handles`` as the base class has it); else None."""
    if any(type(lang).handles is not Language.handles for lang in languages):
        return None
    found: dict[str, Language] = {}
    for lang in languages:
        for ext in lang.extensions:
            found.setdefault(ext, lang)
    return found


def extension(path: str) -> str:
    """``os.path.splitext(path)[1]`` for a ``/``-separated path, without its generality (every file of the
    repository is looked at): from the last dot of the file name, unless only dots come before it."""
    dot = path.rfind(".")
    name = path.rfind("/") + 1
    if dot <= name or not path[name:dot].strip("."):
        return ""
    return path[dot:]


def _safe_parse(language: Language, path: str, data: bytes) -> ParsedFile:
    try:
        parsed = language.parse(path, data)
    except RecursionError:
        parsed = ParsedFile(path, language.name, syntax_errors=1)
    parsed.lines = count_lines(data)  # counted here, so a cached parse knows them without reading the file
    return parsed


def _take_hits(entries: Mapping[EntryKey, ParsedFile], hits: dict[str, EntryKey], paths: list[str],
               parsed: dict[str, ParsedFile]) -> None:
    """The cached parses of ``paths`` (each in ``hits``, and taken out of it) put in ``parsed``, under their own path
    (a parse cached for another file of the same content is copied)."""
    for path in paths:
        hit = entries[hits.pop(path)]
        parsed[path] = hit if hit.path == path else ParsedFile(path, hit.language, hit.imports, hit.package,
                                                               hit.syntax_errors, hit.lines)


def extract_code(
    files: Iterable[SourceFile],
    read: Callable[[str], bytes],
    *,
    all_paths: frozenset[str],
    read_text: Callable[[str], str | None],
    cache: ParseCache | None = None,
    languages: list[Language] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    imports_of: Callable[[Mapping[str, str]], Collection[str]] | None = None,
) -> CodeResult:
    """Extract modules and resolved imports from ``files``.

    ``read(path)`` returns a file's bytes. Files whose (size, mtime) match the
    cache's record, or whose blob hash is given, are not read at all when their
    parse is cached. ``imports_of``, given every file's module, names the
    modules whose imports are wanted: the others' are not resolved (the PR
    check needs those of the changed modules only), and such a partial result
    is neither recalled nor remembered.
    """
    languages = languages or available_languages()
    cache = cache or ParseCache(None)
    result = CodeResult()
    by_language: dict[str, list[SourceFile]] = {lang.name: [] for lang in languages}
    extension_of: dict[str, str] = {}  # each file's extension, taken once (a part of its parse's cache key)
    by_extension = _languages_by_extension(languages)
    for f in files:
        ext = extension_of[f.path] = extension(f.path)
        if by_extension is not None:
            found = by_extension.get(ext)
            if found is not None:
                by_language[found.name].append(f)
            continue
        for lang in languages:
            if lang.handles(f.path):
                by_language[lang.name].append(f)
                break

    total = sum(len(v) for v in by_language.values())

    # 1. every file's blob hash: from git, from the (size, mtime) record, or by reading it
    blobs: dict[str, str] = {}
    contents: dict[str, bytes] = {}
    # the blob each changed file had at the last run (its (size, mtime) record), or None when some file had none
    before: dict[str, str] | None = {}
    for lang in languages:
        for f in by_language[lang.name]:
            blob = f.blob
            known = None
            if blob is None:
                known = cache.stats.get(f.path)
                if known and known[0] == f.size and known[1] == f.mtime_ns and f.mtime_ns:
                    blob = known[2]
            if blob is None:
                try:
                    data = read(f.path)
                except OSError as exc:
                    result.notes.append(f"{f.path}: cannot read ({exc})")
                    continue
                blob = blob_hash(data)
                contents[f.path] = data
                if f.mtime_ns:
                    cache.stats[f.path] = (f.size, f.mtime_ns, blob)
                    cache.dirty = True
                if known is None:
                    before = None
                elif before is not None and known[2] != blob:
                    before[f.path] = known[2]
            blobs[f.path] = blob

    # 2. nothing changed since a previous run: its result stands (a partial result is neither looked for nor kept:
    # working out the fingerprint of every file and path costs more than the few imports it resolves)
    consulted = [] if imports_of is not None else _consulted([lang for lang in languages if by_language[lang.name]], all_paths)
    inputs = None if imports_of is not None else _Inputs(languages, blobs, consulted)
    fingerprint = "" if inputs is None else inputs.fingerprint()
    remembered = cache.recall(fingerprint) if fingerprint else None
    if remembered is not None and all(digest_text(read_text(p)) == d for p, d in remembered[0].items()):
        previous = remembered[1]
        if progress:
            progress(total, total)
        return replace(previous, parsed=0, cached=sum(previous.languages.values()), notes=list(previous.notes),
                       fingerprint=result_id_of(fingerprint, remembered[0]))

    # 3. parse what the cache does not hold
    parsed: dict[str, ParsedFile] = {}
    # the files whose parse the cache holds: each taken from it when read (only the changed ones, if carried over)
    hits: dict[str, EntryKey] = {}
    todo: list[tuple[str, str, bytes, tuple]] = []
    done = 0
    skips = cache.skips
    entries = cache.entries if blobs else {}  # loaded once, and only when some file may be in it
    held = entries.keys()
    for lang in languages:
        name, version = lang.name, lang.version
        for f in by_language[name]:
            blob = blobs.get(f.path)
            if blob is None:
                continue
            if blob in skips:
                result.skipped_content[f.path] = skips[blob]
                continue
            key = (name, version, extension_of[f.path] + lang.parse_variant(f.path), blob)
            if key in held:
                hits[f.path] = key
                done += 1
                continue
            data = contents.pop(f.path, None)
            if data is None:
                try:
                    data = read(f.path)
                except OSError as exc:
                    result.notes.append(f"{f.path}: cannot read ({exc})")
                    continue
            reason = code_skip_reason(f.path, data)
            if reason:
                cache.skips[blob] = reason
                cache.dirty = True
                result.skipped_content[f.path] = reason
                continue
            todo.append((name, f.path, data, key))
    result.cached += done  # so far, the files found in the cache
    if progress:
        progress(done, total)

    workers = workers or os.cpu_count() or 1
    fresh: list[ParsedFile] = []
    if workers > 1 and sum(len(data) for _, _, data, _ in todo) >= PARALLEL_MIN_BYTES:
        batches = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        from concurrent.futures import ProcessPoolExecutor  # here: multiprocessing and logging cost a PR check 10 ms

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for batch_result in pool.map(_worker_parse, [[(n, p, d) for n, p, d, _ in b] for b in batches]):
                fresh.extend(batch_result)
                done += len(batch_result)
                if progress:
                    progress(done, total)
    else:
        by_name = {lang.name: lang for lang in languages}
        for name, path, data, _ in todo:
            fresh.append(_safe_parse(by_name[name], path, data))
            done += 1
            if progress and done % 50 == 0:
                progress(done, total)
    for (_, path, _, key), pf in zip(todo, fresh):
        parsed[path] = pf
        cache.entries[key] = pf
        cache.entries_dirty = True
    result.parsed = len(todo)
    if progress:
        progress(total, total)

    # 3b. a few files changed, none of them in its imports: the previous result, with their line counts (carry_over)
    if fingerprint and before and not result.notes:
        changed: dict[str, EntryKey] = {}
        for lang in languages:
            for f in by_language[lang.name]:
                if f.path in before:
                    changed[f.path] = (lang.name, lang.version, extension_of[f.path] + lang.parse_variant(f.path),
                                       before[f.path])
        previous = inputs.fingerprint(instead=before)  # type: ignore[union-attr]
        _take_hits(entries, hits, [path for path in changed if path in hits], parsed)
        carried = carried_over(cache, previous, changed, parsed, result.skipped_content, read_text)
        if carried is not None:
            reads, kept = carried
            kept = replace(kept, parsed=result.parsed, cached=result.cached)
            cache.remember(fingerprint, reads, kept)
            kept.fingerprint = result_id_of(fingerprint, reads)
            return kept

    _take_hits(entries, hits, list(hits), parsed)

    # 4. resolve over the whole repository, remembering which other files resolution read
    reads: dict[str, str | None] = {}
    resolver_notes: list[str] = []

    def recorded_read_text(path: str) -> str | None:
        text = read_text(path)
        reads[path] = digest_text(text)
        return text

    resolvers: list[tuple[Resolver, list[str]]] = []
    for lang in languages:  # every file's module first, then (the wanted) imports
        paths = [f.path for f in by_language[lang.name] if f.path in parsed]
        if not paths:
            continue
        layout = Layout(files=paths, all_files=all_paths, parsed={p: parsed[p] for p in paths}, read_text=recorded_read_text)
        resolver = lang.resolver(layout)
        counts: dict[str, int] = {}  # files per language, added to result.languages in the order first seen
        module_of, modules, file_module, lines = resolver.module_of, result.modules, result.file_module, result.lines
        for path in paths:
            pf = parsed[path]
            counts[pf.language] = counts.get(pf.language, 0) + 1
            if pf.syntax_errors:
                result.syntax_errors[path] = pf.syntax_errors
            if pf.lines is not None:
                lines[path] = pf.lines
            name = module_of(path)
            if name is None:
                continue
            file_module[path] = name
            found = modules.get(name)
            if found is None:
                modules[name] = (resolver.module_path(name), pf.language, [path])
            else:
                found[2].append(path)
        result.languages.update(counts)
        for name, path in resolver.extra_modules().items():
            if name not in result.modules:
                result.modules[name] = (path, lang.name, [])
        resolvers.append((resolver, paths))
    wanted = None if imports_of is None else set(imports_of(result.file_module))
    for resolver, paths in resolvers:
        for path in paths:
            name = result.file_module.get(path)
            if name is not None and (wanted is None or name in wanted):
                found = resolver.resolve(parsed[path])
                if not all(map(path.__eq__, map(_FILE, found))):  # a resolver that leaves the file to the driver
                    found = [imp._replace(file=path) for imp in found]
                result.imports.setdefault(name, []).extend(found)
        resolver_notes += list(getattr(resolver, "problems", None) or [])
    if not result.notes and wanted is None:  # a result with read errors, or a partial one, is not one to repeat
        cache.remember(fingerprint, reads, result)
        result.fingerprint = result_id_of(fingerprint, reads)
    result.notes += resolver_notes
    return result
