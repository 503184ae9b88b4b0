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
  committer of a commit authored by an agent. Only humans keep it. A commit
  with more than ``thresholds.max_coauthors`` co-authors (a squash of a
  long-lived branch is not review) gives its co-authors none.

The log itself, and what happens when objects are missing, is
``ingest.history_log``; ``History.completeness`` says how much was read.

Degree of authorship (Fritz et al., as used by Avelino et al.):
``DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)``, FA = 1 if the
person added the file (any add by them, as the reference's ``doaMultAuthor``),
DL = their deliveries, AC = deliveries by everybody else (bots and agents
included). Who counts as an author from these numbers is decided in
``queries.ownership``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.config import IdentitySettings
from cairn.ingest.git import git
from cairn.ingest.history_log import ADDS, DELIVERIES, LAST, REVIEWS, Identities, LogParser, LogStatus, read_log
from cairn.ingest.identities import (
    HUMAN, Classifier, DeclaredPerson, Mailmap, Person, check_mailmap, github_login, is_valid_email,
    logins_from_pull_requests, normalise_email, parse_contact, read_mailmap, resolve_identities,
)

#: ``progress(commits_read, total_commits)``
HistoryProgress = Callable[[int, int], None]

DOA_BASE, DOA_FA, DOA_DL, DOA_AC = 3.293, 1.098, 0.164, 0.321


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
    #: what makes the knowledge figures wrong rather than merely imprecise (shallow clone, missing objects)
    warnings: list[str] = field(default_factory=list)
    #: how much of the history was read: commits_total, commits_read, exact_renames_only, without_renames,
    #: unreadable_commits, missing_objects, shallow (see ``history_completeness``)
    completeness: dict[str, object] = field(default_factory=dict)
    #: the configured agents/bots/humans patterns, so later readers (the PR check) classify alike
    identity_patterns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return bool(self.completeness.get("complete", True))

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


def _iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def mine_history(
    root: Path, identities: IdentitySettings | None = None, progress: HistoryProgress | None = None, *,
    people: Iterable[object] = (), max_coauthors: int = 5,
) -> History:
    """Read the whole history of HEAD at ``root`` (one streaming ``git log``, see ``ingest.history_log``).

    ``people`` are the ``[[people]]`` entries of cairn.toml (anything with
    ``name`` and ``aliases``); ``max_coauthors`` is ``thresholds.max_coauthors``.
    Never raises for repository problems (not a repository, no commits,
    missing objects, a failing ``git``): they become notes and warnings on the
    returned ``History``, and ``History.completeness`` says how much was read.
    """
    root = Path(root)
    settings = identities or IdentitySettings()
    history = History(identity_patterns={"agents": list(settings.agents), "bots": list(settings.bots),
                                         "humans": list(settings.humans)})
    try:
        inside = git(root, "rev-parse", "--is-inside-work-tree")
    except OSError as exc:
        history.notes.append(f"git is not available ({exc}): no history read")
        return history
    if inside.returncode != 0:
        history.notes.append(f"{root} is not a git repository: no history read")
        return history
    if git(root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        history.notes.append("the repository has no commits yet: no history, no knowledge")
        return history
    history.shallow = git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    mailmap = read_mailmap(root)
    history.notes.extend(mailmap.problems)

    ids = Identities(Classifier.from_settings(settings))
    parser = LogParser(ids, max_coauthors=max_coauthors)
    if progress is not None:
        counted = git(root, "rev-list", "--count", "HEAD")
        total = int(counted.stdout.strip()) if counted.returncode == 0 and counted.stdout.strip().isdigit() else 0
        progress(0, total)
        parser.progress = lambda done: progress(done, max(total, done))
    status = read_log(root, parser)
    _record_completeness(history, status, parser)
    if "rename detection was skipped" in status.stderr:
        history.notes.append(
            "git skipped rename detection in some large commits (diff.renameLimit): files renamed there start a new history"
        )
    if parser.bad_email:
        history.notes.append(f"{parser.bad_email} commit(s) with an empty or malformed author e-mail: those authors are matched by name only")
    if parser.squashes_without_credit:
        history.notes.append(
            f"{parser.squashes_without_credit} commit(s) with more than {max_coauthors} co-authors (squashes): "
            "their co-authors got no review credit (thresholds.max_coauthors)"
        )
    if progress is not None:
        progress(parser.commits, max(status.commits_total or 0, parser.commits))

    declared = [DeclaredPerson(str(getattr(p, "name")), tuple(getattr(p, "aliases", ()) or ())) for p in people]
    _finish(root, history, ids, parser, mailmap, declared)
    history.commits = parser.commits
    history.merges = parser.merges
    history.agent_commits = parser.agent_commits
    history.bot_commits = parser.bot_commits
    history.newest_commit_at = parser.newest or None
    replaced = sum(1 for name, email in ids.raw if "\ufffd" in name or "\ufffd" in email)
    if replaced:
        history.notes.append(f"{replaced} identit(y/ies) with non-UTF-8 names: shown with replacement characters")
    return history


def _record_completeness(history: History, status: LogStatus, parser: LogParser) -> None:
    """``History.completeness`` and the warnings that go with it."""
    read = parser.commits
    total = status.commits_total
    complete = not history.shallow and not status.objects_missing and status.failure is None and (total is None or read >= total)
    history.completeness = {
        "complete": complete, "commits_total": total, "commits_read": read,
        "exact_renames_only": status.exact_renames_only, "without_renames": status.without_renames,
        "unreadable_commits": len(status.unreadable), "missing_objects": len(status.missing_objects),
        "shallow": history.shallow,
    }
    if history.shallow:
        history.warnings.append(
            f"shallow clone: only {read} commit(s) of the history are here, so first authorship and knowledge are "
            "missing for older work and truck factors are underestimated (run `git fetch --unshallow`)"
        )
    if status.objects_missing:
        parts = [f"{len(status.missing_objects)} object(s) are missing from the repository"]
        if status.exact_renames_only:
            parts.append(f"{status.exact_renames_only} commit(s) read with exact rename detection only")
        if status.without_renames:
            parts.append(f"{status.without_renames} commit(s) read without rename detection")
        if status.unreadable:
            parts.append(f"{len(status.unreadable)} commit(s) unreadable and skipped (e.g. {status.unreadable[0][:12]})")
        history.warnings.append(f"history incomplete: {'; '.join(parts)}; {read} of {total if total is not None else '?'} commits read")
    if status.failure is not None:
        history.warnings.append(
            f"history incomplete: git log failed ({status.failure}); {read} of {total if total is not None else '?'} commits read"
        )


def _finish(root: Path, history: History, ids: Identities, parser: LogParser, mailmap: Mailmap,
            declared: list[DeclaredPerson]) -> None:
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
    for (name, email), when in parser.committer_seen.items():
        idx = ids.index.get((name, email))
        if idx is None:
            address = normalise_email(email)
            idx = by_email.get(address) if is_valid_email(address) else None
        if idx is not None and when > committer_time.get(idx, -1):
            committer_time[idx] = when
    people, person_of = resolve_identities(ids.raw, ids.kinds, ids.weights, declared, notes=history.notes)
    for p in people:  # old identities .mailmap folded into this person are aliases too (for --leaving)
        extra = set().union(*(mailmap.old_identities.get(e, set()) for e in p.emails)) if p.emails else set()
        if extra:
            p.aliases = sorted(set(p.aliases) | extra)
            logins = {github_login(parse_contact(old)[1] if parse_contact(old) else old) for old in extra} - {None}
            if logins - set(p.logins):  # a noreply address mailmapped away still names the GitHub user
                p.logins = sorted(set(p.logins) | logins)
                p.github = p.github or p.logins[0]
    if parser.pull_requests:  # "Merge pull request #N from login/…": the login of the branch's author
        head = git(root, "rev-parse", "HEAD").stdout.strip()
        held = {login: i for i, p in enumerate(people) for login in p.logins}
        for index, logins in logins_from_pull_requests(parser.pull_request_authors(head), person_of, people).items():
            mine = {login for login in logins if held.get(login, index) == index}
            if mine - set(people[index].logins):
                people[index].logins = sorted(set(people[index].logins) | mine)
                people[index].github = people[index].github or people[index].logins[0]
    history.people = [PersonHistory(p) for p in people]
    for raw_idx, person_idx in enumerate(person_of):
        ph = history.people[person_idx]
        ph.commits += parser.commits_by.get(raw_idx, 0)
        for when in (parser.last_active.get(raw_idx), committer_time.get(raw_idx)):
            if when is not None and (ph.last_active is None or when > ph.last_active):
                ph.last_active = when

    records = parser.records
    if all(person_of[i] == i for i in range(len(person_of))):
        history.path_records = records
    else:
        rekeyed: dict[str, dict[int, list[int]]] = {}
        for path, per_raw in records.items():
            per_person: dict[int, list[int]] = {}
            for raw_idx, rec in per_raw.items():
                p = person_of[raw_idx]
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
    for old, new in parser.renames:
        if old != new:
            history.renamed_from.setdefault(new, set()).add(old)


def add_knowledge(graph: RepoGraph, history: History) -> None:
    """Person nodes, Person -KNOWS-> File edges for the File nodes in ``graph``, and history facts on the Repository.

    Person: ``name``, ``names``, ``emails``, ``logins`` (``github``: the first
    one), ``aliases`` ("Name <email>" as seen), ``kind``, ``last_active``,
    ``commits``. KNOWS edges (humans only): ``first_authorship``,
    ``deliveries``, ``acceptances`` (AC: deliveries by everybody else, bots and
    agents included), ``doa`` (None when the person only reviewed the file),
    ``reviews``, ``last_touch`` (ISO). File: ``changes``, the adds and
    deliveries recorded for it by anybody (0: no history, so the truck factor
    leaves it out, as the reference does). Repository: the history facts and
    ``history_complete`` with ``history_completeness`` (counts).
    """
    person_nodes: dict[int, object] = {}
    for index, ph in enumerate(history.people):
        p = ph.person
        if ph.commits == 0 and ph.last_active is None:
            continue
        person_nodes[index] = graph.add_node(
            Label.PERSON, p.id, name=p.name, names=p.names, emails=p.emails, logins=p.logins, aliases=p.aliases,
            kind=p.kind, github=p.github, last_active=_iso(ph.last_active), commits=ph.commits,
        )
    for file_node in graph.of_label(Label.FILE):
        everybody = history.file_knowledge(file_node.key)
        file_node.props["changes"] = sum(k.deliveries + k.first_authorship for k in everybody.values())
        for index, k in everybody.items():
            if history.people[index].person.kind != HUMAN or not (k.is_candidate or k.reviews > 0):
                continue
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
        history_complete=history.complete, history_completeness=dict(history.completeness),
        history_warnings=list(history.warnings),
    )
