"""Recognise HTML input and pull the article text out of a web page with trafilatura.

kilde's stages expect paragraphs separated by a blank line, so the extracted
blocks (headings, paragraphs, list items, table rows) are joined with ``"\\n\\n"``
instead of trafilatura's plain-text output, which uses single newlines and turns
list items into ``- `` lines that would read as dialogue-dash quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

HTML_SNIFF_CHARS = 4096
"""How far into a document to look for HTML markers."""

MIN_CONFIDENT_WORDS = 50
"""Below this many extracted words, a second, stricter extraction must agree that there is an article."""

MIN_SENTENCE_WORDS = 8
"""A short extraction counts as an article only when some paragraph has a sentence this long."""

_HTML_START = ("<!doctype html", "<html", "<?xml")
_HTML_TAG = re.compile(r"<(?:html|head|body|article|main|p|div)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z-]+)""", re.IGNORECASE)
_SENTENCE = re.compile(rf"(?:\S+\s+){{{MIN_SENTENCE_WORDS - 1},}}\S*[.!?»”\"]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# trafilatura's internal tags: blocks become paragraphs, the rest is inline text.
_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "item", "table", "row", "div", "code", "section"})
_SKIP_TAGS = frozenset({"graphic", "comments", "fn"})


@dataclass
class ExtractedArticle:
    """The article text of a web page, with what trafilatura found out about the page."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def looks_like_html(text: str) -> bool:
    """True when the document starts like an HTML page or has typical page tags near its start.

    Sniffing the content (not the file name) lets ``-`` (stdin) and odd file names work.
    """
    head = text[:HTML_SNIFF_CHARS]
    if head.lstrip().lower().startswith(_HTML_START):
        return True
    return _HTML_TAG.search(head) is not None


def declared_charset(data: bytes) -> str | None:
    """The charset that an HTML page declares in a ``<meta>`` tag, if any."""
    match = _META_CHARSET.search(data[:HTML_SNIFF_CHARS])
    return match.group(1).decode("ascii").lower() if match else None


def _html_lang(html: str) -> str | None:
    match = _HTML_LANG.search(html[:HTML_SNIFF_CHARS])
    return match.group(1).lower() if match else None


def _clean(text: str) -> str:
    """Collapse runs of spaces inside each line and drop empty lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _inline_text(element: Any) -> str:
    """The text of an element and its inline children; ``<lb/>`` (a ``<br>``) becomes a newline."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in _SKIP_TAGS:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(element: Any) -> Iterator[str]:
    """The paragraphs of a trafilatura body element, in document order."""
    if element.tag in _SKIP_TAGS:
        return
    if element.tag == "row":
        cells = (_clean(_inline_text(cell)).replace("\n", " ") for cell in element)
        line = " | ".join(cell for cell in cells if cell)
        if line:
            yield line
        return
    if not any(child.tag in _BLOCK_TAGS for child in element):
        text = _clean(_inline_text(element))
        if text:
            yield text
        return
    # Mixed content: loose text around block children becomes paragraphs of its own.
    loose = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK_TAGS:
            if _clean("".join(loose)):
                yield _clean("".join(loose))
            loose = []
            yield from _blocks(child)
        elif child.tag == "lb":
            loose.append("\n")
        elif child.tag not in _SKIP_TAGS:
            loose.append(_inline_text(child))
        loose.append(child.tail or "")
    if _clean("".join(loose)):
        yield _clean("".join(loose))


def _same_heading(a: str, b: str) -> bool:
    """True when two headlines are the same up to case, spacing and a site-name suffix."""
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return bool(a and b) and (a == b or a in b or b in a)


def _has_article(html: str, paragraphs: list[str]) -> bool:
    """Guard against pages with no article, where a recall-oriented extraction returns menu text.

    Short extractions must hold a sentence-like paragraph and survive a stricter extraction too.
    """
    if sum(len(paragraph.split()) for paragraph in paragraphs) >= MIN_CONFIDENT_WORDS:
        return True
    if not any(_SENTENCE.search(paragraph) for paragraph in paragraphs):
        return False
    import trafilatura

    strict = trafilatura.extract(html, include_comments=False, favor_precision=True)
    return bool(strict and strict.strip())


def extract_article(html: str) -> ExtractedArticle | None:
    """The article of an HTML page as paragraphs separated by blank lines, or None when there is none.

    The title from the page metadata becomes the first paragraph unless the body already starts with it.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        favor_recall=True,
        with_metadata=True,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        as_dict=False,
    )
    body = getattr(document, "body", None)
    if document is None or body is None:
        return None
    paragraphs = list(_blocks(body))
    if not paragraphs or not _has_article(html, paragraphs):
        return None
    title = _clean(document.title or "").replace("\n", " ") or None
    if title and not _same_heading(title, paragraphs[0]):
        paragraphs.insert(0, title)
    metadata: dict[str, Any] = {
        "title": title,
        "author": document.author,
        "date": document.date,
        "sitename": document.sitename,
        "url": document.url,
        "html_lang": _html_lang(html),
    }
    return ExtractedArticle(
        text="\n\n".join(paragraphs),
        metadata={key: value for key, value in metadata.items() if value},
    )
