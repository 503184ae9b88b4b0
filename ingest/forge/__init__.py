"""Reading from the forges Cairn's users review on: GitHub and GitLab.

``http`` is the one HTTP client for both (timeouts, retries with backoff,
rate limits, Link-header pagination, the token only ever in a header);
``github`` and ``gitlab`` read merged pull/merge requests with their reviews
and changed files as the review records of ``cairn.ingest.reviews``;
``state`` remembers, beside the stored review records, how far an import got;
``fetch`` brings a pull request's commits into a registered checkout (through
``cairn.ingest.git``) for the webhook that posts.
"""
