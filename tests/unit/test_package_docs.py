"""What a package says of itself (``queries.explore.package_docs``): read from the files, never run, first prose."""

import json

from cairn.queries.explore.package_docs import package_purpose


def write(root, files):
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def test_a_python_packages_docstring_first_prose_paragraph(tmp_path):
    write(tmp_path, {
        "rich/__init__.py": '"""Rich text and beautiful formatting\nin the terminal."""\nimport os\n',
        "one/__init__.py": "# -*- coding: utf-8 -*-\n\n'Single quoted, one line docstring.'\n",
        # django-rest-framework: the name in ASCII art, a title over a listing, then what it is
        "art/__init__.py": 'r"""\n______ _____\n| ___ \\\\  ___/\n"""\n',
        "schemas/__init__.py": '"""\nrest_framework.schemas\n\nschemas:\n    views.py   # the view\n\n'
                               'Schema generation for the API views.\n"""\n',
        "code/__init__.py": "import os\n'''not a docstring: code comes first'''\n",
    })
    assert package_purpose(tmp_path, "rich") == ("Rich text and beautiful formatting in the terminal.", "rich/__init__.py")
    assert package_purpose(tmp_path, "one") == ("Single quoted, one line docstring.", "one/__init__.py")
    assert package_purpose(tmp_path, "art") is None
    assert package_purpose(tmp_path, "schemas") == ("Schema generation for the API views.", "schemas/__init__.py")
    assert package_purpose(tmp_path, "code") is None


def test_a_docstrings_two_word_summary_line_is_the_purpose_and_not_the_paragraph_after_it(tmp_path):
    """celery's utils card read "Don't import from here directly anymore, …", the paragraph after its summary line
    "Utility functions."; its app, backends and worker cards had none ("Celery Application.")."""
    write(tmp_path, {
        "utils/__init__.py": '"""Utility functions.\n\nDon\'t import from here directly anymore, as these are only\n'
                             'here for backwards compatibility.\n"""\n',
        "app/__init__.py": '"""Celery Application."""\n',
        "named/__init__.py": '"""\nrest_framework.schemas\n"""\n',  # a name, not a sentence
        "later/__init__.py": '"""\nrest_framework.schemas\n\nSchema views.\n"""\n',  # a summary opens, or is none
    })
    assert package_purpose(tmp_path, "utils") == ("Utility functions.", "utils/__init__.py")
    assert package_purpose(tmp_path, "app") == ("Celery Application.", "app/__init__.py")
    assert package_purpose(tmp_path, "named") is None
    assert package_purpose(tmp_path, "later") is None
    write(tmp_path, {"srv/doc.go": "// Package srv.\npackage srv\n"})
    assert package_purpose(tmp_path, "srv") is None  # Go's "Package NAME." names it again


def test_a_go_packages_comment_from_doc_go_first_and_never_a_commands_main(tmp_path):
    write(tmp_path, {
        "pkg/proxy/doc.go": "// Copyright 2018 The etcd Authors\n\n// Package proxy implements proxy servers\n"
                            "// for network fault testing.\n//\n// More detail.\npackage proxy\n",
        "pkg/proxy/a.go": "// Package proxy is something else.\npackage proxy\n",
        "pkg/crc/crc.go": "/*\nPackage crc provides utility functions for cyclic redundancy checks.\n*/\npackage crc\n",
        "pkg/bare/other.go": "// a comment that is no package comment\npackage bare\n",
        "server/main.go": "// Package main is a simple wrapper of the real entrypoint.\npackage main\n",
    })
    assert package_purpose(tmp_path, "pkg/proxy") == ("Package proxy implements proxy servers for network fault testing.",
                                                      "pkg/proxy/doc.go")
    assert package_purpose(tmp_path, "pkg/crc") == ("Package crc provides utility functions for cyclic redundancy checks.",
                                                    "pkg/crc/crc.go")
    assert package_purpose(tmp_path, "pkg/bare") is None
    assert package_purpose(tmp_path, "server") is None


def test_a_go_folder_of_packages_reads_the_package_it_is_named_for(tmp_path):
    """traefik's pkg/config/ holds only packages (dynamic, static, label …): the one named as the folder is what it
    is, the others' comments say what they are, not the folder."""
    write(tmp_path, {
        "pkg/config/label/label.go": "// Package label decodes flat labels into a configuration.\npackage label\n",
        "pkg/config/config/doc.go": "// Package config holds the configuration of the proxy.\npackage config\n",
        "pkg/config/config/deep/config/c.go": "// Package config is a deeper namesake.\npackage config\n",
        "pkg/other/label/label.go": "// Package label decodes flat labels into a configuration.\npackage label\n",
        "pkg/two/a/two/t.go": "// Package two is one of two namesakes.\npackage two\n",
        "pkg/two/b/two/t.go": "// Package two is the other of two namesakes.\npackage two\n",
        "pkg/fixture/testdata/fixture/f.go": "// Package fixture is test data of another package.\npackage fixture\n",
        "pkg/fixture/vendor/fixture/f.go": "// Package fixture is a vendored module's.\npackage fixture\n",
        "pkg/go.mod": "module example.com/pkg\n",
        "site/site/s.go": "// Package site is no module's: the folder is walked for no Go package.\npackage site\n",
    })
    assert package_purpose(tmp_path, "pkg/config") == ("Package config holds the configuration of the proxy.",
                                                       "pkg/config/config/doc.go")
    assert package_purpose(tmp_path, "pkg/other") is None  # never another package's comment
    assert package_purpose(tmp_path, "pkg/two") is None  # two at the same depth: neither is the one
    assert package_purpose(tmp_path, "pkg/fixture") is None
    assert package_purpose(tmp_path, "site") is None
    assert package_purpose(tmp_path, "") is None  # the root describes the repository


def test_a_go_package_comment_by_gos_rule_is_never_a_licence_a_generators_mark_a_directive_or_a_files_note(tmp_path):
    """containerd's plugins/types.go opens "plugins package stores all the plugin types…", loki's
    pkg/bloomgateway/bloomgateway.go "The bloom gateway is a component…": the comment right above the package clause
    in the files a package is documented in, or opening with its name, though not in Go's "Package NAME" words."""
    write(tmp_path, {
        "plugins/types.go": "// plugins package stores all the plugin types used internally.\n//\n// More.\npackage plugins\n",
        "bloomgateway/bloomgateway.go": "/*\nThe bloom gateway is a component that filters chunk references.\n*/\n"
                                        "package bloomgateway\n",
        "logql/tree_printer.go": "// Fork of https://example.com/tree_printer.go at its first version\npackage logql\n",
        "jptrace/doc.go": "// Copyright (c) 2024 The Jaeger Authors.\n// SPDX-License-Identifier: Apache-2.0\npackage jptrace\n",
        "client/doc.go": "// Code generated by client-gen. DO NOT EDIT.\n\n// This package has the generated clients.\n"
                         "package client\n",
        "tagged/doc.go": "// Package tagged runs on Linux machines only.\n//go:build linux\npackage tagged\n",
        # temporal's chasm/component_mock.go, first by name: "Package chasm is a generated GoMock package."
        "mocked/a_mock.go": "// Code generated by MockGen. DO NOT EDIT.\n// Source: a.go\n\n"
                            "// Package mocked is a generated GoMock package.\npackage mocked\n",
        "mocked/mocked.go": "// Package mocked schedules the work of the workers.\npackage mocked\n",
    })
    assert package_purpose(tmp_path, "plugins") == ("plugins package stores all the plugin types used internally.",
                                                    "plugins/types.go")
    assert package_purpose(tmp_path, "bloomgateway") == ("The bloom gateway is a component that filters chunk references.",
                                                         "bloomgateway/bloomgateway.go")
    assert package_purpose(tmp_path, "logql") is None
    assert package_purpose(tmp_path, "jptrace") is None
    assert package_purpose(tmp_path, "client") is None
    assert package_purpose(tmp_path, "mocked") == ("Package mocked schedules the work of the workers.", "mocked/mocked.go")
    assert package_purpose(tmp_path, "tagged") == ("Package tagged runs on Linux machines only.", "tagged/doc.go")


def test_a_rust_crates_inner_doc_and_manifest_descriptions(tmp_path):
    write(tmp_path, {
        "crates/core/src/lib.rs": "#![deny(missing_docs)]\n//! # Core\n//!\n//! The core types of the parser.\nuse std::fmt;\n",
        "crates/cli/Cargo.toml": '[package]\nname = "cli"\ndescription = """The command line\n  front end."""\n',
        "packages/client/package.json": json.dumps({"name": "@x/client", "description": "Talk to the server from a browser."}),
        "packages/broken/package.json": "{not json",
        # vue's packages: the description is the name again
        "packages/named/package.json": json.dumps({"name": "@x/named", "description": "@x/named"}),
        "tools/pyproject.toml": '[project]\nname = "tools"\ndescription = "Release and maintenance scripts."\n',
        "package.json": json.dumps({"description": "The whole repository, not one component."}),
    })
    assert package_purpose(tmp_path, "crates/core") == ("The core types of the parser.", "crates/core/src/lib.rs")
    assert package_purpose(tmp_path, "crates/cli") == ("The command line front end.", "crates/cli/Cargo.toml description")
    assert package_purpose(tmp_path, "packages/client") == ("Talk to the server from a browser.",
                                                            "packages/client/package.json description")
    assert package_purpose(tmp_path, "packages/broken") is None
    assert package_purpose(tmp_path, "packages/named") is None
    assert package_purpose(tmp_path, "tools") == ("Release and maintenance scripts.", "tools/pyproject.toml description")
    assert package_purpose(tmp_path, "") is None  # a root manifest describes the repository


def test_a_link_out_of_the_checkout_is_never_read(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text('"""A secret that lives outside the repository."""\n')
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg/__init__.py").symlink_to(outside)
    assert package_purpose(root.resolve(), "pkg") is None


def test_the_card_reads_a_package_only_when_shown_and_an_ingest_imports_no_reader_of_packages(tmp_path):
    # an ingest computes the cards of the changed components (``api.services.answers``) without showing them
    import subprocess
    import sys

    from cairn.queries.explore.card import with_readme_purpose

    code = ("import sys, cairn.queries.explore.card, cairn.api.services.answer_base\n"
            "print('cairn.queries.explore.package_docs' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == ["False"]
    write(tmp_path, {"pkg/__init__.py": '"""Parses the widgets of a page."""\n'})
    card = {"description": None, "purpose_source": None, "paths": ["pkg/**"]}
    assert with_readme_purpose(card, str(tmp_path))["description"] == "Parses the widgets of a page."


def test_a_java_packages_javadoc_in_package_info(tmp_path):
    """commons-lang's 18 cards had no purpose, while 15 of its packages say what they are for in package-info.java;
    its concurrent/ documents itself in 500 lines, past what is read."""
    licence = "/*\n * Licensed to the Apache Software Foundation (ASF).\n */\n\n"
    write(tmp_path, {
        "lang3/builder/package-info.java": licence + (
            "/**\n * Provides classes to create consistent {@code equals(Object)} and {@link Object#hashCode() hashCode()}\n"
            " * methods. These classes are <em>not</em> thread-safe.\n *\n * <p>When you write a hashCode()...</p>\n"
            " *\n * @since 1.0\n */\npackage org.example.lang3.builder;\n"),
        "lang3/concurrent/package-info.java": licence + (
            "/**\n * Provides support classes for multi-threaded programming, an extension to {@link java.util.concurrent}.\n"
            " *\n * <pre>{@code\n * interface X {}\n * }</pre>\n" + " * More.\n" * 3000 + " */\npackage org.example.c;\n"),
        "lang3/tagged/package-info.java": licence + "/**\n * @since 3.0\n */\npackage org.example.tagged;\n",
        "lang3/plain/package-info.java": licence + "package org.example.plain;\n",
    })
    assert package_purpose(tmp_path, "lang3/builder") == (
        "Provides classes to create consistent equals(Object) and hashCode() methods. These classes are not thread-safe.",
        "lang3/builder/package-info.java")
    assert package_purpose(tmp_path, "lang3/concurrent")[0] == (
        "Provides support classes for multi-threaded programming, an extension to java.util.concurrent.")
    assert package_purpose(tmp_path, "lang3/tagged") is None
    assert package_purpose(tmp_path, "lang3/plain") is None


def test_a_rust_crates_doc_reads_as_plain_text():
    """tauri-runtime-wry's card said "The [`wry`] Tauri [`Runtime`].": rustdoc's intra-doc links and code spans are
    marks, not words; a Markdown link keeps its text, a bracket that is no link stays."""
    from cairn.queries.explore.common import plain_markdown

    assert plain_markdown("The [`wry`] Tauri [`Runtime`].") == "The wry Tauri Runtime."
    assert plain_markdown("See [the docs](https://x.example) and [ref][1], **bold** [optional]") == \
        "See the docs and ref, bold [optional]"


def test_a_rust_crate_doc_purpose_has_no_link_marks(tmp_path):
    write(tmp_path, {"wry/src/lib.rs": "//! The [`wry`] Tauri [`Runtime`].\n//!\n//! More.\n\nmod x;\n"})
    assert package_purpose(tmp_path, "wry") == ("The wry Tauri Runtime.", "wry/src/lib.rs")


def test_a_javadoc_link_to_a_member_whose_signature_holds_spaces_reads_whole(tmp_path):
    """jackson-databind's jsonFormatVisitors read "…exposed via JsonFormatVisitorWrapper) and JsonFormatVisitorWrapper)
    methods.": a signature's space was taken for the one before a label. A member reads as javadoc shows it, a code
    span whole."""
    write(tmp_path, {"visitors/package-info.java": (
        "/**\n * Exposed via\n * {@link com.example.ObjectMapper#accept(Class, VisitorWrapper)}\n * and\n"
        " * {@link #accept(JavaType, VisitorWrapper)} methods, as {@code x + y} is.\n */\npackage com.example.visitors;\n")})
    assert package_purpose(tmp_path, "visitors") == (
        "Exposed via ObjectMapper.accept(Class, VisitorWrapper) and accept(JavaType, VisitorWrapper) methods, as x + y is.",
        "visitors/package-info.java")


def test_a_javascript_modules_own_doc_comment_in_its_entry_file(tmp_path):
    """hono's client, jsx and validator had no purpose, while each src/*/index.ts opens with "/** @module The HTTP
    Client for Hono. */"; a file's own comment (@fileoverview: eslint's lib/rules/index.js "Collects the built-in rules
    into a map structure…") says what the file does, not what its folder is."""
    write(tmp_path, {
        "src/client/index.ts": "/**\n * @module\n * The HTTP client for the shop.\n */\n\nexport { hc } from './client'\n",
        "src/core/index.js": "// SPDX-License-Identifier: MIT\n/* Copyright the shop. */\n\n/**\n * The domain model of the shop,\n"
                             " * with its orders.\n *\n * @example\n * new Order()\n * @packageDocumentation\n */\n",
        "src/rules/index.js": "/**\n * @fileoverview Collects the rules into a map.\n */\n",
        "src/late/index.ts": "import x from 'x'\n/**\n * @module\n * Comes after code.\n */\n",
    })
    assert package_purpose(tmp_path, "src/client") == ("The HTTP client for the shop.", "src/client/index.ts")
    assert package_purpose(tmp_path, "src/core") == ("The domain model of the shop, with its orders.", "src/core/index.js")
    assert package_purpose(tmp_path, "src/rules") is None
    assert package_purpose(tmp_path, "src/late") is None
