"""A local stand-in for GitHub's and GitLab's REST APIs, served on 127.0.0.1 at a free port.

It implements the documented paths and payloads Cairn uses, with the
validation the real APIs apply where Cairn could get it wrong (at most 50
check-run annotations a request, required fields, a completed check run
needs a conclusion, a 40-character head SHA), their pagination (``per_page``
and ``page``, a ``Link`` header with ``rel="next"``; ``page_size`` caps a page
so tests can force several) and their authentication (GitHub ``Authorization:
Bearer|token``, GitLab ``PRIVATE-TOKEN``, GitHub App JWTs verified with the
app's public key). ``fail(...)`` makes the next matching requests answer an
error status with the given headers, as GitHub and GitLab do (401, 403, 404,
422, 429 with ``Retry-After``, 500). Every request is recorded.

GitHub: ``/repos/{o}/{r}/issues/{n}/comments`` (GET, POST),
``/repos/{o}/{r}/issues/comments/{id}`` (PATCH), ``/repos/{o}/{r}/check-runs``
(POST), ``/repos/{o}/{r}/check-runs/{id}`` (PATCH), ``/repos/{o}/{r}/pulls``,
``/pulls/{n}/reviews``, ``/pulls/{n}/files``, ``/users/{login}``,
``/repos/{o}/{r}/installation``, ``/app/installations/{id}/access_tokens``.
GitLab under ``/api/v4``: ``/projects/:id/merge_requests`` and, per merge
request, ``/notes`` (GET, POST, PUT), ``/approvals``, ``/diffs``, ``/changes``.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

GITLAB_PREFIX = "/api/v4"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Failure:
    status: int
    method: str | None
    path: re.Pattern[str] | None
    times: int
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ForgeServer:
    def __init__(self, *, github_token: str = "ghs_TESTTOKEN0123456789abcdef", gitlab_token: str = "glpat-TESTTOKEN0123456789",
                 page_size: int = 100, app_public_key: bytes | None = None, app_id: str | None = None):
        self.github_tokens = {github_token}
        self.gitlab_token = gitlab_token
        self.page_size = page_size
        self.app_public_key = app_public_key
        self.app_id = app_id
        self.installation_id = 4242
        self.requests: list[Recorded] = []
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.check_runs: list[dict[str, Any]] = []
        self.pulls: dict[str, list[dict[str, Any]]] = {}
        self.reviews: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.files: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.merge_requests: dict[str, list[dict[str, Any]]] = {}
        self.notes: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.approvals: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.diffs: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.issued_tokens: list[str] = []
        self.gitlab_has_diffs = True
        self.link_base: str | None = None  # where Link headers point (default: this server)
        self._failures: list[Failure] = []
        self._ids = itertools.count(1001)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                reply = server._handle(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
                data = b"" if reply.body is None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.gitlab_url = self.url + GITLAB_PREFIX
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- lifecycle ----------------------------------------------------------------------

    def __enter__(self) -> "ForgeServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    # -- test controls --------------------------------------------------------------------

    def fail(self, status: int, *, method: str | None = None, path: str | None = None, times: int = 1,
             headers: dict[str, str] | None = None, body: Any = None) -> None:
        """The next ``times`` requests matching ``method`` and the ``path`` regex answer ``status``."""
        default = {401: "Bad credentials", 403: "Resource not accessible by integration", 404: "Not Found",
                   422: "Validation Failed", 429: "API rate limit exceeded", 500: "Server Error"}
        with self._lock:
            self._failures.append(Failure(status, method, re.compile(path) if path else None, times, headers or {},
                                          body if body is not None else {"message": default.get(status, "error")}))

    def calls(self, method: str | None = None, pattern: str = "") -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if (method is None or r.method == method) and re.search(pattern, r.path)]

    def comments_on(self, slug: str, number: int) -> list[dict[str, Any]]:
        return self.comments.get((slug, number), [])

    def add_comment(self, slug: str, number: int, body: str, login: str = "someone") -> dict[str, Any]:
        comment = {"id": next(self._ids), "body": body, "user": {"login": login, "type": "User"},
                   "html_url": f"https://github.example/{slug}/pull/{number}#issuecomment-x"}
        self.comments.setdefault((slug, number), []).append(comment)
        return comment

    def add_pull(self, slug: str, number: int, *, author: str, merged_at: str | None, updated_at: str,
                 files: list[str], reviews: list[tuple[str, str, str, str]]) -> None:
        """``reviews``: (login, user type, state, submitted_at)."""
        self.pulls.setdefault(slug, []).append({
            "number": number, "state": "closed", "user": {"login": author, "type": "User"},
            "merged_at": merged_at, "closed_at": merged_at or updated_at, "updated_at": updated_at,
        })
        self.reviews[(slug, number)] = [
            {"id": next(self._ids), "user": {"login": login, "type": kind}, "state": state, "submitted_at": when}
            for login, kind, state, when in reviews
        ]
        self.files[(slug, number)] = [{"filename": f, "status": "modified"} for f in files]

    def add_merge_request(self, project: str, iid: int, *, author: str, merged_at: str, updated_at: str, files: list[str],
                          approvers: list[dict[str, Any]], notes: list[tuple[dict[str, Any], str, bool]]) -> None:
        """``notes``: (author user, created_at, system)."""
        self.merge_requests.setdefault(project, []).append({
            "iid": iid, "state": "merged", "author": {"username": author, "name": author.title()},
            "merged_at": merged_at, "updated_at": updated_at,
        })
        self.approvals[(project, iid)] = [{"user": u} for u in approvers]
        for user, created, system in notes:
            self.notes.setdefault((project, iid), []).append(
                {"id": next(self._ids), "body": "looks fine", "author": user, "created_at": created, "updated_at": created, "system": system})
        self.diffs[(project, iid)] = [{"old_path": f, "new_path": f, "new_file": False, "deleted_file": False, "renamed_file": False}
                                      for f in files]

    # -- dispatch -------------------------------------------------------------------------

    def _handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Reply:
        parts = urlsplit(target)
        path = unquote(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return Reply(400, {"message": "Problems parsing JSON"})
        with self._lock:
            self.requests.append(Recorded(method, path, query, headers, body))
            for failure in self._failures:
                if failure.times > 0 and (failure.method in (None, method)) and (failure.path is None or failure.path.search(path)):
                    failure.times -= 1
                    return Reply(failure.status, failure.body, failure.headers)
            if path.startswith(GITLAB_PREFIX + "/"):
                if headers.get("private-token") != self.gitlab_token:
                    return Reply(401, {"message": "401 Unauthorized"})
                return self._gitlab(method, path[len(GITLAB_PREFIX):], query, body, parts.path)
            if path.startswith("/app/") or re.fullmatch(r"/repos/[^/]+/[^/]+/installation", path):
                return self._app(method, path, headers)
            auth = headers.get("authorization", "")
            scheme, _, token = auth.partition(" ")
            if scheme.lower() not in ("bearer", "token") or token not in self.github_tokens:
                return Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
            return self._github(method, path, query, body)

    def _page(self, items: list[Any], query: dict[str, str], raw_path: str) -> Reply:
        per_page = min(int(query.get("per_page", 30)), 100, self.page_size)
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(items):
            nxt = urlencode({**query, "page": page + 1, "per_page": per_page})
            last = urlencode({**query, "page": (len(items) + per_page - 1) // per_page, "per_page": per_page})
            base = self.link_base or self.url
            headers["Link"] = f'<{base}{raw_path}?{nxt}>; rel="next", <{base}{raw_path}?{last}>; rel="last"'
        return Reply(200, chunk, headers)

    # -- GitHub ---------------------------------------------------------------------------

    def _github(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/issues/(\d+)/comments", path):
            slug, number = m.group(1), int(m.group(2))
            if method == "GET":
                return self._page(self.comments.get((slug, number), []), query, path)
            if method == "POST":
                if not isinstance(body, dict) or not isinstance(body.get("body"), str) or not body["body"]:
                    return Reply(422, {"message": "Validation Failed", "errors": [{"resource": "IssueComment", "field": "body", "code": "missing_field"}]})
                comment = self.add_comment(slug, number, body["body"], login="github-actions[bot]")
                return Reply(201, comment)
        if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/issues/comments/(\d+)", path):
            if method == "PATCH":
                for comments in self.comments.values():
                    for comment in comments:
                        if comment["id"] == int(m.group(2)):
                            if not isinstance(body, dict) or not body.get("body"):
                                return Reply(422, {"message": "Validation Failed"})
                            comment["body"] = body["body"]
                            return Reply(200, comment)
                return Reply(404, {"message": "Not Found"})
        if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/check-runs", path):
            if method == "POST":
                problem = _check_run_problem(body, creating=True)
                if problem:
                    return Reply(422, {"message": "Invalid request.", "errors": [problem]})
                run = {**body, "id": next(self._ids), "repository": m.group(1),
                       "html_url": f"https://github.example/{m.group(1)}/runs/1"}
                run["output"] = dict(body.get("output") or {})
                run["annotation_requests"] = [len(run["output"].get("annotations") or [])]
                self.check_runs.append(run)
                return Reply(201, {k: v for k, v in run.items() if k != "annotation_requests"})
        if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/check-runs/(\d+)", path):
            if method == "PATCH":
                problem = _check_run_problem(body, creating=False)
                if problem:
                    return Reply(422, {"message": "Invalid request.", "errors": [problem]})
                for run in self.check_runs:
                    if run["id"] == int(m.group(2)):
                        new = (body.get("output") or {})
                        added = list(new.get("annotations") or [])
                        run["output"].update({k: v for k, v in new.items() if k != "annotations"})
                        run["output"]["annotations"] = list(run["output"].get("annotations") or []) + added
                        run["annotation_requests"].append(len(added))
                        return Reply(200, {k: v for k, v in run.items() if k != "annotation_requests"})
                return Reply(404, {"message": "Not Found"})
        if method == "GET":
            if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/pulls", path):
                pulls = [p for p in self.pulls.get(m.group(1), []) if query.get("state", "open") in (p["state"], "all")]
                pulls.sort(key=lambda p: p["updated_at"], reverse=query.get("direction", "desc") == "desc")
                return self._page(pulls, query, path)
            if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/pulls/(\d+)/reviews", path):
                return self._page(self.reviews.get((m.group(1), int(m.group(2))), []), query, path)
            if m := re.fullmatch(r"/repos/([^/]+/[^/]+)/pulls/(\d+)/files", path):
                return self._page(self.files.get((m.group(1), int(m.group(2))), []), query, path)
            if m := re.fullmatch(r"/users/([^/]+)", path):
                user = self.users.get(m.group(1))
                return Reply(200, {"login": m.group(1), "type": "User", **user}) if user is not None else Reply(404, {"message": "Not Found"})
        return Reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})

    def _app(self, method: str, path: str, headers: dict[str, str]) -> Reply:
        import jwt

        scheme, _, token = headers.get("authorization", "").partition(" ")
        if self.app_public_key is None or scheme.lower() != "bearer":
            return Reply(401, {"message": "A JSON web token could not be decoded"})
        try:
            claims = jwt.decode(token, self.app_public_key, algorithms=["RS256"], options={"require": ["iat", "exp", "iss"]})
        except jwt.PyJWTError as exc:
            return Reply(401, {"message": f"'Expiration time' claim ('exp') is invalid or the JWT could not be decoded: {type(exc).__name__}"})
        if str(claims["iss"]) != str(self.app_id) or claims["exp"] - claims["iat"] > 600:
            return Reply(401, {"message": "'Issuer' claim ('iss') must be an Integer and exp at most 10 minutes after iat"})
        if method == "GET" and path.endswith("/installation"):
            return Reply(200, {"id": self.installation_id, "app_id": int(self.app_id or 0)})
        if m := re.fullmatch(r"/app/installations/(\d+)/access_tokens", path):
            if method == "POST" and int(m.group(1)) == self.installation_id:
                token = f"ghs_installation{next(self._ids)}"
                self.github_tokens.add(token)
                self.issued_tokens.append(token)
                expires = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                return Reply(201, {"token": token, "expires_at": expires})
        return Reply(404, {"message": "Not Found"})

    # -- GitLab ---------------------------------------------------------------------------

    def _gitlab(self, method: str, path: str, query: dict[str, str], body: Any, raw_path: str) -> Reply:
        m = re.fullmatch(r"/projects/(.+?)(/merge_requests.*)", path)
        if not m:
            return Reply(404, {"message": "404 Not found"})
        project, rest = m.group(1), m.group(2)
        if rest == "/merge_requests" and method == "GET":
            mrs = [r for r in self.merge_requests.get(project, []) if query.get("state", "all") in (r["state"], "all")]
            if "updated_after" in query:
                after = datetime.fromisoformat(query["updated_after"].replace("Z", "+00:00"))
                mrs = [r for r in mrs if datetime.fromisoformat(r["updated_at"].replace("Z", "+00:00")) > after]
            mrs.sort(key=lambda r: r["updated_at"], reverse=query.get("sort", "desc") == "desc")
            return self._page(mrs, query, raw_path)
        mm = re.fullmatch(r"/merge_requests/(\d+)/(notes|approvals|diffs|changes)(?:/(\d+))?", rest)
        if not mm:
            return Reply(404, {"message": "404 Not found"})
        iid, what, item = int(mm.group(1)), mm.group(2), mm.group(3)
        key = (project, iid)
        if what == "notes":
            notes = self.notes.setdefault(key, [])
            if method == "GET" and item is None:
                return self._page(notes, query, raw_path)
            if method == "POST" and item is None:
                if not isinstance(body, dict) or not body.get("body"):
                    return Reply(400, {"message": "400 Bad request - body is missing"})
                note = {"id": next(self._ids), "body": body["body"], "system": False, "author": {"username": "project_7_bot_1a2b", "bot": True}}
                notes.append(note)
                return Reply(201, note)
            if method == "PUT" and item is not None:
                for note in notes:
                    if note["id"] == int(item):
                        note["body"] = body["body"]
                        return Reply(200, note)
                return Reply(404, {"message": "404 Not found"})
        if what == "approvals" and method == "GET":
            return Reply(200, {"iid": iid, "approved": bool(self.approvals.get(key)), "approved_by": self.approvals.get(key, [])})
        if what == "diffs" and method == "GET" and self.gitlab_has_diffs:
            return self._page(self.diffs.get(key, []), query, raw_path)
        if what == "changes" and method == "GET":
            return Reply(200, {"iid": iid, "changes": self.diffs.get(key, [])})
        return Reply(404, {"message": "404 Not found"})


def _check_run_problem(body: Any, *, creating: bool) -> str | None:
    """What GitHub would refuse in a check run (``None`` when it is fine)."""
    if not isinstance(body, dict):
        return "the body must be an object"
    if creating:
        if not body.get("name"):
            return "name is missing"
        if not re.fullmatch(r"[0-9a-f]{40}", str(body.get("head_sha") or "")):
            return "head_sha is not a commit SHA"
        if body.get("status") == "completed" and body.get("conclusion") not in (
                "action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"):
            return "conclusion is required when status is completed"
    output = body.get("output")
    if output is not None:
        if not output.get("title") or not output.get("summary"):
            return "output needs title and summary"
        if len(output["summary"]) > 65535:
            return "output.summary is longer than 65535 characters"
        notes = output.get("annotations") or []
        if len(notes) > 50:
            return "only 50 annotations are allowed per request"
        for note in notes:
            if not all(note.get(k) for k in ("path", "start_line", "end_line", "annotation_level", "message")):
                return "an annotation misses path, start_line, end_line, annotation_level or message"
            if note["annotation_level"] not in ("notice", "warning", "failure"):
                return "annotation_level must be notice, warning or failure"
    return None


def gitlab_project_path(project: str) -> str:
    return quote(project, safe="")
