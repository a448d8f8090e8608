"""Build kilde's spaCy pipelines and pick the language of a text."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon
from kilde.limits import MAX_TEXT_CHARS
from kilde.tokenization import adapt_tokenizer, make_doc
from kilde.types import register_extensions

# Importing the stage modules registers their factories with spaCy.
from . import (  # noqa: F401
    attribution,
    boilerplate,
    coref,
    coreference,
    hedges,
    provenance,
    quote_check,
    quotes,
    reported,
    segmentation,
    speakers,
)
from .lang import nynorsk  # noqa: F401

STAGES: tuple[str, ...] = (
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
)

STAGE_SETTINGS: dict[str, dict[str, str]] = {
    # kilde's own stages read only the speakers' entities: the rest would cost a fifth of the
    # model's time (docs/performance.md).
    "kilde_coreference": {"anaphors": "speakers"},
}
"""Settings kilde's own pipeline gives a stage beyond its defaults."""

MODELS_DIR = Path(__file__).parent / "models"
SHARED_NER = "ner"
"""Folder under MODELS_DIR of the NER that Bokmål and Nynorsk share (trained on both)."""
CUE_MODEL = "cue_model"
"""Name (and folder under MODELS_DIR) of the trained cue recognizer, when one is installed
(``training/attribution/install.py``); it writes ``doc.spans["kilde_learned_cues"]``."""


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


def build_pipeline(
    language: str,
    model: Path | str | None = None,
    use_model: bool = True,
    cue_model: Path | str | None = None,
    learned_cues: bool = True,
) -> Language:
    """A new pipeline for ``language`` with every kilde stage.

    The base is ``model`` (a spaCy pipeline folder) when given, else the trained
    model packaged under ``kilde/models/<language>`` when present, else a blank
    tokenizer (with a parser, ``kilde_line_breaks`` before it: every line break ends a sentence).
    ``use_model=False`` forces the blank, rule-only pipeline. The packaged
    models share one NER (``kilde/models/ner``), added here to a packaged base without one.
    A trained cue recognizer (``cue_model``, by default ``kilde/models/cue_model`` when it is
    installed) goes in front of kilde's stages unless ``use_model`` or ``learned_cues`` is False.
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
    elif "parser" in nlp.pipe_names:
        nlp.add_pipe("kilde_line_breaks", before="parser")
    cue_path = Path(cue_model) if cue_model is not None else MODELS_DIR / CUE_MODEL
    if use_model and learned_cues and (cue_path / "config.cfg").is_file():
        nlp.add_pipe(CUE_MODEL, source=spacy.load(cue_path))
    for stage in STAGES:
        nlp.add_pipe(stage, config=STAGE_SETTINGS.get(stage, {}))
    return nlp


PARSE_STAGES = frozenset({"kilde_line_breaks"})
"""kilde's components that prepare the parse: they run with the trained ones, on each piece."""

MODEL_CHUNK_CHARS = 10_000
"""Size of the paragraph-aligned pieces the trained components read a long text in."""


def analyse_text(nlp: Language, text: str, chunk_chars: int = MODEL_CHUNK_CHARS) -> Doc:
    """``nlp(text)``, with the trained components reading a long text in paragraph-aligned pieces.

    A neural component holds activations for every token of the Doc it reads at once, so one
    long Doc costs memory (and cache misses) out of proportion to its length. Pieces of about
    ``chunk_chars`` characters, cut after line breaks (which no token spans and where every
    paragraph starts a sentence), keep that bounded; the pieces are joined back into one Doc
    with exactly ``text`` before kilde's own stages read it whole.
    """
    trained = [name for name, _ in nlp.pipeline if not name.startswith("kilde_") or name in PARSE_STAGES]
    if len(text) <= chunk_chars or not trained:
        return nlp(make_doc(nlp, text))
    pieces = [make_doc(nlp, piece) for piece in paragraph_pieces(text, chunk_chars)]
    with nlp.select_pipes(enable=trained):
        docs = list(nlp.pipe(pieces, batch_size=1))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    for name, component in nlp.pipeline:
        if name not in trained:
            doc = component(doc)
    return doc


def paragraph_pieces(text: str, size: int) -> Iterator[str]:
    """``text`` in consecutive pieces of at most about ``size`` characters that join back into it.

    A piece ends after a line break (a run of them stays together); in a line longer than
    ``size``, after a sentence's full stop and space, else after a space. Text without
    either stays whole: no token is ever cut.
    """
    start = 0
    while len(text) - start > size:
        window = start + size
        cut = text.rfind("\n", start + 1, window)
        if cut >= 0:
            end = cut + 1
            while end < len(text) and text[end] == "\n":
                end += 1
        else:
            cut = text.rfind(". ", start + 1, window)
            if cut < 0:
                cut = text.rfind(" ", start + 1, window) - 1
            if cut < 0:
                break
            end = cut + 2
        yield text[start:end]
        start = end
    if start < len(text) or not text:
        yield text[start:]


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
