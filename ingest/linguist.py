"""Which files GitHub Linguist counts as a repository's code: the truck factor's file scope.

Avelino et al. compute the truck factor over the files Linguist lists in a
repository's language breakdown. Linguist counts a file when its language is
of type *programming* or *markup* and the file is neither vendored,
generated nor documentation (``Linguist::Blob#include_in_language_stats?``).
This module is Cairn's own table of that rule, written from Linguist's
``languages.yml``, ``vendor.yml`` and ``documentation.yml`` (not a copy):

* ``LANGUAGES``: language -> (type, extensions, file names). Programming:
  Python, JavaScript, TypeScript, Go, Java, C, Shell, Makefile, Dockerfile,
  CMake, Starlark … Markup: HTML, CSS, SCSS, Less, templates (Jinja,
  Handlebars, Mustache, EJS, ERB, Pug, Go templates …), Vue, Svelte, TeX,
  Jupyter notebooks. Data and prose are listed too, so that they are known
  *not* to count: JSON, YAML, TOML, INI, XML, SVG, CSV, SQL, Protocol Buffers,
  GraphQL, go.mod (data); Markdown, reStructuredText, AsciiDoc, text (prose).
* Files without an extension are recognised by a ``#!`` interpreter line.
* ``exclusion``: vendored paths (``vendor/``, ``node_modules/``,
  ``third_party/``, ``dist/``, minified files,
  ``.github/``, build wrappers such as ``gradlew`` …; beyond Linguist's list,
  Python's ``_vendor/`` and ``vendored/``; short of it, not every TypeScript
  declaration file (Linguist's ``*.d.ts``, a 2014 entry from when such files
  were copies of DefinitelyTyped's): one in the project's tree is its own API
  written by hand (eslint's ``lib/types/``, fastify's ``types/``, svelte's
  ``public.d.ts``), and a generated one says so in its head (webpack's
  ``declarations/``: "DO NOT MODIFY BY HAND", skipped by ``ingest.files``), ends
  by naming its source map (sveltejs/kit's dts-buddy bundle ``types/index.d.ts``:
  ``files.code_skip_reason``, as Linguist's ``has_source_map?`` does for ``.js``) or
  lies in ``dist/`` or ``node_modules/``; Linguist's ``cache/``, ``env/``,
  ``extern/`` and ``external/`` only when they are not the project's own
  modules, as etcd's ``cache/`` Go module is: ``VENDORED_UNLESS_OWN``, decided
  by ``first_party``), test data (below), documentation paths
  (top-level ``docs/``, ``doc/``, ``examples/``, ``samples/``, ``demos/``,
  ``man/``, and Cairn's ``playground/`` and ``docs-*/``, ``documentation_*/``…;
  Writerside's folder; ``documentation/`` and ``javadoc/`` anywhere; README, LICENSE,
  CHANGELOG, CONTRIBUTING … files) and generated paths (protobuf and other
  generated sources, lock files, source maps). ``.gitattributes``
  ``linguist-vendored``, ``linguist-generated``, ``linguist-documentation``
  and ``linguist-detectable`` override the defaults either way, as in
  Linguist.
* **Test data** ("test data"): what a test suite reads as its input or
  compares its output with — a case is written once, in a pull request that
  fixes or adds something, and read by the suite's runner, which is the code
  someone must know. Linguist lists some among its vendored paths: Go's
  ``testdata/`` (the go tool ignores such a folder) and ``test/fixtures/``,
  ``tests/fixtures/``, ``spec/fixtures/`` (at any depth, as Linguist's
  ``(^|/)`` has it). Beyond them, Cairn's: ``test-data/`` and ``test_data/``, Go's
  folder spelt as two words (mypy's ``.test`` cases, library stubs and
  packages: 192 of its 692 counted files); ``__tests__/fixtures/``; Jest's and
  Babel's ``__fixtures__/`` and ``__snapshots__/`` anywhere; and the case
  folders of a suite that runs each folder of a ``samples/`` directly in a
  test directory or in a folder of one (svelte's
  ``packages/svelte/tests/runtime-runes/samples/<case>/`` and rollup's
  ``test/function/samples/<case>/``: 7,841 of svelte's 8,400 counted files),
  all of a case's files alike — its inputs (``main.svelte``), its expected
  output (``_expected.html``, ``_output/``) and its settings and checks
  (``_config.js``); and a ``data/`` folder right in a test directory (black's
  ``tests/data/cases/*.py``: 281 of its 356 counted files), but for a file in
  it named as a test, whose folder is then the module its tests are named
  after (excalidraw's ``tests/data/restore.test.ts``) — decided by
  ``truck_factor_scope`` alone: ``exclusion`` judges a path's folders, and
  this asks its name too. A Java package named ``samples`` deeper in a test tree
  (spring-petclinic's ``src/test/java/org/springframework/samples/``) is no
  suite's case folder and counts. Test *code* counts, as in Linguist and the
  paper: ``*_test.go``, ``test_*.py``, ``*.test.ts``, webpack's
  ``test/configCases/*/index.js`` (each an ``it(…)`` of its own), and a
  package of test helpers named ``fixture`` (argo-cd's ``test/e2e/fixture/``).
  ``linguist-vendored`` decides test data either way, as it does Linguist's
  entries.

Content-based generated files ("Code generated … DO NOT EDIT") are skipped
by ``ingest.files`` before they get here.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from typing import TYPE_CHECKING, Callable, Collection, Mapping

from cairn.graph.testcode import named_as_test

if TYPE_CHECKING:
    from cairn.graph.model import RepoGraph

PROGRAMMING, MARKUP, DATA, PROSE = "programming", "markup", "data", "prose"
COUNTED_TYPES = frozenset({PROGRAMMING, MARKUP})

#: language -> (type, extensions, file names). Cairn's language ids are lower-case.
LANGUAGES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # -- programming --------------------------------------------------------------------------
    "python": (PROGRAMMING, (".py", ".pyi", ".pyw", ".gyp", ".gypi"), ("SConstruct", "SConscript", "Snakefile", "wscript")),
    "cython": (PROGRAMMING, (".pyx", ".pxd", ".pxi"), ()),
    "javascript": (PROGRAMMING, (".js", ".jsx", ".mjs", ".cjs", ".es6", ".jsm"), ("Jakefile",)),
    "typescript": (PROGRAMMING, (".ts", ".tsx", ".mts", ".cts"), ()),
    "coffeescript": (PROGRAMMING, (".coffee", ".cjsx", ".iced"), ("Cakefile",)),
    "go": (PROGRAMMING, (".go",), ()),
    "java": (PROGRAMMING, (".java", ".jav", ".jsh"), ()),
    "kotlin": (PROGRAMMING, (".kt", ".kts", ".ktm"), ()),
    "scala": (PROGRAMMING, (".scala", ".sc", ".sbt"), ()),
    "groovy": (PROGRAMMING, (".groovy", ".gvy", ".gy", ".gsh"), ("Jenkinsfile",)),
    "clojure": (PROGRAMMING, (".clj", ".cljs", ".cljc", ".cljx", ".boot"), ()),
    "c": (PROGRAMMING, (".c", ".h", ".cats", ".idc"), ()),
    "cpp": (PROGRAMMING, (".cc", ".cpp", ".cxx", ".c++", ".cp", ".hpp", ".hh", ".hxx", ".h++", ".inl", ".ipp", ".tcc", ".tpp", ".ino"), ()),
    "objective-c": (PROGRAMMING, (".m",), ()),
    "objective-c++": (PROGRAMMING, (".mm",), ()),
    "cuda": (PROGRAMMING, (".cu", ".cuh"), ()),
    "csharp": (PROGRAMMING, (".cs", ".csx", ".cake"), ()),
    "fsharp": (PROGRAMMING, (".fs", ".fsi", ".fsx"), ()),
    "visual-basic": (PROGRAMMING, (".vb", ".vbs", ".bas"), ()),
    "rust": (PROGRAMMING, (".rs",), ()),
    "zig": (PROGRAMMING, (".zig",), ()),
    "nim": (PROGRAMMING, (".nim", ".nims", ".nimble"), ()),
    "d": (PROGRAMMING, (".di",), ()),
    "swift": (PROGRAMMING, (".swift",), ()),
    "dart": (PROGRAMMING, (".dart",), ()),
    "ruby": (PROGRAMMING, (".rb", ".rake", ".gemspec", ".rbw", ".ru", ".builder", ".jbuilder", ".podspec", ".thor"),
             ("Rakefile", "Gemfile", "Guardfile", "Podfile", "Brewfile", "Fastfile", "Appfile", "Capfile", "Thorfile", "Berksfile")),
    "php": (PROGRAMMING, (".php", ".phtml", ".php3", ".php4", ".php5", ".phpt"), ()),
    "perl": (PROGRAMMING, (".pl", ".pm", ".perl", ".psgi", ".cgi"), ()),
    "raku": (PROGRAMMING, (".raku", ".rakumod", ".p6", ".pm6"), ()),
    "lua": (PROGRAMMING, (".lua", ".nse", ".rockspec"), ()),
    "r": (PROGRAMMING, (".r", ".R", ".rd", ".rsx"), ()),
    "julia": (PROGRAMMING, (".jl",), ()),
    "elixir": (PROGRAMMING, (".ex", ".exs"), ()),
    "erlang": (PROGRAMMING, (".erl", ".hrl", ".escript", ".xrl", ".yrl"), ("rebar.config",)),
    "haskell": (PROGRAMMING, (".hs", ".lhs", ".hsc", ".hs-boot"), ()),
    "elm": (PROGRAMMING, (".elm",), ()),
    "purescript": (PROGRAMMING, (".purs",), ()),
    "ocaml": (PROGRAMMING, (".ml", ".mli", ".mll", ".mly"), ()),
    "reason": (PROGRAMMING, (".re", ".rei"), ()),
    "rescript": (PROGRAMMING, (".res", ".resi"), ()),
    "crystal": (PROGRAMMING, (".cr",), ()),
    "common-lisp": (PROGRAMMING, (".lisp", ".lsp", ".asd"), ()),
    "emacs-lisp": (PROGRAMMING, (".el",), (".emacs",)),
    "scheme": (PROGRAMMING, (".scm", ".ss", ".sld"), ()),
    "racket": (PROGRAMMING, (".rkt", ".rktl"), ()),
    "fortran": (PROGRAMMING, (".f", ".for", ".f77", ".f90", ".f95", ".f03", ".f08"), ()),
    "pascal": (PROGRAMMING, (".pas", ".pp", ".dpr", ".lpr"), ()),
    "assembly": (PROGRAMMING, (".asm", ".nasm", ".s", ".S"), ()),
    "shell": (PROGRAMMING, (".sh", ".bash", ".zsh", ".ksh", ".bats", ".command", ".tmux", ".tool"),
              (".bashrc", ".bash_profile", ".bash_aliases", ".bash_logout", ".zshrc", ".zshenv", ".zprofile", ".profile",
               "PKGBUILD", "bashrc", "zshrc")),
    "fish": (PROGRAMMING, (".fish",), ()),
    "powershell": (PROGRAMMING, (".ps1", ".psm1", ".psd1"), ()),
    "batchfile": (PROGRAMMING, (".bat", ".cmd"), ()),
    "makefile": (PROGRAMMING, (".mk", ".mak", ".make", ".mkfile"), ("Makefile", "makefile", "GNUmakefile", "BSDmakefile", "Kbuild", "Makefile.am", "Makefile.in", "Makefile.inc")),
    "dockerfile": (PROGRAMMING, (".dockerfile", ".containerfile"), ("Dockerfile", "Containerfile")),
    "cmake": (PROGRAMMING, (".cmake", ".cmake.in"), ("CMakeLists.txt",)),
    "meson": (PROGRAMMING, (), ("meson.build", "meson_options.txt")),
    "just": (PROGRAMMING, (".just",), ("Justfile", "justfile", ".justfile")),
    "starlark": (PROGRAMMING, (".bzl", ".star"), ("BUILD", "BUILD.bazel", "WORKSPACE", "WORKSPACE.bazel", "Tiltfile")),
    "nix": (PROGRAMMING, (".nix",), ()),
    "hcl": (PROGRAMMING, (".hcl", ".tf", ".tfvars", ".nomad", ".workflow"), ()),
    "jsonnet": (PROGRAMMING, (".jsonnet", ".libsonnet"), ()),
    "awk": (PROGRAMMING, (".awk", ".gawk", ".mawk", ".nawk", ".auk"), ()),
    "sed": (PROGRAMMING, (".sed",), ()),
    "tcl": (PROGRAMMING, (".tcl", ".tm", ".adp"), ()),
    "vim-script": (PROGRAMMING, (".vim", ".vimrc", ".vmb"), (".vimrc", "vimrc", "_vimrc", ".gvimrc")),
    "verilog": (PROGRAMMING, (".v", ".veo"), ()),
    "systemverilog": (PROGRAMMING, (".sv", ".svh", ".vh"), ()),
    "vhdl": (PROGRAMMING, (".vhd", ".vhdl", ".vhf", ".vhi", ".vho", ".vhs", ".vht", ".vhw"), ()),
    "solidity": (PROGRAMMING, (".sol",), ()),
    "glsl": (PROGRAMMING, (".glsl", ".vert", ".frag", ".geom", ".comp", ".tesc", ".tese", ".vs", ".vsh", ".fsh"), ()),
    "hlsl": (PROGRAMMING, (".hlsl", ".hlsli", ".fx", ".fxh"), ()),
    "webassembly": (PROGRAMMING, (".wat", ".wast"), ()),
    "haxe": (PROGRAMMING, (".hx", ".hxsl"), ()),
    "vala": (PROGRAMMING, (".vala", ".vapi"), ()),
    "gdscript": (PROGRAMMING, (".gd",), ()),
    "smalltalk": (PROGRAMMING, (".st",), ()),
    "plsql": (PROGRAMMING, (".pls", ".pck", ".pkb", ".pks", ".plb", ".plsql"), ()),
    "plpgsql": (PROGRAMMING, (".pgsql",), ()),
    "xslt": (PROGRAMMING, (".xsl", ".xslt"), ()),
    "smarty": (PROGRAMMING, (".tpl",), ()),
    "apex": (PROGRAMMING, (".apex", ".trigger"), ()),
    "idris": (PROGRAMMING, (".idr", ".lidr"), ()),
    "lean": (PROGRAMMING, (".lean",), ()),
    "agda": (PROGRAMMING, (".agda",), ()),
    "processing": (PROGRAMMING, (".pde",), ()),
    "matlab": (PROGRAMMING, (".matlab",), ()),
    "cue": (PROGRAMMING, (".cue",), ()),
    "rego": (PROGRAMMING, (".rego",), ()),
    # -- markup -------------------------------------------------------------------------------
    "html": (MARKUP, (".html", ".htm", ".xhtml", ".xht"), ()),
    "css": (MARKUP, (".css",), ()),
    "scss": (MARKUP, (".scss",), ()),
    "sass": (MARKUP, (".sass",), ()),
    "less": (MARKUP, (".less",), ()),
    "stylus": (MARKUP, (".styl",), ()),
    "postcss": (MARKUP, (".pcss", ".postcss"), ()),
    "vue": (MARKUP, (".vue",), ()),
    "svelte": (MARKUP, (".svelte",), ()),
    "astro": (MARKUP, (".astro",), ()),
    "jinja": (MARKUP, (".jinja", ".jinja2", ".j2", ".djhtml"), ()),
    "handlebars": (MARKUP, (".hbs", ".handlebars"), ()),
    "mustache": (MARKUP, (".mustache",), ()),
    "ejs": (MARKUP, (".ejs", ".ect", ".jst"), ()),
    "erb": (MARKUP, (".erb", ".rhtml", ".html.erb"), ()),
    "pug": (MARKUP, (".pug", ".jade"), ()),
    "haml": (MARKUP, (".haml",), ()),
    "slim": (MARKUP, (".slim",), ()),
    "twig": (MARKUP, (".twig",), ()),
    "liquid": (MARKUP, (".liquid",), ()),
    "nunjucks": (MARKUP, (".njk", ".nunjucks"), ()),
    "go-template": (MARKUP, (".gohtml", ".gotmpl", ".tmpl"), ()),
    "razor": (MARKUP, (".cshtml", ".razor"), ()),
    "tex": (MARKUP, (".tex", ".sty", ".cls", ".ltx", ".dtx", ".ins"), ()),
    "jupyter": (MARKUP, (".ipynb",), ()),
    "roff": (MARKUP, (".roff", ".man", ".mdoc", ".me", ".ms", ".tmac"), ()),
    # -- data: known, never counted -------------------------------------------------------------
    "json": (DATA, (".json", ".json5", ".jsonc", ".geojson", ".topojson", ".webmanifest", ".har", ".jsonl", ".ndjson"),
             (".babelrc", ".eslintrc.json", ".prettierrc", "composer.lock", "Pipfile.lock", ".watchmanconfig")),
    "yaml": (DATA, (".yml", ".yaml", ".yaml-tmlanguage"), (".clang-format", ".clang-tidy", ".gemrc")),
    "toml": (DATA, (".toml",), ("Cargo.lock", "Pipfile", "poetry.lock", "uv.lock")),
    "ini": (DATA, (".ini", ".cfg", ".cnf", ".prefs", ".properties"), (".editorconfig", ".coveragerc", ".flake8", ".pylintrc", "setup.cfg", "tox.ini", "pytest.ini")),
    "xml": (DATA, (".xml", ".xsd", ".plist", ".csproj", ".vcxproj", ".props", ".targets", ".resx", ".wsdl", ".xaml", ".xib", ".storyboard", ".pom", ".rss", ".atom", ".kml"), ("pom.xml",)),
    "svg": (DATA, (".svg",), ()),
    "csv": (DATA, (".csv", ".tsv", ".tab", ".psv"), ()),
    "sql": (DATA, (".sql", ".cql", ".ddl", ".mysql", ".prc", ".udf", ".viw"), ()),
    "protobuf": (DATA, (".proto",), ()),
    "textproto": (DATA, (".textproto", ".pbtxt", ".txtpb"), ()),
    "graphql": (DATA, (".graphql", ".gql", ".graphqls"), ()),
    "thrift": (DATA, (".thrift",), ()),
    "gradle": (DATA, (".gradle",), ()),
    "go-module": (DATA, (), ("go.mod", "go.work")),
    "go-checksums": (DATA, (), ("go.sum", "go.work.sum")),
    "diff": (DATA, (".diff", ".patch"), ()),
    "dotenv": (DATA, (".env",), (".env", ".env.example", ".env.sample")),
    "ignore-list": (DATA, (".gitignore", ".dockerignore", ".npmignore", ".eslintignore", ".prettierignore"),
                    (".gitignore", ".dockerignore", ".npmignore", ".eslintignore", ".prettierignore", ".hgignore", ".helmignore")),
    "git-config": (DATA, (".gitconfig",), (".gitconfig", ".gitmodules", ".gitattributes")),
    "edn": (DATA, (".edn",), ()),
    "hjson": (DATA, (".hjson",), ()),
    "nginx": (DATA, (".nginx", ".nginxconf", ".vhost"), ("nginx.conf",)),
    # Cairn's, not Linguist's (which types it programming): a tree-sitter query is a table of patterns over a parser's
    # syntax trees, its captures named for the highlighter, indenter or text objects of a program that loads it, one
    # per language, written by that language's users: that program's data (helix's runtime/queries/, 1,190 files
    # named so by its .gitattributes, made its truck factor 21 rather than its crates' 3). Named by ``linguist-language``,
    # or told from Scheme's ``.scm`` by its content (``files.tree_sitter_query``, Linguist's heuristic).
    "tree-sitter-query": (DATA, (), ()),
    # -- prose: known, never counted ------------------------------------------------------------
    "markdown": (PROSE, (".md", ".markdown", ".mdown", ".mdwn", ".mkd", ".mkdn", ".mkdown", ".ronn", ".workbook", ".mdx", ".livemd"), ("contents.lr",)),
    "restructuredtext": (PROSE, (".rst", ".rest", ".rst.txt", ".rest.txt"), ()),
    "asciidoc": (PROSE, (".adoc", ".asciidoc", ".asc"), ()),
    "text": (PROSE, (".txt", ".fr", ".nb", ".ncl", ".no"), ("COPYING", "COPYRIGHT", "LICENSE", "LICENCE", "README", "AUTHORS", "CONTRIBUTORS", "INSTALL", "NEWS", "CHANGES", "THANKS", "TODO")),
    "org": (PROSE, (".org",), ()),
    "rdoc": (PROSE, (".rdoc",), ()),
    "pod": (PROSE, (".pod",), ()),
    "gettext": (PROSE, (".po", ".pot"), ()),
    "rmarkdown": (PROSE, (".rmd", ".qmd"), ()),
    "texinfo": (PROSE, (".texinfo", ".texi", ".txi"), ()),
}

#: Cairn's older language ids for a few file kinds, kept so stored graphs and callers read alike.
_ALIASES = {"objective-c++": "objective-c"}

_BY_FILENAME: dict[str, str] = {}
_BY_EXTENSION: dict[str, str] = {}
for _language, (_kind, _extensions, _names) in LANGUAGES.items():
    for _ext in _extensions:
        _BY_EXTENSION.setdefault(_ext, _language)
    for _name in _names:
        _BY_FILENAME.setdefault(_name, _language)
_MULTI_EXTENSIONS = sorted((e for e in _BY_EXTENSION if e.count(".") > 1), key=len, reverse=True)

#: ``#!`` interpreters (the program name, version digits stripped) -> language, for files without an extension.
INTERPRETERS = {
    "python": "python", "pypy": "python", "node": "javascript", "nodejs": "javascript", "deno": "typescript",
    "ts-node": "typescript", "bash": "shell", "sh": "shell", "zsh": "shell", "ksh": "shell", "dash": "shell",
    "ash": "shell", "fish": "fish", "ruby": "ruby", "perl": "perl", "php": "php", "lua": "lua", "Rscript": "r",
    "awk": "awk", "gawk": "awk", "tclsh": "tcl", "make": "makefile", "groovy": "groovy", "escript": "erlang",
    "runhaskell": "haskell", "julia": "julia", "elixir": "elixir", "pwsh": "powershell", "osascript": "applescript",
    "crystal": "crystal", "scala": "scala", "swift": "swift", "guile": "scheme", "racket": "racket", "sed": "sed",
}
_SHEBANG = re.compile(rb"^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?")


def language_type(language: str | None) -> str | None:
    if language is None:
        return None
    entry = LANGUAGES.get(language)
    return entry[0] if entry else PROGRAMMING


def detect_language(path: str, head: bytes | None = None) -> str | None:
    """The language of ``path`` (any type), by file name, then extension, then a ``#!`` line in ``head``."""
    name = path[path.rfind("/") + 1:]
    language = _BY_FILENAME.get(name)
    dot = name.rfind(".")
    if language is None and name.count(".") > 1:  # (a name with one dot ends with no extension of two)
        lowered = name.lower()
        for ext in _MULTI_EXTENSIONS:
            if lowered.endswith(ext) and len(lowered) > len(ext):
                language = _BY_EXTENSION[ext]
                break
    if language is None:
        # ``os.path.splitext(name)[1]``: from the last dot, unless only dots come before it (asked for every file)
        suffix = name[dot:] if dot > 0 and name[:dot].strip(".") else ""
        if suffix:
            language = _BY_EXTENSION.get(suffix) or _BY_EXTENSION.get(suffix.lower())
        elif head:
            language = interpreter_language(head)
    return _ALIASES.get(language, language) if language else None


def interpreter_language(head: bytes) -> str | None:
    match = _SHEBANG.match(head[:200])
    if not match:
        return None
    program = match.group(1).rsplit(b"/", 1)[-1]
    if program == b"env" and match.group(2):
        program = match.group(2).rsplit(b"/", 1)[-1]
    program_name = re.sub(r"[\d.]+$", "", program.decode("ascii", "replace"))
    return INTERPRETERS.get(program_name)


def counted_language(path: str, head: bytes | None = None) -> str | None:
    """The language of ``path`` when it is programming or markup (what Linguist counts), else None."""
    language = detect_language(path, head)
    return language if language_type(language) in COUNTED_TYPES else None


# -- paths Linguist leaves out of the statistics ---------------------------------------------------


class _PathPattern:
    """One of Linguist's path patterns (alternatives joined), searched as fast as a repository of 50,000 files needs.

    ``search(path)`` is ``re.search(pattern, path)``, worked out as a search of the path's directory (``a/b/``,
    once per directory) or of its file name from the slash before it (``/c.py``, by the alternatives without a
    trailing slash).
    That is exact because every alternative either ends with a slash (a match ends at or before the path's last
    slash: it lies in the directory) or has no slash but the one of a leading ``(?:^|/)`` (a match lies in one
    path component and the slash before it); the constructor refuses an alternative of any other shape. Searching
    whole paths tried every alternative at every character: 0.57 s for the vendored patterns over 51k paths.
    """

    _KEPT = 100_000  # directories remembered

    def __init__(self, alternatives: tuple[str, ...]):
        for alternative in alternatives:
            inner = re.sub(r"\[\^/[^\]]*\]", "", alternative.removeprefix("(?:^|/)"))  # [^/…] is not a slash
            if not (alternative.endswith("/") or "/" not in inner):
                raise ValueError(f"a path pattern of another shape: {alternative}")
        self.alternatives = alternatives
        self._in_directory: dict[str, bool] = {}

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The alternatives joined, compiled when first searched (an ingest after a commit lists its files in a child
        and compiles none of them in the parent)."""
        return re.compile("|".join(self.alternatives))

    @cached_property
    def _in_name(self) -> re.Pattern[str]:
        # a file name cannot hold a match of an alternative that ends with a slash
        return re.compile(self.name_pattern)

    @property
    def name_pattern(self) -> str:
        return "|".join(a for a in self.alternatives if not a.endswith("/")) or "(?!)"

    def search(self, path: str) -> bool:
        cut = path.rfind("/") + 1
        if not cut:
            return self.regex.search(path) is not None
        directory = path[:cut]
        found = self._in_directory.get(directory)
        if found is None:
            if len(self._in_directory) >= self._KEPT:
                self._in_directory.clear()
            found = self._in_directory[directory] = self.regex.search(directory) is not None
        # the file name from the slash before it, where ^ does not match (pos): as it is matched within the path
        return found or self._in_name.search(path, cut - 1) is not None


_VENDORED = _PathPattern((
    r"(?:^|/)(?:dist|node_modules|bower_components|jspm_packages|Carthage|Pods|\.yarn/(?:releases|plugins|sdks|versions|unplugged))/",
    r"^(?:[Dd]ependencies|deps|debian)/",
    r"(?:^|/)(?:3rd|[Tt]hird)[-_]?[Pp]arty/",
    r"(?:^|/)[Vv]+endors?/",
    # Cairn's, not Linguist's: Python's names for bundled third-party packages (pip's and setuptools'
    # ``_vendor/``, botocore's ``vendored/``), which Avelino et al. removed by hand
    r"(?:^|/)(?:_vendor|vendored)/",
    r"(?:^|/)Godeps/_workspace/",
    r"(?:^|/)\.github/",
    r"(?:^|/)\.vscode/",
    r"(?:^|/)\.devcontainer/",
    r"(?:^|/)docs?/_?(?:build|themes?|templates?|static)/",
    r"(?:^|/)(?:configure|config\.guess|config\.sub|aclocal\.m4|libtool\.m4|ltoptions\.m4|ltsugar\.m4|ltversion\.m4)$",
    r"(?:^|/)(?:gradlew|gradlew\.bat|mvnw|mvnw\.cmd|Vagrantfile|fabfile\.py|waf|cpplint\.py)$",
    r"(?:^|/)(?:gradle/wrapper|\.mvn/wrapper)/",
    r"[.-]min\.(?:js|css)$",
    r"-vsdoc\.js$",
    r"\.intellisense\.js$",
    r"(?:^|/)jquery[^/]*\.js$",
    r"(?:^|/)bootstrap[^/.]*(?:\.[^/]*)?\.(?:js|css|less|scss|styl)$",
    r"(?:^|/)font-?awesome[^/]*\.(?:css|less|scss|styl)$",
    r"(?:^|/)normalize\.(?:css|less|scss|styl)$",
    r"(?:^|/)(?:angular|react|d3|modernizr|prototype|mootools|dojo|yui|ckeditor|tiny_mce)[^/]*\.js$",
    r"(?:^|/)(?:MathJax|ace-builds|flow-typed)/",
))

#: Test data: what a test suite reads or compares with, not code the project runs (**Test data** in the module
#: docstring). Linguist's own entries (in its vendored list): Go's ``testdata/`` and ``test/fixtures/``,
#: ``spec/fixtures/``.
_TEST_DATA = _PathPattern((
    r"(?:^|/)testdata/",
    # Cairn's, not Linguist's: the same folder spelt as two words (mypy's ``test-data/`` of ``.test`` cases, stubs and
    # packages, ``mypyc/test-data/``; uv's ``crates/uv-requirements-txt/test-data/``), as ``graph.testcode`` has it
    r"(?:^|/)test[-_]data/",
    r"(?:^|/)(?:[Tt]ests?|[Ss]pecs?|__tests__)/fixtures/",
    # Cairn's, not Linguist's: Jest's and Babel's fixture and snapshot folders, and the case folders of a suite
    # that runs each folder of its ``samples/`` (svelte's and rollup's ``test/<suite>/samples/<case>/``)
    r"(?:^|/)__(?:fixtures|snapshots)__/",
    r"(?:^|/)[Tt]ests?/(?:[^/]+/)?samples/",
))

#: A test suite's ``data/`` folder (black's ``tests/data/cases/*.py``, the code it formats and the output it expects;
#: pip's ``tests/data/packages/``): test data unless a file is named as a test (``graph.testcode.named_as_test``),
#: when ``data`` is the module its tests are named after (excalidraw's ``tests/data/restore.test.ts``). Asked of the
#: truck factor's scope alone (``truck_factor_scope``), a name being no part of a folder's kind (``exclusion``).
_SUITE_DATA = _PathPattern((r"(?:^|/)[Tt]ests?/data/",))

_DOCUMENTATION = _PathPattern((
    r"^[Dd]ocs?/",
    # Cairn's, not Linguist's: a top-level folder named as documentation of some kind (Exposed's
    # ``documentation-website/``, 111 Kotlin snippets counted as code with a truck factor of their own; FastAPI's
    # ``docs_src/``, the 461 example programs its tutorial shows)
    r"^[Dd]oc(?:s|umentation)?[-_][^/]+/",
    r"(?:^|/)[Dd]ocumentation/",
    # Cairn's: JetBrains' Writerside documentation tool's folder
    r"(?:^|/)[Ww]riterside/",
    r"(?:^|/)[Gg]roovydoc/",
    r"(?:^|/)[Jj]avadoc/",
    r"^[Mm]an/",
    r"^[Ee]xamples/",
    r"^[Dd]emos?/",
    r"^[Ss]amples?/",
    # Cairn's, not Linguist's: a top-level playground, where the product is tried rather than built — projects to run
    # by hand (react-router's framework and RSC apps, svelte's sandbox) or the projects an end-to-end suite builds
    # (vite's 76, 1,414 files, each beside its ``__tests__/``: a fixture among its central modules before)
    r"^[Pp]laygrounds?/",
    r"(?:^|/)inst/doc/",
    r"(?:^|/)CITATION(?:\.cff|S?(?:\.(?:bib|md))?)$",
    r"(?:^|/)CHANGE(?:S|LOG)?(?:\.|$)",
    r"(?:^|/)CONTRIBUTING(?:\.|$)",
    r"(?:^|/)COPYING(?:\.|$)",
    r"(?:^|/)INSTALL(?:\.|$)",
    r"(?:^|/)(?:LICEN[CS]E|[Ll]icen[cs]e)(?:\.|$)",
    r"(?:^|/)(?:README|[Rr]eadme)(?:\.|$)",
))

_GENERATED = _PathPattern((
    r"\.(?:js|css)\.map$",
    r"(?:_pb2|_pb2_grpc)\.pyi?$",
    r"\.pb\.(?:go|cc|h|gw\.go)$",
    r"\.pb\.validate\.go$",
    r"_generated\.go$",
    r"\.designer\.cs$",
    r"(?:^|/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json|composer\.lock|Cargo\.lock|Gemfile\.lock|poetry\.lock|Pipfile\.lock|go\.sum)$",
    r"(?:^|/)__generated__/",
    r"(?:^|/)(?:htmlcov|\.nyc_output|coverage)/",
    r"\.(?:g|freezed|gr|pb|mocks?)\.dart$",
    r"(?:^|/)Godeps/",
))


#: The kinds of path Linguist leaves out, in the order they are tried: the first whose pattern matches decides.
_EXCLUDED = (("vendored", _VENDORED), ("test data", _TEST_DATA), ("generated", _GENERATED),
             ("documentation", _DOCUMENTATION))

#: The ``.gitattributes`` attribute that decides each kind either way: test data is among Linguist's vendored paths.
_ATTRIBUTE = {"vendored": "linguist-vendored", "test data": "linguist-vendored", "generated": "linguist-generated",
              "documentation": "linguist-documentation"}


@cache
def _any_in_name() -> re.Pattern[str]:
    """A file name (from the slash before it) that no pattern of the kinds can match in: most names, tried once, not
    once per kind."""
    # (a kind of folders alone, test data, has no alternative to try at each position of a name)
    return re.compile("|".join(f"(?:{pattern.name_pattern})" for _, pattern in _EXCLUDED
                               if not all(a.endswith("/") for a in pattern.alternatives)))


#: Folders Linguist takes for vendored that are also ordinary names of a project's own modules: vendored unless
#: ``first_party.first_party_folders`` finds them the project's (see the module docstring). Searched in a directory
#: (``a/cache/env/``): each match is one folder, the slash before it not consumed.
VENDORED_UNLESS_OWN = re.compile(r"(?<![^/])(?:cache|env|[Ee]xtern(?:al)?)/")

#: a directory (``a/b/``) -> the first kind whose pattern matches in it, and its folders ``VENDORED_UNLESS_OWN`` names
_BY_DIRECTORY: dict[str, tuple[str | None, tuple[str, ...]]] = {}


def _of_directory(directory: str) -> tuple[str | None, tuple[str, ...]]:
    """The first kind of ``_EXCLUDED`` whose pattern matches in ``directory`` (``a/b/``), and the folders of it that
    ``VENDORED_UNLESS_OWN`` names (``a/cache``), worked out once per directory."""
    found = _BY_DIRECTORY.get(directory)
    if found is None:
        if len(_BY_DIRECTORY) >= _PathPattern._KEPT:
            _BY_DIRECTORY.clear()
        found = _BY_DIRECTORY[directory] = (
            next((r for r, p in _EXCLUDED if p.regex.search(directory)), None),
            tuple(directory[:m.end() - 1] for m in VENDORED_UNLESS_OWN.finditer(directory))
            if VENDORED_UNLESS_OWN.search(directory) else ())  # (most directories: one search, half a finditer's time)
    return found


def _exclusion_by_pattern(path: str, first_party: Collection[str]) -> str | None:
    """``exclusion`` of a path without ``.gitattributes`` values: the first pattern that matches (a folder
    ``VENDORED_UNLESS_OWN`` names and ``first_party`` does not hold counting as a match of the vendored ones). When none
    can match in the file name (one search of them all), that is the first to match in the directory, looked up once per
    directory: a match in a path lies in its directory or in its name (``_PathPattern``)."""
    cut = path.rfind("/") + 1
    if not cut:
        return next((reason for reason, pattern in _EXCLUDED if pattern.search(path)), None)
    found, named = _of_directory(path[:cut])
    if _any_in_name().search(path, cut - 1) is not None:
        found = next((reason for reason, pattern in _EXCLUDED if pattern.search(path)), None)
    if found != "vendored" and named and any(folder not in first_party for folder in named):
        return "vendored"
    if found == "documentation" and _GO_PACKAGE_IN_DOCS.match(path) \
            or found == "vendored" and _GO_PACKAGE_IN_DEPS.match(path) \
            and not (named and any(folder not in first_party for folder in named)):
        return None
    return found


#: A Go file right in a top ``doc/`` or ``docs/`` folder, which Linguist calls documentation, or anywhere in a top
#: ``playground/``: Go builds every folder as a package, and one so named is code that makes documentation (cobra's
#: ``doc`` package, imported as ``github.com/spf13/cobra/doc`` to write man pages and Markdown) or serves a playground
#: (golang/tools' ``playground`` and ``playground/socket``, which ``cmd/present`` imports); a generated one (swag's
#: ``docs/docs.go``) is still generated.
_GO_PACKAGE_IN_DOCS = re.compile(r"(?:[Dd]ocs?/[^/]+|[Pp]laygrounds?/.+)\.go\Z")

#: A Go file in a top ``deps/`` or ``dependencies/``, which Linguist calls vendored (redis' ``deps/`` of C libraries):
#: Go vendors into ``vendor/`` alone, and builds such a folder as one of the module's packages (hugo's ``deps``,
#: imported by 63 of its Go files).
_GO_PACKAGE_IN_DEPS = re.compile(r"(?:[Dd]ependencies|deps)/(?!(?:[^/]+/)*(?:vendor|third_party|_vendor)/).+\.go\Z")


def exclusion(path: str, attributes: Mapping[str, bool] | None = None,
              first_party: Collection[str] = frozenset()) -> str | None:
    """Why Linguist leaves ``path`` out of the language statistics ("vendored", "test data", "generated",
    "documentation"), or None. ``attributes``: ``.gitattributes`` values, e.g. ``{"linguist-vendored": False}``.
    ``first_party``: the folders named as vendored ones that hold the project's own code
    (``first_party.first_party_folders`` of the repository's paths)."""
    if not attributes:
        return _exclusion_by_pattern(path, first_party)
    for reason, pattern in _EXCLUDED:
        declared = attributes.get(_ATTRIBUTE[reason])
        if declared is True:
            return reason
        if declared is None and (pattern.search(path) or reason == "vendored" and _named_as_vendored(path, first_party)):
            if reason == "documentation" and _GO_PACKAGE_IN_DOCS.match(path) \
                    or reason == "vendored" and _GO_PACKAGE_IN_DEPS.match(path):
                continue
            return reason
    return None


def _named_as_vendored(path: str, first_party: Collection[str]) -> bool:
    """Whether a folder of ``path`` that ``VENDORED_UNLESS_OWN`` names is not among the ``first_party`` ones."""
    cut = path.rfind("/") + 1
    return bool(cut) and any(folder not in first_party for folder in _of_directory(path[:cut])[1])


def truck_factor_scope(path: str, language: str | None, attributes: Mapping[str, bool] | None = None,
                       first_party: Collection[str] = frozenset()) -> tuple[bool, str | None]:
    """(counted, why not): whether the truck factor counts ``path``, as Linguist's statistics would (``first_party``:
    as ``exclusion`` takes it)."""
    attributes = attributes or {}
    detectable = attributes.get("linguist-detectable")
    if detectable is False:
        return False, "not detectable (.gitattributes)"
    if language is None or (language_type(language) not in COUNTED_TYPES and detectable is not True):
        return False, "data or prose"
    reason = exclusion(path, attributes, first_party)
    if reason:
        return False, reason
    # ("data/" first: a substring test of most paths, not the pattern's look-up of their folder)
    if "data/" in path and attributes.get("linguist-vendored") is None and _SUITE_DATA.search(path) \
            and not named_as_test(path[path.rfind("/") + 1:]):
        return False, "test data"
    return True, None


def mark_truck_factor_scope(graph: "RepoGraph", attributes: Mapping[str, Mapping[str, bool]] | None = None,
                            known: Mapping[str, tuple[bool, str | None]] | None = None,
                            first_party: Callable[[], Collection[str]] = frozenset) -> dict[str, int]:
    """Set ``linguist_counted`` (and ``linguist_reason`` when not) on every File node; returns the counts of reasons.
    ``known``: ``truck_factor_scope`` of paths already worked out with the language and ``attributes`` their File
    nodes have and the ``first_party`` folders (``listed_beside.ListingDerived``); ``first_party`` gives those folders,
    asked only when a path is not ``known`` (after a commit, every path is: 20 ms at 50k paths not spent)."""
    from cairn.graph.model import Label

    attributes = attributes or {}
    known = known or {}
    left_out: dict[str, int] = {}
    own: Collection[str] | None = None
    for node in graph.of_label(Label.FILE):
        found = known.get(node.key)
        if found is None and own is None:
            own = first_party()
        counted, why = found if found is not None else truck_factor_scope(node.key, node.get("language"),
                                                                          attributes.get(node.key), own)
        node.props["linguist_counted"] = counted
        node.props["linguist_reason"] = why
        if why:
            left_out[why] = left_out.get(why, 0) + 1
    return left_out
