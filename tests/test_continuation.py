"""Dash quotes over several lines of a text stored one sentence a line (``kilde.continuation``).

Every example is invented. The quotes stage runs on its own (behind boilerplate), with a
continuation model given here, with none, or with the one kilde ships.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import stage_pipeline
from spacy.language import Language

from kilde.component import packaged_or_path
from kilde.continuation import PACKAGED_MODEL, TASK, LineContext, one_sentence_share, transition_features
from kilde.errors import KildeError
from kilde.linear import LinearModel
from kilde.text import paragraphs
from kilde.types import Quote

# One sentence a line, tokenized as the treebank stores news: a dash quote of three lines,
# its tag on the third, then narration.
SENTENCE_A_LINE = (
    "Ordføreren i Vikåsen var godt fornøyd i går .\n"
    "- Vi har ventet på denne brua i tretti år .\n"
    "Nå håper vi at fylket holder løftet sitt ,\n"
    "sier ordfører Siri Haugland .\n"
    "Brua skal etter planen stå ferdig i 2031 .\n"
)

# A model that goes on with every line (it only has a bias), and one that never does.
ALWAYS = LinearModel(TASK, {"bias": 5.0})
NEVER = LinearModel(TASK, {"bias": -5.0})


def dash_quotes(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    return sorted((q for q in doc._.quotes or [] if q.type == "direct"), key=lambda q: q.start_char)


def with_model(model: LinearModel | None, language: str = "nb") -> Language:
    nlp = stage_pipeline(language, ("kilde_boilerplate", "kilde_quotes"))
    nlp.get_pipe("kilde_quotes").model = model
    return nlp


def test_a_dash_quote_runs_on_to_the_line_with_its_tag() -> None:
    [quote] = dash_quotes(with_model(ALWAYS), SENTENCE_A_LINE)
    assert quote.content[0].text == (
        "Vi har ventet på denne brua i tretti år .\nNå håper vi at fylket holder løftet sitt"
    )
    assert quote.cue is not None and quote.cue.text == "sier"


def test_the_quote_never_runs_past_its_tag_or_into_a_new_dash_line() -> None:
    text = "- Vi er klare .\nDet blir en lang dag ,\nsier hun .\nHun gikk .\n- Vi også , sier han .\n"
    quotes = dash_quotes(with_model(ALWAYS), text)
    assert [q.content[0].text for q in quotes] == ["Vi er klare .\nDet blir en lang dag", "Vi også"]


def test_without_a_model_or_refused_each_line_stands_alone() -> None:
    for model in (None, NEVER):
        [quote] = dash_quotes(with_model(model), SENTENCE_A_LINE)
        assert quote.content[0].text == "Vi har ventet på denne brua i tretti år"
        assert quote.cue is None


@pytest.mark.skipif(not PACKAGED_MODEL.is_file(), reason="no continuation model installed")
def test_the_packaged_model_reads_a_sentence_a_line_text_and_a_web_text() -> None:
    nlp = with_model(packaged_or_path("packaged", TASK, PACKAGED_MODEL))
    [quote] = dash_quotes(nlp, SENTENCE_A_LINE)
    assert quote.cue is not None and quote.cue.text == "sier"
    # A web article: its lines are paragraphs, so the narration after a dash paragraph is not speech.
    web = (
        "Kommunen la fram budsjettet sitt mandag. Det viser et stort underskudd i år.\n"
        "– Vi må kutte i alt som ikke er lovpålagt. Det blir tøft for mange.\n"
        "Rådmann Per Olsen la fram tallene for bystyret i går kveld, og møtet varte i fire timer.\n"
    )
    [quote] = dash_quotes(nlp, web)
    assert quote.content[0].text == "Vi må kutte i alt som ikke er lovpålagt. Det blir tøft for mange"


# An interview kept one sentence a line: the journalist's questions between dash answers.
INTERVIEW = (
    "Hva gjør deg glad ?\n"
    "- Lange turer i fjellet med hunden .\n"
    "Og hva gjør deg sint ?\n"
    "- Folk som ikke rydder etter seg .\n"
)


def second_line_features(text: str, context: LineContext) -> dict[str, float]:
    """What the model reads about the third line of ``text`` after a dash quote on the second."""
    doc = stage_pipeline("nb", ())(text)
    paras = paragraphs(doc)
    return transition_features(doc, paras[1], paras[1], paras[2], 1, context, layout=1.0)


def test_a_question_before_the_next_dash_line_is_the_interviewers() -> None:
    features = second_line_features(INTERVIEW, LineContext(has_tag=False, tag_ahead=False, dash_follows=True))
    assert features["candidate_question*dash_follows"] == 1.0
    assert features["candidate_question"] == 1.0


@pytest.mark.skipif(not PACKAGED_MODEL.is_file(), reason="no continuation model installed")
def test_the_packaged_model_leaves_the_question_out_of_the_answer() -> None:
    nlp = with_model(packaged_or_path("packaged", TASK, PACKAGED_MODEL))
    answers = [q.content[0].text for q in dash_quotes(nlp, INTERVIEW)]
    assert answers == ["Lange turer i fjellet med hunden", "Folk som ikke rydder etter seg"]


def test_the_layout_share_tells_a_sentence_a_line_text_from_paragraphs() -> None:
    nlp = stage_pipeline("nb", ())
    one_a_line = nlp(SENTENCE_A_LINE)
    assert one_sentence_share(SENTENCE_A_LINE, paragraphs(one_a_line), "nb") == 1.0
    web = "Det regnet hele natten. Elva gikk over sine bredder.\nVeien ble stengt. Ingen kom til skade.\n"
    assert one_sentence_share(web, paragraphs(nlp(web)), "nb") == 0.0


def test_features_read_the_line_its_tag_and_the_layout() -> None:
    features = second_line_features(
        SENTENCE_A_LINE, LineContext(has_tag=False, tag_ahead=True, dash_follows=False)
    )
    assert features["tag_ahead"] == 1.0 and features["layout*tag_ahead"] == 1.0
    assert features["word=vi"] == 1.0 and features["shared=vi"] == 1.0
    assert features["first=nå"] == 1.0
    assert features["candidate_unfinished"] == 1.0  # the line ends with a comma


def test_the_model_travels_with_the_pipeline(tmp_path: Path) -> None:
    nlp = with_model(LinearModel(TASK, {"bias": 2.0, "word=vi": 1.0}, meta={"examples": 3}))
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "kilde_quotes" / "continuation.json").is_file()
    fresh = with_model(None)
    fresh.get_pipe("kilde_quotes").from_disk(tmp_path / "pipeline" / "kilde_quotes")
    assert fresh.get_pipe("kilde_quotes").model == nlp.get_pipe("kilde_quotes").model
    other = with_model(None)
    other.get_pipe("kilde_quotes").from_bytes(nlp.get_pipe("kilde_quotes").to_bytes())
    assert other.get_pipe("kilde_quotes").model == nlp.get_pipe("kilde_quotes").model
    assert [q.content[0].text for q in dash_quotes(other, SENTENCE_A_LINE)] == [
        q.content[0].text for q in dash_quotes(nlp, SENTENCE_A_LINE)
    ]


def test_a_file_that_is_not_a_model_is_a_clear_error(tmp_path: Path) -> None:
    wrong = tmp_path / "model.json"
    wrong.write_text('{"format": "kilde-linear/1", "task": "speakers", "weights": {}}')
    with pytest.raises(KildeError, match="not a kilde-linear/1 model for 'continuation'"):
        packaged_or_path(str(wrong), TASK, PACKAGED_MODEL)
    with pytest.raises(KildeError, match="cannot read"):
        packaged_or_path(str(tmp_path / "missing.json"), TASK, PACKAGED_MODEL)
    assert packaged_or_path(None, TASK, PACKAGED_MODEL) is None
    assert packaged_or_path("", TASK, PACKAGED_MODEL) is None
