"""Names a package offers but imports from its modules only when first asked for (PEP 562's module ``__getattr__``).

A package whose parts are heavy lists each name with the module that defines it
(relative to the package, as ``import_module`` takes it). The first look-up of
a name imports that module, and the name is then kept in the package like any
other, so the look-up costs nothing the second time and ``from package import
name`` works as it always does. A command that needs one part of a package pays
for that part alone.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any, Callable, Mapping


def lazy_exports(module: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of the module named ``module``: each name of ``exports`` imported from the module it maps to
    (``".card"``: ``card`` beside ``module``) when first asked for; any other name is an ``AttributeError``."""
    namespace = vars(sys.modules[module])
    package = namespace["__package__"]

    def __getattr__(name: str) -> Any:
        source = exports.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(import_module(source, package), name)
        namespace[name] = value
        return value

    return __getattr__
