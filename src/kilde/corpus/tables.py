"""Flat tables of a corpus run (articles, quotes, entities, hedges) as Parquet, for DuckDB or pandas.

Rows are built from each ``kilde/1`` result on the worker that analysed it (so the driver
only writes them), written as one Parquet part per shard next to the shard, and merged
into ``OUTDIR/tables/<name>.parquet``, sorted by article, at the end of every run. The
sort makes the tables the same however many workers produced them.

Ids: ``id`` (``article_id``) is the text of the input id, as a user would match it (``a17``,
or ``17`` for the number 17); ``id_type`` (``article_id_type``) says ``string`` or ``integer``,
so that the records ``1`` and ``"1"`` stay two articles.

Dates: ``published`` is ISO text at the precision the source gave: ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` (so it sorts, and ``published[:7]`` is the month where there is one);
``articles.published_precision`` names it (``year``, ``month``, ``day``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kilde.io.corpus import date_precision, normalize_date
from kilde.schema import citing_entities, quote_chain

if TYPE_CHECKING:
    import pyarrow as pa

TABLES = ("articles", "quotes", "entities", "hedges")

RELAYED_KINDS = frozenset({"media", "document"})
"""Speaker kinds whose quotes are second-hand: the article repeats what a medium or a document says."""

Rows = dict[str, list[dict[str, Any]]]

# Columns, in order, with their Arrow type names; the README documents them.
_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("id", "string"),
        ("id_type", "string"),
        ("language", "string"),
        ("title", "string"),
        ("outlet", "string"),
        ("url", "string"),
        ("published", "string"),
        ("published_precision", "string"),
        ("n_words", "int32"),
        ("n_quotes", "int32"),
        ("n_direct", "int32"),
        ("n_indirect", "int32"),
        ("n_mixed", "int32"),
        ("n_hedged", "int32"),
        ("n_relayed", "int32"),
        ("n_sources", "int32"),
        ("n_entities", "int32"),
        ("n_hedges", "int32"),
    ),
    "quotes": (
        ("article_id", "string"),
        ("article_id_type", "string"),
        ("quote_id", "string"),
        ("type", "string"),
        ("content", "string"),
        ("start", "int32"),
        ("end", "int32"),
        ("cue", "string"),
        ("speaker_mention", "string"),
        ("speaker_name", "string"),
        ("speaker_kind", "string"),
        ("speaker_gender", "string"),
        ("entity_id", "string"),
        ("addressee", "string"),
        ("heading", "bool"),
        ("hedged", "bool"),
        ("nested", "bool"),
        ("relayed", "bool"),
        ("cited_by", "string"),
        ("chain_depth", "int32"),
        ("first_source", "string"),
        ("first_source_kind", "string"),
        ("language", "string"),
        ("outlet", "string"),
        ("published", "string"),
    ),
    "entities": (
        ("article_id", "string"),
        ("article_id_type", "string"),
        ("entity_id", "string"),
        ("name", "string"),
        ("kind", "string"),
        ("gender", "string"),
        ("n_mentions", "int32"),
        ("n_quotes", "int32"),
        ("language", "string"),
        ("outlet", "string"),
        ("published", "string"),
    ),
    "hedges": (
        ("article_id", "string"),
        ("article_id_type", "string"),
        ("start", "int32"),
        ("end", "int32"),
        ("text", "string"),
        ("kind", "string"),
        ("language", "string"),
        ("outlet", "string"),
        ("published", "string"),
    ),
}

# How the merged tables are sorted: by article, then in text order (ids like "q12" by their number).
_ORDER = {
    "articles": "id, id_type",
    "quotes": "article_id, article_id_type, start, TRY_CAST(substr(quote_id, 2) AS INTEGER)",
    "entities": "article_id, article_id_type, TRY_CAST(substr(entity_id, 2) AS INTEGER), entity_id",
    "hedges": 'article_id, article_id_type, start, "end", text, kind',
}


def schema(table: str) -> pa.Schema:
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in _COLUMNS[table]])


def _span_text(span: dict[str, Any] | None) -> str | None:
    return span["text"] if span else None


def article_rows(result: dict[str, Any]) -> Rows:
    """The rows that one ``kilde/1`` result adds to each table."""
    metadata = result.get("metadata") or {}
    article_id = str(result["id"])
    id_type = "integer" if isinstance(result["id"], int) else "string"
    published = normalize_date(metadata.get("published"))
    shared = {
        "language": result.get("language"),
        "outlet": metadata.get("outlet"),
        "published": published,
    }
    entities = {entity["id"]: entity for entity in result.get("entities", [])}
    nesting = citing_entities(result)
    quotes: list[dict[str, Any]] = []
    for quote in result.get("quotes", []):
        speaker = quote["speaker"]
        entity = entities.get(speaker.get("entity") or "")
        cited_by = nesting.get(quote["id"])
        # The chain's first link is the outermost source the article itself cites.
        chain = quote_chain(result, quote)
        first = chain[0] if chain else {}
        content = quote["content"]
        quotes.append(
            {
                "article_id": article_id,
                "article_id_type": id_type,
                "quote_id": quote["id"],
                "type": quote["type"],
                "content": " … ".join(part["text"] for part in content),
                "start": min((part["start"] for part in content), default=None),
                "end": max((part["end"] for part in content), default=None),
                "cue": _span_text(quote.get("cue")),
                "speaker_mention": _span_text(speaker.get("mention")),
                "speaker_name": speaker.get("name"),
                "speaker_kind": speaker.get("kind"),
                "speaker_gender": entity.get("gender") if entity else None,
                "entity_id": speaker.get("entity"),
                "addressee": _span_text(quote.get("addressee")),
                "heading": bool(quote.get("heading")),
                "hedged": bool(quote.get("hedged")),
                "nested": cited_by is not None,
                "relayed": speaker.get("kind") in RELAYED_KINDS or cited_by is not None,
                "cited_by": entities[cited_by]["name"] if cited_by in entities else cited_by,
                "chain_depth": len(chain),
                "first_source": first.get("name"),
                "first_source_kind": first.get("kind"),
                **shared,
            }
        )
    quote_counts = Counter(row["entity_id"] for row in quotes if row["entity_id"])
    types = Counter(row["type"] for row in quotes)
    hedges = result.get("hedges", [])
    article = {
        "id": article_id,
        "id_type": id_type,
        "published_precision": date_precision(published),
        "title": result.get("title") or metadata.get("title"),
        "url": metadata.get("url"),
        "n_words": len(result.get("text", "").split()),
        "n_quotes": len(quotes),
        "n_direct": types["direct"],
        "n_indirect": types["indirect"],
        "n_mixed": types["mixed"],
        "n_hedged": sum(row["hedged"] for row in quotes),
        "n_relayed": sum(row["relayed"] for row in quotes),
        "n_sources": len(quote_counts),
        "n_entities": len(entities),
        "n_hedges": len(hedges),
        **shared,
    }
    return {
        "articles": [article],
        "quotes": quotes,
        "entities": [
            {
                "article_id": article_id,
                "article_id_type": id_type,
                "entity_id": entity["id"],
                "name": entity.get("name"),
                "kind": entity.get("kind"),
                "gender": entity.get("gender"),
                "n_mentions": len(entity.get("mentions", [])),
                "n_quotes": quote_counts[entity["id"]],
                **shared,
            }
            for entity in entities.values()
        ],
        "hedges": [
            {
                "article_id": article_id,
                "article_id_type": id_type,
                "start": hedge["start"],
                "end": hedge["end"],
                "text": hedge["text"],
                "kind": hedge.get("kind"),
                **shared,
            }
            for hedge in hedges
        ],
    }


def write_part(path: Path, table: str, rows: list[dict[str, Any]]) -> None:
    """Write the rows of one table for one shard (the caller makes the write atomic)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows, schema=schema(table)), path, compression="zstd")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def merge_parts(parts: Sequence[Path], table: str, target: Path, temp_dir: Path) -> None:
    """One sorted Parquet file of a table from its shard parts (DuckDB sorts out of core if it must)."""
    import pyarrow.parquet as pq

    if not parts:
        pq.write_table(schema(table).empty_table(), target, compression="zstd")
        return
    import duckdb

    files = ", ".join(_sql_string(str(part)) for part in parts)
    source = f"read_parquet([{files}], union_by_name = true)"
    sql_types = {"string": "VARCHAR", "int32": "INTEGER", "bool": "BOOLEAN"}
    with duckdb.connect() as connection:
        connection.execute(f"SET temp_directory = {_sql_string(str(temp_dir))}")
        # Parts written by an earlier kilde may lack a column or hold another type (a date):
        # every column is cast to this version's schema, and a missing one is NULL.
        present = {row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        columns = ", ".join(
            f"CAST({_quoted(name) if name in present else 'NULL'} AS {sql_types[kind]}) AS {_quoted(name)}"
            for name, kind in _COLUMNS[table]
        )
        connection.execute(
            f"COPY (SELECT {columns} FROM {source} ORDER BY {_ORDER[table]}) "
            f"TO {_sql_string(str(target))} (FORMAT parquet, COMPRESSION zstd)"
        )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
