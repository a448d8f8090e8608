"""Input for kilde: one article from a file, stdin or an HTML page, or many from JSON Lines."""

from __future__ import annotations

from kilde.io.html import ExtractedArticle, extract_article, looks_like_html
from kilde.io.jsonl import JsonlError, JsonlRecord, count_jsonl_records, iter_jsonl_records, parse_record
from kilde.io.text import MAX_INPUT_BYTES, InputDocument, decode_text, document_from_bytes, read_document

__all__ = [
    "MAX_INPUT_BYTES",
    "ExtractedArticle",
    "InputDocument",
    "JsonlError",
    "JsonlRecord",
    "count_jsonl_records",
    "decode_text",
    "document_from_bytes",
    "extract_article",
    "iter_jsonl_records",
    "looks_like_html",
    "parse_record",
    "read_document",
]
