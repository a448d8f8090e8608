"""The command line (analyze, batch, errors) and the Rich report.

Assertions only rely on the kilde/1 shape, not on how many quotes the stages find.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

import kilde
import kilde.analysis
from kilde.cli import app, main
from kilde.report import collect_sources, provenance_chains, render_report

runner = CliRunner()

NEWS_HTML = """<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">
<title>Brann i fjøs på Hedmarken | Bygdeposten</title></head><body>
<nav><a href="/">Forsiden</a> <a href="/sport">Sport</a> <a href="#main">Hopp til innhold</a></nav>
<div class="cookie">Vi bruker informasjonskapsler. <button>Godta alle</button></div>
<main><article><h1>Brann i fjøs på Hedmarken</h1>
<p>Et fjøs brant ned til grunnen natt til søndag. Ingen dyr omkom i brannen, opplyser politiet.</p>
<p>«Vi fikk ut alle kuene i tide», sier bonde Kari Nordmo til Bygdeposten.</p>
<p>Ifølge politiet startet brannen trolig i et elektrisk anlegg på låven.</p>
<p>– Det er et lite mirakel at ingen ble skadet, forteller hun.</p>
</article></main>
<footer><p>Ansvarlig redaktør: Ola Hansen. Kontakt oss. Personvern.</p></footer></body></html>
"""

FURNITURE_HTML = """<!doctype html><html><head><title>Bygdeposten</title></head><body>
<nav><a href="/">Forsiden</a> <a href="/sport">Sport</a></nav>
<div class="cookie">Vi bruker informasjonskapsler. Godta alle</div>
<footer>Kontakt oss. Personvern.</footer></body></html>"""


@pytest.fixture(scope="module")
def example_nb() -> Path:
    with as_file(files("kilde") / "examples" / "artikkel_nb.txt") as path:
        return Path(path)


@pytest.fixture(scope="module")
def example_nn() -> Path:
    with as_file(files("kilde") / "examples" / "artikkel_nn.txt") as path:
        return Path(path)


def assert_one_line_error(text: str) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("kilde: error: "), text
    assert "Traceback" not in text


# --- analyze ------------------------------------------------------------------------------------


def test_analyze_text_report(example_nb: Path) -> None:
    result = runner.invoke(app, ["analyze", str(example_nb)])
    assert result.exit_code == 0, result.output
    assert "Gruveselskap skal ha holdt tilbake målinger fra Skarvfjorden" in result.stdout
    for section in ("Article", "Hedges", "Provenance"):
        assert section in result.stdout


def test_analyze_json(example_nb: Path) -> None:
    result = runner.invoke(app, ["analyze", str(example_nb), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "kilde/1"
    assert data["id"] == "artikkel_nb"
    assert data["language"] == "nb"
    assert data["text"] == example_nb.read_text(encoding="utf-8")
    assert "«" in result.stdout  # ensure_ascii=False
    for key in ("boilerplate", "quotes", "entities", "hedges", "provenance"):
        assert isinstance(data[key], list)


def test_analyze_stdin() -> None:
    text = "Brann i Bergen\n\n«Alle kom seg ut», sier brannsjefen til NRK.\n"
    result = runner.invoke(app, ["analyze", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["text"] == text
    assert data["id"] is None


def test_analyze_language_option(example_nn: Path, example_nb: Path) -> None:
    auto = json.loads(runner.invoke(app, ["analyze", str(example_nn), "-f", "json"]).stdout)
    assert auto["language"] == "nn"
    forced = runner.invoke(app, ["analyze", str(example_nb), "--language", "nn", "--format", "json"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["language"] == "nn"
    text_report = runner.invoke(app, ["analyze", str(example_nn), "--language", "nn"])
    assert text_report.exit_code == 0, text_report.output
    assert "Ferja står att ved kaia" in text_report.stdout


def test_analyze_html(tmp_path: Path) -> None:
    page = tmp_path / "side.html"
    page.write_text(NEWS_HTML, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    text = json.loads(result.stdout)["text"]
    assert text.startswith("Brann i fjøs på Hedmarken\n\n")
    assert "«Vi fikk ut alle kuene i tide», sier bonde Kari Nordmo til Bygdeposten." in text
    assert "Forsiden" not in text and "Kontakt oss" not in text and "informasjonskapsler" not in text


# --- errors -------------------------------------------------------------------------------------


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as stream:
        stream.truncate(size)


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "missing": lambda tmp: tmp / "nope.txt",
    "directory": lambda tmp: tmp,
    "empty": lambda tmp: (tmp / "empty.txt", (tmp / "empty.txt").write_bytes(b""))[0],
    "whitespace": lambda tmp: (tmp / "ws.txt", (tmp / "ws.txt").write_bytes(b"\n \n\t"))[0],
    "binary": lambda tmp: (tmp / "b.bin", (tmp / "b.bin").write_bytes(bytes(range(256)) * 4))[0],
    "invalid-utf8": lambda tmp: (tmp / "l.txt", (tmp / "l.txt").write_bytes("Blåbær.".encode("latin-1")))[0],
    "html-without-article": lambda tmp: (tmp / "x.html", (tmp / "x.html").write_text(FURNITURE_HTML))[0],
    "huge": lambda tmp: (tmp / "huge.txt", _sparse(tmp / "huge.txt", 50 * 1024 * 1024))[0],
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_cli_runner(tmp_path: Path, case: str) -> None:
    path = BAD_FILES[case](tmp_path)
    started = time.perf_counter()
    result = runner.invoke(app, ["analyze", str(path)])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert_one_line_error(result.output)
    assert result.stdout == ""


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_main(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = BAD_FILES[case](tmp_path)
    assert main(["analyze", str(path), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_one_line_error(captured.err)


def test_error_messages_are_specific(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = {
        "missing": "no such file",
        "directory": "is a directory",
        "empty": "is empty",
        "binary": "binary",
        "invalid-utf8": "not valid UTF-8 (byte 0xe5 at offset 2)",
        "html-without-article": "no article text",
        "huge": "kilde reads at most 20 MB",
    }
    for case, message in expected.items():
        main(["analyze", str(BAD_FILES[case](tmp_path))])
        assert message in capsys.readouterr().err, case


@pytest.mark.parametrize(
    "argv",
    [
        ["analyze", "EXAMPLE", "--format", "xml"],
        ["analyze", "EXAMPLE", "--language", "en"],
        ["analyze"],
        ["analyze", "EXAMPLE", "--bogus"],
        ["no-such-command"],
        ["batch", "in.jsonl"],
    ],
)
def test_usage_errors(argv: list[str], example_nb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(example_nb) if arg == "EXAMPLE" else arg for arg in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert_one_line_error(captured.err)
    assert captured.out == ""


def test_unexpected_error_and_interrupt(
    example_nb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("stage exploded")

    monkeypatch.setattr(kilde.analysis, "analyze", broken)
    assert main(["analyze", str(example_nb)]) == 1
    err = capsys.readouterr().err
    assert_one_line_error(err)
    assert "RuntimeError: stage exploded" in err

    def interrupted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(kilde.analysis, "analyze", interrupted)
    assert main(["analyze", str(example_nb)]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "kilde: interrupted"


# --- batch --------------------------------------------------------------------------------------


BATCH_LINES = [
    '{"id": "nb-1", "text": "Brann i Bergen\\n\\n«Alle kom seg ut», sier brannsjefen til NRK."}',
    '{"id": 2, "text": "Ho seier at ferja truleg er i rute igjen i morgon.", "language": "nn"}',
    "",
    '{"id": "broken", "text": "no end',
    '{"id": "no-text"}',
    '{"id": "empty", "text": "   "}',
    '{"id": "wrong-type", "text": ["a", "list"]}',
    '{"id": "bad-lang", "text": "Tekst.", "language": "sv"}',
    "  ",
    '{"text": "Politiet opplyser at ingen er skadet."}',
]


def run_batch(tmp_path: Path, lines: list[str], *options: str) -> tuple[Any, list[dict[str, Any]]]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(target), *options])
    rows = (
        [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        if target.exists()
        else []
    )
    return result, rows


def test_batch_good_and_bad_lines(tmp_path: Path) -> None:
    result, rows = run_batch(tmp_path, BATCH_LINES)
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in rows] == [
        "nb-1",
        2,
        "broken",
        "no-text",
        "empty",
        "wrong-type",
        "bad-lang",
        "line-10",
    ]
    good = [row for row in rows if "error" not in row]
    assert [row["id"] for row in good] == ["nb-1", 2, "line-10"]
    for row in good:
        assert row["schema"] == "kilde/1"
    assert good[0]["text"].startswith("Brann i Bergen")
    assert good[1]["language"] == "nn"
    errors = {row["id"]: row["error"] for row in rows if "error" in row}
    assert errors["broken"].startswith("invalid JSON")
    assert errors["no-text"] == 'missing "text"'
    assert errors["empty"] == '"text" is empty'
    assert errors["wrong-type"] == '"text" must be a string, not an array'
    assert "language" in errors["bad-lang"]
    assert "8 records: 3 ok, 5 errors" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_batch_default_language(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "text": "Politiet sier at ingen er skadet."}',
        '{"id": "b", "text": "Politiet sier at ingen er skadet.", "language": "nb"}',
    ]
    result, rows = run_batch(tmp_path, lines, "--language", "nn")
    assert result.exit_code == 0, result.output
    assert [row["language"] for row in rows] == ["nn", "nb"]


def test_batch_survives_any_exception(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_analyze = kilde.analyze

    def flaky(text: str, language: str | None = None, doc_id: str | None = None) -> dict[str, Any]:
        if "BOOM" in text:
            raise ZeroDivisionError("division by zero")
        return real_analyze(text, language=language, doc_id=doc_id)

    monkeypatch.setattr(kilde.analysis, "analyze", flaky)
    lines = [
        '{"id": "ok-1", "text": "«Ja», sier han."}',
        '{"id": "boom", "text": "BOOM, sier han."}',
        '{"id": "ok-2", "text": "«Nei», sier hun."}',
    ]
    result, rows = run_batch(tmp_path, lines)
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in rows] == ["ok-1", "boom", "ok-2"]
    assert rows[1] == {"id": "boom", "error": "ZeroDivisionError: division by zero"}
    assert "3 records: 2 ok, 1 errors" in result.stderr


def test_batch_interrupt_keeps_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(kilde.analysis, "analyze", interrupted)
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Tekst."}\n', encoding="utf-8")
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    assert main(["batch", str(source), "-o", str(target)]) == 130
    assert capsys.readouterr().err.strip() == "kilde: interrupted"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_batch_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out.jsonl")]) == 1
    assert_one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "out.jsonl").exists()
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Tekst."}\n', encoding="utf-8")
    assert main(["batch", str(source), "-o", str(tmp_path / "no" / "dir" / "out.jsonl")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["batch", str(source), "-o", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err


# --- the installed console script ---------------------------------------------------------------


def kilde_script() -> str:
    script = Path(sys.executable).with_name("kilde")
    found = str(script) if script.exists() else shutil.which("kilde")
    if found is None:
        pytest.skip("the kilde console script is not installed")
    return found


def test_console_script(example_nb: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [kilde_script(), "analyze", str(example_nb), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "kilde/1"
    assert data["text"] == example_nb.read_text(encoding="utf-8")

    failed = subprocess.run(
        [kilde_script(), "analyze", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert_one_line_error(failed.stderr)


# --- report -------------------------------------------------------------------------------------


def span(text: str, part: str, occurrence: int = 1) -> dict[str, Any]:
    start = -1
    for _ in range(occurrence):
        start = text.index(part, start + 1)
    return {"start": start, "end": start + len(part), "text": part}


RELAYED_TEXT = (
    "Soldat skal ha ringt hjem\n\n"
    "Les også: Krigen dag for dag\n\n"
    "En russisk soldat skal ha sagt at enheten trakk seg tilbake, ifølge en samtale som GUR "
    "har fanget opp, skriver Newsweek.\n\n"
    "«Vi har ikke mat», sier soldaten til moren sin."
)


def relayed_result() -> dict[str, Any]:
    text = RELAYED_TEXT
    return {
        "schema": "kilde/1",
        "id": "relayed",
        "language": "nb",
        "title": "Soldat skal ha ringt hjem",
        "text": text,
        "boilerplate": [{**span(text, "Les også: Krigen dag for dag"), "kind": "teaser"}],
        "quotes": [
            {
                "id": "q1",
                "type": "indirect",
                "content": [span(text, "enheten trakk seg tilbake")],
                "cue": span(text, "sagt"),
                "speaker": {
                    "mention": span(text, "russisk soldat"),
                    "name": "soldat",
                    "kind": "person",
                    "entity": "e3",
                },
                "addressee": None,
                "heading": False,
                "hedged": True,
            },
            {
                "id": "q2",
                "type": "indirect",
                "content": [span(text, "En russisk soldat skal ha sagt at enheten trakk seg tilbake")],
                "cue": span(text, "ifølge"),
                "speaker": {
                    "mention": span(text, "GUR"),
                    "name": "GUR",
                    "kind": "organization",
                    "entity": "e2",
                },
                "addressee": None,
                "heading": False,
                "hedged": False,
            },
            {
                "id": "q3",
                "type": "indirect",
                "content": [
                    span(text, "En russisk soldat skal ha sagt at enheten trakk seg tilbake, ifølge")
                ],
                "cue": span(text, "skriver"),
                "speaker": {
                    "mention": span(text, "Newsweek"),
                    "name": "Newsweek",
                    "kind": "media",
                    "entity": "e1",
                },
                "addressee": None,
                "heading": False,
                "hedged": False,
            },
            {
                "id": "q4",
                "type": "direct",
                "content": [span(text, "Vi har ikke mat")],
                "cue": span(text, "sier", 1),
                "speaker": {
                    "mention": span(text, "soldaten"),
                    "name": "soldat",
                    "kind": "person",
                    "entity": "e3",
                },
                "addressee": span(text, "moren sin"),
                "heading": False,
                "hedged": False,
            },
        ],
        "entities": [
            {"id": "e1", "name": "Newsweek", "kind": "media", "gender": None, "mentions": []},
            {"id": "e2", "name": "GUR", "kind": "organization", "gender": None, "mentions": []},
            {"id": "e3", "name": "soldat", "kind": "person", "gender": "m", "mentions": []},
        ],
        "hedges": [{**span(text, "skal ha sagt"), "kind": "reportative"}],
        "provenance": [
            {"source": "e1", "via": "q3", "target": "article"},
            {"source": "e2", "via": "q2", "target": "e1"},
            {"source": "e3", "via": "q1", "target": "e2"},
        ],
    }


def render(result: dict[str, Any]) -> str:
    console = Console(file=io.StringIO(), width=120, record=True, color_system=None)
    render_report(result, console)
    return console.export_text()


def test_report_renders_relayed_chain() -> None:
    result = relayed_result()
    output = render(result)
    assert "article ← Newsweek ← GUR ← soldat" in output
    assert "Vi har ikke mat[q4]" in output
    assert "skal ha sagt (reportative)" in output
    assert "moren sin" in output
    sources = collect_sources(result)
    first = sources[0]
    assert (first.name, first.kind, first.quotes, first.direct, first.indirect) == (
        "soldat",
        "person",
        2,
        1,
        1,
    )
    assert sources[0].addressees == ["moren sin"]


def test_report_with_empty_lists() -> None:
    empty = {
        "schema": "kilde/1",
        "id": None,
        "language": "nb",
        "title": None,
        "text": "Ingen sitater her.",
        "boilerplate": [],
        "quotes": [],
        "entities": [],
        "hedges": [],
        "provenance": [],
    }
    output = render(empty)
    assert "Ingen sitater her." in output
    assert "No quotes found." in output and "No provenance chains." in output
    assert render({"text": ""})  # even a bare dict renders


def test_provenance_chains_branch_and_cycles() -> None:
    result = {
        "entities": [{"id": "e1", "name": "NTB"}, {"id": "e2", "name": "Politiet"}],
        "provenance": [
            {"source": "e1", "via": "q1", "target": "article"},
            {"source": "e2", "via": "q2", "target": "e1"},
            {"source": "e3", "via": "q3", "target": "article"},
            {"source": "e1", "via": "q4", "target": "e2"},  # a cycle must not loop forever
        ],
    }
    assert provenance_chains(result) == [["article", "NTB", "Politiet"], ["article", "e3"]]
    assert provenance_chains({"provenance": []}) == []


def test_eval_writes_errors_for_error_analysis(tmp_path: Path) -> None:
    gold = {
        "id": "egen-1",
        "language": "nb",
        "text": "Brua stenges\n\n– Vi har ikke noe valg, sier vegsjef Kari Lunde til Fjordavisa.",
        "quotes": [
            {
                "type": "direct",
                "content": "Vi har ikke noe valg",
                "cue": "sier",
                "speaker_mention": "vegsjef Kari Lunde",
                "speaker": "Kari Lunde",
                "speaker_kind": "person",
                "addressee": "Fjordavisa",
            }
        ],
        "hedges": [],
        "boilerplate": [],
    }
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "egen-1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    errors = tmp_path / "errors.json"
    result = CliRunner().invoke(app, ["eval", str(gold_dir), "--json", "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert metrics["overall"]["attribution"]["f1"] == 1.0
    assert "errors" not in metrics
    assert json.loads(errors.read_text(encoding="utf-8")) == []


def test_rules_only_leaves_out_the_model(tmp_path: Path) -> None:
    article = tmp_path / "sak.txt"
    article.write_text("– Vi åpner brua i morgen, sier vegsjef Kari Lunde.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(article), "--rules-only", "-f", "json", "-l", "nb"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["quotes"][0]["speaker"]["name"] == "Kari Lunde"
    rules = kilde.load("nb", rules_only=True)
    assert "parser" not in rules.pipe_names and "ner" not in rules.pipe_names
    assert rules is not kilde.load("nb")


# --- version and help ---------------------------------------------------------------------------

# Typer's labels for Python types (<bool>, <str>, <path>, <int range>, <list[Path]>), which --help
# must never show: a value is named by its metavar, a flag by nothing.
PYTHON_TYPE_LABEL = re.compile(r"<(?:bool|str|path|int|float|list|tuple|dict|datetime|uuid|file)\b")


def command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The names that reach ``command`` and every command below it, groups included."""
    paths = [path]
    for name, subcommand in sorted(getattr(command, "commands", {}).items()):
        paths += command_paths(subcommand, (*path, name))
    return paths


def command_helps() -> list[tuple[list[str], str]]:
    """The --help text of kilde and of each of its commands (all of them, including ones added later)."""
    argvs = [[*path, "--help"] for path in command_paths(typer.main.get_command(app))]
    helps = []
    for argv in argvs:
        result = runner.invoke(app, argv, terminal_width=200)
        assert result.exit_code == 0, result.output
        helps.append((argv, result.stdout))
    return helps


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"kilde {kilde.__version__}\n"
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"kilde {kilde.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", kilde.__version__)


def test_help_shows_no_python_types() -> None:
    helps = command_helps()
    assert len(helps) >= 6  # kilde, analyze, batch, report, eval, serve
    for argv, text in helps:
        assert not PYTHON_TYPE_LABEL.search(text), (argv, PYTHON_TYPE_LABEL.findall(text), text)
        assert "--help" in text
    top = dict((tuple(argv), text) for argv, text in helps)[("--help",)]
    assert "--version" in top


def test_every_option_value_has_a_metavar() -> None:
    """Options that take a value name it (PATH, N, SECONDS, a choice); flags show no metavar."""
    group = typer.main.get_command(app)
    for path in command_paths(group):
        command = group
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            if param.param_type_name != "option":
                assert param.metavar, (command.name, param.name)  # arguments: PATH, INPUT, OUTDIR, GOLD_DIR
                assert param.metavar.upper() == param.metavar, (command.name, param.name)
            elif param.is_flag:
                assert not param.metavar, (command.name, param.name)
            else:
                choice = param.type_descriptor.is_choice
                assert choice or param.metavar, f"{command.name} {param.opts[0]} needs a metavar"


def test_help_names_values() -> None:
    helps = {" ".join(argv): text for argv, text in command_helps()}
    assert "N" in helps["batch --help"] and "SECONDS" in helps["serve --help"]
    assert "GOLD_DIR" in helps["eval --help"] and "FILE" in helps["report --help"]
    usage = next(line for line in helps["batch --help"].splitlines() if "Usage:" in line)
    assert "INPUT" in usage and "INPUT...}..." not in usage


# --- a fresh install, as the README says --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    """The README's two opening commands: install and analyse the example; install and run the tests."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)[:2]
    commands = [block.strip() for block in blocks]
    assert all("\n" not in command for command in commands), commands
    return commands


def test_ci_runs_the_readme_commands_verbatim() -> None:
    """.ci/run installs exactly as a user does: the README's commands, and no pip step of its own
    (an earlier `pip install --upgrade pip` there hid an install that failed with the pip that
    `python3 -m venv` brings)."""
    first, second = readme_commands()
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert first.endswith(" analyze src/kilde/examples/artikkel_nb.txt")
    assert second == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    # Each command whole, on its own line; `|| exit` may follow, since set -e lets a failure
    # before the last && pass.
    found = [n for command in (first, second) for n, line in enumerate(lines) if line.startswith(command)]
    assert len(found) == 2 and found[0] < found[1], found
    for n in found:
        assert lines[n] in (first, second) or lines[n].endswith(" || exit"), lines[n]
    pip_lines = [line for line in lines if re.search(r"\bpip\b", line)]
    assert pip_lines == [lines[n] for n in found]
    assert "set -euo pipefail" in lines


def test_html_extraction_dependencies_are_installed() -> None:
    """HTML input needs lxml's HTML cleaner, which lxml 6 ships apart (lxml_html_clean); a pip that
    does not resolve the lxml[html_clean] extra left it out, and every HTML input failed."""
    import justext  # noqa: F401  (imports lxml.html.clean)
    import lxml.html.clean  # noqa: F401
    import lxml_html_clean  # noqa: F401

    from kilde.io import read_document

    document = read_document(NEWS_HTML.encode())
    assert document.metadata["format"] == "html"
    assert "Vi fikk ut alle kuene i tide" in document.text
    assert "informasjonskapsler" not in document.text


def test_readme_states_the_real_limits() -> None:
    """The input limits the README gives are the ones the code enforces."""
    from kilde.io import MAX_INPUT_BYTES

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"{MAX_INPUT_BYTES:,} bytes" in readme
    assert f"{MAX_INPUT_BYTES // 1024 // 1024} MiB" in readme
    assert f"{kilde.MAX_TEXT_CHARS:,} characters" in readme
    assert "20 MB" not in readme.split("## Web app")[0]
    assert "../shared/docs" not in readme  # users have no ../shared; the format is documented in docs/
    assert (ROOT / "docs" / "output-format.md").is_file()
