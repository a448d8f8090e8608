"""The word classes the attribution rules read, taken once from a language's data (``kilde/lang``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kilde.lexicon import Lexicon
from kilde.roles import RoleNouns


@dataclass(frozen=True)
class AttributionWords:
    """A language's lexicon and the word classes drawn from it."""

    lexicon: Lexicon
    finite: frozenset[str]
    openers: frozenset[str]
    clause_words: frozenset[str]
    adverbs: frozenset[str]
    role_words: frozenset[str]
    roles: RoleNouns
    """The role words, matched through any inflected ending (``lederen``, ``vitner``, ``politiets``)."""
    nonsubjects: frozenset[str]
    subordinators: frozenset[str]
    passive_auxiliaries: frozenset[str]
    negations: frozenset[str]
    frame_words: frozenset[str]
    non_speakers: frozenset[str]
    not_a_subject: frozenset[str]
    anaphoric_openers: frozenset[str]
    object_pronouns: frozenset[str]
    infinitive_prepositions: frozenset[str]
    clause_coordinators: frozenset[str]
    no_one: frozenset[str]
    trailing_time: re.Pattern[str]
    """Time and sentence adverbs closing a phrase: ``sa X i går``."""
    channel: re.Pattern[str]
    """Where the channel a source spoke through begins: ``skriv politiet på Twitter``."""
    adverbial_clause: re.Pattern[str]
    """An adverbial clause opening: ``etter at …``."""
    tag_complement: re.Pattern[str]
    """Where a tag's speaker ends before a complement: ``…, sa X at …``, ``…, mener X etter at …``."""
    inverted_auxiliary: re.Pattern[str]
    """A subject between auxiliary and participle, ending a segment: ``skal X ha``."""
    infinitive_report: re.Pattern[str]
    """The object and preposition between a directive cue and its infinitive: ``ba retten om å …``."""
    impersonal_source: re.Pattern[str]
    """A fronted phrase naming the source of an impersonal passive report, up to its participle
    cue: ``I mandatet vart det fastsett at …``, ``I rapporten er det vist til at …``."""

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> AttributionWords:
        grammar = lexicon.grammar_class
        adverbial = _alternatives(grammar("adverbial_subordinator"))
        prepositions = grammar("infinitive_preposition")
        role_words = (
            lexicon.titles
            | lexicon.organization_nouns
            | lexicon.document_nouns
            | frozenset(lexicon.gendered_nouns)
            | lexicon.anonymous
            | lexicon.media_nouns
        )
        auxiliaries = _alternatives(
            lexicon.words_of_class("passive") | lexicon.perfect_auxiliaries | grammar("impersonal_auxiliary")
        )
        return cls(
            lexicon=lexicon,
            finite=lexicon.words_of_class("finite"),
            openers=lexicon.words_of_class("opener"),
            clause_words=lexicon.words_of_class("clause") | frozenset(lexicon.pronouns),
            adverbs=lexicon.words_of_class("adverb"),
            role_words=role_words,
            # Any ending of up to three letters: "lederen", "vitner", "politiets" (see RoleNouns).
            roles=RoleNouns(role_words, (), any_ending=3),
            nonsubjects=lexicon.words_of_class("nonsubject"),
            subordinators=lexicon.words_of_class("subordinator") | grammar("subordinator"),
            passive_auxiliaries=lexicon.words_of_class("passive"),
            negations=lexicon.words_of_class("negation"),
            frame_words=grammar("frame"),
            non_speakers=grammar("nonspeaker"),
            not_a_subject=grammar("not_a_subject"),
            anaphoric_openers=grammar("anaphoric_opener"),
            object_pronouns=grammar("object_pronoun"),
            infinitive_prepositions=prepositions,
            clause_coordinators=grammar("clause_coordinator"),
            no_one=grammar("no_one"),
            impersonal_source=re.compile(
                rf"\s*(?:I|Av|Fra|Frå|På)\s+(?P<source>[^,.:;]+?)\s+(?:{auxiliaries})\s+det"
                rf"(?:\s+(?:{auxiliaries}))?(?:\s+[a-zæøå]+)?\s*$"
            ),
            trailing_time=re.compile(rf"(?:\s+{_alternatives(grammar('trailing_time'))})+$", re.IGNORECASE),
            channel=re.compile(rf"\s+{_alternatives(grammar('channel'))}\b", re.IGNORECASE),
            adverbial_clause=re.compile(rf"{adverbial}\b"),
            tag_complement=re.compile(rf"\s+(?:{adverbial}\s+)?at\s"),
            inverted_auxiliary=re.compile(
                rf"\b{_alternatives(grammar('inverted_auxiliary'))}\s+"
                r"(?P<np>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*){0,3}|[a-zæøå-]+(?:en|et|a|ne))"
                r"\s+(?:(?:ha|også|ikke|ikkje|òg)\s+)*$"
            ),
            infinitive_report=re.compile(
                r"(?P<object>(?:\s+[^\s,.;:!?«»\"]+){0,6}?)"
                rf"\s+(?:{_alternatives(prepositions)}\s+)?(?P<marker>å)\s+(?=\w)"
            ),
        )


def _alternatives(phrases: frozenset[str]) -> str:
    """A regex group matching any of ``phrases`` (words apart by any white space), longest first."""
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered) + ")"
