"""``read_decisions``: every decision record of a checkout, read, linked and assigned to components."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from cairn.ingest.adrs.components import (
    SymbolFiles, infer_components, inner_prefixes, mentioned_paths, named_type, product_components, ubiquitous_names,
)
from cairn.ingest.adrs.discovery import RECORD_PAGES, adr_files, find_adr_folders
from cairn.graph.store import verifying_skips
from cairn.ingest.adrs.records import MAX_ADR_BYTES, AdrFormatError, Decision, Problem
from cairn.ingest.adrs.relations import DecisionSet, resolve_relations
from cairn.ingest.untrusted import RefusedFile, read_checkout_file

if TYPE_CHECKING:
    from cairn.ingest.adrs.parse_cache import DecisionCache
    from cairn.ingest.config_models import AdrSettings


#: A Kubernetes Enhancement Proposal's metadata, beside its README: title, status, creation-date, approvers.
KEP_METADATA = "kep.yaml"


def with_kep_metadata(root: Path, rel: str, raw: bytes) -> tuple[bytes, str | None]:
    """A KEP's README with its folder's ``kep.yaml`` as its front matter (kueue's ``keps/1224-lending-limit/``: the
    README has the text, ``kep.yaml`` the status, the date and the approvers), read as the front matter is (untrusted
    YAML, size-capped: ``MAX_ADR_BYTES`` for both); the README as it is when there is none or it has a front matter of
    its own, and, with a note why, when ``kep.yaml`` cannot be read (kueue has some that are not valid YAML)."""
    folder, _, name = rel.rpartition("/")
    stem, _, extension = name.lower().rpartition(".")
    if not folder or stem not in RECORD_PAGES or extension not in ("md", "markdown") or raw.lstrip().startswith(b"---"):
        return raw, None
    where = f"{folder}/{KEP_METADATA}"
    try:
        metadata = read_checkout_file(root, where, limit=max(MAX_ADR_BYTES - len(raw), 0))
    except RefusedFile as exc:
        return raw, f"its {KEP_METADATA} {exc.reason}: read without it"
    if not metadata:
        return raw, None
    from cairn.ingest.untrusted_yaml import load_yaml  # (a repository with KEPs only)
    from yaml import YAMLError

    try:
        if b"\n---" in metadata or metadata.startswith(b"---") or not isinstance(
                load_yaml(metadata.decode("utf-8", errors="replace")), dict):
            return raw, f"its {KEP_METADATA} is not one YAML mapping: read without it"
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        return raw, f"its {KEP_METADATA} is not valid YAML{at}: read without it"
    return b"---\n" + metadata.rstrip() + b"\n---\n" + raw, None


def fold_chapters(decisions: list[Decision]) -> list[Decision]:
    """``decisions`` without the chapters of a record, each folded into its record: a document below the folder
    beside the record and named as it is, ``X/`` beside ``X.md``, that the record links (OpenTofu's
    ``rfc/20241206-oci-registries.md`` links its ten pages ``rfc/20241206-oci-registries/1-oci-primer.md`` … from its
    table of contents, and ``rfc/20240513-static-evaluation.md`` its ``…/module-expansion.md``). The record takes their
    text, code and links, which say what it governs as its own do, in the order it links them; its title, status,
    dates and summary stay its own. A document there that the record does not link is a record of its own (Argo CD's
    ``docs/proposals/feature-bounties/hide-annotations.md``, a proposal the feature bounties brought)."""
    by_path = {d.path: d for d in decisions}
    folded: set[str] = set()
    # (the deepest records first: a chapter's own chapters are in it before it is folded)
    for decision in sorted(decisions, key=lambda d: -d.path.count("/")):
        folder = decision.path.rpartition(".")[0] + "/"
        pages = [by_path[target] for target in dict.fromkeys(decision.linked_paths)
                 if target.startswith(folder) and target in by_path and target not in folded]
        if not pages:
            continue
        folded.update(page.path for page in pages)
        decision.text = "\n".join([decision.text, *(page.text for page in pages)])
        decision.code_spans = decision.code_spans + [span for page in pages for span in page.code_spans]
        decision.linked_paths = list(dict.fromkeys(decision.linked_paths + [p for page in pages for p in page.linked_paths]))
    return [d for d in decisions if d.path not in folded]


def read_decisions(root: Path, settings: AdrSettings, components: dict[str, list[str]] | None = None,
                   cache: DecisionCache | None = None, nested: Sequence[str] = (),
                   product: Sequence[str] = (), packages: Mapping[str, str] | None = None,
                   source_files: Callable[[], Iterable[tuple[str, str]]] | None = None) -> DecisionSet:
    """Read every ADR of the checkout at ``root``.

    ``components`` maps component names to their path globs, for inferring
    which components a decision governs. ``cache`` holds the records the last
    ingest parsed: one whose bytes are the same is taken from it (the caller saves it). ``nested``: the decision
    folders below the top, found among the tracked files (``discovery.nested_adr_folders``). ``product``: the
    repository's names (as ingested, and its checkout's folder), which the records' prose uses for the whole product.
    ``packages``: component name -> the name it goes by as a package (``ingest.package_names``). ``source_files``:
    gives (path, component) of the source files, asked only when a record names a type in code (``SymbolFiles``).
    """
    if cache is None:
        from cairn.ingest.adrs.formats import parse_decision
    else:
        parse_decision = cache.parsed
    root = Path(root)
    folders, problems = find_adr_folders(root, settings, nested)
    result = DecisionSet(folders=folders, problems=problems)
    for folder in folders:
        for rel in adr_files(root, folder):
            try:
                raw = read_checkout_file(root, rel, limit=MAX_ADR_BYTES)
                if raw is None:
                    continue
                raw, note = with_kep_metadata(root, rel, raw)
                if note:
                    result.problems.append(Problem(rel, note, skipped=False))
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
            result.problems += [Problem(rel, note, skipped=False) for note in decision.notes]
            result.decisions.append(decision)
    result.decisions = fold_chapters(sorted(result.decisions, key=lambda d: d.path))
    resolve_relations(result)
    components = components or {}
    packages = dict(packages or {})
    typed = source_files is not None and any(named_type(span) for d in result.decisions for span in d.code_spans)
    symbols = SymbolFiles(source_files()) if typed else None
    key = cache.links_key(components, product, packages, symbols) if cache is not None else None
    kept = cache.links_for(key) if cache is not None and key is not None else None
    if kept is not None and not verifying_skips() and _take_links(result.decisions, kept):
        cache.keep_links(key, result.decisions)
        return result
    ubiquitous = ubiquitous_names(result.decisions, components)
    own = product_components(components, product)
    inner = inner_prefixes(components)  # (once for every record)
    for decision in result.decisions:
        decision.components = decision.components or infer_components(decision, components, ubiquitous, inner, own, packages, symbols)
        decision.mentions = mentioned_paths(decision, components, symbols)
    if cache is not None and key is not None:
        if kept is not None and verifying_skips():
            _verify_links(result.decisions, kept)
        cache.keep_links(key, result.decisions)
    return result


def _take_links(decisions: list[Decision], kept: dict[str, list[Any]]) -> bool:
    """Give each decision the component links and mentions ``kept`` for it; False (nothing given) when one is
    missing or unreadable."""
    from cairn.ingest.adrs.parse_cache import links_from_entry

    found = [links_from_entry(kept.get(d.path)) for d in decisions]
    if any(f is None for f in found):
        return False
    for decision, (links, mentions) in zip(decisions, found):
        decision.components, decision.mentions = links, mentions
    return True


def _verify_links(decisions: list[Decision], kept: dict[str, list[Any]]) -> None:
    from cairn.ingest.adrs.parse_cache import links_entry

    for decision in decisions:
        if kept.get(decision.path) != links_entry(decision):
            raise AssertionError(f"{decision.path}: the component links kept for it differ from the ones read again")
