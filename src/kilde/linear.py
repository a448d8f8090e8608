"""Logistic regression over named features: the small learned models inside kilde's stages.

A model is a mapping from feature names to weights, stored as JSON next to its component
(``nlp.to_disk``) or packaged under ``kilde/models``. Features are sparse dictionaries
(``{"word=sier": 1.0, "distance": 0.7}``), so a stage computes them with its own language
data and parse, and a model reads only what it was trained on. :func:`fit` trains one with
numpy (L2-regularised, full-batch Adam); the training scripts under ``training/`` call it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
import srsly

from kilde.errors import KildeError

FORMAT = "kilde-linear/1"
MIN_WEIGHT = 1e-3
"""Weights smaller than this are left out of a trained model (they change no decision)."""


@dataclass(frozen=True)
class LinearModel:
    """P(yes | features) = sigmoid(Σ weight × value); ``task`` names what it decides."""

    task: str
    weights: Mapping[str, float]
    threshold: float = 0.5
    meta: Mapping[str, Any] = field(default_factory=dict)

    def score(self, features: Mapping[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def probability(self, features: Mapping[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.score(features)))))

    def decides_yes(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "task": self.task,
            "threshold": self.threshold,
            "meta": dict(self.meta),
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], task: str) -> LinearModel:
        """The model in ``data``, which must be a :data:`FORMAT` model for ``task``."""
        if data.get("format") != FORMAT or data.get("task") != task:
            found = f"{data.get('format')!r}, task {data.get('task')!r}"
            raise KildeError(f"not a {FORMAT} model for {task!r} ({found})")
        return cls(
            task,
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data.get("threshold", 0.5)),
            dict(data.get("meta", {})),
        )

    def to_disk(self, path: Path | str) -> None:
        srsly.write_json(path, self.to_dict())

    @classmethod
    def from_disk(cls, path: Path | str, task: str) -> LinearModel:
        try:
            data = srsly.read_json(path)
        except (OSError, ValueError) as err:
            raise KildeError(f"cannot read the {task} model {path}: {err}") from None
        if not isinstance(data, dict) or "weights" not in data:
            raise KildeError(f"not a {FORMAT} model for {task!r}: {path}")
        return cls.from_dict(data, task)


@dataclass(frozen=True)
class SparseRows:
    """Feature dictionaries as one sparse matrix: row ``rows[k]``, column ``cols[k]``, ``values[k]``."""

    names: list[str]
    """The feature name of each column."""
    rows: numpy.ndarray
    cols: numpy.ndarray
    values: numpy.ndarray
    count: int
    """How many rows (examples) there are."""

    @classmethod
    def of(cls, examples: Iterable[Mapping[str, float]]) -> SparseRows:
        index: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        count = 0
        for row, features in enumerate(examples):
            count = row + 1
            for name, value in features.items():
                rows.append(row)
                cols.append(index.setdefault(name, len(index)))
                values.append(value)
        return cls(
            list(index),
            numpy.array(rows, dtype=numpy.int64),
            numpy.array(cols, dtype=numpy.int64),
            numpy.array(values, dtype=float),
            count,
        )

    def scores(self, weights: numpy.ndarray) -> numpy.ndarray:
        """Each row's weighted sum."""
        return numpy.bincount(self.rows, weights=weights[self.cols] * self.values, minlength=self.count)

    def back(self, per_row: numpy.ndarray) -> numpy.ndarray:
        """The gradient on the weights of a gradient on the rows' scores."""
        return numpy.bincount(self.cols, weights=per_row[self.rows] * self.values, minlength=len(self.names))


def adam(
    gradient: Callable[[numpy.ndarray], numpy.ndarray], size: int, steps: int, learning_rate: float
) -> numpy.ndarray:
    """Weights minimising a loss from zero by ``steps`` of full-batch Adam, given its gradient."""
    weights = numpy.zeros(size)
    first_moment = numpy.zeros_like(weights)
    second_moment = numpy.zeros_like(weights)
    for step in range(1, steps + 1):
        g = gradient(weights)
        first_moment = 0.9 * first_moment + 0.1 * g
        second_moment = 0.999 * second_moment + 0.001 * g**2
        corrected = first_moment / (1 - 0.9**step)
        scale = numpy.sqrt(second_moment / (1 - 0.999**step)) + 1e-8
        weights -= learning_rate * corrected / scale
    return weights


def kept_weights(names: Sequence[str], weights: numpy.ndarray) -> dict[str, float]:
    """The weights a model keeps: rounded, and without those too small to change a decision."""
    return {names[i]: round(float(w), 5) for i, w in enumerate(weights) if abs(w) >= MIN_WEIGHT}


def fit(
    task: str,
    examples: Sequence[Mapping[str, float]],
    labels: Sequence[bool],
    l2: float = 1.0,
    steps: int = 400,
    learning_rate: float = 0.1,
) -> LinearModel:
    """An L2-regularised logistic regression of ``labels`` on ``examples``, by full-batch Adam.

    The loss is the mean log loss plus ``l2 / 2 / n × |w|²``. Deterministic: the same
    examples in the same order give the same weights.
    """
    matrix = SparseRows.of(examples)
    y = numpy.array(labels, dtype=float)
    n = max(1, len(examples))

    def gradient(weights: numpy.ndarray) -> numpy.ndarray:
        p = 1.0 / (1.0 + numpy.exp(-numpy.clip(matrix.scores(weights), -30, 30)))
        return (matrix.back(p - y) + l2 * weights) / n

    weights = adam(gradient, len(matrix.names), steps, learning_rate)
    meta = {"examples": len(examples), "positives": int(y.sum()), "l2": l2, "steps": steps}
    return LinearModel(task, kept_weights(matrix.names, weights), meta=meta)


def fit_choices(
    task: str,
    choices: Sequence[tuple[Sequence[Mapping[str, float]], Sequence[int]]],
    l2: float = 1.0,
    steps: int = 300,
    learning_rate: float = 0.1,
) -> LinearModel:
    """A model that picks one of several options, each a feature dictionary: a softmax over each
    choice's options (their scores), trained by full-batch Adam on the log of the probability of
    the options that are right (each choice's second item: indices into its options).

    The loss is the mean negative log probability plus ``l2 / 2 / n × |w|²``; deterministic.
    """
    matrix = SparseRows.of(features for options, _ in choices for features in options)
    sizes = numpy.array([len(options) for options, _ in choices])
    first = numpy.concatenate(([0], numpy.cumsum(sizes)[:-1])).astype(numpy.int64)
    group = numpy.repeat(numpy.arange(len(choices)), sizes)
    is_right = numpy.zeros(matrix.count)
    for start, (_, right) in zip(first, choices, strict=True):
        is_right[start + numpy.array(right, dtype=numpy.int64)] = 1.0
    n = max(1, len(choices))

    def gradient(weights: numpy.ndarray) -> numpy.ndarray:
        scores = matrix.scores(weights)
        e = numpy.exp(scores - numpy.maximum.reduceat(scores, first)[group])
        p = e / numpy.add.reduceat(e, first)[group]
        right = e * is_right
        q = right / numpy.add.reduceat(right, first)[group]
        return (matrix.back(p - q) + l2 * weights) / n

    weights = adam(gradient, len(matrix.names), steps, learning_rate)
    meta = {"choices": len(choices), "options": matrix.count, "l2": l2, "steps": steps}
    return LinearModel(task, kept_weights(matrix.names, weights), meta=meta | {"objective": "softmax"})
