"""The extraction's input fingerprint written out a part at a time (``extract._Inputs``) is the digest of the
``repr`` it stands for, with a few blobs replaced too; the consulted paths picked out by name first are those
``consults`` names."""

from __future__ import annotations

import hashlib
import random

import pytest

from cairn.ingest.code.base import Language
from cairn.ingest.code.extract import _consulted, _Inputs, available_languages


def _digest(languages: list[Language], blobs: dict[str, str], consulted: list[str]) -> str:
    text = repr(([(lang.name, lang.version) for lang in languages], sorted(blobs.items()), "consulted", consulted))
    return hashlib.sha1(text.encode("utf-8", errors="surrogateescape")).hexdigest()


def _paths(rng: random.Random, n: int) -> list[str]:
    parts = ["a", "b", "pkg", "ü", "x y", "'q'", '"d"', "\\", "go.mod", "__init__.py", "m.py", "z\udcff", "mod.go"]
    return ["/".join(rng.choice(parts) for _ in range(rng.randint(1, 4))) for _ in range(n)]


def test_the_fingerprint_is_the_digest_of_its_repr() -> None:
    rng = random.Random(14)
    languages = available_languages()
    for _ in range(20):
        blobs = {p: hashlib.sha1(p.encode("utf-8", "surrogateescape")).hexdigest() for p in _paths(rng, 50)}
        consulted = sorted(_paths(rng, 5))
        inputs = _Inputs(languages, blobs, consulted)
        assert inputs.fingerprint() == _digest(languages, blobs, consulted)
        instead = {p: "0" * 40 for p in rng.sample(sorted(blobs), 3)}
        assert inputs.fingerprint(instead=instead) == _digest(languages, {**blobs, **instead}, consulted)
        assert inputs.fingerprint(instead=instead) != inputs.fingerprint()
    assert _Inputs(languages, {}, []).fingerprint() == _digest(languages, {}, [])
    with pytest.raises(KeyError):
        _Inputs(languages, {"a.py": "1"}, []).fingerprint(instead={"b.py": "2"})


def test_consulted_names_hold_every_path_a_language_consults() -> None:
    rng = random.Random(15)
    paths = frozenset(_paths(rng, 3000) + ["go.mod", "__init__.py", "a/go.mod", "a/__init__.py", "xgo.mod", "b/x__init__.py"])
    for lang in available_languages():
        if lang.consulted_names is None:
            continue
        assert all(p.endswith(lang.consulted_names) for p in paths if lang.consults(p)), lang.name
    languages = available_languages()
    for present in ([lang for lang in languages if lang.name in names] for names in
                    (["python"], ["go"], ["java"], ["python", "go"], ["python", "go", "java"], ["javascript", "python"])):
        assert present
        expected = sorted(p for p in paths if any(lang.consults(p) for lang in present))
        assert _consulted(present, paths) == expected
    assert "a/__init__.py" in _consulted([lang for lang in languages if lang.name == "python"], paths)
