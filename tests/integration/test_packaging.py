"""Cairn installs as one package, ``cairn``: no top-level ``api``, ``graph``, ``ingest`` or ``queries``."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"graph": "cairn.graph", "ingest": "cairn.ingest", "queries": "cairn.queries", "api": "cairn.api"}


def test_every_package_folder_is_installed_under_cairn():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = set(setuptools["packages"])
    assert all(name == "cairn" or name.startswith("cairn.") for name in declared)
    on_disk = {"cairn"}
    for folder, package in FOLDERS.items():
        assert setuptools["package-dir"][package] == folder
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            on_disk.add(".".join([package, *relative]))
    data_only = set(setuptools.get("package-data", {}))  # folders of web assets, no __init__.py
    assert on_disk | data_only == declared, "a package folder is missing from (or stale in) pyproject.toml's packages"


def test_installed_names(tmp_path):
    probe = (
        "import importlib.util, cairn, cairn.api.cli, cairn.graph.model, cairn.ingest.pipeline, cairn.queries.ownership\n"
        "print([n for n in ('api', 'graph', 'ingest', 'queries') if importlib.util.find_spec(n)])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
