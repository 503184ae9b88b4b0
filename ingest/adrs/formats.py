"""One ADR file's bytes to a ``Decision``: every common format, read from its structure.

Formats read, all from the Markdown structure (``markdown``) and the YAML
front matter, or from the reStructuredText structure (``restructured``: Open
edX's OEP-19 records, a ``Status`` section or a ``:Status:`` field), never by
pattern-matching the whole file:

* Nygard / adr-tools: ``# 2. Title``, a ``Date:`` line, a ``## Status`` section
  whose lines are a status and link lines such as
  ``Superseded by [3. Title](0003-title.md)`` (adr-tools' own spellings
  "Superceded by" / "Supercedes" too) or ``Amends [1. …](…)``;
* MADR 2 and log4brains: ``* Status:`` / ``- Deciders:`` / ``* Date:`` bullets
  between the title and the first section (bold ``**Status:**`` lines too);
  log4brains' ``YYYYMMDD-slug.md`` names, where a missing status means accepted
  (unless the folder says otherwise): a dated record was merged into a log of
  decisions once decided, as OpenTofu's ``rfc/README.md`` says of its RFCs
  ("discussed, reviewed, and accepted") and Vector's of its (merged once three
  team members approve); ``status_raw`` stays empty, the status stated by none;
  and the other dated names so read:
  cert-manager's ``YYYYMMDD.slug.md``, Vector's ``YYYY-MM-DD-ISSUE-slug.md``
  (numbered by the issue; a date at the title's start is not part of it);
* Cosmos / Tendermint (cosmos-sdk, ibc-go, cometbft): a ``## Changelog``
  section of dated entries, the earliest of which dates the record;
* a project's numbered proposals (``PREFIX-NNN``: scrapy's SEPs, conda's CEPs,
  NetworkX's NXEPs, PEPs): their fields in a table or field list before the
  first section (``Status``, ``Created``; ``Obsoletes`` / ``Superseded-By`` /
  ``Replaces`` naming the records they relate to, and a status "Obsoleted by
  :ref:`sep-008`" is a supersession as "Superseded by" is); the number is the
  file's (scrapy's ``sep-002.rst`` says "SEP 3" in its table), the title the
  heading's without the series' label ("SEP-008 - Item Loaders": the heading
  names what was built, the table's ``Title`` what was first proposed, "Item
  Parsers"), or the ``Title`` field when the heading does not carry the label
  (a PEP's fields have no heading above them, its first section is "Abstract");
* MADR 3 / 4: front matter ``status``, ``date``, ``deciders`` /
  ``decision-makers``, ``consulted``, ``informed``; Cairn's own optional keys
  ``components``, ``supersedes``, ``superseded-by``, ``amends``, ``amended-by``
  and ``rules`` (see ``ingest.rules``).

A sentence about the record itself that links the record it relates to states a relation too ("This RFC has
been superseded by [X](x.md)": ``fields.relations_in_prose``); a relation only to a record found is kept, and it
supersedes the record's status as one in a status line does (``relations``).

A record kept in a folder of retired records (``historic-adrs``, ``deprecated``,
``archive`` …) is deprecated unless it says it was superseded or rejected; one
in a folder of proposals (``proposed-adrs``, ``drafts``) that states no status
is proposed. How each field is normalised is ``fields``' business. A file that cannot be read as an ADR (too large, binary, not UTF-8,
unterminated front matter, a front matter refused or not a mapping) raises ``AdrFormatError``; one whose front
matter is not valid YAML is read with only that front matter's plain ``key: value`` lines, with a note
(``Decision.notes``).
"""

from __future__ import annotations

import posixpath
from typing import Any

import re

import yaml

from cairn.ingest.adrs.fields import (
    as_list, as_text, changelog_date, clean_title, date_slug, dated_number, dedupe, fallback_status, file_number, first_of, lists_statuses,
    one_line, parse_date, people_list, read_status, relation_fields, relation_refs, relations_in_prose, split_tags,
    status_of_folder,
)
from cairn.ingest.adrs.discovery import RECORD_PAGES, is_record_folder, proposal_name
from cairn.ingest.adrs.markdown import Document, commonmark
from cairn.ingest.adrs.records import MAX_ADR_BYTES, RELATIONS, RST_EXTENSIONS, AdrFormatError, ComponentLink, Decision, RawRule
from cairn.ingest.untrusted_yaml import UnsafeYaml, load_yaml

META_KEYS = {
    "status": "status", "date": "date", "deciders": "deciders", "decision-makers": "deciders",
    "decision makers": "deciders", "decision_makers": "deciders", "decision-maker": "deciders",
    "consulted": "consulted", "informed": "informed", "tags": "tags", "components": "components",
    "supersedes": "supersedes", "superseded-by": "superseded_by", "superseded_by": "superseded_by",
    "superseded by": "superseded_by", "amends": "amends", "amended-by": "amended_by", "amended_by": "amended_by",
    "amended by": "amended_by", "title": "title", "rules": "rules",
    # Kubernetes' KEP front matter, which Argo CD's proposals use: when it was written, who approves it
    "creation-date": "date", "creation_date": "date", "creation date": "date", "created": "date",
    "approvers": "deciders",
}


#: A front matter boundary: a line of three or more dashes (Jekyll's, python-frontmatter's).
_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)


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
    rst = path.lower().endswith(RST_EXTENSIONS)
    if rst:
        from cairn.ingest.adrs.restructured import RstDocument  # docutils: only for a repository with such records

        meta: dict[str, Any] = {}
        doc: Document = RstDocument(text)
        note = None
    else:
        meta, body, body_line, note = split_front_matter(text)
        doc = Document(commonmark().parse(body), body_line)
    stem = posixpath.basename(path).rsplit(".", 1)[0]
    if stem.lower() in RECORD_PAGES and is_record_folder(posixpath.basename(posixpath.dirname(path))):
        stem = posixpath.basename(posixpath.dirname(path))  # a record that is a folder: named and numbered by it
    decision = Decision(path=path, title=stem)
    if note:
        decision.notes.append(note)
    decision.text = doc.text
    decision.code_spans = doc.code_spans
    decision.linked_paths = linked_paths(path, doc.link_targets)

    # Title and number
    # a front matter's title is the record's (Thanos' proposals have no heading of their own above an "# Alternatives")
    proposal = proposal_name(stem)
    heading = doc.h1 or doc.first_heading
    if proposal is not None and not (heading and _proposal_label(proposal).match(heading)):
        heading = _field(doc.field_lines(), "title") or heading  # (a PEP's fields have no heading above them)
    title_raw = _front_title(as_text(meta.get("title")), doc.h1) or heading or stem
    if proposal is not None and (label := _proposal_label(proposal).match(title_raw)) and label.end() < len(title_raw):
        title_raw = title_raw[label.end():]
    decision.title, title_number = clean_title(title_raw)
    if _PLACEHOLDER_TITLE.fullmatch(decision.title) and title_raw != stem:
        decision.title = _title_of_name(stem)
    slug_date = date_slug(stem)
    number_in_name = dated_number(stem) if slug_date else proposal[1] if proposal else file_number(stem)
    decision.number = number_in_name if number_in_name is not None else title_number

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
    decision.format = "restructuredtext" if rst else formats[0] if formats else "markdown"

    status_lines = [line for line in status_lines if not lists_statuses(line)]
    status, relations = read_status(status_lines)
    decision.status_raw = "\n".join(status_lines) if status_lines else None
    if status is None:
        status = "unknown" if not status_lines else fallback_status(status_lines)
    status = status_of_folder(path, status)
    if status == "unknown" and slug_date and not status_lines:
        # log4brains: a record without a status is accepted (Vector's dated RFCs too: merged once approved), unless
        # its folder says otherwise (argo-cd's proposals/2022-07-13-appset-progressive-rollout-strategy.md)
        status = "accepted"
    decision.status = status
    decision.references += relations
    decision.references += relation_fields(doc.field_lines())  # (``Obsoletes: :doc:`sep-001```, a field of its own)
    links_section = doc.section("links") or []
    for line in links_section:
        decision.references += relation_refs(line)
    stated = set(decision.references)
    for paragraph in doc.relation_paragraphs:  # ("This RFC has been superseded by [X](x.md)")
        for ref in relations_in_prose(paragraph):
            if ref not in stated:
                stated.add(ref)
                decision.references.append(ref)
    for rel_name in RELATIONS:
        for item in as_list(front.get(rel_name)):
            decision.references.append((rel_name, item, None))

    # Date
    date_value = front.get("date")
    if date_value is None and "date" in key_lines:
        date_value = key_lines["date"][0]
    if date_value is not None:
        decision.date_raw = as_text(date_value)
        decision.date = parse_date(date_value)
    elif slug_date:
        decision.date = slug_date
    else:
        changelog = doc.section("changelog") or doc.section("change log")
        if changelog:
            decision.date = changelog_date(changelog)

    # People and tags
    decision.deciders = people_list(front.get("deciders")) or people_list(first_of(key_lines.get("deciders")))
    decision.consulted = people_list(front.get("consulted")) or people_list(first_of(key_lines.get("consulted")))
    decision.informed = people_list(front.get("informed")) or people_list(first_of(key_lines.get("informed")))
    decision.tags = people_list(front.get("tags")) or split_tags(first_of(key_lines.get("tags")))

    explicit = as_list(front.get("components")) or as_list(first_of(key_lines.get("components")))
    decision.components = [ComponentLink(name, inferred=False, score=1.0, evidence=["declared"]) for name in dedupe(explicit)]

    decision.summary = doc.summary()

    # Rules: front matter list, then ```cairn blocks
    fm_rules = meta.get("rules")
    if fm_rules is not None:
        if not isinstance(fm_rules, list) or not all(isinstance(r, dict) for r in fm_rules):
            raise AdrFormatError("front matter 'rules' must be a list of tables")
        decision.rules += [RawRule(dict(r), f"front matter rule {i + 1}") for i, r in enumerate(fm_rules)]
    for line, content in doc.cairn_blocks:
        decision.rules.append(RawRule({"__toml__": content}, f"{'.. code-block:: cairn' if rst else '```cairn block'} at line {line}"))
    return decision


#: A template's title left in (React Router's ``0015-observability.md`` is headed "# Title"): the file's name says more.
#: The KEP template's "# Neat Enhancement Idea", left so in four of argo-cd's proposals.
_PLACEHOLDER_TITLE = re.compile(r"\W*(?:(?:(?:adr|decision|record|rfc)\s+)?(?:short\s+)?title(?:\s+of\s+(?:the\s+)?"
                                r"(?:adr|decision|record|rfc))?|neat[-\s]enhancement[-\s]idea)\W*", re.I)


def _proposal_label(proposal: tuple[str, int]) -> re.Pattern[str]:
    """The label a proposal's heading opens with, its series and number, and what parts it from the title:
    "SEP-001 - ", "SEP-012: ", "NXEP 2 — ", "PEP 8 -- "."""
    series, number = proposal
    return re.compile(rf"\s*{re.escape(series)}\s*[-_#]?\s*0*{number}(?!\d)\s*(?:[.:)\-–—]+\s*|\s+|$)", re.I)


def _field(lines: list[str], key: str) -> str | None:
    """The value of the first ``Key: value`` line among ``lines`` whose key is ``key``."""
    for line in lines:
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == key and value.strip():
            return value.strip()
    return None


def _title_of_name(stem: str) -> str:
    """A title made of a record's file name: ``0015-observability`` → "Observability"."""
    words = " ".join(re.split(r"[-_\s]+", re.sub(r"^(?:adr|rfc|kep)?[-_ ]?\d{1,6}(?=$|[-_. ])", "", stem, flags=re.I))).strip()
    return words[:1].upper() + words[1:] if words else stem


def _front_title(title: str | None, heading: str | None) -> str | None:
    """The front matter's title, unless it is a slug and the record has a heading: a template's placeholder left in
    (Argo CD's proposals keep the KEP template's ``title: Neat-enhancement-idea`` above "# Multiple Sources for
    application")."""
    if title and heading and not any(ch.isspace() for ch in title.strip()) and "-" in title:
        return None
    return title


def linked_paths(record: str, targets: list[str]) -> list[str]:
    """The repository paths among the link ``targets`` of the record at ``record``: relative links resolved from its
    folder (``../../internal/storage/x.go`` from docs/adr/ is ``internal/storage/x.go``), without their ``#anchor``
    or ``?query``; URLs, anchors alone, files at the top and links that leave the repository are not paths."""
    out = []
    folder = posixpath.dirname(record)
    for target in targets:
        target = target.split("#", 1)[0].split("?", 1)[0].strip()
        if not target or ":" in target or target.startswith("/"):  # (a URL, mailto:, a site-absolute link)
            continue
        resolved = posixpath.normpath(posixpath.join(folder, target))
        if "/" in resolved and not resolved.startswith("../"):  # (a file at the top is in no component's folder)
            out.append(resolved)
    return list(dict.fromkeys(out))


#: A front matter's key on a line of its own (``status``, ``creation-date``), and what may not begin a plain value.
_PLAIN_KEY = re.compile(r"[A-Za-z][\w -]*")
_NOT_PLAIN = frozenset("[{|>&*!'\"#@%`-")


def _plain_keys(front: str) -> dict[str, str]:
    """The record's keys (``META_KEYS``) a front matter that is not valid YAML gives on lines of their own, each
    value as plain text: what of cert-manager's KEP-style front matter (``status: implementable``,
    ``creation-date: 2022-01-18``) is still clear when its reviewers' list is not YAML. Read line by line, split at
    the first ``": "``, so an untrusted line costs its length (a pattern over the whole line backtracked: a
    megabyte of spaces took minutes)."""
    found: dict[str, str] = {}
    for line in front.splitlines():
        key, colon, after = line.partition(":")
        key, value = key.rstrip(), after.split("#", 1)[0].strip()
        if not colon or not after[:1].isspace() or not value or value[0] in _NOT_PLAIN:
            continue
        if key.lower() in META_KEYS and _PLAIN_KEY.fullmatch(key):
            found[key] = value
    return found


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int, str | None]:
    """(metadata, body, 1-based line of the body's first line, a note on what was passed over). A front matter that
    is not valid YAML is passed over, the record read without it (cert-manager's KEP-style designs list reviewers as
    ``- @jetstack/team-cert-manager``) but for its plain ``key: value`` lines; one that is refused (``untrusted_yaml``) or is not a mapping is an error."""
    first = text.split("\n", 1)[0].strip()
    if first != "---":
        return {}, text, 1, None
    parts = _BOUNDARY.split(text, 2)
    if len(parts) < 3:
        raise AdrFormatError("front matter starts with '---' but is never closed")
    body = parts[2]
    body_line = text[: len(text) - len(body)].count("\n") + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    try:
        meta = load_yaml(parts[1])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""  # (the text after the first "---")
        what = "refused" if isinstance(exc, UnsafeYaml) else "is not valid YAML"
        message = f"front matter {what}{where}: {getattr(exc, 'problem', None) or one_line(exc)}"
        if isinstance(exc, UnsafeYaml):
            raise AdrFormatError(message) from None
        return _plain_keys(parts[1]), body, body_line, message + "; only its plain 'key: value' lines read"
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise AdrFormatError("front matter is not a mapping of keys to values")
    return dict(meta), body, body_line, None

