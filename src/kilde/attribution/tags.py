"""Tags: what follows a cue, ``…, sier X til Y.``: the speaker, the addressee, and where the tag ends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

from kilde.attribution.mentions import Mentions
from kilde.attribution.words import AttributionWords
from kilde.text import (
    iter_sentences,
    strip_end,
    trim,
    words,
)

ADDRESSEE_MARKER = re.compile(r"\s(?:til|overfor)\s")
TRAILING_ADDRESSEE = re.compile(
    r"\s+(?P<marker>til|overfor)\s+(?P<name>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)*)[\s.]*$"
)
CLAUSE_BREAK = re.compile(
    r",\s+(?:og|men|mens|da|då|etter|før|når|der|som|fordi|samtidig)\b|\s+og\s+(?=legger|legg)"
)
SOURCE_PREPOSITION = re.compile(r"(?:i|av|fra|frå|på)\s+(?=\S)")


@dataclass
class Tag:
    """What follows a cue: who speaks and to whom."""

    speaker: tuple[int, int] | None
    addressee: tuple[int, int] | None


class Tags:
    """Speaker and addressee after a cue, and around a reported clause."""

    def __init__(self, words: AttributionWords, mentions: Mentions) -> None:
        self.words = words
        self.mentions = mentions

    # ------------------------------------------------------------ direct quotes
    def tag_after(self, text: str, cue_end: int, limit: int) -> Tag:
        """Speaker and addressee in ``, sier X til Y.`` after the cue, up to ``limit`` (or the text's end)."""
        sentence_end = sentence_end_after(text, cue_end, min(limit, len(text)))
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
        complement = self.words.tag_complement.search(segment)
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
            time = self.words.trailing_time.search(text, addr_start, addr_end)
            addressee = trim(text, addr_start, time.start() if time else addr_end)
        else:
            mention_text = segment
        mention = self.mentions.mention(text, segment_start, segment_start + len(mention_text))
        return Tag(mention, addressee if addressee and addressee[0] < addressee[1] else None)

    def trailing_addressee(self, text: str, start: int, end: int) -> tuple[int, tuple[int, int]] | None:
        """``bekrefter det samme overfor Fjordposten.``: the addressee closing the sentence is
        the frame's, not the content's. Returns where the frame starts and the addressee."""
        match = TRAILING_ADDRESSEE.search(text, start, end)
        if match is None:
            return None
        name = match.group("name")
        if match.group("marker") == "til" and name not in self.words.lexicon.media:
            return None  # "gi pengene til Røde Kors": only an outlet is told with "til"
        return match.start(), (match.start("name"), match.end("name"))

    def addressee_after(self, text: str, cue: Span, limit: int) -> tuple[int, int] | None:
        match = re.match(
            r"(?:\s+\w+){0,2}?\s+(?:til|overfor)\s+(?!å\s)([^,.:;]+?)(?=\s+(?:at|om)\s|[,.:;]|$)",
            text[cue.end_char : limit],
        )
        if not match:
            return None
        return trim(text, cue.end_char + match.start(1), cue.end_char + match.end(1))

    def closes_sentence(self, text: str, tag: Tag, end: int) -> bool:
        """Whether a tag (speaker, maybe addressee) runs to the end of its sentence: ``…, sier han.``."""
        last = max(b[1] for b in (tag.speaker, tag.addressee) if b is not None)
        rest = text[last:end].strip(" .,")
        if self.words.adverbial_clause.match(rest):
            return True  # "…, mener han etter at …": an adverbial clause belongs to the frame
        if re.match(r"som\s", rest) and text[last:end].lstrip().startswith(","):
            return True  # "…, bekrefter Holm, som sier …": a relative clause about the speaker
        return len(words(rest)) <= 3 and not re.search(r"\b(?:at|om)\b", rest)


def sentence_end_after(text: str, position: int, limit: int) -> int:
    for start, end in iter_sentences(text, position, limit):
        if end > position:
            return strip_end(text, start, end)
    return limit
