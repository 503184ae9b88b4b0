"""Benchmark: how often `cairn pr-check`'s suggested reviewers are the people who really reviewed the change.

Go's repositories (Gerrit) record who reviewed every commit in ``Reviewed-by:`` trailers. For the last K
non-merge first-parent commits of a clone that carry them, each commit is replayed as a pull request: the clone
is checked out (detached) at the commit's parent and ingested into a store of its own (incrementally, walking
forward), so the store holds the history up to the parent only — the commit's own trailers never reach it —
then the PR check runs for parent..commit (``pr_check_refs``, as ``cairn pr-check --base --head`` on an
ingested checkout does) and its suggested reviewers, in order, are compared with the commit's Reviewed-by
people, the change's authors left out. Identities are matched as Cairn matches them (``graph.people.PersonIndex``
of the stored graph: name, e-mail); a reviewer the store has never seen matches nobody.

Figures per ranking: hit@1, hit@3 (a real reviewer among the first 1, 3), MRR (1 / rank of the first real
reviewer, 0 if none in the list) and ``none`` (no real reviewer anywhere in the list). The same figures for
anchors computed from the same history (``git log`` up to the parent):

* ``recent author``: the most recent other human author of the changed files;
* ``reviews 1y``: the people with most Reviewed-by credits on commits to the changed files' directories in the
  year before the parent;
* ``codeowners``: the CODEOWNERS owners of the changed files, when the repository has any;
* ``ask first``: who-knows' "ask first" ranking (``queries.who_knows.ask_first``) of the changed files.

Each replayed commit also leaves a snapshot (what ``suggest_reviewers`` reads of the stored graph around the
changed files: people, gone people, the KNOWS edges of the changed files and of the other files of their
directories with the modules that list those, the change's lines and authors) so that a
ranking can be re-scored without ingesting again: ``--rescore RESULTS.json`` runs today's ``suggest_reviewers`` on
the snapshots of an earlier run and prints both. With ``--reread-identities`` (and ``--clone`` when the run's clone
is gone) the change's identities are read again from git by today's ``ingest.change`` and sorted by today's PR check
(``writers_and_co_authors``: who may not review, which co-authors may), so a rule about roles is rescored too; the
truth is then the real reviewers less the change's authors and committers only (``true_reviewers``), the same for
every rule: a merger who co-authored a commit of the pull request stays a real reviewer. Run the rescore from a copy
of an older tree to score its rules on that truth (``--label`` names the output).

Squash-merging repositories (TanStack Query, scrapy since 2025) keep no reviewer in their history: ``--co-authors``
replays their last commits with the people a commit's ``Co-authored-by`` names besides its author as the truth, which
says where a rule ranks the maintainer who pushed to the branch or had a suggestion applied — not whether they
reviewed (it is no independent truth for a rule that suggests co-authors). The table goes to stdout and the results (with every commit's
lists) to ``bench/results/reviewers_replay-NAME.json``.

    python bench/reviewers_replay.py --repo /var/tmp/clone/tools --commits 200 [--store DIR] [--any-commit]
    python bench/reviewers_replay.py --rescore bench/results/reviewers_replay-tools.json
    python bench/reviewers_replay.py --repo /var/tmp/clone/query --co-authors --commits 200
    python bench/reviewers_replay.py --rescore RESULTS.json --reread-identities [--clone DIR] [--label L]
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.api.bootstrap import open_store  # noqa: E402
from cairn.api.services.changes import _judged, _listing, _stored  # noqa: E402
from cairn.api.services.ingesting import ingest  # noqa: E402
from cairn.api.services.workspace import Workspace  # noqa: E402
from cairn.graph.model import Label, Rel, RepoGraph, node_id  # noqa: E402
from cairn.graph.people import PersonIndex  # noqa: E402
from cairn.ingest.change import change_from_refs, read_refs  # noqa: E402
from cairn.queries.gone import gone_people  # noqa: E402
from cairn.queries.pr_check import lines_changed  # noqa: E402
from cairn.queries.reviewers import change_authors, suggest_reviewers  # noqa: E402
from cairn.queries.who_knows import KnowledgeIndex, ask_first  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SEP = "\x1f"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def reviewed_commits(root: Path, branch: str, count: int, reviewed: bool = True) -> list[dict]:
    """The last ``count`` non-merge first-parent commits of ``branch`` with Reviewed-by trailers (any commit when not
    ``reviewed``), oldest first."""
    fmt = SEP.join(["%H", "%P", "%an", "%ae", "%aI", "%(trailers:key=Reviewed-by,valueonly,separator=%x1e)"]) + "%x00"
    out = git(root, "log", "--first-parent", "--no-merges", f"--format={fmt}", branch)
    commits = []
    for record in out.split("\0"):
        parts = record.strip("\n").split(SEP)
        if len(parts) < 6 or (reviewed and not parts[5].strip()) or not parts[1]:
            continue
        reviewers = [r.strip() for r in parts[5].split("\x1e") if r.strip()]
        commits.append({"commit": parts[0], "parent": parts[1].split()[0], "author": f"{parts[2]} <{parts[3]}>",
                        "date": parts[4], "reviewed_by": reviewers})
        if len(commits) == count:
            break
    return commits[::-1]


def co_authored_commits(root: Path, branch: str, count: int) -> list[dict]:
    """The last ``count`` non-merge first-parent commits of ``branch``, oldest first, each with the people its
    ``Co-authored-by`` trailers name besides its author as ``reviewed_by``: a squash-merging repository (TanStack
    Query, scrapy) keeps no reviewer in its history, and whoever else is named on a squash took part in the pull
    request — pushed to its branch or had a suggestion applied. Not independent of a rule that lets co-authors review
    (it is what such a rule suggests), so it says where the ranking puts them, not whether they reviewed."""
    fmt = SEP.join(["%H", "%P", "%an", "%ae", "%aI", "%(trailers:key=Co-authored-by,valueonly,separator=%x1e)"]) + "%x00"
    out = git(root, "log", "--first-parent", "--no-merges", f"--format={fmt}", branch)
    commits = []
    for record in out.split("\0"):
        parts = record.strip("\n").split(SEP)
        if len(parts) < 6 or not parts[1]:
            continue
        named = [r.strip() for r in parts[5].split("\x1e") if r.strip()]
        commits.append({"commit": parts[0], "parent": parts[1].split()[0], "author": f"{parts[2]} <{parts[3]}>",
                        "date": parts[4], "reviewed_by": [r for r in named if parts[3].lower() not in r.lower()]})
        if len(commits) == count:
            break
    return commits[::-1]


def merged_pull_requests(root: Path, branch: str, count: int) -> list[dict]:
    """The last ``count`` first-parent merges "Merge pull request #N from …" of ``branch``, oldest first, each as the
    pull request it merged (``parent``: its first parent, ``commit``: its second) with its merger as the reviewer:
    GitHub keeps no reviewer in the history, and whoever merged a pull request approved it. A merge whose merger
    wrote a commit of the branch (a maintainer merging their own work) is left out."""
    fmt = SEP.join(["%H", "%P", "%an", "%ae", "%aI", "%s"]) + "%x00"
    out = git(root, "log", "--first-parent", "--merges", f"--format={fmt}", branch)
    commits = []
    for record in out.split("\0"):
        parts = record.strip("\n").split(SEP)
        if len(parts) < 6 or not parts[5].startswith("Merge pull request #") or len(parts[1].split()) != 2:
            continue
        first, second = parts[1].split()
        wrote = git(root, "log", "--format=%an%x1f%ae", f"{first}..{second}").splitlines()
        if not wrote or any(line.split("\x1f")[1].lower() == parts[3].lower() or line.split("\x1f")[0] == parts[2]
                            for line in wrote):
            continue
        name, email = wrote[-1].split("\x1f")
        commits.append({"commit": second, "parent": first, "author": f"{name} <{email}>", "date": parts[4],
                        "reviewed_by": [f"{parts[2]} <{parts[3]}>"], "merge": parts[0]})
        if len(commits) == count:
            break
    return commits[::-1]


def anchors(root: Path, parent: str, paths: list[str], index: PersonIndex, authors: set[str], human: set[str],
            mergers: bool = False) -> dict:
    """The simple anchors' lists of Person ids, from ``git log`` up to ``parent`` (see the module docstring)."""
    at_parent = [p for p in paths if git(root, "ls-tree", "--name-only", parent, "--", p).strip()]
    out: dict[str, list[str]] = {"recent author": [], "reviews 1y": [], "codeowners": codeowners(root, parent, paths, index)}
    if at_parent:
        log = git(root, "log", "--no-merges", "--format=%an <%ae>", parent, "--", *at_parent)
        for line in log.splitlines():
            ids = [p.id for p in index.find(line)]
            if ids and not set(ids) & authors and ids[0] in human:
                out["recent author"] = [ids[0]]
                break
    since = (datetime.fromisoformat(git(root, "log", "-1", "--format=%cI", parent).strip()) - timedelta(days=365)).isoformat()
    dirs = sorted({p.rsplit("/", 1)[0] if "/" in p else "." for p in paths})
    dirs = [d for d in dirs if d == "." or git(root, "ls-tree", "-d", "--name-only", parent, "--", d).strip()]
    if dirs:
        # (replaying merges: who merged pull requests there; else: who the Reviewed-by trailers name)
        log = git(root, "log", "--first-parent", "--merges", f"--since={since}", "--format=%an <%ae>%x00", parent,
                  "--", *dirs) if mergers else git(
            root, "log", "--no-merges", f"--since={since}",
            "--format=%(trailers:key=Reviewed-by,valueonly,separator=%x1e)%x00", parent, "--", *dirs)
        credits: Counter = Counter()
        for record in log.split("\0"):
            for raw in filter(None, (r.strip() for r in record.split("\x1e"))):
                ids = [p.id for p in index.find(raw)]
                if ids and ids[0] not in authors:
                    credits[ids[0]] += 1
        out["reviews 1y"] = [pid for pid, _ in sorted(credits.items(), key=lambda kv: (-kv[1], kv[0]))[:8]]
    return out


def codeowners(root: Path, parent: str, paths: list[str], index: PersonIndex) -> list[str]:
    """The owners (Person ids) the last matching CODEOWNERS rule names for each changed file, in order; a team or an
    owner the store does not know is left out. A sketch of GitHub's matching: enough for a baseline."""
    import fnmatch

    for where in ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"):
        try:
            text = git(root, "show", f"{parent}:{where}")
        except subprocess.CalledProcessError:
            continue
        rules = [line.split() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        owners: list[str] = []
        for path in paths:
            for pattern, *names in reversed(rules):
                anchored = pattern.lstrip("/")
                if (pattern == "*" or fnmatch.fnmatch(path, anchored) or path.startswith(anchored.rstrip("*").rstrip("/") + "/")
                        or (not pattern.startswith("/") and fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern))):
                    for name in names:
                        found = index.find(name)
                        if found and found[0].id not in owners:
                            owners.append(found[0].id)
                    break
        return owners
    return []


def snapshot(stored: RepoGraph, changed: dict, authors: list, gone: dict, around: RepoGraph | None = None) -> dict:
    """What ``suggest_reviewers`` reads of the stored graph for this change (without CODEOWNERS or component
    stand-ins, which the Go repositories do not exercise), as plain data: with the modules of the changed files'
    directories and, from ``around``, the knowledge of their other files."""
    people = {n.id: (n.key, dict(n.props)) for n in stored.of_label(Label.PERSON)}
    dirs = {directory_of(p) for p in changed}
    modules = {n.id: (n.key, dict(n.props)) for n in stored.of_label(Label.MODULE)
               if any(directory_of(f) in dirs for f in n.get("files") or ())}
    files = {}
    for path in changed:
        node = stored.node(Label.FILE, path)
        if node is not None:
            files[path] = (node.id, {"component": node.get("component")})
    ids = {nid for nid, _ in files.values()}
    for graph in (around,) if around is not None else ():
        for node in graph.of_label(Label.FILE):
            files.setdefault(node.key, (node.id, {"component": node.get("component")}))
    ids = {nid for nid, _ in files.values()}
    edges = {e.key: e for g in (stored, around) if g is not None for e in g.of_type(Rel.KNOWS) if e.target in ids}
    knows = [(e.source, e.target, {k: e.get(k) for k in ("doa", "reviews", "deliveries", "acceptances",
                                                        "first_authorship", "last_touch", "author")})
             for e in edges.values()]
    repo = stored.node(Label.REPOSITORY, stored.repo)
    return {"repo": stored.repo, "repository": dict(repo.props) if repo is not None else {}, "people": people,
            "files": files, "modules": modules, "knows": knows, "changed": changed, "authors": authors, "gone": gone}


def directory_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def directory_knowledge(ws: Workspace, repo: str, graph: RepoGraph, changed: dict) -> RepoGraph:
    """The other files of the changed files' directories (as the stored modules list them) and the knowledge of
    them, read from the store."""
    dirs = {directory_of(p) for p in changed}
    paths = {f for n in graph.of_label(Label.MODULE) for f in n.get("files") or () if directory_of(f) in dirs}
    return ws.store.load_around(repo, [node_id(Label.FILE, repo, p) for p in sorted(paths)], [Rel.KNOWS])


def graph_of(snap: dict) -> RepoGraph:
    graph = RepoGraph(snap["repo"])
    graph.add_node(Label.REPOSITORY, snap["repo"], **snap.get("repository", {}))
    for _, (key, props) in snap["people"].items():
        graph.add_node(Label.PERSON, key, **props)
    for _, (key, props) in snap.get("modules", {}).items():
        graph.add_node(Label.MODULE, key, **props)
    for path, (_, props) in snap["files"].items():
        graph.add_node(Label.FILE, path, **{k: v for k, v in props.items() if v is not None})
    for source, target, props in snap["knows"]:
        graph.add_edge(Rel.KNOWS, source, target, **{k: v for k, v in props.items() if v is not None})
    return graph


def writers_and_co_authors(identities) -> tuple[list, list]:
    """(the identities of a change that may not review it, its co-authors who may), as today's PR check decides
    (before ``queries.reviewers.writers_and_co_authors``: every one that wrote it, and no co-author may)."""
    try:
        from cairn.queries.reviewers import writers_and_co_authors as decide
    except ImportError:
        return [i for i in identities if i.role.wrote_it], []
    return decide(identities)


def reviewer_authors(identities) -> list:
    """The identities of a change that may not review it (``writers_and_co_authors``)."""
    return writers_and_co_authors(identities)[0]


#: The roles whose people cannot have reviewed a change, whatever the rule for the others: scored against the real
#: reviewers less these, every rule is judged on the same truth (a merger who co-authored a commit of the pull request
#: stays a real reviewer, one that a rule keeping co-authors out cannot suggest).
_AUTHOR_ROLES = ("author", "committer", "pr-author")


def true_reviewers(index: PersonIndex, reviewed_by: list[str], identities, humans: set[str]) -> list[str]:
    """The Person ids of the real reviewers (``reviewed_by``) that are humans (``humans``: Person ids) and none of the
    change's authors or committers."""
    authors = change_authors(index, [i for i in identities if i.role.value in _AUTHOR_ROLES])
    return sorted({p.id for raw in reviewed_by for p in index.find(raw)} & humans - authors)


def identities_of(clone: Path, row: dict, snap: dict) -> list:
    """The change's identities as today's code reads them from the clone (its roles are what rules differ on)."""
    from cairn.ingest.change import _commit_log, _identities_of
    from cairn.ingest.config import StoredSettings
    from cairn.ingest.identities import Classifier

    classify = Classifier.from_settings(StoredSettings.of(snap.get("repository", {})).identities)
    return _identities_of(clone, _commit_log(clone, row["parent"], row["commit"]), classify)


def rescored(snap: dict, row: dict | None = None, clone: Path | None = None) -> list[str]:
    """Today's ``suggest_reviewers`` on a snapshot: the suggested Person ids, best first. With the replay's ``row``
    and a ``clone`` holding its commits, the change's authors and co-authors are read again by today's code and the
    row's ``truth`` is recomputed (``true_reviewers``)."""
    graph = graph_of(snap)
    index = PersonIndex(graph.of_label(Label.PERSON))
    authors, extra = snap["authors"], {}
    if row is not None and clone is not None:
        identities = identities_of(clone, row, snap)
        writers, co_authors = writers_and_co_authors(identities)
        authors = [(i.name, i.email) for i in writers]
        if co_authors:
            extra["co_authors"] = [(i.name, i.email) for i in co_authors]
        humans = {n.id for n in graph.of_label(Label.PERSON) if (n.get("kind") or "human") == "human"}
        row["truth"] = true_reviewers(index, row["reviewed_by"], identities, humans)
    return [graph.node(Label.PERSON, s.id).id for s in
            suggest_reviewers(graph, snap["changed"], authors, index=index, gone=snap["gone"], **extra)]


def scores(rows: list[dict], key: str) -> dict:
    """hit@1, hit@3, MRR and none (%) of the lists under ``key`` against each row's ``truth``."""
    counted = [r for r in rows if r["truth"]]
    hit1 = hit3 = rr = none = 0.0
    for r in counted:
        ranks = [i for i, pid in enumerate(r[key]) if pid in r["truth"]]
        first = ranks[0] if ranks else None
        hit1 += first == 0
        hit3 += first is not None and first < 3
        rr += 1 / (first + 1) if first is not None else 0
        none += first is None
    n = len(counted) or 1
    return {"n": len(counted), "hit@1": round(100 * hit1 / n, 1), "hit@3": round(100 * hit3 / n, 1),
            "MRR": round(rr / n, 3), "none": round(100 * none / n, 1)}


def table(name: str, rows: list[dict], keys: list[str]) -> str:
    lines = [f"{name}: {len(rows)} commits, {sum(1 for r in rows if r['truth'])} with a reviewer known to the store",
             f"{'ranking':<22} {'n':>4} {'hit@1':>6} {'hit@3':>6} {'MRR':>6} {'none':>6}"]
    for key in keys:
        if not any(r.get(key) for r in rows):
            lines.append(f"{key:<22} n/a (no list for any commit)")
            continue
        s = scores(rows, key)
        lines.append(f"{key:<22} {s['n']:>4} {s['hit@1']:>5}% {s['hit@3']:>5}% {s['MRR']:>6.3f} {s['none']:>5}%")
    return "\n".join(lines)


def replay(root: Path, branch: str, count: int, store_dir: Path, reviewed: bool = True, merges: bool = False,
           co_authors: bool = False) -> dict:
    commits = (merged_pull_requests(root, branch, count) if merges else co_authored_commits(root, branch, count)
               if co_authors else reviewed_commits(root, branch, count, reviewed))
    ws = Workspace(open_store(str(store_dir)), naming_hint="")
    rows, snaps, ingest_s, check_s = [], [], 0.0, 0.0
    name = None
    for number, c in enumerate(commits, 1):
        git(root, "checkout", "-q", "--detach", c["parent"])
        started = time.perf_counter()
        name = ingest(ws, root, graph_read=False).repo
        ingest_s += time.perf_counter() - started
        started = time.perf_counter()
        summary = ws.repository(name)
        refs = read_refs(root, c["parent"], c["commit"])
        listing = _listing(ws, summary, root, refs.head, refs.merge_base)
        stored = _stored(ws, summary, refs.merge_base, refs.paths)
        change = change_from_refs(stored.graph, root, c["parent"], c["commit"], cache_dir=ws.cache_dir, refs=refs,
                                  imports_for=stored.imports_for, listing=listing)
        graph = stored.graph
        authors = [(i.name, i.email) for i in reviewer_authors(change.identities)]
        changed = lines_changed(change)
        report = _judged(stored, change, listing, root)
        check_s += time.perf_counter() - started
        index = PersonIndex.of(graph)
        gone, _ = gone_people(graph, index)
        author_ids = change_authors(index, authors)
        human = {n.id for n in graph.of_label(Label.PERSON) if (n.get("kind") or "human") == "human"}
        truth = true_reviewers(index, c["reviewed_by"], change.identities, human)
        suggested = [graph.node(Label.PERSON, s.id).id for s in report.suggested_reviewers]  # (s.id: the key)
        files = [p for p in changed if graph.node(Label.FILE, p) is not None]
        asked = ask_first(KnowledgeIndex.of_files(graph, files, gone), files, limit=10)
        ask = [pid for pid in (graph.node(Label.PERSON, a["id"]).id for a in asked  # (a row without an id: no person)
                               if a.get("id") and graph.node(Label.PERSON, a["id"]) is not None) if pid not in author_ids]
        row = {**c, "truth": truth, "cairn": suggested, "ask first": ask,
               **anchors(root, c["parent"], list(changed), index, author_ids, human, mergers=merges),
               "names": {pid: str(graph.nodes[pid].get("name")) for pid in {*truth, *suggested, *ask} if pid in graph.nodes},
               "reasons": [list(s.reasons) for s in report.suggested_reviewers]}
        rows.append(row)
        snaps.append(snapshot(graph, changed, authors, gone, directory_knowledge(ws, name, graph, changed)))
        if number % 20 == 0:
            print(f"{number}/{len(commits)}: ingest {ingest_s:.0f} s, check {check_s:.0f} s", file=sys.stderr)
    return {"repo": name, "clone": str(root), "rows": rows, "snapshots": snaps,
            "seconds": {"ingest": round(ingest_s, 1), "check": round(check_s, 1)}}


KEYS = ["cairn", "recent author", "reviews 1y", "codeowners", "ask first"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, help="a clone to replay (its checkout is moved)")
    parser.add_argument("--branch", default="HEAD")
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--any-commit", action="store_true",
                        help="replay commits without Reviewed-by too (to read the suggestions of a repository without them)")
    parser.add_argument("--merges", action="store_true",
                        help="replay merged pull requests (GitHub's merge commits), their merger as the reviewer")
    parser.add_argument("--co-authors", action="store_true",
                        help="replay any commit, the people its Co-authored-by trailers name besides its author as reviewers")
    parser.add_argument("--store", type=Path, help="the store directory (default: beside the clone)")
    parser.add_argument("--reread-identities", action="store_true",
                        help="with --rescore: read each change's identities again from the clone (today's roles and truth)")
    parser.add_argument("--clone", type=Path, help="with --rescore: a clone holding the replayed commits (default: the run's)")
    parser.add_argument("--label", default="", help="with --rescore: a suffix for the rescored results file")
    parser.add_argument("--rescore", type=Path, help="a results file of an earlier run: score today's ranking on it")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    if args.rescore:
        results = json.loads(args.rescore.read_text())
        snaps = pickle.loads(Path(results["snapshots_file"]).read_bytes())
        clone = args.clone or (Path(results["clone"]) if args.reread_identities else None)
        for row, snap in zip(results["rows"], snaps):
            row["cairn now"] = rescored(snap, row, clone)
        print(table(results["repo"], results["rows"], ["cairn", "cairn now", *KEYS[1:]]))
        out = args.rescore.with_name(args.rescore.stem + "-rescored" + (f"-{args.label}" if args.label else "") + ".json")
        out.write_text(json.dumps(results, indent=1))
        return
    root = args.repo.resolve()
    branch = git(root, "rev-parse", args.branch).strip()
    store = args.store or root.parent / f"store-{root.name}"
    results = replay(root, branch, args.commits, store, reviewed=not args.any_commit, merges=args.merges,
                     co_authors=args.co_authors)
    git(root, "checkout", "-q", "--detach", branch)
    snaps = results.pop("snapshots")
    snaps_file = store / "reviewers_replay-snapshots.pickle"
    snaps_file.write_bytes(pickle.dumps(snaps))
    results["snapshots_file"] = str(snaps_file)
    for row, snap in zip(results["rows"], snaps):
        row["cairn now"] = rescored(snap)  # the snapshot stands for the stored graph: the same lists
    mismatched = sum(1 for r in results["rows"] if r["cairn now"] != r["cairn"])
    print(table(results["repo"], results["rows"], KEYS))
    print(f"ingest {results['seconds']['ingest']} s, checks {results['seconds']['check']} s; "
          f"snapshots re-scored differently from the live check: {mismatched}")
    suffix = "-merges" if args.merges else "-co-authors" if args.co_authors else ""
    (RESULTS / f"reviewers_replay-{results['repo']}{suffix}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
