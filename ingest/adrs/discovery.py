"""Finding a repository's decision records.

The folder list (first match wins): the folders configured in ``[adr] paths``;
else the folder named in ``.adr-dir`` (adr-tools) and the ``adrFolder``
entries of ``.log4brains.yml``, plus whichever of ``doc/adr``, ``docs/adr``,
``docs/adrs``, ``docs/decisions``, ``docs/architecture/decisions``,
``docs/architecture-decisions`` and ``adr`` exist, and the repository root
and the usual documentation folders (``docs``, ``doc``, ``docs/architecture``,
``doc/architecture``, ``architecture``) when they hold numbered records
themselves (``adr-001-use-x.md``, ``ADR-0002-….md``: cosmos-sdk, ibc-go and
tendermint keep theirs in ``docs/architecture`` beside other documents), plus
the decision folders a part of the repository keeps (``…/docs/decisions``,
``…/docs/adr``, ``…/doc/adr``: Open edX's Django apps, a monorepo's
packages), found among the tracked files by the ingest (``nested_adr_folders``;
a record there that git does not track is not read). Found the same way
anywhere below the top: a folder named for records (``adr``, ``adrs``,
``historic-adrs``, ``proposed-adrs``, ``decision-records``,
``architecture-decisions``: the Guardian's dotcom-rendering keeps its retired
and proposed records so; and design proposals, ``proposals``,
``design-proposals``, ``proposals-accepted``, ``proposals-done``,
``proposals-rejected``: Thanos' and Tempo's design records; and design folders and requests for comments,
``design``, ``designs``, ``design-docs``, ``rfc``, ``rfcs``, and ``decisions`` or ``decision-log`` outside ``docs``,
when most of their documents state a status (crossplane's ``design/``, Jaeger's ``docs/rfc``, flux2's ``rfcs``,
React Router's ``decisions/``) or most are named by the date they were written (``dated_records``: OpenTofu's
``rfc/20241206-oci-registries.md``, Vector's ``rfcs/2020-03-06-1999-slug.md``, cert-manager's
``design/20240518.slug.md``) — not gopls' design notes or cometbft's numbered RFCs,
which are discussions; and Kubernetes Enhancement Proposals, ``keps``: kueue's ``keps/NNNN-slug/README.md`` with
their ``kep.yaml``), and, whatever its name, a folder of three documents or more numbered as records in a series are
(``NNN-slug.md``, three digits or more: Loki's Loki Improvement Documents, ``lids/0001-Introduction.md``; not a
tutorial's ``01-intro.md`` chapters), or numbered as the proposals of a series its project names, by the series' name
and three digits or more (``PREFIX-NNN``: scrapy's Scrapy Enhancement Proposals ``sep/sep-001.rst``, NetworkX's
``nxeps/nxep-0002.rst``, Python's ``pep-0008.rst``; not ibc-go's ``ics27-requirements.md``, a standard's number in a
document's name), when most of its documents state a status — a key line, a field, or the row of a table of fields
(``_STATUS_LINE``: scrapy's SEPs open on a reStructuredText simple table, ``Status   Final``); cometbft's
``rfc-100-….md`` state none —, and the numbered records directly in any folder
(``adr-118-mempool-lanes.md``: cometbft keeps its in
``docs/references/architecture``). In a folder named ``architecture`` a
record may be numbered without the ``adr`` prefix, by three digits or more
(``005-monorepo.md``, ``0001-use-x.md``; not a description's two-digit
chapters, ``01_introduction.md``). Every
``*.md`` (or ``*.rst``) below a decision folder is a decision (MADR category subfolders
included) except ``README``/``index`` pages and templates (``template.md``,
``adr-template.md``, ``0000-template.md``; not
``0007-use-jinja-as-template-engine.md``); in the root and the documentation
folders, only the numbered records directly in them are, and the proposals of a series there, three or more most of
which state a status (conda keeps its CEPs at its top, ``cep-0001.md`` …, beside its README). A numbered folder inside a decision folder is one
record, its ``README``/``index`` page the record's text (flux2's ``rfcs/0001-authorization/README.md``); the
documents a record links in the folder beside it named as it is are its chapters, not records (``reading``: OpenTofu's
``rfc/20241206-oci-registries/1-oci-primer.md`` … of ``rfc/20241206-oci-registries.md``). Records are Markdown or
reStructuredText (``.rst``: Open edX's OEP-19 ``docs/decisions/0001-….rst``). Such a folder is
listed as ``FOLDER/adr-*`` (the root as ``.``).

Every configuration file is read through ``cairn.ingest.untrusted``: inside
the checkout, size-capped, YAML without aliases.
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from cairn.ingest.lazy_pattern import LazyPattern
from cairn.ingest.untrusted import RefusedFile, read_checkout_text

if TYPE_CHECKING:
    from cairn.ingest.adrs.records import Problem
    from cairn.ingest.config_models import AdrSettings

DEFAULT_FOLDERS = (
    "doc/adr", "docs/adr", "docs/adrs", "docs/decisions", "docs/architecture/decisions",
    "docs/architecture-decisions", "adr",
)
@cache
def _nested_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(A record directly in a decision folder kept below a part of the repository — Open edX's
    ``credentials/apps/core/docs/decisions``, a monorepo package's ``packages/web/docs/adr`` —, a folder holding
    tests, fixtures or examples rather than a part of the project: its records are samples). Compiled when first
    asked: the check for changes, which imports this module on every ingest, needs neither."""
    return (re.compile(r"^(?P<folder>.+/(?:docs/decisions|docs/adrs?|doc/adr|docs/architecture/decisions"
                       r"|docs/architecture-decisions))/[^/]+(?:" + "|".join(map(re.escape, RECORD_EXTENSIONS)) + ")$", re.I),
            re.compile(r"^(?:_*(?:tests?|specs?|testdata|test_data|fixtures?|examples?|samples?|demos?|templates?)_*"
                       r"|.*[-_.]tests?|tests?[-_.].*)$", re.I))


#: The folder that stands for the repository root in ``DecisionSet.folders``.
ROOT_FOLDER = "."
#: Documentation folders whose numbered records (not their other documents) are decisions.
NUMBERED_RECORD_FOLDERS = ("docs", "doc", "docs/architecture", "doc/architecture", "architecture")
#: How ``DecisionSet.folders`` names the numbered records of one of ``NUMBERED_RECORD_FOLDERS``.
NUMBERED_RECORDS = "/adr-*"
#: The records' extensions: Markdown, and reStructuredText (Open edX's OEP-19 ``docs/decisions/0001-….rst``).
RECORD_EXTENSIONS = (".md", ".markdown", ".rst")
NOT_DECISIONS = frozenset({"readme", "index", "toc", "_sidebar", "summary", "changelog"})
#: A template's name: "template" as the first or second word, after an optional number
#: (``template``, ``adr-template-minimal``, ``0000-template``, ``0000-adr-template``).
_TEMPLATE = re.compile(r"(?:\d+[-_ ])?(?:[a-z0-9]+[-_ ])?template(?:[-_ ].*)?", re.I)
#: A numbered record (at the root or directly in a documentation folder): ``adr-001-use-x``, ``ADR-0002_…``, ``adr 3 …``.
_NUMBERED_RECORD = re.compile(r"adr[-_ ]?\d+(?:[-_ .].*)?", re.I)
#: A numbered record in a folder named ``architecture``: with the prefix, or by three digits or more (``005-monorepo``).
_ARCHITECTURE_RECORD = LazyPattern(r"(?:adr[-_ ]?\d+|\d{3,})(?:[-_ .].*)?", re.I)
#: A folder named for decision records, wherever it is: all its documents are records.
_RECORD_FOLDER_NAME = LazyPattern(r"(?:[\w.]+[-_])?adrs?|(?:architecture[-_])?decision[-_]records|architecture[-_]decisions"
                                 r"|(?:design[-_])?proposals(?:[-_](?:accepted|done|implemented|rejected|declined))?"
                                 r"|keps?", re.I)
#: A folder of design documents, requests for comments or decisions (crossplane's ``design/``, Jaeger's ``docs/rfc``,
#: flux2's ``rfcs``, React Router's ``decisions``): decision records when most of its documents state a status (``* Status: Accepted``), not a folder of
#: design notes (gopls' ``doc/design``, application-services' ``docs/design``) or of discussions (cometbft's RFCs).
_DESIGN_FOLDER_NAME = LazyPattern(r"designs?|design[-_]docs?|rfcs?|decisions|decision[-_]logs?", re.I)
#: A status stated near a document's top: a key line (``* Status: Accepted``, ``- **Status:** draft``), a field
#: (``:Status: Final``) or front matter; or the row of a table of fields: a reStructuredText simple table's
#: (``Status   Final``: the columns part at two spaces or more; scrapy's SEPs), a grid or Markdown table's
#: (``| Status | Draft |``), an HTML table's (``<tr><td> Status </td><td> Accepted </td></tr>``: conda's CEPs).
_STATUS_LINE = LazyPattern(r"^\W{0,6}status\s*(?:(?:\*\*|__)\s*)?:|^status[ \t]{2,}\S"
                           r"|^\|[ \t]*(?:\*\*|__)?status(?:\*\*|__)?[ \t]*\|"
                           r"|<t[dh]>\s*(?:<(?:b|strong)>\s*)?status\s*(?:</(?:b|strong)>\s*)?</t[dh]>", re.I | re.M)
#: A document numbered as a record in a series is, by three digits or more before its slug (Loki's
#: ``lids/0001-Introduction.md``); not a tutorial's two-digit chapters (``01-intro.md``) nor a version (``v1.2.md``).
_SERIES_RECORD = LazyPattern(r"\d{3,}[-_.][^\W\d_].*", re.I)
#: A folder of entries numbered by their pull request or ticket, not records: changelogs (Hermes'
#: ``.changelog/v1.2.0/bug-fixes/2799-remove-openssl-dep.md``, Vector's ``changelog.d``), release notes, migration guides.
_NOT_SERIES_PART = LazyPattern(r"\.?(?:change[-_]?logs?|changes|unreleased|release[-_]?notes|releases?|news"
                               r"|migrations?|migration[-_]guides?|upgrad(?:e|es|ing)(?:[-_]guides?)?)(?:\.d)?", re.I)
#: A proposal numbered in a series its project names, by three digits or more after the series' name: scrapy's
#: Scrapy Enhancement Proposals ``sep/sep-001.rst``, Python's ``pep-0008.rst``, NetworkX's ``nxep-0002.rst``, conda's
#: ``cep-0001.md``. A folder holding three of one series is a series of records when most of its documents state a
#: status (cometbft's ``rfc-100-….md`` state none: discussions); not a version (``v1.2.3``), nor a standard's number
#: in a document's name (ibc-go's ``ics27-requirements.md``: two digits), nor one-digit chapters (``Step1.md``).
_PROPOSAL_RECORD = LazyPattern(r"(?P<series>[a-z]{2,6})[-_ ]?(?P<number>\d{3,})(?:[-_.][^\W_].*)?", re.I)
#: How many such documents make a folder a series of records (when most of its documents state a status).
SERIES_LENGTH = 3
#: A record that is a folder of its own, its text the folder's README (flux2's ``rfcs/0001-authorization/README.md``,
#: Kubernetes' KEPs): the folder is named as a numbered record is.
_RECORD_IN_FOLDER = LazyPattern(r"\d+[-_].*", re.I)
#: The page that is the record of such a folder.
RECORD_PAGES = frozenset({"readme", "index"})
#: Folders below an ADR folder that hold no records.
_NOT_RECORD_FOLDERS = frozenset({"templates", "template", "assets", "images", "img"})


class AdrPaths(NamedTuple):
    """The ADR folders a configuration names (``[adr] paths``; empty: find them), as plain data: what
    ``find_adr_folders`` reads of ``AdrSettings``, for a caller that has not validated the configuration."""

    paths: list[str]


def find_adr_folders(root: Path, settings: AdrSettings | AdrPaths,
                     nested: Sequence[str] = ()) -> tuple[list[str], list[Problem]]:
    """Repository-relative ADR folders that exist, and problems with configured ones. ``nested``: the decision
    folders below the top (``nested_adr_folders``), read too unless the configuration names the folders."""
    problems: list[Problem] = []
    wanted: list[str] = []
    if settings.paths:
        for configured in settings.paths:
            rel = configured.strip().strip("/")
            if not _inside(root, rel) or not (root / rel).is_dir():
                problems.append(_skipped(configured, "configured ADR folder does not exist"))
                continue
            wanted.append(rel)
        return list(dict.fromkeys(wanted)), problems
    try:
        named = read_checkout_text(root, ".adr-dir", limit=4096)
    except RefusedFile as exc:
        problems.append(_skipped(".adr-dir", exc.reason + "; not read"))
        named = None
    if named is not None:
        rel = named.strip().strip("/")
        if rel and _inside(root, rel) and (root / rel).is_dir():
            wanted.append(rel)
        else:
            problems.append(_skipped(".adr-dir", f"names a folder that does not exist ({rel[:200]!r})"))
    wanted += _log4brains_folders(root, problems)
    wanted += [f for f in DEFAULT_FOLDERS if (root / f).is_dir() and not (root / f).is_symlink()]
    if root_records(root):
        wanted.append(ROOT_FOLDER)
    wanted += [f + NUMBERED_RECORDS for f in NUMBERED_RECORD_FOLDERS if numbered_records(root, f)]
    for f in nested:
        folder = f.removesuffix(NUMBERED_RECORDS)
        if _inside(root, folder) and (root / folder).is_dir() and not (root / folder).is_symlink():
            if f == folder and _needs_statuses(folder) and not (
                    states_statuses(root, folder) or _DESIGN_FOLDER_NAME.fullmatch(folder.rpartition("/")[2])
                    and dated_records(root, folder)):
                continue
            wanted.append(f)
    # A folder inside another one is read with it.
    result = []
    for f in dict.fromkeys(wanted):
        if not any(f != other and other != ROOT_FOLDER and f.startswith(other + "/") for other in wanted):
            result.append(f)
    return result, problems


def _needs_statuses(folder: str) -> bool:
    """Whether a folder holds records only if most of its documents state a status: a design, RFC or decisions folder,
    but not the documentation's ``docs/decisions`` (Open edX's, whose records state theirs in a section), and a folder
    found for its numbered documents, whatever its name."""
    parent, _, name = folder.rpartition("/")
    if not names_decision_folder(name):
        return True  # (a folder found for its numbered documents: Loki's ``lids``)
    return _DESIGN_FOLDER_NAME.fullmatch(name) is not None and not (
        name.lower() == "decisions" and parent.rpartition("/")[2].lower() in ("docs", "doc", "architecture"))


def states_statuses(root: Path, folder: str, *, head: int = 4096, most: int = 40) -> bool:
    """Whether most of the documents directly in ``folder`` (or the README of a numbered folder there: three at least)
    state a status near their top: a folder of design records rather than of design notes. Reads the first ``head``
    bytes of at most ``most`` documents."""
    base = root / folder
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return False
    documents = []
    for name in names:
        path = base / name
        if is_record_folder(name) and not path.is_symlink() and path.is_dir():  # (flux2's rfcs/0001-x/README.md)
            path = _record_page(path) or path
            name = path.name
        stem, dot, extension = name.rpartition(".")
        if not dot or "." + extension.lower() not in RECORD_EXTENSIONS or is_template(stem) or (
                stem.lower() in NOT_DECISIONS and path.parent == base):
            continue
        documents.append(path)
    return _most_state_statuses(documents, head=head, most=most)


def _most_state_statuses(documents: Iterable[Path], *, head: int = 4096, most: int = 40) -> bool:
    """Whether most of ``documents`` (three at least) state a status near their top (``_STATUS_LINE``), reading the
    first ``head`` bytes of at most ``most`` of them; a symbolic link or what is no file is passed over."""
    read = stating = 0
    for path in documents:
        if path.is_symlink() or not path.is_file():
            continue
        try:
            with open(path, "rb") as fh:
                top = fh.read(head).decode("utf-8", errors="replace")
        except OSError:
            continue
        read += 1
        stating += _STATUS_LINE.search(top) is not None
        if read == most:
            break
    return stating >= 3 and 2 * stating >= read


def dated_records(root: Path, folder: str) -> bool:
    """Whether most of the documents directly in ``folder`` (three at least) are named by the date they were written,
    as log4brains names its records (``20241206-oci-registries.md``, Vector's ``2020-03-06-1999-slug.md``,
    cert-manager's ``20240518.slug.md``): a folder of requests for comments or designs so named is a log of records,
    each merged on a day, whether or not it states a status (OpenTofu's ``rfc/``, whose README says its RFCs "have been
    discussed, reviewed, and accepted"; Vector's ``rfcs/``, merged once three team members approve). A number alone
    is no such evidence: cometbft's ``rfc-NNN-slug.md`` are discussions "for which no immediate decision is required".
    Reads names only."""
    from cairn.ingest.adrs.fields import date_slug  # (the check for changes asks only for a folder named so)

    try:
        names = sorted(os.listdir(root / folder))
    except OSError:
        return False
    documents = dated = 0
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot or "." + extension.lower() not in RECORD_EXTENSIONS or is_template(stem) or stem.lower() in NOT_DECISIONS:
            continue
        documents += 1
        dated += date_slug(stem) is not None
    return dated >= 3 and 2 * dated > documents


def nested_adr_folders(paths: Iterable[str]) -> list[str]:
    """The decision folders below the repository's top (``docs/decisions``, ``docs/adr``, ``doc/adr`` … inside
    another folder) that hold a record directly, among the repository's ``paths``; none inside tests, fixtures or
    examples (log4brains' ``packages/core/integration-tests/ro-project/docs/adr`` is its tests' sample project)."""
    found = set()
    series: dict[str, int] = {}  # folder -> its documents numbered as records are (``0001-introduction``)
    proposals: dict[tuple[str, str], int] = {}  # (folder, series) -> its proposals so numbered (``sep-001``)
    nested, not_project_part = _nested_patterns()
    for path in paths:
        if "/doc" in path:  # (most paths are not: one substring test each)
            m = nested.match(path)
            if m is not None:
                found.add(m.group("folder"))
        folder, slash, name = path.rpartition("/")
        if slash and name.lower().endswith(RECORD_EXTENSIONS):
            stem = name.rpartition(".")[0]
            parent, _, name_of_folder = folder.rpartition("/")
            if _RECORD_FOLDER_NAME.fullmatch(name_of_folder) or _DESIGN_FOLDER_NAME.fullmatch(name_of_folder):
                if stem.lower() not in NOT_DECISIONS and not is_template(stem):
                    found.add(folder)  # (a design folder's documents are read before it counts: find_adr_folders)
            elif _is_numbered_record(folder, stem):
                found.add(folder + NUMBERED_RECORDS)
            elif (stem.lower() in RECORD_PAGES and _RECORD_IN_FOLDER.fullmatch(name_of_folder)
                  and names_decision_folder(parent.rpartition("/")[2])):
                found.add(parent)
            elif _SERIES_RECORD.fullmatch(stem) and not is_template(stem):
                series[folder] = series.get(folder, 0) + 1
            elif (proposal := _PROPOSAL_RECORD.fullmatch(stem)) is not None:
                key = (folder, proposal.group("series").lower())  # (one series: sep-001 … sep-020)
                proposals[key] = proposals.get(key, 0) + 1
    for (folder, _), count in proposals.items():
        if count >= SERIES_LENGTH:
            series[folder] = max(series.get(folder, 0), count)
    found.update(folder for folder, count in series.items()
                 if count >= SERIES_LENGTH and not any(_NOT_SERIES_PART.fullmatch(part) for part in folder.split("/")))
    return sorted(f for f in found if not any(not_project_part.search(part) for part in f.split("/")))


def _is_numbered_record(folder: str, stem: str) -> bool:
    """Whether a document named ``stem`` directly in ``folder`` is a numbered record (``adr-001-use-x``; in a folder
    named ``architecture``, ``005-monorepo`` too)."""
    numbered = _ARCHITECTURE_RECORD if folder.rpartition("/")[2].lower() == "architecture" else _NUMBERED_RECORD
    return numbered.fullmatch(stem) is not None and not is_template(stem)


def _log4brains_folders(root: Path, problems: list[Problem]) -> list[str]:
    try:
        text = read_checkout_text(root, ".log4brains.yml")
    except RefusedFile as exc:
        problems.append(_skipped(".log4brains.yml", exc.reason + "; not read"))
        return []
    if text is None:
        return []
    from cairn.ingest.untrusted_yaml import YAMLError, load_yaml  # here: most checkouts have no YAML to read

    try:
        data = load_yaml(text) or {}
    except YAMLError as exc:
        from cairn.ingest.adrs.fields import one_line

        problems.append(_skipped(".log4brains.yml", f"cannot be read ({one_line(exc)})"))
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


def _skipped(path: str, message: str) -> Problem:
    """A folder or setting that is not read. (The records' module is imported only then: the check for changes,
    which finds the folders on every ingest, needs none of it.)"""
    from cairn.ingest.adrs.records import Problem

    return Problem(path, message, skipped=True)


def _inside(root: Path, rel: str) -> bool:
    try:
        (root / rel).resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError):
        return False


def _record_page(folder: Path) -> Path | None:
    """The page of a record that is a folder (its ``README``/``index`` document), if it has one."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    return next((folder / n for n in names if n.rpartition(".")[0].lower() in RECORD_PAGES
                 and n.lower().endswith(RECORD_EXTENSIONS)), None)


def names_decision_folder(name: str) -> bool:
    """Whether a folder's name is one decision folders have (``adr``, ``proposals``, ``rfcs``, ``design`` …)."""
    return _RECORD_FOLDER_NAME.fullmatch(name) is not None or _DESIGN_FOLDER_NAME.fullmatch(name) is not None


def is_record_folder(name: str) -> bool:
    """Whether a folder inside a decision folder is one record, named as a numbered record is (``0001-authorization``),
    its README the record's text."""
    return _RECORD_IN_FOLDER.fullmatch(name) is not None and not is_template(name)


def proposal_name(stem: str) -> tuple[str, int] | None:
    """The series and number a proposal's file name gives (``sep-001`` → ("sep", 1), ``nxep-0002`` → ("nxep", 2)),
    or None when it is not named so."""
    m = _PROPOSAL_RECORD.fullmatch(stem)
    return (m.group("series"), int(m.group("number"))) if m else None


def is_template(stem: str) -> bool:
    """Whether a file name (without extension) names an ADR template rather than a record."""
    return _TEMPLATE.fullmatch(stem) is not None


def root_records(root: Path) -> list[str]:
    """Numbered decision records kept at the repository root (``adr-001-use-x.md``, conda's ``cep-0001.md``)."""
    return numbered_records(root, "")


def numbered_records(root: Path, folder: str) -> list[str]:
    """Numbered decision records directly in ``folder`` (repository-relative, "" for the root), as
    repository-relative paths: records numbered so (``adr-001-use-x``), and the proposals of a series there, three at
    least, most of which state a status (conda keeps its Conda Enhancement Proposals at its top, ``cep-0001.md`` …,
    each with a table of fields whose ``Status`` row says where it stands), not the other documents beside them."""
    base = root / folder if folder else root
    try:
        names = sorted(os.listdir(base))  # the check for changes asks on every ingest: most folders do not exist
    except OSError:
        return []
    out = []
    proposals: dict[str, list[str]] = {}  # series -> its documents' names
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot or "." + extension.lower() not in RECORD_EXTENSIONS:
            continue
        if _is_numbered_record(folder, stem):
            if not (base / name).is_symlink() and (base / name).is_file():
                out.append(name)
        elif (proposal := _PROPOSAL_RECORD.fullmatch(stem)) is not None:
            proposals.setdefault(proposal.group("series").lower(), []).append(name)
    for series in proposals.values():
        if len(series) >= SERIES_LENGTH and _most_state_statuses(base / name for name in series):
            out += [name for name in series if not (base / name).is_symlink() and (base / name).is_file()]
    if out and folder and (base.is_symlink() or not _inside(root, folder)):
        return []
    return [f"{folder}/{name}" if folder else name for name in sorted(out)]


def adr_files(root: Path, folder: str) -> list[str]:
    """The records in ``folder`` (repository-relative; ``ROOT_FOLDER`` for the root's own records)."""
    if folder == ROOT_FOLDER:
        return root_records(root)
    if folder.endswith(NUMBERED_RECORDS):
        return numbered_records(root, folder[: -len(NUMBERED_RECORDS)])
    out = []
    base = root / folder
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d.lower() not in _NOT_RECORD_FOLDERS)
        for name in sorted(filenames):
            full = Path(dirpath) / name
            if not name.lower().endswith(RECORD_EXTENSIONS) or full.is_symlink():
                continue
            stem = name.rsplit(".", 1)[0].lower()
            if stem in RECORD_PAGES and dirpath != str(base) and is_record_folder(Path(dirpath).name):
                pass  # the README of a record that is a folder (``rfcs/0001-authorization/README.md``)
            elif stem in NOT_DECISIONS or stem.startswith("_") or is_template(stem):
                continue
            out.append(full.relative_to(root).as_posix())
    return out

