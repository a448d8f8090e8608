"""The public API: ``kilde.load`` and ``kilde.analyze`` and the ``kilde/1`` contract (docs/output-format.md).

Every example is invented.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from kilde_checks import assert_valid_kilde

import kilde
from kilde import KildeError
from kilde.invariants import violations
from kilde.pipeline import STAGES

EXPECTED_PIPE_NAMES = [
    "kilde_sentencizer",
    "kilde_boilerplate",
    "kilde_quotes",
    "kilde_attribution",
    "kilde_quote_check",
    "kilde_reported",
    "kilde_speakers",
    "kilde_coreference",
    "kilde_coref",
    "kilde_hedges",
    "kilde_provenance",
]
ARTICLE_NB = (
    "Hopp til innhold\n"
    "\n"
    "Fergesjef: – Vi gir oss ikke\n"
    "\n"
    "Ferja mellom Holmvik og Skarvøy har stått fast i isen i tre døgn.\n"
    "\n"
    "Les også: Slik blir været i helga\n"
    "\n"
    "«Vi jobber så godt vi kan», sier fergesjef Kari Nordvik til Kystavisa.\n"
    "\n"
    "– Vi gir oss ikke. Isen skal brytes før helgen, sier hun.\n"
    "\n"
    "– Mannskapet har ikke sovet på to døgn.\n"
    "\n"
    "Ifølge Kystverket er isen over en halv meter tykk. Ingen er skadd, ifølge politiet, skriver NTB.\n"
    "\n"
    "Kapteinen skal ha slått av motorene i natt, og passasjerene skal ha blitt fraktet i land.\n"
    "\n"
    "Ordfører Per Lie sier at kommunen vurderer å leie inn en isbryter.\n"
    "\n"
    "(©NTB)"
)

ARTICLE_NN = (
    "Ny bru opnar i haust\n"
    "\n"
    "– Vi er svært nøgde med arbeidet, seier ordførar Nils Aasen til Fjordabladet.\n"
    "\n"
    "Brua blir truleg den lengste i fylket, skriv NRK. Ifølgje Statens vegvesen er ho ikkje heilt ferdig.\n"
    "\n"
    "Aasen meiner at bygda no får eit løft, og seier at folk har venta lenge nok."
)


# ------------------------------------------------------------- the contract
def validate(result: dict[str, Any], text: str) -> None:
    """One analysis against the kilde/1 contract: the packaged schema and every invariant."""
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result  # plain JSON
    assert_valid_kilde(result)
    assert violations(result, text) == []


# -------------------------------------------------------------------- load
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_load_gives_every_stage_in_order(language: str) -> None:
    nlp = kilde.load(language)
    assert nlp.lang == language
    # kilde's stages come last, after the trained model's components when one is packaged.
    assert nlp.pipe_names[-len(STAGES) :] == EXPECTED_PIPE_NAMES[1:]
    has_parser = "parser" in nlp.pipe_names
    assert ("kilde_sentencizer" in nlp.pipe_names) is not has_parser


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_rule_only_pipeline_without_a_model(language: str) -> None:
    from kilde.pipeline import build_pipeline

    assert build_pipeline(language, use_model=False).pipe_names == EXPECTED_PIPE_NAMES


def test_load_is_shared_per_language() -> None:
    assert kilde.load("nb") is kilde.load("nb")
    assert kilde.load("nb") is not kilde.load("nn")


def test_load_rejects_an_unsupported_language() -> None:
    with pytest.raises(KildeError, match="unsupported language"):
        kilde.load("sv")


def test_doc_carries_the_stage_results() -> None:
    doc = kilde.load("nb")(ARTICLE_NB)
    assert doc._.quotes and doc._.entities
    assert "kilde_boilerplate" in doc.spans and "kilde_hedges" in doc.spans
    assert "Hopp til innhold" in [span.text for span in doc.spans["kilde_boilerplate"]]


# ------------------------------------------------------------------ analyze
@pytest.mark.parametrize(("text", "language"), [(ARTICLE_NB, "nb"), (ARTICLE_NN, "nn")])
def test_analysis_follows_the_schema(text: str, language: str) -> None:
    result = kilde.analyze(text, language, doc_id="ferje-1")
    validate(result, text)
    assert result["id"] == "ferje-1"
    assert result["language"] == language
    assert result["quotes"], "the articles hold several quotes"
    assert result["entities"]


def test_bokmal_article_content() -> None:
    result = kilde.analyze(ARTICLE_NB, "nb")
    boilerplate = {b["text"] for b in result["boilerplate"]}
    assert {"Hopp til innhold", "Les også: Slik blir været i helga", "(©NTB)"} <= boilerplate
    assert result["title"] == "Fergesjef: – Vi gir oss ikke"

    by_content = {q["content"][0]["text"]: q for q in result["quotes"]}
    tagged = by_content["Vi jobber så godt vi kan"]
    assert tagged["type"] == "direct"
    assert tagged["cue"]["text"] == "sier"
    assert tagged["speaker"]["mention"]["text"] == "fergesjef Kari Nordvik"
    assert tagged["speaker"]["name"] == "Kari Nordvik"
    assert tagged["speaker"]["kind"] == "person"
    assert tagged["addressee"]["text"] == "Kystavisa"

    continued = by_content["Mannskapet har ikke sovet på to døgn"]
    assert continued["speaker"]["entity"] == tagged["speaker"]["entity"]

    heading = by_content["Vi gir oss ikke"]
    assert heading["heading"] is True

    indirect = by_content["kommunen vurderer å leie inn en isbryter"]
    assert indirect["type"] == "indirect"
    assert indirect["speaker"]["name"] == "Per Lie"

    hedges = [h["text"] for h in result["hedges"]]
    assert any(h.startswith("skal ha") for h in hedges)


def test_quotes_come_in_text_order_with_numbered_ids() -> None:
    result = kilde.analyze(ARTICLE_NB, "nb")
    starts = [min(part["start"] for part in q["content"]) for q in result["quotes"]]
    assert starts == sorted(starts)
    assert [q["id"] for q in result["quotes"]] == [f"q{n}" for n in range(1, len(starts) + 1)]


def test_provenance_of_a_relayed_claim() -> None:
    text = "Ingen er skadd i brannen, ifølge politiet, skriver NTB."
    result = kilde.analyze(text, "nb")
    validate(result, text)
    names = {e["id"]: e["name"] for e in result["entities"]}
    edges = {(names[e["source"]], names.get(e["target"], e["target"])) for e in result["provenance"]}
    assert ("NTB", "article") in edges
    assert ("politiet", "NTB") in edges


# ---------------------------------------------------------------- language
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("– Vi har ikke hatt slikt vær på tretti år, sier han. Hun vet hva det betyr for bygda.", "nb"),
        ("– Vi har ikkje hatt slikt vêr på tretti år, seier han. Ho veit kva det betyr for bygda.", "nn"),
        (ARTICLE_NB, "nb"),
        (ARTICLE_NN, "nn"),
    ],
)
@pytest.mark.parametrize("language", [None, "auto"])
def test_language_is_detected(text: str, expected: str, language: str | None) -> None:
    result = kilde.analyze(text, language)
    assert result["language"] == expected
    validate(result, text)


def test_explicit_language_wins_over_detection() -> None:
    assert kilde.analyze(ARTICLE_NN, "nb")["language"] == "nb"


# ------------------------------------------------------------------- errors
@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"])
def test_empty_text_is_a_kilde_error(text: str) -> None:
    with pytest.raises(KildeError, match="empty"):
        kilde.analyze(text)


@pytest.mark.parametrize("text", [None, 42, b"bytes"])
def test_non_string_is_a_kilde_error(text: Any) -> None:
    with pytest.raises(KildeError):
        kilde.analyze(text)


def test_unsupported_language_is_a_kilde_error() -> None:
    with pytest.raises(KildeError):
        kilde.analyze("Ferja står fast.", "sv")


def test_kilde_error_is_a_value_error() -> None:
    assert issubclass(KildeError, ValueError)


# -------------------------------------------------------------- odd input
ODD_TEXTS = [
    "«Dette slutter aldri, sier hun.",  # unbalanced «
    "»Dette er rart«, sier han.",  # reversed marks
    "Han sa «ja» og «nei» og «kanskje» og «»",
    "!!! ... ?? – «» „“ ” –",  # only punctuation
    "–",
    "«",
    '"',
    "- \n\n– \n\n«»",
    "Ja.\n\n\n\n",
    "a\r\nb «c», sier d.\r\n",  # Windows line ends
    "\t\u00a0«Hei», sier han.\u2028Og så?",  # odd white space
    "😀 «Vi er glade 🎉», sier Kari Nordvik 👍.",
    "Les også: «Vi har aldri sett så mye snø», sier brøytesjefen",  # only boilerplate
    ":" * 50,
    "Politiet:",
    ": – ",
]


# Texts that end in a cue verb: the tag after the cue runs into the end of the text.
ENDING_IN_A_CUE = [
    "Det er farlig, sier",
    "Det er farlig, sier ",
    "Brua er stengt, opplyser",
    "Vegen er open att, seier",
    "Isen er for tynn, ifølge",
    "Kari sier at",
    "Det er farlig, sier\r\n",  # a Windows line end after the cue
    "Det er farlig, sier \u2028",  # a Unicode line separator
]


@pytest.mark.parametrize("rules_only", [True, False])
@pytest.mark.parametrize("text", ENDING_IN_A_CUE)
def test_text_ending_in_a_cue_gives_an_analysis(text: str, rules_only: bool) -> None:
    validate(kilde.analyze(text, rules_only=rules_only), text)


@pytest.mark.parametrize("text", ["a\ud800 sier han", "\udfff", "«Hei», sier Kari\udc80."])
def test_lone_surrogate_is_a_kilde_error(text: str) -> None:
    with pytest.raises(KildeError, match="lone surrogate"):
        kilde.analyze(text)


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_but_valid_text_gives_an_analysis(text: str) -> None:
    validate(kilde.analyze(text), text)


def test_very_long_single_line() -> None:
    sentence = (
        "Ferja sto fast i isen i natt, og «vi jobber så godt vi kan», "
        "sier fergesjef Kari Nordvik til Kystavisa. "
        "Ifølge politiet er ingen skadd. "
    )
    text = sentence * 60  # about 9000 characters, no line break
    assert "\n" not in text
    result = kilde.analyze(text, "nb")
    validate(result, text)
    assert len(result["quotes"]) >= 60


def test_nested_report_names_its_outer_quote() -> None:
    result = kilde.analyze("Isen på fjorden er for tynn til å gå på, ifølge Kystverket, skriver NTB.", "nb")
    by_speaker = {q["speaker"]["name"]: q for q in result["quotes"]}
    assert by_speaker["Kystverket"]["nested_in"] == by_speaker["NTB"]["id"]
    assert by_speaker["NTB"]["nested_in"] is None


# ------------------------------------------------------------- long texts
def test_long_text_in_pieces_gives_the_same_analysis_as_one_doc() -> None:
    from kilde.pipeline import analyse_text
    from kilde.schema import doc_to_kilde

    text = ARTICLE_NB + "\n\n" + ARTICLE_NN
    nlp = kilde.load("nb")
    whole = doc_to_kilde(nlp(text))
    pieces = doc_to_kilde(analyse_text(nlp, text, chunk_chars=300))
    assert pieces["text"] == text
    assert [q["content"] for q in pieces["quotes"]] == [q["content"] for q in whole["quotes"]]
    assert [q["speaker"]["name"] for q in pieces["quotes"]] == [q["speaker"]["name"] for q in whole["quotes"]]


@pytest.mark.parametrize(
    "text",
    ["a\n\nb" * 500, "ord " * 2000, "x" * 3000, "Han sa nei. " * 300 + "\n" + "y " * 900, "\n" * 3000],
)
def test_paragraph_pieces_join_back_into_the_text(text: str) -> None:
    from kilde.pipeline import paragraph_pieces

    pieces = list(paragraph_pieces(text, 1000))
    assert "".join(pieces) == text and all(pieces)
    assert all(len(piece) <= 1000 for piece in pieces[:-1]) or len(pieces) == 1


@pytest.mark.parametrize(
    "text", ["«" * 3000 + "»" * 3000, "Les mer: " + "&" * 2000 + " «Hei», sier Kari.", "ok"]
)
def test_make_doc_keeps_the_text_and_splits_long_runs(text: str) -> None:
    from kilde.tokenization import make_doc

    doc = make_doc(kilde.load("nb", rules_only=True), text)
    assert doc.text == text
    assert max(len(token) for token in doc) <= 500 or "&" not in text
