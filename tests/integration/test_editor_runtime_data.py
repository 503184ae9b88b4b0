"""An editor's runtime data (tree-sitter queries it loads, one folder per language) is neither its components nor
the code its truck factor is about.

A repository laid out as helix's: two crates written by their maintainers, and ``runtime/queries/<language>/*.scm``
added one language at a time by many contributors. The queries outnumber the Rust files: they were split into a
component per language, and (named Tree-sitter Query by ``.gitattributes``, as helix's are) they made the truck factor
theirs.
"""

from __future__ import annotations

from cairn.graph.model import Label
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.ownership import bus_factor
from fixtures.gitrepo import GitRepo

DAVIS = ("Michael Davis", "davis@example.com")
BLAZ = ("Blaž Hrastnik", "blaz@example.com")
CONTRIBUTORS = [(f"Contributor {n}", f"c{n}@example.com") for n in range(8)]
LANGUAGES = ["go", "nix", "rust", "_typescript", "c", "lua", "toml", "zig"]
QUERIES = ("highlights.scm", "indents.scm", "textobjects.scm")
NAMED = "runtime/queries/**/*.scm linguist-language=Tree-sitter-Query\n"
#: a query Linguist's heuristic takes for Scheme (a capture followed by a comment: none of its marks of a query)
AMBIGUOUS = '(identifier) @variable ; {language}\n'
#: a query as Linguist's heuristic tells one: a capture ending a line, a predicate
QUERY = '(identifier) @variable\n((comment) @comment (#match? @comment "^//"))\n'


def build_repo(root, attributes: str, query: str = AMBIGUOUS) -> GitRepo:
    repo = GitRepo(root)
    workspace = '[workspace]\nmembers = ["helix-core", "helix-term"]\n'
    repo.commit({"Cargo.toml": workspace, ".gitattributes": attributes, "runtime/themes/base16.toml": "x = 1\n",
                 "helix-core/Cargo.toml": '[package]\nname = "helix-core"\n'}
                | {f"helix-core/src/{m}.rs": f"pub fn {m}() {{}}\n" for m in ("syntax", "selection", "history")},
                message="core", author=DAVIS)
    repo.commit({"helix-term/Cargo.toml": '[package]\nname = "helix-term"\n'}
                | {f"helix-term/src/{m}.rs": f"pub fn {m}() {{}}\n" for m in ("main", "commands", "ui")},
                message="term", author=BLAZ)
    for language, contributor in zip(LANGUAGES, CONTRIBUTORS):
        repo.commit({f"runtime/queries/{language}/{q}": query.format(language=language) for q in QUERIES},
                    message=f"add {language} queries", author=contributor)
    return repo


def test_the_runtime_folder_of_queries_is_one_component_beside_the_crates(tmp_path):
    repo = build_repo(tmp_path / "r", "")  # no linguist-language, nor a query by its content: Scheme's, counted
    result = ingest_repository(repo.root, cache_dir=tmp_path / "cache")
    components = sorted(n.key for n in result.graph.of_label(Label.COMPONENT))
    # (they were helix-core, helix-term and one per language: the queries held 80 % of the counted files, none of the
    # Rust, and the folder was split as one holding most of the code)
    assert components == ["helix-core", "helix-term", "runtime"]


def test_queries_named_by_gitattributes_are_data_out_of_the_truck_factor(tmp_path):
    repo = build_repo(tmp_path / "r", NAMED)
    result = ingest_repository(repo.root, cache_dir=tmp_path / "cache")
    files = {n.key for n in result.graph.of_label(Label.FILE)}
    assert not any(path.endswith(".scm") for path in files)
    assert sorted(n.key for n in result.graph.of_label(Label.COMPONENT)) == ["helix-core", "helix-term"]
    report = bus_factor(result.graph)["repository"]
    # the crates are Davis' and Blaž's (the 24 queries' files counted, the truck factor was 5: one contributor after
    # another)
    assert report["files"] == 6
    assert report["truck_factor"] == 2
    assert sorted(report["truck_factor_people"]) == ["Blaž Hrastnik", "Michael Davis"]


def test_queries_told_by_their_content_are_data_and_scheme_is_code(tmp_path):
    repo = build_repo(tmp_path / "r", "", QUERY)
    repo.commit({"contrib/scheme/lib.scm": "(define (add a b)\n  (+ a b))\n"}, message="a Scheme library", author=DAVIS)
    result = ingest_repository(repo.root, cache_dir=tmp_path / "cache")
    files = {n.key: n for n in result.graph.of_label(Label.FILE)}
    # (Linguist's heuristic for .scm: the queries were Scheme, counted)
    assert not any(path.startswith("runtime/") for path in files)
    assert files["contrib/scheme/lib.scm"].get("language") == "scheme"
    assert files["contrib/scheme/lib.scm"].get("linguist_counted") is True
