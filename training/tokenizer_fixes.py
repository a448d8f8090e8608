"""kilde's tokenizer settings, as ``eval_tokenizer.py --fixes`` and ``evaluate.py`` apply them.

The settings live in the package (``kilde.tokenization`` and the language data
``not_abbreviations.txt`` / ``abbreviations.txt``); this wrapper keeps the
training scripts' ``apply(nlp)`` entry point.
"""

from __future__ import annotations

from spacy.language import Language

from kilde.lexicon import Lexicon
from kilde.tokenization import adapt_tokenizer


def apply(nlp: Language) -> Language:
    """Apply kilde's tokenizer settings to ``nlp`` in place (and return it)."""
    return adapt_tokenizer(nlp, Lexicon.load(nlp.lang))
