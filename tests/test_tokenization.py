"""Tokenizer settings for news text (kilde.tokenization)."""

from __future__ import annotations

import spacy

import kilde
from kilde.lexicon import Lexicon
from kilde.tokenization import adapt_tokenizer


def test_sentence_final_words_keep_their_full_stop_apart() -> None:
    nlp = spacy.blank("nb")
    assert [t.text for t in nlp("Vi ses til jul.")][-1] == "jul."  # spaCy's own exception
    adapt_tokenizer(nlp, Lexicon.load("nb"))
    assert [t.text for t in nlp("Vi ses til jul.")][-2:] == ["jul", "."]
    # Real abbreviations are untouched.
    assert "bl.a." in [t.text for t in nlp("Han nevnte bl.a. brua.")]


def test_kilde_pipelines_accept_their_largest_input() -> None:
    assert kilde.load("nb").max_length > kilde.MAX_TEXT_CHARS
