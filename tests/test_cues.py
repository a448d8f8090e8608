"""Cue candidates: the word lists' cues, joined by what a trained cue recognizer found.

The recognizer is stood in for by a component that marks one made-up cue, so the test needs
no model: it checks what kilde's stages do with ``doc.spans["kilde_learned_cues"]``.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kilde.cues import ACCORDING, LEARNED_CUE_SPANS, SPEECH, CueMatcher
from kilde.lexicon import Lexicon
from kilde.pipeline import STAGES
from kilde.tokenization import news_tokenizer
from kilde.types import read_quotes

TEXT = "Trenaren kvitret at laget er klart for finalen."


@Language.component("test_marks_kvitret")
def marks_kvitret(doc: Doc) -> Doc:
    doc.spans[LEARNED_CUE_SPANS] = [
        doc[i : i + 1] for i, token in enumerate(doc) if token.lower_ == "kvitret"
    ]
    return doc


def pipeline(with_learned_cues: bool) -> Language:
    nlp = spacy.blank("nb")
    news_tokenizer()(nlp)
    nlp.add_pipe("kilde_sentencizer")
    if with_learned_cues:
        nlp.add_pipe("test_marks_kvitret")
    for stage in STAGES:
        nlp.add_pipe(stage)
    return nlp


def test_an_unlisted_cue_frames_nothing_without_a_recognizer() -> None:
    assert read_quotes(pipeline(False)(TEXT)) == []


def test_a_learned_cue_frames_a_quote_like_a_listed_one() -> None:
    quotes = read_quotes(pipeline(True)(TEXT))
    assert [(q.cue.text, q.speaker.text, q.content[0].text) for q in quotes if q.cue and q.speaker] == [
        ("kvitret", "Trenaren", "laget er klart for finalen")
    ]


def test_listed_cues_keep_their_class_where_a_learned_one_overlaps() -> None:
    nlp = spacy.blank("nb")
    doc = nlp("Ifølge kommunen sier ingen noe.")
    doc.spans[LEARNED_CUE_SPANS] = [doc[0:1], doc[2:3]]
    labels = {span.text: span.label_ for span in CueMatcher(nlp.vocab, Lexicon.load("nb"))(doc)}
    assert labels == {"Ifølge": ACCORDING, "sier": SPEECH}
