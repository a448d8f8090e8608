"""The learned check of the rules' indirect and mixed quotes (``kilde_quote_check``).

Every example is invented. The stage reads the trained parse, so these tests use the packaged
Bokmål pipeline and skip without it.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kilde.linear import LinearModel
from kilde.pipeline import MODELS_DIR, STAGES, build_pipeline
from kilde.quote_check import TASK, QuoteCheck, features, is_checked
from kilde.types import Quote, read_quotes, write_quotes

pytestmark = pytest.mark.skipif(
    not (MODELS_DIR / "nb" / "config.cfg").is_file(), reason="needs the packaged Bokmål model"
)

TEXT = "Rådmann Eva Lunde mener at kommunen må selge bygget.\n\n«Vi har ikke råd til å vente», sier hun."
DROPS_MENER = LinearModel(TASK, {"bias": 2.0, "cue_lemma=mene": -5.0}, threshold=0.5)
"""Keeps every quote except those behind a form of "mene"."""


def before_check(text: str) -> Doc:
    nlp = build_pipeline("nb")
    with nlp.select_pipes(disable=list(STAGES[STAGES.index("kilde_quote_check") :])):
        return nlp(text)


def contents(doc: Doc) -> list[str]:
    return [" ".join(part.text for part in q.content) for q in read_quotes(doc)]


def test_the_rules_quotes_reach_the_check() -> None:
    found = contents(before_check(TEXT))
    assert "kommunen må selge bygget" in found
    assert "Vi har ikke råd til å vente" in found


def test_features_read_the_cue_the_speaker_and_the_content() -> None:
    doc = before_check(TEXT)
    [indirect] = [q for q in read_quotes(doc) if is_checked(q)]
    found = features(doc, indirect)
    assert found["cue_lemma=mene"] == 1.0
    assert found["speaker_ent=PER"] == 1.0 or found["speaker_pos=PROPN"] == 1.0
    assert found["first=kommunen"] == 1.0
    assert found["cue_before_content"] == 1.0


def test_features_refuse_a_quote_the_stage_never_judges() -> None:
    doc = before_check(TEXT)
    [indirect] = [q for q in read_quotes(doc) if is_checked(q)]
    indirect.cue = None
    with pytest.raises(ValueError, match="cue"):
        features(doc, indirect)


def test_a_quote_the_model_rejects_is_dropped_and_direct_quotes_stay() -> None:
    doc = QuoteCheck(model=DROPS_MENER)(before_check(TEXT))
    assert contents(doc) == ["Vi har ikke råd til å vente"]


def test_headings_are_never_judged() -> None:
    doc = before_check(TEXT)
    quotes = read_quotes(doc)
    for quote in quotes:
        quote.heading = True
    write_quotes(doc, quotes)
    assert len(read_quotes(QuoteCheck(model=DROPS_MENER)(doc))) == len(quotes)


def test_without_a_model_or_a_parse_the_stage_stands_aside() -> None:
    doc = before_check(TEXT)
    assert len(read_quotes(QuoteCheck(model=None)(doc))) == 2
    blank = spacy.blank("nb")("Hun mener at det går bra.")
    write_quotes(blank, [Quote(type="indirect", content=[blank[3:7]], cue=blank[1:2], speaker=blank[0:1])])
    assert len(read_quotes(QuoteCheck(model=DROPS_MENER)(blank))) == 1


def test_the_model_travels_with_the_component() -> None:
    restored = QuoteCheck(model=None).from_bytes(QuoteCheck(model=DROPS_MENER).to_bytes())
    assert restored.model == DROPS_MENER
