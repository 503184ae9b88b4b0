"""People from a history read: raw identities resolved into people, GitHub logins from pull-request merges.

``resolve_people`` runs once the log is read (or once the new commits are
added to the remembered ones): trailer identities go through ``.mailmap``
(``git check-mailmap``), identities are grouped into people
(``identities.resolve_identities``) in the order a full read of the log meets
them, so that an ingest that read only new commits resolves exactly as one
that read everything; committers, ``.mailmap``'s old identities and the
logins of "Merge pull request #N from LOGIN/branch" are attached, the
records of ``History`` keyed, and the request mergers' review credit decided
by person (``merger_credit.merger_reviews``: a self-merge under another
identity of the merger is no review).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import compress
from pathlib import Path

from cairn.graph.people import fold_email, mailbox, noreply_login
from cairn.ingest.checkout import git_output
from cairn.ingest.commits import CommitLog
from cairn.ingest.history_state import LogTotals
from cairn.ingest.identities import (
    DeclaredPerson, Identities, Mailmap, check_mailmap, co_author_is_author, names_someone, names_the_repository,
    logins_from_pull_requests, parse_contact, repository_names, resolve_identities,
)
from cairn.ingest.knowledge import History, PersonHistory
from cairn.ingest.merger_credit import merger_reviews


def pull_request_authors(log: CommitLog, head: int | None, max_commits: int = 100) -> list[tuple[str, list[int]]]:
    """For each GitHub pull-request merge, the login it came from and the authors of its branch's commits.

    The branch is walked from the merge's second parent along first parents until the main line (the
    first-parent chain from ``head``, a log position) is reached.
    """
    if not log.pull_requests:
        return []
    mainline = set(log.first_parent_chain(head)) if head is not None else set()
    merge, author, first_parent = log.merge, log.author, log.first_parent
    out = []
    for login, _, tip in log.pull_requests:
        authors, commit, steps = [], tip, 0
        while commit >= 0 and commit not in mainline and steps < max_commits:
            if not merge[commit]:
                authors.append(author[commit])
            commit, steps = first_parent[commit], steps + 1
        if authors and commit in mainline:  # a branch that never meets the main line says nothing sure
            out.append((login, authors))
    return out


def co_authors_who_are_authors(log: CommitLog, trailer_only: set[int], raw: list[tuple[str, str]],
                               kinds: list[str]) -> list[tuple[int, int]]:
    """(co-author, author) raw identities: each identity known only from trailers whose every commit naming it is its
    author's own (``identities.co_author_is_author``), with those authors — celery's ``blanariu <blanariu@adobe.com>``
    and ``constantinblanariu``. One commit naming it beside someone else's work keeps it apart."""
    authors_of: dict[int, set[int] | None] = {}
    if not trailer_only:  # (most repositories: no pass over the log's 100k names for nothing)
        return []
    ends, flat = log.interned_end, log.interned
    # (one pass over the names, made in C, then each trailer's commit by bisection: most commits name their author alone)
    for at in list(compress(range(len(flat)), map(trailer_only.__contains__, flat))):
        commit = bisect_right(ends, at)
        author, co_author = flat[ends[commit - 1] if commit else 0], flat[at]
        known = authors_of.get(co_author, set())
        if known is None or co_author == author:
            continue
        if kinds[co_author] == kinds[author] and co_author_is_author(raw[co_author], raw[author]):
            known.add(author)
            authors_of[co_author] = known
        else:
            authors_of[co_author] = None
    return sorted((co_author, author) for co_author, authors in authors_of.items() for author in authors or ())


def resolve_people(root: Path, history: History, ids: Identities, totals: LogTotals, log: CommitLog, order: list[int],
                   mailmap: Mailmap, declared: list[DeclaredPerson], head: str,
                   organisations: frozenset[str] | None = None) -> None:
    """Resolve raw identities into people, in the order a full read meets them (``order``), and keep the records."""
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

    # Resolution sees the identities in the order a full read interned them: the same people, in the same order.
    raw = [ids.raw[i] for i in order]
    # Committers only matter for people seen otherwise (an agent's committer was interned already).
    by_email: dict[str, int] = {}
    for i in order:
        by_email.setdefault(mailbox(ids.raw[i][1]), i)
    committer_time: dict[int, int] = {}
    for (name, email), when in totals.committer_seen.items():
        idx = ids.index.get((name, email))
        if idx is None:
            address = fold_email(email)
            idx = by_email.get(mailbox(address)) if names_someone(address) else None
        if idx is not None and when > committer_time.get(idx, -1):
            committer_time[idx] = when
    position = {i: p for p, i in enumerate(order)}
    oneself = [(position[co_author], position[author]) for co_author, author in
               co_authors_who_are_authors(log, set(trailer_only), ids.raw, ids.kinds)]
    co_named = [(position[a], position[b]) for a, b in sorted(totals.co_named)]
    self_committed = []  # (a committer that never authored nor co-authored is no identity of the history)
    for author, name, email in sorted(totals.self_committed):
        committer = ids.index.get((name, email))
        if committer is not None and committer in position:
            self_committed.append((position[author], position[committer]))
    people, person_in_order = resolve_identities(raw, [ids.kinds[i] for i in order], [ids.weights[i] for i in order],
                                                 declared, notes=history.notes, oneself=oneself, co_named=co_named,
                                                 self_committed=self_committed)
    person_of = [0] * len(order)
    for position, i in enumerate(order):
        person_of[i] = person_in_order[position]
    for p in people:
        p.members = sorted(order[m] for m in p.members)
        extra = set().union(*(mailmap.old_identities.get(e, set()) for e in p.emails)) if p.emails else set()
        if extra:  # old identities .mailmap folded into this person are aliases too (for --leaving)
            p.aliases = sorted(set(p.aliases) | extra)
            logins = {noreply_login(parse_contact(old)[1] if parse_contact(old) else old) for old in extra} - {None}
            if logins - set(p.logins):  # a noreply address mailmapped away still names the GitHub user
                p.logins = sorted(set(p.logins) | logins)
                p.github = p.github or p.logins[0]
    if log.pull_requests:  # "Merge pull request #N from login/…": the login of the branch's author
        top = len(log) - 1
        start = top if top >= 0 and log.sha_of(top) == head else log.position_of(head)
        held = {login: i for i, p in enumerate(people) for login in p.logins}
        # an organisation's own branches ("from open-telemetry/fix-x") name no person, even when one person's
        # branches were all that voted (Bogdan Drutu got @open-telemetry, argo-cd's Eugene Doudine @argoproj), nor do
        # the repository's own (gson's Jake Wharton got @google-gson, its old organisation, from one merge)
        if organisations is None:
            from cairn.ingest.codeowners import organisations as of_codeowners, read_codeowners

            organisations = of_codeowners(read_codeowners(root))
        own = repository_names(root.resolve().name, git_output(root, "config", "--get", "remote.origin.url"))
        branches = [(login, authors) for login, authors in pull_request_authors(log, start)
                    if login.lower() not in organisations and not names_the_repository(login, own)]
        for index, logins in logins_from_pull_requests(branches, person_of, people).items():
            mine = {login for login in logins if held.get(login, index) == index}
            if mine - set(people[index].logins):
                people[index].logins = sorted(set(people[index].logins) | mine)
                people[index].github = people[index].github or people[index].logins[0]
    history.people = [PersonHistory(p) for p in people]
    history.identity_person = person_of
    for raw_idx, person_idx in enumerate(person_of):
        ph = history.people[person_idx]
        ph.commits += totals.commits_by.get(raw_idx, 0)
        for when in (totals.last_active.get(raw_idx), committer_time.get(raw_idx)):
            if when is not None and (ph.last_active is None or when > ph.last_active):
                ph.last_active = when

    history.records = totals.records
    history.person_reviews = merger_reviews(log, person_of)
    paths = log.paths
    for old, new in totals.renames:
        if old != new:
            history.renamed_from.setdefault(paths[new], set()).add(paths[old])
