"""The forge HTTP client against the local GitHub stand-in: retries, rate limits, and where the token may go."""

from __future__ import annotations

import email.utils
import time

import pytest

from cairn.graph.errors import ForgeError
from cairn.ingest.forge.http import ForgeClient
from fixtures.forge_server import ForgeServer

SLUG = "acme/shop"


@pytest.fixture()
def forge():
    with ForgeServer(page_size=1) as server:
        for i in range(3):
            server.add_comment(SLUG, 1, f"comment {i}")
        yield server


def client(forge: ForgeServer, **kwargs) -> ForgeClient:
    return ForgeClient("github", forge.url, next(iter(forge.github_tokens)), sleep=lambda s: None, **kwargs)


def test_pagination_follows_link_headers(forge):
    with client(forge) as c:
        assert [x["body"] for x in c.paginate(f"/repos/{SLUG}/issues/1/comments")] == ["comment 0", "comment 1", "comment 2"]
    assert [r.query.get("page") for r in forge.calls("GET")] == [None, "2", "3"]


def test_a_link_to_another_host_is_not_followed_with_the_token(forge):
    with ForgeServer() as elsewhere:
        forge.link_base = elsewhere.url
        with client(forge) as c, pytest.raises(ForgeError, match="another host"):
            list(c.paginate(f"/repos/{SLUG}/issues/1/comments"))
        assert not elsewhere.requests


def test_redirects_are_not_followed(forge):
    with ForgeServer() as elsewhere:
        forge.fail(301, path="/comments$", headers={"Location": f"{elsewhere.url}/repos/{SLUG}/issues/1/comments"})
        with client(forge) as c, pytest.raises(ForgeError, match="301 Moved Permanently.*use the new address"):
            c.get(f"/repos/{SLUG}/issues/1/comments")
        assert not elsewhere.requests


def test_server_errors_are_retried_for_reads_and_never_for_creations(forge):
    waits: list[float] = []
    forge.fail(502, method="GET", times=2)
    with ForgeClient("github", forge.url, next(iter(forge.github_tokens)), sleep=waits.append, retries=3) as c:
        assert len(c.get(f"/repos/{SLUG}/issues/1/comments")) == 1
        assert len(waits) == 2 and 1 <= waits[0] < waits[1]  # backoff grows
        forge.fail(500, method="POST")
        with pytest.raises(ForgeError, match="500"):
            c.json("POST", f"/repos/{SLUG}/issues/1/comments", json={"body": "hello"})
    assert len(forge.calls("POST")) == 1 and len(forge.comments_on(SLUG, 1)) == 3


def test_retry_after_as_a_date_and_secondary_rate_limits(forge):
    waits: list[float] = []
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    forge.fail(429, headers={"Retry-After": when})
    forge.fail(403, body={"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})
    with ForgeClient("github", forge.url, next(iter(forge.github_tokens)), sleep=waits.append) as c:
        c.get(f"/repos/{SLUG}/issues/1/comments")
    assert 20 <= waits[0] <= 31 and waits[1] == 60  # the date, then GitHub's documented minute
    with ForgeClient("github", forge.url, next(iter(forge.github_tokens)), sleep=waits.append, max_wait=10) as c:
        forge.fail(429, headers={"Retry-After": "120"})
        with pytest.raises(ForgeError, match=r"rate limit .*Retry-After: 120"):
            c.get(f"/repos/{SLUG}/issues/1/comments")


def test_the_token_never_appears_in_an_error(forge):
    token = next(iter(forge.github_tokens))
    forge.fail(422, body={"message": f"token {token} is not allowed here", "errors": [{"resource": "Issue", "field": "body", "code": "invalid"}]})
    with client(forge) as c, pytest.raises(ForgeError) as caught:
        c.get(f"/repos/{SLUG}/issues/1/comments")
    assert token not in str(caught.value) and "***" in str(caught.value) and "field=body" in str(caught.value)
    assert token not in repr(c)
