"""kilde: who said what, to whom, according to whom, in Norwegian news."""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from kilde.errors import KildeError
from kilde.limits import MAX_TEXT_CHARS

__version__ = "0.1.0"



def load(language: str = "nb", rules_only: bool = False) -> Language:
    """The spaCy pipeline for ``nb`` (Bokmål) or ``nn`` (Nynorsk), with every kilde stage.

    The packaged trained model (tagger, parser, NER) is the base unless ``rules_only`` is set or
    the model is not installed; the rule stages work on a blank tokenizer either way.
    """
    from kilde.pipeline import load as load_pipeline

    try:
        return load_pipeline(language, rules_only)
    except ValueError as error:
        raise KildeError(str(error)) from None


def analyze(
    text: str, language: str | None = None, doc_id: str | None = None, rules_only: bool = False
) -> dict[str, Any]:
    """Analyse one article and return its ``kilde/1`` object.

    ``language`` is ``nb``, ``nn``, or ``None``/``"auto"`` to detect it from the text;
    ``rules_only`` analyses without the trained model (see :func:`load`).
    """
    from kilde.language import detect_language
    from kilde.output import doc_to_kilde

    if not isinstance(text, str):
        raise KildeError(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise KildeError("the text is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise KildeError(f"the text is {len(text):,} characters; kilde analyses at most {MAX_TEXT_CHARS:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        # A lone surrogate ("\ud800" in JSON) is no character: no offset could point at it.
        raise KildeError(
            f"the text is not valid Unicode: a lone surrogate U+{ord(text[error.start]):04X} "
            f"at character {error.start:,}"
        ) from None
    if language in (None, "auto"):
        language = detect_language(text)
    from kilde.pipeline import analyse_text

    doc = analyse_text(load(language, rules_only), text)
    doc._.kilde_language = language
    return doc_to_kilde(doc, doc_id)


__all__ = ["MAX_TEXT_CHARS", "KildeError", "__version__", "analyze", "load"]
