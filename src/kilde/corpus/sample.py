"""A made-up corpus for tests, benchmarks and trying out corpus runs: no real articles involved.

Articles are the two bundled examples plus short news stories assembled from the
paragraph templates below (written for kilde, in Bokmål and Nynorsk), with outlets,
URLs and publication dates spread over a few months, so that every chart of the report
has something to show. The same seed always gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

OUTLETS = ("bygdeposten.no", "fjordnytt.no", "dagsavisa.no", "nordlys-nett.no")

# Name, gender (which the text shows through pronouns), and the title in Bokmål and Nynorsk.
_PEOPLE = (
    ("Kari Nordmo", "f", ("ordfører", "ordførar")),
    ("Ingrid Solheim", "f", ("forsker", "forskar")),
    ("Marte Lie", "f", ("rektor", "rektor")),
    ("Per Hansen", "m", ("politimester", "politimeister")),
    ("Ola Brekke", "m", ("fisker", "fiskar")),
    ("Nils Aune", "m", ("daglig leder", "dagleg leiar")),
    ("Sara Vik", "f", ("overlege", "overlege")),
    ("Jon Moe", "m", ("brannsjef", "brannsjef")),
)
_PLACES = ("Holmvik", "Skarvfjorden", "Lindås", "Fjellbu", "Storvik", "Elvestad")
_MEDIA = ("NTB", "NRK", "Aftenposten", "Dagens Næringsliv", "Reuters")
_TOPICS = {
    "nb": ("den nye brua", "skolebudsjettet", "fergeruta", "det nye sykehuset", "strømprisene", "vindparken"),
    "nn": (
        "den nye brua",
        "skulebudsjettet",
        "ferjeruta",
        "det nye sjukehuset",
        "straumprisane",
        "vindparken",
    ),
}

_TITLES = {
    "nb": (
        "Strid om {topic} i {place}",
        "Nye tall om {topic} overrasker",
        "{place} venter på svar om {topic}",
        "Kritikk mot planene for {topic}",
    ),
    "nn": (
        "Strid om {topic} i {place}",
        "Nye tal om {topic} overraskar",
        "{place} ventar på svar om {topic}",
    ),
}

# {name}/{role}/{pron} are one person; {medium} is a news outlet the article relays.
_PARAGRAPHS = {
    "nb": (
        "Kommunestyret i {place} skal torsdag behandle saken om {topic}, som har skapt stor debatt i bygda.",
        "«Vi har ventet lenge nok, og nå må noen ta ansvar», sier {role} {name} til avisen.",
        "{Pron} mener at kommunen har brukt for lang tid på å svare innbyggerne.",
        "– Dette er den viktigste saken vi har hatt på mange år, sier {name}.",
        "Ifølge {medium} skal prosjektet ha blitt over tretti prosent dyrere enn planlagt.",
        "Det skriver {medium}, som har fått tilgang til en intern rapport om {topic}.",
        "Rapporten viser at kostnadene trolig vil øke ytterligere neste år.",
        "{role_cap} {name} sier til {medium} at {pron} ble overrasket over tallene.",
        "«Jeg forventer et svar før sommeren», sier {pron}.",
        "Flere innbyggere har angivelig klaget på støy og trafikk i området rundt {place}.",
        "Politiet opplyser at det foreløpig ikke er opprettet noen sak.",
        "Kommunen har ikke svart på henvendelser fra avisen om {topic}.",
        "Ordningen skal etter planen evalueres i løpet av høsten, opplyser departementet.",
        "– Vi tar kritikken på alvor og vil se på saken på nytt, sier {name} til NTB.",
    ),
    "nn": (
        "Kommunestyret i {place} skal torsdag handsame saka om {topic}, som har skapt stor debatt i bygda.",
        "«Vi har venta lenge nok, og no må nokon ta ansvar», seier {role} {name} til avisa.",
        "{Pron} meiner at kommunen har brukt for lang tid på å svare innbyggjarane.",
        "– Dette er den viktigaste saka vi har hatt på mange år, seier {name}.",
        "Ifølgje {medium} skal prosjektet ha vorte over tretti prosent dyrare enn planlagt.",
        "Det skriv {medium}, som har fått tilgang til ein intern rapport om {topic}.",
        "Politiet opplyser at det førebels ikkje er oppretta noka sak.",
        "«Eg ventar eit svar før sommaren», seier {pron}.",
    ),
}
_PRONOUNS = {"nb": {"f": "hun", "m": "han"}, "nn": {"f": "ho", "m": "han"}}


def _article(rng: random.Random, language: str) -> tuple[str, str]:
    """A title and a text of 6 to 11 paragraphs about one topic, place, person and medium."""
    name, gender, roles = rng.choice(_PEOPLE)
    role = roles[0] if language == "nb" else roles[1]
    values = {
        "name": name,
        "role": role,
        "role_cap": role[:1].upper() + role[1:],
        "pron": _PRONOUNS[language][gender],
        "Pron": _PRONOUNS[language][gender].capitalize(),
        "place": rng.choice(_PLACES),
        "topic": rng.choice(_TOPICS[language]),
        "medium": rng.choice(_MEDIA),
    }
    title = rng.choice(_TITLES[language]).format(**values)
    paragraphs = _PARAGRAPHS[language]
    count = min(len(paragraphs), rng.randint(6, 11))
    picked = sorted(rng.sample(range(len(paragraphs)), count))
    body = [paragraphs[index].format(**values) for index in picked]
    return title, "\n\n".join([title[:1].upper() + title[1:], *body])


def _examples() -> list[tuple[str, str]]:
    folder = resources.files("kilde") / "examples"
    return [
        ("nb", (folder / "artikkel_nb.txt").read_text(encoding="utf-8")),
        ("nn", (folder / "artikkel_nn.txt").read_text(encoding="utf-8")),
    ]


def sample_records(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``count`` JSON Lines records: ``id``, ``text``, ``language``, ``outlet``, ``url``, ``published``.

    Every tenth article is one of the bundled examples; about a fifth are Nynorsk.
    """
    rng = random.Random(seed)
    examples = _examples()
    start = dt.date(2024, 1, 1)
    for number in range(count):
        if number % 10 == 9:
            language, text = examples[(number // 10) % len(examples)]
        else:
            language = "nn" if rng.random() < 0.2 else "nb"
            text = _article(rng, language)[1]
        outlet = OUTLETS[rng.randrange(len(OUTLETS))]
        published = start + dt.timedelta(days=rng.randrange(120))
        yield {
            "id": f"a{number:06d}",
            "text": text,
            "language": language,
            "outlet": outlet,
            "url": f"https://www.{outlet}/nyheter/{published.isoformat()}/{number}",
            "published": published.isoformat(),
        }


def write_jsonl(path: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` sample records to ``path``; returns the number of words in their texts."""
    words = 0
    with path.open("w", encoding="utf-8") as stream:
        for record in sample_records(count, seed):
            words += len(record["text"].split())
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


def as_html(record: dict[str, Any]) -> str:
    """A news page around a sample article: menu, cookie banner and footer that extraction must drop."""
    paragraphs = record["text"].split("\n\n")
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs[1:])
    site = record.get("outlet", "avisa.no")
    published = record.get("published", "")
    return f"""<!DOCTYPE html>
<html lang="{record.get("language", "nb")}"><head><meta charset="utf-8">
<title>{html.escape(paragraphs[0])} | {html.escape(site)}</title>
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="article:published_time" content="{published}T08:00:00+01:00">
</head><body>
<nav><a href="/">Forsiden</a> <a href="/sport">Sport</a> <a href="/kultur">Kultur</a></nav>
<div class="cookie">Vi bruker informasjonskapsler. <button>Godta alle</button></div>
<main><article><h1>{html.escape(paragraphs[0])}</h1>
{body}
</article></main>
<footer><p>Ansvarlig redaktør: Eva Dahl. Kontakt oss. Personvern.</p></footer>
</body></html>
"""
