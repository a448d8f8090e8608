"""Cue candidates: the word lists' cues, joined by what a trained cue recognizer found.

The recognizer is stood in for by a component that marks one made-up cue, so the test needs
no model: it checks what kilde's stages do with ``doc.spans["kilde_learned_cues"]``.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kilde
from kilde.cues import ACCORDING, LEARNED_CUE_SPANS, SPEECH, CueMatcher, parenthetical_tags
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


def _parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Doc:
    """A Doc with a hand-made parse in the treebank's labels (``PAR``: a parenthetical tag)."""
    nlp = spacy.blank("nb")
    morphs = ["VerbForm=Fin" if tag == "VERB" else "" for tag in pos]
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, morphs=morphs)


def test_a_parenthetical_verb_with_its_subject_after_it_is_a_direct_tag() -> None:
    # "– Vi vant , smiler treneren ." : "smiler" is in no list, but the parse reads it as the tag.
    doc = _parsed(
        ["–", "Vi", "vant", ",", "smiler", "treneren", "."],
        [2, 2, 2, 2, 2, 4, 2],
        ["IP", "SUBJ", "ROOT", "IK", "PAR", "SUBJ", "IP"],
        ["PUNCT", "PRON", "VERB", "PUNCT", "VERB", "NOUN", "PUNCT"],
    )
    assert [(t.text, t.label_) for t in parenthetical_tags(doc)] == [("smiler", SPEECH)]


def test_a_question_tag_with_a_formal_subject_is_no_quote_tag() -> None:
    # "– Det var kaldt , var det ikke ?" asks; "det" names no speaker.
    doc = _parsed(
        ["Det", "var", "kaldt", ",", "ble", "det", "ikke", "?"],
        [1, 1, 1, 1, 1, 4, 4, 1],
        ["SUBJ", "ROOT", "SPRED", "IK", "PAR", "SUBJ", "ADV", "IP"],
        ["PRON", "VERB", "ADJ", "PUNCT", "VERB", "PRON", "PART", "PUNCT"],
    )
    assert parenthetical_tags(doc) == []


def test_the_trained_pipeline_attributes_a_quote_whose_tag_verb_is_in_no_list() -> None:
    nlp = kilde.load("nb")
    [quote] = read_quotes(nlp("– Vi er ikke der ennå, oppsummerer trener Per Lie."))
    assert (quote.cue.text, quote.speaker.text) == ("oppsummerer", "trener Per Lie")


def test_a_parenthetical_tag_closes_indirect_speech_too() -> None:
    nlp = kilde.load("nn")
    [quote] = read_quotes(nlp("Tre løp på tre dagar er eit hardt program , medgjev 20-åringen frå Bø ."))
    assert quote.type == "indirect"
    assert (quote.cue.text, quote.content[0].text) == ("medgjev", "Tre løp på tre dagar er eit hardt program")
