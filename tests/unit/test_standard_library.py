"""Which external packages are a standard library's: the same answer whichever Python runs Cairn."""

import pytest

from cairn.ingest.code.stdlib import is_standard_library


@pytest.mark.parametrize("name, ecosystem, standard", [
    ("os.path", "pypi", True), ("_typeshed", "pypi", True),
    # newer than the interpreter the tests run on: mitmproxy imports 3.14's compression.zstd (PEP 784)
    ("compression.zstd", "pypi", True), ("annotationlib", "pypi", True),
    # removed since 3.11 (PEP 632, PEP 594), still the standard library's for a project that runs on 3.11
    ("asyncore", "pypi", True), ("distutils.core", "pypi", True), ("telnetlib", "pypi", True),
    ("requests", "pypi", False), ("compressed", "pypi", False), ("backports.zstd", "pypi", False),
    ("node:fs", "npm", True), ("fs-extra", "npm", False), ("net/http", "go", True),
    ("github.com/x/y", "go", False), ("javax.swing", "maven", True), ("javax.inject", "maven", False),
    ("std", "cargo", True), ("serde", "cargo", False),
])
def test_standard_library_packages(name, ecosystem, standard):
    assert is_standard_library(name, ecosystem) is standard
