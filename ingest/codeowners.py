"""Declared ownership from CODEOWNERS, with GitHub's semantics, as Team/Person -OWNS-> File/Component edges.

Where: the first of ``.github/CODEOWNERS``, ``CODEOWNERS``, ``docs/CODEOWNERS``
that exists is the one GitHub uses; the others are ignored (a note says so).

Syntax (GitHub's): one rule per line, ``pattern owner…``; ``#`` starts a
comment (``\\#`` is a literal hash); patterns are gitignore-style (via
``pathspec``), except that ``!`` negation and ``[…]`` ranges are not supported
and ``dir/*`` matches only files directly in ``dir``. Owners are ``@user``,
``@org/team`` or an e-mail address. The **last** matching rule decides, and a
rule without owners leaves the files it matches unowned. A line with invalid
syntax is skipped, as GitHub does, and reported as a note. A line keeps at
most 50 owners and a file 1,000 distinct ones (a note says what was dropped).
The file is read only if it is a regular file inside the checkout.

Graph: the rules on the Repository node (``codeowners_patterns``: line, pattern,
regex, owners; the last matching one decides); a Team node per ``@org/team``; ``@user`` and e-mail owners are matched to
human Person nodes from history by ``graph.people.PersonIndex`` (a login: a
person's logins, then the one person who committed under the login as a
name, whose e-mail local part is the login, or whose folded full name is the
login — who then gets that login; an e-mail: by address) or else get a Person
node of their own with ``declared_only = true``. OWNS edges go to every File
node an owner is declared for (props ``codeowners`` (the file), ``line``,
``pattern``), and to a Component when the owner is declared for *every* file
of it (a component with no files gets none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pathspec.patterns import GitWildMatchPattern

from cairn.graph.model import Edge, GroupedGraph, Label, Node, Rel, RepoGraph, node_id
from cairn.graph.people import PersonIndex
from cairn.ingest.untrusted import RefusedFile, read_checkout_text

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
MAX_BYTES = 3 * 1024 * 1024  # GitHub ignores larger files
#: Owners kept per CODEOWNERS line, and distinct owners per file: a line naming 5,000 owners
#: must not make 5,000 people (GitHub's own documentation has no limit; real files name a few).
MAX_OWNERS_PER_LINE = 50
MAX_OWNERS = 1000
#: Rules kept on the Repository node (``codeowners_patterns``); real files have a few hundred at most.
MAX_STORED_RULES = 5000

_USER_RE = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
_TEAM_RE = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DESCENDANTS = "(?:(?P<ps_d>/).*)?$"


@dataclass(frozen=True)
class OwnerRule:
    pattern: str
    owners: tuple[str, ...]
    line: int
    regex: re.Pattern[str] | Below

    def matches(self, path: str) -> bool:
        return self.regex.match(path) is not None


class CodeOwners:
    source: str | None  # repository-relative path of the file used
    rules: list[OwnerRule]
    notes: list[str]

    _index: tuple[int, dict[str, list[int]], list[int], dict[str, list[int]]] | None

    def __init__(self, source: str | None = None, rules: list[OwnerRule] | None = None, notes: list[str] | None = None,
                 _index: tuple[int, dict[str, list[int]], list[int], dict[str, list[int]]] | None = None) -> None:
        self.source = source
        self.rules = [] if rules is None else rules
        self.notes = [] if notes is None else notes
        self._index = _index

    def rule_for(self, path: str, before: int | None = None) -> OwnerRule | None:
        """The rule that decides ``path`` (the last one matching; of the rules before number ``before`` when given),
        or None.

        Only the rules that can match are tried, the last first: those anchored below a directory that
        ``path`` is in (found by its leading directories, see ``_anchor``), and those that match at any depth.
        A CODEOWNERS of hundreds of directory rules and 50,000 files made 16 million regex tries otherwise.
        The rules anchored at its directories, or anywhere, are the same for every file of a directory: worked out
        once for it.
        """
        rules = self.rules
        if self._index is None or self._index[0] != len(rules):
            by_anchor: dict[str, list[int]] = {}
            anywhere: list[int] = []
            for number, rule in enumerate(rules):
                anchor = _anchor(rule.pattern)
                if anchor is None:
                    anywhere.append(number)
                else:
                    by_anchor.setdefault(anchor, []).append(number)
            self._index = (len(rules), by_anchor, anywhere, {})
        _, by_anchor, anywhere, in_directory = self._index
        directory = path[:path.rfind("/") + 1]
        candidates = in_directory.get(directory)
        if candidates is None:  # the rules anywhere, and those anchored at one of the leading directories
            found = list(anywhere)
            cut = path.find("/")
            while cut >= 0:
                found.extend(by_anchor.get(path[:cut], ()))
                cut = path.find("/", cut + 1)
            candidates = in_directory[directory] = sorted(found, reverse=True)
        whole = by_anchor.get(path)  # anchored at the path itself
        if whole:
            candidates = sorted([*candidates, *whole], reverse=True)
        for number in candidates:
            if (before is None or number < before) and rules[number].matches(path):
                return rules[number]
        return None

    def owners_of(self, path: str) -> tuple[str, ...]:
        rule = self.rule_for(path)
        return rule.owners if rule else ()


def _anchor(pattern: str) -> str | None:
    """The literal leading directories of an anchored pattern (``/a/b/*.py`` -> ``a/b``): a path it matches is
    that path or below it. None for a pattern that may match at any depth (no slash but a trailing one, or a
    leading ``**``) or that starts with a wildcard or an escape."""
    body = pattern.rstrip("/")
    if "/" not in body:
        return None  # gitignore: a name without a slash matches at any depth
    literal = []
    for segment in body.lstrip("/").split("/"):
        if not segment or any(ch in segment for ch in "*?[\\"):
            break
        literal.append(segment)
    return "/".join(literal) or None


def owner_kind(owner: str) -> str | None:
    """"team", "user", "email", or None when GitHub would reject it."""
    if _TEAM_RE.match(owner):
        return "team"
    if _USER_RE.match(owner):
        return "user"
    if _EMAIL_RE.match(owner):
        return "email"
    return None


def _split(line: str) -> list[str]:
    """Whitespace-separated tokens, honouring ``\\ `` and ``\\#`` escapes, stopping at a comment."""
    tokens: list[str] = []
    current = []
    escaped = False
    for ch in line:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "#" and not current:
            break
        elif ch.isspace():
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


def compile_pattern(pattern: str) -> re.Pattern[str] | Below:
    """A CODEOWNERS pattern as a regex over repository-relative paths (one naming a directory as a ``Below``, which
    matches as its regex would); ValueError if unsupported."""
    if pattern.startswith("!"):
        raise ValueError("negation (!) is not supported in CODEOWNERS")
    if re.search(r"(?<!\\)\[", pattern):
        raise ValueError("character ranges ([...]) are not supported in CODEOWNERS")
    source, include = GitWildMatchPattern.pattern_to_regex(pattern)
    if source is None or not include:
        raise ValueError("pattern matches nothing")
    # GitHub: "docs/*" owns files directly in docs/, not deeper ones (unlike gitignore).
    if pattern.endswith("/*") and not pattern.endswith("/**") and source.endswith(_DESCENDANTS):
        source = source[: -len(_DESCENDANTS)] + "$"
    return Below.of(source) or re.compile(source)


#: The ends of the regexes pathspec makes of a pattern naming a directory, after its literal path: whether the
#: directory's own path matches too (``/a/b``), or only what is below it (``/a/b/``, ``/a/b/**``).
_BELOW_TAILS = {"(?P<ps_d>/).*$": False, "/.*$": False, "(?:(?P<ps_d>/).*)?$": True}
_BELOW = re.compile(r"\^((?:[^\W_]|[_/]|\\[^\w\s])+?)(" + "|".join(map(re.escape, _BELOW_TAILS)) + r")\Z", re.ASCII)


class Below:
    """The regex of a CODEOWNERS pattern that names a literal directory (``^a/b(?P<ps_d>/).*$`` for ``/a/b/``),
    matched by comparing strings, as ``re`` would match it: ``.`` is any character but a newline, ``$`` the end or
    the place before a last newline. The regex is not compiled (a third of a millisecond each: 0.1 s on every ingest
    for the 334 directory rules of a 50k-file repository's CODEOWNERS). ``pattern`` is the regex."""

    __slots__ = ("pattern", "_prefix", "_itself")

    def __init__(self, pattern: str, directory: str, itself: bool):
        self.pattern = pattern
        self._prefix = directory + "/"
        self._itself = directory if itself else None

    @staticmethod
    def of(source: str) -> Below | None:
        """The ``Below`` of ``source``, when it is such a regex (letters, digits, ``_``, ``/`` and escaped punctuation
        before its tail); None otherwise."""
        found = _BELOW.match(source)
        if found is None:
            return None
        directory = re.sub(r"\\(.)", r"\1", found[1])
        return Below(source, directory, _BELOW_TAILS[found[2]])

    def match(self, path: str) -> bool | None:
        """True where ``re.match(self.pattern, path)`` finds a match, else None."""
        prefix = self._prefix
        if path.startswith(prefix) and "\n" not in path[len(prefix):-1]:
            return True
        itself = self._itself
        if itself is not None and (path == itself or path == itself + "\n"):
            return True
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Below) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"Below({self.pattern!r})"


def parse_codeowners(text: str, source: str) -> CodeOwners:
    """The rules of one CODEOWNERS file's text; ``source`` names it in notes.

    At most ``MAX_OWNERS_PER_LINE`` owners of a line and ``MAX_OWNERS`` distinct
    owners in the whole file are kept; a note says when owners were dropped.
    """
    result = CodeOwners(source=source)
    distinct: set[str] = set()
    dropped_lines = dropped_file = 0
    for number, raw_line in enumerate(text.splitlines(), 1):
        tokens = _split(raw_line.strip())
        if not tokens:
            continue
        pattern, owners = tokens[0], tokens[1:]
        bad = [o for o in owners if owner_kind(o) is None]
        if bad:
            result.notes.append(f"{source} line {number}: invalid owner {bad[0][:100]!r}, line skipped (as GitHub does)")
            continue
        owners = list(dict.fromkeys(owners))
        if len(owners) > MAX_OWNERS_PER_LINE:
            dropped_lines += 1
            if dropped_lines <= 3:
                result.notes.append(f"{source} line {number}: {len(owners)} owners, only the first {MAX_OWNERS_PER_LINE} kept")
            owners = owners[:MAX_OWNERS_PER_LINE]
        kept = []
        for owner in owners:
            if owner in distinct or len(distinct) < MAX_OWNERS:
                distinct.add(owner)
                kept.append(owner)
            else:
                dropped_file += 1
        owners = kept
        try:
            regex = compile_pattern(pattern)
        except (ValueError, re.error) as exc:
            result.notes.append(f"{source} line {number}: {exc}, line skipped")
            continue
        result.rules.append(OwnerRule(pattern, tuple(owners), number, regex))
    if dropped_lines > 3:
        result.notes.append(f"{source}: {dropped_lines - 3} more line(s) with over {MAX_OWNERS_PER_LINE} owners, cut the same way")
    if dropped_file:
        result.notes.append(f"{source}: more than {MAX_OWNERS} distinct owners; {dropped_file} further owner entries dropped")
    return result


def organisations(codeowners: CodeOwners) -> frozenset[str]:
    """The GitHub organisations whose teams CODEOWNERS names (``@open-telemetry/collector-approvers``: the
    organisation ``open-telemetry``), lower-cased: logins that are nobody's own."""
    return frozenset(owner[1:].partition("/")[0].lower() for rule in codeowners.rules for owner in rule.owners
                     if owner.startswith("@") and "/" in owner)


def read_codeowners(root: Path) -> CodeOwners:
    """The CODEOWNERS file GitHub would use for the checkout at ``root`` (empty if there is none).

    A CODEOWNERS that is a symbolic link out of the checkout, a directory or
    larger than GitHub's 3 MB is not read (a note names it) and the next
    location is tried.
    """
    root = Path(root)
    notes: list[str] = []
    found: list[tuple[str, str]] = []
    for location in LOCATIONS:
        try:
            text = read_checkout_text(root, location, limit=MAX_BYTES)
        except RefusedFile as exc:
            if exc.reason.startswith("larger than"):
                notes.append(f"{location}: larger than 3 MB, which GitHub ignores; not read")
            else:
                notes.append(str(exc))
            continue
        if text is not None:
            found.append((location, text))
    if not found:
        return CodeOwners(notes=notes)
    source, text = found[0]
    owners = parse_codeowners(text, source)
    owners.notes[:0] = notes
    for other, _ in found[1:]:
        owners.notes.append(f"{other} is ignored: GitHub uses {source}, found first")
    return owners


def add_ownership(graph: RepoGraph, codeowners: CodeOwners) -> None:
    """Team nodes, matched or declared-only Person nodes, OWNS edges to File and Component nodes."""
    repo = graph.repository
    if repo is not None:
        # The rules themselves (their regex included), so an owner can be named for any path, not only source files.
        repo.props.update(codeowners=codeowners.source, codeowners_rules=len(codeowners.rules),
                          codeowners_patterns=[{"line": r.line, "pattern": r.pattern, "regex": r.regex.pattern,
                                                "owners": list(r.owners)} for r in codeowners.rules[:MAX_STORED_RULES]])
    if not codeowners.rules:
        return
    grouped = GroupedGraph(graph)  # a graph of 100k+ nodes walked once, not once per label
    # taken before any Team or Person node is added below (which would group the graph again to find the others)
    persons, files, components = (grouped.of_label(label) for label in (Label.PERSON, Label.FILE, Label.COMPONENT))
    # bots and agents are never the owners CODEOWNERS means
    people = PersonIndex(p for p in persons if p.get("kind", "human") == "human")
    owner_nodes: dict[str, Node] = {}

    def node_for(owner: str) -> Node:
        node = owner_nodes.get(owner)
        if node is not None:
            return node
        kind = owner_kind(owner)
        if kind == "team":
            node = graph.add_node(Label.TEAM, owner, handle=owner)
        else:
            node = people.one(owner) if kind == "email" else people.one_by_login(owner)
            if node is None:
                login = owner[1:].lower() if kind == "user" else None
                node = graph.add_node(
                    Label.PERSON, owner.lower() if kind == "email" else owner, name=owner, kind="human",
                    emails=[owner.lower()] if kind == "email" else [], aliases=[owner], names=[],
                    logins=[login] if login else [], github=login, last_active=None, commits=0,
                    declared_only=True,
                )
            handles = list(node.get("owner_handles") or [])
            if owner not in handles:
                node.props["owner_handles"] = handles + [owner]
        owner_nodes[owner] = node
        return node

    source, file_prefix = codeowners.source, node_id(Label.FILE, graph.repo, "")
    edges, owns = graph.edges_of((Rel.OWNS.value,)), Rel.OWNS
    owner_ids: dict[str, str] = {}
    files_of_owner: dict[str, set[str]] = {}
    for file_node in files:
        path = file_node.key
        rule = codeowners.rule_for(path)
        if rule is None:
            continue
        fid = file_prefix + path
        for owner in rule.owners:
            oid = owner_ids.get(owner)
            if oid is None:
                oid = owner_ids[owner] = node_for(owner).id
            # as ``add_edge`` would (both ends are nodes of the graph): an edge made again, by two owners of the
            # rule standing for one person, gets the same properties in the same place
            edges[("OWNS", oid, fid)] = Edge(owns, oid, fid, {"codeowners": source, "line": rule.line,
                                                               "pattern": rule.pattern})
            files_of_owner.setdefault(oid, set()).add(path)

    component_files: dict[str, set[str]] = {}
    for file_node in files:
        if file_node.get("component"):
            component_files.setdefault(file_node["component"], set()).add(file_node.key)
    for component in components:
        files_in = component_files.get(component.key)
        if not files_in:
            continue
        for owner_id, owned in files_of_owner.items():
            if files_in <= owned:
                graph.add_edge(Rel.OWNS, owner_id, component, codeowners=codeowners.source, rule="owns every file")
