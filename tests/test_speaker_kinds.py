"""The learned speaker kinds (``kilde.speaker_kinds``, used by ``kilde_coref``).

Every example is invented. The model reads the trained parse, so the pipeline tests use the
packaged Bokmål pipeline and skip without it.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from kilde.linear import LinearModel, fit_choices
from kilde.pipeline import MODELS_DIR, build_pipeline
from kilde.speaker_kinds import PACKAGED_MODEL, TASK, best_kind, entity_features, option_features
from kilde.types import Entity, read_entities, read_quotes

needs_model = pytest.mark.skipif(
    not (MODELS_DIR / "nb" / "config.cfg").is_file(), reason="needs the packaged Bokmål model"
)

OUTLET = "Fjordbladet skriver at brua blir stengt i helgen."


def pipeline(model: LinearModel | None) -> Language:
    nlp = build_pipeline("nb")
    nlp.get_pipe("kilde_coref").model = model
    return nlp


def test_option_features_are_conjoined_with_the_kind() -> None:
    assert option_features({"bias": 1.0, "cue=skriver": 1.0}, "media") == {
        "media|bias": 1.0,
        "media|cue=skriver": 1.0,
    }


def test_the_best_kind_is_the_highest_scoring_option() -> None:
    model = LinearModel(TASK, {"media|cue=skriver": 2.0, "person|bias": 1.0})
    assert best_kind(model, {"bias": 1.0, "cue=skriver": 1.0}) == "media"
    assert best_kind(model, {"bias": 1.0}) == "person"


def test_fit_choices_learns_which_option_is_right() -> None:
    kinds = ("person", "document")
    examples = [({"suffix=ing": 1.0}, "document"), ({"first_name": 1.0}, "person")] * 5
    choices = [([option_features(f, k) for k in kinds], [kinds.index(kind)]) for f, kind in examples]
    model = fit_choices(TASK, choices)
    assert model.score({"document|suffix=ing": 1.0}) > model.score({"person|suffix=ing": 1.0})
    assert model.score({"person|first_name": 1.0}) > model.score({"document|first_name": 1.0})


def test_entity_features_read_the_name_and_the_cues_without_a_parse() -> None:
    entity = Entity("e1", "Kari Holm", kind="person", gender="f")
    features = entity_features(entity, [], {"kari"})
    assert features["rules=person"] == features["first_name"] == features["gendered"] == 1.0
    assert "web_address" not in entity_features(entity, [], set())
    assert entity_features(Entity("e2", "nettavisa.no"), [], set())["web_address"] == 1.0


@needs_model
def test_a_model_relabels_the_speakers_and_their_quotes() -> None:
    # The rules call the outlet media ("-bladet"); a model that reads the cue otherwise wins.
    says_document = LinearModel(TASK, {"document|cue=skriver": 5.0})
    doc = pipeline(says_document)(OUTLET)
    [quote] = read_quotes(doc)
    [entity] = [e for e in read_entities(doc) if e.id == quote.entity_id]
    assert quote.speaker_kind == entity.kind == "document"
    features = entity_features(entity, [quote], set())
    assert features["cue=skriver"] == features["pos=PROPN"] == features["type=indirect"] == 1.0


@needs_model
def test_the_rules_only_pipeline_keeps_the_rules_kinds() -> None:
    nlp = build_pipeline("nb", use_model=False)
    nlp.get_pipe("kilde_coref").model = LinearModel(TASK, {"document|bias": 9.0})
    [quote] = read_quotes(nlp("– Vi stenger brua, sier ordfører Kari Holm."))
    assert quote.speaker_kind == "person"


@needs_model
@pytest.mark.skipif(not PACKAGED_MODEL.is_file(), reason="no speaker-kind model installed")
def test_the_packaged_model_knows_outlets_and_documents() -> None:
    nlp = build_pipeline("nb")
    [outlet] = read_quotes(nlp(OUTLET))
    assert outlet.speaker_kind == "media"
    [survey] = read_quotes(nlp("Undersøkelsene viser at stadig flere unge leser nyheter på mobilen."))
    assert survey.speaker_kind == "document"


def test_the_model_travels_with_the_component() -> None:
    model = LinearModel(TASK, {"media|bias": 1.5})
    nlp = build_pipeline("nb", use_model=False)
    nlp.get_pipe("kilde_coref").model = model
    fresh = build_pipeline("nb", use_model=False)
    fresh.get_pipe("kilde_coref").from_bytes(nlp.get_pipe("kilde_coref").to_bytes())
    assert fresh.get_pipe("kilde_coref").model == model
