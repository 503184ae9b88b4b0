"""Exploration queries and their CLI on a real ingested repository (tests/fixtures/explore.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from cairn.graph.errors import CairnError, InvalidQuery, UnknownName
from cairn.queries.dependencies import component_list
from cairn.queries.explore import central_modules, component_card, first_paragraph, reading_list, search, shortest_path
from fixtures.explore import ingest_shop

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    store_dir, root = ingest_shop(tmp_path_factory.mktemp("explore"))
    graph = open_store(str(store_dir)).load("shop")
    return store_dir, root, graph


# -- the component card -------------------------------------------------------------


def test_card_of_core_has_purpose_decisions_dependents_and_risk(shop):
    _, _, graph = shop
    card = component_card(graph, "core")
    assert card["description"] == "The domain model: orders, customers and prices."
    assert card["purpose_source"] == "configuration"
    assert [m["name"] for m in card["modules"]] == ["shop.core", "shop.core.models", "shop.core.prices"]
    assert card["module_count"] == 3
    assert card["depends_on"] == []
    used_by = {d["component"]: d["count"] for d in card["used_by"]}
    # billing: invoices -> models, invoices -> prices, tax -> models; api: routes -> models; reports: monthly -> models
    assert used_by == {"billing": 3, "api": 1, "reports": 1}
    assert card["used_by"][0]["component"] == "billing"  # most coupled first
    assert [d["path"] for d in card["decisions"]] == ["docs/adr/0001-core-free-of-framework.md"]
    assert card["decisions"][0]["status"] == "accepted"
    # Ada alone wrote the core: one person to lose.
    assert card["bus_factor"]["truck_factor"] == 1
    assert card["bus_factor"]["at_risk"] is True
    assert "Ada Lovelace" in json.dumps(card["bus_factor"]["knowledge_holders"])
    # CODEOWNERS names @ada; she is the same person as the author Ada Lovelace.
    assert [(o["name"], o["kind"], o["files"]) for o in card["owners"]] == [("Ada Lovelace", "person", 3)]
    activity = card["recent_activity"]
    assert activity and all(a["name"] == "Ada Lovelace" for a in activity)
    assert [a["last_touch"] for a in activity] == sorted((a["last_touch"] for a in activity), reverse=True)


def test_card_purpose_falls_back_to_the_governing_decision_then_the_readme(shop):
    _, _, graph = shop
    billing = component_card(graph, "billing")
    # The accepted decision (0003) wins over the superseded one (0002), and is listed first.
    assert billing["purpose_source"] == "decision docs/adr/0003-invoices-in-billing.md"
    assert billing["description"].startswith("Billing owns invoices")
    assert [d["path"] for d in billing["decisions"]] == ["docs/adr/0003-invoices-in-billing.md", "docs/adr/0002-invoices-in-api.md"]
    assert {d["component"] for d in billing["depends_on"]} == {"core"}
    assert {d["component"] for d in billing["used_by"]} == {"api"}

    reports = component_card(graph, "reports")
    assert reports["purpose_source"] == "src/shop/reports/README.md"
    # The heading and the badge are skipped; Markdown emphasis is dropped.
    assert reports["description"] == "Monthly sales reports for the finance team, built from the core's orders."


def test_card_external_packages_and_unknown_component(shop):
    _, _, graph = shop
    api = component_card(graph, "api")
    assert api["external_packages"] == [{"name": "requests", "imports": 1}]  # the standard library is listed apart
    assert all(p["name"] != "requests" for p in api["standard_library"])
    with pytest.raises(UnknownName) as err:
        component_card(graph, "cor")
    assert isinstance(err.value, CairnError) and err.value.suggestions == ("core",)
    assert "did you mean 'core'" in str(err.value)


def test_card_external_packages_leave_out_what_only_tests_and_build_configs_import(tmp_path):
    """trpc's server card listed vitest, tsdown and the libraries only its tests use (zod, superjson) as packages the
    server uses; a component of tests alone still lists what its tests import."""
    from cairn.api.services.ingesting import ingest_into_store
    from fixtures.gitrepo import GitRepo

    store_dir, root = ingest_shop(tmp_path)
    GitRepo(root, init=False).commit({
        "src/shop/api/tests/test_routes.py": "import pytest\nimport responses\nimport requests\nfrom shop.api import routes\n",
        "src/shop/api/tests/conftest.py": "import hypothesis\n",
        "src/shop/api/setup.py": "import setuptools\n",
        "src/shop/api/client.py": "import httpx\n",
    }, message="api tests and a client")
    store = open_store(str(store_dir))
    for ingest in ("after a commit", "cold"):
        if ingest == "cold":
            store_dir = tmp_path / "cold"
            store = open_store(str(store_dir))
        ingest_into_store(store, root)
        card = component_card(open_store(str(store_dir)).load("shop"), "api")
        assert card["external_packages"] == [{"name": "httpx", "imports": 1}, {"name": "requests", "imports": 1}], ingest


def test_readme_outside_the_checkout_is_never_read(tmp_path):
    store_dir, root = ingest_shop(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nThis text lives outside the repository.\n")
    readme = root / "src/shop/reports/README.md"
    readme.unlink()
    readme.symlink_to(secret)
    graph = open_store(str(store_dir)).load("shop")
    card = component_card(graph, "reports")
    assert card["description"] is None and card["purpose_source"] is None


def test_a_readme_titled_by_a_side_topic_is_no_purpose(tmp_path):
    """nats-server's server/README.md, "# Tests", opened "Tests that run on Travis have been split into jobs…": what the
    server's tests do, given as what the server is. A README so titled in a folder of that name still is its purpose."""
    store_dir, root = ingest_shop(tmp_path)
    readme = root / "src/shop/reports/README.md"
    readme.write_text("[![ci](badge.svg)](ci)\n# Testing\n\nThe report tests run nightly against a copy of production.\n")
    graph = open_store(str(store_dir)).load("shop")
    assert (component_card(graph, "reports")["description"], component_card(graph, "reports")["purpose_source"]) == (None, None)
    readme.write_text("Monthly sales reports.\n\n## Testing\n\nThe report tests run nightly.\n")  # a section, not the title
    assert component_card(graph, "reports")["description"] == "Monthly sales reports."
    readme.write_text("Testing\n=======\n\nThe report tests run nightly.\n")  # reStructuredText's title
    assert component_card(graph, "reports")["description"] is None


def test_a_python_package_docstring_reads_without_its_inline_markup(tmp_path):
    """Cairn's own api package read "The interfaces: the ``cairn`` CLI"; Sphinx's docstrings name :class:`…`."""
    from cairn.queries.explore.package_docs import package_purpose

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text('"""The ``cairn`` CLI and :class:`Store` (see :ref:`the guide <guide>`,\n'
                                                  '`Sphinx`_).\n"""\n')
    assert package_purpose(tmp_path, "pkg") == ("The cairn CLI and Store (see the guide, Sphinx).", "pkg/__init__.py")


def test_first_paragraph_skips_front_matter_headings_and_code():
    text = "---\ntitle: x\n---\n# Title\n\n```\ncode\n```\n\nThe **real** [text](http://x) here\ncontinues.\n\nNext."
    assert first_paragraph(text) == "The real text here continues."
    assert first_paragraph("# Only a heading\n") is None
    # a thematic break ends the paragraph, it is not part of it
    assert first_paragraph("Logo\n\n***\n\nMore.\n") == "Logo"
    assert first_paragraph("Intro line\n***\nAfter the break\n") == "Intro line"
    # a title underlined (etcd's etcdctl/README.md), a quote (trpc's packages), a reference link
    assert first_paragraph("etcdctl\n========\n\nA command line client for [etcd][etcd].\n") == "A command line client for etcd."
    assert first_paragraph("Title\n*****\n\nBody text.\n") == "Body text."
    assert first_paragraph("> Create routers\n> and servers.\n") == "Create routers and servers."
    # a table of contents, links alone on their lines, is no prose (webpack's examples: "1. Aggressive Merging 2. …")
    contents = "# Examples\n\n## Table of Contents\n\n1. [Merging](#merging)\n2. [Chunk](#chunk)\n\n## Merging\n\n" \
               "[merging](merging)\n\n- [chunks](chunks)\n\nEach folder builds one [example](x) of it.\n"
    assert first_paragraph(contents) == "Each folder builds one example of it."


def test_first_paragraph_skips_rows_of_links_reference_definitions_and_html_over_several_lines():
    """eslint's packages read "Website | Configure ESLint | Rules | … | Mastodon |", a row of links; traefik's docs
    "[mkdocs]: https://www.mkdocs.org "Mkdocs" …", link reference definitions; fastify's README a tag's attributes
    and a badge's second line; caddy's "&nbsp;" between its badges."""
    nav = "# ESLint Configuration\n\n[Website](https://eslint.org) |\n[Rules](https://eslint.org/rules) |\n" \
          "[Bluesky](https://bsky.app)\n\nContains the [ESLint](https://eslint.org) configuration.\n"
    assert first_paragraph(nav) == "Contains the ESLint configuration."
    references = "# Documentation\n\n| Tool | Docs |\n|---|---|\n| mkdocs | [docs][mkdocs] |\n\n" \
                 '[mkdocs]: https://www.mkdocs.org "Mkdocs"\n[mkdocs-src]: https://github.com/mkdocs/mkdocs\n\n' \
                 "## Build\n\n```sh\nmkdocs serve\n```\n"
    assert first_paragraph(references) is None
    assert first_paragraph("[a]: https://a.example\nThe text [after][a] them.\n") == "The text after them."
    tag = '<div align="center"> <a href="https://fastify.dev/">\n    <img\n      src="https://x/logo.svg"\n' \
          '      width="650"\n    />\n  </a>\n</div>\n\nAn efficient server.\n'
    assert first_paragraph(tag) == "An efficient server."
    assert first_paragraph("[![Package Manager\nCI](https://x/ci.svg)](https://x/ci)\n\nAn efficient server.\n") == \
        "An efficient server."
    assert first_paragraph('<a href="x"><img src="ci.svg"></a>\n&nbsp;\n<a href="y"><img src="go.svg"></a>\n\nA server.\n') == \
        "A server."
    # tracing's crates open with an image by reference: their purposes were a sentence from line 57 on
    splash = ("![Tracing — Structured diagnostics][splash]\n\n[splash]: https://x/splash.svg\n\n# tracing\n\n"
              "Application-level tracing for Rust.\n\n[![Crates.io][crates-badge]][crates-url]\n\n## Overview\n\n"
              "`tracing` is a framework, see [the docs](https://x) for more information on how to create trace data.\n")
    assert first_paragraph(splash) == "Application-level tracing for Rust."
    # a link alone on its line in the middle of a sentence is part of it (gson's proto: "… deserializer for")
    sentence = ("# proto\n\nThis module holds a JSON serializer and deserializer for\n[Protocol Buffers (protobuf)]"
                "(https://x/proto)\nmessages.\n\nNot deployed.\n")
    assert first_paragraph(sentence) == "This module holds a JSON serializer and deserializer for Protocol Buffers (protobuf) messages."



def test_first_paragraph_skips_lists_the_sentence_that_introduces_one_and_notes():
    """mitmproxy's release/README.md, a checklist, read "1. Check if mitmproxy-rs needs a new release. 2. …", its
    web/README.md "- Install mitmproxy as described in …"; drizzle-seed's "[!NOTE] drizzle-seed can only be used with
    drizzle-orm@0.36.4 or higher.", vue's server-renderer "Note: as of 3.2.13+, this package is included…": a list of
    steps and a caveat are not what a component is. The paragraph after them is, if any."""
    checklist = "# Release Checklist\n\n1. Check if the core needs a release.\n2. Make sure that the changelog is\n" \
                "   up to date.\n\n### Docs\n\n- CI will update the docs:\n  https://docs.example\n"
    assert first_paragraph(checklist) is None
    assert first_paragraph("# Web\n\n- Install it as described\nin the guide.\n- Run it.\n\nThe pages of the shop.\n") == \
        "The pages of the shop."
    # a list right after a paragraph ends it; the sentence that introduces the list goes with it (trpc's openapi)
    assert first_paragraph("The cart sums orders.\n- one\n- two\n") == "The cart sums orders."
    assert first_paragraph("The spec generator. Use the spec to:\n\n- call it\n\nMore.\n") == "The spec generator."
    assert first_paragraph("# T\n\nIt does:\n* a\n  more\nlazily\n\n  indented\n\nThe real thing.\n") == "The real thing."
    assert first_paragraph("Built in\n2024. A year of orders.\n") == "Built in 2024. A year of orders."  # no list
    assert first_paragraph("Run it with:\n\n```\nshop\n```\n") == "Run it with:"  # (code is not a list)
    # notes: a GitHub alert, a paragraph labelled as one
    assert first_paragraph("# Seed\n\n> [!NOTE]\n> `seed` can only be used with shop 1.0.\n\nSeed fills a database.\n") == \
        "Seed fills a database."
    assert first_paragraph("**Note: as of 3.2, this package is in `shop`.**\n\nRenders pages.\n") == "Renders pages."
    assert first_paragraph("> **Compatibility Note:**\n> Shop requires Node.js 20.\n\nScaffolds a shop.\n") == \
        "Scaffolds a shop."
    assert first_paragraph("Notes are kept in the ledger.\n") == "Notes are kept in the ledger."


def test_a_checklist_a_quick_start_or_a_note_is_no_purpose(tmp_path):
    """What mitmproxy's release, web and drizzle-seed cards said (the test above); with them skipped, a checklist's
    title says what the folder holds, a README titled "Quick Start" is a side of its folder, the package's description
    stands where the README has only a note and a section's paragraph, and a section's label is no purpose."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "shop")
    repo.commit({"release/README.md": "# Release Checklist\n\n1. Check if the core needs a release.\n2. Tag it.\n",
                 "release/build.py": "X = 1\n",
                 "web/README.md": "# Quick Start\n\n- Install it.\n- Run it.\n\n## Contributing\n\nWe welcome any fixes.\n",
                 "web/app.py": "Y = 2\n",
                 "package.json": '{"name": "shop", "private": true, "workspaces": ["seed", "render"]}\n',
                 "seed/package.json": '{"name": "seed", "description": "A package to seed your database"}\n',
                 "seed/README.md": "# Seed\n\n> [!NOTE]\n> `seed` needs shop 1.0 or higher.\n\n## Documentation\n\n"
                                   "The full reference is in our documentation.\n",
                 "seed/index.js": "module.exports = 1\n",
                 "render/package.json": '{"name": "render"}\n', "render/index.js": "module.exports = 2\n",
                 "render/README.md": "# render\n\n**Note: as of 3.2, this package is in `shop`.**\n\n## API\n\n"
                                     "**Signature**\n\n```ts\nrender(app)\n```\n"}, message="parts")
    purpose = _ingested_purposes(repo.root, str(tmp_path / "store"))

    assert purpose("release") == ("Release Checklist", "release/README.md")
    assert purpose("web") == (None, None)
    assert purpose("seed") == ("A package to seed your database", "seed/package.json description")
    assert purpose("render") == (None, None)


# -- paths ---------------------------------------------------------------------------


def test_shortest_path_between_components_and_modules(shop):
    _, _, graph = shop
    direct = shortest_path(graph, "api", "core")
    assert direct["found"] and direct["level"] == "component" and direct["path"] == ["api", "core"] and direct["length"] == 1

    modules = shortest_path(graph, "shop.api.routes", "shop.core.prices")
    assert modules["level"] == "module"
    assert modules["path"] == ["shop.api.routes", "shop.billing.invoices", "shop.core.prices"]
    assert modules["edges"][0]["kind"] == "runtime" and modules["edges"][0]["lines"] == [2]

    mixed = shortest_path(graph, "module:shop.reports.monthly", "component:core")
    # "from shop.core import models" imports the module shop.core.models (grimp's semantics).
    assert mixed["found"] and mixed["path"] == ["shop.reports.monthly", "shop.core.models"]


def test_no_path_says_so_and_gives_the_reverse(shop):
    _, _, graph = shop
    result = shortest_path(graph, "core", "api")
    assert result["found"] is False and result["path"] == [] and result["length"] is None
    assert result["reverse_path"] == ["api", "core"]
    assert "core does not depend on api" in result["message"]
    unrelated = shortest_path(graph, "reports", "billing")
    assert unrelated["found"] is False and unrelated["reverse_path"] == []
    with pytest.raises(UnknownName, match="did you mean 'billing'"):
        shortest_path(graph, "biling", "core")


# -- centrality, reading list, search ------------------------------------------------------


def test_central_modules_rank_the_foundations_first(shop):
    _, _, graph = shop
    top = central_modules(graph, 3)
    assert top[0]["module"] == "shop.core.models"
    assert top[0]["imported_by"] == 5  # prices, invoices, tax, routes, monthly
    assert len(top) == 3 and top[0]["score"] >= top[1]["score"] >= top[2]["score"]
    billing_only = central_modules(graph, 10, component="billing")
    assert {m["component"] for m in billing_only} == {"billing"}
    with pytest.raises(InvalidQuery):
        central_modules(graph, 0)


def test_reading_list_orders_decisions_modules_people(shop):
    _, _, graph = shop
    whole = reading_list(graph)
    # Accepted decisions newest first; the superseded one is not on a newcomer's list.
    assert [d["path"] for d in whole["decisions"]] == ["docs/adr/0003-invoices-in-billing.md", "docs/adr/0001-core-free-of-framework.md"]
    assert whole["modules"][0]["module"] == "shop.core.models"
    kinds = [i["kind"] for i in whole["items"]]
    assert kinds == sorted(kinds, key=["decision", "module", "person"].index)
    assert whole["people"], "knowledge holders of the components are the people to ask"
    # a newcomer's first decisions (cometbft has 85 in force), the rest counted
    first = reading_list(graph, decisions=1)
    assert [d["path"] for d in first["decisions"]] == ["docs/adr/0003-invoices-in-billing.md"]
    assert (first["decisions_total"], whole["decisions_total"]) == (2, 2)
    assert [i["ref"] for i in first["items"] if i["kind"] == "decision"] == ["docs/adr/0003-invoices-in-billing.md"]

    billing = reading_list(graph, "billing")
    assert [d["path"] for d in billing["decisions"]] == ["docs/adr/0003-invoices-in-billing.md"]
    assert all(m["component"] == "billing" for m in billing["modules"])
    people = {p["person"]: p for p in billing["people"]}
    # Grace holds the knowledge and is the declared owner: one entry, both reasons, first.
    assert billing["people"][0]["person"] == "grace@example.com"
    assert people["grace@example.com"]["why"] == "declared owner of billing; knows billing"
    assert len(people) == len(billing["people"])


def test_search_is_case_insensitive_and_ranked(shop):
    _, _, graph = shop
    result = search(graph, "CORE")
    assert result["results"][0] == {**result["results"][0], "kind": "component", "name": "core", "match": "exact"}
    assert {"shop.core.models", "shop.core.prices"} <= {r["name"] for r in result["results"] if r["kind"] == "module"}
    invoices = search(graph, "invoice")
    kinds = {(r["kind"], r["name"]) for r in invoices["results"]}
    assert ("module", "shop.billing.invoices") in kinds
    assert ("decision", "docs/adr/0003-invoices-in-billing.md") in kinds
    people = search(graph, "grace")["results"]
    assert people[0]["kind"] == "person" and people[0]["title"] == "Grace Hopper"
    assert search(graph, "zzz-nothing")["results"] == []
    with pytest.raises(InvalidQuery, match="empty"):
        search(graph, "   ")


def test_a_component_is_found_by_the_name_of_the_package_it_is(tmp_path):
    """vue's ``search @vue/reactivity`` and ripgrep's ``search grep-printer`` found nothing, though the cards say
    "package @vue/reactivity": a newcomer searches by the name they import."""
    from cairn.api.services.ingesting import ingest_into_store
    from fixtures.maps import build_workspace

    build_workspace(tmp_path / "relay")
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, tmp_path / "relay")
    found = search(store.load("relay"), "ibc-test-frame")["results"]
    assert found[0] == {**found[0], "kind": "component", "name": "test-framework", "title": "ibc-test-framework",
                        "match": "prefix"}
    assert search(store.load("relay"), "test-framework")["results"][0]["match"] == "exact"  # its own name first


def test_component_list(shop):
    _, _, graph = shop
    rows = {r["name"]: r for r in component_list(graph)["components"]}
    assert set(rows) == {"core", "billing", "api", "reports"}
    assert rows["core"]["modules"] == 3 and rows["core"]["at_risk"] is True
    assert rows["reports"]["description"] is None  # the README is the card's business, not the listing's


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_explore_path_reading_list_search(shop):
    store_dir, _, _ = shop
    runner = CliRunner()
    result = runner.invoke(app, ["explore", "core", "--store", str(store_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "core"

    table = runner.invoke(app, ["explore", "billing", "--store", str(store_dir)])
    assert table.exit_code == 0 and "Invoices live in billing" in table.stdout

    md = runner.invoke(app, ["explore", "core", "--store", str(store_dir), "--format", "markdown"])
    assert md.stdout.startswith("# core\n") and "## Decisions" in md.stdout

    path = runner.invoke(app, ["path", "api", "core", "--store", str(store_dir), "--format", "json"])
    assert json.loads(path.stdout)["path"] == ["api", "core"]

    # the table numbers a decision by its record's number, and says their one folder once
    listed = runner.invoke(app, ["reading-list", "--store", str(store_dir)], env={"COLUMNS": "100"}).stdout
    assert "1. Decisions in force (in docs/adr/)" in listed and "docs/adr/0003" not in listed
    numbered = [line.split("│")[1].strip() for line in listed.split("2. Central modules")[0].splitlines()
                if line.startswith("│") and line.split("│")[1].strip()]
    assert numbered == ["3", "1"], listed

    rl = runner.invoke(app, ["reading-list", "billing", "--store", str(store_dir), "--format", "markdown"])
    assert rl.exit_code == 0 and "Invoices live in billing" in rl.stdout and "Invoices live in the api" not in rl.stdout

    found = runner.invoke(app, ["search", "invoice", "--store", str(store_dir), "--format", "json"])
    assert any(r["name"] == "shop.billing.invoices" for r in json.loads(found.stdout)["results"])


def test_cli_bad_names_are_one_line_errors(shop):
    store_dir, _, _ = shop
    env = {**os.environ, "CAIRN_STORE": str(store_dir)}
    env.pop("CAIRN_DEBUG", None)
    proc = subprocess.run([str(VENV_BIN / "cairn"), "explore", "cor"], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 2
    assert "did you mean 'core'" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1

    ok = subprocess.run([str(VENV_BIN / "cairn"), "path", "core", "api", "--format", "json"], capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["found"] is False

    runner = CliRunner()
    empty = runner.invoke(app, ["search", " ", "--store", str(store_dir)])
    assert empty.exit_code == 2
    assert "the search query is empty" in empty.output and "Traceback" not in empty.output


def test_an_inferred_decision_carries_its_confidence_through_the_cli(tmp_path):
    """Ingest writes a GOVERNS link's confidence and the card reads it through the same class: never null."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "shop")
    repo.commit({
        "cairn.toml": '[components]\nbilling = ["shop/billing/**"]\ncore = ["shop/core/**"]\n',
        "shop/__init__.py": "", "shop/billing/__init__.py": "", "shop/billing/invoices.py": "X = 1\n",
        "shop/core/__init__.py": "", "shop/core/models.py": "Y = 1\n",
        "docs/adr/0001-invoices-belong-to-billing.md": (
            "# 1. Invoices belong to billing\n\n## Status\n\nAccepted\n\n## Decision\n\n"
            "Invoices are computed in `shop/billing/invoices.py`; billing owns them.\n"),
        # names core in prose only (five times): it governs core, but its context is no purpose of core's
        "docs/adr/0002-reports.md": ("# 2. Monthly reports\n\n## Status\n\nAccepted\n\n## Context\n\n"
                                     "Finance wants reports. The core has orders, the core has prices, the core has "
                                     "customers; the core is shared, and the core stays small.\n"),
    })
    env = {**os.environ, "CAIRN_STORE": str(tmp_path / "store")}
    ingest = subprocess.run([str(VENV_BIN / "cairn"), "ingest", str(repo.root)], capture_output=True, text=True, env=env)
    assert ingest.returncode == 0, ingest.stderr
    shown = subprocess.run([str(VENV_BIN / "cairn"), "explore", "billing", "--format", "json"], capture_output=True, text=True, env=env)
    assert shown.returncode == 0, shown.stderr
    card = json.loads(shown.stdout)
    (decision,) = card["decisions"]
    assert decision["inferred"] is True
    assert isinstance(decision["confidence"], float) and 0.5 <= decision["confidence"] <= 1.0
    assert card["purpose_source"] == "decision docs/adr/0001-invoices-belong-to-billing.md"  # nothing better said
    core = json.loads(subprocess.run([str(VENV_BIN / "cairn"), "explore", "core", "--format", "json"],
                                     capture_output=True, text=True, env=env).stdout)
    assert [(d["path"], d["confidence"]) for d in core["decisions"]] == [("docs/adr/0002-reports.md", 0.5)]
    assert (core["description"], core["purpose_source"]) == (None, None)

    # a README of the component says what it is better than the context of a decision only inferred to govern it
    repo.commit({"shop/billing/README.md": "# Billing\n\nInvoices, credit notes and payment reminders.\n"})
    assert subprocess.run([str(VENV_BIN / "cairn"), "ingest", str(repo.root)], capture_output=True, env=env).returncode == 0
    card = json.loads(subprocess.run([str(VENV_BIN / "cairn"), "explore", "billing", "--format", "json"],
                                     capture_output=True, text=True, env=env).stdout)
    assert (card["purpose_source"], card["description"]) == ("shop/billing/README.md", "Invoices, credit notes and payment reminders.")


def test_explore_without_a_component_shows_every_component_at_a_glance(shop):
    """`cairn explore` alone was a usage error; a newcomer gets each component's purpose (the card's, first sentence),
    truck factor and, as JSON and Markdown, what it depends on and what uses it."""
    store = str(shop[0])
    runner = CliRunner()
    data = json.loads(runner.invoke(app, ["explore", "--store", store, "--format", "json"]).stdout)
    rows = {c["name"]: c for c in data["components"]}
    assert data["repository"] == "shop" and sorted(rows) == ["api", "billing", "core", "reports"]
    for name, row in rows.items():  # the card's purpose, as `cairn explore NAME` gives it
        card = json.loads(runner.invoke(app, ["explore", name, "--store", store, "--format", "json"]).stdout)
        assert (row["description"], row["purpose_source"]) == (card["description"], card["purpose_source"])
        assert row["depends_on"] == [d["component"] for d in card["depends_on"]]
    assert rows["core"]["description"] == "The domain model: orders, customers and prices."
    assert rows["reports"]["purpose_source"] == "src/shop/reports/README.md"
    assert rows["core"]["used_by"] == ["api", "billing", "reports"]
    shown = runner.invoke(app, ["explore", "--store", store], env={"COLUMNS": "80"})
    assert shown.exit_code == 0
    flat = " ".join(shown.stdout.split())
    assert "shop: 4 components at a glance" in flat and "│ core │ The domain model: orders, customers and prices. │ 1! │" in flat
    assert "Monthly sales reports for the finance team, built from the │ 1! │ │ │ core's orders." in flat  # (folded)
    md = runner.invoke(app, ["explore", "--store", store, "--format", "markdown"]).stdout
    assert "- **core** — The domain model: orders, customers and prices. (truck factor 1, **at risk**; used by api, " \
           "billing, reports)" in md
    assert "- **api** (truck factor 1, **at risk**; depends on billing, core)" in md


def test_a_purpose_at_a_glance_is_its_first_sentence_or_first_item():
    from cairn.queries.explore.common import PURPOSE_SHOWN, first_sentence

    assert first_sentence("Scrapy core library.  It runs\nthe engine.") == "Scrapy core library."
    assert first_sentence("Call e.g. the engine. Then more.") == "Call e.g. the engine."
    # an abbreviation before a capital ends no sentence (hugo's markup: "the markup handling (e.g. Markdown).")
    assert first_sentence("The markup handling (e.g. Markdown). More.") == "The markup handling (e.g. Markdown)."
    assert first_sentence("Formats, i.e. JSON or YAML. Then.") == "Formats, i.e. JSON or YAML."
    assert first_sentence("Reads JSON, YAML, etc. It writes them too.") == "Reads JSON, YAML, etc."
    assert first_sentence("- Embed, hash, and compress assets. - Parse tauri.conf.json at compile time.") == \
        "Embed, hash, and compress assets."
    long = "word " * 100
    cut = first_sentence(long)
    assert cut.endswith("word…") and len(cut) <= PURPOSE_SHOWN + 1


def test_a_card_at_risk_says_how_many_files_lost_their_authors(tmp_path):
    """With Ada gone the core's files have no author left: the card says so (else "truck factor 7 — at risk" reads as a
    contradiction, as on prometheus's tsdb), and counts what the bus-factor report counts."""
    from fixtures.explore import build_shop

    root = tmp_path / "shop"
    build_shop(root)
    with (root / "cairn.toml").open("a") as config:
        config.write('\n[identities]\ndeparted = ["Ada Lovelace"]\n')
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(root), "--store", str(store), "--format", "json"]).exit_code == 0
    report = json.loads(runner.invoke(app, ["bus-factor", "--store", str(store), "--format", "json"]).stdout)
    orphaned = {c["name"]: c["orphaned_files"] for c in report["components"]}
    assert orphaned["core"] == 3
    for name, files in orphaned.items():
        card = json.loads(runner.invoke(app, ["explore", name, "--store", str(store), "--format", "json"]).stdout)
        assert card["bus_factor"]["orphaned_files"] == files
    shown = " ".join(runner.invoke(app, ["explore", "core", "--store", str(store)]).stdout.split())
    assert "at risk (3 files with no author left)" in shown
    md = runner.invoke(app, ["explore", "core", "--store", str(store), "--format", "markdown"]).stdout
    assert "— **at risk** (3 files with no author left)" in md


def test_the_components_table_leaves_out_paths_that_only_repeat_the_names(shop, tmp_path):
    """Components inferred from directories are each the directory of its name: a paths column would repeat the names
    in the width the lists of dependencies need (prometheus: 35 of them, at 80 columns)."""
    from fixtures.gitrepo import GitRepo

    runner = CliRunner()
    declared = runner.invoke(app, ["components", "--store", str(shop[0])]).stdout
    header = next(line for line in declared.splitlines() if "name" in line and "modules" in line)
    # each the directory of its name in one folder (tauri's crates/tauri-build/**: a path folded over two lines)
    assert " in " in header and "paths" not in header and "│ src/shop/ " in declared and "src/shop/core/**" not in declared
    assert "each component is the directory of its name in the folder shown (in: src/shop/ is src/shop/NAME/**)" in \
        " ".join(declared.split())
    repo = GitRepo(tmp_path / "dirs")
    repo.commit({"alpha/__init__.py": "", "alpha/one.py": "import beta.two\n", "beta/__init__.py": "",
                 "beta/two.py": "X = 2\n"}, message="two directories")
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", str(store), "--format", "json"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["components", "--store", str(store), "--format", "json"]).stdout)
    assert [(c["name"], c["paths"]) for c in listed["components"]] == [("alpha", ["alpha/**"]), ("beta", ["beta/**"])]
    inferred = runner.invoke(app, ["components", "--store", str(store)]).stdout
    header = next(line for line in inferred.splitlines() if "name" in line and "modules" in line)
    assert "paths" not in header and "each component is the directory of its name (NAME/**)" in inferred
    assert "alpha" in inferred and "beta" in inferred
    (repo.root / "cairn.toml").write_text('[components]\nalpha = ["alpha/**"]\nsecond = ["beta/**"]\n')
    repo.commit({}, message="a component named apart from its folder")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", str(store), "--format", "json"]).exit_code == 0
    named = runner.invoke(app, ["components", "--store", str(store)]).stdout
    assert "paths" in next(line for line in named.splitlines() if "name" in line and "modules" in line)
    assert "beta/**" in named


def test_the_components_table_shows_folders_when_all_but_a_few_components_are_the_directory_of_their_name(tmp_path):
    """scrapy: 18 of 19 components are scrapy/NAME/**, the 19th the files directly in scrapy/ (scrapy/*): the "in"
    column shows scrapy/ for the 18 and the pattern for the 19th, not every path folded over two lines."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "spider")
    files = {"spider/__init__.py": "", "spider/engine.py": "X = 1\n"} | {
        f"spider/{name}.py": "import spider.engine\n" for name in ("http", "settings", "signals", "exceptions", "item")}
    for name in ("crawlers", "downloaders", "extensions", "middlewares", "pipelines", "selectors"):
        files[f"spider/{name}/__init__.py"] = ""
        files[f"spider/{name}/core.py"] = "import spider.engine\n"
    repo.commit(files, message="a package of subpackages")
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", str(store), "--format", "json"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["components", "--store", str(store), "--format", "json"]).stdout)
    assert ("spider", ["spider/*"]) in [(c["name"], c["paths"]) for c in listed["components"]]
    shown = runner.invoke(app, ["components", "--store", str(store)], env={"COLUMNS": "80"}).stdout
    header = next(line for line in shown.splitlines() if "name" in line and "modules" in line)
    assert " in " in header and "paths" not in header
    assert "│ spider/* " in shown and "│ spider/ " in shown and "spider/middlewares/**" not in shown
    assert "in: the folder holding the directory of its name (in: spider/ is spider/NAME/**); a path pattern, the " \
           "files of the others" in " ".join(shown.split())


@pytest.fixture(scope="module")
def with_documentation(tmp_path_factory):
    """Two code components and ``docs``, whose files the truck factor does not count (Linguist: documentation)."""
    from fixtures.gitrepo import GitRepo

    base = tmp_path_factory.mktemp("documentation")
    repo = GitRepo(base / "repo")
    repo.commit({"alpha/__init__.py": "", "alpha/one.py": "import beta.two\n", "beta/__init__.py": "", "beta/two.py": "X = 2\n",
                 "docs/guide.md": "# Guide\n\nHow to use it.\n", "docs/examples/demo.py": "import alpha.one\n"},
                message="code and its documentation")
    store = base / "store"
    assert CliRunner().invoke(app, ["ingest", str(repo.root), "--store", str(store), "--format", "json"]).exit_code == 0
    return store


def test_a_component_with_no_file_the_truck_factor_counts_has_none_not_zero(with_documentation):
    """A truck factor of 0 says every author is gone; documentation has no truck factor at all (prometheus's
    ``documentation/``, Go examples in it, showed "TF 0" beside components at risk)."""
    store = str(with_documentation)
    runner = CliRunner()
    listed = {c["name"]: c for c in json.loads(runner.invoke(app, ["components", "--store", store, "--format", "json"]).stdout)["components"]}
    assert listed["docs"]["files"] >= 1 and listed["docs"]["truck_factor"] is None and listed["docs"]["human_truck_factor"] is None
    assert listed["alpha"]["truck_factor"] == 1
    card = json.loads(runner.invoke(app, ["explore", "docs", "--store", store, "--format", "json"]).stdout)
    assert card["bus_factor"]["truck_factor"] is None and card["bus_factor"]["at_risk"] is False
    shown = " ".join(runner.invoke(app, ["explore", "docs", "--store", store]).stdout.split())
    assert "no truck factor: none of its files is one the truck factor counts" in shown and "truck factor 0" not in shown
    md = runner.invoke(app, ["explore", "docs", "--store", store, "--format", "markdown"]).stdout
    assert "- Truck factor: none, none of its files is one the truck factor counts" in md

    table = runner.invoke(app, ["components", "--store", store], env={"COLUMNS": "120"}).stdout
    docs_row = next(line for line in table.splitlines() if line.startswith("│ docs "))
    assert docs_row.rstrip("│ ").endswith("–") and "–: not counted" in " ".join(table.split())
    report = json.loads(runner.invoke(app, ["bus-factor", "--store", store, "--format", "json"]).stdout)
    assert "docs" not in {c["name"] for c in report["components"]}  # listed only when named
    named = json.loads(runner.invoke(app, ["bus-factor", "--store", store, "--component", "docs", "--format", "json"]).stdout)
    assert [(c["name"], c["truck_factor"], c["at_risk"]) for c in named["components"]] == [("docs", None, False)]
    shown = runner.invoke(app, ["bus-factor", "--store", store, "--component", "docs"], env={"COLUMNS": "120"}).stdout
    assert "Knowledge holders" not in shown and "–: not counted" in " ".join(shown.split())
    drilled = " ".join(runner.invoke(app, ["bus-factor", "--store", store, "--path", "docs"]).stdout.split())
    assert "docs/: no truck factor: none of its files" in drilled and "Knowledge holders of" not in drilled


def _everything_uses_everything(tmp_path, names: list[str]) -> tuple[CliRunner, str]:
    """A store of a repository whose packages ``names`` each import all the others."""
    from fixtures.gitrepo import GitRepo

    files = {f"{n}/__init__.py": "" for n in names}
    files.update({f"{n}/use.py": "".join(f"import {m}\n" for m in names if m != n) for n in names})
    repo = GitRepo(tmp_path / "repo")
    repo.commit(files, message="everything uses everything")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    return runner, store


def test_the_components_table_counts_dependencies_where_listing_them_would_fold_names(tmp_path):
    """Named while they fit; counted when, at 80 columns, every name would be cut over two lines (prometheus)."""
    runner, store = _everything_uses_everything(tmp_path, [f"component_number_{i:02d}" for i in range(8)])
    wide = runner.invoke(app, ["components", "--store", store], env={"COLUMNS": "400"}).stdout
    assert "component_number_01, component_number_02" in wide and "how many components" not in wide
    narrow = runner.invoke(app, ["components", "--store", store], env={"COLUMNS": "80"}).stdout
    assert "depends on, used by: how many components (`cairn explore NAME` names them)" in narrow
    row = next(line for line in narrow.splitlines() if line.startswith("│ component_number_00 "))
    assert [cell.strip() for cell in row.strip("│").split("│")][-3:] == ["7", "7", "1"]
    assert all(len(line) <= 80 for line in narrow.splitlines())


def test_the_components_table_counts_dependencies_where_listing_them_would_make_it_twice_as_tall(tmp_path):
    """etcd's 20 components at 80 columns: every name whole, but a name a line, 150 lines; counted, 30."""
    runner, store = _everything_uses_everything(tmp_path, [f"alpha_{i:02d}" for i in range(8)])
    narrow = runner.invoke(app, ["components", "--store", store], env={"COLUMNS": "80"}).stdout
    assert "how many components" in narrow and "alpha_01, alpha_02" not in narrow
    assert len(narrow.splitlines()) < 25
    wide = runner.invoke(app, ["components", "--store", store], env={"COLUMNS": "300"}).stdout
    assert "alpha_01, alpha_02" in wide


def test_the_reading_list_puts_people_still_here_first_and_names_three_components_each(tmp_path):
    """prometheus: someone inactive since 2019 came second of the people to ask, with "knows cmd; knows config; …"
    twenty times over."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    old = ("Old Timer", "old@example.com")
    names = ["alpha", "beta", "delta", "gamma", "omega"]
    repo.commit({f"{n}/{f}.py": f"X = '{f}'\n" for n in names for f in ("a", "b")}, author=old, message="everything",
                date="2015-01-01T00:00:00+00:00")
    repo.commit({"zeta/a.py": "Y = 1\n", "zeta/b.py": "Y = 2\n"}, author=("New Comer", "new@example.com"),
                message="a new part", date="2024-06-01T00:00:00+00:00")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    people = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["people"]
    assert [(p["name"], p["active"]) for p in people] == [("New Comer", True), ("Old Timer", False)]
    assert people[0]["why"] == "knows zeta"
    assert people[1]["why"] == "knows alpha, beta, delta +2 more components"


def test_whom_to_ask_first_about_a_component_whose_authors_left_comes_among_the_people_to_ask(tmp_path):
    """celery's code is all Ask Solem's (inactive since 2017): its people to ask were those who had written a test
    file or two (one of them a single commit), not the maintainers changing its code now, whom bus-factor and
    who-knows name to ask first."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    old, fixer, tester = ("Old Timer", "old@example.com"), ("Main Tainer", "main@example.com"), ("Tess Ter", "tess@example.com")
    repo.commit({f"core/{f}.py": "".join(f"V{i} = {i}\n" for i in range(40)) for f in "abcd"}, author=old,
                message="the core", date="2015-01-01T00:00:00+00:00")
    for n in range(5):  # (his many changes: one fix later makes nobody else an author)
        repo.commit({f"core/{f}.py": "".join(f"V{i} = {i * (n + 2)}\n" for i in range(40)) for f in "abcd"}, author=old,
                    message=f"more {n}", date=f"2015-0{n + 2}-01T00:00:00+00:00")
    for n, f in enumerate("abc"):
        repo.commit({f"core/{f}.py": "".join(f"V{i} = {i + (i == 3)}\n" for i in range(40))}, author=fixer,
                    message=f"fix {f}", date=f"2024-0{n + 4}-01T00:00:00+00:00")
    repo.commit({"tests/test_core.py": "def test_core():\n    assert True\n"}, author=tester,
                message="a test", date="2024-06-01T00:00:00+00:00")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    people = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["people"]
    assert [(p["name"], p["why"], p["active"]) for p in people] == [
        ("Main Tainer", "ask first about core", True), ("Tess Ter", "knows tests", True),
        ("Old Timer", "knows core", False)]


def test_a_declared_owner_of_many_components_is_named_with_three_of_them(tmp_path):
    """tauri's @tauri-apps/wg-tauri owns all 19 components: its reason named each, over eight lines at 80 columns."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    names = ["alpha", "beta", "delta", "gamma", "omega"]
    repo.commit({f"{n}/{f}.py": f"X = '{f}'\n" for n in names for f in ("a", "b")} | {".github/CODEOWNERS": "* @org/core\n"},
                message="everything")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    people = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["people"]
    assert next(p["why"] for p in people if p["name"] == "@org/core") == \
        "declared owner of alpha, beta, delta +2 more components"


def test_central_modules_named_by_their_files_beside_others_are_one_column(tmp_path):
    """tauri: Rust and TypeScript modules are named by their files, a Kotlin class by its name: the file column was
    empty but for one row; one column then, a file under its module's name where the two differ."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"web/src/core.ts": "export const x = 1;\n",
                 **{f"web/src/use{i}.ts": "import { x } from './core';\nexport const y = x;\n" for i in range(4)},
                 "py/app/__init__.py": "", "py/app/base.py": "X = 1\n",
                 **{f"py/app/use{i}.py": "from app.base import X\n" for i in range(4)}}, message="two languages")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    modules = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["modules"]
    assert {"web/src/core.ts", "app.base"} <= {m["module"] for m in modules}
    shown = runner.invoke(app, ["reading-list", "--store", store], env={"COLUMNS": "80"}).stdout
    header = shown.split("2. Central modules")[1].split("┡")[0]
    assert [line.count("┃") for line in header.splitlines() if line.startswith("┃")] == [4, 4]  # #, module/file, count
    assert "module" in header.splitlines()[-2] and "file" in header.splitlines()[-1]
    rows = [line.split("│")[2].strip() for line in shown.split("2. Central modules")[1].split("3.")[0].splitlines()
            if line.startswith("│")]
    assert "web/src/core.ts" in rows and rows[rows.index("app.base") + 1] == "py/app/base.py"


def test_central_modules_leave_out_modules_nobody_imports_and_give_their_language_no_places(tmp_path):
    """Sphinx: two of its 70 translation catalogs (locale/*/LC_MESSAGES/sphinx.js, imported by nothing) were among the
    eight central modules, their files having given JavaScript its places."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"app/__init__.py": "", "app/base.py": "X = 1\n", "app/util.py": "from app.base import X\n",
                 **{f"app/use{i}.py": "from app.base import X\nfrom app.util import X as Y\n" for i in range(4)},
                 **{f"app/locale/{lang}/catalog.js": "var Documentation = {};\n" for lang in ("ar", "bg", "ca", "cs",
                                                                                                  "da", "de", "el", "es")}},
                message="a package and its catalogs")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    modules = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["modules"]
    assert {"app.base", "app.util"} <= {m["module"] for m in modules}
    assert all(m["imported_by"] > 0 for m in modules) and not any(m["module"].endswith(".js") for m in modules)


def test_central_modules_weigh_pagerank_by_how_many_import_them(tmp_path):
    """PageRank flows a central module's rank to what it imports however few others do: containerd's
    internal/lazyregexp (imported by 4) came second, above plugins (by 64). A newcomer reads first what many use."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    files = {"app/__init__.py": "", "app/tiny.py": "X = 1\n", "app/core.py": "from app.tiny import X\n",
             "app/util.py": "Y = 2\n"}
    files |= {f"app/use{i}.py": "from app.core import X\nfrom app.util import Y\n" for i in range(6)}
    repo.commit(files, message="a core, a helper only the core uses, a utility many use")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    modules = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["modules"]
    order = [m["module"] for m in modules]
    assert order.index("app.core") < order.index("app.tiny") and order.index("app.util") < order.index("app.tiny")


def test_central_modules_name_a_file_once_when_the_module_name_repeats_it():
    """A Go package's import path ends with its directory, a TypeScript module is its file: one column, not two."""
    from cairn.api.commands.explore import _module_and_file

    assert _module_and_file("github.com/prometheus/prometheus/model/labels", "model/labels") == ("model/labels", "")
    assert _module_and_file("web/ui/src/state.ts", "web/ui/src/state.ts") == ("web/ui/src/state.ts", "")
    assert _module_and_file("sqlalchemy.exc", "lib/sqlalchemy/exc.py") == ("sqlalchemy.exc", "lib/sqlalchemy/exc.py")
    assert _module_and_file("github.com/x/labels2", "model/labels") == ("github.com/x/labels2", "model/labels")


def test_who_knows_says_the_reviews_of_a_holder_who_made_no_change(tmp_path):
    """flask's app.py listed its co-authors as having made "0 to 0 files": a holder with no change of the files is
    there for their reviews (a co-author trailer among them), and the table says so."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"lib/a.py": "A = 1\n"}, author=("Ada", "ada@example.com"), message="start")
    repo.commit({"lib/a.py": "A = 2\n"}, author=("Bob", "bob@example.com"), message="change",
                trailers=["Co-authored-by: Cy <cy@example.com>"])
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    shown = runner.invoke(app, ["who-knows", "lib/a.py", "--store", store], env={"COLUMNS": "100"}).stdout
    row = next(line for line in shown.splitlines() if line.startswith("│ Cy"))
    assert "1 review" in row and "0 to 0" not in shown
    assert "1 to 1 file" in next(line for line in shown.splitlines() if line.startswith("│ Bob"))


def test_who_knows_on_the_command_line_answers_as_the_api_and_the_agent_tool(shop):
    """The HTTP API and the MCP tool had it; a person at a terminal had to read the bus factor of a whole component."""
    from cairn.api.services import reads
    from cairn.api.services.workspace import Workspace

    store = str(shop[0])
    runner = CliRunner()
    paths = ["src/shop/core/models.py", "src/shop/billing", "src/shop/billing/new_file.py"]
    listed = runner.invoke(app, ["who-knows", *paths, "--store", store, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    with Workspace(store, naming_hint="") as ws:
        assert json.loads(listed.stdout) == json.loads(json.dumps(reads.who_knows(ws, None, paths, limit=5), default=str))
    shown = runner.invoke(app, ["who-knows", *paths, "--store", store], env={"COLUMNS": "80"}).stdout
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert "src/shop/core/models.py (file; component core)" in shown and "ask first: " in shown
    assert ("src/shop/billing/new_file.py (no history kept for it; component billing): answered from src/shop/billing/"
            in " ".join(shown.split()))
    assert "│ Ada Lovelace " in shown
    # the owners are cut to --limit as the holders are, and say so (etcd's seven approvers showed as five)
    cut = json.loads(runner.invoke(app, ["who-knows", "src/shop", "--limit", "1", "--store", store, "--format", "json"]).stdout)
    assert len(cut["paths"][0]["codeowners"]) == 1 and cut["paths"][0]["more_codeowners"] == 1
    shown = runner.invoke(app, ["who-knows", "src/shop", "--limit", "1", "--store", store], env={"COLUMNS": "80"}).stdout
    assert "and 1 more (--limit 2 for all)" in " ".join(shown.split())
    missing = runner.invoke(app, ["who-knows", "--store", store])
    assert missing.exit_code == 2 and "PATH" in missing.stderr


def test_the_card_names_eight_knowledge_holders_and_counts_the_rest(tmp_path):
    """prometheus's tsdb card listed 38 holders in one paragraph; a newcomer reads the first eight."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"alpha/__init__.py": "", "beta/__init__.py": "", "beta/b.py": "import alpha\n"}, message="two packages")
    for i in range(11):
        repo.commit({f"alpha/f{i:02d}.py": f"X = {i}\n"}, author=(f"Person {chr(65 + i)}", f"p{i}@example.com"), message=f"file {i}")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    card = json.loads(runner.invoke(app, ["explore", "alpha", "--store", store, "--format", "json"]).stdout)
    assert len(card["bus_factor"]["knowledge_holders"]) == 12  # all of them in JSON (the package's author too)
    shown = " ".join(runner.invoke(app, ["explore", "alpha", "--store", store]).stdout.split())
    assert "+4 more (--format json lists them all)" in shown and shown.count("(8%)") == 8
    md = runner.invoke(app, ["explore", "alpha", "--store", store, "--format", "markdown"]).stdout
    assert "and 4 more" in md


def test_a_component_codeowners_declares_says_so_and_not_that_the_configuration_did(tmp_path):
    # crossplane: CODEOWNERS gives internal/controller/pkg/ owners of its own, a component inside internal
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "xp")
    repo.commit({
        ".github/CODEOWNERS": "* @crossplane/maintainers\n/internal/controller/pkg/ @turkenh\n",
        **{f"internal/controller/pkg/f{i}.go": "package pkg\n" for i in range(4)},
        **{f"internal/controller/apiext/a{i}.go": "package apiext\n" for i in range(4)},
        **{f"internal/engine/e{i}.go": "package engine\n" for i in range(4)},
    })
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    card = json.loads(runner.invoke(app, ["explore", "controller/pkg", "--store", store, "--format", "json"]).output)
    assert (card["description"], card["purpose_source"]) == (
        "declared in .github/CODEOWNERS line 2 (/internal/controller/pkg/)", "CODEOWNERS")


def test_the_components_table_shows_a_long_path_without_its_middle_folders(tmp_path):
    """Spring Petclinic's src/main/java/org/springframework/samples/petclinic/owner/** took four lines a path."""
    from fixtures.gitrepo import GitRepo

    runner = CliRunner()
    repo = GitRepo(tmp_path / "petclinic")
    base = "src/{}/java/org/springframework/samples/petclinic"
    repo.commit({**{f"{base.format(s)}/{pkg}/{c}.java": f"package org.springframework.samples.petclinic.{pkg};\n"
                    f"class {c} {{}}\n" for s in ("main", "test") for pkg in ("owner", "vet") for c in ("A", "B")},
                 "src/main/resources/templates/a.html": "<p></p>\n"}, message="petclinic")
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", str(store)]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["components", "--store", str(store), "--format", "json"]).stdout)
    assert {c["name"]: c["paths"] for c in listed["components"]}["owner"] == [
        "src/main/java/org/springframework/samples/petclinic/owner/**",
        "src/test/java/org/springframework/samples/petclinic/owner/**"]
    shown = runner.invoke(app, ["components", "--store", str(store)], env={"COLUMNS": "80"}).stdout
    assert "…/owner/**" in shown and "springframework" not in shown and shown.count("…/owner/**") == 1
    assert "…: folders left out of a long path" in shown


def test_a_card_without_a_readme_takes_the_purpose_its_package_states(tmp_path):
    """rich's card had no purpose: its README is the repository's, and rich/__init__.py opens with "Rich text and
    beautiful formatting in the terminal."; etcd's pkg/proxy/doc.go says it is a proxy for fault testing."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"alpha/__init__.py": '"""Alpha parses the input\nfiles into records."""\n', "alpha/a.py": "X = 1\n",
                 "beta/__init__.py": "", "beta/b.py": "import alpha\n",
                 "README.md": "# Repo\n\nThe whole repository.\n"}, message="two packages")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    card = json.loads(runner.invoke(app, ["explore", "alpha", "--store", store, "--format", "json"]).stdout)
    assert (card["description"], card["purpose_source"]) == ("Alpha parses the input files into records.", "alpha/__init__.py")
    shown = runner.invoke(app, ["explore", "alpha", "--store", store], env={"COLUMNS": "80"}).stdout
    assert "Alpha parses the input files into records." in shown and "from alpha/__init__.py" in shown
    beta = json.loads(runner.invoke(app, ["explore", "beta", "--store", store, "--format", "json"]).stdout)
    assert (beta["description"], beta["purpose_source"]) == (None, None)  # not the repository's README


def _ingested_purposes(root: Path, store: str):
    """Ingest the repository at ``root`` into ``store``; the function that gives a component's card's purpose and its
    source, by the component's name, as ``cairn explore NAME --format json`` says them."""
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(root), "--store", store, "--format", "json"]).exit_code == 0

    def purpose(name: str) -> tuple[str | None, str | None]:
        card = json.loads(runner.invoke(app, ["explore", name, "--store", store, "--format", "json"]).stdout)
        return card["description"], card["purpose_source"]

    return purpose


def test_a_go_component_of_packages_takes_the_comment_of_the_package_it_is_named_for(tmp_path):
    """traefik's pkg/config/ holds no Go file, only packages: the comment of its namesake package is what it is; a
    comment right above the package clause of the file named as its package is one, though not "Package NAME …"
    (loki's bloomgateway.go), a licence right above it none (jaeger's jptrace)."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"go.mod": "module example.com/proxy\n\ngo 1.22\n",
                 "pkg/config/config/doc.go": "// Package config holds what the proxy is told to do.\npackage config\n",
                 "pkg/config/config/c.go": "package config\n\nimport _ \"example.com/proxy/pkg/config/label\"\n",
                 "pkg/config/label/label.go": "// Package label decodes labels.\npackage label\n",
                 "pkg/gateway/gateway.go": "/*\nThe gateway filters the requests of the proxy.\n*/\npackage gateway\n\n"
                                           "import _ \"example.com/proxy/pkg/config/config\"\n",
                 "pkg/trace/trace.go": "// Copyright (c) 2024 The Authors.\n// SPDX-License-Identifier: Apache-2.0\n"
                                       "package trace\n\nimport _ \"example.com/proxy/pkg/config/config\"\n"},
                message="three packages")
    purpose = _ingested_purposes(repo.root, str(tmp_path / "store"))

    assert purpose("config") == ("Package config holds what the proxy is told to do.", "pkg/config/config/doc.go")
    assert purpose("gateway") == ("The gateway filters the requests of the proxy.", "pkg/gateway/gateway.go")
    assert purpose("trace") == (None, None)


def test_a_readme_whose_prose_sits_under_a_section_gives_way_to_what_the_package_says(tmp_path):
    """tauri's ten crate READMEs open on badges and a version table ("| Component | Version |", once the card's
    purpose), then "## About Tauri", the same paragraph in each: what the crate's own doc says of it comes first. A
    lead paragraph under the title stays the purpose; a section's is one when the package says nothing."""
    from fixtures.gitrepo import GitRepo

    about = "## About Shop\n\nShop is a framework for building shops.\n\n## This module\n\nThe glue.\n"
    table = "| Component | Version |\n| --------- | ------- |\n| core | 1.0 |\n\n"
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"core/__init__.py": '"""The domain model: orders and prices."""\n', "core/a.py": "X = 1\n",
                 "core/README.md": "# Core\n\n[![ci](ci.svg)](ci)\n\n" + table + about,
                 "web/__init__.py": "", "web/b.py": "import core\n", "web/README.md": "# Web\n\n" + table + about,
                 "api/__init__.py": '"""Routes."""\n', "api/c.py": "import core\n",
                 "api/README.md": "# API\n\nThe HTTP routes of the shop.\n\n" + about}, message="three packages")
    store = str(tmp_path / "store")
    purpose = _ingested_purposes(repo.root, store)

    assert purpose("core") == ("The domain model: orders and prices.", "core/__init__.py")
    assert purpose("web") == ("Shop is a framework for building shops.", "web/README.md")  # the package says nothing
    assert purpose("api") == ("The HTTP routes of the shop.", "api/README.md")  # a lead paragraph


def test_a_readmes_title_gives_the_purpose_where_it_says_what_the_component_is(tmp_path):
    """mypy's mypyc read "For the mypyc README, refer to the mypyc repository." under "mypyc: Mypy to Python C Extension
    Compiler"; eslint's docs "Install all required dependencies … inside the docs folder:", a section's paragraph under
    "ESLint Documentation"; mypy's own package had none, the repository's README being skipped although the component
    is what the repository is named for. A title that is only the name is no purpose."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "shop")
    repo.commit({"compiler/README.md": "compiler: Shop to C Extension Compiler\n=====\n\nFor the README, see [elsewhere](x).\n",
                 "compiler/a.py": "X = 1\n",
                 "docs/README.md": "# Shop Documentation\n\n## Install\n\nInstall what the site needs by running:\n\n```\nnpm i\n```\n",
                 "docs/b.py": "Y = 2\n",
                 "web/README.md": "# Web\n\n## Run\n\nRun it with:\n\n```\nweb\n```\n", "web/c.py": "Z = 3\n",
                 "shop/__init__.py": "# no docstring\n", "shop/d.py": "W = 4\n",
                 "README.md": "<img src=logo.svg>\n\nShop: Static Shops for Python\n=====\n\n## Questions?\n\nAsk us.\n"},
                message="four folders")
    store = str(tmp_path / "store")
    purpose = _ingested_purposes(repo.root, store)

    assert purpose("compiler") == ("Shop to C Extension Compiler", "compiler/README.md")
    assert purpose("docs") == ("Shop Documentation", "docs/README.md")
    assert purpose("web") == (None, None)
    assert purpose("shop") == ("Static Shops for Python", "README.md")
    overview = CliRunner().invoke(app, ["explore", "--store", store], env={"COLUMNS": "80"}).stdout
    assert "Static Shops for Python" in overview and "Shop Documentation" in overview


def test_a_generated_readme_gives_way_to_what_the_package_says(tmp_path):
    """uv's 66 crates read "This crate is an internal component of uv.", each README generated ("<!-- This file is
    generated. DO NOT EDIT -->"), while uv-python's lib.rs says "Find requested Python interpreters and query
    interpreters for information."; a generated README stays the purpose where the package says nothing."""
    from fixtures.gitrepo import GitRepo

    generated = "<!-- This file is generated. DO NOT EDIT -->\n\n# {0}\n\nThis package is an internal part of the shop.\n"
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"finder/README.md": generated.format("finder"), "finder/__init__.py": '"""Find the shelves of a shop."""\n',
                 "finder/a.py": "X = 1\n", "plain/README.md": generated.format("plain"), "plain/__init__.py": "",
                 "plain/b.py": "import finder\n"}, message="two packages")
    store = str(tmp_path / "store")
    purpose = _ingested_purposes(repo.root, store)

    assert purpose("finder") == ("Find the shelves of a shop.", "finder/__init__.py")
    assert purpose("plain") == ("This package is an internal part of the shop.", "plain/README.md")


def test_a_readme_lead_of_the_whole_project_or_too_long_for_a_glance_gives_way(tmp_path):
    """drizzle's sqlite-core/README.md opens "Drizzle ORM is a tiny, blazingly fast TypeScript ORM library…" (the
    repository's pitch, the card's purpose) then "Here you can find extensive docs for SQLite module."; the README of
    eslint-plugin-drizzle "For cases where it's impossible to perform type checks…, we've decided to create an ESLint
    package…", cut at a glance, while its package.json says "Eslint plugin for drizzle users to avoid common
    pitfalls". A sentence saying what the repository is stays in the README of the component named so; a long lead
    stays where the package says nothing."""
    from fixtures.gitrepo import GitRepo

    rationale = ("For cases where it is impossible to check the types of a query, or where it is possible but the "
                 "messages would be hard to understand, we have decided to write a plugin with rules. It helps.")
    repo = GitRepo(tmp_path / "shop-store")
    repo.commit({"lib/src/sqlite/README.md": "<div><h1>Shop Store | SQLite</h1></div>\n\nShop Store is a tiny, fast "
                                             "store. Here you find the docs of the SQLite module.\n",
                 "lib/src/sqlite/s.js": "module.exports = 1\n",
                 "shop-store/README.md": "# Shop Store\n\nShop Store is a tiny, fast store.\n",
                 "shop-store/index.js": "module.exports = 2\n",
                 "lint/README.md": f"# lint\n\n{rationale}\n", "lint/index.js": "module.exports = 3\n",
                 "lint/package.json": '{"name": "lint", "description": "A plugin to avoid common pitfalls"}\n',
                 "long/README.md": f"# long\n\n{rationale}\n", "long/index.js": "module.exports = 4\n"},
                message="parts")
    purpose = _ingested_purposes(repo.root, str(tmp_path / "store"))

    assert purpose("sqlite") == ("Here you find the docs of the SQLite module.", "lib/src/sqlite/README.md")
    assert purpose("shop-store") == ("Shop Store is a tiny, fast store.", "shop-store/README.md")
    assert purpose("lint") == ("A plugin to avoid common pitfalls", "lint/package.json description")
    assert purpose("long") == (rationale, "long/README.md")


def test_an_architecture_document_describes_the_folders_that_say_nothing_themselves(tmp_path):
    """eslint's lib/linter, lib/rules and lib/rule-tester had no purpose, while its
    docs/src/contribute/architecture/index.md says what each is ("- `lib/linter/` - this module is the core `Linter`
    class…"). A file or a sub-folder named there describes that, not the component; a README still comes first."""
    from fixtures.gitrepo import GitRepo

    document = ("---\ntitle: Architecture\n---\n\nThe key parts:\n\n"
                "- `bin/shop.js` - the file that runs.\n"
                "- `lib/cart/` - this module holds the `Cart` class that sums [the prices](x) of an order.\n"
                "- `lib/pay/stripe/` - the Stripe payments only.\n"
                "- **`lib/web`**: the routes of the shop.\n"
                "- `lib/docs/` - not read: the folder's README says it.\n")
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"docs/src/contribute/architecture/index.md": document, "bin/shop.js": "require('../lib/cart')\n",
                 "lib/cart/cart.js": "module.exports = 1\n", "lib/pay/pay.js": "module.exports = 2\n",
                 "lib/pay/stripe/s.js": "module.exports = 3\n", "lib/web/web.js": "module.exports = 4\n",
                 "lib/docs/d.js": "module.exports = 5\n", "lib/docs/README.md": "# Docs\n\nThe help pages of the shop.\n"},
                message="parts")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["components", "--store", store, "--format", "json"]).stdout)["components"]
    by_folder = {tuple(c["paths"]): c["name"] for c in listed}

    def purpose(folder):
        card = json.loads(runner.invoke(app, ["explore", by_folder[(f"{folder}/**",)], "--store", store,
                                              "--format", "json"]).stdout)
        return card["description"], card["purpose_source"]

    source = "docs/src/contribute/architecture/index.md"
    assert purpose("lib/cart") == ("This module holds the Cart class that sums the prices of an order.", source)
    assert purpose("lib/web") == ("The routes of the shop.", source)
    assert purpose("lib/pay") == (None, None)
    assert purpose("bin") == (None, None)
    assert purpose("lib/docs") == ("The help pages of the shop.", "lib/docs/README.md")


def test_the_repositorys_readme_describes_the_modules_its_tables_and_lists_name(tmp_path):
    """Exposed's README has a table of its modules ("| `exposed-crypt` | Provides additional column types to store
    encrypted data… |"), the only word on 26 of its 29 modules, which had no purpose. A row names a folder by its
    path (as code or text) or by a link to it; a cell of badges or marks is no description; a module's own README still
    comes first, and an architecture document before the README."""
    from fixtures.gitrepo import GitRepo

    readme = ("# Shop\n\nShop sells things.\n\n| Module | Function |\n|---|---|\n"
              "| `shop-core` | Provides the **orders** and the [prices](x) of the shop <br> and no more. |\n"
              "| shop-web | Serves the pages of the shop |\n"
              "| [Pay](libs/pay) | Takes the payments by card |\n"
              "| `shop-docs` | The help pages, as the README says |\n"
              "| `shop-arch` | What the README says of it |\n| `@shop/mailer` | Sends the mails of the shop |\n\n"
              "| Package | Version |\n|---|---|\n| `shop-cli` | [![v](https://img/v.svg)](x) |\n\n"
              "* `shop-cli` - prints the orders of the day.\n")
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"README.md": readme, "ARCHITECTURE.md": "- `shop-arch/` - what the architecture says of it.\n",
                 "shop-core/core.js": "module.exports = 1\n", "shop-web/web.js": "require('../shop-core/core')\n",
                 "libs/pay/pay.js": "module.exports = 2\n", "shop-cli/cli.js": "module.exports = 3\n",
                 "shop-docs/d.js": "module.exports = 4\n", "shop-docs/README.md": "# Docs\n\nThe help pages.\n",
                 "shop-arch/a.js": "module.exports = 5\n", "shop-misc/m.js": "module.exports = 6\n",
                 "package.json": '{"name": "shop", "private": true, "workspaces": ["mailer"]}\n',
                 "mailer/package.json": '{"name": "@shop/mailer"}\n', "mailer/index.js": "module.exports = 7\n"},
                message="modules")
    purpose = _ingested_purposes(repo.root, str(tmp_path / "store"))

    assert purpose("shop-core") == ("Provides the orders and the prices of the shop and no more.", "README.md")
    assert purpose("shop-web") == ("Serves the pages of the shop", "README.md")
    assert purpose("pay") == ("Takes the payments by card", "README.md")
    assert purpose("shop-cli") == ("Prints the orders of the day.", "README.md")  # the list, not the badges
    assert purpose("shop-docs") == ("The help pages.", "shop-docs/README.md")
    assert purpose("shop-arch") == ("What the architecture says of it.", "ARCHITECTURE.md")
    assert purpose("mailer") == ("Sends the mails of the shop", "README.md")  # named by its package
    assert purpose("shop-misc") == (None, None)


def test_the_reading_lists_people_are_ranked_by_the_files_they_author_not_by_the_components_they_lead(tmp_path):
    """commons-lang's third person to ask led only ``external``, one test class: leading a component of one file
    counted as much as leading one of a hundred. Ranked by the files of the scope they are authors of."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    cat, bo, al = ("Cat Core", "cat@example.com"), ("Bo Big", "bo@example.com"), ("Al Aside", "al@example.com")
    repo.commit({f"big/c{i}.py": f"C = {i}\n" for i in range(6)}, author=cat, message="core", date="2024-05-01T00:00:00+00:00")
    repo.commit({f"big/b{i}.py": f"B = {i}\n" for i in range(4)}, author=bo, message="more", date="2024-05-02T00:00:00+00:00")
    repo.commit({"tiny/a.py": "A = 1\n"}, author=al, message="aside", date="2024-05-03T00:00:00+00:00")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    people = json.loads(runner.invoke(app, ["reading-list", "--store", store, "--format", "json"]).stdout)["people"]
    assert [p["name"] for p in people] == ["Cat Core", "Bo Big", "Al Aside"]
