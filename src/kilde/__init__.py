"""kilde: who said what, to whom, according to whom, in Norwegian news."""

from __future__ import annotations

from typing import Any

from kilde.errors import KildeError
from kilde.limits import MAX_TEXT_CHARS

__version__ = "0.1.0"

_ANALYSIS = ("analyse_doc", "analyze", "load")
"""Public functions that live in :mod:`kilde.analysis`, imported on first use so that
``import kilde`` (or ``kilde.errors``) does not load spaCy's pipelines."""


def __getattr__(name: str) -> Any:
    if name in _ANALYSIS:
        from kilde import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'kilde' has no attribute {name!r}")


__all__ = ["MAX_TEXT_CHARS", "KildeError", "__version__", "analyse_doc", "analyze", "load"]
