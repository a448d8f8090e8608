"""One analysis request as a picklable job, and the function that runs it inside a worker.

Everything here must be importable and picklable on its own: with the process executor a job
travels to a worker process through a pipe, and the worker runs ``run_job`` there. Decoding an
upload (and extracting an HTML page) happens in the worker too, so it falls under the time limit.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from kilde.errors import KildeError
from kilde.io import document_from_bytes

Analyzer = Callable[..., dict[str, Any]]
"""Called like ``kilde.analyze(text, language=..., doc_id=...)``; returns a ``kilde/1`` object."""


@dataclass(frozen=True)
class Job:
    """What to analyse: pasted ``text``, or the raw bytes of an uploaded file (plain text or HTML)."""

    text: str | None = None
    data: bytes | None = None
    name: str = "the text"
    language: str | None = None
    doc_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How a job ended: ``ok`` with a result, ``invalid`` input (the user's fault) or ``failed`` (ours)."""

    status: Literal["ok", "invalid", "failed"]
    result: dict[str, Any] | None = None
    message: str = ""


def run_job(analyzer: Analyzer, job: Job) -> Outcome:
    """Run one job and turn every exception into an ``Outcome``, so a worker never dies of bad input."""
    try:
        if job.data is not None:
            document = document_from_bytes(job.data, doc_id=job.doc_id, name=job.name)
            text = document.text
        else:
            text = job.text or ""
        return Outcome("ok", analyzer(text, language=job.language, doc_id=job.doc_id))
    except KildeError as error:
        return Outcome("invalid", message=" ".join(str(error).split()))
    except Exception as error:
        # The traceback goes to the server log (stderr of the worker); the client gets one line.
        traceback.print_exc()
        return Outcome("failed", message=f"{type(error).__name__}: {error}")


def warm_kilde() -> None:
    """Build both pipelines before the first request, so no user waits for spaCy to load."""
    import kilde

    kilde.load("nb")
    kilde.load("nn")
