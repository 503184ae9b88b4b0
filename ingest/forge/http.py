"""One HTTP client for GitHub's and GitLab's REST APIs (httpx).

* **Token only in a header**: GitHub gets ``Authorization: Bearer <token>``,
  GitLab ``PRIVATE-TOKEN: <token>``. The token is never put in a URL, never in
  an error message (every message is scrubbed of it), and redirects are not
  followed, so it cannot leak to another host. Pagination links are followed
  only on the API's own scheme, host and port.
* **Timeouts**: 10 s to connect, 30 s to read.
* **Retries with backoff** (1 s, 2 s, 4 s … by default ``CAIRN_FORGE_RETRIES`` = 3):
  network errors and 5xx answers are retried for GET, PATCH, PUT and DELETE.
  A POST is retried only when the forge certainly did nothing (the connection
  was never made, or it was refused by a rate limit), so a retry never creates a
  second comment.
* **Rate limits**: a 429, or a 403 that GitHub marks as a (secondary) rate
  limit, is waited out as the forge asks — ``Retry-After`` (seconds or an HTTP
  date), else ``x-ratelimit-reset`` / ``ratelimit-reset`` (epoch seconds),
  else one minute as GitHub's documentation says — when that wait is at most
  ``max_wait`` seconds (``CAIRN_FORGE_MAX_WAIT``); longer waits are an error
  that says until when.
* **Errors** are ``ForgeError``: one line for a person, naming the forge, the
  status, the request and what to do (a wrong token, a missing permission, an
  unknown repository, a refused request, a rate limit, an unreachable host).
* **Pagination**: ``paginate`` asks for 100 items a page and follows the
  ``Link: <…>; rel="next"`` header (GitLab's ``x-next-page`` as a fallback).
"""

from __future__ import annotations

import email.utils
import os
import random
import time
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import httpx

from cairn.graph.errors import ForgeError

GITHUB, GITLAB = "github", "gitlab"
FORGE_NAMES = {GITHUB: "GitHub", GITLAB: "GitLab"}
DEFAULT_URLS = {GITHUB: "https://api.github.com", GITLAB: "https://gitlab.com/api/v4"}
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
PER_PAGE = 100
MAX_PAGES = 10_000
SECONDARY_RATE_LIMIT_WAIT = 60.0
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})

try:
    USER_AGENT = f"cairn/{version('cairn')}"
except PackageNotFoundError:  # running from a checkout that is not installed
    USER_AGENT = "cairn"


def env_int(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, "")))
    except ValueError:
        return default


class ForgeClient:
    """A session with one forge's REST API at ``base_url`` (e.g. ``https://api.github.com``, ``…/api/v4``)."""

    def __init__(
        self, forge: str, base_url: str, token: str | None, *, retries: int | None = None, max_wait: float | None = None,
        sleep: Callable[[float], None] = time.sleep, auth_scheme: str = "Bearer",
    ):
        if forge not in FORGE_NAMES:
            raise ValueError(f"unknown forge {forge!r}")
        self.forge = forge
        self.name = FORGE_NAMES[forge]
        base = (base_url or DEFAULT_URLS[forge]).strip().rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ForgeError(f"{self.name} API URL {base!r} is not an http(s) URL")
        self.base_url = base
        self._origin = (parts.scheme, parts.netloc.lower())
        self._secrets = [token] if token else []
        self.retries = env_int("CAIRN_FORGE_RETRIES", 3) if retries is None else retries
        self.max_wait = float(env_int("CAIRN_FORGE_MAX_WAIT", 60)) if max_wait is None else max_wait
        self._sleep = sleep
        headers = {"User-Agent": USER_AGENT}
        if forge == GITHUB:
            headers |= {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
            if token:
                headers["Authorization"] = f"{auth_scheme} {token}"
        elif token:
            headers["PRIVATE-TOKEN"] = token
        self._http = httpx.Client(base_url=base + "/", headers=headers, timeout=TIMEOUT, follow_redirects=False)

    def __repr__(self) -> str:  # never the token
        return f"ForgeClient({self.forge!r}, {self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "ForgeClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None) -> httpx.Response:
        """One request, retried as the module docstring says; a 2xx response or a ``ForgeError``."""
        method = method.upper()
        url = self._url(path)
        shown = f"{method} {urlsplit(url).path or '/'}"
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, params=params, json=json)
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                if attempt < self.retries and (method in IDEMPOTENT or never_sent):
                    self._sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                reason = self.scrub(str(exc)) or type(exc).__name__
                raise ForgeError(f"cannot reach {self.name} at {self.base_url} ({shown}): {reason}") from None
            status = response.status_code
            if status < 300:
                return response
            wait = self._rate_limit_wait(response)
            if wait is not None:
                if attempt < self.retries and wait <= self.max_wait:
                    self._sleep(wait)
                    attempt += 1
                    continue
                raise ForgeError(self._rate_limit_message(shown, response, wait), status=status)
            if status >= 500 and method in IDEMPOTENT and attempt < self.retries:
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            raise ForgeError(self._error_message(shown, response, attempt + 1), status=status)

    def json(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None) -> Any:
        response = self.request(method, path, params=params, json=json)
        if response.status_code == 204 or not response.content:
            return None
        return self._decode(response, f"{method.upper()} {urlsplit(str(response.request.url)).path}")

    def get(self, path: str, **params: Any) -> Any:
        return self.json("GET", path, params=params or None)

    def paginate(self, path: str, params: dict[str, Any] | None = None, *, key: str | None = None) -> Iterator[Any]:
        """Every item of a list endpoint, page by page (``key`` picks the list out of an object answer)."""
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": PER_PAGE, **(params or {})}
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            if url is None:
                return
            response = self.request("GET", url, params=query)
            data = self._decode(response, f"GET {urlsplit(str(response.request.url)).path}")
            items = data.get(key) if key and isinstance(data, dict) else data
            if not isinstance(items, list):
                raise ForgeError(f"{self.name} answered GET {urlsplit(str(response.request.url)).path} with something that is not a list")
            yield from items
            seen.add(str(response.request.url))
            nxt = response.links.get("next", {}).get("url")
            if nxt:
                url, query = nxt, None
                if self._url(nxt) in seen:
                    return
            elif response.headers.get("x-next-page", "").strip().isdigit() and query is not None:
                query = {**query, "page": int(response.headers["x-next-page"])}
            else:
                url = None
        raise ForgeError(f"{self.name}: more than {MAX_PAGES} pages at {path}; narrow the request (--since)")

    # -- helpers ------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """``text`` without the token (for anything that may end up in a message)."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def add_secret(self, secret: str) -> None:
        """Another credential (e.g. an installation token) never to appear in a message."""
        if secret:
            self._secrets.append(secret)

    def set_token(self, token: str, scheme: str = "Bearer") -> None:
        self.add_secret(token)
        if self.forge == GITHUB:
            self._http.headers["Authorization"] = f"{scheme} {token}"
        else:
            self._http.headers["PRIVATE-TOKEN"] = token

    def _url(self, path: str) -> str:
        if "://" not in path:
            return self.base_url + "/" + path.lstrip("/")
        parts = urlsplit(path)
        if (parts.scheme, parts.netloc.lower()) != self._origin:
            raise ForgeError(f"{self.name} sent a link to another host ({parts.scheme}://{parts.netloc}); Cairn does not follow it with the token")
        return path

    def _decode(self, response: httpx.Response, shown: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ForgeError(f"{self.name} answered {shown} with something that is not JSON (status {response.status_code})") from None

    @staticmethod
    def _backoff(attempt: int) -> float:
        return min(30.0, 2.0 ** attempt) * (1 + random.random() * 0.1)

    def _message_of(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        parts = []
        for name in ("message", "error", "error_description"):
            value = body.get(name)
            if isinstance(value, str) and value.strip():
                parts.append(value.strip())
            elif isinstance(value, (dict, list)) and value:
                parts.append(str(value))
        for err in body.get("errors") or []:
            if isinstance(err, dict):
                text = err.get("message") or " ".join(f"{k}={v}" for k, v in err.items() if k in ("resource", "field", "code"))
                if text:
                    parts.append(str(text))
            elif isinstance(err, str):
                parts.append(err)
        text = self.scrub("; ".join(dict.fromkeys(parts)))
        text = " ".join(text.split())
        return text[:300] + ("…" if len(text) > 300 else "")

    def _rate_limit_wait(self, response: httpx.Response) -> float | None:
        status, headers = response.status_code, response.headers
        if status not in (403, 429):
            return None
        message = self._message_of(response).lower()
        limited = status == 429 or "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0" or "rate limit" in message
        if not limited:
            return None
        retry_after = headers.get("retry-after")
        if retry_after:
            retry_after = retry_after.strip()
            if retry_after.isdigit():
                return float(retry_after)
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(1.0, when.timestamp() - time.time())
        for name in ("x-ratelimit-reset", "ratelimit-reset"):
            reset = headers.get(name, "").strip()
            if reset.isdigit():
                return max(1.0, float(reset) - time.time())
        return SECONDARY_RATE_LIMIT_WAIT if status == 403 else 2.0

    def _rate_limit_message(self, shown: str, response: httpx.Response, wait: float) -> str:
        until = time.strftime("%H:%M:%S UTC", time.gmtime(time.time() + wait))
        asked = response.headers.get("retry-after")
        how = f"Retry-After: {asked}" if asked else f"reset in {round(wait)} s"
        return (f"{self.name} rate limit on {shown} ({response.status_code}, {how}): try again after {until}"
                + (f" (waits longer than {round(self.max_wait)} s are not waited out; CAIRN_FORGE_MAX_WAIT)" if wait > self.max_wait else ""))

    def _error_message(self, shown: str, response: httpx.Response, attempts: int) -> str:
        status = response.status_code
        said = self._message_of(response)
        said = f" ({said})" if said else ""
        token_env = "GITHUB_TOKEN" if self.forge == GITHUB else "GITLAB_TOKEN / CAIRN_GITLAB_TOKEN"
        if status == 401:
            hint = f"the token is missing, wrong or expired: check {token_env}"
        elif status == 403:
            hint = ("the token lacks a permission: posting needs `pull-requests: write` and `checks: write`, reading reviews `pull-requests: read`"
                    if self.forge == GITHUB else "the token lacks a permission: it needs the `api` scope (reading reviews: `read_api`)")
        elif status == 404:
            hint = "no such repository, pull request or project, or the token cannot see it"
        elif status == 422:
            hint = "the request was refused as invalid"
        elif 300 <= status < 400:
            hint = f"moved to {response.headers.get('location', 'another address')}; use the new address"
        elif status >= 500:
            hint = "the forge failed" + (f" {attempts} times" if attempts > 1 else "") + "; try again later"
        else:
            hint = "the request was refused"
        return f"{self.name} answered {status} {response.reason_phrase} to {shown}: {hint}{said}"
