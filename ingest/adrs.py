"""Architecture decision records: finding them, reading every common format, linking them.

Discovery (first match wins for the folder list): the folders configured in
``[adr] paths``; else the folder named in ``.adr-dir`` (adr-tools) and the
``adrFolder`` entries of ``.log4brains.yml``, plus whichever of ``doc/adr``,
``docs/adr``, ``docs/adrs``, ``docs/decisions``, ``docs/architecture/decisions``,
``docs/architecture-decisions`` and ``adr`` exist. Every ``*.md`` below a folder
is a decision (MADR category subfolders included) except ``README``/``index``
pages and templates.

Formats read, all from the Markdown structure (markdown-it-py) and the YAML
front matter (python-frontmatter), never by pattern-matching the whole file:

* Nygard / adr-tools: ``# 2. Title``, a ``Date:`` line, a ``## Status`` section
  whose lines are a status and link lines such as
  ``Superseded by [3. Title](0003-title.md)`` (adr-tools' own spellings
  "Superceded by" / "Supercedes" too) or ``Amends [1. …](…)``;
* MADR 2 and log4brains: ``* Status:`` / ``- Deciders:`` / ``* Date:`` bullets
  between the title and the first section (bold ``**Status:**`` lines too);
  log4brains' ``YYYYMMDD-slug.md`` names, where a missing status means accepted;
* MADR 3 / 4: front matter ``status``, ``date``, ``deciders`` /
  ``decision-makers``, ``consulted``, ``informed``; Cairn's own optional keys
  ``components``, ``supersedes``, ``superseded-by``, ``amends``, ``amended-by``
  and ``rules`` (see ``ingest.rules``).

Status is normalised to one of ``proposed``, ``accepted``, ``rejected``,
``deprecated``, ``superseded``, ``amended`` (still in force, changed by a later
decision) or ``unknown``; an unrecognised word is kept lowercased. When several
status lines disagree, the later lifecycle state wins (superseded > deprecated >
rejected > amended > accepted > proposed), so "Accepted" followed by "Superseded
by …" reads as superseded. The raw text is kept.

Relations (supersedes / superseded_by / amends / amended_by) are resolved to
repository-relative paths by link target, file name, number (same folder first)
or title, and made symmetric: when 0005 says it supersedes 0002 but 0002 still
says "Accepted", 0002 is marked superseded (``status_inferred``).

Component links: explicit front matter ``components:`` (score 1.0), else
inferred from the text. Inference signals and their weights, combined as a
noisy-or (1 − Π(1 − wᵢ)): a path below the component or one of its modules
named (``shop/billing/…``, ``shop.billing.invoices``) 0.9; the component name in
the title 0.7; the name as an inline code span 0.6; the name in prose 0.3 for the
first mention plus 0.1 per further mention, at most 0.5. A decision governs a
component when the score reaches 0.5 (``INFERENCE_THRESHOLD``); names shorter
than three characters are only matched as paths or modules.

A file that cannot be read as an ADR (binary, not UTF-8, unterminated front
matter, invalid YAML) becomes a problem entry and is skipped; an unresolvable
reference is a problem entry on a decision that is still kept.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

import frontmatter
import yaml
from dateutil import parser as date_parser
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.config import AdrSettings

DEFAULT_FOLDERS = (
    "doc/adr", "docs/adr", "docs/adrs", "docs/decisions", "docs/architecture/decisions",
    "docs/architecture-decisions", "adr",
)
NOT_DECISIONS = frozenset({"readme", "index", "template", "adr-template", "adr-template-minimal", "adr-template-bare",
                           "adr-template-bare-minimal", "0000-template", "toc", "_sidebar", "summary", "changelog"})
INFERENCE_THRESHOLD = 0.5
SUMMARY_CHARS = 400
MAX_ADR_BYTES = 1_000_000

# Normalised statuses, from the latest lifecycle state to the earliest: when a
# record carries several status lines the first of these found wins.
STATUS_PRIORITY = ("superseded", "deprecated", "rejected", "amended", "accepted", "proposed")
# Phrases mapped to a status, checked longest first so "partly superseded" is not "superseded".
STATUS_WORDS: dict[str, str] = {
    "partly superseded": "amended", "partially superseded": "amended", "superseded": "superseded",
    "superceded": "superseded", "replaced": "superseded", "deprecated": "deprecated", "reverted": "deprecated",
    "withdrawn": "deprecated", "obsolete": "deprecated", "retired": "deprecated", "abandoned": "deprecated",
    "rejected": "rejected", "declined": "rejected", "refused": "rejected", "amended": "amended",
    "accepted": "accepted", "approved": "accepted", "adopted": "accepted", "agreed": "accepted",
    "decided": "accepted", "implemented": "accepted", "done": "accepted", "active": "accepted", "final": "accepted",
    "proposed": "proposed", "proposal": "proposed", "draft": "proposed", "pending": "proposed",
    "planned": "proposed", "on hold": "proposed", "under review": "proposed", "in review": "proposed",
    "under discussion": "proposed", "in discussion": "proposed", "in progress": "proposed", "wip": "proposed",
    "rfc": "proposed", "suggested": "proposed", "open": "proposed",
}
# Relation phrases at the start of a status or link line: (phrase, relation of this record to the target).
RELATION_PHRASES = (
    ("partly superseded by", "amended_by"), ("partially superseded by", "amended_by"),
    ("superseded by", "superseded_by"), ("superceded by", "superseded_by"), ("replaced by", "superseded_by"),
    ("supersedes", "supersedes"), ("supercedes", "supersedes"), ("replaces", "supersedes"),
    ("amended by", "amended_by"), ("amends", "amends"),
)
INVERSE = {"supersedes": "superseded_by", "superseded_by": "supersedes", "amends": "amended_by", "amended_by": "amends"}
RELATIONS = ("supersedes", "superseded_by", "amends", "amended_by")
META_KEYS = {
    "status": "status", "date": "date", "deciders": "deciders", "decision-makers": "deciders",
    "decision makers": "deciders", "decision_makers": "deciders", "decision-maker": "deciders",
    "consulted": "consulted", "informed": "informed", "tags": "tags", "components": "components",
    "supersedes": "supersedes", "superseded-by": "superseded_by", "superseded_by": "superseded_by",
    "superseded by": "superseded_by", "amends": "amends", "amended-by": "amended_by", "amended_by": "amended_by",
    "amended by": "amended_by", "title": "title", "rules": "rules",
}

_md = MarkdownIt("commonmark")
_FRONT_MATTER = frontmatter.YAMLHandler()
_META_LINE = re.compile(
    r"^\W{0,3}(status|deciders|decision[- _]makers?|date|tags|consulted|informed|components)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$",
    re.I,
)
_RELATION_LINE = re.compile(r"^\W{0,3}(" + "|".join(re.escape(p) for p, _ in RELATION_PHRASES) + r")\b\s*:?\s*(.*)$", re.I)
_TITLE_PREFIX = re.compile(
    r"^\s*\[?\s*(?:(?:architecture\s+decision\s+record|adr|decision\s+record)\s*[-_#:]?\s*)?"
    r"(?P<num>\d+)(?:\s*\]?\s*[.:)\-–—]+\s*|\s*\]\s*|\s+)",
    re.I,
)
_TITLE_WORD_PREFIX = re.compile(r"^\s*(?:architecture\s+decision\s+record|adr)\s*:\s*", re.I)
_FILE_NUMBER = re.compile(r"^(?:adr)?[-_ ]?(\d{1,6})(?=$|[-_. ])", re.I)
_DATE_SLUG = re.compile(r"^(\d{4})(\d{2})(\d{2})(?=$|[-_])")
_REF_NUMBER = re.compile(r"^\W*(?:adr|decision|record)?\s*[-_#]?\s*0*(\d+)(?=$|[^\d])", re.I)


# -- data -------------------------------------------------------------------------------


@dataclass
class Problem:
    path: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message, "skipped": self.skipped}


@dataclass
class ComponentLink:
    name: str
    inferred: bool
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class RawRule:
    """A rule as written inside a decision, validated later by ``ingest.rules``."""

    data: dict[str, Any]
    origin: str  # e.g. "front matter" or "```cairn block at line 40"


@dataclass
class Decision:
    path: str
    title: str
    number: int | None = None
    status: str = "unknown"
    status_raw: str | None = None
    status_inferred: bool = False
    date: str | None = None
    date_raw: str | None = None
    deciders: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    amended_by: list[str] = field(default_factory=list)
    components: list[ComponentLink] = field(default_factory=list)
    summary: str | None = None
    format: str = "markdown"
    rules: list[RawRule] = field(default_factory=list)
    # (relation, reference text, link target) as written, before resolution
    references: list[tuple[str, str, str | None]] = field(default_factory=list)
    text: str = field(default="", repr=False)
    code_spans: list[str] = field(default_factory=list, repr=False)

    def relation(self, name: str) -> list[str]:
        return getattr(self, name)


@dataclass
class DecisionSet:
    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)

    def by_path(self) -> dict[str, Decision]:
        return {d.path: d for d in self.decisions}

    def resolve(self, reference: str, *, relative_to: str | None = None) -> str | None:
        """The path of the decision a reference names (path, file name, number or title), or None."""
        return _Resolver(self.decisions).resolve(reference, None, relative_to)


# -- discovery --------------------------------------------------------------------------


def find_adr_folders(root: Path, settings: AdrSettings) -> tuple[list[str], list[Problem]]:
    """Repository-relative ADR folders that exist, and problems with configured ones."""
    problems: list[Problem] = []
    wanted: list[str] = []
    if settings.paths:
        for configured in settings.paths:
            rel = configured.strip().strip("/")
            if not _inside(root, rel) or not (root / rel).is_dir():
                problems.append(Problem(configured, "configured ADR folder does not exist", skipped=True))
                continue
            wanted.append(rel)
        return _dedupe(wanted), problems
    adr_dir = root / ".adr-dir"
    if adr_dir.is_file():
        try:
            rel = adr_dir.read_text(encoding="utf-8").strip().strip("/")
        except (OSError, UnicodeDecodeError):
            rel = ""
        if rel and _inside(root, rel) and (root / rel).is_dir():
            wanted.append(rel)
        else:
            problems.append(Problem(".adr-dir", f"names a folder that does not exist ({rel!r})", skipped=True))
    wanted += _log4brains_folders(root, problems)
    wanted += [f for f in DEFAULT_FOLDERS if (root / f).is_dir() and not (root / f).is_symlink()]
    # A folder inside another one is read with it.
    result = []
    for f in _dedupe(wanted):
        if not any(f != other and f.startswith(other + "/") for other in wanted):
            result.append(f)
    return result, problems


def _log4brains_folders(root: Path, problems: list[Problem]) -> list[str]:
    config = root / ".log4brains.yml"
    if not config.is_file():
        return []
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(".log4brains.yml", f"cannot be read ({_one_line(exc)})", skipped=True))
        return []
    folders: list[str] = []
    project = data.get("project") if isinstance(data, dict) else None
    if isinstance(project, dict):
        if isinstance(project.get("adrFolder"), str):
            folders.append(project["adrFolder"])
        for package in project.get("packages") or []:
            if isinstance(package, dict) and isinstance(package.get("adrFolder"), str):
                folders.append(package["adrFolder"])
    out = []
    for f in folders:
        rel = posixpath.normpath(f.strip().lstrip("./")).strip("/") if f.strip() not in (".", "./") else ""
        if rel and _inside(root, rel) and (root / rel).is_dir():
            out.append(rel)
    return out


def _inside(root: Path, rel: str) -> bool:
    try:
        (root / rel).resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError):
        return False


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _adr_files(root: Path, folder: str) -> list[str]:
    out = []
    base = root / folder
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d.lower() not in ("templates", "template", "assets", "images", "img"))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            if not name.lower().endswith((".md", ".markdown")) or full.is_symlink():
                continue
            stem = name.rsplit(".", 1)[0].lower()
            if stem in NOT_DECISIONS or stem.startswith("_") or "template" in stem:
                continue
            out.append(full.relative_to(root).as_posix())
    return out


# -- reading ----------------------------------------------------------------------------


def read_decisions(root: Path, settings: AdrSettings, components: dict[str, list[str]] | None = None) -> DecisionSet:
    """Read every ADR of the checkout at ``root``.

    ``components`` maps component names to their path globs, for inferring
    which components a decision governs.
    """
    root = Path(root)
    folders, problems = find_adr_folders(root, settings)
    result = DecisionSet(folders=folders, problems=problems)
    for folder in folders:
        for rel in _adr_files(root, folder):
            try:
                decision = parse_decision(rel, (root / rel).read_bytes())
            except AdrFormatError as exc:
                result.problems.append(Problem(rel, str(exc), skipped=True))
                continue
            except OSError as exc:
                result.problems.append(Problem(rel, f"cannot be read ({exc.strerror or exc})", skipped=True))
                continue
            result.decisions.append(decision)
    result.decisions.sort(key=lambda d: d.path)
    _resolve_relations(result)
    for decision in result.decisions:
        decision.components = decision.components or infer_components(decision, components or {})
    return result


class AdrFormatError(Exception):
    """The file cannot be read as a decision record."""


def parse_decision(path: str, raw: bytes) -> Decision:
    """Parse one ADR file's bytes. Raises ``AdrFormatError`` for a file that is not a readable ADR."""
    if len(raw) > MAX_ADR_BYTES:
        raise AdrFormatError(f"larger than {MAX_ADR_BYTES} bytes, not read")
    if b"\x00" in raw[:8192]:
        raise AdrFormatError("binary file, not Markdown")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AdrFormatError(f"not UTF-8 (invalid byte at offset {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = _split_front_matter(text)

    tokens = _md.parse(body)
    doc = _Document(tokens, body_line)
    stem = posixpath.basename(path).rsplit(".", 1)[0]
    decision = Decision(path=path, title=stem)
    decision.text = doc.text
    decision.code_spans = doc.code_spans

    # Title and number
    title_raw = doc.h1 or _as_text(meta.get("title")) or doc.first_heading or stem
    decision.title, title_number = clean_title(title_raw)
    slug_date = _date_slug(stem)
    file_number = None if slug_date else _file_number(stem)
    decision.number = file_number if file_number is not None else title_number

    # Metadata from bullets / key lines / front matter (front matter wins)
    key_lines = doc.key_lines()
    status_lines: list[str] = []
    formats: list[str] = []
    if "status" in key_lines:
        status_lines += key_lines["status"]
        formats.append("madr-2")
    section = doc.section("status")
    if section is not None:
        status_lines += section
        formats.append("nygard")
    front = {META_KEYS[k.lower()]: v for k, v in meta.items() if isinstance(k, str) and k.lower() in META_KEYS}
    if "status" in front and front["status"] is not None:
        status_lines = [line for line in str(front["status"]).split("\n") if line.strip()]
        formats.insert(0, "madr-front-matter")
    elif meta:
        formats.insert(0, "front-matter")
    if slug_date:
        formats.append("log4brains")
    decision.format = formats[0] if formats else "markdown"

    status, relations = read_status(status_lines)
    decision.status_raw = "\n".join(status_lines) if status_lines else None
    if status is None:
        # log4brains: a record without a status is accepted
        status = "accepted" if slug_date and not status_lines else ("unknown" if not status_lines else _fallback_status(status_lines))
    decision.status = status
    decision.references += relations
    links_section = doc.section("links") or []
    for line in links_section:
        decision.references += _relation_refs(line)
    for rel_name in RELATIONS:
        for item in _as_list(front.get(rel_name)):
            decision.references.append((rel_name, item, None))

    # Date
    date_value = front.get("date")
    if date_value is None and "date" in key_lines:
        date_value = key_lines["date"][0]
    if date_value is not None:
        decision.date_raw = _as_text(date_value)
        decision.date = parse_date(date_value)
    elif slug_date:
        decision.date = slug_date

    # People and tags
    decision.deciders = _people(front.get("deciders")) or _people(_first(key_lines.get("deciders")))
    decision.consulted = _people(front.get("consulted")) or _people(_first(key_lines.get("consulted")))
    decision.informed = _people(front.get("informed")) or _people(_first(key_lines.get("informed")))
    decision.tags = _people(front.get("tags")) or _split_tags(_first(key_lines.get("tags")))

    explicit = _as_list(front.get("components")) or _as_list(_first(key_lines.get("components")))
    decision.components = [ComponentLink(name, inferred=False, score=1.0, evidence=["declared"]) for name in _dedupe(explicit)]

    decision.summary = doc.summary()

    # Rules: front matter list, then ```cairn blocks
    fm_rules = meta.get("rules")
    if fm_rules is not None:
        if not isinstance(fm_rules, list) or not all(isinstance(r, dict) for r in fm_rules):
            raise AdrFormatError("front matter 'rules' must be a list of tables")
        decision.rules += [RawRule(dict(r), f"front matter rule {i + 1}") for i, r in enumerate(fm_rules)]
    for line, content in doc.cairn_blocks:
        decision.rules.append(RawRule({"__toml__": content}, f"```cairn block at line {line}"))
    return decision


def _split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, 1-based line of the body's first line)."""
    first = text.split("\n", 1)[0].strip()
    if first != "---":
        return {}, text, 1
    parts = _FRONT_MATTER.FM_BOUNDARY.split(text, 2)
    if len(parts) < 3:
        raise AdrFormatError("front matter starts with '---' but is never closed")
    try:
        meta = _FRONT_MATTER.load(parts[1])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise AdrFormatError(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', None) or _one_line(exc)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise AdrFormatError("front matter is not a mapping of keys to values")
    body = parts[2]
    body_line = text[: len(text) - len(body)].count("\n") + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    return dict(meta), body, body_line


class _Document:
    """The parts of a Markdown token stream an ADR reader needs."""

    def __init__(self, tokens: list[Token], line_offset: int):
        self.h1: str | None = None
        self.first_heading: str | None = None
        # sections: (level, normalised title, raw title, list of "lines" (markdown source of inline blocks))
        self.sections: list[tuple[int, str, str, list[str], list[str]]] = []
        self.preamble: list[str] = []  # lines before the first section heading after the title
        self.preamble_paragraphs: list[str] = []
        self.cairn_blocks: list[tuple[int, str]] = []
        texts: list[str] = []
        self.code_spans: list[str] = []
        current: tuple[int, str, str, list[str], list[str]] | None = None
        pending_heading: int | None = None
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open":
                pending_heading = int(tok.tag[1:])
                continue
            if tok.type == "inline" and pending_heading is not None:
                title = _plain(tok)
                texts.append(title)
                if self.first_heading is None:
                    self.first_heading = title
                if pending_heading == 1 and self.h1 is None:
                    self.h1 = title
                else:
                    current = (pending_heading, title.strip().lower(), tok.content, [], [])
                    self.sections.append(current)
                pending_heading = None
                self._code(tok)
                continue
            if tok.type == "inline":
                lines = [ln.strip() for ln in tok.content.split("\n") if ln.strip()]
                target_lines = current[3] if current is not None else self.preamble
                target_lines.extend(lines)
                plain = _plain(tok)
                texts.append(plain)
                paragraph = tokens[i - 1].type == "paragraph_open" and not _in_list(tokens, i)
                if paragraph:
                    (current[4] if current is not None else self.preamble_paragraphs).append(plain)
                self._code(tok)
            elif tok.type in ("fence", "code_block"):
                info = (tok.info or "").strip().split()
                if info and info[0].lower() == "cairn":
                    self.cairn_blocks.append(((tok.map[0] if tok.map else 0) + line_offset, tok.content))
                texts.append(tok.content)
            elif tok.type == "html_block":
                continue
        self.text = "\n".join(texts)

    def _code(self, tok: Token) -> None:
        for child in tok.children or []:
            if child.type == "code_inline":
                self.code_spans.append(child.content.strip())

    def section(self, name: str) -> list[str] | None:
        """Lines of the first section titled ``name`` (or "name: value", whose value is the first line)."""
        for level, title, raw_title, lines, _ in self.sections:
            if level < 2:
                continue
            if title == name or title.rstrip(":") == name:
                return list(lines)
            if title.startswith(name + ":"):
                head = raw_title.split(":", 1)[1].strip()
                return ([head] if head else []) + list(lines)
        return None

    def key_lines(self) -> dict[str, list[str]]:
        """``Key: value`` lines (bullets, bold keys, plain lines) before the first section."""
        out: dict[str, list[str]] = {}
        for line in self.preamble:
            m = _META_LINE.match(line)
            if not m:
                continue
            key = m.group(1).lower()
            key = "deciders" if key.startswith("decision") else key
            value = re.sub(r"\s*<!--.*?-->\s*", " ", m.group(2)).strip()
            value = value.strip("*_ ").strip()
            if value:
                out.setdefault(key, []).append(value)
        return out

    def summary(self) -> str | None:
        for wanted in ("context", "decision"):
            for level, title, _, _, paragraphs in self.sections:
                if level >= 2 and wanted in title and paragraphs:
                    return _shorten(paragraphs[0])
        for paragraph in self.preamble_paragraphs:
            if not _META_LINE.match(paragraph):
                return _shorten(paragraph)
        return None


def _in_list(tokens: list[Token], index: int) -> bool:
    depth = 0
    for tok in reversed(tokens[:index]):
        if tok.type in ("list_item_close",):
            depth += 1
        elif tok.type == "list_item_open":
            if depth == 0:
                return True
            depth -= 1
        elif tok.type == "heading_open":
            return False
    return False


def _plain(tok: Token) -> str:
    """An inline token's text without markup (link texts kept, URLs dropped)."""
    parts = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()


def _inline(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """Plain text and links ``(text, href)`` of one line of Markdown."""
    tokens = _md.parseInline(markdown)
    if not tokens:
        return markdown, []
    links: list[tuple[str, str]] = []
    href: str | None = None
    buf: list[str] = []
    for child in tokens[0].children or []:
        if child.type == "link_open":
            href, buf = str(child.attrs.get("href") or ""), []
        elif child.type == "link_close":
            links.append(("".join(buf).strip(), href or ""))
            href = None
        elif child.type in ("text", "code_inline") and href is not None:
            buf.append(child.content)
    return _plain(tokens[0]), links


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


# -- field readers ----------------------------------------------------------------------


def clean_title(title: str) -> tuple[str, int | None]:
    """The title without its number prefix, and that number: "ADR-0002: Use Postgres" → ("Use Postgres", 2)."""
    title = " ".join(str(title).split())
    m = _TITLE_PREFIX.match(title)
    if m and m.end() < len(title):
        return title[m.end():].strip(), int(m.group("num"))
    m = _TITLE_WORD_PREFIX.match(title)
    if m and m.end() < len(title):
        return title[m.end():].strip(), None
    return title, None


def read_status(lines: list[str]) -> tuple[str | None, list[tuple[str, str, str | None]]]:
    """Normalised status and relation references from status lines (Markdown source)."""
    found: list[str] = []
    relations: list[tuple[str, str, str | None]] = []
    for line in lines:
        plain, links = _inline(line)
        plain = re.sub(r"^\W*status\W*:\s*", "", plain, flags=re.I).strip()
        refs = _relation_refs(line)
        if refs:
            relations += refs
            kind = refs[0][0]
            if kind == "superseded_by":
                found.append("superseded")
            elif kind == "amended_by":
                found.append("amended")
            continue
        word = status_word(plain)
        if word:
            found.append(word)
    for status in STATUS_PRIORITY:
        if status in found:
            return status, relations
    return None, relations


def status_word(text: str) -> str | None:
    """The normalised status a phrase names ("Approved" → accepted, "on hold" → proposed), or None."""
    low = " " + re.sub(r"[^a-z ]+", " ", text.lower()) + " "
    low = " ".join(low.split())
    padded = f" {low} "
    for phrase in sorted(STATUS_WORDS, key=len, reverse=True):
        if f" {phrase} " in padded:
            return STATUS_WORDS[phrase]
    return None


def _fallback_status(lines: list[str]) -> str:
    plain, _ = _inline(lines[0])
    plain = re.sub(r"^\W*status\W*:\s*", "", plain, flags=re.I)
    word = re.sub(r"[^\w\s-]", "", plain).strip().lower()
    return " ".join(word.split()[:3]) or "unknown"


def _relation_refs(line: str) -> list[tuple[str, str, str | None]]:
    plain, links = _inline(line)
    m = _RELATION_LINE.match(plain)
    if not m:
        return []
    phrase = m.group(1).lower()
    relation = next(rel for p, rel in RELATION_PHRASES if p == phrase)
    if links:
        return [(relation, text, href) for text, href in links]
    rest = m.group(2).strip().rstrip(".")
    refs = [r.strip() for r in re.split(r",|;|\band\b", rest) if r.strip()]
    return [(relation, r, None) for r in refs]


def parse_date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD) from a front-matter date, ISO text, DD/MM/YYYY or prose like "Oct 21, 2022"."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    text = re.split(r"\s+#|<!--|\(|;|,\s*(?:updated|last|revised)", text, maxsplit=1)[0].strip().strip("*_").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]).isoformat() if re.match(r"^\d{4}-\d{2}-\d{2}", text) else _loose_date(text)
    except ValueError:
        return _loose_date(text)


def _loose_date(text: str) -> str | None:
    if not re.search(r"\d", text):
        return None
    dayfirst = bool(re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$", text))
    try:
        parsed = date_parser.parse(text, dayfirst=dayfirst, fuzzy=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat()


def _date_slug(stem: str) -> str | None:
    m = _DATE_SLUG.match(stem)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _file_number(stem: str) -> int | None:
    m = _FILE_NUMBER.match(stem)
    return int(m.group(1)) if m else None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [p.strip() for p in re.split(r"[,;]", str(value)) if p.strip()]


def _people(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    else:
        plain, _ = _inline(str(value))
        items = re.split(r",|;|\s+and\s+|\s+&\s+", plain)
    out = []
    for item in items:
        name = " ".join(_inline(item)[0].split()).strip(" *_")
        if name and not (name.startswith("[") and name.endswith("]")) and not name.startswith("{"):
            out.append(name)
    return _dedupe(out)


def _split_tags(value: str | None) -> list[str]:
    return [t for t in re.split(r"[\s,]+", value or "") if t]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


# -- relations --------------------------------------------------------------------------


class _Resolver:
    def __init__(self, decisions: list[Decision]):
        self.paths = {d.path for d in decisions}
        self.by_name: dict[str, list[str]] = {}
        self.by_stem: dict[str, list[str]] = {}
        self.by_number: dict[int, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        for d in decisions:
            name = posixpath.basename(d.path)
            self.by_name.setdefault(name.lower(), []).append(d.path)
            self.by_stem.setdefault(name.rsplit(".", 1)[0].lower(), []).append(d.path)
            if d.number is not None:
                self.by_number.setdefault(d.number, []).append(d.path)
            self.by_title.setdefault(d.title.strip().lower(), []).append(d.path)

    def resolve(self, text: str, href: str | None, relative_to: str | None) -> str | None:
        folder = posixpath.dirname(relative_to) if relative_to else ""
        if href and not re.match(r"^[a-z]+:", href, re.I):
            target = href.split("#", 1)[0].split("?", 1)[0]
            if target:
                candidate = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target.lstrip("/")
                for c in (candidate, candidate + ".md"):
                    if c in self.paths:
                        return c
                name = posixpath.basename(target).lower()
                for key, table in ((name, self.by_name), (name + ".md", self.by_name), (name.rsplit(".", 1)[0], self.by_stem)):
                    found = self._pick(table.get(key, []), folder)
                    if found:
                        return found
        text = text.strip()
        if not text:
            return None
        if text in self.paths:
            return text
        low = text.lower()
        for table, key in ((self.by_name, posixpath.basename(low)), (self.by_stem, posixpath.basename(low))):
            found = self._pick(table.get(key, []), folder)
            if found:
                return found
        m = _REF_NUMBER.match(text)
        if m and not _date_slug(text):
            found = self._pick(self.by_number.get(int(m.group(1)), []), folder)
            if found:
                return found
        title, _ = clean_title(text)
        return self._pick(self.by_title.get(title.lower(), []), folder)

    @staticmethod
    def _pick(paths: list[str], folder: str) -> str | None:
        if len(paths) == 1:
            return paths[0]
        local = [p for p in paths if posixpath.dirname(p) == folder]
        return local[0] if len(local) == 1 else None


def _resolve_relations(result: DecisionSet) -> None:
    resolver = _Resolver(result.decisions)
    by_path = result.by_path()
    for d in result.decisions:
        for relation, text, href in d.references:
            target = resolver.resolve(text, href, d.path)
            if target is None:
                shown = f"[{text}]({href})" if href else text
                result.problems.append(Problem(d.path, f"'{relation.replace('_', ' ')} {shown}' names no known decision", skipped=False))
                continue
            if target == d.path:
                continue
            if target not in d.relation(relation):
                d.relation(relation).append(target)
            other = by_path[target]
            inverse = INVERSE[relation]
            if d.path not in other.relation(inverse):
                other.relation(inverse).append(d.path)
    for d in result.decisions:
        for relation in RELATIONS:
            d.relation(relation).sort()
        if d.superseded_by and d.status in ("accepted", "unknown", "proposed", "amended"):
            d.status, d.status_inferred = "superseded", True
        elif d.amended_by and d.status in ("accepted", "unknown"):
            d.status, d.status_inferred = "amended", True


# -- components -------------------------------------------------------------------------


def infer_components(decision: Decision, components: dict[str, list[str]]) -> list[ComponentLink]:
    """Components a decision's text points at, scored as described in the module docstring."""
    links = []
    text = decision.text
    low = text.lower()
    title = decision.title.lower()
    spans = [s.lower() for s in decision.code_spans]
    for name, globs in sorted(components.items()):
        weights: list[float] = []
        evidence: list[str] = []
        for prefix in _literal_prefixes(globs):
            path_hit = re.search(r"(?<![\w./-])" + re.escape(prefix.lower()) + r"/[\w.*/-]*[\w*]", low)
            dotted = prefix.replace("/", ".").lower()
            module_hit = re.search(r"(?<![\w./-])" + re.escape(dotted) + r"(?:\.[a-z_]\w*)+", low)
            if path_hit or module_hit:
                weights.append(0.9)
                evidence.append(f"mentions {(path_hit or module_hit).group(0)}")
                break
        lname = name.lower()
        if len(lname) >= 3:
            word = re.compile(r"(?<![\w./-])" + re.escape(lname) + r"(?![\w-])")
            if word.search(title):
                weights.append(0.7)
                evidence.append("named in the title")
            if any(s == lname or s.startswith(lname + ".") or s.startswith(lname + "/") for s in spans):
                weights.append(0.6)
                evidence.append(f"`{name}` in code")
            mentions = len(word.findall(low))
            if mentions:
                weights.append(min(0.3 + 0.1 * (mentions - 1), 0.5))
                evidence.append(f"named {mentions}× in the text")
        score = 1.0
        for w in weights:
            score *= 1 - w
        score = round(1 - score, 2)
        if score >= INFERENCE_THRESHOLD:
            links.append(ComponentLink(name, inferred=True, score=score, evidence=evidence))
    return links


def _literal_prefixes(globs: list[str]) -> list[str]:
    out = []
    for g in globs:
        prefix = re.split(r"[*?\[]", g, maxsplit=1)[0].strip("/")
        if prefix:
            out.append(prefix)
    return out


# -- graph ------------------------------------------------------------------------------


def decision_props(d: Decision) -> dict[str, Any]:
    return {
        "path": d.path, "number": d.number, "title": d.title, "status": d.status, "status_raw": d.status_raw,
        "status_inferred": d.status_inferred, "date": d.date, "date_raw": d.date_raw, "deciders": d.deciders,
        "consulted": d.consulted, "informed": d.informed, "tags": d.tags, "supersedes": d.supersedes,
        "superseded_by": d.superseded_by, "amends": d.amends, "amended_by": d.amended_by,
        "components": [c.name for c in d.components], "format": d.format, "summary": d.summary,
        "component_links": [{"name": c.name, "inferred": c.inferred, "score": c.score, "evidence": c.evidence} for c in d.components],
    }


def add_decisions(graph: RepoGraph, decision_set: DecisionSet) -> None:
    """Decision nodes, GOVERNS edges to components, SUPERSEDES / AMENDS edges between decisions.

    A link to a component that is not in the graph is kept on the decision
    (``components``) but gets no edge. Problems are recorded on the Repository
    node as ``decision_problems``.
    """
    nodes = {}
    for d in decision_set.decisions:
        nodes[d.path] = graph.add_node(Label.DECISION, d.path, **decision_props(d))
    for d in decision_set.decisions:
        for link in d.components:
            comp = graph.node(Label.COMPONENT, link.name)
            if comp is not None:
                graph.add_edge(Rel.GOVERNS, nodes[d.path], comp, inferred=link.inferred, score=link.score)
        for target in d.supersedes:
            graph.add_edge(Rel.SUPERSEDES, nodes[d.path], nodes[target])
        for target in d.amends:
            graph.add_edge(Rel.AMENDS, nodes[d.path], nodes[target])
    repo = graph.repository
    if repo is not None:
        repo.props["decision_problems"] = [p.to_dict() for p in decision_set.problems]
        repo.props["adr_folders"] = list(decision_set.folders)
