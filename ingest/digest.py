"""The one fingerprint of a JSON-able value (``digest``): what the ingest's freshness check, the build of Cairn and
the answers' basis compare."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def digest(value: Any) -> str:
    """A fingerprint of any JSON-able value: the SHA-256 of its JSON text, keys sorted (anything else as its ``str``)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8", "surrogateescape")).hexdigest()
