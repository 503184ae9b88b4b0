"""Architecture decision records: finding them, reading every common format, linking them.

The parts, each in its module:

* ``discovery``: which folders and files hold decision records;
* ``formats``: one file's bytes to a ``Decision`` (Nygard / adr-tools, MADR
  2/3/4, log4brains, front matter), with ``markdown`` (the document's
  structure) and ``fields`` (title, status, dates, people);
* ``relations``: references between records resolved and made symmetric
  (``DecisionSet``);
* ``components``: which components a decision governs;
* ``graph``: Decision nodes and their edges.

``read_decisions`` runs them over a checkout. A file that cannot be read as an
ADR (binary, not UTF-8, unterminated front matter, invalid YAML) becomes a
problem entry and is skipped; an unresolvable reference is a problem entry on a
decision that is still kept.
"""

from __future__ import annotations

from pathlib import Path

from cairn.ingest.adrs.components import INFERENCE_THRESHOLD, infer_components
from cairn.ingest.adrs.discovery import adr_files, find_adr_folders
from cairn.ingest.adrs.fields import clean_title, parse_date, read_status, status_word
from cairn.ingest.adrs.formats import MAX_ADR_BYTES, AdrFormatError, parse_decision
from cairn.ingest.adrs.graph import add_decisions, decision_props
from cairn.ingest.adrs.records import ComponentLink, Decision, Problem, RawRule
from cairn.ingest.adrs.relations import DecisionSet, resolve_relations
from cairn.ingest.config import AdrSettings
from cairn.ingest.untrusted import RefusedFile, read_checkout_file

__all__ = [
    "INFERENCE_THRESHOLD", "AdrFormatError", "ComponentLink", "Decision", "DecisionSet", "Problem", "RawRule",
    "add_decisions", "clean_title", "decision_props", "find_adr_folders", "infer_components", "parse_date",
    "parse_decision", "read_decisions", "read_status", "status_word",
]


def read_decisions(root: Path, settings: AdrSettings, components: dict[str, list[str]] | None = None) -> DecisionSet:
    """Read every ADR of the checkout at ``root``.

    ``components`` maps component names to their path globs, for inferring
    which components a decision governs.
    """
    root = Path(root)
    folders, problems = find_adr_folders(root, settings)
    result = DecisionSet(folders=folders, problems=problems)
    for folder in folders:
        for rel in adr_files(root, folder):
            try:
                raw = read_checkout_file(root, rel, limit=MAX_ADR_BYTES)
                if raw is None:
                    continue
                decision = parse_decision(rel, raw)
            except RefusedFile as exc:
                result.problems.append(Problem(rel, exc.reason + "; not read", skipped=True))
                continue
            except AdrFormatError as exc:
                result.problems.append(Problem(rel, str(exc), skipped=True))
                continue
            except OSError as exc:
                result.problems.append(Problem(rel, f"cannot be read ({exc.strerror or exc})", skipped=True))
                continue
            result.decisions.append(decision)
    result.decisions.sort(key=lambda d: d.path)
    resolve_relations(result)
    for decision in result.decisions:
        decision.components = decision.components or infer_components(decision, components or {})
    return result

