"""Read web archives (WARC or WARC.gz, also old ARC files) with warcio: one record per HTML page.

Only successful HTML captures become records: ``response`` records with HTTP status 200
and ``resource`` records, whose content type (or, without one, the content itself) says
HTML. Requests, redirects, revisits, images, scripts and style sheets are skipped without
a trace, as they are not articles. The raw page is handed on undecoded; decoding and
article extraction (trafilatura, through ``kilde.io``) happen where the article is
analysed, so that a cluster spreads that work too.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from kilde.io.html import looks_like_html
from kilde.io.records import CorpusError, CorpusRecord
from kilde.io.text import MAX_INPUT_BYTES

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
"""File names that are read as web archives."""

HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a ``Content-Type`` header value."""
    if not content_type:
        return None, None
    media, _, rest = content_type.partition(";")
    charset = None
    for parameter in rest.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _record_id(raw: str | None, fallback: str) -> str:
    """``urn:uuid:…`` from a ``WARC-Record-ID`` header (without its angle brackets)."""
    if not raw:
        return fallback
    return raw.strip().removeprefix("<").removesuffix(">") or fallback


def iter_warc_records(path: Path | str) -> Iterator[CorpusRecord | CorpusError]:
    """One record per HTML page captured in the archive, in archive order.

    The id is the WARC record id, which stays unique when a URL was captured more than once;
    the URL, the capture date and the HTTP charset travel as metadata. A page over the size
    limit becomes an error; so does a damaged archive, which ends the reading of that file.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    offset = 0
    with path.open("rb") as stream:
        archive = ArchiveIterator(stream, arc2warc=True)
        try:
            for record in archive:
                item = _page(record, path, archive.get_record_offset)
                if item is not None:
                    offset = archive.get_record_offset()
                    yield item
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as error:
            where = f"{path.name}@{offset}"
            yield CorpusError(where, f"damaged web archive after offset {offset}: {error}", str(path))


def _page(record: object, path: Path, offset_of: Callable[[], int]) -> CorpusRecord | CorpusError | None:
    """The corpus record of one archive record, or None when it is not an HTML page.

    ``offset_of`` gives the record's offset in the file; warcio finds it by reading the record
    to its end, so it may only be called once the content has been read.
    """
    rec_type = getattr(record, "rec_type", None)
    headers = record.rec_headers  # type: ignore[attr-defined]
    if rec_type == "response":
        http = record.http_headers  # type: ignore[attr-defined]
        if http is None or http.get_statuscode() != "200":
            return None
        media, charset = _media_type(http.get_header("Content-Type"))
    elif rec_type == "resource":
        media, charset = _media_type(headers.get_header("Content-Type"))
    else:
        return None
    if media is not None and media not in HTML_TYPES:
        return None
    data = record.content_stream().read(MAX_INPUT_BYTES + 1)  # type: ignore[attr-defined]
    if media is None and not looks_like_html(data[:4096].decode("latin-1")):
        return None
    offset = offset_of()
    source = f"{path}@{offset}"
    record_id = _record_id(headers.get_header("WARC-Record-ID"), f"{path.name}@{offset}")
    if len(data) > MAX_INPUT_BYTES:
        limit = MAX_INPUT_BYTES // 1024 // 1024
        return CorpusError(
            record_id, f"the page is larger than {limit} MB; kilde reads at most {limit} MB", source
        )
    metadata = {
        "url": headers.get_header("WARC-Target-URI"),
        "warc_date": headers.get_header("WARC-Date"),
        "charset": charset,
    }
    return CorpusRecord(
        id=record_id,
        data=data,
        metadata={key: value for key, value in metadata.items() if value},
        source=source,
    )
