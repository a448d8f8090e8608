"""Analysing a text or one record of a batch: what the library, the CLI, the corpus runner and
the server all call.

:func:`analyze` is the library's ``kilde.analyze``; :func:`analyse_record` analyses one record
within a time limit and never raises for the record's sake: it returns the ``kilde/1`` result
or the one-line reason there is none, which each caller writes in its own form (a JSON line,
a table row, an HTTP answer).
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc

from kilde.errors import KildeError
from kilde.language import detect_language
from kilde.limits import MAX_TEXT_CHARS, Budget, RecordTimeout
from kilde.pipeline import analyse_text, drop_pipelines
from kilde.pipeline import load as load_pipeline
from kilde.schema import doc_to_kilde

Analyzer = Callable[..., dict[str, Any]]
"""Called like :func:`analyze` (``text, language=..., doc_id=...``); returns a ``kilde/1`` object."""


def load(language: str = "nb", rules_only: bool = False) -> Language:
    """The spaCy pipeline for ``nb`` (Bokmål) or ``nn`` (Nynorsk), with every kilde stage.

    The packaged trained model (tagger, parser, NER) is the base unless ``rules_only`` is set or
    the model is not installed; the rule stages work on a blank tokenizer either way.
    """
    try:
        return load_pipeline(language, rules_only)
    except ValueError as error:
        raise KildeError(str(error)) from None


def analyse_doc(text: str, language: str | None = None, rules_only: bool = False) -> Doc:
    """Analyse one article and return the spaCy ``Doc`` with every stage's results on it.

    What :func:`analyze` turns into ``kilde/1``; a ``Doc`` keeps the tokens, the parse and the
    span groups, and travels as spaCy's Docs do (``doc.to_bytes()``, ``DocBin``). ``language``
    and ``rules_only`` as for :func:`analyze`.
    """
    if not isinstance(text, str):
        raise KildeError(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise KildeError("the text is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise KildeError(f"the text is {len(text):,} characters; kilde analyses at most {MAX_TEXT_CHARS:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        # A lone surrogate ("\ud800" in JSON) is no character: no offset could point at it.
        raise KildeError(
            f"the text is not valid Unicode: a lone surrogate U+{ord(text[error.start]):04X} "
            f"at character {error.start:,}"
        ) from None
    if language in (None, "auto"):
        language = detect_language(text)
    doc = analyse_text(load(language, rules_only), text)
    doc._.kilde_language = language
    return doc


def analyze(
    text: str, language: str | None = None, doc_id: str | None = None, rules_only: bool = False
) -> dict[str, Any]:
    """Analyse one article and return its ``kilde/1`` object.

    ``language`` is ``nb``, ``nn``, or ``None``/``"auto"`` to detect it from the text;
    ``rules_only`` analyses without the trained model (see :func:`load`).
    """
    return dict(doc_to_kilde(analyse_doc(text, language, rules_only), doc_id))


def record_budget(seconds: float | None) -> Budget:
    """The time one record may take; a timeout drops this process's pipelines, which an analysis
    stopped halfway may have left half-updated (see :mod:`kilde.limits`)."""
    return Budget(seconds, on_timeout=drop_pipelines)


def warm_pipeline(text: str, language: str | None) -> None:
    """Build the pipeline that ``analyze(text, language)`` will use, off the record's clock.

    A pipeline takes a second or so to build, once per process (and again after a timeout); that
    time is not the record's. Best effort: when the language cannot be told, nothing is built.
    """
    with contextlib.suppress(Exception):  # the analysis itself will say what is wrong
        load(language if language not in (None, "auto") else detect_language(text))


def analyze_within(
    text: str,
    language: str | None,
    doc_id: str | None,
    seconds: float | None,
    analyzer: Analyzer | None = None,
    budget: Budget | None = None,
) -> dict[str, Any]:
    """``analyzer`` (default :func:`analyze`) of one record, stopped after ``seconds`` (``RecordTimeout``).

    A ``budget`` that earlier phases of the record spent from (reading a page, say) replaces
    ``seconds``.
    """
    run = analyzer or analyze
    budget = budget or record_budget(seconds)
    if budget.seconds:
        warm_pipeline(text, language)
    return budget.run(lambda: run(text, language=language, doc_id=doc_id))


Outcome = Literal["ok", "invalid", "timeout", "failed"]


@dataclass(frozen=True)
class RecordAnalysis:
    """One record's analysis: ``result`` when ``outcome`` is ``ok``, else the one-line ``error``.

    ``invalid``: the input cannot be analysed (a :class:`KildeError`); ``timeout``: it ran past its
    time limit; ``failed``: a bug in kilde, which must not stop the batch.
    """

    outcome: Outcome
    result: dict[str, Any] | None = None
    error: str | None = None
    traceback: str | None = None
    """For ``failed``: where kilde broke, for a log (never shown to the user)."""


def analyse_record(
    text: str,
    language: str | None = None,
    doc_id: str | None = None,
    seconds: float | None = None,
    analyzer: Analyzer | None = None,
    budget: Budget | None = None,
) -> RecordAnalysis:
    """Analyse one record within ``seconds`` (or what is left of ``budget``); never raises for a
    bad record."""
    try:
        return RecordAnalysis("ok", analyze_within(text, language, doc_id, seconds, analyzer, budget))
    except KildeError as error:
        return RecordAnalysis("invalid", error=" ".join(str(error).split()))
    except RecordTimeout as error:
        return RecordAnalysis("timeout", error=str(error))
    except Exception as error:  # one broken record must not stop a batch
        return RecordAnalysis(
            "failed", error=f"{type(error).__name__}: {error}", traceback=traceback.format_exc()
        )


__all__ = [
    "Analyzer",
    "RecordAnalysis",
    "analyse_doc",
    "analyse_record",
    "analyze",
    "analyze_within",
    "load",
    "record_budget",
    "warm_pipeline",
]
