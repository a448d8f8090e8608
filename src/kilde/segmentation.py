"""Sentence boundaries: for pipelines without a parser, and line breaks for those with one.

The ``kilde_sentencizer`` component sets ``Token.is_sent_start`` from the same
sentence ranges the rule stages use: ``kilde.text.sentences`` over each
paragraph (news text keeps a paragraph per line, so every line starts a
sentence). The rules for initials, abbreviations and lower-case continuations
therefore live in one place, ``kilde.text``.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from kilde.component import KildeComponent
from kilde.lexicon import SUPPORTED_LANGUAGES
from kilde.text import sentence_start_tokens


class ParagraphSentencizer(KildeComponent):
    """Sets ``is_sent_start`` on every token unless a parser already did."""

    scorer = None  # sentence boundaries serve the other stages; kilde's gold does not mark them

    def __init__(self, name: str = "kilde_sentencizer", language: str = "nb") -> None:
        self.name = name
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("SENT_START") or not len(doc):
            return doc
        # Set all boundaries in one array: assigning Token.is_sent_start one by one
        # re-checks the whole Doc each time, which is quadratic in its length.
        flags = numpy.full(len(doc), -1, dtype="int32")
        flags[sentence_start_tokens(doc, self.language)] = 1
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        return doc

    def sentence_starts(self, doc: Doc) -> list[bool]:
        """For each token, whether it opens a sentence."""
        starts = [False] * len(doc)
        for i in sentence_start_tokens(doc, self.language):
            starts[i] = True
        return starts


@Language.factory("kilde_sentencizer", assigns=["token.is_sent_start"], default_config={"language": None})
def make_sentencizer(nlp: Language, name: str, language: str | None) -> ParagraphSentencizer:
    if language is None:
        language = nlp.lang if nlp.lang in SUPPORTED_LANGUAGES else "nb"
    return ParagraphSentencizer(name, language)


class LineBreaks(KildeComponent):
    """Component ``kilde_line_breaks``: a line break ends a sentence, before the parser reads it.

    News text keeps a paragraph per line, and a headline or a teaser has no full stop. kilde's
    parsers learned from a treebank without whitespace tokens, so they take the whitespace token
    of a line break for a word: a noun, even the subject of the next paragraph's verb, joining
    the headline and the paragraph into one sentence. Marking every line-break token as a
    sentence of its own and the word after it as a sentence start (the parser keeps the
    boundaries it is given) keeps each paragraph's parse to itself; other boundaries are left
    to the parser.
    """

    scorer = None  # boundaries serve the parser; kilde's gold does not mark them

    def __init__(self, name: str = "kilde_line_breaks", language: str = "common") -> None:
        self.name = name
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        flags = numpy.zeros(len(doc), dtype="int32")  # 0: the parser decides
        flags[0] = 1
        for token in _line_break_tokens(doc):
            flags[token.i] = 1
            if token.i + 1 < len(doc):
                flags[token.i + 1] = 1
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        return doc


def _line_break_tokens(doc: Doc) -> list[Token]:
    return [token for token in doc if token.is_space and "\n" in token.text]


@Language.factory("kilde_line_breaks", assigns=["token.is_sent_start"], default_config={})
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks(name)
