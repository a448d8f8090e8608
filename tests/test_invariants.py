"""The outside check of a kilde/1 object: offsets, ids and cycles."""

from __future__ import annotations

from typing import Any

from kilde.invariants import has_cycle, violations

TEXT = "– Vi er klare, sier Kari Lunde."


def _result(**changes: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "text": TEXT,
        "quotes": [
            {
                "id": "q1",
                "content": [{"start": 2, "end": 13, "text": "Vi er klare"}],
                "cue": {"start": 15, "end": 19, "text": "sier"},
                "speaker": {"mention": {"start": 20, "end": 30, "text": "Kari Lunde"}, "entity": "e1"},
                "addressee": None,
                "nested_in": None,
            }
        ],
        "entities": [{"id": "e1", "mentions": [{"start": 20, "end": 30, "text": "Kari Lunde"}]}],
        "hedges": [],
        "boilerplate": [],
        "provenance": [{"source": "e1", "via": "q1", "target": "article"}],
    }
    result.update(changes)
    return result


def test_a_sound_result_has_no_violations() -> None:
    assert violations(_result(), TEXT) == []


def test_offsets_outside_the_text_and_wrong_span_text() -> None:
    result = _result(hedges=[{"start": 25, "end": 99, "text": "x"}, {"start": 0, "end": 1, "text": "x"}])
    assert violations(result) == [
        "hedges[0]: offsets 25..99 outside the text",
        "hedges[1]: text differs from the text at its offsets",
    ]


def test_an_empty_span_is_a_violation() -> None:
    assert violations(_result(hedges=[{"start": 3, "end": 3, "text": ""}])) == ["hedges[0]: empty span at 3"]


def test_unknown_ids_and_duplicates() -> None:
    quote = {**_result()["quotes"][0], "nested_in": "q9"}
    result = _result(
        quotes=[quote, {**quote, "nested_in": None}],
        provenance=[{"source": "e2", "via": "q3", "target": "e1"}],
    )
    assert violations(result) == [
        "ids are not unique",
        "q1: nested in unknown quote q9",
        "provenance: unknown source e2",
        "provenance: unknown quote q3",
    ]


def test_cycles_in_nesting_and_provenance() -> None:
    first = {**_result()["quotes"][0], "nested_in": "q2"}
    second = {**first, "id": "q2", "nested_in": "q1"}
    entities = [{"id": "e1", "mentions": []}, {"id": "e2", "mentions": []}]
    edges = [{"source": "e1", "via": None, "target": "e2"}, {"source": "e2", "via": None, "target": "e1"}]
    result = _result(quotes=[first, second], entities=entities, provenance=edges)
    assert violations(result) == ["nesting has a cycle", "provenance has a cycle"]


def test_has_cycle() -> None:
    assert not has_cycle({"a": {"b"}, "b": {"c"}, "d": {"b"}})
    assert has_cycle({"a": {"a"}})
    assert has_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}})


def test_the_input_text_must_come_back_unchanged() -> None:
    assert violations(_result(), TEXT + " ") == ["text differs from the input"]


def _chained(chain: list[dict[str, Any]], nested_in: str | None = None) -> dict[str, Any]:
    return _result(quotes=[{**_result()["quotes"][0], "chain": chain, "nested_in": nested_in}])


def test_a_sound_chain() -> None:
    link = {"entity": "e1", "name": "Kari Lunde", "kind": "person", "via": "q1"}
    assert violations(_chained([link])) == []


def test_broken_chains() -> None:
    own = {"entity": "e1", "name": "Kari Lunde", "kind": "person", "via": "q1"}
    assert violations(_chained([])) == ["q1: chain is not a list of sources"]
    assert violations(_chained([own, own])) == [
        "q1: chain repeats an entity",
        "q1: chain disagrees with nested_in",
        "q1: no provenance edge from e1 to e1",
    ]
    assert violations(_chained([{**own, "entity": "e7", "via": "q4"}])) == [
        "q1: chain names unknown entity e7",
        "q1: chain names unknown quote q4",
        "q1: chain does not end at its own speaker",
        "q1: the article does not cite the chain's first source",
    ]
