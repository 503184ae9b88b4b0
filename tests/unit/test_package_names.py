"""The names build units give themselves in their manifests (``ingest.package_names``), read as untrusted data."""

import os

from cairn.ingest.package_names import MAX_MANIFEST_BYTES, package_name, package_names


def write(root, files):
    for path, text in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(text if isinstance(text, bytes) else text.encode())
    return set(files)


def test_each_manifest_gives_its_package_name(tmp_path):
    present = write(tmp_path, {
        "crates/relayer/Cargo.toml": '[package]\nname = "ibc-relayer"\nversion = "0.32.2"\n',
        "packages/cli/package.json": '{"name": "@log4brains/cli", "version": "1.0.0"}',
        "py/core/pyproject.toml": '[project]\nname = "acme-core"\n',
        "py/old/pyproject.toml": '[tool.poetry]\nname = "acme-old"\n',
        "php/lib/composer.json": '{"name": "acme/lib"}',
        "go/sdk/go.mod": "// the SDK\nmodule github.com/acme/sdk/v2 // comment\n\ngo 1.22\n",
        # both: Cargo's name is asked first
        "both/Cargo.toml": '[package]\nname = "both-crate"\n', "both/package.json": '{"name": "both-npm"}',
    })
    assert package_name(tmp_path, "crates/relayer", present) == "ibc-relayer"
    assert package_name(tmp_path, "packages/cli", present) == "@log4brains/cli"
    assert package_name(tmp_path, "py/core", present) == "acme-core"
    assert package_name(tmp_path, "py/old", present) == "acme-old"
    assert package_name(tmp_path, "php/lib", present) == "acme/lib"
    assert package_name(tmp_path, "go/sdk", present) == "github.com/acme/sdk/v2"
    assert package_name(tmp_path, "both", present) == "both-crate"
    components = [("relayer", ["crates/relayer/**"]), ("cli", ["packages/cli/**"]), ("two", ["py/core/**", "py/old/**"]),
                  ("files", ["go/sdk/*"]), ("none", ["docs/**"])]
    units = frozenset({"crates/relayer", "packages/cli", "py/core", "py/old", "go/sdk", "php/lib", "both"})
    # only a component that is one build unit's folder goes by its name
    assert package_names(tmp_path, components, units, present) == {"relayer": "ibc-relayer", "cli": "@log4brains/cli"}


def test_a_manifest_that_gives_no_plain_name_gives_none_and_stops_nothing(tmp_path):
    present = write(tmp_path, {
        "a/Cargo.toml": "[workspace]\nmembers = []\n",  # a workspace: no package
        "b/package.json": '["not", "an", "object"]',
        "c/package.json": '{"name": "two words"}',
        "d/package.json": '{"name": {"nested": 1}}',
        "e/Cargo.toml": "[package\nname = 'broken'\n",
        "f/package.json": "[" * 100_000,  # deeper than json or tomllib recurse
        "g/Cargo.toml": "a = " + "[" * 100_000,
        "h/package.json": b'{"name": "\xff\xfe"}',
        "i/package.json": '{"name": "' + "x" * (MAX_MANIFEST_BYTES + 1) + '"}',
        "j/Cargo.toml": "package = 3\n",
        "k/package.json": '{"name": "-"}',  # any Markdown list would "mention" it
        "l/go.mod": "module a" + "/b" * 40 + " c\n",  # not a module line; read without any pattern (it took seconds)
        "m/go.mod": "\n" * 200_000,
    })
    for folder in "abcdefghijklm":
        assert package_name(tmp_path, folder, present) is None, folder
    # a manifest linked to a file outside the checkout is not read
    outside = tmp_path.parent / "secret.json"
    outside.write_text('{"name": "stolen-name"}')
    (tmp_path / "n").mkdir()
    os.symlink(outside, tmp_path / "n" / "package.json")
    assert package_name(tmp_path, "n", {"n/package.json"}) is None
    # a manifest git does not track is not asked
    assert package_name(tmp_path, "a", set()) is None
