"""The learned speaker ranker (``kilde_speakers``): candidates, decisions, serialisation.

Every example is invented. The ranker reads the trained parse and entities, so these tests
use the packaged Bokmål pipeline and skip without it.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from kilde.linear import LinearModel
from kilde.pipeline import MODELS_DIR, build_pipeline
from kilde.schema import doc_to_kilde
from kilde.speakers import PACKAGED_MODEL, TASK, Candidate, SpeakerRanker, keep_option, replacement
from kilde.types import Quote, read_quotes

pytestmark = pytest.mark.skipif(
    not (MODELS_DIR / "nb" / "config.cfg").is_file(), reason="needs the packaged Bokmål model"
)

# A tagless dash quote: the speaker is named in the narration before it.
TAGLESS = (
    "Ordfører Kari Nordvik var godt fornøyd etter møtet i Tromsø.\n"
    "– Vi har fått det vi ba om, og mer til.\n"
    "Hun la til at arbeidet starter i mars.\n"
)
TAGGED = (
    "– Vi fikk melding om slagsmål like etter klokken tre, sier operasjonsleder Per Dahl til Bergens Tidende."
)


def pipeline(model: LinearModel | None) -> Language:
    nlp = build_pipeline("nb")
    nlp.get_pipe("kilde_speakers").model = model
    return nlp


def speakers(nlp: Language, text: str) -> list[tuple[str, str | None]]:
    result = doc_to_kilde(nlp(text))
    return [(q["content"][0]["text"], q["speaker"]["name"]) for q in result["quotes"]]


def test_candidates_carry_where_they_stand_and_the_rules_choice() -> None:
    nlp = pipeline(None)
    doc = nlp(TAGGED)
    ranker: SpeakerRanker = nlp.get_pipe("kilde_speakers")
    quotes = read_quotes(doc)
    by_text = {c.span.text: c for c in ranker.candidates(doc, quotes, 0)}
    chosen = by_text["operasjonsleder Per Dahl"]
    assert chosen.rules_choice and chosen.features["after_cue"] == 1.0
    assert chosen.features["same_sentence_as_cue"] == 1.0
    assert "Per Dahl" in by_text and by_text["Per Dahl"].features["source=entity"] == 1.0
    assert all(not quotes[0].encloses(c.span) for c in by_text.values() if not c.rules_choice)


def test_a_quotes_previous_quote_is_the_one_before_it_in_the_text() -> None:
    # The rules store the indirect report after the dash quotes; the ranker reads them in text order.
    text = (
        "– Vi er klare for sesongen, sier trener Per Dahl.\n"
        "Kari Holm mener at laget mangler en keeper.\n"
        "– Det haster å finne en ny.\n"
    )
    nlp = pipeline(None)
    doc = nlp(text)
    seen: list[tuple[str, str | None]] = []

    def remember(quote: Quote, candidates: list[Candidate]) -> None:
        previous = [c for c in candidates if c.features.get("previous_speaker_mention")]
        seen.append((quote.content[0].text, previous[0].span.text if previous else None))

    nlp.get_pipe("kilde_speakers").rerank(doc, remember)
    assert seen[-1] == ("Det haster å finne en ny", "Kari Holm")


def test_a_model_that_prefers_another_candidate_replaces_the_rules_mention() -> None:
    # Every candidate overlapping the rules' mention counts as the rules' choice.
    prefers_others = LinearModel(TASK, {"source=entity": 4.0, "rules_choice": -8.0})
    doc = pipeline(prefers_others)(TAGGED)
    [quote] = read_quotes(doc)
    assert quote.speaker is not None and quote.speaker.text == "Bergens Tidende"


def test_without_a_model_the_rules_stand() -> None:
    # The rules find no mention for the tagless quote; coreference then names the one person
    # the text has presented so far.
    doc = pipeline(None)(TAGLESS)
    assert read_quotes(doc)[0].speaker is None
    assert speakers(pipeline(None), TAGLESS)[0] == ("Vi har fått det vi ba om, og mer til", "Kari Nordvik")


def test_the_rules_only_pipeline_has_no_parse_to_read() -> None:
    nlp = build_pipeline("nb", use_model=False)
    nlp.get_pipe("kilde_speakers").model = LinearModel(TASK, {"source=entity": 4.0})
    assert speakers(nlp, TAGGED) == speakers(build_pipeline("nb", use_model=False), TAGGED)


@pytest.mark.skipif(not PACKAGED_MODEL.is_file(), reason="no speaker ranker installed")
def test_the_packaged_ranker_names_the_speaker_of_a_tagless_dash_quote() -> None:
    nlp = build_pipeline("nb")
    found = speakers(nlp, TAGLESS)
    assert found[0] == ("Vi har fått det vi ba om, og mer til", "Kari Nordvik")
    assert speakers(nlp, TAGGED) == [("Vi fikk melding om slagsmål like etter klokken tre", "Per Dahl")]


SOFTMAX = {"objective": "softmax"}


def test_a_softmax_ranker_replaces_the_rules_choice_with_a_more_probable_candidate() -> None:
    rules = {"bias": 1.0, "rules_choice": 1.0, "type=direct": 1.0}
    entity = {"bias": 1.0, "source=entity": 1.0, "type=direct": 1.0}
    prefers_entities = LinearModel(TASK, {"source=entity": 1.0}, meta=SOFTMAX)
    assert replacement(prefers_entities, [rules, entity]) == 1
    # Within a margin of the rules' probability, the rules' choice stands.
    assert replacement(prefers_entities, [rules, entity], margin=0.5) is None
    assert replacement(LinearModel(TASK, {"rules_choice": 1.0}, meta=SOFTMAX), [rules, entity]) is None


def test_where_the_rules_named_no_one_a_softmax_ranker_may_keep_none() -> None:
    # The keep option lets the quote continue the previous speaker; it reads what the
    # candidates say of the quote, not of themselves.
    entity = {"bias": 1.0, "source=entity": 1.0, "tagless": 1.0, "rules_none": 1.0}
    assert keep_option([entity]) == {"keep": 1.0, "keep|tagless": 1.0, "keep|rules_none": 1.0}
    keeps_tagless = LinearModel(TASK, {"keep|tagless": 2.0, "source=entity": 1.0}, meta=SOFTMAX)
    assert replacement(keeps_tagless, [entity]) is None
    takes_entities = LinearModel(TASK, {"keep|tagless": 2.0, "source=entity": 3.0}, meta=SOFTMAX)
    assert replacement(takes_entities, [entity]) == 0


def test_the_model_travels_with_the_component() -> None:
    model = LinearModel(TASK, {"source=entity": 1.5}, meta={"examples": 2})
    nlp = pipeline(model)
    fresh = pipeline(None)
    fresh.get_pipe("kilde_speakers").from_bytes(nlp.get_pipe("kilde_speakers").to_bytes())
    assert fresh.get_pipe("kilde_speakers").model == model


def test_candidates_know_the_interviewers_question_and_the_sentence_before() -> None:
    text = (
        "Kari Nordvik leder utvalget. Hun har fått mye kritikk.\n\n"
        "– Per Lie mener utvalget har brukt for lang tid?\n\n"
        "– Vi har brukt den tiden vi trengte."
    )
    nlp = pipeline(None)
    doc = nlp(text)
    quotes = read_quotes(doc)
    answer = next(n for n, q in enumerate(quotes) if q.content[0].text.startswith("Vi har brukt"))
    by_text = {
        c.span.text: c.features for c in nlp.get_pipe("kilde_speakers").candidates(doc, quotes, answer)
    }
    assert by_text["Per Lie"]["question_line"] == 1.0
    assert "question_line" not in by_text["Kari Nordvik"]
    assert by_text["Kari Nordvik"]["name_mentions_before"] > 0
    doc = nlp("Per Lie er trener. Han forklarer hvorfor laget vant.\n\n– Vi trente hardt hele vinteren.")
    quotes = read_quotes(doc)
    last = len(quotes) - 1
    by_text = {c.span.text: c.features for c in nlp.get_pipe("kilde_speakers").candidates(doc, quotes, last)}
    assert by_text["Han"]["subject_of_sentence_before|tagless=True"] == 1.0
    assert "subject_of_sentence_before|tagless=True" not in by_text["Per Lie"]


def test_candidates_know_the_title_how_often_a_name_comes_and_a_first_person_quote() -> None:
    text = (
        "Ingrid Sæther vil bo i et fyrtårn\n"
        "Ingrid Sæther har bodd i Bodø hele livet.\n"
        "– Jeg hører mest på jazz.\n"
        "Vivaldi er også bra om vinteren.\n"
        "– Jeg løper litt hver morgen.\n"
    )
    nlp = pipeline(None)
    doc = nlp(text)
    quotes = read_quotes(doc)
    ranker: SpeakerRanker = nlp.get_pipe("kilde_speakers")
    first = {c.span.text: c.features for c in ranker.candidates(doc, quotes, 0)}
    last = {c.span.text: c.features for c in ranker.candidates(doc, quotes, len(quotes) - 1)}
    sæther = next(features for span, features in first.items() if "Sæther" in span)
    assert sæther["in_title"] == 1.0 and sæther["first_person"] == 1.0
    assert sæther["name_mentions"] > last["Vivaldi"]["name_mentions"] > 0
    assert last["Vivaldi"]["in_title"] == 0.0
    assert "ent=PER|first_person" in last["Vivaldi"]


def test_the_keep_option_knows_whom_a_run_of_untagged_quotes_continues() -> None:
    text = (
        "Klare for sesongen\n"
        "– Vi er klare for sesongen, sier trener Per Dahl.\n"
        "– Laget har trent godt.\n"
        "– Og keeperen er i storform.\n"
    )
    nlp = pipeline(None)
    doc = nlp(text)
    quotes = read_quotes(doc)
    candidates = nlp.get_pipe("kilde_speakers").candidates(doc, quotes, len(quotes) - 1)
    keep = keep_option([c.features for c in candidates])
    assert keep["keep|previous_named_mentions"] > 0
    assert keep["keep|previous_named_in_title"] == 0.0
    by_text = {c.span.text: c.features for c in candidates}
    assert any(features.get("named_before_mention") for features in by_text.values())
