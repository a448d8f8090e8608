"""Hedges: reportative and epistemic markers in the journalist's own voice.

Two kinds of marker are found:

* fixed phrases from the language data (``lang/<nb|nn>/hedges.txt``), matched
  over tokens by :class:`PhraseFinder`: ``angivelig``, ``trolig``, ``etter det
  VG erfarer``, ``uten at det er bekreftet``;
* reportative ``skal``: ``skal ha`` + participle (``skal ha blitt fanget``,
  ``skal Gabriele ha forklart``), ``skal være`` + participle (``skal være
  dypt såret``), ``skal ifølge X være``, and ``skal`` + a few state verbs
  (``skal befinne seg``). ``skal`` is far more often future or obligation
  (``skal ha møte i morgen``, ``skal være ferdig i 2030``, ``skal bli``), so the
  construction must show a completed event or a hearsay word. The words this
  takes (auxiliaries, adverbs, participles, clause stops, …) are language data
  too, in ``lang/common/*.txt`` (see the fields of ``kilde.lexicon.Lexicon``).

Markers inside direct quotes are the speaker's, not the journalist's, and are
left out: the direct quotes stored on the Doc where the quotes stage ran, and
on its own account text inside «…», "…", “…” and dialogue-dash paragraphs up
to their tag (``, sier han.``). Boilerplate lines are left out too.

A third kind is learned: where a tagger ran, a :class:`kilde.linear.LinearModel` trained on
the reported-speech corpus (``training/hedges/train.py``) reads each adverb, auxiliary, verb and
adjective in the journalist's voice that no rule marked (its words, lemma, part of speech,
dependency and neighbours) and marks those it judges epistemic or reportative: ``kanskje``,
``neppe``, ``tilsynelatende``, ``ser ut til``, ``nok`` as a modal adverb but not as
"enough". Adjacent marked words make one marker.

Each quote whose frame carries a hedge gets ``quote.hedged = True``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LOWER, POS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

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
from kilde.text import OPEN_TO_CLOSE, Ranges, asks, doc_text, quote_pairs, sentence_start_tokens
from kilde.types import BOILERPLATE_SPANS, HEDGE_SPANS, Quote, read_quotes, write_quotes

TASK = "hedge"
"""The :class:`kilde.linear.LinearModel` task of a learned hedge-word model."""
PACKAGED_MODEL = Path(__file__).parent / "models" / "hedges.json"
"""The model trained on the whole corpus (``training/hedges/train.py --all``)."""
CANDIDATE_POS = frozenset({"ADV", "AUX", "VERB", "ADJ", "PART"})
"""The words the model reads: hedges are adverbs, modal and perception verbs, and adjectives."""
REPORTATIVE = "reportative"
EPISTEMIC = "epistemic"
PHRASE_KINDS = (REPORTATIVE, EPISTEMIC)
SKAL_VERB = "skal-verb"
NOT_PARTICIPLE = "not-participle"

# Tokens scanned after "skal" at the top level of the clause (subject, adverbs).
MAX_SKAL_GAP = 7
MAX_SKAL_WINDOW = 40

_DASH_LINE = re.compile(r"^[ \t]*[–—-][ \t]*(?=\S)")
_COLON_DASH = re.compile(r":[ \t]+[–—-][ \t]+(?=\S)")
_INLINE_DASH = re.compile(r"(?<=[.!?])[ \t]+[–—][ \t]+(?=\S)")
_QUOTE_OPENING = re.compile(f"[{re.escape(''.join(OPEN_TO_CLOSE))}]")


@dataclass(frozen=True)
class HedgeData:
    """The parsed entries of ``hedges.txt``: phrase patterns and the ``skal`` word lists."""

    phrases: tuple[tuple[str, tuple[dict[str, object], ...]], ...]
    skal_verbs: frozenset[str]
    not_participles: frozenset[str]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> HedgeData:
        phrases: list[tuple[str, tuple[dict[str, object], ...]]] = []
        skal_verbs: set[str] = set()
        not_participles: set[str] = set()
        for entry in entries:
            kind, sep, body = entry.partition(":")
            kind, body = kind.strip().lower(), body.strip().lower()
            if not sep or not body:
                raise ValueError(f"bad hedge entry {entry!r}: use 'kind: pattern'")
            if kind in PHRASE_KINDS:
                phrases.append((kind, token_pattern(body)))
            elif kind == SKAL_VERB:
                skal_verbs.update(body.split())
            elif kind == NOT_PARTICIPLE:
                not_participles.update(body.split())
            else:
                raise ValueError(f"bad hedge entry {entry!r}: unknown kind {kind!r}")
        return cls(tuple(phrases), frozenset(skal_verbs), frozenset(not_participles))


def token_pattern(pattern: str) -> tuple[dict[str, object], ...]:
    """A ``Matcher`` pattern from the data-file syntax (see ``lang/nb/hedges.txt``); the stage
    reads it with :class:`PhraseFinder`."""
    tokens: list[dict[str, object]] = []
    for raw in pattern.split():
        optional = len(raw) > 1 and raw.endswith("?")
        word = raw[:-1] if optional else raw
        spec: dict[str, object]
        if word == "*":
            spec = {"IS_PUNCT": False, "IS_SPACE": False}
        elif word == "**":
            spec = {"IS_PUNCT": False, "IS_SPACE": False, "OP": "{1,4}"}
        elif "|" in word:
            spec = {"LOWER": {"IN": [w for w in word.split("|") if w]}}
        else:
            spec = {"LOWER": word}
        if optional:
            spec["OP"] = "?"
        tokens.append(spec)
    return tuple(tokens)


@dataclass(frozen=True)
class PhraseStep:
    """One entry of a :func:`token_pattern`: the words it takes and how many of them in a row."""

    words: frozenset[int] | None
    """The ids of the lower-case forms it takes; None for any word (not punctuation or space)."""
    least: int
    most: int

    @classmethod
    def of(cls, spec: dict[str, object]) -> PhraseStep:
        least, most = _repeats(spec.get("OP"))
        lower = spec.get("LOWER")
        if lower is None:
            return cls(None, least, most)
        listed = lower["IN"] if isinstance(lower, dict) else [lower]
        return cls(frozenset(get_string_id(str(word)) for word in listed), least, most)


def _repeats(op: object) -> tuple[int, int]:
    """The least and most repeats of a ``Matcher`` operator that :func:`token_pattern` writes."""
    if op is None:
        return 1, 1
    if op == "?":
        return 0, 1
    if isinstance(op, str) and op.startswith("{") and op.endswith("}") and "," in op:
        least, most = op[1:-1].split(",")
        return int(least), int(most)
    raise ValueError(f"unsupported operator {op!r} in a hedge pattern")


Phrase = tuple[str, tuple[PhraseStep, ...]]
"""A phrase pattern with its kind (:data:`PHRASE_KINDS`)."""


class PhraseFinder:
    """The fixed phrases of ``hedges.txt`` in a text, longest first within each kind.

    Finds what a spaCy ``Matcher`` with ``greedy="LONGEST"`` per kind finds, but tries a
    pattern only where a word that can start it stands: the ``Matcher`` tries every pattern
    at every token, and this stage spent half its time there.
    """

    def __init__(self, phrases: Iterable[tuple[str, Sequence[dict[str, object]]]]) -> None:
        self.kinds: tuple[str, ...] = ()
        """The kinds in the order they first appear, the order of the results: where one span is
        found as two kinds, ``filter_spans`` keeps the first."""
        self.by_first_word: dict[int, list[Phrase]] = {}
        self.anywhere: list[Phrase] = []
        """Patterns that can start with any word (a leading ``*`` or optional wildcard)."""
        for kind, pattern in phrases:
            if kind not in self.kinds:
                self.kinds = (*self.kinds, kind)
            phrase = (kind, tuple(PhraseStep.of(spec) for spec in pattern))
            first = _first_words(phrase[1])
            if first is None:
                self.anywhere.append(phrase)
            for word in first or ():
                self.by_first_word.setdefault(word, []).append(phrase)

    def __call__(self, lowers: Sequence[int], is_word: Sequence[bool]) -> list[tuple[str, int, int]]:
        """``(kind, start, end)`` of each phrase over tokens with the lower-case form ids
        ``lowers``; ``is_word`` tells the tokens that are neither punctuation nor space."""
        found: dict[str, set[tuple[int, int]]] = {}
        for start, lower in enumerate(lowers):
            phrases = self.by_first_word.get(lower)
            for kind, steps in [*phrases, *self.anywhere] if phrases else self.anywhere:
                for end in _phrase_ends(steps, start, lowers, is_word):
                    found.setdefault(kind, set()).add((start, end))
        return [
            (kind, start, end) for kind in self.kinds for start, end in _longest_apart(found.get(kind, ()))
        ]


def _first_words(steps: Sequence[PhraseStep]) -> frozenset[int] | None:
    """The words a pattern can start with; None where it can start with any word."""
    words: set[int] = set()
    for step in steps:
        if step.words is None:
            return None
        words |= step.words
        if step.least > 0:
            return frozenset(words)
    return None


def _phrase_ends(
    steps: Sequence[PhraseStep], start: int, lowers: Sequence[int], is_word: Sequence[bool]
) -> set[int]:
    """Every index after a match of ``steps`` that begins at ``start`` (none empty)."""
    reached = {start}
    for step in steps:
        after: set[int] = set()
        for position in reached:
            if step.least == 0:
                after.add(position)
            k = position
            while k - position < step.most and k < len(lowers):
                takes = is_word[k] if step.words is None else lowers[k] in step.words
                if not takes:
                    break
                k += 1
                if k - position >= step.least:
                    after.add(k)
        if not after:
            return after
        reached = after
    reached.discard(start)
    return reached


def _longest_apart(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(start, end)`` pairs longest first (then leftmost), each kept if no kept one overlaps it:
    the ``Matcher``'s ``greedy="LONGEST"``."""
    taken: set[int] = set()
    kept: list[tuple[int, int]] = []
    for start, end in sorted(pairs, key=lambda pair: (pair[1] - pair[0], -pair[0]), reverse=True):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return kept


class HedgeDetector(LearnedComponent, LexiconComponent):
    """Component ``kilde_hedges``: writes ``doc.spans[HEDGE_SPANS]`` and marks hedged quotes."""

    model_file: ClassVar[str] = "hedges.json"
    model_task: ClassVar[str] = TASK

    def __init__(
        self,
        vocab: Vocab,
        lexicon: Lexicon,
        name: str = "kilde_hedges",
        scorer: Scorer | None = None,
        model: LinearModel | None = None,
    ) -> None:
        self.name = name
        self.scorer = scorer
        self.model = model
        self._judged: tuple[LinearModel, frozenset[int]] | None = None
        """The model and the ids of the words it can accept (:func:`words_the_model_can_accept`)."""
        self.lexicon = lexicon
        self.data = HedgeData.parse(lexicon.hedges)
        self.auxiliaries = lexicon.ha_forms | lexicon.vaere_forms
        # "skal ikke ha", "skal angivelig": the words that end a multiword marker.
        self.marker_ends = self.auxiliaries | (lexicon.hearsay_words - lexicon.according_words)
        self.not_participle_forms = self.data.not_participles | lexicon.not_participle_forms
        self.past_or_source = _any_of(lexicon.past_or_source)
        self.skal_ids = frozenset(get_string_id(form) for form in lexicon.skal_forms)
        self.phrases = PhraseFinder(self.data.phrases)
        # Longest first: "ser det ut til" before "ut til".
        self.verb_particles = sorted(
            (tuple(p.split()) for p in lexicon.grammar_class("hedge_particle")), key=len, reverse=True
        )
        verbs = (lexicon.speech_verbs | lexicon.direct_only_verbs | lexicon.fallback_speech_verbs) - {""}
        alternatives = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
        # ", sier han." / "? spør hun" after a dash-opened quote.
        self.tag = re.compile(rf"[,!?…][»”\"]?[ \t]+(?:{alternatives})\b", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc  # an empty text has no sentence to hedge
        sentences = _sentence_bounds(doc, self.language)
        # Read the words as ids: a Token object per word would cost more than the phrase search.
        columns = doc.to_array([LOWER, IS_PUNCT, IS_SPACE])
        lowers: list[int] = columns[:, 0].tolist()
        is_word: list[bool] = ((columns[:, 1] == 0) & (columns[:, 2] == 0)).tolist()
        candidates = [Span(doc, start, end, label=kind) for kind, start, end in self.phrases(lowers, is_word)]
        candidates.extend(self._skal_markers(doc, lowers, sentences))
        quotes = read_quotes(doc)
        excluded = Ranges(self.excluded_ranges(doc, quotes))
        hedges = [
            span
            for span in filter_spans(candidates)
            if not excluded.overlaps(span.start_char, span.end_char) and not self._is_verb_reading(span)
        ]
        if self.model is not None and doc.has_annotation("POS"):
            hedges.extend(self.learned_markers(self.model, doc, excluded, hedges, report_ranges(quotes)))
        hedges.sort(key=lambda span: span.start)
        doc.spans[HEDGE_SPANS] = hedges
        if quotes and hedges:
            hedged_before = [quote.hedged for quote in quotes]
            mark_hedged_quotes(quotes, hedges, sentences)
            # Writing back unchanged quotes would store again what read_quotes read.
            if [quote.hedged for quote in quotes] != hedged_before:
                write_quotes(doc, quotes)
        return doc

    # -- learned markers -------------------------------------------------------

    def open_words(
        self,
        doc: Doc,
        excluded: Ranges,
        rule_markers: Sequence[Span],
        among: Iterable[int] | None = None,
    ) -> list[Token]:
        """The words the model judges: in the journalist's voice, of :data:`CANDIDATE_POS`,
        and outside the rules' markers; only those at the indices ``among``, when given."""
        marked = Ranges((s.start_char, s.end_char) for s in rule_markers)
        tokens = doc if among is None else (doc[i] for i in among)
        return [
            token
            for token in tokens
            if token.pos_ in CANDIDATE_POS
            and token.is_alpha
            and not excluded.contains(token.idx)
            and not marked.contains(token.idx)
        ]

    def learned_markers(
        self, model: LinearModel, doc: Doc, excluded: Ranges, rule_markers: Sequence[Span], reports: Ranges
    ) -> list[Span]:
        strings = doc.vocab.strings
        if self._judged is None or self._judged[0] is not model:
            # A string's id is its hash, the same in every vocabulary: once per model suffices.
            self._judged = (model, frozenset(strings[word] for word in words_the_model_can_accept(model)))
        judged_ids = self._judged[1]
        # Screen by ids first: few words of a text are ones the model can accept.
        candidate_pos = {strings[pos] for pos in CANDIDATE_POS}
        screened = [
            i
            for i, (pos, lower, lemma) in enumerate(doc.to_array([POS, LOWER, LEMMA]).tolist())
            if pos in candidate_pos and (lower in judged_ids or lemma in judged_ids)
        ]
        accepted = [
            token.i
            for token in self.open_words(doc, excluded, rule_markers, among=screened)
            if model.decides_yes(hedge_word_features(token, reports))
        ]
        markers: list[Span] = []
        for i in accepted:
            if markers and markers[-1].end >= i:
                merged = markers[-1]
                markers[-1] = Span(doc, merged.start, max(merged.end, i + 1), label=merged.label_)
            else:
                # The model judges epistemic words ("kanskje", "ser ut til"); a "skal" it accepts
                # is the reportative one.
                kind = REPORTATIVE if doc[i].lower in self.skal_ids else EPISTEMIC
                markers.append(Span(doc, i, self._particles_end(doc, i), label=kind))
        return markers

    def _particles_end(self, doc: Doc, i: int) -> int:
        """Where a learned marker at ``i`` ends: a hedge verb takes its particles with it
        ("ser ut til", "tyder på"), as annotators mark them."""
        if doc[i].pos_ not in ("VERB", "AUX"):
            return i + 1
        for particles in self.verb_particles:
            end = i + 1 + len(particles)
            if end <= len(doc) and tuple(t.lower_ for t in doc[i + 1 : end]) == particles:
                return end
        return i + 1

    # -- reportative "skal" ---------------------------------------------------

    def _skal_markers(
        self, doc: Doc, lowers: Sequence[int], sentences: Sequence[tuple[int, int]]
    ) -> list[Span]:
        """The reportative ``skal`` markers; ``lowers``: the ids of the tokens' lower-case forms."""
        spans: list[Span] = []
        for i in [i for i, lower in enumerate(lowers) if lower in self.skal_ids]:
            sent_start, sent_end = sentences[i]
            if self._in_deontic_clause(doc, i, sent_start) or _is_question(doc, sent_start, sent_end):
                continue
            span = self._reportative_skal(doc, i, sent_end)
            if span is not None:
                spans.append(span)
        return spans

    def _reportative_skal(self, doc: Doc, i: int, sent_end: int) -> Span | None:
        """The marker span when the ``skal`` at ``i`` reports hearsay, else None.

        Scans the clause after ``skal`` for its ``ha`` / ``være``, passing the
        subject ("skal Gabriele ha forklart"), adverbs and a relative clause set
        off by commas ("skal lederen, som …, ha blitt"), but stopping where a new
        clause begins.
        """
        lexicon = self.lexicon
        hearsay = False
        in_relative = False
        gap = 0
        end = min(sent_end, i + MAX_SKAL_WINDOW)
        j = i + 1
        while j < end:
            token = doc[j]
            lower = token.lower_
            if in_relative:
                in_relative = token.text != ","
                j += 1
                continue
            if token.text == "," and j + 1 < end and doc[j + 1].lower_ in lexicon.relative_openers:
                in_relative = True
                j += 1
                continue
            if token.is_punct or token.is_space:
                return None
            if lower in lexicon.hearsay_words:
                if lower not in lexicon.according_words:
                    return self._marker(doc, i, j)
                hearsay = True
            elif lower in lexicon.ha_forms and doc[j - 1].lower_ != "å":
                return self._marker(doc, i, j) if self._participle_after(doc, j + 1, end, hearsay) else None
            elif lower in lexicon.vaere_forms and doc[j - 1].lower_ != "å":
                hearsay = hearsay or self._past_or_source(doc[i:sent_end].text)
                return self._marker(doc, i, j) if self._predicate_after(doc, j + 1, end, hearsay) else None
            elif lower in self.data.skal_verbs:
                return self._marker(doc, i, j) if gap <= 3 else None
            elif lower in lexicon.clause_stops:
                return None
            gap += 1
            if gap > MAX_SKAL_GAP:
                return None
            j += 1
        return None

    def _participle_after(self, doc: Doc, k: int, end: int, hearsay: bool) -> bool:
        """Whether a past participle follows ``skal … ha`` at ``k`` ("ha blitt", "ha ikke forklart")."""
        k = _skip(doc, k, end, self.lexicon.predicate_adverbs)
        if k >= end:
            return False
        word = doc[k]
        if word.lower_ in self.data.not_participles:
            return False
        return hearsay or self._looks_participle(word)

    def _predicate_after(self, doc: Doc, k: int, end: int, hearsay: bool) -> bool:
        """Whether ``skal … være`` goes on as hearsay at ``k`` (see ``hearsay_predicate_adverbs.txt``).

        With ``hearsay`` (ifølge, a past time) any predicate counts ("skal
        ifølge X være medlemmer"), otherwise a participle after a telling adverb.
        """
        after = _skip(doc, k, end, self.lexicon.predicate_adverbs)
        if after >= end or doc[after].lower_ in self.data.not_participles:
            return False
        if hearsay:
            return True
        telling = any(doc[m].lower_ in self.lexicon.hearsay_predicate_adverbs for m in range(k, after))
        return telling and self._looks_participle(doc[after])

    def _looks_participle(self, token: Token) -> bool:
        """A past participle by its form (no tagger) or by its part of speech (with one)."""
        word = token.lower_
        pos = token.pos_
        if pos in ("NOUN", "PROPN", "DET", "PRON", "NUM", "ADP", "CCONJ", "SCONJ"):
            return False
        if pos in ("VERB", "AUX"):
            return word not in self.data.not_participles
        if word in self.lexicon.irregular_participles:
            return True
        if not word.isalpha() or len(word) < 4 or word in self.not_participle_forms:
            return False
        if word.endswith(self.lexicon.noun_endings):
            return False
        if word.endswith("tt") and len(word) > 5 and not word.endswith(self.lexicon.strong_tt_participles):
            # Long words in -tt are nouns ("profitt", "budsjett") unless built on a strong verb.
            return False
        # -et/-t/-d/-dd/-tt in both standards; -a is the Nynorsk weak participle (kasta).
        return word.endswith(("t", "d")) or (len(word) >= 5 and word.endswith("a"))

    def _marker(self, doc: Doc, i: int, j: int) -> Span:
        """``skal`` with its auxiliary where they stand together ("skal ha blitt", "skal ikke ha")."""
        if all(doc[k].lower_ in self.lexicon.marker_adverbs for k in range(i + 1, j)) and (
            doc[j].lower_ in self.marker_ends
        ):
            end = j + 1
            # "skal angivelig ha", "skal ha blitt", "skal være blitt": take the auxiliaries along.
            for following in (self.auxiliaries, self.lexicon.perfect_auxiliaries):
                if end < len(doc) and doc[end].lower_ in following and doc[end - 1].lower_ not in following:
                    end += 1
            return Span(doc, i, end, label=REPORTATIVE)
        return Span(doc, i, i + 1, label=REPORTATIVE)

    def _in_deontic_clause(self, doc: Doc, i: int, sent_start: int) -> bool:
        """Whether the ``skal`` at ``i`` states an obligation, a goal or a condition.

        That is so in "om at" / "for at" / "slik at" clauses ("enige om at 20
        prosent skal være fornybar"), in conditions ("dersom investeringene skal ha
        effekt") and after a coordinated modal ("må og skal ha ansvaret").
        """
        lexicon = self.lexicon
        if (
            i - 2 >= sent_start
            and doc[i - 1].lower_ in lexicon.coordinators
            and doc[i - 2].lower_ in lexicon.modals
        ):
            return True
        for k in range(i - 1, sent_start - 1, -1):
            token = doc[k]
            if token.text in (",", ";", ":") or token.lower_ in lexicon.skal_forms:
                return False
            if token.lower_ in lexicon.conditionals:
                return True
            if token.lower_ == "at":
                return k > sent_start and doc[k - 1].lower_ in lexicon.deontic_intro
        return False

    def _is_verb_reading(self, span: Span) -> bool:
        """Whether a participle hedge is the reporting verb itself ("har hele tiden påstått at …").

        An article before it makes it an adjective ("et påstått lån"); an
        auxiliary a few words before, with no punctuation between, a verb.
        """
        if len(span) != 1 or span[0].lower_ not in self.lexicon.participle_hedges or span.start == 0:
            return False
        doc = span.doc
        if doc[span.start - 1].lower_ in self.lexicon.determiners:
            return False
        for k in range(span.start - 1, max(span.start - 4, -1), -1):
            if doc[k].is_punct or doc[k].is_space:
                return False
            if doc[k].lower_ in self.lexicon.perfect_before:
                return True
        return False

    def _past_or_source(self, text: str) -> bool:
        """Whether ``text`` names a past time or a source (``lang/common/past_or_source.txt``)."""
        return self.past_or_source is not None and self.past_or_source.search(text) is not None

    # -- what is not the journalist's voice -----------------------------------

    def excluded_ranges(self, doc: Doc, quotes: Sequence[Quote] | None = None) -> list[tuple[int, int]]:
        """Character ranges of direct quotes and boilerplate lines; ``quotes``: the Doc's quotes
        where the caller has read them already."""
        ranges: list[tuple[int, int]] = []
        if BOILERPLATE_SPANS in doc.spans:
            ranges.extend((s.start_char, s.end_char) for s in doc.spans[BOILERPLATE_SPANS])
        for quote in read_quotes(doc) if quotes is None else quotes:
            if quote.type == "direct":
                ranges.extend((s.start_char, s.end_char) for s in quote.content)
        ranges.extend(self.quoted_ranges(doc_text(doc)))
        return ranges

    def quoted_ranges(self, text: str) -> list[tuple[int, int]]:
        """Text inside quote marks and dash-opened quotes, found without the quotes stage."""
        ranges: list[tuple[int, int]] = []
        offset = 0
        for line in text.split("\n"):
            # quote_pairs steps through a line a character at a time; most lines have no quote mark.
            if _QUOTE_OPENING.search(line):
                ranges.extend((offset + a, offset + b + 1) for a, b in quote_pairs(line))
            ranges.extend((offset + a, offset + b) for a, b in self._dash_ranges(line))
            offset += len(line) + 1
        return ranges

    def _dash_ranges(self, line: str) -> list[tuple[int, int]]:
        """Spoken stretches of a line: after an opening dash, up to the tag (", sier han").

        After the tag the line is narration again until a new dash opens a
        quote ("…, sier hun. – Det er …"). A headline's "Rubrikk: – Sitat" counts too.
        """
        opener = _DASH_LINE.match(line) or _COLON_DASH.search(line)
        ranges: list[tuple[int, int]] = []
        while opener is not None:
            start = opener.end()
            tag = self.tag.search(line, start)
            if tag is None:
                ranges.append((start, len(line)))
                break
            ranges.append((start, tag.start()))
            opener = _INLINE_DASH.search(line, tag.end())
        return ranges


def _any_of(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``patterns`` as whole words; None for no patterns."""
    if not patterns:
        return None
    return re.compile(rf"\b({'|'.join(patterns)})\b", re.IGNORECASE)


def _skip(doc: Doc, k: int, end: int, words: frozenset[str], limit: int = 3) -> int:
    """The index after up to ``limit`` tokens from ``words`` at ``k``."""
    skipped = 0
    while k < end and skipped < limit and doc[k].lower_ in words:
        k += 1
        skipped += 1
    return k


def _is_question(doc: Doc, sent_start: int, sent_end: int) -> bool:
    """Whether the sentence ends in a question mark ("Skal vi ha …?" asks about plans)."""
    return asks(doc[sent_start:sent_end].text.rstrip())


def _sentence_bounds(doc: Doc, language: str) -> list[tuple[int, int]]:
    """For each token, the (start, end) token indices of its sentence, as kilde reads sentences
    (:func:`kilde.text.sentence_start_tokens`), also where a parser set sentences of its own."""
    bounds: list[tuple[int, int]] = [(0, len(doc))] * len(doc)
    starts = sentence_start_tokens(doc, language)
    for start, end in zip(starts, [*starts[1:], len(doc)], strict=True):
        for k in range(start, end):
            bounds[k] = (start, end)
    return bounds


def mark_hedged_quotes(
    quotes: Sequence[Quote], hedges: Sequence[Span], sentences: Sequence[tuple[int, int]]
) -> None:
    """Set ``hedged`` on each quote whose frame carries a hedge.

    The hedge must share a sentence with the quote's cue or content; for a
    direct quote it must lie outside the quoted words (those are the
    speaker's), for an indirect or mixed quote it may lie inside the content
    ("X sier at mannen trolig …").
    """
    by_sentence: dict[tuple[int, int], list[Span]] = {}
    for hedge in hedges:
        by_sentence.setdefault(sentences[hedge.start], []).append(hedge)
    for quote in quotes:
        parts = list(quote.content) + ([quote.cue] if quote.cue is not None else [])
        sentence_ids = {sentences[span.start] for span in parts if len(span)} | {
            sentences[span.end - 1] for span in parts if len(span)
        }
        nearby = [hedge for sentence_id in sentence_ids for hedge in by_sentence.get(sentence_id, [])]
        for hedge in nearby:
            inside = any(
                span.start_char <= hedge.start_char and hedge.end_char <= span.end_char
                for span in quote.content
            )
            if quote.type != "direct" or not inside:
                quote.hedged = True
                break


WORD_FEATURES = ("word", "lemma", "word_dep", "word_pos", "word_after", "word_head_pos")
"""The features of :func:`hedge_word_features` that name the word itself first."""


def words_the_model_can_accept(model: LinearModel) -> frozenset[str]:
    """The words and lemmas that some feature of their own pushes towards a hedge.

    The stage judges only these. A word the model learned nothing in favour of is left to the
    rules rather than marked for its neighbours alone (a word never seen as a hedge is not made
    one by its context), and skipping it spares building features for most adverbs and verbs
    of a text."""
    found: set[str] = set()
    for name, weight in model.weights.items():
        kind, _, value = name.partition("=")
        if weight > 0 and kind in WORD_FEATURES:
            found.add(value.split("|")[0])
        elif weight > 0 and kind == "before_word":
            found.add(value.split("|")[-1])
    return frozenset(found)


def report_ranges(quotes: Iterable[Quote]) -> Ranges:
    """The content of the quotes: a hedge there may be the source's, not the writer's."""
    return Ranges((part.start_char, part.end_char) for quote in quotes for part in quote.content)


def hedge_word_features(token: Token, reports: Ranges | None = None) -> dict[str, float]:
    """What the hedge model reads of one word: itself, its parse, its neighbours and, given the
    quotes' ``reports`` (:func:`report_ranges`), whether it stands in reported speech."""
    doc = token.doc
    word = token.lower_
    previous = doc[token.i - 1] if token.i > 0 else None
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    before = previous.lower_ if previous is not None else "<s>"
    after = following.lower_ if following is not None else "</s>"
    # The neighbours' word classes generalise what their words say: "nok" after an adjective or
    # adverb is "enough" ("hardt nok", "ironisk nok"), before a finite verb's complement a modal.
    before_pos = previous.pos_ if previous is not None else "<s>"
    after_pos = following.pos_ if following is not None else "</s>"
    features = {
        "bias": 1.0,
        f"word={word}": 1.0,
        f"lemma={token.lemma_.lower()}": 1.0,
        f"pos={token.pos_}": 1.0,
        f"dep={token.dep_}": 1.0,
        f"word_dep={word}|{token.dep_}": 1.0,
        f"word_pos={word}|{token.pos_}": 1.0,
        f"before={before}": 1.0,
        f"after={after}": 1.0,
        f"before_word={before}|{word}": 1.0,
        f"word_after={word}|{after}": 1.0,
        f"word_before_pos={word}|{before_pos}": 1.0,
        f"word_after_pos={word}|{after_pos}": 1.0,
        f"head_pos={token.head.pos_}": 1.0,
        f"word_head_pos={word}|{token.head.pos_}": 1.0,
        "sentence_start": float(token.is_sent_start is True),
        # A question asks; it does not hedge a claim ("Er de kanskje proffer om ti år?").
        "in_question": float(doc.has_annotation("SENT_START") and asks(token.sent.text)),
    }
    if reports is not None and reports.contains(token.idx):
        # "Hun mener at det kanskje …": the hedge inside an indirect quote may be the source's.
        features["in_report"] = 1.0
        features[f"word_in_report={word}"] = 1.0
    for name in ("Degree", "VerbForm", "Tense", "Voice"):
        for value in token.morph.get(name):
            features[f"{name}={value}"] = 1.0
    return features


@Language.factory(
    "kilde_hedges",
    assigns=["doc.spans", "doc._.kilde_quote_attrs"],
    default_config=stage_config("hedges", language=None, model=PACKAGED),
    default_score_weights={"hedges_f": 0.5},
)
def make_hedges(
    nlp: Language, name: str, language: str | None, model: str | None, scorer: Scorer | None
) -> HedgeDetector:
    """``model``: ``"packaged"`` (kilde's trained model), a model file's path, or ``null``."""
    found = packaged_or_path(model, TASK, PACKAGED_MODEL)
    return HedgeDetector(nlp.vocab, stage_lexicon(nlp.lang, language), name, scorer, found)
