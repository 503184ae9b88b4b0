"""The web page in a real headless Chromium (Playwright) against a real server and an ingested repository.

Needs Chromium at /usr/bin/chromium (Debian package ``chromium``; see ``fixtures.browser``).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from fixtures.browser import BROWSER_MARKS, CHROMIUM, LAUNCH_ARGS
from fixtures.explore import ADA, CLAUDE, LiveServer, build_shop

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    repo = build_shop(base / "shop")
    store_dir = base / "store"
    ingest_into_store(open_store(str(store_dir)), base / "shop")
    repo.git("checkout", "-q", "-b", "agent-change")
    repo.commit({"src/shop/core/prices.py": "from shop.api.routes import get\n\n\ndef price(order) -> int:\n    return 1\n"},
                message="price via the api", author=CLAUDE, committer=ADA)
    repo.git("checkout", "-q", "main")
    with LiveServer(store_dir) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@contextmanager
def _served_card(browser, root, store_dir, component: str, width: int = 1400):
    """The repository at ``root`` ingested into ``store_dir``, served, and a page showing ``component``'s card:
    (the page, the server)."""
    ingest_into_store(open_store(str(store_dir)), root)
    with LiveServer(store_dir) as live:
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(live.url + f"/#/components/{component}")
            page.locator(f"article.component-card[data-component={component}]").wait_for()
            yield page, live
        finally:
            context.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A 4xx answer to a deliberately bad request is logged by Chromium too; the page shows it as a message.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "status of 4" not in msg.text else None)
    page.base = server.url
    yield page
    context.close()
    assert not errors, f"errors in the page: {errors}"


def test_map_renders_components_and_a_click_opens_the_card(page):
    page.goto(page.base + "/#/map")
    page.wait_for_function("window.cairn.mapLaidOut === true")
    assert page.evaluate("window.cairn.cy.nodes().map(n => n.id()).sort()") == ["api", "billing", "core", "reports"]
    assert page.evaluate("window.cairn.cy.edges().length") == 4
    assert page.evaluate("window.cairn.cy.getElementById('core').data('risk')") == "risk"
    # Click the node where it is drawn on the canvas.
    box = page.locator("#cy").bounding_box()
    x, y = page.evaluate("(() => { const p = window.cairn.cy.getElementById('billing').renderedPosition(); return [p.x, p.y]; })()")
    page.mouse.click(box["x"] + x, box["y"] + y)
    card = page.locator("#side article.component-card")
    card.wait_for()
    assert card.locator("h2").inner_text() == "billing"
    assert "Invoices live in billing" in card.inner_text()
    assert card.locator("[data-testid=card-truck-factor]").inner_text() == "1"
    assert page.url.endswith("#/map/billing")
    # A dependency in the card leads to that component's own card.
    card.get_by_role("link", name="core").first.click()
    page.locator("article.component-card[data-component=core]").wait_for()
    assert "The domain model" in page.locator("article.component-card").inner_text()


def test_the_components_route_without_a_name_is_the_map(page):
    page.goto(page.base + "/#/components")
    page.wait_for_function("window.cairn.mapLaidOut === true")
    assert page.evaluate("window.cairn.cy.nodes().length") == 4
    assert "no component named" not in page.locator("main").inner_text()


def test_what_if_someone_leaves_changes_the_truck_factor(page):
    page.goto(page.base + "/#/bus-factor")
    tf = page.locator("[data-testid=repo-truck-factor]")
    tf.wait_for()
    before = int(tf.inner_text())
    assert page.locator("tr[data-component=core] [data-testid=ask-first]").count() == 0  # Ada, its author, is here
    page.fill("#leaving-input", "Ada Lovelace")
    page.click("#whatif-add")
    page.locator("[data-testid=tf-delta]").wait_for()
    after = int(tf.inner_text())
    assert after < before
    assert page.locator("[data-testid=tf-delta]").inner_text() == f"{before} → {after} without them"
    assert "Ada Lovelace" in page.locator(".leaving-chips").inner_text()
    # Without Ada nobody knows the core any more.
    assert "nobody left who knows it" in page.locator("tr[data-component=core]").inner_text()
    # nor did anybody else change its files: nobody to ask (the bus factor's ask_first, empty)
    assert page.locator("tr[data-component=core] [data-testid=ask-first]").inner_text() == (
        "Authors left; ask now: nobody still here changed its source files")
    # every component of the shop is at risk already (truck factor 1): none is newly at risk
    assert page.locator("[data-testid=newly-at-risk]").count() == 0 and page.get_by_text("newly at risk").count() == 0
    # An unknown name is an error message, and the previous result stays.
    page.fill("#leaving-input", "Nobody Known")
    page.click("#whatif-add")
    page.locator("[role=alert]").wait_for()
    assert "Nobody Known" in page.locator("[role=alert]").inner_text()
    assert int(tf.inner_text()) == after


def test_what_if_marks_the_components_at_risk_only_because_they_leave(browser, tmp_path):
    from fixtures.ownership import build_team_repo

    build_team_repo(tmp_path / "team")
    ingest_into_store(open_store(str(tmp_path / "store")), tmp_path / "team")
    with LiveServer(tmp_path / "store") as live:
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(live.url + "/#/bus-factor")
        page.locator("[data-testid=repo-truck-factor]").wait_for()
        assert page.get_by_text("newly at risk").count() == 0  # core and web: truck factor 2, healthy
        page.fill("#leaving-input", "Alice")
        page.click("#whatif-add")
        page.locator("[data-testid=newly-at-risk]").wait_for()
        # test_bus_factor.test_what_leaving_changes: without Alice both components are at risk, and only because of it
        assert page.locator("[data-testid=newly-at-risk]").inner_text() == "2 components newly at risk"
        rows = page.locator("tbody tr[data-component]")
        assert [rows.nth(i).get_attribute("data-component") for i in range(rows.count())][:2] == ["core", "web"]
        for name in ("core", "web"):
            assert "newly at risk" in page.locator(f"tr[data-component='{name}']").inner_text()
        # web has 2 of its 3 files without an author then: whom to ask now, the reason on hover (ask_first);
        # core (2 of 4) names nobody
        chips = page.locator("tr[data-component='web'] [data-testid=ask-first] .chip")
        assert [chips.nth(i).inner_text() for i in range(chips.count())] == ["Carol", "@zed"]
        assert chips.nth(0).get_attribute("title") == "author of 1 of the files, changed 1 in 2 commits, last 2024-06-11"
        assert page.locator("tr[data-component='core'] [data-testid=ask-first]").count() == 0
        page.context.close()


def test_decisions_timeline(page):
    page.goto(page.base + "/#/decisions")
    items = page.locator("ol.timeline > li")
    items.first.wait_for()
    assert items.count() == 3
    assert "retired" in (items.nth(1).get_attribute("class") or "")
    assert "superseded" in items.nth(1).inner_text()
    assert "Invoices live in billing" in items.nth(2).inner_text()
    # a successor is named by its number and title, a link to its card (the path alone said little)
    successor = items.nth(1).locator("p.muted a")
    assert successor.inner_text() == "ADR 3: Invoices live in billing"
    successor.click()
    page.wait_for_function("location.hash === '#/decisions/' + encodeURIComponent('docs/adr/0003-invoices-in-billing.md')")
    assert "ADR 2: " in page.locator("ol.timeline > li").nth(2).locator("p.muted a").inner_text()  # and back


def test_start_here_lists_what_a_newcomer_reads_first(page):
    # the reading list of the CLI and MCP, on the page: decisions in force, central modules, people, each a link
    page.goto(page.base + "/#/start")
    lists = page.locator("section.start ol.reading")
    lists.first.wait_for()
    assert lists.count() == 3
    decisions = lists.nth(0).locator("li")
    assert [decisions.nth(i).locator("a").inner_text() for i in range(decisions.count())] == [
        "ADR 3: Invoices live in billing", "ADR 1: Keep the core free of framework code"]  # the superseded one is not
    assert "shop.core.models" in lists.nth(1).inner_text() or "shop/core/models.py" in lists.nth(1).inner_text()
    assert lists.nth(2).locator("li").count() >= 1
    assert page.locator('.tabs a[data-view="start"]').get_attribute("aria-current") == "page"
    lists.nth(1).locator("a").first.click()  # a module's component: its card
    page.wait_for_function("location.hash.startsWith('#/components/')")


def test_pr_check_view_shows_the_blocking_finding(page):
    page.goto(page.base + "/#/pr-check")
    page.fill("input[name=head]", "agent-change")
    page.click("#pr-form button[type=submit]")
    verdict = page.locator("[data-testid=verdict]")
    verdict.wait_for()
    assert "block" in verdict.inner_text()
    assert page.locator("tr[data-rule=layers]").count() == 1
    assert "Agent-authored change" in page.locator("#pr-result").inner_text()
    # A bad ref is a readable error, not a broken page.
    page.fill("input[name=head]", "no-such-branch")
    page.click("#pr-form button[type=submit]")
    page.locator("#pr-result [role=alert]").wait_for()
    assert "no-such-branch" in page.locator("#pr-result").inner_text()


def test_search_from_the_header(page):
    page.goto(page.base + "/")
    page.fill("#search-input", "invoice")
    page.press("#search-input", "Enter")
    page.locator("ul.results li").first.wait_for()
    text = page.locator("ul.results").inner_text()
    assert "shop.billing.invoices" in text and "Invoices live in billing" in text


def test_leaving_the_map_while_it_is_laid_out_raises_nothing(page):
    """ELK answers after the page has moved on (slow here on purpose): the map it was for is gone, and nothing in
    the page may touch it (the ``page`` fixture fails on any page error)."""
    page.add_init_script("""
        window.addEventListener("DOMContentLoaded", () => {
          const Base = window.ELK;
          window.ELK = function (...args) {
            const elk = new Base(...args), layout = elk.layout.bind(elk);
            elk.layout = (...a) => {
              window.layoutsDelayed = (window.layoutsDelayed || 0) + 1;
              return layout(...a).then((r) => new Promise((done) => setTimeout(() => done(r), 400)));
            };
            return elk;
          };
        });
    """)
    page.goto(page.base + "/")
    page.wait_for_function("window.layoutsDelayed === 1")  # ELK is laying the map out
    page.fill("#search-input", "invoice")
    page.press("#search-input", "Enter")
    page.locator("ul.results li").first.wait_for()
    page.wait_for_timeout(800)  # the delayed layout answers meanwhile
    assert page.evaluate("window.layoutsDelayed") == 1


def test_a_server_with_a_token_asks_for_it_once_per_tab(browser, server, tmp_path):
    store_dir = server.app.state.cairn.workspace.store.location
    with LiveServer(store_dir, token="page-token") as guarded:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(guarded.url + "/#/decisions")
        page.locator("#token-form").wait_for()
        page.fill("#token-input", "wrong")
        page.click("#token-form button[type=submit]")
        page.locator("#token-form [role=alert]").wait_for()
        assert "does not match" in page.locator("#token-form").inner_text()
        page.fill("#token-input", "page-token")
        page.click("#token-form button[type=submit]")
        page.locator("ol.timeline > li").first.wait_for()
        assert page.locator("ol.timeline > li").count() == 3
        # Kept for the tab: a reload needs no second prompt; the token never appears in the URL.
        page.goto(guarded.url + "/?again=1#/bus-factor")
        page.locator("[data-testid=repo-truck-factor]").wait_for()
        assert page.locator("#token-form").count() == 0
        assert "page-token" not in page.url
        context.close()
        assert not errors, errors


def test_a_card_says_how_many_files_have_no_author_left(browser, tmp_path):
    """With Ada gone, the core's card names the files she alone wrote (why it is at risk); a component whose authors
    are all here says nothing of the kind."""
    root = tmp_path / "shop"
    build_shop(root)
    with (root / "cairn.toml").open("a") as config:
        config.write('\n[identities]\ndeparted = ["Ada Lovelace"]\n')
    with _served_card(browser, root, tmp_path / "store", "core") as (page, live):
        note = page.locator("article.component-card [data-testid=card-orphaned]")
        note.wait_for()
        assert note.inner_text() == "3 files with no author left"
        page.screenshot(path=str(tmp_path / "card.png"))
        page.goto(live.url + "/#/components/api")
        page.locator("article.component-card[data-component=api]").wait_for()
        assert page.locator("[data-testid=card-orphaned]").count() == 0


def test_a_card_shows_a_long_holder_name_whole_and_whether_they_left(browser, tmp_path):
    """tauri's card cut "Lucas Fernandes Nogue…" and "Tensor-Programming · i…" (inactive since when?) beside their
    bars."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    long_name = ("Maximiliano Fernandes Nogueira de Albuquerque", "max@example.com")
    repo.commit({"alpha/__init__.py": "", "alpha/one.py": "X = 1\n"}, message="one", author=long_name)
    repo.commit({"alpha/two.py": "Y = 2\n", "cairn.toml": '[components]\nalpha = ["alpha/**"]\n'
                 '[identities]\ndeparted = ["Tensor-Programming-Collective"]\n'},
                message="two", author=("Tensor-Programming-Collective", "tp@example.com"))
    with _served_card(browser, repo.root, tmp_path / "store", "alpha", width=1280) as (page, _):
        names = page.locator("article.component-card .holder .name")
        assert names.count() == 2
        for i in range(2):  # nothing cut: all of each name is drawn
            assert names.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth")
        assert long_name[0] in names.nth(0).inner_text()
        gone = page.locator("article.component-card .holder.gone .name")
        assert gone.locator(".gone-mark").inner_text() == "left"
        assert "Tensor-Programming-Collective" in gone.inner_text()
        page.screenshot(path=str(tmp_path / "card.png"))


def test_a_card_of_documentation_says_it_has_no_truck_factor(browser, tmp_path):
    """A component none of whose files the truck factor counts shows "–" and why, not a truck factor of 0."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"alpha/__init__.py": "", "alpha/one.py": "X = 1\n", "docs/guide.md": "# Guide\n",
                 "docs/examples/demo.py": "import alpha.one\n"}, message="code and its documentation")
    with _served_card(browser, repo.root, tmp_path / "store", "docs") as (page, live):
        card = page.locator("article.component-card")
        assert card.locator("[data-testid=card-truck-factor]").inner_text() == "–"
        assert "none of its files is one the truck factor counts" in card.locator("[data-testid=card-not-counted]").inner_text().lower()
        assert card.locator(".card-title .pill").first.inner_text() == "not counted"
        assert "modules · 1 file" in card.inner_text() and "1 files" not in card.inner_text()
        page.screenshot(path=str(tmp_path / "card.png"))
        page.goto(live.url + "/#/components/alpha")
        page.locator("article.component-card[data-component=alpha]").wait_for()
        assert page.locator("[data-testid=card-truck-factor]").inner_text() == "1"
        assert page.locator("[data-testid=card-not-counted]").count() == 0
        page.goto(live.url + "/#/map")
        page.wait_for_function("window.cairn.mapLaidOut === true")
        # on the map too: neither healthy nor at risk
        assert page.evaluate("window.cairn.cy.getElementById('docs').data('risk')") == "unknown"
        assert page.evaluate("window.cairn.cy.getElementById('alpha').data('risk')") == "risk"
