"""Unified diff parsing for the API's PR check."""

import pytest

from cairn.ingest.diffs import MalformedDiff, parse_unified_diff

GIT_DIFF = """\
diff --git a/shop/a.py b/shop/a.py
index 1111111..2222222 100644
--- a/shop/a.py
+++ b/shop/a.py
@@ -1,2 +1,3 @@
 import x
-import y
+import z
+import w
diff --git a/shop/new.py b/shop/new.py
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/shop/new.py
@@ -0,0 +1 @@
+import q
diff --git a/shop/gone.py b/shop/gone.py
deleted file mode 100644
--- a/shop/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-x = 1
diff --git a/old/name.py b/new/name.py
similarity index 100%
rename from old/name.py
rename to new/name.py
diff --git a/logo.png b/logo.png
Binary files a/logo.png and b/logo.png differ
"""


def test_git_diff_statuses():
    changes = {c.path: c for c in parse_unified_diff(GIT_DIFF).changes}
    assert changes["shop/a.py"].status == "modified"
    assert changes["shop/new.py"].status == "added"
    assert changes["shop/gone.py"].status == "deleted"
    assert changes["new/name.py"].status == "renamed" and changes["new/name.py"].old_path == "old/name.py"
    assert changes["logo.png"].binary


def test_plain_unified_diff():
    text = "--- a.py\t2024-01-01\n+++ a.py\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n"
    (change,) = parse_unified_diff(text).changes
    assert change.path == "a.py" and change.status == "modified"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("hello\nworld\n", "no file headers"),
        ("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n x\n", "truncated"),
        ("--- a/x\n@@ -1 +1 @@\n", "without a following"),
        ("@@ -1 +1 @@\n-a\n+b\n", "before any file header"),
        ("--- a/x\n+++ b/x\n@@ nonsense @@\n", "malformed"),
        ("--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", "unsafe"),
    ],
)
def test_malformed_diffs_are_refused_with_a_reason(text, message):
    with pytest.raises(MalformedDiff, match=message):
        parse_unified_diff(text)


def test_hunks_give_the_post_change_line_ranges():
    changes = {c.path: c for c in parse_unified_diff(GIT_DIFF).changes}
    assert [(h.start, h.count) for h in changes["shop/a.py"].hunks] == [(1, 3)]
    assert changes["shop/a.py"].first_line == 1
    assert [(h.start, h.count) for h in changes["shop/gone.py"].hunks] == [(0, 0)] and changes["shop/gone.py"].first_line is None
    zero_context = ("diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -3 +3 @@\n-a\n+b\n@@ -10,0 +11,2 @@\n+c\n+d\n"
                    "\\ No newline at end of file\n")
    (change,) = parse_unified_diff(zero_context.splitlines(keepends=True)).changes  # lines, as git streams them
    assert [(h.start, h.count) for h in change.hunks] == [(3, 1), (11, 2)] and change.first_line == 3


def test_hunks_count_the_lines_they_add_and_remove():
    changes = {c.path: c for c in parse_unified_diff(GIT_DIFF).changes}
    assert [(h.added, h.removed) for h in changes["shop/a.py"].hunks] == [(2, 1)]  # context lines do not count
    assert changes["shop/a.py"].lines_changed == 3 and changes["shop/gone.py"].lines_changed == 1
    assert changes["new/name.py"].lines_changed == 0 and changes["logo.png"].lines_changed == 0  # pure rename, binary
    zero_context = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -3 +3 @@\n-a\n+b\n@@ -10,0 +11,2 @@\n+c\n+d\n"
    (change,) = parse_unified_diff(zero_context).changes
    assert [(h.added, h.removed) for h in change.hunks] == [(1, 1), (2, 0)] and change.lines_changed == 4


def test_quoted_paths_and_type_changes():
    text = ('diff --git "a/dir/tab\\there.py" "b/dir/tab\\there.py"\n--- "a/dir/tab\\there.py"\n+++ "b/dir/tab\\there.py"\n'
            "@@ -1 +1 @@\n-a\n+b\n"
            "diff --git a/link b/link\ndeleted file mode 120000\n--- a/link\n+++ /dev/null\n@@ -1 +0,0 @@\n-target\n"
            "diff --git a/link b/link\nnew file mode 100644\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+content\n")
    changes = parse_unified_diff(text).changes
    assert [(c.path, c.status) for c in changes] == [("dir/tab\there.py", "modified"), ("link", "modified")]
    assert [(h.start, h.count) for h in changes[1].hunks] == [(1, 1)]


def test_a_renamed_path_may_not_climb_out_either():
    text = "diff --git a/../x b/y\nsimilarity index 100%\nrename from ../x\nrename to y\n"
    with pytest.raises(MalformedDiff, match="malformed diff: unsafe"):
        parse_unified_diff(text)
