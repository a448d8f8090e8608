"""Component ``kilde_quote_check``: a learned second look at the rules' indirect and mixed quotes.

The attribution rules take every clause behind a listed cue as reported speech. On the corpus
about a quarter of their indirect and mixed quotes match no annotated one: a cue word used in
another sense ("han mener det" as an opinion the article itself states, "viser at" of a
graph), a clause cut where the report does not end, a frame that reports nothing. This stage
asks a logistic regression (:class:`kilde.linear.LinearModel`, trained by
``training/quote_check/train.py`` on the corpus) about each of them: the cue's word, lemma,
tense, voice and place in the parse, the content's first words and length, and what the
speaker mention is. A quote the model finds unlikely (below its threshold) is dropped, so
``kilde_reported``, which runs next, may read that place afresh. Direct quotes, quote
headings and the turns under a speaker label are left alone: their quote marks, dashes and
labels are surer than any model.

It reads the trained parse, so it stands aside without one or without a model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from kilde.component import PACKAGED, LearnedComponent, Scorer, packaged_or_path, stage_config
from kilde.linear import LinearModel
from kilde.text import doc_has_parse
from kilde.types import Quote, read_quotes, write_quotes

TASK = "quote_check"
PACKAGED_MODEL = Path(__file__).parent / "models" / "quote_check.json"
CUE_MORPHOLOGY = ("Tense", "VerbForm", "Voice", "Mood")


def is_checked(quote: Quote) -> bool:
    """Whether the stage judges ``quote``: an indirect or mixed quote behind a cue that is no
    heading (a turn under a speaker label, ``Per Lie (H): …``, has no cue to doubt)."""
    return quote.type != "direct" and not quote.heading and quote.cue is not None


def features(doc: Doc, quote: Quote) -> dict[str, float]:
    """What the model reads about one indirect or mixed quote that the stage judges (:func:`is_checked`)."""
    if quote.cue is None:
        raise ValueError("the quote check reads only quotes with a cue (is_checked)")
    first = quote.content[0]
    out: dict[str, float] = {
        "bias": 1.0,
        f"type={quote.type}": 1.0,
        "content_chars": math.log1p(sum(len(part.text) for part in quote.content)),
        "parts": float(len(quote.content)),
        f"first_pos={first[0].pos_}": 1.0,
        f"first={first[0].lower_}": 1.0,
    }
    if first.start > 0:
        out[f"before={doc[first.start - 1].lower_}"] = 1.0
    cue = quote.cue.root
    out[f"cue={quote.cue.text.lower()}"] = 1.0
    out[f"cue_lemma={cue.lemma_.lower()}"] = 1.0
    out[f"cue_pos={cue.pos_}"] = 1.0
    out[f"cue_dep={cue.dep_}"] = 1.0
    for name in CUE_MORPHOLOGY:
        for value in cue.morph.get(name):
            out[f"cue_{name}={value}"] = 1.0
    out["cue_before_content"] = float(quote.cue.end_char <= quote.start_char)
    if quote.speaker is None:
        out["no_speaker"] = 1.0
    else:
        root = quote.speaker.root
        out[f"speaker_pos={root.pos_}"] = 1.0
        out[f"speaker_ent={root.ent_type_ or 'none'}"] = 1.0
        if root.pos_ == "PRON":
            out[f"speaker_pronoun={root.lower_}"] = 1.0
    return out


@dataclass
class QuoteCheck(LearnedComponent):
    """Component ``kilde_quote_check``."""

    name: str = "kilde_quote_check"
    language: str = "common"
    """The model reads the parse, not the language data: one stage serves both standards."""
    scorer: Scorer | None = None
    model: LinearModel | None = None
    model_file: ClassVar[str] = "quote_check.json"
    model_task: ClassVar[str] = TASK

    def __call__(self, doc: Doc) -> Doc:
        model = self.model
        if model is None or not doc_has_parse(doc):
            return doc
        quotes = read_quotes(doc)
        kept = [q for q in quotes if not is_checked(q) or model.decides_yes(features(doc, q))]
        if len(kept) < len(quotes):
            write_quotes(doc, kept)
        return doc


@Language.factory(
    "kilde_quote_check",
    assigns=["doc.spans", "doc._.kilde_quote_attrs"],
    requires=["doc.spans"],  # and, when it is there, the parse (else it stands aside)
    default_config=stage_config("quote_check", model=PACKAGED),
)
def make_quote_check(nlp: Language, name: str, model: str | None, scorer: Scorer | None) -> QuoteCheck:
    """``model``: ``"packaged"`` (kilde's trained model), a model file's path, or ``null``."""
    return QuoteCheck(name, "common", scorer, packaged_or_path(model, TASK, PACKAGED_MODEL))
