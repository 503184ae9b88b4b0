"""ActivityMemory.activity: the rows of the periods asked for (the remembered rows themselves), without changing them."""

import copy

from cairn.graph.changes import PeriodActivity, ScopeActivity
from cairn.ingest.trend_activity import ActivityMemory


def remembered() -> ActivityMemory:
    memory = ActivityMemory("month")
    memory.rows = {period: {scope: ScopeActivity(*cell) for scope, cell in row.items()} for period, row in {
        "2024-01": {"": [3, 1, {"ada", "bob"}], "core": [2, 1, {"ada"}], "web": [1, 0, set()]},
        "2024-02": {"": [1, 0, {"carol"}], "web": [1, 0, {"carol"}]},
        "2024-03": {"": [2, 2, {"ada", "eve"}], "core": [1, 1, {"eve"}], "web": [1, 1, {"ada"}]},
        "2024-04": {"": [1, 0, {"bob"}], "core": [1, 0, {"bob"}], "api": [1, 0, {"bob"}]},
    }.items()}
    return memory


def reference(memory: ActivityMemory, names: list[str]) -> list[PeriodActivity]:
    """The definition: every row added into fresh sets."""
    out = [PeriodActivity(name) for name in names]
    for name, row in memory.rows.items():
        if name in names:
            i = names.index(name)
        elif names and name > names[0]:
            i = len(names) - 1
        else:
            continue
        for scope, cell in row.items():
            into = out[i].repository if scope == "" else out[i].components.setdefault(scope, ScopeActivity())
            into.commits += cell.commits
            into.assisted += cell.assisted
            into.humans.update(cell.humans)
    return out


def test_activity_is_the_rows_added_up_and_leaves_the_memory_as_it_was():
    memory = remembered()
    before = copy.deepcopy(memory.rows)
    for names in (["2024-01", "2024-02", "2024-03", "2024-04"], ["2024-01", "2024-02"], ["2024-02", "2024-03"], []):
        assert memory.activity(names) == reference(memory, names)
        assert memory.rows == before  # rows merged into the last period leave the remembered sets alone
    merged = memory.activity(["2024-01", "2024-02"])[-1]  # 2024-02 with 2024-03 and 2024-04 counted in
    assert merged.repository == ScopeActivity(4, 2, {"ada", "bob", "carol", "eve"})
    assert merged.components["web"] == ScopeActivity(2, 1, {"ada", "carol"})
    assert merged.components["api"] == ScopeActivity(1, 0, {"bob"})


def test_activity_hands_on_the_rows_of_a_period_as_they_are_and_adds_merged_ones_into_new_ones():
    memory = remembered()
    own = {id(cell) for row in memory.rows.values() for cell in row.values()}
    whole = memory.activity(["2024-01", "2024-02", "2024-03", "2024-04"])
    assert whole[0].repository is memory.rows["2024-01"][""] and whole[2].components["core"] is memory.rows["2024-03"]["core"]
    assert all(cell.humans.__class__ is frozenset for row in memory.rows.values() for cell in row.values())
    merged = memory.activity(["2024-01", "2024-02"])[-1]
    assert merged.components["api"] is memory.rows["2024-04"]["api"]  # in one period only
    assert id(merged.repository) not in own and id(merged.components["web"]) not in own
    assert memory.activity(["2024-01", "2024-02", "2024-03", "2024-04"]) == whole == reference(remembered(), ["2024-01", "2024-02", "2024-03", "2024-04"])



class _Log:
    def __init__(self, committed: list[int]) -> None:
        self.committed, self.merge = committed, [0] * len(committed)

    def __len__(self) -> int:
        return len(self.committed)


def test_rows_read_back_share_their_people_and_counting_into_one_leaves_the_others_alone():
    from types import SimpleNamespace

    from cairn.graph.changes import period_start

    memory = ActivityMemory.from_json(remembered().to_json())
    assert memory is not None and memory.rows == remembered().rows
    feb = memory.rows["2024-02"]
    assert feb[""].humans is feb["web"].humans  # the same people: one frozenset
    # a new commit in 2024-02 on core by ada: the repository's row of 2024-02 grows; web's, which shared its people,
    # does not
    view = SimpleNamespace(log=_Log([0, period_start("2024-02") + 3600]), person_ids=["ada", "carol"],
                           components_at=lambda positions: [("core",) for _ in positions],
                           people_at=lambda positions: [((), (0,)) for _ in positions])
    memory.count(SimpleNamespace(view=view, memory=SimpleNamespace(assisted=[0, 1])), 1)
    assert memory.rows["2024-02"] == {"": ScopeActivity(2, 1, {"ada", "carol"}), "web": ScopeActivity(1, 0, {"carol"}),
                                      "core": ScopeActivity(1, 1, {"ada"})}
    assert {k: v for k, v in memory.rows.items() if k != "2024-02"} == {
        k: v for k, v in remembered().rows.items() if k != "2024-02"}
    assert memory.activity(["2024-01", "2024-02"]) == reference(memory, ["2024-01", "2024-02"])
