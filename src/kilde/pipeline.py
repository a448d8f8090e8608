"""Build kilde's spaCy pipelines and pick the language of a text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

from kilde import MAX_TEXT_CHARS
from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon
from kilde.tokenization import adapt_tokenizer
from kilde.types import register_extensions

# Importing the stage modules registers their factories with spaCy.
from . import attribution, boilerplate, coref, hedges, provenance, quotes, segmentation  # noqa: F401
from .lang import nynorsk  # noqa: F401

STAGES: tuple[str, ...] = (
    "kilde_boilerplate",
    "kilde_quotes",
    "kilde_attribution",
    "kilde_coref",
    "kilde_hedges",
    "kilde_provenance",
)

MODELS_DIR = Path(__file__).parent / "models"
SHARED_NER = "ner"
"""Folder under MODELS_DIR of the NER that Bokmål and Nynorsk share (trained on both)."""


def load_model(language: str, model: Path | str | None = None) -> Language | None:
    """The trained spaCy pipeline alone (tagger, parser, lemmatizer, NER), or None without one.

    ``model`` is a spaCy pipeline folder; by default the one packaged under
    ``kilde/models/<language>``. A packaged model gets the NER that Bokmål and Nynorsk
    share (``kilde/models/ner``).
    """
    path = Path(model) if model is not None else MODELS_DIR / language
    if not (path / "config.cfg").is_file():
        return None
    nlp = spacy.load(path)
    shared_ner = MODELS_DIR / SHARED_NER
    packaged = path.resolve().parent == MODELS_DIR.resolve()
    if packaged and "ner" not in nlp.pipe_names and (shared_ner / "config.cfg").is_file():
        # A fresh source each time: add_pipe(source=…) hands over the component itself.
        nlp.add_pipe("ner", source=spacy.load(shared_ner))
    return nlp


def build_pipeline(language: str, model: Path | str | None = None, use_model: bool = True) -> Language:
    """A new pipeline for ``language`` with every kilde stage.

    The base is ``model`` (a spaCy pipeline folder) when given, else the trained
    model packaged under ``kilde/models/<language>`` when present, else a blank
    tokenizer. ``use_model=False`` forces the blank, rule-only pipeline. The packaged
    models share one NER (``kilde/models/ner``), added here to a packaged base without one.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {', '.join(SUPPORTED_LANGUAGES)}")
    register_extensions()
    base = load_model(language, model) if use_model else None
    nlp = base if base is not None else spacy.blank(language)
    # A saved model carries the tokenizer it was trained with; news text needs kilde's settings.
    adapt_tokenizer(nlp, Lexicon.load(language))
    # kilde.analyze bounds the input itself; spaCy's own default limit is lower.
    nlp.max_length = max(nlp.max_length, MAX_TEXT_CHARS + 1)
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("kilde_sentencizer", first=True)
    for stage in STAGES:
        nlp.add_pipe(stage)
    return nlp


def load(language: str = "nb", rules_only: bool = False) -> Language:
    """The shared pipeline for ``language`` (``nb`` or ``nn``), built once per process.

    ``rules_only`` leaves out the trained model (tagger, parser, NER) even where it is installed.
    """
    # Positional arguments for the cache, so that load("nb") and load("nb", rules_only=False)
    # share one pipeline.
    return _shared_pipeline(language, rules_only)


@cache
def _shared_pipeline(language: str, rules_only: bool) -> Language:
    return build_pipeline(language, use_model=not rules_only)


def pipelines_built() -> int:
    """How many shared pipelines this process has built so far (rebuilds included)."""
    return _shared_pipeline.cache_info().misses


def drop_pipelines() -> None:
    """Forget the shared pipelines; the next :func:`load` builds them anew."""
    _shared_pipeline.cache_clear()
