"""Python import extraction and resolution, on real git repositories built here.

The language is driven through its contract directly: the repository's files
are listed with ``git ls-files``, parsed with ``PythonLanguage.parse`` and
resolved by the resolver over a ``Layout`` of the whole checkout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cairn.ingest.code.base import DYNAMIC, RUNTIME, TYPE_ONLY, ParsedFile
from cairn.ingest.code.python import PythonLanguage, PythonResolver
from cairn.ingest.code.python.parse import parser
from cairn.ingest.code.python.scan import import_candidates, parse_import_text
from fixtures import language_harness
from fixtures.gitrepo import GitRepo

EXT = True  # readability of expected edge tuples: (source, target, kind, external)
INT = False


def load(root: Path) -> tuple[PythonResolver, dict[str, ParsedFile]]:
    return language_harness.load(root, PythonLanguage())


def edges(resolver: PythonResolver, parsed: dict[str, ParsedFile]) -> set[tuple[str, str, str, bool]]:
    return language_harness.edges(resolver, parsed, with_kind=True)


def edges_from(resolver, parsed, path) -> set[tuple[str, str, bool]]:
    return {(imp.target, imp.kind, imp.external) for imp in resolver.resolve(parsed[path])}


SHOP = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "setup.py": "from setuptools import setup\nfrom . import nothing\nsetup()\n",
    "src/shop/__init__.py": (
        "from . import models\n"
        "from .version import VERSION\n"
        "from . import not_a_module\n"  # an attribute of the package itself: no self-edge
    ),
    "src/shop/version.py": "VERSION = '1.0'\n",
    "src/shop/models.py": (
        "import os.path\n"
        "import requests.adapters\n"
        "import shop.core.db\n"
        "from shop.core import db as database, helper\n"  # submodule and attribute on one line
        "from acme.notify import email\n"
        "from shop.missing.deeper import thing\n"  # nothing there: dropped, not external
        "class Model:\n"
        "    pass\n"
    ),
    "src/shop/core/__init__.py": "from .. import version\nfrom . import db\n\ndef helper():\n    pass\n",
    "src/shop/core/db.py": "from ..models import Model\nfrom ...outside import x\nfrom .. import *\n",
    "src/shop/core/service.py": (
        "import sys\n"
        "import typing\n"
        "import importlib\n"
        "from importlib import import_module\n"
        "from typing import TYPE_CHECKING\n"
        "\n"
        "def load():\n"
        "    import shop.slow\n"
        "\n"
        "try:\n"
        "    import shop.fast as impl\n"  # no shop/fast.py: grimp falls back to the parent, shop
        "except ImportError:\n"
        "    from shop import slow as impl\n"
        "\n"
        "if sys.version_info >= (3, 11):\n"
        "    import tomllib\n"
        "else:\n"
        "    import tomli as tomllib\n"
        "\n"
        "class Registry:\n"
        "    from shop.core import db\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from shop.billing.invoice import Invoice\n"
        "else:\n"
        "    from shop import version\n"
        "\n"
        "if typing.TYPE_CHECKING:\n"
        "    import shop.api\n"
        "\n"
        "def plugins(name):\n"
        "    importlib.import_module('shop.plugins.alpha')\n"
        "    importlib.import_module(name)\n"
        "    import_module('.db', package=__package__)\n"
        "    import_module('.db', package=name)\n"
        "    __import__(\"json\")\n"
        "    importlib.import_module(f'shop.{name}')\n"
    ),
    "src/shop/billing/__init__.py": "",
    "src/shop/billing/invoice.py": "from shop.core.service import *\nfrom ..models import Model\n",
    "src/shop/api.py": "from fastapi import FastAPI\n",
    "src/shop/slow.py": "",
    "src/shop/plugins/__init__.py": "from importlib import import_module\nimport_module('.alpha', package=__name__)\n",
    "src/shop/plugins/alpha.py": "from ..models import Model\n",
    "src/shop/broken.py": "import shop.api\ndef oops(:\n    pass\nfrom shop import slow\n",
    "src/shop/legacy.py": b"# -*- coding: latin-1 -*-\n# Jos\xe9 wrote this\nNAME = 'caf\xe9'\nfrom .core import db\n",
    "src/shop/data/loader.py": "import shop.models\n",  # no __init__.py inside a package: not a module (grimp)
    "src/acme/notify/__init__.py": "",
    "src/acme/notify/email.py": "from shop.models import Model\nfrom . import templates\n",
    "src/acme/notify/templates.py": "import acme.notify\n",
    "tests/unit/__init__.py": "",
    "tests/unit/helpers.py": "",
    "tests/unit/test_models.py": "import pytest\nfrom shop.models import Model\nfrom unit.helpers import make\nfrom .helpers import make\n",
    "scripts/release.py": "from shop.version import VERSION\nimport release_tools\n",
    "README.md": "# shop\n",
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    root = tmp_path_factory.mktemp("shop")
    repo = GitRepo(root)
    repo.commit(SHOP, message="shop: src layout, namespace package, tests, scripts")
    return load(root)


def test_module_names_follow_source_roots(shop):
    resolver, parsed = shop
    named = {path: resolver.module_of(path) for path in parsed}
    assert named == {
        "setup.py": "setup",
        "src/shop/__init__.py": "shop",
        "src/shop/version.py": "shop.version",
        "src/shop/models.py": "shop.models",
        "src/shop/core/__init__.py": "shop.core",
        "src/shop/core/db.py": "shop.core.db",
        "src/shop/core/service.py": "shop.core.service",
        "src/shop/billing/__init__.py": "shop.billing",
        "src/shop/billing/invoice.py": "shop.billing.invoice",
        "src/shop/api.py": "shop.api",
        "src/shop/slow.py": "shop.slow",
        "src/shop/plugins/__init__.py": "shop.plugins",
        "src/shop/plugins/alpha.py": "shop.plugins.alpha",
        "src/shop/broken.py": "shop.broken",
        "src/shop/legacy.py": "shop.legacy",
        "src/shop/data/loader.py": None,
        # src/acme has a package but the code imports it as acme.notify: a namespace package, not a source root
        "src/acme/notify/__init__.py": "acme.notify",
        "src/acme/notify/email.py": "acme.notify.email",
        "src/acme/notify/templates.py": "acme.notify.templates",
        # tests/ directly holds a package, so it is a source root (as pytest's rootdir insertion makes it)
        "tests/unit/__init__.py": "unit",
        "tests/unit/helpers.py": "unit.helpers",
        "tests/unit/test_models.py": "unit.test_models",
        "scripts/release.py": "scripts.release",
    }
    assert resolver.extra_modules() == {"acme": "src/acme", "scripts": "scripts"}
    assert resolver.module_path("shop.core") == "src/shop/core/__init__.py"
    assert resolver.module_path("acme") == "src/acme"
    assert resolver.duplicates == []


def test_every_import_form_resolves_like_grimp(shop):
    resolver, parsed = shop
    R, T, D = RUNTIME, TYPE_ONLY, DYNAMIC
    assert edges(resolver, parsed) == {
        ("setup", "setuptools", R, EXT),  # `from . import nothing` climbs above the source root: dropped
        ("shop", "shop.models", R, INT),
        ("shop", "shop.version", R, INT),
        ("shop.models", "os", R, EXT),
        ("shop.models", "requests", R, EXT),
        ("shop.models", "shop.core.db", R, INT),
        ("shop.models", "shop.core", R, INT),  # `helper` is an attribute of shop.core
        ("shop.models", "acme.notify.email", R, INT),
        ("shop.core", "shop.version", R, INT),
        ("shop.core", "shop.core.db", R, INT),
        ("shop.core.db", "shop.models", R, INT),
        ("shop.core.db", "shop", R, INT),  # from .. import *
        ("shop.core.service", "sys", R, EXT),
        ("shop.core.service", "typing", R, EXT),
        ("shop.core.service", "importlib", R, EXT),
        ("shop.core.service", "shop.slow", R, INT),
        ("shop.core.service", "shop", R, INT),  # import shop.fast (missing) falls back to shop
        ("shop.core.service", "tomllib", R, EXT),
        ("shop.core.service", "tomli", R, EXT),
        ("shop.core.service", "shop.core.db", R, INT),
        ("shop.core.service", "shop.billing.invoice", T, INT),
        ("shop.core.service", "shop.version", R, INT),  # the else branch of TYPE_CHECKING runs
        ("shop.core.service", "shop.api", T, INT),
        ("shop.core.service", "shop.plugins.alpha", D, INT),
        ("shop.core.service", "shop.core.db", D, INT),
        ("shop.core.service", "json", D, EXT),
        ("shop.billing.invoice", "shop.core.service", R, INT),
        ("shop.billing.invoice", "shop.models", R, INT),
        ("shop.api", "fastapi", R, EXT),
        ("shop.plugins", "importlib", R, EXT),
        ("shop.plugins", "shop.plugins.alpha", D, INT),
        ("shop.plugins.alpha", "shop.models", R, INT),
        ("shop.broken", "shop.api", R, INT),
        ("shop.broken", "shop.slow", R, INT),
        ("shop.legacy", "shop.core.db", R, INT),
        ("acme.notify.email", "shop.models", R, INT),
        ("acme.notify.email", "acme.notify.templates", R, INT),
        ("acme.notify.templates", "acme.notify", R, INT),
        ("unit.test_models", "pytest", R, EXT),
        ("unit.test_models", "shop.models", R, INT),
        ("unit.test_models", "unit.helpers", R, INT),
        ("scripts.release", "shop.version", R, INT),
        ("scripts.release", "release_tools", R, EXT),
    }


def test_line_numbers_are_one_based_and_kept_per_statement(shop):
    resolver, parsed = shop
    lines = {(imp.target, imp.line, imp.kind) for imp in resolver.resolve(parsed["src/shop/core/service.py"])}
    assert ("shop.slow", 8, RUNTIME) in lines and ("shop.slow", 13, RUNTIME) in lines
    assert ("shop.core.db", 21, RUNTIME) in lines and ("shop.core.db", 34, DYNAMIC) in lines
    assert ("shop.billing.invoice", 24, TYPE_ONLY) in lines
    assert ("shop.version", 26, RUNTIME) in lines
    models = resolver.resolve(parsed["src/shop/models.py"])
    assert sorted((i.target, i.line) for i in models if not i.external) == [
        ("acme.notify.email", 5), ("shop.core", 4), ("shop.core.db", 3), ("shop.core.db", 4),
    ]


def test_syntax_errors_are_counted_and_imports_after_them_kept(shop):
    resolver, parsed = shop
    assert parsed["src/shop/broken.py"].syntax_errors >= 1
    assert parsed["src/shop/models.py"].syntax_errors == 0
    assert edges_from(resolver, parsed, "src/shop/broken.py") == {("shop.api", RUNTIME, False), ("shop.slow", RUNTIME, False)}


def test_latin1_bytes_do_not_break_parsing():
    language = PythonLanguage()
    source = b"# caf\xe9\nNAME = 'Jos\xe9'\nimport os\nfrom .core import db\n"
    pf = language.parse("pkg/legacy.py", source)
    assert [(i.spec, i.line, i.level, i.names) for i in pf.imports] == [("os", 3, 0, ()), ("core", 4, 1, ("db",))]
    # Invalid bytes inside the import itself: garbage names, but no exception and the rest kept.
    pf = language.parse("pkg/worse.py", b"import caf\xe9_mod\nfrom \xff\xfe import x\nimport os\n")
    assert all(isinstance(i.spec, str) for i in pf.imports) and pf.imports[-1].spec == "os"


def test_raw_imports_as_written():
    pf = PythonLanguage().parse("m.py", (
        b"import a.b.c as abc, d\n"
        b"from .. import (x,\n    y as why)\n"
        b"from .pkg.sub import *\n"
        b"from __future__ import annotations\n"
        b"from a . b import c\n"
        b"from e \\\n    import f\n"
        b"s = '''\nimport not_an_import\n'''\n"
        b"# import commented_out\n"
        b"x = 1; import after_semicolon\n"
        b"__import__('dyn.amic')\n"
    ))
    assert [(i.spec, i.line, i.level, i.names, i.kind) for i in pf.imports] == [
        ("a.b.c", 1, 0, (), RUNTIME),
        ("d", 1, 0, (), RUNTIME),
        ("", 2, 2, ("x", "y"), RUNTIME),
        ("pkg.sub", 4, 1, ("*",), RUNTIME),
        ("a.b", 6, 0, ("c",), RUNTIME),
        ("e", 7, 0, ("f",), RUNTIME),
        ("after_semicolon", 13, 0, (), RUNTIME),
        ("dyn.amic", 14, 0, (), DYNAMIC),
    ]


def test_imports_far_down_a_long_file_and_in_docstrings():
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(400))
    source = (
        '"""Module docstring.\n\n>>> import doctest_only\n"""\n'
        "import top\n" + body +
        "def late():\n    from deep.down import thing\n    return thing\n" + body +
        'TEXT = """\nimport inside_a_string\n"""\n' + body
    ).encode()
    pf = PythonLanguage().parse("m.py", source)
    assert [i.spec for i in pf.imports] == ["top", "deep.down"]

    tails = {
        "x = importlib.import_module(\n    'late.mod')\n": [("late.mod", DYNAMIC)],
        "if ready: import late_one\n": [("late_one", RUNTIME)],
        "from late import (\n    a,\n    b,\n)\n": [("late", RUNTIME)],
        "KEYWORDS = ['import', 'from']\nimportant = reimport = 1\n": [],
        "def f():\n    return __import__ ('late.dunder')\n": [("late.dunder", DYNAMIC)],
    }
    for tail, expected in tails.items():
        pf = PythonLanguage().parse("m.py", ("import top\n" + body + tail + body).encode())
        assert [(i.spec, i.kind) for i in pf.imports] == [("top", RUNTIME), *expected], tail
        assert pf.syntax_errors == 0


@pytest.mark.parametrize("stray", ["", "X = 1  # a stray \"\"\" in a comment\n"])
def test_code_examples_inside_strings_are_not_imports(stray):
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(50))
    source = (
        "import real_one\n" + body +
        'EXAMPLE = """\nimport fake_one\n' + body + 'def g():\n    from fake import two\n"""\n' + body +
        stray + body +
        "def h():\n    import real_two\n" + body +
        "HELP = \'\'\'\nclass C:\n    import fake_three\n\'\'\'\n" + body +
        "class D:\n    def m(self):\n        import real_three\n" + body
    ).encode()
    pf = PythonLanguage().parse("m.py", source)
    assert [(i.spec, i.line) for i in pf.imports] == [
        ("real_one", 1),
        ("real_two", source[: source.index(b"import real_two")].count(b"\n") + 1),
        ("real_three", source[: source.index(b"import real_three")].count(b"\n") + 1),
    ]
    if not stray:  # the fast path (only the statements holding imports) was taken, not a whole-file parse
        _, windows = parse_import_text(parser(), source, import_candidates(source))
        assert len(windows) > 1 and sum(b - a for a, b, _ in windows) < len(source) / 2


def test_else_branch_and_nested_type_checking():
    pf = PythonLanguage().parse("m.py", (
        b"if TYPE_CHECKING:\n"
        b"    import a\n"
        b"    if sys.platform == 'win32':\n"
        b"        import b\n"
        b"elif other:\n"
        b"    import c\n"
        b"else:\n"
        b"    import d\n"
        b"def f():\n"
        b"    if t.TYPE_CHECKING:\n"
        b"        from x import y\n"
        b"if not TYPE_CHECKING:\n"  # grimp does not recognise this form either
        b"    import e\n"
    ))
    assert [(i.spec, i.kind) for i in pf.imports] == [
        ("a", TYPE_ONLY), ("b", TYPE_ONLY), ("c", RUNTIME), ("d", RUNTIME), ("x", TYPE_ONLY), ("e", RUNTIME),
    ]


def test_plain_layout_with_src_prefix_imports_and_duplicates(tmp_path):
    """A project that imports `src.app…` keeps `src` in its module names; duplicates resolve deterministically."""
    repo = GitRepo(tmp_path / "flat")
    repo.commit({
        "src/app/__init__.py": "",
        "src/app/main.py": "from src.app import util\nfrom src.app.util import helper\n",
        "src/app/util.py": "def helper():\n    pass\n",
        "tests/test_main.py": "from src.app.main import run\n",
        "tool.py": "import tool_lib\n",
        "tool/__init__.py": "from . import tool_lib\n",
        "tool/tool_lib.py": "",
        "lib/tool/__init__.py": "",  # lib/ directly holds a package: a second source root, and a clash with tool/
    }, message="flat layout")
    resolver, parsed = load(repo.root)
    assert resolver.module_of("src/app/main.py") == "src.app.main"
    assert resolver.module_of("tests/test_main.py") == "tests.test_main"
    assert resolver.module_of("tool/__init__.py") == "tool"  # a package beats a module of the same name
    assert resolver.module_of("tool.py") is None
    assert resolver.module_of("lib/tool/__init__.py") is None  # the shallower source root wins
    assert sorted(resolver.duplicates) == [("lib/tool/__init__.py", "tool", "tool/__init__.py"), ("tool.py", "tool", "tool/__init__.py")]
    assert resolver.extra_modules() == {"src": "src", "tests": "tests"}
    assert edges(resolver, parsed) == {
        ("src.app.main", "src.app.util", RUNTIME, False),
        ("tests.test_main", "src.app.main", RUNTIME, False),
        ("tool", "tool.tool_lib", RUNTIME, False),
    }


def test_directories_whose_modules_import_each_other_by_bare_name_are_source_roots(tmp_path):
    repo = GitRepo(tmp_path / "scripts")
    repo.commit({
        "app/__init__.py": "",
        "tests/conftest.py": "import sys\n",
        "tests/helpers.py": "import app\n",
        "tests/test_app.py": "from helpers import make\nimport conftest\n",  # pytest's rootdir insertion
        "tools/a.py": "import os\n",  # nothing imported by bare name: stays tools.a
        "tools/b.py": "from tools import a\n",
        "bin/utils.py": "",
        "bin/run.py": "import utils\n",
        "scripts/utils.py": "",  # would clash with bin/utils.py once bin/ is a root: stays scripts.utils
        "scripts/run.py": "import utils\n",
    }, message="scripts")
    resolver, parsed = load(repo.root)
    assert {p: resolver.module_of(p) for p in parsed} == {
        "app/__init__.py": "app",
        "tests/conftest.py": "conftest",
        "tests/helpers.py": "helpers",
        "tests/test_app.py": "test_app",
        "tools/a.py": "tools.a",
        "tools/b.py": "tools.b",
        "bin/utils.py": "utils",
        "bin/run.py": "run",
        "scripts/utils.py": "scripts.utils",
        "scripts/run.py": "scripts.run",
    }
    assert {(s, t) for s, t, _, external in edges(resolver, parsed) if not external} == {
        ("helpers", "app"), ("test_app", "helpers"), ("test_app", "conftest"), ("tools.b", "tools.a"),
        # scripts/run.py's bare `utils` is ambiguous: one top-level name, two files; the root that won it gets it
        ("run", "utils"), ("scripts.run", "utils"),
    }


def test_namespace_portions_elsewhere_are_external(tmp_path):
    repo = GitRepo(tmp_path / "ns")
    repo.commit({
        "google/cloud/storage/__init__.py": "from google.cloud.storage import blob\n",
        "google/cloud/storage/blob.py": (
            "import google.auth.transport\n"  # another distribution's portion of the namespace
            "from google.cloud import exceptions\n"
            "from google.cloud.storage import missing_attr\n"
            "from google import cloud\n"
        ),
        "app-scripts/run.py": "import helpers\n",  # a directory that cannot be imported through is a source root
        "app-scripts/helpers.py": "",
    }, message="namespace")
    resolver, parsed = load(repo.root)
    assert resolver.module_of("google/cloud/storage/blob.py") == "google.cloud.storage.blob"
    assert resolver.module_of("app-scripts/run.py") == "run"
    assert resolver.extra_modules() == {"google": "google", "google.cloud": "google/cloud"}
    assert edges(resolver, parsed) == {
        ("google.cloud.storage", "google.cloud.storage.blob", RUNTIME, False),
        ("google.cloud.storage.blob", "google.auth", RUNTIME, True),
        ("google.cloud.storage.blob", "google.cloud.exceptions", RUNTIME, True),
        ("google.cloud.storage.blob", "google.cloud.storage", RUNTIME, False),
        ("google.cloud.storage.blob", "google.cloud", RUNTIME, False),
        ("run", "helpers", RUNTIME, False),
    }


# A package holding every import form grimp understands, without the files grimp refuses
# (syntax errors, Latin-1): Cairn's internal edges must equal grimp's on it.
GRIMP_PROBE = {path.removeprefix("src/"): text for path, text in SHOP.items()
               if path.startswith("src/shop/") and path not in {"src/shop/broken.py", "src/shop/legacy.py"}}


def test_internal_edges_equal_grimps_on_the_probe_package(tmp_path):
    grimp = pytest.importorskip("grimp")
    repo = GitRepo(tmp_path / "probe")
    repo.commit(GRIMP_PROBE, message="probe")
    resolver, parsed = load(repo.root)
    # grimp does not see importlib/__import__ calls; Cairn's other edges must be exactly grimp's
    cairn = {(s, t) for s, t, kind, external in edges(resolver, parsed) if not external and kind != DYNAMIC}
    sys.path.insert(0, str(repo.root))
    try:
        graph = grimp.build_graph("shop", include_external_packages=False, cache_dir=None)
    finally:
        sys.path.remove(str(repo.root))
    theirs = {(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m) if i != m}
    assert cairn == theirs
    assert len(theirs) >= 17


def test_partial_parse_equals_whole_file_parse_on_the_standard_library(monkeypatch):
    """Parsing only the statements that hold imports must change nothing: imports, kinds,
    lines and syntax-error counts equal those of a whole-file parse, on real code."""
    import sysconfig

    from cairn.ingest.code.python import parse as python_parse, scan as python_scan

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)[:1500]
    sources = [p.read_bytes() for p in files]
    partial = [python_parse.extract_imports(s) for s in sources]
    monkeypatch.setattr(python_scan, "WHOLE_FILE_ABOVE", 0.0)
    whole = [python_parse.extract_imports(s) for s in sources]
    assert sum(len(imports) for imports, _ in whole) > 5000
    assert [(str(f), p) for f, p in zip(files, partial)] == [(str(f), w) for f, w in zip(files, whole)]


def test_namespace_portions_inside_a_package_are_modules_when_the_code_imports_them(tmp_path):
    # Flask's layout: src/flask/sansio/ has no __init__.py, and flask/app.py imports from it
    repo = GitRepo(tmp_path / "flaskish")
    repo.commit({
        "src/flask/__init__.py": "from .app import Flask\n",
        "src/flask/app.py": "from .sansio.app import App\nfrom . import sansio\n",
        "src/flask/sansio/app.py": "from .scaffold import Scaffold\nfrom .. import helpers\n",
        "src/flask/sansio/scaffold.py": "import flask.sansio.inner.deep\n",
        "src/flask/sansio/inner/deep.py": "",
        "src/flask/helpers.py": "",
        "src/flask/fixtures/sample.py": "import flask.app\n",  # nothing imports it: test data, no module
    }, message="portion")
    resolver, parsed = load(repo.root)
    named = {path: resolver.module_of(path) for path in parsed}
    assert named == {
        "src/flask/__init__.py": "flask",
        "src/flask/app.py": "flask.app",
        "src/flask/helpers.py": "flask.helpers",
        "src/flask/sansio/app.py": "flask.sansio.app",
        "src/flask/sansio/scaffold.py": "flask.sansio.scaffold",
        "src/flask/sansio/inner/deep.py": "flask.sansio.inner.deep",
        "src/flask/fixtures/sample.py": None,
    }
    assert resolver.extra_modules() == {}  # a portion's folder is no module: ``from . import sansio`` names flask
    assert edges(resolver, parsed) == {
        ("flask", "flask.app", RUNTIME, False),
        ("flask.app", "flask.sansio.app", RUNTIME, False),
        ("flask.app", "flask", RUNTIME, False),
        ("flask.sansio.app", "flask.sansio.scaffold", RUNTIME, False),
        ("flask.sansio.app", "flask.helpers", RUNTIME, False),
        ("flask.sansio.scaffold", "flask.sansio.inner.deep", RUNTIME, False),
    }


def test_a_module_shadows_a_namespace_portion_of_its_name(tmp_path):
    repo = GitRepo(tmp_path / "shadow")
    repo.commit({
        "pkg/__init__.py": "from .tools import run\n",
        "pkg/tools.py": "def run(): pass\n",
        "pkg/tools/extra.py": "",  # Python finds pkg/tools.py first: pkg.tools is that module
    }, message="shadow")
    resolver, parsed = load(repo.root)
    assert resolver.module_of("pkg/tools.py") == "pkg.tools"
    assert resolver.module_of("pkg/tools/extra.py") is None
    assert resolver.extra_modules() == {}


def test_example_and_test_roots_do_not_capture_the_projects_imports(tmp_path):
    """celery's layout: examples/ directly holds a package, so it is a source root whose folders are named like the
    project's optional dependencies (examples/pydantic/, examples/gevent/); only the examples see them."""
    repo = GitRepo(tmp_path / "celeryish")
    repo.commit({
        "src/proj/__init__.py": "import gevent\nfrom pydantic import BaseModel\nimport eventlet.debug\nfrom . import app\n",
        "src/proj/app.py": "import cliapp\n",
        "examples/pydantic/__init__.py": "",
        "examples/pydantic/tasks.py": "from proj import app\nfrom pydantic import BaseModel\n",
        "examples/gevent/tasks.py": "import gevent.monkey\nfrom pydantic import tasks\n",
        "examples/eventlet/crawler.py": "import eventlet\n",
        # flask's tests/test_apps/: a root its tests import from (conftest puts it on sys.path)
        "tests/test_apps/cliapp/__init__.py": "",
        "tests/test_cli.py": "from cliapp import app\n",
        "docs/proj/__init__.py": "",  # as shallow as src/proj/ and lexically first, but the project's proj wins
    }, message="examples")
    resolver, parsed = load(repo.root)
    named = {path: resolver.module_of(path) for path in parsed}
    assert named == {
        "src/proj/__init__.py": "proj",
        "src/proj/app.py": "proj.app",
        "examples/pydantic/__init__.py": "pydantic",
        "examples/pydantic/tasks.py": "pydantic.tasks",
        "examples/gevent/tasks.py": "gevent.tasks",
        "examples/eventlet/crawler.py": "eventlet.crawler",
        "tests/test_apps/cliapp/__init__.py": "cliapp",
        "tests/test_cli.py": "tests.test_cli",
        "docs/proj/__init__.py": None,
    }
    assert resolver.duplicates == [("docs/proj/__init__.py", "proj", "src/proj/__init__.py")]
    assert edges(resolver, parsed) == {
        ("proj", "gevent", RUNTIME, EXT),
        ("proj", "pydantic", RUNTIME, EXT),
        ("proj", "eventlet", RUNTIME, EXT),
        ("proj", "proj.app", RUNTIME, INT),
        ("proj.app", "cliapp", RUNTIME, EXT),
        ("pydantic.tasks", "proj.app", RUNTIME, INT),
        ("pydantic.tasks", "pydantic", RUNTIME, INT),
        ("gevent.tasks", "gevent.monkey", RUNTIME, EXT),
        ("gevent.tasks", "pydantic.tasks", RUNTIME, INT),
        ("eventlet.crawler", "eventlet", RUNTIME, INT),
        ("tests.test_cli", "cliapp", RUNTIME, INT),
    }


POETRYISH = {
    # src/poetry/ has no __init__.py: poetry-core, another distribution, installs the rest of the namespace
    # (poetry.core), which the code imports everywhere and which resolves to nothing here
    "src/poetry/poetry.py": "from poetry.core.packages.project_package import ProjectPackage\nfrom poetry.config.config import Config\n",
    "src/poetry/factory.py": (
        "from poetry.core.factory import Factory as BaseFactory\n"
        "from poetry.core.packages.dependency import Dependency\n"
        "from poetry.json import validate_object\n"
        "from poetry.poetry import Poetry\n"
    ),
    "src/poetry/config/__init__.py": "",
    "src/poetry/config/config.py": "import json\nfrom poetry.core.constraints.version import Version\n",
    "src/poetry/console/__init__.py": "",
    "src/poetry/console/application.py": (
        "import json\nfrom poetry.core.utils.helpers import module_name\nfrom poetry.puzzle import Solver\n"
    ),
    "src/poetry/puzzle/__init__.py": "from poetry.puzzle.solver import Solver\n",
    "src/poetry/puzzle/solver.py": "from poetry.core.packages.package import Package\nfrom poetry.mixology import resolve_version\n",
    "src/poetry/puzzle/exceptions.py": "",
    "src/poetry/mixology/__init__.py": "from poetry.mixology.version_solver import VersionSolver\n",
    "src/poetry/mixology/version_solver.py": (
        "from poetry.core.packages.dependency import Dependency\nfrom poetry.puzzle.exceptions import OverrideNeededError\n"
    ),
    "src/poetry/json/__init__.py": "import json\nfrom poetry.core.json import validate_object\n",
    "tests/__init__.py": "",
    "tests/test_factory.py": "from poetry.core.packages.package import Package\nfrom poetry.factory import Factory\n",
}


def test_a_namespace_shared_with_another_distribution_is_named_through_src(tmp_path):
    """poetry's layout: src/poetry/ directly holds packages (a default source root) and a module named like itself,
    poetry.py. The imports of poetry-core's poetry.core… resolve to nothing in a top-level module poetry, so they do
    not keep src/poetry/ a root; the code's poetry.x imports name it through src/, and import json is the stdlib."""
    repo = GitRepo(tmp_path / "poetryish")
    repo.commit(POETRYISH, message="poetry")
    resolver, parsed = load(repo.root)
    assert {path: resolver.module_of(path) for path in parsed} == {
        "src/poetry/poetry.py": "poetry.poetry",
        "src/poetry/factory.py": "poetry.factory",
        "src/poetry/config/__init__.py": "poetry.config",
        "src/poetry/config/config.py": "poetry.config.config",
        "src/poetry/console/__init__.py": "poetry.console",
        "src/poetry/console/application.py": "poetry.console.application",
        "src/poetry/puzzle/__init__.py": "poetry.puzzle",
        "src/poetry/puzzle/solver.py": "poetry.puzzle.solver",
        "src/poetry/puzzle/exceptions.py": "poetry.puzzle.exceptions",
        "src/poetry/mixology/__init__.py": "poetry.mixology",
        "src/poetry/mixology/version_solver.py": "poetry.mixology.version_solver",
        "src/poetry/json/__init__.py": "poetry.json",
        "tests/__init__.py": "tests",
        "tests/test_factory.py": "tests.test_factory",
    }
    assert resolver.extra_modules() == {"poetry": "src/poetry"}
    assert edges(resolver, parsed) == {
        ("poetry.poetry", "poetry.core", RUNTIME, EXT),
        ("poetry.poetry", "poetry.config.config", RUNTIME, INT),
        ("poetry.factory", "poetry.core", RUNTIME, EXT),
        ("poetry.factory", "poetry.json", RUNTIME, INT),
        ("poetry.factory", "poetry.poetry", RUNTIME, INT),
        ("poetry.config.config", "json", RUNTIME, EXT),
        ("poetry.config.config", "poetry.core", RUNTIME, EXT),
        ("poetry.console.application", "json", RUNTIME, EXT),
        ("poetry.console.application", "poetry.core", RUNTIME, EXT),
        ("poetry.console.application", "poetry.puzzle", RUNTIME, INT),
        ("poetry.puzzle", "poetry.puzzle.solver", RUNTIME, INT),
        ("poetry.puzzle.solver", "poetry.core", RUNTIME, EXT),
        ("poetry.puzzle.solver", "poetry.mixology", RUNTIME, INT),
        ("poetry.mixology", "poetry.mixology.version_solver", RUNTIME, INT),
        ("poetry.mixology.version_solver", "poetry.core", RUNTIME, EXT),
        ("poetry.mixology.version_solver", "poetry.puzzle.exceptions", RUNTIME, INT),
        ("poetry.json", "json", RUNTIME, EXT),
        ("poetry.json", "poetry.core", RUNTIME, EXT),
        ("tests.test_factory", "poetry.core", RUNTIME, EXT),
        ("tests.test_factory", "poetry.factory", RUNTIME, INT),
    }


def test_standard_library_imports_do_not_keep_a_folder_holding_a_namesake_a_source_root(tmp_path):
    """src/acme/ directly holds a package json/: `import json` (the stdlib, as anywhere) is no evidence that acme/
    is a root and json a top-level module, however often the code says it; `from acme.cli import main` is."""
    repo = GitRepo(tmp_path / "acme")
    repo.commit({
        "src/acme/json/__init__.py": "import json\n",
        "src/acme/cli/__init__.py": "import json\nfrom acme.json import dumps\n",
        "src/acme/app.py": "import json\n",
        "tests/test_cli.py": "import json\nfrom acme.cli import main\n",
    }, message="acme")
    resolver, parsed = load(repo.root)
    assert resolver.module_of("src/acme/json/__init__.py") == "acme.json"
    assert resolver.module_of("src/acme/app.py") == "acme.app"
    assert edges(resolver, parsed) == {
        ("acme.json", "json", RUNTIME, EXT),
        ("acme.cli", "json", RUNTIME, EXT),
        ("acme.cli", "acme.json", RUNTIME, INT),
        ("acme.app", "json", RUNTIME, EXT),
        ("tests.test_cli", "json", RUNTIME, EXT),
        ("tests.test_cli", "acme.cli", RUNTIME, INT),
    }


def test_a_nested_projects_modules_are_its_own(tmp_path):
    """pydantic's layout: pydantic-core merged in as a folder with its own pyproject.toml, whose tests/ package
    is named like the repository's own; and a monorepo's libs/*/ projects, each with tests/. A nested project's
    module of a name another project has is named apart, and its project's imports resolve to it."""
    repo = GitRepo(tmp_path / "merged")
    repo.commit({
        "pyproject.toml": "[project]\nname = 'shop'\n",
        "shop/__init__.py": "",
        "shop/util.py": "",
        "shop/util/__init__.py": "",  # two files of one project claim shop.util: the package wins, as before
        "tests/__init__.py": "",
        "tests/conftest.py": "import shop\n",
        "tests/test_json.py": "from .conftest import plain_repr\n",
        "shop-core/pyproject.toml": "[project]\nname = 'shop-core'\n",
        "shop-core/python/shop_core/__init__.py": "",
        "shop-core/tests/__init__.py": "",
        "shop-core/tests/conftest.py": "import shop_core\n",
        "shop-core/tests/test_json.py": "from .conftest import plain_repr\n",
        "shop-core/tests/validators/__init__.py": "",
        "shop-core/tests/validators/test_model.py": (
            "from ..conftest import plain_repr\n"
            "from tests.conftest import PyAndJson\n"
            "import tests.test_json\n"
            "from shop_core import SchemaValidator\n"
        ),
        "libs/alpha/pyproject.toml": "[project]\nname = 'alpha'\n",
        "libs/alpha/alpha/__init__.py": "",
        "libs/alpha/tests/__init__.py": "",
        "libs/alpha/tests/conftest.py": "from alpha import thing\n",
        "libs/beta/setup.py": "from setuptools import setup\nsetup()\n",
        "libs/beta/beta/__init__.py": "from alpha import thing\n",  # another project's module of its own name
        "libs/beta/tests/__init__.py": "",
        "libs/beta/tests/conftest.py": "",
        "libs/beta/tests/test_beta.py": "from tests.conftest import fixture\nfrom tests import conftest\n",
    }, message="merge shop-core")
    resolver, parsed = load(repo.root)
    named = {path: resolver.module_of(path) for path in parsed}
    assert named == {
        "shop/__init__.py": "shop",
        "shop/util.py": None,
        "shop/util/__init__.py": "shop.util",
        "tests/__init__.py": "tests",
        "tests/conftest.py": "tests.conftest",
        "tests/test_json.py": "tests.test_json",
        "shop-core/python/shop_core/__init__.py": "shop_core",
        "shop-core/tests/__init__.py": "shop-core/tests",
        "shop-core/tests/conftest.py": "shop-core/tests.conftest",
        "shop-core/tests/test_json.py": "shop-core/tests.test_json",
        "shop-core/tests/validators/__init__.py": "tests.validators",  # no other project's: named as it was
        "shop-core/tests/validators/test_model.py": "tests.validators.test_model",
        "libs/alpha/alpha/__init__.py": "alpha",
        "libs/alpha/tests/__init__.py": "libs/alpha/tests",
        "libs/alpha/tests/conftest.py": "libs/alpha/tests.conftest",
        "libs/beta/setup.py": "setup",
        "libs/beta/beta/__init__.py": "beta",
        "libs/beta/tests/__init__.py": "libs/beta/tests",
        "libs/beta/tests/conftest.py": "libs/beta/tests.conftest",
        "libs/beta/tests/test_beta.py": "tests.test_beta",
    }
    assert resolver.duplicates == [("shop/util.py", "shop.util", "shop/util/__init__.py")]
    assert resolver.problems == ["1 Python file(s) with no module: another file has its module name "
                                 "(shop.util is shop/util/__init__.py, not shop/util.py)"]
    internal = {(source, target) for source, target, _, external in edges(resolver, parsed) if not external}
    assert internal == {
        ("tests.conftest", "shop"),
        ("tests.test_json", "tests.conftest"),
        ("shop-core/tests.conftest", "shop_core"),
        ("shop-core/tests.test_json", "shop-core/tests.conftest"),
        ("tests.validators.test_model", "shop-core/tests.conftest"),
        ("tests.validators.test_model", "shop-core/tests.test_json"),
        ("tests.validators.test_model", "shop_core"),
        ("libs/alpha/tests.conftest", "alpha"),
        ("beta", "alpha"),
        ("tests.test_beta", "libs/beta/tests.conftest"),
    }


def test_adding_a_nested_projects_file_resolves_the_repository_again(tmp_path):
    """A nested project's pyproject.toml is an input of the resolution: once it is added, a warm extraction does not
    reuse the result remembered without it. Before, that result's note names the file left without a module."""
    from cairn.ingest.code.cache import ParseCache
    from cairn.ingest.code.extract import SourceFile, extract_code

    root = tmp_path / "repo"
    files = {"tests/__init__.py": "", "tests/conftest.py": "", "core/tests/__init__.py": "",
             "core/tests/conftest.py": "", "core/tests/test_a.py": "from .conftest import value\n"}
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    sources = [SourceFile(p, (root / p).stat().st_size, (root / p).stat().st_mtime_ns) for p in files]

    def extract(listed):
        cache = ParseCache(tmp_path / "cache")
        result = extract_code(sources, lambda p: (root / p).read_bytes(), all_paths=frozenset(listed),
                              read_text=lambda p: None, cache=cache)
        cache.save()
        return result

    before = extract(files)
    assert before.file_module.get("core/tests/conftest.py") is None
    assert [i.target for i in before.imports["tests.test_a"]] == ["tests.conftest"]
    assert before.notes == ["2 Python file(s) with no module: another file has its module name "
                            "(tests is tests/__init__.py, not core/tests/__init__.py; "
                            "tests.conftest is tests/conftest.py, not core/tests/conftest.py)"]
    after = extract([*files, "core/pyproject.toml"])
    assert after.file_module["core/tests/conftest.py"] == "core/tests.conftest"
    assert [i.target for i in after.imports["tests.test_a"]] == ["core/tests.conftest"]
    assert after.notes == []


def test_files_left_without_a_module_are_counted_and_the_first_few_named(tmp_path):
    """pytest's doc/en/example/conftest.py and testing/conftest.py are both ``conftest``: one has no module, which
    the ingest says; a layout with many such files gets one line, not one per file."""
    files = {"pkg/__init__.py": ""}
    for name in "edcba":
        files[f"pkg/{name}.py"] = ""
        files[f"pkg/{name}/__init__.py"] = ""
    resolver, _ = language_harness.committed(tmp_path / "twice", files, PythonLanguage())
    assert len(resolver.duplicates) == 5
    assert resolver.problems == ["5 Python file(s) with no module: another file has its module name "
                                 "(pkg.a is pkg/a/__init__.py, not pkg/a.py; pkg.b is pkg/b/__init__.py, not pkg/b.py; "
                                 "pkg.c is pkg/c/__init__.py, not pkg/c.py; 2 more)"]
    resolver, _ = language_harness.committed(tmp_path / "once", {"pkg/__init__.py": "", "pkg/a.py": ""}, PythonLanguage())
    assert resolver.problems == []
