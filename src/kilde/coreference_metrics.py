"""The standard coreference metrics: MUC, B³ and CEAF-e, and their mean, the CoNLL F1.

Pure Python (with numpy for the alignment that CEAF-e needs), so that a coreference stage
can be scored without the Perl reference scorer of CoNLL-2012 (Pradhan et al. 2014) and
without scipy. The figures follow that scorer:

- every metric yields :class:`Counts`, the numerators and denominators of its recall and
  precision, because the reference scorer sums those over the documents of a corpus and
  divides once at the end (micro-averaging); averaging per-document F1s would weigh a short
  article as much as a long one;
- a mention is any hashable key (in practice a ``(start_char, end_char)`` tuple), and a
  clustering is a sequence of clusters, each a collection of mentions; key and response
  need not hold the same mentions (predicted mentions), so a mention that one side lacks
  is handled as the reference scorer handles it, metric by metric;
- singleton clusters are kept: whether to drop them (:func:`without_singletons`, as the
  CoNLL-2012 evaluation does) is the caller's choice, made on both sides alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

Mention = Hashable
"""A mention: any hashable key, in practice ``(start_char, end_char)``."""

Clustering = Sequence[Collection[Mention]]
"""A document's entities: each cluster the set of mentions that refer to one entity."""

_Clusters = list[frozenset[Mention]]


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean; 0.0 where a ratio has nothing to divide by."""

    precision: float
    recall: float
    f: float

    @classmethod
    def from_ratios(cls, precision: float, recall: float) -> PRF:
        """The F1 of a precision and a recall (0.0 when both are 0, instead of dividing by zero)."""
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


def _ratio(numerator: float, denominator: float) -> float:
    # The reference scorer reports 0 for an empty denominator (no key or no response
    # entities to speak of), so an empty response gives recall 0, not an error.
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class Counts:
    """A metric's recall and precision as numerator/denominator sums.

    Kept apart from the ratios because corpus figures add these up over documents
    before dividing (``sum(counts, Counts())`` or ``a + b``), as the reference scorer does.
    """

    recall_num: float = 0.0
    recall_den: float = 0.0
    precision_num: float = 0.0
    precision_den: float = 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.recall_num + other.recall_num,
            self.recall_den + other.recall_den,
            self.precision_num + other.precision_num,
            self.precision_den + other.precision_den,
        )

    def prf(self) -> PRF:
        """The ratios these sums give."""
        return PRF.from_ratios(
            _ratio(self.precision_num, self.precision_den), _ratio(self.recall_num, self.recall_den)
        )


def without_singletons(clusters: Clustering) -> list[frozenset[Mention]]:
    """The clusters with two or more mentions.

    The CoNLL-2012 shared task evaluates coreference without singleton clusters, on both
    key and response (OntoNotes does not annotate singletons); apply this to both sides to
    report figures comparable with that convention, or leave it out to score singletons too.
    """
    return [frozenset(cluster) for cluster in clusters if len(set(cluster)) > 1]


def _partition(clustering: Clustering) -> tuple[_Clusters, dict[Mention, int]]:
    """The non-empty clusters as sets, and each mention's cluster index.

    Every metric assumes a partition: a mention in two clusters of one side would be
    counted twice, so it is refused here rather than giving a wrong figure.
    """
    clusters = [frozenset(cluster) for cluster in clustering if cluster]
    index: dict[Mention, int] = {}
    for number, cluster in enumerate(clusters):
        for mention in cluster:
            if mention in index:
                raise ValueError(f"mention {mention!r} is in two clusters of one clustering")
            index[mention] = number
    return clusters, index


def _muc_side(clusters: _Clusters, other: dict[Mention, int]) -> tuple[int, int]:
    """MUC's numerator and denominator for one side: links kept by the other side's partition.

    A cluster of n mentions needs n - 1 links; the other side splits it into parts (a
    mention it lacks is a part of its own), and n - parts of those links survive.
    """
    numerator = denominator = 0
    for cluster in clusters:
        found = {other[mention] for mention in cluster if mention in other}
        missing = sum(1 for mention in cluster if mention not in other)
        numerator += len(cluster) - (len(found) + missing)
        denominator += len(cluster) - 1
    return numerator, denominator


def muc(key: Clustering, response: Clustering) -> Counts:
    """MUC (Vilain et al. 1995): the share of coreference links each side recovers of the other.

    Link-based, so singleton clusters contribute nothing to either side.
    """
    key_clusters, key_index = _partition(key)
    response_clusters, response_index = _partition(response)
    recall_num, recall_den = _muc_side(key_clusters, response_index)
    precision_num, precision_den = _muc_side(response_clusters, key_index)
    return Counts(recall_num, recall_den, precision_num, precision_den)


def _b_cubed_side(clusters: _Clusters, other: dict[Mention, int]) -> tuple[float, int]:
    """B³'s numerator and denominator for one side: Σ over clusters C, over the other's D of |C∩D|²/|C|.

    That is, per mention m of C, the share of C that m's cluster on the other side also
    holds, summed; a mention the other side lacks shares nothing there and adds 0.
    """
    numerator = 0.0
    denominator = 0
    for cluster in clusters:
        overlaps = Counter(other[mention] for mention in cluster if mention in other)
        numerator += sum(count * count for count in overlaps.values()) / len(cluster)
        denominator += len(cluster)
    return numerator, denominator


def b_cubed(key: Clustering, response: Clustering) -> Counts:
    """B³ (Bagga & Baldwin 1998), per mention, as the CoNLL reference scorer computes it.

    Recall averages, over key mentions, the share of each mention's key cluster found in its
    response cluster; precision the same the other way round. Mentions that one side lacks
    are not added to it as singletons (Cai & Strube 2010 proposed that; the reference
    scorer does not): they count in their own side's denominator and add 0 to the
    numerator, so an empty response has recall 0.
    """
    key_clusters, key_index = _partition(key)
    response_clusters, response_index = _partition(response)
    recall_num, recall_den = _b_cubed_side(key_clusters, response_index)
    precision_num, precision_den = _b_cubed_side(response_clusters, key_index)
    return Counts(recall_num, recall_den, precision_num, precision_den)


def max_weight_assignment(weights: Sequence[Sequence[float]] | np.ndarray) -> list[tuple[int, int]]:
    """The one-to-one pairing of rows with columns that maximises the total weight.

    The Hungarian (Kuhn–Munkres) algorithm with potentials, O(n²·m) for n ≤ m, on a
    rectangular matrix (a wide matrix directly, a tall one transposed): CEAF needs it and
    scipy's ``linear_sum_assignment`` is not a dependency. Every row of the shorter side is
    paired, so ``min(rows, columns)`` pairs come back, sorted by row.
    """
    matrix = np.asarray(weights, dtype=float)
    if matrix.size == 0:  # no rows (``[]`` reads as one dimension) or no columns
        return []
    if matrix.ndim != 2:
        raise ValueError(f"weights must be a matrix, not an array of {matrix.ndim} dimensions")
    if matrix.shape[0] > matrix.shape[1]:
        return sorted((row, column) for column, row in max_weight_assignment(matrix.T))
    cost = -matrix  # the algorithm minimises
    rows, columns = cost.shape
    # Index 0 of the column arrays is a virtual column, from which each row's search starts;
    # rows are numbered from 1 so that 0 in ``owner`` means "no row yet".
    row_potential = np.zeros(rows + 1)
    column_potential = np.zeros(columns + 1)
    owner = np.zeros(columns + 1, dtype=int)  # owner[j]: the row matched to column j
    previous = np.zeros(columns + 1, dtype=int)  # the column before j on the augmenting path
    for row in range(1, rows + 1):
        owner[0] = row
        column = 0
        slack = np.full(columns + 1, np.inf)
        used = np.zeros(columns + 1, dtype=bool)
        while owner[column] != 0:
            used[column] = True
            current_row = owner[column]
            free = ~used
            free[0] = False
            reduced = cost[current_row - 1] - row_potential[current_row] - column_potential[1:]
            improved = free[1:] & (reduced < slack[1:])
            slack[1:][improved] = reduced[improved]
            previous[1:][improved] = column
            candidates = np.where(free, slack, np.inf)
            next_column = int(np.argmin(candidates))
            delta = candidates[next_column]
            row_potential[owner[used]] += delta
            column_potential[used] -= delta
            slack[free] -= delta
            column = next_column
        while column != 0:  # flip the augmenting path back to the virtual column
            before = previous[column]
            owner[column] = owner[before]
            column = before
    return sorted((int(owner[column]) - 1, column - 1) for column in range(1, columns + 1) if owner[column])


def _phi4(key: frozenset[Mention], response: frozenset[Mention]) -> float:
    """Luo's φ4 entity similarity, the Dice coefficient: 2|K∩R| / (|K| + |R|)."""
    return 2 * len(key & response) / (len(key) + len(response))


def ceaf_e(key: Clustering, response: Clustering) -> Counts:
    """Entity-based CEAF (Luo 2005) with φ4: how well entities align one to one.

    Each key entity is paired with at most one response entity so that the summed φ4 is
    largest; recall divides that sum by the number of key entities, precision by the number
    of response entities. Only entity pairs that share a mention can score, so the
    alignment runs on the similarity matrix of all pairs (zeros included).
    """
    key_clusters, _ = _partition(key)
    response_clusters, response_index = _partition(response)
    similarity = np.zeros((len(key_clusters), len(response_clusters)))
    for row, cluster in enumerate(key_clusters):
        for column in {response_index[mention] for mention in cluster if mention in response_index}:
            similarity[row, column] = _phi4(cluster, response_clusters[column])
    total = float(sum(similarity[row, column] for row, column in max_weight_assignment(similarity)))
    return Counts(total, len(key_clusters), total, len(response_clusters))


@dataclass
class CorefScores:
    """MUC, B³ and CEAF-e counts summed over the documents added so far.

    Summing counts, not averaging per-document scores, is what makes these corpus figures
    the reference scorer's.
    """

    muc: Counts = field(default_factory=Counts)
    b_cubed: Counts = field(default_factory=Counts)
    ceaf_e: Counts = field(default_factory=Counts)
    documents: int = 0

    def add(self, key: Clustering, response: Clustering) -> None:
        """Score one document's response against its key and add the counts."""
        self.muc += muc(key, response)
        self.b_cubed += b_cubed(key, response)
        self.ceaf_e += ceaf_e(key, response)
        self.documents += 1

    def metrics(self) -> dict[str, PRF]:
        """Each metric's P/R/F over the documents added."""
        return {"muc": self.muc.prf(), "b_cubed": self.b_cubed.prf(), "ceaf_e": self.ceaf_e.prf()}

    @property
    def conll_f1(self) -> float:
        """The CoNLL-2012 score: the unweighted mean of the MUC, B³ and CEAF-e F1s."""
        return sum(scores.f for scores in self.metrics().values()) / 3

    def to_dict(self, digits: int = 4) -> dict[str, object]:
        """Rounded figures for a report: P/R/F per metric, ``conll_f1`` and ``documents``."""
        result: dict[str, object] = {
            name: {
                "precision": round(scores.precision, digits),
                "recall": round(scores.recall, digits),
                "f": round(scores.f, digits),
            }
            for name, scores in self.metrics().items()
        }
        result["conll_f1"] = round(self.conll_f1, digits)
        result["documents"] = self.documents
        return result


def score_corpus(documents: Iterable[tuple[Clustering, Clustering]]) -> CorefScores:
    """Corpus figures for ``(key, response)`` pairs, one a document."""
    scores = CorefScores()
    for key, response in documents:
        scores.add(key, response)
    return scores
