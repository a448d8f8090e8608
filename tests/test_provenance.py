"""Provenance: nesting of reports and who cites whom, acyclic by construction."""

from __future__ import annotations

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
