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


def breaks_inside_words(text: str, pieces: list[str]) -> list[str]:
    """The character before each break of ``text`` into ``pieces`` (a cell's lines) that falls inside a word."""
    out, position = [], 0
    for piece in pieces[:-1]:
        position = text.index(piece, position) + len(piece)
        if not text[position].isspace() and not text[position - 1].isspace():
            out.append(text[position - 1])
    return out


TRAEFIK_PEOPLE = [  # (name, kind, commits, last active, identities): traefik's first people, and some with one identity
    ("Ludovic Fernandez", "human", "1100", "2026-06-25",
     '@ldez\nlfernandez.dev@gmail.com\nludovic.fernandez@zenika.com\nludovic@containo.us\n"Fernandez Ludovic"'),
    ("Emile Vauge", "human", "470", "2026-07-03", '@emilevauge\nemile@vauge.com\n"emile"'),
    ("Kevin Pollet", "human", "287", "2026-07-24", 'pollet.kevin@gmail.com\n"kevinpollet"'),
    ("Julien Salleyron", "human", "226", "2026-07-15",
     '@juliens\njulien.salleyron@gmail.com\njulien@containo.us\njulien@traefik.io\njuliens@php.net\n"SALLEYRON Julien"'),
    ("Jean-Baptiste Doumenjou", "human", "95", "2022-12-06", '@jbdoumenjou\njb.doumenjou@gmail.com\n"jb doumenjou"'),
    ("Tom Moulard", "human", "95", "2025-07-24",
     "tom.moulard@epita.fr\ntom.moulard@perfectstay.com\ntom.moulard@traefik.io\ntom@moulard.org"),
    ("Mathieu Lonjaret", "human", "82", "2023-04-07", 'mathieu.lonjaret@gmail.com\n"mpl"'),
    *((f"Someone Longnamed{n}", "human", "9", "2024-01-01", f"someone{n}@example.org") for n in range(4)),
    ("dependabot[bot]", "bot", "60", "2026-07-20", "49699333+dependabot[bot]@users.noreply.github.com"),
]
PEOPLE_COLUMNS = [("name", IDENTIFIER), "kind", ("commits", NUMBER), ("last active", NUMBER), "identities"]


def test_an_email_too_long_for_its_column_folds_after_its_at_not_mid_word():
    """traefik's people at 80 columns cut "ludovic.fernandez@zenika.c│om" and "tom.moulard@perfectstay.co│m" beside names
    that keep one line: an e-mail folds after its "@" (else after a "."), never inside a name or a domain's word."""
    from cairn.api.render.console import folded

    assert folded("ludovic.fernandez@zenika.com", 26, ("/", "@", ".")) == ["ludovic.fernandez@", "zenika.com"]
    assert folded("ludovic.fernandez@zenika.com", 12, ("/", "@", ".")) == ["ludovic.", "fernandez@", "zenika.com"]
    lines = [line.plain for line in table("People of traefik", PEOPLE_COLUMNS, TRAEFIK_PEOPLE).render_lines(80)]
    assert all(len(line) <= 80 for line in lines)
    identities = [identity for row in TRAEFIK_PEOPLE for identity in row[4].split("\n")]
    shown = [line for parts in cells(lines, 4) for line in parts]
    assert "".join(shown) == "".join(identities)
    for identity in identities:  # each one whole on its line, or folded after its "@"
        pieces = [identity] if identity in shown else [shown[shown.index(identity.split("@")[0] + "@")], identity.split("@")[1]]
        assert "".join(pieces) == identity and all(before in "@." for before in breaks_inside_words(identity, pieces))


JACKSON_IMPORTS = [  # (module, imports, at): jackson-databind's new imports between modules, from a pr-check
    ("com.fasterxml.jackson.databind.DeserializationContextTest", "com.fasterxml.jackson.databind.DeserializationContext",
     "src/test/java/com/fasterxml/jackson/databind/DeserializationContextTest.java:29"),
    ("com.fasterxml.jackson.databind.DeserializationContextTest", "com.fasterxml.jackson.databind.node.JsonNodeFactory",
     "src/test/java/com/fasterxml/jackson/databind/DeserializationContextTest.java:4"),
    ("com.fasterxml.jackson.databind.deser.creators.BeanDeserializerFactory4920Test", "com.fasterxml.jackson.databind.JavaType",
     "src/test/java/com/fasterxml/jackson/databind/deser/creators/BeanDeserializerFactory4920Test.java:13"),
    ("com.fasterxml.jackson.databind.deser.creators.JsonCreatorReturningNull4938Test",
     "com.fasterxml.jackson.databind.ObjectMapper",
     "src/test/java/com/fasterxml/jackson/databind/deser/creators/JsonCreatorReturningNull4938Test.java:9"),
    ("com.fasterxml.jackson.databind.deser.jdk.CustomMapKeyDeserializer4444Test", "com.fasterxml.jackson.databind.ObjectMapper",
     "src/test/java/com/fasterxml/jackson/databind/deser/jdk/CustomMapKeyDeserializer4444Test.java:11"),
]


def test_the_names_that_tell_rows_apart_fold_between_their_parts_beside_a_taller_cell():
    """jackson-databind's new imports at 80 columns cut every module name in the first column ("com.fasterxml.ja│ckson.
    databind.D│eserializationCo│ntextTest") to keep its path whole, each line of a name counted as a line of the table
    although its row was as tall for its path: a row is as tall as its tallest cell, and the names fold after a "."."""
    columns = [("module", IDENTIFIER), ("imports", IDENTIFIER), ("at", IDENTIFIER)]
    lines = [line.plain for line in table("imports", columns, JACKSON_IMPORTS).render_lines(80)]
    assert all(len(line) <= 80 for line in lines)
    parts = [[part.strip() for part in line.strip("│").split("│")] for line in lines if line.startswith("│")]
    modules: list[list[str]] = []
    for module, _, at in parts:  # (a row starts where its path does)
        if at.startswith("src/"):
            modules.append([])
        if module:
            modules[-1].append(module)
    assert ["".join(parts) for parts in modules] == [row[0] for row in JACKSON_IMPORTS]
    assert all(breaks_inside_words(row[0], parts) == ["."] * (len(parts) - 1) for parts, row in zip(modules, JACKSON_IMPORTS))


def test_a_row_is_as_tall_as_its_tallest_cell_so_a_name_wraps_for_free_beside_a_list():
    """Each person's identities take three lines or more: a name over two lines beside them makes no row taller, an
    e-mail folded in three does. The widths chosen make the table as short as any split of the width would (cutting
    nothing more: the one word too long for any of them is cut either way); counting each cell's lines as if its row
    were one line tall, the names kept one line and the table took 5 lines more at 48 columns."""
    names = ["Julien Salleyron", "Ludovic Fernandez", "Mathieu Lonjaret", "Romain Tribotte", "Nicolas Mengin", "Michael Matur"]
    rows = [(name, "12", f"@{name.split()[0].lower()}\n{name.lower().replace(' ', '.')}@example.com\n\"{name.split()[1]}\"")
            for name in names]
    rows.append(("bot", "3", "x" * 60))
    fitted = table("people", [("name", IDENTIFIER), ("commits", NUMBER), "identities"], rows)
    width = 48
    room = width - 3 * 3 - 1
    shortest = min(len(fitted._render([name, 7, room - 7 - name], width)) for name in range(8, room - 7 - 8 + 1))
    lines = [line.plain for line in fitted.render_lines(width)]
    assert len(lines) == shortest
    shown: list[list[list[str]]] = []  # each row's lines of each column (a row starts where its count does)
    for line in lines:
        if line.startswith("│"):
            parts = [part.strip() for part in line.strip("│").split("│")]
            if parts[1]:
                shown.append([[], [], []])
            for column, part in enumerate(parts):
                if part:
                    shown[-1][column].append(part)
    assert [" ".join(row[0]) for row in shown] == [*names, "bot"]
    for row, (name, _, identities) in zip(shown, rows[:-1]):
        email = identities.split("\n")[1]
        pieces = row[2][1:-1]  # (between the login and the name)
        assert "".join(pieces) == email and all(before in "@." for before in breaks_inside_words(email, pieces))


def test_a_name_of_three_words_wraps_onto_two_lines_where_an_identifier_has_room_to_fold():
    """hugo's hotspots at 80 columns gave its top holder three lines in every row ("Bjørn" / "Erik" / "Pedersen")
    beside a component column as wide as its one long name: prose gives way first, down to its longest word. When the
    identifiers folded between their folders make the table shorter, they give way first."""
    rows = [(str(700 - i), "1200", path, component, "1", "Anna Maria Lindqvist")
            for i, (path, component) in enumerate([
                ("engine/site.go", "engine"), ("commands/builder.go", "commands"),
                ("engine/sites_build_steps.go", "engine"), ("engine/integrationtest_builder.go", "engine"),
                ("config/allconfig/allconfig.go", "config"), ("resources/page/meta.go", "resources/page")])]
    lines = [line.plain for line in table("hotspots", COLUMNS, rows).render_lines(80)]
    assert all(len(line) <= 80 for line in lines)
    holders = cells(lines, 5)
    assert all(len(parts) == 2 for parts in holders), holders  # "Anna Maria" / "Lindqvist", not three lines
    assert [" ".join(parts) for parts in holders] == [row[5] for row in rows]
    files, components = cells(lines, 2), cells(lines, 3)
    assert ["".join(parts) for parts in files] == [row[2] for row in rows]
    assert all(part.endswith("/") for parts in files + components for part in parts[:-1])  # folded only at folders
    assert len([line for line in lines if line.startswith("│")]) == 2 * len(rows)


def test_a_bullets_lines_after_the_first_are_indented_under_its_text():
    """pr-check's findings at 80 columns ran on from column 0 under their bullet."""
    from cairn.api.render.terminal import Bullet

    text = ("packages/kit/src/core/postbuild/fallback.js changed with packages/kit/scripts/generate-dts.js in 5 of 13 "
            "commits; generate-dts.js is untouched (coupling 38.5%; no import connects them)")
    lines = [line.plain.rstrip() for line in Bullet(text).render_lines(80)]
    assert len(lines) > 1 and lines[0].startswith("  • ") and all(line.startswith("    ") for line in lines[1:])
    assert all(len(line) <= 80 for line in lines)
    assert " ".join(line.strip().removeprefix("• ") for line in lines) == text
