"""People's fields kept apart from the answers and joined back (``api.services.answer_people``)."""

from __future__ import annotations

import pytest

from cairn.api.services.answer_people import DIRECTORY, MARKER, Unjoinable, attach, detach
from cairn.graph.values import dumps, loads

ADA = {"id": "ada@example.com", "name": "Ada", "commits": 3, "last_active": "2024-01-02T00:00:00+00:00"}
BOB = {"id": "bob@example.com", "name": "Bob", "commits": 1, "last_active": None}


def computed() -> dict:
    holder = {"person": "Ada", "id": "ada@example.com", "files_authored": 2, "share": 1.0, "active": True, "gone": None,
              "last_active": ADA["last_active"]}
    return {
        "people": {"repository": "r", "people": [dict(ADA), dict(BOB)]},
        "bus_factor": {
            "repository": {"knowledge_holders": [dict(holder)]},
            "components": [{"name": "api", "knowledge_holders": [
                dict(holder),
                # another analysis disagreeing about Ada: kept as it is
                {**holder, "active": False, "gone": "leaving"},
                # a holder known by no id
                {"person": "Nobody", "id": None, "files_authored": 1, "share": 0.5, "active": True, "gone": None,
                 "last_active": None},
            ]}],
            "people": [{**ADA, "active": True, "gone": None}, {**BOB, "active": False, "gone": "inactive"}],
        },
        "card/api": {"name": "api", "bus_factor": {"knowledge_holders": [dict(holder)]}},
        "components": {"components": [{"name": "api", "last_active": ADA["last_active"], "id": "ada@example.com"}]},
    }


def test_kept_answers_read_back_as_computed_text_and_name_people_only_by_id():
    answers = computed()
    before = dumps(answers)
    kept = loads(dumps(detach(answers)))  # as a store gives it back
    assert dumps(answers) == before  # nothing computed was changed in place
    assert kept[DIRECTORY]["ada@example.com"] == {"last_active": ADA["last_active"], "commits": 3, "active": True,
                                                  "gone": None}
    for name, value in answers.items():
        assert dumps(attach(name, loads(dumps(kept[name])), kept[DIRECTORY])) == dumps(value), name  # joined in place
    rows = kept["bus_factor"]["components"][0]["knowledge_holders"]
    assert rows[0]["last_active"] == MARKER and rows[0]["active"] == MARKER
    assert rows[1]["active"] is False and rows[1]["gone"] == "leaving" and rows[1]["last_active"] == MARKER
    assert rows[2]["last_active"] is None
    assert kept["components"] == answers["components"]  # an answer with no person rows is left alone


def test_a_later_activity_changes_the_directory_not_the_answers():
    first = detach(computed())
    later = computed()
    later["people"]["people"][0]["last_active"] = "2024-03-01T00:00:00+00:00"
    later["people"]["people"][0]["commits"] = 4
    for row in (later["bus_factor"]["repository"]["knowledge_holders"] + later["bus_factor"]["people"][:1]
                + later["card/api"]["bus_factor"]["knowledge_holders"] + later["bus_factor"]["components"][0]["knowledge_holders"][:2]):
        row["last_active"] = "2024-03-01T00:00:00+00:00"
        if "commits" in row:
            row["commits"] = 4
    second = detach(later)
    assert {name for name in second if dumps(second[name]) != dumps(first[name])} == {DIRECTORY}
    card = attach("card/api", second["card/api"], second[DIRECTORY])
    assert card["bus_factor"]["knowledge_holders"][0]["last_active"] == "2024-03-01T00:00:00+00:00"


def test_a_marker_the_directory_cannot_fill_is_refused():
    kept = detach(computed())
    with pytest.raises(Unjoinable):
        attach("card/api", kept["card/api"], None)
    with pytest.raises(Unjoinable):
        attach("card/api", kept["card/api"], {"ada@example.com": {"commits": 3}})
