"""The PR check's co-change findings: the usual partners a change leaves untouched.

For each file a change touches, the files it usually changes with (stored
CO_CHANGES pairs passing the ingest thresholds, so ``degree ≥ min_degree``)
that the change does not touch. One finding per (changed file, partner) — the
partners across a boundary first, then the strongest, ``MAX_PER_FILE`` of
them —, kind ``co-change``, rule ``cairn/co-change``, severity ``info`` — ``warn`` when the
change is agent-assisted (an agent reads imports, not history) or when the
partner sits in another component (coupling that crosses a boundary
unannounced) and is no test (a test in a ``tests/`` component is the file's
own test, not a boundary). The message names the partner, the shared count and the
revisions of the changed file: "storage/remote/write.py changed with
storage/remote/queue.py in 14 of 16 commits; queue.py is untouched", with
"no import connects them" unless one does or they are one package: one Go
package (a folder), one module (Kotlin's expect/actual halves of one name),
or one Java/Kotlin package — ktor's CryptoJvm.kt and Crypto.kt are the JVM and
common halves of io.ktor.util's declarations, and Kotlin reads its own
package's names with no import (nor does Java), so no import can connect them.

A changed test file (``graph.testcode``) raises none: a test often changes
alone (a case added), and its usual partners are the code it tests or other
tests, which need no change for it. A changed source file still names an
untouched test it usually changes with. A change gets at most
``MAX_PER_CHANGE`` of them: its warnings first, then its strongest couplings.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any, Iterable

from cairn.graph.findings import Finding
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.severity import Severity
from cairn.graph.testcode import is_test_file

if TYPE_CHECKING:  # graph.changes defines the settings with pydantic: not imported to judge a change
    from cairn.graph.changes import CouplingSettings

RULE = "cairn/co-change"
KIND = "co-change"
DESCRIPTION = ("A file that usually changes together with a changed file (change coupling from git history, "
               "code-maat's degree) is left untouched by the change.")
MAX_PER_FILE = 3  # the strongest partners of each file; more is noise in a review comment
#: Findings for a whole change, the warnings kept first: Loki's PR of eight source files raised 16, mostly each file
#: and its own test; flux2's nine, sibling commands.
MAX_PER_CHANGE = 6


_JVM = (".java", ".kt")


def _one_package(a: str, b: str, module_a: str | None, module_b: str | None) -> bool:
    """Whether two files are one package, whose files use each other with no import: one Go package (one folder), or
    one Java/Kotlin package (``module_a``/``module_b``: the files' modules, ``<package>.<file stem>``)."""
    if a.endswith(".go") and b.endswith(".go"):
        return posixpath.dirname(a) == posixpath.dirname(b)
    if module_a and module_b and a.endswith(_JVM) and b.endswith(_JVM):
        package = _jvm_package(a, module_a)
        return package is not None and package == _jvm_package(b, module_b)
    return False


def _jvm_package(path: str, module: str) -> str | None:
    """The package of a Java or Kotlin file from its module, ``<package>.<file stem>`` (``java.JavaResolver``)."""
    stem = posixpath.basename(path).rpartition(".")[0]
    return module[: -len(stem) - 1] if module.endswith("." + stem) else "" if module == stem else None


def _adjacency(graph: RepoGraph, settings: CouplingSettings | None) -> dict[str, list[tuple[str, dict[str, Any], bool]]]:
    out: dict[str, list[tuple[str, dict[str, Any], bool]]] = {}
    nodes = graph.nodes
    for edge in graph.of_type(Rel.CO_CHANGES):
        a, b = nodes[edge.source], nodes[edge.target]
        if a.label is not Label.FILE or b.label is not Label.FILE:
            continue
        degree = edge.props.get("degree") or 0
        if settings is not None and degree < settings.min_degree:
            continue
        out.setdefault(a.key, []).append((b.key, edge.props, True))
        out.setdefault(b.key, []).append((a.key, edge.props, False))
    return out


def cochange_findings(graph: RepoGraph, changed_paths: Iterable[str], *, agent: bool,
                      settings: CouplingSettings | None = None, unchanged: Iterable[str] = ()) -> list[Finding]:
    """``co-change`` findings for a change touching ``changed_paths``: ``source``/``file`` the changed file,
    ``target`` the partner left untouched; the strongest coupling first. A path of ``unchanged`` (a file only renamed:
    its content is as it was) is touched but changed in nothing its partners should follow: no finding of its own."""
    changed = {p for p in changed_paths if p}
    if not changed:
        return []
    adjacency = _adjacency(graph, settings)
    found: list[tuple[float, int, Finding]] = []
    for path in sorted(p for p in changed.difference(unchanged) if not is_test_file(p)):
        node = graph.node(Label.FILE, path)
        mine = node.get("component") if node is not None else None
        rows = []
        for other, props, mine_is_a in adjacency.get(path, ()):
            if other in changed:
                continue
            partner = graph.node(Label.FILE, other)
            theirs = partner.get("component") if partner is not None else None
            # (a test elsewhere, in a tests/ component, is the file's test, not a boundary crossed: poetry's
            # http_repository.py warned of tests/repositories/test_legacy_repository.py, "in component tests")
            crosses = bool(mine and theirs and mine != theirs) and not is_test_file(other)
            rows.append((other, props, props.get("revs_a") if mine_is_a else props.get("revs_b"), theirs, crosses))
        # the partners across a boundary first (they warn), then the strongest
        rows.sort(key=lambda r: (not r[4], -(r[1].get("degree") or 0), -(r[1].get("shared") or 0), r[0]))
        for other, props, revs, theirs, crosses in rows[:MAX_PER_FILE]:
            severity = Severity.WARN if agent or crosses else Severity.INFO
            why = []
            if crosses:
                why.append(f"it is in component {theirs}")
            if not props.get("imports") and not props.get("same_module") and not _one_package(
                    path, other, node.get("module") if node is not None else None,
                    partner.get("module") if partner is not None else None):
                why.append("no import connects them")
            # (the partner by its file name, unless that is the changed file's too: tauri's "lib.rs is untouched")
            named = posixpath.basename(other) if posixpath.basename(other) != posixpath.basename(path) else other
            message = (f"{path} changed with {other} in {props.get('shared')} of {revs} commits; "
                       f"{named} is untouched (coupling {props.get('degree')}%"
                       + ("; " + ", ".join(why) if why else "") + ")")
            found.append((props.get("degree") or 0, props.get("shared") or 0, Finding(
                rule=RULE, kind=KIND, severity=severity, source=path, target=other, source_component=mine,
                target_component=theirs, file=path, message=message, new=True,
            )))
    # at most MAX_PER_CHANGE, the warnings first, then the strongest; shown strongest first (a report cut to its
    # first findings keeps them): by degree, then shared commits
    strongest = lambda f: (-f[0], -f[1], f[2].source, f[2].target)  # noqa: E731
    kept = sorted(found, key=lambda f: (f[2].severity is not Severity.WARN, *strongest(f)))[:MAX_PER_CHANGE]
    return [finding for _, _, finding in sorted(kept, key=strongest)]
