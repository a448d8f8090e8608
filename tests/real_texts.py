"""Every real text in ``../shared``, for the invariant checks over real articles.

The texts are read by path and never copied into the project: the web-news
articles whole, the treebank's raw files (``ndt-raw``) whole and in pieces of
about 400 words cut at paragraph breaks, the NARC documents of both written
standards, and the texts of the dev gold files. Nothing is yielded when
``../shared`` is absent, as on a user's machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(os.environ.get("KILDE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
PIECE_WORDS = 400


@dataclass(frozen=True)
class RealText:
    name: str
    language: str
    text: str


def available() -> bool:
    return (SHARED / "data").is_dir()


def pieces(text: str, words: int = PIECE_WORDS) -> Iterator[str]:
    """``text`` cut at line breaks into pieces of at least ``words`` words (the last may be shorter)."""
    lines: list[str] = []
    count = 0
    for line in text.split("\n"):
        lines.append(line)
        count += len(line.split())
        if count >= words:
            yield "\n".join(lines)
            lines, count = [], 0
    if "\n".join(lines).strip():
        yield "\n".join(lines)


def _files(folder: Path, language: str) -> Iterator[tuple[Path, str]]:
    for path in sorted(folder.glob("*.txt")):
        yield path, language


def real_texts() -> Iterator[RealText]:
    """Every real text, in a fixed order."""
    if not available():
        return
    data = SHARED / "data"
    for line in (data / "web-news" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            yield RealText(f"web-news/{record['id']}", record["language"], record["text"])
    for path in sorted((SHARED / "eval" / "dev").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        yield RealText(f"dev/{path.stem}", gold["language"], gold["text"])
    sources = [
        *_files(data / "ndt-raw", "nb"),
        *_files(data / "narc" / "annotation_bokmaal", "nb"),
        *_files(data / "narc" / "annotation_nynorsk", "nn"),
    ]
    for path, language in sources:
        text = path.read_text(encoding="utf-8")
        name = f"{path.parent.name}/{path.name}"
        if path.parent.name == "ndt-raw":
            yield RealText(name, language, text)
        for k, piece in enumerate(pieces(text)):
            yield RealText(f"{name}#{k}", language, piece)
