"""A project's numbered enhancement proposals as decision records: scrapy's SEPs, conda's CEPs, PEP-style fields.

scrapy keeps its Scrapy Enhancement Proposals in ``sep/sep-001.rst`` … ``sep-020.rst``, each opening on a
reStructuredText simple table of fields (``Status   Obsoleted by :ref:`sep-008```) above its heading
("SEP-001 - API for populating item fields"); conda keeps its CEPs at its top, ``cep-0001.md`` …, each with an HTML
table of fields under its heading. Beside them, numbered documents that are no records: cometbft's RFCs
(``rfc-100-….md``, discussions stating no status), ibc-go's ``ics27-requirements.md``, a guide's ``clear_1.md``.
"""

from __future__ import annotations

import json

from fixtures.cli import CliRunner
from fixtures.gitrepo import GitRepo

from cairn.api.cli import app
from cairn.ingest.adrs import nested_adr_folders, parse_decision


def _sep(number: int, title: str, status: str, heading: str | None = None, extra: str = "") -> str:
    # as scrapy writes them: a simple table of fields, then the heading with the series' label
    rows = [("SEP", str(number)), ("Title", title), ("Author", "Pablo Hoffman"), ("Created", f"2009-07-{number + 10:02d}"),
            ("Status", status)] + ([tuple(extra.split("  ", 1))] if extra else [])
    border = "=========  " + "=" * 60
    table = "\n".join([border, *(f"{key:<9}  {value}" for key, value in rows), border])
    heading = heading or f"SEP-{number:03d} - {title}"
    return f"{table}\n\n{'=' * len(heading)}\n{heading}\n{'=' * len(heading)}\n\nThis SEP changes the item loaders.\n"


def _decisions(tmp_path, files: dict[str, str]) -> dict[str, dict]:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(files, date="2024-01-01T10:00:00+00:00")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["ingest", str(repo.root), "--store", store]).exit_code == 0
    data = json.loads(runner.invoke(app, ["adrs", "--store", store, "--format", "json"]).output)
    return {d["path"]: d for d in data["decisions"]}


def test_a_folder_of_enhancement_proposals_with_tables_of_fields_is_a_decision_series(tmp_path):
    not_stating = "# RFC {n}: Storage\n\n## Changelog\n\n- 2022-04-11: Initial draft\n\n## Abstract\n\nWe discuss.\n"
    files = {
        "scrapy/loader/__init__.py": "class ItemLoader:\n    pass\n", "scrapy/spiders/crawl.py": "X = 1\n",
        "sep/README.rst": ":orphan:\n\nScrapy Enhancement Proposals\n============================\n\nThis folder.\n",
        "sep/sep-001.rst": _sep(1, "API for populating item fields", "Obsoleted by :ref:`sep-008`"),
        # its table's border one column wide: docutils reads the rows as a paragraph; "Obsolete by", once so written
        "sep/sep-003.rst": _sep(3, "Nested items API", "Obsolete by :ref:`sep-008`").replace(
            "=========  " + "=" * 60, "=" * 30),
        "sep/sep-008.rst": _sep(8, "Item Parsers", "Final (implemented with variations)", heading="SEP-008 - Item Loaders",
                                extra="Obsoletes  :doc:`sep-001`, :doc:`sep-003`"),
        "sep/sep-012.rst": _sep(12, "Spider name", "Final", heading="SEP-012: Spider name"),
        "sep/sep-014.rst": _sep(14, "CrawlSpider v2", "Final. Partially implemented but discarded"),
        "sep/sep-016.rst": _sep(16, "Leg Spider", "Superseded  by :doc:`sep-018`"),
        "sep/sep-018.rst": _sep(18, "Spider Middleware v2", "Draft (in progress)"),
        # numbered documents of a series that are no records: discussions stating no status, two-digit standards'
        # numbers, one-digit chapters
        **{f"docs/discussions/rfc-10{n}-storage.md": not_stating.format(n=100 + n) for n in (0, 1, 2, 3)},
        **{f"docs/requirements/ics{n}-requirements.md": f"# ICS {n}\n\nStatus: Accepted\n" for n in (20, 27, 29)},
        **{f"guide/commands/{name}_1.md": f"# {name}\n\nStatus: shown\n" for name in ("clear", "config", "create")},
    }
    assert nested_adr_folders(files) == ["docs/discussions", "sep"]  # (the discussions: read, and found stating none)
    found = {path: (d["number"], d["title"], d["status"], d["date"], d["supersedes"], d["superseded_by"])
             for path, d in _decisions(tmp_path, files).items()}
    assert found == {
        "sep/sep-001.rst": (1, "API for populating item fields", "superseded", "2009-07-11", [], ["sep/sep-008.rst"]),
        "sep/sep-003.rst": (3, "Nested items API", "superseded", "2009-07-13", [], ["sep/sep-008.rst"]),
        # the heading names it as the project knows it now, the table as it was proposed ("Item Parsers")
        "sep/sep-008.rst": (8, "Item Loaders", "accepted", "2009-07-18", ["sep/sep-001.rst", "sep/sep-003.rst"], []),
        "sep/sep-012.rst": (12, "Spider name", "accepted", "2009-07-22", [], []),
        "sep/sep-014.rst": (14, "CrawlSpider v2", "deprecated", "2009-07-24", [], []),
        "sep/sep-016.rst": (16, "Leg Spider", "superseded", "2009-07-26", [], ["sep/sep-018.rst"]),
        "sep/sep-018.rst": (18, "Spider Middleware v2", "proposed", "2009-07-28", ["sep/sep-016.rst"], []),
    }


def _cep(number: int, title: str, status: str) -> str:
    # as conda writes them: the heading with the series' label, then an HTML table of fields
    return (f"# CEP {number} - {title}\n\n<table>\n<tr><td> Title </td><td> {title} </td>\n"
            f"    <tr><td> Status </td><td> {status} </td></tr>\n"
            f"<tr><td> Author(s) </td><td> Jannis Leidel &lt;jleidel@example.com&gt;</td></tr>\n"
            f"<tr><td> Created </td><td> Jun {number + 10}, 2021</td></tr>\n</table>\n\n## Abstract\n\nConda changes.\n")


def test_proposals_at_the_top_of_a_repository_are_records_and_its_other_documents_are_not(tmp_path):
    files = {
        "README.md": "# Conda Enhancement Proposals\n\n| CEP | Title |\n|---|---|\n| [0001](cep-0001.md) | Purpose |\n",
        "CONTRIBUTING.md": "# Contributing\n\nStatus: welcome\n",
        "cep-0001.md": _cep(1, "Purpose and Guidelines", "Proposed"),
        "cep-0002.md": _cep(2, "Add plugin architecture to conda", "Accepted"),
        "cep-0004.md": _cep(4, "Implement initial conda plugin mechanism", "Implemented"),
        "cep-0006.md": _cep(6, "Add Channel Notices to conda", "Rejected"),
        # a series most of whose documents state no status: notes, not records
        **{f"notes/nt-00{n}.md": f"# Note {n}\n\nText.\n" for n in (1, 2, 3)},
        **{f"nt-00{n}.md": f"# Note {n}\n\n{'Status: x' if n == 1 else 'Text.'}\n" for n in (1, 2, 3)},
    }
    found = {path: (d["number"], d["title"], d["status"], d["date"]) for path, d in _decisions(tmp_path, files).items()}
    assert found == {
        "cep-0001.md": (1, "Purpose and Guidelines", "proposed", "2021-06-11"),
        "cep-0002.md": (2, "Add plugin architecture to conda", "accepted", "2021-06-12"),
        "cep-0004.md": (4, "Implement initial conda plugin mechanism", "accepted", "2021-06-14"),
        "cep-0006.md": (6, "Add Channel Notices to conda", "rejected", "2021-06-16"),
    }


def test_a_proposal_s_fields_without_a_heading_above_them_give_its_title_status_and_relations():
    # PEP-style: the fields are the document's top, its first section "Abstract"; a Markdown table of fields too
    pep = parse_decision("peps/pep-0245.rst", (
        b"PEP: 245\nTitle: Python Interface Syntax\nStatus: Rejected\nCreated: 11-Jan-2001\n"
        b"Superseded-By: 246\n\n\nAbstract\n========\n\nThis PEP proposes interfaces.\n"))
    assert (pep.number, pep.title, pep.status, pep.date) == (245, "Python Interface Syntax", "rejected", "2001-01-11")
    assert pep.references == [("superseded_by", "246", None)]
    md = parse_decision("jeps/jep-0101.md", (
        b"# JEP 101: Sealed types\n\n| Field | Value |\n|---|---|\n| **Status** | Accepted |\n| Created | 2024-03-01 |\n"
        b"| Replaces | [JEP 100](jep-0100.md) |\n\n## Summary\n\nSealed.\n"))
    assert (md.number, md.title, md.status, md.date) == (101, "Sealed types", "accepted", "2024-03-01")
    assert md.references == [("supersedes", "JEP 100", "jep-0100.md")]
