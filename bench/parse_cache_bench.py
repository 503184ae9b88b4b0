"""Benchmark: loading the parse cache as JSON (what Cairn stores) against SQLite rows and the old pickle.

A warm ingest starts by loading the parse state (each file's stat record and the
last whole result) and, when something changed, the parsed files. This builds
a real cache by extracting the Python files of this interpreter's standard
library and site-packages (and ``--root`` directories, by default the system's
dist-packages) as if they were one repository (``--files`` of them, 20,000 by
default), then times, best of ``--repeat``:

* JSON: ``ParseCache(directory)`` plus ``recall`` of the result, and loading
  the parsed-file entries, exactly as an ingest does;
* SQLite (stdlib ``sqlite3``): the same records as rows of a few tables, read
  back into the same tuples and dataclasses (a prototype written here only to
  measure);
* pickle: the format Cairn used before (never loaded by Cairn any more; here
  only as the reference).

    python bench/parse_cache_bench.py --files 20000
"""

from __future__ import annotations

import argparse
import json
import pickle
import sqlite3
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.ingest.code.base import ParsedFile, RawImport, ResolvedImport  # noqa: E402
from cairn.ingest.code.cache import STATE_FILE, ParseCache  # noqa: E402
from cairn.ingest.code.extract import SourceFile, extract_code  # noqa: E402
from cairn.ingest.code.python import PythonLanguage  # noqa: E402
from cairn.ingest.code.result import CodeResult  # noqa: E402


def corpus(limit: int, extra: list[Path]) -> list[Path]:
    roots = {Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"]), *extra}
    files: list[Path] = []
    for root in sorted(roots):
        files += sorted(p for p in root.rglob("*.py") if p.is_file() and not p.is_symlink())
    return files[:limit]


def build(directory: Path, files: list[Path]) -> str:
    """Extract ``files`` with a parse cache in ``directory``; return the result's fingerprint."""
    rel = [str(p)[1:] for p in files]
    sources = [SourceFile(r, p.stat().st_size, p.stat().st_mtime_ns) for r, p in zip(rel, files)]
    cache = ParseCache(directory)
    extract_code(sources, lambda r: (Path("/") / r).read_bytes(), all_paths=frozenset(rel), read_text=lambda p: None,
                 cache=cache, languages=[PythonLanguage()], workers=1)
    cache.save()
    state = json.loads((directory / STATE_FILE).read_text())
    return state["results"][-1]["fingerprint"]


def load_json(directory: Path, fingerprint: str, entries: bool = True) -> tuple[int, int]:
    cache = ParseCache(directory)
    reads, result = cache.recall(fingerprint)
    return len(cache.stats) + sum(map(len, result.imports.values())), len(cache.entries) if entries else 0


def write_sqlite(directory: Path, fingerprint: str) -> Path:
    cache = ParseCache(directory)
    reads, result = cache.recall(fingerprint)
    path = directory / "cache.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE stats(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, blob TEXT);
        CREATE TABLE modules(name TEXT, path TEXT, language TEXT, files TEXT);
        CREATE TABLE imports(module TEXT, file TEXT, target TEXT, line INTEGER, kind TEXT, external INTEGER);
        CREATE TABLE entries(lang TEXT, version TEXT, ext TEXT, blob TEXT, path TEXT, language TEXT, package TEXT, errors INTEGER);
        CREATE TABLE entry_imports(blob TEXT, spec TEXT, line INTEGER, kind TEXT, level INTEGER, names TEXT, static INTEGER);
    """)
    db.executemany("INSERT INTO stats VALUES (?,?,?,?)", [(p, *s) for p, s in cache.stats.items()])
    db.executemany("INSERT INTO modules VALUES (?,?,?,?)", [(n, p, lang, "\0".join(f)) for n, (p, lang, f) in result.modules.items()])
    db.executemany("INSERT INTO imports VALUES (?,?,?,?,?,?)",
                   [(m, i.file, i.target, i.line, i.kind, i.external) for m, found in result.imports.items() for i in found])
    db.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?)",
                   [(*k, pf.path, pf.language, pf.package, pf.syntax_errors) for k, pf in cache.entries.items()])
    db.executemany("INSERT INTO entry_imports VALUES (?,?,?,?,?,?,?)",
                   [(k[3], i.spec, i.line, i.kind, i.level, "\0".join(i.names), i.static) for k, pf in cache.entries.items() for i in pf.imports])
    db.commit()
    db.close()
    return path


def load_sqlite(path: Path, entries: bool = True) -> tuple[int, int]:
    db = sqlite3.connect(path)
    stats = {p: (size, mtime, blob) for p, size, mtime, blob in db.execute("SELECT * FROM stats")}
    modules = {n: (p, lang, files.split("\0") if files else []) for n, p, lang, files in db.execute("SELECT * FROM modules")}
    imports: dict[str, list[ResolvedImport]] = {}
    for m, file, target, line, kind, external in db.execute("SELECT * FROM imports"):
        imports.setdefault(m, []).append(ResolvedImport(target, line, kind, bool(external), file))
    result = CodeResult(modules=modules, file_module={f: n for n, (_, _, fs) in modules.items() for f in fs}, imports=imports,
                        languages=Counter())
    if not entries:
        db.close()
        return len(stats) + sum(map(len, result.imports.values())), 0
    by_blob: dict[str, list[RawImport]] = {}
    for blob, spec, line, kind, level, names, static in db.execute("SELECT * FROM entry_imports"):
        by_blob.setdefault(blob, []).append(RawImport(spec, line, kind, level, tuple(names.split("\0")) if names else (), bool(static)))
    entries = {(lang, version, ext, blob): ParsedFile(path, language, by_blob.get(blob, []), package, errors)
               for lang, version, ext, blob, path, language, package, errors in db.execute("SELECT * FROM entries")}
    db.close()
    return len(stats) + sum(map(len, result.imports.values())), len(entries)


def write_pickle(directory: Path, fingerprint: str) -> Path:
    cache = ParseCache(directory)
    reads, result = cache.recall(fingerprint)
    path = directory / "state.pickle"
    path.write_bytes(pickle.dumps({"stats": cache.stats, "result": result, "entries": cache.entries}, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_pickle(path: Path) -> tuple[int, int]:
    data = pickle.loads(path.read_bytes())  # the bench's own file, written just above
    return len(data["stats"]) + sum(map(len, data["result"].imports.values())), len(data["entries"])


def best(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--root", type=Path, action="append", default=[], help="another directory of Python files to include")
    args = parser.parse_args()
    extra = args.root or [p for p in (Path("/usr/lib/python3/dist-packages"),) if p.is_dir()]
    files = corpus(args.files, extra)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        fingerprint = build(directory, files)
        print(f"{len(files)} files extracted in {time.perf_counter() - started:.1f}s")
        sqlite_path = write_sqlite(directory, fingerprint)
        pickle_path = write_pickle(directory, fingerprint)
        sizes = {"json": sum((directory / n).stat().st_size for n in ("parse-state.json", "parse-cache.json")),
                 "sqlite": sqlite_path.stat().st_size, "pickle": pickle_path.stat().st_size}
        counts = {load_json(directory, fingerprint), load_sqlite(sqlite_path), load_pickle(pickle_path)}
        assert len(counts) == 1, counts
        print("warm-run state (stats and one result) / everything (with the parsed-file entries):")
        for name, state, everything in (
            ("json", lambda: load_json(directory, fingerprint, False), lambda: load_json(directory, fingerprint)),
            ("sqlite", lambda: load_sqlite(sqlite_path, False), lambda: load_sqlite(sqlite_path)),
            ("pickle", None, lambda: load_pickle(pickle_path)),
        ):
            first = f"{best(args.repeat, state):.3f}s" if state else "-"
            print(f"{name:<7} {first:>8} / {best(args.repeat, everything):.3f}s  ({sizes[name] / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
