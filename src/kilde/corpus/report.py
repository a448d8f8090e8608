"""``kilde report``: one self-contained HTML page of charts about a corpus run.

The figures are computed with DuckDB straight from ``OUTDIR/tables/*.parquet`` (only
aggregates reach Python, so the size of the corpus does not matter) and drawn with
plotly. plotly.js is inlined once, so the page opens without a network, e.g. on a
laptop that received it as an attachment. Every chart is broken down by outlet and
by month when the articles have those fields.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kilde import KildeError
from kilde.corpus.shards import ERRORS_FILE, SUMMARY_FILE, TABLES_DIR, atomic_write
from kilde.corpus.tables import TABLES

if TYPE_CHECKING:
    import duckdb
    import plotly.graph_objects as go

MAX_OUTLETS = 12
"""Outlets shown one by one (the ones with most articles); a breakdown by more is unreadable."""

TOP_SOURCES = 20

# One colour per category, the same in every chart, so "indirect" or "media" never changes colour.
COLOURS = {
    "direct": "#1f77b4",
    "indirect": "#ff7f0e",
    "mixed": "#2ca02c",
    "person": "#1f77b4",
    "organization": "#ff7f0e",
    "media": "#d62728",
    "document": "#9467bd",
    "anonymous": "#8c564b",
    "unknown": "#7f7f7f",
    "f": "#e377c2",
    "m": "#17becf",
    "no evidence": "#c7c7c7",
    "hedged": "#bcbd22",
    "not hedged": "#c7c7c7",
    "relayed": "#d62728",
    "first-hand": "#c7c7c7",
}

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1280px; padding: 1rem 2rem;
       color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
.lead { color: #555; margin-top: 0; }
.stats { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.stat { background: #f4f6f8; border-radius: 6px; padding: 0.6rem 1rem; min-width: 8rem; }
.stat b { display: block; font-size: 1.5rem; }
/* Fixed tracks (auto-fill, not auto-fit): a chart is drawn while the page still loads, and
   must get the width it will keep once its neighbours arrive. */
.row { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 1rem; }
.chart { min-width: 0; }
p.note { color: #555; max-width: 60rem; }
"""


@dataclass
class _Page:
    """The page being built: sections of figures, with plotly.js inlined before the first one only."""

    sections: list[str] = field(default_factory=list)
    figures: int = 0

    def figure(self, fig: go.Figure) -> str:
        fig.update_layout(
            height=380,
            margin={"l": 50, "r": 20, "t": 50, "b": 50},
            template="plotly_white",
            legend_title_text="",
        )
        self.figures += 1
        return fig.to_html(
            full_html=False,
            include_plotlyjs=self.figures == 1,
            div_id=f"chart-{self.figures}",
            config={"displaylogo": False, "responsive": True},
        )

    def section(self, title: str, note: str, figures: Sequence[go.Figure | None]) -> None:
        charts = "".join(f'<div class="chart">{self.figure(fig)}</div>' for fig in figures if fig is not None)
        if charts:
            self.sections.append(
                f'<section><h2>{html.escape(title)}</h2><p class="note">{html.escape(note)}</p>'
                f'<div class="row">{charts}</div></section>'
            )


def _connect(outdir: Path) -> duckdb.DuckDBPyConnection:
    import duckdb

    tables = outdir / TABLES_DIR
    missing = [name for name in TABLES if not (tables / f"{name}.parquet").is_file()]
    if missing:
        raise KildeError(
            f"{outdir} has no tables ({', '.join(missing)} missing);"
            f" run 'kilde batch INPUT -o {outdir}' first"
        )
    connection = duckdb.connect()
    for name in TABLES:
        path = str(tables / f"{name}.parquet").replace("'", "''")
        connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    # Outlets beyond the largest few are pooled, so that per-outlet charts stay readable.
    connection.execute(
        f"""CREATE VIEW outlet_names AS
        SELECT outlet, CASE WHEN rank <= {MAX_OUTLETS} THEN outlet ELSE 'other outlets' END AS shown
        FROM (SELECT outlet, row_number() OVER (ORDER BY count(*) DESC, outlet) AS rank
              FROM articles WHERE outlet IS NOT NULL GROUP BY outlet)"""
    )
    connection.execute(
        """CREATE VIEW q AS
        SELECT quotes.*, outlet_names.shown AS outlet_shown, strftime(quotes.published, '%Y-%m') AS month
        FROM quotes LEFT JOIN outlet_names USING (outlet)"""
    )
    connection.execute(
        """CREATE VIEW a AS
        SELECT articles.*, outlet_names.shown AS outlet_shown, strftime(articles.published, '%Y-%m') AS month
        FROM articles LEFT JOIN outlet_names USING (outlet)"""
    )
    return connection


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return connection.execute(sql).fetchall()


def _stacked(
    rows: list[tuple[Any, ...]], title: str, categories: Sequence[str], share: bool = True
) -> go.Figure | None:
    """Stacked bars from (group, category, count) rows: shares within each group, or counts."""
    import plotly.graph_objects as go

    if not rows:
        return None
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for group, category, count in rows:
        counts[str(group)][str(category)] = int(count)
    groups = list(counts)
    fig = go.Figure()
    present = [c for c in categories if any(c in counts[g] for g in groups)]
    present += sorted({c for g in groups for c in counts[g]} - set(present))
    for category in present:
        values: list[float] = [counts[g].get(category, 0) for g in groups]
        if share:
            totals = [sum(counts[g].values()) or 1 for g in groups]
            values = [value / total for value, total in zip(values, totals, strict=True)]
        fig.add_bar(
            x=groups,
            y=values,
            name=category,
            marker_color=COLOURS.get(category),
            hovertemplate="%{x}: %{y:.1%}<extra>" + category + "</extra>" if share else None,
        )
    fig.update_layout(barmode="stack", title=title)
    if share:
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return fig


def _line(rows: list[tuple[Any, ...]], title: str, percent: bool = False) -> go.Figure | None:
    """A line per series from (x, series, value) rows."""
    import plotly.graph_objects as go

    if not rows:
        return None
    series: dict[str, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
    for x, name, value in rows:
        series[str(name)][0].append(x)
        series[str(name)][1].append(value)
    fig = go.Figure()
    for name, (xs, ys) in series.items():
        fig.add_scatter(x=xs, y=ys, name=name, mode="lines+markers")
    fig.update_layout(title=title, showlegend=len(series) > 1)
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def _bar(
    rows: list[tuple[Any, ...]], title: str, horizontal: bool = False, percent: bool = False
) -> go.Figure:
    """One bar per (label, value) row; horizontal bars list the first row on top."""
    import plotly.graph_objects as go

    labels = [str(row[0]) for row in rows]
    values = [row[1] for row in rows]
    colours = [COLOURS.get(label, "#1f77b4") for label in labels]
    if horizontal:
        fig = go.Figure(go.Bar(x=values[::-1], y=labels[::-1], orientation="h", marker_color=colours[::-1]))
        fig.update_layout(margin={"l": 180})
    else:
        fig = go.Figure(go.Bar(x=labels, y=values, marker_color=colours))
    fig.update_layout(title=title)
    if percent:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tickformat=".0%")
    return fig


def _heatmap(rows: list[tuple[Any, ...]], title: str, order: Sequence[str]) -> go.Figure | None:
    """Counts from (row label, column label, count) rows, rows in ``order``."""
    import plotly.graph_objects as go

    if not rows:
        return None
    columns = sorted({str(row[1]) for row in rows})
    cells = {(str(r), str(c)): n for r, c, n in rows}
    z = [[cells.get((name, column), 0) for column in columns] for name in order]
    fig = go.Figure(go.Heatmap(z=z[::-1], x=columns, y=list(order)[::-1], colorscale="Blues"))
    fig.update_layout(title=title, margin={"l": 180})
    return fig


def _breakdowns(
    page: _Page,
    connection: duckdb.DuckDBPyConnection,
    title: str,
    note: str,
    category_sql: str,
    categories: Sequence[str],
    where: str = "TRUE",
    overall: go.Figure | None = None,
) -> None:
    """A section with the overall chart and the same categories as shares by outlet and by month."""
    by_outlet = _rows(
        connection,
        f"SELECT outlet_shown, {category_sql} AS c, count(*) FROM q"
        f" WHERE {where} AND outlet_shown IS NOT NULL GROUP BY ALL ORDER BY 1",
    )
    by_month = _rows(
        connection,
        f"SELECT month, {category_sql} AS c, count(*) FROM q WHERE {where} AND month IS NOT NULL "
        "GROUP BY ALL ORDER BY 1",
    )
    page.section(
        title,
        note,
        [
            overall,
            _stacked(by_outlet, f"{title}: by outlet", categories),
            _stacked(by_month, f"{title}: by month", categories),
        ],
    )


def _stats(connection: duckdb.DuckDBPyConnection, outdir: Path) -> str:
    articles, words, outlets, first, last = _rows(
        connection,
        "SELECT count(*), coalesce(sum(n_words), 0), count(DISTINCT outlet), min(published), max(published) "
        "FROM articles",
    )[0]
    quotes, relayed, hedged = _rows(
        connection,
        "SELECT count(*), coalesce(sum(relayed::INT), 0), coalesce(sum(hedged::INT), 0) FROM quotes",
    )[0]
    errors = 0
    errors_path = outdir / ERRORS_FILE
    if errors_path.is_file():
        with errors_path.open(encoding="utf-8") as stream:
            errors = sum(1 for line in stream if line.strip())
    span = f"{first} – {last}" if first else "no dates"
    items = [
        ("articles", f"{articles:,}"),
        ("words", f"{words:,}"),
        ("quotes", f"{quotes:,}"),
        ("quotes per article", f"{quotes / articles:.1f}" if articles else "–"),
        ("hedged quotes", f"{hedged / quotes:.0%}" if quotes else "–"),
        ("relayed quotes", f"{relayed / quotes:.0%}" if quotes else "–"),
        ("outlets", f"{outlets:,}"),
        ("published", span),
        ("records that failed", f"{errors:,}"),
    ]
    return (
        '<div class="stats">'
        + "".join(
            f'<div class="stat"><b>{html.escape(value)}</b>{html.escape(label)}</div>'
            for label, value in items
        )
        + "</div>"
    )


def build_report(outdir: Path) -> str:
    """The HTML page for the corpus run in ``outdir``."""
    connection = _connect(outdir)
    page = _Page()
    try:
        has_articles = _rows(connection, "SELECT count(*) FROM articles")[0][0] > 0
        stats = _stats(connection, outdir)
        if has_articles:
            _sections(page, connection)
    finally:
        connection.close()
    summary_path = outdir / SUMMARY_FILE
    run = ""
    if summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        records, rate = summary.get("records", 0), summary.get("articles_per_second", 0)
        run = f"Last run: {records:,} records, {rate:.1f} articles/s."
    body = "".join(page.sections) if page.sections else "<p>No analysed articles yet.</p>"
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kilde corpus report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body><h1>kilde corpus report</h1>
<p class="lead">{html.escape(str(outdir))} · generated {generated}. {html.escape(run)}</p>
{stats}
{body}
</body></html>
"""


def _sections(page: _Page, connection: duckdb.DuckDBPyConnection) -> None:
    """Every chart of the report, in reading order."""
    has_outlets = _rows(connection, "SELECT count(*) FROM a WHERE outlet_shown IS NOT NULL")[0][0] > 0
    has_months = _rows(connection, "SELECT count(*) FROM a WHERE month IS NOT NULL")[0][0] > 0

    # Quotes per article.
    histogram = _rows(
        connection, "SELECT least(n_quotes, 30) AS n, count(*) FROM articles GROUP BY ALL ORDER BY n"
    )
    per_outlet = _rows(
        connection,
        "SELECT outlet_shown, avg(n_quotes) FROM a WHERE outlet_shown IS NOT NULL"
        " GROUP BY ALL ORDER BY 2 DESC",
    )
    per_month = _rows(
        connection,
        "SELECT month, 'all outlets', avg(n_quotes) FROM a WHERE month IS NOT NULL GROUP BY ALL ORDER BY 1",
    )
    page.section(
        "Quotes per article",
        "How many quotes (direct, indirect and mixed) each article carries; 30 stands for 30 or more.",
        [
            _bar(
                [(str(n) if n < 30 else "30+", count) for n, count in histogram],
                "Articles by number of quotes",
            ),
            _bar(per_outlet, "Average quotes per article, by outlet") if has_outlets else None,
            _line(per_month, "Average quotes per article, by month") if has_months else None,
        ],
    )

    # Top sources.
    top = _rows(
        connection,
        f"SELECT speaker_name, count(*) AS n FROM quotes WHERE speaker_name IS NOT NULL "
        f"GROUP BY ALL ORDER BY n DESC, speaker_name LIMIT {TOP_SOURCES}",
    )
    names = [str(row[0]) for row in top]
    name_list = ", ".join("'" + name.replace("'", "''") + "'" for name in names) or "NULL"
    by_outlet = _rows(
        connection,
        f"SELECT speaker_name, outlet_shown, count(*) FROM q WHERE speaker_name IN ({name_list}) "
        "AND outlet_shown IS NOT NULL GROUP BY ALL",
    )
    by_month = _rows(
        connection,
        f"SELECT speaker_name, month, count(*) FROM q WHERE speaker_name IN ({name_list}) "
        "AND month IS NOT NULL GROUP BY ALL",
    )
    page.section(
        "Top sources",
        "The speakers quoted most often (canonical names after resolving pronouns, titles and surnames), "
        "counted in quotes.",
        [
            _bar(top, f"Top {len(top)} sources", horizontal=True) if top else None,
            _heatmap(by_outlet, "Top sources by outlet (quotes)", names),
            _heatmap(by_month, "Top sources by month (quotes)", names),
        ],
    )

    kinds = ("person", "organization", "media", "document", "anonymous", "unknown")
    overall = _rows(connection, "SELECT speaker_kind, count(*) FROM quotes GROUP BY ALL ORDER BY 2 DESC")
    _breakdowns(
        page,
        connection,
        "Source kinds",
        "Who is quoted: persons, organisations, media, documents, anonymous sources, or no known speaker.",
        "speaker_kind",
        kinds,
        overall=_bar(overall, "Quotes by source kind"),
    )

    types = ("direct", "indirect", "mixed")
    overall = _rows(connection, "SELECT type, count(*) FROM quotes GROUP BY ALL ORDER BY 2 DESC")
    _breakdowns(
        page,
        connection,
        "Direct vs indirect",
        "Direct quotes give the source's words in quotation marks or after a dash; indirect ones report "
        "them in the journalist's words; mixed ones do both.",
        "type",
        types,
        overall=_bar(overall, "Quotes by type"),
    )

    hedged = "CASE WHEN hedged THEN 'hedged' ELSE 'not hedged' END"
    overall = _rows(connection, f"SELECT {hedged}, count(*) FROM quotes GROUP BY ALL ORDER BY 1")
    _breakdowns(
        page,
        connection,
        "Hedged share",
        "Quotes whose frame keeps a distance to the claim (skal ha, angivelig, trolig, …).",
        hedged,
        ("hedged", "not hedged"),
        overall=_bar(overall, "Hedged and plain quotes"),
    )

    relayed = "CASE WHEN relayed THEN 'relayed' ELSE 'first-hand' END"
    cited = _rows(
        connection,
        "SELECT coalesce(speaker_name, speaker_mention, '(unknown)'), count(*) FROM quotes "
        f"WHERE relayed AND speaker_kind = 'media' GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT {TOP_SOURCES}",
    )
    _breakdowns(
        page,
        connection,
        "Second-hand reporting",
        "Claims the article takes from other media or documents (skriver NTB, ifølge rapporten), "
        "or from a source that another source cites.",
        relayed,
        ("relayed", "first-hand"),
        overall=_bar(cited, "Media cited most often", horizontal=True) if cited else None,
    )

    gender = "coalesce(speaker_gender, 'no evidence')"
    overall = _rows(
        connection,
        f"SELECT {gender}, count(*) FROM quotes WHERE speaker_kind = 'person' GROUP BY ALL ORDER BY 1",
    )
    _breakdowns(
        page,
        connection,
        "Gender of quoted persons",
        "Quotes by persons, by the gender the article itself shows (pronouns such as hun/han, gendered "
        "titles); 'no evidence' where the text does not say. Names are never used to guess.",
        gender,
        ("f", "m", "no evidence"),
        where="speaker_kind = 'person'",
        overall=_bar(overall, "Quotes by persons, by gender"),
    )


def write_report(outdir: Path | str, target: Path | str) -> Path:
    """Write the report of ``outdir`` to ``target`` (atomically) and return its path."""
    outdir, target = Path(outdir), Path(target)
    if not outdir.is_dir():
        raise KildeError(f"no such folder: {outdir}")
    if target.is_dir():
        raise KildeError(f"{target} is a directory; give a file name for the report")
    if not target.parent.is_dir():
        raise KildeError(f"the output folder {target.parent} does not exist")
    page = build_report(outdir)
    atomic_write(target, lambda path: path.write_text(page, encoding="utf-8"))
    return target
