"""Reported speech read from the dependency parse and judged by a model learned from the corpus.

The rules of ``kilde_attribution`` find indirect speech behind the cue words they list
(``sier at``, ``mener``, ``ifølge``). The long tail escapes them: rare verbs ("slo fast at",
"gjorde et poeng av at"), nouns ("kom med en klar beskjed om at", "Konklusjonen er at"),
infinitives of requests ("ba styret vurdere saken") and cues the lexicon has but whose clause
the rules bound differently. This stage reads every clause or infinitive a word governs in the
parse, directly or through a preposition (``mener [regjeringen tar feil]``, ``advarte mot [at
kuttene rammer de svakeste]``); with a copula, the cue is its subject noun (``Konklusjonen er
[at …]``). A tag verb after a comma reports the clause before it (``[Prisene stiger], heter det i
rapporten``), and a subject the parser hangs on the cue opens the clause it belongs to
(``Kommunen sier [de ikke har oversikt]``).

Each structure is a :class:`Candidate`. A :class:`kilde.linear.LinearModel` trained on the
reported-speech corpus (``training/reported/train.py``) reads its words, the parse around it
and the cue lexicons, and the stage keeps the candidates it accepts where no other quote lies,
with the subject (or the possessor, or the noun of ``i rapporten``, or for ``Her heiter det at …``
the document the sentence before names) as the speaker mention for ``kilde_speakers`` to confirm
or replace. Two further kinds of structure were tried and left out: noun-phrase objects
(``avviste kravet``) and clauses a phrase qualifies (``Ifølge X er …``); on the corpus folds they
added nothing the rules did not have, at two fifths of the stage's time (``docs/models.md``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from spacy.attrs import DEP, HEAD, POS
from spacy.language import Language
from spacy.tokens import Doc, Token

from kilde.attribution.parse import (
    FORMAL_SUBJECT_DEPS,
    RELATIVE_PRONOUNS,
    cited_document,
    document_nouns,
    relative_antecedent,
    stranded_subject,
)
from kilde.component import (
    PACKAGED,
    LearnedComponent,
    LexiconComponent,
    Scorer,
    packaged_or_path,
    stage_config,
    stage_lexicon,
)
from kilde.lexicon import Lexicon
from kilde.linear import LinearModel
from kilde.names import COORDINATED_DEPS, SUBJECT_DEPS
from kilde.text import Ranges, asks, doc_has_parse, doc_text
from kilde.types import Quote, read_quotes, write_quotes

TASK = "reported"
"""The :class:`kilde.linear.LinearModel` task of a reported-speech model."""
PACKAGED_MODEL = Path(__file__).parent / "models" / "reported.json"
"""The model trained on the whole corpus (``training/reported/train.py --all``)."""

CLAUSE_HEADS = frozenset({"VERB", "AUX"})
CUE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ", "PROPN"})
LINKING_POS = frozenset({"ADP", "SCONJ"})
OBJECT_OF_PREPOSITION = frozenset({"PUTFYLL", "obl", "nmod", "obj"})
TAG_DEPS = frozenset({"PAR", "parataxis"}) | COORDINATED_DEPS
"""How the parser hangs a tag verb after a comma on the clause it follows (see :func:`_tag_candidate`)."""
REFLEXIVE_POSSESSIVES = frozenset({"sin", "si", "sitt", "sine"})
"""``Arbeidarpartiet sitt framlegg``: the possessor stands before the possessive."""
COPULAS = frozenset({"være", "vere"})
"""``Konklusjonen er at …``: the report's cue is the copula's subject, not the copula."""
COMPLEMENTISERS = frozenset({"at", "om"})
"""Left out of the content: the report is the clause the complementiser opens."""
VERB_CHAIN_DEPS = frozenset({"INFV", "xcomp", "aux"})
FORMAL_SUBJECTS = frozenset({"det"})
"""``det heiter``, ``det blir sagt``: no source as subject, so one may stand in a phrase."""
SOURCE_PREPOSITIONS = frozenset({"i", "av", "fra", "frå"})
MAX_CONTENT_TOKENS = 120
QUOTE_MARKS = '«»“”"'
EDGE = ",.;:!?–-—" + QUOTE_MARKS + "()"


@dataclass(frozen=True)
class Candidate:
    """A structure in the parse that may report speech: content, cue and speaker mention."""

    cue: Token
    head: Token
    """The content's head: the clause's verb."""
    link: Token | None
    """The preposition between cue and clause (``advarte mot at``), if any."""
    content: tuple[int, int]
    """Character range of the content."""
    speaker: tuple[int, int] | None
    """Token range of the mention the structure names as the source (see :func:`with_speaker`)."""
    tag: bool = False
    """Whether the cue is a tag after the clause it reports (``…, heter det i rapporten``)."""

    @property
    def start_char(self) -> int:
        return self.content[0]

    @property
    def end_char(self) -> int:
        return self.content[1]


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range ``[start, end)`` without edge punctuation, as characters; None if nothing is left."""
    while start < end and (doc[start].is_punct or doc[start].text in EDGE):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].text in EDGE):
        end -= 1
    if start >= end:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _subtree_range(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def _clause_content(head: Token, stranded: Token | None = None) -> tuple[int, int] | None:
    """The clause ``head`` heads, from ``stranded`` on when the parse hung its subject on the cue."""
    start, end = _subtree_range(head)
    if stranded is not None:
        start = min(start, stranded.left_edge.i)
    if end - start > MAX_CONTENT_TOKENS:
        return None
    doc = head.doc
    while start < head.i and (doc[start].lower_ in COMPLEMENTISERS or doc[start].is_punct):
        start += 1
    return _trimmed(doc, start, end)


def _mention(token: Token) -> tuple[int, int]:
    """The phrase a subject token heads, without relative clauses or appositions after a comma.

    A title and the name after it sometimes come out of the parser as two subjects of one verb
    (``Fylkeslege Kari Holm``): adjacent sibling subjects join the mention."""
    start, end = _subtree_range(token)
    for child in token.rights:
        if child.text == "," or child.pos_ in CLAUSE_HEADS:
            end = min(end, child.left_edge.i)
    start, end = min(start, token.i), max(end, token.i + 1)
    if token.dep_ in SUBJECT_DEPS:
        siblings = sorted((c for c in token.head.children if c.dep_ in SUBJECT_DEPS), key=lambda c: c.i)
        for sibling in siblings:
            if sibling.i == end and sibling.pos_ == "PROPN":
                end = max(end, sibling.right_edge.i + 1)
    return start, end


def _verb_chain(token: Token) -> Iterator[Token]:
    """The verb and the auxiliaries above it (``har sagt``: the subject sits on ``har``)."""
    current = token
    for _ in range(3):
        yield current
        if current.dep_ not in VERB_CHAIN_DEPS or current.head == current:
            return
        current = current.head


def _subject(token: Token, shared: bool = True) -> Token | None:
    """The subject of a verb, looking up through its auxiliaries, and for a verb coordinated
    with an earlier one, that verb's (``fann departementet …, og foreslo at …``) unless
    ``shared`` is False (a tag verb the parser calls coordinated shares no subject)."""
    for verb in _verb_chain(token):
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
    if shared and token.dep_ in COORDINATED_DEPS and token.head != token and token.head.pos_ in CLAUSE_HEADS:
        return _subject(token.head)
    return None


def _source_phrase(verb: Token) -> Token | None:
    """The noun of ``i rapporten`` or ``av styret`` on a verb or its auxiliaries: ``I vedtektene
    heiter det at …``, ``Det blir opplyst av politiet at …``."""
    for current in _verb_chain(verb):
        for child in current.children:
            if child.pos_ == "ADP" and child.lower_ in SOURCE_PREPOSITIONS:
                objects = [c for c in child.children if c.dep_ in OBJECT_OF_PREPOSITION]
                if objects and objects[0].pos_ in ("NOUN", "PROPN"):
                    return objects[0]
    return None


def _speaker_of(cue: Token, tag: bool = False) -> tuple[int, int] | None:
    # A participle the tagger calls an adjective still heads a clause when it hangs in a verb
    # chain ("vart det fastsett at …").
    if cue.pos_ in CLAUSE_HEADS or cue.dep_ in VERB_CHAIN_DEPS:
        subject = _subject(cue, shared=not tag)
        if subject is None or subject.lower_ in RELATIVE_PRONOUNS:
            # "en nabo som sier …": the relative pronoun stands for the noun before it.
            antecedent = relative_antecedent(cue)
            if antecedent is not None:
                return _mention(antecedent)
        if subject is None or subject.lower_ in FORMAL_SUBJECTS:
            subject = _source_phrase(cue) or subject
        return _mention(subject) if subject is not None else None
    for child in cue.lefts:  # "hans forslag", "regjeringens beskjed"
        if child.dep_ == "DET" and ("Yes" in child.morph.get("Poss") or child.tag_.endswith("gen")):
            possessors = [c for c in child.lefts if c.pos_ in ("NOUN", "PROPN")]
            if child.lower_ in REFLEXIVE_POSSESSIVES and possessors:
                return _mention(possessors[-1])  # "Arbeidarpartiet sitt framlegg": the party
            return _mention(child)
    governor = cue.head.head if cue.head.pos_ in LINKING_POS else cue.head
    if governor.pos_ in CLAUSE_HEADS and governor != cue:
        subject = _subject(governor)
        if subject is not None and subject != cue:
            return _mention(subject)
    return None


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every structure of the parse that could report speech (see the module's docstring)."""
    return (with_speaker(c) for c in _structures(doc))


def with_speaker(candidate: Candidate) -> Candidate:
    """The candidate with its source mention (found only for the candidates a stage judges)."""
    return replace(candidate, speaker=_speaker_of(candidate.cue, candidate.tag))


def _structures(doc: Doc) -> Iterator[Candidate]:
    # The screen reads the parse as arrays of ids: most words start no structure, and asking each
    # Token for its strings would cost more than the whole stage's judging.
    strings = doc.vocab.strings
    clause_heads = {strings[pos] for pos in CLAUSE_HEADS}
    root = strings["ROOT"]
    tags = doc.to_array([POS, DEP]).tolist()
    # Heads are offsets, stored unsigned: read them back as signed.
    offsets = doc.to_array([HEAD]).view("int64").ravel().tolist()
    tag_deps = {strings[dep] for dep in TAG_DEPS}
    for i, ((pos, dep), offset) in enumerate(zip(tags, offsets, strict=True)):
        if offset != 0 and pos in clause_heads and dep != root:
            yield from _clause_candidate(doc[i])
            if dep in tag_deps and offset < 0:
                yield from _tag_candidate(doc[i])


def _tag_candidate(tag: Token) -> Iterator[Candidate]:
    """The clause before a tag verb after a comma: ``Prisene stiger, heter det i rapporten``.

    The parser hangs such a tag on the clause's verb as a parenthetical, or, after an
    impersonal ``det``, as a coordinated verb; in both the tag's subject follows its verb
    (a coordinated main clause puts it first), and the reported clause is the words before.
    """
    head = tag.head
    doc = tag.doc
    if head.pos_ not in CLAUSE_HEADS or tag.i == 0 or doc[tag.i - 1].text != ",":
        return
    subjects = [c.i for c in tag.children if c.dep_ in SUBJECT_DEPS or c.dep_ in FORMAL_SUBJECT_DEPS]
    if not subjects or min(subjects) < tag.i:
        return
    start = head.left_edge.i
    if start >= tag.i - 1 or tag.i - 1 - start > MAX_CONTENT_TOKENS:
        return
    content = _trimmed(doc, start, tag.i - 1)
    if content is not None:
        yield Candidate(tag, head, None, content, None, tag=True)


def _clause_candidate(head: Token) -> Iterator[Candidate]:
    governor = head.head
    link: Token | None = None
    if governor.pos_ in LINKING_POS and governor.head != governor:
        link, governor = governor, governor.head
    if governor.pos_ not in CUE_POS or governor.is_space:
        return
    opens_clause = any(
        c.dep_ in SUBJECT_DEPS or c.dep_ in FORMAL_SUBJECT_DEPS or c.dep_ in ("SBU", "mark")
        for c in head.children
    )
    stranded = stranded_subject(governor, head) if link is None and not opens_clause else None
    infinitive = "Inf" in head.morph.get("VerbForm")
    if not opens_clause and not infinitive and stranded is None:
        return
    if infinitive and governor.pos_ == "AUX":
        return  # "vil kutte": a modal and its verb, not a report
    content = _clause_content(head, stranded)
    if content is None or content[0] < governor.idx < content[1]:
        return
    cue = governor
    if governor.lemma_.lower() in COPULAS:
        subject = _subject(governor)
        if subject is None or subject.pos_ != "NOUN":
            return
        cue = subject
    yield Candidate(cue, head, link, content, None)


# ------------------------------------------------------------------ features


@dataclass(frozen=True)
class CueWords:
    """What the lexicons say about a cue word."""

    speech: frozenset[str]
    according: frozenset[str]

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> CueWords:
        return cls(lexicon.speech_verbs, lexicon.according_to)


def features(candidate: Candidate, cue_words: CueWords) -> dict[str, float]:
    """What the model reads of one candidate: its words, the parse around it and the lexicons."""
    cue, head, link = candidate.cue, candidate.head, candidate.link
    lemma = cue.lemma_.lower() or cue.lower_
    path = "tag" if candidate.tag else head.dep_ + (f">{link.lower_}" if link is not None else "")
    out: dict[str, float] = {
        "bias": 1.0,
        f"lemma={lemma}": 1.0,
        f"word={cue.lower_}": 1.0,
        f"cue_pos={cue.pos_}": 1.0,
        f"cue_dep={cue.dep_}": 1.0,
        f"path={path}": 1.0,
        f"lemma_path={lemma}|{path}": 1.0,
        f"pos_path={cue.pos_}|{path}": 1.0,
        f"head_pos={head.pos_}": 1.0,
        "speech_lexicon": float(cue.lower_ in cue_words.speech or lemma in cue_words.speech),
        "according_lexicon": float(cue.lower_ in cue_words.according),
        "has_speaker": float(candidate.speaker is not None),
    }
    if link is not None:
        out[f"link={link.lower_}"] = 1.0
        out[f"lemma_link={lemma}|{link.lower_}"] = 1.0
    for child in head.children:
        if child.dep_ in FORMAL_SUBJECT_DEPS:
            out["formal_subject"] = 1.0
        if child.dep_ in ("SBU", "mark"):
            out[f"complementiser={child.lower_}"] = 1.0
            out[f"lemma_complementiser={lemma}|{child.lower_}"] = 1.0
    for name in ("VerbForm", "Tense", "Voice"):
        for value in cue.morph.get(name):
            out[f"cue_{name}={value}"] = 1.0
        for value in head.morph.get(name):
            out[f"head_{name}={value}"] = 1.0
    if cue.pos_ in CLAUSE_HEADS:
        subject = _subject(cue)
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            # "Konklusjonen er at …": the report's noun is the copula's subject.
            out[f"subject_lemma={subject.lemma_.lower()}"] = 1.0
    if candidate.speaker is not None:
        doc = cue.doc
        speaker = doc[candidate.speaker[0] : candidate.speaker[1]]
        root = speaker.root
        out[f"speaker_pos={root.pos_}"] = 1.0
        out[f"speaker_ent={root.ent_type_ or 'none'}"] = 1.0
        if root.pos_ == "PRON":
            out[f"speaker_pronoun={root.lower_}"] = 1.0
        out[f"speaker_lemma={root.lemma_.lower()}"] = 1.0
    out["content_chars"] = math.log1p(candidate.end_char - candidate.start_char)
    before = candidate.end_char <= cue.idx
    marks = has_quote_marks(cue.doc, candidate)
    out["content_before_cue"] = float(before)
    out["quote_marks"] = float(marks)
    # A word reports differently after its content and before it ("…, viser tala" against
    # "viser at …"), and with a quotation inside ("kalla det «ein skandale»").
    out[f"lemma_before={lemma}|{int(before)}"] = 1.0
    out[f"lemma_marks={lemma}|{int(marks)}"] = 1.0
    return out


def has_quote_marks(doc: Doc, candidate: Candidate) -> bool:
    """Whether the content quotes words of its own: a mixed quote."""
    text = doc_text(doc)[candidate.start_char : candidate.end_char]
    return any(mark in text for mark in QUOTE_MARKS)


# ------------------------------------------------------------------ the component


@dataclass
class ReportedSpeech(LearnedComponent, LexiconComponent):
    """Component ``kilde_reported``: indirect and mixed speech the parse shows and the model accepts."""

    lexicon: Lexicon
    name: str = "kilde_reported"
    scorer: Scorer | None = None
    model: LinearModel | None = None
    model_file: ClassVar[str] = "reported.json"
    model_task: ClassVar[str] = TASK

    def __post_init__(self) -> None:
        self.cue_words = CueWords.from_lexicon(self.lexicon)
        self.documents = document_nouns(self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        model = self.model
        if model is None or not doc_has_parse(doc):
            return doc
        quotes = read_quotes(doc)
        scored = [
            (model.probability(features(c, self.cue_words)), c) for c in self.open_candidates(doc, quotes)
        ]
        accepted = [(p, c) for p, c in scored if p >= model.threshold]
        if not accepted:
            return doc
        taken: list[tuple[int, int]] = []
        for _, candidate in sorted(accepted, key=lambda pair: -pair[0]):
            if Ranges(taken).overlaps(candidate.start_char, candidate.end_char):
                continue
            cited = cited_document(candidate.cue, self.documents) if candidate.speaker is None else None
            if cited is not None:
                candidate = replace(candidate, speaker=(cited.i, cited.i + 1))
            quote = to_quote(doc, candidate)
            if quote is not None:
                quotes.append(quote)
                taken.append((candidate.start_char, candidate.end_char))
        quotes.sort(key=lambda q: q.start_char)
        write_quotes(doc, quotes)
        return doc

    def open_candidates(self, doc: Doc, quotes: Iterable[Quote]) -> list[Candidate]:
        """The candidates that lie where no quote of the earlier stages does."""
        occupied = Ranges((q.start_char, q.end_char) for q in quotes)
        cues = {q.cue.start for q in quotes if q.cue is not None}
        return [
            with_speaker(c)
            for c in _structures(doc)
            if c.cue.i not in cues
            and not occupied.overlaps(c.start_char, c.end_char)
            and not _in_question(c.cue)
        ]


def _in_question(token: Token) -> bool:
    """Whether the word stands in a question: it asks, it reports no claim (in an interview
    the question is the journalist's, as the attribution rules read it too)."""
    return asks(token.sent.text)


def to_quote(doc: Doc, candidate: Candidate) -> Quote | None:
    content = doc.char_span(candidate.start_char, candidate.end_char, alignment_mode="expand")
    if content is None:
        return None
    speaker = doc[candidate.speaker[0] : candidate.speaker[1]] if candidate.speaker is not None else None
    return Quote(
        type="mixed" if has_quote_marks(doc, candidate) else "indirect",
        content=[content],
        cue=doc[candidate.cue.i : candidate.cue.i + 1],
        speaker=speaker,
    )


@Language.factory(
    "kilde_reported",
    assigns=["doc.spans", "doc._.kilde_quote_attrs"],
    requires=["doc.spans"],  # and, when it is there, the parse (else it stands aside)
    default_config=stage_config("reported", language=None, model=PACKAGED),
)
def make_reported(
    nlp: Language, name: str, language: str | None, model: str | None, scorer: Scorer | None
) -> ReportedSpeech:
    """``model``: ``"packaged"`` (kilde's trained model), a model file's path, or ``null``."""
    model_found = packaged_or_path(model, TASK, PACKAGED_MODEL)
    return ReportedSpeech(stage_lexicon(nlp.lang, language), name, scorer, model_found)
