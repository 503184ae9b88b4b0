"""YAML from a repository, read as the untrusted input it is (see ``ingest.untrusted``).

``load_yaml`` reads YAML with PyYAML's safe constructors and refuses aliases
(``*name``): an alias is how a few hundred bytes expand into gigabytes
("billion laughs"), and nothing Cairn reads needs one. Nesting is capped as
well, so a deep ``[[[[…]]]]`` is an error, not a RecursionError. Anything
wrong is a ``yaml.YAMLError`` (``UnsafeYaml`` for the two refusals).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import YAMLError
from yaml.events import AliasEvent

__all__ = ["MAX_YAML_DEPTH", "UnsafeYaml", "YAMLError", "load_yaml"]

#: How deep YAML collections may nest.
MAX_YAML_DEPTH = 64


class UnsafeYaml(yaml.MarkedYAMLError):
    """YAML Cairn refuses to expand: an alias, or collections nested too deeply.

    ``problem`` says what, ``problem_mark`` where (as PyYAML's own errors do)."""

    def __init__(self, problem: str, mark=None):  # noqa: ANN001 - a yaml Mark
        super().__init__(problem=problem, problem_mark=mark)

    def __str__(self) -> str:
        return self.problem if self.problem_mark is None else f"{self.problem} (line {self.problem_mark.line + 1})"


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and with a nesting cap."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise UnsafeYaml(f"an alias (*{event.anchor}) is not allowed: Cairn does not expand YAML aliases", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise UnsafeYaml(f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """One YAML document, safely: plain data only, no aliases, bounded nesting.

    Raises ``yaml.YAMLError`` (``UnsafeYaml`` for an alias or deep nesting).
    """
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise UnsafeYaml(f"nested more than {MAX_YAML_DEPTH} levels deep") from None
    finally:
        loader.dispose()
