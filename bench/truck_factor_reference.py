"""Cairn's truck factor and people on real repositories at pinned commits, beside Avelino et al.'s reference tool.

For each repository (a checkout at the pinned commit under ``--repos-dir``):

* **cairn**: ``cairn ingest`` into a temporary store, then the bus-factor
  report: the truck factor (the paper's greedy algorithm), its people, the
  file scope (Linguist's rule, files with history), the history's
  completeness, the people Cairn classified as bots or agents and the likely
  duplicates it did not merge;
* **reference** (with ``--reference``, a checkout of aserg-ufmg/Truck-Factor
  built with ``mvn package``): the reference's own Java classes, driven by a
  small Java program compiled here against its jar, on the input files its
  ``commit_log_script.sh`` would write (``commitinfo.log``,
  ``commitfileinfo.log``, ``filelist.log``) and, instead of its Ruby Linguist
  step (``linguist.rb``, whose gems cannot be installed here), a
  ``linguistfiles.log`` listing the files Cairn's Linguist-equivalent filter
  counts. Printed three ways: its ``GreedyTruckFactor`` (the paper's
  algorithm, what Cairn computes), its default ``PrunedGreedyTruckFactor``
  (v1.2, drops TF developers with < 10 % of the top one's files), and the
  greedy algorithm again with every commit's identity replaced by the person
  Cairn resolved it to (so the only remaining differences are the algorithm
  and bots, which Cairn never credits).

A mirror that lacks objects makes ``git log --find-renames`` stop; the
reference's log is then completed the way Cairn completes its own (the
remaining commits, and a failing commit with exact renames only).

    python bench/truck_factor_reference.py --repos-dir /tmp/people [--reference /tmp/people/Truck-Factor] [flask requests …]

Checkouts: ``git clone <url> DIR/NAME && git -C DIR/NAME checkout <commit>`` for each pin below.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cairn.graph.model import Label  # noqa: E402
from cairn.api.bootstrap import open_store  # noqa: E402
from cairn.ingest.git import git  # noqa: E402
from cairn.queries.ownership import bus_factor, in_truck_factor_scope  # noqa: E402
from cairn.queries.people import people as people_report  # noqa: E402

#: name -> (clone URL, pinned commit)
PINS: dict[str, tuple[str, str]] = {
    "flask": ("https://github.com/pallets/flask", "2ac89889f4cc330eabd50f295dcef02828522c69"),
    "requests": ("https://github.com/psf/requests", "1f6589ec3a1ee910f9a65cc3ceac60b26677bc0e"),
    "pytest": ("https://github.com/pytest-dev/pytest", "df87db7b0462fb764ef73fa00561adf8ad047572"),
    "express": ("https://github.com/expressjs/express", "a3714473feb3d2908add734d340e7755fd85e0a3"),
    "sqlalchemy": ("https://github.com/sqlalchemy/sqlalchemy", "f35da7e2b9349a08b8de1f6bd3b07c8bf8616790"),
    "prometheus": ("https://github.com/prometheus/prometheus", "d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86"),
}

DRIVER = r"""
import java.util.*;
import aserg.gtf.GitTruckFactor;
import aserg.gtf.model.LogCommitInfo;
import aserg.gtf.model.NewFileInfo;
import aserg.gtf.model.authorship.Developer;
import aserg.gtf.model.authorship.Repository;
import aserg.gtf.task.DOACalculator;
import aserg.gtf.task.NewAliasHandler;
import aserg.gtf.task.extractor.FileInfoExtractor;
import aserg.gtf.task.extractor.GitLogExtractor;
import aserg.gtf.task.extractor.LinguistExtractor;
import aserg.gtf.truckfactor.*;
import aserg.gtf.util.FileInfoReader;
import aserg.gtf.util.LineInfo;

/** GitTruckFactor.getTFInfo's steps, printing both the greedy (paper) and the pruned (v1.2 default) results. */
public class CairnReferenceDriver {
    public static void main(String[] args) throws Exception {
        GitTruckFactor.loadConfiguration();
        String path = args[0].endsWith("/") ? args[0] : args[0] + "/";
        String name = args[1];
        Map<String, List<LineInfo>> aliases = FileInfoReader.getFileInfo("repo_info/alias.txt");
        Map<String, LogCommitInfo> commits = new GitLogExtractor(path, name).execute();
        commits = new NewAliasHandler(aliases.get(name)).execute(name, commits);
        List<NewFileInfo> files = new FileInfoExtractor(path, name).execute();
        files = new LinguistExtractor(path, name).setNotLinguist(files);
        print("GREEDY", new GreedyTruckFactor().getTruckFactor(new DOACalculator(path, name, commits.values(), files).execute()));
        print("PRUNED", new PrunedGreedyTruckFactor(GitTruckFactor.config.getMinPercentage())
              .getTruckFactor(new DOACalculator(path, name, commits.values(), files).execute()));
    }

    static void print(String kind, TFInfo tf) {
        System.out.println(kind + "\t" + tf.getTf() + "\t" + tf.getTotalFiles());
        for (Developer d : tf.getTfDevelopers())
            System.out.println("DEV\t" + kind + "\t" + d.getName() + "\t" + d.getAuthorshipFiles().size());
    }
}
"""

_REPO_INFO = {
    "alias.txt": "####### List of user name aliases #######\n#git_repository_name;user_name;user_alias_name\n",
    "filtered-files.txt": "####### List of files to discard #######\n#git_repository_name;file_path;filter_info\n",
    "modules.txt": "####### Module map (module,file) #######\n#git_repository_name;file_path;subsystem\n",
}
_CONFIG = "normalizedDOA=0.75\nabsoluteDOA=3.293\ntfCoverage=0.5\nminPercentage=0.1\n"
_OBJECT_ID = re.compile(r"\b[0-9a-f]{40}\b")


# -- Cairn -------------------------------------------------------------------------------------------------

def run_cairn(root: Path, name: str) -> dict:
    from cairn.api.services.ingesting import ingest_into_store
    from cairn.ingest.config import load_config

    # the paper counts every commit: Cairn's sweeps (thresholds.max_commit_files) are counted too, for the comparison
    config = load_config(root)
    config = config.model_copy(update={"thresholds": config.thresholds.model_copy(update={"max_commit_files": 100_000_000})})
    with tempfile.TemporaryDirectory(prefix="cairn-tf-") as tmp:
        store = open_store(tmp)
        try:
            started = time.perf_counter()
            result = ingest_into_store(store, root, repo_name=name, config=config)
            seconds = time.perf_counter() - started
        finally:
            store.close()
    graph = result.graph
    report = bus_factor(graph)
    who = people_report(graph)
    scope = sorted(n.key for n in graph.of_label(Label.FILE) if in_truck_factor_scope(n))
    counted = sorted(n.key for n in graph.of_label(Label.FILE) if n.get("linguist_counted", True))
    return {
        "graph": graph, "report": report, "people": who, "scope": scope, "counted": counted, "seconds": seconds,
        "languages": {n.key: n.get("language") for n in graph.of_label(Label.FILE)},
    }


# -- the reference's input files -----------------------------------------------------------------------------

def _log_chunks(root: Path) -> tuple[list[str], int, int]:
    """``git log --name-status --find-renames`` per commit (the reference's command), completed past missing
    objects; returns (-z records, commits read with exact renames only, commits skipped)."""
    base = ["-c", "diff.renameLimit=999999", "log", "--name-status", "-z", "--format=%x1ecommit%x09%H"]
    proc = git(root, *base, "--find-renames", "HEAD", "--", text=False)
    out = [proc.stdout.decode("utf-8", "surrogateescape")]
    if proc.returncode == 0:
        return out, 0, 0
    seen = set(re.findall(r"\x1ecommit\t([0-9a-f]{40})", out[0]))
    order = git(root, "rev-list", "HEAD").stdout.split()
    remaining = [c for c in order if c not in seen]
    exact = skipped = 0
    while remaining:
        proc = git(root, *base, "--find-renames", "--no-walk=unsorted", "--stdin", input="\n".join(remaining).encode() + b"\n", text=False)
        text = proc.stdout.decode("utf-8", "surrogateescape")
        out.append(text)
        seen |= set(re.findall(r"\x1ecommit\t([0-9a-f]{40})", text))
        if proc.returncode == 0:
            break
        remaining = [c for c in remaining if c not in seen]
        if not remaining:
            break
        failing, remaining = remaining[0], remaining[1:]
        one = git(root, *base, "-M100%", "--no-walk", failing, "--", text=False)
        if one.returncode == 0:
            out.append(one.stdout.decode("utf-8", "surrogateescape"))
            exact += 1
        else:
            skipped += 1
    return out, exact, skipped


def _commitfileinfo(chunks: list[str]) -> list[str]:
    """The lines ``log.awk`` makes: ``sha;ADDED; ;path``, ``sha;MODIFIED; ;path``, ``sha;RENAMED;old;new``."""
    lines = []
    for chunk in chunks:
        for record in chunk.split("\x1e")[1:]:
            head, _, rest = record.partition("\0")
            sha = head.split("\t", 1)[1].strip()
            tokens = rest.lstrip("\n").split("\0")
            i = 0
            while i < len(tokens):
                status = tokens[i].strip("\n")
                if not status:
                    i += 1
                    continue
                if status[0] in "RC":
                    old, new = tokens[i + 1], tokens[i + 2]
                    if status[0] == "R":
                        lines.append(f"{sha};RENAMED;{old};{new}")
                    i += 3
                else:
                    path = tokens[i + 1] if i + 1 < len(tokens) else ""
                    if status[0] == "A":
                        lines.append(f"{sha};ADDED; ;{path}")
                    elif status[0] == "M":
                        lines.append(f"{sha};MODIFIED; ;{path}")
                    i += 2
    return lines


def write_reference_input(root: Path, workdir: Path, cairn: dict, *, cairn_identities: bool) -> dict:
    """The four files the reference reads, in ``workdir``; identities replaced by Cairn's people if asked."""
    workdir.mkdir(parents=True, exist_ok=True)
    info = git(root, "log", "--pretty=format:%H-;-%aN-;-%aE-;-%at-;-%cN-;-%cE-;-%ct-;-%f", "HEAD", text=False)
    lines = info.stdout.decode("utf-8", "replace").splitlines()
    if cairn_identities:
        lines = _with_cairn_identities(lines, cairn["graph"])
    (workdir / "commitinfo.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    chunks, exact, skipped = _log_chunks(root)
    (workdir / "commitfileinfo.log").write_text("\n".join(_commitfileinfo(chunks)) + "\n", encoding="utf-8")
    listed = git(root, "-c", "core.quotepath=off", "ls-files").stdout.splitlines()
    (workdir / "filelist.log").write_text("\n".join(listed) + "\n", encoding="utf-8")
    languages = cairn["languages"]
    linguist = [f"{languages.get(p) or 'unknown'};{p}" for p in cairn["counted"]]
    (workdir / "linguistfiles.log").write_text("\n".join(linguist) + "\n", encoding="utf-8")
    return {"exact_renames_only": exact, "skipped": skipped}


def _with_cairn_identities(lines: list[str], graph) -> list[str]:
    """commitinfo lines whose author is the person Cairn resolved "Name <email>" to (name = display + id)."""
    by_alias: dict[str, tuple[str, str]] = {}
    for node in graph.of_label(Label.PERSON):
        for alias in node.get("aliases") or []:
            by_alias[alias] = (f"{node.get('name')} [{node.key}]", node.key)
    out = []
    for line in lines:
        fields = line.split("-;-")
        if len(fields) >= 7:
            person = by_alias.get(f"{fields[1].strip()} <{fields[2].strip()}>")
            if person is not None:
                fields[1], fields[2] = person
        out.append("-;-".join(fields))
    return out


# -- running the reference -------------------------------------------------------------------------------------

def build_driver(reference: Path, workdir: Path) -> str:
    """Compile the driver against the reference's jar; returns the class path."""
    target = reference / "gittruckfactor" / "target"
    jar = target / "gittruckfactor-1.0.jar"
    if not jar.is_file():
        raise SystemExit(f"{jar} is missing: run `mvn -q package -DskipTests` in {reference / 'gittruckfactor'}")
    classpath = f"{jar}:{target / 'lib'}/*"
    (workdir / "CairnReferenceDriver.java").write_text(DRIVER, encoding="utf-8")
    subprocess.run(["javac", "-nowarn", "-cp", classpath, "-d", str(workdir), str(workdir / "CairnReferenceDriver.java")],
                   check=True, capture_output=True)
    for name, text in _REPO_INFO.items():
        (workdir / "repo_info").mkdir(exist_ok=True)
        (workdir / "repo_info" / name).write_text(text, encoding="utf-8")
    (workdir / "config.properties").write_text(_CONFIG, encoding="utf-8")
    (workdir / "log4j.properties").write_text("log4j.rootLogger=OFF\n", encoding="utf-8")
    return f"{workdir}:{classpath}"


def run_reference(classpath: str, workdir: Path, inputs: Path, name: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(["java", "-Dlog4j.configuration=file:" + str(workdir / "log4j.properties"), "-cp", classpath,
                           "CairnReferenceDriver", str(inputs), name], cwd=workdir, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict = {"seconds": time.perf_counter() - started}
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if parts[0] in ("GREEDY", "PRUNED"):
            result[parts[0]] = {"tf": int(parts[1]), "files": int(parts[2]), "people": []}
        elif parts[0] == "DEV":
            result[parts[1]]["people"].append((parts[2], int(parts[3])))
    return result


# -- the report --------------------------------------------------------------------------------------------------

def _short(people: list, limit: int = 8) -> str:
    names = [p if isinstance(p, str) else p[0] for p in people]
    return ", ".join(names[:limit]) + (f" +{len(names) - limit}" if len(names) > limit else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", default=list(PINS), help="repositories (default: all pinned)")
    parser.add_argument("--repos-dir", type=Path, required=True, help="directory holding one checkout per repository")
    parser.add_argument("--reference", type=Path, help="a built checkout of aserg-ufmg/Truck-Factor")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tf-reference-") as tmp:
        tmpdir = Path(tmp)
        classpath = build_driver(args.reference, tmpdir) if args.reference else None
        rows = []
        for name in args.names:
            url, pin = PINS[name]
            root = args.repos_dir / name
            head = git(root, "rev-parse", "HEAD").stdout.strip() if root.is_dir() else None
            if head != pin:
                print(f"{name}: expected a checkout of {pin[:12]} at {root} (git clone {url} {root} && "
                      f"git -C {root} checkout {pin}); found {head or 'nothing'}", file=sys.stderr)
                continue
            cairn = run_cairn(root, name)
            repo = cairn["report"]["repository"]
            print(f"\n== {name} @ {pin[:12]}: {repo['commits']} commits, {len(cairn['scope'])} files in the truck-factor scope "
                  f"({len(cairn['counted'])} counted by Linguist's rule), ingest {cairn['seconds']:.1f} s")
            if not cairn["report"]["history_complete"]:
                print(f"   history incomplete: {cairn['report']['history']}")
            print(f"   Cairn TF {repo['truck_factor']}: {_short(repo['truck_factor_people'], 20)}")
            print(f"   Cairn human-knowledge TF {repo['human_truck_factor']}: {_short(repo['human_truck_factor_people'], 20)}")
            holders = ", ".join(f"{h['person']} {h['files_authored']}" for h in repo["knowledge_holders"][:8])
            print(f"   top DOA authors (files): {holders}")
            nonhuman = [p for p in cairn["people"]["people"] if p["kind"] != "human"]
            print(f"   bots/agents ({len(nonhuman)}): {_short([p['name'] for p in nonhuman], 10)}")
            duplicates = cairn["people"]["likely_duplicates"]
            print(f"   likely duplicates not merged: {len(duplicates)}"
                  + (f" (e.g. {' / '.join(duplicates[0]['names'])}: {duplicates[0]['reasons'][0]})" if duplicates else ""))
            ids = {}
            for person in cairn["report"]["people"]:
                ids.setdefault(person["name"], person["id"])
            row = {"name": name, "cairn": (repo["truck_factor"], repo["truck_factor_people"]), "files": len(cairn["scope"]),
                   "cairn_ids": {ids.get(n, n) for n in repo["truck_factor_people"]}}
            if classpath:
                for variant, own in (("reference", False), ("reference, Cairn's identities", True)):
                    inputs = tmpdir / f"{name}-{'cairn' if own else 'raw'}"
                    meta = write_reference_input(root, inputs, cairn, cairn_identities=own)
                    ref = run_reference(classpath, tmpdir, inputs, name)
                    if "error" in ref:
                        print(f"   {variant}: failed: {ref['error']}")
                        continue
                    g, p = ref["GREEDY"], ref["PRUNED"]
                    extra = f" (log completed: {meta['exact_renames_only']} commit(s) with exact renames only)" if meta["exact_renames_only"] else ""
                    print(f"   {variant}: {g['files']} files{extra}; greedy TF {g['tf']}: {_short(g['people'], 20)}")
                    if not own:
                        print(f"   {variant}: pruned (v1.2 default) TF {p['tf']}: {_short(p['people'], 20)}")
                    row[variant] = (g["tf"], [x[0] for x in g["people"]], p["tf"], g["files"])
            rows.append(row)

        print("\n| repository | files | Cairn TF | reference greedy TF | reference pruned TF | "
              "reference greedy TF, Cairn's identities | same people |")
        print("|---|---|---|---|---|---|---|")
        for row in rows:
            ref = row.get("reference")
            own = row.get("reference, Cairn's identities")
            same = "-"
            if own:
                theirs = {re.sub(r".*\[(.*)\]$", r"\1", n) for n in own[1]}
                same = "yes" if theirs == row["cairn_ids"] else f"no: {sorted(theirs ^ row['cairn_ids'])}"
            print(f"| {row['name']} | {row['files']} | {row['cairn'][0]} | {ref[0] if ref else '-'} | {ref[2] if ref else '-'} | "
                  f"{own[0] if own else '-'} | {same} |")
    shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
