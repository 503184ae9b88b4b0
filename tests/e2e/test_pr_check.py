"""End to end: `cairn pr-check` on real git repositories with real history, rules and decisions."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from cairn.graph.errors import InvalidChange
from cairn.graph.severity import Verdict
from cairn.ingest.change import change_from_diff, change_from_refs
from cairn.queries.pr_check import analyse
from fixtures.gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
CAROL = ("Carol Coder", "carol@example.com")
CLAUDE = "Claude <noreply@anthropic.com>"

CONFIG = """
[components]
api = ["shop/api/**"]
core = ["shop/core/**"]
db = ["shop/db/**"]

[[rules]]
id = "core-stays-pure"
kind = "forbidden"
severity = "warn"
from = ["core"]
to = ["api"]
because = "docs/adr/0002-keep-the-core-independent.md"

[[rules]]
id = "core-no-db"
kind = "forbidden"
severity = "block"
from = ["core"]
to = ["db"]
"""

ADR = """# 2. Keep the core independent

## Status

Accepted

## Context

The core holds pricing rules; the API and the database change for other reasons.

## Decision

The core imports neither the API nor the database layer.
"""


@pytest.fixture()
def shop(tmp_path):
    """Ada wrote the core alone (truck factor 1); Bob and Carol share the API and the database layer."""
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": CONFIG, "docs/adr/0002-keep-the-core-independent.md": ADR,
                 "shop/__init__.py": "", "shop/core/__init__.py": "", "shop/api/__init__.py": "", "shop/db/__init__.py": ""},
                author=BOB, message="skeleton")
    repo.commit({"shop/core/prices.py": "def price(x):\n    return x * 2\n",
                 "shop/core/rules.py": "from shop.core import prices\n",
                 "shop/core/legacy.py": "import shop.db.tables\n"}, author=ADA, message="core")
    for i in range(3):
        repo.commit({"shop/core/prices.py": f"def price(x):\n    return x * {i + 3}\n"}, author=ADA, message="tune")
    repo.commit({"shop/api/routes.py": "from shop.core.prices import price\n", "shop/db/tables.py": "TABLES = []\n"}, author=BOB, message="api")
    repo.commit({"shop/api/views.py": "from shop.api import routes\n", "shop/db/queries.py": "from shop.db import tables\n"}, author=CAROL, message="more")
    repo.git("branch", "base-point")
    return repo


def run(args, store):
    result = CliRunner().invoke(app, [*args, "--store", str(store)], catch_exceptions=False)
    return result


def pr(repo: GitRepo, store: Path, *extra: str, fmt: str = "json"):
    result = run(["pr-check", "--repo", str(repo.root), "--base", "main", "--head", "HEAD", "--format", fmt, *extra], store)
    return result


def test_agent_pr_crossing_a_boundary_into_an_at_risk_component_is_blocked(shop, tmp_path):
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    shop.git("checkout", "-q", "-b", "agent-change")
    shop.commit({"shop/core/rules.py": "from shop.core import prices\nfrom shop.api.routes import price\n"},
                author=BOB, message="use the route helper", trailers=[f"Co-authored-by: {CLAUDE}"])
    result = pr(shop, store)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "block"
    assert report["agent"]["detected"] and any("Claude" in e for e in report["agent"]["evidence"])
    (violation,) = [f for f in report["findings"] if f["rule"] == "core-stays-pure"]
    assert violation["severity"] == "block"  # warn, raised one step: agent PR without rationale
    assert violation["source"] == "shop.core.rules" and violation["target"] == "shop.api.routes"
    assert violation["file"] == "shop/core/rules.py" and violation["line"] == 2
    assert violation["decision"] == "docs/adr/0002-keep-the-core-independent.md"
    assert violation["new"] is True
    risk = [f for f in report["findings"] if f["kind"] == "knowledge_risk"]
    assert risk and risk[0]["source_component"] == "core" and risk[0]["severity"] == "warn"
    (core,) = [c for c in report["touched_components"] if c["name"] == "core"]
    assert core["truck_factor"] == 1 and core["at_risk"]
    assert core["knowledge_holders"][0]["person"] == "Ada Lovelace"
    names = [r["name"] for r in report["suggested_reviewers"]]
    assert names[0] == "Ada Lovelace" and report["suggested_reviewers"][0]["reasons"]
    assert "Bob Builder" not in names  # the author never reviews their own PR
    assert {"source": "shop.core.rules", "target": "shop.api.routes"}.items() <= report["new_edges"][0].items()
    # the pre-existing core -> db violation is not reported as new
    assert not [f for f in report["findings"] if f["rule"] == "core-no-db"]


def test_a_co_developer_wrote_the_change_and_an_ai_co_developer_is_an_agent(shop, tmp_path):
    """caddy's 546752e21 (#7912): ``Co-developed-by`` names co-authors as ``Co-authored-by`` does, in the history and
    in the change; a co-developer is not asked to review what it co-wrote, and "Gemini AI" (under a person's
    plus-address) is a coding agent. A trailer folded over two lines is read whole, as the history reads it."""
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    shop.git("checkout", "-q", "-b", "co-developed")
    shop.commit({"shop/core/prices.py": "def price(x):\n    return x * 7\n"}, author=CAROL, message="tune",
                trailers=["Co-developed-by: Ada\n Lovelace <ada@example.com>",
                          "Co-developed-by: Gemini AI <renich+gemini@example.org>"])
    report = json.loads(pr(shop, store).output)
    names = [r["name"] for r in report["suggested_reviewers"]]
    assert "Ada Lovelace" not in names and "Carol Coder" not in names
    assert report["agent"]["detected"] and any("Gemini AI" in e for e in report["agent"]["evidence"])


def test_an_assisted_by_trailer_naming_an_agent_makes_an_agent_change_and_one_naming_a_person_does_not(shop, tmp_path):
    """commons-lang's 17df41b44: "Assisted-by: Cursor (Claude Opus 5)" under a person's commit marks the agent the
    history counts (``ingest.agent_markers``): the PR check sees it too, names it by that line and raises the
    boundary finding of a change without rationale. A person who assisted is no agent."""
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    shop.git("checkout", "-q", "-b", "assisted")
    shop.commit({"shop/core/rules.py": "from shop.core import prices\nfrom shop.api.routes import price\n"},
                author=BOB, message="use the route helper", trailers=["Assisted-by: Cursor (Claude Opus 5)"])
    report = json.loads(pr(shop, store).output)
    assert report["agent"]["detected"]
    (evidence,) = report["agent"]["evidence"]
    assert "Cursor Agent <cursoragent@cursor.com>" in evidence and evidence.endswith(": Assisted-by: Cursor (Claude Opus 5)")
    (violation,) = [f for f in report["findings"] if f["rule"] == "core-stays-pure"]
    assert violation["severity"] == "block"  # warn, raised one step
    shop.git("checkout", "-q", "-b", "assisted-by-a-person", "main")
    shop.commit({"shop/core/rules.py": "from shop.core import prices\nfrom shop.api.routes import price\n"},
                author=BOB, message="use the route helper", trailers=["Assisted-by: Ada Lovelace <ada@example.com>"])
    report = json.loads(pr(shop, store).output)
    assert not report["agent"]["detected"]


def test_an_assisted_by_trailer_naming_whom_the_classifier_calls_an_agent_is_one_in_the_history_and_the_pr_check(shop, tmp_path):
    """celery's bf1cf69e2: "Assisted-by: OpenAI GPT-5 <noreply@openai.com>" names no agent a marker knows, but one the
    identity classifier calls an agent: the history lists it among the agents and the PR check detects it, by the
    one reading (``MarkerMatcher.marks_in``). "Assisted-by: Jane Doe" names a person: in neither."""
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    shop.git("checkout", "-q", "-b", "assisted-by-gpt")
    shop.commit({"shop/api/views.py": "from shop.api import routes\nX = 1\n"}, author=BOB, message="tidy",
                trailers=["Assisted-by: OpenAI GPT-5 <noreply@openai.com>", "Assisted-by: Jane Doe <jane@example.com>"])
    report = json.loads(pr(shop, store).output)
    assert report["agent"]["evidence"] == [
        "commit " + shop.git("rev-parse", "--short=12", "HEAD").strip()
        + " marks OpenAI GPT-5 <noreply@openai.com> as a coding agent: Assisted-by: OpenAI GPT-5 <noreply@openai.com>"]
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    people = json.loads(run(["people", "--repo", "shop", "--format", "json"], store).output)
    kinds = {p["name"]: p["kind"] for p in people["people"]}
    assert kinds.get("OpenAI GPT-5") == "agent" and "Jane Doe" not in kinds


def test_a_message_marker_in_a_commit_or_the_description_makes_an_agent_change(shop, tmp_path):
    """Claude Code's footer in a commit body (no trailer, a human author) marks the agent, as it does in the history;
    so does a marker of the description ("Coded with Claude", none of the description's own phrases)."""
    store = open_store(str(tmp_path / "store"))
    run(["ingest", str(shop.root)], tmp_path / "store")
    shop.git("checkout", "-q", "-b", "footer")
    shop.commit({"shop/api/views.py": "from shop.api import routes\nX = 1\n"}, author=BOB,
                message="tidy the views\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)")
    stored = store.load("shop")
    report = analyse(stored, change_from_refs(stored, shop.root, "main", "HEAD"))
    assert report.agent.detected
    (evidence,) = report.agent.evidence
    assert "Claude <noreply@anthropic.com>" in evidence
    assert evidence.endswith(": 🤖 Generated with [Claude Code](https://claude.com/claude-code)")
    shop.git("checkout", "-q", "-b", "plain", "main")
    shop.commit({"shop/api/views.py": "from shop.api import routes\nX = 2\n"}, author=BOB, message="tidy the views")
    assert not analyse(stored, change_from_refs(stored, shop.root, "main", "HEAD")).agent.detected
    described = analyse(stored, change_from_refs(stored, shop.root, "main", "HEAD",
                                                 description="Tidy.\n\nCoded with Claude, reviewed by me."))
    assert described.agent.evidence == ("description marks Claude <noreply@anthropic.com> as a coding agent: "
                                        "Coded with Claude, reviewed by me.",)


def test_a_rationale_keeps_the_severity(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "agent-change")
    shop.commit({"shop/core/rules.py": "from shop.core import prices\nfrom shop.api.routes import price\n"},
                author=BOB, message="x", trailers=[f"Co-authored-by: {CLAUDE}"])
    description = tmp_path / "pr.md"
    description.write_text("Reuse the helper. See ADR-0002 for why this exception is acceptable for one release.\n")
    report = json.loads(pr(shop, store, "--description-file", str(description)).output)
    assert report["rationale"]["present"]
    (violation,) = [f for f in report["findings"] if f["rule"] == "core-stays-pure"]
    assert violation["severity"] == "warn" and report["verdict"] == "warn"


def test_pre_existing_violation_in_a_touched_file_is_not_new(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "touch-legacy")
    shop.commit({"shop/core/legacy.py": "# still legacy\nimport shop.db.tables\n"}, author=ADA, message="comment")
    result = pr(shop, store)
    report = json.loads(result.output)
    assert not [f for f in report["findings"] if f["rule"] in ("core-no-db", "core-stays-pure")]
    assert report["new_edges"] == []
    assert result.exit_code == 0


def test_clean_human_pr_passes_and_markdown_names_reviewers(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "clean")
    shop.commit({"shop/db/queries.py": "from shop.db import tables\n\nALL = tables.TABLES\n"}, author=CAROL, message="x")
    result = pr(shop, store)
    report = json.loads(result.output)
    assert report["verdict"] == "pass" and result.exit_code == 0
    assert not report["agent"]["detected"]
    md = pr(shop, store, fmt="markdown").output
    assert md.startswith("<!-- cairn-pr-check -->") and "Suggested reviewers" in md
    assert "Carol Coder" not in [r["name"] for r in report["suggested_reviewers"]]


def test_new_component_coupling_and_cycle_are_reported(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "cycle")
    shop.commit({"shop/db/tables.py": "from shop.api import views\nTABLES = []\n"}, author=CAROL, message="x")
    report = json.loads(pr(shop, store).output)
    kinds = {f["kind"] for f in report["findings"]}
    assert "new_dependency" in kinds
    coupling = [f for f in report["findings"] if f["kind"] == "new_dependency"][0]
    assert (coupling["source_component"], coupling["target_component"]) == ("db", "api")


def test_sarif_output_is_valid_shape(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "agent-change")
    shop.commit({"shop/core/rules.py": "from shop.api.routes import price\n"}, author=BOB, message="x",
                trailers=[f"Co-authored-by: {CLAUDE}"])
    sarif = json.loads(pr(shop, store, fmt="sarif").output)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "core-stays-pure" for r in results)
    assert all(r.get("partialFingerprints") for r in results)


def test_bad_refs_and_paths_exit_2(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    result = run(["pr-check", "--repo", str(shop.root), "--base", "main", "--head", "no-such-branch"], store)
    assert result.exit_code == 2
    cli = Path(sys.executable).parent / "cairn"
    proc = subprocess.run([str(cli), "pr-check", "--repo", str(tmp_path / "nope"), "--base", "a", "--head", "b",
                           "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 2 and "not a directory" in proc.stderr and "Traceback" not in proc.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    proc = subprocess.run([str(cli), "pr-check", "--repo", str(plain), "--base", "a", "--head", "b",
                           "--store", str(tmp_path / "s2")], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_check_diff_applies_post_change_contents(shop, tmp_path):
    store = open_store(str(tmp_path / "store"))
    run(["ingest", str(shop.root)], tmp_path / "store")
    graph = store.load("shop")
    diff = (
        "diff --git a/shop/core/rules.py b/shop/core/rules.py\n--- a/shop/core/rules.py\n+++ b/shop/core/rules.py\n"
        "@@ -1 +1,2 @@\n from shop.core import prices\n+from shop.api.routes import price\n"
    )
    change = change_from_diff(graph, diff, {"shop/core/rules.py": "from shop.core import prices\nfrom shop.api.routes import price\n"},
                              author=CLAUDE)
    assert [(f.path, f.status.value, f.component, [(h.start, h.count) for h in f.hunks]) for f in change.files] == [
        ("shop/core/rules.py", "modified", "core", [(1, 2)])]
    report = analyse(graph, change)
    assert report.agent.detected and report.verdict is Verdict.BLOCK
    with pytest.raises(InvalidChange, match="post-change contents"):
        change_from_diff(graph, diff, {})
    with pytest.raises(InvalidChange, match="malformed diff: no file headers"):
        change_from_diff(graph, "not a diff", {})


def test_store_ingested_at_another_commit_and_added_files(shop, tmp_path):
    """The base is rebuilt from git when the store is not at the merge base; added files are analysed."""
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.commit({"shop/db/extra.py": "X = 1\n"}, author=CAROL, message="main moves on")  # store is now behind main
    shop.git("checkout", "-q", "-b", "feature")
    shop.commit({"shop/core/fresh.py": "import shop.db.extra\n"}, author=ADA, message="new module")
    report = json.loads(pr(shop, store).output)
    assert report["base"] == shop.git("rev-parse", "main")
    (violation,) = [f for f in report["findings"] if f["rule"] == "core-no-db"]
    assert (violation["source"], violation["target"], violation["file"]) == ("shop.core.fresh", "shop.db.extra", "shop/core/fresh.py")
    assert violation["severity"] == "block" and report["verdict"] == "block"
    assert report["changed_files"] == [{"path": "shop/core/fresh.py", "status": "added"}]


def test_deleting_a_module_drops_its_edges(shop, tmp_path):
    store = tmp_path / "store"
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "cleanup")
    shop.git("rm", "-q", "shop/core/legacy.py")
    shop.commit(author=ADA, message="remove legacy")
    report = json.loads(pr(shop, store).output)
    assert report["verdict"] == "pass" and report["new_edges"] == []
    assert report["changed_files"] == [{"path": "shop/core/legacy.py", "status": "deleted"}]


def test_pr_metadata_author_counts_for_agent_detection(shop, tmp_path):
    """A PR opened by an agent account (GitHub's PR author) is agent-authored even if the commits look human."""
    store = open_store(str(tmp_path / "store"))
    run(["ingest", str(shop.root)], tmp_path / "store")
    shop.git("checkout", "-q", "-b", "copilot/fix")
    shop.commit({"shop/api/views.py": "from shop.api import routes\nX = 1\n"}, author=BOB, message="x")
    stored = store.load("shop")
    report = analyse(stored, change_from_refs(stored, shop.root, "main", "HEAD", author="copilot-swe-agent[bot]"))
    assert report.agent.detected
    assert any("pr-author copilot-swe-agent[bot]" in e for e in report.agent.evidence)
    human = analyse(stored, change_from_refs(stored, shop.root, "main", "HEAD", author="bob-the-builder"))
    assert not human.agent.detected


def test_people_who_left_or_went_quiet_are_not_suggested(shop, tmp_path):
    store = tmp_path / "store"
    shop.commit({"cairn.toml": CONFIG + '\n[identities]\ndeparted = ["Ada Lovelace"]\n'}, author=BOB, message="Ada left")
    run(["ingest", str(shop.root)], store)
    shop.git("checkout", "-q", "-b", "core-change")
    shop.commit({"shop/core/prices.py": "def price(x):\n    return x * 7\n"}, author=CAROL, message="x")
    report = json.loads(pr(shop, store).output)
    assert "Ada Lovelace" not in [r["name"] for r in report["suggested_reviewers"]]
    (core,) = [c for c in report["touched_components"] if c["name"] == "core"]
    assert core["at_risk"]  # nobody left who knows it


def test_inactive_holders_are_not_suggested(tmp_path):
    repo = GitRepo(tmp_path / "old")
    repo.commit({"cairn.toml": '[components]\nlib = ["lib/**"]\n', "lib/__init__.py": "", "lib/a.py": "A = 1\n"},
                author=ADA, date="2019-01-01T00:00:00+00:00", message="old work")
    repo.commit({"lib/b.py": "B = 1\n"}, author=BOB, date="2024-06-01T00:00:00+00:00", message="recent work")
    store = tmp_path / "store"
    run(["ingest", str(repo.root)], store)
    repo.git("checkout", "-q", "-b", "change")
    repo.commit({"lib/a.py": "A = 2\n"}, author=CAROL, date="2024-06-02T00:00:00+00:00", message="x")
    report = json.loads(pr(repo, store).output)
    # Ada wrote lib/a.py but has been gone five years: Bob, who knows the rest of lib (its directory), stands in
    assert [(r["name"], r["reasons"]) for r in report["suggested_reviewers"]] == [
        ("Bob Builder", ["knows lib/ (1 other file)"])]


def test_a_maintainer_who_committed_a_contributors_patch_may_review_it_but_not_an_agents(tmp_path):
    """Mia wrote core.py. Ned's patch to it, committed by Mia (git am, a rebase in Gerrit): Mia is the reviewer to ask,
    not one of its writers (on sqlalchemy the maintainer who knows the files was never suggested). Claude's commit
    committed by Mia: Mia drove the agent, so she is one of the change's writers."""
    mia, ned, claude = ("Mia Maintainer", "mia@example.com"), ("Ned Newcomer", "ned@example.com"), ("Claude", "noreply@anthropic.com")
    repo = GitRepo(tmp_path / "r")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(20))
    for i in range(5):
        body += f"# {i}\n"
        repo.commit({"core.py": body}, author=mia, date=f"2024-01-0{i + 1}T12:00:00+00:00")
    repo.commit({"other.py": "X = 1\n"}, author=ned, date="2024-01-06T12:00:00+00:00")
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", str(store), "--format", "json"]).exit_code == 0
    reviewers = {}
    for branch, author in (("patch", ned), ("agent", claude)):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.commit({"core.py": body + f"# by {branch}\n"}, author=author, committer=mia, date="2024-01-07T12:00:00+00:00")
        result = runner.invoke(app, ["pr-check", "--repo", str(repo.root), "--base", "main", "--head", branch,
                                     "--store", str(store), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        reviewers[branch] = [r["name"] for r in json.loads(result.stdout)["suggested_reviewers"]]
    assert reviewers["patch"][0] == "Mia Maintainer"
    assert "Mia Maintainer" not in reviewers["agent"]


MIA, NED = ("Mia Maintainer", "mia@example.com"), ("Ned Reviewer", "ned@example.com")
GITHUB, COPILOT = ("GitHub", "noreply@github.com"), "Copilot <175728472+Copilot@users.noreply.github.com>"


def _core_by_mia_and_ned(tmp_path):
    """core.py written by Mia and Ned in turns, ingested: (repo, its text, the store, a CLI runner)."""
    repo = GitRepo(tmp_path / "r")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(20))
    for i in range(4):
        body += f"# {i}\n"
        repo.commit({"core.py": body}, author=MIA if i % 2 else NED, date=f"2024-01-0{i + 1}T12:00:00+00:00")
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", str(store), "--format", "json"]).exit_code == 0
    return repo, body, store, runner


def test_a_review_suggestion_applied_on_github_is_its_reviewers_not_an_agent_change(tmp_path):
    """rich's 7338cb9d: Will McGugan's fix carried two commits GitHub made ("Update tests/test_cells.py", committer
    noreply@github.com) naming Copilot as co-author, review suggestions he applied: the change was called agent-authored
    and its findings raised. Whoever GitHub names in such a commit suggested it in review: not an author of the change,
    so an agent there is no agent change and a person there may still be asked to review."""
    repo, body, store, runner = _core_by_mia_and_ned(tmp_path)
    mia, ned, github, copilot = MIA, NED, GITHUB, COPILOT
    reports = {}
    # (a squash merge GitHub made names the co-authors of the commits it squashed: they wrote the change)
    for branch, committer, subject in (("suggested", github, "Update core.py"), ("co-written", mia, "Update core.py"),
                                       ("squashed", github, "Tune the core (#12)")):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.commit({"core.py": body + "# fix\n"}, author=mia, date="2024-01-07T12:00:00+00:00")
        repo.commit({"core.py": body + f"# fix, as {branch}\n"}, author=mia, committer=committer,
                    date="2024-01-08T12:00:00+00:00", message=subject,
                    trailers=[f"Co-authored-by: {copilot}", f"Co-authored-by: {ned[0]} <{ned[1]}>"])
        result = runner.invoke(app, ["pr-check", "--repo", str(repo.root), "--base", "main", "--head", branch,
                                     "--store", str(store), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        reports[branch] = json.loads(result.stdout)
    assert not reports["suggested"]["agent"]["detected"]
    assert [r["name"] for r in reports["suggested"]["suggested_reviewers"]][:1] == ["Ned Reviewer"]
    # the same trailers in a commit the author made, or in a squash: Copilot and Ned wrote it with her — and Ned, a
    # person named as co-author only, may review it still (``writers_and_co_authors``), said to have co-authored it
    for branch in ("co-written", "squashed"):
        assert reports[branch]["agent"]["detected"]
        assert [(r["name"], r["reasons"][0]) for r in reports[branch]["suggested_reviewers"]][:1] == [
            ("Ned Reviewer", "co-authored this change")]


def test_a_squash_merges_co_author_named_under_a_squashed_suggestion_reviewed_it(tmp_path):
    """scrapy's 11079cb1c (#7866): the squash of Andrey Rakhmatullin's extension lists its commits, the last one
    ``* Update docs/topics/extensions.rst`` with ``Co-authored-by: Adrian`` under it — GitHub's commit of Adrián
    Chaves's review suggestion — and then names Adrian again among the squash's co-authors. He was left out of the
    reviewers as one who wrote the change (he ranks first on the author alone). A co-author a squash names only under
    its squashed suggestions suggested them in review: an agent there makes no agent change, a person there may
    review it. Under a squashed commit of any other subject, the same trailers name who co-wrote it."""
    repo, body, store, runner = _core_by_mia_and_ned(tmp_path)
    mia, ned, github, copilot = MIA, NED, GITHUB, COPILOT
    trailers = [f"Co-authored-by: {copilot}", f"Co-authored-by: {ned[0]} <{ned[1]}>"]
    reports = {}
    for branch, item in (("suggested", "Update core.py"), ("co-written", "Add the helper")):
        repo.git("checkout", "-q", "-b", branch, "main")
        squash = f"Tune the core (#12)\n\n* Tune the core\n\n* {item}\n\n" + "\n".join(trailers) + "\n\n---------"
        repo.commit({"core.py": body + f"# fix, as {branch}\n"}, author=mia, committer=github,
                    date="2024-01-08T12:00:00+00:00", message=squash, trailers=trailers)
        result = runner.invoke(app, ["pr-check", "--repo", str(repo.root), "--base", "main", "--head", branch,
                                     "--store", str(store), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        reports[branch] = json.loads(result.stdout)
    assert not reports["suggested"]["agent"]["detected"]
    assert [(r["name"], r["reasons"][0]) for r in reports["suggested"]["suggested_reviewers"]][:1] == [
        ("Ned Reviewer", "made 50 % of the changes to core.py")]
    assert reports["co-written"]["agent"]["detected"]


def test_a_maintainer_who_co_authored_a_contributors_change_may_review_it(tmp_path):
    """TanStack Query's 2215bb031 (#8737), Định Lê's change of query-core's types.ts: its squash names Dominik
    Dorfmeister, query-core's main author, as co-author — he pushed fixes to the branch and reviewed it — and he was
    left out of the reviewers as one who wrote it (46 of Query's last 200 commits name a maintainer so). Replayed on
    merged pull requests, whose merger is known to have approved them, keeping a co-author among the reviewers finds
    mergers who had pushed to the branch (flask, prometheus, scrapy) and loses none. A co-author who also authored a
    commit of the change stays out: that is writing it."""
    mia, ned, olga = ("Mia Maintainer", "mia@example.com"), ("Ned Newcomer", "ned@example.com"), ("Olga Other", "olga@example.com")
    github = ("GitHub", "noreply@github.com")
    repo = GitRepo(tmp_path / "r")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(20))
    for i in range(6):
        body += f"# {i}\n"
        repo.commit({"types.py": body}, author=olga if i == 2 else mia, date=f"2024-01-0{i + 1}T12:00:00+00:00")
    repo.commit({"other.py": "X = 1\n"}, author=ned, date="2024-01-07T12:00:00+00:00")
    store = tmp_path / "store"
    run(["ingest", str(repo.root)], store)
    reviewers = {}
    for branch in ("squashed", "pushed"):
        repo.git("checkout", "-q", "-b", branch, "main")
        if branch == "squashed":
            repo.commit({"types.py": body + "# optional variables\n"}, author=ned, committer=github,
                        date="2024-01-08T12:00:00+00:00", message="Make variables optional (#12)\n\n* first\n\n* fix adapters",
                        trailers=[f"Co-authored-by: {mia[0]} <{mia[1]}>"])
        else:  # the branch merged as it is: Mia's own commit on it
            repo.commit({"types.py": body + "# optional variables\n"}, author=ned, date="2024-01-08T12:00:00+00:00",
                        trailers=[f"Co-authored-by: {mia[0]} <{mia[1]}>"])
            repo.commit({"types.py": body + "# optional variables, fixed\n"}, author=mia, date="2024-01-08T13:00:00+00:00")
        reviewers[branch] = [(r["name"], r["reasons"][0]) for r in json.loads(pr(repo, store).output)["suggested_reviewers"]]
    assert reviewers["squashed"][0] == ("Mia Maintainer", "co-authored this change")
    assert "Mia Maintainer" not in [name for name, _ in reviewers["pushed"]]


def test_the_human_co_author_of_an_agents_commit_asked_for_it_and_does_not_review_it(tmp_path):
    """Copilot's coding agent commits as itself and names the person who assigned it the task as co-author; GitHub
    does not let that person approve the pull request. A human co-author of a change an agent authored drove the agent:
    one of its writers, not its reviewer (a maintainer's co-authorship of a person's change is a review)."""
    mia, ned = ("Mia Maintainer", "mia@example.com"), ("Ned Newcomer", "ned@example.com")
    copilot = ("Copilot", "198982749+Copilot@users.noreply.github.com")
    repo = GitRepo(tmp_path / "r")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(20))
    for i in range(6):
        body += f"# {i}\n"
        repo.commit({"types.py": body}, author=mia, date=f"2024-01-0{i + 1}T12:00:00+00:00")
    repo.commit({"types.py": body + "# ned\n"}, author=ned, date="2024-01-07T12:00:00+00:00")
    store = tmp_path / "store"
    run(["ingest", str(repo.root)], store)
    repo.git("checkout", "-q", "-b", "agent", "main")
    repo.commit({"types.py": body + "# ned\n# by the agent\n"}, author=copilot, date="2024-01-08T12:00:00+00:00",
                message="Make variables optional", trailers=[f"Co-authored-by: {mia[0]} <{mia[1]}>"])
    report = json.loads(pr(repo, store).output)
    assert report["agent"]["detected"]
    assert "Mia Maintainer" not in [r["name"] for r in report["suggested_reviewers"]]
    assert [r["name"] for r in report["suggested_reviewers"]] == ["Ned Newcomer"]


def test_a_reviewer_list_names_likely_one_person_once(tmp_path):
    """TanStack Query's b4368c437: "kimchosule" (one commit) and "kimchosule" <kimchosule1@…> (known from a
    co-author trailer the same day) were both suggested. Identity resolution never merges one-word names (two
    "alex"es are often two people), and `cairn people` lists such a pair as likely one person; a reviewer list names
    it once, the better-ranked, saying the other name beside it."""
    mia, rita = ("Mia Maintainer", "mia@example.com"), ("Rita Newcomer", "rita@example.com")
    kim, kim_at_work = ("kimchosule", "chosule@naver.example"), "kimchosule <kimchosule1@bizbee.example>"
    repo = GitRepo(tmp_path / "r")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(20))
    for i in range(8):
        body += f"# {i}\n"
        by_kim = i in (2, 4, 6)
        repo.commit({"lib.py": body}, author=kim if by_kim else mia, date=f"2024-01-0{i + 1}T12:00:00+00:00",
                    trailers=[] if by_kim else [f"Co-authored-by: {kim_at_work}"])
    store = tmp_path / "store"
    run(["ingest", str(repo.root)], store)
    repo.git("checkout", "-q", "-b", "change")
    repo.commit({"lib.py": body + "# fix\n"}, author=rita, date="2024-01-10T12:00:00+00:00")
    report = json.loads(pr(repo, store).output)
    named = [(r["name"], r["reasons"][-1]) for r in report["suggested_reviewers"]]
    kims = [(name, reason) for name, reason in named if name.startswith("kimchosule")]
    assert len(kims) == 1 and kims[0][1].startswith("likely also 'kimchosule"), named


def test_a_large_directorys_maintainer_ranks_above_who_wrote_one_of_its_files(tmp_path):
    """fluxcd/flux2: a fix of cmd/flux/migrate.go (248 files there) was suggested to three people who had each
    written one new file of cmd/flux/, once, beside the maintainers who wrote most of it: a file one wrote alone is
    the most one can know of a file, and knowing a directory was the most one knew of one of its files. Authorship
    of a directory's other files counts by how much of the directory it covers: Mia wrote 24 of cli/'s 30 other
    files five months ago, Otto one last week; Rita changes the file Paul wrote."""
    mia, otto, paul = ("Mia Maintainer", "mia@example.com"), ("Otto Once", "otto@example.com"), ("Paul Patcher", "paul@example.com")
    rita = ("Rita Newcomer", "rita@example.com")
    repo = GitRepo(tmp_path / "flat")
    repo.commit({"cli/__init__.py": "", **{f"cli/cmd{i:02}.py": f"def run{i}():\n    return {i}\n" for i in range(23)}},
                author=mia, date="2024-01-10T12:00:00+00:00")
    repo.commit({f"cli/extra{i}.py": f"X = {i}\n" for i in range(5)}, author=paul, date="2024-05-01T12:00:00+00:00")
    repo.commit({"cli/fix.py": "def fix():\n    return 1\n"}, author=paul, date="2024-05-20T12:00:00+00:00")
    repo.commit({"cli/plugin.py": "def plugin():\n    return 1\n"}, author=otto, date="2024-05-25T12:00:00+00:00")
    store = tmp_path / "store"
    run(["ingest", str(repo.root)], store)
    repo.git("checkout", "-q", "-b", "change")
    repo.commit({"cli/fix.py": "def fix():\n    return 2\n"}, author=rita, date="2024-06-01T12:00:00+00:00")
    report = json.loads(pr(repo, store).output)
    assert [(r["name"], r["reasons"]) for r in report["suggested_reviewers"]] == [
        ("Paul Patcher", ["made 100 % of the changes to cli/fix.py"]), ("Mia Maintainer", ["knows cli/ (24 other files)"]),
        ("Otto Once", ["knows cli/ (1 other file)"])]


def test_a_files_long_time_author_still_active_ranks_above_one_off_contributors_who_touched_it_since(tmp_path):
    """caddy's d6f7f18b0, a fix of fileserver/staticfiles.go: Christian Mehlmauer (one commit, a new benchmark test
    of fileserver/) and cyphercodes (no commit, one co-author trailer) were suggested before Matthew Holt, who wrote
    the file (54 commits) and still works in the package; poetry's #10917 put Koda Reef (one co-author trailer) above
    a maintainer. One commit or one trailer is little evidence that someone is one of a package's people: knowledge
    counts as far as the evidence goes (``evidence_weight``). Mia wrote server.go over ten commits, last there 14
    months ago, and util.go two months ago; last week Ned added bench_test.go, his only commit, and Olga co-authored
    Pete's one-line change of server.go, her only trace."""
    mia, ned, olga = ("Mia Maintainer", "mia@example.com"), ("Ned Once", "ned@example.com"), ("Olga Once", "olga@example.com")
    pete, rita = ("Pete Patcher", "pete@example.com"), ("Rita Newcomer", "rita@example.com")
    repo = GitRepo(tmp_path / "pkg")
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(30))
    for i in range(10):
        body += f"# {i}\n"
        repo.commit({"pkg/__init__.py": "", "pkg/server.py": body}, author=mia, date=f"2023-03-{i + 1:02}T12:00:00+00:00")
    repo.commit({"pkg/util.py": "def util():\n    return 1\n"}, author=mia, date="2024-04-01T12:00:00+00:00")
    repo.commit({"pkg/bench_test.py": "def test_bench():\n    assert True\n"}, author=ned, date="2024-05-25T12:00:00+00:00")
    repo.commit({"pkg/server.py": body + "# patched\n"}, author=pete, date="2024-05-26T12:00:00+00:00",
                trailers=[f"Co-authored-by: {olga[0]} <{olga[1]}>"])
    store = tmp_path / "store"
    run(["ingest", str(repo.root)], store)
    repo.git("checkout", "-q", "-b", "change")
    repo.commit({"pkg/server.py": body + "# patched\n# fixed\n"}, author=rita, date="2024-06-01T12:00:00+00:00")
    names = [r["name"] for r in json.loads(pr(repo, store).output)["suggested_reviewers"]]
    assert names[0] == "Mia Maintainer", names


def test_new_packages_are_the_repositorys_first_uses_and_tests_only_imports_are_told_apart(shop, tmp_path):
    """ibc-go: a new query_test.go importing testify and testing was "new external packages: testify" — a module's
    first import of a package the repository uses everywhere, and in a test at that."""
    shop.commit({"shop/db/queries.py": "import requests\nfrom shop.db import tables\n"}, author=CAROL, message="fetch")
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    shop.git("checkout", "-q", "-b", "packages")
    shop.commit({"shop/api/routes.py": "import requests\nimport subprocess\nfrom shop.core.prices import price\n",
                 "shop/api/client.py": "import httpx\n",
                 "tests/test_routes.py": "import json\nimport pytest\nimport httpx\nimport shop.api.routes\n",
                 "tests/test_client.py": "import hypothesis\n"}, author=BOB, message="client")
    report = json.loads(pr(shop, store).output)
    external = {(e["source"], e["target"]): (e["test_only"], e["first_use"]) for e in report["new_edges"] if e["external"]}
    assert external == {
        ("shop.api.routes", "external:requests"): (False, False),  # used by shop.db.queries already
        ("shop.api.routes", "external:subprocess"): (False, True),
        ("shop.api.client", "external:httpx"): (False, True),
        ("tests.test_routes", "external:json"): (True, True),
        ("tests.test_routes", "external:pytest"): (True, True),
        ("tests.test_routes", "external:httpx"): (True, True),
        ("tests.test_client", "external:hypothesis"): (True, True),
    }
    table = pr(shop, store, fmt="table").output
    assert "new external packages: httpx\n" in table  # httpx is imported by the product too: listed once, there
    assert "new external packages in tests only: hypothesis, pytest\n" in table
    assert "new standard-library imports: subprocess\n" in table  # json only in a test
    assert "requests" not in table
    markdown = pr(shop, store, fmt="markdown").output
    assert "- new external packages in tests only: `hypothesis`, `pytest`" in markdown
    # nothing to list: no empty block
    shop.git("checkout", "-q", "-b", "only-known", "main")
    shop.commit({"shop/api/views.py": "import requests\nfrom shop.api import routes\n"}, author=BOB, message="requests")
    quiet = pr(shop, store, fmt="markdown").output
    assert json.loads(pr(shop, store).output)["new_edges"] and "new import edge" not in quiet


DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def test_a_version_bump_a_readme_or_a_bots_change_raises_no_knowledge_risk_and_a_code_change_still_does(shop, tmp_path):
    """vue's release d2c458be2 bumped the version in 13 package.json files and had 11 knowledge-risk findings; its README
    link fix 9d92dbded and ripgrep's dependabot bump 6dfaec03 one each: none changes the code the truck factor counts,
    or a person wrote none. The core (Ada alone) is at risk."""
    shop.commit({"shop/core/package.json": '{"version": "1.0.0"}\n'}, author=ADA, message="package")
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0

    def risks(branch: str, files: dict[str, str], author=BOB) -> tuple[list[tuple[str, str]], list[str]]:
        shop.git("checkout", "-q", "-b", branch, "main")
        shop.commit(files, author=author, committer=("GitHub", "noreply@github.com"), message=branch)
        report = json.loads(pr(shop, store).output)
        return ([(f["source_component"], f["file"]) for f in report["findings"] if f["kind"] == "knowledge_risk"],
                [c["name"] for c in report["touched_components"]])

    # a manifest stored as uncounted, a new README judged by its name
    assert risks("bump", {"shop/core/package.json": '{"version": "1.0.1"}\n',
                          "shop/core/README.md": "# Core\n\nSee [prices](prices.py).\n"}) == ([], ["core"])
    assert risks("bot", {"shop/core/prices.py": "def price(x):\n    return x * 7\n"}, author=DEPENDABOT) == ([], ["core"])
    # pointing at the code changed, not at the manifest beside it
    assert risks("code", {"shop/core/prices.py": "def price(x):\n    return x * 7\n",
                          "shop/core/package.json": '{"version": "1.0.2"}\n'}) == ([("core", "shop/core/prices.py")],
                                                                                    ["core"])


def test_a_change_that_removes_a_components_last_dependency_and_breaks_a_cycle_says_so(shop, tmp_path):
    """vue's 4d35ecadb "remove package dependency cycle" replaced server-renderer's imports of vue: Cairn said only what
    it added. Here the core's legacy import of the database layer goes, which the database layer imports back."""
    shop.commit({"shop/db/queries.py": "from shop.db import tables\nfrom shop.core import prices\n"}, author=CAROL, message="x")
    store = tmp_path / "store"
    assert run(["ingest", str(shop.root)], store).exit_code == 0
    shop.git("checkout", "-q", "-b", "untangle")
    shop.commit({"shop/core/legacy.py": "TABLES = ()\n"}, author=BOB, message="drop the legacy import",
                trailers=[f"Co-authored-by: {CLAUDE}"])
    report = json.loads(pr(shop, store).output)
    removed = [(f["rule"], f["severity"], f["message"]) for f in report["findings"]
               if f["kind"] in ("removed_dependency", "broken_cycle")]
    assert removed == [
        ("cairn/removed-component-dependency", "info", "removes the last dependency of component core on component db "
                                                       "(shop.core.legacy imported shop.db.tables at shop/core/legacy.py:1)"),
        ("cairn/broken-cycle", "info", "breaks the dependency cycle between components core -> db -> core"),
    ]  # good news: not raised for the agent's change, whose knowledge risk is
    assert [f["severity"] for f in report["findings"] if f["kind"] == "knowledge_risk"] == ["warn"]
    markdown = pr(shop, store, fmt="markdown").output
    assert "removes the last dependency of component core on component db" in markdown
    assert "breaks the dependency cycle between components core -> db -> core" in pr(shop, store, fmt="table").output
