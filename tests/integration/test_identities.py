"""Identity classification (human / bot / agent) and resolution (e-mail, GitHub noreply, name, .mailmap)."""

from __future__ import annotations

import pytest

from cairn.ingest.config import IdentitySettings
from cairn.graph.people import fold_name, noreply_login
from cairn.ingest.identities import Classifier, check_mailmap, mailmap_problems, parse_contact, resolve_identities
from cairn.ingest.trailers import trailer_contact
from fixtures.gitrepo import GitRepo


@pytest.mark.parametrize(
    "name, email, kind",
    [
        ("Claude", "noreply@anthropic.com", "agent"),
        ("claude[bot]", "209825114+claude[bot]@users.noreply.github.com", "agent"),
        ("Cursor Agent", "cursoragent@cursor.com", "agent"),
        ("Copilot", "198982749+Copilot@users.noreply.github.com", "agent"),
        ("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com", "agent"),
        ("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com", "agent"),
        ("chatgpt-codex-connector[bot]", "199175422+chatgpt-codex-connector[bot]@users.noreply.github.com", "agent"),
        ("google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com", "agent"),
        ("gemini-code-assist[bot]", "176961590+gemini-code-assist[bot]@users.noreply.github.com", "agent"),
        ("amazon-q-developer[bot]", "208079219+amazon-q-developer[bot]@users.noreply.github.com", "agent"),
        ("jetbrains-junie[bot]", "201638009+jetbrains-junie[bot]@users.noreply.github.com", "agent"),  # Exposed's
        ("Sisyphus", "clio-agent@sisyphuslabs.ai", "agent"),  # oh-my-opencode's agent, bat's co-author trailer
        ("aider (gpt-4o)", "noreply@aider.chat", "agent"),
        ("Paul Gauthier (aider)", "paul@example.com", "agent"),
        ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "bot"),
        ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", "bot"),
        ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", "bot"),
        ("GitHub", "noreply@github.com", "bot"),
        ("some-app[bot]", "1+some-app[bot]@users.noreply.github.com", "bot"),
        ("release-bot", "ci@example.com", "bot"),
        ("requires.io", "support@requires.io", "bot"),  # mitmproxy: 23 "[requires.io] dependency update" commits
        ("Mend Renovate", "bot@renovateapp.com", "bot"),  # jaeger: 602 commits counted as a person's
        ("StepSecurity Bot", "bot@stepsecurity.io", "bot"),
        ("yurishkuro's AI bot", "github-ysh-bot@ysh.us", "agent"),
        ("yurishkuro's AI bot", "yurishkuro@users.noreply.github.com", "agent"),
        # AI assistants by the shape of their name, whatever the address (caddy's "Gemini AI" at a person's own)
        ("Gemini AI", "renich+gemini@woralelandia.com", "agent"),
        ("Cursor AI", "ai@cursor.sh", "agent"),  # pytest: 42 commits counted as a person's
        ("Cursor Grok 4.5", "grok@x.ai", "agent"),
        ("Anthropic Claude Opus 4", "claude@anthropic.com", "agent"),
        ("Anthropic Claude", "claude@anthropic.com", "agent"),
        ("Claude Opus 4.8", "", "agent"),
        ("Qwen-Coder", "qwen-coder@alibabacloud.com", "agent"),
        ("OpenAI:gpt-5.4", "", "agent"),  # fastify's "Assisted-by: OpenAI:gpt-5.4"
        ("anthropic/claude-opus-4.5", "", "agent"),
        ("DeepSeek V3", "", "agent"),
        ("Meta Llama 3", "", "agent"),
        ("ChatGPT", "noreply@openai.com", "agent"),
        ("Claude", "242468646+Claude@users.noreply.github.com", "agent"),  # the account @Claude is the app's
        ("anthropic-code-agent[bot]", "242468646+Claude@users.noreply.github.com", "agent"),
        ("GPT-5.4 via GitHub Copilot", "github-copilot[bot]@users.noreply.github.com", "agent"),
        ("Copilot Autofix powered by AI", "223894421+github-code-quality[bot]@users.noreply.github.com", "agent"),
        # … and people whose names begin as theirs do
        ("Claude Meyer", "claude@claudobahn.com", "human"),
        ("Claude", "claude@2xlibre.net", "human"),
        ("Gemini", "gemini@example.com", "human"),
        ("Devin Ford", "devin.ford@datadoghq.com", "human"),
        ("Jules Tamagnan", "jtamagnan@gmail.com", "human"),
        ("Cursor Smith", "cs@example.com", "human"),
        ("Ada Bot", "ada@example.com", "human"),  # "Bot" as a surname, a personal address
        ("Talbot", "bot.talbot@example.com", "human"),
        ("Claude Paroz", "claude@2xlibre.net", "human"),
        ("Abbot Smith", "abbot@example.com", "human"),
        ("Alice", "alice@example.com", "human"),
        ("", "", "human"),
        # a person's name whose first name begins a bot-shaped login is a person's (svelte's, 2 commits) …
        ("Bert B", "44912991+bertybot@users.noreply.github.com", "human"),
        # … and a bot named by what it serves, or with "Bot" in its name, whatever the login, a bot
        ("Grafana Labs", "1+grafanabot@users.noreply.github.com", "bot"),
        ("Excalidraw Bot", "77840495+excalibot@users.noreply.github.com", "bot"),
        ("Bot from GolangCI", "42910462+golangcibot@users.noreply.github.com", "bot"),
        ("bert b", "2+bertybot@users.noreply.github.com", "bot"),
    ],
)
def test_builtin_classification(name, email, kind):
    assert Classifier.from_settings().kind(name, email) == kind


def test_configured_patterns_extend_and_override():
    settings = IdentitySettings(agents=["*@my-agent.example"], bots=["release-robot*"], humans=["Bot Botterson <*>", "mybot-*"])
    c = Classifier.from_settings(settings)
    assert c.kind("Helper", "helper@my-agent.example") == "agent"  # pattern on the e-mail alone
    assert c.kind("release-robot 2", "r@example.com") == "bot"  # pattern on the name alone
    assert c.kind("Bot Botterson", "bb@example.com") == "human"  # pattern on "name <email>"
    assert c.kind("mybot-bot", "m@example.com") == "human"  # humans win over the built-in "*-bot"
    assert c.kind("HELPER", "HELPER@MY-AGENT.EXAMPLE") == "agent"  # case-insensitive


def test_brackets_are_literal_in_patterns():
    c = Classifier.from_settings(IdentitySettings(bots=["tool[x]"]))
    assert c.kind("tool[x]", "t@example.com") == "bot"
    assert c.kind("toolx", "t@example.com") == "human"


def test_noreply_and_name_normalisation():
    assert noreply_login("12345+Octo-Cat@users.noreply.github.com") == "octo-cat"
    assert noreply_login("octocat@users.noreply.github.com") == "octocat"
    assert noreply_login("octocat@example.com") is None
    assert fold_name("  José   O'Neil ") == fold_name("jose o neil") == "jose o neil"
    assert parse_contact("Jane Doe <jane@example.com>") == ("Jane Doe", "jane@example.com")
    assert parse_contact("just a name") is None


def test_resolution_merges_email_noreply_and_name_but_not_across_kinds():
    raw = [
        ("Jane Doe", "jane@example.com"),  # 0
        ("jane doe", "JANE@example.com"),  # 1 same e-mail, case differs
        ("J. Doe", "1+janed@users.noreply.github.com"),  # 2 noreply
        ("Janie", "janed@users.noreply.github.com"),  # 3 same login, other noreply form
        ("Jane Doe", "jane@work.example"),  # 4 same name
        ("root", "root@host1"),  # 5 placeholder name: not merged by name
        ("root", "root@host2"),  # 6
        ("Copilot", "198982749+Copilot@users.noreply.github.com"),  # 7 agent
        ("Copilot", "copilot@example.com"),  # 8 a human who calls themself Copilot? classified agent by name
        ("Nomail", ""),  # 9
        ("Nomail", ""),  # 10 (same raw identity twice is merged by name)
    ]
    c = Classifier.from_settings()
    kinds = [c.kind(n, e) for n, e in raw]
    people, person_of = resolve_identities(raw, kinds, [5, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1])
    assert person_of[0] == person_of[1] == person_of[4]
    assert person_of[2] == person_of[3] and person_of[2] != person_of[0]
    assert person_of[5] != person_of[6]
    assert person_of[9] == person_of[10]
    jane = people[person_of[0]]
    assert jane.id == "jane@example.com" and jane.name == "Jane Doe" and jane.kind == "human"
    assert people[person_of[2]].id == "github:janed" and people[person_of[2]].github == "janed"
    assert people[person_of[9]].id == "name:nomail"
    assert len({p.id for p in people}) == len(people)


def test_a_name_with_middle_initials_is_the_name_without_them_when_that_is_unambiguous():
    """openedx/edx-enterprise: "Alexander J Sheehan" (2u.com) and "Alexander Sheehan" (edx.org) were two people."""
    raw = [
        ("Alexander Sheehan", "asheehan@edx.org"),  # 0
        ("Alexander J Sheehan", "asheehan@2u.com"),  # 1 merged with 0
        ("Alexander J. Sheehan", "67655836+alex-sheehan-edx@users.noreply.github.com"),  # 2 the same initial: too
        ("John A Smith", "john@a.example"),  # 3 two initials in the same place: neither is "John Smith"
        ("John B Smith", "john@b.example"),  # 4
        ("John Smith", "john@c.example"),  # 5
        ("Mary K Jones", "mary@a.example"),  # 6 no "Mary Jones" to merge with
        ("Jose O'Neil", "jose@a.example"),  # 7 an apostrophe is no initial
        ("Jose Neil", "jose@b.example"),  # 8
        ("Ann J Lee", "ann@a.example"),  # 9 "Ann Lee" is a bot here: kinds never merge
        ("Ann Lee", "ann-bot@b.example"),  # 10
    ]
    c = Classifier.from_settings()
    kinds = [c.kind(n, e) for n, e in raw]
    assert kinds[10] == "bot"
    people, person_of = resolve_identities(raw, kinds, [3] + [1] * (len(raw) - 1))
    assert person_of[0] == person_of[1] == person_of[2]
    assert len({person_of[3], person_of[4], person_of[5]}) == 3
    assert len({person_of[6], person_of[7], person_of[8], person_of[9], person_of[10]}) == 5
    assert people[person_of[0]].name == "Alexander Sheehan"



def test_a_surname_written_first_is_the_same_name_and_a_full_name_is_shown_over_a_handle():
    """cometbft's "Milosevic, Zarko" was a second Zarko Milosevic; its "Marko" (361 commits as "Marko", some as
    "Marko Baricevic", one address) was shown as "Marko"; prometheus' "machine424" is Ayoub Mrini."""
    raw = [
        ("Zarko Milosevic", "zarko@tendermint.com"),  # 0
        ("Milosevic, Zarko", "zare.milosevic@gmail.com"),  # 1 the same full name, surname first
        ("Smith, Jr.", "jr@a.example"),  # 2 no given name after the comma
        ("Jr. Smith", "jr@b.example"),  # 3
        ("Marko", "marbar3778@yahoo.com"),  # 4 the most used name, one word
        ("Marko Baricevic", "marbar3778@yahoo.com"),  # 5
        ("Alex | Cosmos Labs", "alex@cosmoslabs.io"),  # 6 a name with an organisation
        ("Alex Cozart", "alex@cosmoslabs.io"),  # 7
        ("Copilot", "198982749+Copilot@users.noreply.github.com"),  # 8 an agent: its most used name
        ("Copilot Autofix powered by AI", "198982749+Copilot@users.noreply.github.com"),  # 9
        ("Moser, Anna", "anna@a.example"),  # 10 alone: shown with her surname last
        ("jfbu", "jfbu@free.example"),  # 11 Sphinx's: the most used name a handle, no full name …
        ("Jean-François B.", "jfbu@free.example"),  # 12 … but a first name and a surname's initial (its .mailmap's)
    ]
    c = Classifier.from_settings()
    kinds = [c.kind(n, e) for n, e in raw]
    assert (kinds[8], kinds[9]) == ("agent", "agent")
    people, person_of = resolve_identities(raw, kinds, [40, 2, 1, 1, 361, 5, 48, 3, 9, 2, 1, 900, 200])
    assert person_of[0] == person_of[1] and person_of[2] != person_of[3] and person_of[11] == person_of[12]
    assert [people[person_of[i]].name for i in (0, 2, 4, 6, 8, 10, 11)] == [
        "Zarko Milosevic", "Smith, Jr.", "Marko Baricevic", "Alex Cozart", "Copilot", "Anna Moser", "Jean-François B."]
    assert people[person_of[4]].names == ["Marko", "Marko Baricevic"]  # every name used is still listed

def test_mailmap_problems_and_check_mailmap(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.write({".mailmap": "# comment\n\nJane <jane@example.com> <jd@old.example>\nbroken line without address\nA <\n"})
    repo.commit({"a.py": "x\n"})
    problems = mailmap_problems(repo.root)
    assert len(problems) == 2 and "line 4" in problems[0] and "line 5" in problems[1]
    mapped = check_mailmap(repo.root, ["Someone <jd@old.example>", "Other <other@example.com>", "not a contact"])
    assert mapped["Someone <jd@old.example>"] == "Jane <jane@example.com>"
    assert mapped["Other <other@example.com>"] == "Other <other@example.com>"
    assert "not a contact" not in mapped
    assert mailmap_problems(tmp_path) == []


def test_a_login_and_an_e_mail_local_part_under_the_same_name_are_one_person():
    """ibc-go: srdtrk's noreply commits and srdtrk@hotmail.com were two people (one-word names never merge alone)."""
    raw = [
        ("srdtrk", "59252793+srdtrk@users.noreply.github.com"),  # 0
        ("srdtrk", "srdtrk@hotmail.com"),  # 1 the login as local part, the same name: merged
        ("srdtrk", "srdtrk@work.example"),  # 2 also
        ("Charly", "charly@interchain.berlin"),  # 3 the same local part and name, no login: apart
        ("Charly", "charly@interchain.io"),  # 4
        ("vuong", "vuong177@users.noreply.github.com"),  # 5 another login, the same name: apart
        ("vuong", "nguyenvuong1122000@users.noreply.github.com"),  # 6
        ("vuong", "nguyenvuong1122000@gmail.com"),  # 7 merged with 6
        ("Sam", "sam@users.noreply.github.com"),  # 8 the login as local part, another name: apart
        ("Samantha Jones", "sam@example.com"),  # 9
        ("root", "1+root@users.noreply.github.com"),  # 10 a placeholder name says nothing
        ("root", "root@host1"),  # 11
    ]
    c = Classifier.from_settings()
    people, person_of = resolve_identities(raw, [c.kind(n, e) for n, e in raw], [1] * len(raw))
    assert person_of[0] == person_of[1] == person_of[2]
    assert people[person_of[0]].github == "srdtrk"
    assert person_of[3] != person_of[4]
    assert person_of[6] == person_of[7] and person_of[5] != person_of[6]
    assert person_of[8] != person_of[9] and person_of[10] != person_of[11]


@pytest.mark.parametrize("value, contact", [
    ("Jane Roe <jane@example.com>", ("Jane Roe", "jane@example.com")),
    ("Signed-off-by: Jane Roe <jane@example.com>", ("Jane Roe", "jane@example.com")),  # a pasted key
    ("yiminc <yiminc yimin.chen@live.com>", ("yiminc", "yimin.chen@live.com")),
    ("Claude Opus 4.8 <>", ("Claude Opus 4.8", "")),
    ("finswimmer77@gmail.com <GiWahnsinn07!>", ("", "finswimmer77@gmail.com")),  # poetry's 9e1324e1f
    ("Jane Roe <hunter2!>", None),
    ("Jane Roe", None),
])
def test_a_trailer_never_makes_an_email_of_what_is_no_address(value, contact):
    assert trailer_contact(value) == contact
