"""import-linter contracts are repository input: a contract file linked outside the checkout is refused, never read."""

import pytest

from cairn.graph.errors import ConfigError
from cairn.ingest.config import CairnConfig
from cairn.ingest.adrs import DecisionSet
from cairn.ingest.rules import collect_rules


def test_importlinter_symlink_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.ini"
    secret.write_text("[importlinter]\nroot_package = TOPSECRET\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".importlinter").symlink_to(secret)
    with pytest.raises(ConfigError) as exc:
        collect_rules(CairnConfig(), DecisionSet(), repo)
    assert ".importlinter" in str(exc.value) and "TOPSECRET" not in str(exc.value)
