"""Cairn passes its own boundary check: data flows api -> (queries | ingest) -> graph, and the interfaces are siblings."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).parent / "cairn")


def test_cairn_keeps_its_own_one_way_flow(tmp_path):
    store = str(tmp_path / "store")
    proc = subprocess.run([CLI, "ingest", str(ROOT), "--store", store, "--name", "cairn"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([CLI, "check", "--store", store, "--format", "json"], capture_output=True, text=True)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["verdict"] == "pass", report["findings"]
    assert report["problems"] == [] and {r["id"] for r in report["rules"]} == {
        "one-way-flow", "interfaces-are-siblings", "services-below-interfaces", "forges-through-services"}
    deps = json.loads(subprocess.run([CLI, "deps", "--store", store, "--level", "component", "--format", "json"],
                                     capture_output=True, text=True).stdout)
    pairs = {(e["source"], e["target"]) for e in deps["edges"]}
    # the rule has something to check: both siblings use the model, the interfaces use both
    assert {("queries", "graph"), ("ingest", "graph"), ("api", "queries"), ("api", "ingest")} <= pairs
    # ... and the siblings never meet, the model uses nothing above it
    assert not {("queries", "ingest"), ("ingest", "queries")} & pairs
    assert not {("graph", "ingest"), ("graph", "queries"), ("graph", "api"), ("ingest", "api"), ("queries", "api")} & pairs
