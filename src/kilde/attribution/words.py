"""The word classes the attribution rules read, taken once from a language's data (``kilde/lang``)."""

from __future__ import annotations

from dataclasses import dataclass

from kilde.lexicon import Lexicon


@dataclass(frozen=True)
class AttributionWords:
    """A language's lexicon and the word classes drawn from it."""

    lexicon: Lexicon
    finite: frozenset[str]
    openers: frozenset[str]
    clause_words: frozenset[str]
    adverbs: frozenset[str]
    role_words: frozenset[str]
    nonsubjects: frozenset[str]
    subordinators: frozenset[str]
    passive_auxiliaries: frozenset[str]
    negations: frozenset[str]

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> AttributionWords:
        return cls(
            lexicon=lexicon,
            finite=lexicon.words_of_class("finite"),
            openers=lexicon.words_of_class("opener"),
            clause_words=lexicon.words_of_class("clause") | frozenset(lexicon.pronouns),
            adverbs=lexicon.words_of_class("adverb"),
            role_words=(
                lexicon.titles
                | lexicon.organization_nouns
                | lexicon.document_nouns
                | frozenset(lexicon.gendered_nouns)
                | lexicon.anonymous
                | lexicon.media_nouns
            ),
            nonsubjects=lexicon.words_of_class("nonsubject"),
            subordinators=lexicon.words_of_class("subordinator"),
            passive_auxiliaries=lexicon.words_of_class("passive"),
            negations=lexicon.words_of_class("negation"),
        )
