"""Cue phrases: the reporting verbs and prepositions that frame a quote.

A spaCy ``Matcher`` built from the language's data files finds them; the
longest match wins where cues overlap ("legger til" over "legger").
"""

from __future__ import annotations

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kilde.lexicon import Lexicon

CUE_SPANS = "kilde_cues"
"""Key in ``doc.spans``: every cue candidate, labelled SPEECH, DIRECT_ONLY or ACCORDING."""

SPEECH = "SPEECH"
DIRECT_ONLY = "DIRECT_ONLY"
ACCORDING = "ACCORDING"


class CueMatcher:
    """Finds cue candidates; whether one really frames a quote is decided by the stages."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon) -> None:
        self.matcher = Matcher(vocab)
        for label, phrases in (
            (SPEECH, lexicon.speech_verbs),
            (DIRECT_ONLY, lexicon.direct_only_verbs - lexicon.speech_verbs),
            (ACCORDING, lexicon.according_to),
        ):
            patterns = [[{"LOWER": word} for word in phrase.split()] for phrase in sorted(phrases)]
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> list[Span]:
        if CUE_SPANS in doc.spans:
            return list(doc.spans[CUE_SPANS])
        spans = filter_spans(self.matcher(doc, as_spans=True))
        doc.spans[CUE_SPANS] = spans
        return spans
