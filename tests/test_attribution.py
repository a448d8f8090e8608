"""The attribution stage (``kilde_attribution``): speakers, cues, addressees, indirect and mixed quotes.

The stage runs behind the quote stage and before speaker resolution, so these
tests look at the spans it sets (speaker *mentions*, cues, addressees, content);
canonical names are covered in test_coref.py. Every example is invented.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

import kilde
import kilde.lang.nynorsk  # registers spacy.blank("nn")
import kilde.pipeline  # registers the kilde factories
from kilde.attribution.parse import cited_document, document_nouns
from kilde.lexicon import Lexicon
from kilde.types import Quote

# Only the stages under test, after the sentencizer (see conftest.py).
PIPELINE_STAGES = ("kilde_boilerplate", "kilde_quotes", "kilde_attribution")


def analyse(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    return sorted(doc._.quotes or [], key=lambda q: (q.start_char, q.cue.start_char if q.cue else -1))


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, [(q.type, [c.text for c in q.content]) for q in quotes]
    return quotes[0]


def content(quote: Quote) -> str:
    assert len(quote.content) == 1
    return quote.content[0].text


def text_of(span: object) -> str | None:
    return None if span is None else span.text  # type: ignore[attr-defined]


# ------------------------------------------------------- tags after a quote
def test_inverted_tag_gives_speaker_mention_and_addressee(nb: Language) -> None:
    quote = only(analyse(nb, "«Vi jobber så godt vi kan», sier fergesjef Kari Nordvik til NRK."))
    assert quote.type == "direct"
    assert text_of(quote.cue) == "sier"
    assert text_of(quote.speaker) == "fergesjef Kari Nordvik"
    assert text_of(quote.addressee) == "NRK"


def test_inverted_tag_with_overfor(nb: Language) -> None:
    quote = only(analyse(nb, "«Vi har ikke hatt slikt vær på tretti år», sier Ola Brekke overfor Kystavisa."))
    assert text_of(quote.speaker) == "Ola Brekke"
    assert text_of(quote.addressee) == "Kystavisa"


def test_pronoun_speaker_in_dash_tag(nb: Language) -> None:
    quote = only(analyse(nb, "– Vi må stenge veien i natt, sier han til lokalavisa."))
    assert text_of(quote.speaker) == "han"
    assert text_of(quote.addressee) == "lokalavisa"


def test_tag_speaker_stops_before_a_coordinated_clause(nb: Language) -> None:
    quote = only(analyse(nb, "«Vi kan ikke love noe før i morgen», sa Kari Nordvik, og gikk."))
    assert text_of(quote.cue) == "sa"
    assert text_of(quote.speaker) == "Kari Nordvik"


# ------------------------------------------------------- indirect quotes
def test_fronted_speaker_with_at(nb: Language) -> None:
    quote = only(analyse(nb, "Kari Nordvik sier at fergen vil gå som normalt fra mandag."))
    assert quote.type == "indirect"
    assert content(quote) == "fergen vil gå som normalt fra mandag"  # no "at", no full stop
    assert text_of(quote.cue) == "sier"
    assert text_of(quote.speaker) == "Kari Nordvik"
    assert quote.addressee is None


def test_fronted_speaker_with_addressee_before_at(nb: Language) -> None:
    quote = only(analyse(nb, "Kari Nordvik opplyser til Fjordposten at ingen ble skadd."))
    assert content(quote) == "ingen ble skadd"
    assert text_of(quote.cue) == "opplyser"
    assert text_of(quote.speaker) == "Kari Nordvik"
    assert text_of(quote.addressee) == "Fjordposten"


def test_time_adverb_between_cue_and_at(nb: Language) -> None:
    quote = only(analyse(nb, "Politiet opplyste torsdag at ingen ble skadd i brannen."))
    assert content(quote) == "ingen ble skadd i brannen"
    assert text_of(quote.speaker) == "Politiet"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kari Nordvik mener det ennå er for tidlig å uttale seg om årsaken.",
            "det ennå er for tidlig å uttale seg om årsaken",
        ),
        ("Kari Nordvik mener fergen vil gå som normalt fra mandag.", "fergen vil gå som normalt fra mandag"),
    ],
)
def test_mener_without_at(nb: Language, text: str, expected: str) -> None:
    quote = only(analyse(nb, text))
    assert quote.type == "indirect"
    assert content(quote) == expected
    assert text_of(quote.cue) == "mener"
    assert text_of(quote.speaker) == "Kari Nordvik"


def test_claim_first_then_skriver_outlet(nb: Language) -> None:
    quote = only(analyse(nb, "Fergen står fast i isen ved Brønnøy, skriver Reuters."))
    assert quote.type == "indirect"
    assert content(quote) == "Fergen står fast i isen ved Brønnøy"
    assert text_of(quote.cue) == "skriver"
    assert text_of(quote.speaker) == "Reuters"


def test_claim_first_then_speaker_and_addressee(nb: Language) -> None:
    quote = only(analyse(nb, "Ingen ble skadd i brannen, opplyser politiet til NTB."))
    assert content(quote) == "Ingen ble skadd i brannen"
    assert text_of(quote.speaker) == "politiet"
    assert text_of(quote.addressee) == "NTB"


def test_claim_first_then_skriver_avisen(nb: Language) -> None:
    quote = only(analyse(nb, "Halvparten av bruene trenger reparasjon, skriver avisen."))
    assert content(quote) == "Halvparten av bruene trenger reparasjon"
    assert text_of(quote.speaker) == "avisen"


def test_ifolge_first(nb: Language) -> None:
    quote = only(analyse(nb, "Ifølge politiet er ingen personer skadet i brannen."))
    assert quote.type == "indirect"
    assert text_of(quote.cue) == "Ifølge"
    assert text_of(quote.speaker) == "politiet"
    # The gold files keep the inverted verb ("er …"); the source is never part of the content.
    assert content(quote) in ("er ingen personer skadet i brannen", "ingen personer skadet i brannen")


def test_ifolge_first_with_a_verb_outside_the_function_word_list(nb: Language) -> None:
    quote = only(analyse(nb, "Ifølge rapporten trenger halvparten av bruene i fylket reparasjon."))
    assert text_of(quote.speaker) == "rapporten"
    assert content(quote).endswith("halvparten av bruene i fylket reparasjon")
    assert "rapporten" not in content(quote)


def test_ifolge_after_a_coordinator_frames_the_second_clause(nb: Language) -> None:
    quote = only(analyse(nb, "Møtet var lukket, men ifølge flere aviser skal det ha endt i enighet."))
    assert content(quote) == "skal det ha endt i enighet"
    assert text_of(quote.speaker) == "flere aviser"


def test_an_impersonal_report_names_the_document_before_its_relative_clause(nb: Language) -> None:
    quote = only(analyse(nb, "I utredningen som kom i vår, kom det frem at flere skoler må stenge."))
    assert content(quote) == "flere skoler må stenge"
    assert text_of(quote.cue) == "kom det frem"
    assert text_of(quote.speaker) == "utredningen"


def test_the_main_verb_of_a_colon_frame_names_the_speaker_whatever_the_verb() -> None:
    # The parse finds the verb no list holds: the trained pipeline.
    text = "Lagmannsretten har i en dom kommentert saken:\n«Hun var en sterk leder.»"
    quote = only(analyse(kilde.load("nb"), text))
    assert text_of(quote.cue) == "kommentert"
    assert text_of(quote.speaker) == "Lagmannsretten"


def test_a_document_in_front_of_an_impersonal_colon_frame_is_the_source(nn: Language) -> None:
    quote = only(analyse(nn, "I avtala står det følgjande:\n«Alle skal ha rett til skule.»"))
    assert text_of(quote.cue) == "står det"
    assert text_of(quote.speaker) == "avtala"


def test_a_report_no_one_made_is_no_quote(nb: Language) -> None:
    assert analyse(nb, "Ingen har sagt at skolen skal legges ned.") == []


def test_ifolge_last(nb: Language) -> None:
    quote = only(analyse(nb, "Halvparten av bruene trenger reparasjon, ifølge rapporten."))
    assert content(quote) == "Halvparten av bruene trenger reparasjon"
    assert text_of(quote.cue) == "ifølge"
    assert text_of(quote.speaker) == "rapporten"


def test_ifolge_inside_skriver_gives_two_quotes_with_the_same_content(nb: Language) -> None:
    quotes = analyse(nb, "Ingen personer er skadet i brannen, ifølge politiet, skriver NTB.")
    assert len(quotes) == 2
    assert {content(q) for q in quotes} == {"Ingen personer er skadet i brannen"}
    assert {(text_of(q.cue), text_of(q.speaker)) for q in quotes} == {
        ("ifølge", "politiet"),
        ("skriver", "NTB"),
    }
    assert all(q.type == "indirect" for q in quotes)


# ------------------------------------------------ "Det sier X til Y."
def test_det_sier_after_a_quote_paragraph(nb: Language) -> None:
    text = (
        "«Vi har ikke hatt slikt vær på tretti år, og vi må bare vente.»\n\n"
        "Det sier havnesjef Ola Brekke til Kystavisa."
    )
    quote = only(analyse(nb, text))  # the "Det sier" sentence is the tag, not a claim of its own
    assert quote.type == "direct"
    assert text_of(quote.cue) == "sier"
    assert text_of(quote.speaker) == "havnesjef Ola Brekke"
    assert text_of(quote.addressee) == "Kystavisa"


def test_det_sier_after_a_dash_paragraph(nb: Language) -> None:
    quote = only(analyse(nb, "– Vi har ikke hatt slikt vær på tretti år.\n\nDet sier havnesjef Ola Brekke."))
    assert text_of(quote.speaker) == "havnesjef Ola Brekke"


def test_det_opplyser_after_a_narration_sentence_is_indirect(nb: Language) -> None:
    quote = only(analyse(nb, "En mann i 40-årene er pågrepet etter brannen. Det opplyser politiet til NTB."))
    assert quote.type == "indirect"
    assert content(quote) == "En mann i 40-årene er pågrepet etter brannen"
    assert text_of(quote.speaker) == "politiet"
    assert text_of(quote.addressee) == "NTB"


# ------------------------------------------------------------ colon frames
def test_colon_frame_before_guillemets(nb: Language) -> None:
    quote = only(
        analyse(nb, "Havnesjef Ola Brekke sier til Kystavisa: «Vi har ikke hatt slikt vær på tretti år.»")
    )
    assert quote.type == "direct"
    assert content(quote) == "Vi har ikke hatt slikt vær på tretti år"
    assert text_of(quote.cue) == "sier"
    assert text_of(quote.speaker) == "Havnesjef Ola Brekke"
    assert text_of(quote.addressee) == "Kystavisa"


def test_colon_frame_ending_the_paragraph_before_a_dash_quote(nb: Language) -> None:
    text = "Havnesjef Ola Brekke sier dette til Kystavisa:\n\n– Vi har ikke hatt slikt vær på tretti år."
    quote = only(analyse(nb, text))
    assert quote.type == "direct"
    assert text_of(quote.cue) == "sier"
    assert text_of(quote.speaker) == "Havnesjef Ola Brekke"


def test_a_colon_frame_that_reports_a_claim_is_an_indirect_quote_too(nb: Language) -> None:
    # "X mener at …:" states X's view and introduces the words that follow: two attributions.
    text = "Rektor Kari Dahl mener skolen har fått for lite penger:\n\n– Vi har kuttet i tre år nå."
    indirect, direct = analyse(nb, text)
    assert (indirect.type, content(indirect)) == ("indirect", "skolen har fått for lite penger")
    assert text_of(indirect.speaker) == "Rektor Kari Dahl"
    assert (direct.type, content(direct)) == ("direct", "Vi har kuttet i tre år nå")
    assert text_of(direct.cue) == text_of(indirect.cue) == "mener"
    assert text_of(direct.speaker) == "Rektor Kari Dahl"


def test_a_colon_frame_without_a_claim_frames_only_the_quote_after_it(nb: Language) -> None:
    quote = only(analyse(nb, "Politimester Ola Berg sa til NRK:\n\n– Vi har ingen mistenkte."))
    assert quote.type == "direct"
    assert text_of(quote.speaker) == "Politimester Ola Berg"


def test_a_subject_the_parse_reads_as_an_adverbial_before_det_slik() -> None:
    # The parser takes "det" in "sa det slik" for a formal subject and the real subject for an
    # adverbial: the frame still names the subject (the trained pipeline).
    text = "En drosjesjåfør i Tromsø sa det slik:\n\n«Vi blir lurt hver eneste dag.»"
    quote = only(analyse(kilde.load("nb"), text))
    assert text_of(quote.cue) == "sa"
    assert text_of(quote.speaker) == "En drosjesjåfør i Tromsø"


# ------------------------------------------------------------------- mixed
def test_mixed_quote(nb: Language) -> None:
    quote = only(analyse(nb, "Fiskeriministeren mener at regjeringen «har gjort alt den kan» for næringen."))
    assert quote.type == "mixed"
    assert content(quote) == "regjeringen «har gjort alt den kan» for næringen"
    assert text_of(quote.cue) == "mener"
    assert text_of(quote.speaker) == "Fiskeriministeren"


def test_scare_quote_inside_indirect_frame_makes_it_mixed_not_direct(nb: Language) -> None:
    quote = only(analyse(nb, "Ungdommene i bygda sier at bilene «kjørte gris» på parkeringsplassen."))
    assert quote.type == "mixed"
    assert content(quote) == "bilene «kjørte gris» på parkeringsplassen"


# ---------------------------------------------- word order and clauses
def test_fronted_adverbial_inverts_the_speaker(nb: Language) -> None:
    quote = only(analyse(nb, "I går sa fiskeriminister Siri Dahl at kvotene vil bli økt neste år."))
    assert quote.type == "indirect"
    assert content(quote) == "kvotene vil bli økt neste år"
    assert text_of(quote.cue) == "sa"
    assert text_of(quote.speaker) == "fiskeriminister Siri Dahl"


def test_relative_clause_after_the_tag(nb: Language) -> None:
    direct, indirect = analyse(
        nb, "– Kvotene må opp, sier Holm, som mener at regjeringen har sviktet fiskerne."
    )
    assert direct.type == "direct" and content(direct) == "Kvotene må opp"
    assert text_of(direct.speaker) == "Holm"
    assert indirect.type == "indirect"
    assert content(indirect) == "regjeringen har sviktet fiskerne"
    assert text_of(indirect.cue) == "mener"
    assert text_of(indirect.speaker) == "Holm"


def test_coordinated_cues_share_the_subject(nb: Language) -> None:
    text = "Lars Holm avviser at laget har brutt reglene, og sier at alle papirene er i orden."
    first, second = analyse(nb, text)
    assert content(first) == "laget har brutt reglene"  # ends before ", og sier"
    assert text_of(first.cue) == "avviser"
    assert text_of(first.speaker) == "Lars Holm"
    assert content(second) == "alle papirene er i orden"
    assert text_of(second.cue) == "sier"
    # The second verb has no subject of its own: its speaker is the shared one, or left to coref.
    assert text_of(second.speaker) in ("Lars Holm", None)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("nb", "Kari Nordvik sier at brua må være klar før jul.", "brua må være klar før jul"),
        ("nn", "Ordførar Nils Aasen seier at kommunen må handle no.", "kommunen må handle no"),
    ],
)
def test_content_never_ends_in_the_final_full_stop(
    nb: Language, nn: Language, lang: str, text: str, expected: str
) -> None:
    quote = only(analyse(nb if lang == "nb" else nn, text))
    assert content(quote) == expected


# ------------------------------------------------------------------ headlines
def test_headline_naming_its_source(nb: Language) -> None:
    quote = only(analyse(nb, "Politiet: Ingen er skadd i brannen\n\nEn bolig brant ned i natt."))
    assert quote.type == "indirect"
    assert quote.heading is True
    assert quote.cue is None
    assert content(quote) == "Ingen er skadd i brannen"
    assert text_of(quote.speaker) == "Politiet"


def test_headline_naming_its_source_with_embedded_quote_is_mixed(nb: Language) -> None:
    quote = only(analyse(nb, "Bondelaget: Oppgjøret er «en hån mot bøndene»"))
    assert quote.type == "mixed"
    assert quote.heading is True
    assert text_of(quote.speaker) == "Bondelaget"
    assert content(quote).startswith("Oppgjøret er «en hån mot bøndene")


def test_a_table_row_with_a_colon_is_no_headline(nb: Language) -> None:
    assert analyse(nb, "Smittetal per fylke\nAgder: 12\nViken: 40\n") == []


def test_a_caption_with_a_label_is_no_headline(nb: Language) -> None:
    assert analyse(nb, "GLAD: Kari Holm vant løpet. Foto: Per Lie / NTB") == []


# ----------------------------------------------------------- dialogue labels
def test_a_speaker_label_line_names_the_speaker_of_the_dash_line_under_it(nb: Language) -> None:
    text = "Mor og sønn snakker i bilen.\nSønnen:\n– Når er vi fremme?\nMoren:\n– Om en time.\n"
    quotes = analyse(nb, text)
    assert [(content(q), text_of(q.speaker), q.heading) for q in quotes] == [
        ("Når er vi fremme?", "Sønnen", False),
        ("Om en time", "Moren", False),
    ]


@pytest.mark.parametrize(
    "line",
    ["Dette er det første vi fikk vite om saken i går:", "Kjærligheten:", "Hard på fela:"],
)
def test_a_line_naming_no_one_before_a_colon_is_no_speaker_label(nb: Language, line: str) -> None:
    assert all(text_of(q.speaker) is None for q in analyse(nb, f"{line}\n– Ingen kommentar.\n"))


def test_a_name_before_a_colon_is_a_speaker_label(nb: Language) -> None:
    quotes = analyse(nb, "Statsråd Kari Holm:\n– Dette er viktig for oss.\n")
    assert [text_of(q.speaker) for q in quotes] == ["Statsråd Kari Holm"]


# ------------------------------------------------------- transcripts and scripts
RECORD = (
    "Spørretimen\n"
    "Presidenten: Vi går til første spørsmål.\n"
    "Kari Holm (SV): Jeg vil gjerne stille statsråden et\n"
    "spørsmål om skolen. Hva vil hun gjøre?\n"
    "Statsråd Per Lie: Vi skal bygge flere\n"
    "skoler i år.\n"
    "Kari Holm (SV): Det er ikke nok.\n"
    "\n"
    "Møtet ble hevet.\n"
)


QUESTION_TURN = "Jeg vil gjerne stille statsråden et\nspørsmål om skolen. Hva vil hun gjøre?"


def test_each_turn_of_a_record_is_an_indirect_quote_of_its_label(nb: Language) -> None:
    quotes = analyse(nb, RECORD)
    assert [(q.type, content(q), text_of(q.speaker)) for q in quotes] == [
        ("indirect", "Vi går til første spørsmål", "Presidenten"),
        ("indirect", QUESTION_TURN, "Kari Holm"),
        ("indirect", "Vi skal bygge flere\nskoler i år", "Statsråd Per Lie"),
        ("indirect", "Det er ikke nok", "Kari Holm"),
    ]


def test_a_list_of_names_and_titles_is_no_script(nb: Language) -> None:
    text = "Andre nominerte:\nKari Holm: Bjørnen\nPer Lie: Gutten som elsket rådyr\nOla Vik: Natten\n"
    assert [q for q in analyse(nb, text) if not q.heading] == []


def test_picture_labels_in_capitals_name_no_speaker(nn: Language) -> None:
    text = "NABO: Per Lund bur like ved. Foto: NRK\nBRANN: Huset brann ned. Foto: NRK\nNABO: Han flytta ut.\n"
    assert analyse(nn, text) == []


def test_a_recurring_one_word_label_heads_the_lines_under_it(nn: Language) -> None:
    text = (
        "Dei to møttest i Oslo .\nOlve :\nFilmen er god .\nEr han betre no ?\n"
        "Trym :\nJa , det trur eg .\nOlve :\nEg òg .\n"
    )
    quotes = analyse(nn, text)
    assert [(content(q), text_of(q.speaker)) for q in quotes] == [
        ("Filmen er god", "Olve"),
        ("Ja , det trur eg", "Trym"),
        ("Eg òg", "Olve"),
    ]


def test_one_label_line_is_no_script(nb: Language) -> None:
    assert analyse(nb, "Kari Holm (SV): Jeg er glad for svaret i dag.\n") == [] or all(
        q.heading for q in analyse(nb, "Kari Holm (SV): Jeg er glad for svaret i dag.\n")
    )


# ------------------------------------------------------------------- Nynorsk
def test_nynorsk_seier_tag(nn: Language) -> None:
    text = "– Vi er glade for at brua endeleg er ferdig, seier ordførar Nils Aasen til Fjordabladet."
    quote = only(analyse(nn, text))
    assert content(quote) == "Vi er glade for at brua endeleg er ferdig"
    assert text_of(quote.cue) == "seier"
    assert text_of(quote.speaker) == "ordførar Nils Aasen"
    assert text_of(quote.addressee) == "Fjordabladet"


@pytest.mark.parametrize(
    ("language", "text", "speaker"),
    [
        ("nb", "Det var en lærer som sa at eleven hadde fått hjelp.", "en lærer"),
        ("nb", "Politiet har avhørt et vitne som forteller at bilen kjørte fort.", "et vitne"),
        ("nn", "Det var ein lærar som sa at eleven hadde fått hjelp.", "ein lærar"),
    ],
)
def test_the_parse_gives_a_relative_clause_the_noun_it_describes_as_speaker(
    language: str, text: str, speaker: str
) -> None:
    quote = only(kilde.load(language)(text)._.quotes)
    assert text_of(quote.speaker) == speaker


@pytest.mark.parametrize(
    ("text", "cue", "claim"),
    [
        ("Ifølgje politiet er ingen skadde i brannen.", "Ifølgje", "ingen skadde i brannen"),
        ("Ingen vart skadde i brannen, ifølgje politiet.", "ifølgje", "Ingen vart skadde i brannen"),
        # The older spellings, frequent in Nynorsk news.
        ("Ingen vart skadde i brannen, ifylgje politiet.", "ifylgje", "Ingen vart skadde i brannen"),
        ("I fylgje politiet er ingen skadde i brannen.", "I fylgje", "ingen skadde i brannen"),
    ],
)
def test_nynorsk_ifolgje(nn: Language, text: str, cue: str, claim: str) -> None:
    quote = only(analyse(nn, text))
    assert quote.type == "indirect"
    assert text_of(quote.cue) == cue
    assert text_of(quote.speaker) == "politiet"
    assert content(quote).endswith(claim)


@pytest.mark.parametrize(
    "text",
    [
        "Ordførar Nils Aasen meiner at brua vil gje bygda eit løft.",
        "Ordførar Nils Aasen meiner brua vil gje bygda eit løft.",
    ],
)
def test_nynorsk_meiner(nn: Language, text: str) -> None:
    quote = only(analyse(nn, text))
    assert quote.type == "indirect"
    assert content(quote) == "brua vil gje bygda eit løft"
    assert text_of(quote.cue) == "meiner"
    assert text_of(quote.speaker) == "Ordførar Nils Aasen"


def test_nynorsk_skriv_outlet(nn: Language) -> None:
    quote = only(analyse(nn, "Brua blir den lengste i fylket, skriv Sogn Avis."))
    assert content(quote) == "Brua blir den lengste i fylket"
    assert text_of(quote.cue) == "skriv"
    assert text_of(quote.speaker) == "Sogn Avis"


def test_nynorsk_headline_naming_its_source(nn: Language) -> None:
    quote = only(analyse(nn, "Politiet: Ingen er skadde i brannen"))
    assert quote.type == "indirect"
    assert quote.heading is True
    assert text_of(quote.speaker) == "Politiet"


# ------------------------------------------------------ impersonal cues
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("– Vi har ikke råd til å vente, heter det i uttalelsen.", "uttalelsen"),
        ("– Brua blir stengt hele vinteren, sies det i rapporten.", "rapporten"),
    ],
)
def test_impersonal_cue_names_its_source_after_a_preposition(nb: Language, text: str, speaker: str) -> None:
    quote = only(analyse(nb, text))
    assert text_of(quote.speaker) == speaker


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("– Vi er klare, sier daglig leder i Fjellkraft, Tor Lie, til Bladet.", "Bladet"),
        ("– Vi er klare, sier Tor Lie til Bladet i forrige uke.", "Bladet"),
    ],
)
def test_addressee_after_an_apposition_or_before_a_time(nb: Language, text: str, addressee: str) -> None:
    quote = only(analyse(nb, text))
    assert [part.text for part in quote.content] == ["Vi er klare"]
    assert text_of(quote.addressee) == addressee


def test_impersonal_cue_with_a_fronted_source(nn: Language) -> None:
    quote = only(analyse(nn, "I ei fråsegn går det fram at kommunen vil byggje ny skule."))
    assert content(quote) == "kommunen vil byggje ny skule"
    assert text_of(quote.speaker) == "ei fråsegn"


@pytest.mark.parametrize(
    ("language", "text", "speaker"),
    [
        (
            "nn",
            "Utvalet la fram rapporten sin i mai. Det heitte vidare at kommunane må få meir ansvar.",
            "rapporten",
        ),
        (
            "nb",
            "Regjeringen la fram en stortingsmelding. Her heter det at alle skoler skal ha en bibliotekar.",
            "stortingsmelding",
        ),
    ],
)
def test_an_impersonal_report_cites_the_document_the_sentence_before_names(
    language: str, text: str, speaker: str
) -> None:
    # "Her heiter det at …" points back; the parse (trained pipeline) tells the formal subject.
    quote = only(analyse(kilde.load(language), text))
    assert quote.type == "indirect"
    assert text_of(quote.speaker) == speaker


def test_only_a_cue_with_nothing_fronted_points_back_to_a_document() -> None:
    documents = document_nouns(Lexicon.load("nn"))
    nlp = kilde.load("nn")

    def cited(text: str, cue: str) -> str | None:
        doc = nlp(text)
        found = cited_document(next(t for t in doc if t.text == cue), documents)
        return None if found is None else found.text

    # Past the line break the segmenter keeps as a sentence of its own.
    assert (
        cited("Fylket sende ut eit notat i går.\nHer heiter det at bussen skal gå oftare.", "heiter")
        == "notat"
    )
    # A fronted phrase names the time, not a document to point back to.
    assert (
        cited("Fylket sende ut eit notat i går.\nI fjor heitte det at bussen skulle gå oftare.", "heitte")
        is None
    )
    # The sentence before names no document.
    assert cited("Fylket hadde møte i går.\nHer heiter det at bussen skal gå oftare.", "heiter") is None


def test_coordinated_verb_after_a_name_and_a_past_tense_verb(nb: Language) -> None:
    quote = only(analyse(nb, "Lie ringte ordføreren og sa at brua må stenges."))
    assert content(quote) == "brua må stenges"
    assert text_of(quote.speaker) == "Lie"


# ------------------------------------------------------ infinitive reports
@pytest.mark.parametrize(
    ("text", "speaker", "cue", "expected"),
    [
        (
            "Fylkeslegen oppfordret kommunen til å stenge badeplassen i helgen.",
            "Fylkeslegen",
            "oppfordret",
            "stenge badeplassen i helgen",
        ),
        ("Rådmannen ba om å få utsatt fristen til mars.", "Rådmannen", "ba om", "få utsatt fristen til mars"),
        ("I fjor truet rektor Eva Dahl med å stenge kantina.", "rektor Eva Dahl", "truet", "stenge kantina"),
        ("Styret har lovet å legge fram tallene før jul.", "Styret", "lovet", "legge fram tallene før jul"),
    ],
)
def test_directive_cue_reports_its_infinitive(
    nb: Language, text: str, speaker: str, cue: str, expected: str
) -> None:
    quote = only(analyse(nb, text))
    assert quote.type == "indirect"
    assert (text_of(quote.speaker), text_of(quote.cue), content(quote)) == (speaker, cue, expected)


def test_nynorsk_directive_cue_reports_its_infinitive(nn: Language) -> None:
    quote = only(analyse(nn, "Ordføraren oppmoda bebuarane til å spara på straumen i vinter."))
    assert (text_of(quote.speaker), content(quote)) == ("Ordføraren", "spara på straumen i vinter")


@pytest.mark.parametrize(
    "text",
    [
        "Statsråden ble oppfordret til å trekke seg.",  # passive: the subject was asked, not asking
        "Forbundet har aldri bedt om å få flere medlemmer.",  # negated: nothing was asked
        "Han lovet seg selv at sommeren skulle bli rolig.",  # no infinitive, no clause that reports
    ],
)
def test_no_infinitive_report(nb: Language, text: str) -> None:
    assert [q for q in analyse(nb, text) if q.cue is not None and q.cue.text != "sier"] == []


def test_directive_object_is_the_addressee(nb: Language) -> None:
    quote = only(analyse(nb, "Fylkeslegen oppfordret kommunen til å stenge badeplassen i helgen."))
    assert text_of(quote.addressee) == "kommunen"
    quote = only(analyse(nb, "De truet også med å stenge kantina."))
    assert quote.addressee is None  # "også" is no object


def test_addressee_closing_a_bare_object_report(nb: Language) -> None:
    quote = only(analyse(nb, "Pressesjef Ola Hansen bekrefter det samme overfor Fjordposten."))
    assert (content(quote), text_of(quote.addressee)) == ("det samme", "Fjordposten")


def test_comma_before_an_inverted_cue_with_at_clause(nb: Language) -> None:
    text = "Allerede i oktober, sa partiledelsen at de ville kreve store endringer i budsjettet."
    quote = only(analyse(nb, text))
    assert (text_of(quote.speaker), content(quote)) == (
        "partiledelsen",
        "de ville kreve store endringer i budsjettet",
    )


def test_adverbial_clause_after_a_closing_tag(nb: Language) -> None:
    text = "Sommeren kom tidligere enn normalt i år, mener meteorolog Eva Dahl etter at målingene ble kjent."
    quote = only(analyse(nb, text))
    assert (text_of(quote.speaker), content(quote)) == (
        "meteorolog Eva Dahl",
        "Sommeren kom tidligere enn normalt i år",
    )


def test_fronted_adverb_is_no_speaker(nb: Language) -> None:
    # "Akkurat" opens the sentence like a name would; the speaker is the inverted subject.
    quotes = analyse(nb, "Akkurat her mener rådgiver Eva Lund at det ligger store muligheter.")
    assert text_of(only(quotes).speaker) == "rådgiver Eva Lund"


@pytest.mark.parametrize(
    ("text", "speaker", "starts"),
    [
        ("Statsministeren kalte rapporten «uansvarlig» i går.", "Statsministeren", "rapporten «uansvarlig"),
        (
            "Lederen beskrev motstanderne som «bøller» og «kjeltringer».",
            "Lederen",
            "motstanderne som «bøller» og",
        ),
        ("Hun kaller det en «vi mot dem»-holdning.", "Hun", "det en «vi mot dem»-holdning"),
    ],
)
def test_naming_cue_with_a_quoted_fragment_is_mixed(
    nb: Language, text: str, speaker: str, starts: str
) -> None:
    quote = only(analyse(nb, text))
    assert quote.type == "mixed" and text_of(quote.speaker) == speaker
    assert content(quote).startswith(starts)


def test_a_name_one_gives_oneself_is_no_quote(nb: Language) -> None:
    assert analyse(nb, "Han kaller seg «Lynet».") == []


def test_nynorsk_naming_cue(nn: Language) -> None:
    quote = only(analyse(nn, "Statsråden kalla planen «uansvarleg» på møtet."))
    assert quote.type == "mixed" and text_of(quote.speaker) == "Statsråden"


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("– Vi er klare, sier den nye lederen i klubben.", "den nye lederen i klubben"),
        (
            "Prisene vil stige i vinter, skriver den britiske avisen Dagsposten.",
            "den britiske avisen Dagsposten",
        ),
        ("– Vi er klare, sier den.", "den"),
        ("– Vi er klare, sier de til lokalavisa.", "de"),
    ],
)
def test_determiner_opens_a_speaker_phrase(nb: Language, text: str, mention: str) -> None:
    assert text_of(only(analyse(nb, text)).speaker) == mention


def test_indefinite_article_opens_a_speaker_phrase(nb: Language, nn: Language) -> None:
    assert (
        text_of(only(analyse(nb, "– Vi vant, sier en glad Kari Nordmann.")).speaker)
        == "en glad Kari Nordmann"
    )
    assert (
        text_of(only(analyse(nn, "– Vi vann, seier ein glad Kari Nordmann.")).speaker)
        == "ein glad Kari Nordmann"
    )
    assert only(analyse(nb, "– Slik er det, sier en.")).speaker is None  # generic "en": no source


def test_infinitive_report_after_a_relative_pronoun(nb: Language) -> None:
    quote = only(analyse(nb, "Rapporten gikk til statsråden, som har bedt utvalget om å se på saken."))
    assert (text_of(quote.speaker), text_of(quote.addressee), content(quote)) == (
        "statsråden",
        "utvalget",
        "se på saken",
    )


def test_directive_with_an_object_prefers_the_infinitive(nb: Language) -> None:
    quote = only(analyse(nb, "Ordføreren oppfordret alle til å bli med på dugnaden."))
    assert (text_of(quote.addressee), content(quote)) == ("alle", "bli med på dugnaden")


@pytest.mark.parametrize(
    "text",
    [
        "Statsråden ble også bedt om å svare innen fredag.",  # passive behind an adverb
        "Han kaller byen for verdens beste.",  # naming without quoted words: no report
    ],
)
def test_no_report_from_passive_or_plain_naming(nb: Language, text: str) -> None:
    assert analyse(nb, text) == []


# ------------------------------------------------------ frames around reports
def test_a_report_ends_where_the_frames_around_it_begin(nb: Language) -> None:
    text = "Rektor lover å stenge skolen i morgen, ifølge et brev til foreldrene, skriver Lokalavisa."
    by_cue = {q.cue.text: q for q in analyse(nb, text)}
    assert content(by_cue["lover"]) == "stenge skolen i morgen"
    assert content(by_cue["ifølge"]) == content(by_cue["skriver"]) == "Rektor lover å stenge skolen i morgen"


def test_according_inside_a_reported_clause_claims_that_clause(nb: Language) -> None:
    text = "NRK skriver at hallen ifølge kommunen kostet 40 millioner."
    by_cue = {q.cue.text: q for q in analyse(nb, text)}
    assert content(by_cue["ifølge"]) == content(by_cue["skriver"])
    assert content(by_cue["skriver"]).startswith("hallen")


def test_the_parse_ends_an_according_source_before_its_verb() -> None:
    doc = kilde.load("nb")("Hallen har ifølge kommunen kostet 40 millioner.")
    quote = only(doc._.quotes)
    assert text_of(quote.speaker) == "kommunen"


def test_an_according_source_goes_on_past_a_middle_initial() -> None:
    doc = kilde.load("nb")("Hytta er solgt, ifølge eiendomsmegler Hans P. Berg.")
    assert text_of(only(doc._.quotes).speaker) == "eiendomsmegler Hans P. Berg"


def test_the_parse_finds_the_subject_behind_a_fronted_time() -> None:
    doc = kilde.load("nb")("Klokka 16.42 melder politiet at brannvesenet er framme på stedet.")
    quote = only(doc._.quotes)
    assert text_of(quote.speaker) == "politiet"


def test_a_bare_clause_opening_with_a_pronoun_keeps_the_subject_before_the_cue() -> None:
    # The parse hangs "de" on "sier" as a second subject: it opens the report instead.
    doc = kilde.load("nb")("Kommunen sier de foreløpig ikke har oversikt over skadene.")
    quote = only(doc._.quotes)
    assert text_of(quote.speaker) == "Kommunen"
    assert content(quote) == "de foreløpig ikke har oversikt over skadene"


def test_a_second_at_clause_goes_on_with_the_report() -> None:
    doc = kilde.load("nb")("Kari Holm sier at skolen må stenge, og at elevene skal få undervisning hjemme.")
    assert content(only(doc._.quotes)).endswith("undervisning hjemme")


def test_a_fronted_time_adverbial_is_not_the_speaker() -> None:
    nlp = kilde.load("nb")
    doc = nlp("Like etter midnatt opplyste brannvesenet på sin nettside at brannen var slukket.")
    assert text_of(only(doc._.quotes).speaker) == "brannvesenet"


def test_the_channel_a_source_spoke_through_is_not_part_of_its_name(nb: Language) -> None:
    quote = only(analyse(nb, "– Det har vært et slagsmål mellom to grupper, skriver politiet på Twitter."))
    assert text_of(quote.speaker) == "politiet"
    quote = only(analyse(nb, "Kommunen skriver i en pressemelding at skolen stenger."))
    assert text_of(quote.speaker) == "Kommunen"


def test_an_impersonal_passive_report_takes_its_source_from_the_phrase_in_front(nb: Language) -> None:
    quote = only(analyse(nb, "I rapporten ble det opplyst at reglene er klare."))
    assert (text_of(quote.speaker), content(quote)) == ("rapporten", "reglene er klare")
    # A time in front is no source.
    assert all(text_of(q.speaker) != "går" for q in analyse(nb, "I går ble det opplyst at veien var stengt."))


def test_a_naming_cue_reports_a_characterisation_in_the_writers_words() -> None:
    doc = kilde.load("nb")("Ordfører Kari Holm karakteriserer saken som svært alvorlig.")
    quote = only(doc._.quotes)
    assert (quote.type, content(quote), text_of(quote.speaker)) == (
        "indirect",
        "saken som svært alvorlig",
        "Ordfører Kari Holm",
    )


def test_a_relative_clause_after_a_naming_cue_is_no_characterisation() -> None:
    assert kilde.load("nb")("Hun beskriver boken som hun leste i fjor.")._.quotes == []


def test_a_relative_clause_about_the_speaker_still_closes_the_tag(nb: Language) -> None:
    quotes = analyse(nb, "Det har bare brent i to hus, bekrefter Nilsen, som sier at natten var kaotisk.")
    by_cue = {q.cue.text: q for q in quotes}
    assert content(by_cue["bekrefter"]) == "Det har bare brent i to hus"
    assert text_of(by_cue["bekrefter"].speaker) == "Nilsen"


def test_the_parse_names_a_tag_speaker_no_word_list_knows() -> None:
    doc = kilde.load("nb")("Det var en fin kamp, mener ballvirtuosen.")
    quote = only(doc._.quotes)
    assert (content(quote), text_of(quote.speaker)) == ("Det var en fin kamp", "ballvirtuosen")


def test_an_according_phrase_before_a_quote_in_its_sentence_names_its_speaker(nn: Language) -> None:
    text = "Styret samlast i Florø.\nIfølgje eit notat frå kommunen skal saka «avgjerast før jul»."
    quote = only(analyse(nn, text))
    assert (quote.cue.text, text_of(quote.speaker)) == ("Ifølgje", "eit notat frå kommunen")
