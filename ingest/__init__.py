"""Everything that reads a repository (or a change to it) into the graph model.

``files`` lists and classifies a checkout's files, ``config`` reads
``cairn.toml``, ``code`` extracts module dependencies with tree-sitter,
``components`` assigns modules and files to components, ``history`` mines git
for ``knowledge`` (degree of authorship, Person -KNOWS-> File) in one pass whose
commits ``cochange`` (change coupling, change counts, the agent inventory, with
``agent_markers``) and ``trend_history`` (what trends are computed from, with ``trend_samples``) build on, ``adrs`` and
``rules`` read decisions and boundary rules, ``codeowners`` reads declared ownership, ``reviews``
applies review records from the forge, and ``pipeline`` puts them together
into one ``RepoGraph``. ``change`` builds what a pull request does (``diffs``
parses a unified diff) into a ``ChangeSet``. ``git`` is the one way to run git
and ``untrusted`` the one way to read a repository file or YAML: a checkout is
a stranger's input.

Ingest imports ``graph`` only: never ``queries`` (its sibling, which judges
what ingest builds) nor ``api``.
"""
