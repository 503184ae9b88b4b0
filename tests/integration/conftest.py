"""Fixtures several integration modules share, from the modules that define them: a history grown commit by commit
(``grown``, test_incremental_history) and a shop whose answers are kept (``shop``, test_answers_incremental)."""

from test_answers_incremental import shop  # noqa: F401 - a fixture
from test_incremental_history import grown  # noqa: F401 - a fixture
