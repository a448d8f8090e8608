"""Provenance: nesting of reports and who cites whom, acyclic by construction."""

from __future__ import annotations

from pathlib import Path

import pytest

import kilde
from kilde.invariants import violations

# A retold story: a claim relayed from a recording through a newspaper, then the
# person himself in a second paragraph (the shape of many rewritten articles).
RETOLD = (
    "En norsk fisker lover å selge båten sin på grunn av frustrasjon over kvotene, ifølge en "
    "radiosamtale som skal ha blitt tatt opp av kystvakten, skriver Fiskeribladet.\n\n"
    "I et opptak som ble offentliggjort av kystvakten i forrige uke, klager fiskeren til broren "
    "sin at sjefen «ikke engang kan skaffe diesel»."
)


def _chain(result: dict, quote: dict) -> list[str]:
    """Speaker names from a quote outwards through ``nested_in`` to the article."""
    by_id = {q["id"]: q for q in result["quotes"]}
    names = [quote["speaker"]["name"]]
    while quote["nested_in"] is not None:
        quote = by_id[quote["nested_in"]]
        names.append(quote["speaker"]["name"])
    return names


@pytest.mark.parametrize("rules_only", [True, False])
def test_retold_story_chain_runs_from_person_to_article(rules_only: bool) -> None:
    result = kilde.analyze(RETOLD, "nb", rules_only=rules_only)
    assert violations(result, RETOLD) == []
    fisher = next(q for q in result["quotes"] if q["cue"] and q["cue"]["text"] == "lover")
    assert fisher["content"][0]["text"] == "selge båten sin på grunn av frustrasjon over kvotene"
    assert _chain(result, fisher) == ["norsk fisker", "radiosamtale", "Fiskeribladet"]
    names = {e["id"]: e["name"] for e in result["entities"]}
    edges = {(names[e["source"]], names.get(e["target"], e["target"])) for e in result["provenance"]}
    assert {("norsk fisker", "radiosamtale"), ("radiosamtale", "Fiskeribladet")} <= edges
    assert ("Fiskeribladet", "article") in edges


def test_a_role_noun_is_not_the_start_of_a_longer_name() -> None:
    result = kilde.analyze(RETOLD, "nb", rules_only=True)
    complaint = next(q for q in result["quotes"] if q["cue"] and q["cue"]["text"] == "klager")
    assert complaint["speaker"]["mention"]["text"] == "fiskeren"
    assert complaint["speaker"]["name"] == "norsk fisker"


@pytest.mark.parametrize(
    "text",
    [
        # Each report's words hold the other's cue: neither may end up inside the other twice.
        "Avisen skriver at ordføreren sa at avisen skriver feil, sier ordføreren til Kystavisa.",
        "Kystverket melder at NTB skriver at Kystverket melder at isen er trygg, skriver NTB.",
        "Ifølge NTB sier politiet at ifølge NTB er brua stengt, opplyser politiet.",
    ],
)
def test_mutual_reports_never_form_a_cycle(text: str) -> None:
    for rules_only in (True, False):
        assert violations(kilde.analyze(text, "nb", rules_only=rules_only), text) == []


# --- chains: relayed sources frame what follows them -----------------------------------------------

CASES = Path(__file__).parent / "cases"

# Written for this test: a paper retells a foreign outlet's story about a call that an
# intelligence service intercepted, with a teaser, an ad break and a quote sub-heading.
SOLDIER_AND_MOTHER = (CASES / "soldat_og_mor_nb.txt").read_text(encoding="utf-8")

OUTLET = "The Guardian"
SERVICE = "ukrainske etterretningstjenesten"
SOLDIER = "russisk soldat"


def _quote(result: dict, content_start: str, cue: str | None = None) -> dict:
    """The quote whose content starts so (and whose cue is ``cue``, where two report the same words)."""
    return next(
        q
        for q in result["quotes"]
        if q["content"][0]["text"].startswith(content_start)
        and (cue is None or (q["cue"] or {}).get("text") == cue)
    )


def _chain_names(quote: dict) -> list[str | None]:
    return [link["name"] for link in quote["chain"]]


@pytest.fixture(scope="module")
def soldier_article() -> dict:
    return kilde.analyze(SOLDIER_AND_MOTHER, "nb")


def test_soldier_article_is_sound(soldier_article: dict) -> None:
    assert violations(soldier_article, SOLDIER_AND_MOTHER) == []
    furniture = {(line["text"], line["kind"]) for line in soldier_article["boilerplate"]}
    assert furniture == {
        ("Les også: Dette vet vi om krigen akkurat nå", "teaser"),
        ("Artikkelen fortsetter under annonsen", "ad"),
    }


@pytest.mark.parametrize(
    ("content_start", "cue", "speaker", "chain"),
    [
        # The outlet, named in the lead and at the end: the article cites it directly.
        ("En russisk soldat klager", "skriver", OUTLET, [OUTLET]),
        ("En annen soldat innrømmer", "skriver", OUTLET, [OUTLET]),
        # The service's own report, in the lead ("ifølge") and the next paragraph ("opplyser").
        ("En russisk soldat klager", "ifølge", SERVICE, [OUTLET, SERVICE]),
        ("samtalen skal ha blitt fanget opp", "opplyser", SERVICE, [OUTLET, SERVICE]),
        # The soldier: indirect in the lead, then «» and dash paragraphs and a quote sub-heading.
        ("troppen hans mangler", "klager", SOLDIER, [OUTLET, SERVICE, SOLDIER]),
        ("Vi har ikke spist", "sier", SOLDIER, [OUTLET, SERVICE, SOLDIER]),
        ("Ikke gjør det, mamma", "svarer", SOLDIER, [OUTLET, SERVICE, SOLDIER]),
        ("Ingen av oss vet", None, SOLDIER, [OUTLET, SERVICE, SOLDIER]),
        ("Han sa at han heller", "sier", SOLDIER, [OUTLET, SERVICE, SOLDIER]),
        # The second soldier is another person, whom the outlet cites.
        ("han har stjålet", "innrømmer", "annen soldat", [OUTLET, "annen soldat"]),
    ],
)
def test_soldier_article_speakers_and_chains(
    soldier_article: dict, content_start: str, cue: str | None, speaker: str, chain: list[str]
) -> None:
    quote = _quote(soldier_article, content_start, cue)
    assert quote["speaker"]["name"] == speaker
    assert _chain_names(quote) == chain
    assert quote["chain"][-1]["via"] == quote["id"]


def test_soldier_article_chain_links_carry_ids_and_kinds(soldier_article: dict) -> None:
    quote = _quote(soldier_article, "Ikke gjør det, mamma")
    assert [link["kind"] for link in quote["chain"]] == ["media", "organization", "person"]
    names = {entity["id"]: entity["name"] for entity in soldier_article["entities"]}
    assert [names[link["entity"]] for link in quote["chain"]] == [OUTLET, SERVICE, SOLDIER]


# The mother speaks in the intercepted call, not through her son: by the contract's nesting
# (a quote is nested in the report that contains it), her words reach the article the way his
# do, so her chain is article ← outlet ← service ← mother. Earlier stages get these wrong today.
def test_soldier_article_mother(soldier_article: dict) -> None:
    quote = _quote(soldier_article, "hun vil ringe")
    assert "mor" in (quote["speaker"]["name"] or "")
    assert _chain_names(quote)[:2] == [OUTLET, SERVICE]


def test_soldier_article_headline(soldier_article: dict) -> None:
    headline = _quote(soldier_article, "Vi får ikke mat")
    assert headline["speaker"]["name"] == SOLDIER
    assert headline["addressee"]["text"] == "moren"
    assert _chain_names(headline) == [OUTLET, SERVICE, SOLDIER]


def test_soldier_article_pronoun_after_the_ad_break(soldier_article: dict) -> None:
    assert _quote(soldier_article, "en kamerat i troppen")["speaker"]["name"] == SOLDIER


RETOLD_NN = (
    "Fiskarar klagar på kvotane\n\n"
    "Fleire fiskarar på Nordmøre meiner at kvotane for torsk er altfor låge, skriv Kystbladet.\n\n"
    "– Vi kan ikkje leve av dette, seier fiskar Ola Vik.\n\n"
    "Ifølgje ein rapport frå Havforskingsinstituttet er bestanden likevel i god stand.\n\n"
    "Vik seier til NRK at han vurderer å selje båten."
)


def test_nynorsk_outlet_in_the_lead_frames_the_story() -> None:
    result = kilde.analyze(RETOLD_NN, "nn")
    assert violations(result, RETOLD_NN) == []
    assert _chain_names(_quote(result, "Vi kan ikkje leve"))[0] == "Kystbladet"
    assert _chain_names(_quote(result, "er bestanden"))[0] == "Kystbladet"
    # Said to another outlet: that outlet's interview, which the article cites itself.
    assert _chain_names(_quote(result, "han vurderer")) == ["Ola Vik"]


def test_nynorsk_meldar_is_a_cue() -> None:
    text = "Tre hus brann ned natt til sundag, meldar NRK."
    quote = kilde.analyze(text, "nn")["quotes"][0]
    assert (quote["cue"]["text"], quote["speaker"]["name"]) == ("meldar", "NRK")


def test_outlet_in_the_middle_frames_only_its_own_paragraph() -> None:
    text = (
        "Brua stenges\n\n"
        "– Vi må skifte lagrene, sier prosjektleder Hanne Strand.\n\n"
        "Reparasjonen vil koste ti millioner, skriver Bygdeposten.\n\n"
        "– Vi er glade for at noe skjer, sier ordfører Tor Eide."
    )
    result = kilde.analyze(text, "nb")
    assert _chain_names(_quote(result, "Vi må skifte")) == ["Hanne Strand"]
    assert _chain_names(_quote(result, "Vi er glade")) == ["Tor Eide"]


def test_two_outlets_at_the_top_frame_nothing() -> None:
    text = (
        "Brann i Sandvik\n\n"
        "Tre hus brant ned i natt, skriver Bygdeposten, og Kystavisa melder at ingen ble skadet.\n\n"
        "– Det var forferdelig, sier nabo Kari Lunde."
    )
    result = kilde.analyze(text, "nb")
    assert _chain_names(_quote(result, "Det var forferdelig")) == ["Kari Lunde"]
