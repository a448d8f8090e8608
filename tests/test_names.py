"""Canonical speaker names from the parse (``kilde.names``): names without the words glued to
them, genitives, adverbials and clauses as speaker phrases. Every example is invented."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import kilde
from kilde.names import NameParse, NameRange, without_genitive

FIRST_NAMES = frozenset({"kari", "ola", "per"})


@pytest.fixture(scope="module")
def parsed() -> Language:
    """The trained Bokmål pipeline up to the parse and entities."""
    nlp = kilde.load("nb")
    if "parser" not in nlp.pipe_names:
        pytest.skip("the trained models are not installed")
    return nlp


def names_of(nlp: Language, text: str) -> tuple[Doc, NameParse]:
    doc = nlp(text)
    names = NameParse.of(doc, FIRST_NAMES)
    assert names is not None
    return doc, names


def name_range(nlp: Language, text: str, run: str) -> NameRange | None:
    """What ``name_within`` finds in the capitalised run ``run`` of ``text``."""
    _, names = names_of(nlp, text)
    start = text.index(run)
    return names.name_within(start, start + len(run))


def name_in(nlp: Language, text: str, run: str) -> str | None:
    """What ``name_within`` keeps of the capitalised run ``run`` in ``text``."""
    found = name_range(nlp, text, run)
    return None if found is None else text[found.start : found.end]


def span_of(doc: Doc, fragment: str) -> Span:
    start = doc.text.index(fragment)
    span = doc.char_span(start, start + len(fragment))
    assert span is not None
    return span


def is_person_noun(word: str) -> bool:
    return word.rstrip("en") in {"søster", "mor", "rådgiver"}


# ------------------------------------------------------------------ names
def test_a_party_in_the_genitive_is_not_part_of_the_name(parsed: Language) -> None:
    text = "Venstres Ola Nordvik mener at skatten må ned."
    assert name_in(parsed, text, "Venstres Ola Nordvik") == "Ola Nordvik"


def test_a_word_opening_the_sentence_is_not_part_of_the_name(parsed: Language) -> None:
    text = "Erfarne Kari Holm ledet møtet i går."
    assert name_in(parsed, text, "Erfarne Kari Holm") == "Kari Holm"


def test_a_word_the_tagger_calls_a_name_stays_out_when_the_person_begins_after_it() -> None:
    # "Hils Turid fra meg": in a long text the tagger may call the imperative a proper noun;
    # the entity recogniser's person begins at "Turid".
    words = ["Hils", "Turid", "fra", "meg", "."]
    doc = Doc(
        spacy.blank("nb").vocab,
        words=words,
        pos=["PROPN", "PROPN", "ADP", "PRON", "PUNCT"],
        deps=["ROOT", "SUBJ", "ADV", "PUTFYLL", "IP"],
        heads=[0, 0, 0, 2, 0],
        ents=["O", "B-PER", "O", "O", "O"],
    )
    names = NameParse.of(doc, FIRST_NAMES)
    assert names is not None
    found = names.name_within(0, len("Hils Turid"))
    assert found is not None and doc.text[found.start : found.end] == "Turid"


def test_a_noun_the_name_hangs_on_as_its_flat_continuation_is_part_of_it(parsed: Language) -> None:
    text = "Bane Nor melder at Rørosbanen er stengt."
    assert name_in(parsed, text, "Bane Nor") == "Bane Nor"
    # A title in front is not ("Statsminister" is an apposition to the name).
    assert name_in(parsed, "Statsminister Jonas Berg sier nei.", "Statsminister Jonas Berg") == "Jonas Berg"


def test_a_genitive_after_a_name_belongs_to_the_noun_it_determines(parsed: Language) -> None:
    text = "Nå er Ola Berg Idas trener."
    assert name_in(parsed, text, "Ola Berg Idas") == "Ola Berg"


def test_a_genitive_alone_is_a_name_in_the_genitive(parsed: Language) -> None:
    found = name_range(parsed, "– Dette går ikke, sier Karis søster.", "Karis")
    assert found is not None and found.genitive


def test_a_full_name_in_the_genitive_before_a_noun_is_a_genitive(parsed: Language) -> None:
    # The parse hangs the surname on the first name and the first name on the noun.
    found = name_range(parsed, "Jeg husker Kari Olsens uttalelse til NRK godt.", "Kari Olsens")
    assert found is not None and found.genitive


def test_the_genitive_ending_comes_off() -> None:
    assert without_genitive("Karis") == "Kari"
    assert without_genitive("NRK's") == "NRK"
    assert without_genitive("Paulus'") == "Paulus"
    assert without_genitive("As") == "As"  # too short to be a genitive of a name


def test_no_view_without_a_parse() -> None:
    doc = spacy.blank("nb")("Venstres Ola Nordvik mener at skatten må ned.")
    assert NameParse.of(doc, FIRST_NAMES) is None


# -------------------------------------------------------- speaker phrases
@pytest.mark.parametrize(
    ("text", "chosen", "speaker"),
    [
        # a genitive names the person it determines
        ("– Dette går ikke, sier Karis søster.", "Karis", "Karis søster"),
        # an adverbial is no speaker, the verb's subject is
        ("Klokka 12 melder politiet at veien er åpen.", "Klokka 12", "politiet"),
        # a subordinate clause is no speaker, the subject of the verb it modifies is
        ("Når det gjelder saken, mener retten at straffen må skjerpes.", "Når det gjelder saken", "retten"),
        # a phrase keeps its noun and loses its relative clause
        ("– Vi er klare, sier lederen som tok over i fjor.", "lederen som tok over i fjor", "lederen"),
    ],
)
def test_the_phrase_that_names_the_speaker(parsed: Language, text: str, chosen: str, speaker: str) -> None:
    doc, names = names_of(parsed, text)
    phrase = names.speaker_phrase(span_of(doc, chosen), is_person_noun)
    assert phrase is not None and phrase.text == speaker


def test_a_noun_phrase_stays_as_it_is(parsed: Language) -> None:
    doc, names = names_of(parsed, "– Vi er klare, sier Kari Holm.")
    span = span_of(doc, "Kari Holm")
    assert names.speaker_phrase(span, is_person_noun) == span
