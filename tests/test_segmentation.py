"""Sentence starts for pipelines without a parser (kilde.segmentation)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import kilde.lang.nynorsk  # noqa: F401  (registers spacy.blank("nn"))
from kilde.text import sentences

PIPELINE_STAGES: tuple[str, ...] = ()  # the nb/nn fixtures: a blank pipeline with kilde_sentencizer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Vannet steg i natt. Veien er stengt\nBrua holdt\n\nFergen går som normalt.",
            ["Vannet steg i natt.", "Veien er stengt", "Brua holdt", "Fergen går som normalt."],
            id="every paragraph starts a sentence",
        ),
        pytest.param(
            "Knut S. Hansen sa at bl.a. Lillehammer og f.eks. Gjøvik ble rammet. "
            "Møtet starter kl. 12 i morgen. Dr. Li kommer også.",
            [
                "Knut S. Hansen sa at bl.a. Lillehammer og f.eks. Gjøvik ble rammet.",
                "Møtet starter kl. 12 i morgen.",
                "Dr. Li kommer også.",
            ],
            id="initials and abbreviations",
        ),
        pytest.param(
            "Hun flyttet fra Tromsø. etter jul bor hun i Alta. Han blir.",
            ["Hun flyttet fra Tromsø. etter jul bor hun i Alta.", "Han blir."],
            id="lower case continues",
        ),
        pytest.param(
            # A straight closing quote is no sentence of its own; "FN" opens one though not title case.
            'Hun sa: "Vi gir oss ikke." "Aldri," la hun til. FN svarte ikke.',
            ['Hun sa: "Vi gir oss ikke."', '"Aldri," la hun til.', "FN svarte ikke."],
            id="quote marks",
        ),
    ],
)
def test_sentence_starts(nb: Language, text: str, expected: list[str]) -> None:
    assert [sent.text.strip() for sent in nb(text).sents if sent.text.strip()] == expected


def test_component_agrees_with_sentences(nb: Language, nn: Language) -> None:
    text = (
        "Ola K. Berg (58) er ny leder, jf. styrets vedtak. «Er det sant?» Han nølte. "
        "Avgjørelsen kom kl. 15.30. den var ventet.\n"
        "  Ny linje her! Og så slutt…\n\nEt siste avsnitt"
    )
    for nlp in (nb, nn):
        doc = nlp(text)
        component = [next(t.idx for t in sent if not t.is_space) for sent in doc.sents]
        expected, offset = [], 0
        for line in text.split("\n"):
            for start, _ in sentences(text, offset, offset + len(line), nlp.lang):
                expected.append(len(text) - len(text[start:].lstrip()))
            offset += len(line) + 1
        assert component == expected
        assert len(component) == 7


def test_component_takes_the_pipeline_language() -> None:
    assert spacy.blank("nn").add_pipe("kilde_sentencizer").language == "nn"
    assert spacy.blank("nb").add_pipe("kilde_sentencizer").language == "nb"


def test_a_parse_is_left_alone(nb: Language) -> None:
    doc = nb.make_doc("Første del. Andre del.")
    for token in doc:
        token.is_sent_start = token.i == 0
    sentencizer = nb.get_pipe("kilde_sentencizer")
    assert len(list(sentencizer(doc).sents)) == 1
    assert sentencizer(nb.make_doc("")).text == ""


def test_line_breaks_are_sentences_of_their_own_and_the_parser_keeps_them() -> None:
    from kilde.pipeline import load_model

    nlp = load_model("nb")
    if nlp is None:
        pytest.skip("needs the packaged Bokmål model")
    nlp.add_pipe("kilde_line_breaks", before="parser")
    doc = nlp("Ny bru over sundet\n\nArbeidet med brua starter i august, sier ordføreren.")
    starts = [token.text for token in doc if token.is_sent_start]
    assert starts[:3] == ["Ny", "\n\n", "Arbeidet"]
    space = doc[4]
    assert space.is_space and space.head.i == space.i  # the line break hangs on nothing else
    assert all(token.head.i >= 5 for token in doc[5:])  # nor does the paragraph on the headline


def test_line_breaks_leave_a_text_without_breaks_to_the_parser() -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("kilde_line_breaks")
    doc = nlp("Brua åpner i august. Ordføreren er fornøyd.")
    assert doc[0].is_sent_start
    assert all(token.is_sent_start is None for token in doc[1:])
