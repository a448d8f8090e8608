"""kilde.analysis: the one way the CLI, the corpus runner and the server analyse a record."""

from __future__ import annotations

import time
from typing import Any

from kilde.analysis import analyse_record, record_budget

TEXT = "– Brua er stengt i natt, sier vaktsjef Ola Dahl til Fjordposten."


def test_a_good_record_gives_its_result() -> None:
    analysed = analyse_record(TEXT, "nb", "a1")
    assert analysed.outcome == "ok" and analysed.error is None
    assert analysed.result is not None and analysed.result["id"] == "a1"
    assert analysed.result["quotes"][0]["speaker"]["name"] == "Ola Dahl"


def test_bad_input_is_invalid_with_one_line() -> None:
    analysed = analyse_record("   \n  ", "nb")
    assert analysed.outcome == "invalid" and analysed.result is None
    assert analysed.error == "the text is empty"


def test_a_bug_is_failed_and_keeps_its_traceback() -> None:
    def broken(text: str, **_: Any) -> dict[str, Any]:
        raise RuntimeError("boom\nsecond line")

    analysed = analyse_record(TEXT, "nb", analyzer=broken)
    assert analysed.outcome == "failed" and analysed.error is not None
    assert analysed.error.startswith("RuntimeError: boom")
    assert analysed.traceback is not None and "RuntimeError" in analysed.traceback


def test_a_slow_record_times_out() -> None:
    def slow(text: str, **_: Any) -> dict[str, Any]:
        time.sleep(5)
        return {}

    started = time.monotonic()
    analysed = analyse_record(TEXT, "nb", seconds=0.5, analyzer=slow)
    assert analysed.outcome == "timeout" and "time limit" in (analysed.error or "")
    assert time.monotonic() - started < 4


def test_a_shared_budget_counts_what_was_spent_before() -> None:
    def takes_a_while(text: str, **_: Any) -> dict[str, Any]:
        time.sleep(1.0)
        return {"quotes": []}

    assert analyse_record(TEXT, "nb", seconds=1.5, analyzer=takes_a_while).outcome == "ok"
    budget = record_budget(1.5)
    budget.run(lambda: time.sleep(0.8))  # reading the page took half the budget
    assert analyse_record(TEXT, "nb", budget=budget, analyzer=takes_a_while).outcome == "timeout"


def test_analysed_docs_travel_as_spacy_docs() -> None:
    from spacy.tokens import DocBin

    import kilde
    from kilde.schema import doc_to_kilde

    docs = [kilde.analyse_doc(TEXT, "nb"), kilde.analyse_doc("Ifølgje kommunen er vegen open att.", "nn")]
    stored = DocBin(store_user_data=True, docs=docs).to_bytes()
    read_back = list(DocBin().from_bytes(stored).get_docs(kilde.load("nb").vocab))
    assert [doc_to_kilde(d) for d in read_back] == [doc_to_kilde(d) for d in docs]
    assert doc_to_kilde(read_back[1])["language"] == "nn"
