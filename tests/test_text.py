"""Paragraph, sentence and range helpers (kilde.text)."""

from __future__ import annotations

import pytest
import spacy

from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon
from kilde.text import (
    MAX_PARAGRAPH_CHARS,
    Ranges,
    iter_sentences,
    paragraphs,
    quote_pairs,
    sentences,
    trim,
)


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
        # An initial is no sentence end.
        ("Knut S. Hansen sa ja. Ingen andre svarte.", ["Knut S. Hansen sa ja.", "Ingen andre svarte."]),
        # Abbreviations of continuing_abbreviations.txt, before capitals and numbers too.
        (
            "Flere byer, bl.a. Tromsø og Bodø, sa nei. Resten sa ja.",
            ["Flere byer, bl.a. Tromsø og Bodø, sa nei.", "Resten sa ja."],
        ),
        (
            "Store fisker, f.eks. Laks, ble fanget. Det var nok.",
            ["Store fisker, f.eks. Laks, ble fanget.", "Det var nok."],
        ),
        ("Møtet startet kl. 12 i dag. Det varte lenge.", ["Møtet startet kl. 12 i dag.", "Det varte lenge."]),
        ("Saken gjaldt ca. 40 elever (jf. Vedlegg 2).", ["Saken gjaldt ca. 40 elever (jf. Vedlegg 2)."]),
        # A lower-case word after a full stop continues the sentence.
        (
            "Bussen kom til Os sentrum. etter en stund kjørte den videre.",
            ["Bussen kom til Os sentrum. etter en stund kjørte den videre."],
        ),
        # Capitals that are no title case still start a sentence.
        ("Hun tok ordet. FN må gjøre mer, sa hun.", ["Hun tok ordet.", "FN må gjøre mer, sa hun."]),
        # An abbreviation that can end a sentence (not in continuing_abbreviations.txt) does.
        ("Hun stemte på Frp. Det sa hun selv.", ["Hun stemte på Frp.", "Det sa hun selv."]),
        ("«Kommer du?» Han svarte ikke.", ["«Kommer du?»", "Han svarte ikke."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in sentences(text, 0, len(text))] == expected


def test_sentences_within_a_range() -> None:
    text = "Første linje. Andre del.\nNeste avsnitt her. Siste."
    start = text.index("Neste")
    assert [text[s:e] for s, e in sentences(text, start, len(text))] == ["Neste avsnitt her.", "Siste."]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_continuing_abbreviation_ends_a_sentence(language: str) -> None:
    abbreviations = Lexicon.load(language).continuing_abbreviations
    assert {"kl.", "bl.a.", "f.eks.", "dr."} <= abbreviations
    for abbreviation in abbreviations:
        text = f"Det gjaldt {abbreviation} Berg i fjor."
        assert len(sentences(text, 0, len(text), language)) == 1, abbreviation


def test_sentences_of_a_long_paragraph() -> None:
    text = " ".join(["Hun kom kl. 9. Han gikk."] * 2000)
    found = sentences(text, 0, len(text))
    assert len(found) == 4000
    assert {text[s:e] for s, e in found} == {"Hun kom kl. 9.", "Han gikk."}


def test_quote_pairs_close_at_the_paragraph_end_when_unbalanced() -> None:
    text = "Hun sa «ja» og «kanskje"
    assert list(quote_pairs(text)) == [(7, 10), (15, len(text))]


def test_trim_removes_edge_punctuation() -> None:
    text = " «Nei, takk», "
    start, end = trim(text, 0, len(text))
    assert text[start:end] == "Nei, takk"


def test_iter_sentences_gives_the_same_ranges_lazily() -> None:
    text = "Brua er stengt. Fergene går som vanlig. Kari sier det er trygt."
    lazy = iter_sentences(text, 0, len(text))
    assert next(lazy) == (0, 15)
    assert [next(lazy), *lazy] == sentences(text, 0, len(text))[1:]


def test_a_very_long_line_is_read_in_paragraphs_of_whole_sentences() -> None:
    sentence = "«Vi er klare», sier Kari Lunde. "
    text = "Kort ingress.\n" + sentence * 1000 + "\n" + "ord " * 3000
    paras = paragraphs(spacy.blank("nb")(text))
    assert paras[0].text == "Kort ingress."
    assert all(p.end - p.start <= MAX_PARAGRAPH_CHARS for p in paras)
    assert [p.index for p in paras] == list(range(len(paras)))
    # Consecutive, nothing lost: each long line's pieces join back into the line.
    for line in text.split("\n")[1:]:
        line_start = text.index(line)
        pieces = [p for p in paras if line_start <= p.start < line_start + len(line)]
        assert [p.start for p in pieces[1:]] == [p.end for p in pieces[:-1]]
        assert pieces[0].start == line_start and pieces[-1].end == line_start + len(line)
    # The sentence line is cut after sentences only; the line of bare words after a space.
    sentence_pieces = [p for p in paras if "«" in p.text]
    assert all(p.text.rstrip().endswith("Lunde.") for p in sentence_pieces)
    assert all(p.text.startswith("ord") for p in paras if "ord " in p.text)


def test_trim_strips_every_kind_of_white_space() -> None:
    text = "\r\u2028«Hei»\x85\u00a0\r"
    assert trim(text, 0, len(text)) == (3, 6)
