"""Speaker resolution: pronouns, titles and surnames to the entities they name.

Entities are built in reading order. A proper name starts or extends an
entity (a surname joins the earlier full name; a fuller name upgrades the
canonical one); a pronoun goes to the most recently mentioned person of
compatible gender; a definite title (``statsministeren``) goes to the entity
introduced with that title, else to the latest speaker; a quote with no
speaker of its own continues the previous quote's speaker.

Where ``kilde_coreference`` ran before it, a first- or second-person speaker (``jeg``, ``vi``,
``du``: the rules would name the speaker by the pronoun) takes the name of the entity the learned
model puts it in (the nearest proper-noun mention of that entity); the rules above decide where
it found none. For third-person pronouns and titles the rules choose better than the model.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span

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
from kilde.names import COORDINATED_DEPS, NOUN_POS, SUBJECT_DEPS, NameParse, without_genitive
from kilde.roles import RoleNouns
from kilde.speaker_kinds import PACKAGED_MODEL, TASK, WEB_ADDRESS, is_acronym, relabel
from kilde.text import Ranges, char_span, doc_has_parse, paragraphs, words
from kilde.types import (
    Entity,
    Quote,
    SpeakerKind,
    read_clusters,
    read_quotes,
    write_entities,
    write_quotes,
)

# A run of capitalised words; a full stop may only end an initial ("Knut S. Vikør") or join
# the parts of one word ("A.P.", "St.meld.", "Nettavisa.no").
# An acronym may carry a channel number ("TV 2", "NRK 1").
NAME_RUN = re.compile(
    r"(?<![\w-])(?:[A-ZÆØÅ]{2,}\s\d{1,2}(?![\w,]\d)(?!\w)|[A-ZÆØÅÄÖÜ][\w'’-]*(?:\.(?:[a-zæøå][\w'’-]*|[A-ZÆØÅ](?![a-zæøå])))+\.?"
    r"|[A-ZÆØÅÄÖÜ]\.|[A-ZÆØÅÄÖÜ][\w'’-]*"
    r"|(?:al|el)-[A-ZÆØÅ][\w'’-]*)"
    r"(?:\s+(?:[A-ZÆØÅÄÖÜ]\.|[A-ZÆØÅÄÖÜ][\w'’-]*|al-[A-ZÆØÅ][\w'’-]*|(?:van|von|bin)(?!\w)))*"
)
# How many recent mentions pronouns and titles look back over: news prose refers
# back a few paragraphs, and a bound keeps long texts linear.
LOOKBACK = 200
SENTENCE_END = re.compile(r"[.!?](?=\s)")
SENTENCE_SPAN = 2_000
"""How far back a sentence's start is looked for (a bound keeps long texts linear)."""
# How many following quotes a quote heading may take its speaker from.
HEADING_REACH = 40
HEADING_MATCH = 0.5
"""The share of a quote heading's words a later quote must hold to be the one it repeats."""
HEADING_STEM = 5
HEADING_MIN_WORD = 4
ROLE_CACHE_SIZE = 100_000
"""Words whose title stem one resolver remembers."""
MIDDLE_INITIAL = re.compile(r"\w\.")
PLURAL = "pl"
"""The pronoun class of ``de``/``dei`` in ``lang/<nb|nn>/pronouns.txt``."""
COORDINATION_GAP = re.compile(r"\s*(?:,|og|and|&)\s*")
"""What stands between two names of a coordination."""
COORDINATION = re.compile(r",|&|\b(?:og|and)\b")
GROUP_SENTENCES = 2
"""How many sentence starts back a plural pronoun looks for its group: its own and the one before."""


# NorNE entity types as speaker kinds (a place that speaks is its government or people).
NER_KINDS: dict[str, SpeakerKind] = {
    "PER": "person",
    "ORG": "organization",
    "GPE_ORG": "organization",
    "GPE_LOC": "organization",
    "LOC": "organization",
}


class NamedEntityLookup:
    """The NER labels of a Doc (empty without an NER component), found by character range."""

    def __init__(self, doc: Doc) -> None:
        self.ents = (
            [(e.start_char, e.end_char, e.label_) for e in doc.ents] if doc.has_annotation("ENT_IOB") else []
        )
        self.starts = [start for start, _, _ in self.ents]

    def label(self, start: int, end: int) -> str | None:
        """The label of the entity that overlaps ``[start, end)`` most, if any."""
        best, best_overlap = None, 0
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        for ent_start, ent_end, label in self.ents[first : bisect.bisect_left(self.starts, end)]:
            overlap = min(end, ent_end) - max(start, ent_start)
            if overlap > best_overlap:
                best, best_overlap = label, overlap
        return best


class EntityTable:
    """The entities of one document, indexed by the words of their names."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self._by_word: dict[str, list[Entity]] = {}

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def append(self, entity: Entity) -> None:
        self.entities.append(entity)
        self.index(entity)

    def index(self, entity: Entity) -> None:
        """(Re)index ``entity`` under the words of its current name."""
        for word in entity.name.lower().split():
            bucket = self._by_word.setdefault(word, [])
            if all(known.id != entity.id for known in bucket):
                bucket.append(entity)

    def sharing_words(self, words: list[str]) -> list[Entity]:
        """Entities whose name shares a word with ``words``, in order of creation."""
        found = {e.id: e for word in words for e in self._by_word.get(word, [])}
        return sorted(found.values(), key=lambda e: int(e.id[1:]))


@dataclass(frozen=True)
class LearnedEntities:
    """The entities ``kilde_coreference`` found (``doc.spans["kilde_coref_mentions"]``), by head word."""

    clusters: list[list[Span]]
    cluster_of_token: dict[int, int]
    ner: NamedEntityLookup
    names: NameParse | None
    """How the Doc's names are read, to name the entities' mentions as the speakers' are."""

    @classmethod
    def of(cls, doc: Doc, ner: NamedEntityLookup, names: NameParse | None) -> LearnedEntities | None:
        clusters = read_clusters(doc)
        if not clusters:
            return None
        return cls(clusters, {m.root.i: n for n, group in enumerate(clusters) for m in group}, ner, names)

    def others(self, span: Span) -> list[Span]:
        """The other mentions of the entity ``span``'s head word belongs to: the nearest before
        it first (nearest first), then those after it (in text order)."""
        number = self.cluster_of_token.get(span.root.i)
        if number is None:
            return []
        group = [m for m in self.clusters[number] if m.root.i != span.root.i]
        before = [m for m in group if m.end_char <= span.start_char]
        return [*reversed(before), *(m for m in group if m.start_char >= span.end_char)]


@dataclass(frozen=True)
class NarrationPerson:
    """A person noun that is a subject in the article's own words ("Moren blir opprørt")."""

    mention: Mention
    span: Span


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: SpeakerKind
    name: str | None = None  # the proper name inside the mention, if any
    pronoun: str | None = None  # gender/number class of a pronoun mention
    role: str | None = None  # the title or description stem ("statsminister")
    salient: bool = True  # a speaker or a sentence subject, not a name deep inside a clause
    aliases_hint: str | None = None  # the mention with a title in front ("ordfører Per Lie")
    ner_label: str | None = None  # the NER type over the mention, when the pipeline has NER


@dataclass
class SpeakerResolver(LearnedComponent, LexiconComponent):
    """Component ``kilde_coref``: names each quote's speaker (name, kind, entity) and stores the entities.

    ``model``: the speaker-kind model (:mod:`kilde.speaker_kinds`); without one, or without a
    parse to read, the rules' kinds stand."""

    lexicon: Lexicon
    name: str = "kilde_coref"
    scorer: Scorer | None = None
    model: LinearModel | None = None
    model_file: ClassVar[str] = "speaker_kinds.json"
    model_task: ClassVar[str] = TASK
    _roles: RoleNouns = field(init=False)
    _organizations: RoleNouns = field(init=False)
    _documents: RoleNouns = field(init=False)
    _articles: frozenset[str] = field(init=False)
    _name_prepositions: frozenset[str] = field(init=False)
    _credits: frozenset[str] = field(init=False)
    _kin_nouns: frozenset[str] = field(init=False)
    _new_referents: frozenset[str] = field(init=False)
    _noun_ending: str = field(init=False)
    _not_names: frozenset[str] = field(init=False)
    _finite: frozenset[str] = field(init=False)
    _role_cache: dict[str, str | None] = field(init=False, default_factory=dict)
    _gendered_forms: frozenset[str] = field(init=False)
    """Every gendered noun with each of its endings ("mor", "moren"): the words ``_gender`` knows."""

    def __post_init__(self) -> None:
        lex = self.lexicon
        self._roles = RoleNouns(lex.titles | frozenset(lex.gendered_nouns), lex.definite_suffixes)
        self._gendered_forms = frozenset(
            noun + ending for noun in lex.gendered_nouns for ending in ("", *self._roles.endings)
        )
        self._organizations = RoleNouns(lex.organization_nouns, lex.definite_suffixes)
        self._documents = RoleNouns(lex.document_nouns, lex.definite_suffixes)
        self._articles = lex.grammar_class("article")
        self._name_prepositions = lex.grammar_class("name_preposition")
        self._credits = lex.grammar_class("credit_label")
        self._kin_nouns = lex.grammar_class("kin_noun")
        self._new_referents = lex.grammar_class("new_referent")
        # A noun's inflected endings: definite, and plural ("forsvarere", "soldatar").
        self._noun_ending = "(?:" + "|".join((*lex.definite_suffixes, *lex.plural_endings)) + ")?"
        self._finite = lex.words_of_class("finite")
        # Capitalised only because they open a sentence: never part of a name.
        self._not_names = (
            frozenset(lex.function_words)
            | lex.according_to
            | lex.speech_verbs
            | frozenset(lex.pronouns)
            | self._articles
        )

    def __call__(self, doc: Doc) -> Doc:
        stored = read_quotes(doc)
        quotes = sorted(stored, key=lambda q: (q.start_char, q.end_char))
        entities = EntityTable()
        # (position, entity, salient) of every mention so far, for recency.
        history: list[tuple[int, Entity, bool]] = []
        direct_ranges = Ranges((q.start_char, q.end_char) for q in quotes if q.type == "direct")
        ner = NamedEntityLookup(doc)
        names = NameParse.of(doc, self.lexicon.first_names)
        learned = LearnedEntities.of(doc, ner, names)
        if names is not None:
            for quote in quotes:
                if quote.speaker is not None:
                    quote.speaker = self._speaker_phrase(quote, names)
        narration_names = self._narration_names(doc, direct_ranges, ner, names)
        narration_persons = self._narration_persons(doc, direct_ranges, ner, names)

        events: list[tuple[int, int, object]] = [(m.start, 1, m) for m in narration_names]
        events.extend((person.mention.start, 1, person) for person in narration_persons)
        for n, quote in enumerate(quotes):
            position = quote.speaker.start_char if quote.speaker is not None else quote.start_char
            events.append((min(position, quote.start_char) if quote.speaker is None else position, 0, n))
        events.sort(key=lambda e: (e[0], e[1]))

        previous_speaker: Entity | None = None
        # Events run in the order of the speaker mentions, which may stand well before their
        # quote: the previous speaker is that of the latest quote in the text read so far.
        previous_at = -1
        headings: list[Quote] = []
        framed_headings: list[tuple[Quote, Mention]] = []
        for position, _, item in events:
            if isinstance(item, Mention):
                entity = self._entity_for_name(item, entities, history, doc)
                history.append((position, entity, item.salient))
                continue
            if isinstance(item, NarrationPerson):
                history.append((position, self._entity_for_person(item, entities, history), True))
                continue
            quote = quotes[item]  # type: ignore[index]
            speaker = quote.speaker
            if speaker is None:
                if quote.heading:
                    headings.append(quote)
                    continue
                # The first untagged quote of an interview answers the person it presents.
                entity = _continued_speaker(previous_speaker, quote, history)
            else:
                mention = self.describe(speaker.text, speaker.start_char, ner, names)
                if quote.heading and mention.pronoun is None and mention.name is None:
                    # "Soldat til moren: – …" previews the story: its description is resolved once
                    # the body has introduced whom it describes ("En russisk soldat klager …").
                    framed_headings.append((quote, mention))
                    continue
                entity = None
                if mention.pronoun == PLURAL and names is not None:
                    entity = self._group_entity(speaker, entities, history, direct_ranges, ner, names)
                elif not self._rules_resolve(mention, speaker):
                    entity = self._learned_entity(mention, speaker, learned, entities, history, doc)
                if entity is None:
                    entity = self._resolve(mention, entities, history, previous_speaker, doc, speaker)
                if entity is not None:
                    history.append((position, entity, True))
            if entity is not None:
                _assign(quote, entity)
                if quote.start_char > previous_at:
                    previous_speaker, previous_at = entity, quote.start_char
            elif quote.speaker is not None:
                speaker = quote.speaker
                quote.speaker_kind = self.describe(speaker.text, speaker.start_char, ner, names).kind
        for quote, mention in framed_headings:
            described = mention.name or _description(mention.text, self._articles)
            entity = next((e for e in entities if e.name.lower() == described.lower()), None)
            entity = entity or self._resolve(mention, entities, history, None, doc, quote.speaker)
            if entity is not None:
                _assign(quote, entity)
        quote_starts = [q.start_char for q in quotes]
        for quote in headings:
            entity = _heading_speaker(quote, quotes, quote_starts)
            if entity is not None:
                quote.speaker_name, quote.speaker_kind, quote.entity_id = entity
        by_id = {entity.id: entity for entity in entities}
        for quote in quotes:
            # An entity may have got a fuller name after this quote was assigned to it.
            if quote.entity_id in by_id:
                quote.speaker_name = by_id[quote.entity_id].name
        if self.model is not None and doc_has_parse(doc):
            relabel(self.model, list(entities), quotes, self.lexicon.first_names)
        for entity in entities:
            unique = {(m.start_char, m.end_char): m for m in entity.mentions}
            entity.mentions = sorted(unique.values(), key=lambda m: m.start_char)
        write_entities(doc, [e for e in entities if e.mentions])
        write_quotes(doc, stored)
        return doc

    # ----------------------------------------------------------- mentions
    def describe(
        self, text: str, start: int, ner: NamedEntityLookup | None = None, names: NameParse | None = None
    ) -> Mention:
        """Classify a speaker phrase: pronoun, named entity, title or description.

        ``names``: the parse's view of the Doc, which bounds the names (without it, capitalisation does)."""
        stripped = text.strip()
        lower = stripped.lower()
        mention = Mention(start, start + len(text), stripped, "unknown")
        if lower in self.lexicon.pronouns:
            mention.pronoun = self.lexicon.pronouns[lower]
            mention.kind = "person" if mention.pronoun in ("m", "f") else "unknown"
            return mention
        mention.name = self._proper_name(stripped, start + len(text) - len(text.lstrip()), names)
        mention.role = self._role(stripped)
        mention.ner_label = ner.label(start, start + len(text)) if ner is not None else None
        mention.kind = self._kind(stripped, mention)
        return mention

    def _speaker_phrase(self, quote: Quote, names: NameParse) -> Span | None:
        """The quote's speaker mention as the phrase that names the speaker; None when it names none
        (the quote then continues the previous quote's speaker)."""
        assert quote.speaker is not None
        phrase = names.speaker_phrase(quote.speaker, self._is_person_noun)
        if phrase is not None and phrase != quote.speaker and quote.encloses(phrase):
            return None  # the subject found instead stands inside the quote: it is not its source
        return phrase

    def _is_person_noun(self, word: str) -> bool:
        """A title or a noun for a person ("søster", "leder"), maybe inflected."""
        return self._role_of(word) is not None

    def _proper_name(self, phrase: str, start: int = 0, names: NameParse | None = None) -> str | None:
        """The longest proper name in ``phrase`` (which starts at ``start`` in the Doc).

        A name in the phrase's head comes before one in an attribute after a preposition:
        "meteorolog Kari Holm hos Vêrtenesta AS" is Kari Holm, and so is "sjef Kari Holm på
        spørsmål frå Per Lie"; a person named only after the preposition still counts ("leiar
        i Firmaet AS Tor Holm")."""
        best: str | None = None
        in_head = True
        named: list[tuple[int, int, str]] = []  # (start, end, name) of each name in the head
        for match in NAME_RUN.finditer(phrase):
            run_start, run_end = match.start(), match.end()
            genitive = False
            if names is not None:
                found = names.name_within(start + run_start, start + run_end)
                if found is None:
                    continue
                run_start, run_end, genitive = found.start - start, found.end - start, found.genitive
            tokens = phrase[run_start:run_end].split()
            preceding = phrase[:run_start].split()
            if in_head and any(word.lower() in self._name_prepositions for word in preceding[1:]):
                if best is not None:
                    break
                in_head = False
            if preceding and preceding[-1].lower() in self._name_prepositions:
                # "leder i Wattsight Tor Holm": the organisation comes first, the person after it.
                firsts = [i for i, t in enumerate(tokens) if t.lower() in self.lexicon.first_names]
                if not firsts:
                    continue
                tokens = tokens[firsts[0] :]
            # Drop a capitalised title or function word at the start ("Statsminister Ola Holm", "Ifølge NTB").
            while tokens and (
                tokens[0].lower() in self._not_names
                or (self._role_of(tokens[0]) is not None and len(tokens) > 1)
            ):
                tokens = tokens[1:]
            if not tokens or (len(tokens) == 1 and self._role_of(tokens[0]) is not None):
                continue
            candidate = " ".join(tokens).rstrip(".")
            head = re.match(r"\s+([a-zæøå-]+)", phrase[run_end:])
            if head and self._organizations.matches(head.group(1)):
                candidate += " " + head.group(1)  # "Statens vegvesen", "Bergen kommune"
                run_end += head.end()
            elif genitive and phrase[run_end:].strip():
                continue  # "Karis søster": the name only says whose sister
            elif genitive:
                candidate = without_genitive(candidate)  # the speaker "Karis" (tale) is Kari
            if in_head:
                named.append((run_start, run_end, candidate))
            if best is None or len(candidate.split()) > len(best.split()):
                best = candidate
        return _coordinated(phrase, named) or best

    def _role_of(self, word: str) -> str | None:
        """The title stem a word is or ends in ("UP-sjefen" -> "up-sjef"), memoised per word."""
        lower = word.lower().strip(",.()")
        if lower not in self._role_cache:
            if len(self._role_cache) >= ROLE_CACHE_SIZE:
                # A long-lived pipeline meets ever new words: start over rather than grow without end.
                self._role_cache.clear()
            self._role_cache[lower] = self._roles.stem_of(lower)
        return self._role_cache[lower]

    def _role(self, phrase: str) -> str | None:
        for word in phrase.split():
            role = self._role_of(word)
            if role is not None:
                return role
        return None

    def _kind(self, phrase: str, mention: Mention) -> SpeakerKind:
        lex = self.lexicon
        lower = phrase.lower()
        tokens = [t.strip(",.()") for t in phrase.split()]
        head_words = _before_preposition(tokens, self._name_prepositions)  # a person, not NRK
        if any(name in lex.media for name in _ngrams(head_words)) or any(
            t.lower().endswith(tuple(lex.media_nouns)) for t in head_words
        ):
            return "media"
        if lower in lex.anonymous or any(t.lower() in lex.anonymous for t in tokens[:2]):
            return "anonymous"
        head = _head_word(tokens, self._name_prepositions)
        if head and self._documents.matches(head):
            return "document"
        if mention.name is not None and WEB_ADDRESS.search(mention.name + phrase):
            return "document"  # a web site cited as a source ("Varsom.no")
        if mention.name is not None:
            first = mention.name.split()[0].lower()
            if first in lex.first_names or (len(mention.name.split()) >= 2 and mention.role is not None):
                return "person"
        # "Hovedredningssentralen Nord-Norge", "Statens vegvesen": an institution noun in the name.
        institution = any(
            self._organizations.matches(t.lower())
            for t in _before_preposition(tokens, self._name_prepositions)
        )
        if mention.role is not None and not institution:
            return "person"
        if institution or (head and is_acronym(head)):
            return "organization"
        if mention.name is not None:
            # Neither a first name nor a title decides it: a trained NER may.
            if mention.ner_label in NER_KINDS:
                return NER_KINDS[mention.ner_label]
            return (
                "person" if len(mention.name.split()) >= 2 or not is_acronym(mention.name) else "organization"
            )
        return "unknown"

    def _is_main_subject(self, before: str, after: str) -> bool:
        """A name followed by its finite verb, outside any subordinate clause: "X (SV), har sagt …"."""
        if re.search(r"\b(?:at|som|om|når|da|då|fordi|etter)\b", before):
            return False
        after = re.sub(r"^\s*\([^)]*\)", "", after)
        after = re.sub(r"^,[^,]{0,80},", "", after)
        verb = re.match(r"\s*,?\s*(\w+)", after)
        return bool(verb) and (
            verb.group(1).lower() in self._finite
            or re.fullmatch(r"[a-zæøå]+(?:er|ar|te|et|de)", verb.group(1))
        )

    def _narration_names(
        self, doc: Doc, direct_ranges: Ranges, ner: NamedEntityLookup, names: NameParse | None
    ) -> list[Mention]:
        """Person names in the article's own sentences, so pronouns can find them."""
        found: list[Mention] = []
        for para in paragraphs(doc):
            for match in NAME_RUN.finditer(para.text):
                run_start, run_end = match.start(), match.end()
                if names is not None:
                    bounds = names.name_within(para.start + run_start, para.start + run_end)
                    if bounds is None:
                        continue
                    run_start, run_end = bounds.start - para.start, bounds.end - para.start
                run = para.text[run_start:run_end]
                start = para.start + run_start
                if direct_ranges.contains(start):
                    continue
                tokens = run.split()
                preceding = para.text[:run_start].split()
                if preceding and preceding[-1].lower() in self._name_prepositions:
                    continue
                if preceding and preceding[-1].endswith(":") and preceding[-1][:-1].lower() in self._credits:
                    continue  # "Foto: Kari Holm / NRK": the photographer, not someone in the story
                # Without a parser, only names that look personal count: a known first
                # name, or a title right before the name ("fisker Tor Bakken").
                named = [t for t in tokens if t.lower() not in self._not_names and self._role_of(t) is None]
                titled = len(named) < len(tokens) or (preceding and self._role_of(preceding[-1]) is not None)
                inside_sentence = run_start > 0 and not re.search(r"[.!?:]\s*$", para.text[:run_start])
                tagged_person = ner.label(start, start + len(run)) == "PER"
                if not named or not (
                    named[0].lower() in self.lexicon.first_names
                    or (len(named) >= 2 and (titled or inside_sentence))
                    or tagged_person
                ):
                    continue
                mention = self.describe(run, start, ner, names)
                if preceding and self._role_of(preceding[-1]) is not None:
                    # "ordfører Per Lie": keep the title, so "ordføreren" can find him later.
                    mention.aliases_hint = f"{preceding[-1]} {run}"
                if mention.kind == "person" and mention.name:
                    sentence_so_far = re.split(r"[.!?]\s", para.text[:run_start])[-1]
                    mention.salient = (
                        len(words(sentence_so_far)) <= 3
                        or self._is_main_subject(sentence_so_far, para.text[run_end:])
                        or _parsed_main_subject(doc, start, start + len(run))
                    )
                    found.append(mention)
        return found

    def _narration_persons(
        self, doc: Doc, direct_ranges: Ranges, ner: NamedEntityLookup, names: NameParse | None
    ) -> list[NarrationPerson]:
        """Subjects of the article's own sentences that are a definite person noun of known gender
        ("Moren blir opprørt"), so that "hun" after them can find them and not the last named
        person; read from the parse, so none without one."""
        if not doc_has_parse(doc):
            return []
        found: list[NarrationPerson] = []
        for token in doc:
            if token.dep_ not in SUBJECT_DEPS or token.pos_ != "NOUN" or direct_ranges.contains(token.idx):
                continue
            if "Def" not in token.morph.get("Definite"):
                continue
            if token.lower_ not in self._gendered_forms and token.lower_ not in self.lexicon.first_names:
                continue  # no gender to read from the word (as _gender reads it): skip describing it
            span = doc[token.i : token.i + 1]
            mention = self.describe(span.text, span.start_char, ner, names)
            if mention.kind == "person" and self._gender(mention) is not None:
                found.append(NarrationPerson(mention, span))
        return found

    def _entity_for_person(
        self, person: NarrationPerson, entities: EntityTable, history: list[tuple[int, Entity, bool]]
    ) -> Entity:
        """The entity a narration person refers to: one named with its noun before, else a new one
        (never the previous speaker: "Moren" after the soldier's quote is someone else)."""
        mention = person.mention
        entity = self._entity_for_role(mention, entities, history, previous_speaker=None)
        if entity is None:
            name = _description(mention.text, self._articles)
            entity = self._new_entity(mention, entities, person.span, name)
        else:
            entity.mentions.append(person.span)
        return entity

    # ----------------------------------------------------------- resolution
    def _rules_resolve(self, mention: Mention, span: Span) -> bool:
        """Whether the rules know what to do with a speaker mention: a name, a title or description,
        or a third-person pronoun. A first- or second-person pronoun (``jeg``, ``vi``, ``du``) is
        left to the learned entities: the rules would name the speaker by the pronoun itself."""
        return not (mention.pronoun is None and mention.name is None and span.root.pos_ == "PRON")

    def _learned_entity(
        self,
        mention: Mention,
        span: Span,
        learned: LearnedEntities | None,
        entities: EntityTable,
        history: list[tuple[int, Entity, bool]],
        doc: Doc,
    ) -> Entity | None:
        """The entity of the named mention ``kilde_coreference`` puts a speaker mention the rules
        cannot name with (the nearest one before it, else the first after it); None when the
        speaker has a name of its own or its learned entity has none."""
        if learned is None or mention.name is not None:
            return None
        for other in learned.others(span):
            if other.root.pos_ != "PROPN":
                continue  # a pronoun or a capitalised common noun ("Drømmen") is not a name
            candidate = self.describe(other.text, other.start_char, learned.ner, learned.names)
            if candidate.name is not None:
                entity = self._entity_for_name(candidate, entities, history, doc)
                entity.mentions.append(span)
                if entity.gender is None and mention.pronoun in ("m", "f"):
                    entity.gender = mention.pronoun  # type: ignore[assignment]
                return entity
        return None

    def _resolve(
        self,
        mention: Mention,
        entities: EntityTable,
        history: list[tuple[int, Entity, bool]],
        previous_speaker: Entity | None,
        doc: Doc,
        span: Span,
    ) -> Entity | None:
        if mention.pronoun is not None:
            entity = self._antecedent(mention, history, previous_speaker, doc.text)
            if entity is not None:
                if entity.gender is None and mention.pronoun in ("m", "f"):
                    entity.gender = mention.pronoun  # type: ignore[assignment]
                entity.mentions.append(span)
            return entity
        if mention.name is not None:
            return self._entity_for_name(mention, entities, history, doc, span)
        introduces_someone = mention.text.split()[0].lower() in self._new_referents
        if not introduces_someone and (mention.role is not None or mention.kind in ("person", "unknown")):
            group = _is_plural(span)
            entity = self._entity_for_role(mention, entities, history, previous_speaker, group=group)
            if entity is not None:
                entity.mentions.append(span)
                entity.aliases.add(mention.text)
                return entity
        return self._new_entity(mention, entities, span, name=_description(mention.text, self._articles))

    def _group_entity(
        self,
        pronoun: Span,
        entities: EntityTable,
        history: list[tuple[int, Entity, bool]],
        direct_ranges: Ranges,
        ner: NamedEntityLookup,
        names: NameParse,
    ) -> Entity | None:
        """The group a plural ``de``/``dei`` takes up when the parse shows one nearer than any
        group kilde has met as a speaker: the subject of the pronoun's sentence or the one
        before, when it is a plural noun, an organisation or phrases joined by ``og`` ("Venstre
        vil … . De mener …"). None leaves the pronoun to :meth:`_antecedent`."""
        group = self._group_before(pronoun, direct_ranges, ner, names)
        if group is None:
            return None
        known = next((at for at, entity, _ in reversed(history[-LOOKBACK:]) if _is_group(entity)), -1)
        if known >= group.start_char:
            return None
        mention = self.describe(group.text, group.start_char, ner, names)
        entity = self._resolve(mention, entities, history, None, group.doc, group)
        if entity is not None:
            entity.mentions.append(pronoun)
        return entity

    def _group_before(
        self, pronoun: Span, direct_ranges: Ranges, ner: NamedEntityLookup, names: NameParse
    ) -> Span | None:
        doc = pronoun.doc
        sentence_starts = 0
        for i in range(pronoun.start - 1, -1, -1):
            token = doc[i]
            if (
                token.dep_ in SUBJECT_DEPS
                and token.pos_ in NOUN_POS
                and not direct_ranges.contains(token.idx)
                and token.head.i < pronoun.start
            ):
                phrase = names.group_phrase(token)
                if self._names_group(phrase, ner, names):
                    return phrase
            if token.is_sent_start:
                sentence_starts += 1
                if sentence_starts >= GROUP_SENTENCES:
                    return None
        return None

    def _names_group(self, phrase: Span, ner: NamedEntityLookup, names: NameParse) -> bool:
        """A plural noun, an organisation's name or noun, or phrases joined by ``og``."""
        root = phrase.root
        if any(t.lower_ in ("og", "eller") for t in phrase):
            return True
        if root.pos_ == "NOUN" and "Plur" in root.morph.get("Number"):
            return True
        return self.describe(phrase.text, phrase.start_char, ner, names).kind in ("organization", "anonymous")

    def _antecedent(
        self,
        mention: Mention,
        history: list[tuple[int, Entity, bool]],
        previous_speaker: Entity | None,
        text: str,
    ) -> Entity | None:
        wanted = mention.pronoun
        if wanted == PLURAL:
            for _, entity, _ in reversed(history[-LOOKBACK:]):
                if _is_group(entity):
                    return entity
            # One person is no "de": a pronoun no group explains stays unresolved.
            if previous_speaker is None or _is_group(previous_speaker):
                return previous_speaker
            return None
        # Speakers and sentence subjects first: "han" rarely points back to a name inside a clause,
        # unless the sentence before has just introduced that person by first name ("… til
        # kjøpmann Ola Vik. Han har …"): a new person is what the next sentence goes on about.
        for salient_only in (True, False):
            for position, entity, salient in reversed(history[-LOOKBACK:]):
                if entity.kind != "person" or _is_coordination(entity.name):
                    continue  # "han" is one person: not a thing, nor "Hansen og Berg"
                if (
                    salient_only
                    and not salient
                    and not self._introduced_just_before(entity, position, mention, text, history)
                ):
                    continue
                if entity.gender is None or entity.gender == wanted:
                    return entity
        return None

    def _introduced_just_before(
        self,
        entity: Entity,
        position: int,
        mention: Mention,
        text: str,
        history: list[tuple[int, Entity, bool]],
    ) -> bool:
        """Whether the person's first mention, by a known first name, stands at ``position`` in the
        sentence before the pronoun ``mention`` or earlier in its own (not a title of a work or a
        place the name pattern took for a person), and no speaker or subject person stands in
        that sentence or after it: "Kari Lie liker ikke at Per Holm …. Hun …" is about Kari Lie."""
        first = min((m.start_char for m in entity.mentions), default=position)
        if first != position or position > mention.start:
            return False
        if entity.name.split()[0].lower() not in self.lexicon.first_names:
            return False
        if len(SENTENCE_END.findall(text, position, mention.start)) > 1:
            return False
        ends = [m.end() for m in SENTENCE_END.finditer(text, max(0, position - SENTENCE_SPAN), position)]
        sentence_start = ends[-1] if ends else 0
        return not any(
            salient
            and other.kind == "person"
            and other is not entity
            and sentence_start <= at < mention.start
            for at, other, salient in history[-LOOKBACK:]
        )

    def _entity_for_name(
        self,
        mention: Mention,
        entities: EntityTable,
        history: list[tuple[int, Entity, bool]],
        doc: Doc,
        span: Span | None = None,
    ) -> Entity:
        assert mention.name is not None
        span = span or char_span(doc, mention.start, mention.end)
        name = mention.name
        entity = _match_name(name, entities, history)
        if entity is None:
            entity = self._new_entity(mention, entities, span, name=name)
        else:
            known, fuller = entity.name.split(), name.split()
            if len(fuller) > len(known) and (known[-1] == fuller[-1] or known == fuller[: len(known)]):
                entity.aliases.add(entity.name)
                entity.name = name
                entities.index(entity)
            if span is not None:
                entity.mentions.append(span)
            entity.aliases.add(mention.text)
            if entity.kind == "unknown":
                entity.kind = mention.kind
        if mention.aliases_hint:
            entity.aliases.add(mention.aliases_hint)
        if entity.gender is None:
            entity.gender = self._gender(mention)
        return entity

    def _entity_for_role(
        self,
        mention: Mention,
        entities: EntityTable,
        history: list[tuple[int, Entity, bool]],
        previous_speaker: Entity | None,
        group: bool = False,
    ) -> Entity | None:
        """The entity a title or description refers to; ``group``: the mention is a plural noun
        ("Ordførarane"), which takes up a group, never one person with that title."""
        stem = mention.role or _description(mention.text, self._articles)
        # The stem ends a word (a compound's head, "UP-sjef"), maybe with an inflected ending:
        # "fiskeren" is not "Fiskeribladet".
        names_stem = re.compile(re.escape(stem) + self._noun_ending + r"(?!\w)")
        for _, entity, _ in reversed(history[-LOOKBACK:]):
            if group and not _is_group(entity):
                continue
            if any(names_stem.search(name.lower()) for name in (entity.name, *entity.aliases)):
                return entity
        if group:
            return None
        # A bare title ("forskeren", "69-åringen") continues the latest speaker; "legen i Oslo" does
        # not, nor does "moren" a speaker known only by another noun ("søsteren"): two people.
        single_word = len(mention.text.split()) == 1
        if (
            single_word
            and mention.role is not None
            and mention.role not in self._kin_nouns
            and previous_speaker is not None
            and previous_speaker.kind == "person"
            and self._known_roles(previous_speaker) <= {mention.role}
        ):
            gender = self._gender(mention)
            if gender is None or previous_speaker.gender in (None, gender):
                return previous_speaker
        return None

    def _known_roles(self, entity: Entity) -> set[str]:
        """The titles an entity has been given ("kommunalminister Kari Holm" gives one): a bare
        title of another kind ("helseministeren") is someone else."""
        return {role for phrase in (entity.name, *entity.aliases) if (role := self._role(phrase)) is not None}

    def _new_entity(self, mention: Mention, entities: EntityTable, span: Span | None, name: str) -> Entity:
        entity = Entity(
            id=f"e{len(entities) + 1}",
            name=name,
            kind=mention.kind,
            gender=self._gender(mention),
            mentions=[span] if span is not None else [],
            aliases={mention.text},
        )
        entities.append(entity)
        return entity

    def _gender(self, mention: Mention) -> str | None:
        if mention.pronoun in ("m", "f"):
            return mention.pronoun
        if mention.kind != "person":
            return None
        if mention.name:
            first = mention.name.split()[0].lower()
            if first in self.lexicon.first_names:
                return self.lexicon.first_names[first]
        for word in mention.text.lower().split():
            for noun, gender in self.lexicon.gendered_nouns.items():
                if self._roles.inflects(word, noun):
                    return gender
        return None


# -------------------------------------------------------------- helpers
def _is_group(entity: Entity) -> bool:
    """An entity ``de``/``dei`` can take up: an organisation, an anonymous group, a plural noun or
    names joined ("Kari Holm og Per Lie")."""
    return (
        entity.kind in ("organization", "anonymous")
        or entity.name.endswith(("ene", "ane", "er", "ar"))
        or _is_coordination(entity.name)
    )


def _is_plural(span: Span | None) -> bool:
    """Whether the tagger reads a speaker phrase's head as a definite plural noun ("Ordførarane",
    "dei andre lærarane"): a group, not one person."""
    if span is None or len(span) == 0:
        return False
    head = span.root
    return head.pos_ == "NOUN" and "Plur" in head.morph.get("Number") and "Def" in head.morph.get("Definite")


def _coordinated(phrase: str, named: list[tuple[int, int, str]]) -> str | None:
    """The names ``named`` (start, end, name in ``phrase``) as one, when the phrase joins them
    with commas and a last ``og`` ("Ap, SV og Sp", "Kari Holm og Per Lie"): a group speaks.
    None for one name, or names that stand apart ("Kari Holm i Ap")."""
    if len(named) < 2:
        return None
    gaps = [phrase[end:start] for (_, end, _), (start, _, _) in itertools.pairwise(named)]
    if not all(COORDINATION_GAP.fullmatch(gap) for gap in gaps) or "," in gaps[-1].strip():
        return None
    joined = named[0][2]
    for gap, (_, _, name) in zip(gaps, named[1:], strict=True):
        joined += re.sub(r"\s+", " ", gap) + name  # the text's own punctuation
    return joined


def _is_coordination(name: str) -> bool:
    """Whether a name joins several names ("Ap, SV og Sp", "Kari Holm og Per Lie")."""
    return COORDINATION.search(name) is not None


def _assign(quote: Quote, entity: Entity) -> None:
    quote.speaker_name = entity.name
    quote.speaker_kind = entity.kind
    quote.entity_id = entity.id


def _parsed_main_subject(doc: Doc, start: int, end: int) -> bool:
    """Whether the parse reads the name at ``[start, end)`` as the subject of a main clause, also
    after a fronted adverbial ("I tre vintre har Kari Holm ( 60 ) bodd …"), which the word
    rules of :meth:`SpeakerResolver._is_main_subject` do not see. False without a parse."""
    if not doc_has_parse(doc):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    verb = root.head
    if root.dep_ not in SUBJECT_DEPS or verb == root:
        return False
    if verb.dep_ in COORDINATED_DEPS:
        verb = verb.head
    return verb.dep_ in ("ROOT", "root")


def _continued_speaker(
    previous: Entity | None, quote: Quote, history: list[tuple[int, Entity, bool]]
) -> Entity | None:
    """Whom a quote without a speaker mention goes on from: the previous quote's speaker, unless
    that is a document and the quote is direct speech. A report, a survey or a law is reported
    ("Undersøkelsen viser at …"); a dash quote after it is a person's, as a rule the person the
    story is about."""
    if previous is not None and not (previous.kind == "document" and quote.type == "direct"):
        return previous
    return _main_person(history)


def _main_person(history: list[tuple[int, Entity, bool]]) -> Entity | None:
    """The person named most often so far (the earliest on a tie): whom an untagged quote with
    no speaker before it answers for, as in an interview that opens by presenting someone."""
    counts: dict[str, int] = {}
    first: dict[str, Entity] = {}
    for _, entity, _ in history:
        if entity.kind == "person":
            counts[entity.id] = counts.get(entity.id, 0) + 1
            first.setdefault(entity.id, entity)
    if not counts:
        return None
    best = max(first, key=lambda entity_id: counts[entity_id])
    return first[best]


def _unique(entities: EntityTable) -> list[Entity]:
    """Each entity once, at its first place in the list."""
    seen: set[str] = set()
    out: list[Entity] = []
    for entity in entities:
        if entity.id not in seen:
            seen.add(entity.id)
            out.append(entity)
    return out


def _match_name(name: str, entities: EntityTable, history: list[tuple[int, Entity, bool]]) -> Entity | None:
    """An entity already known by this name, its surname, or a fuller form of it.

    Middle initials do not tell people apart: "Kari Lie" and "Kari T. Lie" are one."""
    tokens = name.lower().split()
    group = _is_coordination(name)
    recent = _unique([e for _, e, _ in reversed(history[-LOOKBACK:])] + entities.sharing_words(tokens))
    # A group and one of its members are two speakers: "SV" is not "Ap og SV", nor the reverse.
    recent = [entity for entity in recent if _is_coordination(entity.name) == group]
    for entity in recent:
        known = entity.name.lower().split()
        if known == tokens or (len(tokens) >= 2 and _without_initials(known) == _without_initials(tokens)):
            return entity
    for entity in recent:
        known = entity.name.lower().split()
        if len(tokens) < len(known) and known[-len(tokens) :] == tokens:
            return entity  # "Støre" after "Jonas Gahr Støre"
        if (
            len(known) < len(tokens)
            and tokens[-len(known) :] == known
            and entity.kind in ("person", "unknown")
        ):
            return entity  # a fuller name for a surname seen first
        if len(tokens) == 1 and len(known) >= 2 and tokens[0] == known[0] and entity.kind == "person":
            return entity  # first name only
        if len(known) == 1 and len(tokens) >= 2 and tokens[0] == known[0] and entity.kind == "person":
            return entity  # the full name of someone met by the first name ("Turid", then "Turid Lund")
    return None


def _without_initials(tokens: list[str]) -> list[str]:
    """A name's words without its middle initials ("kari t. lie" -> "kari lie")."""
    return tokens[:1] + [t for t in tokens[1:-1] if not MIDDLE_INITIAL.fullmatch(t)] + tokens[-1:]


def _heading_speaker(
    quote: Quote, quotes: list[Quote], quote_starts: list[int]
) -> tuple[str, SpeakerKind, str] | None:
    """A quote heading's speaker: that of the later quote it repeats or shortens most (most of
    its words, by their first letters, so "god læring" finds "godt for læringa"), else of the
    next quote with a speaker."""
    heading = _stems(quote.content[0].text)
    first_later = bisect.bisect_right(quote_starts, quote.start_char)
    later = [q for q in quotes[first_later : first_later + HEADING_REACH] if q.entity_id is not None]
    if not later:
        return None
    best, best_share = later[0], 0.0
    for other in later:
        shared = heading & _stems(" ".join(part.text for part in other.content))
        share = len(shared) / len(heading) if heading else 0.0
        if share > best_share:
            best, best_share = other, share
    if best_share < HEADING_MATCH:
        best = later[0]
    return best.speaker_name or "", best.speaker_kind, best.entity_id  # type: ignore[return-value]


def _stems(text: str) -> set[str]:
    """The words of a text of four letters or more, each by its first letters (inflection aside)."""
    return {word[:HEADING_STEM] for word in words(text.lower()) if len(word) >= HEADING_MIN_WORD}


def _description(text: str, articles: frozenset[str]) -> str:
    """``En talsmann for Vatikanet`` -> ``talsmann for Vatikanet``: no article, proper names kept."""
    tokens = text.split()
    if tokens and tokens[0].lower() in articles:
        tokens = tokens[1:]
    if tokens and tokens[0][1:].islower():
        tokens[0] = tokens[0].lower()
    return " ".join(tokens)


def _before_preposition(tokens: list[str], prepositions: frozenset[str]) -> list[str]:
    """The words of a phrase up to its first preposition ("avisen" in "avisen i byen")."""
    out: list[str] = []
    for token in tokens:
        if token.lower() in prepositions and out:
            break
        out.append(token)
    return out


def _head_word(tokens: list[str], prepositions: frozenset[str]) -> str | None:
    """The noun a speaker phrase is about: the last word before a preposition."""
    head: str | None = None
    for token in tokens:
        if token.lower() in prepositions and head is not None:
            break
        head = token.lower()
    return head


def _ngrams(tokens: list[str]) -> list[str]:
    return [
        " ".join(tokens[i:j]) for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + 4) + 1)
    ]


@Language.factory(
    "kilde_coref",
    assigns=["doc.spans", "doc._.kilde_quote_attrs", "doc._.kilde_entities"],
    requires=["doc.spans"],
    default_config=stage_config("coref", language=None, model=PACKAGED),
    default_score_weights={"speaker_acc": 1.0, "speaker_kind_acc": 0.0, "addressee_acc": 0.0},
)
def make_coref(
    nlp: Language, name: str, language: str | None, model: str | None, scorer: Scorer | None
) -> SpeakerResolver:
    """``model``: the speaker-kind model, ``"packaged"`` (kilde's trained model), a path, or ``null``."""
    return SpeakerResolver(
        stage_lexicon(nlp.lang, language), name, scorer, packaged_or_path(model, TASK, PACKAGED_MODEL)
    )
