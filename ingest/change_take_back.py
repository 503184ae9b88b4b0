"""Taking back what the change memory counted past a position, so that a merged branch's commits are counted in place.

``cochange.ChangeMemory`` keeps per log position whether a commit is counted and, per file, the positions
touching it. When a re-ingest places new commits among the remembered ones (``History.kept_prefix``), the
remembered commits past the first moved position are taken back here and ``cochange.count_commits`` counts
them again, at their new positions, with the new ones: the sums (revisions, agent changes, component
counts, shared revisions of kept pairs, an agent's commits, components and humans) come out as a count from
the first commit gives them.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from itertools import combinations
from typing import Any

from cairn.ingest.commits import PAIR

__all__ = ["take_back"]


def take_back(memory: Any, keep: int, mapping: dict[str, Any], view: Any, moved: list[int]) -> bool:
    """Take back what the commits at positions ``keep`` and on added, as if only the first ``keep`` were counted;
    False when that cannot be done exactly (then everything is counted again). ``mapping``: files and components
    as ``_mapping`` gives them, the same as the memory's for every logged path (``reusable`` checked); ``view``:
    the commits as they are now, where the commit at position ``keep + i`` was at ``moved[i]`` (``History.moved``).

    Every commit taken back is counted again (they all stay in the log), so an agent's ``first``/``last``, a min
    and a max, stay as they are; its counts are taken back.

    ``memory`` is a ``cochange.ChangeMemory`` and ``view`` a ``cochange.CommitView``, named here only (cochange
    imports this module)."""
    if keep <= 0:
        return False
    now = {was: keep + i for i, was in enumerate(moved)}
    pids, component, merge = mapping["files"], mapping["components"], view.log.merge
    bots = view.bot_only_from(keep)  # (counted for nothing, as merges: ``change_count``)
    on: dict[int, list[int]] = {}  # a taken-back position -> the files (indexes) it touched
    assisted: list[int] = []  # the taken-back agent-assisted commits, at their positions now
    for p in range(keep, memory.commits):
        at = now.get(p)
        if at is None:
            return False  # a remembered commit that is not in the log now: cannot happen after a placement
        if merge[at] or bots[at - keep]:
            continue
        files = view.files(at)
        if files:
            on[p] = sorted(files)
        if memory.assisted[p]:
            assisted.append(at)
    ids = view.person_ids
    for at in assisted:
        agents, humans = view.people(at)
        ordered = view.components(at)
        memory.assisted_total -= 1
        for agent in agents:
            info = memory.agents[ids[agent]]
            info["commits"] -= 1
            for key, names in (("components", ordered), ("humans", [ids[h] for h in humans])):
                counts = info[key]
                for name in names:
                    counts[name] -= 1
                    if not counts[name]:
                        del counts[name]
            if not info["commits"]:
                del memory.agents[ids[agent]]
    entries = 0
    for pid in {pids[f] for files in on.values() for f in files}:
        touched = memory.touch.get(pid)
        cut = bisect_left(touched, keep)
        gone = touched[cut:]
        entries += len(gone)
        memory.touch.set(pid, touched[:cut])
        memory.days.set(pid, memory.days.get(pid)[:cut])
        memory.revisions[pid] -= sum(memory.eligible[p] for p in gone)
        memory.agent_changes[pid] -= sum(memory.assisted[p] for p in gone)
    if entries != sum(map(len, on.values())):
        return False  # the files' commit lists do not hold what the commits touch: count again (then exact)
    min_shared = memory.settings["coupling"]["min_shared"]
    component_revisions: Counter = Counter()
    component_pairs: Counter = Counter()
    pairs: Counter = Counter()
    for p, files in on.items():
        if not memory.eligible[p]:
            continue
        files.sort()
        ordered = sorted({component[f] for f in files} - {None, ""})
        component_revisions.update(ordered)
        component_pairs.update(combinations(ordered, 2))
        keys = [pids[f] * PAIR for f in files]
        pairs.update([a + b // PAIR for a, b in combinations(keys, 2)])
    memory.component_revisions.subtract(component_revisions)
    memory.component_pairs.subtract(component_pairs)
    memory.component_revisions, memory.component_pairs = +memory.component_revisions, +memory.component_pairs
    dropped = []
    for key, n in pairs.items():
        known = memory.shared(key)
        if known is None:
            continue  # fewer than min_shared before: not kept, counted again from the touch lists if touched
        if known - n >= min_shared:
            memory.set_shared(key, known - n)
        else:
            dropped.append(key)
    if dropped:
        gone_keys, gone_rkeys = set(dropped), {(key % PAIR) * PAIR + key // PAIR for key in dropped}
        kept = [i for i, key in enumerate(memory.pair_key) if key not in gone_keys]
        memory.pair_key = array("q", [memory.pair_key[i] for i in kept])
        memory.pair_shared = array("i", [memory.pair_shared[i] for i in kept])
        memory.pair_rkey = array("q", [key for key in memory.pair_rkey if key not in gone_rkeys])
    del memory.eligible[keep:]
    del memory.assisted[keep:]
    memory.commits = keep
    return True
