"""Reading one field of a decision: title and number, status and relation lines, dates, people, lists.

Status is normalised to one of ``proposed``, ``pending``, ``on hold``,
``accepted``, ``rejected``, ``deprecated``, ``superseded``, ``amended``
(still in force, changed by a later decision) or ``unknown``; an unrecognised
word is kept lowercased. When several status lines disagree, the later
lifecycle state wins (superseded > deprecated > rejected > amended > accepted
> on hold > pending > proposed), so "Accepted" followed by "Superseded by …"
reads as superseded; so does one line naming several ("Rejected / Not Implemented"
is rejected), a negated phrase naming none and "superseded" after another subject
than the record naming a part superseded (amended). A line naming three statuses
or more as alternatives or quoted is a template's choices left in, no status. Relation lines (``Superseded by [3. Title](0003-title.md)``,
adr-tools' "Superceded by", ``Amends …``) give references that ``relations``
resolves, and so does a sentence about the record that links another after its
verb anywhere in the text ("This RFC has been superseded by [X](x.md)":
``relations_in_prose``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable

from cairn.ingest.adrs.markdown import split_inline
from cairn.ingest.lazy_pattern import LazyPattern


# Normalised statuses, from the latest lifecycle state to the earliest: when a
# record carries several status lines the first of these found wins.
STATUS_PRIORITY = ("superseded", "deprecated", "rejected", "amended", "accepted", "on hold", "pending", "proposed")
# Phrases mapped to a status, checked longest first so "partly superseded" is not "superseded".
STATUS_WORDS: dict[str, str] = {
    "partly superseded": "amended", "partially superseded": "amended", "superseded": "superseded",
    "superceded": "superseded", "replaced": "superseded", "deprecated": "deprecated", "reverted": "deprecated",
    "withdrawn": "deprecated", "obsolete": "deprecated", "archived": "deprecated", "discarded": "deprecated", "defunct": "deprecated", "retired": "deprecated", "abandoned": "deprecated",
    "rejected": "rejected", "declined": "rejected", "refused": "rejected", "amended": "amended",
    "accepted": "accepted", "approved": "accepted", "adopted": "accepted", "agreed": "accepted",
    "decided": "accepted", "decided not to": "rejected", "decided against": "rejected", "implemented": "accepted", "done": "accepted", "active": "accepted", "final": "accepted",
    "complete": "accepted", "completed": "accepted",  # (Thanos' proposals, done and in force)
    "proposed": "proposed", "proposal": "proposed", "draft": "proposed", "pending": "pending",
    "planned": "proposed", "on hold": "on hold", "under review": "proposed", "in review": "proposed", "review": "proposed",
    "under discussion": "proposed", "in discussion": "proposed", "in progress": "proposed", "wip": "proposed",
    "rfc": "proposed", "suggested": "proposed", "open": "proposed", "speculative": "proposed",
    # Kubernetes' KEP lifecycle, which flux2's RFCs use too: approved for implementation, or not yet
    "implementable": "accepted", "provisional": "proposed", "deferred": "on hold",
}
# Relation phrases at the start of a status or link line: (phrase, relation of this record to the target).
RELATION_PHRASES = (
    ("partly superseded by", "amended_by"), ("partially superseded by", "amended_by"),
    ("superseded by", "superseded_by"), ("superceded by", "superseded_by"), ("replaced by", "superseded_by"),
    ("supersedes", "supersedes"), ("supercedes", "supersedes"), ("replaces", "supersedes"),
    ("amended by", "amended_by"), ("amends", "amends"),
    # a proposal series' words (scrapy's SEPs: "Obsoleted by :ref:`sep-008`", "Obsoletes :doc:`sep-001`", and once
    # "Obsolete by")
    ("obsoleted by", "superseded_by"), ("obsolete by", "superseded_by"), ("obsoletes", "supersedes"),
)
_RELATION_PHRASE_KEYS = frozenset(phrase for phrase, _ in RELATION_PHRASES)
_RELATION_LINE = LazyPattern(r"^\W{0,3}(" + "|".join(re.escape(p) for p, _ in RELATION_PHRASES) + r")\b\s*:?\s*(.*)$", re.I)
_TITLE_PREFIX = LazyPattern(
    r"^\s*\[?\s*(?:(?:architecture\s+decision\s+record|adr|decision\s+record|rfc|kep)\s*[-_#:]?\s*)?"
    r"(?P<num>\d+)(?:\s*\]?\s*[.:)\-–—]+\s*|\s*\]\s*|\s+)",
    re.I,
)
#: A label before a title: "ADR: …", "RFC - Separate Structural Validation…", "Design: Per-Certificate Secret Owner
#: Reference", "Proposal: Scarf.sh integration" (cert-manager's).
_TITLE_WORD_PREFIX = LazyPattern(r"^\s*(?:(?:architecture\s+decision\s+record|adr|rfc|kep)\s*[:\-–—]"
                                 r"|(?:design|proposal)\s*:)\s*", re.I)
#: A date at the start of a title, alone or after the number: Vector's "# RFC 1999 - 2020-03-06 - API extensions for
#: `lua` transform", "# RFC 2023-05-02 - Data Volume Insights metrics" (a date, not RFC 2023).
_TITLE_DATE = LazyPattern(r"^\s*(?:(?:rfc|adr|kep)\s*[-#:]?\s*)?(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s*[-–—:]\s*|\s+)", re.I)
#: A number a title gives with its label (``RFC 3645``, ``ADR-12``), after another number.
_LABELLED_NUMBER = LazyPattern(r"(?:adr|rfc|kep)\s*[-_#:]?\s*\d", re.I)
_FILE_NUMBER = LazyPattern(r"^(?:adr|rfc)?[-_ ]?(\d{1,6})(?=$|[-_. ])", re.I)
#: The date a record's name starts with: log4brains' ``20200924-slug``, cert-manager's ``20240518.slug``, Vector's
#: ``2020-03-06-1999-slug`` (its issue's number after it) and ``2022-11-2-14714-slug``.
_DATE_SLUG = LazyPattern(r"^(\d{4})(?:(\d{2})(\d{2})|-(\d{2})-(\d{1,2}))(?=$|[-_.])(?:[-_.](?P<number>\d{2,6})(?=$|[-_.]))?")
#: A year and month before the slug (Thanos' ``202012-receive-split.md``, Tempo's ``2023-05 vParquet3.md``): when the
#: record was written, no number.
_MONTH_SLUG = LazyPattern(r"^(?:19|20)\d{2}[-_.]?(?:0[1-9]|1[0-2])(?=$|[-_. ])")
REF_NUMBER = LazyPattern(r"^\W*(?:adr|decision|record)?\s*[-_#]?\s*0*(\d+)(?=$|[^\d])", re.I)


def clean_title(title: str) -> tuple[str, int | None]:
    """The title without its number prefix, and that number: "ADR-0002: Use Postgres" → ("Use Postgres", 2)."""
    title = " ".join(str(title).split())
    m = _TITLE_DATE.match(title)
    if m and m.end() < len(title):
        return title[m.end():].strip(), None
    m = _TITLE_PREFIX.match(title)
    if m and m.end() < len(title):
        rest = title[m.end():].strip()
        if _LABELLED_NUMBER.match(rest):  # (Vector's "# 1. RFC 3645 - 2020-08-31 - GraphQL API": the list's number)
            return clean_title(rest)
        dated = _TITLE_DATE.match(rest)
        return (rest[dated.end():].strip() if dated and dated.end() < len(rest) else rest), int(m.group("num"))
    m = _TITLE_WORD_PREFIX.match(title)
    if m and m.end() < len(title):
        return title[m.end():].strip(), None
    return title, None


def read_status(lines: list[str]) -> tuple[str | None, list[tuple[str, str, str | None]]]:
    """Normalised status and relation references from status lines (Markdown source)."""
    found: list[str] = []
    relations: list[tuple[str, str, str | None]] = []
    for line in lines:
        plain, links = split_inline(line)
        plain = re.sub(r"^\W*status\W*:\s*", "", plain, flags=re.I).strip()
        refs = relation_refs(line)
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


def lists_statuses(line: str) -> bool:
    """Whether a status line is a template's list of the statuses to choose from or its guidance, not a status: it
    names three or more, as alternatives or quoted (``{Deprecated|Proposed|Accepted}``, "A decision may be "proposed" …
    or "superseded"": cometbft's and Hermes' records left so)."""
    return any(mark in line for mark in '|{"“') and len(_statuses_named(line)) >= 3


def status_word(text: str) -> str | None:
    """The normalised status a phrase names ("Approved" → accepted, "draft" → proposed), or None. Of several it names,
    the latest lifecycle state (``STATUS_PRIORITY``: "Rejected / Not Implemented" is rejected). A phrase is matched
    longest first ("partly superseded" is not "superseded" too); a negated one ("not implemented", "not accepted")
    names no status; "superseded" after a subject other than the record in its clause says a part was ("Implemented —
    the §5 tool-routing decision is superseded by RFC 0008": amended, Jaeger's)."""
    found = _statuses_named(text)
    return next((status for status in STATUS_PRIORITY if status in found), None)


def _statuses_named(text: str) -> set[str]:
    found = set()
    for clause in _CLAUSE_BREAK.split(text.lower()):
        padded = f" {' '.join(re.sub(r'[^a-z ]+', ' ', clause).split())} "
        for phrase in _PHRASES_LONGEST_FIRST:
            while (at := padded.find(f" {phrase} ")) >= 0:
                before = padded[:at + 1]
                status = STATUS_WORDS[phrase]
                if status == "superseded" and not _THE_RECORD.fullmatch(before.strip()):
                    status = "amended"
                if not before.endswith(_NEGATIONS):
                    found.add(status)
                padded = before + padded[at + len(phrase) + 1:]  # (its words match no shorter phrase)
    return found


_PHRASES_LONGEST_FIRST = sorted(STATUS_WORDS, key=len, reverse=True)
#: The words before a phrase that deny it: "Not Implemented", "not yet accepted".
_NEGATIONS = (" not ", " not yet ", " never ")
#: Where a status line's clauses part: "Implemented. Superseded by ADR-013", "Implemented — graduated into ADR-002;
#: tool routing superseded by RFC 0008".
_CLAUSE_BREAK = LazyPattern(r"[.;:,()/\[\]—–]|\s-\s")
#: What may stand before "superseded" when the whole record is: "This ADR was superseded", "it has since been …".
_THE_RECORD = LazyPattern(r"(?:(?:this|the)\s+(?:adr|record|decision|rfc|proposal|document|design|lid|kep)|it)?\s*"
                          r"(?:is|was|has|had|got)?\s*(?:since|now|later|then|also|fully|entirely|completely)?\s*"
                          r"(?:been)?\s*(?:since|now|later|fully|entirely|completely)?")


def fallback_status(lines: list[str]) -> str:
    plain, _ = split_inline(lines[0])
    plain = re.sub(r"^\W*status\W*:\s*", "", plain, flags=re.I)
    word = re.sub(r"[^\w\s-]", "", plain).strip().lower()
    return " ".join(word.split()[:3]) or "unknown"


#: A field naming records a proposal relates to (``Obsoletes: …``; a PEP's ``Superseded-By: 3000``, ``Replaces: 246``).
_RELATION_FIELD = LazyPattern(r"^(?P<key>[A-Za-z][A-Za-z _-]{4,20}?)\s*:\s*(?P<value>\S.*)$")


def relation_fields(lines: list[str]) -> list[tuple[str, str, str | None]]:
    """The references of the fields among a record's field lines (Markdown source, ``Key: value``) whose key is a
    relation's phrase (``Obsoletes: [sep-001](sep-001), [sep-002](sep-002)``, ``Superseded-By: 3000``); a line of prose
    that begins so ("Supersedes the decision …") is no field."""
    found = []
    for line in lines:
        m = _RELATION_FIELD.match(line)
        if m and " ".join(re.split(r"[-_ ]+", m.group("key").lower())) in _RELATION_PHRASE_KEYS:
            found += relation_refs(f"{m.group('key').replace('-', ' ').replace('_', ' ')} {m.group('value')}")
    return found


def relation_refs(line: str) -> list[tuple[str, str, str | None]]:
    plain, links = split_inline(line)
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


#: Words that name the record itself after "this" ("This RFC has been superseded by …"), and the second word of the
#: two-word names ("this design document", "this decision record").
_THIS_RECORD = frozenset({"rfc", "adr", "record", "decision", "proposal", "document", "doc", "design", "lid", "kep"})
#: Words that may stand between the record and its verb: "has since been", "was later", "is now partly".
_AUXILIARIES = frozenset({"is", "was", "has", "have", "had", "been", "now", "since", "later", "then", "also", "hereby",
                          "fully", "entirely", "completely", "partly", "partially"})
#: The verbs (lower-case) a record relates itself to another with: (with "by" after them, without).
_RELATION_VERBS = {
    "superseded": ("superseded_by", "supersedes"), "superceded": ("superseded_by", "supersedes"),
    "replaced": ("superseded_by", "supersedes"), "supersedes": (None, "supersedes"),
    "supercedes": (None, "supersedes"), "replaces": (None, "supersedes"),
    "amended": ("amended_by", "amends"), "amends": (None, "amends"),
}
_PROSE_TOKEN = LazyPattern(r"[a-z]+|\S")


def relations_in_prose(markdown: str) -> list[tuple[str, str, str | None]]:
    """The relations a paragraph (Markdown source) states in a sentence whose subject is the record itself, to the
    records it links right after the verb: "This RFC has been superseded by [20260807-….md](…)" (OpenTofu's, under a
    ``> [!IMPORTANT]`` callout), "This RFC was later superseded by [Linter Policy](…)", "This RFC has superseded
    [….md](…)", "This ADR supersedes [ADR 3](…) and [ADR 4](…)"; "partly superseded by" is amended_by. Not a
    sentence about something else ("It supersedes the tool-routing decision recorded in [RFC 0002 §5](…)", "the
    snapshot … is superseded"), nor one that links no record right after the verb ("This ADR supersedes the
    decisions made in ADRs 60 and 61"). Read word by word, one pass."""
    from cairn.ingest.adrs.markdown import commonmark

    tokens: list[str | tuple[str, str]] = []  # words and punctuation (lower-case); a link as (its text, its target)
    inline = commonmark().parseInline(markdown)
    link: list[str] | None = None
    href = ""
    for child in (inline[0].children or []) if inline else ():
        if child.type == "link_open":
            link, href = [], str(child.attrs.get("href") or "")
        elif child.type == "link_close" and link is not None:
            tokens.append(("".join(link).strip(), href))
            link = None
        elif link is not None:
            link.append(child.content if child.type in ("text", "code_inline") else "")
        elif child.type == "text":
            tokens += _PROSE_TOKEN.findall(child.content.lower())
        elif child.type not in ("softbreak", "hardbreak"):
            tokens.append("`")  # (code, an image, markup: no word of the sentence)
    found: list[tuple[str, str, str | None]] = []
    for at, token in enumerate(tokens):
        if token != "this" or at + 1 >= len(tokens) or tokens[at + 1] not in _THIS_RECORD:
            continue
        i = at + 2
        if i < len(tokens) and tokens[i] in _THIS_RECORD:
            i += 1  # ("this design document")
        words: list[str] = []
        while i < len(tokens) and tokens[i] in _AUXILIARIES:
            words.append(tokens[i])  # type: ignore[arg-type]
            i += 1
        verb = tokens[i] if i < len(tokens) and isinstance(tokens[i], str) else None
        if verb not in _RELATION_VERBS:
            continue
        passive, active = _RELATION_VERBS[verb]
        i += 1
        if i < len(tokens) and tokens[i] == "by":
            relation = passive
            i += 1
        elif not {"is", "was", "been"} & set(words):
            relation = active
        else:
            continue
        if relation == "superseded_by" and {"partly", "partially"} & set(words):
            relation = "amended_by"
        if relation is None:
            continue
        if i < len(tokens) and tokens[i] == ":":
            i += 1
        while i < len(tokens) and isinstance(tokens[i], tuple):
            text, target = tokens[i]  # type: ignore[misc]
            found.append((relation, text, target))
            i += 1
            if i + 1 < len(tokens) and tokens[i] == "," and isinstance(tokens[i + 1], tuple):
                i += 1
            elif i + 1 < len(tokens) and tokens[i] in ("and", "or") and isinstance(tokens[i + 1], tuple):
                i += 1
            elif i + 2 < len(tokens) and tokens[i] == "," and tokens[i + 1] == "and" and isinstance(tokens[i + 2], tuple):
                i += 2
    return found


def parse_date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD) from a front-matter date, ISO text, DD/MM/YYYY or prose like "Oct 21, 2022"."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    # (a "#" after a space, matched without consuming the spaces: "\s+#" backtracked over every run of them)
    text = re.split(r"(?<=\s)#|<!--|\(|;|,\s*(?:updated|last|revised)", text, maxsplit=1)[0].strip().strip("*_").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]).isoformat() if re.match(r"^\d{4}-\d{2}-\d{2}", text) else _loose_date(text)
    except ValueError:
        return _loose_date(text)


#: A changelog entry's date, before what changed: ``2024-04-12: Initial notes``, ``*2018-07-12* Initial version``,
#: ``13-01-2020:``, ``02.04.20:``, ``01-Mar-2022:``, ``April 30 2024:``, ``Nov 2nd, 2018``.
_CHANGELOG_DATE = LazyPattern(
    r"^[\s*_#]*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}[- ][A-Za-z]{3,9}\.?[- ]\d{4}"
    r"|[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})(?![\w-])")
#: A date with dashes, ``13-01-2020``: day first, as ``parse_date`` reads ``13/01/2020`` and ``13.01.2020`` (cometbft's
#: ``03-11-2018`` is 3 November), unless one of the changelog's such dates can only be month first (``01-13-2020``).
_DAY_FIRST_DASHED = LazyPattern(r"^(\d{1,2})-(\d{1,2})-(\d{2,4})$")


def changelog_date(lines: list[str]) -> str | None:
    """The earliest date among a changelog section's entries (the Cosmos and Tendermint records' ``## Changelog``:
    ``- 2024-04-12: Initial notes (@hvanz)``): when the record was first written. Entries whose start is no date are
    passed over; so is a date before 1990 or past next year."""
    dates = [(m.group(1), _DAY_FIRST_DASHED.match(m.group(1))) for m in map(_CHANGELOG_DATE.match, lines) if m]
    day_first = not any(int(dashed.group(2)) > 12 for _, dashed in dates if dashed)
    parsed = []
    for text, dashed in dates:
        if dashed and day_first:
            text = f"{dashed.group(1)}.{dashed.group(2)}.{dashed.group(3)}"
        value = parse_date(text)
        if value is not None and 1990 <= int(value[:4]) <= date.today().year + 1:
            parsed.append(value)
    return min(parsed, default=None)


#: A folder whose records no longer guide the code, by its name: ``historic-adrs`` (dotcom-rendering moves its
#: retired records there), ``deprecated``, ``superseded``, ``archive``, ``obsolete``, ``retired``.
_RETIRED_FOLDER = LazyPattern(r"(?:historic(?:al)?|deprecated|superseded|archived?|obsolete|retired|defunct)(?:[-_ ].*)?", re.I)
#: A folder of records not decided yet: ``proposed-adrs``, ``proposals``, ``drafts``.
_PROPOSED_FOLDER = LazyPattern(r"(?:proposed|proposals?|drafts?)(?:[-_ ].*)?", re.I)
#: A folder of proposals decided, by its last word: Thanos' ``proposals-accepted`` and ``proposals-done``, and
#: ``proposals-rejected``.
_DECIDED_FOLDER = LazyPattern(r"(?:[\w.]+[-_ ])?(?P<word>accepted|done|implemented|rejected|declined)", re.I)
_DECIDED = {"accepted": "accepted", "done": "accepted", "implemented": "accepted", "rejected": "rejected",
            "declined": "rejected"}


def status_of_folder(path: str, status: str) -> str:
    """A record's status as its folder says it: in a folder of retired records, a record that does not say it was
    superseded, rejected or deprecated is deprecated (dotcom-rendering's historic-adrs); in a folder of proposals
    decided (``proposals-accepted``, ``proposals-done``, ``proposals-rejected``), a record that states no status is
    accepted or rejected as its name says; in another folder of proposals, proposed. Elsewhere, ``status``."""
    folder = path.rpartition("/")[0].rpartition("/")[2]
    if _RETIRED_FOLDER.fullmatch(folder):
        from cairn.graph.decisions import is_retired

        return status if is_retired(status) else "deprecated"
    decided = _DECIDED_FOLDER.fullmatch(folder) if status == "unknown" else None
    if decided is not None:
        return _DECIDED[decided.group("word").lower()]
    if status == "unknown" and _PROPOSED_FOLDER.fullmatch(folder):
        return "proposed"
    return status


def _loose_date(text: str) -> str | None:
    if not re.search(r"\d", text):
        return None
    dayfirst = bool(re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$", text))
    from dateutil import parser as date_parser  # here: the check for changes imports this module, parses no date

    try:
        parsed = date_parser.parse(text, dayfirst=dayfirst, fuzzy=True, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat()


def date_slug(stem: str) -> str | None:
    """The date a record's name starts with (``20200924-slug``, ``20240518.slug``, ``2020-03-06-1999-slug``), or None."""
    m = _DATE_SLUG.match(stem)
    if not m:
        return None
    month, day = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
    try:
        return date(int(m.group(1)), int(month), int(day)).isoformat()
    except ValueError:
        return None


def dated_number(stem: str) -> int | None:
    """The number after the date a record's name starts with: the issue of Vector's ``2020-03-06-1999-slug``."""
    m = _DATE_SLUG.match(stem)
    return int(m.group("number")) if m and m.group("number") else None


def file_number(stem: str) -> int | None:
    """The record's number its file's name starts with (``0007-use-x``, ``adr-12_y``); None when there is none or
    the digits are a year and month (``202012-receive-split``)."""
    if _MONTH_SLUG.match(stem):
        return None
    m = _FILE_NUMBER.match(stem)
    return int(m.group(1)) if m else None


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def first_of(values: list[str] | None) -> str | None:
    return values[0] if values else None


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [p.strip() for p in re.split(r"[,;]", str(value)) if p.strip()]


#: What a template's people fields hold until someone is named (KEP's ``approvers: [TBD]``).
_NOBODY = frozenset({"tbd", "tba", "n/a", "na", "none", "-", "?", "todo"})


def people_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    else:
        plain, _ = split_inline(str(value))
        items = re.split(r",|;|\s+and\s+|\s+&\s+", plain)
    out = []
    for item in items:
        name = " ".join(split_inline(item)[0].split()).strip(" *_")
        if (name and not (name.startswith("[") and name.endswith("]")) and not name.startswith("{")
                and name.casefold() not in _NOBODY):
            out.append(name)
    return dedupe(out)


def split_tags(value: str | None) -> list[str]:
    return [t for t in re.split(r"[\s,]+", value or "") if t]


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)

