"""The decisions page of a repository whose records state no date (Open edX's reStructuredText records), in a real
headless Chromium: each is dated by the commit that added it, says so, and the timeline runs by those dates.

Needs Chromium at /usr/bin/chromium (Debian package ``chromium``; see ``fixtures.browser``).
"""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from fixtures.browser import BROWSER_MARKS, CHROMIUM, LAUNCH_ARGS
from fixtures.explore import LiveServer
from fixtures.gitrepo import GitRepo

pytestmark = BROWSER_MARKS


def _record(title: str, status: str) -> str:
    return f"{title}\n{'#' * len(title)}\n\nStatus\n******\n\n{status}\n\nContext\n*******\n\nWhy.\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("web-dates")
    repo = GitRepo(base / "service")
    repo.commit({"service/apps/core/models.py": "X = 1\n", "service/apps/api/views.py": "from service.apps.core import models\n",
                 # the app's record, added first, numbered 1 in its own folder
                 "service/apps/api/docs/decisions/0001-post-updates.rst": _record("POST updates", "Accepted")},
                date="2019-05-06T10:00:00+00:00")
    repo.commit({"docs/decisions/0001-record-decisions.rst": _record("0001 Record Decisions", "Accepted"),
                 "docs/decisions/0002-stated.md": "# 2. Stated\n\nDate: 2018-01-02\n\n## Status\n\nAccepted\n",
                 # requests for comments (Jaeger's docs/rfc/): numbered as such
                 **{f"docs/rfc/000{n}-x.md": f"# RFC 000{n}: X{n}\n\n- **Status:** Accepted\n- **Created:** 2022-01-0{n}\n"
                    for n in (4, 5, 6)},
                 # and a Kubernetes enhancement proposal (kueue's keps/), with its kep.yaml
                 "keps/1224-lending-limit/README.md": "# KEP-1224: Lending limit\n\n## Summary\n\nReserve.\n",
                 "keps/1224-lending-limit/kep.yaml": "title: Lending limit\nstatus: implementable\ncreation-date: 2023-11-13\n"},
                date="2021-03-04T10:00:00+00:00")
    ingest_into_store(open_store(str(base / "store")), repo.root)
    with LiveServer(base / "store") as live:
        yield live


def test_records_without_a_date_are_dated_by_the_commit_that_added_them(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.url + "/#/decisions")
        items = page.locator("ol.timeline > li")
        items.first.wait_for()
        whens = [items.nth(i).locator(".when").inner_text() for i in range(items.count())]
        # oldest first: the stated date, then the app's record, then the one added last
        assert whens == ["2018-01-02 · ADR 2", "added 2019-05-06 · ADR 1", "added 2021-03-04 · ADR 1",
                         "2022-01-04 · RFC 4", "2022-01-05 · RFC 5", "2022-01-06 · RFC 6", "2023-11-13 · KEP 1224"]
        assert "POST updates" in items.nth(1).inner_text() and "api" in items.nth(1).inner_text()
        assert "Reserve." in items.nth(6).inner_text()  # a record's summary, on its card (the list carried none)
        assert "the commit that first added it" in (items.nth(1).locator(".when").get_attribute("title") or "")
        browser.close()
        assert not errors, f"errors in the page: {errors}"
