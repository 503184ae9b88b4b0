"""The one Finding: its JSON shape, read back whole; its fingerprint from its key; a bad kept finding refused."""

from __future__ import annotations

import pytest

from cairn.graph.findings import Finding, fingerprint
from cairn.graph.severity import Severity


def test_a_finding_round_trips_through_its_json_with_its_fingerprint():
    f = Finding(rule="core-pure", kind="forbidden", severity=Severity.WARN, message="core imports web",
                source="shop.core.a", target="shop.web.b", chain=["shop.core.a", "shop.x", "shop.web.b"], line=3)
    data = f.to_json()
    assert list(data)[-1] == "fingerprint" and data["fingerprint"] == fingerprint("core-pure", "shop.core.a", "shop.web.b")
    assert data["severity"] == "warn" and data["chain"] == ["shop.core.a", "shop.x", "shop.web.b"]
    assert Finding.from_json(data) == f and hash(Finding.from_json(data)) == hash(f)
    raised = f.raised("a decision says so")
    assert raised.severity is Severity.BLOCK and raised.fingerprint == f.fingerprint and "raised from warn" in raised.message
    assert f.as_new().new is True and f.as_new().to_json()["fingerprint"] == data["fingerprint"]


@pytest.mark.parametrize("broken", [
    {"kind": "forbidden", "severity": "warn", "message": "m"},  # no rule
    {"rule": "r", "kind": "forbidden", "severity": "loud", "message": "m"},
    {"rule": "r", "kind": "forbidden", "severity": "warn", "message": "m", "chain": "a.b"},
    ["not", "an", "object"],
])
def test_a_kept_finding_of_another_shape_is_refused(broken):
    with pytest.raises((ValueError, TypeError)):
        Finding.from_json(broken)


def test_the_fingerprint_is_hashed_when_first_read_and_a_reader_may_do_without_it():
    import subprocess
    import sys

    f = Finding(rule="r", kind="forbidden", severity="block", message="m", source="a", target="b")
    assert "fingerprint" not in vars(f)  # not hashed yet
    data = f.to_json(fingerprint=False)
    assert "fingerprint" not in data and "fingerprint" not in vars(f)
    assert data == {k: v for k, v in f.to_json().items() if k != "fingerprint"}
    assert vars(f)["fingerprint"] == f.fingerprint == fingerprint("r", "a", "b")  # kept once read
    # findings made, compared and printed without their fingerprints import no SHA-256 (cairn check's table); read,
    # they hash with CPython's own (``_sha256``, 3.12's ``_sha2``) where it has one, else hashlib's
    code = ("import sys\nfrom cairn.graph.findings import Finding\n"
            "sha = lambda: 'hashlib' in sys.modules or '_sha256' in sys.modules or '_sha2' in sys.modules\n"
            "f = Finding(rule='r', kind='forbidden', severity='warn', message='m', source='a', target='b')\n"
            "assert Finding.from_json(f.to_json(fingerprint=False)).key == f.key\n"
            "print(sha(), f.fingerprint != '', sha())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True"]


def test_the_fingerprint_is_sha256_of_the_key():
    import hashlib

    for key in [("r", "a", "b"), ("core-not-web", "shop.core.models", "external:requests"), ("é", "ü.日本", "")]:
        assert fingerprint(*key) == hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:32]
