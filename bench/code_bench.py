"""Benchmark: Cairn's Python dependency extraction against grimp, in the same run.

For each package (an importable name installed in this environment, or a
directory holding a top-level package) it times, cold and warm:

* grimp: ``grimp.build_graph(pkg)`` without a cache (cold) and with a warm cache;
* Cairn: listing + parsing + resolving the package directory with an empty
  parse cache (cold) and with the cache from the cold run (warm);

and prints the ratios (Cairn / grimp; below 1 means Cairn is faster) and the
agreement of the internal module edges (precision and recall of Cairn's edges
against grimp's). Optionally it also times a whole ``cairn ingest`` of a
repository (``--ingest PATH``).

    python bench/code_bench.py rich pydantic networkx --ingest /path/to/repo
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.ingest.code.extract import ParseCache, SourceFile, extract_code  # noqa: E402
from cairn.ingest.code.python import PythonLanguage  # noqa: E402
from cairn.ingest.files import list_files  # noqa: E402


def package_dir(name_or_path: str) -> tuple[str, Path]:
    path = Path(name_or_path)
    if path.is_dir():
        return path.name, path
    spec = importlib.util.find_spec(name_or_path)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name_or_path}: not an installed package or a directory")
    return name_or_path, Path(list(spec.submodule_search_locations)[0])


def cairn_edges(pkg_root: Path, cache_dir: Path | None) -> tuple[set[tuple[str, str]], float]:
    """Cairn's internal edges for one package, extracted as ``cairn ingest`` would (root = the package's parent)."""
    started = time.perf_counter()
    parent = pkg_root.parent
    # List only the package itself (the parent is usually site-packages).
    listing = list_files(pkg_root)
    prefix = pkg_root.name + "/"
    files = [SourceFile(prefix + f.path, f.size, f.mtime_ns) for f in listing.kept if f.path.endswith(".py")]
    all_paths = frozenset(prefix + p for p in listing.all_paths)
    cache = ParseCache(cache_dir)
    result = extract_code(files, lambda p: (parent / p).read_bytes(), all_paths=all_paths,
                          read_text=lambda p: None, cache=cache, languages=[PythonLanguage()])
    cache.save()
    elapsed = time.perf_counter() - started
    edges = set()
    for source, imports in result.imports.items():
        for imp in imports:
            # grimp does not see importlib.import_module / __import__: leave Cairn's dynamic edges out of the comparison
            if not imp.external and imp.target != source and imp.target in result.modules and imp.kind != "dynamic":
                edges.add((source, imp.target))
    return edges, elapsed


def grimp_edges(package: str, pkg_root: Path, cache_dir: Path | None) -> tuple[set[tuple[str, str]], float]:
    import grimp

    sys.path.insert(0, str(pkg_root.parent))
    try:
        started = time.perf_counter()
        kwargs = {"cache_dir": str(cache_dir)} if cache_dir else {"cache_dir": None}
        graph = grimp.build_graph(pkg_root.name, include_external_packages=False, **kwargs)
        elapsed = time.perf_counter() - started
    finally:
        sys.path.pop(0)
    edges = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module:  # grimp records `from . import x` in a package's __init__ as a self-edge; Cairn does not
                edges.add((module, imported))
    return edges, elapsed


def best_of(n: int, fn):
    results = [fn() for _ in range(n)]
    return results[0][0], min(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("packages", nargs="*", default=["rich", "pydantic", "networkx", "fastapi", "starlette", "httpx", "typer"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is reported)")
    parser.add_argument("--ingest", type=Path, help="also time a whole `cairn ingest` of this repository (cold and warm)")
    args = parser.parse_args()

    print(f"{'package':<12} {'modules':>7} {'grimp cold':>10} {'cairn cold':>10} {'ratio':>6} {'grimp warm':>10} {'cairn warm':>10} {'ratio':>6} {'precision':>9} {'recall':>6}")
    cold_ratios, warm_ratios = [], []
    for name in args.packages:
        package, root = package_dir(name)
        g_edges, g_cold = best_of(args.repeat, lambda: grimp_edges(package, root, None))
        gcache = Path(tempfile.mkdtemp())
        grimp_edges(package, root, gcache)
        _, g_warm = best_of(args.repeat, lambda: grimp_edges(package, root, gcache))

        def cold():
            d = Path(tempfile.mkdtemp())
            try:
                return cairn_edges(root, d)
            finally:
                shutil.rmtree(d)

        c_edges, c_cold = best_of(args.repeat, cold)
        ccache = Path(tempfile.mkdtemp())
        cairn_edges(root, ccache)
        _, c_warm = best_of(args.repeat, lambda: cairn_edges(root, ccache))
        shutil.rmtree(gcache)
        shutil.rmtree(ccache)
        tp = len(c_edges & g_edges)
        precision = tp / len(c_edges) if c_edges else 1.0
        recall = tp / len(g_edges) if g_edges else 1.0
        modules = len({m for e in g_edges for m in e})
        cold_ratios.append(c_cold / g_cold)
        warm_ratios.append(c_warm / g_warm)
        print(f"{package:<12} {modules:>7} {g_cold:>9.3f}s {c_cold:>9.3f}s {c_cold / g_cold:>6.2f} {g_warm:>9.3f}s {c_warm:>9.3f}s {c_warm / g_warm:>6.2f} {precision:>9.4f} {recall:>6.4f}")
    if cold_ratios:
        print(f"median ratio cairn/grimp: cold {statistics.median(cold_ratios):.2f}, warm {statistics.median(warm_ratios):.2f}")

    if args.ingest:
        store = Path(tempfile.mkdtemp())
        cairn = [str(Path(sys.executable).parent / "cairn"), "ingest"]
        for label in ("cold", "warm"):
            started = time.perf_counter()
            subprocess.run([*cairn, str(args.ingest), "--store", str(store), "--format", "json"], check=True, stdout=subprocess.DEVNULL)
            print(f"cairn ingest {args.ingest} ({label}): {time.perf_counter() - started:.2f}s")
        shutil.rmtree(store)


if __name__ == "__main__":
    main()
