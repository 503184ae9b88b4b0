"""Who is who in a repository's history: identity resolution and human/bot/agent classification.

Resolution, in order (the first three are what ``git log --use-mailmap`` and
``git check-mailmap`` already do for us):

1. ``.mailmap`` (git applies it to authors and committers; trailer identities
   such as ``Co-authored-by`` are passed through ``git check-mailmap``). Cairn
   also reads ``.mailmap`` itself, to report lines git silently ignores and to
   keep the old addresses it folds (a noreply address there still gives a login).
   Only the work tree's ``.mailmap`` counts (``MAILMAP_OPTIONS`` blanks
   ``mailmap.file`` / ``mailmap.blob``), and, as for git, never a symbolic link.
2. ``[[people]]`` in cairn.toml: a name and aliases (names, e-mails, ``@logins``)
   that are one person, whatever else says;
3. the same e-mail address (case-insensitive; a Gmail address whatever dots or ``+tag`` its local part holds, and
   googlemail.com is gmail.com: ``graph.people.mailbox``, pydantic's ``rohan.santhoshkumar@googlemail.com`` and
   ``…@gmail.com``) is the same person, also when a name holds it as its last word
   (celery's ``Michael Elsdoerfer michael@elsdoerfer.com <michael@puppetmaster.(none)>``: ``address_in_name``) —
   unless it names nobody (``is_placeholder_address``: the ``none@none`` a Mercurial converter gave 14 of scrapy's
   authors, who were one person "elpolilla" with 420 commits);
4. a GitHub noreply address (``12345+login@users.noreply.github.com`` or
   ``login@users.noreply.github.com``) is the GitHub user ``login``, whatever
   the numeric id, also cut short of its ``.com`` (mypy's ``Co-authored-by`` lines of Valentin Stanciu); and two
   noreply addresses with one account number are one account renamed (helix's Nik Revenco ``154856872+nik-rev`` and
   ``154856872+NikitaRevenco``: a number names one account for good, a login only until it is renamed);
5. the same normalised full name: case, spacing, punctuation and diacritics
   folded, including the letters Unicode does not decompose ("Bartłomiej
   Płotka" = "Bartlomiej Plotka", ø, đ, ß, æ …). Conservative: a name merges
   only when it has at least two words of two letters or more, so one-word
   names ("alice", "Bob"), initials ("J. Doe") and placeholders ("root") never
   merge on their own; a name of four Chinese, Japanese or Korean characters or more without spaces is a full name
   (ESLint's 薛定谔的猫 at three addresses, Vue's 月迷津渡), one of two or three ("张伟": a surname and a given name,
   shared by very many) is not;
6. a GitHub login equal to the local part of another identity's e-mail, both
   under the same name: ibc-go's ``srdtrk <…+srdtrk@users.noreply.github.com>``
   and ``srdtrk <srdtrk@hotmail.com>`` (a login names one account; the same
   name besides is no coincidence; an address's ``+`` tag is no part of its local part here: bat's ``Ethan P
   <eth-p+git@hidden.email>`` is ``@eth-p``). Two e-mails with the same local part and
   name stay apart (``charly@`` at two companies; but see rule 15), as do two logins;
7. a full name with middle initials is that name without them, when the name
   without them is used too and no other initials stand in their place:
   openedx's ``Alexander J Sheehan <asheehan@2u.com>`` is ``Alexander Sheehan
   <asheehan@edx.org>``; "John A Smith" and "John B Smith" stay apart, and
   from "John Smith".
8. an e-mail address whose local part spells a full name, its words joined by
   ``.``, ``_`` or ``-`` (``philip.mcmahon@theguardian.com``), is that name for
   rule 5 — joined to an identity of that name, never to another address
   spelling it alone: guardian/cdk's ``philmcmahon <philip.mcmahon@theguardian.com>`` is
   ``Philip McMahon <philip.mcmahon@guardian.co.uk>``, while ``Carol <first.last@a.com>``
   and ``Dan <first.last@b.io>`` stay apart. As conservative as rule 5:
   two words of two letters or more, letters only (``j.doe@``, ``release@`` and
   ``dev2.team@`` spell no full name);
9. a name that is a GitHub login — a noreply address of that login is used
   under that very name — is that account under any address, when it can only
   be a login, one token holding a digit, ``-`` or ``_``, or of eight letters
   or more: Thanos' ``yeya24 <yb532204897@gmail.com>`` is ``yeya24
   <…+yeya24@users.noreply.github.com>`` (Ben Ye), Fastify's ``delvedor
   <tommydelved@gmail.com>`` (527 commits) is ``delvedor
   <delvedor@users.noreply.github.com>``, Tomas Della Vedova; a short plain
   word ("alex") may be anyone's name.
10. a GitHub login equal to the local part of another identity's e-mail, when
   one of the two is named by the login itself and the login is distinctive
   (a digit, ``-`` or ``_``, or eight letters or more): flux2's ``matheuscscp
   <…+matheuscscp@users.noreply.github.com>`` is ``Matheus Pimenta
   <matheuscscp@gmail.com>``, Vue's ``linzhe <…+linzhe141@…>`` is ``linzhe141
   <linzhe141@qq.com>``; not ``zsol`` or ``alex``. So is a distinctive login
   another identity is named by (rule 9's names), whatever name the account
   uses: Fastify's ``Tomas Della Vedova <delvedor@users.noreply.github.com>``
   is ``delvedor <tommydelved@gmail.com>``. And so is a distinctive login that is another identity's local part under
   a name that agrees with the account's: one first name the start of the other, no other surname (hugo's ``Alexandros
   <onedrawingperday@users.noreply.github.com>`` is ``Alex <onedrawingperday@gmail.com>``: 7 + 4 commits);
11. the joins by name (rules 5, 7 and 8) come after the joins by address and login (3, 4, 6, 9, 10), and a name
   does not join two established people: when the two people the addresses made each have ``ESTABLISHED_COMMITS``
   (10) commits or more, each at least ten times (``BRIDGE_SHARE``) the commits of the less used identity of the
   name, and their own full names share no word, they stay apart. A person's own full name is the one most of
   their commits go by (an identity's name when it is a full name, else the name its address spells). Loki's
   ``Trevor Whitney <ben.clive@…>`` (one commit) no longer makes Ben Clive (201 commits as ``benclive``) and
   Trevor Whitney (408) one man. The stray identity stays with the owner of its address (the commit was made
   where that address is configured; GitHub credits it to that address's account too), and its name is not one of
   that person's (``Person.stray_names``, not ``names``), nor is a name of two words or more that is another
   established person's, by the same measure, where no rule joined it (kit's "Simon H <hello@rich-harris.dev>",
   one squash of Simon Holthausen's work under Rich Harris's address: ``_NameJoins.names_of_others``). A person
   who changed name or address still joins: the bridge then has several commits, or one side is small, or the names
   share a word ("Alice Smith" → "Alice Jones"), or one side has no full name of its own.
12. a name that can only be a login (rule 9's) is one account at any address when one of its identities writes it
   as a handle — a digit, ``-`` or ``_``, or a capital after a small letter: cert-manager's ``JoshVanL
   <vleeuwenjoshua@…>`` and ``joshvanl <me@joshvanl.dev>``; not "Jonathan" or "alexander" (first names), nor two
   different noreply accounts under one name.
13. a GitHub login that is a full name without its spaces (``-`` and ``_`` dropped) is the one person of that
   name, when the account goes by the login or by a word of that name: Sentry's ``ericapisani
   <…+ericapisani@…>`` is Erica Pisani, Loki's ``trevorwhitney`` Trevor Whitney, Vue's ``Jonas
   <…+jonaskuske@…>`` Jonas Kuske; an account named otherwise ("Someone") stays apart. So is an address whose
   local part or mail domain is such a full name run together (``_names_run_together``), under a one-word name that
   is a word of that full name: caddy's ``Emily <git@emilylange.de>`` is Emily Lange, nats' ``Neil
   <git@neilalexander.dev>`` Neil Alexander; not "Neil <neil@nats.io>", nor "Sam <sam@emilylange.de>".
   Rules 12 and 13 join as names do (rule 11).
14. an identity known only from ``Co-authored-by`` trailers, every one of them on commits whose author it is
   (``co_author_is_author``: the same address, login or full name, or a distinctive handle that begins or ends the
   author's login, local part or name), is that author: celery's ``blanariu <blanariu@adobe.com>``, only ever
   co-author of ``constantinblanariu``'s f8668fcf. Such a trailer is never review credit, wherever it stands.
   ``Signed-off-by`` is not read: the one sign-off of a commit is not always its author's (Loki's b272573efc by
   Aaron is co-authored and signed off by Callum Styan alone).
15. the same name, whatever its shape, at two addresses with the same local part, when that local part is a
   handle of six characters or more that is neither the name nor a word of it: clap's ``Kevin K <kbknapp@gmail.com>``
   and ``Kevin K <kbknapp@gamil.com>`` (a typo); not ``charly@`` at two companies under "charly", nor ``kevin@``
   under "Kevin K", nor role addresses (``support@``).
16. a first name and a surname's initial ("Simon H", "Steven L.") is the full name of that first name and a surname
   beginning with that letter ("Simon Holthausen") when one commit names both as its author or co-authors
   (``graph.people.surname_initial``, ``LogCounts.co_named``) and no other such full name is named with it: a
   pull request's commits made under two addresses of one account are two co-authors of its squash (GitHub lists
   each), as svelte's 40 squashes co-authored by ``Simon H <…+dummdidumm@…>`` (743 commits) and ``Simon Holthausen
   <simon.holthausen@vercel.com>``, and uv's, hono's, celestia-node's and wagtail's squashes of one author
   co-authored by the other spelling. A reviewer is no such evidence (``Reviewed-by``: someone else), nor are the
   names alone: vite's "Simon H" (@dummdidumm) and "Simon He" (@simon-he95), pytest's "Michael K" (@michael-k,
   Michael Käufl) and Michael Krebs, react-router's "Ayush C" and Ayush Chaudhary (two accounts) are two people.
   Joins as names do (rule 11).
17. a GitHub login too short for rule 10 that is the first name's initial and the surname of the full name an
   address goes by (a full name used at that address, or the one it spells), when that address is also used under
   the login itself and the account goes by the login, that full name or a word of it: traefik's ``mmatur
   <michael.matur@gmail.com>`` (also "Michael MATUR" there) is ``Michael <mmatur@users.noreply.github.com>`` (259
   commits), tauri's ``jbolda`` Jacob Bolda, tokio's ``tmiasko`` Tomasz Miąsko; not an account named otherwise
   ("Someone" @jdoe beside ``jdoe <john.doe@…>``). Joins as names do (rule 11).
18. a human's name that is the GitHub login of a noreply address in the history is that account, whatever name the
   account goes by, at any address but another account's noreply one: helix's ``kpbaks <kristoffer.pbs@tuta.io>``
   (4 commits, the author of its HEAD) is ``Kristoffer Plagborg Bak Sørensen <…+kpbaks@…>`` (77), fastapi's ``Xewus
   <xewuss@yandex.ru>`` Vladislav Kramorenko @Xewus. A login of five characters or fewer, all letters, and written
   in one case ("alex", "jdoe") may be anyone's name: it needs an address that bears it or a word of the account's
   names (eslint's ``azu <azuciao@…>``, pip's ``rdb <git@rdb.name>``); and an address that spells a full name the
   account's full names share no word with ("pdoe <paula.smith@…>" beside "Paul Doe" @pdoe) says it is someone
   else. Over 91 repositories the rule made 59 joins, none of two people on reading them. Joins as names do (rule 11).

19. the author and the committer of one commit, the same name at two addresses, are one person: a commit someone
   amended, rebased or cherry-picked under another address of theirs (Exposed's ``Jocelyne
   <jocelyne.abihaidar@jetbrains.com>``, 48 commits all committed by ``Jocelyne <…+joc-a@…>``, 115 commits of her
   own). A maintainer who applies someone's patch commits under their own name, GitHub's web merges as "GitHub"; a
   placeholder ("root", "ubuntu") says nothing and a bot's shared name ("CI") is no human's. Over 91 repositories 47
   such pairs have a one-word name (none a placeholder; etcd's "anon" once), and the rule made 10 joins, none of two
   people on reading them (celestia-node's "Ryan", cometbft's "Marko", thanos' "dmaiocchi" …). Joins as names do
   (rule 11).
20. a handle that is an address's local part and the first name's initial and the surname of a full name
   (``prodrigues <prodrigues@singlestore.com>``, Pedro Rodrigues) is that full name when one commit names both as
   its author or co-authors (drizzle's squash 9cf0ed21e, co-authored by both) and no other such full name is named
   with it, as rule 16 for a surname's initial: 10 joins over 91 repositories (tokio's ``bdonlan`` Bryan Donlan,
   thanos' ``cyip`` Chantel Yip …), none of two people. Joins as names do (rule 11).
21. a one-word name written as a handle, of five characters or more, that is the local part of one address alone
   (its ``+`` tag aside) is that address's owner, when it is no word of a full name in the history ("kevin" beside
   Kevin Marsh ``kevin@…``), no role's (``hello@``) and one person goes by it: ripgrep's ``jgart
   <…+jgarte@…>`` (9 commits) is ``Jorge Gomez <jgart@dismail.de>``, pytest's ``pedronis <none@none>`` (21) Samuele
   Pedroni ``pedronis@…``, hugo's ``LK4D4`` Alexander Morozov ``lk4d4@docker.com``: 13 joins over 23 repositories,
   none of two people on reading them. Joins as names do (rule 11).

A name written surname first, ``Last, First`` (cometbft's ``Milosevic, Zarko``),
is ``First Last`` for rules 5 and 7 ("Smith, Jr." and "Acme, Inc." are no such
names). A person's display name is the most used of their names that reads
as a person's full name (two words or more, letters only: "Marko Baricevic"
over "Marko", "Alex Cozart" over "Alex | Cosmos Labs"), else a first name with
a surname's initial (Sphinx's "Jean-François B." over "jfbu"), else the most used
that names someone (not "root" nor an address: ``names_nobody``), else the GitHub login, else the most used
(a bot's: its most used; an agent's: the words all its names begin with, its
family, "Claude" for "Claude Opus 4.7 (1M context)" and "Claude Sonnet 4.5").

Identities are only merged with identities of the same kind, so an agent that
happens to share a name with a person never absorbs that person. A login that
CODEOWNERS or a review record names is attached later, by the unique e-mail
local part equal to it (``ingest.codeowners``, ``ingest.reviews``).

Classification. Every raw identity is matched against patterns over the string
``"Name <email>"``; a pattern matches when it matches that whole string, the
name alone or the e-mail alone, case-insensitively. Patterns are fnmatch-like:
``*`` is any run of characters, ``?`` one character, everything else is
literal (so ``dependabot[bot]`` means exactly that, unlike fnmatch). Order:
configured ``humans`` patterns win, then configured ``agents``, configured
``bots``, built-in agents, an AI assistant's name (``AGENT_NAME_RE``: "Gemini
AI", "Cursor Grok 4.5", not "Claude Meyer"), built-in bots, then the shape of the name: one
lower-case token ending in "bot" (``prombot``), one CamelCase token ending in
"Bot" (``PrometheusBot``) or a token ending in "-robot" is a bot — a surname
never is ("Sam Talbot" has two words); then the shape of the address: a
noreply address of such a login (Loki's "Grot" is ``@grafanabot``; not
``Ryan Talbot <…+ryantalbot@…>``, nor a person's name whose first name
begins the login: svelte's ``Bert B <…+bertybot@…>``), an address whose
local part begins or ends with "robot" (``robot-vector-vector@``), or ends
in "bot" under a name whose last word is "bot" (``pytest bot
<pytestbot@gmail.com>``; its tag after a "+" too: ESLint's ``ESLint Bot <nicholas+eslintbot@…>``) is a bot's
(``_bot_address``), as is an account whose name is its own distinctive login and "Bot" (traefik's "Traefiker Bot",
``@traefiker``; not "Jeroen Bot" ``@jeroen``: ``_calls_itself_a_bot``) and a Jenkins build machine's own account
(ESLint's ``Jenkins <jenkins@eslint-03>``, 229 release commits: a host name with no dot; a laptop's
``jenkins@Jenkinss-MacBook-Pro.local`` in Express is a person's); anything else is a
human. Then, over all identities (``_bots_by_what_they_share``), a human every part of which is a bot's is a bot: any
identity of an account that calls itself a bot, and a full name a bot goes by at an address a bot commits with
(ESLint's "ESLint Jenkins <eslint@googlegroups.com>": the name of its ``eslint[bot]``, the address of its "GitHub
Actions Bot"); either alone is not (Argo CD's bot "CI" commits at Michael Crenshaw's address, uv's at Zanie Blue's).
In ``cairn.toml``::

    [identities]
    agents = ["*@my-agent.example", "Release Copilot"]
    bots = ["release-robot*"]
    humans = ["Bot Botterson <*>"]     # a person whose name looks like a bot
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from cairn.graph.people import (
    PLACEHOLDER_NAMES,
    abbreviates,
    fold_email,
    fold_name,
    mailbox,
    noreply_account,
    noreply_login,
    surname_initial,
)
from cairn.ingest.config_values import IdentityValues
from cairn.ingest.git import GitError, git
from cairn.ingest.untrusted import RefusedFile, read_checkout_text

if TYPE_CHECKING:
    from cairn.ingest.config import IdentitySettings

HUMAN, BOT, AGENT = "human", "bot", "agent"

#: For git commands that apply the mailmap: only the repository's own ``.mailmap`` counts, never a
#: ``mailmap.file`` or ``mailmap.blob`` that a checkout's ``.git/config`` may point anywhere.
MAILMAP_OPTIONS = ("-c", "mailmap.file=", "-c", "mailmap.blob=")

#: Coding agents. Copilot's and Devin's GitHub apps end in ``[bot]`` but are agents.
BUILTIN_AGENTS: tuple[str, ...] = (
    # Anthropic Claude (Claude Code trailer, Claude GitHub app)
    "noreply@anthropic.com", "claude[bot]", "claude code*",
    # Cursor
    "cursoragent@cursor.com", "cursor agent*", "cursor[bot]",
    # GitHub Copilot coding agent
    "copilot", "*+copilot@users.noreply.github.com", "copilot-swe-agent*", "copilot[bot]", "github copilot*",
    # Devin
    "devin-ai-integration*", "devin ai*", "devin[bot]",
    # OpenAI Codex
    "chatgpt-codex-connector*", "codex <*@openai.com>", "openai codex*", "codex[bot]", "*codex@openai.com",
    # Google Jules and Gemini
    "google-labs-jules*", "jules[bot]", "jules <*@google.com>", "gemini-code-assist*", "gemini-cli*", "gemini[bot]",
    # Anthropic's GitHub agent (the account @Claude), OpenAI's no-reply address (pytest's "ChatGPT"), GitHub's
    # autofix and a Copilot model (dotcom-rendering's "GPT-5.4 via GitHub Copilot"), apps whose addresses are bots'
    "anthropic-code-agent*", "*+claude@users.noreply.github.com", "noreply@openai.com", "copilot autofix*",
    "* via github copilot",
    # Amazon Q Developer
    "amazon-q-developer*", "amazon q developer*", "amazonq*",
    # JetBrains Junie (its GitHub app: Exposed's jetbrains-junie[bot])
    "jetbrains-junie*", "junie[bot]",
    # oh-my-opencode's Sisyphus ("Ultraworked with Sisyphus", co-author of bat's 844bfded)
    "*@sisyphuslabs.ai", "sisyphus <*",
    # Aider (trailer author "aider (model)", or "Name (aider)" when it commits as the user)
    "aider (*", "* (aider)", "aider <*", "noreply@aider.chat",
    # the Pi coding agent (its trailer names the model: "Pi OpenAI GPT-5.5 <noreply@pi.dev>")
    "noreply@pi.dev", "pi coding agent*",
    # Others that commit as themselves
    "openhands*", "openhands@all-hands.dev", "sweep-ai*", "sweepai*", "windsurf*", "codegen-sh*",
    "tabnine*", "roo code*", "coderabbitai*", "factory-droid*",
    # a person's or project's own AI committing under its name (jaeger's "yurishkuro's AI bot")
    "* ai bot", "* ai agent", "ai bot", "ai agent",
)

BUILTIN_BOTS: tuple[str, ...] = (
    "*[bot]", "*[bot]@users.noreply.github.com", "dependabot*", "renovate*", "mend renovate*", "github-actions*",
    "bot@*",  # an address whose whole local part is "bot" (Renovate's bot@renovateapp.com, StepSecurity's)
    "actions@github.com", "noreply@github.com", "web-flow", "github <noreply@github.com>", "greenkeeper*",
    "snyk-bot*", "pre-commit-ci*", "mergify*", "semantic-release-bot*", "allcontributors*", "all-contributors*",
    "imgbot*", "codecov*", "pyup-bot*", "pyup.io*", "requires.io*", "*@requires.io", "deepsource*", "restyled-io*", "whitesource*", "mend*bolt*",
    "*-bot", "*-bot@*", "*-robot", "gitlab-bot*", "bors", "bors[bot]", "bors-ng*", "k8s-ci-robot*", "transifex*",
    "weblate <*", "translate-bot*", "crowdin*", "autofix-ci*", "stale[bot]", "sourcery-ai*", "depfu*",
    # CI and hosting services that commit
    "travis-ci*", "travis ci*", "circleci*", "gitter badger*", "gitter-badger*", "azure-pipelines*", "sonarcloud*",
    "netlify*", "vercel*", "lgtm-com*", "scala-steward*", "pre-commit-ci*", "github-merge-queue*", "copybara*",
    "k8s-ci-robot*", "k8s-merge-robot*", "openshift-ci-robot*", "knative-prow-robot*", "prow*robot*",
    # a translation service's account under a project's name (course-discovery's "edX Transifex Bot"), a CI account
    # (dotcom-rendering's and cdk's "theguardian.com continuous integration", GitHub login guardian-ci; Argo CD's
    # "CI <ci@argoproj.com>", co-author of its bot's report commits)
    "* transifex bot", "*continuous integration*", "*-ci@*users.noreply.github.com", "ci", "ci <ci@*>",
    # JetBrains' TeamCity releasing (ktor's "[maven-release-plugin]" commits), a job on a GitHub-hosted runner under
    # the runner's own address (excalidraw's "i18n automation <runner@fv-az51….cloudapp.net>"); "Jenkins" is also a
    # person's name and a machine's, so not it (``_bot_address`` knows a build machine's)
    "teamcity*", "runner@*.cloudapp.net", "* automation",
)

#: The shape of a bot's name: one lower-case token ending in "bot" (prombot, mybot), one CamelCase token ending
#: in "Bot" (PrometheusBot), or a token ending in "-robot" / "_robot" (k8s-ci-robot); or three words or more, the
#: last "Bot" or "Robot" (Open edX's "edX Transifex Bot", "edX requirements bot"). A surname ending in "bot" ("Sam
#: Talbot") or one that is "Bot" (the Dutch "Jeroen Bot", "Jeroen de Bot", "Marie van den Bot") is a person.
BOT_NAME_RE = re.compile(r"^(?:[a-z0-9._-]*bot|[A-Z][A-Za-z0-9]*[a-z0-9]Bot|[A-Za-z0-9][A-Za-z0-9._]*[-_]robot"
                         r"|(?:\S+ )+(?!(?i:de|van|den|der|ter|ten|te|von|da|di|du|le|la) )\S+ (?i:bot|robot))$")


#: An AI assistant's name by its shape (``AGENT_NAME_RE``), whatever its address: a product's name (``_AI_PRODUCTS``)
#: after its maker's ("Anthropic Claude", "Google Gemini", fastify's "Assisted-by: OpenAI:gpt-5.4"), or followed by words that name a model or an assistant
#: (``_AI_WORDS``, another product, a version such as "4.5" or "4o", a remark in brackets): "Gemini AI" (caddy's
#: ``Co-developed-by``, at a person's plus-address ``renich+gemini@``), pytest's "Cursor AI" (42 commits) and
#: "Cursor Grok 4.5", "Claude Opus 4", sentry's "Qwen-Coder". A person's name never has that shape: "Claude
#: Meyer", "Claude Paroz" and a one-word "Gemini" or "Claude" stay people ("ChatGPT" alone is no one's name).
_AI_PRODUCTS = r"(?:claude|gemini|copilot|chatgpt|codex|cursor|qwen|grok|gpt|deepseek|llama)"
_AI_MAKERS = r"(?:anthropic|google|openai|github|xai|alibaba|meta)"
_AI_WORDS = r"(?:ai|agent|assistant|code|coder|cli|autofix|opus|sonnet|haiku|fable|pro|flash|turbo|mini)"
_AI_QUALIFIER = rf"(?:{_AI_WORDS}|{_AI_PRODUCTS}|[\w.]*\d[\w.]*|\([^()]*\))"
AGENT_NAME_RE = re.compile(
    rf"{_AI_MAKERS}[\s:/]+{_AI_PRODUCTS}(?:[\s-]+{_AI_QUALIFIER})*|{_AI_PRODUCTS}(?:[\s-]+{_AI_QUALIFIER})+|chatgpt",
    re.IGNORECASE)

#: The shape of a bot's GitHub login, whatever name it commits under (Loki's "Grot" is @grafanabot): one token ending
#: in "bot" or "-robot", as for names. A login beginning with "robot-" may be a person's (Loki's Dominik Philp).
BOT_LOGIN_RE = re.compile(r"^(?:[a-z0-9._-]*bot|[a-z0-9][a-z0-9._-]*[-_]robot)$")
#: The shape of a service account's address (not a noreply one): its local part begins or ends with "robot" as a
#: word (Vector's "Terraform <robot-vector-vector@datadoghq.com>").
BOT_ADDRESS_RE = re.compile(r"^(?:robot[-_.].+|.+[-_.]robot)$")

_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_CONTACT_RE = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")


def _translate(pattern: str) -> str:
    parts = []
    for ch in pattern:
        if ch == "*":
            parts.append(".*")
        elif ch == "?":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """One regex for a group of patterns (one match per subject instead of one per pattern)."""
    return re.compile("|".join(f"(?:{_translate(p)})" for p in patterns), re.IGNORECASE | re.DOTALL)


class Classifier:
    """Decides human / bot / agent for a raw identity; see the module docstring for the order."""

    ordered: list[tuple[str, re.Pattern[str]]]

    def __init__(self, ordered: list[tuple[str, re.Pattern[str]]]) -> None:
        self.ordered = ordered

    @classmethod
    def from_settings(cls, settings: IdentitySettings | IdentityValues | None = None) -> "Classifier":
        settings = settings or IdentityValues()  # the defaults: no patterns of the repository's own
        groups = [(HUMAN, settings.humans), (AGENT, settings.agents), (BOT, settings.bots), (AGENT, list(BUILTIN_AGENTS))]
        ordered = [(kind, _compile(patterns)) for kind, patterns in groups if patterns]
        return cls([*ordered, (AGENT, AGENT_NAME_RE), (BOT, _compile(list(BUILTIN_BOTS)))])

    def kind(self, name: str, email: str) -> str:
        name, email = name.strip(), email.strip()
        subjects = [s for s in ((f"{name} <{email}>", name, email) if email else (name,)) if s]
        for kind, pattern in self.ordered:
            for subject in subjects:
                if pattern.fullmatch(subject):
                    return kind
        if BOT_NAME_RE.match(name):
            return BOT
        return BOT if _bot_address(name, fold_email(email)) else HUMAN


#: The end of a release tool's name (hugo's ``hugoreleaser <bjorn.erik.pedersen+hugoreleaser@gmail.com>``: 976
#: "releaser: Bump versions for release of …" commits at its author's address, counted as his).
_RELEASE_TOOL = re.compile(r"releaser$|release-?bot$")


def _first_names_agree(a: str, b: str) -> bool:
    """Whether two names are one person's as far as their words go (identity rule 10): the first word of one begins
    the other's, of three letters or more ("Alex", "Alexandros"), and where both give a surname it is the same."""
    words_a, words_b = fold_name(a).split(), fold_name(b).split()
    if not words_a or not words_b:
        return False
    short, long = sorted((words_a[0], words_b[0]), key=len)
    if len(short) < 3 or not long.startswith(short) or not short.isalpha():
        return False
    return len(words_a) < 2 or len(words_b) < 2 or words_a[-1] == words_b[-1]


def _bot_address(name: str, address: str) -> bool:
    """Whether an address is a bot's by its shape: a noreply address of a bot-shaped login (``BOT_LOGIN_RE``), unless
    the name is a person's whose surname ends in "bot" (``Ryan Talbot <…+ryantalbot@…>``) or is the login written
    so that "bot" is no word of it (``ThatsMrTalbot``; ``OpenTelemetry Bot`` is a bot); another address whose
    local part is a robot's (``BOT_ADDRESS_RE``), or it or its ``+`` tag ends in "bot" under a name whose last word is
    "Bot" or "Robot" (``pytest bot <pytestbot@gmail.com>``, Go's ``Gopher Robot <gobot@golang.org>``, ``ESLint Bot
    <nicholas+eslintbot@…>``; "Jeroen Bot <jeroen@…>" stays a person); an account that calls itself a bot
    (``_calls_itself_a_bot``); ``Jenkins <jenkins@HOST>`` on a host with no dot, a build machine's name (ESLint's
    ``eslint-03``; a laptop's ``….local`` is a person's); a release tool named as its address's own ``+`` tag
    (``hugoreleaser <bjorn.erik.pedersen+hugoreleaser@…>``; the 7 commits of "Bjørn Erik Pedersen" there stay his)."""
    login = noreply_login(address)
    words = fold_name(name).split()
    last = words[-1] if words else ""
    if login:
        if _calls_itself_a_bot(name, login):
            return True
        if BOT_LOGIN_RE.match(login) is None:
            return False
        if "".join(words) == re.sub(r"[-_.]", "", login):  # the login written out: its words say
            return last in ("bot", "robot")
        if _a_persons_login(name, words, login):
            return False
        return not (_reads_as_full_name(name) and last.endswith("bot") and last != "bot")
    local, _, host = address.partition("@")
    if words == ["jenkins"] and local == "jenkins" and host and "." not in host:
        return True
    tag = local.partition("+")[2]
    if tag and words == [tag] and _RELEASE_TOOL.search(tag):  # a release tool named as its own "+" tag
        return True
    # (a tag after "+" is an address of its own: ESLint's "ESLint Bot <nicholas+eslintbot@…>", argo-cd's "Snyk bot
    # <github+bot@snyk.io>")
    return BOT_ADDRESS_RE.match(local) is not None or (last in ("bot", "robot") and len(words) > 1 and any(
        BOT_LOGIN_RE.match(part) is not None for part in (local, local.partition("+")[2]) if part))


def _calls_itself_a_bot(name: str, login: str) -> bool:
    """Whether a GitHub account's name is its own login followed by "Bot" or "Robot", the login distinctive
    (``_distinctive_login``): traefik's "Traefiker Bot" is ``@traefiker``, the account that merges its pull requests;
    a person surnamed Bot whose login is a short first name ("Jeroen Bot", ``@jeroen``) stays a person."""
    words = fold_name(name).split()
    return (len(words) >= 2 and words[-1] in ("bot", "robot") and "".join(words[:-1]) == re.sub(r"[-_.]", "", login)
            and _distinctive_login(login))


def _a_persons_login(name: str, words: list[str], login: str) -> bool:
    """Whether a bot-shaped login is a person's account by the name it commits under: a person's name (two words or
    more, each capitalised, none "Bot" or "Robot") whose first name begins the login but is not all of it before
    "bot" (svelte's "Bert B" is @bertybot; "Excalidraw Bot" @excalidrawbot and "Grafana Labs" @grafanabot name a
    bot by what it serves). ``words``: the name folded."""
    written = name.split()
    if len(written) < 2 or len(words) != len(written) or not all(w[:1].isupper() for w in written):
        return False
    if {"bot", "robot"} & set(words) or len(words[0]) < 2:
        return False
    return login.startswith(words[0]) and login != f"{words[0]}bot"


def is_valid_email(email: str) -> bool:
    return bool(_EMAIL_RE.match(email))


def names_nobody(name: str) -> bool:
    """Whether a name says nothing of whom it names: a placeholder (``PLACEHOLDER_NAMES``: "root", "ubuntu", "Name", or
    no letters at all: kueue's "♾️") or an e-mail address of a dotted mail domain written as the name (mitmproxy's ``zokutyou2@gmail.com <zokutyou2@gmail.com>``, who also committed
    as "gorogoroumaru")."""
    address = fold_email(name)
    return fold_name(name) in PLACEHOLDER_NAMES or (
        is_valid_email(address) and _MAIL_DOMAIN.match(address.partition("@")[2]) is not None)  # (not "Justin@Q2")


def is_placeholder_address(address: str) -> bool:
    """Whether an address names nobody: a placeholder for a local part (``PLACEHOLDER_NAMES``) at no mail domain (a
    word, a machine's own name). Converters from Mercurial and Subversion wrote ``none@none`` for every author they had
    no address of — 23 of pytest's early authors, 14 of scrapy's (Pablo Hoffman and Daniel Graña among them), 5 of
    sqlalchemy's — and ``root@localhost`` is any machine's root. Such an address joins no identities (rule 3)."""
    local, _, domain = address.lower().partition("@")
    return local in PLACEHOLDER_NAMES and (
        not _MAIL_DOMAIN.match(domain) or domain.rpartition(".")[2] in _HOST_ONLY_LABELS)


def names_someone(address: str) -> bool:
    """Whether an address (folded) is one person's: valid (``is_valid_email``) and no placeholder
    (``is_placeholder_address``)."""
    return is_valid_email(address) and not is_placeholder_address(address)


#: A mail domain as a person types it: dotted labels, the last not one a machine names itself by (git's guesses).
_MAIL_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
_HOST_ONLY_LABELS = frozenset({"local", "localdomain", "lan", "home", "internal", "localhost"})


def address_in_name(name: str) -> str | None:
    """The e-mail address a name holds as its last word (folded), or None: celery's "Michael Elsdoerfer
    michael@elsdoerfer.com" (committed as ``michael@puppetmaster.(none)``), okhttp's ``jessewilson@google.com`` (as
    ``jessewilson@google.com@cf848351-…``). Only an address of a dotted domain that is no machine's own name."""
    last = name.strip().rpartition(" ")[2].strip("<>()")
    if "@" not in last:
        return None
    address = fold_email(last)
    domain = address.partition("@")[2]
    if not is_valid_email(address) or not _MAIL_DOMAIN.match(domain) or domain.rpartition(".")[2] in _HOST_ONLY_LABELS:
        return None
    return address


def mergeable_name(name: str) -> str | None:
    """The normalised name when it may merge identities on its own, else None.

    A full name has at least two words of two letters or more, or four Chinese, Japanese or Korean characters
    (``_CJK_FULL_NAME``); a one-word name
    ("alice"), a first name with an initial ("J. Doe") or a placeholder
    ("root", "unknown") is too common to say that two identities are one person.
    """
    norm = fold_name(surname_last(name))
    if norm in PLACEHOLDER_NAMES:
        return None
    if sum(1 for word in norm.split() if len(word) >= 2) < 2 and not _CJK_FULL_NAME.fullmatch(name.strip()):
        return None
    return norm


#: A name written in Chinese, Japanese or Korean characters without spaces, four or more (ESLint's 薛定谔的猫, 204
#: commits at two addresses; Vue's 月迷津渡): more than a surname and a given name (two or three characters, "张伟",
#: shared by very many), a full name or a chosen one as distinctive as two words are.
_CJK_FULL_NAME = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{4,}")


_INITIAL_RE = re.compile(r"^\w\.?$")
#: ``Last, First``: two runs of letters (spaces, hyphens, apostrophes, dots within), one comma between them.
_SURNAME_FIRST = re.compile(r"^\s*([^\W\d_][^,\d_|()<>@]*?)\s*,\s*([^\W\d_][^,\d_|()<>@]*?)\s*$")
#: What follows a comma in a name that is not a given name: "Smith, Jr.", "Acme, Inc.".
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "inc", "ltd", "llc", "gmbh", "corp", "co"})
#: A person's full name as written: two words or more of letters (hyphens, apostrophes, dots within).
_FULL_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|['.-])*(?: +[^\W\d_](?:[^\W\d_]|['.-])*)+$")


def surname_last(name: str) -> str:
    """``name`` with a surname written first put last (``"Milosevic, Zarko"`` → ``"Zarko Milosevic"``); any other name
    as it is."""
    m = _SURNAME_FIRST.match(name)
    if m is None or fold_name(m.group(2)) in _NAME_SUFFIXES:
        return name
    return f"{m.group(2)} {m.group(1)}"


def _reads_as_full_name(name: str) -> bool:
    return _FULL_NAME.match(name) is not None and sum(1 for w in name.split() if sum(map(str.isalpha, w)) >= 2) >= 2


def without_middle_initials(name: str) -> str | None:
    """The mergeable full name (``mergeable_name``) of ``name`` without its middle initials ("Alexander J. Sheehan"
    → "alexander sheehan"); None when it has none. An initial is a word of one letter, with or without a full stop,
    neither first nor last ("O'Neil" is a surname)."""
    words = surname_last(name).split()
    middle = [w for w in words[1:-1] if not _INITIAL_RE.match(w)]
    if len(words) < 3 or len(middle) == len(words) - 2:
        return None
    return mergeable_name(" ".join([words[0], *middle, words[-1]]))


def parse_contact(value: str) -> tuple[str, str] | None:
    """``"Name <email>"`` -> (name, email); None when there is no ``<…>`` part. Words before an address inside the
    brackets are dropped (temporal's ``Co-authored-by: yiminc <yiminc yimin.chen@live.com>`` is
    ``yimin.chen@live.com``)."""
    match = _CONTACT_RE.match(value)
    if not match:
        return None
    email = match.group(2).strip()
    if " " in email and is_valid_email(email.rsplit(" ", 1)[1]):
        email = email.rsplit(" ", 1)[1]
    return match.group(1).strip().strip('"').strip(), email


def co_author_is_author(co_author: tuple[str, str], author: tuple[str, str]) -> bool:
    """Whether a commit's co-author trailer names its own author under another identity — never anyone else: the same
    address (folded) or GitHub login, the same full name (``mergeable_name``: Omer Katz co-authoring his commits
    under another address), or a co-author written as a handle — its name one word that is its address's local part
    or login, distinctive (``_distinctive_login``) — that begins or ends the author's login, address local part or
    name run together (celery's f8668fcf by ``constantinblanariu <…+constantinblanariu@users.noreply.github.com>``,
    ``Co-authored-by: blanariu <blanariu@adobe.com>``, his work address). A commit's ``Signed-off-by`` is no such
    evidence: Loki's b272573efc by Aaron is co-authored and signed off by Callum Styan alone."""
    name, email = co_author
    address, author_address = fold_email(email), fold_email(author[1])
    if address and address == author_address:
        return True
    login, author_login = noreply_login(address), noreply_login(author_address)
    if login and login == author_login:
        return True
    full = mergeable_name(name)
    if full and full == mergeable_name(author[0]):
        return True
    handle = name.strip().lower()
    if not handle or handle != (login or address.partition("@")[0]) or not _login_name(handle):
        return False
    keys = {author_login or author_address.partition("@")[0], fold_name(author[0]).replace(" ", "")}
    return any(key.startswith(handle) or key.endswith(handle) for key in keys if key)


class Person:
    """A resolved person: one or more raw identities (of one kind, unless ``[[people]]`` joins them).

    A human who goes by no name but one that names nobody (``nameless``: "root", an address; ``names_nobody``) is
    shown by their GitHub login once one is known, also one learned after resolution (``logins_from_pull_requests``:
    mitmproxy's ``root <skkaushik212@…>`` is @sarthak212 from the branches of its pull requests)."""

    id: str
    name: str
    kind: str
    emails: list[str]
    aliases: list[str]
    members: list[int]  # indexes of raw identities
    names: list[str]  # every name of their own used, most used first
    stray_names: list[str]  # others' names at their addresses (rule 11), never one of theirs
    logins: list[str]  # GitHub logins, lower-case
    nameless: bool  # ``name`` is one that names nobody, shown until a login is known

    def __init__(self, id: str, name: str, kind: str, emails: list[str], aliases: list[str], github: str | None,
                 members: list[int] | None = None, names: list[str] | None = None, logins: list[str] | None = None,
                 nameless: bool = False, stray_names: list[str] | None = None) -> None:
        self.id = id
        self.name = name
        self.kind = kind
        self.emails = emails
        self.aliases = aliases
        self.nameless = nameless
        self.github = github
        self.members = [] if members is None else members
        self.names = [] if names is None else names
        self.logins = [] if logins is None else logins
        self.stray_names = [] if stray_names is None else stray_names

    @property
    def github(self) -> str | None:
        """The first of ``logins``, kept for readers that know one login."""
        return self._github

    @github.setter
    def github(self, login: str | None) -> None:
        self._github = login
        if login and self.nameless:
            self.name, self.nameless = login, False


@dataclass(frozen=True)
class DeclaredPerson:
    """One ``[[people]]`` entry: a display name and the names, e-mails and ``@logins`` that are this person."""

    name: str
    aliases: tuple[str, ...] = ()

    def keys(self) -> tuple[set[str], set[str], set[str]]:
        """(normalised names, e-mails, logins) this entry claims."""
        names, emails, logins = {fold_name(self.name)} - {""}, set(), set()
        for alias in self.aliases:
            alias = alias.strip()
            contact = parse_contact(alias)
            if contact is not None:
                alias_name, alias_email = contact
                if fold_name(alias_name):
                    names.add(fold_name(alias_name))
                alias = alias_email
            if alias.startswith("@") and len(alias) > 1:
                logins.add(alias[1:].lower())
            elif "@" in alias and is_valid_email(fold_email(alias)):
                address = fold_email(alias)
                login = noreply_login(address)
                if login:
                    logins.add(login)
                emails.add(mailbox(address))
            elif fold_name(alias):
                names.add(fold_name(alias))
        return names, emails, logins


#: A handle: letters and digits with a digit, ``-`` or ``_`` in it (``yeya24``, ``matej-g``), unlike a plain word.
_HANDLE = re.compile(r"^(?=[a-z0-9_-]*[0-9_-])[a-z0-9]+(?:[-_][a-z0-9]+)*$")
#: A name written as a handle, not as a word: a digit, ``-`` or ``_`` in it, or a capital after a small letter
#: (``JoshVanL``); "Jonathan" or "alexander" may be anyone's first name.
_WRITTEN_AS_HANDLE = re.compile(r"[0-9_-]|[a-z][A-Z]")
#: A login's shape: letters and digits, words joined by ``-`` or ``_``.
_LOGIN_SHAPE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
#: An e-mail local part that spells a name: two words of letters or more, joined by ".", "_" or "-".
_SPELLED_NAME = re.compile(r"^[^\W\d_]+(?:[._-][^\W\d_]+)+$")


def name_in_address(address: str) -> str | None:
    """The full name the local part of ``address`` spells (``philip.mcmahon@…`` → ``"philip mcmahon"``, as
    ``mergeable_name`` folds it), if it spells one (rule 8 of the module docstring); else None."""
    local = address.partition("@")[0]
    if not _SPELLED_NAME.match(local):
        return None
    return mergeable_name(re.sub(r"[._-]", " ", local))


def _login_name(name: str) -> bool:
    """Whether a (lower-case) name can only be a login (rule 9): a handle (``yeya24``) or one long word (``delvedor``)."""
    return _LOGIN_SHAPE.match(name) is not None and _distinctive_login(name)


def _distinctive_login(login: str) -> bool:
    """Whether a login is unlike anyone's plain name: a handle (a digit, ``-`` or ``_``: ``linzhe141``) or a long word
    (``matheuscscp``), not ``alex`` or ``zsol``."""
    return _HANDLE.match(login) is not None or len(login) >= 8


#: Local parts that stand for a role or a service, not a person (rule 15 leaves them alone).
_ROLE_LOCAL_PARTS = frozenset({"noreply", "no-reply", "github", "gitlab", "admin", "support", "contact", "office",
                               "devnull", "dev-null", "nobody", "developer", "developers", "notifications", "webmaster",
                               "postmaster", "root", "users", "unknown", "hello", "info", "mail", "team", "test",
                               "user", "email"})
#: A local part written as a handle: letters and digits, words joined by ``.``, ``-`` or ``_``.
_LOCAL_HANDLE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")


def _handle_beside_name(local: str, folded: str) -> bool:
    """Rule 15: whether a local part under a name is a handle of its own, six characters or more, that is neither the
    name nor a word of it (clap's ``Kevin K <kbknapp@…>``; not ``charly@`` under "charly" nor ``kevin@`` under
    "Kevin K")."""
    if len(local) < 6 or local in _ROLE_LOCAL_PARTS or not _LOCAL_HANDLE.match(local):
        return False
    compact = re.sub(r"[._-]", "", local)
    return compact != folded.replace(" ", "") and compact not in folded.split()


#: Rule 11: a name joins two people the addresses made only when neither has at least this many commits …
ESTABLISHED_COMMITS = 10
#: … or the identities the name joins through weigh more than this share of either person's commits.
BRIDGE_SHARE = 0.1


def _full_names(name: str, email: str) -> set[str]:
    """The full name (folded) an identity goes by: its name if it is one (``mergeable_name``), else the one its
    address spells (``benclive <ben.clive@…>``); none if neither."""
    full = mergeable_name(name)
    if full:
        return {full}
    address = fold_email(email)
    spelled = None if noreply_login(address) else name_in_address(address)
    return {spelled} if spelled else set()


def _full_name_commits(raw: list[tuple[str, str]], weights: list[int]) -> dict[str, int]:
    """The commits under each full name (``_full_names``) of these identities."""
    counts: dict[str, int] = {}
    for (name, email), weight in zip(raw, weights):
        for full in _full_names(name, email):
            counts[full] = counts.get(full, 0) + weight
    return counts


def _own_name(full_name_commits: dict[str, int]) -> str | None:
    """A person's own full name: the one most of their commits go by (on a tie the alphabet's first)."""
    return min(full_name_commits, key=lambda n: (-full_name_commits[n], n)) if full_name_commits else None


def _names_run_together(address: str) -> set[str]:
    """What may be a full name run together in an address (rule 13): its local part and the first label of its mail
    domain, ``.``, ``-`` and ``_`` dropped, of eight letters or more (``git@emilylange.de``: "emilylange"); none for a
    noreply address or an invalid one, and no label of a machine's own name (``neil@box.local``)."""
    if not is_valid_email(address) or noreply_login(address):
        return set()
    local, _, domain = address.partition("@")
    parts = {local}
    if _MAIL_DOMAIN.match(domain) and domain.rpartition(".")[2] not in _HOST_ONLY_LABELS:
        parts.add(domain.partition(".")[0])
    return {compact for compact in (re.sub(r"[._-]", "", part) for part in parts)
            if len(compact) >= 8 and compact.isalpha()}


def _share_a_word(a: str, b: str) -> bool:
    """Whether two folded names share a word of two letters or more."""
    return bool({w for w in a.split() if len(w) > 1} & {w for w in b.split() if len(w) > 1})


class _NameJoins:
    """Rule 11 of the module docstring: the joins by name (rules 5, 7 and 8), made after the joins by address, that
    may not bridge two established people. ``find``/``union`` are the caller's union-find; per group (its root) this
    keeps its commits and the commits of each full name it goes by, merged as groups join."""

    def __init__(self, raw: list[tuple[str, str]], weights: list[int], find, union) -> None:
        self.raw, self.weights, self.find, self.union = raw, weights, find, union
        self.commits: dict[int, int] = {}
        self.full_names: dict[int, dict[str, int]] = {}
        for index, identity in enumerate(raw):
            root = find(index)
            self.commits[root] = self.commits.get(root, 0) + weights[index]
            names = self.full_names.setdefault(root, {})
            for full, commits in _full_name_commits([identity], [weights[index]]).items():
                names[full] = names.get(full, 0) + commits

    def join(self, edges: list[tuple[int, int]]) -> set[int]:
        """Join each pair unless it bridges two established people, the best attested pairs first; returns the
        identities whose name was kept from joining (the less used of each such pair, unless other joins made the
        pair one person after all)."""
        weights = self.weights
        kept_apart: list[tuple[int, int]] = []  # (stray, the identity of its name)
        for a, b in sorted(edges, key=lambda e: (-min(weights[e[0]], weights[e[1]]), e)):
            ra, rb = self.find(a), self.find(b)
            if ra == rb:
                continue
            if self._bridges_two_people(ra, rb, min(weights[a], weights[b])):
                kept_apart.append((b, a) if weights[b] < weights[a] else (a, b))
                continue
            self.union(a, b)
            root = self.find(a)
            gone = rb if root == ra else ra
            self.commits[root] = self.commits.get(root, 0) + self.commits.pop(gone, 0)
            names = self.full_names.setdefault(root, {})
            for full, commits in self.full_names.pop(gone, {}).items():
                names[full] = names.get(full, 0) + commits
        return {stray for stray, named in kept_apart if self.find(stray) != self.find(named)}

    def names_of_others(self, groups: dict[int, list[int]]) -> set[int]:
        """The identities (of these groups: root -> members) under a name of two words or more that is another
        established person's, which no rule joined: as a join by that name would bridge the two (``join``), they are
        strays too — kit's "Simon H <hello@rich-harris.dev>", a squash of Simon Holthausen's work (743 commits as
        "Simon H" at his own address) under Rich Harris's address (one commit of 1,500). A name that shares a word with
        the person's own full name stays theirs."""
        bearers: dict[str, dict[int, int]] = {}  # folded name -> root -> commits
        for root, members in groups.items():
            for m in members:
                name = fold_name(self.raw[m][0])
                if " " in name and name not in PLACEHOLDER_NAMES:
                    bearers.setdefault(name, {})
                    bearers[name][root] = bearers[name].get(root, 0) + self.weights[m]
        strays = set()
        for root, members in groups.items():
            own = _own_name(self.full_names.get(root, {}))
            for m in members:
                name = fold_name(self.raw[m][0])
                borne = bearers.get(name, {})
                if len(borne) < 2 or own is None or _share_a_word(name, own):
                    continue
                if any(commits > borne[root] and self._bridges_two_people(root, other, borne[root])
                       for other, commits in borne.items() if other != root):
                    strays.add(m)
        return strays

    def _bridges_two_people(self, ra: int, rb: int, bridge: int) -> bool:
        if min(self.commits.get(ra, 0), self.commits.get(rb, 0)) < max(ESTABLISHED_COMMITS, bridge / BRIDGE_SHARE):
            return False
        own = [_own_name(self.full_names.get(ra, {})), _own_name(self.full_names.get(rb, {}))]
        return own[0] is not None and own[1] is not None and not _share_a_word(own[0], own[1])


def resolve_identities(
    raw: list[tuple[str, str]], kinds: list[str], weights: list[int], declared: Iterable[DeclaredPerson] = (),
    notes: list[str] | None = None, oneself: Iterable[tuple[int, int]] = (), co_named: Iterable[tuple[int, int]] = (),
    self_committed: Iterable[tuple[int, int]] = (),
) -> tuple[list[Person], list[int]]:
    """Group raw (name, email) identities into people (see the module docstring for the rules).

    ``weights`` (commits per identity) pick each person's display name and id:
    the most used name and e-mail win, ties by the alphabet, so the result is
    deterministic; a ``[[people]]`` entry's name wins over both. ``declared``
    entries that match no identity are reported in ``notes``. ``oneself``: pairs of identities that are one person
    by what the history shows of them (rule 14: a co-author who only ever co-authored the other's commits).
    ``co_named``: pairs of identities one commit names as its author or co-authors (rule 16 reads those with a
    surname's initial, rule 20 those with a one-word name). ``self_committed``: (author, committer) of a commit whose
    author and committer have the same name at two addresses (rule 19).
    Returns the people and, for each raw identity, the index of its person.
    """
    declared = list(declared)
    kinds = _bots_by_what_they_share(raw, kinds)
    parent = list(range(len(raw) + len(declared)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    claims: dict[tuple[str, str], list[int]] = {}  # ("name"|"email"|"github", value) -> declared entries
    for d, entry in enumerate(declared):
        names, emails, logins = entry.keys()
        for kind_of_key, values in (("name", names), ("email", emails), ("github", logins)):
            for value in values:
                claims.setdefault((kind_of_key, value), []).append(d)
    claimed: set[int] = set()

    first_by_key: dict[tuple[str, str, str], int] = {}
    # rule 6: (kind, login or e-mail local part, folded name) -> the first identity with that login, those with such
    # an e-mail
    by_login: dict[tuple[str, str, str], int] = {}
    by_local_part: dict[tuple[str, str, str], list[int]] = {}
    # rule 10: (kind, distinctive login or local part) -> (identity, whether it is named by that very login)
    named_logins: dict[tuple[str, str], list[tuple[int, bool]]] = {}
    local_parts: dict[tuple[str, str], list[tuple[int, bool]]] = {}
    # rule 8: (kind, the full name an address spells) -> the identities of such addresses (joined to one of that name)
    spelling: dict[tuple[str, str], list[int]] = {}
    # rule 7: (kind, the full name without middle initials) -> the names with initials that give it, their identities
    initialled: dict[tuple[str, str], tuple[set[str], list[int]]] = {}
    named_members: dict[tuple[str, str, str], list[int]] = {}  # rule 5: (kind, "name", full name) -> its identities
    logins_of: list[tuple[str, str, int]] = []  # rule 13: (kind, noreply login, identity)
    handles: dict[tuple[str, str], list[int]] = {}  # rule 12: (kind, a name that can only be a login) -> identities
    for index, (name, email) in enumerate(raw):
        kind = kinds[index]
        keys = [("raw", f"{name.strip().casefold()}\0{fold_email(email)}")]  # the same identity twice
        address = fold_email(email)
        login = noreply_login(address)
        if login:
            keys.append(("github", login))
            account = noreply_account(address)
            if account:
                keys.append(("github-account", account))
        elif names_someone(address):
            keys.append(("email", mailbox(address)))
        written = address_in_name(name)
        if written and mailbox(written) != mailbox(address):
            keys.append(("email", mailbox(written)))
        full_name = mergeable_name(name)
        handle_name = name.strip().lower()
        if not full_name and handle_name not in PLACEHOLDER_NAMES and _login_name(handle_name):
            handles.setdefault((kind, handle_name), []).append(index)  # rule 12
        if login:
            logins_of.append((kind, login, index))
        if full_name:
            keys.append(("name", full_name))
            plain = without_middle_initials(name)
            if plain:
                variants, members = initialled.setdefault((kind, plain), (set(), []))
                variants.add(full_name)
                members.append(index)
        spelled = None if login else name_in_address(address)
        if spelled and spelled != full_name:  # joined after the loop, to an identity of that name only
            spelling.setdefault((kind, spelled), []).append(index)
        folded = fold_name(name)
        if not login and _login_name(handle_name):  # rule 9: a name that can only be a login stands as rule 6's local part
            by_local_part.setdefault((kind, handle_name, folded), []).append(index)
            local_parts.setdefault((kind, handle_name), []).append((index, True))  # and as rule 10's, named by it
        if folded not in PLACEHOLDER_NAMES and (login or is_valid_email(address)):
            # (an address's "+" tag is no part of its owner's handle: bat's "Ethan P <eth-p+git@hidden.email>" is
            # @eth-p's, 21 and 20 commits of one person held apart)
            handle = (kind, login or address.partition("@")[0].partition("+")[0], folded)
            if login:
                by_login.setdefault(handle, index)
            else:
                by_local_part.setdefault(handle, []).append(index)
            if _distinctive_login(handle[1]):  # rule 10: the same, when either is named by the login itself
                (named_logins if login else local_parts).setdefault(handle[:2], []).append((index, folded == handle[1]))
        for key_kind, value in keys:
            key = (kind, key_kind, value)
            other = first_by_key.setdefault(key, index)
            if key_kind == "name":  # joined after the addresses, through the name's most used identity
                named_members.setdefault(key, []).append(index)
            elif other != index:
                union(index, other)
        if claims:
            mine = [("name", fold_name(name)), ("email", mailbox(address)), ("github", login or "")]
            for key in mine:
                for d in claims.get(key, ()):
                    union(index, len(raw) + d)
                    claimed.add(d)
    for handle, index in by_login.items():
        for other in by_local_part.get(handle, ()):
            union(index, other)
    for co_author, author in oneself:
        if kinds[co_author] == kinds[author]:
            union(co_author, author)
    for (kind, local, folded), members in by_local_part.items():  # rule 15
        if len(members) > 1 and _handle_beside_name(local, folded):
            for other in members[1:]:
                union(members[0], other)
    for handle, accounts in named_logins.items():
        for index, account_named_so in accounts:
            for other, address_named_so in local_parts.get(handle, ()):
                if account_named_so or address_named_so or _first_names_agree(raw[index][0], raw[other][0]):
                    union(index, other)
    # rules 5, 7 and 8 join by name, each identity to the most used identity of that name, once the addresses have
    # joined theirs, so that a name can be weighed against the people the addresses make (``_NameJoins``)
    hub = {key: min(members, key=lambda m: (-weights[m], m)) for key, members in named_members.items()}
    name_edges = [(index, hub[key]) for key, members in named_members.items() for index in members if index != hub[key]]
    for members in handles.values():
        if len(members) < 2 or not any(_WRITTEN_AS_HANDLE.search(raw[m][0]) for m in members):
            continue
        first = min(members, key=lambda m: (-weights[m], m))
        for index in members:
            logins = {noreply_login(fold_email(raw[m][1])) for m in (index, first)}
            if index != first and (None in logins or len(logins) == 1):  # (two accounts stay two)
                name_edges.append((index, first))
    spelled_out: dict[tuple[str, str], list[tuple[str, int]]] = {}  # rule 13: (kind, full name without spaces) -> hubs
    for (kind, key_kind, value), index in hub.items():
        if " " in value:
            spelled_out.setdefault((kind, value.replace(" ", "")), []).append((value, index))
    for kind, login, index in logins_of:
        compact = re.sub(r"[-_]", "", login)
        named_so = spelled_out.get((kind, compact), [])
        used = fold_name(raw[index][0])  # the account's own name: the login, or a word of that full name
        if len(named_so) == 1 and _distinctive_login(login) and (
                used.replace(" ", "") == compact or _share_a_word(used, named_so[0][0])):
            name_edges.append((index, named_so[0][1]))
    for index, (name, email) in enumerate(raw):  # rule 13, an address run together: "Emily <git@emilylange.de>"
        word = fold_name(name)
        if " " in word or len(word) < 2 or word in PLACEHOLDER_NAMES:
            continue
        for compact in _names_run_together(fold_email(email)):
            named_so = spelled_out.get((kinds[index], compact), [])
            if len(named_so) == 1 and word in named_so[0][0].split():
                name_edges.append((index, named_so[0][1]))
    for (kind, spelled), members in spelling.items():
        named = hub.get((kind, "name", spelled))
        name_edges.extend((index, named) for index in (members if named is not None else ()))
    for (kind, plain), (variants, members) in initialled.items():
        named = hub.get((kind, "name", plain))
        if named is not None and len(variants) == 1:
            name_edges.extend((index, named) for index in members)
    name_edges.extend(_initials_named_with_their_names(raw, kinds, co_named, hub))
    name_edges.extend(_logins_of_initial_and_surname(raw, kinds, logins_of))
    name_edges.extend(_named_by_a_known_login(raw, kinds, logins_of))
    name_edges.extend(_committed_by_themselves(raw, kinds, self_committed))
    name_edges.extend(_handles_named_with_their_names(raw, kinds, co_named, hub))
    name_edges.extend(_handles_at_one_address(raw, kinds, find))
    name_joins = _NameJoins(raw, weights, find, union)
    strays = name_joins.join(name_edges)
    if notes is not None:
        for d, entry in enumerate(declared):
            if d not in claimed:
                notes.append(f"[[people]] {entry.name!r} (cairn.toml) matches no identity in the history")

    groups: dict[int, list[int]] = {}
    for index in range(len(raw)):
        groups.setdefault(find(index), []).append(index)
    declared_of: dict[int, list[int]] = {}
    for d in claimed:
        declared_of.setdefault(find(len(raw) + d), []).append(d)
    strays |= name_joins.names_of_others({root: members for root, members in groups.items()
                                          if root not in declared_of and kinds[members[0]] == HUMAN})

    people: list[Person] = []
    person_of = [0] * len(raw)
    used_ids: set[str] = set()
    addresses: list[str | None] = []  # each person's most used address that names someone
    for root, members in groups.items():
        entries = [declared[d] for d in sorted(declared_of.get(root, ()))]
        name_weight: dict[str, int] = {}
        email_weight: dict[str, int] = {}
        logins: set[str] = set()
        for entry in entries:
            logins |= entry.keys()[2]
        for m in members:
            name, email = raw[m]
            if name.strip():
                name_weight[name.strip()] = name_weight.get(name.strip(), 0) + weights[m]
            address = fold_email(email)
            if address:
                email_weight[address] = email_weight.get(address, 0) + weights[m]
            login = noreply_login(address)
            if login:
                logins.add(login)

        def best(counts: dict[str, int]) -> str | None:
            # the most used; on a tie the spelling with diacritics ("Płotka" over "Plotka"), then the alphabet
            return min(counts, key=lambda k: (-counts[k], k.isascii(), k)) if counts else None

        # rule 11: a name kept from joining is someone else's, not one of this person's names (Rich Harris's
        # address under "Tee Ming" and "Simon H", five squashes of others' work: shown apart, never as his)
        own_names = {raw[m][0].strip() for m in members if m not in strays}
        stray_names = sorted({raw[m][0].strip() for m in members if m in strays} - own_names - {""})
        name_weight = {n: w for n, w in name_weight.items() if n in own_names}
        full = {n: w for n, w in name_weight.items()  # (a bot's or an agent's name is its most used one)
                if kinds[members[0]] == HUMAN and _reads_as_full_name(surname_last(n))}
        # else a first name with a surname's initial over a handle: Sphinx's .mailmap names jfbu "Jean-François B."
        initialled = {n: w for n, w in name_weight.items() if kinds[members[0]] == HUMAN and surname_initial(n)}
        family = _family_name(name_weight, best(name_weight)) if kinds[members[0]] == AGENT else None
        github = min(logins) if logins else None
        # a human's name that names nobody ("root", an address) gives way to any other name, then to the login
        said = {n: w for n, w in name_weight.items() if kinds[members[0]] != HUMAN or not names_nobody(n)}
        display = (entries[0].name if entries else None) or family or surname_last(
            best(full) or best(initialled) or best(said) or "") or github or best(name_weight) or best(
            email_weight) or "(unknown)"
        valid = {e: w for e, w in email_weight.items() if names_someone(e) and not noreply_login(e)}
        if valid:
            pid = best(valid)
        elif github:
            pid = f"github:{github}"
        else:
            pid = f"name:{fold_name(display) or display}"
        addresses.append(best(valid))
        base, n = pid, 2
        while pid in used_ids:  # two groups of different kinds may share an address
            pid, n = f"{base}#{n}", n + 1
        used_ids.add(pid)
        aliases = sorted({f"{raw[m][0].strip()} <{raw[m][1].strip()}>" for m in members})
        person = Person(
            id=pid, name=display, kind=kinds[members[0]], emails=sorted(email_weight), aliases=aliases,
            github=github, members=sorted(members),
            names=sorted(name_weight, key=lambda k: (-name_weight[k], k)), logins=sorted(logins),
            nameless=kinds[members[0]] == HUMAN and not entries and not said and not github, stray_names=stray_names,
        )
        for m in members:
            person_of[m] = len(people)
        people.append(person)
    _tell_apart(people, [sum(weights[m] for m in p.members) for p in people], addresses)
    return people, person_of


def _bots_by_what_they_share(raw: list[tuple[str, str]], kinds: list[str]) -> list[str]:
    """``kinds`` with the humans whose every part is a bot's made bots: an identity of a GitHub account that calls
    itself a bot (``_calls_itself_a_bot``: traefik's ``Co-authored-by: traefiker <…+traefiker@…>`` beside "Traefiker
    Bot"), or one whose full name a bot goes by and whose address a bot commits with (ESLint's "ESLint Jenkins
    <eslint@googlegroups.com>", 151 release commits: "ESLint Jenkins" is its ``eslint[bot]``'s name, the address its
    "GitHub Actions Bot"'s). Either alone is no evidence: a bot may commit at a person's address (Argo CD's "CI
    <michael@crenshaw.dev>") or under a person's name."""
    bot_logins, bot_names, bot_addresses = set(), set(), set()
    for (name, email), kind in zip(raw, kinds):
        address = fold_email(email)
        login = noreply_login(address)
        if kind != BOT:
            continue
        if login and _calls_itself_a_bot(name, login):
            bot_logins.add(login)
        full = mergeable_name(name)
        if full:
            bot_names.add(full)
        if not login and names_someone(address):
            bot_addresses.add(address)
    if not bot_logins and not (bot_names and bot_addresses):
        return kinds
    kinds = list(kinds)
    for index, (name, email) in enumerate(raw):
        if kinds[index] != HUMAN:
            continue
        address = fold_email(email)
        login = noreply_login(address)
        if (login in bot_logins) or (address in bot_addresses and mergeable_name(name) in bot_names):
            kinds[index] = BOT
    return kinds


def _initials_named_with_their_names(raw: list[tuple[str, str]], kinds: list[str], co_named: Iterable[tuple[int, int]],
                                     hub: dict[tuple[str, str, str], int]) -> list[tuple[int, int]]:
    """Rule 16: (identity, the most used identity of its full name) for each identity with a surname's initial that
    commits name beside identities of one full name that fits it (``graph.people.abbreviates``), none beside
    another."""
    fitting: dict[int, set[str]] = {}
    for a, b in co_named:
        for short, other in ((a, b), (b, a)):
            initial = surname_initial(raw[short][0])
            if initial is None or kinds[short] != kinds[other]:
                continue
            full = mergeable_name(raw[other][0])
            if full and abbreviates(initial, surname_last(raw[other][0])):
                fitting.setdefault(short, set()).add(full)
    return [(short, hub[(kinds[short], "name", next(iter(names)))])
            for short, names in sorted(fitting.items()) if len(names) == 1]


def _logins_of_initial_and_surname(raw: list[tuple[str, str]], kinds: list[str],
                                   logins_of: list[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """Rule 17: (identity named by a login, an identity of that GitHub account) for each address used under a login
    that is the first name's initial and the surname of the full name the address goes by (its own name at that
    address, or the name it spells), when the account goes by the login, that full name or a word of it: traefik's
    ``mmatur <michael.matur@gmail.com>`` (also "Michael MATUR" there) is ``Michael <mmatur@users.noreply…>``. The
    login is too short to say so on its own (rule 10's distinctive logins)."""
    accounts: dict[tuple[str, str], list[int]] = {}
    for kind, login, index in logins_of:
        accounts.setdefault((kind, login), []).append(index)
    named_so = [index for index, (name, _) in enumerate(raw) if (kinds[index], name.strip().lower()) in accounts]
    if not named_so:
        return []
    wanted = {(kinds[index], fold_email(raw[index][1])) for index in named_so}
    full_at: dict[tuple[str, str], set[str]] = {}
    for index, (name, email) in enumerate(raw):
        key = (kinds[index], fold_email(email))
        if key in wanted and names_someone(key[1]) and not noreply_login(key[1]):
            full_at.setdefault(key, set()).update(_full_names(name, email))
    edges = []
    for index in named_so:
        handle = raw[index][0].strip().lower()
        if not _LOGIN_SHAPE.match(handle) or len(handle) < 4:
            continue
        for full in full_at.get((kinds[index], fold_email(raw[index][1])), ()):
            words = full.split()
            if len(words) < 2 or handle != words[0][0] + words[-1]:
                continue
            for account in accounts[(kinds[index], handle)]:
                used = fold_name(raw[account][0])
                if used in (handle, full) or used in words:
                    edges.append((index, account))
    return edges


def _named_by_a_known_login(raw: list[tuple[str, str]], kinds: list[str],
                            logins_of: list[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """Rule 18: (a human's identity, an identity of the GitHub account) for each identity named by a login of three
    characters or more that a noreply address of the history names, at an address of no other account (module
    docstring): helix's ``kpbaks <kristoffer.pbs@tuta.io>`` is ``Kristoffer Plagborg Bak Sørensen <…+kpbaks@…>``."""
    accounts: dict[str, list[int]] = {}
    for kind, login, index in logins_of:
        if kind == HUMAN:
            accounts.setdefault(login, []).append(index)
    edges = []
    for index, (name, email) in enumerate(raw):
        handle = name.strip().lower()
        account = accounts.get(handle) if kinds[index] == HUMAN and len(handle) >= 3 else None
        if account is None or handle in PLACEHOLDER_NAMES or not _LOGIN_SHAPE.match(handle):
            continue
        address = fold_email(email)
        if noreply_login(address) is not None or account[0] == index:
            continue
        theirs = set().union(*(_full_names(*raw[a]) for a in account))  # the account's full names
        words = {word for full in theirs | {fold_name(raw[a][0]) for a in account} for word in full.split()
                 if len(word) >= 3}
        local, _, domain = address.partition("@")
        held = {part for part in re.split(r"[._+-]", local) + [domain.partition(".")[0]] if part}
        if any(handle in part for part in held) or held & words:
            edges.append((index, account[0]))  # the address bears the login or a word of the account's names
            continue
        spelled = name_in_address(address)
        if spelled is not None and theirs and not any(_share_a_word(spelled, full) for full in theirs):
            continue  # (an address that spells someone else's name: "pdoe <paula.smith@…>" beside "Paul" @pdoe)
        if len(handle) > 5 or _distinctive_login(handle) or _WRITTEN_AS_HANDLE.search(name):
            edges.append((index, account[0]))
    return edges


def _committed_by_themselves(raw: list[tuple[str, str]], kinds: list[str],
                             self_committed: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rule 19: the (author, committer) pairs of commits whose author and committer are one human by name — the same
    name at two addresses, no placeholder ("root", "ubuntu": ``PLACEHOLDER_NAMES``): Exposed's ``Jocelyne
    <jocelyne.abihaidar@…>``, whose 48 commits ``Jocelyne <…+joc-a@…>`` committed."""
    edges = []
    for author, committer in self_committed:
        (a_name, a_email), (c_name, c_email) = raw[author], raw[committer]
        if (kinds[author] == kinds[committer] == HUMAN and a_name.strip().casefold() == c_name.strip().casefold()
                and fold_name(a_name) not in PLACEHOLDER_NAMES and fold_email(a_email) != fold_email(c_email)):
            edges.append((author, committer))
    return edges


def _handles_named_with_their_names(raw: list[tuple[str, str]], kinds: list[str], co_named: Iterable[tuple[int, int]],
                                    hub: dict[tuple[str, str, str], int]) -> list[tuple[int, int]]:
    """Rule 20: (identity, the most used identity of its full name) for each identity named by a handle that is its
    address's local part and the first name's initial and the surname of the one full name named beside it by the
    same commits (``co_named``): drizzle's ``prodrigues <prodrigues@singlestore.com>`` and ``Pedro Rodrigues
    <…+Rodriguespn@…>``, co-authors of the squash 9cf0ed21e."""
    fitting: dict[int, set[str]] = {}
    for a, b in co_named:
        for short, other in ((a, b), (b, a)):
            name, email = raw[short]
            handle = name.strip().lower()
            if kinds[short] != kinds[other] or not handle.isalpha() or len(handle) < 4:
                continue
            if fold_email(email).partition("@")[0] != handle:
                continue
            full = mergeable_name(raw[other][0])
            words = full.split() if full else []
            if len(words) >= 2 and words[0][0] + words[-1] == handle:
                fitting.setdefault(short, set()).add(full)  # type: ignore[arg-type]
    return [(short, hub[(kinds[short], "name", next(iter(names)))])
            for short, names in sorted(fitting.items()) if len(names) == 1]


#: Rule 21: the shortest handle that is another identity's address's local part and joins it.
HANDLE_AT_ADDRESS = 5


def _handles_at_one_address(raw: list[tuple[str, str]], kinds: list[str], find) -> list[tuple[int, int]]:
    """Rule 21: (an identity named by a handle, the identity of the one address whose local part is that handle) —
    ripgrep's ``jgart <…+jgarte@…>`` and ``Jorge Gomez <jgart@dismail.de>`` —, when the handle is of five characters
    or more, no word of a full name in the history ("kevin", "james" are first names), no role's (``hello@``), borne
    by one person (``find``: the joins by address made), and one address alone has it as its local part."""
    words = {word for name, _ in raw for word in (mergeable_name(name) or "").split()}
    named: dict[str, list[int]] = {}
    for index, (name, _) in enumerate(raw):
        handle = name.strip().lower()
        if (kinds[index] == HUMAN and len(handle) >= HANDLE_AT_ADDRESS and _LOGIN_SHAPE.match(handle)
                and not handle.isdigit() and handle not in words and handle not in PLACEHOLDER_NAMES
                and handle not in _ROLE_LOCAL_PARTS):
            named.setdefault(handle, []).append(index)
    if not named:
        return []
    addresses: dict[str, dict[str, int]] = {}  # handle -> address -> its first identity
    for index, (_, email) in enumerate(raw):
        address = fold_email(email)
        local = address.partition("@")[0].partition("+")[0]
        if (local in named and kinds[index] == HUMAN and is_valid_email(address) and names_someone(address)
                and not noreply_login(address)):
            addresses.setdefault(local, {}).setdefault(mailbox(address), index)
    edges = []
    for handle, at in addresses.items():
        members = named[handle]
        if len(at) == 1 and len({find(m) for m in members}) == 1:
            (owner,) = at.values()
            edges.extend((index, owner) for index in members)
    return edges


def _family_name(names: dict[str, int], most_used: str | None) -> str | None:
    """An agent's name for all of its models: the words every one of its names begins with, as its most used name
    writes them (Claude's "Claude Opus 4.7 (1M context)", "Claude Sonnet 4.5" and "Claude" are "Claude"); None when
    it has one name, or its names share no first word."""
    if len(names) < 2 or not most_used:
        return None
    words = [n.split() for n in names]
    common = 0
    while all(len(w) > common and w[common].casefold() == words[0][common].casefold() for w in words):
        common += 1
    return " ".join(most_used.split()[:common]) or None


def _tell_apart(people: list[Person], weights: list[int], addresses: list[str | None]) -> None:
    """Two people left apart under one display name (Vue's "edison" <daiwei521@126.com> and "edison"
    <edison11051@gmail.com>: one-word names never merge) would read as one person twice in a list of reviewers: the
    one with most commits keeps the name, the others get their login or most used address (``addresses``, never
    the ``#2`` that tells apart the ids of two kinds at one address) beside it ("edison (edison11051@gmail.com)"),
    which also shows whom to merge in cairn.toml."""
    named: dict[str, list[int]] = {}
    for index, person in enumerate(people):
        named.setdefault(person.name.casefold(), []).append(index)
    for indexes in named.values():
        if len(indexes) < 2:
            continue
        indexes.sort(key=lambda i: (-weights[i], people[i].id))
        for i in indexes[1:]:
            person = people[i]
            handle = f"@{person.github}" if person.github else addresses[i]
            if handle:
                person.name = f"{person.name} ({handle})"


def logins_from_pull_requests(branches: Iterable[tuple[str, list[int]]], person_of: list[int], people: list[Person],
                              *, agreement: float = 0.8) -> dict[int, set[str]]:
    """GitHub logins learned from "Merge pull request #N from LOGIN/branch" merges: person index -> logins.

    A merge votes only when every human commit on its branch is by one person (a branch that carries
    other people's work — a release branch, a rebase onto someone's commits — votes for nobody); a login
    goes to the person with at least ``agreement`` of the votes, the merges of several other people's work
    counted as votes against (unless the login looks like the person's: ``_login_resembles``). A branch owner
    shared by many (the organisation's own branches) spreads its votes and names nobody (vector's @timberio:
    two merges of Lucio Franco's work, one of two other people's).

    A person's login is the one of their noreply address, else the one of the fewest other voters, then of the
    most votes. Any other login needs better evidence: two votes or more and no merge of anyone else's work. One
    vote is what a person who finished someone else's pull request leaves (cert-manager's Tim Ramlot, @inteon,
    pushed the last commits of @joshmue's and @phillebaba's), and a login whose branches also carry other
    people's work is an organisation's fork the person pushed to (cert-manager's @jetstack for James Munnelly,
    @munnerz; crossplane's @nokia for Bob Haddleton, @bobh66). A login that another person's full name without its
    spaces spells is theirs, not a voter's it looks nothing like: temporal's "Merge pull request #3
    from samarabbas/merge-from-cadence", a branch of the repository itself holding one commit of Yu Xia's, gave her
    Samar Abbas's @samarabbas (cert-manager's ``davegrix`` keeps @davegrix beside a Dave Grix kept apart).
    """
    votes: dict[str, dict[int, int]] = {}
    on_branches: dict[str, list[set[int]]] = {}
    for login, authors in branches:
        persons = {person_of[a] for a in authors if people[person_of[a]].kind == HUMAN}
        if persons:
            on_branches.setdefault(login, []).append(persons)
        if len(persons) == 1:
            person = next(iter(persons))
            tally = votes.setdefault(login, {})
            tally[person] = tally.get(person, 0) + 1
    spelled = _spelled_logins(people) if votes else {}
    found: dict[int, list[tuple[int, int, str, bool]]] = {}
    for login, tally in votes.items():
        best = max(tally, key=lambda p: (tally[p], -p))
        resembles = _login_resembles(login, people[best])  # (the logins are lower-case: ``log_parser``)
        if not resembles and spelled.get(re.sub(r"[-_.]", "", login), best) not in (best, -1):
            continue  # another person's login by their name (temporal's @samarabbas, Samar Abbas)
        # merges of several other people's work count against, unless the login looks like the person's own
        foreign = 0 if resembles else sum(
            1 for persons in on_branches[login] if len(persons) > 1 and best not in persons)
        if tally[best] >= agreement * (sum(tally.values()) + foreign):
            others = len(tally) - 1
            found.setdefault(best, []).append((others, -tally[best], login, others == 0 and foreign == 0))
    out: dict[int, set[str]] = {}
    for person, logins in found.items():
        ranked = sorted((not _login_resembles(login, people[person]), others, minus_votes, login, alone)
                        for others, minus_votes, login, alone in logins)
        # two logins alike in every way but the alphabet (one vote each, neither like the person): neither is sure
        tied = len(ranked) > 1 and ranked[0][:3] == ranked[1][:3] and ranked[0][0]
        has_own = bool(people[person].logins) or tied
        for rank, (_, _, minus_votes, login, alone) in enumerate(ranked):
            another = login not in people[person].logins and (has_own or rank > 0)
            if not another or (-minus_votes >= 2 and alone):
                out.setdefault(person, set()).add(login)
    return out


_URL_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://[^/]+|[^@/:]+@[^/:]+:)/?(?P<path>.+)$", re.IGNORECASE)


def repository_names(checkout_name: str, remote: str | None) -> set[str]:
    """The names a repository goes by, lower-case: its checkout folder's and its remote's (``gson`` of
    ``https://github.com/google/gson.git`` or ``git@github.com:google/gson``; not a path on disk). Not the remote's
    owner: ripgrep's is BurntSushi, its author, whose branches are his own."""
    names = {checkout_name.lower()} - {""}
    match = _URL_REMOTE.match((remote or "").strip())
    if match:
        names.add(match.group("path").lower().removesuffix("/").removesuffix(".git").rpartition("/")[2])
    return names - {""}


def names_the_repository(login: str, names: set[str]) -> bool:
    """Whether a pull request's branch owner is the repository's own organisation, not a person: one of its names
    (``repository_names``: celery's @celery), or, of four letters or more, a word of it (gson's ``google-gson``, the
    organisation it moved from, which gave Jake Wharton a login from one merge; tokio's ``tokio-rs``, which went to
    Carl Lerche; pytest's ``pytest-dev``)."""
    login = login.lower()
    words = re.split(r"[-_]", login)
    return login in names or any(
        len(name) >= 4 and _words_within(re.split(r"[-_]", name), words) for name in names)


def _words_within(part: list[str], words: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _spelled_logins(people: list[Person]) -> dict[str, int]:
    """The logins a human's full name without its spaces spells (lower-case, ``samarabbas``): login -> person index,
    -1 when it spells two people's. (Not an address's local part: pytest's Alex Gaynor is @alex, whatever the
    ``alex@`` of others.)"""
    spelled: dict[str, int] = {}
    for index, person in enumerate(people):
        if person.kind != HUMAN:
            continue
        keys = {fold_name(name).replace(" ", "") for name in person.names if " " in fold_name(name)}
        for key in keys:
            spelled[key] = index if spelled.get(key, index) == index else -1
    return spelled


def _login_resembles(login: str, person: Person) -> bool:
    """Whether a login looks like the person's own: their name without spaces (``timheap``), the local part of one
    of their addresses, or a login holding a word of four letters or more of their names (``felipecsl``)."""
    compact = re.sub(r"[-_.]", "", login)
    names = [fold_name(name) for name in person.names]
    if any(compact == name.replace(" ", "") for name in names):
        return True
    if any(login == fold_email(email).partition("@")[0] for email in person.emails):
        return True
    return any(len(word) >= 4 and word in compact for name in names for word in name.split())


_MAILMAP_RE = re.compile(r"^\s*([^<#]*?)\s*<([^<>]*)>(?:\s*([^<#]*?)\s*<([^<>]*)>)?")


class Mailmap:
    """What ``.mailmap`` says, for the two things git does not tell us: broken lines, and old addresses."""

    #: canonical e-mail (lower-cased) -> the old "Name <email>" / e-mails mapped onto it
    old_identities: dict[str, set[str]]
    problems: list[str]

    def __init__(self, old_identities: dict[str, set[str]] | None = None, problems: list[str] | None = None) -> None:
        self.old_identities = {} if old_identities is None else old_identities
        self.problems = [] if problems is None else problems


def read_mailmap(root: Path) -> Mailmap:
    """Parse ``.mailmap`` at ``root``: lines git ignores without a word (no ``<email>``) become problems."""
    result = Mailmap()
    try:
        # git itself never follows a symbolic-link .mailmap in the work tree; neither does Cairn.
        text = read_checkout_text(Path(root), ".mailmap", follow_symlinks=False)
    except RefusedFile as exc:
        result.problems.append(f"{exc} (nor by git)" if exc.reason == "a symbolic link" else str(exc))
        return result
    if text is None:
        return result
    for number, line in enumerate(text.splitlines(), 1):
        content = line.strip()
        if not content or content.startswith("#"):
            continue
        match = _MAILMAP_RE.match(content)
        if not match:
            result.problems.append(f".mailmap line {number} is malformed and ignored by git: {content[:80]!r}")
            continue
        _, proper_email, old_name, old_email = match.groups()
        if old_email is not None and proper_email.strip():
            old = f"{old_name} <{old_email}>" if old_name else old_email
            result.old_identities.setdefault(fold_email(proper_email), set()).update({old, old_email.strip()})
    return result


def mailmap_problems(root: Path) -> list[str]:
    return read_mailmap(root).problems


def check_mailmap(root: Path, contacts: Iterable[str]) -> dict[str, str]:
    """Map ``"Name <email>"`` contacts through the repository's mailmap (``git check-mailmap``).

    Trailers such as ``Co-authored-by`` bypass ``--use-mailmap``, so they are
    canonicalised here. Contacts git cannot parse are left as they are.
    """
    todo = sorted({c for c in contacts if parse_contact(c) is not None and not c.startswith("-")})
    mapped: dict[str, str] = {}
    for start in range(0, len(todo), 200):
        batch = todo[start:start + 200]
        try:
            proc = git(root, *MAILMAP_OPTIONS, "check-mailmap", *batch, text=False)
        except GitError:
            return mapped
        lines = proc.stdout.decode("utf-8", errors="replace").splitlines()
        if proc.returncode == 0 and len(lines) == len(batch):
            mapped.update(zip(batch, lines))
        else:  # one bad contact fails the whole call: fall back to one at a time
            for contact in batch:
                one = git(root, *MAILMAP_OPTIONS, "check-mailmap", contact, text=False)
                if one.returncode == 0:
                    mapped[contact] = one.stdout.decode("utf-8", errors="replace").strip()
    return mapped


class Identities:
    """Raw identities seen in the stream, interned to small integers."""

    def __init__(self, classifier: Classifier):
        self.classifier = classifier
        self.index: dict[tuple[str, str], int] = {}
        self.raw: list[tuple[str, str]] = []
        self.kinds: list[str] = []
        self.weights: list[int] = []
        self.from_trailer: list[bool] = []

    def intern(self, name: str, email: str, trailer: bool = False) -> int:
        key = (name, email)
        idx = self.index.get(key)
        if idx is None:
            idx = self.index[key] = len(self.raw)
            clean_name, clean_email = _clean(name), _clean(email)
            self.raw.append((clean_name, clean_email))
            self.kinds.append(self.classifier.kind(clean_name, clean_email))
            self.weights.append(0)
            self.from_trailer.append(trailer)
        elif not trailer:
            self.from_trailer[idx] = False
        return idx


def _clean(text: str) -> str:
    """Undo surrogate escapes from non-UTF-8 bytes (names are shown, so they get replacement characters), and
    compose accents the one way (NFC), so "Neuhäuser" typed on two systems is one spelling."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text if text.isascii() else unicodedata.normalize("NFC", text)
