"""Tests for kilde.coreference_metrics: hand-computed textbook values and properties."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kilde.coreference_metrics import (
    PRF,
    CorefScores,
    Counts,
    b_cubed,
    ceaf_e,
    max_weight_assignment,
    muc,
    score_corpus,
    without_singletons,
)

# The classic example (as in Pradhan et al. 2014 and many lecture notes): the response
# splits the first entity in two, misses E and adds H and I to the second.
KEY = [{"A", "B", "C", "D"}, {"E", "F", "G"}]
RESPONSE = [{"A", "B"}, {"C", "D"}, {"F", "G", "H", "I"}]


def assert_counts(counts: Counts, recall: tuple[float, float], precision: tuple[float, float]) -> None:
    assert counts.recall_num == pytest.approx(recall[0])
    assert counts.recall_den == pytest.approx(recall[1])
    assert counts.precision_num == pytest.approx(precision[0])
    assert counts.precision_den == pytest.approx(precision[1])


def test_muc_classic_example() -> None:
    # Recall: {A,B,C,D} falls into the parts {A,B}, {C,D}: 4 - 2 = 2 of its 3 links;
    # {E,F,G} into {E} (missing, a part of its own) and {F,G}: 3 - 2 = 1 of 2 links. 3/5.
    # Precision: {A,B} and {C,D} lie inside one key entity each: 1 of 1 link apiece;
    # {F,G,H,I} into {F,G}, {H}, {I}: 4 - 3 = 1 of 3 links. 3/5.
    counts = muc(KEY, RESPONSE)
    assert_counts(counts, recall=(3, 5), precision=(3, 5))
    assert counts.prf() == PRF(0.6, 0.6, pytest.approx(0.6))


def test_b_cubed_classic_example() -> None:
    # Recall, per key entity Σ|K∩R|²/|K|: {A,B,C,D}: (2² + 2²)/4 = 2; {E,F,G}: 2²/3 = 4/3
    # (E is in no response entity and adds 0). Over 7 key mentions: (10/3)/7 = 10/21.
    # Precision: {A,B}: 2²/2 = 2; {C,D}: 2; {F,G,H,I}: 2²/4 = 1 (H, I add 0). 5/8.
    # F = 2·(5/8)·(10/21) / (5/8 + 10/21) = 100/185 = 20/37.
    counts = b_cubed(KEY, RESPONSE)
    assert_counts(counts, recall=(10 / 3, 7), precision=(5, 8))
    scores = counts.prf()
    assert scores.recall == pytest.approx(10 / 21)
    assert scores.precision == pytest.approx(5 / 8)
    assert scores.f == pytest.approx(20 / 37)


def test_ceaf_e_classic_example() -> None:
    # φ4 = 2|K∩R|/(|K|+|R|): {A,B,C,D} with {A,B} or {C,D}: 4/6 = 2/3; {E,F,G} with
    # {F,G,H,I}: 4/7; every other pair 0. Best one-to-one alignment: 2/3 + 4/7 = 26/21.
    # Recall (26/21)/2 key entities = 13/21; precision (26/21)/3 response entities = 26/63;
    # F = 2·(26/21)/(2 + 3) = 52/105.
    counts = ceaf_e(KEY, RESPONSE)
    assert_counts(counts, recall=(26 / 21, 2), precision=(26 / 21, 3))
    scores = counts.prf()
    assert scores.recall == pytest.approx(13 / 21)
    assert scores.precision == pytest.approx(26 / 63)
    assert scores.f == pytest.approx(52 / 105)


def test_conll_f1_of_the_classic_example() -> None:
    scores = CorefScores()
    scores.add(KEY, RESPONSE)
    assert scores.conll_f1 == pytest.approx((3 / 5 + 20 / 37 + 52 / 105) / 3)
    assert scores.to_dict() == {
        "muc": {"precision": 0.6, "recall": 0.6, "f": 0.6},
        "b_cubed": {"precision": 0.625, "recall": 0.4762, "f": 0.5405},
        "ceaf_e": {"precision": 0.4127, "recall": 0.619, "f": 0.4952},
        "conll_f1": 0.5453,
        "documents": 1,
    }


def test_identical_clusterings_score_one_everywhere() -> None:
    clusters = [{(0, 5), (10, 14), (30, 33)}, {(40, 45), (50, 52)}, {(60, 61)}]
    scores = CorefScores()
    scores.add(clusters, [set(cluster) for cluster in clusters])
    for metric in scores.metrics().values():
        assert metric == PRF(1.0, 1.0, 1.0)
    assert scores.conll_f1 == 1.0


@pytest.mark.parametrize("metric", [muc, b_cubed, ceaf_e])
def test_empty_response_has_zero_recall_without_dividing_by_zero(metric) -> None:
    counts = metric(KEY, [])
    assert counts.recall_num == 0
    assert counts.recall_den > 0
    assert counts.precision_den == 0
    assert counts.prf() == PRF(0.0, 0.0, 0.0)


def test_nothing_on_either_side_scores_zero() -> None:
    scores = CorefScores()
    scores.add([], [])
    assert scores.conll_f1 == 0.0


def test_singletons_count_only_where_the_metric_counts_them() -> None:
    # MUC has no links in singletons; B³ and CEAF-e score them as entities.
    key = [{"A"}, {"B"}]
    response = [{"A"}, {"C"}]
    assert_counts(muc(key, response), recall=(0, 0), precision=(0, 0))
    assert_counts(b_cubed(key, response), recall=(1, 2), precision=(1, 2))
    assert_counts(ceaf_e(key, response), recall=(1, 2), precision=(1, 2))


def test_without_singletons() -> None:
    clusters = [{"A", "B"}, {"C"}, set(), {"D", "E", "F"}]
    assert without_singletons(clusters) == [frozenset("AB"), frozenset("DEF")]
    assert without_singletons([("X", "X")]) == []  # one mention, written twice


def test_a_mention_in_two_clusters_is_refused() -> None:
    with pytest.raises(ValueError, match="two clusters"):
        muc([{"A", "B"}, {"B", "C"}], [{"A"}])


def test_micro_average_over_documents_sums_the_counts() -> None:
    first_key, first_response = KEY, RESPONSE
    second_key = [{(0, 3), (8, 12)}, {(20, 24), (30, 31), (40, 44)}]
    second_response = [{(0, 3), (8, 12), (20, 24)}, {(30, 31), (40, 44)}]
    scores = score_corpus([(first_key, first_response), (second_key, second_response)])
    assert scores.documents == 2
    for metric in (muc, b_cubed, ceaf_e):
        summed = metric(first_key, first_response) + metric(second_key, second_response)
        assert getattr(scores, metric.__name__) == summed
        assert scores.metrics()[metric.__name__] == summed.prf()
    # The second document by hand, MUC: recall: {0,8} kept (1 of 1), {20,30,40} in 2 parts
    # (1 of 2); precision: {0,8,20} in 2 parts (1 of 2), {30,40} kept (1 of 1).
    # Summed with the first: recall (3 + 2)/(5 + 3) = 5/8, the same for precision.
    assert scores.muc.prf().recall == pytest.approx(5 / 8)
    # Not the mean of the per-document figures (0.6 and 2/3).
    assert scores.muc.prf().recall != pytest.approx((0.6 + 2 / 3) / 2)


def brute_force_optimum(matrix: list[list[float]]) -> float:
    rows, columns = len(matrix), len(matrix[0])
    if rows <= columns:
        return max(
            sum(matrix[row][column] for row, column in enumerate(chosen))
            for chosen in itertools.permutations(range(columns), rows)
        )
    return max(
        sum(matrix[row][column] for column, row in enumerate(chosen))
        for chosen in itertools.permutations(range(rows), columns)
    )


matrices = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(-20, 20), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@given(matrices)
def test_assignment_reaches_the_brute_force_optimum(matrix: list[list[int]]) -> None:
    pairs = max_weight_assignment(matrix)
    rows, columns = len(matrix), len(matrix[0])
    assert len(pairs) == min(rows, columns)
    assert len({row for row, _ in pairs}) == len({column for _, column in pairs}) == len(pairs)
    total = sum(matrix[row][column] for row, column in pairs)
    assert total == pytest.approx(brute_force_optimum(matrix))


def test_assignment_on_random_float_matrices() -> None:
    generator = random.Random(2012)
    for _ in range(50):
        rows, columns = generator.randint(1, 5), generator.randint(1, 5)
        matrix = [[generator.random() for _ in range(columns)] for _ in range(rows)]
        total = sum(matrix[row][column] for row, column in max_weight_assignment(matrix))
        assert total == pytest.approx(brute_force_optimum(matrix))


def test_assignment_of_an_empty_matrix() -> None:
    assert max_weight_assignment([]) == []
    assert max_weight_assignment([[], []]) == []


def test_assignment_scales_to_hundreds_of_clusters() -> None:
    # A permuted diagonal: the one alignment worth the full size.
    size = 300
    generator = random.Random(5)
    order = list(range(size))
    generator.shuffle(order)
    matrix = [[0.0] * size for _ in range(size)]
    for row, column in enumerate(order):
        matrix[row][column] = 1.0
    assert max_weight_assignment(matrix) == list(enumerate(order))


mention_sets = st.lists(st.integers(0, 12), unique=True)


@st.composite
def clusterings(draw: st.DrawFn) -> list[set[int]]:
    mentions = draw(mention_sets)
    labels = draw(st.lists(st.integers(0, 4), min_size=len(mentions), max_size=len(mentions)))
    clusters: dict[int, set[int]] = {}
    for mention, label in zip(mentions, labels, strict=True):
        clusters.setdefault(label, set()).add(mention)
    return list(clusters.values())


@given(clusterings(), clusterings())
def test_swapping_key_and_response_swaps_recall_and_precision(key, response) -> None:
    for metric in (muc, b_cubed, ceaf_e):
        forward, backward = metric(key, response).prf(), metric(response, key).prf()
        assert forward.recall == pytest.approx(backward.precision)
        assert forward.precision == pytest.approx(backward.recall)
        assert 0.0 <= forward.f <= 1.0 + 1e-9
