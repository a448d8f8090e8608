"""Cue phrases: the reporting verbs and prepositions that frame a quote.

A spaCy ``Matcher`` built from the language's data files finds them; the
longest match wins where cues overlap ("legger til" over "legger"). Where a trained cue
recognizer ran before kilde's stages, its spans (``doc.spans["kilde_learned_cues"]``) join
the listed ones: it finds the long tail of cues no word list holds ("tok til orde for",
"la ikkje skjul på").
"""

from __future__ import annotations

import bisect

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kilde.lexicon import Lexicon
from kilde.text import DocCache

LEARNED_CUE_SPANS = "kilde_learned_cues"
"""Key in ``doc.spans`` where a trained cue recognizer puts the cues it finds."""
SPEECH = "SPEECH"
DIRECT_ONLY = "DIRECT_ONLY"
ACCORDING = "ACCORDING"


class CueMatcher:
    """Finds cue candidates; whether one really frames a quote is decided by the stages."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon) -> None:
        # Every cue is a fixed word sequence, so a PhraseMatcher on lower-cased text
        # (a hash lookup per token) does the work of a Matcher at a fraction of the cost.
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for label, phrases in (
            (SPEECH, lexicon.speech_verbs),
            (DIRECT_ONLY, lexicon.direct_only_verbs - lexicon.speech_verbs),
            (ACCORDING, lexicon.according_to),
        ):
            self.matcher.add(label, [Doc(vocab, words=phrase.split()) for phrase in sorted(phrases)])
        self.according_to = lexicon.according_to
        self.direct_only = lexicon.direct_only_verbs - lexicon.speech_verbs
        self._cues: DocCache[list[Span]] = DocCache()
        self._indices: DocCache[CueIndex] = DocCache()

    def __call__(self, doc: Doc) -> list[Span]:
        """The cue candidates of ``doc`` in text order (matched once per Doc), labelled
        SPEECH, DIRECT_ONLY or ACCORDING."""
        return self._cues.get(doc, self._match)

    def _match(self, doc: Doc) -> list[Span]:
        listed = list(self.matcher(doc, as_spans=True))
        learned = [
            Span(doc, span.start, span.end, label=self._label(span.text))
            for span in doc.spans.get(LEARNED_CUE_SPANS, [])
        ]
        # Listed cues first: where a learned cue covers the same words, the list's label stays.
        return sorted(filter_spans([*listed, *learned]), key=lambda span: span.start)

    def _label(self, phrase: str) -> str:
        """A learned cue's class, as the word lists would give it (``ifølge`` frames a claim)."""
        lower = phrase.lower()
        if lower in self.according_to:
            return ACCORDING
        if lower in self.direct_only:
            return DIRECT_ONLY
        return SPEECH

    def index(self, doc: Doc) -> CueIndex:
        """The cues of ``doc`` for lookup by position (built once per Doc)."""
        return self._indices.get(doc, lambda d: CueIndex(self(d)))


class CueIndex:
    """Cues looked up by character position, in logarithmic time."""

    def __init__(self, cues: list[Span]) -> None:
        self.cues = sorted(cues, key=lambda span: span.start_char)
        self.starts = [span.start_char for span in self.cues]

    def between(self, start: int, end: int) -> list[Span]:
        """Cues that begin in ``[start, end)``, in text order."""
        return self.cues[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]
