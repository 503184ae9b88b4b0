"""A finding: one thing an analysis reports about the code, with its evidence.

The boundary check and the PR check report the same ``Finding``, the
renderers (table, Markdown, SARIF, PR comment) read it, and the HTTP API
declares it as its schema: one type, whatever produced it.

Words:

* ``rule`` — the id of what was broken: a rule of the repository
  (``core-stays-pure``) or one of the PR check's own (``cairn/new-cycle``);
* ``kind`` — the rule kind (``forbidden``, ``layers`` …) or the PR check's
  finding kind (``new_dependency``, ``cycle``, ``removed_dependency``,
  ``broken_cycle``, ``knowledge_risk``, ``governance``, ``co-change``);
* ``source`` / ``target`` — the importing and the imported module of the
  evidence (an import edge), when there is one; ``chain`` the modules of an
  indirect import, ``cycle`` the subjects of an import cycle;
* ``importer`` / ``imported`` — what identifies the violation across runs
  and in the baseline: the two modules of a direct import, the importing
  module and the subject it reaches for an indirect one, the two subjects for
  a cycle; never a line, so moving code does not make a violation new;
* ``fingerprint`` — a hash of ``(rule, importer, imported)``, stable across
  runs (SARIF's ``partialFingerprints``); worked out when first read, so a
  command that prints no fingerprint (``cairn check``'s table) neither hashes
  nor imports ``hashlib`` (4 ms of OpenSSL at start-up);
* ``new`` — in a PR check, whether the change introduces it (absent from the
  boundary check, which judges one state of the code).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from cairn.graph.severity import Severity

#: A finding's identity across runs: (rule, importer, imported).
FindingKey = tuple[str, str, str]


def fingerprint(rule: str, importer: str, imported: str) -> str:
    """The stable identity of a violation: a hash of its key, never of a line."""
    try:  # here: only a finding whose fingerprint is read needs it; CPython's own SHA-256 (the same digest) loads
        from _sha256 import sha256  # in 0.2 ms, hashlib's OpenSSL in 2 ms (a third of `cairn check --format json`'s margin)
    except ImportError:
        try:  # CPython 3.12 and later name it _sha2
            from _sha2 import sha256
        except ImportError:  # an interpreter without either
            from hashlib import sha256

    return sha256(f"{rule}\x1f{importer}\x1f{imported}".encode()).hexdigest()[:32]


# A plain frozen dataclass, not a pydantic model: the vocabulary of graph/ needs no validation library, and a
# `cairn check` that reads a kept judgement must start in a few times `python -c pass` (importing pydantic and
# building a model is more than that). The HTTP API serialises it as a dataclass, every field included.
@dataclass(frozen=True)
class Finding:
    """One thing an analysis reports, with the evidence behind it (see the module docstring)."""

    # pydantic (the HTTP schemas) reads this plain dict: a finding's fields are fixed, whatever the enclosing
    # schema allows
    __pydantic_config__ = {"extra": "ignore"}

    rule: str
    kind: str
    severity: Severity
    message: str
    source: str | None = None
    target: str | None = None
    source_component: str | None = None
    target_component: str | None = None
    file: str | None = None
    line: int | None = None
    decision: str | None = None
    chain: tuple[str, ...] = ()
    cycle: tuple[str, ...] = ()
    importer: str | None = None
    imported: str | None = None
    new: bool | None = None
    #: a hash of ``key``, worked out from the other fields when first read (``_Fingerprint``)
    fingerprint: str = field(init=False, default="")

    def __post_init__(self) -> None:
        set_field = object.__setattr__  # frozen: the derived fields are set once, here
        set_field(self, "severity", Severity(self.severity))
        set_field(self, "chain", tuple(self.chain))
        set_field(self, "cycle", tuple(self.cycle))

    @property
    def key(self) -> FindingKey:
        return (self.rule, str(self.importer or self.source), str(self.imported or self.target))

    def raised(self, because: str) -> "Finding":
        """This finding one severity step up, its message saying why; unchanged at ``block``."""
        higher = self.severity.raised()
        if higher is self.severity:
            return self
        return replace(self, severity=higher,
                       message=f"{self.message} [severity raised from {self.severity.value}: {because}]")

    def as_new(self) -> "Finding":
        return self if self.new else replace(self, new=True)

    def to_json(self, *, fingerprint: bool = True) -> dict[str, Any]:
        """The JSON shape every interface prints (the HTTP API serialises the same fields); without ``fingerprint``,
        the same without that key, for a reader that shows none (nothing is hashed then)."""
        out = {f.name: getattr(self, f.name) for f in (_FIELDS if fingerprint else _INIT_FIELDS)}
        out["severity"] = self.severity.value
        out["chain"], out["cycle"] = list(self.chain), list(self.cycle)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Finding":
        """A finding from ``to_json``'s shape (a kept answer); its fingerprint is worked out again (when read), other keys
        ignored.

        ``ValueError`` or ``TypeError`` when a field is missing or of the wrong kind.
        """
        if not isinstance(data, dict):
            raise TypeError("a finding is a JSON object")
        values = {}
        for f in _INIT_FIELDS:
            if f.name in data:
                values[f.name] = data[f.name]
        for name in ("rule", "kind", "message"):
            if not isinstance(values.get(name), str):
                raise ValueError(f"finding field {name!r} must be text")
        for name in ("chain", "cycle"):
            if not isinstance(values.get(name, ()), (list, tuple)):
                raise ValueError(f"finding field {name!r} must be a list")
        return cls(**values)


class _Fingerprint:
    """``Finding.fingerprint``: hashed when first read and kept in the instance, which then answers by itself (a
    descriptor without ``__set__``). The dataclass leaves the field to the class attribute (``init=False``), and the
    field's declared default stays ``""`` for whoever reads the fields (the HTTP schema)."""

    def __get__(self, finding: "Finding | None", owner: type) -> str:
        if finding is None:
            return ""
        value = fingerprint(*finding.key)
        finding.__dict__["fingerprint"] = value  # frozen: set once, as __post_init__ sets the other derived fields
        return value


Finding.fingerprint = _Fingerprint()  # type: ignore[assignment]  # after the dataclass read its default
_FIELDS = fields(Finding)
_INIT_FIELDS = [f for f in _FIELDS if f.init]
