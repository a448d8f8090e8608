"""Paragraph, sentence and range helpers (kilde.text)."""

from __future__ import annotations

import pytest

from kilde.text import Ranges, quote_pairs, sentences, trim


def test_ranges_contains_and_overlaps() -> None:
    ranges = Ranges([(10, 20), (0, 5), (30, 40)])
    assert ranges.contains(0) and ranges.contains(19) and ranges.contains(35)
    assert not ranges.contains(5) and not ranges.contains(25) and not ranges.contains(40)
    assert ranges.overlaps(18, 32) and ranges.overlaps(4, 6)
    assert not ranges.overlaps(20, 30) and not ranges.overlaps(41, 50)


def test_nested_ranges_are_found() -> None:
    ranges = Ranges([(0, 100), (10, 20)])
    assert ranges.contains(50)
    assert ranges.overlaps(60, 70)


def test_empty_ranges() -> None:
    assert not Ranges([]).contains(0)
    assert not Ranges([]).overlaps(0, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hun kom kl. 12. Han kom senere.", ["Hun kom kl. 12.", "Han kom senere."]),
        ("Professor Knut S. Lie sier nei. Det er alt.", ["Professor Knut S. Lie sier nei.", "Det er alt."]),
        ("«Nei!» Det var svaret.", ["«Nei!»", "Det var svaret."]),
        ("Prisen var 1.000 kroner. Nå er den lavere", ["Prisen var 1.000 kroner.", "Nå er den lavere"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in sentences(text, 0, len(text))] == expected


def test_quote_pairs_close_at_the_paragraph_end_when_unbalanced() -> None:
    text = "Hun sa «ja» og «kanskje"
    assert list(quote_pairs(text)) == [(7, 10), (15, len(text))]


def test_trim_removes_edge_punctuation() -> None:
    text = " «Nei, takk», "
    start, end = trim(text, 0, len(text))
    assert text[start:end] == "Nei, takk"
