"""Where a dialogue-dash quote ends when a text keeps one sentence a line.

Newspaper archives and treebanks (NARC, the Norwegian Dependency Treebank) often store an
article one sentence a line, so a dash paragraph of three sentences arrives as three lines:

    – Vi har ventet lenge på dette .
    Nå håper vi at resten av landet følger etter ,
    sier ordføreren .

Read line by line, the quote stops after its first sentence and its tag is lost. Which
following lines go on with the quote is a judgement of voice (first person, present tense,
the tag that closes it, a name that starts narration), learned here from kilde's
reported-speech corpus: a :class:`kilde.linear.LinearModel` over the features of
:func:`transition_features`, trained by ``training/continuation/train.py``.
The quotes stage asks it line by line and stops at the first line it rejects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from kilde.text import DASH_OPENING, Paragraph, asks, doc_has_morphology, sentences, words

TASK = "continuation"
"""The :class:`kilde.linear.LinearModel` task of a line-continuation model."""
PACKAGED_MODEL = Path(__file__).parent / "models" / "continuation.json"
"""The model trained on the whole corpus (``training/continuation/train.py --all``)."""
MAX_CONTINUATION_LINES = 12
"""A dash quote never runs on over more lines than this (a safety bound, far above the corpus)."""
TAG_LOOKAHEAD_LINES = 3
"""How far ahead a tag still makes the lines before it likely to belong to the quote."""
LAYOUT_MIN_WORDS = 4
"""Lines shorter than this (headings, bylines) say nothing about the text's layout."""
_CLOSING_PUNCTUATION = re.compile(r"[.!?…:]+[»”\"]?\s*$")


def one_sentence_share(text: str, paras: Sequence[Paragraph], language: str) -> float:
    """Share of the text's lines of at least :data:`LAYOUT_MIN_WORDS` words that hold one sentence.

    Near 1 for a text stored a sentence a line; web articles, whose lines are paragraphs,
    mostly lie far below.
    """
    long_lines = [p for p in paras if len(words(p.text)) >= LAYOUT_MIN_WORDS]
    if not long_lines:
        return 0.0
    one = sum(1 for p in long_lines if len(sentences(text, p.start, p.end, language)) == 1)
    return one / len(long_lines)


@dataclass(frozen=True)
class LineContext:
    """What the quotes stage knows about a candidate line from its cues and the lines around it."""

    has_tag: bool
    """The line holds a quote tag (``…, sier han``): the quote ends on it."""
    tag_ahead: bool
    """One of the next :data:`TAG_LOOKAHEAD_LINES` lines, before any dash line, holds a tag."""
    dash_follows: bool
    """The line right after this one opens a new dash quote."""


def transition_features(
    doc: Doc,
    first: Paragraph,
    last: Paragraph,
    candidate: Paragraph,
    lines_in_quote: int,
    context: LineContext,
    layout: float,
) -> dict[str, float]:
    """What the model reads to decide whether ``candidate`` goes on with the quote that opened
    at ``first`` and so far ends with ``last`` (``lines_in_quote`` lines).

    ``context``: what the quotes stage found around the line with its cue lexicon.
    ``layout``: :func:`one_sentence_share` of the text. Every structural feature comes twice,
    alone and scaled by ``layout``, so that the model can learn that line breaks mean little
    in a sentence-a-line text and much in one of paragraphs. Where a tagger ran, the line's
    finite verbs' tense and its pronouns' person count too: speech runs on in the present and
    the first person, narration in the past and the third.
    """
    candidate_words = [w.lower() for w in words(candidate.text)]
    last_text = last.text.rstrip()
    candidate_question = asks(candidate.text)
    structural = {
        "bias": 1.0,
        "tag": float(context.has_tag),
        "tag_ahead": float(context.tag_ahead),
        "dash_follows": float(context.dash_follows),
        "last_ends_question": float(last_text.endswith("?")),
        "last_ends_colon": float(last_text.endswith(":")),
        "last_unfinished": float(_CLOSING_PUNCTUATION.search(last_text) is None),
        "candidate_unfinished": float(_CLOSING_PUNCTUATION.search(candidate.text) is None),
        # An interview: the journalist's question stands between two dash answers.
        "candidate_question": float(candidate_question),
        "candidate_question*dash_follows": float(candidate_question and context.dash_follows),
        "quote_mark": float(any(mark in candidate.text for mark in '«»“”"')),
        "lines_in_quote": math.log1p(lines_in_quote),
        "candidate_length": math.log1p(len(candidate_words)),
        "first_length": math.log1p(len(words(first.text))),
        "capitalised_second_word": float(_second_word_capitalised(candidate.text)),
    }
    features = dict(structural)
    features.update({f"layout*{name}": value * layout for name, value in structural.items()})
    features["layout"] = layout
    if candidate_words:
        features[f"first={candidate_words[0]}"] = 1.0
        features[f"last={candidate_words[-1]}"] = 1.0
    for word in set(candidate_words):
        features[f"word={word}"] = 1.0
    quote_words = {w.lower() for w in words(first.text)} | {w.lower() for w in words(last.text)}
    for word in set(candidate_words) & quote_words:
        features[f"shared={word}"] = 1.0
    if doc_has_morphology(doc):
        features.update(_grammar_features(doc, candidate, "line"))
        features.update(_grammar_features(doc, first, "quote"))
    return features


def _grammar_features(doc: Doc, para: Paragraph, prefix: str) -> dict[str, float]:
    """Tense of the finite verbs and person of the pronouns in one line, by the tagger's morphology."""
    span = doc.char_span(para.start, para.end, alignment_mode="expand")
    out: dict[str, float] = {}
    if span is None:
        return out
    for token in span:
        morph = token.morph
        if "Fin" in morph.get("VerbForm"):
            for tense in morph.get("Tense"):
                out[f"{prefix}_tense={tense}"] = 1.0
        if token.pos_ == "PRON":
            for person in morph.get("Person"):
                out[f"{prefix}_person={person}"] = 1.0
    if len(span):
        out[
            f"{prefix}_first_pos={span[0].pos_ if span[0].pos_ != 'PUNCT' or len(span) < 2 else span[1].pos_}"
        ] = 1.0
    return out


def _second_word_capitalised(line: str) -> bool:
    """``Per Hansen sier …``: a name at the start of a line is narration more often than speech."""
    found = words(DASH_OPENING.sub("", line))
    return len(found) > 1 and found[1][:1].isupper()
