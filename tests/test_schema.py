"""The packaged JSON Schema of ``kilde/1``: it is a valid schema, kilde's output keeps it, and it says no.

Every example text is written for these tests (Bokmål and Nynorsk): direct, indirect and mixed
quotes, a report nested in another, hedges and page furniture. Assertions rely on the kilde/1
shape, not on how many quotes the stages find.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
import warnings
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from kilde_checks import assert_valid_kilde, kilde_errors

import kilde
from kilde.boilerplate import BOILERPLATE_KINDS
from kilde.hedges import PHRASE_KINDS
from kilde.io import read_document
from kilde.schema import SCHEMA_FILE, json_schema
from kilde.types import SPEAKER_KINDS, QuoteType

ROOT = Path(__file__).resolve().parents[1]

TEXTS = {
    "nb": """Brua over Lysefjorden stenges i to uker

Foto: Trond Berg / NTB

Statens vegvesen stenger brua fra mandag, opplyser etaten i en pressemelding.

– Vi må skifte ut lagrene før vinteren, sier prosjektleder Hanne Strand til Stavanger Tidende.

Hun forteller at omkjøringen vil ta om lag en halvtime.

ANNONSE

Ifølge kommunen skal flere bedrifter allerede ha varslet tap. Ordfører Tor Eide mener stengingen
trolig kunne vært unngått, og han kalte planleggingen «helt uforsvarlig».

Aftenposten skriver at en intern rapport ifølge Hanne Strand viser at lagrene var slitt i fjor.

«Dette burde vi ha sett tidligere», sa Eide til NRK søndag.

Les også: Ny ferjerute til Sand
""",
    "nn": """Skulen i Dalen får nytt tak

Foto: Ingrid Haugen

Kommunen set av ti millionar kroner til taket, opplyser rådmannen.

– Vi har venta lenge på dette, seier rektor Liv Aasen til Fjordposten.

Ho fortel at elevane skal flytte inn att til hausten.

Ifølgje fylket skal fleire skular ha same problem. Foreldrerådet meiner truleg at arbeidet kjem for seint.

NRK skriv at ein rapport ifølgje Liv Aasen viser at taket lak i fjor.

«Det er ei stor lette», sa Aasen til avisa.
""",
}

SHORT_TEXTS = {
    "nb": (
        "– Vi er klare, sier ordfører Kari Lunde til NTB.",
        "Været blir fint i helgen.",
        "Politiet skal angivelig ha pågrepet en mann, melder NRK.",
    ),
    "nn": (
        "– Vi er klare, seier ordførar Kari Lunde til NTB.",
        "Vêret blir fint i helga.",
        "Ifølgje politiet er vegen stengd, og han skal truleg opne att i morgon.",
    ),
}

PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8">
<title>Fyret på Stavnes får nytt lys | Kystavisa</title></head><body>
<nav><a href="/">Forside</a> <a href="/sport">Sport</a></nav>
<main><article><h1>Fyret på Stavnes får nytt lys</h1>
<p>Kystverket bytter lykta i fyret på Stavnes i løpet av høsten, opplyser etaten.</p>
<p>«Det gamle lyset har tjent oss godt i femti år», sier fyrvokter Arne Dahl til Kystavisa.</p>
<p>Ifølge Kystverket skal arbeidet ta om lag tre uker.</p>
</article></main>
<footer><p>Ansvarlig redaktør: Eva Lind. Personvern.</p></footer></body></html>
"""


@pytest.fixture(scope="module")
def results() -> list[dict[str, Any]]:
    """The analysis of every example text, with the model and with the rules alone."""
    found = []
    for rules_only in (False, True):
        for language, text in TEXTS.items():
            found.append(kilde.analyze(text, language=language, rules_only=rules_only, doc_id=language))
    return found


def walk(value: Any) -> Iterator[Any]:
    """Every value inside a JSON value, itself included."""
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


# --- the schema itself --------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == "kilde/1"


def test_json_schema_returns_a_fresh_copy() -> None:
    first = json_schema()
    first["properties"].clear()
    assert json_schema()["properties"]


def test_schema_ships_as_package_data() -> None:
    assert files("kilde").joinpath(SCHEMA_FILE).is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert SCHEMA_FILE in pyproject["tool"]["setuptools"]["package-data"]["kilde"]


def test_schema_enumerations_follow_the_code() -> None:
    """The kinds the schema allows are exactly those the stages can write."""
    schema = json_schema()
    defs, props = schema["$defs"], schema["properties"]
    assert defs["speaker_kind"]["enum"] == list(SPEAKER_KINDS)
    assert defs["quote"]["properties"]["type"]["enum"] == list(get_args(QuoteType))
    assert set(props["boilerplate"]["items"]["properties"]["kind"]["enum"]) == {*BOILERPLATE_KINDS, "other"}
    assert set(props["hedges"]["items"]["properties"]["kind"]["enum"]) == set(PHRASE_KINDS)


def test_docs_describe_every_field() -> None:
    """docs/output-format.md names every field the schema defines."""
    doc = (ROOT / "docs" / "output-format.md").read_text(encoding="utf-8")
    schema = json_schema()
    names = set(schema["properties"])
    for definition in ("quote", "entity", "edge", "span", "chain_link"):
        names |= set(schema["$defs"][definition]["properties"])
    names |= set(schema["$defs"]["quote"]["properties"]["speaker"]["properties"])
    missing = sorted(name for name in names if f"`{name}`" not in doc)
    assert missing == []
    assert "kilde-1.schema.json" in doc and "json_schema()" in doc


def test_docs_example_is_valid() -> None:
    """The example in docs/output-format.md keeps the schema, and its offsets point into its text."""
    doc = (ROOT / "docs" / "output-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, re.DOTALL)
    assert len(blocks) == 1
    example = json.loads(blocks[0])
    assert_valid_kilde(example)
    spans = [v for v in walk(example) if isinstance(v, dict) and {"start", "end", "text"} <= set(v)]
    assert len(spans) > 10
    for span in spans:
        assert example["text"][span["start"] : span["end"]] == span["text"]


# --- kilde's output keeps it --------------------------------------------------------------------


def test_analysis_is_valid(results: list[dict[str, Any]]) -> None:
    for result in results:
        assert_valid_kilde(result)
        assert result["language"] == result["id"]


def test_examples_exercise_the_schema(results: list[dict[str, Any]]) -> None:
    """The texts above fill every list and both branches of the nullable fields, so validation bites."""
    for key in ("boilerplate", "quotes", "entities", "hedges", "provenance"):
        assert all(result[key] for result in results), key
    quotes = [quote for result in results for quote in result["quotes"]]
    assert {quote["type"] for quote in quotes} >= {"direct", "indirect"}
    assert any(quote["nested_in"] for quote in quotes) and any(not quote["nested_in"] for quote in quotes)
    assert all(quote["chain"] for quote in quotes)
    assert any(len(quote["chain"]) > 1 for quote in quotes) and any(
        len(quote["chain"]) == 1 for quote in quotes
    )
    assert any(quote["addressee"] for quote in quotes) and any(not quote["addressee"] for quote in quotes)
    assert any(quote["hedged"] for quote in quotes)
    edges = [edge for result in results for edge in result["provenance"]]
    assert any(edge["target"] == "article" for edge in edges)
    assert any(edge["target"] != "article" for edge in edges)


@pytest.mark.parametrize("rules_only", [False, True], ids=["model", "rules"])
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_short_texts_are_valid(language: str, rules_only: bool) -> None:
    for text in SHORT_TEXTS[language]:
        result = kilde.analyze(text, language=language, rules_only=rules_only)
        assert_valid_kilde(result)
        assert result["id"] is None


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_bundled_examples_are_valid(language: str) -> None:
    text = files("kilde").joinpath("examples", f"artikkel_{language}.txt").read_text(encoding="utf-8")
    assert_valid_kilde(kilde.analyze(text))


def test_html_input_is_valid() -> None:
    document = read_document(PAGE.encode())
    result = kilde.analyze(document.text, doc_id="fyret")
    assert_valid_kilde(result)
    assert "Forside" not in result["text"]


def test_corpus_record_with_integer_id_and_metadata_is_valid() -> None:
    """kilde batch keeps a JSON Lines id that is an integer, and corpus runs add metadata."""
    result = kilde.analyze(SHORT_TEXTS["nb"][0])
    result["id"] = 17
    result["metadata"] = {"outlet": "kystavisa.no", "published": "2024-03", "url": "https://kystavisa.no/a/1"}
    assert_valid_kilde(json.loads(json.dumps(result)))


def test_server_answer_is_valid() -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from kilde.server import create_app

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    # Host: localhost, a loopback name that the server answers to by default.
    with TestClient(create_app(executor="thread", workers=1), base_url="http://localhost") as client:
        response = client.post("/api/analyze", json={"text": TEXTS["nn"], "language": "auto", "id": "skule"})
        assert response.status_code == 200, response.text
        assert_valid_kilde(response.json())
        page = {"file": ("fyret.html", PAGE.encode(), "text/html")}
        upload = client.post("/api/analyze", files=page, data={"language": "nb"})
        assert upload.status_code == 200, upload.text
        assert_valid_kilde(upload.json())


# --- and it says no -----------------------------------------------------------------------------


def _broken(result: dict[str, Any], change: str) -> dict[str, Any]:
    broken = copy.deepcopy(result)
    quote, entity = broken["quotes"][0], broken["entities"][0]
    match change:
        case "schema":
            broken["schema"] = "kilde/2"
        case "missing text":
            del broken["text"]
        case "language":
            broken["language"] = "sv"
        case "quote type":
            quote["type"] = "paraphrase"
        case "negative offset":
            quote["content"][0]["start"] = -1
        case "offset as string":
            quote["content"][0]["end"] = str(quote["content"][0]["end"])
        case "empty content":
            quote["content"] = []
        case "span without text":
            del quote["content"][0]["text"]
        case "speaker kind":
            quote["speaker"]["kind"] = "politician"
        case "entity id":
            quote["speaker"]["entity"] = "person-1"
        case "quote id":
            quote["id"] = "1"
        case "hedged as string":
            quote["hedged"] = "false"
        case "missing nested_in":
            del quote["nested_in"]
        case "gender":
            entity["gender"] = "x"
        case "boilerplate kind":
            broken["boilerplate"] = [{"start": 0, "end": 1, "text": broken["text"][0], "kind": "cookie"}]
        case "hedge without kind":
            broken["hedges"] = [{"start": 0, "end": 1, "text": broken["text"][0]}]
        case "provenance target":
            broken["provenance"] = [{"source": entity["id"], "via": quote["id"], "target": "the article"}]
        case "quotes not a list":
            broken["quotes"] = {}
        case "empty chain":
            quote["chain"] = []
        case "chain link without via":
            quote["chain"] = [{"entity": entity["id"], "name": entity["name"], "kind": entity["kind"]}]
        case "chain link kind":
            quote["chain"] = [{**quote["chain"][0], "kind": "newspaper"}]
    return broken


@pytest.mark.parametrize(
    "change",
    [
        "schema",
        "missing text",
        "language",
        "quote type",
        "negative offset",
        "offset as string",
        "empty content",
        "span without text",
        "speaker kind",
        "entity id",
        "quote id",
        "hedged as string",
        "missing nested_in",
        "gender",
        "boilerplate kind",
        "hedge without kind",
        "provenance target",
        "quotes not a list",
        "empty chain",
        "chain link without via",
        "chain link kind",
    ],
)
def test_schema_rejects_broken_output(change: str) -> None:
    result = kilde.analyze(SHORT_TEXTS["nb"][0], rules_only=True)
    assert_valid_kilde(result)
    broken = _broken(result, change)
    assert kilde_errors(broken), change
    with pytest.raises(AssertionError, match=r"not a valid kilde/1 object \(\d+ errors?\)"):
        assert_valid_kilde(broken)


def test_error_report_names_the_place() -> None:
    result = kilde.analyze(SHORT_TEXTS["nb"][0], rules_only=True)
    errors = kilde_errors(_broken(result, "speaker kind"))
    assert len(errors) == 1
    assert re.match(r"quotes/0/speaker/kind: 'politician' is not one of", errors[0])


def test_typed_shapes_follow_the_json_schema() -> None:
    """kilde.schema's TypedDicts and the packaged JSON Schema name the same fields."""
    from typing import get_type_hints

    from kilde.schema import (
        ChainLinkJSON,
        EdgeJSON,
        EntityJSON,
        Kilde1,
        LabelledSpanJSON,
        QuoteJSON,
        SpanJSON,
        SpeakerJSON,
    )

    schema = json_schema()
    defs = schema["$defs"]

    def keys(node: dict[str, Any]) -> tuple[set[str], set[str]]:
        properties = dict(node.get("properties", {}))
        required = set(node.get("required", []))
        for part in node.get("allOf", []):
            inner = defs[part["$ref"].rsplit("/", 1)[1]] if "$ref" in part else part
            more, more_required = keys(inner)
            properties.update(dict.fromkeys(more))
            required |= more_required
        return set(properties), required

    pairs = {
        Kilde1: schema,
        QuoteJSON: defs["quote"],
        SpeakerJSON: defs["quote"]["properties"]["speaker"],
        SpanJSON: defs["span"],
        EntityJSON: defs["entity"],
        EdgeJSON: defs["edge"],
        ChainLinkJSON: defs["chain_link"],
        LabelledSpanJSON: schema["properties"]["hedges"]["items"],
    }
    for typed, node in pairs.items():
        properties, required = keys(node)
        assert set(get_type_hints(typed)) == properties, typed.__name__
        assert set(typed.__required_keys__) == required, typed.__name__
        assert set(typed.__optional_keys__) == properties - required, typed.__name__


def test_quote_chain_reads_the_field_or_derives_it_from_nesting() -> None:
    from kilde.schema import quote_chain

    text = "Aftenposten skriver at en intern rapport ifølge Hanne Strand viser at lagrene var slitt."
    result = kilde.analyze(text, "nb")
    for quote in result["quotes"]:
        written = quote_chain(result, quote)
        assert written == quote["chain"]
        older = {key: value for key, value in quote.items() if key != "chain"}
        assert [link["via"] for link in quote_chain(result, older)][-1] == quote["id"]
        assert len(quote_chain(result, older)) == len(written)
