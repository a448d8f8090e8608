"""The hedge stage (``kilde_hedges``): reportative and epistemic markers in the journalist's voice.

Every example is invented.
"""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

import kilde
import kilde.lang.nynorsk  # registers spacy.blank("nn")
import kilde.pipeline  # registers the kilde factories
from kilde.hedges import PHRASE_KINDS, HedgeData, PhraseFinder, token_pattern
from kilde.lexicon import Lexicon
from kilde.types import HEDGE_SPANS

# Only the stages under test, after the sentencizer (see conftest.py).
PIPELINE_STAGES = ("kilde_boilerplate", "kilde_hedges")


def hedges(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(span.text, span.label_) for span in doc.spans[HEDGE_SPANS]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mannen skal ha blitt pågrepet i natt.", [("skal ha blitt", "reportative")]),
        ("Ifølge naboene skal kvinnen ha kjørt for fort.", [("skal", "reportative")]),
        ("Under avhøret skal mannen ha innrømmet forholdet.", [("skal", "reportative")]),
        ("Han skal ikke ha vært til stede da brannen startet.", [("skal ikke ha vært", "reportative")]),
        ("Styrelederen skal angivelig ha trukket seg.", [("skal angivelig ha", "reportative")]),
        (
            "Sjåføren, som skal være hardt skadet, ble fløyet til sykehus.",
            [("skal være", "reportative")],
        ),
        ("Eieren skal ifølge naboene være en kjent forretningsmann.", [("skal", "reportative")]),
        (
            "I tillegg skal lederen av klubben, som har sittet i ti år, ha blitt bedt om å gå.",
            [("skal", "reportative")],
        ),
        ("Ingen turister skal befinne seg i området.", [("skal", "reportative")]),
        ("Brannen startet trolig på et kjøkken.", [("trolig", "epistemic")]),
        ("Han var antakeligvis alene i bilen.", [("antakeligvis", "epistemic")]),
        ("Etter det Avisa erfarer, vil ministeren gå av.", [("Etter det Avisa erfarer", "reportative")]),
        ("Etter det TV 2 kjenner til, er avtalen klar.", [("Etter det TV 2 kjenner til", "reportative")]),
        ("Opplysningene kan ikke bekreftes.", [("kan ikke bekreftes", "epistemic")]),
        (
            "Videoen viser angrepet, uten at det er bekreftet hvor den er filmet.",
            [("uten at det er bekreftet", "epistemic")],
        ),
        ("Tallene har ikke latt seg verifisere.", [("har ikke latt seg verifisere", "epistemic")]),
        ("Alt tyder på at skolen må stenge.", [("Alt tyder på", "epistemic")]),
        ("Sjansen er stor for at kampen blir utsatt.", [("Sjansen er stor for", "epistemic")]),
        ("På flere veier er det meldt om glatte forhold.", [("er det meldt om", "reportative")]),
        ("Den angivelige planen ble aldri satt ut i livet.", [("angivelige", "reportative")]),
        ("Avtalen gjaldt et påstått lån til klubben.", [("påstått", "reportative")]),
    ],
)
def test_bokmal_hedges(nb: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert hedges(nb, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mannen skal ha køyrt av vegen like før midnatt.", [("skal ha", "reportative")]),
        ("Røyken skal ha kome frå eit kjøkken.", [("skal ha", "reportative")]),
        ("Brannen starta truleg i kjellaren.", [("truleg", "epistemic")]),
        ("Etter det NRK erfarer, er kontrakten underskriven.", [("Etter det NRK erfarer", "reportative")]),
        ("Opplysningane kan ikkje stadfestast.", [("kan ikkje stadfestast", "epistemic")]),
        ("Bilen køyrde ut, utan at det er stadfesta kvifor.", [("utan at det er stadfesta", "epistemic")]),
        ("Dei var visstnok på veg heim.", [("visstnok", "reportative")]),
        ("Ho var sannsynlegvis aleine.", [("sannsynlegvis", "epistemic")]),
        ("Han var moglegvis i bygda.", [("moglegvis", "epistemic")]),
    ],
)
def test_nynorsk_hedges(nn: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert hedges(nn, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Future, plans and obligations.
        "Vi skal ha møte med kommunen i morgen.",
        "Vi skal ha det gøy i sommer.",
        "Skolen skal bli ferdig i 2030.",
        "Alle ansatte skal være merket med navneskilt.",
        "Partiene er enige om at skatten skal være lav.",
        "Dersom prosjektet skal ha effekt, må det komme mer penger.",
        "Skal vi ha fest for hele klassen?",
        "De skal ha betydelige gjennomslag i budsjettet.",
        "Regjeringen må og skal ha ansvaret for beredskapen.",
        # "mulig" as an adjective is not a hedge; "ingenting tyder på" denies.
        "Styret diskuterte et mulig salg av tomta.",
        "Ingenting tyder på at noen andre var involvert.",
        # "påstått" as the reporting verb, not as a hedge.
        "Han har hele tiden påstått at han er uskyldig.",
    ],
)
def test_no_hedge(nb: Language, text: str) -> None:
    assert hedges(nb, text) == []


def test_nynorsk_future_skal_is_not_a_hedge(nn: Language) -> None:
    assert hedges(nn, "I morgon skal vi ha fest på kaia.") == []
    assert hedges(nn, "Vegen skal vere open til jul.") == []


def test_markers_inside_quotes_are_left_out(nb: Language) -> None:
    text = (
        "– Han skal ha gått hjem tidlig, sier naboen. Mannen skal ha blitt funnet i en grøft.\n\n"
        "«Det er trolig en ulykke», sier politiet.\n\n"
        "Lederen kalte planen «sannsynligvis den beste».\n\n"
        "Brannen startet trolig i kjelleren."
    )
    assert hedges(nb, text) == [("skal ha blitt", "reportative"), ("trolig", "epistemic")]
    doc = nb(text)
    starts = [span.start_char for span in doc.spans[HEDGE_SPANS]]
    assert starts == [text.index("skal ha blitt"), text.rindex("trolig")]


def test_nynorsk_dash_quote_without_space_is_left_out(nn: Language) -> None:
    assert hedges(nn, "–Dei var truleg redde, seier ho.") == []


def test_markers_in_boilerplate_are_left_out(nb: Language) -> None:
    text = "Brua stenges\n\nLes også: Fangen skal ha rømt fra fengselet\n\nBrua stenges i seks uker."
    assert hedges(nb, text) == []


def test_works_without_a_sentencizer() -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("kilde_hedges")
    doc = nlp("Mannen skal ha kjørt av veien.\n\nDet skal bli sol i morgen.")
    assert [span.text for span in doc.spans[HEDGE_SPANS]] == ["skal ha"]


def test_full_pipeline_marks_hedged_quotes() -> None:
    nlp = kilde.load("nb")
    text = (
        "Politiet opplyser at mannen trolig kjørte for fort.\n\n"
        "«Det er trolig en ulykke», sier politimesteren.\n\n"
        "Naboen forteller at hun hørte et smell."
    )
    doc = nlp(text)
    assert [span.text for span in doc.spans[HEDGE_SPANS]] == ["trolig"]
    by_content = {q.content[0].text: q for q in doc._.quotes}
    hedged = {text for text, q in by_content.items() if q.hedged}
    assert any("kjørte for fort" in t for t in hedged)
    assert not any("ulykke" in t or "smell" in t for t in hedged)


def test_token_pattern_syntax() -> None:
    assert token_pattern("etter det ** erfarer|erfarte") == (
        {"LOWER": "etter"},
        {"LOWER": "det"},
        {"IS_PUNCT": False, "IS_SPACE": False, "OP": "{1,4}"},
        {"LOWER": {"IN": ["erfarer", "erfarte"]}},
    )
    assert token_pattern("alt tyder også? på")[2] == {"LOWER": "også", "OP": "?"}
    assert token_pattern("* tyder")[0] == {"IS_PUNCT": False, "IS_SPACE": False}


def test_phrase_finder_finds_what_the_matcher_finds() -> None:
    # PhraseFinder replaced a spaCy Matcher with greedy="LONGEST" per kind: same spans on word
    # salads of the listed words, fillers and punctuation, for both languages' phrases and a few
    # patterns of the data syntax the files do not use yet (leading wildcard, optional first word).
    rng = random.Random(7)
    vocab = spacy.blank("nb").vocab
    extra = [("epistemic", token_pattern(p)) for p in ("* tyder", "kan? ikke bekreftes", "x ** y?")]
    for language in ("nb", "nn"):
        phrases = [*HedgeData.parse(Lexicon.load(language).hedges).phrases, *extra]
        matcher = Matcher(vocab)
        for kind in PHRASE_KINDS:
            matcher.add(kind, [list(p) for k, p in phrases if k == kind], greedy="LONGEST")
        finder = PhraseFinder(phrases)
        listed = sorted({w for _, p in phrases for spec in p for w in _listed_words(spec)})
        fillers = [*listed, "mannen", "Det", "ER", "x", "y", ",", ".", "–"]
        for _ in range(2_000):
            doc = Doc(vocab, words=[rng.choice(fillers) for _ in range(rng.randint(1, 12))])
            columns = doc.to_array([LOWER, IS_PUNCT, IS_SPACE])
            is_word = ((columns[:, 1] == 0) & (columns[:, 2] == 0)).tolist()
            found = finder(columns[:, 0].tolist(), is_word)
            expected = [(vocab.strings[key], start, end) for key, start, end in matcher(doc)]
            assert sorted(found) == sorted(expected), doc.text


def _listed_words(spec: dict[str, object]) -> list[str]:
    lower = spec.get("LOWER")
    if lower is None:
        return []
    return list(lower["IN"]) if isinstance(lower, dict) else [str(lower)]


def test_language_data_parses() -> None:
    for language in ("nb", "nn"):
        data = HedgeData.parse(Lexicon.load(language).hedges)
        kinds = {kind for kind, _ in data.phrases}
        assert kinds == {"reportative", "epistemic"}
        assert "befinne" in data.skal_verbs
        assert "møte" in data.not_participles


def test_skal_word_lists_load_for_both_languages() -> None:
    # The word lists of reportative "skal" live in lang/common/*.txt; a missing file would load as empty.
    for language in ("nb", "nn"):
        lexicon = Lexicon.load(language)
        assert {"være", "vere"} <= lexicon.vaere_forms
        assert "tidligere" in lexicon.predicate_adverbs and "tidlegare" in lexicon.predicate_adverbs
        assert "het" in lexicon.noun_endings and "satt" in lexicon.strong_tt_participles
        assert any("ifølgje" in pattern for pattern in lexicon.past_or_source)
        assert "seier" in lexicon.fallback_speech_verbs


def test_bad_entry_is_reported() -> None:
    with pytest.raises(ValueError):
        HedgeData.parse(["tvil: kanskje"])


# ------------------------------------------------------------------ learned hedge words

LEARNED_TEXT = "Kommunen får kanskje pengene i år. Mange mener det er nok penger."
KANSKJE_MODEL_WEIGHTS = {"bias": -3.0, "word=kanskje": 6.0, "word=nok": 1.0}


def _trained_nb() -> Language:
    if not (kilde.pipeline.MODELS_DIR / "nb" / "config.cfg").is_file():
        pytest.skip("needs the packaged Bokmål model (the learned words read the tagger)")
    return kilde.pipeline.build_pipeline("nb")


def test_a_learned_model_marks_the_words_it_accepts_in_the_journalists_voice() -> None:
    from kilde.hedges import EPISTEMIC, TASK
    from kilde.linear import LinearModel

    nlp = _trained_nb()
    nlp.get_pipe("kilde_hedges").model = LinearModel(TASK, KANSKJE_MODEL_WEIGHTS)
    assert hedges(nlp, LEARNED_TEXT) == [("kanskje", EPISTEMIC)]
    # Inside a direct quote the word is the speaker's, not the journalist's.
    assert hedges(nlp, "«Vi får kanskje pengene i år», sier ordføreren.") == []


def test_a_learned_skal_is_reportative_and_every_kind_is_one_kilde_1_knows() -> None:
    from kilde.hedges import TASK
    from kilde.linear import LinearModel
    from kilde.schema import doc_to_kilde

    nlp = _trained_nb()
    model = LinearModel(TASK, {"bias": -3.0, "word=kanskje": 6.0, "word=skal": 6.0})
    nlp.get_pipe("kilde_hedges").model = model
    result = doc_to_kilde(nlp("Kommunen får kanskje pengene. Ordføreren skal i møtet ha lovet mer."))
    assert [(h["text"], h["kind"]) for h in result["hedges"]] == [
        ("kanskje", "epistemic"),
        ("skal", "reportative"),
    ]


def test_adjacent_learned_words_make_one_marker() -> None:
    from kilde.hedges import TASK
    from kilde.linear import LinearModel

    nlp = _trained_nb()
    model = LinearModel(TASK, {"bias": -3.0, "word=ganske": 6.0, "word=sikkert": 6.0})
    nlp.get_pipe("kilde_hedges").model = model
    assert [text for text, _ in hedges(nlp, "Fergen kommer ganske sikkert i morgen.")] == ["ganske sikkert"]


def test_a_learned_hedge_verb_takes_its_particles() -> None:
    from kilde.hedges import TASK
    from kilde.linear import LinearModel

    nlp = _trained_nb()
    model = LinearModel(TASK, {"bias": -3.0, "word=ser": 6.0, "word=tyder": 6.0})
    nlp.get_pipe("kilde_hedges").model = model
    text = "Det ser ut til at fergen er forsinket. Det som skjedde, tyder på en feil."
    assert [marker for marker, _ in hedges(nlp, text)] == ["ser ut til", "tyder på"]


@pytest.mark.parametrize(
    ("weights", "text", "kept"),
    [
        # A question asks; it does not hedge a claim.
        (
            KANSKJE_MODEL_WEIGHTS | {"in_question": -6.0},
            "Er de kanskje proffer om ti år? Kommunen får kanskje pengene i år.",
            "kanskje",
        ),
        # "nok" after an adjective or adverb is "enough", not the modal "nok".
        (
            {"bias": -3.0, "word=nok": 5.0, "word_before_pos=nok|ADJ": -6.0, "word_before_pos=nok|ADV": -6.0},
            "Styret jobbet ikke hardt nok med saken. Kommunen får nok pengene i år.",
            "nok",
        ),
        # A hedge inside reported speech may be its source's, not the writer's.
        (
            KANSKJE_MODEL_WEIGHTS | {"word_in_report=kanskje": -6.0},
            "Rektor mener at skolen kanskje må stenge. Kommunen får kanskje pengene i år.",
            "kanskje",
        ),
    ],
)
def test_a_learned_model_reads_the_context_of_its_word(
    weights: dict[str, float], text: str, kept: str
) -> None:
    from kilde.hedges import EPISTEMIC, TASK
    from kilde.linear import LinearModel

    nlp = _trained_nb()
    nlp.get_pipe("kilde_hedges").model = LinearModel(TASK, weights)
    assert hedges(nlp, text) == [(kept, EPISTEMIC)]


def test_without_sentence_boundaries_the_question_feature_is_off() -> None:
    from kilde.hedges import hedge_word_features

    blank = spacy.blank("nb")("Er de kanskje proffer?")
    assert hedge_word_features(blank[2])["in_question"] == 0.0


def test_only_words_the_model_favours_are_judged() -> None:
    from kilde.hedges import TASK, words_the_model_can_accept
    from kilde.linear import LinearModel

    model = LinearModel(TASK, {"bias": -1.0, "word=kanskje": 2.0, "lemma=neppe": 1.0, "word=og": -2.0})
    assert words_the_model_can_accept(model) == frozenset({"kanskje", "neppe"})


def test_without_a_model_only_the_rules_mark_hedges() -> None:
    nlp = _trained_nb()
    nlp.get_pipe("kilde_hedges").model = None
    assert hedges(nlp, LEARNED_TEXT) == []


def test_an_empty_text_passes_through_the_trained_pipeline() -> None:
    from kilde.pipeline import MODELS_DIR, load

    if not (MODELS_DIR / "nb" / "config.cfg").is_file():
        pytest.skip("needs the packaged Bokmål model")
    doc = load("nb")("")
    assert len(doc) == 0 and list(doc.spans.get("kilde_hedges", [])) == []
