"""kilde over every real text in ``../shared``: no exception, no broken invariant.

Each text goes through both written standards' pipelines, with and without the
trained model. CI checks a fixed sample (every ``SAMPLE_EVERY``-th text); the whole
run is ``pytest tests/test_real_texts.py --real-texts=all -s``, which also prints
the counts. Skips when ``../shared`` is absent.
"""

from __future__ import annotations

import time

import pytest
from real_texts import RealText, available, real_texts

import kilde
from kilde.invariants import violations

SAMPLE_EVERY = 15

pytestmark = pytest.mark.skipif(not available(), reason="../shared is not here")


@pytest.fixture(scope="module")
def texts(request: pytest.FixtureRequest) -> list[RealText]:
    every = list(real_texts())
    if request.config.getoption("--real-texts") == "all":
        return every
    return every[::SAMPLE_EVERY]


@pytest.mark.parametrize("rules_only", [True, False], ids=["rules", "model"])
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_real_texts_keep_every_invariant(texts: list[RealText], language: str, rules_only: bool) -> None:
    failures: list[str] = []
    words = checked = 0
    started = time.perf_counter()
    for real in texts:
        try:
            result = kilde.analyze(real.text, language=language, rules_only=rules_only)
        except Exception as error:  # every kind of failure is counted
            failures.append(f"{real.name}: {type(error).__name__}: {error}")
            continue
        checked += 1
        words += len(real.text.split())
        failures.extend(f"{real.name}: {problem}" for problem in violations(result, real.text))
    seconds = time.perf_counter() - started
    print(
        f"\n{language} {'rules only' if rules_only else 'with the model'}: {len(texts)} texts, "
        f"{words:,} words, {checked} outputs checked, {len(failures)} failures, {seconds:.0f} s"
    )
    assert failures == []
