"""A finding: one thing an analysis reports about the code, with its evidence.

The boundary check and the PR check report the same ``Finding``, the
renderers (table, Markdown, SARIF, PR comment) read it, and the HTTP API
declares it as its schema: one type, whatever produced it.

Words:

* ``rule`` — the id of what was broken: a rule of the repository
  (``core-stays-pure``) or one of the PR check's own (``cairn/new-cycle``);
* ``kind`` — the rule kind (``forbidden``, ``layers`` …) or the PR check's
  finding kind (``new_dependency``, ``cycle``, ``knowledge_risk``,
  ``governance``, ``co-change``);
* ``source`` / ``target`` — the importing and the imported module of the
  evidence (an import edge), when there is one; ``chain`` the modules of an
  indirect import, ``cycle`` the subjects of an import cycle;
* ``importer`` / ``imported`` — what identifies the violation across runs
  and in the baseline: the two modules of a direct import, the importing
  module and the subject it reaches for an indirect one, the two subjects for
  a cycle; never a line, so moving code does not make a violation new;
* ``fingerprint`` — a hash of ``(rule, importer, imported)``, stable across
  runs (SARIF's ``partialFingerprints``);
* ``new`` — in a PR check, whether the change introduces it (absent from the
  boundary check, which judges one state of the code).
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from cairn.graph.severity import Severity

#: A finding's identity across runs: (rule, importer, imported).
FindingKey = tuple[str, str, str]


def fingerprint(rule: str, importer: str, imported: str) -> str:
    """The stable identity of a violation: a hash of its key, never of a line."""
    return hashlib.sha256(f"{rule}\x1f{importer}\x1f{imported}".encode()).hexdigest()[:32]


class Finding(BaseModel):
    """One thing an analysis reports, with the evidence behind it (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

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

    @property
    def key(self) -> FindingKey:
        return (self.rule, str(self.importer or self.source), str(self.imported or self.target))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fingerprint(self) -> str:
        return fingerprint(*self.key)

    def raised(self, because: str) -> "Finding":
        """This finding one severity step up, its message saying why; unchanged at ``block``."""
        higher = self.severity.raised()
        if higher is self.severity:
            return self
        return self.model_copy(update={
            "severity": higher, "message": f"{self.message} [severity raised from {self.severity.value}: {because}]",
        })

    def as_new(self) -> "Finding":
        return self if self.new else self.model_copy(update={"new": True})

    def to_json(self) -> dict[str, Any]:
        """The JSON shape every interface prints (the HTTP schema is this model, so it is the same there)."""
        return self.model_dump(mode="json")
