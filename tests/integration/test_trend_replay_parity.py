"""The trend replay that decides authors itself (``KnowledgeSnapshot.decided``) against the one that passed the
DOA candidates of every changed file (``KnowledgeSnapshot.changed``) and left the rule to ``queries.trends``.

``reference_snapshots`` is that earlier replay as it was written. Random
histories (written with ``git fast-import``: several humans, a bot, an agent
committed by a human, co-author and reviewer trailers, adds, modifications,
exact renames, deletions and re-additions, files outside the truck factor's
scope, over several years so that both yearly and quarterly snapshots are
taken) must give the same truck factors per period and component; and the
fast authorship of one file must be the rule applied to its candidates.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator

import pytest

from cairn.graph.authorship import file_authors
from cairn.graph.changes import KnowledgeSnapshot, period_end
from cairn.ingest.cochange import DAY
from cairn.ingest.files import is_source_file, path_skip_reason
from cairn.ingest.git import git
from cairn.ingest.identities import HUMAN
from cairn.ingest.pipeline import ingest_repository
from cairn.ingest.trend_history import _authors, _candidates, _candidates_in_order
from cairn.queries.trends import truck_factors_over_time
from fixtures.gitrepo import GitRepo
from fixtures.history_evolution import BOT, CLAUDE as AGENT

HUMANS = [(f"Person {i}", f"p{i}@example.com") for i in range(7)]
TOML = """\
[components]
core = ["src/core/**"]
web = ["src/web/**"]
tools = ["tools/**"]

[trends]
knowledge_periods = 5
"""


def reference_snapshots(ctx) -> Iterator[KnowledgeSnapshot]:
    """The replay as first written: per path and person [adds, deliveries, reviews], candidates for every changed file."""
    log, view = ctx.log, ctx.view
    person_of, kinds, ids = ctx.history.identity_person, view.kinds, view.person_ids
    commit_period = ctx.commit_periods()
    paths = log.paths
    records: dict[int, dict[int, list[int]]] = {}
    deliveries: dict[int, int] = {}
    present: dict[int, str | None] = {}
    dirty: set[int] = set()
    last_active: dict[int, int] = {}
    rank: dict[str, int] = {}
    order = [i for i in range(len(log)) if commit_period[i] >= 0]
    position = 0
    log1p, need = [0.0], [0]

    def scoped(pid: int) -> bool:
        return is_source_file(paths[pid]) and path_skip_reason(paths[pid], ctx.excluded) is None

    for p, name in enumerate(ctx.period_names):
        while position < len(order) and commit_period[order[position]] <= p:
            i = order[position]
            position += 1
            author = person_of[log.author[i]]
            human_author = kinds[author] == HUMAN
            rank[ids[author]] = rank.get(ids[author], 0) + 1
            last_active[author] = max(last_active.get(author, -1), log.authored[i])
            reviewers = [h for h in view.people(i)[1] if h != author]
            for h in reviewers:
                last_active[h] = max(last_active.get(h, -1), log.committed[i])
            for c in log.changes_of(i):
                status, path = chr(log.change_status[c]), log.change_path[c]
                moved = None
                if status == "R" and log.change_old[c] >= 0 and scoped(log.change_old[c]):
                    old = log.change_old[c]
                    present.pop(old, None)
                    dirty.discard(old)
                    moved = (records.pop(old, None), deliveries.pop(old, 0))
                if not scoped(path):
                    continue
                if status == "D":
                    present.pop(path, None)
                    records.pop(path, None)
                    deliveries.pop(path, None)
                    dirty.discard(path)
                    continue
                if path not in present:
                    present[path] = ctx.components.component_of(paths[path])
                if status not in "AMR":
                    continue
                per_path = records.setdefault(path, {})
                if moved is not None:
                    for person, rec in (moved[0] or {}).items():
                        acc = per_path.setdefault(person, [0, 0, 0])
                        for k in range(3):
                            acc[k] += rec[k]
                    deliveries[path] = deliveries.get(path, 0) + moved[1]
                slot = 0 if status == "A" else 1
                if slot:
                    deliveries[path] = deliveries.get(path, 0) + 1
                if human_author:
                    per_path.setdefault(author, [0, 0, 0])[slot] += 1
                for h in reviewers:
                    per_path.setdefault(h, [0, 0, 0])[2] += 1
                dirty.add(path)
        if p not in ctx.snapshot_periods:
            continue
        changed = {paths[pid]: _candidates(records.get(pid, {}), deliveries.get(pid, 0), ids, log1p, need)
                   for pid in dirty if pid in present}
        dirty.clear()
        cutoff = period_end(name) - ctx.inactive_days * DAY
        gone = {ids[person] for person, when in last_active.items() if when < cutoff}
        yield KnowledgeSnapshot(name, {paths[pid]: comp for pid, comp in present.items()}, changed, gone, dict(rank))


def random_history(root: Path, seed: int, commits: int) -> Path:
    """A repository at ``root`` holding ``_fast_import``'s random history of ``commits`` commits, checked out."""
    repo = GitRepo(root)
    git(repo.root, "fast-import", "--quiet", input=_fast_import(random.Random(seed), commits), text=False, check=True)
    repo.git("reset", "-q", "--hard", "main")
    return repo.root


def _fast_import(rng: random.Random, commits: int) -> bytes:
    """A random history (see the module docstring), as ``git fast-import`` input."""
    out: list[bytes] = []
    live: dict[str, int] = {}  # path -> version
    names = [f"src/core/c{i}.py" for i in range(12)] + [f"src/web/w{i}.ts" for i in range(8)] + [
        f"tools/t{i}.py" for i in range(5)] + ["docs/guide.md", "README.md", "src/core/vendor/lib.py"]
    when = 1_500_000_000  # 2017
    mark = 0
    for n in range(commits):
        when += rng.randint(3_600, 40 * DAY)
        who = rng.random()
        author = BOT if who < 0.05 else AGENT if who < 0.12 else HUMANS[min(int(rng.paretovariate(1.2)) - 1, 6)]
        committer = rng.choice(HUMANS) if author == AGENT else author
        trailers = []
        if rng.random() < 0.15:
            trailers.append(f"Co-authored-by: {rng.choice(HUMANS)[0]} <{rng.choice(HUMANS)[1]}>")
        if rng.random() < 0.1:
            person = rng.choice(HUMANS)
            trailers.append(f"Reviewed-by: {person[0]} <{person[1]}>")
        ops: list[bytes] = []
        touched: set[str] = set()
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            existing = sorted(set(live) - touched)
            if existing and roll < 0.06:  # an exact rename
                old = rng.choice(existing)
                new = rng.choice([p for p in names if p not in live] or [old + ".moved.py"])
                if new in touched or new == old:
                    continue
                ops.append(f'R "{old}" "{new}"\n'.encode())
                live[new] = live.pop(old)
                touched.update((old, new))
            elif existing and roll < 0.11:
                gone = rng.choice(existing)
                ops.append(f"D {gone}\n".encode())
                del live[gone]
                touched.add(gone)
            else:
                path = rng.choice(names)
                if path in touched:
                    continue
                live[path] = live.get(path, 0) + 1
                body = "".join(f"LINE_{k} = {k}\n" for k in range(30)) + f"# {path} version {live[path]}\n"
                ops.append(f"M 100644 inline {path}\ndata {len(body)}\n{body}\n".encode())
                touched.add(path)
        if not ops:
            continue
        mark += 1
        message = f"change {n}" + ("\n\n" + "\n".join(trailers) if trailers else "")
        data = message.encode()
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {author[0]} <{author[1]}> {when} +0000\n".encode())
        out.append(f"committer {committer[0]} <{committer[1]}> {when} +0000\n".encode())
        out.append(f"data {len(data)}\n".encode() + data + b"\n")
        if mark == 1:
            config = TOML.encode()
            out.append(f"M 100644 inline cairn.toml\ndata {len(config)}\n".encode() + config + b"\n")
        out.extend(ops)
        out.append(b"\n")
    return b"".join(out)


@pytest.mark.parametrize("seed", range(4))
def test_the_replay_deciding_authors_gives_the_truck_factors_of_the_candidates_replay(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    repo = GitRepo(tmp_path / "repo")
    git(repo.root, "fast-import", "--quiet", input=_fast_import(rng, 400), text=False, check=True)
    repo.git("reset", "-q", "--hard", "main")
    result = ingest_repository(repo.root)
    ctx = result.trends.snapshots.args[0]  # the replay's context (trend_inputs binds it)
    # a snapshot is valid until the next is drawn: each pass draws them afresh
    periods = [s.period for s in result.trends.snapshots()]
    assert periods == [s.period for s in reference_snapshots(ctx)]
    assert len(periods) > 8 and any(p.endswith("Q4") for p in periods[:-5])  # yearly snapshots, then quarterly ones
    decided = sum(len(s.decided) for s in result.trends.snapshots())
    assert 0 < decided < sum(len(s.changed) for s in reference_snapshots(ctx))  # unchanged authors are left out
    factors = truck_factors_over_time(result.trends.snapshots())
    assert factors == truck_factors_over_time(reference_snapshots(ctx))
    assert len({(f["truck_factor"], f["human_truck_factor"]) for f in factors.values()}) > 1


@pytest.mark.parametrize("seed", range(300))
def test_authors_are_the_rule_applied_to_the_candidates(seed: int) -> None:
    rng = random.Random(seed)
    ids = [f"person:{i}" for i in range(15)]
    log1p: list[float] = [0.0]
    need: list[int] = [0]
    for _ in range(20):
        people = rng.sample(range(15), rng.randint(0, 15))
        adders = {p for p in people if rng.random() < 0.2}
        # few distinct delivery counts, so that equal DOAs (ties for the highest) come up
        delivered = {p: rng.choice([1, 2, 3, 7, 8, 25, 80]) for p in people if rng.random() < 0.8}
        credited = {p for p in people if rng.random() < 0.3}
        total = sum(delivered.values()) + rng.choice([0, 0, 2, 9, 50, 900])  # others' deliveries count too
        records = {p: [int(p in adders), delivered.get(p, 0), int(p in credited)] for p in people}
        found = sorted(ids[p] for p in _authors(adders or None, delivered or None, total, log1p, need))
        assert found == file_authors(_candidates_in_order(records, total, ids, log1p)[0])
        assert found == file_authors(_candidates(records, total, ids, log1p, need)[0])


def test_authors_follow_the_rule_when_everybody_else_delivered_so_much_that_no_doa_is_positive() -> None:
    """ln(1 + AC) outweighs a first authorship once others delivered about a million times: nobody is an author."""
    ids = [f"person:{i}" for i in range(3)]
    log1p: list[float] = [0.0]
    need: list[int] = [0]
    for adders, delivered, total in (({0, 1}, {}, 1_000_000), ({0}, {}, 10), ({0}, {1: 5}, 1_000_000), ({0}, {1: 5}, 40)):
        records = {p: [int(p in adders), delivered.get(p, 0), 0] for p in adders | set(delivered)}
        found = sorted(ids[p] for p in _authors(adders or None, delivered or None, total, log1p, need))
        assert found == file_authors(_candidates_in_order(records, total, ids, log1p)[0])
        assert found == file_authors(_candidates(records, total, ids, log1p, need)[0])
    assert _authors({0, 1}, None, 1_000_000, log1p, need) == [] and _authors({0, 1}, None, 10, log1p, need) == [0, 1]


def test_each_snapshot_lists_the_files_present_at_its_end_even_when_only_a_rename_out_of_scope_happened(tmp_path) -> None:
    """Snapshots hand on the previous one's files when none came or went: a file renamed out of scope (to a
    non-source name) in a period of its own must still leave the next snapshot's files."""
    repo = GitRepo(tmp_path / "repo")
    body = "".join(f"LINE_{k} = {k}\n" for k in range(30))
    repo.commit({"src/core/a.py": body, "src/core/b.py": body + "#b\n"}, author=HUMANS[0], date="2019-02-01T00:00:00+00:00")
    repo.commit({"src/core/b.py": body + "#b2\n"}, author=HUMANS[1], date="2020-02-01T00:00:00+00:00")
    repo.rename("src/core/a.py", "src/core/a.txt", author=HUMANS[0], date="2021-02-01T00:00:00+00:00")
    repo.commit({"src/core/b.py": body + "#b3\n"}, author=HUMANS[1], date="2022-02-01T00:00:00+00:00")
    repo.commit({"src/core/c.py": body + "#c\n"}, author=HUMANS[2], date="2022-05-01T00:00:00+00:00")
    result = ingest_repository(repo.root)
    ctx = result.trends.snapshots.args[0]
    fast, reference = list(result.trends.snapshots()), list(reference_snapshots(ctx))
    assert [(s.period, s.files) for s in fast] == [(s.period, s.files) for s in reference]
    files = {s.period[:4]: set(s.files) for s in fast}
    assert files["2020"] == {"src/core/a.py", "src/core/b.py"} and files["2021"] == {"src/core/b.py"}
    assert files["2022"] == {"src/core/b.py", "src/core/c.py"}
