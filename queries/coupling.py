"""Change coupling: files (and components) that change together, from the stored CO_CHANGES edges.

The pairs were counted at ingest with code-maat's semantics (see
``ingest.cochange``; a bot's commit with no human or agent on it is not
counted, so files a bot rewrites together are no pair, the PR check's
co-change findings included) and kept when they passed the thresholds of ``[coupling]``
in ``cairn.toml`` (recorded on the Repository node as ``coupling_settings``).
Here they can only be narrowed: ``min_revs``, ``min_shared`` and
``min_degree`` may be raised, not lowered below what was stored (that needs a
re-ingest with lower thresholds), and ``component`` / ``path`` keep the pairs
that involve them. A pair with a test file is left out unless ``tests`` (as
hotspots leave test files out): eslint's 229 pairs were 204 of a test and, most
of them, the rule it tests and imports, burying its 25 others (``id-blacklist``
and ``id-denylist``, 88 %, no import between them); how many were left out is
said (``left_out``).

``imports`` says whether an import connects the two files' modules, in either
direction (for components: a dependency either way). A high degree with no
import is *hidden* coupling, the kind a change that follows only imports
breaks. ``same_module`` marks files of one module (a Go package), which share
a namespace without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cairn.graph.errors import InvalidQuery, NoChangeHistory, UnknownName
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.testcode import is_test_file

if TYPE_CHECKING:
    from cairn.graph.changes import CouplingSettings


class CouplingUnavailable(InvalidQuery):
    """Thresholds below the stored ones, an unknown component, or no history."""


def stored_settings(graph: RepoGraph) -> CouplingSettings | None:
    from cairn.graph.changes import CouplingSettings  # (pydantic: imported by the queries that read the settings)

    repo = graph.repository
    raw = repo.get("coupling_settings") if repo is not None else None
    return CouplingSettings(**raw) if raw else None


def _thresholds(graph: RepoGraph, min_revs: int | None, min_shared: int | None, min_degree: float | None) -> CouplingSettings:
    stored = stored_settings(graph)
    if stored is None:
        raise NoChangeHistory(f"repository {graph.repo} has no change coupling: ingest it (with its git history) first")
    wanted = {"min_revs": min_revs, "min_shared": min_shared, "min_degree": min_degree}
    for name, value in wanted.items():
        floor = getattr(stored, name)
        if value is not None and value < floor:
            raise CouplingUnavailable(
                f"{name.replace('_', '-')} {value:g} is below the {floor:g} pairs were kept with at ingest; "
                f"set [coupling] {name} = {value:g} in cairn.toml and re-ingest to see weaker pairs"
            )
    return stored.model_copy(update={k: v for k, v in wanted.items() if v is not None})


def _passes(edge_props: dict[str, Any], settings: CouplingSettings) -> bool:
    revs_a, revs_b, shared = int(edge_props.get("revs_a") or 0), int(edge_props.get("revs_b") or 0), int(edge_props.get("shared") or 0)
    average = (revs_a + revs_b) / 2
    return (shared >= settings.min_shared and average >= settings.min_revs and average > 0
            and 100.0 * shared / average >= settings.min_degree)


def _pair(graph: RepoGraph, edge, components: list[str | None]) -> dict[str, Any]:
    p = edge.props
    return {
        "a": graph.nodes[edge.source].key, "b": graph.nodes[edge.target].key, "degree": p.get("degree"),
        "shared": p.get("shared"), "revs_a": p.get("revs_a"), "revs_b": p.get("revs_b"), "imports": bool(p.get("imports")),
        "components": components, **({"same_module": True} if p.get("same_module") else {}),
    }


def _order(row: dict[str, Any]) -> tuple:
    return (-(row["degree"] or 0), -(row["shared"] or 0), row["a"], row["b"])


def coupling(graph: RepoGraph, *, component: str | None = None, path: str | None = None, min_revs: int | None = None,
             min_shared: int | None = None, min_degree: float | None = None, limit: int | None = None,
             tests: bool = False) -> dict[str, Any]:
    """``{"pairs": [{"a", "b", "degree", "shared", "revs_a", "revs_b", "imports", "components"}], "components": [...],
    "tests", "left_out": {"tests"}}``.

    Pairs are ordered by degree, then shared commits; component pairs likewise.
    ``path`` matches a file or, ending in ``/``, a directory. Pairs with a test file only when ``tests``
    (``left_out`` counts the others).
    """
    settings = _thresholds(graph, min_revs, min_shared, min_degree)
    if component is not None and graph.node(Label.COMPONENT, component) is None:
        names = sorted(n.key for n in graph.of_label(Label.COMPONENT))
        known = ", ".join(names) or "none"
        raise UnknownName(f"no component named {component!r} (components: {known})", kind="component", name=component, suggestions=names)

    def wanted(key: str) -> bool:
        if path is None:
            return True
        return key.startswith(path) if path.endswith("/") else key == path

    pairs, comps = [], []
    left_tests = 0
    for edge in graph.of_type(Rel.CO_CHANGES):
        source, target = graph.nodes[edge.source], graph.nodes[edge.target]
        if not _passes(edge.props, settings):
            continue
        if source.label is Label.FILE:
            involved = [source.get("component"), target.get("component")]
            if component is not None and component not in involved:
                continue
            if not (wanted(source.key) or wanted(target.key)):
                continue
            if not tests and (is_test_file(source.key) or is_test_file(target.key)):
                left_tests += 1
                continue
            pairs.append(_pair(graph, edge, involved))
        elif source.label is Label.COMPONENT and path is None:
            if component is not None and component not in (source.key, target.key):
                continue
            row = _pair(graph, edge, [source.key, target.key])
            del row["components"]
            comps.append(row)
    pairs.sort(key=_order)
    comps.sort(key=_order)
    if limit is not None:
        pairs = pairs[:limit]
    return {"repository": graph.repo, "thresholds": settings.model_dump(), "pairs": pairs, "components": comps,
            "tests": tests, "left_out": {"tests": left_tests}}


def partners(graph: RepoGraph, path: str, settings: CouplingSettings | None = None) -> list[dict[str, Any]]:
    """The files ``path`` changes together with (both directions of the stored pairs), strongest first.

    Each: ``{"path", "degree", "shared", "revs" (of ``path``), "revs_partner", "imports", "component"}``.
    """
    if settings is None:
        from cairn.graph.changes import CouplingSettings

        settings = stored_settings(graph) or CouplingSettings()
    fid = graph.node(Label.FILE, path)
    if fid is None:
        return []
    out = []
    for edge in graph.of_type(Rel.CO_CHANGES):
        if edge.source != fid.id and edge.target != fid.id:
            continue
        if not _passes(edge.props, settings):
            continue
        mine_is_a = edge.source == fid.id
        other = graph.nodes[edge.target if mine_is_a else edge.source]
        p = edge.props
        out.append({
            "path": other.key, "degree": p.get("degree"), "shared": p.get("shared"),
            "revs": p.get("revs_a") if mine_is_a else p.get("revs_b"),
            "revs_partner": p.get("revs_b") if mine_is_a else p.get("revs_a"),
            "imports": bool(p.get("imports")), "component": other.get("component"),
        })
    out.sort(key=lambda r: (-(r["degree"] or 0), -(r["shared"] or 0), r["path"]))
    return out
