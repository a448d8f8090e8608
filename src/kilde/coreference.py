"""Component ``kilde_coreference``: mentions and the entities they refer to, learned from NARC.

Every noun phrase, name and pronoun of the parse is a mention (:func:`find_mentions`); a
logistic regression trained on the Norwegian Anaphora Resolution Corpus
(``training/coreference/train.py``, Bokmål and Nynorsk) scores each mention against the
mentions before it (:func:`pair_features`: head and name matches, agreement, distance, the
pronoun and what it points back to), and each mention joins the entity of its most probable
antecedent when that is probable enough (best-first mention ranking). The features read the
parse and morphology rather than word lists, so the same code serves both written standards.

The entities are stored as the span group ``doc.spans["kilde_coref_mentions"]``
(:data:`kilde.types.COREF_SPANS`): the mentions of every entity with two or more mentions, each
labelled with its entity's number (:func:`kilde.types.read_clusters` gives them back), so they
travel in a ``DocBin`` and through ``nlp.pipe(n_process=…)``. ``kilde_coref`` reads them to
resolve speaker mentions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Literal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kilde.component import PACKAGED, LearnedComponent, Scorer, packaged_or_path, stage_config
from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon
from kilde.linear import LinearModel
from kilde.names import is_genitive, without_genitive
from kilde.roles import RoleNouns
from kilde.text import Ranges, doc_has_parse, paragraphs, quote_pairs
from kilde.types import read_quotes, write_clusters

TASK = "coreference"
Anaphors = Literal["all", "speakers"]
"""Which mentions' entities the stage finds (spaCy's config checks the setting against it)."""
PACKAGED_MODEL = Path(__file__).parent / "models" / "coreference.json"

MENTION_POS = frozenset({"NOUN", "PROPN", "PRON"})
NOMINAL_DEPS = frozenset({"SUBJ", "DOBJ", "IOBJ", "PUTFYLL", "SPRED", "nsubj", "obj", "iobj", "obl", "nmod"})
"""An adjective with one of these functions stands for a noun ("de eldste", "Mange")."""
NAME_PARTS = frozenset({"FLAT", "flat", "flat:name"})
"""The later words of a name hang on its first (``Kari`` ← ``Nordmann``): not mentions of their own."""
NAME_POS = frozenset({"PROPN", "NOUN"})
NAME_HOSTS = frozenset({"PROPN", "NOUN", "X", "ADJ", "NUM"})
"""What the first word of a name can be; a name part hung on anything else is a name of its own."""
EXPLETIVES = frozenset({"FSUBJ", "FOBJ", "expl"})
"""Formal subjects and objects (``det regner``) refer to nothing."""
COORDINATION = frozenset({"KOORD", "KONJ", "conj", "cc"})
EDGE_DEPS = frozenset({"KONJ", "IK", "IP", "cc", "punct"})
SUBJECTS = frozenset({"SUBJ", "nsubj", "nsubj:pass"})
APPOSITIONS = frozenset({"APP", "appos"})
PREDICATIVES = frozenset({"SPRED", "xcomp", "attr"})
"""A predicate nominative (``Hagen er leder``) names the subject of its verb."""
CLAUSE_POS = frozenset({"VERB", "AUX"})
FUNCTION_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "PART", "PUNCT"})
"""Words whose form a feature may name (a closed class); other words are named by their tag."""
MAX_MENTION_TOKENS = 40
"""A longer subtree is a clause the parser hung on a noun: the mention is its head's own phrase."""
WINDOW = 15
PRONOUN_WINDOW = 20
"""Mentions before a mention (a pronoun) that it may refer back to, whatever their words: on NARC
the nearest earlier mention of the same entity lies within these for 95 % of the pronouns and
54 % of the nouns and names that have one (42 % within 10, which scored CoNLL F1 0.002 lower);
names and nouns reach further by shared words (:data:`LOOKBACK`)."""
PRONOUN_KINDS = frozenset({"pronoun", "possessive"})
LOOKBACK = 1000
"""How far back a mention that shares a name or head word with an earlier one may reach (300
missed names met again far into a long text: CoNLL F1 0.003 lower)."""
THRESHOLD = 0.5
COMPOUND_HEAD_LETTERS = 4
"""A shorter head word ends too many unrelated words (``is``, ``år``) to say a compound ends in it."""


@dataclass(frozen=True)
class PersonWords:
    """What a language's data says about people, for mentions the morphology cannot tell:
    a possessive agrees with the thing possessed (``hennes`` is masculine before ``bil``), and a
    noun's grammatical gender is not its referent's sex (``moren`` is masculine in Bokmål)."""

    sexes: Mapping[str, str] = field(default_factory=dict)
    """Lower-cased pronoun forms, first names and noun lemmas -> ``m`` or ``f``."""
    roles: RoleNouns = field(default_factory=lambda: RoleNouns(frozenset(), ()))
    """Role nouns (``statsminister``): a noun whose lemma ends in one stands for a person."""

    @classmethod
    def of(cls, lexicon: Lexicon) -> PersonWords:
        sexes = {
            **lexicon.first_names,
            **lexicon.gendered_nouns,
            **lexicon.pronouns,
            **lexicon.possessives,
        }
        # Plural and neuter entries ("de pl", "den n") tell no sex.
        return cls(
            {word: sex for word, sex in sexes.items() if sex in ("m", "f")}, RoleNouns(lexicon.titles, ())
        )

    def sex(self, span: Span, head: Token, kind: str) -> str:
        """``m``, ``f`` or ``?``: a pronoun's or possessive's by its form, a name's by a first
        name in it (else by the morphology of a person's name), a noun's by its lemma."""
        if kind in PRONOUN_KINDS:
            return self.sexes.get(head.lower_, "?")
        if kind == "name":
            for token in span:
                if token.pos_ == "PROPN" and token.lower_ in self.sexes:
                    return self.sexes[token.lower_]
            gender = head.morph.get("Gender")
            return MORPH_SEX.get(gender[0], "?") if head.ent_type_ == "PER" and len(gender) == 1 else "?"
        return self.sexes.get(head.lemma_.lower(), "?")

    def person(self, head: Token, kind: str, sex: str) -> bool:
        """Whether a mention plainly stands for a person: a known sex, a person's name, a role noun."""
        return (
            sex != "?"
            or head.ent_type_ == "PER"
            or (kind == "noun" and self.roles.matches(head.lemma_.lower()))
        )


NO_PERSON_WORDS = PersonWords()
MORPH_SEX = {"Masc": "m", "Fem": "f"}
"""A person's name's grammatical gender, as the tagger learned it from the treebank's names."""


def _sex_from_full_names(mentions: list[Mention]) -> list[Mention]:
    """A surname alone (``Hansen``) takes the sex of the nearest earlier name that holds it
    and tells its sex (``Kari Hansen``)."""
    out: list[Mention] = []
    sexed_names: list[Mention] = []  # the names so far whose sex is known: all a later one can take
    for mention in mentions:
        if mention.kind == "name":
            if mention.sex == "?" and mention.names:
                earlier = next((m for m in reversed(sexed_names) if mention.names <= m.names), None)
                if earlier is not None:
                    mention = replace(mention, sex=earlier.sex, person=True)
            if mention.sex != "?":
                sexed_names.append(mention)
        out.append(mention)
    return out


@dataclass(frozen=True)
class Mention:
    """A mention and what pair features read about it (computed once per mention)."""

    index: int
    span: Span
    head: Token
    kind: str
    """``pronoun``, ``possessive``, ``name``, ``noun`` or ``other`` (an adjective as noun)."""
    sentence: int
    gender: str
    number: str
    definite: bool
    coordinated: bool
    """The whole coordination (``Kari og Ola``), not one of its conjuncts."""
    words: frozenset[str]
    """Its content words, lower-cased."""
    names: frozenset[str]
    """Its capitalised content words: the parts of a name."""
    text: str
    """Lower-cased, without determiners and edge punctuation: for exact matches."""
    form: str
    """The head word, lower-cased."""
    lemma: str
    entity: str
    """The NER label on the head word, ``-`` for none."""
    subject: bool
    apposition_to: int | None
    """The token index of the word this mention stands in apposition to, if it does."""
    quoted: bool
    """Inside quote marks or a dialogue-dash paragraph: ``jeg`` there is the speaker, not the writer."""
    sex: str = "?"
    """``m`` or ``f`` where the words tell (:class:`PersonWords`), else ``?``."""
    person: bool = False
    """Plainly a person (:meth:`PersonWords.person`)."""

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


def _mention_heads(tokens: Doc | Span) -> Iterator[Token]:
    for token in tokens:
        if token.dep_ in NAME_PARTS and token.pos_ in NAME_POS and token.head.pos_ not in NAME_HOSTS:
            # A name the parser hung on a line break or a conjunction ("Men Hagen"): its own mention.
            yield token
            continue
        if token.is_space or token.dep_ in NAME_PARTS or token.dep_ in EXPLETIVES:
            continue
        possessive = token.pos_ == "DET" and "Yes" in token.morph.get("Poss")
        noun_like = token.pos_ == "ADJ" and token.dep_ in NOMINAL_DEPS
        if token.pos_ in MENTION_POS or possessive or noun_like:
            yield token


BRACKETS = {"(": ")", "[": "]", "«": "»", '"': '"', "'": "'"}
"""Opening marks and their closing ones: NARC's mentions keep a quote or parenthesis that is
closed (or opened) inside them (``" Nadverden "``, ``Frode ( Hansen )``), and drop a lone one."""
CLOSING = {close: open_ for open_, close in BRACKETS.items()}


def _trimmed(doc: Doc, indices: list[int]) -> tuple[int, int] | None:
    if not indices:
        return None
    left, right = indices[0], indices[-1]

    def edge(token: Token) -> bool:
        return token.is_punct or token.is_space or token.dep_ in EDGE_DEPS

    def closes(at: int) -> bool:
        opening = CLOSING.get(doc[at].text)
        return opening is not None and any(doc[k].text == opening for k in range(left, at))

    def opens(at: int) -> bool:
        closing = BRACKETS.get(doc[at].text)
        return closing is not None and any(doc[k].text == closing for k in range(at + 1, right + 1))

    moved = True
    while moved:
        moved = False
        while right > left and edge(doc[right]) and not closes(right):
            right -= 1
            moved = True
        while left < right and edge(doc[left]) and not opens(left):
            left += 1
            moved = True
    return left, right + 1


def mention_ranges(doc: Doc, head: Token) -> list[tuple[tuple[int, int], bool]]:
    """The token ranges a head's mention covers: its phrase, and, for the first conjunct of a
    coordination, the phrase without the other conjuncts too (NARC marks both)."""
    subtree = [t.i for t in head.subtree]
    if len(subtree) > MAX_MENTION_TOKENS:
        subtree = [t.i for t in head.lefts if t.i >= head.i - MAX_MENTION_TOKENS // 2] + [head.i]
    out: list[tuple[tuple[int, int], bool]] = []
    dropped = {
        t.i for child in head.children if child.dep_ in COORDINATION or child.is_space for t in child.subtree
    }
    if head.dep_ in COORDINATION:
        # A later conjunct: its own phrase, without the conjunction in front ("og Ola").
        dropped |= {c.i for c in head.lefts if c.dep_ in EDGE_DEPS}
    whole = _trimmed(doc, subtree)
    if dropped:
        alone = _trimmed(doc, [i for i in subtree if i not in dropped])
        if alone is not None:
            out.append((alone, False))
        if whole is not None and whole != alone and any(doc[i].dep_ in COORDINATION for i in dropped):
            out.append((whole, True))
    elif whole is not None:
        out.append((whole, False))
    return out


def find_mentions(doc: Doc, end: int | None = None, people: PersonWords = NO_PERSON_WORDS) -> list[Mention]:
    """Every mention of the parsed ``doc`` in text order (by start, the longer first); with
    ``end``, only those whose head word comes before token ``end`` (no later mention can be an
    antecedent of one before it). ``people`` tells the sex and personhood of mentions."""
    sentence_of: dict[int, int] = {}
    for number, sentence in enumerate(doc.sents):
        for i in range(sentence.start, sentence.end):
            sentence_of[i] = number
    found: dict[tuple[int, int], tuple[Token, bool]] = {}
    for head in _mention_heads(doc[: len(doc) if end is None else end]):
        for token_range, coordinated in mention_ranges(doc, head):
            found.setdefault(token_range, (head, coordinated))
    ordered = sorted(found.items(), key=lambda item: (item[0][0], -item[0][1]))
    quoted = quoted_text(doc)
    described = [
        _describe(
            index, doc[start:end], head, coordinated, sentence_of[head.i], quoted.contains(head.idx), people
        )
        for index, ((start, end), (head, coordinated)) in enumerate(ordered)
    ]
    return _sex_from_full_names(described)


def quoted_text(doc: Doc) -> Ranges:
    """The characters inside quote marks or after a paragraph's dialogue dash."""
    ranges: list[tuple[int, int]] = []
    for paragraph in paragraphs(doc, skip_boilerplate=False):
        dash = paragraph.dash_body_start
        if dash is not None:
            ranges.append((dash, paragraph.end))
        start = paragraph.start
        ranges.extend((start + open_at + 1, start + close) for open_at, close in quote_pairs(paragraph.text))
    return Ranges(ranges)


def _describe(
    index: int, span: Span, head: Token, coordinated: bool, sentence: int, quoted: bool, people: PersonWords
) -> Mention:
    morph = head.morph
    if head.pos_ in ("PRON", "DET"):
        kind = "possessive" if "Yes" in morph.get("Poss") else "pronoun"
    elif head.pos_ == "PROPN":
        kind = "name"
    elif head.pos_ == "NOUN":
        kind = "noun"
    else:
        kind = "other"
    content = [t for t in span if t.is_alpha and t.pos_ not in ("DET", "ADP", "CCONJ", "SCONJ", "PRON")]
    sex = "?" if coordinated else people.sex(span, head, kind)
    return Mention(
        index=index,
        span=span,
        head=head,
        kind=kind,
        sentence=sentence,
        gender="|".join(morph.get("Gender")) or "?",
        number="Plur" if coordinated else ("|".join(morph.get("Number")) or "?"),
        definite="Def" in morph.get("Definite"),
        coordinated=coordinated,
        words=frozenset(_word(t) for t in content),
        names=frozenset(_word(t) for t in content if t.text[:1].isupper() and t.i != span.sent.start)
        | (frozenset({_word(head)}) if head.pos_ == "PROPN" else frozenset()),
        text=" ".join(_word(t) for t in span if not t.is_punct and t.pos_ != "DET"),
        form=head.lower_,
        lemma=_word(head) if head.lemma_.lower() == head.lower_ else head.lemma_.lower(),
        entity=head.ent_type_ or "-",
        subject=head.dep_ in SUBJECTS,
        apposition_to=head.head.i if head.dep_ in APPOSITIONS else None,
        quoted=quoted,
        sex=sex,
        person=people.person(head, kind, sex),
    )


def _word(token: Token) -> str:
    """A word lower-cased, a name or noun without its genitive ending: ``Lincolns`` matches
    ``Lincoln``, ``Norges`` ``Norge``."""
    return without_genitive(token.lower_) if is_genitive(token) else token.lower_


def _bucket(value: int) -> str:
    """A distance as a coarse class, so one weight serves a range of distances."""
    for limit in (0, 1, 2, 4, 8, 16, 32):
        if value <= limit:
            return str(limit)
    return "more"


def _agreement(a: str, b: str) -> str:
    if a == "?" or b == "?":
        return "unknown"
    return "yes" if set(a.split("|")) & set(b.split("|")) else "no"


def _clause(token: Token) -> int:
    """The token index of the verb whose clause holds ``token`` (the sentence root if none)."""
    node = token.head
    while node.pos_ not in CLAUSE_POS and node.head.i != node.i:
        node = node.head
    return node.i


def _dominates(ancestor: Token, token: Token) -> bool:
    return any(a.i == ancestor.i for a in token.ancestors)


def _edge_word(token: Token) -> str:
    """A first or last word as a feature value: its form for a closed-class word, else its tag."""
    return token.lower_ if token.pos_ in FUNCTION_POS else token.pos_


def _acronym(short: Mention, long: Mention) -> bool:
    """``short`` is the initials of ``long``'s capitalised words (``FN``, ``SV``)."""
    text = short.head.text
    initials = "".join(t.text[0] for t in long.span if t.text[:1].isupper())
    return len(text) >= 2 and text.isupper() and text == initials


def pair_features(anaphor: Mention, antecedent: Mention, rank: int = 0) -> dict[str, float]:
    """What the model reads about ``antecedent`` as what ``anaphor`` refers back to; ``rank``: how
    many candidates of the antecedent's kind stand closer to the anaphor."""
    j, i = anaphor, antecedent
    kinds = f"{i.kind}>{j.kind}"
    features: dict[str, float] = {"bias": 1.0, f"kinds={kinds}": 1.0}
    sentences = j.sentence - i.sentence
    features[f"sentences={_bucket(sentences)}|{j.kind}"] = 1.0
    features[f"mentions={_bucket(j.index - i.index)}|{j.kind}"] = 1.0
    features[f"rank={_bucket(rank)}|{kinds}"] = 1.0
    features[f"gender={_agreement(i.gender, j.gender)}|{kinds}"] = 1.0
    features[f"number={_agreement(i.number, j.number)}|{kinds}"] = 1.0
    if i.quoted or j.quoted:
        features[f"quoted={i.quoted}>{j.quoted}|{kinds}"] = 1.0
    if i.sex != "?" and j.sex != "?":
        features[f"same_sex={i.sex == j.sex}|{kinds}"] = 1.0
    if i.coordinated or j.coordinated:
        features[f"coordinated={i.coordinated}>{j.coordinated}"] = 1.0
    features[f"antecedent_entity={i.entity}|{j.kind}"] = 1.0
    # Conjunctions that let one weight serve one kind of pair at one distance (Durrett & Klein 2013).
    features[f"kinds={kinds}|sentences={_bucket(sentences)}"] = 1.0
    features[f"dep={i.head.dep_}>{j.head.dep_}|{kinds}"] = 1.0
    features[f"antecedent_first={_edge_word(i.span[0])}|{j.kind}"] = 1.0
    features[f"antecedent_last={_edge_word(i.span[-1])}|{j.kind}"] = 1.0
    if sentences == 0:
        same_clause = _clause(i.head) == _clause(j.head)
        if i.subject and same_clause:
            # "sin", "seg": bound by the subject of their own clause.
            features[f"clause_subject|{j.form if j.kind in PRONOUN_KINDS else j.kind}"] = 1.0
        if _dominates(i.head.head, j.head):
            features[f"c_command|same_clause={same_clause}|{kinds}"] = 1.0
        if i.subject and j.head.dep_ in PREDICATIVES and j.head.head.i == i.head.head.i:
            features[f"predicative|{kinds}"] = 1.0
    if i.subject:
        features[f"antecedent_subject|{j.kind}"] = 1.0
    if j.apposition_to == i.head.i:
        features["apposition"] = 1.0
    if i.text and i.text == j.text:
        features[f"same_text|{j.kind}"] = 1.0
    if i.lemma == j.lemma:
        features[f"same_head|{kinds}"] = 1.0
        features[f"same_head|{kinds}|sentences={_bucket(sentences)}"] = 1.0
        if j.words - i.words:
            # "den gamle planen" after "den nye planen": the same noun, another thing.
            features[f"same_head_new_words|{kinds}"] = 1.0
    elif j.form in i.words or j.lemma in i.words:
        features[f"head_in_antecedent|{kinds}"] = 1.0
    elif len(j.lemma) >= COMPOUND_HEAD_LETTERS and any(w.endswith((j.lemma, j.form)) for w in i.words):
        # "sjukehuset" after "Førde sentralsjukehus": the last part of a compound.
        features[f"compound_head|{kinds}"] = 1.0
    if j.text and i.text and j.text != i.text and f" {j.text} " in f" {i.text} ":
        features[f"text_contained|{kinds}"] = 1.0
    if i.span[-1].lower_ == j.span[-1].lower_:
        features[f"same_last|{kinds}"] = 1.0
    if _acronym(j, i) or _acronym(i, j):
        features["acronym"] = 1.0
    shared_names = i.names & j.names
    if shared_names:
        features[f"shared_name|{kinds}"] = 1.0
        if j.names <= i.names:
            features["names_contained"] = 1.0
    elif i.names and j.names:
        features[f"different_names|{kinds}"] = 1.0
    shared = i.words & j.words
    if shared:
        features[f"shared_words|{kinds}"] = math.log1p(len(shared))
    if j.kind in PRONOUN_KINDS:
        form = j.form
        features[f"pronoun={form}|{i.kind}"] = 1.0
        features[f"pronoun={form}|gender={i.gender}|number={i.number}"] = 1.0
        features[f"pronoun={form}|entity={i.entity}"] = 1.0
        features[f"pronoun={form}|sex={i.sex}|person={i.person}"] = 1.0
        features[f"pronoun={form}|sentences={_bucket(sentences)}"] = 1.0
        features[f"pronoun={form}|rank={_bucket(rank)}|{i.kind}"] = 1.0
        features[f"pronoun={form}|quoted={i.quoted}>{j.quoted}"] = 1.0
        if i.kind in PRONOUN_KINDS:
            features[f"pronoun={form}|antecedent={i.form}"] = 1.0
        if i.subject:
            features[f"pronoun={form}|antecedent_subject|sentences={_bucket(sentences)}"] = 1.0
        # Parallel roles: a subject pronoun tends to continue the previous subject.
        features[f"pronoun={form}|deps={i.head.dep_}>{j.head.dep_}"] = 1.0
    elif j.kind == "noun":
        features[f"definite={j.definite}|{i.kind}"] = 1.0
        features[f"noun={j.lemma}|entity={i.entity}"] = 1.0
    return features


def _shares_word(anaphor: Mention, antecedent: Mention) -> bool:
    return bool(anaphor.names & antecedent.names) or anaphor.lemma == antecedent.lemma


def antecedent_candidates(mentions: Sequence[Mention], index: int) -> Iterator[tuple[Mention, int]]:
    """The mentions before ``mentions[index]`` that it may refer back to, nearest first, each
    with its rank among the candidates of its kind: the nearest :data:`WINDOW`
    (:data:`PRONOUN_WINDOW` for a pronoun) whatever their words, and earlier ones that share a
    name or head word with it."""
    anaphor = mentions[index]
    window = PRONOUN_WINDOW if anaphor.kind in PRONOUN_KINDS else WINDOW
    closer: dict[str, int] = {}
    for back in range(index - 1, max(-1, index - LOOKBACK - 1), -1):
        candidate = mentions[back]
        if candidate.end > anaphor.start:
            continue  # nested in each other, or overlapping: never the same entity
        if index - back <= window or _shares_word(anaphor, candidate):
            rank = closer.get(candidate.kind, 0)
            closer[candidate.kind] = rank + 1
            yield candidate, rank


def refers_back(mention: Mention) -> bool:
    """Whether a mention may refer back at all: on NARC an indefinite noun phrase or an adjective
    used as a noun (``en ny skole``, ``mange``) introduces its entity in 98 % of cases, so
    neither is scored as an anaphor (it can still be an antecedent); that halves the pairs."""
    return mention.kind not in ("noun", "other") or (mention.kind == "noun" and mention.definite)


def new_entity_features(anaphor: Mention, candidates: Sequence[tuple[Mention, int]]) -> dict[str, float]:
    """What the model reads about ``anaphor`` starting an entity of its own: the option every
    antecedent candidate competes with (features prefixed ``new|``)."""
    features = {"new|bias": 1.0, f"new|kind={anaphor.kind}": 1.0, f"new|entity={anaphor.entity}": 1.0}
    if anaphor.kind in PRONOUN_KINDS:
        features[f"new|pronoun={anaphor.form}"] = 1.0
    else:
        features[f"new|definite={anaphor.definite}|{anaphor.kind}"] = 1.0
        features[f"new|head={anaphor.lemma}"] = 1.0
    if anaphor.subject:
        features[f"new|subject|{anaphor.kind}"] = 1.0
    features[f"new|dep={anaphor.head.dep_}|{anaphor.kind}"] = 1.0
    features[f"new|first={_edge_word(anaphor.span[0])}|{anaphor.kind}"] = 1.0
    features[f"new|last={_edge_word(anaphor.span[-1])}|{anaphor.kind}"] = 1.0
    features[f"new|length={_bucket(len(anaphor.span))}|{anaphor.kind}"] = 1.0
    if anaphor.quoted:
        features[f"new|quoted|{anaphor.form if anaphor.kind in PRONOUN_KINDS else anaphor.kind}"] = 1.0
    if any(_shares_word(anaphor, candidate) for candidate, _ in candidates):
        features[f"new|shares_word|{anaphor.kind}"] = 1.0
    features[f"new|first_mentions={_bucket(anaphor.index)}"] = 1.0
    return features


def scored_pairs(
    mentions: Sequence[Mention], index: int
) -> tuple[dict[str, float], list[tuple[Mention, dict[str, float]]]] | None:
    """The new-entity features of ``mentions[index]`` and each antecedent candidate with its pair
    features; None for a mention that does not refer back (:func:`refers_back`)."""
    anaphor = mentions[index]
    if not refers_back(anaphor):
        return None
    candidates = list(antecedent_candidates(mentions, index))
    pairs = [(candidate, pair_features(anaphor, candidate, rank)) for candidate, rank in candidates]
    return new_entity_features(anaphor, candidates), pairs


def candidate_probabilities(
    mentions: Sequence[Mention], index: int, model: LinearModel
) -> list[tuple[int, float]]:
    """Each antecedent candidate of ``mentions[index]`` (its index) with the model's probability
    that it is a better choice than starting a new entity (the ranking model's pairwise view)."""
    scored = scored_pairs(mentions, index)
    if scored is None:
        return []
    new, pairs = scored
    offset = model.score(new)
    return [(candidate.index, _sigmoid(model.score(features) - offset)) for candidate, features in pairs]


def antecedent_probabilities(
    mentions: Sequence[Mention], model: LinearModel
) -> list[list[tuple[int, float]]]:
    """:func:`candidate_probabilities` of every mention."""
    return [candidate_probabilities(mentions, index, model) for index in range(len(mentions))]


def _speaks_of_self(token: Token) -> bool:
    """A first- or second-person pronoun (``jeg``, ``eg``, ``vi``, ``du``, ``dere``)."""
    return token.pos_ == "PRON" and bool({"1", "2"} & set(token.morph.get("Person")))


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))


def link(scored: Sequence[Sequence[tuple[int, float]]], threshold: float) -> list[list[int]]:
    """Entities (mention indices, two or more each) from scored candidates: each mention joins
    the entity of its most probable antecedent when that reaches ``threshold`` (best first)."""
    parent = list(range(len(scored)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for index, candidates in enumerate(scored):
        best = max(candidates, key=lambda pair: pair[1], default=None)
        if best is not None and best[1] >= threshold:
            parent[root(index)] = root(best[0])
    groups: dict[int, list[int]] = {}
    for index in range(len(scored)):
        groups.setdefault(root(index), []).append(index)
    return [group for group in groups.values() if len(group) > 1]


def cluster(mentions: Sequence[Mention], model: LinearModel) -> list[list[Mention]]:
    """The entities of two or more mentions, by best-first antecedent choice."""
    groups = link(antecedent_probabilities(mentions, model), model.threshold)
    return [[mentions[index] for index in group] for group in groups]


def chains(mentions: Sequence[Mention], model: LinearModel, anaphors: Iterable[int]) -> list[list[Mention]]:
    """The entities of ``anaphors`` (mention indices) alone: each one's best antecedent, that
    one's, and so on back to the mention that starts the entity. The links are the ones
    :func:`cluster` makes, so an entity here is the part of :func:`cluster`'s that lies on these
    chains, at the cost of a few mentions' candidates instead of every mention's."""
    scored: list[list[tuple[int, float]]] = [[] for _ in mentions]
    todo = sorted(set(anaphors))
    seen: set[int] = set()
    while todo:
        index = todo.pop()
        if index in seen:
            continue
        seen.add(index)
        scored[index] = candidate_probabilities(mentions, index, model)
        best = max(scored[index], key=lambda pair: pair[1], default=None)
        if best is not None and best[1] >= model.threshold:
            todo.append(best[0])
    groups = link(scored, model.threshold)
    return [[mentions[index] for index in group] for group in groups]


@dataclass
class Coreference(LearnedComponent):
    """Component ``kilde_coreference``."""

    name: str = "kilde_coreference"
    scorer: Scorer | None = None
    model: LinearModel | None = None
    language: str = field(default="")
    anaphors: Anaphors = "all"
    """``all``: every mention's entity. ``speakers``: only the entities of the quotes' speakers
    that are first- or second-person pronouns (``jeg``, ``vi``, ``du``), which is what
    ``kilde_coref`` asks about: a named speaker needs no entity, and for ``han``/``hun`` its
    rules choose better than the model (``docs/models.md``). A text without such a speaker costs
    nothing."""
    people: PersonWords = field(init=False, repr=False)
    """The language's words for people (none for a language kilde has no data for)."""
    model_file: ClassVar[str] = "coreference.json"
    model_task: ClassVar[str] = TASK

    def __post_init__(self) -> None:
        known = self.language in SUPPORTED_LANGUAGES
        self.people = PersonWords.of(Lexicon.load(self.language)) if known else NO_PERSON_WORDS

    def settings(self) -> dict[str, Any]:
        return {**super().settings(), "anaphors": self.anaphors}

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None or not doc_has_parse(doc):
            return doc
        if self.anaphors == "speakers":
            heads = {
                q.speaker.root.i
                for q in read_quotes(doc)
                if q.speaker is not None and _speaks_of_self(q.speaker.root)
            }
            if not heads:
                return doc  # no speaker that only an entity can name
            mentions = find_mentions(doc, end=max(heads) + 1, people=self.people)
            entities = chains(mentions, self.model, (m.index for m in mentions if m.head.i in heads))
        else:
            entities = cluster(find_mentions(doc, people=self.people), self.model)
        write_clusters(doc, [[(m.start, m.end) for m in group] for group in entities])
        return doc


@Language.factory(
    "kilde_coreference",
    assigns=["doc.spans"],
    requires=[],  # the parse, morphology and entities when they are there (else it stands aside)
    default_config=stage_config("coreference", model=PACKAGED, anaphors="all"),
    default_score_weights={},
)
def make_coreference(
    nlp: Language, name: str, model: str | None, anaphors: Anaphors, scorer: Scorer | None
) -> Coreference:
    """``model``: ``"packaged"`` (kilde's model trained on NARC), a model file's path, or ``null``;
    ``anaphors``: ``"all"`` (every entity) or ``"speakers"`` (the quotes' speakers' only)."""
    return Coreference(name, scorer, packaged_or_path(model, TASK, PACKAGED_MODEL), nlp.lang, anaphors)
