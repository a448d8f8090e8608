"""Corpus runs: many articles on local processes or a Dask cluster, into shards, tables and a report.

Needs the ``corpus`` extra (``pip install 'kilde[corpus]'``): warcio, dask/distributed,
pyarrow, duckdb and plotly.
"""

from __future__ import annotations

from kilde.corpus.runner import RunOptions, RunSummary, run_corpus

__all__ = ["RunOptions", "RunSummary", "run_corpus"]
