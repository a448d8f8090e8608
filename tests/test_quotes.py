"""The direct-quote stage (``kilde_quotes``): «…», dialogue dashes, interrupted quotes, headings.

Every example is invented. Most tests run the quote stage on its own, behind the
boilerplate stage (the stage only reads what runs before it); a few run the full
pipeline to check what the quote stage hands on.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import kilde
import kilde.lang.nynorsk  # registers spacy.blank("nn")
import kilde.pipeline  # registers the kilde factories
from kilde.types import Quote

# Only the stages under test, after the sentencizer (see conftest.py).
PIPELINE_STAGES = ("kilde_boilerplate", "kilde_quotes")


def direct_quotes(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    quotes = [q for q in doc._.quotes or [] if q.type == "direct"]
    return sorted(quotes, key=lambda q: q.start_char)


def contents(quote: Quote) -> list[str]:
    return [part.text for part in quote.content]


# ------------------------------------------------------------------ «…» quotes
def test_guillemets_with_inverted_tag(nb: Language) -> None:
    text = "«Vi har aldri sett så mye snø i mars», sier brøytesjef Anders Vik til Trønder-Avisa."
    [quote] = direct_quotes(nb, text)
    assert quote.type == "direct"
    assert contents(quote) == ["Vi har aldri sett så mye snø i mars"]
    assert quote.cue is not None and quote.cue.text == "sier"
    assert quote.heading is False
    # Offsets point into the text, without the quote marks.
    assert text[quote.start_char - 1] == "«" and text[quote.end_char] == "»"


def test_question_mark_before_tag_without_comma(nb: Language) -> None:
    [quote] = direct_quotes(nb, "«Hvorfor skal vi betale for dette?» spør Kari Nordvik.")
    assert contents(quote) == ["Hvorfor skal vi betale for dette?"]
    assert quote.cue is not None and quote.cue.text == "spør"


def test_several_sentences_inside_one_pair_of_marks_are_one_quote(nb: Language) -> None:
    [quote] = direct_quotes(nb, "«Vi har ventet i tre år. Nå er tålmodigheten slutt», sier Kari Nordvik.")
    assert contents(quote) == ["Vi har ventet i tre år. Nå er tålmodigheten slutt"]


@pytest.mark.parametrize("marks", [('"', '"'), ("“", "”")])
def test_other_quote_marks(nb: Language, marks: tuple[str, str]) -> None:
    opening, closing = marks
    [quote] = direct_quotes(nb, f"{opening}Vi har ventet i tre år{closing}, sier Kari Nordvik.")
    assert contents(quote) == ["Vi har ventet i tre år"]
    assert quote.cue is not None and quote.cue.text == "sier"


# --------------------------------------------------------------- dash quotes
def test_dash_paragraph_with_tag(nb: Language) -> None:
    text = "Brua over elva er stengt.\n\n– Vi må stenge veien i natt, sier han.\n\nDet snør fortsatt."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Vi må stenge veien i natt"]
    assert quote.cue is not None and quote.cue.text == "sier"
    assert quote.heading is False


def test_dash_quote_interrupted_by_its_tag(nb: Language) -> None:
    [quote] = direct_quotes(nb, "– Vi kan ikke, sier hun, love noe før i morgen.")
    assert contents(quote) == ["Vi kan ikke", "love noe før i morgen"]
    assert quote.cue is not None and quote.cue.text == "sier"


def test_guillemet_quote_interrupted_by_its_tag_is_one_quote_with_two_parts(nb: Language) -> None:
    text = "«Vi kan ikke», sier hun, «love noe før i morgen»."
    quotes = direct_quotes(nb, text)
    assert len(quotes) == 1
    [quote] = quotes
    assert contents(quote) == ["Vi kan ikke", "love noe før i morgen"]
    assert quote.cue is not None and quote.cue.text == "sier"
    # The tag lies between the two parts, outside the content.
    assert quote.content[0].end_char < quote.cue.start_char < quote.content[1].start_char


@pytest.mark.parametrize(
    "text",
    [
        "– Vi kan ikke love noe, sier hun. – Det er rett og slett for tidlig.",
        "– Vi kan ikke, sier hun, love noe i dag. Det er rett og slett for tidlig.",
    ],
)
def test_dash_paragraph_goes_on_after_its_tag(nb: Language, text: str) -> None:
    quotes = direct_quotes(nb, text)
    covered = " ".join(part for q in quotes for part in contents(q))
    assert "Vi kan ikke" in covered
    assert "Det er rett og slett for tidlig" in covered


def test_continuation_dash_paragraph_without_tag_is_a_new_quote(nb: Language) -> None:
    text = (
        "Brøytesjefen er bekymret.\n\n"
        "– Vi må stenge veien i natt, sier han.\n\n"
        "– Det finnes ingen annen utvei når det blåser så mye."
    )
    first, second = direct_quotes(nb, text)
    assert contents(first) == ["Vi må stenge veien i natt"]
    assert contents(second) == ["Det finnes ingen annen utvei når det blåser så mye"]
    assert second.cue is None
    assert second.heading is False


# ------------------------------------------------------------------ headings
def test_short_dash_line_is_a_quote_heading(nb: Language) -> None:
    text = "– Vi gir oss ikke\n\nBygdelaget vil kjempe videre for skolen.\n\n– Vi gir oss ikke, sier Nordvik."
    heading, body = direct_quotes(nb, text)
    assert contents(heading) == ["Vi gir oss ikke"]
    assert heading.heading is True
    assert heading.cue is None
    assert body.heading is False
    assert body.cue is not None and body.cue.text == "sier"


def test_guillemet_line_is_a_quote_heading(nb: Language) -> None:
    text = "«Et rent sirkus»\n\nMøtet i kommunestyret varte til langt på natt."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Et rent sirkus"]
    assert quote.heading is True
    assert quote.cue is None


def test_headline_with_speaker_before_colon_and_dash(nb: Language) -> None:
    text = "Nordvik om nedleggelsen: – Vi gir oss ikke\n\nBygdelaget vil kjempe videre for skolen."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Vi gir oss ikke"]
    assert quote.heading is True
    assert quote.cue is None
    assert quote.speaker is not None and quote.speaker.text == "Nordvik"


def test_headline_frame_names_who_speaks_to_whom(nb: Language) -> None:
    text = "Fisker til statsråden: – Vi klarer oss ikke\n\nKvotene for torsk er kuttet igjen."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Vi klarer oss ikke"]
    assert quote.speaker is not None and quote.speaker.text == "Fisker"
    assert quote.addressee is not None and quote.addressee.text == "statsråden"


def test_headline_frame_that_opens_with_a_preposition_names_no_one(nb: Language) -> None:
    text = "Fra Oslo til Bergen: – Vi kom fram til slutt\n\nToget var seks timer forsinket."
    [quote] = direct_quotes(nb, text)
    assert quote.speaker is None and quote.addressee is None


def test_dash_body_paragraph_ending_in_full_stop_is_not_a_heading(nb: Language) -> None:
    [quote] = direct_quotes(nb, "– Vi gir oss ikke.")
    assert quote.heading is False


# ------------------------------------------------------------- not quotes
def test_scare_quotes_are_not_quotes(nb: Language) -> None:
    text = "Det var bilene på parkeringsplassen som «kjørte gris» hele natten."
    assert direct_quotes(nb, text) == []


def test_quoted_title_of_a_work_is_not_a_quote(nb: Language) -> None:
    assert direct_quotes(nb, "Romanen «Snøen i mars» kom ut i fjor høst.") == []


def test_journalists_question_is_not_a_quote_but_the_answer_is(nb: Language) -> None:
    text = "– Hvorfor stengte dere veien?\n\n– Fordi det var for farlig å kjøre der i natt."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Fordi det var for farlig å kjøre der i natt"]


def test_a_question_that_goes_on_in_the_next_line_is_not_a_quote() -> None:
    # A line per sentence: the journalist's statement, the question, the answer; an answer
    # followed by the next question (first person, not second) stays a quote.
    text = (
        "– Du har jobbet her i tjue år .\nEr du overrasket over kritikken ?\n"
        "– Nei , jeg har hørt den før .\nHva skjer nå ?\n– Vi fortsetter som før .\n"
    )
    quotes = direct_quotes(kilde.load("nb"), text)
    assert [contents(q) for q in quotes] == [["Nei , jeg har hørt den før"], ["Vi fortsetter som før"]]


def test_question_with_tagged_answer(nb: Language) -> None:
    text = "– Hvorfor stengte dere veien?\n\n– Fordi det var for farlig, sier Vik."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Fordi det var for farlig"]
    assert quote.cue is not None and quote.cue.text == "sier"


def test_quotes_inside_boilerplate_lines_are_skipped(nb: Language) -> None:
    text = (
        "Les også: «Vi har aldri sett så mye snø», sier brøytesjefen\n\n"
        "Veien over fjellet er stengt.\n\n"
        "«Vi åpner igjen i morgen», sier Anders Vik."
    )
    doc = nb(text)
    assert [span.text for span in doc.spans["kilde_boilerplate"]] == [text.split("\n")[0]]
    quotes = [q for q in doc._.quotes if q.type == "direct"]
    assert [contents(q) for q in quotes] == [["Vi åpner igjen i morgen"]]


# ------------------------------------------------------- component alone
def test_component_works_alone_on_a_blank_pipeline() -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("kilde_quotes")
    doc = nlp("«Vi må stenge veien», sier brøytesjefen.\n\n– Det er for farlig, sier han.")
    assert nlp.pipe_names == ["kilde_quotes"]
    assert [contents(q) for q in doc._.quotes] == [["Vi må stenge veien"], ["Det er for farlig"]]
    assert [q.cue.text for q in doc._.quotes if q.cue is not None] == ["sier", "sier"]
    # Speakers are the attribution stage's job.
    assert all(q.speaker is None for q in doc._.quotes)


def test_component_alone_on_blank_nynorsk() -> None:
    nlp = spacy.blank("nn")
    nlp.add_pipe("kilde_quotes")
    doc = nlp("«Vi må stengje vegen», seier brøytesjefen.\n\n– Det er for farleg, seier han.")
    assert nlp.lang == "nn"
    assert [contents(q) for q in doc._.quotes] == [["Vi må stengje vegen"], ["Det er for farleg"]]
    assert [q.cue.text for q in doc._.quotes if q.cue is not None] == ["seier", "seier"]


# ------------------------------------------------------------------ Nynorsk
def test_nynorsk_dash_quote_and_interrupted_quote(nn: Language) -> None:
    text = "– Vi er glade for at brua endeleg er ferdig, seier ho.\n\n«Vi kan ikkje», seier han, «love noko»."
    first, second = direct_quotes(nn, text)
    assert contents(first) == ["Vi er glade for at brua endeleg er ferdig"]
    assert first.cue is not None and first.cue.text == "seier"
    assert contents(second) == ["Vi kan ikkje", "love noko"]


def test_nynorsk_heading_and_scare_quote(nn: Language) -> None:
    text = "– Vi har venta lenge\n\nBygda har fått ei ny bru som folk kallar «strikken»."
    [quote] = direct_quotes(nn, text)
    assert contents(quote) == ["Vi har venta lenge"]
    assert quote.heading is True


def test_nynorsk_via_kilde_load() -> None:
    nlp = kilde.load("nn")
    doc = nlp("«Vi må stengje vegen», seier brøytesjefen.")
    [quote] = [q for q in doc._.quotes if q.type == "direct"]
    assert contents(quote) == ["Vi må stengje vegen"]
    assert quote.cue is not None and quote.cue.text == "seier"


def test_a_dash_after_a_colon_inside_a_line_opens_a_quote(nb: Language) -> None:
    text = "Spillerne sa sitt om banen.\nTore Vik: – Gresset er for hardt, det merker vi. Vi har klaget."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Gresset er for hardt, det merker vi. Vi har klaget"]
    assert quote.speaker is not None and quote.speaker.text == "Tore Vik"


def test_an_inline_colon_dash_quote_ends_at_its_tag(nb: Language) -> None:
    text = "Advokaten ville ikke si mer: – Sakens papirer taler for seg, sier Kari Berg."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Sakens papirer taler for seg"]
    assert quote.cue is not None and quote.cue.text == "sier"


def test_a_dash_after_a_sentence_inside_a_line_opens_a_quote_that_ends_at_its_tag(nb: Language) -> None:
    # A text that lost its line breaks: the dash quote stands inside the paragraph.
    text = "Brannen er slukket. – Vi fikk kontroll i natt. Alle er trygge, sier Ola Dahl. Veien er åpen."
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Vi fikk kontroll i natt. Alle er trygge"]
    assert quote.cue is not None and quote.cue.text == "sier"


def test_the_speakers_title_after_the_tag_is_not_the_quote_going_on() -> None:
    # The parse tells a title (no verb) from the quote going on after the tag.
    text = "– Dette er nytt for oss, sier Kari Dal, professor ved universitetet i Bergen."
    [quote] = direct_quotes(kilde.load("nb"), text)
    assert contents(quote) == ["Dette er nytt for oss"]


def test_a_dash_inside_a_line_without_a_tag_is_a_parenthesis(nb: Language) -> None:
    assert direct_quotes(nb, "Veien er stengt. – Den åpner neppe før i morgen.") == []


def test_dash_lines_without_verbs_in_a_run_are_a_list_not_speech() -> None:
    text = (
        "Utvalget har hatt disse medlemmene:\n– Biskop Kari Holm, Tromsø\n– Lektor Per Vik, Hegra\n"
        "– Rådgiver Ola Li, Asker (leder)\n\n"
        "Hva gjør deg glad ?\n- Til Dubai .\nOg hva mer ?\n- Afghanistan .\n"
    )
    quotes = direct_quotes(kilde.load("nb"), text)
    assert [contents(q) for q in quotes] == [["Til Dubai"], ["Afghanistan"]]


def test_guillemets_may_run_over_lines_in_a_sentence_a_line_text(nb: Language) -> None:
    text = (
        "Hun uttalte seg til NRK i fjor :\n« Det er lett for at slike studier skaper frykt .\n"
        "Man må se resultatene i sammenheng » , sier Kari Holm .\nHun ble ikke trodd .\n"
    )
    [quote] = direct_quotes(nb, text)
    first, second = "Det er lett for at slike studier skaper frykt .", "Man må se resultatene i sammenheng"
    assert contents(quote) == [f"{first}\n{second}"]
    assert quote.cue is not None and quote.cue.text == "sier"


def test_an_unclosed_guillemet_before_a_blank_line_does_not_swallow_the_next_paragraph(nb: Language) -> None:
    text = "Boka heter « Vinter i byen .\n\n– Jeg liker den, sier Per Vik."
    quotes = direct_quotes(nb, text)
    assert ["Jeg liker den"] in [contents(q) for q in quotes]


def test_a_tag_naming_no_one_inside_a_dash_quote_gives_way_to_the_quotes_own_tag(nb: Language) -> None:
    text = "– Jeg unngikk temaet, svarte jeg da NTB spurte, men det var feil, sier Per Holm til avisen."
    [quote] = direct_quotes(nb, text)
    assert quote.cue is not None and quote.cue.text == "sier"
    assert contents(quote) == ["Jeg unngikk temaet, svarte jeg da NTB spurte, men det var feil"]
    # Alone, a first-person tag is the quote's tag.
    [alone] = direct_quotes(nb, "– Ja, sa jeg.")
    assert alone.cue is not None and alone.cue.text == "sa"


def test_a_quote_line_after_a_colon_is_the_quote_it_announces_not_a_heading(nb: Language) -> None:
    text = "Jeg ringer nødnummeret.\nEi kvinnestemme sier :\n« Hva har skjedd ? »\nJeg forklarer alt.\n"
    [quote] = direct_quotes(nb, text)
    assert contents(quote) == ["Hva har skjedd ?"]
    assert quote.heading is False
