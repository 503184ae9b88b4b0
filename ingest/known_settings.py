"""Configurations and rules validated before, remembered so that an ingest after a commit imports no pydantic.

Validating ``cairn.toml`` through its models (``ingest.config_models``) and
each boundary rule through ``graph.rule_schema`` imports pydantic and builds
the models: a quarter of an ingest after a small commit at 2k files. The
configuration and the rules seldom change between two ingests, so
``KnownSettings`` keeps in ``settings.json`` of the ingest's cache directory:

* per configuration validated, keyed by the SHA-256 of the ``repr`` of where it
  was read and its table (types included: a date and the text of a date are
  two configurations), the models' dumps of it (without and with
  ``mode="json"``), which the plain values an ingest reads are made from
  (``config_values.Settings``);
* per rule table validated by the last ingest (keyed the same way), the
  ``RuleSpec`` made of it.

Only what validated is kept: an invalid configuration or rule is validated
every time, and fails with the same message. An entry is kept only when what
is made of it after a JSON round trip has the ``repr`` of what is made of the
validation (types included). The file is read only when this very build of
Cairn wrote it (``build.cairn_build``) and the analysed repository does not
track it (a cache directory inside the checkout, the file committed); it is
JSON Cairn writes into its own cache directory, never repository content, and
a file that cannot be read as this cache is ignored and replaced. Under
``CAIRN_VERIFY_SKIPS`` whatever is taken from it is validated again and
compared.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cairn.graph.atomic import write_atomic
from cairn.graph.rules import RuleException, RuleSpec
from cairn.graph.severity import Severity
from cairn.graph.store import verifying_skips
from cairn.ingest.config_values import Settings, same_values

if TYPE_CHECKING:
    from cairn.ingest.config import CairnConfig, ConfigSource

CACHE_FILE = "settings.json"
FORMAT = "cairn-known-settings"
VERSION = 1
#: configurations remembered besides the one in use (one cache directory may serve several repositories)
OTHER_CONFIGS = 7


def ingest_settings(source: ConfigSource, cache_dir: Path | None, root: Path,
                    tracked: list[str] | None = None) -> Settings | CairnConfig:
    """What an ingest reads of the configuration found (``config.read_config_source``): ``source.parse()``'s result
    as plain values (``config_values``), taken from ``cache_dir`` when this build validated this very configuration
    before (no pydantic then); ``ConfigError`` when it is not valid. ``tracked``: the paths the repository tracks in
    ``cache_dir``, when known (``freshness.CheckoutState.tracked_in_cache``; else git is asked)."""
    return KnownSettings(cache_dir, root, tracked).settings(source)


class KnownSettings:
    """``settings(source)``: the configuration's values, validated or remembered; ``rule(table)``: a rule's spec, the
    same way; ``save_rules()`` keeps the rules this ingest read (the others are forgotten)."""

    def __init__(self, cache_dir: Path | None, root: Path, tracked: list[str] | None = None) -> None:
        from cairn.ingest.build import cairn_build

        self.path = Path(cache_dir) / CACHE_FILE if cache_dir is not None else None
        self.build = cairn_build()
        self.usable = self.path is not None and not _tracked(root, self.path, tracked)
        old = self._read() if self.usable else {}
        self._configs: dict[str, Any] = old.get("configs", {})
        self._old_rules: dict[str, Any] = old.get("rules", {})
        self._rules: dict[str, Any] = {}
        #: how many configurations and rules were taken from the file (for tests)
        self.reused = 0

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION \
                or data.get("build") != self.build or not isinstance(data.get("configs"), dict) \
                or not isinstance(data.get("rules"), dict):
            return {}
        return data

    # -- the configuration ----------------------------------------------------------------

    def settings(self, source: ConfigSource) -> Settings | CairnConfig:
        """``source.parse()`` as plain values; the model itself in the unforeseen case that they differ from it."""
        key = _key([source.source, source.data])
        dumps = self._configs.get(key)
        if dumps is not None:
            remembered = _settings_of(dumps, _tables(source), self)
            if remembered is not None:
                if verifying_skips():
                    self._verify(source, remembered)
                self.reused += 1
                return remembered
        config = source.parse()
        values = Settings.of_model(config, self)
        if not same_values(config, values):
            return config
        dumps = [values.dump, values.json_dump]
        if self.usable and _round_trips(dumps, lambda d: _settings_of(d, config.rules), values):
            self._configs = {key: dumps, **{k: v for k, v in list(self._configs.items())[:OTHER_CONFIGS] if k != key}}
            self._save(self._old_rules)
        return values

    def _verify(self, source: ConfigSource, remembered: Settings) -> None:
        config = source.parse()
        validated = Settings.of_model(config)
        if repr(validated) != repr(remembered) or _text([validated.dump, validated.json_dump]) \
                != _text([remembered.dump, remembered.json_dump]):
            raise AssertionError(f"{self.path}: the configuration kept for {source.source or 'the defaults'} is not "
                                 "what validating it gives")

    # -- rules ------------------------------------------------------------------------------

    def rule(self, table: dict[str, Any]) -> RuleSpec:
        """``rule_schema.validate_rule_spec(table)`` (raises its errors too)."""
        key = _key(table)
        encoded = self._old_rules.get(key)
        if encoded is not None:
            spec = _spec_of(encoded)
            if spec is not None:
                if verifying_skips() and repr(_validated_rule(table)) != repr(spec):
                    raise AssertionError(f"{self.path}: the rule kept for {table.get('id')!r} is not what validating it gives")
                self._rules[key] = encoded
                self.reused += 1
                return spec
        spec = _validated_rule(table)
        encoded = _encoded_spec(spec)
        if _round_trips(encoded, _spec_of, spec):
            self._rules[key] = encoded
        return spec

    def save_rules(self) -> None:
        """Keep the rules read since this was opened, when they are not the ones kept."""
        if self.usable and self._rules != self._old_rules:
            self._save(self._rules)
            self._old_rules = dict(self._rules)

    def _save(self, rules: dict[str, Any]) -> None:
        assert self.path is not None
        data = {"format": FORMAT, "version": VERSION, "build": self.build, "configs": self._configs, "rules": rules}
        try:
            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode())
        except OSError:
            pass  # a cache that cannot be written is validated again next time


def _key(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogateescape")).hexdigest()


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _round_trips(encoded: Any, decode: Any, made: Any) -> bool:
    """Whether ``encoded`` comes back from JSON as something with the ``repr`` of ``made``."""
    try:
        return repr(decode(json.loads(_text(encoded)))) == repr(made)
    except (TypeError, ValueError):
        return False


def _tables(source: ConfigSource) -> list[dict[str, Any]]:
    """``[[rules]]`` as ``CairnConfig`` holds them: the tables as written (a configuration validated before has them
    as a list of tables)."""
    tables = source.data.get("rules", []) if source.data is not None and source.source is not None else []
    return [dict(table) for table in tables]


def _settings_of(dumps: Any, rules: list[dict[str, Any]], known: KnownSettings | None = None) -> Settings | None:
    try:
        dump, json_dump = dumps
        return Settings.of_dump(dump, json_dump, rules, known)
    except (TypeError, KeyError, AttributeError, ValueError):
        return None


def _validated_rule(table: dict[str, Any]) -> RuleSpec:
    from cairn.graph.rule_schema import validate_rule_spec

    return validate_rule_spec(table)


def _encoded_spec(spec: RuleSpec) -> dict[str, Any]:
    encoded = dataclasses.asdict(spec)
    encoded["severity"] = spec.severity.value
    encoded["exceptions"] = [{**e, "expires": e["expires"].isoformat() if e["expires"] else None}
                             for e in encoded["exceptions"]]
    return encoded


def _spec_of(encoded: Any) -> RuleSpec | None:
    try:
        exceptions = [RuleException(**{**e, "expires": date.fromisoformat(e["expires"]) if e["expires"] else None})
                      for e in encoded["exceptions"]]
        return RuleSpec(**{**encoded, "severity": Severity(encoded["severity"]), "exceptions": exceptions})
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _tracked(root: Path, path: Path, tracked: list[str] | None) -> bool:
    from cairn.ingest.code.cache import tracked_cache_files

    return bool(tracked_cache_files(root, path.parent, (path.name,), tracked))
