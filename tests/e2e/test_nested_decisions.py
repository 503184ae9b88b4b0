"""Decision records kept below the top of a repository, as Open edX keeps them: found, read, governing their part.

openedx/credentials keeps its project-wide records in ``docs/decisions/`` and each Django app's in
``credentials/apps/<app>/docs/decisions/``, all in reStructuredText; every record names the product,
``credentials``, which is also the name of a component (its package's own modules).
"""

from __future__ import annotations

import json

import pytest

from fixtures.cli import CliRunner
from fixtures.gitrepo import GitRepo

from cairn.api.cli import app
from cairn.ingest.adrs import nested_adr_folders


def _record(title: str, status: str, body: str) -> str:
    return f"{title}\n{'#' * len(title)}\n\nStatus\n******\n\n{status}\n\nContext\n*******\n\n{body}\n"


def test_nested_decision_folders_are_read_and_govern_the_part_that_keeps_them(tmp_path):
    repo = GitRepo(tmp_path / "credentials")
    code = {f"credentials/apps/{app}/{name}.py": "import os\n" for app in ("catalog", "core", "api") for name in ("a", "b")}
    code.update({"credentials/settings/base.py": "X = 1\n", "credentials/settings/test.py": "X = 2\n",
                 "credentials/urls.py": "Y = 2\n", "credentials/wsgi.py": "Z = 3\n", "credentials/utils.py": "U = 4\n"})
    product = "The credentials service issues credentials to learners; credentials are signed."
    repo.commit({
        **code,
        "docs/decisions/0001-record-architecture-decisions.rst": _record("0001 Record Decisions", "Accepted", product),
        "docs/decisions/0002-copy-core-data.rst": _record("0002 Copy core data locally", "Accepted",
                                                          product + " The core app copies the catalog."),
        "credentials/apps/catalog/docs/decisions/0001-sync-all-catalog-data.rst": _record(
            "Catalog Data Sync", "Accepted", product + " We sync everything nightly."),
        "credentials/apps/api/docs/decisions/0001-post-as-update-or-create.md": (
            "# 1. POST as update-or-create\n\n## Status\n\nAccepted\n\n## Context\n\n" + product + "\n"),
        "credentials/apps/core/docs/guide.rst": "How to\n======\n\nNot a decision.\n",
        "credentials/apps/core/docs/decisions/0001-settings.rst": _record(
            "Configuration", "Proposed", product + " Read from ``credentials.urls``."),
    }, date="2021-04-01T10:00:00+00:00")
    repo.commit({"docs/decisions/0003-dated.rst": _record("0003 Dated", "Accepted", ":Date: 2020-01-02\n\nStated.")
                 .replace("Status\n******", ":Date: 2020-01-02\n\nStatus\n******"),
                 "credentials/apps/catalog/docs/decisions/0002-pathway-status.rst": _record("Pathway Status", "Accepted", "P.")},
                date="2025-02-27T09:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    governs = {d["path"]: d["components"] for d in data["decisions"]}
    assert governs == {
        "credentials/apps/api/docs/decisions/0001-post-as-update-or-create.md": ["api"],
        "credentials/apps/catalog/docs/decisions/0001-sync-all-catalog-data.rst": ["catalog"],
        # kept in core's folder; the product's name, in every record, is no evidence, a module of it in code is
        "credentials/apps/core/docs/decisions/0001-settings.rst": ["core", "credentials"],
        "docs/decisions/0001-record-architecture-decisions.rst": [],
        "docs/decisions/0002-copy-core-data.rst": ["core"],  # catalog: named once, too little
        "credentials/apps/catalog/docs/decisions/0002-pathway-status.rst": ["catalog"],
        "docs/decisions/0003-dated.rst": [],
    }
    # a record stating no date is dated by the commit that added it, and says so
    dated = {d["path"]: (d["date"], d["date_from"]) for d in data["decisions"]}
    assert dated["credentials/apps/api/docs/decisions/0001-post-as-update-or-create.md"] == ("2021-04-01", "history")
    assert dated["credentials/apps/catalog/docs/decisions/0002-pathway-status.rst"] == ("2025-02-27", "history")
    assert dated["docs/decisions/0003-dated.rst"] == ("2020-01-02", "record")
    table = runner.invoke(app, ["adrs", "--store", store]).output
    assert "2021-04-01*" in table and "2020-01-02*" not in table and "*: the record states no date" in table
    assert {d["path"]: d["status"] for d in data["decisions"]}["credentials/apps/core/docs/decisions/0001-settings.rst"] == "proposed"


def test_nested_folders_are_the_documentation_folders_of_a_part_holding_a_record():
    paths = ["a/docs/decisions/0001-x.rst", "a/docs/decisions/sub/0002-y.md", "b/doc/adr/0001-z.md", "c/docs/adr/README",
             "d/docs/guide.md", "docs/decisions/0001-top.md", "e/decisions/0001-not-docs.md", "f/docs/adrs/0001.markdown",
             "g/src/docs/architecture/decisions/0001-deep.MD",
             # samples of tests, fixtures and examples (log4brains' integration-tests/ro-project/docs/adr)
             "packages/core/integration-tests/ro-project/docs/adr/20200101-first-adr.md", "tests/docs/adr/0001-a.md",
             "src/__fixtures__/docs/adr/0001-b.md", "examples/shop/docs/decisions/0001-c.md", "test-app/docs/adr/0001-d.md",
             "contest/docs/adr/0001-e.md"]
    # (a "decisions" folder elsewhere is one when most of its documents state a status: find_adr_folders reads them)
    assert nested_adr_folders(paths) == ["a/docs/decisions", "b/doc/adr", "contest/docs/adr", "docs/decisions",
                                         "e/decisions", "f/docs/adrs", "g/src/docs/architecture/decisions"]


def test_a_shallow_clone_dates_no_record_by_its_history(tmp_path):
    # its oldest commit seems to add every file it has: no date rather than that commit's
    from cairn.ingest.adrs.added_dates import added_dates

    repo = GitRepo(tmp_path / "full")
    repo.commit({"docs/decisions/0001-a.rst": _record("A", "Accepted", "a")}, date="2020-01-01T00:00:00+00:00")
    repo.commit({"README.md": "x\n"}, date="2024-01-01T00:00:00+00:00")
    assert added_dates(repo.root, ["docs/decisions/0001-a.rst"]) == {"docs/decisions/0001-a.rst": "2020-01-01"}
    shallow = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow))
    assert added_dates(shallow, ["docs/decisions/0001-a.rst"]) == {}


def test_numbered_records_and_folders_named_for_records_are_found_anywhere_among_the_tracked_files():
    paths = [
        # cometbft: adr-NNN records directly in docs/references/architecture, older ones in a subfolder
        "docs/references/architecture/adr-118-mempool-lanes.md", "docs/references/architecture/README.md",
        "docs/references/architecture/tendermint-core/adr-001-logging.md",
        "docs/references/architecture/adr-template.md", "docs/references/rfc/rfc-100-x.md",
        # dotcom-rendering: records numbered without "adr" in an app's docs/architecture, and folders named for them
        "app/docs/architecture/000-architecture-decision-records.md", "app/docs/architecture/005-monorepo.md",
        "app/docs/architecture/historic-adrs/dotenv.md", "app/docs/architecture/proposed-adrs/rendering-type.md",
        "app/docs/architecture/3rd-party-technical-review/001-modi-poc.md",
        # not records: an arc42 description's two-digit chapters, numbered guides outside "architecture", samples
        "docs/architecture/01_introduction_and_goals.md", "docs/guide/0001-install.md",
        "tests/fixtures/adr/0001-sample.md", "examples/docs/architecture/adr-002-sample.md",
        "decision-records/use-kafka.md", "lib/adr/README.md",
    ]
    assert nested_adr_folders(paths) == [
        "app/docs/architecture/adr-*", "app/docs/architecture/historic-adrs", "app/docs/architecture/proposed-adrs",
        "decision-records", "docs/references/architecture/adr-*", "docs/references/architecture/tendermint-core/adr-*",
        "docs/references/rfc"]  # (read only if most of its documents state a status: cometbft's do not)


def test_an_ingest_reads_the_records_kept_where_cometbft_and_dotcom_rendering_keep_them(tmp_path):
    repo = GitRepo(tmp_path / "node")
    repo.commit({
        "consensus/state.go": "package consensus\n", "consensus/reactor.go": "package consensus\n",
        "mempool/mempool.go": "package mempool\n", "mempool/lanes.go": "package mempool\n",
        "docs/references/architecture/adr-118-mempool-lanes.md": (
            "# ADR 118: Mempool QoS\n\n## Changelog\n\n- 2024-04-12: Initial notes\n- 2024-09-27: Lanes\n\n"
            "## Status\n\nAccepted\n\n## Context\n\nThe mempool gets lanes.\n"),
        "docs/references/architecture/README.md": "# Architecture Decision Records\n",
        "app/docs/architecture/005-monorepo.md": "# Monorepo\n\n## Status\n\nApproved\n\n## Decision\n\nOne repository.\n",
        "app/docs/architecture/proposed-adrs/rendering-type.md": "# Rendering type\n\n## Status: Proposed\n\n## Context\n\nx\n",
        "app/docs/architecture/3rd-party-technical-review/001-modi-poc.md": "# Modi PoC\n\nA review, not a decision.\n",
    }, date="2025-01-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store, "--format", "json"]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"]: (d["status"], d["date"], d["date_from"], d["components"]) for d in data["decisions"]}
    assert found == {
        "docs/references/architecture/adr-118-mempool-lanes.md": ("accepted", "2024-04-12", "record", ["mempool"]),
        "app/docs/architecture/005-monorepo.md": ("accepted", "2025-01-01", "history", []),
        "app/docs/architecture/proposed-adrs/rendering-type.md": ("proposed", "2025-01-01", "history", []),
    }


def test_a_record_moved_with_others_is_dated_by_its_first_addition_and_what_was_found_is_remembered(tmp_path, monkeypatch):
    # cometbft moved its records to docs/references/architecture in 2025 (and back and forth before); a record added
    # alone in a folder it was then renamed in stays dated by that rename (no commit moved several records there)
    from cairn.ingest.adrs.added_dates import added_dates

    repo = GitRepo(tmp_path / "moved")
    repo.commit({"docs/architecture/adr-001-a.md": "# A\n", "docs/architecture/adr-002-b.md": "# B\n\nsecond\n"},
                date="2018-03-01T00:00:00+00:00")
    repo.commit({"docs/architecture/adr-003-c.md": "# C\n\nthird\n"}, date="2019-05-01T00:00:00+00:00")
    repo.git("mv", "docs/architecture", "docs/references")
    repo.commit({}, message="docs: reorganise", date="2025-09-03T00:00:00+00:00")
    repo.commit({"docs/references/adr-004-d.md": "# D\n\nfourth, added alone\n"}, date="2025-10-01T00:00:00+00:00")
    paths = ["docs/references/adr-001-a.md", "docs/references/adr-002-b.md", "docs/references/adr-003-c.md",
             "docs/references/adr-004-d.md"]
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")  # (the tests' default: every skip checked)
    remembered: dict[str, list[str]] = {}
    dates = added_dates(repo.root, paths, remembered)
    assert dates == dict(zip(paths, ["2018-03-01", "2018-03-01", "2019-05-01", "2025-10-01"]))
    assert sorted(remembered) == paths and all(len(commit) == 40 for commit, _ in remembered.values())
    # remembered for the same newest addition: taken as it is, the moves not followed again …
    remembered["docs/references/adr-001-a.md"][1] = "1999-01-01"
    assert added_dates(repo.root, paths, remembered)["docs/references/adr-001-a.md"] == "1999-01-01"
    # … and under CAIRN_VERIFY_SKIPS worked out again and compared
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    with pytest.raises(AssertionError, match="adr-001-a.md"):
        added_dates(repo.root, paths, remembered)
    # a record added anew is another addition: found again
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    repo.git("rm", "-q", "docs/references/adr-001-a.md")
    repo.commit({}, message="drop", date="2026-01-01T00:00:00+00:00")
    repo.commit({"docs/references/adr-001-a.md": "# A again\n"}, date="2026-02-01T00:00:00+00:00")
    assert added_dates(repo.root, paths, remembered)["docs/references/adr-001-a.md"] == "2026-02-01"


def test_the_history_of_the_records_folders_is_read_again_only_past_the_last_ingests_commit(tmp_path, monkeypatch):
    # the git log of every addition below the records' folders reads the whole history; after one more commit on the
    # same line only that commit is read, the additions found last time standing for the rest
    from cairn.ingest.adrs.added_dates import added_dates

    repo = GitRepo(tmp_path / "line")
    repo.commit({"docs/adr/0001-a.md": "# A\n", "docs/adr/0002-b.md": "# B\n\nb\n"}, date="2018-03-01T00:00:00+00:00")
    repo.commit({"src/x.py": "x = 1\n"}, date="2019-01-01T00:00:00+00:00")
    paths = ["docs/adr/0001-a.md", "docs/adr/0002-b.md"]
    remembered: dict[str, list[str]] = {}
    last_log: dict = {}
    assert added_dates(repo.root, paths, remembered, last_log) == dict.fromkeys(paths, "2018-03-01")
    assert last_log["head"] == repo.head() and sorted(last_log["newest"]) == paths

    def tampered() -> None:  # what was kept last time says record A was added by another commit, in 1999
        last_log["newest"]["docs/adr/0001-a.md"] = ["0" * 40, "1999-01-01"]

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")  # (the tests' default: every skip checked)
    tampered()
    repo.commit({"src/x.py": "x = 2\n"}, date="2020-01-01T00:00:00+00:00")
    assert added_dates(repo.root, paths, remembered, last_log)["docs/adr/0001-a.md"] == "1999-01-01"  # taken
    assert last_log["head"] == repo.head()
    # under CAIRN_VERIFY_SKIPS the whole history is read and a wrong promise fails
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    repo.commit({"src/x.py": "x = 3\n"}, date="2020-02-01T00:00:00+00:00")
    with pytest.raises(AssertionError, match="additions kept"):
        added_dates(repo.root, paths, remembered, last_log)
    # a record added again on the line is found in the commits read
    repo.commit(delete=["docs/adr/0001-a.md"], date="2021-01-01T00:00:00+00:00")
    repo.commit({"docs/adr/0001-a.md": "# A again\n"}, date="2022-01-01T00:00:00+00:00")
    last_log.clear()
    assert added_dates(repo.root, paths, remembered, last_log)["docs/adr/0001-a.md"] == "2022-01-01"
    repo.commit(delete=["docs/adr/0001-a.md"], date="2023-01-01T00:00:00+00:00")
    repo.commit({"docs/adr/0001-a.md": "# A once more\n"}, date="2023-02-01T00:00:00+00:00")
    assert added_dates(repo.root, paths, remembered, last_log)["docs/adr/0001-a.md"] == "2023-02-01"


@pytest.mark.parametrize("since", ["merge", "rewritten", "another record"])
def test_the_whole_history_of_the_records_folders_is_read_after_a_merge_a_rewrite_or_for_another_record(
        tmp_path, monkeypatch, since):
    from cairn.ingest.adrs.added_dates import added_dates

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"docs/adr/0001-a.md": "# A\n", "docs/adr/0002-b.md": "# B\n\nb\n"}, date="2018-03-01T00:00:00+00:00")
    base = repo.commit({"src/x.py": "x = 1\n"}, date="2019-01-01T00:00:00+00:00")
    paths = ["docs/adr/0001-a.md", "docs/adr/0002-b.md"]
    last_log: dict = {}
    added_dates(repo.root, paths, {}, last_log)
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    last_log["newest"]["docs/adr/0001-a.md"] = ["0" * 40, "1999-01-01"]  # a wrong promise: must not be used
    if since == "merge":
        repo.git("checkout", "-q", "-b", "side")
        repo.commit({"src/y.py": "y = 1\n"}, date="2019-02-01T00:00:00+00:00")
        repo.git("checkout", "-q", "main")
        repo.commit({"src/x.py": "x = 2\n"}, date="2019-03-01T00:00:00+00:00")
        repo.git("merge", "-q", "--no-edit", "side", env={"GIT_AUTHOR_DATE": "2019-04-01T00:00:00+00:00",
                                                           "GIT_COMMITTER_DATE": "2019-04-01T00:00:00+00:00"})
    elif since == "rewritten":
        repo.git("reset", "-q", "--hard", f"{base}^")
        repo.commit({"src/z.py": "z = 1\n"}, date="2019-05-01T00:00:00+00:00")
    else:
        repo.commit({"src/x.py": "x = 2\n"}, date="2019-03-01T00:00:00+00:00")
        paths = [*paths, "docs/adr/0003-c.md"]
        repo.commit({"docs/adr/0003-c.md": "# C\n\nc\n"}, date="2019-06-01T00:00:00+00:00")
    assert added_dates(repo.root, paths, {}, last_log)["docs/adr/0001-a.md"] == "2018-03-01"


def _governing(repo: GitRepo, store: str):
    """A function that ingests ``repo`` into ``store`` and gives the components its first record governs."""
    runner = CliRunner()

    def governed() -> list[str]:
        result = runner.invoke(app, ["ingest", str(repo.root), "--store", store])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["adrs", "--store", store, "--format", "json"])
        return json.loads(result.stdout)["decisions"][0]["components"]

    return governed


def test_a_record_naming_a_crate_governs_its_component_until_the_crate_is_renamed(tmp_path):
    # hermes: ADR-011 speaks of the crate ibc-relayer (crates/relayer), never of its folder
    repo = GitRepo(tmp_path / "hermes")
    files = {"Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n'}
    for crate, package in (("relayer", "ibc-relayer"), ("relayer-cli", "ibc-relayer-cli"), ("telemetry", "ibc-telemetry")):
        files[f"crates/{crate}/Cargo.toml"] = f'[package]\nname = "{package}"\nversion = "0.1.0"\n'
        files.update({f"crates/{crate}/src/m{i}.rs": f"pub fn f{i}() {{}}\n" for i in range(3)})
    files["docs/architecture/adr-011-light-client-extraction.md"] = (
        "# ADR 011: Light client extraction\n\n## Status\n\nProposed\n\n## Context\n\n"
        "The light client code is spread over ibc-relayer; `ibc_relayer::light_client` moves to a crate of its own.\n")
    repo.commit(files, message="workspace and a record")
    governed = _governing(repo, str(tmp_path / "store"))

    assert governed() == ["relayer"]
    # the crate is renamed; neither the record nor the components change: the link kept for them is not taken
    repo.commit({"crates/relayer/Cargo.toml": '[package]\nname = "ibc-relayer-core"\nversion = "0.1.0"\n'},
                message="rename the crate")
    assert governed() == []


def test_a_record_naming_a_type_governs_the_component_of_its_file_while_the_file_is_there(tmp_path):
    repo = GitRepo(tmp_path / "shop")
    files = {f"{part}/src/main/java/acme/{part}/{name}.java": f"package acme.{part};\nclass {name} {{}}\n"
             for part, names in (("orders", ("OrderRepository", "Order")), ("billing", ("Invoice", "Ledger")))
             for name in names}
    files["docs/adr/0001-repositories.md"] = ("# 1. One repository per aggregate\n\n## Status\n\nAccepted\n\n"
                                              "## Decision\n\nEvery aggregate gets one: `OrderRepository` saves orders.\n")
    repo.commit(files, message="two parts and a record")
    governed = _governing(repo, str(tmp_path / "store"))

    assert governed() == ["orders"]
    # the class moves to billing: the record (unchanged) follows it, the link kept for the old files is not taken
    repo.git("mv", "orders/src/main/java/acme/orders/OrderRepository.java", "billing/src/main/java/acme/billing/")
    repo.commit(message="move the repository")
    assert governed() == ["billing"]


def test_design_proposals_are_records_their_folder_saying_how_they_were_decided(tmp_path):
    # Thanos keeps its design records in docs/proposals-{accepted,done,rejected}/ with a front matter (title, status:
    # accepted / complete / rejected) above headings such as "# Alternatives"; Tempo's docs/design-proposals/ state
    # no status; pytest's doc/en/proposals/ holds one proposal
    assert nested_adr_folders([
        "docs/proposals-accepted/202205-vertical-query-sharding.md", "docs/proposals-done/201909-sharding.md",
        "docs/proposals-rejected/201807-config.md", "docs/design-proposals/2023-05 vParquet3.md",
        "doc/en/proposals/parametrize_with_fixtures.rst", "docs/proposals-accepted/img/diagram.md",
        "tests/proposals/sample.md", "docs/proposal.md"]) == [
        "doc/en/proposals", "docs/design-proposals", "docs/proposals-accepted", "docs/proposals-done",
        "docs/proposals-rejected"]
    repo = GitRepo(tmp_path / "thanos")
    body = "## Why\n\nThe query path in `pkg/query` shards.\n\n# Alternatives\n\nNone.\n"
    repo.commit({
        "pkg/query/querier.go": "package query\n", "pkg/query/shard.go": "package query\n",
        "pkg/store/bucket.go": "package store\n", "pkg/store/proxy.go": "package store\n",
        "docs/proposals-accepted/202205-vertical-query-sharding.md": (
            "---\ntype: proposal\ntitle: Vertical query sharding\nstatus: accepted\n---\n\n" + body),
        "docs/proposals-done/201909-sharding.md": "---\ntitle: Sharding\nstatus: complete\n---\n\n" + body,
        "docs/proposals-done/202001-health.md": "---\ntitle: Store health\n---\n\n" + body,
        "docs/proposals-rejected/201807-config.md": "---\ntitle: Cluster configuration\n---\n\n" + body,
        "docs/design-proposals/2023-05 vParquet3.md": "---\nAuthors: A\n---\n\n# vParquet3\n\n" + body,
    }, date="2025-01-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"].split("/", 1)[1]: (d["title"], d["status"], d["components"]) for d in data["decisions"]}
    assert found == {
        "proposals-accepted/202205-vertical-query-sharding.md": ("Vertical query sharding", "accepted", ["query"]),
        "proposals-done/201909-sharding.md": ("Sharding", "accepted", ["query"]),
        "proposals-done/202001-health.md": ("Store health", "accepted", ["query", "store"]),
        "proposals-rejected/201807-config.md": ("Cluster configuration", "rejected", ["query"]),
        "design-proposals/2023-05 vParquet3.md": ("vParquet3", "unknown", ["query"]),
    }
    # their names start with the year and month they were written, no number ("ADR 202205" on the page)
    assert [d["number"] for d in data["decisions"]] == [None] * 5


def test_a_go_type_named_in_a_record_governs_the_package_of_its_file(tmp_path):
    # cometbft-like: `BlockID` is types/block_id.go (a Go module's path is its package's folder, not the file)
    repo = GitRepo(tmp_path / "node")
    repo.commit({
        "types/block_id.go": "package types\n\ntype BlockID struct{}\n", "types/vote.go": "package types\n",
        "consensus/state.go": "package consensus\n", "consensus/reactor.go": "package consensus\n",
        "docs/adr/adr-001-block-ids.md": "# ADR 1: Block IDs\n\n## Status\n\nAccepted\n\n## Decision\n\n`BlockID` gets a hash.\n",
    })
    assert _governing(repo, str(tmp_path / "store"))() == ["types"]


def test_requests_for_comments_and_design_folders_are_records(tmp_path):
    # flux2 keeps one RFC per folder, rfcs/NNNN-slug/README.md, with KEP statuses ("implementable"); Jaeger keeps
    # docs/rfc/NNNN-slug.md ("# RFC 0003: …", "**Created:** …"); crossplane keeps design/ documents that state a
    # status ("* Status: Accepted"), the retired ones in design/defunct/, and its sample design/assets/x.go makes
    # design/ a component of its own, which its records do not govern; gopls' doc/design holds notes without a status
    assert nested_adr_folders([
        "rfcs/README.md", "rfcs/0001-authorization/README.md", "rfcs/0006-cdevents/diagram.png",
        "docs/rfc/0003-simplify.md", "design/one-pager-x.md", "gopls/doc/design/integrating.md",
        "tests/rfcs/0001-sample/README.md"]) == ["design", "docs/rfc", "gopls/doc/design", "rfcs"]
    repo = GitRepo(tmp_path / "flux")
    status = "* Owner: Nic Cope (@negz)\n* Reviewers: Crossplane Maintainers\n* Status: {}\n\n## Background\n\nWhy.\n"
    repo.commit({
        "cmd/flux/main.go": "package main\n", "cmd/flux/create.go": "package main\n",
        "pkg/oci/client.go": "package oci\n", "pkg/oci/push.go": "package oci\n",
        "design/assets/sample/x.go": "package sample\n",
        "rfcs/README.md": "# Flux RFCs\n\nHow to write one.\n",
        "rfcs/0001-authorization/README.md": "# RFC-0001 Memorandum on Flux Authorization\n\n## Summary\n\nHow.\n",
        "rfcs/0004-insecure-http/README.md": (
            "# RFC-0004 Block insecure HTTP connections\n\n**Status:** implementable\n\n**Creation Date:** 2022-09-08\n\n"
            "## Summary\n\n`pkg/oci` refuses plain HTTP.\n"),
        **{f"rfcs/000{n}-more/README.md": f"# RFC-000{n} More\n\n**Status:** provisional\n\n## Why\n\nMore.\n"
           for n in (5, 6)},
        **{f"docs/rfc/000{n}-{word}.md": (
            f"# RFC 000{n}: {word.capitalize()} the AI sidecar\n\n- **Status:** Partially Implemented\n"
            "- **Created:** 2026-06-06\n\n## Why\n\nSimpler.\n") for n, word in ((3, "simplify"), (4, "split"), (5, "drop"))},
        # cometbft's RFCs are discussions, no statuses: no records
        **{f"docs/references/rfc/rfc-10{n}-x.md": f"# RFC {n}: Topic {n}\n\n## Changelog\n\n- Started\n" for n in range(3)},
        "design/design-doc-composition.md": "# Resource Composition\n\n" + status.format("Accepted"),
        "design/one-pager-crd-scaling.md": "# CRD Scaling\n\n" + status.format("Draft"),
        "design/one-pager-flags.md": "# Feature flags\n\n" + status.format("Speculative, revision 0.2"),
        "design/defunct/design-doc-agent.md": "# Crossplane Agent\n\n" + status.format("Defunct"),
        "design/defunct/one-pager-packages.md": "# Packages\n\n" + status.format("Accepted"),
        "gopls/doc/design/integrating.md": "---\ntitle: \"Documentation for plugin authors\"\n---\n\nHow.\n",
        "gopls/doc/design/design.md": "# Design\n\nNotes.\n",
        "gopls/doc/design/implementation.md": "# Implementation\n\nNotes.\n",
    }, date="2025-01-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"]: (d["number"], d["title"], d["status"], d["date"], d["components"]) for d in data["decisions"]}
    assert found == {
        "rfcs/0001-authorization/README.md": (1, "Memorandum on Flux Authorization", "unknown", "2025-01-01", []),
        # (pkg/ holding one folder, oci/, is that folder: the component oci)
        "rfcs/0004-insecure-http/README.md": (4, "Block insecure HTTP connections", "accepted", "2022-09-08", ["oci"]),
        "rfcs/0005-more/README.md": (5, "More", "proposed", "2025-01-01", []),
        "rfcs/0006-more/README.md": (6, "More", "proposed", "2025-01-01", []),
        "docs/rfc/0003-simplify.md": (3, "Simplify the AI sidecar", "accepted", "2026-06-06", []),
        "docs/rfc/0004-split.md": (4, "Split the AI sidecar", "accepted", "2026-06-06", []),
        "docs/rfc/0005-drop.md": (5, "Drop the AI sidecar", "accepted", "2026-06-06", []),
        "design/design-doc-composition.md": (None, "Resource Composition", "accepted", "2025-01-01", []),
        "design/one-pager-crd-scaling.md": (None, "CRD Scaling", "proposed", "2025-01-01", []),
        "design/one-pager-flags.md": (None, "Feature flags", "proposed", "2025-01-01", []),
        "design/defunct/design-doc-agent.md": (None, "Crossplane Agent", "deprecated", "2025-01-01", []),
        "design/defunct/one-pager-packages.md": (None, "Packages", "deprecated", "2025-01-01", []),
    }


@pytest.mark.parametrize(("front", "heading", "title"), [
    # Argo CD's proposals keep the KEP template's slug title in their front matter above their real heading
    ("title: Neat-enhancement-idea", "# Multiple Sources for application", "Multiple Sources for application"),
    ("title: Argo CD Extensions", "# Extensions", "Argo CD Extensions"),  # a title of words is the record's
    ("title: sync-timeout", "", "sync-timeout"),  # a slug with no heading to prefer
])
def test_a_kep_front_matter_gives_the_date_and_the_approvers_and_not_a_template_title(front, heading, title):
    from cairn.ingest.adrs.formats import parse_decision

    text = (f"---\n{front}\nauthors:\n  - \"@rbreeze\"\napprovers:\n  - \"@alexmt\"\n  - TBD\nreviewers:\n  - TBD\n"
            f"creation-date: 2021-05-13\nlast-updated: 2021-05-27\n---\n\n{heading}\n\nAn intro.\n\n## Summary\n\nWhy.\n"
            "\n## Motivation\n\nBecause.\n")
    decision = parse_decision("docs/proposals/002-ui-extensions.md", text.encode())
    assert (decision.title, decision.date, decision.deciders, decision.number) == (title, "2021-05-13", ["@alexmt"], 2)
    assert decision.summary == "Why."  # (a KEP's or an RFC's "## Summary": flux2's RFCs had none on the page)


def test_kubernetes_enhancement_proposals_are_records_with_their_kep_yaml(tmp_path):
    # kueue: keps/NNNN-slug/README.md holds the text, kep.yaml beside it the title, status, date and approvers; some
    # kep.yaml files are not valid YAML (an unquoted "@login"): the README is still read, with a note
    repo = GitRepo(tmp_path / "kueue")
    kep = ("title: Introducing lendingLimit\nkep-number: 1224\nauthors:\n  - \"@B1F030\"\nstatus: implementable\n"
           "creation-date: 2023-11-13\napprovers:\n  - \"@alculquicondor\"\nstage: stable\n")
    repo.commit({
        "pkg/scheduler/s.go": "package scheduler\n", "pkg/scheduler/t.go": "package scheduler\n",
        "pkg/cache/c.go": "package cache\n", "pkg/cache/d.go": "package cache\n",
        "keps/README.md": "# KEPs\n\nHow to write one.\n",
        "keps/NNNN-template/README.md": "# KEP-NNNN: Your short, descriptive title\n", "keps/NNNN-template/kep.yaml": kep,
        "keps/1224-lending-limit/README.md": "# KEP-1224: lendingLimit\n\n## Summary\n\nThe `pkg/cache` reserves quota.\n",
        "keps/1224-lending-limit/kep.yaml": kep,
        "keps/1432-per-flavor/README.md": "# KEP-1432: Admission check per flavor\n\n## Summary\n\nChecks.\n",
        "keps/1432-per-flavor/kep.yaml": "title: Admission check per flavor\nreviewers:\n  - @mimowo\n",
    }, date="2025-01-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    ingested = runner.invoke(app, ["ingest", str(repo.root), "--store", store])
    assert ingested.exit_code == 0
    assert "keps/1432-per-flavor/README.md: its kep.yaml is not valid YAML (line 3): read without it" in " ".join(
        ingested.output.split())
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"]: (d["number"], d["title"], d["status"], d["date"], d["deciders"], d["components"])
             for d in data["decisions"]}
    assert found == {
        "keps/1224-lending-limit/README.md": (1224, "Introducing lendingLimit", "accepted", "2023-11-13",
                                              ["@alculquicondor"], ["cache"]),
        "keps/1432-per-flavor/README.md": (1432, "Admission check per flavor", "unknown", "2025-01-01", [], []),
    }


def test_a_decisions_folder_stating_statuses_holds_records_read_as_react_router_writes_them(tmp_path):
    # React Router keeps decisions/NNNN-slug.md at the top ("Status: accepted"); one is headed by the template's
    # "# Title"; their prose names hosts (docs.deno.com), "scripts" and the product's own package in passing
    assert nested_adr_folders(["decisions/0001-use-blocker.md", "src/decisions/rules.md"]) == [
        "decisions", "src/decisions"]
    repo = GitRepo(tmp_path / "react-router")
    scripts = " ".join(["Node treats scripts as CommonJS."] * 6)
    repo.commit({
        "packages/react-router/package.json": '{"name": "react-router"}',
        "packages/react-router/lib/router.ts": "export const r = 1;\n",
        "packages/react-router/lib/hooks.ts": "export const h = 1;\n",
        "packages/react-router-dev/package.json": '{"name": "@react-router/dev"}',
        "packages/react-router-dev/vite.ts": "export const v = 1;\n",
        "packages/react-router-dev/cli.ts": "export const c = 1;\n",
        "docs/prettier.config.js": "module.exports = {};\n",
        "scripts/publish.js": "console.log(1);\n", "scripts/version.js": "console.log(2);\n",
        # a folder of code named "decisions", its notes stating no status: no records
        "src/decisions/engine.ts": "export const e = 1;\n",
        "src/decisions/rules.md": "# Rules\n\nHow the engine decides.\n",
        "src/decisions/notes.md": "# Notes\n\nMore.\n", "src/decisions/limits.md": "# Limits\n\nMore.\n",
        "decisions/template.md": "# Title\n\nDate: YYYY-MM-DD\n\nStatus: proposed | accepted\n",
        "decisions/0001-use-npm.md": ("# Use npm for Deno projects\n\nDate: 2022-05-10\n\nStatus: accepted\n\n"
                                      "## Context\n\nDeno moved its manual in favor of docs.deno.com.\n"),
        "decisions/0006-linear-workflow.md": ("# Linear Workflow\n\nDate: 2022-09-06\n\nStatus: accepted\n\n## Context\n\n"
                                              "We develop Remix and React-Router with Linear.\n"),
        "decisions/0008-js-conversion.md": ("# Only support JS conversion for app code\n\nDate: 2023-01-20\n\n"
                                            f"Status: accepted\n\n## Context\n\n{scripts}\n"),
        "decisions/0013-config.md": ("# react-router.config.ts\n\nDate: 2024-11-21\n\nStatus: accepted\n\n## Context\n\n"
                                     "Import it from `@react-router/dev` and `react-router`.\n"),
        "decisions/0015-observability.md": ("# Title\n\nDate: 2025-09-22\n\nStatus: proposed\n\n## Context\n\n"
                                            "Logging and tracing.\n"),
    }, date="2025-10-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"]: (d["number"], d["title"], d["status"], d["components"]) for d in data["decisions"]}
    assert found == {
        "decisions/0001-use-npm.md": (1, "Use npm for Deno projects", "accepted", []),
        "decisions/0006-linear-workflow.md": (6, "Linear Workflow", "accepted", []),
        "decisions/0008-js-conversion.md": (8, "Only support JS conversion for app code", "accepted", []),
        "decisions/0013-config.md": (13, "react-router.config.ts", "accepted", ["react-router", "react-router-dev"]),
        "decisions/0015-observability.md": (15, "Observability", "proposed", []),
    }


def _lid(number: int, title: str, status: str) -> str:
    # as Loki writes its Loki Improvement Documents: Hugo front matter, then bold key lines
    return (f"---\ntitle: \"{number:04d}: {title}\"\ndescription: \"{title}\"\n---\n\n# {number:04d}: {title}\n\n"
            f"**Author:** Danny Kopping (danny@example.com)\n\n**Date:** 01/2023\n\n**Status:** {status}\n\n"
            f"## Background\n\nThe ruler evaluates rules.\n")


def test_a_folder_of_numbered_documents_stating_statuses_holds_records_whatever_its_name(tmp_path):
    stating = "Status: Accepted\n\nText.\n"
    files = {
        "pkg/ruler/ruler.go": "package ruler\n", "pkg/ruler/eval.go": "package ruler\n",
        "docs/sources/community/lids/_index.md": "---\ntitle: LIDs\n---\n\n# Loki Improvement Documents\n",
        "docs/sources/community/lids/template.md": _lid(0, "Title", "Draft"),
        "docs/sources/community/lids/0001-Introduction.md": _lid(1, "Introducing LIDs", "Accepted"),
        "docs/sources/community/lids/0002-RemoteRuleEvaluation.md": _lid(2, "Remote Rule Evaluation", "Accepted"),
        "docs/sources/community/lids/0005-mixin.md": _lid(5, "Loki mixin configuration", "Draft"),
        # not records: a tutorial's two-digit chapters, a changelog's and a migration guide's numbered entries (even
        # stating a status), numbered notes most of which state none, two numbered records only, release notes
        **{f"docs/tutorial/0{i}-chapter.md": f"# Chapter {i}\n\n{stating}" for i in (1, 2, 3)},
        **{f"changelog/unreleased/{i}-fix.md": f"# Fix {i}\n\n{stating}" for i in (1201, 1202, 1203)},
        **{f"docs/migration/00{i}-to-v{i}.md": f"# To v{i}\n\n{stating}" for i in (1, 2, 3)},
        **{f"docs/notes/00{i}-note.md": f"# Note {i}\n\n{stating if i == 1 else 'Text.'}" for i in (1, 2, 3)},
        **{f"docs/pair/00{i}-x.md": f"# X {i}\n\n{stating}" for i in (1, 2)},
        **{f"docs/releases/v1.{i}.md": f"# v1.{i}\n\n{stating}" for i in (1, 2, 3)},
    }
    assert nested_adr_folders(files) == ["docs/notes", "docs/sources/community/lids"]
    repo = GitRepo(tmp_path / "loki")
    repo.commit(files, date="2023-02-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"]: (d["number"], d["title"], d["status"], d["date"]) for d in data["decisions"]}
    assert found == {
        "docs/sources/community/lids/0001-Introduction.md": (1, "Introducing LIDs", "accepted", "2023-01-01"),
        "docs/sources/community/lids/0002-RemoteRuleEvaluation.md": (2, "Remote Rule Evaluation", "accepted", "2023-01-01"),
        "docs/sources/community/lids/0005-mixin.md": (5, "Loki mixin configuration", "proposed", "2023-01-01"),
    }


def test_a_folder_of_dated_requests_for_comments_is_records_each_with_its_chapters(tmp_path):
    # OpenTofu keeps rfc/YYYYMMDD-slug.md, accepted once merged (its README says so), stating no status; one RFC's
    # pages, which it links, are in the folder beside it (rfc/20241206-oci-registries/N-….md); a superseded one says
    # so in a sentence under a callout; the registry RFCs are about the registry's own repository, not internal/registry
    repo = GitRepo(tmp_path / "tofu")
    repo.commit({
        "internal/registry/client.go": "package registry\n", "internal/registry/response.go": "package registry\n",
        "internal/getproviders/source.go": "package getproviders\n", "internal/getproviders/oci.go": "package getproviders\n",
        "internal/command/init.go": "package command\n", "internal/command/plan.go": "package command\n",
        "rfc/README.md": "# The OpenTofu RFCs\n\nRFCs that have been discussed, reviewed, and accepted.\n",
        "rfc/yyyymmdd-template.md": "# Title\n\n## Proposed Solution\n\nWhat.\n",
        "rfc/20231106-registry-folders.md": (
            "# Registry: Repository Folder Structure\n\nThe folder structure of the registry repository lets the registry "
            "keep provider metadata. The registry serves it, the registry checks it, the registry signs it.\n"),
        "rfc/20241206-oci-registries.md": (
            "# Providers from OCI Registries\n\n1. [A primer](20241206-oci-registries/1-oci-primer.md)\n"
            "2. [Details](20241206-oci-registries/10-provider-details.md)\n"),
        "rfc/20241206-oci-registries/1-oci-primer.md": "# A primer on OCI\n\nManifests and blobs.\n",
        "rfc/20241206-oci-registries/10-provider-details.md": (
            "# Provider installation details\n\n`internal/getproviders/oci.go` gets a new source.\n"),
        # (a document there that the record does not link is a record: Argo CD's feature-bounties/hide-annotations.md)
        "rfc/20241206-oci-registries/20250101-oci-mirrors.md": "# OCI mirrors\n\nA later proposal.\n",
        "rfc/20251105-use-cobra.md": (
            "# Exploring cobra\n\n> [!IMPORTANT]\nThis RFC has been superseded by "
            "[20260807-use-urfave.md](20260807-use-urfave.md)\n\n## Why\n\nmitchellh/cli is archived.\n"),
        "rfc/20260807-use-urfave.md": (
            "# Using urfave/cli\n\n> [!NOTE]\n> This RFC has superseded [20251105-use-cobra.md](20251105-use-cobra.md)\n"),
        # cometbft's numbered RFCs are discussions, stating no status: no records
        **{f"docs/rfc/rfc-10{n}-topic.md": f"# RFC 10{n}: Topic\n\n## Changelog\n\n- Started\n" for n in range(3)},
    }, date="2025-01-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    found = {d["path"]: (d["status"], d["date"], d["components"], d["superseded_by"]) for d in data["decisions"]}
    assert found == {
        "rfc/20231106-registry-folders.md": ("accepted", "2023-11-06", [], []),
        "rfc/20241206-oci-registries.md": ("accepted", "2024-12-06", ["getproviders"], []),
        "rfc/20241206-oci-registries/20250101-oci-mirrors.md": ("accepted", "2025-01-01", [], []),
        "rfc/20251105-use-cobra.md": ("superseded", "2025-11-05", [], ["rfc/20260807-use-urfave.md"]),
        "rfc/20260807-use-urfave.md": ("accepted", "2026-08-07", [], []),
    }
