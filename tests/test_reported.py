"""Reported speech from the parse (``kilde_reported``): candidates, decisions, serialisation.

Every example is invented. The stage reads the trained parse, so these tests use the packaged
Bokmål pipeline and skip without it.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon
from kilde.linear import LinearModel
from kilde.pipeline import MODELS_DIR, STAGES, build_pipeline
from kilde.reported import PACKAGED_MODEL, TASK, Candidate, CueWords, ReportedSpeech, candidates, features
from kilde.schema import doc_to_kilde
from kilde.types import read_quotes

pytestmark = pytest.mark.skipif(
    not (MODELS_DIR / "nb" / "config.cfg").is_file(), reason="needs the packaged Bokmål model"
)

# No cue word of the lexicon: a noun carries the report, and a preposition links it.
NOMINAL = "Fylkeslege Kari Holm kom med en klar beskjed om at alle skoler i kommunen må stenge."
ACCEPTS_CLAUSES = LinearModel(TASK, {"bias": -2.0, "head_pos=VERB": 2.5, "head_pos=AUX": 2.5})


def parsed(text: str, language: str = "nb") -> Doc:
    nlp = build_pipeline(language)
    with nlp.select_pipes(disable=list(STAGES[STAGES.index("kilde_reported") :])):
        return nlp(text)


def as_text(doc: Doc, candidate: Candidate) -> tuple[str, str, str | None]:
    content = doc.text[candidate.start_char : candidate.end_char]
    speaker = doc[candidate.speaker[0] : candidate.speaker[1]].text if candidate.speaker else None
    return candidate.cue.text, content, speaker


def found(text: str, language: str = "nb") -> set[tuple[str, str, str | None]]:
    doc = parsed(text, language)
    return {as_text(doc, c) for c in candidates(doc)}


def test_a_clause_governed_through_a_preposition_names_the_subject_of_the_verb_as_source() -> None:
    assert ("beskjed", "alle skoler i kommunen må stenge", "Fylkeslege Kari Holm") in found(NOMINAL)


def test_a_clause_with_at_leaves_the_complementiser_out() -> None:
    assert ("sa", "kommunen vil bygge ny skole neste år", "Rådmannen") in found(
        "Rådmannen sa at kommunen vil bygge ny skole neste år."
    )


def test_an_infinitive_after_a_request_is_a_candidate() -> None:
    cues = {(cue, content) for cue, content, _ in found("Styret ba direktøren vurdere saken på nytt.")}
    assert ("ba", "vurdere saken på nytt") in cues


def test_a_copula_report_takes_its_noun_as_cue() -> None:
    cues = {(cue, content) for cue, content, _ in found("Konklusjonen er at alle bør spare mer.")}
    assert ("Konklusjonen", "alle bør spare mer") in cues


def test_an_impersonal_passive_report_names_the_document_in_front() -> None:
    # The tagger calls the participle an adjective; it still heads the report's verb chain.
    text = "I mandatet vart det fastsett at styret kunne oppnemne ei arbeidsgruppe ."
    assert ("fastsett", "styret kunne oppnemne ei arbeidsgruppe", "mandatet") in found(text, "nn")


def test_a_clause_with_a_formal_subject_is_a_candidate() -> None:
    text = "Kari Nes meiner det er nødvendig å betre vegen."
    cues = {(cue, content) for cue, content, _ in found(text, "nn")}
    assert ("meiner", "det er nødvendig å betre vegen") in cues


def test_the_possessor_before_a_reflexive_possessive_is_the_source() -> None:
    text = "Fleirtalet støtta Arbeidarpartiet sitt framlegg om at skulen skal byggjast ."
    assert ("framlegg", "skulen skal byggjast", "Arbeidarpartiet") in found(text, "nn")


def test_a_verb_coordinated_with_an_earlier_one_takes_its_subject() -> None:
    text = "I fjor fann departementet saka vanskeleg , og foreslo at skulen skulle byggjast utan lov ."
    speakers = {speaker for cue, _, speaker in found(text, "nn") if cue == "foreslo"}
    assert speakers == {"departementet"}


def test_a_bare_clause_whose_subject_the_parse_hangs_on_the_cue_starts_at_that_subject() -> None:
    # The parser reads "de" as a second subject of "sier" and "har" as a clause without one.
    text = "Kommunen sier de foreløpig ikke har oversikt over skadene."
    assert ("sier", "de foreløpig ikke har oversikt over skadene", "Kommunen") in found(text)


def test_a_tag_after_a_clause_reports_the_clause_and_names_the_document_behind_det() -> None:
    text = "Boligprisene faller i hele landet, heter det i rapporten."
    doc = parsed(text)
    [tag] = [c for c in candidates(doc) if c.tag]
    assert as_text(doc, tag) == ("heter", "Boligprisene faller i hele landet", "rapporten")
    assert features(tag, CueWords.from_lexicon(Lexicon.load("nb")))["path=tag"] == 1.0


def test_a_coordinated_main_clause_is_no_tag() -> None:
    doc = parsed("Kari kom hjem fra jobb, og hun lagde middag til alle.")
    assert not [c for c in candidates(doc) if c.tag]


def test_features_read_the_cue_lexicon_and_the_path() -> None:
    doc = parsed("Rådmannen sa at kommunen vil bygge ny skole neste år.")
    [clause] = [c for c in candidates(doc) if c.cue.text == "sa"]
    values = features(clause, CueWords.from_lexicon(Lexicon.load("nb")))
    assert values["speech_lexicon"] == 1.0 and values["has_speaker"] == 1.0
    assert values["complementiser=at"] == 1.0 and values["lemma=si"] == 1.0


def pipeline(model: LinearModel | None) -> Language:
    nlp = build_pipeline("nb")
    nlp.get_pipe("kilde_reported").model = model
    return nlp


def test_an_accepted_candidate_becomes_an_indirect_quote_with_cue_and_speaker() -> None:
    result = doc_to_kilde(pipeline(ACCEPTS_CLAUSES)(NOMINAL))
    quotes = {(q["content"][0]["text"], q["cue"]["text"], q["type"]) for q in result["quotes"]}
    assert ("alle skoler i kommunen må stenge", "beskjed", "indirect") in quotes


def test_accepted_candidates_never_overlap_each_other_or_earlier_quotes() -> None:
    text = "«Vi stenger nå», sier rektor Ola Li. Han sa at elevene skal få beskjed om at de må gå hjem."
    doc = pipeline(ACCEPTS_CLAUSES)(text)
    spans = sorted((q.start_char, q.end_char) for q in read_quotes(doc))
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_without_a_model_or_a_parse_the_stage_does_nothing() -> None:
    assert doc_to_kilde(pipeline(None)(NOMINAL))["quotes"] == []
    rules_only = build_pipeline("nb", use_model=False)
    rules_only.get_pipe("kilde_reported").model = ACCEPTS_CLAUSES
    assert doc_to_kilde(rules_only(NOMINAL))["quotes"] == []


def test_the_model_travels_with_the_pipeline(tmp_path: Path) -> None:
    nlp = pipeline(ACCEPTS_CLAUSES)
    nlp.to_disk(tmp_path / "pipeline")
    stage = nlp.get_pipe("kilde_reported")
    assert isinstance(stage, ReportedSpeech)
    restored = ReportedSpeech(lexicon=Lexicon.load("nb")).from_bytes(stage.to_bytes())
    assert restored.model == ACCEPTS_CLAUSES
    assert (tmp_path / "pipeline" / "kilde_reported" / "reported.json").is_file()


@pytest.mark.skipif(not PACKAGED_MODEL.is_file(), reason="no reported-speech model installed")
def test_the_packaged_model_finds_a_report_behind_a_noun() -> None:
    result = doc_to_kilde(build_pipeline("nb")(NOMINAL))
    assert [(q["content"][0]["text"], q["speaker"]["name"]) for q in result["quotes"]] == [
        ("alle skoler i kommunen må stenge", "Kari Holm")
    ]
