"""Boilerplate lines: ad breaks, teasers, bylines, photo credits, site furniture.

Scraped news text keeps the page's furniture on lines of its own between the
paragraphs. The detector looks at one line at a time, combining

* patterns from the language data (``lang/*/boilerplate.txt``: ``Les også: …``,
  ``Foto: …``, ``(©NTB)``, ``Publisert: …``), and
* line features with a look at the neighbouring lines: a name alone on a line,
  ``Kari Nordmann / NTB scanpix``, an image title right above an image caption,
  contact lines with phone numbers or e-mail addresses, a related-article card
  under a section label in the middle of the text.

Every boilerplate line becomes one span in ``doc.spans[BOILERPLATE_SPANS]``
covering the whole line, labelled with its kind: ``ad``, ``teaser``,
``navigation``, ``tip``, ``credit``, ``agency`` or ``byline``.

Lines that open with a quote mark or a dialogue dash are never boilerplate:
they are quotes, quote sub-headings (``– Kort sitat``) included. Captions that
end in a credit (``STENGT: Veien er stengt. Foto: …``) and paragraphs that end
in ``(©NTB)`` are content, so every pattern must match the whole line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kilde.component import LexiconComponent, Scorer, stage_config, stage_lexicon
from kilde.language import BOKMAL_MARKERS, NYNORSK_MARKERS
from kilde.lexicon import Lexicon
from kilde.text import doc_text
from kilde.types import BOILERPLATE_SPANS


def _words(text: str) -> frozenset[str]:
    """A word set written as one space-separated string (keeps long lists readable)."""
    return frozenset(text.split())


BOILERPLATE_KINDS = _words("ad teaser navigation tip credit agency byline")
# Kinds of line that surround an image: a name beside them labels the image.
IMAGE_KINDS = ("credit", "byline")

# Lines longer than this are paragraphs; furniture is short, and the longest
# kind (a tip line asking readers to get in touch) stays well below it.
MAX_WORDS = 60
# A headline-like line: a sub-heading, an image title or a teaser's headline.
MAX_HEADING_WORDS = 14

QUOTE_OPENERS = ("-", "–", "—", "«", '"', "“", "„", "‹")
TERMINAL = (".", "!", "?", "…", ":", ";")

_WORD = re.compile(r"\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Norwegian phone numbers: +47, 8 digits in one block or grouped 2-2-2-2 / 3-2-3.
_PHONE = re.compile(
    r"\+\s?47\b|(?<![\d.,])(\d{2}\s\d{2}\s\d{2}\s\d{2}|\d{3}\s\d{2}\s\d{3}|\d{4}\s\d{4}|\d{8})(?![\d.,])"
)
# Words that make a line with a phone number or e-mail address a newsroom tip
# line. Police appeals ("ring politiet på …") have numbers too, so the words
# must point at the newsroom: tips, the journalist, "ring oss".
_CONTACT_WORDS = re.compile(
    r"\b(nås|naas|tips|tipse|tipsa|tipset|tipstelefon|tipsmottak|journalisten|journalistane|"
    r"journalistene|redaksjonen|vaktsjef|vaktsjefen|desken|(ring|ringe|kontakt|kontakte|send|sende|"
    r"skriv til|sms|mms|e-post til|epost til|mail til) oss)\b",
    re.IGNORECASE,
)
_INVITATION = re.compile(r"^(send|skriv|kontakt|ta kontakt|ring|e-post|epost|mail)\b", re.IGNORECASE)
# "Vi / Redaksjonen / Dagbladet.no ... ønsker å komme i kontakt med ..." is the
# newsroom asking readers for help. The subject check keeps police appeals
# ("Politiet ønsker å komme i kontakt med vitner") in the article.
_NEWSROOM_SUBJECT = re.compile(
    r"^(vi|redaksjonen|journalisten|journalistane|journalistene|reporteren|[\w-]+\.no)\b", re.IGNORECASE
)
_NEWSROOM_REQUEST = re.compile(
    r"\b(interessert i å|ønsker å|ønskjer å|vil gjerne|vil) (gjerne )?"
    r"((komme|kome) i kontakt med|(høre|høyre) (fra|frå) (deg|dykk|dere)|"
    r"(snakke|snakka|prate) med (deg|dykk|dere))\b",
    re.IGNORECASE,
)
# Outlets that may open a newsroom request; the language data's media list is added.
_OUTLETS = frozenset(
    (
        "nrk", "vg", "dagbladet", "aftenposten", "nettavisen", "tv 2", "bt", "bergens tidende",
        "adresseavisen", "klassekampen", "e24", "dn", "dagsavisen", "vårt land", "stavanger aftenblad",
    )
)  # fmt: skip
# An image caption opens with a label in capitals: "STENGT: …", "SMILANDE ARRANGØRAR: …".
_CAPTION_LABEL = re.compile(r"^[A-ZÆØÅÉÜ0-9][A-ZÆØÅÉÜ0-9 ,.'’&/-]*[A-ZÆØÅÉÜ]{2}[A-ZÆØÅÉÜ0-9 ,.'’&/-]*[:!?]\s")
_CAPTION_CREDIT = re.compile(r"\b(foto|bilde|bilete|illustrasjon)\s*:", re.IGNORECASE)
# Name words: "Kari", "Hans-Tore", "S.", "Dalaker". Capitals only, or initial capital.
_NAME_WORD = re.compile(r"^[A-ZÆØÅÉÜÖÄ][a-zæøåéüöäèáó]*(-[A-ZÆØÅÉÜÖÄ][a-zæøåéüöäèáó]*)*\.?$")
_CAPS_WORD = re.compile(r"^[A-ZÆØÅÉÜÖÄ]{2,}(-[A-ZÆØÅÉÜÖÄ]{2,})*$")
# Small words that a sub-heading has and a name lacks ("FAKTA OM SAKEN", "Skred i Nordland").
_FUNCTION_WORDS = _words(
    "i på av til for med om og eller men som er var blir ble vart har hadde det den de dei ein eit en ei "
    "et fra frå ved mot etter under over før uten utan ikke ikkje kan vil skal må ny nye nytt "
    "siste mer meir alt alle vi jeg eg du han hun ho oss meg deg seg vår vårt våre min mitt mine din "
    "sin sitt sine dette her der nå no"
)
# Agencies and photo archives on the right of "Kari Nordmann / NTB scanpix".
_CREDIT_SOURCES = _words(
    "ntb scanpix npk anb nrk reuters afp ap epa getty images ritzau tt privat arkiv vg dagbladet "
    "aftenposten tv 2 bt nettavisen polaris shutterstock istock dpa xinhua"
)
# Words that tell the standards apart in news furniture, beside kilde.language's lists.
_BOKMAL_EXTRA = _words("fortsatt fremdeles veien veier veiene flere hjem hvor hvis ønsker")
_NYNORSK_EXTRA = _words("framleis vegen vegar vegane fleire heim kor viss ønskjer")
_LOWER_LABEL = re.compile(r"^[a-zæøå]{3,20}$")


@dataclass(frozen=True)
class LinePattern:
    """One pattern of the language data: a regex for a whole line and the kind it marks."""

    kind: str
    regex: re.Pattern[str]
    body_only: bool = False

    @classmethod
    def parse(cls, entry: str) -> LinePattern:
        """``kind: regex`` or ``kind@body: regex`` (see ``lang/common/boilerplate.txt``)."""
        head, sep, regex = entry.partition(":")
        kind, _, flag = head.strip().partition("@")
        if not sep or kind not in BOILERPLATE_KINDS or flag not in ("", "body"):
            raise ValueError(f"bad boilerplate pattern {entry!r}: use 'kind: regex' with a known kind")
        return cls(kind, re.compile(regex.strip(), re.IGNORECASE), body_only=flag == "body")


@dataclass(frozen=True)
class Line:
    """A non-empty line of the text with its offsets."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)

    @property
    def is_quote(self) -> bool:
        return self.stripped.startswith(QUOTE_OPENERS)

    @property
    def ends_sentence(self) -> bool:
        return self.stripped.endswith(TERMINAL)

    @property
    def is_heading_like(self) -> bool:
        """Short and without a final full stop: headline, sub-heading, image title."""
        return len(self.words) <= MAX_HEADING_WORDS and not self.ends_sentence and not self.is_quote


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` with their character offsets."""
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append(Line(offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


class BoilerplateDetector(LexiconComponent):
    """Marks the lines of a doc that are not part of the article."""

    def __init__(
        self, lexicon: Lexicon, name: str = "kilde_boilerplate", scorer: Scorer | None = None
    ) -> None:
        self.name = name
        self.scorer = scorer
        self.lexicon = lexicon
        self.patterns: tuple[LinePattern, ...] = tuple(
            LinePattern.parse(entry) for entry in lexicon.boilerplate_patterns
        )
        self.outlets = _OUTLETS | {m.lower() for m in lexicon.media}
        self.first_names = frozenset(name.lower() for name in lexicon.first_names)

    def __call__(self, doc: Doc) -> Doc:
        lines = split_lines(doc_text(doc))
        spans: list[Span] = []
        for line, kind in zip(lines, self.classify(lines), strict=True):
            if kind is None:
                continue
            # The whole line, less any white space around it: "expand" would
            # otherwise pull in the whitespace token that holds the line break.
            start = line.start + len(line.text) - len(line.text.lstrip())
            end = line.end - (len(line.text) - len(line.text.rstrip()))
            span = doc.char_span(start, end, label=kind, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[BOILERPLATE_SPANS] = spans
        return doc

    # -- classification --------------------------------------------------------

    def classify(self, lines: Sequence[Line]) -> list[str | None]:
        """The boilerplate kind of each line, or None for article content."""
        kinds: list[str | None] = [self.line_kind(lines, i) for i in range(len(lines))]
        self._image_titles(lines, kinds)
        self._image_names(lines, kinds)
        self._related_cards(lines, kinds)
        return kinds

    def line_kind(self, lines: Sequence[Line], i: int) -> str | None:
        """Kind of line ``i`` judged by itself and its direct neighbours."""
        line = lines[i]
        text = line.stripped
        if line.is_quote or len(line.words) > MAX_WORDS:
            return None
        for pattern in self.patterns:
            if pattern.body_only and i == 0:
                continue
            if pattern.regex.search(text):
                return pattern.kind
        if self._is_contact_line(text):
            return "tip"
        if _EMAIL.search(text) and len(line.words) <= 10:
            # "Send e-post til …" invites readers; "Kari Nordmann, kari@avis.no" signs the article.
            return "tip" if _INVITATION.match(text) else "byline"
        if self._is_slash_credit(text):
            return "credit"
        if self._is_name_only(lines, i):
            return "credit"
        if _LOWER_LABEL.match(text):
            # A lone lower-case word ("innenriks") is a section label: content
            # lines start with a capital.
            return "navigation"
        return None

    def _is_contact_line(self, text: str) -> bool:
        """A line asking readers to get in touch with the newsroom."""
        if (_EMAIL.search(text) or _PHONE.search(text)) and _CONTACT_WORDS.search(text):
            return True
        if not _NEWSROOM_REQUEST.search(text):
            return False
        lowered = text.lower()
        return bool(_NEWSROOM_SUBJECT.match(text)) or any(
            lowered.startswith(outlet + " ") for outlet in self.outlets
        )

    @staticmethod
    def _is_slash_credit(text: str) -> bool:
        """``Kari Nordmann / NTB scanpix``, ``Foto X / NRK``: a credit with no sentence around it."""
        if text.count("/") != 1 or text.endswith(TERMINAL):
            return False
        left, right = (part.strip() for part in text.split("/"))
        left_words, right_words = left.split(), right.split()
        if not 1 <= len(left_words) <= 5 or not 1 <= len(right_words) <= 3:
            return False
        if not all(_NAME_WORD.match(w) or _CAPS_WORD.match(w) for w in left_words):
            return False
        right_known = all(w.lower() in _CREDIT_SOURCES for w in right_words)
        return right_known or (all(w[:1].isupper() for w in right_words) and len(left_words) >= 2)

    @staticmethod
    def _is_name_only(lines: Sequence[Line], i: int) -> bool:
        """An image label or byline that is only a person's name in capitals (``KARI NORDMANN``)."""
        line = lines[i]
        words = line.stripped.split()
        if not 2 <= len(words) <= 4 or any(w.lower() in _FUNCTION_WORDS for w in words):
            return False
        # A name in ordinary capitalisation is left to _image_names: alone, it
        # may as well be a sub-heading ("Forsvarer Siv Jensen") or a list item.
        return all(_CAPS_WORD.match(w) for w in words)

    # -- rules over several lines ------------------------------------------------

    @staticmethod
    def _image_titles(lines: Sequence[Line], kinds: list[str | None]) -> None:
        """An image's title or alt text sits right above its caption ("HOPPANDE GLADE: …").

        The title is short and has no final full stop; the image block shows
        itself by a credit in or after the caption, or by an ad break above.
        The first line is left alone: it is the headline.
        """
        for i in range(1, len(lines) - 1):
            line, caption = lines[i], lines[i + 1]
            if kinds[i] is not None or not line.is_heading_like or len(line.words) > 8:
                continue
            if not _CAPTION_LABEL.match(caption.stripped) or kinds[i + 1] is not None:
                continue
            credit_after = i + 2 < len(lines) and kinds[i + 2] == "credit"
            credit_inside = bool(_CAPTION_CREDIT.search(caption.stripped))
            furniture_above = kinds[i - 1] is not None
            if credit_after or credit_inside or furniture_above:
                kinds[i] = "credit"

    def _image_names(self, lines: Sequence[Line], kinds: list[str | None]) -> None:
        """A name alone on a line (``Kari Nordmann``) labels an image or signs the article.

        Such a line counts when it stands next to a credit or a caption, or
        when it opens with a known first name and is not an item in a list.
        Otherwise it may as well be a sub-heading that starts with a verb
        ("Forsvarer Siv Jensen"), so it stays.
        """
        for i, line in enumerate(lines):
            if kinds[i] is not None or not _is_title_case_name(line):
                continue
            prev_kind = kinds[i - 1] if i > 0 else None
            next_kind = kinds[i + 1] if i + 1 < len(lines) else None
            next_caption = i + 1 < len(lines) and bool(_CAPTION_LABEL.match(lines[i + 1].stripped))
            beside_image = next_caption or prev_kind in IMAGE_KINDS or next_kind in IMAGE_KINDS
            known_name = i > 0 and line.stripped.split()[0].lower() in self.first_names
            if beside_image or (known_name and not _in_list(lines, i)):
                kinds[i] = "credit"

    def _related_cards(self, lines: Sequence[Line], kinds: list[str | None]) -> None:
        """A section label in the middle of an article heads a card for another article.

        The card's headline follows the label; its lead follows the headline
        and is recognised when it is written in the other standard (a Bokmål
        teaser in a Nynorsk article), since a lead alone looks like any paragraph.
        """
        for i in range(2, len(lines) - 1):
            if kinds[i] != "navigation" or not _is_section_label(lines[i]):
                continue
            headline = lines[i + 1]
            if kinds[i + 1] is not None or not headline.is_heading_like:
                continue
            kinds[i + 1] = "teaser"
            lead = lines[i + 2] if i + 2 < len(lines) else None
            if (
                lead is not None
                and kinds[i + 2] is None
                and not lead.is_quote
                and _in_other_standard(lead.stripped, self.lexicon.language)
            ):
                kinds[i + 2] = "teaser"


def _in_list(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i`` is a list item: next to another name, or in a run of short lines after "…:"."""
    neighbours = [lines[k] for k in (i - 1, i + 1) if 0 <= k < len(lines)]
    if any(_is_title_case_name(line) for line in neighbours):
        return True
    k = i - 1
    while k >= 0 and _is_short_item(lines[k]) and not lines[k].stripped.endswith(":"):
        k -= 1
    return k >= 0 and lines[k].stripped.endswith(":")


def _is_short_item(line: Line) -> bool:
    return len(line.words) <= 6 and not line.stripped.endswith((".", "!", "?"))


def _is_title_case_name(line: Line) -> bool:
    words = line.stripped.split()
    return (
        2 <= len(words) <= 4
        and all(_NAME_WORD.match(w) for w in words)
        and not any(w.lower() in _FUNCTION_WORDS for w in words)
        and not words[-1].endswith(".")
    )


def _is_section_label(line: Line) -> bool:
    return len(line.words) == 1 and line.stripped.isalpha()


def _in_other_standard(text: str, language: str) -> bool:
    """Whether ``text`` is clearly written in the other standard than ``language``.

    Two distinctive words of the other standard and none of this one's: a
    single word ("mer", "sjølv") turns up in either.
    """
    words = re.findall(r"[a-zæøåéèò]+", text.lower())
    nynorsk = sum(w in NYNORSK_MARKERS or w in _NYNORSK_EXTRA for w in words)
    bokmal = sum(w in BOKMAL_MARKERS or w in _BOKMAL_EXTRA for w in words)
    if language == "nn":
        return bokmal >= 2 and nynorsk == 0
    return nynorsk >= 2 and bokmal == 0


@Language.factory(
    "kilde_boilerplate",
    assigns=["doc.spans"],
    default_config=stage_config("boilerplate", language=None),
    default_score_weights={"boilerplate_f": 0.25},
)
def make_boilerplate(
    nlp: Language, name: str, language: str | None, scorer: Scorer | None
) -> BoilerplateDetector:
    return BoilerplateDetector(stage_lexicon(nlp.lang, language), name, scorer)
