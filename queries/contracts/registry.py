"""Which contract judges which rule kind: one module per kind, as import-linter's ``contracts/`` does."""

from __future__ import annotations

from cairn.queries.contracts.acyclic import AcyclicContract
from cairn.queries.contracts.allowed_only import AllowedOnlyContract
from cairn.queries.contracts.base import Contract
from cairn.queries.contracts.forbidden import ForbiddenContract
from cairn.queries.contracts.independence import IndependenceContract
from cairn.queries.contracts.interface import InterfaceContract
from cairn.queries.contracts.layers import LayersContract

CONTRACTS: dict[str, type[Contract]] = {
    "forbidden": ForbiddenContract,
    "layers": LayersContract,
    "independence": IndependenceContract,
    "allowed_only": AllowedOnlyContract,
    "acyclic": AcyclicContract,
    "interface": InterfaceContract,
}
