"""How analysis time grows with text length (run: python benchmarks/scaling.py).

Repeats the bundled Bokmål example article N times and prints characters,
quotes found and seconds for each N, with the time per 100 000 characters:
a roughly constant last column means linear growth.
"""

from __future__ import annotations

import time
from importlib import resources

import kilde


def main() -> None:
    article = (resources.files("kilde") / "examples" / "artikkel_nb.txt").read_text(encoding="utf-8")
    kilde.analyze(article, "nb")  # load the pipeline before timing
    print(f"{'copies':>7} {'chars':>10} {'quotes':>7} {'seconds':>8} {'s/100k chars':>13}")
    for copies in (1, 10, 100, 500, 1000):
        text = "\n\n".join([article] * copies)
        started = time.process_time()
        result = kilde.analyze(text, "nb")
        seconds = time.process_time() - started
        print(
            f"{copies:>7} {len(text):>10} {len(result['quotes']):>7} {seconds:>8.2f}"
            f" {seconds / len(text) * 100_000:>13.2f}"
        )


if __name__ == "__main__":
    main()
