"""Ingest details on real repositories: standard-library packages, stdlib-named test folders,
where ADRs are found, their statuses, and which file an import's evidence names."""

from __future__ import annotations

import os
from pathlib import Path

from cairn.graph.model import Label, Rel, node_id
from cairn.ingest.config import AdrSettings
from cairn.ingest.adrs import read_decisions
from cairn.ingest.identities import read_mailmap
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo


def externals(graph) -> dict[str, tuple[str, bool]]:
    return {n.key: (n["ecosystem"], n["stdlib"]) for n in graph.of_label(Label.EXTERNAL)}


def test_standard_library_packages_are_marked(tmp_path):
    repo = GitRepo(tmp_path / "poly")
    repo.commit({
        "py/app.py": "import os\nimport os.path\nimport requests\nimport asyncio.tasks\n",
        "web/index.ts": "import fs from 'fs';\nimport { join } from 'node:path';\nimport sqlite from 'bun:sqlite';\nimport _ from 'lodash/fp';\n",
        "go.mod": "module example.com/svc\n\nrequire github.com/pkg/errors v0.9.1\n",
        "main.go": 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"github.com/pkg/errors"\n)\n',
        "src/main/java/com/acme/App.java": (
            "package com.acme;\n\nimport java.util.List;\nimport javax.swing.JFrame;\nimport javax.inject.Inject;\n"
            "import jdk.jfr.Event;\nimport org.slf4j.Logger;\nimport org.w3c.dom.Document;\n\npublic class App {}\n"
        ),
    })
    graph = ingest_repository(repo.root).graph
    assert externals(graph) == {
        "os": ("pypi", True), "requests": ("pypi", False), "asyncio": ("pypi", True),
        "node:fs": ("npm", True), "node:path": ("npm", True), "bun:sqlite": ("npm", True), "lodash": ("npm", False),
        "fmt": ("go", True), "net/http": ("go", True), "github.com/pkg/errors": ("go", False),
        "java.util": ("maven", True), "javax.swing": ("maven", True), "javax.inject": ("maven", False),
        "jdk.jfr": ("maven", True), "org.slf4j": ("maven", False), "org.w3c": ("maven", True),
    }


def test_test_folders_named_like_stdlib_modules_do_not_capture_stdlib_imports(tmp_path):
    """pytest's layout: testing/ holds a package (so it is a source root) and plain folders io/ and logging/."""
    repo = GitRepo(tmp_path / "pytest")
    repo.commit({
        "src/_pytest/__init__.py": "",
        "src/_pytest/capture.py": "import io\nimport logging\nfrom io import StringIO\n",
        "testing/example_scripts/__init__.py": "",
        "testing/io/test_saferepr.py": "import io\nfrom _pytest import capture\n",
        "testing/logging/test_fixture.py": "import logging\nimport logging.handlers\n",
        "testing/test_capture.py": "import io\n",
    })
    graph = ingest_repository(repo.root).graph
    modules = {n.key: n["path"] for n in graph.of_label(Label.MODULE)}
    assert "io" not in modules and "logging" not in modules
    assert modules["test_saferepr"] == "testing/io/test_saferepr.py"
    assert modules["test_fixture"] == "testing/logging/test_fixture.py"
    assert externals(graph)["io"] == ("pypi", True) and externals(graph)["logging"] == ("pypi", True)
    importers_of_io = {graph.nodes[e.source].key for e in graph.edges.values()
                       if e.type is Rel.IMPORTS and e.target == node_id(Label.EXTERNAL, graph.repo, "io")}
    assert importers_of_io == {"_pytest.capture", "test_saferepr", "test_capture"}
    assert any(graph.nodes[e.target].key == "_pytest.capture" for e in graph.edges.values()
               if e.type is Rel.IMPORTS and graph.nodes[e.source].key == "test_saferepr")


def test_a_stdlib_named_folder_the_code_imports_through_stays_a_namespace_package(tmp_path):
    repo = GitRepo(tmp_path / "shadow")
    repo.commit({
        "tools/__init__.py": "",
        "email/sender.py": "import smtplib\n",
        "main.py": "from email.sender import send\nimport email.utils\n",
    })
    graph = ingest_repository(repo.root).graph
    modules = {n.key for n in graph.of_label(Label.MODULE)}
    assert "email.sender" in modules
    targets = {graph.nodes[e.target].key for e in graph.edges.values() if e.type is Rel.IMPORTS and graph.nodes[e.source].key == "main"}
    assert "email.sender" in targets


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def test_adrs_at_the_repository_root_are_found_without_configuration(tmp_path):
    write(tmp_path, {
        "adr-001-use-postgres.md": "# ADR 1: Use Postgres\n\nStatus: Accepted\n",
        "ADR-0002-use-kafka.md": "# 2. Use Kafka\n\n## Status\n\nProposed\n",
        "adr-template.md": "# ADR NNN: title\n",
        "README.md": "# The project\n",
        "adrs-are-great.md": "# not a record\n",
    })
    found = read_decisions(tmp_path, AdrSettings(), {})
    assert {d.path: (d.number, d.title, d.status) for d in found.decisions} == {
        "adr-001-use-postgres.md": (1, "Use Postgres", "accepted"),
        "ADR-0002-use-kafka.md": (2, "Use Kafka", "proposed"),
    }
    assert found.folders == ["."]


def test_only_real_templates_are_skipped(tmp_path):
    write(tmp_path, {
        "docs/adr/0007-use-jinja-as-template-engine.md": "# 7. Use Jinja as template engine\n\n## Status\n\nAccepted\n",
        "docs/adr/0008-templates-for-emails.md": "# 8. Templates for e-mails\n",
        "docs/adr/template.md": "# [short title]\n",
        "docs/adr/adr-template.md": "# {title}\n",
        "docs/adr/0000-template.md": "# NNNN. Title\n",
        "docs/adr/adr-template-bare-minimal.md": "# x\n",
        "docs/adr/templates/0001-in-a-templates-folder.md": "# 1. Skipped folder\n",
    })
    paths = sorted(d.path for d in read_decisions(tmp_path, AdrSettings(), {}).decisions)
    assert paths == ["docs/adr/0007-use-jinja-as-template-engine.md", "docs/adr/0008-templates-for-emails.md"]


def test_pending_and_on_hold_keep_their_own_status(tmp_path):
    write(tmp_path, {
        "docs/adr/0001-a.md": "# 1. A\n\n## Status\n\nPending\n",
        "docs/adr/0002-b.md": "---\nstatus: On hold\n---\n# 2. B\n",
        "docs/adr/0003-c.md": "# 3. C\n\n* Status: on-hold\n",
        "docs/adr/0004-d.md": "# 4. D\n\n## Status\n\nPending\n\nAccepted 2024-05-01\n",
    })
    status = {d.path.rsplit("/", 1)[1]: d.status for d in read_decisions(tmp_path, AdrSettings(), {}).decisions}
    assert status == {"0001-a.md": "pending", "0002-b.md": "on hold", "0003-c.md": "on hold", "0004-d.md": "accepted"}


def test_go_import_evidence_names_the_file_that_holds_the_import(tmp_path):
    repo = GitRepo(tmp_path / "alertmanager")
    padding = "".join(f"// line {i}\n" for i in range(4, 17))
    repo.commit({
        "go.mod": "module example.com/am\n",
        "notifier/alert.go": 'package notifier\n\nimport "fmt"\n\nfunc A() { fmt.Println() }\n',
        "notifier/manager.go": "package notifier\n\n" + "import \"fmt\"\n" + padding + 'import "example.com/am/silence"\n',
        "silence/silence.go": "package silence\n",
    })
    assert (repo.root / "notifier/manager.go").read_text().splitlines()[16] == 'import "example.com/am/silence"'
    graph = ingest_repository(repo.root).graph
    source = node_id(Label.MODULE, graph.repo, "example.com/am/notifier")

    def edge_to(target: str):
        return next(e.props for e in graph.edges.values() if e.type is Rel.IMPORTS and e.source == source and e.target == target)

    internal = edge_to(node_id(Label.MODULE, graph.repo, "example.com/am/silence"))
    assert (internal["file"], internal["lines"]) == ("notifier/manager.go", [17])
    assert "files" not in internal
    fmt = edge_to(node_id(Label.EXTERNAL, graph.repo, "fmt"))
    assert (fmt["file"], fmt["lines"]) == ("notifier/alert.go", [3])
    assert fmt["files"] == {"notifier/alert.go": [3], "notifier/manager.go": [3]}


def test_a_symlinked_mailmap_is_ignored_as_git_ignores_it(tmp_path):
    (tmp_path / "real-mailmap").write_text("Ada <ada@example.com> <old@example.com>\n")
    os.symlink("real-mailmap", tmp_path / ".mailmap")
    assert read_mailmap(tmp_path).problems == [".mailmap: a symbolic link; not read (nor by git)"]


def test_a_blob_missing_from_the_object_store_is_skipped_when_reading_a_commit(tmp_path):
    from cairn.ingest.gittree import GitTree

    repo = GitRepo(tmp_path / "r")
    repo.commit({"a.py": "x = 1\n", "data.json": "{}\n"})
    blob = repo.git("rev-parse", "HEAD:data.json")
    os.remove(repo.root / ".git" / "objects" / blob[:2] / blob[2:])  # a partial clone or a damaged store: git says "BAD"
    tree = GitTree.at(repo.root, "HEAD")
    assert set(tree.entries) == {"a.py"} and tree.skipped == {"unreadable": 1}


def test_an_empty_git_index_under_a_full_head_is_a_warning_not_an_empty_repository(tmp_path):
    """A clone whose index was emptied (a checkout that failed half-way) lists no file: say so instead of
    ingesting it as a repository without code."""
    repo = GitRepo(tmp_path / "emptied")
    repo.commit({"app/main.py": "import os\n", "README.md": "hello\n"})
    repo.git("read-tree", "--empty")
    result = ingest_repository(repo.root)
    assert result.summary.modules == 0
    assert any("index lists no file although HEAD has files" in w for w in result.summary.warnings)
    repo.git("read-tree", "HEAD")
    restored = ingest_repository(repo.root)
    assert restored.summary.modules > 0
    assert not any("index lists no file" in w for w in restored.summary.warnings)


def test_a_repository_whose_head_has_no_files_gets_no_index_warning(tmp_path):
    repo = GitRepo(tmp_path / "bare-tree")
    repo.git("commit", "--allow-empty", "-m", "start")
    result = ingest_repository(repo.root)
    assert not any("index lists no file" in w for w in result.summary.warnings)
