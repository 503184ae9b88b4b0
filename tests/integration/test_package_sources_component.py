"""A package's own top files and its sources' own modules are one component named as the package.

A monorepo laid out as drizzle-orm's: the package ``drizzle-orm/`` holds most of the code and is split into its
sources' folders (``pg-core``, ``mysql-core`` …); its core (``src/column.ts``, ``src/table.ts`` …) was a component
``drizzle-orm.src`` beside a component ``drizzle-orm`` of its manifest and build configuration, so a change to its
``package.json`` touched a component of two files, not the core. Who knows that ``package.json`` (no source file:
no history kept for it) named the components of every file below ``drizzle-orm/``, not the one holding it.
"""

from __future__ import annotations

from cairn.graph.model import Label
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.who_knows import who_knows
from fixtures.gitrepo import GitRepo

CORE = ("column", "table", "entity", "index")


def build_repo(root) -> GitRepo:
    repo = GitRepo(root)
    files = {"package.json": '{"private": true, "workspaces": ["drizzle-orm", "drizzle-kit"]}\n',
             "drizzle-orm/package.json": '{"name": "drizzle-orm", "description": "Drizzle ORM"}\n',
             "drizzle-orm/tsup.config.ts": "export default {};\n",
             "drizzle-orm/vitest.config.ts": "export default {};\n",
             "drizzle-kit/package.json": '{"name": "drizzle-kit"}\n',
             "drizzle-kit/src/cli.ts": "export const cli = 1;\n"}
    files |= {f"drizzle-orm/src/{m}.ts": f"export const {m} = 1;\n" for m in CORE}
    for dialect in ("pg-core", "mysql-core"):
        files |= {f"drizzle-orm/src/{dialect}/{m}.ts": f"import {{ table }} from '../table';\nexport const {m} = table;\n"
                  for m in ("columns", "dialect", "session", "db")}
    repo.commit(files, message="drizzle")
    return repo


def test_a_packages_top_files_and_its_sources_top_modules_are_one_component(tmp_path):
    repo = build_repo(tmp_path / "r")
    result = ingest_repository(repo.root, cache_dir=tmp_path / "cache")
    components = {n.key: n.get("paths") for n in result.graph.of_label(Label.COMPONENT)}
    # (the core was "drizzle-orm.src", beside "drizzle-orm" of drizzle-orm/*: its configuration and manifest)
    assert components == {"drizzle-orm": ["drizzle-orm/*", "drizzle-orm/src/*"], "pg-core": ["drizzle-orm/src/pg-core/**"],
                          "mysql-core": ["drizzle-orm/src/mysql-core/**"], "drizzle-kit": ["drizzle-kit/**"]}
    files = {n.key: n.get("component") for n in result.graph.of_label(Label.FILE)}
    assert files["drizzle-orm/src/column.ts"] == files["drizzle-orm/tsup.config.ts"] == "drizzle-orm"


def test_who_knows_an_untracked_file_names_the_component_holding_it(tmp_path):
    repo = build_repo(tmp_path / "r")
    graph = ingest_repository(repo.root, cache_dir=tmp_path / "cache").graph
    manifest, new = who_knows(graph, ["drizzle-orm/package.json", "drizzle-orm/src/pg-core/view.ts"])["paths"]
    assert (manifest["kind"], manifest["nearest"]) == ("untracked", "drizzle-orm")
    # (they were drizzle-orm, mysql-core and pg-core for both: the components of the files it is answered from)
    assert manifest["components"] == [{"name": "drizzle-orm", "files": 6}]
    assert new["components"] == [{"name": "pg-core", "files": 4}]
    assert len(manifest["holders"]) == 1  # the people of its directory, as before
