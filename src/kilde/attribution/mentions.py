"""Mention boundaries: where a speaker phrase (a subject, an ``ifølge`` source, a tag) begins
and ends, and whether it can name a source at all."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kilde.attribution.parse import is_adverbial, subject_from_parse
from kilde.attribution.words import AttributionWords
from kilde.text import (
    doc_text,
    last_match,
    trim,
    words,
)
from kilde.types import Quote

COORDINATED_NAMES = re.compile(r"[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)*\s+og\s+[A-ZÆØÅ][\w\s-]*")
COORDINATED_VERB = re.compile(r"(?:,\s*|\s)(?:og|men)\s+(?:også\s+|òg\s+)?$")
APPOSITIVE_NAME = re.compile(r",\s+(?P<name>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w.-]*)+)(?=\s*[,.]|\s*$)")
MAX_SUBJECT_WORDS = 16
MAX_MENTION_WORDS = 18


INITIAL_FOLLOWS = re.compile(r"\s+(?P<word>[A-ZÆØÅ][a-zæøå]\w*)")
"""After an initial's full stop the name goes on with a capitalised word."""


class Mentions:
    """Speaker phrases: the parse's subject of the cue first, where the pipeline has a parser, then
    the word rules (which also catch what the parse misses)."""

    def __init__(self, words: AttributionWords) -> None:
        self.words = words

    def mention(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Tidy a speaker phrase: a pronoun alone, no trailing adverbs, no clause."""
        start, end = trim(text, start, end)
        if start >= end:
            return None
        phrase = text[start:end]
        if not phrase.split():
            return None
        first = phrase.split()[0].lower()
        if first in self.words.lexicon.pronouns and not self.determiner_at(text, start, end):
            return start, start + len(phrase.split()[0])
        if non_speaker(phrase.split(), self.words.non_speakers):
            return None
        channel = self.words.channel.search(phrase)
        if channel:
            phrase = phrase[: channel.start()]
            end = start + channel.start()
        time = self.words.trailing_time.search(phrase)
        if time:
            end = start + time.start()
        if len(words(text[start:end])) > MAX_MENTION_WORDS:
            return None
        return trim(text, start, end)

    # ---------------------------------------------------------- noun phrases
    def subject_before(
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
        # The parse first, where the pipeline has one: the cue verb's subject, if it stands here.
        parsed = subject_from_parse(cue)
        if (
            parsed is not None
            and start <= parsed[0]
            and parsed[1] <= cue.start_char
            and self.plausible_speaker(text[parsed[0] : parsed[1]])
        ):
            return parsed
        # V2 order: a fronted adverbial or object ("Klokka 14 melder politiet at …") pushes the
        # subject behind the verb; the parse says so, the words in front would only guess.
        if (
            parsed is not None
            and parsed[0] >= cue.end_char
            and self.plausible_speaker(text[parsed[0] : parsed[1]])
        ):
            return parsed
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
            first = self.noun_phrase(text, sentence_start, cue.start_char)
            if first is not None and self.subject_phrase(text[first[0] : first[1]], first[0]):
                return first
        # "X har sagt", "X har ikke ment": the auxiliary belongs to the cue.
        aux = re.search(r"\s+(?:har|hadde|ha)(?:\s+[a-zæøå]+){0,3}?\s*$", segment)
        if aux:
            segment = segment[: aux.start()]
        # "X, som er leder, sier": a relative clause inside the subject is skipped.
        segment = re.sub(r",\s+som\s+[^,]+,", lambda m: " " * len(m.group()), segment)
        lead = re.match(r"\s*(?:(?:Men|Og|Så)\s+)?", segment)
        skip = lead.end() if lead else 0
        candidate = self.subject_phrase(segment[skip:], start + skip)
        if candidate is not None and not is_adverbial(doc, candidate):
            return candidate
        # "Under avhøret skal X ha forklart at …": the subject between auxiliary and participle.
        inverted = self.words.inverted_auxiliary.search(text[start : cue.start_char])
        if inverted and self.plausible_speaker(inverted.group("np")):
            return start + inverted.start("np"), start + inverted.end("np")
        # "Eriksson, som mener …": the antecedent of a relative pronoun.
        relative = re.search(r"(?P<np>(?:[A-ZÆØÅ][\w-]*\s+)*[A-ZÆØÅ][\w-]*),?\s+som\s*$", segment)
        if relative:
            return start + relative.start("np"), start + relative.end("np")
        # "… til statsråden, som har bedt …": a role noun as the antecedent.
        relative = re.search(r"(?P<np>[a-zæøå][\w-]*),\s+som\s*$", segment)
        if relative and self.is_role_word(relative.group("np")):
            return start + relative.start("np"), start + relative.end("np")
        # "… at hun mener …": the nearest clause opening.
        boundary = last_match(r"(?:\b(?:at|om|og|men)\s+|[,:]\s+)", segment)
        if boundary is not None:
            inner = self.subject_phrase(segment[boundary.end() :], start + boundary.end())
            if inner is not None:
                return inner
        # Where the rules find nothing, a dependency parse (when the pipeline has one) may.
        return subject_from_parse(cue)

    def subject_phrase(self, chunk: str, offset: int) -> tuple[int, int] | None:
        """``chunk`` (starting at ``offset`` in the text) as a subject phrase, or None."""
        phrase = chunk.strip()
        if phrase.endswith(",") and phrase.count(",") >= 2:
            phrase = phrase[:-1].rstrip()  # "X, appositive, sier"
        if not phrase or phrase.endswith((",", ":")):
            return None
        offset += len(chunk) - len(chunk.lstrip())
        tokens = phrase.split()
        if len(tokens) > MAX_SUBJECT_WORDS or tokens[0].lower() in self.words.openers:
            return None
        clause_inside = any(t.lower() in self.words.finite for t in tokens) or any(
            t.lower() in ("at", "som", "og") for t in tokens[1:]
        )
        # "Tyskland og USA" is one subject; "X har … og" is a clause.
        if clause_inside and not COORDINATED_NAMES.fullmatch(phrase):
            return None
        if not self.plausible_speaker(phrase):
            return None
        return offset, offset + len(phrase.rstrip(" ,"))

    def subject_after(self, text: str, cue: Span, end: int) -> tuple[int, int] | None:
        """The subject after the cue when an adverbial was fronted: ``I går sa X at …``."""
        phrase = self.noun_phrase(text, cue.end_char, end)
        if phrase is None or not self.plausible_speaker(text[phrase[0] : phrase[1]]):
            return None
        return self.mention(text, *phrase)

    def noun_phrase(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Words from ``start`` up to a finite verb, a complementiser, a cue or punctuation."""
        first = re.match(r"\s*(\w+)", text[start:end])
        if (
            first
            and first.group(1).lower() in {*self.words.lexicon.pronouns, *self.words.object_pronouns}
            and not self.determiner_at(text, start + first.start(1), end)
        ):
            return start + first.start(1), start + first.end(1)
        last_end = start
        count = 0
        previous_capitalised = False
        previous = ("", start)  # the last word taken and where the phrase ended before it
        for match in re.finditer(r"[^\s,.;:!?()«»\"“”]+|[,.;:!?()«»\"“”]", text[start:end]):
            token = match.group()
            lower = token.lower()
            following = INITIAL_FOLLOWS.match(text, start + match.end(), end)
            if (
                token == "."
                and previous_capitalised
                and len(previous[0]) == 1
                and following
                and following.group("word").lower() not in self.words.lexicon.function_words
            ):
                last_end = start + match.end()  # a middle initial: "Hans P. Berg"
                continue
            if lower == "å":
                # "truet rektor med å stenge …": the phrase ends before the infinitive's preposition.
                if previous[0] in self.words.infinitive_prepositions:
                    last_end = previous[1]
                break
            if (
                token in ',.;:!?«»"“”'
                or lower in self.words.finite
                or lower in ("at", "om", "til", "overfor", "som")
            ):
                break
            if lower in self.words.lexicon.speech_verbs or (lower in self.words.adverbs and count):
                break
            if token in "()":
                last_end = start + match.end()
                continue
            if count and token.islower() and not self.is_role_word(token):
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

    def plausible_speaker(self, phrase: str) -> bool:
        tokens = phrase.split()
        if not tokens:
            return False
        first = tokens[0].lower().strip("(")
        if non_speaker(tokens, self.words.non_speakers) or first in ("at", "om", "som", "å"):
            return False
        if first in self.words.lexicon.pronouns and not self.determiner_at(phrase, 0, len(phrase)):
            return len(tokens) == 1 or tokens[1].lower() in self.words.adverbs
        return any(t[:1].isupper() or re.match(r"\d+-år", t) for t in tokens) or any(
            self.is_role_word(t) for t in tokens
        )

    def determiner_at(self, text: str, start: int, end: int) -> bool:
        """Whether the pronoun-like word at ``start`` is a determiner of a following noun phrase:
        ``sier den nye lederen`` (a phrase), not ``sier den.`` or ``sier de til NRK``."""
        match = re.match(r"\s*(\w+)\s+([a-zæøå][\w-]*)", text[start:end])
        if match is None or match.group(1).lower() not in self.words.lexicon.determiners:
            return False
        following = match.group(2)
        return not (
            following in self.words.finite
            or following in self.words.adverbs
            or following in self.words.negations
            or following in self.words.lexicon.speech_verbs
            or following in self.words.lexicon.pronouns
            or following in self.words.frame_words
        )

    def is_role_word(self, token: str) -> bool:
        return self.words.roles.matches(token.lower().strip(",."))


def non_speaker(tokens: list[str], non_speakers: frozenset[str]) -> bool:
    """A generic or first/second person subject ("sier en", "mener vi"), which names no source;
    "en"/"ein" before more words is an article ("sier en glad Kari Holm")."""
    first = tokens[0].lower().strip("(") if tokens else ""
    return first in non_speakers and not (first in ("en", "ein") and len(tokens) > 1)
