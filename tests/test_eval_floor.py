"""Quality floor on the shared development set (skipped where the shared folder is absent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kilde.analysis import analyze
from kilde.evaluate import evaluate_directory

DEV_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev"

# Just under the figures reached, so that a regression shows: 0.896 overall, nb 0.885, nn 0.943
# in session 12 (0.904, 0.898, 0.929 in session 11; 0.901, 0.895, 0.929 in session 10). Since
# the corpus issue the dev set is a final check, not a tuning set: the learned pieces are chosen
# on the corpus folds (docs/models.md), and one Nynorsk quote of 71 moves nn by 0.014 (session 10
# lost one, a tagless quote the retrained speaker ranker gave to the person the next line names,
# while nn on the folds rose 0.753 -> 0.759; session 12 lost three Bokmål quotes of one article to
# the speaker ranker's choice for a coordinated report, while nb on the folds rose 0.731 -> 0.740).
ATTRIBUTION_F1_FLOOR = 0.89
QUOTE_F1_FLOOR = 0.93
# Per language, so that a change good for Bokmål cannot quietly break Nynorsk.
LANGUAGE_ATTRIBUTION_FLOORS = {"nb": 0.88, "nn": 0.92}


@pytest.fixture(scope="module")
def metrics() -> dict[str, Any]:
    if not DEV_DIR.is_dir() or not any(DEV_DIR.glob("*.json")):
        pytest.skip(f"no development set at {DEV_DIR}")
    return evaluate_directory(DEV_DIR, analyze=analyze)


def test_attribution_f1_floor(metrics: dict[str, Any]) -> None:
    f1 = metrics["overall"]["attribution"]["f1"]
    assert f1 >= ATTRIBUTION_F1_FLOOR, f"attribution F1 {f1:.4f} < {ATTRIBUTION_F1_FLOOR}"


def test_quote_f1_floor(metrics: dict[str, Any]) -> None:
    f1 = metrics["overall"]["quotes"]["f1"]
    assert f1 >= QUOTE_F1_FLOOR, f"quote F1 {f1:.4f} < {QUOTE_F1_FLOOR}"


@pytest.mark.parametrize(("language", "floor"), sorted(LANGUAGE_ATTRIBUTION_FLOORS.items()))
def test_attribution_f1_floor_by_language(metrics: dict[str, Any], language: str, floor: float) -> None:
    f1 = metrics["by_language"][language]["attribution"]["f1"]
    assert f1 >= floor, f"{language} attribution F1 {f1:.4f} < {floor}"
