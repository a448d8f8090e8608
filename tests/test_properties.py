"""Property-based tests: whatever the text, kilde answers with a sound kilde/1 object or a KildeError.

The texts are built from pieces that break naive text processing: odd unicode (control,
zero-width, right-to-left, combining marks, lone surrogates), unbalanced «» and “”, dashes
at every line start, thousands of quotes, quotes nested deep, a text ending in a cue, HTML
fragments, very long lines and empty paragraphs, mixed with ordinary Norwegian reports.

CI runs a few hundred examples (the ``ci`` profile, registered in conftest.py). The full fuzzing run is
``pytest tests/test_properties.py --hypothesis-profile=fuzz -s``: 10,000 texts through
``kilde.analyze`` with the model, printing the number of KildeErrors and the slowest text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kilde_checks import assert_valid_kilde

import kilde
from kilde import KildeError
from kilde.invariants import violations

REPORTS = [
    "– Vi er klare, sier ordfører Kari Lunde til NTB.",
    "«Dette er ikke godt nok», sa han.",
    "Ifølge politiet er ingen skadd.",
    "Hun sier at brua skal være stengt i hele vinter.",
    "Brua er stengt, ifølge kommunen, skriver Kystavisa.",
    "Rådmannen opplyser at budsjettet holder, og at «alt er under kontroll».",
    "Det seier ho til NRK.",
    "Ho meiner at vegen er trygg, og lovar å følgje opp saka.",
    "Statsforvaltaren skal ha fått vite om saka i fjor.",
    "Politiet: Ingen er skadd",
    "Han kalte planen «uansvarlig».",
    "Les også: «Vi har aldri sett noe lignende»",
    "Det er farlig, sier",
    "Ifølge",
]
ODD = [
    "\u0000",
    "\u0007",
    "\u001b",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u0301",
    "\u0308",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\t",
    "\r",
    "\r\n",
    "\x85",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "«",
    "»",
    "“",
    "”",
    "„",
    '"',
    "'",
    "–",
    "—",
    "-",
    ":",
    "...",
    "…",
    "?",
    "!",
    "<p>",
    "</p>",
    "<br/>",
    "&amp;",
    "&nbsp;",
    "<script>x()</script>",
    "<!--",
    "]]>",
]
MAX_CHARS = 50_000
LINE_STARTS = ["", "– ", "- ", "— ", "–", "«", "“", "> ", "   ", "\t"]


@st.composite
def nested_quotes(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 60))
    text = draw(st.sampled_from(["ja", "nei", "det går bra", ""]))
    for level in range(depth):
        marks = draw(st.sampled_from([("«", "»"), ("“", "”"), ('"', '"'), ("«", ""), ("", "»")]))
        text = (
            f"{marks[0]}{text}{marks[1]}, sa Kari{level}"
            if draw(st.booleans())
            else marks[0] + text + marks[1]
        )
    return text


def pieces() -> st.SearchStrategy[str]:
    repeated = st.tuples(st.sampled_from(REPORTS + ODD), st.integers(1, 400)).map(
        lambda pair: (" " if pair[0][-1:].isalnum() or pair[0][-1:] in ".»" else "").join([pair[0]] * pair[1])
    )
    return st.one_of(
        st.sampled_from(REPORTS),
        st.sampled_from(ODD),
        st.text(max_size=40),
        st.text(alphabet=st.sampled_from("«»“”„\"'–-: .,\n"), max_size=60),
        nested_quotes(),
        repeated,
    )


@st.composite
def articles(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        start = draw(st.sampled_from(LINE_STARTS))
        body = draw(st.sampled_from([" ", "", "  "])).join(draw(st.lists(pieces(), max_size=6)))
        lines.append(start + body)
    separator = draw(st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n", " "]))
    # Up to a long article's length: the shapes, not the size, are under test here
    # (benchmarks/long_texts.py measures size).
    return separator.join(lines)[:MAX_CHARS]


@pytest.fixture(scope="module")
def timings() -> Iterator[list[tuple[float, str]]]:
    """Seconds and text of every analysis; the slowest and the error count are printed at the end."""
    found: list[tuple[float, str]] = []
    yield found
    if found:
        slowest = max(found)
        errors = sum(1 for _, outcome in found if outcome.startswith("KildeError"))
        print(
            f"\n{len(found)} generated texts: {errors} KildeError, slowest {slowest[0]:.2f} s "
            f"({slowest[1][:60]!r})"
        )


def _check(text: str, rules_only: bool, timings: list[tuple[float, str]]) -> None:
    started = time.perf_counter()
    try:
        result = kilde.analyze(text, rules_only=rules_only)
    except KildeError as error:
        timings.append((time.perf_counter() - started, f"KildeError: {error}"))
        assert "\n" not in str(error), "a KildeError is one line"
        return
    timings.append((time.perf_counter() - started, text))
    assert violations(result, text) == []
    assert_valid_kilde(result)


@given(text=articles())
def test_any_article_keeps_the_invariants_with_the_model(text: str, timings: list) -> None:
    _check(text, rules_only=False, timings=timings)


@given(text=articles())
def test_any_article_keeps_the_invariants_with_the_rules(text: str, timings: list) -> None:
    _check(text, rules_only=True, timings=timings)


@given(text=st.text(max_size=300))
def test_any_string_keeps_the_invariants(text: str, timings: list) -> None:
    _check(text, rules_only=True, timings=timings)


@given(
    text=st.sampled_from(REPORTS), cue=st.sampled_from(["sier", "seier", "opplyser", "ifølge", "mener at"])
)
def test_a_text_ending_in_a_cue(text: str, cue: str) -> None:
    result = kilde.analyze(f"{text} Det er farlig, {cue}")
    assert violations(result) == []
