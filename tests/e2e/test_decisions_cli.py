"""`cairn adrs` and `cairn check` end to end on real git repositories: ingest, then check; baseline; import-linter."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.cli import CliRunner

from cairn.api.cli import app
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
ALICE = ("Alice Architect", "alice@example.com")
BOB = ("Bob Builder", "bob@example.com")

CONFIG = """
[components]
web = ["src/shop/web/**"]
core = ["src/shop/core/**"]
db = ["src/shop/db/**"]

[[rules]]
id = "one-way"
kind = "layers"
layers = ["web", "core", "db"]
transitive = true
because = "docs/adr/0002-layered-shop.md"
"""

ADRS = {
    "docs/adr/0001-record-architecture-decisions.md": """# 1. Record architecture decisions

Date: 2023-01-10

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.
""",
    "docs/adr/0002-layered-shop.md": """---
status: accepted
date: 2023-02-01
decision-makers: [Alice Architect, Bob Builder]
---
# ADR-0002: A layered shop

## Context and Problem Statement

The `web` layer renders, `core` decides and `db` stores; only downward imports.

```cairn
[[rules]]
id = "web-no-db"
kind = "forbidden"
from = ["web"]
to = ["db"]
description = "Pages go through the core, which owns transactions."
```
""",
    "docs/adr/0003-web-calls-db-directly.md": """# 3. Let the web read the database directly

* Status: superseded by [ADR-0004](0004-no-direct-reads-after-all.md)
* Date: Mar 3, 2023

## Context and Problem Statement

Speed.

```cairn
[[rules]]
id = "web-reads-allowed"
kind = "allowed_only"
from = ["web"]
to = ["core", "db"]
```
""",
    "docs/adr/0004-no-direct-reads-after-all.md": """# 4. No direct reads after all

* Status: proposed
* Date: 2023-04-04

## Context and Problem Statement

Keep the web tidy: it may use core only.

```cairn
[[rules]]
id = "web-core-only"
kind = "allowed_only"
from = ["web"]
to = ["core"]
```
""",
    "docs/adr/0005-broken.md": "---\nstatus: accepted\n\n# 5. Front matter never closed\n",
}

CODE = {
    "src/shop/__init__.py": "",
    "src/shop/web/__init__.py": "",
    "src/shop/web/views.py": "from shop.core import service\n\n\ndef page():\n    return service.orders()\n",
    "src/shop/web/reports.py": "from shop.db import models  # a known shortcut\n",
    "src/shop/core/__init__.py": "",
    "src/shop/core/service.py": "from typing import TYPE_CHECKING\n\nfrom shop.db import models\n\nif TYPE_CHECKING:\n    from shop.web import views\n\n\ndef orders():\n    return models.ORDERS\n",
    "src/shop/db/__init__.py": "",
    "src/shop/db/models.py": "ORDERS = []\n",
}


def make_shop(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"cairn.toml": CONFIG, **ADRS}, message="decisions", author=ALICE)
    repo.commit(CODE, message="the shop", author=BOB)
    return repo


def cairn(*args: str, columns: int | None = None) -> subprocess.CompletedProcess:
    env = None if columns is None else {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def ingest(repo: GitRepo, store: Path) -> None:
    result = invoke("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output


@pytest.fixture
def shop(tmp_path):
    repo = make_shop(tmp_path / "shop")
    store = tmp_path / "store"
    ingest(repo, store)
    return repo, store


def test_adrs_json(shop):
    _, store = shop
    result = invoke("adrs", "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    decisions = {d["path"]: d for d in data["decisions"]}
    assert sorted(decisions) == ["docs/adr/0001-record-architecture-decisions.md", "docs/adr/0002-layered-shop.md",
                                 "docs/adr/0003-web-calls-db-directly.md", "docs/adr/0004-no-direct-reads-after-all.md"]
    assert decisions["docs/adr/0002-layered-shop.md"] == {
        "path": "docs/adr/0002-layered-shop.md", "number": 2, "title": "A layered shop", "status": "accepted",
        "status_raw": "accepted", "date": "2023-02-01", "date_from": "record", "deciders": ["Alice Architect", "Bob Builder"],
        "summary": "The web layer renders, core decides and db stores; only downward imports.", "supersedes": [],
        "superseded_by": [], "amends": [], "amended_by": [], "components": ["core", "web"], "rules": ["one-way", "web-no-db"],
    }
    old = decisions["docs/adr/0003-web-calls-db-directly.md"]
    assert (old["status"], old["date"], old["superseded_by"]) == ("superseded", "2023-03-03", ["docs/adr/0004-no-direct-reads-after-all.md"])
    assert decisions["docs/adr/0004-no-direct-reads-after-all.md"]["supersedes"] == ["docs/adr/0003-web-calls-db-directly.md"]
    assert data["problems"] == [{"path": "docs/adr/0005-broken.md", "message": "front matter starts with '---' but is never closed", "skipped": True}]
    table = cairn("adrs", "--store", str(store), columns=80)
    assert table.returncode == 0 and table.stdout.startswith("shop: 4 decisions in docs/adr/")
    # the folder is said once: each row names its file (at 80 columns the full paths folded over two lines)
    assert re.search(r"│   │ 0002-layered-shop\.md +│", table.stdout) and "docs/adr/0002" not in table.stdout
    assert "superseded by #4" in cairn("adrs", "--store", str(store), columns=200).stdout


def test_adrs_table_of_unnumbered_records_in_several_folders(tmp_path):
    repo = GitRepo(tmp_path / "kb")
    repo.commit({
        ".log4brains.yml": ("project:\n  adrFolder: ./docs/adr\n  packages:\n    - name: web\n      path: ./packages/web\n"
                            "      adrFolder: ./packages/web/docs/adr\n"),
        "docs/adr/20200926-use-the-adr-number-as-its-unique-id.md":
            "# Use the ADR number as its unique ID\n\n- Status: superseded by [slug](20201016-use-the-adr-slug-as-its-unique-id.md)\n",
        "docs/adr/20201016-use-the-adr-slug-as-its-unique-id.md": "# Use the ADR slug as its unique ID\n\n- Status: accepted\n",
        "packages/web/docs/adr/20200927-use-react-hooks.md": "# Use React hooks\n\n- Status: accepted\n",
        "packages/web/index.ts": "import { y } from '../core/index';\nexport const x = y;\n",
        "packages/core/index.ts": "export const y = 1;\n",
    }, message="records", author=ALICE)
    store = tmp_path / "store"
    ingest(repo, store)
    table = cairn("adrs", "--store", str(store), columns=200)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].strip() == "kb: 3 decisions"  # two folders: no folder in the title, full paths in the rows
    assert "│ docs/adr/20201016-use-the-adr-slug-as-its-unique-id.md " in table.stdout
    assert "│ packages/web/docs/adr/20200927-use-react-hooks.md " in table.stdout
    assert re.search(r"│ Use React hooks +│ accepted +│ 2020-09-27 │ web +│", table.stdout), table.stdout  # governs its package
    assert lines[2].split() == ["┃", "decision", "┃", "status", "┃", "date", "┃", "components", "┃"]  # no number column
    assert "│ superseded by “Use the ADR slug as its unique ID” │" in table.stdout
    # the successor is named by its title, which wraps at spaces where its file name would not
    narrow = cairn("adrs", "--store", str(store), columns=80).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "│ superseded │" in narrow and "│ by “Use    │" in narrow and "│ ID”        │" in narrow, narrow


def test_check_json_names_rule_decision_and_evidence(shop):
    _, store = shop
    proc = cairn("check", "--store", str(store), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["verdict"] == "block"
    found = {(f["rule"], f["source"], f["target"]): f for f in data["findings"]}
    # web.reports -> db.models breaks the forbidden rule; core's TYPE_CHECKING import of web is not a layer violation;
    # the proposed decision's allowed_only rule only informs; the superseded decision's rule is not enforced
    assert set(found) == {("web-no-db", "shop.web.reports", "shop.db.models"), ("web-core-only", "shop.web.reports", "shop.db.models")}
    f = found[("web-no-db", "shop.web.reports", "shop.db.models")]
    assert (f["severity"], f["kind"], f["file"], f["line"], f["decision"]) == ("block", "forbidden", "src/shop/web/reports.py", 1, "docs/adr/0002-layered-shop.md")
    assert (f["source_component"], f["target_component"]) == ("web", "db")
    assert f["message"] == ("shop.web.reports imports shop.db.models (src/shop/web/reports.py:1): rule 'web-no-db' (forbidden, block) says "
                            "'web' must not import 'db'. Decided in docs/adr/0002-layered-shop.md \"A layered shop\" (accepted). "
                            "Pages go through the core, which owns transactions.")
    assert found[("web-core-only", "shop.web.reports", "shop.db.models")]["severity"] == "info"
    assert [s["rule"] for s in data["skipped_rules"]] == ["web-reads-allowed"]


def test_check_sarif_markdown_and_table(shop):
    _, store = shop
    sarif = invoke("check", "--store", str(store), "--format", "sarif")
    assert sarif.exit_code == 1
    log = json.loads(sarif.stdout)
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert {(r["ruleId"], r["level"]) for r in results} == {("web-no-db", "error"), ("web-core-only", "note")}
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/shop/web/reports.py" for r in results)
    markdown = invoke("check", "--store", str(store), "--format", "markdown")
    assert markdown.exit_code == 1 and markdown.stdout.startswith("## Cairn boundary check: BLOCK")
    table = invoke("check", "--store", str(store))
    assert table.exit_code == 1 and "web-no-db" in table.stdout


def test_baseline_adoption_then_only_new_violations_fail(shop, tmp_path):
    repo, store = shop
    baseline = repo.root / ".cairn-baseline.json"
    first = invoke("check", "--store", str(store), "--update-baseline", "--format", "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["baselined"] == 2
    recorded = json.loads(baseline.read_text())["violations"]
    assert recorded == [{"rule": "web-core-only", "importer": "shop.web.reports", "imported": "shop.db.models"},
                        {"rule": "web-no-db", "importer": "shop.web.reports", "imported": "shop.db.models"}]
    repo.commit({".cairn-baseline.json": baseline.read_text()}, message="adopt the rules", author=ALICE)

    # a new shortcut, and the old one moved down a few lines: only the new one fails
    repo.commit({
        "src/shop/web/reports.py": "\n\n\nfrom shop.db import models  # a known shortcut\n",
        "src/shop/web/admin.py": "from shop.db.models import ORDERS\n",
    }, message="admin page", author=BOB)
    ingest(repo, store)
    proc = cairn("check", "--store", str(store), "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert [(f["rule"], f["source"]) for f in data["findings"] if f["severity"] == "block"] == [("web-no-db", "shop.web.admin")]
    assert data["baselined"] == 2

    # the old shortcut fixed: --update-baseline prunes it and does not add the new one
    repo.commit({"src/shop/web/reports.py": "from shop.core import service\n"}, message="fix reports", author=BOB)
    ingest(repo, store)
    result = invoke("check", "--store", str(store), "--update-baseline", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(baseline.read_text())["violations"] == []
    assert "2 fixed entries removed, 0 kept; 2 new violation(s) not added" in result.stderr.replace("\n", " ")


def test_bad_input_exits_2_with_one_line(tmp_path, shop):
    _, store = shop
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    proc = cairn("check", "--store", str(store), "--baseline", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {bad}: a baseline is an object with a 'violations' list"
    proc = cairn("check", "--store", str(store), "--baseline", str(tmp_path / "missing.json"))
    assert proc.returncode == 2 and "baseline file not found" in proc.stderr
    assert cairn("adrs", "--store", str(store), "--format", "sarif").returncode == 2

    repo = GitRepo(tmp_path / "invalid")
    repo.commit({"cairn.toml": '[[rules]]\nid = "no-web"\nkind = "forbidden"\nfrom = ["web"]\n', "a.py": ""}, author=ALICE)
    proc = cairn("ingest", str(repo.root), "--store", str(tmp_path / "s2"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: cairn.toml: rule 'no-web': a forbidden rule needs 'to'"
    assert "Traceback" not in proc.stderr


def test_a_baseline_outside_the_checkout_is_refused(tmp_path, shop):
    repo, store = shop
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"violations": []}')
    os.symlink(outside, repo.root / ".cairn-baseline.json")  # a checkout may hold a symlink pointing anywhere
    proc = cairn("check", "--store", str(store))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith("symlink that resolves outside the checkout; refused")
    proc = cairn("check", "--store", str(store), "--update-baseline")
    assert proc.returncode == 2 and "outside the checkout" in proc.stderr and outside.read_text() == '{"violations": []}'

    escaping = GitRepo(tmp_path / "escaping")
    escaping.commit({"cairn.toml": 'baseline = "../known.json"\n', "a.py": ""}, author=ALICE)
    proc = cairn("ingest", str(escaping.root), "--store", str(tmp_path / "s3"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: cairn.toml: baseline: baseline '../known.json' in cairn.toml leaves the checkout ('..'); give a path inside it"


# -- import-linter contracts, and agreement with lint-imports on the same repository -----------------

IMPORTLINTER = """
[importlinter]
root_package = shop

[importlinter:contract:layers]
name = Layered shop
type = layers
layers =
    shop.web
    shop.core
    shop.db

[importlinter:contract:web-db]
name = Web never reaches the database
type = forbidden
source_modules =
    shop.web
forbidden_modules =
    shop.db
ignore_imports =
    shop.web.reports -> shop.db.models

[importlinter:contract:apps]
name = Apps stay apart
type = independence
modules =
    shop.orders
    shop.billing
"""


def lint_imports(root: Path) -> dict[str, str]:
    exe = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    proc = subprocess.run([str(exe), "--no-cache"], cwd=root, capture_output=True, text=True, env=env)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(.+) (KEPT|BROKEN)(?: \(.*\))?$", line.strip())
        if m:
            out[m.group(1)] = m.group(2)
    return out


@pytest.mark.skipif(not (Path(sys.executable).parent / "lint-imports").exists(), reason="import-linter is not installed")
def test_importlinter_contracts_agree_with_lint_imports(tmp_path):
    repo = GitRepo(tmp_path / "il")
    code = {k: v for k, v in CODE.items()}
    code.update({
        ".importlinter": IMPORTLINTER,
        "src/shop/orders/__init__.py": "", "src/shop/billing/__init__.py": "",
        "src/shop/orders/cart.py": "from shop.util import money\n",
        "src/shop/util/__init__.py": "", "src/shop/util/money.py": "from shop.billing import invoices\n",
        "src/shop/billing/invoices.py": "X = 1\n",
    })
    repo.commit(code, author=BOB)
    store = tmp_path / "store"

    def compare() -> tuple[dict[str, str], dict[str, str]]:
        ingest(repo, store)
        data = json.loads(cairn("check", "--store", str(store), "--format", "json").stdout)
        broken = {f["rule"] for f in data["findings"]}
        names = {r["id"]: r["description"] for r in data["rules"]}
        ours = {names[r]: ("BROKEN" if r in broken else "KEPT") for r in names}
        return ours, lint_imports(repo.root)

    ours, theirs = compare()
    # the type-checking import core -> web counts for import-linter by default (layers broken); web -> core -> db is
    # an indirect chain (forbidden is transitive), the direct web.reports -> db.models is ignored; orders -> util ->
    # billing is an indirect chain between independent apps
    assert theirs == {"Layered shop": "BROKEN", "Web never reaches the database": "BROKEN", "Apps stay apart": "BROKEN"}
    assert ours == theirs
    repo.commit({"src/shop/util/money.py": "X = 2\n", "src/shop/core/service.py": "from shop.db import models\n",
                 "src/shop/web/views.py": "PAGES = []\n"}, author=BOB)
    ours, theirs = compare()
    assert theirs == {"Layered shop": "KEPT", "Web never reaches the database": "KEPT", "Apps stay apart": "KEPT"}
    assert ours == theirs
    repo.commit({"src/shop/web/admin.py": "from shop.db import session\n", "src/shop/db/session.py": ""}, author=BOB)
    ours, theirs = compare()
    assert theirs == {"Layered shop": "KEPT", "Web never reaches the database": "BROKEN", "Apps stay apart": "KEPT"}
    assert ours == theirs


def test_no_records_names_the_configuration_table_where_they_are_looked_for(tmp_path):
    """The message names ``[adr]`` of cairn.toml: printed through console markup, it once lost the brackets and the
    word ("in  paths of cairn.toml")."""
    repo = GitRepo(tmp_path / "plain")
    repo.commit({"app.py": "x = 1\n"}, message="code", author=ALICE)
    store = tmp_path / "store"
    ingest(repo, store)
    done = cairn("adrs", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "no decision records found (in [adr] paths of cairn.toml" in " ".join(done.stdout.split())
    # nothing to check is a pass that says where rules come from, brackets and all
    checked = cairn("check", "--store", str(store))
    assert checked.returncode == 0 and "verdict pass (0 rules checked)" in checked.stdout
    assert "no boundary rules are declared: add [[rules]] to cairn.toml" in " ".join(checked.stdout.split())


def test_a_check_with_rules_says_nothing_of_declaring_them(shop):
    _, store = shop
    assert "no boundary rules are declared" not in invoke("check", "--store", str(store)).stdout


def test_the_reading_list_names_a_newcomers_first_ten_decisions_and_counts_the_rest(tmp_path):
    # cometbft's list was all of its 85 decisions in force
    repo = GitRepo(tmp_path / "many")
    records = {f"docs/architecture/adr-{n:03}-choice-{n}.md": f"# ADR {n}: Choice {n}\n\n## Status\n\nAccepted\n\n"
                                                             f"## Changelog\n\n- 2020-01-{n:02}: first draft\n"
               for n in range(1, 13)}
    repo.commit({"app/main.py": "import os\n", "app/util.py": "X = 1\n", **records}, message="records", author=ALICE)
    store = tmp_path / "store"
    ingest(repo, store)
    listed = cairn("reading-list", "--store", str(store), columns=80).stdout
    numbers = [line.split("│")[1].strip() for line in listed.split("2. ")[0].splitlines() if line.startswith("│ ")]
    assert [n for n in numbers if n] == [str(n) for n in range(12, 2, -1)]  # the ten newest
    assert "and 2 more decisions in force: cairn adrs lists them all" in listed
    data = json.loads(cairn("reading-list", "--store", str(store), "--format", "json").stdout)
    assert (len(data["decisions"]), data["decisions_total"]) == (10, 12)


def test_records_below_one_folder_are_named_below_it_in_the_table(tmp_path):
    # dotcom-rendering keeps records in docs/architecture/ and its historic-adrs/ and proposed-adrs/: the table says
    # the folder once and each record below it, where full paths folded over three lines at 80 columns
    from cairn.api.render.terminal import below, one_folder

    paths = ["app/docs/architecture/005-monorepo.md", "app/docs/architecture/historic-adrs/dotenv.md"]
    assert (one_folder(paths), below(paths[1], one_folder(paths))) == ("app/docs/architecture", "historic-adrs/dotenv.md")
    assert one_folder(["docs/adr/0001-a.md", "packages/web/docs/adr/0002-b.md"]) is None
    assert one_folder(["docs/adr/0001-a.md", "docs/adr/0002-b.md"]) == "docs/adr"
    repo = GitRepo(tmp_path / "app")
    repo.commit({"app/main.py": "import os\n",
                 "app/docs/architecture/005-monorepo.md": "# Monorepo\n\n## Status\n\nApproved\n",
                 "app/docs/architecture/historic-adrs/dotenv.md": "# Dotenv\n\n## Status\n\nApproved\n"},
                message="records", author=ALICE)
    store = tmp_path / "store"
    ingest(repo, store)
    listed = cairn("adrs", "--store", str(store), columns=80).stdout
    assert "2 decisions in app/docs/architecture/" in listed.splitlines()[0]
    cells = "".join(line.split("│")[2].strip() for line in listed.splitlines() if line.count("│") > 2)
    assert "Dotenvhistoric-adrs/dotenv.md" in cells  # (the decision column's lines, joined)
    assert "│ deprecated │" in listed and "app/docs/architecture/historic" not in listed
