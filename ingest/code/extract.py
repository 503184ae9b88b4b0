"""The extraction driver: every language over a repository, in parallel, with a parse cache.

``extract_code`` parses each kept file of a supported language (reusing cached
parses keyed by language, parser version, file extension and the git blob hash
of the content, so an unchanged file is never parsed twice), then lets each
language's resolver name the modules and resolve the imports over the whole
repository. Parsing runs in a process pool across all cores when there is
enough to parse to repay starting it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from ingest.code.base import Language, Layout, ParsedFile, ResolvedImport
from ingest.files import SNIFF_BYTES, content_skip_reason

PARALLEL_THRESHOLD = 150  # files to parse before a process pool pays for itself
CHUNK = 64


LANGUAGE_CLASSES = (
    ("ingest.code.python", "PythonLanguage"),
    ("ingest.code.javascript", "JavaScriptLanguage"),
    ("ingest.code.go", "GoLanguage"),
    ("ingest.code.java", "JavaLanguage"),
)


def available_languages() -> list[Language]:
    """The languages Cairn extracts, in a fixed order."""
    import importlib

    languages = []
    for module_name, class_name in LANGUAGE_CLASSES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        languages.append(getattr(module, class_name)())
    return languages


def blob_hash(data: bytes) -> str:
    """The git blob id of ``data``: the same key whether read from a checkout or from git."""
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


class ParseCache:
    """Parsed files by (language, version, extension, blob hash), persisted as one pickle.

    The file lives in Cairn's own cache directory, never in a repository, and
    holds only Cairn's dataclasses. A corrupt or foreign cache is ignored.
    """

    FORMAT = 3

    def __init__(self, directory: Path | None):
        self.path = directory / "parse-cache.pickle" if directory else None
        self.entries: dict[tuple[str, str, str, str], ParsedFile] = {}
        self.stats: dict[str, tuple[int, int, str]] = {}  # path -> (size, mtime_ns, blob hash)
        self.skips: dict[str, str] = {}  # blob hash -> why its content is not parsed (binary, generated)
        self.dirty = False
        if self.path and self.path.is_file():
            try:
                with open(self.path, "rb") as fh:
                    data = pickle.load(fh)
                if data.get("format") == self.FORMAT:
                    self.entries, self.stats, self.skips = data["entries"], data["stats"], data["skips"]
            except Exception:  # unreadable cache: start afresh
                self.entries, self.stats, self.skips = {}, {}, {}

    def save(self) -> None:
        if not self.path or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".parse-cache.")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({"format": self.FORMAT, "entries": self.entries, "stats": self.stats, "skips": self.skips}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        self.dirty = False


@dataclass
class SourceFile:
    """A file to extract: its path, and how to get its bytes and identity."""

    path: str
    size: int = 0
    mtime_ns: int = 0
    blob: str | None = None  # known blob hash (from git), if any


@dataclass
class CodeResult:
    modules: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)  # name -> (path, language, files)
    file_module: dict[str, str] = field(default_factory=dict)  # file path -> module name
    imports: dict[str, list[ResolvedImport]] = field(default_factory=dict)  # module name -> imports
    languages: Counter = field(default_factory=Counter)
    syntax_errors: dict[str, int] = field(default_factory=dict)
    skipped_content: dict[str, str] = field(default_factory=dict)  # path -> binary / generated
    parsed: int = 0
    cached: int = 0
    notes: list[str] = field(default_factory=list)


_WORKER_LANGUAGES: dict[str, Language] | None = None


def _worker_parse(batch: list[tuple[str, str, bytes]]) -> list[ParsedFile]:
    global _WORKER_LANGUAGES
    if _WORKER_LANGUAGES is None:
        _WORKER_LANGUAGES = {lang.name: lang for lang in available_languages()}
    return [_safe_parse(_WORKER_LANGUAGES[name], path, data) for name, path, data in batch]


def _safe_parse(language: Language, path: str, data: bytes) -> ParsedFile:
    try:
        return language.parse(path, data)
    except RecursionError:
        return ParsedFile(path, language.name, syntax_errors=1)


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
) -> CodeResult:
    """Extract modules and resolved imports from ``files``.

    ``read(path)`` returns a file's bytes. Files whose (size, mtime) match the
    cache's record, or whose blob hash is given, are not read at all when their
    parse is cached.
    """
    languages = languages or available_languages()
    cache = cache or ParseCache(None)
    result = CodeResult()
    by_language: dict[str, list[SourceFile]] = {lang.name: [] for lang in languages}
    for f in files:
        for lang in languages:
            if lang.handles(f.path):
                by_language[lang.name].append(f)
                break

    parsed: dict[str, ParsedFile] = {}
    todo: list[tuple[str, str, bytes, tuple]] = []
    total = sum(len(v) for v in by_language.values())
    done = 0
    for lang in languages:
        for f in by_language[lang.name]:
            suffix = PurePosixPath(f.path).suffix
            blob = f.blob
            if blob is None:
                known = cache.stats.get(f.path)
                if known and known[0] == f.size and known[1] == f.mtime_ns and f.mtime_ns:
                    blob = known[2]
            data = None
            if blob is None:
                try:
                    data = read(f.path)
                except OSError as exc:
                    result.notes.append(f"{f.path}: cannot read ({exc})")
                    continue
                blob = blob_hash(data)
                if f.mtime_ns:
                    cache.stats[f.path] = (f.size, f.mtime_ns, blob)
                    cache.dirty = True
            if blob in cache.skips:
                result.skipped_content[f.path] = cache.skips[blob]
                continue
            key = (lang.name, lang.version, suffix, blob)
            hit = cache.entries.get(key)
            if hit is not None:
                parsed[f.path] = hit if hit.path == f.path else replace(hit, path=f.path)
                result.cached += 1
                done += 1
                continue
            if data is None:
                try:
                    data = read(f.path)
                except OSError as exc:
                    result.notes.append(f"{f.path}: cannot read ({exc})")
                    continue
            reason = content_skip_reason(data[:SNIFF_BYTES])
            if reason:
                cache.skips[blob] = reason
                cache.dirty = True
                result.skipped_content[f.path] = reason
                continue
            todo.append((lang.name, f.path, data, key))
    if progress:
        progress(done, total)

    workers = workers or os.cpu_count() or 1
    fresh: list[ParsedFile] = []
    if len(todo) >= PARALLEL_THRESHOLD and workers > 1:
        batches = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
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
        cache.dirty = True
    result.parsed = len(todo)
    if progress:
        progress(total, total)

    for lang in languages:
        paths = [f.path for f in by_language[lang.name] if f.path in parsed]
        if not paths:
            continue
        layout = Layout(files=paths, all_files=all_paths, parsed={p: parsed[p] for p in paths}, read_text=read_text)
        resolver = lang.resolver(layout)
        for path in paths:
            pf = parsed[path]
            result.languages[pf.language] += 1
            if pf.syntax_errors:
                result.syntax_errors[path] = pf.syntax_errors
            name = resolver.module_of(path)
            if name is None:
                continue
            result.file_module[path] = name
            if name not in result.modules:
                result.modules[name] = (resolver.module_path(name), pf.language, [path])
            else:
                result.modules[name][2].append(path)
            result.imports.setdefault(name, []).extend(resolver.resolve(pf))
        for name, path in resolver.extra_modules().items():
            if name not in result.modules:
                result.modules[name] = (path, lang.name, [])
    return result
