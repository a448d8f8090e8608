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
:func:`_subject_from_parse`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kilde.component import KildeComponent, Scorer, stage_config, stage_lexicon
from kilde.cues import ACCORDING, DIRECT_ONLY, CueMatcher
from kilde.lexicon import Lexicon
from kilde.text import (
    Paragraph,
    Ranges,
    char_span,
    doc_has_parse,
    doc_text,
    iter_sentences,
    paragraphs,
    quote_pairs,
    sentences,
    trim,
    words,
)
from kilde.types import Quote, read_quotes, write_quotes

# Conjunctions that open an adverbial clause after a tag: "…, sier han etter at …".
ADVERBIAL_SUBORDINATORS = r"(?:etter|før|uten|utan|fordi|siden|sidan|mens|medan)"
ADVERBIAL_CLAUSE = re.compile(rf"{ADVERBIAL_SUBORDINATORS}\b")
# Where a tag's speaker ends: "…, sa X at …", "…, mener X etter at …".
TAG_COMPLEMENT = re.compile(rf"\s+(?:{ADVERBIAL_SUBORDINATORS}\s+)?at\s")
# Words after a pronoun that show it stands alone: "sier de til NRK", "melder de blant annet om".
FRAME_WORDS = frozenset(
    {"at", "om", "og", "men", "som", "da", "då", "når", "fordi", "dersom", "hvis", "viss"}
    | {"til", "overfor", "for", "i", "på", "etter", "blant", "med", "fra", "frå", "av", "under"}
    | {"over", "ved", "mot", "hos", "uten", "utan", "mellom", "gjennom", "innen", "innan", "før"}
)
ADDRESSEE_MARKER = re.compile(r"\s(?:til|overfor)\s")
TRAILING_ADDRESSEE = re.compile(
    r"\s+(?P<marker>til|overfor)\s+(?P<name>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)*)[\s.]*$"
)
CLAUSE_BREAK = re.compile(
    r",\s+(?:og|men|mens|da|då|etter|før|når|der|som|fordi|samtidig)\b|\s+og\s+(?=legger|legg)"
)
# "Det sier X": the speaker is named after the cue, the content came before.
ANAPHORIC_OPENERS = frozenset({"det", "dette", "slik", "så", "sånn"})
HEADLINE_SOURCE = re.compile(
    r"^(?P<source>[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ0-9][\w.-]*){0,3}):\s+(?P<claim>\S.*)$"
)
COORDINATED_NAMES = re.compile(r"[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)*\s+og\s+[A-ZÆØÅ][\w\s-]*")
# Words that never open a bare complement, and subordinators that end one, in every language.
NOT_A_SUBJECT = frozenset({"til", "om"})
SUBORDINATORS = frozenset({"om", "da", "då", "som", "at"})
COORDINATED_VERB = re.compile(r"(?:,\s*|\s)(?:og|men)\s+(?:også\s+|òg\s+)?$")
INVERTED_AUXILIARY = re.compile(
    r"\b(?:har|hadde|skal|skulle|vil|ville|kan|kunne|må|blir|ble|vert|vart)\s+"
    r"(?P<np>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*){0,3}|[a-zæøå-]+(?:en|et|a|ne))\s+(?:(?:ha|også|ikke|ikkje|òg)\s+)*$"
)
# The object and preposition between a directive cue and its infinitive: "ba retten om å …".
INFINITIVE_PREPOSITIONS = ("til", "om", "med", "for", "mot", "på")
INFINITIVE_REPORT = re.compile(
    r"(?P<object>(?:\s+[^\s,.;:!?«»\"]+){0,6}?)"
    rf"\s+(?:(?:{'|'.join(INFINITIVE_PREPOSITIONS)})\s+)?(?P<marker>å)\s+(?=\w)"
)
APPOSITIVE_NAME = re.compile(r",\s+(?P<name>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w.-]*)+)(?=\s*[,.]|\s*$)")
# Image captions: "Foto: …" credits or an upper-case label ("STENGT: …", "I retten: …").
CAPTION = re.compile(r"\b(?:Foto|Illustrasjon|Arkivfoto)\s*[:/]|^\s*[A-ZÆØÅ][\wæøå ]{0,25}:\s")
IMPERSONAL_SOURCE = re.compile(r"\s*(?:I|Av|Fra|Frå|På)\s+(?P<source>[^,.:;]+?)\s*$")
SOURCE_PREPOSITION = re.compile(r"(?:i|av|fra|frå|på)\s+(?=\S)")
MAX_SUBJECT_WORDS = 16
MAX_MENTION_WORDS = 18
NON_SPEAKERS = frozenset(
    {"det", "dette", "seg", "man", "jeg", "eg", "vi", "me", "du", "dere", "dykk", "en", "ein"}
)
TRAILING_TIME = re.compile(
    r"(?:\s+(?:i\s+dag|i\s+går|i\s+kveld|i\s+morgen|i\s+forrige\s+uke|i\s+fjor|i\s+helgen|nå|no|torsdag|mandag|tirsdag|tysdag|onsdag|fredag"
    r"|lørdag|laurdag|søndag|måndag|videre|vidare|også|òg|dessuten|etterpå|senere|seinare))+$",
    re.IGNORECASE,
)


@dataclass
class Tag:
    """What follows a cue: who speaks and to whom."""

    speaker: tuple[int, int] | None
    addressee: tuple[int, int] | None


@dataclass
class AttributionFinder(KildeComponent):
    """Component ``kilde_attribution``."""

    cues: CueMatcher
    lexicon: Lexicon
    name: str = "kilde_attribution"
    scorer: Scorer | None = None
    finite: frozenset[str] = field(init=False)
    openers: frozenset[str] = field(init=False)
    clause_words: frozenset[str] = field(init=False)
    adverbs: frozenset[str] = field(init=False)
    role_words: frozenset[str] = field(init=False)
    nonsubjects: frozenset[str] = field(init=False)
    subordinators: frozenset[str] = field(init=False)
    passive_auxiliaries: frozenset[str] = field(init=False)
    negations: frozenset[str] = field(init=False)

    @property
    def language(self) -> str:  # type: ignore[override]
        return self.lexicon.language

    def __post_init__(self) -> None:
        self.finite = self.lexicon.words_of_class("finite")
        self.openers = self.lexicon.words_of_class("opener")
        self.clause_words = self.lexicon.words_of_class("clause") | frozenset(self.lexicon.pronouns)
        self.adverbs = self.lexicon.words_of_class("adverb")
        self.nonsubjects = self.lexicon.words_of_class("nonsubject")
        self.subordinators = self.lexicon.words_of_class("subordinator")
        self.passive_auxiliaries = self.lexicon.words_of_class("passive")
        self.negations = self.lexicon.words_of_class("negation")
        lex = self.lexicon
        self.role_words = (
            lex.titles
            | lex.organization_nouns
            | lex.document_nouns
            | frozenset(lex.gendered_nouns)
            | lex.anonymous
            | lex.media_nouns
        )

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
                    tag = self._tag_after(text, quote.cue.end_char, limit)
                    quote.speaker = _span(doc, tag.speaker)
                    quote.addressee = quote.addressee or _span(doc, tag.addressee)
            elif not quote.heading:
                used = self._frame_for_untagged(doc, quote, para, paras)
                if used is not None:
                    used_cues.add(used)

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
        write_quotes(doc, quotes)
        return doc

    # ------------------------------------------------------------ direct quotes
    def _tag_after(self, text: str, cue_end: int, limit: int) -> Tag:
        """Speaker and addressee in ``, sier X til Y.`` after the cue, up to ``limit`` (or the text's end)."""
        sentence_end = _sentence_end_after(text, cue_end, min(limit, len(text)))
        segment_start = cue_end
        while segment_start < sentence_end and text[segment_start] in " \t":
            segment_start += 1
        # "…, heter det i rapporten": after an impersonal cue the source follows a preposition.
        source = SOURCE_PREPOSITION.match(text, segment_start, sentence_end)
        if source:
            segment_start = source.end()
        segment = text[segment_start:sentence_end]
        colon = segment.find(":")
        if colon >= 0:
            segment = segment[:colon]
        brk = CLAUSE_BREAK.search(segment)
        if brk:
            segment = segment[: brk.start()]
        # "…, sa X at …": the speaker ends before the complement (or "etter at …", an adverbial).
        complement = TAG_COMPLEMENT.search(segment)
        if complement:
            segment = segment[: complement.start()]
        addressee = None
        marker = ADDRESSEE_MARKER.search(" " + segment)
        if marker:
            mention_text = segment[: max(marker.start() - 1, 0)]
            addr_start = segment_start + marker.end() - 1
            addr_text = segment[marker.end() - 1 :]
            addr_end = addr_start + len(
                re.split(r",|\s(?:etter|før|da|når|om|i forbindelse)\s", addr_text)[0]
            )
            time = TRAILING_TIME.search(text, addr_start, addr_end)
            addressee = trim(text, addr_start, time.start() if time else addr_end)
        else:
            mention_text = segment
        mention = self._mention(text, segment_start, segment_start + len(mention_text))
        return Tag(mention, addressee if addressee and addressee[0] < addressee[1] else None)

    def _mention(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Tidy a speaker phrase: a pronoun alone, no trailing adverbs, no clause."""
        start, end = trim(text, start, end)
        if start >= end:
            return None
        phrase = text[start:end]
        if not phrase.split():
            return None
        first = phrase.split()[0].lower()
        if first in self.lexicon.pronouns and not self._determiner_at(text, start, end):
            return start, start + len(phrase.split()[0])
        if _non_speaker(phrase.split()):
            return None
        time = TRAILING_TIME.search(phrase)
        if time:
            end = start + time.start()
        if len(words(text[start:end])) > MAX_MENTION_WORDS:
            return None
        return trim(text, start, end)

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
        elif para.dash_body_start is not None and para.index > 0:
            previous = paras[para.index - 1]
            if previous.text.rstrip().endswith(":"):
                sents = sentences(text, previous.start, previous.end)
                frame_range = sents[-1] if sents else None
        if frame_range is not None:
            frame_cues = [c for c in self.cues.index(doc).between(*frame_range) if c.label_ != ACCORDING]
            if frame_cues:
                cue = frame_cues[0]
                subject = self._subject_before(doc, frame_range[0], cue) or self._subject_after(
                    text, cue, frame_range[1]
                )
                quote.cue = cue
                quote.speaker = _span(doc, subject)
                quote.addressee = _span(doc, self._addressee_after(text, cue, frame_range[1]))
                return cue.start_char
        # 2. "Det sier X til NRK." right after the quote.
        after = _next_sentence(text, quote.end_char, para, paras)
        if after is not None:
            cue = self._anaphoric_cue(doc, after)
            if cue is not None:
                tag = self._tag_after(text, cue.end_char, after[1])
                quote.cue = cue
                quote.speaker = _span(doc, tag.speaker)
                quote.addressee = _span(doc, tag.addressee)
                return cue.start_char
        return None

    def _anaphoric_cue(self, doc: Doc, sentence: tuple[int, int]) -> Span | None:
        """The cue of a sentence like ``Det sier X.`` / ``Det opplyser politiet til NTB.``."""
        text = doc_text(doc)
        first = re.match(r"\s*(\w+)\s+", text[sentence[0] : sentence[1]])
        if first is None or first.group(1).lower() not in ANAPHORIC_OPENERS:
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
        if text[start:end].rstrip(' »”"').endswith("?"):
            return  # a question reports no claim (and in interviews it is the journalist's)
        content_end = _strip_end(text, start, end)
        clause_start = start
        previous: Quote | None = None
        made: list[Quote] = []
        for cue in cues:
            if cue.label_ == DIRECT_ONLY:
                continue
            if previous is not None:
                boundary = _clause_boundary(text, previous.content[-1].start_char, cue.start_char)
                if boundary is not None:
                    _truncate(doc, previous, boundary)
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
            if previous is not None and _restates(previous, quote, self.lexicon.pronouns):
                continue  # "sa han at han synes …": one report, not two
            if any(True for _ in quote_pairs(text[quote.start_char : quote.end_char])):
                quote.type = "mixed"
            for earlier in made:
                _end_inside_frame(doc, earlier, quote)
            quotes.append(quote)
            made.append(quote)
            previous = quote

    def _according(self, doc: Doc, cue: Span, start: int, end: int) -> Quote | None:
        """``Ifølge X er …``, ``…, ifølge X.`` and ``… er ifølge X …``."""
        text = doc_text(doc)
        source = self._noun_phrase(text, cue.end_char, end)
        if source is None:
            return None
        source = _before_verb(doc, source)
        before = text[start : cue.start_char]
        if not before.strip():
            content = (source[1], end)
        elif before.rstrip().endswith(","):
            content = (start, len(before.rstrip()) - 1 + start)
        else:
            content = (start, end)
        content_span = char_span(doc, *content)
        if content_span is None or len(words(content_span.text)) < 2:
            return None
        return Quote("indirect", [content_span], cue=cue, speaker=_span(doc, source))

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
            tag = self._tag_after(text, cue.end_char, end + 1)
            if (
                tag.speaker is not None
                and self._plausible_speaker(text[tag.speaker[0] : tag.speaker[1]])
                and _closes_sentence(text, tag, end)
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
            tag = self._tag_after(text, cue.end_char, end + 1)
            if tag.speaker is None:
                return None
            return _tagged_quote(doc, (previous[0], _strip_end(text, *previous)), cue, tag)
        # 3. "X sier (til Y) at …" or, after a fronted adverbial, "I går sa X at …";
        # an impersonal cue names its source in a fronted phrase: "I rapporten går det fram at …".
        impersonal = IMPERSONAL_SOURCE.match(text, start, cue.start_char) if " det" in cue.text else None
        if impersonal:
            subject = trim(text, impersonal.start("source"), impersonal.end("source"))
        else:
            subject = self._subject_before(doc, start, cue, quotes, sentence_start)
        if subject is None:
            if re.search(r"\bsom(?:\s+\w+)?\s*$", text[start : cue.start_char]):
                return None  # "…, som har bedt X om å": the subject is the relative pronoun, not X
            subject = self._subject_after(text, cue, end)
            if subject is None:
                return None
        # The parse may find an inverted subject ("I boka hevder X at …"): the complement follows it.
        inverted = subject[0] > cue.start_char
        after_subject = subject[1] if inverted else cue.end_char
        naming = cue.text.lower() in self.lexicon.naming_cues
        if naming:
            named = self._naming(doc, cue, subject, after_subject, end)
            if named is not None:
                return named
        told: tuple[int, int] | None = None  # the object of a directive cue: who was asked
        complement = None
        if self._takes_infinitive(text, cue):
            complement, told = self._infinitive(text, after_subject, end) or (None, None)
        if complement is None:
            # A naming cue without quoted words reports only an "at" clause ("kaller X for Y" names).
            complement = self._complement(text, after_subject, end, require_at=inverted or naming, cue=cue)
        if complement is None:
            return None
        bare = not re.search(r"\b(?:at|om)\s+$", text[max(complement - 4, 0) : complement])
        content_end = _coordination_end(text, complement, end, self.clause_words) if bare else end
        addressee = self._addressee_after(text, cue, complement) or told
        trailing = self._trailing_addressee(text, complement, content_end)
        if trailing is not None:
            content_end = _strip_end(text, complement, trailing[0])
            addressee = addressee or trailing[1]
        content = char_span(doc, complement, content_end)
        if content is None or len(words(content.text)) < 2:
            return None
        speaker = _span(doc, subject)
        return Quote("indirect", [content], cue=cue, speaker=speaker, addressee=_span(doc, addressee))

    def _trailing_addressee(self, text: str, start: int, end: int) -> tuple[int, tuple[int, int]] | None:
        """``bekrefter det samme overfor Fjordposten.``: the addressee closing the sentence is
        the frame's, not the content's. Returns where the frame starts and the addressee."""
        match = TRAILING_ADDRESSEE.search(text, start, end)
        if match is None:
            return None
        name = match.group("name")
        if match.group("marker") == "til" and name not in self.lexicon.media:
            return None  # "gi pengene til Røde Kors": only an outlet is told with "til"
        return match.start(), (match.start("name"), match.end("name"))

    # ---------------------------------------------------------- noun phrases
    def _subject_before(
        self,
        doc: Doc,
        start: int,
        cue: Span,
        quotes: list[Quote] | None = None,
        sentence_start: int | None = None,
    ) -> tuple[int, int] | None:
        """The subject in front of the cue: ``Statsministeren sier …``, ``…, men hun mener …``."""
        text = doc_text(doc)
        segment = text[start : cue.start_char]
        # "…, sier han og mener …", "X avviser at …, og sier …": a verb coordinated with an earlier one.
        if COORDINATED_VERB.search(segment):
            sentence_start = start if sentence_start is None else sentence_start
            for quote in reversed(quotes or []):
                if (
                    quote.cue is not None
                    and quote.speaker is not None
                    and sentence_start <= quote.cue.start_char < cue.start_char
                ):
                    return quote.speaker.start_char, quote.speaker.end_char
            first = self._noun_phrase(text, sentence_start, cue.start_char)
            if first is not None and self._subject_phrase(text[first[0] : first[1]], first[0]):
                return first
        # "X har sagt", "X har ikke ment": the auxiliary belongs to the cue.
        aux = re.search(r"\s+(?:har|hadde|ha)(?:\s+[a-zæøå]+){0,3}?\s*$", segment)
        if aux:
            segment = segment[: aux.start()]
        # "X, som er leder, sier": a relative clause inside the subject is skipped.
        segment = re.sub(r",\s+som\s+[^,]+,", lambda m: " " * len(m.group()), segment)
        lead = re.match(r"\s*(?:(?:Men|Og|Så)\s+)?", segment)
        skip = lead.end() if lead else 0
        candidate = self._subject_phrase(segment[skip:], start + skip)
        if candidate is not None:
            return candidate
        # "Under avhøret skal X ha forklart at …": the subject between auxiliary and participle.
        inverted = INVERTED_AUXILIARY.search(text[start : cue.start_char])
        if inverted and self._plausible_speaker(inverted.group("np")):
            return start + inverted.start("np"), start + inverted.end("np")
        # "Eriksson, som mener …": the antecedent of a relative pronoun.
        relative = re.search(r"(?P<np>(?:[A-ZÆØÅ][\w-]*\s+)*[A-ZÆØÅ][\w-]*),?\s+som\s*$", segment)
        if relative:
            return start + relative.start("np"), start + relative.end("np")
        # "… til statsråden, som har bedt …": a role noun as the antecedent.
        relative = re.search(r"(?P<np>[a-zæøå][\w-]*),\s+som\s*$", segment)
        if relative and self._is_role_word(relative.group("np")):
            return start + relative.start("np"), start + relative.end("np")
        # "… at hun mener …": the nearest clause opening.
        boundary = _last_match(r"(?:\b(?:at|om|og|men)\s+|[,:]\s+)", segment)
        if boundary is not None:
            inner = self._subject_phrase(segment[boundary.end() :], start + boundary.end())
            if inner is not None:
                return inner
        # Where the rules find nothing, a dependency parse (when the pipeline has one) may.
        return _subject_from_parse(cue)

    def _subject_phrase(self, chunk: str, offset: int) -> tuple[int, int] | None:
        """``chunk`` (starting at ``offset`` in the text) as a subject phrase, or None."""
        phrase = chunk.strip()
        if phrase.endswith(",") and phrase.count(",") >= 2:
            phrase = phrase[:-1].rstrip()  # "X, appositive, sier"
        if not phrase or phrase.endswith((",", ":")):
            return None
        offset += len(chunk) - len(chunk.lstrip())
        tokens = phrase.split()
        if len(tokens) > MAX_SUBJECT_WORDS or tokens[0].lower() in self.openers:
            return None
        clause_inside = any(t.lower() in self.finite for t in tokens) or any(
            t.lower() in ("at", "som", "og") for t in tokens[1:]
        )
        # "Tyskland og USA" is one subject; "X har … og" is a clause.
        if clause_inside and not COORDINATED_NAMES.fullmatch(phrase):
            return None
        if not self._plausible_speaker(phrase):
            return None
        return offset, offset + len(phrase.rstrip(" ,"))

    def _subject_after(self, text: str, cue: Span, end: int) -> tuple[int, int] | None:
        """The subject after the cue when an adverbial was fronted: ``I går sa X at …``."""
        phrase = self._noun_phrase(text, cue.end_char, end)
        if phrase is None or not self._plausible_speaker(text[phrase[0] : phrase[1]]):
            return None
        return self._mention(text, *phrase)

    def _noun_phrase(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Words from ``start`` up to a finite verb, a complementiser, a cue or punctuation."""
        first = re.match(r"\s*(\w+)", text[start:end])
        if (
            first
            and first.group(1).lower() in {*self.lexicon.pronouns, "ham", "henne", "honom", "dem"}
            and not self._determiner_at(text, start + first.start(1), end)
        ):
            return start + first.start(1), start + first.end(1)
        last_end = start
        count = 0
        previous_capitalised = False
        previous = ("", start)  # the last word taken and where the phrase ended before it
        for match in re.finditer(r"[^\s,.;:!?()«»\"“”]+|[,.;:!?()«»\"“”]", text[start:end]):
            token = match.group()
            lower = token.lower()
            if lower == "å":
                # "truet rektor med å stenge …": the phrase ends before the infinitive's preposition.
                if previous[0] in INFINITIVE_PREPOSITIONS:
                    last_end = previous[1]
                break
            if (
                token in ',.;:!?«»"“”'
                or lower in self.finite
                or lower in ("at", "om", "til", "overfor", "som")
            ):
                break
            if lower in self.lexicon.speech_verbs or (lower in self.adverbs and count):
                break
            if token in "()":
                last_end = start + match.end()
                continue
            if count and token.islower() and not self._is_role_word(token):
                if re.search(r"(?:er|ar)$", lower):
                    break  # a present-tense verb after the phrase: "Ifølge avisen bygger …"
                if previous_capitalised and re.search(r"(?:te|et|de)$", lower):
                    break  # a past-tense verb after a name: "Breivik begjærte …"
            previous_capitalised = token[:1].isupper()
            count += 1
            if count > MAX_MENTION_WORDS:
                return None
            previous = (lower, last_end)
            last_end = start + match.end()
        if last_end == start:
            return None
        # "ifølge leder i X, Kari Holm": a name in apposition belongs to the phrase.
        apposition = APPOSITIVE_NAME.match(text, last_end, end)
        if apposition:
            last_end = apposition.end("name")
        return trim(text, start, last_end)

    def _complement(
        self, text: str, position: int, end: int, require_at: bool, cue: Span | None = None
    ) -> int | None:
        """Start of the reported clause after the cue (and any addressee), without ``at``/``om``.

        A bare clause ("mener vedtaket er feil") is found in the dependency parse when the
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
                following and following[0].lower() in self.clause_words
            )
            if clause_follows and not any(
                w in self.finite or w in ("det", "seg", "ikke", "ikkje") for w in between
            ):
                return position + match.end()
        stripped = rest.lstrip()
        if not stripped:
            return None
        if cue is not None:
            # The parse can tell a bare clause after an inverted subject too ("I dag mener X det …").
            parsed = _clause_from_parse(cue, position, end, self.nonsubjects)
            if parsed is not None:
                return parsed
        if require_at:
            return None
        first = stripped.split()[0].lower().strip(",")
        if first in self.adverbs:
            stripped = stripped[len(first) :].lstrip()
        if self._reads_as_clause(stripped):
            return end - len(stripped)
        return None

    def _naming(self, doc: Doc, cue: Span, subject: tuple[int, int], start: int, end: int) -> Quote | None:
        """``kalte planen «uansvarlig»``, ``beskrev dem som «bøller» og «kjeltringer»``: a mixed
        quote from the object to the last quoted fragment of the clause (and a compound it ends,
        ``«vi mot dem»-holdning``). A name one gives oneself (``kaller seg «Lynet»``) is no report."""
        text = doc_text(doc)
        pairs = [(start + a, start + b) for a, b in quote_pairs(text[start:end]) if start + b < end]
        if not pairs or text[start : pairs[0][0]].split()[:1] == ["seg"]:
            return None
        last = pairs[-1][1] + 1
        compound = re.match(r"-[\w-]+", text[last:end])
        first = start + len(text[start:last]) - len(text[start:last].lstrip())
        content = char_span(doc, first, last + (compound.end() if compound else 0))
        if content is None:
            return None
        return Quote("mixed", [content], cue=cue, speaker=_span(doc, subject))

    def _takes_infinitive(self, text: str, cue: Span) -> bool:
        """An active, affirmative directive or commissive cue (``oppfordret``, ``lovte``), whose
        report may be an infinitive. In the passive (``ble oppfordret``) the subject is the
        addressee, and a negated one (``har aldri bedt om å``) reports nothing that was said."""
        if cue.text.lower() not in self.lexicon.infinitive_cues:
            return False
        before = text[max(cue.start_char - 40, 0) : cue.start_char].lower().split()
        if any(word in self.negations for word in before[-2:]):
            return False
        # Adverbs may stand between the auxiliary and the participle: "ble også bedt om å …".
        while before and before[-1] in self.adverbs:
            before.pop()
        return not (before and before[-1] in self.passive_auxiliaries)

    def _infinitive(self, text: str, position: int, end: int) -> tuple[int, tuple[int, int] | None] | None:
        """Start of an infinitive report after the cue, and the cue's object, who was asked:
        ``oppfordret kommunen til å stenge bassenget`` -> ``stenge bassenget``, ``kommunen``.
        The words between may not hold a verb or a clause."""
        match = INFINITIVE_REPORT.match(text, position, end)
        if match is None:
            return None
        if any(w.lower() in self.finite for w in text[position : match.start("marker")].split()):
            return None
        start, object_end = match.span("object")
        # Adverbs are no object: "truet også med å …".
        while (word := re.match(r"\s*(\S+)", text[start:object_end])) and (
            word.group(1).lower() in self.adverbs or word.group(1).lower() in self.negations
        ):
            start += word.end()
        told = trim(text, start, object_end) if text[start:object_end].strip() else None
        return match.end(), told

    def _reads_as_clause(self, phrase: str) -> bool:
        """Whether a bare complement ("mener vedtaket ikke kommer …") is a clause, not an object."""
        tokens = [t.lower().strip(",.") for t in phrase.split()]
        if len(tokens) < 4 or tokens[0] in NOT_A_SUBJECT | self.nonsubjects:
            return False
        if tokens[0] in self.clause_words or phrase[:1].isupper():
            return True
        # A finite verb or a negation within the first words: "loven må strammes inn".
        for token in tokens[1:6]:
            if token in SUBORDINATORS | self.subordinators:
                return False
            if token in self.finite or token in ("ikke", "ikkje", "aldri"):
                return True
        return False

    def _addressee_after(self, text: str, cue: Span, limit: int) -> tuple[int, int] | None:
        match = re.match(
            r"(?:\s+\w+){0,2}?\s+(?:til|overfor)\s+(?!å\s)([^,.:;]+?)(?=\s+(?:at|om)\s|[,.:;]|$)",
            text[cue.end_char : limit],
        )
        if not match:
            return None
        return trim(text, cue.end_char + match.start(1), cue.end_char + match.end(1))

    def _plausible_speaker(self, phrase: str) -> bool:
        tokens = phrase.split()
        if not tokens:
            return False
        first = tokens[0].lower().strip("(")
        if _non_speaker(tokens) or first in ("at", "om", "som", "å"):
            return False
        if first in self.lexicon.pronouns and not self._determiner_at(phrase, 0, len(phrase)):
            return len(tokens) == 1 or tokens[1].lower() in self.adverbs
        return any(t[:1].isupper() or re.match(r"\d+-år", t) for t in tokens) or any(
            self._is_role_word(t) for t in tokens
        )

    def _determiner_at(self, text: str, start: int, end: int) -> bool:
        """Whether the pronoun-like word at ``start`` is a determiner of a following noun phrase:
        ``sier den nye lederen`` (a phrase), not ``sier den.`` or ``sier de til NRK``."""
        match = re.match(r"\s*(\w+)\s+([a-zæøå][\w-]*)", text[start:end])
        if match is None or match.group(1).lower() not in self.lexicon.determiners:
            return False
        following = match.group(2)
        return not (
            following in self.finite
            or following in self.adverbs
            or following in self.negations
            or following in self.lexicon.speech_verbs
            or following in self.lexicon.pronouns
            or following in FRAME_WORDS
        )

    def _is_role_word(self, token: str) -> bool:
        word = token.lower().strip(",.")
        for stem in (word, word[:-2], word[:-1], word[:-3]):
            if stem and any(stem.endswith(t) for t in self.role_words):
                return True
        return False

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
        content = char_span(doc, offset + match.start("claim"), offset + match.end("claim"))
        source = char_span(doc, offset + match.start("source"), offset + match.end("source"))
        if content is None or source is None:
            return
        kind = "mixed" if any(True for _ in quote_pairs(claim)) else "indirect"
        quotes.append(Quote(kind, [content], speaker=source, heading=True))


# ---------------------------------------------------------------- helpers
def _non_speaker(tokens: list[str]) -> bool:
    """A generic or first/second person subject ("sier en", "mener vi"), which names no source;
    "en"/"ein" before more words is an article ("sier en glad Kari Holm")."""
    first = tokens[0].lower().strip("(") if tokens else ""
    return first in NON_SPEAKERS and not (first in ("en", "ein") and len(tokens) > 1)


def _tagged_quote(doc: Doc, content: tuple[int, int], cue: Span, tag: Tag) -> Quote | None:
    """An indirect quote whose speaker and addressee come from the tag after its cue."""
    span = char_span(doc, *content)
    if span is None:
        return None
    return Quote(
        "indirect", [span], cue=cue, speaker=_span(doc, tag.speaker), addressee=_span(doc, tag.addressee)
    )


def _span(doc: Doc, bounds: tuple[int, int] | None) -> Span | None:
    return char_span(doc, *bounds) if bounds else None


def _strip_end(text: str, start: int, end: int) -> int:
    return trim(text, start, end, " \t.!?…")[1]


def _sentence_end_after(text: str, position: int, limit: int) -> int:
    for start, end in iter_sentences(text, position, limit):
        if end > position:
            return _strip_end(text, start, end)
    return limit


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


def _last_match(pattern: str, text: str) -> re.Match[str] | None:
    found = None
    for found in re.finditer(pattern, text):  # noqa: B007 - only the last one is wanted
        pass
    return found


def _clause_boundary(text: str, start: int, cue_start: int) -> int | None:
    """Where a second attribution in the same sentence begins: ``…, men hun understreket at``."""
    segment = text[start:cue_start]
    match = _last_match(r",\s+(?:men|og|mens)\s+|\s+(?:men|mens)\s+", segment)
    if match is None or len(words(segment[match.end() :])) > 6:
        return None
    return start + match.start()


def _closes_sentence(text: str, tag: Tag, end: int) -> bool:
    """Whether a tag (speaker, maybe addressee) runs to the end of its sentence: ``…, sier han.``."""
    last = max(b[1] for b in (tag.speaker, tag.addressee) if b is not None)
    rest = text[last:end].strip(" .,")
    if ADVERBIAL_CLAUSE.match(rest):
        return True  # "…, mener han etter at …": an adverbial clause belongs to the frame
    return len(words(rest)) <= 3 and not re.search(r"\b(?:at|om)\b", rest)


def _coordination_end(text: str, start: int, end: int, clause_words: frozenset[str]) -> int:
    """End the reported clause before a coordinated main-clause verb: ``…, og inviterer …``."""
    for match in re.finditer(r",\s+(?:og|men)\s+(\w+)", text[start:end]):
        word = match.group(1).lower()
        if word not in clause_words and word not in ("at", "om") and not match.group(1)[:1].isupper():
            return start + match.start()
    return end


def _before_verb(doc: Doc, phrase: tuple[int, int]) -> tuple[int, int]:
    """A noun phrase found by word rules, cut before a verb the parse sees in it
    (``ifølge kommunen kostet …`` -> ``kommunen``); unchanged without a parse."""
    span = doc.char_span(*phrase, alignment_mode="expand") if doc_has_parse(doc) else None
    if span is None:
        return phrase
    for previous, token in itertools.pairwise(span):
        if token.pos_ in ("VERB", "AUX"):
            return phrase[0], previous.idx + len(previous)
    return phrase


def _end_inside_frame(doc: Doc, inner: Quote, frame: Quote) -> None:
    """``X lover å …, ifølge Y, skriver Z.``: a report whose cue lies in a later frame's content
    ends with that content; the frame's own tag is not part of what was reported."""
    if inner.cue is None or not frame.content:
        return
    inside = frame.start_char <= inner.cue.start_char < frame.end_char
    if inside and inner.start_char < frame.end_char < inner.end_char:
        _truncate(doc, inner, frame.end_char)


def _truncate(doc: Doc, quote: Quote, end: int) -> None:
    last = quote.content[-1]
    shorter = char_span(doc, last.start_char, end)
    if shorter is not None:
        quote.content[-1] = shorter


def _subject_from_parse(cue: Span) -> tuple[int, int] | None:
    """The cue verb's subject, when a dependency parser has run.

    In the Norwegian Dependency Treebank the finite verb heads the clause, so for
    a participle cue ("har sagt") the subject hangs on the auxiliary.
    """
    doc = cue.doc
    if not doc_has_parse(doc):
        return None
    verbs = [*cue, *(token.head for token in cue if token.dep_ in ("INFV", "aux", "xcomp"))]
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in ("nsubj", "SUBJ") and child.lower_ not in ("det", "dette", "seg", "man"):
                subtree = list(child.subtree)
                if subtree[0].i <= cue.start < subtree[-1].i:
                    continue  # a subject phrase cannot contain its own verb
                # A misattached clause ("X at …") is not part of the subject.
                ends = [t.i for t in subtree if t.i > child.i and _opens_clause(t)]
                if ends:
                    subtree = [t for t in subtree if t.i < ends[0]]
                last = subtree[-1]
                return subtree[0].idx, last.idx + len(last)
    return None


def _opens_clause(token: Token) -> bool:
    """A complementiser or a finite verb: where a noun phrase cannot go on."""
    return token.dep_ in ("SBU", "mark") or (
        token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm")
    )


def _clause_from_parse(cue: Span, position: int, end: int, nonsubjects: frozenset[str]) -> int | None:
    """Start of the cue verb's clausal object in ``[position, end)``, when a parser has run.

    In the Norwegian Dependency Treebank a reported clause is the object (DOBJ) of the speech
    verb, headed by its finite verb, which has a subject of its own; the complementiser ``at``
    hangs on that verb (SBU) and is left out of the content. A clause opened by one of
    ``nonsubjects`` (``viser hvordan …``) is an embedded question, not a claim.
    """
    if not doc_has_parse(cue.doc):
        return None
    for verb in cue:
        for child in verb.children:
            if child.dep_ not in ("DOBJ", "ccomp") or child.pos_ not in ("VERB", "AUX"):
                continue
            if not any(grand.dep_ in ("SUBJ", "FSUBJ", "nsubj", "expl") for grand in child.children):
                continue
            tokens = [t for t in child.subtree if t.dep_ not in ("SBU", "mark") or t.head is not child]
            start = tokens[0].idx
            if not position <= start < end:
                continue
            between = cue.doc.text[position : start + len(tokens[0])].lower().split()
            if any(word in nonsubjects for word in between):
                return None
            return start
    return None


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
