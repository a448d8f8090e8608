"""The ``kilde`` command line: analyze, batch, eval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.command("eval")
def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files (annotation-guidelines.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Score kilde against hand-annotated articles and print every metric, overall and by language."""
    from kilde.evaluate import evaluate_directory, render_metrics

    metrics = evaluate_directory(gold_dir)
    if as_json:
        typer.echo(json.dumps(metrics, ensure_ascii=False, indent=2))
    else:
        render_metrics(metrics)


def main() -> None:
    app()
