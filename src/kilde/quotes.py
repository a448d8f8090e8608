"""Direct quotes: «…», "…", “…”, dialogue-dash paragraphs and quote headings.

The stage finds each direct quote's content and, where the quote carries an
inverted tag (``«…», sier han``), the tag's cue; speakers are left to the
attribution stage. Short quoted fragments inside an indirect frame are not
direct quotes: the attribution stage turns their sentence into a mixed quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span

from kilde.component import PACKAGED, LearnedComponent, Scorer, packaged_or_path, stage_config, stage_lexicon
from kilde.continuation import (
    MAX_CONTINUATION_LINES,
    PACKAGED_MODEL,
    TAG_LOOKAHEAD_LINES,
    TASK,
    LineContext,
    one_sentence_share,
    transition_features,
)
from kilde.cues import ACCORDING, CueIndex, CueMatcher
from kilde.linear import LinearModel
from kilde.text import (
    BLANK_LINE,
    DASH_OPENING,
    Paragraph,
    asks,
    char_span,
    doc_has_morphology,
    doc_has_parse,
    doc_text,
    paragraphs,
    quote_pairs,
    trim,
    words,
)
from kilde.types import Quote, read_quotes, write_quotes

# What may stand between a quote and its tag: "», sier han", "?» spør hun".
TAG_PUNCTUATION = ' \t,?!…»”"'
HEADING_MAX_WORDS = 12
# Quoted stretches this long (in words) read as statements even without a tag.
STATEMENT_MIN_WORDS = 6
ContinuationDecision = Callable[[Paragraph, dict[str, float]], bool]
"""Whether a line (with its :func:`kilde.continuation.transition_features`) goes on with a quote."""
# "Breivik om dommen: – Det var ventet": a headline that names its speaker before a colon.
COLON_DASH_HEADING = re.compile(r"^(?P<frame>[^:]{1,80}):\s*[–—-]\s+(?P<quote>\S.*)$")
INLINE_COLON_DASH = re.compile(r"\S:[ \t]+(?P<dash>[–—-])[ \t]+(?=\S)")
"""A colon, then a dialogue dash, inside a line: the words after the dash are a quote."""
INLINE_SENTENCE_DASH = re.compile(r"[.!?»][ \t]+(?P<dash>[–—])[ \t]+(?=[A-ZÆØÅ«])")
"""``… i går. – Vi er glade, sier hun.``: a dash quote inside a paragraph, where a text lost
its line breaks."""
FRAME_NAME = re.compile(r"[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ][\w.-]*)*(?=\s+om\s|\s*$)")
ADDRESSED_FRAME = re.compile(
    r"(?P<speaker>\w[\w.-]*(?:\s+[\w.-]+){0,3})\s+til\s+(?P<addressee>\w[\w.-]*(?:\s+[\w.-]+){0,3})"
)
"""``Soldat til moren: – …``: a heading frame that names who speaks to whom, name or not."""


@dataclass
class QuoteFinder(LearnedComponent):
    """Component ``kilde_quotes``: adds the direct quotes to the quotes stored on the Doc."""

    cues: CueMatcher
    tag_continuations: frozenset[str]
    """Lower-case words after ``…, sier han,`` that go on with the tag, not the quote."""
    not_after_cue: frozenset[str]
    """Words after a cue that show it opens a clause rather than a tag (``viser det at``)."""
    frame_openers: frozenset[str]
    """Fronted adverbials and prepositions: a heading frame opening with one names no speaker
    (``Fra Oslo til Bergen: – …``)."""
    non_speakers: frozenset[str]
    """Subjects that name no source (``jeg``, ``vi``, ``man``): a tag with one may be inside the quote."""
    name: str = "kilde_quotes"
    language: str = "nb"
    scorer: Scorer | None = None
    model: LinearModel | None = None
    """The line-continuation model: which lines after a dash line go on with its quote (see
    :mod:`kilde.continuation`); without it every line is a paragraph of its own."""
    model_file: ClassVar[str] = "continuation.json"
    model_task: ClassVar[str] = TASK

    def __call__(self, doc: Doc) -> Doc:
        quotes = read_quotes(doc)
        cue_by_start = self.tag_cues(doc)
        paras = paragraphs(doc)
        # The layout only matters to the continuation model, and only where a dash line opens.
        has_dash = any(para.dash_body_start is not None for para in paras)
        layout = one_sentence_share(doc_text(doc), paras, self.language) if self.model and has_dash else 0.0
        listed = _dash_list_lines(doc, paras)
        i = 0
        while i < len(paras):
            para = paras[i]
            if i in listed:
                i += 1  # "– Biskop Kari Holm, Tromsø": a list of members, not a dialogue
                continue
            if para.dash_body_start is not None:
                last = self.dash_quote_end(doc, paras, i, cue_by_start, layout)
                following = paras[last + 1] if last + 1 < len(paras) else None
                quote = self._dash_quote(doc, para, paras[last], following, cue_by_start)
                if quote is not None and not (quote.cue is None and _question_goes_on(doc, paras, i, last)):
                    quotes.append(quote)
                i = last + 1
                continue
            spanning = self._guillemets_over_lines(doc, paras, i, cue_by_start)
            if spanning is not None:
                quote, last = spanning
                quotes.append(quote)
                i = last + 1
                continue
            heading = self._colon_dash_heading(doc, para)
            if heading is not None:
                quotes.append(heading)
            else:
                following = paras[i + 1] if i + 1 < len(paras) else None
                inline = self._colon_dash_quote(
                    doc, para, following, cue_by_start
                ) or self._sentence_dash_quote(doc, para, following, cue_by_start)
                marked = self._marked_quotes(doc, para, cue_by_start)
                if inline is not None:
                    quotes.append(inline)
                    marked = [q for q in marked if q.end_char <= inline.start_char]
                quotes.extend(marked)
            i += 1
        write_quotes(doc, quotes)
        return doc

    def tag_cues(self, doc: Doc) -> CueIndex:
        """The cues that may stand in a quote's tag (``ifølge`` opens a frame, never a tag)."""
        return CueIndex([span for span in self.cues(doc) if span.label_ != ACCORDING])

    def dash_quote_end(
        self,
        doc: Doc,
        paras: Sequence[Paragraph],
        index: int,
        cue_by_start: CueIndex,
        layout: float,
        decide: ContinuationDecision | None = None,
    ) -> int:
        """Index of the last line of the dash quote that opens ``paras[index]``.

        A line with its own tag ends the quote there; otherwise each following line is put to
        ``decide`` (by default the continuation model) until one is refused, a new dash line
        comes, or a line holds the quote's tag. Training passes the corpus's answers as ``decide``.
        """
        if decide is None:
            model = self.model
            if model is None:
                return index
            decide = lambda _line, features: model.decides_yes(features)  # noqa: E731
        text = doc_text(doc)
        first = paras[index]
        assert first.dash_body_start is not None
        if self._tag_cue(text, first.dash_body_start, first.end, cue_by_start) is not None:
            return index
        # The lines that could go on with the quote: up to the next dash line or blank line (a
        # paragraph break in any layout; no annotated quote in the corpus runs over one).
        run: list[Paragraph] = []
        previous_end = first.end
        dash_after_run = False
        for candidate in paras[index + 1 : index + 1 + MAX_CONTINUATION_LINES]:
            if BLANK_LINE.search(text, previous_end, candidate.start):
                break
            if candidate.dash_body_start is not None:
                dash_after_run = True
                break
            run.append(candidate)
            previous_end = candidate.end
        # From the last character of the line before: a tag may open the line ("…,\nsier hun").
        tags = [
            self._tag_cue(text, paras[candidate.index - 1].end - 1, candidate.end, cue_by_start) is not None
            for candidate in run
        ]
        last = index
        for k, candidate in enumerate(run):
            context = LineContext(
                has_tag=tags[k],
                tag_ahead=any(tags[k + 1 : k + 1 + TAG_LOOKAHEAD_LINES]),
                dash_follows=k + 1 == len(run) and dash_after_run,
            )
            features = transition_features(
                doc, first, paras[last], candidate, last - index + 1, context, layout
            )
            if not decide(candidate, features):
                break
            last = candidate.index
            if context.has_tag:
                break
        return last

    def _tag_cue(self, text: str, start: int, end: int, cue_by_start: CueIndex) -> Span | None:
        cue = _first_tag_cue(text, start, end, cue_by_start, self.not_after_cue)
        # "– …, svarte jeg nei da …, svarer Holm": a tag whose subject names no one (the speaker
        # quoting himself, "sier man") is inside the quote when a tag follows.
        while cue is not None and _word_after(text, cue.end_char, end) in self.non_speakers:
            later = _first_tag_cue(text, cue.end_char, end, cue_by_start, self.not_after_cue)
            if later is None:
                break
            cue = later
        return cue

    def _dash_quote(
        self,
        doc: Doc,
        para: Paragraph,
        last: Paragraph,
        following: Paragraph | None,
        cue_by_start: CueIndex,
    ) -> Quote | None:
        """The quote of a dash paragraph ``para`` that runs on to line ``last`` (often ``para``)."""
        body = para.dash_body_start
        assert body is not None
        text = doc_text(doc)
        end = last.end
        cue = self._tag_cue(text, body, end, cue_by_start)
        if cue is not None:
            content = char_span(doc, body, cue.start_char)
            if content is None:
                return None
            parts = [content]
            # The quote goes on after its tag: "– A, sier hun, b." or "– A, sier hun. – B."
            rest = _interrupted_rest(text, cue.end_char, end, self.tag_continuations)
            if rest is not None and _apposition(doc, rest, _sentence_end(text, rest, end)):
                rest = None  # "…, sier Ola Dahl, professor ved …": the speaker's title, not the quote
            if rest is None:
                after_tag = _sentence_end(text, cue.end_char, end) + 1
                dash = DASH_OPENING.match(text[after_tag:end].lstrip(" "))
                if dash:
                    rest = end - len(text[after_tag:end].lstrip(" ")) + dash.end()
            if rest is not None:
                next_tag = self._tag_cue(text, rest, end, cue_by_start)
                second = char_span(doc, rest, next_tag.start_char if next_tag else end)
                if second is not None:
                    parts.append(second)
            return Quote("direct", parts, cue=cue)
        content = char_span(doc, body, end)
        if content is None:
            return None
        if (
            content.text.rstrip().endswith("?")
            and following is not None
            and following.dash_body_start is not None
        ):
            return None  # the journalist's question in an interview, answered by the next dash paragraph
        heading = last is para and _is_heading_line(para.text)
        return Quote("direct", [content], heading=heading)

    def _colon_dash_heading(self, doc: Doc, para: Paragraph) -> Quote | None:
        match = COLON_DASH_HEADING.match(para.text)
        if match is None or not _is_heading_line(para.text, max_words=HEADING_MAX_WORDS + 6):
            return None
        content = char_span(doc, para.start + match.start("quote"), para.end)
        if content is None:
            return None
        frame = match.group("frame").rstrip()
        addressed = ADDRESSED_FRAME.fullmatch(frame)
        start = para.start + match.start("frame")
        if addressed and self._names_speaker(doc, start, para.start + match.start("quote")):
            speaker, addressee = (
                char_span(doc, start + addressed.start(part), start + addressed.end(part))
                for part in ("speaker", "addressee")
            )
            return Quote("direct", [content], speaker=speaker, addressee=addressee, heading=True)
        # Otherwise only a frame that is a name ("Breivik:", "Breivik om dommen:") names the speaker.
        name = FRAME_NAME.match(frame)
        speaker = char_span(doc, para.start + name.start(), para.start + name.end()) if name else None
        return Quote("direct", [content], speaker=speaker, heading=True)

    def _colon_dash_quote(
        self, doc: Doc, para: Paragraph, following: Paragraph | None, cue_by_start: CueIndex
    ) -> Quote | None:
        """A dash quote that opens after a colon inside a line (``Tom Holm: – …``, ``… sa
        følgende: – …``, a live blog's ``11.50: – …``): it runs to the line's end or its tag, and
        a name before the colon is its speaker."""
        match = INLINE_COLON_DASH.search(para.text)
        if match is None:
            return None
        quote = self._inline_dash_quote(doc, para, match, following, cue_by_start)
        if quote is None or quote.cue is not None:
            return quote
        name = FRAME_NAME.fullmatch(para.text[: match.start()].strip())
        if name is not None:
            offset = para.start + len(para.text) - len(para.text.lstrip())
            quote.speaker = char_span(doc, offset + name.start(), offset + name.end())
        return quote

    def _sentence_dash_quote(
        self, doc: Doc, para: Paragraph, following: Paragraph | None, cue_by_start: CueIndex
    ) -> Quote | None:
        """A dash quote that opens after a sentence inside a line and closes with its tag
        (``… i går. – Vi er glade, sier hun.``); without a tag the dash is a parenthesis."""
        match = INLINE_SENTENCE_DASH.search(para.text)
        if match is None:
            return None
        quote = self._inline_dash_quote(doc, para, match, following, cue_by_start)
        return quote if quote is not None and quote.cue is not None else None

    def _inline_dash_quote(
        self,
        doc: Doc,
        para: Paragraph,
        match: re.Match[str],
        following: Paragraph | None,
        cue_by_start: CueIndex,
    ) -> Quote | None:
        """The dash quote from the dash ``match`` found inside ``para`` to the line's end or its tag."""
        dash_at = para.start + match.start("dash")
        rest = Paragraph(para.index, dash_at, para.end, doc_text(doc)[dash_at : para.end])
        if rest.dash_body_start is None:
            return None
        return self._dash_quote(doc, rest, rest, following, cue_by_start)

    def _guillemets_over_lines(
        self, doc: Doc, paras: Sequence[Paragraph], index: int, cue_by_start: CueIndex
    ) -> tuple[Quote, int] | None:
        """A «…» quote that opens as the last mark of line ``index`` and closes on a later line
        (a text kept one sentence a line), with the tag after its closing mark; and the index of
        that line. None where the lines between open another quote or a blank line comes first."""
        text = doc_text(doc)
        para = paras[index]
        open_at = para.text.rfind("«")
        if open_at < 0 or "»" in para.text[open_at:]:
            return None
        previous_end = para.end
        for later in paras[index + 1 : index + 1 + MAX_GUILLEMET_LINES]:
            if BLANK_LINE.search(text, previous_end, later.start) or "«" in later.text.split("»")[0]:
                return None
            if "»" in later.text:
                close_at = later.start + later.text.index("»")
                content = char_span(doc, *trim(text, para.start + open_at + 1, close_at))
                if content is None:
                    return None
                after = close_at + 1
                cue = _first_tag_cue(text, after, later.end, cue_by_start, self.not_after_cue, max_gap=4)
                return Quote("direct", [content], cue=cue), later.index
            previous_end = later.end
        return None

    def _names_speaker(self, doc: Doc, start: int, quote_start: int) -> bool:
        """Whether the heading frame from ``start`` (``X til Y:``) is one line of noun phrases:
        no fronted adverbial or preposition first, and no verb where the parse has run."""
        frame = doc.text[start:quote_start]
        if "\n" in frame or frame.split()[0].lower() in self.frame_openers:
            return False
        span = doc.char_span(start, quote_start, alignment_mode="expand")
        return span is None or not doc_has_parse(doc) or all(t.pos_ not in ("VERB", "AUX") for t in span)

    def _marked_quotes(self, doc: Doc, para: Paragraph, cue_by_start: CueIndex) -> list[Quote]:
        text = para.text
        found: list[Quote] = []
        # A line after a colon ("Ei stemme seier :") is the quote it announces, not a heading.
        after_colon = _colon_before(doc_text(doc), para.start)
        pairs = list(quote_pairs(text))
        skip_next = False
        for n, (open_at, close_at) in enumerate(pairs):
            if skip_next:
                skip_next = False
                continue
            inner = text[open_at + 1 : close_at]
            if not inner.strip():
                continue
            before, after = text[:open_at], text[close_at + 1 :]
            cue = _first_tag_cue(
                doc_text(doc),
                para.start + close_at + 1,
                para.end,
                cue_by_start,
                self.not_after_cue,
                max_gap=4,
            )
            colon_frame = before.rstrip().endswith(":")
            standalone = not before.strip(" –—-") and not after.strip(" .,")
            statement = len(words(inner)) >= STATEMENT_MIN_WORDS and not _inside_indirect_frame(
                before, cue_by_start, para.start
            )
            if not (cue or colon_frame or standalone or statement):
                continue  # a scare quote, a title, or a fragment of a mixed quote
            sentence_start = _sentence_start(before)
            if cue is not None and not colon_frame and len(words(before[sentence_start:])) >= 2:
                # "Her er tettheten «helt ekstrem», sier hun": the journalist's words frame a fragment.
                mixed = _mixed_span(doc, para.start + sentence_start, para.start + close_at + 1)
                if mixed is not None:
                    found.append(Quote("mixed", [mixed], cue=cue))
                continue
            content = char_span(doc, para.start + open_at + 1, para.start + close_at)
            if content is None:
                continue
            parts = [content]
            if cue is not None and n + 1 < len(pairs):
                rest = _interrupted_rest(doc_text(doc), cue.end_char, para.end, self.tag_continuations)
                next_open, next_close = pairs[n + 1]
                if rest is not None and rest == para.start + next_open:
                    second = char_span(doc, para.start + next_open + 1, para.start + next_close)
                    if second is not None:
                        parts.append(second)
                        skip_next = True
            heading = standalone and cue is None and _is_heading_line(text) and not after_colon
            found.append(Quote("direct", parts, cue=cue, heading=heading))
        return found


MAX_GUILLEMET_LINES = 20
"""A «…» quote runs over at most this many lines after the one it opens on."""
DASH_LIST_RUN = 3
"""Consecutive dash lines without a finite verb that make a list rather than speech."""


def _question_goes_on(doc: Doc, paras: list[Paragraph], first: int, last: int) -> bool:
    """Whether the dash lines ``first`` to ``last`` open an interviewer's question that goes on in
    the next line, answered by the dash line after it ("– Du er lege. / Er du overrasket? / –
    Nei."): in a text with a line per sentence the question's first sentence looks like a quote.
    The journalist addresses the interviewee ("du", "dere") and speaks not for himself; an answer
    before a question line speaks for the speaker ("jeg", "vi")."""
    if last + 2 >= len(paras):
        return False
    question, answer = paras[last + 1], paras[last + 2]
    if not (question.dash_body_start is None and asks(question.text) and answer.dash_body_start is not None):
        return False
    span = doc.char_span(paras[first].start, paras[last].end, alignment_mode="expand")
    persons = {person for token in span or () if token.pos_ == "PRON" for person in token.morph.get("Person")}
    return "2" in persons and "1" not in persons


def _dash_list_lines(doc: Doc, paras: Sequence[Paragraph]) -> set[int]:
    """Indices of the dash lines that stand in a run of :data:`DASH_LIST_RUN` or more
    consecutive dash lines none of which has a finite verb (by the tagger; without one, none)."""
    if not doc_has_morphology(doc):
        return set()

    def verbless_dash(para: Paragraph) -> bool:
        if para.dash_body_start is None:
            return False
        span = doc.char_span(para.start, para.end, alignment_mode="expand")
        return span is not None and not any("Fin" in t.morph.get("VerbForm") for t in span)

    listed: set[int] = set()
    run: list[int] = []
    for index, para in enumerate([*paras, None]):
        if para is not None and verbless_dash(para):
            run.append(index)
            continue
        if len(run) >= DASH_LIST_RUN:
            listed.update(run)
        run = []
    return listed


def _colon_before(text: str, position: int) -> bool:
    """Whether the last character before ``position`` that is not white space is a colon."""
    before = position - 1
    while before >= 0 and text[before].isspace():
        before -= 1
    return before >= 0 and text[before] == ":"


def _word_after(text: str, position: int, end: int) -> str:
    """The lower-cased word after ``position`` (before ``end``), or ``""``."""
    following = text[position:end].split(maxsplit=1)
    return following[0].lower().strip(",.") if following else ""


def _first_tag_cue(
    text: str,
    start: int,
    end: int,
    cue_by_start: CueIndex,
    not_after_cue: frozenset[str],
    max_gap: int | None = None,
) -> Span | None:
    """The first cue in ``[start, end)`` that directly follows a comma, ``?`` or ``!``: a quote's tag.

    With ``max_gap`` the cue must come within that many characters of ``start``
    (a tag right after a closing quote mark, where the comma may be missing).
    """
    for cue in cue_by_start.between(start + 1, end):
        position = cue.start_char
        if max_gap is not None:
            if position - start > max_gap:
                return None
            if not text[start:position].strip(TAG_PUNCTUATION):
                return cue
        elif text[start:position].rstrip(' \t\n»”"').endswith((",", "?", "!", "…")) and _tag_follows(
            text, cue.end_char, end, not_after_cue
        ):
            return cue
    return None


def _tag_follows(text: str, cue_end: int, end: int, not_after_cue: frozenset[str]) -> bool:
    """A speaker, not a clause, comes after a tag cue: ``, sier han`` but not ``, viser det at``."""
    following = text[cue_end:end].split()
    return not following or following[0].lower().strip(",.") not in not_after_cue


def _interrupted_rest(text: str, after_cue: int, end: int, tag_continuations: frozenset[str]) -> int | None:
    """Where a quote resumes after its tag (``«Vi kan ikke», sier han, «sikre noe»``), or None."""
    tag_end = text.find(",", after_cue, end)
    if tag_end < 0 or re.search(r"[.!?]", text[after_cue:tag_end]):
        return None
    if len(words(text[after_cue:tag_end])) > 8:
        return None
    resume = tag_end + 1
    while resume < end and text[resume] == " ":
        resume += 1
    if resume < end and text[resume] in '«“"':
        return resume
    if resume < end and text[resume].islower():
        # ", og legger til …", ", til NTB." and ", som …" go on with the tag, not the quote.
        first = text[resume:end].split(maxsplit=1)[0]
        if first in tag_continuations:
            return None
        return resume
    return None


def _apposition(doc: Doc, start: int, end: int) -> bool:
    """Whether the words after a tag's comma have no verb in the parse: a title or description
    of the speaker, not the quote going on (without a parse, no one can tell: False)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not doc_has_parse(doc):
        return False
    return not any(token.pos_ in ("VERB", "AUX") for token in span)


def _sentence_end(text: str, start: int, end: int) -> int:
    match = re.search(r"[.!?](\s|$)", text[start:end])
    return start + match.start() if match else end


def _sentence_start(before: str) -> int:
    """Offset in ``before`` where its last sentence begins."""
    ends = [m.end() for m in re.finditer(r"[.!?][»”\"]?\s+", before)]
    return ends[-1] if ends else len(before) - len(before.lstrip())


def _mixed_span(doc: Doc, start: int, end: int) -> Span | None:
    """A mixed quote's content keeps its quote marks; only spaces and commas are trimmed."""
    start, end = trim(doc_text(doc), start, end, " \t,.–—-")
    return doc.char_span(start, end, alignment_mode="expand") if start < end else None


def _inside_indirect_frame(before: str, cue_by_start: CueIndex, para_start: int) -> bool:
    """Whether the quote mark sits in an ``at``/``om`` clause of a cue in the same sentence."""
    sentence_start = _sentence_start(before)
    segment_start = para_start + sentence_start
    has_cue = bool(cue_by_start.between(segment_start, para_start + len(before)))
    return has_cue and re.search(r"\b(at|om)\b", before[sentence_start:]) is not None


def _is_heading_line(line: str, max_words: int = HEADING_MAX_WORDS) -> bool:
    """Headlines and sub-headings: short, and not ended like a sentence of body text."""
    stripped = DASH_OPENING.sub("", line).strip().rstrip('»”"')
    return 0 < len(words(stripped)) <= max_words and not stripped.endswith((".", ":"))


@Language.factory(
    "kilde_quotes",
    assigns=["doc.spans", "doc._.kilde_quote_attrs"],
    default_config=stage_config("quotes", language=None, model=PACKAGED),
    default_score_weights={"quotes_f": 0.5, "direct_f": 0.0, "exact_f": 0.0},
)
def make_quotes(
    nlp: Language, name: str, language: str | None, model: str | None, scorer: Scorer | None
) -> QuoteFinder:
    """``model``: the line-continuation model, ``"packaged"`` (kilde's trained model), a model
    file's path, or ``null`` for none (every line a paragraph of its own)."""
    lexicon = stage_lexicon(nlp.lang, language)
    return QuoteFinder(
        CueMatcher(nlp.vocab, lexicon),
        lexicon.words_of_class("tagcontinuation"),
        lexicon.grammar_class("not_after_cue"),
        lexicon.words_of_class("opener"),
        lexicon.grammar_class("nonspeaker"),
        name,
        lexicon.language,
        scorer,
        packaged_or_path(model, TASK, PACKAGED_MODEL),
    )
