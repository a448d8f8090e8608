"""Direct quotes: «…», "…", “…”, dialogue-dash paragraphs and quote headings.

The stage finds each direct quote's content and, where the quote carries an
inverted tag (``«…», sier han``), the tag's cue; speakers are left to the
attribution stage. Short quoted fragments inside an indirect frame are not
direct quotes: the attribution stage turns their sentence into a mixed quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kilde.component import KildeComponent, Scorer, stage_config, stage_lexicon
from kilde.cues import ACCORDING, CueIndex, CueMatcher
from kilde.text import DASH_OPENING, Paragraph, char_span, doc_text, paragraphs, quote_pairs, trim, words
from kilde.types import Quote, read_quotes, write_quotes

# What may stand between a quote and its tag: "», sier han", "?» spør hun".
TAG_PUNCTUATION = ' \t,?!…»”"'
HEADING_MAX_WORDS = 12
# Quoted stretches this long (in words) read as statements even without a tag.
STATEMENT_MIN_WORDS = 6
# "Breivik om dommen: – Det var ventet": a headline that names its speaker before a colon.
COLON_DASH_HEADING = re.compile(r"^(?P<frame>[^:]{1,80}):\s*[–—-]\s+(?P<quote>\S.*)$")
FRAME_NAME = re.compile(r"[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ][\w.-]*)*(?=\s+om\s|\s*$)")


@dataclass
class QuoteFinder(KildeComponent):
    """Component ``kilde_quotes``: adds the direct quotes to the quotes stored on the Doc."""

    cues: CueMatcher
    tag_continuations: frozenset[str]
    """Lower-case words after ``…, sier han,`` that go on with the tag, not the quote."""
    not_after_cue: frozenset[str]
    """Words after a cue that show it opens a clause rather than a tag (``viser det at``)."""
    name: str = "kilde_quotes"
    language: str = "nb"
    scorer: Scorer | None = None

    def __call__(self, doc: Doc) -> Doc:
        quotes = read_quotes(doc)
        cue_by_start = CueIndex([span for span in self.cues(doc) if span.label_ != ACCORDING])
        paras = paragraphs(doc)
        for i, para in enumerate(paras):
            following = paras[i + 1] if i + 1 < len(paras) else None
            if para.dash_body_start is not None:
                quote = self._dash_quote(doc, para, following, cue_by_start)
                if quote is not None:
                    quotes.append(quote)
                continue
            heading = self._colon_dash_heading(doc, para)
            if heading is not None:
                quotes.append(heading)
                continue
            quotes.extend(self._marked_quotes(doc, para, cue_by_start))
        write_quotes(doc, quotes)
        return doc

    def _dash_quote(
        self, doc: Doc, para: Paragraph, following: Paragraph | None, cue_by_start: CueIndex
    ) -> Quote | None:
        body = para.dash_body_start
        assert body is not None
        text = doc_text(doc)
        cue = _first_tag_cue(text, body, para.end, cue_by_start, self.not_after_cue)
        if cue is not None:
            content = char_span(doc, body, cue.start_char)
            if content is None:
                return None
            parts = [content]
            # The quote goes on after its tag: "– A, sier hun, b." or "– A, sier hun. – B."
            rest = _interrupted_rest(text, cue.end_char, para.end, self.tag_continuations)
            if rest is None:
                after_tag = _sentence_end(text, cue.end_char, para.end) + 1
                dash = DASH_OPENING.match(text[after_tag : para.end].lstrip(" "))
                if dash:
                    rest = para.end - len(text[after_tag : para.end].lstrip(" ")) + dash.end()
            if rest is not None:
                next_tag = _first_tag_cue(text, rest, para.end, cue_by_start, self.not_after_cue)
                second = char_span(doc, rest, next_tag.start_char if next_tag else para.end)
                if second is not None:
                    parts.append(second)
            return Quote("direct", parts, cue=cue)
        content = char_span(doc, body, para.end)
        if content is None:
            return None
        if (
            content.text.rstrip().endswith("?")
            and following is not None
            and following.dash_body_start is not None
        ):
            return None  # the journalist's question in an interview, answered by the next dash paragraph
        heading = _is_heading_line(para.text)
        return Quote("direct", [content], heading=heading)

    def _colon_dash_heading(self, doc: Doc, para: Paragraph) -> Quote | None:
        match = COLON_DASH_HEADING.match(para.text)
        if match is None or not _is_heading_line(para.text, max_words=HEADING_MAX_WORDS + 6):
            return None
        content = char_span(doc, para.start + match.start("quote"), para.end)
        if content is None:
            return None
        # Only a frame that is a name ("Breivik:", "Breivik om dommen:") names the speaker.
        name = FRAME_NAME.match(match.group("frame"))
        speaker = char_span(doc, para.start + name.start(), para.start + name.end()) if name else None
        return Quote("direct", [content], speaker=speaker, heading=True)

    def _marked_quotes(self, doc: Doc, para: Paragraph, cue_by_start: CueIndex) -> list[Quote]:
        text = para.text
        found: list[Quote] = []
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
            heading = standalone and cue is None and _is_heading_line(text)
            found.append(Quote("direct", parts, cue=cue, heading=heading))
        return found


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
        elif text[start:position].rstrip(' \t»”"').endswith((",", "?", "!", "…")) and _tag_follows(
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
    default_config=stage_config("quotes", language=None),
    default_score_weights={"quotes_f": 0.5, "direct_f": 0.0, "exact_f": 0.0},
)
def make_quotes(nlp: Language, name: str, language: str | None, scorer: Scorer | None) -> QuoteFinder:
    lexicon = stage_lexicon(nlp.lang, language)
    return QuoteFinder(
        CueMatcher(nlp.vocab, lexicon),
        lexicon.words_of_class("tagcontinuation"),
        lexicon.grammar_class("not_after_cue"),
        name,
        lexicon.language,
        scorer,
    )
