"""JSON on stdout: NaN and infinities, which JSON cannot carry, are printed as null; everything else as given."""

from __future__ import annotations

import json
import math

from cairn.api.common import print_json


def test_numbers_json_cannot_carry_are_null_and_the_rest_is_unchanged(capsys):
    print_json({"a": [1.5, math.nan, {"b": math.inf, "c": (1, "x")}], "d": -math.inf})
    assert json.loads(capsys.readouterr().out) == {"a": [1.5, None, {"b": None, "c": [1, "x"]}], "d": None}
    plain = {"a": [1.5, 2, {"c": (1, "ü")}], "n": None}
    print_json(plain)
    out = capsys.readouterr().out
    assert out == json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
