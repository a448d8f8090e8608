"""Tokenizer settings for Norwegian news text, applied to every kilde pipeline.

spaCy's Norwegian tokenizer keeps a full stop on words that can be
abbreviations ("jul.", "to.", Nynorsk "no." and "eg."). In news text those
words far more often end a sentence, and a quote's content must end before
the full stop, so kilde drops those exceptions and adds abbreviations spaCy
lacks (lists per language: ``not_abbreviations.txt``, ``abbreviations.txt``).
It also splits the final full stop off numbers that cannot be ordinals and a
dash between digits, as the Norwegian Dependency Treebank does. Measured
against the treebank's gold tokens (``training/eval_tokenizer.py``): token F
0.9977 -> 0.9992 (nb) and 0.9968 -> 0.9990 (nn).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

from kilde.lexicon import Lexicon

# A full stop after these ends the sentence: years ("i 2005."), numbers with
# thousands or decimals ("15.000.", "7,5."), clock times ("08:30.", "kl. 08.30.").
NUMBER_SUFFIXES = (
    r"(?<=[0-9]{4})\.",
    r"(?<=[.,][0-9]{3})\.",
    r"(?<=,[0-9])\.",
    r"(?<=,[0-9]{2})\.",
    r"(?<=:[0-9]{2})\.",
    r"(?<=[0-9]\.[0-9]{2})\.",
)
# A hyphen or dash between numbers ("4-1", "1990–95"), but not inside a compound ("2-1-seieren").
NUMBER_INFIXES = (r"(?<=[0-9])[-–](?=[0-9]+(?:[^-–0-9]|$))",)


def adapt_tokenizer(nlp: Language, lexicon: Lexicon) -> Language:
    """Apply kilde's Norwegian tokenizer settings to ``nlp`` in place (idempotent); returns ``nlp``."""
    tokenizer = nlp.tokenizer
    if not hasattr(tokenizer, "rules"):
        return nlp  # a custom tokenizer: leave it as its owner made it
    rules = {k: v for k, v in (tokenizer.rules or {}).items() if k not in lexicon.not_abbreviations}
    for abbreviation in lexicon.abbreviations:
        rules.setdefault(abbreviation, [{ORTH: abbreviation, NORM: abbreviation}])
    if rules != tokenizer.rules:
        tokenizer.rules = rules
    # Built from the language defaults each time, so applying twice changes nothing.
    tokenizer.suffix_search = compile_suffix_regex([*(nlp.Defaults.suffixes or []), *NUMBER_SUFFIXES]).search
    tokenizer.infix_finditer = compile_infix_regex([*(nlp.Defaults.infixes or []), *NUMBER_INFIXES]).finditer
    return nlp


@registry.callbacks("kilde.news_tokenizer.v1")
def news_tokenizer(language: str | None = None) -> Callable[[Language], Language]:
    """A callback for a pipeline config (``[nlp.after_creation]``) that applies kilde's tokenizer
    settings: the components never change their host's tokenizer themselves.

    ``language`` picks the word lists (``nb`` or ``nn``); by default the pipeline's language.
    """

    def apply(nlp: Language) -> Language:
        return adapt_tokenizer(nlp, Lexicon.load(language or nlp.lang))

    return apply


LONG_RUN_CHARS = 500
"""A stretch of text without whitespace this long is tokenized by kilde, not spaCy (see make_doc)."""
RUN_PIECE = re.compile(r"\w+|\W")

LONG_RUN = re.compile(rf"\S{{{LONG_RUN_CHARS},}}")


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, in time linear in the length of the text's words.

    spaCy's tokenizer strips prefixes and suffixes off a whitespace-free stretch one at a
    time, searching the whole stretch each time: a stretch of thousands of characters
    (``&&&&…``, ``««««…»»»»``) costs the square of its length. kilde tokenizes such a
    stretch itself, a run of word characters or one other character per token; the rest
    of the text goes through the tokenizer as usual.
    """
    runs = list(LONG_RUN.finditer(text))
    if not runs:
        return nlp.make_doc(text)
    docs: list[Doc] = []
    position = 0
    for run in runs:
        if run.start() > position:
            docs.append(nlp.make_doc(text[position : run.start()]))
        pieces = RUN_PIECE.findall(run.group())
        docs.append(Doc(nlp.vocab, words=pieces, spaces=[False] * len(pieces)))
        position = run.end()
    if position < len(text):
        docs.append(nlp.make_doc(text[position:]))
    return Doc.from_docs(docs, ensure_whitespace=False)
