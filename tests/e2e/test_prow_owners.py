"""Owners declared the Kubernetes way, in Prow's OWNERS files, as cert-manager and kueue do (they keep no CODEOWNERS).

cert-manager's top OWNERS approves everything through an alias of OWNERS_ALIASES (``cm-maintainers``),
``pkg/issuer/vault/OWNERS`` adds its own approver (munnerz), most other OWNERS only set labels; kueue's top OWNERS
puts its approvers under the catch-all filter ``".*"`` beside filters for a few files by name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")


def cairn(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True)


MUNNERZ = ("James Munnelly", "munnerz@users.noreply.github.com")
INTEON = ("Tim Ramlot", "42113979+inteon@users.noreply.github.com")
ERIK = ("Erik Godding Boye", "egboye@gmail.com")


def make_repo(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({
        "OWNERS_ALIASES": "aliases:\n  cm-maintainers:\n    - inteon\n    - erikgb\n",
        "OWNERS": ("filters:\n  \".*\":\n    approvers:\n      - cm-maintainers\n    emeritus_approvers:\n      - jakexks\n"
                   "  \"go\\\\.(mod|sum)$\":\n    approvers:\n      - dependency-bot\n"),
        "pkg/issuer/vault/OWNERS": "approvers:\n- munnerz\nreviewers:\n- vdesjardins\nlabels:\n- area/vault\n",
        "pkg/acme/OWNERS": "labels:\n- area/acme\n",
        "deploy/OWNERS": "options:\n  no_parent_owners: true\napprovers:\n- '@erikgb'\n",
        "design/OWNERS": "approvers: [unclosed\n",  # not YAML: a note, not a failure
        "vendor/github.com/x/OWNERS": "approvers:\n- stranger\n",  # another project's
        **{f"pkg/issuer/vault/v{i}.go": "package vault\n" for i in range(3)},
        **{f"pkg/acme/a{i}.go": "package acme\n" for i in range(3)},
        **{f"deploy/d{i}.go": "package deploy\n" for i in range(3)},
        "vendor/github.com/x/x.go": "package x\n",
    }, author=MUNNERZ, date="2024-01-01T10:00:00+00:00")
    repo.commit({"pkg/acme/a0.go": "package acme\n// more\n"}, author=INTEON, date="2024-02-01T10:00:00+00:00")
    repo.commit({"deploy/d0.go": "package deploy\n// more\n"}, author=ERIK, date="2024-03-01T10:00:00+00:00")
    return repo


def who_knows(store: Path, path: str) -> dict:
    proc = cairn("who-knows", path, "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (answer,) = json.loads(proc.stdout)["paths"]
    return answer


def test_the_owners_files_declare_who_approves_each_folder_with_its_parents(tmp_path):
    repo = make_repo(tmp_path / "cert-manager")
    store = tmp_path / "store"
    ingested = cairn("ingest", str(repo.root), "--store", str(store))
    assert ingested.returncode == 0, ingested.stderr
    assert "design/OWNERS: not valid YAML" in " ".join(ingested.stdout.split() + ingested.stderr.split())
    owners = {path: sorted(o["owner"] for o in who_knows(store, path)["codeowners"])
              for path in ("pkg/issuer/vault", "pkg/acme", "deploy/d1.go")}
    assert owners == {
        # its own approver and those above it (the alias expanded; emeritus approvers and a filter by name are not)
        "pkg/issuer/vault": ["@erikgb", "@inteon", "@munnerz"],
        "pkg/acme": ["@erikgb", "@inteon"],  # labels only: the top's approvers
        "deploy/d1.go": ["@erikgb"],  # no_parent_owners
    }
    vault = who_knows(store, "pkg/issuer/vault")
    assert vault["owners_file"] == "OWNERS"
    assert any(a["why"].endswith("declared owner in OWNERS") for a in vault["ask"])
    # the owners are the people of the history (by their logins), not people of their own
    people = json.loads(cairn("people", "--store", str(store), "--format", "json").stdout)["people"]
    assert sorted(p["name"] for p in people if not p["declared_only"]) == ["Erik Godding Boye", "James Munnelly",
                                                                           "Tim Ramlot"]
    assert "@stranger" not in json.dumps(people)


def test_a_codeowners_file_wins_over_the_owners_files(tmp_path):
    repo = make_repo(tmp_path / "cert-manager")
    repo.commit({".github/CODEOWNERS": "* @inteon\n"}, author=INTEON, date="2024-04-01T10:00:00+00:00")
    store = tmp_path / "store"
    assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
    vault = who_knows(store, "pkg/issuer/vault")
    assert [o["owner"] for o in vault["codeowners"]] == ["@inteon"] and vault["owners_file"] == "CODEOWNERS"


def test_aliases_naming_thousands_of_logins_give_a_rule_of_so_many_owners(tmp_path):
    # an OWNERS of 50 aliases of 300 logins each names 15,000 owners a folder: a rule keeps MAX_OWNERS_PER_LINE, the
    # first ones in order (the expansion stops there)
    from cairn.ingest.codeowners import MAX_OWNERS_PER_LINE
    from cairn.ingest.prow_owners import read_prow_owners

    aliases = "".join(f"  a{i}:\n" + "".join(f"    - u{i}x{j}\n" for j in range(300)) for i in range(50))
    (tmp_path / "OWNERS_ALIASES").write_text("aliases:\n" + aliases)
    (tmp_path / "OWNERS").write_text("approvers:\n" + "".join(f"- a{i}\n" for i in range(50)))
    (rule,) = read_prow_owners(tmp_path, {"OWNERS", "OWNERS_ALIASES", "x.go"}).rules
    assert len(rule.owners) == MAX_OWNERS_PER_LINE and rule.owners[0] == "@u0x0"
