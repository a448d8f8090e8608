"""TODO"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon


class SpeakerResolver:
    def __init__(self, lexicon: Lexicon, name: str = "kilde_coref") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("kilde_coref")
def make_coref(nlp: Language, name: str) -> SpeakerResolver:
    return SpeakerResolver(Lexicon.load(nlp.lang), name)
