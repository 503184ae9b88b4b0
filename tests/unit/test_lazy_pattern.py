"""A pattern compiled on first use (``ingest.lazy_pattern``) answers as the compiled one does."""

from __future__ import annotations

import re

from cairn.ingest.adrs import fields, markdown
from cairn.ingest.lazy_pattern import LazyPattern


def test_a_lazy_pattern_is_compiled_on_first_use_and_answers_as_re_compile() -> None:
    source, flags = r"^(?P<word>[a-z]+)-(\d+)", re.I
    lazy, compiled = LazyPattern(source, flags), re.compile(source, flags)
    assert lazy._compiled is None
    for text in ("ADR-12 x", "no number", "x-1-y-2"):
        found, expected = lazy.match(text), compiled.match(text)
        assert (found and found.groups()) == (expected and expected.groups())
    assert lazy._compiled is not None and lazy._compiled.pattern == source and lazy._compiled.flags == compiled.flags
    assert lazy.split("a-1 b-2") == compiled.split("a-1 b-2")
    assert lazy.pattern == source and lazy.groupindex == {"word": 1}


def test_the_decision_readers_patterns_are_lazy_and_read_as_before() -> None:
    # (an ingest after a commit imports the readers but reads no unchanged record: their patterns stay uncompiled)
    for pattern in (fields._TITLE_PREFIX, fields._TITLE_WORD_PREFIX, fields._RELATION_LINE, fields._FILE_NUMBER,
                    fields._DATE_SLUG, fields.REF_NUMBER, markdown.META_LINE):
        assert isinstance(pattern, LazyPattern)
    assert fields.clean_title("ADR-0002: Use Postgres") == ("Use Postgres", 2)
    assert fields.REF_NUMBER.match("ADR-0007").group(1) == "7"
