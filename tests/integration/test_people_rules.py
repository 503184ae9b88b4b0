"""The rules behind the people answers, one by one: name folding, bots by name, [[people]], logins from pull
requests, Linguist's file scope, CODEOWNERS directories, likely duplicates, reviewer ranking."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from fixtures.gitrepo import GitRepo
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.people import PersonIndex, fold_name
from cairn.ingest.codeowners import parse_codeowners
from cairn.ingest.components import ComponentDef
from cairn.ingest.history import mine_history
from cairn.ingest.identities import Classifier, DeclaredPerson, mergeable_name, resolve_identities
from cairn.ingest.linguist import detect_language, exclusion, truck_factor_scope
from cairn.ingest.owned_components import codeowners_components, component_parents, owned_directory
from cairn.queries.people import likely_duplicates
from cairn.queries.reviewers import suggest_reviewers


@pytest.mark.parametrize("a, b", [
    ("Bartłomiej Płotka", "Bartlomiej Plotka"), ("Søren Ørsted", "Soren Orsted"), ("Đorđe Đokić", "Dorde Dokic"),
    ("Jürgen Straße", "jurgen strasse"), ("Æsa Œuvre", "aesa oeuvre"), ("  José   O'Neil ", "jose o neil"),
])
def test_names_fold_letters_unicode_does_not_decompose(a, b):
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize("name, mergeable", [
    ("Bartłomiej Płotka", True), ("alice", False), ("Bob", False), ("J. Doe", False), ("root", False), ("Ab Cd", True),
])
def test_only_full_names_merge_on_their_own(name, mergeable):
    assert (mergeable_name(name) is not None) is mergeable


@pytest.mark.parametrize("name, kind", [
    ("prombot", "bot"), ("PrometheusBot", "bot"), ("k8s-ci-robot", "bot"), ("bot", "bot"), ("my_robot", "bot"),
    ("Sam Talbot", "human"), ("Abbot", "human"), ("Talbot Smith", "human"), ("Robert", "human"),
    ("edX Transifex Bot", "bot"), ("Acme release robot", "bot"), ("Jeroen Bot", "human"), ("Jeroen de Bot", "human"),
    ("Marie van den Bot", "human"), ("CI", "bot"), ("Cid", "human"),
    ("Bot Smith", "human"), ("Sam Talbot Jones", "human"),
])
def test_bots_by_the_shape_of_their_name(name, kind):
    assert Classifier.from_settings().kind(name, "x@example.com") == kind


@pytest.mark.parametrize("name, email, kind", [
    # course-discovery's translations, committed under team addresses; dotcom-rendering's and cdk's CI account
    ("edX Transifex Bot", "ecom-eng@edx.org", "bot"), ("Transifex", "learner-engineering@edx.org", "bot"),
    ("theguardian.com continuous integration", "guardian-ci@users.noreply.github.com", "bot"),
    ("guardian-ci", "12345+guardian-ci@users.noreply.github.com", "bot"),
    ("guardian-ci", "guardian-ci@@users.noreply.github.com", "bot"),  # (cdk: 45 commits with a mistyped address)
    ("Ci Zhang", "ci.zhang@example.com", "human"), ("Marcin", "marcin-ci@example.com", "human"),
    ("CI", "ci@argoproj.com", "bot"), ("Cid", "ci@example.com", "human"),  # (Argo CD's; a person's own ci@ address)
    ("Kostas Bairaktaris", "kbairak@transifex.com", "human"),  # a person who works at Transifex
    ("TeamCity", "no-reply@jetbrains.com", "bot"),  # ktor's release builds ("[maven-release-plugin] …"), 27 commits
    ("TeamCity", "teamcity@ip-192-168-0-29.us-west-2.compute.internal", "bot"),  # OpenTofu's
    ("yana-ochen", "yana-ochen@TeamCity", "human"),  # a person committing on a build machine (spring-petclinic)
    ("i18n automation", "runner@fv-az51.nhi3in4tbx4ehjtltcwuwbwsua.cx.internal.cloudapp.net", "bot"),  # excalidraw
    ("Ann Runner", "runner@example.com", "human"), ("Jenkins", "jenkins@Jenkinss-MacBook-Pro.local", "human"),
    # hugo's release tool, named as the "+" tag of its author's address; his own commits there stay his
    ("hugoreleaser", "bjorn.erik.pedersen+hugoreleaser@gmail.com", "bot"),
    ("Bjørn Erik Pedersen", "bjorn.erik.pedersen+hugoreleaser@gmail.com", "human"),
    ("Ann", "ann+releaser@example.com", "human"), ("releaser", "ann@example.com", "human"),
])
def test_service_accounts_by_their_name_or_address(name, email, kind):
    assert Classifier.from_settings().kind(name, email) == kind


def test_bots_by_their_login_or_address_and_the_pi_agent():
    # Loki's "Grot" commits as @grafanabot; Vector's Terraform from robot-vector-vector@; pytest's "pytest bot"; the Pi
    # coding agent's trailer names the model it ran
    classifier = Classifier.from_settings()
    cases = [("Grot (@grafanabot)", "43478413+grafanabot@users.noreply.github.com", "bot"),
             ("OpenTelemetry Bot", "107717825+opentelemetrybot@users.noreply.github.com", "bot"),
             ("Terraform", "robot-vector-vector@datadoghq.com", "bot"), ("pytest bot", "pytestbot@gmail.com", "bot"),
             ("Gopher Robot", "gobot@golang.org", "bot"),  # Go's Gerrit bot, on golang/net's and tools' trailers
             ("Pi OpenAI GPT-5.5", "noreply@pi.dev", "agent"),
             # people: a surname ending in "bot" in a login, a login beginning with "robot-", a "Bot" by name
             ("Ryan Talbot", "4523072+RyanTalbot@users.noreply.github.com", "human"),
             ("ThatsMrTalbot", "15379715+ThatsMrTalbot@users.noreply.github.com", "human"),
             ("Sam Talbot", "1+stalbot@users.noreply.github.com", "human"),
             ("Dominik Philp", "robot-o@users.noreply.github.com", "human"), ("Jeroen Bot", "jeroen@bot.nl", "human"),
             ("Ann Abbot", "ann.abbot@example.com", "human")]
    assert [classifier.kind(name, email) for name, email, _ in cases] == [kind for _, _, kind in cases]


def test_declared_people_join_what_nothing_else_would():
    raw = [("Rita Remote", "rita@corp.example"), ("Rita R", "rita.r@home.example"), ("rr", "1+rremote@users.noreply.github.com"),
           ("Other", "other@example.com")]
    notes: list[str] = []
    people, person_of = resolve_identities(raw, ["human"] * 4, [1, 5, 1, 1],
                                           [DeclaredPerson("Rita Remote", ("@rremote", "rita.r@home.example", "Rita R.")),
                                            DeclaredPerson("Nobody Here", ("@nobody",))], notes=notes)
    assert person_of[0] == person_of[1] == person_of[2] != person_of[3]
    rita = people[person_of[0]]
    assert rita.name == "Rita Remote" and rita.logins == ["rremote"] and rita.names[0] == "Rita R"
    assert notes == ["[[people]] 'Nobody Here' (cairn.toml) matches no identity in the history"]


def test_logins_from_pull_request_merges(tmp_path):
    repo = GitRepo(tmp_path / "prs")
    ann, ben = ("Ann Lee", "ann@example.com"), ("Ben Ito", "ben@example.com")
    repo.commit({"a.py": "a\n"}, author=ann)
    for login, author, n in (("ben-gh", ben, 1), ("ben-gh", ben, 2), ("org", ann, 3), ("org", ben, 4)):
        repo.git("checkout", "-q", "-b", f"topic{n}")
        repo.commit({f"f{n}.py": "x\n"}, author=author)
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{n} from {login}/topic{n}", f"topic{n}")
    history = mine_history(repo.root)
    logins = {ph.person.name: ph.person.logins for ph in history.people}
    # "org" branches carry two people's work: nobody's login (Ada merged them all)
    assert logins == {"Ann Lee": [], "Ben Ito": ["ben-gh"], "Ada Lovelace": []}
    # the organisation's own branches voted for one person only (otel's "from open-telemetry/…" gave Bogdan Drutu the
    # organisation's name): an organisation CODEOWNERS names teams of is nobody's login
    repo.git("checkout", "-q", "-b", "topic5")
    repo.commit({"f5.py": "x\n"}, author=ann)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #5 from acme/topic5", "topic5")
    assert {ph.person.name: ph.person.logins for ph in mine_history(repo.root).people}["Ann Lee"] == ["acme"]
    repo.commit({".github/CODEOWNERS": "* @Acme/maintainers\n"})
    assert {ph.person.name: ph.person.logins for ph in mine_history(repo.root).people}["Ann Lee"] == []


def test_a_login_needs_better_evidence_than_one_merge_or_an_organisations_fork(tmp_path):
    # cert-manager: Tim Ramlot (@inteon, his noreply address) finished @joshmue's pull request and got @joshmue;
    # James Munnelly (@munnerz) pushed most branches of the organisation's fork @jetstack and got it; vector: Lucio
    # Franco (no login of his own) got @timberio, whose third merge was two other people's work
    repo = GitRepo(tmp_path / "prs")
    tim, james = ("Tim Ramlot", "1+inteon@users.noreply.github.com"), ("James Munnelly", "james@example.com")
    lucio, luke, mike = ("Lucio Franco", "lucio@example.com"), ("Luke Stone", "luke@example.com"), (
        "Mike Fair", "mike@example.com")
    repo.commit({"a.py": "a\n"}, author=tim)
    merges = [("inteon", [tim]), ("inteon", [tim]), ("joshmue", [tim]), ("munnerz", [james]), ("munnerz", [james]),
              ("jetstack", [james]), ("jetstack", [james]), ("jetstack", [james]), ("jetstack", [james]),
              ("jetstack", [mike]), ("timberio", [lucio]), ("timberio", [lucio]), ("timberio", [luke, mike])]
    for n, (login, authors) in enumerate(merges, 1):
        repo.git("checkout", "-q", "-b", f"topic{n}")
        for k, author in enumerate(authors):
            repo.commit({f"f{n}_{k}.py": "x\n"}, author=author)
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{n} from {login}/topic{n}", f"topic{n}")
    logins = {ph.person.name: ph.person.logins for ph in mine_history(repo.root).people}
    assert logins["Tim Ramlot"] == ["inteon"] and logins["James Munnelly"] == ["munnerz"]
    assert logins["Lucio Franco"] == []


@pytest.mark.parametrize("path, language, counted, why", [
    ("web/ui/index.html", "html", True, None), ("web/ui/style.css", "css", True, None),
    ("Makefile", "makefile", True, None), ("Dockerfile", "dockerfile", True, None),
    ("templates/base.jinja", "jinja", True, None), ("src/app.py", "python", True, None),
    ("docs/conf.py", "python", False, "documentation"), ("examples/demo/main.go", "go", False, "documentation"),
    ("pkg/examples/x.go", "go", True, None), ("documentation/examples/y.go", "go", False, "documentation"),
    # a top-level playground: projects to try the product on (vite's, react-router's), but a Go package Go builds
    ("playground/css/main.js", "javascript", False, "documentation"),
    ("playground/css/__tests__/css.spec.ts", "typescript", False, "documentation"),
    ("playgrounds/sandbox/run.js", "javascript", False, "documentation"),
    ("playground/socket/socket.go", "go", True, None), ("src/playground/index.ts", "typescript", True, None),
    # a top-level folder named as documentation of some kind, and Writerside's
    ("documentation-website/Writerside/snippets/app/src/main/kotlin/App.kt", "kotlin", False, "documentation"),
    ("docs_src/tutorial001.py", "python", False, "documentation"), ("help/Writerside/topics/x.kt", "kotlin", False, "documentation"),
    ("src/docs_src/x.py", "python", True, None), ("docsify/index.js", "javascript", True, None),
    ("vendor/lib/z.go", "go", False, "vendored"), ("tsdb/testdata/gen.go", "go", False, "test data"),
    # a top deps/: redis' C libraries, but a Go package of the module (hugo's deps), unless vendored below
    ("deps/hiredis/hiredis.c", "c", False, "vendored"), ("deps/deps.go", "go", True, None),
    ("deps/vendor/x/y.go", "go", False, "vendored"),
    ("types/index.d.ts", "typescript", True, None), ("node_modules/@types/node/index.d.ts", "typescript", False, "vendored"),
    ("static/app.min.js", "javascript", False, "vendored"),
    ("api/service.pb.go", "go", False, "generated"), ("README.md", "markdown", False, "data or prose"),
    ("config.yaml", "yaml", False, "data or prose"), ("schema.sql", "sql", False, "data or prose"),
    ("go.mod", "go-module", False, "data or prose"),
    # test data: Linguist's fixtures, Jest's folders and a suite's sample cases; test code beside them counts
    ("packages/svelte/tests/runtime-runes/samples/each/_config.js", "javascript", False, "test data"),
    ("test/function/samples/x/_expected/main.js", "javascript", False, "test data"),
    ("tests/samples/a/main.svelte", "svelte", False, "test data"), ("lib/test/fixtures/a.js", "javascript", False, "test data"),
    ("spec/fixtures/b.rb", "ruby", False, "test data"), ("src/__tests__/fixtures/dep/index.js", "javascript", False, "test data"),
    ("client/src/__fixtures__/state.tsx", "typescript", False, "test data"),
    ("src/__snapshots__/render.js", "javascript", False, "test data"),
    ("tests/data/cases/pep_572.py", "python", False, "test data"),
])
def test_the_truck_factor_counts_what_linguist_counts(path, language, counted, why):
    assert detect_language(path) == language
    assert truck_factor_scope(path, detect_language(path)) == (counted, why)


def test_gitattributes_override_linguist_either_way():
    assert exclusion("docs/tool.py", {"linguist-documentation": False}) is None
    assert exclusion("src/gen.py", {"linguist-generated": True}) == "generated"
    # test data is among Linguist's vendored paths: the vendored attribute decides it
    assert exclusion("test/fixtures/a.js", {"linguist-vendored": False}) is None
    assert exclusion("test/fixtures/a.js", {"linguist-vendored": True}) == "vendored"
    assert exclusion("test/fixtures/a.js", {"linguist-generated": False}) == "test data"
    assert truck_factor_scope("tests/data/cases/x.py", "python", {"linguist-vendored": False}) == (True, None)
    assert truck_factor_scope("data.json", "json", {"linguist-detectable": True}) == (True, None)
    assert truck_factor_scope("src/a.py", "python", {"linguist-detectable": False})[0] is False
    assert detect_language("bin/run", b"#!/usr/bin/env python3\n") == "python"
    assert detect_language("bin/run", b"#!/bin/bash\n") == "shell"


def test_codeowners_directories_become_nested_components():
    owners = parse_codeowners("* @org/all\n/storage/ @a\n/storage/remote/ @b\nweb/ui @c\n*.go @d\n/.github/ @e\n"
                              "/docs/*.md @f\n/missing/ @g\n", "CODEOWNERS")
    sources = ["storage/merge.go", "storage/remote/write.go", "web/ui/index.html", "web/api/api.go", ".github/x.sh"]
    layout = [ComponentDef("storage", ["storage/**"]), ComponentDef("web", ["web/**"])]
    seeded = codeowners_components(owners, sources, layout)
    assert [(c.name, c.paths) for c in seeded] == [("storage/remote", ["storage/remote/**"]), ("web/ui", ["web/ui/**"])]
    assert component_parents(layout + seeded) == {"storage/remote": "storage", "web/ui": "web"}
    assert owned_directory("tsdb/wlog/**", {"tsdb", "tsdb/wlog"}) == "tsdb/wlog"
    assert owned_directory("**/testdata", {"testdata"}) is None
    # dotcom-rendering: the app's folder is looked through, its parts named by their last folder; a directory below
    # one of them is named after it, and a hidden one is tooling at any depth
    owners = parse_codeowners("/app/src/client/islands/ @a\n/app/.storybook/ @b\n/app/src/lib/braze/ @c\n"
                              "/app/src/lib/ads/ @d\n", "CODEOWNERS")
    sources = ["app/src/client/main.ts", "app/src/client/islands/hydrate.ts", "app/.storybook/main.ts",
               "app/src/lib/braze/b.ts", "app/src/lib/util.ts", "app/src/lib/ads/slot.ts"]
    layout = [ComponentDef("client", ["app/src/client/**"]), ComponentDef("lib", ["app/src/lib/*"]),
              ComponentDef("braze", ["app/src/lib/braze/**"]), ComponentDef("lib/ads", ["app/src/lib/x/**"])]
    seeded = codeowners_components(owners, sources, layout)
    # (src/lib/ads: its holder keeps only its own files, "app/src/lib/*": named by its path, as one taken would be)
    assert [(c.name, c.paths) for c in seeded] == [("client/islands", ["app/src/client/islands/**"]),
                                                   ("app/src/lib/ads", ["app/src/lib/ads/**"])]
    # Argo CD: /hack/ is the approvers' and the CI team's; entries below it that only drop the CI team are no team's
    # part (prometheus' entries add people to the maintainers: those are)
    owners = parse_codeowners("* @o/approvers\n/hack/ @o/approvers @o/ci\n/hack/gen-docs/ @o/approvers\n"
                              "/hack/gen-resources/ @o/approvers @o/ci\n/hack/bench/ @o/approvers @perf\n"
                              "/tsdb/ @o/approvers @tsdb-person\n", "CODEOWNERS")
    sources = [f"{d}/f{i}.go" for d in ("hack/gen-docs", "hack/gen-resources", "hack/bench", "hack/x", "tsdb/a", "tsdb/b")
               for i in range(2)]
    layout = [ComponentDef("hack", ["hack/**"]), ComponentDef("tsdb/a", ["tsdb/a/**"]), ComponentDef("tsdb/b", ["tsdb/b/**"])]
    assert [c.name for c in codeowners_components(owners, sources, layout)] == ["hack/bench", "tsdb"]


def test_one_lookup_finds_a_person_by_any_name_email_or_login():
    graph = RepoGraph("r")
    bartek = graph.add_node(Label.PERSON, "bwplotka@gmail.com", name="Bartlomiej Plotka", names=["Bartłomiej Płotka", "bwplotka"],
                            emails=["bwplotka@gmail.com"], logins=["bwplotka"], aliases=["Bartlomiej Plotka <bwplotka@gmail.com>"],
                            kind="human")
    graph.add_node(Label.PERSON, "other@example.com", name="Other Person", emails=["other@example.com"], kind="human")
    index = PersonIndex.of(graph)
    for query in ("@bwplotka", "bwplotka", "BARTŁOMIEJ PŁOTKA", "bartlomiej  plotka", "bwplotka@GMAIL.com",
                  "12+bwplotka@users.noreply.github.com", "Bartlomiej Plotka <bwplotka@gmail.com>", "bwplotka@gmail.com"):
        assert index.find(query) == [bartek], query
    for query in ("@plotka", "Bartek", "plotka@gmail.com", ""):
        assert index.find(query) == [], query


def test_likely_duplicates_need_agreeing_names():
    def row(name, emails=(), logins=(), declared=False):
        return {"id": name, "name": name, "kind": "human", "names": [name], "emails": list(emails), "logins": list(logins),
                "commits": 1, "declared_only": declared}
    rows = [row("lord63", ["lord63.j@gmail.com"]), row("lord63", ["me@lord63.com"]),
            row("Alex Kahan", ["alex@zerofox.com"]), row("Alex Chan", ["alex@alexwlchan.net"]),
            row("Nick Zaccardi", ["nicholas.zaccardi@ndus.edu"]), row("Nicholas Zaccardi", ["nicholas.zaccardi@gmail.com"]),
            row("Frederic Branczyk", ["fbranczyk@gmail.com"]), row("@brancz", logins=["brancz"], declared=True),
            row("Helper 1", ["h1@example.com"]), row("Helper 2", ["h2@example.com"]), row("root", ["root@a"]), row("root", ["root@b"])]
    pairs = {tuple(d["names"]) for d in likely_duplicates(rows)}
    assert pairs == {("lord63", "lord63"), ("Nick Zaccardi", "Nicholas Zaccardi"), ("Frederic Branczyk", "@brancz")}


def test_a_one_word_name_that_is_anothers_login_is_a_likely_duplicate():
    """commons-lang's "alhudz <al.hudz.k@…>" (seven co-author trailers) and "alhuda", whose noreply address is
    @alhudz's, were suggested as two reviewers of one change and not listed as likely one person; a login of four
    letters is too common a name to say so ("alex")."""
    def row(name, emails=(), logins=()):
        return {"id": name, "name": name, "kind": "human", "names": [name], "emails": list(emails), "logins": list(logins),
                "commits": 1, "declared_only": False}
    rows = [row("alhuda", ["50839256+alhudz@users.noreply.github.com"], ["alhudz"]), row("alhudz", ["al.hudz.k@gmail.com"]),
            row("Alex Smith", ["a@x.io"], ["alex"]), row("alex", ["ax@y.io"])]
    found = {tuple(d["names"]): d["reasons"] for d in likely_duplicates(rows)}
    assert found == {("alhuda", "alhudz"): ["named 'alhudz', the GitHub login of the other"]}


def test_a_handle_of_an_initial_and_a_surname_is_a_likely_duplicate_of_the_one_name_it_fits():
    """gson: "jwilson <jwilson@squareup.com>" (17 commits, the 2.8.0 release) and Jesse Wilson (278) were two people,
    not even likely one; a handle that fits two full names, a short one, one beside a full name of its own, or two
    GitHub accounts say nothing."""
    def row(name, emails=(), logins=()):
        return {"id": name + "|" + ",".join(emails), "name": name, "kind": "human", "names": [name],
                "emails": list(emails), "logins": list(logins), "commits": 1, "declared_only": False}
    rows = [row("Jesse Wilson", ["jesse@swank.example"]), row("jwilson", ["jwilson@square.example"]),
            row("Kim", ["kpark@corp.example"]), row("Kate Park", ["kate@home.example"]), row("Karl Park", ["k@p.example"]),
            row("Ann Li", ["ann@li.example"]), row("ali", ["ali@corp.example"]),
            row("Tom Hart", ["thart@corp.example"]), row("Tina Hart", ["tina@hart.example"]),  # (a name of their own)
            row("Rae Dunn", ["rae@dunn.example"], ["raedunn"]), row("rdunn", ["1+rdunn@users.noreply.github.com"], ["rdunn"]),
            # celery: "W. Trevor King" <wking@…> goes by a full name of his own, and fits "wking" himself
            row("W. Trevor King", ["wking@tremily.example"]), row("William King", ["will@king.example"])]
    found = {tuple(d["names"]): d["reasons"] for d in likely_duplicates(rows)}
    assert found == {("Jesse Wilson", "jwilson"): ["'jwilson' is the initial and surname of 'jesse wilson', the one "
                                                   "full name that fits"]}


def test_reviewers_follow_the_lines_changed():
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    files = {p: graph.add_node(Label.FILE, p, component="c") for p in ("big.py", "small.py")}
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind=k, last_active="2024-05-01T00:00:00+00:00")
              for n, k in (("Big Holder", "human"), ("Small Holder", "human"), ("The Author", "human"), ("somebot", "bot"))}
    for person, path, doa in (("Big Holder", "big.py", 4.4), ("Small Holder", "small.py", 4.4), ("The Author", "big.py", 5.0),
                              ("somebot", "big.py", 6.0)):
        graph.add_edge(Rel.KNOWS, people[person], files[path], doa=doa, deliveries=2, acceptances=1, first_authorship=True,
                       reviews=0, last_touch="2024-05-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"big.py": 40, "small.py": 2}, ["The Author <author@example.com>"])
    assert [r.name for r in ranked] == ["Big Holder", "Small Holder"]
    assert ranked[0].reasons[0].startswith("made ") and ranked[0].reasons[0].endswith(" of the changes to big.py")
    flipped = suggest_reviewers(graph, {"big.py": 1, "small.py": 90}, ["The Author"])
    assert [r.name for r in flipped] == ["Small Holder", "Big Holder"]


def test_reviewers_leave_out_who_knows_a_tenth_of_the_best_unless_nobody_knows_a_file_better():
    """sqlalchemy: a patch to a file its maintainer wrote (DOA 20) suggested after him four people who changed it
    once (DOA 1.5-1.9): under a tenth of his knowledge of the change, they are left out; the only one who knows the
    other changed file stays, however few of the change's lines are there. When he wrote the change, they still
    know under a tenth of the file (``MIN_KNOWLEDGE``): nobody knows it, and the repository's people stand in."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    files = {p: graph.add_node(Label.FILE, p, component="c") for p in ("base.py", "doc.py")}
    names = ("Mike Maintainer", "Once A", "Once B", "Once C", "Doc Writer")
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind="human", last_active="2024-05-01T00:00:00+00:00",
                                commits=1) for n in names}
    for person, path, doa in (("Mike Maintainer", "base.py", 20.0), ("Once A", "base.py", 1.9), ("Once B", "base.py", 1.6),
                              ("Once C", "base.py", 1.5), ("Doc Writer", "doc.py", 3.0)):
        graph.add_edge(Rel.KNOWS, people[person], files[path], doa=doa, deliveries=1, acceptances=0,
                       first_authorship=person in ("Mike Maintainer", "Doc Writer"), reviews=0,
                       last_touch="2024-05-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"base.py": 60, "doc.py": 1}, ["Ned Newcomer <ned@example.com>"])
    assert [r.name for r in ranked] == ["Mike Maintainer", "Doc Writer"]
    alone = suggest_reviewers(graph, {"base.py": 60}, ["Mike Maintainer"])
    assert [(r.name, r.score) for r in alone] == [("Doc Writer", 0.0), ("Once A", 0.0), ("Once B", 0.0)]
    assert alone[1].reasons[0].startswith("nobody still here knows the changed files")


def test_a_changes_tests_weigh_a_quarter_of_its_code_and_the_reasons_name_the_code():
    """pip's fix of network/download.py (17 lines) with 73 lines of tests was suggested to the tests' authors,
    for the tests: beside code, a test file's lines weigh a quarter, and the reasons name the code a reviewer
    knows before a test; a change of tests alone is weighed as it is."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    paths = ("src/pkg/download.py", "tests/unit/test_download.py")
    files = {p: graph.add_node(Label.FILE, p, component="c") for p in paths}
    names = ("Code Keeper", "Test Writer", "Knows Both")
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind="human", last_active="2024-05-01T00:00:00+00:00")
              for n in names}
    for person, path, doa in (("Code Keeper", paths[0], 10.0), ("Knows Both", paths[0], 5.0),
                              ("Test Writer", paths[1], 10.0), ("Knows Both", paths[1], 9.0)):
        graph.add_edge(Rel.KNOWS, people[person], files[path], doa=doa, deliveries=2, acceptances=0,
                       first_authorship=False, reviews=0, last_touch="2024-05-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {paths[0]: 17, paths[1]: 60}, ["The Author <author@example.com>"])
    assert [r.name for r in ranked] == ["Knows Both", "Code Keeper", "Test Writer"]
    assert ranked[0].reasons[0].endswith(f" to {paths[0]}") and ranked[2].reasons[0].endswith(f" to {paths[1]}")
    tests_alone = suggest_reviewers(graph, {paths[1]: 60}, ["The Author"])
    assert [r.name for r in tests_alone] == ["Test Writer", "Knows Both"]


def test_reviewers_knowledge_fades_with_the_years_since_their_last_touch():
    """prometheus's template/template.go: the reviewers started with its long-time author, last there in 2017, while
    "ask first" named who changed it in 2024; golang/tools' replay (bench/reviewers_replay.py) put first, for most
    misses, the author of much of gopls who had moved on from those files. Knowledge halves every year since the
    person last touched the file, and under a tenth of the best suggestion's, the old author is left out."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    template = graph.add_node(Label.FILE, "template/template.go", component="template")
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind="human", last_active="2024-05-01T00:00:00+00:00")
              for n in ("Long Time Author", "Current Maintainer")}
    graph.add_edge(Rel.KNOWS, people["Long Time Author"], template, doa=12.0, deliveries=21, acceptances=3,
                   first_authorship=True, reviews=0, last_touch="2017-03-01T00:00:00+00:00")
    graph.add_edge(Rel.KNOWS, people["Current Maintainer"], template, doa=6.5, deliveries=5, acceptances=21,
                   first_authorship=False, reviews=0, last_touch="2024-05-20T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"template/template.go": 30}, ["The Author"])
    assert [r.name for r in ranked] == ["Current Maintainer"]
    from cairn.queries.reviewers import evidence_weight  # (five changes of the file: how far it is believed)

    assert ranked[0].score == pytest.approx(6.5 / 12.0 * 0.5 ** (12 / 365) * evidence_weight(5), abs=1e-4)


def test_a_maintainer_who_reviews_a_file_knows_it_as_its_author_does():
    """golang/tools and golang/net record every review (Reviewed-by): the people who really reviewed a change were
    most often maintainers whose work on its files is reviewing them, counted a quarter of an author; a review
    credit now counts as much as the file's best authorship (both fading with time), and the reason says so."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    server = graph.add_node(Label.FILE, "gopls/internal/server/command.go", component="gopls")
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind="human", last_active="2024-05-30T00:00:00+00:00")
              for n in ("Busy Reviewer", "File Author")}
    graph.add_edge(Rel.KNOWS, people["Busy Reviewer"], server, doa=None, deliveries=0, acceptances=0,
                   first_authorship=False, reviews=14, last_touch="2024-05-30T00:00:00+00:00")
    graph.add_edge(Rel.KNOWS, people["File Author"], server, doa=9.0, deliveries=12, acceptances=14,
                   first_authorship=True, reviews=0, last_touch="2024-03-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"gopls/internal/server/command.go": 25}, ["The Author"])
    assert [r.name for r in ranked] == ["Busy Reviewer", "File Author"]
    assert ranked[0].reasons == ("reviewed gopls/internal/server/command.go (14 reviews)",)


def test_who_reviews_a_file_often_knows_it_better_than_who_reviewed_it_once():
    """golang/tools' replay: the wrong first suggestions were mostly one maintainer whose one review of a file counted
    as much as another's fourteen. The file's most frequent reviewer's reviews count as its best authorship; fewer
    count less, by up to a tenth on a log scale."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    server = graph.add_node(Label.FILE, "gopls/internal/server/command.go", component="gopls")
    for name, reviews in (("Aaron Once", 1), ("Zed Often", 14)):
        person = graph.add_node(Label.PERSON, name, name=name, kind="human", last_active="2024-06-01T00:00:00+00:00")
        graph.add_edge(Rel.KNOWS, person, server, doa=None, deliveries=0, acceptances=0, first_authorship=False,
                       reviews=reviews, last_touch="2024-06-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"gopls/internal/server/command.go": 25}, ["The Author"])
    from cairn.queries.reviewers import evidence_weight  # (one review is less evidence than fourteen, too)

    assert [(r.name, r.score) for r in ranked] == [
        ("Zed Often", pytest.approx(evidence_weight(14), abs=1e-4)),
        ("Aaron Once", pytest.approx((0.9 + 0.1 * math.log(2) / math.log(15)) * evidence_weight(1), abs=1e-4))]


def test_the_people_who_review_a_package_know_its_files_they_never_touched():
    """golang/tools: in 58 of the 72 replayed commits whose first suggestion was not a real reviewer, the real
    reviewer had never touched a changed file, but reviewed the package (its directory). Knowing the other files of
    a changed file's directory counts, below knowing the file itself; the reason names the directory."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    cache = ["gopls/internal/cache/load.go", "gopls/internal/cache/parse.go", "gopls/internal/cache/view.go"]
    graph.add_node(Label.MODULE, "golang.org/x/tools/gopls/internal/cache", path="gopls/internal/cache", files=cache)
    graph.add_node(Label.MODULE, "golang.org/x/tools/gopls/internal/other", path="gopls/internal/other",
                   files=["gopls/internal/other/other.go"])
    files = {p: graph.add_node(Label.FILE, p, component="gopls") for p in [*cache, "gopls/internal/other/other.go"]}
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind="human", last_active="2024-05-30T00:00:00+00:00")
              for n in ("Package Reviewer", "File Author", "Elsewhere Reviewer")}
    graph.add_edge(Rel.KNOWS, people["File Author"], files["gopls/internal/cache/load.go"], doa=9.0, deliveries=3,
                   acceptances=0, first_authorship=True, reviews=0, last_touch="2024-05-01T00:00:00+00:00")
    for path in cache[1:]:
        graph.add_edge(Rel.KNOWS, people["Package Reviewer"], files[path], doa=None, deliveries=0, acceptances=0,
                       first_authorship=False, reviews=6, last_touch="2024-05-20T00:00:00+00:00")
    graph.add_edge(Rel.KNOWS, people["Elsewhere Reviewer"], files["gopls/internal/other/other.go"], doa=None,
                   deliveries=0, acceptances=0, first_authorship=False, reviews=9, last_touch="2024-05-20T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"gopls/internal/cache/load.go": 20}, ["The Author"])
    assert [r.name for r in ranked] == ["File Author", "Package Reviewer"]  # below who knows the file itself
    assert 0 < ranked[1].score < ranked[0].score
    assert ranked[1].reasons == ("knows gopls/internal/cache/ (2 other files, 12 reviews)",)
    # nobody still here knows the file itself: who reviews its package is suggested, not the whole repository
    ranked = suggest_reviewers(graph, {"gopls/internal/cache/load.go": 20}, ["File Author"])
    assert [r.name for r in ranked] == ["Package Reviewer"]


def test_in_a_large_directory_one_review_counts_as_a_packages_reviewer_one_new_file_does_not():
    """golang/net: the real reviewer of a change to quic/conn_streams.go had reviewed one other file of quic/ (102
    files), twice; fluxcd/flux2: three people who had written one new file each of cmd/flux/ (248 files) were
    suggested for its fixes. Reviewing a file of a package is being asked to judge it; writing one of its files
    covers it only as much as that file is of the directory (``authorship_breadth``), here under ``MIN_KNOWLEDGE``."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    quic = [f"quic/f{i:02}.go" for i in range(40)]
    graph.add_node(Label.MODULE, "golang.org/x/net/quic", path="quic", files=quic)
    files = {p: graph.add_node(Label.FILE, p, component="quic") for p in quic}
    people = {n: graph.add_node(Label.PERSON, n, name=n, kind="human", last_active="2024-05-30T00:00:00+00:00")
              for n in ("File Author", "New Reviewer", "Drive-by Author")}
    graph.add_edge(Rel.KNOWS, people["File Author"], files[quic[0]], doa=9.0, deliveries=3, acceptances=0,
                   first_authorship=True, reviews=0, last_touch="2024-05-01T00:00:00+00:00")
    graph.add_edge(Rel.KNOWS, people["New Reviewer"], files[quic[1]], doa=None, deliveries=0, acceptances=0,
                   first_authorship=False, reviews=2, last_touch="2024-05-20T00:00:00+00:00")
    graph.add_edge(Rel.KNOWS, people["Drive-by Author"], files[quic[2]], doa=3.0, deliveries=1, acceptances=0,
                   first_authorship=True, reviews=0, last_touch="2024-05-31T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {quic[0]: 20}, ["The Author"])
    assert [r.name for r in ranked] == ["File Author", "New Reviewer"]
    from cairn.queries.reviewers import DIRECTORY_KNOWLEDGE, MIN_KNOWLEDGE, authorship_breadth, evidence_weight

    assert DIRECTORY_KNOWLEDGE * 0.5 ** (1 / 365) * authorship_breadth(1, 39) * evidence_weight(2) < MIN_KNOWLEDGE
    assert authorship_breadth(1, 39) == pytest.approx(1 / 3.9) and authorship_breadth(1, 10) == authorship_breadth(4, 39) == 1.0


def test_when_nobody_still_here_knows_the_change_the_repositorys_active_people_stand_in():
    """openedx/credentials: a fix of the api's views, whose authors have all left, got no suggestion at all; now the
    people still active with the most commits stand in, knowledge 0, saying so; never the change's author."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    views = graph.add_node(Label.FILE, "api/views.py", component="api")
    people = {name: graph.add_node(Label.PERSON, name, name=name, kind=kind, commits=commits, last_active=last)
              for name, kind, commits, last in (
                  ("Gone Author", "human", 300, "2019-01-01T00:00:00+00:00"),
                  ("Busy Maintainer", "human", 40, "2024-05-01T00:00:00+00:00"),
                  ("Occasional Helper", "human", 6, "2024-04-01T00:00:00+00:00"),
                  ("The Author", "human", 90, "2024-05-30T00:00:00+00:00"),
                  ("renovate[bot]", "bot", 500, "2024-05-31T00:00:00+00:00"))}
    graph.add_edge(Rel.KNOWS, people["Gone Author"], views, doa=9.0, deliveries=30, acceptances=0, first_authorship=True,
                   reviews=0, last_touch="2019-01-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"api/views.py": 10}, ["The Author"])
    assert [(r.name, r.score) for r in ranked] == [("Busy Maintainer", 0.0), ("Occasional Helper", 0.0)]
    assert ranked[0].reasons == ("nobody still here knows the changed files; active in the repository (40 commits, "
                                 "last 2024-05-01)",)
    # a change of paths the store keeps no file for and no component holds (flux2's .github/ workflows): the same
    ranked = suggest_reviewers(graph, {".github/workflows/ci.yaml": 4}, ["The Author"], components={})
    assert [(r.name, r.score) for r in ranked] == [("Busy Maintainer", 0.0), ("Occasional Helper", 0.0)]
    # someone still here who knows the file is suggested, and no stand-in beside them
    graph.add_edge(Rel.KNOWS, people["Occasional Helper"], views, doa=4.0, deliveries=1, acceptances=0,
                   first_authorship=False, reviews=0, last_touch="2024-04-01T00:00:00+00:00")
    assert [r.name for r in suggest_reviewers(graph, {"api/views.py": 10}, ["The Author"])] == ["Occasional Helper"]


def test_a_components_people_stand_in_from_a_fifth_of_its_files():
    """golang/tools' go.mod updates went to gopls's authors, two of them with 37 and 33 of its 638 files beside
    Alan Donovan's 285; rich's cells.py, to people with one or two of rich/'s 99 other files. Standing in counts half
    the share of the component's files one wrote: under a fifth of them is under ``MIN_KNOWLEDGE``."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r", newest_commit_at="2024-06-01T00:00:00+00:00")
    files = [graph.add_node(Label.FILE, f"lib/f{i}.go", component="lib") for i in range(10)]
    people = {name: graph.add_node(Label.PERSON, name, name=name, kind="human", commits=commits,
                                   last_active="2024-05-01T00:00:00+00:00")
              for name, commits in (("Main Author", 80), ("Some Files", 30), ("Other Corner", 20))}
    for name, written in (("Main Author", files[:5]), ("Some Files", files[5:8]), ("Other Corner", files[8:9])):
        for node in written:
            graph.add_edge(Rel.KNOWS, people[name], node, doa=5.0, deliveries=3, acceptances=0, first_authorship=True,
                           reviews=0, last_touch="2024-05-01T00:00:00+00:00")
    ranked = suggest_reviewers(graph, {"lib/go.mod": 4}, ["The Author"], components={"lib/go.mod": "lib"})
    assert [(r.name, r.reasons) for r in ranked] == [("Main Author", ("knows 5 other files of component lib",)),
                                                      ("Some Files", ("knows 3 other files of component lib",))]


def test_likely_duplicates_read_the_same_in_every_process():
    # Each row's names are folded into a set; its order changes with PYTHONHASHSEED, the reasons' order must not
    # (prometheus: "same name 'jess g'; same name 'jessicagreben'" came out either way round, and the stored
    # people answer was rewritten on every ingest).
    program = (
        "import json; from cairn.queries.people import likely_duplicates\n"
        "row = lambda name, names, emails: {'id': name, 'name': name, 'kind': 'human', 'names': names, "
        "'emails': emails, 'logins': [], 'commits': 1, 'declared_only': False}\n"
        "rows = [row('Jess G', ['jessicagreben', 'Jess G', 'Jessica Grebenn'], ['jess@a.io', 'jg@b.io']), "
        "row('jessicagreben', ['jessicagreben', 'Jess G', 'Jessica Greben'], ['jess@c.io', 'jg@d.io'])]\n"
        "print(json.dumps(likely_duplicates(rows)))"
    )
    outputs = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(8)}
    assert len(outputs) == 1
    reasons = json.loads(outputs.pop())[0]["reasons"]
    assert len(reasons) == 3 and any("one letter apart" in r for r in reasons)


def test_a_rare_surname_with_first_names_alike_is_a_likely_duplicate():
    """Real pairs left apart by the merge (prometheus's "George" / "György Krajcsovits", pytest's "V.Kuznetsov" /
    "Vasily Kuznetsov", "Zack" / "Zachary Kneupper") are listed; a surname two different people bear
    (sqlalchemy's "Jacob MacDonald" / "Jordan Macdonald"; helix's "Ryan" / "Sean Russell", two letters apart but not
    the same first letter), a common one or one a third person bears is not."""
    from cairn.queries.people import likely_duplicates

    def row(name: str, email: str) -> dict:
        return {"id": email, "name": name, "kind": "human", "names": [name], "emails": [email], "logins": [], "commits": 1,
                "declared_only": False}

    rows = [row("George Krajcsovits", "krajorama@users.noreply.github.com"), row("György Krajcsovits", "gyorgy@work.example"),
            row("V.Kuznetsov", "vk@one.example"), row("Vasily Kuznetsov", "vasily@two.example"),
            row("Zack Kneupper", "zk@one.example"), row("Zachary Kneupper", "zachary@two.example"),
            row("Jacob MacDonald", "jacob@one.example"), row("Jordan Macdonald", "jordan@two.example"),
            row("Anna Schmidt", "anna@one.example"), row("Anne Schmidt", "anne@two.example"), row("Arno Schmidt", "arno@x.example"),
            row("Wei Wang", "wei@one.example"), row("Wen Wang", "wen@two.example"),
            row("Ryan Russell", "ryanrussell@users.noreply.github.com"), row("Sean Russell", "xxxserxxx@users.noreply.github.com")]
    pairs = {frozenset(d["names"]): d["reasons"] for d in likely_duplicates(rows)}
    surname = {names for names, why in pairs.items() if any("the same surname" in r for r in why)}
    assert surname == {frozenset({"George Krajcsovits", "György Krajcsovits"}), frozenset({"V.Kuznetsov", "Vasily Kuznetsov"}),
                       frozenset({"Zack Kneupper", "Zachary Kneupper"})}
    assert pairs[frozenset({"George Krajcsovits", "György Krajcsovits"})] == [
        "the same surname 'krajcsovits', which nobody else bears, and first names alike ('george krajcsovits' / 'gyorgy krajcsovits')"]


def test_an_address_that_spells_a_full_name_is_that_name():
    # guardian/cdk: philmcmahon <philip.mcmahon@theguardian.com> is Philip McMahon <philip.mcmahon@guardian.co.uk>;
    # pytest: Jurko <jurko.gospodnetic@docte.hr> is Jurko Gospodnetić; a diacritic folds as in names
    raw = [("Philip McMahon", "philip.mcmahon@guardian.co.uk"), ("philmcmahon", "philip.mcmahon@theguardian.com"),
           ("Jurko Gospodnetić", "jurko.gospodnetic@pke.hr"), ("Jurko", "jurko.gospodnetic@docte.hr"),
           # an initial, a single word, a digit: no full name spelled
           ("Jane Doe", "jane.doe@corp.example"), ("jd", "j.doe@other.example"), ("dev", "release@corp.example"),
           ("Team", "dev2.team@corp.example"), ("Dev Team", "dev.team@corp.example"),
           # a bot's address spelling a person's name does not make it that person
           ("Philip McMahon", "philip.mcmahon@ci.example"),
           # two addresses spelling the same words join nobody when nobody has that name
           ("Carol King", "first.last@example.com"), ("Dan Wu", "first.last@corp.io")]
    kinds = ["human"] * 9 + ["bot"] + ["human"] * 2
    people, person_of = resolve_identities(raw, kinds, [1] * len(raw))
    assert person_of[0] == person_of[1] and person_of[2] == person_of[3]
    assert len({person_of[i] for i in (4, 5, 6, 7)}) == 4 and person_of[8] != person_of[7]
    assert person_of[9] != person_of[0] and person_of[10] != person_of[11]
    assert people[person_of[1]].name == "Philip McMahon"


def test_a_name_that_is_a_login_is_that_account_under_another_address():
    # prometheus: jub0bs <…+jub0bs@users.noreply.github.com> and jub0bs <jcretel-infosec+github@protonmail.com>
    raw = [("jub0bs", "52325150+jub0bs@users.noreply.github.com"), ("jub0bs", "jcretel-infosec+github@protonmail.com"),
           ("matej-g", "matej-g@users.noreply.github.com"), ("matej-g", "matej@example.com"),
           # a plain word may be anyone's name (a login used under another name: the test below)
           ("alex", "alex@users.noreply.github.com"), ("alex", "a.smith@example.com")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [1] * len(raw))
    assert person_of[0] == person_of[1] and person_of[2] == person_of[3]
    assert person_of[4] != person_of[5]


def test_a_login_that_is_an_addresss_local_part_is_that_person_when_one_is_named_by_it():
    # flux2: the GitHub account matheuscscp (no display name) is Matheus Pimenta <matheuscscp@gmail.com>; Vue: the
    # account linzhe141 (named "linzhe") is linzhe141 <linzhe141@qq.com>
    raw = [("Matheus Pimenta", "matheuscscp@gmail.com"), ("matheuscscp", "2975506+matheuscscp@users.noreply.github.com"),
           ("linzhe", "40790268+linzhe141@users.noreply.github.com"), ("linzhe141", "linzhe141@qq.com"),
           # a short plain word may be anyone's; so may a login under another name than an address's owner's
           ("zsol", "zsol@users.noreply.github.com"), ("Zsolt Dollenstein", "zsol@example.com"),
           ("Someone", "johnsmithson@users.noreply.github.com"), ("John Smithson", "johnsmithson@corp.example")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [207, 10, 29, 1, 5, 98, 1, 1])
    assert person_of[0] == person_of[1] and person_of[2] == person_of[3]
    assert people[person_of[1]].name == "Matheus Pimenta"
    assert person_of[4] != person_of[5] and person_of[6] != person_of[7]


def test_a_name_that_can_only_be_a_login_is_that_account_whatever_name_the_account_uses():
    # Fastify: "delvedor" (527 commits from a gmail address) is the GitHub account delvedor, which commits as
    # "Tomas Della Vedova"; pytest: the name "lovetheguitar" (a long word) is the account of that name. A short plain
    # word is anyone's name ("alex" is not the account alex)
    raw = [("delvedor", "tommydelved@gmail.com"), ("Tomas Della Vedova", "delvedor@users.noreply.github.com"),
           ("lovetheguitar", "entry.force.0p@icloud.com"),
           ("lovetheguitar", "8246135+lovetheguitar@users.noreply.github.com"),
           ("alex", "a.smith@example.com"), ("Alex Jones", "alex@users.noreply.github.com"),
           ("christopher", "chris@example.com"), ("Christopher", "chris.b@example.org")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [527, 247, 3, 2, 5, 9, 1, 1])
    assert person_of[0] == person_of[1] and people[person_of[0]].name == "Tomas Della Vedova"
    assert person_of[2] == person_of[3]
    assert person_of[4] != person_of[5] and person_of[6] != person_of[7]


def test_a_handle_is_one_account_at_any_address_and_a_login_spelling_a_full_name_is_that_person():
    # cert-manager: JoshVanL and joshvanl <me@joshvanl.dev> (24 commits) are Josh Van Leeuwen; Loki: the co-author
    # trevorwhitney <…+trevorwhitney@…> is Trevor Whitney; Sentry: ericapisani is Erica Pisani
    raw = [("JoshVanL", "vleeuwenjoshua@gmail.com"), ("joshvanl", "me@joshvanl.dev"),
           ("Trevor Whitney", "trevorjwhitney@gmail.com"), ("trevorwhitney", "1+trevorwhitney@users.noreply.github.com"),
           ("Erica Pisani", "pisani.erica@gmail.com"), ("ericapisani", "5655473+ericapisani@users.noreply.github.com"),
           # first names, and two accounts under one handle, stay apart
           ("Jonathan", "jonathan.m.lucena@gmail.com"), ("Jonathan", "jhuizingh@users.noreply.github.com"),
           ("alexander", "alex@a.example"), ("alexander", "alex@b.example"),
           ("vanshika", "1+Vperiodt@users.noreply.github.com"), ("Vanshika1", "2+Vanshikav123@users.noreply.github.com"),
           ("vanshika1", "3+vanshika-v@users.noreply.github.com")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [711, 24, 408, 0, 30, 2, 1, 1, 1, 1, 1, 1, 1])
    assert person_of[0] == person_of[1] and person_of[2] == person_of[3] and person_of[4] == person_of[5]
    assert len({person_of[i] for i in range(6, 13)}) == 7


def test_people_left_apart_under_one_name_are_told_apart_by_their_address():
    # Vue: "edison" under two addresses (one-word names never merge) read as two reviewers both called edison
    raw = [("edison", "daiwei521@126.com"), ("daiwei", "daiwei521@126.com"), ("edison", "edison11051@gmail.com"),
           ("Alex", "alex@users.noreply.github.com"), ("alex", "a.smith@example.com"), ("Bob", "bob@example.com")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [300, 38, 8, 2, 5, 1])
    assert [people[person_of[i]].name for i in range(len(raw))] == [
        "edison", "edison", "edison (edison11051@gmail.com)", "Alex (@alex)", "alex", "Bob"]
    assert people[person_of[2]].names == ["edison"]  # (what a [[people]] entry or --leaving matches is unchanged)


def test_the_package_knowledge_of_a_flat_directory_reads_a_bounded_number_of_its_files():
    from cairn.queries.reviewers import MAX_DIRECTORY_FILES, directory_files

    graph = RepoGraph("flat")
    paths = [f"gen/f{i:04}.go" for i in range(MAX_DIRECTORY_FILES + 100)]
    graph.add_node(Label.MODULE, "gen", path="gen", files=paths)
    changed = {"gen/f0000.go": graph.add_node(Label.FILE, "gen/f0000.go", path="gen/f0000.go")}
    siblings = directory_files(graph, changed)["gen/f0000.go"]
    assert len(siblings) == MAX_DIRECTORY_FILES and siblings[0].endswith("gen/f0001.go")


def test_one_stray_commit_under_another_persons_name_joins_nobody_to_them():
    # Loki: "Trevor Whitney <ben.clive@…>" (1 commit) joined Trevor Whitney (408) and benclive (201), and
    # "Dan Hopper <trevorjwhitney@…>" (1) joined Dan Hopper (25) to them: one man with three people's work. A name
    # used once does not join two established people; the stray commit stays with its address's owner
    raw = [("Trevor Whitney", "trevorjwhitney@gmail.com"), ("benclive", "ben.clive@grafana.com"),
           ("Dan Hopper", "dan.hopper@grafana.com"), ("Trevor Whitney", "ben.clive@grafana.com"),
           ("Dan Hopper", "trevorjwhitney@gmail.com")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [408, 201, 25, 1, 1])
    assert len(people) == 3
    assert person_of[3] == person_of[1] and person_of[4] == person_of[0]
    assert [people[person_of[i]].name for i in range(3)] == ["Trevor Whitney", "benclive", "Dan Hopper"]
    # while a name still joins a person who changed name or address:
    for raw, weights in [
        # a new address, then a new name at it (the names share a word), however little the bridge
        ([("Alice Smith", "alice@old.example"), ("Alice Smith", "alice@new.example"),
          ("Alice Jones", "alice@new.example")], [100, 1, 50]),
        # a nickname at an address, a full name at another: the nickname's side has no full name of its own
        ([("Bob", "bob@home.example"), ("Robert Jones", "bob@home.example"), ("Robert Jones", "rjones@corp.example")],
         [100, 1, 50]),
        # the bridge is a good share of a side (3 of 20)
        ([("Carol King", "carol@a.example"), ("Carol King", "dave.wu@b.example"), ("dwu", "dave.wu@b.example")],
         [200, 3, 17]),
        # one side too small to be a person of its own (9 commits)
        ([("Erin Moss", "erin@a.example"), ("Erin Moss", "frank.lee@b.example"), ("Frank Lee", "frank.lee@b.example")],
         [200, 1, 8]),
    ]:
        assert len(resolve_identities(raw, ["human"] * len(raw), weights)[0]) == 1, raw


def test_an_agent_goes_by_the_name_all_its_models_share():
    # Vector: Claude's 121 co-authored commits name seven models; the agent read as "Claude Opus 4.7 (1M context)"
    raw = [("Claude Opus 4.7 (1M context)", "noreply@anthropic.com"), ("Claude Sonnet 4.5", "noreply@anthropic.com"),
           ("Claude", "noreply@anthropic.com"), ("Copilot", "198982749+Copilot@users.noreply.github.com"),
           ("Cursor Agent", "cursoragent@cursor.com")]
    people, person_of = resolve_identities(raw, ["agent"] * len(raw), [42, 30, 5, 6, 3])
    assert [people[person_of[i]].name for i in (0, 3, 4)] == ["Claude", "Copilot", "Cursor Agent"]
    assert people[person_of[0]].names[0] == "Claude Opus 4.7 (1M context)"  # (the models stay among its names)


def test_a_login_that_spells_another_persons_name_is_not_given_by_a_merge(tmp_path):
    # temporal: "Merge pull request #3 from samarabbas/merge-from-cadence", a branch of the repository itself holding
    # one commit of Yu Xia's, gave her Samar Abbas's login; Samar's own branch merges still give it to him
    repo = GitRepo(tmp_path / "prs")
    yu, samar, ann = ("Yu Xia", "yu@example.com"), ("Samar Abbas", "samar@example.com"), ("Ann Lee", "a@example.com")
    repo.commit({"a.py": "a\n"}, author=samar)
    for n, (login, author) in enumerate([("samarabbas", yu), ("ann-lee-gh", ann)], 1):
        repo.git("checkout", "-q", "-b", f"topic{n}")
        repo.commit({f"f{n}.py": "x\n"}, author=author)
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{n} from {login}/topic{n}", f"topic{n}")
    logins = {ph.person.name: ph.person.logins for ph in mine_history(repo.root).people}
    assert logins["Yu Xia"] == [] and logins["Ann Lee"] == ["ann-lee-gh"]
    # a voter who looks like the login keeps it (cert-manager's "davegrix" beside a Dave Grix kept apart)
    repo.commit({"d.py": "d\n"}, author=("Dave Grix", "dave@corp.example"))
    repo.git("checkout", "-q", "-b", "topic3")
    repo.commit({"f3.py": "x\n"}, author=("davegrix", "grix@home.example"))
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #3 from davegrix/topic3", "topic3")
    logins = {ph.person.name: ph.person.logins for ph in mine_history(repo.root).people}
    assert logins["davegrix"] == ["davegrix"] and logins["Dave Grix"] == []


def test_an_address_a_name_holds_and_a_handle_beside_the_same_name_join():
    raw = [
        # celery: an address typed into the name, committed from a machine's guessed address
        ("Michael Elsdoerfer michael@elsdoerfer.com", "michael@puppetmaster.(none)"),
        ("Michael Elsdörfer", "michael@elsdoerfer.com"),
        # clap: one name at two addresses sharing a handle (one a typo), and at two more whose local part is the name
        ("Kevin K", "kbknapp@gmail.com"), ("Kevin K", "kbknapp@gamil.com"),
        ("Kevin K", "kevin@24dev.io"), ("Kevin K", "kevin@karch.fios-router.home"),
        # a machine's name in the name, a role address, a handle under two different names: none of these
        ("ann@laptop.local", "ann@corp.example"), ("Ann", "ann@laptop.local"),
        ("Helpdesk", "support@a.example"), ("Helpdesk", "support@b.example"),
        ("Jo", "jodoe42@a.example"), ("Joanna", "jodoe42@b.example"),
    ]
    _, person_of = resolve_identities(raw, ["human"] * len(raw), [1] * len(raw))
    assert person_of[0] == person_of[1]
    assert person_of[2] == person_of[3] and len({person_of[i] for i in (2, 4, 5)}) == 3
    assert len({person_of[i] for i in range(6, 12)}) == 6


def test_likely_duplicates_leave_a_common_first_name_and_a_service_alias_apart():
    def row(name, emails, names=None):
        return {"id": emails[0], "name": name, "kind": "human", "names": names or [name], "emails": emails, "logins": [],
                "commits": 1, "declared_only": False}
    rows = [row("Michael Permana", ["michael@origamilogic.com"]), row("Michael Fladischer", ["michael@fladi.at"]),
            row("Michael Elsdörfer", ["michael@elsdoerfer.com"], ["Michael Elsdörfer", "michael"]),
            row("Ask Solem", ["ask@celeryproject.org"]), row("ask", ["ask@0x61736b.net"]),
            row("Aaron Harnly", ["github.com@bulk.harnly.net"]), row("Martijn Pieters", ["github.com@zopatista.com"])]
    pairs = {tuple(d["names"]) for d in likely_duplicates(rows)}
    assert pairs == {("Ask Solem", "ask")}


def test_a_first_name_at_an_address_that_runs_its_full_name_together_is_that_person(tmp_path):
    # caddy's "Emily" <git@emilylange.de> is Emily Lange; nats' "Neil" <git@neilalexander.dev> is Neil Alexander (a
    # GitHub account); prometheus' "Annanay" <annanayagarwal@gmail.com> is Annanay Agarwal
    repo = GitRepo(tmp_path / "r")
    authors = [("Emily Lange", "git@indeednotjames.com"), ("Emily", "git@emilylange.de"),
               ("Neil Alexander", "1+neilalexander@users.noreply.github.com"), ("Neil", "git@neilalexander.dev"),
               ("Annanay Agarwal", "annanay25@users.noreply.github.com"), ("Annanay", "annanayagarwal@gmail.com"),
               # another first name at such an address, a first name at a short address, stay apart
               ("Sam", "sam@emilylange.de"), ("Neil Twigg", "neil@nats.io"), ("Neil", "neil@example.org")]
    for i, author in enumerate(authors):
        repo.commit({f"f{i}.txt": "x\n"}, author=author)
    history = mine_history(repo.root, None)
    names = sorted(ph.person.name for ph in history.people)
    assert names == ["Annanay Agarwal", "Emily Lange", "Neil", "Neil Alexander", "Neil Twigg", "Sam"]
    emily = next(ph.person for ph in history.people if ph.person.name == "Emily Lange")
    assert emily.emails == ["git@emilylange.de", "git@indeednotjames.com"]


def test_a_login_that_is_a_first_name_and_more_in_anothers_address_is_a_likely_duplicate():
    def row(name, emails=(), logins=()):
        return {"id": (list(emails) or list(logins))[0], "name": name, "kind": "human", "names": [name],
                "emails": list(emails), "logins": list(logins), "commits": 1, "declared_only": False}
    # nats: "Lev" (@levb) and Lev Brouk <levbrouk@gmail.com>; "Neil" <neilalexanderr@gmail.com> and Neil Alexander
    rows = [row("Lev", ["1187448+levb@users.noreply.github.com"], ["levb"]), row("Lev Brouk", ["levbrouk@gmail.com"]),
            row("Neil", ["neilalexanderr@gmail.com"]), row("Neil Alexander", [], ["neilalexander"]),
            row("Neil Twigg", ["neil@nats.io"]),
            # the login is the domain of the other's address
            row("Kai", [], ["kaiwalker"]), row("Kai Walker", ["git@kaiwalker.dev"]),
            # a login that is only the first name, or a login under nobody's first name, says nothing
            row("Alex", [], ["alex"]), row("Alex Smith", ["alexsmith@example.com"]),
            row("Sam", [], ["levbr"]), row("Dana", [], ["danaxyz"]), row("Ann Other", ["danaxyz1@example.com"])]
    pairs = {tuple(d["names"]) for d in likely_duplicates(rows)}
    assert pairs == {("Lev", "Lev Brouk"), ("Neil", "Neil Alexander"), ("Kai", "Kai Walker")}


def _simons_repo(root):
    """svelte's lead maintainer as "Simon H" (his GitHub account's noreply address) and as "Simon Holthausen" (his work
    address), both co-authors of squashes of other people's pull requests; beside them people whose names fit too."""
    repo = GitRepo(root)
    simon_h = ("Simon H", "5968653+dummdidumm@users.noreply.github.com")
    simon = ("Simon Holthausen", "simon.holthausen@vercel.com")
    for i in range(3):
        repo.commit({f"h{i}.js": "x\n"}, author=simon_h)
        repo.commit({f"s{i}.js": "x\n"}, author=simon)
    repo.commit({"fix.js": "x\n"}, author=("Rich Harris", "rich.harris@vercel.com"),
                trailers=[f"Co-authored-by: {simon[0]} <{simon[1]}>", f"Co-authored-by: {simon_h[0]} <{simon_h[1]}>"])
    # uv's: one spelling the squash's author, the other its co-author (git drops an author's final full stop)
    repo.commit({"docs.md": "x\n"}, author=("Steven Locorotondo", "steven.locorotondo@justeattakeaway.com"),
                trailers=["Co-authored-by: Steven L. <stevenlocorotondo@gmail.com>"])
    # names that fit, never written together: vite's "Simon He", pytest's "Michael K" and Michael Krebs
    repo.commit({"he.js": "x\n"}, author=("Simon He", "57086651+Simon-He95@users.noreply.github.com"))
    repo.commit({"k.py": "x\n"}, author=("Michael K", "michael-k@users.noreply.github.com"))
    repo.commit({"krebs.py": "x\n"}, author=("Michael Krebs", "michael@vidaidentity.com"))
    # a reviewer is someone else than the author; an initial named beside two full names that fit is neither's
    repo.commit({"j.py": "x\n"}, author=("John S", "john@s.example"),
                trailers=["Reviewed-by: John Smith <js@example.com>"])
    repo.commit({"a.py": "x\n"}, author=("Ann Baker", "ann@baker.example"),
                trailers=["Co-authored-by: Ann B <ann@b.example>", "Co-authored-by: Ann Brown <ann@brown.example>"])
    # a surname's initial is its first letter, hyphen or not (celery's "Tom S" is not Tom Parker-Shemilt)
    repo.commit({"t.py": "x\n"}, author=("Tom Parker-Shemilt", "palfrey@tevp.net"),
                trailers=["Co-authored-by: Tom S <scytale@gmail.com>"])
    return repo


def test_a_first_name_with_a_surnames_initial_is_the_full_name_a_commit_names_beside_it(tmp_path):
    repo = _simons_repo(tmp_path / "r")
    history = mine_history(repo.root, None)
    names = sorted(ph.person.name for ph in history.people)
    assert names == ["Ann B", "Ann Baker", "Ann Brown", "John S", "John Smith", "Michael K", "Michael Krebs",
                     "Rich Harris", "Simon He", "Simon Holthausen", "Steven Locorotondo", "Tom Parker-Shemilt", "Tom S"]
    simon = next(ph for ph in history.people if ph.person.name == "Simon Holthausen")
    assert simon.person.logins == ["dummdidumm"] and simon.commits == 6
    steven = next(ph.person for ph in history.people if ph.person.name == "Steven Locorotondo")
    assert steven.names == ["Steven L.", "Steven Locorotondo"]


def test_the_commits_naming_an_initial_beside_a_full_name_are_remembered_for_the_next_ingest(tmp_path):
    from cairn.ingest.history_state import StateFile

    repo = _simons_repo(tmp_path / "r")
    memory = StateFile(tmp_path / "cache", repo.root)
    first = mine_history(repo.root, None, memory=memory)
    assert first.mined == "full" and memory.save(first.state) is None
    repo.commit({"later.js": "x\n"}, author=("Simon H", "5968653+dummdidumm@users.noreply.github.com"))
    history = mine_history(repo.root, None, memory=memory)
    assert history.mined == "incremental"
    simon = next(ph for ph in history.people if ph.person.name == "Simon Holthausen")
    assert simon.person.logins == ["dummdidumm"] and simon.commits == 7


def test_a_first_name_with_a_surnames_initial_beside_the_one_full_name_that_fits_is_a_likely_duplicate():
    def row(name, names=(), emails=(), logins=()):
        return {"id": (list(emails) or list(logins))[0], "name": name, "kind": "human", "names": [name, *names],
                "emails": list(emails), "logins": list(logins), "commits": 1, "declared_only": False}
    # dotcom-rendering's "Jamie B" and Jamie Byers, never named by one commit; wagtail's "Dmitrii F" written "F."
    rows = [row("Jamie B", logins=["jamieb-gu"]), row("Jamie Byers", emails=["jamie.byers@guardian.co.uk"]),
            row("Dmitrii F.", emails=["jj@example.com"]), row("Dmitrii Faiazov", emails=["df@example.com"]),
            # svelte: "Simon H" joined to Simon Holthausen already, so not also Simon He
            row("Simon Holthausen", ["Simon H"], logins=["dummdidumm"]), row("Simon He", logins=["simon-he95"]),
            # two GitHub accounts (react-router's); two full names that fit (neither is sure)
            row("Ayush C", logins=["ayushmanchhabra"]), row("Ayush Chaudhary", logins=["ayush23chaudhary"]),
            row("Ann B", emails=["ann@b.example"]), row("Ann Baker", emails=["ann@baker.example"]),
            row("Ann Brown", emails=["ann@brown.example"]),
            # celery's "Tom S" is not Tom Parker-Shemilt, whose surname begins with a P
            row("Tom S", emails=["scytale@gmail.com"]), row("Tom Parker-Shemilt", emails=["palfrey@tevp.net"]),
            # loki's: the address spells another surname; okhttp's: the address spells the name
            row("Sean P.", emails=["sean.pedersen@grafana.com"]), row("Sean Porter", emails=["portertech@gmail.com"]),
            row("Tobias T", emails=["tobias.thierer@example.de"]), row("Tobias Thierer", emails=["tobiast@google.com"])]
    pairs = {tuple(d["names"]) for d in likely_duplicates(rows)}
    assert pairs == {("Jamie B", "Jamie Byers"), ("Dmitrii F.", "Dmitrii Faiazov"), ("Tobias T", "Tobias Thierer")}


def test_a_full_name_one_person_goes_by_and_another_bore_at_their_address_makes_no_likely_duplicate():
    """webpack: three commits authored "Sebastian Beltran <…+alexander-akait@users.noreply.github.com>" gave Alexander
    Akait the name too, and the two maintainers were "likely the same person". A name one goes by beside a short form
    of it, or a login, still makes the pair."""
    from cairn.queries.people import likely_duplicates

    def row(name: str, names: list[str], email: str) -> dict:
        return {"id": email, "name": name, "kind": "human", "names": names, "emails": [email], "logins": [],
                "commits": 1, "declared_only": False}

    akait = row("Alexander Akait", ["Alexander Akait", "Sebastian Beltran", "evilebottnawi"], "akait@example.com")
    sebastian = row("Sebastian Beltran", ["Sebastian Beltran"], "bjohansebas@example.com")
    assert likely_duplicates([akait, sebastian]) == []
    # the same name borne as one's own by both, or beside a name of the same surname or a login: still flagged
    for other in (row("Sebastian Beltran", ["Sebastian Beltran"], "sb@work.example"),
                  row("S. Beltran", ["S. Beltran", "Sebastian Beltran"], "sb@home.example"),
                  row("sbeltran", ["sbeltran", "Sebastian Beltran"], "sb@elsewhere.example")):
        found = likely_duplicates([other, sebastian])
        assert found and "same name 'sebastian beltran'" in found[0]["reasons"], other["name"]


def _people_of(repo: GitRepo) -> dict[str, tuple[str, list[str]]]:
    """Each person's display name -> (kind, sorted aliases), from a cold read of the history."""
    return {ph.person.name: (ph.person.kind, sorted(ph.person.aliases)) for ph in mine_history(repo.root, None).people}


def test_release_accounts_under_a_persons_shape_of_name_are_bots(tmp_path):
    # ESLint: "Jenkins <jenkins@eslint-03>" (229 release commits, a build machine's own name), "ESLint Bot
    # <nicholas+eslintbot@…>", "ESLint Jenkins <eslint@googlegroups.com>" (the name of its eslint[bot], the address of
    # its "GitHub Actions Bot"); traefik's "Traefiker Bot" (@traefiker) and the co-author lines of its account
    repo = GitRepo(tmp_path / "r")
    authors = [("ESLint Jenkins", "eslint[bot]@users.noreply.github.com"), ("GitHub Actions Bot", "team@proj.example"),
               ("ESLint Jenkins", "team@proj.example"), ("Jenkins", "jenkins@build-03"),
               ("Jenkins", "jenkins@build-03"), ("ESLint Bot", "nick+eslintbot@example.com"),
               ("Traefiker Bot", "30906710+traefiker@users.noreply.github.com"),
               # people: a laptop's account named Jenkins, a person named Bot whose login is a first name, a person at
               # the address a bot also commits with (Argo CD's "CI <michael@crenshaw.dev>")
               ("Jenkins", "jenkins@Jenkinss-MacBook-Pro.local"), ("Jeroen Bot", "7+jeroen@users.noreply.github.com"),
               ("Nick Zakas", "nick@example.com"), ("CI", "mc@example.com"), ("Michael Crenshaw", "mc@example.com")]
    for i, author in enumerate(authors):
        repo.commit({f"f{i}.txt": "x\n"}, author=author)
    repo.commit({"g.txt": "x\n"}, author=("Nick Zakas", "nick@example.com"),
                trailers=["Co-authored-by: traefiker <30906710+traefiker@users.noreply.github.com>"])
    people = _people_of(repo)
    assert {name for name, (kind, _) in people.items() if kind == "human"} == {
        "Jenkins (jenkins@jenkinss-macbook-pro.local)", "Jeroen Bot", "Nick Zakas", "Michael Crenshaw"}
    assert people["Jenkins"] == ("bot", ["Jenkins <jenkins@build-03>"])
    assert people["Traefiker Bot"] == ("bot", ["Traefiker Bot <30906710+traefiker@users.noreply.github.com>",
                                               "traefiker <30906710+traefiker@users.noreply.github.com>"])
    assert "ESLint Jenkins <team@proj.example>" in people["ESLint Jenkins"][1]


def test_people_told_apart_show_an_address_never_an_ids_number():
    # ESLint: "ESLint Jenkins (eslint@googlegroups.com#2)", the id a human got beside a bot at the same address
    raw = [("GitHub Actions Bot", "team@proj.example"), ("builder", "team@proj.example"),
           ("builder", "b@other.example")]
    people, person_of = resolve_identities(raw, ["bot", "human", "human"], [5, 1, 3])
    assert [people[person_of[i]].name for i in range(3)] == [
        "GitHub Actions Bot", "builder (team@proj.example)", "builder"]


def test_a_login_of_initial_and_surname_named_at_the_address_of_that_full_name_is_that_account(tmp_path):
    # traefik: "Michael" <…+mmatur@…> (259 commits) and "mmatur"/"Michael MATUR" <michael.matur@gmail.com> (84)
    repo = GitRepo(tmp_path / "r")
    authors = [("Michael", "1+mmatur@users.noreply.github.com"), ("mmatur", "michael.matur@example.com"),
               ("Michael MATUR", "michael.matur@example.com"),
               # an account that goes by another name, a login that is not the initial and surname: apart
               ("Someone", "2+jdoe@users.noreply.github.com"), ("jdoe", "john.doe@example.com"),
               ("Paul", "3+pdoe@users.noreply.github.com"), ("pdoe", "paula.smith@example.com")]
    for i, author in enumerate(authors):
        repo.commit({f"f{i}.txt": "x\n"}, author=author)
    people = _people_of(repo)
    assert sorted(people) == ["Michael MATUR", "Paul", "Someone", "jdoe", "pdoe"]
    assert len(people["Michael MATUR"][1]) == 3


def test_a_name_of_four_chinese_or_japanese_characters_is_a_full_name(tmp_path):
    # ESLint's 薛定谔的猫 (118 commits at two addresses, 86 at a third); a surname and a given name stay a one-word name
    repo = GitRepo(tmp_path / "r")
    authors = [("薛定谔的猫", "weiran@example.com"), ("薛定谔的猫", "hh_2013@example.org"), ("张伟", "zw@example.com"),
               ("张伟", "zhang@example.org"), ("洪阿南", "hong@example.com"), ("洪阿南", "han@example.org")]
    for i, author in enumerate(authors):
        repo.commit({f"f{i}.txt": "x\n"}, author=author)
    people = [(ph.person.names[0], len(ph.person.aliases)) for ph in mine_history(repo.root, None).people]
    assert sorted(people) == [("张伟", 1), ("张伟", 1), ("洪阿南", 1), ("洪阿南", 1), ("薛定谔的猫", 2)]


def test_a_noreply_address_cut_short_is_that_github_account(tmp_path):
    # mypy: two "Co-authored-by: Valentin Stanciu <250871+svalentin@users.noreply.github>" made his id and shown address
    repo = GitRepo(tmp_path / "r")
    valentin = ("Valentin Stanciu", "250871+svalentin@users.noreply.github.com")
    repo.commit({"a.txt": "x\n"}, author=valentin)
    repo.commit({"b.txt": "x\n"}, author=("Jukka", "jukka@example.com"),
                trailers=["Co-authored-by: Valentin Stanciu <250871+svalentin@users.noreply.github>"])
    person = next(ph.person for ph in mine_history(repo.root, None).people if ph.person.name == "Valentin Stanciu")
    assert (person.id, person.logins) == ("github:svalentin", ["svalentin"])


def test_a_name_that_names_nobody_gives_way_to_another_name_then_to_the_login(tmp_path):
    # mitmproxy: "zokutyou2@gmail.com <zokutyou2@gmail.com>" (34 commits) also committed as "gorogoroumaru"; "root
    # <skkaushik212@gmail.com>" (17) is @sarthak212 by the branches of his pull requests; a one-time "ubuntu" at a
    # noreply address is that account
    repo = GitRepo(tmp_path / "nobody")
    address = ("zokutyou2@example.com", "zokutyou2@example.com")
    for n in range(3):
        repo.commit({f"z{n}.py": "z\n"}, author=address)
    repo.commit({"g.py": "g\n"}, author=("gorogoroumaru", "zokutyou2@example.com"))
    repo.commit({"u.py": "u\n"}, author=("ubuntu", "7+wanderer-7@users.noreply.github.com"))
    for n in (1, 2):
        repo.git("checkout", "-q", "-b", f"topic{n}")
        repo.commit({f"r{n}.py": "r\n"}, author=("root", "skkaushik212@example.com"))
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{n} from sarthak212/topic{n}", f"topic{n}")
    names = {ph.person.id: ph.person.name for ph in mine_history(repo.root).people}
    assert names == {"zokutyou2@example.com": "gorogoroumaru", "skkaushik212@example.com": "sarthak212",
                     "github:wanderer-7": "wanderer-7", "ada@example.com": "Ada Lovelace"}


def test_a_name_that_is_a_known_login_is_that_account(tmp_path):
    # helix: kpbaks <kristoffer.pbs@tuta.io> (4 commits, HEAD's author) is Kristoffer Plagborg Bak Sørensen
    # <57013304+kpbaks@…> (77): the login is too short and plain for rules 9 and 10, and the account goes by its full
    # name; an identity at another account's noreply address stays that account's
    repo = GitRepo(tmp_path / "login")
    kristoffer = ("Kristoffer Plagborg Bak Sørensen", "57013304+kpbaks@users.noreply.github.com")
    for n in range(3):
        repo.commit({f"k{n}.rs": "k\n"}, author=kristoffer)
    repo.commit({"b.rs": "b\n"}, author=("kpbaks", "kristoffer.pbs@example.com"))
    repo.commit({"o.rs": "o\n"}, author=("kpbaks", "9+someone-else@users.noreply.github.com"))
    people = {ph.person.name: sorted(ph.person.emails) for ph in mine_history(repo.root).people}
    assert people["Kristoffer Plagborg Bak Sørensen"] == ["57013304+kpbaks@users.noreply.github.com",
                                                          "kristoffer.pbs@example.com"]
    assert people["kpbaks"] == ["9+someone-else@users.noreply.github.com"]


def test_an_author_committed_by_the_same_name_at_another_address_is_one_person():
    # Exposed: all 48 commits of "Jocelyne <jocelyne.abihaidar@…>" were committed by "Jocelyne <…+joc-a@…>" (115
    # commits of her own); one-word names never merge on their own. A placeholder ("root") committing its own commit
    # at another address says nothing, and a maintainer who applies someone's patch has another name.
    raw = [("Jocelyne", "38375996+joc-a@users.noreply.github.com"), ("Jocelyne", "jocelyne.abihaidar@example.com"),
           ("root", "root@build-1.example.com"), ("root", "admin@example.org"),
           ("Dan", "dan@example.com"), ("Eve", "eve@example.com")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [115, 48, 3, 2, 9, 4],
                                           self_committed=[(1, 0), (3, 2), (5, 4)])
    assert person_of[0] == person_of[1] and people[person_of[0]].name == "Jocelyne"
    assert len({person_of[2], person_of[3], person_of[4], person_of[5], person_of[0]}) == 5


def test_a_handle_of_initial_and_surname_named_with_that_full_name_by_one_commit_is_that_name():
    # drizzle: "prodrigues <prodrigues@singlestore.com>" and "Pedro Rodrigues <…+Rodriguespn@…>" co-authored the
    # squash 9cf0ed21e; a handle that is not its address's local part, or named beside two full names that fit, stays
    # apart (rule 16's care)
    raw = [("prodrigues", "prodrigues@singlestore.example"), ("Pedro Rodrigues", "44656907+Rodriguespn@users.noreply.github.com"),
           ("jsmith", "john@work.example"), ("John Smith", "john.smith@home.example"),
           ("adoe", "adoe@x.example"), ("Ann Doe", "ann@x1.example"), ("Al Doe", "al@x2.example")]
    people, person_of = resolve_identities(raw, ["human"] * len(raw), [21, 3, 5, 5, 2, 2, 2],
                                           co_named=[(0, 1), (2, 3), (4, 5), (4, 6)])
    assert person_of[0] == person_of[1] and people[person_of[0]].name == "Pedro Rodrigues"
    assert len(set(person_of[2:])) == 5


def test_the_log_keeps_authors_committed_by_themselves_and_writers_named_two_ways(tmp_path):
    # Exposed: "Jocelyne <jocelyne.abihaidar@…>", every commit committed by "Jocelyne <…+joc-a@…>"; drizzle's squash
    # 9cf0ed21e co-authored by "Pedro Rodrigues <…+Rodriguespn@…>" and "prodrigues <prodrigues@singlestore.com>"
    repo = GitRepo(tmp_path / "log")
    noreply = ("Jocelyne", "38375996+joc-a@users.noreply.github.com")
    for n in range(3):
        repo.commit({f"j{n}.kt": "j\n"}, author=noreply, committer=("GitHub", "noreply@github.com"))
    repo.commit({"w.kt": "w\n"}, author=("Jocelyne", "jocelyne.abihaidar@example.com"), committer=noreply)
    repo.commit({"p.ts": "p\n"}, author=("Andrii Sherman", "andrii@example.com"), trailers=[
        "Co-authored-by: Pedro Rodrigues <44656907+Rodriguespn@users.noreply.github.com>",
        "Co-authored-by: prodrigues <prodrigues@singlestore.example>"])
    repo.commit({"q.ts": "q\n"}, author=("prodrigues", "prodrigues@singlestore.example"))
    people = {ph.person.name: sorted(ph.person.emails) for ph in mine_history(repo.root).people}
    assert people["Jocelyne"] == ["38375996+joc-a@users.noreply.github.com", "jocelyne.abihaidar@example.com"]
    assert people["Pedro Rodrigues"] == ["44656907+rodriguespn@users.noreply.github.com", "prodrigues@singlestore.example"]


def test_two_noreply_addresses_of_one_account_number_are_one_account_renamed(tmp_path):
    # helix: Nik Revenco commits as 154856872+nik-rev and, co-authoring, as "Nikita Revenco" 154856872+NikitaRevenco
    repo = GitRepo(tmp_path / "renamed")
    repo.commit({"a.rs": "a\n"}, author=("Nik Revenco", "154856872+nik-rev@users.noreply.github.com"))
    repo.commit({"b.rs": "b\n"}, author=("Nikita Revenco", "154856872+NikitaRevenco@users.noreply.github.com"))
    repo.commit({"c.rs": "c\n"}, author=("Nik R", "99+nik-r@users.noreply.github.com"))  # another account
    people = {ph.person.name: sorted(ph.person.logins) for ph in mine_history(repo.root).people}
    assert len(people) == 2 and sorted(people.values()) == [["nik-r"], ["nik-rev", "nikitarevenco"]]


def test_a_distinctive_login_that_is_an_address_local_part_under_an_agreeing_name_is_that_person(tmp_path):
    # hugo: "Alexandros <onedrawingperday@users.noreply.github.com>" (7 commits) and "Alex <onedrawingperday@gmail.com>" (4)
    repo = GitRepo(tmp_path / "agree")
    for n in range(2):
        repo.commit({f"a{n}.go": "a\n"}, author=("Alexandros", "onedrawingperday@users.noreply.github.com"))
    repo.commit({"b.go": "b\n"}, author=("Alex", "onedrawingperday@example.com"))
    # the same login-shaped local part under names that do not agree stays apart
    repo.commit({"c.go": "c\n"}, author=("Maria Lopez", "quietriverstone@users.noreply.github.com"))
    repo.commit({"d.go": "d\n"}, author=("John Smith", "quietriverstone@example.com"))
    repo.commit({"e.go": "e\n"}, author=("Alexandra Jones", "brightmorningsky@users.noreply.github.com"))
    repo.commit({"f.go": "f\n"}, author=("Alex Smith", "brightmorningsky@example.com"))
    people = sorted(sorted(ph.person.emails) for ph in mine_history(repo.root).people)
    assert ["onedrawingperday@example.com", "onedrawingperday@users.noreply.github.com"] in people
    assert ["quietriverstone@example.com"] in people and ["brightmorningsky@example.com"] in people


def test_an_address_plus_tag_is_no_part_of_its_owners_handle(tmp_path):
    # bat: "Ethan P <eth-p+git@hidden.email>" and "Ethan P <32112321+eth-p@users.noreply.github.com>" (21 + 20 commits)
    repo = GitRepo(tmp_path / "tag")
    repo.commit({"a.rs": "a\n"}, author=("Ethan P", "eth-p+git@hidden.example"))
    repo.commit({"b.rs": "b\n"}, author=("Ethan P", "32112321+eth-p@users.noreply.github.com"))
    repo.commit({"c.rs": "c\n"}, author=("Ethan Q", "ethq+git@hidden.example"))
    people = sorted(sorted(ph.person.emails) for ph in mine_history(repo.root).people)
    assert ["32112321+eth-p@users.noreply.github.com", "eth-p+git@hidden.example"] in people and len(people) == 2


def test_names_others_gave_an_address_are_not_its_owners(tmp_path):
    # kit: five squashes of others' work carry Rich Harris's address under their names ("Tee Ming", "Simon H"). Rule
    # 11 kept those names out of his display name, but they were his names: he and Simon Holthausen were "likely one
    # person" (same name 'simon h'), the PR check folded them into one reviewer, and searching "Tee" found Rich
    from cairn.ingest.pipeline import ingest_repository
    from cairn.queries.explore.search import search
    from cairn.queries.people import people as people_report

    repo = GitRepo(tmp_path / "kit")
    rich, simon = ("Rich Harris", "rich@harris.example"), ("Simon H", "1+dummdidumm@users.noreply.github.com")
    tee = ("Tee Ming", "2+teeming@users.noreply.github.com")
    for n in range(12):
        for k, author in enumerate((rich, simon, tee)):
            repo.commit({f"{k}/f{n}.py": f"x = {n}\n"}, author=author)
    repo.commit({"s.py": "s\n"}, author=simon,  # (rule 16: "Simon H" is Simon Holthausen)
                message="change\n\nCo-authored-by: Simon Holthausen <simon@work.example>")
    repo.commit({"t.py": "t\n"}, author=("Simon H", rich[1]))  # squashes of their work under Rich's address
    repo.commit({"u.py": "u\n"}, author=("Tee Ming", rich[1]))
    graph = ingest_repository(repo.root, cache_dir=tmp_path / "cache").graph
    report = people_report(graph)
    by_name = {row["name"]: row for row in report["people"]}
    assert by_name["Rich Harris"]["names"] == ["Rich Harris"]
    assert by_name["Rich Harris"]["stray_names"] == ["Simon H", "Tee Ming"]  # (shown as such)
    assert f"Tee Ming <{rich[1]}>" in graph.node(Label.PERSON, rich[1]).get("aliases")
    assert report["likely_duplicates"] == []
    index = PersonIndex.of(graph)
    assert [p.get("name") for p in index.find("Tee Ming")] == ["Tee Ming"]
    assert [p.get("name") for p in index.find("Simon H")] == ["Simon Holthausen"]
    assert [p.get("name") for p in index.find(f"Tee Ming <{rich[1]}>")] == ["Rich Harris"]  # (the address is his)
    assert [r["title"] for r in search(graph, "Tee")["results"] if r["kind"] == "person"] == ["Tee Ming"]


def test_one_gmail_mailbox_is_one_person_however_its_address_is_written(tmp_path):
    # pydantic: "rohan436 <…@googlemail.com>" and "Rohan Santhosh <…@gmail.com>", one mailbox, were only "likely" one
    # person; Gmail delivers googlemail.com, dots and a "+tag" in the local part to the same mailbox
    repo = GitRepo(tmp_path / "mail")
    repo.commit({"a.py": "a\n"}, author=("Rohan Example", "rohan.example@gmail.com"))
    repo.commit({"b.py": "b\n"}, author=("rohan436", "rohan.example@googlemail.com"))
    repo.commit({"c.py": "c\n"}, author=("Rohan E", "RohanExample+git@gmail.com"))
    repo.commit({"d.py": "d\n"}, author=("Dana Other", "r.ohanexample@example.com"))  # (another provider's dots count)
    repo.commit({"e.py": "e\n"}, author=("Eve Other", "rohanexample@example.com"))
    people = [ph.person for ph in mine_history(repo.root).people]
    assert sorted(p.name for p in people) == ["Dana Other", "Eve Other", "Rohan Example"]
    rohan = next(p for p in people if p.name == "Rohan Example")
    assert rohan.emails == ["rohan.example@gmail.com", "rohan.example@googlemail.com", "rohanexample+git@gmail.com"]
    graph = RepoGraph("mail")
    graph.add_node(Label.PERSON, rohan.id, name=rohan.name, emails=rohan.emails)
    assert [n.get("name") for n in PersonIndex.of(graph).find("r.ohanexample@googlemail.com")] == ["Rohan Example"]


def test_the_repositorys_own_organisation_is_nobodys_login(tmp_path):
    # gson: "Merge pull request #634 from google-gson/fix-readme", a branch under the organisation the repository
    # moved from, gave Jake Wharton the login @google-gson; tokio's "from tokio-rs/…" gave Carl Lerche @tokio-rs
    for folder, remote, branch_owner in [("gson", None, "google-gson"),
                                         ("checkout", "git@github.com:acme/tokio.git", "tokio-rs"),
                                         ("gizmo", "https://github.com/acme/gizmo.git", "gizmo")]:
        repo = GitRepo(tmp_path / folder)
        if remote:
            repo.git("remote", "add", "origin", remote)
        jake, ann = ("Jake Example", "jake@example.com"), ("Ann Lee", "ann@example.com")
        repo.commit({"a.py": "a\n"}, author=jake)
        for n, (login, author) in enumerate([(branch_owner, jake), ("ann-lee-gh", ann)], 1):
            repo.git("checkout", "-q", "-b", f"topic{n}")
            repo.commit({f"f{n}.py": "x\n"}, author=author)
            repo.git("checkout", "-q", "main")
            repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{n} from {login}/topic{n}", f"topic{n}")
        logins = {ph.person.name: ph.person.logins for ph in mine_history(repo.root).people}
        assert (logins["Jake Example"], logins["Ann Lee"]) == ([], ["ann-lee-gh"]), folder


def test_a_handle_that_is_one_addresss_local_part_is_its_owner(tmp_path):
    # ripgrep: "jgart <…+jgarte@…>" (9 commits) and "Jorge Gomez <jgart@dismail.de>" (2) were two people, not even
    # likely one. A first name is no handle ("kevin" beside Kevin Marsh <kevin@…>), nor is a handle two addresses
    # have, or two people go by
    repo = GitRepo(tmp_path / "handles")
    for n, author in enumerate([
            ("jgart", "1+jgarte@users.noreply.github.com"), ("Jorge Example", "jgart@mail.example"),
            ("kevin", "kev@home.example"), ("Kevin Marsh", "kevin@work.example"),
            ("zorblat", "z@one.example"), ("Zed One", "zorblat@two.example"), ("Zed Two", "zorblat@three.example"),
            ("quorpin", "q@one.example"), ("quorpin", "q@two.example"), ("Quinn Example", "quorpin@three.example")]):
        repo.commit({f"f{n}.py": "x\n"}, author=author)
    people = {ph.person.name: sorted(ph.person.emails) for ph in mine_history(repo.root).people}
    assert people["Jorge Example"] == ["1+jgarte@users.noreply.github.com", "jgart@mail.example"]
    assert "jgart" not in people and people["kevin"] == ["kev@home.example"]
    assert people["zorblat"] == ["z@one.example"] and people["Quinn Example"] == ["quorpin@three.example"]
