"""How ``cairn serve`` authenticates to GitHub to post: a token, or a GitHub App.

* ``CAIRN_GITHUB_TOKEN``: a token (fine-grained: Pull requests and Checks,
  read and write) used as it is;
* ``CAIRN_GITHUB_APP_ID`` with ``CAIRN_GITHUB_APP_PRIVATE_KEY`` (the PEM) or
  ``CAIRN_GITHUB_APP_PRIVATE_KEY_FILE``: Cairn signs a JSON Web Token with the
  app's private key (RS256; ``iat`` 60 s in the past against clock drift,
  ``exp`` 9 minutes later, under GitHub's 10-minute limit; ``iss`` the app id,
  as GitHub's documentation says), finds the installation (the event's
  ``installation.id``, else ``GET /repos/{owner}/{repo}/installation``) and
  exchanges the JWT for an installation token
  (``POST /app/installations/{id}/access_tokens``), kept until 5 minutes
  before it expires.

``CAIRN_GITHUB_API_URL`` points at GitHub Enterprise Server (default
``https://api.github.com``). Neither the key, the JWT nor a token ever appears
in a message.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from cairn.graph.errors import ForgeError
from cairn.ingest.forge.http import DEFAULT_URLS, GITHUB, ForgeClient
from cairn.ingest.forge.records import parse_time

JWT_BACKDATE = 60
JWT_LIFETIME = 540
TOKEN_MARGIN = 300


def app_jwt(app_id: str, private_key: str, now: float | None = None) -> str:
    """The JSON Web Token a GitHub App authenticates as itself with."""
    import jwt

    moment = int(now if now is not None else time.time())
    payload = {"iat": moment - JWT_BACKDATE, "exp": moment + JWT_LIFETIME, "iss": str(app_id)}
    try:
        return jwt.encode(payload, private_key, algorithm="RS256")
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        raise ForgeError(f"the GitHub App private key cannot sign a token ({type(exc).__name__}): give the app's PEM key") from None


@dataclass
class GitHubCredentials:
    api_url: str
    token: str | None = None
    app_id: str | None = None
    private_key: str | None = None
    _installation_tokens: dict[int, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __repr__(self) -> str:  # never a secret
        return f"GitHubCredentials({'app ' + str(self.app_id) if self.app_id else 'token'} at {self.api_url})"

    @property
    def kind(self) -> str:
        return f"GitHub App {self.app_id}" if self.app_id else "a GitHub token"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "GitHubCredentials | None":
        """The credentials the environment gives, None without any; ``ForgeError`` when they are half there."""
        api_url = (env.get("CAIRN_GITHUB_API_URL") or DEFAULT_URLS[GITHUB]).strip()
        token = (env.get("CAIRN_GITHUB_TOKEN") or "").strip()
        if token:
            return cls(api_url, token=token)
        app_id = (env.get("CAIRN_GITHUB_APP_ID") or "").strip()
        key = env.get("CAIRN_GITHUB_APP_PRIVATE_KEY") or ""
        key_file = (env.get("CAIRN_GITHUB_APP_PRIVATE_KEY_FILE") or "").strip()
        if key_file and not key:
            try:
                key = Path(key_file).read_text(encoding="utf-8")
            except OSError as exc:
                raise ForgeError(f"CAIRN_GITHUB_APP_PRIVATE_KEY_FILE {key_file}: cannot read ({exc.strerror})") from None
        if not app_id and not key.strip():
            return None
        if not app_id or not key.strip():
            raise ForgeError("a GitHub App needs both CAIRN_GITHUB_APP_ID and CAIRN_GITHUB_APP_PRIVATE_KEY (or _FILE)")
        credentials = cls(api_url, app_id=app_id, private_key=key)
        app_jwt(app_id, key)  # a key that cannot sign is an error now, not at the first pull request
        return credentials

    def client(self, slug: str, installation_id: int | None = None) -> ForgeClient:
        """A client that may post on ``slug``: with the token, or with the app's installation token."""
        if self.token:
            return ForgeClient(GITHUB, self.api_url, self.token)
        client = ForgeClient(GITHUB, self.api_url, None)
        client.set_token(self._installation_token(slug, installation_id))
        return client

    def _installation_token(self, slug: str, installation_id: int | None) -> str:
        assert self.app_id and self.private_key
        with self._lock:
            for iid, (token, expires) in self._installation_tokens.items():
                if iid == installation_id and expires - TOKEN_MARGIN > time.time():
                    return token
        with ForgeClient(GITHUB, self.api_url, None) as app:
            app.set_token(app_jwt(self.app_id, self.private_key))
            if installation_id is None:
                found = app.get(f"/repos/{slug}/installation") or {}
                if not isinstance(found.get("id"), int):
                    raise ForgeError(f"GitHub did not name the installation of the app on {slug}")
                installation_id = int(found["id"])
            answer = app.json("POST", f"/app/installations/{installation_id}/access_tokens") or {}
        token = answer.get("token")
        if not isinstance(token, str) or not token:
            raise ForgeError(f"GitHub gave no installation token for installation {installation_id}")
        try:
            expires = parse_time(answer.get("expires_at")).timestamp()
        except ValueError:
            expires = time.time() + 3000
        with self._lock:
            self._installation_tokens[installation_id] = (token, expires)
        return token
