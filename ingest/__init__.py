"""Everything that reads a repository into the graph model.

``files`` lists and classifies a checkout's files, ``config`` reads
``cairn.toml``, ``code`` extracts module dependencies with tree-sitter,
``components`` assigns modules and files to components, ``history`` mines git
for ``knowledge`` (degree of authorship, Person -KNOWS-> File), ``adrs`` and
``rules`` read decisions and boundary rules, ``codeowners`` reads declared
ownership, and ``pipeline`` puts them together into one ``RepoGraph``. ``git`` is the one way to run git and ``untrusted``
the one way to read a repository file or YAML: a checkout is a stranger's
input. Nothing here imports ``api`` or ``queries``.
"""
