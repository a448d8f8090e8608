"""kilde: who said what, to whom, according to whom, in Norwegian news."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

import kilde
from kilde.annotations.cli import app as annotations_app
from kilde.errors import KildeError
from kilde.limits import DEFAULT_TIME_LIMIT


class _Argument(TyperArgument):
    """An argument whose help shows its metavar alone, without Typer's type label (``<list[Path]>``)."""

    def display_type_rich(self, ctx: typer.Context) -> str | None:
        return None


def _plain_metavars(params: Sequence[Any]) -> None:
    """Let ``--help`` name values by metavar (PATH, N, SECONDS), never by a Python type such as ``<bool>``.

    Flags take no value and show none; arguments show their name alone.
    """
    for param in params:
        if param is None:
            continue
        if isinstance(param, TyperArgument) and not isinstance(param, _Argument):
            param.__class__ = _Argument  # adds no state, only the help display
        elif isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""


class _PlainHelp:
    """For a Typer command or group: its help shows metavars, not Python types (see ``_plain_metavars``)."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_metavars(self.params)

    def get_help_option(self, ctx: typer.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        _plain_metavars([option])
        return option


class _Command(_PlainHelp, TyperCommand):
    """A kilde command (``analyze``, ``batch``, …)."""


class _Group(_PlainHelp, TyperGroup):
    """The ``kilde`` group of commands."""

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:  # also commands that come from another Typer app (add_typer)
            _plain_help_tree(command, ctx)
        return command


def _plain_help_tree(command: Any, ctx: typer.Context) -> None:
    """``_plain_metavars`` for a command, its help option and, for a group, every command below it."""
    _plain_metavars([*command.params, command.get_help_option(ctx)])
    for subcommand in getattr(command, "commands", {}).values():
        _plain_help_tree(subcommand, ctx)


app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__, cls=_Group)
for _info in annotations_app.registered_commands:  # kilde's help style for the sub-app's commands too
    _info.cls = _Command
app.add_typer(annotations_app, name="annotations", cls=_Group)

DEBUG_ENV = "KILDE_DEBUG"
"""Set this environment variable to see the traceback of an unexpected error."""


class OutputFormat(StrEnum):
    """How ``kilde analyze`` prints its result."""

    text = "text"
    json = "json"


class LanguageChoice(StrEnum):
    """Written standard of the input; ``auto`` detects it from the text."""

    nb = "nb"
    nn = "nn"
    auto = "auto"


RulesOnly = Annotated[
    bool,
    typer.Option(
        "--rules-only", help="Analyse without the trained model (tagger, parser, NER), with the rules alone."
    ),
]


def _language(value: str | None) -> str | None:
    """The ``language`` argument for ``kilde.analyze``: None means detect."""
    return None if value in (None, "auto") else value


def _fail(message: str, code: int = 1) -> NoReturn:
    """Report a user error on one line of stderr and stop, without a traceback."""
    typer.echo(f"kilde: error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn ``KildeError`` into the one-line error, also when the app runs outside ``main``."""
    try:
        yield
    except KildeError as error:
        _fail(str(error))


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"kilde {kilde.__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Show kilde's version and exit."
        ),
    ] = False,
) -> None:
    """Options that come before the command (``kilde --version``)."""


@app.command("analyze", cls=_Command)
def analyze_command(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="Article file (plain text or HTML), or - to read stdin.")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="text: a readable report; json: the kilde/1 object."),
    ] = OutputFormat.text,
    language: Annotated[
        LanguageChoice, typer.Option("--language", "-l", help="nb (Bokmål), nn (Nynorsk) or auto.")
    ] = LanguageChoice.auto,
    rules_only: RulesOnly = False,
) -> None:
    """Analyse one article and show who said what, to whom, according to whom."""
    from kilde.io import read_document

    with _user_errors():
        document = read_document(path)
        result = kilde.analyze(
            document.text, language=_language(language.value), doc_id=document.id, rules_only=rules_only
        )
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from kilde.report import render_report

    render_report(result, Console())


def _error_json(record_id: Any, message: str) -> str:
    """``{"id", "error"}``, with any lone surrogate (in a bad id, say) written as ``\\ud800``."""
    from kilde.io.records import writable, writable_id

    return json.dumps({"id": writable_id(record_id), "error": writable(message)}, ensure_ascii=False)


def _result_line(item: Any, result: dict[str, Any]) -> str:
    result["id"] = item.id
    line = json.dumps(result, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as error:
        raise KildeError(
            f"the result holds a lone surrogate (\\u{ord(line[error.start]):04x}), which cannot be written"
        ) from None
    return line


def _batch_line(item: Any, default_language: str | None, time_limit: float | None = None) -> tuple[str, bool]:
    """The output line for one input line, and whether it was analysed; never raises on a bad record.

    The analysis may take ``time_limit`` seconds (``kilde.limits``), else the line is an error.
    """
    from kilde.analysis import analyse_record
    from kilde.io import JsonlError

    if isinstance(item, JsonlError):
        return _error_json(item.id, item.reason), False
    language = _language(item.language) if item.language is not None else default_language
    record = analyse_record(item.text, language, str(item.id), time_limit)
    if record.result is None:
        return _error_json(item.id, record.error or "no result"), False
    try:
        return _result_line(item, record.result), True
    except KildeError as error:
        return _error_json(item.id, str(error)), False


def _check_output_path(output: Path) -> Path:
    if output.is_dir():
        raise KildeError(f"{output} is a directory; give a file name for the output")
    folder = output.parent
    if not folder.is_dir():
        raise KildeError(f"the output folder {folder} does not exist")
    return folder


@contextmanager
def _atomic_writer(output: Path) -> Iterator[TextIO]:
    """A temporary file next to ``output`` that replaces it only when writing finished without error.

    A crash or Ctrl-C leaves any earlier ``output`` as it was and no partial file behind.
    """
    folder = _check_output_path(output)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise KildeError(f"cannot write to {folder}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        mode = output.stat().st_mode & 0o777 if output.exists() else 0o644
        os.chmod(temp_name, mode)
        os.replace(temp_name, output)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _batch_file(
    input_path: Path, output: Path, default_language: str | None, time_limit: float | None = None
) -> None:
    """``kilde batch IN.jsonl -o OUT.jsonl``: one output line per non-blank input line, in input order."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from kilde.io import count_jsonl_records, iter_jsonl_records

    ok = errors = 0
    with _user_errors():
        # Not counted when it is a pipe (<(zcat a.jsonl.gz)): counting would read it all up.
        total = count_jsonl_records(input_path) if input_path.is_file() else None
        records = iter_jsonl_records(input_path)
        console = Console(stderr=True)
        progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        with _atomic_writer(output) as stream, progress:
            task = progress.add_task("Analysing", total=total)
            for item in records:
                line, analysed = _batch_line(item, default_language, time_limit)
                stream.write(line + "\n")
                ok, errors = ok + analysed, errors + (not analysed)
                progress.advance(task)
    typer.echo(f"{ok + errors} records: {ok} ok, {errors} errors", err=True)


@app.command("batch", cls=_Command)
def batch_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT",
            help='JSON Lines ({"id", "text", "language"?} per line), folders of .txt/.html files, '
            "or WARC / WARC.gz web archives.",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="A folder for a corpus run (shards, tables, errors), or OUT.jsonl for one JSON Lines input.",
        ),
    ],
    language: Annotated[
        LanguageChoice,
        typer.Option("--language", "-l", help="nb, nn or auto; used for records without a language."),
    ] = LanguageChoice.auto,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, metavar="N", help="Local worker processes (default 1)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="tcp://HOST:PORT", help="Run on this Dask cluster instead."),
    ] = None,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, metavar="N", help="Articles per task.")
    ] = 32,
    shard_size: Annotated[
        int, typer.Option("--shard-size", min=1, metavar="N", help="Records per output shard.")
    ] = 1000,
    retry_errors: Annotated[
        bool, typer.Option("--retry-errors", help="Analyse again the records that failed in earlier runs.")
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0,
            metavar="SECONDS",
            help="Seconds one record may take; a record that takes longer becomes an error (0: no limit).",
        ),
    ] = DEFAULT_TIME_LIMIT,
) -> None:
    """Analyse many articles, into one JSON Lines file or a corpus output folder.

    -o OUT.jsonl (one JSON Lines input): one output line per non-blank input line, in input order.

    -o OUTDIR: shards, Parquet tables and errors.jsonl; a rerun skips the records already done.
    """
    default_language = _language(language.value)
    if output.suffix.lower() == ".jsonl":
        if len(inputs) != 1 or workers is not None or scheduler is not None or retry_errors:
            raise typer.BadParameter(
                "OUT.jsonl takes one JSON Lines input and no --workers, --scheduler or --retry-errors; "
                "give an output folder for a corpus run",
                param_hint="'--output'",
            )
        _batch_file(inputs[0], output, default_language, time_limit or None)
        return
    if workers is not None and scheduler is not None:
        raise typer.BadParameter("use either --workers or --scheduler", param_hint="'--scheduler'")
    from kilde.corpus import RunOptions, run_corpus

    options = RunOptions(
        workers=workers or 1,
        scheduler=scheduler,
        language=default_language,
        chunk_size=chunk_size,
        shard_size=shard_size,
        retry_errors=retry_errors,
        time_limit=time_limit or None,
    )
    with _user_errors():
        summary = run_corpus(inputs, output, options)
    typer.echo(summary.line(), err=True)


@app.command("report", cls=_Command)
def report_command(
    outdir: Annotated[Path, typer.Argument(metavar="OUTDIR", help="The output folder of a corpus run.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write the page (OUTDIR/report.html)."),
    ] = None,
) -> None:
    """Write one self-contained HTML page of charts about a corpus run (no network needed to view it)."""
    from kilde.corpus.report import write_report

    target = output or outdir / "report.html"
    with _user_errors():
        write_report(outdir, target)
    typer.echo(f"wrote {target}", err=True)


@app.command("eval", cls=_Command)
def eval_command(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="GOLD_DIR",
            help="Folder of gold files: one JSON file per article, with its text and the quotes a person "
            "marked in it (content, speaker, cue, type).",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            metavar="FILE",
            help="Also write every missed, spurious and wrongly attributed quote, per article, here.",
        ),
    ] = None,
    rules_only: RulesOnly = False,
) -> None:
    """Score kilde against hand-annotated articles and print every metric, overall and by language."""
    from functools import partial

    from kilde.evaluate import evaluate_directory, render_metrics

    analyze = partial(kilde.analyze, rules_only=rules_only)
    with _user_errors():
        metrics = evaluate_directory(gold_dir, analyze=analyze, collect_errors=errors is not None)
    if errors is not None:
        errors.write_text(
            json.dumps(metrics.pop("errors", []), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    if as_json:
        typer.echo(json.dumps(metrics, ensure_ascii=False, indent=2))
    else:
        render_metrics(metrics)


@app.command("serve", cls=_Command)
def serve_command(
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, metavar="PORT", help="Port to listen on.")
    ] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, metavar="N", help="Analysis processes (default: one per core, at most 4)."
        ),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0.1,
            metavar="SECONDS",
            help="Seconds one analysis may take before it answers 503.",
        ),
    ] = 20.0,
    allowed_hosts: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME",
            help=(
                "Also answer requests for this Host (a name, address, NAME:PORT, network like "
                "10.0.0.0/8, or * for any); repeatable. Default: the --host address and, for "
                "loopback, localhost."
            ),
        ),
    ] = None,
    allowed_origins: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-origin",
            metavar="ORIGIN",
            help="Let pages of this origin (https://tool.example) post to the API; repeatable; * for any.",
        ),
    ] = None,
) -> None:
    """Start the web app for fact-checkers: paste or upload an article and see who said what."""
    try:
        from kilde.server.run import serve
    except ModuleNotFoundError as error:
        _fail(f"kilde serve needs {error.name}; install the server extra: pip install 'kilde[server]'")
    with _user_errors():
        serve(
            host=host,
            port=port,
            workers=workers,
            time_limit=time_limit,
            allowed_hosts=allowed_hosts or [],
            allowed_origins=allowed_origins or [],
        )


def _error_line(message: str) -> str:
    return f"kilde: error: {' '.join(str(message).split())}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status; every error is one line on stderr.

    Usage errors exit with 2, other errors with 1, Ctrl-C with 130. ``KILDE_DEBUG=1`` re-raises
    unexpected errors to show their traceback.
    """
    command = typer.main.get_command(app)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        status = command.main(args=args, prog_name="kilde", standalone_mode=False)
    except typer.TyperException as error:  # Typer's own (vendored click) usage and parameter errors
        message = error.format_message()
        if type(error).__name__ == "NoArgsIsHelpError":
            if message.strip():  # Typer's rich help prints itself and leaves the message empty
                typer.echo(message, err=True)
            return error.exit_code
        context = getattr(error, "ctx", None)
        hint = (
            f" (see '{context.command_path} --help')" if context is not None and error.exit_code == 2 else ""
        )
        typer.echo(_error_line(message) + hint, err=True)
        return error.exit_code
    except typer.Abort:
        typer.echo("kilde: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("kilde: interrupted", err=True)
        return 130
    except KildeError as error:
        typer.echo(_error_line(str(error)), err=True)
        return 1
    except BrokenPipeError:
        # The reader went away (``kilde analyze x | head``); stop quietly.
        sys.stderr.close()
        return 1
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        typer.echo(_error_line(f"{error.strerror or error}{where}"), err=True)
        return 1
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        typer.echo(
            _error_line(f"unexpected {type(error).__name__}: {error} (set {DEBUG_ENV}=1 for the traceback)"),
            err=True,
        )
        return 1
    if status == 130:  # Typer turns Ctrl-C inside a command into exit status 130
        typer.echo("kilde: interrupted", err=True)
    return status if isinstance(status, int) else 0
