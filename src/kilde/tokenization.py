"""Tokenizer settings for news text, applied by the stages that cut quote contents.

spaCy's Norwegian tokenizer keeps a full stop on words that can be
abbreviations ("jul.", Nynorsk "no."). In news text those words far more often
end a sentence, and a quote's content must end before the full stop, so kilde
drops these exceptions (listed per language in ``not_abbreviations.txt``).
"""

from __future__ import annotations

from spacy.language import Language

from kilde.lexicon import Lexicon


def adapt_tokenizer(nlp: Language, lexicon: Lexicon) -> None:
    """Remove tokenizer exceptions for words that usually end a sentence (idempotent)."""
    rules = getattr(nlp.tokenizer, "rules", None) or {}
    if lexicon.not_abbreviations & set(rules):
        nlp.tokenizer.rules = {k: v for k, v in rules.items() if k not in lexicon.not_abbreviations}
