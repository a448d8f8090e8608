"""Canonical speaker names from the parse: a name or a description, never an adverb or a clause.

The speaker stages hand coreference a phrase; the string rules of :mod:`kilde.coref` find the
proper name in it by capitalisation. Capitalisation alone glues sentence-initial words and
genitives onto names ("Talentfulle Kari Lie", "Venstres Per Holm", "Per Holm Karis" in
"er Per Holm Karis lærer"), takes a genitive for the speaker ("Karis" in "Karis søster"), and
takes an adverbial or a clause for a speaker phrase ("Klokka 12 melder politiet", "Når det
gjelder saken viser retten til …"). Where a parser ran, this module reads the part of speech,
the dependency and the morphology instead. Without a parse it is not used, and the string
rules stand as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kilde.text import doc_has_parse

NAME_POS = frozenset({"PROPN", "NOUN", "X"})
"""Parts of speech a word of a name may have: the tagger gives rare surnames as nouns."""
NOUN_POS = frozenset({"NOUN", "PROPN"})
"""Common nouns and names."""
NOMINAL_POS = frozenset({"PROPN", "NOUN", "PRON", "X", "NUM"})
"""Parts of speech that can head a speaker phrase."""
SUBJECT_DEPS = frozenset({"SUBJ", "nsubj", "nsubj:pass"})
ADVERBIAL_DEPS = frozenset({"ADV", "advmod", "obl", "advcl"})
"""Dependencies of an adverbial: a time, place or sentence adverb is never the speaker."""
SUBORDINATOR_DEPS = frozenset({"SBU", "mark"})
FLAT_DEPS = frozenset({"FLAT", "flat:name"})
DETERMINER_DEPS = frozenset({"DET", "det", "nummod"})
GENITIVE_DEPS = frozenset({"DET", "APP", "nmod:poss"})
"""Dependencies by which a genitive determines the noun after it ("Karis søster")."""
CLAUSE_POS = frozenset({"SCONJ", "VERB", "AUX"})
NOT_SPEAKER_POS = frozenset({"ADV", "SCONJ", "ADP", "VERB", "AUX", "CCONJ", "PART", "INTJ"})
"""Words that never head a speaker phrase (a determiner or adjective may: "ein av dei", "tiltalte")."""
GENITIVE_ENDINGS = ("'s", "’s", "s", "'", "’")
MODIFIER_DEPS = frozenset({"DET", "ATR", "APP", "FLAT", "det", "amod", "nmod:poss", "flat:name"})
"""Words before a noun that belong to its phrase: determiners, adjectives, titles."""
COORDINATED_DEPS = frozenset({"KOORD", "conj"})
NAME_PART_DEPS = frozenset({"FLAT", "ATR", "APP", "flat:name", "appos", "nmod"})
"""Words after a noun that belong to its phrase: the rest of a name, an apposition, a
prepositional attribute ("talsmann for Vatikanet")."""
LINE_WINDOW = 200
"""How far around a word :meth:`NameParse._common_word` looks for the ends of its line."""
EDGE_POS = frozenset({"ADV", "CCONJ", "SCONJ", "PUNCT", "ADP"})
"""Words that never begin or end a speaker phrase."""


@dataclass(frozen=True)
class NameRange:
    """Where a name stands in the text."""

    start: int
    end: int
    genitive: bool
    """The name is in the genitive and determines the noun after it ("Karis" in "Karis tale")."""


def is_genitive(token: Token) -> bool:
    """A noun or name in the genitive ("Karis", "Aps"), not a possessive pronoun.

    The morphology says so, or, where it leaves the case out, the parse: a name or noun in -s
    that determines a noun after it."""
    if token.pos_ not in NAME_POS:
        return False
    if "Gen" in token.morph.get("Case"):
        return True
    head = token.head
    return (
        token.dep_ in GENITIVE_DEPS
        and head.i > token.i
        and head.pos_ in NAME_POS
        and token.text.endswith(GENITIVE_ENDINGS)
    )


def without_genitive(name: str) -> str:
    """``Karis`` -> ``Kari``, ``NRK's`` -> ``NRK``, ``Paulus'`` -> ``Paulus``."""
    for ending in GENITIVE_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def _opens_clause(token: Token) -> bool:
    """A subordinating conjunction or relative pronoun, or a finite verb: a clause begins here."""
    return token.pos_ == "SCONJ" or token.dep_ in SUBORDINATOR_DEPS or "Fin" in token.morph.get("VerbForm")


def _phrase_head(span: Span) -> Token:
    """The word a phrase is about: of the words whose head lies outside it, a subject first,
    then a noun or name. (spaCy's ``Span.root`` takes the one nearest the sentence's root,
    which in a phrase cut across the parse is often a trailing adverbial.)"""
    outside = [t for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i]
    if not outside:
        return span.root

    def preference(token: Token) -> tuple[bool, bool, int]:
        nominal = token.pos_ in NOMINAL_POS and token.dep_ not in ADVERBIAL_DEPS
        return token.dep_ not in SUBJECT_DEPS, not nominal, token.i

    return min(outside, key=preference)


@dataclass(frozen=True)
class NameParse:
    """What the parse of one Doc says about the names and speaker phrases in it."""

    doc: Doc
    first_names: Collection[str]
    """Lower-cased first names: a word that is one starts a person's name."""

    @classmethod
    def of(cls, doc: Doc, first_names: Collection[str]) -> NameParse | None:
        """The view of a parsed Doc; None without a parse (the string rules then decide)."""
        return cls(doc, first_names) if doc_has_parse(doc) else None

    # ------------------------------------------------------------ names
    def name_within(self, start: int, end: int) -> NameRange | None:
        """The part of the capitalised run ``[start, end)`` that is a name, or None.

        Words before the name go: a preposition, adverb, verb or adjective that opens the
        sentence ("Uten", "Hils", "Talentfulle"), a common noun before a name (a title or
        description: "Manager", "Huset"), and a genitive before a person's name (the party or
        outlet: "Venstres", "CNNs"). A genitive after the name that determines a noun outside
        the run goes too ("Per Holm Karis lærer"), unless it is all there is ("Karis").
        """
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        tokens = [t for t in span if not t.is_punct or t.text.endswith(".")]
        while len(tokens) > 1 and self._before_name(tokens[0], tokens[1:]):
            tokens = tokens[1:]
        if not tokens:
            return None
        if len(tokens) == 1 and (tokens[0].pos_ not in NAME_POS or self._common_word(tokens[0])):
            return None
        while len(tokens) > 1 and self._determines_outside(tokens[-1], span):
            tokens = tokens[:-1]
        last = tokens[-1]
        # The run ends where the text's name does, inside a token like "2." ("melder TV 2.").
        end_char = min(last.idx + len(last), end)
        return NameRange(tokens[0].idx, end_char, self._genitive_name(tokens, span))

    def _common_word(self, token: Token) -> bool:
        """A capitalised word alone that is no name, whatever the recogniser says: a definite noun
        opening a sentence or line ("Begrunnelsen for prisen var …": names take no article
        ending), or a heading of one word on a line of its own ("Juleferie")."""
        if token.lower_ in self.first_names:
            return False
        text = self.doc.text
        # Only the text near the word is read: a text without line breaks stays linear.
        before = text[max(0, token.idx - LINE_WINDOW) : token.idx]
        opens_line = not before.rpartition("\n")[2].strip() and ("\n" in before or token.idx <= LINE_WINDOW)
        definite = token.pos_ == "NOUN" and "Def" in token.morph.get("Definite")
        if definite and (opens_line or token.is_sent_start):
            return True
        after = text[token.idx + len(token) : token.idx + len(token) + LINE_WINDOW]
        rest, newline, _ = after.partition("\n")
        return opens_line and (bool(newline) or len(after) < LINE_WINDOW) and not rest.strip(" \t|:")

    @staticmethod
    def _determines_outside(token: Token, run: Span) -> bool:
        return is_genitive(token) and not run.start <= token.head.i < run.end

    @classmethod
    def _genitive_name(cls, tokens: list[Token], run: Span) -> bool:
        """Whether the name ``tokens`` is a genitive that determines a noun outside ``run``: its
        last word, or, where the last word is in the genitive but hangs on the first, the first
        (the parse of "Kari Olsens uttalelse" hangs "Olsens" on "Kari", "Kari" on the noun)."""
        last = tokens[-1]
        if cls._determines_outside(last, run):
            return True
        if len(tokens) < 2 or "Gen" not in last.morph.get("Case"):
            return False
        first = tokens[0]
        return first.dep_ in GENITIVE_DEPS and first.head.i >= run.end and first.head.pos_ in NAME_POS

    def _before_name(self, token: Token, rest: list[Token]) -> bool:
        if token.lower_ in self.first_names and token.pos_ in NAME_POS and not is_genitive(token):
            return False
        if token.pos_ not in NAME_POS:
            return True
        if is_genitive(token):
            return rest[0].lower_ in self.first_names or rest[0].ent_type_ == "PER"
        if token.dep_ == "APP" and token.head in rest:
            return True  # in apposition to the name after it: a title or description
        if token.ent_iob_ == "O" and rest[0].ent_iob_ == "B" and rest[0].ent_type_ == "PER":
            return True  # "Hils Kari fra meg": the person's name begins after it, by the recogniser
        # A common noun heading into a proper name is a title or a description of it, unless
        # the name hangs on it as its flat continuation ("Bane Nor": one name).
        if rest[0].dep_ in FLAT_DEPS and rest[0].head == token:
            return False
        return token.pos_ == "NOUN" and rest[0].pos_ == "PROPN" and token.dep_ != "FLAT"

    # ---------------------------------------------------- speaker phrases
    def speaker_phrase(self, span: Span, is_person_noun: Callable[[str], bool]) -> Span | None:
        """The phrase that names the speaker ``span`` was chosen for, or None when it names none.

        - A genitive names the phrase it heads when that is a person ("Karis søster", "Aps
          leder"), else the possessor ("Karis tale": Kari).
        - A noun phrase names itself, without a clause inside it ("lederen som tok over") and
          without adverbs at its edges ("også lederen nå").
        - A preposition names its object ("ifølge Kari Lie"); a verb its subject.
        - An adverbial ("Klokka 12", "Særleg", "nå", "blant annet") or a determiner alone is no
          speaker: a noun phrase beside it in ``span`` is, else the subject of the verb it
          modifies, when the parse gives one.
        """
        head = _phrase_head(span)
        if self._genitive_phrase(span, head):
            noun = head.head
            if noun.pos_ in NOMINAL_POS and is_person_noun(noun.lower_):
                return self.doc[span.start : noun.i + 1]
            return span
        if not self._not_a_speaker(head):
            return self._trimmed(span)
        if head.pos_ == "ADP":
            objects = [child for child in head.rights if child.pos_ in NOMINAL_POS and child in span]
            if objects:
                return self._phrase_of(objects[0])
        if head.pos_ in CLAUSE_POS:
            # A main clause's verb names its subject; a subordinate clause, the subject of the
            # verb it modifies ("Når det gjelder saken, mener retten …").
            subordinate = head.dep_ in ADVERBIAL_DEPS or any(
                c.pos_ == "SCONJ" or c.dep_ in SUBORDINATOR_DEPS for c in head.children
            )
            if subordinate:
                return self._subject_of(head.head)
            return self._subject_of(head) or self._subject_of(head.head)
        beside = [
            t for t in span if t.pos_ in NOMINAL_POS and t not in head.subtree and not self._not_a_speaker(t)
        ]
        if beside:
            return self._phrase_of(beside[0])
        subject = self._subject_of(head.head)
        if subject is None and head.pos_ in NOMINAL_POS and head.dep_ in ADVERBIAL_DEPS:
            # A noun the parse calls an adverbial, and the verb has no other subject: most
            # likely the subject itself, misparsed ("Flere kilder opplyser …").
            return self._trimmed(span)
        return subject

    @staticmethod
    def _genitive_phrase(span: Span, head: Token) -> bool:
        """``span`` is a genitive that determines a noun after it ("Karis", "Kari Lies")."""
        return (
            is_genitive(span[-1])
            and head.dep_ in GENITIVE_DEPS
            and head.head.i >= span.end
            and head.head.pos_ in NAME_POS
        )

    @staticmethod
    def _not_a_speaker(token: Token) -> bool:
        """A phrase with this head names no speaker: an adverbial, a determiner alone, a verb."""
        if token.dep_ in SUBJECT_DEPS:
            return token.is_space  # a verb's subject may speak whatever its word class ("Mange mener …")
        if token.text[:1].isupper() and not token.is_sent_start:
            return False  # capitalised inside a sentence: a name, whatever the tagger says
        if token.pos_ in NOT_SPEAKER_POS or token.is_space:
            return True
        # An adverbial ("Klokka 12"), or a determiner or number alone ("Denne", "To").
        return (token.dep_ in ADVERBIAL_DEPS and token.pos_ != "PRON") or token.dep_ in DETERMINER_DEPS

    def _subject_of(self, verb: Token) -> Span | None:
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS and child.pos_ in NOMINAL_POS and not child.is_space:
                return self._phrase_of(child)
        return None

    def group_phrase(self, head: Token) -> Span:
        """A subject's noun phrase with the phrases coordinated with it ("Senterpartiet og SV")."""
        phrase = self._phrase_of(head)
        end = phrase.end
        for child in head.rights:
            if child.dep_ in COORDINATED_DEPS and child.pos_ in NOMINAL_POS:
                end = max(end, self._phrase_of(child).end)
        return self.doc[phrase.start : end]

    def _phrase_of(self, head: Token) -> Span:
        """A subject's noun phrase: the head with the words before it that modify it, and its
        name (a flat chain, an apposition, a prepositional attribute) after it."""
        start = head.i
        for child in head.lefts:
            if child.dep_ in MODIFIER_DEPS and child.pos_ not in CLAUSE_POS:
                start = min(start, child.left_edge.i)
        end = head.i + 1
        for child in head.rights:
            if child.dep_ in NAME_PART_DEPS and child.i == end and child.pos_ not in CLAUSE_POS:
                end = child.right_edge.i + 1
        return self._trimmed(self.doc[start:end])

    def _trimmed(self, span: Span) -> Span:
        """``span`` without a clause inside it (what the head says, not who it is), and without
        adverbs, conjunctions and punctuation at its edges."""
        root = _phrase_head(span)
        start, end = span.start, span.end
        for token in span:
            if _opens_clause(token):
                if token.i < root.i:
                    start = token.i + 1
                elif token.i > root.i:
                    end = token.i
                    break
        while end - start > 1 and self._edge_word(self.doc[start]):
            start += 1
        while end - start > 1 and self._edge_word(self.doc[end - 1]):
            end -= 1
        return self.doc[start:end]

    @staticmethod
    def _edge_word(token: Token) -> bool:
        return token.pos_ in EDGE_POS
