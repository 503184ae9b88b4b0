"""The forge adapters: posting the PR check where reviews happen (GitHub, GitLab).

* ``targets``: which pull/merge request to post on, from GitHub Actions' and
  GitLab CI's own environment (or ``--pr``);
* ``github_post``: one sticky comment (found by ``<!-- cairn-pr-check -->``)
  and one check run with annotations; ``gitlab_post``: one sticky MR note;
* ``github_app``: how ``cairn serve`` authenticates to post (a token, or a
  GitHub App's installation token);
* ``webhook``: the delivery log and the poster of ``pull_request`` events.

What is posted is rendered by ``api.render`` (``pr_comment``, ``check_run``,
and ``codeclimate`` for GitLab Code Quality). The interfaces reach these
adapters only through the services (``api.services.posting``,
``api.services.review_import``). The HTTP client, the readers of reviews and
the fetching of a pull request's commits live in ``cairn.ingest.forge``.
"""
