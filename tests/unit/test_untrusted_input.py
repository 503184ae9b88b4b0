"""Reading what a repository supplies: files only inside the checkout, YAML without aliases."""

from __future__ import annotations

import os

import pytest
import yaml

from cairn.ingest.untrusted import RefusedFile, read_checkout_file
from cairn.ingest.untrusted_yaml import MAX_YAML_DEPTH, UnsafeYaml, load_yaml

SECRET = "SECRET-0d1f-outside-the-checkout"


@pytest.fixture
def checkout(tmp_path):
    root = tmp_path / "checkout"
    (root / "conf").mkdir(parents=True)
    (root / "conf" / "real.toml").write_text("x = 1\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    return root, outside


def test_a_regular_file_inside_is_read_and_a_missing_one_is_none(checkout):
    root, _ = checkout
    assert read_checkout_file(root, "conf/real.toml") == b"x = 1\n"
    assert read_checkout_file(root, "conf/none.toml") is None
    assert read_checkout_file(root, "conf/real.toml/deeper") is None
    os.symlink("real.toml", root / "conf" / "alias.toml")  # a link that stays inside is followed
    assert read_checkout_file(root, "conf/alias.toml") == b"x = 1\n"
    os.symlink("nowhere", root / "dangling")
    assert read_checkout_file(root, "dangling") is None


def test_links_out_of_the_checkout_directories_and_big_files_are_refused_without_their_content(checkout):
    root, outside = checkout
    os.symlink(outside / "secret.txt", root / "CODEOWNERS")
    os.symlink("../../outside/secret.txt", root / "conf" / "relative.toml")
    os.symlink(outside, root / "linked-dir")  # a directory link in the path
    os.symlink(outside, root / "cairn.toml")  # a link to a directory
    (root / "big").write_bytes(b"x" * 101)
    os.mkfifo(root / "fifo")
    cases = {
        "CODEOWNERS": "leads outside the checkout",
        "conf/relative.toml": "leads outside the checkout",
        "linked-dir/secret.txt": "leads outside the checkout",
        "cairn.toml": "leads outside the checkout",
        "conf": "a directory",
        "big": "larger than 100 bytes",
        "fifo": "not a regular file",
        "../outside/secret.txt": "outside the checkout",
        "/etc/passwd": "outside the checkout",
    }
    for path, reason in cases.items():
        with pytest.raises(RefusedFile) as refused:
            read_checkout_file(root, path, limit=100)
        assert reason in str(refused.value) and str(refused.value).startswith(path)
        assert SECRET not in str(refused.value)


def test_no_symlink_at_all_when_asked(checkout):
    root, _ = checkout
    os.symlink("conf/real.toml", root / ".mailmap")
    with pytest.raises(RefusedFile, match="a symbolic link"):
        read_checkout_file(root, ".mailmap", follow_symlinks=False)


def bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [7, 9])
def test_billion_laughs_is_refused_at_the_first_alias(levels):
    with pytest.raises(UnsafeYaml, match=r"alias \(\*a0\) is not allowed") as refused:
        load_yaml(bomb(levels))
    assert refused.value.problem_mark.line == 1


def test_plain_yaml_loads_and_deep_nesting_is_an_error_not_a_crash():
    assert load_yaml("status: accepted\ndate: 2024-01-02\nanchor: &only-an-anchor 1\n")["status"] == "accepted"
    assert load_yaml("") is None
    with pytest.raises(UnsafeYaml, match="nested more than"):
        load_yaml("[" * 100_000)
    with pytest.raises(UnsafeYaml, match="nested more than"):
        load_yaml("a:\n" + "".join("  " * i + f"b{i}:\n" for i in range(1, MAX_YAML_DEPTH + 5)))
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")  # safe constructors only
