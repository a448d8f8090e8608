"""Complements: the reported clause after a cue (``at``/``om`` clauses, bare clauses, infinitives of
directives, quoted names), and where one report ends and the next begins."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kilde.attribution.parse import clause_from_parse
from kilde.attribution.words import AttributionWords
from kilde.text import (
    char_span,
    doc_has_morphology,
    doc_text,
    last_match,
    quote_pairs,
    span_of,
    strip_end,
    trim,
    words,
)
from kilde.types import Quote

NAMED_AS = re.compile(r"\s*(?P<object>[\w-]+(?:\s+[\w-]+){0,4}?)\s+som\s+[\w-]")
"""A naming cue's object and its characterisation: ``(beskriver) situasjonen som alvorlig``."""


class Complements:
    """The content a speech cue reports."""

    def __init__(self, words: AttributionWords) -> None:
        self.words = words

    def complement(
        self, text: str, position: int, end: int, require_at: bool, cue: Span | None = None
    ) -> int | None:
        """Start of the reported clause after the cue (and any addressee), without ``at``/``om``.

        An explicit ``at``/``om`` comes first: reading the parse's clausal object first instead
        lowered corpus attribution F (0.5258 -> 0.5256 with the model, web-news 0.8297 -> 0.8280).
        A bare clause ("mener vedtaket er feil") is then found in the dependency parse when the
        pipeline has one, else by word-list rules.
        """
        rest = text[position:end]
        match = re.match(
            r"\s*(?:[\w-]+\s+){0,4}?(?:(?:til|overfor)\s+[^,.:;]*?\s+)?"
            r"(?:(?:om|på|over|mot|for)\s+(?=at\s))?(?P<comp>at|om)\s+(?=\S)",
            rest,
        )
        if match:
            between = [w.lower() for w in rest[: match.start("comp")].split()]
            following = rest[match.end() :].split()
            # "om" is also a preposition ("varslet tilsynet om saken"): as a complementiser a subject follows.
            clause_follows = match.group("comp") == "at" or bool(
                following and following[0].lower() in self.words.clause_words
            )
            if clause_follows and not any(
                w in self.words.finite or w in ("det", "seg", "ikke", "ikkje") for w in between
            ):
                return position + match.end()
        stripped = rest.lstrip()
        if not stripped:
            return None
        if cue is not None:
            # The parse can tell a bare clause after an inverted subject too ("I dag mener X det …").
            parsed = clause_from_parse(cue, position, end, self.words.nonsubjects)
            if parsed is not None:
                return parsed
        if require_at:
            return None
        first = stripped.split()[0].lower().strip(",")
        if first in self.words.adverbs:
            stripped = stripped[len(first) :].lstrip()
        if self.reads_as_clause(stripped):
            return end - len(stripped)
        return None

    def naming(self, doc: Doc, cue: Span, subject: tuple[int, int], start: int, end: int) -> Quote | None:
        """``kalte planen «uansvarlig»``, ``beskrev dem som «bøller» og «kjeltringer»``: a mixed
        quote from the object to the last quoted fragment of the clause (and a compound it ends,
        ``«vi mot dem»-holdning``). A name one gives oneself (``kaller seg «Lynet»``) is no report."""
        text = doc_text(doc)
        pairs = [(start + a, start + b) for a, b in quote_pairs(text[start:end]) if start + b < end]
        if text[start:end].split()[:1] == ["seg"]:
            return None
        if not pairs:
            # "karakteriserer saken som svært alvorlig": the characterisation, in the writer's words.
            described = NAMED_AS.match(text, start, end)
            if described is None or _opens_relative_clause(doc, described.end() - 1):
                return None
            content = char_span(doc, described.start("object"), strip_end(text, start, end))
            return Quote("indirect", [content], cue=cue, speaker=span_of(doc, subject)) if content else None
        last = pairs[-1][1] + 1
        compound = re.match(r"-[\w-]+", text[last:end])
        first = start + len(text[start:last]) - len(text[start:last].lstrip())
        content = char_span(doc, first, last + (compound.end() if compound else 0))
        if content is None:
            return None
        return Quote("mixed", [content], cue=cue, speaker=span_of(doc, subject))

    def takes_infinitive(self, text: str, cue: Span) -> bool:
        """An active, affirmative directive or commissive cue (``oppfordret``, ``lovte``), whose
        report may be an infinitive. In the passive (``ble oppfordret``) the subject is the
        addressee, and a negated one (``har aldri bedt om å``) reports nothing that was said."""
        if cue.text.lower() not in self.words.lexicon.infinitive_cues:
            return False
        before = text[max(cue.start_char - 40, 0) : cue.start_char].lower().split()
        if any(word in self.words.negations for word in before[-2:]):
            return False
        # Adverbs may stand between the auxiliary and the participle: "ble også bedt om å …".
        while before and before[-1] in self.words.adverbs:
            before.pop()
        return not (before and before[-1] in self.words.passive_auxiliaries)

    def infinitive(self, text: str, position: int, end: int) -> tuple[int, tuple[int, int] | None] | None:
        """Start of an infinitive report after the cue, and the cue's object, who was asked:
        ``oppfordret kommunen til å stenge bassenget`` -> ``stenge bassenget``, ``kommunen``.
        The words between may not hold a verb or a clause."""
        match = self.words.infinitive_report.match(text, position, end)
        if match is None:
            return None
        if any(w.lower() in self.words.finite for w in text[position : match.start("marker")].split()):
            return None
        start, object_end = match.span("object")
        # Adverbs are no object: "truet også med å …".
        while (word := re.match(r"\s*(\S+)", text[start:object_end])) and (
            word.group(1).lower() in self.words.adverbs or word.group(1).lower() in self.words.negations
        ):
            start += word.end()
        told = trim(text, start, object_end) if text[start:object_end].strip() else None
        return match.end(), told

    def reads_as_clause(self, phrase: str) -> bool:
        """Whether a bare complement ("mener vedtaket ikke kommer …") is a clause, not an object."""
        tokens = [t.lower().strip(",.") for t in phrase.split()]
        if len(tokens) < 4 or tokens[0] in self.words.not_a_subject | self.words.nonsubjects:
            return False
        if tokens[0] in self.words.clause_words or phrase[:1].isupper():
            return True
        # A finite verb or a negation within the first words: "loven må strammes inn".
        for token in tokens[1:6]:
            if token in self.words.subordinators:
                return False
            if token in self.words.finite or token in ("ikke", "ikkje", "aldri"):
                return True
        return False


def _opens_relative_clause(doc: Doc, position: int) -> bool:
    """Whether the words from ``position`` (just after ``som``) make a relative clause ("som hun
    leste") rather than a characterisation ("som svært alvorlig"): a finite verb or a pronoun
    among the first three. Without a tagger, assumed so."""
    span = doc.char_span(position, len(doc.text), alignment_mode="expand")
    if span is None or not doc_has_morphology(doc):
        return True
    return any(t.pos_ == "PRON" or "Fin" in t.morph.get("VerbForm") for t in span[:3])


def clause_boundary(text: str, start: int, cue_start: int) -> int | None:
    """Where a second attribution in the same sentence begins: ``…, men hun understreket at``."""
    segment = text[start:cue_start]
    match = last_match(r",\s+(?:men|og|mens)\s+|\s+(?:men|mens)\s+", segment)
    if match is None or len(words(segment[match.end() :])) > 6:
        return None
    return start + match.start()


def coordination_end(text: str, start: int, end: int, clause_words: frozenset[str]) -> int:
    """End the reported clause before a coordinated main-clause verb: ``…, og inviterer …``."""
    for match in re.finditer(r",\s+(?:og|men)\s+(\w+)", text[start:end]):
        word = match.group(1).lower()
        if word not in clause_words and word not in ("at", "om") and not match.group(1)[:1].isupper():
            return start + match.start()
    return end


def end_inside_frame(doc: Doc, inner: Quote, frame: Quote) -> None:
    """``X lover å …, ifølge Y, skriver Z.``: a report whose cue lies in a later frame's content
    ends with that content; the frame's own tag is not part of what was reported."""
    if inner.cue is None or not frame.content:
        return
    inside = frame.start_char <= inner.cue.start_char < frame.end_char
    if inside and inner.start_char < frame.end_char < inner.end_char:
        truncate(doc, inner, frame.end_char)


def truncate(doc: Doc, quote: Quote, end: int) -> None:
    last = quote.content[-1]
    shorter = char_span(doc, last.start_char, end)
    if shorter is not None:
        quote.content[-1] = shorter
