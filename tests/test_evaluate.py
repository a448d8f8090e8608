"""Tests for the scorer ("Scoring" in ../shared/docs/output-schema.md), on small invented articles."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from kilde import KildeError
from kilde.analysis import analyze
from kilde.evaluate import (
    GoldArticle,
    char_set,
    dice,
    evaluate,
    evaluate_directory,
    load_gold,
    normalise,
    render_metrics,
    score_article,
    speaker_right,
)

# An invented Bokmål article: ferry stuck in ice.
FERRY = (
    "Ferja står fast i isen\n"
    "\n"
    "Les også: Slik blir været i helga\n"
    "\n"
    "«Vi jobber så godt vi kan», sier fergesjef Kari Nordvik til Avisa Nordland.\n"
    "\n"
    "Ifølge NTB er isen over en halv meter tykk.\n"
    "\n"
    "«Vi kan ikke», sier Nordvik, «love noe før i morgen».\n"
    "\n"
    "Ferja skal ha slått av motoren i natt, og mannskapet skal ha ventet i timevis.\n"
    "\n"
    "Annonse\n"
    "\n"
    "Les også: Slik blir været i helga"
)

# An invented Nynorsk article: a new bridge.
BRIDGE = (
    "Ny bru opnar i haust\n"
    "\n"
    "– Vi er svært nøgde med arbeidet, seier ordførar Per Haugland til NRK.\n"
    "\n"
    "Brua blir truleg den lengste i fylket, skriv Sogn Avis."
)


def span(text: str, part: str, nth: int = 1) -> dict[str, Any]:
    """A kilde/1 span for the nth appearance of ``part`` in ``text``."""
    start = -1
    for _ in range(nth):
        start = text.index(part, start + 1)
    return {"start": start, "end": start + len(part), "text": part}


def pred_quote(
    text: str,
    content: str | list[str],
    name: str | None,
    kind: str = "person",
    type_: str = "direct",
    cue: str | None = None,
    addressee: str | None = None,
    mention: str | None = None,
) -> dict[str, Any]:
    parts = [content] if isinstance(content, str) else content
    return {
        "type": type_,
        "content": [span(text, p) for p in parts],
        "cue": span(text, cue) if cue else None,
        "speaker": {
            "mention": span(text, mention) if mention else None,
            "name": name,
            "kind": kind,
            "entity": None,
        },
        "addressee": span(text, addressee) if addressee else None,
        "heading": False,
        "hedged": False,
    }


def prediction(
    text: str,
    quotes: Sequence[dict[str, Any]] = (),
    hedges: Sequence[dict[str, Any]] = (),
    boilerplate: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """A minimal kilde/1 object: only what the scorer reads."""
    return {
        "schema": "kilde/1",
        "text": text,
        "quotes": list(quotes),
        "hedges": list(hedges),
        "boilerplate": list(boilerplate),
    }


def gold_quote(content: str | list[str], speaker: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "type": "direct",
        "content": content,
        "cue": "sier",
        "speaker_mention": None,
        "speaker": speaker,
        "speaker_kind": "person",
        **extra,
    }


def write_gold(directory: Path, name: str, text: str, language: str = "nb", **fields: Any) -> Path:
    data = {
        "id": name,
        "language": language,
        "outlet": "Test",
        "published": None,
        "text": text,
        "quotes": [],
        "hedges": [],
        "boilerplate": [],
        **fields,
    }
    path = directory / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def gold_article(tmp_path: Path, text: str = FERRY, **fields: Any) -> GoldArticle:
    return load_gold(write_gold(tmp_path, "artikkel", text, **fields))


# ---------------------------------------------------------------- primitives


def test_normalise_drops_quote_marks_case_and_edge_punctuation() -> None:
    assert normalise(" «Kari  Nordvik», ") == "kari nordvik"
    assert normalise(None) == ""


def test_char_set_ignores_quote_marks_and_edge_punctuation() -> None:
    text = "«Vi jobber så godt vi kan», sier hun."
    bare = text.index("Vi jobber")
    plain = char_set(text, [(bare, bare + len("Vi jobber så godt vi kan"))])
    with_marks = char_set(text, [(0, len("«Vi jobber så godt vi kan», "))])
    assert plain == with_marks
    assert dice(plain, with_marks) == 1.0
    assert dice(frozenset(), frozenset()) == 0.0


# ---------------------------------------------------------------- gold loading


def test_load_gold_locates_occurrence_and_multi_part_content(tmp_path: Path) -> None:
    gold = gold_article(
        tmp_path,
        quotes=[
            gold_quote(["Vi kan ikke", "love noe før i morgen"], "Kari Nordvik"),
            {**gold_quote("Les også", None), "occurrence": 2},
        ],
        hedges=[{"marker": "skal ha"}, {"marker": "skal ha"}],
        boilerplate=["Les også: Slik blir været i helga", "Annonse"],
    )
    first, second = gold.quotes
    assert [FERRY[s:e] for s, e in first.spans] == ["Vi kan ikke", "love noe før i morgen"]
    assert second.spans[0][0] == FERRY.rindex("Les også")
    # Two unnumbered hedges with the same marker take its first two appearances.
    assert [h.start for h in gold.hedges] == [FERRY.index("skal ha"), FERRY.rindex("skal ha")]


def test_load_gold_numbered_hedge_leaves_the_rest_for_unnumbered(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, hedges=[{"marker": "skal ha"}, {"marker": "skal ha", "occurrence": 1}])
    assert sorted(h.start for h in gold.hedges) == [FERRY.index("skal ha"), FERRY.rindex("skal ha")]


@pytest.mark.parametrize(
    "fields",
    [
        {"quotes": [gold_quote("Dette står ikke i teksten", "Kari Nordvik")]},
        {"quotes": [{**gold_quote("Vi kan ikke", "Kari Nordvik"), "occurrence": 2}]},
        {"hedges": [{"marker": "visstnok"}]},
        {"boilerplate": ["Les også"]},
    ],
)
def test_load_gold_rejects_strings_not_in_text(tmp_path: Path, fields: dict[str, Any]) -> None:
    with pytest.raises(KildeError, match="artikkel"):
        gold_article(tmp_path, **fields)


def test_load_gold_rejects_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "ødelagt.json"
    path.write_text("{ikke json", encoding="utf-8")
    with pytest.raises(KildeError, match="cannot read gold file") as info:
        load_gold(path)
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------- matching


def test_dice_threshold_is_inclusive(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, quotes=[gold_quote("halv meter tykk", "NTB", speaker_kind="media")])
    # 15 gold characters; 5 of them inside it give Dice 2·5/(15+5) = 0.5 exactly, which matches.
    at_threshold = pred_quote(FERRY, "alv m", "NTB", kind="media")
    assert score_article(gold, prediction(FERRY, [at_threshold])).counts.matched == 1
    below = pred_quote(FERRY, "halv", "NTB", kind="media")  # 2·4/19 ≈ 0.42
    assert score_article(gold, prediction(FERRY, [below])).counts.matched == 0


def test_quote_marks_and_trailing_comma_still_exact(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    sloppy = pred_quote(FERRY, "«Vi jobber så godt vi kan», ", "Kari Nordvik")
    counts = score_article(gold, prediction(FERRY, [sloppy])).counts
    assert (counts.matched, counts.exact, counts.attributed) == (1, 1, 1)


def test_matching_is_one_to_one_from_highest_dice(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    partial = pred_quote(FERRY, "Vi jobber så godt", "Kari Nordvik")
    full = pred_quote(FERRY, "Vi jobber så godt vi kan", "Kari Nordvik")
    result = score_article(gold, prediction(FERRY, [partial, full]), collect_errors=True)
    assert (result.counts.matched, result.counts.exact, result.counts.predicted_quotes) == (1, 1, 2)
    assert [fp["content"] for fp in result.errors["false_positives"]] == ["Vi jobber så godt"]


def test_equal_dice_prefers_the_pair_whose_speaker_is_right(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    wrong = pred_quote(FERRY, "Vi jobber så godt vi kan", "Avisa Nordland", kind="media")
    right = pred_quote(FERRY, "Vi jobber så godt vi kan", "Nordvik")
    counts = score_article(gold, prediction(FERRY, [wrong, right])).counts
    assert (counts.matched, counts.attributed, counts.speaker_right) == (1, 1, 1)


def test_multi_part_content(tmp_path: Path) -> None:
    gold = gold_article(
        tmp_path, quotes=[gold_quote(["Vi kan ikke", "love noe før i morgen"], "Kari Nordvik")]
    )
    two_parts = pred_quote(FERRY, ["Vi kan ikke", "love noe før i morgen"], "Kari Nordvik")
    counts = score_article(gold, prediction(FERRY, [two_parts])).counts
    assert (counts.matched, counts.exact) == (1, 1)
    # One span over the tag still matches (Dice well above 0.5) but is not exact.
    one_span = pred_quote(FERRY, "«Vi kan ikke», sier Nordvik, «love noe før i morgen»", "Kari Nordvik")
    counts = score_article(gold, prediction(FERRY, [one_span])).counts
    assert (counts.matched, counts.exact) == (1, 0)


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("predicted", "gold", "aliases", "kind", "expected"),
    [
        ("Kari Nordvik", "Kari Nordvik", (), "person", True),
        ("«kari nordvik»,", "Kari Nordvik", (), "person", True),
        ("fergesjefen", "Kari Nordvik", ("fergesjefen",), "person", True),
        ("Nordvik", "Kari Nordvik", (), "person", True),  # contained, ≥ 4 characters
        ("fergesjef Kari Nordvik", "Kari Nordvik", (), "person", True),  # contains the gold
        ("Ola Nordvik", "Kari Nordvik", (), "person", True),  # last words agree
        ("Yara Hydro", "Norsk Hydro", (), "organization", False),  # last-word rule is for persons
        ("Kari", "Kari Nordvik", (), "person", True),
        ("Kar", "Kari Nordvik", (), "person", False),  # too short to count by containment
        ("henne", "Heidi Hennestad", (), "person", False),  # a bare pronoun never counts
        ("han", "Kari Nordvik", (), "person", False),
        (None, "Kari Nordvik", (), "person", False),
        ("Avisa Nordland", None, (), None, True),  # no gold speaker: content alone counts
        (None, None, (), None, True),
    ],
)
def test_speaker_right(
    predicted: str | None, gold: str | None, aliases: tuple[str, ...], kind: str | None, expected: bool
) -> None:
    assert speaker_right(predicted, gold, aliases, kind) is expected


def test_mention_text_is_used_when_name_is_missing(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    by_mention = pred_quote(FERRY, "Vi jobber så godt vi kan", None, mention="fergesjef Kari Nordvik")
    assert score_article(gold, prediction(FERRY, [by_mention])).counts.attributed == 1


def test_null_gold_speaker_counts_on_content_alone(tmp_path: Path) -> None:
    gold = gold_article(
        tmp_path, quotes=[gold_quote("Vi jobber så godt vi kan", None, speaker_kind="unknown")]
    )
    counts = score_article(
        gold, prediction(FERRY, [pred_quote(FERRY, "Vi jobber så godt vi kan", "X")])
    ).counts
    assert (counts.attributed, counts.speaker_total, counts.kind_total) == (1, 0, 0)


# ---------------------------------------------------------------- cue, kind, addressee


def test_cue_kind_and_addressee_accuracy(tmp_path: Path) -> None:
    gold = gold_article(
        tmp_path,
        quotes=[
            gold_quote("Vi jobber så godt vi kan", "Kari Nordvik", addressee="Avisa Nordland"),
            gold_quote(["Vi kan ikke", "love noe før i morgen"], "Kari Nordvik", addressee="Avisa Nordland"),
            {**gold_quote("isen over en halv meter tykk", "NTB", speaker_kind="media"), "cue": None},
        ],
    )
    predicted = prediction(
        FERRY,
        [
            pred_quote(FERRY, "Vi jobber så godt vi kan", "Kari Nordvik", cue="sier", addressee="Nordland"),
            pred_quote(
                FERRY,
                ["Vi kan ikke", "love noe før i morgen"],
                "Kari Nordvik",
                kind="organization",
                cue="sier Nordvik",
                addressee="NTB",
            ),
            pred_quote(FERRY, "isen over en halv meter tykk", "NTB", kind="media", type_="indirect"),
        ],
    )
    metrics = evaluate([(gold, predicted)])["overall"]
    assert metrics["cue_accuracy"] == 0.5  # "sier" right, "sier Nordvik" wrong, no gold cue on the third
    assert metrics["addressee_accuracy"] == 0.5  # "Nordland" inside "Avisa Nordland"; "NTB" wrong
    assert metrics["speaker_kind_accuracy"] == round(2 / 3, 4)
    assert metrics["speaker_accuracy"] == 1.0


# ---------------------------------------------------------------- types and relayed


def test_direct_and_indirect_are_scored_by_their_own_side(tmp_path: Path) -> None:
    gold = gold_article(
        tmp_path,
        quotes=[
            gold_quote("Vi jobber så godt vi kan", "Kari Nordvik"),
            {**gold_quote("isen over en halv meter tykk", "NTB", speaker_kind="media"), "type": "indirect"},
        ],
    )
    predicted = prediction(
        FERRY,
        [
            pred_quote(FERRY, "Vi jobber så godt vi kan", "Kari Nordvik", type_="mixed"),
            pred_quote(FERRY, "isen over en halv meter tykk", "NTB", kind="media", type_="indirect"),
        ],
    )
    metrics = evaluate([(gold, predicted)])["overall"]
    # Recall looks at the gold type, precision at the predicted type.
    assert metrics["direct"] == {"precision": None, "recall": 1.0, "f1": 0.0}
    assert metrics["indirect_mixed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_relayed_needs_a_right_speaker(tmp_path: Path) -> None:
    gold = gold_article(
        tmp_path,
        quotes=[
            {**gold_quote("isen over en halv meter tykk", "NTB", speaker_kind="media"), "type": "indirect"},
            gold_quote("Vi jobber så godt vi kan", "Kari Nordvik"),
        ],
    )
    predicted = prediction(
        FERRY,
        [
            pred_quote(FERRY, "isen over en halv meter tykk", "NTB", kind="media", type_="indirect"),
            pred_quote(FERRY, "Vi jobber så godt vi kan", "Avisa Nordland", kind="media"),
        ],
    )
    metrics = evaluate([(gold, predicted)])["overall"]
    assert metrics["relayed"] == {"precision": 0.5, "recall": 1.0, "f1": round(2 / 3, 4)}
    assert metrics["attribution"]["f1"] == 0.5


# ---------------------------------------------------------------- hedges and boilerplate


def test_hedges_match_by_overlap_one_to_one(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, hedges=[{"marker": "skal ha", "occurrence": 1}])
    predicted = prediction(
        FERRY,
        hedges=[span(FERRY, "ha slått"), span(FERRY, "skal ha"), span(FERRY, "skal ha", nth=2)],
    )
    counts = score_article(gold, predicted).counts
    assert (counts.hedges_gold, counts.hedges_predicted, counts.hedges_hit) == (1, 3, 1)


def test_boilerplate_line_needs_half_coverage(tmp_path: Path) -> None:
    teaser = "Les også: Slik blir været i helga"
    gold = gold_article(tmp_path, boilerplate=[teaser, "Annonse"])
    first = FERRY.index(teaser)
    last = FERRY.rindex(teaser)
    half = (len(teaser) + 1) // 2
    predicted = prediction(
        FERRY,
        boilerplate=[
            {"start": first, "end": first + half, "text": teaser[:half], "kind": "promo"},
            {"start": last, "end": last + half - 1, "text": teaser[: half - 1], "kind": "promo"},
            span(FERRY, "Ferja står fast i isen"),
        ],
    )
    counts = score_article(gold, predicted).counts
    # Both appearances of the repeated teaser are gold lines; only the first is covered enough.
    assert (counts.boilerplate_gold, counts.boilerplate_predicted, counts.boilerplate_hit) == (3, 2, 1)


# ---------------------------------------------------------------- aggregation


def test_by_language_and_micro_average(tmp_path: Path) -> None:
    ferry = load_gold(
        write_gold(tmp_path, "ferje", FERRY, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    )
    bridge = load_gold(
        write_gold(
            tmp_path,
            "bru",
            BRIDGE,
            language="nn",
            quotes=[
                {**gold_quote("Vi er svært nøgde med arbeidet", "Per Haugland"), "cue": "seier"},
                {
                    **gold_quote("Brua blir truleg den lengste i fylket", "Sogn Avis", speaker_kind="media"),
                    "type": "indirect",
                    "cue": "skriv",
                },
            ],
            hedges=[{"marker": "truleg"}],
        )
    )
    metrics = evaluate(
        [
            (ferry, prediction(FERRY, [pred_quote(FERRY, "Vi jobber så godt vi kan", "Kari Nordvik")])),
            (bridge, prediction(BRIDGE, [pred_quote(BRIDGE, "Vi er svært nøgde med arbeidet", "Haugland")])),
        ]
    )
    assert set(metrics) == {"overall", "by_language", "articles", "gold_quotes", "predicted_quotes"}
    assert (metrics["articles"], metrics["gold_quotes"], metrics["predicted_quotes"]) == (2, 3, 2)
    assert sorted(metrics["by_language"]) == ["nb", "nn"]
    assert metrics["by_language"]["nb"]["attribution"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert metrics["by_language"]["nn"]["attribution"]["recall"] == 0.5
    assert metrics["overall"]["attribution"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8}
    assert metrics["overall"]["hedges"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert metrics["overall"]["boilerplate"] == {"precision": None, "recall": None, "f1": None}
    assert metrics["overall"]["counts"]["gold_quotes"] == 3


def test_prediction_for_another_text_is_an_error(tmp_path: Path) -> None:
    gold = gold_article(tmp_path)
    with pytest.raises(KildeError, match="differs"):
        score_article(gold, prediction(BRIDGE))


# ---------------------------------------------------------------- directories


def test_evaluate_directory_with_fake_analyzer(tmp_path: Path) -> None:
    write_gold(tmp_path, "b_ferje", FERRY, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    write_gold(
        tmp_path,
        "a_bru",
        BRIDGE,
        language="nn",
        quotes=[{**gold_quote("Vi er svært nøgde med arbeidet", "Per Haugland"), "cue": "seier"}],
    )
    calls: list[tuple[str | None, str | None]] = []

    def analyze(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        calls.append((language, doc_id))
        if text == FERRY:
            return prediction(text, [pred_quote(text, "Vi jobber så godt", "Kari Nordvik")])
        return prediction(text, [pred_quote(text, "arbeidet", "Per Haugland")])

    metrics = evaluate_directory(tmp_path, analyze=analyze, collect_errors=True)
    assert calls == [("nn", "a_bru"), ("nb", "b_ferje")]  # sorted by file name, gold language
    assert metrics["overall"]["quotes"]["recall"] == 0.5
    assert metrics["overall"]["exact"]["accuracy"] == 0.0
    (bridge_errors,) = metrics["errors"]
    assert bridge_errors["id"] == "a_bru"
    assert bridge_errors["missed"][0]["speaker"] == "Per Haugland"
    assert bridge_errors["false_positives"][0]["content"] == "arbeidet"

    calls.clear()
    evaluate_directory(tmp_path, analyze=analyze, language_override="auto")
    assert [language for language, _ in calls] == ["auto", "auto"]


def test_wrong_speaker_is_listed_in_errors(tmp_path: Path) -> None:
    gold = gold_article(tmp_path, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    said = pred_quote(FERRY, "Vi jobber så godt vi kan", "NTB", kind="media", cue="sier")
    predicted = prediction(FERRY, [said])
    (entry,) = evaluate([(gold, predicted)], collect_errors=True)["errors"]
    assert entry["wrong_speaker"] == [
        {
            "content": "Vi jobber så godt vi kan",
            "gold_speaker": "Kari Nordvik",
            "gold_aliases": [],
            "predicted_speaker": "NTB",
            "gold_kind": "person",
            "predicted_kind": "media",
            "gold_cue": "sier",
            "predicted_cue": "sier",
            "dice": 1.0,
        }
    ]


def test_missing_empty_or_file_gold_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KildeError, match="does not exist"):
        evaluate_directory(tmp_path / "finnes-ikke", analyze=lambda *a, **k: {})
    with pytest.raises(KildeError, match=r"no \.json"):
        evaluate_directory(tmp_path, analyze=lambda *a, **k: {})
    not_a_dir = tmp_path / "fil.txt"
    not_a_dir.write_text("x", encoding="utf-8")
    with pytest.raises(KildeError, match="not a folder"):
        evaluate_directory(not_a_dir, analyze=lambda *a, **k: {})


def test_render_metrics_prints_every_scope(tmp_path: Path) -> None:
    write_gold(tmp_path, "ferje", FERRY, quotes=[gold_quote("Vi jobber så godt vi kan", "Kari Nordvik")])
    write_gold(tmp_path, "bru", BRIDGE, language="nn")
    metrics = evaluate_directory(tmp_path, analyze=lambda text, **_: prediction(text))
    buffer = io.StringIO()
    render_metrics(metrics, console=Console(file=buffer, width=100, color_system=None))
    output = buffer.getvalue()
    assert output.index("Attribution F1") < output.index("Quotes")
    for word in ("overall", "nb", "nn", "Boilerplate", "Addressee", "Relayed"):
        assert word in output


def test_evaluate_directory_on_dev_set() -> None:
    dev = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev"
    if not dev.is_dir():
        pytest.skip(f"no dev set at {dev}")
    metrics = evaluate_directory(dev, analyze=analyze)
    assert {"overall", "by_language", "articles", "gold_quotes", "predicted_quotes"} <= set(metrics)
    assert metrics["articles"] == len(list(dev.glob("*.json")))
    assert "attribution" in metrics["overall"]
