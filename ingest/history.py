"""Knowledge from git history: one streaming ``git log``, then Person nodes and Person -KNOWS-> File edges.

The log is read once, as a stream (memory grows with the number of distinct
paths and people, never with the number of commits)::

    git log HEAD -M --name-status -z --use-mailmap --no-diff-merges --format=<compact>

What is recorded, following Avelino et al.'s reference implementation
(aserg-ufmg/Truck-Factor, ``DOACalculator``), for every path as it was named
in each commit and every identity: ``A`` (the path was added: first
authorship), ``M`` and ``R`` (a delivery; a rename counts as one, as in the
reference), the newest touch, and review credit. ``D`` and type changes are
ignored, as in the reference. Merge commits carry no file changes and give no
authorship.

Renames. The history of a path present at HEAD is the records of that path
plus, transitively, those of every path renamed into it (``R old new`` links
``old`` to ``new``), which handles rename chains (a -> b -> c) and is
independent of commit order, so parallel branches that modify a file while
another renames it are still credited to the renamed file. This is exactly the
reference's expansion; its known imprecision is kept: a path re-used after its
file was renamed away also passes the new file's records to the renamed one.

Who gets what:

* human authors: first authorship and deliveries (the paper's knowledge);
* bots and agents: their changes are recorded (they are changes "by others"
  for everybody else, the paper's AC), but they never become authors;
* review credit (``reviews``: one per touched file and commit) goes to
  ``Reviewed-by`` trailers on any commit, to ``Co-authored-by`` /
  ``Co-developed-by`` trailers on any commit (the paper counts only the
  author; a co-author on a human commit worked on the change, so Cairn gives
  them review credit, which the paper's truck factor ignores), and to the
  committer of a commit authored by an agent. Only humans keep it.

Agent markers. A commit message line that names an agent ("Generated with
[Claude Code]", "Coded with Claude", a Codex or Devin task link…; see
``ingest.agent_markers``) counts as a ``Co-authored-by`` trailer naming that
agent.

Observers. ``mine_history(..., observer=f)`` calls ``f`` with a
``CommitRecord`` for every commit of the stream (merges included, with no
changes), in stream order: what the change analyses (``ingest.cochange``)
build on, from this same single pass. Identities in a record are raw indexes;
``History.identity_person`` maps them to people once the pass is over.

Degree of authorship (Fritz et al., as used by Avelino et al.):
``DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)``, FA = 1 if the
person added the file (any add by them, as the reference's ``doaMultAuthor``),
DL = their deliveries, AC = deliveries by everybody else (bots and agents
included). Who counts as an author from these numbers is decided in
``queries.ownership``.
"""

from __future__ import annotations

import io
import math
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.config import IdentitySettings
from cairn.ingest.identities import (
    AGENT, HUMAN, Classifier, Person, Mailmap, check_mailmap, is_valid_email, normalise_email, read_mailmap,
    parse_contact, resolve_identities,
)

#: ``progress(commits_read, total_commits)``
HistoryProgress = Callable[[int, int], None]

DOA_BASE, DOA_FA, DOA_DL, DOA_AC = 3.293, 1.098, 0.164, 0.321

CO_AUTHOR_KEYS = ("co-authored-by", "co-developed-by")
REVIEW_KEYS = ("reviewed-by",)
_TRAILERS = ",".join(f"key={k.capitalize()}" for k in CO_AUTHOR_KEYS + REVIEW_KEYS)
# Fields: parents, author name/e-mail/time, committer name/e-mail/time, trailers, hash, message.
LOG_FORMAT = (
    "%x1e%P%x1f%aN%x1f%aE%x1f%at%x1f%cN%x1f%cE%x1f%ct%x1f"
    f"%(trailers:{_TRAILERS},unfold,separator=%x1d,key_value_separator=%x1c)"
    "%x1f%H%x1f%B"
)
CHUNK_CHARS = 1 << 20

# Per (path, identity) record, a small list for speed: [adds, deliveries, last_touch, reviews].
ADDS, DELIVERIES, LAST, REVIEWS = 0, 1, 2, 3


def degree_of_authorship(first_authorship: bool, deliveries: int, acceptances: int) -> float:
    return DOA_BASE + DOA_FA * (1 if first_authorship else 0) + DOA_DL * deliveries - DOA_AC * math.log(1 + acceptances)


@dataclass(frozen=True)
class FileKnowledge:
    """What one person has done to one file present at HEAD (its whole rename history)."""

    first_authorship: bool
    deliveries: int
    acceptances: int
    reviews: int
    last_touch: int  # epoch seconds

    @property
    def is_candidate(self) -> bool:
        """Has an authorship record (an add or a delivery); review-only knowledge has none."""
        return self.first_authorship or self.deliveries > 0

    @property
    def doa(self) -> float | None:
        return degree_of_authorship(self.first_authorship, self.deliveries, self.acceptances) if self.is_candidate else None


@dataclass(slots=True)
class CommitRecord:
    """One commit as the stream gave it, for observers (see the module docstring)."""

    sha: str
    parents: list[str]
    author: int  # raw identity index
    authored: int  # epoch seconds
    committed: int
    #: raw identities credited besides the author: co-authors, Reviewed-by, an agent's committer, marked agents
    credited: list[int]
    #: (status letter, path, old path for R/C else None), merges have none
    changes: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def merge(self) -> bool:
        return len(self.parents) > 1


CommitObserver = Callable[[CommitRecord], None]


@dataclass
class PersonHistory:
    person: Person
    commits: int = 0  # non-merge commits authored
    last_active: int | None = None  # epoch seconds


@dataclass
class History:
    """The result of reading a repository's history, before it is attached to a graph."""

    people: list[PersonHistory] = field(default_factory=list)
    #: path (as named in some commit) -> person index -> [adds, deliveries, last_touch, reviews]
    path_records: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    #: new path -> paths renamed into it
    renamed_from: dict[str, set[str]] = field(default_factory=dict)
    commits: int = 0
    merges: int = 0
    agent_commits: int = 0
    bot_commits: int = 0
    newest_commit_at: int | None = None
    shallow: bool = False
    notes: list[str] = field(default_factory=list)
    #: the configured agents/bots/humans patterns, so later readers (the PR check) classify alike
    identity_patterns: dict[str, list[str]] = field(default_factory=dict)
    #: raw identity index (as in ``CommitRecord``) -> index into ``people``
    identity_person: list[int] = field(default_factory=list)

    def lineage(self, path: str) -> list[str]:
        """The path and every path renamed into it, transitively."""
        seen = {path}
        todo = [path]
        while todo:
            for old in self.renamed_from.get(todo.pop(), ()):
                if old not in seen:
                    seen.add(old)
                    todo.append(old)
        return list(seen)

    def file_knowledge(self, path: str) -> dict[int, FileKnowledge]:
        """Per person index, what they did to ``path`` over its rename history (all kinds of people)."""
        merged: dict[int, list[int]] = {}
        for name in self.lineage(path):
            for person, rec in self.path_records.get(name, {}).items():
                acc = merged.get(person)
                if acc is None:
                    merged[person] = list(rec)
                else:
                    acc[ADDS] += rec[ADDS]
                    acc[DELIVERIES] += rec[DELIVERIES]
                    acc[REVIEWS] += rec[REVIEWS]
                    if rec[LAST] > acc[LAST]:
                        acc[LAST] = rec[LAST]
        total = sum(rec[DELIVERIES] for rec in merged.values())
        return {
            person: FileKnowledge(rec[ADDS] > 0, rec[DELIVERIES], total - rec[DELIVERIES], rec[REVIEWS], rec[LAST])
            for person, rec in merged.items()
        }

    def human_knowledge(self, path: str) -> dict[int, FileKnowledge]:
        """Like ``file_knowledge``, restricted to humans who authored or reviewed the file."""
        out = {}
        for person, k in self.file_knowledge(path).items():
            if self.people[person].person.kind == HUMAN and (k.is_candidate or k.reviews > 0):
                out[person] = k
        return out


class _Identities:
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
    """Undo surrogate escapes from non-UTF-8 bytes: names are shown, so they get replacement characters."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, errors="replace", check=False)


def _iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def mine_history(
    root: Path, identities: IdentitySettings | None = None, progress: HistoryProgress | None = None, *,
    markers: MarkerMatcher | None = None, observer: CommitObserver | None = None,
) -> History:
    """Read the whole history of HEAD at ``root`` in one streaming ``git log``.

    ``markers`` finds agents named in messages (default: the built-in markers);
    ``observer`` is called with every commit's ``CommitRecord``.

    Never raises for repository problems (not a repository, no commits, a
    failing ``git``): they become notes on the returned ``History``.
    """
    root = Path(root)
    settings = identities or IdentitySettings()
    history = History(identity_patterns={"agents": list(settings.agents), "bots": list(settings.bots),
                                         "humans": list(settings.humans)})
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except OSError as exc:
        history.notes.append(f"git is not available ({exc.strerror or exc}): no history read")
        return history
    if inside.returncode != 0:
        history.notes.append(f"{root} is not a git repository: no history read")
        return history
    if _git(root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        history.notes.append("the repository has no commits yet: no history, no knowledge")
        return history
    history.shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    if history.shallow:
        history.notes.append(
            "shallow clone: history is incomplete, so first authorship and knowledge are missing for older work "
            "(run `git fetch --unshallow` for a full picture)"
        )
    mailmap = read_mailmap(root)
    history.notes.extend(mailmap.problems)

    total = 0
    if progress is not None:
        counted = _git(root, "rev-list", "--count", "HEAD")
        total = int(counted.stdout.strip() or 0) if counted.returncode == 0 else 0
        progress(0, total)

    markers = markers or MarkerMatcher.build()
    classifier_settings = settings.model_copy(update={"agents": list(settings.agents) + markers.identity_patterns})
    ids = _Identities(Classifier.from_settings(classifier_settings))
    records: dict[str, dict[int, list[int]]] = {}
    renames: set[tuple[str, str]] = set()
    committer_seen: dict[tuple[str, str], int] = {}
    last_active: dict[int, int] = {}
    commits_by: dict[int, int] = {}
    newest = 0
    commits = merges = agent_commits = bot_commits = bad_email = 0
    intern = ids.intern
    kinds = ids.kinds
    weights = ids.weights

    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            ["git", "-C", str(root), "-c", "log.showSignature=false", "log", "HEAD", "-M", "--name-status", "-z",
             "--use-mailmap", "--no-diff-merges", "--no-color", f"--format={LOG_FORMAT}", "--"],
            stdout=subprocess.PIPE, stderr=errors,
        )
        assert proc.stdout is not None
        stream = io.TextIOWrapper(proc.stdout, encoding="utf-8", errors="surrogateescape", newline="")
        author = 0
        when = 0
        credit = False  # the current commit's file lines give credit (not a merge)
        reviewers: list[int] = []
        record: CommitRecord | None = None
        pending = 0
        status = ""
        old_path = ""
        rest = ""
        try:
            while True:
                chunk = stream.read(CHUNK_CHARS)
                if not chunk:
                    break
                tokens = (rest + chunk).split("\0")
                rest = tokens.pop()
                for tok in tokens:
                    if pending:
                        if pending == 2:
                            old_path = tok
                            pending = 1
                            continue
                        pending = 0
                        if not credit:
                            continue
                        if record is not None:
                            record.changes.append((status, tok, old_path if status in "RC" else None))
                        if status == "R":
                            renames.add((old_path, tok))
                            slot = DELIVERIES
                        elif status == "M":
                            slot = DELIVERIES
                        elif status == "A":
                            slot = ADDS
                        else:  # D, T, C…: not part of the reference's record
                            continue
                        per_path = records.get(tok)
                        if per_path is None:
                            per_path = records[tok] = {}
                        rec = per_path.get(author)
                        if rec is None:
                            per_path[author] = rec = [0, 0, when, 0]
                        rec[slot] += 1
                        if when > rec[LAST]:
                            rec[LAST] = when
                        for r in reviewers:
                            rec = per_path.get(r)
                            if rec is None:
                                per_path[r] = rec = [0, 0, when, 0]
                            rec[REVIEWS] += 1
                            if when > rec[LAST]:
                                rec[LAST] = when
                        continue
                    if not tok:
                        continue
                    first = tok[0]
                    if first == "\x1e":
                        fields = tok[1:].split("\x1f", 8)
                        if len(fields) < 8:
                            credit = False
                            continue
                        parents, a_name, a_email, a_time, c_name, c_email, c_time, trailers = fields[:8]
                        sha, _, message = fields[8].partition("\x1f") if len(fields) > 8 else ("", "", "")
                        commits += 1
                        author = intern(a_name, a_email)
                        weights[author] += 1
                        when = int(a_time or 0)
                        committed = int(c_time or 0)
                        if committed > newest:
                            newest = committed
                        if when > newest:
                            newest = when
                        if when > last_active.get(author, -1):
                            last_active[author] = when
                        if (c_name, c_email) != (a_name, a_email):
                            key = (c_name, c_email)
                            if committed > committer_seen.get(key, -1):
                                committer_seen[key] = committed
                        if observer is not None:
                            if record is not None:
                                observer(record)
                            record = CommitRecord(sha, parents.split(), author, when, committed, [])
                        if " " in parents:
                            merges += 1
                            credit = False
                            continue
                        credit = True
                        commits_by[author] = commits_by.get(author, 0) + 1
                        if "@" not in a_email:
                            bad_email += 1
                        kind = kinds[author]
                        reviewers = []
                        if kind != HUMAN:
                            if kind == AGENT:
                                agent_commits += 1
                                if (c_name, c_email) != (a_name, a_email):
                                    reviewers.append(intern(c_name, c_email))
                            else:
                                bot_commits += 1
                        if trailers:
                            for trailer in trailers.split("\x1d"):
                                key, _, value = trailer.partition("\x1c")
                                contact = parse_contact(value)
                                if contact is None:
                                    continue
                                person = intern(contact[0], contact[1], trailer=True)
                                if person != author and person not in reviewers:
                                    reviewers.append(person)
                                    weights[person] += 1
                                    if committed > last_active.get(person, -1):
                                        last_active[person] = committed
                        for name, email in markers.agents_in(message) if message else ():
                            person = intern(name, email, trailer=True)
                            if person != author and person not in reviewers:
                                reviewers.append(person)
                                weights[person] += 1
                                if committed > last_active.get(person, -1):
                                    last_active[person] = committed
                        if record is not None:
                            record.credited = reviewers
                        if progress is not None and commits % 1000 == 0:
                            progress(commits, max(total, commits))
                    else:
                        if first == "\n":
                            tok = tok[1:]
                            if not tok:
                                continue
                            first = tok[0]
                        status = first
                        pending = 2 if first in "RC" else 1
            if record is not None:
                observer(record)
        finally:
            stream.close()
            code = proc.wait()
        errors.seek(0)
        stderr = errors.read().decode("utf-8", errors="replace")

    if code != 0:
        first_line = next((line for line in stderr.splitlines() if line.strip()), f"exit status {code}")
        history.notes.append(f"git log failed, history is incomplete: {first_line.strip()}")
    if "rename detection was skipped" in stderr:
        history.notes.append(
            "git skipped rename detection in some large commits (diff.renameLimit): files renamed there start a new history"
        )
    if bad_email:
        history.notes.append(f"{bad_email} commit(s) with an empty or malformed author e-mail: those authors are matched by name only")
    if progress is not None:
        progress(commits, max(total, commits))

    _finish(root, history, ids, records, renames, committer_seen, last_active, commits_by, mailmap)
    history.commits = commits
    history.merges = merges
    history.agent_commits = agent_commits
    history.bot_commits = bot_commits
    history.newest_commit_at = newest or None
    replaced = sum(1 for name, email in ids.raw if "\ufffd" in name or "\ufffd" in email)
    if replaced:
        history.notes.append(f"{replaced} identit(y/ies) with non-UTF-8 names: shown with replacement characters")
    return history


def _finish(
    root: Path, history: History, ids: _Identities, records: dict[str, dict[int, list[int]]],
    renames: set[tuple[str, str]], committer_seen: dict[tuple[str, str], int], last_active: dict[int, int],
    commits_by: dict[int, int], mailmap: Mailmap,
) -> None:
    """Resolve raw identities into people and re-key every record by person."""
    # Trailers bypass --use-mailmap: map them now, as authors were.
    trailer_only = [i for i, flag in enumerate(ids.from_trailer) if flag]
    if trailer_only:
        contacts = {i: f"{ids.raw[i][0]} <{ids.raw[i][1]}>" for i in trailer_only}
        mapped = check_mailmap(root, contacts.values())
        for i, contact in contacts.items():
            target = parse_contact(mapped.get(contact, contact))
            if target is not None and target != ids.raw[i]:
                ids.raw[i] = target
                ids.kinds[i] = ids.classifier.kind(*target)

    # Committers only matter for people seen otherwise (an agent's committer was interned already).
    by_email: dict[str, int] = {}
    for i, (_, raw_email) in enumerate(ids.raw):
        by_email.setdefault(normalise_email(raw_email), i)
    committer_time: dict[int, int] = {}
    for (name, email), when in committer_seen.items():
        idx = ids.index.get((name, email))
        if idx is None:
            address = normalise_email(email)
            idx = by_email.get(address) if is_valid_email(address) else None
        if idx is not None and when > committer_time.get(idx, -1):
            committer_time[idx] = when
    people, person_of = resolve_identities(ids.raw, ids.kinds, ids.weights)
    for p in people:  # old identities .mailmap folded into this person are aliases too (for --leaving)
        extra = set().union(*(mailmap.old_identities.get(e, set()) for e in p.emails)) if p.emails else set()
        if extra:
            p.aliases = sorted(set(p.aliases) | extra)
    history.people = [PersonHistory(p) for p in people]
    history.identity_person = list(person_of)
    for raw_idx, person_idx in enumerate(person_of):
        ph = history.people[person_idx]
        ph.commits += commits_by.get(raw_idx, 0)
        for when in (last_active.get(raw_idx), committer_time.get(raw_idx)):
            if when is not None and (ph.last_active is None or when > ph.last_active):
                ph.last_active = when

    identity_map = person_of
    if all(identity_map[i] == i for i in range(len(identity_map))):
        history.path_records = records
    else:
        rekeyed: dict[str, dict[int, list[int]]] = {}
        for path, per_raw in records.items():
            per_person: dict[int, list[int]] = {}
            for raw_idx, rec in per_raw.items():
                p = identity_map[raw_idx]
                acc = per_person.get(p)
                if acc is None:
                    per_person[p] = list(rec)
                else:
                    acc[ADDS] += rec[ADDS]
                    acc[DELIVERIES] += rec[DELIVERIES]
                    acc[REVIEWS] += rec[REVIEWS]
                    acc[LAST] = max(acc[LAST], rec[LAST])
            rekeyed[path] = per_person
        history.path_records = rekeyed
    for old, new in renames:
        if old != new:
            history.renamed_from.setdefault(new, set()).add(old)


def add_knowledge(graph: RepoGraph, history: History) -> None:
    """Person nodes, Person -KNOWS-> File edges for the File nodes in ``graph``, and history facts on the Repository.

    KNOWS edges (humans only): ``first_authorship``, ``deliveries``,
    ``acceptances`` (AC: deliveries by everybody else, bots and agents
    included), ``doa`` (None when the person only reviewed the file),
    ``reviews``, ``last_touch`` (ISO).
    """
    person_nodes: dict[int, object] = {}
    for index, ph in enumerate(history.people):
        p = ph.person
        if ph.commits == 0 and ph.last_active is None:
            continue
        person_nodes[index] = graph.add_node(
            Label.PERSON, p.id, name=p.name, emails=p.emails, aliases=p.aliases, kind=p.kind, github=p.github,
            last_active=_iso(ph.last_active), commits=ph.commits,
        )
    for file_node in graph.of_label(Label.FILE):
        for index, k in history.human_knowledge(file_node.key).items():
            node = person_nodes.get(index)
            if node is None:
                continue
            doa = k.doa
            graph.add_edge(
                Rel.KNOWS, node, file_node, first_authorship=k.first_authorship, deliveries=k.deliveries,
                acceptances=k.acceptances, doa=None if doa is None else round(doa, 6), reviews=k.reviews,
                last_touch=_iso(k.last_touch),
            )
    repo = graph.repository
    if repo is None:
        repo = graph.add_node(Label.REPOSITORY, graph.repo)
    existing = [n for n in (repo.get("history_notes") or []) if n not in history.notes]
    repo.props.update(
        commits=history.commits, merges=history.merges, agent_commits=history.agent_commits,
        bot_commits=history.bot_commits, shallow=history.shallow, newest_commit_at=_iso(history.newest_commit_at),
        history_notes=existing + list(history.notes), identity_patterns=history.identity_patterns,
    )

