"""Time and peak memory of one long text (run: python benchmarks/long_texts.py [--quick]).

Analyses texts of 10 kB, 100 kB, 1 MB and kilde's limit of 2,000,000 characters, made
of the bundled example articles repeated, with the trained model and with the rules
alone. Each measurement runs in a fresh process, so the peak memory it prints
(``ru_maxrss``) is that analysis's own; short texts take the best of three runs. The cost
per character must stay flat: the ``x 10 kB`` column (time per character against the
10 kB text) at most 1.5.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from importlib import resources

SIZES = (10_000, 100_000, 1_000_000, 2_000_000)
QUICK_SIZES = (10_000, 100_000, 300_000)


def article_text(size: int) -> str:
    """``size`` characters of the bundled Bokmål and Nynorsk examples, cut at a line break."""
    examples = resources.files("kilde") / "examples"
    unit = "\n\n".join(
        (examples / name).read_text(encoding="utf-8").strip()
        for name in ("artikkel_nb.txt", "artikkel_nn.txt")
    )
    text = "\n\n".join([unit] * (size // (len(unit) + 2) + 1))[:size]
    return text[: text.rfind("\n") + 1] if "\n" in text else text


def measure(size: int, rules_only: bool) -> dict[str, float]:
    """One analysis of a ``size``-character text in this process (called in a child)."""
    import kilde

    kilde.analyze(article_text(10_000), "nb", rules_only=rules_only)  # load and warm the pipeline
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = article_text(size)
    # The best of three for the short texts, whose few seconds a busy machine easily disturbs.
    timings = []
    for _ in range(3 if size <= 100_000 else 1):
        started = time.perf_counter()
        result = kilde.analyze(text, "nb", rules_only=rules_only)
        timings.append(time.perf_counter() - started)
    seconds = min(timings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "chars": len(text),
        "seconds": seconds,
        "quotes": len(result["quotes"]),
        "peak_mb": peak / 1024,
        "added_mb": (peak - before) / 1024,
    }


def run_child(size: int, rules_only: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(size)] + (["--rules-only"] if rules_only else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 kB, 100 kB and 300 kB only.")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rules-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.rules_only)))
        return
    sizes = QUICK_SIZES if args.quick else SIZES
    print(
        f"{'pipeline':<15} {'chars':>10} {'quotes':>7} {'seconds':>8} {'s/10k':>7} {'x 10 kB':>8} "
        f"{'peak MB':>8} {'added MB':>9}"
    )
    for rules_only in (False, True):
        base: float | None = None
        for size in sizes:
            row = run_child(size, rules_only)
            per_10k = row["seconds"] / row["chars"] * 10_000
            base = base or per_10k
            name = "rules only" if rules_only else "with the model"
            print(
                f"{name:<15} {row['chars']:>10,} {row['quotes']:>7} {row['seconds']:>8.2f} {per_10k:>7.3f} "
                f"{per_10k / base:>8.2f} {row['peak_mb']:>8.0f} {row['added_mb']:>9.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
