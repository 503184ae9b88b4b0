"""Everything that reads a repository into the graph model.

``files`` lists and classifies a checkout's files, ``config`` reads
``cairn.toml``, ``code`` extracts module dependencies with tree-sitter,
``components`` assigns modules and files to components, ``history`` mines git
for knowledge in one pass whose commits ``cochange`` (change coupling, change
counts, the agent inventory, with ``agent_markers``) and ``trend_history``
(what trends are computed from) build on, ``adrs`` and ``rules`` read decisions and boundary rules,
``codeowners`` reads declared ownership, and ``pipeline`` puts them together
into one ``RepoGraph``. Nothing here imports ``api``.
"""
