"""Paragraph and quote-mark helpers shared by the stages.

kilde keeps offsets into ``doc.text`` exactly, so these helpers work on
character positions and the stages turn them into ``Span`` objects.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

import numpy
from spacy.attrs import IDX, IS_SPACE
from spacy.tokens import Doc, Span

from kilde.lexicon import Lexicon
from kilde.types import BOILERPLATE_SPANS

BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
"""A blank line: a paragraph break in any layout."""

T = TypeVar("T")

DASH_OPENING = re.compile(r"^[ \t]*(?:[–—-][ \t]+(?=\S)|[–—](?=[A-ZÆØÅ«\"]))")
"""A dialogue dash that opens a paragraph: ``– Tekst``."""

OPEN_TO_CLOSE = {"«": "»", "“": "”", '"': '"', "„": "“"}
EDGE_PUNCTUATION = " \t\n,.;:–—-«»\"“”„'"


@dataclass(frozen=True)
class Paragraph:
    """One line of ``doc.text``: news text keeps a paragraph per line."""

    index: int
    start: int
    end: int
    text: str

    @property
    def dash_body_start(self) -> int | None:
        """Offset where a dialogue-dash paragraph's words begin, or None."""
        match = DASH_OPENING.match(self.text)
        return self.start + match.end() if match else None


class DocCache(Generic[T]):
    """Values computed once per Doc and kept only while that Doc lives.

    Unlike ``doc.user_data`` the values never travel with the Doc (``to_bytes``, ``DocBin``,
    ``nlp.pipe(n_process=…)``), so they may be any Python object.
    """

    def __init__(self) -> None:
        self._values: weakref.WeakKeyDictionary[Doc, T] = weakref.WeakKeyDictionary()

    def get(self, doc: Doc, compute: Callable[[Doc], T]) -> T:
        try:
            return self._values[doc]
        except KeyError:
            value = self._values[doc] = compute(doc)
            return value


# A Doc's text never changes (retokenizing keeps it), so caching it is safe; a parse is
# checked when a stage first asks, after the trained components have run.
_TEXTS: DocCache[str] = DocCache()
_PARSED: DocCache[bool] = DocCache()
_MORPHOLOGY: DocCache[bool] = DocCache()


def doc_has_parse(doc: Doc) -> bool:
    """``doc.has_annotation("DEP")``, checked once per Doc (the check scans every token)."""
    return _PARSED.get(doc, lambda d: d.has_annotation("DEP"))


def doc_has_morphology(doc: Doc) -> bool:
    """``doc.has_annotation("MORPH")`` (a tagger's tense, person, …), checked once per Doc."""
    return _MORPHOLOGY.get(doc, lambda d: d.has_annotation("MORPH"))


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token each time it is asked."""
    return _TEXTS.get(doc, lambda d: d.text)


MAX_PARAGRAPH_CHARS = 5_000
"""Longest paragraph the stages read at once; a longer line is read in pieces of whole sentences.

News paragraphs stay far below it (the longest line in the treebank's raw text is under 5,000
characters); a text pasted without line breaks would otherwise make every look back or ahead
within "the paragraph" cost the whole text."""


def paragraphs(doc: Doc, skip_boilerplate: bool = True) -> list[Paragraph]:
    """The non-empty lines of the text, without boilerplate lines when that stage ran.

    A line over :data:`MAX_PARAGRAPH_CHARS` becomes several paragraphs, cut after sentences.
    """
    covered = Ranges(boilerplate_ranges(doc) if skip_boilerplate else [])
    text = doc_text(doc)
    out: list[Paragraph] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        if covered.contains(start + len(line) - len(line.lstrip())):
            continue
        for piece_start, piece_end in _line_pieces(text, start, end):
            out.append(Paragraph(len(out), piece_start, piece_end, text[piece_start:piece_end]))
    return out


def _line_pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` in consecutive pieces of at most :data:`MAX_PARAGRAPH_CHARS` characters,
    cut after a sentence (or, in a sentence that long, after a space); shorter lines whole."""
    if end - start <= MAX_PARAGRAPH_CHARS:
        yield start, end
        return
    piece_start = start
    for sentence_start, sentence_end in iter_sentences(text, start, end):
        if sentence_end - piece_start > MAX_PARAGRAPH_CHARS and sentence_start > piece_start:
            yield piece_start, sentence_start
            piece_start = sentence_start
        while sentence_end - piece_start > MAX_PARAGRAPH_CHARS:  # one sentence longer than that
            cut = _space_before(text, piece_start, sentence_end)
            yield piece_start, cut
            piece_start = cut
    yield piece_start, end


def _space_before(text: str, start: int, end: int) -> int:
    """Just after the last space within :data:`MAX_PARAGRAPH_CHARS` of ``start``, or that far."""
    limit = min(end, start + MAX_PARAGRAPH_CHARS)
    space = text.rfind(" ", start + 1, limit)
    return space + 1 if space > start else limit


class Ranges:
    """Character ranges with fast "is this position inside one?" and "does this overlap one?"."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        # Largest end among the ranges that start at or before each index.
        self._reach: list[int] = []
        for _, end in ordered:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def _reach_before(self, position: int, inclusive: bool) -> int:
        find = bisect.bisect_right if inclusive else bisect.bisect_left
        i = find(self._starts, position)
        return self._reach[i - 1] if i else -1

    def contains(self, position: int) -> bool:
        return self._reach_before(position, inclusive=True) > position

    def overlaps(self, start: int, end: int) -> bool:
        return self._reach_before(end, inclusive=False) > start


def boilerplate_ranges(doc: Doc) -> list[tuple[int, int]]:
    if BOILERPLATE_SPANS not in doc.spans:
        return []
    return [(span.start_char, span.end_char) for span in doc.spans[BOILERPLATE_SPANS]]


def quote_pairs(text: str) -> Iterator[tuple[int, int]]:
    """Positions of matching opening and closing quote marks in one paragraph.

    An opening mark left unclosed at the end of the paragraph is paired with the
    paragraph's end (a quote that runs on into the next paragraph), given as
    ``len(text)``. Quote marks nested inside an open quote are skipped.
    """
    i = 0
    while i < len(text):
        char = text[i]
        if char in OPEN_TO_CLOSE:
            close = _find_close(text, i)
            yield i, close
            i = close + 1
        else:
            i += 1


def _find_close(text: str, open_at: int) -> int:
    opening = text[open_at]
    closing = OPEN_TO_CLOSE[opening]
    depth = 0
    for j in range(open_at + 1, len(text)):
        char = text[j]
        if char == closing and (closing != opening or depth == 0):
            if depth == 0:
                return j
            depth -= 1
        elif char == opening and closing != opening:
            depth += 1
    return len(text)


def trim(text: str, start: int, end: int, chars: str = EDGE_PUNCTUATION) -> tuple[int, int]:
    """Shrink ``[start, end)`` past ``chars`` and any white space (``\r``, ``\u2028`` too)."""
    while start < end and (text[start] in chars or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return start, end


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The token span covering ``[start, end)`` of ``doc.text``, trimmed of edge punctuation."""
    start, end = trim(doc_text(doc), start, end)
    if start >= end:
        return None
    return doc.char_span(start, end, alignment_mode="expand")


QUESTION_CLOSERS = ' »”"'
"""What may follow a question's question mark: closing quote marks and spaces."""


def asks(text: str) -> bool:
    """Whether ``text`` ends in a question mark (before any closing quote marks and spaces)."""
    return text.rstrip(QUESTION_CLOSERS).endswith("?")


def words(text: str) -> list[str]:
    return re.findall(r"\w[\w'’.-]*", text)


_SENTENCE_END = re.compile(r"[.!?…]+[»”\"]?(?=\s+|$)")


def sentences(text: str, start: int, end: int, language: str = "nb") -> list[tuple[int, int]]:
    """Sentence ranges within ``text[start:end]`` (one paragraph), end exclusive, ends included.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (and a closing quote mark right
    after) before whitespace. A full stop after an initial ("Knut S. Vikør") or an
    abbreviation of ``language``'s ``continuing_abbreviations.txt`` ("kl.", "bl.a.")
    does not end a sentence, nor does one followed by a lower-case word or a number.
    The ``kilde_sentencizer`` component sets token sentence starts from these ranges.
    """
    return list(iter_sentences(text, start, end, language))


def iter_sentences(text: str, start: int, end: int, language: str = "nb") -> Iterator[tuple[int, int]]:
    """:func:`sentences` one at a time: a caller that wants the first few reads no further."""
    abbreviations = _continuing_abbreviations(language)
    sentence_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if match.group().startswith(".") and _full_stop_continues(
            text, sentence_start, match.start(), stop, end, abbreviations
        ):
            continue
        yield sentence_start, stop
        sentence_start = stop
        while sentence_start < end and text[sentence_start] in " \t":
            sentence_start += 1
    if sentence_start < end and text[sentence_start:end].strip():
        yield sentence_start, end


def _full_stop_continues(
    text: str, sentence_start: int, stop_at: int, after: int, end: int, abbreviations: frozenset[str]
) -> bool:
    """Whether the full stop at ``stop_at`` (its punctuation ending at ``after``) is inside a sentence."""
    # The word before the full stop and the first character after it, found by
    # stepping over characters rather than slicing: long paragraphs stay linear.
    word_start = stop_at
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:stop_at].lower()
    if (len(word) == 1 and word.isalpha()) or word.strip("(") in abbreviations:
        return True
    following = after
    while following < end and text[following].isspace():
        following += 1
    return following < end and (text[following].islower() or text[following].isdigit())


@cache
def _continuing_abbreviations(language: str) -> frozenset[str]:
    """The language's continuing abbreviations without their final full stop (``bl.a``)."""
    return frozenset(a.removesuffix(".") for a in Lexicon.load(language).continuing_abbreviations)


def span_of(doc: Doc, bounds: tuple[int, int] | None) -> Span | None:
    """The span over character ``bounds`` (see :func:`char_span`), or None without bounds."""
    return char_span(doc, *bounds) if bounds else None


def strip_end(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` ends without trailing white space and sentence punctuation."""
    return trim(text, start, end, " \t.!?…")[1]


def last_match(pattern: str, text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``, or None."""
    found = None
    for found in re.finditer(pattern, text):  # noqa: B007 - only the last one is wanted
        pass
    return found


def sentence_start_tokens(doc: Doc, language: str = "nb") -> list[int]:
    """Indices of the tokens that open a sentence: the first, and the first word of each sentence.

    The one notion of a sentence in kilde: :func:`sentences` over each paragraph, whether or
    not a parser has set sentences of its own (``kilde_sentencizer`` writes these).
    """
    if not len(doc):
        return []
    text = doc_text(doc)
    starts = [
        start
        for para in paragraphs(doc, skip_boilerplate=False)
        for start, _ in sentences(text, para.start, para.end, language)
    ]
    columns = doc.to_array([IDX, IS_SPACE])
    token_starts, is_space = columns[:, 0], columns[:, 1]
    out = [0]
    # A sentence range starts where a token does (its end is followed by whitespace);
    # a paragraph's first range may start on indentation, which the next word follows.
    for i in numpy.searchsorted(token_starts, starts).tolist():
        while i < len(doc) and is_space[i]:
            i += 1
        if i < len(doc):
            out.append(i)
    return out
