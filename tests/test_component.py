"""kilde's stages keep spaCy's component contract: results that travel with the Doc (DocBin,
``to_bytes``, ``nlp.pipe(n_process=2)``), configs, scorers for ``nlp.evaluate`` and
serialisation. The texts are made up for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from kilde.errors import KildeError
from kilde.pipeline import STAGES, build_pipeline, load
from kilde.schema import doc_to_kilde
from kilde.scoring import STAGE_METRICS, gold_example
from kilde.types import CUE_SPANS, QUOTE_SPANS, SPEAKER_SPANS, read_quotes

ARTICLES = [
    "Bussen kom ikke i dag\n\n"
    "Ordføreren sier at ruta blir lagt ned i mai, skriver Fjordposten.\n\n"
    "– Vi har ikke råd til å kjøre tom buss, sier Kari Nordmo.\n\n"
    "Hun skal ha bedt fylket om mer penger.",
    "Rektor Per Li forteller at skolen får ny gymsal. «Det er på tide», sier han til avisa.",
]

# One gold record in the format `kilde eval` reads (annotation-guidelines.md section 5).
GOLD = {
    "id": "test-buss",
    "language": "nb",
    "text": (
        "– Vi har ikke råd til å kjøre tom buss, sier Kari Nordmo.\n\nHun skal ha bedt fylket om mer penger."
    ),
    "quotes": [
        {
            "type": "direct",
            "content": "Vi har ikke råd til å kjøre tom buss",
            "cue": "sier",
            "speaker_mention": "Kari Nordmo",
            "speaker": "Kari Nordmo",
            "speaker_kind": "person",
        }
    ],
    "hedges": [{"marker": "skal ha"}],
    "boilerplate": [],
}


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load("nb", rules_only=True)


def outputs(docs: list[Doc]) -> list[dict[str, Any]]:
    return [doc_to_kilde(doc) for doc in docs]


def test_results_live_in_span_groups_and_plain_attributes(nlp: spacy.language.Language) -> None:
    doc = nlp(ARTICLES[1])
    assert sorted(span.text for span in doc.spans[CUE_SPANS]) == ["forteller", "sier"]
    assert {span.text for span in doc.spans[SPEAKER_SPANS]} == {"Rektor Per Li", "han"}
    assert {span.label_ for span in doc.spans[QUOTE_SPANS]} == {"direct", "indirect"}
    # Everything else is plain data: msgpack (and so DocBin) can write it.
    assert all(isinstance(value, (list, str, type(None))) for value in doc.user_data.values())
    assert {q.speaker_name for q in read_quotes(doc)} == {"Per Li"}


def test_docbin_round_trip_keeps_every_result(nlp: spacy.language.Language) -> None:
    docs = list(nlp.pipe(ARTICLES))
    stored = DocBin(store_user_data=True)
    for doc in docs:
        stored.add(doc)
    read_back = list(DocBin().from_bytes(stored.to_bytes()).get_docs(nlp.vocab))
    assert outputs(read_back) == outputs(docs)
    assert outputs([Doc(nlp.vocab).from_bytes(docs[0].to_bytes())]) == outputs(docs[:1])


def test_two_processes_give_what_one_gives(nlp: spacy.language.Language) -> None:
    one = outputs(list(nlp.pipe(ARTICLES)))
    two = outputs(list(nlp.pipe(ARTICLES, n_process=2)))
    assert two == one
    assert one[0]["provenance"]  # there is a chain to compare


def test_nlp_evaluate_gives_each_stage_its_figures(nlp: spacy.language.Language) -> None:
    scores = nlp.evaluate([gold_example(nlp, GOLD)])
    for stage, metrics in STAGE_METRICS.items():
        assert metrics, stage
    assert scores["attribution_f"] == 1.0
    assert scores["quotes_f"] == 1.0
    assert scores["speaker_acc"] == 1.0
    assert scores["hedges_f"] == 1.0
    assert scores["boilerplate_p"] is None  # nothing marked, nothing found


def test_a_missed_quote_costs_recall(nlp: spacy.language.Language) -> None:
    extra = {
        **GOLD,
        "quotes": [
            *GOLD["quotes"],
            {
                "type": "indirect",
                "content": "fylket",
                "cue": None,
                "speaker_mention": None,
                "speaker": None,
                "speaker_kind": None,
            },
        ],
    }
    scores = nlp.evaluate([gold_example(nlp, extra)])
    assert scores["attribution_r"] == 0.5 and scores["attribution_p"] == 1.0


def test_a_bad_gold_record_is_a_kilde_error(nlp: spacy.language.Language) -> None:
    with pytest.raises(KildeError, match="test-buss"):
        gold_example(nlp, {**GOLD, "quotes": [{**GOLD["quotes"][0], "content": "står ikke der"}]})


def test_components_have_configs_scorers_and_analysis() -> None:
    nlp = build_pipeline("nb", use_model=False)
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert not any(problems.values())
    for name in STAGES:
        component = nlp.get_pipe(name)
        assert component.name == name
        assert nlp.get_pipe_config(name).get("language") is None  # the pipeline's language
    assert nlp.get_pipe_config("kilde_quotes")["scorer"] == {"@scorers": "kilde.quotes_scorer.v1"}


def test_pipeline_saves_and_loads_with_its_stages(tmp_path: Path) -> None:
    nlp = build_pipeline("nn", use_model=False)
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "kilde_quotes" / "settings.json").is_file()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    text = "– Vi er klare, seier ho. Kommunen meiner at brua må byggjast."
    assert doc_to_kilde(loaded(text)) == doc_to_kilde(nlp(text))
    again = build_pipeline("nn", use_model=False)
    again.get_pipe("kilde_quotes").from_bytes(nlp.get_pipe("kilde_quotes").to_bytes())


def test_settings_from_another_language_are_refused() -> None:
    bokmal = build_pipeline("nb", use_model=False).get_pipe("kilde_hedges")
    nynorsk = build_pipeline("nn", use_model=False).get_pipe("kilde_hedges")
    with pytest.raises(KildeError, match="settings"):
        nynorsk.from_bytes(bokmal.to_bytes())


def test_add_pipe_works_in_anyone_s_pipeline_and_leaves_its_tokenizer() -> None:
    host = spacy.blank("en")
    rules_before = dict(host.tokenizer.rules)
    host.add_pipe("kilde_sentencizer", config={"language": "nb"})
    host.add_pipe("kilde_quotes", config={"language": "nb"})
    host.add_pipe("kilde_attribution", config={"language": "nb"})
    assert host.tokenizer.rules == rules_before
    doc = host("«Vi er klare», sier Kari Nordmo.")
    assert [(q.content[0].text, q.speaker.text) for q in read_quotes(doc)] == [("Vi er klare", "Kari Nordmo")]


def test_a_language_without_data_needs_the_setting() -> None:
    with pytest.raises(KildeError, match='"language"'):
        spacy.blank("en").add_pipe("kilde_quotes")


def test_the_news_tokenizer_is_a_config_callback(tmp_path: Path) -> None:
    config = spacy.blank("nb").config
    config["nlp"]["after_creation"] = {"@callbacks": "kilde.news_tokenizer.v1"}
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    assert [t.text for t in nlp("Hun kommer i jul.")][-2:] == ["jul", "."]
    assert [t.text for t in spacy.blank("nb")("Hun kommer i jul.")][-1] == "jul."
