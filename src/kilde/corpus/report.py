"""``kilde report``: one self-contained HTML page of charts about a corpus run.

The figures are computed with DuckDB straight from ``OUTDIR/tables/*.parquet`` (only
aggregates reach Python, so the size of the corpus does not matter) and drawn with
plotly. plotly.js is inlined once, so the page opens without a network, e.g. on a
laptop that received it as an attachment. Every chart is broken down by outlet and
by month when the articles have those fields.

Months are the first seven characters of ``published`` (``YYYY-MM``), whether the column
holds dates or text at any precision; a date given only as a year has no month. Each month
from the first to the last is one category on the axis (one bar each, none skipped), never a
point on a continuous time axis. Bars of shares by outlet name how many articles stand behind
them (``outlet (n=40)``), and axes that count have whole-number ticks only.
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

from kilde.corpus.shards import ERRORS_FILE, SUMMARY_FILE, TABLES_DIR, atomic_write
from kilde.corpus.tables import TABLES
from kilde.errors import KildeError

if TYPE_CHECKING:
    import duckdb
    import plotly.graph_objects as go

MAX_MONTHS = 600
"""Longest run of months drawn one by one (50 years); beyond it only the months with articles are."""

MAX_OUTLETS = 12
"""Outlets shown one by one (the ones with most articles); a breakdown by more is unreadable."""

TOP_SOURCES = 20

N_ARTICLES = "n = articles behind the bar"
"""Axis title of the charts whose bar labels end in ``(n=…)``."""

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
    drawn: list[go.Figure] = field(default_factory=list)

    def figure(self, fig: go.Figure) -> str:
        fig.update_layout(
            height=380,
            margin={"l": 50, "r": 20, "t": 50, "b": 50},
            template="plotly_white",
            legend_title_text="",
        )
        self.figures += 1
        self.drawn.append(fig)
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
        f"""CREATE VIEW q AS
        SELECT quotes.*, outlet_names.shown AS outlet_shown, {month_sql("quotes.published")} AS month
        FROM quotes LEFT JOIN outlet_names USING (outlet)"""
    )
    connection.execute(
        f"""CREATE VIEW a AS
        SELECT articles.*, outlet_names.shown AS outlet_shown, {month_sql("articles.published")} AS month
        FROM articles LEFT JOIN outlet_names USING (outlet)"""
    )
    return connection


def month_sql(column: str) -> str:
    """SQL for the ``YYYY-MM`` month of a publication date, else NULL.

    Taken from the first seven characters of the date as text, so it works the same for a
    DATE column (``2019-11-05``) and for text at month or day precision (``2019-11``);
    a year alone (``2019``) or anything else that does not start with a month gives NULL.
    """
    text = f"substr(CAST({column} AS VARCHAR), 1, 7)"
    return f"CASE WHEN regexp_full_match({text}, '[0-9]{{4}}-(0[1-9]|1[0-2])') THEN {text} END"


def month_range(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (``YYYY-MM``), so that gaps show as gaps.

    Beyond ``MAX_MONTHS`` (a stray date decades off) only the months given are kept, sorted.
    """
    present = sorted(set(months))
    if not present:
        return []
    first, last = (int(m[:4]) * 12 + int(m[5:7]) - 1 for m in (present[0], present[-1]))
    if last - first >= MAX_MONTHS:
        return present
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]


def count_step(top: float) -> int:
    """A whole-number tick step (1, 2, 5, 10, 20, …) giving at most about eight ticks up to ``top``."""
    step, multipliers = 1, (2, 2.5, 2)  # 1 → 2 → 5 → 10 → 20 → 50 → …
    n = 0
    while top / step > 8:
        step = int(step * multipliers[n % 3])
        n += 1
    return step


def _count_axis(top: float) -> dict[str, Any]:
    """Axis settings for counts: whole numbers only (no 0.5 ticks), from zero."""
    return {"tickformat": ",d", "tick0": 0, "dtick": count_step(top), "rangemode": "tozero"}


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return connection.execute(sql).fetchall()


def _stacked(
    rows: list[tuple[Any, ...]],
    title: str,
    categories: Sequence[str],
    share: bool = True,
    groups: Sequence[str] | None = None,
    articles: dict[str, int] | None = None,
    label_articles: bool = False,
) -> go.Figure | None:
    """Stacked bars from (group, category, count) rows: shares within each group, or counts.

    ``groups`` fixes the bars and their order (a group without rows is an empty bar), else the
    groups in ``rows`` are used. ``articles`` (articles behind each group) goes into the hover
    text, and with ``label_articles`` into the bar's label too: ``outlet (n=40)``.
    """
    import plotly.graph_objects as go

    if not rows:
        return None
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for group, category, count in rows:
        counts[str(group)][str(category)] = int(count)
    order = list(groups) if groups is not None else list(counts)
    n_articles = [(articles or {}).get(g, 0) for g in order]
    labels = [
        f"{g} (n={n:,})" if label_articles and articles is not None else g
        for g, n in zip(order, n_articles, strict=True)
    ]
    totals = [sum(counts[g].values()) for g in order]
    fig = go.Figure()
    present = [c for c in categories if any(c in counts[g] for g in order)]
    present += sorted({c for g in order for c in counts[g]} - set(present))
    for category in present:
        numbers = [counts[g].get(category, 0) for g in order]
        values: list[float] = (
            [n / total if total else 0 for n, total in zip(numbers, totals, strict=True)]
            if share
            else numbers
        )
        behind = " in %{customdata[2]:,d} articles" if articles is not None else ""
        value = "%{y:.1%}: " if share else ""
        fig.add_bar(
            x=labels,
            y=values,
            name=category,
            marker_color=COLOURS.get(category),
            customdata=list(zip(numbers, totals, n_articles, strict=True)),
            hovertemplate=f"%{{x}}<br>{value}%{{customdata[0]:,d}} of %{{customdata[1]:,d}} quotes{behind}"
            f"<extra>{html.escape(category)}</extra>",
        )
    fig.update_layout(barmode="stack", title=title)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    if label_articles and articles is not None:
        fig.update_xaxes(title_text=N_ARTICLES)
    if share:
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    else:
        fig.update_yaxes(**_count_axis(max(totals, default=0)))
    return fig


def _line(
    rows: list[tuple[Any, ...]], title: str, percent: bool = False, xs: Sequence[str] | None = None
) -> go.Figure | None:
    """A line per series from (x, series, value) rows over the categories ``xs``; a gap where one has none."""
    import plotly.graph_objects as go

    if not rows:
        return None
    series: dict[str, dict[str, Any]] = defaultdict(dict)
    for x, name, value in rows:
        series[str(name)][str(x)] = value
    order = list(xs) if xs is not None else sorted({str(row[0]) for row in rows})
    fig = go.Figure()
    for name, values in series.items():
        fig.add_scatter(x=order, y=[values.get(x) for x in order], name=name, mode="lines+markers")
    fig.update_layout(title=title, showlegend=len(series) > 1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order)
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def _bar(
    rows: list[tuple[Any, ...]],
    title: str,
    horizontal: bool = False,
    percent: bool = False,
    counts: bool = True,
    label_title: str | None = None,
) -> go.Figure:
    """One bar per (label, value) row; horizontal bars list the first row on top.

    Labels are categories (``"1"`` is a label, not a number); ``counts`` values get whole-number ticks.
    """
    import plotly.graph_objects as go

    labels = [str(row[0]) for row in rows]
    values = [row[1] for row in rows]
    colours = [COLOURS.get(label, "#1f77b4") for label in labels]
    if horizontal:
        fig = go.Figure(go.Bar(x=values[::-1], y=labels[::-1], orientation="h", marker_color=colours[::-1]))
        fig.update_layout(margin={"l": 180})
        label_axis, value_axis = fig.update_yaxes, fig.update_xaxes
    else:
        fig = go.Figure(go.Bar(x=labels, y=values, marker_color=colours))
        label_axis, value_axis = fig.update_xaxes, fig.update_yaxes
    fig.update_layout(title=title)
    label_axis(type="category", title_text=label_title)
    if percent:
        value_axis(tickformat=".0%")
    elif counts:
        value_axis(**_count_axis(max((float(v) for v in values if v is not None), default=0)))
    return fig


def _heatmap(
    rows: list[tuple[Any, ...]], title: str, order: Sequence[str], columns: Sequence[str] | None = None
) -> go.Figure | None:
    """Counts from (row label, column label, count) rows, rows in ``order``, columns in ``columns``."""
    import plotly.graph_objects as go

    if not rows:
        return None
    shown = list(columns) if columns is not None else sorted({str(row[1]) for row in rows})
    cells = {(str(r), str(c)): n for r, c, n in rows}
    z = [[cells.get((name, column), 0) for column in shown] for name in order]
    top = max((n for line in z for n in line), default=0)
    step = count_step(top)
    fig = go.Figure(
        go.Heatmap(
            z=z[::-1],
            x=shown,
            y=list(order)[::-1],
            colorscale="Blues",
            zmin=0,
            colorbar={"tickformat": ",d", "tick0": 0, "dtick": step},
            hovertemplate="%{y}, %{x}: %{z:,d} quotes<extra></extra>",
        )
    )
    fig.update_layout(title=title, margin={"l": 180})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=shown)
    fig.update_yaxes(type="category")
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
    outlet_articles = dict(
        _rows(
            connection,
            f"SELECT outlet_shown, count(DISTINCT article_id) FROM q"
            f" WHERE {where} AND outlet_shown IS NOT NULL GROUP BY ALL",
        )
    )
    month_articles = dict(
        _rows(
            connection,
            f"SELECT month, count(DISTINCT article_id) FROM q"
            f" WHERE {where} AND month IS NOT NULL GROUP BY ALL",
        )
    )
    page.section(
        title,
        note,
        [
            overall,
            _stacked(
                by_outlet,
                f"{title}: by outlet",
                categories,
                articles=outlet_articles,
                label_articles=True,
            ),
            _stacked(
                by_month,
                f"{title}: by month",
                categories,
                groups=_months(connection),
                articles=month_articles,
            ),
        ],
    )


def _months(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The months of the corpus, first to last, each one (see ``month_range``)."""
    return month_range(
        [row[0] for row in _rows(connection, "SELECT DISTINCT month FROM a WHERE month IS NOT NULL")]
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


def _charts(outdir: Path) -> tuple[_Page, str]:
    """The report's sections of charts and its summary figures, from the tables of ``outdir``."""
    connection = _connect(outdir)
    page = _Page()
    try:
        has_articles = _rows(connection, "SELECT count(*) FROM articles")[0][0] > 0
        stats = _stats(connection, outdir)
        if has_articles:
            _sections(page, connection)
    finally:
        connection.close()
    return page, stats


def report_figures(outdir: Path | str) -> list[go.Figure]:
    """Every chart of the report of ``outdir``, in page order (for tests, or to restyle in a notebook)."""
    return _charts(Path(outdir))[0].drawn


def build_report(outdir: Path) -> str:
    """The HTML page for the corpus run in ``outdir``."""
    page, stats = _charts(outdir)
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

    months = _months(connection)

    # Quotes per article.
    histogram = dict(
        _rows(connection, "SELECT least(n_quotes, 30) AS n, count(*) FROM articles GROUP BY ALL ORDER BY n")
    )
    per_outlet = [
        (f"{outlet} (n={articles:,})", average)
        for outlet, articles, average in _rows(
            connection,
            "SELECT outlet_shown, count(*), avg(n_quotes) FROM a WHERE outlet_shown IS NOT NULL"
            " GROUP BY ALL ORDER BY 3 DESC, 1",
        )
    ]
    per_month = _rows(
        connection,
        "SELECT month, 'all outlets', avg(n_quotes) FROM a WHERE month IS NOT NULL GROUP BY ALL ORDER BY 1",
    )
    page.section(
        "Quotes per article",
        "How many quotes (direct, indirect and mixed) each article carries; 30 stands for 30 or more.",
        [
            _bar(
                [
                    (str(n) if n < 30 else "30+", histogram.get(n, 0))
                    for n in range(max(histogram, default=0) + 1)
                ],
                "Articles by number of quotes",
            ),
            _bar(per_outlet, "Average quotes per article, by outlet", counts=False, label_title=N_ARTICLES)
            if has_outlets
            else None,
            _line(per_month, "Average quotes per article, by month", xs=months) if has_months else None,
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
            _heatmap(by_month, "Top sources by month (quotes)", names, columns=months),
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

    depth = "CASE WHEN chain_depth >= 3 THEN '3 or more' ELSE coalesce(CAST(chain_depth AS VARCHAR), '1') END"
    first_sources = _rows(
        connection,
        "SELECT first_source, count(*) FROM quotes WHERE chain_depth > 1 AND first_source IS NOT NULL "
        f"GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT {TOP_SOURCES}",
    )
    _breakdowns(
        page,
        connection,
        "Provenance chains",
        "How many sources a quote passes through on its way to the article: 1 when the article quotes "
        "the speaker itself, 2 when it relays a source that cites the speaker (article ← NTB ← politiet), "
        "3 or more for longer chains (article ← Newsweek ← GUR ← soldat).",
        depth,
        ("1", "2", "3 or more"),
        overall=_bar(first_sources, "First sources of relayed chains", horizontal=True)
        if first_sources
        else None,
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
