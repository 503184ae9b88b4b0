"""Module dependency extraction with tree-sitter.

``base`` holds the contract every language implements; ``python``,
``javascript`` (JS, TS, TSX), ``go``, ``java`` (and Kotlin) and ``rust`` implement it; ``extract``
runs them over a repository in parallel, with a parse cache keyed by content
hash, and turns the results into modules and import edges.
"""
