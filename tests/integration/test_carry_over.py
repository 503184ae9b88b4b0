"""A warm extraction after a change keeps the previous resolution only when a full one would give the same result."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cairn.ingest.code.cache import ParseCache
from cairn.ingest.code.extract import SourceFile, extract_code
from cairn.ingest.code.javascript import JavaScriptLanguage
from cairn.ingest.code.python import PythonLanguage

FILES = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "src/app/__init__.py": "",
    "src/app/core.py": "import os\nfrom app import util\nfrom .models import Thing\n\n\ndef run():\n    return Thing()\n",
    "src/app/models.py": "from dataclasses import dataclass\n\n\n@dataclass\nclass Thing:\n    name: str = ''\n",
    "src/app/util.py": "import json\n",
    "web/index.js": "import { run } from './lib.js'\nrun()\n",
    "web/lib.js": "export function run() {}\n",
}


class CountingPython(PythonLanguage):
    """The real Python language, counting how often a whole-repository resolver is made."""

    resolvers = 0

    def resolver(self, layout):
        CountingPython.resolvers += 1
        return super().resolver(layout)


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        before = target.stat().st_mtime_ns if target.exists() else 0
        target.write_text(text)
        stat = target.stat()
        if stat.st_mtime_ns == before:  # a coarse clock: make the change visible to the (size, mtime) record
            os.utime(target, ns=(stat.st_atime_ns, before + 1_000_000))


def extract(root: Path, cache: ParseCache):
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    sources = [SourceFile(p, (root / p).stat().st_size, (root / p).stat().st_mtime_ns)
               for p in paths if p.endswith((".py", ".js")) and not p.startswith("vendor/")]  # vendor/: excluded

    def read_text(path: str) -> str | None:
        try:
            return (root / path).read_text()
        except OSError:
            return None

    CountingPython.resolvers = 0
    return extract_code(sources, lambda p: (root / p).read_bytes(), all_paths=frozenset(paths), read_text=read_text,
                        cache=cache, languages=[CountingPython(), JavaScriptLanguage()], workers=1)


def same(a, b) -> None:
    assert (a.modules, a.file_module, a.imports, a.languages, a.syntax_errors, a.skipped_content, a.lines, a.notes) == (
        b.modules, b.file_module, b.imports, b.languages, b.syntax_errors, b.skipped_content, b.lines, b.notes)
    assert list(a.lines) == list(b.lines) and list(a.syntax_errors) == list(b.syntax_errors)


@pytest.fixture
def warm(tmp_path):
    root = tmp_path / "repo"
    write(root, FILES)
    cache_dir = tmp_path / "cache"
    cache = ParseCache(cache_dir)
    extract(root, cache)
    cache.save()
    return root, cache_dir


CHANGES = {
    # (the change, whether the previous resolution carries over)
    "a body grows": ({"src/app/core.py": FILES["src/app/core.py"] + "\n\ndef more():\n    return 1\n"}, True),
    "two languages' bodies change": ({"src/app/models.py": FILES["src/app/models.py"] + "# note\n",
                                      "web/lib.js": "export function run() { return 1 }\n"}, True),
    "a body without syntax errors gets one": ({"web/index.js": FILES["web/index.js"] + "run(\n"}, False),
    "a body after the imports breaks where the import scan does not look": (
        {"src/app/core.py": FILES["src/app/core.py"] + "def broken(:\n"}, True),
    "an import is added": ({"src/app/util.py": "import json\nfrom app import models\n"}, False),
    "an import moves a line down": ({"src/app/util.py": "\nimport json\n"}, True),
    "lines added above every import, and below": (
        {"src/app/core.py": '"""Core."""\n\n' + FILES["src/app/core.py"] + "\n\ndef more():\n    import json\n",
         "web/index.js": "// entry\n" + FILES["web/index.js"]}, False),  # json: an import added
    "lines added above the imports of two languages": (
        {"src/app/core.py": '"""Core."""\n\n' + FILES["src/app/core.py"], "web/index.js": "// entry\n" + FILES["web/index.js"]},
        True),
    "two imports put on one line": ({"src/app/core.py": FILES["src/app/core.py"].replace(
        "import os\nfrom app import util\n", "import os; from app import util\n\n")}, False),
    "two imports swap places": ({"src/app/core.py": FILES["src/app/core.py"].replace(
        "import os\nfrom app import util\n", "from app import util\nimport os\n")}, False),
    "a relative import changes level": ({"src/app/core.py": FILES["src/app/core.py"].replace("from .models", "from ..models")}, False),
    "a file resolution reads changes": ({"pyproject.toml": "[tool.setuptools.package-dir]\n'' = 'src'\n"}, False),
    "a module is added": ({"src/app/extra.py": "import app.core\n"}, False),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_the_result_after_a_change_is_what_a_full_resolution_gives(warm, name):
    root, cache_dir = warm
    change, carries = CHANGES[name]
    write(root, change)
    cache = ParseCache(cache_dir)
    warm_result = extract(root, cache)
    resolved = CountingPython.resolvers
    cold_result = extract(root, ParseCache(None))
    same(warm_result, cold_result)
    assert (resolved == 0) is carries, "carried over" if resolved == 0 else "resolved again"
    assert warm_result.parsed == sum(1 for p in change if p.endswith((".py", ".js")))
    # what the cache keeps for this run is the same result, recalled next time without parsing or resolving
    cache.save()
    again = extract(root, ParseCache(cache_dir))
    assert CountingPython.resolvers == 0 and again.parsed == 0
    same(again, cold_result)


def test_a_second_change_carries_over_from_the_carried_result(warm):
    root, cache_dir = warm
    for n in range(3):
        write(root, {"src/app/models.py": FILES["src/app/models.py"] + f"# change {n}\n" * (n + 1)})
        cache = ParseCache(cache_dir)
        result = extract(root, cache)
        assert CountingPython.resolvers == 0
        cache.save()
    same(result, extract(root, ParseCache(None)))
    assert result.lines["src/app/models.py"] == FILES["src/app/models.py"].count("\n") + 3
    # kept as patches on the one whole result they were carried from, which stays while they do
    kept = json.loads((cache_dir / "parse-state.json").read_text())["results"]
    whole = [r["fingerprint"] for r in kept if "base" not in r]
    assert len(whole) == 1 and len(kept) == 1 + ParseCache.KEEP_RESULTS
    assert all(r["base"] == whole[0] and r["patch"]["lines"] == {"src/app/models.py": r["patch"]["lines"]["src/app/models.py"]}
               for r in kept if "base" in r)


def test_a_patch_without_its_whole_result_is_ignored_with_a_note(warm):
    root, cache_dir = warm
    write(root, {"src/app/models.py": FILES["src/app/models.py"] + "# note\n"})
    cache = ParseCache(cache_dir)
    extract(root, cache)
    cache.save()
    state_file = cache_dir / "parse-state.json"
    state = json.loads(state_file.read_text())
    state["results"] = [r for r in state["results"] if "base" in r]
    state_file.write_text(json.dumps(state))
    write(root, {"src/app/models.py": FILES["src/app/models.py"] + "# another\n"})
    broken = ParseCache(cache_dir)
    result = extract(root, broken)
    assert CountingPython.resolvers == 1 and any("not in the expected shape" in n for n in broken.notes)
    same(result, extract(root, ParseCache(None)))


def test_without_the_previous_result_it_resolves_again(warm):
    root, cache_dir = warm
    (cache_dir / "parse-state.json").unlink()
    write(root, {"src/app/models.py": FILES["src/app/models.py"] + "# note\n"})
    result = extract(root, ParseCache(cache_dir))
    assert CountingPython.resolvers == 1
    same(result, extract(root, ParseCache(None)))


@pytest.fixture
def warm_python_only(tmp_path):
    root = tmp_path / "repo"
    write(root, {p: t for p, t in FILES.items() if not p.startswith("web/")})
    cache_dir = tmp_path / "cache"
    cache = ParseCache(cache_dir)
    extract(root, cache)
    cache.save()
    return root, cache_dir


@pytest.mark.parametrize("change, carries", [
    # paths Python resolution never looks at come and go
    ({"docs/guide.md": "# Guide\n", "src/app/core.py": FILES["src/app/core.py"] + "# more\n"}, True),
    ({"NOTES.txt": "notes\n"}, True),
    # a package appears: module names can change
    ({"src/app/sub/__init__.py": "", "src/app/core.py": FILES["src/app/core.py"] + "# more\n"}, False),
    # …even outside the files extracted (the resolver looks at every __init__.py of the checkout)
    ({"vendor/lib/__init__.py": "", "src/app/core.py": FILES["src/app/core.py"] + "# more\n"}, False),
])
def test_in_a_python_repository_other_files_do_not_matter(warm_python_only, change, carries):
    root, cache_dir = warm_python_only
    write(root, change)
    result = extract(root, ParseCache(cache_dir))
    assert (CountingPython.resolvers == 0) is carries
    same(result, extract(root, ParseCache(None)))


def test_with_javascript_any_new_path_resolves_again(warm):
    root, cache_dir = warm  # the JavaScript resolver reads configurations that can name any file
    write(root, {"docs/guide.md": "# Guide\n", "src/app/core.py": FILES["src/app/core.py"] + "# more\n"})
    result = extract(root, ParseCache(cache_dir))
    assert CountingPython.resolvers == 1
    same(result, extract(root, ParseCache(None)))


def test_moved_import_lines_are_kept_as_a_patch_of_that_module(warm):
    root, cache_dir = warm
    write(root, {"src/app/core.py": '"""Core."""\n\n' + FILES["src/app/core.py"]})
    cache = ParseCache(cache_dir)
    result = extract(root, cache)
    cache.save()
    assert [i.line for i in result.imports["app.core"]] == [3, 4, 5]
    kept = json.loads((cache_dir / "parse-state.json").read_text())["results"]
    patch = next(r["patch"] for r in kept if "base" in r)
    assert list(patch["imports"]) == ["app.core"] and patch["lines"] == {"src/app/core.py": 9}
    again = extract(root, ParseCache(cache_dir))
    assert CountingPython.resolvers == 0 and again.parsed == 0
    same(again, extract(root, ParseCache(None)))
