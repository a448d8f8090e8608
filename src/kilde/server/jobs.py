"""One analysis request as a picklable job, and the function that runs it inside a worker.

Everything here must be importable and picklable on its own: with the process executor a job
travels to a worker process through a pipe, and the worker runs ``run_job`` there. Decoding an
upload (and extracting an HTML page) happens in the worker too, so it falls under the time limit.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Literal

from kilde.analysis import Analyzer, analyse_record, load
from kilde.errors import KildeError
from kilde.io import document_from_bytes


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
            text = document_from_bytes(job.data, doc_id=job.doc_id, name=job.name).text
        else:
            text = job.text or ""
    except KildeError as error:
        return Outcome("invalid", message=" ".join(str(error).split()))
    # The server stops a slow analysis by ending its worker, so no time limit here.
    record = analyse_record(text, job.language, job.doc_id, analyzer=analyzer)
    if record.outcome == "ok":
        return Outcome("ok", record.result)
    if record.outcome == "invalid":
        return Outcome("invalid", message=record.error or "")
    # The traceback goes to the server log (stderr of the worker); the client gets one line.
    print(record.traceback or record.error, file=sys.stderr)
    return Outcome("failed", message=record.error or "")


def warm_kilde() -> None:
    """Build both pipelines before the first request, so no user waits for spaCy to load."""
    load("nb")
    load("nn")
