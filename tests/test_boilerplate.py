"""The boilerplate stage (``kilde_boilerplate``): furniture lines and the content lines that look like it.

Every example is invented.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

import kilde.lang.nynorsk  # registers spacy.blank("nn")
import kilde.pipeline  # noqa: F401  (registers the kilde factories)
from kilde.boilerplate import LinePattern, split_lines
from kilde.lexicon import Lexicon
from kilde.types import BOILERPLATE_SPANS

# Only the stages under test, after the sentencizer (see conftest.py).
PIPELINE_STAGES = ("kilde_boilerplate",)


def kinds(nlp: Language, text: str) -> dict[str, str]:
    """Boilerplate line text -> kind."""
    doc = nlp(text)
    return {span.text: span.label_ for span in doc.spans[BOILERPLATE_SPANS]}


def article(*lines: str) -> str:
    return "\n\n".join(lines)


HEADLINE = "Brua over elva stenges i sommer"
LEAD = "Kommunen stenger brua i seks uker mens den blir reparert."
BODY = "Arbeidet starter i juni, og trafikken blir sendt om sentrum. Bussene får egne felt."


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Artikkelen fortsetter under annonsen", "ad"),
        ("(Annonse)", "ad"),
        ("Annonse", "ad"),
        ("Les også: Ny rekord for strømprisen i vinter", "teaser"),
        ("Les også Ferjene står i ro etter streik", "teaser"),
        ("Se video: Slik ble bilen løftet opp av grøfta", "teaser"),
        ("Fikk du med deg denne? Hunden som fant veien hjem", "teaser"),
        ("Mange har lest denne saken: Slik sparer du på matbudsjettet (abo.)", "teaser"),
        ("Her kan du lese alt om kommunevalget", "teaser"),
        ("Vis mer", "teaser"),
        ("Hopp til innhold", "navigation"),
        ("Del på Facebook", "navigation"),
        ("Logg inn", "navigation"),
        ("Meny", "navigation"),
        ("Nyheter", "navigation"),
        ("innenriks", "navigation"),
        ("Tips oss", "tip"),
        ("Har du tips i denne saken? Send oss en melding.", "tip"),
        ("Eventuelt kan du bruke skjemaet under.", "tip"),
        ("Reporteren nås på 22 33 44 55 eller tips@avisa.no", "tip"),
        ("Foto: Ola Nordmann / NTB", "credit"),
        ("Foto/Arkiv: Per Hansen", "credit"),
        ("Illustrasjon: Kari Nordmann", "credit"),
        ("Ola Nordmann / NTB scanpix", "credit"),
        ("(©NTB)", "agency"),
        ("(NTB)", "agency"),
        ("©NPK", "agency"),
        ("Av Kari Nordmann og Per Hansen", "byline"),
        ("Publisert: 12. mars 2023 kl. 14.05", "byline"),
        ("Oppdatert for 5 minutter siden", "byline"),
        ("For mindre enn 20 minutter siden", "byline"),
    ],
)
def test_furniture_line_is_boilerplate(nb: Language, line: str, kind: str) -> None:
    found = kinds(nb, article(HEADLINE, LEAD, line, BODY))
    assert found == {line: kind}


def test_span_covers_the_whole_line(nb: Language) -> None:
    text = article(HEADLINE, LEAD, "Les også: Strømmen går i hele bydelen", BODY)
    doc = nb(text)
    (span,) = doc.spans[BOILERPLATE_SPANS]
    start = text.index("Les også")
    assert (span.start_char, span.end_char) == (start, start + len("Les også: Strømmen går i hele bydelen"))


@pytest.mark.parametrize(
    "line",
    [
        # A caption is content even when it ends in a credit.
        "STENGT: Brua er stengt for all trafikk. Foto: Ola Nordmann",
        "Stor pågang: Mange ville se den nye brua. Foto: Kari Nordmann / NTB",
        # A paragraph that ends with the agency mark is still a paragraph.
        "Kommunen venter at arbeidet blir ferdig i august, opplyser ordføreren. (©NTB)",
        # Short sub-headings, also several capitalised words and single words.
        "Faste avgifter utgjør mer",
        "Dyrere enn ventet",
        "Forsvarer Per Hansen",
        "Protester",
        # Quote sub-headings.
        "– Kort sitat",
        "«Vi må vente»",
        # A police appeal is article content, not a newsroom tip line.
        "Politiet ønsker å komme i kontakt med vitner som var i området natt til søndag.",
    ],
)
def test_content_line_is_not_boilerplate(nb: Language, line: str) -> None:
    assert kinds(nb, article(HEADLINE, LEAD, line, BODY)) == {}


def test_headline_that_looks_like_a_teaser_label_stays(nb: Language) -> None:
    text = article("Kommentar: Brua kom for seint", LEAD, BODY)
    assert kinds(nb, text) == {}


def test_teaser_label_in_the_body(nb: Language) -> None:
    text = article(HEADLINE, LEAD, "Debatt: Trenger byen en ny bru?", BODY)
    assert kinds(nb, text) == {"Debatt: Trenger byen en ny bru?": "teaser"}


def test_name_in_capitals_is_a_credit(nb: Language) -> None:
    text = article("KARI NORDMANN", HEADLINE, LEAD, BODY)
    assert kinds(nb, text) == {"KARI NORDMANN": "credit"}


def test_sub_heading_in_capitals_with_small_words_stays(nb: Language) -> None:
    text = article(HEADLINE, LEAD, "FAKTA OM BRUA", BODY)
    assert kinds(nb, text) == {}


def test_image_title_and_name_above_a_caption(nn: Language) -> None:
    text = article(
        "Ferja går att frå måndag",
        "Reiarlaget har fått ferja tilbake frå verkstaden.",
        "Ferja ved kaia",
        "KLAR IGJEN: Ferja ligg ved kaia etter reparasjonen.",
        "Foto: Ola Nordmann / NRK",
        "Ferjekaia i Vik er stengd i to dagar til.",
        "Per Hansen",
        "NØGD: Dagleg leiar Per Hansen i reiarlaget.",
        "Foto: NRK",
        "– Vi er glade for å vere i gang att, seier Hansen.",
    )
    assert kinds(nn, text) == {
        "Ferja ved kaia": "credit",
        "Foto: Ola Nordmann / NRK": "credit",
        "Per Hansen": "credit",
        "Foto: NRK": "credit",
    }


def test_sub_heading_before_a_caption_without_image_signs_stays(nb: Language) -> None:
    # The caption neither carries a credit nor has one after it: no image block.
    text = article(HEADLINE, LEAD, "Mer trafikk", "OMKJØRING: Bilene må kjøre gjennom sentrum.", BODY)
    assert kinds(nb, text) == {}


def test_nynorsk_ad_break_and_agency(nn: Language) -> None:
    text = article(
        "innanriks",
        "Vegen over fjellet opnar att",
        "Vegvesenet opnar vegen etter at raset er rydda.",
        "(Artikkelen held fram under biletet)",
        "Det tok tre dagar å rydde vegen, seier vegsjefen.",
        "(©NPK)",
    )
    assert kinds(nn, text) == {
        "innanriks": "navigation",
        "(Artikkelen held fram under biletet)": "ad",
        "(©NPK)": "agency",
    }


def test_related_article_card_after_a_section_label(nn: Language) -> None:
    text = article(
        "Snøen stengde vegen til bygda",
        "Bygda har vore utan vegsamband sidan natt til fredag.",
        "– Vi er vande med dette, seier ein bebuar.",
        "Nyheter",
        "Flere fjelloverganger er fortsatt stengt",
        "Det er fortsatt stengt over flere fjell, og det er ventet mer snø i helgen.",
        "Vegvesenet vurderer rassikringa på måndag.",
    )
    assert kinds(nn, text) == {
        "Nyheter": "navigation",
        "Flere fjelloverganger er fortsatt stengt": "teaser",
        "Det er fortsatt stengt over flere fjell, og det er ventet mer snø i helgen.": "teaser",
    }


def test_tip_block_with_newsroom_request(nb: Language) -> None:
    text = article(
        HEADLINE,
        LEAD,
        BODY,
        "Avisa.no ønsker å komme i kontakt med bilister som har kjørt over brua i år.",
        "Ta kontakt på 99 88 77 66 eller tips@avisa.no.",
    )
    assert kinds(nb, text) == {
        "Avisa.no ønsker å komme i kontakt med bilister som har kjørt over brua i år.": "tip",
        "Ta kontakt på 99 88 77 66 eller tips@avisa.no.": "tip",
    }


def test_list_of_names_in_a_fact_box_stays(nb: Language) -> None:
    text = article(HEADLINE, LEAD, "Programmet fredag:", "Kari Nordmann", "Per Hansen", "Ola Nordmann", BODY)
    assert kinds(nb, text) == {}


def test_language_data_patterns_parse() -> None:
    for language in ("nb", "nn"):
        patterns = [LinePattern.parse(entry) for entry in Lexicon.load(language).boilerplate_patterns]
        assert patterns
        assert {p.kind for p in patterns} >= {
            "ad",
            "teaser",
            "navigation",
            "tip",
            "credit",
            "agency",
            "byline",
        }


def test_bad_pattern_is_reported() -> None:
    with pytest.raises(ValueError):
        LinePattern.parse("reklame: ^Annonse$")


def test_split_lines_keeps_offsets() -> None:
    text = "En\n\n  To  \nTre"
    lines = split_lines(text)
    assert [(line.start, line.end, line.text) for line in lines] == [
        (0, 2, "En"),
        (4, 10, "  To  "),
        (11, 14, "Tre"),
    ]
