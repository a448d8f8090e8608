"""Language data (cue verbs, titles, hedges, …) read from ``kilde/lang/<code>/*.txt``.

Each file holds one entry per line; ``#`` starts a comment. Entries are
lower case unless the file says otherwise. Keeping the words in data files
lets linguists extend Bokmål and Nynorsk without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

SUPPORTED_LANGUAGES: tuple[str, ...] = ("nb", "nn")


def _read_entries(language: str, name: str) -> tuple[str, ...]:
    """Entries of ``lang/<language>/<name>.txt`` followed by those of ``lang/common/<name>.txt``."""
    entries: list[str] = []
    for folder in (language, "common"):
        path = resources.files("kilde") / "lang" / folder / f"{name}.txt"
        if not path.is_file():
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = "" if raw.lstrip().startswith("#") else raw.split(" #", 1)[0].strip()
            if line:
                entries.append(line)
    return tuple(entries)


def _pairs(entries: tuple[str, ...]) -> dict[str, str]:
    """Entries of the form ``word<whitespace>value``."""
    out: dict[str, str] = {}
    for entry in entries:
        word, _, value = entry.rpartition(" ")
        if word:
            out[word.strip().lower()] = value.strip()
    return out


def _classes(entries: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Entries ``word<whitespace>class``; a word may stand on several lines with different classes."""
    out: dict[str, set[str]] = {}
    for entry in entries:
        word, _, word_class = entry.rpartition(" ")
        if word:
            out.setdefault(word.strip().lower(), set()).add(word_class.strip())
    return {word: frozenset(classes) for word, classes in out.items()}


@dataclass(frozen=True)
class Lexicon:
    """Word lists for one language."""

    language: str
    speech_verbs: frozenset[str]
    """Verbs and multiword cues that frame direct or indirect speech (``sier``, ``legger til``)."""
    infinitive_cues: frozenset[str]
    """Directive and commissive cues whose report can be an infinitive (``oppfordret … til å``);
    they are in ``speech_verbs`` too."""
    naming_cues: frozenset[str]
    """Cues that describe something in quoted words (``kalte planen «uansvarlig»``);
    they are in ``speech_verbs`` too."""
    direct_only_verbs: frozenset[str]
    """Manner-of-speaking verbs that tag direct quotes only (``flirer``, ``sukker``)."""
    according_to: frozenset[str]
    """Prepositional cues (``ifølge``, ``ifølgje``)."""
    pronouns: dict[str, str]
    """Personal pronoun -> gender or number: ``m``, ``f``, ``pl`` or ``n``."""
    possessives: dict[str, str]
    """Possessive pronoun -> its owner's gender or number (``hennes f``): the morphology gives the
    gender of the thing owned."""
    titles: frozenset[str]
    """Role nouns in their indefinite form (``statsminister``, ``operasjonsleder``)."""
    media: frozenset[str]
    """News outlets and agencies, as written (``NTB``, ``Reuters``)."""
    document_nouns: frozenset[str]
    """Nouns for documents and records that can be cited (``rapport``, ``melding``)."""
    organization_nouns: frozenset[str]
    """Nouns for institutions that speak as one (``politiet``, ``regjeringen``)."""
    anonymous: frozenset[str]
    """Anonymous sources (``kilder``, ``en kilde``)."""
    hedges: tuple[str, ...]
    """Hedge patterns, ``kind: pattern`` (syntax in ``lang/<code>/hedges.txt``)."""
    boilerplate_patterns: tuple[str, ...]
    """Regular expressions for boilerplate lines."""
    gendered_nouns: dict[str, str]
    """Nouns that show a person's gender (``mor f``, ``far m``)."""
    first_names: dict[str, str]
    """Lower-cased first names with the gender they usually signal."""
    media_nouns: frozenset[str]
    """Nouns and name endings for news outlets (``avisen``, ``nyhetsbyrået``, ``-posten``)."""
    not_abbreviations: frozenset[str]
    """Tokenizer exceptions to drop: words that usually end a sentence, not abbreviations."""
    abbreviations: tuple[str, ...]
    """Abbreviations to add as tokenizer exceptions, case as written (``t.d.``, ``St.meld.``)."""
    continuing_abbreviations: frozenset[str]
    """Abbreviations whose full stop never ends a sentence (``kl.``, ``bl.a.``), lower case, for
    the sentence splitter; fewer than the tokenizer's (``Frp.`` and ``AS.`` can end one)."""
    function_words: dict[str, frozenset[str]]
    """Word -> its classes (``finite``, ``opener``, ``clause``, ``adverb``, …) for phrase boundaries."""
    # Word lists of the hedge stage (kilde.hedges), most for reportative "skal"; see each file.
    skal_forms: frozenset[str]
    """The modal whose reportative reading is looked for (``skal``)."""
    ha_forms: frozenset[str]
    """``ha`` after reportative ``skal`` (``skal ha blitt``)."""
    vaere_forms: frozenset[str]
    """``være`` after reportative ``skal`` (``være``, ``vere``)."""
    perfect_auxiliaries: frozenset[str]
    """Auxiliary participles taken into the marker (``blitt``, ``vorte``)."""
    participle_hedges: frozenset[str]
    """Participles that hedge unless they are the verb after an auxiliary (``påstått``)."""
    perfect_before: frozenset[str]
    """Auxiliaries that make a participle hedge the reporting verb (``har``, ``vart``)."""
    determiners: frozenset[str]
    """Articles and possessives that make a participle hedge an adjective (``et``, ``eit``)."""
    hearsay_words: frozenset[str]
    """Words that make ``skal … ha/være`` hearsay whatever follows (``ifølge``, ``visstnok``)."""
    according_words: frozenset[str]
    """The hearsay words that name a source rather than hedge (``ifølge``, ``ifølgje``)."""
    marker_adverbs: frozenset[str]
    """Words between ``skal`` and ``ha``/``være`` inside one marker (``ikke``, ``ikkje``)."""
    predicate_adverbs: frozenset[str]
    """Adverbs between ``ha``/``være`` and the participle (``dypt``, ``allerede``)."""
    irregular_participles: frozenset[str]
    """Participles that no ending rule catches (``sagt``, ``teke``)."""
    strong_tt_participles: tuple[str, ...]
    """Strong participles in -tt, also ending compounds (``satt``, ``latt``)."""
    noun_endings: tuple[str, ...]
    """Noun endings that look like a participle's (``het``, ``ment``)."""
    hearsay_predicate_adverbs: frozenset[str]
    """Words that make ``skal være`` + participle hearsay (``hardt``, ``alvorleg``)."""
    past_or_source: tuple[str, ...]
    """Regular expressions for a past time or a source (``i (går|gar)``, ``ifølge``)."""
    deontic_intro: frozenset[str]
    """Words before ``at`` that make a following ``skal`` a purpose or demand (``om``, ``krav``)."""
    conditionals: frozenset[str]
    """Conjunctions of condition and time (``dersom``, ``viss``)."""
    modals: frozenset[str]
    """Modals that, coordinated with ``skal``, make it an obligation (``må``, ``bør``)."""
    coordinators: frozenset[str]
    """Conjunctions between such a modal and ``skal`` (``og``, ``eller``)."""
    clause_stops: frozenset[str]
    """Tokens after ``skal`` that begin another clause (``og``, ``vart``)."""
    not_participle_forms: frozenset[str]
    """Short words in -t or -d that are no participles (``med``, ``godt``)."""
    relative_openers: frozenset[str]
    """Words that open a relative clause set off by commas (``som``, ``kor``)."""
    fallback_speech_verbs: frozenset[str]
    """Tags that close a dash-opened quote when ``speech_verbs`` is empty (``sier``, ``seier``)."""
    grammar_words: dict[str, frozenset[str]]
    """Grammatical words the rules read, word -> classes (``grammar_words.txt``: frame words,
    non-speakers, articles, auxiliaries, time adverbs, …)."""
    definite_suffixes: tuple[str, ...]
    """Definite endings of role nouns, longest first (``lederen`` -> ``leder``)."""
    plural_endings: tuple[str, ...]
    """Plural endings of nouns (``forsvarere``, ``soldatar``)."""

    def words_of_class(self, word_class: str) -> frozenset[str]:
        return frozenset(w for w, classes in self.function_words.items() if word_class in classes)

    def grammar_class(self, word_class: str) -> frozenset[str]:
        """The words of one class of ``grammar_words``."""
        return frozenset(w for w, classes in self.grammar_words.items() if word_class in classes)

    @classmethod
    def load(cls, language: str) -> Lexicon:
        return _load(language)


@cache
def _load(language: str) -> Lexicon:
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {', '.join(SUPPORTED_LANGUAGES)}")

    def words(name: str) -> frozenset[str]:
        return frozenset(e.lower() for e in _read_entries(language, name))

    def ordered(name: str) -> tuple[str, ...]:
        return tuple(e.lower() for e in _read_entries(language, name))

    return Lexicon(
        language=language,
        speech_verbs=words("speech_verbs") | words("infinitive_cues") | words("naming_cues"),
        infinitive_cues=words("infinitive_cues"),
        naming_cues=words("naming_cues"),
        direct_only_verbs=words("direct_only_verbs"),
        according_to=words("according_to"),
        pronouns=_pairs(_read_entries(language, "pronouns")),
        possessives=_pairs(_read_entries(language, "possessives")),
        titles=words("titles"),
        media=frozenset(_read_entries(language, "media")),
        document_nouns=words("document_nouns"),
        organization_nouns=words("organization_nouns"),
        anonymous=words("anonymous"),
        hedges=ordered("hedges"),
        boilerplate_patterns=_read_entries(language, "boilerplate"),
        gendered_nouns=_pairs(_read_entries(language, "gendered_nouns")),
        first_names=_pairs(_read_entries(language, "first_names")),
        media_nouns=words("media_nouns"),
        not_abbreviations=frozenset(_read_entries(language, "not_abbreviations")),
        abbreviations=_read_entries(language, "abbreviations"),
        continuing_abbreviations=words("continuing_abbreviations"),
        function_words=_classes(_read_entries(language, "function_words")),
        skal_forms=words("skal_forms"),
        ha_forms=words("ha_forms"),
        vaere_forms=words("vaere_forms"),
        perfect_auxiliaries=words("perfect_auxiliaries"),
        participle_hedges=words("participle_hedges"),
        perfect_before=words("perfect_before"),
        determiners=words("determiners"),
        hearsay_words=words("hearsay_words"),
        according_words=words("according_words"),
        marker_adverbs=words("marker_adverbs"),
        predicate_adverbs=words("predicate_adverbs"),
        irregular_participles=words("irregular_participles"),
        strong_tt_participles=ordered("strong_tt_participles"),
        noun_endings=ordered("noun_endings"),
        hearsay_predicate_adverbs=words("hearsay_predicate_adverbs"),
        past_or_source=_read_entries(language, "past_or_source"),
        deontic_intro=words("deontic_intro"),
        conditionals=words("conditionals"),
        modals=words("modals"),
        coordinators=words("coordinators"),
        clause_stops=words("clause_stops"),
        not_participle_forms=words("not_participle_forms"),
        relative_openers=words("relative_openers"),
        fallback_speech_verbs=words("fallback_speech_verbs"),
        grammar_words=_classes(_read_entries(language, "grammar_words")),
        definite_suffixes=ordered("definite_suffixes"),
        plural_endings=ordered("plural_endings"),
    )
