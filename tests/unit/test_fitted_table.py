"""Tables fitted to 80 columns (``render.terminal.FittedTable``) fold paths between their folders and keep words whole.

temporal's hotspots at 80 columns printed "service/history/wor│kflow/mutable_state│_impl.go" and "(inactiv│e)", its
components "chasm/lib/act│ivity": every unit of a cell (a word, or a path's part up to its "/") that a width can keep
whole is kept whole.
"""

from __future__ import annotations

from cairn.api.render.console import Styled
from cairn.api.render.terminal import IDENTIFIER, NUMBER, table

HOTSPOTS = [  # (changes, lines, file, component, TF, top holder): temporal's first rows
    ("849", "10097", "service/history/workflow/mutable_state_impl.go", "service", "5", "Wenquan Xing (inactive)"),
    ("870", "7652", "service/frontend/workflow_handler.go", "service", "5", "Alex Shtin (inactive)"),
    ("463", "7237", "service/history/history_engine_test.go", "service", "5", "Wenquan Xing (inactive)"),
    ("697", "3719", "common/dynamicconfig/constants.go", "common", "7", "Yichao Yang"),
    ("347", "7290", "service/matching/matching_engine_test.go", "service/matching", "4", "David Reiss"),
    ("402", "2478", "service/history/shard/context_impl.go", "service/history/shard", "3", "Wenquan Xing (inactive)"),
    ("316", "3437", "service/history/transfer_queue_active_task_executor_test.go", "service", "5", "Wenquan Xing (inactive)"),
]
COLUMNS = [("changes", NUMBER), ("lines", NUMBER), ("file", IDENTIFIER), ("component", IDENTIFIER), ("TF", NUMBER),
           "top holder"]


def cells(lines: list[str], column: int) -> list[list[str]]:
    """Each row's lines of one column, from a drawn table (a row starts where its first column has text)."""
    rows: list[list[str]] = []
    for line in lines:
        if not line.startswith("│"):
            continue
        parts = [part.strip() for part in line.strip("│").split("│")]
        if parts[0]:
            rows.append([])
        if parts[column]:
            rows[-1].append(parts[column])
    return rows


def test_a_word_too_long_for_its_line_folds_after_a_slash_where_it_has_one():
    from cairn.api.render.console import folded

    assert folded("service/history/workflow/mutable_state_impl.go", 19, "/") == [
        "service/history/", "workflow/", "mutable_state_impl.", "go"]
    assert folded("service/history/workflow/mutable_state_impl.go", 19) == [
        "service/history/wor", "kflow/mutable_state", "_impl.go"]  # rich's fold, the default
    assert [line.plain.rstrip() for line in Styled("in chasm/lib/activity now").wrap(12, fold_after="/")] == [
        "in", "chasm/lib/", "activity now"]


def test_paths_fold_at_their_folders_and_no_word_is_cut_where_a_width_keeps_it_whole():
    lines = [line.plain for line in table("temporal: hotspots", COLUMNS, HOTSPOTS).render_lines(80)]
    assert all(len(line) <= 80 for line in lines)
    files = cells(lines, 2)
    assert ["".join(parts) for parts in files] == [row[2] for row in HOTSPOTS]
    for parts, (*_, path, _, _, _) in zip(files, HOTSPOTS):
        if "transfer_queue" not in path:  # (its file name alone is wider than any column here can be)
            assert all(part.endswith("/") for part in parts[:-1]), parts
    holders = cells(lines, 5)
    assert [" ".join(parts) for parts in holders] == [row[5] for row in HOTSPOTS]
    assert all("(inactive)" in parts for parts, row in zip(holders, HOTSPOTS) if "(inactive)" in row[5])
    components = cells(lines, 3)
    assert all(part in ("service/", "history/", "shard", "service", "common", "matching", "service/matching",
                        "service/history/", "service/history/shard", "history/shard") for parts in components for part in parts)


def test_a_numbers_header_of_two_words_wraps_rather_than_a_name_fold():
    """django-rest-framework's components at 80 columns cut "rest_framewo│rk" beside a "depends on" column of one-digit
    counts; the header goes over two lines instead. Where a word folds all the same, headers stay on one line."""
    columns = [("name", IDENTIFIER), ("paths", IDENTIFIER), ("modules", NUMBER), ("files", NUMBER),
               ("depends on", NUMBER), ("used by", NUMBER), ("TF", NUMBER)]
    rows = [("authtoken", "rest_framework/authtoken/**", "14", "14", "1", "2", "3"),
            ("rest_framework", "rest_framework/*", "33", "33", "4", "6", "1"),
            ("templatetags", "rest_framework/templatetags/**", "2", "2", "2", "2", "1")]
    lines = [line.plain for line in table("drf", columns, rows).render_lines(80)]
    assert all(len(line) <= 80 for line in lines)
    assert [cell[0] for cell in cells(lines, 0)] == ["authtoken", "rest_framework", "templatetags"]
    header = [line for line in lines if line.startswith("┃")]
    assert len(header) == 2 and "depends" in header[0] and " on " in header[1] and "depends on" not in "".join(header)
    # room for everything: the header on one line
    wide = [line.plain for line in table("drf", columns, rows).render_lines(120)]
    assert sum(line.startswith("┃") for line in wide) == 1 and "depends on" in "".join(wide)
    # where a word folds all the same, the headers go over two lines when that folds fewer: at 74 columns one name
    # folds ("rest_framewo│rk"), where with the headers on one line the three paths folded too
    squeezed = table("drf", columns, rows)
    assert squeezed.folded_cells(74) == 1
    assert sum(line.plain.startswith("┃") for line in squeezed.render_lines(74)) == 2
    # and the paths fold before the names that tell the rows apart: at 70 columns every name stays whole
    narrower = [line.plain for line in table("drf", columns, rows).render_lines(70)]
    assert [cell[0] for cell in cells(narrower, 0)] == ["authtoken", "rest_framework", "templatetags"]


def test_headers_stay_on_one_line_when_wrapping_them_spares_no_fold():
    columns = [("name", IDENTIFIER), ("depends on", NUMBER)]
    rows = [("a_very_long_component_name_that_folds_anyway_" * 2, "1")]
    lines = [line.plain for line in table("t", columns, rows).render_lines(40)]
    assert sum(line.startswith("┃") for line in lines) == 1 and "depends on" in "".join(lines)


def test_numbers_headers_wrap_rather_than_a_folder_fold_in_every_row():
    """svelte's components at 80 columns: every "in" cell folded between its folders ("packages/" / "svelte/src/"),
    eighteen rows on two lines, beside "depends on" and "used by" headers on one line each. The headers go over two
    lines instead: one line more, not one a row. Where a single row folds, the headers stay on one line (a tie)."""
    columns = [("name", IDENTIFIER), ("in", IDENTIFIER), ("modules", NUMBER), ("files", NUMBER),
               ("depends on", NUMBER), ("used by", NUMBER), ("TF", NUMBER)]
    names = ["action", "animate", "attachments", "compiler", "easing", "events", "internal", "legacy", "motion"]
    rows = [(name, "packages/svelte/src/", "244", "244", "2", "11", "1") for name in names]
    rows.append(("benchmarking", "", "24", "26", "3", "", "1"))
    lines = [line.plain for line in table("svelte", columns, rows).render_lines(80)]
    assert all(len(line) <= 80 for line in lines)
    assert [cell for cell in cells(lines, 1) if cell] == [["packages/svelte/src/"]] * len(names)
    header = [line for line in lines if line.startswith("┃")]
    assert len(header) == 2 and "depends" in header[0] and "on" in header[1]
    # one row folding: as many lines either way, the headers stay on one line
    one = [rows[0], *(("x" + name, "src/", "2", "2", "1", "1", "1") for name in names)]
    lines = [line.plain for line in table("one", columns, one).render_lines(74)]
    assert sum(line.startswith("┃") for line in lines) == 1 and "depends on" in "".join(lines)
    assert len(cells(lines, 1)[0]) > 1 and "".join(cells(lines, 1)[0]) == "packages/svelte/src/"
