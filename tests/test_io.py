"""Readers: one article from a file, stdin or HTML, JSON Lines for batches, and the bundled examples."""

from __future__ import annotations

import io
import json
import time
from importlib.resources import files
from pathlib import Path

import pytest

import kilde.io.text
from kilde import KildeError
from kilde.io import (
    MAX_INPUT_BYTES,
    JsonlError,
    JsonlRecord,
    count_jsonl_records,
    iter_jsonl_records,
    looks_like_html,
    read_document,
)
from kilde.language import detect_language

EXAMPLES = files("kilde") / "examples"

NEWS_HTML = """<!DOCTYPE html>
<html lang="nb">
<head><meta charset="utf-8"><title>Brann i fjøs på Hedmarken | Bygdeposten</title></head>
<body>
<nav><ul><li><a href="/">Forsiden</a></li><li><a href="/sport">Sportsnytt</a></li>
<li><a href="#main">Hopp til hovedinnholdet</a></li></ul></nav>
<div class="cookie-banner">Vi bruker informasjonskapsler. <button>Godta alle</button></div>
<main><article>
<h1>Brann i fjøs på Hedmarken</h1>
<p class="ingress">Et fjøs brant ned til grunnen natt til søndag. Ingen dyr omkom i brannen.</p>
<p>«Vi fikk ut alle kuene i tide», sier bonde Kari Nordmo til Bygdeposten.</p>
<p>Ifølge politiet startet brannen trolig i et elektrisk anlegg på låven.</p>
<h2>– Et lite mirakel</h2>
<p>– Det er et lite mirakel at ingen ble skadet, forteller hun.<br>Naboene kom til med en gang.</p>
<ul><li>Brannvesenet rykket ut med fire biler.</li><li>Slukkingsarbeidet tok seks timer.</li></ul>
<p>Brannvesenet var på stedet hele natten, opplyser vaktleder Per Olsen i Hedmarken brann og redning.</p>
</article></main>
<aside><h3>Mest lest</h3><ul><li><a href="/a">Sju tips til hagen</a></li></ul></aside>
<footer><p>Ansvarlig redaktør: Ola Hansen · Kontakt oss · Personvern · © Bygdeposten</p></footer>
</body></html>
"""

FURNITURE_HTML = """<!doctype html><html><head><title>Bygdeposten</title></head><body>
<nav><a href="/">Forsiden</a> <a href="/sport">Sport</a></nav>
<div class="cookie">Vi bruker informasjonskapsler. Godta alle</div>
<footer>Kontakt oss. Personvern.</footer></body></html>"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- plain text ---------------------------------------------------------------------------------


def test_text_file_bom_and_line_endings(tmp_path: Path) -> None:
    path = write(tmp_path, "sak-1.txt", b"\xef\xbb\xbfTittel\r\n\r\n\xc2\xabHei\xc2\xbb, sier han.\r\n")
    document = read_document(path)
    assert document.text == "Tittel\n\n«Hei», sier han.\n"
    assert document.id == "sak-1"
    assert document.metadata["format"] == "text"
    assert document.metadata["source"] == str(path)


def test_path_given_as_string(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Æ ø å\n".encode())
    assert read_document(str(path)).text == "Æ ø å\n"


def test_stdin_dash_and_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "«Vi kommer», sier hun.\r\n".encode()
    assert read_document("-", stdin=io.BytesIO(data)).text == "«Vi kommer», sier hun.\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    document = read_document("-")
    assert document.text == "«Vi kommer», sier hun.\n"
    assert document.id is None
    assert read_document(data).metadata["source"] == "bytes"


def test_unbalanced_quote_marks_are_valid_text() -> None:
    text = "«Dette sitatet slutter aldri, sier han.\n\nOg «dette heller."
    assert read_document(text.encode()).text == text


def test_text_mentioning_a_tag_is_not_html() -> None:
    assert not looks_like_html("Prisen steg fra 3 < 4 kroner, sier han.")
    assert looks_like_html("  <!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("Noe tekst\n<p>Et avsnitt</p>")


# --- HTML ---------------------------------------------------------------------------------------


def test_html_article_is_extracted_without_furniture(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "side.html", NEWS_HTML.encode()))
    text = document.text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "Brann i fjøs på Hedmarken"
    assert "«Vi fikk ut alle kuene i tide», sier bonde Kari Nordmo til Bygdeposten." in paragraphs
    assert "– Et lite mirakel" in paragraphs
    assert "Brannvesenet rykket ut med fire biler." in paragraphs  # list items, without a "- " prefix
    assert "Naboene kom til med en gang." in text
    for furniture in ("Forsiden", "informasjonskapsler", "Kontakt oss", "Hopp til", "Ansvarlig redaktør"):
        assert furniture not in text
    assert "<" not in text and "\r" not in text
    assert document.metadata["format"] == "html"
    assert document.metadata["html_lang"] == "nb"


def test_html_title_from_metadata_becomes_first_paragraph() -> None:
    page = NEWS_HTML.replace("<h1>Brann i fjøs på Hedmarken</h1>", "").replace(
        "<title>Brann i fjøs på Hedmarken | Bygdeposten</title>",
        '<title>Brann i fjøs</title><meta property="og:title" content="Brann i fjøs på Hedmarken">',
    )
    text = read_document(page.encode()).text
    assert text.startswith("Brann i fjøs på Hedmarken\n\nEt fjøs brant ned")
    assert text.count("Brann i fjøs på Hedmarken") == 1


def test_html_declared_windows1252_charset_is_honoured() -> None:
    page = NEWS_HTML.replace('charset="utf-8"', 'charset="windows-1252"')
    document = read_document(page.encode("cp1252"))
    assert "«Vi fikk ut alle kuene i tide», sier bonde Kari Nordmo" in document.text


def test_html_without_article_is_an_error() -> None:
    with pytest.raises(KildeError, match="no article text"):
        read_document(FURNITURE_HTML.encode())


# --- bad input ----------------------------------------------------------------------------------


BAD_INPUTS: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, "no such file"),
    "empty": (b"", "is empty"),
    "whitespace": (b" \n\t\r\n  ", "only whitespace"),
    "binary-nul": (b"abc\x00\x01\x02def" * 10, "binary data"),
    "binary-png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
    "binary-noise": (bytes(range(1, 32)) * 8, "binary data"),
    "utf16": ("«Hei», sier han.".encode("utf-16"), "UTF-16"),
    "latin1": ("Blåbær er godt, sier han.".encode("latin-1"), "not valid UTF-8 (byte 0xe5 at offset 2)"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_a_one_line_error(tmp_path: Path, case: str) -> None:
    data, message = BAD_INPUTS[case]
    path = tmp_path / f"{case}.txt"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(KildeError, match=message.replace("(", r"\(").replace(")", r"\)")) as raised:
        read_document(path)
    assert "\n" not in str(raised.value)


def test_invalid_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbfab\xffcd")
    with pytest.raises(KildeError, match="byte 0xff at offset 5"):
        read_document(path)


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KildeError, match="is a directory"):
        read_document(tmp_path)


def test_huge_file_fails_fast_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: instant, takes no disk space
    started = time.perf_counter()
    with pytest.raises(KildeError, match=r"50\.0 MB; kilde reads at most 20 MB"):
        read_document(path)
    assert time.perf_counter() - started < 1.0
    assert MAX_INPUT_BYTES == 20 * 1024 * 1024


def test_oversized_stdin_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kilde.io.text, "MAX_INPUT_BYTES", 100)
    with pytest.raises(KildeError, match="standard input is larger than"):
        read_document("-", stdin=io.BytesIO(b"a" * 101))
    assert read_document("-", stdin=io.BytesIO(b"a" * 100)).text == "a" * 100


# --- JSON Lines ---------------------------------------------------------------------------------


def jsonl(tmp_path: Path, lines: list[bytes]) -> Path:
    return write(tmp_path, "in.jsonl", b"\n".join(lines) + b"\n")


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        [
            b'\xef\xbb\xbf{"id": "a", "text": "\xc2\xabHei\xc2\xbb, sier han.\\r\\n"}',
            b'{"id": 7, "text": "Ho seier at det gjekk bra.", "language": "nn"}',
            b"   ",
            b'{"id": "broken", "text": "no closing brace"',
            b"{not json at all",
            b'{"id": "no-text"}',
            b'{"id": "number", "text": 42}',
            b'{"id": "blank", "text": "  \\n "}',
            b'{"id": "lang", "text": "Tekst.", "language": "en"}',
            b'{"id": ["x"], "text": "Tekst."}',
            b'["a", "list"]',
            b'{"id": "bytes", "text": "bl\xe5b\xe6r"}',
            b'{"text": "Uten id.", "language": null}',
        ],
    )
    items = list(iter_jsonl_records(path))
    assert count_jsonl_records(path) == len(items) == 12
    assert items[0] == JsonlRecord(1, "a", "«Hei», sier han.\n", None)
    assert items[1] == JsonlRecord(2, 7, "Ho seier at det gjekk bra.", "nn")
    errors = {item.id: item.reason for item in items if isinstance(item, JsonlError)}
    assert errors["broken"].startswith("invalid JSON")
    assert errors["line-5"].startswith("invalid JSON")
    assert errors["no-text"] == 'missing "text"'
    assert errors["number"] == '"text" must be a string, not a number'
    assert errors["blank"] == '"text" is empty'
    assert "language" in errors["lang"] and "'en'" in errors["lang"]
    assert errors["line-10"].startswith('"id" must be a string or an integer')
    assert errors["line-11"] == "a line must be a JSON object, not an array"
    assert errors["bytes"].startswith("invalid UTF-8")
    assert items[-1] == JsonlRecord(13, "line-13", "Uten id.", None)
    assert [item.line for item in items] == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]


def test_jsonl_missing_file_raises_at_once(tmp_path: Path) -> None:
    with pytest.raises(KildeError, match="no such file"):
        iter_jsonl_records(tmp_path / "nope.jsonl")
    with pytest.raises(KildeError, match="is a directory"):
        iter_jsonl_records(tmp_path)


def test_jsonl_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.jsonl", b"")
    assert list(iter_jsonl_records(path)) == []
    assert count_jsonl_records(path) == 0


# --- bundled examples ---------------------------------------------------------------------------


def test_examples_are_bundled_and_in_their_language() -> None:
    nb = (EXAMPLES / "artikkel_nb.txt").read_text(encoding="utf-8")
    nn = (EXAMPLES / "artikkel_nn.txt").read_text(encoding="utf-8")
    assert detect_language(nb) == "nb"
    assert detect_language(nn) == "nn"
    assert 12 <= len(nb.strip().split("\n\n")) <= 18
    assert 6 <= len(nn.strip().split("\n\n")) <= 10
    for feature in (
        "skriver The Guardian",
        "Ifølge politiet",
        "», sier hun, «",
        "forteller han.",
        "Hun sier at",
        "mener at regjeringen «",
        "sier: «",
        "Ordføreren",
        "angivelig",
        "skal ha",
        "uten at det er bekreftet",
        "Artikkelen fortsetter under annonsen",
        "Les også:",
        "Foto:",
        "\n\n– Et svik mot bygda\n\n",
    ):
        assert feature in nb, feature
    for feature in ("seier", "ifølgje", " ho", " dei ", "truleg"):
        assert feature in nn.lower(), feature
    json.dumps(nb)  # plain, serialisable text
