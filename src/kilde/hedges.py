"""Hedges: reportative and epistemic markers in the journalist's own voice."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon
from kilde.types import HEDGE_SPANS


class HedgeDetector:
    def __init__(self, lexicon: Lexicon, name: str = "kilde_hedges") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[HEDGE_SPANS] = []
        return doc


@Language.factory("kilde_hedges")
def make_hedges(nlp: Language, name: str) -> HedgeDetector:
    return HedgeDetector(Lexicon.load(nlp.lang), name)
