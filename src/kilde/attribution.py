"""TODO"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon


class AttributionFinder:
    def __init__(self, lexicon: Lexicon, name: str = "kilde_attribution") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("kilde_attribution")
def make_attribution(nlp: Language, name: str) -> AttributionFinder:
    return AttributionFinder(Lexicon.load(nlp.lang), name)
