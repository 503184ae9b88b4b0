"""Who should review a change: the people who know the files it changes, weighted by how much each file changes.

``suggest_reviewers(graph, changed, authors)`` is a pure function of the
stored graph, the changed files with the lines changed in each (from the
``ChangeSet``'s hunks), and the identities of the change's authors. It ranks people by their knowledge of
the changed files:

* knowledge of a file is the larger of the person's authorship of it — their
  degree of authorship relative to the file's best (DOA / max DOA, the
  measure Avelino et al.'s authorship rule normalises by) — and their review
  of it: review credit on it (``Reviewed-by``, ``Co-authored-by``, review
  records, committing an agent's work) counts ``REVIEW_KNOWLEDGE`` (1: as
  much as the file's best author) for the file's most frequent reviewer and
  less for fewer reviews, by up to ``REVIEW_COUNT_SHARE`` (a tenth) on a log
  scale: ``1 - 0.1 + 0.1 * log(1 + reviews) / log(1 + most reviews of the
  file)`` (``review_knowledge``) times ``review_weight`` (below); all of it
  times ``queries.recency.weight_now`` of their last touch of it (their last
  change or review), halved every year before the
  repository's newest commit, as "ask first" weighs it. Replayed on 200
  reviewed commits each of golang/tools and golang/net
  (``bench/reviewers_replay.py``, against the commits' ``Reviewed-by``), the
  first suggestion was a real reviewer 33.5 % and 53 % of the time when
  knowledge did not fade and a review counted a quarter of an authorship:
  most wrong first suggestions had written much of a file years before and
  moved on, and the real reviewers were maintainers whose work on those
  files was reviewing them;
* authorship counts at most ``OWN_WORK_MULTIPLE`` (3) times what the person's
  own work on the file is of the best's (``relative_authorship``; own work,
  ``graph.authorship.own_doa``: the DOA less that of someone who made none of
  the file's changes, ``3.293 − 0.321·ln(1 + its deliveries)``, which every DOA
  of the file carries). Counted from 0, as Avelino's rule counts it, any one
  delivery is a fifth to nearly half of the best author's DOA, and fresh, it
  outweighs the builders' faded work: on reduxjs/redux-toolkit dfedoryshchev,
  whose one commit to each of four files fixed an example or a default in its
  JSDoc, came before Lenz Weber, RTK Query's co-author, for Arya Emami's
  ef8660a7 ("wrote 2 % of …/listenerMiddleware/types.ts", 0.14 against 0.08:
  Lenz is an author of three of its four files, his work of 2021-23) and
  24fb2e6e ("knows packages/toolkit/src/query/ (1 other file)", 0.17 against
  0.15). His delivery of types.ts, 0.41 of Mark Erikson's DOA, is 0.05 of
  Mark's own work: worth 0.15 now, he leaves both lists. Whoever has a few
  deliveries keeps Avelino's ratio (on buildThunks.ts, from 4 of its 114). Read
  on the last commits of redux-toolkit (14 touching RTK Query), pytest (12),
  prometheus (12 merges) and express (12), 15 lists change: 8 of
  redux-toolkit's, in 7 a one-commit contributor (dfedoryshchev 5 times,
  joseph0926, Jonathan Tiret) leaving or falling below Lenz, in the eighth Lenz
  (39 % of the changed fetchBaseQuery.ts) reaching Arya Emami's knowledge of
  query/ (0.27); one of pytest's (lovetheguitar, one line of
  assertion/_compare_sequence.py, gives way to Bruno Oliveira, 11 reviews of
  the changed util.py); 6 of express's, where everyone still here has a few
  commits of files TJ Holowaychuk wrote (Yury Shkoda and Ayoub Mabrouk, one
  commit each, leave; Phillip Barta, 4 commits, comes before Shivam Sharma, two
  chores of a line a file, and leaves one list; Blake Embrey stays second);
  none of prometheus's. On 20 more changes of each (redux-toolkit's outside RTK
  Query), 30 lists change alike (redux-toolkit 16: Lenz comes before people who
  changed one or two files of src/ once, Ri5ha6h, Jackson Brummell, JSap0914;
  prometheus 2: Ben Kochie's and Matthieu MOREL's lint sweeps give way to Bryan
  Boreham and Ganesh Vernekar; pytest 1, lovetheguitar again; express 11). Own
  work alone (a multiple of 1) lowers people with a real part of a file too:
  John Litborn, 11 of pytest's _code/code.py's 217 changes, left c0ab40c93's
  list, Bryan Boreham fell from second to fourth for model/textparse/ (4 of
  prometheus's lists change, 2 of pytest's); 2 changes two of prometheus's
  (alex boten, 2 commits, leaves); 4 leaves dfedoryshchev level with Lenz on
  ef8660a7 (0.072, 0.076). Work old enough still fades below a fresh touch: a
  one-time contributor's 0.02 of Lenz's own work on buildThunks.ts, tripled
  (0.06), passes his work of March 2023 when it is four years old (0.09 now);
* the best DOA a person's is divided by is that of the humans still here (the
  change's authors included: who left, a bot, an agent, cannot be asked),
  the own work's of anyone: on celery/celery, whose celery/ Ask Solem wrote
  and left in 2016, Tomer Nosrati, 28 of canvas.py's changes since 2022 and
  the most of anyone still active, was 0.18 of Ask Solem's DOA, under his one
  co-author trailer's worth (0.93); beside his own he is its whole author,
  and the cap leaves him 0.42 (his own work, tripled, beside Ask Solem's).
  Both among those still here make whoever changed a line of a file its
  builders left its whole author: for celery's a094d2a89, phanky1 (one
  change of canvas.py, this July) came before Tomer (0.55 against 0.41), and
  contributors of a commit or two to other files of celery/ after him
  ("knows celery/ (1 other file)"). Where the best author is still here
  nothing changes. Read on pr-check of 104 changes (celery 12, pydantic 13, tracing
  15, express 32, prometheus 32, run on stores of today), 6 lists change, all
  near ties in third to fifth place: celery's 7c5d9a62d, ChickenBenny (two of
  backends/rpc.py's changes, March 2026) 0.30 before Tomer (three, April)
  0.29, a little worse; express's ae6dd376 and
  c9ecf7b6, Phillip Barta and Shivam Sharma (0.113, 0.112) change places;
  prometheus's b2b7990baa, 3637acbbc8 and 44d6a0e0b1, Matthieu MOREL, whose
  lint sweeps touched files their authors left, passes Björn Rabenstein (a
  sweep and reviews) for fourth or fifth by 0.01 to 0.03;
* a review credit of a file stands for knowing it (``review_weight``) fully
  where the file's changes are reviewed — its review credits per change
  (``review_coverage``) from ``REVIEWED_SHARE`` (a half) up, as Gerrit's
  Reviewed-by on every commit —, else as far as the reviewer is one of the
  area's people, ``log(1 + n) / log(1 + REVIEWER_EVIDENCE)`` of their commits
  plus touches ``n`` (``area_evidence``, below), full from ten: one co-author
  trailer, all someone has there, is 0.29 of an authorship. On pallets/flask,
  Christian Clauss (two commits and one ``Co-authored-by`` on
  src/flask/app.py, the only review credit the file ever had, so its "most
  frequent reviewer") was the first suggestion for app.py at 0.53, on
  psf/black Samarth D N (no commit; one trailer on a docstring fix of four
  files of src/black/) came before Jelle Zijlstra for linegen.py (0.60 against
  0.56; 60 review credits among its 136 changes). Now Clauss is at 0.36 (still
  the only one who knows app.py but its author) and Samarth D N at 0.53, below
  Zijlstra; read live on five commits of black and two of flask, the only
  other change is another one-trailer person leaving a fifth place (Pedro
  Mezacasa Muller keeps his second, "reviewed linegen.py (1 review)": he made
  5 of its changes). Rescored on the replays' snapshots, nothing of
  golang/tools and golang/net changes (every change reviewed: coverage over 1
  for most files) nor hit@1, MRR and none of flask's and prometheus's merges
  (hit@3 of prometheus 37.5 -> 38.2 %); 29 lists change (flask 22, express 6,
  prometheus 1), mostly one-trailer people of flask/ ("knows flask/ (1 other
  file, 1 review)") leaving the fifth place. Rules that lower one review
  whatever the file lose on the replays, where one review often is the next
  one's: an absolute scale (full from ten reviews) costs tools 6 points of
  hit@1 and prometheus's merges 10, the count in the area alone tools 0.5-1.5
  and prometheus 1.4-3.5, a review counted as a delivery in the DOA formula
  4.5 and 12.5, a floor of 0.75 or 0.8 instead of 0.9 tools 1.5-2 and
  prometheus 0.7-4.8; the coverage alone (prometheus's merges count a merge
  once and its commits each: 0.07 review credits per change) prometheus 9.7,
  the people's count of reviews in the area in place of the evidence 1.4-3.5.
  Nor does a merge (``ingest.merger_credit``) count less than an authorship
  for being one. On containerd, where eight maintainers press the button
  anywhere, #13960 (NRI image digest) is suggested to Samuel Karp first,
  "reviewed internal/cri/nri/nri_api_linux.go (1 review)" (0.82), and to
  Krisztian Litkey, who made half of that file's changes, fifth (0.44).
  Rescored on the last 150 merges of flask, prometheus, scrapy and containerd
  and golang/net's 200 Reviewed-by commits (hit@1 / hit@3 / MRR), credit that
  grows with the file's reviews (from a half on a log scale, all of it from
  three: one review 0.75) raises containerd 7.5 / 42.2 / 0.231 -> 10.2 / 42.2
  / 0.246 but costs prometheus 30.7 / 62.0 / 0.458 -> 28.7 / 59.3 / 0.440 (a
  fresh single merge of a file often names its next merger: 4 of prometheus's
  14 first suggestions named for one review were the merger, 10 of scrapy's
  16, none of containerd's 15, whose first suggestion is the merger 7.5 % of
  the time at all), flask one list and golang/net half a point; the mildest
  tried (one review 0.85, all from two) still costs flask and prometheus one
  list each; a review worth at most 0.75 of an authorship costs flask 2.7,
  scrapy 2.7, prometheus 4.7 and net 3 points of hit@1 (containerd +4.1). And
  none puts Krisztian Litkey first: without any review credit, Chris Henzie,
  who added the test file the change extends seven weeks before (a third of
  its weighed lines), leads 0.45 to 0.44, Litkey's work on the file being
  seven months old (0.66) and none of it in internal/cri/store/container/, a
  fifth of the change;
* knowledge of the other files of a changed file's directory (its package:
  the files the stored modules list there, ``directory_files``) counts too,
  at ``DIRECTORY_KNOWLEDGE`` (0.75) of what the person knows of them, when
  that is more than what they know of the changed file itself: maintainers
  review a package, not a file (on golang/tools, in 58 of the 72 replayed
  commits whose first suggestion was not a real reviewer, the real reviewer
  had never touched a changed file). What they know of them is the larger of
  the most their reviews of one of those files are worth and the most their
  authorship of one is worth times how much of the directory the files they
  changed there are (``authorship_breadth``: all of it from a tenth of its
  files, ``DIRECTORY_BREADTH``, in proportion below), each faded by their own
  last touch of that file. Reviewing one file of a package is being asked to
  judge it: in golang/net's replay the real reviewer of a change to quic/ had
  reviewed one of its 102 files, twice. Writing one file of it is not: on
  fluxcd/flux2, three people with one commit each, a new file of cmd/flux/
  (248 files), were suggested for its fixes beside the maintainers who wrote
  most of it (a file written alone is all there is to know of it). The
  reason names the directory, the files the person knows there and their
  reviews of them ("knows gopls/internal/cache/ (4 other files, 12
  reviews)", "knows cmd/flux/ (133 other files)"), after their work on the
  changed file when they have any: the reasons name the changed file whose
  knowledge counts most, the person's work on it first whatever weighed
  more, then their reviews of it ("made 21 % of the changes to
  pydantic/mypy.py and reviewed it (5 reviews)": the share of its recorded changes), the
  directory only beside them or for a file they never changed. On
  pydantic/pydantic Victorien, 21 of mypy.py's 101 commits, was said to have
  "reviewed pydantic/mypy.py (5 reviews)" (co-author trailers weighing more
  than his work) and David Montague, who created it, to "know pydantic/ (32
  other files, 113 reviews)"; on tokio-rs/tracing Hayden Stainsby
  "reviewed tracing-attributes/src/expand.rs (3 reviews)" of which he wrote
  two changes. Read on the 104 changes above, the reasons of 72 more lists
  change and nothing else (celery 6, pydantic 8, tracing 10, express 21,
  prometheus 27): a "reviewed" or "knows …/" now names the person's work on
  the file, checked against ``git log``, or the directory that weighed more
  is said beside it. With it and the count of
  reviews, the replay's first suggestion was a real reviewer 51.5 % (tools)
  and 74 % (net) of the time, against 46.5 % and 70 % without; one was among
  the first three 67.5 % and 84.5 % (61.5, 79.5), and none was suggested
  25.5 % and 13.5 % (33.5, 18.5). The breadth of authorship changed none of
  those figures (nor did a breadth of a twentieth or a half): it changed 5
  and 1 of the 200 lists, where one-commit authors of a package's other
  files were fourth or fifth (tools) or second (net) and now are lower or
  gone;
* each file weighs by the lines the change adds and removes there (at least
  one), so the experts of the file that changes most lead; a test file's
  lines weigh a quarter (``TEST_LINES_WEIGHT``) when the change also changes
  code that is not a test (``graph.testcode.is_test_file``): the reviewer
  judges the code's change, its tests follow from it (pip's fix of
  ``network/download.py``, 17 lines, with 73 lines of tests, was suggested
  to the tests' authors, for the tests), and a reviewer's reasons name the
  code file they know best before any test file;
* a person's knowledge of the change counts as far as there is evidence that
  they are one of the area's people (``evidence_weight``: ``n / (n + 2)``,
  ``EVIDENCE_HALF``), ``n`` being their commits in the repository plus their
  touches — each change, first authorship and review credit — of the changed
  files and of their directories' other files (``area_evidence``). Writing a
  file alone in one commit makes one its whole author, and one co-author
  trailer its most frequent reviewer: on caddy's d6f7f18b0, a fix of
  fileserver/staticfiles.go, Christian Mehlmauer (one commit, a new benchmark
  test of fileserver/, 0.72) and cyphercodes (no commit, one trailer, 0.59)
  came before Matthew Holt (1180 commits, 54 of that file, 0.53), and on
  poetry's #10917 Koda Reef (one trailer) before its maintainers; now Holt
  leads (0.53; Mehlmauer 0.48) and Koda Reef is fourth. Rescored on the
  replays' snapshots (hit@1 / hit@3 / MRR before -> after): golang/net 73.5 /
  89 / 0.805 -> 75 / 88.5 / 0.811, flask's merges 60.3 / 95.2 / 0.771 ->
  71.2 / 95.2 / 0.828 (with merger credit 75.3 / 95.9 / 0.852, unchanged),
  prometheus's merges 21.5 / 36.8 / 0.292 -> 22.9 / 37.5 / 0.303 (with merger
  credit 27.8 / 58.3 / 0.430 -> 27.8 / 59 / 0.432), but golang/tools 51.5 /
  67.5 / 0.598 -> 49 / 64.5 / 0.580: five of its 200 reviewers (Gerrit's
  Reviewed-by) had few touches of the package and the latest, and now come
  second to who has many. A half for one touch (``EVIDENCE_HALF`` 1) scores
  the same on tools and net but leaves Mehlmauer first on caddy; counting the
  touches of the changed file alone costs tools 6.5 points of hit@1 and net
  2.5, the commits alone net 3.5;
* ties (equal knowledge, faded alike) go to whoever touched the changed
  files most recently;
* someone whose knowledge of the change is under a tenth of the best
  suggestion's is left out (``SMALLEST_SHARE_OF_BEST``) unless nobody who may
  review knows one of the changed files better: on sqlalchemy a contributor's
  patch to a file its maintainer wrote listed, after him, four people who had
  changed it once years ago;
* whoever knows none of the changed files at ``MIN_KNOWLEDGE`` (0.1: a tenth
  of what its best author knows; what counts is the knowledge above, of the
  file or of its directory, as far as the evidence goes, whatever the file's
  lines) is left out, however little the others know: knowing a change is
  knowing one of its files. The relative floor alone let anyone through once
  the change's author and the people gone were left out: on Textualize/rich,
  Will McGugan's fix of rich/cells.py (56 of its commits his, 10 Darren
  Burns's, inactive) was suggested to five people with one commit each, late
  2025, to other files of rich/ (100 files), "daniel.jaekel — knows rich/ (2
  other files)" first at 0.056, the others 0.01 to 0.04; now nobody is, and
  the repository's people stand in, saying nobody still here knows the files.
  Rescored on the replays' snapshots, the floor changes none of hit@1, hit@3,
  MRR and none (golang/tools 49 / 64.5 / 0.580 / 26 %, golang/net 75 / 88.5 /
  0.811 / 9.5 %, flask's merges 71.2 / 95.2 / 0.828 / 4.8 %, prometheus's
  merges 22.9 / 37.5 / 0.303 / 52.1 %) and leaves out 26 of their 3,125
  suggestions (tools 3, net 14, express's 15 commits 3, flask 3, prometheus
  3), none a real reviewer: 19 knew the directory only (0.02 to 0.099; 9 of
  them had one or two commits), 7 the file, a little or long ago (0.06 to
  0.09). Twice the only suggestion was under it and the repository's people
  stand in instead: on tools that suggestion, Alan Donovan (0.06, the real
  reviewer), is the first of them; on net, Dmitri Shuralyov (0.002) the
  third. Deciding by the floor which files nobody knows (so that their
  components' people stand in beside who knows them a little) lost net's
  real reviewer fifth in one list and put another second (hit@1 75 -> 74.5).
  A floor of a twentieth keeps daniel.jaekel; 0.15 changes no figure either
  and 0.2 raises net's a little (75.5 / 89 / 0.816), but they leave out 56
  and 107 suggestions, one of them a real reviewer. Read live, the floor changes nothing of the
  latest commits of psf/black (6), golang/tools (5) and pallets/flask (7),
  but two go.mod updates of tools, suggested to gopls's authors, lose two of
  four: Peter Weinberger and Hyang-Ah Hana Kim, who wrote 37 and 33 of its
  638 files (Alan Donovan 285, Robert Findley 269).

When nobody who may review knows a changed file itself (its authors left,
say; knowing its directory is not knowing it), the people who know the other
files of its component stand in, at half
weight, with that as the reason ("knows 3 other files of component lib"):
half the share of the component's other files they wrote, which
``MIN_KNOWLEDGE`` wants at a tenth (a fifth of the files; one or two of
rich's 99 are not knowing rich).
A change of paths the store keeps no file for only (documentation,
configuration, ``go.mod``, test data: 17 of golang/tools' 200 replayed
commits had no suggestion at all; 123 of celery's 283 commits of a year) goes
to the people who made those files' latest commits, when the caller reads
them from git (``read_latest_commits``: ``ingest.path_history``, at the
change's base; ``_latest_authors``, ``queries.path_knowledge``): each path
weighing by its lines, a person's knowledge of it is their commits among its
latest weighed by their last (``weight_now``) over the most a human's weigh,
believed as far as the evidence goes, and the reason says what they did
("changed docs/userguide/tasks.rst in 5 of its last 100 commits, last
2025-03-16"). Bots and agents are no one's knowledge, and nothing of it is
stored. For a path nobody who may review knows so, the people of the other
files of its component stand in, as above, its component given by the change
(``components``: the stored component definitions'; a path of no component
has no stand-in).
When nobody at all may be suggested that way — a change of ``.github/``
workflows or of any path of no component included (flux2's #5975, #5955
had no suggestion) —, the three people still active
in the repository with the most commits stand in, with knowledge 0 and that
as the reason (``REPOSITORY_STAND_INS``): that nobody still here knows the
changed files, or for paths the store keeps no file for that Cairn keeps no
history of them (and nobody who may review made their latest commits, when
they were read), not that nobody knows them (``_nobody_known``).

CODEOWNERS of a changed file are added when they hold knowledge of the area
they own (any authorship or review record on a file of that CODEOWNERS
entry), even as minor holders; owners without any are left out, as are the
change's authors under any of their identities (name, e-mail, ``@login``,
looked up by ``graph.people.PersonIndex``), bots, agents, and people who left
or have been inactive (``queries.ownership.gone_people``). Each suggestion says why, e.g.
``made 80 % of the changes to storage/remote/write.go`` or ``CODEOWNER of /storage/remote/``.

A person named as the change's co-author only (``Co-authored-by``) is no
author here (``writers_and_co_authors``): a squash merge names so whoever
pushed to the pull request's branch, most often the maintainer who reviewed it
(TanStack Query's 2215bb031 left out Dominik Dorfmeister, query-core's main
author, and suggested five others), and so does a review suggestion applied.
Kept, they are said to have "co-authored this change".
Rescored on the replays' snapshots with the change's identities read again and
the same truth for every rule (the real reviewers less the authors and
committers: a merger who pushed to the branch stays one), hit@1 / hit@3 / MRR
/ none before -> after: flask's merges 70.3 / 93.9 / 0.816 / 6.1 % -> 71.6 /
95.3 / 0.830 / 4.7 %, prometheus's merges 22.7 / 39.3 / 0.307 / 51.3 % -> 24.0
/ 40.7 / 0.320 / 50.0 %, scrapy's last 150 merges 47.3 / 82.7 / 0.634 / 14.7 %
-> 48.0 / 83.3 / 0.640 / 14.0 %, golang/tools and golang/net unchanged (no
co-author is a reviewer there). 8 lists change: 5 gain the merger first, named
as co-author of a commit of the pull request — suggestions applied (prometheus
2, re-committed by their author; scrapy 1, under an edited subject) or an
amend (flask 2, David Lord) —, 2 add a co-author below the merger, and one
(scrapy's 78eaf0671b) puts Andrey Rakhmatullin, whose suggestions were
applied, above the merger (third, from second). On Query's last 200
commits, the 46 that name a person besides their author put that person first 78 % of the time and among
the first three 98 % (none of them before).

Two suggestions that ``queries.people.likely_duplicates`` calls one person
(one-word names are never merged: Query's "kimchosule", one commit, and
"kimchosule" <kimchosule1@…>, a trailer the same day, were both suggested) are
one: the better-ranked is kept and names the other ("likely also …"). The
pairs are looked for among every human (a reason may depend on who else bears
a name): 43 ms at Query's 1,180 people, 63 ms at prometheus's 1,323.
Rescored, it changes 17 of prometheus's 150 lists (16 named György Krajcsovits
twice, as @krajorama and by his grafana.com address; one Ali Asgher) and none
of flask's, scrapy's or Query's: hit@3 40.7 -> 41.3 %, but none 50.0 -> 50.7 %
where the name kept was not the one the merge recorded — the same person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from cairn.graph.authorship import own_doa
from cairn.graph.change import Identity, IdentityKind, IdentityRole
from cairn.graph.model import Label, Node, Rel, RepoGraph, node_id
from cairn.graph.people import PersonIndex, fold_name, split_contact
from cairn.graph.testcode import is_test_file
from cairn.graph.path_commits import PathCommit
from cairn.queries.gone import parse_time
from cairn.queries.ownership import gone_people
from cairn.queries.path_knowledge import path_knowers
from cairn.queries.people import likely_duplicates_among
from cairn.queries.recency import weight_now

OWN_WORK_MULTIPLE = 3
REVIEW_KNOWLEDGE = 1.0
REVIEW_COUNT_SHARE = 0.1
REVIEWED_SHARE = 0.5
REVIEWER_EVIDENCE = 10
DIRECTORY_KNOWLEDGE = 0.75
DIRECTORY_BREADTH = 0.1
TEST_LINES_WEIGHT = 0.25
SMALLEST_SHARE_OF_BEST = 0.1
MIN_KNOWLEDGE = 0.1
EVIDENCE_HALF = 2
KNOWLEDGE_SUGGESTIONS = 5
REPOSITORY_STAND_INS = 3
MAX_SUGGESTIONS = 8


@dataclass(frozen=True)
class SuggestedReviewer:
    """One suggested reviewer: ``name``, Person ``id``, ``score`` (knowledge of the change, 0…1), ``reasons``
    ("made 80 % of the changes to storage/remote/write.go", "CODEOWNER of /storage/remote/"), newest ``last_touch`` (ISO)."""

    name: str
    id: str
    score: float
    reasons: tuple[str, ...] = ()
    last_touch: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "score": self.score, "reasons": list(self.reasons),
                "last_touch": self.last_touch}


@dataclass
class _Candidate:
    person_id: str
    score: float = 0.0
    last_touch: str = ""
    # the file the reasons name: ((not a test beside code, weighted knowledge), file, share, reviews)
    best: tuple[tuple[bool, float], str, float, int] = ((False, 0.0), "", 0.0, 0)
    files: set[str] = field(default_factory=set)
    owner_of: list[str] = field(default_factory=list)
    stand_in: str = ""  # why a person who knows none of the changed files is suggested
    directory: tuple[str, int, int] | None = None  # (directory, its files known, reviews there) when it counted most
    most: float = 0.0  # the most they know of one changed file, whatever its lines (``MIN_KNOWLEDGE``)


def change_authors(index: PersonIndex, authors: Iterable[Any]) -> set[str]:
    """The Person node ids of a change's ``authors`` (as ``suggest_reviewers`` takes them), under any identity: whom
    the author's name and address name, and whom the e-mail or the name alone names — a name only where it is the
    person's own (``name``, ``display_name``, or the name they use most, ``names[0]``: the name of one of two people
    left apart under one name carries an address, mitmproxy's "tbodt (tbodt@tbodt.com)"), not a name their address
    once committed under. webpack's Alexander Akait was kept from reviewing each of Sebastian Beltran's changes:
    three commits authored "Sebastian Beltran <…+alexander-akait@users.noreply.github.com>" had made the name one of
    Akait's too. A person split under one name and two addresses is still one author twice."""
    out: set[str] = set()
    for author in authors:
        name, email = _name_and_email(author)
        for text in (f"{name} <{email}>" if name and email else "", email):
            if text:
                out.update(person.id for person in index.find(text))
        if name:
            own = fold_name(name)
            out.update(person.id for person in index.find(name) if not email or own in _own_names(person))
    return out


def _own_names(person: Node) -> set[str]:
    """A person's own names, folded (``change_authors``)."""
    names = person.get("names") or []
    return {fold_name(str(text or "")) for text in (person.get("name"), person.get("display_name"), names[0] if names else "")}


def writers_and_co_authors(identities: Iterable[Identity]) -> tuple[list[Identity], list[Identity]]:
    """(the identities of a change whose people may not review it, its human co-authors who may).

    Those who wrote it (``IdentityRole.wrote_it``) may not, but a human named only in a ``Co-authored-by`` trailer
    may: GitHub writes one for whoever pushed to a pull request's branch before a squash merge — a maintainer
    finishing a contributor's change and reviewing it (TanStack Query's 2215bb031, #8737, names Dominik Dorfmeister,
    query-core's main author; 46 of its last 200 commits name a maintainer so) —, for a review suggestion applied,
    also under an edited subject (scrapy's "Fix typo: it → is") or re-committed by a rebase (prometheus's "Update
    tsdb/record/record.go"), and a maintainer amending a contributor's commit adds one (flask's David Lord). The
    history already counts such a trailer as review credit. ``Co-developed-by`` (``IdentityRole.CO_DEVELOPER``)
    declares co-writing and no forge writes it: a writer. A co-author who is also an author under any identity stays
    out (``change_authors``); one kept is said to have co-authored the change. When an agent authored a commit of
    the change, its human co-authors are who asked for it (Copilot's coding agent names the person who assigned it
    the task, whom GitHub does not let approve the pull request): writers."""
    identities = list(identities)
    if any(i.role is IdentityRole.AUTHOR and i.kind is IdentityKind.AGENT for i in identities):
        return [i for i in identities if i.role.wrote_it], []
    co_authors = [i for i in identities if i.role is IdentityRole.CO_AUTHOR and i.kind is IdentityKind.HUMAN]
    return [i for i in identities if i.role.wrote_it and i not in co_authors], co_authors


def _name_and_email(author: Any) -> tuple[str, str]:
    """An author's name and e-mail, given as a pair, an ``Identity`` or ``"Name <email>"`` (either may be "")."""
    if isinstance(author, (tuple, list)):
        name, email = (list(author) + ["", ""])[:2]
    elif getattr(author, "name", None) is not None or getattr(author, "email", None) is not None:
        name, email = getattr(author, "name", None) or "", getattr(author, "email", None) or ""
    else:
        name, email = split_contact(str(author or ""))
    return str(name or "").strip(), str(email or "").strip()


def _file_knowledge(graph: RepoGraph, file_ids: set[str]) -> dict[str, list[Any]]:
    """File node id -> its KNOWS edges."""
    out: dict[str, list[Any]] = {}
    for edge in graph.of_type(Rel.KNOWS):
        if edge.target in file_ids:
            out.setdefault(edge.target, []).append(edge)
    return out


def review_knowledge(reviews: int, most: int, coverage: float = 1.0, evidence: int = REVIEWER_EVIDENCE) -> float:
    """What ``reviews`` reviews of a file are worth beside its best author (1): ``REVIEW_KNOWLEDGE`` for the file's
    most frequent reviewer (``most`` reviews), less by up to ``REVIEW_COUNT_SHARE`` on a log scale for fewer
    (``log(1 + reviews) / log(1 + most)``), times ``review_weight`` of the file's ``coverage`` and the reviewer's
    ``evidence``; 0 for none."""
    if reviews <= 0:
        return 0.0
    relative = math.log1p(reviews) / math.log1p(max(most, reviews))
    return (REVIEW_KNOWLEDGE * (1 - REVIEW_COUNT_SHARE + REVIEW_COUNT_SHARE * relative)
            * review_weight(coverage, evidence))


def review_weight(coverage: float, evidence: int) -> float:
    """How far a review credit of a file stands for knowing it: fully where the file's changes are reviewed
    (``coverage``, its review credits per change, from ``REVIEWED_SHARE`` up: Gerrit's Reviewed-by on every
    commit), else as far as the reviewer is one of the area's people, on a log scale of their ``evidence``
    (``area_evidence``: commits plus touches) that is full from ``REVIEWER_EVIDENCE`` up — one co-author trailer,
    all someone has there, is a little (0.29), ten commits or touches are much (1); the larger of the two."""
    reviewed = min(1.0, coverage / REVIEWED_SHARE)
    known = min(1.0, math.log1p(max(evidence, 0)) / math.log1p(REVIEWER_EVIDENCE))
    return max(reviewed, known)


def review_coverage(edges: list[Any]) -> float:
    """A file's review credits per recorded change (its KNOWS ``edges``: every delivery, by anybody, and its
    adds); 1 when no change is recorded."""
    changes = (max((int(e.get("deliveries") or 0) + int(e.get("acceptances") or 0) for e in edges), default=0)
               + sum(1 for e in edges if e.get("first_authorship")))
    return sum(int(e.get("reviews") or 0) for e in edges) / changes if changes else 1.0


def _most_reviews(edges: list[Any]) -> int:
    return max((int(e.get("reviews") or 0) for e in edges), default=0)


def relative_authorship(edge: Any, best_doa: float, best_own: float) -> float:
    """A person's authorship of a file beside its best author's (1), from their KNOWS ``edge``: their DOA over the
    best of the file's authors still here (``best_doa``, Avelino's normalisation among them), but at most
    ``OWN_WORK_MULTIPLE`` times what their own work on it is of the best's of anyone's (``own_doa``; ``best_own`` the
    file's most, gone people's included: what building the file took)."""
    authorship = max(float(edge.get("doa")), 0.0) / best_doa
    own = own_doa(edge)
    if own is None or best_own <= 0:
        return authorship
    return min(authorship, OWN_WORK_MULTIPLE * max(own, 0.0) / best_own)


def _knowledge_of_file(edges: list[Any], eligible: Callable[[str], bool], fade: Callable[[Any], float],
                       evidence: Mapping[str, int], here: Callable[[str], bool]
                       ) -> dict[str, tuple[float, float | None, int, Any, float]]:
    """Person id -> (knowledge, authorship, reviews, edge, review knowledge) of the eligible people who know one
    file (its KNOWS ``edges``): knowledge is the larger of authorship (``relative_authorship``, beside the best of
    the humans still ``here``, the change's authors included) and ``review_knowledge`` (of the file's
    ``review_coverage`` and the person's ``evidence``), faded."""
    best_doa = max((float(e.get("doa")) for e in edges if e.get("doa") is not None and here(e.source)), default=0.0)
    best_own = max((own_doa(e) or 0.0 for e in edges if e.get("doa") is not None), default=0.0)
    most = _most_reviews(edges)
    coverage = review_coverage(edges)
    out = {}
    for edge in edges:
        if not eligible(edge.source):
            continue
        doa, reviews = edge.get("doa"), int(edge.get("reviews") or 0)
        authorship = relative_authorship(edge, best_doa, best_own) if doa is not None and best_doa > 0 else None
        if authorship is None and not reviews:
            continue
        reviewed = review_knowledge(reviews, most, coverage, evidence.get(edge.source, 0))
        knowledge = max(authorship or 0.0, reviewed) * fade(edge)
        out[edge.source] = (knowledge, authorship, reviews, edge, reviewed)
    return out


def authorship_breadth(authored: int, directory_files: int) -> float:
    """How much of a directory ``authored`` files of its ``directory_files`` others are, as a weight of one's
    authorship there: 1 from ``DIRECTORY_BREADTH`` of them up (any one file of a directory of ten or fewer), in
    proportion below (2 of cmd/flux/'s 248 files: 0.08)."""
    return min(1.0, authored / (DIRECTORY_BREADTH * max(directory_files, 1)))


def _directory_knowledge(edge_lists: list[list[Any]], eligible: Callable[[str], bool], fade: Callable[[Any], float],
                         evidence: Mapping[str, int], here: Callable[[str], bool]) -> dict[str, tuple[float, int, int, str]]:
    """Person id -> (knowledge, files known, reviews, last touch) of the eligible people who know other files of
    a changed file's directory (``edge_lists``: each such file's KNOWS edges, one list a file). Knowledge is the
    larger of the most their reviews of one of those files are worth and the most their authorship of one of
    them is worth times ``authorship_breadth`` of the files they changed there (each faded by their last touch
    of that file, as ``_knowledge_of_file``); reviews are their reviews of all of them."""
    reviewed: dict[str, float] = {}
    authored: dict[str, tuple[float, int]] = {}  # person -> (best faded authorship, files changed)
    out: dict[str, tuple[float, int, int, str]] = {}
    for edges in edge_lists:
        known = _knowledge_of_file(edges, eligible, fade, evidence, here)
        for pid, (_, authorship, reviews, edge, review) in known.items():
            weight = fade(edge)
            reviewed[pid] = max(reviewed.get(pid, 0.0), review * weight)
            if authorship is not None:
                best, count = authored.get(pid, (0.0, 0))
                authored[pid] = (max(best, authorship * weight), count + 1)
            old = out.get(pid, (0.0, 0, 0, ""))
            out[pid] = (0.0, old[1] + 1, old[2] + reviews, max(old[3], str(edge.get("last_touch") or "")))
    for pid, (_, known, reviews, touched) in out.items():
        best, count = authored.get(pid, (0.0, 0))
        knowledge = max(reviewed[pid], best * authorship_breadth(count, len(edge_lists)))
        out[pid] = (knowledge, known, reviews, touched)
    return out


def evidence_weight(evidence: int) -> float:
    """How far a person's knowledge of a change is believed, from how much ``evidence`` there is that they are one of
    the area's people (``area_evidence``): ``evidence / (evidence + EVIDENCE_HALF)`` — a half for two commits or
    touches, 0.9 for eighteen, near 1 for a maintainer's hundreds."""
    return evidence / (evidence + EVIDENCE_HALF) if evidence > 0 else 0.0


def area_evidence(people: Mapping[str, Node], knows: Mapping[str, list[Any]]) -> dict[str, int]:
    """Person id -> their commits in the repository plus their touches of the files read for the change (``knows``:
    the changed files' and their directories' other files' KNOWS edges): each delivery, first authorship and review
    of one of them is one."""
    out: dict[str, int] = {}
    for edges in knows.values():
        for edge in edges:
            touches = (int(edge.get("deliveries") or 0) + (1 if edge.get("first_authorship") else 0)
                       + int(edge.get("reviews") or 0))
            out[edge.source] = out.get(edge.source, 0) + touches
    for pid in out:
        node = people.get(pid)
        out[pid] += int(node.get("commits") or 0) if node is not None else 0
    return out


def _directory_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


#: At most this many other files of a directory are read for its package knowledge (the first by path): a flat
#: folder of thousands of files would otherwise load all their knowledge on every PR check.
MAX_DIRECTORY_FILES = 500


def directory_files(graph: RepoGraph, files: Mapping[str, Node]) -> dict[str, list[str]]:
    """Changed path -> the File node ids of the other files of its directory, as the stored modules list them
    (a module's ``files``), the changed files left out; at most ``MAX_DIRECTORY_FILES``, the first by path."""
    dirs = {_directory_of(p) for p in files}
    out: dict[str, list[str]] = {}
    for module in graph.of_label(Label.MODULE):
        for path in module.get("files") or ():
            if path not in files and _directory_of(path) in dirs:
                out.setdefault(_directory_of(path), []).append(node_id(Label.FILE, graph.repo, path))
    return {p: sorted(set(out.get(_directory_of(p), ())))[:MAX_DIRECTORY_FILES] for p in files}


def _share(edge: Any, edges: list[Any]) -> float:
    """The share of the file's recorded changes (adds and deliveries, by anybody) that this person made."""
    total_deliveries = int(edge.get("deliveries") or 0) + int(edge.get("acceptances") or 0)
    adds = sum(1 for e in edges if e.get("first_authorship"))
    total = total_deliveries + adds
    mine = int(edge.get("deliveries") or 0) + (1 if edge.get("first_authorship") else 0)
    return mine / total if total else 0.0


def suggest_reviewers(
    graph: RepoGraph, changed: Mapping[str, int], authors: Iterable[Any] = (), *,
    limit: int = KNOWLEDGE_SUGGESTIONS, max_suggestions: int = MAX_SUGGESTIONS,
    index: PersonIndex | None = None, gone: Mapping[str, str] | None = None,
    read_components: Callable[[set[str]], None] | None = None, components: Mapping[str, str | None] | None = None,
    co_authors: Iterable[Any] = (), duplicates: "LikelyDuplicates | None" = None,
    read_latest_commits: Callable[[list[str]], Mapping[str, list[PathCommit]]] | None = None,
) -> list[SuggestedReviewer]:
    """Ranked reviewers for a change (see the module docstring).

    ``changed`` maps each changed path (both names of a rename) to the lines
    added plus removed there; ``authors`` are the change's identities, as
    strings (``"Name <email>"``, a name, an e-mail, ``@login``), (name, email)
    pairs or objects with ``name`` and ``email``. ``index`` and ``gone``
    (``gone_people``) are computed when not given. ``read_components`` is
    called with the components of the changed files nobody eligible knows
    before their other files stand in: a caller holding part of the stored
    graph adds those files and the knowledge of them. ``components`` maps
    changed paths to their components (``pr_check.changed_components``):
    read when no changed path is a stored file. ``co_authors`` are the change's
    co-authors who may review it (``writers_and_co_authors``): each suggested
    is said to have co-authored it. ``duplicates``: the likely duplicates among the graph's people
    (``LikelyDuplicates``), worked out when first asked unless given. ``read_latest_commits`` reads the latest
    commits of paths from git (``ingest.path_history.latest_commits`` at the change's base), asked when no changed
    path is a stored file (``_latest_authors``). Returns the suggestions, best first.
    """
    people = {n.id: n for n in graph.of_label(Label.PERSON)}
    index = index or PersonIndex(people.values())
    if gone is None:
        gone, _ = gone_people(graph, index)
    duplicates = duplicates or LikelyDuplicates(people)
    authors_ids = duplicates.with_those_of(change_authors(index, authors))
    co_author_ids = change_authors(index, co_authors) - authors_ids

    def here(pid: str) -> bool:
        node = people.get(pid)
        return node is not None and (node.get("kind") or "human") == "human" and pid not in gone

    def eligible(pid: str) -> bool:
        return here(pid) and pid not in authors_ids

    files = {p: graph.node(Label.FILE, p) for p in changed}
    files = {p: n for p, n in files.items() if n is not None}
    tests = {p for p in files if is_test_file(p)}
    beside_code = tests if len(tests) < len(files) else set()  # test files in a change that also changes code

    def lines(path: str) -> float:
        changed_lines = max(int(changed[path] or 0), 1)
        return changed_lines * TEST_LINES_WEIGHT if path in beside_code else changed_lines

    total_lines = sum(lines(p) for p in files) or 1
    repository = graph.node(Label.REPOSITORY, graph.repo)
    newest = parse_time(repository.get("newest_commit_at")) if repository is not None else None
    siblings = directory_files(graph, files)
    knows = _file_knowledge(graph, {n.id for n in files.values()} | {fid for ids in siblings.values() for fid in ids})
    fade = lambda edge: weight_now(parse_time(edge.get("last_touch")), newest)  # noqa: E731
    evidence = area_evidence(people, knows)
    candidates: dict[str, _Candidate] = {}
    leaders: set[str] = set()  # who knows a changed file best of those who may review it
    for path, node in files.items():
        weight = lines(path) / total_lines
        edges = knows.get(node.id, [])
        direct = _knowledge_of_file(edges, eligible, fade, evidence, here)
        around = _directory_knowledge([knows.get(fid, []) for fid in siblings.get(path, ())], eligible, fade, evidence,
                                      here)
        best_here: tuple[float, list[str]] = (0.0, [])
        for pid in direct.keys() | around.keys():
            knowledge, authorship, reviews, edge, _ = direct.get(pid, (0.0, None, 0, None, 0.0))
            in_directory, known_there, reviews_there, _ = around.get(pid, (0.0, 0, 0, ""))
            from_directory = DIRECTORY_KNOWLEDGE * in_directory > knowledge
            believed = evidence_weight(evidence.get(pid, 0))
            knowledge = max(knowledge, DIRECTORY_KNOWLEDGE * in_directory) * believed
            if knowledge <= 0 and edge is None:
                continue
            cand = candidates.setdefault(pid, _Candidate(pid))
            cand.score += weight * knowledge
            cand.most = max(cand.most, knowledge)
            if edge is not None:
                cand.files.add(path)
                cand.last_touch = max(cand.last_touch, str(edge.get("last_touch") or ""))
            rank = (path not in beside_code, weight * knowledge)
            if rank > cand.best[0]:
                # the reasons name their work on the file when there is any, with their reviews of it, then the
                # directory when it weighed more; their reviews of a file they never changed when they weighed more
                worked = authorship is not None
                cand.best = (rank, path, _share(edge, edges) if worked else 0.0,
                             reviews if worked or not from_directory else 0)
                cand.directory = (_directory_of(path), known_there, reviews_there) if from_directory else None
            if knowledge > best_here[0]:
                best_here = (knowledge, [pid])
            elif knowledge == best_here[0] > 0:
                best_here[1].append(pid)
        leaders.update(best_here[1])
        for pid, (_, _, _, touched) in around.items():
            if pid in candidates and not candidates[pid].files:
                candidates[pid].last_touch = max(candidates[pid].last_touch, touched)

    orphaned = {p: files[p].get("component") for p in files if not any(p in c.files for c in candidates.values())}
    weights = {p: lines(p) / total_lines for p in orphaned}
    latest_read: set[str] = set()  # the changed paths whose latest commits were read (none stored)
    reviewer_made_one = False  # whether someone who may review made one of those commits
    if not files:  # only paths the store has no file for: documentation, go.mod, test data
        untracked_lines = sum(max(int(changed[p] or 0), 1) for p in changed) or 1
        untracked = {p: max(int(changed[p] or 0), 1) / untracked_lines for p in changed}
        known: set[str] = set()
        if read_latest_commits is not None:
            latest_read, reviewer_made_one, known = _latest_authors(read_latest_commits, untracked, index, eligible,
                                                                    newest, candidates)
        if components:
            orphaned = {p: components.get(p) for p in changed if p not in known}
            weights = untracked
    orphaned = {p: c for p, c in orphaned.items() if c}
    if orphaned:
        if read_components is not None:
            read_components({str(c) for c in orphaned.values()})
        _component_stand_ins(graph, orphaned, weights, candidates, eligible)

    ranked = sorted(candidates.values(), key=lambda c: (-c.score, _neg_time(c.last_touch), str(people[c.person_id].get("name") or "")))
    floor = ranked[0].score * SMALLEST_SHARE_OF_BEST if ranked else 0.0
    chosen = [c for c in ranked if c.score > 0 and c.most >= MIN_KNOWLEDGE
              and (c.score >= floor or c.person_id in leaders)][:limit]
    for owner_id, pattern in _knowledgeable_owners(graph, files, eligible):
        cand = candidates.get(owner_id) or _Candidate(owner_id)
        if pattern not in cand.owner_of:
            cand.owner_of.append(pattern)
        if not any(c is cand for c in chosen):
            chosen.append(cand)
    if not chosen and changed:
        chosen = _repository_stand_ins(people, eligible, _nobody_known(files, latest_read, reviewer_made_one))
    chosen, also = _one_per_person(people, chosen, duplicates)
    return [_suggestion(people[c.person_id], c, c.person_id in co_author_ids, also.get(c.person_id, ()))
            for c in chosen[:max_suggestions]]


class LikelyDuplicates:
    """The pairs of humans likely one person not merged (``queries.people.likely_duplicates``), as Person node ids,
    found among every human (some reasons depend on who else bears a name) when first asked."""

    def __init__(self, people: Mapping[str, Node]) -> None:
        self.people = people
        self._pairs: list[tuple[str, str]] | None = None

    @property
    def pairs(self) -> list[tuple[str, str]]:
        if self._pairs is None:
            humans = [n for n in self.people.values() if (n.get("kind") or "human") == "human"]
            ids = {n.key: n.id for n in humans}
            self._pairs = [(ids[a], ids[b]) for a, b in (d["people"] for d in likely_duplicates_among(humans))]
        return self._pairs

    def with_those_of(self, ids: set[str]) -> set[str]:
        """``ids`` and the likely duplicates of each: a change's author under another identity does not review it
        (mitmproxy's 6fa0a50ac by "tbodt <tblodt@icloud.com>", and "tbodt (tbodt@tbodt.com)" suggested)."""
        if not ids:
            return ids
        return ids | {b for a, b in self.pairs if a in ids} | {a for a, b in self.pairs if b in ids}


def _one_per_person(people: Mapping[str, Node], chosen: list[_Candidate],
                    duplicates: LikelyDuplicates) -> tuple[list[_Candidate], dict[str, list[str]]]:
    """``chosen`` without the later of two suggestions that are likely one person not merged
    (``queries.people.likely_duplicates``: identity resolution never merges one-word names, so TanStack Query's
    "kimchosule", one commit, and "kimchosule" <kimchosule1@…>, known from a co-author trailer the same day, were
    both suggested for b4368c437); person id -> the names of those left out, said beside the one kept. The pairs are
    found among every human (some reasons depend on who else bears a name), kept when both were chosen."""
    if len(chosen) < 2:
        return chosen, {}
    ids = {c.person_id for c in chosen}
    pairs = [pair for pair in duplicates.pairs if all(pid in ids for pid in pair)]
    rank = {c.person_id: i for i, c in enumerate(chosen)}
    dropped: set[str] = set()
    also: dict[str, list[str]] = {}
    for a, b in sorted((sorted(pair, key=rank.__getitem__) for pair in pairs), key=lambda p: rank[p[0]]):
        if a in dropped or b in dropped:
            continue
        dropped.add(b)
        also.setdefault(a, []).append(str(people[b].get("name") or people[b].key))
    return [c for c in chosen if c.person_id not in dropped], also


def _repository_stand_ins(people: Mapping[str, Node], eligible: Callable[[str], bool],
                          why: str = "nobody still here knows the changed files") -> list[_Candidate]:
    """When nobody still here knows a changed file, nor another file of its component: the people still active in
    the repository who made most of its commits, with knowledge 0 and ``why`` said (``_nobody_known``;
    openedx/credentials' api, whose authors have all left, had no suggestion at all for a fix of its views)."""
    here = [p for pid, p in people.items() if eligible(pid) and int(p.get("commits") or 0) > 0]
    here.sort(key=lambda p: (-int(p.get("commits") or 0), str(p.get("name") or "")))
    out = []
    for person in here[:REPOSITORY_STAND_INS]:
        last = str(person.get("last_active") or "")
        cand = _Candidate(person.id, last_touch=last)
        commits = int(person.get("commits") or 0)
        cand.stand_in = (f"{why}; active in the repository ({commits} "
                         f"commit{'s' if commits != 1 else ''}{', last ' + last[:10] if last else ''})")
        out.append(cand)
    return out


def _nobody_known(files: Mapping[str, Any], latest_read: set[str], reviewer_made_one: bool) -> str:
    """Why the repository's people stand in: of a change of paths the store keeps no file for (documentation,
    configuration), that Cairn keeps no history of them — and when their latest commits were read (``latest_read``),
    that nobody who may review made them, or few —, not that nobody knows them (celery's docs and requirements, which
    8 active people had edited)."""
    if files:
        return "nobody still here knows the changed files"
    if reviewer_made_one:
        return "Cairn keeps no history of the changed files and who may review made few of their latest commits"
    if latest_read:
        return "Cairn keeps no history of the changed files and nobody who may review made their latest commits"
    return "Cairn keeps no history of the changed files (documentation, configuration)"


def _latest_authors(read: Callable[[list[str]], Mapping[str, list[PathCommit]]], weights: Mapping[str, float],
                    index: PersonIndex, eligible: Callable[[str], bool], newest: Any,
                    candidates: dict[str, _Candidate]) -> tuple[set[str], bool, set[str]]:
    """Credit the eligible people who made the latest commits of changed paths the store keeps no file for
    (``queries.path_knowledge``; ``weights``: path -> its share of the change's lines, the largest read first):
    their commits there weighed by their latest over the most a human's weigh (``relative``, as authorship is a
    file's DOA over its best), believed as far as the evidence goes (``evidence_weight`` of their commits in the
    repository and there), each reason saying what they did there. Returns (the paths read, whether someone eligible
    made one of their commits, the paths someone eligible knows at ``MIN_KNOWLEDGE``: their components' people do
    not stand in for them)."""
    latest = read(sorted(weights, key=lambda p: (-weights[p], p)))
    known: set[str] = set()
    seen = False
    reasons: dict[str, float] = {}  # person -> the weighed knowledge their reason names
    for path, knowers in path_knowers(latest, index, newest).items():
        for knower in knowers:
            pid = knower.person.id
            if not eligible(pid):
                continue
            seen = True
            believed = evidence_weight(int(knower.person.get("commits") or 0) + knower.commits)
            knowledge = knower.relative * believed
            cand = candidates.setdefault(pid, _Candidate(pid))
            cand.score += weights[path] * knowledge
            cand.most = max(cand.most, knowledge)
            cand.last_touch = max(cand.last_touch, knower.last_touch)
            if weights[path] * knowledge > reasons.get(pid, -1.0):
                reasons[pid] = weights[path] * knowledge
                cand.stand_in = knower.evidence
            if knowledge >= MIN_KNOWLEDGE:
                known.add(path)
    return set(latest), seen, known


def _component_stand_ins(graph: RepoGraph, orphaned: Mapping[str, str], weights: Mapping[str, float],
                         candidates: dict[str, _Candidate], eligible: Any) -> None:
    """Credit the eligible authors of the other files of an orphaned changed path's component (``orphaned``: path ->
    component), at half its ``weights`` (its share of the change's weighed lines)."""
    by_component: dict[str, list[str]] = {}
    for node in graph.of_label(Label.FILE):
        if node.get("component"):
            by_component.setdefault(node["component"], []).append(node.id)
    authored: dict[str, dict[str, int]] = {}  # component -> person -> files authored there
    wanted = set(orphaned.values())
    members = {fid: comp for comp in wanted for fid in by_component.get(comp, [])}
    for edge in graph.of_type(Rel.KNOWS):
        comp = members.get(edge.target)
        if comp is not None and edge.get("author") is not False and edge.get("doa") is not None and eligible(edge.source):
            authored.setdefault(comp, {})[edge.source] = authored.setdefault(comp, {}).get(edge.source, 0) + 1
    for path, comp in orphaned.items():
        weight = weights[path]
        own = node_id(Label.FILE, graph.repo, path)  # an untracked path is none of its component's files
        size = max(sum(1 for fid in by_component.get(comp, []) if fid != own), 1)
        for person, count in authored.get(comp, {}).items():
            cand = candidates.setdefault(person, _Candidate(person))
            cand.score += 0.5 * weight * min(count / size, 1.0)
            cand.most = max(cand.most, 0.5 * min(count / size, 1.0))
            if not cand.best[1] and not cand.stand_in:
                cand.stand_in = f"knows {count} other file{'s' if count != 1 else ''} of component {comp}"


def _neg_time(value: str) -> tuple:
    """Newer first: an ISO time with its characters inverted sorts descending; no time at all sorts last."""
    return (0, tuple(-ord(ch) for ch in value)) if value else (1, ())


def _knowledgeable_owners(graph: RepoGraph, files: Mapping[str, Any], eligible: Any) -> list[tuple[str, str]]:
    """(person id, CODEOWNERS pattern) for owners of the changed files who know a file their entry covers."""
    changed_ids = {n.id for n in files.values()}
    rules: dict[tuple[str, Any], str] = {}  # (owner, rule line) -> pattern, for rules deciding a changed file
    for edge in graph.of_type(Rel.OWNS):
        if edge.target in changed_ids and graph.nodes[edge.source].label is Label.PERSON:
            rules[(edge.source, edge.get("line"))] = str(edge.get("pattern") or "")
    if not rules:
        return []
    covered: dict[tuple[str, Any], set[str]] = {}
    for edge in graph.of_type(Rel.OWNS):
        key = (edge.source, edge.get("line"))
        if key in rules and graph.nodes[edge.target].label is Label.FILE:
            covered.setdefault(key, set()).add(edge.target)
    known: dict[str, set[str]] = {}
    for edge in graph.of_type(Rel.KNOWS):
        known.setdefault(edge.source, set()).add(edge.target)
    out = []
    for (owner, line), pattern in sorted(rules.items(), key=lambda item: (str(item[0][1]), item[0][0])):
        if eligible(owner) and known.get(owner, set()) & covered.get((owner, line), set()):
            out.append((owner, pattern))
    return out


def _suggestion(node: Node, cand: _Candidate, co_authored: bool = False, also: Iterable[str] = ()) -> SuggestedReviewer:
    reasons = ["co-authored this change"] if co_authored else []
    _, path, share, reviews = cand.best
    if path:
        counted = f"{reviews} review{'s' if reviews != 1 else ''}"
        if share > 0:
            # (the share of its changes, not of its lines: kit's "wrote 24 % of vite/utils.js" was 12 of ~40 commits and
            # 10 of 247 blamed lines)
            done = f"made {round(100 * share)} % of the changes to {path}" if share >= 0.005 else f"changed {path}"
            reasons.append(done + (f" and reviewed it ({counted})" if reviews else ""))
        if cand.directory is not None:
            directory, count, reviews = cand.directory
            # ("5 other files, 2 reviews": "2 reviews of 5 other files" read as reviews of each)
            reviewed = f", {reviews} review{'s' if reviews != 1 else ''}" if reviews else ""
            where = f"{directory}/" if directory else "the top directory"
            reasons.append(f"knows {where} ({count} other file{'s' if count != 1 else ''}{reviewed})")
        elif share <= 0:
            reasons.append(f"reviewed {path} ({counted})" if reviews else f"knows {path}")
        others = len(cand.files - {path})
        if others > 0:
            reasons.append(f"knows {others} more changed file{'s' if others != 1 else ''}")
    elif cand.stand_in:
        reasons.append(cand.stand_in)
    reasons += [f"CODEOWNER of {pattern}" for pattern in cand.owner_of]
    reasons += [f"likely also {name!r} (not merged: see `cairn people`)" for name in also]
    return SuggestedReviewer(str(node.get("name") or node.key), node.key, round(cand.score, 4), tuple(reasons),
                             cand.last_touch or None)
