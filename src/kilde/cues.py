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
from kilde.text import DocCache, doc_has_parse

LEARNED_CUE_SPANS = "kilde_learned_cues"
"""Key in ``doc.spans`` where a trained cue recognizer puts the cues it finds."""
PARENTHETICAL_DEPS = frozenset({"PAR", "parataxis"})
"""The Norwegian Dependency Treebank's relation for a speech tag inside or after the quote."""
SUBJECT_DEPS = frozenset({"SUBJ", "nsubj"})
EXPLETIVES = frozenset({"det", "dette", "der"})
"""Formal subjects: ``…, var det ikke?`` asks; it does not tag a quote."""
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
        # Listed cues first: where a learned or parsed cue covers the same words, the list's label stays.
        found = filter_spans([*listed, *learned, *parenthetical_tags(doc)])
        return sorted(found, key=lambda span: span.start)

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


def parenthetical_tags(doc: Doc) -> list[Span]:
    """Verbs the parse reads as a parenthetical with its own subject after it: the tag of a
    quote whatever the verb (``«…», smiler hun``, ``– …, oppsummerer treneren``), so the long
    tail of tag verbs needs no list: ``…, medgjev treneren`` closes indirect speech too."""
    if not doc_has_parse(doc):
        return []
    return [
        Span(doc, token.i, token.i + 1, label=SPEECH)
        for token in doc
        if token.dep_ in PARENTHETICAL_DEPS
        and token.pos_ == "VERB"
        and "Fin" in token.morph.get("VerbForm")
        and any(
            child.dep_ in SUBJECT_DEPS and child.i > token.i and child.lower_ not in EXPLETIVES
            for child in token.children
        )
    ]


class CueIndex:
    """Cues looked up by character position, in logarithmic time."""

    def __init__(self, cues: list[Span]) -> None:
        self.cues = sorted(cues, key=lambda span: span.start_char)
        self.starts = [span.start_char for span in self.cues]

    def between(self, start: int, end: int) -> list[Span]:
        """Cues that begin in ``[start, end)``, in text order."""
        return self.cues[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]
