"""TODO"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon


class QuoteFinder:
    def __init__(self, lexicon: Lexicon, name: str = "kilde_quotes") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("kilde_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder(Lexicon.load(nlp.lang), name)
