"""Mentions and entities (``kilde_coreference``): what counts as a mention, how the model links
them, the span group it writes, serialisation and the scorer.

Every example is invented. The stage reads the trained parse, so these tests use the packaged
Bokmål pipeline and skip without it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from thinc.api import ConfigValidationError

from kilde.coreference import (
    PACKAGED_MODEL,
    TASK,
    Coreference,
    Mention,
    PersonWords,
    antecedent_candidates,
    chains,
    cluster,
    find_mentions,
    pair_features,
)
from kilde.lexicon import Lexicon
from kilde.linear import LinearModel
from kilde.pipeline import MODELS_DIR, load_model
from kilde.scoring import score_coreference
from kilde.types import Quote, read_clusters, write_clusters, write_quotes

pytestmark = pytest.mark.skipif(
    not (MODELS_DIR / "nb" / "config.cfg").is_file(), reason="needs the packaged Bokmål model"
)

STORY = (
    "Ordfører Siri Lund la fram budsjettet for Vikvåg kommune i går. "
    "Hun vil bygge en ny skole, men hennes egne partifeller er skeptiske."
)
PRONOUN_TO_NAME = LinearModel(
    TASK,
    {
        "bias": -4.0,
        "pronoun=hun|name": 3.0,
        "pronoun=hennes|name": 3.0,
        "antecedent_subject|pronoun": 3.0,
        "antecedent_subject|possessive": 3.0,
    },
    threshold=0.5,
)
"""Links ``hun``/``hennes`` to a name that is a subject and nothing else: the stage's decoding
without a trained model."""


@pytest.fixture(scope="module")
def parser() -> Language:
    nlp = load_model("nb")
    assert nlp is not None
    return nlp


@pytest.fixture(scope="module")
def story(parser: Language) -> Doc:
    return parser(STORY)


def mention_texts(doc: Doc) -> list[str]:
    return [m.span.text for m in find_mentions(doc)]


def test_names_noun_phrases_and_pronouns_are_mentions(story: Doc) -> None:
    found = mention_texts(story)
    for expected in ("Ordfører Siri Lund", "budsjettet for Vikvåg kommune", "Hun", "hennes"):
        assert expected in found


def test_a_name_is_one_mention_not_one_per_word(story: Doc) -> None:
    found = mention_texts(story)
    assert "Lund" not in found and "Siri Lund" not in found


def test_mentions_are_in_text_order_and_never_start_or_end_with_space_or_punctuation(story: Doc) -> None:
    mentions = find_mentions(story)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for mention in mentions:
        assert not mention.span[0].is_punct and not mention.span[-1].is_punct
        assert not mention.span[0].is_space and not mention.span[-1].is_space


def test_a_mention_keeps_quote_marks_and_brackets_it_closes_as_narc_does(parser: Language) -> None:
    found = mention_texts(parser("Kari Berg sa at « Ola Dahl » var sjefen."))
    assert "« Ola Dahl »" in found and "Kari Berg" in found
    found = mention_texts(parser("Nyheten kom fra Norsk Telegrambyrå ( NTB ) i går."))
    assert "Norsk Telegrambyrå ( NTB )" in found


def test_a_coordination_gives_the_whole_and_each_conjunct(parser: Language) -> None:
    found = mention_texts(parser("Kari Berg og Ola Dahl møttes i Bodø."))
    assert "Kari Berg og Ola Dahl" in found
    assert "Kari Berg" in found and "Ola Dahl" in found


def test_a_paragraph_break_is_never_part_of_a_mention(parser: Language) -> None:
    doc = parser("Brua stengt\n\nVegvesenet stengte brua over fjorden i natt.")
    for mention in find_mentions(doc):
        assert "\n" not in mention.span.text


def test_candidates_never_overlap_the_mention_they_are_for(story: Doc) -> None:
    mentions = find_mentions(story)
    for index, mention in enumerate(mentions):
        for candidate, _ in antecedent_candidates(mentions, index):
            assert candidate.end <= mention.start


def test_pronoun_features_name_the_pronoun_and_the_antecedent_kind(story: Doc) -> None:
    mentions = find_mentions(story)
    name = next(m for m in mentions if m.span.text == "Ordfører Siri Lund")
    pronoun = next(m for m in mentions if m.span.text == "Hun")
    features = pair_features(pronoun, name)
    assert features["pronoun=hun|name"] == 1.0
    assert features["kinds=name>pronoun"] == 1.0


def mention(mentions: Sequence[Mention], text: str) -> Mention:
    return next(m for m in mentions if m.span.text == text)


@pytest.fixture(scope="module")
def people() -> PersonWords:
    return PersonWords.of(Lexicon.load("nb"))


def test_the_sex_of_a_mention_comes_from_first_names_nouns_and_the_owner_of_a_possessive(
    parser: Language, people: PersonWords
) -> None:
    doc = parser("Moren til Tore Vik sa at hennes bil var stjålet, og han lette etter den.")
    mentions = find_mentions(doc, people=people)
    assert mention(mentions, "Tore Vik").sex == "m"
    assert mention(mentions, "han").sex == "m"
    # The possessive agrees with "bil" in the morphology; its owner is a woman.
    assert mention(mentions, "hennes").sex == "f"
    assert any(m.sex == "f" and m.head.lower_ == "moren" for m in mentions)
    assert mention(mentions, "Tore Vik").person


def test_a_surname_alone_takes_the_sex_of_the_full_name_before_it(
    parser: Language, people: PersonWords
) -> None:
    doc = parser("Tone Brekke fikk prisen. Senere takket Brekke juryen.")
    mentions = find_mentions(doc, people=people)
    assert mention(mentions, "Brekke").sex == "f"


def test_pronoun_features_say_whether_the_sexes_agree(parser: Language, people: PersonWords) -> None:
    mentions = find_mentions(parser("Tone Brekke kom sent. Han beklaget."), people=people)
    features = pair_features(mention(mentions, "Han"), mention(mentions, "Tone Brekke"))
    assert features["same_sex=False|name>pronoun"] == 1.0
    assert features["pronoun=han|sex=f|person=True"] == 1.0


def test_a_genitive_name_matches_the_name_without_its_ending(parser: Language) -> None:
    mentions = find_mentions(parser("Abraham Lincoln holdt en tale. Lincolns ord ble husket."))
    genitive = next(m for m in mentions if m.head.text == "Lincolns")
    features = pair_features(genitive, mention(mentions, "Abraham Lincoln"))
    assert features["shared_name|name>name"] == 1.0


def test_a_noun_that_ends_a_compound_before_it_is_a_feature(parser: Language) -> None:
    mentions = find_mentions(parser("Pasienten kom til Florø sentralsjukehus. Sjukehuset sende ho heim."))
    anaphor = mention(mentions, "Sjukehuset")
    antecedent = next(m for m in mentions if "sentralsjukehus" in m.span.text)
    assert any(name.startswith("compound_head|") for name in pair_features(anaphor, antecedent))


def test_the_model_links_pronouns_to_the_name_they_follow(story: Doc) -> None:
    entities = cluster(find_mentions(story), PRONOUN_TO_NAME)
    texts = [sorted(m.span.text for m in group) for group in entities]
    assert ["Hun", "Ordfører Siri Lund", "hennes"] in texts


def test_the_component_writes_entities_as_a_span_group_that_survives_a_docbin(story: Doc) -> None:
    component = Coreference(model=PRONOUN_TO_NAME, language="nb")
    doc = component(story.copy())
    entities = [[span.text for span in group] for group in read_clusters(doc)]
    assert ["Ordfører Siri Lund", "Hun", "hennes"] in entities
    restored = next(DocBin(docs=[doc]).get_docs(doc.vocab))
    assert [[span.text for span in group] for group in read_clusters(restored)] == entities


def test_without_a_parse_or_a_model_the_component_stands_aside() -> None:
    nlp = spacy.blank("nb")
    doc = Coreference(model=PRONOUN_TO_NAME, language="nb")(nlp("Hun sa ja."))
    assert read_clusters(doc) == []
    assert read_clusters(Coreference(model=None, language="nb")(nlp("Hun sa ja."))) == []


def test_the_model_travels_with_the_component() -> None:
    component = Coreference(model=PRONOUN_TO_NAME, language="nb")
    other = Coreference(model=None, language="nb").from_bytes(component.to_bytes())
    assert other.model == PRONOUN_TO_NAME


def test_the_scorer_gives_one_for_the_reference_entities_and_less_for_others(story: Doc) -> None:
    mentions = {m.span.text: (m.start, m.end) for m in find_mentions(story)}
    reference = story.copy()
    write_clusters(reference, [[mentions["Ordfører Siri Lund"], mentions["Hun"], mentions["hennes"]]])
    assert score_coreference([Example(reference.copy(), reference)])["coref_conll_f"] == 1.0
    wrong = story.copy()
    write_clusters(wrong, [[mentions["budsjettet for Vikvåg kommune"], mentions["Hun"]]])
    assert score_coreference([Example(wrong, reference)])["coref_conll_f"] < 0.5


@pytest.mark.skipif(not PACKAGED_MODEL.is_file(), reason="needs the packaged coreference model")
def test_the_packaged_model_resolves_pronouns_to_the_person_in_both_standards() -> None:
    for language, text, pronoun in (
        ("nb", "Fiskeren Per Moe fikk ikke kvoten han søkte om. Han vil klage på vedtaket.", "Han"),
        ("nn", "Bonden Liv Haug fekk ikkje løyve til å byggje. Ho vil klage på vedtaket.", "Ho"),
    ):
        nlp = load_model(language)
        assert nlp is not None
        nlp.add_pipe("kilde_coreference")
        entities = [[span.text for span in group] for group in read_clusters(nlp(text))]
        assert any(pronoun in group and any("Moe" in m or "Haug" in m for m in group) for group in entities)


def test_the_speakers_chains_are_the_part_of_the_entities_that_the_speakers_reach(story: Doc) -> None:
    mentions = find_mentions(story)
    pronoun = next(m for m in mentions if m.span.text == "Hun")
    found = chains(mentions, PRONOUN_TO_NAME, [pronoun.index])
    assert [sorted(m.span.text for m in group) for group in found] == [["Hun", "Ordfører Siri Lund"]]
    whole = cluster(mentions, PRONOUN_TO_NAME)
    assert all(any(set(group) <= set(entity) for entity in whole) for group in found)


def speaker_mode(doc: Doc, speaker_word: str) -> list[list[str]]:
    """The entities ``anaphors="speakers"`` finds when ``speaker_word`` is a quote's speaker."""
    speaker = next(t for t in doc if t.text == speaker_word)
    content = doc[speaker.i + 1 : len(doc) - 1]
    write_quotes(doc, [Quote(type="indirect", content=[content], speaker=doc[speaker.i : speaker.i + 1])])
    model = LinearModel(TASK, {**PRONOUN_TO_NAME.weights, "pronoun=jeg|name": 3.0}, threshold=0.5)
    found = Coreference(model=model, language="nb", anaphors="speakers")(doc)
    return [[span.text for span in group] for group in read_clusters(found)]


def test_the_component_in_speaker_mode_links_a_first_person_speaker_to_a_name(parser: Language) -> None:
    doc = parser("Ordfører Siri Lund la fram budsjettet i går. Jeg vil bygge en ny skole.")
    assert speaker_mode(doc, "Jeg") == [["Ordfører Siri Lund", "Jeg"]]


def test_the_component_in_speaker_mode_leaves_third_person_speakers_to_the_rules(parser: Language) -> None:
    assert speaker_mode(parser(STORY), "Hun") == []


def test_an_unknown_anaphors_setting_is_a_clear_error() -> None:
    nlp = spacy.blank("nb")
    with pytest.raises(ConfigValidationError, match="anaphors"):
        nlp.add_pipe("kilde_coreference", config={"anaphors": "some"})
