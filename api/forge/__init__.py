"""The PR check where reviews happen, and review records from the forge.

* ``targets``: which pull/merge request to post on, from GitHub Actions' and
  GitLab CI's own environment (or ``--pr``);
* ``github_post``: one sticky comment (found by ``<!-- cairn-pr-check -->``)
  and one check run with annotations; ``gitlab_post``: one sticky MR note;
* ``codeclimate``: the GitLab Code Quality report (``--format codeclimate``);
* ``publish``: what ``cairn pr-check --post github|gitlab`` does after the check;
* ``review_import``: ``cairn reviews import``, forge reviews into the store;
* ``github_app`` and ``webhook``: ``cairn serve`` posting for ``pull_request``
  events with a token or as a GitHub App.

The HTTP client and the readers of reviews live in ``cairn.ingest.forge``.
"""
