"""How a decision's status word decides whether (and how hard) its rules are enforced."""

import pytest

from cairn.graph.decisions import enforcement, status_word
from cairn.graph.severity import Severity


@pytest.mark.parametrize("status", ["Pending", "On hold", "on hold until Q3", "proposed"])
def test_undecided_decisions_only_inform(status):
    assert enforcement(status) == (True, Severity.INFO)


def test_on_hold_is_its_own_word():
    assert status_word("On hold") == "on hold"
    assert status_word("Superseded by 0005") == "superseded"


@pytest.mark.parametrize("status,expected", [("Accepted", (True, None)), ("superseded", (False, None)), (None, (True, None))])
def test_decided_and_retired(status, expected):
    assert enforcement(status) == expected
