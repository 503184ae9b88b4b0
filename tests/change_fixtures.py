"""Real repositories for the change analyses (coupling, hotspots, agents, trends), with hand-computed expectations.

``build_coupled`` — code-maat's counts by hand (changesets of at most 30 files):

* ``a/x.py`` and ``b/y.py`` (renamed to ``b/y2.py`` in the sixth shared commit):
  x has 8 revisions, y 6, 6 shared, no import between them:
  degree = 6 / ((8 + 6) / 2) × 100 = 85.7;
* ``pkg/m.py`` imports ``pkg/n.py``; 5 revisions each, all shared: 100, ``imports``;
* ``bulk/q00.py`` … ``bulk/q39.py``: added and then changed 5 times, always all
  40 together: skipped as changesets over 30 files, so no pair and no revisions
  (with ``max_changeset = 40``: 780 pairs of 6 shared revisions);
* components a/b: a has 8 revisions (the first commit touches x and z), b 6, 6 shared: 85.7.

``build_agents`` — three quarters of 2024 (see the test module for the numbers):
Q1 humans only; Q2 Claude by trailer, by "Generated with [Claude Code]" and by
"Coded with Claude" (all with Ada), Cursor's agent committed by Carol, and a
commit by Bob; Q3 humans only. An agent commit in Q2 makes b import a; a human
commit in Q3 makes a import b, closing a cycle.
"""

from __future__ import annotations

from pathlib import Path

from gitrepo import GitRepo

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
CAROL = ("Carol Shaw", "carol@example.com")
CLAUDE = ("Claude", "noreply@anthropic.com")
CURSOR = ("Cursor Agent", "cursoragent@cursor.com")

COUPLED_TOML = """\
[components]
a = ["a/**"]
b = ["b/**"]
pkg = ["pkg/**"]
bulk = ["bulk/**"]
"""


def _y(i: int) -> str:
    """Enough unchanged lines that git sees the rename of y.py (similarity above 50 %)."""
    return "".join(f"LINE_{k} = {k}\n" for k in range(20)) + f"Y = {i}\n"


def build_coupled(root: Path, *, max_changeset: int | None = None) -> GitRepo:
    repo = GitRepo(root)
    toml = COUPLED_TOML + (f"\n[coupling]\nmax_changeset = {max_changeset}\n" if max_changeset else "")
    repo.commit({"cairn.toml": toml, "a/x.py": "X = 0\n", "b/y.py": _y(0), "a/z.py": "Z = 0\n"}, message="start", author=ADA)
    for i in range(1, 5):
        repo.commit({"a/x.py": f"X = {i}\n", "b/y.py": _y(i)}, message=f"x and y {i}", author=ADA)
    repo.git("mv", "b/y.py", "b/y2.py")
    repo.commit({"a/x.py": "X = 5\n", "b/y2.py": _y(5)}, message="x and y, y renamed", author=BOB)
    for i in range(6, 8):
        repo.commit({"a/x.py": f"X = {i}\n"}, message=f"x alone {i}", author=ADA)
    repo.commit({"pkg/__init__.py": "", "pkg/n.py": "N = 0\n", "pkg/m.py": "from pkg import n\n\nM = n.N\n"},
                message="m and n", author=BOB)
    for i in range(1, 5):
        repo.commit({"pkg/n.py": f"N = {i}\n", "pkg/m.py": f"from pkg import n\n\nM = n.N + {i}\n"}, message=f"m and n {i}", author=BOB)
    repo.commit({f"bulk/q{k:02d}.py": "Q = 0\n" for k in range(40)}, message="bulk add", author=CAROL)
    for i in range(1, 6):
        repo.commit({f"bulk/q{k:02d}.py": f"Q = {i}\n" for k in range(40)}, message=f"bulk sweep {i}", author=CAROL)
    return repo


AGENTS_TOML = """\
[components]
a = ["a/**"]
b = ["b/**"]
"""

CLAUDE_CODE_FOOTER = "🤖 Generated with [Claude Code](https://claude.com/claude-code)"


def _at(date: str) -> str:
    return f"{date}T12:00:00+00:00"


def build_agents(root: Path) -> GitRepo:
    repo = GitRepo(root)
    # 2024-Q1: humans only
    repo.commit({"cairn.toml": AGENTS_TOML, "a/core.py": "CORE = 1\n", "a/util.py": "UTIL = 1\n"}, message="core",
                author=ADA, date=_at("2024-01-10"))
    repo.commit({"b/api.py": "API = 1\n"}, message="api", author=ADA, date=_at("2024-02-10"))
    repo.commit({"b/views.py": "VIEWS = 1\n"}, message="views", author=BOB, date=_at("2024-03-10"))
    # 2024-Q2: Claude three ways, all with Ada; Cursor's agent committed by Carol; Bob alone
    repo.commit({"b/api.py": "import a.core\n\nAPI = a.core.CORE\n"}, message="api uses the core", author=ADA,
                date=_at("2024-04-10"), trailers=["Co-authored-by: Claude <noreply@anthropic.com>"])
    repo.commit({"a/util.py": "UTIL = 2\n"}, message=f"util two\n\n{CLAUDE_CODE_FOOTER}", author=ADA, date=_at("2024-05-01"))
    repo.commit({"a/core.py": "CORE = 2\n"}, message="core two\n\nCoded with Claude", author=ADA, date=_at("2024-05-20"))
    repo.commit({"b/views.py": "VIEWS = 2\n"}, message="views two", author=CURSOR, committer=CAROL, date=_at("2024-06-01"))
    repo.commit({"b/forms.py": "FORMS = 1\n"}, message="forms", author=BOB, date=_at("2024-06-15"))
    # 2024-Q3: humans only; the core now imports the views: a cycle between a and b
    repo.commit({"b/models.py": "MODELS = 1\n"}, message="models", author=BOB, date=_at("2024-07-10"))
    repo.commit({"a/core.py": "import b.views\n\nCORE = 3\n"}, message="core uses the views", author=CAROL, date=_at("2024-08-10"))
    return repo
