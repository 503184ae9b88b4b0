"""``cairn.toml`` (or ``[tool.cairn]`` in pyproject.toml): the repository's own description of itself.

Everything is optional; a repository with no configuration still gets inferred
components, default identity patterns and default thresholds. Unknown keys are
errors, so a typo never silently does nothing.

Example::

    [components]
    graph = ["graph/**"]                                # shorthand: path globs
    api = { paths = ["api/**"], system = "cairn", description = "Interfaces" }

    [[rules]]                                           # see graph.rules
    id = "one-way"
    kind = "layers"
    layers = ["api", "queries", "ingest", "graph"]

    [identities]
    agents = ["*@my-agent.example"]                     # extra patterns, see ingest.identities
    bots = ["release-robot*"]
    departed = ["Alice Example", "alice@example.com"]

    [[people]]                                          # one person under several identities
    name = "Rita Remote"
    aliases = ["@rremote", "rita.r@home.example", "Rita R."]

    [thresholds]                                        # see graph.thresholds
    inactive_days = 180
    at_risk_truck_factor = 1
    orphaned_share = 0.5
    max_coauthors = 5                                   # more co-authors than this on a commit: no review credit
    max_commit_files = 100                              # a commit modifying more files (a sweep): no knowledge credit

    [adr]
    paths = ["docs/adr"]

    [ingest]
    exclude = ["examples/**"]
    max_file_bytes = 1000000

    [coupling]                                          # change coupling, code-maat's defaults
    min_revs = 5
    min_shared = 5
    min_degree = 30
    max_changeset = 30

    [trends]
    period = "quarter"                                  # month | quarter | year
    knowledge_periods = 20                              # the last periods with truck factors
    samples = 4                                         # the last periods that get new couplings and cycles

    [agents]
    recent_days = 180                                   # window of a component's agent share
    markers = [{ text = "Written by Robo", agent = "Robo <robo@example.com>" }]

The models that validate a configuration (``ingest.config_models``, pydantic)
are imported when a configuration is validated, or when one of them is named
(``from cairn.ingest.config import CairnConfig`` still works): a command that
only reads a stored graph — the PR check on a stored base — does not pay for
pydantic. What such a command needs of the settings a graph was ingested with
is read back from its Repository node as plain data (``StoredSettings``). An
ingest reads the settings as plain values too (``known_settings.ingest_settings``), and
validates a configuration only when this build has not validated it before
(``ingest.known_settings``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cairn.graph.errors import ConfigError
from cairn.graph.lazy_exports import lazy_exports
from cairn.ingest.untrusted import RefusedFile, read_checkout_file
from cairn.ingest.untrusted_toml import TOMLDecodeError, load_toml

if TYPE_CHECKING:
    from cairn.ingest.config_models import (AdrSettings, CairnConfig, ComponentSpec, IdentitySettings, IngestSettings,
                                            PersonSpec)
    from cairn.ingest.config_values import StoredSettings

__all__ = ["AdrSettings", "CairnConfig", "ComponentSpec", "ConfigError", "IdentitySettings", "IngestSettings", "PersonSpec",
           "ConfigSource", "StoredSettings", "load_config", "parse_config", "read_config_source"]

#: The configuration models, defined in ``ingest.config_models`` and imported on first use (see the module docstring).
#: ``StoredSettings`` (``ingest.config_values``) too: an ingest that finds nothing changed needs neither.
__getattr__ = lazy_exports(__name__, {**dict.fromkeys(
    ("AdrSettings", "CairnConfig", "ComponentSpec", "IdentitySettings", "IngestSettings", "PersonSpec"), ".config_models"),
    "StoredSettings": ".config_values"})


def parse_config(data: dict[str, Any], source: str) -> CairnConfig:
    from pydantic import ValidationError

    from cairn.ingest.config_models import CairnConfig, validation_message

    data = dict(data)
    comps = data.get("components")
    if isinstance(comps, dict):  # allow `graph = "graph/**"` as well as a list
        data["components"] = {k: ([v] if isinstance(v, str) else v) for k, v in comps.items()}
    try:
        config = CairnConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {validation_message(exc)}") from None
    config.source = source
    return config


class ConfigSource(NamedTuple):
    """The configuration as found, before it is validated: where it was read, and its table.

    ``data`` None: no configuration (the defaults). What the check for changes
    fingerprints (``identity``): an ingest that finds nothing changed never
    validates the configuration (a changed one is validated by the ingest
    that follows), so it does not import the models. (A named tuple: a frozen
    dataclass's class takes every ingest 0.3 ms more to make.)
    """

    source: str | None = None
    data: dict[str, Any] | None = None

    def identity(self) -> str:
        """The table and where it came from, as canonical text (TOML dates and times as ISO text)."""
        return json.dumps([self.source, self.data], sort_keys=True, default=str, ensure_ascii=False)

    def adr_paths(self) -> list[str]:
        """``[adr] paths`` as written, when it is a list of text; else none (validation reports a wrong one)."""
        adr = self.data.get("adr") if self.data is not None else None
        paths = adr.get("paths") if isinstance(adr, dict) else None
        return list(paths) if isinstance(paths, list) and all(isinstance(p, str) for p in paths) else []

    def parse(self) -> CairnConfig:
        """The configuration validated (``ConfigError`` when it is not valid), defaults for what it leaves out."""
        if self.data is not None and self.source is not None:
            return parse_config(self.data, self.source)
        from cairn.ingest.config_models import CairnConfig

        return CairnConfig()


def read_config_source(root: Path, explicit: Path | None = None) -> ConfigSource:
    """Find and read the configuration of the checkout at ``root``, without validating it.

    ``explicit`` (``--config FILE``) wins; else ``cairn.toml`` at the root; else
    ``[tool.cairn]`` in ``pyproject.toml``; else defaults. A file that cannot be
    read or is not TOML is a ``ConfigError``.
    """
    candidates: list[tuple[Path, bool]] = []
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        candidates.append((explicit, explicit.name == "pyproject.toml"))
    else:
        candidates += [(root / "cairn.toml", False), (root / "pyproject.toml", True)]
    for path, in_pyproject in candidates:
        if explicit is None:  # the checkout's own file: read only if it is a regular file inside the checkout
            try:
                raw = read_checkout_file(root, path.name)
            except RefusedFile as exc:
                raise ConfigError(str(exc)) from None
            if raw is None:
                continue
        else:  # the file named on the command line (checked above)
            raw = path.read_bytes()
        try:
            data = load_toml(raw.decode("utf-8"))
        except (TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{_display(path, root)}: not valid TOML ({exc})") from None
        if in_pyproject:
            tool = data.get("tool")
            data = tool.get("cairn") if isinstance(tool, dict) else None
            if data is None:
                continue
            if not isinstance(data, dict):
                raise ConfigError(f"{_display(path, root)}: [tool.cairn] is not a table")
        return ConfigSource(_display(path, root), data)
    return ConfigSource()


def load_config(root: Path, explicit: Path | None = None) -> CairnConfig:
    """Read and validate the configuration of the checkout at ``root`` (see ``read_config_source``)."""
    return read_config_source(root, explicit).parse()


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
