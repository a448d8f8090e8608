"""Sentence and paragraph boundaries for pipelines without a parser.

News text keeps paragraphs on their own lines, so every line break starts a
sentence; inside a line a sentence ends at ``.``, ``!`` or ``?`` (optionally
followed by a closing quote mark) before a token that opens a new sentence.
Abbreviations stay one token thanks to the Norwegian tokenizer exceptions.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = frozenset(".!?")
CLOSING_MARKS = frozenset('»"”)')
OPENING_MARKS = frozenset('«"“–—-(')


class ParagraphSentencizer:
    """Sets ``is_sent_start`` on every token unless a parser already did."""

    def __init__(self, name: str = "kilde_sentencizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("SENT_START") or not len(doc):
            return doc
        # Set all boundaries in one array: assigning Token.is_sent_start one by one
        # re-checks the whole Doc each time, which is quadratic in its length.
        flags = [1 if start else -1 for start in self.sentence_starts(doc)]
        starts = numpy.array(flags, dtype="int32").astype("uint64").reshape(-1, 1)
        doc.from_array([SENT_START], starts)
        return doc

    @staticmethod
    def sentence_starts(doc: Doc) -> list[bool]:
        """For each token, whether it opens a sentence."""
        starts: list[bool] = []
        after_break = True
        after_end = False
        for token in doc:
            if token.is_space and "\n" in token.text:
                starts.append(token.i == 0)
                after_break = True
                after_end = False
                continue
            if after_break or token.i == 0:
                starts.append(True)
            else:
                opens = token.is_title or token.is_digit or token.text[:1] in OPENING_MARKS
                starts.append(after_end and opens)
            after_break = False
            if token.text in SENTENCE_END:
                after_end = True
            elif not (after_end and token.text in CLOSING_MARKS):
                after_end = False
        return starts


@Language.factory("kilde_sentencizer")
def make_sentencizer(nlp: Language, name: str) -> ParagraphSentencizer:
    return ParagraphSentencizer(name)
