"""What kind of source each speaker is, learned from the corpus: person, organisation, media,
document, anonymous or unknown.

The rules of ``kilde_coref`` decide a kind from word lists (titles, institution and document
nouns, outlets) and the entity recogniser; they miss what the lists lack (``Undersøkingane
viser …``, ``Hallingdølen skriv …``, ``Tala frå SSB …``), and a fact-checker reads the kind to
see which claims are relayed from media and documents. This model reads what the rules decided
together with what the text shows about the entity: the head words of its mentions (their
lemmas and endings, so an unseen ``-undersøkelse`` or ``-prognose`` is a document), their part
of speech, number and entity label, the pronouns that refer to it, whether its name opens with
a known first name or looks like a web address or an acronym, and the cues of its quotes
(``skriver`` tells of an outlet, ``viser`` of a document). It scores every kind with one
:class:`kilde.linear.LinearModel` (the features of option ``k`` are prefixed ``k|``) and the
entity takes the best one; ``training/speaker_kinds/train.py`` trains it on the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import cast

from spacy.tokens import Span

from kilde.linear import LinearModel
from kilde.types import SPEAKER_KINDS, Entity, Quote, SpeakerKind

TASK = "speaker_kinds"
PACKAGED_MODEL = Path(__file__).parent / "models" / "speaker_kinds.json"
SUFFIXES = (3, 4, 5)
"""Word endings read from each head lemma: ``-ing``, ``-else``, ``-rapport`` carry the kind."""
WEB_ADDRESS = re.compile(r"\w\.(?:no|com|org|net|se|dk|eu)\b", re.IGNORECASE)
"""A web site cited as a source ("Varsom.no")."""


def entity_features(
    entity: Entity, quotes: Sequence[Quote], first_names: Collection[str]
) -> dict[str, float]:
    """What the kind model reads about ``entity``, whose quotes are ``quotes``."""
    features: dict[str, float] = {"bias": 1.0, f"rules={entity.kind}": 1.0}
    if entity.gender is not None:
        features["gendered"] = 1.0
    words = entity.name.split()
    if words:
        features[f"name_words={min(len(words), 4)}"] = 1.0
        if words[0].lower() in first_names:
            features["first_name"] = 1.0
        if all(word[:1].isupper() for word in words):
            features["capitalised"] = 1.0
        if len(words) == 1 and is_acronym(words[0]):
            features["acronym"] = 1.0
    if WEB_ADDRESS.search(entity.name):
        features["web_address"] = 1.0
    for mention in entity.mentions:
        features.update(_mention_features(mention))
    for quote in quotes:
        features[f"type={quote.type}"] = 1.0
        if quote.cue is not None:
            features[f"cue={quote.cue.text.lower()}"] = 1.0
            features[f"cue_lemma={quote.cue.root.lemma_.lower()}"] = 1.0
    return features


def _mention_features(mention: Span) -> dict[str, float]:
    root = mention.root
    if root.pos_ == "PRON":
        return {f"pronoun={root.lower_}": 1.0}
    lemma = (root.lemma_ or root.text).lower()
    features = {
        f"pos={root.pos_}": 1.0,
        f"lemma={lemma}": 1.0,
        f"ner={root.ent_type_ or '-'}": 1.0,
        f"number={'|'.join(root.morph.get('Number')) or '-'}": 1.0,
    }
    for size in SUFFIXES:
        if len(lemma) > size:
            features[f"suffix={lemma[-size:]}"] = 1.0
    return features


def is_acronym(word: str) -> bool:
    """``NRK``, ``FHI``, ``SSBs``: a short word of mostly capitals."""
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 6 and sum(c.isupper() for c in letters) >= 2


def option_features(features: Mapping[str, float], kind: str) -> dict[str, float]:
    """The features of choosing ``kind``: each one conjoined with the kind."""
    return {f"{kind}|{name}": value for name, value in features.items()}


def best_kind(model: LinearModel, features: Mapping[str, float]) -> SpeakerKind:
    """The kind the model scores highest for an entity with ``features``."""
    best = max(SPEAKER_KINDS, key=lambda kind: model.score(option_features(features, kind)))
    return cast(SpeakerKind, best)


def quotes_by_entity(quotes: Sequence[Quote]) -> dict[str, list[Quote]]:
    """Each speaking entity's quotes, by entity id: what :func:`entity_features` reads of them."""
    by_entity: dict[str, list[Quote]] = {}
    for quote in quotes:
        if quote.entity_id is not None:
            by_entity.setdefault(quote.entity_id, []).append(quote)
    return by_entity


def relabel(
    model: LinearModel, entities: Sequence[Entity], quotes: Sequence[Quote], first_names: Collection[str]
) -> None:
    """Give every entity that speaks the kind the model chooses, and its quotes that kind."""
    by_entity = quotes_by_entity(quotes)
    for entity in entities:
        spoken = by_entity.get(entity.id)
        if not spoken:
            continue
        entity.kind = best_kind(model, entity_features(entity, spoken, first_names))
        for quote in spoken:
            quote.speaker_kind = entity.kind
