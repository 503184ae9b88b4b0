"""The analyses: ownership and bus factor, boundary rules, PR check, exploration, and change over time
(``coupling``, ``hotspots``, ``agents``, ``trends``, and ``cochange`` for the PR check).

Each analysis reads a ``RepoGraph`` (loaded from any ``GraphStore``) and computes
in Python, so it has one implementation whatever the store.
"""
