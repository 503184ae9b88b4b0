"""The project files a JavaScript/TypeScript resolver reads: tsconfig/jsconfig, package.json, workspaces.

* Config files are read with json5 (comments, trailing commas). ``extends``
  (a string or a list) is followed through relative files, any depth;
  ``baseUrl`` is relative to the file that sets it, ``paths`` to the
  effective ``baseUrl`` or else to the file that sets them. Each source file
  uses the nearest config in or above its directory (``tsconfig.json`` before
  ``jsconfig.json``). A config with neither ``baseUrl`` nor ``paths`` that
  lists ``references`` (Vite's ``tsconfig.json`` → ``tsconfig.app.json``)
  borrows them from the first referenced config that has them. Package-style
  ``extends`` (``@tsconfig/node18``) live in node_modules and are ignored.
* Workspace packages: the root package.json ``workspaces`` (array or
  ``{"packages": [...]}``), ``pnpm-workspace.yaml`` ``packages`` and
  ``lerna.json`` ``packages`` globs (``!`` excludes) select directories
  holding a package.json.

Every file is read through ``Layout.read_text`` (the checkout's guarded
reader) and YAML with ``cairn.ingest.untrusted_yaml.load_yaml`` (no aliases); a
file that is broken is a one-line entry in ``problems``, never an error.
"""

from __future__ import annotations

import json

from cairn.ingest.code.base import Layout
from cairn.ingest.code.javascript.specifiers import ancestors, glob_regex, is_relative, join, parent

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")


class CompilerOptions:
    base_url: str | None  # repository-relative directory
    paths: list[tuple[str, list[str]]] | None
    paths_dir: str  # the directory of the config that set `paths`
    references: list[str]

    def __init__(self, base_url: str | None = None, paths: list[tuple[str, list[str]]] | None = None,
                 paths_dir: str = "", references: list[str] | None = None) -> None:
        self.base_url = base_url
        self.paths = paths
        self.paths_dir = paths_dir
        self.references = [] if references is None else references

    @property
    def paths_base(self) -> str:
        return self.base_url if self.base_url is not None else self.paths_dir


class ProjectFiles:
    """The tsconfig/jsconfig, package.json and workspace files of one repository, read once each."""

    def __init__(self, layout: Layout, all_files: frozenset[str]):
        self.layout = layout
        self.all_files = all_files
        self.problems: list[str] = []  # unreadable config files, one line each
        self._json_cache: dict[str, object] = {}
        self._options_cache: dict[str, CompilerOptions] = {}
        self._config_of_dir: dict[str, str | None] = {}
        config_dirs: dict[str, str] = {}
        for name in reversed(CONFIG_NAMES):  # tsconfig.json wins over jsconfig.json in one directory
            for path in self.all_files:
                if (path == name or path.endswith("/" + name)) and "node_modules/" not in path:
                    config_dirs[parent(path)] = path
        self._config_dirs = config_dirs
        #: directories holding a package.json
        self.package_dirs = {parent(p) for p in self.all_files if p == "package.json" or p.endswith("/package.json")}
        #: workspace package name -> directory
        self.workspaces = self._find_workspaces()

    # -- tsconfig / jsconfig --------------------------------------------------

    def options_for(self, directory: str) -> CompilerOptions | None:
        config = self._config_of_dir.get(directory, "")
        if config == "":
            config = None
            for ancestor in ancestors(directory):
                if ancestor in self._config_dirs:
                    config = self._config_dirs[ancestor]
                    break
            self._config_of_dir[directory] = config
        if config is None:
            return None
        options = self._compiler_options(config, ())
        if options.base_url is None and options.paths is None:
            for reference in options.references:
                referenced = self._compiler_options(reference, ())
                if referenced.base_url is not None or referenced.paths is not None:
                    return referenced
        return options

    def _compiler_options(self, path: str, visiting: tuple[str, ...]) -> CompilerOptions:
        cached = self._options_cache.get(path)
        if cached is not None:
            return cached
        directory = parent(path)
        data = self.read_json(path)
        options = CompilerOptions()
        if isinstance(data, dict):
            extends = data.get("extends")
            for base in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
                parent_path = self._config_file(directory, base) if isinstance(base, str) else None
                if parent_path and parent_path not in visiting and parent_path != path:
                    inherited = self._compiler_options(parent_path, (*visiting, path))
                    options.base_url = inherited.base_url if inherited.base_url is not None else options.base_url
                    if inherited.paths is not None:
                        options.paths, options.paths_dir = inherited.paths, inherited.paths_dir
            compiler = data.get("compilerOptions")
            if isinstance(compiler, dict):
                base_url = compiler.get("baseUrl")
                if isinstance(base_url, str):
                    options.base_url = join(directory, base_url)
                paths = compiler.get("paths")
                if isinstance(paths, dict):
                    options.paths = [
                        (pattern, [s for s in subs if isinstance(s, str)] if isinstance(subs, list) else [subs] if isinstance(subs, str) else [])
                        for pattern, subs in paths.items()
                    ]
                    options.paths_dir = directory
            references = data.get("references")
            if isinstance(references, list):
                for ref in references:
                    ref_path = ref.get("path") if isinstance(ref, dict) else None
                    target = self._config_file(directory, ref_path) if isinstance(ref_path, str) else None
                    if target and target != path:
                        options.references.append(target)
        self._options_cache[path] = options
        return options

    def _config_file(self, directory: str, reference: str) -> str | None:
        """The config file a relative ``extends``/``references`` entry names (a file, a file without .json, or a directory)."""
        if not is_relative(reference):
            return None
        path = join(directory, reference)
        if path is None:
            return None
        for candidate in (path, path + ".json", f"{path}/tsconfig.json" if path else "tsconfig.json"):
            if candidate in self.all_files:
                return candidate
        return None

    # -- package.json and workspaces -----------------------------------------

    def read_json(self, path: str):
        """A repository JSON file's content (json5 for configs that allow comments); None if absent or broken."""
        if path in self._json_cache:
            return self._json_cache[path]
        text = self.layout.read_text(path) if path in self.all_files else None
        data = None
        if text is not None:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                import json5  # here: most configurations are plain JSON, and most checks read none

                try:
                    data = json5.loads(text)
                except Exception as exc:  # json5 raises ValueError, but also others (RecursionError) on odd input
                    self.problems.append(f"{path}: not valid JSON ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})")
        self._json_cache[path] = data
        return data

    def _find_workspaces(self) -> dict[str, str]:
        """Workspace package name → directory."""
        patterns: list[str] = []
        root = self.read_json("package.json")
        if isinstance(root, dict):
            declared = root.get("workspaces")
            if isinstance(declared, dict):
                declared = declared.get("packages")
            if isinstance(declared, list):
                patterns += [p for p in declared if isinstance(p, str)]
        lerna = self.read_json("lerna.json")
        if isinstance(lerna, dict) and isinstance(lerna.get("packages"), list):
            patterns += [p for p in lerna["packages"] if isinstance(p, str)]
        if "pnpm-workspace.yaml" in self.all_files:
            from cairn.ingest.untrusted_yaml import YAMLError, load_yaml  # here: only pnpm workspaces are YAML

            text = self.layout.read_text("pnpm-workspace.yaml")
            try:
                data = load_yaml(text) if text else None
            except YAMLError as exc:  # a broken (or alias-laden) YAML file is reported, not fatal
                self.problems.append(f"pnpm-workspace.yaml: not valid YAML ({' '.join(str(exc).split())[:200]})")
                data = None
            if isinstance(data, dict) and isinstance(data.get("packages"), list):
                patterns += [p for p in data["packages"] if isinstance(p, str)]
        if not patterns:
            return {}
        include, exclude = [], []
        for pattern in patterns:
            negated = pattern.startswith("!")
            cleaned = pattern.lstrip("!").strip()
            while cleaned.startswith("./"):
                cleaned = cleaned[2:]
            cleaned = cleaned.rstrip("/")
            if cleaned.endswith("/package.json"):
                cleaned = cleaned[: -len("/package.json")]
            (exclude if negated else include).append(glob_regex(cleaned))
        found: dict[str, str] = {}
        for directory in sorted(self.package_dirs):
            if not directory or "node_modules" in directory.split("/"):
                continue
            if not any(r.match(directory) for r in include) or any(r.match(directory) for r in exclude):
                continue
            package = self.read_json(f"{directory}/package.json")
            name = package.get("name") if isinstance(package, dict) else None
            if isinstance(name, str) and name and name not in found:
                found[name] = directory
        return found
