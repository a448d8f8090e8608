"""Attribution: speakers, cues and addressees, and indirect and mixed quotes.

Rules over the text of each paragraph, in the order a Norwegian news writer uses
them:

* inverted tags after a quote: ``«…», sier X til Y.`` / ``…, skriver Reuters.``
* fronted speakers: ``X sier (til Y) at …``, ``X sier: «…»``
* inverted speakers after a fronted adverbial: ``I kronikken hevder X at …``
* ``ifølge X`` before, inside or after the claim
* ``Det sier X til NRK.`` after a quote, and headlines of the form ``X: …``

Noun-phrase edges come from function-word lists per language; when a parser
is in the pipeline its subject and complement arcs take precedence (see
:mod:`kilde.attribution.parse`).

The stage reads in four steps, each in its own module: :mod:`~kilde.attribution.mentions`
(where a speaker phrase begins and ends), :mod:`~kilde.attribution.tags` (what follows a
cue), :mod:`~kilde.attribution.complements` (the reported clause) and
:mod:`~kilde.attribution.parse` (what a dependency parse adds); this module finds the cues'
frames and builds the quotes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kilde.attribution.complements import (
    Complements,
    clause_boundary,
    coordination_end,
    end_inside_frame,
    truncate,
)
from kilde.attribution.mentions import Mentions
from kilde.attribution.parse import before_verb, cited_document, document_nouns, is_subject_noun_of
from kilde.attribution.tags import Tag, Tags
from kilde.attribution.turns import SpeakerLabels
from kilde.attribution.words import AttributionWords
from kilde.component import LexiconComponent, Scorer, stage_config, stage_lexicon
from kilde.cues import ACCORDING, DIRECT_ONLY, CueMatcher
from kilde.lexicon import Lexicon
from kilde.text import (
    Paragraph,
    Ranges,
    asks,
    char_span,
    doc_has_parse,
    doc_text,
    iter_sentences,
    paragraphs,
    quote_pairs,
    sentences,
    span_of,
    strip_end,
    trim,
    words,
)
from kilde.types import Quote, read_quotes, write_quotes

HEADLINE_SOURCE = re.compile(
    r"^(?P<source>[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ0-9][\w.-]*){0,3}):\s+(?P<claim>\S.*)$"
)
# Image captions: "Foto: …" credits or an upper-case label ("STENGT: …", "I retten: …").
CAPTION = re.compile(r"\b(?:Foto|Illustrasjon|Arkivfoto)\s*[:/]|^\s*[A-ZÆØÅ][\wæøå ]{0,25}:\s")
IMPERSONAL_SOURCE = re.compile(
    r"\s*(?:I|Av|Fra|Frå|På)\s+(?P<source>[^,.:;]+?)(?:\s+som\s[^.:;]*?)?\s*,?\s*$"
)
"""``I rapporten heter det at …``; a relative clause on the source ends before the cue:
``I rapporten som kom i fjor, kom det frem at …``."""


@dataclass
class AttributionFinder(LexiconComponent):
    """Component ``kilde_attribution``."""

    cues: CueMatcher
    lexicon: Lexicon
    name: str = "kilde_attribution"
    scorer: Scorer | None = None
    words: AttributionWords = field(init=False)
    mentions: Mentions = field(init=False)
    tags: Tags = field(init=False)
    complements: Complements = field(init=False)
    speaker_labels: SpeakerLabels = field(init=False)

    def __post_init__(self) -> None:
        self.words = AttributionWords.from_lexicon(self.lexicon)
        self.documents = document_nouns(self.lexicon)
        self.speaker_labels = SpeakerLabels(self.words.roles, frozenset(self.lexicon.first_names))
        self.mentions = Mentions(self.words)
        self.tags = Tags(self.words, self.mentions)
        self.complements = Complements(self.words)

    # ------------------------------------------------------------------ driver
    def __call__(self, doc: Doc) -> Doc:
        quotes = read_quotes(doc)
        text = doc_text(doc)
        paras = paragraphs(doc)
        starts = [p.start for p in paras]

        def paragraph_of(position: int) -> Paragraph | None:
            i = bisect.bisect_right(starts, position) - 1
            return paras[i] if i >= 0 and position <= paras[i].end else None

        # Quotes found by the quotes stage: direct ones and mixed fragments with a tag.
        found_by_quotes_stage = list(quotes)
        used_cues: set[int] = set()
        for quote in found_by_quotes_stage:
            para = paragraph_of(quote.start_char)
            if para is None:
                continue
            if quote.cue is not None:
                used_cues.add(quote.cue.start_char)
                if quote.speaker is None:
                    # In "«A», sier han, «B»" the tag ends where the second part begins.
                    limit = quote.content[1].start_char if len(quote.content) > 1 else para.end
                    tag = self.tags.tag_after(text, quote.cue.end_char, limit)
                    quote.speaker = span_of(doc, tag.speaker)
                    quote.addressee = quote.addressee or span_of(doc, tag.addressee)
            elif not quote.heading:
                used = self._frame_for_untagged(doc, quote, para, paras)
                # A colon frame may also state a claim of its own ("X mener skolen har fått for
                # lite penger:"): its cue stays open for the indirect quotes below.
                if used is not None and not text[used : quote.start_char].rstrip(' «“"–—-\n').endswith(":"):
                    used_cues.add(used)
            elif para.index > 0:
                # "Faren:" / "– Ja." in a dialogue: a short line under a speaker label is no heading.
                previous = paras[para.index - 1]
                label = self.speaker_labels.label(text, previous.start, previous.end)
                if label is not None:
                    quote.heading = False
                    quote.speaker = span_of(doc, label)

        occupied = Ranges((q.start_char, q.end_char) for q in found_by_quotes_stage)
        cues = sorted(
            (c for c in self.cues(doc) if c.start_char not in used_cues), key=lambda c: c.start_char
        )
        cue_starts = [c.start_char for c in cues]
        for para in paras:
            if para.dash_body_start is None or not occupied.overlaps(para.start, para.end):
                self._headline_source(doc, para, quotes)
            for start, end in sentences(text, para.start, para.end):
                first, last = bisect.bisect_left(cue_starts, start), bisect.bisect_left(cue_starts, end)
                in_sentence = [c for c in cues[first:last] if not occupied.contains(c.start_char)]
                if in_sentence:
                    self._indirect(doc, para, paras, start, end, in_sentence, quotes, occupied)
        turns = self._turns(doc, paras, found_by_quotes_stage)
        if turns:
            # "Per Lie (H): Vi vil …" is a turn of the record, not a headline naming its source.
            taken = Ranges((q.start_char, q.end_char) for q in turns)
            quotes = [q for q in quotes if not (q.heading and taken.overlaps(q.start_char, q.end_char))]
            quotes.extend(turns)
        write_quotes(doc, quotes)
        return doc

    def _turns(self, doc: Doc, paras: list[Paragraph], marked: list[Quote]) -> list[Quote]:
        """The turns of a transcript or printed conversation (see :mod:`kilde.attribution.turns`),
        where no quote the quotes stage found takes up the turn."""
        text = doc_text(doc)
        direct = Ranges((q.start_char, q.end_char) for q in marked if q.type == "direct" and not q.heading)
        out = []
        for label, (start, end) in self.speaker_labels.turns(text, paras):
            content = char_span(doc, start, end)
            if content is None or direct.overlaps(start, end):
                continue
            kind = "mixed" if any(True for _ in quote_pairs(content.text)) else "indirect"
            out.append(Quote(kind, [content], speaker=span_of(doc, label)))
        return out

    def _framing_verb(self, doc: Doc, start: int, end: int) -> list[Span]:
        """The parse's main verb of the sentence ``[start, end)`` when its subject names a source,
        a name or a role noun (``Sverre Andersen avslørar:``; the participle of ``Lagmannsretten
        har i en dom kommentert saken:``); none without a parse, a verb or such a subject
        (``Novella startar slik:`` announces a text, not someone's words)."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not doc_has_parse(doc):
            return []
        root = next((t for t in span if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
        if root is None:
            return []
        subjects = [c for c in root.children if c.dep_ in ("SUBJ", "nsubj")]
        if not subjects or not self._names_a_source(subjects[0]):
            return []
        participles = [c for c in root.children if c.dep_ in ("INFV", "xcomp") and c.pos_ == "VERB"]
        verb = participles[0] if participles else root
        return [doc[verb.i : verb.i + 1]] if verb.pos_ == "VERB" else []

    def _impersonal_source(self, text: str, start: int, cue: Span) -> tuple[int, int] | None:
        """The source an impersonal cue names in a fronted phrase: ``I rapporten går det fram at
        …``, ``I erklæringen står det følgende:``, ``I mandatet vart det fastsett at …``."""
        if " det" in cue.text:
            impersonal = IMPERSONAL_SOURCE.match(text, start, cue.start_char)
        else:
            impersonal = self.words.impersonal_source.match(text, start, cue.start_char)
            if impersonal and not self.mentions.plausible_speaker(impersonal.group("source")):
                impersonal = None  # "I går ble det meldt at …": a time, not a source
        if impersonal is None:
            return None
        return trim(text, impersonal.start("source"), impersonal.end("source"))

    def _cited_document(self, doc: Doc, cue: Span) -> tuple[int, int] | None:
        """The document an impersonal cue points back to (:func:`cited_document`), as characters."""
        cited = cited_document(doc[cue.start], self.documents)
        return None if cited is None else (cited.idx, cited.idx + len(cited.text))

    def _names_a_source(self, subject: Token) -> bool:
        """A proper name, a named entity or a role noun ("lagmannsretten", "ordføraren")."""
        if subject.pos_ == "PROPN" or subject.ent_type_ in ("PER", "ORG", "GPE_ORG"):
            return True
        return subject.pos_ == "NOUN" and self.words.roles.matches(subject.lower_)

    def _frame_for_untagged(
        self, doc: Doc, quote: Quote, para: Paragraph, paras: list[Paragraph]
    ) -> int | None:
        """Speaker for a direct quote with no inverted tag; returns the start of the cue it used."""
        text = doc_text(doc)
        open_at = quote.start_char
        # 1. A colon frame before the quote, in its paragraph or ending the one before.
        before = text[para.start : open_at].rstrip(' «“"–—-')
        frame_range: tuple[int, int] | None = None
        if before.endswith(":"):
            sents = sentences(text, para.start, para.start + len(before))
            frame_range = sents[-1] if sents else None
        elif para.index > 0 and (
            para.dash_body_start is not None or not text[para.start : open_at].strip(' «“"')
        ):
            previous = paras[para.index - 1]
            if previous.text.rstrip().endswith(":"):
                sents = sentences(text, previous.start, previous.end)
                frame_range = sents[-1] if sents else None
        if frame_range is not None:
            frame_cues = [c for c in self.cues.index(doc).between(*frame_range) if c.label_ != ACCORDING]
            if not frame_cues:
                # "Gulating lagmannsrett har i en dom kommentert saken:": whatever the verb, the
                # main verb of a sentence that announces a quote with a colon frames it.
                frame_cues = self._framing_verb(doc, *frame_range)
            if frame_cues:
                cue = frame_cues[0]
                subject = (
                    self._impersonal_source(text, frame_range[0], cue)
                    or self.mentions.subject_before(doc, frame_range[0], cue)
                    or self.mentions.subject_after(text, cue, frame_range[1])
                )
                quote.cue = cue
                quote.speaker = span_of(doc, subject)
                quote.addressee = span_of(doc, self.tags.addressee_after(text, cue, frame_range[1]))
                return cue.start_char
            label = self.speaker_labels.label(text, *frame_range)
            if label is not None:
                quote.speaker = span_of(doc, label)
                return None
        # 2. "Ifølge X vil møtet «…»": an according phrase earlier in the quote's own sentence.
        sentence_start = _sentence_start_before(text, para.start, open_at)
        according = [
            c for c in self.cues.index(doc).between(sentence_start, open_at) if c.label_ == ACCORDING
        ]
        if according:
            cue = according[0]
            source = self.mentions.noun_phrase(text, cue.end_char, open_at)
            if source is not None:
                quote.cue = cue
                quote.speaker = span_of(doc, before_verb(doc, source))
                return cue.start_char
        # 3. "Det sier X til NRK." right after the quote.
        after = _next_sentence(text, quote.end_char, para, paras)
        if after is not None:
            cue = self._anaphoric_cue(doc, after)
            if cue is not None:
                tag = self.tags.tag_after(text, cue.end_char, after[1])
                quote.cue = cue
                quote.speaker = span_of(doc, tag.speaker)
                quote.addressee = span_of(doc, tag.addressee)
                return cue.start_char
        return None

    def _anaphoric_cue(self, doc: Doc, sentence: tuple[int, int]) -> Span | None:
        """The cue of a sentence like ``Det sier X.`` / ``Det opplyser politiet til NTB.``."""
        text = doc_text(doc)
        first = re.match(r"\s*(\w+)\s+", text[sentence[0] : sentence[1]])
        if first is None or first.group(1).lower() not in self.words.anaphoric_openers:
            return None
        position = sentence[0] + first.end()
        for cue in self.cues.index(doc).between(position, position + 1):
            if cue.label_ != ACCORDING:
                return cue
        return None

    # --------------------------------------------------------- indirect quotes
    def _indirect(
        self,
        doc: Doc,
        para: Paragraph,
        paras: list[Paragraph],
        start: int,
        end: int,
        cues: list[Span],
        quotes: list[Quote],
        occupied: Ranges,
    ) -> None:
        text = doc_text(doc)
        if asks(text[start:end]):
            return  # a question reports no claim (and in interviews it is the journalist's)
        content_end = strip_end(text, start, end)
        clause_start = start
        previous: Quote | None = None
        made: list[Quote] = []
        for cue in cues:
            if cue.label_ == DIRECT_ONLY:
                continue
            if previous is not None:
                boundary = clause_boundary(text, previous.content[-1].start_char, cue.start_char)
                if boundary is not None:
                    truncate(doc, previous, boundary)
                    clause_start = boundary
            if cue.label_ == ACCORDING:
                # "X skriver at brua ifølge Y har kostet …": Y's claim is the clause it stands in
                # (after a comma, "…, ifølge Y", it is a frame around what came before instead).
                clause = clause_start
                if not text[clause_start : cue.start_char].rstrip().endswith(","):
                    clause = max([clause_start, *(q.content[0].start_char for q in made if q.encloses(cue))])
                quote = self._according(doc, cue, clause, content_end)
            else:
                quote = self._speech(doc, para, paras, cue, (start, clause_start, content_end), quotes)
            if quote is None or occupied.overlaps(quote.start_char, quote.end_char):
                continue  # content that is a direct quote already
            if previous is not None and _restates(previous, quote, self.words.lexicon.pronouns):
                continue  # "sa han at han synes …": one report, not two
            if any(True for _ in quote_pairs(text[quote.start_char : quote.end_char])):
                quote.type = "mixed"
            for earlier in made:
                end_inside_frame(doc, earlier, quote)
            quotes.append(quote)
            made.append(quote)
            previous = quote

    def _according(self, doc: Doc, cue: Span, start: int, end: int) -> Quote | None:
        """``Ifølge X er …``, ``…, ifølge X.`` and ``… er ifølge X …``."""
        text = doc_text(doc)
        source = self.mentions.noun_phrase(text, cue.end_char, end)
        if source is None:
            return None
        source = before_verb(doc, source)
        before = text[start : cue.start_char]
        last_word = before.split()[-1].lower() if before.split() else ""
        if not before.strip() or last_word in self.words.clause_coordinators:
            # "Ifølge X er …", and "…, men ifølge X er …": the claim follows the source.
            content = (source[1], end)
        elif before.rstrip().endswith(","):
            content = (start, len(before.rstrip()) - 1 + start)
        else:
            content = (start, end)
        content_span = char_span(doc, *content)
        if content_span is None or len(words(content_span.text)) < 2:
            return None
        return Quote("indirect", [content_span], cue=cue, speaker=span_of(doc, source))

    def _speech(
        self,
        doc: Doc,
        para: Paragraph,
        paras: list[Paragraph],
        cue: Span,
        bounds: tuple[int, int, int],
        quotes: list[Quote],
    ) -> Quote | None:
        """An indirect quote around a speech cue; ``bounds`` are sentence start, clause start, content end."""
        sentence_start, start, end = bounds
        text = doc_text(doc)
        before = text[start : cue.start_char]
        # 1. "…, sier X." — the content comes first, the tag closes the sentence.
        if before.rstrip().endswith(",") and len(words(before)) >= 3:
            tag = self.tags.tag_after(text, cue.end_char, end + 1)
            if (
                tag.speaker is not None
                and (
                    self.mentions.plausible_speaker(text[tag.speaker[0] : tag.speaker[1]])
                    or is_subject_noun_of(cue, tag.speaker)
                )
                and self.tags.closes_sentence(text, tag, end)
            ):
                content_end = start + len(before.rstrip()) - 1
                according = re.search(
                    r",\s+(?:ifølge|ifølgje|i følge)\s", text[start:content_end], re.IGNORECASE
                )
                if according:
                    content_end = start + according.start()
                return _tagged_quote(doc, (start, content_end), cue, tag)
        # 2. "Det opplyser X." — the claim is the sentence before.
        anaphoric = self._anaphoric_cue(doc, (start, end))
        if anaphoric is not None and anaphoric.start_char == cue.start_char:
            previous = _previous_sentence(text, start, para, paras)
            if previous is None:
                return None
            tag = self.tags.tag_after(text, cue.end_char, end + 1)
            if tag.speaker is None:
                return None
            return _tagged_quote(doc, (previous[0], strip_end(text, *previous)), cue, tag)
        # 3. "X sier (til Y) at …" or, after a fronted adverbial, "I går sa X at …";
        # an impersonal cue names its source in a fronted phrase: "I rapporten går det fram at …",
        # or points back to the document the sentence before names: "Her heiter det at …".
        subject = (
            self._impersonal_source(text, start, cue)
            or self._cited_document(doc, cue)
            or self.mentions.subject_before(doc, start, cue, quotes, sentence_start)
        )
        if subject is None:
            if re.search(r"\bsom(?:\s+\w+)?\s*$", text[start : cue.start_char]):
                return None  # "…, som har bedt X om å": the subject is the relative pronoun, not X
            subject = self.mentions.subject_after(text, cue, end)
            if subject is None:
                return None
        if text[subject[0] : subject[1]].lower() in self.words.no_one:
            return None  # "Ingen har sagt at …": no one said it
        # The parse may find an inverted subject ("I boka hevder X at …"): the complement follows it.
        inverted = subject[0] > cue.start_char
        after_subject = subject[1] if inverted else cue.end_char
        naming = cue.text.lower() in self.words.lexicon.naming_cues
        if naming:
            named = self.complements.naming(doc, cue, subject, after_subject, end)
            if named is not None:
                return named
        told: tuple[int, int] | None = None  # the object of a directive cue: who was asked
        complement = None
        if self.complements.takes_infinitive(text, cue):
            complement, told = self.complements.infinitive(text, after_subject, end) or (None, None)
        if complement is None:
            # A naming cue without quoted words reports only an "at" clause ("kaller X for Y" names).
            complement = self.complements.complement(
                text, after_subject, end, require_at=inverted or naming, cue=cue
            )
        if complement is None:
            return None
        bare = not re.search(r"\b(?:at|om)\s+$", text[max(complement - 4, 0) : complement])
        content_end = coordination_end(text, complement, end, self.words.clause_words) if bare else end
        addressee = self.tags.addressee_after(text, cue, complement) or told
        trailing = self.tags.trailing_addressee(text, complement, content_end)
        if trailing is not None:
            content_end = strip_end(text, complement, trailing[0])
            addressee = addressee or trailing[1]
        content = char_span(doc, complement, content_end)
        if content is None or len(words(content.text)) < 2:
            return None
        speaker = span_of(doc, subject)
        return Quote("indirect", [content], cue=cue, speaker=speaker, addressee=span_of(doc, addressee))

    # ------------------------------------------------------------- headlines
    def _headline_source(self, doc: Doc, para: Paragraph, quotes: list[Quote]) -> None:
        """``Politiet: Ingen er skadet`` — a headline that names its source before a colon."""
        line = para.text.strip()
        if len(words(line)) > 14 or line.endswith((".", ":")) or para.dash_body_start is not None:
            return
        match = HEADLINE_SOURCE.match(line)
        if match is None or (match.group("source").isupper() and len(match.group("source")) > 5):
            return
        offset = para.start + (len(para.text) - len(para.text.lstrip()))
        claim = match.group("claim")
        if claim[:1] in "–—-":
            return  # "X: – sitat" is a direct quote heading, found by the quotes stage
        if len(words(claim)) < 2 or not any(c.isalpha() for c in claim):
            return  # "Oslo: 51": a row of a table, not a claim
        if re.search(r"[.!?]\s", claim):
            return  # "NABO: Per bur like ved. Foto: …": a picture's caption, not a headline
        content = char_span(doc, offset + match.start("claim"), offset + match.end("claim"))
        source = char_span(doc, offset + match.start("source"), offset + match.end("source"))
        if content is None or source is None:
            return
        kind = "mixed" if any(True for _ in quote_pairs(claim)) else "indirect"
        quotes.append(Quote(kind, [content], speaker=source, heading=True))


def _tagged_quote(doc: Doc, content: tuple[int, int], cue: Span, tag: Tag) -> Quote | None:
    """An indirect quote whose speaker and addressee come from the tag after its cue."""
    span = char_span(doc, *content)
    if span is None:
        return None
    return Quote(
        "indirect", [span], cue=cue, speaker=span_of(doc, tag.speaker), addressee=span_of(doc, tag.addressee)
    )


def _sentence_start_before(text: str, start: int, position: int) -> int:
    """Where the sentence holding ``position`` begins, searching from ``start`` (its paragraph)."""
    starts = [a for a, b in iter_sentences(text, start, position + 1) if a <= position]
    return starts[-1] if starts else start


def _next_sentence(
    text: str, position: int, para: Paragraph, paras: list[Paragraph]
) -> tuple[int, int] | None:
    rest = text[position : para.end].lstrip(' »”".,')
    if rest.strip():
        start = para.end - len(rest)
        return next(iter_sentences(text, start, para.end), None)
    if para.index + 1 < len(paras):
        following = paras[para.index + 1]
        return next(iter_sentences(text, following.start, following.end), None)
    return None


def _previous_sentence(
    text: str, position: int, para: Paragraph, paras: list[Paragraph]
) -> tuple[int, int] | None:
    inside = [s for s in sentences(text, para.start, para.end) if s[1] <= position]
    if inside:
        return inside[-1]
    for previous in reversed(paras[: para.index]):
        if CAPTION.search(previous.text):
            continue  # an image caption between the claim and "Det sier X."
        found = sentences(text, previous.start, previous.end)
        return found[-1] if found else None
    return None


def _restates(outer: Quote, inner: Quote, pronouns: dict[str, str]) -> bool:
    """Whether ``inner`` is the outer speaker's own stance verb opening the outer content."""
    if inner.speaker is None or not outer.content:
        return False
    return inner.speaker.start_char == outer.content[0].start_char and inner.speaker.text.lower() in pronouns


@Language.factory(
    "kilde_attribution",
    assigns=["doc.spans", "doc._.kilde_quote_attrs"],
    requires=["doc.spans"],
    default_config=stage_config("attribution", language=None),
    default_score_weights={"attribution_f": 1.0, "indirect_mixed_f": 0.0, "cue_acc": 0.0},
)
def make_attribution(
    nlp: Language, name: str, language: str | None, scorer: Scorer | None
) -> AttributionFinder:
    lexicon = stage_lexicon(nlp.lang, language)
    return AttributionFinder(CueMatcher(nlp.vocab, lexicon), lexicon, name, scorer)
