"""Boilerplate lines: ad breaks, teasers, bylines, photo credits, site furniture."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon
from kilde.types import BOILERPLATE_SPANS


class BoilerplateDetector:
    def __init__(self, lexicon: Lexicon, name: str = "kilde_boilerplate") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[BOILERPLATE_SPANS] = []
        return doc


@Language.factory("kilde_boilerplate")
def make_boilerplate(nlp: Language, name: str) -> BoilerplateDetector:
    return BoilerplateDetector(Lexicon.load(nlp.lang), name)
