"""The glossary page: enough terms, each in English and Korean, with symbols from the notation page."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

pytestmark = pytest.mark.book  # a page of the book, not the library

HANGUL = re.compile(r"[\uac00-\ud7a3]")
MATH = re.compile(r"\$([^$]+)\$")


def glossary_rows() -> list[list[str]]:
    rows = []
    for line in (ROOT / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and cells[0] not in {"English", "---"}:
            rows.append(cells)
    return rows


def test_the_glossary_has_at_least_forty_terms_each_named_in_korean():
    rows = glossary_rows()
    assert len(rows) >= 40, f"only {len(rows)} terms"
    english = [row[0] for row in rows]
    assert len(set(english)) == len(english), "a term is listed twice"
    untranslated = [row[0] for row in rows if not HANGUL.search(row[1])]
    assert not untranslated, f"terms without a Korean name: {untranslated}"


def test_every_symbol_in_the_glossary_is_on_the_notation_page():
    notation_math = " ".join(MATH.findall((ROOT / "notation.md").read_text(encoding="utf-8")))
    missing = [
        (row[0], symbol)
        for row in glossary_rows()
        for symbol in MATH.findall(row[2])
        if symbol not in notation_math
    ]
    assert not missing, f"symbols not defined on the notation page: {missing}"


def test_the_glossary_is_in_the_book_and_linked_from_the_front_page():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert re.search(r"-\s+file:\s+glossary\b", toc), "glossary is not in _toc.yml"
    assert "{doc}`glossary`" in (ROOT / "intro.md").read_text(encoding="utf-8")
