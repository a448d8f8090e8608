"""What a dependency parse tells attribution, when the pipeline has a parser: the cue verb's
subject, its clausal object, and where a noun phrase gives way to a verb. Without a parse each
function answers None (or leaves its input as it is), and the word rules decide."""

from __future__ import annotations

import itertools

from spacy.tokens import Doc, Span, Token

from kilde.lexicon import Lexicon
from kilde.names import NOUN_POS, SUBJECT_DEPS
from kilde.roles import RoleNouns
from kilde.text import (
    doc_has_parse,
)

FORMAL_SUBJECT_DEPS = frozenset({"FSUBJ", "expl"})
"""``mener det er for seint``: a clause whose subject is the formal ``det`` is a clause too."""
CLAUSAL_OBJECT_DEPS = frozenset({"DOBJ", "ccomp"})
RELATIVE_CLAUSE_DEPS = frozenset({"ATR", "acl:relcl", "acl"})
"""How a relative clause's verb hangs on the noun it describes (NDT's label and UD's)."""
RELATIVE_PRONOUNS = frozenset({"som"})


def document_nouns(lexicon: Lexicon) -> RoleNouns:
    """The nouns that name a citable document (``lang/<nb|nn>/document_nouns.txt``), in any
    number and definiteness (``vedtektene``, ``rapportar``)."""
    endings = {*lexicon.definite_suffixes, *lexicon.plural_endings}
    return RoleNouns(lexicon.document_nouns, tuple(sorted(endings, key=len, reverse=True)))


def cited_document(cue: Token, documents: RoleNouns) -> Token | None:
    """The noun of the document an impersonal report cites by pointing back:
    ``… i dei nye vedtektene. Her heiter det at …``, ``Det heitte vidare at …``.

    Only where the cue has the formal subject and nothing but adverbs, pronouns and
    conjunctions stand before it in its sentence (a fronted ``I rapporten`` names its source
    itself); the mention is the last noun of the sentence before that ``documents`` takes."""
    doc = cue.doc
    if not doc_has_parse(doc) or not any(child.dep_ in FORMAL_SUBJECT_DEPS for child in cue.children):
        return None
    sentence = cue.sent
    fronted = doc[sentence.start : cue.i]
    if any(t.pos_ not in ("ADV", "PRON", "CCONJ") and not t.is_space for t in fronted):
        return None
    # The sentence before, past a line break the segmenter kept as a sentence of its own.
    before = sentence.start
    while before > 0:
        previous = doc[before - 1].sent
        if any(not t.is_space for t in previous):
            for token in reversed(previous):
                if token.pos_ == "NOUN" and documents.matches(token.lower_):
                    return token
            return None
        before = previous.start
    return None


def _parsed_span(doc: Doc, phrase: tuple[int, int]) -> Span | None:
    """The tokens of a character range, when a parser has run (else None)."""
    return doc.char_span(*phrase, alignment_mode="expand") if doc_has_parse(doc) else None


def before_verb(doc: Doc, phrase: tuple[int, int]) -> tuple[int, int]:
    """A noun phrase found by word rules, cut before a verb the parse sees in it
    (``ifølge kommunen kostet …`` -> ``kommunen``); unchanged without a parse."""
    span = _parsed_span(doc, phrase)
    if span is None:
        return phrase
    for previous, token in itertools.pairwise(span):
        if token.pos_ in ("VERB", "AUX"):
            return phrase[0], previous.idx + len(previous)
    return phrase


def relative_antecedent(verb: Token) -> Token | None:
    """The noun a relative clause's verb says something about: "en nabo som sier …" -> "nabo",
    "Kari Holm, som mener …" -> "Kari". The relative pronoun is the clause's subject, and the
    speaker is the noun it stands for; None when ``verb`` heads no relative clause."""
    if verb.dep_ not in RELATIVE_CLAUSE_DEPS or verb.head == verb or verb.head.pos_ not in NOUN_POS:
        return None
    if not any(child.lower_ in RELATIVE_PRONOUNS and child.i < verb.i for child in verb.children):
        return None
    return verb.head


def antecedent_range(antecedent: Token, verb: Token) -> tuple[int, int] | None:
    """Characters of the phrase ``antecedent`` heads up to the relative clause of ``verb``."""
    doc = antecedent.doc
    end = verb.left_edge.i
    while end > antecedent.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    start = antecedent.left_edge.i
    if end <= start:
        return None
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last)


def subject_from_parse(cue: Span) -> tuple[int, int] | None:
    """The cue verb's subject, when a dependency parser has run.

    In the Norwegian Dependency Treebank the finite verb heads the clause, so for
    a participle cue ("har sagt") the subject hangs on the auxiliary.
    """
    doc = cue.doc
    if not doc_has_parse(doc):
        return None
    verbs = [*cue, *(token.head for token in cue if token.dep_ in ("INFV", "aux", "xcomp"))]
    for verb in verbs:
        stranded = stranded_subject(verb)
        subjects = [
            child
            for child in verb.children
            if child.dep_ in SUBJECT_DEPS
            and child.lower_ not in ("det", "dette", "seg", "man")
            and child != stranded
        ]
        # Two subjects are a parser slip around a fronted adverbial ("en halvtime senere
        # bekrefter politiet"): in V2 order the one behind the verb is the subject.
        if len(subjects) > 1 and subjects[-1].i > verb.i:
            subjects = [subjects[-1]]
        antecedent = relative_antecedent(verb)
        # No subject but the relative pronoun (UD's "som" is one, NDT's none): the noun it stands for.
        if antecedent is not None and all(child.lower_ in RELATIVE_PRONOUNS for child in subjects):
            return antecedent_range(antecedent, verb)
        for child in subjects:
            subtree = list(child.subtree)
            if subtree[0].i <= cue.start < subtree[-1].i:
                continue  # a subject phrase cannot contain its own verb
            # A misattached clause ("X at …") is not part of the subject.
            ends = [t.i for t in subtree if t.i > child.i and opens_clause(t)]
            if ends:
                subtree = [t for t in subtree if t.i < ends[0]]
            last = subtree[-1]
            return subtree[0].idx, last.idx + len(last)
    return None


def is_subject_noun_of(cue: Span, phrase: tuple[int, int]) -> bool:
    """Whether the parse reads ``phrase`` as a noun subject of the cue verb ("…, mener dansk
    litteraturkritiker"): a speaker whatever the word lists know. False without a parse."""
    span = _parsed_span(cue.doc, phrase)
    if span is None:
        return False
    root = span.root
    return root.pos_ in ("NOUN", "PROPN") and root.dep_ in ("SUBJ", "nsubj") and root.head in cue


def is_adverbial(doc: Doc, phrase: tuple[int, int]) -> bool:
    """Whether the parse reads the words of ``phrase`` as an adverbial ("Like etter klokka
    14", "I går kveld"), which word rules may take for a subject before a cue. False without
    a parse."""
    span = _parsed_span(doc, phrase)
    return span is not None and span.root.dep_ in ("ADV", "advmod", "obl") and not _subject_misread(span.root)


def _subject_misread(root: Token) -> bool:
    """Whether a noun the parse calls an adverbial is the verb's subject, misread: the verb has
    no subject but a formal ``det`` after it, which is its object ("En lege sa det slik:" comes
    out as an adverbial ``lege`` and a formal subject ``det``)."""
    verb = root.head
    if root.pos_ not in ("NOUN", "PROPN") or verb.i < root.i or verb.pos_ not in ("VERB", "AUX"):
        return False
    children = list(verb.children)
    return not any(c.dep_ in ("SUBJ", "nsubj") for c in children) and any(
        c.dep_ in ("FSUBJ", "expl") and c.i > verb.i for c in children
    )


def stranded_subject(verb: Token, clause: Token | None = None) -> Token | None:
    """The subject of the verb's clausal object (``clause``, or any) that the parse hangs on
    the verb instead.

    A bare reported clause that opens with a pronoun or a short noun phrase ("Kommunen sier de
    ikke har oversikt") often comes out with two subjects of ``sier`` and a clause verb ``har``
    without one. The later subject, between the verb and a subject-less finite object clause,
    is that clause's; the earlier one, before the verb, stays the verb's.
    """
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) < 2 or subjects[0].i > verb.i or subjects[-1].i < verb.i:
        return None
    later = subjects[-1]
    clauses = [clause] if clause is not None else list(verb.rights)
    for child in clauses:
        if (
            child.head == verb
            and child.i > later.i
            and child.dep_ in CLAUSAL_OBJECT_DEPS
            and child.pos_ in ("VERB", "AUX")
            and "Fin" in child.morph.get("VerbForm")
            and not any(grand.dep_ in SUBJECT_DEPS | FORMAL_SUBJECT_DEPS for grand in child.children)
        ):
            return later
    return None


def opens_clause(token: Token) -> bool:
    """A complementiser or a finite verb: where a noun phrase cannot go on."""
    return token.dep_ in ("SBU", "mark") or (
        token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm")
    )


def clause_from_parse(cue: Span, position: int, end: int, nonsubjects: frozenset[str]) -> int | None:
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
            if child.dep_ not in CLAUSAL_OBJECT_DEPS or child.pos_ not in ("VERB", "AUX"):
                continue
            tokens = [t for t in child.subtree if t.dep_ not in ("SBU", "mark") or t.head is not child]
            if not any(grand.dep_ in SUBJECT_DEPS | FORMAL_SUBJECT_DEPS for grand in child.children):
                stranded = stranded_subject(verb, child)
                if stranded is None:
                    continue
                tokens = [*stranded.subtree, *tokens]
            start = tokens[0].idx
            if not position <= start < end:
                continue
            between = cue.doc.text[position : start + len(tokens[0])].lower().split()
            if any(word in nonsubjects for word in between):
                return None
            return start
    return None
