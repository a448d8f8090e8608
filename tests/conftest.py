"""Shared fixtures: Bokmål and Nynorsk pipelines cut down to the stages a test module needs.

A module sets ``PIPELINE_STAGES`` (kilde component names after the sentencizer) to test
those stages alone on a blank pipeline; without it, ``nb``/``nn`` are the full
pipelines from ``kilde.load``.
"""

from __future__ import annotations

import os

import pytest
import spacy
from hypothesis import HealthCheck, settings
from spacy.language import Language

import kilde
import kilde.pipeline
from kilde.tokenization import news_tokenizer

# Property-based tests: a few hundred texts in CI; ``--hypothesis-profile=fuzz`` for the full run.
# Analyses take from milliseconds to seconds, so no per-example deadline; a module-scoped
# fixture collects the timings, which Hypothesis would otherwise warn about.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=_QUIET)
# KILDE_FUZZ_EXAMPLES splits the run: two processes of 5,000 with --hypothesis-seed 1 and 2.
FUZZ_EXAMPLES = int(os.environ.get("KILDE_FUZZ_EXAMPLES", "10000"))
settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=_QUIET)
settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--real-texts",
        choices=("sample", "all"),
        default="sample",
        help="Which of the real texts in ../shared tests/test_real_texts.py runs kilde over.",
    )


def stage_pipeline(lang: str, stages: tuple[str, ...]) -> Language:
    """A blank pipeline with kilde's tokenizer settings, its sentencizer and ``stages``."""
    nlp = spacy.blank(lang)
    news_tokenizer()(nlp)
    for name in ("kilde_sentencizer", *stages):
        nlp.add_pipe(name)
    return nlp


def _pipeline_for(request: pytest.FixtureRequest, lang: str) -> Language:
    stages = getattr(request.module, "PIPELINE_STAGES", None)
    return kilde.load(lang) if stages is None else stage_pipeline(lang, stages)


@pytest.fixture(scope="module")
def nb(request: pytest.FixtureRequest) -> Language:
    return _pipeline_for(request, "nb")


@pytest.fixture(scope="module")
def nn(request: pytest.FixtureRequest) -> Language:
    return _pipeline_for(request, "nn")
