"""The packaged trained pipelines load and analyse my own sentences sensibly (skipped without them)."""

from __future__ import annotations

import pytest

from kilde.lexicon import Lexicon
from kilde.pipeline import MODELS_DIR, load_model
from kilde.tokenization import adapt_tokenizer

SENTENCES = {
    "nb": "Ordfører Kari Nordvik i Tromsø kommune sa mandag at brua skal stå ferdig i 2027.",
    "nn": "Ordførar Kari Nordvik i Tromsø kommune sa måndag at brua skal stå ferdig i 2027.",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_model_tags_parses_and_finds_names(language: str) -> None:
    nlp = load_model(language)
    if nlp is None:
        pytest.skip(f"no trained model at {MODELS_DIR / language}")
    assert nlp.pipe_names[-1] == "ner"  # the NER the two written standards share
    adapt_tokenizer(nlp, Lexicon.load(language))  # as kilde.load uses it
    doc = nlp(SENTENCES[language])
    pos = {token.text: token.pos_ for token in doc}
    assert pos["brua"] == "NOUN"
    assert pos["sa"] in ("VERB", "AUX")
    assert pos["2027"] == "NUM"
    # The speaker is the subject of the reporting verb.
    sa = next(token for token in doc if token.text == "sa")
    subjects = [child for child in sa.children if child.dep_ in ("SUBJ", "nsubj")]
    assert subjects and "Nordvik" in [t.text for t in subjects[0].subtree]
    people = [ent.text for ent in doc.ents if ent.label_ == "PER"]
    assert "Kari Nordvik" in people
    assert any("Tromsø" in ent.text and ent.label_.startswith("GPE") for ent in doc.ents)


def test_models_fit_the_size_budget() -> None:
    files = [f for f in MODELS_DIR.rglob("*") if f.is_file()]
    if not files:
        pytest.skip("no trained models packaged")
    # The brief's limit for every trained file in the repository (the learned-attribution issue
    # raised it from 40 MB).
    assert sum(f.stat().st_size for f in files) <= 60 * 1024 * 1024


@pytest.mark.parametrize(
    ("language", "text", "speaker", "expected"),
    [
        # The parse finds the inverted subject after a fronted adverbial, and the clause after it.
        (
            "nb",
            "I boka hevder sønnen til den kjente maleren Olsen at faren ble glemt for tidlig.",
            "sønnen til den kjente maleren Olsen",
            "faren ble glemt for tidlig",
        ),
        # A bare complement clause without "at": the clausal object of the cue verb.
        ("nb", "Skolesjef Eva Lid mener skolen egner seg godt som barneskole.", "Skolesjef Eva Lid", None),
        ("nn", "Skulesjef Eva Lid meiner skulen høver godt som barneskule.", "Skulesjef Eva Lid", None),
    ],
)
def test_attribution_reads_the_parse(language: str, text: str, speaker: str, expected: str | None) -> None:
    if not (MODELS_DIR / language / "config.cfg").is_file():
        pytest.skip(f"no trained model for {language}")
    import kilde

    doc = kilde.load(language)(text)
    (quote,) = doc._.quotes
    assert quote.type == "indirect" and quote.speaker is not None
    assert quote.speaker.text == speaker
    if expected is not None:
        assert quote.content[0].text == expected
    else:
        assert quote.content[0].text.split()[0] in ("skolen", "skulen")


def test_shared_ner_joins_the_packaged_models_only(tmp_path) -> None:
    nb = load_model("nb", MODELS_DIR / "nb")  # the packaged folder, named explicitly
    if nb is None:
        pytest.skip("no trained models packaged")
    assert "ner" in nb.pipe_names
    # A pipeline of one's own is taken as it is: no NER is added to it.
    nb.remove_pipe("ner")
    nb.to_disk(tmp_path / "own")
    assert "ner" not in load_model("nb", tmp_path / "own").pipe_names
