"""ADR discovery and parsing: every common format, messy real-world variants, broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.adrs import clean_title, parse_date, read_decisions, status_word
from cairn.ingest.config import AdrSettings
from cairn.ingest.adrs import add_decisions


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for path, content in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            full.write_bytes(content)
        else:
            full.write_text(content, encoding="utf-8")


def by_path(decision_set):
    return {d.path: d for d in decision_set.decisions}


# -- adr-tools / Nygard -------------------------------------------------------------------

ADR_TOOLS = {
    "doc/adr/0001-record-architecture-decisions.md": """# 1. Record architecture decisions

Date: 2016-02-12

## Status

Superceded by [2. Use MADR instead](0002-use-madr-instead.md)

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.

## Consequences

See Michael Nygard's article.
""",
    "doc/adr/0002-use-madr-instead.md": """# 2. Use MADR instead

Date: 2017-03-01

## Status

Accepted

Supercedes [1. Record architecture decisions](0001-record-architecture-decisions.md)

## Context

MADR has more structure.
""",
    "doc/adr/0003-clarify-numbering.md": """# 3. Clarify numbering

Date: 2018-01-05

## Status

Accepted

Amends [2. Use MADR instead](0002-use-madr-instead.md)
""",
    # Nygard's original section order, status after the decision, and no Date line
    "doc/adr/0004-original-order.md": """# ADR 4: Deployment on Ruby on Rails

## Context

Rails is what the team knows.

## Decision

We will deploy on Rails 3.0.10.

## Status

Proposed
""",
    "doc/adr/README.md": "# Decisions\n\nAn index, not a decision.\n",
}


def test_adr_tools_format_with_misspelled_links_resolved_from_both_sides(tmp_path):
    write(tmp_path, ADR_TOOLS)
    result = read_decisions(tmp_path, AdrSettings(), {})
    assert result.folders == ["doc/adr"]
    assert result.problems == []
    d = by_path(result)
    assert sorted(d) == [
        "doc/adr/0001-record-architecture-decisions.md", "doc/adr/0002-use-madr-instead.md",
        "doc/adr/0003-clarify-numbering.md", "doc/adr/0004-original-order.md",
    ]
    first = d["doc/adr/0001-record-architecture-decisions.md"]
    assert (first.number, first.title, first.date) == (1, "Record architecture decisions", "2016-02-12")
    assert first.status == "superseded"
    assert first.status_raw == "Superceded by [2. Use MADR instead](0002-use-madr-instead.md)"
    assert first.superseded_by == ["doc/adr/0002-use-madr-instead.md"]
    assert first.amended_by == []
    assert first.summary == "We need to record the architectural decisions made on this project."
    assert first.format == "nygard"

    second = d["doc/adr/0002-use-madr-instead.md"]
    assert second.status == "amended"  # "Accepted" and amended by 0003 (said only by 0003)
    assert second.status_raw == "Accepted\nSupercedes [1. Record architecture decisions](0001-record-architecture-decisions.md)"
    assert second.supersedes == ["doc/adr/0001-record-architecture-decisions.md"]
    assert second.amended_by == ["doc/adr/0003-clarify-numbering.md"]

    third = d["doc/adr/0003-clarify-numbering.md"]
    assert third.status == "accepted" and third.amends == ["doc/adr/0002-use-madr-instead.md"]

    fourth = d["doc/adr/0004-original-order.md"]
    assert (fourth.number, fourth.title, fourth.status, fourth.date) == (4, "Deployment on Ruby on Rails", "proposed", None)


def test_supersession_written_only_on_the_new_side_marks_the_old_one(tmp_path):
    write(tmp_path, {
        "docs/adr/0001-use-mysql.md": "# 1. Use MySQL\n\n## Status\n\nAccepted\n",
        "docs/adr/0002-use-postgres.md": "# 2. Use Postgres\n\n## Status\n\nAccepted\n\nSupersedes [1. Use MySQL](0001-use-mysql.md)\n",
    })
    d = by_path(read_decisions(tmp_path, AdrSettings(), {}))
    old = d["docs/adr/0001-use-mysql.md"]
    assert old.status == "superseded" and old.status_inferred is True
    assert old.status_raw == "Accepted"
    assert old.superseded_by == ["docs/adr/0002-use-postgres.md"]


# -- MADR 2 bullets, log4brains ----------------------------------------------------------


def test_madr2_bullets_with_status_given_as_a_link_and_non_iso_dates(tmp_path):
    write(tmp_path, {
        "docs/adr/0001-use-markdown-architectural-decision-records.md": """# Use Markdown Architectural Decision Records

* Status: [Accepted](https://adr.github.io/madr/#status)
* Deciders: Oliver Kopp, [Stefan Kapferer](https://github.com/stefan-kapferer) and @koppor
* Date: Oct 21, 2022

Technical Story: <https://github.com/adr/madr/issues/1>

## Context and Problem Statement

We want to record architectural decisions made in this project.
Which format and structure should these records follow?

## Decision Outcome

Chosen option: "MADR 2.1.2", because it is lean.
""",
        "docs/adr/0002-something-later.md": """# Something later

* Status: superseded by [ADR-0005](0005-the-replacement.md)
* Date: 21/10/2022 <!-- day first, as adr-tools wrote it -->

## Context and Problem Statement

Later.
""",
        "docs/adr/0005-the-replacement.md": """# The replacement

- Status: accepted
- Deciders: Dana
- Date: sometime soon

## Context and Problem Statement

It replaces 0002.
""",
    })
    result = read_decisions(tmp_path, AdrSettings(), {})
    d = by_path(result)
    madr = d["docs/adr/0001-use-markdown-architectural-decision-records.md"]
    assert madr.status == "accepted"
    assert madr.status_raw == "[Accepted](https://adr.github.io/madr/#status)"
    assert madr.deciders == ["Oliver Kopp", "Stefan Kapferer", "@koppor"]
    assert madr.date == "2022-10-21" and madr.date_raw == "Oct 21, 2022"
    assert madr.number == 1 and madr.format == "madr-2"
    assert madr.summary.startswith("We want to record architectural decisions made in this project. Which format")

    later = d["docs/adr/0002-something-later.md"]
    assert later.status == "superseded" and later.date == "2022-10-21"
    assert later.superseded_by == ["docs/adr/0005-the-replacement.md"]
    replacement = d["docs/adr/0005-the-replacement.md"]
    assert replacement.supersedes == ["docs/adr/0002-something-later.md"]
    assert replacement.date is None and replacement.date_raw == "sometime soon"
    assert replacement.deciders == ["Dana"]


def test_log4brains_date_slug_names_default_to_accepted(tmp_path):
    write(tmp_path, {
        ".log4brains.yml": "project:\n  name: demo\n  adrFolder: ./architecture/adr\n",
        "architecture/adr/20200926-use-the-adr-number-as-its-unique-id.md": """# Use the ADR number as its unique ID

- Status: superseded by [20201016-use-the-adr-slug-as-its-unique-id](20201016-use-the-adr-slug-as-its-unique-id.md)
- Date: 2020-09-26

## Context and Problem Statement

Numbers are simple.
""",
        "architecture/adr/20201016-use-the-adr-slug-as-its-unique-id.md": """# Use the ADR slug as its unique ID

- Deciders: Thomas Vaillant
- Tags: adr, log4brains

## Context and Problem Statement

Numbers conflict on merge.
""",
        "architecture/adr/index.md": "# Architecture knowledge base\n",
        "architecture/adr/template.md": "# [short title]\n\n- Status: [draft | proposed]\n",
    })
    result = read_decisions(tmp_path, AdrSettings(), {})
    assert result.folders == ["architecture/adr"]
    d = by_path(result)
    assert len(d) == 2
    new = d["architecture/adr/20201016-use-the-adr-slug-as-its-unique-id.md"]
    assert (new.number, new.status, new.status_raw, new.date) == (None, "accepted", None, "2020-10-16")
    assert new.tags == ["adr", "log4brains"] and new.deciders == ["Thomas Vaillant"]
    assert new.supersedes == ["architecture/adr/20200926-use-the-adr-number-as-its-unique-id.md"]
    old = d["architecture/adr/20200926-use-the-adr-number-as-its-unique-id.md"]
    assert old.status == "superseded" and old.number is None and old.date == "2020-09-26"


# -- MADR 3 / 4 front matter -------------------------------------------------------------


def test_madr3_and_madr4_front_matter(tmp_path):
    write(tmp_path, {
        "docs/decisions/0001-use-postgres.md": """---
status: accepted
date: 2022-10-09
deciders: [Alice, Bob]
consulted: Carol
informed:
  - Dave
  - Erin
---
# Use Postgres

## Context and Problem Statement

We need a relational store for orders.
""",
        "docs/decisions/0002-use-sqlite-for-tests.md": """---
status: "superseded by ADR-0003"
date: 2023-01-15
decision-makers: Alice, Frank
components: [orders, billing]
---
# ADR-0002: Use SQLite for tests

## Context and Problem Statement

Tests must be fast.
""",
        "docs/decisions/0003-use-testcontainers.md": """---
status: "accepted"
date: 2024-02-01
decision-makers:
  - Frank
nav_order: 3
parent: Decisions
---
# Use Testcontainers

## Context and Problem Statement

Tests should use the real database.
""",
        "docs/decisions/adr-template.md": "---\nstatus: \"{proposed | rejected}\"\n---\n# {short title}\n",
    })
    result = read_decisions(tmp_path, AdrSettings(), {"orders": ["shop/orders/**"], "billing": ["shop/billing/**"]})
    assert result.problems == []
    d = by_path(result)
    assert sorted(d) == ["docs/decisions/0001-use-postgres.md", "docs/decisions/0002-use-sqlite-for-tests.md",
                         "docs/decisions/0003-use-testcontainers.md"]
    pg = d["docs/decisions/0001-use-postgres.md"]
    assert (pg.status, pg.date, pg.deciders, pg.consulted, pg.informed) == ("accepted", "2022-10-09", ["Alice", "Bob"], ["Carol"], ["Dave", "Erin"])
    assert pg.format == "madr-front-matter"
    sqlite = d["docs/decisions/0002-use-sqlite-for-tests.md"]
    assert (sqlite.number, sqlite.title, sqlite.status, sqlite.status_raw) == (2, "Use SQLite for tests", "superseded", "superseded by ADR-0003")
    assert sqlite.deciders == ["Alice", "Frank"]
    assert sqlite.superseded_by == ["docs/decisions/0003-use-testcontainers.md"]
    assert [(c.name, c.inferred, c.score) for c in sqlite.components] == [("orders", False, 1.0), ("billing", False, 1.0)]
    tc = d["docs/decisions/0003-use-testcontainers.md"]
    assert tc.supersedes == ["docs/decisions/0002-use-sqlite-for-tests.md"] and tc.deciders == ["Frank"]


# -- discovery ------------------------------------------------------------------------------


def test_adr_dir_file_and_configured_paths(tmp_path):
    write(tmp_path, {
        ".adr-dir": "architecture/records\n",
        "architecture/records/0001-first.md": "# 1. First\n\n## Status\n\nAccepted\n",
        "docs/adr/0001-default.md": "# 1. Default folder\n\n## Status\n\nAccepted\n",
        "elsewhere/0007-configured.md": "# 7. Configured\n\n## Status\n\nRejected\n",
        "docs/adr/backend/0001-category.md": "# 1. In a MADR category subfolder\n",
    })
    found = read_decisions(tmp_path, AdrSettings(), {})
    assert found.folders == ["architecture/records", "docs/adr"]
    assert sorted(by_path(found)) == ["architecture/records/0001-first.md", "docs/adr/0001-default.md",
                                      "docs/adr/backend/0001-category.md"]
    configured = read_decisions(tmp_path, AdrSettings(paths=["elsewhere", "missing/folder"]), {})
    assert [d.path for d in configured.decisions] == ["elsewhere/0007-configured.md"]
    assert configured.decisions[0].status == "rejected"
    assert [(p.path, p.message) for p in configured.problems] == [("missing/folder", "configured ADR folder does not exist")]


def test_no_adr_folder_is_not_a_problem(tmp_path):
    result = read_decisions(tmp_path, AdrSettings(), {})
    assert (result.decisions, result.problems, result.folders) == ([], [], [])


# -- bad input --------------------------------------------------------------------------


def test_broken_files_are_problems_and_the_others_survive(tmp_path):
    write(tmp_path, {
        "docs/adr/0001-good.md": "# 1. Good\n\n## Status\n\nAccepted\n",
        "docs/adr/0002-unterminated.md": "---\nstatus: accepted\ndate: 2020-01-01\n\n# 2. Never closed\n",
        "docs/adr/0003-bad-yaml.md": "---\nstatus: [accepted\n---\n# 3. Bad YAML\n",
        "docs/adr/0004-binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "docs/adr/0005-latin1.md": "# 5. Caf\xe9 decision\n".encode("latin-1"),
        "docs/adr/0006-list-front-matter.md": "---\n- a\n- b\n---\n# 6. List\n",
        "docs/adr/0007-crlf-bom.md": "\ufeff# 7. Windows line endings\r\n\r\n## Status\r\n\r\nApproved\r\n",
    })
    result = read_decisions(tmp_path, AdrSettings(), {})
    assert sorted(by_path(result)) == ["docs/adr/0001-good.md", "docs/adr/0003-bad-yaml.md", "docs/adr/0007-crlf-bom.md"]
    assert by_path(result)["docs/adr/0007-crlf-bom.md"].status == "accepted"
    problems = {p.path: (p.message, p.skipped) for p in result.problems}
    assert set(problems) == {"docs/adr/0002-unterminated.md", "docs/adr/0003-bad-yaml.md", "docs/adr/0004-binary.md",
                             "docs/adr/0005-latin1.md", "docs/adr/0006-list-front-matter.md"}
    assert problems["docs/adr/0002-unterminated.md"] == ("front matter starts with '---' but is never closed", True)
    assert problems["docs/adr/0004-binary.md"] == ("binary file, not Markdown", True)
    assert problems["docs/adr/0005-latin1.md"][0].startswith("not UTF-8")
    # a front matter that is not valid YAML is passed over, the record read without it
    message, skipped = problems["docs/adr/0003-bad-yaml.md"]
    assert message.startswith("front matter is not valid YAML") and not skipped
    assert by_path(result)["docs/adr/0003-bad-yaml.md"].title == "Bad YAML"
    assert all(skipped for path, (_, skipped) in problems.items() if path != "docs/adr/0003-bad-yaml.md")


def test_unresolvable_reference_is_reported_but_the_decision_kept(tmp_path):
    write(tmp_path, {"docs/adr/0001-a.md": "# 1. A\n\n## Status\n\nSuperseded by [9. Gone](0009-gone.md)\n"})
    result = read_decisions(tmp_path, AdrSettings(), {})
    assert [d.status for d in result.decisions] == ["superseded"]
    assert [(p.path, p.skipped) for p in result.problems] == [("docs/adr/0001-a.md", False)]
    assert "names no known decision" in result.problems[0].message


# -- field readers --------------------------------------------------------------------------


@pytest.mark.parametrize("raw, title, number", [
    ("2. Use Postgres", "Use Postgres", 2),
    ("ADR-0002: Use Postgres", "Use Postgres", 2),
    ("[ADR-0002] Use Postgres", "Use Postgres", 2),
    ("ADR 12 — Split the monolith", "Split the monolith", 12),
    ("Architecture Decision Record: Use Kafka", "Use Kafka", None),
    ("2FA for admins", "2FA for admins", None),
    # Vector's RFC titles: the issue and the date before the title, or the date alone; one numbered as a list too
    ("RFC #1999 - 2020-03-06 - API extensions for `lua` transform", "API extensions for `lua` transform", 1999),
    ("RFC 2023-05-02 - Data Volume Insights metrics", "Data Volume Insights metrics", None),
    ("1. RFC 3645 - 2020-08-31 - GraphQL API", "GraphQL API", 3645),
    ("Design: Per-Certificate Secret Owner Reference", "Per-Certificate Secret Owner Reference", None),
    ("Use Postgres", "Use Postgres", None),
])
def test_title_without_number(raw, title, number):
    assert clean_title(raw) == (title, number)


@pytest.mark.parametrize("raw, iso", [
    ("2022-10-21", "2022-10-21"), ("Oct 21, 2022", "2022-10-21"), ("21 October 2022", "2022-10-21"),
    ("21/10/2022", "2022-10-21"), ("2022-10-21 # updated 2023", "2022-10-21"), ("2022-10-21, updated 2023-01-01", "2022-10-21"),
    ("TBD", None), ("", None),
])
def test_dates(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("text, status", [
    ("Accepted", "accepted"), ("Approved", "accepted"), ("PROPOSED", "proposed"), ("Draft", "proposed"),
    ("on hold", "on hold"), ("Pending", "pending"), ("On Hold", "on hold"), ("Draft", "proposed"), ("Rejected", "rejected"), ("Deprecated", "deprecated"),
    ("Reverted by 0009", "deprecated"), ("Partly superseded by 0004", "amended"), ("Superseded", "superseded"),
    ("Lorem", None),
])
def test_status_words(text, status):
    assert status_word(text) == status


@pytest.mark.parametrize("text, status", [
    ("Rejected / Not Implemented", "rejected"),  # Loki's LID 0004: "implemented" is the longest phrase, and negated
    ("Not accepted", None), ("not yet implemented", None), ("Accepted, not implemented yet", "accepted"),
    ("Review", "proposed"),  # Loki's LID 0006
    ("Implemented in v2, deprecated in v3", "deprecated"),
    # a part superseded (celestia-app's ADR-006, Jaeger's RFC 0002), or the whole record
    ("Implemented. Parts of this ADR were superseded by [ADR-020](./adr-020-x.md).", "amended"),
    ("Implemented — the §5 tool-routing decision is superseded by [RFC 0008](./0008-x.md)", "amended"),
    ("Implemented. Superseded by [ADR-013](./adr-013-x.md)", "superseded"), ("This ADR was superseded by 0005", "superseded"),
])
def test_a_status_naming_several_phrases_is_the_latest_state_it_asserts(text, status):
    assert status_word(text) == status


def test_a_templates_list_of_statuses_left_in_is_no_status(tmp_path):
    guidance = ('> A decision may be "proposed" if it hasn\'t been agreed upon yet, or "accepted" once it is agreed '
                'upon. If a later ADR changes or reverses a decision, it may be marked as "deprecated" or "superseded".')
    write(tmp_path, {  # (cometbft's tendermint-core/adr-036-empty-blocks-abci.md)
        "docs/adr/adr-036-empty-blocks.md": f"# ADR 036: Empty Blocks\n\n## Status\n\n{guidance}\n\n"
                                            "{Deprecated|Proposed|Accepted|Declined}\n\n## Context\n\nx\n",
        "docs/adr/adr-037-chosen.md": f"# ADR 037: Chosen\n\n## Status\n\n{guidance}\n\nAccepted\n",
    })
    d = by_path(read_decisions(tmp_path, AdrSettings(), {}))
    assert (d["docs/adr/adr-036-empty-blocks.md"].status, d["docs/adr/adr-036-empty-blocks.md"].status_raw) == ("unknown", None)
    assert d["docs/adr/adr-037-chosen.md"].status == "accepted"


def test_dated_names_and_titles_as_vector_and_cert_manager_write_them(tmp_path):
    write(tmp_path, {
        # Vector's RFCs: YYYY-MM-DD-ISSUE-slug.md, titled with the issue and the date; merged once accepted
        "rfcs/2020-03-06-1999-api-extensions-for-lua-transform.md": (
            "# RFC #1999 - 2020-03-06 - API extensions for `lua` transform\n\nThe `lua` transform gets hooks.\n"),
        "rfcs/2023-05-03-data-volume-metrics.md": "# RFC 2023-05-02 - Data Volume Insights metrics\n\nMetrics.\n",
        "rfcs/2026-07-15-split-component-build.md": "# RFC - Separate Structural Validation from Component Build\n",
        "rfcs/2021-08-13-8025-internal-tracing.md": ("# RFC #8025 - 2021-08-12 - Internal Tracing\n\n## Status\n\n"
                                                     "The team decided not to move forward with this change.\n"),
        "rfcs/_YYYY-MM-DD-issue#-title.md": "# RFC <issue#> - <YYYY-MM-DD> - <title>\n",
        # cert-manager's design/: YYYYMMDD.slug.md, "Design:"/"Proposal:" labels, two bold keys on one line
        "design/20240518.push-to-multiple-registries.md": "# Push image artifacts to multiple repositories\n\nx\n",
        "design/20220720-per-certificate-owner-ref.md": "# Design: Per-Certificate Secret Owner Reference\n\nx\n",
        "design/20250920.certificate-renewal-control.md": (
            "# Proposal: Certificate Renewal Control (windows + disable)\n\n**Status:** Draft **Date:** 2025-09-20\n\n"
            "## Summary\n\nWindows.\n"),
    })
    found = {d.path: (d.number, d.title, d.status, d.date, d.date_raw)
             for d in read_decisions(tmp_path, AdrSettings(paths=["rfcs", "design"]), {}).decisions}
    assert found == {
        "rfcs/2020-03-06-1999-api-extensions-for-lua-transform.md": (
            1999, "API extensions for lua transform", "accepted", "2020-03-06", None),
        "rfcs/2023-05-03-data-volume-metrics.md": (None, "Data Volume Insights metrics", "accepted", "2023-05-03", None),
        "rfcs/2026-07-15-split-component-build.md": (
            None, "Separate Structural Validation from Component Build", "accepted", "2026-07-15", None),
        "rfcs/2021-08-13-8025-internal-tracing.md": (8025, "Internal Tracing", "rejected", "2021-08-13", None),
        "design/20240518.push-to-multiple-registries.md": (
            None, "Push image artifacts to multiple repositories", "accepted", "2024-05-18", None),
        "design/20220720-per-certificate-owner-ref.md": (
            None, "Per-Certificate Secret Owner Reference", "accepted", "2022-07-20", None),
        "design/20250920.certificate-renewal-control.md": (
            None, "Certificate Renewal Control (windows + disable)", "proposed", "2025-09-20", "2025-09-20"),
    }


def test_a_dated_record_in_a_folder_of_proposals_is_proposed_until_it_says_otherwise(tmp_path):
    # argo-cd's docs/proposals/2022-07-13-appset-progressive-rollout-strategy.md states no status: its folder says
    write(tmp_path, {"docs/proposals/20220713-appset-rollout.md": "# ApplicationSet Progressive Rollout\n\nx\n",
                     "docs/proposals/20220801-other.md": "# Other\n\nStatus: Accepted\n",
                     "docs/proposals/notes.md": "# Notes\n\nStatus: Draft\n"})
    found = {d.path: d.status for d in read_decisions(tmp_path, AdrSettings(paths=["docs/proposals"]), {}).decisions}
    assert found == {"docs/proposals/20220713-appset-rollout.md": "proposed", "docs/proposals/20220801-other.md": "accepted",
                     "docs/proposals/notes.md": "proposed"}


def test_a_kep_style_front_matter_that_is_not_valid_yaml_is_passed_over_and_remembered_so(tmp_path):
    # cert-manager's design/20210209.certificates.k8s.io-adoption.md: reviewers listed as "- @jetstack/…"
    from cairn.ingest.adrs.parse_cache import DecisionCache

    record = ("---\ntitle: certificates.k8s.io Adoption\nreviewers:\n  - @jetstack/team-cert-manager\n"
              "creation-date: 2021-02-03\nstatus: provisional\n---\n\n# certificates.k8s.io Adoption\n\n"
              "## Summary\n\nSign with the CSR API.\n")
    write(tmp_path / "repo", {"design/20210209.certificates.k8s.io-adoption.md": record})
    for attempt in range(2):  # parsed, then taken from the cache: the note is kept with the record
        cache = DecisionCache(tmp_path / "cache", "build", tmp_path / "repo", tracked=False)
        result = read_decisions(tmp_path / "repo", AdrSettings(paths=["design"]), {}, cache=cache)
        cache.save()
        assert cache.reused == attempt
        [decision] = result.decisions
        # its plain key lines still read: the status and the date it states
        assert (decision.title, decision.status, decision.date, decision.summary) == (
            "certificates.k8s.io Adoption", "proposed", "2021-02-03", "Sign with the CSR API.")
        assert [(p.path, p.skipped) for p in result.problems] == [("design/20210209.certificates.k8s.io-adoption.md", False)]
        assert result.problems[0].message == ("front matter is not valid YAML (line 4): found character '@' that cannot "
                                              "start any token; only its plain 'key: value' lines read")


def test_the_kep_templates_placeholder_title_left_in_yields_to_the_files_name(tmp_path):
    # argo-cd's docs/proposals/headless-argocd.md, once its front matter (not valid YAML) is passed over
    write(tmp_path, {"docs/proposals/headless-argocd.md": "---\ntitle: Neat-enhancement-idea\nauthors:\n- \"@alexmt\"\n"
                     "  sponsors:\n- TBD\n---\n\n# Neat Enhancement Idea\n\nSupport disabling multi-tenancy.\n"})
    [decision] = read_decisions(tmp_path, AdrSettings(paths=["docs/proposals"]), {}).decisions
    assert decision.title == "Headless argocd"


def test_multi_line_status_takes_the_latest_state(tmp_path):
    write(tmp_path, {
        "docs/adr/0001-x.md": "# 1. X\n\n## Status\n\nProposed 2020-01-01\n\nAccepted 2020-02-01\n\nDeprecated 2021-05-05: no longer supported\n",
        "docs/adr/0002-y.md": "# 2. Y\n\n## Status\n\nExperimental\n",
        "docs/adr/0003-z.md": "# 3. Z\n\n**Status:** Accepted\n\n## Context\n\nBold key lines.\n",
    })
    d = by_path(read_decisions(tmp_path, AdrSettings(), {}))
    assert d["docs/adr/0001-x.md"].status == "deprecated"
    assert d["docs/adr/0001-x.md"].status_raw.count("\n") == 2
    assert d["docs/adr/0002-y.md"].status == "experimental"
    assert d["docs/adr/0003-z.md"].status == "accepted"


# -- components -------------------------------------------------------------------------------


def test_component_links_inferred_with_scores(tmp_path):
    write(tmp_path, {
        "docs/adr/0001-billing-owns-invoices.md": """# 1. Billing owns invoices

## Status

Accepted

## Context

Invoices live in `shop/billing/invoices.py`; shipping only reads them. The catalog is unrelated.
""",
        "docs/adr/0002-shipping-api.md": """# 2. A narrow API

## Status

Accepted

## Context

The `shipping` package exposes shop.shipping.api only. Shipping calls stay small; shipping is async.
""",
    })
    components = {"billing": ["shop/billing/**"], "shipping": ["shop/shipping/**"], "catalog": ["shop/catalog/**"]}
    d = by_path(read_decisions(tmp_path, AdrSettings(), components))
    first = {c.name: c for c in d["docs/adr/0001-billing-owns-invoices.md"].components}
    assert set(first) == {"billing"}  # shipping and catalog are mentioned once in prose only: 0.3 < 0.5
    assert first["billing"].inferred and first["billing"].score == 0.98  # 1 - (1-0.9)(1-0.7)(1-0.3): path, title, one prose mention (the title)
    assert first["billing"].evidence[0] == "mentions shop/billing/invoices.py"
    second = {c.name: c for c in d["docs/adr/0002-shipping-api.md"].components}
    assert set(second) == {"shipping"}
    assert second["shipping"].score == pytest.approx(1 - (1 - 0.9) * (1 - 0.6) * (1 - 0.5), abs=0.01)


def test_a_path_inside_a_nested_component_is_evidence_for_that_component_alone(tmp_path):
    # jaeger: internal/** keeps the small packages, internal/storage/** is storage; a record about
    # internal/storage/v1/cassandra/… decides about storage, not also about internal
    write(tmp_path, {
        "docs/adr/001-cassandra.md": ("# 1. Cassandra duration queries\n\n## Status\n\nAccepted\n\n"
                                      "See [`internal/storage/v1/cassandra/writer.go`](../../internal/storage/v1/cassandra/writer.go)"
                                      " and the module internal.storage.v1.\n"),
        "docs/adr/002-gzip.md": ("# 2. Gzip the UI\n\n## Status\n\nAccepted\n\n"
                                 "internal/storage/v1/x.go is read; internal/gzipfs/fs.go serves the assets.\n"),
        "docs/adr/003-internal-tracing.md": ("# 3. Internal tracing\n\n## Status\n\nAccepted\n\n"
                                             "Internal spans, internal metrics and internal logs go to sampling.\n"),
        "docs/adr/004-badger.md": ("# 4. Badger keys\n\n## Status\n\nAccepted\n\n"
                                   "Parameters from `config.go` of internal/storage/v1/badger/; "
                                   "`sampling.Strategy` is read.\n"),
    })
    components = {"internal": ["internal/**"], "storage": ["internal/storage/**"], "sampling": ["internal/sampling/**"]}
    d = by_path(read_decisions(tmp_path, AdrSettings(), components))
    assert [(c.name, c.evidence) for c in d["docs/adr/001-cassandra.md"].components] == [
        ("storage", ["mentions internal/storage/v1/cassandra/writer.go"])]
    assert [(c.name, c.evidence) for c in d["docs/adr/002-gzip.md"].components] == [
        ("internal", ["mentions internal/gzipfs/fs.go"]), ("storage", ["mentions internal/storage/v1/x.go"])]
    # "internal" as a word of the title and prose is no evidence (a plain word); sampling named once is too little
    assert [c.name for c in d["docs/adr/003-internal-tracing.md"].components] == []
    # a relative link to a path is a mention of it (jaeger links its code: [`config.go`](../../internal/…/config.go));
    # URLs, anchors and links out of the repository are not
    write(tmp_path, {"docs/adr/005-links.md": (
        "# 5. Links\n\n## Status\n\nAccepted\n\nSee [the reader](../../internal/sampling/reader.go#L10), "
        "[docs](https://example.com/internal/storage/x), [up](../../../internal/storage/y.go), [here](#status), "
        "[the design](../../internal/storage/DESIGN.md), [ADR 1](001-cassandra.md).\n"),
        "docs/adr/006-links.rst": ("Links\n=====\n\n:Status: Accepted\n\n"
                                   "See `the reader <../../internal/storage/v1/reader.go>`_.\n")})
    d = by_path(read_decisions(tmp_path, AdrSettings(), components))
    assert d["docs/adr/005-links.md"].linked_paths == [
        "internal/sampling/reader.go", "internal/storage/DESIGN.md", "docs/adr/001-cassandra.md"]  # (documents: no evidence)
    assert [(c.name, c.evidence) for c in d["docs/adr/005-links.md"].components] == [
        ("sampling", ["mentions internal/sampling/reader.go"])]
    assert [(c.name, c.evidence) for c in d["docs/adr/006-links.rst"].components] == [
        ("storage", ["mentions internal/storage/v1/reader.go"])]
    # a file's name is no module of a component named like the file (`config.go` is storage's); a module's path is
    badger = {"internal": ["internal/**"], "storage": ["internal/storage/**"], "config": ["internal/config/**"],
              "sampling": ["internal/sampling/**"]}
    links = by_path(read_decisions(tmp_path, AdrSettings(), badger))["docs/adr/004-badger.md"].components
    assert [(c.name, c.evidence) for c in links] == [
        ("sampling", ["`sampling` in code", "named 1× in the text"]), ("storage", ["mentions internal/storage/v1/badger"])]


def test_a_name_that_is_a_word_of_prose_counts_in_the_title_not_in_the_text(tmp_path):
    # Vector's RFCs: the network's "conditions" and Kubernetes' "API" are not src/conditions and src/api
    conditions = " ".join(["Limits adapt to current network conditions."] * 8)
    kubernetes_api = " ".join(["The Kubernetes API serves the config of each pod."] * 6)
    write(tmp_path, {
        "rfcs/2020-04-06-1858-adjust-request-limits.md": f"# RFC 1858 - Automatically Adjust Request Limits\n\n{conditions}\n",
        "rfcs/2020-04-04-2221-kubernetes-integration.md": f"# RFC 2221 - Kubernetes Integration\n\n{kubernetes_api}\n",
        "rfcs/2022-12-09-541-reload-api.md": "# RFC 541 - Reload API\n\nAn endpoint reloads the topology.\n",
        "rfcs/2021-07-19-8216-multiple-pipelines.md": ("# RFC 8216 - Multiple Pipelines\n\n"
                                                       "Pipelines are read where `config` is loaded.\n"),
    })
    components = {"conditions": ["src/conditions/**"], "api": ["src/api/**"], "config": ["src/config/**"],
                  "kubernetes": ["src/kubernetes/**"]}
    found = {d.path.rpartition("/")[2]: [c.name for c in d.components]
             for d in read_decisions(tmp_path, AdrSettings(paths=["rfcs"]), components).decisions}
    assert found == {"2020-04-06-1858-adjust-request-limits.md": [],
                     "2020-04-04-2221-kubernetes-integration.md": ["kubernetes"],
                     "2022-12-09-541-reload-api.md": ["api"],  # (named in the title)
                     "2021-07-19-8216-multiple-pipelines.md": ["config"]}  # (in code)


def test_a_record_kept_in_a_components_folder_governs_it_and_the_docs_folder_governs_nothing(tmp_path):
    # log4brains keeps per-package decisions in packages/<name>/docs/adr; the repository's own in docs/adr
    write(tmp_path, {
        ".log4brains.yml": ("project:\n  adrFolder: ./docs/adr\n  packages:\n    - name: web\n      path: ./packages/web\n"
                            "      adrFolder: ./packages/web/docs/adr\n"),
        "docs/adr/20200924-use-markdown-records.md": "# Use Markdown records\n\n- Status: accepted\n",
        "packages/web/docs/adr/20200927-use-react-hooks.md": "# Use React hooks\n\n- Status: accepted\n\nHooks only.\n",
    })
    components = {"docs": ["docs/**"], "packages": ["packages/**"], "web": ["packages/web/**"], "core": ["packages/core/**"]}
    d = by_path(read_decisions(tmp_path, AdrSettings(), components))
    assert d["docs/adr/20200924-use-markdown-records.md"].components == []
    hooks = d["packages/web/docs/adr/20200927-use-react-hooks.md"].components
    assert [(c.name, c.score, c.evidence) for c in hooks] == [("web", 0.9, ["kept in packages/web/"])]  # the innermost


def test_numbered_records_in_a_documentation_folder_are_found_and_its_other_documents_are_not(tmp_path):
    # cosmos-sdk, ibc-go, tendermint: docs/architecture/adr-NNN-*.md beside the project's other documents
    write(tmp_path, {
        "docs/architecture/adr-001-coin-source-tracing.md": "# ADR 001: Coin Source Tracing\n\n## Status\n\nAccepted, Implemented\n",
        "docs/architecture/adr-002-go-module-versioning.md": "# ADR 002: Go module versioning\n\n## Status\n\nProposed\n",
        "docs/architecture/adr-template.md": "# ADR {ADR-NUMBER}: {TITLE}\n",
        "docs/architecture/README.md": "# Architecture Decision Records\n",
        "docs/architecture/overview.md": "# How the modules fit\n",
        "docs/adr-010-in-docs.md": "# ADR 10: Kept in docs\n",
        "docs/guide/adr-011-too-deep.md": "# ADR 11: Not directly in a documentation folder\n",
    })
    found = read_decisions(tmp_path, AdrSettings(), {})
    assert {p: (x.number, x.title, x.status) for p, x in by_path(found).items()} == {
        "docs/architecture/adr-001-coin-source-tracing.md": (1, "Coin Source Tracing", "accepted"),
        "docs/architecture/adr-002-go-module-versioning.md": (2, "Go module versioning", "proposed"),
        "docs/adr-010-in-docs.md": (10, "Kept in docs", "unknown"),
    }
    assert found.folders == ["docs/adr-*", "docs/architecture/adr-*"]
    # a configured folder is read whole, numbered or not
    whole = read_decisions(tmp_path, AdrSettings(paths=["docs/architecture"]), {})
    assert sorted(by_path(whole)) == ["docs/architecture/adr-001-coin-source-tracing.md",
                                      "docs/architecture/adr-002-go-module-versioning.md", "docs/architecture/overview.md"]


def test_restructuredtext_records_as_open_edx_writes_them(tmp_path):
    # OEP-19: docs/decisions/NNNN-*.rst, a title, Status / Context / Decision / Consequences sections; a Sphinx
    # :doc: link to the superseding record; a record whose "Status" lost its underline (openedx/credentials 0007)
    write(tmp_path, {
        "docs/decisions/0001-record-architecture-decisions.rst": (
            "0001 Record Architecture Decisions\n##################################\n\nStatus\n******\n\n"
            "Superseded by :doc:`0003 <0003-copy-core-data-locally>`\n\nContext\n*******\n\n"
            "We would like to keep a historical record of the ``architectural`` decisions. See OEP-19_.\n\n"
            ".. _OEP-19: https://open-edx-proposals.readthedocs.io/en/latest/oep-0019.html\n\n"
            "Decision\n********\n\n.. include:: /etc/hostname\n\n.. raw:: html\n\n   <script>x</script>\n\n"
            "We will use Architecture Decision Records.\n\n.. code-block:: cairn\n\n"
            "   [[rules]]\n   id = \"no-ui-in-core\"\n   kind = \"forbidden\"\n   from = \"core\"\n   to = \"ui\"\n\n"
            ".. toctree::\n\n   0002-front-end\n"),
        "docs/decisions/0002-front-end.rst": (
            "=========\nFront End\n=========\n\n:Status: Accepted\n:Deciders: Ada Lovelace, Bob Builder\n"
            ":Date: 2021-03-04\n\nContext\n-------\n\nReact for every new page.\n"),
        "docs/decisions/0003-copy-core-data-locally.rst": (
            "Copy core data locally\n======================\n\nStatus\n**Draft**\n\nContext\n*******\n\nCopies.\n"),
        "docs/decisions/index.rst": "Decisions\n=========\n\n.. toctree::\n   :glob:\n\n   *\n",
        # a stranger's record nested beyond what the parser can follow: a problem, the others read
        "docs/decisions/0004-deep.rst": "Deep\n====\n\n" + "".join("  " * i + "* x\n\n" for i in range(300)),
    })
    found = read_decisions(tmp_path, AdrSettings(), {})
    assert [(p.path, p.message) for p in found.problems] == [
        ("docs/decisions/0004-deep.rst", "nested too deeply to be read as reStructuredText")]
    d = by_path(found)
    assert sorted(d) == ["docs/decisions/0001-record-architecture-decisions.rst", "docs/decisions/0002-front-end.rst",
                         "docs/decisions/0003-copy-core-data-locally.rst"]
    first = d["docs/decisions/0001-record-architecture-decisions.rst"]
    assert (first.number, first.title, first.status, first.format) == (1, "Record Architecture Decisions", "superseded",
                                                                       "restructuredtext")
    assert first.summary == "We would like to keep a historical record of the architectural decisions. See OEP-19."
    assert "architectural" in first.code_spans
    assert [r.origin for r in first.rules] == [".. code-block:: cairn at line 27"] and "no-ui-in-core" in first.rules[0].data["__toml__"]
    assert "hostname" not in first.text and "script" not in first.text  # nothing inserted, no raw content
    front = d["docs/decisions/0002-front-end.rst"]
    assert (front.number, front.title, front.status, front.date, front.deciders) == (
        2, "Front End", "accepted", "2021-03-04", ["Ada Lovelace", "Bob Builder"])
    assert d["docs/decisions/0003-copy-core-data-locally.rst"].status == "proposed"
    graph = RepoGraph("r")
    add_decisions(graph, found)
    assert [(graph.nodes[e.source].key, graph.nodes[e.target].key) for e in graph.of_type(Rel.SUPERSEDES)] == [
        ("docs/decisions/0003-copy-core-data-locally.rst", "docs/decisions/0001-record-architecture-decisions.rst")]


def test_add_decisions_builds_nodes_and_edges(tmp_path):
    write(tmp_path, {
        **{k: v for k, v in ADR_TOOLS.items() if "0001" in k or "0002" in k or "0003" in k},
        "doc/adr/0005-broken.md": "---\nstatus: x\n",
        "doc/adr/0006-orders.md": "---\nstatus: accepted\ncomponents: [orders, ghost]\n---\n# 6. Orders\n",
    })
    graph = RepoGraph("demo")
    graph.add_node(Label.REPOSITORY, "demo", path=str(tmp_path))
    graph.add_node(Label.COMPONENT, "orders", paths=["orders/**"])
    result = read_decisions(tmp_path, AdrSettings(), {"orders": ["orders/**"]})
    add_decisions(graph, result)
    node = graph.node(Label.DECISION, "doc/adr/0001-record-architecture-decisions.md")
    assert node["status"] == "superseded" and node["number"] == 1 and node["superseded_by"] == ["doc/adr/0002-use-madr-instead.md"]
    assert node["summary"] == "We need to record the architectural decisions made on this project."
    supersedes = {(graph.nodes[e.source].key, graph.nodes[e.target].key) for e in graph.of_type(Rel.SUPERSEDES)}
    assert supersedes == {("doc/adr/0002-use-madr-instead.md", "doc/adr/0001-record-architecture-decisions.md")}
    amends = {(graph.nodes[e.source].key, graph.nodes[e.target].key) for e in graph.of_type(Rel.AMENDS)}
    assert amends == {("doc/adr/0003-clarify-numbering.md", "doc/adr/0002-use-madr-instead.md")}
    governs = [(graph.nodes[e.source].key, graph.nodes[e.target].key, e.props) for e in graph.of_type(Rel.GOVERNS)]
    assert governs == [("doc/adr/0006-orders.md", "orders", {"inferred": False, "confidence": 1.0})]
    assert graph.node(Label.DECISION, "doc/adr/0006-orders.md")["components"] == ["orders", "ghost"]
    assert graph.repository["decision_problems"] == [
        {"path": "doc/adr/0005-broken.md", "message": "front matter starts with '---' but is never closed", "skipped": True}
    ]


def test_a_name_most_records_use_as_a_word_is_ubiquitous_and_only_such_names_are_searched_for() -> None:
    from cairn.ingest.adrs.components import _word_pattern, ubiquitous_names
    from cairn.ingest.adrs.records import Decision

    texts = ["The billing service calls shop.", "Shop owns the cart; billing bills.", "shop and the shopping list, billing",
             "Shopping is not shop-keeping", "Nothing here but shopping.", "billing once"]
    decisions = [Decision(path=f"docs/adr/{i:04}-x.md", title=f"Record {i}", text=text) for i, text in enumerate(texts)]
    components = {"shop": ["shop/**"], "billing": ["billing/**"], "cart": ["cart/**"], "db": ["db/**"]}
    _word_pattern.cache_clear()
    # "shop" is in five records' texts, as a word in three of six (not more than half: "shopping", "shop-keeping"
    # are no mentions); "billing" is a word in four; "cart" is in one record, "db" too short to be a word
    assert ubiquitous_names(decisions, components) == frozenset({"billing"})
    assert _word_pattern.cache_info().currsize == 2  # "shop" and "billing" only: "cart" is in too few records
    decisions.append(Decision(path="docs/adr/0009-x.md", title="Shop", text="shop"))
    assert ubiquitous_names(decisions, components) == frozenset({"billing", "shop"})


def test_a_name_most_records_use_still_counts_in_a_title_and_the_repositorys_own_name_nowhere_in_prose() -> None:
    # cometbft: "consensus" is in most records' prose, and "Consensus Refactor" is about the consensus package;
    # "CometBFT" in prose or a title is the product, not its program cmd/cometbft (a component named so)
    from cairn.ingest.adrs.components import infer_components, product_components, ubiquitous_names
    from cairn.ingest.adrs.records import Decision

    texts = ["consensus and the mempool", "the consensus reactor", "consensus timeouts", "consensus params", "p2p"]
    decisions = [Decision(path=f"docs/adr-{i:03}-x.md", title=f"Record {i}", text=t) for i, t in enumerate(texts)]
    decisions.append(Decision(path="docs/adr-010-x.md", title="Consensus Refactor", text="Split the consensus state."))
    decisions.append(Decision(path="docs/adr-011-x.md", title="CometBFT releases",
                              text="CometBFT ships CometBFT binaries; cometbft, CometBFT, again CometBFT."))
    components = {"consensus": ["consensus/**"], "cometbft": ["cmd/cometbft/**"], "p2p": ["p2p/**"]}
    ubiquitous = ubiquitous_names(decisions, components)
    own = product_components(components, ("CometBFT", "cometbft-checkout"))
    assert (ubiquitous, own) == (frozenset({"consensus"}), frozenset({"cometbft"}))
    # celestia-node: its program cmd/celestia is named as the first word of the product's name ("Celestia Node");
    # a folder of another name is not the product's
    assert product_components({"celestia": ["cmd/celestia/**"], "core": ["core/**"]}, ("celestia-node",)) == {"celestia"}
    assert product_components({"celestia": ["celestia/**"]}, ("celestia-node",)) == frozenset()
    assert product_components({"cel": ["cmd/cel/**"]}, ("cel-node",)) == frozenset()  # (too short a word)
    # flux2's program cmd/flux is named as the product without its version
    assert product_components({"flux": ["cmd/flux/**"], "oci": ["pkg/oci/**"]}, ("flux2",)) == {"flux"}

    def governs(decision: Decision) -> list[tuple[str, list[str]]]:
        return [(c.name, c.evidence) for c in infer_components(decision, components, ubiquitous, None, own)]

    assert governs(decisions[-2]) == [("consensus", ["named in the title"])]  # not "named 1× in the text" as well
    assert governs(decisions[1]) == []  # the prose of most records names it: no evidence there
    assert governs(decisions[-1]) == []
    code = Decision(path="docs/adr-012-x.md", title="Flags", text="Run cmd/cometbft/main.go with --home.")
    assert governs(code) == [("cometbft", ["mentions cmd/cometbft/main.go"])]  # as a path it still is


def test_the_products_name_before_a_components_name_leaves_the_mention_to_it() -> None:
    # Thanos: "`thanos receive`" names the receiver; the program cmd/thanos, named as the product, did not take it
    from cairn.ingest.adrs.components import infer_components, product_components
    from cairn.ingest.adrs.records import Decision

    components = {"thanos": ["cmd/thanos/**"], "receive": ["pkg/receive/**"], "query": ["pkg/query/**"]}
    own = product_components(components, ("thanos",))
    text = " ".join(["Send it to a thanos receive hashring."] * 3 + ["The receive component could embed it."] * 2)
    decision = Decision(path="docs/proposals-done/202005-x.md", title="Scalable rule storage", text=text)
    assert [(c.name, c.evidence) for c in infer_components(decision, components, frozenset(), None, own)] == [
        ("receive", ["named 5× in the text"])]
    # another component's name before it still takes it (argo-cd's "ApplicationSet controller")
    other = Decision(path="docs/proposals/x.md", title="Sharding", text=" ".join(["the query receive path"] * 5))
    assert [c.name for c in infer_components(other, components, frozenset(), None, own)] == ["query"]


def test_a_folders_own_files_keep_no_record_below_it(tmp_path):
    # dotcom-rendering: the component dotcom-rendering/* is the app folder's own files (its configuration); the
    # records in dotcom-rendering/docs/architecture are not kept in it. A component of the whole folder keeps them.
    write(tmp_path, {"app/docs/architecture/001-use-preact.md": "# Use Preact\n\n## Status\n\nAccepted\n"})
    own_files = {"app": ["app/*"], "client": ["app/src/client/**"]}
    found = by_path(read_decisions(tmp_path, AdrSettings(paths=["app/docs/architecture"]), own_files))
    assert found["app/docs/architecture/001-use-preact.md"].components == []
    whole = {"app": ["app/**"], "client": ["app/src/client/**"]}
    found = by_path(read_decisions(tmp_path, AdrSettings(paths=["app/docs/architecture"]), whole))
    assert [(c.name, c.evidence) for c in found["app/docs/architecture/001-use-preact.md"].components] == [
        ("app", ["kept in app/"])]


@pytest.mark.parametrize(("changelog", "iso"), [
    # cometbft's, ibc-go's and cosmos-sdk's records: the earliest entry is when the record was first written
    ("- 2024-04-12: Initial notes (@hvanz)\n- 2024-09-27: Allow lanes (@hvanz)\n", "2024-04-12"),
    ("- 2024-09-27: Revised\n- 2024-04-12: Initial notes\n", "2024-04-12"),
    ("- *2018-07-12* Initial version\n- *2018-09-02* Remove ABCI errors\n", "2018-07-12"),
    # dashed dates are day first (as 13/01/2020 and 13.01.2020 are read), unless one can only be month first
    ("* 07-03-2019: Initial draft\n* 14-03-2019: Updates from feedback\n", "2019-03-07"),
    ("03-11-2018: Initial Draft\n", "2018-11-03"),
    ("- 03-11-2018: Initial Draft\n- 03-13-2018: Revised\n", "2018-03-11"),
    ("- 02.04.20: Initial Draft\n- 06.04.20: Second Draft\n", "2020-04-02"),
    ("- 03-Jan-2022: Initial draft (@williambanfield)\n- 13-Jan-2022: Updated\n", "2022-01-03"),
    ("- April 30 2024: Created by @melekes\n- May 13 2024: Updated by @melekes\n", "2024-04-30"),
    ("- 2020-4-15: Created (@marbar3778)\n", "2020-04-15"),
    # no entry starts with a date: no date (the history dates the record then)
    ("- split into two ADRs - one for protocol, one for chains\n- 2 reviewers asked for it\n", None),
    ("- 1066-10-14: Hastings\n", None),
])
def test_a_changelog_section_dates_a_record_that_states_no_date(tmp_path, changelog, iso):
    from cairn.ingest.adrs.formats import parse_decision

    text = f"# ADR 118: Mempool QoS\n\n## Changelog\n\n{changelog}\n## Status\n\nAccepted\n\n## Context\n\nLanes.\n"
    decision = parse_decision("docs/architecture/adr-118-mempool-lanes.md", text.encode())
    assert (decision.date, decision.status) == (iso, "accepted")
    dated = parse_decision("docs/architecture/adr-118-x.md", text.replace("## Changelog", "Date: 2025-01-02\n\n## Changelog")
                           .encode())
    assert dated.date == "2025-01-02"  # a date the record states wins


@pytest.mark.parametrize(("path", "stated", "status"), [
    # dotcom-rendering moves a record that no longer applies to historic-adrs/ (asking for "Status: Deprecated" too)
    ("app/docs/architecture/historic-adrs/dotenv.md", "", "deprecated"),
    ("app/docs/architecture/historic-adrs/amp.md", "## Status\n\nApproved\n", "deprecated"),
    ("app/docs/architecture/historic-adrs/016-react-context.md", "## Status\n\nSuperseded by 028\n", "superseded"),
    ("docs/adr/archive/0003-x.md", "## Status\n\nRejected\n", "rejected"),
    # and keeps proposals in proposed-adrs/: a record there that says nothing is proposed, one that says is what it says
    ("app/docs/architecture/proposed-adrs/rendering-type.md", "", "proposed"),
    ("docs/adr/drafts/0009-x.md", "## Status\n\nAccepted\n", "accepted"),
    ("docs/adr/0004-archive-old-orders.md", "", "unknown"),  # a name, not a folder
])
def test_a_records_folder_says_it_is_retired_or_proposed(path, stated, status):
    from cairn.ingest.adrs.formats import parse_decision

    decision = parse_decision(path, f"# A record\n\n{stated}\n## Context\n\nWhy.\n".encode())
    assert decision.status == status


def test_a_record_naming_a_components_package_governs_it(tmp_path):
    # hermes: ADR-011 names "ibc-relayer", the crate of crates/relayer (beside ibc-relayer-cli, crates/relayer-cli);
    # log4brains' records name @log4brains/cli; Rust's code writes the crate ibc_relayer
    from cairn.ingest.adrs.components import infer_components
    from cairn.ingest.adrs.records import Decision

    components = {"relayer": ["crates/relayer/**"], "relayer-cli": ["crates/relayer-cli/**"], "cli": ["packages/cli/**"],
                  "places": ["components/places/**"]}
    packages = {"relayer": "ibc-relayer", "relayer-cli": "ibc-relayer-cli", "cli": "@log4brains/cli",
                "places": "places"}

    def governs(text: str) -> list[tuple[str, list[str]]]:
        decision = Decision(path="docs/adr-011-x.md", title="Light client crates extraction", text=text)
        return [(c.name, c.evidence) for c in infer_components(decision, components, packages=packages)]

    assert governs("We move the light clients out of ibc-relayer.") == [("relayer", ["names its package ibc-relayer"])]
    assert governs("The ibc-relayer-cli crate keeps its commands.") == [
        ("relayer-cli", ["names its package ibc-relayer-cli"])]
    assert governs("Callers import `ibc_relayer::chain::handle`.") == [("relayer", ["names its package ibc_relayer"])]
    assert governs("Install @log4brains/cli globally.") == [("cli", ["names its package @log4brains/cli"])]
    # a package named by a plain word is no more evidence than the component's name (one prose mention: 0.3)
    assert governs("Bookmarks live in places.") == []
    assert governs("An ibc-relayer-types change, a my-ibc-relayer fork.") == []
    decision = Decision(path="docs/adr-011-x.md", title="X", text="We move code out of ibc-relayer.")
    assert infer_components(decision, components) == []  # (without the package names)


def test_a_type_named_in_code_governs_the_component_of_its_files():
    # hermes' ADR-009 names the traits `ChainHandle` and `ChainEndpoint` (crates/relayer/src/chain/handle.rs …); a Java
    # record names a class by its file; a name whose files are in two components, or a plain word, says nothing
    from cairn.ingest.adrs.components import SymbolFiles, infer_components
    from cairn.ingest.adrs.records import Decision

    files = [("crates/relayer/src/chain/handle.rs", "relayer"), ("crates/relayer/src/chain/endpoint.rs", "relayer"),
             ("shop/src/main/java/acme/OrderRepository.java", "orders"), ("types/block_id.go", "types"),
             ("a/retry_policy.go", "a"), ("b/retry-policy.ts", "b"), ("c/handle.rs", "c"),
             ("test/fuzz/mempool/checktx.go", "test"), ("types/vote_test.go", "types")]
    components = {"relayer": ["crates/relayer/**"], "orders": ["shop/**"], "types": ["types/**"], "a": ["a/**"],
                  "b": ["b/**"], "c": ["c/**"]}
    symbols = SymbolFiles(files)
    # what the kept links depend on holds the file a type names, whatever order the files come in
    moved = [("crates/relayer/src/v2/chain/handle.rs" if p.endswith("chain/handle.rs") else p, c) for p, c in files]
    assert SymbolFiles(moved).digest() != symbols.digest()  # (the same keys and components, another file)
    assert SymbolFiles(reversed(files)).digest() == symbols.digest()

    def governs(spans: list[str]) -> list[tuple[str, list[str]]]:
        decision = Decision(path="docs/adr-009-x.md", title="Methods standardization", text=" ".join(spans),
                            code_spans=spans)
        return [(c.name, c.evidence) for c in infer_components(decision, components, symbols=symbols)]

    assert governs(["ChainHandle", "ChainEndpoint"]) == [("relayer", ["`ChainHandle` is crates/relayer/src/chain/handle.rs"])]
    assert governs(["OrderRepository"]) == [("orders", ["`OrderRepository` is shop/src/main/java/acme/OrderRepository.java"])]
    assert governs(["BlockID()"]) == [("types", ["`BlockID()` is types/block_id.go"])]
    assert governs(["RetryPolicy", "Handle", "chainHandle", "query_client_state()"]) == []
    assert governs(["CheckTx", "VoteTest"]) == []  # (test code: cometbft's fuzz test checktx.go)
    assert infer_components(Decision(path="d.md", title="X", text="", code_spans=["ChainHandle"]), components) == []
    # the files named for its types are among what the record mentions: a briefing on chain/handle.rs finds it nearest
    from cairn.ingest.adrs.components import mentioned_paths

    record = Decision(path="d.md", title="X", text="See crates/relayer/src/lib.rs", code_spans=["ChainHandle", "Handle"])
    assert mentioned_paths(record, components, symbols) == ["crates/relayer/src/chain/handle.rs", "crates/relayer/src/lib.rs"]
    assert mentioned_paths(record, components) == ["crates/relayer/src/lib.rs"]


def test_prose_alone_links_a_component_only_when_the_record_keeps_coming_back_to_it():
    # Thanos' "Tenancy awareness in query path" names "metadata" three times in passing and "tenant" 46 times
    from cairn.ingest.adrs.components import infer_components
    from cairn.ingest.adrs.records import Decision

    components = {"metadata": ["pkg/metadata/**"], "tenant": ["pkg/tenant/**"]}
    text = "The metadata API, its metadata and more metadata. " + "A tenant here. " * 5
    links = {c.name: c.score for c in infer_components(Decision(path="p.md", title="Tenancy", text=text), components)}
    assert links == {"tenant": 0.5}
    four = "A tenant here. " * 4
    assert infer_components(Decision(path="p.md", title="Tenancy", text=four), components) == []
    # an ordinary word of architecture prose is no evidence in a title either (Thanos' pkg/component)
    title = Decision(path="p.md", title="Adding a New Thanos Component", text="See `component`.",
                     code_spans=["component"])
    assert [c.name for c in infer_components(title, {"component": ["pkg/component/**"]})] == ["component"]  # (code)
    title.text, title.code_spans = "A component.", []
    assert infer_components(title, {"component": ["pkg/component/**"]}) == []


def test_a_url_s_scheme_is_no_mention_of_the_component_named_so():
    # scrapy's SEP-003 (nested items) gives its example items five addresses, "http://example.com": no word about
    # scrapy/http
    from cairn.ingest.adrs.components import infer_components
    from cairn.ingest.adrs.records import Decision

    components = {"http": ["scrapy/http/**"], "item": ["scrapy/item/**"]}
    text = "An item field holds an item. " * 3 + 'Supplier(url="http://example.com"). ' * 5
    links = {c.name: c.evidence for c in infer_components(Decision(path="p.rst", title="Nested", text=text), components)}
    assert links == {"item": ["named 6× in the text"]}
    text += "The http component retries. " * 5
    links = {c.name: c.evidence for c in infer_components(Decision(path="p.rst", title="Nested", text=text), components)}
    assert links["http"] == ["named 5× in the text"]


def test_a_title_naming_one_of_what_a_folder_named_in_the_plural_holds_names_it():
    # scrapy's "Spider name" is about scrapy/spiders, Vector's "AWS S3 source" about src/sources; a title's plural is
    # a kind, not the folder named in the singular (OpenTofu's "OCI Registries" are no registry client of its own)
    from cairn.ingest.adrs.components import infer_components
    from cairn.ingest.adrs.records import Decision

    components = {"spiders": ["scrapy/spiders/**"], "sources": ["src/sources/**"], "policies": ["pkg/policies/**"],
                  "registry": ["internal/registry/**"], "access": ["pkg/access/**"]}

    def linked(title: str) -> dict[str, list[str]]:
        return {c.name: c.evidence for c in infer_components(Decision(path="p.md", title=title, text="Text."), components)}

    assert linked("Spider name") == {"spiders": ["named in the title"]}
    assert linked("AWS S3 source") == {"sources": ["named in the title"]}
    assert linked("Retention policy") == {"policies": ["named in the title"]}
    assert linked("Providers from OCI Registries") == {}
    assert linked("Acces, spidery sourced policys") == {}  # (other words)


def test_a_mention_right_after_another_components_name_is_that_ones():
    # Argo CD's ApplicationSet plugin generator says "controller" seven times, four of them "ApplicationSet controller"
    # (applicationset/, not controller/)
    from cairn.ingest.adrs.components import infer_components
    from cairn.ingest.adrs.records import Decision

    components = {"applicationset": ["applicationset/**"], "controller": ["controller/**"]}
    text = ("The ApplicationSet controller calls the plugin. The applicationset controller retries; an "
            "ApplicationSet  controller caches. " * 2 + "The controller syncs. The controller waits.")
    links = {c.name: c.evidence for c in infer_components(Decision(path="p.md", title="Plugins", text=text), components)}
    assert links == {"applicationset": ["named 6× in the text"]}  # "controller" only twice on its own
    text += " The controller, the controller and the controller."
    links = {c.name: c.evidence for c in infer_components(Decision(path="p.md", title="Plugins", text=text), components)}
    assert links["controller"] == ["named 5× in the text"]


@pytest.mark.parametrize(("paragraph", "relations"), [
    ("[!IMPORTANT]\nThis RFC has been superseded by [20260807-x.md](20260807-x.md)",
     [("superseded_by", "20260807-x.md", "20260807-x.md")]),
    ("This RFC was later superseded by [Linter Policy](20230303-linter-policy.md), which proposed [fewer](a.md).",
     [("superseded_by", "Linter Policy", "20230303-linter-policy.md")]),
    ("This RFC has superseded [the cobra RFC](cobra.md)", [("supersedes", "the cobra RFC", "cobra.md")]),
    ("This ADR supersedes: [ADR 3](3.md), [ADR 4](4.md) and [ADR 5](5.md).",
     [("supersedes", "ADR 3", "3.md"), ("supersedes", "ADR 4", "4.md"), ("supersedes", "ADR 5", "5.md")]),
    ("This design document is partly superseded by [RFC 8](8.md)", [("amended_by", "RFC 8", "8.md")]),
    ("This decision amends [ADR 2](2.md)", [("amends", "ADR 2", "2.md")]),
    # not the record's own relation, or no record named right after the verb
    ("It supersedes the tool-routing decision recorded in [RFC 0002 §5](./0002.md).", []),
    ("This ADR supersedes the decisions made in ADRs 60 and 61, but [keeps](x.md) the rest", []),
    ("The state snapshot is superseded by [a newer one](s.md).", []),
    ("This RFC is superseded.", []),
    ("This RFC was replaced [x](x.md)", []),
])
def test_a_relation_stated_in_a_sentence_about_the_record(paragraph, relations):
    from cairn.ingest.adrs.fields import relations_in_prose

    assert relations_in_prose(paragraph) == relations
