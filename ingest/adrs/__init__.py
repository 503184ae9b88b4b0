"""Architecture decision records: finding them, reading every common format, linking them.

The parts, each in its module:

* ``discovery``: which folders and files hold decision records;
* ``formats``: one file's bytes to a ``Decision`` (Nygard / adr-tools, MADR
  2/3/4, log4brains, front matter), with ``markdown`` (the document's
  structure) and ``fields`` (title, status, dates, people);
* ``relations``: references between records resolved and made symmetric
  (``DecisionSet``);
* ``components``: which components a decision governs;
* ``graph``: Decision nodes and their edges;
* ``parse_cache``: the records parsed by the last ingest, kept so that an
  unchanged one is not parsed again.

``read_decisions`` (``reading``) runs them over a checkout. A file that cannot be read as an
ADR (binary, not UTF-8, unterminated front matter, invalid YAML) becomes a
problem entry and is skipped; an unresolvable reference is a problem entry on a
decision that is still kept.

The names below are imported from their modules when first asked for, so that
``discovery`` (which the check for changes uses) comes without the parsers.
"""

from __future__ import annotations

from cairn.graph.lazy_exports import lazy_exports

#: Each name this package offers, and the module that defines it.
_EXPORTS = {
    "INFERENCE_THRESHOLD": ".components", "infer_components": ".components",
    "adr_files": ".discovery", "find_adr_folders": ".discovery", "nested_adr_folders": ".discovery",
    "clean_title": ".fields", "parse_date": ".fields", "read_status": ".fields", "status_word": ".fields",
    "MAX_ADR_BYTES": ".records", "AdrFormatError": ".records", "parse_decision": ".formats",
    "add_decisions": ".graph", "decision_props": ".graph",
    "ComponentLink": ".records", "Decision": ".records", "Problem": ".records", "RawRule": ".records",
    "DecisionSet": ".relations", "resolve_relations": ".relations",
    "read_decisions": ".reading", "DecisionCache": ".parse_cache",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
