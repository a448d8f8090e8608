"""Component ``kilde_speakers``: a learned second opinion on each quote's speaker mention.

The attribution rules name a speaker where a frame shows one (``sier X``, ``X mener at``) and
leave the rest to coreference, which gives a quote without a speaker the previous quote's.
On the corpus most wrong speakers are a wrong phrase, not a wrong resolution: a place or a
thing after the cue, the interviewer's question, a person named in the narration between
two dash quotes. This stage gathers every phrase near a quote that could name its speaker
(named entities, third-person pronouns, the subject noun phrases of the parse, and the rules'
own choice), scores each by where it stands and what it is with a linear model trained on the
corpus as a softmax over each quote's candidates (:class:`kilde.linear.LinearModel`,
``training/speakers/train.py``), and replaces the rules' mention when another candidate is more
probable. Where the rules named no speaker, one more option competes: to keep none, so that the
quote continues the previous quote's speaker (an interview's answers, a run of dash quotes). That
option reads whom it would continue (the last speaker named before the quote: how often the text
names it, whether its title does), so a run of answers can leave a passing name behind.

It reads the trained parse and entities, so it does nothing in a pipeline without them
(``--rules-only``) or without a model. It runs after ``kilde_attribution`` and before
``kilde_coref``, which resolves the chosen mention to an entity.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar

import numpy
from spacy.attrs import IDX, IS_SPACE, LOWER, POS, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kilde.component import (
    PACKAGED,
    LearnedComponent,
    LexiconComponent,
    Scorer,
    packaged_or_path,
    stage_config,
    stage_lexicon,
)
from kilde.lexicon import Lexicon
from kilde.linear import LinearModel
from kilde.names import NOUN_POS, SUBJECT_DEPS
from kilde.text import Paragraph, Ranges, doc_has_parse, paragraphs, words
from kilde.types import Quote, read_quotes, write_quotes

TASK = "speakers"
PACKAGED_MODEL = Path(__file__).parent / "models" / "speakers.json"
WINDOW_LINES_BEFORE = 5
"""Lines before a quote's first line in which a candidate may stand (five rather than three: an
interview's subject is often named a question and an answer or two before; docs/models.md)."""
WINDOW_LINES_AFTER = 1
"""Lines after a quote's last line in which a candidate may stand."""
WINDOW_CHARS_BEFORE = 1_000
WINDOW_CHARS_AFTER = 400
"""And at most this far from the quote: a text without line breaks keeps each quote's window
short (and the stage linear in the text's length)."""
MAX_PHRASE_TOKENS = 6
MAX_CANDIDATES = 24
"""Candidates per quote at most, the nearest kept (the corpus's quotes have 6.5 on average)."""
SPEAKER_ENTITY_LABELS = frozenset({"PER", "ORG", "GPE_ORG", "GPE_LOC", "LOC", "PROD", "EVT"})
PHRASE_LEFT_DEPS = frozenset({"DET", "ATR", "FLAT", "det", "amod", "compound", "nmod:poss", "flat:name"})
"""Words before a subject noun that belong to its phrase (NDT's labels and UD's)."""

QUOTE_FEATURES = ("type=", "tagless", "rules_none", "first_person", "previous_named")
"""The candidates' features that describe the quote rather than the candidate."""
SpeakerDecision = Callable[[Quote, list["Candidate"]], "Candidate | None"]
"""Given a quote and its candidates, the one to name as its speaker (None: keep the rules')."""


@dataclass(frozen=True)
class Candidate:
    """A phrase that could name a quote's speaker, with what the model reads about it."""

    span: Span
    features: dict[str, float]

    @property
    def rules_choice(self) -> bool:
        return is_rules_choice(self.features)


def is_rules_choice(features: Mapping[str, float]) -> bool:
    """Whether a candidate with these features overlaps the rules' own mention."""
    return features.get("rules_choice", 0.0) > 0


def rules_named_none(candidates: Sequence[Mapping[str, float]]) -> bool:
    """Whether none of a quote's candidates (by their features) is the rules' choice: the rules
    named no speaker, and the quote may keep none."""
    return not any(is_rules_choice(features) for features in candidates)


def replacement(
    model: LinearModel, candidates: Sequence[Mapping[str, float]], margin: float = 0.0
) -> int | None:
    """Index of the candidate (by its features) that replaces the rules' mention, or None.

    The most probable candidate wins when it is not the rules' choice, reaches the model's
    threshold, and beats every candidate that is the rules' choice by ``margin``. A model
    trained as a softmax over each quote's candidates (``meta["objective"] == "softmax"``)
    gives their probabilities as its softmax over them; any other, each one's own.
    """
    if not candidates:
        return None
    if model.meta.get("objective") == "softmax":
        return _softmax_choice(model, candidates, margin)
    probabilities = [model.probability(features) for features in candidates]
    best = max(range(len(candidates)), key=probabilities.__getitem__)
    rules = [p for p, features in zip(probabilities, candidates, strict=True) if is_rules_choice(features)]
    floor = max(rules) + margin if rules else model.threshold
    if is_rules_choice(candidates[best]) or probabilities[best] < max(floor, model.threshold):
        return None
    return best


KEEP_OPTION = "keep"
"""The feature of the option a softmax ranker has besides the candidates where the rules named no
speaker: none, so that the quote continues the previous quote's speaker (:mod:`kilde.coref`)."""


def keep_option(candidates: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """The features of the keep option of a quote (what its candidates say of the quote itself)."""
    quote_features = {name: value for name, value in candidates[0].items() if name.startswith(QUOTE_FEATURES)}
    return {KEEP_OPTION: 1.0} | {f"{KEEP_OPTION}|{name}": value for name, value in quote_features.items()}


def _softmax_choice(
    model: LinearModel, candidates: Sequence[Mapping[str, float]], margin: float
) -> int | None:
    """:func:`replacement` for a softmax ranker: the best of the candidates and, where the rules
    named no one, the keep option; it replaces the rules' choice when more probable by ``margin``."""
    options = list(candidates)
    if rules_named_none(candidates):
        options.append(keep_option(candidates))
    probabilities = softmax([model.score(features) for features in options])
    best = max(range(len(candidates)), key=probabilities.__getitem__)
    if is_rules_choice(candidates[best]):
        return None
    others = [p for k, p in enumerate(probabilities) if k >= len(candidates) or is_rules_choice(options[k])]
    if probabilities[best] < max(others, default=0.0) + margin:
        return None
    return best


def softmax(scores: Sequence[float]) -> list[float]:
    """The scores as probabilities that sum to one."""
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass
class SpeakerRanker(LearnedComponent, LexiconComponent):
    """Component ``kilde_speakers``."""

    lexicon: Lexicon
    name: str = "kilde_speakers"
    scorer: Scorer | None = None
    model: LinearModel | None = None
    margin: float = 0.0
    """How much more probable than the rules' mention another candidate must be to replace it."""
    model_file: ClassVar[str] = "speakers.json"
    model_task: ClassVar[str] = TASK

    def __call__(self, doc: Doc) -> Doc:
        model = self.model
        if model is None:
            return doc
        return self.rerank(doc, lambda quote, candidates: self._best(model, candidates))

    def _best(self, model: LinearModel, candidates: list[Candidate]) -> Candidate | None:
        chosen = replacement(model, [c.features for c in candidates], self.margin)
        return None if chosen is None else candidates[chosen]

    def rerank(self, doc: Doc, decide: SpeakerDecision) -> Doc:
        """Put each quote's candidates to ``decide`` and keep its answer (training passes the corpus's)."""
        if not doc_has_parse(doc) or not doc.has_annotation("ENT_IOB"):
            return doc
        # In text order: a quote's previous quote is the one before it in the text, whichever
        # stage found it (the attribution rules store the quotes they add after the rest).
        quotes = sorted(read_quotes(doc), key=lambda q: (q.start_char, q.end_char))
        if not quotes:
            return doc
        changed = False
        view = _DocView.of(doc, quotes, self.lexicon.pronouns)
        for index, quote in enumerate(quotes):
            if quote.heading:
                continue  # coreference gives a quote heading the speaker of the quote it repeats
            chosen = decide(quote, self.candidates(doc, quotes, index, view))
            if chosen is not None and not chosen.rules_choice:
                quote.speaker = chosen.span
                changed = True
        if changed:
            write_quotes(doc, quotes)
        return doc

    def candidates(
        self, doc: Doc, quotes: Sequence[Quote], index: int, view: _DocView | None = None
    ) -> list[Candidate]:
        """Every phrase near ``quotes[index]`` that could name its speaker, with its features.

        ``view``: what :meth:`rerank` computes once per Doc (made here when not given)."""
        view = view or _DocView.of(doc, quotes, self.lexicon.pronouns)
        quote = quotes[index]
        lines = view.lines
        first_line = lines.index_of(quote.start_char)
        last_line = lines.index_of(max(quote.start_char, quote.end_char - 1))
        window_start = max(
            lines.start_of(first_line - WINDOW_LINES_BEFORE), quote.start_char - WINDOW_CHARS_BEFORE
        )
        window_end = min(lines.end_of(last_line + WINDOW_LINES_AFTER), quote.end_char + WINDOW_CHARS_AFTER)
        previous = quotes[index - 1] if index > 0 else None
        named_before = next((q.speaker for q in reversed(quotes[:index]) if q.speaker is not None), None)
        context = _QuoteContext(
            quote, previous, view, first_line, last_line, named_before, _first_person(quote)
        )
        found: dict[tuple[int, int], Candidate] = {}
        spans = [
            pair for pair in view.phrases_within(window_start, window_end) if not quote.encloses(pair[1])
        ]
        if len(spans) > MAX_CANDIDATES:
            # The nearest ones: a dense list of names keeps each quote's work bounded.
            spans = sorted(spans, key=lambda pair: _distance(pair[1], quote))[:MAX_CANDIDATES]
        if quote.speaker is not None:
            spans.append(("rules", quote.speaker))
        for source, span in spans:
            key = (span.start, span.end)
            features = found[key].features if key in found else self._features(doc, span, context)
            features[f"source={source}"] = 1.0
            found[key] = Candidate(span, features)
        return list(found.values())

    def _features(self, doc: Doc, span: Span, context: _QuoteContext) -> dict[str, float]:
        quote = context.quote
        features: dict[str, float] = {"bias": 1.0}
        if quote.speaker is not None and _overlap(span, quote.speaker):
            features["rules_choice"] = 1.0
        if quote.speaker is None:
            features["rules_none"] = 1.0
        features[f"type={quote.type}"] = 1.0
        features["tagless"] = float(quote.cue is None)
        root = span.root
        entity_label = span.label_ or root.ent_type_ or "none"
        features[f"pos={root.pos_}"] = 1.0
        features[f"dep={root.dep_}"] = 1.0
        features[f"ent={entity_label}"] = 1.0
        if context.first_person:
            # "Jeg …" is a person's (or a group's "vi"): rarely a place, a work or a thing.
            features["first_person"] = 1.0
            features[f"ent={entity_label}|first_person"] = 1.0
            features[f"pos={root.pos_}|first_person"] = 1.0
        features.update(context.named_before_features)
        if root.pos_ == "PRON":
            features[f"pronoun={root.lower_}"] = 1.0
        features["capitalised_words"] = math.log1p(sum(1 for t in span if t.text[:1].isupper()))
        before = doc[span.start - 1] if span.start > 0 else None
        if before is not None:
            features[f"before={before.lower_}"] = 1.0
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None:
            features[f"after={after.lower_}"] = 1.0
            features[f"after_pos={after.pos_}"] = 1.0
        # Where the phrase stands: before, inside the span of, or after the quote, and how far.
        if span.end_char <= quote.start_char:
            features["before_quote"] = 1.0
            features["chars_before_quote"] = math.log1p(quote.start_char - span.end_char)
        elif span.start_char >= quote.end_char:
            features["after_quote"] = 1.0
            features["chars_after_quote"] = math.log1p(span.start_char - quote.end_char)
        else:
            features["between_parts"] = 1.0
        line = context.lines.index_of(span.start_char)
        features["lines_before"] = float(max(0, context.first_line - line))
        features["lines_after"] = float(max(0, line - context.last_line))
        features["same_line"] = float(context.first_line <= line <= context.last_line)
        line_text = context.lines.text_of(line).rstrip(' »”"')
        if line >= 0 and line_text.endswith(":"):
            features["line_ends_colon"] = 1.0
        if line_text.endswith("?") and not context.first_line <= line <= context.last_line:
            # A question on a line of its own is the interviewer's: the person it names is
            # asked about or asked, and the next answer is rarely theirs.
            features["question_line"] = 1.0
        sentence_of = context.view.sentence_of
        sentences_before = sentence_of[context.quote_token] - sentence_of[root.i]
        if span.end_char <= quote.start_char:
            features["sentences_before"] = math.log1p(max(0, sentences_before))
            if sentences_before == 1 and root.dep_ in SUBJECT_DEPS:
                # "Han forklarer hvorfor. – …": the sentence before the quote is about its speaker.
                features[f"subject_of_sentence_before|tagless={quote.cue is None}"] = 1.0
        name_words = _name_words(span)
        if name_words:
            # The person an interview or a portrait is about is named again and again, and
            # often in the title.
            view = context.view
            features["name_mentions_before"] = math.log1p(view.most_mentions(name_words, quote.start_char))
            features["name_mentions"] = math.log1p(view.most_mentions(name_words))
            features["in_title"] = float(view.in_title(name_words))
        if quote.cue is not None:
            cue = quote.cue
            features["cue_distance"] = math.log1p(
                min(abs(span.start - cue.end), abs(cue.start - span.end)) if not _overlap(span, cue) else 0
            )
            features["same_sentence_as_cue"] = float(sentence_of[span.root.i] == sentence_of[cue.start])
            governed = cue.start <= root.head.i < cue.end
            features["subject_of_cue"] = float(governed and root.dep_ in SUBJECT_DEPS)
            features["after_cue"] = float(span.start >= cue.end)
        else:
            features["subject_of_any_verb"] = float(root.dep_ in SUBJECT_DEPS)
        if context.view.quoted.contains(span.start_char) and not quote.encloses(span):
            features["inside_other_quote"] = 1.0
        previous = context.previous
        if previous is not None and previous.speaker is not None:
            previous_words = {t.lower_ for t in previous.speaker if t.is_alpha}
            if _overlap(span, previous.speaker):
                features["previous_speaker_mention"] = 1.0
            elif previous_words & _capitalised_words(span):
                features["shares_previous_speaker_name"] = 1.0
        named_before = context.named_before
        if named_before is not None and (previous is None or previous.speaker is None):
            # A run of untagged quotes goes on from the last speaker named before it.
            if _overlap(span, named_before):
                features["named_before_mention"] = 1.0
            elif _capitalised_words(named_before) & _capitalised_words(span):
                features["shares_named_before_name"] = 1.0
        return features


@dataclass(frozen=True)
class _DocView:
    """What every quote's candidates read, computed once per Doc: lines, phrases, quoted text."""

    lines: _Lines
    phrases: list[tuple[str, Span]]
    """Every phrase that could name a speaker, with where it comes from, in text order."""
    phrase_starts: list[int]
    quoted: Ranges
    """The characters inside any quote's content."""
    sentence_of: list[int]
    """Each token's sentence number."""
    name_positions: dict[str, list[int]]
    """Where each proper noun (lower-cased) stands, in text order."""
    title_words: frozenset[str]
    """The words of the text's first line (lower-cased): a title names whom the story is about."""

    @classmethod
    def of(cls, doc: Doc, quotes: Sequence[Quote], pronouns: Collection[str]) -> _DocView:
        # The columns every pass needs, read once as arrays: a Token object per word per pass
        # would cost more than the ranker's own work.
        columns = doc.to_array([SENT_START, IS_SPACE, POS, LOWER, IDX])
        strings = doc.vocab.strings
        # A line break the parser made a sentence of its own is no sentence between two others.
        starts = (columns[:, 0] == 1) & (columns[:, 1] == 0)
        starts[:1] = False
        is_noun = numpy.isin(columns[:, 2], [strings[pos] for pos in (*NOUN_POS, "PRON")])
        phrases = sorted(
            _phrases(doc, pronouns, numpy.flatnonzero(is_noun).tolist()),
            key=lambda pair: (pair[1].start_char, pair[1].end_char),
        )
        names: dict[str, list[int]] = {}
        for lower, idx in columns[columns[:, 2] == strings["PROPN"]][:, 3:5].tolist():
            names.setdefault(strings[lower], []).append(idx)
        lines = _Lines(paragraphs(doc, skip_boilerplate=False))
        return cls(
            lines,
            phrases,
            [span.start_char for _, span in phrases],
            Ranges((part.start_char, part.end_char) for quote in quotes for part in quote.content),
            numpy.cumsum(starts).tolist(),
            names,
            frozenset(word.lower() for word in words(lines.text_of(0))),
        )

    def name_mentions(self, word: str, before_char: int | None = None) -> int:
        """How often the proper noun ``word`` stands in the text, or before ``before_char``."""
        positions = self.name_positions.get(word, [])
        return len(positions) if before_char is None else bisect.bisect_left(positions, before_char)

    def most_mentions(self, words: Sequence[str], before_char: int | None = None) -> int:
        """:meth:`name_mentions` of the most often named of a name's ``words`` ("Kari Dahl" is
        often "Dahl" alone)."""
        return max(self.name_mentions(word, before_char) for word in words)

    def in_title(self, words: Collection[str]) -> bool:
        """Whether the title line names any of ``words``."""
        return any(word in self.title_words for word in words)

    def phrases_within(self, start_char: int, end_char: int) -> list[tuple[str, Span]]:
        first = bisect.bisect_left(self.phrase_starts, start_char)
        last = bisect.bisect_left(self.phrase_starts, end_char)
        return [(source, span) for source, span in self.phrases[first:last] if span.end_char <= end_char]


def _phrases(doc: Doc, pronouns: Collection[str], nominals: Sequence[int]) -> Iterator[tuple[str, Span]]:
    """Entities of a speaking kind, third-person pronouns and the parse's subject noun phrases;
    ``nominals``: the indices of the Doc's nouns, names and pronouns."""
    for ent in doc.ents:
        if ent.label_ in SPEAKER_ENTITY_LABELS:
            yield "entity", ent
    for token in (doc[i] for i in nominals):
        if token.pos_ == "PRON" and token.lower_ in pronouns:
            yield "pronoun", doc[token.i : token.i + 1]
        elif token.pos_ in NOUN_POS and token.dep_ in SUBJECT_DEPS and token.ent_iob_ == "O":
            left = token.i
            for child in token.lefts:
                if child.dep_ in PHRASE_LEFT_DEPS:
                    left = min(left, child.left_edge.i)
            left = max(left, token.i - MAX_PHRASE_TOKENS + 1)
            yield "subject", doc[left : token.i + 1]


@dataclass(frozen=True)
class _QuoteContext:
    quote: Quote
    previous: Quote | None
    view: _DocView
    first_line: int
    last_line: int
    named_before: Span | None
    """The speaker mention of the last quote before this one that has one."""
    first_person: bool
    """The quote's content speaks in the first person."""

    @cached_property
    def named_before_features(self) -> dict[str, float]:
        """What the quote's candidates and keep option read of :attr:`named_before`, whom an
        untagged quote continues: how often the text names it, and whether its title does."""
        if self.named_before is None:
            return {"previous_named_none": 1.0}
        name_words = _name_words(self.named_before)
        if not name_words:
            return {"previous_named_unnamed": 1.0}
        return {
            "previous_named_mentions": math.log1p(self.view.most_mentions(name_words)),
            "previous_named_in_title": float(self.view.in_title(name_words)),
        }

    @property
    def lines(self) -> _Lines:
        return self.view.lines

    @property
    def quote_token(self) -> int:
        """The quote's first token."""
        return self.quote.content[0].start


class _Lines:
    """The text's lines, found by character position."""

    def __init__(self, paras: list[Paragraph]) -> None:
        self.paras = paras
        self.starts = [p.start for p in paras]

    def index_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.starts, position) - 1)

    def start_of(self, index: int) -> int:
        return self.paras[max(0, index)].start if self.paras else 0

    def end_of(self, index: int) -> int:
        return self.paras[min(len(self.paras) - 1, index)].end if self.paras else 0

    def text_of(self, index: int) -> str:
        return self.paras[index].text if 0 <= index < len(self.paras) else ""


def _distance(span: Span, quote: Quote) -> int:
    """Characters between a phrase and a quote's content (0 when it stands between its parts)."""
    return max(0, quote.start_char - span.end_char, span.start_char - quote.end_char)


def _first_person(quote: Quote) -> bool:
    """Whether a quote's content holds a first-person pronoun (by the tagger's morphology)."""
    return any(t.pos_ == "PRON" and "1" in t.morph.get("Person") for part in quote.content for t in part)


def _name_words(span: Span) -> list[str]:
    """The lower-case proper-noun words of a phrase, the words :class:`_DocView` counts."""
    return [t.lower_ for t in span if t.pos_ == "PROPN"]


def _capitalised_words(span: Span) -> set[str]:
    return {t.lower_ for t in span if t.is_alpha and t.text[:1].isupper()}


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@Language.factory(
    "kilde_speakers",
    assigns=["doc.spans", "doc._.kilde_quote_attrs"],
    requires=["doc.spans"],  # and, when they are there, the parse and entities (else it stands aside)
    default_config=stage_config("speakers", language=None, model=PACKAGED),
    default_score_weights={},
)
def make_speakers(
    nlp: Language, name: str, language: str | None, model: str | None, scorer: Scorer | None
) -> SpeakerRanker:
    """``model``: ``"packaged"`` (kilde's trained model), a model file's path, or ``null``."""
    return SpeakerRanker(
        stage_lexicon(nlp.lang, language), name, scorer, packaged_or_path(model, TASK, PACKAGED_MODEL)
    )
