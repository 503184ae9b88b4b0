"""Edge agreement between Cairn's Python extraction and grimp, with the differing edges.

For each package (an importable name installed in this environment, or a
directory that is a top-level package) it builds grimp's graph
(``grimp.build_graph(pkg, include_external_packages=False, cache_dir=None)``)
and Cairn's internal module edges for the same package directory, and prints:

* precision and recall of Cairn's edges from import statements against
  grimp's, and every edge found by only one of them; edges Cairn found only
  through ``importlib.import_module("…")`` / ``__import__("…")`` (which grimp
  does not detect) are counted apart (``dynamic+``) and listed;
* the time of grimp's uncached build, of Cairn's cold parse + resolve in this
  process (one core), and of Cairn's cold extraction through the driver
  (``extract_code``, parallel on all cores, empty parse cache).

Self-imports (``from . import attr`` in ``pkg/__init__.py``) are recorded by
grimp as an edge from a module to itself; Cairn drops them (a module does not
depend on itself), so both sides are compared without self-edges.

    python bench/grimp_agreement.py                 # rich pydantic networkx fastapi starlette httpx typer
    python bench/grimp_agreement.py rich /path/to/some/pkg --show 50
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.ingest.code.base import DYNAMIC, Layout  # noqa: E402
from cairn.ingest.code.python import PythonLanguage  # noqa: E402

DEFAULT_PACKAGES = ["rich", "pydantic", "networkx", "fastapi", "starlette", "httpx", "typer"]


def package_dir(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.is_dir():
        return path.resolve()
    spec = importlib.util.find_spec(name_or_path)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name_or_path}: not an installed package or a directory")
    return Path(list(spec.submodule_search_locations)[0])


def list_package(root: Path) -> tuple[list[str], frozenset[str]]:
    """The package's .py files and all its files, as paths relative to the package's parent."""
    every: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        rel = Path(dirpath).relative_to(root.parent).as_posix()
        every.extend(f"{rel}/{f}" for f in filenames)
    return sorted(p for p in every if p.endswith(".py")), frozenset(every)


def internal_edges(resolver, parsed) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Internal edges from import statements, and those found only as importlib/__import__ calls."""
    static, dynamic = set(), set()
    for path, pf in parsed.items():
        source = resolver.module_of(path)
        if source is None:
            continue
        for imp in resolver.resolve(pf):
            if not imp.external and imp.target != source:
                (dynamic if imp.kind == DYNAMIC else static).add((source, imp.target))
    return static, dynamic - static


def cairn_in_process(root: Path) -> tuple[tuple[set, set], float, object]:
    language = PythonLanguage()
    files, every = list_package(root)
    language.parse("warmup.py", b"import os\n")  # builds the parser and query outside the timing
    started = time.perf_counter()
    parsed = {p: language.parse(p, (root.parent / p).read_bytes()) for p in files}
    resolver = language.resolver(Layout(files, every, parsed, lambda p: None))
    edges = internal_edges(resolver, parsed)
    return edges, time.perf_counter() - started, resolver


def cairn_driver(root: Path) -> float | None:
    """Cold extraction through the shared driver (parallel, empty cache); None if it is unavailable."""
    try:
        from cairn.ingest.code.extract import ParseCache, SourceFile, extract_code
    except ImportError:
        return None
    files, every = list_package(root)
    with tempfile.TemporaryDirectory() as cache_dir:
        started = time.perf_counter()
        sources = []
        for p in files:
            st = (root.parent / p).stat()
            sources.append(SourceFile(p, st.st_size, st.st_mtime_ns))
        extract_code(sources, lambda p: (root.parent / p).read_bytes(), all_paths=every,
                     read_text=lambda p: None, cache=ParseCache(Path(cache_dir)), languages=[PythonLanguage()])
        return time.perf_counter() - started


def grimp_graph_edges(root: Path) -> tuple[set[tuple[str, str]], float]:
    import grimp

    sys.path.insert(0, str(root.parent))
    try:
        started = time.perf_counter()
        graph = grimp.build_graph(root.name, include_external_packages=False, cache_dir=None)
        elapsed = time.perf_counter() - started
    finally:
        sys.path.pop(0)
    edges = {(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m) if i != m}
    return edges, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("packages", nargs="*", default=DEFAULT_PACKAGES)
    parser.add_argument("--show", type=int, default=20, help="differing edges to print per package and side")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (the best is reported)")
    args = parser.parse_args(argv)

    print(f"{'package':<12} {'modules':>7} {'edges':>6} {'precision':>9} {'recall':>7} {'dynamic+':>8} "
          f"{'grimp':>8} {'cairn 1-core':>12} {'cairn driver':>12}")
    all_equal = True
    for name in args.packages:
        root = package_dir(name)
        try:
            timings = [grimp_graph_edges(root) for _ in range(args.repeat)]
        except Exception as exc:  # grimp refuses files it cannot parse
            print(f"{root.name:<12} grimp failed: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
            continue
        g_edges, g_time = timings[0][0], min(t for _, t in timings)
        runs = [cairn_in_process(root) for _ in range(args.repeat)]
        (c_edges, c_dynamic), resolver = runs[0][0], runs[0][2]
        c_time = min(r[1] for r in runs)
        driver_times = [t for t in (cairn_driver(root) for _ in range(args.repeat)) if t is not None]
        tp = len(c_edges & g_edges)
        precision = tp / len(c_edges) if c_edges else 1.0
        recall = tp / len(g_edges) if g_edges else 1.0
        driver = f"{min(driver_times):>11.3f}s" if driver_times else f"{'n/a':>12}"
        print(f"{root.name:<12} {len(resolver.modules):>7} {len(g_edges):>6} {precision:>9.4f} {recall:>7.4f} "
              f"{len(c_dynamic):>8} {g_time:>7.3f}s {c_time:>11.3f}s {driver}")
        for label, diff in (("only cairn", c_edges - g_edges), ("only grimp", g_edges - c_edges),
                            ("dynamic, not seen by grimp", c_dynamic - g_edges)):
            for source, target in sorted(diff)[: args.show]:
                print(f"    {label}: {source} -> {target}")
            if len(diff) > args.show:
                print(f"    {label}: … {len(diff) - args.show} more")
        if resolver.duplicates:
            print(f"    duplicate module names skipped: {resolver.duplicates}")
        all_equal &= c_edges == g_edges
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main())
