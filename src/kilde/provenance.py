"""TODO"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kilde.lexicon import Lexicon


class ProvenanceBuilder:
    def __init__(self, lexicon: Lexicon, name: str = "kilde_provenance") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("kilde_provenance")
def make_provenance(nlp: Language, name: str) -> ProvenanceBuilder:
    return ProvenanceBuilder(Lexicon.load(nlp.lang), name)
