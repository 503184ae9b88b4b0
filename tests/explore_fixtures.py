"""A small real repository for the exploration, API, web and MCP tests, and its ingest into a store.

``shop`` has four declared components (core, billing, api, reports), a
layering rule, three decision records (one superseded), a CODEOWNERS file,
a README inside one component, and history by several people: Ada owns the
core alone (truck factor 1), Grace and Ada share billing, Alan writes the
api, and a coding agent commits with a human co-author.

Imports: api -> billing -> core, api -> core, reports -> core.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
GRACE = ("Grace Hopper", "grace@example.com")
ALAN = ("Alan Turing", "alan@example.com")
CLAUDE = ("Claude", "noreply@anthropic.com")

CAIRN_TOML = """\
[components.core]
paths = ["src/shop/core/**"]
description = "The domain model: orders, customers and prices."

[components]
billing = ["src/shop/billing/**"]
api = ["src/shop/api/**"]
reports = ["src/shop/reports/**"]

[[rules]]
id = "layers"
kind = "layers"
severity = "block"
layers = ["api", "billing", "core"]
"""

ADR_1 = """\
---
status: accepted
date: 2024-03-01
deciders: Ada Lovelace
components: [core]
---
# Keep the core free of framework code

## Context and Problem Statement

The core holds the orders, customers and prices every other part uses; it must stay importable without the web stack.

## Decision Outcome

The core imports nothing from billing or api.
"""

ADR_2 = """\
---
status: superseded by 0003-invoices-in-billing.md
date: 2024-04-01
components: [billing]
---
# Invoices live in the api

## Decision Outcome

Invoices are rendered by the api.
"""

ADR_3 = """\
---
status: accepted
date: 2024-05-01
deciders: Grace Hopper
components: [billing]
---
# Invoices live in billing

## Decision Outcome

Billing owns invoices; the api only calls it. Supersedes 0002.
"""

REPORTS_README = """\
# Reports

[![build](https://example.com/badge.svg)](https://example.com)

Monthly **sales reports** for the finance team, built from the core's orders.

More text.
"""


def _when(days_ago: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).replace(microsecond=0).isoformat()


def build_shop(root: Path, *, codeowners: bool = True) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({
        "cairn.toml": CAIRN_TOML,
        "src/shop/__init__.py": "",
        "src/shop/core/__init__.py": '"""The shop\'s domain model."""\n',
        "src/shop/core/models.py": "class Order:\n    pass\n\n\nclass Customer:\n    pass\n",
        "src/shop/core/prices.py": "from shop.core.models import Order\n\n\ndef price(order: Order) -> int:\n    return 1\n",
        "docs/adr/0001-core-free-of-framework.md": ADR_1,
    }, message="core model", author=ADA, date=_when(60))
    repo.commit({"src/shop/core/models.py": "class Order:\n    total = 0\n\n\nclass Customer:\n    pass\n"},
                message="order totals", author=ADA, date=_when(40))
    repo.commit({
        "src/shop/billing/__init__.py": "",
        "src/shop/billing/invoice.py": "from shop.core import models\nfrom shop.core.prices import price\n\n\ndef invoice(order):\n    return price(order)\n",
        "docs/adr/0002-invoices-in-api.md": ADR_2,
    }, message="billing", author=GRACE, date=_when(35))
    repo.rename("src/shop/billing/invoice.py", "src/shop/billing/invoices.py", message="rename invoices", author=GRACE, date=_when(30))
    repo.commit({"src/shop/billing/tax.py": "from shop.core.models import Order\n\nRATE = 0.2\n",
                 "docs/adr/0003-invoices-in-billing.md": ADR_3},
                message="tax", author=GRACE, date=_when(25))
    repo.commit({
        "src/shop/api/__init__.py": "",
        "src/shop/api/routes.py": "import requests\nimport shop.billing.invoices\nfrom shop.core.models import Order\n\n\ndef get(order_id):\n    return Order()\n",
    }, message="api routes", author=ALAN, date=_when(20))
    repo.commit({
        "src/shop/reports/README.md": REPORTS_README,
        "src/shop/reports/__init__.py": "",
        "src/shop/reports/monthly.py": "from shop.core import models\n\n\ndef monthly():\n    return []\n",
    }, message="monthly reports", author=ALAN, date=_when(15))
    repo.commit({"src/shop/api/routes.py": "import requests\nimport shop.billing.invoices\nfrom shop.core.models import Order\n\n\ndef get(order_id):\n    return Order()\n\n\ndef list_orders():\n    return []\n"},
                message="list orders", author=CLAUDE, committer=ALAN, date=_when(10),
                trailers=["Co-authored-by: Alan Turing <alan@example.com>"])
    repo.commit({"src/shop/billing/tax.py": "from shop.core.models import Order\n\nRATE = 0.21\n"}, message="tax rate", author=ADA, date=_when(5))
    if codeowners:
        repo.commit({".github/CODEOWNERS": "/src/shop/billing/ @grace\n/src/shop/core/ @ada\n"}, message="owners", author=ADA, date=_when(3))
    return repo


def ingest_shop(tmp_path: Path, *, codeowners: bool = True) -> tuple[Path, Path]:
    """Build the shop repository and ingest it into a fresh embedded store; returns (store dir, checkout)."""
    from cairn.api.services import ingest_into_store
    from cairn.graph.store import open_store

    root = tmp_path / "shop"
    build_shop(root, codeowners=codeowners)
    store_dir = tmp_path / "store"
    store = open_store(str(store_dir))
    ingest_into_store(store, root)
    return store_dir, root


class LiveServer:
    """The Cairn app served by a real uvicorn on 127.0.0.1 (a free port), in a thread of the test process."""

    def __init__(self, store_dir: Path, *, token: str | None = None, webhook_secret: str | None = None, **options):
        """``options`` go to ``create_app`` (public_read, allowed_hosts, max_body, cypher_limits)."""
        import socket
        import threading

        import uvicorn

        from cairn.api.app import create_app

        self.app = create_app(str(store_dir), token=token, webhook_secret=webhook_secret, **options)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        import time

        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
