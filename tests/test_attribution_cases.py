"""Attribution as gold-format cases: a text in, the attributions a person would mark out.

The cases (``tests/cases/attribution.json``, made-up sentences in the gold format of
annotation-guidelines.md section 5) are scored with ``kilde.evaluate`` exactly as ``kilde eval``
scores the corpus, so a learned component can be swapped in and measured on the same cases.
Each case covers one way a Norwegian writer attributes: an inverted tag with an addressee, a
fronted speaker, ``ifølge`` before and after the claim, ``Det opplyser X``, an inverted
subject after a fronted adverbial, a directive's infinitive, a naming cue, a headline source
and a relayed report with the quote nested in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kilde.analysis import analyze
from kilde.evaluate import gold_article, score_article

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "cases" / "attribution.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("rules_only", [True, False], ids=["rules", "model"])
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_attribution_is_found_with_its_speaker_and_cue(case: dict[str, Any], rules_only: bool) -> None:
    gold = gold_article(case)
    counts = score_article(
        gold, analyze(case["text"], language=case["language"], rules_only=rules_only)
    ).counts
    assert counts.predicted_quotes == counts.gold_quotes == counts.attributed, counts
    assert counts.cue_right == counts.cue_total
    assert counts.addressee_right == counts.addressee_total
